/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fiemap: what a set of files shares, compresses and keeps inline, from
 * FS_IOC_FIEMAP (no privilege: any file the caller can open), as
 * du --reflink style tools see it. Extents flagged FIEMAP_EXTENT_SHARED
 * (btrfs, XFS reflink) whose physical ranges repeat within the set are
 * what du counts more than once. */
#ifndef PD_FIEMAP_H
#define PD_FIEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The accumulator over files; opaque, pd_fiemap_free() frees it. */
struct pd_fiemap;

int pd_fiemap_new(struct pd_fiemap **ret);
void pd_fiemap_free(struct pd_fiemap *f);

/*
 * Take one FS_IOC_FIEMAP result (a struct fiemap and its
 * fm_mapped_extents extents, LEN bytes at BUF) into F. *RET_NEXT is the
 * logical offset to ask from next, *RET_LAST true once the extent flagged
 * FIEMAP_EXTENT_LAST (or none) was seen. Returns 0, -EINVAL (the extents
 * do not fit in LEN) or -ENOMEM/-E2BIG (more than PD_FIEMAP_MAX_SHARED
 * shared extents).
 */
#define PD_FIEMAP_MAX_SHARED (1u << 24)
int pd_fiemap_parse(struct pd_fiemap *f, const void *buf, size_t len,
		    uint64_t *ret_next, bool *ret_last);

/* Map the whole of the open regular file FD into F (without
 * FIEMAP_FLAG_SYNC: nothing is written back). Returns 0 or -errno
 * (-EOPNOTSUPP: the file system has no FIEMAP). */
int pd_fiemap_add_fd(struct pd_fiemap *f, int fd);

/* The sums, in logical bytes (what du and st_blocks count). */
struct pd_fiemap_sum {
	uint64_t mapped;	/* all extents' lengths */
	uint64_t shared;	/* flagged SHARED */
	uint64_t shared_once;	/* the union of those extents' physical
				 * ranges: each shared byte once */
	uint64_t excess;	/* shared - shared_once: counted by du more
				 * than once within the set (reflinks,
				 * dedup); sharing with files outside the
				 * set (snapshots) is not excess */
	uint64_t encoded;	/* flagged ENCODED (compressed): du counts
				 * their logical size */
	uint64_t inline_data;	/* flagged DATA_INLINE */
	uint64_t unwritten;	/* flagged UNWRITTEN (preallocated) */
	uint64_t delalloc;	/* flagged DELALLOC: no physical place yet */
	size_t files, extents;
};

/* Move what FROM took into INTO (the walker's threads map files into one
 * accumulator each): FROM is left empty. Returns 0, -ENOMEM or -E2BIG
 * (more than PD_FIEMAP_MAX_SHARED shared extents in all). */
int pd_fiemap_merge(struct pd_fiemap *into, struct pd_fiemap *from);

/* The running sums so far (shared_once and excess not yet computed). */
void pd_fiemap_peek(const struct pd_fiemap *f, struct pd_fiemap_sum *ret);

/* Sort and sum; call once, after the last file. Returns 0. */
int pd_fiemap_finish(struct pd_fiemap *f, struct pd_fiemap_sum *ret);

#endif
