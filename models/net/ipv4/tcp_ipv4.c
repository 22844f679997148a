/* SPDX-License-Identifier: MIT */
/* IPv4-specific TCP.  Models: net/ipv4/tcp_ipv4.c @ v6.18. */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "net/tcp_ecn.h"
#include "sim/trace.h"

/*
 * Models: net/core/secure_seq.c:secure_tcp_seq() — a keyed hash of the
 * 4-tuple plus a 64 ns clock.  The hash is a seeded per-host stream draw
 * instead of SipHash over a boot secret; the clock term is kept.
 */
uint32_t secure_tcp_seq(struct net *net)
{
	uint32_t hash = (uint32_t)sim_rng_u64(&net->isn_rng);

	return hash + (uint32_t)(net_now(net) >> 6);
}

/* Models: net/ipv4/tcp_ipv4.c:tcp_v4_connect() */
int tcp_v4_connect(struct sock *sk, const struct sockaddr_sim *usin)
{
	struct tcp_sock *tp = tcp_sk(sk);
	struct net *net = sock_net(sk);
	struct rtable_sim rt;
	int err;

	if (usin->addrlen < 16)
		return -SIM_EINVAL;
	if (usin->family != AF_INET)
		return -SIM_EAFNOSUPPORT;
	err = ip_route_connect(net, usin->addr, &rt);
	if (err) {
		if (err == -SIM_ENETUNREACH)
			NET_INC_STATS(net, OutNoRoutes);
		return err;
	}
	if (!sk->inet_saddr)
		sk->inet_saddr = sk->inet_rcv_saddr = rt.saddr;
	sk->inet_dport = usin->port;
	sk->inet_daddr = rt.daddr;
	sk->sk_dst_mtu = rt.mtu;	/* sk_setup_caps(): the route becomes the socket's dst */
	tp->rx_opt_mss_clamp = TCP_MSS_DEFAULT;

	/* Socket identity is still unknown (sport may be zero): hash it in
	 * SYN_SENT, then pick a port. */
	tcp_set_state(sk, TCP_SYN_SENT);
	err = inet_hash_connect(sk);
	if (err)
		goto failure;
	sk->inet_sport = sk->inet_num;
	if (!tp->write_seq)
		tp->write_seq = secure_tcp_seq(net);
	err = tcp_connect(sk);
	if (err)
		goto failure;
	return 0;

failure:
	/* This unhashes the socket and releases the local port, if necessary. */
	tcp_set_state(sk, TCP_CLOSE);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);	/* inet_bhash2_reset_saddr() */
	sk->inet_dport = 0;
	sk->inet_daddr = 0;
	return err;
}

/* Models: net/ipv4/tcp_ipv4.c:tcp_v4_send_reset() — never a RST for a RST. */
void tcp_v4_send_reset(struct net *net, const struct sk_buff *skb, const char *reason)
{
	struct sk_buff *rst;

	if (skb->flags & TCPHDR_RST)
		return;
	rst = skb_alloc(net);
	rst->protocol = IPPROTO_TCP;
	rst->saddr = skb->daddr;
	rst->daddr = skb->saddr;
	rst->source = skb->dest;
	rst->dest = skb->source;
	if (skb->family == AF_INET6)	/* tcp_v6_send_reset(): the addresses swapped */
		tcp_v6_reply_hdr(rst, skb);
	if (skb->flags & TCPHDR_ACK) {
		rst->seq = skb->ack_seq;
		rst->flags = TCPHDR_RST;
	} else {
		rst->ack_seq = skb->seq + skb->len + !!(skb->flags & TCPHDR_SYN) +
			       !!(skb->flags & TCPHDR_FIN);
		rst->flags = TCPHDR_RST | TCPHDR_ACK;
	}
	TCP_INC_STATS(net, OutRsts);
	sim_trace(net->sim, net->name, NULL, "tcp_send_reset",
		  "net/ipv4/tcp_ipv4.c:tcp_v4_send_reset", "reason=%s seq=%u", reason, rst->seq);
	dev_queue_xmit(net, rst);
}

/* Models: net/ipv4/tcp_ipv4.c:tcp_v4_send_synack() (+ tcp_make_synack). */
void tcp_v4_send_synack(struct sock *listener, struct request_sock *req)
{
	struct net *net = sock_net(listener);
	struct sk_buff *skb = skb_alloc(net);
	uint32_t win;

	skb->protocol = IPPROTO_TCP;
	skb->saddr = req->loc_addr;
	skb->daddr = req->rmt_addr;
	skb->source = req->loc_port;
	skb->dest = req->rmt_port;
	if (req->family == AF_INET6) {	/* tcp_v6_send_synack() */
		skb->family = AF_INET6;
		skb->saddr6 = req->ir_v6_loc_addr;
		skb->daddr6 = req->ir_v6_rmt_addr;
	}
	skb->seq = req->snt_isn;
	skb->ack_seq = req->rcv_isn + 1;
	skb->flags = TCPHDR_SYN | TCPHDR_ACK;
	tcp_ecn_make_synack(req, skb);
	/* tcp_openreq_init_rwin(): the listener's clamp, or its fixed SO_RCVBUF;
	 * the window in multiples of our own MSS (advmss, TCP_MAXSEG, less the
	 * timestamp option), not the peer's */
	req->window_clamp = tcp_sk(listener)->window_clamp;
	tcp_clamp_to_locked_rcvbuf(listener, &req->window_clamp);
	tcp_select_initial_window(listener, tcp_full_space(listener),
				  tcp_mss_clamp(tcp_sk(listener), req_advmss(req)) - (req->ts_ok ? TCPOLEN_TSTAMP_ALIGNED : 0u),
				  &req->rcv_wnd, &req->window_clamp, &req->rcv_wscale);
	win = req->rcv_wnd;
	skb->window = (uint16_t)MIN(win, 65535u);	/* tcp_make_synack: never scaled */
	skb->mss = (uint16_t)tcp_mss_clamp(tcp_sk(listener), req_advmss(req));	/* advmss of the route */
	/* the option only answers a peer's, and only if we scale at all */
	skb->wscale = (req->snd_wscale == 0xff || !net->ipv4.sysctl_tcp_window_scaling) ?
		0xff : req->rcv_wscale;
	skb->sack_perm = req->sack_ok;
	skb->ts_ok = req->ts_ok;
	req->snt_synack = net_now(net);
	TCP_INC_STATS(net, OutSegs);
	dev_queue_xmit(net, skb);
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_send_ack() as tcp_v4_timewait_ack()
 * calls it: an ACK built from the timewait sock (tcp_v6_timewait_ack() for
 * an IPv6 segment), seq tw_snd_nxt, ack tw_rcv_nxt, its last window.
 */
void tcp_v4_timewait_ack(struct inet_timewait_sock *tw, const struct sk_buff *skb)
{
	struct net *net = tw->tw_net;
	struct sk_buff *ack = skb_alloc(net);

	ack->protocol = IPPROTO_TCP;
	ack->saddr = skb->daddr;
	ack->daddr = skb->saddr;
	ack->source = skb->dest;
	ack->dest = skb->source;
	if (skb->family == AF_INET6)
		tcp_v6_reply_hdr(ack, skb);
	ack->seq = tw->tw_snd_nxt;
	ack->ack_seq = tw->tw_rcv_nxt;
	ack->flags = TCPHDR_ACK;
	ack->window = (uint16_t)(tw->tw_rcv_wnd >> tw->tw_rcv_wscale);
	TCP_INC_STATS(net, OutSegs);
	dev_queue_xmit(net, ack);
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_rcv()'s do_time_wait: a segment for a
 * timewait sock.  True if a SYN took the 4-tuple over: the caller hands it
 * to the listener, with net->tcp_tw_isn set.
 */
static bool tcp_v4_do_time_wait(struct net *net, struct inet_timewait_sock *tw,
				struct sk_buff *skb)
{
	uint32_t isn = 0;

	switch (tcp_timewait_state_process(tw, skb, &isn)) {
	case TCP_TW_SYN:
		if (skb->family == AF_INET6 ? inet6_lookup_listener(net, &skb->daddr6, skb->dest) :
					      inet_lookup_listener(net, skb->daddr, skb->dest)) {
			inet_twsk_deschedule_put(tw, "syn");
			net->tcp_tw_isn = isn;
			return true;
		}
		tcp_v4_timewait_ack(tw, skb);	/* no listener: ACK it */
		return false;
	case TCP_TW_ACK:
		tcp_v4_timewait_ack(tw, skb);
		return false;
	case TCP_TW_RST:
		tcp_v4_send_reset(net, skb, "timewait-socket");
		inet_twsk_deschedule_put(tw, "rst-sent");
		return false;
	case TCP_TW_SUCCESS:
	default:
		return false;
	}
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_do_rcv() — an established-table
 * socket's segment, directly or from its backlog (sk_backlog_rcv): the state
 * machine, and a RST when it says so.
 */
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	bool synsent = sk->sk_state == TCP_SYN_SENT;

	if (tcp_rcv_state_process(sk, skb))
		tcp_v4_send_reset(sock_net(sk), skb, synsent ? "unacceptable-ack" : "abort-on-data");
	return 0;
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_rcv() — established lookup (a socket,
 * else a timewait sock), then the listener (with its request queue,
 * tcp_check_req), else a RST.
 */
void tcp_v4_rcv(struct net *net, struct sk_buff *skb)
{
	struct sock *sk;
	struct inet_timewait_sock *tw;
	/* the trace's text only when there is a trace */
	g_autofree char *desc = sim_trace_sink(net->sim) ? skb_describe(skb) : NULL;
	const char *fn = skb->family == AF_INET6 ? "tcp_v6_rcv" : "tcp_v4_rcv";

	TCP_INC_STATS(net, InSegs);
	net->tcp_tw_isn = 0;	/* TCP_SKB_CB(skb)->tcp_tw_isn: per segment */
	sk = inet_lookup_established(net, skb->saddr, skb->source, skb->daddr, skb->dest);
	if (sk) {
		char label[16] = "";

		/* not kernel: the ACK processing reaches the retransmit queue's
		 * head (tcp_clean_rtx_queue) last, behind the socket's own
		 * lines; with many connections it is cold: start loading it */
		__builtin_prefetch(tcp_sk(sk)->write_queue.head);
		if (desc) {	/* the label and the line only for a trace (desc is NULL without) */
			sock_label(sk, label, sizeof(label));
			sim_trace(net->sim, net->name, label, fn, NULL, "%s", desc);
		}
		if (sk->sk_owned) {
			/* tcp_add_backlog(): a send() holds the socket; the
			 * segment waits for its release_sock() */
			sim_trace(net->sim, net->name, label, "tcp_add_backlog", NULL,
				  "queued=%u", sk->sk_backlog.length + 1);
			g_queue_push_tail(&sk->sk_backlog, skb_clone(net, skb));
			return;
		}
		tcp_v4_do_rcv(sk, skb);
		return;
	}
	tw = inet_twsk_lookup(net, skb->saddr, skb->source, skb->daddr, skb->dest);
	if (tw) {
		char label[16];

		inet_twsk_label(tw, label, sizeof(label));
		sim_trace(net->sim, net->name, label, fn, NULL, "%s timewait=%s", desc,
			  tcp_state_name(tw->tw_substate));
		if (!tcp_v4_do_time_wait(net, tw, skb))
			return;
	}
	/* an IPv6 packet: tcp_v6_rcv()'s __inet6_lookup_listener() */
	sk = skb->family == AF_INET6 ? inet6_lookup_listener(net, &skb->daddr6, skb->dest) :
				       inet_lookup_listener(net, skb->daddr, skb->dest);
	if (sk) {
		struct request_sock *req = inet_csk_find_req(sk, skb->saddr, skb->source);
		char label[16] = "";

		if (desc) {
			sock_label(sk, label, sizeof(label));
			sim_trace(net->sim, net->name, label, fn, NULL, "%s", desc);
		}
		if (req) {
			struct sock *nsk = tcp_check_req(sk, skb, req);

			if (nsk == sk && tcp_rcv_state_process(sk, skb))
				tcp_v4_send_reset(net, skb, "bad-ack-for-request");
			return;
		}
		if (tcp_rcv_state_process(sk, skb))
			tcp_v4_send_reset(net, skb, "listener-got-ack");
		return;
	}
	sim_trace(net->sim, net->name, NULL, fn, NULL, "%s socket=none", desc);
	tcp_v4_send_reset(net, skb, "no-socket");
}

/*
 * Models: net/ipv4/tcp_ipv4.c:tcp_v4_err() — ICMP errors for a TCP socket.
 * In SYN_SENT/SYN_RECV they are hard errors: the connect fails at once
 * (the socket is never "owned by the user" here: no concurrent syscalls).
 */
void tcp_v4_err(struct net *net, const struct sk_buff *icmp)
{
	struct sock *sk;
	struct tcp_sock *tp;
	bool fatal;
	int err;
	char label[16];

	/* a timewait sock takes no ICMP (tcp_v4_err: TCP_TIME_WAIT, put) */
	sk = inet_lookup_established(net, icmp->q_daddr, icmp->q_dest, icmp->q_saddr,
				     icmp->q_source);
	if (!sk)
		return;
	tp = tcp_sk(sk);
	if (sk->sk_state != TCP_LISTEN &&
	    (before(icmp->q_seq, tp->snd_una) || after(icmp->q_seq, tp->snd_nxt)))
		return;		/* OutOfWindowIcmps */
	if (icmp->icmp_type == ICMP_DEST_UNREACH && icmp->icmp_code == ICMP_FRAG_NEEDED)
		return;		/* PMTU update only */
	err = icmp_err_convert(icmp->icmp_type, icmp->icmp_code, &fatal);
	if (!err)
		return;
	sock_label(sk, label, sizeof(label));
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RECV:
		sim_trace(net->sim, net->name, label, "tcp_v4_err",
			  "net/ipv4/tcp_ipv4.c:tcp_v4_err", "errno=%s hard=yes",
			  sim_errno_name(err));
		tcp_done_with_error(sk, err);
		return;
	default:
		sim_trace(net->sim, net->name, label, "tcp_v4_err",
			  "net/ipv4/tcp_ipv4.c:tcp_v4_err", "errno=%s hard=no",
			  sim_errno_name(err));
		sk->sk_err_soft = err;	/* no IP_RECVERR: soft */
		return;
	}
}

/* Models: net/ipv4/tcp_ipv4.c:tcp_prot — the TCP protocol as the socket layer sees it. */
const struct proto tcp_prot = {
	.name = "TCP",
	.init = tcp_init_sock,
	.close = __tcp_close,
	.connect = tcp_v4_connect,
	.disconnect = tcp_disconnect,
	.accept = inet_csk_accept,
	.shutdown = tcp_shutdown,
	.setsockopt = tcp_setsockopt,
	.getsockopt = tcp_getsockopt,
	.ioctl = tcp_ioctl,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.backlog_rcv = tcp_v4_do_rcv,
	.obj_size = sizeof(struct tcp_sock),
	.sk_destruct = inet_sock_destruct,
	.no_autobind = true,
};
