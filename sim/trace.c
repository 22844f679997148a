/* SPDX-License-Identifier: MIT */
/* Trace sinks: human text and JSON Lines, to a FILE or to memory. */
#include "sim/trace.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "sim/sim.h"

struct sim_trace {
	FILE *out;		/* NULL: memory sink */
	GString *mem;
	enum sim_trace_format fmt;
	sim_trace_hook hook;
	void *hook_opaque;
};

struct sim_trace *sim_trace_new(FILE *out, enum sim_trace_format fmt)
{
	struct sim_trace *tr = g_new0(struct sim_trace, 1);

	tr->out = out;
	tr->fmt = fmt;
	return tr;
}

struct sim_trace *sim_trace_new_memory(enum sim_trace_format fmt)
{
	struct sim_trace *tr = sim_trace_new(NULL, fmt);

	tr->mem = g_string_new(NULL);
	return tr;
}

const char *sim_trace_memory(const struct sim_trace *tr)
{
	return tr->mem ? tr->mem->str : "";
}

void sim_trace_free(struct sim_trace *tr)
{
	if (!tr)
		return;
	if (tr->mem)
		g_string_free(tr->mem, TRUE);
	g_free(tr);
}

void sim_trace_set_hook(struct sim_trace *tr, sim_trace_hook hook, void *opaque)
{
	tr->hook = hook;
	tr->hook_opaque = opaque;
}

void sim_time_format(sim_time_t t, char *buf, size_t len)
{
	g_snprintf(buf, len, "%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT,
		   t / 1000000000u, t % 1000000000u);
}

static void put(struct sim_trace *tr, const GString *line)
{
	if (tr->mem)
		g_string_append_len(tr->mem, line->str, line->len);
	else if (tr->out)
		fwrite(line->str, 1, line->len, tr->out);
}

void sim_json_append_string(GString *s, const char *v)
{
	g_string_append_c(s, '"');
	while (*v) {
		const char *run = v;
		unsigned char c;

		/* the longest run that needs no escape, in one append */
		while ((c = (unsigned char)*v) && c != '"' && c != '\\' && c >= 0x20)
			v++;
		if (v > run)
			g_string_append_len(s, run, v - run);
		if (!c)
			break;
		if (c == '"' || c == '\\')
			g_string_append_printf(s, "\\%c", c);
		else
			g_string_append_printf(s, "\\u%04x", c);
		v++;
	}
	g_string_append_c(s, '"');
}

static bool is_integer(const char *v)
{
	if (*v == '-')
		v++;
	if (!*v || (v[0] == '0' && v[1]))
		return false;
	for (; *v; v++)
		if (!g_ascii_isdigit(*v))
			return false;
	return true;
}

void sim_trace_detail_json(GString *s, const char *detail)
{
	g_auto(GStrv) toks = g_strsplit(detail, " ", -1);

	for (char **p = toks; *p; p++) {
		char *eq = strchr(*p, '=');

		if (!**p || !eq)
			continue;
		*eq = '\0';
		g_string_append_c(s, ',');
		sim_json_append_string(s, *p);
		g_string_append_c(s, ':');
		if (is_integer(eq + 1))
			g_string_append(s, eq + 1);
		else
			sim_json_append_string(s, eq + 1);
	}
}

void sim_trace_header(struct sim_trace *tr, const char *key, const char *value)
{
	g_autoptr(GString) line = g_string_new(NULL);

	if (!tr)
		return;
	if (tr->fmt == SIM_TRACE_TEXT) {
		g_string_printf(line, "# %s: %s\n", key, value);
	} else {
		g_string_append(line, "{\"header\":");
		sim_json_append_string(line, key);
		g_string_append(line, ",\"value\":");
		sim_json_append_string(line, value);
		g_string_append(line, "}\n");
	}
	put(tr, line);
}

void sim_trace_emit(struct sim_trace *tr, const struct sim_trace_rec *rec)
{
	g_autoptr(GString) line = g_string_new(NULL);
	char ts[32];

	if (!tr)
		return;
	if (tr->hook)
		tr->hook(tr->hook_opaque, rec);
	sim_time_format(rec->t, ts, sizeof(ts));
	if (tr->fmt == SIM_TRACE_TEXT) {
		g_string_printf(line, "%14s %-8s %-7s %-30s %s", ts,
				rec->host ? rec->host : "-", rec->obj ? rec->obj : "-",
				rec->event, rec->detail ? rec->detail : "");
		if (rec->func)
			g_string_append_printf(line, "%s<- %s", rec->detail && *rec->detail ? "  " : "", rec->func);
		g_string_append_c(line, '\n');
	} else {
		g_string_append_printf(line, "{\"t_ns\":%" G_GUINT64_FORMAT, rec->t);
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
	put(tr, line);
}

void sim_trace(struct sim *sim, const char *host, const char *obj,
	       const char *event, const char *func, const char *fmt, ...)
{
	struct sim_trace *tr = sim_trace_sink(sim);
	g_autofree char *detail = NULL;
	va_list ap;

	if (!tr)
		return;
	va_start(ap, fmt);
	detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	sim_trace_emit(tr, &(struct sim_trace_rec){
		.t = sim_now(sim), .host = host, .obj = obj, .event = event,
		.func = func, .detail = detail,
	});
}
