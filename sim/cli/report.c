/* SPDX-License-Identifier: MIT */
/*
 * socksim report INPUT... --out DIR [--closed-form syn-loss:KEY]
 *
 * INPUT is a sweep directory (after `sweep` or `merge`) or a results
 * document (`socksim run --results`, with its JSONL trace beside it as
 * STEM.trace.jsonl for the SYN timeline).  Writes DIR/index.html, one PNG
 * (pngcairo) and one SVG per chart, the data files under DIR/data/, the
 * gnuplot scripts under DIR/gnuplot/ and DIR/render.sh, which redraws every
 * chart from them.  Exit status: 0 done; 1 gnuplot failed on a chart (the
 * others are drawn, index.html says which); 2 usage or input error.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "report.h"

#ifndef SOCKSIM_ANALYSIS_DIR
#define SOCKSIM_ANALYSIS_DIR "analysis"
#endif

static const char report_usage[] =
	"usage: socksim report INPUT... --out DIR [--closed-form syn-loss:KEY]\n"
	"INPUT: a sweep directory, or a results JSON (socksim run --results)\n";

static const char *const scripts[] = {
	"common.gp", "latency-cdf.gp", "latency-vs-param.gp", "syn-timeline.gp", "states.gp", "series.gp",
};

static const char marker[] = ".socksim-report";

/* DIR is new, empty, or an earlier report: never write into anything else. */
static bool prepare_out(const char *out, const char *analysis, char **err)
{
	g_autofree char *mark = g_build_filename(out, marker, NULL);
	g_autofree char *data = g_build_filename(out, "data", NULL);
	g_autofree char *gp = g_build_filename(out, "gnuplot", NULL);
	g_autoptr(GDir) d = g_file_test(out, G_FILE_TEST_IS_DIR) ? g_dir_open(out, 0, NULL) : NULL;

	if (g_file_test(out, G_FILE_TEST_EXISTS) && !g_file_test(mark, G_FILE_TEST_EXISTS) &&
	    (!d || g_dir_read_name(d))) {
		*err = g_strdup_printf("%s exists and is not a socksim report; use a new or empty --out", out);
		return false;
	}
	if (g_mkdir_with_parents(data, 0777) != 0 || g_mkdir_with_parents(gp, 0777) != 0) {
		*err = g_strdup_printf("cannot create '%s': %s", data, g_strerror(errno));
		return false;
	}
	if (!cli_write_atomically(mark, "socksim report directory\n", -1, err))
		return false;
	for (size_t i = 0; i < G_N_ELEMENTS(scripts); i++) {
		g_autofree char *src = g_build_filename(analysis, scripts[i], NULL);
		g_autofree char *dst = g_build_filename(gp, scripts[i], NULL);
		g_autofree char *text = NULL;
		g_autoptr(GError) error = NULL;

		if (!g_file_get_contents(src, &text, NULL, &error)) {
			*err = g_strdup_printf("%s (set SOCKSIM_ANALYSIS_DIR to the analysis/ directory)", error->message);
			return false;
		}
		if (!cli_write_atomically(dst, text, -1, err))
			return false;
	}
	return true;
}

static char *gnuplot_assignments(const struct chart *c, const char *fmt)
{
	g_autoptr(GString) e = g_string_new(NULL);
	g_autofree char *title = g_strdup(c->title);

	g_strdelimit(title, "'\\", '_');
	g_string_append_printf(e, "gpdir='gnuplot'; fmt='%s'; outfile='%s.%s'; datafile='%s'; charttitle='%s'",
			       fmt, c->stem, fmt, c->data, title);
	for (guint i = 0; i < c->vars->len; i++)
		g_string_append_printf(e, "; %s", (char *)c->vars->pdata[i]);
	return g_string_free(g_steal_pointer(&e), FALSE);
}

/* Draw @c as PNG and SVG; any gnuplot diagnostic is a failure. */
static bool render(const struct report *r, struct chart *c, const char *gnuplot, GString *script)
{
	for (int f = 0; f < 2; f++) {
		g_autofree char *e = gnuplot_assignments(c, f ? "svg" : "png");
		g_autofree char *gp = g_build_filename("gnuplot", c->script, NULL);
		g_autofree char *out = NULL, *err = NULL, *qe = g_shell_quote(e);
		const char *argv[] = { gnuplot, "-e", e, gp, NULL };
		g_autoptr(GError) error = NULL;
		int status;

		g_string_append_printf(script, "gnuplot -e %s %s\n", qe, gp);
		if (!g_spawn_sync(r->out, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
				  &status, &error) ||
		    !g_spawn_check_wait_status(status, &error) || (err && *err)) {
			report_chart_skip(c, "gnuplot failed on %s: %s", c->script,
					  err && *err ? g_strstrip(err) : error->message);
			fprintf(stderr, "socksim: error: chart %s: %s\n", c->stem, c->skipped);
			return false;
		}
	}
	return true;
}

static bool copy_summaries(const struct report *r, char **err)
{
	for (guint i = 0; i < r->inputs->len; i++) {
		const struct input *in = r->inputs->pdata[i];
		const char *const names[] = { "summary.csv", "summary.jsonl" };

		for (int k = 0; in->spec && k < 2; k++) {
			g_autofree char *src = g_build_filename(in->path, names[k], NULL);
			g_autofree char *name = g_strdup_printf("%s-%s", in->name, names[k]);
			g_autofree char *dst = g_build_filename(r->out, "data", name, NULL);
			g_autofree char *text = NULL;
			gsize len;

			if (g_file_get_contents(src, &text, &len, NULL) &&
			    !cli_write_atomically(dst, text, (gssize)len, err))
				return false;
		}
	}
	return true;
}

static int parse_report_args(int argc, char **argv, struct report *r, GPtrArray *paths)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			r->out = argv[++i];
		} else if (strcmp(argv[i], "--closed-form") == 0 && i + 1 < argc) {
			const char *v = argv[++i];

			if (!g_str_has_prefix(v, "syn-loss:") || !v[9])
				return cli_usage(report_usage, "--closed-form expects syn-loss:KEY, found '%s'", v);
			r->closed_key = v + 9;
		} else if (argv[i][0] == '-') {
			return cli_usage(report_usage, "unknown option or missing value '%s'", argv[i]);
		} else {
			g_ptr_array_add(paths, argv[i]);
		}
	}
	if (!paths->len || !r->out)
		return cli_usage(report_usage, "%s", "report needs at least one INPUT and --out DIR");
	return EXIT_OK;
}

/* Whether some sweep among the inputs has an axis named --closed-form's KEY. */
static bool closed_key_swept(const struct report *r)
{
	for (guint i = 0; i < r->inputs->len; i++) {
		const struct input *in = r->inputs->pdata[i];

		for (guint k = 0; in->spec && k < in->spec->axes->len; k++)
			if (strcmp(((const struct grid_axis *)in->spec->axes->pdata[k])->key, r->closed_key) == 0)
				return true;
	}
	return false;
}

int cmd_report(int argc, char **argv)
{
	struct report r = {
		.inputs = g_ptr_array_new_with_free_func((GDestroyNotify)report_input_free),
		.charts = g_ptr_array_new_with_free_func((GDestroyNotify)report_chart_free),
	};
	g_autoptr(GPtrArray) paths = g_ptr_array_new();
	g_autoptr(GString) script = g_string_new("#!/bin/sh\n# Redraws every chart of this report.\ncd \"$(dirname \"$0\")\"\n");
	const char *analysis = g_getenv("SOCKSIM_ANALYSIS_DIR") ? g_getenv("SOCKSIM_ANALYSIS_DIR") : SOCKSIM_ANALYSIS_DIR;
	const char *gnuplot = g_getenv("SOCKSIM_GNUPLOT") ? g_getenv("SOCKSIM_GNUPLOT") : "gnuplot";
	g_autofree char *gnuplot_path = g_find_program_in_path(gnuplot);
	g_autofree char *err = NULL, *render_sh = NULL;
	int status = parse_report_args(argc, argv, &r, paths);
	guint drawn = 0, failed = 0;

	if (status == EXIT_OK && !gnuplot_path)
		status = cli_error("'%s' not found (apt-get install gnuplot-nox)", gnuplot);
	for (guint i = 0; status == EXIT_OK && i < paths->len; i++)
		if (!report_load_input(&r, paths->pdata[i], &err))
			status = cli_error("%s", err);
	if (status == EXIT_OK && r.closed_key && !closed_key_swept(&r))
		status = cli_usage(report_usage, "--closed-form syn-loss:%s: no sweep among the INPUTs varies '%s'",
				   r.closed_key, r.closed_key);
	if (status == EXIT_OK && !prepare_out(r.out, analysis, &err))
		status = cli_error("%s", err);
	if (status != EXIT_OK)
		goto out;
	report_plan_charts(&r);
	for (guint i = 0; i < r.charts->len; i++) {
		struct chart *c = r.charts->pdata[i];

		if (c->skipped)
			continue;
		if (render(&r, c, gnuplot_path, script))
			drawn++;
		else
			failed++;
	}
	render_sh = g_build_filename(r.out, "render.sh", NULL);
	if (!copy_summaries(&r, &err) || !cli_write_atomically(render_sh, script->str, -1, &err) ||
	    !report_write_html(&r, &err)) {
		status = cli_error("%s", err);
		goto out;
	}
	g_chmod(render_sh, 0755);
	fprintf(stderr, "report: %u charts drawn, %u not drawn (see index.html) -> %s/index.html\n", drawn,
		r.charts->len - drawn, r.out);
	status = failed ? EXIT_EXPECT : EXIT_OK;
out:
	g_ptr_array_free(r.charts, TRUE);
	g_ptr_array_free(r.inputs, TRUE);
	return status;
}
