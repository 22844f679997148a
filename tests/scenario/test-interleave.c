/* SPDX-License-Identifier: MIT */
/*
 * No global state: two runs of the same scenario, stepped alternately one
 * event at a time in one process, must produce byte-identical traces (and
 * the same trace as a run on its own); a different seed must differ.
 */
#include <glib.h>

#include "plan.h"
#include "run.h"
#include "sim/trace.h"
#include "trace_writer.h"

static struct scn_plan *load(const char *path)
{
	g_autoptr(GError) error = NULL;
	struct scn_script *script = scn_parse_file(path, NULL, &error);
	struct scn_plan *plan;

	g_assert_no_error(error);
	plan = scn_check(script, NULL, &error);
	g_assert_no_error(error);
	scn_script_free(script);
	return plan;
}

static char *run_alone(const struct scn_plan *plan, uint64_t seed)
{
	struct sim_trace *tr = sim_trace_new();
	struct trace_writer *w = trace_writer_new_memory(tr, TRACE_JSONL);
	struct scn_run *r = scn_run_new(plan, &(struct scn_run_opts){
		.seed = seed, .seed_set = true, .trace = tr });
	char *out;

	scn_run_execute(r);
	out = g_strdup(trace_writer_memory(w));
	scn_run_free(r);
	trace_writer_free(w);
	sim_trace_free(tr);
	return out;
}

static void test_interleaved(gconstpointer data)
{
	const char *path = data;
	struct scn_plan *plan = load(path);
	struct sim_trace *ta = sim_trace_new(), *tb = sim_trace_new();
	struct trace_writer *wa = trace_writer_new_memory(ta, TRACE_JSONL);
	struct trace_writer *wb = trace_writer_new_memory(tb, TRACE_JSONL);
	struct scn_run *a = scn_run_new(plan, &(struct scn_run_opts){ .seed = 7, .seed_set = true, .trace = ta });
	struct scn_run *b = scn_run_new(plan, &(struct scn_run_opts){ .seed = 7, .seed_set = true, .trace = tb });
	g_autofree char *alone = run_alone(plan, 7);
	g_autofree char *other = run_alone(plan, 8);
	bool more_a = true, more_b = true;
	guint steps = 0;

	g_test_summary("Two runs stepped alternately in one process give identical traces");
	while (more_a || more_b) {
		if (more_a)
			more_a = scn_run_step(a);
		if (more_b)
			more_b = scn_run_step(b);
		steps++;
	}
	g_assert_cmpuint(steps, >, 5);
	g_assert_cmpstr(trace_writer_memory(wa), ==, trace_writer_memory(wb));
	g_assert_cmpstr(trace_writer_memory(wa), ==, alone);
	g_assert_cmpstr(alone, !=, other);	/* ISNs and loss draws depend on the seed */
	scn_run_free(a);
	scn_run_free(b);
	trace_writer_free(wa);
	trace_writer_free(wb);
	sim_trace_free(ta);
	sim_trace_free(tb);
	scn_plan_free(plan);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-') {
			g_autofree char *name = g_path_get_basename(argv[i]);
			g_autofree char *tp = g_strdup_printf("/determinism/interleaved/%s", name);

			g_test_add_data_func(tp, argv[i], test_interleaved);
		}
	return g_test_run();
}
