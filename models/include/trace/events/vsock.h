/* SPDX-License-Identifier: MIT */
/* AF_VSOCK and virtio-vsock probes (the kernel's include/trace/events/vsock_virtio_transport_common.h role). */
#ifndef MODELS_TRACE_EVENTS_VSOCK_H
#define MODELS_TRACE_EVENTS_VSOCK_H

#include "net/af_vsock.h"
#include "net/vsock_device.h"
#include "trace/events.h"

/* The connection's credit counters (tx_cnt, fwd_cnt, buf_alloc, ...) changed. */
static inline void trace_vsock_credit(struct vsock_sock *vsk)
{
	TRACE_EMIT(sock_net(&vsk->sk)->ks, vsock_credit, vsk);
}

/* sendmsg queued @sent / recvmsg copied @received bytes. */
static inline void trace_vsock_bytes(struct vsock_sock *vsk, uint64_t sent, uint64_t received)
{
	TRACE_EMIT(sock_net(&vsk->sk)->ks, vsock_bytes, vsk, sent, received);
}

/* A sender starts (@waiting) or stops waiting for credit. */
static inline void trace_vsock_send_wait(struct vsock_sock *vsk, bool waiting)
{
	TRACE_EMIT(sock_net(&vsk->sk)->ks, vsock_send_wait, vsk, waiting);
}

/* Virtqueue @vq (VSOCK_VQ_*) of @dev changed occupancy. */
static inline void trace_vsock_ring(struct vsock_device *dev, int vq)
{
	TRACE_EMIT(dev->guest->ks, vsock_ring, dev, vq);
}

/* @from's transport hands @pkt to its send_pkt (the tracepoint
 * virtio_transport_alloc_pkt's place); @to's transport receives @pkt in
 * virtio_transport_recv_pkt. */
static inline void trace_vsock_pkt_xmit(struct net *from, const struct virtio_vsock_pkt *pkt)
{
	TRACE_EMIT(from->ks, vsock_pkt_xmit, from, pkt);
}

static inline void trace_vsock_pkt_rcv(struct net *to, const struct virtio_vsock_pkt *pkt)
{
	TRACE_EMIT(to->ks, vsock_pkt_rcv, to, pkt);
}

static inline void trace_vsock_dev_pkt(struct net *from, const struct vsock_device *dev,
				       const struct virtio_vsock_hdr *hdr, const char *drop)
{
	TRACE_EMIT(from->ks, vsock_dev_pkt, from, dev, hdr, drop);
}

#endif
