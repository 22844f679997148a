/* SPDX-License-Identifier: MIT */
/* `--vary` values and grid indices (grid.h). */
#include "grid.h"

#include <string.h>

#include "cli.h"

#define GRID_MAX_VALUES 100000

struct grid_axis *grid_axis_new(const char *key)
{
	struct grid_axis *a = g_new0(struct grid_axis, 1);

	a->key = g_strdup(key);
	a->values = g_ptr_array_new_with_free_func(g_free);
	return a;
}

void grid_axis_free(struct grid_axis *a)
{
	if (!a)
		return;
	g_free(a->key);
	g_ptr_array_free(a->values, TRUE);
	g_free(a);
}

/* A decimal with an optional unit suffix: "-1.25ms" -> 125, 2 decimals, "ms". */
static bool parse_decimal(const char *s, int64_t *mant, int *decimals, const char **suffix)
{
	bool neg = *s == '-';
	int digits = 0;

	if (neg)
		s++;
	*mant = 0;
	*decimals = -1;
	for (; g_ascii_isdigit(*s) || (*s == '.' && *decimals < 0); s++) {
		if (*s == '.') {
			*decimals = 0;
			continue;
		}
		if (*mant > (INT64_MAX - 9) / 10)
			return false;
		*mant = *mant * 10 + (*s - '0');
		digits++;
		if (*decimals >= 0)
			(*decimals)++;
	}
	if (*decimals < 0)
		*decimals = 0;
	for (const char *u = s; *u; u++)
		if (!g_ascii_isalpha(*u))
			return false;
	*suffix = s;
	if (neg)
		*mant = -*mant;
	return digits > 0 && *decimals <= 9;
}

static int64_t pow10_i(int n)
{
	int64_t p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

static char *format_decimal(int64_t v, int decimals, const char *suffix)
{
	uint64_t mag = v < 0 ? (uint64_t)-v : (uint64_t)v;
	uint64_t scale = (uint64_t)pow10_i(decimals);

	if (decimals == 0)
		return g_strdup_printf("%s%" G_GUINT64_FORMAT "%s", v < 0 ? "-" : "", mag, suffix);
	return g_strdup_printf("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT "%s", v < 0 ? "-" : "",
			       mag / scale, decimals, mag % scale, suffix);
}

static bool parse_range(struct grid_axis *a, char **parts, GError **error)
{
	int64_t m[3];
	int dec[3], d = 0;
	const char *suf[3];

	for (int i = 0; i < 3; i++) {
		if (!parse_decimal(parts[i], &m[i], &dec[i], &suf[i])) {
			g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
				    "'%s' is not a decimal number (with an optional unit)", parts[i]);
			return false;
		}
		d = MAX(d, dec[i]);
	}
	if (strcmp(suf[0], suf[1]) != 0 || strcmp(suf[0], suf[2]) != 0) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "START, STOP and STEP need the same unit");
		return false;
	}
	for (int i = 0; i < 3; i++)
		m[i] *= pow10_i(d - dec[i]);
	if (m[2] <= 0 || m[0] > m[1]) {
		g_set_error_literal(error, CLI_ERROR, CLI_ERROR_USAGE, "a range needs STEP > 0 and START <= STOP");
		return false;
	}
	if ((m[1] - m[0]) / m[2] >= GRID_MAX_VALUES) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "more than %d values", GRID_MAX_VALUES);
		return false;
	}
	for (int64_t v = m[0]; v <= m[1]; v += m[2])
		g_ptr_array_add(a->values, format_decimal(v, d, suf[0]));
	return true;
}

struct grid_axis *grid_axis_parse(const char *arg, GError **error)
{
	const char *eq = strchr(arg, '=');
	g_autofree char *key = eq ? g_strndup(arg, (gsize)(eq - arg)) : NULL;
	struct grid_axis *a;
	char **parts;
	bool ok = true;

	if (!eq || eq == arg || !eq[1]) {
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE,
			    "--vary expects KEY=V1,V2,... or KEY=START:STOP:STEP, found '%s'", arg);
		return NULL;
	}
	a = grid_axis_new(g_strstrip(key));
	parts = g_strsplit(eq + 1, ":", -1);
	if (g_strv_length(parts) == 3 && !strchr(eq + 1, ',')) {
		GError *why = NULL;

		ok = parse_range(a, parts, &why);
		if (!ok)
			g_propagate_prefixed_error(error, why, "--vary '%s': ", arg);
	} else if (g_strv_length(parts) != 1 && !strchr(eq + 1, ',')) {
		ok = false;
		g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--vary '%s': a range is START:STOP:STEP", arg);
	} else {
		g_auto(GStrv) vals = g_strsplit(eq + 1, ",", -1);

		for (char **v = vals; *v && ok; v++) {
			ok = **v != '\0';
			if (ok)
				g_ptr_array_add(a->values, g_strdup(*v));
			else
				g_set_error(error, CLI_ERROR, CLI_ERROR_USAGE, "--vary '%s': empty value", arg);
		}
	}
	g_strfreev(parts);
	if (!ok) {
		grid_axis_free(a);
		return NULL;
	}
	return a;
}

uint64_t grid_size(const GPtrArray *axes)
{
	uint64_t n = 1;

	for (guint i = 0; i < axes->len; i++) {
		const struct grid_axis *a = axes->pdata[i];

		if (n > UINT64_MAX / a->values->len)
			return 0;
		n *= a->values->len;
	}
	return n;
}

void grid_point(const GPtrArray *axes, uint64_t g, const char **values_out)
{
	for (guint i = axes->len; i-- > 0;) {
		const struct grid_axis *a = axes->pdata[i];

		values_out[i] = a->values->pdata[g % a->values->len];
		g /= a->values->len;
	}
}
