/* SPDX-License-Identifier: MIT */
/* Socket probes (the kernel's include/trace/events/sock.h role). */
#ifndef MODELS_TRACE_EVENTS_SOCK_H
#define MODELS_TRACE_EVENTS_SOCK_H

#include "net/sock.h"
#include "trace/events.h"

/* A struct sock was created (after sk_alloc gave it its id). */
static inline void trace_sock_new(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, sock_new, sk);
}

/* The last reference to @sk went: it is freed when the current event ends
 * (after this, a subscriber must not keep @sk). */
static inline void trace_sock_free(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, sock_free, sk);
}

/* sk->sk_state or sk->sk_socket->state changed. */
static inline void trace_sock_state(struct sock *sk)
{
	TRACE_EMIT(sock_net(sk)->ks, sock_state, sk);
}

#endif
