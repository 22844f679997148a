/* SPDX-License-Identifier: MIT */
/*
 * The simulation: clock, event queue, run limits, random streams and trace
 * sink.  Everything mutable hangs off struct sim; there is no global state, so
 * several simulations can run (even interleaved) in one process.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"
#include "sim/event.h"

struct sim_trace;

enum sim_timer_mode {
	SIM_TIMERS_EXACT,	/* timers fire exactly at their expiry */
	SIM_TIMERS_WHEEL,	/* kernel timer wheel: jiffies + level granularity */
};

struct sim_config {
	uint64_t seed;
	enum sim_timer_mode timer_mode;
	unsigned int hz;		/* wheel mode: CONFIG_HZ (e.g. 250, 1000) */
	uint64_t jiffies_at_zero;	/* wheel mode: jiffies value at t = 0 */
	sim_time_t until;		/* stop once the next event is later (0 = no limit) */
	uint64_t max_events;		/* stop after this many events (0 = no limit) */
	struct sim_trace *trace;	/* borrowed; may be NULL */
};

void sim_config_init(struct sim_config *cfg);

struct sim *sim_new(const struct sim_config *cfg);
/* Frees the simulation and every engine-owned pending event. */
void sim_free(struct sim *sim);

sim_time_t sim_now(const struct sim *sim);
uint64_t sim_seed(const struct sim *sim);
const struct sim_config *sim_config(const struct sim *sim);
struct sim_trace *sim_trace_sink(const struct sim *sim);
uint64_t sim_events_run(const struct sim *sim);
uint64_t sim_events_pending(const struct sim *sim);
/* Events ever scheduled (a re-arm counts again) and taken off unrun.  At
 * the end of sim_run() and in sim_free() the engine asserts
 * run + cancelled + pending == scheduled. */
uint64_t sim_events_scheduled(const struct sim *sim);
uint64_t sim_events_cancelled(const struct sim *sim);

enum sim_run_result {
	SIM_RUN_IDLE,		/* queue drained */
	SIM_RUN_UNTIL,		/* next event is past cfg.until or SIM_TIME_END */
	SIM_RUN_MAX_EVENTS,	/* cfg.max_events reached */
	SIM_RUN_STOPPED,	/* sim_stop() called by an event */
};

/* Run events in (time, seq) order until a limit or an empty queue. */
enum sim_run_result sim_run(struct sim *sim);
/* Run one event; false if the queue is empty. */
bool sim_step(struct sim *sim);
void sim_stop(struct sim *sim);

/*
 * Work deferred to the end of the current event (the grace period of the
 * kernel's call_rcu(), reduced to: no function of this event still holds the
 * object).  Callbacks run in queueing order after the event's function
 * returns, and are not events (nothing is scheduled or counted); those still
 * queued when the simulation is freed are dropped, not run.
 */
/*
 * Loads ahead of time (a hint; no effect on any outcome).  The engine knows
 * the next few events before it runs them; while one runs it starts loading
 * what the following ones will read, so that a simulation of a million
 * connections, each event touching an object last used long ago, waits for
 * memory a few misses at a time instead of one after another.  The engine
 * itself prefetches the event three places ahead (and the object around it);
 * for events whose function is @fn, @prefetch is also called with stage 2,
 * 1 and 0 as the event comes two, one and zero places before the next, to
 * load what lies behind pointers one level per stage (a stage may read only
 * what the stage before loaded).  @prefetch must not change any state, only
 * read and prefetch.
 * At most SIM_PREFETCH_MAX functions; later registrations are ignored.
 */
#define SIM_PREFETCH_MAX 4
typedef void (*sim_prefetch_fn)(const struct sim_event *ev, unsigned int stage);
void sim_set_prefetch(struct sim *sim, sim_event_fn fn, sim_prefetch_fn prefetch);

struct sim_rcu_head {
	struct sim_rcu_head *next;
	void (*func)(struct sim_rcu_head *head);
};
void sim_call_rcu(struct sim *sim, struct sim_rcu_head *head,
		  void (*func)(struct sim_rcu_head *head));

#endif
