/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keyed: flat "KEY VALUE" files (memory.stat, vmstat, ...): parser, reader. */
#ifndef PD_KEYED_H
#define PD_KEYED_H

#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/*
 * A table of the lines "KEY VALUE" of one file, in file order. The kernel
 * writes many files this way: memory.stat (cgroup v1 and v2),
 * memory.events, memory.events.local, memory.swap.events, cgroup.stat,
 * /proc/vmstat, nodeN/vmstat and nodeN/numastat. What a line means (bytes,
 * pages, a count) is the file's business, not this table's.
 */
struct pd_keyed;

/*
 * Parse BUF (LEN bytes): each line is KEY (printable ASCII, no blank),
 * one or more blanks (space or tab), VALUE (an unsigned decimal that fits
 * 64 bits), optional trailing blanks. Any other line is skipped, so a new
 * kernel's new line shape cannot break us: memory.numa_stat's
 * "anon N0=4096 N1=0", a negative or overflowing value, a header. The
 * first of two equal keys wins. An empty text gives an empty table.
 * Returns 0, -EINVAL when the text has lines but none of this shape,
 * -ENOMEM. Free with pd_keyed_free().
 */
int pd_keyed_parse(const char *buf, size_t len, struct pd_keyed **ret_k);

/*
 * Read and parse NAME under DIRFD (a cgroup directory: "memory.stat"; a
 * sysfs node directory: "numastat"). Returns 0 or -errno (-EFBIG past
 * 1 MiB).
 */
int pd_keyed_read_at(int dirfd, const char *name, struct pd_keyed **ret_k);

/* As pd_keyed_read_at() on NAME under the proc root PFS ("vmstat"). */
int pd_keyed_read(struct pd_procfs *pfs, const char *name,
		  struct pd_keyed **ret_k);

void pd_keyed_free(struct pd_keyed *k);

/*
 * The value of KEY (case-sensitive, as printed). RET_VALUE may be NULL (a
 * presence test). Returns 0, or -ENOENT when the file has no such line:
 * an absent field is absent, not zero.
 */
int pd_keyed_get(const struct pd_keyed *k, const char *key,
		 uint64_t *ret_value);

/* The lines in file order: their number, and line I's key and value. */
size_t pd_keyed_count(const struct pd_keyed *k);
const char *pd_keyed_key(const struct pd_keyed *k, size_t i);
uint64_t pd_keyed_value(const struct pd_keyed *k, size_t i);

#endif
