/* SPDX-License-Identifier: MIT */
/*
 * Sleeping on a socket.  Models: include/linux/wait.h + kernel/sched/wait.c
 * (wait_woken, woken_wake_function) and kernel/time/timer.c:schedule_timeout
 * @ v6.18.  The kernel sleeps in the middle of a function; here the function
 * is split at the sleep and @resume runs the rest once the task is woken by
 * the socket, its timeout or a signal.  A woken task runs after the event
 * that woke it (try_to_wake_up), never inside it.
 */
#include "kernel/task.h"

#include "net/net_namespace.h"
#include "net/profile.h"

/* Links @e into @wq_head just before @at (NULL: at the tail). */
static void wq_link_before(struct wait_queue_head *wq_head, struct wait_queue_entry *e,
			   struct wait_queue_entry *at)
{
	g_assert(!e->head);
	e->head = wq_head;
	e->next = at;
	e->prev = at ? at->prev : wq_head->last;
	if (e->prev)
		e->prev->next = e;
	else
		wq_head->first = e;
	if (at)
		at->prev = e;
	else
		wq_head->last = e;
}

/* Models: kernel/sched/wait.c:add_wait_queue() */
void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	e->exclusive = false;
	wq_link_before(wq_head, e, wq_head->first);
}

void add_wait_queue_tail(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	wq_link_before(wq_head, e, NULL);
}

/*
 * A sleeping task that is not exclusive: after the other non-exclusive
 * entries (tasks wake in the order they slept, where add_wait_queue() puts
 * each at the head) but before every exclusive one, which is the kernel's
 * invariant __wake_up() relies on: a wake-up that stops at its exclusive
 * waiter has woken every non-exclusive one.  Costs the non-exclusive entries.
 */
static void add_wait_queue_shared_tail(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	struct wait_queue_entry *at = wq_head->first;

	while (at && !at->exclusive)
		at = at->next;
	e->exclusive = false;
	wq_link_before(wq_head, e, at);
}

/* Models: kernel/sched/wait.c:add_wait_queue_exclusive() */
void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *e)
{
	add_wait_queue_tail(wq_head, e);
	e->exclusive = true;
}

/* Models: kernel/sched/wait.c:remove_wait_queue() */
void remove_wait_queue(struct wait_queue_entry *e)
{
	struct wait_queue_head *h = e->head;

	if (!h)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		h->first = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		h->last = e->prev;
	e->prev = e->next = NULL;
	e->head = NULL;
	e->exclusive = false;
}

/* Models: kernel/sched/wait.c:__wake_up_common() (list_for_each_entry_safe_from). */
void __wake_up(struct wait_queue_head *wq_head, int nr_exclusive, unsigned int key)
{
	struct wait_queue_entry *e = wq_head->first, *next;

	for (; e; e = next) {
		bool exclusive = e->exclusive;
		int ret;

		next = e->next;		/* @e may remove itself (autoremove) */
		ret = e->func(e, key);
		if (ret < 0)
			break;
		if (ret && exclusive && !--nr_exclusive)
			break;
	}
}

static void sleep_timeout(struct sim_timer *timer)
{
	struct sk_waiter *w = container_of(timer, struct sk_waiter, timer);

	task_wake(w->task);
}

/*
 * The wake function of a sleeping task: woken_wake_function() /
 * autoremove_wake_function() (kernel/sched/wait.c).  The task leaves every
 * queue and runs after the current event; 0 if it was already woken.
 */
static int task_wake_function(struct wait_queue_entry *e, unsigned int key)
{
	struct sk_waiter *w = container_of(e, struct sk_waiter, wq);

	if (!w->task->sleeping)
		return 0;
	task_wake(w->task);
	return 1;
}

/* The sleeping task's waiter behind @e, or NULL for another entry (epoll, poll). */
const struct sk_waiter *wq_entry_sk_waiter(const struct wait_queue_entry *e)
{
	return e->func == task_wake_function ? container_of(e, struct sk_waiter, wq) : NULL;
}

void sk_wait_init(struct task *t)
{
	sim_timer_setup(t->net->sim, &t->wait.timer, sleep_timeout, "schedule_timeout");
	t->wait.wq.func = task_wake_function;
	t->wait.task = t;
}

long task_wait_sleep(struct task *t, struct wait_queue_head *wq_head, bool exclusive,
		     sim_time_t timeo, long (*resume)(struct task *t, sim_time_t timeo_left))
{
	struct sk_waiter *w = &t->wait;
	struct sim *sim = t->net->sim;

	g_assert(!t->sleeping);
	w->resume = resume;
	w->file_hint = NULL;
	w->sock_hint = NULL;
	if (wq_head && exclusive)
		add_wait_queue_exclusive(wq_head, &w->wq);
	else if (wq_head)
		add_wait_queue_shared_tail(wq_head, &w->wq);	/* FIFO among the non-exclusive */
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		w->deadline = SIM_TIME_MAX;
	} else {
		w->deadline = sim_time_add(sim_now(sim), timeo);
		sim_mod_timer(&w->timer, w->deadline);
	}
	t->sleeping = true;
	return TASK_SLEPT;
}

/* The objects a socket sleeper's resume reads first, for task_wake()'s prefetch. */
static long sk_wait_hints(struct task *t, struct sock *sk, long slept)
{
	t->wait.file_hint = task_fget(t, t->args.fd);
	t->wait.sock_hint = sk->sk_socket;
	return slept;
}

long sk_wait_sleep(struct task *t, struct sock *sk, sim_time_t timeo,
		   long (*resume)(struct task *t, sim_time_t timeo_left))
{
	return sk_wait_hints(t, sk, task_wait_sleep(t, &sk->sk_wq, false, timeo, resume));
}

/* Models: prepare_to_wait_exclusive() + schedule_timeout() on sk_sleep(sk): accept(). */
long sk_wait_sleep_exclusive(struct task *t, struct sock *sk, sim_time_t timeo,
			     long (*resume)(struct task *t, sim_time_t timeo_left))
{
	return sk_wait_hints(t, sk, task_wait_sleep(t, &sk->sk_wq, true, timeo, resume));
}

void sk_wait_cancel(struct task *t)
{
	remove_wait_queue(&t->wait.wq);
	sim_timer_delete(&t->wait.timer);
	t->sleeping = false;
}

void sk_wake_waiters(struct sock *sk)
{
	/* not kernel: a woken sleeper reads its struct socket first
	 * (inet_wait_for_connect_resume, ...); start loading it */
	__builtin_prefetch(sk->sk_socket);
	__wake_up(&sk->sk_wq, 0, 0);
}

void sk_wake_poll(struct sock *sk, unsigned int key)
{
	__wake_up(&sk->sk_wq, 1, key);
}
