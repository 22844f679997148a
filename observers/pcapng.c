/* SPDX-License-Identifier: MIT */
/* pcapng writer and packet builders (pcapng.h). */
#include "pcapng.h"

#include <string.h>

/* Block types and option codes (pcapng specification, sections 4 and 3.5). */
#define BT_SHB		0x0A0D0D0Au
#define BT_IDB		0x00000001u
#define BT_EPB		0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define OPT_ENDOFOPT	0
#define OPT_COMMENT	1
#define SHB_USERAPPL	4
#define IF_NAME		2
#define IF_DESCRIPTION	3
#define IF_TSRESOL	9
#define EPB_FLAGS	2

struct pcapng_writer {
	GByteArray *head;	/* SHB + IDBs */
	GByteArray *packets;	/* EPBs */
	GByteArray *file;	/* head + packets, built by pcapng_writer_data() */
	uint32_t n_ifaces;
	uint64_t n_packets;
};

static void put_u8(GByteArray *b, uint8_t v)
{
	g_byte_array_append(b, &v, 1);
}

static void put_le16(GByteArray *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	g_byte_array_append(b, x, 2);
}

static void put_le32(GByteArray *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	g_byte_array_append(b, x, 4);
}

static void put_le64(GByteArray *b, uint64_t v)
{
	put_le32(b, (uint32_t)v);
	put_le32(b, (uint32_t)(v >> 32));
}

static void put_be16(GByteArray *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	g_byte_array_append(b, x, 2);
}

static void put_be32(GByteArray *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	g_byte_array_append(b, x, 4);
}

static void put_zeros(GByteArray *b, gsize n)
{
	gsize at = b->len;

	g_byte_array_set_size(b, (guint)(at + n));
	memset(b->data + at, 0, n);
}

static void pad4(GByteArray *b, gsize from)
{
	put_zeros(b, (4 - (b->len - from) % 4) % 4);
}

static void set_le32(GByteArray *b, gsize at, uint32_t v)
{
	b->data[at] = (uint8_t)v;
	b->data[at + 1] = (uint8_t)(v >> 8);
	b->data[at + 2] = (uint8_t)(v >> 16);
	b->data[at + 3] = (uint8_t)(v >> 24);
}

/* An option: code, length, value padded to 32 bits. */
static void put_option(GByteArray *b, uint16_t code, const void *value, uint16_t len)
{
	gsize at;

	put_le16(b, code);
	put_le16(b, len);
	at = b->len;
	g_byte_array_append(b, value, len);
	pad4(b, at);
}

static void put_string_option(GByteArray *b, uint16_t code, const char *s)
{
	if (s && *s)
		put_option(b, code, s, (uint16_t)MIN(strlen(s), 0xfff0u));
}

/* Start a block: type and a length filled in by end_block(). */
static gsize begin_block(GByteArray *b, uint32_t type)
{
	gsize at = b->len;

	put_le32(b, type);
	put_le32(b, 0);
	return at;
}

static void end_block(GByteArray *b, gsize at)
{
	uint32_t total = (uint32_t)(b->len - at + 4);

	put_le32(b, total);
	set_le32(b, at + 4, total);
}

struct pcapng_writer *pcapng_writer_new(const char *application)
{
	struct pcapng_writer *w = g_new0(struct pcapng_writer, 1);
	gsize at;

	w->head = g_byte_array_new();
	w->packets = g_byte_array_new();
	at = begin_block(w->head, BT_SHB);
	put_le32(w->head, BYTE_ORDER_MAGIC);
	put_le16(w->head, 1);			/* major */
	put_le16(w->head, 0);			/* minor */
	put_le64(w->head, UINT64_MAX);		/* section length: not given */
	put_string_option(w->head, SHB_USERAPPL, application);
	put_option(w->head, OPT_ENDOFOPT, NULL, 0);
	end_block(w->head, at);
	return w;
}

void pcapng_writer_free(struct pcapng_writer *w)
{
	if (!w)
		return;
	g_byte_array_unref(w->head);
	g_byte_array_unref(w->packets);
	if (w->file)
		g_byte_array_unref(w->file);
	g_free(w);
}

uint32_t pcapng_writer_add_interface(struct pcapng_writer *w, uint16_t linktype,
				     const char *name, const char *description)
{
	gsize at = begin_block(w->head, BT_IDB);
	uint8_t tsresol = 9;			/* 10^-9 s */

	put_le16(w->head, linktype);
	put_le16(w->head, 0);
	put_le32(w->head, 0);			/* snaplen: no limit */
	put_string_option(w->head, IF_NAME, name);
	put_string_option(w->head, IF_DESCRIPTION, description);
	put_option(w->head, IF_TSRESOL, &tsresol, 1);
	put_option(w->head, OPT_ENDOFOPT, NULL, 0);
	end_block(w->head, at);
	return w->n_ifaces++;
}

void pcapng_writer_add_packet(struct pcapng_writer *w, uint32_t iface, sim_time_t t,
			      const uint8_t *data, uint32_t len, uint32_t epb_flags,
			      const char *comment)
{
	GByteArray *b = w->packets;
	gsize at = begin_block(b, BT_EPB), data_at;
	uint8_t flags[4] = { (uint8_t)epb_flags, (uint8_t)(epb_flags >> 8),
			     (uint8_t)(epb_flags >> 16), (uint8_t)(epb_flags >> 24) };

	put_le32(b, iface);
	put_le32(b, (uint32_t)(t >> 32));
	put_le32(b, (uint32_t)t);
	put_le32(b, len);			/* captured */
	put_le32(b, len);			/* original */
	data_at = b->len;
	g_byte_array_append(b, data, len);
	pad4(b, data_at);
	put_string_option(b, OPT_COMMENT, comment);
	if (epb_flags)
		put_option(b, EPB_FLAGS, flags, 4);
	put_option(b, OPT_ENDOFOPT, NULL, 0);
	end_block(b, at);
	w->n_packets++;
}

uint64_t pcapng_writer_packets(const struct pcapng_writer *w)
{
	return w->n_packets;
}

const uint8_t *pcapng_writer_data(struct pcapng_writer *w, gsize *len)
{
	if (w->file)
		g_byte_array_unref(w->file);
	w->file = g_byte_array_sized_new(w->head->len + w->packets->len);
	g_byte_array_append(w->file, w->head->data, w->head->len);
	g_byte_array_append(w->file, w->packets->data, w->packets->len);
	*len = w->file->len;
	return w->file->data;
}

/* ---- packets ---- */

/* RFC 1071 one's-complement sum over @len bytes, added to @sum. */
static uint32_t csum_add(uint32_t sum, const uint8_t *p, gsize len)
{
	for (gsize i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void set_be16(GByteArray *b, gsize at, uint16_t v)
{
	b->data[at] = (uint8_t)(v >> 8);
	b->data[at + 1] = (uint8_t)v;
}

/* IPv4 header, DF set, TTL 64; returns its offset (checksum filled in). */
static gsize put_ipv4(GByteArray *b, uint32_t saddr, uint32_t daddr, uint8_t proto,
		      uint16_t ip_id, uint32_t total_len, uint8_t ecn)
{
	gsize at = b->len;

	put_u8(b, 0x45);			/* version 4, IHL 5 */
	put_u8(b, ecn & 3);			/* DSCP 0, ECN */
	put_be16(b, (uint16_t)total_len);
	put_be16(b, ip_id);
	put_be16(b, 0x4000);			/* DF */
	put_u8(b, 64);				/* TTL */
	put_u8(b, proto);
	put_be16(b, 0);				/* checksum */
	put_be32(b, saddr);
	put_be32(b, daddr);
	set_be16(b, at + 10, csum_fold(csum_add(0, b->data + at, 20)));
	return at;
}

/* IPv6 header (RFC 8200), flow label 0, hop limit 64; returns its offset. */
static gsize put_ipv6(GByteArray *b, const uint8_t saddr[16], const uint8_t daddr[16],
		      uint8_t proto, uint32_t payload_len, uint8_t ecn)
{
	gsize at = b->len;

	put_be32(b, 0x60000000u | ((uint32_t)(ecn & 3) << 20));	/* version 6, traffic class (ECN bits), flow 0 */
	put_be16(b, (uint16_t)payload_len);
	put_u8(b, proto);			/* next header */
	put_u8(b, 64);				/* hop limit */
	g_byte_array_append(b, saddr, 16);
	g_byte_array_append(b, daddr, 16);
	return at;
}

/* TCP options in the order Linux writes them (tcp_options_write()). */
static void put_tcp_options(GByteArray *o, const struct pkt_desc_tcp *d)
{
	bool syn = d->flags & 0x02;

	if (d->mss) {
		put_u8(o, 2);
		put_u8(o, 4);
		put_be16(o, d->mss);
	}
	if (d->ts) {
		if (syn && d->sack_perm) {
			put_u8(o, 4);		/* SACK permitted folded in front of TS */
			put_u8(o, 2);
		} else {
			put_u8(o, 1);
			put_u8(o, 1);
		}
		put_u8(o, 8);
		put_u8(o, 10);
		put_be32(o, d->tsval);
		put_be32(o, d->tsecr);
	} else if (syn && d->sack_perm) {
		put_u8(o, 1);
		put_u8(o, 1);
		put_u8(o, 4);
		put_u8(o, 2);
	}
	if (syn && d->wscale >= 0) {
		put_u8(o, 1);
		put_u8(o, 3);
		put_u8(o, 3);
		put_u8(o, (uint8_t)d->wscale);
	}
	if (d->num_sacks) {
		unsigned int n = MIN(d->num_sacks, d->ts ? 3u : 4u);

		put_u8(o, 1);
		put_u8(o, 1);
		put_u8(o, 5);
		put_u8(o, (uint8_t)(2 + 8 * n));
		for (unsigned int i = 0; i < n; i++) {
			put_be32(o, d->sack[i].start);
			put_be32(o, d->sack[i].end);
		}
	}
	while (o->len % 4)
		put_u8(o, 1);			/* NOP */
}

void pkt_build_ipv4_tcp(GByteArray *out, const struct pkt_desc_tcp *d)
{
	g_autoptr(GByteArray) opts = g_byte_array_new();
	uint32_t thl, seg_len, sum;
	uint8_t pseudo[12], pseudo6[40] = { 0 };
	gsize tcp_at;

	put_tcp_options(opts, d);
	thl = 20 + opts->len;
	seg_len = thl + d->payload_len;
	if (d->v6)
		put_ipv6(out, d->saddr6, d->daddr6, 6, seg_len, d->ecn);
	else
		put_ipv4(out, d->saddr, d->daddr, 6, d->ip_id, 20 + seg_len, d->ecn);
	tcp_at = out->len;
	put_be16(out, d->sport);
	put_be16(out, d->dport);
	put_be32(out, d->seq);
	put_be32(out, d->flags & 0x10 ? d->ack_seq : 0);
	put_u8(out, (uint8_t)((thl / 4) << 4));
	put_u8(out, d->flags);
	put_be16(out, d->window);
	put_be16(out, 0);			/* checksum */
	put_be16(out, 0);			/* urgent pointer */
	g_byte_array_append(out, opts->data, opts->len);
	put_zeros(out, d->payload_len);
	if (d->v6) {	/* RFC 8200 8.1: saddr, daddr, 32-bit length, zeros, next header */
		memcpy(pseudo6, d->saddr6, 16);
		memcpy(pseudo6 + 16, d->daddr6, 16);
		pseudo6[34] = (uint8_t)(seg_len >> 8);
		pseudo6[35] = (uint8_t)seg_len;
		pseudo6[39] = 6;
		sum = csum_add(0, pseudo6, sizeof(pseudo6));
	} else {	/* saddr, daddr, zero, protocol, TCP length */
		memcpy(pseudo, out->data + tcp_at - 8, 8);
		pseudo[8] = 0;
		pseudo[9] = 6;
		pseudo[10] = (uint8_t)(seg_len >> 8);
		pseudo[11] = (uint8_t)seg_len;
		sum = csum_add(0, pseudo, sizeof(pseudo));
	}
	sum = csum_add(sum, out->data + tcp_at, thl);	/* zero payload adds nothing */
	set_be16(out, tcp_at + 16, csum_fold(sum));
}

void pkt_build_ipv4_icmp(GByteArray *out, const struct pkt_desc_icmp *d)
{
	gsize icmp_at;

	put_ipv4(out, d->saddr, d->daddr, 1, d->ip_id, 20 + 8 + 28, 0);
	icmp_at = out->len;
	put_u8(out, d->type);
	put_u8(out, d->code);
	put_be16(out, 0);			/* checksum */
	put_be32(out, 0);			/* unused / next-hop MTU */
	/* the offending packet's IPv4 header and first 8 bytes of TCP */
	put_ipv4(out, d->q_saddr, d->q_daddr, 6, 0, 40, 0);
	put_be16(out, d->q_sport);
	put_be16(out, d->q_dport);
	put_be32(out, d->q_seq);
	set_be16(out, icmp_at + 2, csum_fold(csum_add(0, out->data + icmp_at, out->len - icmp_at)));
}

void pkt_build_ipv6_icmp(GByteArray *out, const struct pkt_desc_icmp6 *d)
{
	const uint32_t icmp_len = 8 + 40 + 8;
	uint8_t pseudo6[40] = { 0 };
	gsize icmp_at;

	put_ipv6(out, d->saddr6, d->daddr6, 58, icmp_len, 0);
	icmp_at = out->len;
	put_u8(out, d->type);
	put_u8(out, d->code);
	put_be16(out, 0);			/* checksum */
	put_be32(out, d->mtu);			/* unused / MTU / pointer */
	/* the offending packet's IPv6 header and first 8 bytes of TCP */
	put_ipv6(out, d->q_saddr6, d->q_daddr6, 6, 20, 0);
	put_be16(out, d->q_sport);
	put_be16(out, d->q_dport);
	put_be32(out, d->q_seq);
	/* RFC 4443 2.3: the checksum covers the RFC 8200 8.1 pseudo-header */
	memcpy(pseudo6, d->saddr6, 16);
	memcpy(pseudo6 + 16, d->daddr6, 16);
	pseudo6[34] = (uint8_t)(icmp_len >> 8);
	pseudo6[35] = (uint8_t)icmp_len;
	pseudo6[39] = 58;
	set_be16(out, icmp_at + 2, csum_fold(csum_add(csum_add(0, pseudo6, sizeof(pseudo6)),
						      out->data + icmp_at, icmp_len)));
}

/* enum af_vsockmon_op of a virtio op, as virtio_transport_build_skb() maps it. */
static uint16_t vsockmon_op(uint16_t op)
{
	switch (op) {
	case 1: case 2:		/* REQUEST, RESPONSE */
		return 1;	/* AF_VSOCK_OP_CONNECT */
	case 3: case 4:		/* RST, SHUTDOWN */
		return 2;	/* AF_VSOCK_OP_DISCONNECT */
	case 5:			/* RW */
		return 4;	/* AF_VSOCK_OP_PAYLOAD */
	case 6: case 7:		/* CREDIT_UPDATE, CREDIT_REQUEST */
		return 3;	/* AF_VSOCK_OP_CONTROL */
	default:
		return 0;	/* AF_VSOCK_OP_UNKNOWN */
	}
}

void pkt_build_vsockmon(GByteArray *out, const struct pkt_desc_vsock *d)
{
	/* struct af_vsockmon_hdr (32 bytes, little endian) */
	put_le64(out, d->src_cid);
	put_le64(out, d->dst_cid);
	put_le32(out, d->src_port);
	put_le32(out, d->dst_port);
	put_le16(out, vsockmon_op(d->op));
	put_le16(out, 2);			/* AF_VSOCK_TRANSPORT_VIRTIO */
	put_le16(out, 44);			/* transport header length */
	put_le16(out, 0);			/* reserved */
	/* struct virtio_vsock_hdr (44 bytes, little endian) */
	put_le64(out, d->src_cid);
	put_le64(out, d->dst_cid);
	put_le32(out, d->src_port);
	put_le32(out, d->dst_port);
	put_le32(out, d->len);
	put_le16(out, d->type);
	put_le16(out, d->op);
	put_le32(out, d->flags);
	put_le32(out, d->buf_alloc);
	put_le32(out, d->fwd_cnt);
	put_zeros(out, d->len);
}
