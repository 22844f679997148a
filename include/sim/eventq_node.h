/* SPDX-License-Identifier: MIT */
/* Linkage a queued event carries; layout private to sim/eventq.c. */
#ifndef SIM_EVENTQ_NODE_H
#define SIM_EVENTQ_NODE_H

#include <stdint.h>

struct sim_eventq_node {
	uint32_t loc;		/* container: bottom heap, top, or rung bucket */
	uint32_t index;		/* position in that container's array */
};

#endif
