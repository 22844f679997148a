/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks of programs (docs/scenario-language.md, "Programs"):
 * `program NAME on HOST ... end` blocks, compiled into a flat array of ops
 * (plan.h, struct plan_op) that the runner interprets once per instance,
 * and the `TIME start NAME [N] [over=T]` lines that start instances.  The
 * parser already matched every block with its `end`; the work here grows
 * with the lines of a program, never with its instances.
 */
#include <string.h>

#include "check_private.h"
#include "linux/errno_names.h"
#include "names.h"

/* "TIME start NAME ...", unless a process is named start (a timed line of it). */
bool is_start_line(const struct scn_plan *p, const struct scn_stmt *st)
{
	return st->timed && st->block == SCN_B_NONE && strcmp(st->keyword, "start") == 0 &&
	       find_proc(p, "start") < 0;
}

int find_program(const struct scn_plan *p, const char *name)
{
	for (guint i = 0; i < p->programs->len; i++)
		if (strcmp(((struct plan_program *)p->programs->pdata[i])->name, name) == 0)
			return (int)i;
	return -1;
}

void plan_program_free(struct plan_program *prog)
{
	g_free(prog->name);
	g_array_free(prog->ops, TRUE);
	g_ptr_array_free(prog->vars, TRUE);
	g_free(prog);
}

/* "program NAME on HOST": a process that runs the program, or a template when start lines name it. */
void check_program_decl(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name;
	int h = check_name_on_host(c, st, "program", &name);
	struct plan_program *prog;

	no_opts(c, st, NULL);
	if (h < 0 || c->failed)
		return;
	prog = g_new0(struct plan_program, 1);
	prog->name = g_strdup(name->text);
	prog->line = (int)st->loc.line;
	prog->host = h;
	prog->proc = -1;
	prog->ops = g_array_new(FALSE, TRUE, sizeof(struct plan_op));
	prog->vars = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(c->plan->programs, prog);
	if (!g_hash_table_contains(c->started, name->text)) {
		/* no start line: it runs once, from 0, as the process NAME */
		struct plan_proc *p;

		if (!check_count_limit(c, &name->loc, SCN_LIMIT_PROCESSES, c->plan->procs->len,
				       "the number of processes"))
			return;
		p = g_new0(struct plan_proc, 1);
		p->name = g_strdup(name->text);
		p->host = h;
		p->pid = (int)c->plan->procs->len + 100;
		p->leader = -1;
		p->program = (int)c->plan->programs->len - 1;
		plan_add_proc(c->plan, p);
		prog->proc = (int)c->plan->procs->len - 1;
	}
}

/* "TIME start NAME [N] [over=T]". */
void check_start(struct checker *c, const struct scn_stmt *st)
{
	static const char *const allowed[] = { "over", NULL };
	const struct scn_value *name = word(c, st, 0, "a program name (TIME start PROGRAM [N] [over=T])");
	const struct scn_opt *over = scn_stmt_opt(st, "over");
	struct plan_program *prog;
	struct plan_start *s;
	int pi;

	if (!name)
		return;
	pi = find_program(c->plan, name->text);
	if (pi < 0) {
		g_autofree char *known = name_list(c->plan->programs, offsetof(struct plan_program, name));

		FAIL(c, &name->loc, "unknown program '%s' (declared: %s)", name->text, known);
		return;
	}
	prog = c->plan->programs->pdata[pi];
	if (st->time.relative) {
		FAIL(c, &st->time.loc, "start lines take an absolute time, found '%s'", st->time.text);
		return;
	}
	no_opts(c, st, allowed);
	no_extra_words(c, st, 2);
	if (c->failed)
		return;
	s = g_new0(struct plan_start, 1);
	g_ptr_array_add(c->plan->starts, s);
	s->line = (int)st->loc.line;
	s->prog = pi;
	s->time = st->time.t;
	s->count = 1;
	if (st->words->len > 1) {
		const struct scn_value *n = st->words->pdata[1];

		if (n->kind != SCN_V_INT || n->i < 1) {
			FAIL(c, &n->loc, "expected a number of instances (1 or more), found '%s'", n->text);
			return;
		}
		s->count = (uint64_t)n->i;
	}
	if (over && !value_time(c, &over->val, &s->over))
		return;
	if (sim_time_add(s->time, s->over) >= SIM_TIME_END) {
		FAIL(c, &st->time.loc, "the instances would start past the end of simulated time");
		return;
	}
	if (s->count > c->plan->limits.v[SCN_LIMIT_INSTANCES] ||
	    prog->instances + s->count > c->plan->limits.v[SCN_LIMIT_INSTANCES]) {
		g_autofree char *what = g_strdup_printf("the number of instances of program '%s'", prog->name);
		g_autofree char *msg = scn_limit_exceeded(&c->plan->limits, SCN_LIMIT_INSTANCES, what);

		FAIL(c, &name->loc, "%s", msg);
		return;
	}
	s->base = prog->instances;
	prog->instances += s->count;
}

/* ---- compiling a program's lines into ops ---- */

struct loop_ctx {
	guint head;		/* the LOOP_TEST op: where `continue` goes */
	GArray *breaks;		/* guint: JUMP ops to patch with the loop's exit */
};

static guint emit(struct checker *c, const struct plan_op *op)
{
	g_array_append_vals(c->prog->ops, op, 1);
	return c->prog->ops->len - 1;
}

static struct plan_op *op_at(struct checker *c, guint i)
{
	return &g_array_index(c->prog->ops, struct plan_op, i);
}

static bool check_cond(struct checker *c, const struct scn_result *r, struct plan_cond *cond)
{
	static const char *const cmps[] = { "==", "!=", "<", "<=", ">", ">=" };

	cond->ret = r->ret.text ? r->ret.i : -1;
	if (r->var) {
		int slot = program_var(c->prog, r->var);

		if (slot < 0) {
			FAIL(c, &r->var_loc, "'%s' is not assigned by an earlier line of program '%s' (e.g. %s = recv(c, 1000))",
			     r->var, c->prog->name, r->var);
			return false;
		}
		cond->on_var = true;
		cond->var = (guint)slot;
		for (size_t i = 0; i < G_N_ELEMENTS(cmps); i++)
			if (strcmp(cmps[i], r->cmp) == 0)
				cond->cmp = (enum plan_cmp)i;
		return true;
	}
	if (r->err) {
		cond->err = sim_errno_from_name(r->err);
		if (!cond->err || cond->err >= 512) {
			g_autofree char *hint = scn_names_hint(SCN_NAMES_ERRNOS, r->err);

			FAIL(c, &r->err_loc, "unknown errno '%s'%s (expected a name such as ECONNREFUSED; see `socksim list-errnos`)",
			     r->err, hint);
			return false;
		}
		if (cond->ret != -1) {
			FAIL(c, &r->err_loc, "an errno goes with a return value of -1, not %" G_GINT64_FORMAT, cond->ret);
			return false;
		}
	}
	return true;
}

/* A call line (or the call of `loop until`): a step, and the op that issues it. */
static void compile_call(struct checker *c, const struct scn_stmt *st)
{
	struct plan_op op = { .kind = OP_CALL, .line = (int)st->loc.line };

	if (st->opts->len) {
		const struct scn_opt *o = st->opts->pdata[0];

		FAIL(c, &o->loc, "'%s=' is not allowed in a program: repeat a call with loop ... end", o->key);
		return;
	}
	check_call(c, st, c->prog->proc);
	if (c->failed)
		return;
	op.step = c->plan->steps->len - 1;
	emit(c, &op);
}

static void compile_block(struct checker *c, guint from, guint to, struct loop_ctx *loop);

/* One line that opens no block: a call, sleep, on, break, continue, exit. */
static void compile_simple(struct checker *c, const struct scn_stmt *st, struct loop_ctx *loop)
{
	struct plan_op op = { .line = (int)st->loc.line };

	switch (st->block) {
	case SCN_B_CALL:
		compile_call(c, st);
		break;
	case SCN_B_SLEEP:
		op.kind = OP_SLEEP;
		if (value_time(c, st->words->pdata[0], &op.t))
			emit(c, &op);
		break;
	case SCN_B_ON: {
		guint br;

		op.kind = OP_BRANCH;
		op.when = false;
		if (!check_cond(c, st->cond, &op.cond))
			return;
		br = emit(c, &op);
		compile_simple(c, st->then, loop);
		op_at(c, br)->target = c->prog->ops->len;
		break;
	}
	case SCN_B_BREAK:
		op.kind = OP_JUMP;
		g_array_append_val(loop->breaks, (guint){ emit(c, &op) });
		break;
	case SCN_B_CONTINUE:
		op.kind = OP_JUMP;
		op.target = loop->head;
		emit(c, &op);
		break;
	case SCN_B_EXIT:
		op.kind = OP_EXIT;
		emit(c, &op);
		break;
	case SCN_B_SIGACTION:
		op.kind = OP_SIGACTION;
		op.sig = check_disposition(c, st, 0, &op.sa);
		if (op.sig)
			emit(c, &op);
		break;
	default:
		g_assert_not_reached();	/* the parser lets no other line here */
	}
}

/* Does the loop body (ops from..to) wait somewhere: a call or a sleep? */
static bool ops_wait(struct checker *c, guint from, guint to)
{
	for (guint i = from; i < to; i++)
		if (op_at(c, i)->kind == OP_CALL || op_at(c, i)->kind == OP_SLEEP)
			return true;
	return false;
}

static void compile_loop(struct checker *c, guint at)
{
	const struct scn_stmt *st = c->script->stmts->pdata[at];
	struct plan_op init = { .kind = OP_LOOP_INIT, .line = (int)st->loc.line, .slot = c->prog->nloops++ };
	struct plan_op test = init;
	struct loop_ctx ctx = { .breaks = g_array_new(FALSE, FALSE, sizeof(guint)) };
	guint exit_at;

	test.kind = OP_LOOP_TEST;
	if (st->words->len) {
		const struct scn_value *n = st->words->pdata[0];

		if (n->kind != SCN_V_INT || n->i < 1 || n->idx) {
			FAIL(c, &n->loc, "expected a positive number of iterations after 'loop', found '%s'", n->text);
			goto out;
		}
		test.count = (uint64_t)n->i;
	}
	if (st->has_until) {
		test.has_until = true;
		test.until_relative = st->until.relative;
		test.t = st->until.t;
	}
	emit(c, &init);
	ctx.head = emit(c, &test);
	if (st->call) {
		struct plan_op br = { .kind = OP_BRANCH, .line = (int)st->loc.line, .when = true };

		compile_call(c, st);
		if (c->failed || !check_cond(c, st->cond, &br.cond))
			goto out;
		g_array_append_val(ctx.breaks, (guint){ emit(c, &br) });
	} else if (st->cond) {	/* until VAR OP N: tested before each round */
		struct plan_op br = { .kind = OP_BRANCH, .line = (int)st->loc.line, .when = true };

		if (!check_cond(c, st->cond, &br.cond))
			goto out;
		g_array_append_val(ctx.breaks, (guint){ emit(c, &br) });
	}
	compile_block(c, at + 1, st->match, &ctx);
	if (c->failed)
		goto out;
	if (!test.count && !ops_wait(c, ctx.head, c->prog->ops->len)) {
		FAIL(c, &st->kw_loc, "this loop never waits: give it a count, a call or a sleep");
		goto out;
	}
	emit(c, &(struct plan_op){ .kind = OP_JUMP, .line = (int)st->loc.line, .target = ctx.head });
	exit_at = c->prog->ops->len;
	op_at(c, ctx.head)->target = exit_at;
	for (guint i = 0; i < ctx.breaks->len; i++)
		op_at(c, g_array_index(ctx.breaks, guint, i))->target = exit_at;
out:
	g_array_free(ctx.breaks, TRUE);
}

/* "for VAR in EV": VAR takes the descriptor of each event the last epoll_wait() bound to EV returned. */
static void compile_for(struct checker *c, guint at)
{
	const struct scn_stmt *st = c->script->stmts->pdata[at];
	const struct scn_value *var = st->words->pdata[0], *ev = st->words->pdata[2];
	struct plan_op init = { .kind = OP_LOOP_INIT, .line = (int)st->loc.line, .slot = c->prog->nloops++ };
	struct plan_op each = init;
	struct loop_ctx ctx = { .breaks = g_array_new(FALSE, FALSE, sizeof(guint)) };
	int evs = program_var(c->prog, ev->text), vs;

	if (evs < 0) {
		FAIL(c, &ev->loc, "'%s' is not assigned by an earlier line of program '%s' (e.g. %s = epoll_wait(ep, 64, -1))",
		     ev->text, c->prog->name, ev->text);
		goto out;
	}
	vs = program_var(c->prog, var->text);
	if (vs < 0) {
		if (!check_program_var_limit(c, &var->loc))
			goto out;
		g_ptr_array_add(c->prog->vars, g_strdup(var->text));
		vs = (int)c->prog->vars->len - 1;
	}
	each.kind = OP_EACH;
	each.var = (guint)vs;
	each.ev = (guint)evs;
	emit(c, &init);
	ctx.head = emit(c, &each);
	compile_block(c, at + 1, st->match, &ctx);
	if (c->failed)
		goto out;
	emit(c, &(struct plan_op){ .kind = OP_JUMP, .line = (int)st->loc.line, .target = ctx.head });
	op_at(c, ctx.head)->target = c->prog->ops->len;
	for (guint i = 0; i < ctx.breaks->len; i++)
		op_at(c, g_array_index(ctx.breaks, guint, i))->target = c->prog->ops->len;
out:
	g_array_free(ctx.breaks, TRUE);
}

/* The lines at indices from..to (exclusive) of the script: a sequence, blocks included. */
static void compile_block(struct checker *c, guint from, guint to, struct loop_ctx *loop)
{
	for (guint i = from; i < to && !c->failed; i++) {
		const struct scn_stmt *st = c->script->stmts->pdata[i];

		switch (st->block) {
		case SCN_B_LOOP:
			compile_loop(c, i);
			i = st->match;
			break;
		case SCN_B_FOR:
			compile_for(c, i);
			i = st->match;
			break;
		case SCN_B_IF: {
			const struct scn_stmt *mid = c->script->stmts->pdata[st->match];
			struct plan_op br = { .kind = OP_BRANCH, .line = (int)st->loc.line, .when = false };
			guint b, j;

			if (!check_cond(c, st->cond, &br.cond))
				return;
			b = emit(c, &br);
			compile_block(c, i + 1, st->match, loop);
			if (mid->block == SCN_B_ELSE) {
				j = emit(c, &(struct plan_op){ .kind = OP_JUMP, .line = (int)mid->loc.line });
				op_at(c, b)->target = c->prog->ops->len;
				compile_block(c, st->match + 1, mid->match, loop);
				op_at(c, j)->target = c->prog->ops->len;
				i = mid->match;
			} else {
				op_at(c, b)->target = c->prog->ops->len;
				i = st->match;
			}
			break;
		}
		case SCN_B_SPAWN: {
			guint sp = emit(c, &(struct plan_op){ .kind = OP_SPAWN, .line = (int)st->loc.line });

			compile_block(c, i + 1, st->match, NULL);	/* break cannot leave it: parser */
			emit(c, &(struct plan_op){ .kind = OP_EXIT, .line = (int)st->loc.line });
			op_at(c, sp)->target = c->prog->ops->len;
			i = st->match;
			break;
		}
		default:
			compile_simple(c, st, loop);
			break;
		}
	}
}

/* The lines of the program whose header is stmts[header], in pass 5 (calls need every declaration). */
void check_program_body(struct checker *c, guint header)
{
	const struct scn_stmt *st = c->script->stmts->pdata[header];
	int pi = find_program(c->plan, ((const struct scn_value *)st->words->pdata[0])->text);

	c->prog = c->plan->programs->pdata[pi];
	c->prog_index = (guint)pi;
	compile_block(c, header + 1, st->match, NULL);
	emit(c, &(struct plan_op){ .kind = OP_EXIT,
			     .line = (int)((const struct scn_stmt *)c->script->stmts->pdata[st->match])->loc.line });
	c->prog = NULL;
}
