/* SPDX-License-Identifier: GPL-2.0-or-later */
/* btrfs: where a btrfs's df "used" goes and why du disagrees, measured
 * read-only with the ioctls btrfs-progs uses: space info (allocated and
 * used per type and RAID profile, the global reserve), devices, chunks,
 * tree search over a subvolume's file extents and the extent tree
 * (snapshot-only data, reflinks, compression, inline data), qgroups.
 * Pure parsers over the ioctl result buffers, thin readers on an fd. */
#ifndef PD_BTRFS_H
#define PD_BTRFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- pure parsers ------------------------------------------------------ */

/* One item of a tree search result: its key and its bytes. */
struct pd_btrfs_item {
	uint64_t objectid, offset, transid;
	uint32_t type, len;
	const unsigned char *data;	/* LEN bytes inside the buffer */
};

/*
 * The item at *POS of a BTRFS_IOC_TREE_SEARCH(_V2) result buffer BUF of
 * LEN bytes (a btrfs_ioctl_search_header, then its item); advances *POS.
 * Returns 0 (an item), 1 (*POS == LEN: the end) or -EINVAL (a header or
 * an item that does not fit).
 */
int pd_btrfs_search_next(const void *buf, size_t len, size_t *pos,
			 struct pd_btrfs_item *ret);

/* Copies of each byte a RAID profile stores (btrfs_raid_array's ncopies:
 * single, RAID0, RAID5, RAID6 1; DUP, RAID1, RAID10 2; RAID1C3 3;
 * RAID1C4 4). FLAGS: a block group type with its profile bits. */
unsigned pd_btrfs_ncopies(uint64_t flags);
/* The profile's name: "single", "DUP", "RAID1", ... (static). */
const char *pd_btrfs_profile_name(uint64_t flags);

enum pd_btrfs_kind {
	PD_BTRFS_DATA,
	PD_BTRFS_METADATA,
	PD_BTRFS_SYSTEM,
	PD_BTRFS_NKINDS
};

/* Per kind, from BTRFS_IOC_SPACE_INFO: logical bytes (as the file system
 * addresses them) allocated to chunks and used in them, and the same
 * times the profile's copies (what df's arithmetic uses). */
struct pd_btrfs_space {
	uint64_t total[PD_BTRFS_NKINDS];	/* chunks allocated */
	uint64_t used[PD_BTRFS_NKINDS];
	uint64_t disk_used[PD_BTRFS_NKINDS];	/* used * ncopies */
	uint64_t profile[PD_BTRFS_NKINDS];	/* profile bits (the last) */
	unsigned nprofiles[PD_BTRFS_NKINDS];	/* > 1: a conversion */
	uint64_t global_rsv;			/* its size */
	bool mixed;				/* data+metadata block groups */
};

/* Parse a btrfs_ioctl_space_args buffer of LEN bytes. Returns 0 or
 * -EINVAL (the count does not fit in LEN). */
int pd_btrfs_space_parse(const void *buf, size_t len,
			 struct pd_btrfs_space *ret);

/* btrfs_statfs()'s used bytes: f_blocks - f_bfree = (the sum of disk_used
 * / the data profile's copies) in BSIZE blocks + the global reserve in
 * BSIZE blocks. */
uint64_t pd_btrfs_df_used(const struct pd_btrfs_space *s, uint64_t bsize);

/* A chunk item (the chunk tree, key type CHUNK_ITEM): its logical length
 * and what it takes on the devices, parity and copies included. */
struct pd_btrfs_chunk {
	uint64_t type;		/* block group type and profile */
	uint64_t length;	/* logical */
	uint64_t raw;		/* bytes on all its devices */
	uint16_t num_stripes;
};
int pd_btrfs_chunk_parse(const struct pd_btrfs_item *it,
			 struct pd_btrfs_chunk *ret);

/* A file extent item (key type EXTENT_DATA) of a subvolume's tree. */
struct pd_btrfs_file_extent {
	uint64_t ino, file_offset;	/* the key */
	uint8_t type;			/* 0 inline, 1 regular, 2 prealloc */
	uint8_t compression;
	uint64_t ram_bytes;		/* inline: its data's size */
	uint64_t disk_bytenr;		/* 0: a hole */
	uint64_t disk_num_bytes;	/* on disk (compressed) */
	uint64_t offset;		/* into the extent, logical */
	uint64_t num_bytes;		/* logical bytes referenced */
};
int pd_btrfs_file_extent_parse(const struct pd_btrfs_item *it,
			       struct pd_btrfs_file_extent *ret);

/* An inode item: what stat() makes of it. */
struct pd_btrfs_inode {
	uint64_t ino;
	uint64_t nbytes;	/* st_blocks * 512 before rounding */
	uint32_t nlink, mode;
};
int pd_btrfs_inode_parse(const struct pd_btrfs_item *it,
			 struct pd_btrfs_inode *ret);

/* An extent item of the extent tree (key type EXTENT_ITEM): *RET_DATA
 * tells a data extent (bytenr = objectid, length = offset). */
int pd_btrfs_extent_item_parse(const struct pd_btrfs_item *it, bool *ret_data);

/* A qgroup info item (the quota tree, key type QGROUP_INFO). */
struct pd_btrfs_qgroup {
	uint64_t id;		/* level << 48 | subvolume id */
	uint64_t rfer, rfer_cmpr, excl, excl_cmpr;
};
int pd_btrfs_qgroup_parse(const struct pd_btrfs_item *it,
			  struct pd_btrfs_qgroup *ret);

/* A subvolume or snapshot, from the root tree: its ROOT_ITEM and its
 * ROOT_BACKREF (the parent it is linked in, under which name). */
struct pd_btrfs_subvol {
	uint64_t id, parent;	/* parent 0: not linked (being deleted) */
	uint64_t generation;
	bool readonly;
	bool snapshot;		/* it has a parent uuid */
	bool deleted;		/* no references left: the cleaner's */
	char name[256];
};
/* Take a ROOT_ITEM or ROOT_BACKREF item of subvolume IT->objectid into
 * *SV (other items: -EINVAL). Returns 0 or -EINVAL. */
int pd_btrfs_subvol_parse(const struct pd_btrfs_item *it,
			  struct pd_btrfs_subvol *sv);

/* --- one subvolume's files against its extents ------------------------- */

/*
 * What the files of one subvolume tree reference, fed its INODE_ITEM and
 * EXTENT_DATA items in key order (the order a tree search returns them).
 * Opaque; pd_btrfs_refs_free() frees it.
 */
struct pd_btrfs_refs;

int pd_btrfs_refs_new(uint32_t sectorsize, struct pd_btrfs_refs **ret);
void pd_btrfs_refs_free(struct pd_btrfs_refs *r);
/* Take IT if it is an inode or file extent item (others are ignored).
 * Returns 0, -EINVAL (a malformed item) or -ENOMEM/-E2BIG (more than
 * PD_BTRFS_MAX_REFS references). */
#define PD_BTRFS_MAX_REFS (1u << 24)
int pd_btrfs_refs_add(struct pd_btrfs_refs *r, const struct pd_btrfs_item *it);

/*
 * The tree's numbers, in bytes. du of the subvolume counts, per inode,
 * nbytes rounded up to the sector: du = refd + inline_du + dirs. And
 * refd - disk = shared - unreferenced + compressed, so that
 * disk - du = unreferenced - shared - compressed - inline_du - dirs.
 */
struct pd_btrfs_usage {
	uint64_t du;		/* sum of round_up(nbytes) over inodes */
	uint64_t refd;		/* logical bytes regular and prealloc file
				 * extents reference (each reference) */
	uint64_t disk;		/* disk bytes of the distinct extents */
	uint64_t ram;		/* their logical (uncompressed) bytes */
	uint64_t covered;	/* their bytes some reference covers */
	uint64_t shared;	/* refd - covered: counted more than once
				 * (reflinks, dedup, clones) */
	uint64_t unreferenced;	/* ram - covered: parts no file refers to
				 * (overwritten middles, "bookends") */
	uint64_t compressed;	/* ram - disk: saved by compression */
	uint64_t inline_du;	/* what du counts of files whose data is
				 * inline in the metadata */
	uint64_t dirs;		/* what du counts of directories */
	uint64_t orphans;	/* du of inodes with no link (deleted, open) */
	size_t extents, files;
};
/* Sort and sum: call once, after the last pd_btrfs_refs_add(). */
int pd_btrfs_refs_finish(struct pd_btrfs_refs *r, struct pd_btrfs_usage *ret);
/* After pd_btrfs_refs_finish(): does a file of the tree reference the
 * extent at BYTENR? */
bool pd_btrfs_refs_has(const struct pd_btrfs_refs *r, uint64_t bytenr);

/* --- thin readers on an fd of the mounted file system -------------------- */

/* BTRFS_IOC_SPACE_INFO. Returns 0 or -errno. */
int pd_btrfs_space_read(int fd, struct pd_btrfs_space *ret);

/* One device (BTRFS_IOC_FS_INFO + BTRFS_IOC_DEV_INFO). */
struct pd_btrfs_dev {
	uint64_t devid;
	uint64_t total;		/* its size for btrfs */
	uint64_t allocated;	/* given to chunks */
	uint64_t unallocated;	/* total - allocated */
	char path[1024];
};
/* The devices in *RET (free() it) and their count. 0 or -errno. */
int pd_btrfs_devs_read(int fd, struct pd_btrfs_dev **ret, size_t *ret_n);

/* The chunk tree summed per kind: raw bytes on the devices per kind
 * (RAID5/6 parity included), and the chunks' logical length. Needs
 * CAP_SYS_ADMIN (-EPERM). */
struct pd_btrfs_chunks {
	uint64_t length[PD_BTRFS_NKINDS];
	uint64_t raw[PD_BTRFS_NKINDS];
};
int pd_btrfs_chunks_read(int fd, struct pd_btrfs_chunks *ret);

/* The subvolume id of the directory FD (BTRFS_IOC_INO_LOOKUP of the
 * first inode with tree 0: allowed without privilege). */
int pd_btrfs_subvol_read(int fd, uint64_t *ret_id);

/* Feed tree TREEID's inode and file extent items to R (tree search,
 * CAP_SYS_ADMIN: -EPERM), then pd_btrfs_refs_finish() it into *RET. */
int pd_btrfs_refs_read(int fd, uint64_t treeid, struct pd_btrfs_refs *r,
		       struct pd_btrfs_usage *ret);

/*
 * The extent tree's data extents: *RET_TOTAL their bytes (df's data
 * "used"), *RET_OTHER those no file of R's tree references (held by
 * snapshots and other subvolumes only, or not freed yet). CAP_SYS_ADMIN.
 */
int pd_btrfs_other_read(int fd, const struct pd_btrfs_refs *r,
			uint64_t *ret_total, uint64_t *ret_other);

/* The subvolumes and snapshots (not the top level, 5) in *RET (free()
 * it), in id order. CAP_SYS_ADMIN (-EPERM). */
int pd_btrfs_subvols_read(int fd, struct pd_btrfs_subvol **ret,
			  size_t *ret_n);

/* The qgroups in *RET (free() it): -ENOENT when quotas are off. */
int pd_btrfs_qgroups_read(int fd, struct pd_btrfs_qgroup **ret,
			  size_t *ret_n);

/* --- the gap ----------------------------------------------------------- */

/*
 * df's used less du of a subvolume, cause by cause, in bytes; the causes
 * that make du larger than df are negative. used - du = metadata + system
 * + global_rsv + other + unreferenced - shared - compressed - inline_du -
 * dirs + rounding, exactly (rounding: df's two roundings to blocks).
 */
struct pd_btrfs_gap {
	uint64_t used;		/* btrfs_statfs()'s, as df -B1 prints it */
	uint64_t du;		/* du -sxB1 of the subvolume's root */
	uint64_t metadata;	/* metadata used * its copies / data's */
	uint64_t system;	/* the same for system chunks */
	uint64_t global_rsv;	/* counted as used by statfs */
	uint64_t other;		/* data only other trees reference */
	uint64_t unreferenced;
	uint64_t shared;	/* subtract */
	uint64_t compressed;	/* subtract */
	uint64_t inline_du;	/* subtract */
	uint64_t dirs;		/* subtract */
	int64_t rounding;
};
void pd_btrfs_gap_compute(const struct pd_btrfs_space *s,
			  const struct pd_btrfs_usage *u, uint64_t other,
			  uint64_t bsize, struct pd_btrfs_gap *ret);

#endif
