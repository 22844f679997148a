/* SPDX-License-Identifier: MIT */
/*
 * The driver side of a split virtqueue.  Models: drivers/virtio/virtio_ring.c
 * @ v6.18 (split ring only; no packed ring, no DMA mapping, no in-order).
 * Buffers are lengths; a chain's token stands for the memory it points to.
 */
#include "linux/virtio_ring.h"

#include <glib.h>

#include "linux/errno_names.h"

/* Models: drivers/virtio/virtio_ring.c:vring_create_virtqueue_split() @ v6.18 */
struct virtqueue *vring_create_virtqueue(unsigned int index, unsigned int num, bool indirect,
					 bool event_idx, const char *name,
					 vq_callback_t callback, vq_notify_t notify, void *priv)
{
	struct virtqueue *vq;

	g_return_val_if_fail(num >= 1 && num <= VIRTQUEUE_MAX_SIZE && (num & (num - 1)) == 0, NULL);
	vq = g_new0(struct virtqueue, 1);
	vq->name = name;
	vq->index = index;
	vq->vring.num = num;
	vq->vring.desc = g_new0(struct vring_desc, num);
	vq->vring.avail_ring = g_new0(uint16_t, num);
	vq->vring.used_ring = g_new0(struct vring_used_elem, num);
	vq->desc_state = g_new0(struct vring_desc_state, num);
	vq->indirect = indirect;
	vq->event = event_idx;
	vq->callback = callback;
	vq->notify = notify;
	vq->priv = priv;
	vq->next_addr = 0x100000;
	/* Put everything in the free list (virtqueue_init / vring_alloc_queue_split). */
	vq->num_free = num;
	vq->free_head = 0;
	for (unsigned int i = 0; i + 1 < num; i++)
		vq->vring.desc[i].next = (uint16_t)(i + 1);
	return vq;
}

void vring_del_virtqueue(struct virtqueue *vq)
{
	if (!vq)
		return;
	for (unsigned int i = 0; i < vq->vring.num; i++)
		g_free(vq->desc_state[i].indir_desc);
	g_free(vq->desc_state);
	g_free(vq->vring.desc);
	g_free(vq->vring.avail_ring);
	g_free(vq->vring.used_ring);
	g_free(vq);
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_use_indirect() @ v6.18 */
static bool virtqueue_use_indirect(const struct virtqueue *vq, unsigned int total_sg)
{
	return vq->indirect && total_sg > 1 && vq->num_free;
}

unsigned int virtqueue_descs_needed(const struct virtqueue *vq, unsigned int total_sg)
{
	return virtqueue_use_indirect(vq, total_sg) ? 1 : total_sg;
}

static void fill_desc(struct virtqueue *vq, struct vring_desc *d, uint32_t len, uint16_t flags)
{
	d->addr = vq->next_addr;
	vq->next_addr += 0x1000;
	d->len = len;
	d->flags = flags;
}

/*
 * Models: drivers/virtio/virtio_ring.c:virtqueue_add_split() @ v6.18.  Without room
 * for the chain, a request with device-readable parts notifies the device
 * before failing ("host should service the ring ASAP"), then -ENOSPC.
 */
int virtqueue_add_sgs(struct virtqueue *vq, const uint32_t *out_lens, unsigned int out,
		      const uint32_t *in_lens, unsigned int in, void *data)
{
	unsigned int total_sg = out + in;
	bool indirect;
	unsigned int descs_used;
	uint16_t head, i, prev = 0;
	struct vring_desc *table;

	g_return_val_if_fail(data && total_sg > 0, -SIM_EINVAL);
	if (vq->broken)
		return -SIM_EIO;
	indirect = virtqueue_use_indirect(vq, total_sg);
	descs_used = indirect ? 1 : total_sg;
	if (vq->num_free < descs_used) {
		if (out && vq->notify)
			vq->notify(vq);
		return -SIM_ENOSPC;
	}
	head = vq->free_head;
	if (indirect) {
		table = g_new0(struct vring_desc, total_sg);
		for (unsigned int n = 0; n < total_sg; n++) {
			uint16_t fl = n < out ? 0 : VRING_DESC_F_WRITE;

			if (n + 1 < total_sg) {
				fl |= VRING_DESC_F_NEXT;
				table[n].next = (uint16_t)(n + 1);
			}
			fill_desc(vq, &table[n], n < out ? out_lens[n] : in_lens[n - out], fl);
		}
		fill_desc(vq, &vq->vring.desc[head], total_sg * (uint32_t)sizeof(struct vring_desc),
			  VRING_DESC_F_INDIRECT);
		vq->free_head = vq->vring.desc[head].next;
		vq->desc_state[head].indir_desc = table;
	} else {
		i = head;
		for (unsigned int n = 0; n < total_sg; n++) {
			uint16_t fl = n < out ? 0 : VRING_DESC_F_WRITE;

			fill_desc(vq, &vq->vring.desc[i], n < out ? out_lens[n] : in_lens[n - out],
				  (uint16_t)(fl | VRING_DESC_F_NEXT));
			prev = i;
			i = vq->vring.desc[i].next;
		}
		vq->vring.desc[prev].flags &= (uint16_t)~VRING_DESC_F_NEXT;
		vq->free_head = i;
	}
	vq->num_free -= descs_used;
	vq->desc_state[head].data = data;
	vq->desc_state[head].nsg = total_sg;
	/* Put the head in the available ring, then publish the new index. */
	vq->vring.avail_ring[vq->avail_idx_shadow & (vq->vring.num - 1)] = head;
	vq->avail_idx_shadow++;
	vq->vring.avail_idx = vq->avail_idx_shadow;
	vq->num_added++;
	return 0;
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_kick_prepare_split() @ v6.18 */
bool virtqueue_kick_prepare(struct virtqueue *vq)
{
	uint16_t new_idx = vq->avail_idx_shadow;
	uint16_t old = (uint16_t)(new_idx - vq->num_added);
	bool needs_kick;

	vq->num_added = 0;
	if (vq->event)
		needs_kick = vring_need_event(vq->vring.avail_event, new_idx, old);
	else
		needs_kick = !(vq->vring.used_flags & VRING_USED_F_NO_NOTIFY);
	if (!needs_kick)
		vq->n_kicks_suppressed++;
	return needs_kick;
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_notify() @ v6.18 */
bool virtqueue_notify(struct virtqueue *vq)
{
	if (vq->broken)
		return false;
	vq->n_kicks++;
	if (vq->notify && !vq->notify(vq)) {
		vq->broken = true;
		return false;
	}
	return true;
}

bool virtqueue_kick(struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq))
		return virtqueue_notify(vq);
	return false;
}

/* Models: drivers/virtio/virtio_ring.c:detach_buf_split() @ v6.18 */
static void detach_buf_split(struct virtqueue *vq, uint16_t head)
{
	struct vring_desc_state *st = &vq->desc_state[head];
	uint16_t i = head;

	st->data = NULL;
	vq->num_free++;
	while (vq->vring.desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->vring.desc[i].next;
		vq->num_free++;
	}
	vq->vring.desc[i].next = vq->free_head;
	vq->free_head = head;
	g_free(st->indir_desc);
	st->indir_desc = NULL;
	st->nsg = 0;
}

bool virtqueue_more_used(const struct virtqueue *vq)
{
	return vq->last_used_idx != vq->vring.used_idx;
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_get_buf_ctx_split() @ v6.18 */
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len)
{
	uint16_t last_used;
	uint32_t i;
	void *ret;

	if (vq->broken || !virtqueue_more_used(vq))
		return NULL;
	last_used = vq->last_used_idx & (uint16_t)(vq->vring.num - 1);
	i = vq->vring.used_ring[last_used].id;
	*len = vq->vring.used_ring[last_used].len;
	if (i >= vq->vring.num || !vq->desc_state[i].data) {
		/* BAD_RING: "id %u is not a head!" */
		vq->broken = true;
		return NULL;
	}
	ret = vq->desc_state[i].data;
	detach_buf_split(vq, (uint16_t)i);
	vq->last_used_idx++;
	/* Expecting an interrupt for the next entry: publish the event index. */
	if (!(vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT))
		vq->vring.used_event = vq->last_used_idx;
	return ret;
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_disable_cb_split() @ v6.18 */
void virtqueue_disable_cb(struct virtqueue *vq)
{
	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	vq->avail_flags_shadow |= VRING_AVAIL_F_NO_INTERRUPT;
	/* The device already raised an event: it will not raise another. */
	if (vq->event_triggered)
		return;
	if (vq->event)
		vq->vring.used_event = 0;	/* the kernel's "hack" value */
	else
		vq->vring.avail_flags = vq->avail_flags_shadow;
}

/*
 * Models: drivers/virtio/virtio_ring.c:virtqueue_enable_cb() @ v6.18
 * = virtqueue_enable_cb_prepare_split() +
 * virtqueue_poll_split(): turn interrupts back on, then report whether used
 * buffers slipped in meanwhile.
 */
bool virtqueue_enable_cb(struct virtqueue *vq)
{
	vq->event_triggered = false;
	if (vq->avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT) {
		vq->avail_flags_shadow &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
		if (!vq->event)
			vq->vring.avail_flags = vq->avail_flags_shadow;
	}
	vq->vring.used_event = vq->last_used_idx;
	return !virtqueue_more_used(vq);
}

/* Models: drivers/virtio/virtio_ring.c:virtqueue_detach_unused_buf_split() @ v6.18 */
void *virtqueue_detach_unused_buf(struct virtqueue *vq)
{
	for (unsigned int i = 0; i < vq->vring.num; i++) {
		void *buf = vq->desc_state[i].data;

		if (!buf)
			continue;
		detach_buf_split(vq, (uint16_t)i);
		vq->avail_idx_shadow--;
		vq->vring.avail_idx = vq->avail_idx_shadow;
		return buf;
	}
	return NULL;
}

unsigned int virtqueue_get_vring_size(const struct virtqueue *vq)
{
	return vq->vring.num;
}

/* Models: drivers/virtio/virtio_ring.c:vring_interrupt() @ v6.18 */
void vring_interrupt(struct virtqueue *vq)
{
	if (!virtqueue_more_used(vq) || vq->broken)
		return;		/* IRQ_NONE */
	if (vq->event)
		vq->event_triggered = true;
	if (vq->callback)
		vq->callback(vq);
}

bool virtqueue_check(const struct virtqueue *vq, GString *err)
{
	unsigned int num = vq->vring.num;
	g_autofree unsigned char *owner = g_new0(unsigned char, num);	/* 0 free-unknown, 1 free, 2 chain */
	unsigned int in_chains = 0;
	uint16_t i = vq->free_head;

	for (unsigned int n = 0; n < vq->num_free; n++) {
		if (i >= num || owner[i]) {
			g_string_append_printf(err, "vq %s: free list broken at entry %u (descriptor %u)",
					       vq->name, n, i);
			return false;
		}
		owner[i] = 1;
		i = vq->vring.desc[i].next;
	}
	for (unsigned int h = 0; h < num; h++) {
		if (!vq->desc_state[h].data)
			continue;
		for (uint16_t d = (uint16_t)h;; d = vq->vring.desc[d].next) {
			if (owner[d]) {
				g_string_append_printf(err, "vq %s: descriptor %u is %s and in the chain of head %u",
						       vq->name, d, owner[d] == 1 ? "free" : "in another chain", h);
				return false;
			}
			owner[d] = 2;
			in_chains++;
			if (!(vq->vring.desc[d].flags & VRING_DESC_F_NEXT))
				break;
		}
	}
	if (in_chains + vq->num_free != num) {
		g_string_append_printf(err, "vq %s: %u descriptors lost (%u free + %u in chains of %u)",
				       vq->name, num - in_chains - vq->num_free, vq->num_free, in_chains, num);
		return false;
	}
	return true;
}
