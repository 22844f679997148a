/* SPDX-License-Identifier: MIT */
/*
 * A packet on the simulated wire: the IPv4 + TCP (or ICMP) header fields
 * the models look at.  Named after struct sk_buff because that is what a
 * kernel reader looks for; it carries no payload bytes, only a length.
 */
#ifndef MODELS_NET_SKB_H
#define MODELS_NET_SKB_H

#include <stdbool.h>
#include <stdint.h>

#include "net/ipv6.h"

#define IPPROTO_ICMP 1
#define IPPROTO_ICMPV6 58

/* include/uapi/linux/icmpv6.h: the error types and the unreachable codes */
#define ICMPV6_DEST_UNREACH	1
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define ICMPV6_PARAMPROB	4
#define ICMPV6_NOROUTE		0
#define ICMPV6_ADM_PROHIBITED	1
#define ICMPV6_NOT_NEIGHBOUR	2
#define ICMPV6_ADDR_UNREACH	3
#define ICMPV6_PORT_UNREACH	4
#define ICMPV6_POLICY_FAIL	5
#define ICMPV6_REJECT_ROUTE	6
#define ICMPV6_UNK_NEXTHDR	1	/* PARAMPROB code */

/* include/uapi/linux/icmp.h */
#define ICMP_DEST_UNREACH	3
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12
#define ICMP_NET_UNREACH	0
#define ICMP_HOST_UNREACH	1
#define ICMP_PROT_UNREACH	2
#define ICMP_PORT_UNREACH	3
#define ICMP_FRAG_NEEDED	4
#define ICMP_SR_FAILED		5
#define ICMP_NET_UNKNOWN	6
#define ICMP_HOST_UNKNOWN	7
#define ICMP_HOST_ISOLATED	8
#define ICMP_NET_ANO		9
#define ICMP_HOST_ANO		10
#define ICMP_PKT_FILTERED	13

enum pkt_kind {
	PKT_SYN, PKT_SYNACK, PKT_ACK, PKT_RST, PKT_DATA, PKT_FIN, PKT_ICMP,
	PKT_KIND_MAX,
};

/* SACK blocks one segment can carry: four fill the 40 option bytes of a
 * segment without timestamps (include/net/tcp.h: TCP_NUM_SACKS; three with
 * them, net/ipv4/tcp_output.c:tcp_established_options). */
#define SKB_MAX_SACKS 4

struct sk_buff {
	uint64_t id;		/* creation order in the world, for traces */
	uint8_t protocol;	/* IPPROTO_TCP, IPPROTO_ICMP or IPPROTO_ICMPV6 */
	uint32_t saddr, daddr;
	/* IPv6 (net/ipv6/ip6_output.c): family AF_INET6 puts an IPv6 header on
	 * the packet with these addresses; saddr/daddr then keep the IPv4 key the
	 * wire and the socket tables use (LOOPBACK4_IPV6 for ::1).  0: IPv4. */
	uint8_t family;
	struct in6_addr_sim saddr6, daddr6;
	/* the IP header's ECN field (INET_ECN_*, include/net/inet_ecn.h): the
	 * two low bits of the IPv4 TOS / IPv6 traffic class; DSCP is not carried */
	uint8_t ecn;
	/* TCP */
	uint16_t source, dest;
	uint32_t seq, ack_seq;
	uint8_t flags;		/* TCPHDR_* */
	uint16_t window;
	uint16_t mss;		/* MSS option, 0 if absent */
	uint8_t wscale;		/* window scale option; 0xff if absent (SYNs only) */
	bool sack_perm;		/* SACK-permitted option (SYNs only) */
	bool ts_ok;		/* timestamps option offered (SYNs only) */
	uint8_t num_sacks;	/* SACK blocks carried */
	struct { uint32_t start_seq, end_seq; } sack[SKB_MAX_SACKS];
	uint32_t len;		/* payload bytes */
	/* A segment of a TSO/GSO packet that more of the packet follows: the
	 * packet goes on the wire as its segments (net/ipv4/tcp_offload.c:
	 * tcp_gso_segment), and a reader that sees whole packets, as
	 * packetdrill's tun device does, joins them up to the one without. */
	bool gso_more;
	/* ICMP / ICMPv6: type/code and the quoted TCP header of the offending
	 * packet (q_saddr/q_daddr its IPv4 keys; an ICMPv6 error also quotes
	 * its IPv6 addresses) */
	uint8_t icmp_type, icmp_code;
	uint32_t q_saddr, q_daddr;
	struct in6_addr_sim q_saddr6, q_daddr6;
	uint16_t q_source, q_dest;
	uint32_t q_seq;
};

enum pkt_kind skb_kind(const struct sk_buff *skb);
/* The ECN field by packetdrill's names: noecn, ect1, ect0, ce (-1: unknown). */
const char *skb_ecn_name(uint8_t ecn);
int skb_ecn_from_name(const char *name);
const char *pkt_kind_name(enum pkt_kind k);
int pkt_kind_from_name(const char *name);
/* "10.0.0.1:40000>10.0.0.2:80 S seq=... " style one-token-per-field detail */
char *skb_describe(const struct sk_buff *skb);
uint32_t skb_wire_bytes(const struct sk_buff *skb);
/* The truesize and tailroom of the linear skb a device builds for a received
 * packet of @pkt_len bytes (net/core/skbuff.c:__alloc_skb). */
void skb_rcv_alloc(uint32_t pkt_len, uint32_t *truesize, uint32_t *tailroom);
/* An ICMP/ICMPv6 error @icmp quotes the addresses, ports and seq of @orig
 * (icmp_send/icmp6_send copy the offending header into the message). */
void skb_icmp_quote(struct sk_buff *icmp, const struct sk_buff *orig);

#endif
