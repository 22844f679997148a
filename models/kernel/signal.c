/* SPDX-License-Identifier: MIT */
/*
 * Signals: dispositions, generation and dequeueing.
 * Models: kernel/signal.c (send_signal_locked, sig_ignored, dequeue_signal)
 * @ v6.18.  Simplifications: one thread per process; no SIGSTOP/SIGCONT job
 * control; signals are dequeued lowest number first (the kernel takes
 * synchronous signals first, then the lowest number).
 */
#include <string.h>

#include "kernel/task.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "sim/trace.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGKILL 9
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGURG 23
#define SIGWINCH 28

static const struct { const char *name; int sig; } signal_names[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT },
	{ "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 },
	{ "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM },
	{ "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGURG", SIGURG },
	{ "SIGWINCH", SIGWINCH },
};

int signal_from_name(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(signal_names); i++)
		if (strcmp(signal_names[i].name, name) == 0)
			return signal_names[i].sig;
	return 0;
}

const char *signal_name(int sig)
{
	for (size_t i = 0; i < G_N_ELEMENTS(signal_names); i++)
		if (signal_names[i].sig == sig)
			return signal_names[i].name;
	return "SIG?";
}

/* include/linux/signal.h: SIG_KERNEL_IGNORE_MASK */
bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

/* Models: kernel/signal.c:sig_ignored() — ignored signals are discarded at generation. */
static bool sig_ignored(const struct task *t, int sig)
{
	if (sig == SIGKILL)
		return false;
	if (t->sighand[sig].disp == SIGDISP_IGNORE)
		return true;
	return t->sighand[sig].disp == SIGDISP_DEFAULT && sig_default_ignored(sig);
}

bool signal_is_fatal(const struct task *t, int sig)
{
	return sig == SIGKILL || t->sighand[sig].disp == SIGDISP_DEFAULT;
}

bool signal_pending(const struct task *t)
{
	return t->sigpending != 0;
}

bool fatal_signal_pending(const struct task *t)
{
	return t->sigpending & (UINT64_C(1) << SIGKILL);
}

static void trace_sig(struct task *t, const char *event, const char *fmt_detail, int sig)
{
	char obj[32];

	g_snprintf(obj, sizeof(obj), "pid %d", t->pid);
	sim_trace(t->net->sim, t->net->name, obj, event, "kernel/signal.c",
		  "comm=%s sig=%s%s", t->comm, signal_name(sig), fmt_detail);
}

/* Models: kernel/signal.c:send_signal_locked() + signal_wake_up(). */
void task_send_signal(struct task *t, int sig)
{
	if (t->dead)
		return;
	if (sig_ignored(t, sig)) {
		trace_sig(t, "signal_generate", " result=ignored", sig);
		return;
	}
	t->sigpending |= UINT64_C(1) << sig;
	trace_sig(t, "signal_generate", t->sleeping ? " result=wake" : " result=queued", sig);
	if (t->sleeping) {
		task_wake(t);
		return;
	}
	if (!t->in_syscall) {
		/* Running in user space: delivered at once. */
		int s;

		while ((s = signal_dequeue(t))) {
			if (signal_is_fatal(t, s)) {
				task_kill(t, s);
				return;
			}
			signal_trace_deliver(t, s);
		}
	}
}

int signal_dequeue(struct task *t)
{
	/* the lowest pending signal 1..SIM_NSIG-1 (bit 0 is no signal) */
	uint64_t pending = t->sigpending & ~UINT64_C(1);
	int sig;

	if (!pending)
		return 0;
	sig = __builtin_ctzll(pending);
	t->sigpending &= ~(UINT64_C(1) << sig);
	return sig;
}

void signal_trace_deliver(struct task *t, int sig)
{
	trace_sig(t, "signal_deliver", t->sighand[sig].sa_restart ?
		  " handler=yes sa_restart=yes" : " handler=yes sa_restart=no", sig);
}

void signal_trace_restart(struct task *t)
{
	char obj[32];

	g_snprintf(obj, sizeof(obj), "pid %d", t->pid);
	sim_trace(t->net->sim, t->net->name, obj, "syscall_restart",
		  "arch/x86/kernel/signal.c:arch_do_signal_or_restart",
		  "comm=%s call=%s restarts=%u", t->comm, t->args.call, t->restarts);
}
