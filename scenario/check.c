/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks: AST -> plan.  This file drives the passes (settings,
 * hosts, declarations, the rest, then timed lines and expectations) and
 * owns the plan's lifetime; check_*.c check one kind of statement each.
 * Every error points at the offending token and says what was expected.
 */
#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "names.h"
#include "pkt.h"
#include "suggest.h"
#include "vsock.h"
#include "wire_expect.h"

/* `sample interval=` lower bound: `sample interval=1ns` on a 2 MB transfer needed > 4 GB. */

/* An unknown profile name: a version gets the nearest older profile, else
 * the closest spelling. */
static char *profile_hint(const char *name)
{
	int version = kernel_version_parse(name);
	const struct kernel_profile *p = version < 0 ? NULL : kernel_profile_nearest(version);

	if (!p)
		return scn_names_hint(SCN_NAMES_PROFILES, name);
	return g_strdup_printf(" (did you mean '%s', the %s profile?)", p->name,
			       p->version <= version ? "nearest older" : "oldest");
}

static void check_settings(struct checker *c, const struct scn_stmt *st)
{
	const char *kw = st->keyword;

	if (strcmp(kw, "scenario") == 0) {
		const struct scn_value *v = word(c, st, 0, "a title in double quotes");

		if (v && v->kind != SCN_V_STRING)
			FAIL(c, &v->loc, "expected a title in double quotes, found '%s'", v->text);
		else if (v && c->plan->title)
			FAIL(c, &st->kw_loc, "a second 'scenario' line (one title per file)");
		else if (v)
			c->plan->title = g_strdup(v->text);
	} else if (strcmp(kw, "profile") == 0) {
		const struct scn_value *v = word(c, st, 0, "a kernel profile name");

		if (v && !kernel_profile_find(v->text)) {
			g_autofree char *hint = profile_hint(v->text);

			FAIL(c, &v->loc, "unknown kernel profile '%s' (see `socksim list-profiles`)%s",
			     v->text, hint);
		} else if (v) {
			c->plan->profile = kernel_profile_find(v->text);
		}
	} else if (strcmp(kw, "seed") == 0) {
		const struct scn_value *v = word(c, st, 0, "a non-negative integer");

		if (v && (v->kind != SCN_V_INT || v->i < 0))
			FAIL(c, &v->loc, "expected a non-negative integer seed, found '%s'", v->text);
		else if (v)
			c->plan->seed = (uint64_t)v->i;
	} else if (strcmp(kw, "stop") == 0) {
		static const char *const allowed[] = { "at", NULL };
		const struct scn_opt *at = scn_stmt_opt(st, "at");

		no_opts(c, st, allowed);
		no_extra_words(c, st, 0);
		if (!at)
			FAIL(c, &st->kw_loc, "expected 'stop at=TIME' (where the scenario ends)");
		else
			value_time(c, &at->val, &c->plan->stop_at);
	} else if (strcmp(kw, "sample") == 0) {
		static const char *const allowed[] = { "interval", NULL };
		const struct scn_opt *iv = scn_stmt_opt(st, "interval");

		no_opts(c, st, allowed);
		no_extra_words(c, st, 0);
		if (!iv)
			FAIL(c, &st->kw_loc, "expected 'sample interval=TIME' (the results' throughput bucket)");
		else if (value_time(c, &iv->val, &c->plan->sample_interval) &&
			 c->plan->sample_interval < c->plan->limits.v[SCN_LIMIT_SAMPLE_INTERVAL]) {
			/* one bucket per interval and connection is kept */
			g_autofree char *what = g_strdup_printf("the sample interval '%s' (%" G_GUINT64_FORMAT " ns)",
								 iv->val.text, c->plan->sample_interval);
			g_autofree char *msg = scn_limit_exceeded(&c->plan->limits, SCN_LIMIT_SAMPLE_INTERVAL, what);

			FAIL(c, &iv->val.loc, "%s", msg);
		}
	} else if (strcmp(kw, "timers") == 0) {
		static const char *const allowed[] = { "hz", "jiffies", NULL };
		const struct scn_value *v = word(c, st, 0, "'exact' or 'wheel'");
		const struct scn_opt *hz = scn_stmt_opt(st, "hz");
		const struct scn_opt *jz = scn_stmt_opt(st, "jiffies");

		no_opts(c, st, allowed);
		if (!v)
			return;
		if (strcmp(v->text, "exact") == 0)
			c->plan->timer_mode = SIM_TIMERS_EXACT;
		else if (strcmp(v->text, "wheel") == 0)
			c->plan->timer_mode = SIM_TIMERS_WHEEL;
		else
			FAIL(c, &v->loc, "expected 'exact' or 'wheel', found '%s'", v->text);
		if (hz) {
			if (hz->val.kind != SCN_V_INT || hz->val.i < 100 || hz->val.i > 1000)
				FAIL(c, &hz->val.loc, "hz expects an integer in 100..1000 (CONFIG_HZ), found '%s'",
				     hz->val.text);
			else
				c->plan->hz = (unsigned int)hz->val.i;
		}
		if (jz) {
			if (jz->val.kind != SCN_V_INT || jz->val.i < 0)
				FAIL(c, &jz->val.loc, "jiffies expects a non-negative integer, found '%s'", jz->val.text);
			else
				c->plan->jiffies_at_zero = (uint64_t)jz->val.i;
		}
	}
}

static const char *const settings_kw[] = { "scenario", "profile", "seed", "timers", "sample", "stop", NULL };
static const char *const topo_kw[] = { "host", NULL };
static const char *const decl_kw[] = { "link", "route", "sysctl", "process", "param",
					"virtio-vsock", NULL };
static const char *const late_kw[] = { "thread", "sigaction", "lsm", "fault", "qdisc", "expect", NULL };

const char *scn_directive_at(guint i)
{
	const char *const *lists[] = { settings_kw, topo_kw, decl_kw, late_kw };

	for (size_t l = 0; l < G_N_ELEMENTS(lists); l++)
		for (const char *const *k = lists[l]; *k; k++)
			if (i-- == 0)
				return *k;
	return NULL;
}

static bool kw_in(const char *kw, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(*set, kw) == 0)
			return true;
	return false;
}

static void unknown_directive(struct checker *c, const struct scn_stmt *st)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	g_autofree char *hint = NULL;
	g_autofree char *list = NULL;
	const char *kw;

	for (guint i = 0; (kw = scn_directive_at(i)); i++)
		g_ptr_array_add(names, (char *)kw);
	hint = scn_did_you_mean(st->keyword, (const char *const *)names->pdata, names->len);
	list = scn_or_list((const char *const *)names->pdata, names->len);
	FAIL(c, &st->kw_loc, "unknown directive '%s'%s (expected %s; a syscall line starts with a time)",
	     st->keyword, hint, list);
}

static void check_pass(struct checker *c, int pass)
{
	for (guint i = 0; i < c->script->stmts->len && !c->failed; i++) {
		const struct scn_stmt *st = c->script->stmts->pdata[i];
		const char *kw = st->keyword;

		if (st->block == SCN_B_PROGRAM) {	/* its lines, up to its end, are the program's */
			if (pass == 2)
				check_program_decl(c, st);
			else if (pass == 5)
				check_program_body(c, i);
			i = st->match;
			continue;
		}
		if (st->timed) {
			if (pass == 4 && is_start_line(c->plan, st))
				check_start(c, st);
			else if (pass == 5)
				check_timed(c, st);
			continue;
		}
		if (pass == 0 && kw_in(kw, settings_kw))
			check_settings(c, st);
		else if (pass == 1 && strcmp(kw, "host") == 0)
			check_host(c, st);
		else if (pass == 2 && strcmp(kw, "link") == 0)
			check_link(c, st);
		else if (pass == 2 && strcmp(kw, "route") == 0)
			check_route(c, st);
		else if (pass == 2 && strcmp(kw, "process") == 0)
			check_process(c, st);
		else if (pass == 2 && strcmp(kw, "virtio-vsock") == 0)
			check_ok(c, scn_vsock_check_device(st, c->plan, c->error));
		else if (pass == 3 && strcmp(kw, "thread") == 0)
			check_thread(c, st);
		else if (pass == 3 && strcmp(kw, "sysctl") == 0)
			check_sysctl(c, st);
		else if (pass == 3 && strcmp(kw, "sigaction") == 0)
			check_sigaction(c, st);
		else if (pass == 3 && strcmp(kw, "lsm") == 0)
			check_lsm(c, st);
		else if (pass == 3 && strcmp(kw, "fault") == 0)
			check_fault(c, st);
		else if (pass == 3 && strcmp(kw, "qdisc") == 0)
			check_qdisc(c, st);
		else if (pass == 5 && strcmp(kw, "expect") == 0)
			check_expect(c, st);
		else if (pass == 0 && !kw_in(kw, settings_kw) && !kw_in(kw, topo_kw) &&
			 !kw_in(kw, decl_kw) && !kw_in(kw, late_kw))
			unknown_directive(c, st);
	}
}

bool scn_set_is_sysctl(const char *kv)
{
	const char *eq = strchr(kv, '=');
	const char *dot = strchr(kv, '.');

	return dot && (!eq || dot < eq) && !scn_set_is_limit(kv);
}

bool scn_set_is_setting(const char *kv)
{
	return g_str_has_prefix(kv, "profile=") || g_str_has_prefix(kv, "timers=");
}

/* --set profile=NAME / timers=MODE: after the file's settings, before anything depends on them. */
static void apply_settings(struct checker *c, const char *const *sets)
{
	for (; sets && *sets && !c->failed; sets++) {
		const char *val = strchr(*sets, '=') + 1;

		if (!scn_set_is_setting(*sets))
			continue;
		if ((*sets)[0] == 'p' && kernel_profile_find(val)) {
			c->plan->profile = kernel_profile_find(val);
		} else if ((*sets)[0] == 't' && (strcmp(val, "exact") == 0 || strcmp(val, "wheel") == 0)) {
			c->plan->timer_mode = val[0] == 'w' ? SIM_TIMERS_WHEEL : SIM_TIMERS_EXACT;
		} else {
			g_autofree char *hint = (*sets)[0] == 'p' ? profile_hint(val) : g_strdup("");

			g_set_error(c->error, SCN_ERROR, SCN_ERROR_USAGE,
				    "<command line>: error: --set %s: expected %s%s", *sets,
				    (*sets)[0] == 'p' ? "a kernel profile (see `socksim list-profiles`)" : "exact or wheel",
				    hint);
			c->failed = true;
		}
	}
}

static void apply_sets(struct checker *c, const char *const *sets)
{
	static const struct scn_loc cmdline = { "<command line>", 0, 0 };

	for (; sets && *sets && !c->failed; sets++) {
		const char *eq = strchr(*sets, '=');
		g_autofree char *key = NULL;

		if (!scn_set_is_sysctl(*sets))
			continue;
		if (!eq) {
			g_set_error(c->error, SCN_ERROR, SCN_ERROR_USAGE,
				    "<command line>: error: --set '%s' needs KEY=VALUE", *sets);
			c->failed = true;
			return;
		}
		key = g_strndup(*sets, (gsize)(eq - *sets));
		{
			g_autoptr(GError) err = NULL;
			int host;

			if (!resolve_sysctl(c->plan, key, &host, &err)) {
				g_set_error(c->error, SCN_ERROR, SCN_ERROR_USAGE,
					    "<command line>: error: --set %s: %s", *sets, err->message);
				c->failed = true;
				return;
			}
		}
		add_sysctl(c, key, g_strdup(eq + 1), &cmdline);
		if (c->failed && c->error && *c->error)
			(*c->error)->code = SCN_ERROR_USAGE;
	}
}

static void plan_step_free(struct plan_step *s)
{
	for (int i = 0; i < PLAN_MAX_ARGS; i++)
		g_free(s->args[i].var);
	g_free(s->desc);
	g_free(s->assign);
	g_free(s->exp_text);
	if (s->exp_tcpi)
		g_array_free(s->exp_tcpi, TRUE);
	if (s->poll_fds) {
		for (guint i = 0; i < s->poll_fds->len; i++)
			g_free(g_array_index(s->poll_fds, struct plan_arg, i).var);
		g_array_free(s->poll_fds, TRUE);
	}
	if (s->exp_events) {
		for (guint i = 0; i < s->exp_events->len; i++)
			g_free(g_array_index(s->exp_events, struct plan_event_check, i).fd.var);
		g_array_free(s->exp_events, TRUE);
	}
	g_free(s);
}

static void plan_expect_free(struct plan_expect *e)
{
	g_array_free(e->states, TRUE);
	g_free(e->var);
	g_free(e->counter);
	g_free(e->text);
	g_free(e);
}

static void plan_named_free(void *p)
{
	/* plan_host / plan_proc: the name is the first member */
	g_free(*(char **)p);
	g_free(p);
}

static void plan_sysctl_free(struct plan_sysctl *s)
{
	g_free(s->value);
	g_free(s);
}

static void plan_fault_free(struct plan_fault *f)
{
	g_free(f->label);
	g_free(f);
}

static void plan_lsm_free(struct plan_lsm *l)
{
	g_free(l->call);
	g_free(l);
}

void scn_plan_free(struct scn_plan *p)
{
	if (!p)
		return;
	g_hash_table_unref(p->host_index);
	g_hash_table_unref(p->host_addrs);
	g_hash_table_unref(p->proc_index);
	g_ptr_array_free(p->hosts, TRUE);
	g_ptr_array_free(p->links, TRUE);
	g_ptr_array_free(p->routes, TRUE);
	g_ptr_array_free(p->sysctls, TRUE);
	g_ptr_array_free(p->faults, TRUE);
	g_ptr_array_free(p->lsm, TRUE);
	g_ptr_array_free(p->procs, TRUE);
	g_ptr_array_free(p->steps, TRUE);
	g_ptr_array_free(p->signals, TRUE);
	g_ptr_array_free(p->expects, TRUE);
	g_ptr_array_free(p->injects, TRUE);
	g_ptr_array_free(p->qdiscs, TRUE);
	g_ptr_array_free(p->params, TRUE);
	g_ptr_array_free(p->programs, TRUE);
	g_ptr_array_free(p->starts, TRUE);
	scn_vsock_plan_free(p);
	scn_wire_plan_free(p->wire);
	if (p->pkt)
		scn_pkt_timing_free(p->pkt);
	g_free(p->path);
	g_free(p->title);
	g_free(p);
}

struct scn_plan *scn_check(const struct scn_script *script, const char *const *sets,
			   GError **error)
{
	struct scn_plan *p = g_new0(struct scn_plan, 1);
	struct checker c = { .script = script, .plan = p, .error = error };
	struct scn_loc top = { script->path, 1, 1 };

	p->path = g_strdup(script->path);
	p->title = NULL;
	p->profile = kernel_profile_default();
	p->seed = 1;
	p->timer_mode = SIM_TIMERS_EXACT;
	p->hz = 250;
	p->sample_interval = SIM_MSEC(100);
	p->hosts = g_ptr_array_new_with_free_func(plan_named_free);
	p->host_index = g_hash_table_new(g_str_hash, g_str_equal);
	p->host_addrs = g_hash_table_new(g_direct_hash, g_direct_equal);
	p->proc_index = g_hash_table_new(g_str_hash, g_str_equal);
	p->links = g_ptr_array_new_with_free_func(g_free);
	p->routes = g_ptr_array_new_with_free_func(g_free);
	p->sysctls = g_ptr_array_new_with_free_func((GDestroyNotify)plan_sysctl_free);
	p->faults = g_ptr_array_new_with_free_func((GDestroyNotify)plan_fault_free);
	p->lsm = g_ptr_array_new_with_free_func((GDestroyNotify)plan_lsm_free);
	p->procs = g_ptr_array_new_with_free_func(plan_named_free);
	p->steps = g_ptr_array_new_with_free_func((GDestroyNotify)plan_step_free);
	p->signals = g_ptr_array_new_with_free_func(g_free);
	p->expects = g_ptr_array_new_with_free_func((GDestroyNotify)plan_expect_free);
	p->injects = g_ptr_array_new_with_free_func(g_free);
	p->qdiscs = g_ptr_array_new_with_free_func(g_free);
	p->params = g_ptr_array_new_with_free_func(g_free);
	p->programs = g_ptr_array_new_with_free_func((GDestroyNotify)plan_program_free);
	p->starts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < script->params->len; i++) {
		const struct scn_param *prm = script->params->pdata[i];

		g_ptr_array_add(p->params, g_strdup_printf("%s=%s", prm->name, prm->val.text));
	}
	if (!scn_limits_from_sets(&p->limits, sets, error)) {
		scn_plan_free(p);
		return NULL;
	}
	c.assigned = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < script->params->len; i++)
		if (!check_count_limit(&c, &((const struct scn_param *)script->params->pdata[i])->loc,
				       SCN_LIMIT_PARAMS, i, "the number of params"))
			break;
	c.started = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < script->stmts->len; i++) {	/* programs that start lines name: templates */
		const struct scn_stmt *st = script->stmts->pdata[i];

		if (st->timed && st->block == SCN_B_NONE && strcmp(st->keyword, "start") == 0 &&
		    st->words->len && ((const struct scn_value *)st->words->pdata[0])->kind == SCN_V_IDENT)
			g_hash_table_add(c.started, ((const struct scn_value *)st->words->pdata[0])->text);
	}
	for (int pass = 0; pass <= 5 && !c.failed; pass++) {
		check_pass(&c, pass);
		if (pass == 0 && !c.failed)
			apply_settings(&c, sets);
		if (pass == 3 && !c.failed)
			apply_sets(&c, sets);
	}
	if (!c.failed && p->hosts->len == 0)
		FAIL(&c, &top, "a scenario needs at least one 'host'");
	g_ptr_array_free(c.assigned, TRUE);
	g_hash_table_unref(c.started);
	if (c.failed) {
		scn_plan_free(p);
		return NULL;
	}
	if (script->pkt)	/* the runner times a .pkt script's events as packetdrill does */
		p->pkt = scn_pkt_timing_copy(script->pkt);
	return p;
}
