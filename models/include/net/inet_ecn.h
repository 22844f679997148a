/* SPDX-License-Identifier: MIT */
/*
 * include/net/inet_ecn.h: the ECN field of the IP header (RFC 3168), the
 * two low bits of the IPv4 TOS byte and of the IPv6 traffic class.
 */
#ifndef MODELS_NET_INET_ECN_H
#define MODELS_NET_INET_ECN_H

#include "net/sock.h"

enum {
	INET_ECN_NOT_ECT = 0,
	INET_ECN_ECT_1 = 1,
	INET_ECN_ECT_0 = 2,
	INET_ECN_CE = 3,
	INET_ECN_MASK = 3,
};

/* Models: include/net/inet_ecn.h:INET_ECN_xmit() — the socket's packets go out ECT(0). */
static inline void INET_ECN_xmit(struct sock *sk)
{
	sk->inet_tos = (uint8_t)((sk->inet_tos & ~INET_ECN_MASK) | INET_ECN_ECT_0);
}

/* Models: include/net/inet_ecn.h:INET_ECN_dontxmit() — the socket's packets go out Not-ECT. */
static inline void INET_ECN_dontxmit(struct sock *sk)
{
	sk->inet_tos = (uint8_t)(sk->inet_tos & ~INET_ECN_MASK);
}

#endif
