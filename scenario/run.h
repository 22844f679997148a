/* SPDX-License-Identifier: MIT */
/*
 * Running a checked scenario: build the world, drive each process's
 * timeline, deliver signals, then evaluate the expectations and write
 * results.  Every run owns its own struct sim; runs never share state.
 */
#ifndef SIM_SCENARIO_RUN_H
#define SIM_SCENARIO_RUN_H

#include <glib.h>

#include "plan.h"
#include "sim/trace.h"

struct scn_run_opts {
	uint64_t seed;
	bool seed_set;			/* else the scenario's `seed` (default 1) */
	sim_time_t until;		/* 0: none */
	uint64_t max_events;		/* 0: none */
	struct sim_trace *trace;	/* borrowed, may be NULL */
	const char *const *sets;	/* recorded in the results */
	/* The caller never asks for the results document (scn_run_results_json):
	 * skip its per-connection TCP series (observers/tcp_stats.c), which
	 * nothing else reads.  Outcomes and traces are the same either way. */
	bool no_results;
};

struct scn_run;
struct world;

struct scn_run *scn_run_new(const struct scn_plan *plan, const struct scn_run_opts *opts);
void scn_run_free(struct scn_run *r);
struct sim *scn_run_sim(struct scn_run *r);
/* The simulated world (hosts, links, devices), for observers. */
struct world *scn_run_world(struct scn_run *r);

/* Run to the end or to a limit. */
enum sim_run_result scn_run_execute(struct scn_run *r);
/*
 * Did the run stop at a run limit: @rr (scn_run_execute()'s) is --until, the
 * end of simulated time or --max-events, or the scenario breached a limit
 * that only the run can see (limit.threads: scn_run_limit_text())?
 */
bool scn_run_limit_hit(const struct scn_run *r, enum sim_run_result rr);
/* "the number of threads spawned exceeds limit.threads=N; raise it ...", or NULL. */
const char *scn_run_limit_text(const struct scn_run *r);
/* One event at a time (for interleaving two runs in tests); false when idle. */
bool scn_run_step(struct scn_run *r);

/*
 * Check every expectation; append one line per failure ("file:line: ...")
 * and per pass (when @verbose) to @report.  Returns the number of failures.
 */
unsigned int scn_run_evaluate(struct scn_run *r, GString *report, bool verbose);
unsigned int scn_run_expectations(const struct scn_run *r);

/* The results document (docs/results-format.md); @exit_kind: "ok", ... */
char *scn_run_results_json(struct scn_run *r, const char *exit_kind);

#endif
