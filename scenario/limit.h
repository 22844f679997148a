/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the limits on what a scenario can make big (issue #13),
 * one table (scenario/limit.c, docs/scenario-language.md, "Adjustable limits").  Each is raised or lowered
 * with --set limit.NAME=N; a breach is an error naming the limit and how to
 * raise it.
 */
#ifndef SIM_SCENARIO_LIMIT_H
#define SIM_SCENARIO_LIMIT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

enum scn_limit {
	SCN_LIMIT_FILE_BYTES,	/* bytes of a scenario file */
	SCN_LIMIT_INSTANCES,	/* instances of one program (`start` lines) */
	SCN_LIMIT_HOSTS,	/* `host` lines */
	SCN_LIMIT_PROCESSES,	/* processes and threads (`process`, `thread`, programs) */
	SCN_LIMIT_LINE_BYTES,	/* bytes of one line of a scenario file */
	SCN_LIMIT_PARAMS,	/* `param` lines */
	SCN_LIMIT_VARIABLES,	/* variables of one program (each instance has them all) */
	SCN_LIMIT_SAMPLE_INTERVAL,	/* a lower bound: the shortest `sample interval=`, in ns */
	SCN_LIMIT_THREADS,	/* threads programs' `spawn` blocks start in one run (a run limit) */
	SCN_LIMIT_SIM_TIME,	/* seconds of simulated time a run without `stop at=` or --until
				 * may take (a run limit); past the end of simulated time: none */
	SCN_LIMIT_N
};

struct scn_limits {
	uint64_t v[SCN_LIMIT_N];
};

/* The limit's name in --set limit.NAME=N. */
const char *scn_limit_name(enum scn_limit l);

/* Is @kv a --set limit.NAME=N? */
bool scn_set_is_limit(const char *kv);

/*
 * The defaults, overridden by the limit.NAME=N entries of @sets (NULL-ended,
 * others ignored).  An unknown NAME or a value that is not an integer in
 * 1..the limit's maximum: SCN_ERROR_USAGE, false.
 */
bool scn_limits_from_sets(struct scn_limits *out, const char *const *sets, GError **error);

/*
 * "WHAT exceeds limit.NAME=N; raise it with --set limit.NAME=N" (the caller's
 * WHAT); of a lower bound (sample-interval): "WHAT is below limit.NAME=N;
 * lower it with --set limit.NAME=N".
 */
char *scn_limit_exceeded(const struct scn_limits *lim, enum scn_limit l, const char *what);

#endif
