/* SPDX-License-Identifier: MIT */
/*
 * Kernel-shaped timers on top of the event queue, with an optional model of
 * the kernel timer wheel's granularity (kernel/time/timer.c since 4.8).
 */
#include "sim/timer.h"

#include <glib.h>

#include "sim_private.h"

static void timer_event_run(struct sim *sim, struct sim_event *ev)
{
	struct sim_timer *t = container_of(ev, struct sim_timer, ev);

	/* observer hook: timer fired */
	if (sim->timer_hook)
		sim->timer_hook(sim->timer_hook_opaque, SIM_TIMER_FIRED, t, sim->now);
	t->function(t);
}

void sim_timer_setup(struct sim *sim, struct sim_timer *t, sim_timer_fn fn,
		     const char *name)
{
	g_return_if_fail(fn != NULL);
	sim_event_init(&t->ev, timer_event_run, name);
	t->sim = sim;
	t->function = fn;
	t->expires = 0;
}

static uint64_t ns_to_jiffies_floor(unsigned int hz, sim_time_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * hz) / 1000000000u);
}

static uint64_t ns_to_jiffies_ceil(unsigned int hz, sim_time_t ns)
{
	return (uint64_t)(((unsigned __int128)ns * hz + 999999999u) / 1000000000u);
}

static sim_time_t jiffies_to_ns(unsigned int hz, uint64_t j)
{
	/* Ceil, so that floor(ns_to_jiffies(jiffies_to_ns(j))) == j for any HZ. */
	unsigned __int128 ns = ((unsigned __int128)j * 1000000000u + hz - 1) / hz;

	return ns > SIM_TIME_MAX ? SIM_TIME_MAX : (sim_time_t)ns;
}

/* Wheel geometry, as in kernel/time/timer.c. */
#define LVL_CLK_SHIFT	3
#define LVL_BITS	6
#define LVL_SIZE	(1u << LVL_BITS)
#define LVL_SHIFT(n)	((n) * LVL_CLK_SHIFT)
#define LVL_GRAN(n)	(UINT64_C(1) << LVL_SHIFT(n))
#define LVL_START(n)	((uint64_t)(LVL_SIZE - 1) << (((n) - 1) * LVL_CLK_SHIFT))

/*
 * Models: kernel/time/timer.c:calc_wheel_index() — the jiffy at which a timer
 * due at jiffy @expires, armed when the wheel clock reads @clk, actually runs:
 * the smallest multiple of its level's granularity strictly above @expires.
 * Like the kernel's, the arithmetic is modulo 2^64 and only the distance
 * expires - clk selects the level, so a jiffies counter that wraps (e.g. a
 * large jiffies_at_zero) changes nothing.
 */
static uint64_t wheel_bucket_expiry(unsigned int hz, uint64_t expires, uint64_t clk)
{
	unsigned int depth = hz > 100 ? 9 : 8;
	uint64_t cutoff = LVL_START(depth);
	uint64_t delta = expires - clk;
	unsigned int lvl;

	if ((int64_t)delta < 0)
		return clk + 1;		/* already due: next tick */
	if (delta >= cutoff) {
		/* WHEEL_TIMEOUT_MAX: capped at the last level's range. */
		expires = clk + cutoff - LVL_GRAN(depth - 1);
		delta = expires - clk;
	}
	for (lvl = 0; lvl < depth - 1; lvl++)
		if (delta < LVL_START(lvl + 1))
			break;
	return ((expires + LVL_GRAN(lvl)) >> LVL_SHIFT(lvl)) << LVL_SHIFT(lvl);
}

sim_time_t sim_wheel_fire_time(unsigned int hz, uint64_t jiffies_at_zero,
			       sim_time_t now_ns, sim_time_t expires_ns)
{
	uint64_t clk = jiffies_at_zero + ns_to_jiffies_floor(hz, now_ns);
	uint64_t delta_j = expires_ns > now_ns ?
		ns_to_jiffies_ceil(hz, expires_ns - now_ns) : 0;
	uint64_t fire = wheel_bucket_expiry(hz, clk + delta_j, clk);

	return jiffies_to_ns(hz, fire - jiffies_at_zero);
}

uint64_t sim_jiffies(const struct sim *sim)
{
	return sim->cfg.jiffies_at_zero + ns_to_jiffies_floor(sim->cfg.hz, sim->now);
}

sim_time_t sim_jiffies_to_ns(const struct sim *sim, uint64_t j)
{
	return jiffies_to_ns(sim->cfg.hz, j);
}

uint64_t sim_usecs_to_jiffies(const struct sim *sim, uint64_t us)
{
	return (us * sim->cfg.hz + 999999u) / 1000000u;
}

bool sim_mod_timer(struct sim_timer *t, sim_time_t expires)
{
	struct sim *sim = t->sim;
	sim_time_t fire = expires < sim->now ? sim->now : expires;

	if (sim->cfg.timer_mode == SIM_TIMERS_WHEEL)
		fire = sim_wheel_fire_time(sim->cfg.hz, sim->cfg.jiffies_at_zero,
					   sim->now, fire);
	t->expires = expires;
	/* observer hook: timer armed */
	if (sim->timer_hook)
		sim->timer_hook(sim->timer_hook_opaque, SIM_TIMER_ARMED, t, expires);
	return sim_event_schedule(sim, &t->ev, fire);
}

bool sim_timer_delete(struct sim_timer *t)
{
	bool was = sim_event_cancel(t->sim, &t->ev);

	/* observer hook: timer deleted while pending */
	if (was && t->sim->timer_hook)
		t->sim->timer_hook(t->sim->timer_hook_opaque, SIM_TIMER_DELETED, t, t->expires);
	return was;
}

void sim_set_timer_hook(struct sim *sim, sim_timer_hook hook, void *opaque)
{
	sim->timer_hook = hook;
	sim->timer_hook_opaque = opaque;
}
