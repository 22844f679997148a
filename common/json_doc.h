/* SPDX-License-Identifier: MIT */
/*
 * A JSON document in memory (RFC 8259), read back from disk: results
 * documents, summary rows, run records and sweep manifests (issue #14: the
 * reader socksim needs, without json-glib and the GObject/GIO it brings).
 *
 * Objects keep their members in document order; a repeated member name keeps
 * the first one's place and the last one's value (as json-glib did).  Numbers
 * without fraction or exponent that fit int64 are JD_INT, every other number
 * is JD_DOUBLE (json-glib wrapped an integer beyond int64 around; here it
 * becomes a double).  Strings are valid UTF-8 without NUL (\u0000 is
 * refused).  Every node records where its value starts: LINE and COL (1-based,
 * COL counts bytes) in the parsed text.  Nesting deeper than JD_MAX_DEPTH is
 * an error, so the recursive parser's stack is bounded.
 *
 * The whole tree lives in the document's own memory: jd_doc_free() frees
 * every node and string at once.
 */
#ifndef COMMON_JSON_DOC_H
#define COMMON_JSON_DOC_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#define JD_MAX_DEPTH 512

enum jd_type { JD_NULL, JD_BOOL, JD_INT, JD_DOUBLE, JD_STRING, JD_ARRAY, JD_OBJECT };

struct jd_node;

struct jd_member {
	const char *key;
	struct jd_node *value;
};

struct jd_node {
	enum jd_type type;
	unsigned int line, col;
	union {
		bool b;
		int64_t i;
		double d;
		const char *s;
		struct {
			struct jd_node **items;
			guint n;
		} arr;
		struct {
			struct jd_member *members;
			guint n;
		} obj;
	} u;
};

struct jd_doc;
typedef struct jd_doc jd_doc;

/* Where and why a parse failed: LINE:COL in the text, and "expected X, found Y". */
struct jd_error {
	unsigned int line, col;
	char message[160];
};

/* The document in @text[0..len) (len -1: a string), or NULL and @err filled in. */
struct jd_doc *jd_parse(const char *text, gssize len, struct jd_error *err);
void jd_doc_free(struct jd_doc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(jd_doc, jd_doc_free)
/* Never NULL for a parsed document. */
struct jd_node *jd_root(const struct jd_doc *doc);

/* Type tests: false for a NULL node (jd_is_null is true for it: absent counts as null). */
static inline bool jd_is_null(const struct jd_node *n) { return !n || n->type == JD_NULL; }
static inline bool jd_is_object(const struct jd_node *n) { return n && n->type == JD_OBJECT; }
static inline bool jd_is_array(const struct jd_node *n) { return n && n->type == JD_ARRAY; }
static inline bool jd_is_string(const struct jd_node *n) { return n && n->type == JD_STRING; }
static inline bool jd_is_int(const struct jd_node *n) { return n && n->type == JD_INT; }
/* A string, integer, double or boolean. */
static inline bool jd_is_scalar(const struct jd_node *n)
{
	return n && n->type != JD_NULL && n->type != JD_ARRAY && n->type != JD_OBJECT;
}

/* Member @key of object @o: NULL if @o is not an object or has none. */
struct jd_node *jd_get(const struct jd_node *o, const char *key);
/* The elements of array @a: 0 and NULL when @a is not an array or @i is past its end. */
guint jd_len(const struct jd_node *a);
struct jd_node *jd_at(const struct jd_node *a, guint i);
/* Member @key of @o if it is an object / array / string / integer, else NULL / NULL / @def / @def. */
struct jd_node *jd_get_object(const struct jd_node *o, const char *key);
struct jd_node *jd_get_array(const struct jd_node *o, const char *key);
const char *jd_get_str(const struct jd_node *o, const char *key, const char *def);
int64_t jd_get_int(const struct jd_node *o, const char *key, int64_t def);

/* Compact JSON text of @n (json-glib's json_to_string(n, FALSE) form). */
char *jd_to_string(const struct jd_node *n);

#endif
