/* SPDX-License-Identifier: MIT */
/*
 * Simulated processes: an fd table, signal dispositions and pending signals,
 * and at most one syscall in flight.  A blocked syscall is a continuation
 * parked on a socket wait queue (models/kernel/wait.c); the syscall exit path
 * (models/kernel/signal.c) turns -ERESTARTSYS into EINTR, a transparent
 * restart or the death of the process, as arch/x86/kernel/signal.c does.
 */
#ifndef MODELS_KERNEL_TASK_H
#define MODELS_KERNEL_TASK_H

#include <glib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "linux/wait.h"
#include "net/sock.h"
#include "net/tcp.h"
#include "sim/timer.h"

struct net;
struct task;

#define SIM_NSIG 64	/* signals 1..63: one bit each in a u64 */
/*
 * What a model function that put its task to sleep returns up its call
 * chain.  Never compared (issue #13): that a call blocked is a state of the
 * task, task_blocked(t), so no value a syscall can return is special.
 */
#define TASK_SLEPT ((long)INT_MIN)

/* Models: the RLIMIT_NOFILE soft default, INR_OPEN_CUR (include/uapi/linux/fs.h). */
#define TASK_RLIMIT_NOFILE 1024

/* descriptors held inside struct files_struct before a separate array */
#define FILES_INLINE 5

/*
 * Models: include/linux/fdtable.h:struct files_struct — a process's
 * descriptor table: fd[i] is the file of descriptor i (NULL: free), for
 * i < len (one past the highest descriptor ever installed).  The first
 * FILES_INLINE slots are inside it, as the kernel's fd_array[NR_OPEN_DEFAULT]
 * is, so that a lookup reads one line before the file (64 bytes in all).
 */
struct files_struct {
	guint len;
	guint max_fds;			/* slots in fd */
	/* not kernel: how many descriptors hold a file that is not
	 * FILE_REGULAR (task_has_open_files() without reading the files) */
	guint open_special;
	struct file **fd;		/* fd_array, or a larger array once grown */
	struct file *fd_array[FILES_INLINE];
};

enum sig_disposition { SIGDISP_DEFAULT, SIGDISP_IGNORE, SIGDISP_HANDLER };

struct k_sigaction {
	enum sig_disposition disp;
	bool sa_restart;
};

/* include/linux/sched/signal.h: struct sighand_struct (count, action[]) */
struct sighand_struct {
	unsigned int count;
	struct k_sigaction action[SIM_NSIG];
};

enum file_kind { FILE_SOCKET, FILE_REGULAR, FILE_EPOLL };

struct eventpoll;
struct epitem;
struct poll_wqueues;

struct file {
	enum file_kind kind;
	unsigned int f_flags;		/* O_NONBLOCK */
	struct socket *sock;		/* FILE_SOCKET */
	struct eventpoll *ep;		/* FILE_EPOLL: private_data */
	struct epitem *f_ep;		/* the epoll items watching this file (fs/eventpoll.c) */
	int refs;
	struct kernel_shared *ks;	/* whose slab holds it (file_alloc) */
};

/* Not kernel: a new file of @kind (one reference) from @net's slab; file_free() gives it back. */
struct file *file_alloc(struct net *net, enum file_kind kind);
void file_free(struct file *f);

/* struct pollfd (include/uapi/asm-generic/poll.h): one entry of poll()'s array. */
struct pollfd_sim {
	int fd;
	short events;
	short revents;
};

/* Arguments of one syscall, already resolved from the scenario. */
struct syscall_desc;

struct sys_args {
	const char *call;		/* "connect" */
	const struct syscall_desc *desc;	/* its syscall_table row, or NULL: found by name */
	int fd;
	int64_t a[4];			/* call-specific integers */
	struct sockaddr_sim addr;
	bool has_addr;
	sim_time_t timeout;		/* poll timeout, SIM_TIME_MAX = infinite */
	const char *str;		/* a string option value (TCP_CONGESTION) */
	const struct pollfd_sim *ufds;	/* poll: the caller's array (read only; revents go to t->uevents) */
	unsigned int nfds;
};

/* A blocked syscall's state, owned by the task while it sleeps. */
struct sk_waiter {
	struct wait_queue_entry wq;	/* on sk->sk_wq (or another queue), or on none */
	struct task *task;
	struct sim_timer timer;		/* the sleep's timeout */
	sim_time_t deadline;		/* SIM_TIME_MAX: no timeout */
	/* Re-runs the rest of the syscall; returns its result, or sleeps again (task_blocked()). */
	long (*resume)(struct task *t, sim_time_t timeo_left);
	/* not kernel: for a sleep on a socket, the file and the socket its
	 * resume reads first (task_fget(), file->sock, sock->sk), taken when it
	 * went to sleep; task_wake() only prefetches them (NULL: none) */
	const struct file *file_hint;
	const struct socket *sock_hint;
};

struct syscall_ops;

/*
 * What a split model function keeps across its sleep: the frame of the one
 * syscall in flight, cleared when the syscall is issued (not on a restart).
 */
struct syscall_frame {
	sim_time_t timeo;		/* the timeo the call started sleeping with (sock_intr_errno) */
	int err;			/* connect: __inet_stream_connect's preset err */
	int disconnects;		/* connect: sk_disconnects when it went to sleep */
	int flags;			/* send: the MSG_* flags */
	int copied;			/* send: bytes a blocked send() already queued */
	bool past_connect;		/* send: the blocked send() is in its copy loop */
	int64_t read;			/* vsock recv: bytes a blocked recv() already read */
	int64_t target;			/* vsock recv: bytes still wanted (SO_RCVLOWAT) */
	struct socket *newsock;		/* accept: the socket being filled in */
	struct poll_wqueues *poll;	/* poll: the entries hooked on every polled file */
	struct file *file;		/* epoll_wait: the epoll file it holds (fdget) */
	bool msg_control;		/* recvmsg: the msghdr has a control buffer (cmsgs) */
};

struct task_driver {
	/* A syscall the driver issued finished (after restarts). */
	void (*syscall_return)(struct task *t, long ret, void *opaque);
	/* The process was killed by @sig; the in-flight call (if any) never returns. */
	void (*killed)(struct task *t, int sig, void *opaque);
	void *opaque;
	/* the bytes at @opaque the driver reads first when the task is woken
	 * (syscall_return): loaded ahead by task_wake() (0: none) */
	unsigned int opaque_hot;
};

struct task {
	struct net *net;			/* nsproxy->net_ns: the host it runs on */
	char *comm;
	int pid;
	guint tasks_slot;		/* its index in net->tasks */
	struct files_struct *files;	/* shared by the threads of a process */
	struct task *group_leader;	/* itself, or the process a thread belongs to */
	/* The dispositions, read only here: tasks with the same table share it
	 * (all SIG_DFL, the plan's, a spawned thread's copy of its parent's),
	 * as threads share sighand_struct in Linux; a write copies a shared
	 * table first (task_sighand_write()), so each task keeps its own values.
	 * sighand_ref: the counted table sighand points into, or NULL. */
	const struct k_sigaction *sighand;
	struct sighand_struct *sighand_ref;
	uint64_t sigpending;		/* bit n = signal n */
	bool dead;
	int exit_signal;

	/* the syscall in flight */
	bool in_syscall;
	struct sys_args args;
	unsigned int restarts;
	struct sk_waiter wait;		/* valid while sleeping */
	bool sleeping;			/* the call blocked: task_blocked() */
	struct syscall_frame frame;	/* cleared when a syscall is issued */
	struct sim_event wake_ev;	/* the scheduler running a woken sleeper */
	/* a value the call hands back besides its return (revents, optval) */
	bool out_valid;
	int64_t out_val;
	/* the address getsockname()/getpeername() wrote */
	bool out_addr_valid;
	struct sockaddr_sim out_addr;
	/*
	 * What epoll_wait() wrote to the caller's events array (struct
	 * epoll_event: events, data = the fd), or poll() to its array's
	 * revents (events = revents, data = the fd); cleared at each call.
	 * NULL until the task's first such call (task_uevents()).
	 */
	GArray *uevents;
	bool has_tcp_info;		/* getsockopt(TCP_INFO) filled tcp_info */
	struct tcp_info_sim *tcp_info;	/* allocated at the task's first TCP_INFO call
					 * (most tasks never make one; bench/README.md) */
	struct task_driver driver;
};

struct task *task_new(struct net *net, const char *comm, int pid);
/* A thread of @leader: shares its file table (CLONE_FILES) and dies with it. */
struct task *task_new_thread(struct task *leader, const char *comm, int tid);
/* @t->uevents, made at its first use. */
GArray *task_uevents(struct task *t);
static inline guint task_uevents_len(const struct task *t)
{
	return t->uevents ? t->uevents->len : 0;
}
void task_free(struct task *t);
/* Has @t's descriptor table a file whose release reaches the models (a socket, an epoll instance)? */
bool task_has_open_files(const struct task *t);
/* Could @t be released: no call in flight or asleep, nothing held by its syscall frame? */
bool task_releasable(const struct task *t);
/*
 * Forget @t for good: a task that can never run, be signalled or be looked
 * at again (task_releasable(); a process after its threads, its table
 * without sockets or epoll files, task_has_open_files()).  It leaves
 * net->tasks and its memory goes back (the struct to the simulation's slab:
 * kernel_zfree).  Not kernel code: the scenario runner's end of a program
 * instance (scenario/run.c:proc_release).
 */
void task_release(struct task *t);
/* @t's dispositions become @table's (a snapshot: later writes to either copy). */
void task_sighand_share(struct task *t, const struct k_sigaction *table);
/* @t's dispositions become @from's (a snapshot, as task_sighand_share()). */
void task_sighand_copy(struct task *t, const struct task *from);
/* @t's own, writable table (copied from the shared one the first time). */
struct k_sigaction *task_sighand_write(struct task *t);

/* fs/file.c */
int task_fd_install(struct task *t, struct file *f);	/* lowest free fd, or -EMFILE */
bool task_fd_available(const struct task *t);

/* Did @t's syscall go to sleep (its continuation will finish it)? */
static inline bool task_blocked(const struct task *t)
{
	return t->sleeping;
}
struct file *task_fget(struct task *t, int fd);
int task_close_fd(struct task *t, int fd);
/* fs/file_table.c:fput() — drop a reference; the last one releases the file (__fput). */
void fput(struct file *f);
/* The end of the call in flight: drop what its frame holds (poll entries, files). */
void syscall_frame_release(struct task *t);

/* Issue a syscall; the result comes back through driver.syscall_return. */
void task_syscall(struct task *t, const struct sys_args *args);

void task_kill(struct task *t, int sig);
/* Wake a sleeping task: it resumes after the current event. */
void task_wake(struct task *t);

/* kernel/signal.c */
int signal_dequeue(struct task *t);
bool signal_is_fatal(const struct task *t, int sig);
void signal_trace_deliver(struct task *t, int sig);
void signal_trace_restart(struct task *t);
bool signal_pending(const struct task *t);
bool fatal_signal_pending(const struct task *t);
void task_send_signal(struct task *t, int sig);
int signal_from_name(const char *name);
const char *signal_name(int sig);
bool sig_default_ignored(int sig);

/* kernel/wait.c: sleep on @sk until woken, @timeo elapses or a signal. */
long sk_wait_sleep(struct task *t, struct sock *sk, sim_time_t timeo,
		   long (*resume)(struct task *t, sim_time_t timeo_left));
/* The same on any wait queue (@wq_head NULL: only the timeout and signals wake it). */
long task_wait_sleep(struct task *t, struct wait_queue_head *wq_head, bool exclusive,
		     sim_time_t timeo, long (*resume)(struct task *t, sim_time_t timeo_left));
/* The task waiter behind a wait-queue entry, or NULL for an epoll/poll entry. */
const struct sk_waiter *wq_entry_sk_waiter(const struct wait_queue_entry *e);
/* The same, as an exclusive waiter (prepare_to_wait_exclusive): accept(). */
long sk_wait_sleep_exclusive(struct task *t, struct sock *sk, sim_time_t timeo,
			     long (*resume)(struct task *t, sim_time_t timeo_left));
void sk_wait_init(struct task *t);
void sk_wait_cancel(struct task *t);
/* Wake everything waiting on @sk with no poll key (sock_def_wakeup: wake_up_interruptible_all). */
void sk_wake_waiters(struct sock *sk);
/*
 * A keyed wake-up of @sk's queue, wake_up_interruptible_poll(): sleeping tasks
 * wake whatever the key; poll tables and epoll items only for events they wait
 * for (EPOLLIN|EPOLLRDNORM... for sk_data_ready, EPOLLOUT... for
 * sk_write_space, EPOLLERR for sk_error_report).
 */
void sk_wake_poll(struct sock *sk, unsigned int key);

#endif
