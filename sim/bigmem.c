/* SPDX-License-Identifier: MIT */
/* Large zeroed blocks on transparent huge pages (include/sim/bigmem.h). */
#include "sim/bigmem.h"

#include <glib.h>
#include <stdint.h>
#include <sys/mman.h>

static size_t bigmem_span(size_t size)
{
	return (size + SIM_BIGMEM_MIN - 1) & ~(SIM_BIGMEM_MIN - 1);
}

void *sim_bigmem_alloc0(size_t size)
{
	size_t span, lead, trail;
	char *map, *p;

	if (size < SIM_BIGMEM_MIN)
		return g_malloc0(size);
	span = bigmem_span(size);
	/* one huge page more than asked, to cut an aligned span out of it */
	map = mmap(NULL, span + SIM_BIGMEM_MIN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		g_error("sim_bigmem_alloc0: out of memory (%zu bytes)", size);
	p = (char *)(((uintptr_t)map + SIM_BIGMEM_MIN - 1) & ~(uintptr_t)(SIM_BIGMEM_MIN - 1));
	lead = (size_t)(p - map);
	trail = SIM_BIGMEM_MIN - lead;
	if (lead)
		munmap(map, lead);
	if (trail)
		munmap(p + span, trail);
#ifdef MADV_HUGEPAGE
	/* advice only: refused (THP off, older kernel) it changes nothing */
	(void)madvise(p, span, MADV_HUGEPAGE);
#endif
	return p;		/* anonymous pages read as zero */
}

void sim_bigmem_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size < SIM_BIGMEM_MIN)
		g_free(p);
	else
		munmap(p, bigmem_span(size));
}
