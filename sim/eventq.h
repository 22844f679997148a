/* SPDX-License-Identifier: MIT */
/*
 * The pending-event set, ordered by (time, seq) — see include/sim/event.h for
 * the total order.  A ladder queue (see sim/eventq.c): insert, remove-any and
 * pop-min are amortised O(1) for the usual workloads, O(log n) at worst.
 */
#ifndef SIM_EVENTQ_H
#define SIM_EVENTQ_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/event.h"

#define SIM_EVENTQ_MAX_RUNGS 8
#define SIM_EVENTQ_SPARES 64

/* One queued event: its key, copied at insertion, and the event itself. */
struct sim_eventq_ent {
	sim_time_t time;
	uint64_t seq;
	struct sim_event *ev;
};

/* A growable array of entries (a heap, the top list, or a bucket). */
struct sim_eventq_vec {
	struct sim_eventq_ent *e;
	uint32_t len;
	uint32_t cap;
};

/*
 * A rung: nb buckets of width 2^shift ns; bucket i holds the events whose
 * time >> shift == base + i.  Buckets below cur have been consumed.
 */
struct sim_eventq_rung {
	uint64_t base;
	uint32_t nb;
	uint32_t cur;
	uint32_t count;			/* events in this rung's buckets */
	uint32_t nb_alloc;
	unsigned int shift;
	struct sim_eventq_vec *b;
};

struct sim_eventq {
	uint32_t len;			/* pending events in total */
	unsigned int nrungs;
	/* The bottom: a sorted run plus a heap for later arrivals. */
	struct sim_eventq_vec run;	/* descending (time, seq); ev NULL = removed */
	struct sim_eventq_vec side;	/* binary heap by (time, seq) */
	struct sim_eventq_vec fifo;	/* ascending (time, seq) from fifo_head */
	uint32_t fifo_head;
	struct sim_eventq_vec tmp;	/* scratch for sorting */
	struct sim_eventq_vec top;	/* unsorted, beyond rung 0 */
	sim_time_t top_min, top_max;	/* bounds (not tight) of top's times */
	struct sim_eventq_rung rung[SIM_EVENTQ_MAX_RUNGS];
	uint32_t nspare;		/* recycled bucket arrays */
	struct {
		struct sim_eventq_ent *e;
		uint32_t cap;
	} spare[SIM_EVENTQ_SPARES];
};

void sim_eventq_init(struct sim_eventq *q);
/* Frees the queue's memory; the events themselves are not touched. */
void sim_eventq_clear(struct sim_eventq *q);
void sim_eventq_insert(struct sim_eventq *q, struct sim_event *ev);
void sim_eventq_remove(struct sim_eventq *q, struct sim_event *ev);
/* The minimum without removing it (may reorganise the queue internally). */
struct sim_event *sim_eventq_peek(struct sim_eventq *q);
struct sim_event *sim_eventq_pop(struct sim_eventq *q);
/*
 * The sorted run's entry @k places from its end (0: the run's minimum), or
 * NULL (a removed entry, or the run is shorter): what will most likely run
 * next, a hint for prefetching; the side heap may hold an earlier event.
 */
static inline struct sim_event *sim_eventq_run_ahead(const struct sim_eventq *q, uint32_t k)
{
	return q->run.len > k ? q->run.e[q->run.len - 1 - k].ev : NULL;
}
/*
 * Checks every structural invariant (back-indices, routing, heap and run
 * order, counts); returns false and logs a message on the first violation.
 * O(n); for tests.
 */
bool sim_eventq_validate(const struct sim_eventq *q);

/*
 * The refill's sort, exposed for tests: the @n entries of @src, whose times
 * all lie in [@start, @start + 2^@shift), into @dst (not overlapping @src),
 * descending by (time, seq).  Takes whichever of its paths the size and the
 * width select (sim/eventq.c); does not touch the events.
 */
void sim_eventq_sort_desc(const struct sim_eventq_ent *src, uint32_t n,
			  sim_time_t start, unsigned int shift,
			  struct sim_eventq_ent *dst);

static inline uint32_t sim_eventq_len(const struct sim_eventq *q)
{
	return q->len;
}

static inline bool sim_event_before(const struct sim_event *a,
				    const struct sim_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

#endif
