/* SPDX-License-Identifier: MIT */
/* The JSON reader (common/json_doc.h) and JSONPath (common/json_path.h). */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "cli_error.h"
#include "json_doc.h"
#include "json_path.h"

static struct jd_doc *ok(const char *text)
{
	struct jd_error err = { 0 };
	struct jd_doc *doc = jd_parse(text, -1, &err);

	if (!doc)
		g_error("'%s' rejected: %u:%u: %s", text, err.line, err.col, err.message);
	return doc;
}

/* @text is refused at @line:@col with @message. */
static void bad(const char *text, gssize len, unsigned line, unsigned col, const char *message)
{
	struct jd_error err = { 0 };
	struct jd_doc *doc = jd_parse(text, len, &err);

	g_assert_null(doc);
	g_assert_cmpstr(err.message, ==, message);
	g_assert_cmpuint(err.line, ==, line);
	g_assert_cmpuint(err.col, ==, col);
}

static char *roundtrip(const char *text)
{
	g_autoptr(jd_doc) doc = ok(text);

	return jd_to_string(jd_root(doc));
}

static void test_valid(void)
{
	g_autoptr(jd_doc) doc = ok(" {\"b\": [1, -2.5, \"x\", true, false, null, {}, []],\n \"a\": {\"c\": 3}}\n");
	struct jd_node *root = jd_root(doc), *b = jd_get(root, "b");

	g_assert_true(jd_is_object(root));
	g_assert_cmpuint(root->u.obj.n, ==, 2);
	g_assert_cmpstr(root->u.obj.members[0].key, ==, "b");	/* document order, not sorted */
	g_assert_cmpstr(root->u.obj.members[1].key, ==, "a");
	g_assert_cmpuint(jd_len(b), ==, 8);
	g_assert_cmpint(jd_at(b, 0)->type, ==, JD_INT);
	g_assert_cmpint(jd_at(b, 0)->u.i, ==, 1);
	g_assert_cmpint(jd_at(b, 1)->type, ==, JD_DOUBLE);
	g_assert_cmpfloat(jd_at(b, 1)->u.d, ==, -2.5);
	g_assert_cmpstr(jd_at(b, 2)->u.s, ==, "x");
	g_assert_true(jd_at(b, 3)->type == JD_BOOL && jd_at(b, 3)->u.b);
	g_assert_true(jd_at(b, 4)->type == JD_BOOL && !jd_at(b, 4)->u.b);
	g_assert_cmpint(jd_at(b, 5)->type, ==, JD_NULL);
	g_assert_true(jd_is_object(jd_at(b, 6)) && jd_at(b, 6)->u.obj.n == 0);
	g_assert_true(jd_is_array(jd_at(b, 7)) && jd_len(jd_at(b, 7)) == 0);
	g_assert_null(jd_at(b, 8));
	g_assert_cmpint(jd_get_int(jd_get(root, "a"), "c", 0), ==, 3);
	g_assert_null(jd_get(root, "zz"));
	g_assert_null(jd_get(b, "a"));	/* not an object */
	/* positions: where each value starts */
	g_assert_cmpuint(root->line, ==, 1);
	g_assert_cmpuint(root->col, ==, 2);
	g_assert_cmpuint(b->col, ==, 8);
	g_assert_cmpuint(jd_at(b, 2)->col, ==, 18);
	g_assert_cmpuint(jd_get(root, "a")->line, ==, 2);
	g_assert_cmpuint(jd_get(root, "a")->col, ==, 7);
	g_assert_cmpuint(jd_get(jd_get(root, "a"), "c")->col, ==, 13);
}

static void test_scalars_at_top(void)
{
	g_autofree char *a = roundtrip("\"s\"");
	g_autofree char *b = roundtrip(" 42 ");
	g_autofree char *c = roundtrip("null");
	g_autofree char *d = roundtrip("{\"a\":[1,{\"b\":\"\\n\\u0001\"}],\"c\":1.5,\"d\":1e2}");

	g_assert_cmpstr(a, ==, "\"s\"");
	g_assert_cmpstr(b, ==, "42");
	g_assert_cmpstr(c, ==, "null");
	g_assert_cmpstr(d, ==, "{\"a\":[1,{\"b\":\"\\n\\u0001\"}],\"c\":1.5,\"d\":100.0}");
}

static void test_numbers(void)
{
	g_autoptr(jd_doc) doc = ok("[9223372036854775807, -9223372036854775808, 9223372036854775808, "
				   "-9223372036854775809, -0, 0.5, 1E3, 2e-2, 1e400]");
	struct jd_node *a = jd_root(doc);

	g_assert_cmpint(jd_at(a, 0)->type, ==, JD_INT);
	g_assert_cmpint(jd_at(a, 0)->u.i, ==, INT64_MAX);
	g_assert_cmpint(jd_at(a, 1)->type, ==, JD_INT);
	g_assert_cmpint(jd_at(a, 1)->u.i, ==, INT64_MIN);
	/* beyond int64: a double (json-glib wrapped these around) */
	g_assert_cmpint(jd_at(a, 2)->type, ==, JD_DOUBLE);
	g_assert_cmpfloat(jd_at(a, 2)->u.d, ==, 9223372036854775808.0);
	g_assert_cmpint(jd_at(a, 3)->type, ==, JD_DOUBLE);
	g_assert_cmpfloat(jd_at(a, 3)->u.d, ==, -9223372036854775809.0);
	g_assert_cmpint(jd_at(a, 4)->type, ==, JD_INT);
	g_assert_cmpint(jd_at(a, 4)->u.i, ==, 0);
	g_assert_cmpfloat(jd_at(a, 5)->u.d, ==, 0.5);
	g_assert_cmpint(jd_at(a, 6)->type, ==, JD_DOUBLE);	/* an exponent makes a double, as in json-glib */
	g_assert_cmpfloat(jd_at(a, 6)->u.d, ==, 1000.0);
	g_assert_cmpfloat(jd_at(a, 7)->u.d, ==, 0.02);
	g_assert_true(isinf(jd_at(a, 8)->u.d));
}

static void test_strings(void)
{
	g_autoptr(jd_doc) doc = ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\", \"\xc3\xa9\"]");
	struct jd_node *a = jd_root(doc);

	g_assert_cmpstr(jd_at(a, 0)->u.s, ==, "\"\\/\b\f\n\r\t");
	g_assert_cmpstr(jd_at(a, 1)->u.s, ==, "\xc3\xa9\xe2\x82\xac");
	g_assert_cmpstr(jd_at(a, 2)->u.s, ==, "\xf0\x9f\x98\x80");
	g_assert_cmpstr(jd_at(a, 3)->u.s, ==, "\xc3\xa9");
}

static void test_duplicate_keys(void)
{
	/* json-glib's rule: the first one's place, the last one's value */
	g_autoptr(jd_doc) doc = ok("{\"a\":1,\"b\":2,\"a\":3}");
	struct jd_node *o = jd_root(doc);
	g_autoptr(GString) big = g_string_new("{");

	g_assert_cmpuint(o->u.obj.n, ==, 2);
	g_assert_cmpstr(o->u.obj.members[0].key, ==, "a");
	g_assert_cmpint(o->u.obj.members[0].value->u.i, ==, 3);
	g_assert_cmpstr(o->u.obj.members[1].key, ==, "b");
	/* the same past 16 members, where a hash table finds the repeats */
	for (int i = 0; i < 40; i++)
		g_string_append_printf(big, "\"k%d\":%d,", i % 20, i);
	g_string_append(big, "\"k3\":99}");
	{
		g_autoptr(jd_doc) d2 = ok(big->str);
		struct jd_node *r = jd_root(d2);

		g_assert_cmpuint(r->u.obj.n, ==, 20);
		for (int i = 0; i < 20; i++) {
			g_autofree char *k = g_strdup_printf("k%d", i);

			g_assert_cmpstr(r->u.obj.members[i].key, ==, k);
			g_assert_cmpint(jd_get_int(r, k, -1), ==, i == 3 ? 99 : i + 20);
		}
	}
}

static void test_errors(void)
{
	bad("", -1, 1, 1, "expected a JSON value, found the end of the text");
	bad("  \n ", -1, 2, 2, "expected a JSON value, found the end of the text");
	bad("[1,]", -1, 1, 4, "expected a value after ',', found ']'");
	bad("[1 2]", -1, 1, 4, "expected ',' or ']' after an array element, found '2'");
	bad("{\"a\":1,}", -1, 1, 8, "expected a member name (a string) after ',', found '}'");
	bad("{\n  \"a\" 1}", -1, 2, 7, "expected ':' after the member name, found '1'");
	bad("{\"a\":1 \"b\":2}", -1, 1, 8, "expected ',' or '}' after an object member, found '\"'");
	bad("{1:2}", -1, 1, 2, "expected a member name (a string) or '}', found '1'");
	bad("{'a':1}", -1, 1, 2, "expected a member name (a string) or '}', found '''");
	bad("[1]x", -1, 1, 4, "expected the end of the text after the JSON value, found 'x'");
	bad("{} {}", -1, 1, 4, "expected the end of the text after the JSON value, found '{'");
	bad("tru", -1, 1, 1, "expected a JSON value, found 'tru'");
	bad("nullx", -1, 1, 1, "expected a JSON value, found 'nullx'");
	bad("/*c*/1", -1, 1, 1, "expected a JSON value, found '/'");
	bad("[\n\x01]", -1, 2, 1, "expected a JSON value, found byte 0x01");
	bad("-", -1, 1, 2, "expected a digit after '-', found the end of the text");
	bad("+1", -1, 1, 1, "expected a JSON value, found '+'");
	bad(".5", -1, 1, 1, "expected a JSON value, found '.'");
	bad("1.", -1, 1, 3, "expected a digit after the decimal point, found the end of the text");
	bad("1e+", -1, 1, 4, "expected a digit in the exponent, found the end of the text");
	bad("01", -1, 1, 2, "expected the end of the text after the JSON value, found '1'");
	bad("[\"abc", -1, 1, 2, "expected '\"' to end the string that starts here, found the end of the text");
	bad("\"a\tb\"", -1, 1, 3, "expected an escape (\\n, \\t, \\u0009 ...) for control character 0x09 in a string");
	bad("\"a\\x\"", -1, 1, 4, "expected an escape character (\" \\ / b f n r t u) after '\\', found 'x'");
	bad("\"\\u12g4\"", -1, 1, 6, "expected 4 hex digits after \\u, found 'g4'");
	bad("\"\\u12", -1, 1, 6, "expected 4 hex digits after \\u, found the end of the text");
	bad("\"\\ud800\"", -1, 1, 8, "expected a low surrogate \\udc00-\\udfff after the high surrogate \\ud800");
	bad("\"\\ud800\\u0041\"", -1, 1, 8, "expected a low surrogate \\udc00-\\udfff after the high surrogate \\ud800");
	bad("\"x\\udc00\"", -1, 1, 3, "expected a high surrogate before the low surrogate \\udc00");
	bad("\"a\\u0000b\"", -1, 1, 3, "\\u0000 (NUL) is not allowed in a string");
	bad("[\"ok\", \"\xc3\x28\"]", -1, 1, 9, "invalid UTF-8 in a string");
	bad("\"\xff\"", -1, 1, 2, "invalid UTF-8 in a string");
	bad("[1,\0 2]", 7, 1, 4, "expected a JSON value, found byte 0x00");
	bad("{\"a\":1}", 6, 1, 7, "expected ',' or '}' after an object member, found the end of the text");
}

static void test_depth_limit(void)
{
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autoptr(GString) too_deep = g_string_new(NULL);
	struct jd_error err;

	for (int i = 0; i < JD_MAX_DEPTH; i++)
		g_string_append_c(deep, i % 2 ? '[' : '{'), g_string_append(deep, i % 2 ? "" : "\"k\":");
	g_string_append(deep, "1");
	for (int i = JD_MAX_DEPTH - 1; i >= 0; i--)
		g_string_append_c(deep, i % 2 ? ']' : '}');
	{
		g_autoptr(jd_doc) doc = ok(deep->str);

		g_assert_true(jd_is_object(jd_root(doc)));
	}
	for (int i = 0; i <= JD_MAX_DEPTH; i++)
		g_string_append_c(too_deep, '[');
	g_assert_null(jd_parse(too_deep->str, -1, &err));
	g_assert_cmpstr(err.message, ==, "nested deeper than 512 arrays and objects");
	g_assert_cmpuint(err.col, ==, JD_MAX_DEPTH + 1);
}

static char *match(const char *expr, const char *text)
{
	g_autoptr(jd_doc) doc = ok(text);
	g_autoptr(GError) error = NULL;
	g_autoptr(jd_path) path = jd_path_compile(expr, &error);
	g_autoptr(GPtrArray) m = NULL;
	GString *out = g_string_new(NULL);

	g_assert_no_error(error);
	m = jd_path_match(path, jd_root(doc));
	for (guint i = 0; i < m->len; i++) {
		g_autofree char *t = jd_to_string(m->pdata[i]);

		g_string_append_printf(out, "%s%s", i ? " " : "", t);
	}
	return g_string_free(out, FALSE);
}

static void assert_match(const char *expr, const char *text, const char *want)
{
	g_autofree char *got = match(expr, text);

	g_assert_cmpstr(got, ==, want);
}

static void test_path(void)
{
	const char *doc = "{\"counters\":{\"client\":{\"T\":1,\"U\":5},\"server\":{\"T\":2}},"
			  "\"syscalls\":[{\"errno\":\"E0\"},{\"errno\":\"E1\"},{\"x\":{\"errno\":\"E2\"}}],\"n\":7}";

	assert_match("$", "[1]", "[1]");
	assert_match("$.n", doc, "7");
	assert_match("$['n']", doc, "7");
	assert_match("$.counters.*.T", doc, "1 2");
	assert_match("$.counters['server'].T", doc, "2");
	assert_match("$.syscalls[*]", doc, "{\"errno\":\"E0\"} {\"errno\":\"E1\"} {\"x\":{\"errno\":\"E2\"}}");
	assert_match("$.syscalls[1].errno", doc, "\"E1\"");
	assert_match("$.syscalls[-1].x.errno", doc, "\"E2\"");
	assert_match("$.syscalls[0,1].errno", doc, "\"E0\" \"E1\"");
	assert_match("$.syscalls[7].errno", doc, "");
	assert_match("$.syscalls[1:].errno", doc, "\"E1\"");
	assert_match("$.syscalls[:2].errno", doc, "\"E0\" \"E1\"");
	assert_match("$.syscalls[0:3:2]", doc, "{\"errno\":\"E0\"} {\"x\":{\"errno\":\"E2\"}}");
	assert_match("$..errno", doc, "\"E0\" \"E1\" \"E2\"");
	assert_match("$..T", doc, "1 2");
	assert_match("$.counters..*", "{\"counters\":{\"a\":[1]}}", "[1] 1");
	assert_match("$.n.x", doc, "");
	assert_match("$.no.such", doc, "");
}

static void test_path_errors(void)
{
	static const struct {
		const char *expr, *message;
	} cases[] = {
		{ "counters", "expected '$' at the start at offset 0 of the JSONPath" },
		{ "$x", "expected '.' or '[' at offset 1 of the JSONPath" },
		{ "$.", "expected a member name or '*' after '.' at offset 2 of the JSONPath" },
		{ "$.a[", "expected '*', a quoted name, an index or a slice after '[' at offset 4 of the JSONPath" },
		{ "$.a[1", "expected ']' at offset 5 of the JSONPath" },
		{ "$.a[1,]", "expected an index after ',' at offset 6 of the JSONPath" },
		{ "$.a[0:2:0]", "expected a positive slice step at offset 9 of the JSONPath" },
		{ "$['a]", "expected a quoted member name at offset 2 of the JSONPath" },
		{ "$[?(@.a)]", "expected '*', a quoted name, an index or a slice after '[' at offset 2 of the JSONPath" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(jd_path) path = jd_path_compile(cases[i].expr, &error);

		g_assert_null(path);
		g_assert_error(error, CLI_ERROR, CLI_ERROR_USAGE);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json-doc/valid", test_valid);
	g_test_add_func("/json-doc/scalars-at-top", test_scalars_at_top);
	g_test_add_func("/json-doc/numbers", test_numbers);
	g_test_add_func("/json-doc/strings", test_strings);
	g_test_add_func("/json-doc/duplicate-keys", test_duplicate_keys);
	g_test_add_func("/json-doc/errors", test_errors);
	g_test_add_func("/json-doc/depth-limit", test_depth_limit);
	g_test_add_func("/json-path/match", test_path);
	g_test_add_func("/json-path/errors", test_path_errors);
	return g_test_run();
}
