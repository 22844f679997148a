/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: a .pkt script's events, one after another, timed as
 * packetdrill times them (gtests/net/packetdrill/run.c: run_script(),
 * adjust_relative_event_times(), verify_time()).
 *
 * packetdrill reaches each event when the previous one is done: an inbound
 * packet once injected, a call once it returned (a blocking call "...END"
 * once it blocked: the next event runs beside it), an outbound packet once
 * sniffed.  A relative time ("+T", "*", "+T1~+T2") counts from that moment
 * ("now"), except an inbound packet after an inbound packet, which counts
 * from that packet's script time.  An event's tolerance is the larger of
 * --tolerance_usecs and --tolerance_percent of the time between its script
 * time and the previous event's.  scenario/pkt.c wrote the statements with
 * the script's nominal times (each relative time from the previous event's
 * script time); here the runner redoes the times as the run goes, so an
 * outbound packet that came late within its tolerance, at "*" or within a
 * range moves what follows it, as in packetdrill.
 *
 * Like a task's driver (run.c), this reacts to the run: it issues the
 * process's calls and injects the remote end's packets, and it wakes up when
 * the local host sends a packet it waits for.  It exists for every run of a
 * .pkt script, so the trace is still a function of the script and the seed.
 */
#include <string.h>

#include "pkt.h"
#include "run_private.h"
#include "sim/sim.h"
#include "wire_expect.h"

enum pkt_wait {
	W_NONE,		/* ev runs the next event at its time */
	W_RETURN,	/* the call in flight returns */
	W_IDLE,		/* a call must wait for the one in flight (a blocking call) to return */
	W_OUT,		/* the outbound packet of the current event */
	W_DONE,		/* every event is done */
};

struct pkt_rt {
	struct scn_run *r;
	const struct scn_pkt_timing *tm;
	struct proc_rt *app;		/* the process the script's calls are made by */
	guint i;			/* the current event */
	guint n_inject, n_call, n_out;	/* events of each kind before it */
	guint n_qdisc;			/* plan->qdiscs taken (timed or not) */
	enum pkt_wait wait;
	/* packetdrill's state */
	sim_time_t done;		/* when the previous event was done ("now" for its successor) */
	sim_time_t last_t;		/* the previous event's script time, made absolute */
	bool last_inbound;
	/* the current event */
	sim_time_t t, t_end;		/* its script time, made absolute */
	sim_time_t want_at, want_tol;	/* a call: its return time and tolerance */
	bool want;
	guint out_cursor;		/* the local host's sent packets the outbound events took */
	/* same-instant events are issued 1 ns apart, in script order (scenario/pkt.c:sched_time) */
	sim_time_t group_t;
	uint64_t group_n;
	sim_time_t stop_floor;		/* the latest time an event is checked at */
	struct sim_event ev, deadline;
};

static const struct scn_pkt_ev *cur(const struct pkt_rt *q)
{
	return &g_array_index(q->tm->evs, struct scn_pkt_ev, q->i);
}

/* packetdrill's tolerance of an event @delta after the previous one (run.c:verify_time) */
static sim_time_t tolerance(const struct pkt_rt *q, sim_time_t delta)
{
	sim_time_t dyn = (sim_time_t)(((unsigned __int128)delta * q->tm->tol_ppm) / 1000000u);

	return MAX(q->tm->tol, dyn);
}

/* The time @t issued as the next event of its instant. */
static sim_time_t bump(struct pkt_rt *q, sim_time_t t)
{
	return scn_pkt_sched(&q->group_t, &q->group_n, t);
}

/* A time of the run, without the 1 ns steps of its instant's events: packetdrill's "now". */
static sim_time_t unbump(const struct pkt_rt *q, sim_time_t t)
{
	return q->group_n != UINT64_MAX && t >= q->group_t && t <= q->group_t + q->group_n ? q->group_t : t;
}

static void stop_event(struct sim *sim, void *data)
{
	sim_stop(sim);
}

/* The current event is done at @when: the next one (run.c:get_next_event). */
static void event_done(struct pkt_rt *q, sim_time_t when, bool inbound);
static void next_event(struct pkt_rt *q);

static void wait_until(struct pkt_rt *q, enum pkt_wait w, sim_time_t deadline)
{
	struct sim *sim = q->r->sim;

	q->wait = w;
	sim_event_cancel(sim, &q->deadline);
	deadline = sim_time_add(MAX(deadline, sim_now(sim)), 1);
	if (deadline != SIM_TIME_MAX)
		sim_event_schedule(sim, &q->deadline, deadline);
}

/* The process issues the current event's call at @at. */
static void issue_call(struct pkt_rt *q, sim_time_t at)
{
	const struct scn_pkt_ev *e = cur(q);

	q->app->next = q->n_call;
	q->want = e->check_time;
	sim_event_schedule(q->r->sim, &q->app->step_ev, at);
	q->n_call++;
	if (e->blocking) {	/* the script goes on while it blocks */
		event_done(q, unbump(q, at), false);
		return;
	}
	wait_until(q, W_RETURN, q->want ? sim_time_add(q->want_at, q->want_tol) : SIM_TIME_MAX);
}

/* Has the local host sent the current outbound event's packet(s)? */
static bool take_out(struct pkt_rt *q)
{
	sim_time_t sent;

	if (!scn_wire_take(q->r->wire_rec, q->n_out, &q->out_cursor, &sent))
		return false;
	q->n_out++;
	/* packetdrill is done when it has sniffed the packet, or when it got here if it came earlier */
	event_done(q, unbump(q, MAX(sent, sim_now(q->r->sim))), false);
	return true;
}

/* ev: the current event at its time, or a packet the local host sent. */
static void ev_fire(struct sim *sim, struct sim_event *ev)
{
	struct pkt_rt *q = container_of(ev, struct pkt_rt, ev);
	const struct scn_pkt_ev *e;

	if (q->wait == W_OUT) {
		take_out(q);
		return;
	}
	e = cur(q);
	if (e->kind == SCN_PKT_INJECT) {
		scn_run_inject(q->r, q->r->plan->injects->pdata[q->n_inject++]);
		event_done(q, MAX(q->t, unbump(q, sim_now(sim))), true);
	} else if (e->kind == SCN_PKT_QDISC) {
		/* run.c:run_command_event(): the tc command, the next timed qdisc line */
		const struct plan_qdisc *pq;

		do
			pq = q->r->plan->qdiscs->pdata[q->n_qdisc++];
		while (!pq->timed);
		scn_run_qdisc(q->r, pq);
		event_done(q, unbump(q, sim_now(sim)), false);
	}
}

/* The time an event waits for has passed (packetdrill would fail there): the script ends. */
static void deadline_fire(struct sim *sim, struct sim_event *ev)
{
	struct pkt_rt *q = container_of(ev, struct pkt_rt, deadline);

	if (q->wait != W_NONE && q->wait != W_DONE)
		sim_stop(sim);
}

static void wire_sent(void *ctx)
{
	struct pkt_rt *q = ctx;

	if (q->wait == W_OUT && !sim_event_pending(&q->ev))	/* after the rest of this instant's segments */
		sim_event_schedule(q->r->sim, &q->ev, sim_now(q->r->sim));
}

static void event_done(struct pkt_rt *q, sim_time_t when, bool inbound)
{
	q->done = when;
	q->last_t = q->t;
	q->last_inbound = inbound;
	q->wait = W_NONE;
	sim_event_cancel(q->r->sim, &q->deadline);
	q->i++;
	next_event(q);
}

/* Work out the current event's time (run.c:adjust_relative_event_times) and start it. */
static void next_event(struct pkt_rt *q)
{
	struct sim *sim = q->r->sim;
	sim_time_t now = unbump(q, sim_now(sim)), off, at, tol;
	const struct scn_pkt_ev *e;
	bool inbound;

	if (q->i >= q->tm->evs->len) {
		q->wait = W_DONE;
		sim_call_at(sim, MAX(sim_time_add(q->stop_floor, 1), sim_now(sim)), "scenario_stop", stop_event, NULL, NULL);
		return;
	}
	e = cur(q);
	inbound = e->kind == SCN_PKT_INJECT;
	off = q->i && q->last_inbound && inbound ? q->last_t : q->done;
	q->t = e->relative || e->any ? sim_time_add(off, e->any ? 0 : e->t) : e->t;
	q->t_end = e->relative ? sim_time_add(off, e->t_end) : e->t_end;
	tol = tolerance(q, q->t > q->last_t ? q->t - q->last_t : 0);
	switch (e->kind) {
	case SCN_PKT_INJECT:
	case SCN_PKT_QDISC:
		at = bump(q, MAX(q->t, now));
		q->stop_floor = MAX(q->stop_floor, at);
		sim_event_schedule(sim, &q->ev, at);
		return;
	case SCN_PKT_CALL:
		q->want_at = e->blocking ? (e->relative ? sim_time_add(off, e->end) : e->end) : q->t;
		q->want_tol = tolerance(q, q->want_at > q->last_t ? q->want_at - q->last_t : 0);
		q->stop_floor = MAX(q->stop_floor, e->check_time ? sim_time_add(q->want_at, q->want_tol) : q->t);
		if (q->app->cur_rec >= 0 || sim_event_pending(&q->app->step_ev)) {	/* a blocking call: after it */
			wait_until(q, W_IDLE, q->stop_floor);
			return;
		}
		at = bump(q, MAX(q->t, now));
		q->stop_floor = MAX(q->stop_floor, at);
		issue_call(q, at);
		return;
	case SCN_PKT_OUT:
		at = q->t;
		if (e->range) {
			at = q->t + (q->t_end - q->t) / 2;
			tol += (q->t_end - q->t) - (q->t_end - q->t) / 2;
		}
		scn_wire_rec_set_time(q->r->wire_rec, q->n_out, at, tol, e->any);
		if (!e->any)
			q->stop_floor = MAX(q->stop_floor, sim_time_add(at, tol));
		wait_until(q, W_OUT, e->any ? SIM_TIME_MAX : sim_time_add(at, tol));
		take_out(q);
		return;
	}
}

void scn_pkt_rt_issued(struct pkt_rt *q, struct sys_rec *rec)
{
	rec->has_want = q->want;
	rec->want_at = q->want_at;
	rec->want_tol = q->want_tol;
}

void scn_pkt_rt_returned(struct pkt_rt *q)
{
	struct sim *sim = q->r->sim;

	if (q->wait == W_RETURN)
		event_done(q, unbump(q, sim_now(sim)), false);
	else if (q->wait == W_IDLE)
		issue_call(q, bump(q, MAX(q->t, unbump(q, sim_now(sim)))));
}

struct pkt_rt *scn_pkt_rt_new(struct scn_run *r)
{
	struct pkt_rt *q = g_new0(struct pkt_rt, 1);
	int app = GPOINTER_TO_INT(g_hash_table_lookup(r->plan->proc_index, "app")) - 1;	/* scenario/pkt.c */

	q->r = r;
	q->tm = r->plan->pkt;
	q->app = proc_at(r, app);
	q->group_n = UINT64_MAX;	/* no event yet */
	sim_event_init(&q->ev, ev_fire, "packetdrill_event");
	sim_event_init(&q->deadline, deadline_fire, "packetdrill_deadline");
	if (r->wire_rec)
		scn_wire_rec_notify(r->wire_rec, wire_sent, q);
	next_event(q);
	return q;
}

void scn_pkt_rt_free(struct pkt_rt *q)
{
	if (!q)
		return;
	sim_event_cancel(q->r->sim, &q->ev);
	sim_event_cancel(q->r->sim, &q->deadline);
	g_free(q);
}
