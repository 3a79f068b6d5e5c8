/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfs: the only place that builds /proc paths; honours --proc-root. */
#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

struct pd_procfs {
	char *root;
	int rootfd;
	bool captured;
	bool tree;		/* not a live procfs: its files are checked */
	/* Set once, by whichever reader (pssum reads in threads) is first:
	 * through __atomic compare-and-swap. */
	int error;		/* the first fatal error, negative */
	char *bad_file;		/* the first file of the tree that is not a
				 * regular one */
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
	pfs->tree = !pd_fd_is_procfs(pfs->rootfd);
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
	free(pfs->bad_file);
	free(pfs);
}

bool pd_fd_is_procfs(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
}

bool pd_procfs_is_live(const struct pd_procfs *pfs)
{
	return !pfs->tree;
}

bool pd_err_is_fatal(int err)
{
	return err == -EMFILE || err == -ENFILE || err == -ENOMEM ||
	       err == -PD_ENOTREG;
}

/* Keep ERR when it is the first fatal one; returns ERR. */
static int keep_error(struct pd_procfs *pfs, int err)
{
	int none = 0;

	if (pd_err_is_fatal(err))
		__atomic_compare_exchange_n(&pfs->error, &none, err, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return err;
}

int pd_procfs_error(const struct pd_procfs *pfs)
{
	return __atomic_load_n(&pfs->error, __ATOMIC_SEQ_CST);
}

const char *pd_procfs_bad_file(const struct pd_procfs *pfs)
{
	return __atomic_load_n(&pfs->bad_file, __ATOMIC_SEQ_CST);
}

/*
 * NAME under DIRFD is not a regular file: keep its path (the first one
 * only) and fail with -PD_ENOTREG. The directory's path is the kernel's
 * (its link in our own fd/), so it is absolute whatever --proc-root said.
 */
static int not_regular(struct pd_procfs *pfs, int dirfd, const char *name)
{
	char link[64], dir[PATH_MAX], *path, *none = NULL;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", dirfd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n > 0)
		dir[n] = '\0';
	else	/* no /proc of our own: the root as given */
		snprintf(dir, sizeof(dir), "%s", pfs->root);
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return keep_error(pfs, -ENOMEM);
	if (!__atomic_compare_exchange_n(&pfs->bad_file, &none, path, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		free(path);
	return keep_error(pfs, -PD_ENOTREG);
}

/*
 * Open NAME under DIRFD in a tree that is not the live /proc: only a
 * regular file, reached through no symlink, with O_NONBLOCK. A FIFO would
 * block the open or the read, a link to /dev/tty or /dev/watchdog follows
 * into a device, and opening a device can have effects of its own (a
 * watchdog starts counting): what is not a regular file is never opened.
 * Returns the fd or -errno (-PD_ENOTREG).
 */
static int open_tree_file(struct pd_procfs *pfs, int dirfd, const char *name)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
			 O_NOFOLLOW,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	struct stat st;
	int fd;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return not_regular(pfs, dirfd, name);
	do
		fd = (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
	while (fd < 0 && errno == EINTR);
	if (fd < 0 && errno == ENOSYS)	/* before 5.6: the last one only */
		fd = openat(dirfd, name, (int)how.flags);
	if (fd < 0)
		return errno == ELOOP ? not_regular(pfs, dirfd, name) : -errno;
	/* what was checked above may have been replaced since */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return not_regular(pfs, dirfd, name);
	}
	return fd;
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
		return keep_error(pfs, -errno);
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return keep_error(pfs, r);
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
	return keep_error(pfs, r);
}

int pd_procfs_has_pids(struct pd_procfs *pfs)
{
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(pfs->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return keep_error(pfs, -errno);
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return keep_error(pfs, r);
	}
	for (;;) {
		pid_t pid;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = errno ? keep_error(pfs, -errno) : 0;
			break;
		}
		if (parse_pid_name(de->d_name, &pid)) {
			r = 1;
			break;
		}
	}
	closedir(dir);
	return r;
}

int pd_procfs_open_pid(struct pd_procfs *pfs, pid_t pid, int *ret_fd)
{
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "%d", (int)pid);
	/* a tree's pid directory is no link to elsewhere (to /proc/self) */
	fd = openat(pfs->rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    (pfs->tree ? O_NOFOLLOW : 0));
	if (fd < 0)
		return keep_error(pfs, -errno);
	*ret_fd = fd;
	return 0;
}

/* Read FD whole, up to LIMIT bytes, and close it. */
static int read_fd(int fd, size_t limit, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 4096;
	char *buf, *nb;
	int r = 0;

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

/* The open of pd_read_at(): the fd or -errno. */
static int open_file(int dirfd, const char *name)
{
	int fd;

	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	return fd < 0 ? -errno : fd;
}

int pd_procfs_open_at(struct pd_procfs *pfs, int dirfd, const char *name,
		      int *ret_fd)
{
	int fd;

	if (!pfs)
		fd = open_file(dirfd, name);
	else
		fd = keep_error(pfs, pfs->tree ?
				open_tree_file(pfs, dirfd, name) :
				open_file(dirfd, name));
	if (fd < 0)
		return fd;
	*ret_fd = fd;
	return 0;
}

int pd_procfs_read_at(struct pd_procfs *pfs, int dirfd, const char *name,
		      size_t limit, char **ret_buf, size_t *ret_len)
{
	int fd, r;

	r = pd_procfs_open_at(pfs, dirfd, name, &fd);
	if (r < 0)
		return r;
	r = read_fd(fd, limit, ret_buf, ret_len);
	return pfs ? keep_error(pfs, r) : r;
}

int pd_read_at(int dirfd, const char *name, size_t limit, char **ret_buf,
	       size_t *ret_len)
{
	int fd = open_file(dirfd, name);

	if (fd < 0)
		return fd;
	return read_fd(fd, limit, ret_buf, ret_len);
}

int pd_procfs_read(struct pd_procfs *pfs, const char *name, size_t limit,
		   char **ret_buf, size_t *ret_len)
{
	return pd_procfs_read_at(pfs, pfs->rootfd, name, limit, ret_buf,
				 ret_len);
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
static int linkstat_lookup(struct pd_procfs *pfs, int pidfd, const char *rel,
			   struct stat *ret_st)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int r;

	r = pd_procfs_read_at(pfs, pidfd, "linkstat", 1u << 20, &buf, &len);
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

int pd_procfs_stat_link(struct pd_procfs *pfs, int pidfd, const char *rel,
			struct stat *ret_st)
{
	struct stat st;

	if (pfs->captured)
		return linkstat_lookup(pfs, pidfd, rel, ret_st);
	if (fstatat(pidfd, rel, &st, 0) < 0)
		return -errno;
	*ret_st = st;
	return 0;
}

bool pd_err_is_gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

int pd_scanstats_count(struct pd_scanstats *stats, int err)
{
	if (pd_err_is_fatal(err))
		return err;
	if (pd_err_is_gone(err))
		stats->vanished++;
	else if (err == -EACCES || err == -EPERM)
		stats->denied++;
	else {
		if (!stats->failed)
			stats->first_error = -err;
		stats->failed++;
	}
	return 0;
}

/*
 * A captured tree's "fdseals" lines: "fd/N SEALS", SEALS in decimal as
 * F_GET_SEALS returns them.
 */
static int fdseals_lookup(struct pd_procfs *pfs, int pidfd, const char *rel,
			  unsigned *ret_seals)
{
	char *buf, *line, *save = NULL;
	size_t len;
	int r;

	r = pd_procfs_read_at(pfs, pidfd, "fdseals", 1u << 20, &buf, &len);
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

int pd_procfs_fd_seals(struct pd_procfs *pfs, int pidfd, int fd,
		       unsigned *ret_seals)
{
	char rel[32];
	int ofd, seals;

	snprintf(rel, sizeof(rel), "fd/%d", fd);
	if (pfs->captured)
		return fdseals_lookup(pfs, pidfd, rel, ret_seals);
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
