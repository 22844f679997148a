/* SPDX-License-Identifier: MIT */
/* The --trace writer: text and JSON Lines lines from trace records (observers/trace_writer.h). */
#include "trace_writer.h"

#include <glib.h>

struct trace_writer {
	struct sim_trace_consumer consumer;
	struct sim_trace *sink;
	FILE *out;		/* NULL: memory */
	GString *mem;
	GString *line;		/* reused for every record */
	enum trace_format fmt;
};

static void put(struct trace_writer *w)
{
	if (w->mem)
		g_string_append_len(w->mem, w->line->str, (gssize)w->line->len);
	else
		fwrite(w->line->str, 1, w->line->len, w->out);
}

static void on_header(void *ctx, const char *key, const char *value)
{
	struct trace_writer *w = ctx;
	GString *line = w->line;

	g_string_truncate(line, 0);
	if (w->fmt == TRACE_TEXT) {
		g_string_printf(line, "# %s: %s\n", key, value);
	} else {
		g_string_append(line, "{\"header\":");
		sim_json_append_string(line, key);
		g_string_append(line, ",\"value\":");
		sim_json_append_string(line, value);
		g_string_append(line, "}\n");
	}
	put(w);
}

/* "  12.000000345 client   sk#3    EVENT   DETAIL  <- FUNC" */
static void format_text(GString *line, const struct sim_trace_rec *rec, const char *ts)
{
	g_string_printf(line, "%14s %-8s %-7s %-30s %s", ts,
			rec->host ? rec->host : "-", rec->obj ? rec->obj : "-",
			rec->event, rec->detail ? rec->detail : "");
	if (rec->func)
		g_string_append_printf(line, "%s<- %s", rec->detail && *rec->detail ? "  " : "", rec->func);
	g_string_append_c(line, '\n');
}

/* {"t_ns":..,"host":..,"obj":..,"event":..,"func":..,DETAIL FIELDS} */
static void format_jsonl(GString *line, const struct sim_trace_rec *rec)
{
	g_string_printf(line, "{\"t_ns\":%" G_GUINT64_FORMAT, rec->t);
	g_string_append(line, ",\"host\":");
	sim_json_append_string(line, rec->host ? rec->host : "");
	g_string_append(line, ",\"obj\":");
	sim_json_append_string(line, rec->obj ? rec->obj : "");
	g_string_append(line, ",\"event\":");
	sim_json_append_string(line, rec->event);
	if (rec->func) {
		g_string_append(line, ",\"func\":");
		sim_json_append_string(line, rec->func);
	}
	if (rec->detail)
		sim_trace_detail_json(line, rec->detail);
	g_string_append(line, "}\n");
}

static void on_record(void *ctx, const struct sim_trace_rec *rec)
{
	struct trace_writer *w = ctx;
	char ts[32];

	if (w->fmt == TRACE_TEXT) {
		sim_time_format(rec->t, ts, sizeof(ts));
		format_text(w->line, rec, ts);
	} else {
		format_jsonl(w->line, rec);
	}
	put(w);
}

struct trace_writer *trace_writer_new(struct sim_trace *sink, FILE *out, enum trace_format fmt)
{
	struct trace_writer *w = g_new0(struct trace_writer, 1);

	w->consumer = (struct sim_trace_consumer){ .ctx = w, .record = on_record, .header = on_header };
	w->sink = sink;
	w->out = out;
	w->fmt = fmt;
	w->line = g_string_new(NULL);
	if (!out)
		w->mem = g_string_new(NULL);
	sim_trace_attach(sink, &w->consumer);
	return w;
}

struct trace_writer *trace_writer_new_memory(struct sim_trace *sink, enum trace_format fmt)
{
	return trace_writer_new(sink, NULL, fmt);
}

const char *trace_writer_memory(const struct trace_writer *w)
{
	return w->mem ? w->mem->str : "";
}

void trace_writer_free(struct trace_writer *w)
{
	if (!w)
		return;
	sim_trace_detach(w->sink, &w->consumer);
	if (w->mem)
		g_string_free(w->mem, TRUE);
	g_string_free(w->line, TRUE);
	g_free(w);
}
