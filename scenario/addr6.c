/* SPDX-License-Identifier: MIT */
/* IPv6 address literals; see addr6.h. */
#include "addr6.h"

#include <glib.h>
#include <string.h>

bool scn_looks_ipv6(const char *s, size_t n)
{
	size_t colons = 0;
	bool dcolon = false;
	const char *slash = memchr(s, '/', n);

	if (n > 0 && s[0] == ':')	/* nothing else starts with ':' */
		return true;
	if (slash)			/* a prefix: the length is checked by the lexer */
		n = (size_t)(slash - s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ':') {
			colons++;
			if (i + 1 < n && s[i + 1] == ':')
				dcolon = true;
		} else if (!g_ascii_isxdigit(s[i]) && s[i] != '.') {
			return false;
		}
	}
	return dcolon || colons >= 2;
}

/* A dotted quad at the end of an IPv6 address: 4 bytes. */
static bool parse_quad(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int oct = 0; oct < 4; oct++) {
		unsigned v = 0;
		size_t d = 0;

		if (oct > 0) {
			if (i >= n || s[i] != '.')
				return false;
			i++;
		}
		while (i < n && g_ascii_isdigit(s[i]) && d < 4) {
			v = v * 10 + (unsigned)(s[i] - '0');
			i++;
			d++;
		}
		if (d == 0 || d > 3 || v > 255)
			return false;
		out[oct] = (uint8_t)v;
	}
	return i == n;
}

bool scn_ipv6_parse(const char *s, size_t n, uint8_t out[16], const char **why)
{
	uint16_t head[8], tail[8];
	size_t nh = 0, nt = 0, i = 0;
	bool gap = false;
	uint8_t quad[4];
	bool has_quad = false;

	memset(out, 0, 16);
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = true;
		i = 2;
	} else if (n >= 1 && s[0] == ':') {
		*why = "a single ':' at the start";
		return false;
	}
	while (i < n) {
		size_t j = i;
		unsigned v = 0;

		while (j < n && g_ascii_isxdigit(s[j]))
			j++;
		if (j < n && s[j] == '.') {	/* the dotted-quad tail */
			if (!parse_quad(s + i, n - i, quad)) {
				*why = "a bad IPv4 part";
				return false;
			}
			has_quad = true;
			break;
		}
		if (j == i) {
			*why = "an empty group";
			return false;
		}
		if (j - i > 4) {
			*why = "a group of more than 4 hex digits";
			return false;
		}
		for (size_t k = i; k < j; k++)
			v = v << 4 | (unsigned)g_ascii_xdigit_value(s[k]);
		if (nh + nt >= 8) {
			*why = "more than 8 groups";
			return false;
		}
		if (gap)
			tail[nt++] = (uint16_t)v;
		else
			head[nh++] = (uint16_t)v;
		i = j;
		if (i == n)
			break;
		if (s[i] != ':') {
			*why = "a character that is not a hex digit, ':' or '.'";
			return false;
		}
		if (i + 1 < n && s[i + 1] == ':') {
			if (gap) {
				*why = "more than one '::'";
				return false;
			}
			gap = true;
			i += 2;
			continue;
		}
		if (i + 1 == n) {
			*why = "a single ':' at the end";
			return false;
		}
		i++;
	}
	{
		size_t groups = nh + nt + (has_quad ? 2 : 0);

		if (groups > 8 || (gap && groups == 8)) {
			*why = "more than 8 groups";
			return false;
		}
		if (!gap && groups < 8) {
			*why = "fewer than 8 groups and no '::'";
			return false;
		}
	}
	for (size_t k = 0; k < nh; k++) {
		out[2 * k] = (uint8_t)(head[k] >> 8);
		out[2 * k + 1] = (uint8_t)head[k];
	}
	{
		size_t end = has_quad ? 12 : 16;

		for (size_t k = 0; k < nt; k++) {
			size_t at = end - 2 * (nt - k);

			out[at] = (uint8_t)(tail[k] >> 8);
			out[at + 1] = (uint8_t)tail[k];
		}
	}
	if (has_quad)
		memcpy(out + 12, quad, 4);
	return true;
}
