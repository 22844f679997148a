/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the wire between hosts.  A packet leaves a host, passes
 * the fault rules, waits for the link (serialisation at the link rate), and
 * arrives after the link delay plus jitter.  Traffic to the host's own
 * address or 127/8 is looped back at once: inside a send() to the kernel's
 * netif_rx() (processed before the call returns), otherwise as an event.
 */
#include <glib.h>

#include "env/fault.h"
#include "env/world.h"
#include "net/ipv4.h"
#include "trace/events/net.h"
#include "sim/trace.h"

/*
 * A packet on its way: its arrival event and its copy of the packet in one
 * slab object (kernel_zalloc), so that the arrival reads one object, not an
 * event, a delivery and an skb.  One still on the link when the run ends
 * goes with the slab.
 */
struct delivery {
	struct sim_event ev;
	struct host *to;
	struct sk_buff skb;
};

static void wire_deliver(struct sim *sim, struct sim_event *ev)
{
	struct delivery *d = container_of(ev, struct delivery, ev);
	struct net *net = &d->to->net;

	trace_net_rcv(net, &d->skb);
	ip_rcv(net, &d->skb);
	kernel_zfree(net->ks, d, sizeof(*d));
}

/*
 * sim_set_prefetch()'s hint for a packet about to arrive: the rest of the
 * delivery (the engine loads its first two lines) and the socket lookup.
 */
static void wire_deliver_prefetch(const struct sim_event *ev, unsigned int stage)
{
	const struct delivery *d = container_of(ev, const struct delivery, ev);

	if (stage == 2) {
		__builtin_prefetch((const char *)d + 128);
		__builtin_prefetch((const char *)d + 192);
		return;
	}
	inet_lookup_prefetch(&d->to->net, &d->skb, stage);
}

void wire_init(struct world *w)
{
	sim_set_prefetch(w->sim, wire_deliver, wire_deliver_prefetch);
}

/* Bytes still waiting for the link in this direction (a drop-tail queue). */
static uint64_t link_backlog(const struct link *l, int dir, sim_time_t now)
{
	if (!l->rate_bps || l->busy_until[dir] <= now)
		return 0;
	return (uint64_t)(((unsigned __int128)(l->busy_until[dir] - now) * l->rate_bps) / 8000000000u);
}

static sim_time_t link_transit(struct link *l, struct host *from, uint32_t bytes,
			       sim_time_t now)
{
	int dir = l->a == from ? 0 : 1;
	sim_time_t start = now > l->busy_until[dir] ? now : l->busy_until[dir];
	sim_time_t ser = 0, delay = l->delay;

	if (l->rate_bps)
		ser = (sim_time_t)(((unsigned __int128)bytes * 8 * 1000000000u +
				    l->rate_bps - 1) / l->rate_bps);
	l->busy_until[dir] = sim_time_add(start, ser);
	if (l->jitter) {
		/* uniform in [delay - jitter, delay + jitter], clamped at 0 */
		uint64_t span = 2 * l->jitter + 1;
		int64_t off = (int64_t)sim_rng_below(&l->rng, span) - (int64_t)l->jitter;

		delay = off < 0 && (sim_time_t)-off > delay ? 0 : delay + (sim_time_t)off;
	}
	return sim_time_add(l->busy_until[dir], delay) - now;
}

/* A copy of @skb (the same packet, same id) arrives at @to at @at. */
static void schedule_delivery(struct world *w, struct host *from, struct host *to,
			      const struct sk_buff *skb, sim_time_t at)
{
	struct delivery *d;

	/* loopback_xmit() -> netif_rx(): inside a send() the packet is processed
	 * before the call returns (models/net/core/dev.c:dev_queue_xmit) */
	if (to == from && at == sim_now(w->sim) && netif_rx_in_call(&to->net)) {
		netif_rx(&to->net, skb_clone(&to->net, skb));
		return;
	}
	d = kernel_zalloc(&w->ks, sizeof(*d));

	sim_event_init(&d->ev, wire_deliver, "wire_deliver");
	d->to = to;
	d->skb = *skb;
	sim_event_schedule(w->sim, &d->ev, at);
}

/* observer hook: a packet on the wire (capture files) */
static void wire_tap(struct world *w, const struct wire_tap_pkt *p)
{
	if (w->tap.ip)
		w->tap.ip(w->tap.opaque, p);
}

int wire_xmit(struct net *net, struct sk_buff *skb)
{
	struct host *from = host_of(net);
	struct world *w = from->world;
	sim_time_t now = sim_now(w->sim);
	struct fault_effect eff = { 0 };
	struct host *to;
	struct link *l = NULL;
	sim_time_t transit = 0;
	/* the trace's text only when there is a trace */
	g_autofree char *desc = sim_trace_sink(w->sim) ? skb_describe(skb) : NULL;

	to = ipv4_is_loopback(skb->daddr) || skb->daddr == from->addr ?
		from : world_host_by_addr(w, skb->daddr);
	if (to && to != from)
		l = world_find_link(w, from, to);
	/* __dev_queue_xmit(): the interface's root qdisc first (a looped-back
	 * packet goes through lo, which has none) */
	if (to != from && !qdisc_enqueue(&from->qdisc)) {
		trace_net_drop(net, skb, DROP_QDISC);
		sim_trace(w->sim, from->name, NULL, "qdisc_drop", "net/sched/sch_generic.c:qdisc_drop",
			  "qdisc=%s limit=%u id=%" G_GUINT64_FORMAT, qdisc_kind_name(from->qdisc.kind),
			  from->qdisc.limit, skb->id);
		kfree_skb(net, skb);
		return NET_XMIT_DROP;
	}
	if (desc)	/* NULL without a trace: no call */
		sim_trace(w->sim, from->name, NULL, "net_dev_xmit", NULL, "%s", desc);
	trace_net_xmit(net, skb);
	if (!to || (to != from && !l)) {
		trace_net_drop(net, skb, DROP_NO_LINK);
		sim_trace(w->sim, from->name, NULL, "wire_drop", NULL,
			  "reason=no-link id=%" G_GUINT64_FORMAT, skb->id);
		/* observer hook: capture */
		wire_tap(w, &(struct wire_tap_pkt){ .from = from, .to = to, .skb = skb,
						    .drop = "no link to the destination" });
		kfree_skb(net, skb);
		return NET_XMIT_SUCCESS;
	}
	if (fault_apply(w, from, to, skb, &eff) == FAULT_DROPPED) {
		trace_net_drop(net, skb, DROP_FAULT);
		/* observer hook: capture */
		wire_tap(w, &(struct wire_tap_pkt){ .from = from, .to = to, .skb = skb,
						    .drop = eff.drop_rule });
		kfree_skb(net, skb);
		return NET_XMIT_SUCCESS;
	}
	if (l && l->queue_bytes &&
	    link_backlog(l, l->a == from ? 0 : 1, now) + skb_wire_bytes(skb) > l->queue_bytes) {
		trace_net_drop(net, skb, DROP_QUEUE_FULL);
		sim_trace(w->sim, from->name, NULL, "wire_drop", NULL,
			  "reason=queue-full id=%" G_GUINT64_FORMAT, skb->id);
		/* observer hook: capture */
		wire_tap(w, &(struct wire_tap_pkt){ .from = from, .to = to, .skb = skb,
						    .drop = "link queue full (drop-tail)" });
		kfree_skb(net, skb);
		return NET_XMIT_SUCCESS;
	}
	/* A duplicate is a second copy on the link: it queues behind the first. */
	for (unsigned i = 0; i <= eff.duplicates; i++) {
		if (l)
			transit = link_transit(l, from, skb_wire_bytes(skb), now);
		if (i)
			trace_net_xmit(net, skb);	/* a duplicate is a second packet on the wire */
		/* observer hook: capture */
		wire_tap(w, &(struct wire_tap_pkt){ .from = from, .to = to, .skb = skb,
						    .arrive = sim_time_add(sim_time_add(now, transit), eff.extra_delay),
						    .note = i ? eff.dup_rule : NULL });
		schedule_delivery(w, from, to, skb, sim_time_add(sim_time_add(now, transit), eff.extra_delay));
	}
	kfree_skb(net, skb);
	return NET_XMIT_SUCCESS;
}
