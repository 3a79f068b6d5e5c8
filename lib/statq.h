/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statq: stat a magic link, or open a path that crosses mounts, under a
 * deadline, so a dead NFS or FUSE server cannot hang the tool. */
#ifndef PD_STATQ_H
#define PD_STATQ_H

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "procfs.h"

struct pd_statq;

/*
 * A stat queue over PFS with a deadline of TIMEOUT_MS milliseconds per stat.
 * Returns 0 or -ENOMEM; free with pd_statq_free(). Stats that timed out keep
 * running in a detached thread that frees its own state when (if ever) the
 * kernel returns; the process can still exit, since FUSE and NFS waits are
 * killable.
 */
int pd_statq_new(struct pd_procfs *pfs, unsigned timeout_ms,
		 struct pd_statq **ret_q);
void pd_statq_free(struct pd_statq *q);

/*
 * As pd_procfs_stat_link(), but gives up after the deadline. PIDFD may be
 * AT_FDCWD to stat a path the user gave (REL then is that path, and is
 * stat'ed live even for a captured tree). Returns 0, -ETIMEDOUT, or -errno.
 */
int pd_statq_stat(struct pd_statq *q, int pidfd, const char *rel,
		  struct stat *ret_st);

/* statvfs(PATH), live, under the same deadline (a df of a remote mount).
 * Returns 0, -ETIMEDOUT, or -errno. */
int pd_statq_statvfs(struct pd_statq *q, const char *path,
		     struct statvfs *ret_sv);

/*
 * openat(DIRFD, PATH, FLAGS | O_CLOEXEC), live whatever the tree, under the
 * same deadline: opening a mount point to walk it, or a path through one,
 * asks the server of every mount it crosses (a stopped FUSE daemon over a
 * tmpfs or over a parent directory). DIRFD may be AT_FDCWD for an absolute
 * PATH. When RET_STX is not NULL the same worker also fills it with
 * statx(STATX_BASIC_STATS | STATX_MNT_ID) of what it opened (stx_mask says
 * what the kernel knew), since that first stat may ask the server as well.
 * *ret_fd is the caller's to close. Returns 0, -ETIMEDOUT (an fd opened
 * later is closed by the worker), or -errno.
 */
int pd_statq_open(struct pd_statq *q, int dirfd, const char *path, int flags,
		  int *ret_fd, struct statx *ret_stx);

#endif
