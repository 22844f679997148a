/* SPDX-License-Identifier: MIT */
/* net/core/stream.c: waits and errors shared by stream protocols. */
#ifndef MODELS_NET_STREAM_H
#define MODELS_NET_STREAM_H

#include <stdbool.h>

#include "net/sock.h"

struct task;

bool sk_stream_is_writeable(const struct sock *sk);
bool sk_stream_memory_free(const struct sock *sk);
void sk_stream_write_space(struct sock *sk);
long sk_stream_wait_connect(struct task *t, struct sock *sk, sim_time_t timeo,
			    long (*resume)(struct task *t, sim_time_t timeo_left));
long sk_stream_wait_memory(struct task *t, struct sock *sk, sim_time_t timeo,
			   long (*resume)(struct task *t, sim_time_t timeo_left));
long sk_stream_error(struct task *t, struct sock *sk, int flags, long err);

#endif
