/* SPDX-License-Identifier: MIT */
/*
 * Zeroed memory for the simulation's large tables and slab blocks, on
 * transparent huge pages where the system offers them.  A run of 10^6
 * connections reads some 600 MiB in no order: with 4 KiB pages nearly every
 * cache miss is also a TLB miss, and the page walk misses too.  Linux's
 * default THP mode ("madvise") gives huge pages only to mappings that ask
 * (madvise(MADV_HUGEPAGE)) and that are 2 MiB-aligned, which malloc's
 * are not; so a block of SIM_BIGMEM_MIN bytes or more is mapped here,
 * aligned, and asked for.  Smaller requests are g_malloc0'd: a short run
 * never pays for zeroing a 2 MiB page it would not fill.
 *
 * Where the kernel refuses huge pages (THP "never", no madvise) the memory
 * is ordinary pages: only speed depends on it, never an outcome.
 */
#ifndef SIM_BIGMEM_H
#define SIM_BIGMEM_H

#include <stddef.h>

#define SIM_BIGMEM_MIN ((size_t)2 << 20)	/* one x86-64 huge page */

/* @size zeroed bytes; aborts on exhaustion as g_malloc0 does. */
void *sim_bigmem_alloc0(size_t size);
/* Give back what sim_bigmem_alloc0(@size) returned (NULL: nothing). */
void sim_bigmem_free(void *p, size_t size);

#endif
