/* SPDX-License-Identifier: MIT */
/*
 * ioctl(2).  Models: fs/ioctl.c:SYSCALL_DEFINE3(ioctl) -> do_vfs_ioctl() ->
 * vfs_ioctl() @ v6.18.  FIONREAD on a regular file is its size minus the
 * position (0: the scenario's files are empty); a socket goes to
 * sock_ioctl (models/net/socket.c); an epoll file has no ioctl (ENOTTY).
 * The value a call returns through its pointer is the task's out value
 * (`val=` in a scenario).
 */
#include "linux/fs.h"

#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/socket.h"

long sys_ioctl(struct task *t, const struct sys_args *a)
{
	struct file *f = task_fget(t, a->fd);
	unsigned int cmd = (unsigned int)a->a[0];
	int karg = 0;
	long err;

	if (!f)
		return -SIM_EBADF;
	if (f->kind == FILE_REGULAR)
		err = cmd == SIM_SIOCINQ ? 0 : -SIM_ENOTTY;
	else if (f->kind == FILE_SOCKET)
		err = sock_ioctl(f, cmd, &karg);
	else
		err = -SIM_ENOTTY;
	if (err)
		return err;
	t->out_valid = true;	/* put_user(karg, argp) */
	t->out_val = karg;
	return 0;
}
