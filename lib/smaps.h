/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smaps: smaps and smaps_rollup: a pure parser, an iterator, a thin reader. */
#ifndef PD_SMAPS_H
#define PD_SMAPS_H

#include <stddef.h>
#include <stdint.h>

#include "maps.h"
#include "procfs.h"

/*
 * The byte counts of one mapping (smaps) or of a whole process
 * (smaps_rollup), each field named as its line. Pss_Anon, Pss_File and
 * Pss_Shmem appear only in smaps_rollup (5.8+); Size only in smaps.
 */
struct pd_smaps {
	uint64_t size;
	uint64_t rss, pss, pss_dirty, pss_anon, pss_file, pss_shmem;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, ksm, lazyfree;
	uint64_t anon_huge, shmem_pmd, file_pmd;
	uint64_t shared_hugetlb, private_hugetlb;
	uint64_t swap, swap_pss, locked;
};

/* USS: what the process alone maps (Private_Clean + Private_Dirty). */
uint64_t pd_smaps_uss(const struct pd_smaps *sm);
/* Shared_Clean + Shared_Dirty. */
uint64_t pd_smaps_shared(const struct pd_smaps *sm);
/* Add every field of SRC to DST. */
void pd_smaps_add(struct pd_smaps *dst, const struct pd_smaps *src);

/*
 * Parse the field lines ("Rss:   1636 kB") of BUF (LEN bytes) and sum
 * each field over them: one rollup, one mapping's block, or any run of
 * blocks. The address header line, VmFlags, THPeligible, ProtectionKey
 * and fields we do not know are skipped; a missing field is 0. Returns 0,
 * -ENODATA when no field line was found, -EINVAL for a known field whose
 * value is not "<decimal> kB" or overflows.
 */
int pd_smaps_parse(const char *buf, size_t len, struct pd_smaps *ret_sm);

/*
 * Iterate over the text of a full /proc/PID/smaps: *cursor starts at the
 * text and advances; END is one past its last byte. Each item is one
 * mapping: its header line (ret_map->path points into the text) and the
 * sum of its field lines. Text before the first header is skipped.
 * Returns 0 (an item), 1 (end) or -EINVAL (a malformed field line; the
 * cursor is past that mapping, so the caller may go on).
 */
int pd_smaps_next(const char **cursor, const char *end,
		  struct pd_map *ret_map, struct pd_smaps *ret_sm);

/* Room for a rollup: about 1 KiB on 6.x kernels. */
#define PD_SMAPS_ROLLUP_MAX 8192

/*
 * Read smaps_rollup (4.14+) of the process whose directory of PFS is PIDFD
 * (opened by pd_procfs_open_at(); PFS NULL: as it is): one openat(), one
 * read() into a buffer on the stack, close.
 * Returns 0, -EFBIG if the text fills the buffer, -ENODATA if it holds no
 * field, -EINVAL if malformed, or -errno of the open or read: -ESRCH also
 * when the process has no memory map (a zombie, a kernel thread, one that
 * is exiting), -EACCES/-EPERM without ptrace read access.
 */
int pd_smaps_rollup_read(struct pd_procfs *pfs, int pidfd,
			 struct pd_smaps *ret_sm);

#endif
