/* SPDX-License-Identifier: MIT */
/*
 * Route lookup for connect().  Models: net/ipv4/route.c:ip_route_output_key_hash_rcu
 * and net/ipv4/fib_semantics.c:fib_props (route type -> errno), @ v6.18.
 * Simplifications: one address per host; hosts joined by a `link` reach each
 * other directly; extra routes are exact prefixes of type unreachable,
 * prohibit or blackhole, checked longest prefix first.
 */
#include <glib.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"

bool ipv4_is_loopback(uint32_t a)
{
	return (a >> 24) == 127;
}

bool ipv4_is_multicast(uint32_t a)
{
	return (a >> 28) == 0xe;
}

bool ipv4_is_lbcast(uint32_t a)
{
	return a == 0xffffffffu;
}

static const struct route *fib_lookup(struct net *net, uint32_t daddr)
{
	const struct route *best = NULL;

	for (guint i = 0; i < net->routes->len; i++) {
		const struct route *r = g_ptr_array_index(net->routes, i);
		uint32_t mask = r->plen ? ~0u << (32 - r->plen) : 0;

		if ((daddr & mask) == (r->prefix & mask) && (!best || r->plen > best->plen))
			best = r;
	}
	return best;
}

/*
 * Models: include/net/dst.h:dst_mtu() via net/ipv4/route.c:ipv4_mtu() and
 * net/ipv6/route.c:ip6_mtu() — the MTU of the route's output device.  A
 * local destination (127/8, ::1 whose key is 127.0.0.6, or the host's own
 * address: the kernel's local table routes them via lo) leaves on the
 * loopback device, MTU 65536; IPv4 caps it at IP_MAX_MTU (65535), IPv6 at
 * IP6_MAX_MTU (above 65536).  Anything else leaves on the host's one
 * Ethernet-like interface, MTU 1500.  key is the IPv4 key of the
 * destination (rtable_sim.daddr, rt6_sim.rkey).
 */
uint32_t dst_mtu_to(const struct net *net, uint32_t key, int family)
{
	if (ipv4_is_loopback(key) || key == net->addr)
		return family == AF_INET6 ? LOOPBACK_MTU : MIN(LOOPBACK_MTU, 0xFFFFu);
	return ETH_DATA_LEN;
}

/* Models: include/net/route.h:ip_route_connect() */
int ip_route_connect(struct net *net, uint32_t daddr, struct rtable_sim *rt)
{
	const struct route *r;
	const struct net_env_ops *ops = net->ks->ops;

	if (daddr == 0)		/* INADDR_ANY: connect to ourselves via loopback */
		daddr = 0x7f000001;
	rt->daddr = daddr;
	rt->mtu = dst_mtu_to(net, daddr, AF_INET);
	if (ipv4_is_loopback(daddr)) {
		rt->saddr = daddr == 0x7f000001 ? 0x7f000001 : daddr;
		return 0;
	}
	if (daddr == net->addr) {
		rt->saddr = net->addr;
		return 0;
	}
	r = fib_lookup(net, daddr);
	if (r) {
		switch (r->type) {
		case RTN_UNREACHABLE:
			return -SIM_EHOSTUNREACH;
		case RTN_PROHIBIT:
			return -SIM_EACCES;
		case RTN_BLACKHOLE:
			return -SIM_EINVAL;
		default:
			break;
		}
	}
	if (ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr))
		return -SIM_ENETUNREACH;
	/* the neighbour table of the one interface: a host joined by a link */
	if (!ops || !ops->neigh_lookup || !ops->neigh_lookup(net, daddr)) {
		NET_INC_STATS(net, OutNoRoutes);
		return -SIM_ENETUNREACH;
	}
	rt->saddr = net->addr;
	return 0;
}
