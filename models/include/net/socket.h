/* SPDX-License-Identifier: MIT */
/* The syscall layer (net/socket.c) and the syscall table the runner drives. */
#ifndef MODELS_NET_SOCKET_H
#define MODELS_NET_SOCKET_H

#include "kernel/task.h"

#define F_GETFL 3
#define F_SETFL 4

/* Run args->call for @t; returns the result, or SIM_EBLOCKED. */
long sys_dispatch(struct task *t, const struct sys_args *args);
/* Names of every syscall sys_dispatch knows, NULL-terminated. */
extern const char *const sys_call_names[];

/* accept() woke up with a child: install t->pending_newsock as a new fd. */
long accept_install_newsock(struct task *t);
/*
 * The end of a blocking accept() that slept: @ret is what the protocol's
 * retry returned: 0 installs the new descriptor, an error (not
 * SIM_EBLOCKED) drops the struct socket sys_accept() prepared.
 */
long accept_resume_finish(struct task *t, long ret);

/* Models: net/socket.c:sock_close() -> sock_release() */
void sock_close(struct socket *sock);
/* sock->state = s, reported to traces and results. */
void sock_set_state(struct socket *sock, socket_state s);

/* Sleeping helpers shared by blocking socket calls. */
struct msghdr_sim {
	int flags;			/* MSG_* */
	const struct sockaddr_sim *name;
	bool buf_fault;
};

#endif
