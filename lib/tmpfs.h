/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tmpfs: the files of one tmpfs superblock and the bytes it uses: a
 * dirfd-relative walk that never follows a symlink nor leaves the device. */
#ifndef PD_TMPFS_H
#define PD_TMPFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One regular file found by a walk. */
struct pd_tmpfs_file {
	dev_t dev;
	ino_t ino;
	uint64_t nlink;
	mode_t mode;
	uid_t uid;
	uint64_t size;		/* st_size */
	uint64_t alloc;		/* st_blocks * 512 */
	const char *path;	/* PREFIX/relative/path; valid during the call */
	size_t path_len;
};

/* Called for each regular file; a negative return stops the walk and is
 * returned by it. */
typedef int (*pd_tmpfs_cb)(void *arg, const struct pd_tmpfs_file *f);

/* What a walk could not see. */
struct pd_tmpfs_walkstats {
	unsigned dirs;		/* directories read */
	unsigned unreadable;	/* directories that could not be opened/read */
	unsigned too_deep;	/* directories below the depth limit */
};

/* Deeper directories are not entered (counted in too_deep). */
#define PD_TMPFS_MAX_DEPTH 64

/*
 * Walk the directory DFD (the root of a mount, not closed here) of the
 * file system on device DEV: every regular file is passed to CB with its
 * path PREFIX + "/" + the names below DFD. Entries on another device
 * (mounts below) are not entered, symlinks are never followed, and nothing
 * is opened but directories (O_DIRECTORY|O_NOFOLLOW). Hard links come once
 * per name: the caller deduplicates by inode. Returns 0, or the first
 * negative return of CB, or -ENOMEM; *ret_stats (may be NULL) counts what
 * could not be read.
 */
int pd_tmpfs_walk(int dfd, dev_t dev, const char *prefix, pd_tmpfs_cb cb,
		  void *arg, struct pd_tmpfs_walkstats *ret_stats);

/*
 * The bytes a tmpfs superblock has allocated: (f_blocks - f_bfree) *
 * f_bsize of fstatvfs on any fd in it. shmem_statfs() reports a limit only
 * when the mount has one (size=, or nr_blocks=): -ERANGE when it has none
 * (f_blocks 0), since then it keeps no count. Returns 0 or -errno.
 */
int pd_tmpfs_used(int fd, uint64_t *ret_used);

/*
 * A captured tree's "procdiag-tmpfs" file, which stands in for the walk and
 * fstatvfs (no live file system behind a capture):
 *   sb MAJ:MIN USED           used bytes of a superblock ("-" for none)
 *   file MAJ:MIN INO NLINK MODE SIZE BLOCKS PATH
 * MODE octal, PATH the rest of the line. Calls FILE_CB for each file and
 * SB_CB for each superblock line (USED is UINT64_MAX for "-"). Malformed
 * lines, lines of 4096 bytes or more and lines holding a NUL are skipped. Returns 0 or the first negative callback return.
 */
typedef int (*pd_tmpfs_sb_cb)(void *arg, dev_t dev, uint64_t used);
int pd_tmpfs_capture_parse(const char *buf, size_t len, pd_tmpfs_cb file_cb,
			   pd_tmpfs_sb_cb sb_cb, void *arg);

#endif
