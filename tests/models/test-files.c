/* SPDX-License-Identifier: MIT */
/*
 * A process's descriptor table (models/kernel/task.c, struct files_struct)
 * on a bare struct net: the lowest free descriptor is given (fs/file.c:
 * alloc_fd), the table grows past its inline slots keeping every entry,
 * RLIMIT_NOFILE (1024, descriptors 0 to 1023) gives EMFILE, a thread shares
 * its process's table, and a closed descriptor is the next one given.
 * Linux 6.18 under `ulimit -n 1024` does the same (python3: sockets until
 * errno 24; close(5); the next socket is 5, the one after errno 24).
 */
#include <glib.h>

#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "sim/sim.h"

static void test_lowest_free_and_limit(void)
{
	struct sim_config cfg;
	struct sim *sim;
	struct kernel_shared ks;
	struct net net;
	struct task *t, *thread;
	struct file *files[TASK_RLIMIT_NOFILE];

	sim_config_init(&cfg);
	cfg.seed = 1;
	sim = sim_new(&cfg);
	kernel_shared_init(&ks, sim, kernel_profile_default(), NULL);
	net_init(&net, &ks, "bare", 0x0a000001);
	t = task_new(&net, "p", 100);
	thread = task_new_thread(t, "p/1", 101);

	/* 0, 1 and 2 are taken at creation */
	for (int fd = 0; fd < 3; fd++)
		g_assert_nonnull(task_fget(t, fd));
	g_assert_null(task_fget(t, 3));
	g_assert_null(task_fget(t, -1));
	/* 3 .. 1023 in order, through the growth of the table (a thread's calls too) */
	for (int fd = 3; fd < TASK_RLIMIT_NOFILE; fd++) {
		files[fd] = file_alloc(&net, FILE_REGULAR);
		g_assert_cmpint(task_fd_install(fd & 1 ? thread : t, files[fd]), ==, fd);
	}
	for (int fd = 3; fd < TASK_RLIMIT_NOFILE; fd++)
		g_assert_true(task_fget(t, fd) == files[fd] && task_fget(thread, fd) == files[fd]);
	g_assert_null(task_fget(t, TASK_RLIMIT_NOFILE));
	g_assert_false(task_fd_available(t));
	g_assert_false(task_has_open_files(thread));	/* regular files only */
	files[0] = file_alloc(&net, FILE_REGULAR);
	g_assert_cmpint(task_fd_install(t, files[0]), ==, -SIM_EMFILE);
	/* the lowest free descriptor comes back first */
	g_assert_cmpint(task_close_fd(t, 1000), ==, 0);
	g_assert_cmpint(task_close_fd(thread, 5), ==, 0);
	g_assert_cmpint(task_close_fd(t, 5), ==, -SIM_EBADF);
	g_assert_true(task_fd_available(thread));
	g_assert_cmpint(task_fd_install(t, files[0]), ==, 5);
	files[1] = file_alloc(&net, FILE_REGULAR);
	g_assert_cmpint(task_fd_install(thread, files[1]), ==, 1000);
	files[2] = file_alloc(&net, FILE_REGULAR);
	g_assert_cmpint(task_fd_install(t, files[2]), ==, -SIM_EMFILE);
	file_free(files[2]);

	sim_free(sim);
	task_free(thread);
	task_free(t);
	net_free(&net);
	kernel_shared_free(&ks);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/files/lowest-free-and-limit", test_lowest_free_and_limit);
	return g_test_run();
}
