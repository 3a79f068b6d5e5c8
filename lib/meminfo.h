/* SPDX-License-Identifier: GPL-2.0-or-later */
/* meminfo: /proc/meminfo as a table of key -> value, parser and reader. */
#ifndef PD_MEMINFO_H
#define PD_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

struct pd_meminfo;

/*
 * Parse the text of /proc/meminfo: lines "Key:   <decimal>[ kB]", the key
 * in printable ASCII without blanks. Values
 * with "kB" are stored in bytes; the others (HugePages_Total and the
 * like) as the counts they are. Lines of another shape are skipped, so a
 * new kernel's new line cannot break us; the first of two equal keys wins.
 * Returns 0, -EINVAL when no line could be parsed, -ENOMEM. Free with
 * pd_meminfo_free().
 */
int pd_meminfo_parse(const char *buf, size_t len, struct pd_meminfo **ret_mi);

/* Read and parse "meminfo" of the proc root PFS. 0 or -errno. */
int pd_meminfo_read(struct pd_procfs *pfs, struct pd_meminfo **ret_mi);

void pd_meminfo_free(struct pd_meminfo *mi);

/*
 * The value of KEY (case-sensitive, as the kernel prints it): bytes for
 * kB lines, a plain count otherwise. RET_VALUE may be NULL (a presence
 * test). Returns 0 or -ENOENT.
 */
int pd_meminfo_get(const struct pd_meminfo *mi, const char *key,
		   uint64_t *ret_value);

/* Does KEY's line carry the "kB" unit (a size rather than a count)? */
bool pd_meminfo_is_size(const struct pd_meminfo *mi, const char *key);

/* The entries in file order: their number, and entry I's key and value. */
size_t pd_meminfo_count(const struct pd_meminfo *mi);
const char *pd_meminfo_key(const struct pd_meminfo *mi, size_t i);
uint64_t pd_meminfo_value(const struct pd_meminfo *mi, size_t i);

/*
 * The Mem: line of free(1) (procps-ng 4), in bytes: total MemTotal; free
 * MemFree; shared Shmem; buff_cache Buffers + Cached + SReclaimable (the
 * page cache holds Shmem: shared is inside buff/cache, and that part cannot
 * be dropped, only swapped); available MemAvailable, and used MemTotal -
 * MemAvailable (MemTotal - MemFree where that would be negative, or when
 * MemAvailable is over MemTotal, as in a container: free(1) does the
 * same). Kernels before 3.14 have no MemAvailable: HAS_AVAILABLE is false
 * and used and available are 0 (free(1) estimates them from zoneinfo).
 * A line missing counts 0, but MemTotal must be there. Returns 0, or
 * -ENOENT without MemTotal.
 */
struct pd_meminfo_free_line {
	uint64_t total, used, free, shared, buff_cache, available;
	bool has_available;
};

int pd_meminfo_as_free(const struct pd_meminfo *mi,
		       struct pd_meminfo_free_line *ret_line);

#endif
