/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the simulated world the kernel models live in -- hosts
 * (each embedding its kernel's struct net, which owns the sockets and port
 * tables), links between them and the fault rules on the wire.  The world
 * plugs into the kernel through struct net_env_ops (net/net_namespace.h).
 * One world per simulation; nothing here is global.
 */
#ifndef ENV_WORLD_H
#define ENV_WORLD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include <stddef.h>

#include "env/qdisc.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/skb.h"
#include "net/sock.h"
#include "trace/events.h"
#include "sim/rng.h"
#include "sim/sim.h"

struct task;
struct fault_rule;
struct vsock_world;

struct link {
	struct host *a, *b;
	sim_time_t delay;
	sim_time_t jitter;
	uint64_t rate_bps;		/* 0 = infinite */
	uint64_t queue_bytes;		/* drop-tail limit per direction; 0 = unlimited */
	sim_time_t busy_until[2];	/* serialisation, per direction (a->b, b->a) */
	struct sim_rng rng;
};

/* A simulated machine: its kernel's namespace and what lies outside it. */
struct host {
	struct net net;			/* the kernel's view of this host */
	struct world *world;
	char *name;
	uint32_t addr;
	struct qdisc qdisc;		/* its interface's root qdisc (none by default) */
};

static inline struct host *host_of(const struct net *net)
{
	return (struct host *)((char *)net - offsetof(struct host, net));
}

/*
 * A packet on the wire, for capture files (observers/capture.c): the wire
 * knows what the kernel's probes do not — where the packet goes, when it
 * arrives and which fault rule dropped or duplicated it.  Read only.
 */
struct wire_tap_pkt {
	const struct host *from, *to;	/* @to NULL: no host has the address */
	const struct sk_buff *skb;
	sim_time_t arrive;		/* when it reaches @to (not dropped) */
	const char *drop;		/* why it never arrives, NULL: delivered */
	const char *note;		/* e.g. the rule that made this duplicate */
};

struct world_pkt_tap {
	void (*ip)(void *opaque, const struct wire_tap_pkt *p);
	void *opaque;
};

struct world {
	struct sim *sim;
	const struct kernel_profile *profile;
	struct kernel_shared ks;	/* what every host's kernel shares */
	struct trace_subscriber sub;	/* the world's own subscriber (all_socks, obs) */
	GPtrArray *hosts;		/* struct host *, declaration order */
	GPtrArray *links;		/* struct link * */
	GPtrArray *faults;		/* struct fault_rule *, declaration order */
	GPtrArray *all_socks;		/* every struct sock ever created, id order (index id - 1);
					 * NULL once freed (trace_sock_free) */
	/* LSM denial injected by the scenario: syscall name -> errno */
	struct lsm_rule { char *call; int err; struct task *task; } *lsm;
	unsigned int n_lsm;
	struct vsock_world *vsock;	/* virtio-vsock devices, faults, accounting (lazily) */
	struct world_pkt_tap tap;	/* the wire's packets, for a capture file */
};

struct world *world_new(struct sim *sim, const struct kernel_profile *profile);
/* Free after sim_free(): pending timers may still point into owned objects. */
void world_free(struct world *w);
struct host *world_add_host(struct world *w, const char *name, uint32_t addr);
struct host *world_find_host(struct world *w, const char *name);
struct host *world_host_by_addr(struct world *w, uint32_t addr);
struct link *world_add_link(struct world *w, struct host *a, struct host *b,
			    sim_time_t delay, sim_time_t jitter, uint64_t rate_bps);
struct link *world_find_link(struct world *w, const struct host *a, const struct host *b);

char *ip4_to_string(uint32_t addr);

/* env/wire.c: put @skb on the wire from @net's host (takes ownership): the
 * hosts' ndo_start_xmit. */
int wire_xmit(struct net *net, struct sk_buff *skb);
/* env/wire.c: the wire's part of a new world (its prefetch hint). */
void wire_init(struct world *w);

/* Install @q as @h's root qdisc (tc qdisc add/replace/delete dev DEV root). */
void world_set_qdisc(struct host *h, const struct qdisc *q);

#endif
