/* SPDX-License-Identifier: MIT */
/*
 * Charts of one run (report.h): the SYN retransmission timeline of its
 * connection, the sk_state of every socket over time, and the sampled
 * series (throughput, cwnd, RTO, vsock credit) as far as the results
 * document has them.
 *
 * For a sweep the run is re-simulated (runs are deterministic) with a JSONL
 * trace into OUT/data/; the report reads the trace's net_dev_xmit,
 * fault_fire and tcp_v4_rcv events and the results document's sockets[]
 * and connections[], never the text trace.
 */
#include <string.h>

#include "cli.h"
#include "json_read.h"
#include "report.h"

/*
 * Sampled series the report draws when the results document has them
 * (connections[], written by the TCP send path, and vsock.connections[],
 * written by the vsock model; docs/sweeps-and-reports.md).
 * A field is read from <source>[].samples[], or, for a per-interval
 * chart, is a connection-level array of bytes per interval_ns starting at
 * t_start_ns.  Adding a chart is adding a line here.
 */
struct series_field {
	const char *name;
	int64_t mult;		/* to the chart's common unit (srtt_us -> ns: 1000) */
	const char *label;	/* in the legend, without a unit (the axis has it) */
};

static const struct series_desc {
	const char *source;	/* "connections" or "vsock.connections" */
	const char *stem;
	const char *title;
	const char *ylabel;
	struct series_field fields[3];
	int64_t yscale;		/* plotted value = value / yscale */
	bool per_interval;	/* fields are byte counts per interval: plot bit/s */
	int64_t omit_from;	/* values >= this are not plotted (TCP_INFINITE_SSTHRESH); 0: none */
	bool senders_only;	/* leave out connections that sent nothing (bytes_sent 0) */
} series_descs[] = {
	{ "connections", "throughput", "Throughput per connection (bytes acknowledged per interval)", "throughput (Mbit/s)",
	  { { "acked_per_interval", 8, "" } }, 1000000, true, 0, true },
	{ "connections", "cwnd", "Congestion window, slow-start threshold and packets in flight", "segments",
	  { { "cwnd", 1, "cwnd" }, { "ssthresh", 1, "ssthresh" }, { "in_flight", 1, "in flight" } }, 1, false,
	  0x7fffffff, true },
	{ "connections", "rto", "RTO and smoothed RTT", "time (ms)",
	  { { "rto_ns", 1, "RTO" }, { "srtt_us", 1000, "smoothed RTT" } }, 1000000, false, 0, true },
	{ "connections", "windows", "Send window the peer offers (snd_wnd) and receive window offered (rcv_wnd)",
	  "bytes (KiB)", { { "snd_wnd", 1, "snd_wnd" }, { "rcv_wnd", 1, "rcv_wnd" } }, 1024, false, 0, false },
	{ "vsock.connections", "vsock-throughput", "vsock throughput per socket (bytes received per interval)",
	  "throughput (Mbit/s)", { { "received_per_interval", 8, "" } }, 1000000, true, 0, false },
	{ "vsock.connections", "vsock-credit", "vsock peer credit (peer_free) and receive queue (rx_bytes)",
	  "bytes (KiB)", { { "peer_free", 1, "peer_free" }, { "rx_bytes", 1, "rx_bytes" } }, 1024, false, 0, false },
};

/* Every state has its own colour in every report, whichever states a run visits. */
static const struct { const char *name, *colour; } state_order[] = {
	{ "TCP_CLOSE", "#9e9e9e" }, { "TCP_LISTEN", "#8c564b" }, { "TCP_SYN_SENT", "#ff7f0e" },
	{ "TCP_SYN_RECV", "#e377c2" }, { "TCP_NEW_SYN_RECV", "#f7b6d2" }, { "TCP_ESTABLISHED", "#2ca02c" },
	{ "TCP_FIN_WAIT1", "#1f77b4" }, { "TCP_FIN_WAIT2", "#aec7e8" }, { "TCP_CLOSE_WAIT", "#9467bd" },
	{ "TCP_CLOSING", "#bcbd22" }, { "TCP_LAST_ACK", "#17becf" }, { "TCP_TIME_WAIT", "#d62728" },
};

static int cmp_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * A time axis from the first to the last of @times (ns, any order): linear,
 * or, when the last time is more than 50 times as far from the first as the
 * median is (a transfer of 0.2 s followed by 60 s of TIME_WAIT), a log scale
 * of (t - first + c) with c a power of ten a hundredth of the median, with
 * ticks at 0 and every decade.  Sets t0s, t1s (s) and tlog (c in s, 0:
 * linear) and xticks for common.gp; returns whether the axis is a log one.
 */
static bool time_axis(struct chart *c, GArray *times)
{
	int64_t t0, t1, med, cns = 1000;
	g_autoptr(GString) ticks = g_string_new(NULL);
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	g_array_sort(times, cmp_time);
	t0 = times->len ? g_array_index(times, int64_t, 0) : 0;
	t1 = times->len ? g_array_index(times, int64_t, times->len - 1) : 1;
	med = times->len ? g_array_index(times, int64_t, times->len / 2) - t0 : 0;
	g_ptr_array_add(c->vars, g_strdup_printf("t0s=%s", g_ascii_dtostr(buf, sizeof(buf), (double)t0 / 1e9)));
	g_ptr_array_add(c->vars, g_strdup_printf("t1s=%s", g_ascii_dtostr(buf, sizeof(buf), (double)MAX(t1, t0 + 1) / 1e9)));
	if (med <= 0 || t1 - t0 <= 50 * med) {
		report_chart_var_int(c, "tlog", 0);
		report_chart_var_str(c, "xticks", "");
		return false;
	}
	while (cns * 10 <= med / 100)
		cns *= 10;
	g_ptr_array_add(c->vars, g_strdup_printf("tlog=%s", g_ascii_dtostr(buf, sizeof(buf), (double)cns / 1e9)));
	/* the first time, then every power of ten from 10 c after it */
	for (int64_t v = t0, p = cns * 10; v <= t1; v = p, p *= 10) {
		gsize at;

		if (v > t0 && (v - t0) * 2 < cns * 10)
			continue;	/* too close to the first tick */
		g_string_append_printf(ticks, "%s\"", ticks->len ? ", " : "");
		at = ticks->len;
		report_format_time(ticks, v);
		/* "10.000 ms" -> "10 ms" */
		for (char *dot = strchr(ticks->str + at, '.'); dot && strspn(dot + 1, "0") == 3; dot = NULL)
			g_string_erase(ticks, (gssize)(dot - ticks->str), 4);
		g_string_append_printf(ticks, "\" %s", g_ascii_dtostr(buf, sizeof(buf), (double)v / 1e9));
		if (p > INT64_MAX / 10)
			break;
	}
	report_chart_var_str(c, "xticks", ticks->str);
	return true;
}

static struct jd_node *array_member(const struct jd_node *o, const char *key)
{
	return jd_get_array(o, key);
}

static const char *str_member(const struct jd_node *o, const char *key)
{
	return jd_get_str(o, key, NULL);
}

static int64_t int_member(const struct jd_node *o, const char *key, int64_t def)
{
	return jd_get_int(o, key, def);
}

/* Element @i of @a if it is an integer, else 0. */
static int64_t int_at(const struct jd_node *a, guint i)
{
	struct jd_node *n = jd_at(a, i);

	return jd_is_int(n) ? n->u.i : 0;
}

/* Re-run the sweep's exemplar with a trace; fills in->results and in->trace. */
static bool rerun_exemplar(struct report *r, struct input *in, GError **error)
{
	g_autoptr(GPtrArray) task = sweep_task_args(in->spec, in->ex_grid, in->ex_seed, false);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *errout = NULL;
	g_autoptr(GError) spawn_error = NULL;
	int status;

	g_ptr_array_add(argv, cli_self_exe());
	g_ptr_array_add(argv, g_strdup("run"));
	g_ptr_array_add(argv, g_build_filename(in->path, in->spec->scenario, NULL));
	for (guint i = 2; i + 1 < task->len; i += 2) {
		const char *opt = task->pdata[i];

		if (strcmp(opt, "--seed") == 0 || strcmp(opt, "--vary") == 0 || strcmp(opt, "--set") == 0) {
			g_ptr_array_add(argv, g_strdup(strcmp(opt, "--seed") == 0 ? opt : "--set"));
			g_ptr_array_add(argv, g_strdup(task->pdata[i + 1]));
		}
	}
	in->results = g_build_filename(r->out, "data", "exemplar.results.json", NULL);
	in->trace = g_build_filename(r->out, "data", "exemplar.trace.jsonl", NULL);
	for (const char *const *a = (const char *const[]){ "--trace", in->trace, "--trace-format", "jsonl",
							   "--results", in->results, NULL }; *a; a++)
		g_ptr_array_add(argv, g_strdup(*a));
	g_ptr_array_add(argv, NULL);
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
			  &errout, &status, &spawn_error) ||
	    (!g_spawn_check_wait_status(status, &spawn_error) &&
	     !g_error_matches(spawn_error, G_SPAWN_EXIT_ERROR, EXIT_EXPECT) &&
	     !g_error_matches(spawn_error, G_SPAWN_EXIT_ERROR, EXIT_LIMIT))) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "re-running grid %" G_GUINT64_FORMAT " seed %"
			    G_GUINT64_FORMAT " failed: %s", in->ex_grid, in->ex_seed,
			    errout && *errout ? errout : spawn_error->message);
		g_clear_pointer(&in->results, g_free);
		g_clear_pointer(&in->trace, g_free);
		return false;
	}
	in->exemplar = g_strdup_printf("%s, %s, seed %" G_GUINT64_FORMAT " (%s)", in->spec->scenario,
				       ((struct variant *)in->variants->pdata[in->ex_grid])->label, in->ex_seed,
				       in->ex_chosen ? "chosen with --example" :
				       "the run whose connect() returned 0 with the most SYN retransmissions, then the "
				       "most retransmitted segments; choose another with --example");
	{
		GString *s = g_string_new(in->spec->scenario);

		if (in->spec->axes->len)
			g_string_append_printf(s, "; %s", ((struct variant *)in->variants->pdata[in->ex_grid])->label);
		g_string_append_printf(s, "; seed %" G_GUINT64_FORMAT, in->ex_seed);
		for (guint i = 0; i < in->spec->sets->len; i++)
			g_string_append_printf(s, "; --set %s", (char *)in->spec->sets->pdata[i]);
		in->ex_subtitle = g_string_free(s, FALSE);
	}
	return true;
}

/* The socket of the run's first connect() (or the sweep's --connect-line). */
static struct jd_node *connect_socket(struct jd_node *root, uint64_t line, struct jd_node **call_out)
{
	struct jd_node *calls = array_member(root, "syscalls"), *socks = array_member(root, "sockets");

	for (guint i = 0; calls && i < jd_len(calls); i++) {
		struct jd_node *c = jd_at(calls, i);

		if (g_strcmp0(str_member(c, "call"), "connect") != 0 || (line && int_member(c, "line", 0) != (int64_t)line))
			continue;
		*call_out = c;
		for (guint k = 0; socks && k < jd_len(socks); k++) {
			struct jd_node *s = jd_at(socks, k);

			if (g_strcmp0(str_member(s, "host"), str_member(c, "host")) == 0 &&
			    g_strcmp0(str_member(s, "proc"), str_member(c, "proc")) == 0 &&
			    int_member(s, "fd", -1) == int_member(c, "fd", -2) && str_member(s, "remote"))
				return s;
		}
		return NULL;
	}
	return NULL;
}

struct pkt {
	int64_t t_send, t_recv;
	int lane;
	bool dropped;
	bool data;	/* kind DATA: the connection carries a transfer */
};

static int lane_of(const char *kind)
{
	static const char *const lanes[] = { "SYN", "SYNACK", "ACK" };

	for (int i = 0; i < 3; i++)
		if (g_strcmp0(kind, lanes[i]) == 0)
			return i + 1;
	return 4;
}

/* Every packet of the connection local<->remote in the trace, in send order. */
static bool read_packets(const char *trace, const char *local, const char *remote, GArray *pkts,
			 GError **error)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GHashTable) by_id = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);

	if (!g_file_get_contents(trace, &text, NULL, NULL)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s: cannot read the trace", trace);
		return false;
	}
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] && lines[i][0]; i++) {
		g_autoptr(jd_doc) doc = jd_parse(lines[i], -1, NULL);
		struct jd_node *e = doc ? jd_root(doc) : NULL;
		const char *ev, *src, *dst;
		int64_t id;
		gpointer slot;

		if (!jd_is_object(e)) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:1: not a JSONL trace event", trace, i + 1);
			return false;
		}
		ev = str_member(e, "event");
		src = str_member(e, "src");
		dst = str_member(e, "dst");
		id = int_member(e, "id", -1);
		if (g_strcmp0(ev, "net_dev_xmit") == 0 && src && dst &&
		    ((!strcmp(src, local) && !strcmp(dst, remote)) || (!strcmp(src, remote) && !strcmp(dst, local)))) {
			struct pkt p = { .t_send = int_member(e, "t_ns", 0), .t_recv = -1,
					 .lane = lane_of(str_member(e, "kind")),
					 .data = g_strcmp0(str_member(e, "kind"), "DATA") == 0 };

			g_array_append_val(pkts, p);
			g_hash_table_insert(by_id, g_memdup2(&id, sizeof(id)), GUINT_TO_POINTER(pkts->len));
		} else if (g_hash_table_lookup_extended(by_id, &id, NULL, &slot)) {
			struct pkt *p = &g_array_index(pkts, struct pkt, GPOINTER_TO_UINT(slot) - 1);

			if (g_strcmp0(ev, "fault_fire") == 0 && g_strcmp0(str_member(e, "action"), "drop") == 0)
				p->dropped = true;
			else if (g_strcmp0(ev, "tcp_v4_rcv") == 0 && p->t_recv < 0)
				p->t_recv = int_member(e, "t_ns", 0);
		}
	}
	return true;
}

/*
 * The packets of the connection of the run's connect(), by kind.  For a
 * bulk transfer (the connection carries DATA) only the handshake is drawn:
 * the packets without data sent until connect() returned, and any SYN or
 * SYN-ACK after;
 * the transfer is in the series charts.  A bulk transfer whose handshake took
 * one SYN and one SYN-ACK has nothing to show over time and is skipped.
 * Every SYN and SYN-ACK is labelled with its send time after the call.
 */
static void plan_syn_timeline(struct report *r, struct input *in, struct jd_node *root)
{
	struct chart *c = report_chart_new(r, "syn-timeline", "SYN retransmission timeline of one connection",
					   "syn-timeline.gp");
	uint64_t line = r->connect_line ? r->connect_line : in->spec ? in->spec->connect_line : 0;
	struct jd_node *call = NULL, *sock = connect_socket(root, line, &call);
	g_autoptr(GArray) pkts = g_array_new(FALSE, FALSE, sizeof(struct pkt));
	g_autoptr(GString) sent = g_string_new(NULL), lost = g_string_new(NULL), t = g_string_new(NULL);
	g_autofree char *lost_path = NULL, *which = NULL;
	g_autoptr(GError) error = NULL;
	int64_t t_call, t_return, t_last;
	guint syns = 0, left_out = 0, drops = 0;
	bool bulk = false;

	which = line ? g_strdup_printf("the connect() issued by line %" G_GUINT64_FORMAT, line) :
		       g_strdup("its connect()");
	c->subtitle = g_strdup(in->ex_subtitle);
	c->caption = g_strdup_printf("Run: %s. Every packet of the connection of %s, by kind, at the "
				     "time it was sent: delivered or dropped; SYNs and SYN-ACKs labelled with their "
				     "send time after connect() was called. Vertical lines: connect() called and "
				     "returned.", in->exemplar, which);
	if (!in->trace) {
		report_chart_skip(c, "no JSONL trace beside %s (socksim run ... --trace STEM.trace.jsonl "
				  "--trace-format jsonl)", in->path);
		return;
	}
	if (!sock) {
		report_chart_skip(c, "the run %s has no connect()%s on a connected socket", in->exemplar,
				  line ? which + strlen("the connect()") : "");
		return;
	}
	if (!read_packets(in->trace, str_member(sock, "local"), str_member(sock, "remote"), pkts, &error)) {
		report_chart_skip(c, "%s", error->message);
		return;
	}
	if (!pkts->len) {
		report_chart_skip(c, "the trace of %s has no TCP packet of the connection of its connect() "
				  "(not a TCP connection)", in->exemplar);
		return;
	}
	t_call = int_member(call, "t_call_ns", 0);
	t_return = int_member(call, "t_return_ns", -1);
	t_last = t_return >= 0 ? t_return : t_call;
	for (guint i = 0; i < pkts->len; i++)
		bulk |= g_array_index(pkts, struct pkt, i).data;
	for (guint i = 0; i < pkts->len; i++) {
		const struct pkt *p = &g_array_index(pkts, struct pkt, i);

		if (bulk && (p->data || (t_return >= 0 && p->t_send > t_return && p->lane > 2))) {
			left_out++;
			continue;
		}
		syns += p->lane <= 2;
		drops += p->dropped;
		t_last = MAX(t_last, p->t_send);
		g_string_truncate(t, 0);
		if (p->lane <= 2)
			report_format_time(t, p->t_send - t_call);
		g_string_append_printf(p->dropped ? lost : sent, "%" G_GINT64_FORMAT " %d %" G_GINT64_FORMAT " \"%s\"\n",
				       p->t_send, p->lane, p->t_recv, t->str);
	}
	if (bulk && syns <= 2 && !drops) {
		g_string_truncate(t, 0);
		report_format_time(t, t_return - t_call);
		report_chart_skip(c, "the run %s is a bulk transfer whose handshake took one SYN and one SYN-ACK "
				  "(connect() returned after %s): nothing to show over time; its %u packets of data and "
				  "ACKs are in the throughput, cwnd and windows charts", in->exemplar,
				  t_return >= 0 ? t->str : "never", left_out);
		return;
	}
	if (left_out) {
		char *caption = g_strdup_printf("%s The connection is a bulk transfer: only the handshake is drawn; "
						"the %u later packets of data and ACKs are in the throughput, cwnd "
						"and windows charts.", c->caption, left_out);

		g_free(c->caption);
		c->caption = caption;
	}
	report_chart_var_int(c, "t_call", t_call);
	report_chart_var_int(c, "t_return", t_return);
	report_chart_var_int(c, "t_last", t_last);
	report_chart_var_str(c, "lostdata", "");
	if (lost->len) {
		g_autofree char *full = NULL;

		lost_path = g_strdup("data/syn-timeline-dropped.dat");
		full = g_build_filename(r->out, lost_path, NULL);
		if (cli_write_atomically(full, lost->str, (gssize)lost->len, NULL))	/* else drawn without the drops */
			report_chart_var_str(c, "lostdata", lost_path);
	}
	if (!sent->len)
		g_string_append(sent, "# no packet delivered\n");
	report_chart_var_int(c, "nsent", sent->len && sent->str[0] != '#');
	report_write_data(r, c, sent);
}

/* One band per stretch of equal sk_state of each socket; a data block per state, in its own colour. */
static void plan_states(struct report *r, struct input *in, struct jd_node *root)
{
	struct chart *c = report_chart_new(r, "states", "Socket state (sk_state) over time", "states.gp");
	struct jd_node *socks = array_member(root, "sockets");
	int64_t end = int_member(root, "end_time_ns", 0);
	g_autoptr(GString) d = g_string_new(NULL), colours = g_string_new(NULL);
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(int64_t));
	int blocks = 0, rows = socks ? (int)jd_len(socks) : 0;

	c->subtitle = g_strdup(in->ex_subtitle);
	for (size_t s = 0; s < G_N_ELEMENTS(state_order); s++) {
		bool any = false;

		for (guint k = 0; socks && k < jd_len(socks); k++) {
			struct jd_node *sk = jd_at(socks, k);
			struct jd_node *tr = array_member(sk, "transitions");
			guint n = tr ? jd_len(tr) : 0;
			g_autofree char *label = g_strdup_printf("%s sk#%" G_GINT64_FORMAT "%s%s", str_member(sk, "host"),
								 int_member(sk, "id", 0), str_member(sk, "proc") ? " " : "",
								 str_member(sk, "proc") ? str_member(sk, "proc") : "");

			for (guint t = 0; t < n; t++) {
				struct jd_node *cur = jd_at(tr, t);
				int64_t t0 = int_member(cur, "t_ns", 0), t1 = end;
				bool last = true;	/* the socket's state at the end of the run */

				if (g_strcmp0(str_member(cur, "sk_state"), state_order[s].name) != 0 ||
				    (t > 0 && g_strcmp0(str_member(jd_at(tr, t - 1), "sk_state"),
							state_order[s].name) == 0))
					continue;
				for (guint u = t + 1; u < n; u++) {
					struct jd_node *next = jd_at(tr, u);

					if (g_strcmp0(str_member(next, "sk_state"), state_order[s].name) != 0) {
						t1 = int_member(next, "t_ns", end);
						last = false;
						break;
					}
				}
				if (t1 < t0 || (t1 == t0 && !last))
					continue;	/* passed through at one instant */
				if (!any)
					report_block_header(d, state_order[s].name + 4);
				any = true;
				g_array_append_val(times, t0);
				g_array_append_val(times, t1);
				g_string_append_printf(d, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u \"%s\"\n", t0, t1,
						       rows - k, label);
			}
		}
		if (any)
			g_string_append_printf(colours, "%s%s", colours->len ? " " : "", state_order[s].colour);
		blocks += any;
	}
	c->caption = g_strdup_printf("Run: %s. sk_state of every socket, from its creation to the end of the run, "
				     "each state in its own colour in every report. Bands shorter than 0.4%% of the "
				     "axis are widened to stay visible; the data file has the exact times.",
				     in->exemplar);
	if (!blocks) {
		report_chart_skip(c, "no socket of %s stays in a state for any simulated time", in->exemplar);
		return;
	}
	if (time_axis(c, times)) {
		char *caption = g_strdup_printf("%s The time axis is logarithmic (the states last from microseconds "
						"to the end of the run): band widths are not proportional to durations.",
						c->caption);

		g_free(c->caption);
		c->caption = caption;
	}
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_int(c, "nrows", rows);
	report_chart_var_str(c, "colours", colours->str);
	report_write_data(r, c, d);
}

static void append_log_note(struct chart *c)
{
	char *caption = g_strdup_printf("%s The time axis is logarithmic: most changes are early, the last ones "
					"late in the run.", c->caption);

	g_free(c->caption);
	c->caption = caption;
}

static char *conn_label(struct jd_node *conn, const char *field)
{
	return g_strdup_printf("%s sk#%" G_GINT64_FORMAT " %s", str_member(conn, "host") ? str_member(conn, "host") : "",
			       int_member(conn, "sock", 0), field);
}

/* Bytes per interval as bit/s, one step per interval. */
static bool interval_block(GString *d, struct jd_node *conn, const struct series_field *f, GArray *times)
{
	struct jd_node *a = array_member(conn, f->name);
	int64_t t0 = int_member(conn, "t_start_ns", -1), dt = int_member(conn, "interval_ns", 0), v = 0;
	guint n = a ? jd_len(a) : 0;
	g_autofree char *title = conn_label(conn, "");
	bool any = false;

	for (guint i = 0; i < n; i++)
		any |= int_at(a, i) != 0;
	if (!any || t0 < 0 || dt <= 0)
		return false;
	report_block_header(d, g_strstrip(title));
	for (guint i = 0; i <= n; i++) {
		int64_t t = t0 + (int64_t)i * dt;

		if (i < n)
			v = int_at(a, i) * f->mult * 1000000000 / dt;
		g_string_append_printf(d, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", t, v);
		g_array_append_val(times, t);
	}
	return true;
}

/* One block per connection and field; a series needs two samples to be a line. */
static bool samples_block(GString *d, struct jd_node *conn, const struct series_desc *sd, const struct series_field *f,
			  GArray *times)
{
	struct jd_node *samples = array_member(conn, "samples");
	g_autofree char *title = conn_label(conn, f->label);
	guint first = times->len;
	g_autoptr(GString) rows = g_string_new(NULL);
	guint n = 0;

	for (guint i = 0; samples && i < jd_len(samples); i++) {
		struct jd_node *s = jd_at(samples, i);
		int64_t t = int_member(s, "t_ns", -1), v = int_member(s, f->name, INT64_MIN);

		if (t < 0 || v == INT64_MIN || (sd->omit_from && v >= sd->omit_from))
			continue;
		g_string_append_printf(rows, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", t, v * f->mult);
		g_array_append_val(times, t);
		n++;
	}
	if (n < 2) {
		g_array_set_size(times, first);
		return false;
	}
	report_block_header(d, title);
	g_string_append(d, rows->str);
	return true;
}

/* The array at a dotted path such as "vsock.connections", or NULL. */
static struct jd_node *array_at(struct jd_node *root, const char *path)
{
	const char *dot = strchr(path, '.');
	g_autofree char *head = NULL;
	struct jd_node *n;

	if (!dot)
		return array_member(root, path);
	head = g_strndup(path, (gsize)(dot - path));
	n = jd_get_object(root, head);
	return n ? array_at(n, dot + 1) : NULL;
}

static void plan_series(struct report *r, struct input *in, struct jd_node *root)
{
	for (size_t i = 0; i < G_N_ELEMENTS(series_descs); i++) {
		const struct series_desc *sd = &series_descs[i];
		struct jd_node *conns = array_at(root, sd->source);
		struct chart *c = report_chart_new(r, sd->stem, sd->title, "series.gp");
		g_autoptr(GString) d = g_string_new(NULL);
		g_autoptr(GString) names = g_string_new(NULL);
		g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(int64_t));
		int blocks = 0;

		c->subtitle = g_strdup(in->ex_subtitle);
		c->caption = g_strdup_printf("Run: %s. %s, from the results' %s[].", in->exemplar, sd->title, sd->source);
		for (int f = 0; f < 3 && sd->fields[f].name; f++)
			g_string_append_printf(names, "%s%s", f ? ", " : "", sd->fields[f].name);
		for (guint k = 0; conns && k < jd_len(conns); k++) {
			struct jd_node *conn = jd_at(conns, k);

			if (sd->senders_only && !int_member(conn, "bytes_sent", 0))
				continue;
			for (int f = 0; f < 3 && sd->fields[f].name; f++)
				blocks += sd->per_interval ? interval_block(d, conn, &sd->fields[f], times) :
					  samples_block(d, conn, sd, &sd->fields[f], times);
		}
		if (!blocks) {
			report_chart_skip(c, "the results have no %s[] with %s%s (%s)", sd->source,
					  sd->per_interval ? "non-zero " : "two or more samples[].", names->str,
					  conns ? "not in this run" : "the results have no such array");
			continue;
		}
		if (time_axis(c, times))
			append_log_note(c);
		report_chart_var_int(c, "nblocks", blocks);
		report_chart_var_int(c, "yscale", sd->yscale);
		report_chart_var_str(c, "ylabel", sd->ylabel);
		report_write_data(r, c, d);
	}
}

/* vsock packet ops, one lane each, in the order a connection uses them. */
static const char *const vsock_ops[] = {
	"REQUEST", "RESPONSE", "RW", "CREDIT_UPDATE", "CREDIT_REQUEST", "SHUTDOWN", "RST",
};

struct vpkt {
	int64_t t;
	int lane;
	int dir;	/* 0 guest to host, 1 host to guest */
	bool received;
};

static int vsock_lane(const char *op)
{
	for (int i = 0; i < (int)G_N_ELEMENTS(vsock_ops); i++)
		if (g_strcmp0(op, vsock_ops[i]) == 0)
			return i + 1;
	return 0;
}

/*
 * Every vsock packet of the run, by op, at the time virtio_transport_alloc_skb
 * built it (the trace's virtio_transport_alloc_pkt), by direction, and whether
 * it reached virtio_transport_recv_pkt.  Guest hosts are the devices' guests
 * (results vsock.devices[].guest).
 */
static void plan_vsock_packets(struct report *r, struct input *in, struct jd_node *root)
{
	struct chart *c = report_chart_new(r, "vsock-packets", "vsock packets by op over time", "vsock-packets.gp");
	struct jd_node *devs = array_at(root, "vsock.devices");
	g_autoptr(GHashTable) guests = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GHashTable) sent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(struct vpkt));
	g_autoptr(GString) d = g_string_new(NULL), names = g_string_new(NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	static const char *const block_title[3] = { "guest to host", "host to guest", "never received" };
	int blocks = 0;

	c->subtitle = g_strdup(in->ex_subtitle);
	c->caption = g_strdup_printf("Run: %s. Every vsock packet, by op, at the time virtio_transport_alloc_skb "
				     "built it (the JSONL trace's virtio_transport_alloc_pkt), by direction; crosses: "
				     "packets that never reached virtio_transport_recv_pkt (dropped, refused, or still "
				     "queued at the end). Packets built at the same instant (a burst of RW) overlap; "
				     "the data file has one row each.", in->exemplar);
	if (!devs || !jd_len(devs)) {
		report_chart_skip(c, "the run %s has no virtio-vsock device", in->exemplar);
		return;
	}
	if (!in->trace || !g_file_get_contents(in->trace, &text, NULL, NULL)) {
		report_chart_skip(c, "no JSONL trace beside %s (socksim run ... --trace STEM.trace.jsonl "
				  "--trace-format jsonl)", in->path);
		return;
	}
	for (guint i = 0; i < jd_len(devs); i++) {
		const char *g = str_member(jd_at(devs, i), "guest");

		if (g)
			g_hash_table_add(guests, (gpointer)g);
	}
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] && lines[i][0]; i++) {
		g_autoptr(jd_doc) doc = jd_parse(lines[i], -1, NULL);
		struct jd_node *e = doc ? jd_root(doc) : NULL;
		const char *ev, *pkt;

		if (!jd_is_object(e)) {
			report_chart_skip(c, "%s:%u:1: not a JSONL trace event", in->trace, i + 1);
			return;
		}
		ev = str_member(e, "event");
		pkt = str_member(e, "pkt");
		if (!pkt || !ev)
			continue;
		if (strcmp(ev, "virtio_transport_alloc_pkt") == 0 && vsock_lane(str_member(e, "op"))) {
			const char *host = str_member(e, "host");
			struct vpkt v = { .t = int_member(e, "t_ns", 0), .lane = vsock_lane(str_member(e, "op")),
					  .dir = host && g_hash_table_contains(guests, host) ? 0 : 1 };

			g_array_append_val(rows, v);
			g_hash_table_insert(sent, g_strdup(pkt), GUINT_TO_POINTER(rows->len));
			g_array_append_val(times, v.t);
		} else if (strcmp(ev, "virtio_transport_recv_pkt") == 0) {
			gpointer slot = g_hash_table_lookup(sent, pkt);

			if (slot)
				g_array_index(rows, struct vpkt, GPOINTER_TO_UINT(slot) - 1).received = true;
		}
	}
	if (!rows->len) {
		report_chart_skip(c, "the trace of %s has no vsock packet", in->exemplar);
		return;
	}
	for (int b = 0; b < 3; b++) {
		bool any = false;

		for (guint i = 0; i < rows->len; i++) {
			const struct vpkt *v = &g_array_index(rows, struct vpkt, i);

			if (b < 2 ? (!v->received || v->dir != b) : v->received)
				continue;
			if (!any)
				report_block_header(d, block_title[b]);
			any = true;
			g_string_append_printf(d, "%" G_GINT64_FORMAT " %d %d\n", v->t, v->lane, v->dir);
		}
		if (any)
			g_string_append_printf(names, "%s%d", names->len ? " " : "", b);
		blocks += any;
	}
	if (time_axis(c, times))
		append_log_note(c);
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_str(c, "kinds", names->str);
	report_write_data(r, c, d);
}

/*
 * Descriptors in use in each virtqueue of each device, from the results'
 * vsock.devices[].rings[].per_interval: in use at the end of each interval in
 * which the ring changed, and the most within it.
 */
static void plan_vsock_rings(struct report *r, struct input *in, struct jd_node *root)
{
	struct chart *c = report_chart_new(r, "vsock-rings", "virtqueue occupancy (descriptors in use)", "series.gp");
	struct jd_node *devs = array_at(root, "vsock.devices");
	struct jd_node *vsock = jd_get_object(root, "vsock");
	int64_t interval = int_member(vsock, "interval_ns", 0), size = 0;
	g_autoptr(GString) d = g_string_new(NULL);
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(int64_t));
	g_autofree char *ylabel = NULL;
	int blocks = 0;

	c->subtitle = g_strdup(in->ex_subtitle);
	c->caption = g_strdup_printf("Run: %s. Descriptors in use in each virtqueue (num - num_free) at the end of "
				     "every sample interval in which the ring changed, held until the next change "
				     "(solid), and the most in use within each such interval, drawn over that interval "
				     "only (dashed), from the results' vsock.devices[].rings[].",
				     in->exemplar);
	for (guint i = 0; devs && i < jd_len(devs); i++) {
		struct jd_node *dev = jd_at(devs, i);
		struct jd_node *rings = array_member(dev, "rings");

		for (guint k = 0; rings && k < jd_len(rings); k++) {
			struct jd_node *ring = jd_at(rings, k);
			struct jd_node *pi = array_member(ring, "per_interval");
			guint n = pi ? jd_len(pi) : 0;

			if (!n || interval <= 0)
				continue;
			size = MAX(size, int_member(ring, "size", 0));
			for (int f = 0; f < 2; f++) {
				g_autofree char *title = g_strdup_printf("%s %s %s", str_member(dev, "guest"),
									 str_member(ring, "vq"), f ? "most in use" : "in use");

				report_block_header(d, title);
				for (guint s = 0; s < n; s++) {
					struct jd_node *smp = jd_at(pi, s);
					int64_t t = int_member(smp, "t_ns", 0) + (f ? 0 : interval), end = t + interval;

					g_string_append_printf(d, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", t,
							       int_member(smp, f ? "max_in_use" : "in_use", 0));
					g_array_append_val(times, t);
					/*
					 * The most in use holds for its interval only (a blank line
					 * breaks the line): an interval without an entry did not
					 * change the ring, so its most is what was in use.
					 */
					if (f) {
						g_string_append_printf(d, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n\n",
								       end, int_member(smp, "max_in_use", 0));
						g_array_append_val(times, end);
					}
				}
				blocks++;
			}
		}
	}
	if (!blocks) {
		report_chart_skip(c, "the results have no vsock.devices[].rings[].per_interval samples%s",
				  devs ? " (the rings never changed)" : " (no virtio-vsock device)");
		return;
	}
	if (time_axis(c, times))
		append_log_note(c);
	ylabel = g_strdup_printf("descriptors in use (ring size %" G_GINT64_FORMAT ")", size);
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_int(c, "yscale", 1);
	report_chart_var_str(c, "ylabel", ylabel);
	report_chart_var_int(c, "dashed", 1);
	report_write_data(r, c, d);
}

void report_plan_timelines(struct report *r)
{
	struct input *in = NULL;
	g_autoptr(jd_doc) doc = NULL;
	g_autoptr(GError) why = NULL;	/* the last input whose exemplar could not be re-run */
	struct jd_node *root;

	for (guint i = 0; i < r->inputs->len && !in; i++) {
		struct input *cand = r->inputs->pdata[i];
		GError *rerun_error = NULL;

		if (cand->results || (cand->has_exemplar && rerun_exemplar(r, cand, &rerun_error)))
			in = cand;
		if (rerun_error) {
			g_clear_error(&why);
			why = rerun_error;
		}
	}
	if (in)
		doc = jr_load_file(in->results, NULL);
	root = doc ? jd_root(doc) : NULL;
	if (!jd_is_object(root)) {
		const char *stems[] = { "syn-timeline", "states" };

		for (int i = 0; i < 2; i++)
			report_chart_skip(report_chart_new(r, stems[i], stems[i], "none"), "%s",
					  why ? why->message : "no input has a run to draw");
		return;
	}
	plan_syn_timeline(r, in, root);
	plan_states(r, in, root);
	plan_series(r, in, root);
	plan_vsock_packets(r, in, root);
	plan_vsock_rings(r, in, root);
}
