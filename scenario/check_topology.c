/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks of the world: hosts, links, routes, sysctls (file and
 * --set) and fault rules.
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

/* A host's IPv6 address: global unicast, and no other host's. */
static bool check_host_addr6(struct checker *c, const struct scn_value *a)
{
	struct in6_addr_sim in6;

	memcpy(in6.s6_addr, a->ip6, 16);
	if (ipv6_addr_type(&in6) != IPV6_ADDR_UNICAST) {
		FAIL(c, &a->loc, "a host's IPv6 address must be global unicast (not ::, ::1, v4-mapped, link-local or multicast), found '%s'",
		     a->text);
		return false;
	}
	for (guint i = 0; i < c->plan->hosts->len; i++) {
		const struct plan_host *h = c->plan->hosts->pdata[i];

		if (h->has_addr6 && memcmp(h->addr6, a->ip6, 16) == 0) {
			FAIL(c, &a->loc, "address %s is already used by host '%s'", a->text, h->name);
			return false;
		}
	}
	return true;
}

void check_host(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *name = word(c, st, 0, "a name and an IPv4 address");
	const struct scn_value *addr = word(c, st, 1, "an IPv4 address after the name");
	const struct scn_value *addr6 = NULL;
	struct plan_host *h;
	unsigned nw = 3;
	bool scripted = false;

	if (!name || !addr)
		return;
	if (name->kind != SCN_V_IDENT)
		FAIL(c, &name->loc, "expected a host name, found '%s'", name->text);
	else if (find_host(c->plan, name->text) >= 0)
		FAIL(c, &name->loc, "host '%s' is declared twice", name->text);
	if (addr->kind != SCN_V_ADDR || addr->has_port || addr->v6)
		FAIL(c, &addr->loc, "expected an IPv4 address such as 10.0.0.1, found '%s'", addr->text);
	if (st->words->len > 2) {
		const struct scn_value *w = st->words->pdata[2];

		if (w->kind == SCN_V_ADDR && w->v6 && !w->has_port) {
			addr6 = w;
			nw = 4;
			w = st->words->len > 3 ? st->words->pdata[3] : NULL;
		}
		if (w && strcmp(w->text, "scripted") != 0)
			FAIL(c, &w->loc, "expected an IPv6 address, 'scripted' or the end of the line after the address, found '%s'",
			     w->text);
		scripted = w != NULL;
	}
	no_extra_words(c, st, nw);
	no_opts(c, st, NULL);
	if (c->failed)
		return;
	if (find_host_addr(c->plan, addr->ip) >= 0) {
		FAIL(c, &addr->loc, "address %s is already used by host '%s'", addr->text,
		     ((struct plan_host *)c->plan->hosts->pdata[find_host_addr(c->plan, addr->ip)])->name);
		return;
	}
	if (addr6 && !check_host_addr6(c, addr6))
		return;
	if (!check_count_limit(c, &name->loc, SCN_LIMIT_HOSTS, c->plan->hosts->len, "the number of hosts"))
		return;
	h = g_new0(struct plan_host, 1);
	h->name = g_strdup(name->text);
	h->addr = addr->ip;
	h->scripted = scripted;
	if (addr6) {
		h->has_addr6 = true;
		memcpy(h->addr6, addr6->ip6, 16);
	}
	plan_add_host(c->plan, h);
}

void check_link(struct checker *c, const struct scn_stmt *st)
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

void check_route(struct checker *c, const struct scn_stmt *st)
{
	const struct scn_value *h = word(c, st, 0, "a host, a prefix and a route type");
	const struct scn_value *pfx = word(c, st, 1, "a prefix such as 10.9.0.0/16");
	const struct scn_value *type = word(c, st, 2, "a route type (unreachable, prohibit, blackhole)");
	struct plan_route *r;
	int hi, t;

	if (!h || !pfx || !type)
		return;
	hi = host_word(c, h);
	if (pfx->v6)
		FAIL(c, &pfx->loc, "IPv6 routes are not modelled: expected an IPv4 prefix such as 10.9.0.0/16, found '%s'",
		     pfx->text);
	else if (pfx->kind != SCN_V_PREFIX && !(pfx->kind == SCN_V_ADDR && !pfx->has_port))
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

/* "[host:]name" -> host index (-1 all) and descriptor; NULL on error (SCN_ERROR_SEMANTIC, the
 * message without a location: the caller knows whether the key came from a line or from --set). */
const struct sysctl_desc *resolve_sysctl(const struct scn_plan *p, const char *key,
						int *host, GError **error)
{
	const char *colon = strchr(key, ':');
	const struct sysctl_desc *d;
	const char *name = key;

	*host = -1;
	if (colon) {
		g_autofree char *hn = g_strndup(key, (gsize)(colon - key));

		*host = find_host(p, hn);
		if (*host < 0) {
			g_set_error(error, SCN_ERROR, SCN_ERROR_SEMANTIC, "unknown host '%s' in '%s'",
				    hn, key);
			return NULL;
		}
		name = colon + 1;
	}
	d = sysctl_find(name);
	if (!d) {
		g_autofree char *hint = scn_names_hint(SCN_NAMES_SYSCTLS, name);

		g_set_error(error, SCN_ERROR, SCN_ERROR_SEMANTIC,
			    "unknown sysctl '%s'%s (see `socksim list-sysctls`)", name, hint);
		return NULL;
	}
	if (!sysctl_in_profile(d, p->profile)) {
		g_set_error(error, SCN_ERROR, SCN_ERROR_SEMANTIC, "sysctl '%s' does not exist in profile %s",
			    d->name, p->profile->name);
		return NULL;
	}
	return d;
}

void add_sysctl(struct checker *c, const char *key, char *value, const struct scn_loc *loc)
{
	struct plan_sysctl *s;
	struct net scratch;
	g_autoptr(GError) err = NULL;
	int host;
	const struct sysctl_desc *d = resolve_sysctl(c->plan, key, &host, &err);

	if (!d) {
		FAIL(c, loc, "%s", err->message);
		g_free(value);
		return;
	}
	net_init_defaults(&scratch, c->plan->profile);
	if (sysctl_write(&scratch, d, value, &err)) {
		FAIL(c, loc, "%s", err->message);
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

void check_sysctl(struct checker *c, const struct scn_stmt *st)
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


/* ---- timed lines: syscalls and signals ---- */

/*
 * `[TIME] qdisc HOST KIND [limit=N]`: KIND `pfifo` (limit= packets, needed)
 * or `none` (no root qdisc, as after `tc qdisc delete dev DEV root`).
 */
void check_qdisc(struct checker *c, const struct scn_stmt *st)
{
	static const char *const pfifo_opts[] = { "limit", NULL };
	static const char *const no_opts_at_all[] = { NULL };
	const struct scn_value *hv = word(c, st, 0, "a host and a qdisc kind (pfifo or none)");
	const struct scn_value *kv = word(c, st, 1, "a qdisc kind (pfifo or none)");
	const struct scn_opt *limit = NULL;
	struct plan_qdisc *pq;
	int h;

	if (!hv || !kv)
		return;
	h = host_word(c, hv);
	no_extra_words(c, st, 2);
	if (c->failed)
		return;
	if (st->timed && st->time.relative) {
		FAIL(c, &st->time.loc, "qdisc lines take an absolute time, found '%s'", st->time.text);
		return;
	}
	pq = g_new0(struct plan_qdisc, 1);
	pq->line = (int)st->loc.line;
	pq->timed = st->timed;
	pq->time = st->timed ? st->time.t : 0;
	pq->host = h;
	if (strcmp(kv->text, "pfifo") == 0) {
		pq->q.kind = QDISC_PFIFO;
		no_opts(c, st, pfifo_opts);
	} else if (strcmp(kv->text, "none") == 0) {
		pq->q.kind = QDISC_NONE;
		no_opts(c, st, no_opts_at_all);
	} else {
		FAIL(c, &kv->loc, "unknown qdisc '%s' (expected pfifo or none)", kv->text);
	}
	for (guint i = 0; i < st->opts->len && !c->failed; i++) {
		const struct scn_opt *o = st->opts->pdata[i];

		limit = o;
		if (o->val.kind != SCN_V_INT || o->val.i < 0 || o->val.i > UINT32_MAX)
			FAIL(c, &o->val.loc, "limit expects a number of packets (0 or more), found '%s'",
			     o->val.text);
		else
			pq->q.limit = (uint32_t)o->val.i;
	}
	if (!c->failed && pq->q.kind == QDISC_PFIFO && !limit)
		FAIL(c, &kv->loc, "pfifo needs limit=N (packets; socksim's device never queues, so only 0 drops)");
	if (c->failed) {
		g_free(pq);
		return;
	}
	g_ptr_array_add(c->plan->qdiscs, pq);
}
