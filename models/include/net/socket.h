/* SPDX-License-Identifier: MIT */
/* The syscall layer (net/socket.c) and the syscall table the runner drives. */
#ifndef MODELS_NET_SOCKET_H
#define MODELS_NET_SOCKET_H

#include "kernel/task.h"

#define F_GETFL 3
#define F_SETFL 4

/* Run args->call for @t; returns the result, or sleeps (task_blocked()). */
long sys_dispatch(struct task *t, const struct sys_args *args);

/*
 * One row per syscall.  @shape is one letter per argument, as the scenario
 * checker decodes it: f fd (variable or integer), i integer/constant,
 * A address (ip:port, AF_UNSPEC or FAULT), L length (integer or FAULT),
 * V integer or time, T timeout (time, 0 or -1), P one or more FD, EVENTS
 * pairs (poll), I an iovec (a length or a string of lengths: sendmsg/recvmsg);
 * '?' makes the rest optional.
 */
struct syscall_desc {
	const char *name;		/* "connect" */
	const char *shape;		/* "fA?i" */
	const char *usage;		/* for error messages */
	long (*fn)(struct task *t, const struct sys_args *a);	/* the __sys_* model */
	/*
	 * May it sleep (task_blocked(), return TASK_SLEPT, finish later: woken,
	 * timed out or interrupted by a signal)?  sys_dispatch refuses a sleep
	 * from any other call.
	 */
	bool can_block;
};

/* Every syscall, terminated by a NULL name. */
extern const struct syscall_desc syscall_table[];
const struct syscall_desc *syscall_find(const char *name);

/* accept() woke up with a child: install t->frame.newsock as a new fd. */
long accept_install_newsock(struct task *t);
/*
 * The end of a blocking accept() that slept: @ret is what the protocol's
 * retry returned: 0 installs the new descriptor, an error (not
 * task_blocked()) drops the struct socket sys_accept() prepared.
 */
long accept_resume_finish(struct task *t, long ret);

struct poll_table_struct;
/* Models: net/socket.c:sock_poll() */
unsigned int sock_poll(struct file *file, struct poll_table_struct *wait);

/* Models: net/socket.c:sock_read_iter(), sock_write_iter() (read(2)/write(2) on a socket). */
long sock_read_iter(struct task *t, struct file *file, size_t len);
long sock_write_iter(struct task *t, struct file *file, size_t len);
/* Models: net/socket.c:sock_ioctl() */
long sock_ioctl(struct file *file, unsigned int cmd, int *karg);

/* Models: net/socket.c:sock_close() -> sock_release(): @sock released and freed to @ks's slab */
void sock_close(struct kernel_shared *ks, struct socket *sock);
/* sock->state = s, reported to traces and results. */
void sock_set_state(struct socket *sock, socket_state s);

/* Sleeping helpers shared by blocking socket calls. */
struct msghdr_sim {
	int flags;			/* MSG_* */
	const struct sockaddr_sim *name;
	bool buf_fault;
};

#endif
