/* SPDX-License-Identifier: MIT */
/*
 * The timewait sock's life.  Models: net/ipv4/inet_timewait_sock.c @ v6.18.
 * Simplifications: no TimeWaited/TimeWaitKilled counters; a timewait sock
 * comes from the simulation's slab (kernel_zalloc, the kernel's twsk_slab)
 * and goes back when it dies, not reference-counted (tcp_death_row.tw_count
 * counts the live ones, as tw_refcount - 1 does).
 */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/inet_timewait_sock.h"
#include "net/ipv4.h"
#include "sim/trace.h"

/* three cache lines: the slab rounds a bigger one up to four (net_namespace.c) */
_Static_assert(sizeof(struct inet_timewait_sock) <= 3 * 64, "inet_timewait_sock fits three lines");

/* Not kernel: a timewait sock is traced under the label of its socket. */
void inet_twsk_label(const struct inet_timewait_sock *tw, char *buf, size_t len)
{
	if (!sim_trace_sink(tw->tw_net->sim)) {
		buf[0] = '\0';	/* no trace: the label would be formatted for nothing */
		return;
	}
	g_snprintf(buf, len, "sk#%u", tw->tw_sk_id);
}

/* Models: net/ipv4/inet_timewait_sock.c:inet_twsk_kill() — off the tables, freed. */
static void inet_twsk_kill(struct inet_timewait_sock *tw, const char *reason)
{
	char label[16];

	inet_twsk_unhash(tw);
	tw->tw_net->ipv4.tcp_death_row.tw_count--;
	inet_twsk_label(tw, label, sizeof(label));
	sim_trace(tw->tw_net->sim, tw->tw_net->name, label, "inet_twsk_kill",
		  "net/ipv4/inet_timewait_sock.c:inet_twsk_kill", "substate=%s reason=%s",
		  tcp_state_name(tw->tw_substate), reason);
	kernel_zfree(tw->tw_net->ks, tw, sizeof(*tw));
}

/* Models: net/ipv4/inet_timewait_sock.c:tw_timer_handler() — the wait is over. */
static void tw_timer_handler(struct sim_timer *t)
{
	struct inet_timewait_sock *tw = container_of(t, struct inet_timewait_sock, tw_timer);

	inet_twsk_kill(tw, "timer");
}

/*
 * Models: net/ipv4/inet_timewait_sock.c:inet_twsk_alloc() — what the lookups
 * and the port checks read from @sk, and substate @state; NULL when
 * net.ipv4.tcp_max_tw_buckets timewait socks are alive already.
 */
struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, int state)
{
	struct net *net = sock_net(sk);
	struct inet_timewait_sock *tw;

	if (net->ipv4.tcp_death_row.tw_count >= net->ipv4.tcp_death_row.sysctl_max_tw_buckets)
		return NULL;
	tw = kernel_zalloc(net->ks, sizeof(*tw));
	net->ipv4.tcp_death_row.tw_count++;
	tw->tw_net = net;
	tw->tw_family = (uint8_t)sk->sk_family;
	tw->tw_substate = (uint8_t)state;
	tw->tw_reuse = sk->sk_reuse;
	tw->tw_bindport_lock = (sk->sk_userlocks & SOCK_BINDPORT_LOCK) != 0;
	tw->tw_saddr = sk->inet_saddr;
	tw->tw_rcv_saddr = sk->inet_rcv_saddr;
	tw->tw_daddr = sk->inet_daddr;
	tw->tw_num = sk->inet_num;
	tw->tw_dport = sk->inet_dport;
	tw->tw_bind_seq = sk->sk_bind_seq;
	tw->tw_sk_id = sk->id;
	sim_timer_setup(net->sim, &tw->tw_timer, tw_timer_handler, "tw_timer_handler");
	return tw;
}

/*
 * Models: net/ipv4/inet_timewait_sock.c:inet_twsk_hashdance_schedule() — @tw
 * takes @sk's place in the ehash and on its port, and its timer runs
 * @timeo.  @sk itself leaves the tables in tcp_done().
 */
void inet_twsk_hashdance_schedule(struct inet_timewait_sock *tw, struct sock *sk,
				  sim_time_t timeo)
{
	char label[16];

	tw->tw_connect_dest = sk->sk_connect_dest;	/* the port stays given */
	sk->sk_connect_dest = NULL;
	inet_twsk_hash(tw);
	sim_mod_timer(&tw->tw_timer, net_now(tw->tw_net) + timeo);
	inet_twsk_label(tw, label, sizeof(label));
	sim_trace(tw->tw_net->sim, tw->tw_net->name, label, "inet_twsk_hashdance_schedule",
		  "net/ipv4/inet_timewait_sock.c:inet_twsk_hashdance_schedule",
		  "substate=%s timeout_ms=%" G_GINT64_FORMAT, tcp_state_name(tw->tw_substate),
		  (gint64)(timeo / SIM_MSEC(1)));
}

/* Models: net/ipv4/inet_timewait_sock.c:inet_twsk_reschedule() */
void inet_twsk_reschedule(struct inet_timewait_sock *tw, sim_time_t timeo)
{
	sim_mod_timer(&tw->tw_timer, net_now(tw->tw_net) + timeo);
}

/*
 * Models: net/ipv4/inet_timewait_sock.c:inet_twsk_deschedule_put() — killed
 * before its time (a RST, a new SYN): the timer is cancelled first.
 */
void inet_twsk_deschedule_put(struct inet_timewait_sock *tw, const char *reason)
{
	sim_timer_delete(&tw->tw_timer);
	inet_twsk_kill(tw, reason);
}
