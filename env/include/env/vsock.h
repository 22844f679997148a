/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the virtio-vsock world around the kernel models.  A
 * struct vsock_device joins a guest (virtio_transport.c, the guest driver)
 * and its host (drivers/vhost/vsock.c, one vhost instance): the vrings they
 * share, the timing knobs of the path between them (VM exits, interrupt
 * injection, worker wake-ups, copies), the vsock fault rules, packet
 * accounting for the invariants, and the samples the results report.
 */
#ifndef MODELS_ENV_VSOCK_H
#define MODELS_ENV_VSOCK_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "drivers/vhost/vhost.h"
#include "env/fault.h"
#include "env/world.h"
#include "linux/virtio_vsock.h"
#include "net/vsock_device.h"


/* Defaults of struct vsock_dev_params (net/vsock_device.h). */
void vsock_dev_params_init(struct vsock_dev_params *p);

/* A knob: name, default text, unit, source, meaning (for `socksim list-params`). */
struct vsock_knob {
	const char *name, *def, *unit, *source, *doc;
};
extern const struct vsock_knob vsock_knobs[];


/* The VMM joining a guest to its host: the device both drivers see, and the rest. */
struct vsock_vmm {
	struct vsock_device dev;	/* the kernel's view (net/vsock_device.h) */
	struct world *world;
	struct host *guest, *hyp;
};

static inline struct vsock_vmm *vsock_vmm_of(const struct vsock_device *dev)
{
	return (struct vsock_vmm *)((char *)dev - offsetof(struct vsock_vmm, dev));
}

enum vsock_fault_kind {
	VSOCK_FAULT_FREEZE,		/* vhost worker frozen during a window */
	VSOCK_FAULT_RX_STARVE,		/* guest rx_fill gets no buffers during a window */
	VSOCK_FAULT_DROP,		/* packets lost on the device path */
	VSOCK_FAULT_DELAY,		/* extra time per packet on the device path */
	VSOCK_FAULT_RESET,		/* VIRTIO_VSOCK_EVENT_TRANSPORT_RESET at a time */
};

struct vsock_fault {
	struct world *world;
	const struct fault_kind_ops *ops;	/* its row of env/include/env/fault_kinds.h */
	enum vsock_fault_kind kind;
	char *label;			/* "fault@12:vsock-freeze" */
	int dev;			/* device index, -1: any */
	struct host *from;		/* DROP/DELAY: sender's host, NULL: any */
	struct fault_params p;		/* kind_mask: 1 << VIRTIO_VSOCK_OP_*; at, extra, nth, count */
	struct fault_state st;
};

struct vsock_world {
	struct world *world;
	GPtrArray *devices;		/* struct vsock_device *, declaration order */
	GPtrArray *faults;		/* struct vsock_fault *, declaration order */
	GPtrArray *socks;		/* every vsock_sock, creation order (results) */
};

struct vsock_world *vsock_world_get(struct world *w);
void vsock_world_free(struct vsock_world *vw);
struct vsock_device *vsock_device_add(struct world *w, struct host *guest, struct host *hyp,
				      uint32_t guest_cid, const struct vsock_dev_params *p);
/* Start every device (driver probe + vhost start) once all are declared. */
void vsock_world_start(struct world *w);
#endif
