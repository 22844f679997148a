/* SPDX-License-Identifier: MIT */
/*
 * IPv6 address literals of the scenario language (RFC 4291 section 2.2
 * text forms: eight hex groups, one "::" for a run of zero groups, an
 * optional dotted-quad tail such as ::ffff:10.0.0.2) and their canonical
 * text (RFC 5952: lower case, the longest run of two or more zero groups
 * as "::", the first one on a tie).
 */
#ifndef SIM_SCENARIO_ADDR6_H
#define SIM_SCENARIO_ADDR6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Parse @n bytes of @s.  On failure returns false and points *why at a
 * static phrase ("more than one '::'", ...) for the error message.
 */
bool scn_ipv6_parse(const char *s, size_t n, uint8_t out[16], const char **why);

/* A word that can only be an IPv6 address: hex digits, ':' and '.', with
 * "::" or at least two ':' before any '/', or a leading ':' (identifiers such as vsock:2:1234 have letters
 * outside a-f, host:name has one ':'). */
bool scn_looks_ipv6(const char *s, size_t n);

#endif
