/* SPDX-License-Identifier: MIT */
/*
 * The --trace output: a consumer of the engine's trace sink (sim/trace.h)
 * that writes each record as one human-readable line or one JSON Lines
 * object, to a FILE or to memory (tests, determinism checks).
 */
#ifndef OBSERVERS_TRACE_WRITER_H
#define OBSERVERS_TRACE_WRITER_H

#include <stdio.h>

#include "sim/trace.h"

enum trace_format {
	TRACE_TEXT,
	TRACE_JSONL,
};

struct trace_writer;

/* A writer to @out (borrowed) in @fmt, attached to @sink until freed. */
struct trace_writer *trace_writer_new(struct sim_trace *sink, FILE *out, enum trace_format fmt);
/* A writer appending to memory: trace_writer_memory() reads it. */
struct trace_writer *trace_writer_new_memory(struct sim_trace *sink, enum trace_format fmt);
const char *trace_writer_memory(const struct trace_writer *w);
/* Detaches from the sink (which must still exist) and frees. */
void trace_writer_free(struct trace_writer *w);

#endif
