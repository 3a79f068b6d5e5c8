/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numamaps: /proc/PID/numa_maps: pages per node, per mapping and process. */
#ifndef PD_NUMAMAPS_H
#define PD_NUMAMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/* Where a mapping's pages come from, as numa_maps names it. */
enum pd_numa_vma_kind {
	PD_NUMA_VMA_ANON,	/* none of the below: anonymous, or special */
	PD_NUMA_VMA_FILE,	/* file=PATH */
	PD_NUMA_VMA_HEAP,	/* heap */
	PD_NUMA_VMA_STACK,	/* stack */
};

/*
 * One mapping's line of numa_maps (mm/mempolicy.c show_numa_map()).
 * Counts are in pages of PAGE_SIZE bytes, as printed; the kernel prints
 * only counts that are not zero (and mapped= only when it differs from
 * anon= and dirty=), so an absent count is 0 here.
 */
struct pd_numa_vma {
	uint64_t start;		/* the mapping's start address */
	/* mpol_to_str(): "default", "bind:0-1", "prefer (many)=static:1",
	 * "weighted interleave:0-3": NUL-terminated copy */
	const char *policy;
	enum pd_numa_vma_kind kind;
	/* the path as printed, blanks, tabs, newlines and '=' escaped as
	 * \ooo; NULL unless kind is PD_NUMA_VMA_FILE */
	const char *file;
	bool huge;		/* a hugetlb mapping */
	/* kernelpagesize_kB in bytes: the size of the pages counted below
	 * (the huge page size for hugetlb); 0 when the line has no page,
	 * and so no kernelpagesize_kB */
	uint64_t page_size;
	uint64_t anon, dirty, mapped, mapmax, swapcache, active, writeback;
	/* N<node>=pages: node_pages[node] for node < nr_nodes */
	const uint64_t *node_pages;
	unsigned nr_nodes;
	uint64_t pages;		/* the sum of node_pages */
};

/* Bytes of VMA on NODE: N<node> pages * kernelpagesize_kB * 1024. */
uint64_t pd_numa_vma_node_bytes(const struct pd_numa_vma *vma, unsigned node);

struct pd_numamaps;

/*
 * Parse BUF (LEN bytes) of numa_maps: per line "ADDR POLICY [file=PATH |
 * heap | stack] [huge] [anon=N] [dirty=N] [mapped=N] [mapmax=N]
 * [swapcache=N] [active=N] [writeback=N] [N<node>=N ...]
 * [kernelpagesize_kB=N]". The policy is every word between the address
 * and the first word of the list above (policies of 6.9+ hold blanks);
 * words of later kernels are skipped. A kernel thread's file is empty:
 * no mapping. Returns 0, -EINVAL for a line of another shape (the file
 * is one process's, read at once: a bad line means a bad file), -ENOMEM.
 * Free with pd_numamaps_free().
 */
int pd_numamaps_parse(const char *buf, size_t len, struct pd_numamaps **ret_nm);

/*
 * Read and parse "numa_maps" of the process whose /proc directory is
 * PIDFD, opened through PFS (pd_procfs_open_at(): in a captured tree a
 * file that is not regular is never opened; PFS NULL: a plain open)
 * (CONFIG_NUMA kernels only). Returns 0 or -errno: -ENOENT without
 * CONFIG_NUMA or when the process is gone, -EACCES without ptrace read
 * access, -ESRCH when it exited, -PD_ENOTREG.
 */
int pd_numamaps_read(struct pd_procfs *pfs, int pidfd,
		     struct pd_numamaps **ret_nm);

void pd_numamaps_free(struct pd_numamaps *nm);

/* The mappings in file order; NULL past the last. */
size_t pd_numamaps_count(const struct pd_numamaps *nm);
const struct pd_numa_vma *pd_numamaps_get(const struct pd_numamaps *nm,
					  size_t i);

/*
 * The process: 1 + the highest node any mapping names, the bytes on
 * NODE summed over mappings (each with its own page size), and on all
 * nodes.
 */
unsigned pd_numamaps_nr_nodes(const struct pd_numamaps *nm);
uint64_t pd_numamaps_node_bytes(const struct pd_numamaps *nm, unsigned node);
uint64_t pd_numamaps_bytes(const struct pd_numamaps *nm);

#endif
