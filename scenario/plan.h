/* SPDX-License-Identifier: MIT */
/*
 * A checked scenario: the AST with every name resolved, every value typed
 * and every error reported against its source location (check.c).  The
 * runner (run.c) builds a simulation from it; nothing in here is mutable
 * simulation state, so one plan can be run many times.
 */
#ifndef SIM_SCENARIO_PLAN_H
#define SIM_SCENARIO_PLAN_H

#include <glib.h>

#include "ast.h"
#include "limit.h"
#include "env/fault.h"
#include "env/qdisc.h"
#include "kernel/task.h"
#include "net/net_namespace.h"
#include "net/profile.h"
#include "sim/sim.h"

struct plan_host {
	char *name;
	uint32_t addr;
	bool has_addr6;		/* `host NAME ADDR ADDR6`: a global IPv6 address too */
	uint8_t addr6[16];
	bool scripted;		/* no TCP stack: it sends only what `inject` lines say */
};

/* "TIME inject FROM TO FLAGS key=value...": a packet a scripted host sends. */
struct plan_inject {
	int line;
	sim_time_t time;
	int from, to;
	uint8_t flags;
	uint16_t sport, dport;
	bool learn_dport;	/* dport=learn: the port the receiver's connecting socket uses */
	uint32_t seq;		/* the scripted peer's own sequence number */
	uint32_t ack;		/* relative to the receiving socket's ISN */
	bool has_ack;
	uint32_t win, len;
	uint16_t mss;
	uint8_t wscale;		/* 0xff: no option */
	bool sack_perm;
	bool ts_ok;
	uint8_t ecn;		/* the IP header's ECN field (INET_ECN_*) */
	int nsacks;
	uint32_t sack[SKB_MAX_SACKS][2];	/* relative to the receiver's ISN */
};

struct plan_link {
	int a, b;
	sim_time_t delay, jitter;
	uint64_t rate_bps;
	uint64_t queue_bytes;
};

struct plan_route {
	int host;
	uint32_t prefix, plen;
	int type;		/* enum route_type */
};

struct plan_sysctl {
	int host;		/* -1: every host */
	const struct sysctl_desc *desc;
	char *value;
	struct scn_loc loc;
};

/* A fault rule of either domain (wire or vsock device path), as checked. */
struct plan_fault {
	const struct fault_kind_ops *ops;	/* env/include/env/fault_kinds.h */
	struct fault_params p;
	int from, to, router;	/* host index or -1 */
	int dev;		/* vsock: device index or -1 */
	char *label;
};

struct plan_lsm {
	char *call;
	int err;
	int proc;		/* -1: every process */
};

enum plan_arg_kind { ARG_INT, ARG_VAR, ARG_ADDR, ARG_TIME, ARG_STR };

struct plan_arg {
	enum plan_arg_kind kind;
	int64_t i;		/* INT; ADDR with idx: the port before adding the index */
	char *var;
	int slot;		/* VAR in a program: its variable slot */
	int64_t idx;		/* in a program: value (or port) += idx * instance index ($i) */
	struct sockaddr_sim addr;
	sim_time_t t;
	int64_t nsegs;		/* ARG_INT of shape I (an iovec): its number of segments; i is the total */
};

#define PLAN_MAX_ARGS 6

struct plan_step {
	int line;
	char *desc;		/* "connect(c, 10.0.0.2:80)" */
	int proc;		/* -1: a line of a template's program (its instances run it) */
	int prog;		/* the program (plan->programs) the line is in, or -1 */
	int assign_slot;	/* in a program: the variable slot bound to the result, or -1 */
	bool relative;
	sim_time_t time;
	const char *call;	/* static name from syscall_table */
	struct plan_arg args[PLAN_MAX_ARGS];
	int nargs;
	char *assign;		/* variable bound to the result, or NULL */
	/* expected result */
	bool exp_ret;
	int64_t ret;
	int err;		/* positive errno, 0 for none */
	bool exp_at;
	bool at_relative;
	sim_time_t at, tol;
	bool exp_val;
	int64_t val;
	bool exp_revents;
	int64_t revents;
	bool exp_addr;		/* getsockname/getpeername addr= */
	struct sockaddr_sim addr;
	GArray *exp_tcpi;	/* struct plan_tcpi_check, getsockopt(TCP_INFO) */
	GArray *poll_fds;	/* poll: struct plan_arg, FD and EVENTS alternating (every pair) */
	GArray *exp_events;	/* epoll_wait events="FD:EVENTS ...", poll revents="R ...": struct plan_event_check */
	char *exp_text;		/* "= -1 ETIMEDOUT @ 131s" */
	/* repetition: repeat=N|forever every=T until=T */
	uint64_t repeat;	/* 1 = once; UINT64_MAX = until it fails or ends */
	sim_time_t every;	/* minimum spacing between issues */
	sim_time_t until;	/* no new issue after this time (0 = none) */
};

/* One entry of an events= (epoll_wait) or revents="..." (poll) check, in order. */
struct plan_event_check {
	struct plan_arg fd;	/* epoll_wait: the descriptor (ARG_INT or ARG_VAR); poll: unused */
	int64_t events;
};

/*
 * tcpi_NAME=V (equal), tcpi_NAME=LO-HI (LO <= value <= HI) or
 * tcpi_NAME="OP V" (OP one of == != < <= > >=): value in lo..hi, or not V.
 */
struct plan_tcpi_check {
	int field;		/* enum tcp_info_field */
	int64_t lo, hi;		/* inclusive */
	bool ne;		/* "!= V": lo = hi = V, the value must differ */
};

struct plan_signal {
	int line;
	sim_time_t time;
	int proc;
	int sig;
};

/*
 * `qdisc HOST KIND [limit=N]` (from the start) or `TIME qdisc HOST ...` (at
 * TIME): the root qdisc of the host's interface (env/qdisc.h), as `tc qdisc
 * add/replace/delete dev DEV root ...` sets it.  In a .pkt run the k-th
 * timed one is the k-th SCN_PKT_QDISC event (scenario/pkt_run.c).
 */
struct plan_qdisc {
	int line;
	bool timed;
	sim_time_t time;
	int host;
	struct qdisc q;
};

enum plan_expect_kind { EXP_STATES, EXP_SOCK_STATES, EXP_COUNTER, EXP_EXIT };

struct plan_expect {
	enum plan_expect_kind kind;
	int line;
	char *text;
	int proc;
	char *var;
	GArray *states;		/* int */
	bool none;		/* "expect states P V none": no transition at all */
	char *counter;		/* "client.TCPTimeouts", "packets.dropped.SYN" */
	int64_t value;
	int sig;		/* EXP_EXIT: 0 = exits normally (not killed) */
	int prog;		/* "PROG.K": proc is -1, the template and its instance K; else -1 */
	uint64_t instance;
};

struct plan_proc {
	char *name;
	int host;
	int pid;
	int leader;		/* thread: index of its process; -1 for a process */
	int program;		/* the program it runs (plan->programs), or -1: its timed lines */
	struct k_sigaction sighand[SIM_NSIG];
};

/*
 * Programs (docs/scenario-language.md, "Programs"): each compiles to a flat
 * array of ops, run by an interpreter per instance (run.c).  Nothing here
 * grows with the number of instances.
 */
enum plan_op_kind {
	OP_CALL,	/* issue steps[step] at its time */
	OP_SLEEP,	/* pause for t */
	OP_LOOP_INIT,	/* loop slot: no iteration yet, started now */
	OP_LOOP_TEST,	/* to target when the count or the until time is reached; else one more */
	OP_JUMP,	/* to target */
	OP_BRANCH,	/* to target when the last call's result matches cond == when */
	OP_SPAWN,	/* a new thread runs the next op on; this one goes on at target */
	OP_EXIT,	/* the program (or spawned thread) ends */
	OP_EACH,	/* for: to target after the last event of variable ev; else slot's next one into var */
	OP_SIGACTION,	/* sigaction: signal sig gets disposition sa */
};

enum plan_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct plan_cond {		/* "0", "-1" (any error), "-1 ECONNREFUSED", "ECONNREFUSED" */
	int64_t ret;
	int err;		/* positive errno, 0 for any */
	bool on_var;		/* "VAR OP N": variable slot var compared with ret */
	guint var;
	enum plan_cmp cmp;
};

struct plan_op {
	enum plan_op_kind kind;
	int line;
	guint target;
	guint step;		/* CALL */
	guint slot;		/* LOOP_*, EACH: the loop's counter */
	guint var, ev;		/* EACH: the variable bound to each event's fd; the epoll_wait() variable */
	uint64_t count;		/* LOOP_TEST: 0 = no count */
	bool has_until, until_relative;
	sim_time_t t;		/* SLEEP: the pause; LOOP_TEST: until (from the instance's start, or
				 * from the loop's start if until_relative) */
	struct plan_cond cond;	/* BRANCH */
	bool when;		/* BRANCH: jump if the condition holds (true) or fails (false) */
	int sig;		/* SIGACTION */
	struct k_sigaction sa;
};

struct plan_program {
	char *name;
	int line;
	int host;
	int proc;		/* the process it runs as (plan->procs), or -1 for a template */
	GArray *ops;		/* struct plan_op */
	GPtrArray *vars;	/* char *: a variable slot's name */
	guint nloops;
	uint64_t instances;	/* template: instances its start lines start in all */
};

/* "TIME start PROGRAM [N] [over=T]": instances base .. base+N-1, instance k at TIME + floor(k*T/N). */
struct plan_start {
	int line;
	int prog;
	sim_time_t time, over;
	uint64_t count, base;
};

/* The most limit.instances may be (scenario/limit.c): enough for 10^6-connection workloads. */
#define PLAN_MAX_INSTANCES 10000000u

struct scn_vsock_plan;	/* scenario/vsock.c */
struct scn_wire_plan;	/* scenario/wire_expect.c */
struct scn_pkt_timing;	/* scenario/pkt.h */

struct scn_plan {
	struct scn_limits limits;	/* --set limit.NAME=N (scenario/limit.h) */
	char *path;
	char *title;
	const struct kernel_profile *profile;
	uint64_t seed;
	enum sim_timer_mode timer_mode;
	unsigned int hz;
	uint64_t jiffies_at_zero;
	sim_time_t sample_interval;	/* results: throughput bucket width */
	sim_time_t stop_at;		/* `stop at=T`: the scenario ends there (0 = when idle) */
	GPtrArray *hosts, *links, *routes, *sysctls, *faults, *lsm;
	GPtrArray *procs, *steps, *signals, *expects, *injects;
	GPtrArray *qdiscs;	/* struct plan_qdisc *, file order */
	GPtrArray *programs, *starts;	/* struct plan_program *, struct plan_start * */
	GPtrArray *params;	/* "name=value" strings for results */
	struct scn_vsock_plan *vsock;	/* virtio-vsock devices and faults, or NULL */
	struct scn_wire_plan *wire;	/* `TIME wire ...` expectations, or NULL */
	struct scn_pkt_timing *pkt;	/* a .pkt script: its events' times (scenario/pkt.h), or NULL */
	/* Lookups in O(1) (issue #13): name -> index + 1, address -> index + 1. */
	GHashTable *host_index, *host_addrs, *proc_index;
};

/* Index of the host named @name, or -1. */
int scn_plan_find_host(const struct scn_plan *p, const char *name);

/*
 * Check @script and resolve it into a plan.  @sets are --set KEY=VALUE
 * entries naming sysctls ("net.ipv4.x=3", "host:net.ipv4.x=3"); scenario
 * parameters were already applied by the parser.  Errors are
 * "file:line:col: error: ..." (SCN_ERROR_SEMANTIC) or usage errors.
 */
struct scn_plan *scn_check(const struct scn_script *script, const char *const *sets,
			   GError **error);
void scn_plan_free(struct scn_plan *plan);

/* Is @key of a --set a sysctl (contains '.') rather than a scenario parameter? */
bool scn_set_is_sysctl(const char *key_value);
/* Is it a setting of the whole run, over the file's: profile=NAME or timers=exact|wheel? */
bool scn_set_is_setting(const char *key_value);

#endif
