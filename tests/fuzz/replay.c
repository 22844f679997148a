/* SPDX-License-Identifier: MIT */
/*
 * Replays inputs through a fuzz target without libFuzzer: every regular
 * file named on the command line or found (recursively) in a directory
 * named there, in sorted order.  Used by ctest so that the corpus and
 * every past crash are regression tests in every build (tests/fuzz/fuzz.h).
 * "--ext .scn" makes the directories named after it replay only files
 * ending so.
 */
#include "fuzz.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static gint by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned replay_path(const char *path, const char *ext, bool top)
{
	unsigned n = 0;

	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
		const char *name;

		while (d && (name = g_dir_read_name(d)))
			g_ptr_array_add(names, g_build_filename(path, name, NULL));
		g_ptr_array_sort(names, by_name);
		for (unsigned i = 0; i < names->len; i++)
			n += replay_path(names->pdata[i], ext, false);
		return n;
	}
	if (!top && ext && !g_str_has_suffix(path, ext))
		return 0;
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_autofree char *data = NULL;
		gsize len;

		if (!g_file_get_contents(path, &data, &len, NULL)) {
			fprintf(stderr, "replay: cannot read %s\n", path);
			return 0;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ext = NULL;
	unsigned n = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ext") == 0 && i + 1 < argc) {
			ext = argv[++i];
			continue;
		}
		n += replay_path(argv[i], ext, true);
	}
	printf("replayed %u inputs\n", n);
	return n ? 0 : 1;
}
