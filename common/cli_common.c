/* SPDX-License-Identifier: MIT */
/* Helpers shared by the socksim subcommands (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ast.h"
#include "limit.h"
#include "names.h"
#include "output.h"
#include "pkt.h"

G_DEFINE_QUARK(socksim-cli-error-quark, cli_error)

static void vprint_error(const char *fmt, va_list ap)
{
	fputs("socksim: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage(const char *usage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
	if (usage)
		fputs(usage, stderr);
	return EXIT_USAGE;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

bool cli_parse_u64(const char *text, uint64_t *out)
{
	char *end;

	if (!*text || !g_ascii_isdigit(*text))
		return false;
	errno = 0;
	*out = g_ascii_strtoull(text, &end, 10);
	return !*end && errno == 0;
}

struct scn_plan *cli_load(const char *path, const char *const *sets, GError **error)
{
	g_autoptr(GError) local_error = NULL;
	g_autoptr(GPtrArray) params = g_ptr_array_new();
	struct scn_script *script = NULL;
	struct scn_plan *plan = NULL;
	struct scn_limits limits;

	/* Scenario parameters (no '.' in the key) go to the parser. */
	for (const char *const *s = sets; s && *s; s++)
		if (!scn_set_is_sysctl(*s) && !scn_set_is_setting(*s) && !scn_set_is_limit(*s))
			g_ptr_array_add(params, (char *)*s);
	g_ptr_array_add(params, NULL);
	if (!scn_limits_from_sets(&limits, sets, &local_error))
		script = NULL;
	else if (scn_is_pkt_path(path))	/* a packetdrill script (scenario/pkt.c) */
		script = scn_pkt_parse_file(path, (const char *const *)params->pdata, &local_error);
	else
		script = scn_parse_file_limited(path, (const char *const *)params->pdata, &limits,
						&local_error);
	if (script) {
		static const char *const none[] = { NULL };

		plan = scn_check(script, sets ? sets : none, &local_error);
		scn_script_free(script);
	}
	if (!plan) {
		g_autofree char *message = scn_explain_set_error(local_error->message, sets);

		g_set_error_literal(error, local_error->domain, local_error->code, message);
	}
	return plan;
}

bool cli_write_atomically(const char *path, const char *text, gssize len, GError **error)
{
	struct cli_output *o = cli_output_open(path, error);
	size_t n = len < 0 ? strlen(text) : (size_t)len;

	if (!o)
		return false;
	if (n && fwrite(text, 1, n, cli_output_file(o)) != n) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_IO, "writing '%s' failed: %s", path, g_strerror(errno));
		cli_output_discard(o);
		return false;
	}
	return cli_output_commit(o, error);
}

char *cli_shell_word(const char *arg)
{
	bool plain = *arg != '\0';

	for (const char *p = arg; *p && plain; p++)
		plain = g_ascii_isalnum(*p) || strchr("_-.,:/=+@%", *p);
	return plain ? g_strdup(arg) : g_shell_quote(arg);
}

char *cli_self_exe(void)
{
	char *exe = g_file_read_link("/proc/self/exe", NULL);

	return exe ? exe : g_strdup("socksim");
}

int cli_exit_of_kind(const char *exit_kind)
{
	static const char *const kinds[] = {
		[EXIT_OK] = "ok", [EXIT_EXPECT] = "expectation-failed", [EXIT_LIMIT] = "run-limit",
	};

	for (size_t i = 0; exit_kind && i < G_N_ELEMENTS(kinds); i++)
		if (kinds[i] && strcmp(kinds[i], exit_kind) == 0)
			return (int)i;
	return -1;
}

