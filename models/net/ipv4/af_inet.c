/* SPDX-License-Identifier: MIT */
/*
 * PF_INET socket layer: inet_stream_ops and the functions behind it.
 * Models: net/ipv4/af_inet.c @ v6.18 (5.0 differences under the profile).
 */
#include <glib.h>

#include "linux/fs.h"
#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "sim/trace.h"

/* The task in the syscall: the socket layer runs in its context. */
static struct task *current_task(struct sock *sk);

/* Models: net/ipv4/af_inet.c:inet_create() — SOCK_STREAM/IPPROTO_TCP only. */
int inet_create(struct net *net, struct socket *sock, int type, int protocol)
{
	struct sock *sk;

	if (type != SOCK_STREAM)
		return -SIM_ESOCKTNOSUPPORT;
	if (protocol != 0 && protocol != IPPROTO_TCP)
		return -SIM_EPROTONOSUPPORT;
	sock->ops = &inet_stream_ops;
	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, AF_INET, &tcp_prot);
	sock_init_data(sock, sk);
	sk->inet_pmtudisc = IP_PMTUDISC_WANT;	/* net.ipv4.ip_no_pmtu_disc = 0 */
	sk->sk_prot->init(sk);
	trace_sock_state(sk);
	return 0;
}

/*
 * Models: net/ipv4/af_inet.c:inet_sock_destruct() for a TCP socket: its
 * queues are empty and no timer of it is pending (inet_csk_destroy_sock saw
 * to both); the out-of-order array goes back to the simulation for the next
 * socket.
 */
void inet_sock_destruct(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	g_assert(!sim_timer_pending(&inet_csk(sk)->icsk_retransmit_timer) &&
		 !sim_timer_pending(&tp->delack_timer) && !sim_timer_pending(&tp->keepalive_timer) &&
		 !sim_timer_pending(&tp->rack_timer));
	g_assert(g_queue_is_empty(&tp->write_queue));
	kernel_array_recycle(sock_net(sk)->ks, tp->ofo);
	tp->ofo = NULL;
	kernel_array_recycle(sock_net(sk)->ks, tp->rcv_skbs);
	tp->rcv_skbs = NULL;
	kernel_array_recycle(sock_net(sk)->ks, tp->ofo_skbs);
	tp->ofo_skbs = NULL;
}

/* Models: net/ipv4/af_inet.c:inet_release() */
static int inet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	sk->sk_prot->close(sk, 0);
	sock->sk = NULL;
	sk->sk_socket = NULL;
	return 0;
}

/* Models: net/ipv4/af_inet.c:__inet_bind() (address check, port, locks). */
static int __inet_bind(struct socket *sock, const struct sockaddr_sim *addr)
{
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	int err;

	if (addr->addrlen < 16)
		return -SIM_EINVAL;
	if (addr->family != AF_INET)
		return -SIM_EAFNOSUPPORT;
	if (addr->addr != 0 && addr->addr != net->addr && !ipv4_is_loopback(addr->addr))
		return -SIM_EADDRNOTAVAIL;
	if (sk->sk_state != TCP_CLOSE || sk->inet_num)
		return -SIM_EINVAL;
	sk->inet_rcv_saddr = sk->inet_saddr = addr->addr;
	if (addr->addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	err = inet_bind_port(sk, addr->port);
	if (err) {
		sk->inet_rcv_saddr = sk->inet_saddr = 0;
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

static bool connecting(const struct sock *sk)
{
	return sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV;
}

static long inet_stream_connect_tail(struct socket *sock);
static long inet_wait_for_connect_done(struct socket *sock, struct task *t,
				       sim_time_t timeo_left);

/* Models: net/ipv4/af_inet.c:inet_wait_for_connect() — the loop after each wake-up. */
static long inet_wait_for_connect_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	struct socket *sock = f ? f->sock : NULL;

	if (!sock || !sock->sk)
		return -SIM_EBADF;
	if (connecting(sock->sk) && !signal_pending(t) && timeo_left)
		return sk_wait_sleep(t, sock->sk, timeo_left, inet_wait_for_connect_resume);
	sock->sk->sk_write_pending--;
	return inet_wait_for_connect_done(sock, t, timeo_left);
}

/*
 * What __inet_stream_connect() does once inet_wait_for_connect() returned:
 * a timeout returns the preset error (EINPROGRESS/EALREADY); a pending
 * signal wins even over a completed handshake; 6.6+ reports a concurrent
 * disconnect (another thread's connect(AF_UNSPEC)) as EPIPE.
 */
static long inet_wait_for_connect_done(struct socket *sock, struct task *t,
				       sim_time_t timeo_left)
{
	struct sock *sk = sock->sk;

	if (!timeo_left)
		return t->frame.err;
	if (signal_pending(t))
		return sock_intr_errno(t->frame.timeo);
	if (sock_net(sk)->profile->disconnect_while_waiting == TCP_DISCONNECT_EPIPE &&
	    t->frame.disconnects != sk->sk_disconnects)
		return -SIM_EPIPE;
	return inet_stream_connect_tail(sock);
}

/* The end of __inet_stream_connect(): connected, or the sock_error path. */
static long inet_stream_connect_tail(struct socket *sock)
{
	struct sock *sk = sock->sk;
	int err;

	/* Connection was closed by RST, timeout, ICMP error or another process. */
	if (sk->sk_state == TCP_CLOSE)
		goto sock_error;
	sock_set_state(sock, SS_CONNECTED);
	return 0;

sock_error:
	err = sock_error(sk);
	if (!err)
		err = -SIM_ECONNABORTED;
	sock_set_state(sock, SS_UNCONNECTED);
	sk->sk_disconnects++;
	if (sk->sk_prot->disconnect(sk, 0))
		sock_set_state(sock, SS_DISCONNECTING);
	return err;
}

/*
 * Models: net/ipv4/af_inet.c:__inet_stream_connect() @ v6.18.  The function
 * is split at its sleep: this part runs until inet_wait_for_connect() would
 * sleep; inet_wait_for_connect_done() and inet_stream_connect_tail() are the rest.
 */
static int __inet_stream_connect(struct socket *sock, const struct sockaddr_sim *uaddr,
			       int flags)
{
	struct sock *sk = sock->sk;
	struct task *t = current_task(sk);
	sim_time_t timeo;
	int err;

	if (uaddr->addrlen < 2)
		return -SIM_EINVAL;
	if (uaddr->family == AF_UNSPEC) {
		sk->sk_disconnects++;
		err = sk->sk_prot->disconnect(sk, flags);
		sock_set_state(sock, err ? SS_DISCONNECTING : SS_UNCONNECTED);
		return err;
	}

	switch (sock->state) {
	default:
		return -SIM_EINVAL;
	case SS_CONNECTED:
		return -SIM_EISCONN;
	case SS_CONNECTING:
		err = -SIM_EALREADY;
		break;
	case SS_UNCONNECTED:
		if (sk->sk_state != TCP_CLOSE)
			return -SIM_EISCONN;
		if (sk->sk_prot->pre_connect) {
			err = sk->sk_prot->pre_connect(sk, uaddr);
			if (err)
				return err;
		}
		err = sk->sk_prot->connect(sk, uaddr);
		if (err < 0)
			return err;
		sock_set_state(sock, SS_CONNECTING);
		err = -SIM_EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if (connecting(sk)) {
		if (!timeo)
			return err;
		t->frame.err = err;
		t->frame.timeo = timeo;
		t->frame.disconnects = sk->sk_disconnects;
		sk->sk_write_pending++;
		return (int)sk_wait_sleep(t, sk, timeo, inet_wait_for_connect_resume);
	}
	return (int)inet_stream_connect_tail(sock);
}

/* Models: net/ipv4/af_inet.c:inet_listen() / __inet_listen_sk() */
static int inet_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;

	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		return -SIM_EINVAL;
	if (sk->sk_state != TCP_CLOSE && sk->sk_state != TCP_LISTEN)
		return -SIM_EINVAL;
	sk->sk_max_ack_backlog = (unsigned int)backlog;
	if (sk->sk_state == TCP_LISTEN)
		return 0;
	if (!sk->inet_num) {
		int err = inet_bind_port(sk, 0);	/* inet_csk_get_port(sk, 0) */

		if (err)
			return -SIM_EADDRINUSE;
		sk->inet_sport = sk->inet_num;
	} else if (inet_csk_listen_get_port(sk)) {
		return -SIM_EADDRINUSE;	/* another listener, or an owner without SO_REUSEADDR */
	}
	tcp_set_state(sk, TCP_LISTEN);
	inet_hash(sk);
	return 0;
}

static long inet_accept_resume(struct task *t, sim_time_t timeo_left);

static long inet_accept_try(struct task *t, struct socket *sock, sim_time_t timeo)
{
	struct sock *sk = sock->sk;
	struct sock *child;
	struct socket *newsock;
	int err = 0;

	if (sk->sk_state != TCP_LISTEN)
		return -SIM_EINVAL;
	child = inet_csk_accept(sk, 0, &err);
	if (!child) {
		if (!timeo)
			return -SIM_EAGAIN;
		if (signal_pending(t))
			return sock_intr_errno(t->frame.timeo);
		/* inet_csk_wait_for_connect(): prepare_to_wait_exclusive() */
		return sk_wait_sleep_exclusive(t, sk, timeo, inet_accept_resume);
	}
	newsock = t->frame.newsock;
	sock_init_data(newsock, child);
	child->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	newsock->state = SS_CONNECTED;
	trace_sock_state(child);
	return 0;
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_wait_for_connect() loop. */
static long inet_accept_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	long ret;

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	ret = inet_accept_try(t, f->sock, timeo_left);
	return accept_resume_finish(t, ret);
}

/* Models: net/ipv4/af_inet.c:inet_accept() -> inet_csk_accept() */
static int inet_accept(struct socket *sock, struct socket *newsock, int flags)
{
	struct task *t = current_task(sock->sk);
	sim_time_t timeo = sock_rcvtimeo(sock->sk, flags & O_NONBLOCK);
	long ret;

	t->frame.newsock = newsock;
	t->frame.timeo = timeo;
	ret = inet_accept_try(t, sock, timeo);
	if (task_blocked(t))
		return (int)ret;
	t->frame.newsock = NULL;
	return (int)ret;
}

/* Models: net/ipv4/af_inet.c:inet_shutdown() */
static int inet_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;	/* SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -SIM_EINVAL;
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE)))
			sock_set_state(sock, SS_DISCONNECTING);
		else
			sock_set_state(sock, SS_CONNECTED);
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -SIM_ENOTCONN;
		/* fallthrough: shutdown flags are still set */
		sk->sk_shutdown |= (unsigned char)how;
		if (sk->sk_prot->shutdown)
			sk->sk_prot->shutdown(sk, how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		/* fallthrough */
	case TCP_SYN_SENT:
		err = sk->sk_prot->disconnect(sk, O_NONBLOCK);
		sock_set_state(sock, err ? SS_DISCONNECTING : SS_UNCONNECTED);
		break;
	default:
		sk->sk_shutdown |= (unsigned char)how;
		if (sk->sk_prot->shutdown)
			sk->sk_prot->shutdown(sk, how);
		break;
	}
	sk_state_change(sk);
	return err;
}

static unsigned int inet_poll(struct socket *sock)
{
	return tcp_poll(sock);
}

/* Models: net/ipv4/af_inet.c:inet_sendmsg() — TCP has no_autobind. */
static int inet_sendmsg(struct socket *sock, struct msghdr_sim *msg, size_t len)
{
	return sock->sk->sk_prot->sendmsg(sock->sk, msg, len);
}

static int inet_recvmsg(struct socket *sock, struct msghdr_sim *msg, size_t len, int flags)
{
	return sock->sk->sk_prot->recvmsg(sock->sk, msg, len, flags);
}

static int inet_setsockopt(struct socket *sock, int level, int optname, int64_t val)
{
	return sock->sk->sk_prot->setsockopt(sock->sk, level, optname, val);
}

static int inet_getsockopt(struct socket *sock, int level, int optname, int64_t *val)
{
	return sock->sk->sk_prot->getsockopt(sock->sk, level, optname, val);
}

/* Models: net/ipv4/af_inet.c:inet_ioctl() -> sk_ioctl(): the protocol's ioctl. */
static int inet_ioctl(struct socket *sock, unsigned int cmd, int *karg)
{
	struct sock *sk = sock->sk;

	return sk->sk_prot->ioctl ? sk->sk_prot->ioctl(sk, (int)cmd, karg) : -SIM_ENOIOCTLCMD;
}

/*
 * Models: net/ipv4/af_inet.c:inet_getname() — the local address
 * (inet_rcv_saddr, else inet_saddr) and port, or the peer's: ENOTCONN without
 * a peer port, or in CLOSE/SYN_SENT (peer == 1, getpeername()).
 */
int inet_getname(struct socket *sock, struct sockaddr_sim *sin, int peer)
{
	const struct sock *sk = sock->sk;

	*sin = (struct sockaddr_sim){ .family = AF_INET, .addrlen = 16 };
	if (peer) {
		if (!sk->inet_dport ||
		    ((sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_SYN_SENT) && peer == 1))
			return -SIM_ENOTCONN;
		sin->port = sk->inet_dport;
		sin->addr = sk->inet_daddr;
	} else {
		sin->port = sk->inet_sport;
		sin->addr = sk->inet_rcv_saddr ? sk->inet_rcv_saddr : sk->inet_saddr;
	}
	return 16;
}

const struct proto_ops inet_stream_ops = {
	.family = AF_INET,
	.name = "inet_stream_ops",
	.release = inet_release,
	.bind = __inet_bind,
	.connect = __inet_stream_connect,
	.accept = inet_accept,
	.poll = inet_poll,
	.listen = inet_listen,
	.shutdown = inet_shutdown,
	.sendmsg = inet_sendmsg,
	.recvmsg = inet_recvmsg,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.ioctl = inet_ioctl,
	.getname = inet_getname,
};

static struct task *current_task(struct sock *sk)
{
	return net_current(sock_net(sk));
}
