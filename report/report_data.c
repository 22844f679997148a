/* SPDX-License-Identifier: MIT */
/*
 * The report's inputs and data files (report.h).
 *
 * Inputs are sweep directories (sweep.json + summary.jsonl) and single
 * results documents.  Each chart gets one data file under OUT/data/, with
 * one gnuplot data block per series, the series title on the block's first
 * line; times are integer nanoseconds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json_read.h"
#include "report.h"
#include "row.h"

/*
 * linux-6.x SYN transmit times (s): tcp_syn_retries = 6 exponential retries
 * after tcp_syn_linear_timeouts = 4 linear ones; ETIMEDOUT at 131 s.
 */
static const int64_t syn_times_s[] = { 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 };

struct chart *report_chart_new(struct report *r, const char *stem, const char *title, const char *script)
{
	struct chart *c = g_new0(struct chart, 1);

	c->stem = g_strdup(stem);
	c->title = g_strdup(title);
	c->script = g_strdup(script);
	c->data = g_strdup_printf("data/%s.dat", stem);
	c->vars = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(r->charts, c);
	return c;
}

void report_chart_skip(struct chart *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_free(c->skipped);
	c->skipped = g_strdup_vprintf(fmt, ap);
	va_end(ap);
}

void report_chart_free(struct chart *c)
{
	g_free(c->stem);
	g_free(c->title);
	g_free(c->caption);
	g_free(c->script);
	g_free(c->data);
	g_free(c->skipped);
	g_free(c->subtitle);
	g_ptr_array_free(c->vars, TRUE);
	g_free(c);
}

static void variant_free(struct variant *v)
{
	g_free(v->label);
	g_array_free(v->lat_ns, TRUE);
	g_array_free(v->tput_bps, TRUE);
	if (v->values)
		g_ptr_array_free(v->values, TRUE);
	g_free(v);
}

void report_input_free(struct input *in)
{
	g_free(in->path);
	g_free(in->name);
	sweep_spec_free(in->spec);
	g_ptr_array_free(in->variants, TRUE);
	g_free(in->results);
	g_free(in->trace);
	g_free(in->exemplar);
	g_free(in->ex_subtitle);
	g_free(in->subtitle);
	if (in->runs)
		g_array_free(in->runs, TRUE);
	g_free(in);
}

int64_t report_percentile(const GArray *sorted, unsigned int pct)
{
	guint n = sorted->len;
	guint rank = (guint)(((uint64_t)pct * n + 99) / 100);	/* nearest rank */

	return n ? g_array_index(sorted, int64_t, rank ? rank - 1 : 0) : -1;
}

void report_format_s(GString *out, int64_t ns)
{
	g_string_append_printf(out, "%" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " s", ns / 1000000000,
			       ns % 1000000000 / 1000);
}

/* Integers only, so the text is the same on every machine: "0 s", "850 us", "20.009 ms", "1.000 s". */
void report_format_time(GString *out, int64_t ns)
{
	if (ns == 0)
		g_string_append(out, "0 s");
	else if (ns < 1000)
		g_string_append_printf(out, "%" G_GINT64_FORMAT " ns", ns);
	else if (ns < 1000000)
		g_string_append_printf(out, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " us", ns / 1000, ns % 1000);
	else if (ns < 1000000000)
		g_string_append_printf(out, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " ms", ns / 1000000,
				       ns % 1000000 / 1000);
	else
		g_string_append_printf(out, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " s", ns / 1000000000,
				       ns % 1000000000 / 1000000);
}

/* "syn-loss.scn; p = 0, 0.2, 0.4; seeds 1-20; --set x=1": what a sweep's aggregate charts cover. */
char *report_sweep_subtitle(const struct input *in)
{
	GString *s = g_string_new(in->spec->scenario);

	for (guint i = 0; i < in->spec->axes->len; i++) {
		const struct grid_axis *a = in->spec->axes->pdata[i];

		g_string_append_printf(s, "; %s = ", a->key);
		for (guint k = 0; k < a->values->len; k++)
			g_string_append_printf(s, "%s%s", k ? ", " : "", (char *)a->values->pdata[k]);
	}
	if (in->spec->seeds > 1)
		g_string_append_printf(s, "; seeds 1-%" G_GUINT64_FORMAT, in->spec->seeds);
	else
		g_string_append(s, "; seed 1");
	for (guint i = 0; i < in->spec->sets->len; i++)
		g_string_append_printf(s, "; --set %s", (char *)in->spec->sets->pdata[i]);
	return g_string_free(s, FALSE);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static struct variant *variant_new(const char *label)
{
	struct variant *v = g_new0(struct variant, 1);

	v->label = g_strdup(label);
	v->lat_ns = g_array_new(FALSE, FALSE, sizeof(int64_t));
	v->tput_bps = g_array_new(FALSE, FALSE, sizeof(int64_t));
	return v;
}

/* Count one summary row (or one results document's row) into @v; false on a type error in @jr. */
static bool variant_add(struct variant *v, const struct jd_node *row, struct json_read *jr)
{
	const char *outcome = jr_str(jr, row, "outcome", "");
	int64_t syn_retrans = jr_int(jr, row, "syn_retrans", 0);
	int64_t connect_ret = jr_int(jr, row, "connect_ret", -1);
	int64_t lat = jr_int(jr, row, "connect_latency_ns", -1);
	int64_t received = jr_int(jr, row, "bytes_received", 0);
	int64_t bps = jr_int(jr, row, "throughput_bps", 0);
	int64_t retrans = jr_int(jr, row, "retrans_segs", 0);
	int64_t timeouts = jr_int(jr, row, "timeouts", 0);

	if (jr->error)
		return false;
	summary_count(&v->n, outcome);
	v->syn_retrans += syn_retrans > 0 ? (uint64_t)syn_retrans : 0;
	v->retrans_segs += retrans > 0 ? (uint64_t)retrans : 0;
	v->timeouts += timeouts > 0 ? (uint64_t)timeouts : 0;
	if (lat >= 0 && connect_ret == 0)
		g_array_append_val(v->lat_ns, lat);
	if (received > 0)
		g_array_append_val(v->tput_bps, bps);
	return true;
}

/* Record one summary row as a candidate for the run drawn in the timelines. */
static void add_run(struct input *in, const struct jd_node *row, struct json_read *jr)
{
	const char *outcome = jr_str(jr, row, "outcome", "");
	int64_t grid = jr_int(jr, row, "grid", -1), seed = jr_int(jr, row, "seed", -1);
	struct run_ref run = {
		.score = { jr_int(jr, row, "connect_ret", -1) == 0, jr_int(jr, row, "syn_retrans", 0),
			   jr_int(jr, row, "retrans_segs", 0) },
		.drawable = strcmp(outcome, "error") != 0 && strcmp(outcome, "crashed") != 0 &&
			    strcmp(outcome, "missing") != 0,
	};

	if (jr->error || grid < 0 || seed < 0)
		return;
	run.grid = (uint64_t)grid;
	run.seed = (uint64_t)seed;
	g_array_append_val(in->runs, run);
}

static bool run_better(const struct run_ref *a, const struct run_ref *b)
{
	for (int i = 0; i < 3; i++)
		if (a->score[i] != b->score[i])
			return a->score[i] > b->score[i];
	return false;	/* a tie keeps the earlier (grid, seed) */
}

/*
 * The run drawn in the timelines among those with results at one of
 * @points (NULL: any grid point) and, if @seed >= 0, with that seed: the one
 * whose connect() returned 0 with the most SYN retransmissions, then the most
 * retransmitted segments, the earliest (grid, seed) on ties.  False if none.
 */
static bool pick_run(struct input *in, const GArray *points, int64_t seed)
{
	const struct run_ref *best = NULL;

	for (guint i = 0; i < in->runs->len; i++) {
		const struct run_ref *run = &g_array_index(in->runs, struct run_ref, i);
		bool at = !points;

		for (guint k = 0; points && k < points->len && !at; k++)
			at = g_array_index(points, uint64_t, k) == run->grid;
		if (!run->drawable || !at || (seed >= 0 && run->seed != (uint64_t)seed))
			continue;
		if (!best || run_better(run, best))
			best = run;
	}
	in->has_exemplar = best != NULL;
	if (best) {
		in->ex_grid = best->grid;
		in->ex_seed = best->seed;
	}
	return best != NULL;
}

/* The grid points of @in whose values match every KEY=VALUE of @pairs. */
static bool example_points(const struct input *in, GStrv pairs, GArray *points, int64_t *seed,
			   GError **error)
{
	const GPtrArray *axes = in->spec->axes;
	g_autofree const char **want = g_new0(const char *, axes->len + 1);
	g_autofree const char **vals = g_new(const char *, axes->len + 1);

	for (guint i = 0; pairs[i]; i++) {
		char *eq = strchr(pairs[i], '=');
		guint k;

		if (!eq) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
				    "--example: expected SEED or KEY=VALUE,...[,seed=N], found '%s'", pairs[i]);
			return false;
		}
		*eq = '\0';
		if (strcmp(pairs[i], "seed") == 0) {
			guint64 s;

			if (!g_ascii_string_to_unsigned(eq + 1, 10, 1, in->spec->seeds, &s, NULL)) {
				g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
					    "--example: seed=%s: the sweep %s has seeds 1-%" G_GUINT64_FORMAT,
					    eq + 1, in->path, in->spec->seeds);
				return false;
			}
			*seed = (int64_t)s;
			continue;
		}
		for (k = 0; k < axes->len && strcmp(((struct grid_axis *)axes->pdata[k])->key, pairs[i]) != 0; k++)
			;
		if (k == axes->len) {
			g_autoptr(GString) keys = g_string_new(NULL);

			for (guint j = 0; j < axes->len; j++)
				g_string_append_printf(keys, "%s%s", j ? ", " : "", ((struct grid_axis *)axes->pdata[j])->key);
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
				    "--example: the sweep %s does not vary '%s' (it varies: %s)", in->path,
				    pairs[i], keys->len ? keys->str : "nothing");
			return false;
		}
		want[k] = eq + 1;
	}
	for (uint64_t g = 0; g < grid_size(axes); g++) {
		bool match = true;

		grid_point(axes, g, vals);
		for (guint k = 0; k < axes->len; k++)
			match &= !want[k] || strcmp(want[k], vals[k]) == 0;
		if (match)
			g_array_append_val(points, g);
	}
	if (!points->len) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--example %s: no grid point of %s has these values",
			    in->path, in->path);
		return false;
	}
	return true;
}

/*
 * --example SEED | KEY=VALUE,...[,seed=N]: the run of the first sweep among
 * the inputs drawn in the timelines (the default rule of pick_run within
 * what it names).
 */
bool report_choose_example(struct report *r, GError **error)
{
	struct input *in = NULL;
	g_autoptr(GArray) points = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_auto(GStrv) pairs = NULL;
	int64_t seed = -1;
	guint64 s;

	if (!r->example)
		return true;
	for (guint i = 0; i < r->inputs->len && !in; i++)
		if (((struct input *)r->inputs->pdata[i])->spec)
			in = r->inputs->pdata[i];
	if (!in) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE,
				    "--example chooses a run of a sweep; no INPUT is a sweep directory");
		return false;
	}
	if (g_ascii_string_to_unsigned(r->example, 10, 0, G_MAXUINT64, &s, NULL)) {
		if (s < 1 || s > in->spec->seeds) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--example %s: the sweep %s has seeds 1-%"
				    G_GUINT64_FORMAT, r->example, in->path, in->spec->seeds);
			return false;
		}
		seed = (int64_t)s;
		for (uint64_t g = 0; g < grid_size(in->spec->axes); g++)
			g_array_append_val(points, g);
	} else {
		pairs = g_strsplit(r->example, ",", -1);
		if (!example_points(in, pairs, points, &seed, error))
			return false;
	}
	if (!pick_run(in, points, seed)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--example %s: no such run of %s has results to draw "
			    "(see the outcome column of its summary)", r->example, in->path);
		return false;
	}
	in->ex_chosen = true;
	return true;
}

static char *point_label(const struct sweep_spec *s, uint64_t g, GPtrArray *values)
{
	g_autoptr(GString) label = g_string_new(NULL);
	g_autofree const char **vals = g_new(const char *, s->axes->len + 1);

	grid_point(s->axes, g, vals);
	for (guint i = 0; i < s->axes->len; i++) {
		g_string_append_printf(label, "%s%s=%s", i ? " " : "", ((struct grid_axis *)s->axes->pdata[i])->key,
				       vals[i]);
		g_ptr_array_add(values, g_strdup(vals[i]));
	}
	if (!label->len)
		g_string_append(label, "all runs");
	return g_string_free(g_steal_pointer(&label), FALSE);
}

static bool load_sweep(struct input *in, GError **error)
{
	g_autofree char *path = g_build_filename(in->path, "summary.jsonl", NULL);
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	struct json_read jr = { .path = path };

	in->spec = sweep_manifest_load(in->path, error);
	if (!in->spec)
		return false;
	in->runs = g_array_new(FALSE, FALSE, sizeof(struct run_ref));
	in->subtitle = report_sweep_subtitle(in);
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s: no summary (run `socksim merge %s` first)", path,
			    in->path);
		return false;
	}
	for (uint64_t g = 0; g < grid_size(in->spec->axes); g++) {
		GPtrArray *values = g_ptr_array_new_with_free_func(g_free);
		g_autofree char *label = point_label(in->spec, g, values);
		struct variant *v = variant_new(label);

		v->grid = g;
		v->values = values;
		g_ptr_array_add(in->variants, v);
	}
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] && lines[i][0]; i++) {
		g_autoptr(jd_doc) doc = jr_parse(path, i + 1, "not a summary row", lines[i], -1, error);
		struct jd_node *row;
		int64_t g;

		if (!doc)
			return false;
		row = jd_root(doc);
		if (!jd_is_object(row)) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:%u: not a summary row", path, i + 1, row->col);
			return false;
		}
		jr.line = i + 1;
		g = jr_int(&jr, row, "grid", -1);
		if (!jr.error && (g < 0 || (guint64)g >= in->variants->len)) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:1: grid index out of range", path, i + 1);
			return false;
		}
		if (!jr.error && variant_add(in->variants->pdata[g], row, &jr))
			add_run(in, row, &jr);
		if (jr.error) {
			g_propagate_error(error, jr.error);
			return false;
		}
	}
	pick_run(in, NULL, -1);
	return true;
}

/* "send-loss-1.scn; p=1%; seed 1": scenario, parameters set and seed of a results document. */
static char *results_subtitle(const char *results_json, const char *fallback)
{
	g_autoptr(jd_doc) doc = jd_parse(results_json, -1, NULL);
	struct json_read jr = { .path = "results", .line = 1 };
	struct jd_node *root = doc ? jr_root_object(&jr, doc) : NULL;
	struct jd_node *scn = root ? jr_object(&jr, root, "scenario") : NULL;
	struct jd_node *sets = root ? jr_array(&jr, root, "sets") : NULL;
	const char *path = scn ? jr_str(&jr, scn, "path", NULL) : NULL;
	int64_t seed = root ? jr_int(&jr, root, "seed", -1) : -1;
	g_autofree char *base = path ? g_path_get_basename(path) : g_strdup(fallback);
	GString *s = g_string_new(base);

	for (guint i = 0; !jr.error && i < jd_len(sets); i++) {
		const char *set = jr_elem_str(&jr, sets, i, "sets");

		if (set)
			g_string_append_printf(s, "; %s", set);
	}
	if (seed >= 0)
		g_string_append_printf(s, "; seed %" G_GINT64_FORMAT, seed);
	g_clear_error(&jr.error);	/* a subtitle: what is readable of it */
	return g_string_free(s, FALSE);
}

/* A results document: one variant of one run; its trace beside it as STEM.trace.jsonl. */
static bool load_results(struct input *in, GError **error)
{
	g_autofree char *text = NULL;
	g_autofree char *row_text = NULL;
	g_autoptr(GPtrArray) none = g_ptr_array_new();
	g_autoptr(jd_doc) doc = NULL;
	struct row_ctx ctx = { .keys = none, .values = NULL, .fields = none };
	g_autofree char *stem = NULL;
	struct variant *v;

	if (!g_file_get_contents(in->path, &text, NULL, error))
		return false;
	row_text = row_from_results(&ctx, in->path, text, error);
	if (!row_text)
		return false;
	doc = jd_parse(row_text, -1, NULL);
	v = variant_new(in->name);
	{
		/* A row we wrote ourselves (row_from_results): its types hold. */
		struct json_read jr = { .path = in->path, .line = 1 };

		variant_add(v, jd_root(doc), &jr);
		g_clear_error(&jr.error);
	}
	g_array_sort(v->lat_ns, cmp_i64);
	g_array_sort(v->tput_bps, cmp_i64);
	g_ptr_array_add(in->variants, v);
	in->results = g_strdup(in->path);
	stem = g_str_has_suffix(in->path, ".results.json") ?
	       g_strndup(in->path, strlen(in->path) - strlen(".results.json")) :
	       g_str_has_suffix(in->path, ".json") ? g_strndup(in->path, strlen(in->path) - 5) : g_strdup(in->path);
	in->trace = g_strconcat(stem, ".trace.jsonl", NULL);
	if (!g_file_test(in->trace, G_FILE_TEST_IS_REGULAR))
		g_clear_pointer(&in->trace, g_free);
	in->exemplar = g_strdup(in->name);
	in->subtitle = results_subtitle(text, in->name);
	in->ex_subtitle = g_strdup(in->subtitle);
	return true;
}

bool report_load_input(struct report *r, const char *path, GError **error)
{
	struct input *in = g_new0(struct input, 1);
	bool ok;

	in->path = g_strdup(path);
	in->name = g_path_get_basename(path);
	in->variants = g_ptr_array_new_with_free_func((GDestroyNotify)variant_free);
	g_ptr_array_add(r->inputs, in);
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		ok = load_sweep(in, error);
		for (guint i = 0; ok && i < in->variants->len; i++) {
			struct variant *v = in->variants->pdata[i];

			g_array_sort(v->lat_ns, cmp_i64);
			g_array_sort(v->tput_bps, cmp_i64);
		}
	} else if (g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		ok = load_results(in, error);
	} else {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s: no such sweep directory or results file", path);
		ok = false;
	}
	return ok;
}

/* --- data files ---------------------------------------------------------------- */

bool report_write_data(struct report *r, struct chart *c, GString *text)
{
	g_autofree char *path = g_build_filename(r->out, c->data, NULL);
	g_autoptr(GError) error = NULL;

	if (cli_write_atomically(path, text->str, (gssize)text->len, &error))
		return true;
	report_chart_skip(c, "cannot write %s: %s", c->data, error->message);
	return false;
}

void report_block_header(GString *d, const char *title)
{
	g_autofree char *t = g_strdup(title);

	g_strdelimit(t, "\"", '\'');
	g_string_append_printf(d, "%s\"%s\"\n", d->len ? "\n\n" : "", t);
}

void report_chart_var_int(struct chart *c, const char *name, int64_t v)
{
	g_ptr_array_add(c->vars, g_strdup_printf("%s=%" G_GINT64_FORMAT, name, v));
}

void report_chart_var_str(struct chart *c, const char *name, const char *v)
{
	g_autofree char *t = g_strdup(v);

	g_strdelimit(t, "'\\", '_');
	g_ptr_array_add(c->vars, g_strdup_printf("%s='%s'", name, t));
}

static const char *variant_title(const struct report *r, const struct input *in, const struct variant *v,
				 GString *buf)
{
	g_string_assign(buf, "");
	if (r->inputs->len > 1 && in->spec)
		g_string_append_printf(buf, "%s: ", in->name);
	g_string_append(buf, v->label);
	return buf->str;
}

/* The subtitle of a chart over every input: their subtitles, joined. */
static char *inputs_subtitle(const struct report *r)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < r->inputs->len; i++)
		g_string_append_printf(s, "%s%s", i ? " | " : "", ((struct input *)r->inputs->pdata[i])->subtitle);
	return g_string_free(s, FALSE);
}

static void plan_cdf(struct report *r)
{
	struct chart *c = report_chart_new(r, "latency-cdf", "connect() latency CDF per variant", "latency-cdf.gp");
	g_autoptr(GString) d = g_string_new(NULL);
	g_autoptr(GString) t = g_string_new(NULL);
	g_autoptr(GString) single = g_string_new(NULL);
	int64_t lo = INT64_MAX, hi = 0;
	int blocks = 0, spread = 0, singles = 0;

	c->caption = g_strdup("Fraction of runs whose connect() had returned 0 by the given time (log scale). "
			      "Runs that never connected keep a curve below 1.");
	c->subtitle = inputs_subtitle(r);
	for (guint i = 0; i < r->inputs->len; i++) {
		struct input *in = r->inputs->pdata[i];

		for (guint k = 0; k < in->variants->len; k++) {
			struct variant *v = in->variants->pdata[k];
			uint64_t valid = v->n.runs - v->n.failed - v->n.missing;

			if (!v->lat_ns->len)
				continue;
			lo = MIN(lo, g_array_index(v->lat_ns, int64_t, 0));
			hi = MAX(hi, g_array_index(v->lat_ns, int64_t, v->lat_ns->len - 1));
			if (g_array_index(v->lat_ns, int64_t, 0) != g_array_index(v->lat_ns, int64_t, v->lat_ns->len - 1))
				spread++;
			else if (singles++ < 4) {
				g_string_append_printf(single, "%s%s: ", single->len ? ", " : "", variant_title(r, in, v, t));
				report_format_time(single, g_array_index(v->lat_ns, int64_t, 0));
				g_string_append_printf(single, " (%u run%s)", v->lat_ns->len, v->lat_ns->len == 1 ? "" : "s");
			}
			report_block_header(d, variant_title(r, in, v, t));
			g_string_append_printf(d, "%" G_GINT64_FORMAT " 0\n", g_array_index(v->lat_ns, int64_t, 0));
			for (guint j = 0; j < v->lat_ns->len; j++)
				g_string_append_printf(d, "%" G_GINT64_FORMAT " %.6f\n", g_array_index(v->lat_ns, int64_t, j),
						       (double)(j + 1) / (double)valid);
			blocks++;
		}
	}
	if (!blocks) {
		report_chart_skip(c, "no run has a connect() that returned 0");
		return;
	}
	if (!spread) {
		/* every curve would be one vertical step: the summary table says it all */
		report_chart_skip(c, "every variant's connect() latency is a single value (%s%s); see the summary table",
				  single->str, singles > 4 ? ", ..." : "");
		return;
	}
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_int(c, "xmin_ns", lo);
	report_chart_var_int(c, "xmax_ns", hi);
	report_write_data(r, c, d);
}

static bool parse_number(const char *s, double *out)
{
	char *end;

	*out = g_ascii_strtod(s, &end);
	return *s && !*end;
}

/*
 * A swept value as an x coordinate: a plain number, or a time with the
 * scenario language's suffixes (ns, us, ms, s), given in the unit of the
 * axis's first value so the axis can be labelled with it.
 */
static const struct { const char *suffix; double ns; } time_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
};

#define AXIS_PLAIN (-1)
#define AXIS_PERCENT (-2)	/* "1%": drawn as 1 on an axis labelled "KEY (%)" */

static bool axis_unit(const char *s, int *unit)
{
	char *end;

	g_ascii_strtod(s, &end);
	if (end == s)
		return false;
	if (!*end) {
		*unit = AXIS_PLAIN;
		return true;
	}
	if (strcmp(end, "%") == 0) {
		*unit = AXIS_PERCENT;
		return true;
	}
	for (int u = 0; u < (int)G_N_ELEMENTS(time_units); u++)
		if (strcmp(end, time_units[u].suffix) == 0) {
			*unit = u;
			return true;
		}
	return false;
}

static bool axis_x(const char *s, int want, double *x)
{
	int unit;

	if (!axis_unit(s, &unit) || (unit < 0 || want < 0 ? unit != want : false))
		return false;
	*x = g_ascii_strtod(s, NULL);
	if (unit >= 0)
		*x = *x * time_units[unit].ns / time_units[want].ns;
	return true;
}

static double pow_int(double x, size_t k)
{
	double r = 1;

	while (k--)
		r *= x;
	return r;
}

/* Closed form for SYN/SYN-ACK loss p (tests/stats/syn-loss.scn), given success: latency = t_k + RTT. */
static void closed_form_row(GString *d, const char *x, double p, int64_t rtt_ns)
{
	double q = (1 - p) * (1 - p), success = 0, cum = 0;
	int64_t med = -1, p99 = -1;
	size_t n = G_N_ELEMENTS(syn_times_s);

	for (size_t k = 0; k < n; k++)
		success += pow_int(1 - q, k) * q;
	if (success <= 0)
		return;
	for (size_t k = 0; k < n; k++) {
		cum += pow_int(1 - q, k) * q / success;
		if (med < 0 && cum >= 0.5 - 1e-12)
			med = syn_times_s[k] * 1000000000 + rtt_ns;
		if (p99 < 0 && cum >= 0.99 - 1e-12)
			p99 = syn_times_s[k] * 1000000000 + rtt_ns;
	}
	g_string_append_printf(d, "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", x, med, p99);
}

/* The smallest latency of any connect() in @in: the RTT of a first-try handshake. */
static int64_t min_latency(const struct input *in)
{
	int64_t min = -1;

	for (guint k = 0; k < in->variants->len; k++) {
		const struct variant *v = in->variants->pdata[k];

		if (v->lat_ns->len && (min < 0 || g_array_index(v->lat_ns, int64_t, 0) < min))
			min = g_array_index(v->lat_ns, int64_t, 0);
	}
	return min;
}

/* The largest latency of any connect() in @in. */
static int64_t max_latency(const struct input *in)
{
	int64_t max = -1;

	for (guint k = 0; k < in->variants->len; k++) {
		const struct variant *v = in->variants->pdata[k];

		if (v->lat_ns->len)
			max = MAX(max, g_array_index(v->lat_ns, int64_t, v->lat_ns->len - 1));
	}
	return max;
}

/* The series of a latency-vs-KEY chart: the grid points sharing every other axis's value. */
static char *others_label(const struct input *in, const struct variant *v, guint axis)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (guint i = 0; i < in->spec->axes->len; i++)
		if (i != axis)
			g_string_append_printf(s, "%s%s=%s", s->len ? " " : "",
					       ((struct grid_axis *)in->spec->axes->pdata[i])->key,
					       (char *)v->values->pdata[i]);
	g_string_prepend(s, s->len ? "median, " : "median");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* A per-run quantity drawn against a swept key: which runs' values, and the percentiles of a row. */
struct vs_metric {
	size_t array;		/* offsetof(struct variant, ...): a sorted GArray of int64_t */
	unsigned int pct[3];	/* written in this order after x; 0 ends the list */
};

static const struct vs_metric latency_metric = { offsetof(struct variant, lat_ns), { 50, 99 } };
static const struct vs_metric throughput_metric = { offsetof(struct variant, tput_bps), { 50, 10, 90 } };

static const GArray *metric_values(const struct variant *v, const struct vs_metric *m)
{
	return *(GArray *const *)((const char *)v + m->array);
}

/*
 * One block per combination of the other keys; rows: x, the metric's
 * percentiles, the number of runs.  lo/hi: the smallest and largest
 * percentile written.
 */
static void vs_param_data(const struct input *in, guint axis, int unit, const struct vs_metric *m, GString *d,
			  int *blocks, int64_t *lo, int64_t *hi)
{
	g_autoptr(GPtrArray) series = g_ptr_array_new_with_free_func(g_free);

	for (guint k = 0; k < in->variants->len; k++) {
		char *label = others_label(in, in->variants->pdata[k], axis);

		if (!g_ptr_array_find_with_equal_func(series, label, g_str_equal, NULL))
			g_ptr_array_add(series, label);
		else
			g_free(label);
	}
	for (guint s = 0; s < series->len; s++) {
		report_block_header(d, series->pdata[s]);
		(*blocks)++;
		for (guint k = 0; k < in->variants->len; k++) {
			const struct variant *v = in->variants->pdata[k];
			const GArray *vals = metric_values(v, m);
			g_autofree char *label = others_label(in, v, axis);
			char xs[G_ASCII_DTOSTR_BUF_SIZE];
			double x = 0;

			if (strcmp(label, series->pdata[s]) != 0 || !vals->len)
				continue;
			axis_x(v->values->pdata[axis], unit, &x);	/* checked by axis_plot_unit */
			g_string_append(d, g_ascii_dtostr(xs, sizeof(xs), x));
			for (int i = 0; i < 3 && m->pct[i]; i++) {
				int64_t p = report_percentile(vals, m->pct[i]);

				*lo = MIN(*lo, p);
				*hi = MAX(*hi, p);
				g_string_append_printf(d, " %" G_GINT64_FORMAT, p);
			}
			g_string_append_printf(d, " %u\n", vals->len);
		}
	}
}

static void plan_closed_form(struct report *r, struct chart *c, const struct input *in, guint axis)
{
	const struct grid_axis *a = in->spec->axes->pdata[axis];
	g_autoptr(GString) d = g_string_new(NULL);
	g_autofree char *path = g_strdup_printf("data/%s-closed-form.dat", c->stem);
	g_autofree char *full = g_build_filename(r->out, path, NULL);
	int64_t rtt = r->closed_rtt_ns ? r->closed_rtt_ns : min_latency(in);

	for (guint i = 0; i < a->values->len; i++) {
		double p;

		if (parse_number(a->values->pdata[i], &p) && p >= 0 && p <= 1)
			closed_form_row(d, a->values->pdata[i], p, rtt);
	}
	if (!d->len)
		return;
	g_string_prepend(d, "\"closed form\"\n");
	if (!cli_write_atomically(full, d->str, (gssize)d->len, NULL))
		return;	/* drawn without the closed form */
	report_chart_var_str(c, "cfdata", path);
	g_string_truncate(d, 0);
	report_format_s(d, rtt);
	g_free(c->caption);
	c->caption = g_strdup_printf(
		"Median and 99th percentile of connect() latency over the runs that connected, against %s; "
		"dashed: the closed form for independent loss %s of every SYN and SYN-ACK, given success: "
		"P(latency = t_k + RTT) ∝ (1-q)^k q, q = (1-%s)², t_k = 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s "
		"(linux-6.x defaults: 4 linear then 6 exponential SYN retransmissions), RTT = %s, and the server's "
		"tcp_synack_retries = 0 (every SYN-ACK answers one SYN), as in tests/stats/syn-loss.scn.",
		a->key, a->key, a->key, d->str);
}

/* The unit of a swept key's values, and its axis label; false (chart skipped) if it cannot be an axis. */
static bool axis_plot_unit(struct chart *c, const struct grid_axis *a, int *unit, char **xlabel)
{
	double x;

	for (guint i = 0; i < a->values->len; i++) {
		if ((i == 0 && !axis_unit(a->values->pdata[0], unit)) || !axis_x(a->values->pdata[i], *unit, &x)) {
			report_chart_skip(c, "the values of %s are not all plain numbers, all percentages or all times ('%s')", a->key,
					  (char *)a->values->pdata[i]);
			return false;
		}
	}
	if (a->values->len < 2) {
		report_chart_skip(c, "%s has a single value", a->key);
		return false;
	}
	*xlabel = *unit == AXIS_PLAIN ? g_strdup(a->key) :
		  *unit == AXIS_PERCENT ? g_strdup_printf("%s (%%)", a->key) :
		  g_strdup_printf("%s (%s)", a->key, time_units[*unit].suffix);
	return true;
}

static char *vs_stem(const struct report *r, const struct input *in, const char *what, const char *key)
{
	char *stem = r->inputs->len > 1 ? g_strdup_printf("%s-vs-%s-%s", what, key, in->name) :
		     g_strdup_printf("%s-vs-%s", what, key);

	return g_strdelimit(stem, "/: ", '_');
}

/* Throughput (bytes received in order, TCP and vsock; row.c) against a swept key. */
static void plan_throughput_vs_param(struct report *r, struct input *in, guint axis)
{
	const struct grid_axis *a = in->spec->axes->pdata[axis];
	g_autofree char *stem = vs_stem(r, in, "throughput", a->key);
	g_autofree char *title = g_strdup_printf("Throughput vs %s", a->key);
	g_autofree char *xlabel = NULL;
	g_autoptr(GString) d = g_string_new(NULL);
	int64_t lo = INT64_MAX, hi = 0;
	int blocks = 0, unit = AXIS_PLAIN;
	struct chart *c = report_chart_new(r, stem, title, "throughput-vs-param.gp");

	c->caption = g_strdup_printf("Median (line) and 10th-90th percentile band of throughput (bytes received in "
				     "order, TCP and vsock, x 8 over the time data arrived; summary column "
				     "throughput_bps) over the runs that received data, per value of %s.", a->key);
	c->subtitle = g_strdup(in->subtitle);
	if (!axis_plot_unit(c, a, &unit, &xlabel))
		return;
	vs_param_data(in, axis, unit, &throughput_metric, d, &blocks, &lo, &hi);
	if (hi <= 0) {
		report_chart_skip(c, "no run received data (summary column bytes_received)");
		return;
	}
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_str(c, "xlabel", xlabel);
	report_write_data(r, c, d);
}

static void plan_vs_param(struct report *r, struct input *in, guint axis)
{
	const struct grid_axis *a = in->spec->axes->pdata[axis];
	g_autofree char *stem = vs_stem(r, in, "latency", a->key);
	g_autofree char *title = g_strdup_printf("connect() latency vs %s", a->key);
	struct chart *c;
	g_autoptr(GString) d = g_string_new(NULL);
	g_autofree char *xlabel = NULL;
	int64_t lo = INT64_MAX, hi = 0;
	int blocks = 0, unit = AXIS_PLAIN;

	c = report_chart_new(r, stem, title, "latency-vs-param.gp");
	c->caption = g_strdup_printf("Median (line) and median-to-p99 band of connect() latency over the runs "
				     "that connected, per value of %s.", a->key);
	if (!axis_plot_unit(c, a, &unit, &xlabel))
		return;
	c->subtitle = g_strdup(in->subtitle);
	vs_param_data(in, axis, unit, &latency_metric, d, &blocks, &lo, &hi);
	if (min_latency(in) < 0) {
		report_chart_skip(c, "no run has a connect() that returned 0");
		return;
	}
	if (max_latency(in) == min_latency(in)) {
		g_autoptr(GString) t = g_string_new(NULL);

		report_format_time(t, min_latency(in));
		report_chart_skip(c, "connect() took %s in every run that connected, whatever %s: a flat line", t->str,
				  a->key);
		return;
	}
	report_chart_var_int(c, "nblocks", blocks);
	report_chart_var_str(c, "xlabel", xlabel);
	report_chart_var_int(c, "ymin_ns", lo);
	report_chart_var_int(c, "ymax_ns", hi);
	report_chart_var_str(c, "cfdata", "");
	if (r->closed_key && strcmp(r->closed_key, a->key) == 0)
		plan_closed_form(r, c, in, axis);
	report_write_data(r, c, d);
}

void report_plan_charts(struct report *r)
{
	plan_cdf(r);
	for (guint i = 0; i < r->inputs->len; i++) {
		struct input *in = r->inputs->pdata[i];

		for (guint k = 0; in->spec && k < in->spec->axes->len; k++) {
			plan_vs_param(r, in, k);
			plan_throughput_vs_param(r, in, k);
		}
	}
	report_plan_timelines(r);
}
