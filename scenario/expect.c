/* SPDX-License-Identifier: MIT */
/* Evaluating a run against the scenario's expectations. */
#include <string.h>

#include "env/world.h"
#include "linux/errno_names.h"
#include "run_private.h"
#include "uapi/linux/eventpoll.h"
#include "sim/trace.h"
#include "vsock.h"
#include "wire_expect.h"

static char *fmt_time(sim_time_t t)
{
	char buf[32];

	sim_time_format(t, buf, sizeof(buf));
	return g_strdup_printf("%ss", buf);
}

static char *fmt_ret(long ret)
{
	if (ret < 0)
		return g_strdup_printf("-1 %s", sim_errno_name((int)-ret));
	return g_strdup_printf("%ld", ret);
}

/* "the process was killed at T by SIGx" */
static void append_killed_at(GString *s, sim_time_t t, int sig)
{
	g_autofree char *at = fmt_time(t);

	g_string_append_printf(s, "the process was killed at %s by %s", at, signal_name(sig));
}

static void append_killed(GString *s, const struct proc_rt *p)
{
	append_killed_at(s, p->killed_at, p->killed_by);
}

/* The first call of line @step, or NULL (struct step_recs keeps it). */
static const struct sys_rec *find_rec(const struct scn_run *r, int step)
{
	int first = r->step_recs[step].first;

	return first >= 0 ? &g_array_index(r->syscalls, struct sys_rec, first) : NULL;
}

static bool flags_text(int64_t v, GString *s)
{
	static const struct { int64_t bit; const char *name; } bits[] = {
		{ 0x001, "POLLIN" }, { 0x002, "POLLPRI" }, { 0x004, "POLLOUT" }, { 0x008, "POLLERR" },
		{ 0x010, "POLLHUP" }, { 0x020, "POLLNVAL" }, { 0x040, "POLLRDNORM" },
		{ 0x080, "POLLRDBAND" }, { 0x100, "POLLWRNORM" }, { 0x200, "POLLWRBAND" },
		{ 0x2000, "POLLRDHUP" },
	};
	bool any = false;

	for (size_t i = 0; i < G_N_ELEMENTS(bits); i++)
		if (v & bits[i].bit) {
			g_string_append_printf(s, "%s%s", any ? "|" : "", bits[i].name);
			any = true;
		}
	if (!any)
		g_string_append(s, "0");
	return any;
}

static bool eval_rec(const struct scn_run *r, const struct plan_step *st, const struct sys_rec *rec,
		     GString *act);

/* "c:EPOLLIN ..." style text of @events (epoll_wait) or "POLLIN 0 ..." (poll). */
static void events_text(const GArray *events, bool epoll, GString *s)
{
	for (guint i = 0; events && i < events->len; i++) {
		const struct epoll_event *e = &g_array_index(events, struct epoll_event, i);
		GString *f = g_string_new(NULL);

		flags_text(e->events, f);
		if (i)
			g_string_append_c(s, ' ');
		if (epoll) {
			/* the poll names with an E: EPOLLIN == POLLIN */
			g_string_append_printf(s, "%" G_GINT64_FORMAT ":", (int64_t)e->data);
			if (strcmp(f->str, "0") == 0) {
				g_string_append(s, "0");
			} else {
				g_auto(GStrv) parts = g_strsplit(f->str, "|", -1);

				for (char **q = parts; *q; q++)
					g_string_append_printf(s, "%sE%s", q == parts ? "" : "|", *q);
			}
		} else {
			g_string_append(s, f->str);
		}
		g_string_free(f, TRUE);
	}
}

/* events= of epoll_wait, revents="..." of poll: the same entries in the same order. */
static bool eval_events(const struct plan_step *st, const struct sys_rec *rec, GString *act)
{
	bool epoll = strcmp(st->call, "epoll_wait") == 0;
	guint n = rec->events ? rec->events->len : 0;
	bool ok = n == st->exp_events->len;

	for (guint i = 0; ok && i < n; i++) {
		const struct epoll_event *e = &g_array_index(rec->events, struct epoll_event, i);
		const struct plan_event_check *chk = &g_array_index(st->exp_events, struct plan_event_check, i);

		ok = (int64_t)e->events == chk->events && (!epoll || (rec->exp_fds && (int64_t)e->data == rec->exp_fds[i]));
	}
	g_string_append_printf(act, " %s=\"", epoll ? "events" : "revents");
	events_text(rec->events, epoll, act);
	g_string_append_c(act, '"');
	return ok;
}

/*
 * A line's expected result, without "= ".  A .pkt call's return time is
 * worked out as the run goes (scenario/pkt_run.c): "@ T ~ TOL" shows that.
 */
static void append_exp_text(GString *exp, const struct plan_step *st, const struct sys_rec *rec)
{
	const char *at = strstr(st->exp_text, " @ ");
	const char *rest;

	if (!rec || !rec->has_want || !at || (rec->want_at == st->at && rec->want_tol == st->tol)) {
		g_string_append(exp, st->exp_text + 2);
		return;
	}
	rest = strchr(at + 3, ' ');		/* the time */
	rest = rest && rest[1] == '~' ? strchr(rest + 3, ' ') : rest;	/* its tolerance */
	g_string_append_len(exp, st->exp_text + 2, at - st->exp_text - 2);
	{
		g_autofree char *t = fmt_time(rec->want_at);
		g_autofree char *tol = fmt_time(rec->want_tol);

		g_string_append_printf(exp, " @ %s ~ %s", t, tol);
	}
	if (rest)
		g_string_append(exp, rest);
}

/* One syscall line: returns pass, fills expected/actual texts. */
static bool eval_step(const struct scn_run *r, int si, GString *exp, GString *act)
{
	const struct plan_step *st = r->plan->steps->pdata[si];
	const struct sys_rec *rec = find_rec(r, si);

	append_exp_text(exp, st, rec);
	if (!rec && proc_at(r, st->proc)->killed_by) {
		g_string_append(act, "skipped: ");
		append_killed(act, proc_at(r, st->proc));
		return false;
	}
	if (!rec) {
		g_string_append(act, "never issued (the process was blocked earlier)");
		return false;
	}
	return eval_rec(r, st, rec, act);
}

/* A program line: every call of it must match; the first that did not is shown. */
static bool eval_prog_step(const struct scn_run *r, int si, const struct step_recs *ps,
			   GString *exp, GString *act)
{
	const struct plan_step *st = r->plan->steps->pdata[si];
	int shown = ps->first_failed >= 0 ? ps->first_failed : ps->first;
	const struct sys_rec *rec;

	g_string_append(exp, st->exp_text + 2);
	if (!ps->calls && st->proc >= 0 && proc_at(r, st->proc)->killed_by) {
		g_string_append(act, "skipped: ");
		append_killed(act, proc_at(r, st->proc));
		return false;
	}
	if (!ps->calls) {
		g_string_append(act, "never issued (no instance reached the line)");
		return false;
	}
	rec = &g_array_index(r->syscalls, struct sys_rec, shown);
	eval_rec(r, st, rec, act);
	if (ps->calls == 1 && st->proc >= 0)
		return ps->failed == 0;	/* one call of one process: as a line outside a program */
	if (ps->failed)
		g_string_append_printf(act, " (%s; %u of %u calls failed)", proc_ident_at(r, rec->proc)->comm,
				       ps->failed, ps->calls);
	else if (ps->calls > 1)
		g_string_append_printf(act, " (%s; all %u calls)", proc_ident_at(r, rec->proc)->comm, ps->calls);
	return ps->failed == 0;
}

/* One call of a line: does it match the line's expected result?  Fills @act. */
static bool eval_rec(const struct scn_run *r, const struct plan_step *st, const struct sys_rec *rec,
		     GString *act)
{
	bool ok = true;
	sim_time_t want_at = 0;

	if (rec->outcome == REC_KILLED) {
		g_string_append(act, "did not return: ");
		append_killed_at(act, rec->t_return, (int)rec->ret);	/* its process may be released */
		return false;
	}
	if (rec->outcome == REC_PENDING) {
		g_autofree char *since = fmt_time(rec->t_call);

		g_string_append_printf(act, "still blocked at the end of the run (called at %s)", since);
		return false;
	}
	{
		g_autofree char *rt = fmt_ret(rec->ret);

		g_string_append(act, rt);
	}
	if (rec->ret < 0)
		ok &= st->ret == -1 && st->err == (int)-rec->ret;
	else
		ok &= st->ret == rec->ret && st->err == 0;
	if (st->exp_at) {
		g_autofree char *t = fmt_time(rec->t_return);
		sim_time_t diff;

		want_at = rec->has_want ? rec->want_at : st->at_relative ? rec->t_call + st->at : st->at;
		diff = rec->t_return > want_at ? rec->t_return - want_at : want_at - rec->t_return;
		ok &= diff <= (rec->has_want ? rec->want_tol : st->tol);
		g_string_append_printf(act, " @ %s", t);
		if (st->at_relative) {
			g_autofree char *rel = fmt_time(rec->t_return - rec->t_call);

			g_string_append_printf(act, " (+%s)", rel);
		}
	}
	if (st->exp_val) {
		ok &= rec->has_out && rec->out == st->val;
		g_string_append_printf(act, " %s=%s", strcmp(st->call, "recvmsg") == 0 ? "inq" : "val", rec->has_out ?
				       (sim_errno_name((int)rec->out) && rec->out ?
					sim_errno_name((int)rec->out) : "") : "none");
		if (rec->has_out && !(sim_errno_name((int)rec->out) && rec->out))
			g_string_append_printf(act, "%" G_GINT64_FORMAT, rec->out);
	}
	for (guint i = 0; st->exp_tcpi && i < st->exp_tcpi->len; i++) {
		const struct plan_tcpi_check *chk = &g_array_index(st->exp_tcpi, struct plan_tcpi_check, i);
		int64_t got = rec->tcp_info ? (int64_t)rec->tcp_info->v[chk->field] : -1;

		ok &= chk->ne ? got != chk->lo : got >= chk->lo && got <= chk->hi;
		g_string_append_printf(act, " %s=%" G_GINT64_FORMAT, tcp_info_field_names[chk->field], got);
	}
	if (st->exp_addr) {
		g_autofree char *got = rec->has_addr ? sockaddr_text(&rec->addr) : g_strdup("none");

		ok &= rec->has_addr && rec->addr.family == st->addr.family && rec->addr.port == st->addr.port &&
		      (st->addr.family == AF_INET6 ?
		       ipv6_addr_equal(&rec->addr.sin6_addr, &st->addr.sin6_addr) : rec->addr.addr == st->addr.addr);
		g_string_append_printf(act, " addr=%s", got);
	}
	if (st->exp_revents) {
		ok &= rec->has_out && rec->out == st->revents;
		g_string_append(act, " revents=");
		flags_text(rec->has_out ? rec->out : 0, act);
	}
	if (st->exp_events)
		ok &= eval_events(st, rec, act);
	return ok;
}

/* "10.0.0.1:40000" or "[::1]:80": an address as the scenario language writes it. */
char *sockaddr_text(const struct sockaddr_sim *a)
{
	char buf[48];

	if (a->family == AF_INET6) {
		ip6_compressed_string(&a->sin6_addr, buf, sizeof(buf));
		return g_strdup_printf("[%s]:%u", buf, a->port);
	}
	return g_strdup_printf("%u.%u.%u.%u:%u", a->addr >> 24, (a->addr >> 16) & 255,
			       (a->addr >> 8) & 255, a->addr & 255, a->port);
}

/* The process an expect line names: a process, or instance K of a template (NULL: it never started). */
static const struct proc_rt *expect_proc(const struct scn_run *r, const struct plan_expect *e)
{
	gint64 key = scn_named_key(e->prog, e->instance);
	int started;

	if (e->prog < 0)
		return proc_at(r, e->proc);
	/* run.c:start_event() noted its record (and keeps it) */
	started = GPOINTER_TO_INT(g_hash_table_lookup(r->named, &key));
	return started ? proc_at(r, started - 1) : NULL;
}

static const struct sock_rec *bound_sock(const struct scn_run *r, const struct proc_rt *p, const char *var)
{

	if (p->prog) {	/* the first socket the program's variable held */
		for (guint i = 0; i < p->prog->vars->len; i++)
			if (strcmp(p->prog->vars->pdata[i], var) == 0 && p->pvars[i].first_sock > 0)
				return r->socks->pdata[p->pvars[i].first_sock - 1];
		return NULL;
	}

	for (guint i = 0; i < p->vars->len; i++) {
		const struct var_binding *b = &g_array_index(p->vars, struct var_binding, i);

		if (strcmp(b->name, var) == 0 && b->sock_id > 0)
			return r->socks->pdata[b->sock_id - 1];
	}
	return NULL;
}

static bool eval_states(const struct scn_run *r, const struct plan_expect *e, GString *act)
{
	const struct proc_rt *p = expect_proc(r, e);
	const struct sock_rec *s = p ? bound_sock(r, p, e->var) : NULL;
	GArray *seen;
	bool sk = e->kind == EXP_STATES;
	bool ok;

	if (!p) {
		g_string_append(act, "the instance never started");
		return false;
	}
	seen = g_array_new(FALSE, FALSE, sizeof(int));
	if (!s) {
		g_string_append_printf(act, "no socket was bound to '%s'", e->var);
		g_array_free(seen, TRUE);
		return false;
	}
	for (guint i = 0; i < s->transitions->len; i++) {
		const struct sock_transition *t = &g_array_index(s->transitions, struct sock_transition, i);
		int v = sk ? t->sk_state : t->sock_state;

		if (i == 0 || (seen->len && g_array_index(seen, int, seen->len - 1) == v) || v < 0) {
			if (i == 0)
				g_array_append_val(seen, v);	/* the state at creation */
			continue;
		}
		g_array_append_val(seen, v);
	}
	ok = seen->len - 1 == e->states->len;
	for (guint i = 1; i < seen->len; i++) {
		int v = g_array_index(seen, int, i);

		if (ok && g_array_index(e->states, int, i - 1) != v)
			ok = false;
		g_string_append_printf(act, "%s%s", i > 1 ? " " : "",
				       sk ? tcp_state_name(v) : socket_state_name((socket_state)v));
	}
	if (seen->len == 1)
		g_string_append(act, "none");
	g_array_free(seen, TRUE);
	return ok;
}

static bool counter_value(const struct scn_run *r, const char *name, int64_t *out)
{
	g_auto(GStrv) parts = g_strsplit(name, ".", -1);

	if (scn_vsock_counter_value(r, name, out))
		return true;
	if (strcmp(parts[0], "packets") == 0) {
		int k = pkt_kind_from_name(parts[2]);
		const uint64_t *arr = strcmp(parts[1], "sent") == 0 ? r->wire_stats->sent :
			strcmp(parts[1], "dropped") == 0 ? r->wire_stats->dropped :
			r->wire_stats->delivered;

		*out = (int64_t)arr[k];
		return true;
	}
	{
		struct host *h = world_find_host(r->world, parts[0]);

		for (int m = 0; h && m < MIB_MAX; m++)
			if (strcmp(mib_counter_names[m], parts[1]) == 0) {
				*out = (int64_t)h->net.mib[m];
				return true;
			}
	}
	return false;
}

static bool eval_expect(const struct scn_run *r, const struct plan_expect *e, GString *act)
{
	int64_t v = 0;

	switch (e->kind) {
	case EXP_STATES:
	case EXP_SOCK_STATES:
		return eval_states(r, e, act);
	case EXP_COUNTER:
		counter_value(r, e->counter, &v);
		g_string_append_printf(act, "%s = %" G_GINT64_FORMAT, e->counter, v);
		return v == e->value;
	case EXP_EXIT: {
		const struct proc_rt *p = expect_proc(r, e);

		if (!p) {
			g_string_append(act, "the instance never started");
			return false;
		}
		g_string_append_printf(act, "exit %s %s", p->task->comm,
				       p->killed_by ? signal_name(p->killed_by) : "none");
		return p->killed_by == e->sig;
	}
	}
	return false;
}

/* A line without an expectation that a killed process never issued: a note. */
static void note_skipped(const struct scn_run *r, int si, GString *report)
{
	const struct plan_step *st = r->plan->steps->pdata[si];
	const struct proc_rt *p = proc_at(r, st->proc);

	if (!p->killed_by || find_rec(r, si))
		return;
	g_string_append_printf(report, "%s:%d: skipped %s: ", r->plan->path, st->line, st->desc);
	append_killed(report, p);
	g_string_append_c(report, '\n');
}

static void record(struct scn_run *r, int line, bool ok, GString *exp, GString *act,
		   GString *report, bool verbose)
{
	gboolean pass = ok;

	g_array_append_val(r->outcomes, pass);
	g_array_append_val(r->exp_lines, line);
	g_ptr_array_add(r->expected, g_strdup(exp->str));
	g_ptr_array_add(r->actuals, g_strdup(act->str));
	if (!ok || verbose)
		g_string_append_printf(report, "%s:%d: %s: expected %s, got %s\n", r->plan->path, line,
				       ok ? "pass" : "expectation failed", exp->str, act->str);
}

bool scn_rec_matches(const struct scn_run *r, const struct sys_rec *rec)
{
	const struct plan_step *st = r->plan->steps->pdata[rec->step];
	g_autoptr(GString) scratch = NULL;

	/* A line that expects only a return value (the common case, once per
	 * call of a program line): eval_rec()'s verdict without its text. */
	if (!st->exp_at && !st->exp_val && !st->exp_tcpi && !st->exp_addr &&
	    !st->exp_revents && !st->exp_events) {
		if (rec->outcome != REC_RETURNED)
			return false;
		return rec->ret < 0 ? st->ret == -1 && st->err == (int)-rec->ret :
				      st->ret == rec->ret && st->err == 0;
	}
	scratch = g_string_new(NULL);
	return eval_rec(r, st, rec, scratch);
}

/*
 * Per step: struct step_recs as the run left it, with the calls still
 * blocked at the end counted as not matching (eval_rec()) on program lines.
 */
static struct step_recs *prog_stats(const struct scn_run *r)
{
	struct step_recs *stats = g_memdup2(r->step_recs, MAX(r->plan->steps->len, 1) * sizeof(*stats));

	for (guint i = 0; i < r->procs->len; i++) {
		const struct proc_rt *p = proc_at(r, (int)i);
		const struct sys_rec *rec;
		const struct plan_step *st;
		struct step_recs *ps;

		if (!p || p->cur_rec < 0)	/* released: its calls all returned */
			continue;
		rec = &g_array_index(r->syscalls, struct sys_rec, p->cur_rec);
		st = r->plan->steps->pdata[rec->step];
		ps = &stats[rec->step];
		if (st->prog < 0 || !st->exp_ret)
			continue;
		ps->failed++;
		if (ps->first_failed < 0 ||
		    rec->seq < g_array_index(r->syscalls, struct sys_rec, ps->first_failed).seq)
			ps->first_failed = p->cur_rec;
	}
	return stats;
}

unsigned int scn_run_evaluate(struct scn_run *r, GString *report, bool verbose)
{
	unsigned int failed = 0;
	g_autofree struct step_recs *stats = NULL;

	if (r->outcomes) {
		g_array_free(r->outcomes, TRUE);
		g_array_free(r->exp_lines, TRUE);
		g_ptr_array_free(r->expected, TRUE);
		g_ptr_array_free(r->actuals, TRUE);
	}
	r->outcomes = g_array_new(FALSE, FALSE, sizeof(gboolean));
	r->exp_lines = g_array_new(FALSE, FALSE, sizeof(int));
	r->expected = g_ptr_array_new_with_free_func(g_free);
	r->actuals = g_ptr_array_new_with_free_func(g_free);
	stats = prog_stats(r);
	/* In source-line order: syscall results, expect and wire lines interleaved. */
	for (guint si = 0, ei = 0, wi = 0, nw = r->plan->wire ? r->plan->wire->exps->len : 0;
	     si < r->plan->steps->len || ei < r->plan->expects->len || wi < nw;) {
		const struct plan_step *st = si < r->plan->steps->len ? r->plan->steps->pdata[si] : NULL;
		const struct plan_expect *e = ei < r->plan->expects->len ? r->plan->expects->pdata[ei] : NULL;
		const struct wire_exp *w = wi < nw ? r->plan->wire->exps->pdata[wi] : NULL;
		g_autoptr(GString) exp = g_string_new(NULL);
		g_autoptr(GString) act = g_string_new(NULL);
		bool ok;
		int line;

		if (w && (!st || w->line < st->line) && (!e || w->line < e->line)) {
			ok = scn_wire_eval(r->wire_rec, wi++, exp, act);	/* scenario/wire_expect.c */
			line = w->line;
		} else if (st && (!e || st->line < e->line)) {
			si++;
			if (st->prog >= 0) {
				if (!st->exp_ret)
					continue;
				g_string_append_printf(exp, "%s = ", st->desc);
				ok = eval_prog_step(r, (int)si - 1, &stats[si - 1],
						    exp, act);
				failed += !ok;
				record(r, st->line, ok, exp, act, report, verbose);
				continue;
			}
			if (!st->exp_ret) {
				note_skipped(r, (int)si - 1, report);
				continue;
			}
			g_string_append_printf(exp, "%s = ", st->desc);
			ok = eval_step(r, (int)si - 1, exp, act);
			line = st->line;
		} else {
			ei++;
			g_string_append(exp, e->text);
			ok = eval_expect(r, e, act);
			line = e->line;
		}
		failed += !ok;
		record(r, line, ok, exp, act, report, verbose);
	}
	if (scn_vsock_present(r)) {
		/* Checked after every run: credit, descriptors, packets (env/vsock.c). */
		g_autoptr(GString) exp = g_string_new("vsock invariants hold");
		g_autoptr(GString) act = g_string_new(NULL);
		bool ok = scn_vsock_invariants(r, act);

		if (ok)
			g_string_append(act, "they hold");
		failed += !ok;
		record(r, 0, ok, exp, act, report, verbose);
	}
	return failed;
}

unsigned int scn_run_expectations(const struct scn_run *r)
{
	return r->outcomes ? r->outcomes->len : 0;
}
