/* SPDX-License-Identifier: MIT */
/* Summary rows from results documents (row.h). */
#include "row.h"

#include <string.h>

#include "cli.h"
#include "json.h"
#include "json_read.h"

/* The fixed columns between the parameters and the extra fields. */
static const char *const fixed_columns[] = {
	"outcome", "exit", "connect_status", "connect_ret", "connect_errno", "connect_latency_ns",
	"syn_sent", "synack_sent", "pkts_sent", "pkts_dropped", "syn_retrans", "retrans_segs",
	"timeouts", "bytes_acked", "segs_retrans", "bytes_received", "throughput_bps", "end_time_ns", "events",
	"expectations_failed",
};

enum field_agg { AGG_FIRST, AGG_SUM, AGG_COUNT, AGG_MIN, AGG_MAX };
static const char *const agg_names[] = { "first", "sum", "count", "min", "max" };

struct field_spec {
	char *name;
	enum field_agg agg;
	const char *expr;	/* into the spec string */
};

static bool parse_field(const char *spec, struct field_spec *f, GError **error)
{
	const char *eq = strchr(spec, '=');
	const char *rest;

	if (!eq || eq == spec) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--field expects NAME=[AGG:]JSONPATH, found '%s'", spec);
		return false;
	}
	f->name = g_strndup(spec, (gsize)(eq - spec));
	rest = eq + 1;
	f->agg = AGG_FIRST;
	if (*rest != '$') {
		const char *colon = strchr(rest, ':');
		bool found = false;

		for (size_t i = 0; colon && i < G_N_ELEMENTS(agg_names); i++) {
			if (strlen(agg_names[i]) == (size_t)(colon - rest) &&
			    strncmp(rest, agg_names[i], (size_t)(colon - rest)) == 0) {
				f->agg = (enum field_agg)i;
				found = true;
			}
		}
		if (!found) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--field '%s': expected a JSONPath starting "
				    "with '$', optionally after first:, sum:, count:, min: or max:", spec);
			g_free(f->name);
			return false;
		}
		rest = colon + 1;
	}
	f->expr = rest;
	return true;
}

GPtrArray *row_columns(const GPtrArray *keys, const GPtrArray *fields)
{
	GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(cols, g_strdup("grid"));
	g_ptr_array_add(cols, g_strdup("seed"));
	for (guint i = 0; i < keys->len; i++)
		g_ptr_array_add(cols, g_strdup(keys->pdata[i]));
	for (size_t i = 0; i < G_N_ELEMENTS(fixed_columns); i++)
		g_ptr_array_add(cols, g_strdup(fixed_columns[i]));
	for (guint i = 0; i < fields->len; i++) {
		const char *spec = fields->pdata[i];
		const char *eq = strchr(spec, '=');

		g_ptr_array_add(cols, eq ? g_strndup(spec, (gsize)(eq - spec)) : g_strdup(spec));
	}
	g_ptr_array_add(cols, g_strdup("message"));
	return cols;
}

bool row_check_names(const GPtrArray *keys, const GPtrArray *fields, GError **error)
{
	g_autoptr(GPtrArray) cols = row_columns(keys, fields);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	for (guint i = 0; i < fields->len; i++) {
		struct field_spec f;
		g_autoptr(JsonPath) path = json_path_new();
		GError *path_error = NULL;

		if (!parse_field(fields->pdata[i], &f, error))
			return false;
		g_free(f.name);
		if (!json_path_compile(path, f.expr, &path_error)) {
			g_propagate_prefixed_error(error, path_error, "--field '%s': ", (char *)fields->pdata[i]);
			return false;
		}
	}
	for (guint i = 0; i < cols->len; i++) {
		if (!g_hash_table_add(seen, cols->pdata[i])) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "column '%s' appears twice (a --vary key or "
				    "--field name may not repeat or equal a summary column)", (char *)cols->pdata[i]);
			return false;
		}
	}
	return true;
}

/* --- reading the results document ------------------------------------------ */

static int64_t member_int(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64 ?
	       json_node_get_int(n) : 0;
}

static JsonObject *member_obj(JsonObject *o, const char *key)
{
	JsonNode *n = o ? json_object_get_member(o, key) : NULL;

	return n && JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static int64_t sum_members(JsonObject *o)
{
	int64_t sum = 0;
	g_autoptr(GList) names = o ? json_object_get_members(o) : NULL;

	for (GList *l = names; l; l = l->next)
		sum += member_int(o, l->data);
	return sum;
}

/* A counter summed over every host. */
static int64_t counter_sum(JsonObject *root, const char *name)
{
	JsonObject *counters = member_obj(root, "counters");
	g_autoptr(GList) hosts = counters ? json_object_get_members(counters) : NULL;
	int64_t sum = 0;

	for (GList *l = hosts; l; l = l->next)
		sum += member_int(member_obj(counters, l->data), name);
	return sum;
}

/* A member of every connections[] entry (the TCP send path's statistics), summed. */
static int64_t connections_sum(JsonObject *root, const char *name)
{
	JsonArray *conns = json_object_has_member(root, "connections") ?
			   json_object_get_array_member(root, "connections") : NULL;
	int64_t sum = 0;

	for (guint i = 0; conns && i < json_array_get_length(conns); i++)
		sum += member_int(json_array_get_object_element(conns, i), name);
	return sum;
}

/*
 * Bytes received in order over every TCP connection and vsock socket, and
 * the throughput they make: bytes x 8 over the exact time from the earliest
 * start (t_start_ns) of a connection that received data to the last byte
 * received by any (t_last_received_ns); 0 if nothing arrived.
 */
static void received_totals(JsonObject *root, int64_t *bytes, int64_t *bps)
{
	JsonObject *vsock = member_obj(root, "vsock");
	JsonArray *lists[2] = {
		json_object_has_member(root, "connections") ? json_object_get_array_member(root, "connections") : NULL,
		vsock && json_object_has_member(vsock, "connections") ?
			json_object_get_array_member(vsock, "connections") : NULL,
	};
	int64_t first = INT64_MAX, last = 0;

	*bytes = 0;
	for (int l = 0; l < 2; l++)
		for (guint i = 0; lists[l] && i < json_array_get_length(lists[l]); i++) {
			JsonObject *c = json_array_get_object_element(lists[l], i);
			int64_t received = member_int(c, "bytes_received");

			*bytes += received;
			if (received > 0 && member_int(c, "t_last_received_ns") > 0) {
				first = MIN(first, member_int(c, "t_start_ns"));
				last = MAX(last, member_int(c, "t_last_received_ns"));
			}
		}
	*bps = 0;
	if (last > first && *bytes > 0) {
		/* 128-bit: bytes x 8 x 10^9 overflows 64 bits past 1.15 GB */
		unsigned __int128 q = (unsigned __int128)*bytes * 8 * 1000000000 / (unsigned __int128)(last - first);

		*bps = q > INT64_MAX ? INT64_MAX : (int64_t)q;
	}
}

static JsonObject *target_connect(JsonObject *root, uint64_t line)
{
	JsonArray *calls = json_object_has_member(root, "syscalls") ?
			   json_object_get_array_member(root, "syscalls") : NULL;

	for (guint i = 0; calls && i < json_array_get_length(calls); i++) {
		JsonObject *c = json_array_get_object_element(calls, i);

		if (c && g_strcmp0(json_object_get_string_member_with_default(c, "call", ""), "connect") == 0 &&
		    (!line || member_int(c, "line") == (int64_t)line))
			return c;
	}
	return NULL;
}

static char *first_failure(JsonObject *root, int64_t *failed)
{
	JsonArray *exps = json_object_has_member(root, "expectations") ?
			  json_object_get_array_member(root, "expectations") : NULL;
	char *msg = NULL;

	*failed = 0;
	for (guint i = 0; exps && i < json_array_get_length(exps); i++) {
		JsonObject *e = json_array_get_object_element(exps, i);

		if (!e || g_strcmp0(json_object_get_string_member_with_default(e, "outcome", ""), "fail") != 0)
			continue;
		if (!msg)
			msg = g_strdup_printf("line %" G_GINT64_FORMAT ": expected %s, got %s", member_int(e, "line"),
					      json_object_get_string_member_with_default(e, "expected", "?"),
					      json_object_get_string_member_with_default(e, "actual", "?"));
		(*failed)++;
	}
	return msg;
}

/* Each member of every object in @a (named @what) has its type: "s" string, "i" integer, "a" array. */
static void check_elems(struct json_read *jr, JsonArray *a, const char *what, const char *const *members)
{
	for (guint i = 0; a && i < json_array_get_length(a) && !jr->error; i++) {
		JsonObject *o = jr_elem_object(jr, a, i, what);

		for (const char *const *m = members; o && *m; m++) {
			JsonArray *arr = NULL;

			if ((*m)[0] == 's')
				jr_str(jr, o, *m + 1, NULL);
			else if ((*m)[0] == 'i')
				jr_int(jr, o, *m + 1, 0);
			else
				arr = jr_array(jr, o, *m + 1);
			for (guint k = 0; arr && k < json_array_get_length(arr) && !jr->error; k++) {
				JsonNode *n = json_array_get_element(arr, k);

				if (!JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
					g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT,
						    "%s:1:1: field '%s': expected integers", jr->path, *m + 1);
			}
		}
	}
}

/* Every object whose members are all integers. */
static void check_int_map(struct json_read *jr, JsonObject *o, const char *what)
{
	g_autoptr(GList) names = o ? json_object_get_members(o) : NULL;

	for (GList *l = names; l && !jr->error; l = l->next)
		jr_int(jr, o, l->data, 0);
}

/*
 * The results document read back from disk is untrusted: every member the
 * row reads has the type docs/results-format.md gives it (json_read.h).
 */
static bool check_results_types(JsonObject *root, GError **error)
{
	static const char *const conn[] = { "ibytes_acked", "isegs_retrans", "ibytes_received", "it_start_ns",
					    "it_last_received_ns", "iinterval_ns", "areceived_per_interval", NULL };
	static const char *const call[] = { "scall", "soutcome", "serrno", "iline", "iret", "it_call_ns",
					    "it_return_ns", NULL };
	static const char *const exp[] = { "soutcome", "sexpected", "sactual", "iline", NULL };
	struct json_read jr = { .path = "results", .line = 1 };
	JsonObject *packets = jr_object(&jr, root, "packets");
	JsonObject *counters = jr_object(&jr, root, "counters");
	JsonObject *vsock = jr_object(&jr, root, "vsock");
	g_autoptr(GList) hosts = counters ? json_object_get_members(counters) : NULL;

	jr_str(&jr, root, "format", NULL);
	jr_str(&jr, root, "exit", NULL);
	check_int_map(&jr, jr_object(&jr, packets, "sent"), "sent");
	check_int_map(&jr, jr_object(&jr, packets, "dropped"), "dropped");
	for (GList *l = hosts; l && !jr.error; l = l->next)
		check_int_map(&jr, jr_object(&jr, counters, l->data), l->data);
	check_elems(&jr, jr_array(&jr, root, "connections"), "connections", conn);
	check_elems(&jr, jr_array(&jr, vsock, "connections"), "vsock.connections", conn);
	check_elems(&jr, jr_array(&jr, root, "syscalls"), "syscalls", call);
	check_elems(&jr, jr_array(&jr, root, "expectations"), "expectations", exp);
	if (!jr.error)
		return true;
	/* "results:1:1: field ..." -> "field ...": the caller names the file */
	g_set_error_literal(error, jr.error->domain, jr.error->code, jr.error->message + strlen("results:1:1: "));
	g_error_free(jr.error);
	return false;
}

/* --- writing ---------------------------------------------------------------- */

static void row_begin(struct json *j, const struct row_ctx *c)
{
	json_init(j, false);
	json_begin_object(j, NULL);
	json_uint(j, "grid", c->grid);
	json_uint(j, "seed", c->seed);
	for (guint i = 0; i < c->keys->len; i++)
		json_str(j, c->keys->pdata[i], c->values[i]);
}

static void write_value(struct json *j, const char *key, JsonNode *n)
{
	GType t = n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n) : G_TYPE_INVALID;

	if (!n || JSON_NODE_HOLDS_NULL(n)) {
		json_null(j, key);
	} else if (t == G_TYPE_INT64) {
		json_int(j, key, json_node_get_int(n));
	} else if (t == G_TYPE_BOOLEAN) {
		json_bool(j, key, json_node_get_boolean(n));
	} else if (t == G_TYPE_STRING) {
		json_str(j, key, json_node_get_string(n));
	} else if (t == G_TYPE_DOUBLE) {
		char buf[G_ASCII_DTOSTR_BUF_SIZE];

		json_str(j, key, g_ascii_dtostr(buf, sizeof(buf), json_node_get_double(n)));
	} else {
		g_autofree char *text = json_to_string(n, FALSE);

		json_str(j, key, text);
	}
}

static void write_field(struct json *j, const char *spec, JsonNode *root)
{
	struct field_spec f;
	g_autoptr(JsonPath) path = json_path_new();
	g_autoptr(JsonNode) matches = NULL;
	JsonArray *m;
	int64_t acc = 0;
	guint n = 0;

	if (!parse_field(spec, &f, NULL) || !json_path_compile(path, f.expr, NULL)) {
		json_null(j, spec);	/* checked before any run: not reached */
		return;
	}
	matches = json_path_match(path, root);
	m = json_node_get_array(matches);
	if (f.agg == AGG_FIRST) {
		write_value(j, f.name, json_array_get_length(m) ? json_array_get_element(m, 0) : NULL);
	} else if (f.agg == AGG_COUNT) {
		json_uint(j, f.name, json_array_get_length(m));
	} else {
		for (guint i = 0; i < json_array_get_length(m); i++) {
			JsonNode *e = json_array_get_element(m, i);
			int64_t v;

			if (!JSON_NODE_HOLDS_VALUE(e) || json_node_get_value_type(e) != G_TYPE_INT64)
				continue;
			v = json_node_get_int(e);
			acc = f.agg == AGG_SUM ? acc + v : n == 0 ? v : f.agg == AGG_MIN ? MIN(acc, v) : MAX(acc, v);
			n++;
		}
		if (n || f.agg == AGG_SUM)
			json_int(j, f.name, acc);
		else
			json_null(j, f.name);
	}
	g_free(f.name);
}

static void write_connect(struct json *j, JsonObject *call)
{
	const char *status = call ? json_object_get_string_member_with_default(call, "outcome", NULL) : "none";
	bool returned = g_strcmp0(status, "returned") == 0;

	json_str(j, "connect_status", status);
	if (returned) {
		json_int(j, "connect_ret", member_int(call, "ret"));
		json_str(j, "connect_errno", json_object_get_string_member_with_default(call, "errno", NULL));
		json_int(j, "connect_latency_ns", member_int(call, "t_return_ns") - member_int(call, "t_call_ns"));
	} else {
		json_null(j, "connect_ret");
		json_null(j, "connect_errno");
		json_null(j, "connect_latency_ns");
	}
}

char *row_from_results(const struct row_ctx *c, const char *results_json, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree char *message = NULL;
	JsonObject *root, *packets;
	const char *kind;
	int64_t failed, received, bps;
	struct json j;

	if (!jr_load_data(parser, results_json, -1, error))
		return NULL;
	root = JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)) ?
	       json_node_get_object(json_parser_get_root(parser)) : NULL;
	if (root && !check_results_types(root, error))
		return NULL;
	kind = root ? json_object_get_string_member_with_default(root, "exit", NULL) : NULL;
	if (!kind || g_strcmp0(json_object_get_string_member_with_default(root, "format", ""),
			       "socksim-results") != 0) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_INPUT, "not a socksim results document");
		return NULL;
	}
	packets = member_obj(root, "packets");
	message = first_failure(root, &failed);
	row_begin(&j, c);
	json_str(&j, "outcome", kind);
	json_int(&j, "exit", cli_exit_of_kind(kind));
	write_connect(&j, target_connect(root, c->connect_line));
	json_int(&j, "syn_sent", member_int(member_obj(packets, "sent"), "SYN"));
	json_int(&j, "synack_sent", member_int(member_obj(packets, "sent"), "SYNACK"));
	json_int(&j, "pkts_sent", sum_members(member_obj(packets, "sent")));
	json_int(&j, "pkts_dropped", sum_members(member_obj(packets, "dropped")));
	json_int(&j, "syn_retrans", counter_sum(root, "TCPSynRetrans"));
	json_int(&j, "retrans_segs", counter_sum(root, "RetransSegs"));
	json_int(&j, "timeouts", counter_sum(root, "TCPTimeouts"));
	json_int(&j, "bytes_acked", connections_sum(root, "bytes_acked"));
	json_int(&j, "segs_retrans", connections_sum(root, "segs_retrans"));
	received_totals(root, &received, &bps);
	json_int(&j, "bytes_received", received);
	json_int(&j, "throughput_bps", bps);
	json_int(&j, "end_time_ns", member_int(root, "end_time_ns"));
	json_int(&j, "events", member_int(root, "events"));
	json_int(&j, "expectations_failed", failed);
	for (guint i = 0; i < c->fields->len; i++)
		write_field(&j, c->fields->pdata[i], json_parser_get_root(parser));
	json_str(&j, "message", message);
	json_end_object(&j);
	return json_finish(&j);
}

char *row_without_results(const struct row_ctx *c, const char *outcome, int exit_status,
			  const char *message)
{
	struct json j;

	row_begin(&j, c);
	json_str(&j, "outcome", outcome);
	if (exit_status >= 0)
		json_int(&j, "exit", exit_status);
	else
		json_null(&j, "exit");
	for (size_t i = 2; i < G_N_ELEMENTS(fixed_columns); i++)
		json_null(&j, fixed_columns[i]);
	for (guint i = 0; i < c->fields->len; i++) {
		const char *spec = c->fields->pdata[i];
		g_autofree char *name = g_strndup(spec, (gsize)(strchr(spec, '=') - spec));

		json_null(&j, name);
	}
	json_str(&j, "message", message);
	json_end_object(&j);
	return json_finish(&j);
}

static void append_csv_cell(GString *out, const char *text)
{
	if (!strpbrk(text, ",\"\r\n")) {
		g_string_append(out, text);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

void row_append_csv_header(GString *out, const GPtrArray *columns)
{
	for (guint i = 0; i < columns->len; i++) {
		if (i)
			g_string_append_c(out, ',');
		append_csv_cell(out, columns->pdata[i]);
	}
	g_string_append_c(out, '\n');
}

void row_append_csv(GString *out, JsonObject *row, const GPtrArray *columns)
{
	for (guint i = 0; i < columns->len; i++) {
		JsonNode *n = json_object_get_member(row, columns->pdata[i]);
		GType t = n && JSON_NODE_HOLDS_VALUE(n) ? json_node_get_value_type(n) : G_TYPE_INVALID;

		if (i)
			g_string_append_c(out, ',');
		if (t == G_TYPE_INT64)
			g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(n));
		else if (t == G_TYPE_STRING)
			append_csv_cell(out, json_node_get_string(n));
		else if (t == G_TYPE_BOOLEAN)
			g_string_append(out, json_node_get_boolean(n) ? "true" : "false");
		else if (n && !JSON_NODE_HOLDS_NULL(n)) {
			g_autofree char *text = json_to_string(n, FALSE);

			append_csv_cell(out, text);
		}
	}
	g_string_append_c(out, '\n');
}
