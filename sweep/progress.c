/* SPDX-License-Identifier: MIT */
/* The sweep's progress bar (progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

#define BAR_WIDTH 30

static void draw(const struct progress *p)
{
	char bar[BAR_WIDTH + 1];
	uint64_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;
	uint64_t ran = p->done - p->before;
	int64_t elapsed = g_get_monotonic_time() - p->start_us;	/* wall clock: ETA only */

	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = (uint64_t)i < fill ? '#' : '-';
	bar[BAR_WIDTH] = '\0';
	fprintf(stderr, "\r[%s] %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " runs", bar, p->done, p->total);
	if (p->failed)
		fprintf(stderr, ", %" G_GUINT64_FORMAT " failed", p->failed);
	if (ran) {
		int64_t eta = (int64_t)((double)elapsed / (double)ran * (double)(p->total - p->done) / 1e6);

		fprintf(stderr, ", ETA %" G_GINT64_FORMAT ":%02d", eta / 60, (int)(eta % 60));
	}
	fputs("\033[K", stderr);
	fflush(stderr);
}

void progress_start(struct progress *p, uint64_t total, uint64_t already_done)
{
	p->tty = isatty(STDERR_FILENO);
	p->start_us = g_get_monotonic_time();
	p->total = total;
	p->before = p->done = already_done;
	p->failed = 0;
	if (p->tty)
		draw(p);
}

void progress_step(struct progress *p, bool failed)
{
	p->done++;
	p->failed += failed;
	if (p->tty)
		draw(p);
}

void progress_end(struct progress *p)
{
	if (p->tty)
		fputs("\n", stderr);
}
