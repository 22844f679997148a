/* SPDX-License-Identifier: MIT */
/* Packet helpers: kind, trace description, bytes on the wire. */
#include "net/skb.h"

#include <glib.h>
#include <string.h>

#include "net/ipv4.h"
#include "net/tcp.h"

static const char *const kind_names[PKT_KIND_MAX] = {
	[PKT_SYN] = "SYN", [PKT_SYNACK] = "SYNACK", [PKT_ACK] = "ACK",
	[PKT_RST] = "RST", [PKT_DATA] = "DATA", [PKT_FIN] = "FIN",
	[PKT_ICMP] = "ICMP",
};

enum pkt_kind skb_kind(const struct sk_buff *skb)
{
	if (skb->protocol == IPPROTO_ICMP || skb->protocol == IPPROTO_ICMPV6)
		return PKT_ICMP;
	if (skb->flags & TCPHDR_RST)
		return PKT_RST;
	if (skb->flags & TCPHDR_SYN)
		return skb->flags & TCPHDR_ACK ? PKT_SYNACK : PKT_SYN;
	if (skb->flags & TCPHDR_FIN)
		return PKT_FIN;
	if (skb->len)
		return PKT_DATA;
	return PKT_ACK;
}

const char *pkt_kind_name(enum pkt_kind k)
{
	return k < PKT_KIND_MAX ? kind_names[k] : "?";
}

int pkt_kind_from_name(const char *name)
{
	for (int k = 0; k < PKT_KIND_MAX; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return -1;
}

/* The ECN field's codepoints by packetdrill's names (INET_ECN_* order). */
static const char *const ecn_names[4] = { "noecn", "ect1", "ect0", "ce" };

const char *skb_ecn_name(uint8_t ecn)
{
	return ecn_names[ecn & 3];
}

int skb_ecn_from_name(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(ecn_names[i], name) == 0)
			return i;
	return -1;
}

static void flags_str(uint8_t f, char *buf)
{
	char *p = buf;

	if (f & TCPHDR_SYN)
		*p++ = 'S';
	if (f & TCPHDR_FIN)
		*p++ = 'F';
	if (f & TCPHDR_RST)
		*p++ = 'R';
	if (f & TCPHDR_PSH)
		*p++ = 'P';
	if (f & TCPHDR_ECE)
		*p++ = 'E';
	if (f & TCPHDR_CWR)
		*p++ = 'W';
	if (f & TCPHDR_ACK)
		*p++ = '.';
	*p = '\0';
}

static void addr_port(GString *s, const char *key, uint32_t a, uint16_t port)
{
	g_string_append_printf(s, "%s=%u.%u.%u.%u:%u", key, a >> 24, (a >> 16) & 255,
			       (a >> 8) & 255, a & 255, port);
}

static void addr6_port(GString *s, const char *key, const struct in6_addr_sim *a, uint16_t port)
{
	char buf[48];

	ip6_compressed_string(a, buf, sizeof(buf));
	g_string_append_printf(s, "%s=[%s]:%u", key, buf, port);
}

char *skb_describe(const struct sk_buff *skb)
{
	GString *s = g_string_new(NULL);
	char fl[10];

	g_string_append_printf(s, "kind=%s ", pkt_kind_name(skb_kind(skb)));
	if (skb->protocol == IPPROTO_ICMPV6) {	/* "src=[2001:db8::fe] icmp6 type=1 code=3" */
		char buf[48];

		ip6_compressed_string(&skb->saddr6, buf, sizeof(buf));
		g_string_append_printf(s, "src=[%s] icmp6 type=%u code=%u ", buf,
				       skb->icmp_type, skb->icmp_code);
		addr6_port(s, "quoted", &skb->q_daddr6, skb->q_dest);
	} else if (skb->protocol == IPPROTO_ICMP) {
		g_string_append_printf(s, "src=%u.%u.%u.%u type=%u code=%u ",
				       skb->saddr >> 24, (skb->saddr >> 16) & 255,
				       (skb->saddr >> 8) & 255, skb->saddr & 255,
				       skb->icmp_type, skb->icmp_code);
		addr_port(s, "quoted", skb->q_daddr, skb->q_dest);
	} else {
		flags_str(skb->flags, fl);
		if (skb->family == AF_INET6) {	/* "src=[::1]:40000" */
			addr6_port(s, "src", &skb->saddr6, skb->source);
			g_string_append_c(s, ' ');
			addr6_port(s, "dst", &skb->daddr6, skb->dest);
		} else {
			addr_port(s, "src", skb->saddr, skb->source);
			g_string_append_c(s, ' ');
			addr_port(s, "dst", skb->daddr, skb->dest);
		}
		g_string_append_printf(s, " flags=%s seq=%u", fl, skb->seq);
		if (skb->flags & TCPHDR_ACK)
			g_string_append_printf(s, " ack=%u", skb->ack_seq);
		g_string_append_printf(s, " win=%u len=%u", skb->window, skb->len);
		if (skb->ecn)
			g_string_append_printf(s, " ecn=%s", skb_ecn_name(skb->ecn));
		if (skb->mss)
			g_string_append_printf(s, " mss=%u", skb->mss);
		/* the other TCP options on the wire (wscale, SACK-permitted and TS on SYNs) */
		if ((skb->flags & TCPHDR_SYN) && skb->wscale != 0xff)
			g_string_append_printf(s, " wscale=%u", skb->wscale);
		if (skb->sack_perm)
			g_string_append(s, " sackok=1");
		if (skb->ts_ok)
			g_string_append(s, " ts=1");
		for (int i = 0; i < skb->num_sacks && i < SKB_MAX_SACKS; i++)	/* sack=A-B,C-D: one field */
			g_string_append_printf(s, "%s%u-%u", i ? "," : " sack=", skb->sack[i].start_seq,
					       skb->sack[i].end_seq);
	}
	g_string_append_printf(s, " id=%" G_GUINT64_FORMAT, skb->id);
	return g_string_free(s, FALSE);
}

uint32_t skb_wire_bytes(const struct sk_buff *skb)
{
	if (skb->protocol == IPPROTO_ICMP)
		return 20 + 8 + 28;
	/* IPv4 20 (IPv6 40) + TCP 20 (+ options: SYN 20, others 12 with timestamps) */
	return (skb->family == AF_INET6 ? 60 : 40) + ((skb->flags & TCPHDR_SYN) ? 20 : 12) + skb->len;
}

/*
 * Models: net/core/skbuff.c:__alloc_skb() — from the simulation's cache of
 * sk_buffs (skbuff_cache, kmem_cache_alloc_node): a packet costs no malloc;
 * numbered in creation order for the traces.
 */
struct sk_buff *skb_alloc(struct net *net)
{
	struct sk_buff *skb = kernel_zalloc(net->ks, sizeof(*skb));

	skb->id = ++net->ks->next_skb_id;
	return skb;
}

/* Models: net/core/skbuff.c:kfree_skb() — back to the cache (kmem_cache_free). */
void kfree_skb(struct net *net, struct sk_buff *skb)
{
	kernel_zfree(net->ks, skb, sizeof(*skb));
}

/*
 * Models: net/core/skbuff.c:skb_clone() — a second sk_buff for the same
 * packet (same id), from the same cache: what loopback_xmit() hands the
 * receive softirq (netif_rx) and what waits in a socket's backlog.
 */
struct sk_buff *skb_clone(struct net *net, const struct sk_buff *skb)
{
	struct sk_buff *clone = kernel_zalloc(net->ks, sizeof(*clone));

	*clone = *skb;
	return clone;
}

/* Models: net/core/skbuff.c:skb_queue_purge() — free every skb of @list. */
void skb_queue_purge(struct net *net, GQueue *list)
{
	struct sk_buff *skb;

	while ((skb = g_queue_pop_head(list)))
		kfree_skb(net, skb);
}

void skb_icmp_quote(struct sk_buff *icmp, const struct sk_buff *orig)
{
	icmp->q_saddr = orig->saddr;
	icmp->q_daddr = orig->daddr;
	icmp->q_saddr6 = orig->saddr6;
	icmp->q_daddr6 = orig->daddr6;
	icmp->q_source = orig->source;
	icmp->q_dest = orig->dest;
	icmp->q_seq = orig->seq;
}

/* include/linux/skbuff.h, x86-64: SKB_DATA_ALIGN(sizeof(struct sk_buff)) and
 * SKB_DATA_ALIGN(sizeof(struct skb_shared_info)); NET_SKB_PAD; the head of
 * SKB_SMALL_HEAD_CACHE_SIZE (SKB_HEAD_ALIGN(MAX_TCP_HEADER)) */
#define RSKB_STRUCT_ALIGNED	256u
#define RSKB_SHINFO_ALIGNED	320u
#define RSKB_NET_SKB_PAD	64u
#define RSKB_SMALL_HEAD_SIZE	640u
#define RSKB_KMALLOC_MAX_CACHE	8192u

/*
 * Models: net/core/skbuff.c:__alloc_skb() + kmalloc_reserve() for the skb a
 * device builds around a received packet of @pkt_len bytes (IP header on),
 * as drivers/net/tun.c:tun_get_user() does for a packet written to a tun
 * device (packetdrill's): one linear head of NET_SKB_PAD + the packet,
 * SKB_DATA_ALIGNed, plus the shared info, from the small-head cache, a
 * kmalloc size class or whole pages (kmalloc_size_roundup).  Sets the
 * skb's truesize (SKB_TRUESIZE of what the allocation gave) and the room
 * left after the packet (skb_tailroom).
 */
void skb_rcv_alloc(uint32_t pkt_len, uint32_t *truesize, uint32_t *tailroom)
{
	uint32_t used = RSKB_NET_SKB_PAD + pkt_len;
	uint32_t size = ((used + 63u) & ~63u) + RSKB_SHINFO_ALIGNED;
	uint32_t alloc;

	if (size <= RSKB_SMALL_HEAD_SIZE) {
		alloc = RSKB_SMALL_HEAD_SIZE;
	} else if (size <= RSKB_KMALLOC_MAX_CACHE) {
		alloc = 1024u;
		while (alloc < size)
			alloc <<= 1;
	} else {
		alloc = 4096u;	/* kmalloc_large: PAGE_SIZE << get_order(size) */
		while (alloc < size)
			alloc <<= 1;
	}
	alloc -= RSKB_SHINFO_ALIGNED;	/* SKB_WITH_OVERHEAD */
	*truesize = alloc + RSKB_STRUCT_ALIGNED + RSKB_SHINFO_ALIGNED;
	*tailroom = alloc - used;
}
