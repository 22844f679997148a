/* SPDX-License-Identifier: MIT */
/*
 * socksim report INPUT... --out DIR [--closed-form syn-loss:KEY] [--example SEED|PARAMS]
 *                [--connect-line N]
 *
 * INPUT is a sweep directory (after `sweep` or `merge`) or a results
 * document (`socksim run --results`, with its JSONL trace beside it as
 * STEM.trace.jsonl for the SYN timeline).  Writes DIR/index.html, one PNG
 * (pngcairo) and one SVG per chart, the data files under DIR/data/, the
 * gnuplot scripts under DIR/gnuplot/ and DIR/render.sh, which redraws every
 * chart from them.  All of it is written into DIR.tmp-XXXXXX beside DIR,
 * which then replaces DIR (an earlier report) as a whole.  Exit status: 0
 * done; 1 gnuplot failed on a chart (the others are drawn, index.html says
 * which); 2 usage or input error (DIR untouched).
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report_command.h"
#include "report.h"

#ifndef SOCKSIM_ANALYSIS_DIR
#define SOCKSIM_ANALYSIS_DIR "analysis"
#endif

/*
 * The gnuplot scripts: $SOCKSIM_ANALYSIS_DIR; else, for an installed socksim,
 * BINDIR/../SOCKSIM_DATADIR/analysis beside the binary (so a --destdir or
 * relocated install finds its own); else the source tree's.
 */
static char *analysis_dir(void)
{
	g_autofree char *self = NULL, *bindir = NULL, *installed = NULL;

	if (g_getenv("SOCKSIM_ANALYSIS_DIR"))
		return g_strdup(g_getenv("SOCKSIM_ANALYSIS_DIR"));
#ifdef SOCKSIM_DATADIR
	self = cli_self_exe();
	bindir = self ? g_path_get_dirname(self) : NULL;
	installed = g_path_is_absolute(SOCKSIM_DATADIR) ? g_build_filename(SOCKSIM_DATADIR, "analysis", NULL) :
		bindir ? g_build_filename(bindir, "..", SOCKSIM_DATADIR, "analysis", NULL) : NULL;
	if (installed && g_file_test(installed, G_FILE_TEST_IS_DIR))
		return g_steal_pointer(&installed);
#endif
	return g_strdup(SOCKSIM_ANALYSIS_DIR);
}

static const char report_usage[] =
	"usage: socksim report INPUT... --out DIR [--closed-form syn-loss:KEY] [--example SEED|PARAMS]\n"
	"                      [--connect-line N]\n"
	"INPUT: a sweep directory, or a results JSON (socksim run --results)\n"
	"--example: the run drawn in the timelines: a seed (7), a grid point (p=0.4,d=1ms), or both\n"
	"           (p=0.4,seed=7); default: the most SYN, then segment, retransmissions\n"
	"--connect-line N: the connect() of scenario line N in the SYN timeline (default: the sweep's)\n";

static const char *const scripts[] = {
	"common.gp", "latency-cdf.gp", "latency-vs-param.gp", "throughput-vs-param.gp", "syn-timeline.gp",
	"states.gp", "series.gp", "vsock-packets.gp",
};

static const char marker[] = ".socksim-report";

/* rm -r @path (symbolic links are removed, not followed). */
static void remove_tree(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *name;

		while (d && (name = g_dir_read_name(d))) {
			g_autofree char *child = g_build_filename(path, name, NULL);

			remove_tree(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

/* DIR is new, empty, or an earlier report: never write into anything else. */
static bool check_out(const char *out, GError **error)
{
	g_autofree char *mark = g_build_filename(out, marker, NULL);
	g_autoptr(GDir) d = g_file_test(out, G_FILE_TEST_IS_DIR) ? g_dir_open(out, 0, NULL) : NULL;

	if (g_file_test(out, G_FILE_TEST_EXISTS) && !g_file_test(mark, G_FILE_TEST_EXISTS) &&
	    (!d || g_dir_read_name(d))) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
			    "%s exists and is not a socksim report; use a new or empty --out", out);
		return false;
	}
	return true;
}

/*
 * A new directory DIR.tmp-XXXXXX next to DIR to render into, so that DIR
 * keeps the previous report until install_out() replaces it as a whole.
 */
static char *make_staging(const char *out, const char *analysis, GError **error)
{
	g_autofree char *base = g_strdup(out);
	g_autofree char *tmpl = NULL, *data = NULL, *gp = NULL, *mark = NULL;
	mode_t mask = umask(0);

	umask(mask);
	while (strlen(base) > 1 && base[strlen(base) - 1] == '/')
		base[strlen(base) - 1] = '\0';
	tmpl = g_strconcat(base, ".tmp-XXXXXX", NULL);
	if (!g_mkdtemp(tmpl)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot create '%s': %s", tmpl, g_strerror(errno));
		return NULL;
	}
	g_chmod(tmpl, 0777 & ~mask);
	data = g_build_filename(tmpl, "data", NULL);
	gp = g_build_filename(tmpl, "gnuplot", NULL);
	mark = g_build_filename(tmpl, marker, NULL);
	if (g_mkdir(data, 0777) != 0 || g_mkdir(gp, 0777) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot create '%s': %s", data, g_strerror(errno));
		goto fail;
	}
	if (!cli_write_atomically(mark, "socksim report directory\n", -1, error))
		goto fail;
	for (size_t i = 0; i < G_N_ELEMENTS(scripts); i++) {
		g_autofree char *src = g_build_filename(analysis, scripts[i], NULL);
		g_autofree char *dst = g_build_filename(gp, scripts[i], NULL);
		g_autofree char *text = NULL;
		g_autoptr(GError) read_error = NULL;

		if (!g_file_get_contents(src, &text, NULL, &read_error)) {
			g_set_error(error, read_error->domain, read_error->code,
				    "%s (set SOCKSIM_ANALYSIS_DIR to the analysis/ directory)", read_error->message);
			goto fail;
		}
		if (!cli_write_atomically(dst, text, -1, error))
			goto fail;
	}
	return g_steal_pointer(&tmpl);
fail:
	remove_tree(tmpl);
	return NULL;
}

/* Replace DIR (absent, empty or an earlier report) by the staging directory. */
static bool install_out(const char *staging, const char *out, GError **error)
{
	g_autofree char *old = NULL;

	if (g_file_test(out, G_FILE_TEST_EXISTS)) {
		old = g_strconcat(staging, ".old", NULL);
		if (g_rename(out, old) != 0) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot replace '%s': %s", out, g_strerror(errno));
			return false;
		}
	}
	if (g_rename(staging, out) != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "cannot rename '%s' to '%s': %s", staging, out,
			    g_strerror(errno));
		if (old)
			g_rename(old, out);
		return false;
	}
	if (old)
		remove_tree(old);
	return true;
}

static char *gnuplot_assignments(const struct chart *c, const char *fmt)
{
	g_autoptr(GString) e = g_string_new(NULL);
	g_autofree char *title = g_strdup(c->title);
	g_autofree char *sub = g_strdup(c->subtitle ? c->subtitle : "");

	g_strdelimit(title, "'\\", '_');
	g_strdelimit(sub, "'\\", '_');
	g_string_append_printf(e, "gpdir='gnuplot'; fmt='%s'; outfile='%s.%s'; datafile='%s'; charttitle='%s'; "
			       "subtitle='%s'", fmt, c->stem, fmt, c->data, title, sub);
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
		g_autofree char *out = NULL, *errout = NULL, *qe = g_shell_quote(e);
		const char *argv[] = { gnuplot, "-e", e, gp, NULL };
		g_autoptr(GError) error = NULL;
		int status;

		g_string_append_printf(script, "gnuplot -e %s %s\n", qe, gp);
		if (!g_spawn_sync(r->out, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &errout,
				  &status, &error) ||
		    !g_spawn_check_wait_status(status, &error) || (errout && *errout)) {
			report_chart_skip(c, "gnuplot failed on %s: %s", c->script,
					  errout && *errout ? g_strstrip(errout) : error->message);
			fprintf(stderr, "socksim: error: chart %s: %s\n", c->stem, c->skipped);
			return false;
		}
	}
	return true;
}

static bool copy_summaries(const struct report *r, GError **error)
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
			    !cli_write_atomically(dst, text, (gssize)len, error))
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
		} else if (strcmp(argv[i], "--example") == 0 && i + 1 < argc) {
			r->example = argv[++i];
		} else if (strcmp(argv[i], "--connect-line") == 0 && i + 1 < argc) {
			const char *v = argv[++i];
			guint64 n;

			if (!g_ascii_string_to_unsigned(v, 10, 1, INT32_MAX, &n, NULL))
				return cli_usage(report_usage, "--connect-line expects a scenario line number, found '%s'", v);
			r->connect_line = n;
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
	g_autofree char *analysis = analysis_dir();
	const char *gnuplot = g_getenv("SOCKSIM_GNUPLOT") ? g_getenv("SOCKSIM_GNUPLOT") : "gnuplot";
	g_autofree char *gnuplot_path = g_find_program_in_path(gnuplot);
	g_autofree char *render_sh = NULL, *staging = NULL;
	g_autoptr(GError) error = NULL;
	int status = parse_report_args(argc, argv, &r, paths);
	const char *final_out = r.out;
	guint drawn = 0, failed = 0;

	if (status == EXIT_OK && !gnuplot_path)
		status = cli_error("'%s' not found (apt-get install gnuplot-nox)", gnuplot);
	for (guint i = 0; status == EXIT_OK && i < paths->len; i++)
		if (!report_load_input(&r, paths->pdata[i], &error))
			status = cli_error("%s", error->message);
	if (status == EXIT_OK && r.closed_key && !closed_key_swept(&r))
		status = cli_usage(report_usage, "--closed-form syn-loss:%s: no sweep among the INPUTs varies '%s'",
				   r.closed_key, r.closed_key);
	if (status == EXIT_OK && !report_choose_example(&r, &error))
		status = cli_usage(report_usage, "%s", error->message);
	if (status == EXIT_OK && !check_out(final_out, &error))
		status = cli_error("%s", error->message);
	if (status == EXIT_OK && !(staging = make_staging(final_out, analysis, &error)))
		status = cli_error("%s", error->message);
	if (status != EXIT_OK)
		goto out;
	r.out = staging;
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
	if (!copy_summaries(&r, &error) || !cli_write_atomically(render_sh, script->str, -1, &error) ||
	    !report_write_html(&r, &error) || g_chmod(render_sh, 0755) != 0 || !install_out(staging, final_out, &error)) {
		status = cli_error("%s", error ? error->message : g_strerror(errno));
		goto out;
	}
	g_clear_pointer(&staging, g_free);
	fprintf(stderr, "report: %u charts drawn, %u not drawn (see index.html) -> %s/index.html\n", drawn,
		r.charts->len - drawn, final_out);
	status = failed ? EXIT_EXPECT : EXIT_OK;
out:
	if (staging)
		remove_tree(staging);
	g_ptr_array_free(r.charts, TRUE);
	g_ptr_array_free(r.inputs, TRUE);
	return status;
}
