/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabinfo: /proc/slabinfo 2.x: the slab caches and their bytes. */
#ifndef PD_SLABINFO_H
#define PD_SLABINFO_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* One cache, its line of /proc/slabinfo. */
struct pd_slab {
	const char *name;	/* as printed; lives as long as the table */
	uint64_t active_objs, num_objs, objsize, objperslab, pagesperslab;
	uint64_t active_slabs, num_slabs;
	/*
	 * The RAM the cache holds: num_slabs * pagesperslab * page size.
	 * cache_show() (mm/slab_common.c) prints per cache the slabs it has
	 * (num_slabs, from SLUB's node_nr_slabs(), every slab: full,
	 * partial and per-CPU) and the pages of one slab (1 << the order of
	 * s->oo); the slabs are what the page allocator gave the cache, free
	 * objects, per-slab waste and metadata included. active_objs *
	 * objsize would miss all of that. slabinfo_show_stats() adds only
	 * SLAB's debug columns, which we skip. One caveat: SLUB allocates a
	 * slab at the smaller s->min order when the preferred order fails,
	 * so under fragmentation this is an upper bound. Large kmalloc()s
	 * (over 8 KiB) bypass the caches: since 5.x they count in the
	 * meminfo "SUnreclaim" line but in no line here.
	 */
	uint64_t bytes;
};

struct pd_slabinfo;

/*
 * Parse BUF (LEN bytes) of /proc/slabinfo, version 2.x (2.1 since 2.6.10,
 * still in 6.18, SLAB and SLUB alike): the "slabinfo - version: 2.1"
 * line, "#" header lines, then one line per cache "NAME ACTIVE_OBJS
 * NUM_OBJS OBJSIZE OBJPERSLAB PAGESPERSLAB : tunables L B S : slabdata
 * ACTIVE_SLABS NUM_SLABS SHAREDAVAIL [: more]". The name is what comes
 * before the five numbers, so a name with a blank is kept whole. A cache
 * line of another shape is skipped and counted. PAGE_SIZE is the
 * kernel's page size in bytes (a power of two). Returns 0, -EINVAL when
 * the first line is not a 2.x version line or PAGE_SIZE is not a power
 * of two, -ENOMEM. Free with pd_slabinfo_free().
 */
int pd_slabinfo_parse(const char *buf, size_t len, uint64_t page_size,
		      struct pd_slabinfo **ret_si);

/*
 * Read and parse "slabinfo" of the proc root PFS with this system's page
 * size. The file is mode 0400 since 2.6.33: without root this returns
 * -EACCES, which the tool reports as "slab caches: run as root". Other
 * errors are -errno (-ENOENT with SLOB, before 6.4).
 */
int pd_slabinfo_read(struct pd_procfs *pfs, struct pd_slabinfo **ret_si);

void pd_slabinfo_free(struct pd_slabinfo *si);

/* The caches in file order: their number, and cache I (NULL past it). */
size_t pd_slabinfo_count(const struct pd_slabinfo *si);
const struct pd_slab *pd_slabinfo_get(const struct pd_slabinfo *si, size_t i);

/* Cache lines of another shape that were skipped. */
size_t pd_slabinfo_skipped(const struct pd_slabinfo *si);

/* The sum of every cache's bytes. */
uint64_t pd_slabinfo_bytes(const struct pd_slabinfo *si);

/*
 * The N caches that hold the most bytes into RET_TOP (room for N), the
 * largest first, equal bytes by name. Returns how many were stored:
 * min(N, count).
 */
size_t pd_slabinfo_top(const struct pd_slabinfo *si, size_t n,
		       const struct pd_slab **ret_top);

#endif
