/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: per-connection samples for the results document — cwnd,
 * ssthresh, srtt, RTO and in-flight over time, bytes acked / received per
 * interval, send() latencies.  Sampling is driven by the events themselves
 * (no timers), so it never changes what the simulation does.
 */
#ifndef MODELS_ENV_TCP_STATS_H
#define MODELS_ENV_TCP_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

struct sock;

struct tcp_sample {
	sim_time_t t;
	uint32_t cwnd, ssthresh, in_flight, srtt_us;
	sim_time_t rto;
	uint8_t ca_state;
	uint64_t bytes_acked;
	uint32_t snd_wnd, rcv_wnd;	/* the peer's offer, and ours */
	uint32_t total_retrans;
};

struct tcp_stats_sink {
	uint32_t sock_id;
	sim_time_t start;		/* connection established */
	sim_time_t interval;		/* throughput buckets */
	GArray *samples;		/* struct tcp_sample */
	GArray *acked;			/* uint64_t bytes acked per interval */
	GArray *received;		/* uint64_t bytes received per interval */
	uint64_t bytes_sent, bytes_retrans, segs_retrans;
};

void tcp_stats_start(struct sock *sk);
void tcp_stats_sent(struct sock *sk, uint32_t len, bool retrans);
void tcp_stats_acked(struct sock *sk, uint32_t bytes);
void tcp_stats_received(struct sock *sk, uint32_t bytes);
void tcp_stats_cwnd(struct sock *sk);
void tcp_stats_sink_free(struct tcp_stats_sink *s);

#endif
