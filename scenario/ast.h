/* SPDX-License-Identifier: MIT */
/*
 * Scenario AST: what the parser (scenario/parser.c) produces and the
 * checker/runner (scenario/check.c, run.c) consume.  The parser knows
 * only syntax; it never interprets directive names, sysctl names or syscall
 * arguments.  Every node carries the location of its first character so the
 * semantic stages can report "file:line:col: error: ...".
 *
 * A scenario is a list of statements, one per source line:
 *
 *   stmt      = [ time ] keyword { word | opt } [ call [ result ] ]
 *
 * In practice there are two shapes (see docs/scenario-language.md):
 *   directive  : "host client 10.0.0.1"          (keyword + words/opts)
 *   timed stmt : "1s cli c = connect(c, 10.0.0.2:80) = -1 ETIMEDOUT @ 131s"
 *                "1.5s signal cli SIGALRM"       (time + keyword + words)
 */
#ifndef SIM_SCENARIO_AST_H
#define SIM_SCENARIO_AST_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/time.h"

struct scn_loc {
	const char *file;	/* owned by struct scn_script (files) */
	uint32_t line;		/* 1-based */
	uint32_t col;		/* 1-based, in bytes */
};

enum scn_value_kind {
	SCN_V_IDENT,	/* client, SOCK_STREAM, O_NONBLOCK|O_CLOEXEC (text keeps '|'),
			 * net.ipv4.tcp_syn_retries, linux-6.18, host:name.x */
	SCN_V_INT,	/* 42, -1, 0x10 */
	SCN_V_TIME,	/* 1s, 1.5s, 200ms, 10us, 7ns; also +1s when relative */
	SCN_V_DECIMAL,	/* 0.01, 1%, 1e-3 is NOT accepted; ppb = value * 1e9 */
	SCN_V_STRING,	/* "text" with \" and \\ escapes; text is the decoded
			 * contents, without the quotes */
	SCN_V_ADDR,	/* 10.0.0.2 or 10.0.0.2:80; [2001:db8::1]:80, ::1 (v6) */
	SCN_V_PREFIX,	/* 10.0.0.0/24; 2001:db8::/64 (v6) */
	SCN_V_RANGE,	/* 32768-60999 style int range, or 1s..3s time range
			 * (time_range tells which) */
};

struct scn_value {
	enum scn_value_kind kind;
	struct scn_loc loc;
	char *text;		/* the source text of the value (after $param expansion) */
	int64_t i;		/* INT; RANGE of ints: lo */
	int64_t i_hi;		/* RANGE of ints: hi */
	sim_time_t t;		/* TIME; RANGE of times: lo */
	sim_time_t t_hi;	/* RANGE of times: hi */
	bool relative;		/* TIME written with a leading '+' */
	uint64_t ppb;		/* DECIMAL: parts per billion (0.5 -> 500000000) */
	uint32_t ip;		/* ADDR/PREFIX, host byte order */
	uint32_t port;		/* ADDR */
	bool has_port;		/* ADDR */
	uint32_t plen;		/* PREFIX */
	bool v6;		/* ADDR/PREFIX: an IPv6 literal (ip6, not ip) */
	uint8_t ip6[16];	/* ADDR/PREFIX with v6: network byte order */
	bool time_range;	/* RANGE: true for T1..T2 (t, t_hi), false for
				 * LO-HI (i, i_hi) */
	int64_t idx;		/* INT, ADDR (its port): inside a program, the
				 * coefficient of the instance index $i ("8000+$i":
				 * i = 8000, idx = 1); 0 elsewhere */
};

struct scn_opt {		/* key=value */
	char *key;
	struct scn_loc loc;	/* of the key */
	struct scn_value val;
};

struct scn_call {		/* [var =] name(arg, ...) */
	char *var;		/* NULL if no assignment */
	struct scn_loc var_loc;
	char *name;
	struct scn_loc loc;	/* of the name */
	GPtrArray *args;	/* struct scn_value * */
};

struct scn_result {		/* "= ret [ERRNO] [@ time [~ tol]] {opt}" */
	struct scn_loc loc;	/* of the '=' */
	struct scn_value ret;	/* always INT (may be negative: "= -1") */
	char *err;		/* errno name ("ETIMEDOUT") or NULL */
	struct scn_loc err_loc;
	bool has_at;
	struct scn_value at;	/* TIME; at.relative: relative to the call's issue time */
	bool has_tol;
	struct scn_value tol;	/* TIME */
	GPtrArray *opts;	/* struct scn_opt *: val=ECONNREFUSED revents=POLLOUT|POLLERR */
	char *var;		/* a program's condition on a variable: "n > 0" (ret is the 0) */
	struct scn_loc var_loc;
	char *cmp;		/* == != < <= > >= */
};

/*
 * What a line is: a top-level directive or timed line (SCN_B_NONE), or a
 * line of a `program NAME ... end` block (docs/scenario-language.md,
 * "Programs").  The parser checks the nesting: every block opener's
 * `match` is the index in scn_script.stmts of its `else` or `end`.
 */
enum scn_block {
	SCN_B_NONE,
	SCN_B_PROGRAM,	/* program NAME [on HOST]: words; opens */
	SCN_B_CALL,	/* [TIME] {opt} [VAR =] CALL(...) [= RESULT]; keyword NULL */
	SCN_B_LOOP,	/* loop [N] [until CALL = COND | until TIME]: words[0] N,
			 * call + cond, or until; opens */
	SCN_B_IF,	/* if COND: cond; opens */
	SCN_B_ELSE,
	SCN_B_END,
	SCN_B_ON,	/* on COND STMT: cond, then */
	SCN_B_SLEEP,	/* sleep TIME: words[0] */
	SCN_B_BREAK,
	SCN_B_CONTINUE,
	SCN_B_EXIT,
	SCN_B_SPAWN,	/* opens */
	SCN_B_FOR,	/* for VAR in EV: words VAR, in, EV; opens */
	SCN_B_SIGACTION,	/* sigaction SIG DISPOSITION [restart]: words */
};

struct scn_stmt {
	struct scn_loc loc;	/* first token of the line */
	enum scn_block block;
	guint depth;		/* blocks open around the line (0: top level) */
	guint match;		/* opener or else: index of its else/end */
	bool timed;
	struct scn_value time;	/* TIME, valid if timed */
	char *keyword;		/* directive name, or the process name of a call line;
				 * "param NAME = VALUE" lines are kept too, with
				 * opts [{NAME = effective value}] */
	struct scn_loc kw_loc;
	GPtrArray *words;	/* struct scn_value *, positional */
	GPtrArray *opts;	/* struct scn_opt * */
	struct scn_call *call;	/* NULL unless the line has a call */
	struct scn_result *result;	/* NULL unless "= ..." follows the call */
	struct scn_result *cond;	/* if, on, loop until CALL: the condition
					 * (ret.text NULL when only an errno is given) */
	struct scn_stmt *then;	/* on COND STMT: the statement */
	bool has_until;
	struct scn_value until;	/* loop until TIME */
};

struct scn_param {		/* "param name = value" and --set name=value */
	char *name;
	struct scn_loc loc;
	struct scn_value val;
	bool overridden;
};

struct scn_pkt_timing;	/* scenario/pkt.h */

struct scn_script {
	char *path;
	GPtrArray *stmts;	/* struct scn_stmt *, in file order */
	GPtrArray *params;	/* struct scn_param *, in declaration order */
	GPtrArray *strings;	/* interned file names for scn_loc.file */
	struct scn_pkt_timing *pkt;	/* a .pkt script's event times, or NULL */
	void (*pkt_free)(struct scn_pkt_timing *);
};

#define SCN_ERROR (scn_error_quark())
GQuark scn_error_quark(void);

enum scn_error_code {
	SCN_ERROR_IO,		/* file cannot be read */
	SCN_ERROR_SYNTAX,	/* lexer/parser */
	SCN_ERROR_SEMANTIC,	/* checker */
	SCN_ERROR_USAGE,	/* bad --set */
};

/*
 * Parse @path.  @overrides are "name=value" strings from --set whose name
 * has no '.' and no ':' (scenario parameters); each must name a declared
 * param, else an error "<command line>: error: unknown parameter 'x'".
 * Errors are "file:line:col: error: message" in error->message.
 */
struct scn_script *scn_parse_file(const char *path, const char *const *overrides,
				  GError **error);
struct scn_limits;
/* Same, within @lim (scenario/limit.h; NULL: the defaults): limit.file-bytes. */
struct scn_script *scn_parse_file_limited(const char *path, const char *const *overrides,
					  const struct scn_limits *lim, GError **error);
/* Same, from memory; @name is used as the file name in locations. */
struct scn_script *scn_parse_string(const char *name, const char *text,
				    const char *const *overrides, GError **error);
void scn_script_free(struct scn_script *s);

/* Helpers for the semantic stages. */
/* Sets "FILE:LINE:COL: error: MSG".  @loc NULL gives "error: MSG"; a @loc
 * with line 0 gives "FILE: error: MSG"; col 0 gives "FILE:LINE: error: MSG". */
void scn_set_error(GError **error, enum scn_error_code code,
		   const struct scn_loc *loc, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
/* The first opt named @key, or NULL. */
const struct scn_opt *scn_stmt_opt(const struct scn_stmt *st, const char *key);
/* "identifier", "integer", "time", "decimal", "string", "address",
 * "prefix", "range": for messages such as "expected a time, found a string". */
const char *scn_value_kind_name(enum scn_value_kind kind);
/* A canonical, line-oriented dump of the whole AST (tests, --dump-ast).
 * Returns a new string. */
char *scn_script_dump(const struct scn_script *s);
/* "loop", "end", ...: the keyword of a block kind ("" for SCN_B_NONE). */
const char *scn_block_name(enum scn_block b);

/* Construction helpers (parser, tests).  The arrays of a script made by
 * scn_script_new() and of statements made by the parser own their elements
 * (free functions below are installed), so scn_script_free() frees all. */
struct scn_script *scn_script_new(const char *path);
/* A copy of @str owned by @s, for scn_loc.file; equal strings share one copy. */
const char *scn_script_intern(struct scn_script *s, const char *str);
void scn_value_copy(struct scn_value *dst, const struct scn_value *src);
void scn_value_clear(struct scn_value *v);	/* frees text */
void scn_value_free(struct scn_value *v);	/* clear + g_free */
void scn_opt_free(struct scn_opt *o);
void scn_call_free(struct scn_call *c);
void scn_result_free(struct scn_result *r);
void scn_stmt_free(struct scn_stmt *st);
void scn_param_free(struct scn_param *prm);


#endif
