/* SPDX-License-Identifier: MIT */
/*
 * Engine benchmark: the classic hold model.
 *
 * n events are pending.  One hold = pop the earliest event, advance the clock
 * to its time and schedule it again at now + X, where X is drawn from an
 * exponential distribution with mean 1 ms (inverse transform over a 53-bit
 * uniform from sim_rng, rounded down to whole nanoseconds; --uniform draws X
 * uniformly from [0, 2 ms) with sim_rng_below instead).  The pending count
 * stays n, and after a warm-up of 2n holds the time distribution of the
 * pending set is in its steady state.
 *
 * Two contestants run the identical workload in the same process, alternating
 * rounds, and the best round of each is reported:
 *
 *   socksim    the real engine API: sim_event_schedule() for the initial
 *              events, then sim_step(), whose callback re-schedules the event
 *              with sim_event_schedule().
 *   yardstick  a plain binary min-heap of (time, seq, ptr) entries stored
 *              inline in one array, ordered by (time, seq) - the textbook
 *              implementation in tests/unit/yardstick.h (sift-up on push, last entry to
 *              the root and sift-down on pop).  It never dereferences ptr.
 *
 * Both draw their increments from identically seeded streams and assign seq
 * in the same way, so as long as both pop in (time, seq) order they pop the
 * same sequence; a checksum over every popped (time, seq) is compared and the
 * run fails if they differ.
 *
 * Not a test: timings depend on the machine and its load.  Usage:
 *   bench-eventq [--quick] [--uniform] [--rounds N] [N ...]
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "yardstick.h"

#define MEAN_NS		UINT64_C(1000000)

static bool opt_uniform;
static bool opt_verbose;

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static inline uint64_t draw(struct sim_rng *rng)
{
	if (opt_uniform)
		return sim_rng_below(rng, 2 * MEAN_NS);
	/* U in (0, 1]: 53 random bits, never 0, so log() is finite. */
	double u = (double)((sim_rng_u64(rng) >> 11) + 1) * 0x1.0p-53;

	return (uint64_t)(-(double)MEAN_NS * log(u));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline uint64_t mix(uint64_t h, uint64_t t, uint64_t seq)
{
	return (h ^ t ^ (seq << 32 | seq >> 32)) * UINT64_C(0x100000001b3);
}

/* ------------------------------------------------------------------ */
/* Yardstick (yardstick.h), driven like the engine.                    */

struct ys_state {
	struct ys_heap h;
	struct sim_rng rng;
	uint64_t now;
	uint64_t next_seq;
	uint64_t sum;
};

static void ys_setup(struct ys_state *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	sim_rng_init(&s->rng, 42, "hold");
	for (size_t i = 0; i < n; i++)
		ys_push(&s->h, (struct ys_ent){ draw(&s->rng), s->next_seq++, NULL });
}

static void ys_hold(struct ys_state *s, uint64_t holds)
{
	for (uint64_t i = 0; i < holds; i++) {
		struct ys_ent e = ys_pop(&s->h);

		s->sum = mix(s->sum, e.time, e.seq);
		s->now = e.time;
		e.time = s->now + draw(&s->rng);
		e.seq = s->next_seq++;
		ys_push(&s->h, e);
	}
}

/* ------------------------------------------------------------------ */
/* socksim: the engine API.                                           */

struct ss_state {
	struct sim *sim;
	struct sim_event *evs;
	size_t n;
	struct sim_rng rng;
	uint64_t sum;
};

static struct ss_state *ss_cur;	/* the callback's context */

static void ss_fire(struct sim *sim, struct sim_event *ev)
{
	struct ss_state *s = ss_cur;

	s->sum = mix(s->sum, ev->time, ev->seq);
	sim_event_schedule(sim, ev, sim_now(sim) + draw(&s->rng));
}

static void ss_setup(struct ss_state *s, size_t n)
{
	struct sim_config cfg;

	memset(s, 0, sizeof(*s));
	sim_config_init(&cfg);
	s->sim = sim_new(&cfg);
	s->evs = g_new(struct sim_event, n);
	s->n = n;
	sim_rng_init(&s->rng, 42, "hold");
	for (size_t i = 0; i < n; i++) {
		sim_event_init(&s->evs[i], ss_fire, "hold");
		sim_event_schedule(s->sim, &s->evs[i], draw(&s->rng));
	}
}

static void ss_hold(struct ss_state *s, uint64_t holds)
{
	ss_cur = s;
	for (uint64_t i = 0; i < holds; i++)
		sim_step(s->sim);
}

static void ss_teardown(struct ss_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		sim_event_cancel(s->sim, &s->evs[i]);
	sim_free(s->sim);
	g_free(s->evs);
}

/* ------------------------------------------------------------------ */

struct target {
	size_t n;
	double ratio;
};

static const struct target targets[] = {
	{ 1000, 1.5 },
	{ 1000000, 2.5 },
};

static double target_for(size_t n)
{
	for (size_t i = 0; i < G_N_ELEMENTS(targets); i++)
		if (targets[i].n == n)
			return targets[i].ratio;
	return 0;
}

int main(int argc, char **argv)
{
	size_t sizes[16] = { 1000, 100000, 1000000 };
	size_t nsizes = 3, user_sizes = 0;
	bool quick = false;
	int rounds = 3;
	int fails = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--verbose"))
			opt_verbose = true;
		else if (!strcmp(argv[i], "--uniform"))
			opt_uniform = true;
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (argv[i][0] != '-' && user_sizes < G_N_ELEMENTS(sizes))
			sizes[user_sizes++] = strtoull(argv[i], NULL, 10);
		else {
			fprintf(stderr, "usage: %s [--quick] [--uniform] [--verbose] [--rounds N] [N ...]\n", argv[0]);
			return 2;
		}
	}
	if (user_sizes)
		nsizes = user_sizes;
	if (rounds < 1)
		rounds = 1;

	printf("hold model, increments %s, mean 1 ms; best of %d alternating rounds\n",
	       opt_uniform ? "uniform [0, 2 ms)" : "exponential", rounds);
	printf("%10s %15s %15s %7s %7s %s\n", "pending", "socksim ev/s",
	       "yardstick ev/s", "ratio", "target", "result");
	for (size_t si = 0; si < nsizes; si++) {
		size_t n = sizes[si];
		uint64_t warm = 2 * (uint64_t)n;
		uint64_t holds = quick ? MAX(200000, (uint64_t)n / 2) :
					 MAX(2000000, 2 * (uint64_t)n);
		double best_ss = 0, best_ys = 0, tgt = target_for(n), ratio;
		struct ys_state ys;
		struct ss_state ss;

		for (int r = 0; r < rounds; r++) {
			double t0, t1;
			long f0;

			/* yardstick */
			ys_setup(&ys, n);
			ys_hold(&ys, warm);
			f0 = minflt();
			t0 = now_s();
			ys_hold(&ys, holds);
			t1 = now_s();
			if (opt_verbose)
				fprintf(stderr, "n=%zu yardstick %.0f ev/s, %ld page faults\n", n,
					(double)holds / (t1 - t0), minflt() - f0);
			best_ys = MAX(best_ys, (double)holds / (t1 - t0));
			ys_free(&ys.h);

			/* socksim */
			ss_setup(&ss, n);
			ss_hold(&ss, warm);
			f0 = minflt();
			t0 = now_s();
			ss_hold(&ss, holds);
			t1 = now_s();
			if (opt_verbose)
				fprintf(stderr, "n=%zu socksim %.0f ev/s, %ld page faults\n", n,
					(double)holds / (t1 - t0), minflt() - f0);
			best_ss = MAX(best_ss, (double)holds / (t1 - t0));
			if (ss.sum != ys.sum || sim_now(ss.sim) != ys.now) {
				fprintf(stderr, "n=%zu: socksim and yardstick popped different sequences\n", n);
				return 1;
			}
			ss_teardown(&ss);
		}
		ratio = best_ss / best_ys;
		printf("%10zu %15.0f %15.0f %6.2fx ", n, best_ss, best_ys, ratio);
		if (tgt > 0) {
			printf("%6.1fx %s\n", tgt, ratio >= tgt ? "PASS" : "MISS");
			fails += ratio < tgt;
		} else {
			printf("%7s %s\n", "-", "-");
		}
		fflush(stdout);
	}
	return fails ? 1 : 0;
}
