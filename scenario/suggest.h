/* SPDX-License-Identifier: MIT */
/*
 * "Did you mean ...?" for unknown names: the closest candidate by
 * Damerau-Levenshtein distance (optimal string alignment, ASCII case
 * ignored), deterministic (ties go to the earliest candidate).
 */
#ifndef SIM_SCENARIO_SUGGEST_H
#define SIM_SCENARIO_SUGGEST_H

#include <glib.h>

/* Edit distance between @a and @b: insertions, deletions, substitutions, adjacent swaps. */
unsigned scn_edit_distance(const char *a, const char *b);

/*
 * The candidate of @cands (NULL-terminated; @n entries when @n >= 0) closest to
 * @name, if close enough to be a likely typo (distance at most a third of the
 * longer name, at least 1; names under 3 characters only by case); NULL otherwise.
 */
const char *scn_closest(const char *name, const char *const *cands, gssize n);

/* " (did you mean 'X'?)" for scn_closest(), or "" when nothing is close.  Free it. */
char *scn_did_you_mean(const char *name, const char *const *cands, gssize n);

/* "a, b, c or d" from @n names. */
char *scn_or_list(const char *const *names, gsize n);

#endif
