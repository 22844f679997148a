/* SPDX-License-Identifier: MIT */
/*
 * The guest's virtio-vsock driver.  Models: net/vmw_vsock/virtio_transport.c
 * @ v6.18 (5.0 differences behind net/vsock_profile.h flags).
 *
 * Three virtqueues (rx 0, tx 1, event 2).  Interrupt callbacks only queue
 * work; the work items drain the rings in a disable-callbacks / get-buffers
 * / enable-callbacks loop.  Sending takes the fast path (add + kick from the
 * caller) when nothing is queued, else goes through send_pkt_queue and
 * send_pkt_work.  The kernel's file-global the_virtio_vsock is a per-guest
 * struct here (struct vsock_host.g2h_dev).
 * Simplifications: work items run in one event each, after the device's
 * `wq` latency, taking no further time; a 64 KiB packet's payload is one
 * scatter-gather entry per 32 KiB.
 */
#include <string.h>

#include "net/vsock_device.h"
#include "trace/events/vsock.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "linux/virtio_ring.h"
#include "linux/virtio_vsock.h"
#include "net/ipv4.h"
#include "sim/trace.h"

#define VT "net/vmw_vsock/virtio_transport.c:"

struct virtio_vsock;

/* A work_struct on the virtio_vsock workqueue. */
struct vsock_work {
	struct sim_event ev;
	struct virtio_vsock *vsock;
	void (*fn)(struct virtio_vsock *vsock);
};

/* net/vmw_vsock/virtio_transport.c:struct virtio_vsock */
struct virtio_vsock {
	struct vsock_device *dev;
	struct net *net;
	struct virtio_transport *transport;
	struct virtqueue *vqs[VSOCK_VQ_MAX];
	struct vsock_work tx_work, rx_work, event_work, send_pkt_work, loopback_work;
	bool tx_run, rx_run, event_run;
	GQueue send_pkt_queue;		/* struct virtio_vsock_pkt * */
	GQueue loopback_list;		/* 5.0: packets to our own CID */
	int queued_replies;
	int rx_buf_nr;
	int rx_buf_max_nr;
	struct virtio_vsock_event event_list[VIRTIO_VSOCK_EVENT_BUFS];
	uint32_t guest_cid;
};

static void work_event(struct sim *sim, struct sim_event *ev)
{
	struct vsock_work *w = container_of(ev, struct vsock_work, ev);

	w->fn(w->vsock);
}

static void work_init(struct virtio_vsock *vsock, struct vsock_work *w, const char *name,
		      void (*fn)(struct virtio_vsock *vsock))
{
	w->vsock = vsock;
	w->fn = fn;
	sim_event_init(&w->ev, work_event, name);
}

/* Models: kernel/workqueue.c:queue_work() @ v6.18 — false if already pending. */
static bool queue_work(struct virtio_vsock *vsock, struct vsock_work *w)
{
	struct sim *sim = vsock->net->sim;

	if (sim_event_pending(&w->ev))
		return false;
	sim_event_schedule(sim, &w->ev, sim_time_add(sim_now(sim), vsock->dev->params.wq));
	return true;
}

/*
 * Models: drivers/virtio/virtio_ring.c:virtqueue_kick() @ v6.18 =
 * virtqueue_kick_prepare() + virtqueue_notify();
 * a kick the device asked not to get (EVENT_IDX / NO_NOTIFY) is counted.
 */
static void vsock_kick(struct virtio_vsock *vsock, struct virtqueue *vq)
{
	if (virtqueue_kick_prepare(vq)) {
		virtqueue_notify(vq);
		return;
	}
	vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockKicksSuppressed);
	vsock_trace_vq(vsock->dev, vsock->net, (int)vq->index, "virtqueue_kick_suppressed",
		       "drivers/virtio/virtio_ring.c:virtqueue_kick_prepare_split", "avail_event=%u",
		       vq->vring.avail_event);
}

static uint32_t virtio_transport_get_local_cid(const struct vsock_transport *t)
{
	struct virtio_vsock *vsock = to_virtio_transport(t)->dev;

	return vsock ? vsock->guest_cid : VMADDR_CID_ANY;
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_send_skb() @ v6.18
 * one device-readable entry for the
 * 44-byte header, then the payload (one entry, or one per 32 KiB beyond the
 * linear limit; 5.0: header + buffer).
 */
static int virtio_transport_send_skb(struct virtio_vsock *vsock, struct virtio_vsock_pkt *pkt)
{
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_TX];
	uint32_t lens[4] = { VIRTIO_VSOCK_SKB_HEADROOM };
	unsigned int out = 1;
	uint32_t rest = pkt->len;
	int ret;

	while (rest && out < G_N_ELEMENTS(lens)) {
		uint32_t piece = rest > 32768 ? 32768 : rest;

		lens[out++] = piece;
		rest -= piece;
	}
	ret = virtqueue_add_sgs(vq, lens, out, NULL, 0, pkt);
	if (ret < 0) {
		vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockTxRingFull);
		vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_TX, "virtqueue_add_sgs",
			       "drivers/virtio/virtio_ring.c:virtqueue_add_split",
			       "pkt=pkt#%" G_GUINT64_FORMAT " ret=%s", pkt->id, sim_errno_name(-ret));
		return ret;
	}
	vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_TX, "virtqueue_add_sgs",
		       "drivers/virtio/virtio_ring.c:virtqueue_add_split", "pkt=pkt#%" G_GUINT64_FORMAT
		       " sgs=%u", pkt->id, out);
	trace_vsock_ring(vsock->dev, VSOCK_VQ_TX);
	return 0;
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_send_pkt_work() @ v6.18
 * move queued packets to the tx ring.
 */
static void virtio_transport_send_pkt_work(struct virtio_vsock *vsock)
{
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_TX];
	bool added = false, restart_rx = false;
	struct virtio_vsock_pkt *pkt;

	if (!vsock->tx_run)
		return;
	while ((pkt = g_queue_pop_head(&vsock->send_pkt_queue))) {
		bool reply = pkt->reply;

		if (virtio_transport_send_skb(vsock, pkt) < 0) {
			g_queue_push_head(&vsock->send_pkt_queue, pkt);
			break;
		}
		if (reply) {
			int val = --vsock->queued_replies;

			/* Do we now have resources to resume rx processing? */
			if ((unsigned int)val + 1 == virtqueue_get_vring_size(vsock->vqs[VSOCK_VQ_RX]))
				restart_rx = true;
		}
		added = true;
	}
	if (added)
		vsock_kick(vsock, vq);
	if (restart_rx)
		queue_work(vsock, &vsock->rx_work);
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_send_pkt() @ v6.18
 * No device: ENODEV.  Our own
 * CID: ENODEV (vsock_loopback's job; 5.0 loops it back here).  Otherwise the
 * fast path (6.13+) when nothing is queued, else queue + send_pkt_work.
 * Returns the payload length even when only queued: a full tx ring never
 * fails or blocks a sender.
 */
static int virtio_transport_send_pkt(struct virtio_transport *t, struct virtio_vsock_pkt *pkt)
{
	struct virtio_vsock *vsock = t->dev;
	const struct vsock_profile *p = t->net->profile->vsock;
	int len = (int)pkt->len;

	if (!vsock || pkt->hdr.dst_cid == vsock->guest_cid) {
		if (vsock && p->guest_loopback) {
			g_queue_push_tail(&vsock->loopback_list, pkt);
			queue_work(vsock, &vsock->loopback_work);
			return len;
		}
		sim_trace(t->net->sim, t->net->name, NULL, "vsock_pkt_drop",
			  VT "virtio_transport_send_pkt", "pkt=pkt#%" G_GUINT64_FORMAT " reason=%s",
			  pkt->id, vsock ? "own-cid" : "no-device");
		trace_vsock_dev_pkt(t->net, NULL, &pkt->hdr, vsock ? "virtio: destination is the guest's own CID" :
				"virtio: no vsock device");
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
		return -SIM_ENODEV;
	}
	if (!g_queue_is_empty(&vsock->send_pkt_queue) || !p->tx_fast_path ||
	    virtio_transport_send_skb(vsock, pkt) < 0) {
		if (pkt->reply)
			vsock->queued_replies++;
		g_queue_push_tail(&vsock->send_pkt_queue, pkt);
		vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockSendQueued);
		queue_work(vsock, &vsock->send_pkt_work);
	} else {
		vsock_kick(vsock, vsock->vqs[VSOCK_VQ_TX]);	/* the fast path's kick */
	}
	return len;
}

/* Models: net/vmw_vsock/virtio_transport.c:virtio_transport_cancel_pkt() @ v6.18 */
static int virtio_transport_cancel_pkt(struct vsock_sock *vsk)
{
	struct virtio_vsock *vsock = to_virtio_transport(vsk->transport)->dev;
	unsigned int rx_size;
	int cnt, new_cnt;

	if (!vsock)
		return -SIM_ENODEV;
	cnt = virtio_transport_purge_pkts(vsk, &vsock->send_pkt_queue);
	if (cnt) {
		rx_size = virtqueue_get_vring_size(vsock->vqs[VSOCK_VQ_RX]);
		new_cnt = vsock->queued_replies -= cnt;
		if ((unsigned int)(new_cnt + cnt) >= rx_size && (unsigned int)new_cnt < rx_size)
			queue_work(vsock, &vsock->rx_work);
	}
	return 0;
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_rx_fill() @ v6.18
 * post empty rx buffers until the ring is
 * full, then kick.  6.x: one device-writable entry of SKB_WITH_OVERHEAD(4096)
 * bytes including the header; 5.0: a 44-byte header entry plus 4096 bytes.
 * A vsock-rx-starve fault makes the allocation fail.
 */
static void virtio_vsock_rx_fill(struct virtio_vsock *vsock)
{
	const struct vsock_profile *p = vsock->net->profile->vsock;
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_RX];
	int posted = 0;

	do {
		struct virtio_vsock_pkt *buf;
		uint32_t lens[2];
		unsigned int n;

		if (vsock->dev->ops->rx_starved(vsock->dev))
			break;		/* virtio_vsock_alloc_skb() returned NULL */
		buf = vsock_pkt_alloc(vsock->net);
		if (p->rx_buf_linear) {
			buf->buf_len = VIRTIO_VSOCK_DEFAULT_RX_BUF_SIZE_6X;
			lens[0] = buf->buf_len;
			n = 1;
		} else {
			buf->buf_len = VIRTIO_VSOCK_SKB_HEADROOM + VIRTIO_VSOCK_DEFAULT_RX_BUF_SIZE_5_0;
			lens[0] = VIRTIO_VSOCK_SKB_HEADROOM;
			lens[1] = VIRTIO_VSOCK_DEFAULT_RX_BUF_SIZE_5_0;
			n = 2;
		}
		if (virtqueue_add_sgs(vq, NULL, 0, lens, n, buf) < 0) {
			vsock_pkt_free(buf);
			break;
		}
		vsock->rx_buf_nr++;
		posted++;
	} while (vq->num_free);
	if (vsock->rx_buf_nr > vsock->rx_buf_max_nr)
		vsock->rx_buf_max_nr = vsock->rx_buf_nr;
	vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockRxRefills);
	vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_RX, "virtio_vsock_rx_fill", VT "virtio_vsock_rx_fill",
		       "posted=%d rx_buf_nr=%d rx_buf_max_nr=%d", posted, vsock->rx_buf_nr,
		       vsock->rx_buf_max_nr);
	trace_vsock_ring(vsock->dev, VSOCK_VQ_RX);
	vsock_kick(vsock, vq);
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_tx_work() @ v6.18
 * reclaim what the device consumed.
 */
static void virtio_transport_tx_work(struct virtio_vsock *vsock)
{
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_TX];
	bool added = false;
	int reclaimed = 0;

	if (!vsock->tx_run)
		return;
	do {
		struct virtio_vsock_pkt *pkt;
		uint32_t len;

		virtqueue_disable_cb(vq);
		while ((pkt = virtqueue_get_buf(vq, &len)) != NULL) {
			virtio_transport_consume_pkt_sent(pkt);
			vsock_pkt_free(pkt);
			added = true;
			reclaimed++;
		}
	} while (!virtqueue_enable_cb(vq));
	vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_TX, "virtio_transport_tx_work",
		       VT "virtio_transport_tx_work", "reclaimed=%d", reclaimed);
	trace_vsock_ring(vsock->dev, VSOCK_VQ_TX);
	if (added)
		queue_work(vsock, &vsock->send_pkt_work);
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_more_replies() @ v6.18
 * room for replies to rx packets?
 */
static bool virtio_transport_more_replies(const struct virtio_vsock *vsock)
{
	return (unsigned int)vsock->queued_replies <
		virtqueue_get_vring_size(vsock->vqs[VSOCK_VQ_RX]);
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_transport_rx_work() @ v6.18
 * hand each filled buffer to
 * virtio_transport_recv_pkt(); stop (callbacks left off) while too many
 * replies wait in send_pkt_queue; refill when fewer than half the buffers
 * are posted.
 */
static void virtio_transport_rx_work(struct virtio_vsock *vsock)
{
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_RX];
	int got = 0;

	if (!vsock->rx_run)
		return;
	do {
		virtqueue_disable_cb(vq);
		for (;;) {
			struct virtio_vsock_pkt *pkt;
			uint32_t len;

			if (!virtio_transport_more_replies(vsock)) {
				vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockRxThrottled);
				vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_RX, "vsock_rx_throttle",
					       VT "virtio_transport_more_replies", "queued_replies=%d",
					       vsock->queued_replies);
				goto out;
			}
			pkt = virtqueue_get_buf(vq, &len);
			if (!pkt)
				break;
			vsock->rx_buf_nr--;
			got++;
			if (len < VIRTIO_VSOCK_SKB_HEADROOM || len > pkt->buf_len ||
			    pkt->hdr.len > len - VIRTIO_VSOCK_SKB_HEADROOM) {
				vsock_pkt_msg_end(pkt, MSG_DROPPED);
				vsock_pkt_free(pkt);
				continue;
			}
			pkt->len = pkt->hdr.len;	/* virtio_vsock_skb_rx_put() */
			virtio_transport_recv_pkt(vsock->transport, pkt);
		}
	} while (!virtqueue_enable_cb(vq));
out:
	vsock_trace_vq(vsock->dev, vsock->net, VSOCK_VQ_RX, "virtio_transport_rx_work",
		       VT "virtio_transport_rx_work", "pkts=%d rx_buf_nr=%d", got, vsock->rx_buf_nr);
	trace_vsock_ring(vsock->dev, VSOCK_VQ_RX);
	if (vsock->rx_buf_nr < vsock->rx_buf_max_nr / 2)
		virtio_vsock_rx_fill(vsock);
}

/* Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_event_fill_one() @ v6.18 */
static int virtio_vsock_event_fill_one(struct virtio_vsock *vsock, struct virtio_vsock_event *ev)
{
	uint32_t len = sizeof(*ev);

	return virtqueue_add_sgs(vsock->vqs[VSOCK_VQ_EVENT], NULL, 0, &len, 1, ev);
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_reset_sock() @ v6.18
 * no SOCK_DONE, no table removal.
 */
static void virtio_vsock_reset_sock(struct sock *sk)
{
	sim_trace(sock_net(sk)->sim, sock_net(sk)->name, NULL, "vsock_sk_err", VT "virtio_vsock_reset_sock",
		  "sk=sk#%u err=ECONNRESET", sk->id);
	vsock_set_state(sk, TCP_CLOSE);
	sk->sk_err = SIM_ECONNRESET;
	sk_error_report(sk);
}

/* Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_event_handle() @ v6.18 */
static void virtio_vsock_event_handle(struct virtio_vsock *vsock, const struct virtio_vsock_event *ev)
{
	if (ev->id != VIRTIO_VSOCK_EVENT_TRANSPORT_RESET)
		return;
	vsock_ctr_inc(vsock->net, VSOCK_CTR_VsockTransportResets);
	sim_trace(vsock->net->sim, vsock->net->name, NULL, "vsock_transport_reset",
		  VT "virtio_vsock_event_handle", "guest_cid=%u", vsock->guest_cid);
	vsock->guest_cid = vsock->dev->guest_cid;	/* virtio_vsock_update_guest_cid() */
	vsock_for_each_connected_socket(vsock_host_get(vsock->net), &vsock->transport->transport,
					virtio_vsock_reset_sock);
}

/* Models: net/vmw_vsock/virtio_transport.c:virtio_transport_event_work() @ v6.18 */
static void virtio_transport_event_work(struct virtio_vsock *vsock)
{
	struct virtqueue *vq = vsock->vqs[VSOCK_VQ_EVENT];

	if (!vsock->event_run)
		return;
	do {
		struct virtio_vsock_event *ev;
		uint32_t len;

		virtqueue_disable_cb(vq);
		while ((ev = virtqueue_get_buf(vq, &len)) != NULL) {
			if (len == sizeof(*ev))
				virtio_vsock_event_handle(vsock, ev);
			virtio_vsock_event_fill_one(vsock, ev);
		}
	} while (!virtqueue_enable_cb(vq));
	vsock_kick(vsock, vq);
}

/* 5.0: virtio_transport_loopback_work() — our own CID, delivered under rx_lock. */
static void virtio_transport_loopback_work(struct virtio_vsock *vsock)
{
	struct virtio_vsock_pkt *pkt;

	while ((pkt = g_queue_pop_head(&vsock->loopback_list))) {
		virtio_transport_consume_pkt_sent(pkt);
		virtio_transport_recv_pkt(vsock->transport, pkt);
	}
}

/* The interrupt handlers: virtio_vsock_{rx,tx,event}_done() only queue work. */
static void virtio_vsock_rx_done(struct virtqueue *vq)
{
	struct virtio_vsock *vsock = vq->priv;

	queue_work(vsock, &vsock->rx_work);
}

static void virtio_vsock_tx_done(struct virtqueue *vq)
{
	struct virtio_vsock *vsock = vq->priv;

	queue_work(vsock, &vsock->tx_work);
}

static void virtio_vsock_event_done(struct virtqueue *vq)
{
	struct virtio_vsock *vsock = vq->priv;

	queue_work(vsock, &vsock->event_work);
}

/* The notify register write: the device model takes it from here. */
static bool virtio_vsock_notify(struct virtqueue *vq)
{
	struct virtio_vsock *vsock = vq->priv;

	vsock->dev->ops->notify(vsock->dev, (int)vq->index);
	return true;
}

static const struct vsock_transport virtio_transport_template = {
	.name = "virtio_transport",
	.features = VSOCK_TRANSPORT_F_G2H,
	.get_local_cid = virtio_transport_get_local_cid,
	.cancel_pkt = virtio_transport_cancel_pkt,
};

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_probe() @ v6.18
 * + virtio_vsock_vqs_init() — the device's
 * three queues, the guest CID from config space, and the g2h transport slot
 * (vsock_core_register(VSOCK_TRANSPORT_F_G2H)).  The queues start with
 * virtio_vsock_vqs_start() once the device side is attached.
 */
struct virtio_vsock *virtio_vsock_probe(struct vsock_device *dev)
{
	static const char *const names[VSOCK_VQ_MAX] = { "rx", "tx", "event" };
	const vq_callback_t cbs[VSOCK_VQ_MAX] = { virtio_vsock_rx_done, virtio_vsock_tx_done,
						  virtio_vsock_event_done };
	const unsigned int sizes[VSOCK_VQ_MAX] = { dev->params.rx_queue, dev->params.tx_queue,
						   dev->params.event_queue };
	struct vsock_host *vh = vsock_host_get(dev->guest);
	struct virtio_vsock *vsock = g_new0(struct virtio_vsock, 1);

	vsock->dev = dev;
	vsock->net = dev->guest;
	vsock->guest_cid = dev->guest_cid;
	g_queue_init(&vsock->send_pkt_queue);
	g_queue_init(&vsock->loopback_list);
	work_init(vsock, &vsock->rx_work, "virtio_transport_rx_work", virtio_transport_rx_work);
	work_init(vsock, &vsock->tx_work, "virtio_transport_tx_work", virtio_transport_tx_work);
	work_init(vsock, &vsock->event_work, "virtio_transport_event_work", virtio_transport_event_work);
	work_init(vsock, &vsock->send_pkt_work, "virtio_transport_send_pkt_work",
		  virtio_transport_send_pkt_work);
	work_init(vsock, &vsock->loopback_work, "virtio_transport_loopback_work",
		  virtio_transport_loopback_work);
	for (int i = 0; i < VSOCK_VQ_MAX; i++)
		vsock->vqs[i] = vring_create_virtqueue((unsigned int)i, sizes[i], dev->params.indirect,
						       dev->params.event_idx, names[i], cbs[i],
						       virtio_vsock_notify, vsock);
	vh->g2h = g_new0(struct virtio_transport, 1);
	vh->g2h->transport = virtio_transport_template;
	virtio_transport_common_ops(&vh->g2h->transport);
	vh->g2h->send_pkt = virtio_transport_send_pkt;
	vh->g2h->net = dev->guest;
	vh->g2h->dev = vsock;
	vh->transport_g2h = &vh->g2h->transport;
	vh->g2h_dev = vsock;
	vsock->transport = vh->g2h;
	return vsock;
}

/*
 * Models: net/vmw_vsock/virtio_transport.c:virtio_vsock_vqs_start() @ v6.18
 * fill rx and event rings, flush early sends.
 */
void virtio_vsock_vqs_start(struct virtio_vsock *vsock)
{
	vsock->tx_run = true;
	virtio_vsock_rx_fill(vsock);
	vsock->rx_run = true;
	for (unsigned int i = 0; i < G_N_ELEMENTS(vsock->event_list); i++)
		virtio_vsock_event_fill_one(vsock, &vsock->event_list[i]);
	vsock_kick(vsock, vsock->vqs[VSOCK_VQ_EVENT]);
	vsock->event_run = true;
	queue_work(vsock, &vsock->send_pkt_work);
}

/* Teardown at the end of the run (not virtio_vsock_remove(): no socket resets). */
void virtio_vsock_free(struct virtio_vsock *vsock)
{
	void *buf;

	if (!vsock)
		return;
	/* The simulation is already freed: pending work items went with it. */
	for (int i = 0; i < VSOCK_VQ_MAX; i++) {
		while (i != VSOCK_VQ_EVENT && (buf = virtqueue_detach_unused_buf(vsock->vqs[i])))
			vsock_pkt_free(buf);
		vring_del_virtqueue(vsock->vqs[i]);
	}
	g_queue_clear_full(&vsock->send_pkt_queue, (GDestroyNotify)vsock_pkt_free);
	g_queue_clear_full(&vsock->loopback_list, (GDestroyNotify)vsock_pkt_free);
	g_free(vsock);
}

struct virtqueue *virtio_vsock_vq(struct virtio_vsock *vsock, int idx)
{
	return vsock->vqs[idx];
}

GQueue *virtio_vsock_send_queue(struct virtio_vsock *vsock)
{
	return &vsock->send_pkt_queue;
}

GQueue *virtio_vsock_loopback_queue(struct virtio_vsock *vsock)
{
	return &vsock->loopback_list;
}

int virtio_vsock_queued_replies(const struct virtio_vsock *vsock)
{
	return vsock->queued_replies;
}
