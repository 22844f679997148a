/* SPDX-License-Identifier: MIT */
/*
 * Entry points between the IPv4/TCP model files (the kernel's
 * include/net/tcp.h, include/net/ip.h, include/net/route.h roles).
 */
#ifndef MODELS_NET_IPV4_H
#define MODELS_NET_IPV4_H

#include "net/net_namespace.h"
#include "net/profile.h"
#include "net/skb.h"
#include "net/tcp.h"

/* net/ipv4/af_inet.c */
extern const struct proto_ops inet_stream_ops;
void inet_sock_destruct(struct sock *sk);
int inet_create(struct net *net, struct socket *sock, int type, int protocol);

/* net/ipv4/route.c */
struct rtable_sim {
	uint32_t saddr;
	uint32_t daddr;
	uint32_t mtu;		/* dst_mtu() of the route */
};
#define LOOPBACK_MTU	65536u	/* drivers/net/loopback.c:loopback_setup() */
#define ETH_DATA_LEN	1500u	/* include/uapi/linux/if_ether.h: the host's one interface */
uint32_t dst_mtu_to(const struct net *net, uint32_t key, int family);
int ip_route_connect(struct net *net, uint32_t daddr, struct rtable_sim *rt);
bool ipv4_is_loopback(uint32_t a);
bool ipv4_is_multicast(uint32_t a);
bool ipv4_is_lbcast(uint32_t a);

/* net/ipv4/ip_input.c */
void ip_rcv(struct net *net, struct sk_buff *skb);

/* net/ipv4/icmp.c */
int icmp_err_convert(uint8_t type, uint8_t code, bool *fatal);
void __icmp_send(struct net *router, const struct sk_buff *orig, uint8_t type, uint8_t code);

/* net/ipv4/inet_hashtables.c */
uint32_t inet_ehashfn(uint16_t lport, uint32_t faddr, uint16_t fport);
int inet_hash_connect(struct sock *sk);
void inet_hash(struct sock *sk);
void inet_unhash(struct sock *sk);
int inet_bind_port(struct sock *sk, uint16_t port);
void inet_put_port(struct sock *sk);
void inet_inherit_port(struct sock *listener, struct sock *child);
/* Not in the kernel: loads ahead of tcp_v4_rcv()'s lookups for @skb (stage 1, then 0). */
void inet_lookup_prefetch(const struct net *net, const struct sk_buff *skb, unsigned int stage);
struct sock *inet_lookup_established(struct net *net, uint32_t saddr, uint16_t sport,
				     uint32_t daddr, uint16_t dport);
struct sock *inet_lookup_listener(struct net *net, uint32_t daddr, uint16_t dport);

/* net/ipv4/tcp.c */
int tcp_init_sock(struct sock *sk);
void __tcp_close(struct sock *sk, sim_time_t timeout);
/* include/net/tcp.h:tcp_fin_time() (models/net/ipv4/tcp.c) */
sim_time_t tcp_fin_time(const struct sock *sk);
void tcp_shutdown(struct sock *sk, int how);
int tcp_setsockopt(struct sock *sk, int level, int optname, int64_t val);
int ip_setsockopt(struct sock *sk, int level, int optname, int64_t val);
int ip_getsockopt(struct sock *sk, int level, int optname, int64_t *val);
int tcp_getsockopt(struct sock *sk, int level, int optname, int64_t *val);
int tcp_ioctl(struct sock *sk, int cmd, int *karg);
/* listen() on a bound socket: -EADDRINUSE if the port's owners conflict (inet_csk_get_port). */
int inet_csk_listen_get_port(struct sock *sk);
int tcp_sendmsg(struct sock *sk, struct msghdr_sim *msg, size_t len);
int tcp_recvmsg(struct sock *sk, struct msghdr_sim *msg, size_t len, int flags);
void tcp_set_state(struct sock *sk, int state);
void tcp_done(struct sock *sk);
/* Models: include/net/ip.h:inet_reset_saddr() — forget the source address
 * a connect chose (IPv4, and for an AF_INET6 socket its IPv6 one). */
static inline void inet_reset_saddr(struct sock *sk)
{
	sk->inet_saddr = sk->inet_rcv_saddr = 0;
	if (sk->sk_family == AF_INET6)
		sk->sk_v6_rcv_saddr = (struct in6_addr_sim){ 0 };
}
/* net/ipv4/af_inet.c: getsockname (peer 0) / getpeername (peer 1) of AF_INET */
int inet_getname(struct socket *sock, struct sockaddr_sim *sin, int peer);
/* sk_err = @err (positive), report it, tcp_done() */
void tcp_done_with_error(struct sock *sk, int err);
int tcp_disconnect(struct sock *sk, int flags);
unsigned int tcp_poll(struct socket *sock);
void tcp_write_err(struct sock *sk);

/* net/ipv4/tcp_ipv4.c */
extern const struct proto tcp_prot;
int tcp_v4_connect(struct sock *sk, const struct sockaddr_sim *addr);
void tcp_v4_rcv(struct net *net, struct sk_buff *skb);
int tcp_v4_do_rcv(struct sock *sk, struct sk_buff *skb);
void tcp_v4_err(struct net *net, const struct sk_buff *icmp);
void tcp_v4_send_reset(struct net *net, const struct sk_buff *skb, const char *reason);
uint32_t secure_tcp_seq(struct net *net);

/* net/ipv4/tcp_output.c */
int tcp_connect(struct sock *sk);
uint32_t tcp_full_space(const struct sock *sk);
int tcp_win_from_space(const struct sock *sk, int space);
int tcp_space_from_win(const struct sock *sk, int win);
int tcp_space(const struct sock *sk);
void tcp_set_window_clamp(struct sock *sk, int val);
void tcp_rmem_purge(struct sock *sk);
GArray *tcp_rcv_array(struct sock *sk, GArray **arr, guint element_size);
/* The length of a receive-side array that may not be made yet. */
static inline guint tcp_array_len(const GArray *arr)
{
	return arr ? arr->len : 0;
}
void tcp_initialize_rcv_mss(struct sock *sk);
uint32_t tcp_mtu_to_mss(const struct sock *sk, uint32_t pmtu);
uint32_t tcp_mss_clamp(const struct tcp_sock *tp, uint32_t mss);
void tcp_select_initial_window(const struct sock *sk, uint32_t space, uint32_t mss,
			       uint32_t *rcv_wnd, uint32_t *window_clamp, uint8_t *rcv_wscale);
void tcp_clamp_to_locked_rcvbuf(const struct sock *sk, uint32_t *window_clamp);
uint32_t tcp_receive_window(const struct tcp_sock *tp);
uint32_t __tcp_select_window(struct sock *sk);
struct sk_buff *tcp_make_skb(struct sock *sk, uint8_t flags, uint32_t seq, uint32_t len);
int tcp_xmit(struct sock *sk, struct sk_buff *skb);
void tcp_send_ack(struct sock *sk);
void tcp_send_delayed_ack(struct sock *sk);
void tcp_send_active_reset(struct sock *sk);
void tcp_send_fin(struct sock *sk);
void tcp_send_probe0(struct sock *sk);
int tcp_write_wakeup(struct sock *sk);
sim_time_t tcp_probe0_when(const struct sock *sk, sim_time_t max_when);
sim_time_t tcp_clamp_probe0_to_user_timeout(const struct sock *sk, sim_time_t when);
void tcp_enter_cwr(struct sock *sk);
void tcp_v4_send_synack(struct sock *listener, struct request_sock *req);
void tcp_rtx_synack(struct sock *listener, struct request_sock *req);
int tcp_retransmit_skb(struct sock *sk, GList *skb, uint32_t segs, GList **last);
void tcp_xmit_retransmit_queue(struct sock *sk);
void tcp_cwnd_reduction(struct sock *sk, uint32_t newly_acked_sacked, bool newly_lost, int flag);
bool tcp_write_xmit(struct sock *sk, int nonagle, int push_one);
void tcp_chrono_start(struct sock *sk, enum tcp_chrono type);
void tcp_chrono_stop(struct sock *sk, enum tcp_chrono type);
bool tcp_schedule_loss_probe(struct sock *sk, bool advancing_rto);
void tcp_send_loss_probe(struct sock *sk);
void tcp_rearm_rto(struct sock *sk);
int64_t tcp_rto_delta_us(const struct sock *sk);
void __tcp_push_pending_frames(struct sock *sk, int nonagle);
void tcp_check_probe_timer(struct sock *sk);
sim_time_t tcp_probe0_base(const struct sock *sk);
uint32_t tcp_current_mss(const struct sock *sk);
uint32_t tcp_packets_in_flight(const struct tcp_sock *tp);
struct tcp_qskb *tcp_rtx_queue_head(const struct tcp_sock *tp);
struct tcp_qskb *tcp_write_queue_tail(const struct tcp_sock *tp);
struct tcp_qskb *tcp_skb_entail(struct sock *sk);
struct tcp_qskb *tcp_skb_add_piece(struct sock *sk);
GList *tcp_skb_first_piece(GList *l);
GList *tcp_skb_last_piece(GList *l, uint32_t *len, uint32_t *pcount);
uint32_t tcp_xmit_size_goal(struct sock *sk, uint32_t mss_now, bool large_allowed);
uint32_t tcp_bound_to_half_wnd(const struct tcp_sock *tp, uint32_t pktsize);
uint32_t tcp_sync_mss(struct sock *sk, uint32_t pmtu);
void tcp_update_pacing_rate(struct sock *sk);
bool tcp_stream_memory_free(const struct sock *sk, int wake);
void tcp_skb_append(struct sock *sk, struct tcp_qskb *q, uint32_t n, bool fin);
void tcp_rtx_queue_unlink_head(struct sock *sk);
void tcp_write_queue_purge(struct sock *sk);

/* net/ipv4/tcp_input.c */
int tcp_rcv_state_process(struct sock *sk, struct sk_buff *skb);
void tcp_reset(struct sock *sk, struct sk_buff *skb);
int tcp_conn_request(struct sock *listener, struct sk_buff *skb);
void tcp_init_transfer(struct sock *sk, bool rtt_sample, sim_time_t rtt);
void tcp_apply_syn_options(struct sock *sk, uint8_t peer_wscale, bool peer_sack);
void tcp_enter_recovery(struct sock *sk, bool ece_ack);
void tcp_enter_cwr(struct sock *sk);
void tcp_set_ca_state(struct sock *sk, uint8_t state);
void tcp_enter_loss(struct sock *sk);

/* net/ipv4/tcp_recovery.c */
void tcp_rack_init(struct sock *sk);
void tcp_rack_advance(struct tcp_sock *tp, const struct tcp_qskb *q, sim_time_t now);
bool tcp_rack_mark_lost(struct sock *sk);

/* net/ipv4/tcp_minisocks.c */
struct sock *tcp_check_req(struct sock *listener, struct sk_buff *skb,
			   struct request_sock *req);

/* net/ipv4/inet_connection_sock.c */
void inet_csk_reset_xmit_timer(struct sock *sk, int what, sim_time_t when,
			       sim_time_t max_when);
void inet_csk_clear_xmit_timer(struct sock *sk, int what);
void inet_csk_reqsk_queue_hash_add(struct sock *listener, struct request_sock *req);
void inet_csk_reqsk_queue_drop(struct sock *listener, struct request_sock *req);
bool inet_csk_reqsk_queue_is_full(struct sock *listener);
bool sk_acceptq_is_full(const struct sock *sk);
void inet_csk_reqsk_queue_add(struct sock *listener, struct request_sock *req,
			      struct sock *child);
struct request_sock *inet_csk_find_req(struct sock *listener, uint32_t raddr,
				       uint16_t rport);
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err);
void inet_csk_listen_stop(struct sock *sk);
void inet_csk_destroy_sock(struct sock *sk);

/* net/ipv4/tcp_timer.c */
void tcp_init_xmit_timers(struct sock *sk);
void tcp_clear_xmit_timers(struct sock *sk);
sim_time_t tcp_model_timeout(unsigned int boundary, sim_time_t rto_base, sim_time_t rto_max);
void reqsk_timer_setup(struct request_sock *req);

/* net/core/sock.c */
struct sock *sk_alloc(struct net *net, int family, const struct proto *prot);
void sock_init_data(struct socket *sock, struct sock *sk);
int sock_error(struct sock *sk);
int sock_intr_errno(sim_time_t timeo);
sim_time_t sock_sndtimeo(const struct sock *sk, bool noblock);
sim_time_t sock_rcvtimeo(const struct sock *sk, bool noblock);
void sk_state_change(struct sock *sk);
void sk_error_report(struct sock *sk);
void sock_put(struct sock *sk);
void sock_hold(struct sock *sk);
/* net/core/sock.c: a send() holds @sk (sk_lock.owned); release_sock()
 * processes what waited in its backlog meanwhile */
void lock_sock(struct sock *sk);
void release_sock(struct sock *sk);
int sock_setsockopt(struct socket *sock, int level, int optname, int64_t val);
int sk_getsockopt(struct sock *sk, int level, int optname, int64_t *val);
void sk_trace_emit(struct sock *sk, const char *event, const char *func, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
/* A trace line about @sk: without a trace its arguments are not even
 * evaluated (state names, per segment).  @sk is evaluated twice. */
#define sk_trace(sk, ...)							\
	do {									\
		if (sim_trace_sink(sock_net(sk)->sim))				\
			sk_trace_emit((sk), __VA_ARGS__);			\
	} while (0)

/* net/core/skbuff.c: a new packet, numbered in the simulation (for traces). */
struct sk_buff *skb_alloc(struct net *net);
/* Frees an skb of skb_alloc(@net, ...): whoever holds a packet last (the
 * xmit hook, the wire after delivery) gives it back so. */
void kfree_skb(struct net *net, struct sk_buff *skb);
/* net/core/skbuff.c: a copy of @skb from the same cache (same packet, same id). */
struct sk_buff *skb_clone(struct net *net, const struct sk_buff *skb);
/* net/core/skbuff.c: kfree_skb() every skb of @list (struct sk_buff *). */
void skb_queue_purge(struct net *net, GQueue *list);
/* include/linux/netdevice.h: what a qdisc's enqueue (and so
 * dev_queue_xmit) returns; net_xmit_eval() makes NET_XMIT_CN a success. */
#define NET_XMIT_SUCCESS 0x00
#define NET_XMIT_DROP 0x01	/* the qdisc dropped the skb */
#define NET_XMIT_CN 0x02	/* congestion notification: the skb was queued */
#define net_xmit_eval(e) ((e) == NET_XMIT_CN ? 0 : (e))
/* net/core/dev.c: hand @skb to the namespace's device (takes ownership);
 * NET_XMIT_SUCCESS or the qdisc's NET_XMIT_DROP. */
int dev_queue_xmit(struct net *net, struct sk_buff *skb);
/* net/core/dev.c: netif_rx() queues a looped-back packet (takes it) for the
 * receive softirq; netif_rx_in_call(): whether loopback is processed inside
 * the running syscall (a send()) instead of as an event of its own. */
void netif_rx(struct net *net, struct sk_buff *skb);
bool netif_rx_in_call(const struct net *net);

#define NET_INC_STATS(net, c) net_mib_inc((net), MIB_##c)
#define TCP_INC_STATS(net, c) net_mib_inc((net), MIB_##c)
#define NET_ADD_STATS(net, c, n) net_mib_add((net), MIB_##c, (n))

#endif
