/* SPDX-License-Identifier: MIT */
/*
 * Errno values and names as user space sees them on x86-64 Linux, from one
 * X-macro list.  Kernel-internal codes (ERESTARTSYS, ...) are included because
 * the models return them and the syscall exit path turns them into EINTR or a
 * restart (arch/x86/kernel/signal.c).
 */
#ifndef MODELS_LINUX_ERRNO_NAMES_H
#define MODELS_LINUX_ERRNO_NAMES_H

#define SIM_ERRNO_MAP(X) \
	X(EPERM, 1) X(ENOENT, 2) X(EINTR, 4) X(EIO, 5) X(EBADF, 9) X(EAGAIN, 11) \
	X(ENOMEM, 12) X(EACCES, 13) X(EFAULT, 14) X(EBUSY, 16) X(EINVAL, 22) \
	X(EMFILE, 24) X(ENOSPC, 28) X(EPIPE, 32) X(EDOM, 33) X(ERANGE, 34) X(ENONET, 64) \
	X(EPROTO, 71) X(ENOTSOCK, 88) X(EDESTADDRREQ, 89) X(EMSGSIZE, 90) \
	X(EPROTOTYPE, 91) X(ENOPROTOOPT, 92) X(EPROTONOSUPPORT, 93) \
	X(ESOCKTNOSUPPORT, 94) X(EOPNOTSUPP, 95) X(EAFNOSUPPORT, 97) \
	X(EADDRINUSE, 98) X(EADDRNOTAVAIL, 99) X(ENETDOWN, 100) \
	X(ENETUNREACH, 101) X(ECONNABORTED, 103) X(ECONNRESET, 104) \
	X(ENOBUFS, 105) X(EISCONN, 106) X(ENOTCONN, 107) X(ETIMEDOUT, 110) \
	X(ECONNREFUSED, 111) X(EHOSTDOWN, 112) X(EHOSTUNREACH, 113) \
	X(EALREADY, 114) X(EINPROGRESS, 115) X(ENODEV, 19) X(EKEYREJECTED, 129) \
	X(EEXIST, 17) X(ELOOP, 40) X(ENOTTY, 25) \
	X(ERESTARTSYS, 512) X(ERESTARTNOINTR, 513)

enum sim_errno {
#define SIM_ERRNO_ENUM(name, val) SIM_##name = val,
	SIM_ERRNO_MAP(SIM_ERRNO_ENUM)
#undef SIM_ERRNO_ENUM
};

/* "ETIMEDOUT" for 110; NULL if unknown.  Accepts the positive value. */
const char *sim_errno_name(int err);
/* 110 for "ETIMEDOUT"; 0 if unknown. */
int sim_errno_from_name(const char *name);
/* The @i-th name of the list (aliases such as EWOULDBLOCK last) and its value; NULL past the end. */
const char *sim_errno_at(unsigned int i, int *val);

#endif
