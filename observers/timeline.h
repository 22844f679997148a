/* SPDX-License-Identifier: MIT */
/*
 * `socksim run --timeline FILE`: a Chrome trace-event JSON timeline
 * (ui.perfetto.dev and chrome://tracing open it).  One process per host;
 * in it one thread per simulated process with its syscalls as complete
 * slices (a blocked call is a long slice), one track per socket with its
 * sk_state (and, for vsock, sock->state) as slices, packets as flows from
 * the sender's "net tx" track to the receiver's "net rx" track, every other
 * trace point as an instant on its object's track, and counters (TCP cwnd
 * and in-flight, vsock peer credit, virtqueue occupancy).  Timers armed,
 * deleted and fired are instants on their socket's or task's track (others
 * in a "timers" process, one track per timer name).  Subscribes to the trace hook (sim/trace.c), the timer hook
 * (sim/timer.c) and the world's socket-state observer (chained in front of
 * the results'); deterministic: the same run gives the same bytes.
 */
#ifndef OBSERVERS_TIMELINE_H
#define OBSERVERS_TIMELINE_H

struct sim;
struct sim_trace;
struct world;
struct timeline;

/* Start recording @tr's records (takes its hook). */
struct timeline *timeline_new(struct sim_trace *tr);
/* The run's engine and world, once built: timers (takes @sim's timer hook), hosts, rings. */
void timeline_bind(struct timeline *tl, struct sim *sim, struct world *w);
/* The JSON document, with slices still open closed at the current time. */
char *timeline_finish(struct timeline *tl);
/* Free; releases the hooks (before the sim is freed). */
void timeline_free(struct timeline *tl);

#endif
