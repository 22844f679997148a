/* SPDX-License-Identifier: MIT */
/* Segments for a request sock.  Models: net/ipv4/tcp_minisocks.c @ v6.18. */
#include <glib.h>

#include "net/net_namespace.h"
#include "trace/events/sock.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
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
static struct sock *tcp_v4_syn_recv_sock(struct sock *listener, struct request_sock *req)
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
	tp->mss_cache = req->mss - (req->ts_ok ? 12 : 0);
	tp->rcv_mss = (uint16_t)tp->mss_cache;
	/* tcp_create_openreq_child: the window the SYN-ACK advertised */
	tp->window_clamp = req->window_clamp;
	tp->rcv_wnd = req->rcv_wnd;
	tp->rcv_wscale = req->rcv_wscale;
	tcp_apply_syn_options(child, req->snd_wscale, req->sack_ok);
	tp->snd_wnd = tp->max_window = req->peer_window;
	/* tcp_v4_syn_recv_sock(): tcp_sync_mss() bounds the MSS to half the
	 * peer's largest window */
	tp->mss_cache = tcp_bound_to_half_wnd(tp, tp->mss_cache);
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
	child = tcp_v4_syn_recv_sock(listener, req);
	/* the completing ACK carries the peer's first scaled window */
	tcp_sk(child)->snd_wnd = (uint32_t)skb->window << tcp_sk(child)->snd_wscale;
	tcp_sk(child)->max_window = tcp_sk(child)->snd_wnd;
	tcp_sk(child)->snd_wl1 = skb->seq;
	inet_csk_reqsk_queue_add(listener, req, child);
	if (skb->len || (skb->flags & TCPHDR_FIN))
		tcp_rcv_state_process(child, skb);
	return child;
}
