/* SPDX-License-Identifier: MIT */
/*
 * include/net/tcp_ecn.h (6.17+; before, these were static functions of
 * net/ipv4/tcp_input.c and tcp_output.c): classic ECN, RFC 3168, as Linux
 * does it.  The SYN asks with ECE|CWR (net.ipv4.tcp_ecn = 1), the listener
 * agrees with ECE on the SYN-ACK (tcp_ecn = 1 or 2), and both ends then hold
 * TCP_ECN_OK: new data goes out ECT(0); a CE mark makes the receiver set ECE
 * on its ACKs until the sender's CWR; an ACK with ECE makes the sender reduce
 * cwnd once per window (tcp_enter_cwr) and set CWR on its next new data.
 * AccECN (the AE flag, tcp_ecn 3-5 in later kernels), congestion controls
 * that need ECN (DCTCP) and the route's ECN feature are not modelled.
 */
#ifndef MODELS_NET_TCP_ECN_H
#define MODELS_NET_TCP_ECN_H

#include "net/inet_ecn.h"
#include "net/net_namespace.h"
#include "net/skb.h"
#include "net/tcp.h"

/* Models: include/net/tcp.h:tcp_ecn_ok() (6.18: tcp_ecn_mode_rfc3168) — ECN was negotiated. */
static inline bool tcp_ecn_ok(const struct tcp_sock *tp)
{
	return tp->ecn_flags & TCP_ECN_OK;
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_queue_cwr() — CWR on the next new data segment. */
static inline void tcp_ecn_queue_cwr(struct tcp_sock *tp)
{
	if (tcp_ecn_ok(tp))
		tp->ecn_flags |= TCP_ECN_QUEUE_CWR;
}

/*
 * Models: include/net/tcp_ecn.h:tcp_ecn_accept_cwr() — the peer reduced its
 * cwnd: stop echoing ECE; its cwnd may be tiny, so ACK a data segment at once
 * (ICSK_ACK_NOW).
 */
static inline void tcp_ecn_accept_cwr(struct sock *sk, const struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (tcp_ecn_ok(tp) && (skb->flags & TCPHDR_CWR)) {
		tp->ecn_flags &= (uint8_t)~TCP_ECN_DEMAND_CWR;
		if (skb->len || (skb->flags & TCPHDR_FIN))
			tp->ack_pending |= ICSK_ACK_NOW;
	}
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_rcv_synack() — ECN holds only if the SYN-ACK has ECE without CWR. */
static inline void tcp_ecn_rcv_synack(struct tcp_sock *tp, const struct sk_buff *skb)
{
	if (tcp_ecn_ok(tp) && (!(skb->flags & TCPHDR_ECE) || (skb->flags & TCPHDR_CWR)))
		tp->ecn_flags &= (uint8_t)~TCP_ECN_OK;
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_rcv_syn() — a simultaneous open: the peer's SYN must ask too. */
static inline void tcp_ecn_rcv_syn(struct tcp_sock *tp, const struct sk_buff *skb)
{
	if (tcp_ecn_ok(tp) && (!(skb->flags & TCPHDR_ECE) || !(skb->flags & TCPHDR_CWR)))
		tp->ecn_flags &= (uint8_t)~TCP_ECN_OK;
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_rcv_ecn_echo() — an ECE that is congestion feedback (FLAG_ECE). */
static inline bool tcp_ecn_rcv_ecn_echo(const struct tcp_sock *tp, const struct sk_buff *skb)
{
	return (skb->flags & TCPHDR_ECE) && !(skb->flags & TCPHDR_SYN) && tcp_ecn_ok(tp);
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_send_synack() — a simultaneous open's SYN-ACK: ECE if ECN holds, never CWR. */
static inline uint8_t tcp_ecn_send_synack(const struct tcp_sock *tp, uint8_t flags)
{
	flags &= (uint8_t)~TCPHDR_CWR;
	if (!tcp_ecn_ok(tp))
		flags &= (uint8_t)~TCPHDR_ECE;
	return flags;
}

/*
 * Models: include/net/tcp_ecn.h:tcp_ecn_send_syn() — tcp_ecn = 1 asks for
 * ECN with ECE|CWR on the SYN (which itself stays Not-ECT) and presumes it
 * until the SYN-ACK says otherwise.
 */
static inline void tcp_ecn_send_syn(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	tp->ecn_flags = 0;
	if (sock_net(sk)->ipv4.sysctl_tcp_ecn == 1) {
		skb->flags |= TCPHDR_ECE | TCPHDR_CWR;
		tp->ecn_flags = TCP_ECN_OK;
	}
}

/*
 * Models: include/net/tcp_ecn.h:tcp_ecn_clear_syn() — with
 * tcp_ecn_fallback a retransmitted SYN no longer asks (a middlebox may drop
 * ECN SYNs); ecn_flags stay until the SYN-ACK clears them.  The kernel
 * clears the flags on the queued SYN, so every later copy goes without.
 */
static inline void tcp_ecn_clear_syn(struct sock *sk, struct sk_buff *skb)
{
	if (sock_net(sk)->ipv4.sysctl_tcp_ecn_fallback)
		skb->flags &= (uint8_t)~(TCPHDR_ECE | TCPHDR_CWR);
}

/* Models: include/net/tcp_ecn.h:tcp_ecn_make_synack() — the listener agreed: ECE on the SYN-ACK. */
static inline void tcp_ecn_make_synack(const struct request_sock *req, struct sk_buff *skb)
{
	if (req->ecn_ok)
		skb->flags |= TCPHDR_ECE;
}

/* net/ipv4/tcp_input.c, tcp_minisocks.c, tcp_output.c */
void tcp_ecn_check_ce(struct sock *sk, const struct sk_buff *skb);
bool tcp_ecn_create_request(const struct sock *listener, const struct sk_buff *skb);
void tcp_ecn_send(struct sock *sk, struct sk_buff *skb);

#endif
