/* SPDX-License-Identifier: MIT */
/* net/ipv4/proc.c: the names /proc/net/snmp and /proc/net/netstat print. */
#include "net/snmp.h"

const char *const mib_counter_names[MIB_MAX] = {
#define MIB_NAME(n) #n,
	MIB_COUNTERS(MIB_NAME)
#undef MIB_NAME
};
