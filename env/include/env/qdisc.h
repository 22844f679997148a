/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the queueing discipline of a host's one interface (the
 * root qdisc `tc qdisc add dev DEV root ...` installs), between
 * net/core/dev.c:__dev_queue_xmit() and the device's ndo_start_xmit (the
 * wire, env/wire.c).  The kernel models see only what the enqueue returned
 * (NET_XMIT_SUCCESS or NET_XMIT_DROP, through dev_queue_xmit()).
 *
 * A host has no qdisc until a scenario installs one: every packet goes
 * straight to the wire (today's behaviour, the noqueue of a virtual device).
 */
#ifndef ENV_QDISC_H
#define ENV_QDISC_H

#include <stdbool.h>
#include <stdint.h>

enum qdisc_kind {
	QDISC_NONE,	/* no root qdisc: straight to the device */
	QDISC_PFIFO,	/* net/sched/sch_fifo.c: pfifo, a packet-limited fifo */
};

struct qdisc {
	enum qdisc_kind kind;
	uint32_t limit;		/* pfifo: sch->limit, in packets */
};

/* The kind's name as tc spells it ("pfifo"), or "none". */
const char *qdisc_kind_name(enum qdisc_kind kind);

/*
 * Enqueue a packet on @q (the host's root qdisc): true when the qdisc passes
 * it on to the device now, false when the qdisc dropped it (the caller frees
 * it and returns NET_XMIT_DROP).
 */
bool qdisc_enqueue(const struct qdisc *q);

#endif
