/* SPDX-License-Identifier: MIT */
/* pcapng capture of a world's packets (capture.h). */
#include "capture.h"

#include <string.h>

#include "env/vsock.h"
#include "env/world.h"
#include "net/tcp.h"
#include "pcapng.h"

/* What the capture remembers of one TCP connection (for the timestamps option). */
struct tcp_conn {
	bool syn_ts, synack_ts;		/* each side offered timestamps */
	GArray *arrivals[2];		/* per direction: struct ts_arrival, send order */
};

struct ts_arrival {
	sim_time_t arrive;
	uint32_t tsval;
};

struct pcap_capture {
	struct world *world;
	struct pcapng_writer *w;
	GHashTable *ifaces;		/* name -> interface id + 1 (lookups only) */
	GHashTable *conns;		/* "a:p-b:q" (lower end first) -> struct tcp_conn */
	GByteArray *buf;
	struct trace_subscriber sub;	/* vsock packets (trace/events/vsock.h) */
};

static void conn_free(void *p)
{
	struct tcp_conn *c = p;

	for (int i = 0; i < 2; i++)
		if (c->arrivals[i])
			g_array_unref(c->arrivals[i]);
	g_free(c);
}

static uint32_t iface_of(struct pcap_capture *c, uint16_t linktype, const char *name,
			 const char *desc)
{
	gpointer v = g_hash_table_lookup(c->ifaces, name);
	uint32_t id;

	if (v)
		return GPOINTER_TO_UINT(v) - 1;
	id = pcapng_writer_add_interface(c->w, linktype, name, desc);
	g_hash_table_insert(c->ifaces, g_strdup(name), GUINT_TO_POINTER(id + 1));
	return id;
}

/* The IPv4 interface of @from -> @to: "client>server", "client lo". */
static uint32_t ip_iface(struct pcap_capture *c, const struct host *from, const struct host *to)
{
	g_autofree char *name = NULL, *desc = NULL, *fa = ip4_to_string(from->addr);

	if (to == from) {
		name = g_strdup_printf("%s lo", from->name);
		desc = g_strdup_printf("loopback of %s (%s)", from->name, fa);
	} else if (!to) {
		name = g_strdup_printf("%s>unrouted", from->name);
		desc = g_strdup_printf("packets from %s (%s) to an address no host has", from->name, fa);
	} else {
		g_autofree char *ta = ip4_to_string(to->addr);

		name = g_strdup_printf("%s>%s", from->name, to->name);
		desc = g_strdup_printf("link %s (%s) -> %s (%s), recorded as packets leave %s",
				       from->name, fa, to->name, ta, from->name);
	}
	return iface_of(c, PCAPNG_LINKTYPE_RAW, name, desc);
}

/* Timestamps: TSval is the sender's TCP clock (tcp_time_stamp_ms()), TSecr
 * the newest TSval of the peer's packets that have arrived by now. */
static struct tcp_conn *conn_of(struct pcap_capture *c, const struct sk_buff *skb, int *dir)
{
	uint64_t a = (uint64_t)skb->saddr << 16 | skb->source;
	uint64_t b = (uint64_t)skb->daddr << 16 | skb->dest;
	g_autofree char *key = NULL;
	struct tcp_conn *conn;

	*dir = a < b ? 0 : 1;
	key = g_strdup_printf("%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", MIN(a, b), MAX(a, b));
	conn = g_hash_table_lookup(c->conns, key);
	if (!conn) {
		conn = g_new0(struct tcp_conn, 1);
		for (int i = 0; i < 2; i++)
			conn->arrivals[i] = g_array_new(FALSE, FALSE, sizeof(struct ts_arrival));
		g_hash_table_insert(c->conns, g_steal_pointer(&key), conn);
	}
	return conn;
}

static uint32_t tsecr_at(const GArray *peer, sim_time_t now)
{
	uint32_t best = 0;

	/* Packets are in send order; arrivals are nearly so: look back a little. */
	for (guint i = peer->len, seen = 0; i-- > 0 && seen < 64;) {
		const struct ts_arrival *a = &g_array_index(peer, struct ts_arrival, i);

		if (a->arrive <= now) {
			best = MAX(best, a->tsval);
			seen++;
		}
	}
	return best;
}

static void tcp_desc(struct pcap_capture *c, const struct wire_tap_pkt *p, sim_time_t now,
		     struct pkt_desc_tcp *d)
{
	const struct sk_buff *skb = p->skb;
	struct tcp_conn *conn;
	int dir;

	*d = (struct pkt_desc_tcp){
		.saddr = skb->saddr, .daddr = skb->daddr, .ip_id = (uint16_t)skb->id, .ecn = skb->ecn,
		.sport = skb->source, .dport = skb->dest, .seq = skb->seq, .ack_seq = skb->ack_seq,
		.flags = skb->flags, .window = skb->window, .mss = skb->mss, .wscale = -1,
		.payload_len = skb->len, .v6 = skb->family == AF_INET6,
	};
	if (d->v6) {
		memcpy(d->saddr6, skb->saddr6.s6_addr, 16);
		memcpy(d->daddr6, skb->daddr6.s6_addr, 16);
	}
	if (skb->flags & TCPHDR_SYN) {
		d->wscale = skb->wscale == 0xff ? -1 : skb->wscale;
		d->sack_perm = skb->sack_perm;
	}
	d->num_sacks = MIN(skb->num_sacks, (unsigned int)SKB_MAX_SACKS);
	for (unsigned int i = 0; i < d->num_sacks; i++) {
		d->sack[i].start = skb->sack[i].start_seq;
		d->sack[i].end = skb->sack[i].end_seq;
	}
	conn = conn_of(c, skb, &dir);
	if ((skb->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN) {
		conn->syn_ts = skb->ts_ok;
		conn->synack_ts = false;
	} else if (skb->flags & TCPHDR_SYN) {
		conn->synack_ts = skb->ts_ok && conn->syn_ts;
	}
	/* A SYN offers timestamps; afterwards both ends use them if both offered.
	 * Resets carry none (tcp_v4_send_reset()). */
	if ((skb->flags & TCPHDR_SYN) ? skb->ts_ok :
	    (conn->syn_ts && conn->synack_ts && !(skb->flags & TCPHDR_RST))) {
		d->ts = true;
		d->tsval = tcp_time_stamp_ms(now);
		d->tsecr = tsecr_at(conn->arrivals[!dir], now);
		if (!p->drop)
			g_array_append_val(conn->arrivals[dir],
					   ((struct ts_arrival){ p->arrive, d->tsval }));
	}
}

static void tap_ip(void *opaque, const struct wire_tap_pkt *p)
{
	struct pcap_capture *c = opaque;
	const struct sk_buff *skb = p->skb;
	sim_time_t now = sim_now(c->world->sim);
	g_autofree char *comment = NULL;

	g_byte_array_set_size(c->buf, 0);
	if (skb->protocol == IPPROTO_ICMPV6) {
		struct pkt_desc_icmp6 d = {
			.type = skb->icmp_type, .code = skb->icmp_code,
			/* the model has no path MTU: Packet Too Big names the IPv6 minimum */
			.mtu = skb->icmp_type == ICMPV6_PKT_TOOBIG ? 1280u : 0u,
			.q_sport = skb->q_source, .q_dport = skb->q_dest, .q_seq = skb->q_seq,
		};

		memcpy(d.saddr6, skb->saddr6.s6_addr, 16);
		memcpy(d.daddr6, skb->daddr6.s6_addr, 16);
		memcpy(d.q_saddr6, skb->q_saddr6.s6_addr, 16);
		memcpy(d.q_daddr6, skb->q_daddr6.s6_addr, 16);
		pkt_build_ipv6_icmp(c->buf, &d);
	} else if (skb->protocol == IPPROTO_ICMP) {
		pkt_build_ipv4_icmp(c->buf, &(struct pkt_desc_icmp){
			.saddr = skb->saddr, .daddr = skb->daddr, .ip_id = (uint16_t)skb->id,
			.type = skb->icmp_type, .code = skb->icmp_code,
			.q_saddr = skb->q_saddr, .q_daddr = skb->q_daddr,
			.q_sport = skb->q_source, .q_dport = skb->q_dest, .q_seq = skb->q_seq,
		});
	} else {
		struct pkt_desc_tcp d;

		tcp_desc(c, p, now, &d);
		pkt_build_ipv4_tcp(c->buf, &d);
	}
	/* Only the exceptions get a comment: Wireshark lists every comment in Expert Info. */
	if (p->drop)
		comment = g_strdup_printf("socksim id=%" G_GUINT64_FORMAT " dropped: %s", skb->id, p->drop);
	else if (p->note)
		comment = g_strdup_printf("socksim id=%" G_GUINT64_FORMAT " duplicate made by %s",
					  skb->id, p->note);
	pcapng_writer_add_packet(c->w, ip_iface(c, p->from, p->to), now, c->buf->data, c->buf->len,
				 PCAPNG_EPB_OUTBOUND, comment);
}

/* The host at the other end of @dev from @from. */
static const struct host *vsock_peer(const struct vsock_device *dev, const struct net *from)
{
	return host_of(from == dev->guest ? dev->hyp : dev->guest);
}

/* trace/events/vsock.h: a vsock packet at the device, or dropped before any. */
static void tap_vsock(void *opaque, struct net *from_net, const struct vsock_device *dev,
		      const struct virtio_vsock_hdr *hdr, const char *drop)
{
	struct pcap_capture *c = opaque;
	const struct host *from = host_of(from_net);
	g_autofree char *name = NULL, *desc = NULL, *comment = NULL;

	if (dev) {
		const struct host *to = vsock_peer(dev, from_net);

		name = g_strdup_printf("%s>%s vsock", from->name, to->name);
		desc = g_strdup_printf("virtio-vsock device of %s (CID %u): %s -> %s, recorded at vhost "
				       "as vsockmon would", dev->label, dev->guest_cid, from->name, to->name);
	} else {
		name = g_strdup_printf("%s vsock (no device)", from->name);
		desc = g_strdup_printf("vsock packets of %s dropped before reaching any device", from->name);
	}
	g_byte_array_set_size(c->buf, 0);
	pkt_build_vsockmon(c->buf, &(struct pkt_desc_vsock){
		.src_cid = hdr->src_cid, .dst_cid = hdr->dst_cid,
		.src_port = hdr->src_port, .dst_port = hdr->dst_port, .len = hdr->len,
		.type = hdr->type, .op = hdr->op, .flags = hdr->flags,
		.buf_alloc = hdr->buf_alloc, .fwd_cnt = hdr->fwd_cnt,
	});
	if (drop)
		comment = g_strdup_printf("dropped: %s", drop);
	pcapng_writer_add_packet(c->w, iface_of(c, PCAPNG_LINKTYPE_VSOCK, name, desc),
				 sim_now(c->world->sim), c->buf->data, c->buf->len,
				 PCAPNG_EPB_OUTBOUND, comment);
}

struct pcap_capture *pcap_capture_attach(struct world *w)
{
	struct pcap_capture *c = g_new0(struct pcap_capture, 1);

	c->world = w;
	c->w = pcapng_writer_new("socksim");
	c->ifaces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	c->conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, conn_free);
	c->buf = g_byte_array_new();
	w->tap = (struct world_pkt_tap){ .ip = tap_ip, .opaque = c };
	c->sub = (struct trace_subscriber){ .ctx = c, .vsock_dev_pkt = tap_vsock };
	trace_subscribe(&w->ks, &c->sub);
	return c;
}

void pcap_capture_free(struct pcap_capture *c)
{
	if (!c)
		return;
	if (c->world->tap.opaque == c)
		c->world->tap = (struct world_pkt_tap){ 0 };
	trace_unsubscribe(&c->world->ks, &c->sub);
	pcapng_writer_free(c->w);
	g_hash_table_unref(c->ifaces);
	g_hash_table_unref(c->conns);
	g_byte_array_unref(c->buf);
	g_free(c);
}

uint64_t pcap_capture_packets(const struct pcap_capture *c)
{
	return pcapng_writer_packets(c->w);
}

const uint8_t *pcap_capture_data(struct pcap_capture *c, gsize *len)
{
	return pcapng_writer_data(c->w, len);
}
