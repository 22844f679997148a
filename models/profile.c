/* SPDX-License-Identifier: MIT */
/*
 * The kernel profiles, each derived from the profile-flag registry
 * (net/profile_flags.h) by its version.  linux-6.18 is the default and the
 * kernel the differential tests run against; linux-5.0 is the seeds'
 * kernel (the .0 release); the others model the latest stable release (.y)
 * of each long-term kernel, so a row's backports apply to them.
 */
#include "net/profile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/profile_flags.h"
#include "net/vsock_profile.h"

/* One member initializer: the registry rule for profile @A (A_V, A_B). */
#define PF_INIT(A, field, kind, before, after, first, backports, override_in, override, \
		conf, source, doc) \
	.field = PF_VALUE(A##_V, A##_B, before, after, first, backports, override_in, override),

#define DEFINE_PROFILE(id, name_, release_, doc_) \
	static const struct vsock_profile vsock_##id = { VSOCK_PROFILE_FLAGS(PF_INIT, id) }; \
	static const struct kernel_profile id = { \
		.name = name_, .version = id##_V, .branch = id##_B, .release = release_, .doc = doc_, \
		KERNEL_PROFILE_FLAGS(PF_INIT, id) \
		.vsock = &vsock_##id, \
	}

/* A long-term kernel: its latest stable release, on branch LTS_<major>_<minor>. */
#define DEFINE_LTS(major, minor) \
	DEFINE_PROFILE(linux_##major##_##minor, "linux-" #major "." #minor, #major "." #minor ".y", \
		       "a long-term kernel: models " #major "." #minor ".y, its latest stable release")

#define linux_5_0_V KV(5, 0)
#define linux_5_0_B 0u
#define linux_5_10_V KV(5, 10)
#define linux_5_10_B LTS_5_10
#define linux_5_15_V KV(5, 15)
#define linux_5_15_B LTS_5_15
#define linux_6_1_V KV(6, 1)
#define linux_6_1_B LTS_6_1
#define linux_6_6_V KV(6, 6)
#define linux_6_6_B LTS_6_6
#define linux_6_12_V KV(6, 12)
#define linux_6_12_B LTS_6_12
#define linux_6_18_V KV(6, 18)
#define linux_6_18_B LTS_6_18

DEFINE_PROFILE(linux_5_0, "linux-5.0", "5.0",
	       "an older kernel: models 5.0, the seeds' kernel");
DEFINE_LTS(5, 10);
DEFINE_LTS(5, 15);
DEFINE_LTS(6, 1);
DEFINE_LTS(6, 6);
DEFINE_LTS(6, 12);
DEFINE_PROFILE(linux_6_18, "linux-6.18", "6.18.y",
	       "the default: models 6.18.y, the kernel the differential tests compare against");

/* The default first: did-you-mean suggests the first of equally close names. */
static const struct kernel_profile *const profiles[] = {
	&linux_6_18, &linux_5_0, &linux_5_10, &linux_5_15, &linux_6_1, &linux_6_6, &linux_6_12,
	NULL,
};

const struct kernel_profile *kernel_profile_find(const char *name)
{
	for (const struct kernel_profile *const *p = profiles; *p; p++)
		if (strcmp((*p)->name, name) == 0)
			return *p;
	return NULL;
}

const struct kernel_profile *kernel_profile_default(void)
{
	return &linux_6_18;
}

const struct kernel_profile *const *kernel_profile_all(void)
{
	return profiles;
}

int kernel_version_parse(const char *s)
{
	char *end;
	long major, minor;

	if (strncmp(s, "linux-", 6) == 0)
		s += 6;
	if (*s < '0' || *s > '9')
		return -1;
	major = strtol(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	minor = strtol(end + 1, &end, 10);
	if ((*end && *end != '.' && *end != '-') || major > 99 || minor > 999)
		return -1;
	return KV((int)major, (int)minor);
}

const struct kernel_profile *kernel_profile_nearest(int version)
{
	const struct kernel_profile *best = NULL, *oldest = NULL;

	for (const struct kernel_profile *const *p = profiles; *p; p++) {
		if ((*p)->version <= version && (!best || (*p)->version > best->version))
			best = *p;
		if (!oldest || (*p)->version < oldest->version)
			oldest = *p;
	}
	return best ? best : oldest;
}

/* The registry as data, with where each member is, for reading it back. */
#define PF_ROW(type, vsock_, field, kind_, before_, after_, first_, backports_, override_in_, \
	       override_, conf, source_, doc_) \
	{ .name = #field, .kind = kind_, .vsock = vsock_, .before = before_, .after = after_, \
	  .first = first_, .backports = backports_, .override_in = override_in_, \
	  .override = override_, .confidence = conf, .source = source_, .doc = doc_, \
	  .offset = offsetof(struct type, field), .size = sizeof(((struct type *)0)->field) },
#define PF_ROW_KERNEL(A, ...) PF_ROW(kernel_profile, false, __VA_ARGS__)
#define PF_ROW_VSOCK(A, ...) PF_ROW(vsock_profile, true, __VA_ARGS__)

static const struct profile_flag registry[] = {
	KERNEL_PROFILE_FLAGS(PF_ROW_KERNEL, 0)
	VSOCK_PROFILE_FLAGS(PF_ROW_VSOCK, 0)
};

const struct profile_flag *kernel_profile_flags(size_t *n)
{
	*n = sizeof(registry) / sizeof(registry[0]);
	return registry;
}

int kernel_profile_flag_value(const struct profile_flag *f, const struct kernel_profile *p)
{
	const char *base = f->vsock ? (const char *)p->vsock : (const char *)p;
	bool b;
	int32_t v;

	if (f->size == sizeof(bool)) {
		memcpy(&b, base + f->offset, sizeof(b));
		return b;
	}
	memcpy(&v, base + f->offset, sizeof(v));	/* int, uint32_t or an enum */
	return v;
}

int kernel_profile_flag_rule(const struct profile_flag *f, const struct kernel_profile *p)
{
	return PF_VALUE(p->version, p->branch, f->before, f->after, f->first, f->backports,
			f->override_in, f->override);
}

const char *kernel_profile_flag_text(const struct profile_flag *f, int value, char buf[static 16])
{
	static const char *const disconnect[] = { "proceeds", "ebusy", "epipe" };
	static const char *const credit[] = { "every-deq", "low-free", "delta" };

	switch (f->kind) {
	case PF_BOOL:
		return value ? "yes" : "no";
	case PF_DISCONNECT:
		if (value >= 0 && value < 3)
			return disconnect[value];
		break;
	case PF_CREDIT_UPDATE:
		if (value >= 0 && value < 3)
			return credit[value];
		break;
	case PF_INT:
		break;
	}
	snprintf(buf, 16, "%d", value);
	return buf;
}
