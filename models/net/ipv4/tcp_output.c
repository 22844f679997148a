/* SPDX-License-Identifier: MIT */
/*
 * Building and sending segments.  Models: net/ipv4/tcp_output.c @ v6.18.
 * Simplifications: a kernel skb is kept as a run of MSS-sized pieces
 * (struct tcp_qskb) and a TSO/GSO packet goes on the wire as its segments
 * (each but its last marked skb->gso_more);
 * the pacing rate sizes TSO packets but nothing paces; no autocorking; no
 * timestamps option on data segments.
 */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/tcp_cong.h"
#include "net/tcp_ecn.h"
#include "trace/events/tcp.h"
#include "sim/trace.h"

static void tcp_fragment(struct sock *sk, GList *link, uint32_t len);

static sim_time_t now_of(const struct sock *sk)
{
	return net_now(sock_net(sk));
}

/* ---- the receive window we advertise ---- */

/*
 * Models: include/net/tcp.h:tcp_win_from_space() — the window that @space
 * bytes of buffer hold at the socket's measured payload/truesize ratio
 * (tp->scaling_ratio, 1/256ths; 50 % until tcp_measure_rcv_mss measures one).
 */
int tcp_win_from_space(const struct sock *sk, int space)
{
	int64_t scaled = (int64_t)space * tcp_sk((struct sock *)sk)->scaling_ratio;

	if (!sock_net(sk)->profile->rcv_scaling_ratio)
		return space - (space >> 1);	/* before 6.6: net.ipv4.tcp_adv_win_scale 1 */
	return (int)(scaled >> TCP_RMEM_TO_WIN_SCALE);
}

/* Models: include/net/tcp.h:tcp_space_from_win() — the buffer a window needs. */
int tcp_space_from_win(const struct sock *sk, int win)
{
	uint64_t val = (uint64_t)(uint32_t)win << TCP_RMEM_TO_WIN_SCALE;

	if (!sock_net(sk)->profile->rcv_scaling_ratio)
		return win * 2;
	return (int)(val / tcp_sk((struct sock *)sk)->scaling_ratio);
}

/*
 * Models: include/net/tcp.h:tcp_space() — the window the receive buffer
 * still holds: sk_rcvbuf less the truesize of every skb in the receive and
 * out-of-order queues (sk_rmem_alloc), at the scaling ratio.
 */
int tcp_space(const struct sock *sk)
{
	return tcp_win_from_space(sk, sk->sk_rcvbuf - sk->sk_rmem_alloc);
}

/* Models: include/net/tcp.h:tcp_receive_window() — what is left of the last advertisement. */
uint32_t tcp_receive_window(const struct tcp_sock *tp)
{
	int32_t win = (int32_t)(tp->rcv_wup + tp->rcv_wnd - tp->rcv_nxt);

	return win < 0 ? 0 : (uint32_t)win;
}

/*
 * Models: net/ipv4/tcp_output.c:__tcp_select_window() — the window the
 * buffer allows now: below half the full space, quick ACKs stop and less
 * than an MSS (or a 16th of the buffer) is a zero window (silly window
 * avoidance); the free space is bounded by rcv_ssthresh, the window that
 * tcp_grow_window opens segment by segment; then a multiple of the scale
 * unit (rounded up), or without scaling of the MSS.
 * (net.ipv4.tcp_shrink_window, default 0, is not modelled.)
 */
uint32_t __tcp_select_window(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int mss = tp->rcv_mss;
	int free_space = tcp_space(sk);
	int allowed_space = (int)tcp_full_space(sk);
	int full_space = (int)MIN((int64_t)tp->window_clamp, (int64_t)allowed_space);
	uint32_t window;

	if (mss > full_space) {
		mss = full_space;
		if (mss <= 0)
			return 0;
	}
	if (free_space < (full_space >> 1)) {
		tp->ack_quick = 0;	/* icsk->icsk_ack.quick = 0 */
		/* free_space might become the window: no rounding it up */
		free_space = free_space < 0 ? 0 : free_space & ~((1 << tp->rcv_wscale) - 1);
		if (free_space < (allowed_space >> 4) || free_space < mss)
			return 0;
	}
	if (free_space > (int)tp->rcv_ssthresh)
		free_space = (int)tp->rcv_ssthresh;
	if (tp->rcv_wscale) {
		/* ALIGN up, so that the window is not scaled away */
		uint32_t unit = 1u << tp->rcv_wscale;

		window = ((uint32_t)free_space + unit - 1) & ~(unit - 1);
	} else {
		window = tp->rcv_wnd;
		if (window <= (uint32_t)(free_space - mss) || window > (uint32_t)free_space)
			window = ((uint32_t)free_space / (uint32_t)mss) * (uint32_t)mss;
		else if (mss == full_space && free_space > (int)window + (full_space >> 1))
			window = (uint32_t)free_space;
	}
	return window;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_select_window() — never shrink the
 * right edge already advertised (net.ipv4.tcp_shrink_window 0); remember
 * what was advertised; the field holds at most 65535 units of the scale.
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
	new_win = MIN(new_win, 65535u << tp->rcv_wscale);
	return (uint16_t)(new_win >> tp->rcv_wscale);
}

/* Models: net/ipv4/tcp_output.c:tcp_mtu_to_mss() — less the network header
 * of the address family (icsk_af_ops->net_header_len) and the TCP header. */
uint32_t tcp_mtu_to_mss(const struct sock *sk, uint32_t pmtu)
{
	return pmtu - inet_csk_net_header_len(sk) - 20u;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_sync_mss() — the MSS for @pmtu: the
 * route's (tcp_mtu_to_mss) at most the peer's announced MSS
 * (rx_opt.mss_clamp, which TCP_MAXSEG lowers), at least tcp_min_snd_mss
 * (48), less the timestamp option, then at most half the peer's largest
 * window (tcp_bound_to_half_wnd); cached in mss_cache.  No MTU probing
 * (tcp_mtu_probing 0: icsk_mtup.enabled is false).
 */
uint32_t tcp_sync_mss(struct sock *sk, uint32_t pmtu)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss = tcp_mtu_to_mss(sk, pmtu);

	if (mss > tp->rx_opt_mss_clamp)
		mss = tp->rx_opt_mss_clamp;
	mss = MAX(mss, 48u);
	if (tp->tstamp_ok)
		mss -= TCPOLEN_TSTAMP_ALIGNED;
	tp->mss_cache = tcp_bound_to_half_wnd(tp, mss);
	return tp->mss_cache;
}

/* ---- building packets ---- */

struct sk_buff *tcp_make_skb(struct sock *sk, uint8_t flags, uint32_t seq, uint32_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct sk_buff *skb = skb_alloc(sock_net(sk));

	skb->protocol = IPPROTO_TCP;
	skb->saddr = sk->inet_saddr;
	skb->daddr = sk->inet_daddr;
	if (sk->sk_family == AF_INET6)
		inet6_csk_xmit(sk, skb);	/* icsk_af_ops->queue_xmit: the IPv6 header */
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
		/* tcp_established_options(): num_sacks + dsack blocks, a pending
		 * D-SACK first (tcp_options_write writes from duplicate_sack,
		 * which precedes selective_acks), then clears it */
		int eff_sacks = tp->num_sacks + (tp->dsack ? 1 : 0);

		if (tp->sack_ok && eff_sacks && !(flags & TCPHDR_SYN)) {
			/* what the timestamps leave of the option space, less
			 * the SACK header, in blocks: 4, or 3 with timestamps */
			int remaining = MAX_TCP_OPTION_SPACE - (tp->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0);
			int n = 0;

			skb->num_sacks = (uint8_t)MIN(eff_sacks, (remaining - TCPOLEN_SACK_BASE_ALIGNED) /
								 TCPOLEN_SACK_PERBLOCK);
			if (tp->dsack) {
				skb->sack[n].start_seq = tp->duplicate_sack.start_seq;
				skb->sack[n].end_seq = tp->duplicate_sack.end_seq;
				n++;
			}
			for (int i = 0; n < skb->num_sacks; i++, n++) {
				skb->sack[n].start_seq = tp->selective_acks[i].start_seq;
				skb->sack[n].end_seq = tp->selective_acks[i].end_seq;
			}
			tp->dsack = false;
		}
	}
	return skb;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_ecn_send() — on an ECN connection new
 * data goes out ECT(0), the first new data after a cwnd reduction with CWR
 * (only the first segment of a GSO packet: SKB_GSO_TCP_ECN), ACKs and
 * retransmissions Not-ECT; ECE on everything while the receiver demands CWR.
 */
void tcp_ecn_send(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tcp_ecn_ok(tp))
		return;
	if (skb->len && !before(skb->seq, tp->snd_nxt)) {
		INET_ECN_xmit(sk);
		if (tp->ecn_flags & TCP_ECN_QUEUE_CWR) {
			tp->ecn_flags &= (uint8_t)~TCP_ECN_QUEUE_CWR;
			skb->flags |= TCPHDR_CWR;
		}
	} else {
		INET_ECN_dontxmit(sk);
	}
	if (tp->ecn_flags & TCP_ECN_DEMAND_CWR)
		skb->flags |= TCPHDR_ECE;
}

/*
 * Models: net/ipv4/tcp_output.c:__tcp_transmit_skb() — count and hand to IP
 * (ip_queue_xmit -> dev_queue_xmit) with the socket's TOS (its ECN bits).  A
 * qdisc that dropped the packet (NET_XMIT_DROP: local congestion) comes back
 * as a positive error, after tcp_enter_cwr(); the callers then treat the
 * packet as not sent.
 */
int tcp_xmit(struct sock *sk, struct sk_buff *skb)
{
	struct tcp_sock *tp = tcp_sk(sk);
	int err;

	if (!(skb->flags & TCPHDR_SYN))
		tcp_ecn_send(sk, skb);
	skb->ecn = sk->inet_tos & INET_ECN_MASK;

	TCP_INC_STATS(sock_net(sk), OutSegs);
	tp->segs_out++;
	/* __tcp_transmit_skb: the departure time (no pacing: now) */
	tp->tcp_wstamp_ns = MAX(tp->tcp_wstamp_ns, now_of(sk));
	if (skb->flags & TCPHDR_ACK) {
		/* tcp_event_ack_sent(): this ACK answers everything pending */
		tp->ack_pending = 0;
		sim_timer_delete(&tp->delack_timer);
		if (tp->ack_quick)
			tp->ack_quick--;
	}
	err = dev_queue_xmit(sock_net(sk), skb);
	if (err > 0) {
		tcp_enter_cwr(sk);
		err = net_xmit_eval(err);
	}
	return err;
}

/* ---- connection setup ---- */

/* Models: include/net/tcp.h:tcp_mss_clamp() — TCP_MAXSEG caps an MSS. */
uint32_t tcp_mss_clamp(const struct tcp_sock *tp, uint32_t mss)
{
	return tp->user_mss && tp->user_mss < mss ? tp->user_mss : mss;
}

/* Models: include/net/tcp.h:tcp_full_space() — the window the whole buffer holds. */
uint32_t tcp_full_space(const struct sock *sk)
{
	int win = tcp_win_from_space(sk, sk->sk_rcvbuf);

	return win > 0 ? (uint32_t)win : 0;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_select_initial_window() — the first
 * window (a multiple of the MSS within the clamp; since 6.11 not capped at
 * 64 KiB: a SYN's field carries at most 65535 of it) and the
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
	*rcv_wnd = net->profile->rcv_wnd_init_uncapped ? space : MIN(space, 65535u);
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

	/* dst_metric_advmss(): the route's MTU less the headers (1460 on the
	 * 1500-byte interface, 65495 / 65476 over lo).  Timestamps shrink
	 * mss_cache (tcp_sync_mss(sk, dst_mtu(dst))). */
	tp->advmss = (uint16_t)tcp_mss_clamp(tp, tcp_mtu_to_mss(sk, sk->sk_dst_mtu));	/* TCP_MAXSEG also lowers what we announce */
	/* tcp_sync_mss() before the peer's MSS is known: at most rx_opt.mss_clamp,
	 * which tcp_v4_connect() set to TCP_MSS_DEFAULT (tcp_v6_connect() to
	 * IPV6_MIN_MTU less the headers) and TCP_MAXSEG replaces, less the
	 * timestamp option tcp_header_len counts: in SYN_SENT TCP_MAXSEG and
	 * tcpi_snd_mss read 524 (IPv4), 1208 (IPv6), 988 with TCP_MAXSEG 1000, as
	 * on 6.18.44 (scenarios/tcp/syn-sent-mss.scn).  The SYN-ACK sets it anew. */
	if (tp->user_mss)
		tp->rx_opt_mss_clamp = tp->user_mss;
	tp->mss_cache = MAX(MIN(tcp_mtu_to_mss(sk, sk->sk_dst_mtu), (uint32_t)tp->rx_opt_mss_clamp), 48u) -
			(sock_net(sk)->ipv4.sysctl_tcp_timestamps ? TCPOLEN_TSTAMP_ALIGNED : 0);
	/* tcp_initialize_rcv_mss() runs before tcp_select_initial_window() has
	 * set rcv_wnd: the guess is TCP_MIN_MSS (tcpi_rcv_mss 88 in SYN_SENT) */
	tcp_initialize_rcv_mss(sk);
	tcp_clamp_to_locked_rcvbuf(sk, &tp->window_clamp);
	/* The SYN's window is in multiples of advmss, not mss_cache: the
	 * kernel takes the timestamp bytes off only when it has a recent
	 * timestamp of this peer (rx_opt.ts_recent_stamp), which a new
	 * connection never has here.  64240 on the 1500-byte interface,
	 * 65495 over lo, as Linux's SYNs carry. */
	tcp_select_initial_window(sk, tcp_full_space(sk), tp->advmss, &tp->rcv_wnd,
				  &tp->window_clamp, &tp->rcv_wscale);
	tp->rcv_ssthresh = tp->rcv_wnd;
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
	tcp_ecn_send_syn(sk, skb);
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

/* @q's own node, for linking it into the write queue */
static GList *qskb_link(struct tcp_qskb *q)
{
	q->link = (GList){ .data = q };
	return &q->link;
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

/*
 * Models: net/ipv4/tcp_output.c:tcp_chrono_set() — close the running
 * chronograph, start @new; the kernel times them in tcp_jiffies32, so at
 * HZ=250 every interval is counted in whole 4 ms ticks.
 */
static void tcp_chrono_set(struct sock *sk, enum tcp_chrono new)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t now = (uint32_t)sim_jiffies(sock_net(sk)->sim);

	if (tp->chrono_type > TCP_CHRONO_UNSPEC)
		tp->chrono_stat[tp->chrono_type - 1] += now - tp->chrono_start;
	tp->chrono_start = now;
	tp->chrono_type = (uint8_t)new;
}

/* Models: net/ipv4/tcp_output.c:tcp_chrono_start() — the highest-priority condition wins */
void tcp_chrono_start(struct sock *sk, enum tcp_chrono type)
{
	if (type > tcp_sk(sk)->chrono_type)
		tcp_chrono_set(sk, type);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_chrono_stop() — nothing queued: stop;
 * the condition being timed ended: back to busy.
 */
void tcp_chrono_stop(struct sock *sk, enum tcp_chrono type)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (g_queue_is_empty(&tp->write_queue))	/* tcp_rtx_and_write_queues_empty() */
		tcp_chrono_set(sk, TCP_CHRONO_UNSPEC);
	else if (type == tp->chrono_type)
		tcp_chrono_set(sk, TCP_CHRONO_BUSY);
}

/*
 * Models: net/ipv4/tcp.c:tcp_stream_alloc_skb() + tcp_skb_entail() — a new
 * empty skb at the tail of the write queue, charged its truesize; the first
 * skb of an empty (unsent) write queue starts the busy chronograph
 * (include/net/tcp.h:tcp_add_write_queue_tail()).
 */
struct tcp_qskb *tcp_skb_entail(struct sock *sk)
{
	struct tcp_qskb *q;

	if (!tcp_sk(sk)->send_head)
		tcp_chrono_start(sk, TCP_CHRONO_BUSY);
	q = tcp_skb_add_piece(sk);

	q->gso_head = true;
	q->truesize = TCP_SKB_OVERHEAD;
	sk->sk_wmem_queued += (int)q->truesize;
	return q;
}

/* One more MSS-sized piece of the tail skb (its payload grows past a multiple of the MSS). */
struct tcp_qskb *tcp_skb_add_piece(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = kernel_zalloc(sock_net(sk)->ks, sizeof(*q));	/* skbuff_cache */

	q->seq = q->end_seq = tp->write_seq;
	g_queue_push_tail_link(&tp->write_queue, qskb_link(q));
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

/* The first piece of the skb that piece @l belongs to. */
GList *tcp_skb_first_piece(GList *l)
{
	while (l->prev && !((struct tcp_qskb *)l->data)->gso_head)
		l = l->prev;
	return l;
}

/* The last piece of the skb whose first piece is @l; its payload in *@len, its pieces in *@pcount. */
GList *tcp_skb_last_piece(GList *l, uint32_t *len, uint32_t *pcount)
{
	uint32_t n = 1, bytes = ((struct tcp_qskb *)l->data)->len;

	while (l->next && !((struct tcp_qskb *)l->next->data)->gso_head) {
		l = l->next;
		bytes += ((struct tcp_qskb *)l->data)->len;
		n++;
	}
	if (len)
		*len = bytes;
	if (pcount)
		*pcount = n;
	return l;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_fragment() (TCP_FRAG_IN_WRITE_QUEUE, as
 * tso_fragment() uses it): the pieces after @l become an skb of their own,
 * which costs another skb's truesize.  PSH and FIN stay with the second
 * part: they are on its last piece already.
 */
static void tcp_skb_split_after(struct sock *sk, GList *l)
{
	struct tcp_qskb *n = l->next ? l->next->data : NULL;

	if (!n || n->gso_head)
		return;
	n->gso_head = true;
	n->truesize += TCP_SKB_OVERHEAD;
	sk->sk_wmem_queued += TCP_SKB_OVERHEAD;
}

static void tcp_qskb_free(struct sock *sk, struct tcp_qskb *q)
{
	sk->sk_wmem_queued -= (int)q->truesize;
	kernel_zfree(sock_net(sk)->ks, q, sizeof(*q));	/* back to the simulation's slab */
}

/* Models: net/ipv4/tcp.c:tcp_write_queue_purge() */
void tcp_write_queue_purge(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	GList *l;

	while ((l = g_queue_pop_head_link(&tp->write_queue)))
		tcp_qskb_free(sk, l->data);
	tp->send_head = NULL;
	tp->packets_out = tp->sacked_out = tp->lost_out = tp->retrans_out = 0;
}

/*
 * Remove the acked head of the retransmit queue (tcp_clean_rtx_queue).  When
 * the rest of its skb is still unacked the skb stays (tcp_trim_head()): only
 * the payload is uncharged, the skb's own truesize moves to the next piece.
 */
void tcp_rtx_queue_unlink_head(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = g_queue_pop_head_link(&tp->write_queue)->data;
	struct tcp_qskb *n = qskb_of(tp->write_queue.head);

	if (q->gso_head && n && !n->gso_head) {
		n->gso_head = true;
		n->truesize += TCP_SKB_OVERHEAD;
		q->truesize -= TCP_SKB_OVERHEAD;
	}
	tcp_qskb_free(sk, q);
}

/* ---- sending data ---- */

static sim_time_t current_rto(const struct sock *sk)
{
	return inet_csk((struct sock *)sk)->icsk_rto;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_transmit_skb() for a data (or FIN)
 * segment of a TSO/GSO packet of @pcount segments; @last: the packet's last
 * one.  __tcp_transmit_skb forces PSH on a packet of more than one segment;
 * the device's segmentation (tcp_gso_segment) leaves it on the last segment
 * only, and every other segment is marked as followed by more of its packet.
 * Returns tcp_transmit_skb()'s error: > 0 when the qdisc dropped the segment.
 */
static int tcp_transmit_qskb(struct sock *sk, struct tcp_qskb *q, bool retrans, uint32_t pcount, bool last)
{
	struct tcp_sock *tp = tcp_sk(sk);
	bool psh = pcount > 1 && last;
	uint8_t flags = TCPHDR_ACK | (q->tcp_flags & (TCPHDR_FIN | TCPHDR_PSH)) | (psh ? TCPHDR_PSH : 0);
	struct sk_buff *skb = tcp_make_skb(sk, flags, q->seq, q->len);
	sim_time_t now = now_of(sk);
	int err;

	skb->gso_more = !last;

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
	err = tcp_xmit(sk, skb);
	if (!err)
		trace_tcp_sent(sk, q->len, retrans);
	return err;
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
	/* Network starves with nothing left unsent and a writer out of send
	 * buffer: the sender is send-buffer limited. */
	if (!tcp_is_cwnd_limited(sk) && !tp->send_head && sk->sk_socket && sk->sk_nospace &&
	    (sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_CLOSE_WAIT))
		tcp_chrono_start(sk, TCP_CHRONO_SNDBUF_LIMITED);
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
 * Models: net/ipv4/tcp_output.c:tcp_tso_autosize() — the packet size that
 * sends about 1 ms of data at the pacing rate (sk_pacing_shift 10), plus a
 * bonus for short RTTs (tcp_tso_rtt_log 9: sk_gso_max_size >> (min_rtt_us >> 9)),
 * at most sk_gso_max_size, in segments, at least @min_tso_segs.
 */
static uint32_t tcp_tso_autosize(const struct sock *sk, uint32_t mss_now, uint32_t min_tso_segs)
{
	const struct tcp_sock *tp = tcp_sk((struct sock *)sk);
	uint64_t bytes = tp->pacing_rate >> 10;
	uint32_t min_rtt = tp->min_rtt_us ? tp->min_rtt_us : UINT32_MAX;	/* tcp_min_rtt(): ~0U before a sample */
	uint32_t r = min_rtt >> 9;

	if (r < 32)
		bytes += SK_GSO_MAX_SIZE >> r;
	bytes = MIN(bytes, (uint64_t)SK_GSO_MAX_SIZE);
	return MAX((uint32_t)(bytes / mss_now), min_tso_segs);
}

/* Models: net/ipv4/tcp_output.c:tcp_tso_segs() — how many segments one TSO packet may carry. */
static uint32_t tcp_tso_segs(const struct sock *sk, uint32_t mss_now)
{
	uint32_t min_tso = (uint32_t)sock_net(sk)->ipv4.sysctl_tcp_min_tso_segs;

	return MIN(tcp_tso_autosize(sk, mss_now, min_tso), GSO_MAX_SEGS);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_cwnd_test() — how many segments cwnd
 * lets out now: at most half of cwnd at once, so that at least two TSO
 * packets are in flight.  Before 6.10 a one-segment skb with FIN is not held
 * back (@lone_fin; profile flag cwnd_test_strict_fin: 6.10 removed it).
 */
static uint32_t tcp_cwnd_test(const struct tcp_sock *tp, bool lone_fin)
{
	uint32_t in_flight = tcp_packets_in_flight(tp), cwnd = tp->snd_cwnd, halfcwnd;

	if (lone_fin)
		return 1;
	if (in_flight >= cwnd)
		return 0;
	halfcwnd = MAX(cwnd >> 1, 1u);
	return MIN(halfcwnd, cwnd - in_flight);
}

/* Models: net/ipv4/tcp_output.c:tcp_nagle_check() — hold a partial segment back? */
static bool tcp_nagle_check(bool partial, const struct tcp_sock *tp, int nonagle)
{
	bool minshall = after(tp->snd_sml, tp->snd_una) && !after(tp->snd_sml, tp->snd_nxt);

	return partial && ((nonagle & TCP_NAGLE_CORK) || (!nonagle && tp->packets_out && minshall));
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_mss_split_point() — how many bytes of
 * the skb (@len bytes from @seq; @is_tail: the last skb of the queue) one
 * packet may carry: @max_segs segments, the peer's window, and no partial
 * last segment Nagle would hold back.
 */
static uint32_t tcp_mss_split_point(const struct tcp_sock *tp, uint32_t seq, uint32_t len, bool is_tail,
				    uint32_t mss_now, uint32_t max_segs, int nonagle)
{
	uint32_t window = tp->snd_una + tp->snd_wnd - seq;	/* tcp_wnd_end() - seq */
	uint32_t max_len = mss_now * max_segs, needed, partial;

	if (max_len <= window && !is_tail)
		return max_len;
	needed = MIN(len, window);
	if (max_len <= needed)
		return max_len;
	partial = needed % mss_now;
	/* If the last segment is not a full MSS, check whether Nagle lets it
	 * go in this packet; otherwise split at the last MSS boundary. */
	if (tcp_nagle_check(partial != 0, tp, nonagle))
		return needed - partial;
	return needed;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_tso_should_defer() — wait for more
 * window to send a bigger TSO packet?  Only right after a transmission (1 ms),
 * outside Recovery/Loss, when neither a full packet nor 1/tcp_tso_win_divisor
 * of the window can go, and the next ACK is due within half an RTT.
 */
static bool tcp_tso_should_defer(struct sock *sk, GList *skb, uint32_t len, bool *is_cwnd_limited,
				 uint32_t max_segs)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_qskb *first = skb->data, *last = tcp_skb_last_piece(skb, NULL, NULL)->data;
	const struct tcp_qskb *head;
	sim_time_t now = now_of(sk);
	uint32_t in_flight, send_win, cong_win, limit;
	int win_divisor = sock_net(sk)->ipv4.sysctl_tcp_tso_win_divisor;

	if (tp->icsk.icsk_ca_state >= TCP_CA_Recovery)
		return false;
	/* Avoid bursty behavior: defer only if the last write was recent (1 ms). */
	if ((int64_t)(now - tp->tcp_wstamp_ns) - (int64_t)SIM_MSEC(1) > 0)
		return false;
	in_flight = tcp_packets_in_flight(tp);
	send_win = tp->snd_una + tp->snd_wnd - first->seq;
	cong_win = (tp->snd_cwnd - in_flight) * tp->mss_cache;
	limit = MIN(send_win, cong_win);
	/* If a full-sized TSO skb can be sent, do it. */
	if (limit >= max_segs * tp->mss_cache)
		return false;
	/* Middle in queue won't get any more data, full sendable already? */
	if (tcp_skb_last_piece(skb, NULL, NULL) != tp->write_queue.tail && limit >= len)
		return false;
	if (win_divisor) {
		uint32_t chunk = MIN(tp->snd_wnd, tp->snd_cwnd * tp->mss_cache) / (uint32_t)win_divisor;

		/* If at least some fraction of a window is available, just use it. */
		if (limit >= chunk)
			return false;
	} else if (limit > 3 * tp->mss_cache) {	/* tcp_max_tso_deferred_mss() */
		return false;
	}
	head = tcp_rtx_queue_head(tp);
	if (!head)
		return false;
	/* If the next ACK is likely to come too late (half srtt), do not defer. */
	if ((int64_t)(now - head->tx_time) - (int64_t)SIM_USEC(tp->srtt_us >> 4) < 0)
		return false;
	if (cong_win < send_win) {
		if (cong_win <= len) {
			*is_cwnd_limited = true;
			return true;
		}
	} else if (send_win <= len) {
		return true;	/* is_rwnd_limited */
	}
	/* If this packet won't get more data, do not wait. */
	if ((last->tcp_flags & TCPHDR_FIN) || last->eor)
		return false;
	return true;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_write_xmit() — send queued skbs while
 * cwnd, the peer's window, Nagle and TSO deferral allow, each as one
 * TSO/GSO packet of up to tcp_tso_segs() segments (cut with tso_fragment()
 * where cwnd or the window ends).  @push_one: 1 sends at most one packet,
 * 2 (a loss probe) one segment even when cwnd is full and without
 * scheduling another probe.  Returns true when something could not be sent
 * because the peer's window is closed and nothing is in flight (the caller
 * arms the probe timer).
 */
/*
 * Move @k bytes from the front of unsent piece @from to the end of piece @to
 * (skb_shift(): the payload's truesize moves with it).  An emptied piece goes;
 * its FIN and PSH move to @to, its skb head charge to the next piece of its skb, or,
 * when it was the skb's only piece, is freed (tcp_eat_one_skb()).
 */
static void tcp_qskb_shift(struct sock *sk, GList *to, GList *from, uint32_t k)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *t = to->data, *f = from->data;
	struct tcp_qskb *fn = from->next ? from->next->data : NULL;

	t->len += k;
	t->end_seq += k;
	t->truesize += k;
	f->seq += k;
	f->len -= k;
	f->truesize -= k;
	if (f->len)
		return;
	t->tcp_flags |= f->tcp_flags & (TCPHDR_FIN | TCPHDR_PSH);
	t->end_seq = f->end_seq;
	t->eor |= f->eor;
	if (f->gso_head && fn && !fn->gso_head) {
		fn->gso_head = true;
		fn->truesize += TCP_SKB_OVERHEAD;
		f->truesize -= TCP_SKB_OVERHEAD;
	}
	g_queue_unlink(&tp->write_queue, from);
	tcp_qskb_free(sk, f);
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_grow_skb() (6.10+, profile flag
 * tcp_grow_skb) — the send head skb is smaller than the cwnd quota: move up
 * to @amount bytes of the next skb into it.  An emptied next skb is freed,
 * which gives back its head truesize: a send into a closed window then
 * grows one unsent skb instead of queueing one skb per size goal.  Pieces
 * stay one MSS each: the moved bytes first fill the head skb's last piece.
 */
static void tcp_grow_skb(struct sock *sk, GList *last, uint32_t amount, uint32_t mss)
{
	struct tcp_qskb *lq = last->data;
	uint8_t psh = lq->tcp_flags & TCPHDR_PSH;
	uint32_t next_len, nlen;
	GList *to = last;

	if (!last->next || lq->eor || (lq->tcp_flags & TCPHDR_FIN))	/* tcp_skb_can_collapse() */
		return;
	tcp_skb_last_piece(last->next, &next_len, NULL);
	nlen = MIN(amount, next_len);
	if (!nlen)
		return;
	lq->tcp_flags &= (uint8_t)~TCPHDR_PSH;
	while (nlen) {
		struct tcp_qskb *t = to->data, *f = to->next->data;
		uint32_t k;

		if (t->len >= mss) {
			/* the head skb's last piece is full: the next bytes
			 * become a new piece of the head skb */
			struct tcp_qskb *q = kernel_zalloc(sock_net(sk)->ks, sizeof(*q));

			q->seq = q->end_seq = f->seq;
			g_queue_insert_after_link(&tcp_sk(sk)->write_queue, to, qskb_link(q));
			to = to->next;
			continue;
		}
		k = MIN(MIN(mss - t->len, f->len), nlen);
		tcp_qskb_shift(sk, to, to->next, k);
		nlen -= k;
	}
	/* the head skb's PSH stays on its (new) last piece; a consumed next
	 * skb brought its own along (tcp_qskb_shift) */
	for (GList *l = last; l != to; l = l->next)
		((struct tcp_qskb *)l->data)->tcp_flags &= (uint8_t)~TCPHDR_PSH;
	((struct tcp_qskb *)to->data)->tcp_flags |= psh;
}

bool tcp_write_xmit(struct sock *sk, int nonagle, int push_one)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t mss_now = tcp_current_mss(sk), max_segs;
	bool is_cwnd_limited = false, is_rwnd_limited = false, xmit_failed = false;
	uint32_t sent = 0;
	GList *skb;

	if (sk->sk_state != TCP_ESTABLISHED && sk->sk_state != TCP_CLOSE_WAIT &&
	    sk->sk_state != TCP_FIN_WAIT1 && sk->sk_state != TCP_LAST_ACK &&
	    sk->sk_state != TCP_CLOSING)
		return false;
	tcp_slow_start_after_idle_check(sk);
	max_segs = tcp_tso_segs(sk, mss_now);
	while ((skb = tp->send_head)) {
		uint32_t len, tso_segs, cwnd_quota, limit;
		GList *last = tcp_skb_last_piece(skb, &len, &tso_segs);
		const struct tcp_qskb *lq = last->data;
		bool is_tail = last == tp->write_queue.tail;

		cwnd_quota = tcp_cwnd_test(tp, !sock_net(sk)->profile->cwnd_test_strict_fin &&
					   tso_segs == 1 && (lq->tcp_flags & TCPHDR_FIN));
		if (!cwnd_quota) {
			if (push_one == 2) {
				cwnd_quota = 1;	/* Force out a loss probe pkt. */
			} else {
				is_cwnd_limited = true;
				break;
			}
		}
		cwnd_quota = MIN(cwnd_quota, max_segs);
		if (sock_net(sk)->profile->tcp_grow_skb && cwnd_quota * mss_now > len) {
			tcp_grow_skb(sk, last, cwnd_quota * mss_now - len, mss_now);
			last = tcp_skb_last_piece(skb, &len, &tso_segs);
			lq = last->data;
			is_tail = last == tp->write_queue.tail;
		}
		if (!tcp_snd_wnd_test(tp, skb->data)) {
			is_rwnd_limited = true;
			break;
		}
		if (tso_segs == 1) {
			if (!tcp_nagle_test(tp, skb->data, is_tail ? nonagle : TCP_NAGLE_PUSH))
				break;
		} else if (!push_one && tcp_tso_should_defer(sk, skb, len, &is_cwnd_limited, max_segs)) {
			break;
		}
		limit = mss_now;
		if (tso_segs > 1)
			limit = tcp_mss_split_point(tp, ((struct tcp_qskb *)skb->data)->seq, len, is_tail,
						    mss_now, cwnd_quota, nonagle);
		if (!limit)
			break;
		if (len > limit) {
			/* tso_fragment(): the first @limit bytes go now */
			uint32_t upto = ((struct tcp_qskb *)skb->data)->seq + limit;
			struct tcp_qskb *cq;

			last = skb;
			while (cq = last->data, before(cq->seq + cq->len, upto))
				last = last->next;
			if (after(cq->seq + cq->len, upto))
				tcp_fragment(sk, last, upto - cq->seq);
			tcp_skb_split_after(sk, last);
			tso_segs = 1;
			for (GList *l = skb; l != last; l = l->next)
				tso_segs++;
		}
		if (!tp->packets_out && tp->ca_ops->cwnd_event)
			tp->ca_ops->cwnd_event(sk, CA_EVENT_TX_START);
		for (GList *l = skb, *next; ; l = next) {
			struct tcp_qskb *q = l->data;

			next = l->next;
			/* the qdisc dropped it: not sent, stop here */
			if (tcp_transmit_qskb(sk, q, false, tso_segs, l == last)) {
				xmit_failed = true;
				break;
			}
			tcp_event_new_data_sent(sk, q);
			tcp_minshall_update(tp, q);
			sent++;
			if (l == last)
				break;
		}
		if (push_one || xmit_failed)
			break;
	}
	if (is_rwnd_limited)
		tcp_chrono_start(sk, TCP_CHRONO_RWND_LIMITED);
	else
		tcp_chrono_stop(sk, TCP_CHRONO_RWND_LIMITED);
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
 * @q is a segment of a retransmitted TSO/GSO packet of @pcount segments,
 * @last its last one (which gets PSH when @pcount > 1, see tcp_transmit_qskb).
 * Returns tcp_transmit_skb()'s error (> 0: the qdisc dropped it).
 */
static int __tcp_retransmit_skb(struct sock *sk, struct tcp_qskb *q, uint32_t pcount, bool last)
{
	struct tcp_sock *tp = tcp_sk(sk);

	if (!tp->retrans_stamp)
		tp->retrans_stamp = tcp_time_stamp_ms(q->first_tx);
	tp->total_retrans++;
	TCP_INC_STATS(sock_net(sk), RetransSegs);
	tp->bytes_retrans += q->len;
	q->sacked |= TCPCB_EVER_RETRANS;
	return tcp_transmit_qskb(sk, q, true, pcount, last);
}

/*
 * The pieces that net/ipv4/tcp_output.c:__tcp_retransmit_skb() sends as one
 * TSO/GSO packet from piece @l: at most @segs segments (len = cur_mss * segs,
 * cut to whole segments of what is left of the peer's window: avail_wnd), of
 * the kernel skb that @l begins.  That skb ends where the next piece starts
 * an skb of its own or has another SACK state (tcp_sacktag_walk's
 * tcp_match_skb_to_sack fragments an skb at a SACK block's edge, and a
 * retransmission of part of an skb fragments it too).  When the packet ends
 * inside the skb, tcp_fragment (TCP_FRAG_IN_RTX_QUEUE) makes the rest an skb
 * of its own.  Returns the last piece sent; the packet's segments in *@pcount.
 */
static GList *tcp_retrans_extent(struct sock *sk, GList *l, uint32_t segs, uint32_t *pcount)
{
	struct tcp_sock *tp = tcp_sk(sk);
	const struct tcp_qskb *first = l->data;
	uint32_t cur_mss = tcp_current_mss(sk);
	int32_t avail_wnd = (int32_t)(tp->snd_una + tp->snd_wnd - first->seq);	/* tcp_wnd_end() - seq */
	uint32_t len = cur_mss * segs, bytes = first->len, n = 1;	/* n: pieces */
	GList *last = l;

	if (avail_wnd <= 0)
		avail_wnd = (int32_t)cur_mss;	/* a zero window: one segment probes it */
	if (len > (uint32_t)avail_wnd) {
		len = (uint32_t)avail_wnd / cur_mss * cur_mss;
		if (!len)
			len = (uint32_t)avail_wnd;
	}
	while (last->next && last->next != tp->send_head) {
		const struct tcp_qskb *nq = last->next->data;

		if (nq->gso_head || nq->sacked != first->sacked)
			break;
		if (bytes + nq->len > len) {
			tcp_skb_split_after(sk, last);	/* tcp_fragment() */
			break;
		}
		bytes += nq->len;
		n++;
		last = last->next;
	}
	/* tcp_set_skb_tso_segs(): segments of cur_mss (a piece cut at an
	 * older, smaller MSS is no segment of its own) */
	*pcount = n > 1 ? (bytes + cur_mss - 1) / cur_mss : 1;
	return last;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_retransmit_skb() — for the SYN
 * (SYN_SENT), the SYN-ACK of a simultaneous open (SYN_RECV), or the queued
 * data/FIN skb that begins at piece @skb: up to @segs of its segments go as
 * one TSO/GSO packet (tcp_retrans_extent()); the RTO sends one (@segs 1).
 * Returns the last piece sent through *@last when @last is not NULL, and the
 * transmit's error: > 0 when the qdisc dropped it (local congestion), and
 * then the dropped piece is not in flight again.
 */
int tcp_retransmit_skb(struct sock *sk, GList *skb, uint32_t segs, GList **last)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t pcount;
	GList *end;
	int err = 0;

	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV) {
		if (!tp->retrans_stamp)
			tp->retrans_stamp = tcp_time_stamp_ms(now_of(sk));
		tp->total_retrans++;
		TCP_INC_STATS(sock_net(sk), RetransSegs);
		uint8_t flags = sk->sk_state == TCP_SYN_SENT ? TCPHDR_SYN : TCPHDR_SYN | TCPHDR_ACK;
		struct sk_buff *syn;

		/* the queued SYN as tcp_ecn_send_syn() left it, or the SYN-ACK
		 * tcp_ecn_send_synack() made of it */
		if (tcp_ecn_ok(tp))
			flags |= sk->sk_state == TCP_SYN_SENT ? TCPHDR_ECE | TCPHDR_CWR : TCPHDR_ECE;
		syn = tcp_make_skb(sk, flags, tp->snd_una, 0);
		/* RFC 3168 6.1.1.1: ECN fallback on a SYN that asked */
		if ((syn->flags & (TCPHDR_SYN | TCPHDR_ECE | TCPHDR_CWR)) == (TCPHDR_SYN | TCPHDR_ECE | TCPHDR_CWR))
			tcp_ecn_clear_syn(sk, syn);

		NET_INC_STATS(sock_net(sk), TCPSynRetrans);
		sk_trace(sk, "tcp_retransmit_skb", "net/ipv4/tcp_timer.c:tcp_retransmit_timer",
			 "state=%s seq=%u retransmits=%u", tcp_state_name(sk->sk_state), syn->seq,
			 inet_csk(sk)->icsk_retransmits);
		return tcp_xmit(sk, syn);
	}
	if (!skb)
		return -SIM_EINVAL;
	end = tcp_retrans_extent(sk, skb, MAX(segs, 1u), &pcount);
	for (GList *l = skb; ; l = l->next) {
		struct tcp_qskb *q = l->data;
		bool marked = false;

		/* marked before it goes out (the kernel marks it just after), so
		 * that the trace's in_flight counts it */
		if (!(q->sacked & TCPCB_SACKED_RETRANS)) {
			q->sacked |= TCPCB_SACKED_RETRANS;
			tp->retrans_out++;
			marked = true;
		}
		err = __tcp_retransmit_skb(sk, q, pcount, l == end);
		if (err) {
			/* the kernel marks it only when it went out */
			if (marked) {
				q->sacked &= (uint8_t)~TCPCB_SACKED_RETRANS;
				tp->retrans_out--;
			}
			end = l;
			break;
		}
		if (l == end)
			break;
	}
	if (last)
		*last = end;
	return err;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_xmit_retransmit_queue() — resend the
 * skbs marked lost, oldest first, each as one TSO/GSO packet of at most
 * min(cwnd - in_flight, tcp_tso_segs()) segments, while cwnd allows.
 */
void tcp_xmit_retransmit_queue(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	uint32_t max_segs = tcp_tso_segs(sk, tcp_current_mss(sk));

	for (GList *l = tp->write_queue.head; l && l != tp->send_head; l = l->next) {
		struct tcp_qskb *q = l->data;
		uint32_t in_flight = tcp_packets_in_flight(tp), prior_retrans = tp->retrans_out;
		bool head = q == tcp_rtx_queue_head(tp);

		if (in_flight >= tp->snd_cwnd)
			break;
		if (!(q->sacked & TCPCB_LOST) || (q->sacked & (TCPCB_SACKED_ACKED | TCPCB_SACKED_RETRANS)))
			continue;
		if (tcp_retransmit_skb(sk, l, MIN(tp->snd_cwnd - in_flight, max_segs), &l))
			break;
		/* tcp_in_cwnd_reduction(): Recovery or CWR; tcp_skb_pcount(skb) */
		if (tp->icsk.icsk_ca_state == TCP_CA_Recovery || tp->icsk.icsk_ca_state == TCP_CA_CWR)
			tp->prr_out += tp->retrans_out - prior_retrans;
		if (head)
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
	if (__tcp_retransmit_skb(sk, q, 1, true))
		goto rearm_timer;
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
 * Split queued piece @link so that its first part holds @len bytes; the rest
 * becomes a piece of the same skb right after it (tcp_skb_split_after() then
 * makes the new skb that tcp_fragment() creates).
 */
static void tcp_fragment(struct sock *sk, GList *link, uint32_t len)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = link->data;
	struct tcp_qskb *rest = kernel_zalloc(sock_net(sk)->ks, sizeof(*rest));

	rest->seq = q->seq + len;
	rest->end_seq = q->end_seq;
	rest->len = q->len - len;
	rest->tcp_flags = q->tcp_flags;
	rest->eor = q->eor;		/* tcp_skb_fragment_eor() */
	q->eor = false;
	rest->truesize = rest->len;
	q->tcp_flags &= (uint8_t)~(TCPHDR_FIN | TCPHDR_PSH);
	q->len = len;
	q->end_seq = q->seq + len;
	q->truesize -= rest->len;
	g_queue_insert_after_link(&tp->write_queue, link, qskb_link(rest));
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_xmit_probe_skb() — a zero-window probe
 * is an ACK with an old sequence number (snd_una - 1), which the receiver
 * must answer with its current window.  Returns the transmit's error.
 */
static int tcp_xmit_probe_skb(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);

	sk_trace(sk, "tcp_send_probe0", "net/ipv4/tcp_timer.c:tcp_probe_timer",
		 "seq=%u probes=%u backoff=%u", tp->snd_una - 1, tp->icsk_probes_out,
		 inet_csk(sk)->icsk_backoff);
	NET_INC_STATS(sock_net(sk), TCPWinProbe);
	return tcp_xmit(sk, tcp_make_skb(sk, TCPHDR_ACK, tp->snd_una - 1, 0));
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_write_wakeup() — the persist timer:
 * if the peer's window has room for part of the next segment, send that
 * part (splitting the segment); otherwise send a zero-window probe
 * (tcp_xmit_probe_skb).  Returns -1 on a closed socket, else the
 * transmit's error: 0 sent, > 0 the qdisc dropped it (local congestion).
 */
int tcp_write_wakeup(struct sock *sk)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct tcp_qskb *q = tp->send_head ? tp->send_head->data : NULL;
	uint32_t room;
	int err;

	if (sk->sk_state == TCP_CLOSE)
		return -1;
	if (!q || !before(q->seq, tp->snd_una + tp->snd_wnd))
		return tcp_xmit_probe_skb(sk);
	room = tp->snd_una + tp->snd_wnd - q->seq;
	if (room < q->len)
		tcp_fragment(sk, tp->send_head, room);
	tcp_skb_split_after(sk, tp->send_head);	/* at most one segment goes */
	q->tcp_flags |= TCPHDR_PSH;
	err = tcp_transmit_qskb(sk, q, false, 1, true);
	if (!err) {
		tcp_event_new_data_sent(sk, q);
		tcp_minshall_update(tp, q);
	}
	return err;
}

/*
 * Models: net/ipv4/tcp_output.c:tcp_send_probe0() — the probe timer fired:
 * tcp_write_wakeup(); if that put data in flight (or nothing is left to
 * send) the probing is over.  Otherwise count the probe and re-arm: backed
 * off (tcp_probe0_when) when it went out, every TCP_RESOURCE_PROBE_INTERVAL
 * without backoff when the qdisc dropped it ("let senders fight for local
 * resources conservatively"), never past TCP_USER_TIMEOUT
 * (tcp_clamp_probe0_to_user_timeout).
 */
void tcp_send_probe0(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct tcp_sock *tp = tcp_sk(sk);
	unsigned int retries2 = (unsigned int)sock_net(sk)->ipv4.sysctl_tcp_retries2;
	sim_time_t timeout;
	int err;

	err = tcp_write_wakeup(sk);
	if (tp->packets_out || !tp->send_head) {
		/* Cancel probe timer, if it is not required. */
		tp->icsk_probes_out = 0;
		icsk->icsk_backoff = 0;
		tp->probes_tstamp = 0;
		return;
	}
	tp->icsk_probes_out++;
	if (err <= 0) {
		if (icsk->icsk_backoff < retries2)
			icsk->icsk_backoff++;
		timeout = tcp_probe0_when(sk, icsk->icsk_rto_max);
	} else {
		timeout = TCP_RESOURCE_PROBE_INTERVAL;
	}
	timeout = tcp_clamp_probe0_to_user_timeout(sk, timeout);
	inet_csk_reset_xmit_timer(sk, ICSK_TIME_PROBE0, timeout, icsk->icsk_rto_max);
}

/* Models: include/net/tcp.h:tcp_probe0_when() — the backed-off probe interval. */
sim_time_t tcp_probe0_when(const struct sock *sk, sim_time_t max_when)
{
	/* ilog2(TCP_RTO_MAX / TCP_RTO_MIN) + 1 */
	unsigned int backoff = MIN(inet_csk((struct sock *)sk)->icsk_backoff, 10u);

	return MIN(tcp_probe0_base(sk) << backoff, max_when);
}

/* Models: net/ipv4/tcp_output.c:tcp_mss_to_mtu()/tcp_current_mss(), reduced. */
uint32_t tcp_current_mss(const struct sock *sk)
{
	return tcp_sk((struct sock *)sk)->mss_cache;
}
