/* SPDX-License-Identifier: MIT */
/*
 * Typed reads of JSON read back from disk (results, summary rows, sweep
 * manifests: untrusted input, issue #13).  A member of the wrong type is an
 * error "PATH:LINE:COL: field 'KEY': expected a string, found null" (LINE is
 * the JSONL row, or the document's first line; json-glib keeps no node
 * positions) kept in @jr->error (CLI_ERROR_INPUT) — the first one wins — and
 * the getter returns its default, so the reader can go on and check
 * jr->error once; the reader frees it.  A missing
 * member is not an error: it gives the default.  Never a json-glib critical.
 */
#ifndef COMMON_JSON_READ_H
#define COMMON_JSON_READ_H

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli_error.h"

struct json_read {
	const char *path;
	unsigned int line;
	GError *error;		/* the first type error, or NULL */
};

/*
 * json_parser_load_from_data()/_from_file() for one JSON value: text after
 * the value is an error ("trailing data after the JSON value", json-glib's
 * domain and code).  json-glib 1.6 leaks the nodes of a second top-level
 * value it then rejects, so the scan comes first and json-glib never sees it.
 * An empty or blank text is an error too ("no JSON value"), so a caller's
 * root is never NULL.
 */
gboolean jr_load_data(JsonParser *parser, const char *text, gssize len, GError **error);
gboolean jr_load_file(JsonParser *parser, const char *path, GError **error);

const char *jr_str(struct json_read *jr, JsonObject *o, const char *key, const char *def);
int64_t jr_int(struct json_read *jr, JsonObject *o, const char *key, int64_t def);
/* NULL if missing or null. */
JsonArray *jr_array(struct json_read *jr, JsonObject *o, const char *key);
JsonObject *jr_object(struct json_read *jr, JsonObject *o, const char *key);
/* Element @i of @a (named @what in messages): NULL and an error if not of that type. */
JsonObject *jr_elem_object(struct json_read *jr, JsonArray *a, guint i, const char *what);
const char *jr_elem_str(struct json_read *jr, JsonArray *a, guint i, const char *what);
/* The root of @parser as an object, else NULL and an error. */
JsonObject *jr_root_object(struct json_read *jr, JsonParser *parser);

#endif
