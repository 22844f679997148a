/* SPDX-License-Identifier: MIT */
/* "Did you mean ...?" suggestions (suggest.h). */
#include "suggest.h"

#include <string.h>

unsigned scn_edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	/* three rows of the (n+1) x (m+1) matrix: i-2, i-1, i */
	g_autofree unsigned *buf = g_new(unsigned, 3 * (m + 1));
	unsigned *pp = buf, *prev = buf + m + 1, *cur = buf + 2 * (m + 1);

	for (size_t j = 0; j <= m; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			char ca = g_ascii_tolower(a[i - 1]), cb = g_ascii_tolower(b[j - 1]);
			unsigned cost = ca != cb;
			unsigned d = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);

			if (i > 1 && j > 1 && ca == g_ascii_tolower(b[j - 2]) &&
			    g_ascii_tolower(a[i - 2]) == cb)
				d = MIN(d, pp[j - 2] + 1);
			cur[j] = d;
		}
		{
			unsigned *t = pp;

			pp = prev;
			prev = cur;
			cur = t;
		}
	}
	return prev[m];
}

const char *scn_closest(const char *name, const char *const *cands, gssize n)
{
	const char *best = NULL;
	unsigned best_d = G_MAXUINT;

	for (gssize i = 0; n < 0 ? cands[i] != NULL : i < n; i++) {
		size_t len = MAX(strlen(name), strlen(cands[i]));
		unsigned limit = len < 3 ? 0 : MAX(1u, (unsigned)(len / 3));
		unsigned d = scn_edit_distance(name, cands[i]);

		if (d <= limit && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

char *scn_did_you_mean(const char *name, const char *const *cands, gssize n)
{
	const char *best = scn_closest(name, cands, n);

	return best ? g_strdup_printf(" (did you mean '%s'?)", best) : g_strdup("");
}

char *scn_or_list(const char *const *names, gsize n)
{
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	return g_string_free(s, FALSE);
}
