/* SPDX-License-Identifier: MIT */
/*
 * TCP socket state: include/net/inet_connection_sock.h, include/linux/tcp.h,
 * include/net/request_sock.h and the constants of include/net/tcp.h.
 * Times the kernel keeps in jiffies are kept in ns here; HZ only matters in
 * timer-wheel mode (sim/timer.c).
 */
#ifndef MODELS_NET_TCP_H
#define MODELS_NET_TCP_H

#include "net/sock.h"
#include "sim/timer.h"

#define TCP_TIMEOUT_INIT	SIM_SEC(1)	/* RFC 6298 initial RTO */
#define TCP_TIMEOUT_FALLBACK	SIM_SEC(3)
#define TCP_RTO_MAX		SIM_SEC(120)
#define TCP_RTO_MIN		SIM_MSEC(200)
#define TCP_DELACK_MAX		SIM_MSEC(200)
#define TCP_RESOURCE_PROBE_INTERVAL SIM_MSEC(500)
#define TCP_SYN_RETRIES		6
#define TCP_SYNACK_RETRIES	5
#define TCP_MSS_DEFAULT		536
#define TCP_INIT_CWND		10
#define TCP_INFINITE_SSTHRESH	0x7fffffff
#define MAX_TCP_SYNCNT		127

/* socket options */
#define SOL_SOCKET		1
#define SO_ERROR		4
#define SO_SNDBUF		7
#define SO_RCVBUF		8
#define SO_RCVTIMEO		20
#define SO_SNDTIMEO		21
#define SOL_TCP			6
#define TCP_NODELAY		1
#define TCP_MAXSEG		2
#define TCP_SYNCNT		7
#define TCP_INFO		11
#define TCP_USER_TIMEOUT	18
#define TCP_RTO_MAX_MS		44

/* tcp header flags */
#define TCPHDR_FIN 0x01
#define TCPHDR_SYN 0x02
#define TCPHDR_RST 0x04
#define TCPHDR_PSH 0x08
#define TCPHDR_ACK 0x10

enum { ICSK_TIME_RETRANS = 1, ICSK_TIME_DACK = 2, ICSK_TIME_PROBE0 = 3 };

struct request_sock;

/* include/net/inet_connection_sock.h */
struct inet_connection_sock {
	struct sock sk;
	struct sim_timer icsk_retransmit_timer;
	struct sim_timer icsk_delack_timer;
	uint8_t icsk_pending;
	uint8_t icsk_retransmits;
	uint8_t icsk_backoff;
	uint8_t icsk_syn_retries;	/* TCP_SYNCNT; 0 = sysctl */
	sim_time_t icsk_rto;
	sim_time_t icsk_rto_min;
	sim_time_t icsk_rto_max;
	uint32_t icsk_user_timeout;	/* TCP_USER_TIMEOUT, ms */
	/* icsk_accept_queue: the SYN queue (requests) and the accept queue */
	struct request_sock *syn_queue;		/* singly linked, creation order */
	unsigned int syn_qlen;
	struct request_sock *accept_head, *accept_tail;
	struct sock *listener;			/* for children: the parent */
};

/* include/linux/tcp.h */
struct tcp_sock {
	struct inet_connection_sock icsk;
	uint32_t write_seq;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_wnd;
	uint32_t rcv_nxt;
	uint32_t rcv_wnd;
	uint32_t mss_cache;
	uint16_t advmss;
	uint16_t rx_opt_mss_clamp;
	uint32_t snd_cwnd;
	uint32_t snd_ssthresh;
	uint32_t retrans_stamp;		/* tcp_time_stamp_ms() of the first
					 * (re)transmission; 0 = none */
	uint32_t total_retrans;
	uint32_t total_rto;
	uint32_t srtt_us;		/* <<3, as the kernel stores it */
	uint32_t mdev_us;
	uint32_t rttvar_us;
	sim_time_t syn_sent_at;		/* for the handshake RTT sample (Karn) */
	bool nonagle;
	bool fin_queued;
	uint32_t unsent;		/* bytes in the write queue not yet sent */
	uint32_t unacked;		/* bytes sent, not yet acked */
	uint64_t bytes_received;
};

/* include/net/request_sock.h: a connection in SYN_RECV on a listener */
struct request_sock {
	struct request_sock *dl_next;
	struct sock *rsk_listener;
	struct sock *child;		/* set once the final ACK created it */
	struct sim_timer rsk_timer;
	uint32_t rmt_addr, loc_addr;
	uint16_t rmt_port, loc_port;
	uint32_t rcv_isn, snt_isn;
	uint16_t mss;
	uint8_t num_timeout;
	uint8_t num_retrans;
	bool acked;			/* final ACK seen but accept queue full */
	bool cookie;			/* SYN cookie: no timer, no SYN-queue slot */
	sim_time_t timeout;
	sim_time_t snt_synack;
	sim_time_t last_oow_ack_time;	/* tcp_oow_rate_limited() */
	uint32_t id;
};

static inline struct inet_connection_sock *inet_csk(struct sock *sk)
{
	return (struct inet_connection_sock *)sk;
}

static inline struct tcp_sock *tcp_sk(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

/*
 * Models: include/net/tcp.h:tcp_time_stamp_ms() — TCP's millisecond clock.
 * It starts at 1 ms, not 0, so that a stamp of 0 keeps the kernel's meaning
 * "not set" even for a SYN sent at t = 0.
 */
static inline uint32_t tcp_time_stamp_ms(sim_time_t now)
{
	return (uint32_t)(now / 1000000u) + 1;
}

/* Sequence number comparisons, modulo 2^32. */
static inline bool before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool after(uint32_t a, uint32_t b) { return before(b, a); }

#endif
