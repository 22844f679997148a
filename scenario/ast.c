/* SPDX-License-Identifier: MIT */
/*
 * Scenario AST: error helper, destructors, lookups and a canonical dump.
 */
#include "ast.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK(scn-error-quark, scn_error)

void scn_set_error(GError **error, enum scn_error_code code,
		   const struct scn_loc *loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!error || *error)
		return;	/* the first error is the one reported; never set over it */
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!loc || !loc->file)
		g_set_error(error, SCN_ERROR, code, "error: %s", msg);
	else if (loc->line == 0)
		g_set_error(error, SCN_ERROR, code, "%s: error: %s", loc->file, msg);
	else if (loc->col == 0)
		g_set_error(error, SCN_ERROR, code, "%s:%" PRIu32 ": error: %s",
			    loc->file, loc->line, msg);
	else
		g_set_error(error, SCN_ERROR, code, "%s:%" PRIu32 ":%" PRIu32 ": error: %s",
			    loc->file, loc->line, loc->col, msg);
	g_free(msg);
}

const struct scn_opt *scn_stmt_opt(const struct scn_stmt *st, const char *key)
{
	if (!st->opts)
		return NULL;
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = g_ptr_array_index(st->opts, i);

		if (strcmp(o->key, key) == 0)
			return o;
	}
	return NULL;
}

const char *scn_value_kind_name(enum scn_value_kind kind)
{
	switch (kind) {
	case SCN_V_IDENT:	return "identifier";
	case SCN_V_INT:		return "integer";
	case SCN_V_TIME:	return "time";
	case SCN_V_DECIMAL:	return "decimal";
	case SCN_V_STRING:	return "string";
	case SCN_V_ADDR:	return "address";
	case SCN_V_PREFIX:	return "prefix";
	case SCN_V_RANGE:	return "range";
	}
	return "value";
}

/* ---- construction and destruction ---------------------------------- */

struct scn_script *scn_script_new(const char *path)
{
	struct scn_script *s = g_new0(struct scn_script, 1);

	s->path = g_strdup(path);
	s->stmts = g_ptr_array_new_with_free_func((GDestroyNotify)scn_stmt_free);
	s->params = g_ptr_array_new_with_free_func((GDestroyNotify)scn_param_free);
	s->strings = g_ptr_array_new_with_free_func(g_free);
	return s;
}

const char *scn_script_intern(struct scn_script *s, const char *str)
{
	for (guint i = 0; i < s->strings->len; i++)
		if (strcmp(g_ptr_array_index(s->strings, i), str) == 0)
			return g_ptr_array_index(s->strings, i);
	g_ptr_array_add(s->strings, g_strdup(str));
	return g_ptr_array_index(s->strings, s->strings->len - 1);
}

void scn_value_copy(struct scn_value *dst, const struct scn_value *src)
{
	*dst = *src;
	dst->text = g_strdup(src->text);
}

void scn_value_clear(struct scn_value *v)
{
	g_clear_pointer(&v->text, g_free);
}

void scn_value_free(struct scn_value *v)
{
	if (!v)
		return;
	scn_value_clear(v);
	g_free(v);
}

void scn_opt_free(struct scn_opt *o)
{
	if (!o)
		return;
	g_free(o->key);
	scn_value_clear(&o->val);
	g_free(o);
}

void scn_call_free(struct scn_call *c)
{
	if (!c)
		return;
	g_free(c->var);
	g_free(c->name);
	if (c->args)
		g_ptr_array_unref(c->args);
	g_free(c);
}

void scn_result_free(struct scn_result *r)
{
	if (!r)
		return;
	scn_value_clear(&r->ret);
	g_free(r->err);
	g_free(r->var);
	g_free(r->cmp);
	scn_value_clear(&r->at);
	scn_value_clear(&r->tol);
	if (r->opts)
		g_ptr_array_unref(r->opts);
	g_free(r);
}

void scn_stmt_free(struct scn_stmt *st)
{
	if (!st)
		return;
	scn_value_clear(&st->time);
	g_free(st->keyword);
	if (st->words)
		g_ptr_array_unref(st->words);
	if (st->opts)
		g_ptr_array_unref(st->opts);
	scn_call_free(st->call);
	scn_result_free(st->result);
	scn_result_free(st->cond);
	scn_stmt_free(st->then);
	scn_value_clear(&st->until);
	g_free(st);
}

void scn_param_free(struct scn_param *prm)
{
	if (!prm)
		return;
	g_free(prm->name);
	scn_value_clear(&prm->val);
	g_free(prm);
}

void scn_script_free(struct scn_script *s)
{
	if (!s)
		return;
	/* statements and params point into strings: free them first */
	g_ptr_array_unref(s->stmts);
	g_ptr_array_unref(s->params);
	g_ptr_array_unref(s->strings);
	if (s->pkt)
		s->pkt_free(s->pkt);
	g_free(s->path);
	g_free(s);
}

/* ---- dump ------------------------------------------------------------ */

static void dump_loc(GString *o, const struct scn_script *s, const struct scn_loc *l)
{
	if (l->file && (!s->path || strcmp(l->file, s->path) != 0))
		g_string_append_printf(o, "@%s:%" PRIu32 ":%" PRIu32, l->file, l->line, l->col);
	else
		g_string_append_printf(o, "@%" PRIu32 ":%" PRIu32, l->line, l->col);
}

static void dump_ip(GString *o, uint32_t ip)
{
	g_string_append_printf(o, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
			       (ip >> 8) & 0xff, ip & 0xff);
}

static void dump_addr(GString *o, const struct scn_value *v)
{
	if (!v->v6) {
		dump_ip(o, v->ip);
		return;
	}
	for (int i = 0; i < 16; i += 2)	/* eight full groups: no formatting choices */
		g_string_append_printf(o, "%s%02x%02x", i ? ":" : "", v->ip6[i], v->ip6[i + 1]);
	g_string_append(o, " v6");
}

static void dump_value(GString *o, const struct scn_script *s, const struct scn_value *v)
{
	static const char *const kinds[] = {
		[SCN_V_IDENT] = "IDENT", [SCN_V_INT] = "INT", [SCN_V_TIME] = "TIME",
		[SCN_V_DECIMAL] = "DECIMAL", [SCN_V_STRING] = "STRING",
		[SCN_V_ADDR] = "ADDR", [SCN_V_PREFIX] = "PREFIX", [SCN_V_RANGE] = "RANGE",
	};

	if (v->kind == SCN_V_STRING) {
		char *esc = g_strescape(v->text ? v->text : "", NULL);

		g_string_append_printf(o, "STRING \"%s\" ", esc);
		g_free(esc);
	} else {
		g_string_append_printf(o, "%s '%s' ", kinds[v->kind], v->text ? v->text : "");
	}
	dump_loc(o, s, &v->loc);
	switch (v->kind) {
	case SCN_V_IDENT:
	case SCN_V_STRING:
		break;
	case SCN_V_INT:
		g_string_append_printf(o, " i=%" PRId64, v->i);
		if (v->idx)
			g_string_append_printf(o, " idx=%" PRId64, v->idx);
		break;
	case SCN_V_TIME:
		g_string_append_printf(o, " t=%" PRIu64 "%s", v->t, v->relative ? " rel" : "");
		break;
	case SCN_V_DECIMAL:
		g_string_append_printf(o, " ppb=%" PRIu64, v->ppb);
		break;
	case SCN_V_ADDR:
		g_string_append(o, " ip=");
		dump_addr(o, v);
		if (v->has_port)
			g_string_append_printf(o, " port=%" PRIu32, v->port);
		if (v->idx)
			g_string_append_printf(o, " idx=%" PRId64, v->idx);
		break;
	case SCN_V_PREFIX:
		g_string_append(o, " ip=");
		dump_addr(o, v);
		g_string_append_printf(o, " plen=%" PRIu32, v->plen);
		break;
	case SCN_V_RANGE:
		if (v->time_range)
			g_string_append_printf(o, " t=%" PRIu64 "..%" PRIu64, v->t, v->t_hi);
		else
			g_string_append_printf(o, " i=%" PRId64 "..%" PRId64, v->i, v->i_hi);
		break;
	}
}

static void dump_opts(GString *o, const struct scn_script *s, GPtrArray *opts,
		      const char *indent)
{
	for (guint i = 0; opts && i < opts->len; i++) {
		const struct scn_opt *op = g_ptr_array_index(opts, i);

		g_string_append_printf(o, "%sopt %s ", indent, op->key);
		dump_loc(o, s, &op->loc);
		g_string_append(o, " = ");
		dump_value(o, s, &op->val);
		g_string_append_c(o, '\n');
	}
}

static const char *const block_names[] = {
	[SCN_B_NONE] = "", [SCN_B_PROGRAM] = "program", [SCN_B_CALL] = "call",
	[SCN_B_LOOP] = "loop", [SCN_B_IF] = "if", [SCN_B_ELSE] = "else", [SCN_B_END] = "end",
	[SCN_B_ON] = "on", [SCN_B_SLEEP] = "sleep", [SCN_B_BREAK] = "break",
	[SCN_B_CONTINUE] = "continue", [SCN_B_EXIT] = "exit", [SCN_B_SPAWN] = "spawn",
	[SCN_B_FOR] = "for", [SCN_B_SIGACTION] = "sigaction",
};

const char *scn_block_name(enum scn_block b)
{
	return block_names[b];
}

static void dump_result(GString *o, const struct scn_script *s, const struct scn_result *r,
			const char *what)
{
	g_string_append_printf(o, "  %s ", what);
	dump_loc(o, s, &r->loc);
	if (r->var) {
		g_string_append_printf(o, " var %s ", r->var);
		dump_loc(o, s, &r->var_loc);
		g_string_append_printf(o, " %s", r->cmp);
	}
	if (r->ret.text) {
		g_string_append(o, " ret ");
		dump_value(o, s, &r->ret);
	}
	if (r->err) {
		g_string_append_printf(o, " err %s ", r->err);
		dump_loc(o, s, &r->err_loc);
	}
	g_string_append_c(o, '\n');
	if (r->has_at) {
		g_string_append(o, "    at ");
		dump_value(o, s, &r->at);
		g_string_append_c(o, '\n');
	}
	if (r->has_tol) {
		g_string_append(o, "    tol ");
		dump_value(o, s, &r->tol);
		g_string_append_c(o, '\n');
	}
	dump_opts(o, s, r->opts, "    ");
}

static void dump_stmt(GString *o, const struct scn_script *s, const struct scn_stmt *st)
{
	g_string_append(o, "stmt ");
	dump_loc(o, s, &st->loc);
	if (st->block != SCN_B_NONE)
		g_string_append_printf(o, " %s depth=%u", block_names[st->block], st->depth);
	if (st->match)
		g_string_append_printf(o, " match=%u", st->match);
	if (st->timed) {
		g_string_append(o, " at ");
		dump_value(o, s, &st->time);
	}
	if (st->keyword) {
		g_string_append_printf(o, " kw %s ", st->keyword);
		dump_loc(o, s, &st->kw_loc);
	}
	g_string_append_c(o, '\n');
	for (guint j = 0; st->words && j < st->words->len; j++) {
		g_string_append(o, "  word ");
		dump_value(o, s, g_ptr_array_index(st->words, j));
		g_string_append_c(o, '\n');
	}
	dump_opts(o, s, st->opts, "  ");
	if (st->has_until) {
		g_string_append(o, "  until ");
		dump_value(o, s, &st->until);
		g_string_append_c(o, '\n');
	}
	if (st->call) {
		const struct scn_call *c = st->call;

		g_string_append_printf(o, "  call %s ", c->name);
		dump_loc(o, s, &c->loc);
		if (c->var) {
			g_string_append_printf(o, " var %s ", c->var);
			dump_loc(o, s, &c->var_loc);
		}
		g_string_append_c(o, '\n');
		for (guint j = 0; j < c->args->len; j++) {
			g_string_append(o, "    arg ");
			dump_value(o, s, g_ptr_array_index(c->args, j));
			g_string_append_c(o, '\n');
		}
	}
	if (st->result)
		dump_result(o, s, st->result, "result");
	if (st->cond)
		dump_result(o, s, st->cond, "cond");
	if (st->then) {
		g_string_append(o, "  then ");
		dump_stmt(o, s, st->then);
	}
}

char *scn_script_dump(const struct scn_script *s)
{
	GString *o = g_string_new(NULL);

	for (guint i = 0; i < s->params->len; i++) {
		const struct scn_param *prm = g_ptr_array_index(s->params, i);

		g_string_append_printf(o, "param %s ", prm->name);
		dump_loc(o, s, &prm->loc);
		g_string_append(o, " = ");
		dump_value(o, s, &prm->val);
		g_string_append(o, prm->overridden ? " overridden\n" : "\n");
	}
	for (guint i = 0; i < s->stmts->len; i++)
		dump_stmt(o, s, g_ptr_array_index(s->stmts, i));
	return g_string_free(o, FALSE);
}
