/* SPDX-License-Identifier: MIT */
/*
 * TCP socket-level operations.  Models: net/ipv4/tcp.c @ v6.18: state
 * changes, close/shutdown/disconnect, poll, sendmsg (the write queue and its
 * waits) and recvmsg (window updates and receive-buffer autotuning), socket
 * options and TCP_INFO.  docs/models.md lists what is simplified.
 */
#include <glib.h>
#include <string.h>

#include "linux/fs.h"
#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "trace/events/tcp.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "net/socket.h"
#include "net/stream.h"
#include "net/tcp_cong.h"
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

	if (oldstate == state)
		return;
	sk_trace(sk, "inet_sock_set_state", NULL, "oldstate=%s newstate=%s",
		 tcp_state_name(oldstate), tcp_state_name(state));
	if (state == TCP_CLOSE) {
		if (oldstate == TCP_CLOSE_WAIT || oldstate == TCP_ESTABLISHED)
			TCP_INC_STATS(sock_net(sk), EstabResets);
		inet_unhash(sk);
		if (sk->inet_num && !(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			inet_put_port(sk);
	}
	sk->sk_state = (unsigned char)state;
	trace_sock_state(sk);
}

/* Models: net/ipv4/tcp.c:tcp_done() */
void tcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		TCP_INC_STATS(sock_net(sk), AttemptFails);
	tcp_set_state(sk, TCP_CLOSE);
	tcp_clear_xmit_timers(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
	else
		inet_csk_destroy_sock(sk);
}

/*
 * Models: net/ipv4/tcp.c:tcp_done_with_error() — a hard error ends the
 * connection (tcp_v4_err/tcp_v6_err in SYN_SENT; before v6.10 both open-coded
 * these three steps).
 */
void tcp_done_with_error(struct sock *sk, int err)
{
	sk->sk_err = err;
	sk_error_report(sk);
	tcp_done(sk);
}

/* Models: net/ipv4/tcp_timer.c:tcp_write_err() */
void tcp_write_err(struct sock *sk)
{
	sk->sk_err = sk->sk_err_soft ? sk->sk_err_soft : SIM_ETIMEDOUT;
	sk_error_report(sk);
	tcp_write_queue_purge(sk);
	tcp_done(sk);
	NET_INC_STATS(sock_net(sk), TCPAbortOnTimeout);
}

static long tcp_recvmsg_resume(struct task *t, sim_time_t timeo_left);

/*
 * sk->sk_wait_pending of the kernels with "tcp: deny tcp_disconnect() when
 * threads are waiting" (include/net/sock.h; 6.4-6.5, 5.10.y, 5.15.y): the
 * threads asleep in inet_wait_for_connect() or sk_wait_event().  Connect and
 * send sleepers are counted in sk_write_pending until they run again, as in
 * the kernel; a recv sleeper waits in tcp_recvmsg.
 */
static int tcp_wait_pending(const struct sock *sk)
{
	int n = sk->sk_write_pending;

	for (const struct wait_queue_entry *e = sk->sk_wq.first; e; e = e->next) {
		const struct sk_waiter *w = wq_entry_sk_waiter(e);

		n += w && w->resume == tcp_recvmsg_resume;
	}
	return n;
}

/* Models: net/ipv4/tcp.c:tcp_disconnect() */
int tcp_disconnect(struct sock *sk, int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	int old_state = sk->sk_state;
	uint32_t seq;

	/* 5.10.y / 5.15.y: deny the disconnect while other threads wait on the
	 * socket (6.6 replaced this with sk_disconnects, af_inet.c). */
	if (sock_net(sk)->profile->disconnect_while_waiting == TCP_DISCONNECT_EBUSY &&
	    tcp_wait_pending(sk))
		return -SIM_EBUSY;
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
	tcp_write_queue_purge(sk);
	if (tp->ofo)
		g_array_set_size(tp->ofo, 0);
	tcp_rmem_purge(sk);	/* __skb_queue_purge(&sk->sk_receive_queue), skb_rbtree_purge */
	tp->num_sacks = 0;
	sk->inet_dport = 0;
	sk->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	sk->sk_shutdown = 0;
	sk->sock_done = false;		/* sock_reset_flag(sk, SOCK_DONE) */
	icsk->icsk_backoff = 0;
	icsk->icsk_retransmits = 0;
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_ca_state = TCP_CA_Open;
	tp->srtt_us = 0;
	tp->mdev_us = 1000000;
	tp->min_rtt_us = 0;
	seq = tp->write_seq + tp->max_window + 2;
	tp->write_seq = seq ? seq : 1;
	tp->snd_cwnd = TCP_INIT_CWND;
	tp->snd_cwnd_cnt = 0;
	tp->snd_ssthresh = TCP_INFINITE_SSTHRESH;
	tp->max_window = 0;
	tp->snd_wnd = 0;
	tp->total_retrans = 0;
	tp->total_rto = 0;
	tp->retrans_stamp = 0;
	tp->icsk_probes_out = 0;
	tp->rack_mstamp = 0;
	trace_tcp_disconnect(sk);
	sk->sk_rcv_queued = 0;
	sk_error_report(sk);
	return 0;
}

/* Models: net/ipv4/tcp.c:tcp_init_sock() */
int tcp_init_sock(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct net *net = sock_net(sk);

	tcp_init_xmit_timers(sk);
	tcp_rack_init(sk);
	g_queue_init(&tp->write_queue);
	/* ofo, rcv_skbs, ofo_skbs: made at their first use (tcp_rcv_array()) */
	tp->scaling_ratio = TCP_DEFAULT_SCALING_RATIO;	/* tcp_scaling_ratio_init() */
	tp->reordering = (uint32_t)net->ipv4.sysctl_tcp_reordering;
	tp->ca_ops = tcp_ca_by_index(net->ipv4.sysctl_tcp_congestion_control);
	icsk->icsk_rto = TCP_TIMEOUT_INIT;
	icsk->icsk_rto_max = SIM_MSEC(net->ipv4.sysctl_tcp_rto_max_ms);
	icsk->icsk_rto_min = SIM_USEC(net->ipv4.sysctl_tcp_rto_min_us);
	tp->mdev_us = 1000000;
	tp->pacing_rate = UINT64_MAX;	/* sock_init_data(): ~0UL until the first ACK */
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
void tcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_SYN_SENT) |
				   (1 << TCP_SYN_RECV) | (1 << TCP_CLOSE_WAIT))) {
		if (tcp_close_state(sk))
			tcp_send_fin(sk);
	}
}

/*
 * Models: include/net/tcp.h:tcp_fin_time() — how long an orphan waits in
 * FIN_WAIT2: net.ipv4.tcp_fin_timeout (no TCP_LINGER2 here), at least 3.5
 * RTO.  A negative or zero sysctl leaves the floor.
 */
sim_time_t tcp_fin_time(const struct sock *sk)
{
	const struct inet_connection_sock *icsk = (const struct inet_connection_sock *)sk;
	sim_time_t floor = (icsk->icsk_rto << 2) - (icsk->icsk_rto >> 1);
	int secs = sock_net(sk)->ipv4.sysctl_tcp_fin_timeout;

	if (secs <= 0 || SIM_SEC((sim_time_t)secs) < floor)
		return floor;
	return SIM_SEC((sim_time_t)secs);
}

/* Models: net/ipv4/tcp.c:__tcp_close() */
void __tcp_close(struct sock *sk, sim_time_t timeout)
{
	sk->sk_shutdown = SHUTDOWN_MASK;
	if (sk->sk_state == TCP_LISTEN) {
		tcp_set_state(sk, TCP_CLOSE);
		inet_csk_listen_stop(sk);
		goto adjudge_to_death;
	}
	if (sk->sk_rcv_queued) {
		/* Unread data: RFC 2525 says abort with a RST. */
		sk->sk_rcv_queued = 0;
		tcp_rmem_purge(sk);
		NET_INC_STATS(sock_net(sk), TCPAbortOnClose);
		tcp_set_state(sk, TCP_CLOSE);
		tcp_send_active_reset(sk);
	} else if (sk->sock_linger) {
		/* SO_LINGER with a zero time, checked after unread data: the
		 * connection is aborted (a RST in the states tcp_disconnect()
		 * resets), and counted as TCPAbortOnData, as the kernel does */
		sk->sk_prot->disconnect(sk, 0);
		NET_INC_STATS(sock_net(sk), TCPAbortOnData);
	} else if (tcp_close_state(sk)) {
		tcp_send_fin(sk);
	}
adjudge_to_death:
	sk->sock_dead = true;	/* sock_orphan() */
	if (sk->sk_state == TCP_FIN_WAIT2) {
		sim_time_t tmo = tcp_fin_time(sk);

		/* longer than TIME_WAIT: the full socket waits out the
		 * difference under the keepalive timer first */
		if (tmo > TCP_TIMEWAIT_LEN) {
			sim_mod_timer(&tcp_sk(sk)->keepalive_timer, net_now(sock_net(sk)) + tmo - TCP_TIMEWAIT_LEN);
			return;
		}
		tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
		return;
	}
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
		if (!(sk->sk_shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk))
				mask |= POLLOUT | POLLWRNORM;
			else
				sk->sk_nospace = true;	/* wake the poller on space */
		} else {
			mask |= POLLOUT | POLLWRNORM;
		}
	}
	if (sk->sk_err)
		mask |= POLLERR;
	return mask;
}

static long tcp_sendmsg_resume(struct task *t, sim_time_t timeo_left);

/* Models: include/net/tcp.h:tcp_notsent_lowat() — the socket's TCP_NOTSENT_LOWAT, else the sysctl. */
static uint32_t tcp_notsent_lowat(const struct tcp_sock *tp)
{
	return tp->notsent_lowat ? tp->notsent_lowat :
	       sock_net((struct sock *)&tp->icsk.sk)->ipv4.sysctl_tcp_notsent_lowat;
}

/*
 * Models: net/ipv4/tcp.c:tcp_stream_memory_free() — fewer unsent bytes than
 * the low-water mark; @wake 1 (a wake-up or poll) counts them double, so a
 * writer wakes when they fell below half the mark.
 */
bool tcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	uint64_t notsent_bytes = tp->write_seq - tp->snd_nxt;

	return (notsent_bytes << wake) < tcp_notsent_lowat(tp);
}

/* Models: net/ipv4/tcp.c:forced_push() — more than half the peer's largest window unpushed. */
static bool forced_push(const struct tcp_sock *tp)
{
	return after(tp->write_seq, tp->pushed_seq + (tp->max_window >> 1));
}

/* Models: net/ipv4/tcp.c:tcp_mark_push() */
static void tcp_mark_push(struct tcp_sock *tp, struct tcp_qskb *tail)
{
	tail->tcp_flags |= TCPHDR_PSH;
	tp->pushed_seq = tp->write_seq;
}

/*
 * Models: net/ipv4/tcp.c:tcp_push() — PSH on the tail skb; MSG_MORE corks this
 * push (no autocorking).
 */
static void tcp_push(struct sock *sk, int flags, int nonagle)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *tail = tcp_write_queue_tail(tp);

	if (!tp->send_head)
		return;
	if ((!(flags & MSG_MORE) || forced_push(tp)) && tail)
		tcp_mark_push(tp, tail);
	__tcp_push_pending_frames(sk, (flags & MSG_MORE) ? TCP_NAGLE_CORK : nonagle);
}

/* Models: include/net/tcp.h:tcp_bound_to_half_wnd() — at most half the peer's largest window. */
uint32_t tcp_bound_to_half_wnd(const struct tcp_sock *tp, uint32_t pktsize)
{
	uint32_t cutoff = tp->max_window > TCP_MSS_DEFAULT ? tp->max_window >> 1 : tp->max_window;

	if (cutoff && pktsize > cutoff)
		return MAX(cutoff, 68u - 20u);	/* 68 - tcp_header_len */
	return pktsize;
}

/*
 * Models: net/ipv4/tcp.c:tcp_xmit_size_goal() — how big an skb sendmsg
 * builds: as many whole segments as fit in sk_gso_max_size and half the
 * peer's largest window (tcp_tso_autosize() cuts it at transmission), at
 * least one MSS; the segment count is cached in tp->gso_segs.
 */
uint32_t tcp_xmit_size_goal(struct sock *sk, uint32_t mss_now, bool large_allowed)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t new_size_goal, size_goal;

	if (!large_allowed)
		return mss_now;
	new_size_goal = tcp_bound_to_half_wnd(tp, SK_GSO_MAX_SIZE);
	size_goal = tp->gso_segs * mss_now;
	if (new_size_goal < size_goal || new_size_goal >= size_goal + mss_now) {
		tp->gso_segs = (uint16_t)MIN(new_size_goal / mss_now, GSO_MAX_SEGS);
		size_goal = tp->gso_segs * mss_now;
	}
	return MAX(size_goal, mss_now);
}

/* Models: net/ipv4/tcp.c:tcp_send_mss() */
static uint32_t tcp_send_mss(struct sock *sk, uint32_t *size_goal, int flags)
{
	uint32_t mss_now = tcp_current_mss(sk);

	*size_goal = tcp_xmit_size_goal(sk, mss_now, !(flags & MSG_OOB));
	return mss_now;
}

/*
 * Copy @copy bytes into the tail skb: fill its last piece
 * to the MSS, then add pieces.  PSH, if the skb had it, stays on its last piece.
 */
static void tcp_skb_copy_in(struct sock *sk, uint32_t copy, uint32_t mss)
{
	struct tcp_sock *tp = tcp_sk(sk);

	while (copy) {
		struct tcp_qskb *tail = tcp_write_queue_tail(tp);
		uint32_t n;

		if (tail->len >= mss) {
			uint8_t psh = tail->tcp_flags & TCPHDR_PSH;

			tail->tcp_flags &= (uint8_t)~TCPHDR_PSH;
			tail = tcp_skb_add_piece(sk);
			tail->tcp_flags |= psh;
		}
		n = MIN(mss - tail->len, copy);
		tcp_skb_append(sk, tail, n, false);
		copy -= n;
	}
}

/*
 * Models: net/ipv4/tcp.c:tcp_sendmsg_locked() — copy into skbs of up to the
 * size goal while the send buffer has room (sk_stream_memory_free before
 * each new skb), push as the kernel does (a forced push past half the peer's
 * window, the send head when an skb is full, tcp_push at the end), and wait
 * for memory (sk_stream_wait_memory).  A blocked call keeps what it already
 * copied in t->frame.copied and resumes here.
 */
static long tcp_sendmsg_locked(struct task *t, struct sock *sk, int flags, size_t len,
			       sim_time_t timeo)
{
	struct tcp_sock *tp = tcp_sk(sk);
	size_t copied = (size_t)t->frame.copied;
	uint32_t size_goal, mss;
	long err;

	/* woken in sk_stream_wait_memory(): its loop goes on, so an error, the
	 * timeout or a signal ends the call before anything more is copied */
	if (t->frame.past_connect) {
		err = sk_stream_wait_memory(t, sk, timeo, tcp_sendmsg_resume);
		if (task_blocked(t))
			return err;
		if (err)
			goto do_error;
	}
	/* waiting for the connection comes once, before anything is copied */
	if (!t->frame.past_connect &&
	    !((1 << sk->sk_state) & ((1 << TCP_ESTABLISHED) | (1 << TCP_CLOSE_WAIT)))) {
		err = sk_stream_wait_connect(t, sk, timeo, tcp_sendmsg_resume);
		if (task_blocked(t))
			return err;
		if (err)
			goto do_error;
	}
	t->frame.past_connect = true;
	mss = tcp_send_mss(sk, &size_goal, flags);
	while (copied < len) {
		struct tcp_qskb *tail = tp->send_head ? tcp_write_queue_tail(tp) : NULL;
		GList *head = tail ? tcp_skb_first_piece(tp->write_queue.tail) : NULL;
		uint32_t skb_len = 0;
		int64_t copy = 0;

		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN)) {
			err = -SIM_EPIPE;
			goto do_error;
		}
		if (head) {
			tcp_skb_last_piece(head, &skb_len, NULL);
			copy = (int64_t)size_goal - skb_len;
		}
		if (copy <= 0 || (tail->tcp_flags & TCPHDR_FIN) || tail->eor) {	/* !tcp_skb_can_collapse_to() */
			if (!sk_stream_memory_free(sk)) {
				/* wait_for_space: SOCK_NOSPACE (an ACK that frees
				 * room wakes writers and edge-triggered pollers),
				 * push what we have, then sleep */
				sk->sk_nospace = true;
				if (copied)
					tcp_push(sk, flags & ~MSG_MORE, TCP_NAGLE_PUSH);
				err = sk_stream_wait_memory(t, sk, timeo, tcp_sendmsg_resume);
				if (task_blocked(t)) {
					t->frame.copied = (int)copied;
					return err;
				}
				if (err)
					goto do_error;
				mss = tcp_send_mss(sk, &size_goal, flags);
				continue;
			}
			tail = tcp_skb_entail(sk);
			head = tp->write_queue.tail;
			skb_len = 0;
			copy = size_goal;
		}
		copy = MIN((size_t)copy, len - copied);
		if (!copied)
			tail->tcp_flags &= (uint8_t)~TCPHDR_PSH;
		tcp_skb_copy_in(sk, (uint32_t)copy, mss);
		copied += (size_t)copy;
		skb_len += (uint32_t)copy;
		/* the data ran out: tcp_push marks the tail PSH before it is sent;
		 * MSG_EOR closes the record: later data starts a new skb */
		if (copied == len) {
			if (flags & MSG_EOR)
				tcp_write_queue_tail(tp)->eor = true;
			break;
		}
		if (skb_len < size_goal || (flags & MSG_OOB))
			continue;
		if (forced_push(tp)) {
			tcp_mark_push(tp, tcp_write_queue_tail(tp));
			__tcp_push_pending_frames(sk, TCP_NAGLE_PUSH);
		} else if (tp->send_head == head) {
			tcp_write_xmit(sk, TCP_NAGLE_PUSH, 1);	/* tcp_push_one */
		}
	}
	tcp_push(sk, flags, tp->nonagle);
	t->frame.copied = 0;
	return (long)copied;

do_error:
	if (copied) {
		tcp_push(sk, flags, tp->nonagle);
		t->frame.copied = 0;
		return (long)copied;
	}
	t->frame.copied = 0;
	return sk_stream_error(t, sk, flags, err);
}

/* A sleep in sk_stream_wait_memory()/sk_stream_wait_connect() releases the
 * socket (sk_wait_event); waking up takes it again. */
static long tcp_sendmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);
	struct sock *sk;
	long ret;

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	sk = f->sock->sk;
	if (sk->sk_write_pending)
		sk->sk_write_pending--;
	lock_sock(sk);
	ret = tcp_sendmsg_locked(t, sk, t->frame.flags, (size_t)t->args.a[0], timeo_left);
	release_sock(sk);
	return ret;
}

/*
 * Models: net/ipv4/tcp.c:tcp_sendmsg() — lock_sock(), tcp_sendmsg_locked(),
 * release_sock(): over loopback the peer's ACKs of what the call sent are
 * applied before it returns (models/net/core/dev.c).
 */
int tcp_sendmsg(struct sock *sk, struct msghdr_sim *msg, size_t len)
{
	struct task *t = net_current(sock_net(sk));
	sim_time_t timeo = sock_sndtimeo(sk, msg->flags & MSG_DONTWAIT);
	long ret;

	t->frame.flags = msg->flags;
	t->frame.timeo = timeo;
	t->frame.copied = 0;
	t->frame.past_connect = false;
	lock_sock(sk);
	ret = tcp_sendmsg_locked(t, sk, msg->flags, len, timeo);
	release_sock(sk);
	return (int)ret;
}

/*
 * Models: net/ipv4/tcp.c:tcp_eat_recv_skb() — an skb the reader has copied
 * to its end leaves the receive queue and gives its truesize back
 * (sock_rfree: sk_rmem_alloc).  A FIN's skb goes once its data is read.
 */
static void tcp_rcv_eat_skbs(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	guint n = 0;

	while (n < tcp_array_len(tp->rcv_skbs)) {
		const struct tcp_rskb *r = &g_array_index(tp->rcv_skbs, struct tcp_rskb, n);

		if (after(r->end_seq, tp->copied_seq))
			break;
		sk->sk_rmem_alloc -= (int)r->truesize;
		n++;
	}
	if (n)
		g_array_remove_range(tp->rcv_skbs, 0, n);
}

/*
 * One of @sk's receive-side arrays (tcp_sock.ofo, rcv_skbs, ofo_skbs), made
 * at its first use: a socket that never queues data (a client that only
 * sends) reads and allocates none of them.
 */
GArray *tcp_rcv_array(struct sock *sk, GArray **arr, guint element_size)
{
	if (!*arr)
		*arr = kernel_array_new(sock_net(sk)->ks, element_size);
	return *arr;
}

/* Models: net/core/skbuff.c:__skb_queue_purge() + net/core/skbuff.c:skb_rbtree_purge()
 * of both receive queues: their truesize leaves sk_rmem_alloc. */
void tcp_rmem_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->rcv_skbs)
		g_array_set_size(tp->rcv_skbs, 0);
	if (tp->ofo_skbs)
		g_array_set_size(tp->ofo_skbs, 0);
	sk->sk_rmem_alloc = 0;
}

/*
 * Models: net/ipv4/tcp.c:tcp_set_window_clamp() — a new clamp (at least
 * half of SOCK_MIN_RCVBUF): a smaller one also bounds rcv_ssthresh
 * (__tcp_adjust_rcv_ssthresh, no SO_RESERVE_MEM), a larger one lets
 * rcv_ssthresh up to the window already offered.
 */
void tcp_set_window_clamp(struct sock *sk, int val)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t old_clamp = tp->window_clamp;
	uint32_t new_clamp = (uint32_t)MAX(SOCK_MIN_RCVBUF_TCP / 2, val);

	if (new_clamp == old_clamp)
		return;
	tp->window_clamp = new_clamp;
	if (new_clamp < old_clamp)
		tp->rcv_ssthresh = MIN(tp->rcv_ssthresh, new_clamp);
	else
		tp->rcv_ssthresh = MAX(MIN(tp->rcv_wnd, new_clamp), tp->rcv_ssthresh);
}

/*
 * Models: net/ipv4/tcp.c:tcp_cleanup_rbuf() — after the application read,
 * advertise the opened window if it at least doubled.
 */
static void tcp_cleanup_rbuf(struct sock *sk, size_t copied)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool time_to_ack = false;

	if (sk->sk_state == TCP_CLOSE)
		return;
	/* the once-per-two-segments ACK tcp_input.c left to us */
	if (tp->ack_pending && tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss)
		time_to_ack = true;
	if (copied && !time_to_ack && !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		uint32_t rcv_window_now = tcp_receive_window(tp);

		if (2 * rcv_window_now <= tp->window_clamp) {
			uint32_t new_window = __tcp_select_window(sk);

			if (new_window && new_window >= 2 * rcv_window_now)
				time_to_ack = true;
		}
	}
	if (time_to_ack)
		tcp_send_ack(sk);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rcv_space_adjust() — dynamic right-sizing:
 * once per RTT, if the application read more than last time, grow the
 * receive buffer so the window can cover twice that (up to tcp_rmem[2]).
 * The receiver's RTT is the connection's srtt (the kernel measures it
 * separately, tcp_rcv_rtt_measure).
 */
static void tcp_rcv_space_adjust(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = net_now(sock_net(sk));
	uint64_t copied, rcvwin, grow, rcvbuf;

	if (!tp->srtt_us || now - tp->rcvq_space.time < SIM_USEC(tp->srtt_us >> 3))
		return;
	copied = tp->copied_seq - tp->rcvq_space.seq;
	if (copied > tp->rcvq_space.space && !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		rcvwin = (copied << 1) + 16u * tp->advmss;
		grow = rcvwin * (copied - tp->rcvq_space.space) / MAX(tp->rcvq_space.space, 1u);
		rcvwin += grow << 1;
		rcvbuf = MIN((uint64_t)tcp_space_from_win(sk, (int)MIN(rcvwin, (uint64_t)INT32_MAX)),
			     (uint64_t)sock_net(sk)->ipv4.sysctl_tcp_rmem[2]);
		if (rcvbuf > (uint64_t)sk->sk_rcvbuf) {
			sk->sk_rcvbuf = (int)rcvbuf;
			tcp_set_window_clamp(sk, tcp_win_from_space(sk, (int)rcvbuf));
		}
	}
	if (copied > tp->rcvq_space.space)
		tp->rcvq_space.space = (uint32_t)copied;
	tp->rcvq_space.seq = tp->copied_seq;
	tp->rcvq_space.time = now;
}

/*
 * Models: include/net/tcp.h:tcp_inq_hint() — the bytes left to read; after
 * a FIN, at least 1 so that the reader keeps reading until it sees EOF.
 */
static int tcp_inq_hint(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	int inq = (int)(tp->rcv_nxt - tp->copied_seq);

	if (inq == 0 && sk->sock_done)
		inq = 1;
	return inq;
}

/*
 * Models: net/ipv4/tcp.c:tcp_recvmsg() after tcp_recvmsg_locked() — with
 * TCP_INQ on (tp->recvmsg_inq sets TCP_CMSG_INQ and msg_get_inq) and a call
 * that did not fail, put_cmsg(SOL_TCP, TCP_CM_INQ, tcp_inq_hint()) into the
 * control buffer: here the call's out value.
 */
static long tcp_recvmsg_cmsg(struct task *t, struct sock *sk, long ret)
{
	if (ret >= 0 && tcp_sk(sk)->recvmsg_inq && t->frame.msg_control) {
		t->out_valid = true;
		t->out_val = tcp_inq_hint(sk);
	}
	return ret;
}

static long tcp_recvmsg_locked(struct task *t, struct sock *sk, size_t len, sim_time_t timeo)
{
	struct tcp_sock *tp = tcp_sk(sk);
	size_t n;

	if (sk->sk_state == TCP_LISTEN)
		return -SIM_ENOTCONN;
	if (sk->sk_rcv_queued) {
		n = MIN(len, (size_t)sk->sk_rcv_queued);
		sk->sk_rcv_queued -= (int)n;
		tp->copied_seq += (uint32_t)n;
		tcp_rcv_eat_skbs(sk);
		tcp_rcv_space_adjust(sk);
		tcp_cleanup_rbuf(sk, n);
		return (long)n;
	}
	if (sk->sk_err)
		return sock_error(sk);
	if (sk->sk_shutdown & RCV_SHUTDOWN) {
		tcp_rcv_eat_skbs(sk);	/* found_fin_ok: a bare FIN's skb is eaten */
		return 0;
	}
	if (sk->sk_state == TCP_CLOSE)
		return -SIM_ENOTCONN;
	if (!timeo)
		return -SIM_EAGAIN;
	if (signal_pending(t))
		return sock_intr_errno(t->frame.timeo);
	return sk_wait_sleep(t, sk, timeo, tcp_recvmsg_resume);
}

static long tcp_recvmsg_resume(struct task *t, sim_time_t timeo_left)
{
	struct file *f = task_fget(t, t->args.fd);

	if (!f || !f->sock->sk)
		return -SIM_EBADF;
	return tcp_recvmsg_cmsg(t, f->sock->sk,
				tcp_recvmsg_locked(t, f->sock->sk, (size_t)t->args.a[0], timeo_left));
}

/* Models: net/ipv4/tcp.c:tcp_recvmsg() -> tcp_recvmsg_locked() (byte counts only). */
int tcp_recvmsg(struct sock *sk, struct msghdr_sim *msg, size_t len, int flags)
{
	struct task *t = net_current(sock_net(sk));
	sim_time_t timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);

	t->frame.timeo = timeo;
	return (int)tcp_recvmsg_cmsg(t, sk, tcp_recvmsg_locked(t, sk, len, timeo));
}

const char *const tcp_info_field_names[TCPI_MAX] = {
#define TCPI_NAME(n) "tcpi_" #n,
	TCP_INFO_FIELDS(TCPI_NAME)
#undef TCPI_NAME
};

/*
 * Models: net/ipv4/tcp.c:tcp_get_info_chrono_stats() — busy, rwnd- and
 * sndbuf-limited time, the running chronograph included, counted in jiffies
 * (tcp_jiffies32) and reported as jiffies * USEC_PER_SEC / HZ: multiples of
 * 4000 us at HZ=250; busy time is the sum of all three.
 */
static void tcp_get_info_chrono_stats(struct sock *sk, uint64_t *v)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct sim *sim = sock_net(sk)->sim;
	uint64_t stats[__TCP_CHRONO_MAX] = { 0 }, total = 0;

	for (int i = TCP_CHRONO_BUSY; i < __TCP_CHRONO_MAX; i++) {
		stats[i] = tp->chrono_stat[i - 1];
		if (i == tp->chrono_type)
			stats[i] += (uint32_t)((uint32_t)sim_jiffies(sim) - tp->chrono_start);
		stats[i] *= 1000000u / sim_config(sim)->hz;
		total += stats[i];
	}
	v[TCPI_busy_time] = total;
	v[TCPI_rwnd_limited] = stats[TCP_CHRONO_RWND_LIMITED];
	v[TCPI_sndbuf_limited] = stats[TCP_CHRONO_SNDBUF_LIMITED];
}

/* Models: net/ipv4/tcp.c:tcp_get_info() */
void tcp_get_info(struct sock *sk, struct tcp_info_sim *info)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint64_t *v = info->v;

	memset(info, 0, sizeof(*info));
	v[TCPI_state] = sk->sk_state;
	v[TCPI_ca_state] = icsk->icsk_ca_state;
	v[TCPI_retransmits] = icsk->icsk_retransmits;
	v[TCPI_probes] = tp->icsk_probes_out;
	v[TCPI_backoff] = icsk->icsk_backoff;
	v[TCPI_rto] = icsk->icsk_rto / 1000u;
	v[TCPI_ato] = tp->ato / 1000u;
	v[TCPI_snd_mss] = tp->mss_cache;
	v[TCPI_rcv_mss] = tp->rcv_mss;
	v[TCPI_unacked] = tp->packets_out;
	v[TCPI_sacked] = tp->sacked_out;
	v[TCPI_lost] = tp->lost_out;
	v[TCPI_retrans] = tp->retrans_out;
	v[TCPI_rtt] = tp->srtt_us >> 3;
	v[TCPI_rttvar] = tp->mdev_us >> 2;
	v[TCPI_snd_ssthresh] = tp->snd_ssthresh;
	v[TCPI_snd_cwnd] = tp->snd_cwnd;
	v[TCPI_advmss] = tp->advmss;
	v[TCPI_reordering] = tp->reordering;
	v[TCPI_total_retrans] = tp->total_retrans;
	v[TCPI_bytes_acked] = tp->bytes_acked;
	v[TCPI_bytes_received] = tp->bytes_received;
	v[TCPI_segs_out] = tp->segs_out;
	v[TCPI_segs_in] = tp->segs_in;
	v[TCPI_data_segs_out] = tp->data_segs_out;
	v[TCPI_data_segs_in] = tp->data_segs_in;
	v[TCPI_delivered] = tp->delivered;
	v[TCPI_snd_wnd] = tp->snd_wnd;
	v[TCPI_rcv_wnd] = tp->rcv_wnd;
	v[TCPI_rcv_ssthresh] = tp->rcv_ssthresh;
	v[TCPI_rcv_space] = tp->rcvq_space.space;
	v[TCPI_min_rtt] = tp->min_rtt_us;
	v[TCPI_bytes_sent] = tp->bytes_sent;
	v[TCPI_bytes_retrans] = tp->bytes_retrans;
	v[TCPI_notsent_bytes] = tp->write_seq - tp->snd_nxt;
	v[TCPI_snd_wscale] = tp->snd_wscale;
	v[TCPI_rcv_wscale] = tp->rcv_wscale;
	/* jiffies_to_msecs(now - tp->lsndtime / icsk_ack.lrcvtime) */
	v[TCPI_last_data_sent] = (net_now(sock_net(sk)) - tp->lsndtime_ns) / 1000000u;
	v[TCPI_last_data_recv] = (net_now(sock_net(sk)) - tp->lrcvtime) / 1000000u;
	tcp_get_info_chrono_stats(sk, v);
}

/* Models: net/ipv4/tcp.c:do_tcp_setsockopt() for the options socksim knows. */
int tcp_setsockopt(struct sock *sk, int level, int optname, int64_t val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct task *t = net_current(sock_net(sk));

	if (level != SOL_TCP)	/* tcp_setsockopt(): icsk_af_ops->setsockopt */
		return ip_setsockopt(sk, level, optname, val);
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
	case TCP_INQ:		/* 0 or 1 */
		if (val < 0 || val > 1)
			return -SIM_EINVAL;
		tp->recvmsg_inq = val;
		return 0;
	case TCP_NOTSENT_LOWAT:	/* any int, kept as a u32; a writer may wake now */
		tp->notsent_lowat = (uint32_t)val;
		sk_stream_write_space(sk);
		return 0;
	case TCP_NODELAY:	/* __tcp_sock_set_nodelay(): setting it pushes */
		if (val) {
			tp->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
			__tcp_push_pending_frames(sk, tp->nonagle);
			tp->nonagle &= (uint8_t)~TCP_NAGLE_PUSH;
		} else {
			tp->nonagle &= (uint8_t)~TCP_NAGLE_OFF;
		}
		return 0;
	case TCP_CORK:		/* __tcp_sock_set_cork(): uncorking pushes */
		if (val) {
			tp->nonagle |= TCP_NAGLE_CORK;
		} else {
			tp->nonagle &= (uint8_t)~TCP_NAGLE_CORK;
			if (tp->nonagle & TCP_NAGLE_OFF)
				tp->nonagle |= TCP_NAGLE_PUSH;
			__tcp_push_pending_frames(sk, tp->nonagle);
			tp->nonagle &= (uint8_t)~TCP_NAGLE_PUSH;
		}
		return 0;
	case TCP_MAXSEG:	/* TCP_MIN_MSS .. MAX_TCP_WINDOW */
		if (val && (val < 88 || val > 32767))
			return -SIM_EINVAL;
		tp->user_mss = (uint16_t)val;
		return 0;
	case TCP_CONGESTION:
		return tcp_set_congestion_control(sk, t && t->args.str ? t->args.str : "");
	case TCP_RTO_MAX_MS:
		if (!sock_net(sk)->profile->rto_max_tunable)
			return -SIM_ENOPROTOOPT;
		if (val < 1000 || val > 120000)
			return -SIM_EINVAL;
		icsk->icsk_rto_max = SIM_MSEC(val);
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: include/net/tcp.h:tcp_inq() (no urgent data: MSG_OOB is not modelled). */
static int tcp_inq(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	int answ;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		return 0;
	answ = (int)(tp->rcv_nxt - tp->copied_seq);
	if (answ && sk->sock_done)
		answ--;		/* the FIN took a sequence number */
	return answ;
}

/*
 * Models: net/ipv4/tcp.c:tcp_ioctl() — SIOCINQ (FIONREAD) bytes not yet
 * read, SIOCOUTQ bytes not yet acknowledged, SIOCOUTQNSQ bytes not yet
 * sent; EINVAL on a listener, 0 during the handshake.
 */
int tcp_ioctl(struct sock *sk, int cmd, int *karg)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	bool handshake = sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV;

	switch (cmd) {
	case SIM_SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -SIM_EINVAL;
		*karg = tcp_inq(sk);
		return 0;
	case SIM_SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -SIM_EINVAL;
		*karg = handshake ? 0 : (int)(tp->write_seq - tp->snd_una);
		return 0;
	case SIM_SIOCOUTQNSQ:
		if (sk->sk_state == TCP_LISTEN)
			return -SIM_EINVAL;
		*karg = handshake ? 0 : (int)(tp->write_seq - tp->snd_nxt);
		return 0;
	default:
		return -SIM_ENOIOCTLCMD;
	}
}

/* Models: net/ipv4/tcp.c:do_tcp_getsockopt() */
int tcp_getsockopt(struct sock *sk, int level, int optname, int64_t *val)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct task *t = net_current(sock_net(sk));

	if (level != SOL_TCP)	/* tcp_getsockopt(): icsk_af_ops->getsockopt */
		return ip_getsockopt(sk, level, optname, val);
	switch (optname) {
	case TCP_SYNCNT:
		*val = icsk->icsk_syn_retries ? icsk->icsk_syn_retries :
			sock_net(sk)->ipv4.sysctl_tcp_syn_retries;
		return 0;
	case TCP_USER_TIMEOUT:
		*val = icsk->icsk_user_timeout;
		return 0;
	case TCP_INQ:
		*val = tcp_sk(sk)->recvmsg_inq;
		return 0;
	case TCP_NOTSENT_LOWAT:	/* the u32 goes back in an int */
		*val = (int32_t)tcp_sk(sk)->notsent_lowat;
		return 0;
	case TCP_NODELAY:
		*val = (tcp_sk(sk)->nonagle & TCP_NAGLE_OFF) != 0;
		return 0;
	case TCP_CORK:
		*val = (tcp_sk(sk)->nonagle & TCP_NAGLE_CORK) != 0;
		return 0;
	case TCP_MAXSEG:
		/* before a connection exists, what the user asked for */
		if (tcp_sk(sk)->user_mss && ((1 << sk->sk_state) & ((1 << TCP_CLOSE) | (1 << TCP_LISTEN))))
			*val = tcp_sk(sk)->user_mss;
		else
			*val = tcp_sk(sk)->mss_cache;
		return 0;
	case TCP_CONGESTION:
		*val = tcp_ca_index(tcp_sk(sk)->ca_ops->name);
		return 0;
	case TCP_INFO:
		if (t) {
			if (!t->tcp_info)
				t->tcp_info = g_new(struct tcp_info_sim, 1);
			tcp_get_info(sk, t->tcp_info);
			t->has_tcp_info = true;
		}
		*val = sizeof(struct tcp_info_sim);
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}
