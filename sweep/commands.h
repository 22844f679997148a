/* SPDX-License-Identifier: MIT */
/* The subcommands this folder implements; each returns an exit status (cli.h). */
#ifndef SWEEP_COMMANDS_H
#define SWEEP_COMMANDS_H

int cmd_sweep(int argc, char **argv);	/* sweep.c */
int cmd_task(int argc, char **argv);	/* task.c: one run of a sweep */
int cmd_merge(int argc, char **argv);	/* summary.c */

#endif
