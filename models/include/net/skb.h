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

struct sk_buff {
	uint64_t id;		/* creation order in the world, for traces */
	uint8_t protocol;	/* IPPROTO_TCP or IPPROTO_ICMP */
	uint32_t saddr, daddr;
	/* IPv6 (net/ipv6/ip6_output.c): family AF_INET6 puts an IPv6 header on
	 * the packet with these addresses; saddr/daddr then keep the IPv4 key the
	 * wire and the socket tables use (LOOPBACK4_IPV6 for ::1).  0: IPv4. */
	uint8_t family;
	struct in6_addr_sim saddr6, daddr6;
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
	struct { uint32_t start_seq, end_seq; } sack[3];
	uint32_t len;		/* payload bytes */
	/* ICMP: type/code and the quoted TCP header of the offending packet */
	uint8_t icmp_type, icmp_code;
	uint32_t q_saddr, q_daddr;
	uint16_t q_source, q_dest;
	uint32_t q_seq;
};

enum pkt_kind skb_kind(const struct sk_buff *skb);
const char *pkt_kind_name(enum pkt_kind k);
int pkt_kind_from_name(const char *name);
/* "10.0.0.1:40000>10.0.0.2:80 S seq=... " style one-token-per-field detail */
char *skb_describe(const struct sk_buff *skb);
uint32_t skb_wire_bytes(const struct sk_buff *skb);

#endif
