/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mounts: the only libmount user; mount tables per mount namespace. */
#ifndef PD_MOUNTS_H
#define PD_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "procfs.h"

/* One mount as the tools see it; strings live as long as the table. */
struct pd_mount {
	int id;
	int parent_id;
	dev_t dev;
	const char *target;	/* mount point, unescaped */
	const char *fstype;
	const char *source;
	const char *root;	/* the root of the mount within its filesystem */
	const char *fs_options;	/* the super options ("rw,hidepid=2") */
	bool remote;		/* network or FUSE: may not answer */
	bool ram;		/* tmpfs/ramfs: its files live in memory */
	bool pseudo;		/* proc, sysfs, cgroup ...: holds no data */
};

struct pd_mnttab;

/*
 * Parse mountinfo text (LEN bytes). Returns 0, -EINVAL, -ENOMEM; free with
 * pd_mnttab_free().
 */
int pd_mnttab_parse(const char *buf, size_t len, struct pd_mnttab **ret_tab);
void pd_mnttab_free(struct pd_mnttab *tab);

size_t pd_mnttab_count(const struct pd_mnttab *tab);
/* The I-th mount in mountinfo order; returns 0 or -ENOENT. */
int pd_mnttab_get(const struct pd_mnttab *tab, size_t i, struct pd_mount *ret);

/* Find by mount id (fdinfo's mnt_id). Returns 0 or -ENOENT. */
int pd_mnttab_find_id(const struct pd_mnttab *tab, int id,
		      struct pd_mount *ret_mnt);
/* Find by device number; the topmost (last) mount of DEV wins, as it is
 * the one a path walk sees. Returns 0 or -ENOENT. */
int pd_mnttab_find_dev(const struct pd_mnttab *tab, dev_t dev,
		       struct pd_mount *ret_mnt);
/* Find the mount whose target is the longest prefix of the absolute PATH,
 * by text alone (no file system is touched). Returns 0 or -ENOENT. */
int pd_mnttab_find_path(const struct pd_mnttab *tab, const char *path,
			struct pd_mount *ret_mnt);

/*
 * Can a lookup of the absolute PATH (or an open of it) wait on a server?
 * True when a remote or FUSE file system, or an automount point, is
 * mounted on PATH or on a directory on the way to it, by the text of TAB
 * alone. What does not may be opened without a deadline.
 */
bool pd_mnttab_path_may_hang(const struct pd_mnttab *tab, const char *path);

/* Filesystem type predicates, by name. */
bool pd_fstype_is_remote(const char *fstype);
bool pd_fstype_is_ram(const char *fstype);
bool pd_fstype_is_pseudo(const char *fstype);

struct pd_mounts;

/* A cache of the mount tables of PFS's processes (which must outlive it),
 * keyed by their text. */
int pd_mounts_new(struct pd_procfs *pfs, struct pd_mounts **ret_mounts);
void pd_mounts_free(struct pd_mounts *mounts);

/*
 * The mount table of the process whose directory is PIDFD, from its own
 * "mountinfo", parsed once per distinct text: mount points are relative to
 * the process's root, so processes of one namespace in different chroots
 * get different tables. *ret_tab is owned by MOUNTS. Returns 0 or -errno
 * (-ENOENT: the process is gone).
 */
int pd_mounts_of_pid(struct pd_mounts *mounts, int pidfd, pid_t pid,
		     const struct pd_mnttab **ret_tab);

/*
 * The table of pid 1 of PFS (looked for once), for mounts that a holder's
 * own table leaves out: in a chroot whose root is not a mount point the
 * file system under it is on no line of the chroot's mountinfo. NULL when
 * pid 1 cannot be read. Owned by MOUNTS.
 */
const struct pd_mnttab *pd_mounts_init(struct pd_mounts *mounts,
				       struct pd_procfs *pfs);

#endif
