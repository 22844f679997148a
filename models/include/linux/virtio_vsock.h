/* SPDX-License-Identifier: MIT */
/*
 * virtio-vsock transport internals shared by the guest driver and vhost:
 * include/linux/virtio_vsock.h.  Constants with their numeric values, the
 * packet object, the per-socket credit state (struct virtio_vsock_sock) and
 * struct virtio_transport (a vsock_transport plus send_pkt).
 */
#ifndef MODELS_LINUX_VIRTIO_VSOCK_H
#define MODELS_LINUX_VIRTIO_VSOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/af_vsock.h"
#include "sim/time.h"
#include "uapi/linux/virtio_vsock.h"

#define VIRTIO_VSOCK_MAX_BUF_SIZE	0xFFFFFFFFu	/* cap for buf_alloc (a u32) */
#define VIRTIO_VSOCK_MAX_PKT_BUF_SIZE	(1024 * 64)	/* max payload per packet (5.4+) */
#define VIRTIO_VSOCK_SKB_HEADROOM	44		/* sizeof(struct virtio_vsock_hdr) */
/*
 * Guest rx buffer.  6.x: SKB_WITH_OVERHEAD(4096), the whole buffer including
 * the header: 4096 - sizeof(struct skb_shared_info) rounded = 3776 on an
 * x86-64 default config (computed from include/linux/skbuff.h, not read from a build).
 * 5.0: a 44-byte header buffer plus a separate 4096-byte payload buffer.
 */
#define VIRTIO_VSOCK_DEFAULT_RX_BUF_SIZE_6X	3776
#define VIRTIO_VSOCK_DEFAULT_RX_BUF_SIZE_5_0	4096
#define VSOCK_CLOSE_TIMEOUT_SEC		8		/* 8 * HZ */
#define GOOD_COPY_LEN			128		/* small-packet merge threshold */

enum { VSOCK_VQ_RX = 0, VSOCK_VQ_TX = 1, VSOCK_VQ_EVENT = 2, VSOCK_VQ_MAX = 3 };
#define VIRTIO_VSOCK_EVENT_BUFS		8		/* struct virtio_vsock.event_list[8] */

/* vhost-vsock (drivers/vhost/vsock.c) */
#define VHOST_VSOCK_DEFAULT_HOST_CID	2
#define VHOST_VSOCK_PKT_WEIGHT		256		/* packets per handler run */
#define VHOST_VSOCK_WEIGHT		0x80000		/* bytes per handler run */

/*
 * A packet.  5.0 calls it struct virtio_vsock_pkt (header + buffer + list
 * link); 6.2+ keeps the same fields in an sk_buff (header in the headroom,
 * offset in VIRTIO_VSOCK_SKB_CB).  No payload bytes are kept, only lengths.
 */
struct virtio_vsock_pkt {
	struct virtio_vsock_hdr hdr;
	uint64_t id;			/* pkt#N: the message it carries (copies keep it) */
	uint32_t len;			/* payload bytes in this buffer (skb->len) */
	uint32_t off;			/* bytes already consumed (reader) or sent (vhost) */
	uint32_t buf_len;		/* an rx buffer's capacity; 0 otherwise */
	bool reply;			/* virtio_vsock_skb_reply() */
	bool live_msg;			/* carries a message not yet delivered/dropped/cancelled */
	struct vsock_sock *owner;	/* skb->sk, for cancel_pkt */
	struct vsock_pkt_acct *acct;	/* the simulation's packet accounting */
};

/* Per-socket transport state: include/linux/virtio_vsock.h:struct virtio_vsock_sock. */
struct virtio_vsock_sock {
	struct vsock_sock *vsk;
	/* tx_lock */
	uint32_t tx_cnt;
	uint32_t peer_fwd_cnt;
	uint32_t peer_buf_alloc;
	uint64_t bytes_unsent;
	/* rx_lock */
	uint32_t fwd_cnt;
	uint32_t last_fwd_cnt;
	uint32_t rx_bytes;
	uint32_t buf_alloc;
	uint32_t buf_used;
	GQueue rx_queue;		/* struct virtio_vsock_pkt * */
	uint32_t msg_count;
};

/* include/linux/virtio_vsock.h:struct virtio_vsock_pkt_info */
struct virtio_vsock_pkt_info {
	uint32_t remote_cid, remote_port;
	struct vsock_sock *vsk;
	uint32_t pkt_len;
	uint16_t type;
	uint16_t op;
	uint32_t flags;
	bool reply;
};

struct virtio_transport;
typedef int (*virtio_send_pkt_t)(struct virtio_transport *t, struct virtio_vsock_pkt *pkt);

/* include/linux/virtio_vsock.h:struct virtio_transport — one per host and direction. */
struct virtio_transport {
	struct vsock_transport transport;	/* must be first */
	virtio_send_pkt_t send_pkt;
	struct net *net;
	void *dev;		/* struct virtio_vsock (guest) or struct vsock_host (vhost) */
};

static inline struct virtio_transport *to_virtio_transport(const struct vsock_transport *t)
{
	return (struct virtio_transport *)(void *)t;
}

/* ---- net/vmw_vsock/virtio_transport_common.c ---- */
/* Credit arithmetic (pure: the unit tests call these directly). */
int64_t virtio_transport_has_space(const struct virtio_vsock_sock *vvs,
				   const struct vsock_profile *p);
uint32_t virtio_transport_get_credit(struct virtio_vsock_sock *vvs, uint32_t want,
				     const struct vsock_profile *p);
void virtio_transport_put_credit(struct virtio_vsock_sock *vvs, uint32_t credit);
bool virtio_transport_inc_rx_pkt(struct virtio_vsock_sock *vvs, uint32_t len,
				 const struct vsock_profile *p);
void virtio_transport_dec_rx_pkt(struct virtio_vsock_sock *vvs, uint32_t bytes_read,
				 uint32_t bytes_dequeued);
/* Should a stream dequeue end with a CREDIT_UPDATE?  @rcvlowat is sock_rcvlowat(). */
bool virtio_transport_credit_update_due(const struct virtio_vsock_sock *vvs, int rcvlowat,
					const struct vsock_profile *p);
/* Payload bytes one packet may carry under @p. */
uint32_t virtio_transport_max_pkt_len(const struct vsock_profile *p);

void virtio_transport_recv_pkt(struct virtio_transport *t, struct virtio_vsock_pkt *pkt);
int virtio_transport_purge_pkts(struct vsock_sock *vsk, GQueue *queue);
void virtio_transport_inc_tx_pkt(struct virtio_vsock_sock *vvs, struct virtio_vsock_pkt *pkt);
void virtio_transport_consume_pkt_sent(struct virtio_vsock_pkt *pkt);
/* The transport ops both directions share (filled into each instance). */
void virtio_transport_common_ops(struct vsock_transport *t);

/* ---- net/vmw_vsock/virtio_transport.c (guest driver) ---- */
struct virtio_vsock;
struct vsock_device;
struct virtqueue;
struct virtio_vsock *virtio_vsock_probe(struct vsock_device *dev);
void virtio_vsock_vqs_start(struct virtio_vsock *vsock);
void virtio_vsock_free(struct virtio_vsock *vsock);
struct virtqueue *virtio_vsock_vq(struct virtio_vsock *vsock, int idx);
/* Counters / state for results and invariants. */
GQueue *virtio_vsock_send_queue(struct virtio_vsock *vsock);
GQueue *virtio_vsock_loopback_queue(struct virtio_vsock *vsock);
int virtio_vsock_queued_replies(const struct virtio_vsock *vsock);

/* ---- drivers/vhost/vsock.c ---- */
struct vhost_vsock;
struct vhost_vsock *vhost_vsock_dev_open(struct vsock_device *dev);
void vhost_vsock_free(struct vhost_vsock *v);
GQueue *vhost_vsock_send_queue(struct vhost_vsock *v);
struct vhost_virtqueue *vhost_vsock_vq(struct vhost_vsock *v, int idx);
/* The guest's rx queue got buffers (a kick on vq 0). */
void vhost_vsock_handle_rx_kick(struct vhost_vsock *v);
/* The guest's tx queue got packets (a kick on vq 1). */
void vhost_vsock_handle_tx_kick(struct vhost_vsock *v);
int vhost_vsock_queued_replies(const struct vhost_vsock *v);

#endif
