/* SPDX-License-Identifier: MIT */
/*
 * Errors above the scenario layer (common/, sweep/, report/, cli/): GLib
 * style, a GError ** as the last parameter, false or NULL on error.  The
 * message is what the user sees after "socksim: error: ".  Errors from
 * GLib or the scenario (SCN_ERROR) are passed on in their own
 * domain; the ones these layers make are CLI_ERROR.  (The kernel models
 * return negative errnos; docs/architecture.md, "Errors".)
 */
#ifndef COMMON_CLI_ERROR_H
#define COMMON_CLI_ERROR_H

#include <glib.h>

#define CLI_ERROR (cli_error_quark())
GQuark cli_error_quark(void);

enum cli_error_code {
	CLI_ERROR_USAGE,	/* a bad option or argument */
	CLI_ERROR_INPUT,	/* an input file is missing, malformed or of another sweep */
	CLI_ERROR_IO,		/* an output cannot be created or written */
};

#endif
