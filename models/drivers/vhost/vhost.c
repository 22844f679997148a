/* SPDX-License-Identifier: MIT */
/*
 * The vhost side of split virtqueues.  Models: drivers/vhost/vhost.c @ v6.18
 * (no IOTLB, no dirty logging; chains are read from the shared struct vring).
 */
#include "vhost.h"

#include <glib.h>

#include "sim/sim.h"

void vhost_vq_init(struct vhost_virtqueue *vq, struct virtqueue *gvq)
{
	*vq = (struct vhost_virtqueue){ .gvq = gvq, .event_idx = gvq->event };
}

static const struct vring *vr(const struct vhost_virtqueue *vq)
{
	return &vq->gvq->vring;
}

/*
 * Models: drivers/vhost/vhost.c:vhost_get_vq_desc() @ v6.18.  Reads avail->idx only
 * when the cached copy is used up, then walks the chain (through an indirect
 * table if the head says so).
 */
unsigned int vhost_get_vq_desc(struct vhost_virtqueue *vq, struct vhost_desc_chain *chain)
{
	const struct vring *r = vr(vq);
	const struct vring_desc *table;
	unsigned int num = r->num;
	uint16_t head, i;

	if (vq->last_avail_idx == vq->avail_idx) {
		vq->avail_idx = r->avail_idx;
		if (vq->last_avail_idx == vq->avail_idx)
			return num;
	}
	head = r->avail_ring[vq->last_avail_idx & (num - 1)];
	*chain = (struct vhost_desc_chain){ .head = head };
	table = r->desc;
	i = head;
	if (r->desc[head].flags & VRING_DESC_F_INDIRECT) {
		table = vq->gvq->desc_state[head].indir_desc;
		i = 0;
	}
	for (;;) {
		const struct vring_desc *d = &table[i];

		if (d->flags & VRING_DESC_F_WRITE) {
			chain->in_num++;
			chain->in_len += d->len;
		} else {
			chain->out_num++;
			chain->out_len += d->len;
		}
		if (!(d->flags & VRING_DESC_F_NEXT))
			break;
		i = d->next;
	}
	vq->last_avail_idx++;
	return head;
}

void vhost_discard_vq_desc(struct vhost_virtqueue *vq, unsigned int n)
{
	vq->last_avail_idx = (uint16_t)(vq->last_avail_idx - n);
}

/* Models: drivers/vhost/vhost.c:vhost_add_used() @ v6.18 -> vhost_add_used_n() */
void vhost_add_used(struct vhost_virtqueue *vq, unsigned int head, uint32_t len)
{
	struct vring *r = &vq->gvq->vring;

	r->used_ring[vq->last_used_idx & (r->num - 1)] =
		(struct vring_used_elem){ .id = head, .len = len };
	vq->last_used_idx++;
	r->used_idx = vq->last_used_idx;
}

/* Models: drivers/vhost/vhost.c:vhost_notify() @ v6.18 (no VIRTIO_F_NOTIFY_ON_EMPTY:
 * the Linux driver does not negotiate it). */
bool vhost_notify(struct vhost_virtqueue *vq)
{
	uint16_t old, new_idx;
	bool v;

	if (!vq->event_idx) {
		if (vr(vq)->avail_flags & VRING_AVAIL_F_NO_INTERRUPT) {
			vq->n_signals_suppressed++;
			return false;
		}
		vq->n_signals++;
		return true;
	}
	old = vq->signalled_used;
	v = vq->signalled_used_valid;
	new_idx = vq->signalled_used = vq->last_used_idx;
	vq->signalled_used_valid = true;
	if (!v || vring_need_event(vr(vq)->used_event, new_idx, old)) {
		vq->n_signals++;
		return true;
	}
	vq->n_signals_suppressed++;
	return false;
}

/* Models: drivers/vhost/vhost.c:vhost_enable_notify() @ v6.18 */
bool vhost_enable_notify(struct vhost_virtqueue *vq)
{
	struct vring *r = &vq->gvq->vring;

	if (vq->event_idx)
		r->avail_event = vq->avail_idx;		/* vhost_update_avail_event() */
	else
		r->used_flags &= (uint16_t)~VRING_USED_F_NO_NOTIFY;
	return r->avail_idx != vq->avail_idx;
}

/* Models: drivers/vhost/vhost.c:vhost_disable_notify() @ v6.18 */
void vhost_disable_notify(struct vhost_virtqueue *vq)
{
	if (!vq->event_idx)
		vq->gvq->vring.used_flags |= VRING_USED_F_NO_NOTIFY;
}

void *vhost_vq_buf(const struct vhost_virtqueue *vq, unsigned int head)
{
	return vq->gvq->desc_state[head].data;
}

unsigned int vhost_vq_avail_pending(const struct vhost_virtqueue *vq)
{
	return (uint16_t)(vr(vq)->avail_idx - vq->last_avail_idx);
}

bool vhost_vq_check(const struct vhost_virtqueue *vq, GString *err)
{
	const struct virtqueue *g = vq->gvq;
	const struct vring *r = &g->vring;
	unsigned int num = r->num;
	g_autofree unsigned char *seen = g_new0(unsigned char, num);
	unsigned int heads = 0, listed = 0;

	for (unsigned int h = 0; h < num; h++)
		heads += g->desc_state[h].data != NULL;
	for (uint16_t k = vq->last_avail_idx; k != r->avail_idx; k++, listed++) {
		uint16_t h = r->avail_ring[k & (num - 1)];

		if (seen[h] || !g->desc_state[h].data) {
			g_string_append_printf(err, "vq %s: head %u %s in the available ring",
					       g->name, h, seen[h] ? "twice" : "not in use but");
			return false;
		}
		seen[h] = 1;
	}
	for (uint16_t k = g->last_used_idx; k != r->used_idx; k++, listed++) {
		uint32_t h = r->used_ring[k & (num - 1)].id;

		if (h >= num || seen[h] || !g->desc_state[h].data) {
			g_string_append_printf(err, "vq %s: head %u used twice or not in use", g->name, h);
			return false;
		}
		seen[h] = 1;
	}
	if (listed != heads) {
		g_string_append_printf(err, "vq %s: %u chains in use but %u in the rings (a descriptor was lost)",
				       g->name, heads, listed);
		return false;
	}
	return virtqueue_check(g, err);
}

/* ---- the worker ---- */

static void vhost_worker(struct sim *sim, struct sim_event *ev);

void vhost_dev_init(struct vhost_dev *d, struct sim *sim, sim_time_t wake, void *priv)
{
	*d = (struct vhost_dev){ .sim = sim, .wake = wake, .priv = priv };
	sim_event_init(&d->ev, vhost_worker, "vhost_worker");
}

static void vhost_worker_kick(struct vhost_dev *d, sim_time_t now)
{
	sim_time_t at;

	if (sim_event_pending(&d->ev))
		return;
	/* Busy: the next item follows at once; idle: the thread must wake. */
	at = d->busy_until > now ? d->busy_until : now + d->wake;
	sim_event_schedule(d->sim, &d->ev, at);
}

/* Models: drivers/vhost/vhost.c:vhost_worker_queue() @ v6.18 — queued once until it runs. */
bool vhost_work_queue(struct vhost_dev *d, struct vhost_work *w)
{
	if (w->queued)
		return false;
	w->queued = true;
	w->next = NULL;
	if (d->tail)
		d->tail->next = w;
	else
		d->head = w;
	d->tail = w;
	if (!d->running)
		vhost_worker_kick(d, sim_now(d->sim));
	return true;
}

/* Models: drivers/vhost/vhost.c:vhost_run_work_list() @ v6.18 — one step of it. */
static void vhost_worker(struct sim *sim, struct sim_event *ev)
{
	struct vhost_dev *d = container_of(ev, struct vhost_dev, ev);
	sim_time_t now = sim_now(sim), frozen = d->frozen_until ? d->frozen_until(d) : 0;
	sim_time_t cost = 0;

	if (frozen > now) {
		if (d->trace)
			d->trace(d, "frozen", frozen);
		sim_event_schedule(sim, &d->ev, frozen);
		return;
	}
	if (!d->running) {
		struct vhost_work *w = d->head;

		if (!w)
			return;
		d->head = w->next;
		if (!d->head)
			d->tail = NULL;
		w->queued = false;	/* cleared before it runs: it may requeue itself */
		d->running = w;
	}
	if (!d->running->fn(d->running, &cost))
		d->running = NULL;
	d->busy_until = sim_time_add(now, cost);
	if (d->running || d->head)
		sim_event_schedule(sim, &d->ev, d->busy_until);
}
