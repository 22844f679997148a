/* SPDX-License-Identifier: MIT */
#ifndef SIM_SIM_PRIVATE_H
#define SIM_SIM_PRIVATE_H

#include "sim/sim.h"
#include "sim/timer.h"
#include "eventq.h"

struct sim {
	struct sim_config cfg;
	sim_time_t now;
	uint64_t next_seq;		/* also the number of events ever scheduled */
	uint64_t events_run;
	uint64_t events_cancelled;	/* taken off the queue unrun (cancel or re-arm) */
	bool stop;
	struct sim_eventq q;
	sim_timer_hook timer_hook;	/* observer hook: timers (sim/timer.c) */
	void *timer_hook_opaque;
	struct sim_rcu_head *rcu_first, *rcu_last;	/* sim_call_rcu(), queueing order */
	struct owned_call *call_free;	/* sim_call_at()'s spent events, reused first */
	/* sim_set_prefetch(): registration order */
	unsigned int n_prefetch;
	sim_event_fn prefetch_for[SIM_PREFETCH_MAX];
	sim_prefetch_fn prefetch[SIM_PREFETCH_MAX];
};

#endif
