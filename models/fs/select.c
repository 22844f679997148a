/* SPDX-License-Identifier: MIT */
/*
 * poll(2).  Models: fs/select.c @ v6.18 (do_sys_poll, do_poll, do_pollfd,
 * poll_initwait, __pollwait, pollwake, poll_freewait) and
 * include/linux/poll.h:vfs_poll.  The first pass over the array hooks a
 * poll_table_entry on the wait queue of every file (its socket's sk_wq, an
 * epoll file's poll_wait); a keyed wake-up that matches an entry's events
 * wakes the task, which then walks the whole array again.  The timeout is
 * exact: select_estimate_accuracy()'s slack is not modelled (as for every
 * sleep here).  A signal ends the wait with EINTR: poll's -ERESTARTNOHAND
 * is never restarted after a handler, and no handler runs without one.
 */
#include "linux/poll.h"

#include "kernel/task.h"
#include "linux/errno_names.h"
#include "linux/eventpoll.h"
#include "net/socket.h"

/* Models: include/linux/poll.h:struct poll_table_entry */
struct poll_table_entry {
	struct file *filp;
	unsigned int key;
	struct wait_queue_entry wait;
	struct wait_queue_head *wait_address;
	struct poll_wqueues *pwq;
};

/* Models: include/linux/poll.h:struct poll_wqueues */
struct poll_wqueues {
	poll_table pt;
	struct task *polling_task;
	bool triggered;
	GPtrArray *entries;		/* struct poll_table_entry * */
	short *revents;			/* the kernel copy of the array's revents */
};

bool file_can_poll(const struct file *file)
{
	return file->kind != FILE_REGULAR;
}

unsigned int vfs_poll(struct file *file, poll_table *pt)
{
	switch (file->kind) {
	case FILE_SOCKET:
		return sock_poll(file, pt);
	case FILE_EPOLL:
		return ep_eventpoll_poll(file, pt);
	default:
		return DEFAULT_POLLMASK;
	}
}

/* Models: fs/select.c:__pollwake() via pollwake() */
static int pollwake(struct wait_queue_entry *wait, unsigned int key)
{
	struct poll_table_entry *entry = container_of(wait, struct poll_table_entry, wait);
	struct task *t = entry->pwq->polling_task;

	if (key && !(key & entry->key))
		return 0;
	entry->pwq->triggered = true;
	if (!t->sleeping)
		return 0;
	task_wake(t);
	return 1;
}

/* Models: fs/select.c:__pollwait() — the poll table's _qproc. */
static void __pollwait(struct file *filp, struct wait_queue_head *wait_address, poll_table *p)
{
	struct poll_wqueues *pwq = container_of(p, struct poll_wqueues, pt);
	struct poll_table_entry *entry = g_new0(struct poll_table_entry, 1);

	entry->filp = filp;
	filp->refs++;			/* get_file() */
	entry->wait_address = wait_address;
	entry->key = p->_key;
	entry->pwq = pwq;
	entry->wait.func = pollwake;
	add_wait_queue(wait_address, &entry->wait);
	g_ptr_array_add(pwq->entries, entry);
}

/* Models: fs/select.c:poll_initwait() */
static struct poll_wqueues *poll_initwait(struct task *t, unsigned int nfds)
{
	struct poll_wqueues *pwq = g_new0(struct poll_wqueues, 1);

	init_poll_funcptr(&pwq->pt, __pollwait);
	pwq->polling_task = t;
	pwq->entries = g_ptr_array_new();
	pwq->revents = g_new0(short, nfds ? nfds : 1);
	return pwq;
}

void poll_freewait(struct poll_wqueues *pwq)
{
	if (!pwq)
		return;
	for (guint i = 0; i < pwq->entries->len; i++) {
		struct poll_table_entry *entry = g_ptr_array_index(pwq->entries, i);

		remove_wait_queue(&entry->wait);
		fput(entry->filp);
	}
	poll_wqueues_free_memory(pwq);
}

void poll_wqueues_free_memory(struct poll_wqueues *pwq)
{
	if (!pwq)
		return;
	for (guint i = 0; i < pwq->entries->len; i++)
		g_free(g_ptr_array_index(pwq->entries, i));
	g_ptr_array_free(pwq->entries, TRUE);
	g_free(pwq->revents);
	g_free(pwq);
}

/* Models: fs/select.c:do_pollfd() */
static unsigned int do_pollfd(struct task *t, const struct pollfd_sim *pollfd, poll_table *pwait,
			      short *revents)
{
	unsigned int mask = 0, filter;
	struct file *f;

	if (pollfd->fd >= 0) {
		mask = EPOLLNVAL;
		f = task_fget(t, pollfd->fd);
		if (f) {
			/* demangle_poll() is the identity on x86 */
			filter = (unsigned int)(unsigned short)pollfd->events | EPOLLERR | EPOLLHUP;
			pwait->_key = filter;
			mask = vfs_poll(f, pwait) & filter;
		}
	}
	*revents = (short)mask;
	return mask;
}

static long do_poll_resume(struct task *t, sim_time_t timeo_left);

/*
 * Models: fs/select.c:do_poll(), from the top of its loop: one pass over
 * the array, then return, or sleep in poll_schedule_timeout() until a
 * pollwake(), the timeout or a signal.
 */
static long do_poll(struct task *t, sim_time_t timeo, bool timed_out)
{
	struct poll_wqueues *wait = t->frame.poll;
	const struct sys_args *a = &t->args;
	long count;

	for (;;) {
		count = 0;
		for (unsigned int i = 0; i < a->nfds; i++)
			if (do_pollfd(t, &a->ufds[i], &wait->pt, &wait->revents[i])) {
				count++;
				wait->pt._qproc = NULL;
			}
		/* every waiter is registered: no poll table on the next passes */
		wait->pt._qproc = NULL;
		if (!count && signal_pending(t))
			count = -SIM_EINTR;	/* -ERESTARTNOHAND, see above */
		if (count || timed_out || timeo == 0)
			break;
		if (!wait->triggered)
			return task_wait_sleep(t, NULL, false, timeo, do_poll_resume);
		wait->triggered = false;
	}
	/* copy revents back to the caller's array */
	for (unsigned int i = 0; i < a->nfds && count >= 0; i++) {
		struct epoll_event ev = { .events = (uint16_t)wait->revents[i], .data = (uint64_t)(int64_t)a->ufds[i].fd };

		g_array_append_val(task_uevents(t), ev);
	}
	if (a->nfds == 1 && count >= 0) {	/* the one-descriptor form reports revents */
		t->out_valid = true;
		t->out_val = (uint16_t)wait->revents[0];
	}
	poll_freewait(wait);
	t->frame.poll = NULL;
	return count;
}

static long do_poll_resume(struct task *t, sim_time_t timeo_left)
{
	t->frame.poll->triggered = false;	/* poll_schedule_timeout() */
	return do_poll(t, timeo_left, timeo_left == 0);
}

/*
 * Models: fs/select.c:SYSCALL_DEFINE3(poll) -> do_sys_poll().  More entries
 * than RLIMIT_NOFILE is EINVAL; a zero timeout never registers (the no-wait
 * case of do_poll).
 */
long sys_poll(struct task *t, const struct sys_args *a)
{
	struct poll_wqueues *wait;

	if (a->nfds > TASK_RLIMIT_NOFILE)
		return -SIM_EINVAL;
	wait = poll_initwait(t, a->nfds);
	if (a->timeout == 0)
		wait->pt._qproc = NULL;
	t->frame.poll = wait;
	return do_poll(t, a->timeout, false);
}
