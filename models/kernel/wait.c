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
	struct sk_waiter **pp;

	if (!w->sk)
		return;
	for (pp = &w->sk->waiters; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	w->next = NULL;
	w->sk = NULL;
}

long sk_wait_sleep(struct task *t, struct sock *sk, sim_time_t timeo,
		   long (*resume)(struct task *t, sim_time_t timeo_left))
{
	struct sk_waiter *w = &t->wait;
	struct sim *sim = t->net->sim;
	struct sk_waiter **pp;

	g_assert(!t->sleeping);
	w->task = t;
	w->sk = sk;
	w->resume = resume;
	w->next = NULL;
	for (pp = &sk->waiters; *pp; pp = &(*pp)->next)
		;
	*pp = w;		/* FIFO: wake order is sleep order */
	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		w->deadline = SIM_TIME_MAX;
	} else {
		w->deadline = sim_time_add(sim_now(sim), timeo);
		sim_mod_timer(&w->timer, w->deadline);
	}
	t->sleeping = true;
	return SIM_EBLOCKED;
}

void sk_wait_cancel(struct task *t)
{
	waiter_unlink(&t->wait);
	sim_timer_delete(&t->wait.timer);
	t->sleeping = false;
}

void sk_wake_waiters(struct sock *sk)
{
	while (sk->waiters)
		task_wake(sk->waiters->task);
}
