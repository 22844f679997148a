/* SPDX-License-Identifier: MIT */
/*
 * What a sweep is: scenario, grid, seeds, fixed sets and extra fields.  It
 * is written to DIR/sweep.json (the manifest) when a sweep starts; a resumed
 * sweep must produce the same manifest, and `merge` and `report` read it.
 *
 * Layout of a sweep directory:
 *   sweep.json            the manifest
 *   SCENARIO.scn          a copy of the scenario; every run uses this copy
 *   runs/gGGGGGG-sSSSSS.json          one record per finished run (row.h)
 *   runs/gGGGGGG-sSSSSS.results.json the run's results (--keep-results)
 *   tasks.txt             one `socksim task` command per run (--emit-tasks)
 *   summary.csv, summary.jsonl        one row per run, in (grid, seed) order
 */
#ifndef SWEEP_SPEC_H
#define SWEEP_SPEC_H

#include <glib.h>
#include <stdint.h>

#include "grid.h"

struct sweep_spec {
	char *scenario;		/* the copy's file name, relative to the sweep directory */
	char *scenario_sha256;
	GPtrArray *axes;	/* struct grid_axis *, in `--vary` order */
	GPtrArray *sets;	/* fixed KEY=VALUE, in `--set` order */
	GPtrArray *fields;	/* NAME=[AGG:]JSONPATH, in `--field` order */
	uint64_t seeds;		/* seeds 1..seeds for every grid point */
	uint64_t connect_line;	/* the scenario line of the connect() to summarise; 0: the first */
};

struct sweep_spec *sweep_spec_new(void);
void sweep_spec_free(struct sweep_spec *s);
typedef struct sweep_spec sweep_spec;	/* for g_autoptr() only */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_spec, sweep_spec_free)

/* Bounds of a sweep (docs/sweeps-and-reports.md): --seeds 1..SWEEP_MAX_SEEDS
 * and grid points x seeds <= SWEEP_MAX_RUNS. */
#define SWEEP_MAX_SEEDS 1000000u
#define SWEEP_MAX_RUNS 10000000u

/* Grid points x seeds; 0 when that exceeds SWEEP_MAX_RUNS or --seeds is out of bounds. */
uint64_t sweep_spec_runs(const struct sweep_spec *s);

/* The manifest text (fixed key order); equal specs give equal bytes. */
char *sweep_manifest_json(const struct sweep_spec *s);
/* The text written to sweep.json: the manifest and the "socksim" version that wrote it. */
char *sweep_manifest_file_json(const struct sweep_spec *s);
/* Read DIR/sweep.json; NULL and @error, "path:line:col: ...", on error. */
struct sweep_spec *sweep_manifest_load(const char *dir, GError **error);

/* "g000012-s00003": the stem of a run's files under runs/. */
char *sweep_run_stem(uint64_t grid, uint64_t seed);

/*
 * The arguments after the program name of the self-contained command that
 * performs run (@grid, @seed), run from the sweep directory.
 */
GPtrArray *sweep_task_args(const struct sweep_spec *s, uint64_t grid, uint64_t seed,
			   bool keep_results);

/* The summary columns of this sweep (row.h), char *. */
GPtrArray *sweep_columns(const struct sweep_spec *s);

#endif
