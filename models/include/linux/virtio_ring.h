/* SPDX-License-Identifier: MIT */
/*
 * Split virtqueues (virtio spec split-ring.tex; include/uapi/linux/virtio_ring.h,
 * include/linux/virtio.h, drivers/virtio/virtio_ring.c).
 *
 * struct vring is the memory the driver and the device share: a descriptor
 * table, the available ring (written by the driver) and the used ring
 * (written by the device).  struct virtqueue is the driver's private state
 * around it (free list, shadows, per-head tokens); the device's private state
 * is struct vhost_virtqueue (models/drivers/vhost/vhost.h).
 *
 * Model conventions: descriptors carry lengths, not memory.  desc_state[head].data
 * is the token the driver attached to a chain (a struct virtio_vsock_pkt); the
 * device reading or writing the chain's buffers is modelled by the device
 * using that token (see vhost_vq_buf()).
 */
#ifndef MODELS_LINUX_VIRTIO_RING_H
#define MODELS_LINUX_VIRTIO_RING_H

#include <stdbool.h>
#include <stdint.h>

/* include/uapi/linux/virtio_ring.h */
#define VRING_DESC_F_NEXT	1
#define VRING_DESC_F_WRITE	2
#define VRING_DESC_F_INDIRECT	4
#define VRING_USED_F_NO_NOTIFY	1
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VIRTIO_RING_F_INDIRECT_DESC 28
#define VIRTIO_RING_F_EVENT_IDX	29
#define VIRTQUEUE_MAX_SIZE	32768	/* the spec's limit for split rings */

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_used_elem {
	uint32_t id;		/* head of the chain */
	uint32_t len;		/* bytes the device wrote into it */
};

struct vring {
	unsigned int num;
	struct vring_desc *desc;
	/* available ring */
	uint16_t avail_flags;
	uint16_t avail_idx;
	uint16_t *avail_ring;
	uint16_t used_event;	/* at avail->ring[num], with EVENT_IDX */
	/* used ring */
	uint16_t used_flags;
	uint16_t used_idx;
	struct vring_used_elem *used_ring;
	uint16_t avail_event;	/* at used->ring[num], with EVENT_IDX */
};

/* include/uapi/linux/virtio_ring.h:vring_need_event() */
static inline bool vring_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old);
}

struct vring_desc_state {
	void *data;			/* the driver's token; NULL: not a head in use */
	struct vring_desc *indir_desc;	/* the indirect table, or NULL */
	unsigned int nsg;		/* scatter-gather entries of the chain */
};

struct virtqueue;
typedef void (*vq_callback_t)(struct virtqueue *vq);
typedef bool (*vq_notify_t)(struct virtqueue *vq);

/* include/linux/virtio.h:struct virtqueue + virtio_ring.c:struct vring_virtqueue */
struct virtqueue {
	const char *name;		/* "rx", "tx", "event" */
	unsigned int index;
	struct vring vring;
	struct vring_desc_state *desc_state;
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool event;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool broken;
	bool event_triggered;
	unsigned int num_free;
	uint16_t free_head;
	uint16_t avail_idx_shadow;
	uint16_t avail_flags_shadow;
	uint16_t last_used_idx;
	unsigned int num_added;
	uint64_t next_addr;		/* a made-up guest-physical address per buffer */
	vq_callback_t callback;		/* the interrupt handler (e.g. virtio_vsock_rx_done) */
	vq_notify_t notify;		/* the notify register write (a kick) */
	void *priv;
	/* statistics, for traces and results */
	uint64_t n_kicks;		/* notifications actually written */
	uint64_t n_kicks_suppressed;	/* kick_prepare said no (EVENT_IDX / NO_NOTIFY) */
};

/*
 * Models: drivers/virtio/virtio_ring.c:vring_create_virtqueue_split() @ v6.18
 * @num a power of 2.
 */
struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num, bool indirect,
					 bool event_idx, const char *name,
					 vq_callback_t callback, vq_notify_t notify, void *priv);
void vring_del_virtqueue(struct virtqueue *vq);

/* Models: drivers/virtio/virtio_ring.c:virtqueue_add_sgs() @ v6.18 — one chain of
 * @out device-readable then @in device-writable buffers; 0 or -ENOSPC/-EIO. */
int virtqueue_add_sgs(struct virtqueue *vq, const uint32_t *out_lens, unsigned int out,
		      const uint32_t *in_lens, unsigned int in, void *data);
/* Descriptors virtqueue_add_sgs() would take for @total_sg entries (1 with indirect). */
unsigned int virtqueue_descs_needed(const struct virtqueue *vq, unsigned int total_sg);
bool virtqueue_kick_prepare(struct virtqueue *vq);
bool virtqueue_notify(struct virtqueue *vq);
/*
 * Models: drivers/virtio/virtio_ring.c:virtqueue_kick() @ v6.18
 * prepare + notify; true if a notification was sent.
 */
bool virtqueue_kick(struct virtqueue *vq);
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len);
void virtqueue_disable_cb(struct virtqueue *vq);
/* False if more used buffers arrived meanwhile (the caller loops again). */
bool virtqueue_enable_cb(struct virtqueue *vq);
void *virtqueue_detach_unused_buf(struct virtqueue *vq);
unsigned int virtqueue_get_vring_size(const struct virtqueue *vq);
bool virtqueue_more_used(const struct virtqueue *vq);
/*
 * Models: drivers/virtio/virtio_ring.c:vring_interrupt() @ v6.18
 * the device's interrupt arrived.
 */
void vring_interrupt(struct virtqueue *vq);

/* Descriptors in use (num - num_free). */
static inline unsigned int virtqueue_in_use(const struct virtqueue *vq)
{
	return vq->vring.num - vq->num_free;
}

/*
 * Not kernel code: check the driver's bookkeeping — the free list holds
 * exactly num_free distinct descriptors, none of them inside a chain in use,
 * and every descriptor is either free or in exactly one chain.  Appends a
 * message to @err (a GString) and returns false on the first violation.
 */
typedef struct _GString GString;
bool virtqueue_check(const struct virtqueue *vq, GString *err);

#endif
