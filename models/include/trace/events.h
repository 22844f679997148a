/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the observer seam, in the role of the kernel's
 * tracepoints (include/linux/tracepoint.h).  The models emit typed events
 * through the probes declared in trace/events/{sock,net,tcp,vsock}.h; any
 * number of subscribers (the results document, the end-of-run invariants,
 * a pcap writer, a timeline exporter) attach to a simulation's
 * struct kernel_shared and receive them, in attach order, synchronously, at
 * the simulated time of the event.  A subscriber only reads: it must not
 * change model state or schedule events, so attaching one never changes
 * what the simulation does.  docs/architecture.md describes the API.
 */
#ifndef MODELS_TRACE_EVENTS_H
#define MODELS_TRACE_EVENTS_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net_namespace.h"
#include "sim/time.h"

struct sk_buff;
struct sock;
struct task;
struct vsock_sock;
struct vsock_device;
struct virtio_vsock_pkt;
struct virtio_vsock_hdr;

/* Why the wire or a device dropped a packet (net_drop / vsock_pkt_drop). */
enum trace_drop_reason {
	DROP_NO_LINK,		/* no host at the address, or no link to it */
	DROP_QUEUE_FULL,	/* the link's drop-tail queue */
	DROP_FAULT,		/* a scenario fault rule */
	DROP_DEVICE,		/* the virtio-vsock device path (no buffer, reset) */
	DROP_QDISC,		/* the interface's root qdisc (env/qdisc.c: qdisc_drop) */
};

/*
 * One consumer.  Every callback may be NULL; @ctx is passed back.  Packet
 * events carry the packet itself (const): struct sk_buff for IPv4/TCP/ICMP
 * (addresses, ports, seq, ack, flags, window, options, payload length) and
 * struct virtio_vsock_pkt for vsock (its virtio_vsock_hdr).
 */
struct trace_subscriber {
	void *ctx;
	/* trace/events/sock.h */
	void (*sock_new)(void *ctx, struct sock *sk);
	void (*sock_state)(void *ctx, struct sock *sk);	/* sk_state or sock->state changed */
	void (*sock_free)(void *ctx, struct sock *sk);	/* freed at the end of this event */
	/* trace/events/net.h: the wire (env/wire.c) */
	void (*net_xmit)(void *ctx, struct net *from, const struct sk_buff *skb);
	void (*net_rcv)(void *ctx, struct net *to, const struct sk_buff *skb);
	void (*net_drop)(void *ctx, struct net *from, const struct sk_buff *skb,
			 enum trace_drop_reason reason);
	/* trace/events/tcp.h */
	void (*tcp_established)(void *ctx, struct sock *sk);
	void (*tcp_sent)(void *ctx, struct sock *sk, uint32_t len, bool retrans);
	void (*tcp_acked)(void *ctx, struct sock *sk, uint32_t bytes);
	void (*tcp_received)(void *ctx, struct sock *sk, uint32_t bytes);
	void (*tcp_cong)(void *ctx, struct sock *sk);	/* cwnd, ssthresh, RTO, windows may have changed */
	void (*tcp_disconnect)(void *ctx, struct sock *sk);	/* tcp_disconnect: a new connection may follow */
	/* @what: ICSK_TIME_RETRANS, ICSK_TIME_PROBE0 (the xmit timer) or ICSK_TIME_DACK */
	void (*tcp_timer_armed)(void *ctx, struct sock *sk, int what, sim_time_t expires);
	void (*tcp_timer_fired)(void *ctx, struct sock *sk, int what);
	/* trace/events/syscalls.h: @t entered a syscall (t->args) / it returned @ret */
	void (*sys_enter)(void *ctx, struct task *t);
	void (*sys_exit)(void *ctx, struct task *t, long ret);
	/* trace/events/vsock.h */
	void (*vsock_credit)(void *ctx, struct vsock_sock *vsk);	/* credit counters changed */
	void (*vsock_bytes)(void *ctx, struct vsock_sock *vsk, uint64_t sent, uint64_t received);
	void (*vsock_send_wait)(void *ctx, struct vsock_sock *vsk, bool waiting);
	void (*vsock_ring)(void *ctx, struct vsock_device *dev, int vq);	/* a virtqueue changed */
	void (*vsock_pkt_xmit)(void *ctx, struct net *from, const struct virtio_vsock_pkt *pkt);
	void (*vsock_pkt_rcv)(void *ctx, struct net *to, const struct virtio_vsock_pkt *pkt);
	/* A vsock packet from @from passing the device (vhost, where vsockmon
	 * would see it), or with @dev NULL one dropped before any device; @drop
	 * is why it goes no further (a fault rule's label), NULL if it does. */
	void (*vsock_dev_pkt)(void *ctx, struct net *from, const struct vsock_device *dev,
			      const struct virtio_vsock_hdr *hdr, const char *drop);
};

/* The events: the members of struct trace_subscriber after ctx, all function pointers. */
#define TRACE_N_EVENTS \
	((sizeof(struct trace_subscriber) - offsetof(struct trace_subscriber, sock_new)) / \
	 sizeof(void (*)(void)))
#define TRACE_EVENT_INDEX(event) \
	((offsetof(struct trace_subscriber, event) - offsetof(struct trace_subscriber, sock_new)) / \
	 sizeof(void (*)(void)))

/* The subscribers of one event (kernel_shared.trace_events[TRACE_EVENT_INDEX(event)]). */
struct trace_event_subs {
	unsigned int n;
	const struct trace_subscriber **subs;
};

/*
 * Attach @s (kept by pointer; it must outlive the simulation or be
 * detached).  Its callbacks are read here: set them before attaching.
 */
void trace_subscribe(struct kernel_shared *ks, const struct trace_subscriber *s);
void trace_unsubscribe(struct kernel_shared *ks, const struct trace_subscriber *s);

/* Call @event on every subscriber that has it. */
#define TRACE_EMIT(ks, event, ...)							\
	do {										\
		const struct trace_event_subs *e_ =					\
			&(ks)->trace_events[TRACE_EVENT_INDEX(event)];			\
		for (unsigned int i_ = 0; i_ < e_->n; i_++) {				\
			const struct trace_subscriber *s_ = e_->subs[i_];		\
			s_->event(s_->ctx, __VA_ARGS__);				\
		}									\
	} while (0)

#endif
