/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (c): the readers of JSON read back from disk.  The first byte
 * picks the reader, the rest is the file: 0 a results document as `report`
 * and `merge` turn it into a row (row_from_results), 1 a sweep.json
 * (sweep_manifest_load, as merge and sweep-resume read it), 2 a
 * summary.jsonl beside a valid sweep.json (report), 3 a results file given
 * to `report`.  Files go to a private temporary directory.
 */
#include "fuzz.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "report.h"
#include "row.h"
#include "spec.h"

static const char manifest[] =
	"{\"format\":\"socksim-sweep\",\"version\":1,\"scenario\":\"s.scn\",\"scenario_sha256\":\"0\","
	"\"vary\":[{\"key\":\"p\",\"values\":[\"0\",\"0.5\"]}],\"sets\":[],\"seeds\":2,"
	"\"connect_line\":0,\"fields\":[],\"grid_points\":2,\"runs\":4,\"columns\":[]}\n";

static void put(const char *dir, const char *name, const char *text, gsize len)
{
	g_autofree char *p = g_build_filename(dir, name, NULL);

	g_file_set_contents(p, text, (gssize)len, NULL);
}

static void load_report_input(const char *path)
{
	struct report r = { .inputs = g_ptr_array_new_with_free_func((GDestroyNotify)report_input_free) };
	g_autoptr(GError) err = NULL;

	report_load_input(&r, path, &err);
	g_ptr_array_free(r.inputs, TRUE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *dir = NULL;
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) none = g_ptr_array_new();

	fuzz_strict_glib();
	if (size < 1)
		return 0;
	text = fuzz_string(data + 1, size - 1);
	dir = g_dir_make_tmp("socksim-fuzz-XXXXXX", NULL);
	if (!dir)
		return 0;
	switch (data[0] % 4) {
	case 0: {
		struct row_ctx ctx = { .keys = none, .values = NULL, .fields = none };

		g_free(row_from_results(&ctx, "r.json", text, &err));
		break;
	}
	case 1:
		put(dir, "sweep.json", text, strlen(text));
		sweep_spec_free(sweep_manifest_load(dir, &err));
		break;
	case 2:
		put(dir, "sweep.json", manifest, sizeof(manifest) - 1);
		put(dir, "summary.jsonl", text, strlen(text));
		load_report_input(dir);
		break;
	default: {
		g_autofree char *p = g_build_filename(dir, "r.json", NULL);

		put(dir, "r.json", text, strlen(text));
		load_report_input(p);
		break;
	}
	}
	{
		const char *names[] = { "sweep.json", "summary.jsonl", "r.json" };

		for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
			g_autofree char *p = g_build_filename(dir, names[i], NULL);

			g_unlink(p);
		}
	}
	g_rmdir(dir);
	return 0;
}
