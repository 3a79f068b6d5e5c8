/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfscan: why df and du disagree, file system by file system: the df side,
 * one du -x walk, and the gap's parts with their evidence. */
#ifndef PD_DFSCAN_H
#define PD_DFSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadscan.h"
#include "dfparts.h"
#include "fsspace.h"
#include "procfs.h"
#include "walk.h"

struct pd_dfscan_opts {
	unsigned jobs;		/* walker threads; 0: from each device */
	unsigned timeout_ms;	/* deadline of a stat on a remote/FUSE mount */
	bool walk;		/* false: df side and deleted files only */
	bool remote;		/* network and FUSE file systems too (df side
				 * under the deadline; never walked) */
	size_t max_paths;	/* unreadable directory paths kept per fs */
	size_t top_dirs;	/* directories with the most entries kept
				 * per fs (what holds the inodes) */
	struct pd_walk_progress *progress;	/* NULL: none */
};

/* A mount point of another file system over a directory of this one, and
 * what the directory holds beneath it. */
struct pd_dfcovered {
	char *mount;		/* the covering mount's point */
	char *path;		/* the directory, from this fs's walked root */
	bool known;
	uint64_t alloc;		/* bytes under it, the directory included */
	uint64_t inodes;
};

/* A directory the walk found with many entries. */
struct pd_dfdir {
	char *path;
	uint64_t entries;
};

struct pd_dffs {
	dev_t dev;
	char *mount;		/* the walked mount's point */
	char *fstype;
	char *source;
	char *root;		/* its mountinfo root: "/" unless a subtree */
	char *covered_by;	/* every mount of it is covered: what covers
				 * the measured one ("tmpfs on /dev/shm"),
				 * which was reached through lib/mntreach;
				 * else NULL */
	bool subtree;		/* only a subtree of the fs is mounted */
	bool remote, ram;
	unsigned mounts;	/* mounts of this device (bind mounts) */

	enum pd_dfwhy df_why;
	int df_err;
	struct pd_statvfs sv;
	struct pd_fsspace space;

	enum pd_dfwhy walk_why;
	int walk_err;
	unsigned jobs;		/* the walk's threads (0: not walked) */
	struct pd_walk_totals walk;	/* visible part only */

	enum pd_dfwhy deleted_why;
	uint64_t deleted;	/* allocated bytes of deleted-open files */
	size_t ndeleted;

	enum pd_dfwhy hidden_why;
	int hidden_err;
	uint64_t hidden;
	uint64_t hidden_inodes;
	struct pd_dfcovered *covered;
	size_t ncovered;

	uint64_t unreadable;	/* directories, visible and hidden */
	char **unreadable_paths;	/* at most max_paths */
	size_t nunreadable_paths;

	enum pd_dfwhy fsspecific_why;	/* the first unknown part's */
	int64_t fsspecific;	/* the known parts' sum: counted as used,
				 * invisible to du (negative: du counts
				 * shared extents more than once) */
	struct pd_dfbound fsspecific_b;	/* with the unknown parts */
	struct pd_dfparts parts;	/* FSSPECIFIC's parts and evidence */

	struct pd_dfdir *topdirs;	/* most entries first */
	size_t ntopdirs;
	bool inodes_short;	/* inodes nearly out while blocks are free */

	bool reserve_split;	/* ext4: root and kernel reserve known */
	bool reserve_exact;	/* ... and they add up to RESERVED */
	struct pd_ext4_reserve reserve;

	bool gap_known;
	int64_t gap;		/* used - walked */
	bool unexplained_known;
	int64_t unexplained;	/* gap - deleted - hidden - fsspecific */
	struct pd_dfbound unexplained_b;	/* its bounds, the parts'
						 * unknowns and unreadable
						 * directories counted */
	const char *causes;	/* likely causes of a remainder, static */
};

struct pd_dfscan;

int pd_dfscan_new(struct pd_procfs *pfs, const struct pd_dfscan_opts *opts,
		  struct pd_dfscan **ret_ds);
void pd_dfscan_free(struct pd_dfscan *ds);

/*
 * Limit the run to the file system holding PATH (may be called for each
 * path argument, before pd_dfscan_run), and to those another mount
 * covers when PATH is their mount point. Live: a stat under the deadline;
 * a captured tree: the mount whose point is the longest prefix of PATH.
 * Returns 0, -ETIMEDOUT, or -errno (-ENOENT: no such path).
 */
int pd_dfscan_add_path(struct pd_dfscan *ds, const char *path);

/*
 * Read the mount table, the deleted-open files of every process, then
 * measure each file system. Returns 0, or -errno when the proc root or the
 * mount table cannot be read.
 */
int pd_dfscan_run(struct pd_dfscan *ds);

size_t pd_dfscan_nfs(const struct pd_dfscan *ds);
const struct pd_dffs *pd_dfscan_fs(const struct pd_dfscan *ds, size_t i);

/* Did path argument I (in pd_dfscan_add_path order) land on a measured
 * file system? (False: pseudo, or remote without --remote.) */
bool pd_dfscan_path_found(const struct pd_dfscan *ds, size_t i);

/* Is the deleted file F counted on file system FS? */
bool pd_dfscan_file_on(const struct pd_dfscan *ds, const struct pd_dffs *fs,
		       const struct pd_deadfile *f);

/* The deleted-file scan behind the DELETED parts (owned by DS). */
const struct pd_deadscan *pd_dfscan_deadscan(const struct pd_dfscan *ds);

#endif
