/* SPDX-License-Identifier: MIT */
/*
 * Kernel-shaped timers (include/linux/timer.h): embedded in their owner,
 * armed with an absolute expiry, mod/delete report whether the timer was
 * pending.  Re-arming is idempotent (delete + insert with a fresh seq), so
 * equal expiries fire in arming order.  The expiry is stored only in the timer.
 *
 * In SIM_TIMERS_WHEEL mode the firing time is rounded up the way the kernel's
 * timer wheel (kernel/time/timer.c: calc_index) does, so a long timer fires
 * late exactly as on a real kernel; sim_timer_expires() reports the requested
 * expiry, the event time is the actual firing time.
 */
#ifndef SIM_TIMER_H
#define SIM_TIMER_H

#include <stdbool.h>

#include "sim/event.h"

struct sim_timer;
typedef void (*sim_timer_fn)(struct sim_timer *t);

struct sim_timer {
	struct sim_event ev;
	struct sim *sim;
	sim_timer_fn function;
	sim_time_t expires;	/* requested expiry, valid while pending */
};

void sim_timer_setup(struct sim *sim, struct sim_timer *t, sim_timer_fn fn,
		     const char *name);
/* Models: include/linux/timer.h:mod_timer() — true if it was pending. */
bool sim_mod_timer(struct sim_timer *t, sim_time_t expires);
/* Models: kernel/time/timer.c:timer_delete() — true if it was pending. */
bool sim_timer_delete(struct sim_timer *t);

static inline bool sim_timer_pending(const struct sim_timer *t)
{
	return sim_event_pending(&t->ev);
}

static inline sim_time_t sim_timer_expires(const struct sim_timer *t)
{
	return t->expires;
}

#define sim_timer_container_of(var, tmr, field) \
	container_of(tmr, __typeof__(*(var)), field)

/*
 * Observer hook (timelines): told when a timer is armed, deleted while
 * pending, or fires.  One hook per simulation; @expires is the requested
 * expiry (armed) or the firing time (fired).  Never changes what runs.
 */
enum sim_timer_op { SIM_TIMER_ARMED, SIM_TIMER_DELETED, SIM_TIMER_FIRED };
typedef void (*sim_timer_hook)(void *opaque, enum sim_timer_op op,
			       const struct sim_timer *t, sim_time_t expires);
void sim_set_timer_hook(struct sim *sim, sim_timer_hook hook, void *opaque);

/* Jiffies helpers (wheel mode; exact mode uses the same HZ for conversions). */
uint64_t sim_jiffies(const struct sim *sim);
sim_time_t sim_jiffies_to_ns(const struct sim *sim, uint64_t j);
/* The kernel's usecs_to_jiffies(): microseconds to whole jiffies, rounded up. */
uint64_t sim_usecs_to_jiffies(const struct sim *sim, uint64_t us);

/*
 * The wheel's firing time for a timer armed at @now_ns for @expires_ns, for
 * a kernel with @hz whose jiffies counter reads @jiffies_at_zero at t = 0.
 * Pure function, exposed for tests.
 */
sim_time_t sim_wheel_fire_time(unsigned int hz, uint64_t jiffies_at_zero,
			       sim_time_t now_ns, sim_time_t expires_ns);

#endif
