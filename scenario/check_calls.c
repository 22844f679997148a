/* SPDX-License-Identifier: MIT */
/*
 * Semantic checks of timed lines: syscalls (argument shapes, expected
 * results, repetition), signals and injected packets.
 */
#include <string.h>

#include "check_private.h"
#include "env/world.h"
#include "linux/errno_names.h"
#include "net/skb.h"
#include "net/socket.h"
#include "net/tcp.h"
#include "names.h"
#include "suggest.h"
#include "vsock.h"
#include "wire_expect.h"

const char *scn_syscall_at(guint i, const char **usage)
{
	for (guint k = 0; syscall_table[k].name; k++)
		if (k == i) {
			*usage = syscall_table[k].usage;
			return syscall_table[k].name;
		}
	return NULL;
}

/* A C int argument (a descriptor, an int option value) must fit in one. */
static bool int_range(struct checker *c, const struct scn_value *v, int64_t i, const char *what)
{
	if (i >= INT32_MIN && i <= INT32_MAX)
		return true;
	FAIL(c, &v->loc, "%s is an int (-2147483648..2147483647), found '%s'", what, v->text);
	return false;
}

/*
 * An int option value: the 4 bytes the kernel copies with
 * copy_from_sockptr() into an int, written as a signed int or, as packetdrill
 * writes them ([0xffffffff]), as the same 32 bits unsigned
 * (2147483648..4294967295 read as the negative int they hold).
 */
static bool optval_range(struct checker *c, const struct scn_value *v, int64_t *i)
{
	if (*i >= INT32_MIN && *i <= (int64_t)UINT32_MAX) {
		*i = (int32_t)(uint32_t)*i;
		return true;
	}
	FAIL(c, &v->loc, "an option value is a 32-bit int (-2147483648..4294967295), found '%s'", v->text);
	return false;
}

/* The slot of variable @name of the program being checked, or -1. */
int program_var(const struct plan_program *prog, const char *name)
{
	for (guint i = 0; i < prog->vars->len; i++)
		if (strcmp(prog->vars->pdata[i], name) == 0)
			return (int)i;
	return -1;
}

/* One argument of shape letter @shape (struct syscall_desc, net/socket.h). */
/* A byte count (send, recv, an iovec's one length): an integer, never negative. */
static bool length_int(struct checker *c, const struct scn_value *v, int64_t *out)
{
	if (!value_int(c, v, out))
		return false;
	if (*out < 0) {
		FAIL(c, &v->loc, "a length cannot be negative");
		return false;
	}
	return true;
}

static bool check_arg(struct checker *c, char shape, const struct scn_value *v,
		      struct plan_arg *a, const char *usage)
{
	a->slot = -1;
	a->idx = v->idx;
	if (c->prog && v->kind == SCN_V_IDENT && shape != 'A' && shape != 'T' &&
	    program_var(c->prog, v->text) >= 0) {	/* a value a call of the program returned */
		a->kind = ARG_VAR;
		a->var = g_strdup(v->text);
		a->slot = program_var(c->prog, v->text);
		return true;
	}
	switch (shape) {
	case 'f':
		if (v->kind == SCN_V_IDENT && !strchr(v->text, '|')) {
			int64_t dummy;

			if (constant_value(v->text, &dummy)) {
				FAIL(c, &v->loc, "expected a descriptor (a variable or a number) in %s, found '%s'",
				     usage, v->text);
				return false;
			}
			a->kind = ARG_VAR;
			a->var = g_strdup(v->text);
			return true;
		}
		a->kind = ARG_INT;
		return value_int(c, v, &a->i) && int_range(c, v, a->i, "a descriptor");
	case 'A':
		a->kind = ARG_ADDR;
		if (v->kind == SCN_V_ADDR && v->v6) {	/* struct sockaddr_in6 */
			a->addr.family = AF_INET6;
			memcpy(a->addr.sin6_addr.s6_addr, v->ip6, 16);
			a->addr.port = (uint16_t)v->port;
			a->addr.addrlen = 28;
			return true;
		}
		if (v->kind == SCN_V_ADDR) {
			a->addr.family = AF_INET;
			a->addr.addr = v->ip;
			a->addr.port = (uint16_t)v->port;
			a->addr.addrlen = 16;
			a->i = v->idx ? v->i : 0;	/* the port before the index is added */
			return true;
		}
		if (v->kind == SCN_V_IDENT && strncmp(v->text, "AF_", 3) == 0) {
			int64_t fam;

			/* a zeroed sockaddr of that family: AF_UNSPEC disconnects,
			 * AF_INET6 meets tcp_v4_connect's EAFNOSUPPORT */
			if (!value_int(c, v, &fam))
				return false;
			a->addr.family = (int)fam;
			a->addr.addrlen = 16;
			return true;
		}
		if (v->kind == SCN_V_IDENT && g_str_has_prefix(v->text, "vsock:")) {
			return check_ok(c, scn_vsock_addr(v, &a->addr, c->error));
		}
		if (v->kind == SCN_V_IDENT && strcmp(v->text, "FAULT") == 0) {
			a->addr.family = AF_INET;
			a->addr.addrlen = 16;
			a->addr.fault = true;
			return true;
		}
		FAIL(c, &v->loc, "expected an address such as 10.0.0.2:80, a family (AF_UNSPEC, AF_INET6) or FAULT in %s, found '%s'",
		     usage, v->text);
		return false;
	case 'L':
		if (v->kind == SCN_V_IDENT && strcmp(v->text, "FAULT") == 0) {
			a->kind = ARG_INT;
			a->i = -1;
			return true;
		}
		a->kind = ARG_INT;
		return length_int(c, v, &a->i);
	case 'I':		/* an iovec: one length, or a string of lengths */
		a->kind = ARG_INT;
		if (v->kind == SCN_V_STRING) {
			const char *p = v->text;

			a->i = 0;
			a->nsegs = 0;
			while (*p) {
				size_t len = strcspn(p, " \t");
				g_autofree char *tok = g_strndup(p, len);
				char *end;
				int64_t n;

				if (!len) {
					p++;
					continue;
				}
				n = g_ascii_strtoll(tok, &end, 10);
				if (*end || n < 0 || !g_ascii_isdigit(tok[0])) {
					struct scn_loc at = v->loc;

					at.col += (uint32_t)(p - v->text) + 1;	/* past the quote */
					FAIL(c, &at, "expected iovec lengths (non-negative integers) such as \"100 200\" in %s, found '%s'",
					     usage, tok);
					return false;
				}
				a->i = a->i > INT64_MAX - n ? INT64_MAX : a->i + n;
				a->nsegs++;
				p += len;
			}
			return true;
		}
		a->nsegs = 1;
		return length_int(c, v, &a->i);
	case 'V':
		if (v->kind == SCN_V_TIME) {
			a->kind = ARG_TIME;
			a->t = v->t;
			return true;
		}
		if (v->kind == SCN_V_IDENT && !strchr(v->text, '|')) {
			int64_t dummy;

			if (!constant_value(v->text, &dummy)) {
				a->kind = ARG_STR;	/* an option string: TCP_CONGESTION reno */
				a->var = g_strdup(v->text);
				return true;
			}
		}
		a->kind = ARG_INT;
		return value_int(c, v, &a->i) && optval_range(c, v, &a->i);
	case 'T':
		if (v->kind == SCN_V_TIME) {
			a->kind = ARG_TIME;
			a->t = v->t;
			return true;
		}
		if (v->kind == SCN_V_INT && (v->i == -1 || v->i == 0)) {
			a->kind = ARG_TIME;
			a->t = v->i < 0 ? SIM_TIME_MAX : 0;
			return true;
		}
		FAIL(c, &v->loc, "expected a timeout (a time, 0 or -1 for infinite) in %s, found '%s'",
		     usage, v->text);
		return false;
	default:
		a->kind = ARG_INT;
		return value_int(c, v, &a->i);
	}
}

/* Variables name descriptors, which belong to the process (threads share them). */
static int fd_owner(const struct checker *c, int proc)
{
	const struct plan_proc *p = c->plan->procs->pdata[proc];

	return p->leader >= 0 ? p->leader : proc;
}

static bool check_index_range(struct checker *c, const struct scn_call *call, const struct plan_step *step);

/*
 * Is the variable of @a bound by an earlier call of the process?  NAME.N is
 * also bound when NAME was assigned by epoll_wait() (its N-th event's fd).
 */
static bool var_assigned(struct checker *c, int proc, const struct scn_value *v)
{
	g_autofree char *key = g_strdup_printf("%d\n%s", fd_owner(c, proc), v->text);
	const char *dot = strrchr(v->text, '.');

	if (g_ptr_array_find_with_equal_func(c->assigned, key, g_str_equal, NULL))
		return true;
	if (dot && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1)) {
		g_autofree char *ev = g_strdup_printf("%d\n%.*s.#", fd_owner(c, proc),
						      (int)(dot - v->text), v->text);

		if (g_ptr_array_find_with_equal_func(c->assigned, ev, g_str_equal, NULL))
			return true;
	}
	FAIL(c, &v->loc, "'%s' is not assigned by an earlier call of process '%s' (e.g. %s = socket(AF_INET, SOCK_STREAM, 0))",
	     v->text, ((struct plan_proc *)c->plan->procs->pdata[proc])->name, v->text);
	return false;
}

/*
 * A variable argument @a (written @v) must be bound before it is used: by an
 * earlier line of the program being checked (its slot), else by an earlier
 * call of process @proc.  Any other argument passes.
 */
static bool arg_var_bound(struct checker *c, int proc, const struct scn_value *v,
			  const struct plan_arg *a)
{
	if (a->kind != ARG_VAR)
		return true;
	if (!c->prog)
		return var_assigned(c, proc, v);
	if (a->slot >= 0)
		return true;
	FAIL(c, &v->loc, "'%s' is not assigned by an earlier line of program '%s' (e.g. %s = socket(AF_INET, SOCK_STREAM, 0))",
	     v->text, c->prog->name, v->text);
	return false;
}

/*
 * The FD, EVENTS pairs of poll() (shape letter P): as many as the arguments
 * leave before the @rest letters that follow.
 */
static bool check_poll_pairs(struct checker *c, const struct scn_call *call, int proc, int *argi,
			     int rest, struct plan_step *step, const char *usage)
{
	int left = (int)call->args->len - *argi - rest;

	if (left < 2 || left % 2) {
		const struct scn_value *v = left > 0 && left % 2 ? call->args->pdata[*argi + left - 1] : NULL;

		FAIL(c, v ? &v->loc : &call->loc, "expected FD, EVENTS pairs then a timeout: %s", usage);
		return false;
	}
	step->poll_fds = g_array_new(FALSE, TRUE, sizeof(struct plan_arg));
	for (int k = 0; k < left; k++) {
		const struct scn_value *v = call->args->pdata[*argi + k];
		struct plan_arg a = { 0 };

		if (!check_arg(c, k % 2 ? 'i' : 'f', v, &a, usage) || !arg_var_bound(c, proc, v, &a)) {
			g_free(a.var);
			return false;
		}
		g_array_append_val(step->poll_fds, a);
	}
	/* the first pair also fills args[0..1], so the call has its FD like the others */
	for (int k = 0; k < 2; k++) {
		step->args[k] = g_array_index(step->poll_fds, struct plan_arg, k);
		step->args[k].var = g_strdup(step->args[k].var);
	}
	*argi += left;
	return true;
}

static char *call_desc(const struct scn_call *call)
{
	GString *s = g_string_new(NULL);

	/* No spaces: it is one token of a trace detail. */
	if (call->var)
		g_string_append_printf(s, "%s=", call->var);
	g_string_append_printf(s, "%s(", call->name);
	for (guint i = 0; i < call->args->len; i++) {
		const struct scn_value *v = call->args->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : "", v->text);
	}
	g_string_append_c(s, ')');
	return g_string_free(s, FALSE);
}

/*
 * The string of an events= check (epoll_wait: "FD:EVENTS ...", FD a variable
 * or a number) or of a revents= check of a poll() on several descriptors
 * ("EVENTS ...", one per pair): blank-separated entries, in order.  Errors
 * point into the string.
 */
static bool check_event_list(struct checker *c, const struct scn_value *v, struct plan_step *step,
			     int proc, bool with_fd)
{
	const char *p = v->text;

	if (v->kind != SCN_V_STRING) {
		FAIL(c, &v->loc, "expected a string such as \"%s\", found '%s'",
		     with_fd ? "c:EPOLLIN s:EPOLLOUT|EPOLLHUP" : "POLLIN 0 POLLOUT", v->text);
		return false;
	}
	step->exp_events = g_array_new(FALSE, TRUE, sizeof(struct plan_event_check));
	while (*p) {
		size_t n = strcspn(p, " \t");
		g_autofree char *tok = g_strndup(p, n);
		struct scn_value sub = { .kind = SCN_V_IDENT, .loc = v->loc, .text = tok };
		struct plan_event_check chk = { .fd = { .kind = ARG_INT, .i = -1 } };
		char *colon = strchr(tok, ':');
		const char *ev = tok;

		sub.loc.col += (uint32_t)(p - v->text) + 1;	/* past the opening quote */
		if (!n) {
			p++;
			continue;
		}
		if (with_fd) {
			struct scn_value fdv = sub;
			char *end;

			if (!colon || colon == tok || !colon[1]) {
				FAIL(c, &sub.loc, "expected FD:EVENTS such as c:EPOLLIN or 5:EPOLLIN|EPOLLOUT, found '%s'", tok);
				return false;
			}
			*colon = '\0';
			ev = colon + 1;
			chk.fd.i = g_ascii_strtoll(tok, &end, 10);
			if (*end || end == tok) {
				if (!g_ascii_isalpha(tok[0]) && tok[0] != '_') {
					FAIL(c, &sub.loc, "expected a descriptor (a variable or a number) before ':', found '%s'", tok);
					return false;
				}
				fdv.text = tok;
				if (!var_assigned(c, proc, &fdv))
					return false;
				chk.fd.kind = ARG_VAR;
				chk.fd.var = g_strdup(tok);
			}
		}
		{
			struct scn_value evv = sub;
			int64_t x;
			char *end;

			evv.text = (char *)ev;
			evv.loc.col += (uint32_t)(ev - tok);
			x = g_ascii_strtoll(ev, &end, 0);
			if (*end || end == ev) {
				if (!value_int(c, &evv, &x)) {
					g_free(chk.fd.var);
					return false;
				}
			}
			chk.events = x;
		}
		g_array_append_val(step->exp_events, chk);
		p += n;
	}
	if (!with_fd && step->poll_fds && step->exp_events->len != step->poll_fds->len / 2) {
		FAIL(c, &v->loc, "revents lists %u entries for a poll() on %u descriptors",
		     step->exp_events->len, step->poll_fds->len / 2);
		return false;
	}
	return true;
}


/*
 * The value of a tcpi_NAME= check: V (equal), LO-HI (LO <= field <= HI) or
 * "OP V" with OP one of == != < <= > >= (packetdrill's python asserts).
 */
static bool tcpi_bounds(struct checker *c, const struct scn_value *v, struct plan_tcpi_check *chk)
{
	static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
	const char *s = v->text, *op = NULL;
	char *end = NULL;
	int64_t x = 0;
	bool num;

	if (v->kind == SCN_V_RANGE && !v->time_range) {
		chk->lo = v->i;
		chk->hi = v->i_hi;
		return true;
	}
	if (v->kind != SCN_V_STRING) {
		if (!value_int(c, v, &x))
			return false;
		chk->lo = chk->hi = x;
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(ops) && !op; i++)
		if (g_str_has_prefix(s, ops[i]))
			op = ops[i];
	if (op) {
		s += strlen(op);
		while (*s == ' ')
			s++;
		x = g_ascii_strtoll(s, &end, 0);
	}
	num = op && (g_ascii_isdigit(*s) || (*s == '-' && g_ascii_isdigit(s[1])));
	if (!num || *end || x == G_MAXINT64 || x == G_MININT64) {
		FAIL(c, &v->loc, "expected a comparison \"OP N\" (OP one of == != < <= > >=, N an integer), found \"%s\"",
		     v->text);
		return false;
	}
	chk->lo = G_MININT64;
	chk->hi = G_MAXINT64;
	if (op[0] == '=' || op[0] == '!' || op[0] == '>')
		chk->lo = x + (strcmp(op, ">") == 0);
	if (op[0] == '=' || op[0] == '!' || op[0] == '<')
		chk->hi = x - (strcmp(op, "<") == 0);
	chk->ne = op[0] == '!';
	return true;
}
static void check_result(struct checker *c, const struct scn_result *r, struct plan_step *step)
{
	GString *txt = g_string_new("=");

	step->exp_ret = true;
	step->ret = r->ret.i;
	g_string_append_printf(txt, " %" G_GINT64_FORMAT, r->ret.i);
	if (r->err) {
		step->err = sim_errno_from_name(r->err);
		if (!step->err || step->err >= 512) {
			g_autofree char *hint = scn_names_hint(SCN_NAMES_ERRNOS, r->err);

			FAIL(c, &r->err_loc, "unknown errno '%s'%s (expected a name such as ETIMEDOUT; see `socksim list-errnos`)",
			     r->err, hint);
		}
		if (r->ret.i != -1)
			FAIL(c, &r->err_loc, "an errno goes with a return value of -1, not %" G_GINT64_FORMAT, r->ret.i);
		g_string_append_printf(txt, " %s", r->err);
	} else if (r->ret.i < 0) {
		FAIL(c, &r->ret.loc, "expected an errno name after -1 (e.g. = -1 ETIMEDOUT)");
	}
	if (r->has_at) {
		step->exp_at = true;
		step->at = r->at.t;
		step->at_relative = r->at.relative;
		g_string_append_printf(txt, " @ %s", r->at.text);
		if (r->at.kind != SCN_V_TIME)
			FAIL(c, &r->at.loc, "expected a time after '@', found '%s'", r->at.text);
	}
	if (r->has_tol) {
		if (r->tol.kind != SCN_V_TIME || r->tol.relative)
			FAIL(c, &r->tol.loc, "expected a tolerance time after '~', found '%s'", r->tol.text);
		step->tol = r->tol.t;
		g_string_append_printf(txt, " ~ %s", r->tol.text);
	}
	for (guint i = 0; r->opts && i < r->opts->len; i++) {
		const struct scn_opt *o = r->opts->pdata[i];

		if (strcmp(o->key, "val") == 0 && (strcmp(step->call, "getsockopt") == 0 ||
						   strcmp(step->call, "ioctl") == 0)) {
			step->exp_val = value_int(c, &o->val, &step->val);
			if (step->exp_val && strcmp(step->call, "getsockopt") == 0)
				step->exp_val = optval_range(c, &o->val, &step->val);
		} else if (strcmp(o->key, "addr") == 0 && (strcmp(step->call, "getsockname") == 0 ||
							    strcmp(step->call, "getpeername") == 0)) {
			if (o->val.kind != SCN_V_ADDR || o->val.idx) {
				FAIL(c, &o->val.loc, "addr expects ADDR:PORT (e.g. 10.0.0.1:40000 or [::1]:80), found '%s'",
				     o->val.text);
				continue;
			}
			step->exp_addr = true;
			step->addr.port = (uint16_t)o->val.port;
			if (o->val.v6) {
				step->addr.family = AF_INET6;
				memcpy(step->addr.sin6_addr.s6_addr, o->val.ip6, 16);
			} else {
				step->addr.family = AF_INET;
				step->addr.addr = o->val.ip;
			}
		} else if (strcmp(o->key, "inq") == 0 && strcmp(step->call, "recvmsg") == 0) {
			/* the TCP_CM_INQ control message (setsockopt TCP_INQ) */
			step->exp_val = value_int(c, &o->val, &step->val);
		} else if (strcmp(o->key, "revents") == 0 && strcmp(step->call, "poll") == 0 &&
			   o->val.kind == SCN_V_STRING) {
			if (!check_event_list(c, &o->val, step, step->proc, false))
				continue;
		} else if (strcmp(o->key, "revents") == 0 && strcmp(step->call, "poll") == 0) {
			if (step->poll_fds && step->poll_fds->len > 2) {
				FAIL(c, &o->val.loc, "a poll() on %u descriptors takes revents=\"R1 R2 ...\" (one per descriptor), found '%s'",
				     step->poll_fds->len / 2, o->val.text);
				continue;
			}
			step->exp_revents = value_int(c, &o->val, &step->revents);
		} else if (strcmp(o->key, "events") == 0 && strcmp(step->call, "epoll_wait") == 0) {
			if (!check_event_list(c, &o->val, step, step->proc, true))
				continue;
		} else if (g_str_has_prefix(o->key, "tcpi_") && strcmp(step->call, "getsockopt") == 0) {
			struct plan_tcpi_check chk = { .field = -1 };

			for (int f = 0; f < TCPI_MAX; f++)
				if (strcmp(tcp_info_field_names[f], o->key) == 0)
					chk.field = f;
			if (chk.field < 0) {
				FAIL(c, &o->loc, "unknown TCP_INFO field '%s' (e.g. tcpi_snd_cwnd, tcpi_rto, tcpi_total_retrans)",
				     o->key);
				continue;
			}
			if (!tcpi_bounds(c, &o->val, &chk))
				continue;
			if (!step->exp_tcpi)
				step->exp_tcpi = g_array_new(FALSE, FALSE, sizeof(struct plan_tcpi_check));
			g_array_append_val(step->exp_tcpi, chk);
		} else {
			FAIL(c, &o->loc, "unknown result check '%s' for %s (getsockopt takes val= and tcpi_*=, ioctl val=, getsockname/getpeername addr=, recvmsg inq=, poll revents=, epoll_wait events=)",
			     o->key, step->call);
			continue;
		}
		g_string_append_printf(txt, o->val.kind == SCN_V_STRING ? " %s=\"%s\"" : " %s=%s",
				       o->key, o->val.text);
	}
	step->exp_text = g_string_free(txt, FALSE);
}

/* setsockopt of a struct timeval: SO_SNDTIMEO, SO_RCVTIMEO, SO_VM_SOCKETS_CONNECT_TIMEOUT. */
static bool timeval_option(const struct plan_step *step)
{
	int64_t old_name = -1, new_name = -1;

	if (step->args[1].kind != ARG_INT || step->args[2].kind != ARG_INT)
		return false;
	if (step->args[1].i == SOL_SOCKET)
		return step->args[2].i == SO_SNDTIMEO || step->args[2].i == SO_RCVTIMEO;
	scn_vsock_constant("SO_VM_SOCKETS_CONNECT_TIMEOUT_OLD", &old_name);
	scn_vsock_constant("SO_VM_SOCKETS_CONNECT_TIMEOUT_NEW", &new_name);
	return step->args[1].i == AF_VSOCK && (step->args[2].i == old_name || step->args[2].i == new_name);
}

void check_call(struct checker *c, const struct scn_stmt *st, int proc)
{
	const struct scn_call *call = st->call;
	struct plan_step *step;
	const struct syscall_desc *sys = syscall_find(call->name);
	const char *shape, *usage;
	int argi = 0;		/* into step->args */
	int vi = 0;		/* into call->args (ahead of argi after P's pairs) */
	bool optional = false;

	if (!sys) {
		g_autoptr(GString) names = g_string_new(NULL);

		for (const struct syscall_desc *d = syscall_table; d->name; d++)
			g_string_append_printf(names, "%s%s", d == syscall_table ? "" :
					       d[1].name ? ", " : " or ", d->name);
		g_autofree char *hint = scn_names_hint(SCN_NAMES_SYSCALLS, call->name);

		FAIL(c, &call->loc, "unknown syscall '%s'%s (expected %s)", call->name, hint, names->str);
		return;
	}
	shape = sys->shape;
	usage = sys->usage;
	step = g_new0(struct plan_step, 1);
	g_ptr_array_add(c->plan->steps, step);
	step->line = (int)st->loc.line;
	step->proc = proc;
	step->prog = c->prog ? (int)c->prog_index : -1;
	step->assign_slot = -1;
	step->relative = st->time.relative || (c->prog && !st->timed);	/* a program line: +0 */
	step->time = st->time.t;
	step->call = sys->name;
	step->desc = call_desc(call);
	step->assign = g_strdup(call->var);
	for (const char *s = shape; *s; s++) {
		const struct scn_value *v;

		if (*s == '?') {
			optional = true;
			continue;
		}
		if (*s == 'P') {	/* FD, EVENTS pairs into step->poll_fds, the first into args[0..1] */
			if (!check_poll_pairs(c, call, proc, &vi, (int)strlen(s + 1), step, usage))
				return;
			argi = 2;
			continue;
		}
		if ((guint)vi >= call->args->len) {
			if (optional)
				break;
			FAIL(c, &call->loc, "too few arguments: expected %s", usage);
			return;
		}
		v = call->args->pdata[vi];
		if (!check_arg(c, *s, v, &step->args[argi], usage))
			return;
		if (!arg_var_bound(c, proc, v, &step->args[argi]))
			return;
		argi++;
		vi++;
	}
	if ((guint)vi < call->args->len) {
		const struct scn_value *v = call->args->pdata[vi];

		FAIL(c, &v->loc, "too many arguments: expected %s", usage);
		return;
	}
	step->nargs = argi;
	if (strcmp(step->call, "setsockopt") == 0 && argi == 4 && step->args[3].kind == ARG_INT &&
	    step->args[3].i > 0 && timeval_option(step)) {
		const struct scn_value *v = call->args->pdata[3];

		/* a struct timeval, not a count: 5 is not 5 ns (nor 5 s) */
		FAIL(c, &v->loc, "%s takes a time with a unit such as 2s or 500ms (or 0), found '%s'",
		     ((const struct scn_value *)call->args->pdata[2])->text, v->text);
		return;
	}
	if (strcmp(step->call, "setsockopt") == 0 && argi == 4 && step->args[1].kind == ARG_INT &&
	    step->args[1].i == SOL_SOCKET && step->args[2].kind == ARG_INT && step->args[2].i == SO_LINGER &&
	    (step->args[3].kind != ARG_INT || step->args[3].i != 0 || step->args[3].idx)) {
		const struct scn_value *v = call->args->pdata[3];

		FAIL(c, &v->loc, "SO_LINGER takes 0 (struct linger {1, 0}: close() aborts with a RST); "
		     "a lingering close() that waits for its FIN's ACK is not modelled, found '%s'", v->text);
		return;
	}
	if (c->prog && !check_index_range(c, call, step))
		return;
	if (call->var && c->prog) {
		step->assign_slot = program_var(c->prog, call->var);
		if (step->assign_slot < 0) {
			if (!check_program_var_limit(c, &call->var_loc))
				return;
			g_ptr_array_add(c->prog->vars, g_strdup(call->var));
			step->assign_slot = (int)c->prog->vars->len - 1;
		}
	} else if (call->var && strcmp(step->call, "epoll_wait") == 0) {
		/* VAR.0, VAR.1, ...: the events' fds */
		g_ptr_array_add(c->assigned, g_strdup_printf("%d\n%s.#", fd_owner(c, proc), call->var));
	} else if (call->var) {
		g_ptr_array_add(c->assigned, g_strdup_printf("%d\n%s", fd_owner(c, proc), call->var));
	}
	if (st->result)
		check_result(c, st->result, step);
}

/* Arguments with the instance index $i: in range for every instance the program has. */
static bool check_index_range(struct checker *c, const struct scn_call *call, const struct plan_step *step)
{
	uint64_t last = c->prog->instances ? c->prog->instances - 1 : 0;

	for (int k = 0; k < step->nargs; k++) {
		const struct plan_arg *a = &step->args[k];
		const struct scn_value *v = call->args->pdata[k];
		int64_t lo = a->i, hi = a->i + a->idx * (int64_t)last;

		if (!a->idx)
			continue;
		if (a->kind == ARG_ADDR && (MIN(lo, hi) < 0 || MAX(lo, hi) > 65535)) {
			FAIL(c, &v->loc, "port '%s' is %" G_GINT64_FORMAT " for instance %" G_GUINT64_FORMAT
			     ", outside 0..65535", v->text, lo < 0 || lo > 65535 ? lo : hi, lo < 0 || lo > 65535 ? 0 : last);
			return false;
		}
		if (a->kind == ARG_INT && (MIN(lo, hi) < INT32_MIN || MAX(lo, hi) > INT32_MAX)) {
			FAIL(c, &v->loc, "'%s' is %" G_GINT64_FORMAT " for instance %" G_GUINT64_FORMAT
			     ", outside the range of an int", v->text, hi, last);
			return false;
		}
	}
	return true;
}

/* "repeat=N|forever every=T until=T" on a syscall line. */
static void check_repeat(struct checker *c, const struct scn_stmt *st, struct plan_step *step)
{
	static const char *const allowed[] = { "repeat", "every", "until", NULL };

	step->repeat = 1;
	no_opts(c, st, allowed);
	for (guint i = 0; i < st->opts->len; i++) {
		const struct scn_opt *o = st->opts->pdata[i];

		if (strcmp(o->key, "repeat") == 0) {
			if (o->val.kind == SCN_V_IDENT && strcmp(o->val.text, "forever") == 0)
				step->repeat = UINT64_MAX;
			else if (o->val.kind == SCN_V_INT && o->val.i >= 1)
				step->repeat = (uint64_t)o->val.i;
			else
				FAIL(c, &o->val.loc, "repeat expects a positive count or 'forever', found '%s'",
				     o->val.text);
		} else if (strcmp(o->key, "every") == 0) {
			value_time(c, &o->val, &step->every);
		} else if (strcmp(o->key, "until") == 0) {
			value_time(c, &o->val, &step->until);
		}
	}
	if (step->repeat != 1 && step->exp_ret)
		FAIL(c, &st->result->loc, "a repeated call cannot check one result; use expect lines");
	if (step->repeat != 1 && step->assign)
		FAIL(c, &st->call->var_loc, "a repeated call cannot assign a variable");
}

/*
 * "TIME inject FROM TO FLAGS sport=P dport=P [seq=N] [ack=N] [win=N] [len=N]
 * [mss=N] [wscale=N] [sackok=1] [sack=A-B]... [ecn=noecn|ect0|ect1|ce]": the
 * packetdrill way of playing the remote end.  FROM must be a scripted host.
 */
static void check_inject(struct checker *c, const struct scn_stmt *st)
{
	static const char *const allowed[] = { "sport", "dport", "seq", "ack", "win", "len", "mss",
					       "wscale", "sackok", "sack", "ts", "ecn", NULL };
	const struct scn_value *fv = word(c, st, 0, "a scripted host, a destination host and TCP flags");
	const struct scn_value *tv = word(c, st, 1, "a destination host");
	const struct scn_value *flv = word(c, st, 2, "TCP flags such as S, SA, A, PA, FA, R, SEW, EA");
	struct plan_inject *in;

	if (!fv || !tv || !flv)
		return;
	in = g_new0(struct plan_inject, 1);
	g_ptr_array_add(c->plan->injects, in);
	in->line = (int)st->loc.line;
	in->time = st->time.t;
	in->wscale = 0xff;
	in->from = host_word(c, fv);
	in->to = host_word(c, tv);
	if (c->failed)
		return;
	if (!((struct plan_host *)c->plan->hosts->pdata[in->from])->scripted)
		FAIL(c, &fv->loc, "'%s' is not a scripted host (declare it 'host %s ADDR scripted')",
		     fv->text, fv->text);
	if (st->time.relative)
		FAIL(c, &st->time.loc, "inject lines take an absolute time, found '%s'", st->time.text);
	for (const char *f = flv->text; *f; f++) {
		switch (*f) {
		case 'S': in->flags |= TCPHDR_SYN; break;
		case 'F': in->flags |= TCPHDR_FIN; break;
		case 'R': in->flags |= TCPHDR_RST; break;
		case 'P': in->flags |= TCPHDR_PSH; break;
		case 'A': in->flags |= TCPHDR_ACK; break;
		case 'E': in->flags |= TCPHDR_ECE; break;
		case 'W': in->flags |= TCPHDR_CWR; break;
		default:
			FAIL(c, &flv->loc, "unknown TCP flag '%c' in '%s' (S, F, R, P, E for ECE, W for CWR, and A for ACK: SA, PA, FA)",
			     *f, flv->text);
		}
	}
	no_extra_words(c, st, 3);
	no_opts(c, st, allowed);
	for (guint i = 0; i < st->opts->len && !c->failed; i++) {
		const struct scn_opt *o = st->opts->pdata[i];
		const struct scn_value *v = &o->val;

		if (strcmp(o->key, "sack") == 0) {
			if (v->kind != SCN_V_RANGE || v->time_range || in->nsacks >= SKB_MAX_SACKS) {
				FAIL(c, &v->loc, "sack expects a relative range START-END (at most %d), found '%s'",
				     SKB_MAX_SACKS, v->text);
				break;
			}
			in->sack[in->nsacks][0] = (uint32_t)v->i;
			in->sack[in->nsacks][1] = (uint32_t)v->i_hi;
			in->nsacks++;
			continue;
		}
		if (strcmp(o->key, "ecn") == 0) {
			int ecn = v->kind == SCN_V_IDENT ? skb_ecn_from_name(v->text) : -1;

			if (ecn < 0) {
				FAIL(c, &v->loc, "ecn expects noecn, ect0, ect1 or ce, found '%s'", v->text);
				break;
			}
			in->ecn = (uint8_t)ecn;
			continue;
		}
		if (strcmp(o->key, "dport") == 0 && v->kind == SCN_V_IDENT && strcmp(v->text, "learn") == 0) {
			in->learn_dport = true;	/* scenario/wire_expect.c:scn_inject_learned_port */
			continue;
		}
		if (v->kind != SCN_V_INT || v->i < 0 || v->i > UINT32_MAX) {
			FAIL(c, &v->loc, "%s expects a non-negative integer, found '%s'", o->key, v->text);
			break;
		}
		if (strcmp(o->key, "sport") == 0) in->sport = (uint16_t)v->i;
		else if (strcmp(o->key, "dport") == 0) in->dport = (uint16_t)v->i;
		else if (strcmp(o->key, "seq") == 0) in->seq = (uint32_t)v->i;
		else if (strcmp(o->key, "ack") == 0) { in->ack = (uint32_t)v->i; in->has_ack = true; }
		else if (strcmp(o->key, "win") == 0) in->win = (uint32_t)v->i;
		else if (strcmp(o->key, "len") == 0) in->len = (uint32_t)v->i;
		else if (strcmp(o->key, "mss") == 0) in->mss = (uint16_t)v->i;
		else if (strcmp(o->key, "wscale") == 0) in->wscale = (uint8_t)v->i;
		else if (strcmp(o->key, "sackok") == 0) in->sack_perm = v->i != 0;
		else if (strcmp(o->key, "ts") == 0) in->ts_ok = v->i != 0;
	}
	if (!c->failed && (!in->sport || (!in->dport && !in->learn_dport)))
		FAIL(c, &flv->loc, "inject needs sport= and dport=");
}

void check_timed(struct checker *c, const struct scn_stmt *st)
{
	int proc;

	if (strcmp(st->keyword, "inject") == 0) {
		check_inject(c, st);
		return;
	}
	if (strcmp(st->keyword, "wire") == 0) {
		scn_wire_check(c, st);	/* scenario/wire_expect.c */
		return;
	}
	if (strcmp(st->keyword, "qdisc") == 0) {
		check_qdisc(c, st);	/* scenario/check_topology.c */
		return;
	}
	if (is_start_line(c->plan, st))
		return;	/* checked before the programs: check_start() */

	if (strcmp(st->keyword, "signal") == 0) {
		const struct scn_value *pv = word(c, st, 0, "a process and a signal name");
		const struct scn_value *sv = word(c, st, 1, "a signal name such as SIGALRM");
		struct plan_signal *sig;

		if (!pv || !sv)
			return;
		if (st->time.relative) {
			FAIL(c, &st->time.loc, "signal lines take an absolute time, found '%s'", st->time.text);
			return;
		}
		proc = proc_word(c, pv);
		if (!signal_from_name(sv->text))
			FAIL(c, &sv->loc, "unknown signal '%s' (expected e.g. SIGALRM, SIGKILL, SIGUSR1)", sv->text);
		no_extra_words(c, st, 2);
		if (c->failed)
			return;
		sig = g_new0(struct plan_signal, 1);
		sig->line = (int)st->loc.line;
		sig->time = st->time.t;
		sig->proc = proc;
		sig->sig = signal_from_name(sv->text);
		g_ptr_array_add(c->plan->signals, sig);
		return;
	}
	proc = find_proc(c->plan, st->keyword);
	if (proc < 0 && find_program(c->plan, st->keyword) >= 0) {
		FAIL(c, &st->kw_loc, "'%s' is a program template: its calls go inside 'program %s ... end'",
		     st->keyword, st->keyword);
		return;
	}
	if (proc >= 0 && ((struct plan_proc *)c->plan->procs->pdata[proc])->program >= 0) {
		FAIL(c, &st->kw_loc, "'%s' runs a program: its calls go inside 'program %s ... end'",
		     st->keyword, st->keyword);
		return;
	}
	if (proc < 0) {
		g_autofree char *known = name_list(c->plan->procs, offsetof(struct plan_proc, name));

		FAIL(c, &st->kw_loc, "'%s' is not a process (declared: %s); a timed line is 'TIME PROCESS CALL' or 'TIME signal PROCESS SIG'",
		     st->keyword, known);
		return;
	}
	if (!st->call) {
		FAIL(c, &st->kw_loc, "expected a syscall after process '%s', e.g. connect(c, 10.0.0.2:80)",
		     st->keyword);
		return;
	}
	no_extra_words(c, st, 0);
	check_call(c, st, proc);
	if (!c->failed)
		check_repeat(c, st, c->plan->steps->pdata[c->plan->steps->len - 1]);
}

/* ---- expectations ---- */
