/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: fault rules on the simulated wire.  Rules are checked in
 * declaration order for every packet; each has its own random stream named
 * after the rule, so adding a rule never changes another rule's draws.
 */
#ifndef MODELS_ENV_FAULT_H
#define MODELS_ENV_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "env/world.h"

enum fault_kind {
	FAULT_LOSS, FAULT_GILBERT, FAULT_DROP, FAULT_WINDOW, FAULT_DELAY,
	FAULT_DUPLICATE, FAULT_REORDER, FAULT_ICMP,
};

struct fault_rule {
	enum fault_kind kind;
	char *label;			/* "fault@12:drop", shown when it fires */
	/* filter */
	struct host *from, *to;		/* NULL = any */
	uint32_t kind_mask;		/* 1 << PKT_*; 0 = any */
	bool has_during;
	sim_time_t t_lo, t_hi;		/* active in [t_lo, t_hi) if has_during */
	/* parameters */
	uint64_t p_ppb;			/* loss / duplicate / reorder / gilbert p */
	uint64_t r_ppb, h_ppb, k_ppb;	/* gilbert */
	uint64_t nth, count;		/* drop: the nth match, or the first count */
	bool blackhole;			/* window: ignore kind filter */
	sim_time_t extra;		/* delay / reorder */
	uint8_t icmp_type, icmp_code;
	struct host *router;		/* icmp: who sends it (default: the destination) */
	/* state */
	bool gilbert_bad;
	uint64_t matched;
	uint64_t fired;
	struct sim_rng rng;
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
bool icmp_type_from_name(const char *name, uint8_t *type, uint8_t *code);

#endif
