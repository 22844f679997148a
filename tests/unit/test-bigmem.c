/* SPDX-License-Identifier: MIT */
/*
 * Large zeroed blocks (sim/bigmem.c): zeroed, writable to the last byte,
 * 2 MiB-aligned from SIM_BIGMEM_MIN up (so that the kernel can back them
 * with huge pages), and given back without disturbing their neighbours.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sim/bigmem.h"

static void assert_zero(const unsigned char *p, size_t size)
{
	/* every page's first and last byte, and the block's last */
	for (size_t i = 0; i < size; i += 4096) {
		g_assert_cmpuint(p[i], ==, 0);
		g_assert_cmpuint(p[MIN(i + 4095, size - 1)], ==, 0);
	}
	g_assert_cmpuint(p[size - 1], ==, 0);
}

static void test_small(void)
{
	unsigned char *p = sim_bigmem_alloc0(1000);

	g_test_summary("below SIM_BIGMEM_MIN: ordinary zeroed heap memory");
	g_assert_nonnull(p);
	assert_zero(p, 1000);
	memset(p, 0xa5, 1000);
	sim_bigmem_free(p, 1000);
	sim_bigmem_free(NULL, 1000);	/* nothing */
}

static void test_large_aligned(void)
{
	/* not a multiple of the huge page: the span is rounded up */
	const size_t sizes[] = { SIM_BIGMEM_MIN, SIM_BIGMEM_MIN + 1, 3 * SIM_BIGMEM_MIN - 64 };
	unsigned char *p[G_N_ELEMENTS(sizes)];

	g_test_summary("from SIM_BIGMEM_MIN up: zeroed, 2 MiB-aligned, all of it writable; "
		       "freeing one leaves the others' contents");
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
		p[i] = sim_bigmem_alloc0(sizes[i]);
		g_assert_nonnull(p[i]);
		g_assert_cmpuint((uintptr_t)p[i] % SIM_BIGMEM_MIN, ==, 0);
		assert_zero(p[i], sizes[i]);
		memset(p[i], (int)(0x11 * (i + 1)), sizes[i]);
	}
	sim_bigmem_free(p[1], sizes[1]);
	for (size_t i = 0; i < G_N_ELEMENTS(sizes); i += 2) {
		g_assert_cmpuint(p[i][0], ==, 0x11 * (i + 1));
		g_assert_cmpuint(p[i][sizes[i] - 1], ==, 0x11 * (i + 1));
	}
	sim_bigmem_free(p[0], sizes[0]);
	sim_bigmem_free(p[2], sizes[2]);
	/* given back and mapped again: zeroed again */
	p[0] = sim_bigmem_alloc0(sizes[2]);
	assert_zero(p[0], sizes[2]);
	sim_bigmem_free(p[0], sizes[2]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/bigmem/small", test_small);
	g_test_add_func("/bigmem/large-aligned", test_large_aligned);
	return g_test_run();
}
