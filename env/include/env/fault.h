/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: fault rules on the simulated wire.  Rules are checked in
 * declaration order for every packet; each has its own random stream named
 * after the rule, so adding a rule never changes another rule's draws.
 * What each kind takes and does is one row of the fault-kind table
 * (env/include/env/fault_kinds.h), shared with the vsock device faults.
 */
#ifndef MODELS_ENV_FAULT_H
#define MODELS_ENV_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "env/world.h"

enum fault_kind {
	FAULT_LOSS, FAULT_GILBERT, FAULT_DROP, FAULT_WINDOW, FAULT_DELAY,
	FAULT_DUPLICATE, FAULT_REORDER, FAULT_ICMP, FAULT_CE,
};

/* What a rule's key=value options set; wire and vsock rules share it. */
struct fault_params {
	uint64_t p_ppb;			/* loss / duplicate / reorder / gilbert p */
	uint64_t r_ppb, h_ppb, k_ppb;	/* gilbert */
	uint64_t nth, count;		/* drop: the nth match, or the first count */
	sim_time_t extra;		/* delay / reorder / vsock-delay */
	sim_time_t at;			/* vsock-transport-reset */
	bool has_during;
	sim_time_t t_lo, t_hi;		/* active in [t_lo, t_hi) if has_during */
	uint32_t kind_mask;		/* wire: 1 << PKT_*; vsock: 1 << VIRTIO_VSOCK_OP_*; 0 = any */
	bool blackhole;			/* window: ignore the kind filter */
	uint8_t icmp_type, icmp_code;	/* icmp: for an IPv4 packet */
	uint8_t icmp6_type, icmp6_code;	/* icmp: for an IPv6 packet (ICMPv6) */
};

/* What a rule has seen so far. */
struct fault_state {
	bool gilbert_bad;
	uint64_t matched;
	uint64_t fired;
	struct sim_rng rng;		/* wire rules only: the stream named after the label */
};

struct fault_kind_ops;

struct fault_rule {
	const struct fault_kind_ops *ops;	/* its row of the fault-kind table */
	char *label;			/* "fault@12:drop", shown when it fires */
	struct host *from, *to;		/* NULL = any */
	struct host *router;		/* icmp: who sends it (default: the destination) */
	struct fault_params p;
	struct fault_state st;
};

enum fault_verdict { FAULT_PASS, FAULT_DROPPED };

struct fault_effect {
	sim_time_t extra_delay;
	unsigned int duplicates;
	const char *drop_rule;		/* label of the rule that dropped it */
	const char *dup_rule;		/* label of the (last) rule that duplicated it */
};

/* Apply every rule to @skb leaving @from for @to. */
enum fault_verdict fault_apply(struct world *w, struct host *from, struct host *to,
			       struct sk_buff *skb, struct fault_effect *eff);
void fault_rule_free(struct fault_rule *r);
/* "host-unreachable" -> (type, code); false if unknown. */
bool icmp_type_from_name(const char *name, struct fault_params *p);

#endif
