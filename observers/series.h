/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the coalescing time series every results sampler uses.
 * A series is a GArray of structs whose first member is `sim_time_t t`;
 * two samples closer than a gap are merged into the last one, and byte
 * counts go into fixed-width buckets counted from a start time.
 */
#ifndef OBSERVERS_SERIES_H
#define OBSERVERS_SERIES_H

#include <glib.h>

#include "sim/time.h"

/* The last sample of @a if @t is less than @gap after it (merge into it), else NULL. */
static inline void *series_mergeable(GArray *a, sim_time_t t, sim_time_t gap)
{
	void *last;

	if (!a->len)
		return NULL;
	last = a->data + (gsize)(a->len - 1) * g_array_get_element_size(a);
	return t - *(const sim_time_t *)last < gap ? last : NULL;
}

/* The uint64_t bucket of @a holding time @now (buckets of @interval from @start). */
static inline uint64_t *series_bucket(GArray *a, sim_time_t start, sim_time_t interval,
				      sim_time_t now)
{
	guint i = (guint)((now - start) / interval);

	if (a->len <= i)
		g_array_set_size(a, i + 1);
	return &g_array_index(a, uint64_t, i);
}

#endif
