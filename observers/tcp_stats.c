/* SPDX-License-Identifier: MIT */
/* Not kernel code: sampling TCP connections for the results document. */
#include "tcp_stats.h"

#include "net/ipv4.h"
#include "series.h"

/* Two samples closer than this are merged (the later one wins). */
#define SAMPLE_MIN_GAP SIM_MSEC(1)

static void sink_free(struct tcp_stats_sink *s)
{
	g_array_free(s->samples, TRUE);
	g_array_free(s->acked, TRUE);
	g_array_free(s->received, TRUE);
	g_free(s);
}

static struct tcp_stats_sink *sink_of(struct tcp_stats *ts, struct sock *sk)
{
	return g_hash_table_lookup(ts->by_sock, sk);
}

static void on_cong(void *ctx, struct sock *sk)
{
	struct tcp_stats_sink *s = sink_of(ctx, sk);
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_sample smp, *last;

	if (!s)
		return;
	smp = (struct tcp_sample){
		.t = net_now(sock_net(sk)),
		.cwnd = tp->snd_cwnd,
		.ssthresh = tp->snd_ssthresh,
		.in_flight = tcp_packets_in_flight(tp),
		.srtt_us = tp->srtt_us >> 3,
		.rto = inet_csk(sk)->icsk_rto,
		.ca_state = inet_csk(sk)->icsk_ca_state,
		.bytes_acked = tp->bytes_acked,
		.snd_wnd = tp->snd_wnd,
		.rcv_wnd = tp->rcv_wnd,
		.total_retrans = tp->total_retrans,
	};
	last = series_mergeable(s->samples, smp.t, SAMPLE_MIN_GAP);
	if (last)
		*last = smp;
	else
		g_array_append_val(s->samples, smp);
}

static void on_established(void *ctx, struct sock *sk)
{
	struct tcp_stats *ts = ctx;
	struct tcp_stats_sink *s;

	if (!ts->interval || sink_of(ts, sk))
		return;
	s = g_new0(struct tcp_stats_sink, 1);
	s->sock_id = sk->id;
	s->start = net_now(sock_net(sk));
	s->interval = ts->interval;
	s->samples = g_array_new(FALSE, FALSE, sizeof(struct tcp_sample));
	s->acked = g_array_new(FALSE, TRUE, sizeof(uint64_t));
	s->received = g_array_new(FALSE, TRUE, sizeof(uint64_t));
	g_ptr_array_add(ts->sinks, s);
	g_hash_table_insert(ts->by_sock, sk, s);
	on_cong(ctx, sk);
}

static void on_sent(void *ctx, struct sock *sk, uint32_t len, bool retrans)
{
	struct tcp_stats_sink *s = sink_of(ctx, sk);

	if (!s)
		return;
	s->bytes_sent += len;
	if (retrans) {
		s->bytes_retrans += len;
		s->segs_retrans++;
	}
}

static void on_acked(void *ctx, struct sock *sk, uint32_t bytes)
{
	struct tcp_stats_sink *s = sink_of(ctx, sk);

	if (!s)
		return;
	*series_bucket(s->acked, s->start, s->interval, net_now(sock_net(sk))) += bytes;
	on_cong(ctx, sk);
}

static void on_received(void *ctx, struct sock *sk, uint32_t bytes)
{
	struct tcp_stats_sink *s = sink_of(ctx, sk);

	if (!s || !bytes)
		return;
	s->last_received = net_now(sock_net(sk));
	*series_bucket(s->received, s->start, s->interval, s->last_received) += bytes;
	on_cong(ctx, sk);	/* the receiver's rcv_wnd over time */
}

/* tcp_disconnect (a new connection may follow) or the socket is freed. */
static void on_disconnect(void *ctx, struct sock *sk)
{
	struct tcp_stats *ts = ctx;

	g_hash_table_remove(ts->by_sock, sk);
}

struct tcp_stats *tcp_stats_new(struct kernel_shared *ks, sim_time_t interval)
{
	struct tcp_stats *ts = g_new0(struct tcp_stats, 1);

	ts->interval = interval;
	ts->sinks = g_ptr_array_new_with_free_func((GDestroyNotify)sink_free);
	ts->by_sock = g_hash_table_new(g_direct_hash, g_direct_equal);
	/* without an interval no connection gets a sink: nothing to be told */
	ts->sub = interval ? (struct trace_subscriber){
		.ctx = ts,
		.tcp_established = on_established,
		.tcp_sent = on_sent,
		.tcp_acked = on_acked,
		.tcp_received = on_received,
		.tcp_cong = on_cong,
		.tcp_disconnect = on_disconnect,
		.sock_free = on_disconnect,
	} : (struct trace_subscriber){ .ctx = ts };
	trace_subscribe(ks, &ts->sub);
	return ts;
}

void tcp_stats_free(struct tcp_stats *ts)
{
	if (!ts)
		return;
	g_ptr_array_free(ts->sinks, TRUE);
	g_hash_table_destroy(ts->by_sock);
	g_free(ts);
}
