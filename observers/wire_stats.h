/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the results' packet counters (`packets.sent.SYN` ...), per
 * packet kind, counted from the wire's events (trace/events/net.h).
 */
#ifndef OBSERVERS_WIRE_STATS_H
#define OBSERVERS_WIRE_STATS_H

#include <stdint.h>

#include "net/net_namespace.h"
#include "net/skb.h"
#include "trace/events.h"

struct wire_stats {
	struct trace_subscriber sub;
	uint64_t sent[PKT_KIND_MAX];		/* net_xmit, duplicates included */
	uint64_t dropped[PKT_KIND_MAX];		/* net_drop */
	uint64_t delivered[PKT_KIND_MAX];	/* net_rcv */
};

struct wire_stats *wire_stats_new(struct kernel_shared *ks);
void wire_stats_free(struct wire_stats *ws);

#endif
