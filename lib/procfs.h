/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfs: the only place that builds /proc paths; honours --proc-root. */
#ifndef PD_PROCFS_H
#define PD_PROCFS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The proc root when --proc-root is not given. */
#define PD_PROC_ROOT "/proc"

/* Reads of /proc files are bounded: no file we parse should exceed this. */
#define PD_READ_LIMIT (64u << 20)

/*
 * The error of a read of a --proc-root tree's file that is not a regular
 * file (a FIFO, a device, a directory, a symlink): the tree is broken.
 * pd_procfs_bad_file() names the file.
 */
#define PD_ENOTREG EMEDIUMTYPE

/*
 * What a scan skipped, by cause, so a tool can warn once per cause. A pid
 * that vanished is not an error; it is counted only for tests and -v.
 */
struct pd_scanstats {
	unsigned procs;		/* pids looked at */
	unsigned vanished;	/* exited during the scan (ENOENT/ESRCH) */
	unsigned denied;	/* EACCES/EPERM on something we needed */
	unsigned failed;	/* any other error */
	int first_error;	/* the first "failed" errno, positive */
};

struct pd_procfs;

/*
 * Open the proc root ROOT (NULL means "/proc"). A tree that holds a file
 * named "procdiag-capture" at its top is a captured tree: stats of links in
 * it come from the per-pid "linkstat" side file (see tests/fixtures/README.md)
 * since the kernel's magic links cannot be captured. Returns 0, or -errno of
 * opening ROOT. Free with pd_procfs_free().
 */
int pd_procfs_new(const char *root, struct pd_procfs **ret_pfs);
void pd_procfs_free(struct pd_procfs *pfs);

const char *pd_procfs_root(const struct pd_procfs *pfs);
bool pd_procfs_is_captured(const struct pd_procfs *pfs);
/* Is the root a live procfs (the kernel's, not a tree of files)? */
bool pd_procfs_is_live(const struct pd_procfs *pfs);
/* Is FD on a procfs? */
bool pd_fd_is_procfs(int fd);
/* Directory fd of the root itself (owned by PFS). */
int pd_procfs_rootfd(const struct pd_procfs *pfs);

/*
 * The pids (numeric top-level entries) of the root, ascending. *ret_pids is
 * malloc'ed and freed by the caller. Returns 0 or -errno.
 */
int pd_procfs_list_pids(struct pd_procfs *pfs, pid_t **ret_pids,
			size_t *ret_n);

/*
 * Does the root hold a pid at all? Stops at the first one. Returns 1, 0
 * (an empty directory, "/", "/sys", the directory above a tree: not a
 * proc root), or -errno.
 */
int pd_procfs_has_pids(struct pd_procfs *pfs);

/*
 * Open the directory of PID (O_RDONLY|O_DIRECTORY|O_CLOEXEC; in a tree that
 * is not the live /proc, not through a symlink: -ENOTDIR); the caller closes
 * *ret_fd. -ENOENT/-ESRCH mean the process is gone.
 */
int pd_procfs_open_pid(struct pd_procfs *pfs, pid_t pid, int *ret_fd);

/*
 * Read the file NAME under DIRFD whole, up to LIMIT bytes, retrying on EINTR.
 * *ret_buf is malloc'ed, NUL-terminated (caller frees); *ret_len excludes the
 * NUL. Returns 0, -EFBIG past LIMIT, or -errno.
 */
int pd_read_at(int dirfd, const char *name, size_t limit, char **ret_buf,
	       size_t *ret_len);

/*
 * Open the file NAME of PFS for reading: NAME under DIRFD, a directory of
 * the proc root (the root, a pid's, a task's). From a live procfs just so
 * (O_RDONLY|O_CLOEXEC|O_NOCTTY). In any other tree the file must be a
 * regular file reached through no symlink; it is opened with O_NONBLOCK,
 * and what is not a regular file (a FIFO, a device, a link to /dev/tty or
 * /dev/watchdog, a directory) is never opened: -PD_ENOTREG. A fatal error
 * (pd_err_is_fatal()) is also kept in PFS (pd_procfs_error()). PFS NULL:
 * a plain open (a file outside any proc root). The caller closes *ret_fd.
 * Returns 0 or -errno.
 */
int pd_procfs_open_at(struct pd_procfs *pfs, int dirfd, const char *name,
		      int *ret_fd);

/* As pd_read_at(), with the open of pd_procfs_open_at(). */
int pd_procfs_read_at(struct pd_procfs *pfs, int dirfd, const char *name,
		      size_t limit, char **ret_buf, size_t *ret_len);

/* As pd_procfs_read_at() on a path relative to the proc root ("meminfo"). */
int pd_procfs_read(struct pd_procfs *pfs, const char *name, size_t limit,
		   char **ret_buf, size_t *ret_len);

/*
 * Is ERR (negative errno) the tool's own failure rather than the state of
 * a process: out of file descriptors (EMFILE, ENFILE), out of memory, or
 * a broken tree (PD_ENOTREG)? Never data: a scan stops on it.
 */
bool pd_err_is_fatal(int err);

/*
 * The first fatal error that an operation of PFS met (negative), even one
 * a scan skipped as if the process had closed a file meanwhile; 0 if none.
 * A scan checks it after each process.
 */
int pd_procfs_error(const struct pd_procfs *pfs);

/* The path of the first file of the tree found not to be a regular file
 * (with -PD_ENOTREG), or NULL. Owned by PFS. */
const char *pd_procfs_bad_file(const struct pd_procfs *pfs);

/*
 * As pd_read_at() on NAME under this process's own entry of the live proc
 * ("/proc/self/NAME"), whatever the proc root: "mountinfo" is the mount
 * table that holds the proc root itself.
 */
int pd_procfs_read_self(const char *name, size_t limit, char **ret_buf,
			size_t *ret_len);

/*
 * Read the link NAME under DIRFD into BUF (BUFSZ bytes), NUL-terminated.
 * Returns the text length, or -errno (-ENAMETOOLONG if it does not fit).
 */
int pd_readlink_at(int dirfd, const char *name, char *buf, size_t bufsz);

/*
 * Stat what the magic link REL ("fd/3", "map_files/7f..-7f..", "cwd", "exe")
 * under the pid directory PIDFD points to. Following the link may touch
 * the file system of the target: callers that cannot trust it use statq.
 * In a captured tree the answer comes from the pid's "linkstat" file.
 * Returns 0 or -errno.
 */
int pd_procfs_stat_link(struct pd_procfs *pfs, int pidfd, const char *rel,
			struct stat *ret_st);

/*
 * The seals (F_GET_SEALS) of the memfd that fd FD of the process PIDFD
 * holds, through a read-only reopen of its fd/ link that is closed at once.
 * Call it for memfds only (an fd on the kernel's internal shm or hugetlbfs
 * mount): reopening a FIFO or a device has side effects. In a captured
 * tree the answer comes from the pid's "fdseals" file. Returns 0, -EINVAL
 * (the file takes no seals), or -errno.
 */
int pd_procfs_fd_seals(struct pd_procfs *pfs, int pidfd, int fd,
		       unsigned *ret_seals);

/*
 * Record error ERR (negative errno) of a per-process read in STATS, once
 * per process. Returns 0, or ERR itself, uncounted, when it is fatal
 * (pd_err_is_fatal()): the scan must stop.
 */
int pd_scanstats_count(struct pd_scanstats *stats, int err);

/* Is ERR (negative errno) the sign of a process that exited? */
bool pd_err_is_gone(int err);

#endif
