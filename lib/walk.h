/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk: the du -x walker: one file system, directory-relative, hard links
 * once, N threads over a shared work queue. */
#ifndef PD_WALK_H
#define PD_WALK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fiemap.h"

/* What a run counted (du -sxB1 prints ALLOC). */
struct pd_walk_totals {
	uint64_t alloc;		/* st_blocks * 512 of each distinct inode,
				 * directories and the root included */
	uint64_t size;		/* st_size of the same inodes (apparent) */
	uint64_t inodes;	/* distinct inodes counted */
	uint64_t dirs;		/* directories among them */
	uint64_t dir_alloc;	/* their allocated bytes */
	uint64_t unreadable;	/* directories that could not be opened or
				 * listed (their own blocks are counted) */
	uint64_t other_dev;	/* entries on another device, skipped whole */
};

/* Live counters for a progress line, owned by the caller; the walk adds to
 * them as it goes (relaxed atomics: read them from any thread). */
struct pd_walk_progress {
	_Atomic uint64_t inodes;
	_Atomic uint64_t alloc;
};

struct pd_walk_opts {
	unsigned jobs;			/* threads; 0 or 1: the caller's own */
	size_t max_paths;		/* unreadable paths kept (the count is
					 * always exact) */
	struct pd_walk_progress *progress;	/* NULL: none */
	size_t top_dirs;		/* keep the N directories with the
					 * most entries (what holds inodes) */
	bool fiemap;			/* map the extents of every regular
					 * file counted (FS_IOC_FIEMAP): what
					 * reflinks share; costs an open and
					 * an ioctl per file, so only where
					 * the file system shares extents */
};

struct pd_walk;

/*
 * Threads for a walk of a file system on a device of queue depth
 * NR_REQUESTS (0: no block device, as tmpfs) on NCPU cores. A cold walk
 * waits on the device, one read in flight per thread: a device that serves
 * many requests at once (an SSD, NVMe, a virtual disk) wants many
 * threads, a spinning disk a few (its elevator still sorts them), and a
 * file system in RAM only the cores. At least NCPU, at most
 * PD_WALK_MAX_JOBS.
 */
#define PD_WALK_MAX_JOBS 64
unsigned pd_walk_jobs_for(bool rotational, unsigned nr_requests,
			  unsigned ncpu);

/* A walker; its set of hard-linked inodes lives across runs. Returns 0 or
 * -ENOMEM; free with pd_walk_free(). */
int pd_walk_new(const struct pd_walk_opts *opts, struct pd_walk **ret_w);
void pd_walk_free(struct pd_walk *w);

/*
 * A mount point below the root of the next run, as a path relative to it
 * ("var/lib/x"): that run neither stats nor enters it, since what is
 * mounted there may not answer (a stopped FUSE daemon, a dead NFS server),
 * and counts it in other_dev, as du -x skips another device. Give every
 * mount point of another file system below the root; pd_walk_run forgets
 * them. Returns 0 or -ENOMEM.
 */
int pd_walk_skip(struct pd_walk *w, const char *rel);

/*
 * Walk the directory DIRFD (the caller keeps and closes it) and everything
 * below it on its device, as "du -sx" does: the root and every entry are
 * lstat'ed (fstatat with AT_SYMLINK_NOFOLLOW), entries whose st_dev is not
 * the root's are skipped with whatever is below them, and an inode with
 * more than one link is counted once over every run of W. PREFIX names the
 * root in the kept unreadable paths ("/var" gives "/var/a/b"). Returns 0
 * with *ret_tot filled, or -errno: the root cannot be stat'ed, or the
 * walker ran out of descriptors (-EMFILE, -ENFILE) or memory (-ENOMEM):
 * those are never counted as unreadable directories.
 */
int pd_walk_run(struct pd_walk *w, int dirfd, const char *prefix,
		struct pd_walk_totals *ret_tot);

/* A directory with many entries. */
struct pd_walk_dir {
	const char *path;	/* lives as long as W */
	uint64_t entries;	/* names in it, "." and ".." apart */
};

/* The top_dirs directories with the most entries over every run of W,
 * most first (ties: by path). I past the end: -ENOENT. */
size_t pd_walk_ntop(const struct pd_walk *w);
int pd_walk_top(struct pd_walk *w, size_t i, struct pd_walk_dir *ret);

/* What the fiemap option found. */
struct pd_walk_extents {
	struct pd_fiemap_sum sum;	/* pd_fiemap_finish()'s */
	uint64_t unmapped;	/* files that could not be opened or mapped
				 * (permission, no FIEMAP): not in sum */
	uint64_t inline_alloc;	/* st_blocks * 512 of the files whose data
				 * is inline in the metadata */
};

/* With the fiemap option, the extents of every regular file counted over
 * every run of W. Call once, after the last run. Returns 0, -EINVAL (no
 * fiemap option). */
int pd_walk_fiemap(struct pd_walk *w, struct pd_walk_extents *ret);

/* The directories no run could read, in no fixed order, at most max_paths
 * of them; strings live as long as W. */
size_t pd_walk_nunreadable(const struct pd_walk *w);
const char *pd_walk_unreadable(const struct pd_walk *w, size_t i);

#endif
