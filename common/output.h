/* SPDX-License-Identifier: MIT */
/*
 * Output files, written safely (issue #13).
 *
 * An output path is written so that a reader never sees a half-written
 * file and nothing but a regular file is ever replaced:
 *  - a regular file, or a path that does not exist yet: written to a
 *    temporary file beside it (PATH.tmp.PID.N) and renamed over it at the
 *    end; a symbolic link to a regular file is followed and its target is
 *    replaced, the link stays;
 *  - a character device (/dev/null, a terminal) or a FIFO (a pipe, a
 *    shell's >(...)): written in place, never renamed over;
 *  - a directory, a block device, a socket or a dangling symbolic link:
 *    refused with a usage error.
 * Temporary files are registered so that SIGINT/SIGTERM removes them
 * (an async-signal-safe handler that unlinks them, then dies of the signal).
 */
#ifndef COMMON_OUTPUT_H
#define COMMON_OUTPUT_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli_error.h"

struct cli_output;

/* False and @error (CLI_ERROR_IO) if @path cannot be an output (see above). */
bool cli_output_check(const char *path, GError **error);

/* Open @path for writing as described above; NULL and @error on error. */
struct cli_output *cli_output_open(const char *path, GError **error);
FILE *cli_output_file(struct cli_output *o);
/* Close, and rename the temporary file over the target; frees @o. */
bool cli_output_commit(struct cli_output *o, GError **error);
/* Close and remove the temporary file (the target is untouched); frees @o. */
void cli_output_discard(struct cli_output *o);

/*
 * Usage error when an output is the same file as an input or as another
 * output: the same device and inode where both exist, else the same
 * canonical path.  Character devices (/dev/null) may repeat.  NULL entries
 * are skipped.  @what_out names the outputs in the message ("--results").
 */
bool cli_outputs_distinct(const char *const *inputs, size_t n_in, const char *const *outputs,
			  const char *const *out_names, size_t n_out, GError **error);

/*
 * Register a temporary @path for removal on SIGINT/SIGTERM; returns a slot
 * for cli_temp_forget() (-1 if the table is full: the file is then only
 * removed by the normal error paths).
 */
int cli_temp_register(const char *path);
void cli_temp_forget(int slot);

#endif
