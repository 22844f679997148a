/* SPDX-License-Identifier: MIT */
/* Not kernel code: fault rules applied to packets on the wire. */
#include "env/fault.h"
#include "env/fault_kinds.h"

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
	if (r->p.kind_mask && !r->p.blackhole && !(r->p.kind_mask & (1u << skb_kind(skb))))
		return false;
	if (r->p.has_during && (now < r->p.t_lo || now >= r->p.t_hi))
		return false;
	return true;
}

enum fault_verdict fault_apply(struct world *w, struct host *from, struct host *to,
			       struct sk_buff *skb, struct fault_effect *eff)
{
	sim_time_t now = sim_now(w->sim);

	for (guint i = 0; i < w->faults->len; i++) {
		struct fault_rule *r = g_ptr_array_index(w->faults, i);
		const struct fault_kind_ops *ops = r->ops;

		if (!rule_matches(r, from, to, skb, now) || !ops->fires(&r->p, &r->st))
			continue;
		r->st.fired++;
		sim_trace(w->sim, from->name, NULL, "fault_fire", NULL,
			  "rule=%s kind=%s action=%s pkt=%s id=%" G_GUINT64_FORMAT " fired=%" G_GUINT64_FORMAT,
			  r->label, ops->name, ops->action,
			  pkt_kind_name(skb_kind(skb)), skb->id, r->st.fired);
		switch (ops->effect) {
		case FAULT_EFFECT_DELAY:
			eff->extra_delay = sim_time_add(eff->extra_delay, r->p.extra);
			break;
		case FAULT_EFFECT_DUPLICATE:
			eff->duplicates++;
			eff->dup_rule = r->label;
			break;
		case FAULT_EFFECT_ICMP:
			eff->drop_rule = r->label;
			__icmp_send(&(r->router ? r->router : to)->net, skb, r->p.icmp_type, r->p.icmp_code);
			return FAULT_DROPPED;
		case FAULT_EFFECT_DROP:
			eff->drop_rule = r->label;
			return FAULT_DROPPED;
		}
	}
	return FAULT_PASS;
}
