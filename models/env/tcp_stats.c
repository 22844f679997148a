/* SPDX-License-Identifier: MIT */
/* Not kernel code: sampling TCP connections for the results document. */
#include "env/tcp_stats.h"

#include "env/world.h"
#include "net/ipv4.h"

/* Two samples closer than this are merged (the later one wins). */
#define SAMPLE_MIN_GAP SIM_MSEC(1)

void tcp_stats_sink_free(struct tcp_stats_sink *s)
{
	if (!s)
		return;
	g_array_free(s->samples, TRUE);
	g_array_free(s->acked, TRUE);
	g_array_free(s->received, TRUE);
	g_free(s);
}

void tcp_stats_start(struct sock *sk)
{
	struct world *w = sk->host->world;
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_stats_sink *s;

	if (tp->stats || !w->stats_interval)
		return;
	s = g_new0(struct tcp_stats_sink, 1);
	s->sock_id = sk->id;
	s->start = sim_now(w->sim);
	s->interval = w->stats_interval;
	s->samples = g_array_new(FALSE, FALSE, sizeof(struct tcp_sample));
	s->acked = g_array_new(FALSE, TRUE, sizeof(uint64_t));
	s->received = g_array_new(FALSE, TRUE, sizeof(uint64_t));
	g_ptr_array_add(w->tcp_stats, s);
	tp->stats = s;
	tcp_stats_cwnd(sk);
}

static uint64_t *bucket(GArray *a, const struct tcp_stats_sink *s, sim_time_t now)
{
	guint i = (guint)((now - s->start) / s->interval);

	if (a->len <= i)
		g_array_set_size(a, i + 1);
	return &g_array_index(a, uint64_t, i);
}

void tcp_stats_cwnd(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_stats_sink *s = tp->stats;
	struct tcp_sample smp;

	if (!s)
		return;
	smp = (struct tcp_sample){
		.t = sim_now(sk->host->world->sim),
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
	if (s->samples->len) {
		struct tcp_sample *last = &g_array_index(s->samples, struct tcp_sample, s->samples->len - 1);

		if (smp.t - last->t < SAMPLE_MIN_GAP) {
			*last = smp;
			return;
		}
	}
	g_array_append_val(s->samples, smp);
}

void tcp_stats_sent(struct sock *sk, uint32_t len, bool retrans)
{
	struct tcp_stats_sink *s = tcp_sk(sk)->stats;

	if (!s)
		return;
	s->bytes_sent += len;
	if (retrans) {
		s->bytes_retrans += len;
		s->segs_retrans++;
	}
}

void tcp_stats_acked(struct sock *sk, uint32_t bytes)
{
	struct tcp_stats_sink *s = tcp_sk(sk)->stats;

	if (!s)
		return;
	*bucket(s->acked, s, sim_now(sk->host->world->sim)) += bytes;
	tcp_stats_cwnd(sk);
}

void tcp_stats_received(struct sock *sk, uint32_t bytes)
{
	struct tcp_stats_sink *s = tcp_sk(sk)->stats;

	if (!s || !bytes)
		return;
	*bucket(s->received, s, sim_now(sk->host->world->sim)) += bytes;
	tcp_stats_cwnd(sk);	/* the receiver's rcv_wnd over time */
}
