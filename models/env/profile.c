/* SPDX-License-Identifier: MIT */
/*
 * The kernel profiles.  linux-6.18 is the default and the kernel the
 * differential tests run against; linux-5.0 is the era the seed documents
 * quote (../shared/reference/tcp.md §9 lists every difference).
 */
#include "net/profile.h"

#include <string.h>

static const struct kernel_profile linux_6_18 = {
	.name = "linux-6.18",
	.connect_addr_first = true,
	.syn_expiry_time_based = true,
	.syn_linear_timeouts = true,
	.sk_disconnects = true,
	.synsent_bad_ack_rearm = true,
	.synq_full_strictly_greater = true,
	.port_perturb_table = true,
	.rto_limits_tunable = true,
	.somaxconn_default = 4096,
	.wmem_max_default = 4194304,
};

static const struct kernel_profile linux_5_0 = {
	.name = "linux-5.0",
	.connect_addr_first = false,
	.syn_expiry_time_based = false,
	.syn_linear_timeouts = false,
	.sk_disconnects = false,
	.synsent_bad_ack_rearm = false,
	.synq_full_strictly_greater = false,
	.port_perturb_table = false,
	.rto_limits_tunable = false,
	.somaxconn_default = 128,
	.wmem_max_default = 212992,
};

static const struct kernel_profile *const profiles[] = {
	&linux_6_18, &linux_5_0, NULL,
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
