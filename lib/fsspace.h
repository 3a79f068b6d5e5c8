/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsspace: the df side: statvfs arithmetic, and what each file system type
 * keeps for itself (ext4's reserves, XFS's reserve pool). */
#ifndef PD_FSSPACE_H
#define PD_FSSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The statvfs fields dfdu uses, in their own units. */
struct pd_statvfs {
	uint64_t frsize;	/* f_frsize: the unit of the block counts */
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
};

/* The df side in bytes, as df -B1 prints it. */
struct pd_fsspace {
	uint64_t size;		/* f_blocks */
	uint64_t used;		/* f_blocks - f_bfree */
	uint64_t avail;		/* f_bavail */
	uint64_t reserved;	/* f_bfree - f_bavail: only root may use it */
	uint64_t inodes;	/* f_files */
	uint64_t iused;		/* f_files - f_ffree */
};

/* df's arithmetic on V. */
void pd_fsspace_compute(const struct pd_statvfs *v, struct pd_fsspace *ret);

/*
 * df -i's IUSE% of S, in PD_THRESHOLD_PCT_SCALE units of a percent
 * (10000 = 1%, truncated); false when the file system has no inode count
 * (f_files 0: btrfs, and others that allocate inodes on demand).
 */
bool pd_fsspace_iuse_pct(const struct pd_fsspace *s, int64_t *ret);

/*
 * The "No space left on device" with blocks free: fewer than
 * PD_INODES_SHORT_PCT % of the inodes are free while more than
 * PD_BLOCKS_FREE_PCT % of SIZE is available.
 */
#define PD_INODES_SHORT_PCT 5
#define PD_BLOCKS_FREE_PCT 10
bool pd_fsspace_inodes_short(const struct pd_fsspace *s);

/*
 * statvfs of the directory FD (the caller syncs first where delayed
 * allocation must be on the books). Returns 0 or -errno.
 */
int pd_fsspace_read(int fd, struct pd_statvfs *ret);

/*
 * Find the line of mount point TARGET in the text of a captured tree's
 * "dfdu-statvfs" file (LEN bytes): "TARGET FRSIZE BLOCKS BFREE BAVAIL FILES
 * FFREE", TARGET escaped as in mountinfo (\040 for a blank). Returns 0,
 * -ENOENT (no line for it) or -EINVAL (a malformed line before it, or a
 * block count that times FRSIZE does not fit in 64 bits).
 */
int pd_fsspace_capture_parse(const char *buf, size_t len, const char *target,
			     struct pd_statvfs *ret);

/* What an ext4 superblock says about space (1024 bytes at offset 1024). */
struct pd_ext4_sb {
	uint32_t block_size;
	uint32_t cluster_size;	/* block_size unless bigalloc */
	uint64_t blocks;	/* s_blocks_count */
	uint64_t r_blocks;	/* s_r_blocks_count: the root reserve */
	uint64_t free_blocks;	/* s_free_blocks_count as last written */
	uint64_t overhead;	/* s_overhead_clusters (0: computed at mount) */
};

#define PD_EXT4_SB_OFFSET 1024
#define PD_EXT4_SB_SIZE 1024

/* Parse an ext4 superblock (LEN >= 1024 bytes). Returns 0 or -EINVAL (no
 * ext2/3/4 magic, or sizes out of range). */
int pd_ext4_sb_parse(const void *buf, size_t len, struct pd_ext4_sb *ret);

/* Read the superblock of the block device open at FD (read-only, never
 * written); DEV, when not 0, must be its st_rdev. Returns 0, -ENODEV (not
 * that block device) or -errno. */
int pd_ext4_sb_read(int fd, dev_t dev, struct pd_ext4_sb *ret);

/*
 * ext4_statfs() (fs/ext4/super.c) sets f_bavail = f_bfree - (r_blocks +
 * resv_clusters), or 0 when f_bfree is smaller: the root reserve
 * (s_r_blocks_count) and the kernel's own reserve (s_resv_clusters,
 * /sys/fs/ext4/DEV/reserved_clusters, min(2%, 4096 clusters) by default)
 * are both counted in f_bfree, not in "used". Split V's bfree - bavail
 * into the two, in bytes. Returns true when they add up exactly to it
 * (false when bavail was clipped to 0 or the values disagree).
 */
struct pd_ext4_reserve {
	uint64_t root;		/* r_blocks * block size */
	uint64_t kernel;	/* resv_clusters * cluster size */
};
bool pd_ext4_reserve_split(const struct pd_statvfs *v,
			   const struct pd_ext4_sb *sb, uint64_t resv_clusters,
			   struct pd_ext4_reserve *ret);

/* Parse sysfs's "reserved_clusters" text ("4096\n"). 0 or -EINVAL. */
int pd_ext4_resv_parse(const char *buf, size_t len, uint64_t *ret);

/*
 * XFS's reserve pool (XFS_IOC_GET_RESBLKS on the directory FD, needs
 * CAP_SYS_ADMIN): blocks taken out of the free count at mount, so df
 * shows them as used. *ret_bytes is resblks_avail * BLOCK_SIZE.
 * Returns 0 or -errno.
 */
int pd_xfs_resblks_read(int fd, uint64_t block_size, uint64_t *ret_bytes);

/* Does the XFS open at FD share extents (the reflink feature)?
 * XFS_IOC_FSGEOMETRY_V1, no privilege. Returns 0 or -errno. */
int pd_xfs_reflink_read(int fd, bool *ret);

#endif
