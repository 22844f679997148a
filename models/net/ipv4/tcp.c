/* SPDX-License-Identifier: MIT */
/*
 * TCP socket-level operations.  Models: net/ipv4/tcp.c @ v6.18.
 * The send/receive path here is the minimum that drives a peer (issue 3
 * models the real one): data is queued and sent in MSS segments at once,
 * with no congestion control, no send-buffer limit and no retransmission.
 */
#include <glib.h>

#include "env/world.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "sim/trace.h"

#define TCP_TIMEWAIT_LEN SIM_SEC(60)

static bool tcp_need_reset(int state)
{
	return (1 << state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT) |
			       (1 << TCP_FIN_WAIT1) | (1 << TCP_FIN_WAIT2) |
			       (1 << TCP_SYN_RECV));
}

/* Models: net/ipv4/tcp.c:tcp_set_state() (+ the inet_sock_set_state tracepoint). */
void tcp_set_state(struct sock *sk, int state)
{
	int oldstate = sk->sk_state;
	char label[16];

	if (oldstate == state)
		return;
	sock_label(sk, label, sizeof(label));
	sim_trace(sk->host->world->sim, sk->host->name, label, "inet_sock_set_state",
		  NULL, "oldstate=%s newstate=%s", tcp_state_name(oldstate),
		  tcp_state_name(state));
	if (state == TCP_CLOSE) {
		if (oldstate == TCP_CLOSE_WAIT || oldstate == TCP_ESTABLISHED)
			TCP_INC_STATS(sk->host, EstabResets);
		inet_unhash(sk);
		if (sk->inet_num && !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			inet_put_port(sk);
	}
	sk->sk_state = (unsigned char)state;
	world_sock_changed(sk->host->world, sk);
}

/* Models: net/ipv4/tcp.c:tcp_done() */
void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TCP_INC_STATS(sk->host, AttemptFails);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

/* Models: net/ipv4/tcp_timer.c:tcp_write_err() */
void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : SIM_ETIMEDOUT;
	sk_error_report(sk);
	tcp_sk(sk)->unsent = tcp_sk(sk)->unacked = 0;	/* tcp_write_queue_purge */
	tcp_done(sk);
	NET_INC_STATS(sk->host, TCPAbortOnTimeout);
}

/* Models: net/ipv4/tcp.c:tcp_disconnect() */
int tcp_disconnect(struct sock *sk, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int old_state = sk->sk_state;
	uint32_t seq;

	if (old_state != TCP_CLOSE)
		tcp_set_state(sk, TCP_CLOSE);
	if (old_state == TCP_LISTEN) {
		inet_csk_listen_stop(sk);
	} else if (tcp_need_reset(old_state)) {
		tcp_send_active_reset(sk);
		sk->sk_err = SIM_ECONNRESET;
	} else if (old_state == TCP_SYN_SENT) {
		sk->sk_err = SIM_ECONNRESET;
	}
	tcp_clear_xmit_timers(sk);
	tp->unsent = tp->unacked = 0;
	sk->inet_dport = 0;
	sk->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		sk->inet_saddr = sk->inet_rcv_saddr = 0;
	sk->sk_shutdown = 0;
	icsk->icsk_backoff = 0;
	icsk->icsk_retransmits = 0;
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	tp->srtt_us = 0;
	tp->mdev_us = 1000000;
	seq = tp->write_seq + 65535 + 2;	/* write_seq + max_window + 2 */
	tp->write_seq = seq ? seq : 1;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->total_retrans = 0;
	tp->total_rto = 0;
	tp->retrans_stamp = 0;
	tp->fin_queued = false;
	sk->sk_rcv_queued = 0;
	sk_error_report(sk);
	return 0;
}

/* Models: net/ipv4/tcp.c:tcp_init_sock() */
static int tcp_init_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct net *net = &sk->host->net;

	tcp_init_xmit_timers(sk);
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_rto_max = SIM_MSEC(net->ipv4.sysctl_tcp_rto_max_ms);
	icsk->icsk_rto_min = SIM_USEC(net->ipv4.sysctl_tcp_rto_min_us);
	tp->mdev_us = 1000000;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->mss_cache = TCP_MSS_DEFAULT;
	sk->sk_sndbuf = net->ipv4.sysctl_tcp_wmem[1];
	sk->sk_rcvbuf = net->ipv4.sysctl_tcp_rmem[1];
	return 0;
}

/* Models: net/ipv4/tcp.c:tcp_close_state() — the next state and whether a FIN goes out. */
static bool tcp_close_state(struct sock *sk)
{
	static const unsigned char new_state[TCP_MAX_STATES] = {
		[0] = TCP_CLOSE,
		[TCP_ESTABLISHED] = TCP_FIN_WAIT1 | 0x10,
		[TCP_SYN_SENT] = TCP_CLOSE,
		[TCP_SYN_RECV] = TCP_FIN_WAIT1 | 0x10,
		[TCP_FIN_WAIT1] = TCP_FIN_WAIT1,
		[TCP_FIN_WAIT2] = TCP_FIN_WAIT2,
		[TCP_TIME_WAIT] = TCP_CLOSE,
		[TCP_CLOSE] = TCP_CLOSE,
		[TCP_CLOSE_WAIT] = TCP_LAST_ACK | 0x10,
		[TCP_LAST_ACK] = TCP_LAST_ACK,
		[TCP_LISTEN] = TCP_CLOSE,
		[TCP_CLOSING] = TCP_CLOSING,
		[TCP_NEW_SYN_RECV] = TCP_CLOSE,
	};
	int next = new_state[sk->sk_state];

	tcp_set_state(sk, next & 0x0f);
	return next & 0x10;
}

/* Models: net/ipv4/tcp.c:tcp_shutdown() */
static void tcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_SYN_SENT) |
				   (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE_WAIT))) {
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
}

/* Models: net/ipv4/tcp.c:__tcp_close() */
static void tcp_close(struct sock *sk, sim_time_t timeout)
{
	struct tcp_sock *tp = tcp_sk(sk);

	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		inet_csk_listen_stop(sk);
		goto adjudge_to_death;
	}
	if (sk->sk_rcv_queued) {
		/* Unread data: RFC 2525 says abort with a RST. */
		sk->sk_rcv_queued = 0;
		NET_INC_STATS(sk->host, TCPAbortOnClose);
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}
adjudge_to_death:
	sk->sock_dead = true;	/* sock_orphan() */
	(void)tp;
	if (sk->sk_state == TCP_CLOSE)
		inet_csk_destroy_sock(sk);
}

/* Models: net/ipv4/tcp.c:tcp_poll() */
unsigned int tcp_poll(struct socket *sock)
{
	struct sock *sk = sock->sk;
	int state = sk->sk_state;
	unsigned int mask = 0;

	if (state == TCP_LISTEN)
		return inet_csk(sk)->accept_head ? POLLIN | POLLRDNORM : 0;
	if (sk->sk_shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= POLLHUP;
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		mask |= POLLIN | POLLRDNORM | POLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (sk->sk_rcv_queued)
			mask |= POLLIN | POLLRDNORM;
		/* Writeable: no send-buffer limit is modelled, and after
		 * SEND_SHUTDOWN the kernel reports POLLOUT anyway. */
		mask |= POLLOUT | POLLWRNORM;
	}
	if (sk->sk_err)
		mask |= POLLERR;
	return mask;
}

static long tcp_sendmsg_resume(struct task *t, sim_time_t timeo_left);

/*
 * Models: net/core/stream.c:sk_stream_wait_connect() — one pass of its loop.
 * Returns 0 when the socket can send, a negative errno, or SIM_EBLOCKED.
 */
static long sk_stream_wait_connect(struct task *t, struct sock *sk, sim_time_t timeo)
{
	if (sk->sk_err)
		return sock_error(sk);
	if (!((1 << sk->sk_state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV))))
		return -SIM_EPIPE;
	if (!timeo)
		return -SIM_EAGAIN;
	if (signal_pending(t))
		return sock_intr_errno(t->connect_timeo);
	return sk_wait_sleep(t, sk, timeo, tcp_sendmsg_resume);
}

/* Models: net/core/stream.c:sk_stream_error() — EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
static long sk_stream_error(struct task *t, struct sock *sk, int flags, long err)
{
	if (err == -SIM_EPIPE) {
		int soft = sock_error(sk);

		err = soft ? soft : -SIM_EPIPE;
	}
	if (err == -SIM_EPIPE && !(flags & MSG_NOSIGNAL))
		task_send_signal(t, 13 /* SIGPIPE */);
	return err;
}

static long tcp_sendmsg_locked(struct task *t, struct sock *sk, int flags, size_t len,
			       sim_time_t timeo)
{
	struct tcp_sock *tp = tcp_sk(sk);
	long err;

	if (!((1 << sk->sk_state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT)))) {
		err = sk_stream_wait_connect(t, sk, timeo);
		if (err == SIM_EBLOCKED)
			return err;
		if (err)
			return sk_stream_error(t, sk, flags, err);
		if (!((1 << sk->sk_state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT))))
			return sk_stream_error(t, sk, flags, -SIM_EPIPE);
	}
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		return sk_stream_error(t, sk, flags, -SIM_EPIPE);
	tp->unsent += (uint32_t)len;
	tcp_push_pending(sk);
	return (long)len;
}

static long tcp_sendmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	return tcp_sendmsg_locked(t, f->sock->sk, t->send_flags, (size_t)t->args.a[0],
				  timeo_left);
}

/* Models: net/ipv4/tcp.c:tcp_sendmsg() -> tcp_sendmsg_locked() */
static int tcp_sendmsg(struct sock *sk, struct msghdr_sim *msg, size_t len)
{
	struct task *t = sk->host->world->current;
	sim_time_t timeo = sock_sndtimeo(sk, msg->flags & MSG_DONTWAIT);

	t->send_flags = msg->flags;
	t->connect_timeo = timeo;
	return (int)tcp_sendmsg_locked(t, sk, msg->flags, len, timeo);
}

static long tcp_recvmsg_resume(struct task *t, sim_time_t timeo_left);

static long tcp_recvmsg_locked(struct task *t, struct sock *sk, size_t len, sim_time_t timeo)
{
	size_t n;

	if (sk->sk_state == TCP_LISTEN)
		return -SIM_ENOTCONN;
	if (sk->sk_rcv_queued) {
		n = MIN(len, (size_t)sk->sk_rcv_queued);
		sk->sk_rcv_queued -= (int)n;
		return (long)n;
	}
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN)
		return 0;
	if (sk->sk_state == TCP_CLOSE)
		return -SIM_ENOTCONN;
	if (!timeo)
		return -SIM_EAGAIN;
	if (signal_pending(t))
		return sock_intr_errno(t->connect_timeo);
	return sk_wait_sleep(t, sk, timeo, tcp_recvmsg_resume);
}

static long tcp_recvmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	return tcp_recvmsg_locked(t, f->sock->sk, (size_t)t->args.a[0], timeo_left);
}

/* Models: net/ipv4/tcp.c:tcp_recvmsg() -> tcp_recvmsg_locked() (byte counts only). */
static int tcp_recvmsg(struct sock *sk, struct msghdr_sim *msg, size_t len, int flags)
{
	struct task *t = sk->host->world->current;
	sim_time_t timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);

	t->connect_timeo = timeo;
	return (int)tcp_recvmsg_locked(t, sk, len, timeo);
}

/* Models: net/ipv4/tcp.c:do_tcp_setsockopt() for the options socksim knows. */
static int tcp_setsockopt(struct sock *sk, int level, int optname, int64_t val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (level != SOL_TCP)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case TCP_SYNCNT:	/* tcp_sock_set_syncnt() */
		if (val < 1 || val > MAX_TCP_SYNCNT)
			return -SIM_EINVAL;
		icsk->icsk_syn_retries = (uint8_t)val;
		return 0;
	case TCP_USER_TIMEOUT:	/* tcp_sock_set_user_timeout() */
		if (val < 0 || val > INT32_MAX)
			return -SIM_EINVAL;
		icsk->icsk_user_timeout = (uint32_t)val;
		return 0;
	case TCP_NODELAY:
		tcp_sk(sk)->nonagle = val != 0;
		return 0;
	case TCP_RTO_MAX_MS:
		if (!sk->host->world->profile->rto_limits_tunable)
			return -SIM_ENOPROTOOPT;
		if (val < 1000 || val > 120000)
			return -SIM_EINVAL;
		icsk->icsk_rto_max = SIM_MSEC(val);
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/ipv4/tcp.c:do_tcp_getsockopt() */
static int tcp_getsockopt(struct sock *sk, int level, int optname, int64_t *val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (level != SOL_TCP)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case TCP_SYNCNT:
		*val = icsk->icsk_syn_retries ? icsk->icsk_syn_retries :
			sk->host->net.ipv4.sysctl_tcp_syn_retries;
		return 0;
	case TCP_USER_TIMEOUT:
		*val = icsk->icsk_user_timeout;
		return 0;
	case TCP_NODELAY:
		*val = tcp_sk(sk)->nonagle;
		return 0;
	case TCP_MAXSEG:
		*val = tcp_sk(sk)->mss_cache;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

static struct sock *tcp_accept(struct sock *sk, int flags, int *err)
{
	return inet_csk_accept(sk, flags, err);
}

const struct proto tcp_prot = {
	.name = "TCP",
	.init = tcp_init_sock,
	.close = tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = tcp_accept,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.obj_size = sizeof(struct tcp_sock),
	.no_autobind = true,
};
