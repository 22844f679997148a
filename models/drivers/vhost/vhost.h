/* SPDX-License-Identifier: MIT */
/*
 * The device side of a split virtqueue, as vhost runs it: drivers/vhost/vhost.h.
 * A vhost_virtqueue reads the available ring and writes the used ring of the
 * struct vring its guest driver created.
 */
#ifndef MODELS_DRIVERS_VHOST_VHOST_H
#define MODELS_DRIVERS_VHOST_VHOST_H

#include <stdbool.h>
#include <stdint.h>

#include "linux/virtio_ring.h"
#include "sim/event.h"
#include "sim/time.h"

struct sim;

struct vhost_virtqueue {
	struct virtqueue *gvq;		/* the guest driver's queue: the shared vring lives there */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	uint16_t last_avail_idx;	/* next available entry to take */
	uint16_t avail_idx;		/* last value read from avail->idx */
	uint16_t last_used_idx;		/* next used entry to write */
	uint16_t signalled_used;	/* used index at the last interrupt */
	bool signalled_used_valid;
	uint64_t n_signals;		/* interrupts raised */
	uint64_t n_signals_suppressed;	/* vhost_notify said no */
};

/* What vhost_get_vq_desc() learnt about one chain. */
struct vhost_desc_chain {
	unsigned int head;
	unsigned int out_num, in_num;	/* device-readable / device-writable entries */
	uint32_t out_len, in_len;	/* their total bytes */
};

void vhost_vq_init(struct vhost_virtqueue *vq, struct virtqueue *gvq);
/* Models: drivers/vhost/vhost.c:vhost_get_vq_desc() @ v6.18 — the next chain, or
 * vring num ("nothing available"). */
unsigned int vhost_get_vq_desc(struct vhost_virtqueue *vq, struct vhost_desc_chain *chain);
/*
 * Models: drivers/vhost/vhost.c:vhost_discard_vq_desc() @ v6.18
 * give back @n chains not consumed.
 */
void vhost_discard_vq_desc(struct vhost_virtqueue *vq, unsigned int n);
/* Models: drivers/vhost/vhost.c:vhost_add_used() @ v6.18 */
void vhost_add_used(struct vhost_virtqueue *vq, unsigned int head, uint32_t len);
/* Models: drivers/vhost/vhost.c:vhost_notify() @ v6.18 — should the guest be interrupted now? */
bool vhost_notify(struct vhost_virtqueue *vq);
/*
 * Models: drivers/vhost/vhost.c:vhost_enable_notify() @ v6.18
 * true if new buffers arrived meanwhile.
 */
bool vhost_enable_notify(struct vhost_virtqueue *vq);
/* Models: drivers/vhost/vhost.c:vhost_disable_notify() @ v6.18 */
void vhost_disable_notify(struct vhost_virtqueue *vq);
/* Not kernel code: the guest memory behind @head (the driver's token). */
void *vhost_vq_buf(const struct vhost_virtqueue *vq, unsigned int head);
/* Chains the guest made available that the device has not taken yet. */
unsigned int vhost_vq_avail_pending(const struct vhost_virtqueue *vq);

/*
 * The vhost worker (drivers/vhost/vhost.c:vhost_worker, vhost_work_queue,
 * vhost_poll_queue): one thread per device running queued work items in
 * FIFO order.  A handler runs as a sequence of steps, one packet each, so
 * that per-packet costs spread its effects in time: fn() does one step,
 * reports the worker time it took in *cost and returns true to be called
 * again (the handler's loop) or false when the handler returns.
 */
struct vhost_work {
	struct vhost_work *next;
	bool queued;			/* VHOST_WORK_QUEUED */
	const char *name;
	bool (*fn)(struct vhost_work *work, sim_time_t *cost);
};

struct vhost_dev {
	struct sim *sim;
	struct vhost_work *head, *tail;	/* work_list */
	struct vhost_work *running;	/* the handler between its steps */
	struct sim_event ev;		/* the worker's next step */
	sim_time_t busy_until;		/* the worker is running until then */
	sim_time_t wake;		/* an idle worker starts after this */
	/* A fault hook: the end of a freeze window covering now, else 0. */
	sim_time_t (*frozen_until)(struct vhost_dev *d);
	void (*trace)(struct vhost_dev *d, const char *what, sim_time_t until);
	void *priv;
};

void vhost_dev_init(struct vhost_dev *d, struct sim *sim, sim_time_t wake, void *priv);
/* Models: drivers/vhost/vhost.c:vhost_vq_work_queue() @ v6.18 / vhost_poll_queue() */
bool vhost_work_queue(struct vhost_dev *d, struct vhost_work *w);

/*
 * Not kernel code: every head the driver has in use is exactly once either
 * waiting in the available ring or returned in the used ring (not yet
 * reclaimed).  Appends to @err and returns false on a violation.
 */
bool vhost_vq_check(const struct vhost_virtqueue *vq, GString *err);

#endif
