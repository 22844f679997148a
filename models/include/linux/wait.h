/* SPDX-License-Identifier: MIT */
/*
 * Wait queues.  Models: include/linux/wait.h and kernel/sched/wait.c @ v6.18.
 * A queue is a list of entries, each with a wake function called with the
 * wake-up's poll key (0: no key, everybody).  Non-exclusive entries are
 * added at the head (add_wait_queue), exclusive ones at the tail
 * (add_wait_queue_exclusive); __wake_up() calls every entry in order and
 * stops after @nr_exclusive exclusive entries whose function returned
 * non-zero.  Sleeping tasks (models/kernel/wait.c) are entries too, at the
 * tail; poll tables (fs/select.c) and epoll items (fs/eventpoll.c) hook
 * their own functions here, so a socket's wake-up reaches them directly.
 */
#ifndef MODELS_LINUX_WAIT_H
#define MODELS_LINUX_WAIT_H

#include <stdbool.h>
#include <stddef.h>

struct wait_queue_entry;

/* Returns non-zero when it woke something (counts against nr_exclusive). */
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int key);

struct wait_queue_entry {
	struct wait_queue_entry *prev, *next;
	struct wait_queue_head *head;	/* the queue it is on, or NULL */
	bool exclusive;			/* WQ_FLAG_EXCLUSIVE */
	wait_queue_func_t func;
	void *private;
};

struct wait_queue_head {
	struct wait_queue_entry *first, *last;
};

static inline bool waitqueue_active(const struct wait_queue_head *wq_head)
{
	return wq_head->first != NULL;
}

/* Models: kernel/sched/wait.c:add_wait_queue() — at the head. */
void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Models: kernel/sched/wait.c:add_wait_queue_exclusive() — exclusive, at the tail. */
void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Models: include/linux/wait.h:__add_wait_queue_entry_tail() — non-exclusive, at the tail. */
void add_wait_queue_tail(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Models: kernel/sched/wait.c:remove_wait_queue(); a no-op for an entry on no queue. */
void remove_wait_queue(struct wait_queue_entry *wq_entry);
/*
 * Models: kernel/sched/wait.c:__wake_up() / __wake_up_common().  @key is the
 * poll mask of the event (EPOLLIN ..., 0 for none); @nr_exclusive 0 wakes all.
 */
void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive, unsigned int key);

#endif
