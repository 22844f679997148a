/* SPDX-License-Identifier: MIT */
/*
 * The run loop and its invariants: time never goes backwards, every event
 * scheduled is either run, cancelled, or still pending at the end (counted).
 */
#include "sim/sim.h"

#include <glib.h>

#include "eventq.h"
#include "sim_private.h"

void sim_config_init(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.seed = 1,
		.timer_mode = SIM_TIMERS_EXACT,
		.hz = 250,
	};
}

struct sim *sim_new(const struct sim_config *cfg)
{
	struct sim *sim = g_new0(struct sim, 1);

	sim->cfg = *cfg;
	if (!sim->cfg.hz)
		sim->cfg.hz = 250;
	sim_eventq_init(&sim->q);
	return sim;
}

struct owned_call {
	struct sim_event ev;
	sim_call_fn fn;
	void *data;
	void (*free_data)(void *);
	struct owned_call *next_free;	/* on sim->call_free */
};

/* A spent call goes to the simulation's free list: the next sim_call_at() takes it. */
static void owned_call_put(struct sim *sim, struct owned_call *c)
{
	c->next_free = sim->call_free;
	sim->call_free = c;
}

/*
 * No scheduled event was lost: each one ran, was cancelled (or re-armed) or
 * is still queued -- the check ns-3's simulator makes when it is destroyed.
 */
static void sim_check_event_balance(const struct sim *sim)
{
	g_assert_cmpuint(sim->events_run + sim->events_cancelled + sim_eventq_len(&sim->q), ==,
			 sim->next_seq);
}

void sim_free(struct sim *sim)
{
	struct sim_event *ev;

	if (!sim)
		return;
	sim_check_event_balance(sim);
	while ((ev = sim_eventq_pop(&sim->q))) {
		ev->flags &= ~SIM_EVENT_PENDING;
		if (ev->flags & SIM_EVENT_OWNED) {
			struct owned_call *c = container_of(ev, struct owned_call, ev);

			if (c->free_data)
				c->free_data(c->data);
			g_free(c);
		}
	}
	while (sim->call_free) {
		struct owned_call *c = sim->call_free;

		sim->call_free = c->next_free;
		g_free(c);
	}
	sim_eventq_clear(&sim->q);
	g_free(sim);
}

sim_time_t sim_now(const struct sim *sim)
{
	return sim->now;
}

uint64_t sim_seed(const struct sim *sim)
{
	return sim->cfg.seed;
}

const struct sim_config *sim_config(const struct sim *sim)
{
	return &sim->cfg;
}

struct sim_trace *sim_trace_sink(const struct sim *sim)
{
	return sim->cfg.trace;
}

uint64_t sim_events_run(const struct sim *sim)
{
	return sim->events_run;
}

uint64_t sim_events_pending(const struct sim *sim)
{
	return sim_eventq_len(&sim->q);
}

uint64_t sim_events_scheduled(const struct sim *sim)
{
	return sim->next_seq;
}

uint64_t sim_events_cancelled(const struct sim *sim)
{
	return sim->events_cancelled;
}

void sim_event_init(struct sim_event *ev, sim_event_fn fn, const char *name)
{
	*ev = (struct sim_event){ .fn = fn, .name = name };
}

bool sim_event_schedule(struct sim *sim, struct sim_event *ev, sim_time_t at)
{
	bool was_pending = sim_event_cancel(sim, ev);

	g_assert(at >= sim->now);
	ev->time = at;
	ev->seq = sim->next_seq++;
	ev->flags |= SIM_EVENT_PENDING;
	sim_eventq_insert(&sim->q, ev);
	return was_pending;
}

bool sim_event_cancel(struct sim *sim, struct sim_event *ev)
{
	if (!sim_event_pending(ev))
		return false;
	sim_eventq_remove(&sim->q, ev);
	ev->flags &= ~SIM_EVENT_PENDING;
	sim->events_cancelled++;
	return true;
}

static void owned_call_run(struct sim *sim, struct sim_event *ev)
{
	struct owned_call *c = container_of(ev, struct owned_call, ev);

	c->fn(sim, c->data);
	owned_call_put(sim, c);
}

void sim_call_at(struct sim *sim, sim_time_t at, const char *name,
		 sim_call_fn fn, void *data, void (*free_data)(void *))
{
	struct owned_call *c = sim->call_free;

	if (c)
		sim->call_free = c->next_free;
	else
		c = g_new(struct owned_call, 1);
	*c = (struct owned_call){ 0 };
	sim_event_init(&c->ev, owned_call_run, name);
	c->ev.flags = SIM_EVENT_OWNED;
	c->fn = fn;
	c->data = data;
	c->free_data = free_data;
	sim_event_schedule(sim, &c->ev, at);
}

void sim_call_rcu(struct sim *sim, struct sim_rcu_head *head,
		  void (*func)(struct sim_rcu_head *head))
{
	head->next = NULL;
	head->func = func;
	if (sim->rcu_last)
		sim->rcu_last->next = head;
	else
		sim->rcu_first = head;
	sim->rcu_last = head;
}

/* The callbacks queued during the event that just ran (and by them). */
static void sim_rcu_run(struct sim *sim)
{
	struct sim_rcu_head *head;

	while ((head = sim->rcu_first)) {
		sim->rcu_first = head->next;
		if (!sim->rcu_first)
			sim->rcu_last = NULL;
		head->func(head);
	}
}

void sim_set_prefetch(struct sim *sim, sim_event_fn fn, sim_prefetch_fn prefetch)
{
	for (unsigned int i = 0; i < sim->n_prefetch; i++)
		if (sim->prefetch_for[i] == fn) {
			sim->prefetch[i] = prefetch;
			return;
		}
	if (sim->n_prefetch == SIM_PREFETCH_MAX)
		return;
	sim->prefetch_for[sim->n_prefetch] = fn;
	sim->prefetch[sim->n_prefetch++] = prefetch;
}

/* pending events below which prefetch_ahead() does nothing (a guess at
 * where the objects they point to stop fitting in the caches) */
#define SIM_PREFETCH_MIN_PENDING 8192

static inline void prefetch_stage(const struct sim *sim, const struct sim_event *ev,
				  unsigned int stage)
{
	if (!ev)
		return;
	for (unsigned int i = 0; i < sim->n_prefetch; i++)
		if (sim->prefetch_for[i] == ev->fn) {
			sim->prefetch[i](ev, stage);
			return;
		}
}

/*
 * While the event just popped runs: for registered functions, the next
 * event's stage 0, the one after's stage 1 and the third's stage 2 (each
 * event's own lines were loaded the step before its stage 2), and the lines
 * of the fourth (sim_set_prefetch()).
 */
static inline void prefetch_ahead(const struct sim *sim)
{
	const char *far;

	/* a small simulation stays in the caches: the hints would only cost */
	if (sim_eventq_len(&sim->q) < SIM_PREFETCH_MIN_PENDING)
		return;
	far = (const char *)sim_eventq_run_ahead(&sim->q, 3);

	if (far) {
		__builtin_prefetch(far);
		__builtin_prefetch(far + 64);
	}
	if (sim->n_prefetch) {
		prefetch_stage(sim, sim_eventq_run_ahead(&sim->q, 2), 2);
		prefetch_stage(sim, sim_eventq_run_ahead(&sim->q, 1), 1);
		prefetch_stage(sim, sim_eventq_run_ahead(&sim->q, 0), 0);
	}
}

bool sim_step(struct sim *sim)
{
	struct sim_event *ev = sim_eventq_pop(&sim->q);

	if (!ev)
		return false;
	prefetch_ahead(sim);
	g_assert(ev->time >= sim->now);	/* time never goes backwards */
	ev->flags &= ~SIM_EVENT_PENDING;
	sim->now = ev->time;
	sim->events_run++;
	ev->fn(sim, ev);
	sim_rcu_run(sim);
	return true;
}

void sim_stop(struct sim *sim)
{
	sim->stop = true;
}

static enum sim_run_result sim_run_loop(struct sim *sim)
{
	/* Nothing runs past the end of simulated time (include/sim/time.h): an
	 * --until there, so that no model's now + delay can wrap. */
	sim_time_t until = sim->cfg.until && sim->cfg.until < SIM_TIME_END ? sim->cfg.until : SIM_TIME_END;

	for (;;) {
		struct sim_event *next = sim_eventq_peek(&sim->q);

		if (!next)
			return SIM_RUN_IDLE;
		if (next->time > until)
			return SIM_RUN_UNTIL;
		if (sim->cfg.max_events && sim->events_run >= sim->cfg.max_events)
			return SIM_RUN_MAX_EVENTS;
		sim_step(sim);
		if (sim->stop)
			return SIM_RUN_STOPPED;
	}
}

enum sim_run_result sim_run(struct sim *sim)
{
	enum sim_run_result res;

	sim->stop = false;
	res = sim_run_loop(sim);
	sim_check_event_balance(sim);
	return res;
}
