/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomscan: whom the OOM killer would pick, on the whole machine and in each
 * memory-limited cgroup, and why; the engine of oomrank. */
#include "oomscan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "coverage.h"
#include "deadscan.h"
#include "fdtab.h"
#include "meminfo.h"
#include "proc.h"
#include "users.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
/* The walk keeps one fd open per level; real trees are a dozen deep. */
#define CGROUP_DEPTH_MAX 64
/* Small control files: a number, "max", a few counters. */
#define SMALL_FILE (64u << 10)
/* cgroup.procs of the root can list every pid of the machine. */
#define PROCS_FILE (16u << 20)

/* One directory of the memory cgroup hierarchy, read once. */
struct cg {
	char *path;		/* "/" or "/a/b", as /proc/PID/cgroup says */
	size_t parent;		/* index; SIZE_MAX for the root */
	size_t end;		/* one past its last descendant (pre-order) */
	pid_t *pids;		/* cgroup.procs in the file's order: the */
	size_t npids;		/* kernel's css_task_iter order on v2 */
	bool limited;		/* a memory limit of its own */
	bool has_max;
	uint64_t max_pages;	/* memory.max; PAGE_COUNTER_MAX if "max" */
	bool has_swap;		/* the swap file exists */
	uint64_t swap_pages;	/* v2 swap.max; v1 memsw limit */
	int swappiness;		/* v1 memory.swappiness; -1: the global one */
	bool has_usage;
	uint64_t usage;
	bool has_inactive_file;
	uint64_t inactive_file;	/* memory.stat: reclaim takes it first */
	bool has_swap_usage;
	uint64_t swap_usage;	/* v2 memory.swap.current; v1 memsw - usage */
	bool has_oom_events, has_oom_kills;
	uint64_t oom_events, oom_kills;
	bool has_oom_group;
	bool oom_group;
	bool kill_disabled;
};

struct pd_oomscan {
	struct pd_procfs *pfs;
	struct pd_oomscan_opts opts;
	struct pd_users *users;
	struct pd_oomsys sys;
	struct pd_oomcheck check;
	struct pd_scanstats stats;
	struct pd_coverage *cov;
	struct pd_partial partial;

	struct pd_oomproc *procs;
	size_t nprocs, capprocs;

	struct pd_oomdomain *domains;
	size_t ndomains, capdomains;

	struct cg *cgs;
	size_t ncgs, capcgs;
	char *cgdir;		/* directory of the memory hierarchy */
	int cgversion;
	int cg_error;		/* the first fatal error of a cgroup file
				 * read (read_cg_files() cannot fail) */
};

int pd_oomscan_new(struct pd_procfs *pfs, const struct pd_oomscan_opts *opts,
		   struct pd_oomscan **ret_os)
{
	struct pd_oomscan *os;
	int r;

	os = calloc(1, sizeof(*os));
	if (!os)
		return -ENOMEM;
	os->pfs = pfs;
	os->opts = *opts;
	if (!os->opts.cgroup_root)
		os->opts.cgroup_root = CGROUP_ROOT;
	r = pd_users_new(&os->users);
	if (r < 0) {
		free(os);
		return r;
	}
	r = pd_coverage_new(pfs, &os->cov);
	if (r < 0) {
		pd_oomscan_free(os);
		return r;
	}
	pd_coverage_judge(os->cov, NULL, &os->partial);
	*ret_os = os;
	return 0;
}

void pd_oomscan_free(struct pd_oomscan *os)
{
	size_t i;

	if (!os)
		return;
	for (i = 0; i < os->nprocs; i++) {
		free(os->procs[i].cmdline);
		free(os->procs[i].cgroup);
		free(os->procs[i].unit);
	}
	free(os->procs);
	for (i = 0; i < os->ndomains; i++)
		free((void *)os->domains[i].entries);
	free(os->domains);
	for (i = 0; i < os->ncgs; i++) {
		free(os->cgs[i].path);
		free(os->cgs[i].pids);
	}
	free(os->cgs);
	free(os->cgdir);
	pd_coverage_free(os->cov);
	pd_users_free(os->users);
	free(os);
}

/* ---- small files ------------------------------------------------------- */

/* A decimal integer in [MIN, MAX], blanks around it. 0 or -EINVAL. */
static int parse_long(const char *s, long min, long max, long *ret)
{
	long v;
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	v = strtol(s, &e, 10);
	if (e == s || errno || v < min || v > max)
		return -EINVAL;
	while (isspace((unsigned char)*e))
		e++;
	if (*e)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* An unsigned decimal, or "max" (*ret_max set, *ret untouched). */
static int parse_u64_or_max(const char *s, uint64_t *ret, bool *ret_max)
{
	unsigned long long v = 0;
	bool is_max;
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	is_max = !strncmp(s, "max", 3);
	if (is_max) {
		e = (char *)s + 3;
	} else {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		v = strtoull(s, &e, 10);
		if (errno)
			return -EINVAL;
	}
	while (isspace((unsigned char)*e))
		e++;
	if (*e)
		return -EINVAL;
	*ret_max = is_max;
	if (!is_max)
		*ret = v;
	return 0;
}

/*
 * Read NAME under DIRFD: a file of the proc root when PROC (through its
 * procfs context, which keeps fatal errors), else one of the cgroup tree,
 * whose first fatal error is kept in os->cg_error.
 */
static int read_file(struct pd_oomscan *os, bool proc, int dirfd,
		     const char *name, size_t limit, char **ret_buf,
		     size_t *ret_len)
{
	int r;

	if (proc)
		return pd_procfs_read_at(os->pfs, dirfd, name, limit, ret_buf,
					 ret_len);
	r = pd_read_at(dirfd, name, limit, ret_buf, ret_len);
	if (pd_err_is_fatal(r) && !os->cg_error)
		os->cg_error = r;
	return r;
}

static int read_long_at(struct pd_oomscan *os, bool proc, int dirfd,
			const char *name, long min, long max, long *ret)
{
	char *buf;
	size_t len;
	long v;
	int r;

	r = read_file(os, proc, dirfd, name, SMALL_FILE, &buf, &len);
	if (r < 0)
		return r;
	r = parse_long(buf, min, max, &v);
	free(buf);
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

static int read_u64_at(struct pd_oomscan *os, bool proc, int dirfd,
		       const char *name, uint64_t *ret, bool *ret_max)
{
	uint64_t v = 0;
	bool is_max;
	char *buf;
	size_t len;
	int r;

	r = read_file(os, proc, dirfd, name, SMALL_FILE, &buf, &len);
	if (r < 0)
		return r;
	r = parse_u64_or_max(buf, &v, &is_max);
	free(buf);
	if (r < 0)
		return r;
	if (is_max && !ret_max)
		return -EINVAL;
	if (ret_max)
		*ret_max = is_max;
	*ret = v;
	return 0;
}

/*
 * The value of the line "KEY N" of a flat keyed file (memory.events,
 * memory.oom_control). Returns 0 or -ENOENT.
 */
static int keyed_value(const char *buf, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);
	const char *p = buf;

	while (*p) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			char *e;
			unsigned long long v;

			errno = 0;
			v = strtoull(p + kl + 1, &e, 10);
			if (e != p + kl + 1 && !errno) {
				*ret = v;
				return 0;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return -ENOENT;
}

/* A sysctl under the proc root ("sys/vm/panic_on_oom"); -1 if unreadable. */
static int read_sysctl(struct pd_oomscan *os, const char *name)
{
	char *buf;
	size_t len;
	long v;
	int r;

	r = pd_procfs_read(os->pfs, name, SMALL_FILE, &buf, &len);
	if (r < 0)
		return -1;
	r = parse_long(buf, 0, INT_MAX, &v);
	free(buf);
	return r < 0 ? -1 : (int)v;
}

int pd_oomscan_model_parse(const char *release, enum pd_oom_model *ret_model)
{
	unsigned long major, minor;
	char *e;

	if (!isdigit((unsigned char)*release))
		return -EINVAL;
	major = strtoul(release, &e, 10);
	if (*e != '.' || !isdigit((unsigned char)e[1]))
		return -EINVAL;
	minor = strtoul(e + 1, &e, 10);
	*ret_model = major > 5 || (major == 5 && minor >= 9) ?
		     PD_OOM_MODEL_5_9 : PD_OOM_MODEL_4_19;
	return 0;
}

/* ---- the machine ------------------------------------------------------- */

static int read_sys(struct pd_oomscan *os)
{
	struct pd_oomsys *sys = &os->sys;
	struct pd_meminfo *mi;
	char *buf;
	size_t len;
	long ps;
	int r;

	ps = (long)os->opts.page_size;
	if (!ps)
		ps = sysconf(_SC_PAGESIZE);
	sys->page_size = ps > 0 ? (unsigned long)ps : 4096;

	r = pd_meminfo_read(os->pfs, &mi);
	if (r < 0)
		return r;
	r = pd_meminfo_get(mi, "MemTotal", &sys->mem_total);
	if (r < 0) {
		pd_meminfo_free(mi);
		return -ENODATA;
	}
	if (pd_meminfo_get(mi, "SwapTotal", &sys->swap_total) < 0)
		sys->swap_total = 0;
	/* MemAvailable since 3.14 */
	sys->has_available = pd_meminfo_get(mi, "MemAvailable",
					    &sys->mem_available) == 0 &&
			     sys->mem_available <= sys->mem_total;
	if (pd_meminfo_get(mi, "SwapFree", &sys->swap_free) < 0 ||
	    sys->swap_free > sys->swap_total)
		sys->swap_free = sys->swap_total;
	pd_meminfo_free(mi);
	/* MemTotal is totalram_pages() and SwapTotal total_swap_pages, in
	 * kB: whole pages either way. */
	sys->totalpages = sys->mem_total / sys->page_size +
			  sys->swap_total / sys->page_size;

	sys->model = PD_OOM_MODEL_5_9;
	if (pd_procfs_read(os->pfs, "sys/kernel/osrelease", SMALL_FILE, &buf,
			   &len) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(sys->release, sizeof(sys->release), "%s", buf);
		if (!os->opts.has_model)
			pd_oomscan_model_parse(buf, &sys->model);
		free(buf);
	}
	if (os->opts.has_model)
		sys->model = os->opts.model;
	sys->panic_on_oom = read_sysctl(os, "sys/vm/panic_on_oom");
	sys->oom_kill_allocating_task =
		read_sysctl(os, "sys/vm/oom_kill_allocating_task");
	sys->overcommit_memory = read_sysctl(os, "sys/vm/overcommit_memory");
	sys->swappiness = read_sysctl(os, "sys/vm/swappiness");
	return 0;
}

/* ---- one process ------------------------------------------------------- */

/*
 * An exited leader keeps its pid while other threads run, but has no mm:
 * its status shows no Vm lines. oom_badness() goes through
 * find_lock_task_mm() to a thread that still has one; so do we, through
 * a live thread (pd_proc_open_live_thread()).
 * Returns 0 (RET_ST filled from a thread), -ENOENT, or -errno.
 */
static int thread_mm(struct pd_oomscan *os, int pidfd, pid_t pid,
		     struct pd_proc_status *ret_st)
{
	struct pd_proc_status st;
	char *buf;
	size_t len;
	int tfd, r;

	r = pd_proc_open_live_thread(os->pfs, pidfd, pid, &tfd);
	if (r < 0)
		return r == -ESRCH ? -ENOENT : r;
	r = pd_procfs_read_at(os->pfs, tfd, "status", 1u << 16, &buf, &len);
	close(tfd);
	if (r < 0)
		return pd_err_is_fatal(r) ? r : -ENOENT;
	r = pd_status_parse(buf, len, &st);
	free(buf);
	if (r < 0 || !st.has_vm)
		return -ENOENT;
	*ret_st = st;
	return 0;
}

/* Read PID into *RET_P. 0, or -errno (gone: -ENOENT/-ESRCH). */
static int read_proc(struct pd_oomscan *os, pid_t pid, struct pd_oomproc *ret_p)
{
	struct pd_oomproc p;
	struct pd_proc pp, extra;
	unsigned more = 0;
	uint64_t ks;
	int fd, r;
	long adj;

	memset(&p, 0, sizeof(p));
	r = pd_procfs_open_pid(os->pfs, pid, &fd);
	if (r < 0)
		return r;
	r = read_long_at(os, true, fd, "oom_score_adj", PD_OOM_SCORE_ADJ_MIN,
			 PD_OOM_SCORE_ADJ_MAX, &adj);
	if (r < 0)
		goto out_close;
	r = pd_proc_read(os->pfs, fd, pid, PD_PROC_STAT | PD_PROC_STATUS, &pp);
	if (r < 0)
		goto out_close;
	/* Right after status: the less time between the two reads, the less
	 * the counters move. */
	r = read_u64_at(os, true, fd, "oom_score", &ks, NULL);
	if (r == 0) {
		p.has_kernel_score = true;
		p.kernel_score = ks;
	} else if (pd_err_is_gone(r)) {
		goto out_release;
	}

	p.pid = pid;
	p.ppid = pp.ppid;
	memcpy(p.comm, pp.comm, sizeof(p.comm));
	p.state = pp.state;
	p.uid = pp.status.uid;
	p.task.init = pid == 1;
	p.task.kthread = pp.kthread;
	p.task.adj = (int)adj;
	if (!pp.kthread && !pp.status.has_vm) {
		r = thread_mm(os, fd, pid, &pp.status);
		if (pd_err_is_fatal(r))
			goto out_release;
		p.mm_from_thread = r == 0;
	}
	p.task.has_mm = pp.status.has_vm;
	p.task.anon = pp.status.rss_anon;
	p.task.file = pp.status.rss_file;
	p.task.shmem = pp.status.rss_shmem;
	p.task.swap = pp.status.vm_swap;
	p.task.pagetables = pp.status.vm_pte;
	p.reason = pd_oom_task_reason(&p.task);

	if (os->opts.want & PD_OOMSCAN_CMDLINE)
		more |= PD_PROC_CMDLINE;
	if (os->opts.want & PD_OOMSCAN_CGROUP)
		more |= PD_PROC_CGROUP;
	if (more) {
		r = pd_proc_read(os->pfs, fd, pid, more, &extra);
		if (r < 0)
			goto out_release;
		p.cmdline = extra.cmdline;
		p.cgroup = extra.cgroup;
		p.unit = extra.unit;
	}
	p.user = pd_users_name(os->users, p.uid);
	if (!p.user) {
		r = -ENOMEM;
		free(p.cmdline);
		free(p.cgroup);
		free(p.unit);
		goto out_release;
	}
	*ret_p = p;
	r = 0;

out_release:
	pd_proc_release(&pp);
out_close:
	close(fd);
	return r;
}

/* ---- ranking ----------------------------------------------------------- */

static int entry_cmp(const void *a, const void *b)
{
	const struct pd_oomentry *x = a, *y = b;

	return pd_oom_cmp(x->badness, x->pos, y->badness, y->pos);
}

/* Sort D's entries in the order the killer would pick them; rank them. */
static void rank_domain(struct pd_oomdomain *d, struct pd_oomentry *e)
{
	size_t i;

	qsort(e, d->nentries, sizeof(*e), entry_cmp);
	for (i = 0; i < d->nentries && e[i].badness != PD_OOM_NEVER; i++) {
		e[i].rank = (unsigned)i + 1;
		if (i + 1 < d->nentries && e[i + 1].badness != PD_OOM_NEVER) {
			e[i].has_margin = true;
			e[i].margin = (uint64_t)(e[i].badness -
						 e[i + 1].badness);
		}
	}
	d->ncandidates = i;
	d->entries = e;
}

static int add_domain(struct pd_oomscan *os, struct pd_oomdomain **ret_d)
{
	int r;

	r = pd_array_grow((void **)&os->domains, &os->capdomains, os->ndomains,
		 sizeof(*os->domains));
	if (r < 0)
		return r;
	*ret_d = &os->domains[os->ndomains++];
	memset(*ret_d, 0, sizeof(**ret_d));
	return 0;
}

/*
 * Domain 0. select_bad_process() walks for_each_process(): thread-group
 * leaders in fork order, which is ascending pid order until pid_max
 * wraps; /proc lists them by pid, and we take that as the scan order.
 */
static int rank_machine(struct pd_oomscan *os)
{
	struct pd_oomdomain *d;
	struct pd_oomentry *e;
	size_t i;
	int r;

	r = add_domain(os, &d);
	if (r < 0)
		return r;
	d->totalpages = os->sys.totalpages;
	if (os->sys.has_available) {
		d->has_use = true;
		d->use = os->sys.mem_total - os->sys.mem_available +
			 os->sys.swap_total - os->sys.swap_free;
		d->use_max = os->sys.mem_total + os->sys.swap_total;
	}
	e = calloc(os->nprocs ? os->nprocs : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (i = 0; i < os->nprocs; i++) {
		e[i].proc = i;
		e[i].pos = i;
		e[i].badness = os->procs[i].badness;
	}
	d->nentries = os->nprocs;
	rank_domain(d, e);
	return 0;
}

int pd_oomscan_run(struct pd_oomscan *os)
{
	pid_t *pids = NULL;
	size_t n, i;
	int r;

	r = read_sys(os);
	if (r < 0)
		return r;
	r = pd_procfs_list_pids(os->pfs, &pids, &n);
	if (r < 0)
		return r;
	r = pd_coverage_set_listed(os->cov, pids, n);
	if (r < 0)
		goto out_free;
	for (i = 0; i < n; i++) {
		struct pd_oomproc *p;

		os->stats.procs++;
		r = pd_array_grow((void **)&os->procs, &os->capprocs, os->nprocs,
			 sizeof(*os->procs));
		if (r < 0)
			goto out_free;
		p = &os->procs[os->nprocs];
		r = read_proc(os, pids[i], p);
		/* a fatal error that a read skipped */
		if (r == 0)
			r = pd_procfs_error(os->pfs);
		if (r < 0) {
			int err = r;

			r = pd_scanstats_count(&os->stats, err);
			if (r == 0 && !pd_err_is_gone(err))
				r = pd_coverage_add_unread(os->cov, -1,
							   pids[i], err);
			if (r < 0)
				goto out_free;
			continue;
		}
		p->badness = pd_oom_task_badness(&p->task,
						 os->sys.totalpages,
						 os->sys.page_size,
						 os->sys.model);
		p->score = pd_oom_score(p->badness, os->sys.totalpages,
					os->sys.model);
		if (p->has_kernel_score) {
			uint64_t diff = p->score > p->kernel_score ?
					p->score - p->kernel_score :
					p->kernel_score - p->score;

			os->check.compared++;
			if (diff) {
				os->check.differ++;
				if (diff > os->check.max_diff)
					os->check.max_diff = diff;
			}
		}
		os->nprocs++;
	}
	pd_coverage_judge(os->cov, NULL, &os->partial);
	r = rank_machine(os);

out_free:
	free(pids);
	return r;
}

/* ---- memory cgroups ---------------------------------------------------- */

/* PAGE_COUNTER_MAX of include/linux/page_counter.h on 64-bit. */
static uint64_t page_counter_max(const struct pd_oomscan *os)
{
	return (uint64_t)LONG_MAX / os->sys.page_size;
}

/* Does the flat list (cgroup.controllers) BUF hold the word "memory"? */
static bool has_memory_word(const char *buf)
{
	const char *p = buf;

	while ((p = strstr(p, "memory"))) {
		bool start = p == buf || isspace((unsigned char)p[-1]);
		bool end = !p[6] || isspace((unsigned char)p[6]);

		if (start && end)
			return true;
		p += 6;
	}
	return false;
}

static bool v2_has_memory(int dirfd, const char *name)
{
	char *buf;
	size_t len;
	bool yes;

	if (pd_read_at(dirfd, name, SMALL_FILE, &buf, &len) < 0)
		return false;
	yes = has_memory_word(buf);
	free(buf);
	return yes;
}

/*
 * Find the memory hierarchy under ROOTFD: cgroup v2 with the memory
 * controller at the top or in "unified/" (hybrid), the v1 "memory"
 * hierarchy, or ROOT being the v1 memory hierarchy itself. Returns 0 with
 * *ret_sub (relative, "." for the root) and *ret_version, or -ENOMEDIUM.
 */
static int find_hierarchy(int rootfd, const char **ret_sub, int *ret_version)
{
	if (v2_has_memory(rootfd, "cgroup.controllers")) {
		*ret_sub = ".";
		*ret_version = 2;
	} else if (faccessat(rootfd, "memory/memory.limit_in_bytes", F_OK,
			     0) == 0) {
		*ret_sub = "memory";
		*ret_version = 1;
	} else if (faccessat(rootfd, "memory.limit_in_bytes", F_OK, 0) == 0) {
		*ret_sub = ".";
		*ret_version = 1;
	} else if (v2_has_memory(rootfd, "unified/cgroup.controllers")) {
		*ret_sub = "unified";
		*ret_version = 2;
	} else {
		return -ENOMEDIUM;
	}
	return 0;
}

/* The pids of cgroup.procs, in its order. */
static int read_procs(int dirfd, pid_t **ret_pids, size_t *ret_n)
{
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;
	char *buf, *p, *e;
	size_t len;
	int r;

	r = pd_read_at(dirfd, "cgroup.procs", PROCS_FILE, &buf, &len);
	if (r < 0)
		return r;
	for (p = buf; *p; p = e) {
		long v;

		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		errno = 0;
		v = strtol(p, &e, 10);
		if (e == p || errno || v <= 0 || v > INT32_MAX) {
			r = -EINVAL;
			goto out_free;
		}
		r = pd_array_grow((void **)&pids, &cap, n, sizeof(*pids));
		if (r < 0)
			goto out_free;
		pids[n++] = (pid_t)v;
	}
	*ret_pids = pids;
	*ret_n = n;
	pids = NULL;
	r = 0;

out_free:
	free(pids);
	free(buf);
	return r;
}

/* The inactive file pages of memory.stat (KEY: the hierarchical count),
 * into C. */
static void read_inactive_file(struct pd_oomscan *os, int dirfd,
			       const char *key, struct cg *c)
{
	char *buf;
	size_t len;

	if (read_file(os, false, dirfd, "memory.stat", SMALL_FILE, &buf,
		      &len) < 0)
		return;
	c->has_inactive_file = keyed_value(buf, key, &c->inactive_file) == 0;
	free(buf);
}

/* The memory files of cgroup C (directory DIRFD). Missing ones stay unset. */
static void read_cg_files(struct pd_oomscan *os, int dirfd, struct cg *c)
{
	uint64_t pcmax = page_counter_max(os), v;
	unsigned long ps = os->sys.page_size;
	bool is_max;
	char *buf;
	size_t len;
	long l;

	c->swappiness = -1;
	c->max_pages = pcmax;
	c->swap_pages = pcmax;
	if (os->cgversion == 2) {
		if (read_u64_at(os, false, dirfd, "memory.max", &v,
				&is_max) == 0) {
			c->has_max = !is_max;
			if (!is_max)
				c->max_pages = v / ps;
		}
		if (read_u64_at(os, false, dirfd, "memory.swap.max", &v,
				&is_max) == 0) {
			c->has_swap = !is_max;
			if (!is_max)
				c->swap_pages = v / ps;
		}
		c->has_usage = read_u64_at(os, false, dirfd, "memory.current",
					   &c->usage, NULL) == 0;
		c->has_swap_usage = read_u64_at(os, false, dirfd,
						"memory.swap.current",
						&c->swap_usage, NULL) == 0;
		read_inactive_file(os, dirfd, "inactive_file", c);
		if (read_file(os, false, dirfd, "memory.events", SMALL_FILE,
			      &buf, &len) == 0) {
			c->has_oom_events = keyed_value(buf, "oom",
							&c->oom_events) == 0;
			c->has_oom_kills = keyed_value(buf, "oom_kill",
						       &c->oom_kills) == 0;
			free(buf);
		}
		if (read_long_at(os, false, dirfd, "memory.oom.group", 0, 1,
				 &l) == 0) {
			c->has_oom_group = true;
			c->oom_group = l == 1;
		}
		c->limited = c->has_max;
		return;
	}
	if (read_u64_at(os, false, dirfd, "memory.limit_in_bytes", &v,
			NULL) == 0 &&
	    v / ps < pcmax) {
		c->has_max = true;
		c->max_pages = v / ps;
	}
	if (read_u64_at(os, false, dirfd, "memory.memsw.limit_in_bytes", &v,
			NULL) == 0 &&
	    v / ps < pcmax) {
		c->has_swap = true;
		c->swap_pages = v / ps;
	}
	c->has_usage = read_u64_at(os, false, dirfd, "memory.usage_in_bytes",
				   &c->usage, NULL) == 0;
	/* v1 counts memory and swap together in memsw */
	if (c->has_usage && read_u64_at(os, false, dirfd,
					"memory.memsw.usage_in_bytes", &v,
					NULL) == 0 && v >= c->usage) {
		c->has_swap_usage = true;
		c->swap_usage = v - c->usage;
	}
	read_inactive_file(os, dirfd, "total_inactive_file", c);
	if (read_file(os, false, dirfd, "memory.oom_control", SMALL_FILE,
		      &buf, &len) == 0) {
		c->has_oom_kills = keyed_value(buf, "oom_kill",
					       &c->oom_kills) == 0;
		c->kill_disabled = keyed_value(buf, "oom_kill_disable", &v) ==
				   0 && v == 1;
		free(buf);
	}
	if (read_long_at(os, false, dirfd, "memory.swappiness", 0, 200,
			 &l) == 0)
		c->swappiness = (int)l;
	/* A memsw limit alone also ends in an OOM of this cgroup. */
	c->limited = c->has_max || c->has_swap;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the subdirectories of DIRFD, sorted (the caller frees). */
static int list_subdirs(int dirfd, char ***ret_names, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		struct stat st;

		de = readdir(dir);
		if (!de)
			break;
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_UNKNOWN) {
			if (fstatat(dirfd, de->d_name, &st,
				    AT_SYMLINK_NOFOLLOW) < 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
		} else if (de->d_type != DT_DIR) {
			continue;
		}
		r = pd_array_grow((void **)&names, &cap, n, sizeof(*names));
		if (r < 0)
			goto out_free;
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			r = -ENOMEM;
			goto out_free;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	*ret_names = names;
	*ret_n = n;
	names = NULL;

out_free:
	if (names) {
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	closedir(dir);
	return r;
}

/*
 * Read the cgroup at DIRFD (path PATH, parent PARENT) and, depth first,
 * its children, siblings by name: a pre-order list, so a cgroup's subtree
 * is the run of entries up to its "end". The kernel walks siblings in
 * creation order, which no file shows; only ties depend on it.
 */
static int walk(struct pd_oomscan *os, int dirfd, const char *path,
		size_t parent, unsigned depth)
{
	char **names = NULL;
	size_t idx, n = 0, i;
	struct cg *c;
	int r;

	r = pd_array_grow((void **)&os->cgs, &os->capcgs, os->ncgs, sizeof(*os->cgs));
	if (r < 0)
		return r;
	idx = os->ncgs;
	c = &os->cgs[idx];
	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	if (!c->path)
		return -ENOMEM;
	c->parent = parent;
	os->ncgs++;
	read_cg_files(os, dirfd, c);
	if (os->cg_error)
		return os->cg_error;
	r = read_procs(dirfd, &c->pids, &c->npids);
	if (pd_err_is_fatal(r))
		return r;

	r = list_subdirs(dirfd, &names, &n);
	if (r < 0) {
		/* A cgroup removed under us has no children to walk. */
		os->cgs[idx].end = os->ncgs;
		return pd_err_is_fatal(r) ? r : 0;
	}
	for (i = 0; i < n; i++) {
		char *child;
		int cfd;

		if (depth + 1 > CGROUP_DEPTH_MAX)
			break;
		cfd = openat(dirfd, names[i],
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (cfd < 0 && pd_err_is_fatal(-errno)) {
			r = -errno;
			break;
		}
		if (cfd < 0)
			continue;
		if (asprintf(&child, "%s%s%s", path, strcmp(path, "/") ? "/" :
			     "", names[i]) < 0) {
			close(cfd);
			r = -ENOMEM;
			break;
		}
		r = walk(os, cfd, child, idx, depth + 1);
		free(child);
		close(cfd);
		if (r < 0)
			break;
	}
	os->cgs[idx].end = os->ncgs;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/*
 * mem_cgroup_get_max(): the limit, plus the swap it may use (no more than
 * the machine has) when it may swap at all. v1 counts memory+swap (memsw),
 * so its swap share is memsw - memory, in the kernel's unsigned
 * arithmetic; a limit of 0 counts as 1 page ("?: 1").
 */
static uint64_t cg_totalpages(const struct pd_oomscan *os, const struct cg *c)
{
	uint64_t swap_total = os->sys.swap_total / os->sys.page_size;
	uint64_t max = c->max_pages, swap;
	int swappiness = c->swappiness >= 0 ? c->swappiness :
			 os->sys.swappiness;

	if (os->cgversion == 1)
		swap = c->swap_pages - c->max_pages;
	else
		swap = c->swap_pages;
	if (swappiness != 0)
		max += swap < swap_total ? swap : swap_total;
	return max ? max : 1;
}

/* The index of the process PID, or SIZE_MAX. */
static size_t proc_index(const struct pd_oomscan *os, pid_t pid)
{
	size_t lo = 0, hi = os->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (os->procs[mid].pid == pid)
			return mid;
		if (os->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/*
 * mem_cgroup_get_oom_group(): from the victim's cgroup K up to the OOM
 * domain DOM (the root for a machine-wide OOM), the highest cgroup with
 * memory.oom.group set dies as a whole.
 */
static const char *kill_group(const struct pd_oomscan *os, size_t k,
			      size_t dom)
{
	const char *g = NULL;

	for (;;) {
		if (os->cgs[k].oom_group)
			g = os->cgs[k].path;
		if (k == dom || os->cgs[k].parent == SIZE_MAX)
			break;
		k = os->cgs[k].parent;
	}
	return g;
}

/*
 * What limited cgroup L's OOM is about to run out of, into D (whose
 * totalpages is L's): its working set, and the swap it uses when the
 * swap it may use is part of totalpages. v1 with only a memsw limit runs
 * out of that limit.
 */
static void cg_use(const struct pd_oomscan *os, const struct cg *l,
		   struct pd_oomdomain *d)
{
	int swappiness = l->swappiness >= 0 ? l->swappiness :
			 os->sys.swappiness;
	uint64_t ws;

	if (!l->has_usage || !l->has_inactive_file)
		return;
	ws = l->usage > l->inactive_file ? l->usage - l->inactive_file : 0;
	d->has_use = true;
	d->use = ws;
	d->use_max = d->totalpages * os->sys.page_size;
	if (os->cgversion == 1 && !l->has_max && l->has_swap) {
		d->use += l->swap_usage;
		d->use_max = l->swap_pages * os->sys.page_size;
	} else if (swappiness != 0 && l->has_swap_usage) {
		d->use += l->swap_usage;
	}
}

/* Rank the processes of the subtree of cgroup DOM, as its OOM would. */
static int rank_cgroup(struct pd_oomscan *os, size_t dom, size_t *seen)
{
	const struct pd_oomsys *sys = &os->sys;
	struct pd_oomentry *e = NULL;
	struct pd_oomdomain *d;
	size_t k, j, n = 0, cap = 0, lim = dom;
	const struct cg *c = &os->cgs[dom];
	int r;

	r = add_domain(os, &d);
	if (r < 0)
		return r;
	while (!os->cgs[lim].limited && os->cgs[lim].parent != SIZE_MAX)
		lim = os->cgs[lim].parent;
	d->cgroup = c->path;
	d->cgroup_version = os->cgversion;
	if (os->cgs[lim].limited) {
		const struct cg *l = &os->cgs[lim];

		d->limit_cgroup = l->path;
		d->totalpages = cg_totalpages(os, l);
		d->has_limit = l->has_max;
		d->limit = l->max_pages * sys->page_size;
		if (l->has_swap && os->cgversion == 2) {
			d->has_swap_limit = true;
			d->swap_limit = l->swap_pages * sys->page_size;
		} else if (l->has_swap && l->swap_pages >= l->max_pages) {
			d->has_swap_limit = true;
			d->swap_limit = (l->swap_pages - l->max_pages) *
					sys->page_size;
		}
		cg_use(os, l, d);
	} else {
		d->totalpages = sys->totalpages;
	}
	d->has_usage = c->has_usage;
	d->usage = c->usage;
	d->has_oom_events = c->has_oom_events;
	d->oom_events = c->oom_events;
	d->has_oom_kills = c->has_oom_kills;
	d->oom_kills = c->oom_kills;
	d->has_oom_group = c->has_oom_group;
	d->oom_group = c->oom_group;
	d->kill_disabled = c->kill_disabled;

	/* mem_cgroup_scan_tasks(): the cgroup and its descendants, and in
	 * each the tasks in cgroup.procs order. */
	for (k = dom; k < c->end; k++) {
		const struct cg *ck = &os->cgs[k];

		for (j = 0; j < ck->npids; j++) {
			size_t pi = proc_index(os, ck->pids[j]);
			const struct pd_oomproc *p;

			/* Gone since /proc was read, or listed twice (a
			 * threaded subtree lists a process in each cgroup
			 * one of its threads is in). */
			if (pi == SIZE_MAX || seen[pi] == os->ndomains)
				continue;
			seen[pi] = os->ndomains;
			r = pd_array_grow((void **)&e, &cap, n, sizeof(*e));
			if (r < 0) {
				free(e);
				return r;
			}
			p = &os->procs[pi];
			memset(&e[n], 0, sizeof(e[n]));
			e[n].proc = pi;
			e[n].pos = n;
			e[n].badness = pd_oom_task_badness(&p->task,
							   d->totalpages,
							   sys->page_size,
							   sys->model);
			e[n].memcg = ck->path;
			if (os->cgversion == 2)
				e[n].kill_group = kill_group(os, k, dom);
			n++;
		}
	}
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
	}
	d->nentries = n;
	rank_domain(d, e);
	return 0;
}

/* "/sys/fs/cgroup/a/b/" or "a/b" -> "/a/b"; NULL on ENOMEM. */
static char *normalize_cgroup(const struct pd_oomscan *os, const char *in)
{
	size_t dl = strlen(os->cgdir), len;
	char *s;

	if (!strncmp(in, os->cgdir, dl) && (in[dl] == '/' || !in[dl]))
		in += dl;
	while (*in == '/')
		in++;
	if (asprintf(&s, "/%s", in) < 0)
		return NULL;
	len = strlen(s);
	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
	return s;
}

/* The machine-wide entries learn their memory cgroup and oom group. */
static int fill_machine(struct pd_oomscan *os)
{
	struct pd_oomentry *e = (struct pd_oomentry *)os->domains[0].entries;
	size_t *where, i, k, j;

	where = malloc((os->nprocs ? os->nprocs : 1) * sizeof(*where));
	if (!where)
		return -ENOMEM;
	for (i = 0; i < os->nprocs; i++)
		where[i] = SIZE_MAX;
	for (k = 0; k < os->ncgs; k++)
		for (j = 0; j < os->cgs[k].npids; j++) {
			size_t pi = proc_index(os, os->cgs[k].pids[j]);

			if (pi != SIZE_MAX && where[pi] == SIZE_MAX)
				where[pi] = k;
		}
	for (i = 0; i < os->domains[0].nentries; i++) {
		k = where[e[i].proc];
		if (k == SIZE_MAX)
			continue;
		e[i].memcg = os->cgs[k].path;
		if (os->cgversion == 2)
			e[i].kill_group = kill_group(os, k, 0);
	}
	free(where);
	return 0;
}

int pd_oomscan_cgroups(struct pd_oomscan *os, const char *cgroup)
{
	const char *sub;
	char *want = NULL;
	size_t *seen = NULL, k;
	int rootfd, fd, r;

	rootfd = open(os->opts.cgroup_root,
		      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return -errno;
	r = find_hierarchy(rootfd, &sub, &os->cgversion);
	if (r < 0)
		goto out_close;
	if (asprintf(&os->cgdir, "%s%s%s", os->opts.cgroup_root,
		     strcmp(sub, ".") ? "/" : "", strcmp(sub, ".") ? sub : "")
	    < 0) {
		os->cgdir = NULL;
		r = -ENOMEM;
		goto out_close;
	}
	fd = openat(rootfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out_close;
	}
	r = walk(os, fd, "/", SIZE_MAX, 0);
	close(fd);
	if (r < 0)
		goto out_close;
	r = fill_machine(os);
	if (r < 0)
		goto out_close;

	if (cgroup) {
		want = normalize_cgroup(os, cgroup);
		if (!want) {
			r = -ENOMEM;
			goto out_close;
		}
	}
	seen = calloc(os->nprocs ? os->nprocs : 1, sizeof(*seen));
	if (!seen) {
		r = -ENOMEM;
		goto out_free;
	}
	r = want ? -ENOENT : 0;
	for (k = 0; k < os->ncgs; k++) {
		int rr;

		if (want ? strcmp(os->cgs[k].path, want) != 0 :
			   !os->cgs[k].limited)
			continue;
		rr = rank_cgroup(os, k, seen);
		if (rr < 0) {
			r = rr;
			goto out_free;
		}
		r = 0;
	}

out_free:
	free(seen);
	free(want);
out_close:
	close(rootfd);
	return r;
}

const char *pd_oomscan_cgroup_dir(const struct pd_oomscan *os)
{
	return os->cgdir;
}

/* ---- access ------------------------------------------------------------ */

const struct pd_oomsys *pd_oomscan_sys(const struct pd_oomscan *os)
{
	return &os->sys;
}

const struct pd_oomcheck *pd_oomscan_check(const struct pd_oomscan *os)
{
	return &os->check;
}

const struct pd_partial *pd_oomscan_partial(const struct pd_oomscan *os)
{
	return &os->partial;
}

const struct pd_scanstats *pd_oomscan_stats(const struct pd_oomscan *os)
{
	return &os->stats;
}

size_t pd_oomscan_nprocs(const struct pd_oomscan *os)
{
	return os->nprocs;
}

const struct pd_oomproc *pd_oomscan_proc(const struct pd_oomscan *os,
					 size_t i)
{
	return &os->procs[i];
}

int pd_oomscan_find(const struct pd_oomscan *os, pid_t pid, size_t *ret_idx)
{
	size_t i = proc_index(os, pid);

	if (i == SIZE_MAX)
		return -ENOENT;
	*ret_idx = i;
	return 0;
}

size_t pd_oomscan_ndomains(const struct pd_oomscan *os)
{
	return os->ndomains;
}

const struct pd_oomdomain *pd_oomscan_domain(const struct pd_oomscan *os,
					     size_t i)
{
	return &os->domains[i];
}

int pd_oomdomain_find(const struct pd_oomdomain *d, size_t proc,
		      size_t *ret_entry)
{
	size_t i;

	for (i = 0; i < d->nentries; i++)
		if (d->entries[i].proc == proc) {
			*ret_entry = i;
			return 0;
		}
	return -ENOENT;
}

unsigned pd_oomdomain_rank_without_adj(const struct pd_oomscan *os,
				       const struct pd_oomdomain *d,
				       size_t entry)
{
	const struct pd_oomentry *me = &d->entries[entry];
	struct pd_oom_task t = os->procs[me->proc].task;
	unsigned rank = 1;
	int64_t b;
	size_t i;

	t.adj = 0;
	b = pd_oom_task_badness(&t, d->totalpages, os->sys.page_size,
				os->sys.model);
	if (b == PD_OOM_NEVER)
		return 0;
	for (i = 0; i < d->ncandidates; i++)
		if (i != entry && pd_oom_cmp(d->entries[i].badness,
					     d->entries[i].pos, b,
					     me->pos) < 0)
			rank++;
	return rank;
}

/* ---- memory it holds but is not charged for ---------------------------- */

void pd_oomheld_free(struct pd_oomheld *held, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(held[i].name);
	free(held);
}

int pd_oomscan_memfds(struct pd_oomscan *os, pid_t pid,
		      struct pd_oomheld **ret_held, size_t *ret_n)
{
	struct pd_oomheld *held = NULL;
	struct pd_fdtab *tab;
	size_t n = 0, cap = 0;
	int pidfd, hfd, r;

	r = pd_procfs_open_pid(os->pfs, pid, &pidfd);
	if (r < 0)
		return r;
	/* an exited leader's fd/ is empty: a live thread's */
	r = pd_proc_open_holder(os->pfs, pidfd, pid, &hfd);
	if (r < 0) {
		hfd = pidfd;
		goto out_close;
	}
	r = pd_fdtab_open(hfd, &tab);
	if (r < 0)
		goto out_close;
	for (;;) {
		const char *text;
		struct stat st;
		char rel[32];
		size_t len;
		int fd;

		r = pd_fdtab_next(tab, &fd, &text, &len);
		if (r)
			break;
		if (len < 7 || memcmp(text, "/memfd:", 7))
			continue;
		snprintf(rel, sizeof(rel), "fd/%d", fd);
		if (pd_procfs_stat_link(os->pfs, hfd, rel, &st) < 0)
			continue;
		r = pd_array_grow((void **)&held, &cap, n, sizeof(*held));
		if (r < 0)
			break;
		held[n].name = strndup(text, len);
		if (!held[n].name) {
			r = -ENOMEM;
			break;
		}
		held[n].fd = fd;
		held[n].sized = true;
		held[n].alloc = (uint64_t)st.st_blocks * 512;
		held[n].mapped = false;
		held[n].has_others = false;
		held[n].others = 0;
		n++;
	}
	pd_fdtab_free(tab);
	if (r < 0) {
		pd_oomheld_free(held, n);
		goto out_close;
	}
	*ret_held = held;
	*ret_n = n;
	r = 0;

out_close:
	if (hfd != pidfd)
		close(hfd);
	close(pidfd);
	return r;
}

/* The holder of F that is process PID, or NULL. */
static const struct pd_holder *holder_of(const struct pd_deadscan *ds,
					     const struct pd_deadfile *f,
					     pid_t pid)
{
	size_t i;

	for (i = 0; i < f->nholders; i++)
		if (pd_deadscan_proc(ds, f->holders[i].proc)->proc.pid == pid)
			return &f->holders[i];
	return NULL;
}

int pd_oomscan_deleted(struct pd_oomscan *os, pid_t pid,
		       struct pd_oomheld **ret_held, size_t *ret_n)
{
	const struct pd_deadfilter flt = {
		.procs = { .pids = &pid, .npids = 1 },
	};
	const struct pd_deadscan_opts dopts = { 0 };
	struct pd_oomheld *held = NULL;
	const struct pd_holder *h;
	struct pd_deadscan *ds;
	size_t n = 0, cap = 0, i;
	int r;

	r = pd_deadscan_new(os->pfs, &dopts, &ds);
	if (r < 0)
		return r;
	r = pd_deadscan_run(ds);
	if (r == 0)
		r = pd_deadscan_select(ds, &flt);
	for (i = 0; r == 0 && i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds, i);

		if (!f->selected || !f->ram)
			continue;
		h = holder_of(ds, f, pid);
		if (!h)
			continue;
		r = pd_array_grow((void **)&held, &cap, n, sizeof(*held));
		if (r < 0)
			break;
		held[n].name = strndup(f->path, f->path_len);
		if (!held[n].name) {
			r = -ENOMEM;
			break;
		}
		held[n].fd = h->nfds ? h->fds[0] : -1;
		held[n].sized = f->sized;
		held[n].alloc = f->alloc;
		held[n].mapped = h->how & PD_HOLD_MEM;
		held[n].has_others = true;
		held[n].others = f->nholders - 1;
		n++;
	}
	pd_deadscan_free(ds);
	if (r < 0) {
		pd_oomheld_free(held, n);
		return r;
	}
	*ret_held = held;
	*ret_n = n;
	return 0;
}
