/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: one virtio-vsock device as its two drivers see it -- the
 * guest's (net/vmw_vsock/virtio_transport.c) and the host's vhost instance
 * (drivers/vhost/vsock.c).  What lies between them (VM exits, interrupt
 * injection, the VMM's event queue, the scenario's vsock faults) is the
 * environment's (env/vsock.c): it plugs in through struct vsock_device_ops.
 * Also the packet objects both drivers pass around, with the accounting the
 * end-of-run invariants check (what kmemleak would find).
 */
#ifndef MODELS_NET_VSOCK_DEVICE_H
#define MODELS_NET_VSOCK_DEVICE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/vhost/vhost.h"
#include "linux/virtio_vsock.h"
#include "net/net_namespace.h"

/* The timing and shape of one device.  Defaults: vsock_dev_params_init() (env). */
struct vsock_dev_params {
	unsigned int rx_queue, tx_queue, event_queue;	/* ring sizes (QEMU: 128) */
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	sim_time_t kick;		/* guest notify -> vhost handler queued (VM exit + ioeventfd) */
	sim_time_t irq;			/* vhost_signal -> guest vring_interrupt (irqfd + injection) */
	sim_time_t wake;		/* an idle vhost worker starts running */
	sim_time_t wq;			/* guest queue_work -> the work item runs */
	sim_time_t pkt_cost;		/* vhost time per packet (descriptor handling) */
	uint64_t copy_bw;		/* vhost copy bandwidth, bytes per second (0: free) */
};

struct vsock_device;

/* The environment's side of a device (every hook is required). */
struct vsock_device_ops {
	/* The guest wrote the notify register of queue @idx (a kick). */
	void (*notify)(struct vsock_device *dev, int idx);
	/* vhost_signal() decided to interrupt the guest for queue @idx. */
	void (*interrupt)(struct vsock_device *dev, int idx);
	/* Faults on the device path (each firing is traced as fault_fire). */
	bool (*fault_drop)(struct vsock_device *dev, struct net *from,
			   const struct virtio_vsock_pkt *pkt);
	sim_time_t (*fault_delay)(struct vsock_device *dev, struct net *from,
				  const struct virtio_vsock_pkt *pkt);
	/* The end of a freeze window covering now, or 0. */
	sim_time_t (*frozen_until)(struct vsock_device *dev);
	bool (*rx_starved)(struct vsock_device *dev);
};

struct vsock_device {
	const struct vsock_device_ops *ops;
	char *label;			/* the guest's host name */
	struct net *guest, *hyp;
	uint32_t guest_cid;
	struct vsock_dev_params params;
	struct virtio_vsock *drv;	/* guest driver */
	struct vhost_vsock *vhost;	/* host device */
	struct vhost_virtqueue event_vq;	/* the VMM's (QEMU's) side of the event queue */
};

/* Packet objects and messages of one simulation (struct kernel_shared). */
struct vsock_pkt_acct {
	uint64_t next_pkt_id;
	uint64_t pkt_objects;		/* allocated minus freed */
	uint64_t live_msgs;		/* messages neither delivered, dropped nor cancelled */
	uint64_t sent[VIRTIO_VSOCK_OP_MAX];
	uint64_t delivered[VIRTIO_VSOCK_OP_MAX];
	uint64_t dropped[VIRTIO_VSOCK_OP_MAX];
	uint64_t cancelled[VIRTIO_VSOCK_OP_MAX];
	bool tearing_down;		/* frees no longer count as vanished */
	uint64_t vanished;		/* freed while still carrying a message */
	uint64_t first_vanished;
	uint64_t double_fate;
	GPtrArray *retired;		/* struct virtio_vsock_sock * of destructed sockets */
};

struct vsock_pkt_acct *vsock_pkt_acct_get(struct kernel_shared *ks);
void vsock_pkt_acct_free(struct vsock_pkt_acct *a);
/* Keep a destructed socket's transport state until the simulation ends. */
void vsock_retire_trans(struct net *net, struct virtio_vsock_sock *vvs);
/* Free a transport state and the packets queued on it. */
void virtio_vsock_sock_free(struct virtio_vsock_sock *vvs);

struct virtio_vsock_pkt *vsock_pkt_alloc(struct net *net);
/* A packet object that carries a new message (counted as sent). */
void vsock_pkt_msg_start(struct virtio_vsock_pkt *pkt);
enum vsock_msg_fate { MSG_DELIVERED, MSG_DROPPED, MSG_CANCELLED };
/* The message ends: delivered to recv_pkt, dropped, or cancelled. */
void vsock_pkt_msg_end(struct virtio_vsock_pkt *pkt, enum vsock_msg_fate fate);
/* Move the message from @from to the copy @to (vhost copies guest memory). */
void vsock_pkt_msg_move(struct virtio_vsock_pkt *from, struct virtio_vsock_pkt *to);
void vsock_pkt_free(struct virtio_vsock_pkt *pkt);
/* "pkt#7 op=RW src=3:1024 dst=2:1234 len=4096 ..." detail tokens. */
char *vsock_pkt_describe(const struct virtio_vsock_pkt *pkt);

/* Time the vhost worker spends on one packet of @bytes payload. */
sim_time_t vsock_pkt_cost(const struct vsock_device *dev, uint32_t bytes);

/* Trace "@event" on @net for @vq with its occupancy. */
void vsock_trace_vq(struct vsock_device *dev, struct net *net, int idx, const char *event,
		    const char *func, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

#endif
