/* SPDX-License-Identifier: MIT */
/* JSONPath over json_doc.h documents (json_path.h). */
#include "json_path.h"

#include <stdlib.h>
#include <string.h>

#include "cli_error.h"

enum step_kind {
	STEP_MEMBER,		/* .name ['name'] */
	STEP_ALL,		/* .* [*]: every member or element */
	STEP_INDICES,		/* [N] [N,M] */
	STEP_SLICE,		/* [START:END:STEP] */
	STEP_DESCEND,		/* ..: the node and all below it, for the step after */
};

struct step {
	enum step_kind kind;
	char *name;
	GArray *indices;	/* int64_t */
	bool has_start, has_end;
	int64_t start, end, step;
};

struct jd_path {
	GArray *steps;		/* struct step */
};

static void step_clear(gpointer p)
{
	struct step *s = p;

	g_free(s->name);
	if (s->indices)
		g_array_free(s->indices, TRUE);
}

void jd_path_free(struct jd_path *path)
{
	if (!path)
		return;
	g_array_free(path->steps, TRUE);
	g_free(path);
}

static G_GNUC_PRINTF(4, 5) bool path_error(GError **error, const char *expr, const char *at, const char *fmt, ...)
{
	g_autofree char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "%s at offset %d of the JSONPath", what, (int)(at - expr));
	return false;
}

/* An optionally signed decimal integer at *p (advanced past it). */
static bool parse_int(const char **p, int64_t *out)
{
	char *end;

	if (!(g_ascii_isdigit(**p) || (**p == '-' && g_ascii_isdigit((*p)[1]))))
		return false;
	*out = g_ascii_strtoll(*p, &end, 10);
	*p = end;
	return true;
}

/* The inside of [...] at *p (just past '['), up to and past its ']'. */
static bool parse_bracket(const char *expr, const char **pp, struct step *s, GError **error)
{
	const char *p = *pp;
	int64_t v;

	if (*p == '*') {
		s->kind = STEP_ALL;
		p++;
	} else if (*p == '\'' || *p == '"') {
		const char *close = strchr(p + 1, *p);

		if (!close || close == p + 1)
			return path_error(error, expr, p, "expected a quoted member name");
		s->kind = STEP_MEMBER;
		s->name = g_strndup(p + 1, (gsize)(close - p - 1));
		p = close + 1;
	} else if (*p == ':' || parse_int(&p, &v)) {
		if (*p == ':') {
			s->kind = STEP_SLICE;
			s->has_start = p != *pp;
			s->start = s->has_start ? v : 0;
			p++;
			s->has_end = parse_int(&p, &s->end);
			s->step = 1;
			if (*p == ':') {
				p++;
				if (!parse_int(&p, &s->step) || s->step <= 0)
					return path_error(error, expr, p, "expected a positive slice step");
			}
		} else {
			s->kind = STEP_INDICES;
			s->indices = g_array_new(FALSE, FALSE, sizeof(int64_t));
			g_array_append_val(s->indices, v);
			while (*p == ',') {
				p++;
				if (!parse_int(&p, &v))
					return path_error(error, expr, p, "expected an index after ','");
				g_array_append_val(s->indices, v);
			}
		}
	} else {
		return path_error(error, expr, p, "expected '*', a quoted name, an index or a slice after '['");
	}
	if (*p != ']')
		return path_error(error, expr, p, "expected ']'");
	*pp = p + 1;
	return true;
}

struct jd_path *jd_path_compile(const char *expr, GError **error)
{
	g_autoptr(jd_path) path = g_new0(struct jd_path, 1);
	const char *p = expr;

	path->steps = g_array_new(FALSE, TRUE, sizeof(struct step));
	g_array_set_clear_func(path->steps, step_clear);
	if (*p != '$') {
		path_error(error, expr, p, "expected '$' at the start");
		return NULL;
	}
	p++;
	while (*p) {
		struct step s = { 0 };
		bool ok;

		if (p[0] == '.' && p[1] == '.') {
			s.kind = STEP_DESCEND;
			g_array_append_val(path->steps, s);
			p++;	/* what follows is read as after a single '.', or a '[' */
			if (p[1] == '[')
				p++;
		}
		if (*p == '[') {
			p++;
			ok = parse_bracket(expr, &p, &s, error);
			g_array_append_val(path->steps, s);
			if (!ok)
				return NULL;
		} else if (*p == '.') {
			const char *name = ++p;

			while (*p && *p != '.' && *p != '[')
				p++;
			if (p == name) {
				path_error(error, expr, p, "expected a member name or '*' after '.'");
				return NULL;
			}
			s.kind = p - name == 1 && *name == '*' ? STEP_ALL : STEP_MEMBER;
			s.name = s.kind == STEP_MEMBER ? g_strndup(name, (gsize)(p - name)) : NULL;
			g_array_append_val(path->steps, s);
		} else {
			path_error(error, expr, p, "expected '.' or '['");
			return NULL;
		}
	}
	return g_steal_pointer(&path);
}

static void add_descendants(GPtrArray *out, struct jd_node *n)
{
	g_ptr_array_add(out, n);
	for (guint i = 0; jd_is_array(n) && i < n->u.arr.n; i++)
		add_descendants(out, n->u.arr.items[i]);
	for (guint i = 0; jd_is_object(n) && i < n->u.obj.n; i++)
		add_descendants(out, n->u.obj.members[i].value);
}

/* Index @i of an array of @len (negative: from the end), or -1 if outside. */
static int64_t resolve(int64_t i, guint len)
{
	if (i < 0)
		i += len;
	return i >= 0 && i < (int64_t)len ? i : -1;
}

static void apply(const struct step *s, struct jd_node *n, GPtrArray *out)
{
	guint len = jd_len(n);

	switch (s->kind) {
	case STEP_MEMBER: {
		struct jd_node *m = jd_get(n, s->name);

		if (m)
			g_ptr_array_add(out, m);
		break;
	}
	case STEP_ALL:
		for (guint i = 0; i < len; i++)
			g_ptr_array_add(out, n->u.arr.items[i]);
		for (guint i = 0; jd_is_object(n) && i < n->u.obj.n; i++)
			g_ptr_array_add(out, n->u.obj.members[i].value);
		break;
	case STEP_INDICES:
		for (guint i = 0; i < s->indices->len; i++) {
			int64_t k = resolve(g_array_index(s->indices, int64_t, i), len);

			if (k >= 0)
				g_ptr_array_add(out, n->u.arr.items[k]);
		}
		break;
	case STEP_SLICE: {
		int64_t from = s->has_start ? s->start : 0, to = s->has_end ? s->end : len;

		from = from < 0 ? MAX(from + (int64_t)len, 0) : MIN(from, (int64_t)len);
		to = to < 0 ? MAX(to + (int64_t)len, 0) : MIN(to, (int64_t)len);
		for (int64_t k = from; k < to; k += s->step)
			g_ptr_array_add(out, n->u.arr.items[k]);
		break;
	}
	case STEP_DESCEND:
		add_descendants(out, n);
		break;
	}
}

GPtrArray *jd_path_match(const struct jd_path *path, const struct jd_node *root)
{
	GPtrArray *cur = g_ptr_array_new();

	g_ptr_array_add(cur, (gpointer)root);
	for (guint i = 0; i < path->steps->len; i++) {
		GPtrArray *next = g_ptr_array_new();

		for (guint k = 0; k < cur->len; k++)
			apply(&g_array_index(path->steps, struct step, i), cur->pdata[k], next);
		g_ptr_array_free(cur, TRUE);
		cur = next;
	}
	return cur;
}
