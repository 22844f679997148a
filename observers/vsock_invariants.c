/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the end-of-run invariants of the virtio-vsock path --
 * descriptors and rings, replies queued, credit counters of each socket and
 * of each connected pair, and every packet message accounted for (sent =
 * delivered + dropped + cancelled + still queued; no buffer lost).
 */
#include "vsock_invariants.h"

#include <stdarg.h>

#include "drivers/vhost/vhost.h"
#include "linux/virtio_ring.h"
#include "net/af_vsock.h"
#include "net/vsock_device.h"

static bool check_fail(GString *err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static bool check_fail(GString *err, const char *fmt, ...)
{
	va_list ap;

	if (err->len)
		g_string_append(err, "; ");
	va_start(ap, fmt);
	g_string_append_vprintf(err, fmt, ap);
	va_end(ap);
	return false;
}

/* Count packet objects and live messages in @q; replies too. */
static void count_queue(GQueue *q, uint64_t *objects, uint64_t *msgs, int *replies)
{
	for (GList *l = q->head; l; l = l->next) {
		const struct virtio_vsock_pkt *pkt = l->data;

		(*objects)++;
		*msgs += pkt->live_msg;
		if (replies)
			*replies += pkt->reply;
	}
}

static void count_ring(struct virtqueue *vq, uint64_t *objects, uint64_t *msgs)
{
	for (unsigned int h = 0; h < vq->vring.num; h++) {
		const struct virtio_vsock_pkt *pkt = vq->desc_state[h].data;

		if (pkt) {
			(*objects)++;
			*msgs += pkt->live_msg;
		}
	}
}

static bool check_devices(struct vsock_world *vw, GString *err, uint64_t *objects, uint64_t *msgs)
{
	bool ok = true;

	for (guint i = 0; i < vw->devices->len; i++) {
		struct vsock_device *dev = vw->devices->pdata[i];
		int guest_replies = 0, host_replies = 0;
		g_autoptr(GString) e = g_string_new(NULL);

		if (!dev->drv)
			continue;
		if (!vhost_vq_check(vhost_vsock_vq(dev->vhost, VSOCK_VQ_RX), e) ||
		    !vhost_vq_check(vhost_vsock_vq(dev->vhost, VSOCK_VQ_TX), e) ||
		    !vhost_vq_check(&dev->event_vq, e))
			ok = check_fail(err, "device %s: %s", dev->label, e->str);
		count_ring(virtio_vsock_vq(dev->drv, VSOCK_VQ_RX), objects, msgs);
		count_ring(virtio_vsock_vq(dev->drv, VSOCK_VQ_TX), objects, msgs);
		count_queue(virtio_vsock_send_queue(dev->drv), objects, msgs, &guest_replies);
		count_queue(virtio_vsock_loopback_queue(dev->drv), objects, msgs, NULL);
		count_queue(vhost_vsock_send_queue(dev->vhost), objects, msgs, &host_replies);
		if (guest_replies != virtio_vsock_queued_replies(dev->drv))
			ok = check_fail(err, "device %s: guest queued_replies %d but %d replies queued",
					dev->label, virtio_vsock_queued_replies(dev->drv), guest_replies);
		if (host_replies != vhost_vsock_queued_replies(dev->vhost))
			ok = check_fail(err, "device %s: vhost queued_replies %d but %d replies queued",
					dev->label, vhost_vsock_queued_replies(dev->vhost), host_replies);
	}
	return ok;
}

/* A socket's receive accounting matches its queue; a sender never owes more than it sent. */
static bool check_sock(const struct vsock_sock *vsk, GString *err, uint64_t *objects, uint64_t *msgs)
{
	const struct virtio_vsock_sock *vvs = vsk->trans;
	const struct vsock_profile *p = sock_net(&vsk->sk)->profile->vsock;
	uint64_t unread = 0, queued = 0;
	bool ok = true;

	if (!vvs)
		return true;
	for (GList *l = vvs->rx_queue.head; l; l = l->next) {
		const struct virtio_vsock_pkt *pkt = l->data;

		unread += p->rx_buf_used ? pkt->len - pkt->off : pkt->len;
		queued += pkt->hdr.len;
	}
	count_queue((GQueue *)&vvs->rx_queue, objects, msgs, NULL);
	if (unread != vvs->rx_bytes)
		ok = check_fail(err, "sk#%u: rx_bytes %u but %" G_GUINT64_FORMAT " unread bytes queued",
				vsk->sk.id, vvs->rx_bytes, unread);
	if (queued != vvs->buf_used)
		ok = check_fail(err, "sk#%u: buf_used %u but %" G_GUINT64_FORMAT " bytes in queued packets",
				vsk->sk.id, vvs->buf_used, queued);
	if ((int32_t)(vvs->tx_cnt - vvs->peer_fwd_cnt) < 0 ||
	    vvs->bytes_unsent > (uint32_t)(vvs->tx_cnt - vvs->peer_fwd_cnt))
		ok = check_fail(err, "sk#%u: negative credit: tx_cnt %u, peer_fwd_cnt %u, unsent %" G_GUINT64_FORMAT,
				vsk->sk.id, vvs->tx_cnt, vvs->peer_fwd_cnt, vvs->bytes_unsent);
	return ok;
}

/* The CID a connected socket sends from (several guests may use the same port). */
static uint32_t local_cid(const struct vsock_sock *vsk)
{
	return vsk->transport->get_local_cid(vsk->transport);
}

/* Two connected ends: what one believes the other consumed never runs ahead of it. */
static bool check_pairs(struct vsock_world *vw, GString *err)
{
	bool ok = true;

	for (guint i = 0; i < vw->socks->len; i++) {
		const struct vsock_sock *a = vw->socks->pdata[i];

		if (!a->trans || !a->in_connected_table)
			continue;
		for (guint j = 0; j < vw->socks->len; j++) {
			const struct vsock_sock *b = vw->socks->pdata[j];

			if (b == a || !b->trans || !b->in_connected_table || b->sk.sk_net == a->sk.sk_net ||
			    b->local_addr.svm_port != a->remote_addr.svm_port ||
			    b->remote_addr.svm_port != a->local_addr.svm_port ||
			    b->remote_addr.svm_cid != local_cid(a) || a->remote_addr.svm_cid != local_cid(b))
				continue;
			if ((int32_t)(b->trans->fwd_cnt - a->trans->peer_fwd_cnt) < 0 ||
			    (int32_t)(a->trans->tx_cnt - b->trans->fwd_cnt) < 0)
				ok = check_fail(err, "sk#%u -> sk#%u: credit ran ahead (tx_cnt %u, peer_fwd_cnt %u, "
						"receiver fwd_cnt %u)", a->sk.id, b->sk.id, a->trans->tx_cnt,
						a->trans->peer_fwd_cnt, b->trans->fwd_cnt);
		}
	}
	return ok;
}

bool vsock_invariants_check(struct world *w, GString *err)
{
	struct vsock_world *vw = w->vsock;
	const struct vsock_pkt_acct *acct = w->ks.vsock_acct;
	const struct vsock_pkt_acct none = { 0 };
	uint64_t objects = 0, msgs = 0;
	bool ok = true;

	if (!vw)
		return true;
	ok &= check_devices(vw, err, &objects, &msgs);
	for (guint i = 0; i < vw->socks->len; i++)
		ok &= check_sock(vw->socks->pdata[i], err, &objects, &msgs);
	for (guint i = 0; acct && i < acct->retired->len; i++) {
		const struct virtio_vsock_sock *vvs = acct->retired->pdata[i];

		count_queue((GQueue *)&vvs->rx_queue, &objects, &msgs, NULL);
	}
	ok &= check_pairs(vw, err);
	if (!acct)
		acct = &none;
	if (acct->vanished)
		ok = check_fail(err, "%" G_GUINT64_FORMAT " packets vanished (freed undelivered; first pkt#%"
				G_GUINT64_FORMAT ")", acct->vanished, acct->first_vanished);
	if (acct->double_fate)
		ok = check_fail(err, "%" G_GUINT64_FORMAT " packets ended twice", acct->double_fate);
	if (msgs != acct->live_msgs)
		ok = check_fail(err, "%" G_GUINT64_FORMAT " packets in flight but %" G_GUINT64_FORMAT
				" found in queues and rings", acct->live_msgs, msgs);
	if (objects != acct->pkt_objects)
		ok = check_fail(err, "%" G_GUINT64_FORMAT " packet buffers allocated but %" G_GUINT64_FORMAT
				" found (a buffer was lost)", acct->pkt_objects, objects);
	for (int op = 0; op < VIRTIO_VSOCK_OP_MAX; op++) {
		uint64_t ended = acct->delivered[op] + acct->dropped[op] + acct->cancelled[op];

		if (ended > acct->sent[op])
			ok = check_fail(err, "op %s: %" G_GUINT64_FORMAT " sent but %" G_GUINT64_FORMAT " ended",
					virtio_vsock_op_name((unsigned int)op), acct->sent[op], ended);
	}
	return ok;
}
