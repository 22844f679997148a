/* SPDX-License-Identifier: MIT */
/*
 * Building and sending segments.  Models: net/ipv4/tcp_output.c @ v6.18.
 * Simplifications: no TSO/GSO (a queued segment is at most one MSS), no
 * pacing, no autocorking, no timestamps option.
 */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/tcp_cong.h"
#include "trace/events/tcp.h"
#include "sim/trace.h"

static sim_time_t now_of(const struct sock *sk)
{
	return net_now(sock_net(sk));
}

/* ---- the receive window we advertise ---- */

/* Models: include/net/tcp.h:tcp_win_from_space() at the default 50 % scaling ratio. */
static int tcp_win_from_space(int space)
{
	return space > 0 ? space / 2 : 0;
}

/*
 * Models: include/net/tcp.h:tcp_space() — room left in the receive buffer,
 * as window bytes.  The kernel charges queued data at its true size, about
 * twice the payload, against the buffer; the model charges payload bytes
 * against the buffer's window share, which comes to the same.
 */
static int tcp_space(const struct sock *sk)
{
	return tcp_win_from_space(sk->sk_rcvbuf) - sk->sk_rcv_queued;
}

/* Models: include/net/tcp.h:tcp_receive_window() — what is left of the last advertisement. */
uint32_t tcp_receive_window(const struct tcp_sock *tp)
{
	int32_t win = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	return win < 0 ? 0 : (uint32_t)win;
}

/*
 * Models: net/ipv4/tcp_output.c:__tcp_select_window() — the window the
 * buffer allows now: nothing below one MSS (silly window avoidance), and a
 * multiple of the scale unit (or of the MSS without scaling).
 */
uint32_t __tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int mss = tp->rcv_mss ? tp->rcv_mss : tp->advmss;
	int free_space = tcp_space(sk);
	int full_space = (int)MIN((uint32_t)tcp_win_from_space(sk->sk_rcvbuf), tp->window_clamp);
	uint32_t window;

	if (mss > full_space)
		mss = full_space > 0 ? full_space : 1;
	if (free_space < full_space / 2 && free_space < mss)
		return 0;
	if (free_space > (int)tp->window_clamp)
		free_space = (int)tp->window_clamp;
	if (free_space < 0)
		free_space = 0;
	if (tp->rcv_wscale) {
		/* ALIGN up, so that the window is not scaled away */
		uint32_t unit = 1u << tp->rcv_wscale;

		window = ((uint32_t)free_space + unit - 1) & ~(unit - 1);
	} else {
		window = tp->rcv_wnd;
		if (window <= (uint32_t)free_space - (uint32_t)mss || window > (uint32_t)free_space)
			window = ((uint32_t)free_space / (uint32_t)mss) * (uint32_t)mss;
		else if ((uint32_t)mss == (uint32_t)full_space && (uint32_t)free_space > window + (uint32_t)full_space / 2)
			window = (uint32_t)free_space;
	}
	return window;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_select_window() — never shrink the
 * right edge already advertised; remember what was advertised.
 */
static uint16_t tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t cur_win = tcp_receive_window(tp);
	uint32_t new_win = __tcp_select_window(sk);

	if (new_win < cur_win) {
		/* Never shrink the offered window. */
		new_win = (cur_win + (1u << tp->rcv_wscale) - 1) >> tp->rcv_wscale << tp->rcv_wscale;
	}
	tp->rcv_wnd = new_win;
	tp->rcv_wup = tp->rcv_nxt;
	new_win >>= tp->rcv_wscale;
	return (uint16_t)MIN(new_win, 65535u);
}

/* ---- building packets ---- */

struct sk_buff *tcp_make_skb(struct sock *sk, uint8_t flags, uint32_t seq, uint32_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = skb_alloc(sock_net(sk));

	skb->protocol = IPPROTO_TCP;
	skb->saddr = sk->inet_saddr;
	skb->daddr = sk->inet_daddr;
	skb->source = sk->inet_sport;
	skb->dest = sk->inet_dport;
	skb->seq = seq;
	skb->flags = flags;
	skb->len = len;
	if (flags & TCPHDR_SYN) {
		/* SYN windows are never scaled (RFC 7323); options announced here */
		skb->window = (uint16_t)MIN(tp->rcv_wnd, 65535u);
		skb->mss = tp->advmss;
		skb->wscale = sock_net(sk)->ipv4.sysctl_tcp_window_scaling ? tp->rcv_wscale : 0xff;
		skb->sack_perm = sock_net(sk)->ipv4.sysctl_tcp_sack != 0;
		skb->ts_ok = sock_net(sk)->ipv4.sysctl_tcp_timestamps != 0;
	} else {
		skb->window = tcp_select_window(sk);
	}
	if (flags & TCPHDR_ACK) {
		skb->ack_seq = tp->rcv_nxt;
		if (tp->sack_ok && tp->num_sacks && !(flags & TCPHDR_SYN)) {
			skb->num_sacks = (uint8_t)MIN(tp->num_sacks, 3);
			for (int i = 0; i < skb->num_sacks; i++) {
				skb->sack[i].start_seq = tp->selective_acks[i].start_seq;
				skb->sack[i].end_seq = tp->selective_acks[i].end_seq;
			}
		}
	}
	return skb;
}

/* Models: net/ipv4/tcp_output.c:__tcp_transmit_skb() — count and hand to IP. */
void tcp_xmit(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	TCP_INC_STATS(sock_net(sk), OutSegs);
	tp->segs_out++;
	if (skb->flags & TCPHDR_ACK) {
		/* tcp_event_ack_sent(): this ACK answers everything pending */
		tp->ack_pending = 0;
		sim_timer_delete(&tp->delack_timer);
		if (tp->ack_quick)
			tp->ack_quick--;
	}
	dev_queue_xmit(sock_net(sk), skb);
}

/* ---- connection setup ---- */

/* Models: include/net/tcp.h:tcp_mss_clamp() — TCP_MAXSEG caps an MSS. */
uint32_t tcp_mss_clamp(const struct tcp_sock *tp, uint32_t mss)
{
	return tp->user_mss && tp->user_mss < mss ? tp->user_mss : mss;
}

/* Models: include/net/tcp.h:tcp_full_space() */
uint32_t tcp_full_space(const struct sock *sk)
{
	return (uint32_t)tcp_win_from_space(sk->sk_rcvbuf);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_select_initial_window() — the first
 * window (at most 64 KiB, a multiple of the MSS, within the clamp) and the
 * scale that lets the window grow to max(tcp_rmem[2], rmem_max), unless the
 * clamp (SO_RCVBUF, TCP_WINDOW_CLAMP) keeps it smaller.  A clamp of 0 means
 * none; it comes back no larger than the scale can express.
 */
void tcp_select_initial_window(const struct sock *sk, uint32_t space, uint32_t mss,
			       uint32_t *rcv_wnd, uint32_t *window_clamp, uint8_t *rcv_wscale)
{
	const struct net *net = sock_net(sk);
	uint32_t clamp = *window_clamp ? *window_clamp : 65535u << 14;
	int ws = 0;

	space = MIN(space, clamp);
	if (space > mss)
		space = space / mss * mss;
	*rcv_wnd = MIN(space, 65535u);
	if (net->ipv4.sysctl_tcp_window_scaling) {
		uint32_t s = MAX(space, (uint32_t)net->ipv4.sysctl_tcp_rmem[2]);

		s = MAX(s, (uint32_t)net->core.sysctl_rmem_max);
		s = MIN(s, clamp);
		while ((s >> ws) > 65535u && ws < 14)	/* ilog2(s) - 15, within 0..14 */
			ws++;
	}
	*rcv_wscale = (uint8_t)ws;
	*window_clamp = MIN(65535u << ws, clamp);
}

/*
 * A receive buffer the user fixed (SO_RCVBUF) also clamps the window, and so
 * the scale announced in the SYN (tcp_connect_init) or SYN-ACK
 * (tcp_openreq_init_rwin).
 */
void tcp_clamp_to_locked_rcvbuf(const struct sock *sk, uint32_t *window_clamp)
{
	uint32_t full = tcp_full_space(sk);

	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) && (*window_clamp > full || *window_clamp == 0))
		*window_clamp = full;
}

/* Models: net/ipv4/tcp_output.c:tcp_connect_init() */
static void tcp_connect_init(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);

	/* Route MTU 1500: advmss = 1500 - 40.  Timestamps shrink mss_cache. */
	tp->advmss = (uint16_t)tcp_mss_clamp(tp, 1460);	/* TCP_MAXSEG also lowers what we announce */
	tp->mss_cache = sock_net(sk)->ipv4.sysctl_tcp_timestamps ? 1448 : 1460;
	if (tp->user_mss && tp->user_mss < tp->mss_cache)
		tp->mss_cache = tp->user_mss;
	tcp_clamp_to_locked_rcvbuf(sk, &tp->window_clamp);
	tcp_select_initial_window(sk, tcp_full_space(sk), tp->mss_cache, &tp->rcv_wnd,
				  &tp->window_clamp, &tp->rcv_wscale);
	tp->rcv_wup = 0;
	sk->sk_err = 0;
	tp->snd_una = tp->write_seq;
	tp->snd_nxt = tp->write_seq;
	tp->snd_sml = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	tp->rcv_nxt = 0;
	tp->rcv_wup = 0;
	tp->copied_seq = 0;
	icsk->icsk_rto = TCP_TIMEOUT_INIT;	/* tcp_timeout_init() */
	icsk->icsk_retransmits = 0;
}

/* Models: net/ipv4/tcp_output.c:tcp_connect() — send the SYN, arm the RTO timer. */
int tcp_connect(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct sk_buff *skb;

	tcp_connect_init(sk);
	tp->snd_isn = tp->write_seq;
	skb = tcp_make_skb(sk, TCPHDR_SYN, tp->write_seq, 0);
	tp->write_seq++;
	tp->snd_nxt = tp->write_seq;
	tp->pushed_seq = tp->write_seq;
	tp->syn_sent_at = now_of(sk);
	tp->retrans_stamp = tcp_time_stamp_ms(tp->syn_sent_at);
	sk_trace(sk, "tcp_connect", "net/ipv4/tcp_output.c:tcp_connect",
		 "seq=%u rto_ns=%" G_GUINT64_FORMAT, skb->seq, (guint64)icsk->icsk_rto);
	tcp_xmit(sk, skb);
	TCP_INC_STATS(sock_net(sk), ActiveOpens);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, icsk->icsk_rto, icsk->icsk_rto_max);
	return 0;
}

/* ---- the write queue ---- */

static struct tcp_qskb *qskb_of(GList *l)
{
	return l ? l->data : NULL;
}

struct tcp_qskb *tcp_rtx_queue_head(const struct tcp_sock *tp)
{
	GList *head = tp->write_queue.head;

	return head && head != tp->send_head ? head->data : NULL;
}

struct tcp_qskb *tcp_write_queue_tail(const struct tcp_sock *tp)
{
	return qskb_of(tp->write_queue.tail);
}

/* Models: include/net/tcp.h:tcp_packets_in_flight() */
uint32_t tcp_packets_in_flight(const struct tcp_sock *tp)
{
	return tp->packets_out - (tp->sacked_out + tp->lost_out) + tp->retrans_out;
}

/* Models: net/ipv4/tcp.c:tcp_stream_alloc_skb() + tcp_skb_entail() */
struct tcp_qskb *tcp_skb_entail(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = g_new0(struct tcp_qskb, 1);

	q->seq = q->end_seq = tp->write_seq;
	q->truesize = TCP_SKB_OVERHEAD;
	sk->sk_wmem_queued += (int)q->truesize;
	g_queue_push_tail(&tp->write_queue, q);
	if (!tp->send_head)
		tp->send_head = tp->write_queue.tail;
	return q;
}

/* Append @n bytes (or a FIN when @fin) to queued segment @q. */
void tcp_skb_append(struct sock *sk, struct tcp_qskb *q, uint32_t n, bool fin)
{
	struct tcp_sock *tp = tcp_sk(sk);

	q->len += n;
	q->end_seq += n + (fin ? 1 : 0);
	q->truesize += n;
	if (fin)
		q->tcp_flags |= TCPHDR_FIN;
	sk->sk_wmem_queued += (int)n;
	tp->write_seq = q->end_seq;
}

static void tcp_qskb_free(struct sock *sk, struct tcp_qskb *q)
{
	sk->sk_wmem_queued -= (int)q->truesize;
	g_free(q);
}

/* Models: net/ipv4/tcp.c:tcp_write_queue_purge() */
void tcp_write_queue_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q;

	while ((q = g_queue_pop_head(&tp->write_queue)))
		tcp_qskb_free(sk, q);
	tp->send_head = NULL;
	tp->packets_out = tp->sacked_out = tp->lost_out = tp->retrans_out = 0;
}

/* Remove the acked head of the retransmit queue (tcp_clean_rtx_queue). */
void tcp_rtx_queue_unlink_head(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = g_queue_pop_head(&tp->write_queue);

	tcp_qskb_free(sk, q);
}

/* ---- sending data ---- */

static sim_time_t current_rto(const struct sock *sk)
{
	return inet_csk((struct sock *)sk)->icsk_rto;
}

/* Models: net/ipv4/tcp_output.c:tcp_transmit_skb() for a data (or FIN) segment. */
static void tcp_transmit_qskb(struct sock *sk, struct tcp_qskb *q, bool retrans)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint8_t flags = TCPHDR_ACK | (q->tcp_flags & (TCPHDR_FIN | TCPHDR_PSH));
	struct sk_buff *skb = tcp_make_skb(sk, flags, q->seq, q->len);
	sim_time_t now = now_of(sk);

	q->tx_time = now;
	if (!q->first_tx)
		q->first_tx = now;
	if (q->len) {
		tp->data_segs_out++;
		tp->bytes_sent += q->len;
	}
	sk_trace(sk, retrans ? "tcp_retransmit_skb" : "tcp_transmit_skb",
		 retrans ? "net/ipv4/tcp_output.c:__tcp_retransmit_skb" : NULL,
		 "seq=%u len=%u%s cwnd=%u in_flight=%u snd_wnd=%u", q->seq, q->len,
		 (q->tcp_flags & TCPHDR_FIN) ? " fin=1" : "", tp->snd_cwnd,
		 tcp_packets_in_flight(tp), tp->snd_wnd);
	tcp_xmit(sk, skb);
	trace_tcp_sent(sk, q->len, retrans);
}

/* Models: net/ipv4/tcp_output.c:tcp_minshall_update() */
static void tcp_minshall_update(struct tcp_sock *tp, const struct tcp_qskb *q)
{
	if (q->len < tp->mss_cache)
		tp->snd_sml = q->end_seq;
}

/* Models: net/ipv4/tcp_output.c:tcp_nagle_check() / tcp_nagle_test() */
static bool tcp_nagle_test(const struct tcp_sock *tp, const struct tcp_qskb *q, int nonagle)
{
	bool partial = q->len < tp->mss_cache;
	bool minshall = after(tp->snd_sml, tp->snd_una) && !after(tp->snd_sml, tp->snd_nxt);

	if (nonagle & TCP_NAGLE_PUSH)
		return true;
	if (q->tcp_flags & TCPHDR_FIN)
		return true;
	if (!partial)
		return true;
	if (nonagle & TCP_NAGLE_CORK)
		return false;
	return (nonagle & TCP_NAGLE_OFF) || !tp->packets_out || !minshall;
}

/* Models: net/ipv4/tcp_output.c:tcp_snd_wnd_test() */
static bool tcp_snd_wnd_test(const struct tcp_sock *tp, const struct tcp_qskb *q)
{
	uint32_t end_seq = q->end_seq;

	if (q->len > tp->mss_cache)
		end_seq = q->seq + tp->mss_cache;
	return !after(end_seq, tp->snd_una + tp->snd_wnd);
}

/* Models: net/ipv4/tcp_output.c:tcp_cwnd_validate() — was the flight cwnd-limited? */
static void tcp_cwnd_validate(struct sock *sk, bool is_cwnd_limited)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!before(tp->snd_una, tp->cwnd_usage_seq) || is_cwnd_limited ||
	    tp->packets_out > tp->max_packets_out) {
		tp->max_packets_out = tp->packets_out;
		tp->cwnd_usage_seq = tp->snd_nxt;
		tp->is_cwnd_limited = is_cwnd_limited;
	}
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_cwnd_restart() / tcp_slow_start_after_idle_check():
 * after an idle period longer than the RTO, halve cwnd once per RTO idle,
 * down to the restart window.
 */
static void tcp_slow_start_after_idle_check(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t rto = current_rto(sk);
	int64_t idle;
	uint32_t restart_cwnd = TCP_INIT_CWND, cwnd = tp->snd_cwnd;

	if (!sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle || tp->packets_out ||
	    !tp->lsndtime_ns)
		return;
	idle = (int64_t)(now_of(sk) - tp->lsndtime_ns);
	if (idle <= (int64_t)rto)
		return;
	tp->snd_ssthresh = MAX(tp->snd_ssthresh, (tp->snd_cwnd >> 1) + (tp->snd_cwnd >> 2));
	restart_cwnd = MIN(restart_cwnd, cwnd);
	while ((idle -= (int64_t)rto) > 0 && cwnd > restart_cwnd)
		cwnd >>= 1;
	tp->snd_cwnd = MAX(cwnd, restart_cwnd);
	tp->snd_cwnd_cnt = 0;
	if (tp->ca_ops->cwnd_event)
		tp->ca_ops->cwnd_event(sk, CA_EVENT_CWND_RESTART);
}

/* Models: net/ipv4/tcp_output.c:tcp_event_new_data_sent() */
static void tcp_event_new_data_sent(struct sock *sk, struct tcp_qskb *q)
{
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int prior_packets = tp->packets_out;

	tp->send_head = tp->send_head->next;
	tp->snd_nxt = q->end_seq;
	tp->packets_out++;
	if (!prior_packets || inet_csk(sk)->icsk_pending == ICSK_TIME_PROBE0 ||
	    inet_csk(sk)->icsk_pending == ICSK_TIME_LOSS_PROBE)
		tcp_rearm_rto(sk);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_write_xmit() — send queued segments while
 * cwnd, the peer's window and Nagle allow.  @push_one: 1 sends at most one
 * segment, 2 (a loss probe) one segment even when cwnd is full and without
 * scheduling another probe.  Returns true when something could not be sent
 * because the peer's window is closed and nothing is in flight (the caller
 * arms the probe timer).
 */
bool tcp_write_xmit(struct sock *sk, int nonagle, int push_one)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool is_cwnd_limited = false;
	uint32_t sent = 0;
	struct tcp_qskb *q;

	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE_WAIT &&
	    sk->sk_state != TCP_FIN_WAIT1 && sk->sk_state != TCP_LAST_ACK &&
	    sk->sk_state != TCP_CLOSING)
		return false;
	tcp_slow_start_after_idle_check(sk);
	while ((q = qskb_of(tp->send_head))) {
		/* tcp_cwnd_test(): not strict about cwnd for the final FIN.  The
		 * kernel lets any one-segment skb with FIN through; here only a
		 * lone FIN, because data+FIN is a whole GSO skb in the kernel
		 * far more often than it is one segment. */
		if (tcp_packets_in_flight(tp) >= tp->snd_cwnd && !(q->len == 0 && (q->tcp_flags & TCPHDR_FIN)) &&
		    push_one != 2) {	/* "Force out a loss probe pkt." */
			is_cwnd_limited = true;
			break;
		}
		if (!tcp_snd_wnd_test(tp, q))
			break;
		if (!tcp_nagle_test(tp, q, q->end_seq == tp->write_seq ? nonagle : TCP_NAGLE_PUSH))
			break;
		if (!tp->packets_out && tp->ca_ops->cwnd_event)
			tp->ca_ops->cwnd_event(sk, CA_EVENT_TX_START);
		tcp_transmit_qskb(sk, q, false);
		tcp_event_new_data_sent(sk, q);
		tcp_minshall_update(tp, q);
		sent++;
		if (push_one)
			break;
	}
	if (sent) {
		/* PRR counts everything sent while cwnd is being reduced */
		if (tp->icsk.icsk_ca_state == TCP_CA_Recovery || tp->icsk.icsk_ca_state == TCP_CA_CWR)
			tp->prr_out += sent;
		/* Send one loss probe per tail loss episode. */
		if (push_one != 2)
			tcp_schedule_loss_probe(sk, false);
		tp->lsndtime_ns = now_of(sk);
		tp->ca_lsndtime = (uint32_t)sim_jiffies(sock_net(sk)->sim);
		tcp_cwnd_validate(sk, is_cwnd_limited);
	}
	return !tp->packets_out && tp->send_head;
}

/*
 * Models: net/ipv4/tcp_output.c:__tcp_push_pending_frames() — and, when the
 * window is closed with nothing in flight, tcp_check_probe_timer().
 */
void __tcp_push_pending_frames(struct sock *sk, int nonagle)
{
	if (tcp_write_xmit(sk, nonagle, 0))
		tcp_check_probe_timer(sk);
}

/* Models: net/ipv4/tcp_output.c:tcp_check_probe_timer() (include/net/tcp.h) */
void tcp_check_probe_timer(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->packets_out && !icsk->icsk_pending)
		inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, tcp_probe0_base(sk),
					  icsk->icsk_rto_max);
}

/* Models: include/net/tcp.h:tcp_probe0_base() */
sim_time_t tcp_probe0_base(const struct sock *sk)
{
	sim_time_t rto = inet_csk((struct sock *)sk)->icsk_rto;

	return MAX(rto, TCP_RTO_MIN);
}

/*
 * Models: net/ipv4/tcp_output.c:__tcp_retransmit_skb() — send queued segment
 * @q again and count it; a loss probe stops here, so the segment is not
 * "retransmitted and in flight" (TCPCB_SACKED_RETRANS, retrans_out).
 */
static void __tcp_retransmit_skb(struct sock *sk, struct tcp_qskb *q)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->retrans_stamp)
		tp->retrans_stamp = tcp_time_stamp_ms(q->first_tx);
	tp->total_retrans++;
	TCP_INC_STATS(sock_net(sk), RetransSegs);
	tp->bytes_retrans += q->len;
	q->sacked |= TCPCB_EVER_RETRANS;
	tcp_transmit_qskb(sk, q, true);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_retransmit_skb() — for the SYN
 * (SYN_SENT), the SYN-ACK of a simultaneous open (SYN_RECV), or a queued
 * data/FIN segment @q.
 */
int tcp_retransmit_skb(struct sock *sk, struct tcp_qskb *q)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		if (!tp->retrans_stamp)
			tp->retrans_stamp = tcp_time_stamp_ms(now_of(sk));
		tp->total_retrans++;
		TCP_INC_STATS(sock_net(sk), RetransSegs);
		uint8_t flags = sk->sk_state == TCP_SYN_SENT ? TCPHDR_SYN : TCPHDR_SYN | TCPHDR_ACK;
		struct sk_buff *skb = tcp_make_skb(sk, flags, tp->snd_una, 0);

		NET_INC_STATS(sock_net(sk), TCPSynRetrans);
		sk_trace(sk, "tcp_retransmit_skb", "net/ipv4/tcp_timer.c:tcp_retransmit_timer",
			 "state=%s seq=%u retransmits=%u", tcp_state_name(sk->sk_state), skb->seq,
			 inet_csk(sk)->icsk_retransmits);
		tcp_xmit(sk, skb);
		return 0;
	}
	if (!q)
		return -SIM_EINVAL;
	/* marked before it goes out (the kernel marks it just after), so that
	 * the trace's in_flight counts it */
	if (!(q->sacked & TCPCB_SACKED_RETRANS)) {
		q->sacked |= TCPCB_SACKED_RETRANS;
		tp->retrans_out++;
	}
	__tcp_retransmit_skb(sk, q);
	return 0;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_xmit_retransmit_queue() — resend the
 * segments marked lost, oldest first, while cwnd allows.
 */
void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
		struct tcp_qskb *q = l->data;

		if (tcp_packets_in_flight(tp) >= tp->snd_cwnd)
			break;
		if (!(q->sacked & TCPCB_LOST) || (q->sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)))
			continue;
		tcp_retransmit_skb(sk, q);
		if (tp->icsk.icsk_ca_state == TCP_CA_Recovery)
			tp->prr_out++;
		if (q == tcp_rtx_queue_head(tp))
			inet_csk_reset_xmit_timer(sk, ICSK_TIME_RETRANS, current_rto(sk),
						  inet_csk(sk)->icsk_rto_max);
	}
}

/* ---- tail loss probe (RFC 8985) ---- */

/*
 * Models: net/ipv4/tcp_output.c:tcp_schedule_loss_probe() — on a SACK
 * connection in Open or CWR with data in flight, arm the probe timeout (PTO)
 * in place of the RTO: 2 * srtt plus, with one segment in flight, the minimum
 * RTO (the peer may be delaying its ACK) or else TCP_TIMEOUT_MIN; 1 s without
 * an RTT sample; never later than the RTO would fire.  @advancing_rto: an ACK
 * restarts the RTO from now, so the whole RTO is the bound.
 */
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct inet_connection_sock *icsk = inet_csk(sk);
	const struct net *net = sock_net(sk);
	struct sim *sim = net->sim;
	int early_retrans = net->ipv4.sysctl_tcp_early_retrans;
	uint64_t timeout;
	uint32_t rto_delta_us;

	if ((early_retrans != 3 && early_retrans != 4) || !tp->packets_out || !tp->sack_ok ||
	    (icsk->icsk_ca_state != TCP_CA_Open && icsk->icsk_ca_state != TCP_CA_CWR))
		return false;
	if (tp->srtt_us) {
		uint64_t rto_min_us = (uint64_t)(icsk->icsk_rto_min / 1000u);	/* tcp_rto_min_us() */

		if (net->profile->timeout_min_us) {
			/* 6.6+: the sum in microseconds, rounded up once */
			uint64_t timeout_us = tp->srtt_us >> 2;

			timeout_us += tp->packets_out == 1 ? rto_min_us : TCP_TIMEOUT_MIN_US;
			timeout = sim_usecs_to_jiffies(sim, timeout_us);
		} else {
			/* 5.0: 2 * srtt rounded up, plus TCP_RTO_MIN or TCP_TIMEOUT_MIN jiffies */
			timeout = sim_usecs_to_jiffies(sim, tp->srtt_us >> 2);
			timeout += tp->packets_out == 1 ?
				   sim_usecs_to_jiffies(sim, (uint64_t)(TCP_RTO_MIN / 1000u)) : 2u;
		}
	} else {
		timeout = sim_usecs_to_jiffies(sim, (uint64_t)(TCP_TIMEOUT_INIT / 1000u));
	}
	/* If the RTO formula yields an earlier time, then use that time.  The
	 * kernel keeps the delta in a u32: an RTO already overdue is no bound. */
	rto_delta_us = advancing_rto ? (uint32_t)(icsk->icsk_rto / 1000u) :
				       (uint32_t)tcp_rto_delta_us(sk);
	if (rto_delta_us > 0)
		timeout = MIN(timeout, sim_usecs_to_jiffies(sim, rto_delta_us));
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_LOSS_PROBE, sim_jiffies_to_ns(sim, timeout),
				  icsk->icsk_rto_max);
	return true;
}

/* The newest segment sent (skb_rb_last(&sk->tcp_rtx_queue)). */
static struct tcp_qskb *tcp_rtx_queue_tail(const struct tcp_sock *tp)
{
	if (tp->send_head)
		return tp->send_head->prev ? tp->send_head->prev->data : NULL;
	return qskb_of(tp->write_queue.tail);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_send_loss_probe() — the PTO fired: send
 * one new segment if the peer's window allows, else the newest segment
 * again; remember snd_nxt (tlp_high_seq) so that tcp_process_tlp_ack can
 * tell whether the probe repaired a loss.  Then the RTO runs from now.
 */
void tcp_send_loss_probe(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool one_per_flight = sock_net(sk)->profile->tlp_one_per_flight;
	struct tcp_qskb *q;

	if (one_per_flight) {
		/* At most one outstanding TLP */
		if (tp->tlp_high_seq)
			goto rearm_timer;
		tp->tlp_retrans = false;
	}
	q = qskb_of(tp->send_head);
	if (q && tcp_snd_wnd_test(tp, q)) {
		uint32_t pcount = tp->packets_out;

		sk_trace(sk, "tcp_send_loss_probe", "net/ipv4/tcp_output.c:tcp_send_loss_probe",
			 "new_data=1 seq=%u", q->seq);
		tcp_write_xmit(sk, TCP_NAGLE_OFF, 2);
		if (tp->packets_out > pcount)
			goto probe_sent;
		goto rearm_timer;
	}
	q = tcp_rtx_queue_tail(tp);
	if (!q) {
		inet_csk(sk)->icsk_pending = 0;
		return;
	}
	/* 5.0: at most one outstanding TLP retransmission */
	if (!one_per_flight && tp->tlp_high_seq)
		goto rearm_timer;
	sk_trace(sk, "tcp_send_loss_probe", "net/ipv4/tcp_output.c:tcp_send_loss_probe",
		 "new_data=0 seq=%u", q->seq);
	__tcp_retransmit_skb(sk, q);
	tp->tlp_retrans = true;
	if (!one_per_flight)
		tp->tlp_high_seq = tp->snd_nxt;	/* 5.0 records only this kind */
probe_sent:
	/* Record snd_nxt for loss detection. */
	if (one_per_flight)
		tp->tlp_high_seq = tp->snd_nxt;
	NET_INC_STATS(sock_net(sk), TCPLossProbes);
	/* Reset s.t. tcp_rearm_rto will restart timer from now */
	inet_csk(sk)->icsk_pending = 0;
rearm_timer:
	tcp_rearm_rto(sk);
}

/* ---- ACKs ---- */

/* Models: net/ipv4/tcp_output.c:tcp_send_ack() */
void tcp_send_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (sk->sk_state == TCP_CLOSE)
		return;
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_ACK, tp->snd_nxt, 0));
}

/* Models: net/ipv4/tcp_output.c:tcp_rtx_synack() — a SYN-ACK sent again counts as a retransmission. */
void tcp_rtx_synack(struct sock *listener, struct request_sock *req)
{
	req->num_retrans++;
	tcp_v4_send_synack(listener, req);
	TCP_INC_STATS(sock_net(listener), RetransSegs);
	NET_INC_STATS(sock_net(listener), TCPSynRetrans);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_send_delayed_ack() — ACK within ato.
 * Before any data arrived ato is 0 (a bare FIN): the timer is set to the
 * current jiffy and fires at the next tick, one jiffy later (4 ms at HZ=250,
 * as measured on 6.18), so an application that closes at once still sends
 * the ACK on its FIN.
 */
void tcp_send_delayed_ack(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	sim_time_t when = now_of(sk) + (tp->ato ? tp->ato : sim_jiffies_to_ns(sock_net(sk)->sim, 1));

	tp->ack_pending = 1;
	if (sim_timer_pending(&tp->delack_timer) && sim_timer_expires(&tp->delack_timer) <= when)
		return;
	sim_mod_timer(&tp->delack_timer, when);
	trace_tcp_timer_armed(sk, ICSK_TIME_DACK, when);
}

/* Models: net/ipv4/tcp_output.c:tcp_send_active_reset() */
void tcp_send_active_reset(struct sock *sk)
{
	TCP_INC_STATS(sock_net(sk), OutRsts);
	sk_trace(sk, "tcp_send_reset", "net/ipv4/tcp_output.c:tcp_send_active_reset", "seq=%u",
		 tcp_sk(sk)->snd_nxt);
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_RST | TCPHDR_ACK, tcp_sk(sk)->snd_nxt, 0));
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_send_fin() — the FIN rides on the last
 * unsent segment, or gets a segment of its own; it takes one sequence number.
 */
void tcp_send_fin(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *tail = tcp_write_queue_tail(tp);

	if (!tail || !tp->send_head || (tail->tcp_flags & TCPHDR_FIN))
		tail = tcp_skb_entail(sk);
	tcp_skb_append(sk, tail, 0, true);
	__tcp_push_pending_frames(sk, TCP_NAGLE_OFF);
}

/*
 * Split queued segment @q so that its first part holds @len bytes
 * (tcp_fragment()); the rest becomes a new segment right after it.
 */
static void tcp_fragment(struct sock *sk, GList *link, uint32_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = link->data;
	struct tcp_qskb *rest = g_new0(struct tcp_qskb, 1);

	rest->seq = q->seq + len;
	rest->end_seq = q->end_seq;
	rest->len = q->len - len;
	rest->tcp_flags = q->tcp_flags;
	rest->eor = q->eor;		/* tcp_skb_fragment_eor() */
	q->eor = false;
	rest->truesize = TCP_SKB_OVERHEAD + rest->len;
	q->tcp_flags &= (uint8_t)~(TCPHDR_FIN | TCPHDR_PSH);
	q->len = len;
	q->end_seq = q->seq + len;
	q->truesize -= rest->len;
	sk->sk_wmem_queued += TCP_SKB_OVERHEAD;
	g_queue_insert_after(&tp->write_queue, link, rest);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_write_wakeup() — the persist timer:
 * if the peer's window has room for part of the next segment, send that
 * part (splitting the segment); otherwise send a zero-window probe.
 * Returns true when data was sent.
 */
bool tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = tp->send_head ? tp->send_head->data : NULL;
	uint32_t room;

	if (!q || !before(q->seq, tp->snd_una + tp->snd_wnd))
		return false;
	room = tp->snd_una + tp->snd_wnd - q->seq;
	if (room < q->len)
		tcp_fragment(sk, tp->send_head, room);
	q->tcp_flags |= TCPHDR_PSH;
	tcp_transmit_qskb(sk, q, false);
	tcp_event_new_data_sent(sk, q);
	tcp_minshall_update(tp, q);
	return true;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_send_probe0() / tcp_xmit_probe_skb():
 * a zero-window probe is an ACK with an old sequence number (snd_una - 1),
 * which the receiver must answer with its current window.
 */
void tcp_send_probe0(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	sk_trace(sk, "tcp_send_probe0", "net/ipv4/tcp_timer.c:tcp_probe_timer",
		 "seq=%u probes=%u backoff=%u", tp->snd_una - 1, tp->icsk_probes_out,
		 inet_csk(sk)->icsk_backoff);
	NET_INC_STATS(sock_net(sk), TCPWinProbe);
	tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_ACK, tp->snd_una - 1, 0));
}

/* Models: net/ipv4/tcp_output.c:tcp_mss_to_mtu()/tcp_current_mss(), reduced. */
uint32_t tcp_current_mss(const struct sock *sk)
{
	return tcp_sk((struct sock *)sk)->mss_cache;
}
