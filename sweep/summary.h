/* SPDX-License-Identifier: MIT */
/*
 * The merged summary of a sweep: one row per (grid, seed), in that order,
 * from the records under DIR/runs/ of one or more sweep directories; a run
 * without a record is a "missing" row.  The same records give the same
 * bytes, whichever process wrote them and in whatever order.
 */
#ifndef SWEEP_SUMMARY_H
#define SWEEP_SUMMARY_H

#include <glib.h>

#include "spec.h"

struct summary_counts {
	uint64_t runs;
	uint64_t ok;		/* outcome ok */
	uint64_t expect;	/* expectation-failed */
	uint64_t limit;		/* run-limit */
	uint64_t failed;	/* error or crashed */
	uint64_t missing;	/* no record */
};

/* Count one run with this outcome. */
void summary_count(struct summary_counts *c, const char *outcome);

/* Does DIR/runs/ hold the record of (@grid, @seed)? */
bool summary_has_record(const char *dir, uint64_t grid, uint64_t seed);

/*
 * For resuming: does DIR/runs/ hold a record of (@grid, @seed) that parses as
 * that run's record?  One that does not (truncated, corrupt) is removed with a
 * warning naming it, so that the run runs again.
 */
bool summary_has_valid_record(const char *dir, uint64_t grid, uint64_t seed);

/*
 * Write @out_dir/summary.csv and summary.jsonl (atomically) from the records
 * in @dirs.  False and @error on an unreadable record or two differing records
 * of one run.
 */
bool summary_write(const struct sweep_spec *s, const GPtrArray *dirs, const char *out_dir,
		   struct summary_counts *c, GError **error);

/* "N runs: ... -> PATH" on stderr; the exit status these counts call for. */
int summary_report(const char *what, const struct summary_counts *c, const char *out_dir);

#endif
