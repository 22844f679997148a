/* SPDX-License-Identifier: MIT */
/*
 * Connection-oriented socket helpers: the retransmit timer, the SYN queue
 * and its per-request timer, the accept queue.
 * Models: net/ipv4/inet_connection_sock.c @ v6.18.
 */
#include "uapi/linux/eventpoll.h"
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "sim/trace.h"
#include "trace/events/tcp.h"

/* Models: include/net/inet_connection_sock.h:inet_csk_reset_xmit_timer() */
void inet_csk_reset_xmit_timer(struct sock *sk, int what, sim_time_t when,
			       sim_time_t max_when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (when > max_when)
		when = max_when;
	icsk->icsk_pending = (uint8_t)what;
	/* sk_reset_timer(): mod_timer() */
	sim_mod_timer(&icsk->icsk_retransmit_timer, net_now(sock_net(sk)) + when);
	trace_tcp_timer_armed(sk, what, net_now(sock_net(sk)) + when);
}

/* Models: include/net/inet_connection_sock.h:inet_csk_clear_xmit_timer() */
void inet_csk_clear_xmit_timer(struct sock *sk, int what)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	/* a loss probe holds the same slot */
	if (what == ICSK_TIME_RETRANS &&
	    (icsk->icsk_pending == what || icsk->icsk_pending == ICSK_TIME_LOSS_PROBE)) {
		icsk->icsk_pending = 0;
		sim_timer_delete(&icsk->icsk_retransmit_timer);
	}
}

/* Models: include/net/sock.h:sk_acceptq_is_full() — capacity is backlog + 1. */
bool sk_acceptq_is_full(const struct sock *sk)
{
	return sk->sk_ack_backlog > sk->sk_max_ack_backlog;
}

/* Models: include/net/inet_connection_sock.h:inet_csk_reqsk_queue_is_full() */
bool inet_csk_reqsk_queue_is_full(struct sock *listener)
{
	unsigned int qlen = inet_csk(listener)->syn_qlen;

	if (sock_net(listener)->profile->synq_full_strictly_greater)
		return qlen > listener->sk_max_ack_backlog;
	return qlen >= listener->sk_max_ack_backlog;
}

static unsigned int reqsk_queue_len_young(struct sock *listener)
{
	unsigned int young = 0;

	for (struct request_sock *r = inet_csk(listener)->syn_queue; r; r = r->dl_next)
		if (!r->cookie && r->num_timeout == 0)
			young++;
	return young;
}

static void trace_req(struct request_sock *req, const char *event, const char *func,
		      const char *detail)
{
	struct sock *l = req->rsk_listener;
	char label[24];

	g_snprintf(label, sizeof(label), "req#%u", req->id);
	sim_trace(sock_net(l)->sim, sock_net(l)->name, label, event, func, "%s", detail);
}

/*
 * Models: net/ipv4/inet_connection_sock.c:reqsk_timer_handler() + syn_ack_recalc()
 * (no TCP_DEFER_ACCEPT): re-send the SYN-ACK with exponential backoff, drop
 * the request after max retries; pruning lowers the limit when the queue
 * is more than half full of old requests.
 */
static void reqsk_timer_handler(struct sim_timer *timer)
{
	struct request_sock *req = container_of(timer, struct request_sock, rsk_timer);
	struct sock *listener = req->rsk_listener;
	struct inet_connection_sock *icsk = inet_csk(listener);
	int max_retries = icsk->icsk_syn_retries ? icsk->icsk_syn_retries :
		sock_net(listener)->ipv4.sysctl_tcp_synack_retries;
	unsigned int qlen = icsk->syn_qlen;
	char detail[96];

	if (listener->sk_state != TCP_LISTEN) {
		inet_csk_reqsk_queue_drop(listener, req);
		return;
	}
	if ((qlen << 1) > MAX(8u, listener->sk_max_ack_backlog)) {
		unsigned int young = reqsk_queue_len_young(listener) << 1;

		while (max_retries > 2) {
			if (qlen < young)
				break;
			max_retries--;
			young <<= 1;
		}
	}
	if (req->num_timeout < max_retries) {
		g_snprintf(detail, sizeof(detail), "num_timeout=%u max=%d", req->num_timeout,
			   max_retries);
		trace_req(req, "tcp_retransmit_synack",
			  "net/ipv4/inet_connection_sock.c:reqsk_timer_handler", detail);
		tcp_rtx_synack(listener, req);
		req->num_timeout++;
		sim_mod_timer(&req->rsk_timer, net_now(sock_net(listener)) +
			      MIN(req->timeout << req->num_timeout, TCP_RTO_MAX));
		return;
	}
	g_snprintf(detail, sizeof(detail), "reason=synack-retries num_timeout=%u", req->num_timeout);
	trace_req(req, "reqsk_drop", "net/ipv4/inet_connection_sock.c:reqsk_timer_handler", detail);
	inet_csk_reqsk_queue_drop(listener, req);
}

/*
 * The request hash (a request sock's place in the kernel's ehash, by the
 * listener's port and the peer's address and port): finding a request for a
 * segment costs one chain, not the SYN queue.  Chains are hlists in no
 * order; a lookup takes the match earliest in its listener's SYN queue.
 */
static void rhash_push(struct request_sock **head, struct request_sock *req)
{
	req->rh_next = *head;
	if (*head)
		(*head)->rh_pprev = &req->rh_next;
	req->rh_pprev = head;
	*head = req;
}

static void reqsk_rhash_add(struct net *net, struct request_sock *req)
{
	struct inet_hashinfo *h = &net->hashinfo;

	if (!h->rhash) {
		h->rhash_mask = 15;
		h->rhash = g_new0(struct request_sock *, h->rhash_mask + 1);
	} else if (h->rhash_count > h->rhash_mask / 2) {	/* two buckets per request, as the ehash */
		uint32_t n = (h->rhash_mask + 1) * 2;
		struct request_sock **nb = g_new0(struct request_sock *, n);

		for (uint32_t b = 0; b <= h->rhash_mask; b++)
			for (struct request_sock *r = h->rhash[b], *next; r; r = next) {
				next = r->rh_next;
				rhash_push(&nb[r->rh_hash & (n - 1)], r);
			}
		g_free(h->rhash);
		h->rhash = nb;
		h->rhash_mask = n - 1;
	}
	req->rh_hash = inet_ehashfn(req->rsk_listener->inet_num, req->rmt_addr, req->rmt_port);
	rhash_push(&h->rhash[req->rh_hash & h->rhash_mask], req);
	h->rhash_count++;
}

static void reqsk_rhash_del(struct net *net, struct request_sock *req)
{
	*req->rh_pprev = req->rh_next;
	if (req->rh_next)
		req->rh_next->rh_pprev = req->rh_pprev;
	req->rh_next = NULL;
	req->rh_pprev = NULL;
	net->hashinfo.rhash_count--;
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_reqsk_queue_hash_add() */
void inet_csk_reqsk_queue_hash_add(struct sock *listener, struct request_sock *req)
{
	struct inet_connection_sock *icsk = inet_csk(listener);

	req->dl_next = NULL;
	req->dl_prev = icsk->syn_queue_tail;
	if (icsk->syn_queue_tail)
		icsk->syn_queue_tail->dl_next = req;
	else
		icsk->syn_queue = req;
	icsk->syn_queue_tail = req;
	req->in_syn_queue = true;
	reqsk_rhash_add(sock_net(listener), req);
	if (req->cookie)
		return;		/* a cookie keeps no state: no timer, no queue slot */
	icsk->syn_qlen++;
	sim_timer_setup(sock_net(listener)->sim, &req->rsk_timer, reqsk_timer_handler,
			"reqsk_timer_handler");
	sim_mod_timer(&req->rsk_timer, net_now(sock_net(listener)) + req->timeout);
}

static void reqsk_unlink(struct sock *listener, struct request_sock *req)
{
	struct inet_connection_sock *icsk = inet_csk(listener);

	if (!req->in_syn_queue || req->rsk_listener != listener)
		return;
	if (req->dl_prev)
		req->dl_prev->dl_next = req->dl_next;
	else
		icsk->syn_queue = req->dl_next;
	if (req->dl_next)
		req->dl_next->dl_prev = req->dl_prev;
	else
		icsk->syn_queue_tail = req->dl_prev;
	req->dl_next = req->dl_prev = NULL;
	req->in_syn_queue = false;
	reqsk_rhash_del(sock_net(listener), req);
	if (!req->cookie) {
		icsk->syn_qlen--;
		sim_timer_delete(&req->rsk_timer);
	}
}

static void __reqsk_free(struct sim_rcu_head *head)
{
	struct request_sock *req = container_of(head, struct request_sock, rsk_rcu);

	kernel_zfree(sock_net(req->rsk_listener)->ks, req, sizeof(*req));
}

/*
 * Models: include/net/request_sock.h:reqsk_put() -> reqsk_free() — a request
 * off every queue, hash and timer goes back to the slab at the end of the
 * current event (its callers still read it, as after the kernel's put).
 */
static void reqsk_free(struct request_sock *req)
{
	sim_call_rcu(sock_net(req->rsk_listener)->sim, &req->rsk_rcu, __reqsk_free);
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_reqsk_queue_drop() (+ reqsk_put) */
void inet_csk_reqsk_queue_drop(struct sock *listener, struct request_sock *req)
{
	if (!req->in_syn_queue || req->rsk_listener != listener)
		return;
	reqsk_unlink(listener, req);
	reqsk_free(req);
}

/* The request of @listener's SYN queue for (raddr, rport): the earliest queued if two. */
struct request_sock *inet_csk_find_req(struct sock *listener, uint32_t raddr, uint16_t rport)
{
	struct inet_hashinfo *h = &sock_net(listener)->hashinfo;
	uint32_t hash = inet_ehashfn(listener->inet_num, raddr, rport);
	struct request_sock *found = NULL;
	int matches = 0;

	if (!h->rhash)
		return NULL;
	for (struct request_sock *r = h->rhash[hash & h->rhash_mask]; r; r = r->rh_next)
		if (r->rsk_listener == listener && r->rmt_addr == raddr && r->rmt_port == rport) {
			found = r;
			matches++;
		}
	if (matches > 1)	/* never seen: a SYN finds its request first; keep queue order */
		for (struct request_sock *r = inet_csk(listener)->syn_queue; r; r = r->dl_next)
			if (r->rmt_addr == raddr && r->rmt_port == rport)
				return r;
	return found;
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_reqsk_queue_add() (via complete_hashdance). */
void inet_csk_reqsk_queue_add(struct sock *listener, struct request_sock *req,
			      struct sock *child)
{
	struct inet_connection_sock *icsk = inet_csk(listener);

	reqsk_unlink(listener, req);
	req->child = child;
	req->dl_next = NULL;
	if (icsk->accept_tail)
		icsk->accept_tail->dl_next = req;
	else
		icsk->accept_head = req;
	icsk->accept_tail = req;
	listener->sk_ack_backlog++;
	sk_wake_poll(listener, EPOLL_KEY_READABLE);	/* sk_data_ready: sock_def_readable */
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_accept() (the dequeue). */
struct sock *inet_csk_accept(struct sock *sk, int flags, int *err)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct request_sock *req = icsk->accept_head;

	if (!req) {
		*err = -SIM_EAGAIN;
		return NULL;
	}
	icsk->accept_head = req->dl_next;
	if (!icsk->accept_head)
		icsk->accept_tail = NULL;
	sk->sk_ack_backlog--;
	reqsk_free(req);	/* reqsk_put(): the child is the connection now */
	return req->child;
}

/*
 * Models: net/ipv4/inet_connection_sock.c:inet_csk_listen_stop() — drop the
 * SYN queue, abort (RST) every child never accepted.
 */
void inet_csk_listen_stop(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct request_sock *req;

	while (icsk->syn_queue)
		inet_csk_reqsk_queue_drop(sk, icsk->syn_queue);
	while ((req = icsk->accept_head)) {
		struct sock *child = req->child;

		icsk->accept_head = req->dl_next;
		sk->sk_ack_backlog--;
		child->sock_dead = true;	/* inet_child_forget() */
		tcp_disconnect(child, O_NONBLOCK);
		inet_csk_destroy_sock(child);
		reqsk_free(req);
	}
	icsk->accept_tail = NULL;
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_destroy_sock() */
void inet_csk_destroy_sock(struct sock *sk)
{
	tcp_clear_xmit_timers(sk);
	tcp_write_queue_purge(sk);	/* tcp_v4_destroy_sock() */
	inet_unhash(sk);
	inet_put_port(sk);	/* tcp_v4_destroy_sock(): a user-bound port too */
	sock_put(sk);
}
