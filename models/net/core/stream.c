/* SPDX-License-Identifier: MIT */
/*
 * Waiting and errors for stream sockets.  Models: net/core/stream.c @ v6.18.
 * Each "wait" is one pass of the kernel's loop: it returns 0 when the
 * caller may go on, a negative errno, or TASK_SLEPT after putting the
 * task to sleep with @resume as its continuation.
 */
#include "uapi/linux/eventpoll.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/stream.h"

#define SIGPIPE 13

/*
 * Models: include/net/sock.h:__sk_stream_memory_free() — room in the send
 * buffer, and the protocol's own test (sk_prot->stream_memory_free; TCP is
 * the only stream protocol here: tcp_stream_memory_free, TCP_NOTSENT_LOWAT).
 */
static bool __sk_stream_memory_free(const struct sock *sk, int wake)
{
	if (sk->sk_wmem_queued >= sk->sk_sndbuf)
		return false;
	return tcp_stream_memory_free(sk, wake);
}

/*
 * Models: include/net/sock.h:__sk_stream_is_writeable() — a third of the
 * buffer free (sk_stream_wspace >= sk_stream_min_wspace) and memory free
 * with @wake 1: unsent bytes count double (tcp_stream_memory_free).
 */
bool sk_stream_is_writeable(const struct sock *sk)
{
	return sk->sk_sndbuf - sk->sk_wmem_queued >= (sk->sk_wmem_queued >> 1) &&
	       __sk_stream_memory_free(sk, 1);
}

/* Models: include/net/sock.h:sk_stream_memory_free() */
bool sk_stream_memory_free(const struct sock *sk)
{
	return __sk_stream_memory_free(sk, 0);
}

/* Models: net/core/stream.c:sk_stream_write_space() — wake a writer once writeable. */
void sk_stream_write_space(struct sock *sk)
{
	if (sk->sk_nospace && sk_stream_is_writeable(sk)) {
		sk->sk_nospace = false;
		sk_wake_poll(sk, EPOLL_KEY_WRITE_SPACE);
	}
}

/* Models: net/core/stream.c:sk_stream_wait_connect() — one pass of its loop. */
long sk_stream_wait_connect(struct task *t, struct sock *sk, sim_time_t timeo,
			    long (*resume)(struct task *t, sim_time_t timeo_left))
{
	if (sk->sk_err)
		return sock_error(sk);
	if (!((1 << sk->sk_state) & ((1 << TCP_SYN_SENT) | (1 << TCP_SYN_RECV))))
		return -SIM_EPIPE;
	if (!timeo)
		return -SIM_EAGAIN;
	if (signal_pending(t))
		return sock_intr_errno(t->frame.timeo);
	sk->sk_write_pending++;
	return sk_wait_sleep(t, sk, timeo, resume);
}

/* Models: net/core/stream.c:sk_stream_wait_memory() — one pass of its loop. */
long sk_stream_wait_memory(struct task *t, struct sock *sk, sim_time_t timeo,
			   long (*resume)(struct task *t, sim_time_t timeo_left))
{
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		return -SIM_EPIPE;
	if (!timeo)
		return -SIM_EAGAIN;	/* SOCK_NOSPACE stays set: a later ACK gives POLLOUT */
	if (signal_pending(t))
		return sock_intr_errno(t->frame.timeo);
	if (sk_stream_memory_free(sk))
		return 0;
	sk->sk_nospace = true;
	sk->sk_write_pending++;
	return sk_wait_sleep(t, sk, timeo, resume);
}

/* Models: net/core/stream.c:sk_stream_error() — EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
long sk_stream_error(struct task *t, struct sock *sk, int flags, long err)
{
	if (err == -SIM_EPIPE) {
		int pending = sock_error(sk);

		err = pending ? pending : -SIM_EPIPE;
	}
	if (err == -SIM_EPIPE && !(flags & MSG_NOSIGNAL))
		task_send_signal(t, SIGPIPE);
	return err;
}
