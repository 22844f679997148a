/* SPDX-License-Identifier: MIT */
/*
 * One summary row per run (docs/sweeps-and-reports.md, "Summary columns"):
 * computed from a results document, or made for a run that produced none
 * (error, crashed, missing).  A row is one line of JSON whose keys are the
 * columns in order; the per-run record file and the summary.jsonl line are
 * the same bytes, and summary.csv is the same row as CSV.
 */
#ifndef SWEEP_ROW_H
#define SWEEP_ROW_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "json_doc.h"

/* The columns: grid, seed, @keys, the fixed columns, @fields' names, message. */
GPtrArray *row_columns(const GPtrArray *keys, const GPtrArray *fields);

/*
 * Check `--vary` keys and `--field NAME=[AGG:]JSONPATH` specs: names unique
 * and not clashing with a fixed column, aggregators known, paths compile;
 * false and @error naming the first that is not so.
 */
bool row_check_names(const GPtrArray *keys, const GPtrArray *fields, GError **error);

struct row_ctx {
	uint64_t grid;
	uint64_t seed;
	const GPtrArray *keys;		/* char * */
	const char *const *values;	/* one per key */
	uint64_t connect_line;		/* 0: the first connect() in the results */
	const GPtrArray *fields;	/* NAME=[AGG:]JSONPATH */
};

/*
 * The row of a run from its results document (named @path in messages);
 * NULL and @error ("PATH:LINE:COL: ...") if it is not one.
 */
char *row_from_results(const struct row_ctx *c, const char *path, const char *results_json, GError **error);
/* The row of a run without results: @outcome "error", "crashed" or "missing". */
char *row_without_results(const struct row_ctx *c, const char *outcome, int exit_status,
			  const char *message);

/* CSV (RFC 4180) of a header or a parsed row, with "\n" line ends. */
void row_append_csv_header(GString *out, const GPtrArray *columns);
void row_append_csv(GString *out, const struct jd_node *row, const GPtrArray *columns);

#endif
