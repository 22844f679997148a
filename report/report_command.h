/* SPDX-License-Identifier: MIT */
/* `socksim report`; returns an exit status (cli.h). */
#ifndef REPORT_COMMAND_H
#define REPORT_COMMAND_H

int cmd_report(int argc, char **argv);	/* report.c */

#endif
