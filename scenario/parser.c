/* SPDX-License-Identifier: MIT */
/*
 * Scenario parser: tokens (lexer.c) -> AST (ast.h), by recursive descent.
 *
 *   script  = { [ stmt ] NEWLINE } EOF
 *   stmt    = [ time ] IDENT { word | opt } [ call [ result ] ]
 *   call    = [ IDENT "=" ] IDENT "(" [ value { "," value } ] ")"
 *   result  = "=" value(INT) [ IDENT ] [ "@" time [ "~" time ] ] { opt }
 *   opt     = IDENT "=" value
 *
 * Two tokens of lookahead would do but for the assignment call: "s = socket("
 * versus the option "s = 3", decided by IDENT "=" IDENT "(" (four tokens).
 *
 * Every error is reported at the token that caused it (the parser never
 * reports at a lookahead position), and a lexical error is only reported
 * once the parser reaches the ERROR token, so errors come out in file order.
 */
#include "lexer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "limit.h"
#include "suggest.h"

#define VALUE_DESC "a value (integer, time, address, identifier or string)"
#define CMDLINE "<command line>"

struct override {
	char *name;
	struct scn_value val;
	bool used;
};

struct parser {
	struct scn_script *s;
	GArray *toks;
	guint pos;
	const char *eof_desc;
	GPtrArray *overrides;	/* struct override * */
	GHashTable *param_index;	/* name -> struct scn_param * of s->params: lookups in O(1) */
	GArray *blocks;		/* guint: indices in s->stmts of the open blocks, innermost last */
};

static void override_free(gpointer data)
{
	struct override *ov = data;

	g_free(ov->name);
	scn_value_clear(&ov->val);
	g_free(ov);
}

static const struct scn_token *peek(const struct parser *p, guint n)
{
	guint i = p->pos + n;

	if (i >= p->toks->len)
		i = p->toks->len - 1;	/* the final EOF or ERROR */
	return &g_array_index(p->toks, struct scn_token, i);
}

static enum scn_tok_kind peek_kind(const struct parser *p, guint n)
{
	return peek(p, n)->kind;
}

static void next(struct parser *p)
{
	if (p->pos + 1 < p->toks->len)
		p->pos++;
}

static bool at_eol(const struct parser *p)
{
	enum scn_tok_kind k = peek_kind(p, 0);

	return k == SCN_TOK_NEWLINE || k == SCN_TOK_EOF;
}

/* "unexpected X, expected ..." at @tok, or @tok's own lexical error. */
G_GNUC_PRINTF(4, 5)
static bool unexpected(const struct parser *p, const struct scn_token *tok,
		       GError **error, const char *fmt, ...)
{
	va_list ap;
	char *what, *expected;

	if (tok->kind == SCN_TOK_ERROR) {
		g_propagate_error(error, g_error_copy(tok->error));
		return false;
	}
	va_start(ap, fmt);
	expected = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	what = scn_token_describe(tok, p->eof_desc);
	scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc, "unexpected %s, expected %s",
		      what, expected);
	g_free(what);
	g_free(expected);
	return false;
}

static const struct scn_param *find_param(const struct parser *p, const char *name)
{
	return g_hash_table_lookup(p->param_index, name);
}

/* "string \"x\"", "identifier 'x'": a value for messages; a new string. */
static char *describe_value(const struct scn_value *v)
{
	if (v->kind == SCN_V_STRING)
		return g_strdup_printf("string \"%s\"", v->text);
	return g_strdup_printf("%s '%s'", scn_value_kind_name(v->kind), v->text);
}

static bool in_program(const struct parser *p)
{
	return p->blocks && p->blocks->len > 0;
}

/* "$i" in a program is the instance index; a parameter of that name would be ambiguous. */
static bool index_ok(const struct parser *p, const struct scn_token *tok, GError **error)
{
	const struct scn_param *prm = find_param(p, "i");

	if (!prm)
		return true;
	scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
		      "'$i' is the instance index inside a program, but a parameter 'i' is declared at %s:%" G_GUINT32_FORMAT ":%" G_GUINT32_FORMAT "; rename the parameter",
		      prm->loc.file, prm->loc.line, prm->loc.col);
	return false;
}

/*
 * A word such as 8000+$i, $base-1 or 10.0.0.2:$port+$i (SCN_TOK_EXPR):
 * [ADDRESS ":"] TERM { ("+" | "-") TERM }, TERM a decimal integer, a
 * parameter holding an integer, or (in a program) the instance index $i.
 * It becomes an INT, or an ADDR whose port is the sum; $i is kept as the
 * coefficient idx.  Integer arithmetic only, overflow is an error.
 */
static bool parse_expr(const struct parser *p, const struct scn_token *tok,
		       struct scn_value *dst, GError **error)
{
	const char *text = tok->text, *colon = strchr(text, ':'), *e;
	struct scn_value addr = { 0 };
	int64_t sum = 0, idx = 0;
	int sign = 1;

	if (colon) {	/* ADDRESS: the part before is an IPv4 address, lexed as such */
		g_autofree char *head = g_strndup(text, (gsize)(colon - text));
		GArray *toks = scn_lex(tok->loc.file, head, strlen(head), tok->loc.line, tok->loc.col);
		const struct scn_token *t0 = &g_array_index(toks, struct scn_token, 0);
		bool ok = t0->kind == SCN_TOK_VALUE && t0->val.kind == SCN_V_ADDR && !t0->val.has_port &&
			  toks->len == 2;

		if (ok)
			addr = t0->val;
		g_array_unref(toks);
		if (!ok) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "invalid address '%s': expected an IPv4 address, ':' and a port", text);
			return false;
		}
		text = colon + 1;
	}
	for (e = text; ; ) {
		const char *t = e;
		int64_t v;

		if (*t == '$') {
			const struct scn_param *prm;
			g_autofree char *name = NULL;

			for (e = t + 1; g_ascii_isalnum(*e) || *e == '_'; e++)
				;
			name = g_strndup(t + 1, (gsize)(e - t - 1));
			prm = find_param(p, name);
			if (strcmp(name, "i") == 0 && in_program(p)) {
				if (!index_ok(p, tok, error))
					return false;
				idx += sign;
				v = 0;
			} else if (!prm) {
				scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
					      "undeclared parameter '$%s' in '%s'%s", name, tok->text,
					      strcmp(name, "i") == 0 ? " ('$i', the instance index, is only defined inside a program)" : "");
				return false;
			} else if (prm->val.kind != SCN_V_INT) {
				scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
					      "'$%s' in '%s' holds %s '%s', not an integer", name, tok->text,
					      scn_value_kind_name(prm->val.kind), prm->val.text);
				return false;
			} else {
				v = prm->val.i;
			}
		} else if (g_ascii_isdigit(*t)) {
			guint64 u = 0;

			for (e = t; g_ascii_isdigit(*e); e++) {
				if (u > (guint64)INT64_MAX / 10 - 1) {
					scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
						      "integer out of range in '%s'", tok->text);
					return false;
				}
				u = u * 10 + (guint64)(*e - '0');
			}
			v = (int64_t)u;
		} else {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "invalid expression '%s': expected integers and $NAME joined by '+' or '-'",
				      tok->text);
			return false;
		}
		if ((sign > 0 && v > 0 && sum > INT64_MAX - v) || (sign < 0 && v > 0 && sum < INT64_MIN + v)) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc, "integer out of range in '%s'", tok->text);
			return false;
		}
		sum += sign * v;
		if (*e == '\0')
			break;
		if (*e != '+' && *e != '-') {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "invalid expression '%s': expected integers and $NAME joined by '+' or '-'",
				      tok->text);
			return false;
		}
		sign = *e == '+' ? 1 : -1;
		e++;
	}
	*dst = (struct scn_value){ .kind = SCN_V_INT, .loc = tok->loc, .i = sum, .idx = idx,
				   .text = g_strdup(tok->text) };
	if (colon) {
		if (!idx && (sum < 0 || sum > 65535)) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "port %" G_GINT64_FORMAT " of '%s' is not in 0..65535", sum, tok->text);
			scn_value_clear(dst);
			return false;
		}
		dst->kind = SCN_V_ADDR;
		dst->ip = addr.ip;
		dst->has_port = true;
		dst->port = (uint32_t)CLAMP(sum, 0, 65535);
		dst->i = sum;
	}
	return true;
}

/* A literal or $param at the current token; @expected names what was wanted. */
static bool parse_value(struct parser *p, struct scn_value *dst,
			const char *expected, GError **error)
{
	const struct scn_token *tok = peek(p, 0);

	if (tok->kind == SCN_TOK_IDENT || tok->kind == SCN_TOK_VALUE) {
		scn_value_copy(dst, &tok->val);
	} else if (tok->kind == SCN_TOK_EXPR) {
		if (!parse_expr(p, tok, dst, error))
			return false;
	} else if (tok->kind == SCN_TOK_PARAM && strcmp(tok->text, "$i") == 0 && in_program(p)) {
		if (!index_ok(p, tok, error))
			return false;
		*dst = (struct scn_value){ .kind = SCN_V_INT, .loc = tok->loc, .idx = 1,
					   .text = g_strdup(tok->text) };
	} else if (tok->kind == SCN_TOK_PARAM) {
		const struct scn_param *prm = find_param(p, tok->text + 1);

		if (!prm && strcmp(tok->text, "$i") == 0) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "'$i', the instance index, is only defined inside a program (program NAME on HOST ... end)");
			return false;
		}
		if (!prm) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
				      "undeclared parameter '%s' (declare it earlier with 'param %s = VALUE')",
				      tok->text, tok->text + 1);
			return false;
		}
		scn_value_copy(dst, &prm->val);
		dst->loc = tok->loc;
	} else {
		return unexpected(p, tok, error, "%s", expected);
	}
	next(p);
	return true;
}

/* A time: a time literal, a bare 0, or a $param holding one. */
static bool parse_time(struct parser *p, struct scn_value *dst,
		       const char *expected, GError **error)
{
	const struct scn_token *tok = peek(p, 0);
	char from[96] = "";

	if (tok->kind != SCN_TOK_VALUE && tok->kind != SCN_TOK_PARAM)
		return unexpected(p, tok, error, "%s", expected);
	if (!parse_value(p, dst, expected, error))
		return false;
	if (tok->kind == SCN_TOK_PARAM)
		g_snprintf(from, sizeof(from), " (the value of %s)", tok->text);

	switch (dst->kind) {
	case SCN_V_TIME:
		return true;
	case SCN_V_INT:
		if (dst->i == 0) {
			dst->kind = SCN_V_TIME;
			dst->t = 0;
			dst->relative = false;
			return true;
		}
		if (dst->i < 0)
			scn_set_error(error, SCN_ERROR_SYNTAX, &dst->loc,
				      "time '%s'%s cannot be negative", dst->text, from);
		else
			scn_set_error(error, SCN_ERROR_SYNTAX, &dst->loc,
				      "time '%s'%s needs a unit (ns, us, ms, s)", dst->text, from);
		break;
	case SCN_V_DECIMAL:
		if (!strchr(dst->text, '%')) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &dst->loc,
				      "time '%s'%s needs a unit (ns, us, ms, s)", dst->text, from);
			break;
		}
		/* fall through */
	default: {
		char *what = describe_value(dst);

		scn_set_error(error, SCN_ERROR_SYNTAX, &dst->loc, "unexpected %s%s, expected %s",
			      what, from, expected);
		g_free(what);
		break;
	}
	}
	scn_value_clear(dst);
	return false;
}

/* key=value, the key at the current token (the caller saw IDENT "="). */
static bool parse_opt(struct parser *p, GPtrArray *opts, GError **error)
{
	const struct scn_token *key = peek(p, 0);
	struct scn_opt *o = g_new0(struct scn_opt, 1);

	o->key = g_strdup(key->text);
	o->loc = key->loc;
	next(p);
	next(p);
	g_ptr_array_add(opts, o);	/* freed with @opts, even half-built */
	return parse_value(p, &o->val, VALUE_DESC, error);
}

static bool expect_eol(const struct parser *p, const char *expected, GError **error)
{
	if (at_eol(p))
		return true;
	return unexpected(p, peek(p, 0), error, "%s", expected);
}

static bool valid_param_name(const char *s)
{
	if (!(g_ascii_isalpha(s[0]) || s[0] == '_'))
		return false;
	for (; *s; s++)
		if (!(g_ascii_isalnum(*s) || *s == '_'))
			return false;
	return true;
}

static struct override *find_override(const struct parser *p, const char *name)
{
	for (guint i = 0; p->overrides && i < p->overrides->len; i++) {
		struct override *ov = g_ptr_array_index(p->overrides, i);

		if (strcmp(ov->name, name) == 0)
			return ov;
	}
	return NULL;
}

/* "param NAME = VALUE": the keyword is consumed, @st is already listed. */
static bool parse_param(struct parser *p, struct scn_stmt *st, GError **error)
{
	const struct scn_token *name = peek(p, 0);
	const struct scn_param *old;
	struct scn_param *prm;
	struct scn_opt *o;
	struct override *ov;

	if (name->kind != SCN_TOK_IDENT)
		return unexpected(p, name, error, "a parameter name (param NAME = VALUE)");
	if (!valid_param_name(name->text)) {
		scn_set_error(error, SCN_ERROR_SYNTAX, &name->loc,
			      "invalid parameter name '%s' (letters, digits and '_')",
			      name->text);
		return false;
	}
	old = find_param(p, name->text);
	if (old) {
		scn_set_error(error, SCN_ERROR_SYNTAX, &name->loc,
			      "parameter '%s' is already declared at %s:%" G_GUINT32_FORMAT ":%" G_GUINT32_FORMAT,
			      name->text, old->loc.file, old->loc.line, old->loc.col);
		return false;
	}
	next(p);
	if (peek_kind(p, 0) != SCN_TOK_EQ)
		return unexpected(p, peek(p, 0), error, "'=' after the parameter name");
	next(p);

	o = g_new0(struct scn_opt, 1);
	o->key = g_strdup(name->text);
	o->loc = name->loc;
	g_ptr_array_add(st->opts, o);
	if (!parse_value(p, &o->val, VALUE_DESC, error))
		return false;
	if (!expect_eol(p, "end of line after the parameter value", error))
		return false;

	ov = find_override(p, o->key);
	if (ov) {
		scn_value_clear(&o->val);
		scn_value_copy(&o->val, &ov->val);
		ov->used = true;
	}
	prm = g_new0(struct scn_param, 1);
	prm->name = g_strdup(o->key);
	prm->loc = o->loc;
	prm->overridden = ov != NULL;
	scn_value_copy(&prm->val, &o->val);
	g_ptr_array_add(p->s->params, prm);
	g_hash_table_insert(p->param_index, prm->name, prm);
	return true;
}

/* [var =] name ( [value {, value}] ), at the current token. */
static bool parse_call(struct parser *p, struct scn_stmt *st, GError **error)
{
	struct scn_call *c = g_new0(struct scn_call, 1);
	const struct scn_token *tok;

	c->args = g_ptr_array_new_with_free_func((GDestroyNotify)scn_value_free);
	st->call = c;
	if (peek_kind(p, 1) == SCN_TOK_EQ) {
		c->var = g_strdup(peek(p, 0)->text);
		c->var_loc = peek(p, 0)->loc;
		next(p);
		next(p);
	}
	c->name = g_strdup(peek(p, 0)->text);
	c->loc = peek(p, 0)->loc;
	next(p);
	next(p);	/* '(' */
	if (peek_kind(p, 0) == SCN_TOK_RPAREN) {
		next(p);
		return true;
	}
	for (;;) {
		struct scn_value *v = g_new0(struct scn_value, 1);

		g_ptr_array_add(c->args, v);
		if (!parse_value(p, v, c->args->len == 1 ? VALUE_DESC " or ')'" : VALUE_DESC,
				 error))
			return false;
		tok = peek(p, 0);
		if (tok->kind == SCN_TOK_RPAREN) {
			next(p);
			return true;
		}
		if (tok->kind != SCN_TOK_COMMA)
			return unexpected(p, tok, error, "',' or ')' in the arguments of '%s'",
					  c->name);
		next(p);
	}
}

/* = ret [ERRNO] [@ time [~ time]] {key=value}, at the '='. */
static bool parse_result(struct parser *p, struct scn_stmt *st, GError **error)
{
	struct scn_result *r = g_new0(struct scn_result, 1);
	const char *expected;

	r->opts = g_ptr_array_new_with_free_func((GDestroyNotify)scn_opt_free);
	st->result = r;
	r->loc = peek(p, 0)->loc;
	next(p);

	if (!parse_value(p, &r->ret, "an integer return value", error))
		return false;
	if (r->ret.kind != SCN_V_INT) {
		char *what = describe_value(&r->ret);

		scn_set_error(error, SCN_ERROR_SYNTAX, &r->ret.loc,
			      "unexpected %s, expected an integer return value", what);
		g_free(what);
		return false;
	}
	expected = "an errno name, '@', key=value or end of line";
	if (peek_kind(p, 0) == SCN_TOK_IDENT && peek_kind(p, 1) != SCN_TOK_EQ) {
		r->err = g_strdup(peek(p, 0)->text);
		r->err_loc = peek(p, 0)->loc;
		next(p);
		expected = "'@', key=value or end of line";
	}
	if (peek_kind(p, 0) == SCN_TOK_AT) {
		next(p);
		if (!parse_time(p, &r->at, "a time after '@'", error))
			return false;
		r->has_at = true;
		expected = "'~', key=value or end of line";
		if (peek_kind(p, 0) == SCN_TOK_TILDE) {
			next(p);
			if (!parse_time(p, &r->tol, "a tolerance time after '~'", error))
				return false;
			r->has_tol = true;
			expected = "key=value or end of line";
		}
	}
	while (peek_kind(p, 0) == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_EQ) {
		if (!parse_opt(p, r->opts, error))
			return false;
		expected = "key=value or end of line";
	}
	return expect_eol(p, expected, error);
}

static bool is_time_start(const struct scn_token *tok)
{
	if (tok->kind == SCN_TOK_PARAM)
		return true;
	return tok->kind == SCN_TOK_VALUE &&
	       (tok->val.kind == SCN_V_INT || tok->val.kind == SCN_V_TIME ||
		tok->val.kind == SCN_V_DECIMAL);
}

static bool parse_line(struct parser *p, struct scn_stmt *st, GError **error);

/* ---- programs: blocks of lines (docs/scenario-language.md, "Programs") ---- */

static struct scn_stmt *stmt_new(void)
{
	struct scn_stmt *st = g_new0(struct scn_stmt, 1);

	st->words = g_ptr_array_new_with_free_func((GDestroyNotify)scn_value_free);
	st->opts = g_ptr_array_new_with_free_func((GDestroyNotify)scn_opt_free);
	return st;
}

static struct scn_stmt *stmt_at(const struct parser *p, guint i)
{
	return g_ptr_array_index(p->s->stmts, i);
}

/* The control keyword at the current token, or SCN_B_NONE (a call, an assignment, an option). */
static enum scn_block control_at(const struct parser *p)
{
	static const struct { const char *name; enum scn_block b; } words[] = {
		{ "loop", SCN_B_LOOP }, { "if", SCN_B_IF }, { "else", SCN_B_ELSE },
		{ "end", SCN_B_END }, { "on", SCN_B_ON }, { "sleep", SCN_B_SLEEP },
		{ "break", SCN_B_BREAK }, { "continue", SCN_B_CONTINUE }, { "exit", SCN_B_EXIT },
		{ "spawn", SCN_B_SPAWN }, { "program", SCN_B_PROGRAM }, { "for", SCN_B_FOR },
		{ "sigaction", SCN_B_SIGACTION },
	};
	const struct scn_token *tok = peek(p, 0);

	if (tok->kind != SCN_TOK_IDENT || peek_kind(p, 1) == SCN_TOK_LPAREN ||
	    peek_kind(p, 1) == SCN_TOK_EQ)
		return SCN_B_NONE;
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strcmp(tok->text, words[i].name) == 0)
			return words[i].b;
	return SCN_B_NONE;
}

static bool opens_block(enum scn_block b)
{
	return b == SCN_B_PROGRAM || b == SCN_B_LOOP || b == SCN_B_IF || b == SCN_B_SPAWN ||
	       b == SCN_B_FOR;
}

/* An errno name: E and capitals or digits (EINTR, E2BIG). */
static bool errno_word(const struct scn_token *tok)
{
	const char *t = tok->text;

	if (tok->kind != SCN_TOK_IDENT || t[0] != 'E' || !t[1])
		return false;
	for (t++; *t; t++)
		if (!g_ascii_isupper(*t) && !g_ascii_isdigit(*t))
			return false;
	return true;
}

/* COND = INTEGER [ERRNO] | ERRNO: what the last call returned. */
static bool parse_cond(struct parser *p, struct scn_result **out, const char *what, GError **error)
{
	const struct scn_token *tok = peek(p, 0);
	struct scn_result *r = g_new0(struct scn_result, 1);

	*out = r;
	r->loc = tok->loc;
	if (tok->kind == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_CMP) {
		/* VAR OP INTEGER: a program's variable against a constant */
		r->var = g_strdup(tok->text);
		r->var_loc = tok->loc;
		next(p);
		r->cmp = g_strdup(peek(p, 0)->text);
		next(p);
		tok = peek(p, 0);
		if (tok->kind != SCN_TOK_VALUE && tok->kind != SCN_TOK_PARAM && tok->kind != SCN_TOK_EXPR)
			return unexpected(p, tok, error, "an integer after '%s %s'", r->var, r->cmp);
		if (!parse_value(p, &r->ret, "an integer", error))
			return false;
		if (r->ret.kind != SCN_V_INT || r->ret.idx) {
			char *d = describe_value(&r->ret);

			scn_set_error(error, SCN_ERROR_SYNTAX, &r->ret.loc, "unexpected %s, expected an integer after '%s %s'",
				      d, r->var, r->cmp);
			g_free(d);
			return false;
		}
		return true;
	}
	if (errno_word(tok)) {
		r->err = g_strdup(tok->text);
		r->err_loc = tok->loc;
		next(p);
		return true;
	}
	if (tok->kind != SCN_TOK_VALUE && tok->kind != SCN_TOK_PARAM && tok->kind != SCN_TOK_EXPR)
		return unexpected(p, tok, error, "%s: an integer such as 0 or -1, or an errno name such as ECONNREFUSED",
				  what);
	if (!parse_value(p, &r->ret, what, error))
		return false;
	if (r->ret.kind != SCN_V_INT || r->ret.idx) {
		char *d = describe_value(&r->ret);

		scn_set_error(error, SCN_ERROR_SYNTAX, &r->ret.loc,
			      "unexpected %s, expected %s: an integer such as 0 or -1, or an errno name", d, what);
		g_free(d);
		return false;
	}
	tok = peek(p, 0);
	if (errno_word(tok) && peek_kind(p, 1) != SCN_TOK_LPAREN && peek_kind(p, 1) != SCN_TOK_EQ) {
		r->err = g_strdup(tok->text);
		r->err_loc = tok->loc;
		next(p);
	}
	return true;
}

/* [TIME] {opt} [VAR =] CALL(...) [= RESULT]: a call line of a program. */
static bool parse_body_call(struct parser *p, struct scn_stmt *st, GError **error)
{
	const struct scn_token *tok = peek(p, 0);

	if (is_time_start(tok)) {
		if (!parse_time(p, &st->time, "a time or a call", error))
			return false;
		st->timed = true;
	}
	while (peek_kind(p, 0) == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_EQ &&
	       !(peek_kind(p, 2) == SCN_TOK_IDENT && peek_kind(p, 3) == SCN_TOK_LPAREN)) {
		if (!parse_opt(p, st->opts, error))
			return false;
	}
	tok = peek(p, 0);
	if (tok->kind != SCN_TOK_IDENT ||
	    !(peek_kind(p, 1) == SCN_TOK_LPAREN ||
	      (peek_kind(p, 1) == SCN_TOK_EQ && peek_kind(p, 2) == SCN_TOK_IDENT &&
	       peek_kind(p, 3) == SCN_TOK_LPAREN)))
		return unexpected(p, tok, error, "%s", st->timed ?
				  "a call such as connect(c, 10.0.0.2:80) after the time (lines of a program name no process)" :
				  "a call such as connect(c, 10.0.0.2:80), loop, for, if, on, sleep, spawn, break, continue, exit or end");
	st->block = SCN_B_CALL;
	st->kw_loc = tok->loc;
	if (!parse_call(p, st, error))
		return false;
	if (peek_kind(p, 0) == SCN_TOK_EQ)
		return parse_result(p, st, error);
	return expect_eol(p, "'=' and the expected result, or end of line", error);
}

/* loop [N] [until CALL = COND | until TIME], after the keyword. */
static bool parse_loop(struct parser *p, struct scn_stmt *st, GError **error)
{
	const struct scn_token *tok = peek(p, 0);

	if (tok->kind == SCN_TOK_VALUE || tok->kind == SCN_TOK_PARAM || tok->kind == SCN_TOK_EXPR) {
		struct scn_value *v = g_new0(struct scn_value, 1);

		g_ptr_array_add(st->words, v);
		if (!parse_value(p, v, "a count", error))
			return false;
		tok = peek(p, 0);
	}
	if (tok->kind == SCN_TOK_IDENT && strcmp(tok->text, "until") == 0) {
		next(p);
		tok = peek(p, 0);
		if (tok->kind == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_CMP) {	/* until n == 0 */
			if (!parse_cond(p, &st->cond, "the condition that ends the loop", error))
				return false;
		} else if (tok->kind == SCN_TOK_IDENT && (peek_kind(p, 1) == SCN_TOK_LPAREN ||
						   (peek_kind(p, 1) == SCN_TOK_EQ &&
						    peek_kind(p, 2) == SCN_TOK_IDENT &&
						    peek_kind(p, 3) == SCN_TOK_LPAREN))) {
			if (!parse_call(p, st, error))
				return false;
			if (peek_kind(p, 0) != SCN_TOK_EQ)
				return unexpected(p, peek(p, 0), error,
						  "'=' and the result that ends the loop (e.g. = 0 or = -1 ECONNREFUSED)");
			next(p);
			if (!parse_cond(p, &st->cond, "the result that ends the loop", error))
				return false;
		} else {
			if (!parse_time(p, &st->until, "a call or a time after 'until'", error))
				return false;
			st->has_until = true;
		}
		return expect_eol(p, "end of line after the loop condition", error);
	}
	return expect_eol(p, st->words->len ? "'until' or end of line" : "a count, 'until' or end of line",
			  error);
}

/* One line inside a program; @inline_stmt: the statement of "on COND STMT". */
static bool parse_body_stmt(struct parser *p, struct scn_stmt *st, bool inline_stmt, GError **error)
{
	const struct scn_token *tok = peek(p, 0);
	enum scn_block b = control_at(p);

	st->loc = tok->loc;
	if (b == SCN_B_NONE)
		return parse_body_call(p, st, error);
	if (b == SCN_B_PROGRAM) {
		scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
			      "a program cannot be declared inside a block (close the open one with 'end' first)");
		return false;
	}
	if (inline_stmt && (opens_block(b) || b == SCN_B_ELSE || b == SCN_B_END || b == SCN_B_ON)) {
		scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
			      "'on COND' takes one statement (a call, sleep, break, continue or exit), not '%s'; use 'if COND' ... 'end' for a block",
			      tok->text);
		return false;
	}
	st->block = b;
	st->keyword = g_strdup(tok->text);
	st->kw_loc = tok->loc;
	next(p);
	switch (b) {
	case SCN_B_LOOP:
		return parse_loop(p, st, error);
	case SCN_B_IF:
		if (!parse_cond(p, &st->cond, "the result to test after 'if'", error))
			return false;
		return expect_eol(p, "end of line after the condition (the block follows on the next lines)", error);
	case SCN_B_ON:
		if (!parse_cond(p, &st->cond, "the result to test after 'on'", error))
			return false;
		if (at_eol(p))
			return unexpected(p, peek(p, 0), error,
					  "a statement after the condition (a call, sleep, break, continue or exit)");
		st->then = stmt_new();
		st->then->depth = st->depth;
		return parse_body_stmt(p, st->then, true, error);
	case SCN_B_FOR:	/* for VAR in EV */
		for (int k = 0; k < 3; k++) {
			const struct scn_token *w = peek(p, 0);
			struct scn_value *v;

			if (w->kind != SCN_TOK_IDENT || (k == 1) != (strcmp(w->text, "in") == 0))
				return unexpected(p, w, error, "%s", k == 0 ? "a variable after 'for' (for FD in EVENTS)" :
						  k == 1 ? "'in' after the variable (for FD in EVENTS)" :
						  "the variable an epoll_wait() bound after 'in'");
			v = g_new0(struct scn_value, 1);
			g_ptr_array_add(st->words, v);
			if (!parse_value(p, v, "a variable", error))
				return false;
		}
		return expect_eol(p, "end of line after 'for FD in EVENTS'", error);
	case SCN_B_SIGACTION:	/* sigaction SIG DISPOSITION [restart]: the checker reads the words */
		while (!at_eol(p)) {
			struct scn_value *v = g_new0(struct scn_value, 1);

			g_ptr_array_add(st->words, v);
			if (!parse_value(p, v, "a signal, a disposition (default, ignore, handler) or 'restart'", error))
				return false;
		}
		return true;
	case SCN_B_SLEEP: {
		struct scn_value *v = g_new0(struct scn_value, 1);

		g_ptr_array_add(st->words, v);
		if (!parse_time(p, v, "a time after 'sleep' (e.g. sleep 100ms)", error))
			return false;
		if (v->relative) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &v->loc,
				      "'sleep' takes a duration without '+', found '%s'", v->text);
			return false;
		}
		return expect_eol(p, "end of line after the time", error);
	}
	default:
		return expect_eol(p, b == SCN_B_SPAWN ? "end of line after 'spawn' (its lines follow, up to 'end')" :
				  "end of line", error);
	}
}

/* Does a loop enclose @st within its program or spawn block?  (break, continue) */
static bool in_loop(const struct parser *p)
{
	for (guint i = p->blocks->len; i-- > 0;) {
		enum scn_block b = stmt_at(p, g_array_index(p->blocks, guint, i))->block;

		if (b == SCN_B_LOOP || b == SCN_B_FOR)
			return true;
		if (b == SCN_B_SPAWN || b == SCN_B_PROGRAM)
			return false;
	}
	return false;
}

/* Keep the stack of open blocks: @idx is @st's index in stmts. */
static bool track_blocks(struct parser *p, struct scn_stmt *st, guint idx, GError **error)
{
	guint n = p->blocks->len;
	struct scn_stmt *top = n ? stmt_at(p, g_array_index(p->blocks, guint, n - 1)) : NULL;
	const struct scn_stmt *leaf = st->block == SCN_B_ON ? st->then : st;

	if ((leaf->block == SCN_B_BREAK || leaf->block == SCN_B_CONTINUE) && !in_loop(p)) {
		bool spawn = false;

		for (guint i = 0; i < n; i++)
			spawn |= stmt_at(p, g_array_index(p->blocks, guint, i))->block == SCN_B_SPAWN;
		scn_set_error(error, SCN_ERROR_SYNTAX, &leaf->kw_loc, "'%s' outside a loop%s", leaf->keyword,
			      spawn ? " (a spawn block runs apart from the loop around it)" : "");
		return false;
	}
	switch (st->block) {
	case SCN_B_ELSE:
		if (!top || (top->block != SCN_B_IF && top->block != SCN_B_ELSE)) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &st->kw_loc, "'else' without an open 'if'");
			return false;
		}
		if (top->block == SCN_B_ELSE) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &st->kw_loc,
				      "a second 'else' for one 'if' (the first is at %" G_GUINT32_FORMAT ":%" G_GUINT32_FORMAT ")",
				      top->kw_loc.line, top->kw_loc.col);
			return false;
		}
		top->match = idx;
		st->depth = n - 1;
		g_array_index(p->blocks, guint, n - 1) = idx;
		return true;
	case SCN_B_END:
		top->match = idx;
		st->depth = n - 1;
		g_array_set_size(p->blocks, n - 1);
		return true;
	default:
		if (opens_block(st->block))
			g_array_append_val(p->blocks, idx);
		return true;
	}
}

/* A line at the top level that only a program may hold: a clear error. */
static bool misplaced_control(const struct parser *p, enum scn_block b, GError **error)
{
	const struct scn_token *tok = peek(p, 0);

	if (b == SCN_B_END || b == SCN_B_ELSE)
		scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
			      "'%s' without an open block (program, loop, for, if or spawn)", tok->text);
	else
		scn_set_error(error, SCN_ERROR_SYNTAX, &tok->loc,
			      "'%s' is only allowed inside a program (program NAME on HOST ... end)", tok->text);
	return false;
}

static bool parse_stmt(struct parser *p, GError **error)
{
	const struct scn_token *tok = peek(p, 0);
	struct scn_stmt *st = stmt_new();
	guint idx = p->s->stmts->len;
	enum scn_block b;

	g_ptr_array_add(p->s->stmts, st);	/* freed with the script on error */
	st->loc = tok->loc;
	st->depth = p->blocks->len;
	if (in_program(p))
		return parse_body_stmt(p, st, false, error) && track_blocks(p, st, idx, error);
	b = control_at(p);
	if (b == SCN_B_SIGACTION)	/* at the top level, the directive: sigaction PROC SIG ... */
		b = SCN_B_NONE;
	if (b != SCN_B_NONE && b != SCN_B_PROGRAM)
		return misplaced_control(p, b, error);
	if (b == SCN_B_PROGRAM) {
		st->block = SCN_B_PROGRAM;
		if (!parse_line(p, st, error))
			return false;
		if (st->call) {
			scn_set_error(error, SCN_ERROR_SYNTAX, &st->call->loc,
				      "a program's calls go on the lines below 'program NAME on HOST', up to 'end'");
			return false;
		}
		return track_blocks(p, st, idx, error);
	}
	return parse_line(p, st, error);
}

/* A directive or timed line: [ time ] keyword { word | opt } [ call [ result ] ]. */
static bool parse_line(struct parser *p, struct scn_stmt *st, GError **error)
{
	const struct scn_token *tok = peek(p, 0);

	if (is_time_start(tok)) {
		if (!parse_time(p, &st->time, "a time or a statement name", error))
			return false;
		st->timed = true;
		tok = peek(p, 0);
		if (tok->kind != SCN_TOK_IDENT)
			return unexpected(p, tok, error, "a process or statement name after the time");
	} else if (tok->kind != SCN_TOK_IDENT) {
		return unexpected(p, tok, error, "a time or a statement name");
	}
	st->keyword = g_strdup(tok->text);
	st->kw_loc = tok->loc;
	next(p);

	if (!st->timed && strcmp(st->keyword, "param") == 0)
		return parse_param(p, st, error);

	while (!at_eol(p)) {
		tok = peek(p, 0);
		if (tok->kind == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_LPAREN)
			break;
		if (tok->kind == SCN_TOK_IDENT && peek_kind(p, 1) == SCN_TOK_EQ) {
			if (peek_kind(p, 2) == SCN_TOK_IDENT && peek_kind(p, 3) == SCN_TOK_LPAREN)
				break;
			if (!parse_opt(p, st->opts, error))
				return false;
			continue;
		}
		if (tok->kind == SCN_TOK_IDENT || tok->kind == SCN_TOK_VALUE ||
		    tok->kind == SCN_TOK_PARAM || tok->kind == SCN_TOK_EXPR) {
			struct scn_value *v = g_new0(struct scn_value, 1);

			g_ptr_array_add(st->words, v);
			if (!parse_value(p, v, VALUE_DESC, error))
				return false;
			continue;
		}
		return unexpected(p, tok, error, "a value, key=value, a call or end of line");
	}
	if (at_eol(p))
		return true;

	if (!parse_call(p, st, error))
		return false;
	if (peek_kind(p, 0) == SCN_TOK_EQ)
		return parse_result(p, st, error);
	return expect_eol(p, "'=' and the expected result, or end of line", error);
}

/* --set NAME=VALUE strings -> p->overrides (a later one for a name wins). */
static bool parse_overrides(struct parser *p, const char *const *overrides,
			    GError **error)
{
	const char *file = scn_script_intern(p->s, CMDLINE);
	struct scn_loc cl = { .file = file };

	p->overrides = g_ptr_array_new_with_free_func(override_free);
	for (; overrides && *overrides; overrides++) {
		const char *arg = *overrides;
		const char *eq = strchr(arg, '=');
		struct parser vp = { .s = p->s, .eof_desc = "end of the value" };
		struct override *ov;
		size_t vcol;
		bool ok;

		if (!eq || eq == arg) {
			scn_set_error(error, SCN_ERROR_USAGE, &cl,
				      "invalid parameter setting '%s', expected NAME=VALUE", arg);
			return false;
		}
		vcol = (size_t)(eq - arg) + 2;
		vp.toks = scn_lex(file, eq + 1, strlen(eq + 1), 1, (uint32_t)vcol);
		ov = g_new0(struct override, 1);
		ov->name = g_strndup(arg, (size_t)(eq - arg));
		if (peek_kind(&vp, 0) == SCN_TOK_PARAM) {
			scn_set_error(error, SCN_ERROR_USAGE, &peek(&vp, 0)->loc,
				      "'%s': parameters are not expanded in --set values",
				      peek(&vp, 0)->text);
			ok = false;
		} else {
			ok = parse_value(&vp, &ov->val, VALUE_DESC, error) &&
			     (peek_kind(&vp, 0) == SCN_TOK_EOF ||
			      unexpected(&vp, peek(&vp, 0), error, "a single value"));
		}
		g_array_unref(vp.toks);
		if (!ok) {
			override_free(ov);
			if (error && *error)
				(*error)->code = SCN_ERROR_USAGE;
			return false;
		}
		for (guint i = 0; i < p->overrides->len; i++) {
			if (strcmp(((struct override *)g_ptr_array_index(p->overrides, i))->name,
				   ov->name) == 0) {
				g_ptr_array_remove_index(p->overrides, i);
				break;
			}
		}
		g_ptr_array_add(p->overrides, ov);
	}
	return true;
}

static bool check_overrides_used(struct parser *p, GError **error)
{
	struct scn_loc cl = { .file = scn_script_intern(p->s, CMDLINE) };

	for (guint i = 0; i < p->overrides->len; i++) {
		const struct override *ov = g_ptr_array_index(p->overrides, i);
		GPtrArray *declared;
		GString *names;
		char *hint;

		if (ov->used)
			continue;
		names = g_string_new(NULL);
		declared = g_ptr_array_new();
		for (guint j = 0; j < p->s->params->len; j++) {
			const struct scn_param *prm = g_ptr_array_index(p->s->params, j);

			g_string_append_printf(names, "%s%s", j ? ", " : "", prm->name);
			g_ptr_array_add(declared, prm->name);
		}
		hint = scn_did_you_mean(ov->name, (const char *const *)declared->pdata, declared->len);
		scn_set_error(error, SCN_ERROR_USAGE, &cl, "unknown parameter '%s'%s (declared: %s)",
			      ov->name, hint, names->len ? names->str : "none");
		g_string_free(names, TRUE);
		g_ptr_array_free(declared, TRUE);
		g_free(hint);
		return false;
	}
	return true;
}

static struct scn_script *parse(const char *name, const char *text, size_t len,
				const char *const *overrides, GError **error)
{
	struct parser p = { .eof_desc = "end of file" };
	bool ok;

	p.s = scn_script_new(name);
	p.param_index = g_hash_table_new(g_str_hash, g_str_equal);
	p.blocks = g_array_new(FALSE, FALSE, sizeof(guint));
	ok = parse_overrides(&p, overrides, error);
	if (ok) {
		p.toks = scn_lex(scn_script_intern(p.s, name), text, len, 1, 1);
		while (ok && peek_kind(&p, 0) != SCN_TOK_EOF) {
			if (peek_kind(&p, 0) == SCN_TOK_NEWLINE) {
				next(&p);
				continue;
			}
			ok = parse_stmt(&p, error);
		}
		if (ok && p.blocks->len) {	/* the innermost block is the one to close */
			const struct scn_stmt *open = stmt_at(&p, g_array_index(p.blocks, guint, p.blocks->len - 1));

			scn_set_error(error, SCN_ERROR_SYNTAX, &open->loc,
				      "unterminated '%s': expected 'end' before the end of the file",
				      scn_block_name(open->block));
			ok = false;
		}
		g_array_unref(p.toks);
	}
	g_array_unref(p.blocks);
	ok = ok && check_overrides_used(&p, error);
	g_ptr_array_unref(p.overrides);
	g_hash_table_unref(p.param_index);
	if (!ok) {
		scn_script_free(p.s);
		return NULL;
	}
	return p.s;
}

struct scn_script *scn_parse_string(const char *name, const char *text,
				    const char *const *overrides, GError **error)
{
	g_return_val_if_fail(name != NULL && text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return parse(name, text, strlen(text), overrides, error);
}

struct scn_script *scn_parse_file(const char *path, const char *const *overrides,
				  GError **error)
{
	return scn_parse_file_limited(path, overrides, NULL, error);
}

/* Is every line of @buf at most limit.line-bytes long (its newline aside)?  Else the error at the first byte past it. */
static bool line_lengths_ok(const GString *buf, const struct scn_limits *lim, struct scn_loc *loc, GError **error)
{
	uint64_t max = lim->v[SCN_LIMIT_LINE_BYTES];
	size_t start = 0;

	for (uint32_t line = 1; start < buf->len; line++) {
		const char *nl = memchr(buf->str + start, '\n', buf->len - start);
		size_t end = nl ? (size_t)(nl - buf->str) : buf->len;

		if (end - start > max) {
			g_autofree char *what = g_strdup_printf("line %" G_GUINT32_FORMAT " (%zu bytes)", line, end - start);
			g_autofree char *msg = scn_limit_exceeded(lim, SCN_LIMIT_LINE_BYTES, what);

			loc->line = line;
			loc->col = (uint32_t)MIN(max + 1, (uint64_t)UINT32_MAX);
			scn_set_error(error, SCN_ERROR_IO, loc, "%s", msg);
			return false;
		}
		start = end + 1;
	}
	return true;
}

/* A scenario file is read whole: limit.file-bytes bounds what that may cost. */
struct scn_script *scn_parse_file_limited(const char *path, const char *const *overrides,
					  const struct scn_limits *lim, GError **error)
{
	struct scn_limits defaults;
	struct scn_loc loc = { .file = path };
	struct scn_script *s;
	GString *buf;
	char chunk[4096];
	size_t n;
	FILE *f;

	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	if (!lim) {
		scn_limits_from_sets(&defaults, NULL, NULL);
		lim = &defaults;
	}
	f = fopen(path, "rb");
	if (!f) {
		scn_set_error(error, SCN_ERROR_IO, &loc, "cannot open: %s", g_strerror(errno));
		return NULL;
	}
	buf = g_string_new(NULL);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		g_string_append_len(buf, chunk, (gssize)n);
		if (buf->len > lim->v[SCN_LIMIT_FILE_BYTES]) {	/* /dev/zero, a wrong file */
			g_autofree char *msg = scn_limit_exceeded(lim, SCN_LIMIT_FILE_BYTES, "the file");

			loc.line = 1;
			loc.col = 1;
			scn_set_error(error, SCN_ERROR_IO, &loc, "%s", msg);
			fclose(f);
			g_string_free(buf, TRUE);
			return NULL;
		}
	}
	if (ferror(f)) {
		scn_set_error(error, SCN_ERROR_IO, &loc, "cannot read: %s", g_strerror(errno));
		fclose(f);
		g_string_free(buf, TRUE);
		return NULL;
	}
	fclose(f);
	if (!line_lengths_ok(buf, lim, &loc, error)) {
		g_string_free(buf, TRUE);
		return NULL;
	}
	s = parse(path, buf->str, buf->len, overrides, error);
	g_string_free(buf, TRUE);
	return s;
}
