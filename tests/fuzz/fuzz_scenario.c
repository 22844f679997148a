/* SPDX-License-Identifier: MIT */
/* Fuzz target (a): lex + parse + check of a scenario (tests/fuzz/fuzz.h). */
#include "fuzz_scn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const none[] = { NULL };
	g_autofree char *text = fuzz_string(data, size);
	GError *error = NULL;
	struct scn_script *script;

	fuzz_strict_glib();
	script = scn_parse_string("fuzz.scn", text, none, &error);
	fuzz_check_script(script, error);
	return 0;
}
