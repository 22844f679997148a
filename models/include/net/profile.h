/* SPDX-License-Identifier: MIT */
/*
 * Kernel profiles: behaviour that changed between kernel versions, chosen per
 * run.  Each flag names the change it stands for; see docs/models.md.
 */
#ifndef MODELS_NET_PROFILE_H
#define MODELS_NET_PROFILE_H

#include <stdbool.h>

struct vsock_profile;

struct kernel_profile {
	const char *name;		/* "linux-6.18" */
	/* net/socket.c: __sys_connect copies the address before looking up the
	 * socket (5.5+, io_uring refactor); 5.0 looks up the socket first. */
	bool connect_addr_first;
	/* net/ipv4/tcp_timer.c: SYN expiry also time-based, honouring
	 * TCP_USER_TIMEOUT (5.4+, "tcp: better handle TCP_USER_TIMEOUT in
	 * SYN_SENT state"); 5.0 counts retransmissions only. */
	bool syn_expiry_time_based;
	/* net.ipv4.tcp_syn_linear_timeouts exists (6.5+). */
	bool syn_linear_timeouts;
	/* sk_disconnects: EPIPE when a concurrent disconnect happened (6.6+). */
	bool sk_disconnects;
	/* tcp_rcv_synsent_state_process re-arms the SYN timer to
	 * TCP_TIMEOUT_MIN after a bad-ACK RST if no retransmission yet (6.x). */
	bool synsent_bad_ack_rearm;
	/* tcp_enter_recovery clears retrans_stamp when nothing retransmitted
	 * is still out, so ETIMEDOUT counts from this recovery (6.12+,
	 * "tcp: fix tcp_enter_recovery() to zero retrans_stamp when it's safe"). */
	bool recovery_retrans_stamp_cleanup;
	/* inet_csk_reqsk_queue_is_full: qlen > backlog (2025+), else >=. */
	bool synq_full_strictly_greater;
	/* Ephemeral ports: RFC 6056 alg. 4 perturbation table (5.17+), else a
	 * single hint (5.0). */
	bool port_perturb_table;
	/* tcp_rto_min_us (6.11), tcp_rto_max_ms and TCP_RTO_MAX_MS (6.15). */
	bool rto_limits_tunable;
	/* Tail loss probe, net/ipv4/tcp_output.c:tcp_send_loss_probe: at most one
	 * probe per flight, new data included (tlp_high_seq and tlp_retrans; 5.9,
	 * 76be93fc0702 "tcp: allow at most one TLP probe per flight"); 5.0 records
	 * only a retransmitted probe, so new-data probes may repeat. */
	bool tlp_one_per_flight;
	/* tcp_schedule_loss_probe and tcp_rack_mark_lost round srtt/4 plus
	 * tcp_rto_min_us() or TCP_TIMEOUT_MIN_US (2 ms) up to jiffies (6.6,
	 * "tcp: fix excessive TLP and RACK timeouts from HZ rounding"); 5.0
	 * rounds the RTT part and adds TCP_RTO_MIN or TCP_TIMEOUT_MIN (2 jiffies). */
	bool timeout_min_us;
	/* tcp_ack sets the TLP/RTO timer after tcp_fastretrans_alert, so an ACK
	 * that returns Disorder to Open arms a probe (5.18, "tcp: fix TLP timer
	 * not set when CA_STATE changes from DISORDER to OPEN"); 5.0 before it. */
	bool xmit_timer_after_recovery;
	int somaxconn_default;		/* 4096 (5.4+) or 128 */
	/* net/ipv4/tcp.c:tcp_init: tcp_rmem[2] is min(32 MiB, limit) since 6.16
	 * ("tcp: increase tcp_rmem[2] to 32 MB"), min(6 MiB, limit) before. */
	int tcp_rmem_max_default;
	int wmem_max_default;
	/* AF_VSOCK and virtio-vsock (net/vsock_profile.h) */
	const struct vsock_profile *vsock;
};

const struct kernel_profile *kernel_profile_find(const char *name);
const struct kernel_profile *kernel_profile_default(void);
/* NULL-terminated list, for help text. */
const struct kernel_profile *const *kernel_profile_all(void);

#endif
