/* SPDX-License-Identifier: MIT */
/*
 * The AF_VSOCK / virtio-vsock changes between the kernels socksim models.
 * One flag per change, named after what it changes; each is a row of the
 * profile-flag registry (net/profile_flags.h), which derives its value in
 * every profile.
 */
#ifndef MODELS_NET_VSOCK_PROFILE_H
#define MODELS_NET_VSOCK_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

enum vsock_credit_update_policy {
	VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE,	/* 5.0: after every stream dequeue */
	VSOCK_CREDIT_UPDATE_LOW_FREE,		/* 5.4..6.7 .0 releases: free space < 64 KiB */
	VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT,	/* 6.8+, every LTS .y: delta && (free < 64 KiB || rx_bytes < rcvlowat) */
};

/* The members are rows of the registry in net/profile_flags.h (meaning,
 * first kernel version, source). */
struct vsock_profile {
	bool multi_transport;
	uint32_t max_pkt_payload;
	bool send_pkt_loop;
	bool rx_credit_check;
	bool rx_buf_used;
	bool tx_cap_own_buf_alloc;
	bool credit_s64;
	enum vsock_credit_update_policy credit_update;
	bool stream_msg_peek;
	bool rcvlowat_target;
	bool seqpacket;
	bool credit_request_reply;
	bool rst_unexpected_state;
	bool listen_rst_to_requester;
	bool rst_sock_done;
	bool peer_shutdown_rst;
	bool small_pkt_merge;
	bool ealready_immediate;
	bool timeout_resets_sock_state;
	bool connect_clears_sk_err;
	bool wait_exits_on_closing;
	bool signal_keeps_established;
	bool sigpipe;
	bool enqueue_err_enomem;
	bool tx_fast_path;
	bool vhost_weights;
	bool vhost_dst_check;
	bool rx_buf_linear;
	bool vhost_split;
	bool svm_flags;
	bool buffer_size_credit_update;
	bool rcvlowat_credit_update;
	bool guest_loopback;
	bool family_without_transport;
};

#endif
