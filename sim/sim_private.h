/* SPDX-License-Identifier: MIT */
#ifndef SIM_SIM_PRIVATE_H
#define SIM_SIM_PRIVATE_H

#include "sim/sim.h"
#include "sim/timer.h"
#include "eventq.h"

struct sim {
	struct sim_config cfg;
	sim_time_t now;
	uint64_t next_seq;
	uint64_t events_run;
	bool stop;
	struct sim_eventq q;
	sim_timer_hook timer_hook;	/* observer hook: timers (sim/timer.c) */
	void *timer_hook_opaque;
};

#endif
