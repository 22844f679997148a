/* SPDX-License-Identifier: MIT */
/* Receiving segments.  Models: net/ipv4/tcp_input.c @ v6.18. */
#include <glib.h>

#include "env/world.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "sim/trace.h"

#define TCP_TIMEWAIT_LEN SIM_SEC(60)
#define TCP_FIN_TIMEOUT SIM_SEC(60)	/* net.ipv4.tcp_fin_timeout default */

static void trace_sk(struct sock *sk, const char *event, const char *func,
		     const char *detail)
{
	char label[16];

	sock_label(sk, label, sizeof(label));
	sim_trace(sk->host->world->sim, sk->host->name, label, event, func, "%s", detail);
}

/* Models: net/ipv4/tcp_input.c:tcp_reset() — which errno a RST means per state. */
void tcp_reset(struct sock *sk, struct sk_buff *skb)
{
	int err;

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		err = SIM_ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		err = SIM_EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		err = SIM_ECONNRESET;
		break;
	}
	trace_sk(sk, "tcp_receive_reset", "net/ipv4/tcp_input.c:tcp_reset",
		 err == SIM_ECONNREFUSED ? "errno=ECONNREFUSED" :
		 err == SIM_EPIPE ? "errno=EPIPE" : "errno=ECONNRESET");
	tcp_sk(sk)->unsent = tcp_sk(sk)->unacked = 0;	/* tcp_write_queue_purge */
	sk->sk_err = err;
	sk_error_report(sk);
	tcp_done(sk);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rtt_estimator() for the first sample and
 * tcp_set_rto(): srtt = m, rttvar = max(2m, rto_min), rto = m + rttvar.
 */
static void tcp_ack_update_rtt(struct sock *sk, sim_time_t m)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint32_t m_us = (uint32_t)MAX(m / 1000, 1);
	sim_time_t rttvar;

	tp->srtt_us = m_us << 3;
	tp->mdev_us = m_us << 1;
	rttvar = MAX(SIM_USEC(tp->mdev_us), icsk->icsk_rto_min);
	tp->rttvar_us = (uint32_t)(rttvar / 1000);
	icsk->icsk_rto = MIN(SIM_USEC(m_us) + rttvar, icsk->icsk_rto_max);
	icsk->icsk_backoff = 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_init_transfer() + tcp_metrics.c:tcp_init_metrics():
 * without an RTT sample the RTO falls back to 3 s; more than one SYN/SYN-ACK
 * retransmission drops the initial cwnd to 1.
 */
void tcp_init_transfer(struct sock *sk, bool rtt_sample, sim_time_t rtt)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (rtt_sample) {
		tcp_ack_update_rtt(sk, rtt);
	} else {
		tp->mdev_us = tp->rttvar_us = 3000000;
		icsk->icsk_rto = TCP_TIMEOUT_FALLBACK;
	}
	tp->snd_cwnd = tp->total_retrans > 1 ? 1 : TCP_INIT_CWND;
}

/* Models: net/ipv4/tcp_input.c:tcp_finish_connect() */
static void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = sim_now(sk->host->world->sim);
	/* Karn: no sequence RTT sample from a retransmitted SYN (timestamps
	 * would give one; the model treats the sample as absent). */
	bool sample = tp->total_retrans == 0;

	tcp_set_state(sk, TCP_ESTABLISHED);
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	tcp_init_transfer(sk, sample, now - tp->syn_sent_at);
	tp->retrans_stamp = 0;
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
}

/* Models: net/ipv4/tcp_input.c:tcp_rcv_synsent_state_process() */
static int tcp_rcv_synsent_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (skb->flags & TCPHDR_ACK) {
		/* ACK must be in (snd_una, snd_nxt] — i.e. exactly ISN + 1. */
		if (!after(skb->ack_seq, tp->snd_una) || after(skb->ack_seq, tp->snd_nxt)) {
			if (icsk->icsk_retransmits == 0 &&
			    sk->host->world->profile->synsent_bad_ack_rearm)
				/* TCP_TIMEOUT_MIN: two jiffies, a new SYN almost at once */
				inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
							  sim_jiffies_to_ns(sk->host->world->sim, 2),
							  icsk->icsk_rto_max);
			return 1;	/* the caller sends a RST */
		}
		if (skb->flags & TCPHDR_RST) {
			tcp_reset(sk, skb);
			return 0;
		}
		if (!(skb->flags & TCPHDR_SYN))
			return 0;	/* neither SYN nor RST: drop */
		/* SYN-ACK */
		tp->snd_una = skb->ack_seq;
		tp->rcv_nxt = skb->seq + 1;
		tp->snd_wnd = skb->window;
		if (skb->mss && skb->mss < tp->advmss)
			tp->mss_cache = skb->mss - (tp->advmss - tp->mss_cache);
		trace_sk(sk, "tcp_rcv_synsent_state_process",
			 "net/ipv4/tcp_input.c:tcp_rcv_synsent_state_process", "synack=yes");
		tcp_finish_connect(sk, skb);
		/* The final ACK goes out at once (no data waiting to piggyback). */
		tcp_send_ack(sk);
		return 0;
	}
	if (skb->flags & TCPHDR_RST)
		return 0;	/* a RST without ACK never aborts a connect */
	if (skb->flags & TCPHDR_SYN) {
		/* Simultaneous open: SYN_RECV, answer with SYN-ACK. */
		tp->rcv_nxt = skb->seq + 1;
		tcp_set_state(sk, TCP_SYN_RECV);
		tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_SYN | TCPHDR_ACK, tp->snd_una, 0));
		return 0;
	}
	return 0;
}

/* Models: net/ipv4/tcp_input.c:tcp_fin() */
static void tcp_fin(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	sk->sk_shutdown |= RCV_SHUTDOWN;
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		/* tcp_time_wait(): TIME_WAIT for TCP_TIMEWAIT_LEN, then gone */
		tcp_set_state(sk, TCP_TIME_WAIT);
		icsk->icsk_pending = 0;
		sim_mod_timer(&icsk->icsk_delack_timer,
			      sim_now(sk->host->world->sim) + TCP_TIMEWAIT_LEN);
		break;
	default:
		break;
	}
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
}

/* An ACK that covers our FIN (snd_nxt) in the closing states. */
static void tcp_ack_fin_states(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool fin_acked = tp->fin_queued && skb->ack_seq == tp->snd_nxt;

	if (!fin_acked)
		return;
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		tcp_set_state(sk, TCP_FIN_WAIT2);
		/* An orphan does not wait forever for the peer's FIN:
		 * net.ipv4.tcp_fin_timeout (tcp_rcv_state_process, TCP_FIN_WAIT1 case). */
		if (sock_flag_dead(sk))
			sim_mod_timer(&inet_csk(sk)->icsk_delack_timer,
				      sim_now(sk->host->world->sim) + TCP_FIN_TIMEOUT);
		break;
	case TCP_CLOSING:
		tcp_set_state(sk, TCP_TIME_WAIT);
		sim_mod_timer(&inet_csk(sk)->icsk_delack_timer,
			      sim_now(sk->host->world->sim) + TCP_TIMEWAIT_LEN);
		break;
	case TCP_LAST_ACK:
		tcp_done(sk);
		break;
	default:
		break;
	}
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rcv_state_process().  Returns 1 when the
 * caller must answer with a RST.
 */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	switch (sk->sk_state) {
	case TCP_CLOSE:
		return 0;
	case TCP_LISTEN:
		if (skb->flags & TCPHDR_ACK)
			return 1;
		if (skb->flags & TCPHDR_RST)
			return 0;
		if (skb->flags & TCPHDR_SYN)
			tcp_conn_request(sk, skb);
		return 0;
	case TCP_SYN_SENT:
		return tcp_rcv_synsent_state_process(sk, skb);
	default:
		break;
	}
	if (skb->flags & TCPHDR_RST) {
		/* In-window check, reduced to "seq == rcv_nxt" (RFC 5961 exact match). */
		if (skb->seq == tp->rcv_nxt)
			tcp_reset(sk, skb);
		return 0;
	}
	if (skb->flags & TCPHDR_SYN) {
		/* SYN in a synchronized state: the peer retransmitted its SYN-ACK
		 * (our final ACK was lost) — answer with a duplicate ACK. */
		tcp_send_ack(sk);
		return 0;
	}
	if (sk->sk_state == TCP_TIME_WAIT) {
		/* tcp_timewait_state_process(): a retransmitted FIN means our
		 * last ACK was lost — ACK it again and restart the 2MSL wait. */
		if (skb->flags & TCPHDR_FIN) {
			tcp_send_ack(sk);
			sim_mod_timer(&inet_csk(sk)->icsk_delack_timer,
				      sim_now(sk->host->world->sim) + TCP_TIMEWAIT_LEN);
		}
		return 0;
	}
	if (!(skb->flags & TCPHDR_ACK))
		return 0;
	if (sk->sk_state == TCP_SYN_RECV) {
		/* Simultaneous open completes. */
		tp->snd_una = skb->ack_seq;
		tcp_set_state(sk, TCP_ESTABLISHED);
		inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		tcp_init_transfer(sk, false, 0);
		if (!sock_flag_dead(sk))
			sk_state_change(sk);
	}
	if (after(skb->ack_seq, tp->snd_una)) {
		uint32_t acked = skb->ack_seq - tp->snd_una;

		tp->snd_una = skb->ack_seq;
		tp->unacked = acked > tp->unacked ? 0 : tp->unacked - acked;
	}
	tcp_ack_fin_states(sk, skb);
	if (skb->len && skb->seq == tp->rcv_nxt &&
	    !(sk->sk_shutdown & RCV_SHUTDOWN)) {
		tp->rcv_nxt += skb->len;
		tp->bytes_received += skb->len;
		if (sock_flag_dead(sk)) {
			/* Data for a closed socket: abort (TCPAbortOnData). */
			NET_INC_STATS(sk->host, TCPAbortOnData);
			tcp_send_active_reset(sk);
			tcp_done(sk);
			return 0;
		}
		sk->sk_rcv_queued += (int)skb->len;
		tcp_send_ack(sk);	/* no delayed ACK in this model */
		sk_wake_waiters(sk);
	}
	if (skb->flags & TCPHDR_FIN && skb->seq + skb->len == tp->rcv_nxt) {
		tp->rcv_nxt++;
		tcp_send_ack(sk);
		tcp_fin(sk);
	}
	return 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_conn_request() — SYN on a listener: drop
 * when the accept queue is full (even with syncookies), answer with a cookie
 * when the SYN queue is full and syncookies are on, else queue a request
 * and send the SYN-ACK.
 */
int tcp_conn_request(struct sock *listener, struct sk_buff *skb)
{
	struct host *h = listener->host;
	struct request_sock *req;
	bool want_cookie = false;
	int syncookies = h->net.ipv4.sysctl_tcp_syncookies;

	if ((syncookies == 2 || inet_csk_reqsk_queue_is_full(listener))) {
		if (!syncookies) {
			NET_INC_STATS(h, TCPReqQFullDrop);
			trace_sk(listener, "tcp_conn_request_drop",
				 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=syn-queue-full");
			return 0;
		}
		want_cookie = true;
		NET_INC_STATS(h, TCPReqQFullDoCookies);
	}
	if (sk_acceptq_is_full(listener)) {
		NET_INC_STATS(h, ListenOverflows);
		NET_INC_STATS(h, ListenDrops);
		trace_sk(listener, "tcp_conn_request_drop",
			 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=accept-queue-full");
		return 0;
	}
	/*
	 * Without syncookies the last quarter of tcp_max_syn_backlog is kept
	 * for peers proven alive by the metrics cache, which this model never
	 * has: those SYNs are dropped.
	 */
	if (!want_cookie && !syncookies &&
	    h->net.ipv4.sysctl_tcp_max_syn_backlog - (int)inet_csk(listener)->syn_qlen <
	    (h->net.ipv4.sysctl_tcp_max_syn_backlog >> 2)) {
		NET_INC_STATS(h, TCPReqQFullDrop);
		trace_sk(listener, "tcp_conn_request_drop",
			 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=syn-backlog-unproven");
		return 0;
	}
	req = g_new0(struct request_sock, 1);
	world_own(h->world, req);
	req->id = ++h->world->next_req_id;
	req->rsk_listener = listener;
	req->rmt_addr = skb->saddr;
	req->rmt_port = skb->source;
	req->loc_addr = skb->daddr;
	req->loc_port = skb->dest;
	req->rcv_isn = skb->seq;
	req->snt_isn = secure_tcp_seq(h);
	req->mss = skb->mss && skb->mss < 1460 ? skb->mss : 1460;
	req->timeout = TCP_TIMEOUT_INIT;
	req->cookie = want_cookie;
	trace_sk(listener, "tcp_conn_request", "net/ipv4/tcp_input.c:tcp_conn_request",
		 want_cookie ? "syncookie=yes" : "syncookie=no");
	inet_csk_reqsk_queue_hash_add(listener, req);
	tcp_v4_send_synack(listener, req);
	return 0;
}
