/* SPDX-License-Identifier: MIT */
/*
 * Seeded random streams.  Each component (a link, a fault rule, the ISN
 * generator of a host) owns a named stream derived from (run seed, name), so
 * adding a component never shifts another component's draws.  xoshiro256**
 * seeded through splitmix64; identical on every machine.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim;

struct sim_rng {
	uint64_t s[4];
};

void sim_rng_init(struct sim_rng *rng, uint64_t seed, const char *stream);
/* Stream @name derived from the simulation's seed. */
void sim_rng_stream(const struct sim *sim, struct sim_rng *rng, const char *name);

uint64_t sim_rng_u64(struct sim_rng *rng);
/*
 * @n draws of sim_rng_u64(), each cut to its low 32 bits, into @out: the
 * values and the state after are those of @n calls (the loop keeps the
 * state in registers; the port perturbation table's 2^16 draws).
 */
void sim_rng_fill_u32(struct sim_rng *rng, uint32_t *out, size_t n);
/* Uniform in [0, n); n > 0.  Unbiased. */
uint64_t sim_rng_below(struct sim_rng *rng, uint64_t n);
/* True with probability ppb / 1e9 (parts per billion). */
bool sim_rng_chance_ppb(struct sim_rng *rng, uint64_t ppb);

#endif
