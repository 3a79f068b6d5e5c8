/* SPDX-License-Identifier: GPL-2.0-or-later */
/* proc: who a process is (stat, status, cmdline, cgroup): parsers + reader. */
#include "proc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pd_stat_parse(const char *buf, size_t len, struct pd_stat *ret_st)
{
	const char *open, *close, *p, *end = buf + len;
	struct pd_stat st;
	unsigned long long v;
	size_t n;
	int field;
	char *e;

	memset(&st, 0, sizeof(st));
	open = memchr(buf, '(', len);
	if (!open)
		return -EINVAL;
	/* comm may itself hold ')': the last one in the line closes it. */
	close = NULL;
	for (p = end; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!close)
		return -EINVAL;
	v = strtoull(buf, &e, 10);
	if (e == buf || v > INT32_MAX)
		return -EINVAL;
	st.pid = (pid_t)v;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st.comm))
		n = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, n);
	st.comm[n] = '\0';

	/* Fields after comm: 3 state, 4 ppid, ..., 9 flags. */
	p = close + 1;
	for (field = 3; field <= 9; field++) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return -EINVAL;
		if (field == 3) {
			st.state = *p;
			p++;
			continue;
		}
		errno = 0;
		v = strtoull(p, &e, 10);
		if (e == p || errno)
			return -EINVAL;
		/* e may run past the buffer only if it is not NUL-terminated;
		 * callers pass text from pd_read_at(), which is. */
		if (field == 4)
			st.ppid = (pid_t)v;
		else if (field == 9)
			st.flags = (unsigned long)v;
		p = e;
	}
	*ret_st = st;
	return 0;
}

static bool status_kb(const char *line, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);
	unsigned long long v;
	char *e;

	if (strncmp(line, key, kl) != 0)
		return false;
	errno = 0;
	v = strtoull(line + kl, &e, 10);
	if (e == line + kl || errno)
		return false;
	*ret = (uint64_t)v * 1024;
	return true;
}

int pd_status_parse(const char *buf, size_t len, struct pd_proc_status *ret_st)
{
	const char *p = buf, *end = buf + len;
	struct pd_proc_status st;
	char line[256];

	memset(&st, 0, sizeof(st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;

		if (strncmp(line, "Uid:", 4) == 0) {
			char *e;
			unsigned long long v;

			errno = 0;
			v = strtoull(line + 4, &e, 10);
			if (e != line + 4 && !errno && v <= UINT32_MAX) {
				st.uid = (uid_t)v;
				st.has_uid = true;
			}
		} else if (status_kb(line, "VmRSS:", &st.vm_rss)) {
			st.has_vm = true;
		} else if (!status_kb(line, "RssAnon:", &st.rss_anon) &&
			   !status_kb(line, "RssFile:", &st.rss_file) &&
			   !status_kb(line, "RssShmem:", &st.rss_shmem) &&
			   !status_kb(line, "VmSwap:", &st.vm_swap)) {
			status_kb(line, "VmPTE:", &st.vm_pte);
		}
	}
	if (!st.has_uid)
		return -EINVAL;
	*ret_st = st;
	return 0;
}

int pd_cgroup_parse(const char *buf, size_t len, char **ret_path)
{
	const char *p = buf, *end = buf + len;
	const char *best = NULL;
	size_t best_len = 0;
	int best_rank = 0;

	/* Lines are "ID:CONTROLLERS:PATH"; PATH may hold ':'. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1, *c2;
		int rank = 0;

		c1 = memchr(p, ':', (size_t)(le - p));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		if (c2 && c2 + 1 < le) {
			size_t clen = (size_t)(c2 - c1 - 1);
			const char *ctl = c1 + 1;

			/*
			 * A v1 memory line wins even beside a v2 one: on a
			 * hybrid host the memory controller, and so every
			 * limit these tools care about, lives in v1.
			 */
			if (c1 - p == 1 && p[0] == '0' && clen == 0)
				rank = 2;
			else if (clen > 0) {
				const char *q = ctl;

				/* controllers are comma-separated */
				while (q < c2) {
					const char *comma = memchr(q, ',', (size_t)(c2 - q));
					const char *ce = comma ? comma : c2;

					if (ce - q == 6 && !memcmp(q, "memory", 6))
						rank = 3;
					else if (ce - q == 12 && !memcmp(q, "name=systemd", 12))
						rank = rank > 1 ? rank : 1;
					q = ce + 1;
				}
			}
			if (rank > best_rank) {
				best_rank = rank;
				best = c2 + 1;
				best_len = (size_t)(le - best);
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (!best)
		return best_rank ? -EINVAL : -ENOENT;
	*ret_path = strndup(best, best_len);
	return *ret_path ? 0 : -ENOMEM;
}

static bool is_unit_name(const char *s, size_t n)
{
	static const char *const suffixes[] = {
		".service", ".scope", ".socket", ".mount", ".swap", ".slice",
	};
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);

		if (n > sl && !memcmp(s + n - sl, suffixes[i], sl))
			return true;
	}
	return false;
}

int pd_cgroup_unit(const char *path, char **ret_unit)
{
	const char *p = path, *best = NULL, *slice = NULL;
	size_t best_len = 0, slice_len = 0;

	/*
	 * The innermost .service/.scope/... wins: inside user@.service the
	 * user's own units live below it. A process sitting directly in a
	 * slice (rare) gets the slice.
	 */
	while (*p) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);

		if (n && is_unit_name(p, n)) {
			if (n > 6 && !memcmp(p + n - 6, ".slice", 6)) {
				slice = p;
				slice_len = n;
			} else {
				best = p;
				best_len = n;
			}
		}
		if (!s)
			break;
		p = s + 1;
	}
	if (!best) {
		best = slice;
		best_len = slice_len;
	}
	if (!best)
		return -ENOENT;
	*ret_unit = strndup(best, best_len);
	return *ret_unit ? 0 : -ENOMEM;
}

int pd_cmdline_parse(const char *buf, size_t len, char **ret)
{
	char *s;
	size_t i;

	while (len && buf[len - 1] == '\0')
		len--;
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		s[i] = buf[i] ? buf[i] : ' ';
	s[len] = '\0';
	*ret = s;
	return 0;
}

void pd_proc_release(struct pd_proc *proc)
{
	if (!proc)
		return;
	free(proc->cmdline);
	free(proc->cgroup);
	free(proc->unit);
	proc->cmdline = proc->cgroup = proc->unit = NULL;
}

int pd_proc_read(struct pd_procfs *pfs, int pidfd, pid_t pid, unsigned what,
		 struct pd_proc *ret_proc)
{
	struct pd_proc p;
	char *buf = NULL;
	size_t len;
	int r;

	memset(&p, 0, sizeof(p));
	p.pid = pid;
	if (what & PD_PROC_STAT) {
		struct pd_stat st;

		r = pd_procfs_read_at(pfs, pidfd, "stat", 4096, &buf, &len);
		if (r < 0)
			goto out_fail;
		r = pd_stat_parse(buf, len, &st);
		free(buf);
		buf = NULL;
		if (r < 0)
			goto out_fail;
		memcpy(p.comm, st.comm, sizeof(p.comm));
		p.ppid = st.ppid;
		p.state = st.state;
		p.kthread = (st.flags & PD_PF_KTHREAD) != 0;
	}
	if (what & PD_PROC_STATUS) {
		r = pd_procfs_read_at(pfs, pidfd, "status", 1u << 16, &buf,
				      &len);
		if (r < 0)
			goto out_fail;
		r = pd_status_parse(buf, len, &p.status);
		free(buf);
		buf = NULL;
		if (r < 0)
			goto out_fail;
	}
	if (what & PD_PROC_CMDLINE) {
		r = pd_procfs_read_at(pfs, pidfd, "cmdline", 1u << 20, &buf,
				      &len);
		if (r < 0)
			goto out_fail;
		r = pd_cmdline_parse(buf, len, &p.cmdline);
		free(buf);
		buf = NULL;
		if (r < 0)
			goto out_fail;
	}
	if (what & PD_PROC_CGROUP) {
		r = pd_procfs_read_at(pfs, pidfd, "cgroup", 1u << 16, &buf,
				      &len);
		if (r < 0)
			goto out_fail;
		r = pd_cgroup_parse(buf, len, &p.cgroup);
		free(buf);
		buf = NULL;
		if (r == -ENOENT)
			r = 0;
		if (r < 0)
			goto out_fail;
		if (p.cgroup) {
			r = pd_cgroup_unit(p.cgroup, &p.unit);
			if (r == -ENOENT)
				r = 0;
			if (r < 0)
				goto out_fail;
		}
	}
	*ret_proc = p;
	return 0;

out_fail:
	pd_proc_release(&p);
	return r;
}

/*
 * In the live procfs, the thread's own top-level directory /proc/TID in
 * place of task/TID/ (*TFD, closed here): only a tgid-style directory
 * has map_files/ (fs/proc/base.c: tid_base_stuff[] has none), and
 * proc_pid_lookup() finds a thread's id there too, though readdir does not
 * list it. TASKFD is the process's task/ directory: TID must still be in
 * it once /proc/TID is open, or the id went to another process. Returns
 * 0 with *TFD replaced (-1 on error), or -errno.
 */
static int open_tid_dir(struct pd_procfs *pfs, int taskfd, pid_t tid,
			int *tfd)
{
	char name[16];
	struct stat st;
	int fd, r;

	r = pd_procfs_open_pid(pfs, tid, &fd);
	close(*tfd);
	*tfd = -1;
	if (r < 0)
		return r;
	snprintf(name, sizeof(name), "%d", (int)tid);
	if (fstatat(taskfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	*tfd = fd;
	return 0;
}

int pd_proc_open_live_thread(struct pd_procfs *pfs, int pidfd, pid_t pid,
			     int *ret_fd)
{
	struct dirent *de;
	DIR *dir;
	int fd, tfd, rt, r = -ESRCH;

	fd = openat(pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		struct pd_proc t;
		char *e;
		long tid;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			if (errno && pd_err_is_fatal(-errno))
				r = -errno;
			break;
		}
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		tid = strtol(de->d_name, &e, 10);
		if (*e || tid == pid || tid <= 0 || tid > INT_MAX)
			continue;
		tfd = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY |
			     O_CLOEXEC | O_NOFOLLOW);
		if (tfd < 0) {
			if (pd_err_is_fatal(-errno)) {
				r = -errno;
				break;
			}
			continue;	/* exited meanwhile */
		}
		rt = pd_proc_read(pfs, tfd, (pid_t)tid, PD_PROC_STAT, &t);
		if (rt == 0 && t.state != 'Z' && t.state != 'X' && pfs &&
		    pd_procfs_is_live(pfs))
			rt = open_tid_dir(pfs, fd, (pid_t)tid, &tfd);
		if (rt == 0 && t.state != 'Z' && t.state != 'X') {
			*ret_fd = tfd;
			r = 0;
			break;
		}
		if (tfd >= 0)
			close(tfd);
		if (pd_err_is_fatal(rt)) {
			r = rt;
			break;
		}
	}
	closedir(dir);
	return r;
}

int pd_proc_open_holder(struct pd_procfs *pfs, int pidfd, pid_t pid,
			int *ret_fd)
{
	char link[256];
	struct pd_proc p;
	int r, fd = pidfd;

	/* -ENAMETOOLONG too says the link is there */
	r = pd_readlink_at(pidfd, "cwd", link, sizeof(link));
	if (r != -ENOENT)
		goto out;
	r = pd_proc_read(pfs, pidfd, pid, PD_PROC_STAT, &p);
	if (r < 0 || p.state != 'Z')
		goto out;
	r = pd_proc_open_live_thread(pfs, pidfd, pid, &fd);
	if (r < 0)
		fd = pidfd;
out:
	if (pd_err_is_fatal(r))
		return r;
	*ret_fd = fd;
	return 0;
}

