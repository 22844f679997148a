/* SPDX-License-Identifier: MIT */
/*
 * The virtio-vsock wire format: include/uapi/linux/virtio_vsock.h and the
 * virtio spec's socket device (device-types/vsock/description.tex).  On the
 * wire every field is little endian; the model keeps host byte order, which
 * changes nothing it can observe.
 */
#ifndef MODELS_UAPI_LINUX_VIRTIO_VSOCK_H
#define MODELS_UAPI_LINUX_VIRTIO_VSOCK_H

#include <stdint.h>

/* Feature bits of the device (VIRTIO_VSOCK_F_STREAM = 0 and
 * F_NO_IMPLIED_STREAM = 2 exist in the spec; Linux uses only SEQPACKET). */
#define VIRTIO_VSOCK_F_SEQPACKET	1

/* Device configuration space. */
struct virtio_vsock_config {
	uint64_t guest_cid;
} __attribute__((packed));

/* The packet header: 44 bytes, packed. */
struct virtio_vsock_hdr {
	uint64_t src_cid;
	uint64_t dst_cid;
	uint32_t src_port;
	uint32_t dst_port;
	uint32_t len;		/* payload bytes following the header */
	uint16_t type;		/* enum virtio_vsock_type */
	uint16_t op;		/* enum virtio_vsock_op */
	uint32_t flags;
	uint32_t buf_alloc;	/* sender's receive buffer for this socket */
	uint32_t fwd_cnt;	/* sender's free-running count of bytes consumed */
} __attribute__((packed));

_Static_assert(sizeof(struct virtio_vsock_hdr) == 44, "virtio_vsock_hdr is 44 bytes");

enum virtio_vsock_type {
	VIRTIO_VSOCK_TYPE_STREAM = 1,
	VIRTIO_VSOCK_TYPE_SEQPACKET = 2,
};

#define VIRTIO_VSOCK_OPS(X) \
	X(INVALID, 0) X(REQUEST, 1) X(RESPONSE, 2) X(RST, 3) X(SHUTDOWN, 4) \
	X(RW, 5) X(CREDIT_UPDATE, 6) X(CREDIT_REQUEST, 7)

enum virtio_vsock_op {
#define VIRTIO_VSOCK_OP_ENUM(n, v) VIRTIO_VSOCK_OP_##n = v,
	VIRTIO_VSOCK_OPS(VIRTIO_VSOCK_OP_ENUM)
#undef VIRTIO_VSOCK_OP_ENUM
	VIRTIO_VSOCK_OP_MAX,
};

/* VIRTIO_VSOCK_OP_SHUTDOWN flags */
enum virtio_vsock_shutdown {
	VIRTIO_VSOCK_SHUTDOWN_RCV = 1,
	VIRTIO_VSOCK_SHUTDOWN_SEND = 2,
};

/* VIRTIO_VSOCK_OP_RW flags on SOCK_SEQPACKET */
enum virtio_vsock_rw {
	VIRTIO_VSOCK_SEQ_EOM = 1,
	VIRTIO_VSOCK_SEQ_EOR = 2,
};

/* The event queue's only event. */
enum virtio_vsock_event_id {
	VIRTIO_VSOCK_EVENT_TRANSPORT_RESET = 0,
};

struct virtio_vsock_event {
	uint32_t id;
} __attribute__((packed));

/* "REQUEST" for 1; "OP?" if unknown. */
const char *virtio_vsock_op_name(unsigned int op);
/* 1 for "REQUEST"; -1 if unknown. */
int virtio_vsock_op_from_name(const char *name);

#endif
