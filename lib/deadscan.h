/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deadscan: every deleted file that a process still holds, deduplicated by
 * device and inode, with its holders; the engine of deadfiles and dfdu. */
#ifndef PD_DEADSCAN_H
#define PD_DEADSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "coverage.h"
#include "holders.h"
#include "proc.h"
#include "procfs.h"

struct pd_deadfile {
	dev_t dev;
	ino_t ino;
	char *path;		/* raw link text without " (deleted)"; or,
				 * for a path longer than PATH_MAX, the mount
				 * point marked as pd_link_truncated_path()
				 * does */
	size_t path_len;
	bool path_truncated;	/* path is that marked text */
	bool sized;		/* size, alloc and mode are known */
	bool timed_out;		/* its file system did not answer in time */
	uint64_t size;		/* st_size */
	uint64_t alloc;		/* st_blocks * 512: what df gets back */
	mode_t mode;
	int mnt_id;		/* -1 when unknown */
	char *mount;		/* mount point in the first holder's namespace */
	char *fstype;
	char *source;		/* the mount's source ("/dev/sda1") */
	bool ram;		/* on tmpfs/ramfs: the space is memory */
	bool remote;		/* network or FUSE file system */
	bool nfs_silly;		/* an NFS ".nfsXXXX" silly-renamed file */
	struct pd_holder *holders;
	size_t nholders;
	bool selected;		/* passes the filter of pd_deadscan_select() */
};

struct pd_deadproc {
	struct pd_proc proc;	/* who: the fields the scan was asked for
				 * (cmdline and cgroup only when asked) */
	const char *user;	/* lives as long as the scan */
	/* Over the selected files: */
	size_t files;
	uint64_t alloc, size;
	size_t sole_files;	/* files no other process holds */
	uint64_t sole_alloc;	/* what restarting this process alone frees */
	bool unknown;		/* some of its files have unknown size */
	bool selected;
};

/* Selected files per file system (by device). */
struct pd_deadmount {
	dev_t dev;
	const char *mount;	/* lives as long as the scan */
	const char *fstype;
	const char *source;
	bool ram;
	size_t files;
	uint64_t alloc, size;
	size_t procs;		/* distinct holders */
	bool unknown;		/* some files have unknown size */
};

struct pd_deadscan_opts {
	unsigned timeout_ms;	/* deadline of a stat on a remote/FUSE mount */
	unsigned identity;	/* enum pd_proc_field of the holders to read
				 * (stat and status always); 0: all */
};

/* What the scan could not see, beyond pd_scanstats. */
struct pd_deadscan_gaps {
	unsigned unverified_maps;	/* mapped-only candidates that map_files
					 * would not let us stat (needs
					 * CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE) */
	unsigned timed_out_files;
};

struct pd_deadscan;

int pd_deadscan_new(struct pd_procfs *pfs, const struct pd_deadscan_opts *opts,
		    struct pd_deadscan **ret_ds);
void pd_deadscan_free(struct pd_deadscan *ds);

/*
 * Scan every process of the proc root. Processes that exit are skipped;
 * unreadable ones are counted in the stats. Returns 0, or -errno when the
 * root itself cannot be listed.
 */
int pd_deadscan_run(struct pd_deadscan *ds);

/* Filter for pd_deadscan_select(); empty lists do not filter. */
struct pd_deadfilter {
	struct pd_procfilter procs;
	bool has_dev;			/* only files on device DEV */
	dev_t dev;
	uint64_t min_alloc;		/* alloc >= this (unknown sizes pass) */
};

/*
 * The device of the file system holding PATH, for pd_deadfilter.dev (-m).
 * Live: a stat of PATH under the scan's deadline. In a captured tree: the
 * device of the found files' mount whose point is the longest prefix of
 * PATH. Returns 0, -ETIMEDOUT, -ENODEV (captured: no found file is on a
 * mount holding PATH), or -errno of the stat.
 */
int pd_deadscan_mount_dev(struct pd_deadscan *ds, const char *path,
			  dev_t *ret_dev);

/*
 * Mark the files that pass FILTER (any holder matching the process filters,
 * and the file filters) and compute the per-process and per-mount sums over
 * them. A process is selected when it matches the process filters and holds
 * a selected file. Can be called again with another filter. Returns 0 or
 * -ENOMEM.
 */
int pd_deadscan_select(struct pd_deadscan *ds,
		       const struct pd_deadfilter *filter);

size_t pd_deadscan_nfiles(const struct pd_deadscan *ds);
const struct pd_deadfile *pd_deadscan_file(const struct pd_deadscan *ds,
					   size_t i);
size_t pd_deadscan_nprocs(const struct pd_deadscan *ds);
const struct pd_deadproc *pd_deadscan_proc(const struct pd_deadscan *ds,
					   size_t i);
/* Valid after pd_deadscan_select(). */
size_t pd_deadscan_nmounts(const struct pd_deadscan *ds);
const struct pd_deadmount *pd_deadscan_mount(const struct pd_deadscan *ds,
					     size_t i);

const struct pd_scanstats *pd_deadscan_stats(const struct pd_deadscan *ds);
/*
 * What the scan missed of the processes the last pd_deadscan_select()
 * chose (before any: of every process): unread ones, and those the proc
 * mount's hidepid hides. Lives as long as DS.
 */
const struct pd_partial *pd_deadscan_partial(const struct pd_deadscan *ds);
const struct pd_deadscan_gaps *pd_deadscan_gaps(const struct pd_deadscan *ds);
/* Mount points that did not answer in time (one each). */
size_t pd_deadscan_ntimeouts(const struct pd_deadscan *ds);
const char *pd_deadscan_timeout(const struct pd_deadscan *ds, size_t i);

/* The collector under DS, for engines built on a deadscan (dfscan): its
 * deadline queue and mount tables. Owned by DS. */
struct pd_holders *pd_deadscan_holders(struct pd_deadscan *ds);

#endif
