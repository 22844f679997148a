/* SPDX-License-Identifier: MIT */
/*
 * epoll's hooks into the rest of the kernel.  Models: include/linux/eventpoll.h
 * @ v6.18; the implementation is models/fs/eventpoll.c.
 */
#ifndef MODELS_LINUX_EVENTPOLL_H
#define MODELS_LINUX_EVENTPOLL_H

#include <stdbool.h>

#include "linux/poll.h"

struct file;
struct eventpoll;
struct task;
struct sys_args;

/* Models: fs/eventpoll.c:eventpoll_release_file() via eventpoll_release(): a closed file leaves every epoll set. */
void eventpoll_release(struct file *file);
/* Models: fs/eventpoll.c:ep_eventpoll_release() — the epoll file's own release (ep_clear_and_put). */
void ep_eventpoll_release(struct file *file);
/* Models: fs/eventpoll.c:ep_eventpoll_poll() — EPOLLIN|EPOLLRDNORM when an item is really ready. */
unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait);
/* Teardown at the end of the run: frees @ep and its items without touching any queue. */
void ep_free_memory(struct eventpoll *ep);

/* The syscalls (syscall_table in models/net/socket.c). */
long sys_epoll_create(struct task *t, const struct sys_args *a);
long sys_epoll_create1(struct task *t, const struct sys_args *a);
long sys_epoll_ctl(struct task *t, const struct sys_args *a);
long sys_epoll_wait(struct task *t, const struct sys_args *a);

#endif
