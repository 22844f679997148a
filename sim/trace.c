/* SPDX-License-Identifier: MIT */
/* The engine's trace sink: records handed to consumers in attach order (sim/trace.h). */
#include "sim/trace.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "sim/sim.h"

struct sim_trace {
	GPtrArray *consumers;	/* const struct sim_trace_consumer *, attach order */
};

struct sim_trace *sim_trace_new(void)
{
	struct sim_trace *tr = g_new0(struct sim_trace, 1);

	tr->consumers = g_ptr_array_new();
	return tr;
}

void sim_trace_free(struct sim_trace *tr)
{
	if (!tr)
		return;
	g_ptr_array_free(tr->consumers, TRUE);
	g_free(tr);
}

void sim_trace_attach(struct sim_trace *tr, const struct sim_trace_consumer *c)
{
	g_ptr_array_add(tr->consumers, (gpointer)c);
}

void sim_trace_detach(struct sim_trace *tr, const struct sim_trace_consumer *c)
{
	if (tr)
		g_ptr_array_remove(tr->consumers, (gpointer)c);
}

void sim_time_format(sim_time_t t, char *buf, size_t len)
{
	g_snprintf(buf, len, "%" G_GUINT64_FORMAT ".%09" G_GUINT64_FORMAT,
		   t / 1000000000u, t % 1000000000u);
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
	for (guint i = 0; tr && i < tr->consumers->len; i++) {
		const struct sim_trace_consumer *c = tr->consumers->pdata[i];

		if (c->header)
			c->header(c->ctx, key, value);
	}
}

void sim_trace_emit(struct sim_trace *tr, const struct sim_trace_rec *rec)
{
	for (guint i = 0; tr && i < tr->consumers->len; i++) {
		const struct sim_trace_consumer *c = tr->consumers->pdata[i];

		c->record(c->ctx, rec);
	}
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
