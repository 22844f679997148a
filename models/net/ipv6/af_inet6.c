/* SPDX-License-Identifier: MIT */
/*
 * PF_INET6 socket layer for TCP: inet6_stream_ops and inet6_create.
 * Models: net/ipv6/af_inet6.c @ v6.18.  As in the kernel, connect, accept,
 * listen, shutdown and poll are the PF_INET functions (inet_stream_connect,
 * inet_accept, inet_listen, inet_shutdown, tcp_poll); the model reaches them
 * through inet_stream_ops, where models/net/ipv4/af_inet.c keeps them.
 */
#include <glib.h>

#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/net_namespace.h"
#include "trace/events/sock.h"

/* include/net/ipv6.h: the IPv4 address of a socket bound to a non-mapped
 * IPv6 address, so that IPv4 lookups never match it. */
#define LOOPBACK4_IPV6	0x7f000006u

/* Models: net/ipv6/af_inet6.c:inet6_create() — SOCK_STREAM/IPPROTO_TCP only. */
int inet6_create(struct net *net, struct socket *sock, int type, int protocol)
{
	struct sock *sk;

	if (type != SOCK_STREAM)
		return -SIM_ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != IPPROTO_TCP)
		return -SIM_EPROTONOSUPPORT;
	sock->ops = &inet6_stream_ops;
	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, AF_INET6, &tcpv6_prot);
	sock_init_data(sock, sk);
	sk->sk_ipv6only = false;	/* net.ipv6.bindv6only = 0 */
	/* The IPv4 half of the socket is set up as inet_create() does: an
	 * AF_INET6 socket can carry IPv4 (v4-mapped), so SOL_IP options apply. */
	sk->inet_pmtudisc = IP_PMTUDISC_WANT;	/* net.ipv4.ip_no_pmtu_disc = 0 */
	sk->sk_prot->init(sk);
	trace_sock_state(sk);
	return 0;
}

/* Models: net/ipv6/af_inet6.c:inet6_release() -> inet_release() */
static int inet6_release(struct socket *sock)
{
	return inet_stream_ops.release(sock);
}

/*
 * Models: net/ipv6/af_inet6.c:inet6_bind_sk() + __inet6_bind().  Length
 * before family; a multicast address, a bound socket, a v4-mapped address on
 * an IPV6_V6ONLY socket: EINVAL.  A host has ::1 and at most one global
 * IPv6 address (`host NAME ADDR ADDR6`); any other is EADDRNOTAVAIL.
 * A specific IPv6 address makes the socket IPv6-only.
 */
static int inet6_bind(struct socket *sock, const struct sockaddr_sim *addr)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	unsigned int addr_type;
	uint32_t v4addr = 0;
	bool saved_ipv6only;
	int err;

	if (addr->addrlen < SIN6_LEN_RFC2133)
		return -SIM_EINVAL;
	if (addr->family != AF_INET6)
		return -SIM_EAFNOSUPPORT;
	addr_type = ipv6_addr_type(&addr->sin6_addr);
	if (addr_type & IPV6_ADDR_MULTICAST)
		return -SIM_EINVAL;	/* SOCK_STREAM */
	if (sk->sk_state != TCP_CLOSE || sk->inet_num)
		return -SIM_EINVAL;
	if (addr_type == IPV6_ADDR_MAPPED) {
		if (sk->sk_ipv6only)
			return -SIM_EINVAL;
		v4addr = ipv6_addr_v4(&addr->sin6_addr);
		if (v4addr != 0 && v4addr != net->addr && !ipv4_is_loopback(v4addr))
			return -SIM_EADDRNOTAVAIL;
	} else if (addr_type != IPV6_ADDR_ANY) {
		v4addr = LOOPBACK4_IPV6;
		if (!(addr_type & IPV6_ADDR_LOOPBACK) &&
		    !(net->has_addr6 && ipv6_addr_equal(&addr->sin6_addr, &net->addr6)))
			return -SIM_EADDRNOTAVAIL;	/* ipv6_chk_addr() */
	}
	sk->inet_rcv_saddr = sk->inet_saddr = v4addr;
	sk->sk_v6_rcv_saddr = addr->sin6_addr;
	saved_ipv6only = sk->sk_ipv6only;
	if (addr_type != IPV6_ADDR_ANY && addr_type != IPV6_ADDR_MAPPED)
		sk->sk_ipv6only = true;
	if (addr_type != IPV6_ADDR_ANY)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	err = inet_bind_port(sk, addr->port);
	if (err) {
		sk->sk_ipv6only = saved_ipv6only;
		sk->inet_rcv_saddr = sk->inet_saddr = 0;
		sk->sk_v6_rcv_saddr = (struct in6_addr_sim){ 0 };
		sk->sk_userlocks &= (unsigned char)~SOCK_BINDADDR_LOCK;
		return err;
	}
	if (addr->port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	sk->inet_sport = sk->inet_num;
	sk->inet_daddr = 0;
	sk->inet_dport = 0;
	return 0;
}

/* Models: net/ipv4/af_inet.c:inet_stream_connect() (inet6_stream_ops.connect) */
static int inet6_stream_connect(struct socket *sock, const struct sockaddr_sim *addr, int flags)
{
	return inet_stream_ops.connect(sock, addr, flags);
}

/* Models: net/ipv4/af_inet.c:inet_accept() (inet6_stream_ops.accept) */
static int inet6_accept(struct socket *sock, struct socket *newsock, int flags)
{
	return inet_stream_ops.accept(sock, newsock, flags);
}

/* Models: net/ipv4/af_inet.c:inet_listen() (inet6_stream_ops.listen) */
static int inet6_listen(struct socket *sock, int backlog)
{
	return inet_stream_ops.listen(sock, backlog);
}

/* Models: net/ipv4/af_inet.c:inet_shutdown() (inet6_stream_ops.shutdown) */
static int inet6_shutdown(struct socket *sock, int how)
{
	return inet_stream_ops.shutdown(sock, how);
}

/* Models: net/ipv4/tcp.c:tcp_poll() (inet6_stream_ops.poll) */
static unsigned int inet6_poll(struct socket *sock)
{
	return inet_stream_ops.poll(sock);
}

/* Models: net/ipv6/af_inet6.c:inet6_sendmsg() — as inet_sendmsg(): TCP has no_autobind. */
static int inet6_sendmsg(struct socket *sock, struct msghdr_sim *msg, size_t len)
{
	return inet_stream_ops.sendmsg(sock, msg, len);
}

/* Models: net/ipv6/af_inet6.c:inet6_recvmsg() — as inet_recvmsg(). */
static int inet6_recvmsg(struct socket *sock, struct msghdr_sim *msg, size_t len, int flags)
{
	return inet_stream_ops.recvmsg(sock, msg, len, flags);
}

/* Models: net/core/sock.c:sock_common_setsockopt() -> tcpv6_prot's (IPV6_V6ONLY). */
static int inet6_setsockopt(struct socket *sock, int level, int optname, int64_t val)
{
	return inet_stream_ops.setsockopt(sock, level, optname, val);
}

/* Models: net/core/sock.c:sock_common_getsockopt() -> tcpv6_prot's. */
static int inet6_getsockopt(struct socket *sock, int level, int optname, int64_t *val)
{
	return inet_stream_ops.getsockopt(sock, level, optname, val);
}

/* Models: net/ipv6/af_inet6.c:inet6_ioctl() -> sk_ioctl() */
static int inet6_ioctl(struct socket *sock, unsigned int cmd, int *karg)
{
	return inet_stream_ops.ioctl(sock, cmd, karg);
}

/* Models: net/ipv6/af_inet6.c:inet6_stream_ops */
/*
 * Models: net/ipv6/af_inet6.c:inet6_getname() — inet_getname()'s checks and
 * port (the kernel repeats them), with a sockaddr_in6 (28 bytes):
 * sk_v6_rcv_saddr (np->saddr is the same address for TCP here) or
 * sk_v6_daddr; flow info and scope id 0 (no flow labels, no link-local
 * addresses in the model).
 */
static int inet6_getname(struct socket *sock, struct sockaddr_sim *sin, int peer)
{
	int err = inet_getname(sock, sin, peer);

	if (err < 0)
		return err;
	sin->family = AF_INET6;
	sin->addrlen = 28;
	sin->addr = 0;
	sin->sin6_addr = peer ? sock->sk->sk_v6_daddr : sock->sk->sk_v6_rcv_saddr;
	return 28;
}

const struct proto_ops inet6_stream_ops = {
	.family = AF_INET6,
	.name = "inet6_stream_ops",
	.release = inet6_release,
	.bind = inet6_bind,
	.connect = inet6_stream_connect,
	.accept = inet6_accept,
	.poll = inet6_poll,
	.listen = inet6_listen,
	.shutdown = inet6_shutdown,
	.sendmsg = inet6_sendmsg,
	.recvmsg = inet6_recvmsg,
	.setsockopt = inet6_setsockopt,
	.getsockopt = inet6_getsockopt,
	.ioctl = inet6_ioctl,
	.getname = inet6_getname,
};
