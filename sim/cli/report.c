/* SPDX-License-Identifier: MIT */
#include "cli.h"
#include "commands.h"
int cmd_report(int argc, char **argv) { return cli_error("%s", "todo"); }
