/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xfsspace: XFS's df "used" to the last block: the AG headers and btree
 * blocks, the inode chunks, the per-AG reservations (xfs_ag_resv.c), the
 * set-aside, the reserve pool and the internal log, from the superblock
 * and the AG headers read read-only from the block device. */
#ifndef PD_XFSSPACE_H
#define PD_XFSSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The superblock fields that size the AGs and their btrees. */
struct pd_xfs_sb {
	uint32_t blocksize, sectsize, inodesize, inopblock;
	uint32_t agblocks, agcount, agblklog, logblocks;
	uint64_t dblocks, logstart;	/* logstart 0: an external log */
	bool crc;			/* a v5 superblock */
	bool finobt, rmapbt, reflink, inobtcount;
};

/* Parse the primary superblock (sector 0, LEN >= 256 bytes). Returns 0 or
 * -EINVAL (no XFSB magic, or a geometry out of range). */
int pd_xfs_sb_parse(const void *buf, size_t len, struct pd_xfs_sb *ret);

/* One AG's free space header (sector 1) and inode header (sector 2). */
struct pd_xfs_ag {
	uint32_t length;		/* agf_length */
	uint32_t freeblks, flcount, btreeblks;
	uint32_t rmap_blocks, refcount_blocks;
	uint32_t icount;		/* agi_count: inodes allocated */
	uint32_t iblocks, fblocks;	/* inobt, finobt blocks (inobtcount) */
};

/* Parse sector 1 (AGF) and sector 2 (AGI) of AG AGNO, each LEN >= 344
 * bytes, into *RET. Returns 0 or -EINVAL (bad magic, wrong sequence
 * number, or counts larger than the AG). */
int pd_xfs_ag_parse(const struct pd_xfs_sb *sb, uint32_t agno,
		    const void *agf, size_t agf_len, const void *agi,
		    size_t agi_len, struct pd_xfs_ag *ret);

/* An AG's reservations, in blocks, as xfs_ag_resv_init() asks for them
 * at mount: METADATA (refcountbt, finobt) and RMAPBT. */
struct pd_xfs_ag_resv {
	uint64_t meta_ask, meta_used;
	uint64_t rmap_ask, rmap_used;
	uint64_t hidden;	/* taken out of fdblocks: meta ask - used
				 * + the whole rmapbt ask */
};
void pd_xfs_ag_resv(const struct pd_xfs_sb *sb, uint32_t agno,
		    const struct pd_xfs_ag *ag, struct pd_xfs_ag_resv *ret);

/*
 * What makes up df's USED on XFS, in bytes. xfs_fs_statfs() gives
 * f_blocks = dblocks - the internal log, f_bfree = the in-core fdblocks
 * less the set-aside and the free-space btree blocks; the in-core fdblocks
 * is the AGFs' free blocks less the per-AG reservations and the reserve
 * pool. So USED = headers + btrees + inodes + files (what du sees) +
 * ag_resv + set_aside + allocbt + resblks (+ delayed allocations, 0 after
 * syncfs).
 */
struct pd_xfs_space {
	uint64_t log;		/* internal log: outside f_blocks, not used */
	uint64_t headers;	/* AG header sectors (sb, AGF, AGI, AGFL) */
	uint64_t btrees;	/* bno/cnt roots, inobt, finobt, refcountbt,
				 * rmapbt root */
	uint64_t inodes;	/* inode chunks: allocated inodes * size */
	uint64_t ag_resv_meta;	/* per-AG METADATA reservation not yet used */
	uint64_t ag_resv_rmap;	/* per-AG RMAPBT reservation, whole */
	uint64_t set_aside;	/* m_alloc_set_aside: 8 blocks per AG */
	uint64_t allocbt;	/* free-space btree blocks beyond the roots */
	uint64_t resblks;	/* the reserve pool (XFS_IOC_GET_RESBLKS) */
	uint64_t free;		/* the AGFs' free + AGFL + btree blocks */
	uint64_t total;		/* the parts in USED that du never sees */
	bool exact;		/* false: no inobtcount, so the inobt and
				 * finobt sizes (and the finobt
				 * reservation's use) are not known */
};

/* Sum the parts over the NAGS AGs of SB, with the reserve pool's
 * available blocks RESBLKS (in blocks). */
void pd_xfs_space_compute(const struct pd_xfs_sb *sb,
			  const struct pd_xfs_ag *ags, size_t nags,
			  uint64_t resblks, struct pd_xfs_space *ret);

/*
 * Read the superblock and every AG header of the XFS on block device PATH
 * (opened read-only, never written; DEV, when not 0, must be its st_rdev)
 * and the reserve pool through the mounted directory FD, and compute
 * *RET. Needs root (the device, and XFS_IOC_GET_RESBLKS: -EPERM). The AG
 * headers are read from the device: XFS writes them back from its own
 * buffer cache when the log is checkpointed, so on a file system that
 * changes they lag the live counters by up to a log's worth of changes.
 * Returns 0 or -errno (-EINVAL: not XFS).
 */
int pd_xfs_space_read(int fd, const char *path, dev_t dev,
		      struct pd_xfs_space *ret);

/* The same from the block device the caller opened read-only at DEVFD
 * (under its own deadline; it keeps and closes DEVFD). Returns 0,
 * -ENODEV (DEVFD is not block device DEV) or -errno. */
int pd_xfs_space_read_fd(int fd, int devfd, dev_t dev,
			 struct pd_xfs_space *ret);

#endif
