/* SPDX-License-Identifier: MIT */
/*
 * MIB counters, named as in /proc/net/snmp and /proc/net/netstat
 * (include/uapi/linux/snmp.h); the names are in models/net/ipv4/proc.c.
 */
#ifndef MODELS_NET_SNMP_H
#define MODELS_NET_SNMP_H

#define MIB_COUNTERS(X) \
	X(ActiveOpens) X(PassiveOpens) X(AttemptFails) X(EstabResets) \
	X(OutSegs) X(InSegs) X(RetransSegs) X(OutRsts) X(InErrs) \
	X(TCPTimeouts) X(TCPSynRetrans) X(TCPAbortOnTimeout) X(ListenOverflows) \
	X(ListenDrops) X(TCPReqQFullDrop) X(TCPReqQFullDoCookies) X(EmbryonicRsts) \
	X(OutNoRoutes) X(TCPAbortOnData) X(TCPAbortOnClose) X(InDestUnreachs) \
	X(OutDestUnreachs) X(TCPFastRetrans) X(TCPSackRecovery) X(TCPRenoRecovery) \
	X(TCPLossProbes) X(TCPWinProbe) X(TCPLossProbeRecovery) X(TCPLostRetransmit) \
	X(DelayedACKLost) X(TCPDSACKOldSent) X(TCPDSACKOfoSent) X(TCPDSACKRecv) \
	X(TCPDSACKOfoRecv) X(TCPDSACKRecvSegs) X(TCPDSACKIgnoredDubious) \
	X(Icmp6InDestUnreachs) X(Icmp6OutDestUnreachs) X(TCPTimeWaitOverflow)

enum mib_counter {
#define MIB_ENUM(n) MIB_##n,
	MIB_COUNTERS(MIB_ENUM)
#undef MIB_ENUM
	MIB_MAX,
};

extern const char *const mib_counter_names[MIB_MAX];

#endif
