/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ext4meta: what ext4's internal inodes hold in df's USED, where no walk
 * (du) can see it: the resize inode, the journal's own mapping blocks, the
 * quota inodes, the orphan file. Read-only, from the block device. */
#ifndef PD_EXT4META_H
#define PD_EXT4META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The superblock fields that locate and size the internal inodes. */
struct pd_ext4_geom {
	uint32_t block_size;
	uint64_t blocks;		/* s_blocks_count */
	uint32_t first_data_block;
	uint32_t blocks_per_group;
	uint32_t inodes_per_group;
	uint32_t inodes;		/* s_inodes_count */
	uint32_t inode_size;
	uint32_t first_ino;		/* the first inode a file may use */
	uint32_t desc_size;		/* 32, or s_desc_size with 64bit */
	uint32_t reserved_gdt;		/* s_reserved_gdt_blocks */
	uint32_t compat, incompat, ro_compat;
	uint32_t first_meta_bg;
	uint32_t backup_bgs[2];		/* sparse_super2 */
	uint32_t journal_inum;		/* 0: no internal journal */
	uint32_t quota_inum[3];		/* user, group, project (0: none) */
	uint32_t orphan_file_inum;	/* 0: none */
};

/* Parse the superblock (LEN >= 1024 bytes, as read at offset 1024).
 * Returns 0 or -EINVAL (no ext2/3/4 magic, or a geometry out of range). */
int pd_ext4_geom_parse(const void *buf, size_t len, struct pd_ext4_geom *ret);

/* The number of block groups. */
uint64_t pd_ext4_groups(const struct pd_ext4_geom *g);

/* Whether GROUP holds a copy of the superblock and group descriptors
 * (ext4_bg_has_super(): all groups, sparse_super's 0, 1 and powers of
 * 3, 5, 7, or sparse_super2's two). */
bool pd_ext4_group_has_super(const struct pd_ext4_geom *g, uint64_t group);

/* Byte offset on the device of group GROUP's descriptor (meta_bg aware). */
uint64_t pd_ext4_desc_offset(const struct pd_ext4_geom *g, uint64_t group);

/* The inode table's first block from a group descriptor (G->desc_size
 * bytes at BUF). Returns 0 or -EINVAL (short, or outside the device). */
int pd_ext4_desc_parse(const struct pd_ext4_geom *g, const void *buf,
		       size_t len, uint64_t *ret_inode_table);

/* Byte offset of inode INO inside its group's inode table, and its group. */
uint64_t pd_ext4_inode_group(const struct pd_ext4_geom *g, uint32_t ino);
uint64_t pd_ext4_inode_offset(const struct pd_ext4_geom *g, uint32_t ino);

/* What an inode record says about space. */
struct pd_ext4_inode {
	uint16_t mode;
	uint32_t links;
	uint64_t size;		/* i_size */
	uint64_t alloc;		/* i_blocks in bytes (st_blocks * 512) */
};

/* Parse an inode record (LEN >= 128 bytes). Returns 0 or -EINVAL. */
int pd_ext4_inode_parse(const struct pd_ext4_geom *g, const void *buf,
			size_t len, struct pd_ext4_inode *ret);

/* The inodes an ext4 keeps for itself, by what they are. */
enum pd_ext4_meta_kind {
	PD_EXT4_META_RESIZE,	/* inode 7: its indirect blocks */
	PD_EXT4_META_JOURNAL,	/* the journal inode's mapping blocks */
	PD_EXT4_META_QUOTA,	/* user, group and project quota files */
	PD_EXT4_META_ORPHAN,	/* the orphan file */
	PD_EXT4_META_OTHER,	/* inodes 1, 5, 6, 9, 10 and others < first_ino */
	PD_EXT4_META_NKINDS
};

/* Bytes each kind holds in df's USED (f_blocks - f_bfree): all its blocks
 * less those the kernel counts as overhead (ext4_calculate_overhead():
 * the reserved GDT blocks the resize inode maps in every group with a
 * superblock copy, and the internal journal's j_total_len blocks, which
 * ext4_statfs() takes out of f_blocks). With bigalloc the kernel trusts
 * s_overhead_clusters as mkfs wrote it instead of recounting, and counts
 * in clusters: the split is then in blocks and may be off by the
 * clusters' rounding. */
struct pd_ext4_meta {
	uint64_t bytes[PD_EXT4_META_NKINDS];
	uint64_t total;		/* the sum of bytes[] */
	uint64_t journal_size;	/* the journal's own blocks, outside f_blocks */
	uint64_t overhead_gdt;	/* reserved GDT blocks, outside f_blocks */
};

/* A short name of KIND ("resize inode"), static. */
const char *pd_ext4_meta_kind_name(enum pd_ext4_meta_kind kind);

/*
 * Add inode INO (record IN) to M as the kind of internal inode it is in
 * G; inodes that are not internal (the root, lost+found, files) are
 * ignored. Returns the kind, or -1 when ignored.
 */
int pd_ext4_meta_add(const struct pd_ext4_geom *g, uint32_t ino,
		     const struct pd_ext4_inode *in, struct pd_ext4_meta *m);

/*
 * Read the internal inodes of the ext4 on block device PATH (opened
 * read-only, never written; DEV, when not 0, must be its st_rdev) and sum
 * them as pd_ext4_meta_add() does. ext4 keeps its metadata in the block
 * device's page cache, so this sees the mounted file system's current
 * state. Returns 0 or -errno (-EINVAL: not ext4).
 */
int pd_ext4_meta_read(const char *path, dev_t dev, struct pd_ext4_meta *ret);

/* The same from the block device the caller opened read-only at DEVFD
 * (under its own deadline; it keeps and closes DEVFD). Returns 0,
 * -ENODEV (DEVFD is not block device DEV) or -errno. */
int pd_ext4_meta_read_fd(int devfd, dev_t dev, struct pd_ext4_meta *ret);

#endif
