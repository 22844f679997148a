/* SPDX-License-Identifier: MIT */
/* Not kernel code: fault rules applied to packets on the wire. */
#include "env/fault.h"

#include <glib.h>
#include <string.h>

#include "net/ipv4.h"
#include "sim/trace.h"

void fault_rule_free(struct fault_rule *r)
{
	if (!r)
		return;
	g_free(r->label);
	g_free(r);
}

static const struct {
	const char *name;
	uint8_t type, code;
} icmp_names[] = {
	{ "net-unreachable", ICMP_DEST_UNREACH, ICMP_NET_UNREACH },
	{ "host-unreachable", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH },
	{ "protocol-unreachable", ICMP_DEST_UNREACH, ICMP_PROT_UNREACH },
	{ "port-unreachable", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH },
	{ "frag-needed", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED },
	{ "source-route-failed", ICMP_DEST_UNREACH, ICMP_SR_FAILED },
	{ "net-unknown", ICMP_DEST_UNREACH, ICMP_NET_UNKNOWN },
	{ "host-unknown", ICMP_DEST_UNREACH, ICMP_HOST_UNKNOWN },
	{ "host-isolated", ICMP_DEST_UNREACH, ICMP_HOST_ISOLATED },
	{ "net-prohibited", ICMP_DEST_UNREACH, ICMP_NET_ANO },
	{ "host-prohibited", ICMP_DEST_UNREACH, ICMP_HOST_ANO },
	{ "packet-filtered", ICMP_DEST_UNREACH, ICMP_PKT_FILTERED },
	{ "time-exceeded", ICMP_TIME_EXCEEDED, 0 },
	{ "parameter-problem", ICMP_PARAMETERPROB, 0 },
};

bool icmp_type_from_name(const char *name, uint8_t *type, uint8_t *code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(icmp_names); i++)
		if (strcmp(icmp_names[i].name, name) == 0) {
			*type = icmp_names[i].type;
			*code = icmp_names[i].code;
			return true;
		}
	return false;
}

static bool rule_matches(const struct fault_rule *r, const struct host *from,
			 const struct host *to, const struct sk_buff *skb, sim_time_t now)
{
	if (r->from && r->from != from)
		return false;
	if (r->to && r->to != to)
		return false;
	if (r->kind_mask && !r->blackhole && !(r->kind_mask & (1u << skb_kind(skb))))
		return false;
	if (r->has_during && (now < r->t_lo || now >= r->t_hi))
		return false;
	return true;
}

/* Does this rule, matching this packet, fire?  Advances the rule's state. */
static bool rule_fires(struct fault_rule *r)
{
	switch (r->kind) {
	case FAULT_LOSS:
	case FAULT_DUPLICATE:
	case FAULT_REORDER:
		return sim_rng_chance_ppb(&r->rng, r->p_ppb);
	case FAULT_GILBERT:
		/* Gilbert-Elliott: move between good and bad, then lose with h or k. */
		if (r->gilbert_bad) {
			if (sim_rng_chance_ppb(&r->rng, r->r_ppb))
				r->gilbert_bad = false;
		} else if (sim_rng_chance_ppb(&r->rng, r->p_ppb)) {
			r->gilbert_bad = true;
		}
		return sim_rng_chance_ppb(&r->rng, r->gilbert_bad ? r->h_ppb : r->k_ppb);
	case FAULT_DROP:
	case FAULT_ICMP:
		r->matched++;
		if (r->nth)
			return r->matched == r->nth;
		if (r->count)
			return r->matched <= r->count;
		return true;
	case FAULT_WINDOW:
	case FAULT_DELAY:
		return true;
	}
	return false;
}

static const char *const fault_kind_names[] = {
	[FAULT_LOSS] = "loss", [FAULT_GILBERT] = "gilbert", [FAULT_DROP] = "drop",
	[FAULT_WINDOW] = "window", [FAULT_DELAY] = "delay",
	[FAULT_DUPLICATE] = "duplicate", [FAULT_REORDER] = "reorder",
	[FAULT_ICMP] = "icmp",
};

enum fault_verdict fault_apply(struct world *w, struct host *from, struct host *to,
			       struct sk_buff *skb, struct fault_effect *eff)
{
	sim_time_t now = sim_now(w->sim);

	for (guint i = 0; i < w->faults->len; i++) {
		struct fault_rule *r = g_ptr_array_index(w->faults, i);
		const char *action;

		if (!rule_matches(r, from, to, skb, now) || !rule_fires(r))
			continue;
		r->fired++;
		switch (r->kind) {
		case FAULT_DELAY:
		case FAULT_REORDER:
			eff->extra_delay = sim_time_add(eff->extra_delay, r->extra);
			action = "delay";
			break;
		case FAULT_DUPLICATE:
			eff->duplicates++;
			eff->dup_rule = r->label;
			action = "duplicate";
			break;
		case FAULT_ICMP:
			action = "icmp";
			break;
		default:
			action = "drop";
			break;
		}
		sim_trace(w->sim, from->name, NULL, "fault_fire", NULL,
			  "rule=%s kind=%s action=%s pkt=%s id=%" G_GUINT64_FORMAT " fired=%" G_GUINT64_FORMAT,
			  r->label, fault_kind_names[r->kind], action,
			  pkt_kind_name(skb_kind(skb)), skb->id, r->fired);
		if (r->kind == FAULT_ICMP || strcmp(action, "drop") == 0)
			eff->drop_rule = r->label;
		if (r->kind == FAULT_ICMP) {
			__icmp_send(&(r->router ? r->router : to)->net, skb, r->icmp_type, r->icmp_code);
			return FAULT_DROPPED;
		}
		if (strcmp(action, "drop") == 0)
			return FAULT_DROPPED;
	}
	return FAULT_PASS;
}
