/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of scenario/suggest.c (edit distance, "did you mean") and
 * scenario/names.c (every name a scenario can use has a description, and
 * the lists come from the checker's own tables).
 */
#include <glib.h>
#include <string.h>

#include "names.h"
#include "suggest.h"

static void test_distance(void)
{
	g_test_summary("Damerau-Levenshtein (OSA): insert, delete, substitute, swap; case ignored");
	g_assert_cmpuint(scn_edit_distance("", ""), ==, 0);
	g_assert_cmpuint(scn_edit_distance("abc", ""), ==, 3);
	g_assert_cmpuint(scn_edit_distance("", "ab"), ==, 2);
	g_assert_cmpuint(scn_edit_distance("conect", "connect"), ==, 1);
	g_assert_cmpuint(scn_edit_distance("cnonect", "connect"), ==, 1);	/* swap */
	g_assert_cmpuint(scn_edit_distance("kitten", "sitting"), ==, 3);
	g_assert_cmpuint(scn_edit_distance("etimedout", "ETIMEDOUT"), ==, 0);
	g_assert_cmpuint(scn_edit_distance("ca", "abc"), ==, 3);		/* OSA, not true DL (2) */
}

static void test_closest(void)
{
	static const char *const c[] = { "host", "hosts2", "link", "route", NULL };

	g_test_summary("the closest candidate within a third of the length; ties to the first; none when far");
	g_assert_cmpstr(scn_closest("hots", c, -1), ==, "host");
	g_assert_cmpstr(scn_closest("lnik", c, -1), ==, "link");
	g_assert_null(scn_closest("expect", c, -1));
	g_assert_null(scn_closest("x", (const char *const[]){ "n", NULL }, -1));
	g_assert_cmpstr(scn_closest("roote", c, 4), ==, "route");
	g_assert_null(scn_closest("route", c, 3));	/* only the first 3 */
	{
		g_autofree char *h = scn_did_you_mean("hostt", c, -1);
		g_autofree char *none = scn_did_you_mean("zzzzzz", c, -1);

		g_assert_cmpstr(h, ==, " (did you mean 'host'?)");
		g_assert_cmpstr(none, ==, "");
	}
}

static void test_every_name_documented(void)
{
	g_test_summary("every name of every list has a one-line description");
	for (int w = SCN_NAMES_DIRECTIVES; w <= SCN_NAMES_PROFILES; w++) {
		g_autoptr(GPtrArray) names = scn_names((enum scn_names)w);

		g_assert_cmpuint(names->len, >, 1);
		for (guint i = 0; i < names->len; i++) {
			const struct scn_name *n = names->pdata[i];

			if (!n->doc || !*n->doc || strchr(n->doc, '\n'))
				g_error("list %d: '%s' has no one-line description", w, n->name);
		}
	}
}

static gboolean has(enum scn_names w, const char *name, const char *usage)
{
	g_autoptr(GPtrArray) names = scn_names(w);

	for (guint i = 0; i < names->len; i++) {
		const struct scn_name *n = names->pdata[i];

		if (strcmp(n->name, name) == 0)
			return !usage || strcmp(n->usage, usage) == 0;
	}
	return FALSE;
}

static void test_lists_from_tables(void)
{
	g_test_summary("the lists hold what the checker accepts");
	g_assert_true(has(SCN_NAMES_DIRECTIVES, "virtio-vsock", NULL));
	g_assert_true(has(SCN_NAMES_DIRECTIVES, "param", NULL));
	g_assert_true(has(SCN_NAMES_SYSCALLS, "poll", "poll(FD, EVENTS [, FD, EVENTS]..., TIMEOUT)"));
	g_assert_true(has(SCN_NAMES_FAULTS, "drop", "fault drop nth= count= from= to= kind= during="));
	g_assert_true(has(SCN_NAMES_FAULTS, "vsock-transport-reset", "fault vsock-transport-reset at= dev="));
	g_assert_true(has(SCN_NAMES_ERRNOS, "EWOULDBLOCK", "EWOULDBLOCK (11)"));
	g_assert_true(has(SCN_NAMES_COUNTERS, "TCPSynRetrans", "HOST.TCPSynRetrans"));
	g_assert_true(has(SCN_NAMES_COUNTERS, "VsockKicks", "HOST.VsockKicks"));
	g_assert_true(has(SCN_NAMES_COUNTERS, "dropped", "packets.dropped.KIND"));
	g_assert_true(has(SCN_NAMES_SYSCTLS, "net.ipv4.tcp_syn_retries", NULL));
	g_assert_true(has(SCN_NAMES_PROFILES, "linux-5.0", NULL));
	g_assert_false(has(SCN_NAMES_SYSCALLS, "splice", NULL));
}

static void test_hints(void)
{
	const char *const sets[] = { "tcp_syn_retries=3", "timeo=2s", NULL };
	g_autofree char *h1 = scn_names_hint(SCN_NAMES_ERRNOS, "ECONNREFUSD");
	g_autofree char *h2 = scn_counter_hint("client.TCPSynRetransmits");
	g_autofree char *h3 = scn_counter_hint("vsock.sent.REQEST");
	g_autofree char *h4 = scn_fault_option_hint("gilbert", "kk");
	g_autofree char *h5 = scn_fault_option_hint("vsock-delay", "extr");
	g_autofree char *m = scn_explain_set_error("<command line>: error: unknown parameter 'tcp_syn_retries' (declared: none)", sets);

	g_test_summary("hints for errnos, counters, fault options and a --set naming a sysctl");
	g_assert_cmpstr(h1, ==, " (did you mean 'ECONNREFUSED'?)");
	g_assert_cmpstr(h2, ==, " (did you mean 'client.TCPSynRetrans'?)");
	g_assert_cmpstr(h3, ==, " (did you mean 'vsock.sent.REQUEST'?)");
	g_assert_cmpstr(h4, ==, "");	/* two letters: by case only */
	g_assert_cmpstr(h5, ==, " (did you mean 'extra'?)");
	g_assert_nonnull(strstr(m, "\n<command line>: note: 'tcp_syn_retries' is not a parameter of this scenario; "
			       "did you mean the sysctl: --set net.ipv4.tcp_syn_retries=3?"));
	g_assert_null(strstr(m, "timeo"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/names/distance", test_distance);
	g_test_add_func("/names/closest", test_closest);
	g_test_add_func("/names/documented", test_every_name_documented);
	g_test_add_func("/names/tables", test_lists_from_tables);
	g_test_add_func("/names/hints", test_hints);
	return g_test_run();
}
