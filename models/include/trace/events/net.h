/* SPDX-License-Identifier: MIT */
/* Packet probes on the wire (the kernel's include/trace/events/net.h role). */
#ifndef MODELS_TRACE_EVENTS_NET_H
#define MODELS_TRACE_EVENTS_NET_H

#include "net/skb.h"
#include "trace/events.h"

/* @skb leaves @from's interface (before any fault rule sees it). */
static inline void trace_net_xmit(struct net *from, const struct sk_buff *skb)
{
	TRACE_EMIT(from->ks, net_xmit, from, skb);
}

/* @skb reaches @to's interface (ip_rcv is next). */
static inline void trace_net_rcv(struct net *to, const struct sk_buff *skb)
{
	TRACE_EMIT(to->ks, net_rcv, to, skb);
}

static inline void trace_net_drop(struct net *from, const struct sk_buff *skb,
				  enum trace_drop_reason reason)
{
	TRACE_EMIT(from->ks, net_drop, from, skb, reason);
}

#endif
