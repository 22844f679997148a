/* SPDX-License-Identifier: MIT */
/*
 * The merged summary (summary.h) and `socksim merge DIR... [--out DIR]`,
 * which combines sweep directories that ran parts of one sweep (a cluster's
 * nodes, GNU parallel, a Slurm array) into the summary a local sweep writes.
 */
#include "summary.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_read.h"
#include "commands.h"
#include "row.h"

static char *record_path(const char *dir, uint64_t grid, uint64_t seed)
{
	g_autofree char *stem = sweep_run_stem(grid, seed);
	g_autofree char *name = g_strconcat(stem, ".json", NULL);

	return g_build_filename(dir, "runs", name, NULL);
}

bool summary_has_record(const char *dir, uint64_t grid, uint64_t seed)
{
	g_autofree char *path = record_path(dir, grid, seed);

	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* The record of one run from the first directory that has it; NULL if none, or NULL and @error. */
static char *find_record(const GPtrArray *dirs, uint64_t grid, uint64_t seed, char **path_out,
			 GError **error)
{
	char *text = NULL;

	for (guint i = 0; i < dirs->len; i++) {
		g_autofree char *path = record_path(dirs->pdata[i], grid, seed);
		g_autofree char *other = NULL;

		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		if (!g_file_get_contents(path, &other, NULL, error)) {
			g_free(text);
			return NULL;
		}
		if (!text) {
			text = g_steal_pointer(&other);
			*path_out = g_steal_pointer(&path);
		} else if (strcmp(text, other) != 0) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s and %s differ: two different runs under one name",
				    *path_out, path);
			g_free(text);
			return NULL;
		}
	}
	return text;
}

void summary_count(struct summary_counts *c, const char *outcome)
{
	c->runs++;
	if (g_strcmp0(outcome, "ok") == 0)
		c->ok++;
	else if (g_strcmp0(outcome, "expectation-failed") == 0)
		c->expect++;
	else if (g_strcmp0(outcome, "run-limit") == 0)
		c->limit++;
	else if (g_strcmp0(outcome, "missing") == 0)
		c->missing++;
	else
		c->failed++;
}

/* Parse one row and check it is the run it should be. */
static struct jd_doc *parse_row(const char *text, const char *path, uint64_t grid, uint64_t seed, GError **error)
{
	g_autoptr(jd_doc) doc = jr_parse(path, 1, NULL, text, -1, error);
	struct json_read jr = { .path = path, .line = 1 };
	struct jd_node *o;

	if (!doc)
		return NULL;
	o = jd_is_object(jd_root(doc)) ? jd_root(doc) : NULL;
	jr_str(&jr, o, "outcome", NULL);	/* type-checked: summary_count() reads it */
	if (jr.error) {
		g_propagate_error(error, jr.error);
		return NULL;
	}
	if (!o || jr_int(&jr, o, "grid", -1) != (gint64)grid || jr_int(&jr, o, "seed", -1) != (gint64)seed ||
	    strchr(text, '\n') != text + strlen(text) - 1) {
		g_clear_error(&jr.error);
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:1:1: not the one-line record of grid %"
			    G_GUINT64_FORMAT " seed %" G_GUINT64_FORMAT, path, grid, seed);
		return NULL;
	}
	return g_steal_pointer(&doc);
}

bool summary_has_valid_record(const char *dir, uint64_t grid, uint64_t seed)
{
	g_autofree char *path = record_path(dir, grid, seed);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(jd_doc) doc = NULL;

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return false;
	if (!g_file_get_contents(path, &text, NULL, &error))
		g_prefix_error(&error, "%s: ", path);
	else
		doc = parse_row(text, path, grid, seed, &error);
	if (doc)
		return true;
	fprintf(stderr, "sweep: warning: %s; removing the record to run it again\n", error->message);
	if (g_unlink(path) != 0 && errno != ENOENT)
		fprintf(stderr, "sweep: warning: cannot remove '%s': %s\n", path, g_strerror(errno));
	return false;
}

static char *missing_row(const struct sweep_spec *s, uint64_t grid, uint64_t seed)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	g_autofree const char **vals = g_new(const char *, s->axes->len + 1);

	for (guint i = 0; i < s->axes->len; i++)
		g_ptr_array_add(keys, ((struct grid_axis *)s->axes->pdata[i])->key);
	grid_point(s->axes, grid, vals);
	return row_without_results(&(struct row_ctx){
		.grid = grid, .seed = seed, .keys = keys, .values = vals, .fields = s->fields,
	}, "missing", -1, "no record: not run yet, or its worker was stopped (resume the sweep)");
}

static bool write_out(const char *out_dir, const char *name, GString *text, GError **error)
{
	g_autofree char *path = g_build_filename(out_dir, name, NULL);

	return cli_write_atomically(path, text->str, (gssize)text->len, error);
}

bool summary_write(const struct sweep_spec *s, const GPtrArray *dirs, const char *out_dir,
		   struct summary_counts *c, GError **error)
{
	g_autoptr(GPtrArray) cols = sweep_columns(s);
	g_autoptr(GString) csv = g_string_new(NULL);
	g_autoptr(GString) jsonl = g_string_new(NULL);
	uint64_t points = grid_size(s->axes);

	memset(c, 0, sizeof(*c));
	row_append_csv_header(csv, cols);
	for (uint64_t g = 0; g < points; g++) {
		for (uint64_t seed = 1; seed <= s->seeds; seed++) {
			GError *find_error = NULL;
			g_autofree char *path = NULL;
			g_autofree char *text = find_record(dirs, g, seed, &path, &find_error);
			g_autoptr(jd_doc) doc = NULL;
			struct jd_node *row;

			if (find_error) {
				g_propagate_error(error, find_error);
				return false;
			}
			if (!text)
				text = missing_row(s, g, seed);
			doc = parse_row(text, path ? path : "(missing row)", g, seed, error);
			if (!doc)
				return false;
			row = jd_root(doc);
			summary_count(c, jr_str(&(struct json_read){ .path = path, .line = 1 }, row, "outcome", NULL));
			row_append_csv(csv, row, cols);
			g_string_append(jsonl, text);
		}
	}
	return write_out(out_dir, "summary.csv", csv, error) && write_out(out_dir, "summary.jsonl", jsonl, error);
}

int summary_report(const char *what, const struct summary_counts *c, const char *out_dir)
{
	g_autofree char *csv = g_build_filename(out_dir, "summary.csv", NULL);

	fprintf(stderr, "%s: %" G_GUINT64_FORMAT " runs: %" G_GUINT64_FORMAT " ok, %" G_GUINT64_FORMAT
		" expectation-failed, %" G_GUINT64_FORMAT " run-limit, %" G_GUINT64_FORMAT " failed, %"
		G_GUINT64_FORMAT " missing -> %s\n", what, c->runs, c->ok, c->expect, c->limit, c->failed,
		c->missing, csv);
	if (c->missing) {
		fprintf(stderr, "%s: incomplete: %" G_GUINT64_FORMAT " runs have no record yet\n", what, c->missing);
		return EXIT_INCOMPLETE;
	}
	return c->failed ? EXIT_EXPECT : EXIT_OK;
}

/* --- socksim merge ------------------------------------------------------------ */

static const char merge_usage[] = "usage: socksim merge DIR... [--out DIR]\n";

/* A new output directory gets the manifest and the scenario copy, so `report` can read it. */
static bool prepare_out(const char *out, const char *first, const struct sweep_spec *s, GError **error)
{
	static const char *const copied[] = { "sweep.json", NULL };

	if (g_mkdir_with_parents(out, 0777) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot create '%s': %s", out, g_strerror(errno));
		return false;
	}
	for (int i = 0; i < 2; i++) {
		const char *name = i == 0 ? copied[0] : s->scenario;
		g_autofree char *src = g_build_filename(first, name, NULL);
		g_autofree char *dst = g_build_filename(out, name, NULL);
		g_autofree char *text = NULL;
		gsize len;

		if (!g_file_get_contents(src, &text, &len, error))
			return false;
		if (!cli_write_atomically(dst, text, (gssize)len, error))
			return false;
	}
	return true;
}

int cmd_merge(int argc, char **argv)
{
	g_autoptr(GPtrArray) dirs = g_ptr_array_new();
	g_autoptr(sweep_spec) spec = NULL;
	g_autofree char *manifest = NULL;
	g_autoptr(GError) error = NULL;
	const char *out = NULL;
	struct summary_counts c;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] == '-')
			return cli_usage(merge_usage, "unknown option '%s'", argv[i]);
		else
			g_ptr_array_add(dirs, argv[i]);
	}
	if (dirs->len == 0)
		return cli_usage(merge_usage, "%s", "merge needs at least one sweep directory");
	for (guint i = 0; i < dirs->len; i++) {
		g_autoptr(sweep_spec) s = sweep_manifest_load(dirs->pdata[i], &error);
		g_autofree char *text = s ? sweep_manifest_json(s) : NULL;

		if (!s)
			return cli_error("%s", error->message);
		if (manifest && strcmp(manifest, text) != 0)
			return cli_error("%s and %s hold different sweeps (their sweep.json differ)",
					 (char *)dirs->pdata[0], (char *)dirs->pdata[i]);
		if (!manifest) {
			manifest = g_steal_pointer(&text);
			spec = g_steal_pointer(&s);
		}
	}
	if (!out) {
		out = dirs->pdata[0];
	} else if (g_file_test(out, G_FILE_TEST_EXISTS)) {
		g_autoptr(sweep_spec) s = sweep_manifest_load(out, NULL);	/* any error: not this sweep */
		g_autofree char *text = s ? sweep_manifest_json(s) : NULL;

		if (!text || strcmp(text, manifest) != 0)
			return cli_error("--out %s exists and is not this sweep's directory; "
					 "choose a new or empty directory", out);
	} else if (!prepare_out(out, dirs->pdata[0], spec, &error)) {
		return cli_error("%s", error->message);
	}
	if (!summary_write(spec, dirs, out, &c, &error))
		return cli_error("%s", error->message);
	return summary_report("merge", &c, out);
}
