/* SPDX-License-Identifier: MIT */
/*
 * JSONPath over json_doc.h documents, for `--field NAME=[AGG:]JSONPATH`
 * (docs/sweeps-and-reports.md): "$" then any of
 *   .name  ['name']  .*  [*]  [N]  [N,M,...]  [START:END:STEP]  ..name  ..*  ..[...]
 * (N negative: from the end; a slice's bounds are optional, STEP > 0).  No
 * filter or script expressions.  Matches come in document order.
 */
#ifndef COMMON_JSON_PATH_H
#define COMMON_JSON_PATH_H

#include "json_doc.h"

struct jd_path;
typedef struct jd_path jd_path;

/* NULL and an error (CLI_ERROR_USAGE, "... at offset N of the JSONPath") if @expr is not one. */
struct jd_path *jd_path_compile(const char *expr, GError **error);
void jd_path_free(struct jd_path *path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(jd_path, jd_path_free)
/* The nodes under @root that @path selects (a new array of borrowed pointers). */
GPtrArray *jd_path_match(const struct jd_path *path, const struct jd_node *root);

#endif
