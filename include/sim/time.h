/* SPDX-License-Identifier: MIT */
/*
 * Simulated time: an unsigned 64-bit count of nanoseconds since the start of
 * the run.  There is no floating-point time anywhere in socksim; seconds only
 * appear when analysis scripts format output.
 */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>

typedef uint64_t sim_time_t;

#define SIM_TIME_MAX UINT64_MAX
#define SIM_NSEC(x) ((sim_time_t)(x))
#define SIM_USEC(x) ((sim_time_t)(x) * UINT64_C(1000))
#define SIM_MSEC(x) ((sim_time_t)(x) * UINT64_C(1000000))
#define SIM_SEC(x)  ((sim_time_t)(x) * UINT64_C(1000000000))

/*
 * The end of simulated time: 2^62 ns (4611686018.427387904 s, about 146
 * years).  No time a scenario gives may be later (scenario/lexer.c), so a
 * sum of two such times never wraps; run-time sums of more (now + queueing
 * + delay + fault delays) use sim_time_add() and at worst saturate at
 * SIM_TIME_MAX, an event that never runs before any limit.
 */
#define SIM_TIME_END (UINT64_C(1) << 62)

/* a + b, clamped to SIM_TIME_MAX instead of wrapping (libuv's timer rule). */
static inline sim_time_t sim_time_add(sim_time_t a, sim_time_t b)
{
	return a > SIM_TIME_MAX - b ? SIM_TIME_MAX : a + b;
}

#endif
