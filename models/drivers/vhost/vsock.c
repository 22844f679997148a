/* SPDX-License-Identifier: MIT */
/*
 * The host side of virtio-vsock: one vhost-vsock instance per VM.
 * Models: drivers/vhost/vsock.c @ v6.18 (5.0 differences behind
 * net/vsock_profile.h flags).
 *
 * Two vhost virtqueues on the guest's rings: tx (guest -> host, vq 1) is
 * drained by vhost_vsock_handle_tx_kick(), rx (host -> guest, vq 0) is filled
 * by vhost_transport_do_send_pkt() from the per-VM send_pkt_queue.  Both run
 * on the instance's worker with a per-run budget (256 packets / 512 KiB,
 * 5.4+), one packet per worker step, each costing the device's per-packet
 * time plus its copy time.  The event queue belongs to the VMM (the environment).
 */
#include <string.h>

#include "drivers/vhost/vhost.h"
#include "net/vsock_device.h"
#include "trace/events/vsock.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "linux/virtio_vsock.h"
#include "sim/trace.h"

#define VH "drivers/vhost/vsock.c:"

/* drivers/vhost/vsock.c:struct vhost_vsock */
struct vhost_vsock {
	struct vsock_device *dev;
	struct net *net;
	struct vhost_dev vdev;
	struct vhost_virtqueue vqs[2];		/* VSOCK_VQ_RX, VSOCK_VQ_TX */
	struct vhost_work tx_kick;		/* vq 1 poll: handle_tx_kick */
	struct vhost_work rx_kick;		/* vq 0 poll: handle_rx_kick */
	struct vhost_work send_pkt_work;
	GQueue send_pkt_queue;			/* struct virtio_vsock_pkt * */
	int queued_replies;
	uint32_t guest_cid;
	/* the handler loops' locals, kept across worker steps */
	struct { bool running, added, restart_tx, delayed; int pkts; size_t len; } tx, rx;
};

static uint32_t vhost_transport_get_local_cid(const struct vsock_transport *t)
{
	return VHOST_VSOCK_DEFAULT_HOST_CID;
}

/* Models: drivers/vhost/vsock.c:vhost_vsock_get() @ v6.18 — the instance of a guest CID. */
static struct vhost_vsock *vhost_vsock_get(struct vsock_host *vh, uint32_t guest_cid)
{
	for (guint i = 0; i < vh->vhost->len; i++) {
		struct vhost_vsock *v = vh->vhost->pdata[i];

		if (v->guest_cid == guest_cid)
			return v;
	}
	return NULL;
}

/* Models: drivers/vhost/vhost.c:vhost_signal() @ v6.18 — interrupt the guest if it wants one. */
static void vhost_vsock_signal(struct vhost_vsock *v, int idx)
{
	if (vhost_notify(&v->vqs[idx])) {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockIrqs);
		v->dev->ops->interrupt(v->dev, idx);
	} else {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockIrqsSuppressed);
	}
}

/*
 * Models: drivers/vhost/vsock.c:vhost_vsock_more_replies() @ v6.18
 * throttle guest TX while replies wait for rx buffers.
 */
static bool vhost_vsock_more_replies(const struct vhost_vsock *v)
{
	return (unsigned int)v->queued_replies < v->vqs[VSOCK_VQ_TX].gvq->vring.num;
}

static bool vhost_exceeds_weight(struct vhost_vsock *v, int pkts, size_t len)
{
	const struct vsock_profile *p = v->net->profile->vsock;

	return p->vhost_weights && (pkts >= VHOST_VSOCK_PKT_WEIGHT || len >= VHOST_VSOCK_WEIGHT);
}

/*
 * Models: drivers/vhost/vsock.c:vhost_vsock_handle_tx_kick() @ v6.18
 * one guest packet per step: copy it
 * out of guest memory (vhost_vsock_alloc_skb), check its source (and 6.18+
 * destination) CID, give it to virtio_transport_recv_pkt(), return the chain.
 */
static bool vhost_vsock_tx_step(struct vhost_work *w, sim_time_t *cost)
{
	struct vhost_vsock *v = container_of(w, struct vhost_vsock, tx_kick);
	struct vhost_virtqueue *vq = &v->vqs[VSOCK_VQ_TX];
	const struct vsock_profile *p = v->net->profile->vsock;
	struct vsock_host *vh = vsock_host_get(v->net);
	struct vhost_desc_chain chain;
	struct virtio_vsock_pkt *gpkt, *pkt;
	unsigned int head;
	sim_time_t extra;

	if (!v->tx.running) {
		v->tx.running = true;
		v->tx.added = false;
		v->tx.pkts = 0;
		v->tx.len = 0;
		vhost_disable_notify(vq);
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockWorkerRuns);
	}
	if (!vhost_vsock_more_replies(v)) {
		vsock_trace_vq(v->dev, v->net, VSOCK_VQ_TX, "vhost_vsock_tx_throttle",
			       VH "vhost_vsock_more_replies", "queued_replies=%d", v->queued_replies);
		goto done;	/* notifications stay disabled */
	}
	if (!v->tx.delayed && vhost_vq_avail_pending(vq)) {
		uint16_t next = vq->gvq->vring.avail_ring[vq->last_avail_idx & (vq->gvq->vring.num - 1)];

		extra = v->dev->ops->fault_delay(v->dev, v->dev->guest, vhost_vq_buf(vq, next));
		if (extra) {
			v->tx.delayed = true;
			*cost = extra;
			return true;
		}
	}
	v->tx.delayed = false;
	head = vhost_get_vq_desc(vq, &chain);
	if (head == vq->gvq->vring.num) {
		if (vhost_enable_notify(vq)) {
			vhost_disable_notify(vq);
			return true;
		}
		goto done;
	}
	gpkt = vhost_vq_buf(vq, head);
	pkt = vsock_pkt_alloc(v->net);		/* vhost_vsock_alloc_skb() */
	pkt->hdr = gpkt->hdr;
	pkt->len = gpkt->len;
	pkt->reply = gpkt->reply;
	vsock_pkt_msg_move(gpkt, pkt);
	if (v->dev->ops->fault_drop(v->dev, v->dev->guest, pkt)) {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockFaultDrops);
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
	} else if (pkt->hdr.src_cid != v->guest_cid ||
		   (p->vhost_dst_check && pkt->hdr.dst_cid != VHOST_VSOCK_DEFAULT_HOST_CID)) {
		sim_trace(v->net->sim, v->net->name, NULL, "vsock_pkt_drop",
			  VH "vhost_vsock_handle_tx_kick", "pkt=pkt#%" G_GUINT64_FORMAT
			  " reason=cid src=%" G_GUINT64_FORMAT " dst=%" G_GUINT64_FORMAT, pkt->id,
			  pkt->hdr.src_cid, pkt->hdr.dst_cid);
		trace_vsock_dev_pkt(v->dev->guest, v->dev, &pkt->hdr, "vhost: wrong CID");
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockDeviceDrops);
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
	} else {
		trace_vsock_dev_pkt(v->dev->guest, v->dev, &pkt->hdr, NULL);
		virtio_transport_recv_pkt(vh->h2g, pkt);
	}
	vhost_add_used(vq, head, p->vhost_weights ? 0 : chain.out_len);
	vsock_trace_vq(v->dev, v->net, VSOCK_VQ_TX, "vhost_add_used", "drivers/vhost/vhost.c:vhost_add_used",
		       "head=%u", head);
	trace_vsock_ring(v->dev, VSOCK_VQ_TX);
	v->tx.added = true;
	v->tx.len += chain.out_len - VIRTIO_VSOCK_SKB_HEADROOM;
	*cost = vsock_pkt_cost(v->dev, chain.out_len - VIRTIO_VSOCK_SKB_HEADROOM);
	if (vhost_exceeds_weight(v, ++v->tx.pkts, v->tx.len)) {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockWeightExceeded);
		vhost_work_queue(&v->vdev, &v->tx_kick);
		goto done;
	}
	return true;
done:
	v->tx.running = false;
	if (v->tx.added)
		vhost_vsock_signal(v, VSOCK_VQ_TX);
	return false;
}

/*
 * Models: drivers/vhost/vsock.c:vhost_transport_do_send_pkt() @ v6.18
 * one queued host packet per step
 * into the next guest rx buffer.  No buffer: the packet stays queued until
 * the guest refills and kicks.  A packet larger than the buffer is split
 * (5.4+): this buffer gets what fits, the rest is requeued at the head.
 */
static bool vhost_vsock_rx_step(struct vhost_vsock *v, sim_time_t *cost)
{
	struct vhost_virtqueue *vq = &v->vqs[VSOCK_VQ_RX];
	const struct vsock_profile *p = v->net->profile->vsock;
	struct vhost_desc_chain chain;
	struct virtio_vsock_pkt *pkt, *gbuf;
	uint32_t payload, piece;
	unsigned int head;
	sim_time_t extra;

	if (!v->rx.running) {
		v->rx.running = true;
		v->rx.added = false;
		v->rx.restart_tx = false;
		v->rx.pkts = 0;
		v->rx.len = 0;
		vhost_disable_notify(vq);
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockWorkerRuns);
	}
	pkt = g_queue_peek_head(&v->send_pkt_queue);
	if (!pkt)
		goto done;
	if (!v->rx.delayed && (extra = v->dev->ops->fault_delay(v->dev, v->net, pkt))) {
		v->rx.delayed = true;
		*cost = extra;
		return true;
	}
	v->rx.delayed = false;
	head = vhost_get_vq_desc(vq, &chain);
	if (head == vq->gvq->vring.num) {
		if (vhost_enable_notify(vq)) {
			vhost_disable_notify(vq);
			return true;
		}
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockRxNoBuf);
		vsock_trace_vq(v->dev, v->net, VSOCK_VQ_RX, "vhost_vsock_no_rx_buffer",
			       VH "vhost_transport_do_send_pkt", "waiting=%u",
			       g_queue_get_length(&v->send_pkt_queue));
		goto done;
	}
	g_queue_pop_head(&v->send_pkt_queue);
	if (v->dev->ops->fault_drop(v->dev, v->net, pkt)) {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockFaultDrops);
		vhost_discard_vq_desc(vq, 1);
		if (pkt->reply)
			v->queued_replies--;
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
		return true;
	}
	payload = pkt->len - pkt->off;
	piece = payload;
	if (p->vhost_split && payload > chain.in_len - VIRTIO_VSOCK_SKB_HEADROOM)
		piece = chain.in_len - VIRTIO_VSOCK_SKB_HEADROOM;
	gbuf = vhost_vq_buf(vq, head);		/* the guest's rx buffer */
	gbuf->hdr = pkt->hdr;
	gbuf->hdr.len = piece;
	gbuf->len = piece;
	gbuf->reply = pkt->reply;
	if (piece < payload) {
		/* Split: EOM/EOR belong to the last piece only. */
		gbuf->hdr.flags &= ~(uint32_t)(VIRTIO_VSOCK_SEQ_EOM | VIRTIO_VSOCK_SEQ_EOR);
		vsock_pkt_msg_start(gbuf);
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockSplitPkts);
	} else {
		vsock_pkt_msg_move(pkt, gbuf);
	}
	trace_vsock_dev_pkt(v->dev->hyp, v->dev, &gbuf->hdr, NULL);
	vhost_add_used(vq, head, VIRTIO_VSOCK_SKB_HEADROOM + piece);
	vsock_trace_vq(v->dev, v->net, VSOCK_VQ_RX, "vhost_add_used", "drivers/vhost/vhost.c:vhost_add_used",
		       "head=%u pkt=pkt#%" G_GUINT64_FORMAT " len=%u", head, gbuf->id, piece);
	trace_vsock_ring(v->dev, VSOCK_VQ_RX);
	v->rx.added = true;
	pkt->off += piece;
	if (pkt->off < pkt->len) {
		g_queue_push_head(&v->send_pkt_queue, pkt);
	} else {
		if (pkt->reply) {
			int val = --v->queued_replies;

			if ((unsigned int)val + 1 == v->vqs[VSOCK_VQ_TX].gvq->vring.num)
				v->rx.restart_tx = true;
		}
		virtio_transport_consume_pkt_sent(pkt);
		vsock_pkt_free(pkt);
	}
	v->rx.len += piece;
	*cost = vsock_pkt_cost(v->dev, piece);
	if (vhost_exceeds_weight(v, ++v->rx.pkts, v->rx.len)) {
		vsock_ctr_inc(v->net, VSOCK_CTR_VsockWeightExceeded);
		vhost_work_queue(&v->vdev, &v->rx_kick);
		goto done;
	}
	return true;
done:
	v->rx.running = false;
	if (v->rx.added)
		vhost_vsock_signal(v, VSOCK_VQ_RX);
	if (v->rx.restart_tx)
		vhost_work_queue(&v->vdev, &v->tx_kick);
	return false;
}

/*
 * Models: drivers/vhost/vsock.c:vhost_vsock_handle_rx_kick() @ v6.18
 * -> vhost_transport_do_send_pkt()
 */
static bool vhost_vsock_rx_kick_fn(struct vhost_work *w, sim_time_t *cost)
{
	return vhost_vsock_rx_step(container_of(w, struct vhost_vsock, rx_kick), cost);
}

/*
 * Models: drivers/vhost/vsock.c:vhost_transport_send_pkt_work() @ v6.18
 * -> vhost_transport_do_send_pkt()
 */
static bool vhost_vsock_send_pkt_fn(struct vhost_work *w, sim_time_t *cost)
{
	return vhost_vsock_rx_step(container_of(w, struct vhost_vsock, send_pkt_work), cost);
}

/*
 * Models: drivers/vhost/vsock.c:vhost_transport_send_pkt() @ v6.18
 * find the VM by destination CID (none:
 * ENODEV), queue the packet for it and wake the worker.  Returns at once.
 */
static int vhost_transport_send_pkt(struct virtio_transport *t, struct virtio_vsock_pkt *pkt)
{
	struct vhost_vsock *v = vhost_vsock_get(t->dev, (uint32_t)pkt->hdr.dst_cid);
	int len = (int)pkt->len;

	if (!v) {
		sim_trace(t->net->sim, t->net->name, NULL, "vsock_pkt_drop",
			  VH "vhost_transport_send_pkt", "pkt=pkt#%" G_GUINT64_FORMAT
			  " reason=no-vm dst_cid=%" G_GUINT64_FORMAT, pkt->id, pkt->hdr.dst_cid);
		trace_vsock_dev_pkt(t->net, NULL, &pkt->hdr, "vhost: no VM has this CID");
		vsock_ctr_inc(t->net, VSOCK_CTR_VsockDeviceDrops);
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
		return -SIM_ENODEV;
	}
	if (pkt->reply)
		v->queued_replies++;
	g_queue_push_tail(&v->send_pkt_queue, pkt);
	vhost_work_queue(&v->vdev, &v->send_pkt_work);
	return len;
}

/* Models: drivers/vhost/vsock.c:vhost_transport_cancel_pkt() @ v6.18 */
static int vhost_transport_cancel_pkt(struct vsock_sock *vsk)
{
	struct vhost_vsock *v = vhost_vsock_get(to_virtio_transport(vsk->transport)->dev,
						vsk->remote_addr.svm_cid);
	unsigned int tx_size;
	int cnt, new_cnt;

	if (!v)
		return -SIM_ENODEV;
	cnt = virtio_transport_purge_pkts(vsk, &v->send_pkt_queue);
	if (cnt) {
		tx_size = v->vqs[VSOCK_VQ_TX].gvq->vring.num;
		new_cnt = v->queued_replies -= cnt;
		if ((unsigned int)(new_cnt + cnt) >= tx_size && (unsigned int)new_cnt < tx_size)
			vhost_work_queue(&v->vdev, &v->tx_kick);
	}
	return 0;
}

static const struct vsock_transport vhost_transport_template = {
	.name = "vhost_transport",
	.features = VSOCK_TRANSPORT_F_H2G,
	.get_local_cid = vhost_transport_get_local_cid,
	.cancel_pkt = vhost_transport_cancel_pkt,
};

static sim_time_t vhost_vsock_frozen_until(struct vhost_dev *d)
{
	struct vsock_device *dev = ((struct vhost_vsock *)d->priv)->dev;

	return dev->ops->frozen_until(dev);
}

static void vhost_vsock_trace_worker(struct vhost_dev *d, const char *what, sim_time_t until)
{
	struct vhost_vsock *v = d->priv;
	char t[32];

	sim_time_format(until, t, sizeof(t));
	sim_trace(v->net->sim, v->net->name, NULL, "vhost_worker", VH "vhost_worker",
		  "dev=%s state=%s until=%ss", v->dev->label, what, t);
}

/*
 * Models: drivers/vhost/vsock.c:vhost_vsock_dev_open() @ v6.18
 * + VHOST_VSOCK_SET_GUEST_CID + vhost_vsock_start():
 * an instance on the guest's rx and tx rings, the h2g transport slot
 * (vsock_core_register(VSOCK_TRANSPORT_F_H2G)) on first use.
 */
struct vhost_vsock *vhost_vsock_dev_open(struct vsock_device *dev)
{
	struct vsock_host *vh = vsock_host_get(dev->hyp);
	struct vhost_vsock *v = g_new0(struct vhost_vsock, 1);

	v->dev = dev;
	v->net = dev->hyp;
	v->guest_cid = dev->guest_cid;
	g_queue_init(&v->send_pkt_queue);
	vhost_vq_init(&v->vqs[VSOCK_VQ_RX], virtio_vsock_vq(dev->drv, VSOCK_VQ_RX));
	vhost_vq_init(&v->vqs[VSOCK_VQ_TX], virtio_vsock_vq(dev->drv, VSOCK_VQ_TX));
	vhost_dev_init(&v->vdev, dev->hyp->sim, dev->params.wake, v);
	v->vdev.frozen_until = vhost_vsock_frozen_until;
	v->vdev.trace = vhost_vsock_trace_worker;
	v->tx_kick = (struct vhost_work){ .name = "vhost_vsock_handle_tx_kick", .fn = vhost_vsock_tx_step };
	v->rx_kick = (struct vhost_work){ .name = "vhost_vsock_handle_rx_kick", .fn = vhost_vsock_rx_kick_fn };
	v->send_pkt_work = (struct vhost_work){ .name = "vhost_transport_send_pkt_work",
						.fn = vhost_vsock_send_pkt_fn };
	if (!vh->h2g) {
		vh->h2g = g_new0(struct virtio_transport, 1);
		vh->h2g->transport = vhost_transport_template;
		virtio_transport_common_ops(&vh->h2g->transport);
		vh->h2g->send_pkt = vhost_transport_send_pkt;
		vh->h2g->net = dev->hyp;
		vh->h2g->dev = vh;
		vh->transport_h2g = &vh->h2g->transport;
	}
	g_ptr_array_add(vh->vhost, v);
	return v;
}

void vhost_vsock_free(struct vhost_vsock *v)
{
	if (!v)
		return;
	g_queue_clear_full(&v->send_pkt_queue, (GDestroyNotify)vsock_pkt_free);
	g_free(v);
}

void vhost_vsock_handle_tx_kick(struct vhost_vsock *v)
{
	vhost_work_queue(&v->vdev, &v->tx_kick);
}

void vhost_vsock_handle_rx_kick(struct vhost_vsock *v)
{
	vhost_work_queue(&v->vdev, &v->rx_kick);
}

GQueue *vhost_vsock_send_queue(struct vhost_vsock *v)
{
	return &v->send_pkt_queue;
}

struct vhost_virtqueue *vhost_vsock_vq(struct vhost_vsock *v, int idx)
{
	return &v->vqs[idx];
}

int vhost_vsock_queued_replies(const struct vhost_vsock *v)
{
	return v->queued_replies;
}
