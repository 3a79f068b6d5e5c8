/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdtab: a process's open files: fd/ link text, fdinfo, and iteration. */
#ifndef PD_FDTAB_H
#define PD_FDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the text of an fd, cwd, exe or map_files link names. */
enum pd_link_kind {
	PD_LINK_PATH,		/* "/a/path" possibly with " (deleted)" */
	PD_LINK_ANON,		/* "anon_inode:[eventfd]" and the like */
	PD_LINK_SOCKET,		/* "socket:[1234]" */
	PD_LINK_PIPE,		/* "pipe:[1234]" */
	PD_LINK_OTHER,		/* "net:[...]" and other "type:[...]" forms */
};

/* " (deleted)", which d_path() appends to an unlinked dentry's path. */
#define PD_DELETED_SUFFIX " (deleted)"

struct pd_link {
	enum pd_link_kind kind;
	bool deleted;		/* PATH ending in " (deleted)": a candidate only */
	size_t path_len;	/* length of the path without the suffix */
};

/*
 * Classify link text TEXT (LEN bytes, not necessarily NUL-terminated).
 * The " (deleted)" suffix is only a hint: a live file may carry that name,
 * so callers confirm with st_nlink == 0. Returns 0 or -EINVAL (empty).
 */
int pd_link_parse(const char *text, size_t len, struct pd_link *ret_link);

/*
 * What the PATH column says for a file whose path is longer than PATH_MAX:
 * readlink(2) of its fd/ link fails with ENAMETOOLONG (the kernel writes
 * the path into a PATH_MAX buffer), so all that is known is the mount it
 * is on. The text is MOUNT (NULL: unknown) followed by "/..." and
 * PD_TRUNCATED_SUFFIX: "/var/tmp/... (truncated)". *ret_path is malloc'ed
 * (caller frees). Returns 0 or -ENOMEM.
 */
#define PD_TRUNCATED_SUFFIX " (truncated)"
int pd_link_truncated_path(const char *mount, char **ret_path,
			   size_t *ret_len);

/* Is the last path component of PATH (LEN bytes) an NFS silly-rename
 * (".nfs" followed by hex digits)? */
bool pd_path_is_nfs_silly(const char *path, size_t len);

/* The fields of /proc/PID/fdinfo/N that the tools use. */
struct pd_fdinfo {
	uint64_t pos;
	unsigned flags;		/* octal in the file */
	int mnt_id;		/* -1 when absent (before 3.15) */
	uint64_t ino;		/* 0 when absent (before 5.14) */
};

/* Parse fdinfo text. Returns 0, or -EINVAL when it has no "pos:" line. */
int pd_fdinfo_parse(const char *buf, size_t len, struct pd_fdinfo *ret_info);

/*
 * What dma-buf adds to fdinfo (drivers/dma-buf/dma-buf.c,
 * dma_buf_show_fdinfo(), 5.3+): "size:" in bytes, "count:" (other file
 * references), "exp_name:" the exporter, and "name:" when the buffer was
 * named (DMA_BUF_SET_NAME). Strings are cut to fit.
 */
struct pd_dmabuf_info {
	uint64_t size;
	uint64_t count;
	char exp_name[64];
	char name[64];
	bool has_exp_name, has_name;
};

/* Parse dma-buf fdinfo text. Returns 0, or -EINVAL without a "size:"
 * line (not a dma-buf, or a kernel before 5.3). */
int pd_dmabuf_fdinfo_parse(const char *buf, size_t len,
			   struct pd_dmabuf_info *ret_info);

struct pd_fdtab;

/*
 * Open the fd/ directory of the process whose directory is PIDFD. Returns 0
 * or -errno (-ENOENT: gone; -EACCES: not ours). Free with pd_fdtab_free().
 */
int pd_fdtab_open(int pidfd, struct pd_fdtab **ret_tab);
void pd_fdtab_free(struct pd_fdtab *tab);

/*
 * Next open fd: its number and link text (valid until the next call).
 * Returns 0 (an item), 1 (end), or -errno. An fd closed between the
 * directory read and the readlink is skipped. Empty text (*ret_len 0)
 * means the link did not fit PATH_MAX: the kernel's readlink fails with
 * ENAMETOOLONG on a path longer than that, the only text that can be so
 * long; a stat through the link still works.
 */
int pd_fdtab_next(struct pd_fdtab *tab, int *ret_fd, const char **ret_text,
		  size_t *ret_len);

/* Directory fd of fd/ (owned by TAB), for stats relative to it. */
int pd_fdtab_dirfd(const struct pd_fdtab *tab);

#endif
