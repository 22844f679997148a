/* SPDX-License-Identifier: MIT */
/*
 * Receiving segments: the handshake, ACK processing (RTT, congestion
 * control, loss recovery) and the receive queue.  Models:
 * net/ipv4/tcp_input.c @ v6.18.  Simplifications are listed in docs/models.md:
 * no timestamps/PAWS, D-SACK without undo, a fixed 40 ms delayed-ACK
 * timeout (receive-buffer autotuning is in tcp.c:tcp_rcv_space_adjust).
 */
#include "uapi/linux/eventpoll.h"
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "net/socket.h"
#include "net/stream.h"
#include "net/tcp_cong.h"
#include "net/tcp_ecn.h"
#include "trace/events/tcp.h"
#include "sim/trace.h"

/* flags of one ACK, as the kernel's FLAG_* */
#define FLAG_DATA		0x01	/* carried data */
#define FLAG_WIN_UPDATE		0x02
#define FLAG_DATA_ACKED		0x04	/* acked new data */
#define FLAG_RETRANS_DATA_ACKED	0x08
#define FLAG_SYN_ACKED		0x10
#define FLAG_DATA_SACKED	0x20
#define FLAG_ECE		0x40	/* the ACK echoes congestion (ECE, RFC 3168) */
/* "this ACK marks some retransmission lost": nothing in the model sets it
 * (no lost-retransmission detection feeds PRR), so only the pre-5.12 PRR
 * bound reads it */
#define FLAG_LOST_RETRANS	0x80
#define FLAG_SND_UNA_ADVANCED	0x400
#define FLAG_DSACKING_ACK	0x800	/* the ACK carried a D-SACK block */
#define FLAG_SET_XMIT_TIMER	0x1000	/* set TLP or RTO timer */
#define FLAG_DSACK_TLP		0x20000	/* the D-SACK is for the loss probe */
#define FLAG_ACKED		(FLAG_DATA_ACKED | FLAG_SYN_ACKED)
#define FLAG_NOT_DUP		(FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED)
#define FLAG_FORWARD_PROGRESS	(FLAG_ACKED | FLAG_DATA_SACKED)

static sim_time_t now_of(const struct sock *sk)
{
	return net_now(sock_net(sk));
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
	sk_trace(sk, "tcp_receive_reset", "net/ipv4/tcp_input.c:tcp_reset", "errno=%s",
		 sim_errno_name(err));
	tcp_write_queue_purge(sk);
	sk->sk_err = err;
	sk_error_report(sk);
	tcp_done(sk);
}

/* ---- RTT and RTO ---- */

/* Models: include/net/tcp.h:__tcp_set_rto() + tcp_bound_rto(): srtt + rttvar, in whole jiffies. */
static void tcp_set_rto(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sim *sim = sock_net(sk)->sim;
	uint64_t j = sim_usecs_to_jiffies(sim, (tp->srtt_us >> 3) + tp->rttvar_us);

	icsk->icsk_rto = MIN(sim_jiffies_to_ns(sim, j), icsk->icsk_rto_max);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rtt_estimator() — Jacobson/Karels in
 * fixed point: srtt x8, mdev x4, rttvar never below rto_min, decayed once
 * per RTT.
 */
static void tcp_rtt_estimator(struct sock *sk, uint32_t mrtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t rto_min_us = (uint32_t)(inet_csk(sk)->icsk_rto_min / 1000u);
	int64_t m = mrtt_us;
	uint32_t srtt = tp->srtt_us;

	if (srtt != 0) {
		m -= (srtt >> 3);	/* m is now error in rtt est */
		srtt += (uint32_t)m;	/* rtt = 7/8 rtt + 1/8 new */
		if (m < 0) {
			m = -m;		/* m is now abs(error) */
			m -= (tp->mdev_us >> 2);
			if (m > 0)
				m >>= 3;	/* damp growth when RTT falls */
		} else {
			m -= (tp->mdev_us >> 2);
		}
		tp->mdev_us += (uint32_t)m;	/* mdev = 3/4 mdev + 1/4 new */
		if (tp->mdev_us > tp->mdev_max_us) {
			tp->mdev_max_us = tp->mdev_us;
			if (tp->mdev_max_us > tp->rttvar_us)
				tp->rttvar_us = tp->mdev_max_us;
		}
		if (after(tp->snd_una, tp->rtt_seq)) {
			if (tp->mdev_max_us < tp->rttvar_us)
				tp->rttvar_us -= (tp->rttvar_us - tp->mdev_max_us) >> 2;
			tp->rtt_seq = tp->snd_nxt;
			tp->mdev_max_us = rto_min_us;
		}
	} else {
		/* no previous measure */
		srtt = (uint32_t)m << 3;
		tp->mdev_us = (uint32_t)m << 1;
		tp->rttvar_us = MAX(tp->mdev_us, rto_min_us);
		tp->mdev_max_us = tp->rttvar_us;
		tp->rtt_seq = tp->snd_nxt;
	}
	tp->srtt_us = MAX(1u, srtt);
}

/* Models: net/ipv4/tcp_input.c:tcp_ack_update_rtt() — a valid sample resets the backoff. */
static void tcp_ack_update_rtt(struct sock *sk, int64_t rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (rtt_us < 0)
		return;
	if (!tp->min_rtt_us || (uint32_t)rtt_us < tp->min_rtt_us)
		tp->min_rtt_us = (uint32_t)MAX(rtt_us, 1);
	tcp_rtt_estimator(sk, (uint32_t)MAX(rtt_us, 1));
	tcp_set_rto(sk);
	inet_csk(sk)->icsk_backoff = 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_sndbuf_expand() — room for two windows
 * of full-sized segments, counted at their true size; capped by tcp_wmem[2].
 */
static void tcp_sndbuf_expand(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t per_mss = tp->mss_cache + MAX_TCP_HEADER + SKB_SHINFO_SIZE;
	uint32_t nr_segs = MAX(MAX((uint32_t)TCP_INIT_CWND, tp->snd_cwnd), tp->reordering + 1);
	int sndmem;

	per_mss = 1u << (32 - __builtin_clz(per_mss - 1));	/* roundup_pow_of_two */
	per_mss += SKB_STRUCT_SIZE;
	sndmem = (int)MIN((uint64_t)2 * nr_segs * per_mss, (uint64_t)sock_net(sk)->ipv4.sysctl_tcp_wmem[2]);
	if (sk->sk_sndbuf < sndmem)
		sk->sk_sndbuf = sndmem;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_init_buffer_space() — once established:
 * the clamp is at most the window the whole buffer holds, less a 1/2^n
 * application share (net.ipv4.tcp_app_win, 31: none) and less one
 * segment reserved; rcv_ssthresh starts within it; the autotuning baseline.
 * (tcp_sndbuf_expand is done by the caller.)
 */
static void tcp_init_buffer_space(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int app_win = sock_net(sk)->ipv4.sysctl_tcp_app_win;
	uint32_t maxwin = tcp_full_space(sk);
	uint32_t advmss = tp->advmss;

	tp->rcvq_space.time = now_of(sk);
	tp->rcvq_space.seq = tp->copied_seq;
	if (tp->window_clamp >= maxwin) {
		tp->window_clamp = maxwin;
		if (app_win && maxwin > 4 * advmss)
			tp->window_clamp = MAX(maxwin - (maxwin >> app_win), 4 * advmss);
	}
	/* Force reservation of one segment. */
	if (app_win && tp->window_clamp > 2 * advmss && tp->window_clamp + advmss > maxwin)
		tp->window_clamp = MAX(2 * advmss, maxwin - advmss);
	tp->rcv_ssthresh = MIN(tp->rcv_ssthresh, tp->window_clamp);
	tp->rcvq_space.space = MIN(MIN(tp->rcv_ssthresh, tp->rcv_wnd), (uint32_t)TCP_INIT_CWND * advmss);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_initialize_rcv_mss() — the guess at the
 * peer's MSS before any data: at most TCP_MSS_DEFAULT (536), so that the
 * first full-sized segment raises it (and measures the scaling ratio).
 */
void tcp_initialize_rcv_mss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t hint = MIN((uint32_t)tp->advmss, tp->mss_cache);

	hint = MIN(hint, tp->rcv_wnd / 2);
	hint = MIN(hint, (uint32_t)TCP_MSS_DEFAULT);
	hint = MAX(hint, (uint32_t)TCP_MIN_MSS);
	tp->rcv_mss = (uint16_t)hint;
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
		tcp_ack_update_rtt(sk, (int64_t)(rtt / 1000u));
	} else {
		tp->mdev_us = tp->mdev_max_us = tp->rttvar_us = 3000000;
		icsk->icsk_rto = TCP_TIMEOUT_FALLBACK;
	}
	tp->snd_cwnd = tp->total_retrans > 1 ? 1 : TCP_INIT_CWND;
	tp->snd_cwnd_cnt = 0;
	tcp_init_congestion_control(sk);
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		tcp_sndbuf_expand(sk);
	tcp_init_buffer_space(sk);
	trace_tcp_established(sk);
}

/* Options from a SYN-ACK (or the SYN, for the passive side). */
void tcp_apply_syn_options(struct sock *sk, uint8_t peer_wscale, bool peer_sack)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (peer_wscale == 0xff || !sock_net(sk)->ipv4.sysctl_tcp_window_scaling) {
		tp->snd_wscale = 0;
		tp->rcv_wscale = 0;	/* without the peer's option we do not scale either */
		tp->window_clamp = MIN(tp->window_clamp, 65535u);
	} else {
		tp->snd_wscale = MIN(peer_wscale, 14);
	}
	tp->sack_ok = peer_sack && sock_net(sk)->ipv4.sysctl_tcp_sack;
}

/* Models: net/ipv4/tcp_input.c:tcp_finish_connect() */
static void tcp_finish_connect(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = now_of(sk);
	/* Karn: no sequence RTT sample from a retransmitted SYN (timestamps
	 * would give one; the model treats the sample as absent). */
	bool sample = tp->total_retrans == 0;

	tcp_set_state(sk, TCP_ESTABLISHED);
	tp->lrcvtime = now;	/* icsk->icsk_ack.lrcvtime */
	inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
	tcp_init_transfer(sk, sample, now - tp->syn_sent_at);
	/* tcp_ack() of the SYN-ACK ends in tcp_cong_control(): the first
	 * pacing rate, from the SYN's RTT (the kernel computes it with the
	 * MSS from before tcp_sync_mss(); the model with the peer's) */
	tcp_update_pacing_rate(sk);
	tp->retrans_stamp = 0;
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
}

/*
 * Models: the TCPOPT_MSS case of net/ipv4/tcp_input.c:tcp_parse_options() on
 * a SYN: rx_opt.mss_clamp is the peer's MSS (536 without the option), at
 * most TCP_MAXSEG (rx_opt.user_mss); tcp_sync_mss clamps to it.
 */
static void tcp_parse_mss_option(struct tcp_sock *tp, const struct sk_buff *skb)
{
	tp->rx_opt_mss_clamp = (uint16_t)tcp_mss_clamp(tp, skb->mss ? skb->mss : TCP_MSS_DEFAULT);
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
			    sock_net(sk)->profile->synsent_bad_ack_rearm)
				/* TCP_TIMEOUT_MIN: two jiffies, a new SYN almost at once */
				inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS,
							  sim_jiffies_to_ns(sock_net(sk)->sim, 2),
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
		tp->rcv_wup = tp->rcv_nxt;
		tp->copied_seq = tp->rcv_nxt;
		tcp_apply_syn_options(sk, skb->wscale, skb->sack_perm);
		tp->snd_wnd = skb->window;	/* never scaled in a SYN */
		tp->max_window = tp->snd_wnd;
		tp->snd_wl1 = skb->seq;
		tp->tstamp_ok = skb->ts_ok && sock_net(sk)->ipv4.sysctl_tcp_timestamps;
		tcp_ecn_rcv_synack(tp, skb);
		tcp_parse_mss_option(tp, skb);
		/* tcp_sync_mss(): the route's MSS at most the peer's, less 12
		 * option bytes if both ends do timestamps, at most half the peer's
		 * largest window (its SYN-ACK's: over lo, with MSS 65483, a 64 KiB
		 * window halves it) */
		tcp_sync_mss(sk, sk->sk_dst_mtu);
		tcp_initialize_rcv_mss(sk);
		sk_trace(sk, "tcp_rcv_synsent_state_process",
			 "net/ipv4/tcp_input.c:tcp_rcv_synsent_state_process",
			 "synack=yes snd_wnd=%u snd_wscale=%u rcv_wscale=%u sack=%d mss=%u",
			 tp->snd_wnd, tp->snd_wscale, tp->rcv_wscale, tp->sack_ok, tp->mss_cache);
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
		tp->rcv_wup = tp->rcv_nxt;
		tp->copied_seq = tp->rcv_nxt;
		tcp_apply_syn_options(sk, skb->wscale, skb->sack_perm);
		tp->tstamp_ok = skb->ts_ok && sock_net(sk)->ipv4.sysctl_tcp_timestamps;
		tcp_parse_mss_option(tp, skb);
		tp->snd_wnd = skb->window;
		tcp_ecn_rcv_syn(tp, skb);
		tcp_set_state(sk, TCP_SYN_RECV);
		/* tcp_send_synack(): the SYN turned SYN-ACK, ECE as ECN holds */
		tcp_xmit(sk, tcp_make_skb(sk, tcp_ecn_send_synack(tp, TCPHDR_SYN | TCPHDR_ACK | TCPHDR_ECE),
					  tp->snd_una, 0));
		return 0;
	}
	return 0;
}

/* ---- ACK processing ---- */

/* Models: net/ipv4/tcp_input.c:tcp_ack_update_window() + tcp_may_update_window();
 * a larger max_window re-syncs the MSS (tcp_sync_mss) */
static int tcp_ack_update_window(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t nwin = (uint32_t)skb->window << tp->snd_wscale;
	int flag = 0;

	if (after(skb->ack_seq, tp->snd_una) || after(skb->seq, tp->snd_wl1) ||
	    (skb->seq == tp->snd_wl1 && nwin > tp->snd_wnd)) {
		flag |= FLAG_WIN_UPDATE;
		tp->snd_wl1 = skb->seq;
		if (tp->snd_wnd != nwin) {
			tp->snd_wnd = nwin;
			if (nwin > tp->max_window) {
				tp->max_window = nwin;
				/* half the largest window may now allow a larger MSS */
				tcp_sync_mss(sk, sk->sk_dst_mtu);
			}
		}
	}
	return flag;
}

/* Models: net/ipv4/tcp_cong.c:tcp_set_ca_state() (tracepoint tcp_cong_state_set) */
void tcp_set_ca_state(struct sock *sk, uint8_t state)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->icsk.icsk_ca_state == state)
		return;
	if (tp->ca_ops->set_state)
		tp->ca_ops->set_state(sk, state);
	sk_trace(sk, "tcp_ca_state", NULL, "from=%u to=%u cwnd=%u ssthresh=%u",
		 tp->icsk.icsk_ca_state, state, tp->snd_cwnd, tp->snd_ssthresh);
	tp->icsk.icsk_ca_state = state;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_enter_loss() — after an RTO every
 * outstanding segment counts as lost, ssthresh from the CC module,
 * cwnd = in flight + 1 (normally 1).
 */
void tcp_enter_loss(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (icsk->icsk_ca_state <= TCP_CA_Disorder || !after(tp->high_seq, tp->snd_una) ||
	    (icsk->icsk_ca_state == TCP_CA_Loss && !icsk->icsk_retransmits)) {
		tp->prior_ssthresh = tp->snd_ssthresh;
		tp->snd_ssthresh = tp->ca_ops->ssthresh(sk);
		if (tp->ca_ops->cwnd_event)
			tp->ca_ops->cwnd_event(sk, CA_EVENT_LOSS);
	}
	/* tcp_timeout_mark_lost(): SACKed segments stay SACKed */
	for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
		struct tcp_qskb *q = l->data;

		if (q->sacked & TCPCB_SACKED_RETRANS) {
			q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
			tp->retrans_out--;
		}
		if (!(q->sacked & (TCPCB_SACKED_ACKED | TCPCB_LOST))) {
			q->sacked |= TCPCB_LOST;
			tp->lost_out++;
		}
	}
	if (!tp->sack_ok)
		tp->sacked_out = 0;
	tp->snd_cwnd = tcp_packets_in_flight(tp) + 1;
	tp->snd_cwnd_cnt = 0;
	tp->high_seq = tp->snd_nxt;
	tcp_set_ca_state(sk, TCP_CA_Loss);
	tcp_ecn_queue_cwr(tp);
	trace_tcp_cong(sk);
}

static void tcp_mark_skb_lost(struct tcp_sock *tp, struct tcp_qskb *q)
{
	if (q->sacked & (TCPCB_LOST | TCPCB_SACKED_ACKED))
		return;
	if (q->sacked & TCPCB_SACKED_RETRANS) {
		/* the retransmission is lost too: send it again */
		q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
		tp->retrans_out--;
	}
	q->sacked |= TCPCB_LOST;
	tp->lost_out++;
}

/*
 * Models: include/net/tcp.h:tcp_highest_sack_seq() — the sequence just past
 * the highest SACKed segment ("fack"); snd_una when nothing is SACKed.
 */
static uint32_t tcp_highest_sack_seq(const struct tcp_sock *tp)
{
	uint32_t fack = tp->snd_una;

	if (!tp->sacked_out)
		return fack;
	for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
		const struct tcp_qskb *q = l->data;

		if ((q->sacked & TCPCB_SACKED_ACKED) && after(q->end_seq, fack))
			fack = q->end_seq;
	}
	return fack;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_check_sack_reordering() — a segment
 * never retransmitted was delivered (SACKed or cumulatively acked) from
 * @low_seq, below the highest SACKed sequence: that is reordering.  Raise
 * tp->reordering to the distance in segments (capped by
 * net.ipv4.tcp_max_reordering) and count the event (tcpi_reord_seen, which
 * lets RACK keep its reordering window in recovery).  No TCPSACKReorder MIB.
 */
static void tcp_check_sack_reordering(struct sock *sk, uint32_t low_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss = tp->mss_cache, fack = tcp_highest_sack_seq(tp), metric;

	if (!before(low_seq, fack))
		return;
	metric = fack - low_seq;
	if (mss && metric > tp->reordering * mss)
		tp->reordering = MIN((metric + mss - 1) / mss,
				     (uint32_t)sock_net(sk)->ipv4.sysctl_tcp_max_reordering);
	tp->reord_seen++;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_dsack_seen() — how many segments a D-SACK
 * block reports; 0 (dubious) when it is empty, wider than the largest window
 * the peer offered, or reports more duplicates than we ever retransmitted.
 */
static uint32_t tcp_dsack_seen(struct tcp_sock *tp, uint32_t start_seq, uint32_t end_seq, int *flag)
{
	uint32_t seq_len, dup_segs = 1;

	if (!before(start_seq, end_seq))
		return 0;
	seq_len = end_seq - start_seq;
	if (seq_len > tp->max_window)
		return 0;
	if (seq_len > tp->mss_cache)
		dup_segs = (seq_len + tp->mss_cache - 1) / tp->mss_cache;
	else if (tp->tlp_high_seq && tp->tlp_high_seq == end_seq)
		*flag |= FLAG_DSACK_TLP;
	tp->dsack_dups += dup_segs;
	if (tp->dsack_dups > tp->total_retrans)
		return 0;	/* duplicates we never retransmitted */
	*flag |= FLAG_DSACKING_ACK;
	return dup_segs;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_check_dsack() — RFC 2883: the first
 * block is a D-SACK when it lies below the cumulative ACK, or inside the
 * second block.  Counts TCPDSACKRecv / TCPDSACKOfoRecv, TCPDSACKRecvSegs or
 * TCPDSACKIgnoredDubious.  No undo state (undo_marker, undo_retrans) is
 * modelled, so nothing is undone.
 */
static bool tcp_check_dsack(struct sock *sk, const struct sk_buff *skb, int n, int *flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t start0, end0, dup_segs;

	if (n < 1)
		return false;
	start0 = skb->sack[0].start_seq;
	end0 = skb->sack[0].end_seq;
	if (before(start0, skb->ack_seq)) {
		NET_INC_STATS(sock_net(sk), TCPDSACKRecv);
	} else if (n > 1) {
		if (after(end0, skb->sack[1].end_seq) || before(start0, skb->sack[1].start_seq))
			return false;
		NET_INC_STATS(sock_net(sk), TCPDSACKOfoRecv);
	} else {
		return false;
	}
	dup_segs = tcp_dsack_seen(tp, start0, end0, flag);
	if (!dup_segs) {
		NET_INC_STATS(sock_net(sk), TCPDSACKIgnoredDubious);
		return false;
	}
	NET_ADD_STATS(sock_net(sk), TCPDSACKRecvSegs, dup_segs);
	return true;
}

static int sack_block_cmp(const void *a, const void *b)
{
	const struct tcp_sack_block *x = a, *y = b;

	return before(x->start_seq, y->start_seq) ? -1 : after(x->start_seq, y->start_seq) ? 1 : 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_sacktag_write_queue() (+ tcp_sacktag_one)
 * — mark the segments a SACK block covers, blocks in ascending order as the
 * kernel sorts them.  A segment never retransmitted that is newly SACKed
 * below the highest SACKed sequence is reordering (tcp_check_sack_reordering
 * from the lowest such start; the kernel skips it in Loss without an undo
 * marker, which the model has not: it checks in every state).  Returns the
 * number of newly SACKed segments.
 */
static uint32_t tcp_sacktag_write_queue(struct sock *sk, const struct sk_buff *skb, int *flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block sp[G_N_ELEMENTS(skb->sack)];
	uint32_t newly = 0, fack = tcp_highest_sack_seq(tp), reord = tp->snd_nxt;
	int n = MIN(skb->num_sacks, (int)G_N_ELEMENTS(skb->sack));

	tcp_check_dsack(sk, skb, n, flag);
	for (int i = 0; i < n; i++)
		sp[i] = (struct tcp_sack_block){ skb->sack[i].start_seq, skb->sack[i].end_seq };
	qsort(sp, (size_t)n, sizeof(sp[0]), sack_block_cmp);
	for (int i = 0; i < n; i++) {
		uint32_t start = sp[i].start_seq, end = sp[i].end_seq;

		if (!after(end, tp->snd_una) || after(end, tp->snd_nxt))
			continue;	/* old or bogus block (a DSACK, say) */
		for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
			struct tcp_qskb *q = l->data;

			if (before(q->seq, start) || after(q->end_seq, end))
				continue;
			if (q->sacked & TCPCB_SACKED_ACKED)
				continue;
			/* new SACK for a frame never retransmitted, in a hole */
			if (!(q->sacked & (TCPCB_SACKED_RETRANS | TCPCB_EVER_RETRANS)) &&
			    before(q->seq, fack) && before(q->seq, reord))
				reord = q->seq;
			if (q->sacked & TCPCB_LOST) {
				q->sacked &= (uint8_t)~TCPCB_LOST;
				tp->lost_out--;
			}
			if (q->sacked & TCPCB_SACKED_RETRANS) {
				q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
				tp->retrans_out--;
			}
			q->sacked |= TCPCB_SACKED_ACKED;
			tp->sacked_out++;
			tp->delivered++;
			newly++;
			tcp_rack_advance(tp, q, now_of(sk));
			if (after(q->end_seq, fack))
				fack = q->end_seq;	/* tcp_advance_highest_sack() */
		}
	}
	tcp_check_sack_reordering(sk, reord);
	return newly;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_remove_reno_sacks() — without SACK, one
 * cumulatively acked segment filled the hole; the others were already
 * counted as duplicate ACKs.
 */
static void tcp_remove_reno_sacks(struct sock *sk, uint32_t acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!acked)
		return;
	tp->delivered += acked > tp->sacked_out ? acked - tp->sacked_out : 1;
	tp->sacked_out = acked - 1 >= tp->sacked_out ? 0 : tp->sacked_out - (acked - 1);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_clean_rtx_queue() — free what the ACK
 * covers, take an RTT sample from data never retransmitted (Karn).
 */
static int tcp_clean_rtx_queue(struct sock *sk, uint32_t prior_snd_una, uint32_t prior_fack,
			       struct ack_sample *sample, int64_t *rtt_us)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = now_of(sk), first_ackt = 0;
	uint32_t reord = tp->snd_nxt;	/* lowest acked un-retransmitted, un-SACKed seq */
	int flag = 0;
	struct tcp_qskb *q;

	while ((q = tcp_rtx_queue_head(tp)) && !after(q->end_seq, tp->snd_una)) {
		if (q->sacked & TCPCB_SACKED_RETRANS)
			tp->retrans_out--;
		if (q->sacked & TCPCB_EVER_RETRANS) {
			flag |= FLAG_RETRANS_DATA_ACKED;
		} else if (!first_ackt) {
			first_ackt = q->tx_time;
		}
		if (!(q->sacked & (TCPCB_EVER_RETRANS | TCPCB_SACKED_RETRANS | TCPCB_SACKED_ACKED)) &&
		    before(q->seq, reord))
			reord = q->seq;
		if (q->sacked & TCPCB_SACKED_ACKED)
			tp->sacked_out--;
		else if (tp->sack_ok)
			tp->delivered++;	/* a SACKed segment was counted then */
		if (q->sacked & TCPCB_LOST)
			tp->lost_out--;
		if (tp->sack_ok && !(q->sacked & TCPCB_SACKED_ACKED))
			tcp_rack_advance(tp, q, now);	/* a SACKed one advanced it then */
		tp->packets_out--;
		sample->pkts_acked++;
		flag |= FLAG_DATA_ACKED;
		tcp_rtx_queue_unlink_head(sk);
	}
	if (!tcp_rtx_queue_head(tp))	/* everything sent is acked */
		tcp_chrono_stop(sk, TCP_CHRONO_BUSY);
	if (!tp->sack_ok)
		tcp_remove_reno_sacks(sk, sample->pkts_acked);
	else if (sample->pkts_acked && before(reord, prior_fack))
		tcp_check_sack_reordering(sk, reord);	/* a non-retransmitted hole got filled */
	tp->bytes_acked += tp->snd_una - prior_snd_una;
	*rtt_us = first_ackt ? (int64_t)((now - first_ackt) / 1000u) : -1;
	sample->rtt_us = (int32_t)*rtt_us;
	if (flag & FLAG_ACKED)
		flag |= FLAG_SET_XMIT_TIMER;	/* set TLP or RTO timer */
	return flag;
}

/*
 * Models: include/net/tcp.h:tcp_rto_delta_us() — how far in the future the
 * RTO of the oldest outstanding segment lies (negative once overdue).
 */
int64_t tcp_rto_delta_us(const struct sock *sk)
{
	const struct tcp_qskb *head = tcp_rtx_queue_head(tcp_sk((struct sock *)sk));
	uint64_t rto_us = inet_csk((struct sock *)sk)->icsk_rto / 1000u;

	if (!head)
		return (int64_t)rto_us;
	return (int64_t)(head->tx_time / 1000u + rto_us) - (int64_t)(now_of(sk) / 1000u);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rearm_rto() — the RTO for what is in
 * flight, from now; in place of a pending loss probe, only what is left of
 * the RTO of the oldest segment.  Nothing in flight: no RTO (a zero-window
 * probe timer stays).
 */
void tcp_rearm_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sim *sim = sock_net(sk)->sim;
	sim_time_t rto = icsk->icsk_rto;

	if (!tcp_sk(sk)->packets_out) {
		if (icsk->icsk_pending == ICSK_TIME_RETRANS || icsk->icsk_pending == ICSK_TIME_LOSS_PROBE)
			inet_csk_clear_xmit_timer(sk, ICSK_TIME_RETRANS);
		return;
	}
	if (icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) {
		/* Offset the time elapsed after installing regular RTO */
		int64_t delta_us = tcp_rto_delta_us(sk);

		rto = sim_jiffies_to_ns(sim, sim_usecs_to_jiffies(sim, (uint64_t)MAX(delta_us, 1)));
	}
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, rto, icsk->icsk_rto_max);
}

/* Models: net/ipv4/tcp_input.c:tcp_set_xmit_timer() — a loss probe if one is due, else the RTO. */
static void tcp_set_xmit_timer(struct sock *sk)
{
	if (!tcp_schedule_loss_probe(sk, true))
		tcp_rearm_rto(sk);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_add_reno_sack() — a dupack stands for one
 * SACK, and for one segment delivered.
 */
static void tcp_add_reno_sack(struct sock *sk, uint32_t num_dupack)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_sacked = tp->sacked_out;

	if (num_dupack) {
		tp->sacked_out += num_dupack;
		if (tp->sacked_out + tp->lost_out > tp->packets_out)
			tp->sacked_out = tp->packets_out > tp->lost_out ? tp->packets_out - tp->lost_out : 0;
		if (tp->sacked_out > prior_sacked)
			tp->delivered += tp->sacked_out - prior_sacked;
	}
}

/* Models: net/ipv4/tcp_input.c:tcp_init_cwnd_reduction() */
static void tcp_init_cwnd_reduction(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->high_seq = tp->snd_nxt;
	tp->snd_cwnd_cnt = 0;
	tp->prior_cwnd = tp->snd_cwnd;
	tp->tlp_high_seq = 0;
	tp->prr_delivered = 0;
	tp->prr_out = 0;
	tp->snd_ssthresh = tp->ca_ops->ssthresh(sk);
	tcp_ecn_queue_cwr(tp);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_cwnd_reduction() — Proportional Rate
 * Reduction (RFC 6937): during recovery (and CWR) send in proportion to what
 * is delivered, converging on ssthresh.  Below ssthresh the bound changed
 * twice (profile flags prr_ssrb_on_una_advance, prr_banked_crb): 4.2-5.11
 * slow-start reduction bound (SSRB: max(prr_delivered - prr_out,
 * newly_acked_sacked) + 1) only when retransmitted data was acked and no
 * retransmission was lost, else the conservative bound (CRB:
 * newly_acked_sacked); 5.12-5.18 SSRB whenever snd_una advanced and nothing
 * was newly lost; 5.19+ what was banked may always go out, plus one on
 * that condition.  An ECE ACK of one segment with 3 in flight, cwnd 10:
 * cwnd 4 before 5.12, 5 after (packetdrill cwnd-moderation-ecn-enter-cwr-no-moderation-700.pkt).
 */
void tcp_cwnd_reduction(struct sock *sk, uint32_t newly_acked_sacked, bool newly_lost, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int64_t delta = (int64_t)tp->snd_ssthresh - tcp_packets_in_flight(tp);
	int64_t sndcnt;

	if (!newly_acked_sacked || !tp->prior_cwnd)
		return;
	tp->prr_delivered += newly_acked_sacked;
	if (delta < 0) {
		uint64_t dividend = (uint64_t)tp->snd_ssthresh * tp->prr_delivered + tp->prior_cwnd - 1;

		sndcnt = (int64_t)(dividend / tp->prior_cwnd) - tp->prr_out;
	} else if (sock_net(sk)->profile->prr_banked_crb) {
		/* 5.19+ ("tcp: improve PRR loss recovery"): what was banked may
		 * go out, plus one when snd_una moved and nothing new was lost */
		sndcnt = MAX((int64_t)tp->prr_delivered - tp->prr_out, (int64_t)newly_acked_sacked);
		if ((flag & FLAG_SND_UNA_ADVANCED) && !newly_lost)
			sndcnt++;
		sndcnt = MIN(delta, sndcnt);
	} else if (sock_net(sk)->profile->prr_ssrb_on_una_advance ?
		   (flag & FLAG_SND_UNA_ADVANCED) && !newly_lost :
		   (flag & FLAG_RETRANS_DATA_ACKED) && !(flag & FLAG_LOST_RETRANS)) {
		/* PRR-SSRB */
		sndcnt = MIN(delta, MAX((int64_t)tp->prr_delivered - tp->prr_out,
					(int64_t)newly_acked_sacked) + 1);
	} else {
		/* PRR-CRB */
		sndcnt = MIN(delta, (int64_t)newly_acked_sacked);
	}
	sndcnt = MAX(sndcnt, tp->prr_out ? 0 : 1);
	tp->snd_cwnd = tcp_packets_in_flight(tp) + (uint32_t)sndcnt;
}

/* Models: include/net/tcp.h:tcp_in_cwnd_reduction() — CWR or Recovery: PRR sets cwnd. */
static bool tcp_in_cwnd_reduction(const struct sock *sk)
{
	uint8_t state = inet_csk((struct sock *)sk)->icsk_ca_state;

	return state == TCP_CA_CWR || state == TCP_CA_Recovery;
}

/* Models: net/ipv4/tcp_input.c:tcp_end_cwnd_reduction() */
static void tcp_end_cwnd_reduction(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->icsk.icsk_ca_state == TCP_CA_CWR ||
	    (tp->icsk.icsk_ca_state == TCP_CA_Recovery && tp->snd_ssthresh < TCP_INFINITE_SSTHRESH)) {
		tp->snd_cwnd = tp->snd_ssthresh;
		tp->snd_cwnd_cnt = 0;
	}
}

/* Models: net/ipv4/tcp_input.c:tcp_any_retrans_done() */
static bool tcp_any_retrans_done(const struct tcp_sock *tp)
{
	const struct tcp_qskb *head = tcp_rtx_queue_head(tp);

	return tp->retrans_out || (head && (head->sacked & TCPCB_EVER_RETRANS));
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_retrans_stamp_cleanup() — recovery is
 * over and nothing retransmitted is in flight, so the next give-up
 * (retransmits_timed_out) counts from the next loss, not the first one.
 */
static void tcp_retrans_stamp_cleanup(struct tcp_sock *tp)
{
	if (!tcp_any_retrans_done(tp))
		tp->retrans_stamp = 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_try_keep_open() — Open, or Disorder while
 * segments are SACKed, lost or retransmitted.
 */
static void tcp_try_keep_open(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t state = TCP_CA_Open;

	if (tp->sacked_out + tp->lost_out || tcp_any_retrans_done(tp))
		state = TCP_CA_Disorder;
	if (tp->icsk.icsk_ca_state != state) {
		tcp_set_ca_state(sk, state);
		tp->high_seq = tp->snd_nxt;
	}
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_process_tlp_ack() — ACKs during a TLP
 * episode.  It ends when a new-data probe is acked (5.9+), or on a pure
 * duplicate ACK at tlp_high_seq (original and probe both arrived); an ACK
 * beyond tlp_high_seq means the probe repaired a loss: one cwnd reduction
 * (CWR, cwnd = ssthresh) and TCPLossProbeRecovery.  A D-SACK of the probe
 * (FLAG_DSACK_TLP) means original and probe both arrived: no loss.
 */
static void tcp_process_tlp_ack(struct sock *sk, uint32_t ack, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (before(ack, tp->tlp_high_seq))
		return;
	if (!tp->tlp_retrans && sock_net(sk)->profile->tlp_one_per_flight) {
		/* TLP of new data has been acknowledged */
		tp->tlp_high_seq = 0;
	} else if (flag & FLAG_DSACK_TLP) {
		/* original and TLP probe both arrived; no loss */
		tp->tlp_high_seq = 0;
	} else if (after(ack, tp->tlp_high_seq)) {
		/* ACK advances: there was a loss, so reduce cwnd. Reset
		 * tlp_high_seq in tcp_init_cwnd_reduction() */
		tcp_init_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_CWR);
		tcp_end_cwnd_reduction(sk);
		tcp_try_keep_open(sk);
		NET_INC_STATS(sock_net(sk), TCPLossProbeRecovery);
		sk_trace(sk, "tcp_process_tlp_ack", "net/ipv4/tcp_input.c:tcp_process_tlp_ack",
			 "loss repaired cwnd=%u ssthresh=%u", tp->snd_cwnd, tp->snd_ssthresh);
	} else if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DATA_SACKED))) {
		/* Pure dupack: original and TLP probe arrived; no loss */
		tp->tlp_high_seq = 0;
	}
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_enter_cwr() — ECN congestion, or a local
 * one (a qdisc dropped a packet: __tcp_transmit_skb): one cwnd reduction by
 * PRR towards the CC module's ssthresh, no undo; already in CWR, Recovery or
 * Loss, nothing more.
 */
void tcp_enter_cwr(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->prior_ssthresh = 0;
	if (inet_csk(sk)->icsk_ca_state < TCP_CA_CWR) {
		tcp_init_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_CWR);
		sk_trace(sk, "tcp_enter_cwr", "net/ipv4/tcp_input.c:tcp_enter_cwr",
			 "high_seq=%u prior_cwnd=%u ssthresh=%u", tp->high_seq, tp->prior_cwnd,
			 tp->snd_ssthresh);
	}
}

/* Models: net/ipv4/tcp_input.c:tcp_enter_recovery() — from CWR the reduction under way goes on. */
void tcp_enter_recovery(struct sock *sk, bool ece_ack)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sock_net(sk)->profile->recovery_retrans_stamp_cleanup)
		tcp_retrans_stamp_cleanup(tp);
	NET_INC_STATS(sock_net(sk), TCPFastRetrans);
	tp->prior_ssthresh = 0;
	if (!tcp_in_cwnd_reduction(sk)) {
		if (!ece_ack)
			tp->prior_ssthresh = tp->snd_ssthresh;
		tcp_init_cwnd_reduction(sk);
	}
	sk_trace(sk, "tcp_enter_recovery", "net/ipv4/tcp_input.c:tcp_fastretrans_alert",
		 "high_seq=%u sacked_out=%u lost_out=%u ssthresh=%u", tp->high_seq,
		 tp->sacked_out, tp->lost_out, tp->snd_ssthresh);
	tcp_set_ca_state(sk, TCP_CA_Recovery);
}

/*
 * Models: net/ipv4/tcp_recovery.c:tcp_newreno_mark_lost() — without SACK,
 * enough dupacks (or a partial ACK in recovery) mark the head lost.
 */
static void tcp_newreno_mark_lost(struct sock *sk, bool snd_una_advanced)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t state = tp->icsk.icsk_ca_state;

	if ((state < TCP_CA_Recovery && tp->sacked_out >= tp->reordering) ||
	    (state == TCP_CA_Recovery && snd_una_advanced)) {
		struct tcp_qskb *head = tcp_rtx_queue_head(tp);

		if (head && !(head->sacked & TCPCB_LOST))
			tcp_mark_skb_lost(tp, head);
	}
}

/* Models: net/ipv4/tcp_input.c:tcp_identify_packet_loss() */
static void tcp_identify_packet_loss(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->sack_ok)
		tcp_rack_mark_lost(sk);
	else
		tcp_newreno_mark_lost(sk, flag & FLAG_SND_UNA_ADVANCED);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_fastretrans_alert() — the congestion
 * state machine: Open/Disorder -> Recovery on loss, back to Open when
 * snd_una passes high_seq; Loss (after an RTO) likewise.  No undo.
 */
static void tcp_fastretrans_alert(struct sock *sk, uint32_t prior_snd_una, uint32_t num_dupack,
				  int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t state = tp->icsk.icsk_ca_state;

	if (!tp->packets_out && tp->sacked_out)
		tp->sacked_out = 0;
	/* D: an ACK that finds us Open ends any earlier episode's clock */
	if (state == TCP_CA_Open)
		tp->retrans_stamp = 0;
	/* CWR ends once something above high_seq is acked, so that our CWR
	 * reached the receiver; the ACK is then processed as in Open */
	if (state == TCP_CA_CWR && !before(tp->snd_una, tp->high_seq) && tp->snd_una != tp->high_seq) {
		tcp_end_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_Open);
		state = TCP_CA_Open;
	}
	/* leaving Recovery/Loss goes on to tcp_try_to_open() in the kernel */
	if (state == TCP_CA_Recovery && !before(tp->snd_una, tp->high_seq)) {
		if (!tp->sack_ok)
			tp->sacked_out = 0;	/* tcp_reset_reno_sack */
		/* tcp_try_undo_recovery(): without SACK, hold Recovery until
		 * something above high_seq is acked (RFC 2582: no false fast
		 * retransmit); cwnd stays in PRR meanwhile */
		if (!tp->sack_ok && tp->snd_una == tp->high_seq) {
			tcp_retrans_stamp_cleanup(tp);
			return;
		}
		tcp_end_cwnd_reduction(sk);
		tcp_set_ca_state(sk, TCP_CA_Open);
		tcp_retrans_stamp_cleanup(tp);
		return;
	}
	/* tcp_process_loss(): recovered once snd_una reaches high_seq; without
	 * SACK tcp_try_undo_recovery holds the state until it passes it */
	if (state == TCP_CA_Loss &&
	    (tp->sack_ok ? !before(tp->snd_una, tp->high_seq) : after(tp->snd_una, tp->high_seq))) {
		tcp_set_ca_state(sk, TCP_CA_Open);
		if (!tp->sack_ok)
			tp->sacked_out = 0;
		tcp_retrans_stamp_cleanup(tp);
		return;
	}
	switch (state) {
	case TCP_CA_Recovery:
		/* a partial ACK's own reduction was tcp_remove_reno_sacks */
		if (!tp->sack_ok && !(flag & FLAG_SND_UNA_ADVANCED))
			tcp_add_reno_sack(sk, num_dupack);
		tcp_identify_packet_loss(sk, flag);
		break;
	case TCP_CA_Loss:
		/* tcp_process_loss() */
		if (!tp->sack_ok) {
			if (after(tp->snd_nxt, tp->high_seq) && num_dupack)
				tcp_add_reno_sack(sk, num_dupack);
			else if (flag & FLAG_SND_UNA_ADVANCED)
				tp->sacked_out = 0;	/* tcp_reset_reno_sack */
		}
		tcp_identify_packet_loss(sk, flag);
		break;
	default:
		if (!tp->sack_ok) {
			if (flag & FLAG_SND_UNA_ADVANCED)
				tp->sacked_out = 0;
			tcp_add_reno_sack(sk, num_dupack);
		}
		tcp_identify_packet_loss(sk, flag);
		if (!tp->lost_out) {
			/* tcp_try_to_open(): an ECE enters CWR; else Disorder
			 * while SACKs/dupacks are about */
			tcp_retrans_stamp_cleanup(tp);
			if (flag & FLAG_ECE)
				tcp_enter_cwr(sk);
			if (tp->icsk.icsk_ca_state != TCP_CA_CWR)
				tcp_set_ca_state(sk, tp->sacked_out ? TCP_CA_Disorder : TCP_CA_Open);
			return;
		}
		tcp_enter_recovery(sk, flag & FLAG_ECE);
		break;
	}
	(void)prior_snd_una;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_may_raise_cwnd() — grow cwnd only on
 * in-order delivery (new data cumulatively acked, RFC 5681), unless the
 * connection has seen more reordering than tcp_reordering: then any forward
 * progress, SACKed data included, counts.
 */
static bool tcp_may_raise_cwnd(struct sock *sk, int flag)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->reordering > (uint32_t)sock_net(sk)->ipv4.sysctl_tcp_reordering)
		return flag & FLAG_FORWARD_PROGRESS;
	return flag & FLAG_DATA_ACKED;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_update_pacing_rate() — sk_pacing_rate is
 * mss * max(cwnd, packets_out) / srtt, times tcp_pacing_ss_ratio (200 %) in
 * slow start below half ssthresh, else tcp_pacing_ca_ratio (120 %).  No
 * qdisc paces here; tcp_tso_autosize() sizes TSO packets from it.
 */
void tcp_update_pacing_rate(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint64_t rate = (uint64_t)tp->mss_cache * ((1000000u / 100u) << 3);

	rate *= (uint64_t)(tp->snd_cwnd < tp->snd_ssthresh / 2 ? sock_net(sk)->ipv4.sysctl_tcp_pacing_ss_ratio :
			   sock_net(sk)->ipv4.sysctl_tcp_pacing_ca_ratio);
	rate *= MAX(tp->snd_cwnd, tp->packets_out);
	if (tp->srtt_us)
		rate /= tp->srtt_us;
	tp->pacing_rate = rate;	/* sk_max_pacing_rate is unlimited */
}

/* Models: net/ipv4/tcp_input.c:tcp_cong_avoid() via the CA module. */
static void tcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t before_cwnd = tp->snd_cwnd;

	tp->ca_ops->cong_avoid(sk, ack, acked);
	if (tp->snd_cwnd != before_cwnd)
		trace_tcp_cong(sk);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_check_space() + tcp_new_space() — when
 * ACKs free send buffer that a writer waited for, grow the buffer if
 * allowed and wake the writer (sk_stream_write_space); a writer no longer
 * out of space ends the send-buffer-limited chronograph.
 */
static void tcp_check_space(struct sock *sk)
{
	bool nospace = sk->sk_nospace;

	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		tcp_sndbuf_expand(sk);
	sk_stream_write_space(sk);
	if (nospace && !sk->sk_nospace)
		tcp_chrono_stop(sk, TCP_CHRONO_SNDBUF_LIMITED);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_ack().  Returns 1 when the ACK is
 * invalid and must be answered, 0 otherwise.
 */
static int tcp_ack(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	uint32_t prior_snd_una = tp->snd_una;
	uint32_t ack = skb->ack_seq;
	uint32_t prior_packets = tp->packets_out;
	uint32_t prior_lost = tp->lost_out, prior_delivered = tp->delivered;
	uint32_t prior_snd_wnd = tp->snd_wnd;
	uint32_t prior_fack = tp->sack_ok ? tcp_highest_sack_seq(tp) : tp->snd_una;
	struct ack_sample sample = { .rtt_us = -1 };
	uint32_t num_dupack = 0, delivered;
	int64_t rtt_us = -1;
	int flag = 0;

	if (before(ack, prior_snd_una)) {
		/* old_ack: SACK blocks on it still count (they may mark losses and
		 * let recovery send); no DSACK undo, no RFC 5961 challenge ACK */
		if (tp->sack_ok && skb->num_sacks && tp->packets_out) {
			flag |= (int)tcp_sacktag_write_queue(sk, skb, &flag) ? FLAG_DATA_SACKED : 0;
			tcp_fastretrans_alert(sk, prior_snd_una, 0, flag);
			if (tp->lost_out)
				tcp_xmit_retransmit_queue(sk);
		}
		return 0;
	}
	if (after(ack, tp->snd_nxt))
		return 1;	/* acks what was never sent: answer with an ACK */
	if (skb->len)
		flag |= FLAG_DATA;
	flag |= tcp_ack_update_window(sk, skb);
	/* Something worked: any acceptable ACK resets the probe count, so an
	 * answered zero-window probe never times the connection out. */
	tp->icsk_probes_out = 0;
	if (after(ack, prior_snd_una)) {
		flag |= FLAG_SND_UNA_ADVANCED;
		icsk->icsk_retransmits = 0;
	}
	tp->snd_una = ack;
	if (tp->sack_ok && skb->num_sacks && tcp_sacktag_write_queue(sk, skb, &flag))
		flag |= FLAG_DATA_SACKED;
	if (tcp_ecn_rcv_ecn_echo(tp, skb))
		flag |= FLAG_ECE;
	if (!prior_packets) {
		/* nothing was in flight: a window update may reopen sending */
		if (tp->snd_wnd && tp->send_head && icsk->icsk_pending == ICSK_TIME_PROBE0) {
			/* tcp_ack_probe(): the window opened */
			icsk->icsk_pending = 0;
			sim_timer_delete(&icsk->icsk_retransmit_timer);
			icsk->icsk_backoff = 0;
			tp->probes_tstamp = 0;
		}
		if (tp->tlp_high_seq)
			tcp_process_tlp_ack(sk, ack, flag);
		goto no_queue;
	}
	flag |= tcp_clean_rtx_queue(sk, prior_snd_una, prior_fack, &sample, &rtt_us);
	if (flag & FLAG_RETRANS_DATA_ACKED)
		rtt_us = -1;	/* Karn: mixed with retransmitted data */
	if (rtt_us >= 0)
		tcp_ack_update_rtt(sk, rtt_us);
	if (!tp->packets_out)
		tp->retrans_stamp = 0;
	if (tp->ca_ops->pkts_acked)
		tp->ca_ops->pkts_acked(sk, &sample);
	if (tp->tlp_high_seq)
		tcp_process_tlp_ack(sk, ack, flag);
	/* 5.0 re-arms before the state machine ("RACK may later override
	 * this"); 5.18+ after it, so Disorder turned Open gets a probe */
	if ((flag & FLAG_SET_XMIT_TIMER) && !sock_net(sk)->profile->xmit_timer_after_recovery)
		tcp_set_xmit_timer(sk);
	/* a duplicate ACK: nothing new acked, no data, same window, no D-SACK */
	if (!(flag & (FLAG_SND_UNA_ADVANCED | FLAG_DATA | FLAG_DSACKING_ACK)) &&
	    tp->snd_wnd == prior_snd_wnd &&
	    tp->packets_out)
		num_dupack = 1;
	/* tcp_ack_is_dubious(): FLAG_CA_ALERT is a SACK or an ECE */
	if (num_dupack || tp->sacked_out || icsk->icsk_ca_state != TCP_CA_Open ||
	    (flag & (FLAG_DATA_SACKED | FLAG_ECE)))
		tcp_fastretrans_alert(sk, prior_snd_una, num_dupack, flag);
	/* If needed, reset TLP/RTO timer */
	if ((flag & FLAG_SET_XMIT_TIMER) && sock_net(sk)->profile->xmit_timer_after_recovery)
		tcp_set_xmit_timer(sk);
	delivered = tp->delivered - prior_delivered;	/* tcp_newly_delivered */
	if (tcp_in_cwnd_reduction(sk)) {
		tcp_cwnd_reduction(sk, delivered, tp->lost_out > prior_lost, flag);
		trace_tcp_cong(sk);
	} else if (tcp_may_raise_cwnd(sk, flag)) {
		/* counted in newly delivered packets (a SACKed one when SACKed) */
		tcp_cong_avoid(sk, ack, delivered);
	}
	tcp_update_pacing_rate(sk);	/* the end of tcp_cong_control() */
	if (tp->lost_out)
		tcp_xmit_retransmit_queue(sk);
no_queue:
	/* every acceptable ACK of a sender, so duplicate and SACK-only ACKs and
	 * the cwnd they leave (PRR in Recovery) are in the trace too; not the
	 * ACK field of every data segment a pure receiver gets */
	if (prior_packets || (flag & FLAG_SND_UNA_ADVANCED))
		sk_trace(sk, "tcp_ack", NULL,
			 "ack=%u acked=%u dupack=%u sacked_out=%u cwnd=%u ssthresh=%u srtt_us=%u rto_ns=%"
			 G_GUINT64_FORMAT " in_flight=%u snd_wnd=%u ca_state=%u",
			 ack, ack - prior_snd_una, num_dupack, tp->sacked_out, tp->snd_cwnd,
			 tp->snd_ssthresh, tp->srtt_us >> 3, (guint64)icsk->icsk_rto,
			 tcp_packets_in_flight(tp), tp->snd_wnd, icsk->icsk_ca_state);
	if (flag & FLAG_SND_UNA_ADVANCED) {
		trace_tcp_acked(sk, ack - prior_snd_una);
		tcp_check_space(sk);
	}
	return 0;
}

/* ---- the receive side ---- */

/*
 * Models: net/ipv4/tcp_input.c:tcp_incr_quickack() — up to @max_quickacks
 * quick ACKs: rcv_wnd / (2 * rcv_mss), 2 when that is 0 (a window of less
 * than two segments), never fewer than already pending.
 */
static void tcp_incr_quickack(struct tcp_sock *tp, uint32_t max_quickacks)
{
	uint32_t quickacks = tp->rcv_wnd / (2u * MAX(tp->rcv_mss, 1u));

	if (!quickacks)
		quickacks = 2;
	quickacks = MIN(quickacks, max_quickacks);
	if (quickacks > tp->ack_quick)
		tp->ack_quick = (uint8_t)quickacks;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_enter_quickack_mode() — quick ACKs
 * (tcp_incr_quickack), out of pingpong mode, ato back to TCP_ATO_MIN.
 */
static void tcp_enter_quickack_mode(struct tcp_sock *tp, uint32_t max_quickacks)
{
	tcp_incr_quickack(tp, max_quickacks);
	tp->pingpong = false;	/* inet_csk_exit_pingpong_mode */
	tp->ato = TCP_DELACK_MIN;	/* TCP_ATO_MIN */
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_ecn_check_ce() / __tcp_ecn_check_ce() —
 * on an ECN connection, a CE-marked data segment makes every ACK carry ECE
 * until the peer's CWR (TCP_ECN_DEMAND_CWR), and is ACKed quickly (the
 * sender's cwnd may be small); a Not-ECT one after ECT ones is probably a
 * retransmission: quick ACKs too.
 */
void tcp_ecn_check_ce(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_ecn_ok(tp))
		return;
	switch (skb->ecn & INET_ECN_MASK) {
	case INET_ECN_NOT_ECT:
		if (tp->ecn_flags & TCP_ECN_SEEN)
			tcp_enter_quickack_mode(tp, 2);
		break;
	case INET_ECN_CE:
		if (!(tp->ecn_flags & TCP_ECN_DEMAND_CWR)) {
			tcp_enter_quickack_mode(tp, 2);
			tp->ecn_flags |= TCP_ECN_DEMAND_CWR;
			sk_trace(sk, "tcp_ecn_check_ce", "net/ipv4/tcp_input.c:__tcp_ecn_check_ce",
				 "seq=%u ce=1 demand_cwr=1", skb->seq);
		}
		tp->ecn_flags |= TCP_ECN_SEEN;
		break;
	default:
		tp->ecn_flags |= TCP_ECN_SEEN;
		break;
	}
}

/*
 * Models: net/ipv4/tcp_input.c:__tcp_ack_snd_check() — ACK at once when more
 * than one full segment is unacknowledged and either less than SO_RCVLOWAT
 * is left unread or the window __tcp_select_window() would offer now is
 * no smaller than the one offered (rcv_ssthresh holds it back while the
 * window grows: then the ACK waits), in quick-ACK mode (which
 * pingpong mode turns off: tcp_in_quickack_mode), or with an out-of-order
 * queue; otherwise within the delayed-ACK timeout.
 */
static void tcp_ack_snd_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->ack_pending)
		return;
	if ((tp->rcv_nxt - tp->rcv_wup > tp->rcv_mss &&
	     ((int)(tp->rcv_nxt - tp->copied_seq) < sk->sk_rcvlowat ||
	      __tcp_select_window(sk) >= tp->rcv_wnd)) ||
	    (tp->ack_quick && !tp->pingpong) || tcp_array_len(tp->ofo) || (tp->ack_pending & ICSK_ACK_NOW)) {
		tcp_send_ack(sk);
		return;
	}
	tcp_send_delayed_ack(sk);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_sack_new_ofo_skb() / tcp_sack_remove():
 * the SACK blocks we report are the out-of-order ranges, newest first.
 */
static void tcp_sack_update(struct tcp_sock *tp, uint32_t seq, uint32_t end_seq)
{
	int n = 0;
	struct tcp_sack_block blocks[TCP_NUM_SACKS];

	if (!tp->sack_ok)
		return;
	/* the block holding the newest segment comes first */
	for (guint i = 0; i < tcp_array_len(tp->ofo); i++) {
		struct tcp_ofo_range *r = &g_array_index(tp->ofo, struct tcp_ofo_range, i);

		if (!before(seq, r->seq) && !after(end_seq, r->end_seq)) {
			blocks[n].start_seq = r->seq;
			blocks[n].end_seq = r->end_seq;
			n++;
		}
	}
	for (int i = 0; i < tp->num_sacks && n < TCP_NUM_SACKS; i++) {
		struct tcp_sack_block *b = &tp->selective_acks[i];
		bool dup = false, live = false;

		for (int k = 0; k < n; k++)
			dup |= blocks[k].start_seq == b->start_seq || blocks[k].end_seq == b->end_seq;
		for (guint k = 0; k < tcp_array_len(tp->ofo); k++) {
			struct tcp_ofo_range *r = &g_array_index(tp->ofo, struct tcp_ofo_range, k);

			live |= r->seq == b->start_seq || r->end_seq == b->end_seq;
		}
		if (!dup && live && after(b->end_seq, tp->rcv_nxt))
			blocks[n++] = *b;
	}
	memcpy(tp->selective_acks, blocks, sizeof(blocks[0]) * (size_t)n);
	tp->num_sacks = n;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_dsack_set() — remember [seq, end_seq) as
 * a duplicate, to go out as the first SACK block of our next segment
 * (tcp_options_write), with SACK and net.ipv4.tcp_dsack on.
 */
static void tcp_dsack_set(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->sack_ok || !sock_net(sk)->ipv4.sysctl_tcp_dsack)
		return;
	if (before(seq, tp->rcv_nxt))
		NET_INC_STATS(sock_net(sk), TCPDSACKOldSent);
	else
		NET_INC_STATS(sock_net(sk), TCPDSACKOfoSent);
	tp->dsack = true;
	tp->duplicate_sack.start_seq = seq;
	tp->duplicate_sack.end_seq = end_seq;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_dsack_extend() — widen a pending D-SACK
 * block to cover [seq, end_seq) (tcp_sack_extend), or start one.
 */
static void tcp_dsack_extend(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sack_block *d = &tp->duplicate_sack;

	if (!tp->dsack) {
		tcp_dsack_set(sk, seq, end_seq);
		return;
	}
	/* tcp_sack_extend(): only when the ranges touch or overlap */
	if (!after(seq, d->end_seq) && !after(d->start_seq, end_seq)) {
		if (before(seq, d->start_seq))
			d->start_seq = seq;
		if (after(end_seq, d->end_seq))
			d->end_seq = end_seq;
	}
}

/*
 * The D-SACK part of net/ipv4/tcp_input.c:tcp_data_queue_ofo(): an
 * out-of-order segment overlapping what the queue holds.  socksim's queue
 * keeps merged ranges, not skbs, so each range stands for one queued skb:
 * inside a range, the whole segment is a duplicate (TCPOFOMerge, "all the bits
 * are present"); a range starting before it, their overlap; ranges it
 * covers or starts inside, extend the block (the merge_right loop).
 */
static void tcp_ofo_dsack(struct sock *sk, uint32_t seq, uint32_t end_seq)
{
	GArray *ofo = tcp_sk(sk)->ofo;

	for (guint i = 0; i < tcp_array_len(ofo); i++) {
		const struct tcp_ofo_range *r = &g_array_index(ofo, struct tcp_ofo_range, i);

		if (!after(end_seq, r->seq) || !before(seq, r->end_seq))
			continue;	/* no overlap */
		if (!before(seq, r->seq) && !after(end_seq, r->end_seq)) {
			tcp_dsack_set(sk, seq, end_seq);
			return;
		}
		if (after(seq, r->seq))
			tcp_dsack_set(sk, seq, r->end_seq);
		else
			tcp_dsack_extend(sk, r->seq, before(end_seq, r->end_seq) ? end_seq : r->end_seq);
	}
}

/* Insert [seq, end_seq) into the out-of-order queue, merging neighbours. */
static void tcp_ofo_insert(struct sock *sk, uint32_t seq, uint32_t end_seq, bool fin)
{
	GArray *ofo = tcp_rcv_array(sk, &tcp_sk(sk)->ofo, sizeof(struct tcp_ofo_range));
	guint i = 0;

	while (i < ofo->len && before(g_array_index(ofo, struct tcp_ofo_range, i).end_seq, seq))
		i++;
	if (i < ofo->len && !after(g_array_index(ofo, struct tcp_ofo_range, i).seq, end_seq)) {
		struct tcp_ofo_range *r = &g_array_index(ofo, struct tcp_ofo_range, i);

		if (before(seq, r->seq))
			r->seq = seq;
		if (after(end_seq, r->end_seq))
			r->end_seq = end_seq;
		r->fin |= fin;
		while (i + 1 < ofo->len &&
		       !after(g_array_index(ofo, struct tcp_ofo_range, i + 1).seq, r->end_seq)) {
			struct tcp_ofo_range *nx = &g_array_index(ofo, struct tcp_ofo_range, i + 1);

			if (after(nx->end_seq, r->end_seq))
				r->end_seq = nx->end_seq;
			r->fin |= nx->fin;
			g_array_remove_index(ofo, i + 1);
			r = &g_array_index(ofo, struct tcp_ofo_range, i);
		}
	} else {
		struct tcp_ofo_range r = { seq, end_seq, fin };

		g_array_insert_val(ofo, i, r);
	}
}

/*
 * The skb a received segment arrives in, as the device made it: over the
 * host's interface (a tun device, as under packetdrill) one linear skb
 * holding the IP and TCP headers (timestamps and SACK blocks as the
 * connection uses them) and the payload (core/skbuff.c:skb_rcv_alloc);
 * over loopback (a local source address: drivers/net/loopback.c hands the
 * sender's skb on) the sender's skb, its TCP_SKB_OVERHEAD head and the
 * payload in page fragments.  Returns whether the payload is in fragments.
 */
static bool tcp_rcv_skb_alloc(const struct sock *sk, const struct sk_buff *skb, uint32_t *truesize,
			      uint32_t *tailroom)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	uint32_t hdr = (skb->family == AF_INET6 ? 40u : 20u) + 20u;

	if (ipv4_is_loopback(skb->saddr) || skb->saddr == sock_net(sk)->addr) {
		*truesize = TCP_SKB_OVERHEAD + skb->len;
		*tailroom = 0;
		return true;
	}
	if (tp->tstamp_ok)
		hdr += TCPOLEN_TSTAMP_ALIGNED;
	if (skb->num_sacks)
		hdr += TCPOLEN_SACK_BASE_ALIGNED + TCPOLEN_SACK_PERBLOCK * skb->num_sacks;
	skb_rcv_alloc(hdr + skb->len, truesize, tailroom);
	return false;
}

/*
 * Models: the skb_cloned(to) test of net/core/skbuff.c:skb_try_coalesce()
 * for a looped-back skb: drivers/net/loopback.c delivers the clone
 * tcp_transmit_skb made, whose data the sender's skb shares until the
 * sender frees it (tcp_clean_rtx_queue, snd_una at or past its end: only
 * once the sender has processed the ACK, at release_sock when it waited in
 * the backlog of a send() in progress).  Measured on Linux 6.18.44
 * (tests/kernel/MEASURED.md, "Loopback with 4 KiB buffers"): two 2048-byte
 * segments sent in one send() cost the receiver 2 x 2880.
 */
static bool tcp_rskb_cloned(const struct sock *sk, const struct tcp_rskb *to)
{
	struct sock *sender;

	if (!to->frags)
		return false;	/* a device's own linear skb is not shared */
	sender = inet_lookup_established(sock_net(sk), sk->inet_saddr, sk->inet_num,
					 sk->inet_daddr, sk->inet_dport);
	return sender && before(tcp_sk(sender)->snd_una, to->clone_end);
}

/*
 * Models: net/core/skbuff.c:skb_try_coalesce() for @from going behind @to:
 * not while @to is a clone (tcp_rskb_cloned); a payload that fits @to's
 * tailroom is copied there (no truesize added);
 * page fragments move over and bring their truesize (all but the head's,
 * SKB_TRUESIZE(skb_end_offset)); a linear kmalloc'ed head cannot be given
 * away (skb_head_is_locked).  Returns the truesize @to gains, or -1.
 */
static int tcp_skb_try_coalesce(const struct sock *sk, struct tcp_rskb *to,
				const struct tcp_rskb *from)
{
	uint32_t len = from->end_seq - from->seq;

	if (tcp_rskb_cloned(sk, to))
		return -1;
	if (len <= to->tailroom) {
		to->tailroom -= len;
		to->end_seq = from->end_seq;
		return 0;
	}
	if (!from->frags)
		return -1;
	to->truesize += from->truesize - TCP_SKB_OVERHEAD;
	to->end_seq = from->end_seq;
	return (int)(from->truesize - TCP_SKB_OVERHEAD);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_clamp_window() — the queues reached
 * sk_rcvbuf: grow the buffer to what they hold (up to tcp_rmem[2], unless
 * SO_RCVBUF fixed it), and if they still overflow it, shrink rcv_ssthresh
 * to two segments.
 */
static void tcp_clamp_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int rmem2 = sock_net(sk)->ipv4.sysctl_tcp_rmem[2];

	tp->ack_quick = 0;
	if (sk->sk_rcvbuf < rmem2 && !(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		sk->sk_rcvbuf = MIN(sk->sk_rmem_alloc, rmem2);
	if (sk->sk_rmem_alloc > sk->sk_rcvbuf)
		tp->rcv_ssthresh = MIN(tp->window_clamp, 2u * tp->advmss);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_try_rmem_schedule() with tcp_can_ingest()
 * and tcp_prune_queue(): an skb is taken while the queues' truesize is
 * within sk_rcvbuf; past it, tcp_clamp_window, and if that made no room
 * the skb is refused (-1).  Not modelled: the memory accounting
 * (sk_rmem_schedule of the skb's truesize, pressure), collapsing the queues (tcp_collapse,
 * tcp_collapse_ofo_queue) and pruning the out-of-order queue
 * (tcp_prune_ofo_queue).
 */
static int tcp_try_rmem_schedule(struct sock *sk)
{
	if (sk->sk_rmem_alloc <= sk->sk_rcvbuf)	/* tcp_can_ingest */
		return 0;
	tcp_clamp_window(sk);			/* tcp_prune_queue: rmem >= rcvbuf */
	return sk->sk_rmem_alloc <= sk->sk_rcvbuf ? 0 : -1;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_queue_rcv() + tcp_try_coalesce() — an
 * in-order skb that continues the tail of the receive queue joins it when
 * tcp_skb_try_coalesce can (the packet's own skb is freed, its head's
 * truesize with it); otherwise it is queued and its truesize charged
 * (skb_set_owner_r).  end_seq excludes a FIN.
 */
static void tcp_queue_rcv(struct sock *sk, const struct tcp_rskb *r)
{
	struct tcp_sock *tp = tcp_sk(sk);
	GArray *q = tcp_rcv_array(sk, &tp->rcv_skbs, sizeof(struct tcp_rskb));

	if (q->len) {
		struct tcp_rskb *tail = &g_array_index(q, struct tcp_rskb, q->len - 1);

		if (tail->end_seq == r->seq) {
			int delta = tcp_skb_try_coalesce(sk, tail, r);

			if (delta >= 0) {
				sk->sk_rmem_alloc += delta;
				return;
			}
		}
	}
	g_array_append_val(q, *r);
	sk->sk_rmem_alloc += (int)r->truesize;
}

/*
 * Models: net/ipv4/tcp_input.c:__tcp_grow_window() — slow part of check #2:
 * would a buffer filled with skbs of this len/truesize still hold a window
 * as large as rcv_ssthresh?  Halving both until it would.
 */
static int __tcp_grow_window(const struct sock *sk, uint32_t len, uint32_t skbtruesize)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	int truesize = tcp_win_from_space(sk, (int)skbtruesize) >> 1;
	int window = tcp_win_from_space(sk, sock_net(sk)->ipv4.sysctl_tcp_rmem[2]) >> 1;

	while ((int)tp->rcv_ssthresh <= window) {
		if (truesize <= (int)len)
			return 2 * tp->rcv_mss;
		truesize >>= 1;
		window >>= 1;
	}
	return 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_grow_window() — open rcv_ssthresh (the
 * window's slow-start bound) by 2 * advmss per received skb whose truesize
 * the window can afford (check #2), else by what __tcp_grow_window allows,
 * at least twice the payload, never past the clamp or the free space.
 * With @adjust, a fragment skb counts without its head (truesize_adjust).
 */
static void tcp_grow_window(struct sock *sk, uint32_t len, uint32_t truesize, bool adjust)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int room = MIN((int)tp->window_clamp, tcp_space(sk)) - (int)tp->rcv_ssthresh;
	int incr;

	if (room <= 0)
		return;
	if (adjust)	/* truesize_adjust(): the head's part of a fragment skb may be freed by coalescing */
		truesize -= TCP_SKB_OVERHEAD;
	if (tcp_win_from_space(sk, (int)truesize) <= (int)len)
		incr = 2 * tp->advmss;
	else
		incr = __tcp_grow_window(sk, len, truesize);
	if (incr) {
		incr = MAX(incr, 2 * (int)len);
		tp->rcv_ssthresh += (uint32_t)MIN(room, incr);
		tp->ack_quick |= 1;	/* icsk_ack.quick |= 1 */
	}
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_measure_rcv_mss() — a segment at least
 * as large as rcv_mss raises it (up to advmss); one of a new size also
 * measures the socket's len/truesize ratio (6.6+), which re-clamps the
 * window to what sk_rcvbuf holds at that ratio (tcp_set_window_clamp).
 * (The small-segment branch, last_seg_size, is not modelled.)
 */
static void tcp_measure_rcv_mss(struct sock *sk, uint32_t len, uint32_t truesize)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (len < tp->rcv_mss)
		return;
	if (len != tp->rcv_mss && sock_net(sk)->profile->rcv_scaling_ratio) {
		uint64_t val = ((uint64_t)len << TCP_RMEM_TO_WIN_SCALE) / truesize;
		uint8_t old_ratio = tp->scaling_ratio;

		tp->scaling_ratio = (uint8_t)(val ? MIN(val, 255u) : 1u);
		if (old_ratio != tp->scaling_ratio) {
			tcp_set_window_clamp(sk, tcp_win_from_space(sk, sk->sk_rcvbuf));
			if (tp->window_clamp < tp->rcv_ssthresh)
				tp->rcv_ssthresh = tp->window_clamp;
		}
	}
	tp->rcv_mss = (uint16_t)MIN(len, (uint32_t)tp->advmss);
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_event_data_recv() — in-order data: an
 * ACK is due, rcv_mss and the scaling ratio are measured, the first data
 * starts the delayed-ACK engine in quick-ACK mode (tcp_incr_quickack), and
 * a segment of 128 bytes or more may grow the window (tcp_grow_window).
 */
static void tcp_event_data_recv(struct sock *sk, uint32_t len, uint32_t truesize, bool frags)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->ack_pending |= 1;
	tcp_measure_rcv_mss(sk, len, truesize);
	if (!tp->ato) {
		/* the first data: rcv_wnd / (2 * rcv_mss) quick ACKs (against a
		 * 4096-byte window and 2048-byte segments one: the second
		 * segment's ACK is delayed) */
		tcp_incr_quickack(tp, TCP_MAX_QUICKACKS);
		tp->ato = TCP_DELACK_MIN;	/* TCP_ATO_MIN */
	}
	if (len >= 128)
		tcp_grow_window(sk, len, truesize, frags);
}

/*
 * Models: the skb part of net/ipv4/tcp_input.c:tcp_data_queue_ofo() — the
 * out-of-order skb is dropped if an skb already holds all its bytes, frees
 * the skbs it covers, is copied into the skb it continues when it fits
 * tcp_skb_try_coalesce allows (tcp_ooo_try_coalesce), else inserted and charged
 * its truesize (skb_set_owner_r); with SACK the window may grow
 * (tcp_grow_window: no growth without SACK, to force dupacks).
 */
static void tcp_ofo_queue_skb(struct sock *sk, const struct sk_buff *skb, const struct tcp_rskb *r)
{
	struct tcp_sock *tp = tcp_sk(sk);
	GArray *q;
	guint i = 0;

	if (!skb->len)
		return;		/* a bare FIN out of order: its range is all the model keeps */
	q = tcp_rcv_array(sk, &tp->ofo_skbs, sizeof(struct tcp_rskb));
	while (i < q->len && before(g_array_index(q, struct tcp_rskb, i).seq, r->seq))
		i++;
	/* the skb before it: all the bits present, or coalesce behind it */
	if (i > 0) {
		struct tcp_rskb *prev = &g_array_index(q, struct tcp_rskb, i - 1);

		if (!after(r->end_seq, prev->end_seq))
			return;
		if (prev->end_seq == r->seq) {
			int delta = tcp_skb_try_coalesce(sk, prev, r);

			if (delta >= 0) {
				sk->sk_rmem_alloc += delta;
				if (tp->sack_ok)
					tcp_grow_window(sk, skb->len, r->truesize, r->frags);
				return;
			}
		}
	}
	if (i < q->len && g_array_index(q, struct tcp_rskb, i).seq == r->seq &&
	    !after(r->end_seq, g_array_index(q, struct tcp_rskb, i).end_seq))
		return;
	/* free the skbs it covers whole */
	while (i < q->len && !after(g_array_index(q, struct tcp_rskb, i).end_seq, r->end_seq)) {
		sk->sk_rmem_alloc -= (int)g_array_index(q, struct tcp_rskb, i).truesize;
		g_array_remove_index(q, i);
	}
	g_array_insert_val(q, i, *r);
	if (tp->sack_ok)
		tcp_grow_window(sk, skb->len, r->truesize, false);
	sk->sk_rmem_alloc += (int)r->truesize;
}

/*
 * Models: the skb part of net/ipv4/tcp_input.c:tcp_ofo_queue() — the
 * out-of-order skbs that rcv_nxt reached move to the receive queue
 * (tcp_try_coalesce into its tail frees the moved skb's truesize); those
 * wholly below rcv_nxt are dropped (sk_rmem_alloc loses their truesize).
 */
static void tcp_ofo_move_skbs(struct sock *sk, uint32_t nxt)
{
	struct tcp_sock *tp = tcp_sk(sk);
	GArray *q = tp->ofo_skbs;

	while (tcp_array_len(q)) {
		struct tcp_rskb r = g_array_index(q, struct tcp_rskb, 0);

		if (after(r.seq, nxt))
			break;
		g_array_remove_index(q, 0);
		sk->sk_rmem_alloc -= (int)r.truesize;
		if (!after(r.end_seq, nxt))
			continue;	/* tcp_drop_reason(SKB_DROP_REASON_TCP_OFO_DROP) */
		tcp_queue_rcv(sk, &r);
		nxt = r.end_seq;
	}
}

static void tcp_fin(struct sock *sk);

/*
 * Models: net/ipv4/tcp_input.c:tcp_ofo_queue() — move what became in-order.
 * Returns true when a FIN became in-order.
 */
static bool tcp_ofo_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t prior_nxt = tp->rcv_nxt;
	bool fin = false;

	while (tcp_array_len(tp->ofo)) {
		struct tcp_ofo_range *r = &g_array_index(tp->ofo, struct tcp_ofo_range, 0);
		uint32_t data_end = r->fin ? r->end_seq - 1 : r->end_seq;

		if (after(r->seq, tp->rcv_nxt))
			break;
		if (after(data_end, tp->rcv_nxt)) {
			uint32_t n = data_end - tp->rcv_nxt;

			sk->sk_rcv_queued += (int)n;
			tp->bytes_received += n;
			tp->rcv_nxt = data_end;
		}
		fin |= r->fin;
		g_array_remove_index(tp->ofo, 0);
	}
	tcp_ofo_move_skbs(sk, prior_nxt);
	return fin;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_data_queue() — in-order data goes to the
 * receive queue (if the window has room), a hole fills from the
 * out-of-order queue, anything else is queued out of order or dropped and
 * answered with an immediate ACK.
 */
static void tcp_data_queue(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool fin = skb->flags & TCPHDR_FIN;
	uint32_t end_seq = skb->seq + skb->len + (fin ? 1 : 0);
	uint32_t seq, len;

	uint32_t truesize, tailroom;

	if (!skb->len && !fin)
		return;
	tcp_ecn_accept_cwr(sk, skb);
	tp->data_segs_in += skb->len ? 1 : 0;
	bool frags = tcp_rcv_skb_alloc(sk, skb, &truesize, &tailroom);
	/* tcp_rcv_state_process: after the peer's FIN (CLOSE_WAIT, CLOSING,
	 * LAST_ACK) a segment at or past rcv_nxt is ignored (new data with the
	 * receive side shut aborted before, tcp_abort_on_data).  In ESTABLISHED,
	 * shutdown(SHUT_RD) changes nothing here: data is queued. */
	if ((sk->sk_state == TCP_CLOSE_WAIT || sk->sk_state == TCP_CLOSING ||
	     sk->sk_state == TCP_LAST_ACK) && !before(skb->seq, tp->rcv_nxt))
		return;
	/* Partial packet, seq < rcv_nxt < end_seq: the new part, and a FIN
	 * riding on it, are in-order data (tcp_data_queue, queue_and_out). */
	seq = skb->seq;
	len = skb->len;
	if (before(seq, tp->rcv_nxt) && after(end_seq, tp->rcv_nxt)) {
		/* D-SACK the part we already have (a FIN riding on it resets
		 * the SACK state again: tcp_fin -> tcp_sack_reset) */
		tcp_dsack_set(sk, seq, tp->rcv_nxt);
		len = end_seq - (fin ? 1u : 0u) - tp->rcv_nxt;
		seq = tp->rcv_nxt;
	}
	if (seq == tp->rcv_nxt) {
		uint64_t prior_received = tp->bytes_received;

		if (tcp_receive_window(tp) == 0 && len) {
			/* out_of_window: no room, drop and tell the sender */
			tcp_enter_quickack_mode(tp, TCP_MAX_QUICKACKS);
			tp->ack_pending |= 1;
			return;
		}
		if (tcp_try_rmem_schedule(sk) && tcp_array_len(tp->rcv_skbs) && skb->len) {
			/* queue_and_out: no memory, drop (TCPRcvQDrop); an empty
			 * queue takes it anyway (sk_forced_mem_schedule) */
			tcp_enter_quickack_mode(tp, TCP_MAX_QUICKACKS);
			tp->ack_pending |= 1;
			return;
		}
		tcp_queue_rcv(sk, &(struct tcp_rskb){ skb->seq, skb->seq + skb->len, truesize, tailroom, frags,
				       skb->seq + skb->len });
		if (len) {
			tp->rcv_nxt += len;
			tp->bytes_received += len;
			sk->sk_rcv_queued += (int)len;
			tp->lrcvtime = now_of(sk);	/* tcp_event_data_recv() */
		}
		if (skb->len) {
			tcp_event_data_recv(sk, skb->len, truesize, frags);
			tcp_ecn_check_ce(sk, skb);	/* as tcp_event_data_recv() does */
		}
		if (tcp_array_len(tp->ofo))
			fin |= tcp_ofo_queue(sk);
		tcp_sack_update(tp, tp->rcv_nxt, tp->rcv_nxt);
		tp->ack_pending |= 1;
		if (fin) {
			tp->rcv_nxt++;
			tcp_fin(sk);	/* ACKs at once, or leaves it to tcp_ack_snd_check */
		}
		sk_wake_poll(sk, EPOLL_KEY_READABLE);	/* sk_data_ready: sock_def_readable */
		/* with what the hole released from the out-of-order queue */
		trace_tcp_received(sk, (uint32_t)(tp->bytes_received - prior_received));
		return;
	}
	if (!after(end_seq, tp->rcv_nxt)) {
		/* A retransmit of what we already have: ACK at once, with a
		 * D-SACK block for it (also what tcp_send_dupack does for a
		 * segment wholly below rcv_wup). */
		NET_INC_STATS(sock_net(sk), DelayedACKLost);
		tcp_dsack_set(sk, skb->seq, end_seq);
		tcp_enter_quickack_mode(tp, TCP_MAX_QUICKACKS);
		tp->ack_pending |= 1;
		return;
	}
	if (!before(skb->seq, tp->rcv_nxt + tcp_receive_window(tp))) {
		tcp_enter_quickack_mode(tp, TCP_MAX_QUICKACKS);
		tp->ack_pending |= 1;
		return;
	}
	/* out of order: queue it and report it in SACK blocks, ACK at once */
	tcp_ecn_check_ce(sk, skb);	/* tcp_data_queue_ofo() */
	tp->ack_pending |= 1;
	if (tcp_try_rmem_schedule(sk))
		return;		/* tcp_data_queue_ofo: TCPOFODrop */
	if (sock_net(sk)->profile->ofo_measure_rcv_mss)
		tcp_measure_rcv_mss(sk, skb->len, truesize);	/* 6.17+: out-of-order data measures too */
	tcp_ofo_dsack(sk, skb->seq, end_seq);
	tcp_ofo_insert(sk, skb->seq, end_seq, fin);
	tcp_sack_update(tp, skb->seq, end_seq);
	tcp_ofo_queue_skb(sk, skb, &(struct tcp_rskb){ skb->seq, skb->seq + skb->len, truesize, tailroom, frags,
				       skb->seq + skb->len });
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_fin() — the FIN is acknowledged like data
 * (inet_csk_schedule_ack), but the peer closing makes the connection
 * "interactive": pingpong mode, so the ACK waits for the delayed-ACK timer
 * and usually rides on our own FIN.  In FIN_WAIT1/2 it goes out at once.
 * Anything still out of order after the FIN is dropped.
 */
static void tcp_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->ack_pending |= 1;
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sk->sock_done = true;		/* sock_set_flag(sk, SOCK_DONE) */
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		tcp_set_state(sk, TCP_CLOSE_WAIT);
		tp->pingpong = true;	/* inet_csk_enter_pingpong_mode */
		break;
	case TCP_FIN_WAIT1:
		tcp_send_ack(sk);
		tcp_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		/* ACK the FIN and enter TIME_WAIT: a timewait sock holds it for
		 * TCP_TIMEWAIT_LEN and the socket goes to CLOSE (tcp_done) */
		tcp_send_ack(sk);
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		break;
	default:
		break;
	}
	if (tp->ofo)
		g_array_set_size(tp->ofo, 0);	/* skb_rbtree_purge(&tp->out_of_order_queue) */
	for (guint i = 0; i < tcp_array_len(tp->ofo_skbs); i++)
		sk->sk_rmem_alloc -= (int)g_array_index(tp->ofo_skbs, struct tcp_rskb, i).truesize;
	if (tp->ofo_skbs)
		g_array_set_size(tp->ofo_skbs, 0);
	tp->num_sacks = 0;		/* tcp_sack_reset */
	tp->dsack = false;
	if (!sock_flag_dead(sk))
		sk_state_change(sk);
}

/* The closing states, once the ACK (in @skb) covers our FIN (tcp_rcv_state_process). */
static void tcp_ack_fin_states(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tp->snd_una != tp->write_seq || tp->packets_out || tp->send_head)
		return;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1: {
		sim_time_t tmo;

		tcp_set_state(sk, TCP_FIN_WAIT2);
		if (!sock_flag_dead(sk))
			break;
		/*
		 * An orphan does not wait forever for the peer's FIN:
		 * tcp_fin_time() (tcp_rcv_state_process, TCP_FIN_WAIT1 case).
		 * Longer than TIME_WAIT, the full socket waits out the
		 * difference under the keepalive timer first.  A segment that
		 * carries the FIN or data goes on to tcp_fin() or the abort,
		 * under the keepalive timer; any other makes a timewait sock in
		 * FIN_WAIT2 of the socket.
		 */
		tmo = tcp_fin_time(sk);
		if (tmo > TCP_TIMEWAIT_LEN)
			sim_mod_timer(&tp->keepalive_timer, now_of(sk) + tmo - TCP_TIMEWAIT_LEN);
		else if (skb->len || (skb->flags & TCPHDR_FIN))
			sim_mod_timer(&tp->keepalive_timer, now_of(sk) + tmo);
		else
			tcp_time_wait(sk, TCP_FIN_WAIT2, tmo);
		break;
	}
	case TCP_CLOSING:
		tcp_time_wait(sk, TCP_TIME_WAIT, 0);
		break;
	case TCP_LAST_ACK:
		tcp_done(sk);
		break;
	default:
		break;
	}
}

/*
 * Part of tcp_rcv_state_process() (net/ipv4/tcp_input.c), step 7, "process
 * the segment text": in FIN_WAIT1/2 (and CLOSE_WAIT, CLOSING, LAST_ACK for a
 * segment starting before rcv_nxt) with the receive side shut, a segment
 * whose data (FIN aside) goes past rcv_nxt aborts the connection
 * (TCPAbortOnData, RFC 1122): tcp_reset() and a return of 1, so the caller
 * answers with tcp_v4_send_reset() built from that segment (seq = its ack),
 * not with the socket's own RST.
 */
static bool tcp_abort_on_data(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t end_seq = skb->seq + skb->len + !!(skb->flags & TCPHDR_FIN);

	switch (sk->sk_state) {
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		if (!before(skb->seq, tp->rcv_nxt))
			return false;
		break;
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		break;
	default:
		return false;
	}
	if (!(sk->sk_shutdown & RCV_SHUTDOWN) || end_seq == skb->seq ||
	    !after(skb->seq + skb->len, tp->rcv_nxt))
		return false;
	NET_INC_STATS(sock_net(sk), TCPAbortOnData);
	tcp_reset(sk, (struct sk_buff *)skb);
	return true;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_rcv_state_process() (and, for the
 * synchronized states, the work of tcp_rcv_established()).  Returns 1 when
 * the caller must answer with a RST.
 */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->segs_in++;
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
		/* tcp_rcv_state_process(), TCP_SYN_RECV: the first pacing rate */
		tcp_update_pacing_rate(sk);
	}
	if (tcp_ack(sk, skb)) {
		tcp_send_ack(sk);
		return 0;
	}
	if (sk->sk_state == TCP_CLOSE)
		return 0;
	tcp_ack_fin_states(sk, skb);
	if (sk->sk_state == TCP_CLOSE)
		return 0;
	/* a zero-window probe or any old segment gets an immediate ACK */
	if (before(skb->seq, tp->rcv_nxt) && !skb->len && !(skb->flags & TCPHDR_FIN) &&
	    skb->seq + 1 == tp->rcv_nxt) {
		tcp_send_ack(sk);
		return 0;
	}
	if (tcp_abort_on_data(sk, skb))
		return 1;
	tcp_data_queue(sk, skb);
	if (sk->sk_state != TCP_CLOSE) {
		__tcp_push_pending_frames(sk, tp->nonagle);
		tcp_ack_snd_check(sk);
	}
	return 0;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_ecn_create_request() — agree to ECN when
 * the SYN asks (ECE and CWR), tcp_ecn is not 0, and the SYN itself is
 * Not-ECT (an ECT SYN is taken for a broken path).  The route's ECN feature
 * and congestion controls that need ECN are not modelled.
 */
bool tcp_ecn_create_request(const struct sock *listener, const struct sk_buff *skb)
{
	if ((skb->flags & (TCPHDR_ECE | TCPHDR_CWR)) != (TCPHDR_ECE | TCPHDR_CWR))
		return false;
	return skb->ecn == INET_ECN_NOT_ECT && sock_net((struct sock *)listener)->ipv4.sysctl_tcp_ecn;
}

/*
 * Models: net/ipv4/tcp_input.c:tcp_conn_request() — SYN on a listener: drop
 * when the accept queue is full (even with syncookies), answer with a cookie
 * when the SYN queue is full and syncookies are on, else queue a request
 * and send the SYN-ACK.
 */
int tcp_conn_request(struct sock *listener, struct sk_buff *skb)
{
	struct net *net = sock_net(listener);
	struct request_sock *req;
	bool want_cookie = false;
	int syncookies = net->ipv4.sysctl_tcp_syncookies;

	if ((syncookies == 2 || inet_csk_reqsk_queue_is_full(listener))) {
		if (!syncookies) {
			NET_INC_STATS(net, TCPReqQFullDrop);
			sk_trace(listener, "tcp_conn_request_drop",
				 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=syn-queue-full");
			return 0;
		}
		want_cookie = true;
		NET_INC_STATS(net, TCPReqQFullDoCookies);
	}
	if (sk_acceptq_is_full(listener)) {
		NET_INC_STATS(net, ListenOverflows);
		NET_INC_STATS(net, ListenDrops);
		sk_trace(listener, "tcp_conn_request_drop",
			 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=accept-queue-full");
		return 0;
	}
	/*
	 * Without syncookies the last quarter of tcp_max_syn_backlog is kept
	 * for peers proven alive by the metrics cache, which this model never
	 * has: those SYNs are dropped.
	 */
	if (!want_cookie && !syncookies &&
	    net->ipv4.sysctl_tcp_max_syn_backlog - (int)inet_csk(listener)->syn_qlen <
	    (net->ipv4.sysctl_tcp_max_syn_backlog >> 2)) {
		NET_INC_STATS(net, TCPReqQFullDrop);
		sk_trace(listener, "tcp_conn_request_drop",
			 "net/ipv4/tcp_input.c:tcp_conn_request", "reason=syn-backlog-unproven");
		return 0;
	}
	req = kernel_zalloc(net->ks, sizeof(*req));	/* inet_reqsk_alloc(); reqsk_free() */
	req->id = ++net->ks->next_req_id;
	req->rsk_listener = listener;
	req->rmt_addr = skb->saddr;
	req->rmt_port = skb->source;
	req->loc_addr = skb->daddr;
	if (skb->family == AF_INET6)
		tcp_v6_init_req(req, skb);
	req->loc_port = skb->dest;
	req->rcv_isn = skb->seq;
	/* a SYN that took over a timewait sock: tw_snd_nxt + 65535 + 2 */
	req->snt_isn = net->tcp_tw_isn ? net->tcp_tw_isn : secure_tcp_seq(net);
	req->mss = skb->mss && skb->mss < req_advmss(req) ? skb->mss : req_advmss(req);
	/* tcp_parse_options(): the listener's TCP_MAXSEG caps the peer's MSS */
	if (tcp_sk(listener)->user_mss && tcp_sk(listener)->user_mss < req->mss)
		req->mss = tcp_sk(listener)->user_mss;
	/* 0xff: no scaling, because the peer or we do not do it */
	req->snd_wscale = net->ipv4.sysctl_tcp_window_scaling ? skb->wscale : 0xff;
	req->sack_ok = skb->sack_perm && net->ipv4.sysctl_tcp_sack;
	req->ts_ok = skb->ts_ok && net->ipv4.sysctl_tcp_timestamps;
	req->timeout = TCP_TIMEOUT_INIT;
	req->cookie = want_cookie;
	/* a SYN cookie keeps ECN in the timestamp it echoes: none without one */
	req->ecn_ok = tcp_ecn_create_request(listener, skb) && (!want_cookie || req->ts_ok);
	sk_trace(listener, "tcp_conn_request", "net/ipv4/tcp_input.c:tcp_conn_request",
		 want_cookie ? "syncookie=yes" : "syncookie=no");
	inet_csk_reqsk_queue_hash_add(listener, req);
	tcp_v4_send_synack(listener, req);
	return 0;
}
