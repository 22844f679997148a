/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: per-connection samples for the results document -- cwnd,
 * ssthresh, srtt, RTO and in-flight over time, bytes acked / received per
 * interval.  A subscriber of the TCP probes (trace/events/tcp.h): sampling
 * is driven by the events themselves (no timers), so it never changes what
 * the simulation does.
 */
#ifndef OBSERVERS_TCP_STATS_H
#define OBSERVERS_TCP_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/net_namespace.h"
#include "sim/time.h"
#include "trace/events.h"

struct tcp_sample {
	sim_time_t t;			/* first: a series element (series.h) */
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
	sim_time_t last_received;	/* when the last byte arrived in order; 0: none */
	sim_time_t interval;		/* throughput buckets */
	GArray *samples;		/* struct tcp_sample */
	GArray *acked;			/* uint64_t bytes acked per interval */
	GArray *received;		/* uint64_t bytes received per interval */
	uint64_t bytes_sent, bytes_retrans, segs_retrans;
};

struct tcp_stats {
	struct trace_subscriber sub;
	struct sim *sim;
	sim_time_t interval;		/* 0: no samples */
	GPtrArray *sinks;		/* struct tcp_stats_sink *, connection order */
	GHashTable *by_sock;		/* struct sock * -> sink (lookups only) */
};

/* Attach to @ks; samples every @interval (0: none). */
struct tcp_stats *tcp_stats_new(struct kernel_shared *ks, sim_time_t interval);
void tcp_stats_free(struct tcp_stats *ts);

#endif
