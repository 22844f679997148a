/* SPDX-License-Identifier: MIT */
/*
 * `fault KIND key=value...`: one check for every fault kind, wire and vsock.
 * Which keys a kind takes and which it needs come from its row of the
 * fault-kind table (env/include/env/fault_kinds.h); how each key's value is
 * read is one row of fault_keys below, shared by every kind that takes it.
 */
#include <string.h>

#include "check_private.h"
#include "env/fault_kinds.h"
#include "names.h"
#include "vsock.h"

static void key_ppb(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	value_ppb(c, v, (uint64_t *)(void *)((char *)&f->p + off));
}

static void key_time(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	value_time(c, v, (sim_time_t *)(void *)((char *)&f->p + off));
}

static void key_positive(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	if (v->kind != SCN_V_INT || v->i < 1)
		FAIL(c, &v->loc, "%s expects a positive integer, found '%s'", o->key, v->text);
	else
		*(uint64_t *)(void *)((char *)&f->p + off) = (uint64_t)v->i;
}

static void key_host(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	*(int *)(void *)((char *)f + off) = host_word(c, v);
}

static void key_during(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	(void)off;
	if (v->kind != SCN_V_RANGE || !v->time_range || v->t_hi <= v->t)
		FAIL(c, &v->loc, "during expects a time range T1..T2 with T1 < T2, found '%s'", v->text);
	f->p.has_during = true;
	f->p.t_lo = v->t;
	f->p.t_hi = v->t_hi;
}

/* kind=SYN|ACK|...: the packet kinds a wire rule matches. */
static void key_pkt_kinds(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	g_auto(GStrv) parts = g_strsplit(v->text, "|", -1);

	(void)off;
	for (char **p = parts; *p; p++) {
		int k = pkt_kind_from_name(*p);

		if (k < 0) {
			FAIL(c, &v->loc, "unknown packet kind '%s' (expected SYN, SYNACK, ACK, RST, DATA, FIN or ICMP)", *p);
			return;
		}
		f->p.kind_mask |= 1u << k;
	}
}

/* op=RW|CREDIT_UPDATE|...: the vsock ops a vsock rule matches. */
static void key_vsock_ops(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	(void)off;
	check_ok(c, scn_vsock_op_mask(v, &f->p.kind_mask, c->error));
}

static void key_vsock_dev(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	(void)off;
	check_ok(c, (f->dev = scn_vsock_guest_device(c->plan, v, c->error)) >= 0);
}

static void key_action(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	(void)off;
	if (strcmp(v->text, "blackhole") == 0)
		f->p.blackhole = true;
	else if (strcmp(v->text, "drop") != 0)
		FAIL(c, &v->loc, "action expects drop or blackhole, found '%s'", v->text);
}

static void key_icmp_type(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off)
{
	const struct scn_value *v = &o->val;

	(void)off;
	if (!icmp_type_from_name(v->text, &f->p))
		FAIL(c, &v->loc, "unknown ICMP type '%s' (expected e.g. host-unreachable, net-unreachable, port-unreachable)", v->text);
}

#define PARAM(field) offsetof(struct fault_params, field)
#define PLAN(field) offsetof(struct plan_fault, field)

static const struct {
	const char *key;
	void (*read)(struct checker *c, const struct scn_opt *o, struct plan_fault *f, size_t off);
	size_t off;
	const char *usage;	/* in "fault K needs USAGE" */
} fault_keys[] = {
	{ "p", key_ppb, PARAM(p_ppb), "p=PROBABILITY" },
	{ "r", key_ppb, PARAM(r_ppb), NULL },
	{ "h", key_ppb, PARAM(h_ppb), NULL },
	{ "k", key_ppb, PARAM(k_ppb), NULL },
	{ "nth", key_positive, PARAM(nth), NULL },
	{ "count", key_positive, PARAM(count), NULL },
	{ "extra", key_time, PARAM(extra), "extra=TIME" },
	{ "at", key_time, PARAM(at), "at=TIME" },
	{ "during", key_during, 0, "during=T1..T2" },
	{ "from", key_host, PLAN(from), NULL },
	{ "to", key_host, PLAN(to), NULL },
	{ "router", key_host, PLAN(router), NULL },
	{ "kind", key_pkt_kinds, 0, NULL },
	{ "op", key_vsock_ops, 0, NULL },
	{ "dev", key_vsock_dev, 0, NULL },
	{ "action", key_action, 0, NULL },
	{ "type", key_icmp_type, 0, "type=NAME (e.g. host-unreachable)" },
};

/* The kinds of domain @d by name, comma-separated, @last_sep before the last. */
static char *kind_list(enum fault_domain d, const char *last_sep)
{
	GString *s = g_string_new(NULL);
	const struct fault_kind_ops *k, *last = NULL;

	for (guint i = 0; (k = fault_kind_at(i)); i++)
		if (k->domain == d)
			last = k;
	for (guint i = 0; (k = fault_kind_at(i)); i++) {
		if (k->domain != d)
			continue;
		if (s->len)
			g_string_append(s, k == last ? last_sep : ", ");
		g_string_append(s, k->name);
	}
	return g_string_free(s, FALSE);
}

static void unknown_kind(struct checker *c, const struct scn_value *kv)
{
	bool vsock = g_str_has_prefix(kv->text, "vsock-");
	g_autofree char *hint = scn_names_hint(SCN_NAMES_FAULTS, kv->text);
	g_autofree char *list = vsock ? kind_list(FAULT_ON_VSOCK, ", ") : kind_list(FAULT_ON_WIRE, " or ");

	FAIL(c, &kv->loc, vsock ? "unknown fault kind '%s'%s (vsock faults: %s)"
			       : "unknown fault kind '%s'%s (expected %s)", kv->text, hint, list);
}

static size_t key_index(const char *key)
{
	for (size_t k = 0; k < G_N_ELEMENTS(fault_keys); k++)
		if (strcmp(fault_keys[k].key, key) == 0)
			return k;
	g_error("fault key '%s' has no row in fault_keys", key);
}

static void read_option(struct checker *c, const struct scn_opt *o, struct plan_fault *f)
{
	size_t k;

	if (!fault_keys_have(f->ops->keys, o->key)) {
		g_autofree char *hint = scn_fault_option_hint(f->ops->name, o->key);

		FAIL(c, &o->loc, "unknown option '%s'%s for fault %s", o->key, hint, f->ops->name);
		return;
	}
	k = key_index(o->key);
	fault_keys[k].read(c, o, f, fault_keys[k].off);
}

/* Every option in the row's "needs" given; nth and count not both. */
static void check_needs(struct checker *c, const struct scn_stmt *st, const struct scn_value *kv,
			const struct plan_fault *f)
{
	g_auto(GStrv) needs = g_strsplit(f->ops->needs, " ", -1);

	for (char **n = needs; *n; n++)
		if (**n && !scn_stmt_opt(st, *n))
			FAIL(c, &kv->loc, "fault %s needs %s", f->ops->name, fault_keys[key_index(*n)].usage);
	if (f->ops->nth_or_count && f->p.nth && f->p.count)
		FAIL(c, &kv->loc, "fault %s takes nth= or count=, not both", f->ops->name);
}

void check_fault(struct checker *c, const struct scn_stmt *st)
{
	g_autofree char *wire = kind_list(FAULT_ON_WIRE, ", ");
	g_autofree char *what = g_strdup_printf("a fault kind (%s)", wire);
	const struct scn_value *kv = word(c, st, 0, what);
	const struct fault_kind_ops *ops;
	struct plan_fault *f;

	if (!kv)
		return;
	if (!(ops = fault_kind_find(kv->text))) {
		unknown_kind(c, kv);
		return;
	}
	if (ops->domain == FAULT_ON_VSOCK && !scn_vsock_has_devices(c->plan)) {
		FAIL(c, &kv->loc, "fault %s needs a virtio-vsock device", ops->name);
		return;
	}
	no_extra_words(c, st, 1);
	f = g_new0(struct plan_fault, 1);
	f->ops = ops;
	f->p.h_ppb = 1000000000u;
	f->from = f->to = f->router = f->dev = -1;
	f->label = g_strdup_printf("fault@%u:%s", st->loc.line, ops->name);
	g_ptr_array_add(c->plan->faults, f);
	for (guint i = 0; i < st->opts->len; i++)
		read_option(c, st->opts->pdata[i], f);
	if (!c->failed)
		check_needs(c, st, kv, f);
}
