/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (b): a bounded run of a checked scenario (10 s of simulated
 * time, 20000 events), its expectations and its results document.
 */
#include "fuzz.h"

#include "ast.h"
#include "plan.h"
#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const none[] = { NULL };
	g_autofree char *text = fuzz_string(data, size);
	GError *error = NULL;
	struct scn_script *script;
	struct scn_plan *plan = NULL;

	fuzz_strict_glib();
	script = scn_parse_string("fuzz.scn", text, none, &error);
	if (script)
		plan = scn_check(script, none, &error);
	if (plan) {
		struct scn_run *run = scn_run_new(plan, &(struct scn_run_opts){
			.until = 10 * G_GUINT64_CONSTANT(1000000000), .max_events = 20000, .sets = none });
		GString *report = g_string_new(NULL);

		scn_run_execute(run);
		scn_run_evaluate(run, report, true);
		g_free(scn_run_results_json(run, "ok"));
		g_string_free(report, TRUE);
		scn_run_free(run);
	}
	scn_plan_free(plan);
	scn_script_free(script);
	g_clear_error(&error);
	return 0;
}
