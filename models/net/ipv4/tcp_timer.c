/* SPDX-License-Identifier: MIT */
/*
 * The TCP retransmission timer, in the kernel's four layers:
 * tcp_write_timer -> tcp_write_timer_handler -> tcp_retransmit_timer ->
 * tcp_write_timeout.  Models: net/ipv4/tcp_timer.c @ v6.18 (5.0 rules under
 * the linux-5.0 profile: count-only SYN expiry, no linear timeouts).
 */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "trace/events/tcp.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "net/tcp_cong.h"
#include "net/tcp_ecn.h"
#include "sim/trace.h"

static sim_time_t one_jiffy(struct sock *sk)
{
	return sim_jiffies_to_ns(sock_net(sk)->sim, 1);
}


/*
 * Models: net/ipv4/tcp_timer.c:tcp_model_timeout() — how long @boundary
 * exponential backoffs starting at @rto_base take, capped at @rto_max.
 */
sim_time_t tcp_model_timeout(unsigned int boundary, sim_time_t rto_base, sim_time_t rto_max)
{
	unsigned int thresh = 0;

	while ((rto_base << (thresh + 1)) <= rto_max)
		thresh++;	/* ilog2(rto_max / rto_base) */
	if (boundary <= thresh)
		return ((UINT64_C(2) << boundary) - 1) * rto_base;
	return ((UINT64_C(2) << thresh) - 1) * rto_base + (boundary - thresh) * rto_max;
}

/* Models: net/ipv4/tcp_timer.c:retransmits_timed_out() */
static bool retransmits_timed_out(struct sock *sk, unsigned int boundary, uint32_t timeout_ms)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = net_now(sock_net(sk));
	uint64_t limit_ms = timeout_ms;

	if (!inet_csk(sk)->icsk_retransmits)
		return false;
	if (!limit_ms) {
		sim_time_t rto_base = TCP_RTO_MIN;

		if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
			rto_base = TCP_TIMEOUT_INIT;	/* tcp_timeout_init() */
		limit_ms = tcp_model_timeout(boundary, rto_base, inet_csk(sk)->icsk_rto_max) / 1000000u;
	}
	return tcp_time_stamp_ms(now) - tp->retrans_stamp >= limit_ms;
}

/* Models: net/ipv4/tcp_timer.c:tcp_write_timeout() — 1 when the connection was killed. */
static int tcp_write_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct net *net = sock_net(sk);
	const struct kernel_profile *prof = sock_net(sk)->profile;
	unsigned int retry_until, max_retransmits;
	bool expired;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		retry_until = icsk->icsk_syn_retries ? icsk->icsk_syn_retries :
			(unsigned int)net->ipv4.sysctl_tcp_syn_retries;
		max_retransmits = retry_until;
		if (sk->sk_state == TCP_SYN_SENT && prof->syn_linear_timeouts)
			max_retransmits += (unsigned int)net->ipv4.sysctl_tcp_syn_linear_timeouts;
		expired = icsk->icsk_retransmits >= max_retransmits;
		if (!expired && prof->syn_expiry_time_based)
			expired = retransmits_timed_out(sk, retry_until, icsk->icsk_user_timeout);
	} else {
		/* tcp_retries2 as a time budget (tcp_model_timeout, 200 ms base) */
		retry_until = (unsigned int)net->ipv4.sysctl_tcp_retries2;
		max_retransmits = retry_until;
		expired = retransmits_timed_out(sk, retry_until, icsk->icsk_user_timeout);
	}
	if (!expired)
		return 0;
	sk_trace(sk, "tcp_write_timeout", "net/ipv4/tcp_timer.c:tcp_write_timeout",
		 "retransmits=%u max_retransmits=%u retry_until=%u user_timeout_ms=%u errno=%s",
		 icsk->icsk_retransmits, max_retransmits, retry_until, icsk->icsk_user_timeout,
		 sim_errno_name(sk->sk_err_soft ? sk->sk_err_soft : SIM_ETIMEDOUT));
	tcp_write_err(sk);
	return 1;
}

/*
 * Models: net/ipv4/tcp_timer.c:tcp_clamp_rto_to_user_timeout() — never
 * sleep past TCP_USER_TIMEOUT; once it has passed, fire in one jiffy.
 */
static sim_time_t tcp_clamp_rto_to_user_timeout(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	sim_time_t now = net_now(sock_net(sk));
	int64_t elapsed, remaining;

	if (!icsk->icsk_user_timeout || !tcp_sk(sk)->retrans_stamp)
		return icsk->icsk_rto;
	elapsed = (int64_t)(tcp_time_stamp_ms(now) - tcp_sk(sk)->retrans_stamp);
	remaining = (int64_t)icsk->icsk_user_timeout - elapsed;
	if (remaining <= 0)
		return one_jiffy(sk);
	return MIN(icsk->icsk_rto, SIM_MSEC(remaining));
}

/* Models: net/ipv4/tcp_timer.c:tcp_retransmit_timer() */
static void tcp_retransmit_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct net *net = sock_net(sk);
	const struct kernel_profile *prof = sock_net(sk)->profile;
	bool syn_state = sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV;
	bool syn_linear_phase;
	int err;

	if (syn_state ? tp->snd_una == tp->snd_nxt : !tp->packets_out)
		return;		/* nothing outstanding */
	tp->tlp_high_seq = 0;
	if (tcp_write_timeout(sk))
		return;
	if (icsk->icsk_retransmits == 0)
		NET_INC_STATS(sock_net(sk), TCPTimeouts);
	if (!syn_state)
		tcp_enter_loss(sk);
	else
		/* the kernel enters Loss in SYN_SENT/SYN_RECV too; of that the
		 * model keeps what outlives the handshake: the CWR it queues
		 * (net/ipv4/tcp_input.c:tcp_enter_loss -> tcp_ecn_queue_cwr),
		 * so an ECN connection whose SYN timed out sets CWR on its
		 * first data */
		tcp_ecn_queue_cwr(tp);
	if (prof->syn_expiry_time_based || !syn_state) {
		/* tcp_update_rto_stats(): counted before the retransmission */
		icsk->icsk_retransmits++;
		tp->total_rto++;
		/* the RTO resends one segment of the head skb */
		err = tcp_retransmit_skb(sk, tcp_rtx_queue_head(tp) ? tp->write_queue.head : NULL, 1, NULL);
	} else {
		/* 5.0: counted after it; the firing times are the same */
		err = tcp_retransmit_skb(sk, NULL, 1, NULL);
		icsk->icsk_retransmits++;
		tp->total_rto++;
	}
	if (err > 0) {
		/* Retransmission failed because of local congestion (the qdisc
		 * dropped it): no backoff, retry every TCP_RESOURCE_PROBE_INTERVAL */
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, TCP_RESOURCE_PROBE_INTERVAL,
					  icsk->icsk_rto_max);
		return;
	}
	/* 6.5+: the first tcp_syn_linear_timeouts SYN retransmissions keep the initial RTO. */
	syn_linear_phase = prof->syn_linear_timeouts && sk->sk_state == TCP_SYN_SENT &&
		tp->total_rto <= (uint32_t)net->ipv4.sysctl_tcp_syn_linear_timeouts;
	if (!syn_linear_phase) {
		icsk->icsk_backoff++;
		icsk->icsk_rto = MIN(icsk->icsk_rto << 1, icsk->icsk_rto_max);
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, tcp_clamp_rto_to_user_timeout(sk),
				  icsk->icsk_rto_max);
}

/* tcp_jiffies32: the jiffies counter, as the kernel's u32 */
static uint32_t tcp_jiffies32(const struct sock *sk)
{
	return (uint32_t)sim_jiffies(sock_net((struct sock *)sk)->sim);
}

/*
 * Models: net/ipv4/tcp_timer.c:tcp_clamp_probe0_to_user_timeout() — a
 * probe timer never sleeps past TCP_USER_TIMEOUT (counted from the first
 * probe, icsk_probes_tstamp), but at least TCP_TIMEOUT_MIN (2 jiffies).  The
 * kernel's u32 arithmetic: once the timeout has passed, @when is kept.
 */
sim_time_t tcp_clamp_probe0_to_user_timeout(const struct sock *sk, sim_time_t when)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	uint32_t user_timeout = inet_csk((struct sock *)sk)->icsk_user_timeout;
	struct sim *sim = sock_net((struct sock *)sk)->sim;
	int32_t elapsed;
	uint32_t remaining;

	if (!user_timeout || !tp->probes_tstamp)
		return when;
	elapsed = (int32_t)(tcp_jiffies32(sk) - tp->probes_tstamp);
	if (elapsed < 0)
		elapsed = 0;
	remaining = (uint32_t)sim_usecs_to_jiffies(sim, (uint64_t)user_timeout * 1000u) - (uint32_t)elapsed;
	remaining = MAX(remaining, 2u);	/* TCP_TIMEOUT_MIN */
	return MIN(sim_jiffies_to_ns(sim, remaining), when);
}

/*
 * Models: net/ipv4/tcp_timer.c:tcp_probe_timer() — the zero-window (or
 * local congestion) probe: give up after TCP_USER_TIMEOUT since the first
 * probe, or after tcp_retries2 probes; else tcp_send_probe0().
 */
static void tcp_probe_timer(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	unsigned int max_probes;

	if (tp->packets_out || !tp->send_head) {
		tp->icsk_probes_out = 0;
		tp->probes_tstamp = 0;
		return;
	}
	/* icsk_probes_tstamp: TCP_USER_TIMEOUT bounds how long the window may stay shut */
	if (!tp->probes_tstamp) {
		tp->probes_tstamp = tcp_jiffies32(sk);
	} else if (icsk->icsk_user_timeout &&
		   (int32_t)(tcp_jiffies32(sk) - tp->probes_tstamp) >=
		   (int32_t)sim_usecs_to_jiffies(sock_net(sk)->sim, (uint64_t)icsk->icsk_user_timeout * 1000u)) {
		tcp_write_err(sk);
		return;
	}
	max_probes = (unsigned int)sock_net(sk)->ipv4.sysctl_tcp_retries2;
	if (tp->icsk_probes_out >= max_probes) {
		tcp_write_err(sk);
		return;
	}
	tcp_send_probe0(sk);
}

/* Models: net/ipv4/tcp_timer.c:tcp_write_timer_handler() */
static void tcp_write_timer_handler(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	int event;

	if (sk->sk_state == TCP_CLOSE || !icsk->icsk_pending)
		return;
	event = icsk->icsk_pending;
	trace_tcp_timer_fired(sk, event);
	switch (event) {
	case ICSK_TIME_LOSS_PROBE:
		/* still pending: tcp_rearm_rto keeps the RTO deadline if no probe goes out */
		tcp_send_loss_probe(sk);
		break;
	case ICSK_TIME_RETRANS:
		icsk->icsk_pending = 0;
		tcp_retransmit_timer(sk);
		break;
	case ICSK_TIME_PROBE0:
		icsk->icsk_pending = 0;
		tcp_probe_timer(sk);
		break;
	default:
		break;
	}
}

/* Models: net/ipv4/tcp_timer.c:tcp_write_timer() — the raw timer callback. */
static void tcp_write_timer(struct sim_timer *t)
{
	struct inet_connection_sock *icsk = container_of(t, struct inet_connection_sock,
							 icsk_retransmit_timer);

	tcp_write_timer_handler(&icsk->sk);
}

/* Models: net/ipv4/tcp_timer.c:tcp_delack_timer_handler() — the delayed ACK goes out. */
static void tcp_delack_timer(struct sim_timer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, delack_timer);
	struct sock *sk = &tp->icsk.sk;

	if (sk->sk_state == TCP_CLOSE || !tp->ack_pending)
		return;
	trace_tcp_timer_fired(sk, ICSK_TIME_DACK);
	tcp_send_ack(sk);
}

/*
 * Models: net/ipv4/tcp_timer.c:tcp_keepalive_timer(), its orphan FIN_WAIT2
 * arm only (no keepalive probes): an orphan whose FIN_WAIT2 is still a full
 * socket has waited.  With tcp_fin_time() above TCP_TIMEWAIT_LEN it waited
 * the difference and now becomes a timewait sock for that difference again
 * (the kernel's arithmetic: 2 * tcp_fin_time() - 2 * TCP_TIMEWAIT_LEN in
 * all); otherwise (the ACK of its FIN came with the peer's FIN or data, and
 * it waited tcp_fin_time()) a RST, and the socket dies.
 */
static void tcp_keepalive_timer(struct sim_timer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, keepalive_timer);
	struct sock *sk = &tp->icsk.sk;

	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag_dead(sk)) {
		sim_time_t tmo = tcp_fin_time(sk);

		if (tmo > TCP_TIMEWAIT_LEN) {
			tcp_time_wait(sk, TCP_FIN_WAIT2, tmo - TCP_TIMEWAIT_LEN);
			return;
		}
		tcp_send_active_reset(sk);
		tcp_done(sk);
	}
}

/* Models: net/ipv4/tcp_timer.c:tcp_init_xmit_timers() */
void tcp_init_xmit_timers(struct sock *sk)
{
	struct sim *sim = sock_net(sk)->sim;
	struct tcp_sock *tp = tcp_sk(sk);

	sim_timer_setup(sim, &inet_csk(sk)->icsk_retransmit_timer, tcp_write_timer,
			"tcp_write_timer");
	sim_timer_setup(sim, &tp->delack_timer, tcp_delack_timer, "tcp_delack_timer");
	sim_timer_setup(sim, &tp->keepalive_timer, tcp_keepalive_timer, "tcp_keepalive_timer");
}

/* Models: net/ipv4/tcp_timer.c:tcp_clear_xmit_timers() */
void tcp_clear_xmit_timers(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	inet_csk(sk)->icsk_pending = 0;
	sim_timer_delete(&inet_csk(sk)->icsk_retransmit_timer);
	sim_timer_delete(&tp->delack_timer);
	sim_timer_delete(&tp->rack_timer);
	if (sk->sk_state == TCP_CLOSE)
		sim_timer_delete(&tp->keepalive_timer);
}
