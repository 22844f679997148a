/* SPDX-License-Identifier: MIT */
/* OUT/index.html: one self-contained page, no external assets (report.h). */
#include <string.h>

#include "cli.h"
#include "report.h"

static const char style[] =
	"body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
	"table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}"
	"th{background:#eee}td.l,th.l{text-align:left}figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}"
	"figcaption{font-size:90%;color:#444;max-width:960px}code{background:#f4f4f4}";

static void esc(GString *h, const char *text)
{
	g_autofree char *e = g_markup_escape_text(text ? text : "", -1);

	g_string_append(h, e);
}

static void cell_s(GString *h, const GArray *lat, unsigned int pct)
{
	g_string_append(h, "<td>");
	if (lat->len)
		report_format_s(h, report_percentile(lat, pct));
	else
		g_string_append(h, "&ndash;");
	g_string_append(h, "</td>");
}

/* Mbit/s with two decimals, from integer bit/s (no floating point in the text). */
static void format_mbps(GString *h, int64_t bps)
{
	int64_t centi = (bps + 5000) / 10000;

	g_string_append_printf(h, "%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT, centi / 100, centi % 100);
}

/* The @pct percentile of throughputs in Mbit/s, or the @pct-@pct2 range. */
static void cell_mbps(GString *h, const GArray *bps, unsigned int pct, unsigned int pct2)
{
	g_string_append(h, "<td>");
	if (!bps->len) {
		g_string_append(h, "&ndash;</td>");
		return;
	}
	format_mbps(h, report_percentile(bps, pct));
	if (pct2) {
		g_string_append(h, "&ndash;");
		format_mbps(h, report_percentile(bps, pct2));
	}
	g_string_append(h, " Mbit/s</td>");
}

/* @sum / @runs with two decimals, in integers. */
static const char *per_run(GString *t, uint64_t sum, uint64_t runs)
{
	uint64_t centi = runs ? (sum * 100 + runs / 2) / runs : 0;

	g_string_printf(t, "%" G_GUINT64_FORMAT ".%02" G_GUINT64_FORMAT, centi / 100, centi % 100);
	return t->str;
}

static void summary_table(GString *h, const struct report *r)
{
	g_string_append(h, "<h2 id=\"summary\">Summary</h2>\n<table>\n<tr><th class=l>input</th><th class=l>variant</th>"
			"<th>runs</th><th>ok</th><th>expectation failed</th><th>run limit</th><th>failed</th>"
			"<th>missing</th><th>connected</th><th>median latency</th><th>p99 latency</th>"
			"<th>SYN retrans / run</th><th>received data</th><th>median throughput</th>"
			"<th>p10&ndash;p90 throughput</th><th>retrans segs / run</th><th>RTO timeouts / run</th></tr>\n");
	for (guint i = 0; i < r->inputs->len; i++) {
		const struct input *in = r->inputs->pdata[i];

		for (guint k = 0; k < in->variants->len; k++) {
			const struct variant *v = in->variants->pdata[k];
			g_autoptr(GString) t = g_string_new(NULL);

			g_string_append(h, "<tr><td class=l>");
			esc(h, in->name);
			g_string_append(h, "</td><td class=l>");
			esc(h, v->label);
			g_string_append_printf(h, "</td><td>%" G_GUINT64_FORMAT "</td><td>%" G_GUINT64_FORMAT "</td><td>%"
					       G_GUINT64_FORMAT "</td><td>%" G_GUINT64_FORMAT "</td><td>%" G_GUINT64_FORMAT
					       "</td><td>%" G_GUINT64_FORMAT "</td><td>%u</td>", v->n.runs, v->n.ok, v->n.expect,
					       v->n.limit, v->n.failed, v->n.missing, v->lat_ns->len);
			cell_s(h, v->lat_ns, 50);
			cell_s(h, v->lat_ns, 99);
			g_string_append_printf(h, "<td>%s</td><td>%u</td>", per_run(t, v->syn_retrans, v->n.runs),
					       v->tput_bps->len);
			cell_mbps(h, v->tput_bps, 50, 0);
			cell_mbps(h, v->tput_bps, 10, 90);
			g_string_append_printf(h, "<td>%s</td>", per_run(t, v->retrans_segs, v->n.runs));
			g_string_append_printf(h, "<td>%s</td></tr>\n", per_run(t, v->timeouts, v->n.runs));
		}
	}
	g_string_append(h, "</table>\n<p>Latency: connect() call to return, over the runs whose connect() returned 0 "
			"(nearest-rank percentiles). Throughput: the summary column throughput_bps (bytes received "
			"in order &times; 8 over the exact time from the connection's start to the last byte), over "
			"the runs that received data. Retransmitted segments: RetransSegs; RTO timeouts: TCPTimeouts, "
			"both summed over the hosts. Failed: the scenario was rejected or the run crashed "
			"(see the message column of the summary).</p>\n");
}

static void figure(GString *h, const struct chart *c)
{
	g_string_append_printf(h, "<figure id=\"%s\"><a href=\"%s.png\"><img src=\"%s.svg\" alt=\"", c->stem, c->stem,
			       c->stem);
	esc(h, c->title);
	g_string_append(h, "\" width=\"960\" height=\"600\"></a><figcaption><b>");
	esc(h, c->title);
	g_string_append(h, ".</b> ");
	esc(h, c->caption);
	g_string_append_printf(h, " <a href=\"%s.png\">PNG</a> &middot; <a href=\"%s.svg\">SVG</a> &middot; "
			       "<a href=\"%s\">data</a> &middot; <a href=\"gnuplot/%s\">script</a></figcaption></figure>\n",
			       c->stem, c->stem, c->data, c->script);
}

static void inputs_list(GString *h, const struct report *r)
{
	g_string_append(h, "<h2>Inputs and raw data</h2>\n<ul>\n");
	for (guint i = 0; i < r->inputs->len; i++) {
		const struct input *in = r->inputs->pdata[i];

		g_string_append(h, "<li><code>");
		esc(h, in->path);
		g_string_append(h, "</code>");
		if (in->spec) {
			g_string_append_printf(h, ": sweep of <code>%s</code>, %" G_GUINT64_FORMAT " grid points &times; %"
					       G_GUINT64_FORMAT " seeds; summary <a href=\"data/", in->spec->scenario,
					       grid_size(in->spec->axes), in->spec->seeds);
			esc(h, in->name);
			g_string_append(h, "-summary.csv\">CSV</a>, <a href=\"data/");
			esc(h, in->name);
			g_string_append(h, "-summary.jsonl\">JSON Lines</a>");
		} else {
			g_string_append(h, ": one run's results");
		}
		g_string_append(h, "</li>\n");
	}
	g_string_append(h, "</ul>\n<p>Every chart's data file is under <code>data/</code> (integer nanoseconds), "
			"its script under <code>gnuplot/</code>; <code>render.sh</code> redraws them all.</p>\n");
}

bool report_write_html(const struct report *r, GError **error)
{
	g_autoptr(GString) h = g_string_new(NULL);
	g_autofree char *path = g_build_filename(r->out, "index.html", NULL);
	bool skipped = false;

	g_string_append_printf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			       "<title>socksim report</title><style>%s</style></head><body>\n<h1>socksim report</h1>\n"
			       "<p><a href=\"#summary\">Summary</a> &middot; <a href=\"#charts\">Charts</a> &middot; "
			       "<a href=\"#skipped\">Not drawn</a></p>\n", style);
	inputs_list(h, r);
	summary_table(h, r);
	g_string_append(h, "<h2 id=\"charts\">Charts</h2>\n");
	for (guint i = 0; i < r->charts->len; i++)
		if (!((struct chart *)r->charts->pdata[i])->skipped)
			figure(h, r->charts->pdata[i]);
	g_string_append(h, "<h2 id=\"skipped\">Not drawn</h2>\n<ul>\n");
	for (guint i = 0; i < r->charts->len; i++) {
		const struct chart *c = r->charts->pdata[i];

		if (!c->skipped)
			continue;
		skipped = true;
		g_string_append(h, "<li><b>");
		esc(h, c->title);
		g_string_append(h, "</b>: ");
		esc(h, c->skipped);
		g_string_append(h, "</li>\n");
	}
	if (!skipped)
		g_string_append(h, "<li>(every chart was drawn)</li>\n");
	g_string_append(h, "</ul>\n</body></html>\n");
	return cli_write_atomically(path, h->str, (gssize)h->len, error);
}
