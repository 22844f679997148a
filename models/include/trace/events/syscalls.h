/* SPDX-License-Identifier: MIT */
/* Syscall probes (the kernel's include/trace/events/syscalls.h role). */
#ifndef MODELS_TRACE_EVENTS_SYSCALLS_H
#define MODELS_TRACE_EVENTS_SYSCALLS_H

#include "kernel/task.h"
#include "trace/events.h"

/* @t issued the syscall in t->args (not again on a restart). */
static inline void trace_sys_enter(struct task *t)
{
	TRACE_EMIT(t->net->ks, sys_enter, t);
}

/* The syscall returned @ret to user space (after restarts and signals). */
static inline void trace_sys_exit(struct task *t, long ret)
{
	TRACE_EMIT(t->net->ks, sys_exit, t, ret);
}

#endif
