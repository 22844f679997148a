/* SPDX-License-Identifier: MIT */
/* Segments for a request sock.  Models: net/ipv4/tcp_minisocks.c @ v6.18. */
#include <glib.h>

#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "sim/trace.h"

#define TCP_INVALID_RATELIMIT SIM_MSEC(500)	/* net.ipv4.tcp_invalid_ratelimit */

static void trace_req(struct sock *listener, struct request_sock *req, const char *event,
		      const char *detail)
{
	char label[24];

	g_snprintf(label, sizeof(label), "req#%u", req->id);
	sim_trace(sock_net(listener)->sim, sock_net(listener)->name, label, event,
		  "net/ipv4/tcp_minisocks.c:tcp_check_req", "%s", detail);
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_syn_recv_sock() + tcp_create_openreq_child():
 * the child socket, ESTABLISHED once it processes the ACK.
 */
static struct sock *tcp_v4_syn_recv_sock(struct sock *listener, const struct sk_buff *skb,
					 struct request_sock *req)
{
	struct net *net = sock_net(listener);
	/* sk_clone_lock() copies the listener: an AF_INET6 listener's child is
	 * AF_INET6 even for an IPv4 SYN (tcp_v6_syn_recv_sock's mapped branch) */
	struct sock *child = listener->sk_family == AF_INET6 ? sk_alloc(net, AF_INET6, &tcpv6_prot) :
							       sk_alloc(net, AF_INET, &tcp_prot);
	struct tcp_sock *tp = tcp_sk(child);
	sim_time_t now = net_now(net);

	sock_init_data(NULL, child);
	child->sk_prot->init(child);
	/* sk_clone_lock(): what the listener's options set carries over */
	child->sk_rcvbuf = listener->sk_rcvbuf;
	child->sk_sndbuf = listener->sk_sndbuf;
	child->sk_userlocks = listener->sk_userlocks;
	child->sk_reuse = listener->sk_reuse;	/* the TIME_WAIT socket keeps it (tw_reuse) */
	child->sk_rcvtimeo = listener->sk_rcvtimeo;
	child->sk_sndtimeo = listener->sk_sndtimeo;
	child->sock_linger = listener->sock_linger;	/* sk_flags: SOCK_LINGER (measured on 6.18) */
	child->inet_tos = listener->inet_tos;
	child->inet_pmtudisc = listener->inet_pmtudisc;
	tp->nonagle = tcp_sk(listener)->nonagle;
	tp->user_mss = tcp_sk(listener)->user_mss;
	tp->ca_ops = tcp_sk(listener)->ca_ops;
	inet_csk(child)->icsk_user_timeout = inet_csk(listener)->icsk_user_timeout;
	inet_csk(child)->icsk_rto_max = inet_csk(listener)->icsk_rto_max;
	child->inet_saddr = child->inet_rcv_saddr = req->loc_addr;
	child->inet_daddr = req->rmt_addr;
	child->inet_sport = req->loc_port;
	inet_inherit_port(listener, child);
	child->inet_dport = req->rmt_port;
	if (req->family == AF_INET6) {	/* tcp_v6_syn_recv_sock() */
		child->sk_v6_daddr = req->ir_v6_rmt_addr;
		child->sk_v6_rcv_saddr = req->ir_v6_loc_addr;
		child->sk_ipv6only = listener->sk_ipv6only;
	} else if (child->sk_family == AF_INET6) {
		/* Models: net/ipv6/tcp_ipv6.c:tcp_v6_syn_recv_sock(), an IPv4 SYN
		 * (skb->protocol ETH_P_IP): the child of tcp_v4_syn_recv_sock()
		 * gets v4-mapped addresses and the ipv6_mapped af_ops (IPv4 on the
		 * wire, inet6_csk_xmit leaves it alone). */
		ipv6_addr_set_v4mapped(req->rmt_addr, &child->sk_v6_daddr);
		ipv6_addr_set_v4mapped(req->loc_addr, &child->sk_v6_rcv_saddr);
	}
	tp->rcv_nxt = tp->rcv_wup = tp->copied_seq = req->rcv_isn + 1;
	tp->snd_una = tp->snd_nxt = tp->write_seq = tp->pushed_seq = tp->snd_sml = req->snt_isn + 1;
	tp->snd_isn = req->snt_isn;
	child->sk_dst_mtu = dst_mtu_to(sock_net(listener), req->rmt_addr,
				       req->family == AF_INET6 ? AF_INET6 : AF_INET);	/* inet_csk_route_child_sock() */
	tp->advmss = (uint16_t)tcp_mss_clamp(tcp_sk(listener), req_advmss(req));
	/* req->mss already carries the listener's TCP_MAXSEG */
	tp->tstamp_ok = req->ts_ok;
	tp->ecn_flags = req->ecn_ok ? TCP_ECN_OK : 0;	/* tcp_ecn_openreq_child() */
	tp->mss_cache = req->mss - (req->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0);
	tp->rx_opt_mss_clamp = req->mss;	/* tcp_create_openreq_child(): newtp->rx_opt.mss_clamp */
	/* tcp_create_openreq_child: the window the SYN-ACK advertised */
	tp->window_clamp = req->window_clamp;
	tp->rcv_wnd = req->rcv_wnd;
	tp->rcv_ssthresh = req->rcv_wnd;
	tp->rcv_wscale = req->rcv_wscale;
	tcp_apply_syn_options(child, req->snd_wscale, req->sack_ok);
	/* tcp_create_openreq_child(): the send window is the completing ACK's,
	 * scaled (over lo 65536, where the SYN offered 65495) */
	tp->snd_wnd = tp->max_window = (uint32_t)skb->window << tp->snd_wscale;
	/* tcp_v4_syn_recv_sock(): tcp_sync_mss() bounds the MSS to half the
	 * peer's largest window: 32768 on an accepted lo socket, as on 6.18 */
	tp->mss_cache = tcp_bound_to_half_wnd(tp, tp->mss_cache);
	tcp_initialize_rcv_mss(child);
	tp->snd_wl1 = req->rcv_isn;
	tp->total_retrans = req->num_retrans;
	tp->lrcvtime = now;	/* tcp_create_openreq_child(): newicsk->icsk_ack.lrcvtime */
	inet_csk(child)->listener = listener;
	child->sk_state = TCP_SYN_RECV;
	trace_sock_state(child);
	inet_hash(child);
	TCP_INC_STATS(net, PassiveOpens);
	/* RTT seed: SYN-ACK -> ACK, only if the SYN-ACK was never retransmitted. */
	tcp_set_state(child, TCP_ESTABLISHED);
	tcp_init_transfer(child, req->num_retrans == 0, now - req->snt_synack);
	/* tcp_rcv_state_process(), TCP_SYN_RECV: the first pacing rate, from the
	 * SYN-ACK's RTT (no modelled CA module has cong_control); tcp_tso_autosize
	 * sizes the first TSO packets from it */
	tcp_update_pacing_rate(child);
	return child;
}

/*
 * Models: net/ipv4/tcp_minisocks.c:tcp_check_req().  Returns the child,
 * NULL (segment consumed), or the listener (the caller handles the segment
 * on the listener, which answers a bad ACK with a RST).
 */
struct sock *tcp_check_req(struct sock *listener, struct sk_buff *skb,
			   struct request_sock *req)
{
	struct net *net = sock_net(listener);
	sim_time_t now = net_now(net);
	struct sock *child;

	/* A retransmitted SYN: re-send the SYN-ACK (rate-limited), restart the timer. */
	if ((skb->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) == TCPHDR_SYN &&
	    skb->seq == req->rcv_isn) {
		if (!req->last_oow_ack_time || now - req->last_oow_ack_time >= TCP_INVALID_RATELIMIT) {
			req->last_oow_ack_time = now;
			trace_req(listener, req, "tcp_retransmit_synack", "reason=syn-retransmit");
			tcp_rtx_synack(listener, req);
			if (!req->cookie)
				sim_mod_timer(&req->rsk_timer,
					      now + MIN(req->timeout << req->num_timeout, TCP_RTO_MAX));
		}
		return NULL;
	}
	if ((skb->flags & TCPHDR_ACK) && skb->ack_seq != req->snt_isn + 1)
		return listener;
	if (skb->flags & TCPHDR_RST) {
		trace_req(listener, req, "reqsk_drop", "reason=rst");
		inet_csk_reqsk_queue_drop(listener, req);
		return NULL;
	}
	if (skb->flags & TCPHDR_SYN) {
		/* A new SYN in window: RFC 793 says reset. */
		NET_INC_STATS(net, EmbryonicRsts);
		tcp_v4_send_reset(net, skb, "syn-in-window");
		inet_csk_reqsk_queue_drop(listener, req);
		return NULL;
	}
	if (!(skb->flags & TCPHDR_ACK))
		return NULL;
	if (sk_acceptq_is_full(listener)) {
		/* listen_overflow: */
		NET_INC_STATS(net, ListenOverflows);
		NET_INC_STATS(net, ListenDrops);
		if (!net->ipv4.sysctl_tcp_abort_on_overflow) {
			req->acked = true;
			trace_req(listener, req, "tcp_check_req_overflow", "action=ignore-ack");
			return NULL;
		}
		trace_req(listener, req, "tcp_check_req_overflow", "action=reset");
		NET_INC_STATS(net, EmbryonicRsts);
		tcp_v4_send_reset(net, skb, "accept-queue-overflow");
		inet_csk_reqsk_queue_drop(listener, req);
		return NULL;
	}
	child = tcp_v4_syn_recv_sock(listener, skb, req);
	tcp_sk(child)->snd_wl1 = skb->seq;
	inet_csk_reqsk_queue_add(listener, req, child);
	if (skb->len || (skb->flags & TCPHDR_FIN))
		tcp_rcv_state_process(child, skb);
	return child;
}

/*
 * Models: net/ipv4/tcp_minisocks.c:tcp_time_wait() — move a connection in
 * TIME_WAIT (or an orphan's FIN_WAIT2, @state) to a timewait sock and close
 * the full socket.  The wait lasts @timeo, at least 3.5 RTO, and exactly
 * TCP_TIMEWAIT_LEN for TIME_WAIT.  With net.ipv4.tcp_max_tw_buckets timewait
 * socks alive there is none: the socket just closes (TCPTimeWaitOverflow),
 * its 4-tuple and port free at once.
 */
void tcp_time_wait(struct sock *sk, int state, sim_time_t timeo)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	struct inet_timewait_sock *tw = inet_twsk_alloc(sk, state);
	sim_time_t icsk_rto = tp->icsk.icsk_rto;
	sim_time_t rto = (icsk_rto << 2) - (icsk_rto >> 1);

	if (!tw) {
		NET_INC_STATS(sock_net(sk), TCPTimeWaitOverflow);
		tcp_done(sk);
		return;
	}
	tw->tw_rcv_wscale = tp->rcv_wscale;
	tw->tw_rcv_nxt = tp->rcv_nxt;
	tw->tw_snd_nxt = tp->snd_nxt;
	tw->tw_rcv_wnd = tcp_receive_window(tp);
	if (timeo < rto)
		timeo = rto;
	if (state == TCP_TIME_WAIT)
		timeo = TCP_TIMEWAIT_LEN;
	inet_twsk_hashdance_schedule(tw, sk, timeo);
	tcp_done(sk);
}

/*
 * Models: include/net/tcp.h:tcp_timewait_check_oow_rate_limit() — an ACK for
 * an out-of-window segment, at most one per tcp_invalid_ratelimit unless the
 * segment carries data (tcp_oow_rate_limited()).
 */
static enum tcp_tw_status tcp_timewait_check_oow_rate_limit(struct inet_timewait_sock *tw,
							     const struct sk_buff *skb)
{
	sim_time_t now = net_now(tw->tw_net);

	if ((!skb->len && !(skb->flags & TCPHDR_FIN)) || (skb->flags & TCPHDR_SYN)) {
		if (tw->tw_last_oow_ack_time && now - tw->tw_last_oow_ack_time < TCP_INVALID_RATELIMIT)
			return TCP_TW_SUCCESS;	/* TCPACKSkippedFinWait2 / TimeWait */
		tw->tw_last_oow_ack_time = now;
	}
	return TCP_TW_ACK;
}

/* end_seq of a segment: its payload, SYN and FIN */
static uint32_t skb_end_seq(const struct sk_buff *skb)
{
	return skb->seq + skb->len + !!(skb->flags & TCPHDR_SYN) + !!(skb->flags & TCPHDR_FIN);
}

/* Models: net/ipv4/tcp_minisocks.c:tcp_in_window() */
static bool tcp_in_window(uint32_t seq, uint32_t end_seq, uint32_t s_win, uint32_t e_win)
{
	if (seq == s_win)
		return true;
	if (after(end_seq, s_win) && before(seq, e_win))
		return true;
	return seq == e_win && seq == end_seq;
}

/*
 * Models: net/ipv4/tcp_minisocks.c:tcp_timewait_state_process() — a segment
 * for a timewait sock: what tcp_v4_rcv() does next (TCP_TW_*).  No PAWS (no
 * timestamps), so a SYN is new only if its sequence is after tw_rcv_nxt;
 * tcp_rfc1337 is 0 (a RST kills the wait).
 */
enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw,
					      const struct sk_buff *skb, uint32_t *tw_isn)
{
	uint32_t seq = skb->seq, end_seq = skb_end_seq(skb);
	uint8_t f = skb->flags;

	if (tw->tw_substate == TCP_FIN_WAIT2) {
		/* the checks of tcp_rcv_state_process(), again */
		if (!tcp_in_window(seq, end_seq, tw->tw_rcv_nxt, tw->tw_rcv_nxt + tw->tw_rcv_wnd))
			return tcp_timewait_check_oow_rate_limit(tw, skb);
		if (f & TCPHDR_RST) {
			inet_twsk_deschedule_put(tw, "rst");
			return TCP_TW_SUCCESS;
		}
		if ((f & TCPHDR_SYN) && !before(seq, tw->tw_rcv_nxt))
			return TCP_TW_RST;
		/* a duplicate ACK */
		if (!(f & TCPHDR_ACK) || !after(end_seq, tw->tw_rcv_nxt) || end_seq == seq)
			return TCP_TW_SUCCESS;
		/* new data after the half-duplex close, or a FIN not in order: reset */
		if (!(f & TCPHDR_FIN) || end_seq != tw->tw_rcv_nxt + 1)
			return TCP_TW_RST;
		/* the FIN: real TIME_WAIT now */
		tw->tw_substate = TCP_TIME_WAIT;
		tw->tw_rcv_nxt = end_seq;
		inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
		return TCP_TW_ACK;
	}
	/* TIME_WAIT: in window, only a RST or a bare ACK */
	if (seq == tw->tw_rcv_nxt && (seq == end_seq || (f & TCPHDR_RST))) {
		if (f & TCPHDR_RST) {
			inet_twsk_deschedule_put(tw, "rst");	/* tcp_rfc1337 = 0 */
			return TCP_TW_SUCCESS;
		}
		inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
		return TCP_TW_SUCCESS;
	}
	/* a new connection's SYN (RFC 1122 4.2.2.13) */
	if ((f & (TCPHDR_SYN | TCPHDR_RST | TCPHDR_ACK)) == TCPHDR_SYN && after(seq, tw->tw_rcv_nxt)) {
		uint32_t isn = tw->tw_snd_nxt + 65535 + 2;

		*tw_isn = isn ? isn : 1;
		return TCP_TW_SYN;
	}
	if (!(f & TCPHDR_RST)) {
		/* a retransmitted FIN (our ACK was lost), or any other segment:
		 * ACK it, and an ACK restarts the wait */
		if (f & TCPHDR_ACK)
			inet_twsk_reschedule(tw, TCP_TIMEWAIT_LEN);
		return tcp_timewait_check_oow_rate_limit(tw, skb);
	}
	return TCP_TW_SUCCESS;
}
