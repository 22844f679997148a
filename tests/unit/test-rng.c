/* SPDX-License-Identifier: MIT */
/*
 * Seeded random streams (sim/rng.c): reproducibility, stream independence,
 * sim_rng_below()'s range and uniformity, sim_rng_chance_ppb()'s edges,
 * jump-ahead (sim_rng_jump(), sim_rng_advance()) against stepping, and the
 * lazily drawn sim_rng_table against sim_rng_fill_u32().
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

/* @rng after @n sim_rng_u64() draws, one by one */
static struct sim_rng stepped(struct sim_rng rng, uint64_t n)
{
	while (n--)
		(void)sim_rng_u64(&rng);
	return rng;
}

static void test_jump(Fixture *fx, gconstpointer data)
{
	static const uint64_t advance[] = {
		0, 1, 255, 256, 257, 511, 65535, 65536, 65537, 65536 + 256 * 7 + 3,
		3 * 65536 + 65535,
	};
	struct sim_rng walk;

	g_test_summary("sim_rng_jump() with sim_rng_jump_block[b] equals 256 b "
		       "steps for every b (0, 1 and 255 included), with "
		       "sim_rng_jump_65536 equals 65536 steps, and sim_rng_advance(n) "
		       "equals n steps, from several states.");
	sim_rng_init(&fx->a, 11, "port server");
	walk = fx->a;
	for (unsigned int b = 0; b < 256; b++) {
		struct sim_rng j = fx->a;

		sim_rng_jump(&j, sim_rng_jump_block[b]);
		g_assert_cmpmem(j.s, sizeof(j.s), walk.s, sizeof(walk.s));
		walk = stepped(walk, SIM_RNG_JUMP_BLOCK);
	}
	/* walk is 65536 steps on */
	fx->b = fx->a;
	sim_rng_jump(&fx->b, sim_rng_jump_65536);
	g_assert_cmpmem(fx->b.s, sizeof(fx->b.s), walk.s, sizeof(walk.s));
	/* a jump starts from the state it is given, not from a fixed one */
	g_assert_cmphex(fx->b.s[0], !=, fx->a.s[0]);
	for (int seed = 0; seed < 3; seed++) {
		sim_rng_init(&fx->a, (uint64_t)seed, "advance");
		for (size_t i = 0; i < G_N_ELEMENTS(advance); i++) {
			struct sim_rng want = stepped(fx->a, advance[i]);

			fx->b = fx->a;
			sim_rng_advance(&fx->b, advance[i]);
			g_assert_cmpmem(fx->b.s, sizeof(fx->b.s), want.s, sizeof(want.s));
		}
	}
}

static void test_fill_u32_at(Fixture *fx, gconstpointer data)
{
	static const uint64_t first[] = { 0, 1, 300, 65536 * 2 + 17 };
	uint32_t out[300], want[300];

	g_test_summary("sim_rng_fill_u32_at(start, first, ...) gives the draws "
		       "sim_rng_fill_u32() gives after @first draws, and leaves "
		       "@start as it was.");
	sim_rng_init(&fx->a, 4, "fill at");
	for (size_t i = 0; i < G_N_ELEMENTS(first); i++) {
		struct sim_rng s = stepped(fx->a, first[i]), keep = fx->a;

		sim_rng_fill_u32(&s, want, G_N_ELEMENTS(want));
		sim_rng_fill_u32_at(&fx->a, first[i], out, G_N_ELEMENTS(out));
		g_assert_cmpmem(out, sizeof(out), want, sizeof(want));
		g_assert_cmpmem(fx->a.s, sizeof(fx->a.s), keep.s, sizeof(keep.s));
	}
}

static void test_table(Fixture *fx, gconstpointer data)
{
	uint32_t *want = g_new(uint32_t, SIM_RNG_TABLE_SIZE);
	struct sim_rng_table *t;
	unsigned int filled = 0;

	g_test_summary("sim_rng_table: its 65536 entries, read in a scrambled "
		       "order, are the values sim_rng_fill_u32() stores; the stream "
		       "is left where the fill leaves it; a block is drawn on its "
		       "first touch only and keeps what is written to it.");
	sim_rng_stream(fx->sim, &fx->a, "port client");
	fx->b = fx->a;
	sim_rng_fill_u32(&fx->a, want, SIM_RNG_TABLE_SIZE);
	t = sim_rng_table_new(&fx->b);
	g_assert_cmpmem(fx->b.s, sizeof(fx->b.s), fx->a.s, sizeof(fx->a.s));
	for (size_t b = 0; b < G_N_ELEMENTS(t->block); b++)
		g_assert_null(t->block[b]);
	/* 40503 is odd: i -> 40503 i + 12345 permutes 0..65535, hopping blocks */
	for (uint32_t i = 0; i < SIM_RNG_TABLE_SIZE; i++) {
		uint32_t index = (i * 40503u + 12345u) & (SIM_RNG_TABLE_SIZE - 1);
		bool fresh = !t->block[index / SIM_RNG_JUMP_BLOCK];
		uint32_t *slot = sim_rng_table_at(t, index);

		filled += fresh;
		g_assert_cmphex(*slot, ==, want[index]);
		if (i < 1000) {
			/* written entries are kept, not drawn again */
			*slot += i + 1;
			g_assert_cmphex(*sim_rng_table_at(t, index), ==, want[index] + i + 1);
			*slot -= i + 1;
		}
		if (i == 0)
			g_assert_cmpuint(filled, ==, 1);
	}
	g_assert_cmpuint(filled, ==, 256);
	for (uint32_t index = 0; index < SIM_RNG_TABLE_SIZE; index++)
		g_assert_cmphex(*sim_rng_table_at(t, index), ==, want[index]);
	if (g_test_undefined()) {
		g_test_expect_message(G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*index < SIM_RNG_TABLE_SIZE*");
		g_assert_null(sim_rng_table_at(t, SIM_RNG_TABLE_SIZE));
		g_test_assert_expected_messages();
	}
	sim_rng_table_free(t);
	sim_rng_table_free(NULL);
	g_free(want);
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
	ADD("/rng/jump", test_jump);
	ADD("/rng/fill-u32-at", test_fill_u32_at);
	ADD("/rng/table", test_table);
	return g_test_run();
}
