/* SPDX-License-Identifier: MIT */
/*
 * The timewait sock: what is left of a TCP connection in TIME_WAIT (or an
 * orphan's FIN_WAIT2) once the full socket has gone to CLOSE.  Models:
 * include/net/inet_timewait_sock.h:struct inet_timewait_sock and
 * include/linux/tcp.h:struct tcp_timewait_sock (one struct here), @ v6.18.
 * No timestamp fields: the model carries no TSval/TSecr.
 */
#ifndef MODELS_NET_INET_TIMEWAIT_SOCK_H
#define MODELS_NET_INET_TIMEWAIT_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv6.h"
#include "sim/time.h"
#include "sim/timer.h"

struct net;
struct sock;
struct sk_buff;
struct inet_connect_dest;

/*
 * Three cache lines (184 bytes): a million of these wait out TIME_WAIT in a
 * run of 10^6 connections.  The first line holds the keys the ehash lookup
 * and the port checks compare; the timer, last, is what the expiry reads
 * first.
 * No IPv6 addresses: only tcp_v4_rcv() looks timewait socks up
 * (inet_twsk_lookup()), so the kernel's tw_v6_daddr and tw_v6_rcv_saddr
 * would be written and never read.
 */
struct inet_timewait_sock {
	/* struct sock_common: the 4-tuple and family the lookups read */
	struct net *tw_net;
	/* the ehash chain beside the keys: one cache line per step of a lookup */
	struct inet_timewait_sock *tw_node_next;
	struct inet_timewait_sock **tw_node_pprev;
	uint32_t tw_saddr;		/* inet_saddr of the socket */
	uint32_t tw_rcv_saddr;		/* skc_rcv_saddr */
	uint32_t tw_daddr;
	uint16_t tw_num;		/* the local port (skc_num), owned from the bind bucket */
	uint16_t tw_dport;
	uint8_t tw_family;
	uint8_t tw_substate;		/* TCP_FIN_WAIT2 or TCP_TIME_WAIT */
	uint8_t tw_reuse;		/* sk_reuse of the socket */
	bool tw_bindport_lock;		/* the user bound the port (its bucket is not fastreuse -1) */
	uint8_t tw_rcv_wscale;
	bool tw_port_other;		/* not kernel: counted in hashinfo.port_other */
	uint32_t tw_hash;		/* ehash */
	uint32_t tw_sk_id;		/* not kernel: the socket's id, its label in traces */
	uint64_t tw_bind_seq;		/* sk_bind_seq of the socket: lookup ties */
	/* struct tcp_timewait_sock */
	uint32_t tw_rcv_nxt;
	uint32_t tw_snd_nxt;
	uint32_t tw_rcv_wnd;
	sim_time_t tw_last_oow_ack_time;	/* tcp_oow_rate_limited() */
	/* the chain of the namespace's timewait bind table (the ehash's is above) */
	struct inet_timewait_sock *tw_bind_next;
	struct inet_timewait_sock **tw_bind_pprev;
	/* not kernel code: the port bitmap of inet_hash_connect() that still
	 * holds tw_num for this destination (models/net/ipv4/inet_hashtables.c) */
	struct inet_connect_dest *tw_connect_dest;
	struct sim_timer tw_timer;
};

/* include/net/tcp.h: enum tcp_tw_status */
enum tcp_tw_status {
	TCP_TW_SUCCESS = 0,
	TCP_TW_RST = 1,
	TCP_TW_ACK = 2,
	TCP_TW_SYN = 3,
};

/* net/ipv4/inet_timewait_sock.c */
struct inet_timewait_sock *inet_twsk_alloc(const struct sock *sk, int state);
void inet_twsk_hashdance_schedule(struct inet_timewait_sock *tw, struct sock *sk,
				  sim_time_t timeo);
void inet_twsk_reschedule(struct inet_timewait_sock *tw, sim_time_t timeo);
void inet_twsk_deschedule_put(struct inet_timewait_sock *tw, const char *reason);
/* "sk#N", the label of the socket the timewait sock came from */
void inet_twsk_label(const struct inet_timewait_sock *tw, char *buf, size_t len);

/* net/ipv4/inet_hashtables.c: the timewait sock in the ehash and on the port */
void inet_twsk_hash(struct inet_timewait_sock *tw);
void inet_twsk_unhash(struct inet_timewait_sock *tw);
struct inet_timewait_sock *inet_twsk_lookup(struct net *net, uint32_t saddr, uint16_t sport,
					    uint32_t daddr, uint16_t dport);

/* net/ipv4/tcp_minisocks.c */
void tcp_time_wait(struct sock *sk, int state, sim_time_t timeo);
enum tcp_tw_status tcp_timewait_state_process(struct inet_timewait_sock *tw,
					      const struct sk_buff *skb, uint32_t *tw_isn);

/* net/ipv4/tcp_ipv4.c */
void tcp_v4_timewait_ack(struct inet_timewait_sock *tw, const struct sk_buff *skb);

#endif
