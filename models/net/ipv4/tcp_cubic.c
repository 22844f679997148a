/* SPDX-License-Identifier: MIT */
/*
 * CUBIC, the Linux default (RFC 9438).  Models: net/ipv4/tcp_cubic.c @ v6.18:
 * the same fixed-point arithmetic (BICTCP_HZ = 10, beta = 717/1024,
 * C = 0.4 via bic_scale 41), jiffies-based epoch, TCP friendliness and
 * HyStart (ACK train + delay).  Simplifications: the cube root is an exact
 * integer cube root (the kernel uses a table plus one Newton step, within
 * 0.2 %); pacing is off, so the ACK-train threshold is delay_min / 2.
 */
#include <string.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/tcp_cong.h"

#define BICTCP_BETA_SCALE	1024
#define BICTCP_HZ		10
#define HYSTART_ACK_TRAIN	0x1
#define HYSTART_DELAY		0x2
#define HYSTART_MIN_SAMPLES	8
#define HYSTART_DELAY_MIN_US	4000u
#define HYSTART_DELAY_MAX_US	16000u

/* module parameters, at their defaults */
static const int fast_convergence = 1;
static const int beta = 717;			/* = 0.7 * 1024 */
static const int bic_scale = 41;
static const int tcp_friendliness = 1;
static const int hystart = 1;
static const int hystart_detect = HYSTART_ACK_TRAIN | HYSTART_DELAY;
static const uint32_t hystart_low_window = 16;
static const uint32_t hystart_ack_delta_us = 2000;

struct bictcp {
	uint32_t cnt;			/* increase cwnd by 1 after this many ACKs */
	uint32_t last_max_cwnd;		/* W_max before the last reduction */
	uint32_t last_cwnd;
	uint32_t last_time;		/* jiffies of the last update */
	uint32_t bic_origin_point;
	uint32_t bic_K;			/* time to reach W_max, in 2^-10 s */
	uint32_t delay_min;		/* min RTT, us */
	uint32_t epoch_start;		/* jiffies; 0 = no epoch */
	uint32_t ack_cnt;
	uint32_t tcp_cwnd;		/* the Reno-friendly estimate */
	uint16_t unused;
	uint8_t sample_cnt;
	uint8_t found;
	uint32_t round_start;		/* us */
	uint32_t end_seq;
	uint32_t last_ack;		/* us */
	uint32_t curr_rtt;		/* us */
};

static uint32_t jiffies32(struct sock *sk)
{
	return (uint32_t)sim_jiffies(sock_net(sk)->sim);
}

static uint32_t clock_us(struct sock *sk)
{
	return (uint32_t)(net_now(sock_net(sk)) / 1000u);
}

static uint32_t cube_root(uint64_t a)
{
	uint64_t lo = 0, hi = 2642245;	/* cbrt(2^64) */

	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;

		if (mid * mid * mid <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo;
}

static void bictcp_reset(struct bictcp *ca)
{
	memset(ca, 0, offsetof(struct bictcp, unused));
	ca->found = 0;
}

static void bictcp_hystart_reset(struct sock *sk)
{
	struct bictcp *ca = inet_csk_ca(sk);

	ca->round_start = ca->last_ack = clock_us(sk);
	ca->end_seq = tcp_sk(sk)->snd_nxt;
	ca->curr_rtt = ~0u;
	ca->sample_cnt = 0;
}

static void cubictcp_init(struct sock *sk)
{
	bictcp_reset(inet_csk_ca(sk));
	if (hystart)
		bictcp_hystart_reset(sk);
}

/* An application-limited pause must not count as time in the epoch. */
static void cubictcp_cwnd_event(struct sock *sk, enum tcp_ca_event event)
{
	struct bictcp *ca = inet_csk_ca(sk);

	if (event == CA_EVENT_TX_START && ca->epoch_start) {
		uint32_t now = jiffies32(sk);
		int32_t delta = (int32_t)(now - tcp_sk(sk)->ca_lsndtime);

		if (delta > 0) {
			ca->epoch_start += (uint32_t)delta;
			if ((int32_t)(ca->epoch_start - now) > 0)
				ca->epoch_start = now;
		}
	}
}

/* Models: net/ipv4/tcp_cubic.c:bictcp_update() — the cubic window target. */
static void bictcp_update(struct sock *sk, struct bictcp *ca, uint32_t cwnd, uint32_t acked)
{
	const uint64_t cube_factor = (UINT64_C(1) << (10 + 3 * BICTCP_HZ)) / (uint64_t)(bic_scale * 10);
	const uint32_t cube_rtt_scale = (uint32_t)(bic_scale * 10);
	const uint32_t beta_scale = 8 * (BICTCP_BETA_SCALE + beta) / 3 / (BICTCP_BETA_SCALE - beta);
	unsigned int hz = sim_config(sock_net(sk)->sim)->hz;
	uint32_t now = jiffies32(sk);
	uint32_t delta, bic_target, max_cnt;
	uint64_t offs, t;

	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (int32_t)(now - ca->last_time) <= (int32_t)(hz / 32))
		return;
	if (ca->epoch_start && now == ca->last_time)
		goto tcp_friendliness;
	ca->last_cwnd = cwnd;
	ca->last_time = now;
	if (ca->epoch_start == 0) {
		ca->epoch_start = now;
		ca->ack_cnt = acked;
		ca->tcp_cwnd = cwnd;
		if (ca->last_max_cwnd <= cwnd) {
			ca->bic_K = 0;
			ca->bic_origin_point = cwnd;
		} else {
			ca->bic_K = cube_root(cube_factor * (ca->last_max_cwnd - cwnd));
			ca->bic_origin_point = ca->last_max_cwnd;
		}
	}
	/* t: time since the epoch began, plus one min RTT, in 2^-BICTCP_HZ s */
	t = (uint32_t)(now - ca->epoch_start);
	t += (uint32_t)sim_usecs_to_jiffies(sock_net(sk)->sim, ca->delay_min);
	t = (t << BICTCP_HZ) / hz;
	offs = t < ca->bic_K ? ca->bic_K - t : t - ca->bic_K;
	delta = (uint32_t)((cube_rtt_scale * offs * offs * offs) >> (10 + 3 * BICTCP_HZ));
	bic_target = t < ca->bic_K ? ca->bic_origin_point - delta : ca->bic_origin_point + delta;
	ca->cnt = bic_target > cwnd ? cwnd / (bic_target - cwnd) : 100 * cwnd;
	/* The initial growth of cubic must not be faster than slow start. */
	if (ca->last_max_cwnd == 0 && ca->cnt > 20)
		ca->cnt = 20;

tcp_friendliness:
	if (tcp_friendliness) {
		delta = (cwnd * beta_scale) >> 3;
		while (ca->ack_cnt > delta) {
			ca->ack_cnt -= delta;
			ca->tcp_cwnd++;
		}
		if (ca->tcp_cwnd > cwnd) {
			delta = ca->tcp_cwnd - cwnd;
			max_cnt = cwnd / delta;
			if (ca->cnt > max_cnt)
				ca->cnt = max_cnt;
		}
	}
	if (ca->cnt < 2)
		ca->cnt = 2;
}

/* Models: net/ipv4/tcp_cubic.c:cubictcp_cong_avoid() */
static void cubictcp_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	if (!tcp_is_cwnd_limited(sk))
		return;
	if (tcp_in_slow_start(tp)) {
		if (hystart && after(ack, ca->end_seq))
			bictcp_hystart_reset(sk);
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	bictcp_update(sk, ca, tp->snd_cwnd, acked);
	tcp_cong_avoid_ai(tp, ca->cnt, acked);
}

/* Models: net/ipv4/tcp_cubic.c:cubictcp_recalc_ssthresh() — beta 0.7, fast convergence. */
static uint32_t cubictcp_recalc_ssthresh(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	uint32_t cwnd = tp->snd_cwnd;
	uint32_t ss;

	ca->epoch_start = 0;	/* end of epoch */
	if (cwnd < ca->last_max_cwnd && fast_convergence)
		ca->last_max_cwnd = (cwnd * (BICTCP_BETA_SCALE + beta)) / (2 * BICTCP_BETA_SCALE);
	else
		ca->last_max_cwnd = cwnd;
	ss = (cwnd * (uint32_t)beta) / BICTCP_BETA_SCALE;
	return ss > 2 ? ss : 2;
}

static void cubictcp_state(struct sock *sk, uint8_t new_state)
{
	if (new_state == TCP_CA_Loss) {
		bictcp_reset(inet_csk_ca(sk));
		bictcp_hystart_reset(sk);
	}
}

/* Models: net/ipv4/tcp_cubic.c:hystart_update() — leave slow start early. */
static void hystart_update(struct sock *sk, uint32_t delay)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);

	if (hystart_detect & HYSTART_ACK_TRAIN) {
		uint32_t now = clock_us(sk);

		/* first detection parameter - ack-train detection */
		if ((int32_t)(now - ca->last_ack) <= (int32_t)hystart_ack_delta_us) {
			uint32_t threshold = ca->delay_min >> 1;	/* no pacing */

			ca->last_ack = now;
			if ((int32_t)(now - ca->round_start) > (int32_t)threshold) {
				ca->found = 1;
				tp->snd_ssthresh = tp->snd_cwnd;
			}
		}
	}
	if (hystart_detect & HYSTART_DELAY) {
		/* obtain the minimum delay of more than sampling packets */
		if (ca->curr_rtt > delay)
			ca->curr_rtt = delay;
		if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
			ca->sample_cnt++;
		} else {
			uint32_t eta = ca->delay_min >> 3;

			eta = eta < HYSTART_DELAY_MIN_US ? HYSTART_DELAY_MIN_US :
			      eta > HYSTART_DELAY_MAX_US ? HYSTART_DELAY_MAX_US : eta;
			if (ca->curr_rtt > ca->delay_min + eta) {
				ca->found = 1;
				tp->snd_ssthresh = tp->snd_cwnd;
			}
		}
	}
}

/* Models: net/ipv4/tcp_cubic.c:cubictcp_acked() — min RTT and HyStart samples. */
static void cubictcp_acked(struct sock *sk, const struct ack_sample *sample)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct bictcp *ca = inet_csk_ca(sk);
	unsigned int hz = sim_config(sock_net(sk)->sim)->hz;
	uint32_t delay;

	if (sample->rtt_us < 0)
		return;
	/* Discard delay samples right after fast recovery */
	if (ca->epoch_start && (int32_t)(jiffies32(sk) - ca->epoch_start) < (int32_t)hz)
		return;
	delay = sample->rtt_us ? (uint32_t)sample->rtt_us : 1;
	if (ca->delay_min == 0 || ca->delay_min > delay)
		ca->delay_min = delay;
	if (!ca->found && tcp_in_slow_start(tp) && hystart && tp->snd_cwnd >= hystart_low_window)
		hystart_update(sk, delay);
}

_Static_assert(sizeof(struct bictcp) <= sizeof(((struct tcp_sock *)0)->ca_priv),
	       "struct bictcp must fit inet_csk_ca()");

const struct tcp_congestion_ops cubictcp = {
	.name = "cubic",
	.init = cubictcp_init,
	.ssthresh = cubictcp_recalc_ssthresh,
	.cong_avoid = cubictcp_cong_avoid,
	.set_state = cubictcp_state,
	.undo_cwnd = tcp_reno_undo_cwnd,
	.cwnd_event = cubictcp_cwnd_event,
	.pkts_acked = cubictcp_acked,
};
