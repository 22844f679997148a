/* SPDX-License-Identifier: MIT */
/*
 * In-tree fuzz targets (issue #13): each defines LLVMFuzzerTestOneInput().
 * Built with libFuzzer under clang (-Dfuzz=true, tools/fuzz), and with the
 * replay main in replay.c under any compiler, so the normal build and CI
 * replay the corpus and every past crash (tests/fuzz/meson.build).
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_FATAL_LEVELS (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)

/* Print, then abort(): GLib's own fatal path ends in G_BREAKPOINT (SIGTRAP),
 * which libFuzzer does not catch, so the input would not be saved. */
static inline void fuzz_log_abort(const gchar *domain, GLogLevelFlags level, const gchar *message,
				  gpointer unused)
{
	g_log_default_handler(domain, level, message, unused);
	if (level & FUZZ_FATAL_LEVELS)
		abort();
}

/* GLib warnings and criticals (a GError over a GError, a failed
 * g_return_if_fail) are bugs: make them abort so the fuzzer reports them. */
static inline void fuzz_strict_glib(void)
{
	g_log_set_always_fatal(FUZZ_FATAL_LEVELS);
	g_log_set_default_handler(fuzz_log_abort, NULL);
}

/* @data as a NUL-terminated string (inputs with a NUL byte are cut there). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	return g_strndup((const char *)data, size);
}

#endif
