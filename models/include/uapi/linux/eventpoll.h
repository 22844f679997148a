/* SPDX-License-Identifier: MIT */
/*
 * The epoll ABI.  Models: include/uapi/linux/eventpoll.h and the poll bits
 * of include/uapi/asm-generic/poll.h @ v6.18 (EPOLLx == POLLx).
 */
#ifndef MODELS_UAPI_LINUX_EVENTPOLL_H
#define MODELS_UAPI_LINUX_EVENTPOLL_H

#include <stdint.h>

#define EPOLL_CLOEXEC	02000000	/* O_CLOEXEC */

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

#define EPOLLIN		0x00000001u
#define EPOLLPRI	0x00000002u
#define EPOLLOUT	0x00000004u
#define EPOLLERR	0x00000008u
#define EPOLLHUP	0x00000010u
#define EPOLLNVAL	0x00000020u
#define EPOLLRDNORM	0x00000040u
#define EPOLLRDBAND	0x00000080u
#define EPOLLWRNORM	0x00000100u
#define EPOLLWRBAND	0x00000200u
#define EPOLLMSG	0x00000400u
#define EPOLLRDHUP	0x00002000u
#define EPOLLEXCLUSIVE	(1u << 28)
#define EPOLLWAKEUP	(1u << 29)
#define EPOLLONESHOT	(1u << 30)
#define EPOLLET		(1u << 31)

/* The keys of the socket wake-ups (net/core/sock.c, net/core/stream.c). */
#define EPOLL_KEY_READABLE	(EPOLLIN | EPOLLPRI | EPOLLRDNORM | EPOLLRDBAND)	/* sock_def_readable */
#define EPOLL_KEY_WRITE_SPACE	(EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND)	/* sk_stream_write_space, sock_def_write_space */

/* struct epoll_event (packed on x86-64): what epoll_wait() hands back. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
};

#endif
