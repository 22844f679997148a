/* SPDX-License-Identifier: MIT */
/* Not kernel code: hosts, links, socket registry and the LSM injection. */
#include "env/world.h"

#include <stdio.h>
#include <string.h>

#include "env/fault.h"
#include "env/vsock.h"
#include "kernel/task.h"
#include "net/ipv4.h"
#include "net/ipv6.h"
#include "net/tcp.h"
#include "sim/trace.h"

static struct net *world_neigh_lookup(struct net *net, uint32_t daddr);
static struct net *world_neigh_lookup6(struct net *net, const struct in6_addr_sim *daddr);
static int world_lsm_check(struct net *net, struct task *t, const char *call);
static void world_sock_new(void *ctx, struct sock *sk);
static void world_sock_free(void *ctx, struct sock *sk);

/* How the kernel reaches the world: every host's device and neighbours. */
static const struct net_env_ops world_env_ops = {
	.xmit = wire_xmit,
	.neigh_lookup = world_neigh_lookup,
	.neigh_lookup6 = world_neigh_lookup6,
	.lsm_check = world_lsm_check,
};

struct world *world_new(struct sim *sim, const struct kernel_profile *profile)
{
	struct world *w = g_new0(struct world, 1);

	w->sim = sim;
	w->profile = profile;
	w->hosts = g_ptr_array_new();
	w->links = g_ptr_array_new_with_free_func(g_free);
	w->faults = g_ptr_array_new_with_free_func((GDestroyNotify)fault_rule_free);
	w->all_socks = g_ptr_array_new();
	kernel_shared_init(&w->ks, sim, profile, &world_env_ops);
	w->sub = (struct trace_subscriber){
		.ctx = w, .sock_new = world_sock_new, .sock_free = world_sock_free,
	};
	trace_subscribe(&w->ks, &w->sub);
	wire_init(w);
	return w;
}

static void host_free(struct host *h)
{
	net_free(&h->net);
	g_free(h->name);
	g_free(h);
}

void world_free(struct world *w)
{
	if (!w)
		return;
	vsock_world_free(w->vsock);
	for (guint i = 0; i < w->hosts->len; i++) {
		struct host *h = g_ptr_array_index(w->hosts, i);

		for (guint j = 0; j < h->net.tasks->len; j++)
			task_free(g_ptr_array_index(h->net.tasks, j));
	}
	/*
	 * Sockets, sockets' struct socket and request socks live until the
	 * world ends: the results refer to them, and freeing them here (after
	 * sim_free) means no timer can still point at them.
	 */
	for (guint i = 0; i < w->all_socks->len; i++) {
		struct sock *sk = g_ptr_array_index(w->all_socks, i);

		/* A run stopped by a limit leaves data queued: the skbs are not owned. */
		if (sk && (sk->sk_prot == &tcp_prot || sk->sk_prot == &tcpv6_prot))
			tcp_write_queue_purge(sk);
	}
	kernel_shared_free(&w->ks);
	g_ptr_array_free(w->all_socks, TRUE);
	for (guint i = 0; i < w->hosts->len; i++)
		host_free(g_ptr_array_index(w->hosts, i));
	g_ptr_array_free(w->hosts, TRUE);
	g_ptr_array_free(w->links, TRUE);
	g_ptr_array_free(w->faults, TRUE);
	for (unsigned i = 0; i < w->n_lsm; i++)
		g_free(w->lsm[i].call);
	g_free(w->lsm);
	g_free(w);
}

struct host *world_add_host(struct world *w, const char *name, uint32_t addr)
{
	struct host *h = g_new0(struct host, 1);

	h->world = w;
	h->name = g_strdup(name);
	h->addr = addr;
	net_init(&h->net, &w->ks, h->name, addr);
	g_ptr_array_add(w->hosts, h);
	return h;
}

struct host *world_find_host(struct world *w, const char *name)
{
	for (guint i = 0; i < w->hosts->len; i++) {
		struct host *h = g_ptr_array_index(w->hosts, i);

		if (strcmp(h->name, name) == 0)
			return h;
	}
	return NULL;
}

struct host *world_host_by_addr(struct world *w, uint32_t addr)
{
	for (guint i = 0; i < w->hosts->len; i++) {
		struct host *h = g_ptr_array_index(w->hosts, i);

		if (h->addr == addr)
			return h;
	}
	return NULL;
}

struct link *world_add_link(struct world *w, struct host *a, struct host *b,
			    sim_time_t delay, sim_time_t jitter, uint64_t rate_bps)
{
	struct link *l = g_new0(struct link, 1);
	g_autofree char *name = g_strdup_printf("link:%s-%s", a->name, b->name);

	l->a = a;
	l->b = b;
	l->delay = delay;
	l->jitter = jitter;
	l->rate_bps = rate_bps;
	sim_rng_stream(w->sim, &l->rng, name);
	g_ptr_array_add(w->links, l);
	return l;
}

struct link *world_find_link(struct world *w, const struct host *a, const struct host *b)
{
	for (guint i = 0; i < w->links->len; i++) {
		struct link *l = g_ptr_array_index(w->links, i);

		if ((l->a == a && l->b == b) || (l->a == b && l->b == a))
			return l;
	}
	return NULL;
}

static struct net *world_neigh_lookup(struct net *net, uint32_t daddr)
{
	struct host *h = host_of(net);
	struct host *dst = world_host_by_addr(h->world, daddr);

	return dst && world_find_link(h->world, h, dst) ? &dst->net : NULL;
}

static struct net *world_neigh_lookup6(struct net *net, const struct in6_addr_sim *daddr)
{
	struct host *h = host_of(net);

	for (guint i = 0; i < h->world->hosts->len; i++) {
		struct host *dst = g_ptr_array_index(h->world->hosts, i);

		if (dst != h && dst->net.has_addr6 && ipv6_addr_equal(&dst->net.addr6, daddr))
			return world_find_link(h->world, h, dst) ? &dst->net : NULL;
	}
	return NULL;
}

static void world_sock_new(void *ctx, struct sock *sk)
{
	struct world *w = ctx;

	g_assert(sk->id == w->all_socks->len + 1);
	g_ptr_array_add(w->all_socks, sk);
	if (sk->sk_family == AF_VSOCK)
		g_ptr_array_add(vsock_world_get(w)->socks, sk);
}

/* A freed socket leaves its slot empty (ids stay indexes). */
static void world_sock_free(void *ctx, struct sock *sk)
{
	struct world *w = ctx;

	w->all_socks->pdata[sk->id - 1] = NULL;
}

char *ip4_to_string(uint32_t a)
{
	return g_strdup_printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static int world_lsm_check(struct net *net, struct task *t, const char *call)
{
	struct world *w = host_of(net)->world;

	for (unsigned i = 0; i < w->n_lsm; i++) {
		struct lsm_rule *r = &w->lsm[i];

		if (strcmp(r->call, call) == 0 && (!r->task || r->task == t))
			return -r->err;
	}
	return 0;
}

void world_set_qdisc(struct host *h, const struct qdisc *q)
{
	h->qdisc = *q;
	sim_trace(h->world->sim, h->name, NULL, "qdisc", NULL, "root=%s limit=%u",
		  qdisc_kind_name(q->kind), q->limit);
}
