/* SPDX-License-Identifier: MIT */
/*
 * scn-parse-check [--set NAME=VALUE]... FILE
 *
 * Parses FILE with the scenario parser and prints either the canonical AST
 * dump (exit 0) or the one-line error message (exit 1) on stdout.  Used by
 * run_errors.py for the golden tests in errors/ and good/.
 */
#include <stdio.h>
#include <string.h>

#include "ast.h"

int main(int argc, char **argv)
{
	GPtrArray *sets = g_ptr_array_new();
	const char *path = NULL;
	struct scn_script *s;
	GError *error = NULL;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--set") == 0 && i + 1 < argc) {
			g_ptr_array_add(sets, argv[++i]);
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: %s [--set NAME=VALUE]... FILE\n", argv[0]);
			g_ptr_array_unref(sets);
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--set NAME=VALUE]... FILE\n", argv[0]);
		g_ptr_array_unref(sets);
		return 2;
	}
	g_ptr_array_add(sets, NULL);
	s = scn_parse_file(path, (const char *const *)sets->pdata, &error);
	if (s) {
		char *dump = scn_script_dump(s);

		fputs(dump, stdout);
		g_free(dump);
		scn_script_free(s);
		rc = 0;
	} else {
		printf("%s\n", error->message);
		g_error_free(error);
		rc = 1;
	}
	g_ptr_array_unref(sets);
	return rc;
}
