/* SPDX-License-Identifier: MIT */
/* Not kernel code: the limits table (scenario/limit.h, docs/scenario-language.md, "Adjustable limits"). */
#include "limit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "sim/time.h"

static const struct {
	const char *name;
	uint64_t def, max;
	bool lower;		/* a lower bound: the value must not be below it */
} limits[SCN_LIMIT_N] = {
	[SCN_LIMIT_FILE_BYTES] = { .name = "file-bytes", .def = 64u << 20, .max = (uint64_t)1 << 40 },
	[SCN_LIMIT_INSTANCES] = { .name = "instances", .def = 10000000u, .max = 10000000u },
	/* one /8 of addresses */
	[SCN_LIMIT_HOSTS] = { .name = "hosts", .def = 10000u, .max = 16000000u },
	[SCN_LIMIT_PROCESSES] = { .name = "processes", .def = 100000u, .max = 100000000u },
	[SCN_LIMIT_LINE_BYTES] = { .name = "line-bytes", .def = 65536u, .max = (uint64_t)1 << 30 },
	[SCN_LIMIT_PARAMS] = { .name = "params", .def = 100000u, .max = 10000000u },
	[SCN_LIMIT_VARIABLES] = { .name = "variables", .def = 10000u, .max = 1000000u },
	/* one bucket per interval and connection is kept (observers/tcp_stats.c) */
	[SCN_LIMIT_SAMPLE_INTERVAL] = { .name = "sample-interval", .def = 10000u, .max = 1000000000000u,
					.lower = true },
	[SCN_LIMIT_THREADS] = { .name = "threads", .def = 1000000u, .max = 100000000u },
	/* 1 h; the maximum is past SIM_TIME_END (include/sim/time.h): no limit */
	[SCN_LIMIT_SIM_TIME] = { .name = "sim-time", .def = 3600u, .max = SIM_TIME_END / 1000000000u + 1 },
};

#define PREFIX "limit."

static const struct scn_loc cmdline = { .file = "<command line>" };

const char *scn_limit_name(enum scn_limit l)
{
	return limits[l].name;
}

bool scn_set_is_limit(const char *kv)
{
	return g_str_has_prefix(kv, PREFIX);
}

static bool set_one(struct scn_limits *out, const char *kv, GError **error)
{
	const char *name = kv + strlen(PREFIX);
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);

	for (int l = 0; l < SCN_LIMIT_N; l++) {
		char *end;
		unsigned long long v;

		if (strlen(limits[l].name) != len || strncmp(limits[l].name, name, len) != 0)
			continue;
		errno = 0;
		v = eq && eq[1] >= '0' && eq[1] <= '9' ? strtoull(eq + 1, &end, 10) : 0;
		if (!eq || eq[1] < '0' || eq[1] > '9' || *end || errno || v < 1 || v > limits[l].max) {
			scn_set_error(error, SCN_ERROR_USAGE, &cmdline,
				      "--set %s: expected limit.%s=N with N in 1..%" G_GUINT64_FORMAT, kv,
				      limits[l].name, limits[l].max);
			return false;
		}
		out->v[l] = v;
		return true;
	}
	{
		g_autoptr(GString) names = g_string_new(NULL);

		for (int l = 0; l < SCN_LIMIT_N; l++)
			g_string_append_printf(names, "%s%s", l ? ", " : "", limits[l].name);
		scn_set_error(error, SCN_ERROR_USAGE, &cmdline, "--set %s: unknown limit (known: %s)", kv,
			      names->str);
	}
	return false;
}

bool scn_limits_from_sets(struct scn_limits *out, const char *const *sets, GError **error)
{
	for (int l = 0; l < SCN_LIMIT_N; l++)
		out->v[l] = limits[l].def;
	for (; sets && *sets; sets++)
		if (scn_set_is_limit(*sets) && !set_one(out, *sets, error))
			return false;
	return true;
}

char *scn_limit_exceeded(const struct scn_limits *lim, enum scn_limit l, const char *what)
{
	return g_strdup_printf("%s %s limit.%s=%" G_GUINT64_FORMAT "; %s it with --set limit.%s=N",
			       what, limits[l].lower ? "is below" : "exceeds", limits[l].name, lim->v[l],
			       limits[l].lower ? "lower" : "raise", limits[l].name);
}
