/* SPDX-License-Identifier: MIT */
/*
 * The kernel profiles.  linux-6.18 is the default and the kernel the
 * differential tests run against; linux-5.0 is the older era the scenarios
 * compare with.  docs/models.md lists every difference (its profile table).
 */
#include "net/profile.h"

#include <string.h>

#include "net/vsock_profile.h"

/* AF_VSOCK / virtio-vsock: 6.18.y is byte-identical to 6.19 in every vsock
 * file but drivers/vhost/vsock.c's feature-mask spelling. */
static const struct vsock_profile vsock_6_18 = {
	.multi_transport = true,
	.max_pkt_payload = 64 * 1024,
	.send_pkt_loop = true,
	.rx_credit_check = true,
	.rx_buf_used = true,
	.tx_cap_own_buf_alloc = true,
	.credit_s64 = true,
	.credit_update = VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT,
	.credit_request_reply = true,
	.rst_unexpected_state = true,
	.listen_rst_to_requester = true,
	.rst_sock_done = true,
	.peer_shutdown_rst = true,
	.small_pkt_merge = true,
	.ealready_immediate = true,
	.timeout_resets_sock_state = true,
	.connect_clears_sk_err = true,
	.wait_exits_on_closing = true,
	.signal_keeps_established = true,
	.sigpipe = true,
	.enqueue_err_enomem = false,
	.tx_fast_path = true,
	.vhost_weights = true,
	.vhost_dst_check = true,
	.rx_buf_linear = true,
	.vhost_split = true,
	.svm_flags = true,
	.buffer_size_credit_update = true,
	.rcvlowat_credit_update = true,
	.guest_loopback = false,
	.family_without_transport = true,
};

/* The seeds' kernel (000_*.txt, 003_*.txt). */
static const struct vsock_profile vsock_5_0 = {
	.multi_transport = false,
	.max_pkt_payload = 4096,
	.send_pkt_loop = false,
	.rx_credit_check = false,
	.rx_buf_used = false,
	.tx_cap_own_buf_alloc = false,
	.credit_s64 = false,
	.credit_update = VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE,
	.credit_request_reply = false,
	.rst_unexpected_state = false,
	.listen_rst_to_requester = false,
	.rst_sock_done = false,
	.peer_shutdown_rst = false,
	.small_pkt_merge = false,
	.ealready_immediate = false,
	.timeout_resets_sock_state = false,
	.connect_clears_sk_err = false,
	.wait_exits_on_closing = false,
	.signal_keeps_established = false,
	.sigpipe = false,
	.enqueue_err_enomem = true,
	.tx_fast_path = false,
	.vhost_weights = false,
	.vhost_dst_check = false,
	.rx_buf_linear = false,
	.vhost_split = false,
	.svm_flags = false,
	.buffer_size_credit_update = false,
	.rcvlowat_credit_update = false,
	.guest_loopback = true,
	.family_without_transport = false,
};

static const struct kernel_profile linux_6_18 = {
	.name = "linux-6.18",
	.connect_addr_first = true,
	.syn_expiry_time_based = true,
	.syn_linear_timeouts = true,
	.sk_disconnects = true,
	.synsent_bad_ack_rearm = true,
	.recovery_retrans_stamp_cleanup = true,
	.synq_full_strictly_greater = true,
	.port_perturb_table = true,
	.rto_limits_tunable = true,
	.tlp_one_per_flight = true,
	.timeout_min_us = true,
	.xmit_timer_after_recovery = true,
	.somaxconn_default = 4096,
	.tcp_rmem_max_default = 33554432,
	.wmem_max_default = 4194304,
	.vsock = &vsock_6_18,
};

static const struct kernel_profile linux_5_0 = {
	.name = "linux-5.0",
	.connect_addr_first = false,
	.syn_expiry_time_based = false,
	.syn_linear_timeouts = false,
	.sk_disconnects = false,
	.synsent_bad_ack_rearm = false,
	.recovery_retrans_stamp_cleanup = false,
	.synq_full_strictly_greater = false,
	.port_perturb_table = false,
	.rto_limits_tunable = false,
	.tlp_one_per_flight = false,
	.timeout_min_us = false,
	.xmit_timer_after_recovery = false,
	.somaxconn_default = 128,
	.tcp_rmem_max_default = 6291456,
	.wmem_max_default = 212992,
	.vsock = &vsock_5_0,
};

static const struct kernel_profile *const profiles[] = {
	&linux_6_18, &linux_5_0, NULL,
};

const struct kernel_profile *kernel_profile_find(const char *name)
{
	for (const struct kernel_profile *const *p = profiles; *p; p++)
		if (strcmp((*p)->name, name) == 0)
			return *p;
	return NULL;
}

const struct kernel_profile *kernel_profile_default(void)
{
	return &linux_6_18;
}

const struct kernel_profile *const *kernel_profile_all(void)
{
	return profiles;
}
