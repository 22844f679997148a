/* SPDX-License-Identifier: MIT */
/* xoshiro256** streams seeded by splitmix64 over (seed, FNV-1a(stream name)). */
#include "sim/rng.h"

#include <glib.h>

#include "sim/sim.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

void sim_rng_init(struct sim_rng *rng, uint64_t seed, const char *stream)
{
	uint64_t x = seed ^ splitmix64(&(uint64_t){ fnv1a(stream ? stream : "") });

	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&x);
}

void sim_rng_stream(const struct sim *sim, struct sim_rng *rng, const char *name)
{
	sim_rng_init(rng, sim_seed(sim), name);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* One xoshiro256** step of @s. */
static inline uint64_t next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint64_t sim_rng_u64(struct sim_rng *rng)
{
	return next(rng->s);
}

void sim_rng_fill_u32(struct sim_rng *rng, uint32_t *out, size_t n)
{
	uint64_t s[4] = { rng->s[0], rng->s[1], rng->s[2], rng->s[3] };

	for (size_t i = 0; i < n; i++)
		out[i] = (uint32_t)next(s);
	for (int i = 0; i < 4; i++)
		rng->s[i] = s[i];
}

void sim_rng_jump(struct sim_rng *rng, const uint64_t poly[4])
{
	uint64_t s[4] = { rng->s[0], rng->s[1], rng->s[2], rng->s[3] };
	uint64_t acc[4] = { 0, 0, 0, 0 };

	/* acc = sum of poly_i A^i s */
	for (int w = 0; w < 4; w++)
		for (int b = 0; b < 64; b++) {
			uint64_t m = -((poly[w] >> b) & 1);

			for (int k = 0; k < 4; k++)
				acc[k] ^= s[k] & m;
			next(s);
		}
	for (int k = 0; k < 4; k++)
		rng->s[k] = acc[k];
}

void sim_rng_advance(struct sim_rng *rng, uint64_t n)
{
	for (; n >= SIM_RNG_TABLE_SIZE; n -= SIM_RNG_TABLE_SIZE)
		sim_rng_jump(rng, sim_rng_jump_65536);
	if (n >= SIM_RNG_JUMP_BLOCK)
		sim_rng_jump(rng, sim_rng_jump_block[n / SIM_RNG_JUMP_BLOCK]);
	for (n %= SIM_RNG_JUMP_BLOCK; n; n--)
		next(rng->s);
}

void sim_rng_fill_u32_at(const struct sim_rng *start, uint64_t first, uint32_t *out, size_t n)
{
	struct sim_rng s = *start;

	sim_rng_advance(&s, first);
	sim_rng_fill_u32(&s, out, n);
}

G_STATIC_ASSERT(SIM_RNG_TABLE_SIZE == 256 * SIM_RNG_JUMP_BLOCK);

struct sim_rng_table *sim_rng_table_new(struct sim_rng *rng)
{
	struct sim_rng_table *t = g_new0(struct sim_rng_table, 1);

	t->start = *rng;
	sim_rng_jump(rng, sim_rng_jump_65536);
	return t;
}

uint32_t *sim_rng_table_fill(struct sim_rng_table *t, uint32_t index)
{
	uint32_t b = index / SIM_RNG_JUMP_BLOCK;

	g_return_val_if_fail(index < SIM_RNG_TABLE_SIZE, NULL);
	if (!t->block[b]) {
		struct sim_rng s = t->start;

		t->block[b] = g_new(uint32_t, SIM_RNG_JUMP_BLOCK);
		sim_rng_jump(&s, sim_rng_jump_block[b]);
		sim_rng_fill_u32(&s, t->block[b], SIM_RNG_JUMP_BLOCK);
	}
	return &t->block[b][index % SIM_RNG_JUMP_BLOCK];
}

void sim_rng_table_free(struct sim_rng_table *t)
{
	if (!t)
		return;
	for (size_t b = 0; b < G_N_ELEMENTS(t->block); b++)
		g_free(t->block[b]);
	g_free(t);
}

uint64_t sim_rng_below(struct sim_rng *rng, uint64_t n)
{
	/* Rejection sampling: draws above the largest multiple of n are retried. */
	uint64_t limit, x;

	g_return_val_if_fail(n > 0, 0);
	limit = UINT64_MAX - UINT64_MAX % n;

	do
		x = sim_rng_u64(rng);
	while (x >= limit);
	return x % n;
}

bool sim_rng_chance_ppb(struct sim_rng *rng, uint64_t ppb)
{
	if (ppb == 0)
		return false;
	if (ppb >= 1000000000u)
		return true;
	return sim_rng_below(rng, 1000000000u) < ppb;
}
