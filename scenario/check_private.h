/* SPDX-License-Identifier: MIT */
/*
 * The checker's shared state and helpers (scenario/check*.c).  Each
 * check_* function handles one kind of statement and reports the first
 * error against the offending token.
 */
#ifndef SIM_SCENARIO_CHECK_PRIVATE_H
#define SIM_SCENARIO_CHECK_PRIVATE_H

#include "plan.h"

struct checker {
	GPtrArray *assigned;	/* "proc\nvar" of every variable a call binds, so far */
	GHashTable *started;	/* names of the programs `start` lines name: templates */
	struct plan_program *prog;	/* the program whose lines are being checked, or NULL */
	guint prog_index;
	const struct scn_script *script;
	struct scn_plan *plan;
	GError **error;
	bool failed;
};

#define FAIL(c, loc, ...) \
	do { \
		if (!(c)->failed) \
			scn_set_error((c)->error, SCN_ERROR_SEMANTIC, (loc), __VA_ARGS__); \
		(c)->failed = true; \
	} while (0)

/*
 * The result @ok of a check done elsewhere (vsock.c) that reports through
 * c->error itself: a failure sticks, a success never clears an earlier one.
 */
static inline bool check_ok(struct checker *c, bool ok)
{
	if (!ok)
		c->failed = true;
	return ok;
}

/* check_values.c */
bool constant_value(const char *name, int64_t *val);
bool value_int(struct checker *c, const struct scn_value *v, int64_t *out);
bool value_time(struct checker *c, const struct scn_value *v, sim_time_t *out);
bool value_ppb(struct checker *c, const struct scn_value *v, uint64_t *out);
int find_host(const struct scn_plan *p, const char *name);
int find_proc(const struct scn_plan *p, const char *name);
int find_host_addr(const struct scn_plan *p, uint32_t addr);	/* index, or -1 */
/* Is @have (objects so far) below limit @l?  Else FAIL at @loc naming the limit. */
bool check_count_limit(struct checker *c, const struct scn_loc *loc, enum scn_limit l, guint have,
		       const char *what);
/* May the program being checked get one more variable (limit.variables)?  Else FAIL at @loc. */
bool check_program_var_limit(struct checker *c, const struct scn_loc *loc);
void plan_add_host(struct scn_plan *p, struct plan_host *h);
void plan_add_proc(struct scn_plan *p, struct plan_proc *pr);
char *name_list(GPtrArray *arr, size_t name_off);
int host_word(struct checker *c, const struct scn_value *v);
int proc_word(struct checker *c, const struct scn_value *v);
const struct scn_value *word(struct checker *c, const struct scn_stmt *st, guint i, const char *what);
void no_extra_words(struct checker *c, const struct scn_stmt *st, guint n);
void no_opts(struct checker *c, const struct scn_stmt *st, const char *const *allowed);
void check_qdisc(struct checker *c, const struct scn_stmt *st);

/* check_topology.c */
void check_host(struct checker *c, const struct scn_stmt *st);
void check_link(struct checker *c, const struct scn_stmt *st);
void check_route(struct checker *c, const struct scn_stmt *st);
void check_sysctl(struct checker *c, const struct scn_stmt *st);
void check_fault(struct checker *c, const struct scn_stmt *st);
const struct sysctl_desc *resolve_sysctl(const struct scn_plan *p, const char *key, int *host,
					 GError **error);
void add_sysctl(struct checker *c, const char *key, char *value, const struct scn_loc *loc);

/* check_process.c */
int check_name_on_host(struct checker *c, const struct scn_stmt *st, const char *kind,
		       const struct scn_value **name);
void check_process(struct checker *c, const struct scn_stmt *st);
void check_thread(struct checker *c, const struct scn_stmt *st);
void check_sigaction(struct checker *c, const struct scn_stmt *st);
void check_lsm(struct checker *c, const struct scn_stmt *st);

/* check_calls.c */
void check_timed(struct checker *c, const struct scn_stmt *st);
void check_call(struct checker *c, const struct scn_stmt *st, int proc);
int program_var(const struct plan_program *prog, const char *name);
int check_disposition(struct checker *c, const struct scn_stmt *st, guint first, struct k_sigaction *ka);

/* check_program.c */
bool is_start_line(const struct scn_plan *p, const struct scn_stmt *st);
int find_program(const struct scn_plan *p, const char *name);
void check_program_decl(struct checker *c, const struct scn_stmt *st);
void check_start(struct checker *c, const struct scn_stmt *st);
void check_program_body(struct checker *c, guint header);
void plan_program_free(struct plan_program *prog);

/* check_expect.c */
void check_expect(struct checker *c, const struct scn_stmt *st);

#endif
