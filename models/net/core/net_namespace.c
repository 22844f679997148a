/* SPDX-License-Identifier: MIT */
/*
 * net/core/net_namespace.c: setting up and tearing down a namespace
 * (setup_net / net_free in the kernel), plus what socksim keeps per
 * simulation instead of in globals (struct kernel_shared) and the observer
 * seam's subscriber list (trace/events.h).
 */
#include "net/net_namespace.h"

#include "net/af_vsock.h"
#include "net/vsock_device.h"
#include "trace/events.h"

static void free_array(gpointer arr)
{
	g_array_free(arr, TRUE);
}

void kernel_shared_init(struct kernel_shared *ks, struct sim *sim,
			const struct kernel_profile *profile, const struct net_env_ops *ops)
{
	*ks = (struct kernel_shared){ .sim = sim, .profile = profile, .ops = ops };
	ks->owned = g_ptr_array_new_with_free_func(g_free);
	ks->owned_arrays = g_ptr_array_new_with_free_func(free_array);
	ks->subscribers = g_ptr_array_new();
}

void kernel_shared_free(struct kernel_shared *ks)
{
	g_ptr_array_free(ks->owned, TRUE);
	g_ptr_array_free(ks->owned_arrays, TRUE);
	g_ptr_array_free(ks->subscribers, TRUE);
	vsock_pkt_acct_free(ks->vsock_acct);
	ks->owned = ks->owned_arrays = ks->subscribers = NULL;
	ks->vsock_acct = NULL;
}

void kernel_own(struct kernel_shared *ks, void *obj)
{
	g_ptr_array_add(ks->owned, obj);
}

#define KERNEL_SLAB_BLOCK (256u * 1024u)

void *kernel_zalloc(struct kernel_shared *ks, size_t size)
{
	void *obj;

	size = (size + 15) & ~(size_t)15;	/* every object 16-byte aligned, as malloc's */
	if (size > KERNEL_SLAB_BLOCK / 8) {
		obj = g_malloc0(size);
		kernel_own(ks, obj);
		return obj;
	}
	if (size > ks->slab_left) {
		ks->slab_next = g_malloc0(KERNEL_SLAB_BLOCK);
		ks->slab_left = KERNEL_SLAB_BLOCK;
		kernel_own(ks, ks->slab_next);
	}
	obj = ks->slab_next;
	ks->slab_next += size;
	ks->slab_left -= size;
	return obj;
}

void kernel_own_array(struct kernel_shared *ks, GArray *arr)
{
	g_ptr_array_add(ks->owned_arrays, arr);
}

void net_init(struct net *net, struct kernel_shared *ks, const char *name, uint32_t addr)
{
	g_autofree char *isn = g_strdup_printf("isn:%s", name);
	g_autofree char *port = g_strdup_printf("port:%s", name);

	net_init_defaults(net, ks->profile);	/* sets the whole struct */
	net->name = name;
	net->addr = addr;
	net->sim = ks->sim;
	net->profile = ks->profile;
	net->ks = ks;
	net->routes = g_ptr_array_new_with_free_func(g_free);
	net->tasks = g_ptr_array_new();
	sim_rng_stream(ks->sim, &net->isn_rng, isn);
	sim_rng_stream(ks->sim, &net->port_rng, port);
	net->port_hint = (uint32_t)sim_rng_below(&net->port_rng, 65536);
}

void net_free(struct net *net)
{
	g_ptr_array_free(net->tasks, TRUE);
	g_ptr_array_free(net->routes, TRUE);
	inet_hashinfo_free(&net->hashinfo);
	vsock_host_free(net->vsock);
	g_free(net->port_perturb);
}

void trace_subscribe(struct kernel_shared *ks, const struct trace_subscriber *s)
{
	g_ptr_array_add(ks->subscribers, (gpointer)s);
}

void trace_unsubscribe(struct kernel_shared *ks, const struct trace_subscriber *s)
{
	g_ptr_array_remove(ks->subscribers, (gpointer)s);
}
