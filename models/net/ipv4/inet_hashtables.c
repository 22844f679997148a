/* SPDX-License-Identifier: MIT */
/*
 * Port ownership and socket lookup.  Models: net/ipv4/inet_hashtables.c @ v6.18
 * (and 5.0's __inet_hash_connect under the linux-5.0 profile).
 * The bind, established and listening hashes are per-namespace chained hash
 * tables (struct inet_hashinfo in models/include/net/net_namespace.h): a
 * lookup or port check costs the sockets of one chain, not of the host.
 * Simplifications: SO_REUSEADDR but no SO_REUSEPORT and no fastreuse cache
 * (a port's owners are checked one by one); no ip_local_reserved_ports; the
 * secure hashes are seeded mixes instead of SipHash with a boot secret; a
 * bind bucket is the chain of the sockets on its port, not a separate object.
 * Not in the kernel: a bitmap per destination of the ports connect() gave
 * there (struct inet_connect_dest), so that __inet_hash_connect's scan skips
 * them a word at a time (and runs of full words through a summary bitmap)
 * instead of walking a bind chain per candidate; it picks the same port
 * after the same number of steps.  Also not in the
 * kernel: a count per port of the owners that did not get it from connect()
 * (hashinfo.port_other); a candidate with none is usable without the walk.
 * And an owner that connect() gave its port to joins no bind chain: the
 * checks find it from the bitmaps (connect_port_any()).
 */
#include <glib.h>
#include <stddef.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/inet_timewait_sock.h"
#include "net/tcp.h"
#include "sim/bigmem.h"

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Models: include/net/inet_hashtables.h:inet_ehashfn() (a mix, no secret). */
uint32_t inet_ehashfn(uint16_t lport, uint32_t faddr, uint16_t fport)
{
	return (uint32_t)mix64(((uint64_t)lport << 48) | ((uint64_t)fport << 32) | faddr);
}

/* Models: include/net/inet_hashtables.h:inet_bhashfn() / inet_lhashfn(). */
static uint32_t inet_bhashfn(uint16_t lport)
{
	return (uint32_t)mix64(lport);
}

/* ---- the chained tables (not kernel code: the kernel's hlist buckets) ---- */

/*
 * Doubly linked chains (hlist: next and a pointer to the previous link), so
 * that an object leaves in O(1) even from the chain of a busy listener's
 * port.  The chains link sockets or timewait socks (one table holds one
 * kind); @off is the offset of the next pointer, and the pprev pointer
 * follows it.
 */
#define SK_LINK(obj, off) (*(void **)((char *)(obj) + (off)))
#define SK_PPREV(obj, off) (*(void ***)((char *)(obj) + (off) + sizeof(void *)))
#define NODE_LINK offsetof(struct sock, sk_node_next)
#define BIND_LINK offsetof(struct sock, sk_bind_next)
#define TW_NODE_LINK offsetof(struct inet_timewait_sock, tw_node_next)
#define TW_BIND_LINK offsetof(struct inet_timewait_sock, tw_bind_next)
G_STATIC_ASSERT(offsetof(struct sock, sk_node_pprev) == NODE_LINK + sizeof(void *));
G_STATIC_ASSERT(offsetof(struct sock, sk_bind_pprev) == BIND_LINK + sizeof(void *));
/* the keys an ehash lookup compares and the link, in a socket's first line */
G_STATIC_ASSERT(offsetof(struct sock, sk_node_pprev) + sizeof(void *) <= 64);
G_STATIC_ASSERT(offsetof(struct inet_timewait_sock, tw_node_pprev) == TW_NODE_LINK + sizeof(void *));
G_STATIC_ASSERT(offsetof(struct inet_timewait_sock, tw_bind_pprev) == TW_BIND_LINK + sizeof(void *));

/* hlist_add_head() */
static void chain_push(void **head, void *obj, size_t off)
{
	void *first = *head;

	SK_LINK(obj, off) = first;
	if (first)
		SK_PPREV(first, off) = &SK_LINK(obj, off);
	SK_PPREV(obj, off) = head;
	*head = obj;
}

static uint32_t node_hash(const void *obj)
{
	return ((const struct sock *)obj)->sk_hash;
}

static uint32_t bind_hash(const void *obj)
{
	return inet_bhashfn(((const struct sock *)obj)->inet_num);
}

static uint32_t tw_node_hash(const void *obj)
{
	return ((const struct inet_timewait_sock *)obj)->tw_hash;
}

static uint32_t tw_bind_hash(const void *obj)
{
	return inet_bhashfn(((const struct inet_timewait_sock *)obj)->tw_num);
}

/* the bucket array (a big one is on huge pages: its reads hit no order) */
static void htable_free_buckets(struct inet_htable *t)
{
	if (t->buckets)
		sim_bigmem_free(t->buckets, (t->mask + (size_t)1) * sizeof(void *));
	t->buckets = NULL;
}

static void htable_grow(struct inet_htable *t, size_t off, uint32_t (*hashof)(const void *))
{
	uint32_t n = (t->mask + 1) * 2;
	void **nb = sim_bigmem_alloc0(n * sizeof(void *));

	for (uint32_t b = 0; b <= t->mask; b++) {
		void *obj = t->buckets[b];

		while (obj) {
			void *next = SK_LINK(obj, off);

			chain_push(&nb[hashof(obj) & (n - 1)], obj, off);
			obj = next;
		}
	}
	htable_free_buckets(t);
	t->buckets = nb;
	t->mask = n - 1;
}

/*
 * A table keyed by a 4-tuple (the ehash, the timewait ehash) grows to keep
 * at least two buckets per object, as the kernel's ehash is sized for more
 * sockets than it holds (alloc_large_system_hash): a lookup, hit or miss,
 * steps through few sockets that are not its own.  A table keyed by the
 * local port alone (@by_port: bind tables, listeners) stops at a bucket per
 * port, as the kernel's bhash does: more buckets cannot split the owners of
 * one port, and growing would only rehash them.
 */
static void htable_add(struct inet_htable *t, void *obj, uint32_t hash, size_t off,
		       uint32_t (*hashof)(const void *), bool by_port)
{
	if (!t->buckets) {
		t->mask = 15;
		t->buckets = sim_bigmem_alloc0((t->mask + (size_t)1) * sizeof(void *));
	} else if (by_port ? t->count > t->mask && t->mask < UINT16_MAX : t->count > t->mask / 2) {
		htable_grow(t, off, hashof);
	}
	chain_push(&t->buckets[hash & t->mask], obj, off);
	t->count++;
}

/* hlist_del() */
static void htable_del(struct inet_htable *t, void *obj, size_t off)
{
	void *next = SK_LINK(obj, off);

	*SK_PPREV(obj, off) = next;
	if (next)
		SK_PPREV(next, off) = SK_PPREV(obj, off);
	SK_LINK(obj, off) = NULL;
	SK_PPREV(obj, off) = NULL;
	t->count--;
}

static void *htable_chain(const struct inet_htable *t, uint32_t hash)
{
	return t->buckets ? t->buckets[hash & t->mask] : NULL;
}

void inet_hashinfo_free(struct inet_hashinfo *h)
{
	/* the timewait socks still waiting are the simulation's slab objects */
	htable_free_buckets(&h->tw_ehash);
	htable_free_buckets(&h->tw_bhash);
	g_free(h->port_other);
	if (h->connect_dests)
		g_hash_table_destroy(h->connect_dests);
	if (h->connect_dest_list)
		g_ptr_array_free(h->connect_dest_list, TRUE);
	htable_free_buckets(&h->ehash);
	htable_free_buckets(&h->lhash);
	htable_free_buckets(&h->bhash);
	g_free(h->rhash);
}

/* The sockets owning local port @port (the bind bucket's owners). */
static struct sock *bind_chain(struct net *net, uint16_t port)
{
	return htable_chain(&net->hashinfo.bhash, inet_bhashfn(port));
}

/* The timewait socks owning local port @port (they stay in the bind bucket). */
static struct inet_timewait_sock *tw_bind_chain(struct net *net, uint16_t port)
{
	return htable_chain(&net->hashinfo.tw_bhash, inet_bhashfn(port));
}

/*
 * The owners of a port that inet_hash_connect() gave it (below, "ports given
 * by connect()") are on no bind chain: each is found from its destination's
 * bitmap and, when a check needs the owner itself, by its 4-tuple in the
 * ehash or the timewait ehash.
 */
struct connect_owner {
	struct sock *sk;			/* the socket, or NULL: */
	struct inet_timewait_sock *tw;		/* its timewait sock */
};
/* Does @pred hold for an owner connect() gave @port to (NULL: is there one)? */
static bool connect_port_any(struct net *net, uint16_t port,
			     bool (*pred)(const struct connect_owner *o, const void *arg),
			     const void *arg);
static bool connect_port_tuple_taken(struct net *net, uint16_t port, uint32_t daddr,
				     uint16_t dport);

static bool port_owned(struct net *net, uint16_t port, struct sock *except)
{
	for (struct sock *sk = bind_chain(net, port); sk; sk = sk->sk_bind_next)
		if (sk != except && sk->inet_num == port)
			return true;
	for (struct inet_timewait_sock *tw = tw_bind_chain(net, port); tw; tw = tw->tw_bind_next)
		if (tw->tw_num == port)
			return true;
	return connect_port_any(net, port, NULL, NULL);	/* @except owns no port yet */
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

static bool inet_csk_bind_conflict_sk(const struct sock *sk, const struct sock *sk2, uint16_t port)
{
	return sk2 != sk && sk2->inet_num == port && inet_rcv_saddr_equal(sk, sk2) &&
	       inet_bind_conflict(sk, sk2);
}

static bool inet_csk_bind_conflict_tw(const struct sock *sk, const struct inet_timewait_sock *tw,
				      uint16_t port)
{
	return tw->tw_num == port &&
	       (!sk->inet_rcv_saddr || !tw->tw_rcv_saddr || sk->inet_rcv_saddr == tw->tw_rcv_saddr) &&
	       !(sk->sk_reuse && tw->tw_reuse);
}

struct bind_conflict_arg {
	const struct sock *sk;
	uint16_t port;
};

static bool connect_owner_conflicts(const struct connect_owner *o, const void *arg)
{
	const struct bind_conflict_arg *a = arg;

	return o->sk ? inet_csk_bind_conflict_sk(a->sk, o->sk, a->port) :
		       inet_csk_bind_conflict_tw(a->sk, o->tw, a->port);
}

/*
 * Models: net/ipv4/inet_connection_sock.c:inet_csk_bind_conflict() over the
 * port's owners, timewait socks included (never listening, tw_reuse).
 */
static bool inet_csk_bind_conflict(struct net *net, const struct sock *sk, uint16_t port)
{
	struct bind_conflict_arg a = { .sk = sk, .port = port };

	for (const struct sock *sk2 = bind_chain(net, port); sk2; sk2 = sk2->sk_bind_next)
		if (inet_csk_bind_conflict_sk(sk, sk2, port))
			return true;
	for (const struct inet_timewait_sock *tw = tw_bind_chain(net, port); tw; tw = tw->tw_bind_next)
		if (inet_csk_bind_conflict_tw(sk, tw, port))
			return true;
	return connect_port_any(net, port, connect_owner_conflicts, &a);
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
	/*
	 * Every owner got the port from inet_hash_connect() for a destination
	 * other than @sk's (the caller skipped the ports of @sk's destination's
	 * bitmap): such an owner is connected, not listening, not bound by the
	 * user, and its 4-tuple differs from @sk's -- the walk below would pass
	 * them all (the kernel: a bind bucket with fastreuse -1 and no 4-tuple
	 * clash in __inet_check_established's ehash lookup).
	 */
	if (!net->hashinfo.port_other || !net->hashinfo.port_other[port])
		return true;
	for (struct sock *o = bind_chain(net, port); o; o = o->sk_bind_next) {
		if (o == sk || o->inet_num != port)
			continue;
		if (o->sk_state == TCP_LISTEN || (o->sk_userlocks & SOCK_BINDPORT_LOCK) ||
		    !o->inet_dport)
			return false;
		if (o->inet_daddr == sk->inet_daddr && o->inet_dport == sk->inet_dport &&
		    o->inet_saddr == sk->inet_saddr)
			return false;
	}
	/*
	 * A timewait sock on the port: a user-bound port keeps its bucket's
	 * fastreuse >= 0; its own 4-tuple stays taken, since tcp_twsk_unique()
	 * needs timestamps the model does not carry (__inet_check_established).
	 */
	for (struct inet_timewait_sock *tw = tw_bind_chain(net, port); tw; tw = tw->tw_bind_next) {
		if (tw->tw_num != port)
			continue;
		if (tw->tw_bindport_lock)
			return false;
		if (tw->tw_daddr == sk->inet_daddr && tw->tw_dport == sk->inet_dport &&
		    tw->tw_saddr == sk->inet_saddr)
			return false;
	}
	/*
	 * The owners connect() gave the port to (sockets and timewait socks,
	 * on no chain) pass both walks above: connected, not user-bound, and
	 * of another destination than @sk's, whose ports the caller skipped.
	 */
	return true;
}

/* The 4-tuple of an already bound @sk must not be in use. */
static bool port_usable_for_connect_bound(struct net *net, struct sock *sk)
{
	for (struct sock *o = bind_chain(net, sk->inet_num); o; o = o->sk_bind_next) {
		if (o != sk && o->inet_num == sk->inet_num && o->inet_dport &&
		    o->inet_daddr == sk->inet_daddr && o->inet_dport == sk->inet_dport)
			return false;
	}
	/* no tcp_twsk_unique(): a timewait sock keeps its 4-tuple */
	for (struct inet_timewait_sock *tw = tw_bind_chain(net, sk->inet_num); tw; tw = tw->tw_bind_next)
		if (tw->tw_num == sk->inet_num && tw->tw_daddr == sk->inet_daddr &&
		    tw->tw_dport == sk->inet_dport)
			return false;
	return !connect_port_tuple_taken(net, sk->inet_num, sk->inet_daddr, sk->inet_dport);
}

/* ---- ports given by connect(), per destination (not kernel code) ---- */

/*
 * For one (saddr, daddr, dport), the local ports that inet_hash_connect()
 * gave to a socket connecting there and that the socket still owns.  Such an
 * owner keeps that 4-tuple until it gives the port up (tcp_set_state(CLOSE)
 * puts the port before tcp_disconnect() or tcp_v4_connect()'s failure path
 * clears the addresses, and a port taken by connect() carries no
 * SOCK_BINDPORT_LOCK), so a set bit is a port that port_usable_for_connect()
 * refuses for this destination: inet_hash_connect() skips runs of them by
 * words instead of walking a bind chain per candidate.  A clear bit proves
 * nothing (a bind() or a listener may own the port): that candidate gets the
 * full check, so the port chosen is the one the chain walk alone chooses.
 */
struct connect_dest_key {
	uint32_t saddr;
	uint32_t daddr;
	uint16_t dport;
};

#define CONNECT_DEST_WORDS ((1u << 16) / 64)
/* the ports of one parity in a word of ports[] (port & 63 even, odd) */
static const uint64_t connect_dest_parity[2] = {
	UINT64_C(0x5555555555555555), UINT64_C(0xaaaaaaaaaaaaaaaa)
};

struct inet_connect_dest {
	struct connect_dest_key key;	/* first: the hash table's key */
	uint32_t users;			/* bits set */
	guint list_index;		/* in hashinfo.connect_dest_list */
	uint64_t ports[CONNECT_DEST_WORDS];
	/* bit w of full[p]: every port of parity p in ports[w] is set, so a
	 * scan of that parity passes the word in one step */
	uint64_t full[2][CONNECT_DEST_WORDS / 64];
};

static guint connect_dest_hash(gconstpointer p)
{
	const struct connect_dest_key *d = p;

	return (guint)mix64(((uint64_t)d->saddr << 32 | d->daddr) ^ ((uint64_t)d->dport << 17));
}

static gboolean connect_dest_equal(gconstpointer a, gconstpointer b)
{
	const struct connect_dest_key *x = a, *y = b;

	return x->saddr == y->saddr && x->daddr == y->daddr && x->dport == y->dport;
}

/*
 * The bitmap of @sk's destination, NULL if no port is given there.  The key
 * is the destination alone: not an 8 KiB inet_connect_dest zeroed per lookup.
 */
static struct inet_connect_dest *connect_dest_find(struct net *net, const struct sock *sk)
{
	struct connect_dest_key key = {
		.saddr = sk->inet_saddr, .daddr = sk->inet_daddr, .dport = sk->inet_dport,
	};

	if (!net->hashinfo.connect_dests)
		return NULL;
	return g_hash_table_lookup(net->hashinfo.connect_dests, &key);
}

/* @sk, connecting, took inet_num: set its bit in its destination's bitmap. */
static void connect_dest_add(struct net *net, struct sock *sk, struct inet_connect_dest *d)
{
	struct inet_hashinfo *h = &net->hashinfo;
	uint32_t w, p;

	if (!d) {
		if (!h->connect_dests)
			h->connect_dests = g_hash_table_new_full(connect_dest_hash, connect_dest_equal,
								 NULL, g_free);
		d = g_new0(struct inet_connect_dest, 1);
		d->key.saddr = sk->inet_saddr;
		d->key.daddr = sk->inet_daddr;
		d->key.dport = sk->inet_dport;
		g_hash_table_insert(h->connect_dests, &d->key, d);
		if (!h->connect_dest_list)
			h->connect_dest_list = g_ptr_array_new();
		d->list_index = h->connect_dest_list->len;
		g_ptr_array_add(h->connect_dest_list, d);
	}
	w = sk->inet_num >> 6;
	p = sk->inet_num & 1;
	d->ports[w] |= UINT64_C(1) << (sk->inet_num & 63);
	if ((d->ports[w] & connect_dest_parity[p]) == connect_dest_parity[p])
		d->full[p][w >> 6] |= UINT64_C(1) << (w & 63);
	d->users++;
	sk->sk_connect_dest = d;
}

/* The owner of @port (a socket or its timewait sock) gives up the port connect() gave it. */
static void connect_dest_del(struct net *net, struct inet_connect_dest *d, uint16_t port)
{
	uint32_t w = port >> 6;

	d->ports[w] &= ~(UINT64_C(1) << (port & 63));
	d->full[port & 1][w >> 6] &= ~(UINT64_C(1) << (w & 63));
	if (--d->users == 0) {
		GPtrArray *list = net->hashinfo.connect_dest_list;
		struct inet_connect_dest *last = g_ptr_array_index(list, list->len - 1);

		/* the last takes its place: an order made by the run's own steps */
		last->list_index = d->list_index;
		g_ptr_array_remove_index_fast(list, d->list_index);
		g_hash_table_remove(net->hashinfo.connect_dests, &d->key);
	}
}

static bool connect_dest_has(const struct inet_connect_dest *d, uint16_t port)
{
	return d->ports[port >> 6] >> (port & 63) & 1;
}

/* The destinations connect() gave ports to, in list order; @i: the next one to look at. */
static struct inet_connect_dest *connect_dest_at(const struct net *net, guint i)
{
	const GPtrArray *list = net->hashinfo.connect_dest_list;

	return list && i < list->len ? g_ptr_array_index(list, i) : NULL;
}

/*
 * The owner of @port that connect() gave it for @d: a socket in the ehash,
 * else its timewait sock (a set bit has exactly one; each keeps the
 * destination's 4-tuple while it owns the port).
 */
static struct connect_owner connect_owner_of(struct net *net, struct inet_connect_dest *d,
					     uint16_t port)
{
	const struct inet_hashinfo *h = &net->hashinfo;
	uint32_t hash = inet_ehashfn(port, d->key.daddr, d->key.dport);
	struct connect_owner o = { 0 };

	for (struct sock *sk = htable_chain(&h->ehash, hash); sk; sk = sk->sk_node_next)
		if (sk->sk_connect_dest == d && sk->inet_num == port) {
			o.sk = sk;
			return o;
		}
	for (struct inet_timewait_sock *tw = htable_chain(&h->tw_ehash, hash); tw;
	     tw = tw->tw_node_next)
		if (tw->tw_connect_dest == d && tw->tw_num == port) {
			o.tw = tw;
			return o;
		}
	g_error("inet_hashtables: port %u given by connect() has no owner", port);
}

/*
 * Whether @pred holds for one owner or none (a check of them all: the order
 * does not matter); a NULL @pred holds for any owner, found without a lookup.
 */
static bool connect_port_any(struct net *net, uint16_t port,
			     bool (*pred)(const struct connect_owner *o, const void *arg),
			     const void *arg)
{
	struct inet_connect_dest *d;

	for (guint i = 0; (d = connect_dest_at(net, i)); i++) {
		struct connect_owner o;

		if (!connect_dest_has(d, port))
			continue;
		if (!pred)
			return true;
		o = connect_owner_of(net, d, port);
		if (pred(&o, arg))
			return true;
	}
	return false;
}

/* Has connect() given @port to an owner connected to (@daddr, @dport), from any address? */
static bool connect_port_tuple_taken(struct net *net, uint16_t port, uint32_t daddr,
				     uint16_t dport)
{
	struct inet_connect_dest *d;

	for (guint i = 0; (d = connect_dest_at(net, i)); i++)
		if (d->key.daddr == daddr && d->key.dport == dport && connect_dest_has(d, port))
			return true;
	return false;
}

/* How many words from ports[@w] on have every port of @parity set. */
static uint32_t connect_dest_full_words(const struct inet_connect_dest *d, uint32_t w,
					uint32_t parity)
{
	uint32_t n = 0;

	while (w < CONNECT_DEST_WORDS) {
		uint64_t open = ~d->full[parity][w >> 6] >> (w & 63);
		uint32_t run = open ? (uint32_t)__builtin_ctzll(open) : 64 - (w & 63);

		n += run;
		w += run;
		if (open)
			break;
	}
	return n;
}

/*
 * How many of the candidates @port, @port + 2, ... (below @high, at most
 * @max) are set in @d: a word at a time, the candidates being every other
 * bit, and a run of full words (d->full) at once from a word's start.
 */
static uint32_t connect_dest_run(const struct inet_connect_dest *d, int port, int high, uint32_t max)
{
	uint32_t k = 0;

	while (k < max && port < high) {
		uint32_t shift = (uint32_t)port & 63;
		uint32_t n = shift <= 1 ? connect_dest_full_words(d, (uint32_t)port >> 6, shift) : 0;
		uint64_t free;
		uint32_t in_word, set, r;

		if (n) {
			/* 32 candidates a word, clamped as the word-by-word walk below is */
			r = (uint32_t)MIN((uint64_t)n * 32, (uint64_t)(max - k));
			r = MIN(r, (uint32_t)(high - port + 1) / 2);
			k += r;
			port += 2 * (int)r;
			continue;
		}
		free = ~(d->ports[port >> 6] >> shift) & UINT64_C(0x5555555555555555);
		in_word = (64 - shift + 1) / 2;	/* candidates left in this word */
		set = free ? (uint32_t)__builtin_ctzll(free) / 2 : 32;

		if (set > in_word)
			set = in_word;
		r = MIN(set, max - k);
		r = MIN(r, (uint32_t)(high - port + 1) / 2);
		k += r;
		port += 2 * (int)r;
		if (set < in_word)
			break;
	}
	return k;
}

/*
 * hashinfo.port_other[@port] += @d, the array (256 KiB) made on the first
 * nonzero @d: a namespace whose ports all come from connect() has none
 */
static void port_other_add(struct inet_hashinfo *h, uint16_t port, int d)
{
	if (!d)
		return;
	if (!h->port_other)
		h->port_other = g_new0(uint32_t, 1u << 16);
	h->port_other[port] += (uint32_t)d;
}

/*
 * Models: net/ipv4/inet_hashtables.c:inet_bind_hash() — @sk owns @port;
 * @by_connect: inet_hash_connect() gave it.
 */
static void port_take(struct sock *sk, uint16_t port, bool by_connect)
{
	struct inet_hashinfo *h = &sock_net(sk)->hashinfo;

	sk->sk_port_other = !by_connect;
	port_other_add(h, port, sk->sk_port_other);
	sk->inet_num = port;
	sk->sk_bind_seq = ++h->next_bind_seq;
	/* not kernel: a port connect() gives is found from its destination's
	 * bitmap (connect_port_any()), so its owner joins no bind chain: no
	 * write to the cold socket that last took the port, as
	 * hlist_add_head() makes in the kernel */
	if (!by_connect)
		htable_add(&h->bhash, sk, inet_bhashfn(port), BIND_LINK, bind_hash, true);
}

/* Models: net/ipv4/inet_connection_sock.c:inet_csk_get_port() for bind()/listen(). */
int inet_bind_port(struct sock *sk, uint16_t port)
{
	struct net *net = sock_net(sk);
	const int *range = net->ipv4.ip_local_ports_range;

	if (port) {
		if (inet_csk_bind_conflict(net, sk, port))
			return -SIM_EADDRINUSE;
		port_take(sk, port, false);
		return 0;
	}
	/* bind(0): the odd-parity half first (inet_csk_find_open_port). */
	for (int parity = 1; parity >= 0; parity--)
		for (int p = range[0]; p <= range[1]; p++)
			if ((p & 1) == parity && !port_owned(net, (uint16_t)p, sk)) {
				port_take(sk, (uint16_t)p, false);
				return 0;
			}
	return -SIM_EADDRINUSE;
}

/* Models: net/ipv4/inet_hashtables.c:__inet_inherit_port() — a child shares the listener's port. */
void inet_inherit_port(struct sock *listener, struct sock *child)
{
	port_take(child, listener->inet_num, false);
}

/* Models: net/ipv4/inet_hashtables.c:inet_put_port() — @sk gives its port up. */
void inet_put_port(struct sock *sk)
{
	if (!sk->inet_num)
		return;
	if (sk->sk_connect_dest) {
		connect_dest_del(sock_net(sk), sk->sk_connect_dest, sk->inet_num);
		sk->sk_connect_dest = NULL;
	}
	if (sk->sk_bind_pprev)	/* on a bind chain: not a port connect() gave */
		htable_del(&sock_net(sk)->hashinfo.bhash, sk, BIND_LINK);
	port_other_add(&sock_net(sk)->hashinfo, sk->inet_num, -(int)sk->sk_port_other);
	sk->inet_num = 0;
}

/*
 * Models: net/ipv4/inet_hashtables.c:inet_hash() (a listener into lhash2) and
 * inet_ehash_insert() (any other socket, by its 4-tuple).  Only a socket
 * owning a port is ever found (the lookups walk sockets with inet_num set).
 */
void inet_hash(struct sock *sk)
{
	struct inet_hashinfo *h = &sock_net(sk)->hashinfo;

	if (sk->hashed)
		inet_unhash(sk);	/* re-hash under the current 4-tuple and state */
	sk->hashed = true;
	sk->in_lhash = sk->sk_state == TCP_LISTEN;
	if (sk->in_lhash) {
		sk->sk_hash = inet_bhashfn(sk->inet_num);
		htable_add(&h->lhash, sk, sk->sk_hash, NODE_LINK, node_hash, true);
	} else {
		sk->sk_hash = inet_ehashfn(sk->inet_num, sk->inet_daddr, sk->inet_dport);
		htable_add(&h->ehash, sk, sk->sk_hash, NODE_LINK, node_hash, false);
	}
}

/* Models: net/ipv4/inet_hashtables.c:inet_unhash() */
void inet_unhash(struct sock *sk)
{
	struct inet_hashinfo *h = &sock_net(sk)->hashinfo;

	if (!sk->hashed)
		return;
	htable_del(sk->in_lhash ? &h->lhash : &h->ehash, sk, NODE_LINK);
	sk->hashed = false;
}

/* @a if @b is NULL or took its port later, else @b: lookups do not depend on chain order. */
static struct sock *first_bound(struct sock *a, struct sock *b)
{
	return !b || a->sk_bind_seq < b->sk_bind_seq ? a : b;
}

/* Models: net/ipv4/inet_hashtables.c:__inet_lookup_established() */
struct sock *inet_lookup_established(struct net *net, uint32_t saddr, uint16_t sport,
				     uint32_t daddr, uint16_t dport)
{
	struct sock *found = NULL;

	/* the ports and addresses first: they share the chain pointer's cache line */
	for (struct sock *sk = htable_chain(&net->hashinfo.ehash, inet_ehashfn(dport, saddr, sport));
	     sk; sk = sk->sk_node_next)
		if (sk->inet_num == dport && dport && sk->inet_dport == sport &&
		    sk->inet_daddr == saddr && (sk->inet_saddr == daddr || ipv4_is_loopback(daddr)) &&
		    sk->sk_state != TCP_LISTEN)
			found = first_bound(sk, found);
	return found;
}

/* include/linux/prefetch.h:prefetch_range() */
static inline void prefetch_range(const void *addr, size_t len)
{
	for (const char *p = addr, *end = p + len; p < end; p += 64)
		__builtin_prefetch(p);
}

/*
 * Not in the kernel: a hint for the lookups tcp_v4_rcv() will make for @skb
 * arriving at @net (the engine's sim_set_prefetch(), from the wire).  Stage
 * 1: load the slots of the ehash, the timewait ehash and the SYN queues'
 * request hash (inet_csk_find_req(), the same hash); stage 0 (one event
 * later): load the keys of the objects heading them.  Only reads.
 */
void inet_lookup_prefetch(const struct net *net, const struct sk_buff *skb, unsigned int stage)
{
	const struct inet_hashinfo *h = &net->hashinfo;
	uint32_t hash;

	if (skb->protocol != IPPROTO_TCP)
		return;
	hash = inet_ehashfn(skb->dest, skb->saddr, skb->source);
	if (stage) {
		if (h->ehash.buckets)
			__builtin_prefetch(&h->ehash.buckets[hash & h->ehash.mask]);
		if (h->tw_ehash.buckets)
			__builtin_prefetch(&h->tw_ehash.buckets[hash & h->tw_ehash.mask]);
		if (h->rhash)
			__builtin_prefetch(&h->rhash[hash & h->rhash_mask]);
		return;
	}
	const struct sock *sk = htable_chain(&h->ehash, hash);
	const struct inet_timewait_sock *tw = htable_chain(&h->tw_ehash, hash);
	const struct request_sock *req = h->rhash ? h->rhash[hash & h->rhash_mask] : NULL;

	/*
	 * The chain's first object is most often the one.  Of a socket, its
	 * first eight lines: struct sock (the keys, the state), the icsk
	 * retransmit timer and fields, and the send sequence numbers.  The
	 * receive path reads lines all over struct tcp_sock, but all 21 at once
	 * fill the miss buffers and delay the first ones: alternated at 10^6,
	 * 8 lines ran 9.75 s, 4 lines 10.01, 12 lines 10.00, all 21 lines 10.41,
	 * none 11.43 (bench/README.md).  A prefetch past an object never faults.
	 */
	if (sk)
		prefetch_range(sk, MIN(sizeof(struct tcp_sock), 8 * 64));
	if (tw)
		prefetch_range(tw, sizeof(*tw));
	if (req)
		prefetch_range(req, sizeof(*req));
}

/*
 * Models: net/ipv4/inet_timewait_sock.c:inet_twsk_hashdance_schedule()'s
 * linkage: @tw takes the socket's place in the ehash (the socket leaves in
 * tcp_done()) and joins its bind bucket; the port bit of inet_hash_connect()
 * passes from the socket to @tw.
 */
void inet_twsk_hash(struct inet_timewait_sock *tw)
{
	struct inet_hashinfo *h = &tw->tw_net->hashinfo;

	tw->tw_hash = inet_ehashfn(tw->tw_num, tw->tw_daddr, tw->tw_dport);
	htable_add(&h->tw_ehash, tw, tw->tw_hash, TW_NODE_LINK, tw_node_hash, false);
	if (!tw->tw_connect_dest)	/* a port connect() gave: on no bind chain (port_take()) */
		htable_add(&h->tw_bhash, tw, inet_bhashfn(tw->tw_num), TW_BIND_LINK, tw_bind_hash, true);
	tw->tw_port_other = !tw->tw_connect_dest;
	port_other_add(h, tw->tw_num, tw->tw_port_other);
}

/*
 * Models: net/ipv4/inet_timewait_sock.c:inet_twsk_kill()'s unlinking: off the
 * ehash chain and the bind bucket (inet_twsk_bind_unhash).
 */
void inet_twsk_unhash(struct inet_timewait_sock *tw)
{
	struct inet_hashinfo *h = &tw->tw_net->hashinfo;

	htable_del(&h->tw_ehash, tw, TW_NODE_LINK);
	if (tw->tw_bind_pprev)
		htable_del(&h->tw_bhash, tw, TW_BIND_LINK);
	port_other_add(h, tw->tw_num, -(int)tw->tw_port_other);
	if (tw->tw_connect_dest) {
		connect_dest_del(tw->tw_net, tw->tw_connect_dest, tw->tw_num);
		tw->tw_connect_dest = NULL;
	}
}

/*
 * Models: net/ipv4/inet_hashtables.c:__inet_lookup_established() for the
 * timewait socks of the ehash (INET_MATCH on a TCP_TIME_WAIT sock_common).
 */
struct inet_timewait_sock *inet_twsk_lookup(struct net *net, uint32_t saddr, uint16_t sport,
					    uint32_t daddr, uint16_t dport)
{
	struct inet_timewait_sock *found = NULL;

	for (struct inet_timewait_sock *tw = htable_chain(&net->hashinfo.tw_ehash,
							  inet_ehashfn(dport, saddr, sport));
	     tw; tw = tw->tw_node_next)
		if (tw->tw_num == dport && tw->tw_dport == sport && tw->tw_daddr == saddr &&
		    (tw->tw_saddr == daddr || ipv4_is_loopback(daddr)) &&
		    (!found || tw->tw_bind_seq < found->tw_bind_seq))
			found = tw;
	return found;
}

/* Models: net/ipv4/inet_hashtables.c:__inet_lookup_listener() */
struct sock *inet_lookup_listener(struct net *net, uint32_t daddr, uint16_t dport)
{
	struct sock *found = NULL;

	for (struct sock *sk = htable_chain(&net->hashinfo.lhash, inet_bhashfn(dport));
	     sk; sk = sk->sk_node_next)
		if (sk->inet_num && sk->sk_state == TCP_LISTEN && sk->inet_num == dport &&
		    (!sk->inet_rcv_saddr || sk->inet_rcv_saddr == daddr) &&
		    !sk->sk_ipv6only)	/* compute_score(): IPV6_V6ONLY takes no IPv4 */
			found = first_bound(sk, found);
	return found;
}

/*
 * Models: net/ipv6/inet6_hashtables.c:inet6_lookup_listener() — the AF_INET6
 * listeners on @dport bound to @daddr or to "::" (IPV6_V6ONLY or not).
 */
struct sock *inet6_lookup_listener(struct net *net, const struct in6_addr_sim *daddr,
				   uint16_t dport)
{
	struct sock *found = NULL;

	for (struct sock *sk = htable_chain(&net->hashinfo.lhash, inet_bhashfn(dport));
	     sk; sk = sk->sk_node_next)
		if (sk->sk_family == AF_INET6 && sk->sk_state == TCP_LISTEN &&
		    sk->inet_num == dport &&
		    (ipv6_addr_any(&sk->sk_v6_rcv_saddr) || ipv6_addr_equal(&sk->sk_v6_rcv_saddr, daddr)))
			found = first_bound(sk, found);
	return found;
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
	struct inet_connect_dest *dest;
	uint64_t port_offset;
	uint32_t offset, *perturb = NULL, i;
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
		/* table_perturb[]'s 2^16 random values, drawn when first read
		 * (port_rng moves past all of them now) */
		if (!net->port_perturb)
			net->port_perturb = sim_rng_table_new(&net->port_rng);
		perturb = sim_rng_table_at(net->port_perturb, (uint32_t)port_offset & 0xffff);
		offset = *perturb + (uint32_t)(port_offset >> 32);
	} else {
		offset = net->port_hint + (uint32_t)port_offset;
	}
	if (remaining > 1)
		remaining &= ~1u;
	offset %= remaining;
	offset &= ~1u;		/* first pass: ports of @low's parity */
	dest = connect_dest_find(net, sk);
	for (;;) {
		port = low + (int)offset;
		for (i = 0; i < remaining; i += 2, port += 2) {
			if (port >= high)
				port -= (int)remaining;
			if (dest) {
				/* ports already connected to this destination: refused */
				uint32_t k = connect_dest_run(dest, port, high, (remaining - i + 1) / 2);

				if (k) {
					i += 2 * (k - 1);
					port += 2 * (int)(k - 1);
					continue;
				}
			}
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

		*perturb += MAX(i, r) + 2;
	} else {
		net->port_hint += i + 2;
	}
	port_take(sk, (uint16_t)port, true);
	connect_dest_add(net, sk, dest);
	inet_hash(sk);
	return 0;
}
