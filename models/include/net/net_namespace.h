/* SPDX-License-Identifier: MIT */
/*
 * Per-host network namespace: everything the kernel models reach through
 * sock_net(sk) -- the sysctls (field names are the kernel's,
 * include/net/netns/ipv4.h and include/net/netns/core.h), the MIB counters,
 * the socket and port tables, the ISN state, the kernel profile, the clock and the current task.
 *
 * Not kernel code: the environment above the models (env/) embeds a struct
 * net in each simulated host and plugs in below it through struct
 * net_env_ops (a transmit hook, like a net_device's ndo_start_xmit; the
 * neighbour lookup; the LSM).  A struct net needs no world: a unit test can
 * build one with net_init() and drive a model function on it.
 */
#ifndef MODELS_NET_NET_NAMESPACE_H
#define MODELS_NET_NET_NAMESPACE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv6.h"
#include "net/snmp.h"
#include "sim/rng.h"
#include "sim/sim.h"

struct netns_core {
	int sysctl_somaxconn;
	int sysctl_wmem_max;
	int sysctl_rmem_max;
};

struct netns_ipv4 {
	int sysctl_tcp_syn_retries;
	int sysctl_tcp_synack_retries;
	int sysctl_tcp_syn_linear_timeouts;
	int sysctl_tcp_syncookies;
	int sysctl_tcp_abort_on_overflow;
	int sysctl_tcp_max_syn_backlog;
	int sysctl_tcp_rto_max_ms;
	int sysctl_tcp_rto_min_us;
	int sysctl_tcp_timestamps;
	int sysctl_tcp_window_scaling;
	int sysctl_tcp_sack;
	int sysctl_tcp_dsack;
	int sysctl_tcp_ecn;		/* 0 off, 1 request and accept, 2 accept only */
	int sysctl_tcp_ecn_fallback;	/* retransmitted SYNs drop ECE|CWR */
	int sysctl_tcp_app_win;
	int sysctl_tcp_reordering;
	int sysctl_tcp_max_reordering;	/* cap of tp->reordering (tcp_check_sack_reordering) */
	int sysctl_tcp_early_retrans;	/* 3 or 4: tail loss probes */
	int sysctl_tcp_retries2;
	int sysctl_tcp_slow_start_after_idle;
	int sysctl_tcp_min_tso_segs;	/* tcp_tso_segs() floor */
	int sysctl_tcp_pacing_ss_ratio;	/* tcp_update_pacing_rate(), slow start: percent */
	int sysctl_tcp_pacing_ca_ratio;	/* ... congestion avoidance: percent */
	int sysctl_tcp_tso_win_divisor;	/* tcp_tso_should_defer() */
	uint32_t sysctl_tcp_notsent_lowat;	/* UINT_MAX = no limit */
	int sysctl_tcp_congestion_control;	/* index into the CC table */
	int sysctl_tcp_wmem[3];
	int sysctl_tcp_rmem[3];
	int ip_local_ports_range[2];	/* net.ipv4.ip_local_port_range */
	int sysctl_tcp_fin_timeout;	/* seconds (the kernel keeps jiffies) */
	/* include/net/netns/ipv4.h: struct inet_timewait_death_row */
	struct {
		int tw_count;			/* live timewait socks (the kernel's tw_refcount - 1) */
		int sysctl_max_tw_buckets;	/* net.ipv4.tcp_max_tw_buckets */
	} tcp_death_row;
};

struct kernel_profile;
struct net;

/*
 * One chained hash table of sockets or of timewait socks
 * (include/net/inet_hashtables.h: the ehash, lhash2 and bhash of struct
 * inet_hashinfo), intrusive: each object carries its chain link.  Chains are in no particular order; a lookup that
 * could match two sockets returns the one that took its port first (the
 * lowest sk_bind_seq), so no table order reaches a trace.
 */
struct inet_htable {
	void **buckets;			/* chain heads; NULL until the first insert */
	uint32_t mask;			/* buckets - 1 (a power of two) */
	uint32_t count;
};

/* include/net/inet_hashtables.h:struct inet_hashinfo, per namespace here. */
struct inet_hashinfo {
	struct inet_htable ehash;	/* connected sockets: (lport, rport, raddr) */
	struct inet_htable lhash;	/* listeners: lport */
	struct inet_htable bhash;	/* every socket owning a local port: lport */
	/* timewait socks (include/net/inet_timewait_sock.h): the kernel keeps
	 * them in the same ehash chains and bind buckets as sockets; here each
	 * table has a second, timewait-sock table beside it */
	struct inet_htable tw_ehash;	/* (lport, rport, raddr) */
	struct inet_htable tw_bhash;	/* lport */
	/* request socks in SYN queues (TCP_NEW_SYN_RECV in the kernel's ehash):
	 * struct request_sock chains by (listener's port, raddr, rport) */
	struct request_sock **rhash;
	uint32_t rhash_mask;
	uint32_t rhash_count;
	uint64_t next_bind_seq;		/* sk_bind_seq */
	/* not kernel code: per (saddr, daddr, dport), a bitmap of the local ports
	 * that connect() gave to that destination and that are still owned
	 * (struct inet_connect_dest, net/ipv4/inet_hashtables.c); NULL until the
	 * first connect() picks a port; connect_dest_list: the same, in an order
	 * that depends on the run alone (for the checks that visit them all) */
	GHashTable *connect_dests;
	GPtrArray *connect_dest_list;
	/* not kernel code: per local port, its owners (sockets and timewait
	 * socks) that did not get it from inet_hash_connect(); a port with none
	 * is shareable by any connect() whose destination's bitmap lacks it,
	 * as the kernel's bind bucket with fastreuse == -1 and no 4-tuple clash
	 * in the ehash (__inet_check_established) is.  NULL until a port is taken */
	uint32_t *port_other;
};

/* net/ipv4/inet_hashtables.c: free the tables and the timewait socks still
 * in them (not the sockets). */
void inet_hashinfo_free(struct inet_hashinfo *h);
struct sk_buff;
struct sock;
struct task;
struct trace_subscriber;
struct vsock_host;

/*
 * Hooks the environment installs below the kernel (not kernel code).  Each
 * gets the namespace it is called for; the environment finds its host from
 * it.  Any hook may be NULL in a bare namespace (see net_init()).
 */
struct net_env_ops {
	/* The one interface below __dev_queue_xmit(): its qdisc, then its
	 * ndo_start_xmit, which puts @skb on the wire (takes ownership either
	 * way).  Returns what the qdisc's enqueue returned: NET_XMIT_SUCCESS,
	 * or NET_XMIT_DROP when the qdisc dropped it (net/ipv4.h). */
	int (*xmit)(struct net *net, struct sk_buff *skb);
	/* The namespace at @daddr if a link joins it to @net (the neighbour
	 * table of the one interface), else NULL. */
	struct net *(*neigh_lookup)(struct net *net, uint32_t daddr);
	/* The same for an IPv6 address (a host's second address, `host NAME
	 * ADDR ADDR6`); NULL hook or no such neighbour: NULL. */
	struct net *(*neigh_lookup6)(struct net *net, const struct in6_addr_sim *daddr);
	/* security/security.c:security_socket_*: 0 or -errno for @call. */
	int (*lsm_check)(struct net *net, struct task *t, const char *call);
};

/*
 * What the kernel keeps in global variables (current, the object counters)
 * and what lives as long as the simulation: one per simulation, shared by
 * its namespaces -- nothing here is a C global.
 */
/* kernel_zalloc(): objects are carved from blocks of KERNEL_SLAB_BLOCK bytes;
 * one bigger than KERNEL_SLAB_MAX is g_malloc'd (and never reused).  Once
 * KERNEL_SLAB_SMALL_BLOCKS blocks are in use, a simulation that big takes
 * huge-page blocks of SIM_BIGMEM_MIN bytes (include/sim/bigmem.h): a short
 * run zeroes no 2 MiB page, a long one walks fewer page tables. */
#define KERNEL_SLAB_BLOCK (256u * 1024u)
#define KERNEL_SLAB_MAX (KERNEL_SLAB_BLOCK / 8)
#define KERNEL_SLAB_SMALL_BLOCKS 8u

struct kernel_shared {
	struct sim *sim;
	const struct kernel_profile *profile;
	const struct net_env_ops *ops;	/* NULL: no environment */
	struct task *current;		/* the task whose syscall is running */
	uint32_t next_sock_id;		/* sk#N in traces */
	uint32_t next_req_id;
	uint64_t next_skb_id;
	GPtrArray *owned;		/* memory freed with the simulation (socks, sockets, requests) */
	GPtrArray *owned_arrays;	/* GArrays freed with the simulation */
	char *slab_next;		/* kernel_zalloc(): the free end of its current block */
	size_t slab_left;		/* bytes left there */
	bool slab_zeroed;		/* the current block is still all zero */
	unsigned int slab_small_blocks;	/* blocks of KERNEL_SLAB_BLOCK taken */
	GPtrArray *slab_huge_blocks;	/* of SIM_BIGMEM_MIN bytes, freed with the simulation */
	/* kernel_zfree(): freed objects per size, reused first (kmem_cache_free) */
	struct kernel_slab_free {
		size_t size;
		void *head;		/* the next free object is in its first word */
	} slab_free[16];
	unsigned int n_slab_free;
	/* slab_free's index + 1 of each size (by size / 16; 0: none yet), so
	 * that an allocation does not search the sizes */
	uint8_t slab_class[KERNEL_SLAB_MAX / 16 + 1];
	/* owned GArrays handed back (kernel_array_recycle), a stack per element
	 * size, so that kernel_array_new() reads no array of another size */
	struct kernel_array_spares {
		guint element_size;
		GPtrArray *arrays;
	} spare_arrays[4];
	unsigned int n_spare_arrays;
	GPtrArray *subscribers;		/* struct trace_subscriber *, attach order (trace/events.h) */
	/* per event, the subscribers that have it, in attach order (made by
	 * trace_subscribe(): an event nobody takes costs one test) */
	struct trace_event_subs *trace_events;
	struct vsock_pkt_acct *vsock_acct;	/* virtio-vsock packet accounting (lazily) */
};

struct net {
	struct netns_core core;
	struct netns_ipv4 ipv4;
	/* not kernel: the namespace's identity, clock and shared state */
	const char *name;		/* the host's name, in traces (owned by the creator) */
	uint32_t addr;			/* the address of its one interface */
	bool has_addr6;			/* and its global IPv6 address, if any */
	struct in6_addr_sim addr6;
	bool scripted;			/* no TCP stack: receives and drops (a packetdrill peer) */
	struct sim *sim;		/* the clock: net_now() */
	const struct kernel_profile *profile;
	struct kernel_shared *ks;
	/* include/net/netns/mib.h */
	uint64_t mib[MIB_MAX];
	/* the FIB, the socket and port tables, the ISN and port secrets */
	GPtrArray *routes;		/* struct route *, extra routes in file order */
	struct inet_hashinfo hashinfo;	/* the socket and port tables */
	struct sim_rng isn_rng;
	struct sim_rng port_rng;
	uint32_t port_hint;		/* 5.0: __inet_hash_connect's static hint */
	/* net/ipv4/tcp_ipv4.c: the per-CPU tcp_tw_isn, the ISN a SYN that took
	 * over a timewait sock gets in tcp_conn_request(); 0: none */
	uint32_t tcp_tw_isn;
	struct sim_rng_table *port_perturb;	/* 6.x: table_perturb[] (2^16 entries,
						 * drawn block by block); NULL: none yet */
	GPtrArray *tasks;		/* struct task *, pid order; NULL: a released task's
					 * slot (task_release()), squeezed out when half are */
	unsigned int tasks_holes;	/* the NULL slots in tasks */
	struct vsock_host *vsock;	/* AF_VSOCK tables and transports (lazily) */
	/* net/core/dev.c: struct softnet_data of the one CPU: looped-back
	 * packets (struct sk_buff *) that netif_rx() queued for the softirq */
	struct softnet_data {
		GQueue input_pkt_queue;
		bool in_softirq;	/* net_rx_action() is running */
		int process_ctx;	/* >0: a send() runs, loopback is processed in the call */
	} softnet;
};

enum route_type { RTN_UNICAST = 1, RTN_BLACKHOLE = 6, RTN_UNREACHABLE = 7, RTN_PROHIBIT = 8 };

struct route {
	uint32_t prefix;
	uint32_t plen;
	enum route_type type;
};

/* Defaults of @profile's kernel. */
void net_init_defaults(struct net *net, const struct kernel_profile *profile);

/* kernel_shared for a simulation on @sim; kernel_shared_free() after sim_free(). */
void kernel_shared_init(struct kernel_shared *ks, struct sim *sim,
			const struct kernel_profile *profile, const struct net_env_ops *ops);
void kernel_shared_free(struct kernel_shared *ks);
/* @obj (g_malloc'd) / @arr is freed with the simulation. */
void kernel_own(struct kernel_shared *ks, void *obj);
/*
 * Zeroed memory that lives as long as the simulation (socks, tasks): carved
 * from large blocks, like the kernel's slab caches (mm/slub.c:
 * kmem_cache_zalloc), so that objects above malloc's small-size caches cost
 * no allocator search each.  An object given back with kernel_zfree() is
 * reused by the next allocation of its size; the blocks themselves are
 * freed with the simulation.
 */
void *kernel_zalloc(struct kernel_shared *ks, size_t size);
void kernel_own_array(struct kernel_shared *ks, GArray *arr);
/* Give back an object of kernel_zalloc(ks, @size): the next kernel_zalloc()
 * of that size reuses it (mm/slub.c:kmem_cache_free). */
void kernel_zfree(struct kernel_shared *ks, void *obj, size_t size);
/* An empty GArray of @element_size owned by the simulation: a recycled one
 * if any, else a new one; kernel_array_recycle() hands one back. */
GArray *kernel_array_new(struct kernel_shared *ks, guint element_size);
void kernel_array_recycle(struct kernel_shared *ks, GArray *arr);

/* A namespace called @name with address @addr: sysctl defaults, empty
 * tables, its ISN and port random streams. */
void net_init(struct net *net, struct kernel_shared *ks, const char *name, uint32_t addr);
void net_free(struct net *net);

/* The simulated time, read through the namespace (the kernel's ktime_get()). */
static inline sim_time_t net_now(const struct net *net)
{
	return sim_now(net->sim);
}

static inline struct task *net_current(const struct net *net)
{
	return net->ks->current;
}

/* include/net/ip.h: __NET_INC_STATS / __TCP_INC_STATS */
static inline void net_mib_inc(struct net *net, enum mib_counter c)
{
	net->mib[c]++;
}

/* include/net/ip.h: __NET_ADD_STATS */
static inline void net_mib_add(struct net *net, enum mib_counter c, uint64_t n)
{
	net->mib[c] += n;
}

/* SYSCTL_UINT: a u32 (proc_douintvec), stored as uint32_t */
enum sysctl_kind { SYSCTL_INT, SYSCTL_INT_PAIR, SYSCTL_INT_TRIPLE, SYSCTL_CC_NAME, SYSCTL_UINT };

struct sysctl_desc {
	const char *name;		/* "net.ipv4.tcp_syn_retries" */
	enum sysctl_kind kind;
	size_t offset;			/* into struct net */
	int64_t min, max;
	const char *unit;
	const char *source;		/* where the kernel defines it */
	const char *doc;
};

/* Sorted by name; NULL-terminated by a zero entry. */
extern const struct sysctl_desc sysctl_table[];
const struct sysctl_desc *sysctl_find(const char *name);
/* Does @profile's kernel have this sysctl at all? */
bool sysctl_in_profile(const struct sysctl_desc *d, const struct kernel_profile *profile);
/* Parse @text ("3", "32768 60999", "32768-60999") into @net: 0, or -EINVAL
 * with @error saying what was expected (domain SYSCTL_ERROR). */
#define SYSCTL_ERROR (sysctl_error_quark())
GQuark sysctl_error_quark(void);
int sysctl_write(struct net *net, const struct sysctl_desc *d, const char *text,
		 GError **error);
/* Current value as text, kernel /proc format ("32768\t60999"). */
char *sysctl_read(const struct net *net, const struct sysctl_desc *d);

#endif
