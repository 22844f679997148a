/* SPDX-License-Identifier: MIT */
/* A JSON document in memory: recursive-descent parser and accessors (json_doc.h). */
#include "json_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the document's memory: blocks nodes and strings are carved from ------- */

#define BLOCK_SIZE 16384

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct jd_doc {
	struct block *blocks;
	struct jd_node *root;
};

static void *doc_alloc(struct jd_doc *doc, size_t n)
{
	struct block *b = doc->blocks;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_SIZE / 2 ? n : BLOCK_SIZE;

		b = g_malloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		if (n > BLOCK_SIZE / 2 && doc->blocks) {
			/* a large one: behind the current block, which keeps filling */
			b->next = doc->blocks->next;
			doc->blocks->next = b;
		} else {
			b->next = doc->blocks;
			doc->blocks = b;
		}
	}
	b->used += n;
	return (char *)b->data + b->used - n;
}

void jd_doc_free(struct jd_doc *doc)
{
	if (!doc)
		return;
	for (struct block *b = doc->blocks, *next; b; b = next) {
		next = b->next;
		g_free(b);
	}
	g_free(doc);
}

struct jd_node *jd_root(const struct jd_doc *doc)
{
	return doc->root;
}

/* --- the parser -------------------------------------------------------------- */

struct parser {
	const char *p, *end;
	const char *line_start;
	unsigned int line;
	int depth;
	struct jd_doc *doc;
	GArray *stack;		/* struct jd_member: the open arrays' and objects' items */
	GString *buf;		/* the string being decoded */
	struct jd_error *err;
	bool failed;
};

static unsigned int col_of(const struct parser *ps, const char *at)
{
	return (unsigned int)(at - ps->line_start) + 1;
}

/* What is at @at, for "found ...": the end, a word, a character or a byte. */
static void describe(const struct parser *ps, const char *at, char *out, size_t size)
{
	unsigned char c;

	if (at >= ps->end) {
		g_strlcpy(out, "the end of the text", size);
		return;
	}
	c = (unsigned char)*at;
	if (g_ascii_isalpha(c)) {
		const char *e = at;

		while (e < ps->end && g_ascii_isalnum(*e) && e - at < 24)
			e++;
		snprintf(out, size, "'%.*s'", (int)(e - at), at);
	} else if (c == '\n') {
		g_strlcpy(out, "the end of the line", size);
	} else if (c >= 0x20 && c < 0x7f) {
		snprintf(out, size, "'%c'", c);
	} else {
		snprintf(out, size, "byte 0x%02x", c);
	}
}

static G_GNUC_PRINTF(3, 4) bool fail_at(struct parser *ps, const char *at, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return false;
	ps->failed = true;
	ps->err->line = ps->line;
	ps->err->col = col_of(ps, at);
	va_start(ap, fmt);
	vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
	va_end(ap);
	return false;
}

/* "expected @what, found <what is at @at>" */
static bool expected(struct parser *ps, const char *at, const char *what)
{
	char found[48];

	describe(ps, at, found, sizeof(found));
	return fail_at(ps, at, "expected %s, found %s", what, found);
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '\n') {
			ps->line++;
			ps->line_start = ps->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		ps->p++;
	}
}

static struct jd_node *new_node(struct parser *ps, enum jd_type type, const char *at)
{
	struct jd_node *n = doc_alloc(ps->doc, sizeof(*n));

	n->type = type;
	n->line = ps->line;
	n->col = col_of(ps, at);
	return n;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int d = g_ascii_xdigit_value(p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * A \u escape whose four hex digits start at ps->p (just after the 'u'); a
 * high surrogate must be followed by the \u escape of a low one.
 */
static bool parse_u_escape(struct parser *ps, const char *esc)
{
	char utf8[8];
	int cp;

	if (ps->end - ps->p < 4 || (cp = hex4(ps->p)) < 0) {
		const char *bad = ps->p;

		while (bad < ps->end && bad - ps->p < 4 && g_ascii_isxdigit(*bad))
			bad++;
		return expected(ps, bad, "4 hex digits after \\u");
	}
	ps->p += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(ps, esc, "expected a high surrogate before the low surrogate \\u%04x", (unsigned)cp);
	if (cp >= 0xd800 && cp <= 0xdbff) {
		int lo = ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' ? hex4(ps->p + 2) : -1;

		if (lo < 0xdc00 || lo > 0xdfff)
			return fail_at(ps, ps->p, "expected a low surrogate \\udc00-\\udfff after the high "
				       "surrogate \\u%04x", (unsigned)cp);
		ps->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return fail_at(ps, esc, "\\u0000 (NUL) is not allowed in a string");
	g_string_append_len(ps->buf, utf8, g_unichar_to_utf8((gunichar)cp, utf8));
	return true;
}

/* The string whose opening quote is at ps->p, decoded into ps->buf. */
static bool parse_string_text(struct parser *ps)
{
	const char *open = ps->p++;

	g_string_truncate(ps->buf, 0);
	for (;;) {
		const char *run = ps->p, *bad;
		unsigned char c;

		while (ps->p < ps->end && (unsigned char)*ps->p >= 0x20 && *ps->p != '"' && *ps->p != '\\')
			ps->p++;
		if (!g_utf8_validate(run, ps->p - run, &bad))
			return fail_at(ps, bad, "invalid UTF-8 in a string");
		g_string_append_len(ps->buf, run, ps->p - run);
		if (ps->p >= ps->end)
			return fail_at(ps, open, "expected '\"' to end the string that starts here, found the end of the text");
		c = (unsigned char)*ps->p;
		if (c == '"') {
			ps->p++;
			return true;
		}
		if (c < 0x20)
			return fail_at(ps, ps->p, "expected an escape (\\n, \\t, \\u%04x ...) for control character 0x%02x "
				       "in a string", c, c);
		/* a backslash */
		{
			const char *esc = ps->p++;
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *k = ps->p < ps->end && *ps->p ? strchr(from, *ps->p) : NULL;

			if (k) {
				g_string_append_c(ps->buf, to[k - from]);
				ps->p++;
			} else if (ps->p < ps->end && *ps->p == 'u') {
				ps->p++;
				if (!parse_u_escape(ps, esc))
					return false;
			} else {
				return expected(ps, ps->p, "an escape character (\" \\ / b f n r t u) after '\\'");
			}
		}
	}
}

static const char *doc_strdup(struct parser *ps, const GString *s)
{
	char *d = doc_alloc(ps->doc, s->len + 1);

	memcpy(d, s->str, s->len + 1);
	return d;
}

static bool is_digit(const struct parser *ps, const char *p)
{
	return p < ps->end && *p >= '0' && *p <= '9';
}

static struct jd_node *parse_number(struct parser *ps)
{
	const char *start = ps->p, *p = ps->p;
	bool integral = true;
	char local[64];
	char *text, *endp;
	struct jd_node *n;

	if (*p == '-')
		p++;
	if (!is_digit(ps, p))
		return expected(ps, p, "a digit after '-'"), NULL;
	if (*p == '0')
		p++;
	else
		while (is_digit(ps, p))
			p++;
	if (p < ps->end && *p == '.') {
		integral = false;
		if (!is_digit(ps, ++p))
			return expected(ps, p, "a digit after the decimal point"), NULL;
		while (is_digit(ps, p))
			p++;
	}
	if (p < ps->end && (*p == 'e' || *p == 'E')) {
		integral = false;
		p++;
		if (p < ps->end && (*p == '+' || *p == '-'))
			p++;
		if (!is_digit(ps, p))
			return expected(ps, p, "a digit in the exponent"), NULL;
		while (is_digit(ps, p))
			p++;
	}
	ps->p = p;
	/* strtoll/strtod need a terminated copy: the text need not end here */
	text = (size_t)(p - start) < sizeof(local) ? local : g_malloc((size_t)(p - start) + 1);
	memcpy(text, start, (size_t)(p - start));
	text[p - start] = '\0';
	n = new_node(ps, JD_INT, start);
	errno = 0;
	if (integral) {
		n->u.i = strtoll(text, &endp, 10);
		if (errno == ERANGE)
			integral = false;	/* beyond int64: a double, as a fraction would be */
	}
	if (!integral) {
		n->type = JD_DOUBLE;
		n->u.d = g_ascii_strtod(text, &endp);
	}
	if (text != local)
		g_free(text);
	return n;
}

static bool literal(struct parser *ps, const char *word)
{
	size_t len = strlen(word);

	if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len) != 0 ||
	    (ps->end - ps->p > (ptrdiff_t)len && g_ascii_isalnum(ps->p[len])))
		return false;
	ps->p += len;
	return true;
}

static struct jd_node *parse_value(struct parser *ps);

/* The items pushed on the stack since @base, moved into @n's own memory. */
static void take_array(struct parser *ps, struct jd_node *n, guint base)
{
	guint count = ps->stack->len - base;

	n->u.arr.n = count;
	n->u.arr.items = count ? doc_alloc(ps->doc, count * sizeof(*n->u.arr.items)) : NULL;
	for (guint i = 0; i < count; i++)
		n->u.arr.items[i] = g_array_index(ps->stack, struct jd_member, base + i).value;
	g_array_set_size(ps->stack, base);
}

/* A repeated name keeps the first one's place and takes the last one's value. */
static void take_object(struct parser *ps, struct jd_node *n, guint base)
{
	struct jd_member *m = &g_array_index(ps->stack, struct jd_member, base);
	guint count = ps->stack->len - base, kept = 0;
	g_autoptr(GHashTable) index = count > 16 ? g_hash_table_new(g_str_hash, g_str_equal) : NULL;

	for (guint i = 0; i < count; i++) {
		gpointer at;
		guint dup = kept;

		if (index && g_hash_table_lookup_extended(index, m[i].key, NULL, &at))
			dup = GPOINTER_TO_UINT(at);
		for (guint k = 0; !index && k < kept; k++)
			if (strcmp(m[k].key, m[i].key) == 0)
				dup = k;
		if (dup < kept) {
			m[dup].value = m[i].value;
		} else {
			if (index)
				g_hash_table_insert(index, (gpointer)m[i].key, GUINT_TO_POINTER(kept));
			m[kept++] = m[i];
		}
	}
	n->u.obj.n = kept;
	n->u.obj.members = kept ? doc_alloc(ps->doc, kept * sizeof(*m)) : NULL;
	if (kept)	/* an empty object's stack may have no memory yet */
		memcpy(n->u.obj.members, m, kept * sizeof(*m));
	g_array_set_size(ps->stack, base);
}

static bool at_char(const struct parser *ps, char c)
{
	return ps->p < ps->end && *ps->p == c;
}

/* "NAME" and ':' of an object member; @first: no member before it. */
static bool parse_member_name(struct parser *ps, const char **key, bool first)
{
	if (!at_char(ps, '"'))
		return expected(ps, ps->p, first ? "a member name (a string) or '}'" :
				"a member name (a string) after ','");
	if (!parse_string_text(ps))
		return false;
	*key = doc_strdup(ps, ps->buf);
	skip_space(ps);
	if (!at_char(ps, ':'))
		return expected(ps, ps->p, "':' after the member name");
	ps->p++;
	return true;
}

/* The array or object whose bracket is at ps->p: items on the stack, then moved into the node. */
static struct jd_node *parse_container(struct parser *ps)
{
	bool object = *ps->p == '{';
	char close = object ? '}' : ']';
	struct jd_node *n = new_node(ps, object ? JD_OBJECT : JD_ARRAY, ps->p);
	guint base = ps->stack->len;

	ps->p++;
	skip_space(ps);
	while (!at_char(ps, close) || ps->stack->len > base) {
		struct jd_member m = { NULL, NULL };

		if (object && !parse_member_name(ps, &m.key, ps->stack->len == base))
			return NULL;
		if (!object && at_char(ps, ']'))
			return expected(ps, ps->p, "a value after ','"), NULL;
		m.value = parse_value(ps);
		if (!m.value)
			return NULL;
		g_array_append_val(ps->stack, m);
		skip_space(ps);
		if (!at_char(ps, ','))
			break;
		ps->p++;
		skip_space(ps);
	}
	if (!at_char(ps, close))
		return expected(ps, ps->p, object ? "',' or '}' after an object member" :
				"',' or ']' after an array element"), NULL;
	ps->p++;
	if (object)
		take_object(ps, n, base);
	else
		take_array(ps, n, base);
	return n;
}

static struct jd_node *parse_value(struct parser *ps)
{
	const char *at;
	struct jd_node *n = NULL;

	skip_space(ps);
	at = ps->p;
	if (at >= ps->end)
		return expected(ps, at, "a JSON value"), NULL;
	switch (*at) {
	case '{':
	case '[':
		if (ps->depth >= JD_MAX_DEPTH)
			return fail_at(ps, at, "nested deeper than %d arrays and objects", JD_MAX_DEPTH), NULL;
		ps->depth++;
		n = parse_container(ps);
		ps->depth--;
		return n;
	case '"':
		if (!parse_string_text(ps))
			return NULL;
		n = new_node(ps, JD_STRING, at);
		n->u.s = doc_strdup(ps, ps->buf);
		return n;
	case '-':
	case '0' ... '9':
		return parse_number(ps);
	default:
		break;
	}
	if (literal(ps, "true") || literal(ps, "false")) {
		n = new_node(ps, JD_BOOL, at);
		n->u.b = *at == 't';
	} else if (literal(ps, "null")) {
		n = new_node(ps, JD_NULL, at);
	} else {
		expected(ps, at, "a JSON value");
	}
	return n;
}

struct jd_doc *jd_parse(const char *text, gssize len, struct jd_error *err)
{
	struct jd_doc *doc = g_new0(struct jd_doc, 1);
	struct jd_error ignored;
	struct parser ps = {
		.p = text, .end = text + (len < 0 ? strlen(text) : (size_t)len), .line_start = text,
		.line = 1, .doc = doc, .stack = g_array_new(FALSE, FALSE, sizeof(struct jd_member)),
		.buf = g_string_new(NULL), .err = err ? err : &ignored,
	};

	doc->root = parse_value(&ps);
	if (doc->root) {
		skip_space(&ps);
		if (ps.p < ps.end)
			expected(&ps, ps.p, "the end of the text after the JSON value");
	}
	g_array_free(ps.stack, TRUE);
	g_string_free(ps.buf, TRUE);
	if (ps.failed) {
		jd_doc_free(doc);
		return NULL;
	}
	return doc;
}

/* --- accessors --------------------------------------------------------------- */

struct jd_node *jd_get(const struct jd_node *o, const char *key)
{
	if (!jd_is_object(o))
		return NULL;
	for (guint i = 0; i < o->u.obj.n; i++)
		if (strcmp(o->u.obj.members[i].key, key) == 0)
			return o->u.obj.members[i].value;
	return NULL;
}

guint jd_len(const struct jd_node *a)
{
	return jd_is_array(a) ? a->u.arr.n : 0;
}

struct jd_node *jd_at(const struct jd_node *a, guint i)
{
	return i < jd_len(a) ? a->u.arr.items[i] : NULL;
}

struct jd_node *jd_get_object(const struct jd_node *o, const char *key)
{
	struct jd_node *n = jd_get(o, key);

	return jd_is_object(n) ? n : NULL;
}

struct jd_node *jd_get_array(const struct jd_node *o, const char *key)
{
	struct jd_node *n = jd_get(o, key);

	return jd_is_array(n) ? n : NULL;
}

const char *jd_get_str(const struct jd_node *o, const char *key, const char *def)
{
	struct jd_node *n = jd_get(o, key);

	return jd_is_string(n) ? n->u.s : def;
}

int64_t jd_get_int(const struct jd_node *o, const char *key, int64_t def)
{
	struct jd_node *n = jd_get(o, key);

	return jd_is_int(n) ? n->u.i : def;
}

/* --- back to text ------------------------------------------------------------ */

static void append_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c == '\n')
			g_string_append(out, "\\n");
		else if (c == '\t')
			g_string_append(out, "\\t");
		else if (c == '\r')
			g_string_append(out, "\\r");
		else if (c == '\b')
			g_string_append(out, "\\b");
		else if (c == '\f')
			g_string_append(out, "\\f");
		else if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_c(out, (char)c);
	}
	g_string_append_c(out, '"');
}

static void append_node(GString *out, const struct jd_node *n)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	switch (n->type) {
	case JD_NULL:
		g_string_append(out, "null");
		break;
	case JD_BOOL:
		g_string_append(out, n->u.b ? "true" : "false");
		break;
	case JD_INT:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, n->u.i);
		break;
	case JD_DOUBLE:
		g_string_append(out, g_ascii_dtostr(buf, sizeof(buf), n->u.d));
		if (!strpbrk(buf, ".eEna"))
			g_string_append(out, ".0");	/* json-glib's form: still a double */
		break;
	case JD_STRING:
		append_string(out, n->u.s);
		break;
	case JD_ARRAY:
		g_string_append_c(out, '[');
		for (guint i = 0; i < n->u.arr.n; i++) {
			if (i)
				g_string_append_c(out, ',');
			append_node(out, n->u.arr.items[i]);
		}
		g_string_append_c(out, ']');
		break;
	case JD_OBJECT:
		g_string_append_c(out, '{');
		for (guint i = 0; i < n->u.obj.n; i++) {
			if (i)
				g_string_append_c(out, ',');
			append_string(out, n->u.obj.members[i].key);
			g_string_append_c(out, ':');
			append_node(out, n->u.obj.members[i].value);
		}
		g_string_append_c(out, '}');
		break;
	}
}

char *jd_to_string(const struct jd_node *n)
{
	GString *out = g_string_new(NULL);

	append_node(out, n);
	return g_string_free(out, FALSE);
}
