/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target (d): the packetdrill front end (scenario/pkt.h) — read a .pkt
 * script, translate it and check the scenario it becomes (tests/fuzz/fuzz.h).
 */
#include "fuzz_scn.h"

#include "pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const none[] = { NULL };
	g_autofree char *text = fuzz_string(data, size);
	GError *error = NULL;
	struct scn_script *script;

	fuzz_strict_glib();
	script = scn_pkt_parse_string("fuzz.pkt", text, none, &error);
	fuzz_check_script(script, error);
	return 0;
}
