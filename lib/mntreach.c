/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mntreach: open the root of a mount that another mount covers, leaving
 * every mount table as it was. */
#include "mntreach.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Is A's point B's, or a directory above it? */
static bool point_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (!strcmp(a, "/"))
		return true;
	return !strncmp(a, b, n) && (b[n] == '\0' || b[n] == '/');
}

int pd_mntreach_cover(const struct pd_mnttab *tab, const struct pd_mount *m,
		      struct pd_mount *ret_cover)
{
	size_t i, n = pd_mnttab_count(tab), best_len = 0;
	struct pd_mount x, best;
	bool after = false, found = false;

	for (i = 0; i < n; i++) {
		if (pd_mnttab_get(tab, i, &x) < 0)
			continue;
		if (!after) {
			after = x.id == m->id;
			continue;
		}
		if (!x.target || !m->target || !point_covers(x.target,
							     m->target))
			continue;
		if (!found || strlen(x.target) >= best_len) {
			best = x;
			best_len = strlen(x.target);
			found = true;
		}
	}
	if (!found)
		return -ENOENT;
	*ret_cover = best;
	return 0;
}

struct reach {
	const char *target;
	dev_t dev;
};

/* Is the top of PATH on device DEV? 1 yes, 0 no (or nothing there).
 * AT_STATX_DONT_SYNC: the device is the VFS's, and a FUSE or NFS mount
 * on top answers from its cache (a stopped daemon cannot hang us). */
static int top_is(const char *path, dev_t dev)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, 0, &stx) < 0)
		return 0;
	return makedev(stx.stx_dev_major, stx.stx_dev_minor) == dev;
}

/* Detach the top mount at PATH, or at the nearest directory above it
 * that is a mount point (what covers PATH from above), never "/".
 * PATH is a buffer of ours. 0 or -errno (-ENOENT: nothing to detach). */
static int uncover(char *path)
{
	char *slash;

	for (;;) {
		if (!strcmp(path, "/"))
			return -ENOENT;
		if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
			return 0;
		if (errno != EINVAL && errno != ENOENT)
			return -errno;
		/* not a mount point here (or no such directory in what
		 * covers it): the cover sits above */
		slash = strrchr(path, '/');
		if (!slash)
			return -ENOENT;
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
}

/*
 * In the child of pd_statq_child(), single-threaded, holding nothing but
 * NSFD: a private copy of the namespace, the covers detached in it, the
 * mount cloned. No allocation: the parent may have had threads.
 */
static int reach_child(void *arg, int nsfd, int *ret_fd)
{
	const struct reach *rc = arg;
	char path[PATH_MAX];
	struct stat st;
	int i, r, t, fd;

	if (strlen(rc->target) >= sizeof(path) || rc->target[0] != '/')
		return -ENAMETOOLONG;
	if (nsfd >= 0 && setns(nsfd, CLONE_NEWNS) < 0)
		return -errno;
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* Private before anything is detached: a detach in a copy that
	 * still shares propagation with the original would reach it. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	for (i = 0; !top_is(rc->target, rc->dev); i++) {
		if (i == PD_MNTREACH_MAX_LAYERS)
			return -ENOENT;
		strcpy(path, rc->target);
		r = uncover(path);
		if (r < 0)
			return r;
	}
	t = (int)syscall(SYS_open_tree, AT_FDCWD, rc->target,
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (t < 0)
		return -errno;
	fd = openat(t, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = fd < 0 ? -errno : 0;
	close(t);
	if (r < 0)
		return r;
	if (fstat(fd, &st) < 0 || st.st_dev != rc->dev) {
		close(fd);
		return -ENOENT;
	}
	*ret_fd = fd;
	return 0;
}

int pd_mntreach_open(struct pd_statq *q, int nsfd, const char *target,
		     dev_t dev, int *ret_fd)
{
	struct reach rc = { .target = target, .dev = dev };
	int fd = -1, r;

	if (!target || target[0] != '/')
		return -EINVAL;
	r = pd_statq_child(q, nsfd, reach_child, &rc, &fd);
	if (r < 0)
		return r;
	if (fd < 0)
		return -EIO;
	*ret_fd = fd;
	return 0;
}
