/* SPDX-License-Identifier: MIT */
/* IPv6 address classes.  Models: net/ipv6/addrconf_core.c @ v6.18. */
#include <glib.h>
#include <string.h>

#include "net/ipv6.h"

/* Models: include/net/ipv6.h:ipv6_addr_any() */
bool ipv6_addr_any(const struct in6_addr_sim *a)
{
	static const struct in6_addr_sim any;

	return memcmp(a, &any, sizeof(any)) == 0;
}

/* Models: include/net/ipv6.h:ipv6_addr_equal() */
bool ipv6_addr_equal(const struct in6_addr_sim *a, const struct in6_addr_sim *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Models: include/net/ipv6.h:ipv6_addr_v4mapped() — ::ffff:0:0/96 */
bool ipv6_addr_v4mapped(const struct in6_addr_sim *a)
{
	static const uint8_t pfx[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a->s6_addr, pfx, sizeof(pfx)) == 0;
}

uint32_t ipv6_addr_v4(const struct in6_addr_sim *a)
{
	return (uint32_t)a->s6_addr[12] << 24 | (uint32_t)a->s6_addr[13] << 16 |
	       (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15];
}

/* Models: include/net/ipv6.h:ipv6_addr_set_v4mapped() */
void ipv6_addr_set_v4mapped(uint32_t v4, struct in6_addr_sim *out)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	out->s6_addr[12] = (uint8_t)(v4 >> 24);
	out->s6_addr[13] = (uint8_t)(v4 >> 16);
	out->s6_addr[14] = (uint8_t)(v4 >> 8);
	out->s6_addr[15] = (uint8_t)v4;
}

/*
 * Models: net/ipv6/addrconf_core.c:__ipv6_addr_type() — only the classes the
 * connect and bind paths test: unspecified, loopback, v4-mapped, multicast,
 * link-local; everything else is global unicast.
 */
unsigned int ipv6_addr_type(const struct in6_addr_sim *a)
{
	static const struct in6_addr_sim loopback = { .s6_addr = { [15] = 1 } };

	if (a->s6_addr[0] == 0xff)
		return IPV6_ADDR_MULTICAST;
	if (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80)
		return IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST;
	if (ipv6_addr_any(a))
		return IPV6_ADDR_ANY;
	if (ipv6_addr_equal(a, &loopback))
		return IPV6_ADDR_LOOPBACK | IPV6_ADDR_UNICAST;
	if (ipv6_addr_v4mapped(a))
		return IPV6_ADDR_MAPPED;
	return IPV6_ADDR_UNICAST;
}

/* Models: lib/vsprintf.c:ip6_compressed_string() — RFC 5952 text, "::" for the
 * longest run of two or more zero groups (the first on a tie), a dotted-quad
 * tail for v4-mapped addresses. */
void ip6_compressed_string(const struct in6_addr_sim *a, char *buf, size_t len)
{
	uint16_t g[8];
	int best = -1, best_len = 0, ngroups = 8;
	GString *o = g_string_sized_new(46);

	for (int i = 0; i < 8; i++)
		g[i] = (uint16_t)(a->s6_addr[2 * i] << 8 | a->s6_addr[2 * i + 1]);
	if (ipv6_addr_v4mapped(a))
		ngroups = 6;
	for (int i = 0; i < ngroups; ) {
		int j = i;

		while (j < ngroups && g[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < ngroups; i++) {
		if (i == best) {
			g_string_append(o, "::");
			i += best_len - 1;
			continue;
		}
		if (i > 0 && !(best >= 0 && i == best + best_len))
			g_string_append_c(o, ':');
		g_string_append_printf(o, "%x", g[i]);
	}
	if (ngroups == 6) {
		if (best + best_len != 6)
			g_string_append_c(o, ':');
		g_string_append_printf(o, "%u.%u.%u.%u", a->s6_addr[12], a->s6_addr[13],
				       a->s6_addr[14], a->s6_addr[15]);
	}
	g_strlcpy(buf, o->str, len);
	g_string_free(o, TRUE);
}
