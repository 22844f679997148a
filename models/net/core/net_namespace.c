/* SPDX-License-Identifier: MIT */
/*
 * net/core/net_namespace.c: setting up and tearing down a namespace
 * (setup_net / net_free in the kernel), plus what socksim keeps per
 * simulation instead of in globals (struct kernel_shared) and the observer
 * seam's subscriber list (trace/events.h).
 */
#include "net/net_namespace.h"

#include <string.h>

#include "net/af_vsock.h"
#include "net/ipv4.h"
#include "net/vsock_device.h"
#include "sim/bigmem.h"
#include "trace/events.h"

/*
 * Under AddressSanitizer an object given back to the slab is poisoned until
 * kernel_zalloc() hands it out again, as KASAN does for the kernel's caches:
 * a model that reads a socket, skb or timewait sock after freeing it fails
 * the sanitizer run instead of reading whatever took its place.
 */
#if defined(__SANITIZE_ADDRESS__)
#define KERNEL_SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KERNEL_SLAB_ASAN 1
#endif
#endif
#ifdef KERNEL_SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define slab_poison(obj, size) ASAN_POISON_MEMORY_REGION(obj, size)
#define slab_unpoison(obj, size) ASAN_UNPOISON_MEMORY_REGION(obj, size)
#else
#define slab_poison(obj, size) ((void)(obj), (void)(size))
#define slab_unpoison(obj, size) ((void)(obj), (void)(size))
#endif

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
	ks->trace_events = g_new0(struct trace_event_subs, TRACE_N_EVENTS);
}

void kernel_shared_free(struct kernel_shared *ks)
{
	g_ptr_array_free(ks->owned, TRUE);
	g_ptr_array_free(ks->owned_arrays, TRUE);
	for (unsigned int i = 0; ks->slab_huge_blocks && i < ks->slab_huge_blocks->len; i++) {
		void *block = g_ptr_array_index(ks->slab_huge_blocks, i);

		slab_unpoison(block, SIM_BIGMEM_MIN);	/* the shadow outlives munmap() */
		sim_bigmem_free(block, SIM_BIGMEM_MIN);
	}
	g_clear_pointer(&ks->slab_huge_blocks, g_ptr_array_unref);
	for (unsigned int i = 0; i < ks->n_spare_arrays; i++)
		g_ptr_array_free(ks->spare_arrays[i].arrays, TRUE);	/* owned_arrays freed them */
	ks->n_spare_arrays = 0;
	g_ptr_array_free(ks->subscribers, TRUE);
	for (unsigned int i = 0; ks->trace_events && i < TRACE_N_EVENTS; i++)
		g_free(ks->trace_events[i].subs);
	g_clear_pointer(&ks->trace_events, g_free);
	vsock_pkt_acct_free(ks->vsock_acct);
	ks->owned = ks->owned_arrays = ks->subscribers = NULL;
	ks->vsock_acct = NULL;
}

void kernel_own(struct kernel_shared *ks, void *obj)
{
	g_ptr_array_add(ks->owned, obj);
}

#define L1_CACHE_BYTES 64

/*
 * Every object 16-byte aligned, as malloc's; one of a cache line or more
 * starts a cache line, as the kernel's SLAB_HWCACHE_ALIGN caches (sockets,
 * skbs) do, so that what a lookup reads of it lies in as few lines as
 * its layout allows.
 */
static size_t kernel_slab_size(size_t size)
{
	if (size >= L1_CACHE_BYTES)
		return (size + L1_CACHE_BYTES - 1) & ~(size_t)(L1_CACHE_BYTES - 1);
	return (size + 15) & ~(size_t)15;
}

void *kernel_zalloc(struct kernel_shared *ks, size_t size)
{
	void *obj;

	size = kernel_slab_size(size);
	if (size <= KERNEL_SLAB_MAX && ks->slab_class[size / 16]) {
		struct kernel_slab_free *f = &ks->slab_free[ks->slab_class[size / 16] - 1];

		if (f->head) {
			obj = f->head;
			slab_unpoison(obj, size);
			f->head = *(void **)obj;
			/* the next object of this size is likely cold by the
			 * time it is asked for: start loading it now */
			__builtin_prefetch(f->head, 1);
			memset(obj, 0, size);
			return obj;
		}
	}
	if (size > KERNEL_SLAB_MAX) {
		obj = g_malloc0(size);
		kernel_own(ks, obj);
		return obj;
	}
	if (size >= L1_CACHE_BYTES && ks->slab_left) {
		/* to the next cache line (the block itself starts one) */
		size_t pad = (size_t)-(uintptr_t)ks->slab_next & (L1_CACHE_BYTES - 1);

		ks->slab_next += MIN(pad, ks->slab_left);
		ks->slab_left -= MIN(pad, ks->slab_left);
	}
	if (size > ks->slab_left) {
		if (ks->slab_small_blocks < KERNEL_SLAB_SMALL_BLOCKS) {
			/* not zeroed as a whole: each object is below, so a block of
			 * which a run uses a few objects costs the pages they touch
			 * (a block glibc takes from its heap, not mmap, is not
			 * zeroed by calloc for free) */
			char *block = g_malloc(KERNEL_SLAB_BLOCK + L1_CACHE_BYTES);

			kernel_own(ks, block);
			ks->slab_small_blocks++;
			ks->slab_next = block + ((size_t)-(uintptr_t)block & (L1_CACHE_BYTES - 1));
			ks->slab_left = KERNEL_SLAB_BLOCK;
			ks->slab_zeroed = false;
		} else {
			/* 2 MiB-aligned, so cache-line aligned */
			ks->slab_next = sim_bigmem_alloc0(SIM_BIGMEM_MIN);
			ks->slab_left = SIM_BIGMEM_MIN;
			ks->slab_zeroed = true;		/* fresh anonymous pages */
			if (!ks->slab_huge_blocks)
				ks->slab_huge_blocks = g_ptr_array_new();
			g_ptr_array_add(ks->slab_huge_blocks, ks->slab_next);
		}
	}
	obj = ks->slab_next;
	ks->slab_next += size;
	ks->slab_left -= size;
	if (!ks->slab_zeroed)
		memset(obj, 0, size);
	return obj;
}

void kernel_zfree(struct kernel_shared *ks, void *obj, size_t size)
{
	struct kernel_slab_free *f;

	size = kernel_slab_size(size);
	if (size > KERNEL_SLAB_MAX)
		return;		/* g_malloc'd and owned: freed with the simulation */
	if (ks->slab_class[size / 16]) {
		f = &ks->slab_free[ks->slab_class[size / 16] - 1];
	} else {
		if (ks->n_slab_free == G_N_ELEMENTS(ks->slab_free))
			goto poison;	/* no list for this size: the memory waits for the end */
		f = &ks->slab_free[ks->n_slab_free++];
		f->size = size;
		ks->slab_class[size / 16] = (uint8_t)ks->n_slab_free;
	}
	*(void **)obj = f->head;
	f->head = obj;
poison:
	slab_poison(obj, size);
}

/* The spare stack of @element_size, made if @make (NULL: none, or no room). */
static GPtrArray *kernel_array_spares(struct kernel_shared *ks, guint element_size, bool make)
{
	struct kernel_array_spares *sp;

	for (unsigned int i = 0; i < ks->n_spare_arrays; i++)
		if (ks->spare_arrays[i].element_size == element_size)
			return ks->spare_arrays[i].arrays;
	if (!make || ks->n_spare_arrays == G_N_ELEMENTS(ks->spare_arrays))
		return NULL;
	sp = &ks->spare_arrays[ks->n_spare_arrays++];
	sp->element_size = element_size;
	sp->arrays = g_ptr_array_new();
	return sp->arrays;
}

GArray *kernel_array_new(struct kernel_shared *ks, guint element_size)
{
	GPtrArray *spares = kernel_array_spares(ks, element_size, false);
	GArray *arr;

	if (spares && spares->len) {
		arr = g_ptr_array_steal_index(spares, spares->len - 1);
		g_array_set_size(arr, 0);
		return arr;
	}
	arr = g_array_new(FALSE, FALSE, element_size);
	kernel_own_array(ks, arr);
	return arr;
}

void kernel_array_recycle(struct kernel_shared *ks, GArray *arr)
{
	GPtrArray *spares;

	if (!arr)
		return;
	spares = kernel_array_spares(ks, g_array_get_element_size(arr), true);
	if (spares)	/* else the array waits for the end (owned_arrays) */
		g_ptr_array_add(spares, arr);
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
	skb_queue_purge(net, &net->softnet.input_pkt_queue);
	g_ptr_array_free(net->tasks, TRUE);
	g_ptr_array_free(net->routes, TRUE);
	inet_hashinfo_free(&net->hashinfo);
	vsock_host_free(net->vsock);
	sim_rng_table_free(net->port_perturb);
}

/* trace_events_rebuild() reads the callbacks as one array: ctx, then only
 * function pointers, none padded */
G_STATIC_ASSERT(offsetof(struct trace_subscriber, sock_new) == sizeof(void *));
G_STATIC_ASSERT((sizeof(struct trace_subscriber) - offsetof(struct trace_subscriber, sock_new)) %
		sizeof(void (*)(void)) == 0);
G_STATIC_ASSERT(TRACE_EVENT_INDEX(vsock_dev_pkt) == TRACE_N_EVENTS - 1);

/* ks->trace_events from ks->subscribers: for each event, who has it, in attach order. */
static void trace_events_rebuild(struct kernel_shared *ks)
{
	for (unsigned int i = 0; i < TRACE_N_EVENTS; i++) {
		struct trace_event_subs *e = &ks->trace_events[i];

		e->n = 0;
		e->subs = g_renew(const struct trace_subscriber *, e->subs, MAX(ks->subscribers->len, 1));
		for (guint k = 0; k < ks->subscribers->len; k++) {
			const struct trace_subscriber *s = ks->subscribers->pdata[k];
			void (*fns[TRACE_N_EVENTS])(void);

			memcpy(fns, &s->sock_new, sizeof(fns));	/* the callbacks, in member order */
			if (fns[i])
				e->subs[e->n++] = s;
		}
	}
}

void trace_subscribe(struct kernel_shared *ks, const struct trace_subscriber *s)
{
	g_ptr_array_add(ks->subscribers, (gpointer)s);
	trace_events_rebuild(ks);
}

void trace_unsubscribe(struct kernel_shared *ks, const struct trace_subscriber *s)
{
	g_ptr_array_remove(ks->subscribers, (gpointer)s);
	trace_events_rebuild(ks);
}
