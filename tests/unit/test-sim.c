/* SPDX-License-Identifier: MIT */
/*
 * The run loop (sim/sim.c) and trace sinks (sim/trace.c): run limits and
 * their return codes, engine-owned calls, FIFO among equal times, and
 * determinism: two simulations interleaved step by step in one process write
 * the same trace as one run alone.
 */
#include <glib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/timer.h"
#include "sim/trace.h"

typedef struct {
	struct sim *sim;
	GString *log;
	int freed;		/* free_data calls */
	int ran;		/* owned calls run */
} Fixture;

static void fx_setup(Fixture *fx, gconstpointer data)
{
	struct sim_config cfg;

	memset(fx, 0, sizeof(*fx));
	sim_config_init(&cfg);
	fx->sim = sim_new(&cfg);
	fx->log = g_string_new(NULL);
}

static void fx_teardown(Fixture *fx, gconstpointer data)
{
	if (fx->sim) {
		g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
		sim_free(fx->sim);
	}
	g_string_free(fx->log, TRUE);
}

/* Replace the fixture's (idle) simulation with one configured by @cfg. */
static void fx_new(Fixture *fx, const struct sim_config *cfg)
{
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
	sim_free(fx->sim);
	fx->sim = sim_new(cfg);
}

struct tag_ev {
	struct sim_event ev;
	Fixture *fx;
	char tag;
	bool stop;		/* call sim_stop() when run */
};

static void tag_run(struct sim *sim, struct sim_event *ev)
{
	struct tag_ev *t = container_of(ev, struct tag_ev, ev);

	g_assert_false(sim_event_pending(ev));
	g_string_append_printf(t->fx->log, "%c@%" G_GUINT64_FORMAT " ", t->tag, sim_now(sim));
	if (t->stop)
		sim_stop(sim);
}

static void tags_init(Fixture *fx, struct tag_ev *t, int n)
{
	for (int i = 0; i < n; i++) {
		t[i] = (struct tag_ev){ .fx = fx, .tag = (char)('a' + i) };
		sim_event_init(&t[i].ev, tag_run, "tag");
	}
}

static void test_run_limits(Fixture *fx, gconstpointer data)
{
	struct sim_config cfg;
	struct tag_ev t[5];

	g_test_summary("sim_run() returns IDLE when drained, UNTIL when the next "
		       "event is past cfg.until, MAX_EVENTS after cfg.max_events "
		       "events and STOPPED after an event calls sim_stop().");
	/* IDLE */
	tags_init(fx, t, 3);
	g_assert_false(sim_step(fx->sim));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_false(sim_event_schedule(fx->sim, &t[0].ev, 30));
	g_assert_false(sim_event_schedule(fx->sim, &t[1].ev, 10));
	g_assert_false(sim_event_schedule(fx->sim, &t[2].ev, 20));
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 3);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(fx->log->str, ==, "b@10 c@20 a@30 ");
	g_assert_cmpuint(sim_events_run(fx->sim), ==, 3);
	g_assert_cmpuint(sim_now(fx->sim), ==, 30);

	/* UNTIL: an event exactly at until still runs */
	sim_config_init(&cfg);
	cfg.until = 50;
	fx_new(fx, &cfg);
	g_string_truncate(fx->log, 0);
	tags_init(fx, t, 3);
	sim_event_schedule(fx->sim, &t[0].ev, 10);
	sim_event_schedule(fx->sim, &t[1].ev, 50);
	sim_event_schedule(fx->sim, &t[2].ev, 51);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_UNTIL);
	g_assert_cmpstr(fx->log->str, ==, "a@10 b@50 ");
	g_assert_cmpuint(sim_now(fx->sim), ==, 50);
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 1);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_UNTIL);	/* stays put */
	g_assert_true(sim_event_cancel(fx->sim, &t[2].ev));
	g_assert_false(sim_event_cancel(fx->sim, &t[2].ev));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);

	/* MAX_EVENTS counts every event the simulation ever ran */
	sim_config_init(&cfg);
	cfg.max_events = 3;
	fx_new(fx, &cfg);
	g_string_truncate(fx->log, 0);
	tags_init(fx, t, 5);
	for (int i = 0; i < 5; i++)
		sim_event_schedule(fx->sim, &t[i].ev, (sim_time_t)(100 - i));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_MAX_EVENTS);
	g_assert_cmpuint(sim_events_run(fx->sim), ==, 3);
	g_assert_cmpstr(fx->log->str, ==, "e@96 d@97 c@98 ");
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_MAX_EVENTS);
	g_assert_cmpuint(sim_events_run(fx->sim), ==, 3);
	g_assert_true(sim_step(fx->sim));		/* sim_step ignores limits */
	g_assert_true(sim_step(fx->sim));
	g_assert_false(sim_step(fx->sim));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);

	/* STOPPED, then a second sim_run() carries on */
	sim_config_init(&cfg);
	fx_new(fx, &cfg);
	g_string_truncate(fx->log, 0);
	tags_init(fx, t, 3);
	t[1].stop = true;
	for (int i = 0; i < 3; i++)
		sim_event_schedule(fx->sim, &t[i].ev, 5);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_STOPPED);
	g_assert_cmpstr(fx->log->str, ==, "a@5 b@5 ");
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(fx->log->str, ==, "a@5 b@5 c@5 ");
}

static void test_schedule_cancel(Fixture *fx, gconstpointer data)
{
	struct tag_ev t[3];

	g_test_summary("sim_event_schedule() and sim_event_cancel() report "
		       "whether the event was pending; a re-schedule takes a "
		       "fresh seq, so equal times run FIFO in either order.");
	tags_init(fx, t, 3);
	g_assert_false(sim_event_cancel(fx->sim, &t[0].ev));
	g_assert_false(sim_event_schedule(fx->sim, &t[0].ev, 7));
	g_assert_true(sim_event_pending(&t[0].ev));
	g_assert_true(sim_event_schedule(fx->sim, &t[0].ev, 7));
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 1);
	g_assert_false(sim_event_schedule(fx->sim, &t[1].ev, 7));
	g_assert_false(sim_event_schedule(fx->sim, &t[2].ev, 7));
	g_assert_true(sim_event_schedule(fx->sim, &t[0].ev, 7));	/* a moves last */
	g_assert_cmpuint(t[0].ev.seq, >, t[2].ev.seq);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(fx->log->str, ==, "b@7 c@7 a@7 ");
	/* the other insertion order */
	g_string_truncate(fx->log, 0);
	sim_event_schedule(fx->sim, &t[2].ev, 9);
	sim_event_schedule(fx->sim, &t[1].ev, 9);
	sim_event_schedule(fx->sim, &t[0].ev, 9);
	g_assert_true(sim_event_cancel(fx->sim, &t[1].ev));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(fx->log->str, ==, "c@9 a@9 ");
	/* the engine's books: 8 scheduled = 5 run + 3 cancelled (2 re-arms, 1 cancel) */
	g_assert_cmpuint(sim_events_scheduled(fx->sim), ==, 8);
	g_assert_cmpuint(sim_events_run(fx->sim), ==, 5);
	g_assert_cmpuint(sim_events_cancelled(fx->sim), ==, 3);
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
}

/* ---- engine-owned calls ---------------------------------------------- */

static Fixture *owned_fx;

static void owned_run(struct sim *sim, void *data)
{
	owned_fx->ran++;
	g_free(data);			/* a call owns its data when it runs */
}

static void owned_free(void *data)
{
	owned_fx->freed++;
	g_free(data);
}

static void test_owned_calls(Fixture *fx, gconstpointer data)
{
	struct sim_config cfg;

	g_test_summary("sim_call_at() events that never ran are released by "
		       "sim_free(), data included (no leak under ASan).");
	owned_fx = fx;
	sim_config_init(&cfg);
	cfg.until = 499;
	fx_new(fx, &cfg);
	for (int i = 0; i < 1000; i++)
		sim_call_at(fx->sim, (sim_time_t)i, "owned", owned_run,
			    g_strdup_printf("payload %d", i), owned_free);
	/* one with no free_data: its data is static */
	sim_call_at(fx->sim, 2000, "owned-static", owned_run, NULL, NULL);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_UNTIL);
	g_assert_cmpint(fx->ran, ==, 500);
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 501);
	sim_free(fx->sim);
	fx->sim = NULL;
	g_assert_cmpint(fx->freed, ==, 500);
	owned_fx = NULL;
}

/* ---- determinism ----------------------------------------------------- */

/*
 * A small model: hosts with a retransmit-like timer and a random stream each;
 * every firing traces, sends "packets" (owned calls) to another host with a
 * random delay and re-arms, sometimes to the same instant as others.
 */
struct host {
	struct sim_timer rto;
	struct sim_rng rng;
	struct model *m;
	int id;
	unsigned int fired;
};

struct model {
	struct sim *sim;
	struct mem_trace *tr;
	struct host h[5];
};

struct pkt {
	struct model *m;
	int from, to;
	unsigned int n;
};

static void pkt_arrive(struct sim *sim, void *data)
{
	struct pkt *p = data;
	struct host *h = &p->m->h[p->to];

	sim_trace(sim, "h", NULL, "pkt_arrive", "tcp_v4_rcv", "from=%d to=%d n=%u",
		  p->from, p->to, p->n);
	/* an arrival pulls the receiver's timer in, to a coarse (tied) instant */
	if (h->fired < 400)
		sim_mod_timer(&h->rto, sim_now(sim) + SIM_MSEC(sim_rng_below(&h->rng, 3)));
	g_free(p);
}

static void rto_fire(struct sim_timer *t)
{
	struct host *h = container_of(t, struct host, rto);
	struct model *m = h->m;
	struct sim *sim = t->sim;
	int n = (int)sim_rng_below(&h->rng, 3);

	sim_trace(sim, "h", "timer", "rto_fire", "tcp_retransmit_timer", "host=%d fired=%u",
		  h->id, ++h->fired);
	for (int i = 0; i < n; i++) {
		struct pkt *p = g_new(struct pkt, 1);

		*p = (struct pkt){ m, h->id, (int)sim_rng_below(&h->rng, 5), h->fired };
		sim_call_at(sim, sim_now(sim) + SIM_USEC(sim_rng_below(&h->rng, 2000)),
			    "pkt", pkt_arrive, p, g_free);
	}
	if (h->fired < 400)
		sim_mod_timer(t, sim_now(sim) + SIM_MSEC(1 + sim_rng_below(&h->rng, 10)));
}

/* A consumer keeping every record as one line: what the engine hands out, in order. */
struct mem_trace {
	struct sim_trace *sink;
	struct sim_trace_consumer consumer;
	GString *text;
};

static void mem_record(void *ctx, const struct sim_trace_rec *rec)
{
	struct mem_trace *m = ctx;

	g_string_append_printf(m->text, "%" G_GUINT64_FORMAT " %s %s %s %s %s\n", rec->t,
			       rec->host ? rec->host : "-", rec->obj ? rec->obj : "-", rec->event,
			       rec->func ? rec->func : "-", rec->detail ? rec->detail : "");
}

static struct mem_trace *mem_trace_new(void)
{
	struct mem_trace *m = g_new0(struct mem_trace, 1);

	m->sink = sim_trace_new();
	m->text = g_string_new(NULL);
	m->consumer = (struct sim_trace_consumer){ .ctx = m, .record = mem_record };
	sim_trace_attach(m->sink, &m->consumer);
	return m;
}

static void mem_trace_free(struct mem_trace *m)
{
	sim_trace_detach(m->sink, &m->consumer);
	sim_trace_free(m->sink);
	g_string_free(m->text, TRUE);
	g_free(m);
}

static void model_init(struct model *m, uint64_t seed)
{
	struct sim_config cfg;

	memset(m, 0, sizeof(*m));
	m->tr = mem_trace_new();
	sim_config_init(&cfg);
	cfg.seed = seed;
	cfg.trace = m->tr->sink;
	cfg.timer_mode = SIM_TIMERS_WHEEL;
	cfg.hz = 250;
	m->sim = sim_new(&cfg);
	for (int i = 0; i < 5; i++) {
		g_autofree char *name = g_strdup_printf("host%d", i);

		m->h[i].m = m;
		m->h[i].id = i;
		sim_rng_stream(m->sim, &m->h[i].rng, name);
		sim_timer_setup(m->sim, &m->h[i].rto, rto_fire, "rto");
		sim_mod_timer(&m->h[i].rto, SIM_MSEC(i));
	}
}

static void model_free(struct model *m)
{
	for (int i = 0; i < 5; i++)
		sim_timer_delete(&m->h[i].rto);
	sim_free(m->sim);		/* frees packets still in flight */
	mem_trace_free(m->tr);
}

static void test_interleaved(Fixture *fx, gconstpointer data)
{
	struct model a, b, c, d;
	uint64_t steps = 0;
	bool ra = true, rb = true;

	g_test_summary("Two simulations stepped alternately in one process write "
		       "byte-identical traces, equal to a third run alone; another "
		       "seed writes a different one.");
	model_init(&a, 11);
	model_init(&b, 11);
	while (ra || rb) {
		if (ra)
			ra = sim_step(a.sim);
		if (rb)
			rb = sim_step(b.sim);
		if (ra && rb)
			g_assert_cmpuint(sim_now(a.sim), ==, sim_now(b.sim));
		steps++;
	}
	g_assert_cmpuint(steps, >, 2000);
	g_assert_cmpuint(sim_events_run(a.sim), ==, sim_events_run(b.sim));
	g_assert_cmpstr(a.tr->text->str, ==, b.tr->text->str);

	model_init(&c, 11);
	g_assert_cmpint(sim_run(c.sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(c.tr->text->str, ==, a.tr->text->str);
	g_assert_cmpuint(sim_now(c.sim), ==, sim_now(a.sim));

	model_init(&d, 12);
	g_assert_cmpint(sim_run(d.sim), ==, SIM_RUN_IDLE);
	g_assert_cmpstr(d.tr->text->str, !=, a.tr->text->str);

	model_free(&a);
	model_free(&b);
	model_free(&c);
	model_free(&d);
}

static void test_free_midrun(Fixture *fx, gconstpointer data)
{
	struct model m;

	g_test_summary("sim_free() in the middle of a run releases every "
		       "engine-owned event and leaves embedded timers idle.");
	model_init(&m, 3);
	for (int i = 0; i < 1000; i++)
		g_assert_true(sim_step(m.sim));
	g_assert_cmpuint(sim_events_pending(m.sim), >, 5);
	sim_free(m.sim);
	for (int i = 0; i < 5; i++)
		g_assert_false(sim_timer_pending(&m.h[i].rto));
	mem_trace_free(m.tr);
}

/* ---- the trace sink ---------------------------------------------------- */

static void count_record(void *ctx, const struct sim_trace_rec *rec)
{
	GString *order = ctx;

	g_string_append_printf(order, "%s;", rec->event);
}

static void test_trace_consumers(Fixture *fx, gconstpointer data)
{
	struct sim_trace *tr = sim_trace_new();
	GString *first = g_string_new(NULL), *second = g_string_new(NULL);
	const struct sim_trace_consumer c1 = { .ctx = first, .record = count_record };
	const struct sim_trace_consumer c2 = { .ctx = second, .record = count_record };
	const struct sim_trace_rec rec = { .t = 1, .event = "e1" };
	char buf[32];

	g_test_summary("The sink hands each record to every attached consumer, in "
		       "attach order, and to none after it is detached; times format "
		       "as seconds with 9 decimals.");
	sim_time_format(SIM_SEC(12) + 345, buf, sizeof(buf));
	g_assert_cmpstr(buf, ==, "12.000000345");
	sim_time_format(SIM_TIME_MAX, buf, sizeof(buf));
	g_assert_cmpstr(buf, ==, "18446744073.709551615");
	sim_trace_attach(tr, &c1);
	sim_trace_emit(tr, &rec);
	sim_trace_attach(tr, &c2);
	sim_trace_header(tr, "seed", "1");	/* no header callback: skipped */
	sim_trace_emit(tr, &(struct sim_trace_rec){ .t = 2, .event = "e2" });
	sim_trace_detach(tr, &c1);
	sim_trace_emit(tr, &(struct sim_trace_rec){ .t = 3, .event = "e3" });
	g_assert_cmpstr(first->str, ==, "e1;e2;");
	g_assert_cmpstr(second->str, ==, "e2;e3;");
	sim_trace_emit(NULL, &rec);	/* no sink: nothing */
	sim_trace_free(tr);
	g_string_free(first, TRUE);
	g_string_free(second, TRUE);
}

/* JSON string literals: plain runs copied as is, quotes, backslashes and controls escaped. */
static void test_json_string(void)
{
	GString *s = g_string_new(NULL);

	sim_json_append_string(s, "");
	sim_json_append_string(s, "plain sk#3");
	sim_json_append_string(s, "a\"b\\c\nd\x01");
	sim_json_append_string(s, "\"\"end\\");
	g_assert_cmpstr(s->str, ==,
			"\"\"\"plain sk#3\"\"a\\\"b\\\\c\\u000ad\\u0001\"\"\\\"\\\"end\\\\\"");
	g_string_free(s, TRUE);
}

/* ---- sim_set_prefetch: hints three events ahead, no effect on order ---- */

struct pf_ctx {
	uint8_t *stages;	/* per event: bit s set when stage s was hinted */
	uint32_t *order;	/* run order */
	uint32_t ran;
	uint32_t hinted_late;	/* a hint for an event that had already run */
};

struct pf_ev {
	struct sim_event ev;
	struct pf_ctx *ctx;
	uint32_t idx;
	bool done;
};

static void pf_run(struct sim *sim, struct sim_event *ev)
{
	struct pf_ev *e = container_of(ev, struct pf_ev, ev);

	e->done = true;
	e->ctx->order[e->ctx->ran++] = e->idx;
}

static void pf_hint(const struct sim_event *ev, unsigned int stage)
{
	const struct pf_ev *e = container_of(ev, const struct pf_ev, ev);

	g_assert_cmpuint(stage, <=, 2);
	if (e->done)
		e->ctx->hinted_late++;
	e->ctx->stages[e->idx] |= (uint8_t)(1u << stage);
}

static void pf_other(const struct sim_event *ev, unsigned int stage)
{
	g_assert_not_reached();		/* replaced by pf_hint before the run */
}

static void test_prefetch_hints(Fixture *fx, gconstpointer data)
{
	enum { N = 20000 };
	struct pf_ctx ctx = { g_new0(uint8_t, N), g_new0(uint32_t, N), 0, 0 };
	struct pf_ev *evs = g_new0(struct pf_ev, N);
	uint32_t all = 0;

	sim_set_prefetch(fx->sim, pf_run, pf_other);
	sim_set_prefetch(fx->sim, pf_run, pf_hint);	/* the same function: replaced */
	/* scheduled in reverse, run by time: index order */
	for (uint32_t i = N; i-- > 0;) {
		evs[i] = (struct pf_ev){ .ctx = &ctx, .idx = i };
		sim_event_init(&evs[i].ev, pf_run, "pf");
		sim_event_schedule(fx->sim, &evs[i].ev, 1000 + (sim_time_t)i * 10);
	}
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(ctx.ran, ==, N);
	for (uint32_t i = 0; i < N; i++)
		g_assert_cmpuint(ctx.order[i], ==, i);
	g_assert_cmpuint(ctx.hinted_late, ==, 0);
	/* while many are pending (sim.c: 8192), most events had their three
	 * stages first (not those at the start of a refilled bottom run) */
	for (uint32_t i = 0; i < N; i++)
		if (ctx.stages[i] == 7)
			all++;
	g_assert_cmpuint(all, >=, (N - 8192) * 3 / 4);
	g_assert_cmpuint(ctx.stages[N - 1], ==, 0);	/* small queue: no hints */
	g_free(evs);
	g_free(ctx.stages);
	g_free(ctx.order);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
	ADD("/sim/run-limits", test_run_limits);
	ADD("/sim/schedule-cancel", test_schedule_cancel);
	ADD("/sim/owned-calls", test_owned_calls);
	ADD("/sim/interleaved-identical", test_interleaved);
	ADD("/sim/free-midrun", test_free_midrun);
	ADD("/sim/trace-consumers", test_trace_consumers);
	ADD("/sim/prefetch-hints", test_prefetch_hints);
	g_test_add_func("/sim/json-string", test_json_string);
	return g_test_run();
}
