/* SPDX-License-Identifier: MIT */
/* A minimal streaming JSON writer over GString: fixed key order, integers only. */
#ifndef SIM_SCENARIO_JSON_H
#define SIM_SCENARIO_JSON_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

struct json {
	GString *s;
	int depth;
	bool need_comma[32];
	bool pretty;
};

void json_init(struct json *j, bool pretty);
void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);
void json_str(struct json *j, const char *key, const char *val);	/* NULL -> null */
void json_int(struct json *j, const char *key, int64_t val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
/* "key": [v0, v1, ...] from a GArray of uint64_t. */
void json_uint_array(struct json *j, const char *key, const GArray *a);
char *json_finish(struct json *j);
/* "socksim": {"version": "0.1.0", "revision": "GIT-DESCRIBE" or null}: the build that wrote it. */
void scn_json_generator(struct json *j);

#endif
