/* SPDX-License-Identifier: MIT */
/* Not kernel code: fault rules applied to packets on the wire. */
#include "env/fault.h"
#include "env/fault_kinds.h"

#include <glib.h>
#include <string.h>

#include "net/inet_ecn.h"
#include "net/ipv4.h"
#include "sim/trace.h"

void fault_rule_free(struct fault_rule *r)
{
	if (!r)
		return;
	g_free(r->label);
	g_free(r);
}

/*
 * The names a `fault icmp type=NAME` takes.  Each names one error for an
 * IPv4 packet (ICMP, include/uapi/linux/icmp.h) and one for an IPv6 packet
 * (ICMPv6, include/uapi/linux/icmpv6.h), so one rule answers either family.
 * Where the kernel itself pairs two errors it is that pair: no route
 * (net/ipv4/route.c:ip_error NET_UNREACH / net/ipv6/route.c:ip6_pkt_drop
 * NOROUTE), a neighbour that never answered (ipv4_link_failure HOST_UNREACH /
 * ip6_link_failure ADDR_UNREACH), a prohibit route (ip_error PKT_FILTERED /
 * ip6_pkt_prohibit ADM_PROHIBITED).  The others are RFC 7915's translation:
 * section 4.2 gives the ICMPv6 column of the IPv4 names, 5.2 the ICMPv4
 * column of the ICMPv6 names.
 */
static const struct {
	const char *name;
	uint8_t type, code;	/* ICMPv4 */
	uint8_t type6, code6;	/* ICMPv6 */
} icmp_names[] = {
	{ "net-unreachable", ICMP_DEST_UNREACH, ICMP_NET_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "host-unreachable", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH },
	{ "protocol-unreachable", ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR },
	{ "port-unreachable", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH },
	{ "frag-needed", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMPV6_PKT_TOOBIG, 0 },
	{ "source-route-failed", ICMP_DEST_UNREACH, ICMP_SR_FAILED, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "net-unknown", ICMP_DEST_UNREACH, ICMP_NET_UNKNOWN, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "host-unknown", ICMP_DEST_UNREACH, ICMP_HOST_UNKNOWN, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "host-isolated", ICMP_DEST_UNREACH, ICMP_HOST_ISOLATED, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "net-prohibited", ICMP_DEST_UNREACH, ICMP_NET_ANO, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ "host-prohibited", ICMP_DEST_UNREACH, ICMP_HOST_ANO, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ "packet-filtered", ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ "time-exceeded", ICMP_TIME_EXCEEDED, 0, ICMPV6_TIME_EXCEED, 0 },
	{ "parameter-problem", ICMP_PARAMETERPROB, 0, ICMPV6_PARAMPROB, 0 },
	/* ICMPv6 names (RFC 4443); the ICMPv4 column is RFC 7915 section 5.2 */
	{ "no-route", ICMP_DEST_UNREACH, ICMP_NET_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE },
	{ "adm-prohibited", ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, ICMPV6_DEST_UNREACH, ICMPV6_ADM_PROHIBITED },
	{ "beyond-scope", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_NOT_NEIGHBOUR },
	{ "addr-unreachable", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH },
	{ "policy-fail", ICMP_DEST_UNREACH, ICMP_HOST_ANO, ICMPV6_DEST_UNREACH, ICMPV6_POLICY_FAIL },
	{ "reject-route", ICMP_DEST_UNREACH, ICMP_HOST_ANO, ICMPV6_DEST_UNREACH, ICMPV6_REJECT_ROUTE },
	{ "packet-too-big", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMPV6_PKT_TOOBIG, 0 },
};

bool icmp_type_from_name(const char *name, struct fault_params *p)
{
	for (size_t i = 0; i < G_N_ELEMENTS(icmp_names); i++)
		if (strcmp(icmp_names[i].name, name) == 0) {
			p->icmp_type = icmp_names[i].type;
			p->icmp_code = icmp_names[i].code;
			p->icmp6_type = icmp_names[i].type6;
			p->icmp6_code = icmp_names[i].code6;
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
			if (skb->family == AF_INET6)
				icmp6_send(&(r->router ? r->router : to)->net, skb,
					   r->p.icmp6_type, r->p.icmp6_code);
			else
				__icmp_send(&(r->router ? r->router : to)->net, skb,
					    r->p.icmp_type, r->p.icmp_code);
			return FAULT_DROPPED;
		case FAULT_EFFECT_DROP:
			eff->drop_rule = r->label;
			return FAULT_DROPPED;
		case FAULT_EFFECT_CE:
			/* RFC 3168 5: a router marks ECT(0)/ECT(1) packets CE
			 * instead of dropping them; a Not-ECT one passes as it is */
			if (skb->ecn == INET_ECN_ECT_0 || skb->ecn == INET_ECN_ECT_1)
				skb->ecn = INET_ECN_CE;
			break;
		}
	}
	return FAULT_PASS;
}
