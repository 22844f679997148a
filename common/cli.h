/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the socksim subcommands: exit statuses, error output,
 * argument parsing, loading a scenario, and writing files atomically.
 */
#ifndef COMMON_CLI_H
#define COMMON_CLI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli_error.h"
#include "plan.h"

enum {
	EXIT_OK = 0,		/* run: every expectation held; sweep: every run recorded */
	EXIT_EXPECT = 1,	/* run: an expectation failed; sweep/merge: a run failed */
	EXIT_USAGE = 2,		/* usage, scenario or input error */
	EXIT_LIMIT = 3,		/* run: a run limit was hit */
	EXIT_INCOMPLETE = 4,	/* sweep/merge: some runs have no record yet (resume) */
	EXIT_INTERRUPTED = 130,	/* sweep: stopped by SIGINT; finished runs kept */
};

/* "socksim: error: MESSAGE" then @usage (may be NULL); returns EXIT_USAGE. */
int cli_usage(const char *usage, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "socksim: error: MESSAGE"; returns EXIT_USAGE. */
int cli_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

bool cli_parse_u64(const char *text, uint64_t *out);

/*
 * Parse and check @path with the `--set` values @sets (sysctls and scenario
 * parameters, NULL-terminated).  NULL and the diagnostic in @error on error
 * (the scenario's SCN_ERROR and code; a misspelt --set explained).
 */
struct scn_plan *cli_load(const char *path, const char *const *sets, GError **error);

/*
 * Write @len bytes (-1: a string) to @path as output.h describes: a regular
 * file through a temporary file and rename, a character device or FIFO in
 * place, anything else refused.
 */
bool cli_write_atomically(const char *path, const char *text, gssize len, GError **error);

/* @arg quoted for a POSIX shell only when it needs quoting. */
char *cli_shell_word(const char *arg);

/* The absolute path of the running socksim binary. */
char *cli_self_exe(void);

/* "run" exit status of a results document's `exit` field; -1 if unknown. */
int cli_exit_of_kind(const char *exit_kind);

#endif
