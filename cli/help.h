/* SPDX-License-Identifier: MIT */
/*
 * The table of socksim's commands: what `socksim help`, `socksim help CMD`,
 * `CMD --help`, the man page and the bash completion say, and the options
 * each command accepts (an option not listed here is refused, with a "did
 * you mean", before the command sees it).
 */
#ifndef CLI_HELP_H
#define CLI_HELP_H

#include <stdbool.h>
#include <stdio.h>

struct cli_option {
	const char *name;	/* "--seed" */
	const char *arg;	/* "N"; NULL: a flag */
	const char *doc;
};

struct cli_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;	/* after "socksim NAME " */
	const char *summary;	/* one line */
	const struct cli_option *options;	/* NULL-terminated by name */
	const char *description;	/* paragraphs, may be NULL */
};

extern const struct cli_command cli_commands[];	/* NULL-terminated by name */

const struct cli_command *cli_command_find(const char *name);
/* `socksim help` (every command) on @out. */
void cli_help_all(FILE *out);
/* `socksim help CMD` on @out. */
void cli_help_command(const struct cli_command *cmd, FILE *out);
/* "socksim 0.1.0 (git REV)". */
void cli_print_version(FILE *out);
/*
 * Refuse an option @cmd does not take (2, with a suggestion); true when every
 * option of @argv is known.  Values of options that take one are skipped.
 */
bool cli_options_known(const struct cli_command *cmd, int argc, char **argv);

/* The commands, wherever they are implemented. */
int cmd_run(int argc, char **argv);		/* socksim.c */
int cmd_check(int argc, char **argv);		/* socksim.c */
int cmd_list_params(int argc, char **argv);	/* socksim.c */
int cmd_list_directives(int argc, char **argv);	/* list.c */
int cmd_list_syscalls(int argc, char **argv);	/* list.c */
int cmd_list_faults(int argc, char **argv);	/* list.c */
int cmd_list_errnos(int argc, char **argv);	/* list.c */
int cmd_list_counters(int argc, char **argv);	/* list.c */
int cmd_list_sysctls(int argc, char **argv);	/* list.c */
int cmd_list_profiles(int argc, char **argv);	/* list.c */
int cmd_help(int argc, char **argv);		/* help.c */

#endif
