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
#include "net/profile.h"

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

/* The profiles by version, oldest first (kernel_profile_all puts the default first). */
static gint by_version(gconstpointer a, gconstpointer b)
{
	const struct kernel_profile *pa = *(const struct kernel_profile *const *)a;
	const struct kernel_profile *pb = *(const struct kernel_profile *const *)b;

	return (pa->version > pb->version) - (pa->version < pb->version);
}

/* list-profiles: the names (as the other lists), then the profile-flag
 * registry as a table, flags x profiles (models/include/net/profile_flags.h). */
int cmd_list_profiles(int argc, char **argv)
{
	g_autoptr(GPtrArray) profs = g_ptr_array_new();
	const struct profile_flag *f;
	size_t n, width = strlen("flag");
	int rc = list(SCN_NAMES_PROFILES, argc, argv);

	if (rc != EXIT_OK)
		return rc;
	for (const struct kernel_profile *const *p = kernel_profile_all(); *p; p++)
		g_ptr_array_add(profs, (gpointer)*p);
	g_ptr_array_sort(profs, by_version);
	f = kernel_profile_flags(&n);
	for (size_t i = 0; i < n; i++)
		width = MAX(width, strlen(f[i].name));
	printf("\nBehaviour flags (models/include/net/profile_flags.h; evidence in docs/kernel-versions.md):\n"
	       "the value in each profile; 'first' is the first mainline release with the linux-6.18\n"
	       "value; a long-term profile models the branch's latest stable release, which may\n"
	       "have the change as a backport (marked *) or a middle form (marked +).\n\n");
	printf("%-*s", (int)width, "flag");
	for (guint j = 0; j < profs->len; j++)
		printf("  %-10s", ((const struct kernel_profile *)profs->pdata[j])->name + strlen("linux-"));
	printf("  %-6s  %-10s  %s\n", "first", "confidence", "source");
	for (size_t i = 0; i < n; i++) {
		printf("%-*s", (int)width, f[i].name);
		for (guint j = 0; j < profs->len; j++) {
			const struct kernel_profile *p = profs->pdata[j];
			int v = kernel_profile_flag_value(&f[i], p);
			char buf[16], cell[24];

			snprintf(cell, sizeof(cell), "%s%s", kernel_profile_flag_text(&f[i], v, buf),
				 (f[i].override_in & p->branch) ? "+" :
				 (f[i].backports & p->branch) && p->version < f[i].first ? "*" : "");
			printf("  %-10s", cell);
		}
		printf("  %d.%-4d  %-10s  %s\n", f[i].first / 1000, f[i].first % 1000,
		       f[i].confidence == SOURCED ? "sourced" : "assumed", f[i].source);
		printf("%-*s    %s\n", (int)width, "", f[i].doc);
	}
	return EXIT_OK;
}
