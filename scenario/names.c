/* SPDX-License-Identifier: MIT */
/* Everything a scenario can name, with a one-line description (names.h). */
#include "names.h"

#include <string.h>

#include "env/fault_kinds.h"
#include "env/vsock.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "linux/virtio_vsock.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/skb.h"
#include "suggest.h"

struct doc { const char *name, *doc; };

static const struct doc directive_docs[] = {
	{ "scenario", "the scenario's title: scenario \"one SYN lost\"" },
	{ "profile", "the kernel whose behaviour is modelled (see list-profiles)" },
	{ "seed", "the seed of every random stream (--seed overrides it)" },
	{ "timers", "exact timers, or `timers wheel [hz=N] [jiffies=N]` for the kernel timer wheel" },
	{ "sample", "how often connections are sampled for the results: sample interval=100ms" },
	{ "stop", "end the run at a time: stop at=10s" },
	{ "host", "a host: host NAME ADDR/PREFIX [scripted]" },
	{ "link", "a link between two hosts: link A B [delay=T] [jitter=T] [rate=BPS] [queue=BYTES]" },
	{ "route", "a route on a host: route HOST PREFIX unreachable|prohibit|blackhole" },
	{ "sysctl", "a sysctl, on every host or one: sysctl [HOST:]NAME = VALUE (see list-sysctls)" },
	{ "process", "a process on a host: process NAME on HOST" },
	{ "param", "a scenario parameter, $NAME in the file and --set NAME=VALUE on the command line" },
	{ "virtio-vsock", "a virtio-vsock device between a guest and its host: virtio-vsock GUEST HOST cid=N" },
	{ "thread", "a thread sharing a process's descriptors: thread NAME of PROCESS" },
	{ "sigaction", "a signal disposition: sigaction PROC SIGNAL handler|ignore|default [restart]" },
	{ "lsm", "an LSM hook that denies a call: lsm PROC CALL ERRNO" },
	{ "fault", "a fault rule on the wire (see list-faults)" },
	{ "qdisc", "a host's root qdisc, from the start or at a time: [TIME] qdisc HOST pfifo limit=N|none" },
	{ "expect", "an expectation checked after the run: states, sock-states, counter or exit" },
	{ "program", "a process's program, or a template `TIME start NAME [N] [over=T]` starts: program NAME on HOST ... end" },
};

static const struct doc syscall_docs[] = {
	{ "socket", "create a socket (AF_INET or AF_VSOCK, SOCK_STREAM)" },
	{ "open", "open a file that is not a socket (ENOTSOCK paths)" },
	{ "connect", "connect; blocks for the handshake unless O_NONBLOCK" },
	{ "bind", "bind a local address and port" },
	{ "listen", "listen with a backlog" },
	{ "accept", "accept a connection from the accept queue (blocks while empty)" },
	{ "close", "close a descriptor (RST or FIN as the kernel would)" },
	{ "shutdown", "shut down one or both directions" },
	{ "send", "send LEN bytes; blocks while the send buffer is full" },
	{ "sendto", "send with an address (TCP ignores it once connected)" },
	{ "recv", "receive up to LEN bytes; blocks while nothing is queued" },
	{ "read", "read(2): recv with flags 0 on a socket (an empty file otherwise)" },
	{ "write", "write(2): send with flags 0 on a socket (SIGPIPE on a broken one)" },
	{ "sendmsg", "send an iovec (a length or \"LEN LEN ...\") with flags (MSG_EOR, MSG_MORE, ...)" },
	{ "recvmsg", "receive into an iovec (a length or \"LEN LEN ...\") with flags" },
	{ "ioctl", "SIOCINQ/FIONREAD, SIOCOUTQ, SIOCOUTQNSQ of a TCP socket; `val=` checks the value" },
	{ "accept4", "accept with SOCK_NONBLOCK/SOCK_CLOEXEC for the new descriptor" },
	{ "setsockopt", "set a socket option (SO_*, TCP_*); times take a unit: 2s, 500ms" },
	{ "getsockopt", "read a socket option; `val=` in the expected result checks it" },
	{ "getsockname", "the socket's local address; `addr=` in the expected result checks it" },
	{ "getpeername", "the peer's address (ENOTCONN without one); `addr=` checks it" },
	{ "fcntl", "read or set the file status flags (O_NONBLOCK)" },
	{ "poll", "wait for events on one or more descriptors (FD, EVENTS pairs), with a timeout (a time, 0 or -1)" },
	{ "epoll_create", "create an epoll set (SIZE > 0, otherwise unused)" },
	{ "epoll_create1", "create an epoll set (flags 0 or EPOLL_CLOEXEC)" },
	{ "epoll_ctl", "add, modify or remove a descriptor of an epoll set (EPOLL_CTL_ADD/MOD/DEL, EPOLLIN|EPOLLET...)" },
	{ "epoll_wait", "wait for ready descriptors of an epoll set; events= checks them, VAR.N names the N-th" },
};

static const struct doc fault_docs[] = {
	{ "loss", "drop each matching packet with probability p" },
	{ "gilbert", "Gilbert-Elliott bursty loss: p (good->bad), r (bad->good), h, k" },
	{ "drop", "drop the nth matching packet, or the first count" },
	{ "window", "drop every matching packet during T1..T2 (action=blackhole: every packet)" },
	{ "delay", "add extra delay to matching packets" },
	{ "duplicate", "deliver a matching packet twice with probability p" },
	{ "reorder", "hold a matching packet back by extra with probability p" },
	{ "icmp", "answer a matching packet with an ICMP error of type (from router)" },
	{ "ce", "mark a matching ECT packet CE (an AQM router, RFC 3168); Not-ECT ones pass" },
	{ "vsock-freeze", "the vhost worker does not run during T1..T2" },
	{ "vsock-rx-starve", "the guest posts no RX buffers during T1..T2" },
	{ "vsock-drop", "drop the nth (or first count) matching vsock packet, by op" },
	{ "vsock-delay", "delay matching vsock packets by extra" },
	{ "vsock-transport-reset", "a transport reset event at a time (VIRTIO_VSOCK_EVENT_TRANSPORT_RESET)" },
};

static const struct doc counter_docs[] = {
	{ "ActiveOpens", "connect() calls that sent a SYN (TCP_CLOSE -> TCP_SYN_SENT)" },
	{ "PassiveOpens", "connections created from a SYN on a listener" },
	{ "AttemptFails", "connection attempts that failed in SYN_SENT/SYN_RECV" },
	{ "EstabResets", "established connections reset" },
	{ "OutSegs", "TCP segments sent, retransmissions excluded" },
	{ "InSegs", "TCP segments received" },
	{ "RetransSegs", "TCP segments retransmitted" },
	{ "OutRsts", "RSTs sent" },
	{ "InErrs", "TCP segments received in error" },
	{ "TCPTimeouts", "retransmission timer expiries" },
	{ "TCPSynRetrans", "SYN and SYN-ACK retransmissions" },
	{ "TCPAbortOnTimeout", "connections aborted after too many retransmissions" },
	{ "ListenOverflows", "SYNs or ACKs dropped because the accept queue was full" },
	{ "ListenDrops", "SYNs or ACKs dropped by a listener for any reason" },
	{ "TCPReqQFullDrop", "SYNs dropped because the SYN queue was full" },
	{ "TCPReqQFullDoCookies", "SYN cookies sent because the SYN queue was full" },
	{ "EmbryonicRsts", "RSTs received for a request socket in SYN_RECV" },
	{ "OutNoRoutes", "packets with no route to send them" },
	{ "TCPAbortOnData", "connections reset because data arrived after close" },
	{ "TCPAbortOnClose", "connections reset by close() with unread data" },
	{ "TCPTimeWaitOverflow", "connections closed without TIME_WAIT: net.ipv4.tcp_max_tw_buckets reached" },
	{ "InDestUnreachs", "ICMP destination-unreachable messages received" },
	{ "OutDestUnreachs", "ICMP destination-unreachable messages sent" },
	{ "TCPFastRetrans", "fast retransmissions" },
	{ "TCPSackRecovery", "recoveries entered with SACK" },
	{ "TCPRenoRecovery", "recoveries entered without SACK (NewReno)" },
	{ "TCPLossProbes", "tail loss probes sent" },
	{ "TCPWinProbe", "zero-window probes sent" },
	{ "TCPLossProbeRecovery", "losses a tail loss probe repaired (an ACK beyond the probe's snd_nxt)" },
	{ "TCPLostRetransmit", "retransmissions RACK found lost again" },
	{ "DelayedACKLost", "duplicate data received (our ACK was lost or late): answered at once" },
	{ "TCPDSACKOldSent", "D-SACK blocks sent for data below rcv_nxt" },
	{ "TCPDSACKOfoSent", "D-SACK blocks sent for out-of-order data received twice" },
	{ "TCPDSACKRecv", "D-SACK blocks received for data below the ACK" },
	{ "TCPDSACKOfoRecv", "D-SACK blocks received for data above the ACK" },
	{ "TCPDSACKRecvSegs", "segments D-SACKed by the peer" },
	{ "TCPDSACKIgnoredDubious", "D-SACK blocks ignored as dubious (not retransmitted, or wider than the window)" },
	{ "Icmp6InDestUnreachs", "ICMPv6 destination-unreachable messages received (/proc/net/snmp6)" },
	{ "Icmp6OutDestUnreachs", "ICMPv6 destination-unreachable messages sent (/proc/net/snmp6)" },
	{ "VsockTxPkts", "vsock packets this host transmitted" },
	{ "VsockRxPkts", "vsock packets this host received" },
	{ "VsockTxBytes", "vsock payload bytes transmitted" },
	{ "VsockRxBytes", "vsock payload bytes received" },
	{ "VsockRstSent", "vsock RST packets sent" },
	{ "VsockRstRcvd", "vsock RST packets received" },
	{ "VsockCreditUpdateSent", "CREDIT_UPDATE packets sent" },
	{ "VsockCreditRequestRcvd", "CREDIT_REQUEST packets received" },
	{ "VsockRxCreditDrops", "packets dropped for exceeding the receiver's credit" },
	{ "VsockSendQueued", "packets queued because the TX ring had no room" },
	{ "VsockTxRingFull", "times the TX virtqueue was full" },
	{ "VsockKicks", "virtqueue kicks (notifications to the device)" },
	{ "VsockKicksSuppressed", "kicks suppressed by event-idx or flags" },
	{ "VsockIrqs", "interrupts injected into the guest" },
	{ "VsockIrqsSuppressed", "interrupts suppressed by event-idx or flags" },
	{ "VsockRxThrottled", "times the vhost worker stopped because guest RX buffers ran out" },
	{ "VsockRxRefills", "times the guest refilled its RX virtqueue" },
	{ "VsockRxNoBuf", "packets that found no RX buffer" },
	{ "VsockCancelled", "packets cancelled before transmission (socket closed or reset)" },
	{ "VsockWorkerRuns", "vhost worker runs" },
	{ "VsockWeightExceeded", "vhost worker runs that stopped at the weight limit" },
	{ "VsockTransportResets", "transport reset events" },
	{ "VsockDeviceDrops", "packets the device dropped" },
	{ "VsockSplitPkts", "packets split over several buffers" },
	{ "VsockFaultDrops", "packets dropped by a vsock fault rule" },
	{ "VsockSendBlocked", "send() calls that blocked for credit or ring space" },
};

static const char *doc_of(const struct doc *docs, gsize n, const char *name)
{
	for (gsize i = 0; i < n; i++)
		if (strcmp(docs[i].name, name) == 0)
			return docs[i].doc;
	return NULL;
}

#define DOC(table, name) doc_of(table, G_N_ELEMENTS(table), name)

static void name_free(struct scn_name *n)
{
	g_free(n->name);
	g_free(n->usage);
	g_free(n);
}

static void add(GPtrArray *out, const char *name, char *usage, const char *doc)
{
	struct scn_name *n = g_new0(struct scn_name, 1);

	n->name = g_strdup(name);
	n->usage = usage ? usage : g_strdup(name);
	n->doc = doc;
	g_ptr_array_add(out, n);
}

static char *fault_usage(const char *kind, GPtrArray *keys)
{
	GString *s = g_string_new("fault ");

	g_string_append(s, kind);
	for (guint k = 0; k < keys->len; k++)
		g_string_append_printf(s, " %s=", (const char *)keys->pdata[k]);
	return g_string_free(s, FALSE);
}

/* The option names a fault kind takes, in listing order. */
static GPtrArray *fault_kind_keys(const struct fault_kind_ops *k)
{
	g_auto(GStrv) words = g_strsplit(k->keys, " ", -1);
	GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);

	for (char **w = words; *w; w++)
		if (**w)
			g_ptr_array_add(keys, g_strdup(*w));
	return keys;
}

static void add_faults(GPtrArray *out)
{
	const struct fault_kind_ops *k;

	for (guint i = 0; (k = fault_kind_at(i)); i++) {
		g_autoptr(GPtrArray) keys = fault_kind_keys(k);

		add(out, k->name, fault_usage(k->name, keys), DOC(fault_docs, k->name));
	}
}

static void add_errnos(GPtrArray *out)
{
	const char *name;
	int val;

	for (guint i = 0; (name = sim_errno_at(i, &val)); i++) {
		/* The C locale's message (socksim never calls setlocale). */
		const char *doc = val >= 512 ? "kernel-internal: a signal interrupted the call; "
			"it restarts or returns EINTR (arch/x86/kernel/signal.c)" : g_strerror(val);

		add(out, name, g_strdup_printf("%s (%d)", name, val), doc);
	}
}

static void add_counters(GPtrArray *out)
{
	static const char *const pkt_sets[] = { "sent", "dropped", "delivered" };
	static const char *const vsock_sets[] = { "sent", "delivered", "dropped", "cancelled" };
	GString *kinds = g_string_new(NULL), *ops = g_string_new(NULL);

	for (int m = 0; m < MIB_MAX; m++)
		add(out, mib_counter_names[m], g_strdup_printf("HOST.%s", mib_counter_names[m]),
		    DOC(counter_docs, mib_counter_names[m]));
	for (int v = 0; v < VSOCK_CTR_MAX; v++)
		add(out, vsock_counter_names[v], g_strdup_printf("HOST.%s", vsock_counter_names[v]),
		    DOC(counter_docs, vsock_counter_names[v]));
	for (int k = 0; k < PKT_KIND_MAX; k++)
		g_string_append_printf(kinds, "%s%s", k ? "|" : "", pkt_kind_name((enum pkt_kind)k));
	for (int op = 1; op < VIRTIO_VSOCK_OP_MAX; op++)
		g_string_append_printf(ops, "%s%s", op > 1 ? "|" : "", virtio_vsock_op_name(op));
	for (size_t i = 0; i < G_N_ELEMENTS(pkt_sets); i++)
		add(out, pkt_sets[i], g_strdup_printf("packets.%s.KIND", pkt_sets[i]),
		    i == 0 ? "TCP packets of a kind sent (KIND in the usage line below)" :
		    i == 1 ? "TCP packets of a kind dropped by a fault rule, route or queue" :
		    "TCP packets of a kind delivered to their destination");
	add(out, "KIND", g_string_free(kinds, FALSE), "packet kinds of packets.*.KIND");
	for (size_t i = 0; i < G_N_ELEMENTS(vsock_sets); i++)
		add(out, vsock_sets[i], g_strdup_printf("vsock.%s.OP", vsock_sets[i]),
		    "vsock packets of an op, over every device");
	add(out, "OP", g_string_free(ops, FALSE), "vsock ops of vsock.*.OP");
}

GPtrArray *scn_names(enum scn_names which)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)name_free);
	const char *name, *usage;

	switch (which) {
	case SCN_NAMES_DIRECTIVES:
		for (guint i = 0; (name = scn_directive_at(i)); i++)
			add(out, name, NULL, DOC(directive_docs, name));
		add(out, "program", NULL, DOC(directive_docs, "program"));	/* a block: parser.c */
		break;
	case SCN_NAMES_SYSCALLS:
		for (guint i = 0; (name = scn_syscall_at(i, &usage)); i++)
			add(out, name, g_strdup(usage), DOC(syscall_docs, name));
		break;
	case SCN_NAMES_FAULTS:
		add_faults(out);
		break;
	case SCN_NAMES_ERRNOS:
		add_errnos(out);
		break;
	case SCN_NAMES_COUNTERS:
		add_counters(out);
		break;
	case SCN_NAMES_SYSCTLS:
		for (const struct sysctl_desc *d = sysctl_table; d->name; d++)
			add(out, d->name, NULL, d->doc);
		break;
	case SCN_NAMES_PROFILES:
		for (const struct kernel_profile *const *p = kernel_profile_all(); *p; p++)
			add(out, (*p)->name, NULL, (*p)->doc);
		break;
	}
	return out;
}

char *scn_names_hint(enum scn_names which, const char *name)
{
	g_autoptr(GPtrArray) names = scn_names(which);
	g_autoptr(GPtrArray) strs = g_ptr_array_new();

	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add(strs, ((struct scn_name *)names->pdata[i])->name);
	return scn_did_you_mean(name, (const char *const *)strs->pdata, strs->len);
}

char *scn_fault_option_hint(const char *kind, const char *key)
{
	const struct fault_kind_ops *k = fault_kind_find(kind);
	g_autoptr(GPtrArray) keys = k ? fault_kind_keys(k) : g_ptr_array_new();

	return scn_did_you_mean(key, (const char *const *)keys->pdata, keys->len);
}

char *scn_counter_hint(const char *counter)
{
	g_autoptr(GPtrArray) names = scn_names(SCN_NAMES_COUNTERS);
	g_autoptr(GPtrArray) strs = g_ptr_array_new_with_free_func(g_free);
	const char *dot = strrchr(counter, '.');
	g_autofree char *prefix = dot ? g_strndup(counter, (gsize)(dot - counter + 1)) : g_strdup("");
	const char *best;

	/* HOST.NAME: the name part against the counter names; else the whole text
	 * against packets.SET.KIND and vsock.SET.OP spelled out */
	for (guint i = 0; i < names->len; i++) {
		const struct scn_name *n = names->pdata[i];

		if (g_str_has_prefix(n->usage, "HOST."))
			g_ptr_array_add(strs, g_strconcat(prefix, n->name, NULL));
	}
	for (guint i = 0; i < names->len; i++) {
		const struct scn_name *n = names->pdata[i];
		const char *set = strrchr(n->usage, '.');

		if (!g_str_has_prefix(n->usage, "packets.") && !g_str_has_prefix(n->usage, "vsock."))
			continue;
		for (guint j = 0; j < names->len; j++) {
			const struct scn_name *m = names->pdata[j];
			g_auto(GStrv) vals = NULL;

			if (strcmp(m->name, set[1] == 'K' ? "KIND" : "OP") != 0)
				continue;
			vals = g_strsplit(m->usage, "|", -1);
			for (char **v = vals; *v; v++)
				g_ptr_array_add(strs, g_strdup_printf("%.*s%s", (int)(set + 1 - n->usage),
								      n->usage, *v));
		}
	}
	best = scn_closest(counter, (const char *const *)strs->pdata, strs->len);
	return best ? g_strdup_printf(" (did you mean '%s'?)", best) : g_strdup("");
}

char *scn_explain_set_error(const char *message, const char *const *sets)
{
	GString *out = g_string_new(message);

	for (const char *const *s = sets; s && *s; s++) {
		const char *eq = strchr(*s, '=');
		g_autofree char *key = eq ? g_strndup(*s, (gsize)(eq - *s)) : g_strdup(*s);
		g_autofree char *unknown = g_strdup_printf("unknown parameter '%s'", key);
		g_autoptr(GPtrArray) tails = g_ptr_array_new();
		const char *best;

		if (strchr(key, '.') || !strstr(message, unknown))
			continue;
		for (const struct sysctl_desc *d = sysctl_table; d->name; d++)
			g_ptr_array_add(tails, (char *)(strrchr(d->name, '.') + 1));
		best = scn_closest(key, (const char *const *)tails->pdata, tails->len);
		for (const struct sysctl_desc *d = sysctl_table; best && d->name; d++)
			if (strrchr(d->name, '.') + 1 == best) {
				g_string_append_printf(out, "\n<command line>: note: '%s' is not a parameter of this scenario; "
						       "did you mean the sysctl: --set %s%s?", key, d->name, eq ? eq : "");
				break;
			}
	}
	return g_string_free(out, FALSE);
}
