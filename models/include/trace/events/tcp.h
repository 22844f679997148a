/* SPDX-License-Identifier: MIT */
/* TCP probes (the kernel's include/trace/events/tcp.h role). */
#ifndef MODELS_TRACE_EVENTS_TCP_H
#define MODELS_TRACE_EVENTS_TCP_H

#include "net/sock.h"
#include "trace/events.h"

/* The connection reached ESTABLISHED (tcp_finish_connect, or a child). */
static inline void trace_tcp_established(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_established, sk);
}

/* tcp_transmit_skb sent @len payload bytes (@retrans: a retransmission). */
static inline void trace_tcp_sent(struct sock *sk, uint32_t len, bool retrans)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_sent, sk, len, retrans);
}

/* An ACK advanced snd_una by @bytes. */
static inline void trace_tcp_acked(struct sock *sk, uint32_t bytes)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_acked, sk, bytes);
}

/* @bytes of new in-order data were queued for the reader. */
static inline void trace_tcp_received(struct sock *sk, uint32_t bytes)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_received, sk, bytes);
}

/* The congestion state (cwnd, ssthresh, srtt, RTO, windows) may have changed. */
static inline void trace_tcp_cong(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_cong, sk);
}

/* tcp_disconnect() reset the socket: the next connect is a new connection. */
static inline void trace_tcp_disconnect(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_disconnect, sk);
}

/* The retransmit/probe timer (@what ICSK_TIME_RETRANS or _PROBE0) or the
 * delayed-ACK timer (ICSK_TIME_DACK) was armed to fire at @expires. */
static inline void trace_tcp_timer_armed(struct sock *sk, int what, sim_time_t expires)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_timer_armed, sk, what, expires);
}

/* That timer fired and its handler runs now. */
static inline void trace_tcp_timer_fired(struct sock *sk, int what)
{
	TRACE_EMIT(sock_net(sk)->ks, tcp_timer_fired, sk, what);
}

#endif
