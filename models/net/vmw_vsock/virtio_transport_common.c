/* SPDX-License-Identifier: MIT */
/*
 * The virtio-vsock protocol, shared by the guest driver (virtio_transport.c)
 * and the host device (drivers/vhost/vsock.c): credit accounting, packet
 * building, and the per-state receive handlers.  Guest and host differ only
 * in struct virtio_transport.send_pkt.
 * Models: net/vmw_vsock/virtio_transport_common.c @ v6.18 (= v6.19 for this
 * file), with the 5.0 differences behind net/vsock_profile.h flags.
 * Simplifications: packets carry lengths, not bytes; no SOCK_SEQPACKET data
 * path (the device never negotiates VIRTIO_VSOCK_F_SEQPACKET), no
 * MSG_ZEROCOPY, no sockmap read_skb, no vsockmon taps, no SO_LINGER.
 */
#include "uapi/linux/eventpoll.h"
#include <string.h>

#include "net/vsock_device.h"
#include "trace/events/vsock.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "linux/virtio_vsock.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "sim/trace.h"

#define VTC "net/vmw_vsock/virtio_transport_common.c:"

/* ---- credit ---------------------------------------------------------- */

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_tx_buf_size() @ v6.18
 * 6.18.y/6.19 cap by our own buf_alloc.
 */
static uint32_t virtio_transport_tx_buf_size(const struct virtio_vsock_sock *vvs,
					     const struct vsock_profile *p)
{
	if (p->tx_cap_own_buf_alloc)
		return MIN(vvs->peer_buf_alloc, vvs->buf_alloc);
	return vvs->peer_buf_alloc;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_has_space() @ v6.18
 * the bytes the peer can still take:
 * peer_buf_alloc - (tx_cnt - peer_fwd_cnt).  6.x computes in s64 and floors
 * at 0; 5.0 computed in u32, so a peer that shrinks its buffer below the
 * bytes in flight makes the result wrap to a huge credit.
 */
int64_t virtio_transport_has_space(const struct virtio_vsock_sock *vvs,
				   const struct vsock_profile *p)
{
	int64_t bytes;

	if (!p->credit_s64)
		return (uint32_t)(vvs->peer_buf_alloc - (vvs->tx_cnt - vvs->peer_fwd_cnt));
	bytes = (int64_t)virtio_transport_tx_buf_size(vvs, p) -
		(int64_t)(uint32_t)(vvs->tx_cnt - vvs->peer_fwd_cnt);
	return bytes < 0 ? 0 : bytes;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_get_credit() @ v6.18 */
uint32_t virtio_transport_get_credit(struct virtio_vsock_sock *vvs, uint32_t want,
				     const struct vsock_profile *p)
{
	int64_t space;
	uint32_t ret;

	if (!want)
		return 0;
	space = virtio_transport_has_space(vvs, p);
	ret = (uint64_t)space < want ? (uint32_t)space : want;
	vvs->tx_cnt += ret;
	vvs->bytes_unsent += ret;
	return ret;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_put_credit() @ v6.18 */
void virtio_transport_put_credit(struct virtio_vsock_sock *vvs, uint32_t credit)
{
	if (!credit)
		return;
	vvs->tx_cnt -= credit;
	vvs->bytes_unsent -= credit;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_inc_rx_pkt() @ v6.18
 * 6.19 admits a packet only if it
 * fits in buf_alloc counting whole queued packets (buf_used); 5.4..6.14
 * counted rx_bytes; 5.0 admitted everything.
 */
bool virtio_transport_inc_rx_pkt(struct virtio_vsock_sock *vvs, uint32_t len,
				 const struct vsock_profile *p)
{
	if (p->rx_credit_check) {
		uint64_t used = p->rx_buf_used ? vvs->buf_used : vvs->rx_bytes;

		if (used + len > vvs->buf_alloc)
			return false;
	}
	vvs->rx_bytes += len;
	vvs->buf_used += len;
	return true;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_dec_rx_pkt() @ v6.18
 * (read bytes vs dequeued packets).
 */
void virtio_transport_dec_rx_pkt(struct virtio_vsock_sock *vvs, uint32_t bytes_read,
				 uint32_t bytes_dequeued)
{
	vvs->rx_bytes -= bytes_read;
	vvs->buf_used -= bytes_dequeued;
	vvs->fwd_cnt += bytes_dequeued;
}

/*
 * When virtio_transport_stream_do_dequeue() ends with a CREDIT_UPDATE.
 * 6.6+: something was consumed since the last packet we sent, and either
 * the advertised free space fell below 64 KiB or fewer bytes than
 * SO_RCVLOWAT are left.  5.4..6.5: free space < 64 KiB.  5.0: always.
 */
bool virtio_transport_credit_update_due(const struct virtio_vsock_sock *vvs, int rcvlowat,
					const struct vsock_profile *p)
{
	uint32_t delta = vvs->fwd_cnt - vvs->last_fwd_cnt;
	uint32_t free_space = vvs->buf_alloc - delta;

	switch (p->credit_update) {
	case VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE:
		return true;
	case VSOCK_CREDIT_UPDATE_LOW_FREE:
		return free_space < VIRTIO_VSOCK_MAX_PKT_BUF_SIZE;
	case VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT:
		return delta && (free_space < VIRTIO_VSOCK_MAX_PKT_BUF_SIZE ||
				 vvs->rx_bytes < (uint32_t)rcvlowat);
	}
	return false;
}

uint32_t virtio_transport_max_pkt_len(const struct vsock_profile *p)
{
	return p->max_pkt_payload;
}

/* ---- building and sending packets ------------------------------------ */

static struct virtio_transport *virtio_transport_get_ops(struct vsock_sock *vsk)
{
	return to_virtio_transport(vsk->transport);
}

static uint16_t virtio_transport_get_type(const struct vsock_sock *vsk)
{
	return vsk->sk_type == SOCK_STREAM ? VIRTIO_VSOCK_TYPE_STREAM : VIRTIO_VSOCK_TYPE_SEQPACKET;
}

static void trace_pkt(struct net *net, const char *event, const char *func,
		      const struct virtio_vsock_pkt *pkt, const char *extra)
{
	g_autofree char *d = vsock_pkt_describe(pkt);

	sim_trace(net->sim, net->name, NULL, event, func, "%s%s%s", d, extra ? " " : "",
		  extra ? extra : "");
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_alloc_skb() @ v6.18
 * + virtio_transport_init_hdr() (+ its tracepoint).
 */
static struct virtio_vsock_pkt *
virtio_transport_alloc_pkt(struct net *net, const struct virtio_vsock_pkt_info *info,
			   uint32_t payload_len, uint32_t src_cid, uint32_t src_port,
			   uint32_t dst_cid, uint32_t dst_port)
{
	struct virtio_vsock_pkt *pkt = vsock_pkt_alloc(net);

	pkt->hdr.type = info->type;
	pkt->hdr.op = info->op;
	pkt->hdr.src_cid = src_cid;
	pkt->hdr.dst_cid = dst_cid;
	pkt->hdr.src_port = src_port;
	pkt->hdr.dst_port = dst_port;
	pkt->hdr.flags = info->flags;
	pkt->hdr.len = payload_len;
	pkt->len = payload_len;
	pkt->owner = info->vsk;		/* skb_set_owner_w() */
	pkt->reply = info->reply;
	vsock_pkt_msg_start(pkt);
	return pkt;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_inc_tx_pkt() @ v6.18
 * stamp our credit on an outgoing packet.
 */
void virtio_transport_inc_tx_pkt(struct virtio_vsock_sock *vvs, struct virtio_vsock_pkt *pkt)
{
	vvs->last_fwd_cnt = vvs->fwd_cnt;
	pkt->hdr.fwd_cnt = vvs->fwd_cnt;
	pkt->hdr.buf_alloc = vvs->buf_alloc;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_consume_skb_sent() @ v6.18
 * the device took a tx packet.
 */
void virtio_transport_consume_pkt_sent(struct virtio_vsock_pkt *pkt)
{
	if (pkt->owner && pkt->owner->trans && pkt->len)
		pkt->owner->trans->bytes_unsent -= pkt->len;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_send_pkt_info() @ v6.18
 * Takes as much credit as
 * available (an RW with none sends nothing), then cuts packets of at most
 * the profile's payload size and hands each to the transport's send_pkt.
 * 6.6+ loops until the credit is used; 5.0 sends one packet (of <= 4 KiB).
 */
static int virtio_transport_send_pkt_info(struct vsock_sock *vsk,
					  struct virtio_vsock_pkt_info *info)
{
	const struct vsock_profile *p = vsock_profile_of(&vsk->sk);
	struct virtio_transport *t = virtio_transport_get_ops(vsk);
	struct virtio_vsock_sock *vvs = vsk->trans;
	uint32_t max_len = virtio_transport_max_pkt_len(p);
	uint32_t src_cid, src_port, dst_cid, dst_port;
	uint32_t pkt_len = info->pkt_len, rest_len;
	int ret = 0;

	info->type = virtio_transport_get_type(vsk);
	src_cid = t->transport.get_local_cid(&t->transport);
	src_port = vsk->local_addr.svm_port;
	if (!info->remote_cid) {
		dst_cid = vsk->remote_addr.svm_cid;
		dst_port = vsk->remote_addr.svm_port;
	} else {
		dst_cid = info->remote_cid;
		dst_port = info->remote_port;
	}
	if (!p->send_pkt_loop && pkt_len > max_len)
		pkt_len = max_len;
	pkt_len = virtio_transport_get_credit(vvs, pkt_len, p);
	if (pkt_len == 0 && info->op == VIRTIO_VSOCK_OP_RW)
		return 0;
	rest_len = pkt_len;
	do {
		uint32_t len = MIN(max_len, rest_len);
		struct virtio_vsock_pkt *pkt;
		char extra[96];

		pkt = virtio_transport_alloc_pkt(sock_net(&vsk->sk), info, len, src_cid, src_port,
						 dst_cid, dst_port);
		virtio_transport_inc_tx_pkt(vvs, pkt);
		g_snprintf(extra, sizeof(extra), "sk=sk#%u tx_cnt=%u peer_fwd_cnt=%u peer_buf_alloc=%u",
			   vsk->sk.id, vvs->tx_cnt, vvs->peer_fwd_cnt, vvs->peer_buf_alloc);
		trace_pkt(sock_net(&vsk->sk), "virtio_transport_alloc_pkt", VTC "virtio_transport_alloc_skb",
			  pkt, extra);
		vsock_ctr_inc(sock_net(&vsk->sk), VSOCK_CTR_VsockTxPkts);
		vsock_ctr_add(sock_net(&vsk->sk), VSOCK_CTR_VsockTxBytes, len);
		if (info->op == VIRTIO_VSOCK_OP_RST)
			vsock_ctr_inc(sock_net(&vsk->sk), VSOCK_CTR_VsockRstSent);
		if (info->op == VIRTIO_VSOCK_OP_CREDIT_UPDATE)
			vsock_ctr_inc(sock_net(&vsk->sk), VSOCK_CTR_VsockCreditUpdateSent);
		trace_vsock_pkt_xmit(sock_net(&vsk->sk), pkt);
		ret = t->send_pkt(t, pkt);
		if (ret < 0)
			break;
		rest_len -= (uint32_t)ret;
	} while (rest_len && p->send_pkt_loop);
	virtio_transport_put_credit(vvs, rest_len);
	trace_vsock_credit(vsk);
	if (rest_len != pkt_len)
		ret = (int)(pkt_len - rest_len);
	return ret;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_send_credit_update() @ v6.18 */
static int virtio_transport_send_credit_update(struct vsock_sock *vsk)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_CREDIT_UPDATE,
		.vsk = vsk,
	};

	return virtio_transport_send_pkt_info(vsk, &info);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_stream_do_peek() @ v6.18
 * (profile flag stream_msg_peek; 5.0: EOPNOTSUPP).
 */
static long virtio_transport_stream_do_peek(struct vsock_sock *vsk, size_t len)
{
	struct virtio_vsock_sock *vvs = vsk->trans;
	size_t total = 0;

	for (GList *l = vvs->rx_queue.head; l && total < len; l = l->next) {
		const struct virtio_vsock_pkt *pkt = l->data;

		total += MIN(len - total, (size_t)(pkt->len - pkt->off));
	}
	return (long)total;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_stream_do_dequeue() @ v6.18
 * copy from the head
 * packets; a packet fully read leaves the queue and credits fwd_cnt with its
 * whole length (5.0 .. 6.14 also drop rx_bytes only then).  Ends with a
 * CREDIT_UPDATE when the profile's rule says so.
 */
static long virtio_transport_stream_do_dequeue(struct vsock_sock *vsk, size_t len)
{
	const struct vsock_profile *p = vsock_profile_of(&vsk->sk);
	struct virtio_vsock_sock *vvs = vsk->trans;
	size_t total = 0;

	while (total < len && !g_queue_is_empty(&vvs->rx_queue)) {
		struct virtio_vsock_pkt *pkt = g_queue_peek_head(&vvs->rx_queue);
		uint32_t bytes = (uint32_t)MIN(len - total, (size_t)(pkt->len - pkt->off));
		uint32_t dequeued = 0;

		total += bytes;
		pkt->off += bytes;
		if (pkt->off == pkt->len) {
			dequeued = pkt->hdr.len;
			g_queue_pop_head(&vvs->rx_queue);
			vsock_pkt_free(pkt);
		}
		if (p->rx_buf_used)
			virtio_transport_dec_rx_pkt(vvs, bytes, dequeued);
		else
			virtio_transport_dec_rx_pkt(vvs, dequeued, dequeued);
	}
	if (virtio_transport_credit_update_due(vvs, vsock_rcvlowat(&vsk->sk), p))
		virtio_transport_send_credit_update(vsk);
	return (long)total;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_stream_dequeue() @ v6.18 */
static long virtio_transport_stream_dequeue(struct vsock_sock *vsk, size_t len, int flags)
{
	if (flags & MSG_PEEK) {
		if (!vsock_profile_of(&vsk->sk)->stream_msg_peek)
			return -SIM_EOPNOTSUPP;
		return virtio_transport_stream_do_peek(vsk, len);
	}
	return virtio_transport_stream_do_dequeue(vsk, len);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_stream_enqueue() @ v6.18 */
static long virtio_transport_stream_enqueue(struct vsock_sock *vsk, size_t len)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_RW,
		.pkt_len = (uint32_t)MIN(len, (size_t)UINT32_MAX),
		.vsk = vsk,
	};

	return virtio_transport_send_pkt_info(vsk, &info);
}

static int64_t virtio_transport_stream_has_data(struct vsock_sock *vsk)
{
	return vsk->trans->rx_bytes;
}

static int64_t virtio_transport_stream_has_space(struct vsock_sock *vsk)
{
	return virtio_transport_has_space(vsk->trans, vsock_profile_of(&vsk->sk));
}

static uint64_t virtio_transport_stream_rcvhiwat(struct vsock_sock *vsk)
{
	return vsk->buffer_size;
}

static bool virtio_transport_stream_allow(uint32_t cid, uint32_t port)
{
	return true;
}

/* The device model never negotiates VIRTIO_VSOCK_F_SEQPACKET. */
static bool virtio_transport_seqpacket_allow(const struct vsock_transport *t, uint32_t remote_cid)
{
	return false;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_do_socket_init() @ v6.18 */
static int virtio_transport_do_socket_init(struct vsock_sock *vsk, struct vsock_sock *psk)
{
	struct virtio_vsock_sock *vvs = g_new0(struct virtio_vsock_sock, 1);

	vsk->trans = vvs;
	vvs->vsk = vsk;
	g_queue_init(&vvs->rx_queue);
	if (psk && psk->trans)
		vvs->peer_buf_alloc = psk->trans->peer_buf_alloc;
	if (vsk->buffer_size > VIRTIO_VSOCK_MAX_BUF_SIZE)
		vsk->buffer_size = VIRTIO_VSOCK_MAX_BUF_SIZE;
	vvs->buf_alloc = (uint32_t)vsk->buffer_size;
	return 0;
}

static void virtio_transport_cancel_close_work(struct vsock_sock *vsk, bool cancel_timeout);

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_destruct() @ v6.18
 * The state is kept (not freed) until
 * the world ends, because packets still in rings may point at it.
 */
static void virtio_transport_destruct(struct vsock_sock *vsk)
{
	virtio_transport_cancel_close_work(vsk, true);
	vsock_retire_trans(sock_net(&vsk->sk), vsk->trans);
	vsk->trans = NULL;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_notify_buffer_size() @ v6.18
 * (5.0: set_buffer_size, no update).
 */
static void virtio_transport_notify_buffer_size(struct vsock_sock *vsk, uint64_t *val)
{
	struct virtio_vsock_sock *vvs = vsk->trans;

	if (*val > VIRTIO_VSOCK_MAX_BUF_SIZE)
		*val = VIRTIO_VSOCK_MAX_BUF_SIZE;
	vvs->buf_alloc = (uint32_t)*val;
	if (vsock_profile_of(&vsk->sk)->buffer_size_credit_update)
		virtio_transport_send_credit_update(vsk);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_notify_set_rcvlowat() @ v6.18
 * (6.8, 6.6.y: profile flag rcvlowat_credit_update)
 */
static int virtio_transport_notify_set_rcvlowat(struct vsock_sock *vsk, int val)
{
	struct virtio_vsock_sock *vvs = vsk->trans;

	if (vvs->rx_bytes < (uint32_t)val && vvs->fwd_cnt != vvs->last_fwd_cnt) {
		int err = virtio_transport_send_credit_update(vsk);

		if (err < 0)
			return err;
	}
	return 0;
}

static int64_t virtio_transport_unsent_bytes(struct vsock_sock *vsk)
{
	return (int64_t)vsk->trans->bytes_unsent;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_connect() @ v6.18
 * one REQUEST.
 */
static int virtio_transport_connect(struct vsock_sock *vsk)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_REQUEST,
		.vsk = vsk,
	};

	return virtio_transport_send_pkt_info(vsk, &info);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_shutdown() @ v6.18 */
static int virtio_transport_shutdown(struct vsock_sock *vsk, int mode)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_SHUTDOWN,
		.flags = (uint32_t)((mode & RCV_SHUTDOWN ? VIRTIO_VSOCK_SHUTDOWN_RCV : 0) |
				    (mode & SEND_SHUTDOWN ? VIRTIO_VSOCK_SHUTDOWN_SEND : 0)),
		.vsk = vsk,
	};

	return virtio_transport_send_pkt_info(vsk, &info);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_reset() @ v6.18
 * RST from a socket, never in answer to an RST.
 */
static int virtio_transport_reset(struct vsock_sock *vsk, const struct virtio_vsock_pkt *pkt)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_RST,
		.reply = pkt != NULL,
		.vsk = vsk,
	};

	if (pkt && pkt->hdr.op == VIRTIO_VSOCK_OP_RST)
		return 0;
	return virtio_transport_send_pkt_info(vsk, &info);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_reset_no_sock() @ v6.18
 * an RST with swapped addresses
 * and zero credit fields, straight to the transport; never for an RST.
 */
static int virtio_transport_reset_no_sock(struct virtio_transport *t,
					  const struct virtio_vsock_pkt *pkt, struct vsock_sock *vsk)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_RST,
		.type = pkt->hdr.type,
		.reply = true,
		.vsk = vsk,
	};
	struct virtio_vsock_pkt *reply;

	if (pkt->hdr.op == VIRTIO_VSOCK_OP_RST)
		return 0;
	if (!t)
		return -SIM_ENOTCONN;
	reply = virtio_transport_alloc_pkt(t->net, &info, 0, (uint32_t)pkt->hdr.dst_cid,
					   pkt->hdr.dst_port, (uint32_t)pkt->hdr.src_cid,
					   pkt->hdr.src_port);
	trace_pkt(t->net, "virtio_transport_alloc_pkt", VTC "virtio_transport_reset_no_sock",
		  reply, NULL);
	vsock_ctr_inc(t->net, VSOCK_CTR_VsockTxPkts);
	vsock_ctr_inc(t->net, VSOCK_CTR_VsockRstSent);
	trace_vsock_pkt_xmit(t->net, reply);
	return t->send_pkt(t, reply);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_remove_sock() @ v6.18 */
static void virtio_transport_remove_sock(struct vsock_sock *vsk)
{
	struct virtio_vsock_sock *vvs = vsk->trans;
	struct virtio_vsock_pkt *pkt;

	while (vvs && (pkt = g_queue_pop_head(&vvs->rx_queue)))
		vsock_pkt_free(pkt);
	vsock_remove_sock(vsk);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_cancel_close_work() @ v6.18 */
static void virtio_transport_cancel_close_work(struct vsock_sock *vsk, bool cancel_timeout)
{
	if (vsk->close_work_scheduled &&
	    (!cancel_timeout || sim_timer_delete(&vsk->close_work))) {
		vsk->close_work_scheduled = false;
		virtio_transport_remove_sock(vsk);
		sock_put(&vsk->sk);
	}
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_do_close() @ v6.18 */
static void virtio_transport_do_close(struct vsock_sock *vsk, bool cancel_timeout)
{
	struct sock *sk = &vsk->sk;

	vsk->sock_done = true;
	vsk->peer_shutdown = SHUTDOWN_MASK;
	if (vsock_stream_has_data(vsk) <= 0)
		vsock_set_state(sk, TCP_CLOSING);
	sk_state_change(sk);
	virtio_transport_cancel_close_work(vsk, cancel_timeout);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_close_timeout() @ v6.18
 * 8 s after close() without the peer's RST.
 */
static void virtio_transport_close_timeout(struct sim_timer *timer)
{
	struct vsock_sock *vsk = container_of(timer, struct vsock_sock, close_work);
	struct sock *sk = &vsk->sk;

	sim_trace(sock_net(sk)->sim, sock_net(sk)->name, NULL, "vsock_close_timeout",
		  VTC "virtio_transport_close_timeout", "sk=sk#%u sock_done=%d", sk->id,
		  vsk->sock_done);
	if (!vsk->sock_done) {
		(void)virtio_transport_reset(vsk, NULL);
		virtio_transport_do_close(vsk, false);
	}
	vsk->close_work_scheduled = false;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_close() @ v6.18
 * SHUTDOWN(both) unless already shut
 * down, then wait for the peer's RST up to VSOCK_CLOSE_TIMEOUT (8 s).
 * Simplification: no SO_LINGER (vsock_linger() returns at once).
 */
static bool virtio_transport_close(struct vsock_sock *vsk)
{
	struct sock *sk = &vsk->sk;
	struct sim *sim = sock_net(sk)->sim;

	if (!(sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_CLOSING))
		return true;
	if ((vsk->peer_shutdown & SHUTDOWN_MASK) == SHUTDOWN_MASK) {
		(void)virtio_transport_reset(vsk, NULL);
		return true;
	}
	if ((sk->sk_shutdown & SHUTDOWN_MASK) != SHUTDOWN_MASK)
		(void)virtio_transport_shutdown(vsk, SHUTDOWN_MASK);
	if (vsk->sock_done)
		return true;
	sock_hold(sk);
	sim_timer_setup(sim, &vsk->close_work, virtio_transport_close_timeout,
			"virtio_transport_close_timeout");
	vsk->close_work_scheduled = true;
	sim_mod_timer(&vsk->close_work, sim_now(sim) + SIM_SEC(VSOCK_CLOSE_TIMEOUT_SEC));
	return false;
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_release() @ v6.18 */
static void virtio_transport_release(struct vsock_sock *vsk)
{
	bool remove_sock = virtio_transport_close(vsk);

	if (remove_sock) {
		vsk->sock_done = true;
		virtio_transport_remove_sock(vsk);
	}
}

/* ---- receiving ------------------------------------------------------- */

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_connecting() @ v6.18
 * RESPONSE, or the failure it became.
 */
static void virtio_transport_recv_connecting(struct sock *sk, struct virtio_vsock_pkt *pkt)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	int skerr;

	switch (pkt->hdr.op) {
	case VIRTIO_VSOCK_OP_RESPONSE:
		vsock_set_state(sk, TCP_ESTABLISHED);
		if (sk->sk_socket)
			sock_set_state(sk->sk_socket, SS_CONNECTED);
		vsock_insert_connected(vsk);
		sk_state_change(sk);
		return;
	case VIRTIO_VSOCK_OP_INVALID:
		return;
	case VIRTIO_VSOCK_OP_RST:
		skerr = SIM_ECONNRESET;
		break;
	default:
		skerr = SIM_EPROTO;
		break;
	}
	virtio_transport_reset(vsk, pkt);
	vsock_set_state(sk, TCP_CLOSE);
	sk->sk_err = skerr;
	sim_trace(sock_net(sk)->sim, sock_net(sk)->name, NULL, "vsock_sk_err",
		  VTC "virtio_transport_recv_connecting", "sk=sk#%u err=%s", sk->id,
		  sim_errno_name(skerr));
	sk_error_report(sk);
}

/* Free room behind a queued packet's data (skb_tailroom). */
static uint32_t pkt_tailroom(const struct virtio_vsock_pkt *pkt)
{
	uint32_t used = VIRTIO_VSOCK_SKB_HEADROOM + pkt->len;

	return pkt->buf_len > used ? pkt->buf_len - used : 0;
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_enqueue() @ v6.18
 * admit the RW against buf_alloc
 * (or drop it), then queue it, or copy a small one (<= 128 B) into the
 * tail packet's free room (5.4+).
 */
static void virtio_transport_recv_enqueue(struct vsock_sock *vsk, struct virtio_vsock_pkt *pkt)
{
	const struct vsock_profile *p = vsock_profile_of(&vsk->sk);
	struct virtio_vsock_sock *vvs = vsk->trans;
	uint32_t len = pkt->hdr.len;

	if (!virtio_transport_inc_rx_pkt(vvs, len, p)) {
		char extra[96];

		g_snprintf(extra, sizeof(extra), "reason=over-buf_alloc buf_used=%u rx_bytes=%u buf_alloc=%u",
			   vvs->buf_used, vvs->rx_bytes, vvs->buf_alloc);
		trace_pkt(sock_net(&vsk->sk), "vsock_rx_drop", VTC "virtio_transport_recv_enqueue", pkt, extra);
		vsock_ctr_inc(sock_net(&vsk->sk), VSOCK_CTR_VsockRxCreditDrops);
		vsock_pkt_msg_end(pkt, MSG_DROPPED);
		vsock_pkt_free(pkt);
		return;
	}
	vsock_pkt_msg_end(pkt, MSG_DELIVERED);
	if (pkt->hdr.flags & VIRTIO_VSOCK_SEQ_EOM)
		vvs->msg_count++;
	if (p->small_pkt_merge && len <= GOOD_COPY_LEN && !g_queue_is_empty(&vvs->rx_queue)) {
		struct virtio_vsock_pkt *last = g_queue_peek_tail(&vvs->rx_queue);

		if (pkt->len < pkt_tailroom(last) && !(last->hdr.flags & VIRTIO_VSOCK_SEQ_EOM)) {
			last->len += pkt->len;
			last->hdr.flags |= pkt->hdr.flags;
			last->hdr.len += len;
			vsock_pkt_free(pkt);
			return;
		}
	}
	g_queue_push_tail(&vvs->rx_queue, pkt);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_connected() @ v6.18
 * consumes @pkt.
 */
static void virtio_transport_recv_connected(struct sock *sk, struct virtio_vsock_pkt *pkt)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	const struct vsock_profile *p = vsock_profile_of(sk);

	switch (pkt->hdr.op) {
	case VIRTIO_VSOCK_OP_RW:
		virtio_transport_recv_enqueue(vsk, pkt);
		trace_vsock_credit(vsk);
		vsock_data_ready(sk);
		return;
	case VIRTIO_VSOCK_OP_CREDIT_REQUEST:
		vsock_ctr_inc(sock_net(sk), VSOCK_CTR_VsockCreditRequestRcvd);
		if (p->credit_request_reply)
			virtio_transport_send_credit_update(vsk);
		break;
	case VIRTIO_VSOCK_OP_CREDIT_UPDATE:
		vsock_write_space(sk);
		break;
	case VIRTIO_VSOCK_OP_SHUTDOWN:
		if (pkt->hdr.flags & VIRTIO_VSOCK_SHUTDOWN_RCV)
			vsk->peer_shutdown |= RCV_SHUTDOWN;
		if (pkt->hdr.flags & VIRTIO_VSOCK_SHUTDOWN_SEND)
			vsk->peer_shutdown |= SEND_SHUTDOWN;
		if (vsk->peer_shutdown == SHUTDOWN_MASK) {
			if (!p->peer_shutdown_rst) {
				if (vsock_stream_has_data(vsk) <= 0)
					vsock_set_state(sk, TCP_CLOSING);
			} else {
				if (vsock_stream_has_data(vsk) <= 0 && !vsk->sock_done) {
					(void)virtio_transport_reset(vsk, NULL);
					virtio_transport_do_close(vsk, true);
				}
				/* Removed anyway: a new connection from the same port works. */
				vsock_remove_sock(vsk);
			}
		}
		if (pkt->hdr.flags)
			sk_state_change(sk);
		break;
	case VIRTIO_VSOCK_OP_RST:
		virtio_transport_do_close(vsk, true);
		break;
	default:
		break;
	}
	vsock_pkt_free(pkt);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_disconnecting() @ v6.18 */
static void virtio_transport_recv_disconnecting(struct sock *sk, const struct virtio_vsock_pkt *pkt)
{
	if (pkt->hdr.op == VIRTIO_VSOCK_OP_RST)
		virtio_transport_do_close(vsock_sk(sk), true);
}

/* Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_send_response() @ v6.18 */
static int virtio_transport_send_response(struct vsock_sock *vsk, const struct virtio_vsock_pkt *pkt)
{
	struct virtio_vsock_pkt_info info = {
		.op = VIRTIO_VSOCK_OP_RESPONSE,
		.remote_cid = (uint32_t)pkt->hdr.src_cid,
		.remote_port = pkt->hdr.src_port,
		.reply = true,
		.vsk = vsk,
	};

	return virtio_transport_send_pkt_info(vsk, &info);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_space_update() @ v6.18
 * the peer's credit, from any header.
 */
static bool virtio_transport_space_update(struct sock *sk, const struct virtio_vsock_pkt *pkt)
{
	struct vsock_sock *vsk = vsock_sk(sk);
	struct virtio_vsock_sock *vvs = vsk->trans;

	if (!vvs)
		return true;	/* a listener: assume the peer has room */
	vvs->peer_buf_alloc = pkt->hdr.buf_alloc;
	vvs->peer_fwd_cnt = pkt->hdr.fwd_cnt;
	trace_vsock_credit(vsk);
	return virtio_transport_has_space(vvs, vsock_profile_of(sk)) != 0;
}

/* A refusal by a listener: 6.x answers the requester, 5.0 the listener's unset remote. */
static void listen_refuse(struct sock *sk, struct virtio_transport *t,
			  const struct virtio_vsock_pkt *pkt, const char *why)
{
	sim_trace(sock_net(sk)->sim, sock_net(sk)->name, NULL, "vsock_listen_refuse",
		  VTC "virtio_transport_recv_listen", "sk=sk#%u reason=%s backlog=%u/%u", sk->id, why,
		  sk->sk_ack_backlog, sk->sk_max_ack_backlog);
	if (vsock_profile_of(sk)->listen_rst_to_requester)
		virtio_transport_reset_no_sock(t, pkt, NULL);
	else
		virtio_transport_reset(vsock_sk(sk), pkt);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_listen() @ v6.18
 * a REQUEST creates an established
 * child on the accept queue and answers RESPONSE; a full queue (backlog + 1
 * admitted), a listener being released or any other op is refused with RST.
 */
static void virtio_transport_recv_listen(struct sock *sk, struct virtio_vsock_pkt *pkt,
					 struct virtio_transport *t)
{
	const struct vsock_profile *p = vsock_profile_of(sk);
	struct vsock_sock *vchild;
	struct sock *child;

	if (pkt->hdr.op != VIRTIO_VSOCK_OP_REQUEST) {
		listen_refuse(sk, t, pkt, "not-request");
		return;
	}
	if (sk_acceptq_is_full(sk)) {
		listen_refuse(sk, t, pkt, "accept-queue-full");
		return;
	}
	if (p->listen_rst_to_requester && sk->sk_shutdown == SHUTDOWN_MASK) {
		listen_refuse(sk, t, pkt, "listener-shut-down");
		return;
	}
	child = vsock_create_connected(sk);
	sk->sk_ack_backlog++;			/* sk_acceptq_added() */
	vsock_set_state(child, TCP_ESTABLISHED);
	vchild = vsock_sk(child);
	vchild->local_addr.svm_cid = (uint32_t)pkt->hdr.dst_cid;
	vchild->local_addr.svm_port = pkt->hdr.dst_port;
	vchild->remote_addr.svm_cid = (uint32_t)pkt->hdr.src_cid;
	vchild->remote_addr.svm_port = pkt->hdr.src_port;
	if (vsock_assign_transport(vchild, vsock_sk(sk)) || vchild->transport != &t->transport) {
		virtio_transport_reset_no_sock(t, pkt, NULL);
		return;
	}
	if (virtio_transport_space_update(child, pkt))
		vsock_write_space(child);
	vsock_insert_connected(vchild);
	vsock_enqueue_accept(sk, child);
	virtio_transport_send_response(vchild, pkt);
	sk_wake_poll(sk, EPOLL_KEY_READABLE);	/* sk->sk_data_ready(sk) */
}

static bool virtio_transport_valid_type(uint16_t type, const struct vsock_profile *p)
{
	return type == VIRTIO_VSOCK_TYPE_STREAM ||
		(p->svm_flags && type == VIRTIO_VSOCK_TYPE_SEQPACKET);
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_recv_pkt() @ v6.18
 * find the socket (connected table by
 * both addresses, else bound table by destination), refuse with RST what no
 * socket or an unfit one would take, update the peer's credit, then hand the
 * packet to the handler of the socket's sk_state.  Consumes @pkt.
 */
void virtio_transport_recv_pkt(struct virtio_transport *t, struct virtio_vsock_pkt *pkt)
{
	struct net *net = t->net;
	struct vsock_host *vh = vsock_host_get(net);
	const struct vsock_profile *p = net->profile->vsock;
	struct sockaddr_vm src = { .svm_cid = (uint32_t)pkt->hdr.src_cid, .svm_port = pkt->hdr.src_port };
	struct sockaddr_vm dst = { .svm_cid = (uint32_t)pkt->hdr.dst_cid, .svm_port = pkt->hdr.dst_port };
	struct vsock_sock *vsk;
	struct sock *sk;
	const char *refuse = NULL;
	bool space_available;

	trace_pkt(net, "virtio_transport_recv_pkt", VTC "virtio_transport_recv_pkt", pkt, NULL);
	trace_vsock_pkt_rcv(net, pkt);
	vsock_ctr_inc(net, VSOCK_CTR_VsockRxPkts);
	vsock_ctr_add(net, VSOCK_CTR_VsockRxBytes, pkt->hdr.len);
	if (pkt->hdr.op == VIRTIO_VSOCK_OP_RST)
		vsock_ctr_inc(net, VSOCK_CTR_VsockRstRcvd);
	sk = NULL;
	if (!virtio_transport_valid_type(pkt->hdr.type, p)) {
		refuse = "bad-type";
	} else {
		sk = vsock_find_connected_socket(vh, &src, &dst);
		if (!sk)
			sk = vsock_find_bound_socket(vh, &dst);
		if (!sk)
			refuse = "no-socket";
		else if (p->svm_flags && virtio_transport_get_type(vsock_sk(sk)) != pkt->hdr.type)
			refuse = "type-mismatch";
		else if (p->rst_sock_done &&
			 (vsock_sk(sk)->sock_done || (sk->sk_state != TCP_LISTEN &&
						      vsock_sk(sk)->transport != &t->transport)))
			refuse = vsock_sk(sk)->sock_done ? "sock-done" : "other-transport";
	}
	if (pkt->hdr.op != VIRTIO_VSOCK_OP_RW || !sk || refuse || sk->sk_state != TCP_ESTABLISHED)
		vsock_pkt_msg_end(pkt, MSG_DELIVERED);
	if (refuse) {
		sim_trace(net->sim, net->name, NULL, "vsock_recv_refuse", VTC "virtio_transport_recv_pkt",
			  "pkt=pkt#%" G_GUINT64_FORMAT " reason=%s", pkt->id, refuse);
		(void)virtio_transport_reset_no_sock(t, pkt, NULL);
		vsock_pkt_free(pkt);
		return;
	}
	vsk = vsock_sk(sk);
	pkt->owner = vsk;		/* skb_set_owner_sk_safe() */
	space_available = virtio_transport_space_update(sk, pkt);
	if (vsk->local_addr.svm_cid != VMADDR_CID_ANY)
		vsk->local_addr.svm_cid = dst.svm_cid;
	if (space_available)
		vsock_write_space(sk);
	switch (sk->sk_state) {
	case TCP_LISTEN:
		virtio_transport_recv_listen(sk, pkt, t);
		vsock_pkt_free(pkt);
		break;
	case TCP_SYN_SENT:
		virtio_transport_recv_connecting(sk, pkt);
		vsock_pkt_free(pkt);
		break;
	case TCP_ESTABLISHED:
		virtio_transport_recv_connected(sk, pkt);
		break;
	case TCP_CLOSING:
		virtio_transport_recv_disconnecting(sk, pkt);
		vsock_pkt_free(pkt);
		break;
	default:
		if (p->rst_unexpected_state) {
			sim_trace(net->sim, net->name, NULL, "vsock_recv_refuse",
				  VTC "virtio_transport_recv_pkt", "pkt=pkt#%" G_GUINT64_FORMAT
				  " reason=state-%s", pkt->id, tcp_state_name(sk->sk_state));
			(void)virtio_transport_reset_no_sock(t, pkt, vsk);
		}
		vsock_pkt_free(pkt);
		break;
	}
}

/*
 * Models: net/vmw_vsock/virtio_transport_common.c:virtio_transport_purge_skbs() @ v6.18
 * remove @vsk's packets from @queue
 * (they are cancelled); returns how many were replies.
 */
int virtio_transport_purge_pkts(struct vsock_sock *vsk, GQueue *queue)
{
	int replies = 0;

	for (GList *l = queue->head; l;) {
		GList *next = l->next;
		struct virtio_vsock_pkt *pkt = l->data;

		if (pkt->owner == vsk) {
			g_queue_delete_link(queue, l);
			replies += pkt->reply;
			trace_pkt(sock_net(&vsk->sk), "vsock_pkt_cancel", VTC "virtio_transport_purge_skbs", pkt, NULL);
			vsock_ctr_inc(sock_net(&vsk->sk), VSOCK_CTR_VsockCancelled);
			vsock_pkt_msg_end(pkt, MSG_CANCELLED);
			vsock_pkt_free(pkt);
		}
		l = next;
	}
	return replies;
}

void virtio_transport_common_ops(struct vsock_transport *t)
{
	t->init = virtio_transport_do_socket_init;
	t->destruct = virtio_transport_destruct;
	t->release = virtio_transport_release;
	t->connect = virtio_transport_connect;
	t->shutdown = virtio_transport_shutdown;
	t->stream_dequeue = virtio_transport_stream_dequeue;
	t->stream_enqueue = virtio_transport_stream_enqueue;
	t->stream_has_data = virtio_transport_stream_has_data;
	t->stream_has_space = virtio_transport_stream_has_space;
	t->stream_rcvhiwat = virtio_transport_stream_rcvhiwat;
	t->stream_allow = virtio_transport_stream_allow;
	t->seqpacket_allow = virtio_transport_seqpacket_allow;
	t->notify_buffer_size = virtio_transport_notify_buffer_size;
	t->notify_set_rcvlowat = virtio_transport_notify_set_rcvlowat;
	t->unsent_bytes = virtio_transport_unsent_bytes;
}
