/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (d): the packetdrill front end (scenario/pkt.h) — read a .pkt
 * script, translate it and check the scenario it becomes (tests/fuzz/fuzz.h).
 */
#include "fuzz.h"

#include "ast.h"
#include "pkt.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const none[] = { NULL };
	g_autofree char *text = fuzz_string(data, size);
	GError *error = NULL;
	struct scn_script *script;

	fuzz_strict_glib();
	script = scn_pkt_parse_string("fuzz.pkt", text, none, &error);
	if (script) {
		struct scn_plan *plan = scn_check(script, none, &error);

		g_assert((plan == NULL) == (error != NULL));
		scn_plan_free(plan);
		scn_script_free(script);
	} else {
		g_assert(error != NULL);
	}
	g_clear_error(&error);
	return 0;
}
