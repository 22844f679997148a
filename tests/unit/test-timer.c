/* SPDX-License-Identifier: MIT */
/*
 * Kernel-shaped timers (sim/timer.c): mod/delete return values, fresh seq on
 * re-arm, expiry clamping, and the timer-wheel rounding checked against the
 * wheel's specification (an oracle written from the facts sheet) and against
 * worked examples of TCP SYN back-off.
 */
#include <glib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/timer.h"

#define MS(x) SIM_MSEC(x)
#define US(x) SIM_USEC(x)

struct ttimer {
	struct sim_timer timer;
	struct Fixture *fx;
	int id;
	/* back-off schedule for the re-arming tests */
	const unsigned int *rto_ms;
	size_t nrto;
	size_t fired;
};

typedef struct Fixture {
	struct sim *sim;
	struct ttimer t[4];
	GArray *log;		/* (id, time) pairs, as sim_time_t */
} Fixture;

static void fx_setup(Fixture *fx, gconstpointer data)
{
	struct sim_config cfg;

	memset(fx, 0, sizeof(*fx));
	sim_config_init(&cfg);
	fx->sim = sim_new(&cfg);
	fx->log = g_array_new(FALSE, FALSE, sizeof(sim_time_t));
}

static void fx_teardown(Fixture *fx, gconstpointer data)
{
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
	sim_free(fx->sim);
	g_array_unref(fx->log);
}

/* Replace the fixture's (idle) simulation with a fresh one. */
static void fx_mode(Fixture *fx, enum sim_timer_mode mode, unsigned int hz,
		    uint64_t jiffies_at_zero)
{
	struct sim_config cfg;

	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
	sim_free(fx->sim);
	sim_config_init(&cfg);
	cfg.timer_mode = mode;
	cfg.hz = hz;
	cfg.jiffies_at_zero = jiffies_at_zero;
	fx->sim = sim_new(&cfg);
}

static void fx_wheel(Fixture *fx, unsigned int hz, uint64_t jiffies_at_zero)
{
	fx_mode(fx, SIM_TIMERS_WHEEL, hz, jiffies_at_zero);
}

static void log_fire(struct sim_timer *tm)
{
	struct ttimer *t = container_of(tm, struct ttimer, timer);
	sim_time_t rec[2] = { (sim_time_t)t->id, sim_now(t->timer.sim) };

	g_assert_false(sim_timer_pending(tm));
	g_array_append_vals(t->fx->log, rec, 2);
}

static void setup_timers(Fixture *fx, sim_timer_fn fn)
{
	for (int i = 0; i < 4; i++) {
		fx->t[i] = (struct ttimer){ .fx = fx, .id = i };
		sim_timer_setup(fx->sim, &fx->t[i].timer, fn, "test-timer");
	}
}

static sim_time_t log_at(Fixture *fx, guint i, int *id)
{
	g_assert_cmpuint(2 * i + 1, <, fx->log->len);
	*id = (int)g_array_index(fx->log, sim_time_t, 2 * i);
	return g_array_index(fx->log, sim_time_t, 2 * i + 1);
}

static void test_mod_delete_pending(Fixture *fx, gconstpointer data)
{
	struct sim_timer *t = &fx->t[0].timer;
	int id;

	g_test_summary("sim_mod_timer() and sim_timer_delete() return whether "
		       "the timer was pending, like mod_timer()/timer_delete().");
	setup_timers(fx, log_fire);
	g_assert_false(sim_timer_pending(t));
	g_assert_false(sim_timer_delete(t));
	g_assert_false(sim_mod_timer(t, MS(10)));
	g_assert_true(sim_timer_pending(t));
	g_assert_cmpuint(sim_timer_expires(t), ==, MS(10));
	g_assert_true(sim_mod_timer(t, MS(20)));	/* re-arm */
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 1);
	g_assert_true(sim_timer_delete(t));
	g_assert_false(sim_timer_delete(t));
	g_assert_false(sim_timer_pending(t));
	g_assert_cmpuint(sim_events_pending(fx->sim), ==, 0);
	g_assert_false(sim_mod_timer(t, MS(30)));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(fx->log->len, ==, 2);
	g_assert_cmpuint(log_at(fx, 0, &id), ==, MS(30));
	g_assert_false(sim_timer_pending(t));
	g_assert_false(sim_timer_delete(t));		/* already fired */
	/* An expiry in the past fires now (exact mode). */
	g_assert_false(sim_mod_timer(t, MS(1)));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(log_at(fx, 1, &id), ==, MS(30));
	g_assert_cmpuint(sim_timer_expires(t), ==, MS(1));
}

static void test_rearm_fresh_seq(Fixture *fx, gconstpointer data)
{
	int id;

	g_test_summary("Equal expiries fire in arming order, and a re-arm to the "
		       "same expiry takes a fresh seq, moving the timer last.");
	setup_timers(fx, log_fire);
	g_assert_false(sim_mod_timer(&fx->t[0].timer, MS(5)));
	g_assert_false(sim_mod_timer(&fx->t[1].timer, MS(5)));
	g_assert_false(sim_mod_timer(&fx->t[2].timer, MS(5)));
	g_assert_true(sim_mod_timer(&fx->t[0].timer, MS(5)));	/* same time, re-armed */
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(fx->log->len, ==, 6);
	g_assert_cmpuint(log_at(fx, 0, &id), ==, MS(5));
	g_assert_cmpint(id, ==, 1);
	log_at(fx, 1, &id);
	g_assert_cmpint(id, ==, 2);
	log_at(fx, 2, &id);
	g_assert_cmpint(id, ==, 0);
}

static void test_overflow_clamp(Fixture *fx, gconstpointer data)
{
	int id;

	g_test_summary("sim_time_add() clamps at SIM_TIME_MAX; a timer armed "
		       "that far never fires: the run stops at the end of simulated "
		       "time, SIM_TIME_END (exact); the wheel fires it at its "
		       "capacity limit (wheel).");
	g_assert_cmpuint(sim_time_add(1, 2), ==, 3);
	g_assert_cmpuint(sim_time_add(SIM_TIME_MAX - 5, 5), ==, SIM_TIME_MAX);
	g_assert_cmpuint(sim_time_add(SIM_TIME_MAX - 5, 10), ==, SIM_TIME_MAX);
	g_assert_cmpuint(sim_time_add(SIM_TIME_MAX, SIM_TIME_MAX), ==, SIM_TIME_MAX);
	g_assert_cmpuint(sim_time_add(0, SIM_TIME_MAX), ==, SIM_TIME_MAX);
	g_assert_cmpuint(sim_time_add(SIM_TIME_MAX, 0), ==, SIM_TIME_MAX);

	setup_timers(fx, log_fire);
	g_assert_false(sim_mod_timer(&fx->t[0].timer, sim_time_add(MS(1), SIM_TIME_MAX)));
	g_assert_false(sim_mod_timer(&fx->t[1].timer, MS(1)));
	g_assert_cmpuint(sim_timer_expires(&fx->t[0].timer), ==, SIM_TIME_MAX);
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_UNTIL);
	g_assert_cmpuint(fx->log->len, ==, 2);	/* (time, id) of one firing */
	g_assert_cmpuint(log_at(fx, 0, &id), ==, MS(1));
	g_assert_cmpint(id, ==, 1);
	g_assert_true(sim_timer_pending(&fx->t[0].timer));
	g_assert_cmpuint(sim_now(fx->sim), <=, SIM_TIME_END);
	g_assert_true(sim_timer_delete(&fx->t[0].timer));

	/*
	 * HZ=1000: WHEEL_TIMEOUT_MAX = LVL_START(9) - LVL_GRAN(8) jiffies; from
	 * clk 0 the last level rounds (0 + MAX) up to 63 << 24 jiffies.
	 */
	fx_wheel(fx, 1000, 0);
	setup_timers(fx, log_fire);
	g_assert_false(sim_mod_timer(&fx->t[0].timer, SIM_TIME_MAX));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(log_at(fx, 1, &id), ==, (UINT64_C(63) << 24) * MS(1));
	g_assert_cmpuint(sim_wheel_fire_time(1000, 0, SIM_TIME_MAX - 1, SIM_TIME_MAX),
			 ==, SIM_TIME_MAX);
}

/* ---- the wheel --------------------------------------------------------- */

/* Re-arms itself at now + the next RTO of its schedule until it runs out. */
static void backoff_fire(struct sim_timer *tm)
{
	struct ttimer *t = container_of(tm, struct ttimer, timer);
	sim_time_t rec[2] = { (sim_time_t)t->id, sim_now(tm->sim) };

	g_array_append_vals(t->fx->log, rec, 2);
	if (++t->fired < t->nrto)
		g_assert_false(sim_mod_timer(tm, sim_now(tm->sim) + MS(t->rto_ms[t->fired])));
}

static void check_backoff(Fixture *fx, const unsigned int *rto_ms, size_t n,
			  const sim_time_t *want)
{
	struct ttimer *t = &fx->t[0];
	int id;

	setup_timers(fx, backoff_fire);
	t->rto_ms = rto_ms;
	t->nrto = n;
	g_assert_false(sim_mod_timer(&t->timer, MS(rto_ms[0])));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(fx->log->len, ==, 2 * n);
	for (size_t i = 0; i < n; i++)
		g_assert_cmpuint(log_at(fx, (guint)i, &id), ==, want[i]);
}

static void test_wheel_syn_doubling(Fixture *fx, gconstpointer data)
{
	static const unsigned int rto[] = { 1000, 2000, 4000, 8000, 16000, 32000, 64000 };
	static const sim_time_t want[] = {
		MS(1024), MS(3072), MS(7104), MS(15360), MS(31744), MS(64000), MS(131072),
	};

	g_test_summary("HZ=1000: a SYN timer with RTO 1 s doubling, re-armed at "
		       "each actual expiry, fires at 1.024 3.072 7.104 15.360 "
		       "31.744 64.000 and 131.072 s.");
	fx_wheel(fx, 1000, 0);
	check_backoff(fx, rto, G_N_ELEMENTS(rto), want);
}

static void test_wheel_syn_linear(Fixture *fx, gconstpointer data)
{
	static const unsigned int rto[] = {
		1000, 1000, 1000, 1000, 1000, 2000, 4000, 8000, 16000, 32000, 64000,
	};
	static const sim_time_t want[] = {
		MS(1024), MS(2048), MS(3072), MS(4096), MS(5120), MS(7168),
		MS(11200), MS(19456), MS(35840), MS(68096), MS(135168),
	};

	g_test_summary("HZ=1000: the 6.x linear SYN schedule (1 s five times, "
		       "then doubling) fires at 1.024 2.048 3.072 4.096 5.120 "
		       "7.168 11.200 19.456 35.840 68.096 and 135.168 s.");
	fx_wheel(fx, 1000, 0);
	check_backoff(fx, rto, G_N_ELEMENTS(rto), want);
}

static void test_wheel_hz250_levels(Fixture *fx, gconstpointer data)
{
	static const struct {
		sim_time_t delay, gran, first;	/* first: firing time armed at 0 */
	} lv[] = {
		{ MS(200), MS(4), MS(204) },	/* 50 jiffies: level 0 */
		{ MS(1000), MS(32), MS(1024) },	/* 250: level 1 */
		{ MS(2000), MS(32), MS(2016) },	/* 500: level 1 */
		{ MS(3000), MS(256), MS(3072) },	/* 750: level 2 */
		{ MS(4000), MS(256), MS(4096) },	/* 1000: level 2 */
	};

	g_test_summary("HZ=250: 200 ms lands in level 0 (4 ms granularity), "
		       "1 s and 2 s in level 1 (32 ms), 3 s and 4 s in level 2 "
		       "(256 ms), from any arming jiffy.");
	for (size_t i = 0; i < G_N_ELEMENTS(lv); i++) {
		g_assert_cmpuint(sim_wheel_fire_time(250, 0, 0, lv[i].delay), ==, lv[i].first);
		for (uint64_t j = 0; j < 600; j += 7) {
			sim_time_t now = j * MS(4);
			sim_time_t exp = now + lv[i].delay;
			sim_time_t fire = sim_wheel_fire_time(250, 0, now, exp);

			/* A multiple of the level's granularity, never early, < 1 gran late. */
			g_assert_cmpuint(fire % lv[i].gran, ==, 0);
			g_assert_cmpuint(fire, >, exp);
			g_assert_cmpuint(fire - exp, <=, lv[i].gran);
		}
	}
}

static void test_wheel_expires_kept(Fixture *fx, gconstpointer data)
{
	int id;

	g_test_summary("In wheel mode sim_timer_expires() reports the requested "
		       "expiry while the event fires at the rounded time.");
	fx_wheel(fx, 1000, 0);
	setup_timers(fx, log_fire);
	g_assert_false(sim_mod_timer(&fx->t[0].timer, MS(1000)));
	g_assert_cmpuint(sim_timer_expires(&fx->t[0].timer), ==, MS(1000));
	g_assert_cmpuint(fx->t[0].timer.ev.time, ==, MS(1024));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(log_at(fx, 0, &id), ==, MS(1024));
	g_assert_cmpuint(sim_timer_expires(&fx->t[0].timer), ==, MS(1000));
	/* Exact mode, for contrast: fires at the expiry itself. */
	fx_mode(fx, SIM_TIMERS_EXACT, 1000, 0);
	setup_timers(fx, log_fire);
	g_assert_false(sim_mod_timer(&fx->t[0].timer, MS(1000)));
	g_assert_cmpint(sim_run(fx->sim), ==, SIM_RUN_IDLE);
	g_assert_cmpuint(log_at(fx, 1, &id), ==, MS(1000));
}

/*
 * Oracle, written from the wheel's specification (kernel/time/timer.c's
 * header comment; docs/models.md, timer wheel) rather than from the kernel's code: levels of 64 buckets, level n
 * covering deltas below 63 * 8^n jiffies with a granularity of 8^n jiffies;
 * a timer runs at the first multiple of its level's granularity strictly
 * after its expiry; an already-due timer runs at the next tick; a delta
 * beyond the last level is clamped to the wheel's maximum.
 */
static uint64_t spec_granularity(unsigned int level)
{
	uint64_t g = 1;

	while (level--)
		g *= 8;
	return g;
}

static uint64_t spec_level_limit(unsigned int level)
{
	return 63 * spec_granularity(level);	/* deltas below this fit level <= @level */
}

static uint64_t spec_bucket_expiry(unsigned int hz, uint64_t expires, uint64_t clk)
{
	unsigned int levels = hz > 100 ? 9 : 8;
	uint64_t delta = expires - clk;
	unsigned int level = 0;
	uint64_t g;

	if ((int64_t)delta < 0)
		return clk;
	while (level + 1 < levels && delta >= spec_level_limit(level))
		level++;
	if (level == levels - 1 && delta >= spec_level_limit(level))
		expires = clk + spec_level_limit(level) - spec_granularity(level);
	g = spec_granularity(level);
	return (expires / g + 1) * g;
}

static void test_wheel_oracle(Fixture *fx, gconstpointer data)
{
	static const unsigned int hzs[] = { 100, 250, 300, 1000 };
	struct sim_rng rng;

	g_test_summary("sim_wheel_fire_time() equals the wheel's specified "
		       "bucket expiry for random arming times, "
		       "delays of every magnitude and several HZ and initial "
		       "jiffies (including a counter that wraps).");
	sim_rng_init(&rng, 1, "wheel-oracle");
	for (int i = 0; i < 200000; i++) {
		unsigned int hz = hzs[sim_rng_below(&rng, G_N_ELEMENTS(hzs))];
		uint64_t j0;
		uint64_t now_j = sim_rng_below(&rng, UINT64_C(1) << 36);
		sim_time_t now, delay, fire;
		unsigned long clk, expires_j, want_j;

		switch (sim_rng_below(&rng, 4)) {
		case 0:
			j0 = 0;
			break;
		case 1:
			j0 = UINT64_C(4294967296) - 300 * hz;	/* INITIAL_JIFFIES */
			break;
		case 2:		/* the clock reads just below 2^64 and wraps */
			j0 = 0 - now_j - 1 - sim_rng_below(&rng, 100000);
			break;
		default:
			j0 = sim_rng_u64(&rng);
			break;
		}
		/* anywhere within jiffy now_j */
		now = (sim_time_t)(((unsigned __int128)now_j * 1000000000u + hz - 1) / hz)
		      + sim_rng_below(&rng, 1000000000u / hz);
		delay = sim_rng_below(&rng, 4) ?
			sim_rng_below(&rng, UINT64_C(1) << sim_rng_below(&rng, 50)) :
			sim_rng_below(&rng, UINT64_C(1) << 62);
		fire = sim_wheel_fire_time(hz, j0, now, now + delay);

		clk = j0 + (unsigned long)(((unsigned __int128)now * hz) / 1000000000u);
		expires_j = clk + (unsigned long)(((unsigned __int128)delay * hz + 999999999u) /
						  1000000000u);
		want_j = spec_bucket_expiry(hz, expires_j, clk);
		g_assert_cmpuint(fire, ==, (sim_time_t)(((unsigned __int128)(want_j - j0) *
							  1000000000u + hz - 1) / hz));
		/* never early, unless capped at the wheel's capacity */
		g_assert_cmpuint(fire, >, now);
		if (delay < UINT64_C(1000000000000000))
			g_assert_cmpuint(fire, >, now + delay);
	}
}

static void test_jiffies(Fixture *fx, gconstpointer data)
{
	static const unsigned int hzs[] = { 100, 250, 300, 1000 };

	g_test_summary("sim_jiffies() counts from jiffies_at_zero and "
		       "sim_jiffies_to_ns() rounds so that ns -> jiffies is exact "
		       "on the way back, for any HZ.");
	for (size_t h = 0; h < G_N_ELEMENTS(hzs); h++) {
		fx_wheel(fx, hzs[h], 1000);
		g_assert_cmpuint(sim_jiffies(fx->sim), ==, 1000);
		for (uint64_t j = 0; j < 5000; j += 3) {
			sim_time_t ns = sim_jiffies_to_ns(fx->sim, j);

			g_assert_cmpuint((uint64_t)(((unsigned __int128)ns * hzs[h]) / 1000000000u), ==, j);
			if (ns)
				g_assert_cmpuint((uint64_t)(((unsigned __int128)(ns - 1) * hzs[h]) / 1000000000u), ==, j - 1);
		}
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
	ADD("/timer/mod-delete-pending", test_mod_delete_pending);
	ADD("/timer/rearm-fresh-seq", test_rearm_fresh_seq);
	ADD("/timer/overflow-clamp", test_overflow_clamp);
	ADD("/timer/wheel/syn-doubling-hz1000", test_wheel_syn_doubling);
	ADD("/timer/wheel/syn-linear-hz1000", test_wheel_syn_linear);
	ADD("/timer/wheel/hz250-levels", test_wheel_hz250_levels);
	ADD("/timer/wheel/expires-kept", test_wheel_expires_kept);
	ADD("/timer/wheel/spec-oracle", test_wheel_oracle);
	ADD("/timer/jiffies", test_jiffies);
	return g_test_run();
}
