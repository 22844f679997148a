/* SPDX-License-Identifier: MIT */
/*
 * Pluggable congestion control, as include/net/tcp.h:struct tcp_congestion_ops:
 * one const table per algorithm, chosen per socket (TCP_CONGESTION) or per
 * host (net.ipv4.tcp_congestion_control, default "cubic").
 */
#ifndef MODELS_NET_TCP_CONG_H
#define MODELS_NET_TCP_CONG_H

#include "net/tcp.h"

enum tcp_ca_event {
	CA_EVENT_TX_START,	/* first transmit when nothing was in flight */
	CA_EVENT_CWND_RESTART,
	CA_EVENT_COMPLETE_CWR,
	CA_EVENT_LOSS,		/* RTO: entering Loss */
};

struct ack_sample {
	uint32_t pkts_acked;
	int32_t rtt_us;		/* -1: no sample */
};

struct tcp_congestion_ops {
	const char *name;
	void (*init)(struct sock *sk);
	uint32_t (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, uint32_t ack, uint32_t acked);
	void (*set_state)(struct sock *sk, uint8_t new_state);
	void (*cwnd_event)(struct sock *sk, enum tcp_ca_event ev);
	uint32_t (*undo_cwnd)(struct sock *sk);
	void (*pkts_acked)(struct sock *sk, const struct ack_sample *sample);
};

extern const struct tcp_congestion_ops tcp_reno;
extern const struct tcp_congestion_ops cubictcp;

/* By name ("reno", "cubic"); NULL if unknown. */
const struct tcp_congestion_ops *tcp_ca_find(const char *name);
/* The ops for sysctl index @idx (net->ipv4.sysctl_tcp_congestion_control). */
const struct tcp_congestion_ops *tcp_ca_by_index(int idx);
int tcp_ca_index(const char *name);
const char *tcp_ca_name_by_index(int idx);

void tcp_init_congestion_control(struct sock *sk);
int tcp_set_congestion_control(struct sock *sk, const char *name);

/* net/ipv4/tcp_cong.c helpers the algorithms share */
uint32_t tcp_slow_start(struct tcp_sock *tp, uint32_t acked);
void tcp_cong_avoid_ai(struct tcp_sock *tp, uint32_t w, uint32_t acked);
bool tcp_is_cwnd_limited(const struct sock *sk);
uint32_t tcp_reno_ssthresh(struct sock *sk);
void tcp_reno_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked);
uint32_t tcp_reno_undo_cwnd(struct sock *sk);

static inline bool tcp_in_slow_start(const struct tcp_sock *tp)
{
	return tp->snd_cwnd < tp->snd_ssthresh;
}

static inline void *inet_csk_ca(struct sock *sk)
{
	return tcp_sk(sk)->ca_priv;
}

#endif
