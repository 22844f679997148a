/* SPDX-License-Identifier: MIT */
/*
 * Poll tables.  Models: include/linux/poll.h @ v6.18.  A file's poll
 * function calls poll_wait() on each queue it can be woken from; the
 * table's _qproc (select.c's __pollwait, eventpoll.c's
 * ep_ptable_queue_proc) hooks an entry there, or does nothing when the
 * caller only wants the mask (_qproc NULL).
 */
#ifndef MODELS_LINUX_POLL_H
#define MODELS_LINUX_POLL_H

#include <stdbool.h>

#include "linux/wait.h"
#include "uapi/linux/eventpoll.h"

struct file;
struct poll_table_struct;

typedef void (*poll_queue_proc)(struct file *file, struct wait_queue_head *whead,
				struct poll_table_struct *pt);

typedef struct poll_table_struct {
	poll_queue_proc _qproc;
	unsigned int _key;		/* the events the caller waits for */
} poll_table;

#define DEFAULT_POLLMASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

static inline void poll_wait(struct file *filp, struct wait_queue_head *wait_address, poll_table *p)
{
	if (p && p->_qproc && wait_address)
		p->_qproc(filp, wait_address, p);
}

static inline void init_poll_funcptr(poll_table *pt, poll_queue_proc qproc)
{
	pt->_qproc = qproc;
	pt->_key = ~0u;
}

struct task;
struct sys_args;
struct poll_wqueues;

/* Models: fs/select.c:poll_freewait() — unhook every entry and drop its file reference. */
void poll_freewait(struct poll_wqueues *pwq);
/* Teardown at the end of the run: frees @pwq without touching any queue or file. */
void poll_wqueues_free_memory(struct poll_wqueues *pwq);
/* Models: fs/select.c:SYSCALL_DEFINE3(poll) -> do_sys_poll(). */
long sys_poll(struct task *t, const struct sys_args *a);

/* Models: include/linux/poll.h:vfs_poll() — file->f_op->poll, or DEFAULT_POLLMASK. */
unsigned int vfs_poll(struct file *file, poll_table *pt);
/* Models: include/linux/poll.h:file_can_poll() */
bool file_can_poll(const struct file *file);

#endif
