/* SPDX-License-Identifier: MIT */
/*
 * IP-level socket options (SOL_IP): net/ipv4/ip_sockglue.c.  The options
 * socksim knows are IP_TOS and IP_MTU_DISCOVER; anything else at SOL_IP is
 * ENOPROTOOPT, as do_ip_setsockopt() answers an option it does not know.
 */
#include "net/inet_ecn.h"
#include "net/ipv4.h"
#include "net/sock.h"
#include "linux/errno_names.h"

/*
 * Models: net/ipv4/ip_sockglue.c:__ip_sock_set_tos() — on a stream socket the
 * ECN bits stay TCP's; a new TOS drops the socket's cached route
 * (sk_dst_reset(): the next packet looks it up again).  socksim keeps no
 * per-socket route cache (models/net/ipv4/route.c looks routes up at connect),
 * so the route refresh changes nothing on the wire, as on Linux when the
 * route is the same.
 */
static void __ip_sock_set_tos(struct sock *sk, int val)
{
	val &= ~INET_ECN_MASK;
	val |= sk->inet_tos & INET_ECN_MASK;
	if (sk->inet_tos != (uint8_t)val)
		sk->inet_tos = (uint8_t)val;
}

/*
 * Models: net/ipv4/ip_sockglue.c:do_ip_setsockopt() — an int option is read
 * from an optlen of 4 or, as packetdrill's `[4], 1` passes it, from one byte;
 * both give the same small value, so the model takes the value as given.
 */
int ip_setsockopt(struct sock *sk, int level, int optname, int64_t val)
{
	if (level != SOL_IP)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case IP_TOS:
		__ip_sock_set_tos(sk, (int)val);
		return 0;
	case IP_MTU_DISCOVER:
		if (val < IP_PMTUDISC_DONT || val > IP_PMTUDISC_OMIT)
			return -SIM_EINVAL;
		sk->inet_pmtudisc = (uint8_t)val;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}

/* Models: net/ipv4/ip_sockglue.c:do_ip_getsockopt() for the same options. */
int ip_getsockopt(struct sock *sk, int level, int optname, int64_t *val)
{
	if (level != SOL_IP)
		return -SIM_ENOPROTOOPT;
	switch (optname) {
	case IP_TOS:
		*val = sk->inet_tos;
		return 0;
	case IP_MTU_DISCOVER:
		*val = sk->inet_pmtudisc;
		return 0;
	default:
		return -SIM_ENOPROTOOPT;
	}
}
