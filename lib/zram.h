/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zram: the zram block devices of sysfs: mm_stat and disksize. */
#ifndef PD_ZRAM_H
#define PD_ZRAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * /sys/block/zram<N>/mm_stat, drivers/block/zram/zram_drv.c
 * mm_stat_show(): one line of numbers, more of them on later kernels:
 * 7 (mm_stat came in 4.1), 8 (huge_pages, a later 4.x), 9
 * (huge_pages_since, 5.15+). A field at or past nr_fields is absent
 * (and 0 here). Sizes are bytes; same_pages, pages_compacted and
 * huge_pages* count pages.
 */
struct pd_zram_mm_stat {
	uint64_t orig_data_size;	/* data stored, uncompressed */
	uint64_t compr_data_size;	/* the same, compressed */
	/* RAM the zsmalloc pool holds (its pages, fragmentation and
	 * metadata included): what the device costs. These pages are in
	 * no meminfo line; with zswap they make vmstat's nr_zspages. */
	uint64_t mem_used_total;
	uint64_t mem_limit;		/* 0: no limit */
	uint64_t mem_used_max;
	uint64_t same_pages;		/* pages of one repeated word: no RAM */
	uint64_t pages_compacted;
	uint64_t huge_pages;		/* pages stored uncompressed */
	uint64_t huge_pages_since;
	unsigned nr_fields;
};

/*
 * Parse mm_stat text: blank-separated unsigned decimals, at least 7; more
 * than 9 are read as 9 and the rest skipped (a later kernel). Returns 0
 * or -EINVAL.
 */
int pd_zram_mm_stat_parse(const char *buf, size_t len,
			  struct pd_zram_mm_stat *ret_st);

/* One device. */
struct pd_zram {
	unsigned id;			/* N of zram<N> */
	uint64_t disksize;		/* bytes; 0: not set up */
	/*
	 * From mm_stat, or on 3.10 to 4.10 from the one-value files
	 * orig_data_size, compr_data_size and mem_used_total (then
	 * nr_fields is 3; those kernels had no mm_stat).
	 */
	struct pd_zram_mm_stat mm;
};

/*
 * Read block/zram<ID> under SYSFD (a directory fd of the sysfs root).
 * Returns 0, -ENOENT (no such device, or it went away), -EINVAL, -errno.
 */
int pd_zram_read(int sysfd, unsigned id, struct pd_zram *ret_z);

/*
 * Read every zram<N> of block/ under SYSFD, ascending by N: *ret_devs is
 * malloc'ed (the caller frees it; NULL when *ret_n is 0). A device that
 * goes away while we read is left out. Returns 0 (no zram loaded: *ret_n
 * is 0) or -errno.
 */
int pd_zram_read_all(int sysfd, struct pd_zram **ret_devs, size_t *ret_n);

#endif
