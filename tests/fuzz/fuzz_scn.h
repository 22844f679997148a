/* SPDX-License-Identifier: MIT */
/* Shared by the scenario and pkt fuzz targets (tests/fuzz/fuzz.h). */
#ifndef TESTS_FUZZ_FUZZ_SCN_H
#define TESTS_FUZZ_FUZZ_SCN_H

#include "fuzz.h"

#include "ast.h"
#include "plan.h"

/* Check @script (NULL: @error must say why the parse failed), free all. */
static inline void fuzz_check_script(struct scn_script *script, GError *error)
{
	static const char *const none[] = { NULL };

	if (script) {
		struct scn_plan *plan;

		g_assert(error == NULL);
		plan = scn_check(script, none, &error);
		g_assert((plan == NULL) == (error != NULL));
		scn_plan_free(plan);
		scn_script_free(script);
	} else {
		g_assert(error != NULL);
	}
	g_clear_error(&error);
}

#endif
