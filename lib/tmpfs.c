/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tmpfs: the files of one tmpfs superblock and the bytes it uses: a
 * dirfd-relative walk that never follows a symlink nor leaves the device. */
#include "tmpfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "procfs.h"

struct walk {
	dev_t dev;
	pd_tmpfs_cb cb;
	void *arg;
	char *path;		/* the current directory's path */
	size_t len, cap;
	struct pd_tmpfs_walkstats st;
};

static int path_push(struct walk *w, const char *name, size_t *ret_old)
{
	size_t n = strlen(name);

	if (w->len + 1 + n + 1 > w->cap) {
		size_t ncap = (w->len + 1 + n + 1) * 2;
		char *np = realloc(w->path, ncap);

		if (!np)
			return -ENOMEM;
		w->path = np;
		w->cap = ncap;
	}
	*ret_old = w->len;
	w->path[w->len++] = '/';
	memcpy(w->path + w->len, name, n + 1);
	w->len += n;
	return 0;
}

/* lstat NAME under DFD without asking a remote server (AT_STATX_DONT_SYNC);
 * only the fields the walk uses are set. Returns 0 or -errno. */
static int stat_cached(int dfd, const char *name, struct stat *ret_st)
{
	struct statx stx;
	struct stat st;

	if (statx(dfd, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
		  AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx) < 0)
		return -errno;
	memset(&st, 0, sizeof(st));
	st.st_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	st.st_ino = (ino_t)stx.stx_ino;
	st.st_nlink = (nlink_t)stx.stx_nlink;
	st.st_mode = (mode_t)stx.stx_mode;
	st.st_uid = (uid_t)stx.stx_uid;
	st.st_size = (off_t)stx.stx_size;
	st.st_blocks = (blkcnt_t)stx.stx_blocks;
	*ret_st = st;
	return 0;
}

static int walk_dir(struct walk *w, int dfd, unsigned depth)
{
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		/* out of descriptors is ours to say, not an unreadable dir */
		if (pd_err_is_fatal(-errno))
			return -errno;
		w->st.unreadable++;
		return 0;
	}
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		if (pd_err_is_fatal(r))
			return r;
		w->st.unreadable++;
		return 0;
	}
	w->st.dirs++;
	for (;;) {
		struct stat st = { 0 };
		size_t old;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				w->st.unreadable++;
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (de->d_type != DT_UNKNOWN && de->d_type != DT_REG &&
		    de->d_type != DT_DIR)
			continue;	/* symlinks, devices, FIFOs, sockets */
		/* A mount point here is stat'ed on the mounted file system:
		 * from the kernel's cache only, so that a stopped FUSE or
		 * NFS server over a directory cannot hang the walk. */
		if (stat_cached(dirfd(dir), de->d_name, &st) < 0)
			continue;	/* removed meanwhile */
		if (st.st_dev != w->dev)
			continue;	/* a mount point: another file system */
		r = path_push(w, de->d_name, &old);
		if (r < 0)
			break;
		if (S_ISREG(st.st_mode)) {
			struct pd_tmpfs_file f = {
				.dev = st.st_dev,
				.ino = st.st_ino,
				.nlink = (uint64_t)st.st_nlink,
				.mode = st.st_mode,
				.uid = st.st_uid,
				.size = (uint64_t)st.st_size,
				.alloc = (uint64_t)st.st_blocks * 512,
				.path = w->path,
				.path_len = w->len,
			};

			r = w->cb(w->arg, &f);
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= PD_TMPFS_MAX_DEPTH) {
				w->st.too_deep++;
			} else {
				int sub = openat(dirfd(dir), de->d_name,
						 O_RDONLY | O_DIRECTORY |
						 O_NOFOLLOW | O_CLOEXEC);

				if (sub < 0 && pd_err_is_fatal(-errno)) {
					r = -errno;
				} else if (sub < 0) {
					w->st.unreadable++;
				} else {
					r = walk_dir(w, sub, depth + 1);
					close(sub);
				}
			}
		}
		w->len = old;
		w->path[w->len] = '\0';
		if (r < 0)
			break;
	}
	closedir(dir);
	return r;
}

int pd_tmpfs_walk(int dfd, dev_t dev, const char *prefix, pd_tmpfs_cb cb,
		  void *arg, struct pd_tmpfs_walkstats *ret_stats)
{
	struct walk w = { .dev = dev, .cb = cb, .arg = arg };
	size_t pl = strlen(prefix);
	int r;

	/* "/" as a prefix would make "//x" */
	while (pl > 0 && prefix[pl - 1] == '/')
		pl--;
	w.cap = pl + 256;
	w.path = malloc(w.cap);
	if (!w.path)
		return -ENOMEM;
	memcpy(w.path, prefix, pl);
	w.path[pl] = '\0';
	w.len = pl;
	r = walk_dir(&w, dfd, 0);
	free(w.path);
	if (ret_stats)
		*ret_stats = w.st;
	return r;
}

int pd_tmpfs_used(int fd, uint64_t *ret_used)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) < 0)
		return -errno;
	if (sv.f_blocks == 0)
		return -ERANGE;
	*ret_used = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	return 0;
}

int pd_tmpfs_capture_parse(const char *buf, size_t len, pd_tmpfs_cb file_cb,
			   pd_tmpfs_sb_cb sb_cb, void *arg)
{
	const char *p = buf, *end = buf + len;
	char line[4096];
	int r = 0;

	while (p < end && r >= 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		unsigned maj, min, mode;
		uint64_t ino, nlink, size, blocks, used;
		const char *start = p;
		int off = 0;

		p = nl ? nl + 1 : end;
		if (n >= sizeof(line) || memchr(start, '\0', n))
			continue;	/* too long, or not text */
		memcpy(line, start, n);
		line[n] = '\0';
		if (sscanf(line, "sb %u:%u %" SCNu64 "%n", &maj, &min, &used,
			   &off) == 3 && (size_t)off == n) {
			r = sb_cb(arg, makedev(maj, min), used);
		} else if ((off = 0, sscanf(line, "sb %u:%u -%n", &maj, &min,
					    &off)) == 2 &&
			   (size_t)off == n) {
			r = sb_cb(arg, makedev(maj, min), UINT64_MAX);
		} else if ((off = 0, sscanf(line, "file %u:%u %" SCNu64 " %" SCNu64 " %o %"
				  SCNu64 " %" SCNu64 " %n", &maj, &min, &ino,
				  &nlink, &mode, &size, &blocks, &off)) == 7 &&
			   off > 0 && (size_t)off < n && line[off] == '/' &&
			   blocks <= UINT64_MAX / 512) {
			struct pd_tmpfs_file f = {
				.dev = makedev(maj, min),
				.ino = (ino_t)ino,
				.nlink = nlink,
				.mode = (mode_t)mode,
				.size = size,
				.alloc = blocks * 512,
				.path = line + off,
				.path_len = n - (size_t)off,
			};

			r = file_cb(arg, &f);
		}
	}
	return r < 0 ? r : 0;
}
