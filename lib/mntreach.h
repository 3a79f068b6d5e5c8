/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mntreach: open the root of a mount that another mount covers, leaving
 * every mount table as it was: a child process copies the mount namespace
 * (unshare), makes its copy private, detaches there what covers the mount,
 * and hands back a clone of it (open_tree) without submounts that lives
 * only in the caller's fd table. */
#ifndef PD_MNTREACH_H
#define PD_MNTREACH_H

#include <sys/types.h>

#include "mounts.h"
#include "statq.h"

/* The most mounts stacked over one mount that are detached to reach it. */
#define PD_MNTREACH_MAX_LAYERS 16

/*
 * The mount of TAB a path walk to M's point reaches instead of M (M a
 * mount of TAB): of the mounts listed after M whose point is M's or a
 * directory above it, the deepest point, the last listed on a tie. Pure:
 * no file system is touched. Returns 0 with *RET_COVER (strings live as
 * long as TAB), or -ENOENT when the table shows nothing over M.
 */
int pd_mntreach_cover(const struct pd_mnttab *tab, const struct pd_mount *m,
		      struct pd_mount *ret_cover);

/*
 * Open, read-only, the root of the mount of device DEV at TARGET (a mount
 * point as mountinfo spells it) in the mount namespace NSFD (an fd of a
 * process's ns/mnt; -1: ours), however many mounts cover it, under Q's
 * deadline. No mount of any namespace changes: only the child's private
 * copy, which ends with it. The fd is of a clone of the mount with no
 * submounts: a walk from it sees what the mount's own mount points hide
 * too. Needs CAP_SYS_ADMIN. Returns 0 with *RET_FD (the caller closes
 * it), -EPERM (not privileged), -ENOENT (no mount of DEV there, even
 * uncovered), -ETIMEDOUT, -EINVAL (the copy cannot be made private: a
 * chroot whose "/" is no mount point), or another -errno.
 */
int pd_mntreach_open(struct pd_statq *q, int nsfd, const char *target,
		     dev_t dev, int *ret_fd);

#endif
