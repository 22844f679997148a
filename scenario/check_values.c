/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks, shared helpers: constants, typed values, names of hosts
 * and processes, and the words and options a statement may carry.
 */
#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "uapi/linux/eventpoll.h"
#include "names.h"
#include "suggest.h"
#include "vsock.h"

static const struct { const char *name; int64_t val; } constants[] = {
	{ "AF_UNSPEC", AF_UNSPEC }, { "AF_INET", AF_INET }, { "AF_INET6", AF_INET6 },
	{ "AF_VSOCK", AF_VSOCK }, { "SOCK_STREAM", SOCK_STREAM }, { "SOCK_DGRAM", SOCK_DGRAM },
	{ "IPPROTO_IP", IPPROTO_IP }, { "SOL_IP", SOL_IP }, { "IP_TOS", IP_TOS },
	{ "IP_MTU_DISCOVER", IP_MTU_DISCOVER }, { "IP_PMTUDISC_DONT", IP_PMTUDISC_DONT },
	{ "IP_PMTUDISC_WANT", IP_PMTUDISC_WANT }, { "IP_PMTUDISC_DO", IP_PMTUDISC_DO },
	{ "IP_PMTUDISC_PROBE", IP_PMTUDISC_PROBE }, { "IPPROTO_TCP", IPPROTO_TCP }, { "SOL_TCP", SOL_TCP },
	{ "IPPROTO_IPV6", IPPROTO_IPV6 }, { "SOL_IPV6", IPPROTO_IPV6 }, { "IPV6_V6ONLY", IPV6_V6ONLY },
	{ "SOL_SOCKET", SOL_SOCKET }, { "SO_ERROR", SO_ERROR }, { "SO_REUSEADDR", SO_REUSEADDR }, { "SO_SNDBUF", SO_SNDBUF },
	{ "SO_LINGER", SO_LINGER },
	{ "SO_RCVBUF", SO_RCVBUF }, { "SO_SNDTIMEO", SO_SNDTIMEO }, { "SO_RCVTIMEO", SO_RCVTIMEO },
	{ "TCP_NODELAY", TCP_NODELAY }, { "TCP_MAXSEG", TCP_MAXSEG }, { "TCP_SYNCNT", TCP_SYNCNT },
	{ "TCP_CORK", TCP_CORK }, { "TCP_INFO", TCP_INFO }, { "TCP_CONGESTION", TCP_CONGESTION },
	{ "MSG_MORE", MSG_MORE },
	{ "TCP_USER_TIMEOUT", TCP_USER_TIMEOUT }, { "TCP_NOTSENT_LOWAT", TCP_NOTSENT_LOWAT }, { "TCP_INQ", TCP_INQ },
	{ "TCP_CM_INQ", TCP_CM_INQ }, { "TCP_RTO_MAX_MS", TCP_RTO_MAX_MS },
	{ "F_GETFL", F_GETFL }, { "F_SETFL", F_SETFL }, { "O_NONBLOCK", O_NONBLOCK },
	{ "MSG_DONTWAIT", MSG_DONTWAIT }, { "MSG_NOSIGNAL", MSG_NOSIGNAL },
	{ "SHUT_RD", SHUT_RD }, { "SHUT_WR", SHUT_WR }, { "SHUT_RDWR", SHUT_RDWR },
	{ "POLLIN", POLLIN }, { "POLLPRI", POLLPRI }, { "POLLOUT", POLLOUT }, { "POLLERR", POLLERR },
	{ "POLLHUP", POLLHUP }, { "POLLNVAL", 0x020 }, { "POLLRDNORM", POLLRDNORM },
	{ "POLLWRNORM", POLLWRNORM }, { "POLLRDHUP", POLLRDHUP },
	{ "SOCK_NONBLOCK", SOCK_NONBLOCK }, { "SOCK_CLOEXEC", SOCK_CLOEXEC }, { "MSG_EOR", MSG_EOR },
	{ "FIONREAD", SIM_SIOCINQ }, { "SIOCINQ", SIM_SIOCINQ }, { "SIOCOUTQ", SIM_SIOCOUTQ },
	{ "SIOCOUTQNSQ", SIM_SIOCOUTQNSQ },
	{ "EPOLL_CLOEXEC", EPOLL_CLOEXEC }, { "EPOLL_CTL_ADD", EPOLL_CTL_ADD },
	{ "EPOLL_CTL_DEL", EPOLL_CTL_DEL }, { "EPOLL_CTL_MOD", EPOLL_CTL_MOD },
	{ "EPOLLIN", EPOLLIN }, { "EPOLLPRI", EPOLLPRI }, { "EPOLLOUT", EPOLLOUT },
	{ "EPOLLERR", EPOLLERR }, { "EPOLLHUP", EPOLLHUP }, { "EPOLLNVAL", EPOLLNVAL },
	{ "EPOLLRDNORM", EPOLLRDNORM }, { "EPOLLRDBAND", EPOLLRDBAND },
	{ "EPOLLWRNORM", EPOLLWRNORM }, { "EPOLLWRBAND", EPOLLWRBAND }, { "EPOLLMSG", EPOLLMSG },
	{ "EPOLLRDHUP", EPOLLRDHUP }, { "EPOLLEXCLUSIVE", EPOLLEXCLUSIVE },
	{ "EPOLLWAKEUP", EPOLLWAKEUP }, { "EPOLLONESHOT", EPOLLONESHOT }, { "EPOLLET", EPOLLET },
};

bool constant_value(const char *name, int64_t *val)
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

/* The did-you-mean of an unknown constant: the table above and the errno names. */
static char *constant_hint(const char *name)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	const char *e;
	int val;

	for (size_t i = 0; i < G_N_ELEMENTS(constants); i++)
		g_ptr_array_add(names, (char *)constants[i].name);
	for (guint i = 0; (e = sim_errno_at(i, &val)); i++)
		g_ptr_array_add(names, (char *)e);
	return scn_did_you_mean(name, (const char *const *)names->pdata, names->len);
}

/* An integer: a literal, a constant, or constants joined with '|'. */
bool value_int(struct checker *c, const struct scn_value *v, int64_t *out)
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
				g_autofree char *hint = constant_hint(*p);

				FAIL(c, &v->loc, "unknown constant '%s'%s, expected an integer or a "
				     "name such as SOCK_STREAM, O_NONBLOCK, POLLOUT or ECONNREFUSED", *p, hint);
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

bool value_time(struct checker *c, const struct scn_value *v, sim_time_t *out)
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

bool value_ppb(struct checker *c, const struct scn_value *v, uint64_t *out)
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

int find_host(const struct scn_plan *p, const char *name)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(p->host_index, name)) - 1;
}

int find_proc(const struct scn_plan *p, const char *name)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(p->proc_index, name)) - 1;
}

int find_host_addr(const struct scn_plan *p, uint32_t addr)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(p->host_addrs, GUINT_TO_POINTER(addr))) - 1;
}

bool check_count_limit(struct checker *c, const struct scn_loc *loc, enum scn_limit l, guint have,
		       const char *what)
{
	g_autofree char *msg = NULL;

	if (have < c->plan->limits.v[l])
		return true;
	msg = scn_limit_exceeded(&c->plan->limits, l, what);
	FAIL(c, loc, "%s", msg);
	return false;
}

bool check_program_var_limit(struct checker *c, const struct scn_loc *loc)
{
	g_autofree char *what = NULL;

	if (c->prog->vars->len < c->plan->limits.v[SCN_LIMIT_VARIABLES])
		return true;
	what = g_strdup_printf("the number of variables of program '%s'", c->prog->name);
	return check_count_limit(c, loc, SCN_LIMIT_VARIABLES, c->prog->vars->len, what);
}

void plan_add_host(struct scn_plan *p, struct plan_host *h)
{
	g_ptr_array_add(p->hosts, h);
	g_hash_table_insert(p->host_index, h->name, GINT_TO_POINTER((int)p->hosts->len));
	g_hash_table_insert(p->host_addrs, GUINT_TO_POINTER(h->addr), GINT_TO_POINTER((int)p->hosts->len));
}

void plan_add_proc(struct scn_plan *p, struct plan_proc *pr)
{
	g_ptr_array_add(p->procs, pr);
	g_hash_table_insert(p->proc_index, pr->name, GINT_TO_POINTER((int)p->procs->len));
}

char *name_list(GPtrArray *arr, size_t name_off)
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

int host_word(struct checker *c, const struct scn_value *v)
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

int proc_word(struct checker *c, const struct scn_value *v)
{
	int p;

	if (v->kind != SCN_V_IDENT) {
		FAIL(c, &v->loc, "expected a process name, found %s '%s'", scn_value_kind_name(v->kind), v->text);
		return -1;
	}
	p = find_proc(c->plan, v->text);
	if (p < 0 && find_program(c->plan, v->text) >= 0) {
		FAIL(c, &v->loc, "'%s' is a program template (start lines start its instances, %s.0, %s.1, ...): name a process",
		     v->text, v->text, v->text);
		return -1;
	}
	if (p < 0) {
		g_autofree char *known = name_list(c->plan->procs, offsetof(struct plan_proc, name));

		FAIL(c, &v->loc, "unknown process '%s' (declared: %s)", v->text, known);
	}
	return p;
}

const struct scn_value *word(struct checker *c, const struct scn_stmt *st, guint i,
				    const char *what)
{
	if (i < st->words->len)
		return st->words->pdata[i];
	FAIL(c, &st->kw_loc, "'%s' needs %s", st->keyword, what);
	return NULL;
}

void no_extra_words(struct checker *c, const struct scn_stmt *st, guint n)
{
	if (st->words->len > n) {
		const struct scn_value *v = st->words->pdata[n];

		FAIL(c, &v->loc, "unexpected '%s' after the arguments of '%s'", v->text, st->keyword);
	}
}

void no_opts(struct checker *c, const struct scn_stmt *st, const char *const *allowed)
{
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		bool ok = false;

		for (const char *const *a = allowed; a && *a; a++)
			ok |= strcmp(*a, o->key) == 0;
		if (!ok) {
			g_autofree char *list = allowed ? g_strjoinv(", ", (char **)allowed) : g_strdup("none");
			g_autofree char *hint = allowed ? scn_did_you_mean(o->key, allowed, -1) : g_strdup("");

			FAIL(c, &o->loc, "unknown option '%s'%s for '%s' (expected: %s)", o->key, hint,
			     st->keyword, list);
		}
	}
}

/* ---- directives ---- */
