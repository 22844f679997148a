/* SPDX-License-Identifier: MIT */
/*
 * socksim list-directives|list-syscalls|list-faults|list-errnos|
 * list-counters|list-sysctls|list-profiles: everything a scenario can name,
 * one line each, from the checker's own tables (scenario/names.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "help.h"
#include "names.h"

static int list(enum scn_names which, int argc, char **argv)
{
	g_autoptr(GPtrArray) names = NULL;
	int width = 0;

	if (argc > 0)
		return cli_error("unexpected argument '%s' (list commands take none)", argv[0]);
	names = scn_names(which);
	for (guint i = 0; i < names->len; i++)
		width = MAX(width, (int)strlen(((struct scn_name *)names->pdata[i])->usage));
	width = MIN(width, 40);
	for (guint i = 0; i < names->len; i++) {
		const struct scn_name *n = names->pdata[i];

		if ((int)strlen(n->usage) > width)
			printf("%s\n%-*s  %s\n", n->usage, width, "", n->doc ? n->doc : "");
		else
			printf("%-*s  %s\n", width, n->usage, n->doc ? n->doc : "");
	}
	return EXIT_OK;
}

int cmd_list_directives(int argc, char **argv) { return list(SCN_NAMES_DIRECTIVES, argc, argv); }
int cmd_list_syscalls(int argc, char **argv) { return list(SCN_NAMES_SYSCALLS, argc, argv); }
int cmd_list_faults(int argc, char **argv) { return list(SCN_NAMES_FAULTS, argc, argv); }
int cmd_list_errnos(int argc, char **argv) { return list(SCN_NAMES_ERRNOS, argc, argv); }
int cmd_list_counters(int argc, char **argv) { return list(SCN_NAMES_COUNTERS, argc, argv); }
int cmd_list_sysctls(int argc, char **argv) { return list(SCN_NAMES_SYSCTLS, argc, argv); }
int cmd_list_profiles(int argc, char **argv) { return list(SCN_NAMES_PROFILES, argc, argv); }
