/* SPDX-License-Identifier: MIT */
/*
 * read(2), write(2) and ioctl(2) of the files a task can hold.  Models:
 * fs/read_write.c (ksys_read, ksys_write) and fs/ioctl.c (do_vfs_ioctl,
 * vfs_ioctl) @ v6.18; the implementation is models/fs/read_write.c and
 * models/fs/ioctl.c.
 */
#ifndef MODELS_LINUX_FS_H
#define MODELS_LINUX_FS_H

struct task;
struct sys_args;

/* include/linux/errno.h: "no ioctl command", kernel-internal, never seen by user space. */
#define SIM_ENOIOCTLCMD 515

#include <stddef.h>
#include <stdint.h>

/* MAX_RW_COUNT (include/linux/fs.h): INT_MAX & PAGE_MASK, 4 KiB pages. */
#define MAX_RW_COUNT (INT_MAX & ~4095)
/* A count as rw_verify_area()/import_ubuf() (lib/iov_iter.c) leave it: capped at MAX_RW_COUNT. */
size_t rw_count(int64_t len);

long sys_read(struct task *t, const struct sys_args *a);
long sys_write(struct task *t, const struct sys_args *a);
long sys_ioctl(struct task *t, const struct sys_args *a);

#endif
