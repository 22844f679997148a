/* SPDX-License-Identifier: MIT */
/*
 * Congestion control framework and Reno.  Models: net/ipv4/tcp_cong.c @ v6.18.
 * The registry is a const table (no module loading, no global list).
 */
#include <string.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/tcp_cong.h"

static const struct tcp_congestion_ops *const tcp_ca_table[] = {
	&cubictcp,	/* index 0: the default */
	&tcp_reno,
};

const struct tcp_congestion_ops *tcp_ca_by_index(int idx)
{
	if (idx < 0 || idx >= (int)(sizeof(tcp_ca_table) / sizeof(tcp_ca_table[0])))
		idx = 0;
	return tcp_ca_table[idx];
}

int tcp_ca_index(const char *name)
{
	for (size_t i = 0; i < sizeof(tcp_ca_table) / sizeof(tcp_ca_table[0]); i++)
		if (strcmp(tcp_ca_table[i]->name, name) == 0)
			return (int)i;
	return -1;
}

const char *tcp_ca_name_by_index(int idx)
{
	return tcp_ca_by_index(idx)->name;
}

const struct tcp_congestion_ops *tcp_ca_find(const char *name)
{
	int i = tcp_ca_index(name);

	return i < 0 ? NULL : tcp_ca_table[i];
}

/* Models: net/ipv4/tcp_cong.c:tcp_init_congestion_control() */
void tcp_init_congestion_control(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	memset(tp->ca_priv, 0, sizeof(tp->ca_priv));
	if (tp->ca_ops->init)
		tp->ca_ops->init(sk);
}

/* Models: net/ipv4/tcp_cong.c:tcp_set_congestion_control() (no module autoload). */
int tcp_set_congestion_control(struct sock *sk, const char *name)
{
	const struct tcp_congestion_ops *ca = tcp_ca_find(name);

	if (!ca)
		return -SIM_ENOENT;
	tcp_sk(sk)->ca_ops = ca;
	if (sk->sk_state != TCP_CLOSE)
		tcp_init_congestion_control(sk);
	return 0;
}

/*
 * Models: net/ipv4/tcp_cong.c:tcp_slow_start() — cwnd grows by one per
 * acked packet up to ssthresh; returns the acks left over for congestion
 * avoidance.
 */
uint32_t tcp_slow_start(struct tcp_sock *tp, uint32_t acked)
{
	uint32_t cwnd = tp->snd_cwnd + acked;

	if (cwnd > tp->snd_ssthresh)
		cwnd = tp->snd_ssthresh;
	acked -= cwnd - tp->snd_cwnd;
	tp->snd_cwnd = cwnd;
	return acked;
}

/* Models: net/ipv4/tcp_cong.c:tcp_cong_avoid_ai() — +1 per w acked packets. */
void tcp_cong_avoid_ai(struct tcp_sock *tp, uint32_t w, uint32_t acked)
{
	if (tp->snd_cwnd_cnt >= w) {
		tp->snd_cwnd_cnt = 0;
		tp->snd_cwnd++;
	}
	tp->snd_cwnd_cnt += acked;
	if (tp->snd_cwnd_cnt >= w) {
		uint32_t delta = tp->snd_cwnd_cnt / w;

		tp->snd_cwnd_cnt -= delta * w;
		tp->snd_cwnd += delta;
	}
}

/*
 * Models: include/net/tcp.h:tcp_is_cwnd_limited() — in slow start, grow while
 * cwnd < 2 * max_packets_out; afterwards only when the last flight filled cwnd.
 */
bool tcp_is_cwnd_limited(const struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;

	if (tp->is_cwnd_limited)
		return true;
	if (tcp_in_slow_start(tp))
		return tp->snd_cwnd < 2 * tp->max_packets_out;
	return false;
}

/* Models: net/ipv4/tcp_cong.c:tcp_reno_cong_avoid() */
void tcp_reno_cong_avoid(struct sock *sk, uint32_t ack, uint32_t acked)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_is_cwnd_limited(sk))
		return;
	if (tcp_in_slow_start(tp)) {
		acked = tcp_slow_start(tp, acked);
		if (!acked)
			return;
	}
	tcp_cong_avoid_ai(tp, tp->snd_cwnd, acked);
}

/* Models: net/ipv4/tcp_cong.c:tcp_reno_ssthresh() — half the window, at least 2. */
uint32_t tcp_reno_ssthresh(struct sock *sk)
{
	uint32_t half = tcp_sk(sk)->snd_cwnd >> 1;

	return half > 2 ? half : 2;
}

/* Models: net/ipv4/tcp_cong.c:tcp_reno_undo_cwnd() */
uint32_t tcp_reno_undo_cwnd(struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

const struct tcp_congestion_ops tcp_reno = {
	.name = "reno",
	.ssthresh = tcp_reno_ssthresh,
	.cong_avoid = tcp_reno_cong_avoid,
	.undo_cwnd = tcp_reno_undo_cwnd,
};
