/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks of processes: process and thread declarations, signal
 * dispositions, LSM denials.
 */
#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "names.h"
#include "suggest.h"
#include "vsock.h"

/*
 * "process NAME on HOST" / "program NAME on HOST": the host's index, or -1
 * after an error; *@name is the NAME word.  A name is used once by either.
 */
int check_name_on_host(struct checker *c, const struct scn_stmt *st, const char *kind,
		       const struct scn_value **name)
{
	const struct scn_value *on, *host;
	int h;

	*name = word(c, st, 0, "a name, 'on' and a host");
	on = word(c, st, 1, "'on HOST' after the name");
	host = word(c, st, 2, "a host after 'on'");
	if (!*name || !on || !host)
		return -1;
	if (strcmp(on->text, "on") != 0) {
		FAIL(c, &on->loc, "expected 'on', found '%s'", on->text);
		return -1;
	}
	h = host_word(c, host);
	if (c->failed)
		return -1;
	if ((*name)->kind != SCN_V_IDENT || find_proc(c->plan, (*name)->text) >= 0 ||
	    find_program(c->plan, (*name)->text) >= 0 || strcmp((*name)->text, "signal") == 0 ||
	    strcmp((*name)->text, "inject") == 0 || strcmp((*name)->text, "wire") == 0 ||
	    strcmp((*name)->text, "qdisc") == 0 ||
	    (strcmp(kind, "program") == 0 && strcmp((*name)->text, "start") == 0)) {
		FAIL(c, &(*name)->loc, "%s name '%s' is not an identifier or is already used", kind, (*name)->text);
		return -1;
	}
	if (((struct plan_host *)c->plan->hosts->pdata[h])->scripted) {
		FAIL(c, &host->loc, "host '%s' is scripted: it runs no %s", host->text,
		     strcmp(kind, "process") == 0 ? "processes" : "programs");
		return -1;
	}
	no_extra_words(c, st, 3);
	return c->failed ? -1 : h;
}

void check_process(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name;
	int h = check_name_on_host(c, st, "process", &name);
	struct plan_proc *p;

	if (h < 0 || !check_count_limit(c, &name->loc, SCN_LIMIT_PROCESSES, c->plan->procs->len,
					"the number of processes"))
		return;
	p = g_new0(struct plan_proc, 1);
	p->name = g_strdup(name->text);
	p->host = h;
	p->pid = (int)c->plan->procs->len + 100;
	p->leader = -1;
	p->program = -1;
	plan_add_proc(c->plan, p);
}

/* "thread NAME of PROC": shares PROC's descriptors (and dies with it). */
void check_thread(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name = word(c, st, 0, "a name, 'of' and a process");
	const struct scn_value *of = word(c, st, 1, "'of PROCESS' after the name");
	const struct scn_value *pv = word(c, st, 2, "a process after 'of'");
	struct plan_proc *p, *leader;
	int li;

	if (!name || !of || !pv)
		return;
	if (strcmp(of->text, "of") != 0) {
		FAIL(c, &of->loc, "expected 'of', found '%s'", of->text);
		return;
	}
	li = proc_word(c, pv);
	if (c->failed)
		return;
	leader = c->plan->procs->pdata[li];
	if (leader->program >= 0) {
		FAIL(c, &pv->loc, "'%s' runs a program: start its threads with spawn ... end", pv->text);
		return;
	}
	if (leader->leader >= 0) {
		FAIL(c, &pv->loc, "'%s' is itself a thread; name its process", pv->text);
		return;
	}
	if (name->kind != SCN_V_IDENT || find_proc(c->plan, name->text) >= 0) {
		FAIL(c, &name->loc, "thread name '%s' is not an identifier or is already used", name->text);
		return;
	}
	no_extra_words(c, st, 3);
	if (!check_count_limit(c, &name->loc, SCN_LIMIT_PROCESSES, c->plan->procs->len, "the number of processes"))
		return;
	p = g_new0(struct plan_proc, 1);
	p->name = g_strdup(name->text);
	p->host = leader->host;
	p->pid = (int)c->plan->procs->len + 100;
	p->leader = li;
	p->program = -1;
	plan_add_proc(c->plan, p);
}

/*
 * SIG DISPOSITION [restart] (words @first.. of @st), of a sigaction line at
 * the top level or in a program: the signal and its struct k_sigaction.
 */
int check_disposition(struct checker *c, const struct scn_stmt *st, guint first, struct k_sigaction *ka)
{
	const struct scn_value *sv = word(c, st, first, "a signal name such as SIGALRM");
	const struct scn_value *dv = word(c, st, first + 1, "a disposition: default, ignore or handler");
	int sig;

	if (!sv || !dv)
		return 0;
	sig = signal_from_name(sv->text);
	if (!sig) {
		FAIL(c, &sv->loc, "unknown signal '%s' (expected e.g. SIGALRM, SIGINT, SIGUSR1, SIGPIPE)", sv->text);
		return 0;
	}
	if (sig == 9) {
		FAIL(c, &sv->loc, "the disposition of SIGKILL cannot be changed");
		return 0;
	}
	*ka = (struct k_sigaction){ .disp = SIGDISP_DEFAULT };
	if (strcmp(dv->text, "default") == 0)
		ka->disp = SIGDISP_DEFAULT;
	else if (strcmp(dv->text, "ignore") == 0)
		ka->disp = SIGDISP_IGNORE;
	else if (strcmp(dv->text, "handler") == 0)
		ka->disp = SIGDISP_HANDLER;
	else
		FAIL(c, &dv->loc, "unknown disposition '%s' (expected default, ignore or handler)", dv->text);
	if (st->words->len > first + 2) {
		const struct scn_value *r = st->words->pdata[first + 2];

		if (strcmp(r->text, "restart") != 0 || ka->disp != SIGDISP_HANDLER)
			FAIL(c, &r->loc, "only 'handler' takes 'restart' (SA_RESTART), found '%s'", r->text);
		ka->sa_restart = true;
	}
	no_extra_words(c, st, first + 3);
	return c->failed ? 0 : sig;
}

void check_sigaction(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *pv = word(c, st, 0, "a process, a signal and a disposition");
	struct k_sigaction ka;
	int pi, sig;

	if (!pv)
		return;
	pi = proc_word(c, pv);
	if (c->failed)
		return;
	sig = check_disposition(c, st, 1, &ka);
	if (sig)
		((struct plan_proc *)c->plan->procs->pdata[pi])->sighand[sig] = ka;
}

void check_lsm(struct checker *c, const struct scn_stmt *st)
{
	static const char *const allowed[] = { "proc", NULL };
	const struct scn_value *deny = word(c, st, 0, "'deny CALL ERRNO'");
	const struct scn_value *call = word(c, st, 1, "a syscall name after 'deny'");
	const struct scn_value *err = word(c, st, 2, "an errno name such as EACCES");
	const struct scn_opt *po = scn_stmt_opt(st, "proc");
	struct plan_lsm *l;

	if (!deny || !call || !err)
		return;
	if (strcmp(deny->text, "deny") != 0)
		FAIL(c, &deny->loc, "expected 'deny', found '%s'", deny->text);
	if (!sim_errno_from_name(err->text)) {
		g_autofree char *hint = scn_names_hint(SCN_NAMES_ERRNOS, err->text);

		FAIL(c, &err->loc, "unknown errno '%s'%s", err->text, hint);
	}
	no_opts(c, st, allowed);
	if (c->failed)
		return;
	l = g_new0(struct plan_lsm, 1);
	l->call = g_strdup(call->text);
	l->err = sim_errno_from_name(err->text);
	l->proc = po ? proc_word(c, &po->val) : -1;
	g_ptr_array_add(c->plan->lsm, l);
}
