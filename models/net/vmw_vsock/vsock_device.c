/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the kernel side of the simulated virtio-vsock device
 * (net/vsock_device.h) -- names of the counters and ops, packet objects and
 * their accounting, occupancy traces of the virtqueues.
 */
#include "net/vsock_device.h"

#include <stdarg.h>
#include <string.h>

#include "linux/virtio_ring.h"
#include "sim/trace.h"

const char *const vsock_counter_names[VSOCK_CTR_MAX] = {
#define VSOCK_CTR_NAME(n) #n,
	VSOCK_COUNTERS(VSOCK_CTR_NAME)
#undef VSOCK_CTR_NAME
};

int vsock_counter_from_name(const char *name)
{
	for (int i = 0; i < VSOCK_CTR_MAX; i++)
		if (strcmp(vsock_counter_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const op_names[VIRTIO_VSOCK_OP_MAX] = {
#define VIRTIO_VSOCK_OP_NAME(n, v) [v] = #n,
	VIRTIO_VSOCK_OPS(VIRTIO_VSOCK_OP_NAME)
#undef VIRTIO_VSOCK_OP_NAME
};

const char *virtio_vsock_op_name(unsigned int op)
{
	return op < VIRTIO_VSOCK_OP_MAX ? op_names[op] : "OP?";
}

int virtio_vsock_op_from_name(const char *name)
{
	for (int i = 0; i < VIRTIO_VSOCK_OP_MAX; i++)
		if (strcmp(op_names[i], name) == 0)
			return i;
	return -1;
}

static const char *const vq_names[VSOCK_VQ_MAX] = { "rx", "tx", "event" };

struct vsock_pkt_acct *vsock_pkt_acct_get(struct kernel_shared *ks)
{
	if (!ks->vsock_acct) {
		ks->vsock_acct = g_new0(struct vsock_pkt_acct, 1);
		ks->vsock_acct->retired = g_ptr_array_new();
	}
	return ks->vsock_acct;
}

void virtio_vsock_sock_free(struct virtio_vsock_sock *vvs)
{
	if (!vvs)
		return;
	g_queue_clear_full(&vvs->rx_queue, (GDestroyNotify)vsock_pkt_free);
	g_free(vvs);
}

void vsock_retire_trans(struct net *net, struct virtio_vsock_sock *vvs)
{
	if (vvs)
		g_ptr_array_add(vsock_pkt_acct_get(net->ks)->retired, vvs);
}

/* After sim_free(), from kernel_shared_free(). */
void vsock_pkt_acct_free(struct vsock_pkt_acct *a)
{
	if (!a)
		return;
	a->tearing_down = true;
	for (guint i = 0; i < a->retired->len; i++)
		virtio_vsock_sock_free(a->retired->pdata[i]);
	g_ptr_array_free(a->retired, TRUE);
	g_free(a);
}

/* ---- packets ---- */

struct virtio_vsock_pkt *vsock_pkt_alloc(struct net *net)
{
	struct virtio_vsock_pkt *pkt = g_new0(struct virtio_vsock_pkt, 1);

	pkt->acct = vsock_pkt_acct_get(net->ks);
	pkt->acct->pkt_objects++;
	return pkt;
}

void vsock_pkt_msg_start(struct virtio_vsock_pkt *pkt)
{
	struct vsock_pkt_acct *vw = pkt->acct;

	pkt->id = ++vw->next_pkt_id;
	pkt->live_msg = true;
	vw->live_msgs++;
	vw->sent[pkt->hdr.op < VIRTIO_VSOCK_OP_MAX ? pkt->hdr.op : 0]++;
}

void vsock_pkt_msg_end(struct virtio_vsock_pkt *pkt, enum vsock_msg_fate fate)
{
	struct vsock_pkt_acct *vw = pkt->acct;
	unsigned int op = pkt->hdr.op < VIRTIO_VSOCK_OP_MAX ? pkt->hdr.op : 0;

	if (!pkt->live_msg) {
		vw->double_fate++;
		return;
	}
	pkt->live_msg = false;
	vw->live_msgs--;
	if (fate == MSG_DELIVERED)
		vw->delivered[op]++;
	else if (fate == MSG_DROPPED)
		vw->dropped[op]++;
	else
		vw->cancelled[op]++;
}

void vsock_pkt_msg_move(struct virtio_vsock_pkt *from, struct virtio_vsock_pkt *to)
{
	to->id = from->id;
	to->live_msg = from->live_msg;
	from->live_msg = false;
}

void vsock_pkt_free(struct virtio_vsock_pkt *pkt)
{
	struct vsock_pkt_acct *vw;

	if (!pkt)
		return;
	vw = pkt->acct;
	vw->pkt_objects--;
	if (pkt->live_msg && !vw->tearing_down && !vw->vanished++)
		vw->first_vanished = pkt->id;
	g_free(pkt);
}

char *vsock_pkt_describe(const struct virtio_vsock_pkt *pkt)
{
	return g_strdup_printf("pkt=pkt#%" G_GUINT64_FORMAT " op=%s type=%u src=%" G_GUINT64_FORMAT ":%u"
			       " dst=%" G_GUINT64_FORMAT ":%u len=%u flags=%u buf_alloc=%u fwd_cnt=%u",
			       pkt->id, virtio_vsock_op_name(pkt->hdr.op), pkt->hdr.type,
			       pkt->hdr.src_cid, pkt->hdr.src_port, pkt->hdr.dst_cid, pkt->hdr.dst_port,
			       pkt->hdr.len, pkt->hdr.flags, pkt->hdr.buf_alloc, pkt->hdr.fwd_cnt);
}

sim_time_t vsock_pkt_cost(const struct vsock_device *dev, uint32_t bytes)
{
	sim_time_t copy = 0;

	if (dev->params.copy_bw)
		copy = (sim_time_t)(((unsigned __int128)bytes * 1000000000u + dev->params.copy_bw - 1) /
				    dev->params.copy_bw);
	return dev->params.pkt_cost + copy;
}

void vsock_trace_vq(struct vsock_device *dev, struct net *net, int idx, const char *event,
		    const char *func, const char *fmt, ...)
{
	g_autofree char *detail = NULL;
	struct virtqueue *vq;
	va_list ap;

	va_start(ap, fmt);
	detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!dev->drv) {
		sim_trace(net->sim, net->name, NULL, event, func, "dev=%s vq=%s %s", dev->label,
			  vq_names[idx], detail);
		return;
	}
	vq = virtio_vsock_vq(dev->drv, idx);
	sim_trace(net->sim, net->name, NULL, event, func,
		  "dev=%s vq=%s %s num_free=%u avail_idx=%u used_idx=%u last_used=%u", dev->label,
		  vq_names[idx], detail, vq->num_free, vq->vring.avail_idx, vq->vring.used_idx,
		  vq->last_used_idx);
}
