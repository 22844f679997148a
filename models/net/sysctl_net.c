/* SPDX-License-Identifier: MIT */
/*
 * The sysctls the models read, by their real names, with the kernel's
 * defaults per profile and where the kernel defines them.
 */
#include "net/net_namespace.h"

#include <glib.h>
#include <stddef.h>
#include <string.h>

#include "linux/errno_names.h"
#include "net/profile.h"
#include "net/tcp.h"
#include "net/tcp_cong.h"

#define NET_OFF(field) offsetof(struct net, field)
/* proc_dou8vec_minmax without bounds: a u8 sysctl takes 0..255, and the
 * models read "non-zero" as on, as the kernel does. */
#define U8_MAX 255
/* net/ipv4/sysctl_net_ipv4.c:ipv4_local_port_range refuses a low end below
 * net.ipv4.ip_unprivileged_port_start, 1024 by default (PROT_SOCK). */
#define PROT_SOCK 1024

/* proc_dointvec_jiffies refuses seconds above INT_MAX / HZ; CONFIG_HZ=250
 * on Debian's kernels and on the machine measured (tests/kernel/MEASURED.md) */
#define TCP_FIN_TIMEOUT_MAX (INT32_MAX / 250)

/* Sorted by name. */
const struct sysctl_desc sysctl_table[] = {
	{ "net.core.rmem_max", SYSCTL_INT, NET_OFF(core.sysctl_rmem_max), 0, INT32_MAX, "bytes",
	  "net/core/sysctl_net_core.c", "cap for SO_RCVBUF" },
	{ "net.core.somaxconn", SYSCTL_INT, NET_OFF(core.sysctl_somaxconn), 0, INT32_MAX, "connections",
	  "net/core/net_namespace.c:net_defaults_init_net", "cap for listen() backlog (4096 since 5.4, 128 before)" },
	{ "net.core.wmem_max", SYSCTL_INT, NET_OFF(core.sysctl_wmem_max), 0, INT32_MAX, "bytes",
	  "net/core/sysctl_net_core.c", "cap for SO_SNDBUF" },
	{ "net.ipv4.ip_local_port_range", SYSCTL_INT_PAIR, NET_OFF(ipv4.ip_local_ports_range), PROT_SOCK, 65535, "port",
	  "net/ipv4/af_inet.c:inet_init_net", "ephemeral ports for connect()" },
	{ "net.ipv4.tcp_abort_on_overflow", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_abort_on_overflow), 0, U8_MAX, "bool",
	  "net/ipv4/tcp_minisocks.c:tcp_check_req", "RST instead of ignoring the final ACK when the accept queue is full" },
	{ "net.ipv4.tcp_app_win", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_app_win), 0, 31, "shift",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "reserve 1/2^n of the receive buffer for the application (tcp_init_buffer_space); 0 reserves none" },
	{ "net.ipv4.tcp_congestion_control", SYSCTL_CC_NAME, NET_OFF(ipv4.sysctl_tcp_congestion_control), 0, 1, "name",
	  "net/ipv4/tcp_cong.c:tcp_set_default_congestion_control", "congestion control for new sockets: cubic or reno" },
	{ "net.ipv4.tcp_dsack", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_dsack), 0, U8_MAX, "bool",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "report duplicate segments in the first SACK block (RFC 2883)" },
	{ "net.ipv4.tcp_early_retrans", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_early_retrans), 0, 4, "mode",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "tail loss probes when 3 or 4 (tcp_schedule_loss_probe); 0-2 turn them off" },
	{ "net.ipv4.tcp_ecn", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_ecn), 0, 2, "mode",
	  "net/ipv4/sysctl_net_ipv4.c (range), net/ipv4/tcp_ipv4.c:tcp_sk_init (default 2)",
	  "ECN (RFC 3168): 1 requests it in SYNs and accepts it, 2 only accepts it, 0 neither" },
	{ "net.ipv4.tcp_ecn_fallback", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_ecn_fallback), 0, 1, "bool",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "a retransmitted SYN no longer asks for ECN (tcp_ecn_clear_syn)" },
	{ "net.ipv4.tcp_fin_timeout", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_fin_timeout), -TCP_FIN_TIMEOUT_MAX, TCP_FIN_TIMEOUT_MAX, "s",
	  "net/ipv4/sysctl_net_ipv4.c (proc_dointvec_jiffies), net/ipv4/tcp_ipv4.c:tcp_sk_init (TCP_FIN_TIMEOUT)",
	  "how long an orphaned FIN_WAIT2 waits for the peer's FIN (tcp_fin_time: at least 3.5 RTO)" },
	{ "net.ipv4.tcp_max_reordering", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_max_reordering), 0, INT32_MAX, "packets",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "cap of the reordering degree that SACK reordering detection raises (tcp_check_sack_reordering)" },
	{ "net.ipv4.tcp_max_syn_backlog", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_max_syn_backlog), 0, INT32_MAX, "requests",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SYN queue limit without syncookies" },
	{ "net.ipv4.tcp_max_tw_buckets", SYSCTL_INT, NET_OFF(ipv4.tcp_death_row.sysctl_max_tw_buckets), INT32_MIN, INT32_MAX, "sockets",
	  "net/ipv4/sysctl_net_ipv4.c (proc_dointvec: any int), net/ipv4/tcp_ipv4.c:tcp_sk_init (default: half the established hash)",
	  "timewait socks at most; a connection entering TIME_WAIT beyond it just closes (TCPTimeWaitOverflow)" },
	{ "net.ipv4.tcp_min_tso_segs", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_min_tso_segs), 1, U8_MAX, "segments",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "fewest segments per TSO/GSO packet (tcp_tso_segs)" },
	{ "net.ipv4.tcp_pacing_ca_ratio", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_pacing_ca_ratio), 0, 1000, "percent",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "sk_pacing_rate in congestion avoidance, percent of cwnd/srtt (tcp_update_pacing_rate)" },
	{ "net.ipv4.tcp_pacing_ss_ratio", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_pacing_ss_ratio), 0, 1000, "percent",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "sk_pacing_rate in slow start, percent of cwnd/srtt (tcp_update_pacing_rate)" },
	{ "net.ipv4.tcp_notsent_lowat", SYSCTL_UINT, NET_OFF(ipv4.sysctl_tcp_notsent_lowat), 0, UINT32_MAX, "bytes",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "unsent bytes above which the socket is not writable (tcp_stream_memory_free)" },
	{ "net.ipv4.tcp_reordering", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_reordering), 1, 300, "packets",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "initial reordering degree (dupack threshold)" },
	{ "net.ipv4.tcp_retries2", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_retries2), 0, 255, "retransmissions",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "data retransmissions (as a time budget) before ETIMEDOUT" },
	{ "net.ipv4.tcp_rmem", SYSCTL_INT_TRIPLE, NET_OFF(ipv4.sysctl_tcp_rmem), 1, INT32_MAX, "bytes",
	  "net/ipv4/tcp.c:tcp_init", "receive buffer min/default/max" },
	{ "net.ipv4.tcp_rto_max_ms", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_rto_max_ms), 1000, 120000, "ms",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "maximum RTO (6.15+)" },
	{ "net.ipv4.tcp_rto_min_us", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_rto_min_us), 1, INT32_MAX, "us",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "minimum RTO (6.11+)" },
	{ "net.ipv4.tcp_sack", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_sack), 0, U8_MAX, "bool",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SACK-permitted in SYNs; SACK blocks and RACK loss detection" },
	{ "net.ipv4.tcp_slow_start_after_idle", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_slow_start_after_idle), 0, U8_MAX, "bool",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "shrink cwnd after an idle period longer than the RTO" },
	{ "net.ipv4.tcp_syn_linear_timeouts", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_syn_linear_timeouts), 0, MAX_TCP_SYNCNT, "retransmissions",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SYN retransmissions at the initial RTO before backoff (6.5+)" },
	{ "net.ipv4.tcp_syn_retries", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_syn_retries), 1, MAX_TCP_SYNCNT, "retransmissions",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SYN retransmissions before connect() gives up" },
	{ "net.ipv4.tcp_synack_retries", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_synack_retries), 0, 255, "retransmissions",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SYN-ACK retransmissions before a request is dropped" },
	{ "net.ipv4.tcp_syncookies", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_syncookies), 0, U8_MAX, "mode",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "SYN cookies when the SYN queue is full" },
	{ "net.ipv4.tcp_timestamps", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_timestamps), 0, U8_MAX, "mode",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "timestamps option (header length only in this model)" },
	{ "net.ipv4.tcp_window_scaling", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_window_scaling), 0, U8_MAX, "bool",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "window scale option (RFC 7323)" },
	{ "net.ipv4.tcp_tso_win_divisor", SYSCTL_INT, NET_OFF(ipv4.sysctl_tcp_tso_win_divisor), 0, U8_MAX, "divisor",
	  "net/ipv4/tcp_ipv4.c:tcp_sk_init", "send a TSO packet at once when 1/N of the window is free (tcp_tso_should_defer)" },
	{ "net.ipv4.tcp_wmem", SYSCTL_INT_TRIPLE, NET_OFF(ipv4.sysctl_tcp_wmem), 1, INT32_MAX, "bytes",
	  "net/ipv4/tcp.c:tcp_init", "send buffer min/default/max" },
	{ NULL, 0, 0, 0, 0, NULL, NULL, NULL },
};

void net_init_defaults(struct net *net, const struct kernel_profile *profile)
{
	memset(net, 0, sizeof(*net));
	net->core.sysctl_somaxconn = profile->somaxconn_default;
	net->core.sysctl_wmem_max = profile->wmem_max_default;
	net->core.sysctl_rmem_max = profile->wmem_max_default;
	net->ipv4.sysctl_tcp_syn_retries = TCP_SYN_RETRIES;
	net->ipv4.sysctl_tcp_synack_retries = TCP_SYNACK_RETRIES;
	net->ipv4.sysctl_tcp_syn_linear_timeouts = profile->syn_linear_timeouts ? 4 : 0;
	net->ipv4.sysctl_tcp_syncookies = 1;
	net->ipv4.sysctl_tcp_abort_on_overflow = 0;
	net->ipv4.sysctl_tcp_max_syn_backlog = 128;
	net->ipv4.sysctl_tcp_rto_max_ms = 120000;
	net->ipv4.sysctl_tcp_rto_min_us = 200000;
	net->ipv4.sysctl_tcp_timestamps = 1;
	net->ipv4.sysctl_tcp_window_scaling = 1;
	net->ipv4.sysctl_tcp_sack = 1;
	net->ipv4.sysctl_tcp_dsack = 1;
	net->ipv4.sysctl_tcp_ecn = 2;
	net->ipv4.sysctl_tcp_ecn_fallback = 1;
	net->ipv4.sysctl_tcp_app_win = 31;
	net->ipv4.sysctl_tcp_reordering = 3;
	net->ipv4.sysctl_tcp_max_reordering = 300;
	net->ipv4.sysctl_tcp_early_retrans = 3;
	net->ipv4.sysctl_tcp_retries2 = TCP_RETR2;
	net->ipv4.sysctl_tcp_slow_start_after_idle = 1;
	net->ipv4.sysctl_tcp_min_tso_segs = 2;
	net->ipv4.sysctl_tcp_pacing_ss_ratio = 200;
	net->ipv4.sysctl_tcp_pacing_ca_ratio = 120;
	net->ipv4.sysctl_tcp_tso_win_divisor = 3;
	net->ipv4.sysctl_tcp_notsent_lowat = UINT32_MAX;
	net->ipv4.sysctl_tcp_congestion_control = 0;	/* cubic */
	net->ipv4.sysctl_tcp_wmem[0] = 4096;
	net->ipv4.sysctl_tcp_wmem[1] = 16384;
	net->ipv4.sysctl_tcp_wmem[2] = 4194304;
	net->ipv4.sysctl_tcp_rmem[0] = 4096;
	net->ipv4.sysctl_tcp_rmem[1] = 131072;
	net->ipv4.sysctl_tcp_rmem[2] = profile->tcp_rmem_max_default;
	net->ipv4.ip_local_ports_range[0] = 32768;
	net->ipv4.ip_local_ports_range[1] = 60999;
	net->ipv4.sysctl_tcp_fin_timeout = TCP_FIN_TIMEOUT_SEC;
	/* tcp_sk_init(): ehash_mask + 1 over 2.  The established hash is sized
	 * from the machine's memory at boot (alloc_large_system_hash()), so the
	 * kernel's default varies; 131072 is what Linux 6.18 reads on the 24 GiB
	 * machines the tests are measured on (tests/kernel/MEASURED.md). */
	net->ipv4.tcp_death_row.sysctl_max_tw_buckets = TCP_MAX_TW_BUCKETS_DEFAULT;
}

bool sysctl_in_profile(const struct sysctl_desc *d, const struct kernel_profile *profile)
{
	if (strcmp(d->name, "net.ipv4.tcp_syn_linear_timeouts") == 0)
		return profile->syn_linear_timeouts;
	if (strcmp(d->name, "net.ipv4.tcp_rto_max_ms") == 0)
		return profile->rto_max_tunable;
	if (strcmp(d->name, "net.ipv4.tcp_rto_min_us") == 0)
		return profile->rto_min_tunable;
	return true;
}

const struct sysctl_desc *sysctl_find(const char *name)
{
	for (const struct sysctl_desc *d = sysctl_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static int count_of(enum sysctl_kind k)
{
	return k == SYSCTL_INT_PAIR ? 2 : k == SYSCTL_INT_TRIPLE ? 3 : 1;
}

G_DEFINE_QUARK(socksim-sysctl-error-quark, sysctl_error)

int sysctl_write(struct net *net, const struct sysctl_desc *d, const char *text,
		 GError **error)
{
	int n = count_of(d->kind);
	int vals[3];
	uint32_t uvals[3];
	const char *p = text;
	int *dst = (int *)(void *)((char *)net + d->offset);

	if (d->kind == SYSCTL_CC_NAME) {
		g_autofree char *name = g_strstrip(g_strdup(text));
		int idx = tcp_ca_index(name);

		if (idx < 0) {
			g_set_error(error, SYSCTL_ERROR, 0,
				    "%s: unknown congestion control '%s' (cubic or reno)", d->name, name);
			return -SIM_EINVAL;
		}
		*dst = idx;
		return 0;
	}

	for (int i = 0; i < n; i++) {
		char *end;
		gint64 v;

		while (*p == ' ' || *p == '\t' || (i > 0 && *p == '-'))
			p++;
		v = g_ascii_strtoll(p, &end, 10);
		if (end == p) {
			g_set_error(error, SYSCTL_ERROR, 0, "%s expects %d integer%s, got '%s'",
				    d->name, n, n > 1 ? "s" : "", text);
			return -SIM_EINVAL;
		}
		if (v < d->min || v > d->max) {
			g_set_error(error, SYSCTL_ERROR, 0, "%s: %" G_GINT64_FORMAT " is outside %"
				    G_GINT64_FORMAT "..%" G_GINT64_FORMAT, d->name, v, d->min, d->max);
			return -SIM_EINVAL;
		}
		if (d->kind == SYSCTL_UINT) {
			uvals[i] = (uint32_t)v;
			vals[i] = 0;
		} else {
			vals[i] = (int)v;
		}
		p = end;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p) {
		g_set_error(error, SYSCTL_ERROR, 0, "%s expects %d integer%s, got '%s'", d->name,
			    n, n > 1 ? "s" : "", text);
		return -SIM_EINVAL;
	}
	if (d->kind == SYSCTL_INT_PAIR && vals[0] > vals[1]) {
		g_set_error(error, SYSCTL_ERROR, 0, "%s: low %d is above high %d", d->name,
			    vals[0], vals[1]);
		return -SIM_EINVAL;
	}
	if (d->kind == SYSCTL_UINT)
		memcpy(dst, uvals, sizeof(uint32_t));
	else
		memcpy(dst, vals, sizeof(int) * (size_t)n);
	return 0;
}

char *sysctl_read(const struct net *net, const struct sysctl_desc *d)
{
	const int *v = (const int *)(const void *)((const char *)net + d->offset);

	switch (d->kind) {
	case SYSCTL_CC_NAME:
		return g_strdup(tcp_ca_name_by_index(v[0]));
	case SYSCTL_INT:
		return g_strdup_printf("%d", v[0]);
	case SYSCTL_UINT:
		return g_strdup_printf("%u", *(const uint32_t *)(const void *)v);
	case SYSCTL_INT_PAIR:
		return g_strdup_printf("%d\t%d", v[0], v[1]);
	default:
		return g_strdup_printf("%d\t%d\t%d", v[0], v[1], v[2]);
	}
}
