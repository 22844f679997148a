/* SPDX-License-Identifier: MIT */
/* Summary rows from results documents (row.h). */
#include "row.h"

#include <string.h>

#include "cli.h"
#include "json.h"
#include "json_path.h"
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
		g_autoptr(jd_path) path = NULL;
		GError *path_error = NULL;

		if (!parse_field(fields->pdata[i], &f, error))
			return false;
		g_free(f.name);
		path = jd_path_compile(f.expr, &path_error);
		if (!path) {
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

static int64_t member_int(const struct jd_node *o, const char *key)
{
	return jd_get_int(o, key, 0);
}

static struct jd_node *member_obj(const struct jd_node *o, const char *key)
{
	return jd_get_object(o, key);
}

/* The integer members of @o, summed. */
static int64_t sum_members(const struct jd_node *o)
{
	int64_t sum = 0;

	for (guint i = 0; jd_is_object(o) && i < o->u.obj.n; i++)
		sum += jd_is_int(o->u.obj.members[i].value) ? o->u.obj.members[i].value->u.i : 0;
	return sum;
}

/* A counter summed over every host. */
static int64_t counter_sum(const struct jd_node *root, const char *name)
{
	struct jd_node *counters = member_obj(root, "counters");
	int64_t sum = 0;

	for (guint i = 0; counters && i < counters->u.obj.n; i++)
		sum += member_int(counters->u.obj.members[i].value, name);
	return sum;
}

/* A member of every connections[] entry (the TCP send path's statistics), summed. */
static int64_t connections_sum(const struct jd_node *root, const char *name)
{
	struct jd_node *conns = jd_get_array(root, "connections");
	int64_t sum = 0;

	for (guint i = 0; i < jd_len(conns); i++)
		sum += member_int(jd_at(conns, i), name);
	return sum;
}

/*
 * Bytes received in order over every TCP connection and vsock socket, and
 * the throughput they make: bytes x 8 over the exact time from the earliest
 * start (t_start_ns) of a connection that received data to the last byte
 * received by any (t_last_received_ns); 0 if nothing arrived.
 */
static void received_totals(const struct jd_node *root, int64_t *bytes, int64_t *bps)
{
	struct jd_node *lists[2] = {
		jd_get_array(root, "connections"), jd_get_array(member_obj(root, "vsock"), "connections"),
	};
	int64_t first = INT64_MAX, last = 0;

	*bytes = 0;
	for (int l = 0; l < 2; l++)
		for (guint i = 0; i < jd_len(lists[l]); i++) {
			struct jd_node *c = jd_at(lists[l], i);
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

static struct jd_node *target_connect(const struct jd_node *root, uint64_t line)
{
	struct jd_node *calls = jd_get_array(root, "syscalls");

	for (guint i = 0; i < jd_len(calls); i++) {
		struct jd_node *c = jd_at(calls, i);

		if (jd_is_object(c) && g_strcmp0(jd_get_str(c, "call", ""), "connect") == 0 &&
		    (!line || member_int(c, "line") == (int64_t)line))
			return c;
	}
	return NULL;
}

static char *first_failure(const struct jd_node *root, int64_t *failed)
{
	struct jd_node *exps = jd_get_array(root, "expectations");
	char *msg = NULL;

	*failed = 0;
	for (guint i = 0; i < jd_len(exps); i++) {
		struct jd_node *e = jd_at(exps, i);

		if (!jd_is_object(e) || g_strcmp0(jd_get_str(e, "outcome", ""), "fail") != 0)
			continue;
		if (!msg)
			msg = g_strdup_printf("line %" G_GINT64_FORMAT ": expected %s, got %s", member_int(e, "line"),
					      jd_get_str(e, "expected", "?"), jd_get_str(e, "actual", "?"));
		(*failed)++;
	}
	return msg;
}

/* Each member of every object in @a (named @what) has its type: "s" string, "i" integer, "a" array. */
static void check_elems(struct json_read *jr, const struct jd_node *a, const char *what,
			const char *const *members)
{
	for (guint i = 0; i < jd_len(a) && !jr->error; i++) {
		struct jd_node *o = jr_elem_object(jr, a, i, what);

		for (const char *const *m = members; o && *m; m++) {
			struct jd_node *arr = NULL;

			if ((*m)[0] == 's')
				jr_str(jr, o, *m + 1, NULL);
			else if ((*m)[0] == 'i')
				jr_int(jr, o, *m + 1, 0);
			else
				arr = jr_array(jr, o, *m + 1);
			for (guint k = 0; k < jd_len(arr) && !jr->error; k++) {
				struct jd_node *n = jd_at(arr, k);

				if (!jd_is_int(n))
					g_set_error(&jr->error, CLI_ERROR, CLI_ERROR_INPUT,
						    "%s:%u:%u: field '%s': expected integers", jr->path,
						    jr->line + n->line - 1, n->col, *m + 1);
			}
		}
	}
}

/* Every object whose members are all integers. */
static void check_int_map(struct json_read *jr, const struct jd_node *o)
{
	for (guint i = 0; jd_is_object(o) && i < o->u.obj.n && !jr->error; i++)
		jr_int(jr, o, o->u.obj.members[i].key, 0);
}

/*
 * The results document read back from disk is untrusted: every member the
 * row reads has the type docs/results-format.md gives it (json_read.h).
 */
static bool check_results_types(const char *path, const struct jd_node *root, GError **error)
{
	static const char *const conn[] = { "ibytes_acked", "isegs_retrans", "ibytes_received", "it_start_ns",
					    "it_last_received_ns", "iinterval_ns", "areceived_per_interval", NULL };
	static const char *const call[] = { "scall", "soutcome", "serrno", "iline", "iret", "it_call_ns",
					    "it_return_ns", NULL };
	static const char *const exp[] = { "soutcome", "sexpected", "sactual", "iline", NULL };
	struct json_read jr = { .path = path, .line = 1 };
	struct jd_node *packets = jr_object(&jr, root, "packets");
	struct jd_node *counters = jr_object(&jr, root, "counters");
	struct jd_node *vsock = jr_object(&jr, root, "vsock");

	jr_str(&jr, root, "format", NULL);
	jr_str(&jr, root, "exit", NULL);
	check_int_map(&jr, jr_object(&jr, packets, "sent"));
	check_int_map(&jr, jr_object(&jr, packets, "dropped"));
	for (guint i = 0; counters && i < counters->u.obj.n && !jr.error; i++)
		check_int_map(&jr, jr_object(&jr, counters, counters->u.obj.members[i].key));
	check_elems(&jr, jr_array(&jr, root, "connections"), "connections", conn);
	check_elems(&jr, jr_array(&jr, vsock, "connections"), "vsock.connections", conn);
	check_elems(&jr, jr_array(&jr, root, "syscalls"), "syscalls", call);
	check_elems(&jr, jr_array(&jr, root, "expectations"), "expectations", exp);
	if (!jr.error)
		return true;
	g_propagate_error(error, jr.error);
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

static void write_value(struct json *j, const char *key, const struct jd_node *n)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	switch (n ? n->type : JD_NULL) {
	case JD_NULL:
		json_null(j, key);
		break;
	case JD_INT:
		json_int(j, key, n->u.i);
		break;
	case JD_BOOL:
		json_bool(j, key, n->u.b);
		break;
	case JD_STRING:
		json_str(j, key, n->u.s);
		break;
	case JD_DOUBLE:
		json_str(j, key, g_ascii_dtostr(buf, sizeof(buf), n->u.d));
		break;
	case JD_ARRAY:
	case JD_OBJECT: {
		g_autofree char *text = jd_to_string(n);

		json_str(j, key, text);
		break;
	}
	}
}

static void write_field(struct json *j, const char *spec, const struct jd_node *root)
{
	struct field_spec f;
	g_autoptr(jd_path) path = NULL;
	g_autoptr(GPtrArray) m = NULL;
	int64_t acc = 0;
	guint n = 0;

	if (!parse_field(spec, &f, NULL) || !(path = jd_path_compile(f.expr, NULL))) {
		json_null(j, spec);	/* checked before any run: not reached */
		return;
	}
	m = jd_path_match(path, root);
	if (f.agg == AGG_FIRST) {
		write_value(j, f.name, m->len ? m->pdata[0] : NULL);
	} else if (f.agg == AGG_COUNT) {
		json_uint(j, f.name, m->len);
	} else {
		for (guint i = 0; i < m->len; i++) {
			const struct jd_node *e = m->pdata[i];
			int64_t v;

			if (!jd_is_int(e))
				continue;
			v = e->u.i;
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

static void write_connect(struct json *j, const struct jd_node *call)
{
	const char *status = call ? jd_get_str(call, "outcome", NULL) : "none";
	bool returned = g_strcmp0(status, "returned") == 0;

	json_str(j, "connect_status", status);
	if (returned) {
		json_int(j, "connect_ret", member_int(call, "ret"));
		json_str(j, "connect_errno", jd_get_str(call, "errno", NULL));
		json_int(j, "connect_latency_ns", member_int(call, "t_return_ns") - member_int(call, "t_call_ns"));
	} else {
		json_null(j, "connect_ret");
		json_null(j, "connect_errno");
		json_null(j, "connect_latency_ns");
	}
}

char *row_from_results(const struct row_ctx *c, const char *path, const char *results_json, GError **error)
{
	g_autoptr(jd_doc) doc = jr_parse(path, 1, NULL, results_json, -1, error);
	g_autofree char *message = NULL;
	struct jd_node *root, *packets;
	const char *kind;
	int64_t failed, received, bps;
	struct json j;

	if (!doc)
		return NULL;
	root = jd_is_object(jd_root(doc)) ? jd_root(doc) : NULL;
	if (root && !check_results_types(path, root, error))
		return NULL;
	kind = jd_get_str(root, "exit", NULL);
	if (!kind || g_strcmp0(jd_get_str(root, "format", ""), "socksim-results") != 0) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_INPUT, "%s:1:1: not a socksim results document", path);
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
		write_field(&j, c->fields->pdata[i], jd_root(doc));
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

void row_append_csv(GString *out, const struct jd_node *row, const GPtrArray *columns)
{
	for (guint i = 0; i < columns->len; i++) {
		struct jd_node *n = jd_get(row, columns->pdata[i]);

		if (i)
			g_string_append_c(out, ',');
		if (jd_is_int(n))
			g_string_append_printf(out, "%" G_GINT64_FORMAT, n->u.i);
		else if (jd_is_string(n))
			append_csv_cell(out, n->u.s);
		else if (n && n->type == JD_BOOL)
			g_string_append(out, n->u.b ? "true" : "false");
		else if (!jd_is_null(n)) {
			g_autofree char *text = jd_to_string(n);

			append_csv_cell(out, text);
		}
	}
	g_string_append_c(out, '\n');
}
