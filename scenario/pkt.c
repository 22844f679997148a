/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the packetdrill front end (scenario/pkt.h).
 *
 * A script is read as packetdrill's grammar reads it (gtests/net/packetdrill/
 * parser.y): a stream of tokens, newlines insignificant, each event a time
 * and an action — a packet ("< S 0:0(0) win 32792 <mss 1460>" inbound,
 * "> S. 0:0(0) ack 1 <...>" outbound), a syscall ("+.1...0.2 connect(3, ...,
 * ...) = 0"), a `shell command` or a %{ python }% block.  Times follow
 * packetdrill's run.c: "+T" is relative to the previous event (an inbound
 * packet after an inbound packet to its start, everything else to when the
 * previous event was done), a blocking call's "...END" is in the same frame
 * as its start, "*" is any time, "T1~T2" a range; the tolerance of an event
 * is the larger of --tolerance_usecs (4000) and --tolerance_percent (12.5 %)
 * of the time since the previous event.  The statements carry the nominal
 * times (each event done at its script time); the script's events and their
 * times as written go with the AST (struct scn_pkt_timing), and the runner
 * (scenario/pkt_run.c) times them from when each previous event was done.
 *
 * The translation is a scenario text, one statement per event, parsed by
 * scenario/parser.c; every location in the resulting AST is then moved back
 * to the script's own line and column.
 */
#include "pkt.h"

#include <stdio.h>
#include <string.h>

#include "env/qdisc.h"
#include "net/skb.h"
#include "net/socket.h"
#include "sim/time.h"

#define PKT_LOCAL_ADDR "192.168.0.1"	/* packetdrill's live_local_ip */
#define PKT_REMOTE_ADDR "192.0.2.1"	/* live_remote_ip (TEST-NET-1) */
#define PKT_BIND_PORT 8080		/* live_bind_port */
#define PKT_CONNECT_PORT 8080		/* live_connect_port */
#define PKT_REMOTE_PORT 40000		/* the remote end's port towards a local listener */

bool scn_is_pkt_path(const char *path)
{
	return g_str_has_suffix(path, ".pkt");
}

/* ---- tokens ---- */

enum tok_kind {
	T_EOF, T_NUM, T_WORD, T_STR, T_BACKTICK, T_CODE, T_OPTION, T_ELLIPSIS, T_PUNCT,
};

struct tok {
	enum tok_kind kind;
	char *text;		/* WORD, NUM, STR (decoded), BACKTICK/CODE (contents), OPTION, PUNCT (one char) */
	uint32_t line, col;
};

struct pkt {
	const char *name;
	GPtrArray *toks;	/* struct tok * */
	guint pos;
	GError **error;
	bool failed;
	/* settings */
	sim_time_t tol;		/* --tolerance_usecs, in ns */
	uint64_t tol_ppm;	/* --tolerance_percent, in parts per million */
	/* translation state */
	GString *out;		/* the scenario text */
	GArray *map;		/* per generated line (from 1): struct scn_loc of the script */
	sim_time_t prev;	/* script time of the previous event */
	bool prev_inbound;
	sim_time_t last;	/* the latest time any event reaches (for `stop at=`) */
	bool client;		/* a connect() was seen: the remote end is the server */
	bool tso_off;		/* `ethtool -K tun0 tso off`: packetdrill sees segments */
	int last_sock;		/* packetdrill's socket_under_test: the latest socket()/accept() fd */
	/*
	 * packetdrill's fd numbering: a script's descriptor numbers are names
	 * (run_system_call.c maps script fds to live ones); the process's
	 * descriptors are the lowest free from 3, as socksim (and Linux)
	 * allocate them.  script fd -> live fd + 1, and the live fds in use.
	 */
	GHashTable *fd_map, *fd_used;
	sim_time_t group_t;	/* the script time of the latest scheduled event ... */
	uint64_t group_n;	/* ... and how many before it had the same time */
	GString *sysctls;	/* sysctl lines, placed before the events */
	GArray *sysctl_map;
	GArray *evs;		/* struct scn_pkt_ev: the events' times as written, for the runner */
	/*
	 * tun0's root qdisc as tc sees it: packetdrill's tun device starts
	 * with the kernel's default root qdisc (a named one: `tc qdisc add
	 * ... root` is refused, "Exclusivity flag on"); `tc qdisc delete`
	 * leaves the unnamed default (handle 0: `add` may replace it, another
	 * `delete` is refused); add/replace install one.  Only an installed
	 * one changes socksim's device (struct qdisc).
	 */
	enum { TC_ROOT_DEFAULT, TC_ROOT_DELETED, TC_ROOT_INSTALLED } tc_root;
	struct qdisc tc_q;	/* the device's qdisc the commands so far left */
};

static void tok_free(struct tok *t)
{
	g_free(t->text);
	g_free(t);
}

G_GNUC_PRINTF(3, 4)
static void fail_at(struct pkt *p, const struct tok *t, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *msg = NULL;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(p->error, SCN_ERROR, SCN_ERROR_SYNTAX, "%s:%u:%u: error: %s", p->name,
		    t ? t->line : 1, t ? t->col : 1, msg);
}

static void add_tok(struct pkt *p, enum tok_kind kind, const char *s, gsize n, uint32_t line, uint32_t col)
{
	struct tok *t = g_new0(struct tok, 1);

	t->kind = kind;
	t->text = g_strndup(s, n);
	t->line = line;
	t->col = col;
	g_ptr_array_add(p->toks, t);
}

static bool lex(struct pkt *p, const char *text)
{
	const char *s = text;
	uint32_t line = 1;
	const char *bol = text;

#define COL ((uint32_t)(s - bol) + 1)
#define NEWLINES(from, to) \
	for (const char *q_ = (from); q_ < (to); q_++) \
		if (*q_ == '\n') { line++; bol = q_ + 1; }
	while (*s && !p->failed) {
		uint32_t col = COL;

		if (*s == '\n') {
			line++;
			bol = ++s;
		} else if (*s == ' ' || *s == '\t' || *s == '\r') {
			s++;
		} else if (s[0] == '/' && s[1] == '/') {
			while (*s && *s != '\n')
				s++;
		} else if ((s[0] == '/' && s[1] == '*') || *s == '`' || (s[0] == '%' && s[1] == '{')) {
			/* a block: a comment (dropped), a `command` or a %{ code }% */
			static const struct { const char *open, *close, *what; enum tok_kind kind; } blocks[] = {
				{ "/*", "*/", "/* comment", T_EOF }, { "`", "`", "`command`", T_BACKTICK },
				{ "%{", "}%", "%{ code block }%", T_CODE },
			};
			size_t b = *s == '/' ? 0 : *s == '`' ? 1 : 2;
			size_t ol = strlen(blocks[b].open);
			const char *end = strstr(s + ol, blocks[b].close);
			struct tok at = { .line = line, .col = col };

			if (!end) {
				fail_at(p, &at, "unterminated %s", blocks[b].what);
				break;
			}
			if (blocks[b].kind != T_EOF)
				add_tok(p, blocks[b].kind, s + ol, (gsize)(end - s - (gssize)ol), line, col);
			NEWLINES(s, end);
			s = end + strlen(blocks[b].close);
		} else if (*s == '"') {
			const char *e = s + 1;
			struct tok at = { .line = line, .col = col };

			while (*e && *e != '"' && *e != '\n')
				e += e[0] == '\\' && e[1] ? 2 : 1;
			if (*e != '"') {
				fail_at(p, &at, "unterminated string");
				break;
			}
			add_tok(p, T_STR, s + 1, (gsize)(e - s - 1), line, col);
			s = e + 1;
		} else if (s[0] == '.' && s[1] == '.' && s[2] == '.') {
			add_tok(p, T_ELLIPSIS, s, 3, line, col);
			s += 3;
		} else if (g_ascii_isdigit(*s) || (*s == '.' && g_ascii_isdigit(s[1]))) {
			const char *e = s;

			if (e[0] == '0' && (e[1] == 'x' || e[1] == 'X')) {
				e += 2;
				while (g_ascii_isxdigit(*e))
					e++;
			} else {
				while (g_ascii_isdigit(*e))
					e++;
				if (*e == '.' && g_ascii_isdigit(e[1])) {
					e++;
					while (g_ascii_isdigit(*e))
						e++;
				}
			}
			add_tok(p, T_NUM, s, (gsize)(e - s), line, col);
			s = e;
		} else if (s[0] == '-' && s[1] == '-' && g_ascii_isalpha(s[2]) && (s == bol || s[-1] == ' ' || s[-1] == '\t')) {
			const char *e = s + 2;

			while (*e && !g_ascii_isspace(*e))
				e++;
			add_tok(p, T_OPTION, s + 2, (gsize)(e - s - 2), line, col);
			s = e;
		} else if (g_ascii_isalpha(*s) || *s == '_') {
			const char *e = s;

			while (g_ascii_isalnum(*e) || *e == '_')
				e++;
			add_tok(p, T_WORD, s, (gsize)(e - s), line, col);
			s = e;
		} else if (strchr("+*~<>()[]{},=:|-.!&/", *s)) {
			add_tok(p, T_PUNCT, s, 1, line, col);
			s++;
		} else {
			struct tok at = { .line = line, .col = col };

			if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
				fail_at(p, &at, "unexpected byte 0x%02x", (unsigned char)*s);
			else
				fail_at(p, &at, "unexpected character '%c'", *s);
		}
	}
#undef COL
#undef NEWLINES
	add_tok(p, T_EOF, "", 0, line, (uint32_t)(s - bol) + 1);
	return !p->failed;
}

static struct tok *peek_n(struct pkt *p, guint n)
{
	guint i = MIN(p->pos + n, p->toks->len - 1);

	return p->toks->pdata[i];
}

static struct tok *peek(struct pkt *p)
{
	return peek_n(p, 0);
}

static struct tok *next(struct pkt *p)
{
	struct tok *t = peek(p);

	if (t->kind != T_EOF)
		p->pos++;
	return t;
}

static bool is_punct(const struct tok *t, char c)
{
	return t->kind == T_PUNCT && t->text[0] == c;
}

static bool is_word(const struct tok *t, const char *w)
{
	return t->kind == T_WORD && strcmp(t->text, w) == 0;
}

static const char *tok_desc(const struct tok *t)
{
	return t->kind == T_EOF ? "the end of the file" : t->text;
}

static bool expect_punct(struct pkt *p, char c, const char *what)
{
	struct tok *t = next(p);

	if (!is_punct(t, c)) {
		fail_at(p, t, "expected '%c' %s, found '%s'", c, what, tok_desc(t));
		return false;
	}
	return true;
}

/* A decimal number of seconds ("0.100", ".1", "2") in ns, exactly. */
static bool num_secs(struct pkt *p, const struct tok *t, sim_time_t *out)
{
	const char *s = t->text;
	uint64_t secs = 0, frac = 0, scale = 1000000000u;

	if (t->kind != T_NUM || s[1] == 'x' || s[1] == 'X') {
		fail_at(p, t, "expected a time in seconds (0.100, +.1), found '%s'", tok_desc(t));
		return false;
	}
	for (; g_ascii_isdigit(*s); s++) {
		if (secs > 4000000000u) {
			fail_at(p, t, "time '%s' is too large", t->text);
			return false;
		}
		secs = secs * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.')
		for (s++; g_ascii_isdigit(*s); s++) {
			scale /= 10;
			if (!scale) {
				fail_at(p, t, "time '%s' is finer than 1 ns", t->text);
				return false;
			}
			frac += (uint64_t)(*s - '0') * scale;
		}
	*out = secs * 1000000000u + frac;
	return true;
}

static bool num_int(struct pkt *p, const struct tok *t, int64_t lo, int64_t hi, int64_t *out)
{
	char *end = NULL;
	guint64 v;

	if (t->kind != T_NUM || strchr(t->text, '.')) {
		fail_at(p, t, "expected an integer, found '%s'", tok_desc(t));
		return false;
	}
	v = g_ascii_strtoull(t->text, &end, 0);
	if (*end || v > (guint64)hi || (int64_t)v < lo) {
		fail_at(p, t, "integer '%s' out of range (%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT ")",
			t->text, lo, hi);
		return false;
	}
	*out = (int64_t)v;
	return true;
}

/* ---- expressions (syscall arguments and results) ---- */

enum expr_kind { E_ELLIPSIS, E_INT, E_WORD, E_STR, E_OR, E_LIST, E_STRUCT, E_CALL, E_FIELD };

struct expr {
	enum expr_kind kind;
	const struct tok *tok;	/* first token */
	int64_t i;
	const char *text;	/* WORD/STR/CALL name/FIELD key (borrowed from the token) */
	GPtrArray *kids;	/* OR, LIST, STRUCT, CALL args; FIELD: [value] */
};

static void expr_free(struct expr *e)
{
	if (!e)
		return;
	if (e->kids)
		g_ptr_array_free(e->kids, TRUE);
	g_free(e);
}

static struct expr *expr_new(enum expr_kind k, const struct tok *t)
{
	struct expr *e = g_new0(struct expr, 1);

	e->kind = k;
	e->tok = t;
	if (k == E_OR || k == E_LIST || k == E_STRUCT || k == E_CALL || k == E_FIELD)
		e->kids = g_ptr_array_new_with_free_func((GDestroyNotify)expr_free);
	return e;
}

static struct expr *parse_expr(struct pkt *p);

/* "( e, e )" or "[ e, e ]" or "{ e, e }" into @e->kids */
static bool parse_list(struct pkt *p, struct expr *e, char close)
{
	if (is_punct(peek(p), close)) {
		next(p);
		return true;
	}
	for (;;) {
		struct expr *k = parse_expr(p);
		struct tok *t;

		if (!k)
			return false;
		if (close == '}' && is_punct(peek(p), '=')) {
			struct expr *f = expr_new(E_FIELD, k->tok);
			struct expr *v;

			next(p);
			f->text = k->kind == E_WORD || k->kind == E_CALL ? k->text : "";
			v = parse_expr(p);
			expr_free(k);
			if (!v) {
				expr_free(f);
				return false;
			}
			g_ptr_array_add(f->kids, v);
			k = f;
		}
		g_ptr_array_add(e->kids, k);
		t = next(p);
		if (is_punct(t, close))
			return true;
		if (!is_punct(t, ',')) {
			fail_at(p, t, "expected ',' or '%c', found '%s'", close, tok_desc(t));
			return false;
		}
	}
}

static struct expr *parse_primary(struct pkt *p)
{
	struct tok *t = next(p);
	struct expr *e;

	switch (t->kind) {
	case T_ELLIPSIS:
		return expr_new(E_ELLIPSIS, t);
	case T_NUM: {
		int64_t v;

		e = expr_new(E_INT, t);
		if (!num_int(p, t, 0, INT64_MAX, &v)) {
			expr_free(e);
			return NULL;
		}
		e->i = v;
		return e;
	}
	case T_STR:
		e = expr_new(E_STR, t);
		e->text = t->text;
		return e;
	case T_WORD:
		if (is_punct(peek(p), '(')) {
			next(p);
			e = expr_new(E_CALL, t);
			e->text = t->text;
			if (!parse_list(p, e, ')')) {
				expr_free(e);
				return NULL;
			}
			return e;
		}
		e = expr_new(E_WORD, t);
		e->text = t->text;
		return e;
	case T_PUNCT:
		if (t->text[0] == '-' && peek(p)->kind == T_NUM) {
			int64_t v;

			e = expr_new(E_INT, t);
			if (!num_int(p, next(p), 0, INT64_MAX, &v)) {
				expr_free(e);
				return NULL;
			}
			e->i = -v;
			return e;
		}
		if (t->text[0] == '[' || t->text[0] == '{') {
			e = expr_new(t->text[0] == '[' ? E_LIST : E_STRUCT, t);
			if (!parse_list(p, e, t->text[0] == '[' ? ']' : '}')) {
				expr_free(e);
				return NULL;
			}
			return e;
		}
		break;
	default:
		break;
	}
	fail_at(p, t, "expected an expression (a number, a name, '...', [..] or {..}), found '%s'", tok_desc(t));
	return NULL;
}

static struct expr *parse_expr(struct pkt *p)
{
	struct expr *first = parse_primary(p);
	struct expr *e;

	if (!first || !is_punct(peek(p), '|'))
		return first;
	e = expr_new(E_OR, first->tok);
	g_ptr_array_add(e->kids, first);
	while (is_punct(peek(p), '|')) {
		struct expr *k;

		next(p);
		k = parse_primary(p);
		if (!k) {
			expr_free(e);
			return NULL;
		}
		g_ptr_array_add(e->kids, k);
	}
	return e;
}

/* ---- output ---- */


/* A time as scenario text, in the largest unit that keeps it exact: 100ms, 4ms, 1500us, 7ns. */
static void fmt_ns(GString *s, sim_time_t t)
{
	if (t == 0)
		g_string_append_c(s, '0');
	else if (t % 1000000u == 0)
		g_string_append_printf(s, "%" G_GUINT64_FORMAT "ms", t / 1000000u);
	else if (t % 1000u == 0)
		g_string_append_printf(s, "%" G_GUINT64_FORMAT "us", t / 1000u);
	else
		g_string_append_printf(s, "%" G_GUINT64_FORMAT "ns", t);
}

/*
 * When an event the scenario schedules (an inject, a syscall) runs.  Events
 * of one script time run in script order in packetdrill — each after the
 * previous one is done, an inbound packet processed before the next line —
 * while the engine runs same-instant events in the order they were
 * scheduled (a syscall line is scheduled when the previous call returns, an
 * inject before the run).  So the k-th event of one script time is issued k
 * ns after it: far inside every tolerance, and in script order.
 */
static sim_time_t sched_time(struct pkt *p, sim_time_t t)
{
	sim_time_t at = scn_pkt_sched(&p->group_t, &p->group_n, t);

	p->last = MAX(p->last, at);
	return at;
}

/* packetdrill's tolerance of an event @delta after the previous one */
static sim_time_t tolerance(const struct pkt *p, sim_time_t delta)
{
	sim_time_t dyn = (sim_time_t)(((unsigned __int128)delta * p->tol_ppm) / 1000000u);

	return MAX(p->tol, dyn);
}

/* A word that is a simple constant (O_NONBLOCK, SOL_SOCKET) or a number, as scenario text. */
static bool simple_value(struct pkt *p, const struct expr *e, GString *s, bool drop_access_mode)
{
	switch (e->kind) {
	case E_INT:
		g_string_append_printf(s, "%" G_GINT64_FORMAT, e->i);
		return true;
	case E_WORD:
		if (drop_access_mode && (strcmp(e->text, "O_RDWR") == 0 || strcmp(e->text, "O_RDONLY") == 0 ||
					 strcmp(e->text, "O_WRONLY") == 0))
			g_string_append_c(s, '0');	/* F_SETFL ignores the access mode (fs/fcntl.c:setfl) */
		else
			g_string_append(s, e->text);
		return true;
	case E_OR: {
		bool any = false;

		for (guint i = 0; i < e->kids->len; i++) {
			const struct expr *k = e->kids->pdata[i];

			if (drop_access_mode && k->kind == E_WORD &&
			    (strcmp(k->text, "O_RDWR") == 0 || strcmp(k->text, "O_RDONLY") == 0 ||
			     strcmp(k->text, "O_WRONLY") == 0))
				continue;	/* F_SETFL ignores the access mode (fs/fcntl.c:setfl) */
			if (k->kind != E_WORD && k->kind != E_INT) {
				fail_at(p, k->tok, "not supported: '%s' in a flag set", k->tok->text);
				return false;
			}
			if (any)
				g_string_append_c(s, '|');
			simple_value(p, k, s, false);
			any = true;
		}
		if (!any)
			g_string_append_c(s, '0');
		return true;
	}
	case E_LIST:	/* [1]: a pointer to an int */
		if (e->kids->len == 1)
			return simple_value(p, e->kids->pdata[0], s, drop_access_mode);
		break;
	default:
		break;
	}
	fail_at(p, e->tok, "not supported: argument '%s' (expected a number or a constant)", e->tok->text);
	return false;
}

static const struct expr *arg(const struct expr *call, guint i)
{
	return call->kids && i < call->kids->len ? call->kids->pdata[i] : NULL;
}

static bool nargs(struct pkt *p, const struct expr *call, guint lo, guint hi)
{
	guint n = call->kids->len;

	if (n < lo || n > hi) {
		if (lo == hi)
			fail_at(p, call->tok, "%s() takes %u arguments, found %u", call->text, lo, n);
		else
			fail_at(p, call->tok, "%s() takes %u to %u arguments, found %u", call->text, lo, hi, n);
		return false;
	}
	return true;
}

static int live_fd(const struct pkt *p, int64_t script_fd)
{
	gpointer v = g_hash_table_lookup(p->fd_map, GINT_TO_POINTER((int)script_fd));

	return v ? GPOINTER_TO_INT(v) - 1 : (int)script_fd;
}

/* A new descriptor named @script_fd in the script: the lowest free one. */
static int fd_open(struct pkt *p, int64_t script_fd)
{
	int fd = 3;

	while (g_hash_table_contains(p->fd_used, GINT_TO_POINTER(fd)))
		fd++;
	g_hash_table_add(p->fd_used, GINT_TO_POINTER(fd));
	g_hash_table_insert(p->fd_map, GINT_TO_POINTER((int)script_fd), GINT_TO_POINTER(fd + 1));
	return fd;
}

static void fd_close(struct pkt *p, int64_t script_fd)
{
	if (!g_hash_table_contains(p->fd_map, GINT_TO_POINTER((int)script_fd)))
		return;
	g_hash_table_remove(p->fd_used, GINT_TO_POINTER(live_fd(p, script_fd)));
	g_hash_table_remove(p->fd_map, GINT_TO_POINTER((int)script_fd));
}

static bool fd_arg(struct pkt *p, const struct expr *call, GString *s)
{
	const struct expr *a = arg(call, 0);

	if (!a || a->kind != E_INT) {
		fail_at(p, a ? a->tok : call->tok, "%s() needs a descriptor number first", call->text);
		return false;
	}
	if (a->i < INT32_MIN || a->i > INT32_MAX) {
		fail_at(p, a->tok, "a descriptor is an int, found '%s'", a->tok->text);
		return false;
	}
	g_string_append_printf(s, "%d", live_fd(p, a->i));
	return true;
}

/* A poll timeout in ms as a scenario time. */
static bool poll_timeout(struct pkt *p, const struct expr *e, GString *s)
{
	if (e->kind != E_INT) {
		fail_at(p, e->tok, "poll's timeout must be a number of ms, found '%s'", e->tok->text);
		return false;
	}
	if (e->i < 0)
		g_string_append(s, "-1");
	else if (e->i == 0)
		g_string_append(s, "0");
	else
		g_string_append_printf(s, "%" G_GINT64_FORMAT "ms", e->i);
	return true;
}

static const struct expr *field(const struct expr *st, const char *key)
{
	for (guint i = 0; st->kids && i < st->kids->len; i++) {
		const struct expr *f = st->kids->pdata[i];

		if (f->kind == E_FIELD && strcmp(f->text, key) == 0)
			return f->kids->pdata[0];
	}
	return NULL;
}

/*
 * Calls whose arguments map one to one: @shape has a letter per packetdrill
 * argument — F the descriptor, V a value, '.' a '...' (a buffer or an
 * address socksim does not take), Z a 0 (accept4's flags).  Write/read on
 * a socket are send/recv without flags (net/socket.c:sock_write_iter).
 */
static const struct { const char *name, *as, *shape; } simple_calls[] = {
	{ "listen", "listen", "FV" }, { "accept", "accept", "F.." }, { "accept4", "accept", "F..Z" },
	{ "close", "close", "F" }, { "shutdown", "shutdown", "FV" },
	{ "write", "send", "F.V" }, { "read", "recv", "F.V" },
	{ "send", "send", "F.VV" }, { "recv", "recv", "F.VV" },
	{ "sendto", "send", "F.VV.." }, { "recvfrom", "recv", "F.VV.." },
};

static bool simple_call(struct pkt *p, const struct expr *c, const char *as, const char *shape, GString *call)
{
	guint n = (guint)strlen(shape);
	bool first = true;

	if (!nargs(p, c, n, n))
		return false;
	g_string_append_printf(call, "%s(", as);
	for (guint i = 0; i < n; i++) {
		const struct expr *a = arg(c, i);

		if (shape[i] == '.' && a->kind != E_ELLIPSIS) {
			fail_at(p, a->tok, "not supported: '%s' as argument %u of %s() (socksim takes '...' there)",
				a->tok->text, i + 1, c->text);
			return false;
		}
		if (shape[i] == 'Z' && !(a->kind == E_INT && a->i == 0)) {
			fail_at(p, a->tok, "not supported: %s() flags", c->text);
			return false;
		}
		if (shape[i] != 'F' && shape[i] != 'V')
			continue;
		if (!first)
			g_string_append(call, ", ");
		first = false;
		if (!(shape[i] == 'F' ? fd_arg(p, c, call) : simple_value(p, a, call, false)))
			return false;
	}
	g_string_append_c(call, ')');
	return true;
}

/*
 * recvmsg's msg_control=[{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ,
 * cmsg_data=N}]: the one control message socksim models, the TCP_INQ hint
 * (net/ipv4/tcp.c:tcp_recvmsg() puts tcp_inq_hint()), checked as inq=N.
 */
static bool msg_control(struct pkt *p, const struct expr *c, const struct expr *f,
			const struct expr *v, GString *checks)
{
	const struct expr *cm = v->kind == E_LIST && v->kids->len == 1 ? v->kids->pdata[0] : NULL;
	const struct expr *level = cm && cm->kind == E_STRUCT ? field(cm, "cmsg_level") : NULL;
	const struct expr *type = cm && cm->kind == E_STRUCT ? field(cm, "cmsg_type") : NULL;
	const struct expr *data = cm && cm->kind == E_STRUCT ? field(cm, "cmsg_data") : NULL;

	if (strcmp(c->text, "recvmsg") != 0) {
		fail_at(p, f->tok, "not supported: msg_control in %s() (socksim models recvmsg()'s TCP_CM_INQ)",
			c->text);
		return false;
	}
	if (!type || type->kind != E_WORD || strcmp(type->text, "TCP_CM_INQ") != 0 || !level ||
	    level->kind != E_WORD || (strcmp(level->text, "SOL_TCP") != 0 && strcmp(level->text, "IPPROTO_TCP") != 0) ||
	    !data || data->kind != E_INT) {
		const char *name = type && type->kind == E_WORD ? type->text : NULL;

		fail_at(p, f->tok, "not supported: msg_control in recvmsg()%s%s%s (socksim models one control "
			"message: [{cmsg_level=SOL_TCP, cmsg_type=TCP_CM_INQ, cmsg_data=N}])",
			name ? " (control message " : "", name ? name : "", name ? ")" : "");
		return false;
	}
	g_string_append_printf(checks, " inq=%" G_GINT64_FORMAT, data->i);
	return true;
}

/*
 * sendmsg(FD, {msg_name(...)=..., msg_iov(N)=[{..., LEN}, ...], msg_flags=0}, FLAGS):
 * socksim's sendmsg/recvmsg take the iovec's lengths ("LEN LEN ...") and the
 * flags; a msghdr with a name or control data is not supported.
 */
static bool msg_call(struct pkt *p, const struct expr *c, GString *call, GString *checks)
{
	const struct expr *m = arg(c, 1), *iov = NULL;
	g_autoptr(GString) lens = g_string_new(NULL);

	if (!nargs(p, c, 3, 3))
		return false;
	for (guint i = 0; m->kind == E_STRUCT && i < m->kids->len; i++) {
		const struct expr *f = m->kids->pdata[i];
		const struct expr *v = f->kind == E_FIELD ? f->kids->pdata[0] : NULL;

		if (f->kind == E_FIELD && strcmp(f->text, "msg_iov") == 0)
			iov = v;
		else if (f->kind == E_FIELD && strcmp(f->text, "msg_control") == 0) {
			if (!msg_control(p, c, f, v, checks))
				return false;
		} else if (f->kind == E_FIELD && strcmp(f->text, "msg_name") == 0 && v->kind != E_ELLIPSIS) {
			fail_at(p, f->tok, "not supported: %s in %s()", f->text, c->text);
			return false;
		}
	}
	if (!iov || iov->kind != E_LIST) {
		fail_at(p, m->tok, "%s() needs a msghdr with msg_iov(N)=[{..., LEN}, ...]", c->text);
		return false;
	}
	for (guint i = 0; i < iov->kids->len; i++) {
		const struct expr *e = iov->kids->pdata[i];
		const struct expr *len = e->kind == E_STRUCT && e->kids->len ? e->kids->pdata[e->kids->len - 1] : NULL;

		if (len && len->kind == E_FIELD)
			len = len->kids->pdata[0];
		if (!len || len->kind != E_INT) {
			fail_at(p, e->tok, "an iovec entry is {..., LEN}");
			return false;
		}
		g_string_append_printf(lens, "%s%" G_GINT64_FORMAT, i ? " " : "", len->i);
	}
	g_string_append_printf(call, "%s(", c->text);
	if (!fd_arg(p, c, call))
		return false;
	g_string_append_printf(call, iov->kids->len == 1 ? ", %s, " : ", \"%s\", ", lens->str);
	if (!simple_value(p, arg(c, 2), call, false))
		return false;
	g_string_append_c(call, ')');
	return true;
}

/*
 * The socksim call for a packetdrill syscall, into @call; extra result
 * checks (val=, revents=) into @checks.
 */
static bool map_syscall(struct pkt *p, const struct expr *c, GString *call, GString *checks)
{
	const char *n = c->text;

	if (strcmp(n, "socket") == 0) {
		const struct expr *fam = arg(c, 0);

		if (!nargs(p, c, 3, 3))
			return false;
		if (fam->kind != E_ELLIPSIS && !(fam->kind == E_WORD && (strcmp(fam->text, "AF_INET") == 0 ||
									 strcmp(fam->text, "PF_INET") == 0))) {
			fail_at(p, fam->tok, "not supported: socket family '%s' (socksim's .pkt runs are IPv4: '...' or AF_INET)",
				fam->tok->text);
			return false;
		}
		g_string_append(call, "socket(AF_INET, ");
		if (!simple_value(p, arg(c, 1), call, false))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 2), call, false))
			return false;
		g_string_append_c(call, ')');
		return true;
	}
	if (strcmp(n, "bind") == 0 || strcmp(n, "connect") == 0) {
		bool is_bind = n[0] == 'b';

		if (!nargs(p, c, 3, 3))
			return false;
		if (arg(c, 1)->kind != E_ELLIPSIS) {
			fail_at(p, arg(c, 1)->tok, "not supported: an explicit address in %s() (use '...': the script's own address)", n);
			return false;
		}
		g_string_append_printf(call, "%s(", n);
		if (!fd_arg(p, c, call))
			return false;
		g_string_append_printf(call, ", %s:%d)", is_bind ? PKT_LOCAL_ADDR : PKT_REMOTE_ADDR,
				       is_bind ? PKT_BIND_PORT : PKT_CONNECT_PORT);
		if (!is_bind)
			p->client = true;
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(simple_calls); i++)
		if (strcmp(n, simple_calls[i].name) == 0) {
			/* read/write themselves where socksim has them */
			const char *as = (strcmp(n, "read") == 0 || strcmp(n, "write") == 0) && syscall_find(n) ?
				n : simple_calls[i].as;

			return simple_call(p, c, as, simple_calls[i].shape, call);
		}
	if ((strcmp(n, "sendmsg") == 0 || strcmp(n, "recvmsg") == 0) && syscall_find(n))
		return msg_call(p, c, call, checks);
	if (strcmp(n, "ioctl") == 0 && syscall_find(n)) {
		const struct expr *v = arg(c, 2);

		if (!nargs(p, c, 3, 3))
			return false;
		g_string_append(call, "ioctl(");
		if (!fd_arg(p, c, call))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 1), call, false))
			return false;
		g_string_append_c(call, ')');
		if (v->kind != E_ELLIPSIS) {
			g_string_append(checks, " val=");
			if (!simple_value(p, v, checks, false))
				return false;
		}
		return true;
	}
	if (strcmp(n, "fcntl") == 0) {
		const struct expr *cmd = arg(c, 1);

		if (!nargs(p, c, 2, 3))
			return false;
		if (!(cmd->kind == E_WORD && (strcmp(cmd->text, "F_SETFL") == 0 || strcmp(cmd->text, "F_GETFL") == 0))) {
			fail_at(p, cmd->tok, "not supported: fcntl command '%s' (F_GETFL, F_SETFL)", cmd->tok->text);
			return false;
		}
		g_string_append(call, "fcntl(");
		if (!fd_arg(p, c, call))
			return false;
		g_string_append_printf(call, ", %s", cmd->text);
		if (arg(c, 2)) {
			g_string_append(call, ", ");
			if (!simple_value(p, arg(c, 2), call, true))
				return false;
		}
		g_string_append_c(call, ')');
		return true;
	}
	if (strcmp(n, "setsockopt") == 0 || strcmp(n, "getsockopt") == 0) {
		bool set = n[0] == 's';
		const struct expr *v = arg(c, 3);

		if (!nargs(p, c, 5, 5))
			return false;
		g_string_append_printf(call, "%s(", n);
		if (!fd_arg(p, c, call))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 1), call, false))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 2), call, false))
			return false;
		if (v->kind == E_STRUCT) {
			fail_at(p, v->tok, "not supported: a struct option value in %s()", n);
			return false;
		}
		if (set) {
			g_string_append(call, ", ");
			if (!simple_value(p, v, call, false))
				return false;
		} else if (v->kind != E_ELLIPSIS) {
			g_string_append(checks, " val=");
			if (!simple_value(p, v, checks, false))
				return false;
		}
		g_string_append_c(call, ')');
		return true;
	}
	if (strcmp(n, "poll") == 0) {
		const struct expr *fds = arg(c, 0);
		g_autoptr(GString) revents = g_string_new(NULL);
		bool any_rev = false;

		if (!nargs(p, c, 3, 3))
			return false;
		if (fds->kind != E_LIST || !fds->kids->len) {
			fail_at(p, fds->tok, "poll() takes [{fd=N, events=E, revents=R}, ...]");
			return false;
		}
		g_string_append(call, "poll(");
		for (guint i = 0; i < fds->kids->len; i++) {
			const struct expr *pf = fds->kids->pdata[i];
			const struct expr *fd = pf->kind == E_STRUCT ? field(pf, "fd") : NULL;
			const struct expr *ev = pf->kind == E_STRUCT ? field(pf, "events") : NULL;
			const struct expr *rev = pf->kind == E_STRUCT ? field(pf, "revents") : NULL;

			if (!fd || fd->kind != E_INT || !ev) {
				fail_at(p, pf->tok, "poll()'s pollfd needs fd=N and events=E");
				return false;
			}
			g_string_append_printf(call, "%d, ", live_fd(p, fd->i));
			if (!simple_value(p, ev, call, false))
				return false;
			g_string_append(call, ", ");
			if (i)
				g_string_append_c(revents, ' ');
			if (rev) {
				any_rev = true;
				if (!simple_value(p, rev, revents, false))
					return false;
			} else {
				g_string_append_c(revents, '0');
			}
		}
		if (!poll_timeout(p, arg(c, 2), call))
			return false;
		g_string_append_c(call, ')');
		if (any_rev)
			g_string_append_printf(checks, fds->kids->len == 1 ? " revents=%s" : " revents=\"%s\"",
					       revents->str);
		return true;
	}
	if (strcmp(n, "epoll_create") == 0 || strcmp(n, "epoll_create1") == 0) {
		if (!nargs(p, c, 1, 1))
			return false;
		/* fs/eventpoll.c: epoll_create(size > 0) is do_epoll_create(0) */
		if (n[12] == '\0' && arg(c, 0)->kind == E_INT && arg(c, 0)->i > 0) {
			g_string_append(call, "epoll_create1(0)");
			return true;
		}
		g_string_append_printf(call, "%s(", n);
		if (!simple_value(p, arg(c, 0), call, false))
			return false;
		g_string_append_c(call, ')');
		return true;
	}
	if (strcmp(n, "epoll_ctl") == 0) {
		const struct expr *fd = arg(c, 2), *ev = arg(c, 3);

		if (!nargs(p, c, 4, 4))
			return false;
		g_string_append(call, "epoll_ctl(");
		if (!fd_arg(p, c, call))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 1), call, false))
			return false;
		if (fd->kind != E_INT) {
			fail_at(p, fd->tok, "epoll_ctl() needs a descriptor number third");
			return false;
		}
		g_string_append_printf(call, ", %d", live_fd(p, fd->i));
		if (ev->kind == E_STRUCT) {
			const struct expr *e = field(ev, "events");

			if (!e) {
				fail_at(p, ev->tok, "epoll_ctl()'s event needs events=E");
				return false;
			}
			g_string_append(call, ", ");
			if (!simple_value(p, e, call, false))
				return false;
		} else if (!(ev->kind == E_ELLIPSIS || (ev->kind == E_WORD && strcmp(ev->text, "NULL") == 0) ||
			     (ev->kind == E_INT && ev->i == 0))) {
			fail_at(p, ev->tok, "epoll_ctl()'s event is {events=E, fd=N}, NULL or '...'");
			return false;
		}
		g_string_append_c(call, ')');
		return true;
	}
	if (strcmp(n, "epoll_wait") == 0) {
		const struct expr *evs = arg(c, 1);
		g_autoptr(GString) want = g_string_new(NULL);

		if (!nargs(p, c, 4, 4))
			return false;
		g_string_append(call, "epoll_wait(");
		if (!fd_arg(p, c, call))
			return false;
		g_string_append(call, ", ");
		if (!simple_value(p, arg(c, 2), call, false))
			return false;
		g_string_append(call, ", ");
		if (!poll_timeout(p, arg(c, 3), call))
			return false;
		g_string_append_c(call, ')');
		/* the events the script expects: {events=E, fd=N} or a list of them;
		 * {events=0, ptr=0} (nothing) checks nothing beyond the count */
		for (guint i = 0; evs->kind == E_STRUCT || (evs->kind == E_LIST && i < evs->kids->len); i++) {
			const struct expr *one = evs->kind == E_STRUCT ? evs : evs->kids->pdata[i];
			const struct expr *e = one->kind == E_STRUCT ? field(one, "events") : NULL;
			const struct expr *fd = one->kind == E_STRUCT ? field(one, "fd") : NULL;

			if (e && fd && fd->kind == E_INT) {
				g_string_append_printf(want, "%s%d:", want->len ? " " : "", live_fd(p, fd->i));
				if (!simple_value(p, e, want, false))
					return false;
			}
			if (evs->kind == E_STRUCT)
				break;
		}
		if (want->len)
			g_string_append_printf(checks, " events=\"%s\"", want->str);
		return true;
	}
	fail_at(p, c->tok, "not supported: syscall '%s' (socksim's .pkt runs map socket, bind, listen, accept, "
		"connect, read, write, send, recv, sendto, recvfrom, close, shutdown, fcntl, setsockopt, "
		"getsockopt, poll, epoll_create/epoll_create1/epoll_ctl/epoll_wait, and sendmsg, recvmsg "
		"and ioctl where socksim has them)", n);
	return false;
}

/* ---- events ---- */

struct ev_time {
	const struct tok *tok;
	bool any, relative, range;
	sim_time_t t, t_end;	/* after resolution: absolute */
	sim_time_t raw_t, raw_t_end;	/* as written */
};

static bool parse_time(struct pkt *p, struct ev_time *et)
{
	struct tok *t = peek(p);

	memset(et, 0, sizeof(*et));
	et->tok = t;
	if (is_punct(t, '*')) {
		next(p);
		et->any = true;
		return true;
	}
	if (is_punct(t, '+')) {
		next(p);
		et->relative = true;
	}
	if (!num_secs(p, next(p), &et->t))
		return false;
	if (is_punct(peek(p), '~')) {
		next(p);
		et->range = true;
		if (et->relative && !is_punct(next(p), '+')) {
			fail_at(p, peek_n(p, (guint)-1), "a relative range is '+T1~+T2'");
			return false;
		}
		if (!num_secs(p, next(p), &et->t_end))
			return false;
		if (et->t_end < et->t) {
			fail_at(p, et->tok, "time range is backwards");
			return false;
		}
	}
	et->raw_t = et->t;
	et->raw_t_end = et->t_end;
	return true;
}

/* The event just emitted, for the runner's timing (scenario/pkt_run.c). */
static struct scn_pkt_ev *add_ev(struct pkt *p, enum scn_pkt_ev_kind kind, const struct ev_time *et)
{
	struct scn_pkt_ev e = {
		.kind = kind, .line = (int)et->tok->line, .relative = et->relative, .any = et->any,
		.range = et->range, .t = et->raw_t, .t_end = et->raw_t_end,
	};

	g_array_append_val(p->evs, e);
	return &g_array_index(p->evs, struct scn_pkt_ev, p->evs->len - 1);
}

/* Resolve an event's time against the previous event (run.c:adjust_relative_event_times). */
static void resolve_time(struct pkt *p, struct ev_time *et, bool inbound)
{
	sim_time_t offset = p->prev;	/* in simulated time, "now" is the previous event's time */

	(void)inbound;
	if (et->any) {
		et->t = p->prev;
		return;
	}
	if (et->relative) {
		et->t = sim_time_add(et->t, offset);
		if (et->range)
			et->t_end = sim_time_add(et->t_end, offset);
	}
	if (!et->relative && et->t < p->prev) {
		/* packetdrill: "time goes backward in script" */
		fail_at(p, et->tok, "time goes backward in the script: %" G_GUINT64_FORMAT " ns after %" G_GUINT64_FORMAT " ns",
			et->t, p->prev);
	}
}

static void tcp_flags_text(struct pkt *p, const struct tok *ft, const char *flags, bool ack, GString *s)
{
	for (const char *f = flags; *f; f++) {
		if (!strchr("SFRPEW", *f)) {
			fail_at(p, ft, "not supported: TCP flag '%c' (socksim models S, F, R, P, E, W and '.')", *f);
			return;
		}
		g_string_append_c(s, *f);
	}
	if (ack)
		g_string_append_c(s, '.');
	if (!s->len)
		fail_at(p, ft, "not supported: a segment without flags");
}

struct pkt_opts {
	bool nocheck, any;
	int64_t mss, wscale;	/* -1: absent */
	bool sackok, ts;
	int nsacks;
	int64_t sack[SKB_MAX_SACKS][2];
};

/* The options as inject/wire keys: " mss=1460 wscale=7 sackok=1 ts=1 sack=A-B" */
static void options_text(const struct pkt_opts *o, GString *s)
{
	if (o->mss >= 0)
		g_string_append_printf(s, " mss=%" G_GINT64_FORMAT, o->mss);
	if (o->wscale >= 0)
		g_string_append_printf(s, " wscale=%" G_GINT64_FORMAT, o->wscale);
	if (o->sackok)
		g_string_append(s, " sackok=1");
	if (o->ts)
		g_string_append(s, " ts=1");
	for (int i = 0; i < o->nsacks; i++)
		g_string_append_printf(s, " sack=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, o->sack[i][0], o->sack[i][1]);
}

static bool parse_tcp_options(struct pkt *p, struct pkt_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mss = o->wscale = -1;
	if (!is_punct(peek(p), '<'))
		return true;
	next(p);
	o->any = true;
	if (peek(p)->kind == T_ELLIPSIS) {
		next(p);
		o->nocheck = true;
		return expect_punct(p, '>', "after '<...'");
	}
	for (;;) {
		struct tok *t = next(p);
		int64_t v;

		if (is_word(t, "nop") || is_word(t, "eol")) {
			/* layout only */
		} else if (is_word(t, "mss")) {
			if (!num_int(p, next(p), 0, 65535, &o->mss))
				return false;
		} else if (is_word(t, "wscale")) {
			if (!num_int(p, next(p), 0, 255, &o->wscale))
				return false;
		} else if (is_word(t, "sackOK")) {
			o->sackok = true;
		} else if (is_word(t, "TS")) {
			if (!is_word(next(p), "val") || !num_int(p, next(p), 0, UINT32_MAX, &v) ||
			    !is_word(next(p), "ecr") || !num_int(p, next(p), 0, UINT32_MAX, &v)) {
				if (!p->failed)
					fail_at(p, t, "expected 'TS val N ecr N'");
				return false;
			}
			o->ts = true;
		} else if (is_word(t, "sack")) {
			while (peek(p)->kind == T_NUM) {
				int64_t a, b;

				if (o->nsacks == SKB_MAX_SACKS) {
					fail_at(p, peek(p), "more than %d SACK blocks do not fit in the TCP options",
						SKB_MAX_SACKS);
					return false;
				}
				if (!num_int(p, next(p), 0, UINT32_MAX, &a) || !expect_punct(p, ':', "in a SACK block") ||
				    !num_int(p, next(p), 0, UINT32_MAX, &b))
					return false;
				o->sack[o->nsacks][0] = a;
				o->sack[o->nsacks][1] = b;
				o->nsacks++;
			}
		} else {
			fail_at(p, t, "not supported: TCP option '%s' (socksim models mss, wscale, sackOK, TS, sack, nop, eol)",
				tok_desc(t));
			return false;
		}
		t = next(p);
		if (is_punct(t, '>'))
			return true;
		if (!is_punct(t, ',')) {
			fail_at(p, t, "expected ',' or '>' in TCP options, found '%s'", tok_desc(t));
			return false;
		}
	}
}

/* One generated line, located at @at in the script. */
static void emit_line(struct pkt *p, const struct tok *at, const char *line)
{
	struct scn_loc loc = { NULL, at->line, at->col };

	g_array_append_val(p->map, loc);
	g_string_append(p->out, line);
	g_string_append_c(p->out, '\n');
}

/*
 * packetdrill's IP ECN annotation before the flags: "[noecn]", "[ect0]",
 * "[ect1]", "[ce]", or on an outbound packet "[ect01]" (either ECT).  Sets
 * @ecn to its name, or leaves it NULL without one.
 */
static bool parse_ecn_annotation(struct pkt *p, bool inbound, const char **ecn)
{
	static const char *const names[] = { "noecn", "ect0", "ect1", "ce", "ect01" };
	struct tok *t;

	*ecn = NULL;
	if (!is_punct(peek(p), '['))
		return true;
	next(p);
	t = next(p);
	for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
		if (is_word(t, names[i]))
			*ecn = names[i];
	if (!*ecn) {
		fail_at(p, t, "not supported: IP annotation '%s' (socksim models [noecn], [ect0], [ect1], [ect01] and [ce])",
			tok_desc(t));
		return false;
	}
	if (inbound && strcmp(*ecn, "ect01") == 0) {
		fail_at(p, t, "[ect01] can only be used with outbound packets");
		return false;
	}
	return expect_punct(p, ']', "after the ECN codepoint");
}

static void packet_event(struct pkt *p, struct ev_time *et, const struct tok *dir)
{
	bool inbound = dir->text[0] == '<';
	const char *ecn;
	struct tok *ft;

	if (!parse_ecn_annotation(p, inbound, &ecn))
		return;
	ft = next(p);
	g_autoptr(GString) flags = g_string_new(NULL);
	g_autoptr(GString) s = g_string_new(NULL);
	const char *letters = "";
	bool dot = false;
	int64_t start, end, len, ack = -1, win = -1, urg;
	struct pkt_opts o;
	sim_time_t tol;

	if (is_punct(ft, '.')) {
		dot = true;
	} else if (ft->kind == T_WORD) {
		letters = ft->text;
		if (is_punct(peek(p), '.') && peek(p)->line == ft->line && peek(p)->col == ft->col + strlen(ft->text)) {
			next(p);
			dot = true;
		}
	} else if (is_word(ft, "udp") || is_word(ft, "icmp")) {
		fail_at(p, ft, "not supported: %s packets", ft->text);
		return;
	} else {
		fail_at(p, ft, "expected TCP flags (S, S., ., P., F., R), found '%s'", tok_desc(ft));
		return;
	}
	if (is_word(ft, "udp") || is_word(ft, "icmp") || is_word(ft, "ipv4") || is_word(ft, "ipv6") ||
	    is_word(ft, "gre") || is_word(ft, "mpls")) {
		fail_at(p, ft, "not supported: %s packets", ft->text);
		return;
	}
	tcp_flags_text(p, ft, letters, dot, flags);
	if (p->failed)
		return;
	if (!num_int(p, next(p), 0, UINT32_MAX, &start) || !expect_punct(p, ':', "in START:END(LEN)") ||
	    !num_int(p, next(p), 0, UINT32_MAX, &end) || !expect_punct(p, '(', "in START:END(LEN)") ||
	    !num_int(p, next(p), 0, 65535, &len) || !expect_punct(p, ')', "in START:END(LEN)"))
		return;
	if (end != start + len) {
		fail_at(p, ft, "inconsistent TCP sequence numbers and payload size");
		return;
	}
	for (;;) {
		struct tok *t = peek(p);

		if (is_word(t, "ack")) {
			next(p);
			if (!num_int(p, next(p), 0, UINT32_MAX, &ack))
				return;
		} else if (is_word(t, "win")) {
			next(p);
			if (!num_int(p, next(p), 0, 65535, &win))
				return;
		} else if (is_word(t, "urg")) {
			next(p);
			if (!num_int(p, next(p), 0, 65535, &urg))
				return;
			if (urg) {
				fail_at(p, t, "not supported: urgent data");
				return;
			}
		} else {
			break;
		}
	}
	if (!parse_tcp_options(p, &o))
		return;
	if (inbound && o.nocheck) {
		fail_at(p, dir, "<...> for TCP options can only be used with outbound packets");
		return;
	}
	resolve_time(p, et, inbound);
	if (p->failed)
		return;
	if (inbound) {
		if (et->any || et->range) {
			fail_at(p, et->tok, "event time %s can only be used with outbound packets",
				et->any ? "<star>" : "range");
			return;
		}
		if (win < 0) {
			fail_at(p, ft, "not supported: an inbound packet without 'win N'");
			return;
		}
		fmt_ns(s, sched_time(p, et->t));
		g_string_append(s, " inject remote local ");
		for (const char *f = flags->str; *f; f++)
			g_string_append_c(s, *f == '.' ? 'A' : *f);
		if (p->client)
			g_string_append_printf(s, " sport=%d dport=learn", PKT_CONNECT_PORT);
		else
			g_string_append_printf(s, " sport=%d dport=%d", PKT_REMOTE_PORT, PKT_BIND_PORT);
		g_string_append_printf(s, " seq=%" G_GINT64_FORMAT " win=%" G_GINT64_FORMAT " len=%" G_GINT64_FORMAT,
				       start, win, len);
		if (ack >= 0)
			g_string_append_printf(s, " ack=%" G_GINT64_FORMAT, ack);
		options_text(&o, s);
		if (ecn)
			g_string_append_printf(s, " ecn=%s", ecn);
		p->last = MAX(p->last, et->t);
	} else {
		sim_time_t at = et->t;

		tol = tolerance(p, et->t - p->prev);
		if (et->range) {
			at = et->t + (et->t_end - et->t) / 2;
			tol += (et->t_end - et->t) - (et->t_end - et->t) / 2;
		}
		fmt_ns(s, at);
		g_strdelimit(flags->str, ".", 'A');
		g_string_append_printf(s, " wire local out %s seq=%" G_GINT64_FORMAT " len=%" G_GINT64_FORMAT,
				       flags->str, start, len);
		if (ack >= 0)
			g_string_append_printf(s, " ack=%" G_GINT64_FORMAT, ack);
		if (win >= 0)
			g_string_append_printf(s, " win=%" G_GINT64_FORMAT, win);
		if (ecn)
			g_string_append_printf(s, " ecn=%s", ecn);
		if (!o.nocheck) {
			options_text(&o, s);
			g_string_append(s, " options=exact");
		}
		g_string_append(s, p->tso_off ? " gso=sw tol=" : " gso=1 tol=");
		if (et->any)
			g_string_append(s, "any");
		else
			fmt_ns(s, tol);
		p->last = MAX(p->last, sim_time_add(at, et->any ? 0 : tol));
	}
	emit_line(p, et->tok, s->str);
	add_ev(p, inbound ? SCN_PKT_INJECT : SCN_PKT_OUT, et);
	p->prev = et->t;
	p->prev_inbound = inbound;
}

static void syscall_event(struct pkt *p, struct ev_time *et)
{
	bool blocking = false;
	sim_time_t end = 0, raw_end, tol;
	struct scn_pkt_ev *ev;
	struct tok *name;
	struct expr *c = NULL, *ret = NULL;
	g_autoptr(GString) call = g_string_new(NULL);
	g_autoptr(GString) checks = g_string_new(NULL);
	g_autoptr(GString) s = g_string_new(NULL);
	const char *err = NULL;

	if (peek(p)->kind == T_ELLIPSIS) {
		next(p);
		blocking = true;
		if (!num_secs(p, next(p), &end))
			return;
	}
	name = peek(p);
	if (name->kind != T_WORD || !is_punct(peek_n(p, 1), '(')) {
		fail_at(p, name, "expected a packet ('<' or '>'), a syscall, a `command` or a %%{ code }%% block, found '%s'",
			tok_desc(name));
		return;
	}
	c = parse_primary(p);
	if (!c)
		return;
	if (!expect_punct(p, '=', "and the expected result after the call"))
		goto out;
	ret = parse_expr(p);
	if (!ret)
		goto out;
	if (ret->kind != E_INT) {
		fail_at(p, ret->tok, "not supported: result '%s' (expected a number)", ret->tok->text);
		goto out;
	}
	if (peek(p)->kind == T_WORD && g_ascii_isupper(peek(p)->text[0]) && peek(p)->text[0] == 'E')
		err = next(p)->text;
	if (is_punct(peek(p), '(')) {	/* a note: "(Operation now in progress)" */
		int depth = 0;

		do {
			struct tok *t = next(p);

			if (t->kind == T_EOF) {
				fail_at(p, t, "unterminated '(' note after the result");
				goto out;
			}
			depth += is_punct(t, '(') - is_punct(t, ')');
		} while (depth > 0);
	}
	if (et->any || et->range) {
		fail_at(p, et->tok, "event time %s can only be used with outbound packets", et->any ? "<star>" : "range");
		goto out;
	}
	raw_end = end;
	if (blocking && et->relative)
		end = sim_time_add(end, p->prev);
	resolve_time(p, et, false);
	if (p->failed || !map_syscall(p, c, call, checks))
		goto out;
	if (blocking && end < et->t) {
		fail_at(p, et->tok, "a blocking call's end time is before its start");
		goto out;
	}
	{
		bool sock = strcmp(c->text, "socket") == 0 || strcmp(c->text, "accept") == 0 ||
			    strcmp(c->text, "accept4") == 0;
		bool opens = sock || g_str_has_prefix(c->text, "epoll_create");
		int64_t want = ret->i;

		if (opens && want >= 0) {
			want = fd_open(p, ret->i);
			if (sock)
				p->last_sock = (int)want;
		} else if (strcmp(c->text, "close") == 0 && want == 0) {
			fd_close(p, arg(c, 0)->i);
		}
		fmt_ns(s, sched_time(p, et->t));
		g_string_append_printf(s, " app %s = %" G_GINT64_FORMAT, call->str, want);
	}
	if (err)
		g_string_append_printf(s, " %s", err);
	tol = tolerance(p, (blocking ? end : et->t) - p->prev);
	g_string_append(s, " @ ");
	fmt_ns(s, blocking ? end : et->t);
	g_string_append(s, " ~ ");
	fmt_ns(s, tol);
	g_string_append(s, checks->str);
	emit_line(p, et->tok, s->str);
	ev = add_ev(p, SCN_PKT_CALL, et);
	ev->blocking = blocking;
	ev->end = raw_end;
	ev->check_time = true;
	p->last = MAX(p->last, sim_time_add(blocking ? end : et->t, tol));
	p->prev = et->t;
	p->prev_inbound = false;
out:
	expr_free(c);
	expr_free(ret);
}

/* ---- shell commands: sysctls ---- */

/*
 * gtests/net/common/defaults.sh, what the script's `../common/defaults.sh`
 * sets: a socksim sysctl, or NULL with why it needs none.
 */
static const struct { const char *name, *value, *not_modelled; } defaults_sh[] = {
	{ "net.ipv4.tcp_rmem", "\"4096 540000 15728640\"", NULL },
	{ "net.ipv4.tcp_wmem", "\"4096 262144 4194304\"", NULL },
	{ "net.ipv4.tcp_timestamps", "1", NULL },
	{ "net.ipv4.tcp_syn_retries", "5", NULL },
	{ "net.ipv4.tcp_synack_retries", "5", NULL },
	{ "net.ipv4.tcp_frto", "2", "F-RTO is not modelled" },
	{ "net.ipv4.tcp_sack", "1", NULL },
	{ "net.ipv4.tcp_dsack", "1", "D-SACK is not modelled" },
	{ "net.ipv4.tcp_fack", "0", "FACK is gone from the kernel since 4.15" },
	{ "net.ipv4.tcp_reordering", "3", NULL },
	{ "net.ipv4.tcp_congestion_control", "cubic", NULL },
	{ "net.ipv4.tcp_slow_start_after_idle", "0", NULL },
	{ "net.ipv4.tcp_early_retrans", "4", "RACK is always on in the model (tcp_recovery=1)" },
	{ "net.ipv4.tcp_recovery", "1", "RACK is always on in the model" },
	{ "net.ipv4.tcp_tso_win_divisor", "3", NULL },
	{ "net.ipv4.tcp_ecn", "0", NULL },
	{ "net.ipv4.tcp_ecn_option", "2", "AccECN is not in the model" },
	{ "net.ipv4.tcp_pacing_ss_ratio", "200", NULL },
	{ "net.ipv4.tcp_pacing_ca_ratio", "120", NULL },
	{ "net.ipv4.tcp_notsent_lowat", "4294967295", NULL },
	{ "net.ipv4.tcp_fastopen", "0x70403", "no TCP Fast Open in the model" },
	{ "net.ipv4.tcp_syncookies", "1", NULL },
};

/* A directive the init command sets, placed before the events. */
static void add_directive_line(struct pkt *p, const struct tok *at, const char *line)
{
	struct scn_loc loc = { NULL, at->line, at->col };

	g_array_append_val(p->sysctl_map, loc);
	g_string_append_printf(p->sysctls, "%s\n", line);
}

static void add_sysctl_line(struct pkt *p, const struct tok *at, const char *name, const char *value)
{
	g_autofree char *line = g_strdup_printf("sysctl local:%s = %s", name, value);

	add_directive_line(p, at, line);
}

/* Shell and python lines go on after a '\\' at their end. */
static char *join_continuations(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *c = text; *c; c++) {
		if (c[0] == '\\' && (c[1] == '\n' || (c[1] == '\r' && c[2] == '\n'))) {
			c += c[1] == '\r' ? 2 : 1;
			g_string_append_c(s, ' ');
			continue;
		}
		g_string_append_c(s, *c);
	}
	return g_string_free(s, FALSE);
}

/* "name=value" (a /proc/sys path or a dotted name) */
static bool sysctl_assignment(struct pkt *p, const struct tok *at, const char *kv)
{
	const char *eq = strchr(kv, '=');
	g_autofree char *name = NULL;
	g_autofree char *value = NULL;

	if (!eq || eq == kv) {
		fail_at(p, at, "not supported: sysctl argument '%s' (expected NAME=VALUE)", kv);
		return false;
	}
	name = g_strndup(kv, (gsize)(eq - kv));
	if (g_str_has_prefix(name, "/proc/sys/")) {
		char *n = g_strdup(name + strlen("/proc/sys/"));

		g_free(name);
		name = n;
	}
	g_strdelimit(name, "/", '.');	/* sysctl(8) takes net/ipv4/x for net.ipv4.x */
	value = g_strdup(eq + 1);
	if (value[0] == '"' || value[0] == '\'') {
		size_t n = strlen(value);

		if (n < 2 || value[n - 1] != value[0]) {
			fail_at(p, at, "unterminated quote in '%s'", kv);
			return false;
		}
		value[n - 1] = '\0';
		memmove(value, value + 1, n - 1);
	}
	if (strchr(value, ' ') || strchr(value, '\t')) {
		g_autofree char *q = g_strdup_printf("\"%s\"", value);

		add_sysctl_line(p, at, name, q);
	} else {
		add_sysctl_line(p, at, name, value);
	}
	return true;
}

/* ---- shell commands: tc qdisc ---- */

/*
 * One `tc qdisc` command on packetdrill's tun device (tun0, the local
 * host's interface towards the remote end): `tc qdisc add|replace dev tun0
 * root pfifo limit N` or `tc qdisc delete|del dev tun0 root`, with its
 * output redirected away or not.  Sets *@q to the root qdisc it leaves.
 * Returns tc's exit status as a bool (false: tc refused it, and changed
 * nothing); an unsupported command fails the translation.
 */
static bool tc_qdisc_command(struct pkt *p, const struct tok *t, const char *cmd, struct qdisc *q)
{
	g_auto(GStrv) w = NULL;
	g_autoptr(GPtrArray) a = g_ptr_array_new();
	int nw;

	if (!g_shell_parse_argv(cmd, &nw, &w, NULL)) {
		fail_at(p, t, "not supported: shell command '%s'", cmd);
		return false;
	}
	for (int i = 0; i < nw; i++)	/* redirections of tc's own output */
		if (strcmp(w[i], "2>/dev/null") != 0 && strcmp(w[i], ">/dev/null") != 0 &&
		    strcmp(w[i], "2>&1") != 0)
			g_ptr_array_add(a, w[i]);
#define A(i) ((const char *)(a->len > (i) ? a->pdata[i] : ""))
	if (strcmp(A(0), "tc") != 0 || strcmp(A(1), "qdisc") != 0 || strcmp(A(3), "dev") != 0 ||
	    strcmp(A(4), "tun0") != 0 || strcmp(A(5), "root") != 0) {
		fail_at(p, t, "not supported: tc command '%s' (socksim maps `tc qdisc add|replace dev tun0 root "
			"pfifo limit N` and `tc qdisc delete dev tun0 root`)", cmd);
		return false;
	}
	if ((strcmp(A(2), "delete") == 0 || strcmp(A(2), "del") == 0) && a->len == 6) {
		if (p->tc_root == TC_ROOT_DELETED)
			return false;	/* "Cannot delete qdisc with handle of zero" */
		p->tc_root = TC_ROOT_DELETED;
		*q = (struct qdisc){ .kind = QDISC_NONE };
		return true;
	}
	if ((strcmp(A(2), "add") == 0 || strcmp(A(2), "replace") == 0) && a->len == 9 &&
	    strcmp(A(6), "pfifo") == 0 && strcmp(A(7), "limit") == 0) {
		guint64 limit;

		if (!g_ascii_string_to_unsigned(A(8), 10, 0, UINT32_MAX, &limit, NULL)) {
			fail_at(p, t, "bad pfifo limit '%s' in '%s'", A(8), cmd);
			return false;
		}
		if (strcmp(A(2), "add") == 0 && p->tc_root != TC_ROOT_DELETED)
			return false;	/* "Exclusivity flag on, cannot modify" */
		p->tc_root = TC_ROOT_INSTALLED;
		*q = (struct qdisc){ .kind = QDISC_PFIFO, .limit = (uint32_t)limit };
		return true;
	}
#undef A
	fail_at(p, t, "not supported: tc command '%s' (socksim maps `tc qdisc add|replace dev tun0 root "
		"pfifo limit N` and `tc qdisc delete dev tun0 root`)", cmd);
	return false;
}

/* The line's commands split at ';' if every one of them is a tc command, else NULL. */
static char **tc_commands(const char *cmd)
{
	g_auto(GStrv) parts = g_strsplit(cmd, ";", -1);

	for (char **c = parts; *c; c++) {
		g_strstrip(*c);
		if (!g_str_has_prefix(*c, "tc "))
			return NULL;
	}
	return g_steal_pointer(&parts);
}

/* The qdisc a `tc` block left: a `qdisc local ...` line, timed (@et) or from the start. */
static void emit_qdisc(struct pkt *p, const struct tok *t, const struct ev_time *et, const struct qdisc *q)
{
	g_autoptr(GString) s = g_string_new(NULL);

	if (et)
		fmt_ns(s, sched_time(p, et->t));
	g_string_append_printf(s, "%sqdisc local %s", et ? " " : "", qdisc_kind_name(q->kind));
	if (q->kind == QDISC_PFIFO)
		g_string_append_printf(s, " limit=%u", q->limit);
	if (!et) {
		add_directive_line(p, t, s->str);	/* with the directives, before the events */
		return;
	}
	emit_line(p, et->tok, s->str);
	add_ev(p, SCN_PKT_QDISC, et);
	p->prev = et->t;
	p->prev_inbound = false;
}

/*
 * A `command` block: the init command (@et NULL, before the script), a
 * command event at @et, or the cleanup command (@cleanup).  @timed_later: an
 * event after time 0 (no sysctl may change then).
 */
static void shell_command(struct pkt *p, const struct tok *t, bool timed_later, const struct ev_time *et,
			  bool cleanup)
{
	g_autofree char *joined = join_continuations(t->text);
	g_auto(GStrv) lines = g_strsplit(joined, "\n", -1);
	struct qdisc q = p->tc_q;
	bool tc = false;
	/* sh -c runs every line; the block's status is its last command's */
	bool last_ok = true;
	const char *refused = NULL;
	g_autofree char *refused_cmd = NULL;

	for (char **l = lines; *l && !p->failed; l++) {
		g_autofree char *cmd = g_strstrip(g_strdup(*l));
		g_auto(GStrv) w = NULL;
		g_auto(GStrv) tcs = NULL;
		int nw;

		if (!*cmd || cmd[0] == '#')
			continue;
		if ((tcs = tc_commands(cmd))) {
			bool ok = true;

			/* a ';' list: its status is the last command's */
			for (char **c = tcs; *c && !p->failed; c++)
				ok = tc_qdisc_command(p, t, *c, &q);
			last_ok = ok;
			if (!ok) {
				g_free(refused_cmd);
				refused_cmd = g_strdup(cmd);
				refused = refused_cmd;
			}
			tc = true;
			continue;
		}
		last_ok = true;	/* every other command socksim maps succeeds */
		if (!g_shell_parse_argv(cmd, &nw, &w, NULL)) {
			fail_at(p, t, "not supported: shell command '%s'", cmd);
			return;
		}
		/* set_sysctls.py's restore script, run at the end: the simulation's
		 * sysctls die with it */
		if (g_str_has_prefix(w[0], "/tmp/sysctl_restore_") && nw == 1)
			continue;
		/* TSO off on packetdrill's tun device: TCP still builds TSO/GSO
		 * packets (sk_setup_caps gives a TCP socket NETIF_F_GSO always), but
		 * the stack segments them before the device (net/core/dev.c:
		 * validate_xmit_skb -> skb_gso_segment), so packetdrill reads
		 * segments: the expectations add up segments (gso=sw), not packets */
		if (strcmp(w[0], "ethtool") == 0 && nw >= 5 && strcmp(w[1], "-K") == 0 && (nw - 3) % 2 == 0) {
			bool all_off = true, tso = false;

			for (int i = 3; i + 1 < nw; i += 2) {
				all_off &= strcmp(w[i + 1], "off") == 0 &&
					   (strcmp(w[i], "tso") == 0 || strcmp(w[i], "gso") == 0);
				tso |= strcmp(w[i], "tso") == 0;
			}
			if (all_off) {
				p->tso_off |= tso;
				continue;
			}
		}
		if (timed_later) {
			fail_at(p, t, "not supported: a shell command after the start of the script ('%s')", cmd);
			return;
		}
		if (g_str_has_suffix(w[0], "/defaults.sh") && nw == 1) {
			for (size_t i = 0; i < G_N_ELEMENTS(defaults_sh); i++)
				if (!defaults_sh[i].not_modelled)
					add_sysctl_line(p, t, defaults_sh[i].name, defaults_sh[i].value);
			continue;
		}
		if (strcmp(w[0], "sysctl") == 0) {
			for (int i = 1; i < nw && !p->failed; i++) {
				if (w[i][0] == '-') {
					/* -e (ignore unknown keys): socksim still names an unknown one */
					if (strcmp(w[i], "-q") != 0 && strcmp(w[i], "-w") != 0 && strcmp(w[i], "-e") != 0) {
						fail_at(p, t, "not supported: sysctl option '%s'", w[i]);
						return;
					}
					continue;
				}
				sysctl_assignment(p, t, w[i]);
			}
			continue;
		}
		if (g_str_has_suffix(w[0], "set_sysctls.py")) {
			for (int i = 1; i < nw && !p->failed; i++)
				sysctl_assignment(p, t, w[i]);
			continue;
		}
		if (strcmp(w[0], "echo") == 0 && nw == 4 && strcmp(w[2], ">") == 0 &&
		    g_str_has_prefix(w[3], "/proc/sys/")) {
			g_autofree char *kv = g_strdup_printf("%s=%s", w[3], w[1]);

			sysctl_assignment(p, t, kv);
			continue;
		}
		fail_at(p, t, "not supported: shell command '%s' (socksim maps `../common/defaults.sh`, "
			"`sysctl -q NAME=VALUE`, `echo VALUE > /proc/sys/...`, set_sysctls.py and "
			"`tc qdisc ... dev tun0 root`)", cmd);
	}
	if (!last_ok && !p->failed) {
		fail_at(p, t, "`%s` fails: tc refuses its last command on tun0's root qdisc "
			"(the default qdisc cannot be added to, only replaced or deleted; "
			"a deleted one cannot be deleted again)", refused);
		return;
	}
	/* the cleanup command runs after the script: its qdisc changes nothing */
	if (tc && !p->failed && !cleanup) {
		p->tc_q = q;
		emit_qdisc(p, t, et, &q);
	}
}

/* ---- %{ python }% ---- */

static const struct { const char *name; int value; } py_consts[] = {
	{ "TCP_CA_Open", 0 }, { "TCP_CA_Disorder", 1 }, { "TCP_CA_CWR", 2 }, { "TCP_CA_Recovery", 3 },
	{ "TCP_CA_Loss", 4 }, { "TCP_ESTABLISHED", 1 }, { "TCP_SYN_SENT", 2 }, { "TCP_SYN_RECV", 3 },
	{ "TCP_FIN_WAIT1", 4 }, { "TCP_FIN_WAIT2", 5 }, { "TCP_TIME_WAIT", 6 }, { "TCP_CLOSE", 7 },
	{ "TCP_CLOSE_WAIT", 8 }, { "TCP_LAST_ACK", 9 }, { "TCP_LISTEN", 10 }, { "TCP_CLOSING", 11 },
};

/* A python operand: a number or a TCP_CA_* / TCP_* name; false if it is neither. */
static bool py_const(const char *w, int64_t *v)
{
	char *end;

	for (size_t i = 0; i < G_N_ELEMENTS(py_consts); i++)
		if (strcmp(py_consts[i].name, w) == 0) {
			*v = py_consts[i].value;
			return true;
		}
	if (!g_ascii_isdigit(w[0]))
		return false;
	*v = g_ascii_strtoll(w, &end, 0);
	return !*end;
}

/* "<=" seen from the other side: "10 <= x" is "x >= 10" */
static const char *py_flip(const char *op)
{
	static const char *const pairs[][2] = {
		{ "<", ">" }, { "<=", ">=" }, { ">", "<" }, { ">=", "<=" }, { "==", "==" }, { "!=", "!=" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++)
		if (strcmp(pairs[i][0], op) == 0)
			return pairs[i][1];
	return op;
}

/*
 * One python assertion's expression: comparisons of one tcpi_* field with
 * constants ("tcpi_x == 10", "0 == tcpi_x", "990 <= tcpi_x <= 1010"),
 * joined by 'and', as tcpi_NAME= checks (scenario/check_calls.c:tcpi_bounds).
 */
static bool py_assert(struct pkt *p, const struct tok *t, const char *st, const char *expr, GString *checks)
{
	g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);

	for (const char *s = expr; *s;) {
		const char *e = s;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (g_ascii_isalnum(*s) || *s == '_')
			while (g_ascii_isalnum(*e) || *e == '_')
				e++;
		else if (strchr("<>=!", *s))
			e += 1 + (s[1] == '=');
		if (e == s || (e - s == 1 && (*s == '=' || *s == '!'))) {
			fail_at(p, t, "not supported: '%.*s' in python statement '%s' (socksim runs comparisons of a "
				"tcpi_* field with constants: == != < <= > >=, chains such as 'A <= tcpi_x <= B', and 'and')",
				e == s ? 1 : (int)(e - s), s, st);
			return false;
		}
		g_ptr_array_add(w, g_strndup(s, (gsize)(e - s)));
		s = e;
	}
	for (guint i = 0; i < w->len;) {
		/* one chain: OPERAND OP OPERAND [OP OPERAND]... up to 'and' or the end */
		guint j = i, nfield = 0;
		const char *field = NULL;
		int64_t lo = 0, hi = 0;
		bool range = false;

		while (j < w->len && strcmp(w->pdata[j], "and") != 0)
			j++;
		for (guint k = i; k < j; k += 2) {
			const char *x = w->pdata[k];
			int64_t v;

			if (g_str_has_prefix(x, "tcpi_")) {
				field = x;
				nfield++;
			} else if (!py_const(x, &v)) {
				fail_at(p, t, "not supported: operand '%s' in python statement '%s' (a tcpi_* field, a number "
					"or a TCP_CA_*/TCP_* state)", x, st);
				return false;
			}
			if (k + 1 < j && !strchr("<>=!", ((const char *)w->pdata[k + 1])[0])) {
				fail_at(p, t, "not supported: '%s' in python statement '%s' (expected a comparison)",
					(const char *)w->pdata[k + 1], st);
				return false;
			}
		}
		if (j == i || (j - i) % 2 == 0 || j - i < 3 || nfield != 1) {
			fail_at(p, t, "not supported: python statement '%s' (socksim runs comparisons of one tcpi_* "
				"field with constants, e.g. 'assert tcpi_snd_cwnd == 10' or 'assert 990 <= tcpi_x <= 1010')",
				st);
			return false;
		}
		if (j - i == 5 && strcmp(w->pdata[i + 1], "<=") == 0 && strcmp(w->pdata[i + 3], "<=") == 0 &&
		    w->pdata[i + 2] == field && py_const(w->pdata[i], &lo) && py_const(w->pdata[i + 4], &hi) &&
		    lo >= 0 && lo <= hi)
			range = true;	/* "LO <= tcpi_x <= HI" reads as tcpi_x=LO-HI */
		if (range) {
			g_string_append_printf(checks, " %s=%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, field, lo, hi);
		} else {
			for (guint k = i; k + 2 < j; k += 2) {
				const char *a = w->pdata[k], *op = w->pdata[k + 1], *b = w->pdata[k + 2];
				int64_t v = 0;	/* py_const() sets it; -O3 cannot see that */

				if (a != field && b != field) {
					fail_at(p, t, "not supported: comparing two constants ('%s %s %s') in python statement '%s'",
						a, op, b, st);
					return false;
				}
				if (b == field)
					op = py_flip(op);
				py_const(a == field ? b : a, &v);
				if (strcmp(op, "==") == 0)
					g_string_append_printf(checks, " %s=%" G_GINT64_FORMAT, field, v);
				else
					g_string_append_printf(checks, " %s=\"%s %" G_GINT64_FORMAT "\"", field, op, v);
			}
		}
		i = j + 1;
		if (j + 1 == w->len) {
			fail_at(p, t, "not supported: python statement '%s' ends with 'and'", st);
			return false;
		}
	}
	return true;
}

static void code_event(struct pkt *p, struct ev_time *et, const struct tok *t)
{
	g_auto(GStrv) stmts = NULL;
	g_autoptr(GString) s = g_string_new(NULL);
	g_autoptr(GString) checks = g_string_new(NULL);
	g_autofree char *code = join_continuations(t->text);

	g_strdelimit(code, ";", '\n');
	stmts = g_strsplit(code, "\n", -1);
	for (char **l = stmts; *l && !p->failed; l++) {
		g_autofree char *st = g_strstrip(g_strdup(*l));
		char *comma, *hash;

		if (!*st || st[0] == '#')
			continue;
		hash = strchr(st, '#');		/* "assert x == 1, x  # why" */
		if (hash)
			*hash = '\0';
		comma = strchr(st, ',');	/* "assert x == 1, message" */
		if (comma)
			*comma = '\0';
		g_strchomp(st);
		if (!g_str_has_prefix(st, "assert ")) {
			fail_at(p, t, "not supported: python statement '%s' (socksim runs 'assert' comparisons of "
				"tcpi_* fields)", st);
			return;
		}
		if (!py_assert(p, t, st, st + strlen("assert "), checks))
			return;
	}
	if (p->failed)
		return;
	if (p->last_sock < 0) {
		fail_at(p, t, "a %%{ }%% block needs a socket (socket() or accept() first)");
		return;
	}
	resolve_time(p, et, false);
	if (et->any || et->range) {
		fail_at(p, et->tok, "event time %s can only be used with outbound packets", et->any ? "<star>" : "range");
		return;
	}
	if (!checks->len)
		return;
	fmt_ns(s, sched_time(p, et->t));
	g_string_append_printf(s, " app getsockopt(%d, SOL_TCP, TCP_INFO) = 0%s", p->last_sock, checks->str);
	emit_line(p, et->tok, s->str);
	add_ev(p, SCN_PKT_CALL, et);
	p->last = MAX(p->last, et->t);
	p->prev = et->t;
	p->prev_inbound = false;
}

/* ---- the script ---- */

static bool option_line(struct pkt *p, const struct tok *t)
{
	const char *eq = strchr(t->text, '=');
	g_autofree char *key = eq ? g_strndup(t->text, (gsize)(eq - t->text)) : g_strdup(t->text);
	const char *val = eq ? eq + 1 : "";

	if (strcmp(key, "tolerance_usecs") == 0) {
		guint64 v;

		if (!g_ascii_string_to_unsigned(val, 10, 1, 1000000000, &v, NULL)) {
			fail_at(p, t, "bad --tolerance_usecs: '%s'", val);
			return false;
		}
		p->tol = v * 1000u;
		return true;
	}
	if (strcmp(key, "tolerance_percent") == 0) {
		struct tok nt = *t;
		sim_time_t ns;

		nt.kind = T_NUM;
		nt.text = (char *)val;
		if (!*val || !num_secs(p, &nt, &ns) || ns > 100000000000u) {
			if (!p->failed)
				fail_at(p, t, "bad --tolerance_percent: '%s'", val);
			return false;
		}
		p->tol_ppm = ns / 100000u;	/* percent as ns-seconds -> ppm: 12.5 -> 125000 */
		return true;
	}
	if (strcmp(key, "ip_version") == 0 && strcmp(val, "ipv4") == 0)
		return true;
	fail_at(p, t, "not supported: option '--%s'", t->text);
	return false;
}

static void parse_script(struct pkt *p)
{
	while (peek(p)->kind == T_OPTION)
		if (!option_line(p, next(p)))
			return;
	if (peek(p)->kind == T_BACKTICK)	/* the init command */
		shell_command(p, next(p), false, NULL, false);
	while (!p->failed && peek(p)->kind != T_EOF) {
		struct ev_time et;
		struct tok *t;

		if (peek(p)->kind == T_BACKTICK && peek_n(p, 1)->kind == T_EOF) {
			/* the cleanup command (parser.y: opt_cleanup_command) */
			shell_command(p, next(p), true, NULL, true);
			break;
		}

		if (!parse_time(p, &et))
			return;
		t = peek(p);
		if (is_punct(t, '<') || is_punct(t, '>')) {
			packet_event(p, &et, next(p));
		} else if (t->kind == T_BACKTICK) {
			next(p);
			resolve_time(p, &et, false);
			shell_command(p, t, et.t > 0, &et, false);
		} else if (t->kind == T_CODE) {
			next(p);
			code_event(p, &et, t);
		} else {
			syscall_event(p, &et);
		}
	}
}

static void set_defaults(struct pkt *p, const char *const *params)
{
	p->tol = 4000 * 1000u;		/* config.c: tolerance_usecs = 4000 */
	p->tol_ppm = 125000;		/* tolerance_percent = 12.5 */
	p->last_sock = -1;
	p->group_n = UINT64_MAX;	/* no event yet */
	for (const char *const *s = params; s && *s && !p->failed; s++) {
		struct tok opt = { .kind = T_OPTION, .text = (char *)*s, .line = 1, .col = 1 };

		if (!g_str_has_prefix(*s, "tolerance_usecs=") && !g_str_has_prefix(*s, "tolerance_percent=")) {
			p->failed = true;
			g_set_error(p->error, SCN_ERROR, SCN_ERROR_USAGE,
				    "<command line>: error: unknown parameter '%s' for a .pkt script "
				    "(tolerance_usecs=N, tolerance_percent=P)", *s);
			return;
		}
		if (!option_line(p, &opt) && p->error && *p->error) {
			g_autofree char *m = g_strdup((*p->error)->message);

			g_clear_error(p->error);
			g_set_error(p->error, SCN_ERROR, SCN_ERROR_USAGE, "<command line>: %s", strstr(m, "error:"));
		}
	}
}

/*
 * Read @text and build the scenario text; @map gets, per generated line, the
 * script location it comes from.  NULL on error.
 */
static char *build(const char *name, const char *text, const char *const *params, GArray *map,
		   struct scn_pkt_timing **timing, GError **error)
{
	static const struct scn_loc top = { NULL, 1, 1 };
	struct pkt p = { .name = name, .error = error };
	g_autofree char *base = g_path_get_basename(name);
	GString *all = NULL;

	p.toks = g_ptr_array_new_with_free_func((GDestroyNotify)tok_free);
	p.fd_map = g_hash_table_new(g_direct_hash, g_direct_equal);
	p.fd_used = g_hash_table_new(g_direct_hash, g_direct_equal);
	p.out = g_string_new(NULL);
	p.map = g_array_new(FALSE, FALSE, sizeof(struct scn_loc));
	p.sysctls = g_string_new(NULL);
	p.sysctl_map = g_array_new(FALSE, FALSE, sizeof(struct scn_loc));
	p.evs = g_array_new(FALSE, FALSE, sizeof(struct scn_pkt_ev));
	set_defaults(&p, params);
	if (!p.failed && lex(&p, text))
		parse_script(&p);
	if (!p.failed) {
		all = g_string_new(NULL);
		g_string_append_printf(all, "scenario \"%s (packetdrill)\"\n", base);
		g_string_append(all, "host local " PKT_LOCAL_ADDR "\n");
		g_string_append(all, "host remote " PKT_REMOTE_ADDR " scripted\n");
		g_string_append(all, "link local remote delay=0\n");
		g_string_append(all, "process app on local\n");
		g_string_append(all, "sigaction app SIGPIPE ignore\n");	/* packetdrill ignores SIGPIPE */
		/* a real kernel's timers: jiffies timers run from the timer wheel,
		 * one tick after their expiry at the earliest
		 * (kernel/time/timer.c:calc_index), at the CONFIG_HZ of the kernel
		 * packetdrill's scripts were measured on (tests/packetdrill/REAL_KERNEL) */
		g_string_append(all, "timers wheel hz=250\n");
		/* the end of the script: its last event, and the tolerance of an expected packet */
		g_string_append_printf(all, "stop at=%" G_GUINT64_FORMAT "ns\n", p.last + 1);
		for (int i = 0; i < 8; i++)
			g_array_append_val(map, top);
		g_string_append(all, p.sysctls->str);
		g_array_append_vals(map, p.sysctl_map->data, p.sysctl_map->len);
		g_string_append(all, p.out->str);
		g_array_append_vals(map, p.map->data, p.map->len);
		if (timing) {
			*timing = g_new0(struct scn_pkt_timing, 1);
			(*timing)->evs = g_array_ref(p.evs);
			(*timing)->tol = p.tol;
			(*timing)->tol_ppm = p.tol_ppm;
		}
	}
	g_array_unref(p.evs);
	g_ptr_array_free(p.toks, TRUE);
	g_hash_table_unref(p.fd_map);
	g_hash_table_unref(p.fd_used);
	g_string_free(p.out, TRUE);
	g_array_free(p.map, TRUE);
	g_string_free(p.sysctls, TRUE);
	g_array_free(p.sysctl_map, TRUE);
	return all ? g_string_free(all, FALSE) : NULL;
}

char *scn_pkt_translate(const char *name, const char *text, const char *const *params, GError **error)
{
	g_autoptr(GArray) map = g_array_new(FALSE, FALSE, sizeof(struct scn_loc));

	return build(name, text, params, map, NULL, error);
}

/* ---- back to the script's locations ---- */

struct remap {
	const char *file;
	GArray *map;		/* generated line -> script loc */
};

static void remap_loc(const struct remap *m, struct scn_loc *loc)
{
	if (loc->line >= 1 && loc->line <= m->map->len) {
		const struct scn_loc *to = &g_array_index(m->map, struct scn_loc, loc->line - 1);

		loc->line = to->line;
		loc->col = to->col;
	}
	loc->file = m->file;
}

static void remap_value(const struct remap *m, struct scn_value *v)
{
	remap_loc(m, &v->loc);
}

static void remap_opts(const struct remap *m, GPtrArray *opts)
{
	for (guint i = 0; opts && i < opts->len; i++) {
		struct scn_opt *o = opts->pdata[i];

		remap_loc(m, &o->loc);
		remap_value(m, &o->val);
	}
}

static void remap_stmt(const struct remap *m, struct scn_stmt *st)
{
	remap_loc(m, &st->loc);
	remap_loc(m, &st->kw_loc);
	remap_value(m, &st->time);
	for (guint i = 0; i < st->words->len; i++)
		remap_value(m, st->words->pdata[i]);
	remap_opts(m, st->opts);
	if (st->call) {
		remap_loc(m, &st->call->loc);
		remap_loc(m, &st->call->var_loc);
		for (guint i = 0; i < st->call->args->len; i++)
			remap_value(m, st->call->args->pdata[i]);
	}
	if (st->result) {
		remap_loc(m, &st->result->loc);
		remap_loc(m, &st->result->err_loc);
		remap_value(m, &st->result->ret);
		remap_value(m, &st->result->at);
		remap_value(m, &st->result->tol);
		remap_opts(m, st->result->opts);
	}
}

struct scn_script *scn_pkt_parse_string(const char *name, const char *text,
					const char *const *params, GError **error)
{
	struct remap m = { .map = g_array_new(FALSE, FALSE, sizeof(struct scn_loc)) };
	struct scn_pkt_timing *timing = NULL;
	g_autofree char *scn = build(name, text, params, m.map, &timing, error);
	struct scn_script *script = NULL;
	GError *perr = NULL;

	if (scn) {
		script = scn_parse_string(name, scn, NULL, &perr);
		if (script) {
			script->pkt = g_steal_pointer(&timing);
			script->pkt_free = scn_pkt_timing_free;
			m.file = scn_script_intern(script, name);
			for (guint i = 0; i < script->stmts->len; i++)
				remap_stmt(&m, script->stmts->pdata[i]);
		} else {
			/* the translation is ours: a parse error is a token the script passed
			 * through; report it at the script's line */
			const char *rest = perr->message + strlen(name);
			unsigned int line = 0, col = 0;
			int used = 0;

			if (g_str_has_prefix(perr->message, name) &&
			    sscanf(rest, ":%u:%u: %n", &line, &col, &used) == 2 && used &&
			    line >= 1 && line <= m.map->len) {
				const struct scn_loc *to = &g_array_index(m.map, struct scn_loc, line - 1);

				g_set_error(error, SCN_ERROR, SCN_ERROR_SYNTAX, "%s:%u:%u: %s (in the scenario this line becomes)",
					    name, to->line, to->col, rest + used);
				g_error_free(perr);
			} else {
				g_propagate_prefixed_error(error, perr, "%s: in the translation of this script: ", name);
			}
		}
	}
	g_array_free(m.map, TRUE);
	if (timing)
		scn_pkt_timing_free(timing);
	return script;
}

struct scn_pkt_timing *scn_pkt_timing_copy(const struct scn_pkt_timing *t)
{
	struct scn_pkt_timing *c = g_memdup2(t, sizeof(*t));

	c->evs = g_array_copy(t->evs);
	return c;
}

void scn_pkt_timing_free(struct scn_pkt_timing *t)
{
	g_array_unref(t->evs);
	g_free(t);
}

struct scn_script *scn_pkt_parse_file(const char *path, const char *const *params, GError **error)
{
	g_autofree char *text = NULL;
	gsize len;
	GError *ioerr = NULL;

	if (!g_file_get_contents(path, &text, &len, &ioerr)) {
		g_set_error(error, SCN_ERROR, SCN_ERROR_IO, "%s: error: %s", path, ioerr->message);
		g_error_free(ioerr);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		g_set_error(error, SCN_ERROR, SCN_ERROR_SYNTAX, "%s: error: a NUL byte in the script", path);
		return NULL;
	}
	return scn_pkt_parse_string(path, text, params, error);
}
