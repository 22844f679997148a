/* SPDX-License-Identifier: MIT */
/* Typed reads of JSON read back from disk (json_read.h). */
#include "json_read.h"

static const char *node_kind(const struct jd_node *n)
{
	switch (n ? n->type : JD_NULL) {
	case JD_NULL:
		return "null";
	case JD_OBJECT:
		return "an object";
	case JD_ARRAY:
		return "an array";
	case JD_STRING:
		return "a string";
	case JD_BOOL:
		return "a boolean";
	case JD_DOUBLE:
		return "a fractional number";
	case JD_INT:
		break;
	}
	return "an integer";
}

/* "PATH:LINE:COL" of @n, in the file @jr reads. */
static void type_error(struct json_read *jr, const char *key, const char *want, const struct jd_node *n)
{
	if (!jr->error)
		g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:%u: field '%s': expected %s, found %s",
			    jr->path, jr->line + n->line - 1, n->col, key, want, node_kind(n));
}

const char *jr_str(struct json_read *jr, const struct jd_node *o, const char *key, const char *def)
{
	struct jd_node *n = jd_get(o, key);

	if (jd_is_null(n))
		return def;
	if (jd_is_string(n))
		return n->u.s;
	type_error(jr, key, "a string", n);
	return def;
}

int64_t jr_int(struct json_read *jr, const struct jd_node *o, const char *key, int64_t def)
{
	struct jd_node *n = jd_get(o, key);

	if (jd_is_null(n))
		return def;
	if (jd_is_int(n))
		return n->u.i;
	type_error(jr, key, "an integer", n);
	return def;
}

struct jd_node *jr_array(struct json_read *jr, const struct jd_node *o, const char *key)
{
	struct jd_node *n = jd_get(o, key);

	if (jd_is_null(n))
		return NULL;
	if (jd_is_array(n))
		return n;
	type_error(jr, key, "an array", n);
	return NULL;
}

struct jd_node *jr_object(struct json_read *jr, const struct jd_node *o, const char *key)
{
	struct jd_node *n = jd_get(o, key);

	if (jd_is_null(n))
		return NULL;
	if (jd_is_object(n))
		return n;
	type_error(jr, key, "an object", n);
	return NULL;
}

struct jd_node *jr_elem_object(struct json_read *jr, const struct jd_node *a, guint i, const char *what)
{
	struct jd_node *n = jd_at(a, i);

	if (jd_is_object(n))
		return n;
	if (n)
		type_error(jr, what, "objects", n);
	return NULL;
}

const char *jr_elem_str(struct json_read *jr, const struct jd_node *a, guint i, const char *what)
{
	struct jd_node *n = jd_at(a, i);

	if (jd_is_string(n))
		return n->u.s;
	if (n)
		type_error(jr, what, "strings", n);
	return NULL;
}

struct jd_node *jr_root_object(struct json_read *jr, const struct jd_doc *doc)
{
	struct jd_node *root = jd_root(doc);

	if (jd_is_object(root))
		return root;
	if (!jr->error)
		g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:%u: expected a JSON object, found %s",
			    jr->path, jr->line + root->line - 1, root->col, node_kind(root));
	return NULL;
}

struct jd_doc *jr_parse(const char *path, unsigned int line, const char *what, const char *text, gssize len,
			GError **error)
{
	struct jd_error err;
	struct jd_doc *doc = jd_parse(text, len, &err);

	if (!doc)
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:%u:%u: %s%s%s", path, line + err.line - 1, err.col,
			    what ? what : "", what ? ": " : "", err.message);
	return doc;
}

struct jd_doc *jr_load_file(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize n;

	if (!g_file_get_contents(path, &text, &n, error))
		return NULL;
	return jr_parse(path, 1, NULL, text, (gssize)n, error);
}
