/* SPDX-License-Identifier: MIT */
/*
 * Scenario lexer.  See lexer.h and docs/scenario-language.md.
 *
 * Outside strings the input is split into punctuation ( ) , = @ ~, strings,
 * comments, newlines and *words*: maximal runs of printable ASCII that are
 * not whitespace or punctuation.  A word is then classified by its first
 * character (letter/'_': identifier, digit/'+'/'-': number, '$': parameter)
 * and checked as a whole, so "10msx" is one bad literal, not "10ms" "x".
 *
 * Numbers never go through floating point: "1.5s" is split into the digit
 * strings "1" and "5" and scaled by a power of ten (dec_scale()).
 */
#include "lexer.h"
#include "addr6.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

struct lexer {
	const char *file;
	const char *base;
	size_t len;
	size_t pos;
	uint32_t line;
	uint32_t col;
	GArray *toks;
	bool failed;
};

static void token_clear(gpointer data)
{
	struct scn_token *t = data;

	g_free(t->text);
	g_free(t->str);
	g_clear_error(&t->error);
}

static int cur(const struct lexer *lx, size_t ahead)
{
	size_t i = lx->pos + ahead;

	return i < lx->len ? (unsigned char)lx->base[i] : -1;
}

static void advance(struct lexer *lx)
{
	if (lx->base[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static struct scn_loc here(const struct lexer *lx)
{
	return (struct scn_loc){ .file = lx->file, .line = lx->line, .col = lx->col };
}

static struct scn_token *push(struct lexer *lx, enum scn_tok_kind kind,
			      struct scn_loc loc, size_t offset, size_t len)
{
	struct scn_token t = {
		.kind = kind,
		.loc = loc,
		.offset = offset,
		.len = len,
		.text = g_strndup(lx->base + offset, len),
	};

	g_array_append_val(lx->toks, t);
	return &g_array_index(lx->toks, struct scn_token, lx->toks->len - 1);
}

/* Ends lexing with an ERROR token at @loc. */
G_GNUC_PRINTF(3, 4)
static void fail(struct lexer *lx, struct scn_loc loc, const char *fmt, ...)
{
	struct scn_token *t;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	t = push(lx, SCN_TOK_ERROR, loc, lx->pos, 0);
	scn_set_error(&t->error, SCN_ERROR_SYNTAX, &loc, "%s", msg);
	g_free(msg);
	lx->failed = true;
}

/* "'x'" for a printable byte, "'\xNN'" otherwise. */
static void describe_byte(int c, char buf[8])
{
	if (c > 0x20 && c < 0x7f)
		g_snprintf(buf, 8, "'%c'", c);
	else
		g_snprintf(buf, 8, "'\\x%02x'", (unsigned)c);
}

static bool is_delim(int c)
{
	switch (c) {
	case ' ': case '\t': case '\r': case '\n':
	case '#': case '(': case ')': case ',': case '=': case '@': case '~':
	case '"': case '\\':
		return true;
	default:
		return false;
	}
}

static bool is_wordc(int c)
{
	return c > 0x20 && c < 0x7f && !is_delim(c);
}

static bool is_identc(int c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '.' || c == ':' ||
	       c == '-' || c == '|';
}

static void lex_string(struct lexer *lx)
{
	struct scn_loc loc = here(lx);
	size_t start = lx->pos;
	GString *buf = g_string_new(NULL);
	struct scn_token *t;

	advance(lx);	/* opening quote */
	for (;;) {
		int c = cur(lx, 0);

		if (c < 0 || c == '\n') {
			fail(lx, loc, "unterminated string");
			goto out;
		}
		if (c == '"') {
			advance(lx);
			break;
		}
		if (c == '\\') {
			int e = cur(lx, 1);

			if (e == '"' || e == '\\') {
				g_string_append_c(buf, (char)e);
				advance(lx);
				advance(lx);
				continue;
			}
			if (e < 0 || e == '\n') {
				fail(lx, loc, "unterminated string");
				goto out;
			}
			if (e > 0x20 && e < 0x7f)
				fail(lx, here(lx), "unknown escape '\\%c' in string, only \\\" and \\\\ are allowed", e);
			else
				fail(lx, here(lx), "invalid character after '\\' in string, only \\\" and \\\\ are allowed");
			goto out;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			char b[8];

			describe_byte(c, b);
			fail(lx, here(lx), "control character %s in string", b);
			goto out;
		}
		g_string_append_c(buf, (char)c);
		advance(lx);
	}
	if (!g_utf8_validate(buf->str, (gssize)buf->len, NULL)) {
		fail(lx, loc, "string is not valid UTF-8");
		goto out;
	}
	t = push(lx, SCN_TOK_VALUE, loc, start, lx->pos - start);
	t->str = g_string_free(buf, FALSE);
	t->val.kind = SCN_V_STRING;
	t->val.loc = loc;
	t->val.text = t->str;
	return;
out:
	g_string_free(buf, TRUE);
}

/* ---- numbers ---------------------------------------------------------- */

static size_t scan_digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && g_ascii_isdigit(s[i]))
		i++;
	return i;
}

enum { SCALE_OK = 0, SCALE_OVERFLOW = -1, SCALE_TOO_FINE = -2 };

/*
 * *out = INT.FRAC * 10^k exactly, from the digit strings @ip (@in digits)
 * and @fp (@fn digits).  After dropping trailing zeros of the fraction the
 * result is an integer iff the fraction has at most @k digits (its last
 * digit is non-zero, so no power of ten divides it).
 */
static int dec_scale(const char *ip, size_t in, const char *fp, size_t fn,
		     unsigned k, uint64_t *out)
{
	uint64_t v = 0, f = 0;

	for (size_t i = 0; i < in; i++) {
		unsigned d = (unsigned)(ip[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return SCALE_OVERFLOW;
		v = v * 10 + d;
	}
	while (fn > 0 && fp[fn - 1] == '0')
		fn--;
	if (fn > k)
		return SCALE_TOO_FINE;
	for (unsigned j = 0; j < k; j++) {
		if (v > UINT64_MAX / 10)
			return SCALE_OVERFLOW;
		v *= 10;
	}
	for (size_t i = 0; i < fn; i++)
		f = f * 10 + (uint64_t)(fp[i] - '0');
	for (size_t j = fn; j < k; j++)
		f *= 10;
	if (v > UINT64_MAX - f)
		return SCALE_OVERFLOW;
	*out = v + f;
	return SCALE_OK;
}

/* An unsigned decimal or 0x-hex literal filling all of s[0..n), <= INT64_MAX. */
static bool parse_uint(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;
	unsigned base = 10;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		int d = base == 16 ? g_ascii_xdigit_value(s[i]) : g_ascii_digit_value(s[i]);

		if (d < 0)
			return false;
		if (v > ((uint64_t)INT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}

static bool looks_ipv4(const char *s, size_t n)
{
	size_t i = scan_digits(s, n);

	if (i == 0 || i >= n || s[i] != '.')
		return false;
	i++;
	size_t j = scan_digits(s + i, n - i);

	return j > 0 && i + j < n && s[i + j] == '.';
}

/*
 * The ":PORT" or "/LEN" at w[i] after an address: 1 done, 0 an error was
 * reported, -1 malformed (the caller names the forms it accepts).
 */
static int lex_addr_suffix(struct lexer *lx, const char *w, size_t n, size_t i,
			   struct scn_loc loc, struct scn_value *v, uint64_t max_plen)
{
	bool port = w[i] == ':';
	size_t d = scan_digits(w + i + 1, n - i - 1);
	uint64_t x;

	if (d == 0 || i + 1 + d != n)
		return -1;
	if (d > 5 || !parse_uint(w + i + 1, d, &x) || x > (port ? 65535 : max_plen)) {
		if (port)
			fail(lx, loc, "invalid port in '%.*s': '%.*s' is not in 0-65535",
			     (int)n, w, (int)d, w + i + 1);
		else
			fail(lx, loc, "invalid prefix length in '%.*s': '%.*s' is more than %u",
			     (int)n, w, (int)d, w + i + 1, (unsigned)max_plen);
		return 0;
	}
	if (port) {
		v->port = (uint32_t)x;
		v->has_port = true;
	} else {
		v->kind = SCN_V_PREFIX;
		v->plen = (uint32_t)x;
	}
	return 1;
}

static bool lex_ipv4(struct lexer *lx, const char *w, size_t n,
		     struct scn_loc loc, struct scn_value *v)
{
	uint32_t ip = 0;
	size_t i = 0;

	for (int oct = 0; oct < 4; oct++) {
		size_t d;
		uint64_t x;

		if (oct > 0) {
			if (i >= n || w[i] != '.')
				goto bad;
			i++;
		}
		d = scan_digits(w + i, n - i);
		if (d == 0)
			goto bad;
		if (d > 3 || !parse_uint(w + i, d, &x) || x > 255) {
			fail(lx, loc, "invalid IPv4 address '%.*s': '%.*s' is not an octet (0-255)",
			     (int)n, w, (int)d, w + i);
			return false;
		}
		ip = ip << 8 | (uint32_t)x;
		i += d;
	}
	v->ip = ip;
	v->kind = SCN_V_ADDR;
	if (i == n)
		return true;
	if (w[i] == ':' || w[i] == '/') {
		int r = lex_addr_suffix(lx, w, n, i, loc, v, 32);

		if (r >= 0)
			return r;
	}
bad:
	fail(lx, loc, "invalid IPv4 address '%.*s', expected A.B.C.D, A.B.C.D:PORT or A.B.C.D/LEN",
	     (int)n, w);
	return false;
}

/*
 * An IPv6 literal where an address is expected: 2001:db8::1, ::1,
 * 2001:db8::/64, or in brackets with an optional port: [2001:db8::1]:80,
 * [::1].  Only a word that cannot be anything else comes here (lex_word:
 * a leading '[' or scn_looks_ipv6()), so no existing token changes.
 */
static bool lex_ipv6(struct lexer *lx, const char *w, size_t n,
		     struct scn_loc loc, struct scn_value *v)
{
	const char *a = w, *why = NULL;
	size_t an = n, rest = n;

	if (w[0] == '[') {
		const char *close = memchr(w, ']', n);

		if (!close) {
			fail(lx, loc, "invalid IPv6 address '%.*s': missing ']'", (int)n, w);
			return false;
		}
		a = w + 1;
		an = (size_t)(close - a);
		rest = (size_t)(close + 1 - w);
	} else {
		const char *slash = memchr(w, '/', n);

		if (slash)
			an = rest = (size_t)(slash - w);
	}
	if (!scn_ipv6_parse(a, an, v->ip6, &why)) {
		fail(lx, loc, "invalid IPv6 address '%.*s': %s", (int)an, a, why);
		return false;
	}
	v->kind = SCN_V_ADDR;
	v->v6 = true;
	if (rest == n)
		return true;
	/* a port only after "]", a prefix length only without brackets */
	if ((w[rest] == ':') == (w[0] == '[') && (w[rest] == ':' || w[rest] == '/')) {
		int r = lex_addr_suffix(lx, w, n, rest, loc, v, 128);

		if (r >= 0)
			return r;
	}

	fail(lx, loc, "invalid IPv6 address '%.*s', expected ADDR, [ADDR], [ADDR]:PORT or ADDR/LEN",
	     (int)n, w);
	return false;
}

static const struct {
	const char *name;
	unsigned exp10;
} time_units[] = {
	{ "ns", 0 }, { "us", 3 }, { "ms", 6 }, { "s", 9 },
};

static bool is_unit(const char *s, size_t n, unsigned *exp10)
{
	for (size_t i = 0; i < G_N_ELEMENTS(time_units); i++) {
		if (strlen(time_units[i].name) == n && memcmp(time_units[i].name, s, n) == 0) {
			*exp10 = time_units[i].exp10;
			return true;
		}
	}
	return false;
}

static bool all_alpha(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalpha(s[i]))
			return false;
	return n > 0;
}

static bool all_zero(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '0' && s[i] != '.')
			return false;
	return true;
}

static bool lex_number(struct lexer *lx, const char *w, size_t n,
		       struct scn_loc loc, struct scn_value *v, bool top);

/* One end of a time range: a time, or a bare 0. */
static bool lex_range_end(struct lexer *lx, const char *w, size_t n,
			  const char *part, size_t pn, struct scn_loc loc,
			  sim_time_t *t)
{
	struct scn_value e = { 0 };

	if (pn == 0 || !g_ascii_isdigit(part[0])) {
		fail(lx, loc, "invalid time range '%.*s', expected T1..T2 (for example 1s..3s)",
		     (int)n, w);
		return false;
	}
	if (!lex_number(lx, part, pn, loc, &e, false))
		return false;
	if (e.kind == SCN_V_INT && e.i == 0) {
		*t = 0;
		return true;
	}
	if (e.kind == SCN_V_INT || e.kind == SCN_V_DECIMAL) {
		fail(lx, loc, "invalid time range '%.*s': '%.*s' needs a unit (ns, us, ms, s)",
		     (int)n, w, (int)pn, part);
		return false;
	}
	if (e.kind != SCN_V_TIME) {
		fail(lx, loc, "invalid time range '%.*s': '%.*s' is not a time",
		     (int)n, w, (int)pn, part);
		return false;
	}
	*t = e.t;
	return true;
}

/*
 * A word starting with a digit, '+' or '-'.  @top is false for the ends of
 * a time range (no ranges, signs or addresses inside).
 */
static bool lex_number(struct lexer *lx, const char *w, size_t n,
		       struct scn_loc loc, struct scn_value *v, bool top)
{
	bool rel = false, neg = false;
	const char *b = w;
	size_t bn = n;
	const char *dots;
	uint64_t u;
	int rc;

	if (w[0] == '+' || w[0] == '-') {
		rel = w[0] == '+';
		neg = w[0] == '-';
		b++;
		bn--;
	}
	if (bn == 0 || !g_ascii_isdigit(b[0]))
		goto bad;

	dots = g_strstr_len(b, (gssize)bn, "..");
	if (dots && top) {
		size_t lo = (size_t)(dots - b);

		if (rel || neg) {
			fail(lx, loc, "time range '%.*s' cannot be relative or negative", (int)n, w);
			return false;
		}
		if (g_strstr_len(dots + 2, (gssize)(bn - lo - 2), "..")) {
			fail(lx, loc, "invalid time range '%.*s', expected T1..T2 (for example 1s..3s)",
			     (int)n, w);
			return false;
		}
		if (!lex_range_end(lx, w, n, b, lo, loc, &v->t) ||
		    !lex_range_end(lx, w, n, dots + 2, bn - lo - 2, loc, &v->t_hi))
			return false;
		v->kind = SCN_V_RANGE;
		v->time_range = true;
		return true;
	}
	if (dots)
		goto bad;

	if (looks_ipv4(b, bn)) {
		if (rel || neg || !top)
			goto bad;
		return lex_ipv4(lx, w, n, loc, v);
	}

	/* hexadecimal integer, or an integer range with a hex low end */
	if (bn > 1 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) {
		const char *dash = memchr(b, '-', bn);
		size_t hn = dash ? (size_t)(dash - b) : bn;
		uint64_t hi;

		if (rel || !parse_uint(b, hn, &u))
			goto bad;
		if (!dash) {
			v->kind = SCN_V_INT;
			v->i = neg ? -(int64_t)u : (int64_t)u;
			return true;
		}
		if (neg || !top || !parse_uint(dash + 1, bn - hn - 1, &hi))
			goto bad_range;
		v->kind = SCN_V_RANGE;
		v->i = (int64_t)u;
		v->i_hi = (int64_t)hi;
		return true;
	}

	size_t in = scan_digits(b, bn), fn = 0;
	const char *fp = b + in;

	if (in < bn && b[in] == '.' && in + 1 < bn && g_ascii_isdigit(b[in + 1])) {
		fp = b + in + 1;
		fn = scan_digits(fp, bn - in - 1);
	}
	const char *suf = fn ? fp + fn : b + in;
	size_t sn = bn - (size_t)(suf - b);
	unsigned k;

	if (sn == 0 && rel) {
		if (all_zero(b, bn)) {
			v->kind = SCN_V_TIME;
			v->t = 0;
			v->relative = true;
			return true;
		}
		fail(lx, loc, "time '%.*s' needs a unit (ns, us, ms, s)", (int)n, w);
		return false;
	}
	if (sn == 0 && fn == 0) {
		uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

		rc = dec_scale(b, in, NULL, 0, 0, &u);
		if (rc != SCALE_OK || u > lim) {
			fail(lx, loc, "integer '%.*s' is out of range", (int)n, w);
			return false;
		}
		v->kind = SCN_V_INT;
		v->i = neg ? (int64_t)(0 - u) : (int64_t)u;
		return true;
	}
	if ((sn == 0) || (sn == 1 && suf[0] == '%')) {
		if (neg) {
			fail(lx, loc, "decimal '%.*s' cannot be negative", (int)n, w);
			return false;
		}
		if (rel) {
			fail(lx, loc, "'%.*s' is not a time: only a time can have a leading '+'",
			     (int)n, w);
			return false;
		}
		rc = dec_scale(b, in, fp, fn, sn ? 7 : 9, &u);
		if (rc == SCALE_TOO_FINE) {
			fail(lx, loc, "decimal '%.*s' is finer than 1 part per billion", (int)n, w);
			return false;
		}
		if (rc == SCALE_OVERFLOW) {
			fail(lx, loc, "decimal '%.*s' is too large", (int)n, w);
			return false;
		}
		v->kind = SCN_V_DECIMAL;
		v->ppb = u;
		return true;
	}
	if (is_unit(suf, sn, &k)) {
		if (neg) {
			fail(lx, loc, "time '%.*s' cannot be negative", (int)n, w);
			return false;
		}
		rc = dec_scale(b, in, fp, fn, k, &u);
		if (rc == SCALE_TOO_FINE) {
			fail(lx, loc, "time '%.*s' is finer than 1 ns", (int)n, w);
			return false;
		}
		if (rc == SCALE_OVERFLOW || u > SIM_TIME_END) {
			fail(lx, loc, "time '%.*s' is past the end of simulated time (4611686018.427387904s)",
			     (int)n, w);
			return false;
		}
		v->kind = SCN_V_TIME;
		v->t = u;
		v->relative = rel;
		return true;
	}
	if (suf[0] == '-' && fn == 0 && top && !rel && !neg) {
		uint64_t hi;

		if (dec_scale(b, in, NULL, 0, 0, &u) != SCALE_OK || u > INT64_MAX ||
		    !parse_uint(suf + 1, sn - 1, &hi))
			goto bad_range;
		v->kind = SCN_V_RANGE;
		v->i = (int64_t)u;
		v->i_hi = (int64_t)hi;
		return true;
	}
	if (all_alpha(suf, sn)) {
		fail(lx, loc, "unknown time unit '%.*s' in '%.*s', expected ns, us, ms or s",
		     (int)sn, suf, (int)n, w);
		return false;
	}
bad:
	fail(lx, loc, "invalid number '%.*s'", (int)n, w);
	return false;
bad_range:
	fail(lx, loc, "invalid integer range '%.*s', expected LO-HI (for example 32768-60999)",
	     (int)n, w);
	return false;
}

static bool valid_param_name(const char *s, size_t n)
{
	if (n == 0 || !(g_ascii_isalpha(s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(g_ascii_isalnum(s[i]) || s[i] == '_'))
			return false;
	return true;
}

static void lex_word(struct lexer *lx)
{
	struct scn_loc loc = here(lx);
	size_t start = lx->pos;
	const char *w = lx->base + start;
	struct scn_value v = { 0 };
	struct scn_token *t;
	size_t n;

	while (is_wordc(cur(lx, 0)))
		advance(lx);
	n = lx->pos - start;

	if (w[0] == '[' || scn_looks_ipv6(w, n)) {
		if (!lex_ipv6(lx, w, n, loc, &v))
			return;
		t = push(lx, SCN_TOK_VALUE, loc, start, n);
	} else if (g_ascii_isalpha(w[0]) || w[0] == '_') {
		for (size_t i = 0; i < n; i++) {
			if (!is_identc(w[i])) {
				fail(lx, loc, "invalid character '%c' in identifier '%.*s'",
				     w[i], (int)n, w);
				return;
			}
			if (w[i] == '|' && (i + 1 == n || !(g_ascii_isalpha(w[i + 1]) || w[i + 1] == '_'))) {
				fail(lx, loc, "invalid flag set '%.*s': flags are identifiers joined by '|'",
				     (int)n, w);
				return;
			}
		}
		v.kind = SCN_V_IDENT;
		t = push(lx, SCN_TOK_IDENT, loc, start, n);
	} else if ((g_ascii_isdigit(w[0]) && memchr(w, '$', n)) ||
		   (w[0] == '$' && n > 2 && (memchr(w + 2, '+', n - 2) || memchr(w + 2, '-', n - 2)))) {
		push(lx, SCN_TOK_EXPR, loc, start, n);	/* parser.c:parse_expr() */
		return;
	} else if (w[0] == '$') {
		if (n == 1) {
			fail(lx, loc, "expected a parameter name after '$'");
			return;
		}
		if (!valid_param_name(w + 1, n - 1)) {
			fail(lx, loc, "invalid parameter name '%.*s' (letters, digits and '_', not starting with a digit)",
			     (int)n, w);
			return;
		}
		push(lx, SCN_TOK_PARAM, loc, start, n);
		return;
	} else if (g_ascii_isdigit(w[0]) || w[0] == '+' || w[0] == '-') {
		if (!lex_number(lx, w, n, loc, &v, true))
			return;
		t = push(lx, SCN_TOK_VALUE, loc, start, n);
	} else {
		char b[8];

		describe_byte((unsigned char)w[0], b);
		fail(lx, loc, "unexpected character %s", b);
		return;
	}
	v.loc = loc;
	v.text = t->text;
	t->val = v;
}

/* A '\' must be followed by optional blanks and the end of the line. */
static void lex_continuation(struct lexer *lx)
{
	struct scn_loc loc = here(lx);
	size_t i = 1;
	int c;

	while ((c = cur(lx, i)) == ' ' || c == '\t' || c == '\r')
		i++;
	if (c == '\n') {
		while (i-- > 0)
			advance(lx);
		advance(lx);	/* the newline: line++ */
		return;
	}
	if (c < 0)
		fail(lx, loc, "line continuation '\\' at end of file");
	else
		fail(lx, loc, "stray '\\': a line continuation must end the line");
}

GArray *scn_lex(const char *file, const char *text, size_t len,
		uint32_t line, uint32_t col)
{
	struct lexer lx = {
		.file = file, .base = text, .len = len,
		.line = line, .col = col,
	};
	enum scn_tok_kind punct;

	lx.toks = g_array_new(FALSE, TRUE, sizeof(struct scn_token));
	g_array_set_clear_func(lx.toks, token_clear);

	while (!lx.failed && lx.pos < lx.len) {
		int c = cur(&lx, 0);

		switch (c) {
		case ' ': case '\t': case '\r':
			advance(&lx);
			continue;
		case '#':
			while (lx.pos < lx.len && cur(&lx, 0) != '\n')
				advance(&lx);
			continue;
		case '\\':
			lex_continuation(&lx);
			continue;
		case '"':
			lex_string(&lx);
			continue;
		case '\n':	punct = SCN_TOK_NEWLINE; break;
		case '(':	punct = SCN_TOK_LPAREN; break;
		case ')':	punct = SCN_TOK_RPAREN; break;
		case ',':	punct = SCN_TOK_COMMA; break;
		case '=':
			if (cur(&lx, 1) == '=') {	/* "==": a comparison */
				push(&lx, SCN_TOK_CMP, here(&lx), lx.pos, 2);
				advance(&lx);
				advance(&lx);
				continue;
			}
			punct = SCN_TOK_EQ;
			break;
		case '<': case '>': case '!': {	/* < <= > >= != */
			size_t n = 1 + (cur(&lx, 1) == '=');

			if (c == '!' && n == 1) {
				fail(&lx, here(&lx), "unexpected character '!'");
				continue;
			}
			push(&lx, SCN_TOK_CMP, here(&lx), lx.pos, n);
			while (n--)
				advance(&lx);
			continue;
		}
		case '@':	punct = SCN_TOK_AT; break;
		case '~':	punct = SCN_TOK_TILDE; break;
		default:
			if (is_wordc(c)) {
				lex_word(&lx);
			} else {
				char b[8];

				describe_byte(c, b);
				fail(&lx, here(&lx), "unexpected character %s", b);
			}
			continue;
		}
		push(&lx, punct, here(&lx), lx.pos, 1);
		advance(&lx);
	}
	if (!lx.failed)
		push(&lx, SCN_TOK_EOF, here(&lx), lx.pos, 0);
	return lx.toks;
}

char *scn_token_describe(const struct scn_token *tok, const char *eof_desc)
{
	enum { MAX_CHARS = 40 };

	switch (tok->kind) {
	case SCN_TOK_EOF:
		return g_strdup(eof_desc);
	case SCN_TOK_NEWLINE:
		return g_strdup("end of line");
	case SCN_TOK_ERROR:
		return g_strdup("an invalid token");
	default:
		break;
	}
	if (g_utf8_strlen(tok->text, -1) > MAX_CHARS) {
		const char *end = g_utf8_offset_to_pointer(tok->text, MAX_CHARS);

		if (tok->kind == SCN_TOK_VALUE && tok->val.kind == SCN_V_STRING)
			return g_strdup_printf("string %.*s...\"", (int)(end - tok->text), tok->text);
		return g_strdup_printf("'%.*s...'", (int)(end - tok->text), tok->text);
	}
	if (tok->kind == SCN_TOK_VALUE && tok->val.kind == SCN_V_STRING)
		return g_strdup_printf("string %s", tok->text);
	return g_strdup_printf("'%s'", tok->text);
}
