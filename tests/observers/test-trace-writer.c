/* SPDX-License-Identifier: MIT */
/* The --trace writer (observers/trace_writer.c): one record as a text line and as JSON Lines. */
#include <glib.h>

#include "sim/time.h"
#include "trace_writer.h"

static void test_formats(void)
{
	struct sim_trace *sink = sim_trace_new();
	struct trace_writer *tx = trace_writer_new_memory(sink, TRACE_TEXT);
	struct trace_writer *tj = trace_writer_new_memory(sink, TRACE_JSONL);
	const struct sim_trace_rec rec = {
		.t = SIM_SEC(12) + 345, .host = "client", .obj = "sk#3",
		.event = "inet_sock_set_state", .func = "tcp_set_state",
		.detail = "old=TCP_CLOSE new=TCP_SYN_SENT port=80 neg=-1 lead=007",
	};

	g_test_summary("Both writers consume one sink: the text line pads its columns and "
		       "names the function last; the JSON Lines writer turns detail pairs into "
		       "fields, integers as numbers; headers come first in either form.");
	sim_trace_header(sink, "seed", "1");
	sim_trace_emit(sink, &rec);
	sim_trace_emit(sink, &(struct sim_trace_rec){ .t = 1, .event = "bare" });
	g_assert_cmpstr(trace_writer_memory(tx), ==,
			"# seed: 1\n"
			"  12.000000345 client   sk#3    inet_sock_set_state            "
			"old=TCP_CLOSE new=TCP_SYN_SENT port=80 neg=-1 lead=007  <- tcp_set_state\n"
			"   0.000000001 -        -       bare                           \n");
	g_assert_cmpstr(trace_writer_memory(tj), ==,
			"{\"header\":\"seed\",\"value\":\"1\"}\n"
			"{\"t_ns\":12000000345,\"host\":\"client\",\"obj\":\"sk#3\","
			"\"event\":\"inet_sock_set_state\",\"func\":\"tcp_set_state\","
			"\"old\":\"TCP_CLOSE\",\"new\":\"TCP_SYN_SENT\",\"port\":80,"
			"\"neg\":-1,\"lead\":\"007\"}\n"
			"{\"t_ns\":1,\"host\":\"\",\"obj\":\"\",\"event\":\"bare\"}\n");
	trace_writer_free(tx);
	sim_trace_emit(sink, &rec);	/* tx detached: only tj grows */
	g_assert_true(g_str_has_suffix(trace_writer_memory(tj), "\"lead\":\"007\"}\n"));
	trace_writer_free(tj);
	sim_trace_free(sink);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/observers/trace-writer/formats", test_formats);
	return g_test_run();
}
