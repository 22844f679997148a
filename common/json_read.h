/* SPDX-License-Identifier: MIT */
/*
 * Typed reads of JSON read back from disk (results, summary rows, sweep
 * manifests: untrusted input, issue #13), over the documents of json_doc.h.
 * A member of the wrong type is an error "PATH:LINE:COL: field 'KEY':
 * expected a string, found null" (LINE:COL where the member's value starts;
 * @jr->line is the file line the parsed text starts on: the JSONL row, or 1)
 * kept in @jr->error (CLI_ERROR_INPUT) — the first one wins — and the getter
 * returns its default, so the reader can go on and check jr->error once; the
 * reader frees it.  A missing or null member is not an error: it gives the
 * default.
 */
#ifndef COMMON_JSON_READ_H
#define COMMON_JSON_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "cli_error.h"
#include "json_doc.h"

struct json_read {
	const char *path;
	unsigned int line;
	GError *error;		/* the first type error, or NULL */
};

/*
 * The one JSON value of @text[0..len) (len -1: a string), which starts at
 * line @line of @path; NULL and a syntax error "PATH:LINE:COL: [WHAT: ]expected
 * X, found Y" (CLI_ERROR_INPUT; WHAT: only when @what is not NULL) else.
 */
struct jd_doc *jr_parse(const char *path, unsigned int line, const char *what, const char *text, gssize len,
			GError **error);
/* The file @path read and parsed as jr_parse() does. */
struct jd_doc *jr_load_file(const char *path, GError **error);

const char *jr_str(struct json_read *jr, const struct jd_node *o, const char *key, const char *def);
int64_t jr_int(struct json_read *jr, const struct jd_node *o, const char *key, int64_t def);
/* NULL if missing or null. */
struct jd_node *jr_array(struct json_read *jr, const struct jd_node *o, const char *key);
struct jd_node *jr_object(struct json_read *jr, const struct jd_node *o, const char *key);
/* Element @i of @a (named @what in messages): NULL and an error if not of that type. */
struct jd_node *jr_elem_object(struct json_read *jr, const struct jd_node *a, guint i, const char *what);
const char *jr_elem_str(struct json_read *jr, const struct jd_node *a, guint i, const char *what);
/* The root of @doc as an object, else NULL and an error. */
struct jd_node *jr_root_object(struct json_read *jr, const struct jd_doc *doc);

#endif
