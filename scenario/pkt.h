/* SPDX-License-Identifier: MIT */
/*
 * Not kernel code: the packetdrill front end (docs/scenario-language.md,
 * "packetdrill scripts").  A .pkt script is read with packetdrill's
 * semantics and turned into a scenario: the local stack under test
 * (192.168.0.1, one process), a scripted remote peer (192.0.2.1) whose
 * inbound packets become `inject` lines, outbound packets `wire ... out`
 * expectations with packetdrill's tolerance, syscalls process lines with
 * their return values and times, backtick sysctls `sysctl` lines and
 * %{ assert tcpi_X == V }% blocks getsockopt(TCP_INFO) checks.  Every
 * statement keeps the .pkt file's line and column, so errors and failed
 * expectations name the script's own lines.
 */
#ifndef SIM_SCENARIO_PKT_H
#define SIM_SCENARIO_PKT_H

#include <stdbool.h>

#include "ast.h"

#include "sim/time.h"

/*
 * packetdrill times its events at run time (run.c:adjust_relative_event_times):
 * a relative time ("+T", "*", "+T1~+T2") counts from when the previous event
 * was actually done — for an outbound packet, when it was sniffed — except an
 * inbound packet after an inbound packet, which counts from that packet's
 * time.  The translation's statements carry the script's nominal times; this
 * is what the runner (scenario/pkt_run.c) needs to redo it: every event, in
 * script order.  The k-th INJECT is plan->injects[k], the k-th CALL the k-th
 * step (of process app), the k-th OUT plan->wire->exps[k], the k-th QDISC
 * (a `tc qdisc` command) the k-th timed plan->qdiscs.
 */
enum scn_pkt_ev_kind { SCN_PKT_INJECT, SCN_PKT_CALL, SCN_PKT_OUT, SCN_PKT_QDISC };

struct scn_pkt_ev {
	enum scn_pkt_ev_kind kind;
	int line;
	bool relative;		/* "+T": t (and t_end, end) are offsets */
	bool any;		/* "*" */
	bool range;		/* "T1~T2": t .. t_end */
	bool blocking;		/* a call "...END": end */
	bool check_time;	/* a call whose return time is checked (not a %{ }% block) */
	sim_time_t t, t_end, end;
};

struct scn_pkt_timing {
	GArray *evs;		/* struct scn_pkt_ev, in script order */
	sim_time_t tol;		/* --tolerance_usecs, ns */
	uint64_t tol_ppm;	/* --tolerance_percent, parts per million */
};

/*
 * Same-instant events are issued 1 ns apart, in script order: @t as the next
 * event of its instant (*@group_t, *@group_n events before it; *@group_n is
 * UINT64_MAX before the first event).
 */
static inline sim_time_t scn_pkt_sched(sim_time_t *group_t, uint64_t *group_n, sim_time_t t)
{
	if (t == *group_t && *group_n != UINT64_MAX) {
		++*group_n;
	} else {
		*group_t = t;
		*group_n = 0;
	}
	return t + *group_n;
}

struct scn_pkt_timing *scn_pkt_timing_copy(const struct scn_pkt_timing *t);
void scn_pkt_timing_free(struct scn_pkt_timing *t);

/* Does @path name a packetdrill script (ends in .pkt)? */
bool scn_is_pkt_path(const char *path);

/*
 * Read the packetdrill script @path.  @params are --set NAME=VALUE entries
 * without a '.': tolerance_usecs=N and tolerance_percent=P (packetdrill's
 * --tolerance_usecs, default 4000, and --tolerance_percent, default 12.5).
 * Errors: "FILE:LINE:COL: error: ..." (SCN_ERROR_SYNTAX; "not supported: ..."
 * for what socksim does not model).
 */
struct scn_script *scn_pkt_parse_file(const char *path, const char *const *params, GError **error);
struct scn_script *scn_pkt_parse_string(const char *name, const char *text,
					const char *const *params, GError **error);

/* The scenario text a script becomes (socksim check FILE.pkt --emit-scn, tests). */
char *scn_pkt_translate(const char *name, const char *text, const char *const *params,
			GError **error);

#endif
