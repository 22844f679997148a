/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for the scenario lexer and parser (scenario/lexer.c,
 * parser.c, ast.c): every token kind, every statement shape of
 * docs/scenario-language.md, integer-only time/decimal conversion, $param
 * expansion and --set overrides, and the locations stored in the AST.
 * Golden error messages live in tests/parse/errors/ (run_errors.py).
 */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "ast.h"
#include "lexer.h"

#define FILE_NAME "t.scn"

/* ---- helpers ---------------------------------------------------------- */

static struct scn_script *parse_ok_ov(const char *text, const char *const *ov)
{
	GError *error = NULL;
	struct scn_script *s = scn_parse_string(FILE_NAME, text, ov, &error);

	g_assert_no_error(error);
	g_assert_nonnull(s);
	return s;
}

static struct scn_script *parse_ok(const char *text)
{
	return parse_ok_ov(text, NULL);
}

/* The error message of a failing parse; asserts the domain and @code. */
static char *parse_err_ov(const char *text, const char *const *ov, int code)
{
	GError *error = NULL;
	struct scn_script *s = scn_parse_string(FILE_NAME, text, ov, &error);
	char *msg;

	g_assert_null(s);
	g_assert_error(error, SCN_ERROR, code);
	msg = g_strdup(error->message);
	g_error_free(error);
	return msg;
}

static void assert_err(const char *text, const char *want)
{
	char *msg = parse_err_ov(text, NULL, SCN_ERROR_SYNTAX);

	g_assert_cmpstr(msg, ==, want);
	g_free(msg);
}

static void assert_err_ov(const char *text, const char *const *ov, int code,
			  const char *want)
{
	char *msg = parse_err_ov(text, ov, code);

	g_assert_cmpstr(msg, ==, want);
	g_free(msg);
}

static const struct scn_stmt *stmt(const struct scn_script *s, guint i)
{
	g_assert_cmpuint(i, <, s->stmts->len);
	return g_ptr_array_index(s->stmts, i);
}

static const struct scn_value *word(const struct scn_stmt *st, guint i)
{
	g_assert_cmpuint(i, <, st->words->len);
	return g_ptr_array_index(st->words, i);
}

static const struct scn_opt *opt(const struct scn_stmt *st, guint i)
{
	g_assert_cmpuint(i, <, st->opts->len);
	return g_ptr_array_index(st->opts, i);
}

static const struct scn_value *arg(const struct scn_stmt *st, guint i)
{
	g_assert_nonnull(st->call);
	g_assert_cmpuint(i, <, st->call->args->len);
	return g_ptr_array_index(st->call->args, i);
}

static void assert_loc(const struct scn_loc *l, const char *file, uint32_t line, uint32_t col)
{
	g_assert_cmpstr(l->file, ==, file);
	g_assert_cmpuint(l->line, ==, line);
	g_assert_cmpuint(l->col, ==, col);
}

/* The single value of "v VALUE" (one word). */
static struct scn_script *one_value(const char *literal, const struct scn_value **v)
{
	char *text = g_strdup_printf("v %s\n", literal);
	struct scn_script *s = parse_ok(text);

	g_free(text);
	g_assert_cmpuint(s->stmts->len, ==, 1);
	g_assert_cmpuint(stmt(s, 0)->words->len, ==, 1);
	*v = word(stmt(s, 0), 0);
	return s;
}

static sim_time_t time_of(const char *literal)
{
	const struct scn_value *v;
	struct scn_script *s = one_value(literal, &v);
	sim_time_t t;

	g_assert_cmpint(v->kind, ==, SCN_V_TIME);
	t = v->t;
	scn_script_free(s);
	return t;
}

static uint64_t ppb_of(const char *literal)
{
	const struct scn_value *v;
	struct scn_script *s = one_value(literal, &v);
	uint64_t ppb;

	g_assert_cmpint(v->kind, ==, SCN_V_DECIMAL);
	ppb = v->ppb;
	scn_script_free(s);
	return ppb;
}

static int64_t int_of(const char *literal)
{
	const struct scn_value *v;
	struct scn_script *s = one_value(literal, &v);
	int64_t i;

	g_assert_cmpint(v->kind, ==, SCN_V_INT);
	i = v->i;
	scn_script_free(s);
	return i;
}

/* "v LITERAL" must fail with "t.scn:1:3: error: MSG". */
static void assert_value_err(const char *literal, const char *msg)
{
	char *text = g_strdup_printf("v %s\n", literal);
	char *want = g_strdup_printf(FILE_NAME ":1:3: error: %s", msg);

	assert_err(text, want);
	g_free(text);
	g_free(want);
}

/* ---- lexer ------------------------------------------------------------ */

static void test_lex_token_kinds(void)
{
	static const char text[] =
		"a_b-1.c:d|E ( ) , = @ ~ \"s\\\"q\\\\\" 42 -7 0x1f 1.5s +2ms 0.25 1% "
		"10.0.0.2 10.0.0.2:80 10.0.0.0/24 1-2 1s..3s $p # comment\n"
		"x \\\n y";
	static const struct {
		enum scn_tok_kind kind;
		int vkind;	/* -1: no value */
		const char *text;
		uint32_t line, col;
	} want[] = {
		{ SCN_TOK_IDENT, SCN_V_IDENT, "a_b-1.c:d|E", 1, 1 },
		{ SCN_TOK_LPAREN, -1, "(", 1, 13 },
		{ SCN_TOK_RPAREN, -1, ")", 1, 15 },
		{ SCN_TOK_COMMA, -1, ",", 1, 17 },
		{ SCN_TOK_EQ, -1, "=", 1, 19 },
		{ SCN_TOK_AT, -1, "@", 1, 21 },
		{ SCN_TOK_TILDE, -1, "~", 1, 23 },
		{ SCN_TOK_VALUE, SCN_V_STRING, "\"s\\\"q\\\\\"", 1, 25 },
		{ SCN_TOK_VALUE, SCN_V_INT, "42", 1, 34 },
		{ SCN_TOK_VALUE, SCN_V_INT, "-7", 1, 37 },
		{ SCN_TOK_VALUE, SCN_V_INT, "0x1f", 1, 40 },
		{ SCN_TOK_VALUE, SCN_V_TIME, "1.5s", 1, 45 },
		{ SCN_TOK_VALUE, SCN_V_TIME, "+2ms", 1, 50 },
		{ SCN_TOK_VALUE, SCN_V_DECIMAL, "0.25", 1, 55 },
		{ SCN_TOK_VALUE, SCN_V_DECIMAL, "1%", 1, 60 },
		{ SCN_TOK_VALUE, SCN_V_ADDR, "10.0.0.2", 1, 63 },
		{ SCN_TOK_VALUE, SCN_V_ADDR, "10.0.0.2:80", 1, 72 },
		{ SCN_TOK_VALUE, SCN_V_PREFIX, "10.0.0.0/24", 1, 84 },
		{ SCN_TOK_VALUE, SCN_V_RANGE, "1-2", 1, 96 },
		{ SCN_TOK_VALUE, SCN_V_RANGE, "1s..3s", 1, 100 },
		{ SCN_TOK_PARAM, -1, "$p", 1, 107 },
		{ SCN_TOK_NEWLINE, -1, "\n", 1, 119 },
		{ SCN_TOK_IDENT, SCN_V_IDENT, "x", 2, 1 },
		{ SCN_TOK_IDENT, SCN_V_IDENT, "y", 3, 2 },	/* after "\\\n" */
		{ SCN_TOK_EOF, -1, "", 3, 3 },
	};
	GArray *toks = scn_lex("f", text, strlen(text), 1, 1);

	g_test_summary("every token kind, with its text and line:col");
	g_assert_cmpuint(toks->len, ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < toks->len; i++) {
		const struct scn_token *t = &g_array_index(toks, struct scn_token, i);

		char *esc = g_strescape(t->text, NULL);

		g_test_message("token %u: '%s'", i, esc);
		g_free(esc);
		g_assert_cmpint(t->kind, ==, want[i].kind);
		g_assert_cmpstr(t->text, ==, want[i].text);
		assert_loc(&t->loc, "f", want[i].line, want[i].col);
		if (want[i].vkind >= 0) {
			g_assert_cmpint(t->val.kind, ==, want[i].vkind);
			assert_loc(&t->val.loc, "f", want[i].line, want[i].col);
		}
	}
	g_assert_cmpstr(g_array_index(toks, struct scn_token, 7).val.text, ==, "s\"q\\");
	g_array_unref(toks);
}

static void test_lex_start_position(void)
{
	GArray *toks = scn_lex("<command line>", "1s", 2, 1, 7);
	const struct scn_token *t = &g_array_index(toks, struct scn_token, 0);

	g_test_summary("scn_lex starts counting at the given line:col (for --set values)");
	g_assert_cmpint(t->kind, ==, SCN_TOK_VALUE);
	assert_loc(&t->loc, "<command line>", 1, 7);
	g_array_unref(toks);
}

static void test_lex_error_token(void)
{
	static const char text[] = "host a\nhost \"b";
	GArray *toks = scn_lex("f", text, strlen(text), 1, 1);
	const struct scn_token *last = &g_array_index(toks, struct scn_token, toks->len - 1);

	g_test_summary("lexing stops at the first error with an ERROR token");
	g_assert_cmpint(last->kind, ==, SCN_TOK_ERROR);
	g_assert_error(last->error, SCN_ERROR, SCN_ERROR_SYNTAX);
	g_assert_cmpstr(last->error->message, ==, "f:2:6: error: unterminated string");
	g_assert_cmpint(g_array_index(toks, struct scn_token, toks->len - 2).kind, ==,
			SCN_TOK_IDENT);
	g_array_unref(toks);
}

static void test_lex_describe(void)
{
	static const char text[] = "abc \"x\" ) a123456789012345678901234567890123456789xyz\n";
	GArray *toks = scn_lex("f", text, strlen(text), 1, 1);
	static const char *const want[] = {
		"'abc'", "string \"x\"", "')'",
		"'a123456789012345678901234567890123456789...'", "end of line", "end of file",
	};

	g_test_summary("tokens are described by their text in messages, long ones cut");
	for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
		char *d = scn_token_describe(&g_array_index(toks, struct scn_token, i),
					     "end of file");

		g_assert_cmpstr(d, ==, want[i]);
		g_free(d);
	}
	g_array_unref(toks);
}

/* ---- values: times, decimals, integers, addresses, ranges ------------- */

static void test_time_units(void)
{
	g_test_summary("times in every unit, with integer-only decimal scaling");
	g_assert_cmpuint(time_of("7ns"), ==, 7);
	g_assert_cmpuint(time_of("10us"), ==, SIM_USEC(10));
	g_assert_cmpuint(time_of("200ms"), ==, SIM_MSEC(200));
	g_assert_cmpuint(time_of("1s"), ==, SIM_SEC(1));
	g_assert_cmpuint(time_of("1.5s"), ==, SIM_MSEC(1500));
	g_assert_cmpuint(time_of("0.000001s"), ==, SIM_USEC(1));
	g_assert_cmpuint(time_of("0.000000001s"), ==, 1);
	g_assert_cmpuint(time_of("0.0000000010s"), ==, 1);	/* trailing zeros are fine */
	g_assert_cmpuint(time_of("1.5us"), ==, 1500);
	g_assert_cmpuint(time_of("2.25ms"), ==, 2250000);
	g_assert_cmpuint(time_of("0.001ms"), ==, 1000);
	g_assert_cmpuint(time_of("0.000001ms"), ==, 1);
	g_assert_cmpuint(time_of("1.0ns"), ==, 1);
	g_assert_cmpuint(time_of("0s"), ==, 0);
	g_assert_cmpuint(time_of("007ms"), ==, SIM_MSEC(7));
	g_assert_cmpuint(time_of("131s"), ==, SIM_SEC(131));
	/* the end of simulated time, SIM_TIME_END (include/sim/time.h) */
	g_assert_cmpuint(time_of("4611686018.427387904s"), ==, SIM_TIME_END);
	g_assert_cmpuint(time_of("4611686018427387904ns"), ==, SIM_TIME_END);
}

static void test_time_errors(void)
{
	g_test_summary("sub-nanosecond, overflowing, negative and unit-less times");
	assert_value_err("0.0000000001s", "time '0.0000000001s' is finer than 1 ns");
	assert_value_err("1.5ns", "time '1.5ns' is finer than 1 ns");
	assert_value_err("0.0001us", "time '0.0001us' is finer than 1 ns");
	assert_value_err("4611686018.427387905s",
			 "time '4611686018.427387905s' is past the end of simulated time (4611686018.427387904s)");
	assert_value_err("18446744073.709551615s",
			 "time '18446744073.709551615s' is past the end of simulated time (4611686018.427387904s)");
	assert_value_err("18446744073709551616ns",
			 "time '18446744073709551616ns' is past the end of simulated time (4611686018.427387904s)");
	assert_value_err("99999999999999999999999s",
			 "time '99999999999999999999999s' is past the end of simulated time (4611686018.427387904s)");
	assert_value_err("-1s", "time '-1s' cannot be negative");
	assert_value_err("+5", "time '+5' needs a unit (ns, us, ms, s)");
	assert_value_err("+1.5", "time '+1.5' needs a unit (ns, us, ms, s)");
	assert_value_err("1sec", "unknown time unit 'sec' in '1sec', expected ns, us, ms or s");
	assert_value_err("1S", "unknown time unit 'S' in '1S', expected ns, us, ms or s");
	assert_value_err("1e-3", "invalid number '1e-3'");
	assert_value_err("1.", "invalid number '1.'");
	assert_value_err("1..", "invalid time range '1..': '1' needs a unit (ns, us, ms, s)");
	assert_value_err("1s..", "invalid time range '1s..', expected T1..T2 (for example 1s..3s)");
	/* in a time position */
	assert_err("5 cli close(c)\n", FILE_NAME ":1:1: error: time '5' needs a unit (ns, us, ms, s)");
	assert_err("1.5 signal cli SIGALRM\n",
		   FILE_NAME ":1:1: error: time '1.5' needs a unit (ns, us, ms, s)");
	assert_err("0 cli close(c) = 0 @ 2\n",
		   FILE_NAME ":1:22: error: time '2' needs a unit (ns, us, ms, s)");
	assert_err("0 cli close(c) = 0 @ 1%\n",
		   FILE_NAME ":1:22: error: unexpected decimal '1%', expected a time after '@'");
	assert_err("0 cli close(c) = 0 @ 1s ~ x\n",
		   FILE_NAME ":1:27: error: unexpected 'x', expected a tolerance time after '~'");
}

static void test_time_relative(void)
{
	const struct scn_value *v;
	struct scn_script *s;

	g_test_summary("a leading '+' makes a time relative; '+0' needs no unit");
	s = one_value("+1.5s", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_TIME);
	g_assert_true(v->relative);
	g_assert_cmpuint(v->t, ==, SIM_MSEC(1500));
	g_assert_cmpstr(v->text, ==, "+1.5s");
	scn_script_free(s);

	s = one_value("+0", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_TIME);
	g_assert_true(v->relative);
	g_assert_cmpuint(v->t, ==, 0);
	scn_script_free(s);

	s = one_value("1s", &v);
	g_assert_false(v->relative);
	scn_script_free(s);
}

static void test_decimals(void)
{
	g_test_summary("decimals and percentages to parts per billion, integers only");
	g_assert_cmpuint(ppb_of("0.01"), ==, 10000000);
	g_assert_cmpuint(ppb_of("1%"), ==, 10000000);
	g_assert_cmpuint(ppb_of("0.5"), ==, 500000000);
	g_assert_cmpuint(ppb_of("0.3"), ==, 300000000);
	g_assert_cmpuint(ppb_of("1.0"), ==, 1000000000);
	g_assert_cmpuint(ppb_of("1.5"), ==, 1500000000);
	g_assert_cmpuint(ppb_of("100%"), ==, 1000000000);
	g_assert_cmpuint(ppb_of("0.5%"), ==, 5000000);
	g_assert_cmpuint(ppb_of("0%"), ==, 0);
	g_assert_cmpuint(ppb_of("0.000000001"), ==, 1);
	g_assert_cmpuint(ppb_of("0.0000001%"), ==, 1);
	g_assert_cmpuint(ppb_of("0.100000000000"), ==, 100000000);
	assert_value_err("0.0000000001", "decimal '0.0000000001' is finer than 1 part per billion");
	assert_value_err("0.00000001%", "decimal '0.00000001%' is finer than 1 part per billion");
	assert_value_err("-0.5", "decimal '-0.5' cannot be negative");
	assert_value_err("-1%", "decimal '-1%' cannot be negative");
	assert_value_err("+1%", "'+1%' is not a time: only a time can have a leading '+'");
	assert_value_err("99999999999.5", "decimal '99999999999.5' is too large");
}

static void test_integers(void)
{
	g_test_summary("decimal and hex integers, negative ones, and int64 limits");
	g_assert_cmpint(int_of("0"), ==, 0);
	g_assert_cmpint(int_of("42"), ==, 42);
	g_assert_cmpint(int_of("-1"), ==, -1);
	g_assert_cmpint(int_of("0x1f"), ==, 31);
	g_assert_cmpint(int_of("0X1F"), ==, 31);
	g_assert_cmpint(int_of("-0x10"), ==, -16);
	g_assert_cmpint(int_of("010"), ==, 10);	/* no octal */
	g_assert_cmpint(int_of("9223372036854775807"), ==, INT64_MAX);
	g_assert_cmpint(int_of("-9223372036854775808"), ==, INT64_MIN);
	assert_value_err("9223372036854775808", "integer '9223372036854775808' is out of range");
	assert_value_err("-9223372036854775809", "integer '-9223372036854775809' is out of range");
	assert_value_err("0x", "invalid number '0x'");
	assert_value_err("0x1g", "invalid number '0x1g'");
	assert_value_err("-", "invalid number '-'");
	assert_value_err("-x", "invalid number '-x'");
}

static void test_addresses(void)
{
	const struct scn_value *v;
	struct scn_script *s;

	g_test_summary("IPv4 addresses, with port, and prefixes");
	s = one_value("10.0.0.2", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_ADDR);
	g_assert_cmphex(v->ip, ==, 0x0a000002);
	g_assert_false(v->has_port);
	scn_script_free(s);

	s = one_value("255.255.255.255:65535", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_ADDR);
	g_assert_cmphex(v->ip, ==, 0xffffffff);
	g_assert_true(v->has_port);
	g_assert_cmpuint(v->port, ==, 65535);
	scn_script_free(s);

	s = one_value("10.9.0.0/16", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_PREFIX);
	g_assert_cmphex(v->ip, ==, 0x0a090000);
	g_assert_cmpuint(v->plen, ==, 16);
	scn_script_free(s);

	s = one_value("0.0.0.0/0", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_PREFIX);
	g_assert_cmpuint(v->plen, ==, 0);
	scn_script_free(s);

	assert_value_err("10.0.0.256", "invalid IPv4 address '10.0.0.256': '256' is not an octet (0-255)");
	assert_value_err("1000.0.0.1", "invalid IPv4 address '1000.0.0.1': '1000' is not an octet (0-255)");
	assert_value_err("10.0.0", "invalid IPv4 address '10.0.0', expected A.B.C.D, A.B.C.D:PORT or A.B.C.D/LEN");
	assert_value_err("10.0.0.1.", "invalid IPv4 address '10.0.0.1.', expected A.B.C.D, A.B.C.D:PORT or A.B.C.D/LEN");
	assert_value_err("10.0.0.1:", "invalid IPv4 address '10.0.0.1:', expected A.B.C.D, A.B.C.D:PORT or A.B.C.D/LEN");
	assert_value_err("10.0.0.1:80/8", "invalid IPv4 address '10.0.0.1:80/8', expected A.B.C.D, A.B.C.D:PORT or A.B.C.D/LEN");
	assert_value_err("10.0.0.1:65536", "invalid port in '10.0.0.1:65536': '65536' is not in 0-65535");
	assert_value_err("10.0.0.0/33", "invalid prefix length in '10.0.0.0/33': '33' is more than 32");
	assert_value_err("-10.0.0.1", "invalid number '-10.0.0.1'");
}

static void test_ranges(void)
{
	const struct scn_value *v;
	struct scn_script *s;

	g_test_summary("integer ranges LO-HI and time ranges T1..T2");
	s = one_value("40000-40001", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_RANGE);
	g_assert_false(v->time_range);
	g_assert_cmpint(v->i, ==, 40000);
	g_assert_cmpint(v->i_hi, ==, 40001);
	scn_script_free(s);

	s = one_value("0x10-0x20", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_RANGE);
	g_assert_cmpint(v->i, ==, 16);
	g_assert_cmpint(v->i_hi, ==, 32);
	scn_script_free(s);

	s = one_value("1s..3s", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_RANGE);
	g_assert_true(v->time_range);
	g_assert_cmpuint(v->t, ==, SIM_SEC(1));
	g_assert_cmpuint(v->t_hi, ==, SIM_SEC(3));
	scn_script_free(s);

	s = one_value("0..1.5ms", &v);
	g_assert_true(v->time_range);
	g_assert_cmpuint(v->t, ==, 0);
	g_assert_cmpuint(v->t_hi, ==, 1500000);
	scn_script_free(s);

	assert_value_err("1s..3", "invalid time range '1s..3': '3' needs a unit (ns, us, ms, s)");
	assert_value_err("1s..10.0.0.1", "invalid number '10.0.0.1'");
	assert_value_err("1s..+3s", "invalid time range '1s..+3s', expected T1..T2 (for example 1s..3s)");
	assert_value_err("+1s..3s", "time range '+1s..3s' cannot be relative or negative");
	assert_value_err("1s..2s..3s", "invalid time range '1s..2s..3s', expected T1..T2 (for example 1s..3s)");
	assert_value_err("1-", "invalid integer range '1-', expected LO-HI (for example 32768-60999)");
	assert_value_err("1-x", "invalid integer range '1-x', expected LO-HI (for example 32768-60999)");
	assert_value_err("-1-2", "invalid number '-1-2'");
	assert_value_err("1.5-2", "invalid number '1.5-2'");
}

static void test_identifiers_strings(void)
{
	const struct scn_value *v;
	struct scn_script *s;

	g_test_summary("identifiers, flag sets and strings");
	s = one_value("client:net.ipv4.ip_local_port_range", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_IDENT);
	g_assert_cmpstr(v->text, ==, "client:net.ipv4.ip_local_port_range");
	scn_script_free(s);

	s = one_value("O_NONBLOCK|O_CLOEXEC", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_IDENT);
	g_assert_cmpstr(v->text, ==, "O_NONBLOCK|O_CLOEXEC");
	scn_script_free(s);

	s = one_value("_x-1", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_IDENT);
	scn_script_free(s);

	s = one_value("\"a \\\"b\\\" \\\\ # not a comment \xc3\xa9\"", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_STRING);
	g_assert_cmpstr(v->text, ==, "a \"b\" \\ # not a comment \xc3\xa9");
	scn_script_free(s);

	s = one_value("\"\"", &v);
	g_assert_cmpint(v->kind, ==, SCN_V_STRING);
	g_assert_cmpstr(v->text, ==, "");
	scn_script_free(s);

	assert_value_err("a/b", "invalid character '/' in identifier 'a/b'");
	assert_value_err("a$b", "invalid character '$' in identifier 'a$b'");
	assert_value_err("A|", "invalid flag set 'A|': flags are identifiers joined by '|'");
	assert_value_err("A|1", "invalid flag set 'A|1': flags are identifiers joined by '|'");
	assert_value_err("\"abc", "unterminated string");
	assert_value_err("\"abc\\", "unterminated string");
	assert_value_err("*", "unexpected character '*'");
	assert_value_err(".5", "unexpected character '.'");
	assert_err("v \"a\nb\"\n", FILE_NAME ":1:3: error: unterminated string");
	assert_err("v \"a\\nb\"\n",
		   FILE_NAME ":1:5: error: unknown escape '\\n' in string, only \\\" and \\\\ are allowed");
	assert_err("v \"a\x01\"\n", FILE_NAME ":1:5: error: control character '\\x01' in string");
	assert_err("v \"\xff\"\n", FILE_NAME ":1:3: error: string is not valid UTF-8");
	assert_err("v \xc3\xa9\n", FILE_NAME ":1:3: error: unexpected character '\\xc3'");
	assert_err("v abc\x7f\n", FILE_NAME ":1:6: error: unexpected character '\\x7f'");
	assert_err("v $\n", FILE_NAME ":1:3: error: expected a parameter name after '$'");
	assert_err("v $1x\n", FILE_NAME ":1:3: error: invalid parameter name '$1x' (letters, digits and '_', not starting with a digit)");
}

static void test_nul_byte(void)
{
	static const char text[] = "host a\0b\n";
	GArray *toks = scn_lex("f", text, sizeof(text) - 1, 1, 1);
	const struct scn_token *last = &g_array_index(toks, struct scn_token, toks->len - 1);

	g_test_summary("a NUL byte is an error, not the end of the input");
	g_assert_cmpint(last->kind, ==, SCN_TOK_ERROR);
	g_assert_cmpstr(last->error->message, ==, "f:1:7: error: unexpected character '\\x00'");
	g_array_unref(toks);
}

/* ---- statements --------------------------------------------------------- */

static void test_directives(void)
{
	static const char text[] =
		"scenario \"one SYN lost\"\n"
		"profile linux-6.18\n"
		"timers wheel hz=250 jiffies=0\n"
		"host client 10.0.0.1\n"
		"link client server delay=10ms jitter=1ms rate=1000000000\n"
		"route client 10.9.0.0/16 unreachable\n"
		"sysctl net.ipv4.tcp_syn_retries = 3\n"
		"sysctl client:net.ipv4.ip_local_port_range = 40000-40001\n"
		"process cli on client\n"
		"sigaction cli SIGALRM handler restart\n"
		"lsm deny connect EACCES proc=cli\n"
		"fault drop kind=SYN nth=1 from=client\n"
		"fault loss p=1% kind=SYN|SYNACK\n"
		"fault window during=1s..3s action=blackhole\n"
		"expect states cli c TCP_SYN_SENT TCP_ESTABLISHED\n"
		"expect counter client.TCPTimeouts = 1\n";
	struct scn_script *s = parse_ok(text);
	const struct scn_stmt *st;

	g_test_summary("every directive shape of the language");
	g_assert_cmpuint(s->stmts->len, ==, 16);
	for (guint i = 0; i < s->stmts->len; i++) {
		st = stmt(s, i);
		g_assert_false(st->timed);
		g_assert_null(st->call);
		g_assert_null(st->result);
		assert_loc(&st->loc, FILE_NAME, i + 1, 1);
		assert_loc(&st->kw_loc, FILE_NAME, i + 1, 1);
	}

	st = stmt(s, 0);
	g_assert_cmpstr(st->keyword, ==, "scenario");
	g_assert_cmpuint(st->words->len, ==, 1);
	g_assert_cmpint(word(st, 0)->kind, ==, SCN_V_STRING);
	g_assert_cmpstr(word(st, 0)->text, ==, "one SYN lost");

	st = stmt(s, 1);
	g_assert_cmpstr(word(st, 0)->text, ==, "linux-6.18");
	g_assert_cmpint(word(st, 0)->kind, ==, SCN_V_IDENT);

	st = stmt(s, 2);
	g_assert_cmpstr(word(st, 0)->text, ==, "wheel");
	g_assert_cmpuint(st->opts->len, ==, 2);
	g_assert_cmpstr(opt(st, 0)->key, ==, "hz");
	g_assert_cmpint(opt(st, 0)->val.i, ==, 250);
	g_assert_cmpstr(opt(st, 1)->key, ==, "jiffies");
	g_assert_cmpint(opt(st, 1)->val.kind, ==, SCN_V_INT);
	g_assert_cmpint(opt(st, 1)->val.i, ==, 0);

	st = stmt(s, 3);
	g_assert_cmpuint(st->words->len, ==, 2);
	g_assert_cmpint(word(st, 1)->kind, ==, SCN_V_ADDR);
	g_assert_cmphex(word(st, 1)->ip, ==, 0x0a000001);

	st = stmt(s, 4);
	g_assert_cmpuint(st->words->len, ==, 2);
	g_assert_cmpuint(st->opts->len, ==, 3);
	g_assert_cmpuint(scn_stmt_opt(st, "delay")->val.t, ==, SIM_MSEC(10));
	g_assert_cmpuint(scn_stmt_opt(st, "jitter")->val.t, ==, SIM_MSEC(1));
	g_assert_cmpint(scn_stmt_opt(st, "rate")->val.i, ==, 1000000000);
	g_assert_null(scn_stmt_opt(st, "loss"));

	st = stmt(s, 5);
	g_assert_cmpint(word(st, 1)->kind, ==, SCN_V_PREFIX);
	g_assert_cmpstr(word(st, 2)->text, ==, "unreachable");

	st = stmt(s, 6);
	g_assert_cmpstr(st->keyword, ==, "sysctl");
	g_assert_cmpuint(st->words->len, ==, 0);
	g_assert_cmpuint(st->opts->len, ==, 1);
	g_assert_cmpstr(opt(st, 0)->key, ==, "net.ipv4.tcp_syn_retries");
	g_assert_cmpint(opt(st, 0)->val.kind, ==, SCN_V_INT);
	g_assert_cmpint(opt(st, 0)->val.i, ==, 3);
	assert_loc(&opt(st, 0)->loc, FILE_NAME, 7, 8);
	assert_loc(&opt(st, 0)->val.loc, FILE_NAME, 7, 35);

	st = stmt(s, 7);
	g_assert_cmpstr(opt(st, 0)->key, ==, "client:net.ipv4.ip_local_port_range");
	g_assert_cmpint(opt(st, 0)->val.kind, ==, SCN_V_RANGE);
	g_assert_cmpint(opt(st, 0)->val.i, ==, 40000);
	g_assert_cmpint(opt(st, 0)->val.i_hi, ==, 40001);

	st = stmt(s, 8);
	g_assert_cmpuint(st->words->len, ==, 3);
	g_assert_cmpstr(word(st, 1)->text, ==, "on");

	st = stmt(s, 9);
	g_assert_cmpuint(st->words->len, ==, 4);
	g_assert_cmpstr(word(st, 3)->text, ==, "restart");

	st = stmt(s, 10);
	g_assert_cmpuint(st->words->len, ==, 3);
	g_assert_cmpstr(word(st, 1)->text, ==, "connect");
	g_assert_cmpstr(scn_stmt_opt(st, "proc")->val.text, ==, "cli");

	st = stmt(s, 11);
	g_assert_cmpstr(word(st, 0)->text, ==, "drop");
	g_assert_cmpuint(st->opts->len, ==, 3);
	g_assert_cmpint(scn_stmt_opt(st, "nth")->val.i, ==, 1);

	st = stmt(s, 12);
	g_assert_cmpint(scn_stmt_opt(st, "p")->val.kind, ==, SCN_V_DECIMAL);
	g_assert_cmpuint(scn_stmt_opt(st, "p")->val.ppb, ==, 10000000);
	g_assert_cmpstr(scn_stmt_opt(st, "kind")->val.text, ==, "SYN|SYNACK");

	st = stmt(s, 13);
	g_assert_cmpint(scn_stmt_opt(st, "during")->val.kind, ==, SCN_V_RANGE);
	g_assert_true(scn_stmt_opt(st, "during")->val.time_range);
	g_assert_cmpuint(scn_stmt_opt(st, "during")->val.t_hi, ==, SIM_SEC(3));

	st = stmt(s, 14);
	g_assert_cmpuint(st->words->len, ==, 5);
	g_assert_cmpstr(word(st, 4)->text, ==, "TCP_ESTABLISHED");

	st = stmt(s, 15);
	g_assert_cmpuint(st->words->len, ==, 1);
	g_assert_cmpstr(opt(st, 0)->key, ==, "client.TCPTimeouts");
	g_assert_cmpint(opt(st, 0)->val.i, ==, 1);
	scn_script_free(s);
}

static void test_calls(void)
{
	static const char text[] =
		"0 srv s = socket(AF_INET, SOCK_STREAM, 0)\n"
		"+0 cli connect(c, 10.0.0.2:80) = -1 ETIMEDOUT @ 131s ~ 10ms\n"
		"+0 cli connect(c, 10.0.0.2:80) = -1 EINPROGRESS @ +0\n"
		"5s cli getsockopt(c, SOL_SOCKET, SO_ERROR) = 0 val=ECONNREFUSED\n"
		"0 cli poll(c, POLLOUT, 5s) = 1 revents=POLLOUT|POLLERR\n"
		"1.5s signal cli SIGALRM\n"
		"0 cli connect(c, 10.0.0.2:80, 8) = -1 EINVAL\n"
		"0 cli connect(c, AF_UNSPEC) = 0\n"
		"0 cli getpid()\n"
		"0\tcli  x=dup( c )=3\n";
	struct scn_script *s = parse_ok(text);
	const struct scn_stmt *st;
	const struct scn_result *r;

	g_test_summary("timed call lines: assignment, result, errno, @, ~ and checks");
	g_assert_cmpuint(s->stmts->len, ==, 10);

	st = stmt(s, 0);
	g_assert_true(st->timed);
	g_assert_cmpint(st->time.kind, ==, SCN_V_TIME);
	g_assert_cmpuint(st->time.t, ==, 0);
	g_assert_false(st->time.relative);
	g_assert_cmpstr(st->keyword, ==, "srv");
	assert_loc(&st->kw_loc, FILE_NAME, 1, 3);
	g_assert_cmpstr(st->call->var, ==, "s");
	assert_loc(&st->call->var_loc, FILE_NAME, 1, 7);
	g_assert_cmpstr(st->call->name, ==, "socket");
	assert_loc(&st->call->loc, FILE_NAME, 1, 11);
	g_assert_cmpuint(st->call->args->len, ==, 3);
	g_assert_cmpstr(arg(st, 1)->text, ==, "SOCK_STREAM");
	g_assert_cmpint(arg(st, 2)->kind, ==, SCN_V_INT);
	g_assert_null(st->result);
	g_assert_cmpuint(st->words->len, ==, 0);
	g_assert_cmpuint(st->opts->len, ==, 0);

	st = stmt(s, 1);
	g_assert_true(st->time.relative);
	g_assert_null(st->call->var);
	g_assert_cmpint(arg(st, 1)->kind, ==, SCN_V_ADDR);
	g_assert_cmpuint(arg(st, 1)->port, ==, 80);
	r = st->result;
	g_assert_nonnull(r);
	assert_loc(&r->loc, FILE_NAME, 1 + 1, 32);
	g_assert_cmpint(r->ret.kind, ==, SCN_V_INT);
	g_assert_cmpint(r->ret.i, ==, -1);
	g_assert_cmpstr(r->err, ==, "ETIMEDOUT");
	assert_loc(&r->err_loc, FILE_NAME, 2, 37);
	g_assert_true(r->has_at);
	g_assert_false(r->at.relative);
	g_assert_cmpuint(r->at.t, ==, SIM_SEC(131));
	g_assert_true(r->has_tol);
	g_assert_cmpuint(r->tol.t, ==, SIM_MSEC(10));
	assert_loc(&r->tol.loc, FILE_NAME, 2, 56);
	g_assert_cmpuint(r->opts->len, ==, 0);

	r = stmt(s, 2)->result;
	g_assert_cmpstr(r->err, ==, "EINPROGRESS");
	g_assert_true(r->has_at);
	g_assert_true(r->at.relative);
	g_assert_cmpuint(r->at.t, ==, 0);
	g_assert_false(r->has_tol);

	st = stmt(s, 3);
	g_assert_cmpuint(st->time.t, ==, SIM_SEC(5));
	r = st->result;
	g_assert_cmpint(r->ret.i, ==, 0);
	g_assert_null(r->err);
	g_assert_false(r->has_at);
	g_assert_cmpuint(r->opts->len, ==, 1);
	g_assert_cmpstr(((struct scn_opt *)g_ptr_array_index(r->opts, 0))->key, ==, "val");
	g_assert_cmpstr(((struct scn_opt *)g_ptr_array_index(r->opts, 0))->val.text, ==,
			"ECONNREFUSED");

	st = stmt(s, 4);
	g_assert_cmpint(arg(st, 2)->kind, ==, SCN_V_TIME);
	g_assert_cmpstr(((struct scn_opt *)g_ptr_array_index(st->result->opts, 0))->val.text, ==,
			"POLLOUT|POLLERR");

	st = stmt(s, 5);
	g_assert_cmpuint(st->time.t, ==, SIM_MSEC(1500));
	g_assert_cmpstr(st->keyword, ==, "signal");
	g_assert_null(st->call);
	g_assert_cmpuint(st->words->len, ==, 2);
	g_assert_cmpstr(word(st, 1)->text, ==, "SIGALRM");

	st = stmt(s, 6);
	g_assert_cmpuint(st->call->args->len, ==, 3);
	g_assert_cmpint(arg(st, 2)->i, ==, 8);
	g_assert_cmpstr(st->result->err, ==, "EINVAL");

	st = stmt(s, 7);
	g_assert_cmpuint(st->call->args->len, ==, 2);
	g_assert_cmpstr(arg(st, 1)->text, ==, "AF_UNSPEC");
	g_assert_null(st->result->err);

	st = stmt(s, 8);
	g_assert_cmpstr(st->call->name, ==, "getpid");
	g_assert_cmpuint(st->call->args->len, ==, 0);
	g_assert_null(st->result);

	st = stmt(s, 9);	/* tabs and no spaces around '=' */
	assert_loc(&st->kw_loc, FILE_NAME, 10, 3);
	g_assert_cmpstr(st->call->var, ==, "x");
	assert_loc(&st->call->var_loc, FILE_NAME, 10, 8);
	g_assert_cmpstr(st->call->name, ==, "dup");
	g_assert_cmpint(st->result->ret.i, ==, 3);
	scn_script_free(s);
}

static void test_call_lookahead(void)
{
	struct scn_script *s = parse_ok("x a = b c = d(1)\n");
	const struct scn_stmt *st = stmt(s, 0);

	g_test_summary("IDENT '=' IDENT '(' is a call, IDENT '=' IDENT an option");
	g_assert_cmpuint(st->opts->len, ==, 1);
	g_assert_cmpstr(opt(st, 0)->key, ==, "a");
	g_assert_cmpstr(opt(st, 0)->val.text, ==, "b");
	g_assert_cmpstr(st->call->var, ==, "c");
	g_assert_cmpstr(st->call->name, ==, "d");
	scn_script_free(s);

	/* a newline inside the parentheses ends the statement */
	assert_err("x a = b(\n1)\n",
		   FILE_NAME ":1:9: error: unexpected end of line, expected a value (integer, time, address, identifier or string) or ')'");
	s = parse_ok("x a = b(1,\\\n 2)\n");
	g_assert_cmpuint(stmt(s, 0)->call->args->len, ==, 2);
	assert_loc(&arg(stmt(s, 0), 1)->loc, FILE_NAME, 2, 2);
	scn_script_free(s);
}

static void test_syntax_errors(void)
{
	g_test_summary("parser errors name what was found and what was expected");
	assert_err("0 cli connect(c, ) = 0\n",
		   FILE_NAME ":1:18: error: unexpected ')', expected a value (integer, time, address, identifier or string)");
	assert_err("0 cli connect(c 1)\n",
		   FILE_NAME ":1:17: error: unexpected '1', expected ',' or ')' in the arguments of 'connect'");
	assert_err("0 cli connect(c",
		   FILE_NAME ":1:16: error: unexpected end of file, expected ',' or ')' in the arguments of 'connect'");
	assert_err("0 cli close(c) = ETIMEDOUT\n",
		   FILE_NAME ":1:18: error: unexpected identifier 'ETIMEDOUT', expected an integer return value");
	assert_err("0 cli close(c) = \"0\"\n",
		   FILE_NAME ":1:18: error: unexpected string \"0\", expected an integer return value");
	assert_err("0 cli close(c) = (\n",
		   FILE_NAME ":1:18: error: unexpected '(', expected an integer return value");
	assert_err("0 cli close(c) = 0 EBADF 1\n",
		   FILE_NAME ":1:26: error: unexpected '1', expected '@', key=value or end of line");
	assert_err("0 cli close(c) = 0 1\n",
		   FILE_NAME ":1:20: error: unexpected '1', expected an errno name, '@', key=value or end of line");
	assert_err("0 cli close(c) = 0 @ 1s x\n",
		   FILE_NAME ":1:25: error: unexpected 'x', expected '~', key=value or end of line");
	assert_err("0 cli close(c) = 0 @ 1s ~ 1ms x\n",
		   FILE_NAME ":1:31: error: unexpected 'x', expected key=value or end of line");
	assert_err("0 cli close(c) = 0 a=1 @ 1s\n",
		   FILE_NAME ":1:24: error: unexpected '@', expected key=value or end of line");
	assert_err("0 cli close(c) x\n",
		   FILE_NAME ":1:16: error: unexpected 'x', expected '=' and the expected result, or end of line");
	assert_err("host a )\n",
		   FILE_NAME ":1:8: error: unexpected ')', expected a value, key=value, a call or end of line");
	assert_err("host a b=\n",
		   FILE_NAME ":1:10: error: unexpected end of line, expected a value (integer, time, address, identifier or string)");
	assert_err("host a b=c=d\n",
		   FILE_NAME ":1:11: error: unexpected '=', expected a value, key=value, a call or end of line");
	assert_err("= 1\n", FILE_NAME ":1:1: error: unexpected '=', expected a time or a statement name");
	assert_err("\"x\" a\n",
		   FILE_NAME ":1:1: error: unexpected string \"x\", expected a time or a statement name");
	assert_err("10.0.0.1 a\n",
		   FILE_NAME ":1:1: error: unexpected '10.0.0.1', expected a time or a statement name");
	assert_err("1s\n",
		   FILE_NAME ":1:3: error: unexpected end of line, expected a process or statement name after the time");
	assert_err("1s 2s\n",
		   FILE_NAME ":1:4: error: unexpected '2s', expected a process or statement name after the time");
	assert_err("1s..2s a\n",
		   FILE_NAME ":1:1: error: unexpected '1s..2s', expected a time or a statement name");
	assert_err("host a \\ b\n",
		   FILE_NAME ":1:8: error: stray '\\': a line continuation must end the line");
	assert_err("host a \\", FILE_NAME ":1:8: error: line continuation '\\' at end of file");
	assert_err("host a b(\n",
		   FILE_NAME ":1:10: error: unexpected end of line, expected a value (integer, time, address, identifier or string) or ')'");
}

static void test_error_order(void)
{
	g_test_summary("errors are reported in file order, at the offending token");
	/* the parser error at ')' comes before the lexical error after it */
	assert_err("host ) \"open\n",
		   FILE_NAME ":1:6: error: unexpected ')', expected a value, key=value, a call or end of line");
	/* a lexical error on a later line is not reported before this line's */
	assert_err("host a\nhost )\nhost \"open\n",
		   FILE_NAME ":2:6: error: unexpected ')', expected a value, key=value, a call or end of line");
	/* the lexer's error is reported when the parser reaches it */
	assert_err("host a\nhost b 1xs\n",
		   FILE_NAME ":2:8: error: unknown time unit 'xs' in '1xs', expected ns, us, ms or s");
	/* not at the lookahead position: "a" "=" "b" "(" is peeked, error at ',' */
	assert_err("x a = b c = ,\n",
		   FILE_NAME ":1:13: error: unexpected ',', expected a value (integer, time, address, identifier or string)");
}

static void test_layout(void)
{
	struct scn_script *s;

	g_test_summary("comments, blank lines, CRLF, continuation and a missing final newline");
	s = parse_ok("");
	g_assert_cmpuint(s->stmts->len, ==, 0);
	scn_script_free(s);

	s = parse_ok("# only a comment\n\n   \n\t# indented comment");
	g_assert_cmpuint(s->stmts->len, ==, 0);
	scn_script_free(s);

	s = parse_ok("host a 10.0.0.1 # trailing comment\r\n\r\n"
		     "link a b \\\n"
		     "   delay=1ms \\  \n"
		     "   rate=8\n"
		     "process p on a");
	g_assert_cmpuint(s->stmts->len, ==, 3);
	g_assert_cmpuint(stmt(s, 0)->words->len, ==, 2);
	g_assert_cmpuint(stmt(s, 1)->opts->len, ==, 2);
	assert_loc(&stmt(s, 1)->loc, FILE_NAME, 3, 1);
	assert_loc(&opt(stmt(s, 1), 0)->loc, FILE_NAME, 4, 4);
	assert_loc(&opt(stmt(s, 1), 1)->val.loc, FILE_NAME, 5, 9);
	assert_loc(&stmt(s, 2)->loc, FILE_NAME, 6, 1);
	scn_script_free(s);

	s = parse_ok("host a#x\n");
	g_assert_cmpuint(stmt(s, 0)->words->len, ==, 1);
	g_assert_cmpstr(word(stmt(s, 0), 0)->text, ==, "a");
	scn_script_free(s);
}

/* ---- parameters ---------------------------------------------------------- */

static void test_param_expansion(void)
{
	static const char text[] =
		"param timeo = 1s\n"
		"param port = 10.0.0.2:80\n"
		"param start = +5ms\n"
		"param alias = $timeo\n"
		"0 cli setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, $timeo)\n"
		"$start cli connect(c, $port) = 0 @ $timeo ~ $alias x=$port\n"
		"link a b delay=$timeo $port\n";
	struct scn_script *s = parse_ok(text);
	const struct scn_param *prm;
	const struct scn_stmt *st;

	g_test_summary("$NAME is a copy of the declared value, located at the use");
	g_assert_cmpuint(s->params->len, ==, 4);
	prm = g_ptr_array_index(s->params, 0);
	g_assert_cmpstr(prm->name, ==, "timeo");
	assert_loc(&prm->loc, FILE_NAME, 1, 7);
	g_assert_cmpuint(prm->val.t, ==, SIM_SEC(1));
	g_assert_false(prm->overridden);
	prm = g_ptr_array_index(s->params, 3);
	g_assert_cmpstr(prm->name, ==, "alias");
	g_assert_cmpuint(prm->val.t, ==, SIM_SEC(1));
	assert_loc(&prm->val.loc, FILE_NAME, 4, 15);

	/* param lines stay in the statement list */
	st = stmt(s, 0);
	g_assert_cmpstr(st->keyword, ==, "param");
	g_assert_cmpstr(opt(st, 0)->key, ==, "timeo");
	g_assert_cmpuint(opt(st, 0)->val.t, ==, SIM_SEC(1));

	st = stmt(s, 4);
	g_assert_cmpint(arg(st, 3)->kind, ==, SCN_V_TIME);
	g_assert_cmpuint(arg(st, 3)->t, ==, SIM_SEC(1));
	g_assert_cmpstr(arg(st, 3)->text, ==, "1s");
	assert_loc(&arg(st, 3)->loc, FILE_NAME, 5, 46);

	st = stmt(s, 5);
	g_assert_true(st->timed);
	g_assert_true(st->time.relative);
	g_assert_cmpuint(st->time.t, ==, SIM_MSEC(5));
	assert_loc(&st->time.loc, FILE_NAME, 6, 1);
	assert_loc(&st->loc, FILE_NAME, 6, 1);
	g_assert_cmpint(arg(st, 1)->kind, ==, SCN_V_ADDR);
	g_assert_cmpuint(arg(st, 1)->port, ==, 80);
	g_assert_cmpuint(st->result->at.t, ==, SIM_SEC(1));
	assert_loc(&st->result->at.loc, FILE_NAME, 6, 36);
	g_assert_cmpuint(st->result->tol.t, ==, SIM_SEC(1));

	st = stmt(s, 6);
	g_assert_cmpuint(scn_stmt_opt(st, "delay")->val.t, ==, SIM_SEC(1));
	g_assert_cmpint(word(st, 2)->kind, ==, SCN_V_ADDR);
	scn_script_free(s);

	/* a zero INT param is a time in a time position */
	s = parse_ok("param t0 = 0\n$t0 cli close(c)\n");
	g_assert_cmpint(stmt(s, 1)->time.kind, ==, SCN_V_TIME);
	scn_script_free(s);
}

static void test_param_errors(void)
{
	g_test_summary("undeclared, redeclared, badly named and ill-typed parameters");
	assert_err("0 cli close($fd)\n",
		   FILE_NAME ":1:13: error: undeclared parameter '$fd' (declare it earlier with 'param fd = VALUE')");
	assert_err("$t cli close(c)\nparam t = 1s\n",
		   FILE_NAME ":1:1: error: undeclared parameter '$t' (declare it earlier with 'param t = VALUE')");
	assert_err("param t = 1s\nparam t = 2s\n",
		   FILE_NAME ":2:7: error: parameter 't' is already declared at " FILE_NAME ":1:7");
	assert_err("param a.b = 1\n",
		   FILE_NAME ":1:7: error: invalid parameter name 'a.b' (letters, digits and '_')");
	assert_err("param 1 = 1\n",
		   FILE_NAME ":1:7: error: unexpected '1', expected a parameter name (param NAME = VALUE)");
	assert_err("param t 1\n",
		   FILE_NAME ":1:9: error: unexpected '1', expected '=' after the parameter name");
	assert_err("param t =\n",
		   FILE_NAME ":1:10: error: unexpected end of line, expected a value (integer, time, address, identifier or string)");
	assert_err("param t = 1 2\n",
		   FILE_NAME ":1:13: error: unexpected '2', expected end of line after the parameter value");
	assert_err("param t = \"x\"\n$t cli close(c)\n",
		   FILE_NAME ":2:1: error: unexpected string \"x\" (the value of $t), expected a time or a statement name");
	assert_err("param t = 5\n$t cli close(c)\n",
		   FILE_NAME ":2:1: error: time '5' (the value of $t) needs a unit (ns, us, ms, s)");
	assert_err("param t = 1s\n0 cli close(c) = $t\n",
		   FILE_NAME ":2:18: error: unexpected time '1s', expected an integer return value");
}

static void test_param_overrides(void)
{
	static const char text[] = "param timeo = 1s\nparam n = 3\n0 cli f($timeo, $n)\n";
	static const char *const ov[] = { "timeo=250ms", "n=1", "n=\"two\"", NULL };
	struct scn_script *s = parse_ok_ov(text, ov);
	const struct scn_param *prm;
	const struct scn_stmt *st;

	g_test_summary("--set NAME=VALUE replaces a declared value; the last one wins");
	prm = g_ptr_array_index(s->params, 0);
	g_assert_true(prm->overridden);
	g_assert_cmpuint(prm->val.t, ==, SIM_MSEC(250));
	g_assert_cmpstr(prm->val.text, ==, "250ms");
	assert_loc(&prm->val.loc, "<command line>", 1, 7);
	assert_loc(&prm->loc, FILE_NAME, 1, 7);
	prm = g_ptr_array_index(s->params, 1);
	g_assert_cmpint(prm->val.kind, ==, SCN_V_STRING);
	g_assert_cmpstr(prm->val.text, ==, "two");
	assert_loc(&prm->val.loc, "<command line>", 1, 3);

	st = stmt(s, 2);
	g_assert_cmpuint(arg(st, 0)->t, ==, SIM_MSEC(250));
	assert_loc(&arg(st, 0)->loc, FILE_NAME, 3, 9);
	g_assert_cmpstr(arg(st, 1)->text, ==, "two");
	scn_script_free(s);
}

static void test_override_errors(void)
{
	static const char text[] = "param timeo = 1s\nparam n = 3\n";
	static const char *const unknown[] = { "timeo=2s", "x=1", NULL };
	static const char *const bad[] = { "timeo=1.5", "timeo=1xs", NULL };
	static const char *const empty[] = { "timeo=", NULL };
	static const char *const two[] = { "timeo=1s 2s", NULL };
	static const char *const noeq[] = { "timeo", NULL };
	static const char *const noname[] = { "=1s", NULL };
	static const char *const param[] = { "timeo=$n", NULL };
	static const char *const str[] = { "timeo=\"a", NULL };

	g_test_summary("--set errors name the command line and the column in NAME=VALUE");
	assert_err_ov(text, unknown, SCN_ERROR_USAGE,
		      "<command line>: error: unknown parameter 'x' (declared: timeo, n)");
	assert_err_ov("host a\n", unknown, SCN_ERROR_USAGE,
		      "<command line>: error: unknown parameter 'timeo' (declared: none)");
	assert_err_ov(text, bad, SCN_ERROR_USAGE,
		      "<command line>:1:7: error: unknown time unit 'xs' in '1xs', expected ns, us, ms or s");
	assert_err_ov(text, empty, SCN_ERROR_USAGE,
		      "<command line>:1:7: error: unexpected end of the value, expected a value (integer, time, address, identifier or string)");
	assert_err_ov(text, two, SCN_ERROR_USAGE,
		      "<command line>:1:10: error: unexpected '2s', expected a single value");
	assert_err_ov(text, noeq, SCN_ERROR_USAGE,
		      "<command line>: error: invalid parameter setting 'timeo', expected NAME=VALUE");
	assert_err_ov(text, noname, SCN_ERROR_USAGE,
		      "<command line>: error: invalid parameter setting '=1s', expected NAME=VALUE");
	assert_err_ov(text, param, SCN_ERROR_USAGE,
		      "<command line>:1:7: error: '$n': parameters are not expanded in --set values");
	assert_err_ov(text, str, SCN_ERROR_USAGE, "<command line>:1:7: error: unterminated string");
	/* a syntax error in the file wins over an unknown --set name */
	assert_err_ov("host )\n", unknown, SCN_ERROR_SYNTAX,
		      FILE_NAME ":1:6: error: unexpected ')', expected a value, key=value, a call or end of line");
}

/* ---- API ------------------------------------------------------------------ */

static void test_set_error_formats(void)
{
	struct scn_loc full = { "f.scn", 3, 7 }, noline = { "f.scn", 0, 0 }, nocol = { "f.scn", 3, 0 };
	GError *e = NULL;

	g_test_summary("scn_set_error message formats");
	scn_set_error(&e, SCN_ERROR_SEMANTIC, &full, "bad %s", "thing");
	g_assert_error(e, SCN_ERROR, SCN_ERROR_SEMANTIC);
	g_assert_cmpstr(e->message, ==, "f.scn:3:7: error: bad thing");
	g_clear_error(&e);
	scn_set_error(&e, SCN_ERROR_USAGE, &noline, "x");
	g_assert_cmpstr(e->message, ==, "f.scn: error: x");
	g_clear_error(&e);
	scn_set_error(&e, SCN_ERROR_USAGE, &nocol, "x");
	g_assert_cmpstr(e->message, ==, "f.scn:3: error: x");
	g_clear_error(&e);
	scn_set_error(&e, SCN_ERROR_USAGE, NULL, "x");
	g_assert_cmpstr(e->message, ==, "error: x");
	g_clear_error(&e);
	scn_set_error(NULL, SCN_ERROR_USAGE, NULL, "ignored");
	scn_script_free(NULL);
}

static void test_parse_file(void)
{
	GError *error = NULL;
	char *dir = g_dir_make_tmp("scn-parse-XXXXXX", &error);
	char *path, *want;
	struct scn_script *s;

	g_test_summary("scn_parse_file reads a file and names it in locations and errors");
	g_assert_no_error(error);
	path = g_build_filename(dir, "x.scn", NULL);

	s = scn_parse_file(path, NULL, &error);
	g_assert_null(s);
	g_assert_error(error, SCN_ERROR, SCN_ERROR_IO);
	want = g_strdup_printf("%s: error: cannot open: %s", path, g_strerror(ENOENT));
	g_assert_cmpstr(error->message, ==, want);
	g_free(want);
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(path, "host a 10.0.0.1\nhost b\0x\n", 25, &error));
	s = scn_parse_file(path, NULL, &error);
	g_assert_null(s);
	want = g_strdup_printf("%s:2:7: error: unexpected character '\\x00'", path);
	g_assert_cmpstr(error->message, ==, want);
	g_free(want);
	g_clear_error(&error);

	g_assert_true(g_file_set_contents(path, "host a 10.0.0.1\n", -1, &error));
	s = scn_parse_file(path, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(s->path, ==, path);
	assert_loc(&stmt(s, 0)->loc, path, 1, 1);
	scn_script_free(s);

	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
	g_free(path);
	g_free(dir);
}

static void test_dump(void)
{
	static const char text[] =
		"param p = 1%\n"
		"host a 10.0.0.0/8 \"q\\\"\" 1-2 0..1s\n"
		"+1s a s = f($p, 10.0.0.1:9) = -3 EX @ +0 ~ 1ns k=v\n";
	static const char want[] =
		"param p @1:7 = DECIMAL '1%' @1:11 ppb=10000000\n"
		"stmt @1:1 kw param @1:1\n"
		"  opt p @1:7 = DECIMAL '1%' @1:11 ppb=10000000\n"
		"stmt @2:1 kw host @2:1\n"
		"  word IDENT 'a' @2:6\n"
		"  word PREFIX '10.0.0.0/8' @2:8 ip=10.0.0.0 plen=8\n"
		"  word STRING \"q\\\"\" @2:19\n"
		"  word RANGE '1-2' @2:25 i=1..2\n"
		"  word RANGE '0..1s' @2:29 t=0..1000000000\n"
		"stmt @3:1 at TIME '+1s' @3:1 t=1000000000 rel kw a @3:5\n"
		"  call f @3:11 var s @3:7\n"
		"    arg DECIMAL '1%' @3:13 ppb=10000000\n"
		"    arg ADDR '10.0.0.1:9' @3:17 ip=10.0.0.1 port=9\n"
		"  result @3:29 ret INT '-3' @3:31 i=-3 err EX @3:34\n"
		"    at TIME '+0' @3:39 t=0 rel\n"
		"    tol TIME '1ns' @3:44 t=1\n"
		"    opt k @3:48 = IDENT 'v' @3:50\n";
	struct scn_script *s = parse_ok(text);
	char *d1 = scn_script_dump(s), *d2 = scn_script_dump(s);

	g_test_summary("the canonical dump is complete and stable");
	g_assert_cmpstr(d1, ==, want);
	g_assert_cmpstr(d1, ==, d2);
	g_free(d1);
	g_free(d2);
	scn_script_free(s);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/scenario/lex/token-kinds", test_lex_token_kinds);
	g_test_add_func("/scenario/lex/start-position", test_lex_start_position);
	g_test_add_func("/scenario/lex/error-token", test_lex_error_token);
	g_test_add_func("/scenario/lex/describe", test_lex_describe);
	g_test_add_func("/scenario/lex/nul-byte", test_nul_byte);
	g_test_add_func("/scenario/value/time-units", test_time_units);
	g_test_add_func("/scenario/value/time-errors", test_time_errors);
	g_test_add_func("/scenario/value/time-relative", test_time_relative);
	g_test_add_func("/scenario/value/decimals", test_decimals);
	g_test_add_func("/scenario/value/integers", test_integers);
	g_test_add_func("/scenario/value/addresses", test_addresses);
	g_test_add_func("/scenario/value/ranges", test_ranges);
	g_test_add_func("/scenario/value/identifiers-strings", test_identifiers_strings);
	g_test_add_func("/scenario/parse/directives", test_directives);
	g_test_add_func("/scenario/parse/calls", test_calls);
	g_test_add_func("/scenario/parse/call-lookahead", test_call_lookahead);
	g_test_add_func("/scenario/parse/syntax-errors", test_syntax_errors);
	g_test_add_func("/scenario/parse/error-order", test_error_order);
	g_test_add_func("/scenario/parse/layout", test_layout);
	g_test_add_func("/scenario/param/expansion", test_param_expansion);
	g_test_add_func("/scenario/param/errors", test_param_errors);
	g_test_add_func("/scenario/param/overrides", test_param_overrides);
	g_test_add_func("/scenario/param/override-errors", test_override_errors);
	g_test_add_func("/scenario/api/set-error", test_set_error_formats);
	g_test_add_func("/scenario/api/parse-file", test_parse_file);
	g_test_add_func("/scenario/api/dump", test_dump);

	return g_test_run();
}
