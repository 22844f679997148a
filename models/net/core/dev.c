/* SPDX-License-Identifier: MIT */
/* net/core/dev.c: the transmit path from the stack into the device, and the
 * receive softirq for what loopback hands back. */
#include <glib.h>

#include "net/ipv4.h"
#include "trace/events/net.h"

/*
 * Models: net/core/dev.c:net_rx_action() -> process_backlog() — the
 * NET_RX softirq drains the CPU's input_pkt_queue, in order, including what
 * the packets it processes send to loopback meanwhile (their ACKs).
 */
static void net_rx_action(struct net *net)
{
	struct softnet_data *sd = &net->softnet;
	struct sk_buff *skb;

	sd->in_softirq = true;
	while ((skb = g_queue_pop_head(&sd->input_pkt_queue))) {
		trace_net_rcv(net, skb);
		ip_rcv(net, skb);	/* __netif_receive_skb() */
		kfree_skb(net, skb);
	}
	sd->in_softirq = false;
}

/*
 * Models: net/core/dev.c:netif_rx() -> enqueue_to_backlog() — loopback_xmit()
 * queues the packet for the receive softirq of this CPU (socksim: of this
 * namespace, one CPU).  Takes @skb.
 */
void netif_rx(struct net *net, struct sk_buff *skb)
{
	g_queue_push_tail(&net->softnet.input_pkt_queue, skb);
}

/*
 * Whether loopback traffic of @net is processed inside the calling syscall
 * (netif_rx() + the softirq at local_bh_enable()) rather than as an event of
 * its own: while a send() runs (net/ipv4/tcp.c:tcp_sendmsg() holds the
 * socket), see struct softnet_data.
 */
bool netif_rx_in_call(const struct net *net)
{
	return net->softnet.process_ctx > 0;
}

/*
 * Models: net/core/dev.c:dev_queue_xmit() — the one interface's qdisc and
 * ndo_start_xmit are the environment's device (struct net_env_ops.xmit);
 * what the qdisc's enqueue returned comes back up (__dev_xmit_skb's rc:
 * NET_XMIT_DROP from qdisc_drop(), which ip_queue_xmit passes on to
 * __tcp_transmit_skb).  A bare namespace has no device: the packet is
 * freed, as a down interface drops it.
 * __dev_queue_xmit() runs under rcu_read_lock_bh(): the local_bh_enable() at
 * its end runs the receive softirq that loopback_xmit() raised, unless the
 * caller is that softirq already (do_softirq() is not reentered).
 */
int dev_queue_xmit(struct net *net, struct sk_buff *skb)
{
	const struct net_env_ops *ops = net->ks->ops;
	int rc = NET_XMIT_SUCCESS;

	if (ops && ops->xmit)
		rc = ops->xmit(net, skb);
	else
		kfree_skb(net, skb);
	if (!net->softnet.in_softirq && !g_queue_is_empty(&net->softnet.input_pkt_queue))
		net_rx_action(net);
	return rc;
}
