/* SPDX-License-Identifier: MIT */
/*
 * The AF_VSOCK / virtio-vsock changes between the kernels socksim models
 * (listed in docs/models.md, vsock profile flags).  One flag per change, named after what
 * it changes; the values per profile are in models/profile.c and the
 * table in docs/models.md.
 */
#ifndef MODELS_NET_VSOCK_PROFILE_H
#define MODELS_NET_VSOCK_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum vsock_credit_update_policy {
	VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE,	/* 5.0: after every stream dequeue */
	VSOCK_CREDIT_UPDATE_LOW_FREE,		/* 5.4..6.5: free space < 64 KiB */
	VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT,	/* 6.6+: delta && (free < 64 KiB || rx_bytes < rcvlowat) */
};

struct vsock_profile {
	/* Per-socket transport chosen by CID at connect (h2g/g2h slots; 5.5+);
	 * else one transport per kernel and no ENODEV from assignment. */
	bool multi_transport;
	/* Payload per packet: 64 KiB (5.4+) or 4 KiB (5.0). */
	uint32_t max_pkt_payload;
	/* virtio_transport_send_pkt_info loops over several packets per
	 * enqueue (6.6+); else one packet per call. */
	bool send_pkt_loop;
	/* A received RW beyond buf_alloc is dropped (5.4+); 5.0 never checks. */
	bool rx_credit_check;
	/* The admission check counts buf_used (whole packets until fully
	 * read, per-byte rx_bytes; after 6.14) instead of rx_bytes. */
	bool rx_buf_used;
	/* TX space is capped by our own buf_alloc too (6.18.y/6.19). */
	bool tx_cap_own_buf_alloc;
	/* Credit arithmetic in signed 64-bit, floored at 0 (6.x); 5.0 wraps in u32. */
	bool credit_s64;
	enum vsock_credit_update_policy credit_update;
	/* CREDIT_REQUEST is answered with CREDIT_UPDATE (5.14+). */
	bool credit_request_reply;
	/* RST for a packet to a socket in an unexpected state, e.g. bound but
	 * not listening (5.10 / 5.4.y); 5.0 frees the packet silently. */
	bool rst_unexpected_state;
	/* The listener refuses (backlog full, bad op) with reset_no_sock to the
	 * requester (5.10+); 5.0 resets from the listener to its unset remote
	 * address, which is lost. */
	bool listen_rst_to_requester;
	/* recv_pkt answers RST for a socket that is SOCK_DONE or on another
	 * transport (5.10+). */
	bool rst_sock_done;
	/* Peer SHUTDOWN(both) with no unread data: RST reply + do_close (5.4+);
	 * 5.0 only moves to TCP_CLOSING. */
	bool peer_shutdown_rst;
	/* Small RW packets (<= 128 B) are merged into the last queued one (5.4+). */
	bool small_pkt_merge;
	/* Non-blocking connect already SS_CONNECTING returns EALREADY at once
	 * (5.17+, 5.4.y); 5.0 re-arms the timeout work first. */
	bool ealready_immediate;
	/* The connect-timeout work resets sock->state to SS_UNCONNECTED (6.1+). */
	bool timeout_resets_sock_state;
	/* connect() clears a stale sk_err before a new attempt (6.6+). */
	bool connect_clears_sk_err;
	/* The blocking wait also ends on TCP_CLOSING (after 6.14; 6.1.y/6.6.y). */
	bool wait_exits_on_closing;
	/* A signal after the connection was established does not fail
	 * connect() (6.19 form, also 6.18.y); 5.0 always resets to CLOSE. */
	bool signal_keeps_established;
	/* EPIPE on a stream raises SIGPIPE (sk_stream_error; 6.13+). */
	bool sigpipe;
	/* A negative enqueue result is reported as ENOMEM (5.0) rather than itself. */
	bool enqueue_err_enomem;
	/* Guest TX fast path: add + kick straight from send_pkt when the send
	 * queue is empty (6.13+); else always through send_pkt_work. */
	bool tx_fast_path;
	/* vhost handler weights (256 packets / 512 KiB per run; 5.4+). */
	bool vhost_weights;
	/* vhost accepts guest TX only with dst_cid == 2 (6.18.y/6.19). */
	bool vhost_dst_check;
	/* Guest rx buffers: one linear buffer of 3776 bytes incl. header (6.19
	 * form) — else a 44-byte header sg + a 4096-byte payload sg (5.0). */
	bool rx_buf_linear;
	/* vhost splits a host packet over several guest rx buffers (5.4+). */
	bool vhost_split;
	/* VMADDR_CID_LOCAL and svm_flags exist (5.10+). */
	bool svm_flags;
	/* SO_VM_SOCKETS_BUFFER_SIZE sends a CREDIT_UPDATE (handled in AF; 5.10+). */
	bool buffer_size_credit_update;
	/* SO_RCVLOWAT above rx_bytes sends a CREDIT_UPDATE (6.6+). */
	bool rcvlowat_credit_update;
	/* The guest driver loops back packets to its own CID (5.0 .. 5.5);
	 * 6.x refuses them with ENODEV (vsock_loopback's job). */
	bool guest_loopback;
	/* socket(AF_VSOCK) works without any transport (6.x); 5.0 gives
	 * EAFNOSUPPORT until a transport registered the family. */
	bool family_without_transport;
};

#endif
