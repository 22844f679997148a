/* SPDX-License-Identifier: MIT */
/*
 * Trace points.  One record = (time, host, object, event, kernel function,
 * detail).  The detail is a space-separated list of key=value tokens whose
 * values contain no spaces; the text sink prints it as is, the JSON Lines
 * sink turns each pair into a field (all-digit values become numbers).
 * Event names mirror kernel tracepoints (inet_sock_set_state,
 * tcp_retransmit_skb, ...).  No pointers, no wall-clock values.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdio.h>

#include "sim/time.h"

struct sim;

enum sim_trace_format {
	SIM_TRACE_TEXT,
	SIM_TRACE_JSONL,
};

struct sim_trace_rec {
	sim_time_t t;
	const char *host;	/* may be NULL */
	const char *obj;	/* "sk#3", "pid 1", "link a-b", may be NULL */
	const char *event;
	const char *func;	/* kernel function responsible, may be NULL */
	const char *detail;	/* "k=v k=v", may be NULL or "" */
};

typedef void (*sim_trace_hook)(void *opaque, const struct sim_trace_rec *rec);

struct sim_trace;

/* A sink writing to @out (borrowed) in @fmt. */
struct sim_trace *sim_trace_new(FILE *out, enum sim_trace_format fmt);
/* A sink appending text-format lines to memory (tests, determinism checks). */
struct sim_trace *sim_trace_new_memory(enum sim_trace_format fmt);
const char *sim_trace_memory(const struct sim_trace *tr);
void sim_trace_free(struct sim_trace *tr);
/* Also deliver every record to @hook (results collection); one hook. */
void sim_trace_set_hook(struct sim_trace *tr, sim_trace_hook hook, void *opaque);
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
 * numbers, others as strings) — the JSON Lines sink's fields.
 */
void sim_trace_detail_json(GString *s, const char *detail);

/* "12.000000345" — seconds with 9 decimals, integer arithmetic only. */
void sim_time_format(sim_time_t t, char *buf, size_t len);

#endif
