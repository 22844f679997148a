/* SPDX-License-Identifier: MIT */
/* ICMPv6: the errno table, sending an error for a fault rule, receiving one. */
#include <glib.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "sim/trace.h"

/*
 * Models: net/ipv6/icmp.c:icmpv6_err_convert() and its tab_unreach[] @ v6.18 —
 * the errno (positive) of an ICMPv6 error and whether the kernel calls it
 * fatal.  An unreachable code past the table, and any other type, is EPROTO
 * (fatal for an unknown unreachable code).
 */
int icmpv6_err_convert(uint8_t type, uint8_t code, bool *fatal)
{
	static const struct { int err; bool fatal; } tab_unreach[] = {
		[ICMPV6_NOROUTE] = { SIM_ENETUNREACH, false },
		[ICMPV6_ADM_PROHIBITED] = { SIM_EACCES, true },
		[ICMPV6_NOT_NEIGHBOUR] = { SIM_EHOSTUNREACH, false },	/* now reserved */
		[ICMPV6_ADDR_UNREACH] = { SIM_EHOSTUNREACH, false },
		[ICMPV6_PORT_UNREACH] = { SIM_ECONNREFUSED, true },
		[ICMPV6_POLICY_FAIL] = { SIM_EACCES, true },
		[ICMPV6_REJECT_ROUTE] = { SIM_EACCES, true },
	};

	*fatal = false;
	switch (type) {
	case ICMPV6_DEST_UNREACH:
		if (code >= G_N_ELEMENTS(tab_unreach)) {
			*fatal = true;
			return SIM_EPROTO;
		}
		*fatal = tab_unreach[code].fatal;
		return tab_unreach[code].err;
	case ICMPV6_PKT_TOOBIG:
		return SIM_EMSGSIZE;
	case ICMPV6_PARAMPROB:
		*fatal = true;
		return SIM_EPROTO;
	case ICMPV6_TIME_EXCEED:
		return SIM_EHOSTUNREACH;
	default:
		return SIM_EPROTO;
	}
}

/*
 * Models: net/ipv6/icmp.c:icmp6_send() — an ICMPv6 error quoting the IPv6
 * packet @orig, sent back to its source.  The source address is the
 * offending packet's destination when that is the sender's own (icmp6_send
 * takes hdr->daddr when ipv6_chk_addr() finds it local: ::1, a host's own
 * address), else the router's global IPv6 address; a router without one
 * answers from the quoted destination too (the model has no router
 * addresses of other scopes).  No rate limit (icmpv6_xrlim_allow), as for
 * ICMPv4 in the model.
 */
void icmp6_send(struct net *router, const struct sk_buff *orig, uint8_t type, uint8_t code)
{
	struct sk_buff *skb = skb_alloc(router);
	bool local = ipv6_addr_equal(&orig->daddr6, &router->addr6) ||
		     (ipv6_addr_type(&orig->daddr6) & IPV6_ADDR_LOOPBACK);

	skb->protocol = IPPROTO_ICMPV6;
	skb->family = AF_INET6;
	skb->saddr = router->addr;
	skb->daddr = orig->saddr;
	skb->saddr6 = local || !router->has_addr6 ? orig->daddr6 : router->addr6;
	skb->daddr6 = orig->saddr6;
	skb->icmp_type = type;
	skb->icmp_code = code;
	skb_icmp_quote(skb, orig);
	if (type == ICMPV6_DEST_UNREACH)
		NET_INC_STATS(router, Icmp6OutDestUnreachs);
	sim_trace(router->sim, router->name, NULL, "icmp6_send", "net/ipv6/icmp.c:icmp6_send",
		  "type=%u code=%u", type, code);
	dev_queue_xmit(router, skb);
}

/*
 * Models: net/ipv6/icmp.c:icmpv6_rcv() -> icmpv6_notify() — an error is
 * handed to the protocol of the quoted packet (TCP: tcp_v6_err).
 */
void icmpv6_rcv(struct net *net, const struct sk_buff *skb)
{
	if (skb->icmp_type == ICMPV6_DEST_UNREACH)
		NET_INC_STATS(net, Icmp6InDestUnreachs);
	tcp_v6_err(net, skb);
}
