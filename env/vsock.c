/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the virtio-vsock device path between a guest and its
 * host.  What happens between a notify-register write and the vhost worker,
 * and between vhost_signal() and the guest's interrupt handler, is not in any
 * kernel source: it is a VM exit, an eventfd, a thread wake-up, an interrupt
 * injection.  Each is a named, documented time here (vsock_knobs[]), with
 * defaults that are assumptions: no kernel source gives any of these times
 * (docs/models.md, AF_VSOCK timing).  QEMU's part (the event queue,
 * TRANSPORT_RESET) is here too.  The end-of-run invariants are in
 * observers/vsock_invariants.c.
 */
#include "env/vsock.h"
#include "env/fault_kinds.h"

#include <string.h>

#include "drivers/vhost/vhost.h"
#include "linux/errno_names.h"
#include "linux/virtio_ring.h"
#include "sim/trace.h"
#include "trace/events/vsock.h"

void vsock_dev_params_init(struct vsock_dev_params *p)
{
	*p = (struct vsock_dev_params){
		.rx_queue = 128, .tx_queue = 128, .event_queue = 128,
		.indirect = true, .event_idx = true,
		.kick = SIM_USEC(2), .irq = SIM_USEC(3), .wake = SIM_USEC(5), .wq = SIM_USEC(5),
		.pkt_cost = SIM_NSEC(300), .copy_bw = UINT64_C(4000000000),
	};
}

const struct vsock_knob vsock_knobs[] = {
	{ "virtio-vsock queue=", "128", "descriptors", "QEMU VHOST_VSOCK_QUEUE_SIZE",
	  "size of the rx, tx and event rings (rx-queue=, tx-queue=, event-queue= set one); a power of 2" },
	{ "virtio-vsock indirect=", "1", "bool", "VIRTIO_RING_F_INDIRECT_DESC (vhost offers it; assumed negotiated)",
	  "a packet with payload takes one ring descriptor (else one per scatter-gather entry)" },
	{ "virtio-vsock event-idx=", "1", "bool", "VIRTIO_RING_F_EVENT_IDX (vhost offers it; assumed negotiated)",
	  "kick and interrupt suppression by event index (else NO_NOTIFY / NO_INTERRUPT flags)" },
	{ "virtio-vsock kick=", "2us", "time", "assumed (no kernel source gives it)",
	  "guest notify write -> VM exit -> ioeventfd -> vhost handler queued" },
	{ "virtio-vsock wake=", "5us", "time", "assumed",
	  "an idle vhost worker thread starts running queued work" },
	{ "virtio-vsock pkt-cost=", "300ns", "time", "assumed",
	  "vhost worker time per packet (descriptor walk, header, socket lookup)" },
	{ "virtio-vsock copy-bw=", "4000000000", "bytes/s", "assumed (0: copies are free)",
	  "vhost copy bandwidth between guest memory and host buffers, per payload byte" },
	{ "virtio-vsock irq=", "3us", "time", "assumed",
	  "vhost_signal -> eventfd -> irqfd -> interrupt taken in the guest" },
	{ "virtio-vsock wq=", "5us", "time", "assumed",
	  "guest queue_work() -> the virtio_vsock work item runs (rx, tx, event, send_pkt)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void vsock_device_notify(struct vsock_device *dev, int idx);
static void vsock_device_interrupt(struct vsock_device *dev, int idx);
static bool vsock_fault_drop(struct vsock_device *dev, struct net *from,
			     const struct virtio_vsock_pkt *pkt);
static sim_time_t vsock_fault_delay(struct vsock_device *dev, struct net *from,
				    const struct virtio_vsock_pkt *pkt);
static sim_time_t vsock_fault_frozen_until(struct vsock_device *dev);
static bool vsock_fault_rx_starved(struct vsock_device *dev);

/* What the drivers reach below the device (net/vsock_device.h). */
static const struct vsock_device_ops vmm_ops = {
	.notify = vsock_device_notify,
	.interrupt = vsock_device_interrupt,
	.fault_drop = vsock_fault_drop,
	.fault_delay = vsock_fault_delay,
	.frozen_until = vsock_fault_frozen_until,
	.rx_starved = vsock_fault_rx_starved,
};

/* ---- the world ---- */

struct vsock_world *vsock_world_get(struct world *w)
{
	struct vsock_world *vw = w->vsock;

	if (vw)
		return vw;
	vw = g_new0(struct vsock_world, 1);
	vw->world = w;
	vw->devices = g_ptr_array_new();
	vw->faults = g_ptr_array_new();
	vw->socks = g_ptr_array_new();
	w->vsock = vw;
	return vw;
}

/* After sim_free(): nothing here may touch the simulation. */
void vsock_world_free(struct vsock_world *vw)
{
	if (!vw)
		return;
	if (vw->world->ks.vsock_acct)
		vw->world->ks.vsock_acct->tearing_down = true;
	for (guint i = 0; i < vw->socks->len; i++) {
		struct vsock_sock *vsk = vw->socks->pdata[i];

		virtio_vsock_sock_free(vsk->trans);
		vsk->trans = NULL;
		g_queue_clear(&vsk->accept_queue);
	}
	for (guint i = 0; i < vw->devices->len; i++) {
		struct vsock_device *dev = vw->devices->pdata[i];

		vhost_vsock_free(dev->vhost);
		virtio_vsock_free(dev->drv);
		g_free(dev->label);
		g_free(vsock_vmm_of(dev));
	}
	for (guint i = 0; i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		g_free(f->label);
		g_free(f);
	}
	g_ptr_array_free(vw->devices, TRUE);
	g_ptr_array_free(vw->faults, TRUE);
	g_ptr_array_free(vw->socks, TRUE);
	vw->world->vsock = NULL;
	g_free(vw);
}

struct vsock_device *vsock_device_add(struct world *w, struct host *guest, struct host *hyp,
				      uint32_t guest_cid, const struct vsock_dev_params *p)
{
	struct vsock_world *vw = vsock_world_get(w);
	struct vsock_vmm *vmm = g_new0(struct vsock_vmm, 1);
	struct vsock_device *dev = &vmm->dev;

	vmm->world = w;
	vmm->guest = guest;
	vmm->hyp = hyp;
	dev->ops = &vmm_ops;
	dev->label = g_strdup(guest->name);
	dev->guest = &guest->net;
	dev->hyp = &hyp->net;
	dev->guest_cid = guest_cid;
	dev->params = *p;
	vsock_host_get(&guest->net);
	vsock_host_get(&hyp->net);
	g_ptr_array_add(vw->devices, dev);
	return dev;
}

static void inject_transport_reset(struct sim *sim, void *data);

void vsock_world_start(struct world *w)
{
	struct vsock_world *vw = w->vsock;

	for (guint i = 0; vw && i < vw->devices->len; i++) {
		struct vsock_device *dev = vw->devices->pdata[i];

		dev->drv = virtio_vsock_probe(dev);
		dev->vhost = vhost_vsock_dev_open(dev);
		vhost_vq_init(&dev->event_vq, virtio_vsock_vq(dev->drv, VSOCK_VQ_EVENT));
		virtio_vsock_vqs_start(dev->drv);
	}
	for (guint i = 0; vw && i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		if (f->kind == VSOCK_FAULT_RESET)
			sim_call_at(w->sim, f->p.at, "vhost_vsock_common_send_transport_reset",
				    inject_transport_reset, f, NULL);
	}
}

/* ---- kicks and interrupts ---- */

struct dev_call {
	struct vsock_device *dev;
	int idx;
};


/* The notify write reached KVM's ioeventfd: the vhost handler is queued. */
static void deliver_kick(struct sim *sim, void *data)
{
	struct dev_call *c = data;

	if (c->idx == VSOCK_VQ_RX)
		vhost_vsock_handle_rx_kick(c->dev->vhost);
	else if (c->idx == VSOCK_VQ_TX)
		vhost_vsock_handle_tx_kick(c->dev->vhost);
	/* the event queue is QEMU's: its kicks only return buffers */
	g_free(c);
}

static void vsock_device_notify(struct vsock_device *dev, int idx)
{
	struct dev_call *c = g_new0(struct dev_call, 1);

	c->dev = dev;
	c->idx = idx;
	vsock_ctr_inc(dev->guest, VSOCK_CTR_VsockKicks);
	vsock_trace_vq(dev, dev->guest, idx, "virtqueue_notify", "drivers/virtio/virtio_ring.c:virtqueue_notify",
		       "delay=%" G_GUINT64_FORMAT "ns", dev->params.kick);
	sim_call_at(vsock_vmm_of(dev)->world->sim, sim_time_add(sim_now(vsock_vmm_of(dev)->world->sim), dev->params.kick), "kvm_ioeventfd",
		    deliver_kick, c, g_free);
}

static void deliver_irq(struct sim *sim, void *data)
{
	struct dev_call *c = data;
	struct virtqueue *vq = virtio_vsock_vq(c->dev->drv, c->idx);

	vsock_trace_vq(c->dev, c->dev->guest, c->idx, "vring_interrupt",
		       "drivers/virtio/virtio_ring.c:vring_interrupt", "more_used=%d",
		       virtqueue_more_used(vq));
	vring_interrupt(vq);
	g_free(c);
}

static void vsock_device_interrupt(struct vsock_device *dev, int idx)
{
	struct dev_call *c = g_new0(struct dev_call, 1);

	c->dev = dev;
	c->idx = idx;
	vsock_trace_vq(dev, dev->hyp, idx, "vhost_signal", "drivers/vhost/vhost.c:vhost_signal",
		       "delay=%" G_GUINT64_FORMAT "ns", dev->params.irq);
	sim_call_at(vsock_vmm_of(dev)->world->sim, sim_time_add(sim_now(vsock_vmm_of(dev)->world->sim), dev->params.irq), "kvm_irqfd",
		    deliver_irq, c, g_free);
}

/*
 * QEMU's vhost_vsock_common_send_transport_reset(): take an event buffer the
 * guest posted, write VIRTIO_VSOCK_EVENT_TRANSPORT_RESET, interrupt.
 */
static void inject_transport_reset(struct sim *sim, void *data)
{
	struct vsock_fault *f = data;
	struct vsock_world *vw = f->world->vsock;

	for (guint i = 0; i < vw->devices->len; i++) {
		struct vsock_device *dev = vw->devices->pdata[i];
		struct vhost_desc_chain chain;
		struct virtio_vsock_event *ev;
		unsigned int head;

		if (f->dev >= 0 && (guint)f->dev != i)
			continue;
		f->st.fired++;
		sim_trace(sim, dev->hyp->name, NULL, "fault_fire", NULL,
			  "rule=%s kind=%s action=%s dev=%s fired=%" G_GUINT64_FORMAT,
			  f->label, f->ops->name, f->ops->action, dev->label, f->st.fired);
		head = vhost_get_vq_desc(&dev->event_vq, &chain);
		if (head == dev->event_vq.gvq->vring.num) {
			sim_trace(sim, dev->hyp->name, NULL, "vsock_event_lost",
				  "hw/virtio/vhost-vsock-common.c:vhost_vsock_common_send_transport_reset",
				  "dev=%s reason=no-event-buffer", dev->label);
			continue;
		}
		ev = vhost_vq_buf(&dev->event_vq, head);
		ev->id = VIRTIO_VSOCK_EVENT_TRANSPORT_RESET;
		vhost_add_used(&dev->event_vq, head, sizeof(*ev));
		if (vhost_notify(&dev->event_vq))
			vsock_device_interrupt(dev, VSOCK_VQ_EVENT);
	}
}

/* ---- faults ---- */

static bool fault_applies(const struct vsock_fault *f, const struct vsock_device *dev,
			  enum vsock_fault_kind kind, sim_time_t now)
{
	struct vsock_world *vw = vsock_vmm_of(dev)->world->vsock;

	if (f->kind != kind)
		return false;
	if (f->dev >= 0 && vw->devices->pdata[f->dev] != dev)
		return false;
	return !f->p.has_during || (now >= f->p.t_lo && now < f->p.t_hi);
}

/* what: the packet ("pkt=pkt#N") or, for a fault without one, when it ends. */
static void trace_fire(struct vsock_device *dev, struct net *h, struct vsock_fault *f,
		       const char *what)
{
	sim_trace(h->sim, h->name, NULL, "fault_fire", NULL,
		  "rule=%s kind=%s action=%s dev=%s %s fired=%" G_GUINT64_FORMAT,
		  f->label, f->ops->name, f->ops->action, dev->label, what, f->st.fired);
}

static void trace_fire_pkt(struct vsock_device *dev, struct net *h, struct vsock_fault *f,
			   const struct virtio_vsock_pkt *pkt)
{
	char what[32];

	g_snprintf(what, sizeof(what), "pkt=pkt#%" G_GUINT64_FORMAT, pkt->id);
	trace_fire(dev, h, f, what);
}

/* A fault with a during= window ends at its close; one without lasts the run. */
static void trace_fire_window(struct vsock_device *dev, struct net *h, struct vsock_fault *f)
{
	char what[40];

	if (f->p.has_during)
		g_snprintf(what, sizeof(what), "until=%" G_GUINT64_FORMAT "ns", (uint64_t)f->p.t_hi);
	else
		g_strlcpy(what, "until=end", sizeof(what));
	trace_fire(dev, h, f, what);
}

static bool pkt_matches(const struct vsock_fault *f, const struct net *from,
			const struct virtio_vsock_pkt *pkt)
{
	if (f->from && &f->from->net != from)
		return false;
	return !f->p.kind_mask || (pkt->hdr.op < 32 && (f->p.kind_mask & (1u << pkt->hdr.op)));
}

static bool vsock_fault_drop(struct vsock_device *dev, struct net *from, const struct virtio_vsock_pkt *pkt)
{
	struct vsock_world *vw = vsock_vmm_of(dev)->world->vsock;
	sim_time_t now = sim_now(vsock_vmm_of(dev)->world->sim);

	for (guint i = 0; i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		if (!fault_applies(f, dev, VSOCK_FAULT_DROP, now) || !pkt_matches(f, from, pkt) ||
		    !f->ops->fires(&f->p, &f->st))
			continue;
		f->st.fired++;
		trace_fire_pkt(dev, from, f, pkt);
		{
			struct virtio_vsock_hdr hdr = pkt->hdr;

			hdr.len = pkt->len - pkt->off;	/* what is left of a split packet */
			trace_vsock_dev_pkt(from, dev, &hdr, f->label);
		}
		return true;
	}
	return false;
}

static sim_time_t vsock_fault_delay(struct vsock_device *dev, struct net *from,
			     const struct virtio_vsock_pkt *pkt)
{
	struct vsock_world *vw = vsock_vmm_of(dev)->world->vsock;
	sim_time_t now = sim_now(vsock_vmm_of(dev)->world->sim), extra = 0;

	for (guint i = 0; pkt && i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		if (!fault_applies(f, dev, VSOCK_FAULT_DELAY, now) || !pkt_matches(f, from, pkt))
			continue;
		f->st.fired++;
		trace_fire_pkt(dev, from, f, pkt);
		extra = sim_time_add(extra, f->p.extra);
	}
	return extra;
}

static sim_time_t vsock_fault_frozen_until(struct vsock_device *dev)
{
	struct vsock_world *vw = vsock_vmm_of(dev)->world->vsock;
	sim_time_t now = sim_now(vsock_vmm_of(dev)->world->sim), until = 0;

	for (guint i = 0; i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		if (!fault_applies(f, dev, VSOCK_FAULT_FREEZE, now))
			continue;
		f->st.fired++;
		trace_fire_window(dev, dev->hyp, f);
		if (f->p.t_hi > until)
			until = f->p.has_during ? f->p.t_hi : SIM_TIME_MAX;
	}
	return until;
}

static bool vsock_fault_rx_starved(struct vsock_device *dev)
{
	struct vsock_world *vw = vsock_vmm_of(dev)->world->vsock;
	sim_time_t now = sim_now(vsock_vmm_of(dev)->world->sim);

	for (guint i = 0; i < vw->faults->len; i++) {
		struct vsock_fault *f = vw->faults->pdata[i];

		if (!fault_applies(f, dev, VSOCK_FAULT_RX_STARVE, now))
			continue;
		f->st.fired++;
		trace_fire_window(dev, dev->guest, f);
		return true;
	}
	return false;
}
