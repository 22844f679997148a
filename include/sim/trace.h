/* SPDX-License-Identifier: MIT */
/*
 * Trace points.  One record = (time, host, object, event, kernel function,
 * detail).  The detail is a space-separated list of key=value tokens whose
 * values contain no spaces; the text writer prints it as is, the JSON Lines
 * writer turns each pair into a field (all-digit values become numbers).
 * Event names mirror kernel tracepoints (inet_sock_set_state,
 * tcp_retransmit_skb, ...).  No pointers, no wall-clock values.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stddef.h>

#include "sim/time.h"

struct sim;

struct sim_trace_rec {
	sim_time_t t;
	const char *host;	/* may be NULL */
	const char *obj;	/* "sk#3", "pid 1", "link a-b", may be NULL */
	const char *event;
	const char *func;	/* kernel function responsible, may be NULL */
	const char *detail;	/* "k=v k=v", may be NULL or "" */
};

/*
 * A consumer of trace records: the text and JSON Lines writers
 * (observers/trace_writer.c), the timeline (observers/timeline.c), tests.
 * Consumers run in attach order, synchronously; they only read.
 */
struct sim_trace_consumer {
	void *ctx;
	void (*record)(void *ctx, const struct sim_trace_rec *rec);
	void (*header)(void *ctx, const char *key, const char *value);	/* may be NULL */
};

/*
 * The engine's trace sink: it formats nothing and writes nothing, it hands
 * each record to its consumers.  A simulation without a sink (sim_config.trace
 * NULL) builds no records at all (sim_trace_sink() is NULL: callers skip the
 * work of describing a packet).
 */
struct sim_trace;

struct sim_trace *sim_trace_new(void);
void sim_trace_free(struct sim_trace *tr);
/* @c is borrowed until sim_trace_detach(). */
void sim_trace_attach(struct sim_trace *tr, const struct sim_trace_consumer *c);
void sim_trace_detach(struct sim_trace *tr, const struct sim_trace_consumer *c);
void sim_trace_header(struct sim_trace *tr, const char *key, const char *value);

void sim_trace_emit(struct sim_trace *tr, const struct sim_trace_rec *rec);

/* Convenience: trace at sim_now() with a printf-style detail. */
void sim_trace(struct sim *sim, const char *host, const char *obj,
	       const char *event, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Append @v to @s as a JSON string literal (quotes and escapes). */
typedef struct _GString GString;
void sim_json_append_string(GString *s, const char *v);

/*
 * Append each "k=v" token of @detail to @s as ,"k":v (all-digit values as
 * numbers, others as strings) — the JSON Lines writer's fields.
 */
void sim_trace_detail_json(GString *s, const char *detail);

/* "12.000000345" — seconds with 9 decimals, integer arithmetic only. */
void sim_time_format(sim_time_t t, char *buf, size_t len);

#endif
