/* SPDX-License-Identifier: MIT */
/*
 * Seeded random streams (sim/rng.c): reproducibility, stream independence,
 * sim_rng_below()'s range and uniformity, sim_rng_chance_ppb()'s edges.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/sim.h"

typedef struct {
	struct sim *sim;
	struct sim_rng a, b;
} Fixture;

static void fx_setup(Fixture *fx, gconstpointer data)
{
	struct sim_config cfg;

	memset(fx, 0, sizeof(*fx));
	sim_config_init(&cfg);
	cfg.seed = 42;
	fx->sim = sim_new(&cfg);
}

static void fx_teardown(Fixture *fx, gconstpointer data)
{
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
	sim_free(fx->sim);
}

static void test_reproducible(Fixture *fx, gconstpointer data)
{
	/*
	 * Pinned outputs (checked against an independent transcription of
	 * FNV-1a + splitmix64 + xoshiro256**): any change to the generator or
	 * its seeding shows.
	 */
	static const uint64_t want[4] = {
		UINT64_C(0x2497c388cd13a9b4), UINT64_C(0xd912da6fd08fe775),
		UINT64_C(0x8d28eef060d399ed), UINT64_C(0xc8fdbddeeb9775ad),
	};

	g_test_summary("The same (seed, stream) gives the same sequence, on "
		       "every machine: pinned first outputs, and sim_rng_stream() "
		       "derives from the simulation's seed.");
	sim_rng_init(&fx->a, 1, "link a-b");
	sim_rng_init(&fx->b, 1, "link a-b");
	for (int i = 0; i < 4; i++) {
		uint64_t x = sim_rng_u64(&fx->a);

		if (g_test_verbose())
			g_test_message("out[%d] = %#" G_GINT64_MODIFIER "x", i, x);
		g_assert_cmphex(x, ==, want[i]);
		g_assert_cmphex(sim_rng_u64(&fx->b), ==, x);
	}
	for (int i = 0; i < 10000; i++)
		g_assert_cmphex(sim_rng_u64(&fx->a), ==, sim_rng_u64(&fx->b));

	sim_rng_stream(fx->sim, &fx->a, "isn client");
	sim_rng_init(&fx->b, sim_seed(fx->sim), "isn client");
	g_assert_cmpmem(fx->a.s, sizeof(fx->a.s), fx->b.s, sizeof(fx->b.s));
	/* another seed, another sequence */
	sim_rng_init(&fx->b, sim_seed(fx->sim) + 1, "isn client");
	g_assert_cmphex(sim_rng_u64(&fx->a), !=, sim_rng_u64(&fx->b));
	/* NULL names the same stream as "" */
	sim_rng_init(&fx->a, 5, NULL);
	sim_rng_init(&fx->b, 5, "");
	g_assert_cmphex(sim_rng_u64(&fx->a), ==, sim_rng_u64(&fx->b));
}

static void test_streams_independent(Fixture *fx, gconstpointer data)
{
	struct sim_rng alone;
	uint64_t same = 0, bits = 0;

	g_test_summary("Different stream names give unrelated sequences, and "
		       "drawing from one stream never shifts another's draws.");
	sim_rng_stream(fx->sim, &fx->a, "link a-b");
	sim_rng_stream(fx->sim, &fx->b, "link b-a");
	sim_rng_stream(fx->sim, &alone, "link b-a");
	for (int i = 0; i < 100000; i++) {
		uint64_t x = sim_rng_u64(&fx->a), y;

		if (i % 3 == 0)
			(void)sim_rng_u64(&fx->a);	/* extra draws on a */
		y = sim_rng_u64(&fx->b);
		g_assert_cmphex(y, ==, sim_rng_u64(&alone));
		same += x == y;
		bits += (uint64_t)__builtin_popcountll(x ^ y);
	}
	g_assert_cmpuint(same, ==, 0);
	/* x ^ y of unrelated streams has half its bits set: 3.2M +- 0.1% */
	g_assert_cmpuint(bits, >, 3200000 - 12000);
	g_assert_cmpuint(bits, <, 3200000 + 12000);
}

static void test_below(Fixture *fx, gconstpointer data)
{
	static const uint64_t bounds[] = {
		1, 2, 3, 7, 1000, UINT64_C(1) << 32, (UINT64_C(1) << 63) + 1,
		UINT64_MAX - 1, UINT64_MAX,
	};
	uint64_t count[6] = { 0 };
	double chi2 = 0;
	const int n = 600000;

	g_test_summary("sim_rng_below(n) stays in [0, n) for n from 1 to "
		       "UINT64_MAX, reaches both ends, and is uniform (no modulo "
		       "bias).");
	sim_rng_init(&fx->a, 3, "below");
	for (size_t i = 0; i < G_N_ELEMENTS(bounds); i++) {
		uint64_t lo = UINT64_MAX, hi = 0;

		for (int k = 0; k < 20000; k++) {
			uint64_t x = sim_rng_below(&fx->a, bounds[i]);

			g_assert_cmpuint(x, <, bounds[i]);
			lo = MIN(lo, x);
			hi = MAX(hi, x);
		}
		if (bounds[i] <= 1000) {
			g_assert_cmpuint(lo, ==, 0);
			g_assert_cmpuint(hi, ==, bounds[i] - 1);
		} else {
			/* spread over the range */
			g_assert_cmpuint(lo, <, bounds[i] / 1000);
			g_assert_cmpuint(hi, >, bounds[i] - bounds[i] / 1000);
		}
	}
	/* chi-square, 5 degrees of freedom: p = 1e-6 at 35.9 */
	for (int k = 0; k < n; k++)
		count[sim_rng_below(&fx->a, 6)]++;
	for (int v = 0; v < 6; v++)
		chi2 += ((double)count[v] - n / 6.0) * ((double)count[v] - n / 6.0) / (n / 6.0);
	g_assert_cmpfloat(chi2, <, 35.9);
	/*
	 * With n = 2^63 + 1 plain x % n would return values below 2^63 - 1 twice
	 * as often as the others; rejection sampling keeps the halves even.
	 */
	{
		uint64_t big = (UINT64_C(1) << 63) + 1, low = 0;

		for (int k = 0; k < 100000; k++)
			low += sim_rng_below(&fx->a, big) < big / 2;
		g_assert_cmpuint(low, >, 50000 - 1000);
		g_assert_cmpuint(low, <, 50000 + 1000);
	}
	if (g_test_undefined()) {
		g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*n > 0*");
		g_assert_cmpuint(sim_rng_below(&fx->a, 0), ==, 0);
		g_test_assert_expected_messages();
	}
}

static void test_chance_ppb(Fixture *fx, gconstpointer data)
{
	uint64_t hits = 0;

	g_test_summary("sim_rng_chance_ppb(): 0 is never, 1e9 and above always, "
		       "1 and 1e9 - 1 almost never / almost always, 50%% is half.");
	sim_rng_init(&fx->a, 9, "chance");
	for (int k = 0; k < 100000; k++) {
		g_assert_false(sim_rng_chance_ppb(&fx->a, 0));
		g_assert_true(sim_rng_chance_ppb(&fx->a, 1000000000));
		g_assert_true(sim_rng_chance_ppb(&fx->a, 1000000001));
		g_assert_true(sim_rng_chance_ppb(&fx->a, UINT64_MAX));
		hits += sim_rng_chance_ppb(&fx->a, 1);
		hits += !sim_rng_chance_ppb(&fx->a, 999999999);
	}
	g_assert_cmpuint(hits, <=, 2);	/* expectation 2e-4 */
	hits = 0;
	for (int k = 0; k < 100000; k++)
		hits += sim_rng_chance_ppb(&fx->a, 500000000);
	g_assert_cmpuint(hits, >, 50000 - 1000);
	g_assert_cmpuint(hits, <, 50000 + 1000);
	/* the edges consume no draws */
	{
		struct sim_rng copy = fx->a;

		(void)sim_rng_chance_ppb(&fx->a, 0);
		(void)sim_rng_chance_ppb(&fx->a, 1000000000);
		g_assert_cmphex(sim_rng_u64(&fx->a), ==, sim_rng_u64(&copy));
	}
}

static void test_fill_u32(Fixture *fx, gconstpointer data)
{
	uint32_t out[1000] = { 0 };

	g_test_summary("sim_rng_fill_u32() gives the low 32 bits of as many "
		       "sim_rng_u64() draws, and leaves the stream where they would.");
	sim_rng_init(&fx->a, 3, "port client");
	sim_rng_init(&fx->b, 3, "port client");
	sim_rng_fill_u32(&fx->a, out, G_N_ELEMENTS(out));
	for (size_t i = 0; i < G_N_ELEMENTS(out); i++)
		g_assert_cmphex(out[i], ==, (uint32_t)sim_rng_u64(&fx->b));
	g_assert_cmpmem(fx->a.s, sizeof(fx->a.s), fx->b.s, sizeof(fx->b.s));
	sim_rng_fill_u32(&fx->a, out, 0);	/* no draw */
	g_assert_cmpmem(fx->a.s, sizeof(fx->a.s), fx->b.s, sizeof(fx->b.s));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
	ADD("/rng/reproducible", test_reproducible);
	ADD("/rng/streams-independent", test_streams_independent);
	ADD("/rng/below", test_below);
	ADD("/rng/chance-ppb", test_chance_ppb);
	ADD("/rng/fill-u32", test_fill_u32);
	return g_test_run();
}
