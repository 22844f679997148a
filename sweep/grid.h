/* SPDX-License-Identifier: MIT */
/*
 * A sweep's parameter grid: the `--vary` values of each key, and the
 * numbering of their combinations (grid index 0, 1, ...; the last key
 * varies fastest, as nested loops written in command-line order would).
 */
#ifndef SWEEP_GRID_H
#define SWEEP_GRID_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct grid_axis {
	char *key;		/* a scenario parameter or sysctl, as `--set` takes it */
	GPtrArray *values;	/* char *, in order */
};

/*
 * Parse one `--vary` argument: KEY=V1,V2,... or KEY=START:STOP:STEP, where
 * START, STOP and STEP are decimals with one optional common unit suffix
 * (0.1:0.5:0.1, 1ms:4ms:1ms); the range includes STOP when a step lands on
 * it.  Computed with integers: 0.1:0.3:0.1 is exactly 0.1, 0.2, 0.3.
 * NULL and @error (CLI_ERROR_USAGE) if @arg is not one.
 */
struct grid_axis *grid_axis_parse(const char *arg, GError **error);
struct grid_axis *grid_axis_new(const char *key);
void grid_axis_free(struct grid_axis *a);

/* Number of combinations (1 with no axes); 0 if it overflows. */
uint64_t grid_size(const GPtrArray *axes);
/* The value of each axis at grid index @g, borrowed from the axes. */
void grid_point(const GPtrArray *axes, uint64_t g, const char **values_out);

#endif
