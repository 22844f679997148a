/* SPDX-License-Identifier: MIT */
/* Typed reads of JSON read back from disk (json_read.h). */
#include "json_read.h"

#include <string.h>

static const char *node_kind(JsonNode *n)
{
	if (!n || JSON_NODE_HOLDS_NULL(n))
		return "null";
	if (JSON_NODE_HOLDS_OBJECT(n))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY(n))
		return "an array";
	switch (json_node_get_value_type(n)) {
	case G_TYPE_STRING:
		return "a string";
	case G_TYPE_BOOLEAN:
		return "a boolean";
	case G_TYPE_DOUBLE:
		return "a fractional number";
	default:
		return "an integer";
	}
}

static void type_error(struct json_read *jr, const char *key, const char *want, JsonNode *n)
{
	if (!jr->error)
		g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:1: field '%s': expected %s, found %s",
			    jr->path, jr->line, key, want, node_kind(n));
}

static bool is_value(JsonNode *n, GType t)
{
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == t;
}

const char *jr_str(struct json_read *jr, JsonObject *o, const char *key, const char *def)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n || JSON_NODE_HOLDS_NULL(n))
		return def;
	if (is_value(n, G_TYPE_STRING))
		return json_node_get_string(n);
	type_error(jr, key, "a string", n);
	return def;
}

int64_t jr_int(struct json_read *jr, JsonObject *o, const char *key, int64_t def)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n || JSON_NODE_HOLDS_NULL(n))
		return def;
	if (is_value(n, G_TYPE_INT64))
		return json_node_get_int(n);
	type_error(jr, key, "an integer", n);
	return def;
}

JsonArray *jr_array(struct json_read *jr, JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n || JSON_NODE_HOLDS_NULL(n))
		return NULL;
	if (JSON_NODE_HOLDS_ARRAY(n))
		return json_node_get_array(n);
	type_error(jr, key, "an array", n);
	return NULL;
}

JsonObject *jr_object(struct json_read *jr, JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	if (!n || JSON_NODE_HOLDS_NULL(n))
		return NULL;
	if (JSON_NODE_HOLDS_OBJECT(n))
		return json_node_get_object(n);
	type_error(jr, key, "an object", n);
	return NULL;
}

JsonObject *jr_elem_object(struct json_read *jr, JsonArray *a, guint i, const char *what)
{
	JsonNode *n = json_array_get_element(a, i);

	if (JSON_NODE_HOLDS_OBJECT(n))
		return json_node_get_object(n);
	type_error(jr, what, "objects", n);
	return NULL;
}

const char *jr_elem_str(struct json_read *jr, JsonArray *a, guint i, const char *what)
{
	JsonNode *n = json_array_get_element(a, i);

	if (is_value(n, G_TYPE_STRING))
		return json_node_get_string(n);
	type_error(jr, what, "strings", n);
	return NULL;
}

JsonObject *jr_root_object(struct json_read *jr, JsonParser *parser)
{
	JsonNode *root = json_parser_get_root(parser);

	if (root && JSON_NODE_HOLDS_OBJECT(root))
		return json_node_get_object(root);
	if (!jr->error)
		g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:1: expected a JSON object, found %s",
			    jr->path, jr->line, node_kind(root));
	return NULL;
}

/* The end of the first JSON value in @t[0..n) (strings and nesting skipped), or n. */
static gsize first_value_end(const char *t, gsize n)
{
	gsize i = 0;
	int depth = 0;

	while (i < n && g_ascii_isspace(t[i]))
		i++;
	while (i < n) {
		char ch = t[i++];

		if (ch == '"') {
			while (i < n && t[i] != '"')
				i += t[i] == '\\' && i + 1 < n ? 2 : 1;
			i++;
		} else if (ch == '{' || ch == '[') {
			depth++;
			continue;
		} else if (ch == '}' || ch == ']') {
			depth--;
		} else if (!strchr(" \t\r\n,:", ch)) {
			while (i < n && !strchr(" \t\r\n,:{}[]\"", t[i]))
				i++;	/* a number, true, false, null (or garbage json-glib rejects) */
		}
		if (depth <= 0)
			return i < n ? i : n;
	}
	return n;
}

gboolean jr_load_data(JsonParser *parser, const char *text, gssize len, GError **error)
{
	gsize n = len < 0 ? strlen(text) : (gsize)len;
	gsize end = first_value_end(text, n);

	for (gsize i = end; i < n; i++)
		if (!g_ascii_isspace(text[i])) {
			g_set_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
				    "trailing data after the JSON value");
			return FALSE;
		}
	if (!json_parser_load_from_data(parser, text, (gssize)n, error))
		return FALSE;
	if (!json_parser_get_root(parser)) {
		/* empty or blank: json-glib accepts it with no root, and every
		 * JSON_NODE_HOLDS_*() on that NULL is a GLib critical */
		g_set_error(error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
			    "no JSON value (the text is empty)");
		return FALSE;
	}
	return TRUE;
}

gboolean jr_load_file(JsonParser *parser, const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize n;

	if (!g_file_get_contents(path, &text, &n, error))
		return FALSE;
	return jr_load_data(parser, text, (gssize)n, error);
}
