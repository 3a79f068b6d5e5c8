/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdtab: a process's open files: fd/ link text, fdinfo, and iteration. */
#include "fdtab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs.h"

int pd_link_parse(const char *text, size_t len, struct pd_link *ret_link)
{
	static const size_t sl = sizeof(PD_DELETED_SUFFIX) - 1;
	struct pd_link l = { .kind = PD_LINK_PATH };

	if (!len)
		return -EINVAL;
	if (text[0] != '/') {
		/* "socket:[N]", "pipe:[N]", "anon_inode:NAME", "net:[N]" */
		if (len > 8 && !memcmp(text, "socket:[", 8))
			l.kind = PD_LINK_SOCKET;
		else if (len > 6 && !memcmp(text, "pipe:[", 6))
			l.kind = PD_LINK_PIPE;
		else if (len > 11 && !memcmp(text, "anon_inode:", 11))
			l.kind = PD_LINK_ANON;
		else
			l.kind = PD_LINK_OTHER;
		l.path_len = len;
		*ret_link = l;
		return 0;
	}
	l.path_len = len;
	if (len > sl && !memcmp(text + len - sl, PD_DELETED_SUFFIX, sl)) {
		l.deleted = true;
		l.path_len = len - sl;
	}
	*ret_link = l;
	return 0;
}

int pd_link_truncated_path(const char *mount, char **ret_path,
			   size_t *ret_len)
{
	static const char mark[] = "..." PD_TRUNCATED_SUFFIX;
	size_t ml = mount ? strlen(mount) : 0, len;
	char *p;

	/* "/" + "..." rather than "//..." */
	if (ml && mount[ml - 1] == '/')
		ml--;
	len = ml + (mount ? 1 : 0) + sizeof(mark) - 1;
	p = malloc(len + 1);
	if (!p)
		return -ENOMEM;
	memcpy(p, mount ? mount : "", ml);
	if (mount)
		p[ml] = '/';
	memcpy(p + ml + (mount ? 1 : 0), mark, sizeof(mark));
	*ret_path = p;
	*ret_len = len;
	return 0;
}

bool pd_path_is_nfs_silly(const char *path, size_t len)
{
	const char *base = path;
	size_t i, blen;

	for (i = 0; i < len; i++)
		if (path[i] == '/')
			base = path + i + 1;
	blen = (size_t)(path + len - base);
	/*
	 * nfs_sillyrename() names files ".nfs" + 16 + 8 lower-case hex digits
	 * (file id, counter). Anything shorter is a user's own ".nfs..." file,
	 * which must not pass for deleted.
	 */
	if (blen != 4 + 16 + 8 || memcmp(base, ".nfs", 4) != 0)
		return false;
	for (i = 4; i < blen; i++) {
		char c = base[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

static bool fdinfo_field(const char *line, size_t n, const char *key,
			 int base, uint64_t *ret)
{
	size_t kl = strlen(key);
	uint64_t v = 0;
	size_t i;
	bool any = false;

	if (n < kl || memcmp(line, key, kl) != 0)
		return false;
	for (i = kl; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	for (; i < n; i++) {
		unsigned d;

		if (line[i] >= '0' && line[i] <= '9')
			d = (unsigned)(line[i] - '0');
		else
			break;
		if (d >= (unsigned)base)
			return false;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + d;
		any = true;
	}
	if (!any)
		return false;
	*ret = v;
	return true;
}

int pd_fdinfo_parse(const char *buf, size_t len, struct pd_fdinfo *ret_info)
{
	struct pd_fdinfo fi = { .mnt_id = -1 };
	const char *p = buf, *end = buf + len;
	bool has_pos = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t v;

		if (fdinfo_field(p, n, "pos:", 10, &v)) {
			fi.pos = v;
			has_pos = true;
		} else if (fdinfo_field(p, n, "flags:", 8, &v)) {
			fi.flags = (unsigned)v;
		} else if (fdinfo_field(p, n, "mnt_id:", 10, &v)) {
			if (v <= INT_MAX)
				fi.mnt_id = (int)v;
		} else if (fdinfo_field(p, n, "ino:", 10, &v)) {
			fi.ino = v;
		}
		p = nl ? nl + 1 : end;
	}
	if (!has_pos)
		return -EINVAL;
	*ret_info = fi;
	return 0;
}

/* Copy the value of a "key:\tVALUE" line (blanks after the colon
 * skipped) into BUF, cut to BUFSZ - 1 bytes. */
static bool fdinfo_text(const char *line, size_t n, const char *key,
			char *buf, size_t bufsz)
{
	size_t kl = strlen(key), i, vl;

	if (n < kl || memcmp(line, key, kl) != 0)
		return false;
	for (i = kl; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	vl = n - i;
	if (vl > bufsz - 1)
		vl = bufsz - 1;
	memcpy(buf, line + i, vl);
	buf[vl] = '\0';
	return true;
}

int pd_dmabuf_fdinfo_parse(const char *buf, size_t len,
			   struct pd_dmabuf_info *ret_info)
{
	struct pd_dmabuf_info di = { 0 };
	const char *p = buf, *end = buf + len;
	bool has_size = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t v;

		if (fdinfo_field(p, n, "size:", 10, &v)) {
			di.size = v;
			has_size = true;
		} else if (fdinfo_field(p, n, "count:", 10, &v)) {
			di.count = v;
		} else if (fdinfo_text(p, n, "exp_name:", di.exp_name,
				       sizeof(di.exp_name))) {
			di.has_exp_name = true;
		} else if (fdinfo_text(p, n, "name:", di.name,
				       sizeof(di.name))) {
			di.has_name = true;
		}
		p = nl ? nl + 1 : end;
	}
	if (!has_size)
		return -EINVAL;
	*ret_info = di;
	return 0;
}

/* getdents64 record; glibc 2.36 has getdents64() but no struct for it. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * A raw getdents64 loop rather than fdopendir(): readdir's fstat and two
 * fcntl calls per directory are a third of the cost of a small fd table.
 */
struct pd_fdtab {
	int dirfd;
	size_t pos, len;
	bool eof;
	char link[PATH_MAX + 1];
	char buf[32768] __attribute__((aligned(8)));
};

int pd_fdtab_open(int pidfd, struct pd_fdtab **ret_tab)
{
	struct pd_fdtab *tab;
	int fd;

	fd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	tab = malloc(sizeof(*tab));
	if (!tab) {
		close(fd);
		return -ENOMEM;
	}
	tab->dirfd = fd;
	tab->pos = tab->len = 0;
	tab->eof = false;
	*ret_tab = tab;
	return 0;
}

void pd_fdtab_free(struct pd_fdtab *tab)
{
	if (!tab)
		return;
	close(tab->dirfd);
	free(tab);
}

int pd_fdtab_dirfd(const struct pd_fdtab *tab)
{
	return tab->dirfd;
}

/* The next directory entry name, or NULL at the end; -errno in *ret_err. */
static const char *next_name(struct pd_fdtab *tab, int *ret_err)
{
	const struct linux_dirent64 *de;

	*ret_err = 0;
	while (tab->pos >= tab->len) {
		long n;

		if (tab->eof)
			return NULL;
		n = syscall(SYS_getdents64, tab->dirfd, tab->buf,
			    sizeof(tab->buf));
		if (n < 0) {
			*ret_err = -errno;
			return NULL;
		}
		if (n == 0) {
			tab->eof = true;
			return NULL;
		}
		tab->pos = 0;
		tab->len = (size_t)n;
	}
	de = (const struct linux_dirent64 *)(tab->buf + tab->pos);
	tab->pos += de->d_reclen;
	return de->d_name;
}

int pd_fdtab_next(struct pd_fdtab *tab, int *ret_fd, const char **ret_text,
		  size_t *ret_len)
{
	for (;;) {
		const char *name;
		char *e;
		long fd;
		int n, err;

		name = next_name(tab, &err);
		if (!name)
			return err ? err : 1;
		if (name[0] < '0' || name[0] > '9')
			continue;
		fd = strtol(name, &e, 10);
		if (*e || fd < 0 || fd > INT_MAX)
			continue;
		n = pd_readlink_at(tab->dirfd, name, tab->link,
				   sizeof(tab->link));
		if (n == -ENOENT)
			continue;	/* closed since the directory was read */
		if (n == -ENAMETOOLONG) {
			/* a path past PATH_MAX: no text, the fd still is */
			tab->link[0] = '\0';
			n = 0;
		}
		if (n < 0)
			return n;
		*ret_fd = (int)fd;
		*ret_text = tab->link;
		*ret_len = (size_t)n;
		return 0;
	}
}
