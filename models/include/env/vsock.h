/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the virtio-vsock world around the kernel models.  A
 * struct vsock_device joins a guest (virtio_transport.c, the guest driver)
 * and its host (drivers/vhost/vsock.c, one vhost instance): the vrings they
 * share, the timing knobs of the path between them (VM exits, interrupt
 * injection, worker wake-ups, copies), the vsock fault rules, packet
 * accounting for the invariants, and the samples the results report.
 */
#ifndef MODELS_ENV_VSOCK_H
#define MODELS_ENV_VSOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/vhost/vhost.h"
#include "env/world.h"
#include "linux/virtio_vsock.h"

/* Per-host counters (not /proc: socksim's own, named Vsock*). */
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

/* The timing and shape of one device.  Defaults: vsock_dev_params_init(). */
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

void vsock_dev_params_init(struct vsock_dev_params *p);

/* A knob: name, default text, unit, source, meaning (for `socksim list-params`). */
struct vsock_knob {
	const char *name, *def, *unit, *source, *doc;
};
extern const struct vsock_knob vsock_knobs[];

/* One virtqueue per results interval (the scenario's `sample interval=`). */
struct vq_sample {
	sim_time_t t;			/* start of the interval */
	unsigned int in_use;		/* descriptors in use (num - num_free) */
	unsigned int avail_pending;	/* made available, not yet taken by the device */
	unsigned int used_pending;	/* returned by the device, not yet reclaimed */
	unsigned int max_in_use;	/* highest in_use within the interval */
};

struct vsock_device {
	struct world *world;
	char *label;			/* the guest's host name */
	struct host *guest, *hyp;
	uint32_t guest_cid;
	struct vsock_dev_params params;
	struct virtio_vsock *drv;	/* guest driver */
	struct vhost_vsock *vhost;	/* host device */
	struct vhost_virtqueue event_vq;	/* the VMM's (QEMU's) side of the event queue */
	GArray *vq_samples[VSOCK_VQ_MAX];
};

enum vsock_fault_kind {
	VSOCK_FAULT_FREEZE,		/* vhost worker frozen during a window */
	VSOCK_FAULT_RX_STARVE,		/* guest rx_fill gets no buffers during a window */
	VSOCK_FAULT_DROP,		/* packets lost on the device path */
	VSOCK_FAULT_DELAY,		/* extra time per packet on the device path */
	VSOCK_FAULT_RESET,		/* VIRTIO_VSOCK_EVENT_TRANSPORT_RESET at a time */
};

struct vsock_fault {
	struct world *world;
	enum vsock_fault_kind kind;
	char *label;			/* "fault@12:vsock-freeze" */
	int dev;			/* device index, -1: any */
	struct host *from;		/* DROP/DELAY: sender's host, NULL: any */
	uint32_t op_mask;		/* 1 << VIRTIO_VSOCK_OP_*; 0: any */
	bool has_during;
	sim_time_t t_lo, t_hi;
	sim_time_t at;			/* RESET */
	sim_time_t extra;		/* DELAY */
	uint64_t nth, count;		/* DROP */
	uint64_t matched, fired;
};

struct vsock_world {
	struct world *world;
	GPtrArray *devices;		/* struct vsock_device *, declaration order */
	GPtrArray *faults;		/* struct vsock_fault *, declaration order */
	uint64_t next_pkt_id;
	uint64_t pkt_objects;		/* allocated minus freed */
	uint64_t live_msgs;		/* messages neither delivered, dropped nor cancelled */
	uint64_t sent[VIRTIO_VSOCK_OP_MAX];
	uint64_t delivered[VIRTIO_VSOCK_OP_MAX];
	uint64_t dropped[VIRTIO_VSOCK_OP_MAX];
	uint64_t cancelled[VIRTIO_VSOCK_OP_MAX];
	bool tearing_down;
	uint64_t vanished;		/* freed while still carrying a message */
	uint64_t first_vanished;
	uint64_t double_fate;
	GPtrArray *socks;		/* every vsock_sock, creation order (results) */
	GPtrArray *retired;		/* struct virtio_vsock_sock * of destructed sockets */
};

struct vsock_world *vsock_world_get(struct world *w);
void vsock_world_free(struct vsock_world *vw);
struct vsock_device *vsock_device_add(struct world *w, struct host *guest, struct host *hyp,
				      uint32_t guest_cid, const struct vsock_dev_params *p);
/* Start every device (driver probe + vhost start) once all are declared. */
void vsock_world_start(struct world *w);
/* The guest wrote the notify register of queue @idx (a kick). */
void vsock_device_notify(struct vsock_device *dev, int idx);
/* vhost_signal() decided to interrupt the guest for queue @idx. */
void vsock_device_interrupt(struct vsock_device *dev, int idx);
/* Keep a destructed socket's transport state until the world ends. */
void vsock_world_retire_trans(struct world *w, struct virtio_vsock_sock *vvs);

static inline void vsock_ctr_inc(struct host *h, enum vsock_counter c)
{
	vsock_host_get(h)->ctr[c]++;
}

static inline void vsock_ctr_add(struct host *h, enum vsock_counter c, uint64_t n)
{
	vsock_host_get(h)->ctr[c] += n;
}

/* Packets. */
struct virtio_vsock_pkt *vsock_pkt_alloc(struct world *w);
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

/* Faults on the device path.  Each firing is traced as fault_fire. */
bool vsock_fault_drop(struct vsock_device *dev, struct host *from,
		      const struct virtio_vsock_pkt *pkt);
sim_time_t vsock_fault_delay(struct vsock_device *dev, struct host *from,
			     const struct virtio_vsock_pkt *pkt);
/* The end of a freeze window covering now, or 0. */
sim_time_t vsock_fault_frozen_until(struct vsock_device *dev);
bool vsock_fault_rx_starved(struct vsock_device *dev);

/*
 * observer hook: a packet passing the device (vhost), for capture files;
 * @drop is why it goes no further (a fault rule's label), NULL if it does.
 */
void vsock_tap(struct vsock_device *dev, bool to_guest, const struct virtio_vsock_hdr *hdr,
	       const char *drop);
/* observer hook: a packet of @from's transport dropped before any device. */
void vsock_tap_nodev(struct host *from, const struct virtio_vsock_hdr *hdr, const char *drop);

/* Time the vhost worker spends on one packet of @bytes payload. */
sim_time_t vsock_pkt_cost(const struct vsock_device *dev, uint32_t bytes);

/* Results samples of a virtqueue (index VSOCK_VQ_*). */
void vsock_sample_vq(struct vsock_device *dev, int idx);

/* Trace "@event" for @vq with its occupancy. */
void vsock_trace_vq(struct vsock_device *dev, struct host *h, int idx, const char *event,
		    const char *func, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* End-of-run invariants: credit counters, descriptors, packets. */
bool vsock_world_check(struct world *w, GString *err);

#endif
