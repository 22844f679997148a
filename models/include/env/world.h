/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the simulated world the kernel models live in — hosts
 * (each with its own struct net, sockets and port tables), links between
 * them and the fault rules on the wire.  One world per simulation; nothing
 * here is global.
 */
#ifndef MODELS_ENV_WORLD_H
#define MODELS_ENV_WORLD_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/skb.h"
#include "net/sock.h"
#include "sim/rng.h"
#include "sim/sim.h"

struct task;
struct fault_rule;
struct vsock_host;
struct vsock_world;

/* MIB counters, named as in /proc/net/snmp and /proc/net/netstat. */
#define MIB_COUNTERS(X) \
	X(ActiveOpens) X(PassiveOpens) X(AttemptFails) X(EstabResets) \
	X(OutSegs) X(InSegs) X(RetransSegs) X(OutRsts) X(InErrs) \
	X(TCPTimeouts) X(TCPSynRetrans) X(TCPAbortOnTimeout) X(ListenOverflows) \
	X(ListenDrops) X(TCPReqQFullDrop) X(TCPReqQFullDoCookies) X(EmbryonicRsts) \
	X(OutNoRoutes) X(TCPAbortOnData) X(TCPAbortOnClose) X(InDestUnreachs) \
	X(OutDestUnreachs) X(TCPFastRetrans) X(TCPSackRecovery) X(TCPRenoRecovery) \
	X(TCPLossProbes) X(TCPWinProbe)

enum mib_counter {
#define MIB_ENUM(n) MIB_##n,
	MIB_COUNTERS(MIB_ENUM)
#undef MIB_ENUM
	MIB_MAX,
};

extern const char *const mib_counter_names[MIB_MAX];

enum route_type { RTN_UNICAST = 1, RTN_BLACKHOLE = 6, RTN_UNREACHABLE = 7, RTN_PROHIBIT = 8 };

struct route {
	uint32_t prefix;
	uint32_t plen;
	enum route_type type;
};

struct link {
	struct host *a, *b;
	sim_time_t delay;
	sim_time_t jitter;
	uint64_t rate_bps;		/* 0 = infinite */
	uint64_t queue_bytes;		/* drop-tail limit per direction; 0 = unlimited */
	sim_time_t busy_until[2];	/* serialisation, per direction (a->b, b->a) */
	struct sim_rng rng;
};

struct port_owner;

struct host {
	struct world *world;
	char *name;
	uint32_t addr;
	bool scripted;			/* no TCP stack: receives and drops (a packetdrill peer) */
	struct net net;
	GPtrArray *routes;		/* struct route *, extra routes in file order */
	GPtrArray *socks;		/* struct sock *, hashed sockets in creation order */
	GHashTable *ports;		/* local port -> count of socks using it (lookups only) */
	struct sim_rng isn_rng;
	struct sim_rng port_rng;
	uint32_t port_hint;		/* 5.0: __inet_hash_connect's static hint */
	uint32_t *port_perturb;		/* 6.x: table_perturb[] (2^16 entries) */
	uint64_t mib[MIB_MAX];
	GPtrArray *tasks;		/* struct task *, pid order */
	struct vsock_host *vsock;	/* AF_VSOCK tables and transports (lazily) */
};

/* Hooks the scenario runner installs to build results. */
struct world_observer {
	void (*sock_state)(void *opaque, struct sock *sk);	/* sk_state or sock->state changed */
	void (*sock_new)(void *opaque, struct sock *sk);
	void *opaque;
};

struct vsock_device;
struct virtio_vsock_hdr;

/*
 * Observer hooks: packet taps for capture files (observers/pcapng.c).  Called
 * at the emission points, never change what the simulation does; the
 * integrator moves them onto the probe-event seam.
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
	/* A vsock packet from @from passing the device (vhost), or with @dev NULL
	 * one dropped before reaching any device. */
	void (*vsock)(void *opaque, const struct host *from, const struct vsock_device *dev,
		      const struct virtio_vsock_hdr *hdr, const char *drop);
	void *opaque;
};

struct world {
	struct sim *sim;
	const struct kernel_profile *profile;
	GPtrArray *hosts;		/* struct host *, declaration order */
	GPtrArray *links;		/* struct link * */
	GPtrArray *faults;		/* struct fault_rule *, declaration order */
	GPtrArray *all_socks;		/* every struct sock ever created, id order */
	GPtrArray *owned;		/* memory freed with the world (socks, sockets, requests) */
	GPtrArray *owned_arrays;	/* GArrays freed with the world */
	uint32_t next_sock_id;
	uint32_t next_req_id;
	uint64_t next_skb_id;
	uint64_t pkt_sent[PKT_KIND_MAX];
	uint64_t pkt_dropped[PKT_KIND_MAX];
	uint64_t pkt_delivered[PKT_KIND_MAX];
	struct world_observer obs;
	struct world_pkt_tap tap;	/* observer hook: packet captures */
	struct task *current;		/* the task whose syscall is running */
	sim_time_t stats_interval;	/* results: throughput bucket width; 0 = no TCP samples */
	GPtrArray *tcp_stats;		/* struct tcp_stats_sink *, connection order */
	/* LSM denial injected by the scenario: syscall name -> errno */
	struct lsm_rule { char *call; int err; struct task *task; } *lsm;
	unsigned int n_lsm;
	struct vsock_world *vsock;	/* virtio-vsock devices, faults, accounting (lazily) */
};

struct world *world_new(struct sim *sim, const struct kernel_profile *profile);
/* Free after sim_free(): pending timers may still point into owned objects. */
void world_free(struct world *w);
/* @obj (g_malloc'd) is freed with the world. */
void world_own(struct world *w, void *obj);
/* @arr is freed (g_array_free) with the world. */
void world_own_array(struct world *w, GArray *arr);
struct host *world_add_host(struct world *w, const char *name, uint32_t addr);
struct host *world_find_host(struct world *w, const char *name);
struct host *world_host_by_addr(struct world *w, uint32_t addr);
struct link *world_add_link(struct world *w, struct host *a, struct host *b,
			    sim_time_t delay, sim_time_t jitter, uint64_t rate_bps);
struct link *world_find_link(struct world *w, const struct host *a, const struct host *b);

/* Register a new struct sock: assigns sk#id, keeps it for results. */
void world_sock_register(struct world *w, struct sock *sk);
/* Report a state change (sk_state or sock->state) to traces and observer. */
void world_sock_changed(struct world *w, struct sock *sk);
/* LSM hook (security/security.c:security_socket_*): 0 or -errno. */
int world_lsm_check(struct world *w, struct task *t, const char *call);

static inline void host_mib_inc(struct host *h, enum mib_counter c)
{
	h->mib[c]++;
}

/* "sk#3" into a static-size buffer owned by the caller. */
void sock_label(const struct sock *sk, char *buf, size_t len);
char *ip4_to_string(uint32_t addr);

/* env/wire.c: put @skb on the wire from @from (takes ownership). */
void wire_xmit(struct host *from, struct sk_buff *skb);
struct sk_buff *skb_alloc(struct world *w);

#endif
