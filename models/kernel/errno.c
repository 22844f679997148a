/* SPDX-License-Identifier: MIT */
/* Errno names, from the one list in linux/errno_names.h. */
#include "linux/errno_names.h"

#include <stddef.h>
#include <string.h>

static const struct {
	const char *name;
	int val;
} errno_table[] = {
#define SIM_ERRNO_ROW(n, v) { #n, v },
	SIM_ERRNO_MAP(SIM_ERRNO_ROW)
#undef SIM_ERRNO_ROW
	{ "EWOULDBLOCK", 11 },
	{ "EDEADLOCK", 35 },
};

const char *sim_errno_name(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++)
		if (errno_table[i].val == err)
			return errno_table[i].name;
	return NULL;
}

const char *sim_errno_at(unsigned int i, int *val)
{
	if (i >= sizeof(errno_table) / sizeof(errno_table[0]))
		return NULL;
	*val = errno_table[i].val;
	return errno_table[i].name;
}

int sim_errno_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++)
		if (strcmp(errno_table[i].name, name) == 0)
			return errno_table[i].val;
	return 0;
}
