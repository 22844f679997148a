/* SPDX-License-Identifier: MIT */
/*
 * The scenario runner.  Not kernel code: it plays the part of the user-space
 * processes (issuing syscalls at their times) and of `kill` (signals), and
 * records what the kernel models answered.
 */
#include "run.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "env/fault_kinds.h"
#include "env/fault.h"
#include "env/world.h"
#include "kernel/task.h"
#include "linux/errno_names.h"
#include "net/ipv4.h"
#include "net/socket.h"
#include "run_private.h"
#include "uapi/linux/eventpoll.h"
#include "sim/timer.h"
#include "vsock.h"
#include "wire_expect.h"

static void proc_schedule_next(struct proc_rt *p);
static void prog_run(struct proc_rt *p);
static void proc_ended(struct proc_rt *p);
static void prog_spawn(struct proc_rt *parent, guint pc, int line);
void scn_run_schedule_injects(struct scn_run *r);

static struct sock_rec *sock_rec_get(struct scn_run *r, const struct sock *sk)
{
	g_assert(sk->id >= 1 && sk->id <= r->socks->len);
	return r->socks->pdata[sk->id - 1];
}

/* A zeroed record of @rec_size from @b: blocks of 8, 16, ... up to @cap records (run_private.h). */
static void *block_carve(struct rec_blocks *b, guint cap, gsize rec_size)
{
	if (b->blocks->len == 0 || b->used == b->size) {
		b->size = b->blocks->len == 0 ? MIN(8u, cap) : MIN(b->size * 2, cap);
		g_ptr_array_add(b->blocks, g_malloc0_n(b->size, rec_size));
		b->used = 0;
	}
	return (char *)b->blocks->pdata[b->blocks->len - 1] + (gsize)b->used++ * rec_size;
}

static void obs_sock_new(void *opaque, struct sock *sk)
{
	struct scn_run *r = opaque;
	/* records carved from blocks: no malloc per socket, and one free per
	 * block at the end of the run */
	struct sock_rec *s = block_carve(&r->sock_blocks, SOCK_REC_BLOCK, sizeof(*s));

	s->id = sk->id;
	s->host = host_of(sock_net(sk));
	s->fd = -1;
	s->proc = -1;
	/* room for a whole connection's states (CLOSE ... TIME_WAIT, CLOSE):
	 * no reallocation per transition */
	s->transitions = g_array_sized_new(FALSE, FALSE, sizeof(struct sock_transition), 8);
	g_ptr_array_add(r->socks, s);
}

static void obs_sock_state(void *opaque, struct sock *sk)
{
	struct scn_run *r = opaque;
	struct sock_rec *s = sock_rec_get(r, sk);
	struct sock_transition tr = {
		.t = sim_now(r->sim),
		.sk_state = sk->sk_state,
		.sock_state = sk->sk_socket ? (int)sk->sk_socket->state : -1,
	};

	if (s->transitions->len) {
		const struct sock_transition *last =
			&g_array_index(s->transitions, struct sock_transition, s->transitions->len - 1);

		if (last->sk_state == tr.sk_state && last->sock_state == tr.sock_state)
			return;
	}
	g_array_append_val(s->transitions, tr);
	if (sk->sk_family == AF_VSOCK) {
		scn_vsock_sock_addrs(s, sk);
		return;
	}
	if (sk->inet_num)
		s->lport = sk->inet_num, s->laddr = sk->inet_saddr;
	if (sk->inet_dport)
		s->rport = sk->inet_dport, s->raddr = sk->inet_daddr;
}

/*
 * Whether anything reads the socket records (struct sock_rec: process, fd,
 * transitions, addresses): the results document, and the `expect
 * states`/`expect sock-states` lines.  Without either, no record is kept
 * (a socket's id is all the runner's variables and call records need).
 */
static bool sock_states_needed(const struct scn_run *r)
{
	if (!r->opts.no_results)
		return true;
	for (guint i = 0; i < r->plan->expects->len; i++) {
		const struct plan_expect *e = r->plan->expects->pdata[i];

		if (e->kind == EXP_STATES || e->kind == EXP_SOCK_STATES)
			return true;
	}
	return false;
}

/* What the runner does after a call of @call (enum call_kind), found once per plan step. */
static uint8_t call_kind(const char *call)
{
	if (strcmp(call, "socket") == 0 || strcmp(call, "open") == 0 ||
	    strncmp(call, "epoll_create", 12) == 0)
		return CALL_NEW_FD;
	if (strcmp(call, "accept") == 0 || strcmp(call, "accept4") == 0)
		return CALL_ACCEPT;
	if (strcmp(call, "recv") == 0)
		return CALL_RECV;
	if (strcmp(call, "epoll_wait") == 0)
		return CALL_EPOLL_WAIT;
	return 0;
}

/* How build_args() reads @call's arguments (enum args_kind), found once per plan step. */
static uint8_t args_kind(const char *call)
{
	static const struct { const char *call; uint8_t kind; } kinds[] = {
		{ "connect", ARGS_ADDR }, { "bind", ARGS_ADDR }, { "sendto", ARGS_SENDTO },
		{ "sendmsg", ARGS_MSG }, { "recvmsg", ARGS_MSG }, { "send", ARGS_LEN },
		{ "write", ARGS_LEN }, { "read", ARGS_LEN }, { "poll", ARGS_POLL },
		{ "epoll_wait", ARGS_EPOLL_WAIT }, { "setsockopt", ARGS_SETSOCKOPT },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
		if (strcmp(call, kinds[i].call) == 0)
			return kinds[i].kind;
	return ARGS_PLAIN;
}

static void trace_proc(struct proc_rt *p, const char *event, const char *detail)
{
	char obj[32];

	if (!sim_trace_sink(p->run->sim))
		return;
	g_snprintf(obj, sizeof(obj), "pid %d", p->task->pid);
	sim_trace(p->run->sim, p->task->net->name, obj, event, NULL, "comm=%s %s",
		  p->task->comm, detail);
}

/* The record of @name in @p's variables, made if @create. */
static struct var_latest *var_latest(const struct proc_rt *p, const char *name, bool create)
{
	struct var_latest *v = g_hash_table_lookup(p->var_names, name);

	if (!v && create) {
		v = g_new(struct var_latest, 1);
		v->plain = v->epoll = -1;
		v->epoll_count = 0;
		g_hash_table_insert(p->var_names, (gpointer)name, v);
	}
	return v;
}

/*
 * The descriptor @var names: the most recent of its last binding NAME = call()
 * and, for NAME.N, of the N-th event of NAME's last epoll_wait() (-1 if that
 * call returned fewer).  What a walk from the newest binding back would find,
 * found through the names' table.
 */
static int var_fd(const struct proc_rt *p, const char *var)
{
	const char *dot = strrchr(var, '.');
	int index = dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1) ?
		atoi(dot + 1) : -1;
	const struct var_latest *v = var_latest(p, var, false);
	int plain = v ? v->plain : -1;

	if (index >= 0) {
		g_autofree char *base = g_strndup(var, (gsize)(dot - var));
		const struct var_latest *e = var_latest(p, base, false);

		if (e && e->epoll >= 0) {
			int at = index < e->epoll_count ? e->epoll + index : e->epoll;

			if (at > plain)
				return index < e->epoll_count ?
					g_array_index(p->vars, struct var_binding, at).fd : -1;
		}
	}
	return plain >= 0 ? g_array_index(p->vars, struct var_binding, plain).fd : -1;
}

static int64_t arg_int(const struct proc_rt *p, const struct plan_arg *a)
{
	switch (a->kind) {
	case ARG_VAR:
		return p->prog ? p->pvars[a->slot].val : var_fd(p, a->var);
	case ARG_TIME:
		return (int64_t)a->t;
	default:
		return a->i + a->idx * (int64_t)p->instance;
	}
}

/* An address argument; in a program its port may add the instance index ("10.0.0.2:8000+$i"). */
static struct sockaddr_sim arg_addr(const struct proc_rt *p, const struct plan_arg *a)
{
	struct sockaddr_sim addr = a->addr;

	if (a->idx)	/* the checker kept every instance's port in 0..65535 */
		addr.port = (uint16_t)(a->i + a->idx * (int64_t)p->instance);
	return addr;
}

/* Turn a plan step into the syscall's arguments. */
static void build_args(struct proc_rt *p, const struct plan_step *st,
		       const struct syscall_desc *desc, uint8_t kind, struct sys_args *a)
{
	/* the first argument's shape: 'f' a descriptor, 'i' integers (socket, epoll_create1) */
	char first = st->nargs > 0 ? desc->shape[0] : 0;

	memset(a, 0, sizeof(*a));
	a->call = st->call;
	a->desc = desc;
	a->timeout = SIM_TIME_MAX;

	if (first == 'f')
		a->fd = (int)arg_int(p, &st->args[0]);
	if (first == 'i') {
		/* no descriptor: socket(), epoll_create*() take their integers in a[] */
		for (int i = 0; i < st->nargs && i < 4; i++)
			a->a[i] = arg_int(p, &st->args[i]);
	} else if (kind == ARGS_ADDR) {
		a->addr = arg_addr(p, &st->args[1]);
		a->has_addr = true;
		if (st->nargs > 2)
			a->addr.addrlen = (int)arg_int(p, &st->args[2]);
	} else if (kind == ARGS_SENDTO) {
		int64_t len = arg_int(p, &st->args[1]);	/* FAULT is -1: an unreadable buffer */

		a->a[0] = len < 0 ? 0 : len;
		a->a[2] = len < 0;
		a->a[1] = arg_int(p, &st->args[2]);
		a->addr = arg_addr(p, &st->args[3]);
		a->has_addr = true;
		if (st->nargs > 4)
			a->addr.addrlen = (int)arg_int(p, &st->args[4]);
	} else if (kind == ARGS_MSG) {
		a->a[0] = st->args[1].i;		/* the iovec's total */
		a->a[3] = st->args[1].nsegs;
		if (st->nargs > 2)
			a->a[1] = arg_int(p, &st->args[2]);
	} else if (kind == ARGS_LEN) {
		int64_t len = arg_int(p, &st->args[1]);

		a->a[0] = len < 0 ? 0 : len;
		a->a[2] = len < 0;	/* FAULT */
		if (st->nargs > 2)
			a->a[1] = arg_int(p, &st->args[2]);
	} else if (kind == ARGS_POLL) {
		if (!p->pollfds)	/* only processes that poll pay for the array */
			p->pollfds = g_array_new(FALSE, FALSE, sizeof(struct pollfd_sim));
		g_array_set_size(p->pollfds, 0);
		for (guint i = 0; i + 1 < st->poll_fds->len; i += 2) {
			struct pollfd_sim pfd = {
				.fd = (int)arg_int(p, &g_array_index(st->poll_fds, struct plan_arg, i)),
				.events = (short)arg_int(p, &g_array_index(st->poll_fds, struct plan_arg, i + 1)),
			};

			g_array_append_val(p->pollfds, pfd);
		}
		a->ufds = (const struct pollfd_sim *)(const void *)p->pollfds->data;
		a->nfds = p->pollfds->len;
		a->a[0] = arg_int(p, &st->args[1]);
		a->timeout = st->args[2].t;
	} else if (kind == ARGS_EPOLL_WAIT) {
		a->a[0] = arg_int(p, &st->args[1]);
		a->timeout = st->args[2].t;
	} else if (kind == ARGS_SETSOCKOPT) {
		a->a[0] = arg_int(p, &st->args[1]);
		a->a[1] = arg_int(p, &st->args[2]);
		a->a[2] = arg_int(p, &st->args[3]);
		if (st->args[3].kind == ARG_STR)
			a->str = st->args[3].var;
		/* TCP_USER_TIMEOUT is in ms; a time value is converted */
		if (st->args[3].kind == ARG_TIME && a->a[1] == TCP_USER_TIMEOUT_OPT)
			a->a[2] = (int64_t)(st->args[3].t / 1000000u);
	} else {
		for (int i = 1; i < st->nargs && i < 5; i++)
			a->a[i - 1] = arg_int(p, &st->args[i]);
	}
}

static struct sys_rec *rec_at(struct scn_run *r, int slot)
{
	return &g_array_index(r->syscalls, struct sys_rec, slot);
}

/* @rec joins the run's records (a dropped one's slot if any); its index. */
static int rec_add(struct scn_run *r, struct sys_rec *rec)
{
	struct step_recs *k = &r->step_recs[rec->step];
	int slot;

	rec->seq = r->issued++;
	if (r->n_free_recs) {
		slot = r->free_recs[--r->n_free_recs];
		*rec_at(r, slot) = *rec;
	} else {
		slot = (int)r->syscalls->len;
		g_array_append_val(r->syscalls, *rec);
	}
	if (k->first < 0)
		k->first = slot;
	k->calls++;
	return slot;
}

/* Without --results, a record the expectations do not show is dropped (its slot reused). */
static void rec_drop(struct scn_run *r, int slot)
{
	struct sys_rec *rec = rec_at(r, slot);
	const struct step_recs *k = &r->step_recs[rec->step];

	if (!r->opts.no_results || slot == k->first || slot == k->first_failed)
		return;
	g_free(rec->tcp_info);
	if (rec->events)
		g_array_free(rec->events, TRUE);
	g_free(rec->exp_fds);
	*rec = (struct sys_rec){ 0 };
	if (r->n_free_recs == r->free_recs_cap) {
		r->free_recs_cap = MAX(2 * r->free_recs_cap, 64);
		r->free_recs = g_renew(int, r->free_recs, r->free_recs_cap);
	}
	r->free_recs[r->n_free_recs++] = slot;
}

/*
 * The call of @slot returned or was killed: a program line with an expected
 * result counts it (struct step_recs) as scn_run_evaluate() reports it.
 */
static void rec_done(struct scn_run *r, int slot)
{
	const struct sys_rec *rec = rec_at(r, slot);
	const struct plan_step *st = r->plan->steps->pdata[rec->step];
	struct step_recs *k = &r->step_recs[rec->step];

	if (st->prog >= 0 && st->exp_ret && !scn_rec_matches(r, rec)) {
		int old = k->first_failed;

		k->failed++;
		if (old < 0 || rec->seq < rec_at(r, old)->seq) {
			k->first_failed = slot;
			if (old >= 0)
				rec_drop(r, old);
			return;
		}
	}
	rec_drop(r, slot);
}

static void step_event(struct sim *sim, struct sim_event *ev)
{
	struct proc_rt *p = container_of(ev, struct proc_rt, step_ev);
	guint idx = p->prog ? p->cur_step : GPOINTER_TO_UINT(p->steps->pdata[p->next]) - 1;
	const struct plan_step *st = p->run->plan->steps->pdata[idx];
	struct sys_args args;
	struct sys_rec rec = { 0 };
	g_autofree char *detail = NULL;

	if (p->task->dead)
		return;	/* drv_killed() cancels this event; a dead task issues nothing */
	build_args(p, st, p->run->step_sys[idx], p->run->step_args[idx], &args);
	rec.step = (int)idx;
	rec.proc = p->index;
	rec.fd = p->run->step_call[idx] & CALL_NEW_FD ? -1 : args.fd;
	rec.t_call = sim_now(sim);
	rec.outcome = REC_PENDING;
	if (p->run->pkt)
		scn_pkt_rt_issued(p->run->pkt, &rec);
	p->rep_last_issue = rec.t_call;
	p->cur_rec = rec_add(p->run, &rec);
	if (sim_trace_sink(sim)) {	/* no text without a trace */
		detail = g_strdup_printf("call=%s line=%d args=%s", st->call, st->line, st->desc);
		trace_proc(p, "sys_enter", detail);
	}
	task_syscall(p->task, &args);
}

/*
 * Does a "repeat=" line go on?  Not after its count, not past until=, not
 * once a recv() sees the end of the stream (0) or any call fails.
 */
static bool step_repeats(const struct proc_rt *p, guint idx, const struct plan_step *st, long ret)
{
	sim_time_t next;

	if (st->repeat == 1 || p->rep_done + 1 >= st->repeat)
		return false;
	if (ret < 0 || (ret == 0 && p->run->step_call[idx] & CALL_RECV))
		return false;
	next = MAX(sim_now(p->run->sim), p->rep_last_issue + st->every);
	return !st->until || next <= st->until;
}

static void drv_syscall_return(struct task *t, long ret, void *opaque)
{
	struct proc_rt *p = opaque;
	struct scn_run *r = p->run;
	struct sys_rec *rec = &g_array_index(r->syscalls, struct sys_rec, p->cur_rec);
	const guint idx = (guint)rec->step;
	const struct plan_step *st = r->plan->steps->pdata[idx];
	g_autofree char *detail = NULL;

	rec->t_return = sim_now(r->sim);
	rec->ret = ret;
	rec->restarts = t->restarts;
	rec->outcome = REC_RETURNED;
	rec->has_out = t->out_valid;
	rec->out = t->out_val;
	rec->has_addr = t->out_addr_valid;
	rec->addr = t->out_addr;
	if (t->has_tcp_info)
		rec->tcp_info = g_memdup2(t->tcp_info, sizeof(*t->tcp_info));
	if (ret >= 0 && r->step_call[idx] & (CALL_NEW_FD | CALL_ACCEPT)) {
		struct file *f = task_fget(t, (int)ret);

		rec->fd = (int)ret;
		if (f && f->kind == FILE_SOCKET && f->sock->sk) {
			rec->sock_id = (int)f->sock->sk->id;
			if (r->sub.sock_new) {	/* records kept (sock_states_needed()) */
				struct sock_rec *s = sock_rec_get(r, f->sock->sk);

				s->proc = p->index;
				s->fd = (int)ret;
			}
			if (r->sub.sock_state)
				obs_sock_state(r, f->sock->sk);
		}
	}
	if (st->exp_events && r->step_call[idx] & CALL_EPOLL_WAIT) {
		rec->exp_fds = g_new0(int, st->exp_events->len);
		for (guint i = 0; i < st->exp_events->len; i++)
			rec->exp_fds[i] = (int)arg_int(p, &g_array_index(st->exp_events,
								   struct plan_event_check, i).fd);
	}
	if (task_uevents_len(t))
		rec->events = g_array_copy(t->uevents);
	if (st->assign_slot >= 0 && r->step_call[idx] & CALL_EPOLL_WAIT) {	/* for FD in EV */
		GArray **evs = &p->events[st->assign_slot];

		if (*evs)
			g_array_free(*evs, TRUE);
		*evs = g_array_copy(task_uevents(t));
		if (ret < 0)
			g_array_set_size(*evs, 0);
	}
	if (st->assign_slot >= 0) {
		struct prog_var *v = &p->pvars[st->assign_slot];

		v->val = ret < 0 ? -1 : ret;
		v->sock_id = rec->sock_id;
		if (!v->first_sock)
			v->first_sock = rec->sock_id;
	} else if (st->assign && ret >= 0 && r->step_call[idx] & CALL_EPOLL_WAIT) {
		/* NAME.0, NAME.1, ...: the fds of the events (their data); the last call's only */
		struct var_latest *v = var_latest(p, st->assign, true);

		v->epoll = (int)p->vars->len;
		v->epoll_count = (int)task_uevents_len(t);
		for (guint i = 0; i < task_uevents_len(t); i++) {
			struct var_binding b = {
				.name = st->assign, .index = (int)i,
				.fd = (int)g_array_index(t->uevents, struct epoll_event, i).data,
			};

			g_array_append_val(p->vars, b);
		}
		if (!task_uevents_len(t)) {
			struct var_binding b = { .name = st->assign, .index = INT_MAX, .fd = -1 };

			g_array_append_val(p->vars, b);
		}
	} else if (st->assign && ret >= 0) {
		struct var_binding b = { .name = st->assign, .fd = (int)ret, .sock_id = rec->sock_id, .index = -1 };

		var_latest(p, st->assign, true)->plain = (int)p->vars->len;
		g_array_append_val(p->vars, b);
	}
	if (!sim_trace_sink(r->sim))
		;	/* no text without a trace */
	else if (ret < 0)
		detail = g_strdup_printf("call=%s ret=-1 errno=%s restarts=%u", st->call,
					 sim_errno_name((int)-ret), t->restarts);
	else if (rec->has_out)
		detail = g_strdup_printf("call=%s ret=%ld out=%" G_GINT64_FORMAT " restarts=%u",
					 st->call, ret, rec->out, t->restarts);
	else if (rec->events) {
		GString *ev = g_string_new(NULL);

		for (guint i = 0; i < rec->events->len; i++) {
			const struct epoll_event *e = &g_array_index(rec->events, struct epoll_event, i);

			g_string_append_printf(ev, "%s%" G_GINT64_FORMAT ":0x%x", i ? "," : "",
					       (int64_t)e->data, e->events);
		}
		detail = g_strdup_printf("call=%s ret=%ld events=%s restarts=%u", st->call, ret,
					 ev->str, t->restarts);
		g_string_free(ev, TRUE);
	}
	else
		detail = g_strdup_printf("call=%s ret=%ld restarts=%u", st->call, ret, t->restarts);
	if (detail)
		trace_proc(p, "sys_exit", detail);
	p->last_return = rec->t_return;
	rec_done(r, p->cur_rec);	/* @rec may be gone */
	p->cur_rec = -1;
	if (p->prog) {
		p->last_ret = ret;
		p->pc++;
		prog_run(p);
		return;
	}
	if (step_repeats(p, idx, st, ret)) {
		sim_time_t at = MAX(sim_now(r->sim), p->rep_last_issue + st->every);

		p->rep_done++;
		sim_event_schedule(r->sim, &p->step_ev, at);
		return;
	}
	p->rep_done = 0;
	p->next++;
	proc_schedule_next(p);
}

static void drv_killed(struct task *t, int sig, void *opaque)
{
	struct proc_rt *p = opaque;

	p->killed_by = sig;
	p->killed_at = sim_now(p->run->sim);
	/* Its next line (already scheduled) is never issued: it is reported as
	 * skipped by scn_run_evaluate().  A thread group dies as a whole. */
	sim_event_cancel(p->run->sim, &p->step_ev);
	sim_event_cancel(p->run->sim, &p->prog_ev);
	if (p->cur_rec >= 0) {
		struct sys_rec *rec = &g_array_index(p->run->syscalls, struct sys_rec, p->cur_rec);

		rec->outcome = REC_KILLED;
		rec->t_return = sim_now(p->run->sim);
		rec->ret = sig;	/* expect.c reads it there: the record may outlive @p */
		rec_done(p->run, p->cur_rec);
		p->cur_rec = -1;
	}
	proc_ended(p);
}

static void proc_schedule_next(struct proc_rt *p)
{
	const struct plan_step *st;
	sim_time_t now = sim_now(p->run->sim), at;

	if (p->run->pkt) {	/* a .pkt script: its timing issues the next call */
		scn_pkt_rt_returned(p->run->pkt);
		return;
	}
	if (p->task->dead || p->next >= p->steps->len)
		return;
	st = p->run->plan->steps->pdata[GPOINTER_TO_UINT(p->steps->pdata[p->next]) - 1];
	at = st->relative ? sim_time_add(p->last_return, st->time) : st->time;
	if (at < now)
		at = now;
	sim_event_schedule(p->run->sim, &p->step_ev, at);
}

/* ---- programs (docs/scenario-language.md, "Programs") ---- */

/* Ops one slice of a program runs without waiting, before it yields to the event queue. */
#define PROG_OPS_PER_SLICE 10000u

/* Does @ret (what a call returned) satisfy @c: "0", "-1" (any error), "-1 ECONNREFUSED"?  Or "n > 0" @p's n? */
static bool cond_holds(const struct proc_rt *p, const struct plan_cond *c, long ret)
{
	if (c->on_var) {
		int64_t v = p->pvars[c->var].val;

		switch (c->cmp) {
		case CMP_EQ: return v == c->ret;
		case CMP_NE: return v != c->ret;
		case CMP_LT: return v < c->ret;
		case CMP_LE: return v <= c->ret;
		case CMP_GT: return v > c->ret;
		case CMP_GE: return v >= c->ret;
		}
	}
	if (c->err)
		return ret == -(long)c->err;
	if (c->ret == -1)
		return ret < 0;
	return ret == c->ret;
}

/* Run @p's ops from its pc until it waits (a call, a sleep) or ends. */
static void prog_run(struct proc_rt *p)
{
	struct scn_run *r = p->run;
	const GArray *ops = p->prog->ops;
	sim_time_t now = sim_now(r->sim);

	for (guint n = 0; !p->task->dead && p->pc < ops->len; n++) {
		const struct plan_op *op = &g_array_index(ops, struct plan_op, p->pc);

		if (n == PROG_OPS_PER_SLICE) {	/* a loop that only branches: --max-events stops it */
			sim_event_schedule(r->sim, &p->prog_ev, now);
			return;
		}
		switch (op->kind) {
		case OP_CALL: {
			const struct plan_step *st = r->plan->steps->pdata[op->step];
			sim_time_t at = sim_time_add(st->relative ? p->last_return : p->t0, st->time);

			p->cur_step = op->step;
			sim_event_schedule(r->sim, &p->step_ev, MAX(at, now));
			return;
		}
		case OP_SLEEP:
			p->pc++;
			sim_event_schedule(r->sim, &p->prog_ev, sim_time_add(now, op->t));
			return;
		case OP_LOOP_INIT:
			p->loop_count[op->slot] = 0;
			p->loop_t0[op->slot] = now;
			p->pc++;
			break;
		case OP_LOOP_TEST: {
			sim_time_t until = sim_time_add(op->until_relative ? p->loop_t0[op->slot] : p->t0, op->t);

			if ((op->count && p->loop_count[op->slot] >= op->count) || (op->has_until && now >= until)) {
				p->pc = op->target;
			} else {
				p->loop_count[op->slot]++;
				p->pc++;
			}
			break;
		}
		case OP_JUMP:
			p->pc = op->target;
			break;
		case OP_BRANCH:
			p->pc = cond_holds(p, &op->cond, p->last_ret) == op->when ? op->target : p->pc + 1;
			break;
		case OP_SPAWN:
			prog_spawn(p, p->pc + 1, op->line);
			p->pc = op->target;
			break;
		case OP_EXIT:
			p->pc = ops->len;
			break;
		case OP_SIGACTION:	/* the process's disposition; threads spawned later copy it */
			task_sighand_write(p->task)[op->sig] = op->sa;
			task_sighand_write(p->task->group_leader)[op->sig] = op->sa;
			p->pc++;
			break;
		case OP_EACH: {
			const GArray *evs = p->events[op->ev];
			uint64_t k = p->loop_count[op->slot];

			if (!evs || k >= evs->len) {
				p->pc = op->target;
				break;
			}
			p->pvars[op->var].val = (int64_t)g_array_index(evs, struct epoll_event, k).data;
			p->loop_count[op->slot]++;
			p->pc++;
			break;
		}
		}
	}
	if (!p->task->dead)	/* the last op ran (a dead task's end is drv_killed()'s) */
		proc_ended(p);
}

/* The start of an instance or spawned thread, the end of a sleep: `+T` counts from here. */
static void prog_resume(struct sim *sim, struct sim_event *ev)
{
	struct proc_rt *p = container_of(ev, struct proc_rt, prog_ev);

	p->last_return = sim_now(sim);
	prog_run(p);
}

static const struct task_driver proc_driver = {
	.syscall_return = drv_syscall_return, .killed = drv_killed,
	/* what drv_syscall_return() and the next step read of the record first */
	.opaque_hot = offsetof(struct proc_rt, cur_rec) + sizeof(((struct proc_rt *)0)->cur_rec),
};

/*
 * A new runner record for @task on host @host (its driver installed); it
 * joins r->procs.  Records are carved from blocks (block_carve), like
 * struct sock_rec, and a released one is reused first.
 */
static struct proc_rt *proc_add(struct scn_run *r, struct task *task, guint host)
{
	struct proc_ident id = {
		.comm = g_string_chunk_insert(r->comms, task->comm), .pid = task->pid, .host = host,
	};
	struct proc_rt *p = r->free_procs;

	if (p) {
		r->free_procs = p->next_thread;
		memset(p, 0, sizeof(*p));
	} else {
		p = block_carve(&r->proc_blocks, PROC_RT_BLOCK, sizeof(*p));
	}
	p->run = r;
	p->index = (int)r->procs->len;
	p->task = task;
	p->cur_rec = -1;
	p->group = p;
	p->task->driver = proc_driver;
	p->task->driver.opaque = p;
	sim_event_init(&p->step_ev, step_event, "scenario_step");
	sim_event_init(&p->prog_ev, prog_resume, "scenario_program");
	id.rt = p;
	g_array_append_val(r->procs, id);
	return p;
}

/* The memory of @p's record (not the record: it goes to the free list, or with its block). */
static void proc_free_memory(struct proc_rt *p)
{
	if (p->steps)
		g_ptr_array_free(p->steps, TRUE);
	if (p->owns_vars) {
		g_array_free(p->vars, TRUE);
		g_hash_table_destroy(p->var_names);
	}
	if (p->pollfds)
		g_array_free(p->pollfds, TRUE);
	for (guint k = 0; p->events && k < p->prog->vars->len; k++)
		if (p->events[k])
			g_array_free(p->events[k], TRUE);
	if (p->pvars != (struct prog_var *)(void *)p->vars_inline)
		g_free(p->pvars);	/* and events, loop_count, loop_t0 (prog_attach()) */
}

/* Can @p and its task go: nothing in flight, scheduled or held? */
static bool proc_releasable(const struct proc_rt *p)
{
	return p->ended && p->cur_rec < 0 && !sim_event_pending(&p->step_ev) &&
	       !sim_event_pending(&p->prog_ev) && task_releasable(p->task);
}

/* @p's record and task go; its proc_ident stays. */
static void proc_release(struct scn_run *r, struct proc_rt *p)
{
	g_array_index(r->procs, struct proc_ident, (guint)p->index).rt = NULL;
	task_release(p->task);
	proc_free_memory(p);
	p->next_thread = r->free_procs;
	r->free_procs = p;
}

/*
 * After the event in which a process's program and those of all its
 * threads ended (or it was killed): release them, unless something still
 * holds one (descriptors left open, a frame a killed call kept), in which
 * case they stay until the end of the run.  Nothing can reach them any more:
 * signals come from `signal` lines, which name declared processes, or from
 * a call of a thread of the process (SIGPIPE), and none is left.
 */
static void proc_release_group(struct sim_rcu_head *head)
{
	struct proc_rt *g = container_of(head, struct proc_rt, rcu);
	struct scn_run *r = g->run;
	struct proc_rt *next;

	g->releasing = false;
	if (g->thread_held || !proc_releasable(g) || task_has_open_files(g->task))
		return;
	for (struct proc_rt *t = g->next_thread; t; t = t->next_thread)
		if (!proc_releasable(t))
			return;
	for (struct proc_rt *t = g->next_thread; t; t = next) {
		next = t->next_thread;
		proc_release(r, t);
	}
	proc_release(r, g);
}

/*
 * A spawned thread whose program ended, after that event: released on its
 * own (without a trace; with one it waits for its process, prog_spawn()).
 */
static void proc_release_thread(struct sim_rcu_head *head)
{
	struct proc_rt *p = container_of(head, struct proc_rt, rcu);

	p->releasing = false;
	if (proc_releasable(p))
		proc_release(p->run, p);
	else
		p->group->thread_held = true;	/* its task points to the process's */
}

/* @p's program ended, or it was killed: it will never issue a call again. */
static void proc_ended(struct proc_rt *p)
{
	struct proc_rt *g = p->group;

	if (p->ended)
		return;
	p->ended = true;
	if (p != g && p->prog && !p->listed && !p->releasing) {
		p->releasing = true;
		sim_call_rcu(p->run->sim, &p->rcu, proc_release_thread);
	}
	if (g->keep)
		return;
	if (p != g)
		g->live_threads--;
	if (g->ended && !g->live_threads && !g->releasing) {
		g->releasing = true;
		sim_call_rcu(p->run->sim, &g->rcu, proc_release_group);
	}
}

/* @p runs @prog from its first op; @vars (or none) are its variables so far. */
static void prog_attach(struct proc_rt *p, const struct plan_program *prog, uint64_t instance,
			const struct prog_var *vars)
{
	guint nv = MAX(prog->vars->len, 1), nl = MAX(prog->nloops, 1);
	/* pvars, events, loop_count, loop_t0 in one block (freed as pvars) */
	size_t size = nv * sizeof(struct prog_var) + nv * sizeof(GArray *) +
		      nl * sizeof(uint64_t) + nl * sizeof(sim_time_t);
	char *block = size <= sizeof(p->vars_inline) ? memset(p->vars_inline, 0, size) :
						       g_malloc0(size);

	G_STATIC_ASSERT(sizeof(struct prog_var) % sizeof(void *) == 0);
	p->prog = prog;
	p->instance = instance;
	p->t0 = sim_now(p->run->sim);
	p->pvars = (struct prog_var *)(void *)block;
	for (guint i = 0; i < prog->vars->len; i++)
		p->pvars[i] = vars ? vars[i] : (struct prog_var){ .val = -1 };
	p->events = (GArray **)(void *)(block + nv * sizeof(struct prog_var));
	p->loop_count = (uint64_t *)(void *)(p->events + nv);
	p->loop_t0 = (sim_time_t *)(void *)(p->loop_count + nl);
}

static void trace_prog(struct proc_rt *p, const char *event, int line)
{
	char detail[64];

	if (!sim_trace_sink(p->run->sim))
		return;	/* no text without a trace */
	g_snprintf(detail, sizeof(detail), "line=%d instance=%" G_GUINT64_FORMAT, line, p->instance);
	trace_proc(p, event, detail);
}

/*
 * "BASE" @sep "N" in @buf (or in *@spill, g_malloc'd, when it does not fit),
 * as "%s%c%" G_GUINT64_FORMAT would print it: a name per instance or thread
 * without printf's cost.
 */
static const char *num_name(char *buf, size_t size, const char *base, char sep, uint64_t n,
			    char **spill)
{
	size_t len = strlen(base), d = 0;
	char digits[20];

	do {
		digits[d++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (len + 1 + d + 1 > size)
		buf = *spill = g_malloc(len + 1 + d + 1);
	memcpy(buf, base, len);
	buf[len++] = sep;
	while (d)
		buf[len++] = digits[--d];
	buf[len] = '\0';
	return buf;
}

/* "spawn ... end": a thread of @parent's process runs the block from @pc, with a copy of its variables. */
static void prog_spawn(struct proc_rt *parent, guint pc, int line)
{
	struct scn_run *r = parent->run;
	struct task *leader = parent->task->group_leader;
	g_autofree char *spill = NULL;
	char buf[64];
	const char *name;
	struct proc_rt *p;

	if (r->threads >= r->plan->limits.v[SCN_LIMIT_THREADS]) {	/* the run stops after this event */
		if (!r->limit_text)
			r->limit_text = scn_limit_exceeded(&r->plan->limits, SCN_LIMIT_THREADS,
							   "the number of threads spawned");
		sim_stop(r->sim);
		return;
	}
	r->threads++;
	name = num_name(buf, sizeof(buf), leader->comm, '/', ++parent->group->spawned, &spill);
	p = proc_add(r, task_new_thread(leader, name, r->next_pid++),
		     proc_ident_at(r, parent->group->index)->host);

	p->group = parent->group;
	p->group->live_threads++;
	/*
	 * Once its program ends, a thread stays (as if stopped) until its
	 * process goes: if the process is killed later, its death is traced
	 * (task_kill: signal_generate_fatal for every thread).  That line is
	 * all it would still do, so without a trace it is released at once
	 * (proc_ended); with one it waits on its process's list.
	 */
	if (sim_trace_sink(r->sim)) {
		p->listed = true;
		p->next_thread = p->group->next_thread;
		p->group->next_thread = p;
	}
	task_sighand_copy(p->task, parent->task);
	prog_attach(p, parent->prog, parent->instance, parent->pvars);
	p->t0 = parent->t0;
	p->pc = pc;
	trace_prog(p, "spawn", line);
	sim_event_schedule(r->sim, &p->prog_ev, sim_now(r->sim));
}

/* A start line's feeder: it starts instance `next` of its count, then waits for the one after. */
struct start_rt {
	struct scn_run *run;
	const struct plan_start *start;
	uint64_t next;
	struct sim_event ev;
};

/* Instance k of a start line of N over T starts floor(k * T / N) after its time, in integers. */
static sim_time_t start_offset(const struct plan_start *s, uint64_t k)
{
	uint64_t q = s->over / s->count, rem = s->over % s->count;

	return k * q + k * rem / s->count;	/* k, rem < count <= PLAN_MAX_INSTANCES: no overflow */
}

static void start_event(struct sim *sim, struct sim_event *ev)
{
	struct start_rt *sr = container_of(ev, struct start_rt, ev);
	struct scn_run *r = sr->run;
	const struct plan_start *s = sr->start;
	const struct plan_program *prog = r->plan->programs->pdata[s->prog];
	uint64_t instance = s->base + sr->next;
	struct host *h = r->world->hosts->pdata[prog->host];
	g_autofree char *spill = NULL;
	char buf[64];
	const char *name = num_name(buf, sizeof(buf), prog->name, '.', instance, &spill);
	struct proc_rt *p = proc_add(r, task_new(&h->net, name, r->next_pid++), (guint)prog->host);
	gint64 key = scn_named_key(s->prog, instance);

	gpointer started;

	/* an expect line reads it at the end: its record stays (the first start of it) */
	if (r->named && g_hash_table_lookup_extended(r->named, &key, NULL, &started) && !started) {
		p->keep = true;
		g_hash_table_replace(r->named, g_memdup2(&key, sizeof(key)), GINT_TO_POINTER(p->index + 1));
	}
	prog_attach(p, prog, instance, NULL);
	p->last_return = sim_now(sim);
	trace_prog(p, "program_start", s->line);
	if (++sr->next < s->count)
		sim_event_schedule(sim, &sr->ev, sim_time_add(s->time, start_offset(s, sr->next)));
	prog_run(p);
}

static void schedule_starts(struct scn_run *r)
{
	r->starts = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < r->plan->starts->len; i++) {
		struct start_rt *sr = g_new0(struct start_rt, 1);

		sr->run = r;
		sr->start = r->plan->starts->pdata[i];
		sim_event_init(&sr->ev, start_event, "scenario_start");
		sim_event_schedule(r->sim, &sr->ev, sr->start->time);
		g_ptr_array_add(r->starts, sr);
	}
}

struct signal_ev {
	struct scn_run *run;
	const struct plan_signal *sig;
};

static void signal_event(struct sim *sim, void *data)
{
	struct signal_ev *se = data;
	struct proc_rt *p = proc_at(se->run, se->sig->proc);

	task_send_signal(p->task, se->sig->sig);
	g_free(se);
}

/* `TIME qdisc HOST ...`: the host's root qdisc changes (tc qdisc ... dev DEV root). */
void scn_run_qdisc(struct scn_run *r, const struct plan_qdisc *pq)
{
	world_set_qdisc(r->world->hosts->pdata[pq->host], &pq->q);
}

struct qdisc_ev {
	struct scn_run *run;
	const struct plan_qdisc *pq;
};

static void qdisc_event(struct sim *sim, void *data)
{
	struct qdisc_ev *qe = data;

	scn_run_qdisc(qe->run, qe->pq);
	g_free(qe);
}

/* `stop at=T`: the scenario's own end, like the end of a packetdrill script. */
static void scenario_stop(struct sim *sim, void *data)
{
	sim_stop(sim);
}

static void build_world(struct scn_run *r)
{
	const struct scn_plan *plan = r->plan;
	struct world *w = r->world;

	for (guint i = 0; i < plan->hosts->len; i++) {
		const struct plan_host *h = plan->hosts->pdata[i];

		struct host *wh = world_add_host(w, h->name, h->addr);

		wh->net.scripted = h->scripted;
		wh->net.has_addr6 = h->has_addr6;
		memcpy(wh->net.addr6.s6_addr, h->addr6, sizeof(h->addr6));
	}
	for (guint i = 0; i < plan->links->len; i++) {
		const struct plan_link *l = plan->links->pdata[i];

		struct link *wl = world_add_link(w, w->hosts->pdata[l->a], w->hosts->pdata[l->b],
						 l->delay, l->jitter, l->rate_bps);

		wl->queue_bytes = l->queue_bytes;
	}
	for (guint i = 0; i < plan->routes->len; i++) {
		const struct plan_route *pr = plan->routes->pdata[i];
		struct host *h = w->hosts->pdata[pr->host];
		struct route *rt = g_new0(struct route, 1);

		rt->prefix = pr->prefix;
		rt->plen = pr->plen;
		rt->type = (enum route_type)pr->type;
		g_ptr_array_add(h->net.routes, rt);
	}
	for (guint i = 0; i < plan->qdiscs->len; i++) {	/* `qdisc HOST ...`: from the start */
		const struct plan_qdisc *pq = plan->qdiscs->pdata[i];

		if (!pq->timed)
			((struct host *)w->hosts->pdata[pq->host])->qdisc = pq->q;
	}
	for (guint i = 0; i < plan->sysctls->len; i++) {
		const struct plan_sysctl *s = plan->sysctls->pdata[i];

		for (guint hi = 0; hi < w->hosts->len; hi++) {
			struct host *h = w->hosts->pdata[hi];
			g_autoptr(GError) err = NULL;

			/* The checker wrote the same text on a scratch namespace (add_sysctl):
			 * parsing does not depend on the namespace, so this cannot fail. */
			if ((s->host < 0 || (guint)s->host == hi) &&
			    sysctl_write(&h->net, s->desc, s->value, &err) < 0)
				g_error("%s:%u:%u: the runner refused a sysctl the checker accepted: %s",
					s->loc.file ? s->loc.file : plan->path, s->loc.line, s->loc.col,
					err->message);
		}
	}
	for (guint i = 0; i < plan->faults->len; i++) {
		const struct plan_fault *pf = plan->faults->pdata[i];
		struct fault_rule *f;

		if (pf->ops->domain != FAULT_ON_WIRE)
			continue;
		f = g_new0(struct fault_rule, 1);
		f->ops = pf->ops;
		f->p = pf->p;
		f->label = g_strdup(pf->label);
		f->from = pf->from >= 0 ? w->hosts->pdata[pf->from] : NULL;
		f->to = pf->to >= 0 ? w->hosts->pdata[pf->to] : NULL;
		f->router = pf->router >= 0 ? w->hosts->pdata[pf->router] : NULL;
		sim_rng_stream(r->sim, &f->st.rng, pf->label);
		g_ptr_array_add(w->faults, f);
	}
	scn_vsock_build(r);
}

static void build_procs(struct scn_run *r)
{
	const struct scn_plan *plan = r->plan;

	r->procs = g_array_new(FALSE, FALSE, sizeof(struct proc_ident));
	r->proc_blocks.blocks = g_ptr_array_new_with_free_func(g_free);
	r->comms = g_string_chunk_new(65536);
	r->next_pid = (int)plan->procs->len + 100;
	for (guint i = 0; i < plan->expects->len; i++) {
		const struct plan_expect *e = plan->expects->pdata[i];
		gint64 key = scn_named_key(e->prog, e->instance);

		if (e->prog < 0)
			continue;
		if (!r->named)
			r->named = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		g_hash_table_replace(r->named, g_memdup2(&key, sizeof(key)), GINT_TO_POINTER(0));
	}
	for (guint i = 0; i < plan->procs->len; i++) {
		const struct plan_proc *pp = plan->procs->pdata[i];
		struct proc_rt *p = proc_add(r, pp->leader >= 0 ?
			task_new_thread(proc_at(r, pp->leader)->task, pp->name, pp->pid) :
			task_new(&((struct host *)r->world->hosts->pdata[pp->host])->net, pp->name, pp->pid),
			(guint)pp->host);

		p->keep = true;	/* `signal` lines, `lsm`, `expect` name it */
		task_sighand_share(p->task, pp->sighand);
		p->steps = g_ptr_array_new();
		/* variables name descriptors: a thread shares its process's */
		p->vars = pp->leader >= 0 ? proc_at(r, pp->leader)->vars :
			g_array_new(FALSE, FALSE, sizeof(struct var_binding));
		p->var_names = pp->leader >= 0 ? proc_at(r, pp->leader)->var_names :
			g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
		p->owns_vars = pp->leader < 0;
		if (pp->leader >= 0)
			p->group = proc_at(r, pp->leader);
		if (pp->program >= 0)
			prog_attach(p, plan->programs->pdata[pp->program], 0, NULL);
	}
	for (guint i = 0; i < plan->steps->len; i++) {
		const struct plan_step *st = plan->steps->pdata[i];

		if (st->prog < 0)
			g_ptr_array_add(proc_at(r, st->proc)->steps, GUINT_TO_POINTER(i + 1));
	}
	r->world->n_lsm = plan->lsm->len;
	r->world->lsm = g_new0(struct lsm_rule, plan->lsm->len ? plan->lsm->len : 1);
	for (guint i = 0; i < plan->lsm->len; i++) {
		const struct plan_lsm *l = plan->lsm->pdata[i];

		r->world->lsm[i].call = g_strdup(l->call);
		r->world->lsm[i].err = l->err;
		r->world->lsm[i].task = l->proc >= 0 ? proc_at(r, l->proc)->task : NULL;
	}
}

struct scn_run *scn_run_new(const struct scn_plan *plan, const struct scn_run_opts *opts)
{
	struct scn_run *r = g_new0(struct scn_run, 1);
	struct sim_config cfg;
	char buf[64];

	sim_config_init(&cfg);
	cfg.seed = opts->seed_set ? opts->seed : plan->seed;
	cfg.timer_mode = plan->timer_mode;
	cfg.hz = plan->hz;
	cfg.jiffies_at_zero = plan->jiffies_at_zero;
	cfg.until = opts->until;
	if (!opts->until && !plan->stop_at &&
	    plan->limits.v[SCN_LIMIT_SIM_TIME] <= SIM_TIME_END / SIM_SEC(1)) {	/* a run that ends */
		cfg.until = plan->limits.v[SCN_LIMIT_SIM_TIME] * SIM_SEC(1);
		r->sim_time_limit = true;
	}
	cfg.max_events = opts->max_events;
	cfg.trace = opts->trace;
	r->plan = plan;
	r->opts = *opts;
	r->sim = sim_new(&cfg);
	r->world = world_new(r->sim, plan->profile);
	r->socks = g_ptr_array_new();
	r->sock_blocks.blocks = g_ptr_array_new_with_free_func(g_free);
	r->syscalls = g_array_new(FALSE, TRUE, sizeof(struct sys_rec));
	r->step_recs = g_new(struct step_recs, MAX(plan->steps->len, 1));
	for (guint i = 0; i < plan->steps->len; i++)
		r->step_recs[i] = (struct step_recs){ .first = -1, .first_failed = -1 };
	/* each step's syscall, found once (the checker accepted only names in the table) */
	r->step_sys = g_new(const struct syscall_desc *, MAX(plan->steps->len, 1));
	for (guint i = 0; i < plan->steps->len; i++)
		r->step_sys[i] = syscall_find(((const struct plan_step *)plan->steps->pdata[i])->call);
	r->step_call = g_new(uint8_t, MAX(plan->steps->len, 1));
	for (guint i = 0; i < plan->steps->len; i++)
		r->step_call[i] = call_kind(((const struct plan_step *)plan->steps->pdata[i])->call);
	r->step_args = g_new(uint8_t, MAX(plan->steps->len, 1));
	for (guint i = 0; i < plan->steps->len; i++)
		r->step_args[i] = args_kind(((const struct plan_step *)plan->steps->pdata[i])->call);
	r->sub = (struct trace_subscriber){
		.ctx = r,
		.sock_new = sock_states_needed(r) ? obs_sock_new : NULL,
		.sock_state = sock_states_needed(r) ? obs_sock_state : NULL,
	};
	trace_subscribe(&r->world->ks, &r->sub);
	/* interval 0: no sinks (tcp_stats.c:on_established) */
	r->tcp_stats = tcp_stats_new(&r->world->ks, opts->no_results ? 0 : plan->sample_interval);
	r->vsock_stats = vsock_stats_new(&r->world->ks, plan->sample_interval);
	r->wire_stats = wire_stats_new(&r->world->ks);
	sim_trace_header(opts->trace, "scenario", plan->path);
	if (plan->title)
		sim_trace_header(opts->trace, "title", plan->title);
	sim_trace_header(opts->trace, "profile", plan->profile->name);
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, cfg.seed);
	sim_trace_header(opts->trace, "seed", buf);
	g_snprintf(buf, sizeof(buf), plan->timer_mode == SIM_TIMERS_WHEEL ? "wheel hz=%u" : "exact (hz=%u for jiffy conversions)", plan->hz);
	sim_trace_header(opts->trace, "timers", buf);
	build_world(r);
	r->wire_rec = scn_wire_rec_new(plan, r->world);
	build_procs(r);
	for (guint i = 0; i < plan->procs->len; i++) {
		struct proc_rt *p = proc_at(r, (int)i);

		if (p->prog)	/* a program without start lines: it starts at 0 */
			sim_event_schedule(r->sim, &p->prog_ev, 0);
		else if (!plan->pkt)
			proc_schedule_next(p);
	}
	schedule_starts(r);
	if (plan->pkt) {	/* a .pkt script: its events one after another (pkt_run.c) */
		r->pkt = scn_pkt_rt_new(r);
	} else {
		scn_run_schedule_injects(r);
		for (guint i = 0; i < plan->qdiscs->len; i++) {
			const struct plan_qdisc *pq = plan->qdiscs->pdata[i];
			struct qdisc_ev *qe;

			if (!pq->timed)
				continue;
			qe = g_new0(struct qdisc_ev, 1);
			qe->run = r;
			qe->pq = pq;
			sim_call_at(r->sim, pq->time, "qdisc", qdisc_event, qe, g_free);
		}
		if (plan->stop_at)
			sim_call_at(r->sim, plan->stop_at, "scenario_stop", scenario_stop, NULL, NULL);
	}
	for (guint i = 0; i < plan->signals->len; i++) {
		struct signal_ev *se = g_new0(struct signal_ev, 1);

		se->run = r;
		se->sig = plan->signals->pdata[i];
		sim_call_at(r->sim, se->sig->time, "signal_generate", signal_event, se, g_free);
	}
	return r;
}

struct sim *scn_run_sim(struct scn_run *r)
{
	return r->sim;
}

struct world *scn_run_world(struct scn_run *r)
{
	return r->world;
}

enum sim_run_result scn_run_execute(struct scn_run *r)
{
	enum sim_run_result rr = sim_run(r->sim);

	if (rr == SIM_RUN_UNTIL && r->sim_time_limit && !r->limit_text)
		r->limit_text = scn_limit_exceeded(&r->plan->limits, SCN_LIMIT_SIM_TIME,
						   "the simulated time (no stop line, no --until)");
	return rr;
}

bool scn_run_limit_hit(const struct scn_run *r, enum sim_run_result rr)
{
	return rr == SIM_RUN_UNTIL || rr == SIM_RUN_MAX_EVENTS || r->limit_text;
}

const char *scn_run_limit_text(const struct scn_run *r)
{
	return r->limit_text;
}

bool scn_run_step(struct scn_run *r)
{
	return sim_step(r->sim);
}

void scn_run_free(struct scn_run *r)
{
	if (!r)
		return;
	for (guint i = 0; i < r->procs->len; i++) {
		struct proc_rt *p = proc_at(r, (int)i);

		if (!p)
			continue;	/* released */
		sim_event_cancel(r->sim, &p->step_ev);
		sim_event_cancel(r->sim, &p->prog_ev);
	}
	for (guint i = 0; r->starts && i < r->starts->len; i++)
		sim_event_cancel(r->sim, &((struct start_rt *)r->starts->pdata[i])->ev);
	scn_pkt_rt_free(r->pkt);	/* cancels its events */
	sim_free(r->sim);
	for (guint i = 0; i < r->procs->len; i++) {
		struct proc_rt *p = proc_at(r, (int)i);

		if (p)
			proc_free_memory(p);
	}
	g_array_free(r->procs, TRUE);
	g_ptr_array_free(r->proc_blocks.blocks, TRUE);
	g_string_chunk_free(r->comms);
	if (r->named)
		g_hash_table_destroy(r->named);
	if (r->starts)
		g_ptr_array_free(r->starts, TRUE);
	scn_wire_rec_free(r->wire_rec);	/* detaches from the world's subscribers */
	world_free(r->world);
	tcp_stats_free(r->tcp_stats);
	vsock_stats_free(r->vsock_stats);
	wire_stats_free(r->wire_stats);
	for (guint i = 0; i < r->socks->len; i++) {
		struct sock_rec *s = r->socks->pdata[i];

		if (s->transitions)
			g_array_free(s->transitions, TRUE);
	}
	g_ptr_array_free(r->socks, TRUE);
	g_ptr_array_free(r->sock_blocks.blocks, TRUE);
	for (guint i = 0; i < r->syscalls->len; i++) {
		struct sys_rec *rec = &g_array_index(r->syscalls, struct sys_rec, i);

		g_free(rec->tcp_info);
		if (rec->events)
			g_array_free(rec->events, TRUE);
		g_free(rec->exp_fds);
	}
	g_array_free(r->syscalls, TRUE);
	g_free(r->free_recs);
	g_free(r->limit_text);
	g_free(r->step_recs);
	g_free(r->step_sys);
	g_free(r->step_call);
	g_free(r->step_args);
	if (r->outcomes) {	/* scn_run_evaluate()'s */
		g_array_free(r->outcomes, TRUE);
		g_array_free(r->exp_lines, TRUE);
		g_ptr_array_free(r->expected, TRUE);
		g_ptr_array_free(r->actuals, TRUE);
	}
	g_free(r);
}

/*
 * An `inject` line: the scripted host sends a hand-built segment.  Its ack
 * and SACK numbers are relative to the receiving socket's ISN, as in
 * packetdrill, so they are resolved when the packet leaves.
 */
struct inject_ev {
	struct scn_run *run;
	const struct plan_inject *in;
};

static uint32_t receiver_isn(struct world *w, const struct plan_inject *in)
{
	struct host *from = w->hosts->pdata[in->from];
	struct host *to = w->hosts->pdata[in->to];
	struct sock *sk = inet_lookup_established(&to->net, from->addr, in->sport, to->addr, in->dport);
	struct request_sock *req;

	if (sk)
		return tcp_sk(sk)->snd_isn;
	sk = inet_lookup_listener(&to->net, to->addr, in->dport);
	req = sk ? inet_csk_find_req(sk, from->addr, in->sport) : NULL;
	return req ? req->snt_isn : 0;
}

static void inject_event(struct sim *sim, void *data)
{
	struct inject_ev *ie = data;

	scn_run_inject(ie->run, ie->in);
	g_free(ie);
}

void scn_run_inject(struct scn_run *r, const struct plan_inject *plan_in)
{
	struct sim *sim = r->sim;
	struct world *w = r->world;
	struct host *from = w->hosts->pdata[plan_in->from];
	struct host *to = w->hosts->pdata[plan_in->to];
	struct plan_inject learned = *plan_in;
	const struct plan_inject *in = &learned;
	struct sk_buff *skb = skb_alloc(&from->net);
	uint32_t isn;

	if (in->learn_dport)	/* dport=learn (scenario/wire_expect.c) */
		learned.dport = scn_inject_learned_port(w->all_socks, &to->net, from->addr, in->sport);
	isn = receiver_isn(w, in);
	if (!isn) {	/* the socket is gone: what its SYN (or SYN-ACK) showed */
		uint16_t port;
		uint32_t syn_isn;

		if (scn_wire_rec_last_syn(r->wire_rec, to->addr, from->addr, in->sport, &port, &syn_isn) &&
		    (!learned.dport || learned.dport == port)) {
			learned.dport = port;
			isn = syn_isn;
		}
	}

	skb->protocol = IPPROTO_TCP;
	skb->saddr = from->addr;
	skb->daddr = to->addr;
	skb->source = in->sport;
	skb->dest = in->dport;
	skb->seq = in->seq;
	skb->ack_seq = in->has_ack ? isn + in->ack : 0;
	skb->flags = in->flags;
	skb->window = (uint16_t)MIN(in->win, 65535u);
	skb->len = in->len;
	skb->mss = in->mss;
	skb->wscale = in->wscale;
	skb->sack_perm = in->sack_perm;
	skb->ts_ok = in->ts_ok;
	skb->ecn = in->ecn;
	skb->num_sacks = (uint8_t)in->nsacks;
	for (int i = 0; i < in->nsacks; i++) {
		skb->sack[i].start_seq = isn + in->sack[i][0];
		skb->sack[i].end_seq = isn + in->sack[i][1];
	}
	sim_trace(sim, from->name, NULL, "inject", NULL, "line=%d", plan_in->line);
	wire_xmit(&from->net, skb);
}

void scn_run_schedule_injects(struct scn_run *r)
{
	for (guint i = 0; i < r->plan->injects->len; i++) {
		struct inject_ev *ie = g_new0(struct inject_ev, 1);

		ie->run = r;
		ie->in = r->plan->injects->pdata[i];
		sim_call_at(r->sim, ie->in->time, "inject", inject_event, ie, g_free);
	}
}
