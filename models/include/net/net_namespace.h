/* SPDX-License-Identifier: MIT */
/*
 * Per-host network namespace: the sysctls the models read.  Field names are
 * the kernel's (include/net/netns/ipv4.h, include/net/netns/core.h).
 */
#ifndef MODELS_NET_NET_NAMESPACE_H
#define MODELS_NET_NET_NAMESPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns_core {
	int sysctl_somaxconn;
	int sysctl_wmem_max;
	int sysctl_rmem_max;
};

struct netns_ipv4 {
	int sysctl_tcp_syn_retries;
	int sysctl_tcp_synack_retries;
	int sysctl_tcp_syn_linear_timeouts;
	int sysctl_tcp_syncookies;
	int sysctl_tcp_abort_on_overflow;
	int sysctl_tcp_max_syn_backlog;
	int sysctl_tcp_rto_max_ms;
	int sysctl_tcp_rto_min_us;
	int sysctl_tcp_timestamps;
	int sysctl_tcp_window_scaling;
	int sysctl_tcp_sack;
	int sysctl_tcp_reordering;
	int sysctl_tcp_retries2;
	int sysctl_tcp_slow_start_after_idle;
	int sysctl_tcp_congestion_control;	/* index into the CC table */
	int sysctl_tcp_wmem[3];
	int sysctl_tcp_rmem[3];
	int ip_local_ports_range[2];	/* net.ipv4.ip_local_port_range */
};

struct net {
	struct netns_core core;
	struct netns_ipv4 ipv4;
};

struct kernel_profile;

/* Defaults of @profile's kernel. */
void net_init_defaults(struct net *net, const struct kernel_profile *profile);

enum sysctl_kind { SYSCTL_INT, SYSCTL_INT_PAIR, SYSCTL_INT_TRIPLE, SYSCTL_CC_NAME };

struct sysctl_desc {
	const char *name;		/* "net.ipv4.tcp_syn_retries" */
	enum sysctl_kind kind;
	size_t offset;			/* into struct net */
	int min, max;
	const char *unit;
	const char *source;		/* where the kernel defines it */
	const char *doc;
};

/* Sorted by name; NULL-terminated by a zero entry. */
extern const struct sysctl_desc sysctl_table[];
const struct sysctl_desc *sysctl_find(const char *name);
/* Does @profile's kernel have this sysctl at all? */
bool sysctl_in_profile(const struct sysctl_desc *d, const struct kernel_profile *profile);
/* Parse @text ("3", "32768 60999", "32768-60999") into @net. 0 or -EINVAL. */
int sysctl_write(struct net *net, const struct sysctl_desc *d, const char *text,
		 char **errmsg);
/* Current value as text, kernel /proc format ("32768\t60999"). */
char *sysctl_read(const struct net *net, const struct sysctl_desc *d);

#endif
