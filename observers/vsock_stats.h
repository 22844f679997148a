/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: per-connection vsock results -- bytes moved, bytes per
 * interval and the credit state at each change.  A subscriber of the vsock
 * probes (trace/events/vsock.h).
 */
#ifndef OBSERVERS_VSOCK_STATS_H
#define OBSERVERS_VSOCK_STATS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/net_namespace.h"
#include "sim/time.h"
#include "trace/events.h"

/* The credit state of a connection when it changed. */
struct vsock_sample {
	sim_time_t t;			/* first: a series element (series.h) */
	int64_t peer_free;		/* has_space */
	uint32_t rx_bytes;
	uint32_t buf_alloc, peer_buf_alloc;
	uint32_t fwd_cnt, peer_fwd_cnt, tx_cnt;
	bool blocked;			/* a sender was waiting for credit */
};

struct vsock_conn_stats {
	uint64_t bytes_sent, bytes_received;
	unsigned int send_waiters;	/* tasks blocked in sendmsg for credit */
	sim_time_t start;		/* when it became established; 0: never */
	sim_time_t last_received;	/* when recv() last took bytes; 0: never */
	GArray *samples;		/* struct vsock_sample, at each change (merged when close) */
	GArray *sent_iv, *recv_iv;	/* uint64_t bytes per interval from start */
};

/* One virtqueue per results interval (the scenario's `sample interval=`). */
struct vq_sample {
	sim_time_t t;			/* start of the interval; first: a series element */
	unsigned int in_use;		/* descriptors in use (num - num_free) */
	unsigned int avail_pending;	/* made available, not yet taken by the device */
	unsigned int used_pending;	/* returned by the device, not yet reclaimed */
	unsigned int max_in_use;	/* highest in_use within the interval */
};

struct vsock_stats {
	struct trace_subscriber sub;
	sim_time_t interval;		/* 0: no samples (bytes are still counted) */
	GHashTable *by_sock;		/* struct vsock_sock * -> struct vsock_conn_stats * (lookups only) */
	GHashTable *by_dev;		/* struct vsock_device * -> GArray *[VSOCK_VQ_MAX] (lookups only) */
};

struct vsock_stats *vsock_stats_new(struct kernel_shared *ks, sim_time_t interval);
void vsock_stats_free(struct vsock_stats *vs);
/* @vsk's statistics; NULL if it never had any. */
const struct vsock_conn_stats *vsock_stats_of(const struct vsock_stats *vs,
					      const struct vsock_sock *vsk);

/* Samples (struct vq_sample) of virtqueue @idx of @dev; NULL if none. */
const GArray *vsock_stats_vq(const struct vsock_stats *vs, const struct vsock_device *dev, int idx);

#endif
