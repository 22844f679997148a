/* SPDX-License-Identifier: MIT */
/*
 * The event queue (sim/eventq.c) against the yardstick heap of
 * tests/unit/yardstick.h: randomised inserts, removals, re-arms, peeks and pops
 * under several time distributions must give the same pop sequence, and the
 * queue's own invariants (sim_eventq_validate) must hold throughout.  The
 * reference removes lazily: an entry whose event was removed or re-armed
 * since is skipped when it reaches the root.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "eventq.h"
#include "sim/rng.h"
#include "sim/sim.h"
#include "yardstick.h"

#define NOT_QUEUED UINT64_MAX

struct tev {
	struct sim_event ev;
	uint32_t id;
	uint32_t qpos;		/* index in fx->queued while queued */
	uint64_t qseq;		/* seq of its live reference entry, or NOT_QUEUED */
};

typedef struct {
	struct sim_eventq q;
	struct ys_heap ref;
	struct tev *evs;
	uint32_t nevs;
	struct tev **queued;
	uint32_t nqueued;
	uint64_t next_seq;
	sim_time_t now;			/* time of the last pop */
	struct sim_rng rng;
	uint64_t pops;
} Fixture;

typedef sim_time_t (*gen_fn)(Fixture *fx);

static void fx_setup(Fixture *fx, gconstpointer data)
{
	memset(fx, 0, sizeof(*fx));
	sim_eventq_init(&fx->q);
	sim_rng_init(&fx->rng, 20240601, "test-eventq");
}

static void fx_teardown(Fixture *fx, gconstpointer data)
{
	/* No event may be left behind, in the queue or the reference. */
	g_assert_cmpuint(sim_eventq_len(&fx->q), ==, 0);
	g_assert_null(sim_eventq_pop(&fx->q));
	g_assert_cmpuint(fx->nqueued, ==, 0);
	g_assert_true(sim_eventq_validate(&fx->q));
	sim_eventq_clear(&fx->q);
	ys_free(&fx->ref);
	g_free(fx->evs);
	g_free(fx->queued);
}

static void fx_pool(Fixture *fx, uint32_t n)
{
	fx->evs = g_new0(struct tev, n);
	fx->queued = g_new0(struct tev *, n);
	fx->nevs = n;
	for (uint32_t i = 0; i < n; i++) {
		sim_event_init(&fx->evs[i].ev, NULL, "t");
		fx->evs[i].id = i;
		fx->evs[i].qseq = NOT_QUEUED;
	}
}

static uint64_t below(Fixture *fx, uint64_t n)
{
	return sim_rng_below(&fx->rng, n);
}

static void unlist(Fixture *fx, struct tev *t)
{
	struct tev *last = fx->queued[--fx->nqueued];

	fx->queued[t->qpos] = last;
	last->qpos = t->qpos;
	t->qseq = NOT_QUEUED;
}

static void q_insert(Fixture *fx, struct tev *t, sim_time_t time)
{
	g_assert_cmpuint(t->qseq, ==, NOT_QUEUED);
	t->ev.time = time;
	t->ev.seq = fx->next_seq++;
	t->qseq = t->ev.seq;
	t->qpos = fx->nqueued;
	fx->queued[fx->nqueued++] = t;
	sim_eventq_insert(&fx->q, &t->ev);
	ys_push(&fx->ref, (struct ys_ent){ time, t->ev.seq, t });
}

static void q_remove(Fixture *fx, struct tev *t)
{
	g_assert_cmpuint(t->qseq, !=, NOT_QUEUED);
	sim_eventq_remove(&fx->q, &t->ev);
	unlist(fx, t);
}

/* The reference's live minimum (stale entries dropped), or NULL. */
static const struct ys_ent *ref_min(Fixture *fx)
{
	while (fx->ref.len) {
		const struct ys_ent *e = &fx->ref.a[0];
		const struct tev *t = e->ptr;

		if (t->qseq == e->seq)
			return e;
		ys_pop(&fx->ref);
	}
	return NULL;
}

static void q_peek_check(Fixture *fx)
{
	const struct ys_ent *want = ref_min(fx);
	struct sim_event *got = sim_eventq_peek(&fx->q);

	if (!want) {
		g_assert_null(got);
		return;
	}
	g_assert_nonnull(got);
	g_assert_cmpuint(container_of(got, struct tev, ev)->id, ==,
			 ((const struct tev *)want->ptr)->id);
}

static void q_pop_check(Fixture *fx)
{
	const struct ys_ent *want = ref_min(fx);
	struct sim_event *got = sim_eventq_pop(&fx->q);
	struct tev *t;

	if (!want) {
		g_assert_null(got);
		return;
	}
	g_assert_nonnull(got);
	t = container_of(got, struct tev, ev);
	g_assert_cmpuint(t->id, ==, ((const struct tev *)want->ptr)->id);
	g_assert_cmpuint(got->time, ==, want->time);
	g_assert_cmpuint(got->seq, ==, want->seq);
	ys_pop(&fx->ref);
	unlist(fx, t);
	fx->now = got->time;
	fx->pops++;
}

static struct tev *random_idle(Fixture *fx)
{
	g_assert_cmpuint(fx->nqueued, <, fx->nevs);
	for (;;) {
		struct tev *t = &fx->evs[below(fx, fx->nevs)];

		if (t->qseq == NOT_QUEUED)
			return t;
	}
}

static struct tev *random_queued(Fixture *fx)
{
	return fx->queued[below(fx, fx->nqueued)];
}

static void check(Fixture *fx, uint64_t op, uint64_t every)
{
	if (op % every == 0)
		g_assert_true(sim_eventq_validate(&fx->q));
	g_assert_cmpuint(sim_eventq_len(&fx->q), ==, fx->nqueued);
}

/* ---- time distributions (relative to the last popped time) ---------- */

static sim_time_t gen_uniform(Fixture *fx)
{
	return fx->now + below(fx, 2000000);
}

static sim_time_t gen_ties(Fixture *fx)
{
	return fx->now + below(fx, 3);
}

static sim_time_t gen_wide(Fixture *fx)
{
	if (below(fx, 2))
		return fx->now + below(fx, 1000);
	return sim_time_add(fx->now, (UINT64_C(1) << below(fx, 64)) + below(fx, 1000));
}

static sim_time_t gen_max(Fixture *fx)
{
	switch (below(fx, 4)) {
	case 0:
	case 1:
		return SIM_TIME_MAX;
	case 2:
		return SIM_TIME_MAX - below(fx, 5);
	default:
		return sim_time_add(fx->now, below(fx, 100));
	}
}

/* Not monotone: times below the last popped one, as sim_eventq allows. */
static sim_time_t gen_any(Fixture *fx)
{
	return below(fx, 1u << 20);
}

static sim_time_t gen_bursts(Fixture *fx)
{
	return fx->now + below(fx, 4) * UINT64_C(1000000000) +
	       (below(fx, 10) == 0 ? below(fx, 1000) : 0);
}

/* Every event later than all others: the top takes nearly everything. */
static sim_time_t gen_growing(Fixture *fx)
{
	return fx->now + 1000000 + below(fx, 1000) + fx->next_seq;
}

/* Mostly near, with a far-away minority: deep ladders. */
static sim_time_t gen_near_far(Fixture *fx)
{
	uint64_t r = below(fx, 100);

	if (r < 2)
		return SIM_TIME_MAX - below(fx, 2);
	if (r < 5)
		return fx->now + (UINT64_C(1) << 62);
	return fx->now + below(fx, 50);
}

struct workload {
	const char *name;
	gen_fn gen;
	uint32_t pool;
	uint64_t ops;
};

static const struct workload workloads[] = {
	{ "uniform/small", gen_uniform, 64, 20000 },
	{ "uniform/medium", gen_uniform, 3000, 60000 },
	{ "uniform/large", gen_uniform, 60000, 300000 },
	{ "ties/small", gen_ties, 64, 20000 },
	{ "ties/large", gen_ties, 20000, 120000 },
	{ "wide/medium", gen_wide, 3000, 60000 },
	{ "wide/large", gen_wide, 30000, 200000 },
	{ "time-max/medium", gen_max, 3000, 60000 },
	{ "any-order/small", gen_any, 64, 20000 },
	{ "any-order/large", gen_any, 20000, 120000 },
	{ "bursts/large", gen_bursts, 20000, 120000 },
	{ "growing/medium", gen_growing, 5000, 60000 },
	{ "near-far/large", gen_near_far, 30000, 200000 },
};

/*
 * Three phases: fill to about half the pool, a mixed steady state, drain.
 * Every pop and peek is checked against the reference.
 */
static void test_random(Fixture *fx, gconstpointer data)
{
	const struct workload *w = data;
	uint64_t every = w->pool <= 256 ? 1 : w->pool / 4;
	uint64_t op = 0;

	g_test_summary("Random inserts, removes, re-arms, peeks and pops pop in "
		       "exactly the yardstick heap's (time, seq) order.");
	fx_pool(fx, w->pool);
	while (fx->nqueued < w->pool / 2) {
		uint64_t r = below(fx, 100);

		if (r < 80)
			q_insert(fx, random_idle(fx), w->gen(fx));
		else if (r < 90 && fx->nqueued)
			q_remove(fx, random_queued(fx));
		else
			q_pop_check(fx);
		check(fx, op++, every);
	}
	for (uint64_t i = 0; i < w->ops; i++) {
		uint64_t r = below(fx, 100);

		if (r < 40) {
			q_pop_check(fx);
		} else if (r < 75) {
			if (fx->nqueued < fx->nevs)
				q_insert(fx, random_idle(fx), w->gen(fx));
		} else if (r < 85) {
			if (fx->nqueued)
				q_remove(fx, random_queued(fx));
		} else if (r < 95) {
			if (fx->nqueued) {	/* re-arm: fresh seq */
				struct tev *t = random_queued(fx);

				q_remove(fx, t);
				q_insert(fx, t, w->gen(fx));
			}
		} else {
			q_peek_check(fx);
		}
		check(fx, op++, every);
	}
	while (fx->nqueued) {
		uint64_t r = below(fx, 100);

		if (r < 85)
			q_pop_check(fx);
		else if (r < 92)
			q_remove(fx, random_queued(fx));
		else
			q_insert(fx, random_idle(fx), w->gen(fx));
		check(fx, op++, every);
	}
	q_pop_check(fx);
	g_assert_true(sim_eventq_validate(&fx->q));
	g_assert_cmpuint(fx->pops, >, 0);
}

/* ---- directed cases ---------------------------------------------------- */

static void test_ties_fifo(Fixture *fx, gconstpointer data)
{
	g_test_summary("Equal times pop in insertion (seq) order, whichever "
		       "event is inserted first.");
	fx_pool(fx, 8);
	/* A then B */
	q_insert(fx, &fx->evs[0], 100);
	q_insert(fx, &fx->evs[1], 100);
	q_pop_check(fx);
	g_assert_cmpuint(fx->evs[0].ev.seq, <, fx->evs[1].ev.seq);
	q_pop_check(fx);
	/* B then A */
	q_insert(fx, &fx->evs[1], 200);
	q_insert(fx, &fx->evs[0], 200);
	g_assert_true(sim_eventq_peek(&fx->q) == &fx->evs[1].ev);
	q_pop_check(fx);
	q_pop_check(fx);
	/* the same at SIM_TIME_MAX and at 0 */
	q_insert(fx, &fx->evs[2], SIM_TIME_MAX);
	q_insert(fx, &fx->evs[3], SIM_TIME_MAX);
	q_insert(fx, &fx->evs[4], 0);
	q_insert(fx, &fx->evs[5], 0);
	for (int i = 2; i <= 5; i++) {
		struct sim_event *ev = sim_eventq_peek(&fx->q);

		g_assert_cmpuint(container_of(ev, struct tev, ev)->id, ==,
				 (unsigned)(i < 4 ? i + 2 : i - 2));
		q_pop_check(fx);
	}
}

static void test_remove_arbitrary(Fixture *fx, gconstpointer data)
{
	uint32_t n = 5000;

	g_test_summary("Removing arbitrary events, wherever the queue holds "
		       "them, leaves the others in order.");
	fx_pool(fx, n + 400);
	for (uint32_t i = 0; i < n; i++)
		q_insert(fx, &fx->evs[i], below(fx, 1000000));
	/* The first pop builds the ladder; then events sit in every container. */
	q_pop_check(fx);
	for (uint32_t i = 0; i < 200; i++)	/* into the bottom's range */
		q_insert(fx, random_idle(fx), fx->now + below(fx, 3));
	for (uint32_t i = 0; i < 200; i++)	/* beyond rung 0: top */
		q_insert(fx, random_idle(fx), 5000000 + below(fx, 1000));
	g_assert_true(sim_eventq_validate(&fx->q));
	while (fx->nqueued > n / 2) {
		q_remove(fx, random_queued(fx));
		if (fx->nqueued % 97 == 0)
			g_assert_true(sim_eventq_validate(&fx->q));
	}
	/* Remove the current minimum, then the maximum. */
	q_remove(fx, container_of(sim_eventq_peek(&fx->q), struct tev, ev));
	g_assert_true(sim_eventq_validate(&fx->q));
	while (fx->nqueued)
		q_pop_check(fx);
}

static void test_empty_reuse(Fixture *fx, gconstpointer data)
{
	g_test_summary("An empty queue peeks and pops NULL, and is reusable "
		       "after draining and after sim_eventq_clear().");
	fx_pool(fx, 1000);
	g_assert_null(sim_eventq_peek(&fx->q));
	g_assert_null(sim_eventq_pop(&fx->q));
	for (int round = 0; round < 3; round++) {
		for (uint32_t i = 0; i < 1000; i++)
			q_insert(fx, &fx->evs[i], SIM_TIME_MAX / 3 * (uint64_t)round + below(fx, 100000));
		while (fx->nqueued)
			q_pop_check(fx);
		g_assert_true(sim_eventq_validate(&fx->q));
		g_assert_null(sim_eventq_peek(&fx->q));
	}
	/* clear() with events queued forgets them without touching them */
	for (uint32_t i = 0; i < 600; i++)
		q_insert(fx, &fx->evs[i], i);
	q_pop_check(fx);
	sim_eventq_clear(&fx->q);
	g_assert_cmpuint(sim_eventq_len(&fx->q), ==, 0);
	while (fx->nqueued)
		unlist(fx, fx->queued[0]);
	ys_free(&fx->ref);
	fx->now = 0;
	for (uint32_t i = 0; i < 10; i++)
		q_insert(fx, &fx->evs[i], 10 - i);
	while (fx->nqueued)
		q_pop_check(fx);
}

static void test_time_max(Fixture *fx, gconstpointer data)
{
	g_test_summary("Events at SIM_TIME_MAX, at 0 and across the whole "
		       "64-bit range keep (time, seq) order.");
	fx_pool(fx, 4000);
	for (uint32_t i = 0; i < 1000; i++)
		q_insert(fx, random_idle(fx), SIM_TIME_MAX);
	for (uint32_t i = 0; i < 1000; i++)
		q_insert(fx, random_idle(fx), i % 3 ? SIM_TIME_MAX - below(fx, 3) : below(fx, 3));
	for (uint32_t i = 0; i < 1000; i++)
		q_insert(fx, random_idle(fx), below(fx, UINT64_MAX));
	for (int i = 0; i < 64; i++)
		q_insert(fx, random_idle(fx), UINT64_C(1) << i);
	g_assert_true(sim_eventq_validate(&fx->q));
	/* pop some, insert more at SIM_TIME_MAX while draining */
	while (fx->nqueued) {
		q_pop_check(fx);
		if (fx->pops % 7 == 0 && fx->nqueued < fx->nevs)
			q_insert(fx, random_idle(fx), SIM_TIME_MAX);
		if (fx->pops % 501 == 0)
			g_assert_true(sim_eventq_validate(&fx->q));
	}
}

static void test_deep_ladder(Fixture *fx, gconstpointer data)
{
	g_test_summary("A thousand events at one instant next to one at "
		       "SIM_TIME_MAX exhaust the ladder's depth and stay in order.");
	fx_pool(fx, 2000);
	q_insert(fx, random_idle(fx), SIM_TIME_MAX);
	for (uint32_t i = 0; i < 1000; i++)
		q_insert(fx, random_idle(fx), 12345 + (i % 50 == 0));
	q_pop_check(fx);
	g_assert_cmpuint(fx->q.nrungs, ==, SIM_EVENTQ_MAX_RUNGS);
	g_assert_true(sim_eventq_validate(&fx->q));
	for (uint32_t i = 0; i < 500; i++) {
		q_insert(fx, random_idle(fx), fx->now + below(fx, 2));
		q_remove(fx, random_queued(fx));
		q_pop_check(fx);
	}
	g_assert_true(sim_eventq_validate(&fx->q));
	while (fx->nqueued)
		q_pop_check(fx);
}

static void test_wide_bottom(Fixture *fx, gconstpointer data)
{
	unsigned int rungs0, rungs_max = 0;
	struct tev *far;

	g_test_summary("Events arriving in a bottom bucket far wider than their "
		       "spread are moved from the side heap to a finer rung "
		       "(bottom_spread) and still pop in order.");
	fx_pool(fx, 4000);
	q_insert(fx, random_idle(fx), 0);
	far = random_idle(fx);
	q_insert(fx, far, UINT64_C(1) << 40);	/* kept: the ladder stays */
	q_pop_check(fx);	/* the bottom is now rung 0's bucket [0, 2^40) */
	rungs0 = fx->q.nrungs;
	for (uint32_t i = 0; i < 3000; i++) {
		q_insert(fx, random_idle(fx), fx->now + below(fx, 5000000));
		if (i % 3 == 0)
			q_pop_check(fx);
		if (i % 7 == 0) {
			struct tev *t = random_queued(fx);

			if (t != far)
				q_remove(fx, t);
		}
		rungs_max = MAX(rungs_max, fx->q.nrungs);
		g_assert_true(sim_eventq_validate(&fx->q));
	}
	g_assert_cmpuint(rungs_max, >, rungs0);
	while (fx->nqueued)
		q_pop_check(fx);
}

static void test_fifo(Fixture *fx, gconstpointer data)
{
	uint32_t max_live = 0;
	uint64_t appended0;

	g_test_summary("Events arriving in the bottom in key order go through "
		       "its FIFO, mixed with out-of-order arrivals (the side heap), "
		       "removals at its head, middle and tail, and a FIFO that "
		       "never empties (compaction), in exact (time, seq) order.");
	fx_pool(fx, 3000);
	q_insert(fx, random_idle(fx), 0);
	q_insert(fx, random_idle(fx), UINT64_C(1) << 40);	/* kept: the ladder stays */
	q_pop_check(fx);	/* the bottom is now rung 0's bucket [0, 2^40) */
	appended0 = fx->next_seq;
	for (uint32_t i = 0; i < 60000; i++) {
		uint64_t r = below(fx, 100);

		if (r < 45) {
			/* at now or a fixed delay after: in key order */
			q_insert(fx, random_idle(fx), fx->now + (r < 20 ? 0 : 1000));
		} else if (r < 50) {
			q_insert(fx, random_idle(fx), fx->now + below(fx, 1000));
		} else if (r < 90) {
			if (fx->nqueued > 1)
				q_pop_check(fx);
		} else if (fx->nqueued > 1) {
			struct tev *t = random_queued(fx);

			if (t->ev.time != UINT64_C(1) << 40)
				q_remove(fx, t);
		}
		if (fx->nqueued >= fx->nevs - 1)
			q_pop_check(fx);
		max_live = MAX(max_live, fx->nqueued);
		if (i % 97 == 0)
			g_assert_true(sim_eventq_validate(&fx->q));
	}
	/* far more went through the FIFO than it has room for */
	g_assert_cmpuint(fx->next_seq - appended0, >, 16 * (uint64_t)fx->q.fifo.cap);
	g_assert_cmpuint(fx->q.fifo.cap, <=, 4 * max_live + 128);
	while (fx->nqueued)
		q_pop_check(fx);
}

/* ---- the refill's sort ------------------------------------------------- */

static int ent_cmp_desc(const void *pa, const void *pb)
{
	const struct sim_eventq_ent *a = pa, *b = pb;

	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq > b->seq ? -1 : 1;
	return 0;
}

/*
 * One bucket of @n entries in [start, start + 2^shift) with @distinct
 * different times at most (0: any), seqs in an order unrelated to the
 * entries' positions, through sim_eventq_sort_desc() against qsort.
 */
static void sort_case(Fixture *fx, uint32_t n, unsigned int shift, uint32_t distinct)
{
	g_autofree struct sim_eventq_ent *src = g_new(struct sim_eventq_ent, n);
	g_autofree struct sim_eventq_ent *want = g_new(struct sim_eventq_ent, n);
	g_autofree struct sim_eventq_ent *got = g_new(struct sim_eventq_ent, n + 1);
	g_autofree sim_time_t *times = g_new(sim_time_t, MAX(distinct, 1));
	uint64_t span_mask = (UINT64_C(1) << shift) - 1;
	sim_time_t start = sim_rng_u64(&fx->rng) & ~span_mask;

	/* the span's first and last instants, then random ones */
	for (uint32_t i = 0; i < distinct; i++)
		times[i] = start + (i == 0 ? 0 : i == 1 ? span_mask :
				    sim_rng_u64(&fx->rng) & span_mask);
	for (uint32_t i = 0; i < n; i++) {
		/* seqs: a random permutation of 7i + 3 */
		uint32_t j = (uint32_t)below(fx, i + 1);

		src[i] = src[j];
		src[j] = (struct sim_eventq_ent){
			.time = distinct ? times[below(fx, distinct)] :
					   start + (sim_rng_u64(&fx->rng) & span_mask),
			.seq = 7 * (uint64_t)i + 3,
			.ev = &fx->evs[i].ev,
		};
	}
	memcpy(want, src, n * sizeof(*src));
	qsort(want, n, sizeof(*want), ent_cmp_desc);
	got[n] = (struct sim_eventq_ent){ 0 };
	sim_eventq_sort_desc(src, n, start, shift, got);
	for (uint32_t i = 0; i < n; i++) {
		if (got[i].time != want[i].time || got[i].seq != want[i].seq ||
		    got[i].ev != want[i].ev)
			g_error("sort n=%u shift=%u distinct=%u: entry %u is (%" G_GUINT64_FORMAT
				", %" G_GUINT64_FORMAT "), want (%" G_GUINT64_FORMAT ", %"
				G_GUINT64_FORMAT ")", n, shift, distinct, i, got[i].time,
				got[i].seq, want[i].time, want[i].seq);
	}
	g_assert_null(got[n].ev);	/* nothing written past the end */
}

static void test_sort(Fixture *fx, gconstpointer data)
{
	/* around every size threshold: the 4-key networks, the rank sort's 32
	 * and the key merge's 256, the insertion sort's 32 in msort_desc */
	static const uint32_t sizes[] = {
		1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 34, 47, 63, 64,
		65, 100, 127, 128, 129, 200, 255, 256, 257, 300, 1000,
	};
	/* around every width threshold: 2^26 for 32-bit keys, 2^56 for 64-bit */
	static const unsigned int shifts[] = { 0, 1, 5, 14, 25, 26, 27, 40, 55, 56, 57, 63 };

	g_test_summary("The refill's sort (rank, key merge and entry merge paths) "
		       "orders buckets by (time, seq) exactly as qsort does, with "
		       "equal times in seq order whatever their bucket order.");
	fx_pool(fx, 1000);
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		for (size_t j = 0; j < G_N_ELEMENTS(shifts); j++) {
			sort_case(fx, sizes[i], shifts[j], 0);	/* mostly distinct */
			sort_case(fx, sizes[i], shifts[j], 1);	/* all equal */
			sort_case(fx, sizes[i], shifts[j], 2);
			sort_case(fx, sizes[i], shifts[j], 1 + sizes[i] / 3);
		}
	}
	/* random sizes and widths, three times each repeated */
	for (uint32_t rep = 0; rep < 200; rep++)
		sort_case(fx, 1 + (uint32_t)below(fx, 300), (unsigned int)below(fx, 64), 3);
}

/* ---- through the engine API -------------------------------------------- */

struct api_ctx {
	struct sim *sim;
	struct ys_heap ref;
	struct tev *evs;
	uint32_t n;
	struct sim_rng rng;
	uint64_t next_seq;		/* mirrors the engine's seq counter */
	uint64_t fired;
};

static void api_schedule(struct api_ctx *c, struct tev *t, sim_time_t at)
{
	bool was = sim_event_pending(&t->ev);

	g_assert_true(sim_event_schedule(c->sim, &t->ev, at) == was);
	g_assert_cmpuint(t->ev.seq, ==, c->next_seq);
	t->qseq = c->next_seq++;
	ys_push(&c->ref, (struct ys_ent){ at, t->qseq, t });
}

static struct api_ctx *api_cur;	/* the running test's context */

static void api_fire(struct sim *sim, struct sim_event *ev)
{
	struct api_ctx *c = api_cur;
	struct tev *t = container_of(ev, struct tev, ev);
	struct ys_ent want;

	do
		want = ys_pop(&c->ref);
	while (((struct tev *)want.ptr)->qseq != want.seq);
	g_assert_true(want.ptr == t);
	g_assert_cmpuint(want.time, ==, sim_now(sim));
	t->qseq = NOT_QUEUED;
	c->fired++;
	/* Re-schedule itself and poke a few others. */
	if (sim_rng_below(&c->rng, 4))
		api_schedule(c, t, sim_now(sim) + sim_rng_below(&c->rng, 1000));
	for (int i = 0; i < 2; i++) {
		struct tev *o = &c->evs[sim_rng_below(&c->rng, c->n)];
		uint64_t r = sim_rng_below(&c->rng, 10);

		if (r < 4) {
			api_schedule(c, o, sim_now(sim) + sim_rng_below(&c->rng, 3));
		} else if (r < 6) {
			bool was = sim_event_pending(&o->ev);

			g_assert_true(sim_event_cancel(sim, &o->ev) == was);
			o->qseq = NOT_QUEUED;
		}
	}
}

static void test_api(Fixture *fx, gconstpointer data)
{
	struct api_ctx c = { 0 };
	struct sim_config cfg;

	g_test_summary("sim_event_schedule/cancel/sim_step run events in the "
		       "yardstick's (time, seq) order, with a fresh seq per "
		       "re-schedule.");
	sim_config_init(&cfg);
	c.sim = sim_new(&cfg);
	c.n = 3000;
	c.evs = g_new0(struct tev, c.n);
	sim_rng_init(&c.rng, 7, "api");
	api_cur = &c;
	for (uint32_t i = 0; i < c.n; i++) {
		sim_event_init(&c.evs[i].ev, api_fire, "api");
		c.evs[i].id = i;
		c.evs[i].qseq = NOT_QUEUED;
		api_schedule(&c, &c.evs[i], sim_rng_below(&c.rng, 100000));
	}
	while (c.fired < 200000 && sim_step(c.sim))
		;
	for (uint32_t i = 0; i < c.n; i++)
		sim_event_cancel(c.sim, &c.evs[i].ev);
	g_assert_cmpuint(sim_events_pending(c.sim), ==, 0);
	g_assert_cmpuint(c.fired, >=, 200000);
	sim_free(c.sim);
	ys_free(&c.ref);
	g_free(c.evs);
	api_cur = NULL;
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn, data) \
	g_test_add(path, Fixture, data, fx_setup, fn, fx_teardown)
	ADD("/eventq/ties-fifo", test_ties_fifo, NULL);
	ADD("/eventq/remove-arbitrary", test_remove_arbitrary, NULL);
	ADD("/eventq/empty-reuse", test_empty_reuse, NULL);
	ADD("/eventq/time-max", test_time_max, NULL);
	ADD("/eventq/deep-ladder", test_deep_ladder, NULL);
	ADD("/eventq/wide-bottom", test_wide_bottom, NULL);
	ADD("/eventq/engine-api", test_api, NULL);
	ADD("/eventq/sort", test_sort, NULL);
	ADD("/eventq/fifo", test_fifo, NULL);
	for (size_t i = 0; i < G_N_ELEMENTS(workloads); i++) {
		g_autofree char *path = g_strdup_printf("/eventq/random/%s", workloads[i].name);

		ADD(path, test_random, &workloads[i]);
	}
	return g_test_run();
}
