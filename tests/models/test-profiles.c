/* SPDX-License-Identifier: MIT */
/*
 * The profile-flag registry (models/include/net/profile_flags.h): every
 * profile holds the value the registry rule gives for its version, the
 * rows are distinct, and linux-5.0 / linux-6.18 keep the values they had
 * before the registry existed.
 */
#include <glib.h>
#include <string.h>

#include "net/profile.h"
#include "net/profile_flags.h"
#include "net/vsock_profile.h"

static void test_rule(void)
{
	size_t n;
	const struct profile_flag *f = kernel_profile_flags(&n);

	g_assert_cmpuint(n, >=, 40);
	for (const struct kernel_profile *const *p = kernel_profile_all(); *p; p++)
		for (size_t i = 0; i < n; i++) {
			if (kernel_profile_flag_value(&f[i], *p) != kernel_profile_flag_rule(&f[i], *p))
				g_error("%s: %s holds %d, the registry rule gives %d", (*p)->name,
					f[i].name, kernel_profile_flag_value(&f[i], *p),
					kernel_profile_flag_rule(&f[i], *p));
		}
}

static void test_rows_distinct(void)
{
	size_t n;
	const struct profile_flag *f = kernel_profile_flags(&n);

	for (size_t i = 0; i < n; i++) {
		g_assert_true(f[i].size == sizeof(bool) || f[i].size == sizeof(int));
		g_assert_true(f[i].first > KV(5, 0) && f[i].first <= KV(6, 19));
		g_assert_true(f[i].before != f[i].after);
		g_assert_true(f[i].source[0] && f[i].doc[0]);
		for (size_t j = 0; j < i; j++) {
			g_assert_cmpstr(f[i].name, !=, f[j].name);
			g_assert_false(f[i].vsock == f[j].vsock && f[i].offset == f[j].offset);
		}
	}
}

/* The values linux-5.0 and linux-6.18 had as hand-written structs. */
static const struct { const char *name; int v5_0, v6_18; } before_registry[] = {
	{ "connect_addr_first", 0, 1 }, { "syn_expiry_time_based", 0, 1 },
	{ "syn_linear_timeouts", 0, 1 },
	{ "disconnect_while_waiting", TCP_DISCONNECT_PROCEEDS, TCP_DISCONNECT_EPIPE },
	{ "synsent_bad_ack_rearm", 0, 1 }, { "recovery_retrans_stamp_cleanup", 0, 1 },
	{ "synq_full_strictly_greater", 0, 1 }, { "port_perturb_table", 0, 1 },
	{ "rto_min_tunable", 0, 1 }, { "rto_max_tunable", 0, 1 },
	/* the tail loss probe's three (branch tlp, merged after the registry) */
	{ "tlp_one_per_flight", 0, 1 }, { "timeout_min_us", 0, 1 },
	{ "rcv_wnd_init_uncapped", 0, 1 }, { "rcv_scaling_ratio", 0, 1 },
	{ "ofo_measure_rcv_mss", 0, 1 },
	{ "xmit_timer_after_recovery", 0, 1 },
	{ "cwnd_test_strict_fin", 0, 1 },
	{ "tcp_grow_skb", 0, 1 },
	/* PRR's bound below ssthresh (branch ecn) */
	{ "prr_ssrb_on_una_advance", 0, 1 }, { "prr_banked_crb", 0, 1 },
	{ "somaxconn_default", 128, 4096 }, { "tcp_rmem_max_default", 6291456, 33554432 },
	{ "wmem_max_default", 212992, 4194304 },
	{ "multi_transport", 0, 1 }, { "max_pkt_payload", 4096, 65536 },
	{ "send_pkt_loop", 0, 1 }, { "rx_credit_check", 0, 1 }, { "rx_buf_used", 0, 1 },
	{ "tx_cap_own_buf_alloc", 0, 1 }, { "credit_s64", 0, 1 },
	{ "credit_update", VSOCK_CREDIT_UPDATE_EVERY_DEQUEUE,
	  VSOCK_CREDIT_UPDATE_DELTA_LOW_FREE_RCVLOWAT },
	{ "stream_msg_peek", 0, 1 }, { "rcvlowat_target", 0, 1 }, { "seqpacket", 0, 1 },
	{ "credit_request_reply", 0, 1 }, { "rst_unexpected_state", 0, 1 },
	{ "listen_rst_to_requester", 0, 1 }, { "rst_sock_done", 0, 1 },
	{ "peer_shutdown_rst", 0, 1 }, { "small_pkt_merge", 0, 1 },
	{ "ealready_immediate", 0, 1 }, { "timeout_resets_sock_state", 0, 1 },
	{ "connect_clears_sk_err", 0, 1 }, { "wait_exits_on_closing", 0, 1 },
	{ "signal_keeps_established", 0, 1 }, { "sigpipe", 0, 1 },
	{ "enqueue_err_enomem", 1, 0 }, { "tx_fast_path", 0, 1 }, { "vhost_weights", 0, 1 },
	{ "vhost_dst_check", 0, 1 }, { "rx_buf_linear", 0, 1 }, { "vhost_split", 0, 1 },
	{ "svm_flags", 0, 1 }, { "buffer_size_credit_update", 0, 1 },
	{ "rcvlowat_credit_update", 0, 1 }, { "guest_loopback", 1, 0 },
	{ "family_without_transport", 0, 1 },
};

static void test_before_registry(void)
{
	size_t n;
	const struct profile_flag *f = kernel_profile_flags(&n);
	const struct kernel_profile *p5 = kernel_profile_find("linux-5.0");
	const struct kernel_profile *p6 = kernel_profile_find("linux-6.18");

	g_assert_nonnull(p5);
	g_assert_true(p6 == kernel_profile_default());
	g_assert_cmpuint(n, ==, G_N_ELEMENTS(before_registry));
	for (size_t i = 0; i < n; i++) {
		g_assert_cmpstr(f[i].name, ==, before_registry[i].name);
		g_assert_cmpint(kernel_profile_flag_value(&f[i], p5), ==, before_registry[i].v5_0);
		g_assert_cmpint(kernel_profile_flag_value(&f[i], p6), ==, before_registry[i].v6_18);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/profiles/registry-rule", test_rule);
	g_test_add_func("/profiles/rows-distinct", test_rows_distinct);
	g_test_add_func("/profiles/5.0-6.18-unchanged", test_before_registry);
	return g_test_run();
}
