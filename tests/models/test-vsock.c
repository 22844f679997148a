/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtio-vsock building blocks: the 44-byte header and op
 * numbers, split virtqueues (driver side virtio_ring.c, device side
 * vhost.c: free list, available/used rings, indirect descriptors, kick and
 * interrupt suppression), and the credit arithmetic of
 * virtio_transport_common.c under both kernel profiles.
 */
#include <glib.h>
#include <stddef.h>
#include <string.h>

#include "drivers/vhost/vhost.h"
#include "linux/errno_names.h"
#include "linux/virtio_ring.h"
#include "linux/virtio_vsock.h"
#include "net/profile.h"
#include "net/vsock_profile.h"
#include "uapi/linux/vm_sockets.h"

static const struct vsock_profile *p6(void)
{
	return kernel_profile_find("linux-6.18")->vsock;
}

static const struct vsock_profile *p5(void)
{
	return kernel_profile_find("linux-5.0")->vsock;
}

static void test_header_layout(void)
{
	g_test_summary("struct virtio_vsock_hdr is 44 packed bytes in the spec's field order; op numbers");
	g_assert_cmpuint(sizeof(struct virtio_vsock_hdr), ==, 44);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, src_cid), ==, 0);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, dst_cid), ==, 8);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, src_port), ==, 16);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, dst_port), ==, 20);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, len), ==, 24);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, type), ==, 28);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, op), ==, 30);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, flags), ==, 32);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, buf_alloc), ==, 36);
	g_assert_cmpuint(offsetof(struct virtio_vsock_hdr, fwd_cnt), ==, 40);
	g_assert_cmpint(VIRTIO_VSOCK_OP_REQUEST, ==, 1);
	g_assert_cmpint(VIRTIO_VSOCK_OP_RESPONSE, ==, 2);
	g_assert_cmpint(VIRTIO_VSOCK_OP_RST, ==, 3);
	g_assert_cmpint(VIRTIO_VSOCK_OP_SHUTDOWN, ==, 4);
	g_assert_cmpint(VIRTIO_VSOCK_OP_RW, ==, 5);
	g_assert_cmpint(VIRTIO_VSOCK_OP_CREDIT_UPDATE, ==, 6);
	g_assert_cmpint(VIRTIO_VSOCK_OP_CREDIT_REQUEST, ==, 7);
	g_assert_cmpstr(virtio_vsock_op_name(VIRTIO_VSOCK_OP_CREDIT_UPDATE), ==, "CREDIT_UPDATE");
	g_assert_cmpint(virtio_vsock_op_from_name("RW"), ==, 5);
	g_assert_cmpint(virtio_vsock_op_from_name("XX"), ==, -1);
	g_assert_cmpuint(sizeof(struct sockaddr_vm), ==, 16);
	g_assert_cmpuint(sizeof(struct virtio_vsock_event), ==, 4);
}

static int notified;

static bool count_notify(struct virtqueue *vq)
{
	notified++;
	return true;
}

static int interrupted;

static void count_cb(struct virtqueue *vq)
{
	interrupted++;
}

static void test_ring_add_get(void)
{
	struct virtqueue *vq = vring_create_virtqueue(1, 4, false, false, "tx", count_cb, count_notify, NULL);
	struct vhost_virtqueue hvq;
	struct vhost_desc_chain chain;
	uint32_t out[2] = { 44, 100 }, len;
	int tok[3];
	g_autoptr(GString) err = g_string_new(NULL);
	unsigned int head;

	g_test_summary("Without indirect descriptors a chain takes one descriptor per entry; ENOSPC "
		       "notifies the device; used buffers come back in used-ring order and free their chains");
	vhost_vq_init(&hvq, vq);
	notified = 0;
	g_assert_cmpint(virtqueue_add_sgs(vq, out, 2, NULL, 0, &tok[0]), ==, 0);
	g_assert_cmpint(virtqueue_add_sgs(vq, out, 2, NULL, 0, &tok[1]), ==, 0);
	g_assert_cmpuint(vq->num_free, ==, 0);
	g_assert_cmpint(virtqueue_add_sgs(vq, out, 1, NULL, 0, &tok[2]), ==, -SIM_ENOSPC);
	g_assert_cmpint(notified, ==, 1);	/* the forced notification of a full ring */
	g_assert_true(vhost_vq_check(&hvq, err));
	head = vhost_get_vq_desc(&hvq, &chain);
	g_assert_cmpuint(chain.out_num, ==, 2);
	g_assert_cmpuint(chain.out_len, ==, 144);
	g_assert_cmpuint(chain.in_num, ==, 0);
	g_assert_true(vhost_vq_buf(&hvq, head) == &tok[0]);
	vhost_add_used(&hvq, head, 0);
	g_assert_true(vhost_vq_check(&hvq, err));
	g_assert_true(virtqueue_get_buf(vq, &len) == &tok[0]);
	g_assert_null(virtqueue_get_buf(vq, &len));
	g_assert_cmpuint(vq->num_free, ==, 2);
	g_assert_cmpint(virtqueue_add_sgs(vq, out, 1, NULL, 0, &tok[2]), ==, 0);
	g_assert_cmpuint(vhost_vq_avail_pending(&hvq), ==, 2);
	g_assert_true(vhost_vq_check(&hvq, err));
	g_assert_cmpstr(err->str, ==, "");
	vring_del_virtqueue(vq);
}

static void test_ring_indirect(void)
{
	struct virtqueue *vq = vring_create_virtqueue(0, 2, true, true, "rx", NULL, NULL, NULL);
	struct vhost_virtqueue hvq;
	struct vhost_desc_chain chain;
	uint32_t in[2] = { 44, 4096 };
	int tok[3];
	g_autoptr(GString) err = g_string_new(NULL);
	unsigned int head;

	g_test_summary("With indirect descriptors a two-entry chain takes one ring descriptor; the "
		       "device still sees both entries");
	vhost_vq_init(&hvq, vq);
	g_assert_cmpuint(virtqueue_descs_needed(vq, 2), ==, 1);
	g_assert_cmpint(virtqueue_add_sgs(vq, NULL, 0, in, 2, &tok[0]), ==, 0);
	g_assert_cmpint(virtqueue_add_sgs(vq, NULL, 0, in, 2, &tok[1]), ==, 0);
	g_assert_cmpuint(vq->num_free, ==, 0);
	g_assert_cmpint(virtqueue_add_sgs(vq, NULL, 0, in, 1, &tok[2]), ==, -SIM_ENOSPC);
	head = vhost_get_vq_desc(&hvq, &chain);
	g_assert_cmpuint(chain.in_num, ==, 2);
	g_assert_cmpuint(chain.in_len, ==, 4140);
	vhost_add_used(&hvq, head, 100);
	g_assert_true(vhost_vq_check(&hvq, err));
	vring_del_virtqueue(vq);
}

static void test_kick_event_idx(void)
{
	struct virtqueue *vq = vring_create_virtqueue(1, 8, true, true, "tx", NULL, count_notify, NULL);
	struct vhost_virtqueue hvq;
	struct vhost_desc_chain chain;
	uint32_t out = 44;
	int tok[4];

	g_test_summary("EVENT_IDX: the first kick after vhost_enable_notify() goes out, later ones "
		       "while the device has not caught up are suppressed");
	vhost_vq_init(&hvq, vq);
	notified = 0;
	g_assert_false(vhost_enable_notify(&hvq));	/* avail_event = 0 */
	g_assert_cmpint(virtqueue_add_sgs(vq, &out, 1, NULL, 0, &tok[0]), ==, 0);
	g_assert_true(virtqueue_kick(vq));
	g_assert_cmpint(virtqueue_add_sgs(vq, &out, 1, NULL, 0, &tok[1]), ==, 0);
	g_assert_false(virtqueue_kick(vq));
	g_assert_cmpuint(vq->n_kicks_suppressed, ==, 1);
	vhost_disable_notify(&hvq);
	vhost_get_vq_desc(&hvq, &chain);
	vhost_get_vq_desc(&hvq, &chain);
	g_assert_cmpuint(vhost_get_vq_desc(&hvq, &chain), ==, 8);	/* empty */
	g_assert_false(vhost_enable_notify(&hvq));	/* avail_event = 2 */
	g_assert_cmpint(virtqueue_add_sgs(vq, &out, 1, NULL, 0, &tok[2]), ==, 0);
	g_assert_true(virtqueue_kick(vq));
	g_assert_cmpint(notified, ==, 2);
	vring_del_virtqueue(vq);
}

static void test_interrupt_event_idx(void)
{
	struct virtqueue *vq = vring_create_virtqueue(0, 8, false, true, "rx", count_cb, NULL, NULL);
	struct vhost_virtqueue hvq;
	struct vhost_desc_chain chain;
	uint32_t in = 100, len;
	int tok[3];

	g_test_summary("vhost_notify(): the first signal is unconditional, then only when used_event "
		       "falls in the new batch; vring_interrupt() calls back only with used buffers");
	vhost_vq_init(&hvq, vq);
	interrupted = 0;
	for (int i = 0; i < 3; i++)
		g_assert_cmpint(virtqueue_add_sgs(vq, NULL, 0, &in, 1, &tok[i]), ==, 0);
	vhost_add_used(&hvq, vhost_get_vq_desc(&hvq, &chain), 10);
	g_assert_true(vhost_notify(&hvq));
	vring_interrupt(vq);
	g_assert_cmpint(interrupted, ==, 1);
	virtqueue_disable_cb(vq);			/* used_event = 0 */
	vhost_add_used(&hvq, vhost_get_vq_desc(&hvq, &chain), 10);
	g_assert_false(vhost_notify(&hvq));
	while (virtqueue_get_buf(vq, &len))
		;
	g_assert_true(virtqueue_enable_cb(vq));		/* nothing new: used_event = 2 */
	vhost_add_used(&hvq, vhost_get_vq_desc(&hvq, &chain), 10);
	g_assert_true(vhost_notify(&hvq));
	vring_interrupt(vq);
	g_assert_cmpint(interrupted, ==, 2);
	while (virtqueue_get_buf(vq, &len))
		;
	vring_interrupt(vq);				/* nothing used: IRQ_NONE */
	g_assert_cmpint(interrupted, ==, 2);
	vring_del_virtqueue(vq);
}

static void test_ring_check_detects_loss(void)
{
	struct virtqueue *vq = vring_create_virtqueue(0, 4, false, false, "rx", NULL, NULL, NULL);
	struct vhost_virtqueue hvq;
	uint32_t in = 100;
	int tok;
	g_autoptr(GString) err = g_string_new(NULL);

	g_test_summary("The descriptor invariant catches a lost descriptor and a double-used head");
	vhost_vq_init(&hvq, vq);
	g_assert_cmpint(virtqueue_add_sgs(vq, NULL, 0, &in, 1, &tok), ==, 0);
	vq->num_free--;		/* a descriptor silently disappears */
	g_assert_false(virtqueue_check(vq, err));
	vq->num_free++;
	g_string_truncate(err, 0);
	vhost_add_used(&hvq, 0, 10);	/* used while still listed as available */
	g_assert_false(vhost_vq_check(&hvq, err));
	g_assert_nonnull(strstr(err->str, "twice"));
	vring_del_virtqueue(vq);
}

static void test_credit_space(void)
{
	struct virtio_vsock_sock vvs = { .buf_alloc = 65536, .peer_buf_alloc = 262144 };

	g_test_summary("has_space = min(peer_buf_alloc, buf_alloc) - (tx_cnt - peer_fwd_cnt) on 6.18 "
		       "(the own-buffer cap), peer_buf_alloc alone on 5.0; 6.x floors at 0, 5.0 wraps");
	g_assert_cmpint(virtio_transport_has_space(&vvs, p6()), ==, 65536);
	g_assert_cmpint(virtio_transport_has_space(&vvs, p5()), ==, 262144);
	g_assert_cmpuint(virtio_transport_get_credit(&vvs, 70000, p6()), ==, 65536);
	g_assert_cmpuint(vvs.tx_cnt, ==, 65536);
	g_assert_cmpuint(vvs.bytes_unsent, ==, 65536);
	g_assert_cmpint(virtio_transport_has_space(&vvs, p6()), ==, 0);
	g_assert_cmpuint(virtio_transport_get_credit(&vvs, 1, p6()), ==, 0);
	g_assert_cmpuint(virtio_transport_get_credit(&vvs, 0, p6()), ==, 0);
	virtio_transport_put_credit(&vvs, 1000);
	g_assert_cmpuint(vvs.tx_cnt, ==, 64536);
	g_assert_cmpint(virtio_transport_has_space(&vvs, p6()), ==, 1000);
	/* The peer shrinks its buffer below what is in flight. */
	vvs.peer_buf_alloc = 4096;
	g_assert_cmpint(virtio_transport_has_space(&vvs, p6()), ==, 0);
	g_assert_cmpint(virtio_transport_has_space(&vvs, p5()), ==, (int64_t)(uint32_t)(4096 - 64536));
	/* Wrap-around of the free-running counters. */
	vvs = (struct virtio_vsock_sock){ .buf_alloc = 65536, .peer_buf_alloc = 65536,
					  .tx_cnt = 10, .peer_fwd_cnt = UINT32_MAX - 9 };
	g_assert_cmpint(virtio_transport_has_space(&vvs, p6()), ==, 65536 - 20);
}

static void test_credit_rx_admission(void)
{
	struct virtio_vsock_sock vvs = { .buf_alloc = 8192 };

	g_test_summary("A packet beyond buf_alloc is refused on 6.18 (whole packets counted until "
		       "read) and admitted on 5.0");
	g_assert_true(virtio_transport_inc_rx_pkt(&vvs, 4096, p6()));
	g_assert_true(virtio_transport_inc_rx_pkt(&vvs, 4096, p6()));
	g_assert_false(virtio_transport_inc_rx_pkt(&vvs, 1, p6()));
	g_assert_true(virtio_transport_inc_rx_pkt(&vvs, 1, p5()));
	vvs = (struct virtio_vsock_sock){ .buf_alloc = 8192 };
	g_assert_true(virtio_transport_inc_rx_pkt(&vvs, 8192, p6()));
	virtio_transport_dec_rx_pkt(&vvs, 100, 0);	/* read 100 bytes, packet still queued */
	g_assert_cmpuint(vvs.rx_bytes, ==, 8092);
	g_assert_cmpuint(vvs.buf_used, ==, 8192);
	g_assert_cmpuint(vvs.fwd_cnt, ==, 0);
	g_assert_false(virtio_transport_inc_rx_pkt(&vvs, 100, p6()));
	virtio_transport_dec_rx_pkt(&vvs, 8092, 8192);
	g_assert_cmpuint(vvs.fwd_cnt, ==, 8192);
	g_assert_cmpuint(vvs.buf_used, ==, 0);
	g_assert_cmpuint(vvs.rx_bytes, ==, 0);
}

static void test_credit_update_rule(void)
{
	struct virtio_vsock_sock vvs = { .buf_alloc = 262144 };

	g_test_summary("CREDIT_UPDATE after a read: 5.0 always; 6.18 only when something was consumed "
		       "and (free < 64 KiB or rx_bytes < SO_RCVLOWAT)");
	g_assert_true(virtio_transport_credit_update_due(&vvs, 1, p5()));
	g_assert_false(virtio_transport_credit_update_due(&vvs, 1, p6()));	/* delta 0 */
	vvs.fwd_cnt = 1000;
	vvs.rx_bytes = 5000;
	g_assert_false(virtio_transport_credit_update_due(&vvs, 1, p6()));	/* plenty free, data left */
	vvs.rx_bytes = 0;
	g_assert_true(virtio_transport_credit_update_due(&vvs, 1, p6()));	/* queue emptied */
	vvs.rx_bytes = 5000;
	g_assert_true(virtio_transport_credit_update_due(&vvs, 6000, p6()));	/* below SO_RCVLOWAT */
	vvs.fwd_cnt = 262144 - 65535;					/* free = 65535 */
	g_assert_true(virtio_transport_credit_update_due(&vvs, 1, p6()));
	vvs.last_fwd_cnt = vvs.fwd_cnt;				/* advertised by an outgoing packet */
	g_assert_false(virtio_transport_credit_update_due(&vvs, 1, p6()));
	g_assert_cmpuint(virtio_transport_max_pkt_len(p6()), ==, 65536);
	g_assert_cmpuint(virtio_transport_max_pkt_len(p5()), ==, 4096);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/vsock/hdr/layout", test_header_layout);
	g_test_add_func("/vsock/ring/add-get-enospc", test_ring_add_get);
	g_test_add_func("/vsock/ring/indirect", test_ring_indirect);
	g_test_add_func("/vsock/ring/kick-event-idx", test_kick_event_idx);
	g_test_add_func("/vsock/ring/interrupt-event-idx", test_interrupt_event_idx);
	g_test_add_func("/vsock/ring/check-detects-loss", test_ring_check_detects_loss);
	g_test_add_func("/vsock/credit/space", test_credit_space);
	g_test_add_func("/vsock/credit/rx-admission", test_credit_rx_admission);
	g_test_add_func("/vsock/credit/update-rule", test_credit_update_rule);
	return g_test_run();
}
