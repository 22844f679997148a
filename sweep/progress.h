/* SPDX-License-Identifier: MIT */
/*
 * A one-line progress bar with an ETA on stderr, only when stderr is a
 * terminal.  The ETA is the one use of the wall clock in socksim; nothing
 * it measures reaches any output file.
 */
#ifndef SWEEP_PROGRESS_H
#define SWEEP_PROGRESS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct progress {
	bool tty;
	int64_t start_us;	/* wall clock, for the ETA only */
	uint64_t total;		/* runs in the sweep */
	uint64_t before;	/* runs already recorded when this invocation started */
	uint64_t done;		/* runs recorded, including @before */
	uint64_t failed;
};

void progress_start(struct progress *p, uint64_t total, uint64_t already_done);
void progress_step(struct progress *p, bool failed);
void progress_end(struct progress *p);

#endif
