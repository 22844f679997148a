/* SPDX-License-Identifier: MIT */
/*
 * read(2) and write(2).  Models: fs/read_write.c:ksys_read()/ksys_write() ->
 * vfs_read()/vfs_write() @ v6.18.  The descriptor first (EBADF), then the
 * file's read_iter/write_iter: a socket's is sock_read_iter/sock_write_iter
 * (models/net/socket.c), the same path as recv()/send() with flags 0; an
 * epoll file has none (EINVAL).  The regular files of a scenario (fds 0-2,
 * open()) read as empty and take every write, like /dev/null.  An
 * unreadable buffer (FAULT) is EFAULT after the descriptor (access_ok in
 * vfs_read/vfs_write); the count is capped at MAX_RW_COUNT.
 */
#include "linux/fs.h"

#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/socket.h"

#include <limits.h>

size_t rw_count(int64_t len)
{
	return len < 0 ? 0 : (uint64_t)len > MAX_RW_COUNT ? MAX_RW_COUNT : (size_t)len;
}

/* a[0] the count, a[2] set: the buffer is not a user range. */
long sys_read(struct task *t, const struct sys_args *a)
{
	struct file *f = task_fget(t, a->fd);

	if (!f)
		return -SIM_EBADF;
	if (f->kind == FILE_EPOLL)
		return -SIM_EINVAL;	/* no read_iter: FMODE_CAN_READ is clear */
	if (a->a[2])
		return -SIM_EFAULT;
	if (f->kind == FILE_REGULAR)
		return 0;
	return sock_read_iter(t, f, rw_count(a->a[0]));
}

long sys_write(struct task *t, const struct sys_args *a)
{
	struct file *f = task_fget(t, a->fd);

	if (!f)
		return -SIM_EBADF;
	if (f->kind == FILE_EPOLL)
		return -SIM_EINVAL;
	if (a->a[2])
		return -SIM_EFAULT;
	if (f->kind == FILE_REGULAR)
		return (long)rw_count(a->a[0]);
	return sock_write_iter(t, f, rw_count(a->a[0]));
}
