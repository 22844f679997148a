/* SPDX-License-Identifier: MIT */
/*
 * Everything a scenario can name, for `socksim list-*` and "did you mean":
 * each list is read from the table the checker itself uses (directives from
 * check.c, syscalls from check_calls.c, fault kinds from check_topology.c and
 * vsock.c, errnos from linux/errno_names.h, counters from env/world.h and
 * env/vsock.h, sysctls from net/net_namespace.h, profiles from
 * net/profile.h); names.c only adds the one-line description of each.
 */
#ifndef SIM_SCENARIO_NAMES_H
#define SIM_SCENARIO_NAMES_H

#include <glib.h>

enum scn_names {
	SCN_NAMES_DIRECTIVES, SCN_NAMES_SYSCALLS, SCN_NAMES_FAULTS, SCN_NAMES_ERRNOS,
	SCN_NAMES_COUNTERS, SCN_NAMES_SYSCTLS, SCN_NAMES_PROFILES,
};

struct scn_name {
	char *name;		/* "connect", "TCPSynRetrans", "ETIMEDOUT" */
	char *usage;		/* how a scenario writes it: "connect(FD, ADDR...)", "HOST.TCPSynRetrans" */
	const char *doc;	/* one line; NULL when names.c has none (a test catches it) */
};

/* The names of one kind, in table order (GPtrArray of struct scn_name *; unref it). */
GPtrArray *scn_names(enum scn_names which);
/* " (did you mean 'X'?)" when @name is close to a name of @which, else "".  Free it. */
char *scn_names_hint(enum scn_names which, const char *name);

/* The hint for option @key of fault @kind (its own keys and the common ones). */
char *scn_fault_option_hint(const char *kind, const char *key);
/* The hint for an unknown counter: HOST.NAME, packets.SET.KIND or vsock.SET.OP. */
char *scn_counter_hint(const char *counter);

/*
 * @message, the error of loading a scenario with the --set values @sets, with
 * a note for a --set NAME=VALUE the scenario does not declare when NAME is
 * (close to) the last part of a sysctl: tcp_syn_retries -> net.ipv4.tcp_syn_retries.
 */
char *scn_explain_set_error(const char *message, const char *const *sets);

/* The tables, one entry at a time (NULL past the end). */
const char *scn_directive_at(guint i);				/* check.c */
const char *scn_syscall_at(guint i, const char **usage);	/* check_calls.c */

#endif
