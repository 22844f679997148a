/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the root qdisc of a host's interface (env/qdisc.h).
 * Each kind mirrors its net/sched/ file, function by function.
 */
#include "env/qdisc.h"

const char *qdisc_kind_name(enum qdisc_kind kind)
{
	switch (kind) {
	case QDISC_PFIFO:
		return "pfifo";
	case QDISC_NONE:
	default:
		return "none";
	}
}

/*
 * Models: net/sched/sch_fifo.c:pfifo_enqueue() — queue the packet while
 * fewer than sch->limit packets wait, else qdisc_drop() (NET_XMIT_DROP).
 * socksim's device is never busy (it takes each packet at once: the link
 * serialises on its own, env/wire.c), so nothing waits in the fifo: qlen is
 * 0 at every enqueue, as with net/core/dev.c:__dev_xmit_skb()'s bypass of an
 * empty TCQ_F_CAN_BYPASS queue, which fifo_init() sets for a limit of at
 * least one packet.  So `pfifo limit 0` drops every packet, and any other
 * limit passes every packet to the device.
 */
static bool pfifo_enqueue(const struct qdisc *q)
{
	const uint32_t qlen = 0;	/* sch->q.qlen: the device drained it (above) */

	return qlen < q->limit;
}

bool qdisc_enqueue(const struct qdisc *q)
{
	switch (q->kind) {
	case QDISC_PFIFO:
		return pfifo_enqueue(q);
	case QDISC_NONE:
	default:
		return true;
	}
}
