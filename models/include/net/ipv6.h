/* SPDX-License-Identifier: MIT */
/*
 * IPv6 for TCP: the address type, the address-type classes the connect path
 * looks at (include/net/ipv6.h, net/ipv6/addrconf_core.c) and the AF_INET6
 * socket layer (net/ipv6/af_inet6.c, net/ipv6/tcp_ipv6.c).
 */
#ifndef MODELS_NET_IPV6_H
#define MODELS_NET_IPV6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net;
struct socket;
struct sock;
struct sockaddr_sim;
struct sk_buff;
struct request_sock;

#define AF_INET6		10
#define IPPROTO_IPV6		41
#define IPV6_V6ONLY		26
/* include/net/ipv6.h: a sockaddr_in6 without sin6_scope_id */
#define SIN6_LEN_RFC2133	24

/* include/net/ipv6.h: struct in6_addr, network byte order */
struct in6_addr_sim {
	uint8_t s6_addr[16];
};

/* include/net/ipv6.h: __ipv6_addr_type() classes that the model tells apart */
#define IPV6_ADDR_ANY		0x0000U
#define IPV6_ADDR_UNICAST	0x0001U
#define IPV6_ADDR_MULTICAST	0x0002U
#define IPV6_ADDR_LOOPBACK	0x0010U
#define IPV6_ADDR_LINKLOCAL	0x0020U
#define IPV6_ADDR_MAPPED	0x1000U

bool ipv6_addr_any(const struct in6_addr_sim *a);
bool ipv6_addr_equal(const struct in6_addr_sim *a, const struct in6_addr_sim *b);
bool ipv6_addr_v4mapped(const struct in6_addr_sim *a);
unsigned int ipv6_addr_type(const struct in6_addr_sim *a);
/* ::ffff:a.b.c.d from a host-order IPv4 address */
void ipv6_addr_set_v4mapped(uint32_t v4, struct in6_addr_sim *out);
/* the IPv4 address (host order) in the low 32 bits */
uint32_t ipv6_addr_v4(const struct in6_addr_sim *a);
/* "2001:db8::1" (RFC 5952, %pI6c) into @buf of at least 46 bytes */
void ip6_compressed_string(const struct in6_addr_sim *a, char *buf, size_t len);

/* net/ipv6/af_inet6.c */
extern const struct proto_ops inet6_stream_ops;
int inet6_create(struct net *net, struct socket *sock, int type, int protocol);

/* net/ipv6/tcp_ipv6.c */
extern const struct proto tcpv6_prot;
int tcp_v6_connect(struct sock *sk, const struct sockaddr_sim *addr);
/* an IPv6 SYN: the request keeps the addresses (tcp_v6_init_req) */
void tcp_v6_init_req(struct request_sock *req, const struct sk_buff *skb);
/* a reply (RST) to an IPv6 packet: its IPv6 header, addresses swapped */
void tcp_v6_reply_hdr(struct sk_buff *reply, const struct sk_buff *skb);

/* net/ipv6/tcp_ipv6.c:tcp_v6_err(): an ICMPv6 error for a TCP socket */
void tcp_v6_err(struct net *net, const struct sk_buff *icmp);

/* net/ipv6/icmp.c: the errno of an ICMPv6 error (and whether it is fatal),
 * an error quoting @orig sent by @router, and an error received */
int icmpv6_err_convert(uint8_t type, uint8_t code, bool *fatal);
void icmp6_send(struct net *router, const struct sk_buff *orig, uint8_t type, uint8_t code);
void icmpv6_rcv(struct net *net, const struct sk_buff *skb);

/* net/ipv6/inet6_connection_sock.c: the IPv6 header of a socket's packet
 * (inet6_csk_xmit); nothing for a v4-mapped peer (ipv6_mapped af_ops) */
void inet6_csk_xmit(const struct sock *sk, struct sk_buff *skb);
/* icsk_af_ops->net_header_len: 40 for ipv6_specific, 20 for IPv4 and v4-mapped */
unsigned int inet_csk_net_header_len(const struct sock *sk);
/* dst_metric_advmss() of a request's route: 1460 IPv4, 1440 IPv6 on the 1500-byte
 * interface; 65495 / 65476 over lo */
uint32_t req_advmss(const struct request_sock *req);

/* net/ipv6/inet6_hashtables.c:inet6_lookup_listener() (in the model's
 * models/net/ipv4/inet_hashtables.c, beside the table it walks) */
struct sock *inet6_lookup_listener(struct net *net, const struct in6_addr_sim *daddr,
				   uint16_t dport);

#endif
