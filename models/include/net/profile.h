/* SPDX-License-Identifier: MIT */
/*
 * Kernel profiles: behaviour that changed between kernel versions, chosen per
 * run.  Each flag is a row of the registry in net/profile_flags.h; see also
 * docs/models.md (kernel profiles) and docs/kernel-versions.md.
 */
#ifndef MODELS_NET_PROFILE_H
#define MODELS_NET_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

struct vsock_profile;

/* What connect(AF_UNSPEC) does while another thread sleeps on the socket
 * (disconnect_while_waiting). */
enum tcp_disconnect_mode {
	/* 5.0: tcp_disconnect() runs; the woken connect() finds TCP_CLOSE */
	TCP_DISCONNECT_PROCEEDS,
	/* 6.4-6.5, 5.10.y, 5.15.y ("tcp: deny tcp_disconnect() when threads
	 * are waiting"): tcp_disconnect() returns EBUSY, the waiter goes on */
	TCP_DISCONNECT_EBUSY,
	/* 6.6+, 6.1.60+ (sk_disconnects): it runs, the waiter returns EPIPE */
	TCP_DISCONNECT_EPIPE,
};

/*
 * One kernel.  The members are the rows of the profile-flag registry
 * (net/profile_flags.h), which gives each one's meaning, first kernel
 * version and source; models/profile.c derives every profile from it.
 */
struct kernel_profile {
	const char *name;		/* "linux-6.18" */
	int version;			/* KV(6, 18) */
	unsigned branch;		/* LTS_* bit of net/profile_flags.h; 0: the .0 release */
	const char *release;		/* what it models: "6.18.y" */
	const char *doc;		/* one line for list-profiles */
	bool connect_addr_first;
	bool syn_expiry_time_based;
	bool syn_linear_timeouts;
	enum tcp_disconnect_mode disconnect_while_waiting;
	bool synsent_bad_ack_rearm;
	bool recovery_retrans_stamp_cleanup;
	bool synq_full_strictly_greater;
	bool port_perturb_table;
	bool rto_min_tunable;
	bool rto_max_tunable;
	bool tlp_one_per_flight;
	bool timeout_min_us;
	bool xmit_timer_after_recovery;
	bool cwnd_test_strict_fin;
	bool tcp_grow_skb;
	bool prr_ssrb_on_una_advance;
	bool prr_banked_crb;
	bool rcv_wnd_init_uncapped;
	bool rcv_scaling_ratio;
	bool ofo_measure_rcv_mss;
	int somaxconn_default;
	int tcp_rmem_max_default;
	int wmem_max_default;
	/* AF_VSOCK and virtio-vsock (net/vsock_profile.h) */
	const struct vsock_profile *vsock;
};

const struct kernel_profile *kernel_profile_find(const char *name);
const struct kernel_profile *kernel_profile_default(void);
/* NULL-terminated list, the default first (for help text and did-you-mean). */
const struct kernel_profile *const *kernel_profile_all(void);

/* "linux-6.8", "6.8" or "6.18.44-fc": KV(major, minor), or -1. */
int kernel_version_parse(const char *s);
/* The profile with the greatest version <= @version, else the oldest one. */
const struct kernel_profile *kernel_profile_nearest(int version);

/* The registry, for list-profiles and the docs. */
enum profile_flag_kind { PF_BOOL, PF_INT, PF_DISCONNECT, PF_CREDIT_UPDATE };
enum profile_flag_confidence { SOURCED, ASSUMED };

struct profile_flag {
	const char *name;
	enum profile_flag_kind kind;
	bool vsock;			/* a member of struct vsock_profile */
	int before, after;
	int first;			/* KV(major, minor) */
	unsigned backports, override_in;
	int override;
	enum profile_flag_confidence confidence;
	const char *source;
	const char *doc;
	size_t offset, size;		/* the member in its struct */
};

/* Every row, in registry order; *n is set to the count. */
const struct profile_flag *kernel_profile_flags(size_t *n);
/* The value profile @p has for row @f, read from the profile itself. */
int kernel_profile_flag_value(const struct profile_flag *f, const struct kernel_profile *p);
/* The value the registry rule gives (PF_VALUE in net/profile_flags.h). */
int kernel_profile_flag_rule(const struct profile_flag *f, const struct kernel_profile *p);
/* How list-profiles prints a value of row @f: "yes", "4096", "epipe". */
const char *kernel_profile_flag_text(const struct profile_flag *f, int value, char buf[static 16]);

#endif
