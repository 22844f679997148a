/* SPDX-License-Identifier: MIT */
/*
 * AF_VSOCK socket layer: include/net/af_vsock.h.  struct vsock_sock embeds
 * struct sock first (vsock_sk() is a cast, as container_of in the kernel);
 * sk_state reuses the TCP constants (CLOSE = unconnected, SYN_SENT =
 * connecting, ESTABLISHED, CLOSING = disconnecting, LISTEN).  Transports are
 * reached only through struct vsock_transport.
 */
#ifndef MODELS_NET_AF_VSOCK_H
#define MODELS_NET_AF_VSOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/sock.h"
#include "net/vsock_profile.h"
#include "sim/rng.h"
#include "sim/timer.h"
#include "uapi/linux/vm_sockets.h"

#define SOCK_SEQPACKET			5
#define LAST_RESERVED_PORT		1023
#define MAX_PORT_RETRIES		24
#define VSOCK_DEFAULT_CONNECT_TIMEOUT_SEC 2	/* 2 * HZ */
#define VSOCK_DEFAULT_BUFFER_SIZE	(1024 * 256)
#define VSOCK_DEFAULT_BUFFER_MAX_SIZE	(1024 * 256)
#define VSOCK_DEFAULT_BUFFER_MIN_SIZE	128

#define VSOCK_TRANSPORT_F_H2G		0x01
#define VSOCK_TRANSPORT_F_G2H		0x02
#define VSOCK_TRANSPORT_F_DGRAM		0x04
#define VSOCK_TRANSPORT_F_LOCAL		0x08

struct vsock_sock;
struct virtio_vsock_sock;
struct net;

/* include/net/af_vsock.h:struct vsock_transport (the ops virtio uses). */
struct vsock_transport {
	const char *name;		/* "virtio_transport", "vhost_transport" */
	uint32_t features;		/* VSOCK_TRANSPORT_F_* slot */
	uint32_t (*get_local_cid)(const struct vsock_transport *t);
	int (*init)(struct vsock_sock *vsk, struct vsock_sock *psk);
	void (*destruct)(struct vsock_sock *vsk);
	void (*release)(struct vsock_sock *vsk);
	int (*connect)(struct vsock_sock *vsk);
	int (*shutdown)(struct vsock_sock *vsk, int mode);
	int (*cancel_pkt)(struct vsock_sock *vsk);
	long (*stream_dequeue)(struct vsock_sock *vsk, size_t len, int flags);
	long (*stream_enqueue)(struct vsock_sock *vsk, size_t len);
	int64_t (*stream_has_data)(struct vsock_sock *vsk);
	int64_t (*stream_has_space)(struct vsock_sock *vsk);
	uint64_t (*stream_rcvhiwat)(struct vsock_sock *vsk);
	bool (*stream_allow)(uint32_t cid, uint32_t port);
	bool (*seqpacket_allow)(const struct vsock_transport *t, uint32_t remote_cid);
	void (*notify_buffer_size)(struct vsock_sock *vsk, uint64_t *val);
	int (*notify_set_rcvlowat)(struct vsock_sock *vsk, int val);
	int64_t (*unsent_bytes)(struct vsock_sock *vsk);
};

/* include/net/af_vsock.h:struct vsock_sock */
struct vsock_sock {
	struct sock sk;			/* must be first */
	int sk_type;			/* sk->sk_type: SOCK_STREAM, SOCK_SEQPACKET */
	const struct vsock_transport *transport;
	struct sockaddr_vm local_addr;
	struct sockaddr_vm remote_addr;
	bool in_bound_table, in_connected_table;
	sim_time_t connect_timeout;	/* whole jiffies, in ns */
	uint64_t buffer_size, buffer_min_size, buffer_max_size;
	uint32_t peer_shutdown;		/* RCV_SHUTDOWN | SEND_SHUTDOWN */
	bool sock_done;			/* sock_flag(sk, SOCK_DONE) */
	struct sim_timer connect_work;	/* delayed work vsock_connect_timeout */
	struct sim_timer close_work;	/* delayed work virtio_transport_close_timeout */
	bool close_work_scheduled;
	struct virtio_vsock_sock *trans;
	/* listener: accept queue (children not yet accepted), in arrival order */
	GQueue accept_queue;
};

static inline struct vsock_sock *vsock_sk(struct sock *sk)
{
	return (struct vsock_sock *)sk;
}

static inline struct sock *sk_vsock(struct vsock_sock *vsk)
{
	return &vsk->sk;
}

static inline bool vsock_addr_bound(const struct sockaddr_vm *a)
{
	return a->svm_port != VMADDR_PORT_ANY;
}

/*
 * Not kernel code: af_vsock.c keeps its tables and transport slots in
 * file-scope globals (vsock_bind_table, vsock_connected_table,
 * transport_h2g, transport_g2h, the autobind port); socksim has one copy per
 * host.  Tables are walked in insertion order, never in hash order.
 */
struct vsock_host {
	struct net *net;
	GPtrArray *bound;		/* vsock_bind_table: struct vsock_sock * */
	GPtrArray *connected;		/* vsock_connected_table */
	const struct vsock_transport *transport_g2h;
	const struct vsock_transport *transport_h2g;
	struct virtio_vsock *g2h_dev;	/* the guest driver, if this host is a guest */
	GPtrArray *vhost;		/* struct vhost_vsock *: one per VM this host runs */
	struct virtio_transport *g2h, *h2g;	/* the transport instances */
	uint32_t bind_port;		/* __vsock_bind_connectible's static port (0: unset) */
	struct sim_rng port_rng;
	uint64_t *ctr;			/* not kernel: counters, enum vsock_counter */
};

/* Not kernel: per-host counters (not /proc: socksim's own, named Vsock*);
 * the names are in net/vmw_vsock/vsock_device.c. */
#define VSOCK_COUNTERS(X) \
	X(VsockTxPkts) X(VsockRxPkts) X(VsockTxBytes) X(VsockRxBytes) \
	X(VsockRstSent) X(VsockRstRcvd) X(VsockCreditUpdateSent) X(VsockCreditRequestRcvd) \
	X(VsockRxCreditDrops) X(VsockSendQueued) X(VsockTxRingFull) \
	X(VsockKicks) X(VsockKicksSuppressed) X(VsockIrqs) X(VsockIrqsSuppressed) \
	X(VsockRxThrottled) X(VsockRxRefills) X(VsockRxNoBuf) X(VsockCancelled) \
	X(VsockWorkerRuns) X(VsockWeightExceeded) X(VsockTransportResets) \
	X(VsockDeviceDrops) X(VsockSplitPkts) X(VsockFaultDrops) X(VsockSendBlocked)

enum vsock_counter {
#define VSOCK_CTR_ENUM(n) VSOCK_CTR_##n,
	VSOCK_COUNTERS(VSOCK_CTR_ENUM)
#undef VSOCK_CTR_ENUM
	VSOCK_CTR_MAX,
};

extern const char *const vsock_counter_names[VSOCK_CTR_MAX];
int vsock_counter_from_name(const char *name);

/* ---- net/vmw_vsock/af_vsock.c ---- */
struct socket;
struct vsock_host *vsock_host_get(struct net *net);
void vsock_host_free(struct vsock_host *vh);
int vsock_create(struct net *net, struct socket *sock, int type, int protocol);
extern const struct proto_ops vsock_stream_ops;
void vsock_insert_connected(struct vsock_sock *vsk);
void vsock_remove_bound(struct vsock_sock *vsk);
void vsock_remove_connected(struct vsock_sock *vsk);
void vsock_remove_sock(struct vsock_sock *vsk);
struct sock *vsock_find_bound_socket(struct vsock_host *vh, const struct sockaddr_vm *addr);
struct sock *vsock_find_connected_socket(struct vsock_host *vh, const struct sockaddr_vm *src,
					 const struct sockaddr_vm *dst);
int vsock_assign_transport(struct vsock_sock *vsk, struct vsock_sock *psk);
struct sock *vsock_create_connected(struct sock *parent);
void vsock_enqueue_accept(struct sock *listener, struct sock *connected);
void vsock_data_ready(struct sock *sk);
void vsock_write_space(struct sock *sk);
int64_t vsock_stream_has_data(struct vsock_sock *vsk);
int64_t vsock_stream_has_space(struct vsock_sock *vsk);
void vsock_for_each_connected_socket(struct vsock_host *vh, const struct vsock_transport *t,
				     void (*fn)(struct sock *sk));
/* sk_state = @state, traced and reported to results (the kernel assigns the field). */
void vsock_set_state(struct sock *sk, int state);
const struct vsock_profile *vsock_profile_of(const struct sock *sk);
/* "vsock:3:1024" into @buf. */
void vsock_addr_format(const struct sockaddr_vm *a, char *buf, size_t len);
/* sock_rcvlowat(sk, 0, INT_MAX) */
int vsock_rcvlowat(const struct sock *sk);

static inline void vsock_ctr_inc(struct net *net, enum vsock_counter c)
{
	vsock_host_get(net)->ctr[c]++;
}

static inline void vsock_ctr_add(struct net *net, enum vsock_counter c, uint64_t n)
{
	vsock_host_get(net)->ctr[c] += n;
}

#endif
