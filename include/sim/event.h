/* SPDX-License-Identifier: MIT */
/*
 * Events: the unit the engine dispatches.
 *
 * Ordering is a strict total order on the key (time, seq): an event with a
 * smaller time runs first; among equal times, the smaller seq runs first.
 * seq comes from one per-simulation counter that is incremented on every
 * insertion (including every re-arm of a timer), so events scheduled for the
 * same instant run in the order they were scheduled (FIFO).  Because seq is
 * unique within a simulation, the comparison is irreflexive, antisymmetric
 * and transitive, and never looks at pointers or hash order.
 *
 * Events are intrusive: the owner embeds struct sim_event and recovers itself
 * with container_of() in the callback.
 */
#ifndef SIM_EVENT_H
#define SIM_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/time.h"
#include "sim/eventq_node.h"

struct sim;
struct sim_event;

typedef void (*sim_event_fn)(struct sim *sim, struct sim_event *ev);

struct sim_event {
	sim_time_t time;		/* when it runs */
	uint64_t seq;			/* tie-break; assigned at insertion */
	sim_event_fn fn;
	const char *name;		/* static string for traces and errors */
	struct sim_eventq_node node;	/* queue linkage, owned by sim/eventq.c */
	uint32_t flags;
};

#define SIM_EVENT_PENDING	(1u << 0)
#define SIM_EVENT_OWNED		(1u << 1) /* allocated by sim_call_at(); freed by the engine */

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

void sim_event_init(struct sim_event *ev, sim_event_fn fn, const char *name);

/*
 * Schedule @ev at absolute time @at (>= sim_now()).  A pending event is
 * re-queued with a fresh seq.  Returns true if it was pending.
 */
bool sim_event_schedule(struct sim *sim, struct sim_event *ev, sim_time_t at);

/* Remove a pending event.  Returns true if it was pending. O(log n) or better. */
bool sim_event_cancel(struct sim *sim, struct sim_event *ev);

static inline bool sim_event_pending(const struct sim_event *ev)
{
	return ev->flags & SIM_EVENT_PENDING;
}

/*
 * One-shot callback with a data pointer, for packets in flight and similar
 * fire-and-forget work.  The engine owns the event; @free_data (may be NULL)
 * releases @data if the simulation is freed before the event runs.
 */
typedef void (*sim_call_fn)(struct sim *sim, void *data);
void sim_call_at(struct sim *sim, sim_time_t at, const char *name,
		 sim_call_fn fn, void *data, void (*free_data)(void *));

#endif
