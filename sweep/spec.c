/* SPDX-License-Identifier: MIT */
/* The sweep manifest (spec.h). */
#include "spec.h"

#include <string.h>

#include "json.h"
#include "json_read.h"
#include "row.h"

struct sweep_spec *sweep_spec_new(void)
{
	struct sweep_spec *s = g_new0(struct sweep_spec, 1);

	s->axes = g_ptr_array_new_with_free_func((GDestroyNotify)grid_axis_free);
	s->sets = g_ptr_array_new_with_free_func(g_free);
	s->fields = g_ptr_array_new_with_free_func(g_free);
	s->seeds = 1;
	return s;
}

void sweep_spec_free(struct sweep_spec *s)
{
	if (!s)
		return;
	g_free(s->scenario);
	g_free(s->scenario_sha256);
	g_ptr_array_free(s->axes, TRUE);
	g_ptr_array_free(s->sets, TRUE);
	g_ptr_array_free(s->fields, TRUE);
	g_free(s);
}

uint64_t sweep_spec_runs(const struct sweep_spec *s)
{
	uint64_t g = grid_size(s->axes);

	if (!g || s->seeds == 0 || s->seeds > SWEEP_MAX_SEEDS || g > SWEEP_MAX_RUNS / s->seeds)
		return 0;
	return g * s->seeds;
}

static void json_strings(struct json *j, const char *key, const GPtrArray *a)
{
	json_begin_array(j, key);
	for (guint i = 0; i < a->len; i++)
		json_str(j, NULL, a->pdata[i]);
	json_end_array(j);
}

static char *manifest_json(const struct sweep_spec *s, bool generator)
{
	g_autoptr(GPtrArray) cols = sweep_columns(s);
	struct json j;

	json_init(&j, true);
	json_begin_object(&j, NULL);
	json_str(&j, "format", "socksim-sweep");
	json_int(&j, "version", 1);
	if (generator)
		scn_json_generator(&j);
	json_str(&j, "scenario", s->scenario);
	json_str(&j, "scenario_sha256", s->scenario_sha256);
	json_begin_array(&j, "vary");
	for (guint i = 0; i < s->axes->len; i++) {
		const struct grid_axis *a = s->axes->pdata[i];

		json_begin_object(&j, NULL);
		json_str(&j, "key", a->key);
		json_strings(&j, "values", a->values);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_strings(&j, "sets", s->sets);
	json_uint(&j, "seeds", s->seeds);
	json_uint(&j, "connect_line", s->connect_line);
	json_strings(&j, "fields", s->fields);
	json_uint(&j, "grid_points", grid_size(s->axes));
	json_uint(&j, "runs", sweep_spec_runs(s));
	json_strings(&j, "columns", cols);
	json_end_object(&j);
	return json_finish(&j);
}

char *sweep_manifest_json(const struct sweep_spec *s)
{
	return manifest_json(s, false);
}

char *sweep_manifest_file_json(const struct sweep_spec *s)
{
	return manifest_json(s, true);
}

static bool load_strings(struct json_read *jr, const struct jd_node *o, const char *key, GPtrArray *out)
{
	struct jd_node *a = jr_array(jr, o, key);

	for (guint i = 0; i < jd_len(a); i++) {
		const char *v = jr_elem_str(jr, a, i, key);

		if (!v)
			return false;
		g_ptr_array_add(out, g_strdup(v));
	}
	return a != NULL;
}

static bool load_axes(struct json_read *jr, const struct jd_node *o, GPtrArray *axes)
{
	struct jd_node *vary = jr_array(jr, o, "vary");

	for (guint i = 0; i < jd_len(vary); i++) {
		struct jd_node *ax = jr_elem_object(jr, vary, i, "vary");
		const char *key = jr_str(jr, ax, "key", NULL);
		struct grid_axis *a;

		if (!key)
			return false;
		a = grid_axis_new(key);
		g_ptr_array_add(axes, a);
		if (!load_strings(jr, ax, "values", a->values) || a->values->len == 0)
			return false;
	}
	return vary != NULL;
}

/* Every field is type-checked (common/json_read.h); --field specs re-checked as on the command line. */
static struct sweep_spec *spec_from_json(struct json_read *jr, const struct jd_doc *doc)
{
	g_autoptr(sweep_spec) s = sweep_spec_new();
	struct jd_node *o = jr_root_object(jr, doc);
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	GError *names_error = NULL;
	int64_t seeds, line;

	if (!o || g_strcmp0(jr_str(jr, o, "format", ""), "socksim-sweep") != 0 || jr_int(jr, o, "version", 0) != 1)
		return NULL;
	s->scenario = g_strdup(jr_str(jr, o, "scenario", NULL));
	s->scenario_sha256 = g_strdup(jr_str(jr, o, "scenario_sha256", NULL));
	seeds = jr_int(jr, o, "seeds", 0);
	line = jr_int(jr, o, "connect_line", 0);
	s->seeds = seeds > 0 ? (uint64_t)seeds : 0;
	s->connect_line = line > 0 ? (uint64_t)line : 0;
	if (!s->scenario || strchr(s->scenario, '/') || !s->scenario_sha256 || s->seeds == 0 ||
	    !jd_get(o, "vary") || !load_axes(jr, o, s->axes) || !sweep_spec_runs(s) ||
	    !load_strings(jr, o, "sets", s->sets) || !load_strings(jr, o, "fields", s->fields))
		return NULL;
	for (guint i = 0; i < s->axes->len; i++)
		g_ptr_array_add(keys, ((struct grid_axis *)s->axes->pdata[i])->key);
	if (!row_check_names(keys, s->fields, &names_error)) {
		/* The message names no file; it replaces a type error the checks above let pass. */
		g_clear_error(&jr->error);
		g_propagate_prefixed_error(&jr->error, names_error, "%s:1:1: ", jr->path);
		return NULL;
	}
	return g_steal_pointer(&s);
}

struct sweep_spec *sweep_manifest_load(const char *dir, GError **error)
{
	g_autofree char *path = g_build_filename(dir, "sweep.json", NULL);
	g_autoptr(jd_doc) doc = NULL;
	struct json_read jr = { .path = path, .line = 1 };
	struct sweep_spec *s;

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s: no sweep here (missing sweep.json)", dir);
		return NULL;
	}
	doc = jr_load_file(path, error);
	if (!doc)
		return NULL;
	s = spec_from_json(&jr, doc);
	if (!s && jr.error)
		g_propagate_error(error, g_steal_pointer(&jr.error));
	else if (!s)
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:1:1: not a socksim sweep manifest (version 1)",
			    path);
	g_clear_error(&jr.error);
	return s;
}

char *sweep_run_stem(uint64_t grid, uint64_t seed)
{
	return g_strdup_printf("g%06" G_GUINT64_FORMAT "-s%05" G_GUINT64_FORMAT, grid, seed);
}

static void add_opt(GPtrArray *args, const char *opt, char *val)
{
	g_ptr_array_add(args, g_strdup(opt));
	g_ptr_array_add(args, val);
}

GPtrArray *sweep_task_args(const struct sweep_spec *s, uint64_t grid, uint64_t seed,
			   bool keep_results)
{
	GPtrArray *args = g_ptr_array_new_with_free_func(g_free);
	g_autofree const char **vals = g_new(const char *, s->axes->len + 1);
	g_autofree char *stem = sweep_run_stem(grid, seed);

	grid_point(s->axes, grid, vals);
	g_ptr_array_add(args, g_strdup("task"));
	g_ptr_array_add(args, g_strdup(s->scenario));
	add_opt(args, "--grid", g_strdup_printf("%" G_GUINT64_FORMAT, grid));
	add_opt(args, "--seed", g_strdup_printf("%" G_GUINT64_FORMAT, seed));
	for (guint i = 0; i < s->axes->len; i++)
		add_opt(args, "--vary", g_strdup_printf("%s=%s", ((struct grid_axis *)s->axes->pdata[i])->key,
							vals[i]));
	for (guint i = 0; i < s->sets->len; i++)
		add_opt(args, "--set", g_strdup(s->sets->pdata[i]));
	if (s->connect_line)
		add_opt(args, "--connect-line", g_strdup_printf("%" G_GUINT64_FORMAT, s->connect_line));
	for (guint i = 0; i < s->fields->len; i++)
		add_opt(args, "--field", g_strdup(s->fields->pdata[i]));
	add_opt(args, "--record", g_strdup_printf("runs/%s.json", stem));
	if (keep_results)
		add_opt(args, "--results", g_strdup_printf("runs/%s.results.json", stem));
	return args;
}

GPtrArray *sweep_columns(const struct sweep_spec *s)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new();

	for (guint i = 0; i < s->axes->len; i++)
		g_ptr_array_add(keys, ((struct grid_axis *)s->axes->pdata[i])->key);
	return row_columns(keys, s->fields);
}
