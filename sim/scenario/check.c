/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks: AST -> plan.  Knows the directive names, the models'
 * sysctl table, syscalls, constants, errno and signal names.  Every error
 * points at the offending token and says what was expected.
 */
#include "plan.h"

#include <string.h>

#include "env/world.h"
#include "linux/errno_names.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "vsock.h"

struct checker {
	GPtrArray *assigned;	/* "proc\nvar" of every variable a call binds, so far */
	const struct scn_script *script;
	struct scn_plan *plan;
	GError **error;
	bool failed;
};

#define FAIL(c, loc, ...) \
	do { \
		if (!(c)->failed) \
			scn_set_error((c)->error, SCN_ERROR_SEMANTIC, (loc), __VA_ARGS__); \
		(c)->failed = true; \
	} while (0)

static const struct { const char *name; int64_t val; } constants[] = {
	{ "AF_UNSPEC", AF_UNSPEC }, { "AF_INET", AF_INET }, { "AF_INET6", 10 },
	{ "AF_VSOCK", AF_VSOCK }, { "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM },
	{ "IPPROTO_IP", IPPROTO_IP }, { "IPPROTO_TCP", IPPROTO_TCP }, { "SOL_TCP", SOL_TCP },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SO_ERROR", SO_ERROR }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDTIMEO", SO_SNDTIMEO }, { "SO_RCVTIMEO", SO_RCVTIMEO },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_MAXSEG", TCP_MAXSEG }, { "TCP_SYNCNT", TCP_SYNCNT },
	{ "TCP_CORK", TCP_CORK }, { "TCP_INFO", TCP_INFO }, { "TCP_CONGESTION", TCP_CONGESTION },
	{ "MSG_MORE", MSG_MORE },
	{ "TCP_USER_TIMEOUT", TCP_USER_TIMEOUT }, { "TCP_RTO_MAX_MS", TCP_RTO_MAX_MS },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL }, { "O_NONBLOCK", O_NONBLOCK },
	{ "MSG_DONTWAIT", MSG_DONTWAIT }, { "MSG_NOSIGNAL", MSG_NOSIGNAL },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
	{ "POLLIN", POLLIN }, { "POLLPRI", POLLPRI }, { "POLLOUT", POLLOUT }, { "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP }, { "POLLNVAL", 0x020 }, { "POLLRDNORM", POLLRDNORM },
	{ "POLLWRNORM", POLLWRNORM }, { "POLLRDHUP", POLLRDHUP },
};

static bool constant_value(const char *name, int64_t *val)
{
	int e;

	for (size_t i = 0; i < G_N_ELEMENTS(constants); i++)
		if (strcmp(constants[i].name, name) == 0) {
			*val = constants[i].val;
			return true;
		}
	if (scn_vsock_constant(name, val))
		return true;
	e = sim_errno_from_name(name);
	if (e) {
		*val = e;
		return true;
	}
	e = tcp_state_from_name(name);
	if (e > 0) {
		*val = e;
		return true;
	}
	return false;
}

/* An integer: a literal, a constant, or constants joined with '|'. */
static bool value_int(struct checker *c, const struct scn_value *v, int64_t *out)
{
	if (v->kind == SCN_V_INT) {
		*out = v->i;
		return true;
	}
	if (v->kind == SCN_V_IDENT) {
		g_auto(GStrv) parts = g_strsplit(v->text, "|", -1);
		int64_t acc = 0;

		for (char **p = parts; *p; p++) {
			int64_t x;

			if (!constant_value(*p, &x)) {
				FAIL(c, &v->loc, "unknown constant '%s', expected an integer or a "
				     "name such as SOCK_STREAM, O_NONBLOCK, POLLOUT or ECONNREFUSED", *p);
				return false;
			}
			acc |= x;
		}
		*out = acc;
		return true;
	}
	FAIL(c, &v->loc, "expected an integer or a constant, found %s '%s'",
	     scn_value_kind_name(v->kind), v->text);
	return false;
}

static bool value_time(struct checker *c, const struct scn_value *v, sim_time_t *out)
{
	if (v->kind == SCN_V_TIME && !v->relative) {
		*out = v->t;
		return true;
	}
	if (v->kind == SCN_V_INT && v->i == 0) {	/* a bare 0 needs no unit */
		*out = 0;
		return true;
	}
	FAIL(c, &v->loc, "expected a time such as 200ms or 1.5s, found %s '%s'",
	     scn_value_kind_name(v->kind), v->text);
	return false;
}

static bool value_ppb(struct checker *c, const struct scn_value *v, uint64_t *out)
{
	if (v->kind == SCN_V_DECIMAL || (v->kind == SCN_V_INT && (v->i == 0 || v->i == 1))) {
		*out = v->kind == SCN_V_DECIMAL ? v->ppb : (uint64_t)v->i * 1000000000u;
		if (*out <= 1000000000u)
			return true;
	}
	FAIL(c, &v->loc, "expected a probability between 0 and 1 (0.01 or 1%%), found '%s'",
	     v->text);
	return false;
}

static int find_host(const struct scn_plan *p, const char *name)
{
	for (guint i = 0; i < p->hosts->len; i++)
		if (strcmp(((struct plan_host *)p->hosts->pdata[i])->name, name) == 0)
			return (int)i;
	return -1;
}

static int find_proc(const struct scn_plan *p, const char *name)
{
	for (guint i = 0; i < p->procs->len; i++)
		if (strcmp(((struct plan_proc *)p->procs->pdata[i])->name, name) == 0)
			return (int)i;
	return -1;
}

static char *name_list(GPtrArray *arr, size_t name_off)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < arr->len; i++) {
		const char *n = *(const char **)(void *)((char *)arr->pdata[i] + name_off);

		g_string_append_printf(s, "%s%s", i ? ", " : "", n);
	}
	if (!arr->len)
		g_string_append(s, "none");
	return g_string_free(s, FALSE);
}

static int host_word(struct checker *c, const struct scn_value *v)
{
	int h;

	if (v->kind != SCN_V_IDENT) {
		FAIL(c, &v->loc, "expected a host name, found %s '%s'", scn_value_kind_name(v->kind), v->text);
		return -1;
	}
	h = find_host(c->plan, v->text);
	if (h < 0) {
		g_autofree char *known = name_list(c->plan->hosts, offsetof(struct plan_host, name));

		FAIL(c, &v->loc, "unknown host '%s' (declared: %s)", v->text, known);
	}
	return h;
}

int scn_plan_find_host(const struct scn_plan *p, const char *name)
{
	return find_host(p, name);
}

static int proc_word(struct checker *c, const struct scn_value *v)
{
	int p;

	if (v->kind != SCN_V_IDENT) {
		FAIL(c, &v->loc, "expected a process name, found %s '%s'", scn_value_kind_name(v->kind), v->text);
		return -1;
	}
	p = find_proc(c->plan, v->text);
	if (p < 0) {
		g_autofree char *known = name_list(c->plan->procs, offsetof(struct plan_proc, name));

		FAIL(c, &v->loc, "unknown process '%s' (declared: %s)", v->text, known);
	}
	return p;
}

static const struct scn_value *word(struct checker *c, const struct scn_stmt *st, guint i,
				    const char *what)
{
	if (i < st->words->len)
		return st->words->pdata[i];
	FAIL(c, &st->kw_loc, "'%s' needs %s", st->keyword, what);
	return NULL;
}

static void no_extra_words(struct checker *c, const struct scn_stmt *st, guint n)
{
	if (st->words->len > n) {
		const struct scn_value *v = st->words->pdata[n];

		FAIL(c, &v->loc, "unexpected '%s' after the arguments of '%s'", v->text, st->keyword);
	}
}

static void no_opts(struct checker *c, const struct scn_stmt *st, const char *const *allowed)
{
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		bool ok = false;

		for (const char *const *a = allowed; a && *a; a++)
			ok |= strcmp(*a, o->key) == 0;
		if (!ok) {
			g_autofree char *list = allowed ? g_strjoinv(", ", (char **)allowed) : g_strdup("none");

			FAIL(c, &o->loc, "unknown option '%s' for '%s' (expected: %s)", o->key,
			     st->keyword, list);
		}
	}
}

/* ---- directives ---- */

static void check_host(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name = word(c, st, 0, "a name and an IPv4 address");
	const struct scn_value *addr = word(c, st, 1, "an IPv4 address after the name");
	struct plan_host *h;

	if (!name || !addr)
		return;
	if (name->kind != SCN_V_IDENT)
		FAIL(c, &name->loc, "expected a host name, found '%s'", name->text);
	else if (find_host(c->plan, name->text) >= 0)
		FAIL(c, &name->loc, "host '%s' is declared twice", name->text);
	if (addr->kind != SCN_V_ADDR || addr->has_port)
		FAIL(c, &addr->loc, "expected an IPv4 address such as 10.0.0.1, found '%s'", addr->text);
	if (st->words->len > 2) {
		const struct scn_value *w = st->words->pdata[2];

		if (strcmp(w->text, "scripted") != 0)
			FAIL(c, &w->loc, "expected 'scripted' or the end of the line after the address, found '%s'",
			     w->text);
	}
	no_extra_words(c, st, 3);
	no_opts(c, st, NULL);
	if (c->failed)
		return;
	for (guint i = 0; i < c->plan->hosts->len; i++)
		if (((struct plan_host *)c->plan->hosts->pdata[i])->addr == addr->ip) {
			FAIL(c, &addr->loc, "address %s is already used by host '%s'", addr->text,
			     ((struct plan_host *)c->plan->hosts->pdata[i])->name);
			return;
		}
	h = g_new0(struct plan_host, 1);
	h->name = g_strdup(name->text);
	h->addr = addr->ip;
	h->scripted = st->words->len > 2;
	g_ptr_array_add(c->plan->hosts, h);
}

static void check_link(struct checker *c, const struct scn_stmt *st)
{
	static const char *const allowed[] = { "delay", "jitter", "rate", "queue", NULL };
	const struct scn_value *a = word(c, st, 0, "two host names");
	const struct scn_value *b = word(c, st, 1, "two host names");
	struct plan_link *l;
	int ha, hb;

	if (!a || !b)
		return;
	ha = host_word(c, a);
	hb = host_word(c, b);
	no_extra_words(c, st, 2);
	no_opts(c, st, allowed);
	if (c->failed)
		return;
	if (ha == hb) {
		FAIL(c, &b->loc, "a link joins two different hosts ('%s' twice)", b->text);
		return;
	}
	l = g_new0(struct plan_link, 1);
	l->a = ha;
	l->b = hb;
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];

		if (strcmp(o->key, "delay") == 0)
			value_time(c, &o->val, &l->delay);
		else if (strcmp(o->key, "jitter") == 0)
			value_time(c, &o->val, &l->jitter);
		else if (o->val.kind != SCN_V_INT || o->val.i <= 0)
			FAIL(c, &o->val.loc, "%s expects a positive integer (%s), found '%s'", o->key,
			     strcmp(o->key, "rate") == 0 ? "bits per second" : "bytes", o->val.text);
		else if (strcmp(o->key, "rate") == 0)
			l->rate_bps = (uint64_t)o->val.i;
		else
			l->queue_bytes = (uint64_t)o->val.i;
	}
	g_ptr_array_add(c->plan->links, l);
}

static void check_route(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *h = word(c, st, 0, "a host, a prefix and a route type");
	const struct scn_value *pfx = word(c, st, 1, "a prefix such as 10.9.0.0/16");
	const struct scn_value *type = word(c, st, 2, "a route type (unreachable, prohibit, blackhole)");
	struct plan_route *r;
	int hi, t;

	if (!h || !pfx || !type)
		return;
	hi = host_word(c, h);
	if (pfx->kind != SCN_V_PREFIX && !(pfx->kind == SCN_V_ADDR && !pfx->has_port))
		FAIL(c, &pfx->loc, "expected a prefix such as 10.9.0.0/16, found '%s'", pfx->text);
	if (strcmp(type->text, "unreachable") == 0)
		t = RTN_UNREACHABLE;
	else if (strcmp(type->text, "prohibit") == 0)
		t = RTN_PROHIBIT;
	else if (strcmp(type->text, "blackhole") == 0)
		t = RTN_BLACKHOLE;
	else {
		FAIL(c, &type->loc, "unknown route type '%s' (expected unreachable, prohibit or blackhole)",
		     type->text);
		return;
	}
	no_extra_words(c, st, 3);
	if (c->failed)
		return;
	r = g_new0(struct plan_route, 1);
	r->host = hi;
	r->prefix = pfx->ip;
	r->plen = pfx->kind == SCN_V_PREFIX ? pfx->plen : 32;
	r->type = t;
	g_ptr_array_add(c->plan->routes, r);
}

static char *value_as_sysctl_text(const struct scn_value *v)
{
	if (v->kind == SCN_V_RANGE && !v->time_range)
		return g_strdup_printf("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, v->i, v->i_hi);
	if (v->kind == SCN_V_INT)
		return g_strdup_printf("%" G_GINT64_FORMAT, v->i);
	return g_strdup(v->text);
}

/* "[host:]name" -> host index (-1 all) and descriptor; NULL on error (message in *msg). */
static const struct sysctl_desc *resolve_sysctl(const struct scn_plan *p, const char *key,
						int *host, char **msg)
{
	const char *colon = strchr(key, ':');
	const struct sysctl_desc *d;
	const char *name = key;

	*host = -1;
	if (colon) {
		g_autofree char *hn = g_strndup(key, (gsize)(colon - key));

		*host = find_host(p, hn);
		if (*host < 0) {
			*msg = g_strdup_printf("unknown host '%s' in '%s'", hn, key);
			return NULL;
		}
		name = colon + 1;
	}
	d = sysctl_find(name);
	if (!d) {
		*msg = g_strdup_printf("unknown sysctl '%s' (see `socksim list-params`)", name);
		return NULL;
	}
	if (!sysctl_in_profile(d, p->profile)) {
		*msg = g_strdup_printf("sysctl '%s' does not exist in profile %s", d->name,
				       p->profile->name);
		return NULL;
	}
	return d;
}

static void add_sysctl(struct checker *c, const char *key, char *value, const struct scn_loc *loc)
{
	struct plan_sysctl *s;
	struct net scratch;
	g_autofree char *msg = NULL;
	int host;
	const struct sysctl_desc *d = resolve_sysctl(c->plan, key, &host, &msg);

	if (!d) {
		FAIL(c, loc, "%s", msg);
		g_free(value);
		return;
	}
	net_init_defaults(&scratch, c->plan->profile);
	if (sysctl_write(&scratch, d, value, &msg)) {
		FAIL(c, loc, "%s", msg);
		g_free(value);
		return;
	}
	s = g_new0(struct plan_sysctl, 1);
	s->host = host;
	s->desc = d;
	s->value = value;
	s->loc = *loc;
	g_ptr_array_add(c->plan->sysctls, s);
}

static void check_sysctl(struct checker *c, const struct scn_stmt *st)
{
	if (st->opts->len == 1 && st->words->len) {
		const struct scn_value *extra = st->words->pdata[0];

		FAIL(c, &extra->loc, "a sysctl takes one value; quote a list of several (\"4096 16384 4194304\")");
		return;
	}
	if (st->opts->len != 1 || st->words->len) {
		FAIL(c, &st->kw_loc, "expected 'sysctl [HOST:]NAME = VALUE', one per line");
		return;
	}
	const struct scn_opt *o = st->opts->pdata[0];

	add_sysctl(c, o->key, value_as_sysctl_text(&o->val), &o->loc);
}

static void check_process(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name = word(c, st, 0, "a name, 'on' and a host");
	const struct scn_value *on = word(c, st, 1, "'on HOST' after the name");
	const struct scn_value *host = word(c, st, 2, "a host after 'on'");
	struct plan_proc *p;
	int h;

	if (!name || !on || !host)
		return;
	if (strcmp(on->text, "on") != 0) {
		FAIL(c, &on->loc, "expected 'on', found '%s'", on->text);
		return;
	}
	h = host_word(c, host);
	if (c->failed)
		return;
	if (name->kind != SCN_V_IDENT || find_proc(c->plan, name->text) >= 0 ||
	    strcmp(name->text, "signal") == 0 || strcmp(name->text, "inject") == 0) {
		FAIL(c, &name->loc, "process name '%s' is not an identifier or is already used", name->text);
		return;
	}
	if (((struct plan_host *)c->plan->hosts->pdata[h])->scripted) {
		FAIL(c, &host->loc, "host '%s' is scripted: it runs no processes", host->text);
		return;
	}
	no_extra_words(c, st, 3);
	p = g_new0(struct plan_proc, 1);
	p->name = g_strdup(name->text);
	p->host = h;
	p->pid = (int)c->plan->procs->len + 100;
	p->leader = -1;
	g_ptr_array_add(c->plan->procs, p);
}

/* "thread NAME of PROC": shares PROC's descriptors (and dies with it). */
static void check_thread(struct checker *c, const struct scn_stmt *st)
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
	if (leader->leader >= 0) {
		FAIL(c, &pv->loc, "'%s' is itself a thread; name its process", pv->text);
		return;
	}
	if (name->kind != SCN_V_IDENT || find_proc(c->plan, name->text) >= 0) {
		FAIL(c, &name->loc, "thread name '%s' is not an identifier or is already used", name->text);
		return;
	}
	no_extra_words(c, st, 3);
	p = g_new0(struct plan_proc, 1);
	p->name = g_strdup(name->text);
	p->host = leader->host;
	p->pid = (int)c->plan->procs->len + 100;
	p->leader = li;
	g_ptr_array_add(c->plan->procs, p);
}

static void check_sigaction(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *pv = word(c, st, 0, "a process, a signal and a disposition");
	const struct scn_value *sv = word(c, st, 1, "a signal name such as SIGALRM");
	const struct scn_value *dv = word(c, st, 2, "a disposition: default, ignore or handler");
	struct plan_proc *p;
	int pi, sig;

	if (!pv || !sv || !dv)
		return;
	pi = proc_word(c, pv);
	sig = signal_from_name(sv->text);
	if (!sig)
		FAIL(c, &sv->loc, "unknown signal '%s' (expected e.g. SIGALRM, SIGINT, SIGUSR1, SIGPIPE)", sv->text);
	if (c->failed)
		return;
	if (sig == 9) {
		FAIL(c, &sv->loc, "the disposition of SIGKILL cannot be changed");
		return;
	}
	p = c->plan->procs->pdata[pi];
	if (strcmp(dv->text, "default") == 0)
		p->sighand[sig].disp = SIGDISP_DEFAULT;
	else if (strcmp(dv->text, "ignore") == 0)
		p->sighand[sig].disp = SIGDISP_IGNORE;
	else if (strcmp(dv->text, "handler") == 0)
		p->sighand[sig].disp = SIGDISP_HANDLER;
	else
		FAIL(c, &dv->loc, "unknown disposition '%s' (expected default, ignore or handler)", dv->text);
	if (st->words->len > 3) {
		const struct scn_value *r = st->words->pdata[3];

		if (strcmp(r->text, "restart") != 0 || p->sighand[sig].disp != SIGDISP_HANDLER)
			FAIL(c, &r->loc, "only 'handler' takes 'restart' (SA_RESTART), found '%s'", r->text);
		p->sighand[sig].sa_restart = true;
	}
	no_extra_words(c, st, 4);
}

static void check_lsm(struct checker *c, const struct scn_stmt *st)
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
	if (!sim_errno_from_name(err->text))
		FAIL(c, &err->loc, "unknown errno '%s'", err->text);
	no_opts(c, st, allowed);
	if (c->failed)
		return;
	l = g_new0(struct plan_lsm, 1);
	l->call = g_strdup(call->text);
	l->err = sim_errno_from_name(err->text);
	l->proc = po ? proc_word(c, &po->val) : -1;
	g_ptr_array_add(c->plan->lsm, l);
}

static uint32_t kind_mask(struct checker *c, const struct scn_value *v)
{
	g_auto(GStrv) parts = g_strsplit(v->text, "|", -1);
	uint32_t mask = 0;

	for (char **p = parts; *p; p++) {
		int k = pkt_kind_from_name(*p);

		if (k < 0) {
			FAIL(c, &v->loc, "unknown packet kind '%s' (expected SYN, SYNACK, ACK, RST, DATA, FIN or ICMP)", *p);
			return 0;
		}
		mask |= 1u << k;
	}
	return mask;
}

static void check_fault(struct checker *c, const struct scn_stmt *st)
{
	static const struct { const char *name; enum fault_kind kind; const char *keys[6]; } kinds[] = {
		{ "loss", FAULT_LOSS, { "p" } },
		{ "gilbert", FAULT_GILBERT, { "p", "r", "h", "k" } },
		{ "drop", FAULT_DROP, { "nth", "count" } },
		{ "window", FAULT_WINDOW, { "action" } },
		{ "delay", FAULT_DELAY, { "extra" } },
		{ "duplicate", FAULT_DUPLICATE, { "p" } },
		{ "reorder", FAULT_REORDER, { "p", "extra" } },
		{ "icmp", FAULT_ICMP, { "type", "router", "nth", "count" } },
	};
	const struct scn_value *kv = word(c, st, 0, "a fault kind (loss, gilbert, drop, window, delay, duplicate, reorder, icmp)");
	struct plan_fault *f;
	int ki = -1;

	if (!kv)
		return;
	if (g_str_has_prefix(kv->text, "vsock-")) {
		c->failed = !scn_vsock_check_fault(st, c->plan, c->error);
		return;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (strcmp(kinds[i].name, kv->text) == 0)
			ki = (int)i;
	if (ki < 0) {
		FAIL(c, &kv->loc, "unknown fault kind '%s' (expected loss, gilbert, drop, window, delay, duplicate, reorder or icmp)", kv->text);
		return;
	}
	no_extra_words(c, st, 1);
	f = g_new0(struct plan_fault, 1);
	f->tmpl.kind = kinds[ki].kind;
	f->tmpl.h_ppb = 1000000000u;
	f->from = f->to = f->router = -1;
	f->label = g_strdup_printf("fault@%u:%s", st->loc.line, kinds[ki].name);
	g_ptr_array_add(c->plan->faults, f);
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		const struct scn_value *v = &o->val;
		bool known = false;

		for (int k = 0; k < 6 && kinds[ki].keys[k]; k++)
			known |= strcmp(kinds[ki].keys[k], o->key) == 0;
		if (strcmp(o->key, "from") == 0)
			f->from = host_word(c, v);
		else if (strcmp(o->key, "to") == 0)
			f->to = host_word(c, v);
		else if (strcmp(o->key, "kind") == 0)
			f->tmpl.kind_mask = kind_mask(c, v);
		else if (strcmp(o->key, "during") == 0) {
			if (v->kind != SCN_V_RANGE || !v->time_range || v->t_hi <= v->t)
				FAIL(c, &v->loc, "during expects a time range T1..T2 with T1 < T2, found '%s'", v->text);
			f->tmpl.has_during = true;
			f->tmpl.t_lo = v->t;
			f->tmpl.t_hi = v->t_hi;
		} else if (!known) {
			FAIL(c, &o->loc, "unknown option '%s' for fault %s", o->key, kinds[ki].name);
		} else if (strcmp(o->key, "p") == 0) {
			value_ppb(c, v, &f->tmpl.p_ppb);
		} else if (strcmp(o->key, "r") == 0) {
			value_ppb(c, v, &f->tmpl.r_ppb);
		} else if (strcmp(o->key, "h") == 0) {
			value_ppb(c, v, &f->tmpl.h_ppb);
		} else if (strcmp(o->key, "k") == 0) {
			value_ppb(c, v, &f->tmpl.k_ppb);
		} else if (strcmp(o->key, "nth") == 0 || strcmp(o->key, "count") == 0) {
			if (v->kind != SCN_V_INT || v->i < 1)
				FAIL(c, &v->loc, "%s expects a positive integer, found '%s'", o->key, v->text);
			else if (o->key[0] == 'n')
				f->tmpl.nth = (uint64_t)v->i;
			else
				f->tmpl.count = (uint64_t)v->i;
		} else if (strcmp(o->key, "extra") == 0) {
			value_time(c, v, &f->tmpl.extra);
		} else if (strcmp(o->key, "action") == 0) {
			if (strcmp(v->text, "blackhole") == 0)
				f->tmpl.blackhole = true;
			else if (strcmp(v->text, "drop") != 0)
				FAIL(c, &v->loc, "action expects drop or blackhole, found '%s'", v->text);
		} else if (strcmp(o->key, "type") == 0) {
			if (!icmp_type_from_name(v->text, &f->tmpl.icmp_type, &f->tmpl.icmp_code))
				FAIL(c, &v->loc, "unknown ICMP type '%s' (expected e.g. host-unreachable, net-unreachable, port-unreachable)", v->text);
		} else if (strcmp(o->key, "router") == 0) {
			f->router = host_word(c, v);
		}
	}
	if (c->failed)
		return;
	if (f->tmpl.kind == FAULT_WINDOW && !f->tmpl.has_during)
		FAIL(c, &kv->loc, "fault window needs during=T1..T2");
	if ((f->tmpl.kind == FAULT_LOSS || f->tmpl.kind == FAULT_DUPLICATE ||
	     f->tmpl.kind == FAULT_REORDER || f->tmpl.kind == FAULT_GILBERT) && !scn_stmt_opt(st, "p"))
		FAIL(c, &kv->loc, "fault %s needs p=PROBABILITY", kinds[ki].name);
	if (f->tmpl.kind == FAULT_ICMP && !scn_stmt_opt(st, "type"))
		FAIL(c, &kv->loc, "fault icmp needs type=NAME (e.g. host-unreachable)");
	if ((f->tmpl.kind == FAULT_DELAY || f->tmpl.kind == FAULT_REORDER) && !scn_stmt_opt(st, "extra"))
		FAIL(c, &kv->loc, "fault %s needs extra=TIME", kinds[ki].name);
	if (f->tmpl.kind == FAULT_DROP && f->tmpl.nth && f->tmpl.count)
		FAIL(c, &kv->loc, "fault drop takes nth= or count=, not both");
}

/* ---- timed lines: syscalls and signals ---- */

/*
 * Argument shapes: f fd (variable or integer), i integer/constant,
 * A address (ip:port, AF_UNSPEC or FAULT), L length (integer or FAULT),
 * V integer or time, T timeout (time, 0 or -1).  '?' makes the rest optional.
 */
static const struct { const char *call; const char *shape; const char *usage; } call_shapes[] = {
	{ "socket", "iii", "socket(FAMILY, TYPE, PROTOCOL)" },
	{ "open", "", "open()" },
	{ "connect", "fA?i", "connect(FD, ADDR[:PORT] | AF_UNSPEC | FAULT [, ADDRLEN])" },
	{ "bind", "fA?i", "bind(FD, ADDR:PORT [, ADDRLEN])" },
	{ "listen", "fi", "listen(FD, BACKLOG)" },
	{ "accept", "f", "accept(FD)" },
	{ "close", "f", "close(FD)" },
	{ "shutdown", "fi", "shutdown(FD, SHUT_RD | SHUT_WR | SHUT_RDWR)" },
	{ "send", "fL?i", "send(FD, LEN | FAULT [, FLAGS])" },
	{ "sendto", "fLiA?i", "sendto(FD, LEN | FAULT, FLAGS, ADDR:PORT [, ADDRLEN])" },
	{ "recv", "fi?i", "recv(FD, LEN [, FLAGS])" },
	{ "setsockopt", "fiiV", "setsockopt(FD, LEVEL, OPTNAME, VALUE)" },
	{ "getsockopt", "fii", "getsockopt(FD, LEVEL, OPTNAME)" },
	{ "fcntl", "fi?i", "fcntl(FD, F_GETFL | F_SETFL [, FLAGS])" },
	{ "poll", "fiT", "poll(FD, EVENTS, TIMEOUT)" },
};

static bool check_arg(struct checker *c, char shape, const struct scn_value *v,
		      struct plan_arg *a, const char *usage)
{
	switch (shape) {
	case 'f':
		if (v->kind == SCN_V_IDENT && !strchr(v->text, '|')) {
			int64_t dummy;

			if (constant_value(v->text, &dummy)) {
				FAIL(c, &v->loc, "expected a descriptor (a variable or a number) in %s, found '%s'",
				     usage, v->text);
				return false;
			}
			a->kind = ARG_VAR;
			a->var = g_strdup(v->text);
			return true;
		}
		a->kind = ARG_INT;
		return value_int(c, v, &a->i);
	case 'A':
		a->kind = ARG_ADDR;
		if (v->kind == SCN_V_ADDR) {
			a->addr.family = AF_INET;
			a->addr.addr = v->ip;
			a->addr.port = (uint16_t)v->port;
			a->addr.addrlen = 16;
			return true;
		}
		if (v->kind == SCN_V_IDENT && strncmp(v->text, "AF_", 3) == 0) {
			int64_t fam;

			/* a zeroed sockaddr of that family: AF_UNSPEC disconnects,
			 * AF_INET6 meets tcp_v4_connect's EAFNOSUPPORT */
			if (!value_int(c, v, &fam))
				return false;
			a->addr.family = (int)fam;
			a->addr.addrlen = 16;
			return true;
		}
		if (v->kind == SCN_V_IDENT && g_str_has_prefix(v->text, "vsock:")) {
			c->failed = !scn_vsock_addr(v, &a->addr, c->error);
			return !c->failed;
		}
		if (v->kind == SCN_V_IDENT && strcmp(v->text, "FAULT") == 0) {
			a->addr.family = AF_INET;
			a->addr.addrlen = 16;
			a->addr.fault = true;
			return true;
		}
		FAIL(c, &v->loc, "expected an address such as 10.0.0.2:80, a family (AF_UNSPEC, AF_INET6) or FAULT in %s, found '%s'",
		     usage, v->text);
		return false;
	case 'L':
		if (v->kind == SCN_V_IDENT && strcmp(v->text, "FAULT") == 0) {
			a->kind = ARG_INT;
			a->i = -1;
			return true;
		}
		a->kind = ARG_INT;
		if (!value_int(c, v, &a->i))
			return false;
		if (a->i < 0) {
			FAIL(c, &v->loc, "a length cannot be negative");
			return false;
		}
		return true;
	case 'V':
		if (v->kind == SCN_V_TIME) {
			a->kind = ARG_TIME;
			a->t = v->t;
			return true;
		}
		if (v->kind == SCN_V_IDENT && !strchr(v->text, '|')) {
			int64_t dummy;

			if (!constant_value(v->text, &dummy)) {
				a->kind = ARG_STR;	/* an option string: TCP_CONGESTION reno */
				a->var = g_strdup(v->text);
				return true;
			}
		}
		a->kind = ARG_INT;
		return value_int(c, v, &a->i);
	case 'T':
		if (v->kind == SCN_V_TIME) {
			a->kind = ARG_TIME;
			a->t = v->t;
			return true;
		}
		if (v->kind == SCN_V_INT && (v->i == -1 || v->i == 0)) {
			a->kind = ARG_TIME;
			a->t = v->i < 0 ? SIM_TIME_MAX : 0;
			return true;
		}
		FAIL(c, &v->loc, "expected a timeout (a time, 0 or -1 for infinite) in %s, found '%s'",
		     usage, v->text);
		return false;
	default:
		a->kind = ARG_INT;
		return value_int(c, v, &a->i);
	}
}

/* Variables name descriptors, which belong to the process (threads share them). */
static int fd_owner(const struct checker *c, int proc)
{
	const struct plan_proc *p = c->plan->procs->pdata[proc];

	return p->leader >= 0 ? p->leader : proc;
}

static char *call_desc(const struct scn_call *call)
{
	GString *s = g_string_new(NULL);

	/* No spaces: it is one token of a trace detail. */
	if (call->var)
		g_string_append_printf(s, "%s=", call->var);
	g_string_append_printf(s, "%s(", call->name);
	for (guint i = 0; i < call->args->len; i++) {
		const struct scn_value *v = call->args->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : "", v->text);
	}
	g_string_append_c(s, ')');
	return g_string_free(s, FALSE);
}

static void check_result(struct checker *c, const struct scn_result *r, struct plan_step *step)
{
	GString *txt = g_string_new("=");

	step->exp_ret = true;
	step->ret = r->ret.i;
	g_string_append_printf(txt, " %" G_GINT64_FORMAT, r->ret.i);
	if (r->err) {
		step->err = sim_errno_from_name(r->err);
		if (!step->err || step->err >= 512)
			FAIL(c, &r->err_loc, "unknown errno '%s' (expected a name such as ETIMEDOUT)", r->err);
		if (r->ret.i != -1)
			FAIL(c, &r->err_loc, "an errno goes with a return value of -1, not %" G_GINT64_FORMAT, r->ret.i);
		g_string_append_printf(txt, " %s", r->err);
	} else if (r->ret.i < 0) {
		FAIL(c, &r->ret.loc, "expected an errno name after -1 (e.g. = -1 ETIMEDOUT)");
	}
	if (r->has_at) {
		step->exp_at = true;
		step->at = r->at.t;
		step->at_relative = r->at.relative;
		g_string_append_printf(txt, " @ %s", r->at.text);
		if (r->at.kind != SCN_V_TIME)
			FAIL(c, &r->at.loc, "expected a time after '@', found '%s'", r->at.text);
	}
	if (r->has_tol) {
		if (r->tol.kind != SCN_V_TIME || r->tol.relative)
			FAIL(c, &r->tol.loc, "expected a tolerance time after '~', found '%s'", r->tol.text);
		step->tol = r->tol.t;
		g_string_append_printf(txt, " ~ %s", r->tol.text);
	}
	for (guint i = 0; r->opts && i < r->opts->len; i++) {
		const struct scn_opt *o = r->opts->pdata[i];

		if (strcmp(o->key, "val") == 0 && strcmp(step->call, "getsockopt") == 0) {
			step->exp_val = value_int(c, &o->val, &step->val);
		} else if (strcmp(o->key, "revents") == 0 && strcmp(step->call, "poll") == 0) {
			step->exp_revents = value_int(c, &o->val, &step->revents);
		} else if (g_str_has_prefix(o->key, "tcpi_") && strcmp(step->call, "getsockopt") == 0) {
			struct plan_tcpi_check chk = { .field = -1 };

			for (int f = 0; f < TCPI_MAX; f++)
				if (strcmp(tcp_info_field_names[f], o->key) == 0)
					chk.field = f;
			if (chk.field < 0) {
				FAIL(c, &o->loc, "unknown TCP_INFO field '%s' (e.g. tcpi_snd_cwnd, tcpi_rto, tcpi_total_retrans)",
				     o->key);
				continue;
			}
			if (!value_int(c, &o->val, &chk.value))
				continue;
			if (!step->exp_tcpi)
				step->exp_tcpi = g_array_new(FALSE, FALSE, sizeof(struct plan_tcpi_check));
			g_array_append_val(step->exp_tcpi, chk);
		} else {
			FAIL(c, &o->loc, "unknown result check '%s' for %s (getsockopt takes val= and tcpi_*=, poll takes revents=)",
			     o->key, step->call);
			continue;
		}
		g_string_append_printf(txt, " %s=%s", o->key, o->val.text);
	}
	step->exp_text = g_string_free(txt, FALSE);
}

static void check_call(struct checker *c, const struct scn_stmt *st, int proc)
{
	const struct scn_call *call = st->call;
	struct plan_step *step;
	const char *shape = NULL, *usage = NULL;
	int argi = 0;
	bool optional = false;

	for (size_t i = 0; i < G_N_ELEMENTS(call_shapes); i++)
		if (strcmp(call_shapes[i].call, call->name) == 0) {
			shape = call_shapes[i].shape;
			usage = call_shapes[i].usage;
		}
	if (!shape) {
		FAIL(c, &call->loc, "unknown syscall '%s' (expected socket, connect, bind, listen, accept, close, shutdown, send, sendto, recv, setsockopt, getsockopt, fcntl, poll or open)",
		     call->name);
		return;
	}
	step = g_new0(struct plan_step, 1);
	g_ptr_array_add(c->plan->steps, step);
	step->line = (int)st->loc.line;
	step->proc = proc;
	step->relative = st->time.relative;
	step->time = st->time.t;
	for (const char *const *n = sys_call_names; *n; n++)
		if (strcmp(*n, call->name) == 0)
			step->call = *n;
	step->desc = call_desc(call);
	step->assign = g_strdup(call->var);
	for (const char *s = shape; *s; s++) {
		const struct scn_value *v;

		if (*s == '?') {
			optional = true;
			continue;
		}
		if ((guint)argi >= call->args->len) {
			if (optional)
				break;
			FAIL(c, &call->loc, "too few arguments: expected %s", usage);
			return;
		}
		v = call->args->pdata[argi];
		if (!check_arg(c, *s, v, &step->args[argi], usage))
			return;
		if (step->args[argi].kind == ARG_VAR) {
			g_autofree char *key = g_strdup_printf("%d\n%s", fd_owner(c, proc), v->text);

			if (!g_ptr_array_find_with_equal_func(c->assigned, key, g_str_equal, NULL)) {
				FAIL(c, &v->loc, "'%s' is not assigned by an earlier call of process '%s' (e.g. %s = socket(AF_INET, SOCK_STREAM, 0))",
				     v->text, ((struct plan_proc *)c->plan->procs->pdata[proc])->name, v->text);
				return;
			}
		}
		argi++;
	}
	if ((guint)argi < call->args->len) {
		const struct scn_value *v = call->args->pdata[argi];

		FAIL(c, &v->loc, "too many arguments: expected %s", usage);
		return;
	}
	step->nargs = argi;
	if (call->var)
		g_ptr_array_add(c->assigned, g_strdup_printf("%d\n%s", fd_owner(c, proc), call->var));
	if (st->result)
		check_result(c, st->result, step);
}

/* "repeat=N|forever every=T until=T" on a syscall line. */
static void check_repeat(struct checker *c, const struct scn_stmt *st, struct plan_step *step)
{
	static const char *const allowed[] = { "repeat", "every", "until", NULL };

	step->repeat = 1;
	no_opts(c, st, allowed);
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];

		if (strcmp(o->key, "repeat") == 0) {
			if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "forever") == 0)
				step->repeat = UINT64_MAX;
			else if (o->val.kind == SCN_V_INT && o->val.i >= 1)
				step->repeat = (uint64_t)o->val.i;
			else
				FAIL(c, &o->val.loc, "repeat expects a positive count or 'forever', found '%s'",
				     o->val.text);
		} else if (strcmp(o->key, "every") == 0) {
			value_time(c, &o->val, &step->every);
		} else if (strcmp(o->key, "until") == 0) {
			value_time(c, &o->val, &step->until);
		}
	}
	if (step->repeat != 1 && step->exp_ret)
		FAIL(c, &st->result->loc, "a repeated call cannot check one result; use expect lines");
	if (step->repeat != 1 && step->assign)
		FAIL(c, &st->call->var_loc, "a repeated call cannot assign a variable");
}

/*
 * "TIME inject FROM TO FLAGS sport=P dport=P [seq=N] [ack=N] [win=N] [len=N]
 * [mss=N] [wscale=N] [sackok=1] [sack=A-B]...": the packetdrill way of
 * playing the remote end.  FROM must be a scripted host.
 */
static void check_inject(struct checker *c, const struct scn_stmt *st)
{
	static const char *const allowed[] = { "sport", "dport", "seq", "ack", "win", "len", "mss",
					       "wscale", "sackok", "sack", "ts", NULL };
	const struct scn_value *fv = word(c, st, 0, "a scripted host, a destination host and TCP flags");
	const struct scn_value *tv = word(c, st, 1, "a destination host");
	const struct scn_value *flv = word(c, st, 2, "TCP flags such as S, SA, A, PA, FA, R");
	struct plan_inject *in;

	if (!fv || !tv || !flv)
		return;
	in = g_new0(struct plan_inject, 1);
	g_ptr_array_add(c->plan->injects, in);
	in->line = (int)st->loc.line;
	in->time = st->time.t;
	in->wscale = 0xff;
	in->from = host_word(c, fv);
	in->to = host_word(c, tv);
	if (c->failed)
		return;
	if (!((struct plan_host *)c->plan->hosts->pdata[in->from])->scripted)
		FAIL(c, &fv->loc, "'%s' is not a scripted host (declare it 'host %s ADDR scripted')",
		     fv->text, fv->text);
	if (st->time.relative)
		FAIL(c, &st->time.loc, "inject lines take an absolute time, found '%s'", st->time.text);
	for (const char *f = flv->text; *f; f++) {
		switch (*f) {
		case 'S': in->flags |= TCPHDR_SYN; break;
		case 'F': in->flags |= TCPHDR_FIN; break;
		case 'R': in->flags |= TCPHDR_RST; break;
		case 'P': in->flags |= TCPHDR_PSH; break;
		case 'A': in->flags |= TCPHDR_ACK; break;
		default:
			FAIL(c, &flv->loc, "unknown TCP flag '%c' in '%s' (S, F, R, P, and A for ACK: SA, PA, FA)",
			     *f, flv->text);
		}
	}
	no_extra_words(c, st, 3);
	no_opts(c, st, allowed);
	for (guint i = 0; i < st->opts->len && !c->failed; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		const struct scn_value *v = &o->val;

		if (strcmp(o->key, "sack") == 0) {
			if (v->kind != SCN_V_RANGE || v->time_range || in->nsacks >= 3) {
				FAIL(c, &v->loc, "sack expects a relative range START-END (at most 3), found '%s'", v->text);
				break;
			}
			in->sack[in->nsacks][0] = (uint32_t)v->i;
			in->sack[in->nsacks][1] = (uint32_t)v->i_hi;
			in->nsacks++;
			continue;
		}
		if (v->kind != SCN_V_INT || v->i < 0 || v->i > UINT32_MAX) {
			FAIL(c, &v->loc, "%s expects a non-negative integer, found '%s'", o->key, v->text);
			break;
		}
		if (strcmp(o->key, "sport") == 0) in->sport = (uint16_t)v->i;
		else if (strcmp(o->key, "dport") == 0) in->dport = (uint16_t)v->i;
		else if (strcmp(o->key, "seq") == 0) in->seq = (uint32_t)v->i;
		else if (strcmp(o->key, "ack") == 0) { in->ack = (uint32_t)v->i; in->has_ack = true; }
		else if (strcmp(o->key, "win") == 0) in->win = (uint32_t)v->i;
		else if (strcmp(o->key, "len") == 0) in->len = (uint32_t)v->i;
		else if (strcmp(o->key, "mss") == 0) in->mss = (uint16_t)v->i;
		else if (strcmp(o->key, "wscale") == 0) in->wscale = (uint8_t)v->i;
		else if (strcmp(o->key, "sackok") == 0) in->sack_perm = v->i != 0;
		else if (strcmp(o->key, "ts") == 0) in->ts_ok = v->i != 0;
	}
	if (!c->failed && (!in->sport || !in->dport))
		FAIL(c, &flv->loc, "inject needs sport= and dport=");
}

static void check_timed(struct checker *c, const struct scn_stmt *st)
{
	int proc;

	if (strcmp(st->keyword, "inject") == 0) {
		check_inject(c, st);
		return;
	}

	if (strcmp(st->keyword, "signal") == 0) {
		const struct scn_value *pv = word(c, st, 0, "a process and a signal name");
		const struct scn_value *sv = word(c, st, 1, "a signal name such as SIGALRM");
		struct plan_signal *sig;

		if (!pv || !sv)
			return;
		if (st->time.relative) {
			FAIL(c, &st->time.loc, "signal lines take an absolute time, found '%s'", st->time.text);
			return;
		}
		proc = proc_word(c, pv);
		if (!signal_from_name(sv->text))
			FAIL(c, &sv->loc, "unknown signal '%s' (expected e.g. SIGALRM, SIGKILL, SIGUSR1)", sv->text);
		no_extra_words(c, st, 2);
		if (c->failed)
			return;
		sig = g_new0(struct plan_signal, 1);
		sig->line = (int)st->loc.line;
		sig->time = st->time.t;
		sig->proc = proc;
		sig->sig = signal_from_name(sv->text);
		g_ptr_array_add(c->plan->signals, sig);
		return;
	}
	proc = find_proc(c->plan, st->keyword);
	if (proc < 0) {
		g_autofree char *known = name_list(c->plan->procs, offsetof(struct plan_proc, name));

		FAIL(c, &st->kw_loc, "'%s' is not a process (declared: %s); a timed line is 'TIME PROCESS CALL' or 'TIME signal PROCESS SIG'",
		     st->keyword, known);
		return;
	}
	if (!st->call) {
		FAIL(c, &st->kw_loc, "expected a syscall after process '%s', e.g. connect(c, 10.0.0.2:80)",
		     st->keyword);
		return;
	}
	no_extra_words(c, st, 0);
	check_call(c, st, proc);
	if (!c->failed)
		check_repeat(c, st, c->plan->steps->pdata[c->plan->steps->len - 1]);
}

/* ---- expectations ---- */

static void check_expect(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *kind = word(c, st, 0, "a kind: states, sock-states, counter or exit");
	struct plan_expect *e;

	if (!kind)
		return;
	e = g_new0(struct plan_expect, 1);
	g_ptr_array_add(c->plan->expects, e);
	e->line = (int)st->loc.line;
	e->states = g_array_new(FALSE, FALSE, sizeof(int));
	if (strcmp(kind->text, "states") == 0 || strcmp(kind->text, "sock-states") == 0) {
		bool sk = kind->text[0] == 's' && kind->text[1] == 't';
		const struct scn_value *pv = word(c, st, 1, "a process and a socket variable");
		const struct scn_value *vv = word(c, st, 2, "a socket variable");
		GString *txt = g_string_new(NULL);

		if (!pv || !vv) {
			g_string_free(txt, TRUE);
			return;
		}
		e->kind = sk ? EXP_STATES : EXP_SOCK_STATES;
		e->proc = proc_word(c, pv);
		e->var = g_strdup(vv->text);
		for (guint i = 3; i < st->words->len; i++) {
			const struct scn_value *s = st->words->pdata[i];
			int v = sk ? tcp_state_from_name(s->text) : socket_state_from_name(s->text);

			if (st->words->len == 4 && strcmp(s->text, "none") == 0) {
				/* the socket never leaves the state it was created in */
				g_string_append(txt, "none");
				e->none = true;
				continue;
			}

			if (v < 0)
				FAIL(c, &s->loc, "unknown %s '%s' (expected e.g. %s)", sk ? "TCP state" : "socket state",
				     s->text, sk ? "TCP_SYN_SENT, TCP_ESTABLISHED, TCP_CLOSE" : "SS_CONNECTING, SS_CONNECTED");
			g_array_append_val(e->states, v);
			g_string_append_printf(txt, "%s%s", i > 3 ? " " : "", s->text);
		}
		if (e->states->len == 0 && !e->none)
			FAIL(c, &vv->loc, "list the states the socket passes through after '%s' (or 'none')", vv->text);
		e->text = g_string_free(txt, FALSE);
	} else if (strcmp(kind->text, "counter") == 0) {
		const struct scn_opt *o;

		if (st->opts->len != 1) {
			FAIL(c, &kind->loc, "expected 'expect counter NAME = VALUE' (HOST.Counter or packets.sent.SYN)");
			return;
		}
		o = st->opts->pdata[0];
		e->kind = EXP_COUNTER;
		e->counter = g_strdup(o->key);
		if (o->val.kind != SCN_V_INT)
			FAIL(c, &o->val.loc, "expected an integer counter value, found '%s'", o->val.text);
		e->value = o->val.i;
		e->text = g_strdup_printf("%s = %" G_GINT64_FORMAT, o->key, o->val.i);
		{
			g_auto(GStrv) parts = g_strsplit(o->key, ".", -1);
			bool ok = false;

			if (g_strv_length(parts) == 3 && strcmp(parts[0], "packets") == 0)
				ok = (strcmp(parts[1], "sent") == 0 || strcmp(parts[1], "dropped") == 0 ||
				      strcmp(parts[1], "delivered") == 0) && pkt_kind_from_name(parts[2]) >= 0;
			else if (g_strv_length(parts) == 2 && find_host(c->plan, parts[0]) >= 0)
				for (int m = 0; m < MIB_MAX; m++)
					ok |= strcmp(mib_counter_names[m], parts[1]) == 0;
			ok = ok || scn_vsock_counter_known(c->plan, o->key);
			if (!ok)
				FAIL(c, &o->loc, "unknown counter '%s' (expected HOST.NAME with a MIB name such as TCPSynRetrans, or packets.sent|dropped|delivered.KIND)",
				     o->key);
		}
	} else if (strcmp(kind->text, "exit") == 0) {
		const struct scn_value *pv = word(c, st, 1, "a process and a signal name (or 'none')");
		const struct scn_value *sv = word(c, st, 2, "a signal name, or 'none' for not killed");

		if (!pv || !sv)
			return;
		e->kind = EXP_EXIT;
		e->proc = proc_word(c, pv);
		e->sig = strcmp(sv->text, "none") == 0 ? 0 : signal_from_name(sv->text);
		if (strcmp(sv->text, "none") != 0 && !e->sig)
			FAIL(c, &sv->loc, "unknown signal '%s'", sv->text);
		e->text = g_strdup_printf("exit %s %s", pv->text, sv->text);
	} else {
		FAIL(c, &kind->loc, "unknown expectation '%s' (expected states, sock-states, counter or exit)",
		     kind->text);
	}
}

/* ---- driver ---- */

static void check_settings(struct checker *c, const struct scn_stmt *st)
{
	const char *kw = st->keyword;

	if (strcmp(kw, "scenario") == 0) {
		const struct scn_value *v = word(c, st, 0, "a title in double quotes");

		if (v && v->kind != SCN_V_STRING)
			FAIL(c, &v->loc, "expected a title in double quotes, found '%s'", v->text);
		else if (v)
			c->plan->title = g_strdup(v->text);
	} else if (strcmp(kw, "profile") == 0) {
		const struct scn_value *v = word(c, st, 0, "a kernel profile name");

		if (v && !kernel_profile_find(v->text))
			FAIL(c, &v->loc, "unknown kernel profile '%s' (expected linux-6.18 or linux-5.0)", v->text);
		else if (v)
			c->plan->profile = kernel_profile_find(v->text);
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
		else if (value_time(c, &iv->val, &c->plan->sample_interval) && !c->plan->sample_interval)
			FAIL(c, &iv->val.loc, "the sample interval must be longer than 0");
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
static const char *const late_kw[] = { "thread", "sigaction", "lsm", "fault", "expect", NULL };

static bool kw_in(const char *kw, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(*set, kw) == 0)
			return true;
	return false;
}

static void check_pass(struct checker *c, int pass)
{
	for (guint i = 0; i < c->script->stmts->len && !c->failed; i++) {
		const struct scn_stmt *st = c->script->stmts->pdata[i];
		const char *kw = st->keyword;

		if (st->timed) {
			if (pass == 4)
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
			c->failed = !scn_vsock_check_device(st, c->plan, c->error);
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
		else if (pass == 4 && strcmp(kw, "expect") == 0)
			check_expect(c, st);
		else if (pass == 0 && !kw_in(kw, settings_kw) && !kw_in(kw, topo_kw) &&
			 !kw_in(kw, decl_kw) && !kw_in(kw, late_kw))
			FAIL(c, &st->kw_loc, "unknown directive '%s' (expected scenario, profile, seed, param, timers, sample, stop, host, link, route, sysctl, process, thread, sigaction, lsm, fault, virtio-vsock or expect; a syscall line starts with a time)",
			     kw);
	}
}

bool scn_set_is_sysctl(const char *kv)
{
	const char *eq = strchr(kv, '=');
	const char *dot = strchr(kv, '.');

	return dot && (!eq || dot < eq);
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
			g_autofree char *msg = NULL;
			int host;

			if (!resolve_sysctl(c->plan, key, &host, &msg)) {
				g_set_error(c->error, SCN_ERROR, SCN_ERROR_USAGE,
					    "<command line>: error: --set %s: %s", *sets, msg);
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
	g_ptr_array_free(p->params, TRUE);
	scn_vsock_plan_free(p);
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
	p->params = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < script->params->len; i++) {
		const struct scn_param *prm = script->params->pdata[i];

		g_ptr_array_add(p->params, g_strdup_printf("%s=%s", prm->name, prm->val.text));
	}
	c.assigned = g_ptr_array_new_with_free_func(g_free);
	for (int pass = 0; pass <= 4 && !c.failed; pass++) {
		check_pass(&c, pass);
		if (pass == 3 && !c.failed)
			apply_sets(&c, sets);
	}
	if (!c.failed && p->hosts->len == 0)
		FAIL(&c, &top, "a scenario needs at least one 'host'");
	g_ptr_array_free(c.assigned, TRUE);
	if (c.failed) {
		scn_plan_free(p);
		return NULL;
	}
	return p;
}
