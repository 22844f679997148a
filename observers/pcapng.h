/* SPDX-License-Identifier: MIT */
/*
 * A pcapng writer (the format of draft-ietf-opsawg-pcapng, what Wireshark
 * and tshark read) and the packet builders socksim needs: IPv4 + TCP or
 * ICMP (LINKTYPE_RAW) with real headers, options and checksums, and
 * AF_VSOCK packets as a vsockmon capture (LINKTYPE_VSOCK: struct
 * af_vsockmon_hdr, include/uapi/linux/vsockmon.h, then the 44-byte
 * virtio_vsock_hdr).  Pure: no simulation types, nothing global; the whole
 * file is built in memory and handed back for an atomic write.
 */
#ifndef OBSERVERS_PCAPNG_H
#define OBSERVERS_PCAPNG_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

#define PCAPNG_LINKTYPE_RAW	101	/* raw IPv4/IPv6, no link header */
#define PCAPNG_LINKTYPE_VSOCK	271	/* vsockmon */

/* epb_flags direction bits */
#define PCAPNG_EPB_INBOUND	1u
#define PCAPNG_EPB_OUTBOUND	2u

struct pcapng_writer;

struct pcapng_writer *pcapng_writer_new(const char *application);
void pcapng_writer_free(struct pcapng_writer *w);
/* Declare an interface (timestamps in ns: if_tsresol = 9); returns its id. */
uint32_t pcapng_writer_add_interface(struct pcapng_writer *w, uint16_t linktype,
				     const char *name, const char *description);
/* An Enhanced Packet Block; @comment (may be NULL) becomes opt_comment. */
void pcapng_writer_add_packet(struct pcapng_writer *w, uint32_t iface, sim_time_t t,
			      const uint8_t *data, uint32_t len, uint32_t epb_flags,
			      const char *comment);
uint64_t pcapng_writer_packets(const struct pcapng_writer *w);
/* The file: section header, interfaces, packets.  Valid until the next add. */
const uint8_t *pcapng_writer_data(struct pcapng_writer *w, gsize *len);

/* One TCP segment inside IPv4 (or IPv6 with v6).  Payload bytes are zeros. */
struct pkt_desc_tcp {
	uint32_t saddr, daddr;		/* host byte order */
	bool v6;			/* an IPv6 header with saddr6/daddr6 instead */
	uint8_t saddr6[16], daddr6[16];	/* network byte order */
	uint16_t ip_id;
	uint8_t ecn;			/* the IP ECN field: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE */
	uint16_t sport, dport;
	uint32_t seq, ack_seq;
	uint8_t flags;			/* FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 ECE 0x40 CWR 0x80 */
	uint16_t window;		/* the raw 16-bit field */
	uint16_t mss;			/* 0: no MSS option */
	int wscale;			/* < 0: no window-scale option */
	bool sack_perm;
	bool ts;			/* timestamps option with tsval/tsecr */
	uint32_t tsval, tsecr;
	unsigned int num_sacks;		/* at most 4 (3 with timestamps) */
	struct { uint32_t start, end; } sack[4];
	uint32_t payload_len;
};

/* Append the IPv4 (or IPv6) + TCP packet (checksums filled in) to @out. */
void pkt_build_ipv4_tcp(GByteArray *out, const struct pkt_desc_tcp *d);

/* An ICMP error from @saddr to @daddr quoting the IPv4 + 8 TCP bytes of a packet. */
struct pkt_desc_icmp {
	uint32_t saddr, daddr;
	uint16_t ip_id;
	uint8_t type, code;
	uint32_t q_saddr, q_daddr;
	uint16_t q_sport, q_dport;
	uint32_t q_seq;
};

void pkt_build_ipv4_icmp(GByteArray *out, const struct pkt_desc_icmp *d);

/* An ICMPv6 error (RFC 4443) quoting the IPv6 + 8 TCP bytes of a packet; @mtu
 * fills the 32-bit field after the checksum (Packet Too Big's MTU, else 0). */
struct pkt_desc_icmp6 {
	uint8_t saddr6[16], daddr6[16];
	uint8_t type, code;
	uint32_t mtu;
	uint8_t q_saddr6[16], q_daddr6[16];
	uint16_t q_sport, q_dport;
	uint32_t q_seq;
};

void pkt_build_ipv6_icmp(GByteArray *out, const struct pkt_desc_icmp6 *d);

/* A virtio-vsock packet header (host byte order) and its payload length. */
struct pkt_desc_vsock {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port;
	uint32_t len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
};

/* Append af_vsockmon_hdr + virtio_vsock_hdr (little endian) + zero payload. */
void pkt_build_vsockmon(GByteArray *out, const struct pkt_desc_vsock *d);

#endif
