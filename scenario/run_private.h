/* SPDX-License-Identifier: MIT */
/* The runner's records, shared by run.c, expect.c and results.c. */
#ifndef SIM_SCENARIO_RUN_PRIVATE_H
#define SIM_SCENARIO_RUN_PRIVATE_H

#include "run.h"
#include "tcp_stats.h"
#include "trace/events.h"
#include "vsock_stats.h"
#include "wire_stats.h"

#define TCP_USER_TIMEOUT_OPT 18

struct scn_run;

struct var_binding {
	const char *name;	/* borrowed from the plan */
	int fd;
	int sock_id;
	int index;		/* -1; epoll_wait: NAME.index is the fd of its index-th event */
};

/* Of one name in a process's vars: what var_fd() finds without walking them. */
struct var_latest {
	int plain;		/* position of the last binding NAME = call(), -1 if none */
	int epoll;		/* position of the first NAME.N of the last epoll_wait(), -1 if none */
	int epoll_count;	/* its events (0: one INT_MAX binding) */
};

/* A variable of a program instance: the value a call returned, and the socket. */
struct prog_var {
	int64_t val;		/* -1 until a call binds it (EBADF as a descriptor) */
	int sock_id;		/* the socket of the descriptor it holds, or 0 */
	int first_sock;		/* the first socket it held: what `expect states` follows */
};

#define PROC_VARS_INLINE 64	/* bytes */

struct proc_rt {
	struct scn_run *run;
	int index;
	struct task *task;
	/* a program instance or a thread it spawned (NULL: the timed lines of a process) */
	const struct plan_program *prog;
	guint pc;		/* the next op */
	guint cur_step;		/* the step an OP_CALL is issuing */
	uint64_t instance;	/* $i */
	sim_time_t t0;		/* the instance's start: absolute times of the program count from it */
	long last_ret;		/* what the last call returned: conditions test it */
	struct prog_var *pvars;	/* prog->vars->len */
	GArray **events;	/* prog->vars->len: the events (struct epoll_event) of the last
				 * epoll_wait() that bound the variable, or NULL */
	uint64_t *loop_count;	/* prog->nloops each */
	sim_time_t *loop_t0;
	/* pvars, events, loop_count and loop_t0 are one block: here when it fits
	 * (a program of up to two variables and no loop), beside the fields a
	 * step reads, so that a cold record costs fewer misses; else g_malloc'd */
	uint64_t vars_inline[PROC_VARS_INLINE / sizeof(uint64_t)];
	struct sim_event prog_ev;	/* the start, the end of a sleep */
	guint spawned;		/* threads spawned so far, for their names */
	struct proc_rt *group;	/* the record of its process (itself for a process) */
	GPtrArray *steps;	/* plan step index + 1, in file order */
	guint next;
	sim_time_t last_return;
	struct sim_event step_ev;
	int cur_rec;		/* index in run->syscalls, -1 if none in flight */
	GArray *vars;		/* struct var_binding; a thread's is its process's */
	GHashTable *var_names;	/* name -> struct var_latest: where in vars its last bindings are */
	bool owns_vars;
	int killed_by;
	sim_time_t killed_at;	/* when killed_by killed it */
	GArray *pollfds;	/* struct pollfd_sim: the array of the poll() in flight */
	uint64_t rep_done;	/* repetitions of the current line already returned */
	sim_time_t rep_last_issue;
	/*
	 * The end of a program instance (run.c:proc_ended): once its program and
	 * those of all its threads have ended (or the process was killed), nothing
	 * can run, signal or name them again, and their records and tasks are
	 * released (run.c:proc_release_group); struct proc_ident keeps what the
	 * results name them by.
	 */
	struct proc_rt *next_thread;	/* its process's spawned threads, a list from the process's record;
					 * a released record: the next free one */
	guint live_threads;	/* a process's record: its spawned threads still running */
	bool ended;		/* its program ended, or it was killed */
	bool keep;		/* a process's record: never released (declared, or an expect line names it) */
	bool releasing;		/* proc_release_group() or proc_release_thread() is queued */
	bool listed;		/* a spawned thread on its process's list: released with it */
	bool thread_held;	/* a process's record: a thread of it that ended could not be released */
	struct sim_rcu_head rcu;
};

/* Of every process and thread the run started, also once its record is released. */
struct proc_ident {
	struct proc_rt *rt;	/* NULL once released */
	const char *comm;	/* in run->comms */
	int pid;
	guint host;		/* its host: an index in the world's hosts */
};

enum rec_outcome { REC_PENDING, REC_RETURNED, REC_KILLED };

/*
 * One per syscall: fields ordered so that none pads (112 bytes; bench/README.md).
 * Without --results (opts.no_results) only the records the expectations
 * show are kept (struct step_recs); the others' slots are reused.
 */
struct sys_rec {
	int step;
	int proc;
	int fd;
	unsigned int restarts;
	enum rec_outcome outcome;
	int sock_id;
	bool has_out;
	bool has_want;		/* a .pkt call: the return time the run worked out (scenario/pkt_run.c) */
	sim_time_t t_call, t_return;
	long ret;		/* REC_KILLED: the signal that killed its process */
	int64_t out;
	struct tcp_info_sim *tcp_info;	/* getsockopt(TCP_INFO) snapshot, or NULL */
	GArray *events;		/* epoll_wait / poll: struct epoll_event (events, data = fd), or NULL */
	int *exp_fds;		/* the descriptors of the step's events= check, resolved at the return */
	sim_time_t want_at, want_tol;
	bool has_addr;		/* getsockname/getpeername: the address written */
	struct sockaddr_sim addr;
	uint64_t seq;		/* issue order: 0 for the run's first call */
};

/*
 * Of one plan step, kept as its calls are issued and return, so that the
 * expectations need no other record: its first call, and for a program line
 * with an expected result, the number of calls and of those that did not
 * match it (judged as each returns or is killed; a call still blocked at the
 * end is judged by scn_run_evaluate()) and the first of those in issue order.
 */
struct step_recs {
	guint calls, failed;
	int first, first_failed;	/* index in run->syscalls, or -1 */
};

struct sock_transition {
	sim_time_t t;
	int sk_state;
	int sock_state;		/* -1: no struct socket (not accepted yet, or closed) */
};

/*
 * Records are carved from blocks of 8, 16, 32 ... records up to these
 * (run.c:block_carve): a run with a few sockets zeroes a few KiB, not 150
 * (issue #14's quiet run), and 10^6 connections still take one malloc per
 * SOCK_REC_BLOCK.
 */
#define SOCK_REC_BLOCK 1024u
#define PROC_RT_BLOCK 256u

struct rec_blocks {
	GPtrArray *blocks;	/* the records' memory: g_malloc0'd arrays */
	guint used, size;	/* records carved from the last block, and its size */
};

/* The calls the runner treats apart (run.c:call_kind). */
enum call_kind {
	CALL_NEW_FD = 1,	/* socket, open, epoll_create*: no descriptor argument, returns one */
	CALL_ACCEPT = 2,	/* accept, accept4: returns a descriptor */
	CALL_RECV = 4,		/* a repeated recv() stops at 0 */
	CALL_EPOLL_WAIT = 8,
};

/* How a call's arguments after the first are read (run.c:args_kind, build_args). */
enum args_kind {
	ARGS_PLAIN,		/* integers a[0..3] */
	ARGS_ADDR,		/* connect, bind: an address, its length */
	ARGS_SENDTO,
	ARGS_MSG,		/* sendmsg, recvmsg: an iovec */
	ARGS_LEN,		/* send, write, read: a length or FAULT, flags */
	ARGS_POLL,
	ARGS_EPOLL_WAIT,
	ARGS_SETSOCKOPT,
};

/* One per socket, kept only if something reads them (run.c:sock_states_needed). */
struct sock_rec {
	uint32_t id;
	struct host *host;
	int proc;
	int fd;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	bool vsock;		/* AF_VSOCK: the addresses are below */
	bool vlocal_set, vremote_set;
	uint32_t vcid[2], vport[2];	/* [0] local, [1] remote */
	GArray *transitions;
};

struct scn_run {
	const struct scn_plan *plan;
	struct scn_run_opts opts;
	struct sim *sim;
	struct world *world;
	struct trace_subscriber sub;	/* socket records (obs_sock_new, obs_sock_state) */
	struct tcp_stats *tcp_stats;	/* results: TCP samples */
	struct vsock_stats *vsock_stats;	/* results: vsock connections */
	struct wire_stats *wire_stats;	/* results and expectations: packets per kind */
	struct wire_rec *wire_rec;	/* `wire` expectations' packets (wire_expect.c), or NULL */
	struct pkt_rt *pkt;	/* a .pkt script's event timing (pkt_run.c), or NULL */
	struct rec_blocks proc_blocks;	/* the proc_rt records' memory, blocks up to PROC_RT_BLOCK */
	struct proc_rt *free_procs;	/* released records, reused first (through next_thread) */
	GArray *procs;		/* struct proc_ident: the plan's processes, then instances and
				 * spawned threads in the order they started */
	GStringChunk *comms;	/* their names */
	GHashTable *named;	/* (template << 32 | instance) of an expect line's PROG.K -> its
				 * proc index + 1 once it started, or 0 */
	int next_pid;		/* the pid of the next instance or spawned thread */
	GPtrArray *starts;	/* struct start_rt *: the start lines' instance feeders */
	GPtrArray *socks;	/* struct sock_rec *, index = sock id - 1 */
	struct rec_blocks sock_blocks;	/* the records' memory, blocks up to SOCK_REC_BLOCK */
	GArray *syscalls;	/* struct sys_rec: every call, in issue order; without
				 * --results the kept ones, in any order */
	int *free_recs;		/* slots of syscalls dropped (no_results) for reuse, a stack */
	guint n_free_recs, free_recs_cap;
	uint64_t issued;	/* calls issued so far (the next sys_rec.seq) */
	struct step_recs *step_recs;	/* per plan step */
	uint64_t threads;	/* started by `spawn` blocks so far (limit.threads) */
	char *limit_text;	/* the run limit the scenario breached, or NULL */
	bool sim_time_limit;	/* its until is limit.sim-time (no `stop at=`, no --until) */
	const struct syscall_desc **step_sys;	/* per plan step: its syscall_table row */
	uint8_t *step_call;	/* per plan step: enum call_kind bits of its call */
	uint8_t *step_args;	/* per plan step: enum args_kind of its call */
	GArray *outcomes;	/* per expectation: gboolean pass (after evaluate) */
	GPtrArray *actuals;	/* per expectation: "actual" text */
	GPtrArray *expected;	/* per expectation: "expected" text */
	GArray *exp_lines;
};

static inline const struct proc_ident *proc_ident_at(const struct scn_run *r, int i)
{
	return &g_array_index(r->procs, struct proc_ident, (guint)i);
}

/* @i's runner record, or NULL if it was released (only ended instances and their threads are). */
static inline struct proc_rt *proc_at(const struct scn_run *r, int i)
{
	return proc_ident_at(r, i)->rt;
}

/* The key of instance @instance of template @prog in scn_run.named. */
static inline gint64 scn_named_key(int prog, uint64_t instance)
{
	return (gint64)(((uint64_t)(unsigned int)prog << 32) | instance);
}

/* An `inject` line's packet, now (run.c). */
void scn_run_inject(struct scn_run *r, const struct plan_inject *in);
/* `TIME qdisc HOST ...`: install the line's qdisc now. */
void scn_run_qdisc(struct scn_run *r, const struct plan_qdisc *pq);

/*
 * A .pkt script's events, timed as packetdrill times them (pkt_run.c):
 * started by scn_run_new() instead of the injects, the process's lines and
 * `stop at=`; told when the process issues a call (its expected return
 * time goes into @rec) and when a call returned.
 */
struct pkt_rt *scn_pkt_rt_new(struct scn_run *r);
void scn_pkt_rt_free(struct pkt_rt *q);
void scn_pkt_rt_issued(struct pkt_rt *q, struct sys_rec *rec);
void scn_pkt_rt_returned(struct pkt_rt *q);

/* scenario/expect.c: "10.0.0.1:40000" or "[::1]:80" */
char *sockaddr_text(const struct sockaddr_sim *a);
/* Does @rec (returned or killed) match its line's expected result? (expect.c) */
bool scn_rec_matches(const struct scn_run *r, const struct sys_rec *rec);

#endif
