/* SPDX-License-Identifier: MIT */
/* The results document, version 1 (docs/results-format.md). */
#include <string.h>

#include "env/fault.h"
#include "tcp_stats.h"
#include "env/world.h"
#include "json.h"
#include "linux/errno_names.h"
#include "run_private.h"
#include "vsock.h"

static void addr_port(char *buf, size_t len, uint32_t a, uint16_t port)
{
	g_snprintf(buf, len, "%u.%u.%u.%u:%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, port);
}

static void write_syscalls(struct scn_run *r, struct json *j)
{
	static const char *const outcome[] = { "pending", "returned", "killed" };

	json_begin_array(j, "syscalls");
	for (guint i = 0; i < r->syscalls->len; i++) {
		const struct sys_rec *rec = &g_array_index(r->syscalls, struct sys_rec, i);
		const struct plan_step *st = r->plan->steps->pdata[rec->step];
		const struct proc_ident *p = proc_ident_at(r, rec->proc);

		json_begin_object(j, NULL);
		json_str(j, "host", ((const struct host *)r->world->hosts->pdata[p->host])->name);
		json_int(j, "pid", p->pid);
		json_str(j, "proc", p->comm);
		json_str(j, "call", st->call);
		if (rec->fd >= 0)
			json_int(j, "fd", rec->fd);
		else
			json_null(j, "fd");
		json_int(j, "line", st->line);
		json_uint(j, "t_call_ns", rec->t_call);
		if (rec->outcome == REC_RETURNED) {
			json_uint(j, "t_return_ns", rec->t_return);
			json_int(j, "ret", rec->ret < 0 ? -1 : rec->ret);
			json_str(j, "errno", rec->ret < 0 ? sim_errno_name((int)-rec->ret) : NULL);
		} else {
			json_null(j, "t_return_ns");
			json_null(j, "ret");
			json_null(j, "errno");
		}
		if (rec->has_out)
			json_int(j, "out", rec->out);
		if (rec->has_addr) {
			g_autofree char *addr = sockaddr_text(&rec->addr);

			json_str(j, "addr", addr);
		}
		json_uint(j, "restarts", rec->restarts);
		json_str(j, "outcome", outcome[rec->outcome]);
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_sockets(struct scn_run *r, struct json *j)
{
	char buf[32];

	json_begin_array(j, "sockets");
	for (guint i = 0; i < r->socks->len; i++) {
		const struct sock_rec *s = r->socks->pdata[i];

		json_begin_object(j, NULL);
		json_uint(j, "id", s->id);
		json_str(j, "host", s->host->name);
		json_str(j, "proc", s->proc >= 0 ? proc_ident_at(r, s->proc)->comm : NULL);
		if (s->fd >= 0)
			json_int(j, "fd", s->fd);
		else
			json_null(j, "fd");
		json_str(j, "family", s->vsock ? "AF_VSOCK" : "AF_INET");
		if (s->vsock) {
			scn_vsock_format_addr(s, true, buf, sizeof(buf));
			json_str(j, "local", s->vlocal_set ? buf : NULL);
			scn_vsock_format_addr(s, false, buf, sizeof(buf));
			json_str(j, "remote", s->vremote_set ? buf : NULL);
		} else {
			addr_port(buf, sizeof(buf), s->laddr, s->lport);
			json_str(j, "local", s->lport ? buf : NULL);
			addr_port(buf, sizeof(buf), s->raddr, s->rport);
			json_str(j, "remote", s->rport ? buf : NULL);
		}
		json_begin_array(j, "transitions");
		for (guint k = 0; k < s->transitions->len; k++) {
			const struct sock_transition *t =
				&g_array_index(s->transitions, struct sock_transition, k);

			json_begin_object(j, NULL);
			json_uint(j, "t_ns", t->t);
			json_str(j, "sk_state", tcp_state_name(t->sk_state));
			json_str(j, "sock_state", t->sock_state >= 0 ?
				 socket_state_name((socket_state)t->sock_state) : NULL);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_connections(struct scn_run *r, struct json *j)
{
	json_begin_array(j, "connections");
	for (guint i = 0; i < r->tcp_stats->sinks->len; i++) {
		const struct tcp_stats_sink *s = r->tcp_stats->sinks->pdata[i];
		const struct sock_rec *so = r->socks->pdata[s->sock_id - 1];
		uint64_t acked = 0, received = 0;

		json_begin_object(j, NULL);
		json_uint(j, "sock", s->sock_id);
		json_str(j, "host", so->host->name);
		json_uint(j, "t_start_ns", s->start);
		json_uint(j, "interval_ns", s->interval);
		for (guint k = 0; k < s->acked->len; k++)
			acked += g_array_index(s->acked, uint64_t, k);
		for (guint k = 0; k < s->received->len; k++)
			received += g_array_index(s->received, uint64_t, k);
		json_uint(j, "bytes_acked", acked);
		json_uint(j, "bytes_received", received);
		if (s->last_received)
			json_uint(j, "t_last_received_ns", s->last_received);
		else
			json_null(j, "t_last_received_ns");
		json_uint(j, "bytes_sent", s->bytes_sent);
		json_uint(j, "bytes_retrans", s->bytes_retrans);
		json_uint(j, "segs_retrans", s->segs_retrans);
		json_uint_array(j, "acked_per_interval", s->acked);
		json_uint_array(j, "received_per_interval", s->received);
		json_begin_array(j, "samples");
		for (guint k = 0; k < s->samples->len; k++) {
			const struct tcp_sample *smp = &g_array_index(s->samples, struct tcp_sample, k);

			json_begin_object(j, NULL);
			json_uint(j, "t_ns", smp->t);
			json_uint(j, "cwnd", smp->cwnd);
			json_uint(j, "ssthresh", smp->ssthresh);
			json_uint(j, "in_flight", smp->in_flight);
			json_uint(j, "srtt_us", smp->srtt_us);
			json_uint(j, "rto_ns", smp->rto);
			json_uint(j, "ca_state", smp->ca_state);
			json_uint(j, "bytes_acked", smp->bytes_acked);
			json_uint(j, "snd_wnd", smp->snd_wnd);
			json_uint(j, "rcv_wnd", smp->rcv_wnd);
			json_uint(j, "total_retrans", smp->total_retrans);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void write_packets(struct scn_run *r, struct json *j)
{
	const uint64_t *arrs[3] = { r->wire_stats->sent, r->wire_stats->dropped,
				    r->wire_stats->delivered };
	static const char *const names[3] = { "sent", "dropped", "delivered" };

	json_begin_object(j, "packets");
	for (int a = 0; a < 3; a++) {
		json_begin_object(j, names[a]);
		for (int k = 0; k < PKT_KIND_MAX; k++)
			if (arrs[a][k])
				json_uint(j, pkt_kind_name((enum pkt_kind)k), arrs[a][k]);
		json_end_object(j);
	}
	json_end_object(j);
}

static void write_counters(struct scn_run *r, struct json *j)
{
	json_begin_object(j, "counters");
	for (guint i = 0; i < r->world->hosts->len; i++) {
		const struct host *h = r->world->hosts->pdata[i];

		json_begin_object(j, h->name);
		for (int m = 0; m < MIB_MAX; m++)
			if (h->net.mib[m])
				json_uint(j, mib_counter_names[m], h->net.mib[m]);
		json_end_object(j);
	}
	json_end_object(j);
	json_begin_array(j, "faults");
	for (guint i = 0; i < r->world->faults->len; i++) {
		const struct fault_rule *f = r->world->faults->pdata[i];

		json_begin_object(j, NULL);
		json_str(j, "rule", f->label);
		json_uint(j, "fired", f->st.fired);
		json_end_object(j);
	}
	json_end_array(j);
}

char *scn_run_results_json(struct scn_run *r, const char *exit_kind)
{
	struct json j;

	g_return_val_if_fail(!r->opts.no_results, NULL);	/* its TCP series were not kept */
	json_init(&j, true);
	json_begin_object(&j, NULL);
	json_str(&j, "format", "socksim-results");
	json_int(&j, "version", 1);
	scn_json_generator(&j);
	json_begin_object(&j, "scenario");
	json_str(&j, "path", r->plan->path);
	json_str(&j, "title", r->plan->title);
	json_end_object(&j);
	json_uint(&j, "seed", sim_seed(r->sim));
	json_str(&j, "profile", r->plan->profile->name);
	json_str(&j, "timers", r->plan->timer_mode == SIM_TIMERS_WHEEL ? "wheel" : "exact");
	json_uint(&j, "hz", r->plan->hz);
	json_begin_object(&j, "params");
	for (guint i = 0; i < r->plan->params->len; i++) {
		const char *kv = r->plan->params->pdata[i];
		const char *eq = strchr(kv, '=');
		g_autofree char *k = g_strndup(kv, (gsize)(eq - kv));

		json_str(&j, k, eq + 1);
	}
	json_end_object(&j);
	json_begin_array(&j, "sets");
	for (const char *const *s = r->opts.sets; s && *s; s++)
		json_str(&j, NULL, *s);
	json_end_array(&j);
	json_uint(&j, "end_time_ns", sim_now(r->sim));
	json_uint(&j, "events", sim_events_run(r->sim));
	json_str(&j, "exit", exit_kind);
	write_syscalls(r, &j);
	write_sockets(r, &j);
	write_connections(r, &j);
	write_packets(r, &j);
	write_counters(r, &j);
	scn_vsock_results(r, &j);
	json_begin_array(&j, "expectations");
	for (guint i = 0; r->outcomes && i < r->outcomes->len; i++) {
		json_begin_object(&j, NULL);
		json_int(&j, "line", g_array_index(r->exp_lines, int, i));
		json_str(&j, "outcome", g_array_index(r->outcomes, gboolean, i) ? "pass" : "fail");
		json_str(&j, "expected", r->expected->pdata[i]);
		json_str(&j, "actual", r->actuals->pdata[i]);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	return json_finish(&j);
}
