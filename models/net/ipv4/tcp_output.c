/* SPDX-License-Identifier: MIT */
/* Building and sending segments.  Models: net/ipv4/tcp_output.c @ v6.18. */
#include <glib.h>

#include "env/world.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "sim/trace.h"

struct sk_buff *tcp_make_skb(struct sock *sk, uint8_t flags, uint32_t seq, uint32_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = skb_alloc(sk->host->world);

	skb->protocol = IPPROTO_TCP;
	skb->saddr = sk->inet_saddr;
	skb->daddr = sk->inet_daddr;
	skb->source = sk->inet_sport;
	skb->dest = sk->inet_dport;
	skb->seq = seq;
	skb->flags = flags;
	skb->len = len;
	skb->window = 65535;
	if (flags & TCPHDR_ACK)
		skb->ack_seq = tp->rcv_nxt;
	if (flags & TCPHDR_SYN)
		skb->mss = tp->advmss;
	return skb;
}

/* Models: net/ipv4/tcp_output.c:__tcp_transmit_skb() — count and hand to IP. */
void tcp_xmit(struct sock *sk, struct sk_buff *skb)
{
	TCP_INC_STATS(sk->host, OutSegs);
	wire_xmit(sk->host, skb);
}

/* Models: net/ipv4/tcp_output.c:tcp_connect_init() */
static void tcp_connect_init(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	/* Route MTU 1500: advmss = 1500 - 40.  Timestamps shrink mss_cache. */
	tp->advmss = 1460;
	tp->mss_cache = sk->host->net.ipv4.sysctl_tcp_timestamps ? 1448 : 1460;
	sk->sk_err = 0;
	tp->snd_una = tp->write_seq;
	tp->snd_nxt = tp->write_seq;
	tp->rcv_nxt = 0;
	icsk->icsk_rto = TCP_TIMEOUT_INIT;	/* tcp_timeout_init() */
	icsk->icsk_retransmits = 0;
	tp->unsent = tp->unacked = 0;
}

/* Models: net/ipv4/tcp_output.c:tcp_connect() — send the SYN, arm the RTO timer. */
int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *skb;
	char label[16];

	tcp_connect_init(sk);
	skb = tcp_make_skb(sk, TCPHDR_SYN, tp->write_seq, 0);
	tp->write_seq++;
	tp->snd_nxt = tp->write_seq;
	tp->syn_sent_at = sim_now(sk->host->world->sim);
	tp->retrans_stamp = tcp_time_stamp_ms(tp->syn_sent_at);
	sock_label(sk, label, sizeof(label));
	sim_trace(sk->host->world->sim, sk->host->name, label, "tcp_connect",
		  "net/ipv4/tcp_output.c:tcp_connect", "seq=%u rto_ns=%" G_GUINT64_FORMAT,
		  skb->seq, (guint64)icsk->icsk_rto);
	tcp_xmit(sk, skb);
	TCP_INC_STATS(sk->host, ActiveOpens);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, icsk->icsk_rto_max);
	return 0;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_retransmit_skb() for what this model
 * keeps on the retransmit queue: the SYN (SYN_SENT), the SYN-ACK of a
 * simultaneous open (SYN_RECV) and the FIN.
 */
int tcp_retransmit_skb(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb;
	uint8_t flags;
	char label[16];

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		flags = TCPHDR_SYN;
		break;
	case TCP_SYN_RECV:
		flags = TCPHDR_SYN | TCPHDR_ACK;
		break;
	default:
		flags = TCPHDR_FIN | TCPHDR_ACK;
		break;
	}
	skb = tcp_make_skb(sk, flags, tp->snd_una, 0);
	if (!tp->retrans_stamp)
		tp->retrans_stamp = tcp_time_stamp_ms(sim_now(sk->host->world->sim));
	tp->total_retrans++;
	TCP_INC_STATS(sk->host, RetransSegs);
	if (flags & TCPHDR_SYN)
		NET_INC_STATS(sk->host, TCPSynRetrans);
	sock_label(sk, label, sizeof(label));
	sim_trace(sk->host->world->sim, sk->host->name, label, "tcp_retransmit_skb",
		  "net/ipv4/tcp_timer.c:tcp_retransmit_timer",
		  "state=%s seq=%u retransmits=%u", tcp_state_name(sk->sk_state), skb->seq,
		  inet_csk(sk)->icsk_retransmits);
	tcp_xmit(sk, skb);
	return 0;
}

/* Models: net/ipv4/tcp_output.c:tcp_send_ack() */
void tcp_send_ack(struct sock *sk)
{
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_ACK, tcp_sk(sk)->snd_nxt, 0));
}

/* Models: net/ipv4/tcp_output.c:tcp_send_active_reset() */
void tcp_send_active_reset(struct sock *sk)
{
	char label[16];

	TCP_INC_STATS(sk->host, OutRsts);
	sock_label(sk, label, sizeof(label));
	sim_trace(sk->host->world->sim, sk->host->name, label, "tcp_send_reset",
		  "net/ipv4/tcp_output.c:tcp_send_active_reset", "seq=%u",
		  tcp_sk(sk)->snd_nxt);
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_RST | TCPHDR_ACK, tcp_sk(sk)->snd_nxt, 0));
}

/* Models: net/ipv4/tcp_output.c:tcp_send_fin() — the FIN takes one sequence number. */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	tp->fin_queued = true;
	tcp_push_pending(sk);
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_FIN | TCPHDR_ACK, tp->snd_nxt, 0));
	tp->snd_nxt++;
	tp->write_seq = tp->snd_nxt;
	tp->retrans_stamp = 0;
	icsk->icsk_retransmits = 0;
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, icsk->icsk_rto_max);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_write_xmit(), reduced to "send all
 * queued bytes in MSS-sized segments now" (no cwnd, no Nagle, no
 * retransmission of data — the send-path issue models those).
 */
void tcp_push_pending(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE_WAIT)
		return;
	while (tp->unsent) {
		uint32_t n = MIN(tp->unsent, tp->mss_cache);

		tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_ACK | TCPHDR_PSH, tp->snd_nxt, n));
		tp->snd_nxt += n;
		tp->write_seq = tp->snd_nxt;
		tp->unsent -= n;
		tp->unacked += n;
	}
}
