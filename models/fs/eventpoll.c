/* SPDX-License-Identifier: MIT */
/*
 * epoll.  Models: fs/eventpoll.c @ v6.18.  An epitem per (file, fd) watched,
 * found by its key (the kernel's rbtree; a hash table here, lookups only),
 * hooks ep_poll_callback() on the target's wait queues through the poll
 * table of ep_insert() (ep_ptable_queue_proc).  A socket's keyed wake-up
 * (sk_data_ready, sk_write_space, sk_state_change, sk_error_report) calls
 * it directly: the item goes to the tail of the ready list and one task
 * sleeping in epoll_wait() (an exclusive waiter) is woken.  ep_send_events()
 * polls each ready item again, reports the ones with events, and puts the
 * level-triggered ones back at the tail; the ones it had no room for stay
 * at the head (ep_done_scan).  Nothing scans the watched files: the cost of
 * a wake-up or an epoll_wait() is the ready items, not the watched ones.
 *
 * Left out: EPOLLWAKEUP (wakeup sources; the flag is dropped as for a
 * caller without CAP_BLOCK_SUSPEND), busy polling, max_user_watches
 * (ENOSPC), reverse_path_check()'s limit on wake-up paths, and the slack
 * of the timeout (select_estimate_accuracy): an epoll_wait() times out at
 * exactly its timeout.
 */
#include "linux/eventpoll.h"

#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/socket.h"

/* EP_MAX_NESTS (fs/eventpoll.c): the deepest chain of epoll sets inside epoll sets. */
#define EP_MAX_NESTS 4
/* EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event), 12 bytes packed on x86-64. */
#define EP_MAX_EVENTS (INT_MAX / 12)
/* Flags that are not events (EP_PRIVATE_BITS) and those EPOLLEXCLUSIVE allows. */
#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EPOLLINOUT_BITS (EPOLLIN | EPOLLOUT)
#define EPOLLEXCLUSIVE_OK_BITS (EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE)

struct epitem;

/* Models: fs/eventpoll.c:struct eppoll_entry — one hook on a target's wait queue. */
struct eppoll_entry {
	struct eppoll_entry *next;
	struct epitem *base;
	struct wait_queue_entry wait;
	struct wait_queue_head *whead;
};

/* Models: fs/eventpoll.c:struct epoll_filefd */
struct epoll_filefd {
	struct file *file;
	int fd;
};

/* Models: fs/eventpoll.c:struct epitem */
struct epitem {
	struct epoll_filefd ffd;		/* the key */
	struct epitem *rd_prev, *rd_next;	/* rdllink */
	bool rd_linked;				/* ep_is_linked() */
	struct epitem *all_prev, *all_next;	/* every item of the set, for ep_clear_and_put */
	struct epitem *fl_prev, *fl_next;	/* fllink: on ffd.file->f_ep */
	struct eppoll_entry *pwqlist;
	struct eventpoll *ep;
	struct epoll_event event;
};

/* Models: fs/eventpoll.c:struct eventpoll */
struct eventpoll {
	struct wait_queue_head wq;		/* tasks in epoll_wait(), exclusive */
	struct wait_queue_head poll_wait;	/* poll() and outer epoll sets on this file */
	struct epitem *rdl_first, *rdl_last;	/* rdllist */
	GHashTable *rbr;			/* struct epoll_filefd * -> struct epitem * */
	struct epitem *all_first;
	struct file *file;
};

static guint filefd_hash(gconstpointer p)
{
	const struct epoll_filefd *k = p;

	return (guint)k->fd * 2654435761u ^ (guint)((uintptr_t)k->file >> 4);
}

static gboolean filefd_equal(gconstpointer a, gconstpointer b)
{
	const struct epoll_filefd *x = a, *y = b;

	return x->file == y->file && x->fd == y->fd;
}

static bool is_file_epoll(const struct file *f)
{
	return f->kind == FILE_EPOLL;
}

/* ---- the ready list (a list_head in the kernel) ---- */

static void rdl_add_tail(struct eventpoll *ep, struct epitem *epi)
{
	epi->rd_next = NULL;
	epi->rd_prev = ep->rdl_last;
	if (ep->rdl_last)
		ep->rdl_last->rd_next = epi;
	else
		ep->rdl_first = epi;
	ep->rdl_last = epi;
	epi->rd_linked = true;
}

static void rdl_del_init(struct eventpoll *ep, struct epitem *epi)
{
	if (!epi->rd_linked)
		return;
	if (epi->rd_prev)
		epi->rd_prev->rd_next = epi->rd_next;
	else
		ep->rdl_first = epi->rd_next;
	if (epi->rd_next)
		epi->rd_next->rd_prev = epi->rd_prev;
	else
		ep->rdl_last = epi->rd_prev;
	epi->rd_prev = epi->rd_next = NULL;
	epi->rd_linked = false;
}

/* Models: fs/eventpoll.c:ep_events_available() (no ovflist: a scan never overlaps a callback here) */
static bool ep_events_available(const struct eventpoll *ep)
{
	return ep->rdl_first != NULL;
}

static unsigned int __ep_eventpoll_poll(struct file *file, poll_table *wait, int depth);

/* Models: the end of fs/eventpoll.c:ep_done_scan() — events left: wake another epoll_wait(). */
static void ep_done_scan(struct eventpoll *ep)
{
	if (ep_events_available(ep) && waitqueue_active(&ep->wq))
		__wake_up(&ep->wq, 1, 0);
}

/* Models: fs/eventpoll.c:ep_item_poll() */
static unsigned int ep_item_poll(struct epitem *epi, poll_table *pt, int depth)
{
	struct file *file = epi->ffd.file;
	unsigned int res;

	pt->_key = epi->event.events;
	if (!is_file_epoll(file))
		res = vfs_poll(file, pt);
	else
		res = __ep_eventpoll_poll(file, pt, depth);
	return res & epi->event.events;
}

/* Models: fs/eventpoll.c:ep_poll_safewake() — wake poll() and outer sets watching @ep. */
static void ep_poll_safewake(struct eventpoll *ep)
{
	__wake_up(&ep->poll_wait, 1, EPOLLIN);
}

/* Models: fs/eventpoll.c:ep_poll_callback() — the target's wait queue calls it. */
static int ep_poll_callback(struct wait_queue_entry *wait, unsigned int pollflags)
{
	struct eppoll_entry *pwq = container_of(wait, struct eppoll_entry, wait);
	struct epitem *epi = pwq->base;
	struct eventpoll *ep = epi->ep;
	bool pwake = false;
	int ewake = 0;

	/* disabled by EPOLLONESHOT until the next EPOLL_CTL_MOD */
	if (!(epi->event.events & ~EP_PRIVATE_BITS))
		goto out;
	/* a keyed wake-up for events this item does not wait for */
	if (pollflags && !(pollflags & epi->event.events))
		goto out;
	if (!epi->rd_linked)
		rdl_add_tail(ep, epi);
	if (waitqueue_active(&ep->wq)) {
		if (epi->event.events & EPOLLEXCLUSIVE) {
			switch (pollflags & EPOLLINOUT_BITS) {
			case EPOLLIN:
				ewake = (epi->event.events & EPOLLIN) != 0;
				break;
			case EPOLLOUT:
				ewake = (epi->event.events & EPOLLOUT) != 0;
				break;
			case 0:
				ewake = 1;
				break;
			default:
				break;
			}
		}
		__wake_up(&ep->wq, 1, 0);	/* wake_up(): one exclusive epoll_wait() */
	}
	pwake = waitqueue_active(&ep->poll_wait);
out:
	if (pwake)
		ep_poll_safewake(ep);
	if (!(epi->event.events & EPOLLEXCLUSIVE))
		ewake = 1;
	return ewake;
}

/* Models: fs/eventpoll.c:ep_ptable_queue_proc() — ep_insert()'s poll table. */
struct ep_pqueue {
	poll_table pt;
	struct epitem *epi;
};

static void ep_ptable_queue_proc(struct file *file, struct wait_queue_head *whead, poll_table *pt)
{
	struct ep_pqueue *epq = container_of(pt, struct ep_pqueue, pt);
	struct epitem *epi = epq->epi;
	struct eppoll_entry *pwq = g_new0(struct eppoll_entry, 1);

	pwq->wait.func = ep_poll_callback;
	pwq->whead = whead;
	pwq->base = epi;
	if (epi->event.events & EPOLLEXCLUSIVE)
		add_wait_queue_exclusive(whead, &pwq->wait);
	else
		add_wait_queue(whead, &pwq->wait);
	pwq->next = epi->pwqlist;
	epi->pwqlist = pwq;
}

/* Models: fs/eventpoll.c:ep_unregister_pollwait() */
static void ep_unregister_pollwait(struct epitem *epi)
{
	while (epi->pwqlist) {
		struct eppoll_entry *pwq = epi->pwqlist;

		epi->pwqlist = pwq->next;
		remove_wait_queue(&pwq->wait);
		g_free(pwq);
	}
}

/* Models: fs/eventpoll.c:__ep_remove() — unhook, leave the file's list, the tree and the ready list. */
static void ep_remove(struct eventpoll *ep, struct epitem *epi)
{
	struct file *file = epi->ffd.file;

	ep_unregister_pollwait(epi);
	if (epi->fl_prev)
		epi->fl_prev->fl_next = epi->fl_next;
	else
		file->f_ep = epi->fl_next;
	if (epi->fl_next)
		epi->fl_next->fl_prev = epi->fl_prev;
	g_hash_table_remove(ep->rbr, &epi->ffd);
	rdl_del_init(ep, epi);
	if (epi->all_prev)
		epi->all_prev->all_next = epi->all_next;
	else
		ep->all_first = epi->all_next;
	if (epi->all_next)
		epi->all_next->all_prev = epi->all_prev;
	g_free(epi);
}

/*
 * The end of ep_insert() and ep_modify(): an item that already has events
 * goes on the ready list (unless it is there) and the waiters are told.
 */
static void ep_queue_hot(struct eventpoll *ep, struct epitem *epi)
{
	if (epi->rd_linked)
		return;
	rdl_add_tail(ep, epi);
	if (waitqueue_active(&ep->wq))
		__wake_up(&ep->wq, 1, 0);
	if (waitqueue_active(&ep->poll_wait))
		ep_poll_safewake(ep);
}

/* Models: fs/eventpoll.c:ep_insert() */
static int ep_insert(struct eventpoll *ep, const struct epoll_event *event, struct file *tfile, int fd)
{
	struct epitem *epi = g_new0(struct epitem, 1);
	struct ep_pqueue epq;
	unsigned int revents;

	epi->ep = ep;
	epi->ffd.file = tfile;
	epi->ffd.fd = fd;
	epi->event = *event;
	/* on the file's list of watchers (hlist_add_head_rcu) and in the tree */
	epi->fl_next = tfile->f_ep;
	if (tfile->f_ep)
		tfile->f_ep->fl_prev = epi;
	tfile->f_ep = epi;
	g_hash_table_insert(ep->rbr, &epi->ffd, epi);
	epi->all_next = ep->all_first;
	if (ep->all_first)
		ep->all_first->all_prev = epi;
	ep->all_first = epi;

	/* hook on the target's queues and read its events */
	epq.epi = epi;
	init_poll_funcptr(&epq.pt, ep_ptable_queue_proc);
	revents = ep_item_poll(epi, &epq.pt, 1);

	if (revents)
		ep_queue_hot(ep, epi);
	return 0;
}

/* Models: fs/eventpoll.c:ep_modify() */
static int ep_modify(struct eventpoll *ep, struct epitem *epi, const struct epoll_event *event)
{
	poll_table pt;

	init_poll_funcptr(&pt, NULL);
	epi->event.events = event->events;
	epi->event.data = event->data;
	if (ep_item_poll(epi, &pt, 1))
		ep_queue_hot(ep, epi);
	return 0;
}

/*
 * Models: fs/eventpoll.c:__ep_eventpoll_poll() — an epoll file is readable
 * when one of its ready items really has events; the ones found without
 * events on the way leave the ready list.
 */
static unsigned int __ep_eventpoll_poll(struct file *file, poll_table *wait, int depth)
{
	struct eventpoll *ep = file->ep;
	struct epitem *epi, *next;
	unsigned int res = 0;
	poll_table pt;

	init_poll_funcptr(&pt, NULL);
	poll_wait(file, &ep->poll_wait, wait);
	for (epi = ep->rdl_first; epi; epi = next) {
		next = epi->rd_next;
		if (ep_item_poll(epi, &pt, depth + 1)) {
			res = EPOLLIN | EPOLLRDNORM;
			break;
		}
		rdl_del_init(ep, epi);
	}
	ep_done_scan(ep);
	return res;
}

unsigned int ep_eventpoll_poll(struct file *file, poll_table *wait)
{
	return __ep_eventpoll_poll(file, wait, 0);
}

/*
 * Models: fs/eventpoll.c:ep_send_events() with ep_start_scan()/ep_done_scan():
 * up to @maxevents ready items, polled again, into the caller's array.
 */
static int ep_send_events(struct task *t, struct eventpoll *ep, int maxevents)
{
	struct epitem *txlist = ep->rdl_first, *epi;
	struct epitem *tx_last = ep->rdl_last;
	poll_table pt;
	int res = 0;

	if (fatal_signal_pending(t))
		return -SIM_EINTR;
	init_poll_funcptr(&pt, NULL);
	/* ep_start_scan(): the whole ready list becomes the private txlist */
	ep->rdl_first = ep->rdl_last = NULL;
	while (txlist && res < maxevents) {
		unsigned int revents;
		struct epoll_event ev;

		epi = txlist;
		txlist = epi->rd_next;
		if (txlist)
			txlist->rd_prev = NULL;
		else
			tx_last = NULL;
		epi->rd_prev = epi->rd_next = NULL;
		epi->rd_linked = false;

		revents = ep_item_poll(epi, &pt, 1);
		if (!revents)
			continue;
		ev.events = revents;
		ev.data = epi->event.data;
		g_array_append_val(task_uevents(t), ev);	/* epoll_put_uevent() */
		res++;
		if (epi->event.events & EPOLLONESHOT)
			epi->event.events &= EP_PRIVATE_BITS;
		else if (!(epi->event.events & EPOLLET))
			rdl_add_tail(ep, epi);	/* level-triggered: back at the tail */
	}
	/* ep_done_scan(): what was not reached goes back at the head */
	if (txlist) {
		tx_last->rd_next = ep->rdl_first;
		if (ep->rdl_first)
			ep->rdl_first->rd_prev = tx_last;
		else
			ep->rdl_last = tx_last;
		ep->rdl_first = txlist;
	}
	ep_done_scan(ep);
	return res;
}

static struct eventpoll *ep_alloc(void)
{
	struct eventpoll *ep = g_new0(struct eventpoll, 1);

	ep->rbr = g_hash_table_new(filefd_hash, filefd_equal);
	return ep;
}

/* Models: fs/eventpoll.c:do_epoll_create() — the file, installed at the lowest free fd. */
static long do_epoll_create(struct task *t, int flags)
{
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -SIM_EINVAL;
	if (!task_fd_available(t))
		return -SIM_EMFILE;	/* get_unused_fd_flags() comes first */
	f = file_alloc(t->net, FILE_EPOLL);
	f->ep = ep_alloc();
	f->ep->file = f;
	fd = task_fd_install(t, f);
	g_assert(fd >= 0);
	return fd;
}

long sys_epoll_create1(struct task *t, const struct sys_args *a)
{
	return do_epoll_create(t, (int)a->a[0]);
}

/* Models: fs/eventpoll.c:SYSCALL_DEFINE1(epoll_create) — size is only checked. */
long sys_epoll_create(struct task *t, const struct sys_args *a)
{
	if (a->a[0] <= 0)
		return -SIM_EINVAL;
	return do_epoll_create(t, 0);
}

/*
 * Models: fs/eventpoll.c:ep_loop_check_proc() — would adding @ep's chain
 * under @inserting_into close a loop, or nest deeper than EP_MAX_NESTS?
 * @visited is the kernel's loop_check_gen marking (lookups only).
 */
static int ep_loop_check_proc(struct eventpoll *ep, struct eventpoll *inserting_into,
			      GHashTable *visited, int depth)
{
	g_hash_table_add(visited, ep);
	for (struct epitem *epi = ep->all_first; epi; epi = epi->all_next) {
		struct eventpoll *ep_tovisit;
		int error;

		if (!is_file_epoll(epi->ffd.file))
			continue;
		ep_tovisit = epi->ffd.file->ep;
		if (g_hash_table_contains(visited, ep_tovisit))
			continue;
		if (ep_tovisit == inserting_into || depth > EP_MAX_NESTS)
			error = -1;
		else
			error = ep_loop_check_proc(ep_tovisit, inserting_into, visited, depth + 1);
		if (error)
			return error;
	}
	return 0;
}

/* Models: fs/eventpoll.c:ep_loop_check() */
static int ep_loop_check(struct eventpoll *ep, struct eventpoll *to)
{
	GHashTable *visited = g_hash_table_new(g_direct_hash, g_direct_equal);
	int error = ep_loop_check_proc(to, ep, visited, 0);

	g_hash_table_destroy(visited);
	return error;
}

/*
 * Models: fs/eventpoll.c:do_epoll_ctl().  EBADF for either descriptor, EPERM
 * for a target that cannot be polled (a regular file), EINVAL for an epfd
 * that is not an epoll file, the set itself, a bad op or a misused
 * EPOLLEXCLUSIVE, ELOOP for a loop of sets, then EEXIST / ENOENT.  The
 * item's data is the target descriptor (what a program puts in data.fd).
 */
long sys_epoll_ctl(struct task *t, const struct sys_args *a)
{
	int op = (int)a->a[0], fd = (int)a->a[1];
	struct epoll_event epds = { .events = (uint32_t)a->a[2], .data = (uint64_t)(int64_t)fd };
	bool has_event = op != EPOLL_CTL_DEL;	/* ep_op_has_event() */
	struct file *f, *tf;
	struct eventpoll *ep;
	struct epoll_filefd key;
	struct epitem *epi;

	f = task_fget(t, a->fd);
	if (!f)
		return -SIM_EBADF;
	tf = task_fget(t, fd);
	if (!tf)
		return -SIM_EBADF;
	if (!file_can_poll(tf))
		return -SIM_EPERM;
	if (has_event)
		epds.events &= ~EPOLLWAKEUP;	/* ep_take_care_of_epollwakeup(): no CAP_BLOCK_SUSPEND */
	if (f == tf || !is_file_epoll(f))
		return -SIM_EINVAL;
	if (has_event && (epds.events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -SIM_EINVAL;
		if (op == EPOLL_CTL_ADD && (is_file_epoll(tf) || (epds.events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -SIM_EINVAL;
	}
	ep = f->ep;
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf) && ep_loop_check(ep, tf->ep))
		return -SIM_ELOOP;
	key.file = tf;
	key.fd = fd;
	epi = g_hash_table_lookup(ep->rbr, &key);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -SIM_EEXIST;
		epds.events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, &epds, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -SIM_ENOENT;
		ep_remove(ep, epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -SIM_ENOENT;
		if (epi->event.events & EPOLLEXCLUSIVE)
			return -SIM_EINVAL;
		epds.events |= EPOLLERR | EPOLLHUP;
		return ep_modify(ep, epi, &epds);
	default:
		return -SIM_EINVAL;
	}
}

static long ep_poll_resume(struct task *t, sim_time_t timeo_left);

/*
 * Models: fs/eventpoll.c:ep_poll(), from the top of its loop: hand over the
 * ready events, or return 0 once timed out, EINTR on a signal, else sleep
 * as an exclusive waiter on ep->wq until ep_poll_callback(), the timeout or
 * a signal wakes it.  Events that arrive with a signal are returned.
 */
static long ep_poll(struct task *t, sim_time_t timeo, bool timed_out)
{
	struct eventpoll *ep = t->frame.file->ep;
	int maxevents = (int)t->args.a[0];
	long res;

	for (;;) {
		if (ep_events_available(ep)) {
			res = ep_send_events(t, ep, maxevents);
			if (res)
				return res;
		}
		if (timed_out || timeo == 0)
			return 0;
		if (signal_pending(t))
			return -SIM_EINTR;
		if (!ep_events_available(ep))
			return task_wait_sleep(t, &ep->wq, true, timeo, ep_poll_resume);
	}
}

static long ep_poll_finish(struct task *t, long res)
{
	if (!task_blocked(t))
		syscall_frame_release(t);	/* fdput() of the epoll file */
	return res;
}

static long ep_poll_resume(struct task *t, sim_time_t timeo_left)
{
	return ep_poll_finish(t, ep_poll(t, timeo_left, timeo_left == 0));
}

/*
 * Models: fs/eventpoll.c:do_epoll_wait().  The events array is the task's
 * (t->uevents).  Never restarted: EINTR after a handler, with or without
 * SA_RESTART (signal(7)).
 */
long sys_epoll_wait(struct task *t, const struct sys_args *a)
{
	struct file *f;

	if (a->a[0] <= 0 || a->a[0] > EP_MAX_EVENTS)
		return -SIM_EINVAL;
	f = task_fget(t, a->fd);
	if (!f)
		return -SIM_EBADF;
	if (!is_file_epoll(f))
		return -SIM_EINVAL;
	f->refs++;			/* fdget() */
	t->frame.file = f;
	return ep_poll_finish(t, ep_poll(t, a->timeout, false));
}

/* Models: fs/eventpoll.c:eventpoll_release_file() */
void eventpoll_release(struct file *file)
{
	while (file->f_ep)
		ep_remove(file->f_ep->ep, file->f_ep);
}

/* Models: fs/eventpoll.c:ep_clear_and_put() — the epoll file is closed. */
void ep_eventpoll_release(struct file *file)
{
	struct eventpoll *ep = file->ep;

	if (waitqueue_active(&ep->poll_wait))
		ep_poll_safewake(ep);
	while (ep->all_first)
		ep_remove(ep, ep->all_first);
	ep_free_memory(ep);
	file->ep = NULL;
}

void ep_free_memory(struct eventpoll *ep)
{
	if (!ep)
		return;
	while (ep->all_first) {
		struct epitem *epi = ep->all_first;

		ep->all_first = epi->all_next;
		while (epi->pwqlist) {
			struct eppoll_entry *pwq = epi->pwqlist;

			epi->pwqlist = pwq->next;
			g_free(pwq);
		}
		g_free(epi);
	}
	g_hash_table_destroy(ep->rbr);
	g_free(ep);
}
