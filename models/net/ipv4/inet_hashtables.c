/* SPDX-License-Identifier: MIT */
/*
 * Port ownership and socket lookup.  Models: net/ipv4/inet_hashtables.c @ v6.18
 * (and 5.0's __inet_hash_connect under the linux-5.0 profile).
 * Simplifications: the bind/established/listening hashes are one list per
 * host in creation order (lookups only, never iterated into event order);
 * SO_REUSEADDR but no SO_REUSEPORT and no fastreuse cache (the owners are
 * checked one by one); no ip_local_reserved_ports; the secure
 * hashes are seeded mixes instead of SipHash with a boot secret.
 */
#include <glib.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static bool port_owned(struct net *net, uint16_t port, struct sock *except)
{
	for (guint i = 0; i < net->socks->len; i++) {
		struct sock *sk = g_ptr_array_index(net->socks, i);

		if (sk != except && sk->inet_num == port)
			return true;
	}
	return false;
}

/*
 * Models: net/ipv4/inet_connection_sock.c:inet_bind_conflict() with relax
 * (a port asked for by bind() or listen()) and no SO_REUSEPORT: two sockets
 * share a port only if both set SO_REUSEADDR and the one already there is
 * not listening -- a TIME_WAIT socket counts with the SO_REUSEADDR its
 * socket had (tw_reuse).
 */
static bool inet_bind_conflict(const struct sock *sk, const struct sock *sk2)
{
	return !(sk->sk_reuse && sk2->sk_reuse && sk2->sk_state != TCP_LISTEN);
}

/* Models: net/ipv4/inet_connection_sock.c:inet_rcv_saddr_equal(), match_wildcard. */
static bool inet_rcv_saddr_equal(const struct sock *sk, const struct sock *sk2)
{
	return !sk->inet_rcv_saddr || !sk2->inet_rcv_saddr || sk->inet_rcv_saddr == sk2->inet_rcv_saddr;
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_bind_conflict() over the port's owners. */
static bool inet_csk_bind_conflict(struct net *net, const struct sock *sk, uint16_t port)
{
	for (guint i = 0; i < net->socks->len; i++) {
		const struct sock *sk2 = g_ptr_array_index(net->socks, i);

		if (sk2 != sk && sk2->inet_num == port && inet_rcv_saddr_equal(sk, sk2) &&
		    inet_bind_conflict(sk, sk2))
			return true;
	}
	return false;
}

/* listen() on a bound socket: inet_csk_listen_start() asks get_port() again. */
int inet_csk_listen_get_port(struct sock *sk)
{
	return inet_csk_bind_conflict(sock_net(sk), sk, sk->inet_num) ? -SIM_EADDRINUSE : 0;
}

/*
 * Can @port serve a connect() to (daddr, dport)?  A port held by bind() or a
 * listener is not shareable (fastreuse >= 0); one held by other connect()s
 * is, as long as the 4-tuple is unique (__inet_check_established).
 */
static bool port_usable_for_connect(struct net *net, uint16_t port, struct sock *sk)
{
	for (guint i = 0; i < net->socks->len; i++) {
		struct sock *o = g_ptr_array_index(net->socks, i);

		if (o == sk || o->inet_num != port)
			continue;
		if (o->sk_state == TCP_LISTEN || (o->sk_userlocks & SOCK_BINDPORT_LOCK) ||
		    !o->inet_dport)
			return false;
		if (o->inet_daddr == sk->inet_daddr && o->inet_dport == sk->inet_dport &&
		    o->inet_saddr == sk->inet_saddr)
			return false;
	}
	return true;
}

/* The 4-tuple of an already bound @sk must not be in use. */
static bool port_usable_for_connect_bound(struct net *net, struct sock *sk)
{
	for (guint i = 0; i < net->socks->len; i++) {
		struct sock *o = g_ptr_array_index(net->socks, i);

		if (o != sk && o->inet_num == sk->inet_num && o->inet_dport &&
		    o->inet_daddr == sk->inet_daddr && o->inet_dport == sk->inet_dport)
			return false;
	}
	return true;
}

static void port_take(struct sock *sk, uint16_t port)
{
	sk->inet_num = port;
	g_ptr_array_add(sock_net(sk)->socks, sk);
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_get_port() for bind()/listen(). */
int inet_bind_port(struct sock *sk, uint16_t port)
{
	struct net *net = sock_net(sk);
	const int *range = net->ipv4.ip_local_ports_range;

	if (port) {
		if (inet_csk_bind_conflict(net, sk, port))
			return -SIM_EADDRINUSE;
		port_take(sk, port);
		return 0;
	}
	/* bind(0): the odd-parity half first (inet_csk_find_open_port). */
	for (int parity = 1; parity >= 0; parity--)
		for (int p = range[0]; p <= range[1]; p++)
			if ((p & 1) == parity && !port_owned(net, (uint16_t)p, sk)) {
				port_take(sk, (uint16_t)p);
				return 0;
			}
	return -SIM_EADDRINUSE;
}

/* Models: net/ipv4/inet_hashtables.c:__inet_inherit_port() — a child shares the listener's port. */
void inet_inherit_port(struct sock *listener, struct sock *child)
{
	port_take(child, listener->inet_num);
}

void inet_put_port(struct sock *sk)
{
	if (!sk->inet_num)
		return;
	g_ptr_array_remove(sock_net(sk)->socks, sk);
	sk->inet_num = 0;
}

void inet_hash(struct sock *sk)
{
	sk->hashed = true;
}

void inet_unhash(struct sock *sk)
{
	sk->hashed = false;
}

struct sock *inet_lookup_established(struct net *net, uint32_t saddr, uint16_t sport,
				     uint32_t daddr, uint16_t dport)
{
	for (guint i = 0; i < net->socks->len; i++) {
		struct sock *sk = g_ptr_array_index(net->socks, i);

		if (sk->hashed && sk->sk_state != TCP_LISTEN && sk->inet_num == dport &&
		    sk->inet_dport == sport && sk->inet_daddr == saddr &&
		    (sk->inet_saddr == daddr || ipv4_is_loopback(daddr)))
			return sk;
	}
	return NULL;
}

struct sock *inet_lookup_listener(struct net *net, uint32_t daddr, uint16_t dport)
{
	for (guint i = 0; i < net->socks->len; i++) {
		struct sock *sk = g_ptr_array_index(net->socks, i);

		if (sk->hashed && sk->sk_state == TCP_LISTEN && sk->inet_num == dport &&
		    (!sk->inet_rcv_saddr || sk->inet_rcv_saddr == daddr))
			return sk;
	}
	return NULL;
}

/*
 * Models: net/ipv4/inet_hashtables.c:__inet_hash_connect().
 * 6.x: RFC 6056 algorithm 4 — a per-destination offset plus a 2^16-entry
 * perturbation table; 5.0: a single hint.  Both scan even offsets first
 * (step 2), then odd ones.
 */
int inet_hash_connect(struct sock *sk)
{
	struct net *net = sock_net(sk);
	const struct kernel_profile *prof = net->profile;
	int low = net->ipv4.ip_local_ports_range[0];
	int high = net->ipv4.ip_local_ports_range[1] + 1;	/* [low, high) */
	uint32_t remaining = (uint32_t)(high - low);
	uint64_t port_offset;
	uint32_t offset, index = 0, i;
	int port;

	if (sk->inet_num) {
		/* Bound before connect(): only the 4-tuple must be unique. */
		if (!port_usable_for_connect_bound(net, sk))
			return -SIM_EADDRNOTAVAIL;
		inet_hash(sk);
		return 0;
	}
	/* secure_ipv4_port_ephemeral(): keyed by (saddr, daddr, dport [, time/10 s]) */
	port_offset = mix64(net->port_rng.s[0] ^ ((uint64_t)sk->inet_daddr << 16) ^ sk->inet_dport ^
			    ((uint64_t)sk->inet_saddr << 32));
	if (prof->port_perturb_table) {
		port_offset = mix64(port_offset ^ (sim_jiffies(net->sim) /
						   (10 * sim_config(net->sim)->hz)));
		if (!net->port_perturb) {
			net->port_perturb = g_new(uint32_t, 1u << 16);
			for (uint32_t k = 0; k < (1u << 16); k++)
				net->port_perturb[k] = (uint32_t)sim_rng_u64(&net->port_rng);
		}
		index = (uint32_t)port_offset & 0xffff;
		offset = net->port_perturb[index] + (uint32_t)(port_offset >> 32);
	} else {
		offset = net->port_hint + (uint32_t)port_offset;
	}
	if (remaining > 1)
		remaining &= ~1u;
	offset %= remaining;
	offset &= ~1u;		/* first pass: ports of @low's parity */
	for (;;) {
		port = low + (int)offset;
		for (i = 0; i < remaining; i += 2, port += 2) {
			if (port >= high)
				port -= (int)remaining;
			if (port_usable_for_connect(net, (uint16_t)port, sk))
				goto ok;
		}
		offset++;
		if (!((offset & 1) && remaining > 1))
			break;
	}
	return -SIM_EADDRNOTAVAIL;
ok:
	if (prof->port_perturb_table) {
		uint32_t r = (uint32_t)sim_rng_below(&net->port_rng, 8) * 2;

		net->port_perturb[index] += MAX(i, r) + 2;
	} else {
		net->port_hint += i + 2;
	}
	port_take(sk, (uint16_t)port);
	inet_hash(sk);
	return 0;
}
