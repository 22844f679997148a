/* SPDX-License-Identifier: MIT */
/* Simulated processes: creation, teardown and the syscall entry/exit path. */
#include "kernel/task.h"

#include <string.h>

#include "net/net_namespace.h"
#include "net/profile.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "linux/eventpoll.h"
#include "linux/poll.h"
#include "net/socket.h"
#include "sim/trace.h"
#include "trace/events/syscalls.h"

static void task_wake_event(struct sim *sim, struct sim_event *ev);

/* Every disposition SIG_DFL (SIGDISP_DEFAULT == 0): a new task's table. */
static const struct k_sigaction sighand_default[SIM_NSIG];

static void sighand_put(struct sighand_struct *sh)
{
	if (sh && --sh->count == 0)
		g_free(sh);
}

/* @t's dispositions become those of @from (a task), or of @table if @from is NULL. */
static void sighand_set(struct task *t, const struct task *from, const struct k_sigaction *table)
{
	struct sighand_struct *ref = from ? from->sighand_ref : NULL;

	if (ref)
		ref->count++;
	sighand_put(t->sighand_ref);
	t->sighand_ref = ref;
	t->sighand = from ? from->sighand : table;
}

void task_sighand_share(struct task *t, const struct k_sigaction *table)
{
	sighand_set(t, NULL, table);
}

void task_sighand_copy(struct task *t, const struct task *from)
{
	sighand_set(t, from, NULL);
}

struct k_sigaction *task_sighand_write(struct task *t)
{
	if (!t->sighand_ref || t->sighand_ref->count > 1) {
		struct sighand_struct *sh = g_new(struct sighand_struct, 1);

		sh->count = 1;
		memcpy(sh->action, t->sighand, sizeof(sh->action));
		sighand_put(t->sighand_ref);
		t->sighand_ref = sh;
		t->sighand = sh->action;
	}
	return t->sighand_ref->action;
}

struct file *file_alloc(struct net *net, enum file_kind kind)
{
	struct file *f = kernel_zalloc(net->ks, sizeof(*f));

	f->kind = kind;
	f->refs = 1;
	f->ks = net->ks;
	return f;
}

void file_free(struct file *f)
{
	if (f)
		kernel_zfree(f->ks, f, sizeof(*f));
}

struct task *task_new(struct net *net, const char *comm, int pid)
{
	struct task *t = kernel_zalloc(net->ks, sizeof(*t));	/* freed with the simulation */

	t->net = net;
	t->comm = g_strdup(comm);
	t->pid = pid;
	t->group_leader = t;
	t->sighand = sighand_default;
	t->files = kernel_zalloc(net->ks, sizeof(*t->files));	/* files_cachep */
	t->files->fd = t->files->fd_array;
	t->files->max_fds = FILES_INLINE;
	/* fds 0, 1, 2: stdin/stdout/stderr, regular files (ENOTSOCK targets) */
	for (int fd = 0; fd < 3; fd++)
		t->files->fd[t->files->len++] = file_alloc(net, FILE_REGULAR);
	sk_wait_init(t);
	sim_event_init(&t->wake_ev, task_wake_event, "try_to_wake_up");
	t->tasks_slot = net->tasks->len;
	g_ptr_array_add(net->tasks, t);
	return t;
}

struct task *task_new_thread(struct task *leader, const char *comm, int tid)
{
	struct task *t = kernel_zalloc(leader->net->ks, sizeof(*t));

	t->net = leader->net;
	t->comm = g_strdup(comm);
	t->pid = tid;
	t->group_leader = leader;
	t->sighand = sighand_default;
	t->files = leader->files;
	sk_wait_init(t);
	sim_event_init(&t->wake_ev, task_wake_event, "try_to_wake_up");
	t->tasks_slot = leader->net->tasks->len;
	g_ptr_array_add(leader->net->tasks, t);
	return t;
}

GArray *task_uevents(struct task *t)
{
	if (!t->uevents)
		t->uevents = g_array_new(FALSE, FALSE, sizeof(struct epoll_event));
	return t->uevents;
}

/* What @t owns besides the struct itself (the simulation's memory). */
static void task_free_memory(struct task *t)
{
	if (t->group_leader == t) {
		struct files_struct *files = t->files;
		/* regular files alone (stdin, stdout, stderr of every process)
		 * need their memory back and nothing more: not read */
		bool regular_only = files->open_special == 0;

		for (guint fd = 0; fd < files->len; fd++) {
			struct file *f = files->fd[fd];

			if (!f)
				continue;
			if (!regular_only && f->kind == FILE_EPOLL)
				ep_free_memory(f->ep);
			kernel_zfree(t->net->ks, f, sizeof(*f));	/* file_free() without reading f->ks */
		}
		if (files->fd != files->fd_array)
			g_free(files->fd);
		kernel_zfree(t->net->ks, files, sizeof(*files));
	}
	poll_wqueues_free_memory(t->frame.poll);
	if (t->uevents)
		g_array_free(t->uevents, TRUE);
	/* t->frame.newsock (an accept() still blocked at the end) is the
	 * simulation's memory (kernel_zalloc) */
	g_free(t->tcp_info);
	sighand_put(t->sighand_ref);
	g_free(t->comm);
}

void task_free(struct task *t)
{
	if (!t)
		return;
	/*
	 * The end of the world: memory only.  Nothing is released into the
	 * models (no close, no wake-up), and nothing is unlinked from wait
	 * queues, which are never walked again.
	 */
	task_free_memory(t);
	/* @t itself is the simulation's (kernel_zalloc) */
}

G_STATIC_ASSERT(sizeof(struct files_struct) == 64);	/* one cache line */

bool task_has_open_files(const struct task *t)
{
	return t->group_leader->files->open_special > 0;
}

/* Squeeze the NULL slots out of @net's task list, keeping the order. */
static void tasks_compact(struct net *net)
{
	guint n = 0;

	for (guint i = 0; i < net->tasks->len; i++) {
		struct task *o = g_ptr_array_index(net->tasks, i);

		if (!o)
			continue;
		o->tasks_slot = n;
		net->tasks->pdata[n++] = o;
	}
	g_ptr_array_set_size(net->tasks, n);
	net->tasks_holes = 0;
}

bool task_releasable(const struct task *t)
{
	return !t->in_syscall && !t->sleeping && !t->frame.poll && !t->frame.file &&
	       !t->frame.newsock && !sim_event_pending(&t->wake_ev) &&
	       !sim_timer_pending(&t->wait.timer);
}

void task_release(struct task *t)
{
	struct net *net = t->net;

	g_assert(task_releasable(t));
	g_assert(t->group_leader != t || !task_has_open_files(t));
	g_assert(net->tasks->pdata[t->tasks_slot] == t);
	net->tasks->pdata[t->tasks_slot] = NULL;
	if (++net->tasks_holes > 1024 && net->tasks_holes > net->tasks->len / 2)
		tasks_compact(net);
	if (net->ks->current == t)	/* its last call is over: nothing reads current now */
		net->ks->current = NULL;
	task_free_memory(t);
	kernel_zfree(net->ks, t, sizeof(*t));
}

/* Models: fs/file.c:alloc_fd() — the lowest free descriptor below RLIMIT_NOFILE, else EMFILE. */
int task_fd_install(struct task *t, struct file *f)
{
	struct files_struct *files = t->files;

	for (guint fd = 0; fd < files->len; fd++)
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			files->open_special += f->kind != FILE_REGULAR;
			return (int)fd;
		}
	if (files->len >= TASK_RLIMIT_NOFILE)
		return -SIM_EMFILE;
	if (files->len == files->max_fds) {	/* expand_files() */
		guint n = 2 * files->max_fds;

		if (files->fd == files->fd_array)
			files->fd = g_memdup2(files->fd_array, sizeof(files->fd_array));
		files->fd = g_renew(struct file *, files->fd, n);
		files->max_fds = n;
	}
	files->fd[files->len] = f;
	files->open_special += f->kind != FILE_REGULAR;
	return (int)files->len++;
}

/* Would alloc_fd() find a descriptor?  (do_accept() reserves one first.) */
bool task_fd_available(const struct task *t)
{
	for (guint fd = 0; fd < t->files->len; fd++)
		if (!t->files->fd[fd])
			return true;
	return t->files->len < TASK_RLIMIT_NOFILE;
}

struct file *task_fget(struct task *t, int fd)
{
	if (fd < 0 || (guint)fd >= t->files->len)
		return NULL;
	return t->files->fd[fd];
}

/* Models: fs/open.c:close_fd() + fs/file_table.c:__fput() -> sock_close(). */
int task_close_fd(struct task *t, int fd)
{
	struct file *f = task_fget(t, fd);

	if (!f)
		return -SIM_EBADF;
	t->files->fd[fd] = NULL;
	t->files->open_special -= f->kind != FILE_REGULAR;
	fput(f);
	return 0;
}

/*
 * Models: fs/file_table.c:fput() -> __fput(): the last reference takes the
 * file out of every epoll set watching it (eventpoll_release), then
 * f_op->release (sock_close, ep_eventpoll_release).
 */
void fput(struct file *f)
{
	if (!f || --f->refs > 0)
		return;
	eventpoll_release(f);
	if (f->kind == FILE_SOCKET)
		sock_close(f->ks, f->sock);
	else if (f->kind == FILE_EPOLL)
		ep_eventpoll_release(f);
	file_free(f);
}

void syscall_frame_release(struct task *t)
{
	struct file *f = t->frame.file;

	poll_freewait(t->frame.poll);
	t->frame.poll = NULL;
	t->frame.file = NULL;
	fput(f);
}

static void syscall_finish(struct task *t, long ret);

static void task_run_syscall(struct task *t)
{
	long ret = sys_dispatch(t, &t->args);

	syscall_finish(t, ret);
}

void task_syscall(struct task *t, const struct sys_args *args)
{
	g_assert(!t->in_syscall && !t->dead);
	t->args = *args;
	t->in_syscall = true;
	t->restarts = 0;
	t->frame = (struct syscall_frame){ 0 };
	t->out_valid = false;
	t->out_addr_valid = false;
	if (task_uevents_len(t))
		g_array_set_size(t->uevents, 0);
	t->has_tcp_info = false;
	trace_sys_enter(t);
	task_run_syscall(t);
}

static void task_exit_one(struct task *t, int sig);

/*
 * Models: kernel/signal.c:complete_signal() + kernel/exit.c:do_group_exit():
 * a fatal signal kills every thread of the process; the last one out closes
 * the shared file table (exit_files()).
 */
void task_kill(struct task *t, int sig)
{
	struct task *leader = t->group_leader;
	GPtrArray *tasks = t->net->tasks;

	if (t->dead)
		return;
	for (guint i = 0; i < tasks->len; i++) {
		struct task *o = g_ptr_array_index(tasks, i);

		if (o && o->group_leader == leader && o != t && !o->dead)
			task_exit_one(o, sig);
	}
	task_exit_one(t, sig);
}

static void task_exit_one(struct task *t, int sig)
{
	struct sim *sim = t->net->sim;
	char obj[32];
	bool last = true;

	t->dead = true;
	t->exit_signal = sig;
	if (t->sleeping)
		sk_wait_cancel(t);
	syscall_frame_release(t);
	sim_event_cancel(sim, &t->wake_ev);
	g_snprintf(obj, sizeof(obj), "pid %d", t->pid);
	sim_trace(sim, t->net->name, obj, "signal_generate_fatal", "kernel/exit.c:do_exit",
		  "comm=%s sig=%s", t->comm, signal_name(sig));
	for (guint i = 0; i < t->net->tasks->len; i++) {
		struct task *o = g_ptr_array_index(t->net->tasks, i);

		if (o && o->group_leader == t->group_leader && !o->dead)
			last = false;
	}
	for (guint fd = 0; last && fd < t->files->len; fd++)
		if (t->files->fd[fd])
			task_close_fd(t, (int)fd);
	t->in_syscall = false;
	if (t->driver.killed)
		t->driver.killed(t, sig, t->driver.opaque);
}

/*
 * The syscall exit path.  Models: arch/x86/kernel/signal.c:arch_do_signal_or_restart()
 * and handle_signal(): -ERESTARTSYS becomes -EINTR for a handler without
 * SA_RESTART, a transparent restart with SA_RESTART or when no handler ran,
 * and a pending fatal signal kills the process before user space sees the result.
 */
static void syscall_finish(struct task *t, long ret)
{
	if (task_blocked(t) || t->dead)
		return;
	for (;;) {
		int sig = signal_dequeue(t);

		if (!sig)
			break;
		if (signal_is_fatal(t, sig)) {
			task_kill(t, sig);
			return;
		}
		signal_trace_deliver(t, sig);
		if (ret == -SIM_ERESTARTSYS || ret == -SIM_ERESTARTNOINTR) {
			if (ret == -SIM_ERESTARTNOINTR || t->sighand[sig].sa_restart) {
				t->restarts++;
				signal_trace_restart(t);
				ret = sys_dispatch(t, &t->args);
				if (task_blocked(t) || t->dead)
					return;
				continue;
			}
			ret = -SIM_EINTR;
		}
	}
	if (ret == -SIM_ERESTARTSYS || ret == -SIM_ERESTARTNOINTR) {
		/* No handler ran (e.g. the signal was ignored meanwhile): restart. */
		t->restarts++;
		ret = sys_dispatch(t, &t->args);
		if (task_blocked(t) || t->dead)
			return;
	}
	t->in_syscall = false;
	trace_sys_exit(t, ret);
	if (t->driver.syscall_return)
		t->driver.syscall_return(t, ret, t->driver.opaque);
}

/* A woken sleeper runs after the event that woke it, like try_to_wake_up(). */
static void task_wake_event(struct sim *sim, struct sim_event *ev)
{
	struct task *t = container_of(ev, struct task, wake_ev);
	sim_time_t now = sim_now(sim);
	sim_time_t left;
	long ret;

	if (t->dead || !t->in_syscall)
		return;
	left = t->wait.deadline == SIM_TIME_MAX ? MAX_SCHEDULE_TIMEOUT :
		t->wait.deadline > now ? t->wait.deadline - now : 0;
	t->net->ks->current = t;
	ret = t->wait.resume(t, left);
	syscall_finish(t, ret);
}

/*
 * Not kernel: the woken task runs as the next event but one, too soon for
 * the engine's look-ahead (sim_set_prefetch() sees only the sorted run).
 * With many connections its objects are cold: start loading together what
 * task_wake_event() reads one after another -- the task's first lines and
 * its syscall's arguments, the file table, a socket sleeper's file and
 * socket, the driver's state (the scenario runner's process record, as
 * much as it says it reads: opaque_hot).
 * Loads only: no state, no order changes.
 */
static void task_wake_prefetch(const struct task *t)
{
	const char *drv = t->driver.opaque;

	__builtin_prefetch(t);
	__builtin_prefetch((const char *)t + 64);
	__builtin_prefetch((const char *)&t->args + 64);
	__builtin_prefetch(t->files);
	/* a socket sleeper's file and socket (sk_wait_sleep(): addresses
	 * taken at sleep, only loaded here: one that went since is harmless) */
	if (t->wait.file_hint)
		__builtin_prefetch(t->wait.file_hint);
	if (t->wait.sock_hint)
		__builtin_prefetch(t->wait.sock_hint);
	for (unsigned int off = 0; drv && off < t->driver.opaque_hot; off += 64)
		__builtin_prefetch(drv + off);
}

void task_wake(struct task *t)
{
	if (!t->sleeping)
		return;
	sk_wait_cancel(t);
	sim_event_schedule(t->net->sim, &t->wake_ev, sim_now(t->net->sim));
	task_wake_prefetch(t);
}
