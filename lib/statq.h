/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statq: the calls that may reach a file system that does not answer (a
 * stat of a magic link or a path, statvfs, open, syncfs) under a deadline,
 * so a dead NFS or FUSE server or a stuck device cannot hang the tool. */
#ifndef PD_STATQ_H
#define PD_STATQ_H

#include <sys/stat.h>
#include <sys/statvfs.h>

#include "procfs.h"

/* The deadline of one call when the user gives none (--timeout): long
 * enough for a loaded NFS server, short enough to wait for at a prompt. */
#define PD_STATQ_DEFAULT_MS 3000

struct pd_statq;

/*
 * A stat queue over PFS with a deadline of TIMEOUT_MS milliseconds per call,
 * run by one worker thread (started at the first call; one thread at a time
 * may call). Returns 0 or -ENOMEM; free with pd_statq_free(). A call that
 * timed out keeps running in its worker, now detached, which frees its own
 * state (and closes a late fd) when (if ever) the kernel returns; the next
 * call starts a new worker. The process can still exit, since FUSE and NFS
 * waits are killable.
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
 * openat(DIRFD, PATH, FLAGS | O_CLOEXEC) under the same deadline: a path
 * that may cross a mount whose file system does not answer (DIRFD may be
 * AT_FDCWD). Returns 0 with *ret_fd (the caller closes it), -ETIMEDOUT, or
 * -errno.
 */
int pd_statq_open(struct pd_statq *q, int dirfd, const char *path,
		  int flags, int *ret_fd);

/*
 * syncfs(FD) under the same deadline (a device whose writeback does not
 * complete), in a child process: a wait for writeback cannot be killed, and
 * a thread stuck in one would keep the whole process from exiting. A child
 * that overruns is left behind holding only FD; it exits when the device
 * answers. Returns 0, -ETIMEDOUT, or -errno (of syncfs, or of starting the
 * child).
 */
int pd_statq_syncfs(struct pd_statq *q, int fd);

/*
 * Run FN(ARG, FD, &fd) in a forked child under the same deadline: a call
 * that may hang for good, or that only a process of its own may make (a
 * mount namespace unshared). The child has nothing open but FD (-1: none)
 * and its socket back. FN returns 0 or -errno, and may set *ret_fd to an
 * fd to hand back (it stays -1 otherwise). A child that overruns is left
 * behind; it exits when the kernel answers. Returns 0 with *RET_FD (the
 * caller closes it; -1 when FN gave none), -ETIMEDOUT, -EIO (the child
 * died before it answered), FN's -errno, or -errno of starting the child.
 */
int pd_statq_child(struct pd_statq *q, int fd,
		   int (*fn)(void *arg, int fd, int *ret_fd), void *arg,
		   int *ret_fd);

#endif
