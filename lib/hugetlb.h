/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hugetlb: the hugetlb pools of sysfs, per page size, machine or node. */
#ifndef PD_HUGETLB_H
#define PD_HUGETLB_H

#include <stddef.h>
#include <stdint.h>

enum {
	PD_HUGETLB_HAS_SURPLUS = 1u << 0,
	PD_HUGETLB_HAS_RESV = 1u << 1,		/* machine only */
	PD_HUGETLB_HAS_OVERCOMMIT = 1u << 2,	/* machine only */
};

/*
 * One pool: hugepages-<size>kB/ (mm/hugetlb_sysfs.c or mm/hugetlb.c,
 * "%lu\n" each). Counts are huge pages; a pool's RAM is nr * page_size,
 * all of it taken from MemTotal whether used or not (free pages stay in
 * the pool); of the free ones, resv are promised to mappings already.
 * meminfo's HugePages_* lines show only the default size; its Hugetlb
 * line (4.16+) is the sum of nr * page_size over every size.
 */
struct pd_hugetlb_pool {
	uint64_t page_size;		/* bytes */
	uint64_t nr;			/* nr_hugepages: the pool */
	uint64_t free;			/* free_hugepages */
	uint64_t surplus;		/* surplus_hugepages (overcommitted) */
	uint64_t resv;			/* resv_hugepages */
	uint64_t overcommit;		/* nr_overcommit_hugepages: the limit */
	unsigned has;			/* PD_HUGETLB_HAS_*: which are there */
};

/*
 * Parse a pool directory's name, "hugepages-2048kB", into its page size
 * in bytes. Returns 0 or -EINVAL.
 */
int pd_hugetlb_dirname_parse(const char *name, uint64_t *ret_page_size);

/*
 * Read the pools under SYSFD (a directory fd of the sysfs root): with
 * NODE < 0 the machine's, kernel/mm/hugepages/; else node NODE's,
 * devices/system/node/node<NODE>/hugepages/ (no resv, no overcommit).
 * *ret_pools is malloc'ed, ascending by page size (the caller frees it;
 * NULL when *ret_n is 0). Returns 0 (no pool directory, a kernel without
 * hugetlbfs: *ret_n is 0), -ENOENT when node NODE does not exist, or
 * -errno (nr_hugepages or free_hugepages unreadable).
 */
int pd_hugetlb_read(int sysfd, int node, struct pd_hugetlb_pool **ret_pools,
		    size_t *ret_n);

#endif
