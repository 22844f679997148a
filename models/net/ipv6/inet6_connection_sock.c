/* SPDX-License-Identifier: MIT */
/*
 * The IPv6 side of a connection socket's transmit path.
 * Models: net/ipv6/inet6_connection_sock.c @ v6.18, and the af_ops
 * (ipv6_specific / ipv6_mapped in net/ipv6/tcp_ipv6.c) that choose it.
 */
#include <glib.h>

#include "net/ipv4.h"
#include "net/ipv6.h"

/* A native IPv6 socket uses ipv6_specific; a v4-mapped peer ipv6_mapped (IPv4). */
static bool ipv6_specific(const struct sock *sk)
{
	return sk->sk_family == AF_INET6 && !ipv6_addr_v4mapped(&sk->sk_v6_daddr);
}

/* Models: net/ipv6/tcp_ipv6.c:ipv6_specific.net_header_len (sizeof(struct ipv6hdr)) */
unsigned int inet_csk_net_header_len(const struct sock *sk)
{
	return ipv6_specific(sk) ? 40u : 20u;
}

/*
 * Models: net/ipv6/inet6_connection_sock.c:inet6_csk_xmit() — the IPv6
 * header from sk_v6_rcv_saddr and sk_v6_daddr; saddr/daddr keep the IPv4
 * key the wire and the tables use.
 */
void inet6_csk_xmit(const struct sock *sk, struct sk_buff *skb)
{
	if (!ipv6_specific(sk))
		return;
	skb->family = AF_INET6;
	skb->saddr6 = sk->sk_v6_rcv_saddr;
	skb->daddr6 = sk->sk_v6_daddr;
}

/* Models: net/ipv6/route.c:ip6_default_advmss() / net/ipv4/route.c:ipv4_default_advmss()
 * of the route back to the peer (inet_csk_route_req()): its MTU (dst_mtu_to) -
 * IP header - TCP header. */
uint32_t req_advmss(const struct request_sock *req)
{
	int family = req->family == AF_INET6 ? AF_INET6 : AF_INET;

	return dst_mtu_to(sock_net(req->rsk_listener), req->rmt_addr, family) -
	       (family == AF_INET6 ? 40u : 20u) - 20u;
}
