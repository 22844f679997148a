/* SPDX-License-Identifier: MIT */
/* Not kernel code: hosts, links, socket registry and the LSM injection. */
#include "env/world.h"

#include <stdio.h>
#include <string.h>

#include "env/fault.h"
#include "env/tcp_stats.h"
#include "env/vsock.h"
#include "kernel/task.h"
#include "net/ipv4.h"
#include "net/tcp.h"
#include "sim/trace.h"

const char *const mib_counter_names[MIB_MAX] = {
#define MIB_NAME(n) #n,
	MIB_COUNTERS(MIB_NAME)
#undef MIB_NAME
};

static void free_array(gpointer arr)
{
	g_array_free(arr, TRUE);
}

struct world *world_new(struct sim *sim, const struct kernel_profile *profile)
{
	struct world *w = g_new0(struct world, 1);

	w->sim = sim;
	w->profile = profile;
	w->hosts = g_ptr_array_new();
	w->links = g_ptr_array_new_with_free_func(g_free);
	w->faults = g_ptr_array_new_with_free_func((GDestroyNotify)fault_rule_free);
	w->all_socks = g_ptr_array_new();
	w->owned = g_ptr_array_new_with_free_func(g_free);
	w->tcp_stats = g_ptr_array_new_with_free_func((GDestroyNotify)tcp_stats_sink_free);
	w->owned_arrays = g_ptr_array_new_with_free_func(free_array);
	return w;
}

static void host_free(struct host *h)
{
	g_ptr_array_free(h->tasks, TRUE);
	g_ptr_array_free(h->routes, TRUE);
	g_ptr_array_free(h->socks, TRUE);
	g_hash_table_destroy(h->ports);
	vsock_host_free(h->vsock);
	g_free(h->port_perturb);
	g_free(h->name);
	g_free(h);
}

void world_own(struct world *w, void *obj)
{
	g_ptr_array_add(w->owned, obj);
}

void world_own_array(struct world *w, GArray *arr)
{
	g_ptr_array_add(w->owned_arrays, arr);
}

void world_free(struct world *w)
{
	if (!w)
		return;
	vsock_world_free(w->vsock);
	for (guint i = 0; i < w->hosts->len; i++) {
		struct host *h = g_ptr_array_index(w->hosts, i);

		for (guint j = 0; j < h->tasks->len; j++)
			task_free(g_ptr_array_index(h->tasks, j));
	}
	/*
	 * Sockets, sockets' struct socket and request socks live until the
	 * world ends: the results refer to them, and freeing them here (after
	 * sim_free) means no timer can still point at them.
	 */
	for (guint i = 0; i < w->all_socks->len; i++) {
		struct sock *sk = g_ptr_array_index(w->all_socks, i);

		/* A run stopped by a limit leaves data queued: the skbs are not owned. */
		if (sk->sk_prot == &tcp_prot)
			tcp_write_queue_purge(sk);
	}
	g_ptr_array_free(w->owned, TRUE);
	g_ptr_array_free(w->owned_arrays, TRUE);
	g_ptr_array_free(w->tcp_stats, TRUE);
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
	g_autofree char *isn = g_strdup_printf("isn:%s", name);
	g_autofree char *port = g_strdup_printf("port:%s", name);

	h->world = w;
	h->name = g_strdup(name);
	h->addr = addr;
	net_init_defaults(&h->net, w->profile);
	h->routes = g_ptr_array_new_with_free_func(g_free);
	h->socks = g_ptr_array_new();
	h->ports = g_hash_table_new(g_direct_hash, g_direct_equal);
	h->tasks = g_ptr_array_new();
	sim_rng_stream(w->sim, &h->isn_rng, isn);
	sim_rng_stream(w->sim, &h->port_rng, port);
	h->port_hint = (uint32_t)sim_rng_below(&h->port_rng, 65536);
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

void world_sock_register(struct world *w, struct sock *sk)
{
	sk->id = ++w->next_sock_id;
	g_ptr_array_add(w->all_socks, sk);
	if (w->obs.sock_new)
		w->obs.sock_new(w->obs.opaque, sk);
}

void sock_label(const struct sock *sk, char *buf, size_t len)
{
	g_snprintf(buf, len, "sk#%u", sk->id);
}

char *ip4_to_string(uint32_t a)
{
	return g_strdup_printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

void world_sock_changed(struct world *w, struct sock *sk)
{
	if (w->obs.sock_state)
		w->obs.sock_state(w->obs.opaque, sk);
}

int world_lsm_check(struct world *w, struct task *t, const char *call)
{
	for (unsigned i = 0; i < w->n_lsm; i++) {
		struct lsm_rule *r = &w->lsm[i];

		if (strcmp(r->call, call) == 0 && (!r->task || r->task == t))
			return -r->err;
	}
	return 0;
}
