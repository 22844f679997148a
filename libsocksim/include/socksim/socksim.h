/* SPDX-License-Identifier: MIT */
/*
 * libsocksim: load a scenario, run it and read its results from C, as
 * `socksim run` does (docs/library.md).  Installed as <socksim/socksim.h>;
 * link with `pkg-config --cflags --libs socksim`.  One struct socksim_run
 * is one simulation: several may exist at once, in any threads, each used by
 * one thread at a time.  Strings returned to the caller are freed with free().
 */
#ifndef SOCKSIM_SOCKSIM_H
#define SOCKSIM_SOCKSIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "0.1.0" and, when built from git, the revision ("" otherwise). */
const char *socksim_version(void);
const char *socksim_revision(void);

struct socksim_run;

/*
 * Parse and check the scenario @path with the `--set` values @sets
 * ("net.ipv4.tcp_syn_retries=3", "timeo=2s", "profile=linux-5.0"; a
 * NULL-terminated array, or NULL).  NULL on error, with the message
 * ("FILE:LINE:COL: error: ...") in *@error when @error is not NULL.
 */
struct socksim_run *socksim_run_load(const char *path, const char *const *sets, char **error);

/* Use @seed instead of the scenario's `seed` (call before socksim_run_execute). */
void socksim_run_set_seed(struct socksim_run *run, uint64_t seed);

/*
 * Run to the end and check the expectations; once per run.  Returns what
 * `socksim run` exits with: 0 every expectation held, 1 one failed, 3 a run
 * limit (100000000 events) was hit.
 */
int socksim_run_execute(struct socksim_run *run);

/* After socksim_run_execute: the expectations, how many failed, and the simulated end time. */
unsigned int socksim_run_expectations(const struct socksim_run *run);
unsigned int socksim_run_failed(const struct socksim_run *run);
uint64_t socksim_run_end_time_ns(const struct socksim_run *run);

/* The failed expectations as `socksim run` prints them (one per line, "" if none). */
const char *socksim_run_report(const struct socksim_run *run);

/* The results JSON document (docs/results-format.md), after socksim_run_execute. */
char *socksim_run_results_json(const struct socksim_run *run);

void socksim_run_free(struct socksim_run *run);

#ifdef __cplusplus
}
#endif

#endif
