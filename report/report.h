/* SPDX-License-Identifier: MIT */
/*
 * socksim report: the pieces behind `report.c`.
 *
 *   report_data.c  reads summaries and results, writes the data files under
 *                  OUT/data/ that the gnuplot scripts in analysis/ plot
 *   report_timeline.c  re-runs one run of a sweep with a JSONL trace, and
 *                  writes its SYN timeline, state timeline and sampled series
 *   report_html.c  writes OUT/index.html
 *
 * All data files hold integer nanoseconds; the scripts convert to seconds.
 */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <glib.h>
#include <stdint.h>

#include "spec.h"
#include "summary.h"

/* One grid point of one input (or one results file): a line in the CDF. */
struct variant {
	char *label;
	uint64_t grid;
	GPtrArray *values;	/* the grid point's value per axis (borrowed) */
	GArray *lat_ns;		/* int64_t latencies of connects that returned 0, sorted */
	GArray *tput_bps;	/* int64_t throughput_bps of runs that received data, sorted */
	struct summary_counts n;	/* runs by outcome */
	uint64_t syn_retrans;	/* summed over the runs */
	uint64_t retrans_segs;	/* RetransSegs, summed over the runs */
	uint64_t timeouts;	/* TCPTimeouts, summed over the runs */
};

/* One run of a sweep: which it is and how eventful, for picking the one drawn in the timelines. */
struct run_ref {
	uint64_t grid, seed;
	int64_t score[3];	/* connect() returned 0, SYN retransmissions, RetransSegs: the larger the likelier */
	bool drawable;		/* has results (not error, crashed or missing) */
};

struct input {
	char *path;
	char *name;			/* short label: the directory or file name */
	struct sweep_spec *spec;	/* NULL for a results file */
	GPtrArray *variants;		/* struct variant * */
	GArray *runs;			/* struct run_ref, summary order (sweeps) */
	char *subtitle;			/* scenario, parameters and seeds of the input */
	char *results;			/* results of the exemplar run, NULL if none */
	char *trace;			/* its JSONL trace, NULL if none */
	char *exemplar;			/* what the exemplar run is, for captions */
	char *ex_subtitle;		/* scenario, parameters and seed of the exemplar, for chart subtitles */
	uint64_t ex_grid, ex_seed;	/* the exemplar (sweeps) */
	bool has_exemplar;
	bool ex_chosen;			/* picked by --example */
};

/* A chart: drawn (script != NULL after rendering) or skipped with a reason. */
struct chart {
	char *stem;		/* OUT/STEM.png, OUT/STEM.svg */
	char *title;
	char *caption;
	char *script;		/* analysis/NAME.gp */
	char *data;		/* data/STEM.dat */
	GPtrArray *vars;	/* extra gnuplot assignments "name='value'" or "name=1" */
	char *subtitle;		/* scenario, parameters and seed(s) drawn, under the title */
	char *skipped;		/* why it is not drawn, or NULL */
};

struct report {
	const char *out;
	GPtrArray *inputs;	/* struct input * */
	GPtrArray *charts;	/* struct chart * */
	const char *closed_key;	/* --closed-form syn-loss:KEY */
	int64_t closed_rtt_ns;	/* 0: the smallest latency observed */
	const char *example;	/* --example SEED|KEY=VALUE,...[,seed=N]; NULL: the default rule */
	uint64_t connect_line;	/* --connect-line N; 0: the sweep's, or the first connect() */
};

/* report_data.c */
bool report_load_input(struct report *r, const char *path, GError **error);
bool report_choose_example(struct report *r, GError **error);
void report_plan_charts(struct report *r);
struct chart *report_chart_new(struct report *r, const char *stem, const char *title, const char *script);
void report_chart_skip(struct chart *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
bool report_write_data(struct report *r, struct chart *c, GString *text);
void report_block_header(GString *d, const char *title);	/* a new data block */
void report_chart_var_int(struct chart *c, const char *name, int64_t v);
void report_chart_var_str(struct chart *c, const char *name, const char *v);
int64_t report_percentile(const GArray *sorted, unsigned int pct);
void report_format_s(GString *out, int64_t ns);
void report_format_time(GString *out, int64_t ns);	/* "20.0 ms", "1.000 s": a readable time */
char *report_sweep_subtitle(const struct input *in);
void report_input_free(struct input *in);
void report_chart_free(struct chart *c);

/* report_timeline.c: the exemplar run's SYN and state timelines, and sampled series */
void report_plan_timelines(struct report *r);

/* report_html.c */
bool report_write_html(const struct report *r, GError **error);

#endif
