/* SPDX-License-Identifier: MIT */
/* Models: net/ipv4/ip_input.c:ip_local_deliver_finish() — hand a packet to TCP or ICMP. */
#include <glib.h>

#include "net/ipv4.h"
#include "net/ipv6.h"
#include "sim/trace.h"

void ip_rcv(struct net *net, struct sk_buff *skb)
{
	if (net->scripted) {
		/* a scripted peer only records what reached it */
		g_autofree char *desc = sim_trace_sink(net->sim) ? skb_describe(skb) : NULL;

		sim_trace(net->sim, net->name, NULL, "scripted_rcv", NULL, "%s", desc);
		return;
	}
	if (skb->protocol == IPPROTO_ICMP) {
		/* net/ipv4/icmp.c:icmp_unreach() -> tcp_v4_err() */
		if (skb->icmp_type == ICMP_DEST_UNREACH)
			NET_INC_STATS(net, InDestUnreachs);
		tcp_v4_err(net, skb);
		return;
	}
	if (skb->protocol == IPPROTO_ICMPV6) {	/* ipv6_rcv -> icmpv6_rcv */
		icmpv6_rcv(net, skb);
		return;
	}
	tcp_v4_rcv(net, skb);
}
