/* SPDX-License-Identifier: MIT */
/* Not kernel code: vsock connection statistics for the results document. */
#include "vsock_stats.h"

#include "linux/virtio_ring.h"
#include "linux/virtio_vsock.h"
#include "net/af_vsock.h"
#include "net/vsock_device.h"
#include "series.h"

static void conn_free(struct vsock_conn_stats *c)
{
	g_array_free(c->samples, TRUE);
	g_array_free(c->sent_iv, TRUE);
	g_array_free(c->recv_iv, TRUE);
	g_free(c);
}

static struct vsock_conn_stats *conn_of(struct vsock_stats *vs, struct vsock_sock *vsk)
{
	struct vsock_conn_stats *c = g_hash_table_lookup(vs->by_sock, vsk);

	if (!c) {
		c = g_new0(struct vsock_conn_stats, 1);
		c->samples = g_array_new(FALSE, FALSE, sizeof(struct vsock_sample));
		c->sent_iv = g_array_new(FALSE, TRUE, sizeof(uint64_t));
		c->recv_iv = g_array_new(FALSE, TRUE, sizeof(uint64_t));
		g_hash_table_insert(vs->by_sock, vsk, c);
	}
	return c;
}

/* Samples closer than a hundredth of the interval are merged (the later wins). */
static void on_credit(void *ctx, struct vsock_sock *vsk)
{
	struct vsock_stats *vs = ctx;
	struct vsock_conn_stats *c = conn_of(vs, vsk);
	struct virtio_vsock_sock *vvs = vsk->trans;
	struct vsock_sample s = { .t = net_now(sock_net(&vsk->sk)) }, *last;

	if (!vs->interval || !c->start || !vvs)
		return;
	s.blocked = c->send_waiters > 0;
	s.peer_free = vsock_stream_has_space(vsk);
	s.rx_bytes = vvs->rx_bytes;
	s.buf_alloc = vvs->buf_alloc;
	s.peer_buf_alloc = vvs->peer_buf_alloc;
	s.fwd_cnt = vvs->fwd_cnt;
	s.peer_fwd_cnt = vvs->peer_fwd_cnt;
	s.tx_cnt = vvs->tx_cnt;
	last = series_mergeable(c->samples, s.t, vs->interval / 100);
	if (last) {
		s.t = last->t;
		s.blocked |= last->blocked;
		*last = s;
		return;
	}
	g_array_append_val(c->samples, s);
}

static void on_bytes(void *ctx, struct vsock_sock *vsk, uint64_t sent, uint64_t received)
{
	struct vsock_stats *vs = ctx;
	struct vsock_conn_stats *c = conn_of(vs, vsk);
	sim_time_t now = net_now(sock_net(&vsk->sk));

	c->bytes_sent += sent;
	c->bytes_received += received;
	if (received)
		c->last_received = now;
	if (vs->interval && c->start) {
		if (sent)
			*series_bucket(c->sent_iv, c->start, vs->interval, now) += sent;
		if (received)
			*series_bucket(c->recv_iv, c->start, vs->interval, now) += received;
	}
	on_credit(ctx, vsk);
}

static void on_send_wait(void *ctx, struct vsock_sock *vsk, bool waiting)
{
	struct vsock_conn_stats *c = conn_of(ctx, vsk);

	if (waiting) {
		c->send_waiters++;
		on_credit(ctx, vsk);
	} else {
		c->send_waiters--;
	}
}

static void on_sock_state(void *ctx, struct sock *sk)
{
	struct vsock_conn_stats *c;

	if (sk->sk_family != AF_VSOCK || sk->sk_state != TCP_ESTABLISHED)
		return;
	c = conn_of(ctx, vsock_sk(sk));
	if (!c->start)
		c->start = net_now(sock_net(sk));
}

static void vq_series_free(GArray **q)
{
	for (int i = 0; i < VSOCK_VQ_MAX; i++)
		g_array_free(q[i], TRUE);
	g_free(q);
}

static struct vq_sample vq_sample_now(struct vsock_device *dev, int idx)
{
	struct virtqueue *vq = virtio_vsock_vq(dev->drv, idx);
	const struct vhost_virtqueue *hvq = idx == VSOCK_VQ_EVENT ? &dev->event_vq :
		vhost_vsock_vq(dev->vhost, idx);
	struct vq_sample s = { .in_use = virtqueue_in_use(vq) };

	if (hvq && hvq->gvq)
		s.avail_pending = vhost_vq_avail_pending(hvq);
	s.used_pending = (uint16_t)(vq->vring.used_idx - vq->last_used_idx);
	return s;
}

/* One sample per interval and virtqueue: the last state, and the highest occupancy. */
static void on_ring(void *ctx, struct vsock_device *dev, int idx)
{
	struct vsock_stats *vs = ctx;
	sim_time_t now = net_now(dev->guest);
	GArray **q;
	struct vq_sample s, *last;

	if (!dev->drv || !dev->vhost || !vs->interval)
		return;
	q = g_hash_table_lookup(vs->by_dev, dev);
	if (!q) {
		q = g_new0(GArray *, VSOCK_VQ_MAX);
		for (int i = 0; i < VSOCK_VQ_MAX; i++)
			q[i] = g_array_new(FALSE, FALSE, sizeof(struct vq_sample));
		g_hash_table_insert(vs->by_dev, dev, q);
	}
	s = vq_sample_now(dev, idx);
	s.t = now - now % vs->interval;
	s.max_in_use = s.in_use;
	last = series_mergeable(q[idx], s.t, 1);	/* the same interval */
	if (last) {
		s.max_in_use = MAX(s.in_use, last->max_in_use);
		*last = s;
		return;
	}
	g_array_append_val(q[idx], s);
}

const GArray *vsock_stats_vq(const struct vsock_stats *vs, const struct vsock_device *dev, int idx)
{
	GArray **q = g_hash_table_lookup(vs->by_dev, dev);

	return q ? q[idx] : NULL;
}

struct vsock_stats *vsock_stats_new(struct kernel_shared *ks, sim_time_t interval)
{
	struct vsock_stats *vs = g_new0(struct vsock_stats, 1);

	vs->interval = interval;
	vs->by_sock = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					    (GDestroyNotify)conn_free);
	vs->by_dev = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					   (GDestroyNotify)vq_series_free);
	vs->sub = (struct trace_subscriber){
		.ctx = vs,
		.sock_state = on_sock_state,
		.vsock_credit = on_credit,
		.vsock_bytes = on_bytes,
		.vsock_send_wait = on_send_wait,
		.vsock_ring = on_ring,
	};
	trace_subscribe(ks, &vs->sub);
	return vs;
}

void vsock_stats_free(struct vsock_stats *vs)
{
	if (!vs)
		return;
	g_hash_table_destroy(vs->by_sock);
	g_hash_table_destroy(vs->by_dev);
	g_free(vs);
}

const struct vsock_conn_stats *vsock_stats_of(const struct vsock_stats *vs,
					      const struct vsock_sock *vsk)
{
	return g_hash_table_lookup(vs->by_sock, vsk);
}
