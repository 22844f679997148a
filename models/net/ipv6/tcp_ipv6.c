/* SPDX-License-Identifier: MIT */
/* IPv6-specific TCP.  Models: net/ipv6/tcp_ipv6.c @ v6.18. */
#include <glib.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/net_namespace.h"
#include "sim/trace.h"

#define LOOPBACK4_IPV6	0x7f000006u	/* include/net/ipv6.h */
#define IPV6_MIN_MTU	1280u		/* include/linux/ipv6.h */

/* The route's source address and the IPv4 keys the wire and the tables use. */
struct rt6_sim {
	struct in6_addr_sim saddr;
	uint32_t lkey, rkey;
};

/*
 * Models: net/ipv6/route.c:ip6_dst_lookup_flow() — ::1 and the host's own
 * IPv6 address are local; a host with an IPv6 address (`host NAME ADDR
 * ADDR6`) joined by a link is on-link, if this host has one too; anything
 * else has no route: ENETUNREACH, as on a kernel whose only IPv6 address is
 * ::1 (tests/kernel/diff_ipv6.py measures it).
 */
static int ip6_dst_lookup_flow(struct net *net, const struct in6_addr_sim *daddr,
			       struct rt6_sim *rt)
{
	const struct net_env_ops *ops = net->ks->ops;
	struct net *peer;

	if (ipv6_addr_type(daddr) & IPV6_ADDR_LOOPBACK) {
		rt->saddr = *daddr;
		rt->lkey = rt->rkey = LOOPBACK4_IPV6;
		return 0;
	}
	if (!net->has_addr6)
		return -SIM_ENETUNREACH;
	rt->saddr = net->addr6;
	rt->lkey = rt->rkey = net->addr;
	if (ipv6_addr_equal(daddr, &net->addr6))
		return 0;
	peer = ops && ops->neigh_lookup6 ? ops->neigh_lookup6(net, daddr) : NULL;
	if (!peer)
		return -SIM_ENETUNREACH;
	rt->rkey = peer->addr;
	return 0;
}

/*
 * Models: net/ipv6/tcp_ipv6.c:tcp_v6_connect().  Length before family
 * (an AF_INET sockaddr of 16 bytes is EINVAL, of 28 EAFNOSUPPORT); "::"
 * means loopback; multicast ENETUNREACH; link-local needs a bound device
 * (never, here: EINVAL); a v4-mapped address is tcp_v4_connect() on the
 * same socket (the kernel's ipv6_mapped af_ops), ENETUNREACH on an
 * IPV6_V6ONLY socket.
 */
int tcp_v6_connect(struct sock *sk, const struct sockaddr_sim *usin)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct in6_addr_sim daddr = usin->sin6_addr;
	struct rt6_sim rt;
	unsigned int addr_type;
	int err;

	if (usin->addrlen < SIN6_LEN_RFC2133)
		return -SIM_EINVAL;
	if (usin->family != AF_INET6)
		return -SIM_EAFNOSUPPORT;
	if (ipv6_addr_any(&daddr)) {	/* connect() to INADDR_ANY means loopback */
		if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			ipv6_addr_set_v4mapped(0x7f000001u, &daddr);
		else
			daddr = (struct in6_addr_sim){ .s6_addr = { [15] = 1 } };
	}
	addr_type = ipv6_addr_type(&daddr);
	if (addr_type & IPV6_ADDR_MULTICAST)
		return -SIM_ENETUNREACH;
	if (addr_type & IPV6_ADDR_LINKLOCAL)
		return -SIM_EINVAL;	/* no SO_BINDTODEVICE / sin6_scope_id here */
	sk->sk_v6_daddr = daddr;

	if (addr_type & IPV6_ADDR_MAPPED) {	/* TCP over IPv4 */
		struct sockaddr_sim sin = {
			.family = AF_INET, .addr = ipv6_addr_v4(&daddr),
			.port = usin->port, .addrlen = 16,
		};

		if (sk->sk_ipv6only)
			return -SIM_ENETUNREACH;
		err = tcp_v4_connect(sk, &sin);
		if (err) {
			sk->inet_dport = 0;
			return err;
		}
		ipv6_addr_set_v4mapped(sk->inet_saddr, &sk->sk_v6_rcv_saddr);
		return 0;
	}

	err = ip6_dst_lookup_flow(net, &daddr, &rt);
	if (err) {	/* Ip6OutNoRoutes: IPv6 MIBs are not modelled */
		sk->inet_dport = 0;
		return err;
	}
	if (ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		sk->sk_v6_rcv_saddr = rt.saddr;
	/* The kernel puts LOOPBACK4_IPV6 in inet_rcv_saddr; the model keeps the
	 * IPv4 keys of the route there, which the wire and ehash use (for ::1
	 * they are LOOPBACK4_IPV6). */
	sk->inet_saddr = sk->inet_rcv_saddr = rt.lkey;
	sk->inet_daddr = rt.rkey;
	sk->sk_dst_mtu = dst_mtu_to(net, rt.rkey, AF_INET6);	/* ip6_dst_store() */
	tp->rx_opt_mss_clamp = IPV6_MIN_MTU - 20 - 40;
	sk->inet_dport = usin->port;

	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(sk);
	if (err)
		goto late_failure;
	sk->inet_sport = sk->inet_num;
	if (!tp->write_seq)
		tp->write_seq = secure_tcp_seq(net);	/* secure_tcpv6_seq() */
	err = tcp_connect(sk);
	if (err)
		goto late_failure;
	return 0;

late_failure:
	tcp_set_state(sk, TCP_CLOSE);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);	/* inet_bhash2_reset_saddr() */
	sk->inet_dport = 0;
	return err;
}

/*
 * Models: net/ipv6/tcp_ipv6.c:tcp_v6_err() — an ICMPv6 error for the TCP
 * socket of the quoted packet (found by its addresses: the model's tables
 * use the IPv4 keys the packet carried).  Outside [snd_una, snd_nxt] it is
 * ignored (OutOfWindowIcmps); PKT_TOOBIG only updates the path MTU
 * (tcp_v6_mtu_reduced; the model has no PMTU, so nothing happens).  In
 * SYN_SENT/SYN_RECV every error is hard, fatal or not: the connect fails at
 * once (the socket is never owned by the user here).  In other states the
 * error is hard only with IPV6_RECVERR (np->recverr, not modelled: never),
 * so it is sk_err_soft, reported if the connection later times out (a
 * listener too).  No tcp_ld_RTO_revert for NOROUTE, as on the IPv4 side.
 */
void tcp_v6_err(struct net *net, const struct sk_buff *icmp)
{
	struct sock *sk = inet_lookup_established(net, icmp->q_daddr, icmp->q_dest,
						  icmp->q_saddr, icmp->q_source);
	const struct tcp_sock *tp;
	bool fatal;
	int err;
	char label[16];

	if (!sk)
		return;
	tp = tcp_sk(sk);
	if (sk->sk_state != TCP_LISTEN &&
	    (before(icmp->q_seq, tp->snd_una) || after(icmp->q_seq, tp->snd_nxt)))
		return;
	err = icmpv6_err_convert(icmp->icmp_type, icmp->icmp_code, &fatal);
	if (icmp->icmp_type == ICMPV6_PKT_TOOBIG)
		return;
	sock_label(sk, label, sizeof(label));
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		sim_trace(net->sim, net->name, label, "tcp_v6_err", "net/ipv6/tcp_ipv6.c:tcp_v6_err",
			  "errno=%s hard=yes fatal=%s", sim_errno_name(err), fatal ? "yes" : "no");
		tcp_done_with_error(sk, err);
		return;
	}
	sim_trace(net->sim, net->name, label, "tcp_v6_err", "net/ipv6/tcp_ipv6.c:tcp_v6_err",
		  "errno=%s hard=no fatal=%s", sim_errno_name(err), fatal ? "yes" : "no");
	sk->sk_err_soft = err;
}

/* Models: net/ipv6/tcp_ipv6.c:tcp_v6_init_req() — the request's IPv6 addresses. */
void tcp_v6_init_req(struct request_sock *req, const struct sk_buff *skb)
{
	req->family = AF_INET6;
	req->ir_v6_rmt_addr = skb->saddr6;
	req->ir_v6_loc_addr = skb->daddr6;
}

/* Models: net/ipv6/tcp_ipv6.c:tcp_v6_send_response() — the reply's IPv6 header. */
void tcp_v6_reply_hdr(struct sk_buff *reply, const struct sk_buff *skb)
{
	reply->family = AF_INET6;
	reply->saddr6 = skb->daddr6;
	reply->daddr6 = skb->saddr6;
}

/*
 * Models: net/ipv6/ipv6_sockglue.c:do_ipv6_setsockopt() — IPV6_V6ONLY only;
 * once the socket has a local port it is EINVAL.  Other levels go to TCP
 * (net/ipv4/tcp.c:tcp_setsockopt(): level != SOL_TCP is the af_ops' call).
 */
static int tcp_v6_setsockopt(struct sock *sk, int level, int optname, int64_t val)
{
	if (level != IPPROTO_IPV6)
		return tcp_setsockopt(sk, level, optname, val);
	switch (optname) {
	case IPV6_V6ONLY:
		if (sk->inet_num)
			return -SIM_EINVAL;
		sk->sk_ipv6only = val != 0;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/ipv6/ipv6_sockglue.c:do_ipv6_getsockopt() — IPV6_V6ONLY only. */
static int tcp_v6_getsockopt(struct sock *sk, int level, int optname, int64_t *val)
{
	if (level != IPPROTO_IPV6)
		return tcp_getsockopt(sk, level, optname, val);
	switch (optname) {
	case IPV6_V6ONLY:
		*val = sk->sk_ipv6only;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/ipv6/tcp_ipv6.c:tcpv6_prot — tcp_prot with the IPv6 connect and sockopts. */
const struct proto tcpv6_prot = {
	.name = "TCPv6",
	.init = tcp_init_sock,
	.close = __tcp_close,
	.connect = tcp_v6_connect,
	.disconnect = tcp_disconnect,
	.accept = inet_csk_accept,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_v6_setsockopt,
	.getsockopt = tcp_v6_getsockopt,
	.ioctl = tcp_ioctl,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.backlog_rcv = tcp_v4_do_rcv,	/* tcp_v6_do_rcv(): the same state machine */
	.obj_size = sizeof(struct tcp_sock),
	.sk_destruct = inet_sock_destruct,	/* inet6_sock_destruct() */
	.no_autobind = true,
};
