/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfparts: dfdu's FSSPECIFIC, the space a file system type keeps for
 * itself that du never sees (or that du counts and df does not), as named
 * parts with their evidence, built from what the readers (ext4meta,
 * xfsspace, btrfs, the walk's FIEMAP) measured; and interval arithmetic
 * for the parts that are unknown. Pure functions: no I/O. */
#ifndef PD_DFPARTS_H
#define PD_DFPARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "btrfs.h"
#include "ext4meta.h"
#include "fsspace.h"
#include "walk.h"
#include "xfsspace.h"

/* Why a part is unknown (0: it is known). */
enum pd_dfwhy {
	PD_DF_KNOWN = 0,
	PD_DF_NOT_WALKED,	/* --no-walk, a captured tree, a remote fs */
	PD_DF_NEEDS_ROOT,	/* a privilege only root has */
	PD_DF_FAILED,		/* an error (err says which) */
	PD_DF_TIMED_OUT,	/* the file system did not answer in time */
	PD_DF_UNSIZED,		/* deleted: a file of unknown size */
	PD_DF_UNSUPPORTED,	/* no way to measure it on this type */
	PD_DF_UNREACHABLE,	/* every mount of it is over-mounted */
	PD_DF_PARTIAL,		/* deleted: processes that could not be
				 * read, although we are root */
	PD_DF_SUBTREE,		/* the walk did not start where the measure
				 * needs (a btrfs subvolume's root) */
};

/* What is known of a figure that is not exact: an end that is not known
 * is open (no bound that way). */
struct pd_dfbound {
	bool has_min, has_max;
	int64_t min, max;
};

/* The bound of an exact value V. */
struct pd_dfbound pd_dfbound_exact(int64_t v);
/* A - B, each end saturated; an end is open when the one it needs is. */
struct pd_dfbound pd_dfbound_sub(struct pd_dfbound a, struct pd_dfbound b);
/* A + B, likewise. */
struct pd_dfbound pd_dfbound_add(struct pd_dfbound a, struct pd_dfbound b);

/*
 * A part of FSSPECIFIC: space the file system counts as used and du never
 * sees (ext4's internal inodes, XFS's AG metadata and reservations,
 * btrfs's metadata and snapshot-only data), or that du counts and df does
 * not (reflinks, compression: negative). With info, a piece of evidence
 * that is no part of the gap (outside SIZE, or a description).
 */
struct pd_dfpart {
	const char *what;	/* "resize inode": static */
	char *note;		/* owned, or NULL */
	char *path;		/* a device, a subvolume: owned, or NULL */
	bool info;
	enum pd_dfwhy why;	/* PD_DF_KNOWN: bytes is exact */
	int err;		/* PD_DF_FAILED: the errno */
	bool has_bytes;		/* info: a size to show */
	int64_t bytes;
	struct pd_dfbound b;	/* unknown: what is known of bytes */
};

/* The parts of one file system, in the order they were added. */
struct pd_dfparts {
	struct pd_dfpart *v;
	size_t n;
};

void pd_dfparts_release(struct pd_dfparts *ps);

/* Append a copy of PART (its NOTE and PATH duplicated; NULL: none).
 * Returns 0 or -ENOMEM. */
int pd_dfparts_add(struct pd_dfparts *ps, const struct pd_dfpart *part,
		   const char *note, const char *path);
/* A known part of BYTES (info: evidence only, of no size when BYTES < 0
 * is not meant: use has_bytes through pd_dfparts_add). */
int pd_dfparts_known(struct pd_dfparts *ps, const char *what, int64_t bytes,
		     const char *note);
/* A part unknown for WHY (ERR: its errno), of bounds B. */
int pd_dfparts_unknown(struct pd_dfparts *ps, const char *what,
		       enum pd_dfwhy why, int err, struct pd_dfbound b,
		       const char *note);
/* A piece of evidence: a size when HAS_BYTES, a note, a path. */
int pd_dfparts_info(struct pd_dfparts *ps, const char *what, bool has_bytes,
		    int64_t bytes, const char *note, const char *path);

/*
 * FSSPECIFIC from the parts (info apart): *RET_KNOWN the known parts'
 * sum, *RET_WHY the first unknown part's reason (PD_DF_KNOWN: all are
 * known), *RET_B the sum's bounds with the unknown parts' bounds.
 */
void pd_dfparts_sum(const struct pd_dfparts *ps, int64_t *ret_known,
		    enum pd_dfwhy *ret_why, struct pd_dfbound *ret_b);

/* ext4: each kind of internal inode that holds blocks in USED, and the
 * journal and reserved GDT blocks as evidence (outside SIZE). */
int pd_dfparts_ext4(struct pd_dfparts *ps, const struct pd_ext4_meta *m);

/*
 * XFS: the AG headers, btrees, inode chunks, per-AG reservations,
 * set-aside, free-space btree blocks and the reserve pool of S; the
 * internal log as evidence; and whether the AG headers agree with the
 * live free count of V (after syncfs: f_bfree * frsize == S's free less
 * the reservations, set-aside and free-space btree blocks): when they do
 * not, evidence that says by how much they lag.
 */
int pd_dfparts_xfs(struct pd_dfparts *ps, const struct pd_xfs_space *s,
		   const struct pd_statvfs *v);

/* XFS or btrfs: the extents the walked files share among themselves
 * (reflinks, dedup), which du counts once per file: a negative part,
 * -X->sum.excess, an upper bound when files could not be mapped. */
int pd_dfparts_shared(struct pd_dfparts *ps, const struct pd_walk_extents *x);

/*
 * btrfs, as root: the causes of pd_btrfs_gap_compute() (G), each sized
 * on its own; S for the profiles in the words.
 */
int pd_dfparts_btrfs(struct pd_dfparts *ps, const struct pd_btrfs_space *s,
		     const struct pd_btrfs_gap *g);

/*
 * btrfs without root (the tree search needs CAP_SYS_ADMIN): metadata,
 * system and the global reserve from space info S (exact); shared
 * extents, inline files and directories from the walk and FIEMAP (X, or
 * NULL when not walked: then unknown) and DIR_ALLOC; data of other
 * subvolumes and unreferenced extent parts unknown (needs root, >= 0);
 * the compression saving between 0 and the encoded extents' logical
 * bytes. WHY: the reason the tree search was not had.
 */
int pd_dfparts_btrfs_space(struct pd_dfparts *ps,
			   const struct pd_btrfs_space *s, uint64_t bsize,
			   const struct pd_walk_extents *x, uint64_t dir_alloc,
			   enum pd_dfwhy why, int err);

/* btrfs evidence: each kind's chunks allocated and used with the RAID
 * profile's copies (CHUNKS, raw on the devices, or NULL without root),
 * and each device's unallocated space. */
int pd_dfparts_btrfs_chunks(struct pd_dfparts *ps,
			    const struct pd_btrfs_space *s,
			    const struct pd_btrfs_chunks *chunks,
			    const struct pd_btrfs_dev *devs, size_t ndevs);

/* btrfs evidence: each subvolume and snapshot (at most MAX), with its
 * qgroup's exclusive and referenced bytes when quotas are on (Q may be
 * NULL). */
int pd_dfparts_btrfs_subvols(struct pd_dfparts *ps,
			     const struct pd_btrfs_subvol *v, size_t n,
			     const struct pd_btrfs_qgroup *q, size_t nq,
			     size_t max);

#endif
