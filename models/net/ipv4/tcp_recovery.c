/* SPDX-License-Identifier: MIT */
/*
 * RACK loss detection for SACK connections (RFC 8985).
 * Models: net/ipv4/tcp_recovery.c @ v6.18 (tcp_rack_advance,
 * tcp_rack_detect_loss, tcp_rack_reo_wnd, tcp_rack_reo_timeout).
 * A segment is lost when one sent after it was delivered and more than
 * RACK.rtt + reo_wnd has passed since it was sent.  Simplifications: no
 * DSACK-driven reo_wnd growth (reo_wnd_steps stays 1); the reordering
 * timer is its own timer rather than sharing the retransmit timer slot.
 */
#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/ipv4.h"

/*
 * Models: net/ipv4/tcp_recovery.c:tcp_rack_advance() — every delivery gives
 * RACK.rtt (the latest sample, since 4.18 "tcp: evaluate packet losses upon
 * RTT change"); RACK.xmit_time/end_seq only move forward.
 */
void tcp_rack_advance(struct tcp_sock *tp, const struct tcp_qskb *q, sim_time_t now)
{
	uint32_t rtt_us = (uint32_t)((now - q->tx_time) / 1000u);

	/* A retransmitted segment acked faster than min_rtt is ambiguous
	 * (the ACK may be for the original): ignore it. */
	if ((q->sacked & (TCPCB_EVER_RETRANS | TCPCB_SACKED_RETRANS)) && rtt_us < tp->min_rtt_us)
		return;
	tp->rack_advanced = true;
	tp->rack_rtt_us = rtt_us;
	if (q->tx_time > tp->rack_mstamp ||
	    (q->tx_time == tp->rack_mstamp && after(q->end_seq, tp->rack_end_seq))) {
		tp->rack_mstamp = q->tx_time;
		tp->rack_end_seq = q->end_seq;
	}
}

/*
 * Models: net/ipv4/tcp_recovery.c:tcp_rack_reo_wnd() — no reordering seen
 * (reord_seen): zero once "dupthresh" segments are SACKed or in recovery;
 * else min_rtt/4, at most srtt.
 */
static uint32_t tcp_rack_reo_wnd(const struct tcp_sock *tp)
{
	if (!tp->reord_seen &&
	    (tp->icsk.icsk_ca_state >= TCP_CA_Recovery || tp->sacked_out >= tp->reordering))
		return 0;
	return MIN(tp->min_rtt_us >> 2, tp->srtt_us >> 3);
}

/*
 * Models: net/ipv4/tcp_recovery.c:tcp_rack_detect_loss() + tcp_rack_mark_lost().
 * An ACK scans only after a new RACK sample (rack.advanced, cleared here);
 * the reordering timer scans regardless (@from_timer).  Returns true when it
 * armed the reordering timer.
 */
static bool tcp_rack_scan(struct sock *sk, bool from_timer)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t now = net_now(sock_net(sk));
	uint32_t reo_wnd = tcp_rack_reo_wnd(tp);
	int64_t max_wait = 0;

	if (!tp->rack_mstamp || (!from_timer && !tp->rack_advanced))
		return false;
	tp->rack_advanced = false;
	for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
		struct tcp_qskb *q = l->data;
		int64_t remaining;

		/* Skip ones marked lost but not yet retransmitted: a lost
		 * retransmission is found like any other segment */
		if ((q->sacked & TCPCB_SACKED_ACKED) ||
		    ((q->sacked & TCPCB_LOST) && !(q->sacked & TCPCB_SACKED_RETRANS)))
			continue;
		/* only segments sent before the newest delivered one */
		if (q->tx_time > tp->rack_mstamp ||
		    (q->tx_time == tp->rack_mstamp && !after(tp->rack_end_seq, q->end_seq)))
			continue;
		remaining = (int64_t)(q->tx_time + SIM_USEC((uint64_t)tp->rack_rtt_us + reo_wnd)) -
			    (int64_t)now;
		if (remaining <= 0) {
			/* tcp_mark_skb_lost(): a retransmission lost again
			 * (TCPLostRetransmit) is sent once more */
			if (q->sacked & TCPCB_LOST) {
				q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
				tp->retrans_out--;
				NET_INC_STATS(sock_net(sk), TCPLostRetransmit);
			} else {
				if (q->sacked & TCPCB_SACKED_RETRANS) {
					q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
					tp->retrans_out--;
				}
				q->sacked |= TCPCB_LOST;
				tp->lost_out++;
			}
		} else if (remaining > max_wait) {
			max_wait = remaining;	/* "record maximum wait time" */
		}
	}
	if (max_wait > 0) {
		/* tcp_rack_reo_timeout() will look again after the longest wait:
		 * 6.6+ rounds wait + TCP_TIMEOUT_MIN_US (2 ms) up to jiffies, 5.0
		 * rounds the wait up and adds TCP_TIMEOUT_MIN (2 jiffies) */
		struct sim *sim = sock_net(sk)->sim;
		uint64_t wait_us = ((uint64_t)max_wait + 999u) / 1000u;
		uint64_t j = sock_net(sk)->profile->timeout_min_us ?
			     sim_usecs_to_jiffies(sim, wait_us + TCP_TIMEOUT_MIN_US) :
			     sim_usecs_to_jiffies(sim, wait_us) + 2;

		sim_mod_timer(&tp->rack_timer, now + sim_jiffies_to_ns(sim, j));
		return true;
	}
	return false;
}

bool tcp_rack_mark_lost(struct sock *sk)
{
	return tcp_rack_scan(sk, false);
}

/* Models: net/ipv4/tcp_recovery.c:tcp_rack_reo_timeout() */
static void tcp_rack_reo_timeout(struct sim_timer *t)
{
	struct tcp_sock *tp = container_of(t, struct tcp_sock, rack_timer);
	struct sock *sk = &tp->icsk.sk;
	uint32_t prior_lost = tp->lost_out;

	if (sk->sk_state == TCP_CLOSE || !tp->packets_out)
		return;
	tcp_rack_scan(sk, true);
	if (tp->lost_out > prior_lost) {
		if (tp->icsk.icsk_ca_state < TCP_CA_Recovery) {
			tcp_enter_recovery(sk, false);
			/* one delivered packet's worth of sending, as PRR allows */
			tcp_cwnd_reduction(sk, 1, true, 0);
		}
		tcp_xmit_retransmit_queue(sk);
	}
}

void tcp_rack_init(struct sock *sk)
{
	sim_timer_setup(sock_net(sk)->sim, &tcp_sk(sk)->rack_timer, tcp_rack_reo_timeout,
			"tcp_rack_reo_timeout");
}
