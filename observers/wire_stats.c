/* SPDX-License-Identifier: MIT */
/* Not kernel code: packet counters from the wire's events. */
#include "wire_stats.h"

#include <glib.h>

static void on_xmit(void *ctx, struct net *from, const struct sk_buff *skb)
{
	((struct wire_stats *)ctx)->sent[skb_kind(skb)]++;
}

static void on_rcv(void *ctx, struct net *to, const struct sk_buff *skb)
{
	((struct wire_stats *)ctx)->delivered[skb_kind(skb)]++;
}

static void on_drop(void *ctx, struct net *from, const struct sk_buff *skb,
		    enum trace_drop_reason reason)
{
	((struct wire_stats *)ctx)->dropped[skb_kind(skb)]++;
}

struct wire_stats *wire_stats_new(struct kernel_shared *ks)
{
	struct wire_stats *ws = g_new0(struct wire_stats, 1);

	ws->sub = (struct trace_subscriber){
		.ctx = ws, .net_xmit = on_xmit, .net_rcv = on_rcv, .net_drop = on_drop,
	};
	trace_subscribe(ks, &ws->sub);
	return ws;
}

void wire_stats_free(struct wire_stats *ws)
{
	g_free(ws);
}
