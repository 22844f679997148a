/* SPDX-License-Identifier: MIT */
/* The subcommands beyond run/check/list-params; each returns an exit status (cli.h). */
#ifndef SIM_CLI_COMMANDS_H
#define SIM_CLI_COMMANDS_H

int cmd_sweep(int argc, char **argv);	/* sweep.c */
int cmd_task(int argc, char **argv);	/* task.c: one run of a sweep */
int cmd_merge(int argc, char **argv);	/* summary.c */
int cmd_report(int argc, char **argv);	/* report.c */

#endif
