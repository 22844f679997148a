/* SPDX-License-Identifier: MIT */
#include "json.h"

#include "sim/trace.h"
#include "socksim_version.h"

void json_init(struct json *j, bool pretty)
{
	j->s = g_string_new(NULL);
	j->depth = 0;
	j->need_comma[0] = false;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	if (!j->pretty)
		return;
	g_string_append_c(j->s, '\n');
	for (int i = 0; i < j->depth; i++)
		g_string_append(j->s, "  ");
}

static void key(struct json *j, const char *k)
{
	if (j->need_comma[j->depth])
		g_string_append_c(j->s, ',');
	j->need_comma[j->depth] = true;
	if (j->depth)
		indent(j);
	if (k) {
		sim_json_append_string(j->s, k);
		g_string_append(j->s, j->pretty ? ": " : ":");
	}
}

static void open(struct json *j, const char *k, char c)
{
	key(j, k);
	g_string_append_c(j->s, c);
	g_assert(j->depth < 31);
	j->need_comma[++j->depth] = false;
}

static void close_(struct json *j, char c)
{
	bool had = j->need_comma[j->depth];

	j->depth--;
	if (had)
		indent(j);
	g_string_append_c(j->s, c);
}

void json_begin_object(struct json *j, const char *k) { open(j, k, '{'); }
void json_end_object(struct json *j) { close_(j, '}'); }
void json_begin_array(struct json *j, const char *k) { open(j, k, '['); }
void json_end_array(struct json *j) { close_(j, ']'); }

void json_str(struct json *j, const char *k, const char *v)
{
	key(j, k);
	if (v)
		sim_json_append_string(j->s, v);
	else
		g_string_append(j->s, "null");
}

/* The decimal digits of @v (and a '-' if @neg), without printf's cost. */
static void append_decimal(GString *s, bool neg, uint64_t v)
{
	char buf[24];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (neg)
		buf[--i] = '-';
	g_string_append_len(s, buf + i, (gssize)sizeof(buf) - i);
}

void json_int(struct json *j, const char *k, int64_t v)
{
	key(j, k);
	/* the magnitude of INT64_MIN too, in unsigned arithmetic */
	append_decimal(j->s, v < 0, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

void json_uint(struct json *j, const char *k, uint64_t v)
{
	key(j, k);
	append_decimal(j->s, false, v);
}

void json_bool(struct json *j, const char *k, bool v)
{
	key(j, k);
	g_string_append(j->s, v ? "true" : "false");
}

void json_null(struct json *j, const char *k)
{
	key(j, k);
	g_string_append(j->s, "null");
}

void json_uint_array(struct json *j, const char *k, const GArray *a)
{
	json_begin_array(j, k);
	for (guint i = 0; i < a->len; i++)
		json_uint(j, NULL, g_array_index(a, uint64_t, i));
	json_end_array(j);
}

char *json_finish(struct json *j)
{
	g_string_append_c(j->s, '\n');
	return g_string_free(j->s, FALSE);
}

void scn_json_generator(struct json *j)
{
	json_begin_object(j, "socksim");
	json_str(j, "version", SOCKSIM_VERSION);
	json_str(j, "revision", SOCKSIM_REVISION[0] ? SOCKSIM_REVISION : NULL);
	json_end_object(j);
}
