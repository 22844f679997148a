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

static void sleep_timeout(struct sim_timer *timer)
{
	struct sk_waiter *w = container_of(timer, struct sk_waiter, timer);

	task_wake(w->task);
}

void sk_wait_init(struct task *t)
{
	sim_timer_setup(t->net->sim, &t->wait.timer, sleep_timeout, "schedule_timeout");
}

static void waiter_unlink(struct sk_waiter *w)
{
	struct sock *sk = w->sk;

	if (!sk)
		return;
	if (w->prev)
		w->prev->next = w->next;
	else
		sk->waiters = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		sk->waiters_last = w->prev;
	if (!w->exclusive)
		sk->waiters_shared--;
	w->next = w->prev = NULL;
	w->sk = NULL;
}

static long sleep_on(struct task *t, struct sock *sk, sim_time_t timeo, bool exclusive,
		     long (*resume)(struct task *t, sim_time_t timeo_left))
{
	struct sk_waiter *w = &t->wait;
	struct sim *sim = t->net->sim;

	g_assert(!t->sleeping);
	w->task = t;
	w->sk = sk;
	w->resume = resume;
	w->exclusive = exclusive;
	/* FIFO: wake order is sleep order */
	w->next = NULL;
	w->prev = sk->waiters_last;
	if (sk->waiters_last)
		sk->waiters_last->next = w;
	else
		sk->waiters = w;
	sk->waiters_last = w;
	if (!exclusive)
		sk->waiters_shared++;
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		w->deadline = SIM_TIME_MAX;
	} else {
		w->deadline = sim_time_add(sim_now(sim), timeo);
		sim_mod_timer(&w->timer, w->deadline);
	}
	t->sleeping = true;
	return SIM_EBLOCKED;
}

/* Models: kernel/sched/wait.c:prepare_to_wait() + schedule_timeout(). */
long sk_wait_sleep(struct task *t, struct sock *sk, sim_time_t timeo,
		   long (*resume)(struct task *t, sim_time_t timeo_left))
{
	return sleep_on(t, sk, timeo, false, resume);
}

/* Models: kernel/sched/wait.c:prepare_to_wait_exclusive() + schedule_timeout(). */
long sk_wait_sleep_exclusive(struct task *t, struct sock *sk, sim_time_t timeo,
			     long (*resume)(struct task *t, sim_time_t timeo_left))
{
	return sleep_on(t, sk, timeo, true, resume);
}

void sk_wait_cancel(struct task *t)
{
	waiter_unlink(&t->wait);
	sim_timer_delete(&t->wait.timer);
	t->sleeping = false;
}

/*
 * Models: kernel/sched/wait.c:__wake_up_common() with autoremove_wake_function():
 * each woken waiter leaves the queue; the walk stops after @nr_exclusive
 * exclusive waiters (0: none stops it).  The kernel queues non-exclusive
 * waiters at the head and exclusive ones at the tail; here both are in sleep
 * order, so a walk wakes the non-exclusive waiters queued after the first
 * exclusive one too.
 */
void __wake_up_common(struct sock *sk, int nr_exclusive)
{
	struct sk_waiter *w = sk->waiters;
	bool stopped = false;

	/* after the last exclusive wake-up, only non-exclusive waiters are left to wake */
	while (w && !(stopped && !sk->waiters_shared)) {
		struct sk_waiter *next = w->next;

		if (!w->exclusive) {
			task_wake(w->task);
		} else if (!stopped) {
			task_wake(w->task);
			stopped = nr_exclusive > 0 && --nr_exclusive == 0;
		}
		w = next;
	}
}

void sk_wake_waiters(struct sock *sk)
{
	__wake_up_common(sk, 0);
}
