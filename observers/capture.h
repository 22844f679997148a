/* SPDX-License-Identifier: MIT */
/*
 * `socksim run --pcap FILE`: a pcapng capture of a simulated world.  One
 * interface per link direction (packets recorded as they leave the sender,
 * dropped ones included with the reason in the packet comment) and one per
 * virtio-vsock device direction (packets recorded as they pass vhost, as
 * Linux's vsockmon sees them).  Subscribes to the world's packet taps.
 */
#ifndef OBSERVERS_CAPTURE_H
#define OBSERVERS_CAPTURE_H

#include <glib.h>
#include <stdint.h>

struct world;
struct pcap_capture;

/* Start capturing @w's packets (replaces its packet taps). */
struct pcap_capture *pcap_capture_attach(struct world *w);
/* Stop capturing and free; @w's packet taps are cleared. */
void pcap_capture_free(struct pcap_capture *c);
uint64_t pcap_capture_packets(const struct pcap_capture *c);
/* The pcapng file so far (valid until the next packet or free). */
const uint8_t *pcap_capture_data(struct pcap_capture *c, gsize *len);

#endif
