/* SPDX-License-Identifier: MIT */
/* net/core/dev.c: the transmit path from the stack into the device. */
#include <glib.h>

#include "net/ipv4.h"

/*
 * Models: net/core/dev.c:dev_queue_xmit() — the one interface's
 * ndo_start_xmit is the environment's wire (struct net_env_ops.xmit).  A bare
 * namespace has no device: the packet is freed, as a down interface drops it.
 */
void dev_queue_xmit(struct net *net, struct sk_buff *skb)
{
	const struct net_env_ops *ops = net->ks->ops;

	if (ops && ops->xmit)
		ops->xmit(net, skb);
	else
		kfree_skb(net, skb);
}
