/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pscan: the memory of every process (smaps_rollup), filtered and grouped;
 * the engine of pssum. */
#include "pscan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <linux/magic.h>

#include "coverage.h"
#include "numamaps.h"
#include "proc.h"
#include "users.h"

/* PF_EXITING from include/linux/sched.h: set before do_exit() drops the
 * memory map, long before the process turns zombie. */
#define PF_EXITING 0x00000004u

/* What became of one pid. */
enum outcome {
	OUT_READ,
	OUT_GONE,
	OUT_KTHREAD,
	OUT_SKIP,		/* filtered out, or ourselves */
	OUT_UNREAD,		/* could not be read: see cause */
};

/* One mapping name of one process, summed over its mappings. */
struct mapent {
	char *name;
	size_t len;
	uint64_t start;		/* of its first mapping, before the merge */
	struct pd_smaps sm;
	uint64_t *numa;		/* slot's nr_numa entries, or NULL: none */
};

/* The result of reading one pid, filled by whichever thread took it. */
struct slot {
	pid_t pid;
	enum outcome out;
	enum pd_pscan_cause cause;
	int err;
	bool rss_known;
	uint64_t rss;		/* VmRSS: the bound for an unread one */
	struct pd_pssproc proc;
	unsigned nr_numa;	/* entries of proc.numa and the maps' */
	struct mapent *maps;
	size_t nmaps;
};

struct pd_pscan {
	struct pd_procfs *pfs;
	struct pd_pscan_opts opts;
	pid_t self;
	struct pd_users *users;

	struct slot *slots;
	size_t nslots;
	atomic_size_t next;	/* the next slot a reader takes */
	atomic_int fatal;	/* -ENOMEM from a reader: stop */

	struct pd_pssproc *procs;
	size_t nprocs;
	struct pd_pssgroup *groups;
	size_t ngroups;
	struct pd_pssgroup total;
	uint64_t *group_numa;	/* the groups' numa arrays, one block */
	unsigned nr_numa;
	struct pd_pssmap *maps;
	size_t nmaps;

	struct pd_pscan_stats stats;
	struct pd_coverage *cov;
	struct pd_partial partial;
};

int pd_pscan_new(struct pd_procfs *pfs, const struct pd_pscan_opts *opts,
		 struct pd_pscan **ret_ps)
{
	struct pd_pscan *ps;
	size_t i;
	int r;

	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->pfs = pfs;
	ps->opts = *opts;
	if (!ps->opts.jobs)
		ps->opts.jobs = 1;
	/* What the keys and filters need is read whatever the columns say. */
	for (i = 0; i < opts->nkeys; i++) {
		if (opts->keys[i] == PD_PSS_KEY_USER)
			ps->opts.want |= PD_PSCAN_UID;
		else if (opts->keys[i] == PD_PSS_KEY_EXE)
			ps->opts.want |= PD_PSCAN_EXE;
		else if (opts->keys[i] == PD_PSS_KEY_CGROUP ||
			 opts->keys[i] == PD_PSS_KEY_UNIT)
			ps->opts.want |= PD_PSCAN_CGROUP;
		else if (opts->keys[i] == PD_PSS_KEY_CONTAINER ||
			 opts->keys[i] == PD_PSS_KEY_POD)
			ps->opts.want |= PD_PSCAN_NAMES;
	}
	if (ps->opts.want & PD_PSCAN_NAMES)
		ps->opts.want |= PD_PSCAN_CGROUP;
	if (opts->filter.nuids)
		ps->opts.want |= PD_PSCAN_UID;
	if (opts->filter.full)
		ps->opts.want |= PD_PSCAN_CMDLINE;
	if (opts->filter.cgroup)
		ps->opts.want |= PD_PSCAN_CGROUP;
	r = pd_users_new(&ps->users);
	if (r < 0) {
		free(ps);
		return r;
	}
	r = pd_coverage_new(pfs, &ps->cov);
	if (r < 0) {
		pd_pscan_free(ps);
		return r;
	}
	pd_coverage_judge(ps->cov, NULL, &ps->partial);
	*ret_ps = ps;
	return 0;
}

static void proc_release(struct pd_pssproc *p)
{
	free(p->cmdline);
	free(p->cgroup);
	free(p->unit);
	free(p->exe);
	free(p->numa);
	p->cmdline = p->cgroup = p->unit = p->exe = NULL;
	p->numa = NULL;
}

static void slot_release(struct slot *s)
{
	size_t i;

	proc_release(&s->proc);
	for (i = 0; i < s->nmaps; i++) {
		free(s->maps[i].name);
		free(s->maps[i].numa);
	}
	free(s->maps);
	s->maps = NULL;
	s->nmaps = 0;
}

void pd_pscan_free(struct pd_pscan *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->nslots; i++)
		slot_release(&ps->slots[i]);
	free(ps->slots);
	for (i = 0; i < ps->nprocs; i++)
		proc_release(&ps->procs[i]);
	free(ps->procs);
	free(ps->groups);
	free(ps->group_numa);
	free(ps->total.numa);
	for (i = 0; i < ps->nmaps; i++) {
		free(ps->maps[i].name);
		free(ps->maps[i].numa);
	}
	free(ps->maps);
	pd_coverage_free(ps->cov);
	pd_users_free(ps->users);
	free(ps);
}

/* ---- reading one process ----------------------------------------------- */

static bool pid_listed(const struct pd_pscan_filter *f, pid_t pid)
{
	size_t i;

	if (!f->npids)
		return true;
	for (i = 0; i < f->npids; i++)
		if (f->pids[i] == pid)
			return true;
	return false;
}

/* The names of --command against the process at PIDFD of PFS (comm COMM):
 * a long name reads its exe link and argv[0] (pd_procfilter). */
static bool comm_listed(const struct pd_pscan_filter *f,
			struct pd_procfs *pfs, int pidfd, pid_t pid,
			const char *comm)
{
	const struct pd_procfilter names = {
		.comms = f->comms, .ncomms = f->ncomms,
	};

	return pd_procfilter_match_at(&names, pfs, pidfd, pid, 0, comm);
}

/* PATH is the filter's cgroup or below it ("/a" holds "/a/b", not "/ab"). */
static bool cgroup_below(const char *path, const char *top)
{
	size_t n = strlen(top);

	while (n > 1 && top[n - 1] == '/')
		n--;
	if (n == 1 && top[0] == '/')
		return path[0] == '/';
	return !strncmp(path, top, n) && (path[n] == '\0' || path[n] == '/');
}

static bool late_filters_match(const struct pd_pscan_filter *f,
			       const struct pd_pssproc *p)
{
	size_t i;
	bool ok;

	if (f->nuids) {
		for (ok = false, i = 0; i < f->nuids && !ok; i++)
			ok = f->uids[i] == p->uid;
		if (!ok)
			return false;
	}
	if (f->full && regexec(f->full, p->cmdline && *p->cmdline ?
			       p->cmdline : p->comm, 0, NULL, 0) != 0)
		return false;
	if (f->cgroup && !(p->cgroup && cgroup_below(p->cgroup, f->cgroup)))
		return false;
	return true;
}

/* "HugetlbPages:\t  2048 kB" of status text, in bytes; 0 when absent. */
static uint64_t status_hugetlb(const char *buf)
{
	static const char key[] = "\nHugetlbPages:";
	const char *p = strstr(buf, key);
	unsigned long long v;
	char *e;

	if (!p)
		return 0;
	errno = 0;
	v = strtoull(p + sizeof(key) - 1, &e, 10);
	if (errno || e == p + sizeof(key) - 1 || v > UINT64_MAX / 1024)
		return 0;
	return (uint64_t)v * 1024;
}

/* status of the process: uid, the VmRSS bound and VmPTE/HugetlbPages. */
static int read_status(struct pd_pscan *ps, int fd, struct slot *s)
{
	struct pd_proc_status st;
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(ps->pfs, fd, "status", 1u << 16, &buf, &len);
	if (r < 0)
		return r;
	r = pd_status_parse(buf, len, &st);
	if (r == 0) {
		s->proc.uid = st.uid;
		s->rss_known = true;
		s->rss = st.vm_rss;
		s->proc.pagetables = st.vm_pte;
		s->proc.hugetlb = status_hugetlb(buf);
		s->proc.has_status_mem = st.has_vm;
	}
	free(buf);
	return r;
}

static int mapent_cmp(const void *a, const void *b)
{
	const struct mapent *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->name, y->name, n);

	return r ? r : (x->len > y->len) - (x->len < y->len);
}

/* Add the NR node counts of *FROM to *TO (either may be NULL: none) and
 * free *FROM. */
static void numa_add(uint64_t **to, uint64_t **from, unsigned nr)
{
	unsigned i;

	if (!*from)
		return;
	if (!*to) {
		*to = *from;
	} else {
		for (i = 0; i < nr; i++)
			(*to)[i] += (*from)[i];
		free(*from);
	}
	*from = NULL;
}

/* TO[i] += FROM[i] for i < NR; a NULL FROM adds nothing. */
static void numa_sum(uint64_t *to, const uint64_t *from, unsigned nr)
{
	unsigned i;

	if (from)
		for (i = 0; i < nr; i++)
			to[i] += from[i];
}

static int mapent_start_cmp(const void *key, const void *elem)
{
	uint64_t a = *(const uint64_t *)key;
	const struct mapent *e = elem;

	return (a > e->start) - (a < e->start);
}

/*
 * numa_maps through FD: the bytes per node of the process into
 * s->proc.numa (s->nr_numa entries) and, with the N mappings V of smaps
 * in address order, of each mapping, found by its start address (one
 * smaps has not, made between the two reads, is left out of both).
 */
static int read_numa(struct pd_pscan *ps, int fd, struct slot *s,
		     struct mapent *v, size_t n)
{
	struct pd_numamaps *nm;
	struct mapent *e;
	size_t i, count;
	unsigned node;
	int r;

	r = pd_numamaps_read(ps->pfs, fd, &nm);
	if (r < 0)
		return r;
	s->nr_numa = pd_numamaps_nr_nodes(nm);
	r = -ENOMEM;
	s->proc.numa = calloc(s->nr_numa ? s->nr_numa : 1, sizeof(uint64_t));
	if (!s->proc.numa)
		goto out_free;
	count = pd_numamaps_count(nm);
	for (i = 0; i < count; i++) {
		const struct pd_numa_vma *vma = pd_numamaps_get(nm, i);

		e = NULL;
		if (v) {
			e = bsearch(&vma->start, v, n, sizeof(*v),
				    mapent_start_cmp);
			if (!e)
				continue;
			if (!e->numa && vma->nr_nodes) {
				e->numa = calloc(s->nr_numa, sizeof(uint64_t));
				if (!e->numa)
					goto out_free;
			}
		}
		for (node = 0; node < vma->nr_nodes; node++) {
			uint64_t b = pd_numa_vma_node_bytes(vma, node);

			s->proc.numa[node] += b;
			if (e)
				e->numa[node] += b;
		}
	}
	r = 0;

out_free:
	pd_numamaps_free(nm);
	return r;
}

/* Full smaps, summed by mapping name within the process; with
 * PD_PSCAN_NUMA, numa_maps too. */
static int read_mappings(struct pd_pscan *ps, int fd, struct slot *s)
{
	const char *cur, *end;
	struct mapent *v = NULL, *nv;
	size_t n = 0, cap = 0, i, k;
	struct pd_smaps sm;
	struct pd_map m;
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(ps->pfs, fd, "smaps", PD_READ_LIMIT, &buf, &len);
	if (r < 0)
		return r;
	cur = buf;
	end = buf + len;
	while ((r = pd_smaps_next(&cur, end, &m, &sm)) != 1) {
		/* a malformed mapping makes the process unread, as a
		 * malformed rollup does: never a silently short sum */
		if (r < 0)
			goto out_free;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				r = -ENOMEM;
				goto out_free;
			}
			v = nv;
		}
		if (m.path_len) {
			/* the name without the kernel's \012 */
			r = pd_map_path_read(fd, &m, &v[n].name, &v[n].len);
			if (r < 0)
				goto out_free;
		} else {
			v[n].name = strdup("[anon]");
			if (!v[n].name) {
				r = -ENOMEM;
				goto out_free;
			}
			v[n].len = 6;
		}
		v[n].sm = sm;
		v[n].start = m.start;
		v[n].numa = NULL;
		pd_smaps_add(&s->proc.sm, &sm);
		n++;
	}
	if (n == 0) {
		r = -ENODATA;	/* smaps of a process without a memory map */
		goto out_free;
	}
	if (ps->opts.want & PD_PSCAN_NUMA) {
		r = read_numa(ps, fd, s, v, n);
		if (r < 0)
			goto out_free;
	}
	/* One entry per name: the text, data and bss of a library are one. */
	qsort(v, n, sizeof(*v), mapent_cmp);
	for (i = 1, k = 0; i < n; i++) {
		if (mapent_cmp(&v[k], &v[i]) == 0) {
			pd_smaps_add(&v[k].sm, &v[i].sm);
			numa_add(&v[k].numa, &v[i].numa, s->nr_numa);
			free(v[i].name);
		} else {
			v[++k] = v[i];
		}
	}
	s->maps = v;
	s->nmaps = k + 1;
	v = NULL;
	n = 0;
	r = 0;

out_free:
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].numa);
	}
	free(v);
	free(buf);
	return r;
}

/* Mark S unread for the cause of ERR; the tool's own failures (out of
 * memory or descriptors, a broken tree) stay fatal. */
static int unread(struct slot *s, int err)
{
	if (pd_err_is_fatal(err))
		return err;
	if (pd_err_is_gone(err)) {
		s->out = OUT_GONE;
		return 0;
	}
	s->out = OUT_UNREAD;
	if (err == -EACCES || err == -EPERM) {
		s->cause = PD_PSCAN_DENIED;
	} else {
		s->cause = PD_PSCAN_FAILED;
		s->err = -err;
	}
	return 0;
}

/* Has the process behind PIDFD exited, or is it exiting? -ENOMEM apart. */
static int is_leaving(struct pd_pscan *ps, int pidfd)
{
	struct pd_stat st;
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(ps->pfs, pidfd, "stat", 4096, &buf, &len);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0)
		return 1;
	r = pd_stat_parse(buf, len, &st);
	free(buf);
	return r < 0 || st.state == 'Z' || st.state == 'X' ||
	       (st.flags & PF_EXITING);
}

/*
 * The memory of one process through MMFD (its directory, or a live
 * thread's). On ESRCH or an empty rollup the process either is exiting
 * (skipped, as if gone: do_exit() drops the map before the zombie state)
 * or has no memory map: a fresh stat tells.
 */
static int read_memory(struct pd_pscan *ps, int pidfd, int mmfd,
		       struct slot *s, bool via_thread)
{
	int r;

	if (ps->opts.want & PD_PSCAN_MAPPINGS) {
		r = read_mappings(ps, mmfd, s);
	} else {
		r = pd_smaps_rollup_read(ps->pfs, mmfd, &s->proc.sm);
		/* after the rollup, as for a mapping: an exiting process
		 * has an empty numa_maps, the rollup tells it */
		if (r == 0 && (ps->opts.want & PD_PSCAN_NUMA))
			r = read_numa(ps, mmfd, s, NULL, 0);
	}
	if (r == 0) {
		s->out = OUT_READ;
		return 0;
	}
	if (r != -ESRCH && r != -ENODATA)
		return unread(s, r);
	s->out = OUT_UNREAD;
	if (via_thread) {
		/* Its last thread ended meanwhile: a plain zombie now. */
		s->cause = PD_PSCAN_ZOMBIE;
		return 0;
	}
	s->cause = PD_PSCAN_NOMM;
	r = is_leaving(ps, pidfd);
	if (r < 0)
		return r;
	if (r)
		s->out = OUT_GONE;
	return 0;
}

/* What the filters and columns need beyond stat, through FD (the
 * process's directory or a live thread's). */
static int read_identity(struct pd_pscan *ps, int fd, int pidfd,
			 struct slot *s)
{
	struct pd_proc p;
	char link[4096];
	int r;

	if (ps->opts.want & (PD_PSCAN_UID | PD_PSCAN_STATUS_MEM)) {
		r = read_status(ps, fd, s);
		if (r < 0)
			return r;
	}
	if (ps->opts.want & PD_PSCAN_CGROUP) {
		/* The process's cgroup: a thread's may be a threaded one. */
		r = pd_proc_read(ps->pfs, pidfd, s->pid, PD_PROC_CGROUP, &p);
		if (r < 0)
			return r;
		s->proc.cgroup = p.cgroup;
		s->proc.unit = p.unit;
	}
	if (ps->opts.want & PD_PSCAN_CMDLINE) {
		r = pd_proc_read(ps->pfs, fd, s->pid, PD_PROC_CMDLINE, &p);
		if (r < 0)
			return r;
		s->proc.cmdline = p.cmdline;
	}
	if (ps->opts.want & PD_PSCAN_EXE) {
		/* Unknown rather than an error: the rollup will say why. */
		r = pd_readlink_at(fd, "exe", link, sizeof(link));
		if (pd_err_is_fatal(r))
			return r;
		if (r >= 0) {
			s->proc.exe = strdup(link);
			if (!s->proc.exe)
				return -ENOMEM;
		}
	}
	return 0;
}

static int read_slot(struct pd_pscan *ps, struct slot *s)
{
	const struct pd_pscan_filter *f = &ps->opts.filter;
	int pidfd, fd = -1, r;
	struct pd_proc p;

	s->out = OUT_SKIP;
	if ((ps->self && s->pid == ps->self) || !pid_listed(f, s->pid))
		return 0;
	r = pd_procfs_open_pid(ps->pfs, s->pid, &pidfd);
	if (r < 0)
		return unread(s, r);
	r = pd_proc_read(ps->pfs, pidfd, s->pid, PD_PROC_STAT, &p);
	if (r < 0) {
		r = unread(s, r);
		goto out_close;
	}
	if (p.kthread) {
		s->out = OUT_KTHREAD;
		goto out_close;
	}
	if (!comm_listed(f, ps->pfs, pidfd, s->pid, p.comm))
		goto out_close;
	s->proc.pid = s->pid;
	s->proc.ppid = p.ppid;
	memcpy(s->proc.comm, p.comm, sizeof(s->proc.comm));
	fd = pidfd;
	if (p.state == 'Z') {
		/* a zombie leader whose threads still run: a live thread's
		 * files say what the memory map is */
		r = pd_proc_open_live_thread(ps->pfs, pidfd, s->pid, &fd);
		if (r == -ESRCH) {
			fd = pidfd;	/* a plain zombie: filters first */
		} else if (r < 0) {
			fd = -1;
			r = unread(s, r);
			goto out_close;
		}
	}
	r = read_identity(ps, fd, pidfd, s);
	if (r < 0) {
		r = unread(s, r);
		goto out_close;
	}
	if (!late_filters_match(f, &s->proc))
		goto out_close;
	if (p.state == 'Z' && fd == pidfd) {
		s->out = OUT_UNREAD;
		s->cause = PD_PSCAN_ZOMBIE;
		goto out_bound;
	}
	r = read_memory(ps, pidfd, fd, s, fd != pidfd);
	if (r < 0 || s->out != OUT_UNREAD)
		goto out_close;

out_bound:
	/* status is world-readable: VmRSS bounds what we could not see. */
	if (!s->rss_known) {
		int rs = read_status(ps, fd, s);

		if (pd_err_is_fatal(rs))
			r = rs;
	}
out_close:
	if (fd >= 0 && fd != pidfd)
		close(fd);
	close(pidfd);
	return r;
}

static void *reader(void *arg)
{
	struct pd_pscan *ps = arg;
	size_t i;
	int r;

	while (!atomic_load(&ps->fatal)) {
		i = atomic_fetch_add(&ps->next, 1);
		if (i >= ps->nslots)
			break;
		r = read_slot(ps, &ps->slots[i]);
		/* a fatal error that a read skipped */
		if (r == 0)
			r = pd_procfs_error(ps->pfs);
		if (r < 0)
			atomic_store(&ps->fatal, r);
	}
	return NULL;
}

/* Read every slot with opts.jobs threads (this one included). */
static int read_all(struct pd_pscan *ps)
{
	size_t nthreads = ps->opts.jobs - 1, started = 0, i;
	pthread_t *th = NULL;

	if (nthreads >= ps->nslots)
		nthreads = ps->nslots ? ps->nslots - 1 : 0;
	if (nthreads) {
		th = calloc(nthreads, sizeof(*th));
		if (!th)
			return -ENOMEM;
	}
	/* A thread that cannot start leaves its share to the others. */
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, reader, ps) == 0)
			started++;
	reader(ps);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	return atomic_load(&ps->fatal);
}

/* ---- gathering --------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static int maps_grow(struct pd_pscan *ps, size_t *cap)
{
	struct pd_pssmap *nv;
	size_t ncap = *cap ? *cap * 2 : 256;

	nv = realloc(ps->maps, ncap * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	ps->maps = nv;
	*cap = ncap;
	return 0;
}

/* Sum the per-process mappings into ps->maps, in pid order. */
static int merge_maps(struct pd_pscan *ps)
{
	size_t i, j, k, cap = 0, hcap = 64, *hash, mask, total = 0;
	int r = 0;

	for (i = 0; i < ps->nslots; i++)
		if (ps->slots[i].out == OUT_READ)
			total += ps->slots[i].nmaps;
	while (hcap < total * 2)
		hcap *= 2;
	mask = hcap - 1;
	hash = calloc(hcap, sizeof(*hash));
	if (!hash)
		return -ENOMEM;
	for (i = 0; i < ps->nslots; i++) {
		struct slot *s = &ps->slots[i];

		if (s->out != OUT_READ)
			continue;
		for (j = 0; j < s->nmaps; j++) {
			struct mapent *e = &s->maps[j];
			struct pd_pssmap *m = NULL;

			for (k = hash_bytes(e->name, e->len) & mask; hash[k];
			     k = (k + 1) & mask) {
				m = &ps->maps[hash[k] - 1];
				if (m->name_len == e->len &&
				    !memcmp(m->name, e->name, e->len))
					break;
				m = NULL;
			}
			if (!m) {
				if (ps->nmaps == cap) {
					r = maps_grow(ps, &cap);
					if (r < 0)
						goto out_free;
				}
				m = &ps->maps[ps->nmaps];
				memset(m, 0, sizeof(*m));
				hash[k] = ++ps->nmaps;
				m->name = e->name;	/* moved */
				m->name_len = e->len;
				e->name = NULL;
			}
			m->nprocs++;
			pd_smaps_add(&m->sm, &e->sm);
			if (ps->opts.want & PD_PSCAN_NUMA) {
				if (!m->numa) {
					m->numa = calloc(ps->nr_numa ?
							 ps->nr_numa : 1,
							 sizeof(uint64_t));
					if (!m->numa) {
						r = -ENOMEM;
						goto out_free;
					}
				}
				numa_sum(m->numa, e->numa, ps->nr_numa);
			}
		}
	}

out_free:
	free(hash);
	return r;
}

static void count_unread(struct pd_pscan_stats *st, const struct slot *s)
{
	struct pd_pscan_unread *u = &st->unread[s->cause];

	u->n++;
	if (s->rss_known)
		u->rss += s->rss;
	else
		u->rss_unknown++;
	if (s->cause == PD_PSCAN_FAILED && !st->first_error)
		st->first_error = s->err;
}

/* Give every numa array of the processes read ps->nr_numa entries. */
static int numa_widen(struct pd_pscan *ps)
{
	size_t i, j;
	uint64_t *nv;

	for (i = 0; i < ps->nslots; i++)
		if (ps->slots[i].out == OUT_READ &&
		    ps->slots[i].nr_numa > ps->nr_numa)
			ps->nr_numa = ps->slots[i].nr_numa;
	ps->total.numa = calloc(ps->nr_numa ? ps->nr_numa : 1,
				sizeof(uint64_t));
	if (!ps->total.numa)
		return -ENOMEM;
	for (i = 0; i < ps->nslots; i++) {
		struct slot *s = &ps->slots[i];

		if (s->out != OUT_READ || s->nr_numa == ps->nr_numa)
			continue;
		nv = calloc(ps->nr_numa, sizeof(uint64_t));
		if (!nv)
			return -ENOMEM;
		if (s->proc.numa)
			memcpy(nv, s->proc.numa, s->nr_numa * sizeof(uint64_t));
		free(s->proc.numa);
		s->proc.numa = nv;
		for (j = 0; j < s->nmaps; j++) {
			if (!s->maps[j].numa)
				continue;
			nv = calloc(ps->nr_numa, sizeof(uint64_t));
			if (!nv)
				return -ENOMEM;
			memcpy(nv, s->maps[j].numa,
			       s->nr_numa * sizeof(uint64_t));
			free(s->maps[j].numa);
			s->maps[j].numa = nv;
		}
		s->nr_numa = ps->nr_numa;
	}
	return 0;
}

/* Move the slots read into ps->procs and count the rest. */
static int gather(struct pd_pscan *ps)
{
	struct pd_pscan_stats *st = &ps->stats;
	size_t i;
	int r;

	ps->procs = calloc(ps->nslots ? ps->nslots : 1, sizeof(*ps->procs));
	if (!ps->procs)
		return -ENOMEM;
	if (ps->opts.want & PD_PSCAN_NUMA) {
		r = numa_widen(ps);
		if (r < 0)
			return r;
	}
	st->seen = (unsigned)ps->nslots;
	for (i = 0; i < ps->nslots; i++) {
		struct slot *s = &ps->slots[i];
		struct pd_pssproc *p;

		switch (s->out) {
		case OUT_GONE:
			st->vanished++;
			continue;
		case OUT_KTHREAD:
			st->kthreads++;
			continue;
		case OUT_SKIP:
			continue;
		case OUT_UNREAD:
			st->procs++;
			count_unread(st, s);
			/* zombies and processes without a memory map hold
			 * nothing: not a gap in the view */
			if (s->cause != PD_PSCAN_DENIED &&
			    s->cause != PD_PSCAN_FAILED)
				continue;
			if (pd_coverage_add_unread_id(ps->cov, s->pid,
					s->cause == PD_PSCAN_DENIED ? -EACCES :
					-s->err, false, 0, s->proc.comm[0] ?
					s->proc.comm : NULL) < 0)
				return -ENOMEM;
			continue;
		case OUT_READ:
			break;
		}
		st->procs++;
		st->read++;
		p = &ps->procs[ps->nprocs++];
		*p = s->proc;
		memset(&s->proc, 0, sizeof(s->proc));
		/* The user cache is not thread-safe: names come here. */
		if (ps->opts.want & PD_PSCAN_UID) {
			p->user = pd_users_name(ps->users, p->uid);
			if (!p->user)
				return -ENOMEM;
		}
		/* ... and so is the naming context of the cgroups */
		if ((ps->opts.want & PD_PSCAN_NAMES) && ps->opts.names &&
		    p->cgroup) {
			r = pd_cgname_lookup(ps->opts.names, p->cgroup,
					     &p->name);
			if (r < 0)
				return r;
		}
		pd_smaps_add(&ps->total.sm, &p->sm);
		if (ps->total.numa)
			numa_sum(ps->total.numa, p->numa, ps->nr_numa);
		ps->total.pagetables += p->pagetables;
		ps->total.hugetlb += p->hugetlb;
		ps->total.nprocs++;
	}
	if (ps->opts.want & PD_PSCAN_MAPPINGS)
		return merge_maps(ps);
	return 0;
}

/* ---- grouping ---------------------------------------------------------- */

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_num(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* One container is one runtime's id; LXC, nspawn and libvirt have none:
 * their machine's name then. Its monitor is apart: not in its cgroup. */
static int container_cmp(const struct pd_cgname *a, const struct pd_cgname *b)
{
	int r = strcmp_null(a->runtime, b->runtime);

	if (!r)
		r = strcmp_null(a->id, b->id);
	if (!r && !a->id)
		r = strcmp_null(a->name, b->name);
	if (!r)
		r = cmp_num(a->role, b->role);
	return r;
}

static int key_cmp(const struct pd_pssproc *a, const struct pd_pssproc *b,
		   enum pd_pss_key key)
{
	switch (key) {
	case PD_PSS_KEY_PID:
		return cmp_num(a->pid, b->pid);
	case PD_PSS_KEY_PPID:
		return cmp_num(a->ppid, b->ppid);
	case PD_PSS_KEY_COMMAND:
		return strcmp(a->comm, b->comm);
	case PD_PSS_KEY_EXE:
		return strcmp_null(a->exe, b->exe);
	case PD_PSS_KEY_USER:
		return cmp_num(a->uid, b->uid);
	case PD_PSS_KEY_CGROUP:
		return strcmp_null(a->cgroup, b->cgroup);
	case PD_PSS_KEY_UNIT:
		return strcmp_null(a->unit, b->unit);
	case PD_PSS_KEY_CONTAINER:
		return container_cmp(&a->name, &b->name);
	case PD_PSS_KEY_POD:
		return strcmp_null(a->name.pod_uid, b->name.pod_uid);
	}
	return 0;
}

static int tuple_cmp(const void *pa, const void *pb, void *arg)
{
	const struct pd_pscan *ps = arg;
	const struct pd_pssproc *a = *(const struct pd_pssproc *const *)pa;
	const struct pd_pssproc *b = *(const struct pd_pssproc *const *)pb;
	size_t i;
	int r;

	for (i = 0; i < ps->opts.nkeys; i++) {
		r = key_cmp(a, b, ps->opts.keys[i]);
		if (r)
			return r;
	}
	/* Within a group, pid order: the first member is the lowest pid. */
	return cmp_num(a->pid, b->pid);
}

static bool same_key(const struct pd_pscan *ps, const struct pd_pssproc *a,
		     const struct pd_pssproc *b)
{
	size_t i;

	for (i = 0; i < ps->opts.nkeys; i++)
		if (key_cmp(a, b, ps->opts.keys[i]))
			return false;
	return true;
}

static int group_first_cmp(const void *pa, const void *pb)
{
	const struct pd_pssgroup *a = pa, *b = pb;

	return cmp_num(a->proc->pid, b->proc->pid);
}

/*
 * Only equal keys make a group, never a heuristic: ps_mem takes processes
 * with equal rollups for one, which hides real ones.
 */
static int group(struct pd_pscan *ps)
{
	static const enum pd_pss_key by_pid = PD_PSS_KEY_PID;
	const struct pd_pssproc **v;
	struct pd_pssgroup *g = NULL;
	size_t i;

	if (!ps->opts.nkeys) {
		ps->opts.keys = &by_pid;
		ps->opts.nkeys = 1;
	}
	v = calloc(ps->nprocs ? ps->nprocs : 1, sizeof(*v));
	ps->groups = calloc(ps->nprocs ? ps->nprocs : 1, sizeof(*ps->groups));
	if (!v || !ps->groups) {
		free(v);
		return -ENOMEM;
	}
	if (ps->opts.want & PD_PSCAN_NUMA) {
		ps->group_numa = calloc((ps->nprocs ? ps->nprocs : 1) *
					(ps->nr_numa ? ps->nr_numa : 1),
					sizeof(uint64_t));
		if (!ps->group_numa) {
			free(v);
			return -ENOMEM;
		}
	}
	for (i = 0; i < ps->nprocs; i++)
		v[i] = &ps->procs[i];
	qsort_r(v, ps->nprocs, sizeof(*v), tuple_cmp, ps);
	for (i = 0; i < ps->nprocs; i++) {
		if (!g || !same_key(ps, g->proc, v[i])) {
			g = &ps->groups[ps->ngroups];
			g->proc = v[i];
			if (ps->group_numa)
				g->numa = ps->group_numa +
					  ps->ngroups * (size_t)ps->nr_numa;
			ps->ngroups++;
		}
		g->nprocs++;
		if (g->numa)
			numa_sum(g->numa, v[i]->numa, ps->nr_numa);
		pd_smaps_add(&g->sm, &v[i]->sm);
		g->pagetables += v[i]->pagetables;
		g->hugetlb += v[i]->hugetlb;
	}
	qsort(ps->groups, ps->ngroups, sizeof(*ps->groups), group_first_cmp);
	free(v);
	return 0;
}

/*
 * The pid <root>/self names: ourselves, in that proc's pid namespace; 0
 * when the root is not a live procfs (a captured tree's "self" is not us).
 */
static pid_t self_pid(const struct pd_pscan *ps)
{
	struct statfs sfs;
	char buf[32], *e;
	long v;

	if (fstatfs(pd_procfs_rootfd(ps->pfs), &sfs) < 0 ||
	    sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	if (pd_readlink_at(pd_procfs_rootfd(ps->pfs), "self", buf,
			   sizeof(buf)) <= 0)
		return 0;
	v = strtol(buf, &e, 10);
	return *e || v <= 0 ? 0 : (pid_t)v;
}

int pd_pscan_run(struct pd_pscan *ps)
{
	pid_t *pids;
	size_t n, i;
	int r;

	if (ps->opts.exclude_self)
		ps->self = self_pid(ps);
	r = pd_procfs_list_pids(ps->pfs, &pids, &n);
	if (r < 0)
		return r;
	ps->slots = calloc(n ? n : 1, sizeof(*ps->slots));
	if (!ps->slots) {
		free(pids);
		return -ENOMEM;
	}
	ps->nslots = n;
	for (i = 0; i < n; i++)
		ps->slots[i].pid = pids[i];
	r = pd_coverage_set_listed(ps->cov, pids, n);
	free(pids);
	if (r < 0)
		return r;
	r = read_all(ps);
	if (r < 0)
		return r;
	r = gather(ps);
	if (r < 0)
		return r;
	pd_coverage_judge(ps->cov, &(const struct pd_procfilter){
				.pids = ps->opts.filter.pids,
				.npids = ps->opts.filter.npids,
				.uids = ps->opts.filter.uids,
				.nuids = ps->opts.filter.nuids,
				.comms = ps->opts.filter.comms,
				.ncomms = ps->opts.filter.ncomms,
			  }, &ps->partial);
	/* "N of M": of the user processes the filter chose, as the
	 * stats count them */
	ps->partial.procs = ps->stats.procs;
	/* The slots' strings have moved; what is left is garbage. */
	for (i = 0; i < ps->nslots; i++)
		slot_release(&ps->slots[i]);
	free(ps->slots);
	ps->slots = NULL;
	ps->nslots = 0;
	return group(ps);
}

const struct pd_partial *pd_pscan_partial(const struct pd_pscan *ps)
{
	return &ps->partial;
}

const struct pd_pscan_stats *pd_pscan_stats(const struct pd_pscan *ps)
{
	return &ps->stats;
}

unsigned pd_pscan_missing(const struct pd_pscan *ps)
{
	/* A zombie's memory is gone with its mm: nothing of it is missing. */
	return ps->stats.procs - ps->stats.read -
	       ps->stats.unread[PD_PSCAN_ZOMBIE].n;
}

size_t pd_pscan_nprocs(const struct pd_pscan *ps)
{
	return ps->nprocs;
}

const struct pd_pssproc *pd_pscan_proc(const struct pd_pscan *ps, size_t i)
{
	return i < ps->nprocs ? &ps->procs[i] : NULL;
}

size_t pd_pscan_ngroups(const struct pd_pscan *ps)
{
	return ps->ngroups;
}

const struct pd_pssgroup *pd_pscan_group(const struct pd_pscan *ps, size_t i)
{
	return i < ps->ngroups ? &ps->groups[i] : NULL;
}

const struct pd_pssgroup *pd_pscan_total(const struct pd_pscan *ps)
{
	return &ps->total;
}

unsigned pd_pscan_nr_nodes(const struct pd_pscan *ps)
{
	return ps->nr_numa;
}

size_t pd_pscan_nmaps(const struct pd_pscan *ps)
{
	return ps->nmaps;
}

const struct pd_pssmap *pd_pscan_map(const struct pd_pscan *ps, size_t i)
{
	return i < ps->nmaps ? &ps->maps[i] : NULL;
}

const char *pd_pssproc_key(const struct pd_pssproc *p, enum pd_pss_key key,
			   char *buf, size_t bufsz)
{
	switch (key) {
	case PD_PSS_KEY_PID:
		snprintf(buf, bufsz, "%d", (int)p->pid);
		return buf;
	case PD_PSS_KEY_PPID:
		snprintf(buf, bufsz, "%d", (int)p->ppid);
		return buf;
	case PD_PSS_KEY_COMMAND:
		return p->comm;
	case PD_PSS_KEY_EXE:
		return p->exe;
	case PD_PSS_KEY_USER:
		return p->user;
	case PD_PSS_KEY_CGROUP:
		return p->cgroup;
	case PD_PSS_KEY_UNIT:
		return p->unit;
	case PD_PSS_KEY_CONTAINER:
		return pd_cgname_container_text(&p->name, buf, bufsz);
	case PD_PSS_KEY_POD:
		return pd_cgname_pod_text(&p->name, buf, bufsz);
	}
	return NULL;
}

/* ---- -s: pss beside meminfo -------------------------------------------- */

/* The sum of the meminfo fields KEYS (NULL-ended) minus those of SUB;
 * false when one is missing. Negative results are 0. */
static bool mi_expr(const struct pd_meminfo *mi, const char *const *keys,
		    const char *const *sub, uint64_t *ret)
{
	uint64_t plus = 0, minus = 0, v;

	for (; keys && *keys; keys++) {
		if (pd_meminfo_get(mi, *keys, &v) < 0)
			return false;
		plus += v;
	}
	for (; sub && *sub; sub++) {
		if (pd_meminfo_get(mi, *sub, &v) < 0)
			return false;
		minus += v;
	}
	*ret = plus > minus ? plus - minus : 0;
	return true;
}

#define KEYS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void line_set(struct pd_memline *l, const char *item, bool known,
		     uint64_t size, const char *note)
{
	l->item = item;
	l->known = known;
	l->size = known ? size : 0;
	snprintf(l->note, sizeof(l->note), "%s", note);
}

static void line_mi(struct pd_memline *l, const struct pd_meminfo *mi,
		    const char *item, const char *const *keys,
		    const char *const *sub, const char *note)
{
	uint64_t v = 0;
	bool known = mi_expr(mi, keys, sub, &v);

	line_set(l, item, known, v, note);
}

/* Hugetlb: (5.16+), else the default-size pool only. */
static bool mi_hugetlb(const struct pd_meminfo *mi, uint64_t *ret)
{
	uint64_t total, size;

	if (pd_meminfo_get(mi, "Hugetlb", ret) == 0)
		return true;
	if (pd_meminfo_get(mi, "HugePages_Total", &total) < 0 ||
	    pd_meminfo_get(mi, "Hugepagesize", &size) < 0)
		return false;
	*ret = total * size;
	return true;
}

size_t pd_pscan_reconcile(const struct pd_pscan *ps,
			  const struct pd_meminfo *mi,
			  struct pd_memline *lines)
{
	const struct pd_smaps *sm = &ps->total.sm;
	const struct pd_pscan_stats *st = &ps->stats;
	uint64_t am = 0, used = 0, huge = 0, listed = 0, v;
	bool am_known, split, huge_known, listed_known;
	const struct pd_pscan_filter *f = &ps->opts.filter;
	bool filtered = f->npids || f->nuids || f->ncomms || f->full ||
			f->cgroup;
	char note[112];
	size_t n = 0;

	line_mi(&lines[n++], mi, "MemTotal", KEYS("MemTotal"), NULL,
		"RAM the kernel manages");
	line_mi(&lines[n++], mi, "MemFree", KEYS("MemFree"), NULL,
		"unused");
	line_mi(&lines[n++], mi, "MemTotal-MemAvailable", KEYS("MemTotal"),
		KEYS("MemAvailable"),
		"in use and not easily reclaimed (the kernel's estimate)");
	if (pd_pscan_missing(ps))
		snprintf(note, sizeof(note), "PSS summed over %u processes; %u "
			 "more could not be read", st->read,
			 pd_pscan_missing(ps));
	else
		snprintf(note, sizeof(note), "PSS summed over %u processes",
			 st->read);
	line_set(&lines[n++], filtered ? "pss (selected processes)" :
		 "pss (all processes)", true, sm->pss, note);
	/* Pss_Anon/_File/_Shmem are 5.8+: all zero under a non-zero Pss
	 * means an older kernel, not an empty split. */
	split = sm->pss_anon + sm->pss_file + sm->pss_shmem || !sm->pss;
	line_set(&lines[n++], "pss_anon", split, sm->pss_anon,
		 "anonymous part of pss; compare AnonPages");
	line_mi(&lines[n++], mi, "AnonPages", KEYS("AnonPages"), NULL,
		"anonymous pages mapped by processes");
	line_set(&lines[n++], "pss_file+pss_shmem", split,
		 sm->pss_file + sm->pss_shmem,
		 "file and shmem part of pss; compare Mapped");
	line_mi(&lines[n++], mi, "Mapped", KEYS("Mapped"), NULL,
		"file and shmem pages mapped by processes");
	am_known = mi_expr(mi, KEYS("AnonPages", "Mapped"), NULL, &am);
	line_set(&lines[n++], "AnonPages+Mapped", am_known, am,
		 "the most pss can explain");
	line_set(&lines[n++], "AnonPages+Mapped-pss", am_known,
		 am > sm->pss ? am - sm->pss : 0,
		 "mapped but not in pss: processes not read or not "
		 "selected, changes during the scan");
	line_set(&lines[n++], "swap_pss", true, sm->swap_pss,
		 "swap of processes (SwapPss summed)");
	line_mi(&lines[n++], mi, "SwapTotal-SwapFree", KEYS("SwapTotal"),
		KEYS("SwapFree"), "swap in use");
	line_mi(&lines[n++], mi, "Shmem", KEYS("Shmem"), NULL,
		"tmpfs, shared anonymous, SysV and POSIX shm: in pss only "
		"where mapped");
	line_mi(&lines[n++], mi, "Buffers+Cached-Mapped",
		KEYS("Buffers", "Cached"), KEYS("Mapped"),
		"page cache and Shmem no process maps: never in pss");
	line_mi(&lines[n++], mi, "SReclaimable", KEYS("SReclaimable"), NULL,
		"kernel slab caches it can reclaim: not in pss");
	line_mi(&lines[n++], mi, "SUnreclaim", KEYS("SUnreclaim"), NULL,
		"kernel slab in use: not in pss");
	line_mi(&lines[n++], mi, "KernelStack", KEYS("KernelStack"), NULL,
		"kernel stacks of all threads: not in pss");
	line_mi(&lines[n++], mi, "PageTables", KEYS("PageTables"), NULL,
		"page tables of processes (the PAGETABLES column): not in "
		"pss");
	line_mi(&lines[n++], mi, "SecPageTables", KEYS("SecPageTables"),
		NULL, "page tables of KVM guests and IOMMUs: not in pss");
	line_mi(&lines[n++], mi, "VmallocUsed", KEYS("VmallocUsed"), NULL,
		"vmalloc (modules, BPF, and KernelStack again): not in pss");
	line_mi(&lines[n++], mi, "Percpu", KEYS("Percpu"), NULL,
		"per-CPU kernel allocations: not in pss");
	huge_known = mi_hugetlb(mi, &huge);
	line_set(&lines[n++], "Hugetlb", huge_known, huge,
		 "hugetlbfs pool, used or not (HUGETLB column): not in pss");
	/* What no line above explains: drivers, network buffers, and
	 * vmalloc beyond the kernel stacks. */
	listed_known = huge_known &&
		       mi_expr(mi, KEYS("MemTotal"), KEYS("MemFree",
			       "AnonPages", "Buffers", "Cached", "SwapCached",
			       "SReclaimable", "SUnreclaim", "KernelStack",
			       "PageTables", "Percpu"), &listed);
	if (listed_known && pd_meminfo_get(mi, "SecPageTables", &v) == 0)
		listed = listed > v ? listed - v : 0;
	used = listed > huge ? listed - huge : 0;
	line_set(&lines[n++], "other kernel", listed_known, used,
		 "in use, in none of the above: drivers, network buffers, "
		 "vmalloc");
	return n;
}

/* ---- --diff ------------------------------------------------------------ */

struct pd_pssbase {
	char *text;		/* the fields point into this copy */
	size_t nkeys;
	struct pd_pssbase_row *rows;
	size_t nrows;
	size_t *hash;		/* row index + 1; 0 is empty */
	size_t hashcap;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pd_tsv_unescape(char *s, size_t len, size_t *ret_len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			if (i + 1 >= len)
				return -EINVAL;
			c = s[++i];
			if (c == 't')
				c = '\t';
			else if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 'x') {
				if (i + 2 >= len || hexval(s[i + 1]) < 0 ||
				    hexval(s[i + 2]) < 0)
					return -EINVAL;
				c = (char)(hexval(s[i + 1]) << 4 |
					   hexval(s[i + 2]));
				i += 2;
			} else if (c != '\\') {
				return -EINVAL;
			}
		}
		s[o++] = c;
	}
	*ret_len = o;
	return 0;
}

static uint64_t hash_keys(const char *const *keys, size_t n)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < n; i++)
		h = h * 31 + (keys[i] ? hash_bytes(keys[i], strlen(keys[i]))
				      : 7);
	return h;
}

static bool keys_equal(const char *const *a, const char *const *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp_null(a[i], b[i]))
			return false;
	return true;
}

/* Split LINE (NUL-terminated, no newline) at tabs into FIELDS (MAX). */
static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');

		if (n < max)
			fields[n] = line;
		n++;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' ||
		    v > (UINT64_MAX - (unsigned)(*s - '0')) / 10)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*ret = v;
	return true;
}

void pd_pssbase_free(struct pd_pssbase *base)
{
	size_t i;

	if (!base)
		return;
	for (i = 0; i < base->nrows; i++)
		free(base->rows[i].keys);
	free(base->rows);
	free(base->hash);
	free(base->text);
	free(base);
}

/* Index the rows by key; a key twice means the file has another grouping. */
static int base_index(struct pd_pssbase *b)
{
	size_t i, k, mask;

	b->hashcap = 16;
	while (b->hashcap < b->nrows * 2)
		b->hashcap *= 2;
	b->hash = calloc(b->hashcap, sizeof(*b->hash));
	if (!b->hash)
		return -ENOMEM;
	mask = b->hashcap - 1;
	for (i = 0; i < b->nrows; i++) {
		const char *const *keys = (const char *const *)b->rows[i].keys;

		for (k = hash_keys(keys, b->nkeys) & mask; b->hash[k];
		     k = (k + 1) & mask)
			if (keys_equal((const char *const *)
				       b->rows[b->hash[k] - 1].keys, keys,
				       b->nkeys))
				return -ENOTUNIQ;
		b->hash[k] = i + 1;
	}
	return 0;
}

int pd_pssbase_parse(const char *buf, size_t len, const char *const *keys,
		     size_t nkeys, struct pd_pssbase **ret_base,
		     size_t *ret_badline)
{
	static const char *const valnames[PD_PSSBASE_NCOLS] = {
		[PD_PSSBASE_PSS] = "PSS", [PD_PSSBASE_RSS] = "RSS",
		[PD_PSSBASE_USS] = "USS", [PD_PSSBASE_SWAP] = "SWAP",
	};
	size_t keycol[16], valcol[PD_PSSBASE_NCOLS], nhdr, nf, i, j, lineno;
	char **fields = NULL, *p, *end, *nl;
	struct pd_pssbase *b;
	size_t cap = 1;
	int r;

	if (nkeys > sizeof(keycol) / sizeof(keycol[0]))
		return -EINVAL;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->nkeys = nkeys;
	b->text = malloc(len + 1);
	if (!b->text) {
		r = -ENOMEM;
		goto out_free;
	}
	memcpy(b->text, buf, len);
	b->text[len] = '\0';
	for (i = 0; i < len; i++) {
		cap += buf[i] == '\n' || buf[i] == '\t';
		if (!buf[i]) {
			lineno = 1;
			for (j = 0; j < i; j++)
				lineno += buf[j] == '\n';
			r = -EBADMSG;
			goto out_bad;
		}
	}
	fields = calloc(cap, sizeof(*fields));
	b->rows = calloc(cap, sizeof(*b->rows));
	if (!fields || !b->rows) {
		r = -ENOMEM;
		goto out_free;
	}

	/* The header names the columns; its order is the file's own. */
	p = b->text;
	end = b->text + len;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl)
		*nl = '\0';
	nhdr = split_tabs(p, fields, cap);
	for (i = 0; i < nkeys; i++) {
		for (j = 0; j < nhdr && strcmp(fields[j], keys[i]); j++)
			;
		if (j == nhdr) {
			r = -ENOKEY;
			goto out_free;
		}
		keycol[i] = j;
	}
	for (i = 0; i < PD_PSSBASE_NCOLS; i++) {
		for (j = 0; j < nhdr && strcmp(fields[j], valnames[i]); j++)
			;
		valcol[i] = j;	/* nhdr: not there */
	}

	for (lineno = 2, p = nl ? nl + 1 : end; p < end; lineno++) {
		struct pd_pssbase_row *row = &b->rows[b->nrows];

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl)
			*nl = '\0';
		nf = split_tabs(p, fields, cap);
		p = nl ? nl + 1 : end;
		if (nf != nhdr) {
			r = -EBADMSG;
			goto out_bad;
		}
		row->keys = calloc(nkeys ? nkeys : 1, sizeof(*row->keys));
		if (!row->keys) {
			r = -ENOMEM;
			goto out_free;
		}
		b->nrows++;
		for (i = 0; i < nf; i++) {
			size_t n;

			if (pd_tsv_unescape(fields[i], strlen(fields[i]),
					    &n) < 0) {
				r = -EBADMSG;
				goto out_bad;
			}
			fields[i][n] = '\0';
		}
		for (i = 0; i < nkeys; i++)
			row->keys[i] = *fields[keycol[i]] ? fields[keycol[i]]
							  : NULL;
		for (i = 0; i < PD_PSSBASE_NCOLS; i++) {
			if (valcol[i] == nhdr || !*fields[valcol[i]])
				continue;
			if (!parse_u64(fields[valcol[i]], &row->v[i])) {
				r = -EBADMSG;
				goto out_bad;
			}
			row->has[i] = true;
		}
	}
	r = base_index(b);
	if (r < 0)
		goto out_free;
	free(fields);
	*ret_base = b;
	return 0;

out_bad:
	*ret_badline = lineno;
out_free:
	free(fields);
	pd_pssbase_free(b);
	return r;
}

int pd_pssbase_find(struct pd_pssbase *base, const char *const *keyvals,
		    size_t *ret_idx)
{
	size_t k, mask = base->hashcap - 1;

	for (k = hash_keys(keyvals, base->nkeys) & mask; base->hash[k];
	     k = (k + 1) & mask) {
		struct pd_pssbase_row *row = &base->rows[base->hash[k] - 1];

		if (keys_equal((const char *const *)row->keys, keyvals,
			       base->nkeys)) {
			row->matched = true;
			*ret_idx = base->hash[k] - 1;
			return 0;
		}
	}
	return -ENOENT;
}

size_t pd_pssbase_nrows(const struct pd_pssbase *base)
{
	return base->nrows;
}

const struct pd_pssbase_row *pd_pssbase_row(const struct pd_pssbase *base,
					    size_t i)
{
	return i < base->nrows ? &base->rows[i] : NULL;
}

void pd_pssbase_row_growth(const struct pd_pssbase_row *row,
			   struct pd_pssgrowth *ret_growth)
{
	struct pd_pssgrowth g = { .is_new = false };
	size_t i;

	for (i = 0; i < PD_PSSBASE_NCOLS; i++) {
		g.known[i] = row->has[i];
		g.v[i] = row->has[i] ? -(int64_t)row->v[i] : 0;
	}
	*ret_growth = g;
}

/* Add growth B to A: unknown if either is. */
static void growth_add(struct pd_pssgrowth *a, const struct pd_pssgrowth *b)
{
	size_t i;

	for (i = 0; i < PD_PSSBASE_NCOLS; i++) {
		a->known[i] = a->known[i] && b->known[i];
		a->v[i] += b->v[i];
	}
}

bool pd_pssgrowth_rate(int64_t growth, double seconds, int64_t *ret_per_hour)
{
	double r;

	if (!(seconds > 0))
		return false;
	r = (double)growth * 3600.0 / seconds;
	r = r < 0 ? r - 0.5 : r + 0.5;
	/* past what a signed 64-bit count holds: saturate */
	if (r >= 9.2e18)
		*ret_per_hour = INT64_MAX;
	else if (r <= -9.2e18)
		*ret_per_hour = INT64_MIN;
	else
		*ret_per_hour = (int64_t)r;
	return true;
}

void pd_pscan_diff(struct pd_pscan *ps, struct pd_pssbase *base)
{
	struct pd_pssgrowth *t = &ps->total.growth, gone;
	const char *vals[16];
	char num[16][PD_CGNAME_TEXT_SIZE];
	size_t i, j, idx;

	memset(t->known, 1, sizeof(t->known));
	for (i = 0; i < ps->ngroups; i++) {
		struct pd_pssgroup *g = &ps->groups[i];
		const struct pd_pssbase_row *row = NULL;
		uint64_t cur[PD_PSSBASE_NCOLS];

		for (j = 0; j < ps->opts.nkeys && j < 16; j++)
			vals[j] = pd_pssproc_key(g->proc, ps->opts.keys[j],
						 num[j], sizeof(num[j]));
		if (pd_pssbase_find(base, vals, &idx) == 0)
			row = &base->rows[idx];
		cur[PD_PSSBASE_PSS] = g->sm.pss;
		cur[PD_PSSBASE_RSS] = g->sm.rss;
		cur[PD_PSSBASE_USS] = pd_smaps_uss(&g->sm);
		cur[PD_PSSBASE_SWAP] = g->sm.swap;
		g->growth.is_new = !row;
		for (j = 0; j < PD_PSSBASE_NCOLS; j++) {
			g->growth.known[j] = !row || row->has[j];
			g->growth.v[j] = (int64_t)cur[j] -
				(row && row->has[j] ? (int64_t)row->v[j] : 0);
		}
		growth_add(t, &g->growth);
	}
	for (i = 0; i < base->nrows; i++) {
		if (base->rows[i].matched)
			continue;
		pd_pssbase_row_growth(&base->rows[i], &gone);
		growth_add(t, &gone);
	}
}

/* ---- does a cgroup exist ------------------------------------------------ */

int pd_pscan_cgroup_exists(const char *root, const char *path)
{
	/* a hierarchy, by a file only it has at its top */
	static const struct {
		const char *dir, *mark;
	} hier[] = {
		{ "memory", "memory/cgroup.procs" },
		{ ".", "cgroup.controllers" },
		{ "unified", "unified/cgroup.controllers" },
		{ "systemd", "systemd/cgroup.procs" },
	};
	const char *p, *rel;
	bool any = false;
	struct stat st;
	char *sub;
	size_t i, n;
	int fd, r = -ENOENT;

	if (path[0] != '/')
		return -ENOENT;
	/* no way out of the hierarchy, and no name that means another */
	for (p = path; *p; p += n) {
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return -ENOENT;
	}
	for (rel = path; *rel == '/'; rel++)
		;
	fd = open(root ? root : "/sys/fs/cgroup",
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOMEDIUM : -errno;
	for (i = 0; i < sizeof(hier) / sizeof(hier[0]) && r == -ENOENT; i++) {
		if (faccessat(fd, hier[i].mark, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		any = true;
		if (asprintf(&sub, "%s/%s", hier[i].dir, rel) < 0) {
			r = -ENOMEM;
			break;
		}
		if (fstatat(fd, sub, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st.st_mode))
			r = 0;
		free(sub);
	}
	close(fd);
	if (r == -ENOENT && !any)
		r = -ENOMEDIUM;
	return r;
}
