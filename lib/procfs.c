/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfs: the only place that builds /proc paths; honours --proc-root. */
#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct pd_procfs {
	char *root;
	int rootfd;
	bool captured;
};

int pd_procfs_new(const char *root, struct pd_procfs **ret_pfs)
{
	struct pd_procfs *pfs;
	int r;

	pfs = calloc(1, sizeof(*pfs));
	if (!pfs)
		return -ENOMEM;
	pfs->root = strdup(root ? root : PD_PROC_ROOT);
	if (!pfs->root) {
		r = -ENOMEM;
		goto out_free;
	}
	pfs->rootfd = open(pfs->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfs->rootfd < 0) {
		r = -errno;
		goto out_free;
	}
	pfs->captured = faccessat(pfs->rootfd, "procdiag-capture", F_OK, 0) == 0;
	*ret_pfs = pfs;
	return 0;

out_free:
	free(pfs->root);
	free(pfs);
	return r;
}

void pd_procfs_free(struct pd_procfs *pfs)
{
	if (!pfs)
		return;
	if (pfs->rootfd >= 0)
		close(pfs->rootfd);
	free(pfs->root);
	free(pfs);
}

const char *pd_procfs_root(const struct pd_procfs *pfs)
{
	return pfs->root;
}

bool pd_procfs_is_captured(const struct pd_procfs *pfs)
{
	return pfs->captured;
}

int pd_procfs_rootfd(const struct pd_procfs *pfs)
{
	return pfs->rootfd;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static bool parse_pid_name(const char *s, pid_t *ret)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > INT32_MAX)
			return false;
	}
	if (v <= 0)
		return false;
	*ret = (pid_t)v;
	return true;
}

int pd_procfs_list_pids(struct pd_procfs *pfs, pid_t **ret_pids, size_t *ret_n)
{
	pid_t *pids = NULL, *np;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(pfs->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		pid_t pid;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno)
				r = -errno;
			break;
		}
		if (!parse_pid_name(de->d_name, &pid))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			np = realloc(pids, cap * sizeof(*pids));
			if (!np) {
				r = -ENOMEM;
				goto out_closedir;
			}
			pids = np;
		}
		pids[n++] = pid;
	}
	if (r < 0)
		goto out_closedir;
	if (n > 1)	/* qsort(NULL, 0, ...) is undefined */
		qsort(pids, n, sizeof(*pids), cmp_pid);
	*ret_pids = pids;
	*ret_n = n;
	pids = NULL;

out_closedir:
	closedir(dir);
	free(pids);
	return r;
}

int pd_procfs_open_pid(struct pd_procfs *pfs, pid_t pid, int *ret_fd)
{
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "%d", (int)pid);
	fd = openat(pfs->rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*ret_fd = fd;
	return 0;
}

int pd_read_at(int dirfd, const char *name, size_t limit, char **ret_buf,
	       size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf, *nb;
	int fd, r = 0;

	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		r = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			if (cap > limit) {
				r = -EFBIG;
				goto out_free;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				r = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > limit) {
		r = -EFBIG;
		goto out_free;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	buf = NULL;

out_free:
	free(buf);
out_close:
	close(fd);
	return r;
}

int pd_procfs_read(struct pd_procfs *pfs, const char *name, size_t limit,
		   char **ret_buf, size_t *ret_len)
{
	return pd_read_at(pfs->rootfd, name, limit, ret_buf, ret_len);
}

int pd_procfs_read_self(const char *name, size_t limit, char **ret_buf,
			size_t *ret_len)
{
	char path[256];
	int n;

	n = snprintf(path, sizeof(path), PD_PROC_ROOT "/self/%s", name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	return pd_read_at(AT_FDCWD, path, limit, ret_buf, ret_len);
}

int pd_readlink_at(int dirfd, const char *name, char *buf, size_t bufsz)
{
	ssize_t n;

	n = readlinkat(dirfd, name, buf, bufsz);
	if (n < 0)
		return -errno;
	if ((size_t)n >= bufsz)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return (int)n;
}

/*
 * A captured tree's "linkstat" lines: REL MAJ:MIN INO NLINK MODE SIZE BLOCKS
 * [BLKSIZE], MODE in octal; BLKSIZE (st_blksize) is optional, 0 when absent.
 * The first field never holds spaces (fd/N, map_files/A-B).
 */
static int linkstat_lookup(int pidfd, const char *rel, struct stat *ret_st)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int r;

	r = pd_read_at(pidfd, "linkstat", 1u << 20, &buf, &len);
	if (r < 0)
		return r == -ENOENT ? -ENOENT : r;
	r = -ENOENT;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[256];
		unsigned maj, min, mode;
		uint64_t ino, nlink, size, blocks, blksize = 0;
		struct stat st;
		int n;

		n = sscanf(line, "%255s %u:%u %" SCNu64 " %" SCNu64 " %o %"
			   SCNu64 " %" SCNu64 " %" SCNu64, key, &maj, &min,
			   &ino, &nlink, &mode, &size, &blocks, &blksize);
		if (n < 8)
			continue;
		if (strcmp(key, rel) != 0)
			continue;
		memset(&st, 0, sizeof(st));
		st.st_dev = makedev(maj, min);
		st.st_ino = (ino_t)ino;
		st.st_nlink = (nlink_t)nlink;
		st.st_mode = (mode_t)mode;
		st.st_size = (off_t)size;
		st.st_blocks = (blkcnt_t)blocks;
		st.st_blksize = (blksize_t)blksize;
		*ret_st = st;
		r = 0;
		break;
	}
	free(buf);
	return r;
}

int pd_procfs_stat_link(const struct pd_procfs *pfs, int pidfd,
			const char *rel, struct stat *ret_st)
{
	struct stat st;

	if (pfs->captured)
		return linkstat_lookup(pidfd, rel, ret_st);
	if (fstatat(pidfd, rel, &st, 0) < 0)
		return -errno;
	*ret_st = st;
	return 0;
}

bool pd_err_is_gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

void pd_scanstats_count(struct pd_scanstats *stats, int err)
{
	if (pd_err_is_gone(err))
		stats->vanished++;
	else if (err == -EACCES || err == -EPERM)
		stats->denied++;
	else {
		if (!stats->failed)
			stats->first_error = -err;
		stats->failed++;
	}
}

/*
 * A captured tree's "fdseals" lines: "fd/N SEALS", SEALS in decimal as
 * F_GET_SEALS returns them.
 */
static int fdseals_lookup(int pidfd, const char *rel, unsigned *ret_seals)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int r;

	r = pd_read_at(pidfd, "fdseals", 1u << 20, &buf, &len);
	if (r < 0)
		return r;
	r = -ENOENT;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[64];
		unsigned seals;

		if (sscanf(line, "%63s %u", key, &seals) != 2 ||
		    strcmp(key, rel) != 0)
			continue;
		*ret_seals = seals;
		r = 0;
		break;
	}
	free(buf);
	return r;
}

int pd_procfs_fd_seals(const struct pd_procfs *pfs, int pidfd, int fd,
		       unsigned *ret_seals)
{
	char rel[32];
	int ofd, seals;

	snprintf(rel, sizeof(rel), "fd/%d", fd);
	if (pfs->captured)
		return fdseals_lookup(pidfd, rel, ret_seals);
	do
		ofd = openat(pidfd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY |
			     O_CLOEXEC);
	while (ofd < 0 && errno == EINTR);
	if (ofd < 0)
		return -errno;
	seals = fcntl(ofd, F_GET_SEALS);
	if (seals < 0) {
		seals = -errno;
		close(ofd);
		return seals;
	}
	close(ofd);
	*ret_seals = (unsigned)seals;
	return 0;
}
