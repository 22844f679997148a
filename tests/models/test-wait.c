/* SPDX-License-Identifier: MIT */
/*
 * The socket wait queue (models/kernel/wait.c) on a bare struct net:
 * exclusive waiters (accept(): inet_csk_wait_for_connect uses
 * prepare_to_wait_exclusive) are woken one per sk_data_ready, non-exclusive
 * ones all (they queue before every exclusive one, as add_wait_queue() puts
 * them at the head); a wake-all (sk_state_change) wakes every waiter; each
 * kind wakes in sleep order.
 */
#include <glib.h>

#include "kernel/task.h"
#include "net/ipv4.h"
#include "net/profile.h"
#include "sim/sim.h"
#include "uapi/linux/eventpoll.h"

struct bare {
	struct sim *sim;
	struct kernel_shared ks;
	struct net net;
	struct sock sk;
	struct task *t[4];
	GString *resumed;	/* comm of each task whose sleep ended, in order */
};

static struct bare *the_bare(struct task *t)
{
	return t->driver.opaque;
}

/* The sleep ends: note who ran (the syscall returns 0). */
static long resume(struct task *t, sim_time_t timeo_left)
{
	g_string_append_printf(the_bare(t)->resumed, " %s", t->comm);
	return 0;
}

static void bare_setup(struct bare *b)
{
	struct sim_config cfg;

	sim_config_init(&cfg);
	cfg.seed = 1;
	b->sim = sim_new(&cfg);
	kernel_shared_init(&b->ks, b->sim, kernel_profile_default(), NULL);
	net_init(&b->net, &b->ks, "bare", 0x0a000001);
	b->sk = (struct sock){ .sk_net = &b->net };
	b->resumed = g_string_new(NULL);
	for (int i = 0; i < 4; i++) {
		char comm[8];

		g_snprintf(comm, sizeof(comm), "t%d", i);
		b->t[i] = task_new(&b->net, comm, 100 + i);
		b->t[i]->driver.opaque = b;
	}
}

/* @t, in a blocking call, sleeps on the socket. */
static void sleep_on(struct bare *b, int i, bool exclusive, sim_time_t timeo)
{
	b->t[i]->in_syscall = true;
	if (exclusive)
		sk_wait_sleep_exclusive(b->t[i], &b->sk, timeo, resume);
	else
		sk_wait_sleep(b->t[i], &b->sk, timeo, resume);
}

static void bare_teardown(struct bare *b)
{
	sim_free(b->sim);
	for (int i = 0; i < 4; i++)
		task_free(b->t[i]);
	net_free(&b->net);
	kernel_shared_free(&b->ks);
	g_string_free(b->resumed, TRUE);
}

static void test_exclusive_one_per_wakeup(void)
{
	struct bare b;

	g_test_summary("sk_data_ready wakes every non-exclusive waiter and one exclusive one");
	bare_setup(&b);
	sleep_on(&b, 0, true, MAX_SCHEDULE_TIMEOUT);
	sleep_on(&b, 1, false, MAX_SCHEDULE_TIMEOUT);
	sleep_on(&b, 2, true, MAX_SCHEDULE_TIMEOUT);
	sleep_on(&b, 3, true, MAX_SCHEDULE_TIMEOUT);
	sk_wake_poll(&b.sk, EPOLL_KEY_READABLE);	/* sk_data_ready */
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t1 t0");
	g_assert_true(b.t[2]->sleeping);
	g_assert_true(b.t[3]->sleeping);
	sk_wake_poll(&b.sk, EPOLL_KEY_READABLE);	/* sk_data_ready */
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t1 t0 t2");
	g_assert_true(b.t[3]->sleeping);
	/* a sleeper leaving by itself (its timeout, a signal) unlinks in O(1) */
	sleep_on(&b, 0, true, MAX_SCHEDULE_TIMEOUT);
	sleep_on(&b, 1, false, MAX_SCHEDULE_TIMEOUT);
	task_wake(b.t[0]);
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t1 t0 t2 t0");
	/* the non-exclusive t1 went before the exclusive t3 */
	g_assert_true(b.sk.sk_wq.first == &b.t[1]->wait.wq && b.sk.sk_wq.last == &b.t[3]->wait.wq);
	/* sk_state_change: everyone, in sleep order */
	sk_state_change(&b.sk);
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t1 t0 t2 t0 t1 t3");
	g_assert_null(b.sk.sk_wq.first);
	g_assert_null(b.sk.sk_wq.last);
	bare_teardown(&b);
}

static void test_timeout_leaves_queue(void)
{
	struct bare b;

	g_test_summary("An exclusive waiter whose timeout fires leaves the queue; the next wake-up goes to the next one");
	bare_setup(&b);
	sleep_on(&b, 0, true, SIM_MSEC(5));
	sleep_on(&b, 1, true, MAX_SCHEDULE_TIMEOUT);
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t0");
	g_assert_true(b.sk.sk_wq.first == &b.t[1]->wait.wq && b.sk.sk_wq.last == &b.t[1]->wait.wq);
	sk_wake_poll(&b.sk, EPOLL_KEY_READABLE);	/* sk_data_ready */
	sim_run(b.sim);
	g_assert_cmpstr(b.resumed->str, ==, " t0 t1");
	g_assert_null(b.sk.sk_wq.first);
	bare_teardown(&b);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/wait/exclusive-one-per-wakeup", test_exclusive_one_per_wakeup);
	g_test_add_func("/wait/timeout-leaves-queue", test_timeout_leaves_queue);
	return g_test_run();
}
