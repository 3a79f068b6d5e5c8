/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deadscan: every deleted file that a process still holds, deduplicated by
 * device and inode, with its holders; the engine of deadfiles and dfdu. */
#include "deadscan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "coverage.h"
#include "fdtab.h"
#include "maps.h"
#include "mounts.h"
#include "proc.h"
#include "statq.h"
#include "users.h"

/* A candidate found in one process: link text says " (deleted)" (or an
 * NFS silly name); not confirmed until stat says st_nlink == 0. */
struct cand {
	unsigned how;		/* one enum pd_hold bit */
	int fd;
	char rel[64];		/* "fd/3", "map_files/a-b", "cwd" */
	char *text;		/* link text (malloc'ed) */
	size_t path_len;	/* without " (deleted)" */
	bool silly;		/* NFS silly name without the suffix */
	bool toolong;		/* no text: the path is past PATH_MAX, so
				 * only a stat can tell it is deleted */
	bool has_devino;	/* from maps */
	dev_t dev;
	ino_t ino;
};

/* A mount that timed out once: no more stats there. */
struct dead_mount {
	int mnt_id;
	dev_t dev;
};

struct pd_deadscan {
	struct pd_procfs *pfs;
	struct pd_deadscan_opts opts;
	struct pd_mounts *mounts;
	struct pd_users *users;
	struct pd_statq *statq;

	struct pd_deadfile *files;
	size_t nfiles, capfiles;
	size_t *hash;		/* file index + 1; 0 is empty */
	size_t hashcap;

	struct pd_deadproc *procs;
	size_t nprocs, capprocs;

	struct pd_deadmount *mnts;
	size_t nmnts;

	struct dead_mount *dead;
	size_t ndead, capdead;
	char **timeouts;
	size_t ntimeouts, captimeouts;

	struct cand *cands;
	size_t ncands, capcands;

	struct pd_scanstats stats;
	struct pd_deadscan_gaps gaps;
	struct pd_coverage *cov;
	struct pd_partial partial;	/* of the last selection */
};

int pd_deadscan_new(struct pd_procfs *pfs, const struct pd_deadscan_opts *opts,
		    struct pd_deadscan **ret_ds)
{
	struct pd_deadscan *ds;
	int r;

	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return -ENOMEM;
	ds->pfs = pfs;
	ds->opts = *opts;
	if (!ds->opts.timeout_ms)
		ds->opts.timeout_ms = 3000;
	r = pd_mounts_new(pfs, &ds->mounts);
	if (r < 0)
		goto out_free;
	r = pd_users_new(&ds->users);
	if (r < 0)
		goto out_free;
	r = pd_statq_new(pfs, ds->opts.timeout_ms, &ds->statq);
	if (r < 0)
		goto out_free;
	r = pd_coverage_new(pfs, &ds->cov);
	if (r < 0)
		goto out_free;
	pd_coverage_judge(ds->cov, NULL, &ds->partial);
	*ret_ds = ds;
	return 0;

out_free:
	pd_deadscan_free(ds);
	return r;
}

static void cands_clear(struct pd_deadscan *ds)
{
	size_t i;

	for (i = 0; i < ds->ncands; i++)
		free(ds->cands[i].text);
	ds->ncands = 0;
}

void pd_deadscan_free(struct pd_deadscan *ds)
{
	size_t i, j;

	if (!ds)
		return;
	for (i = 0; i < ds->nfiles; i++) {
		struct pd_deadfile *f = &ds->files[i];

		free(f->path);
		free(f->mount);
		free(f->fstype);
		free(f->source);
		for (j = 0; j < f->nholders; j++)
			free(f->holders[j].fds);
		free(f->holders);
	}
	free(ds->files);
	free(ds->hash);
	for (i = 0; i < ds->nprocs; i++) {
		free(ds->procs[i].cmdline);
		free(ds->procs[i].cgroup);
		free(ds->procs[i].unit);
	}
	free(ds->procs);
	free(ds->mnts);
	free(ds->dead);
	for (i = 0; i < ds->ntimeouts; i++)
		free(ds->timeouts[i]);
	free(ds->timeouts);
	cands_clear(ds);
	free(ds->cands);
	pd_statq_free(ds->statq);
	pd_coverage_free(ds->cov);
	pd_users_free(ds->users);
	pd_mounts_free(ds->mounts);
	free(ds);
}

static size_t hash_key(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)dev * 0x9e3779b97f4a7c15ull ^ (uint64_t)ino;

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (size_t)(h ^ (h >> 32));
}

static bool file_matches(const struct pd_deadfile *f, dev_t dev, ino_t ino,
			 const char *path, size_t path_len)
{
	if (f->dev != dev || f->ino != ino)
		return false;
	/* ino 0: a timed-out cwd/exe we could not stat; the path tells. */
	return ino != 0 ||
	       (f->path_len == path_len && !memcmp(f->path, path, path_len));
}

static struct pd_deadfile *file_find(struct pd_deadscan *ds, dev_t dev,
				     ino_t ino, const char *path,
				     size_t path_len)
{
	size_t i, mask;

	if (!ds->hashcap)
		return NULL;
	mask = ds->hashcap - 1;
	for (i = hash_key(dev, ino) & mask; ds->hash[i]; i = (i + 1) & mask) {
		struct pd_deadfile *f = &ds->files[ds->hash[i] - 1];

		if (file_matches(f, dev, ino, path, path_len))
			return f;
	}
	return NULL;
}

static int hash_insert(struct pd_deadscan *ds, size_t idx)
{
	size_t i, mask;

	if ((ds->nfiles + 1) * 2 > ds->hashcap) {
		size_t ncap = ds->hashcap ? ds->hashcap * 2 : 64, k;
		size_t *nh = calloc(ncap, sizeof(*nh));

		if (!nh)
			return -ENOMEM;
		free(ds->hash);
		ds->hash = nh;
		ds->hashcap = ncap;
		mask = ncap - 1;
		for (k = 0; k < ds->nfiles; k++) {
			if (k == idx)
				continue;
			for (i = hash_key(ds->files[k].dev, ds->files[k].ino) & mask;
			     nh[i]; i = (i + 1) & mask)
				;
			nh[i] = k + 1;
		}
	}
	mask = ds->hashcap - 1;
	for (i = hash_key(ds->files[idx].dev, ds->files[idx].ino) & mask;
	     ds->hash[i]; i = (i + 1) & mask)
		;
	ds->hash[i] = idx + 1;
	return 0;
}

static bool mount_is_dead(const struct pd_deadscan *ds, int mnt_id, dev_t dev)
{
	size_t i;

	for (i = 0; i < ds->ndead; i++)
		if ((mnt_id >= 0 && ds->dead[i].mnt_id == mnt_id) ||
		    ds->dead[i].dev == dev)
			return true;
	return false;
}

static int mount_mark_dead(struct pd_deadscan *ds, const struct pd_mount *m)
{
	size_t i;
	char *t;

	if (pd_array_grow((void **)&ds->dead, &ds->capdead, ds->ndead,
		 sizeof(*ds->dead)) < 0)
		return -ENOMEM;
	ds->dead[ds->ndead].mnt_id = m->id;
	ds->dead[ds->ndead].dev = m->dev;
	ds->ndead++;
	for (i = 0; i < ds->ntimeouts; i++)
		if (!strcmp(ds->timeouts[i], m->target ? m->target : "?"))
			return 0;
	t = strdup(m->target ? m->target : "?");
	if (!t)
		return -ENOMEM;
	if (pd_array_grow((void **)&ds->timeouts, &ds->captimeouts, ds->ntimeouts,
		 sizeof(*ds->timeouts)) < 0) {
		free(t);
		return -ENOMEM;
	}
	ds->timeouts[ds->ntimeouts++] = t;
	return 0;
}

static int cand_add(struct pd_deadscan *ds, unsigned how, int fd,
		    const char *rel, const char *text, size_t len,
		    const struct pd_link *l, bool silly)
{
	struct cand *c;
	int r;

	r = pd_array_grow((void **)&ds->cands, &ds->capcands, ds->ncands,
		 sizeof(*ds->cands));
	if (r < 0)
		return r;
	c = &ds->cands[ds->ncands];
	memset(c, 0, sizeof(*c));
	c->text = malloc(len + 1);
	if (!c->text)
		return -ENOMEM;
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->how = how;
	c->fd = fd;
	snprintf(c->rel, sizeof(c->rel), "%s", rel);
	c->path_len = l->path_len;
	c->silly = silly;
	ds->ncands++;
	return 0;
}

/* Is TEXT a deleted-file candidate? */
static bool is_candidate(const char *text, size_t len, struct pd_link *l,
			 bool *ret_silly)
{
	if (pd_link_parse(text, len, l) < 0 || l->kind != PD_LINK_PATH)
		return false;
	*ret_silly = !l->deleted && pd_path_is_nfs_silly(text, l->path_len);
	return l->deleted || *ret_silly;
}

static int collect_fds(struct pd_deadscan *ds, int pidfd)
{
	struct pd_fdtab *tab;
	const char *text;
	size_t len;
	int fd, r;

	r = pd_fdtab_open(pidfd, &tab);
	if (r < 0)
		return r;
	while ((r = pd_fdtab_next(tab, &fd, &text, &len)) == 0) {
		struct pd_link l;
		char rel[32];
		bool silly;

		if (len == 0) {
			/* a path past PATH_MAX: the kernel gives no text */
			l = (struct pd_link){ .kind = PD_LINK_PATH };
			silly = false;
		} else if (!is_candidate(text, len, &l, &silly)) {
			continue;
		}
		snprintf(rel, sizeof(rel), "fd/%d", fd);
		r = cand_add(ds, PD_HOLD_FD, fd, rel, text, len, &l, silly);
		if (r < 0)
			break;
		ds->cands[ds->ncands - 1].toolong = len == 0;
	}
	pd_fdtab_free(tab);
	return r < 0 ? r : 0;
}

static int collect_maps(struct pd_deadscan *ds, int pidfd)
{
	static const size_t sl = sizeof(PD_DELETED_SUFFIX) - 1;
	const char *cur, *end;
	struct pd_map m;
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(ds->pfs, pidfd, "maps", PD_READ_LIMIT, &buf,
			      &len);
	if (r < 0)
		return r;
	cur = buf;
	end = buf + len;
	while (pd_map_next(&cur, end, &m) == 0) {
		struct pd_link l = { .kind = PD_LINK_PATH, .deleted = true };
		char rel[64], name[48], *path;
		bool dup = false, silly;
		size_t i, plen;
		dev_t dev;

		if (!m.inode || !m.path_len || m.path[0] != '/')
			continue;
		if (m.path_len > sl &&
		    !memcmp(m.path + m.path_len - sl, PD_DELETED_SUFFIX, sl)) {
			l.path_len = m.path_len - sl;
			silly = false;
		} else if (pd_path_is_nfs_silly(m.path, m.path_len)) {
			/* a file replaced on NFS while mapped (a rebuilt
			 * binary or library): renamed, not deleted */
			l.path_len = m.path_len;
			l.deleted = false;
			silly = true;
		} else {
			continue;
		}
		dev = makedev(m.dev_major, m.dev_minor);
		for (i = 0; i < ds->ncands && !dup; i++)
			dup = ds->cands[i].has_devino && ds->cands[i].dev == dev &&
			      ds->cands[i].ino == (ino_t)m.inode;
		if (dup)
			continue;
		pd_map_files_name(&m, name, sizeof(name));
		snprintf(rel, sizeof(rel), "map_files/%s", name);
		/* the name without the kernel's \012, as an fd shows it */
		r = pd_map_path_read(pidfd, &m, &path, &plen);
		if (r < 0)
			break;
		l.path_len -= m.path_len - plen;
		r = cand_add(ds, PD_HOLD_MEM, -1, rel, path, plen, &l, silly);
		free(path);
		if (r < 0)
			break;
		ds->cands[ds->ncands - 1].has_devino = true;
		ds->cands[ds->ncands - 1].dev = dev;
		ds->cands[ds->ncands - 1].ino = (ino_t)m.inode;
	}
	free(buf);
	return r < 0 ? r : 0;
}

/*
 * cwd, root and exe. A running binary is always mapped, so a deleted exe
 * shows in maps first: read exe only when maps had a candidate or could
 * not be read (one readlink less for nearly every process).
 */
static int collect_links(struct pd_deadscan *ds, int pidfd, bool want_exe)
{
	static const struct {
		const char *name;
		unsigned how;
	} links[] = {
		{ "cwd", PD_HOLD_CWD },
		{ "root", PD_HOLD_ROOT },
		{ "exe", PD_HOLD_EXE },
	};
	char text[PATH_MAX + 1];
	size_t i;
	int n, r;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		struct pd_link l;
		bool silly;

		if (links[i].how == PD_HOLD_EXE && !want_exe)
			continue;
		n = pd_readlink_at(pidfd, links[i].name, text, sizeof(text));
		if (pd_err_is_fatal(n))
			return n;
		if (n == -ENAMETOOLONG) {
			/* a path past PATH_MAX: only a stat can tell */
			text[0] = '\0';
			n = 0;
			l = (struct pd_link){ .kind = PD_LINK_PATH };
			silly = false;
		} else if (n < 0) {
			continue;	/* kernel threads have no exe */
		} else if (!is_candidate(text, (size_t)n, &l, &silly)) {
			continue;
		}
		r = cand_add(ds, links[i].how, -1, links[i].name, text,
			     (size_t)n, &l, silly);
		if (r < 0)
			return r;
		ds->cands[ds->ncands - 1].toolong = n == 0;
	}
	return 0;
}

/* Who process PID is: the leader's stat, status and cgroup (PIDFD), the
 * command line of the directory it holds through (HFD: a live thread's
 * when the leader has exited, whose own is empty). */
static int proc_add(struct pd_deadscan *ds, int pidfd, int hfd, pid_t pid,
		    size_t *ret_idx)
{
	unsigned what = PD_PROC_STAT | PD_PROC_STATUS | PD_PROC_CGROUP;
	struct pd_deadproc *dp;
	struct pd_proc p, t;
	int r;

	r = pd_proc_read(ds->pfs, pidfd, pid,
			 hfd == pidfd ? what | PD_PROC_CMDLINE : what, &p);
	if (r < 0)
		return r;
	if (hfd != pidfd) {
		r = pd_proc_read(ds->pfs, hfd, pid, PD_PROC_CMDLINE, &t);
		if (r < 0) {
			pd_proc_release(&p);
			return r;
		}
		p.cmdline = t.cmdline;
	}
	r = pd_array_grow((void **)&ds->procs, &ds->capprocs, ds->nprocs,
		 sizeof(*ds->procs));
	if (r < 0) {
		pd_proc_release(&p);
		return r;
	}
	dp = &ds->procs[ds->nprocs];
	memset(dp, 0, sizeof(*dp));
	dp->pid = pid;
	dp->ppid = p.ppid;
	dp->uid = p.status.uid;
	dp->user = pd_users_name(ds->users, p.status.uid);
	memcpy(dp->comm, p.comm, sizeof(dp->comm));
	dp->cmdline = p.cmdline;
	dp->cgroup = p.cgroup;
	dp->unit = p.unit;
	*ret_idx = ds->nprocs++;
	return 0;
}

/* Record that process PROC holds F as C says. */
static int holder_add(struct pd_deadfile *f, size_t proc, const struct cand *c)
{
	struct pd_deadholder *h = NULL, *nh;

	if (f->nholders && f->holders[f->nholders - 1].proc == proc) {
		h = &f->holders[f->nholders - 1];
	} else {
		nh = realloc(f->holders, (f->nholders + 1) * sizeof(*nh));
		if (!nh)
			return -ENOMEM;
		f->holders = nh;
		h = &f->holders[f->nholders++];
		memset(h, 0, sizeof(*h));
		h->proc = proc;
	}
	h->how |= c->how;
	if (c->how == PD_HOLD_FD) {
		int *nf = realloc(h->fds, (h->nfds + 1) * sizeof(*nf));
		size_t i;

		if (!nf)
			return -ENOMEM;
		h->fds = nf;
		/* fd/ lists fds ascending; keep the order whatever comes */
		for (i = h->nfds; i > 0 && h->fds[i - 1] > c->fd; i--)
			h->fds[i] = h->fds[i - 1];
		h->fds[i] = c->fd;
		h->nfds++;
	}
	return 0;
}

/*
 * F was first seen through a link too long for its text; C, a mapping of
 * the same file, has the whole path (maps prints paths of any length).
 */
static int file_better_path(struct pd_deadfile *f, const struct cand *c)
{
	char *p;

	if (!f->path_truncated || c->toolong)
		return 0;
	p = strndup(c->text, c->path_len);
	if (!p)
		return -ENOMEM;
	free(f->path);
	f->path = p;
	f->path_len = c->path_len;
	f->path_truncated = false;
	return 0;
}

/* Record that PROC holds F as C says, keeping the best path text. */
static int file_hold(struct pd_deadfile *f, size_t proc, const struct cand *c)
{
	int r = file_better_path(f, c);

	return r < 0 ? r : holder_add(f, proc, c);
}

static int file_add(struct pd_deadscan *ds, const struct cand *c,
		    const struct pd_mount *m, dev_t dev, ino_t ino,
		    const struct stat *st, struct pd_deadfile **ret_f)
{
	struct pd_deadfile *f;
	int r;

	r = pd_array_grow((void **)&ds->files, &ds->capfiles, ds->nfiles,
		 sizeof(*ds->files));
	if (r < 0)
		return r;
	f = &ds->files[ds->nfiles];
	memset(f, 0, sizeof(*f));
	f->dev = dev;
	f->ino = ino;
	f->mnt_id = m ? m->id : -1;
	if (c->toolong) {
		r = pd_link_truncated_path(m ? m->target : NULL, &f->path,
					   &f->path_len);
		if (r < 0)
			return r;
		f->path_truncated = true;
	} else {
		f->path = strndup(c->text, c->path_len);
		f->path_len = c->path_len;
		if (!f->path)
			return -ENOMEM;
	}
	if (m) {
		f->mount = m->target ? strdup(m->target) : NULL;
		f->fstype = m->fstype ? strdup(m->fstype) : NULL;
		f->source = m->source ? strdup(m->source) : NULL;
		f->ram = m->ram;
		f->remote = m->remote;
	}
	f->nfs_silly = c->silly;
	if (st) {
		f->sized = true;
		f->size = (uint64_t)st->st_size;
		f->alloc = (uint64_t)st->st_blocks * 512;
		f->mode = st->st_mode;
	} else {
		f->timed_out = true;
		ds->gaps.timed_out_files++;
	}
	r = hash_insert(ds, ds->nfiles);
	if (r < 0) {
		free(f->path);
		free(f->mount);
		free(f->fstype);
		free(f->source);
		return r;
	}
	ds->nfiles++;
	*ret_f = f;
	return 0;
}

/*
 * Look a mount up in the holder's table, then in pid 1's: a process in a
 * chroot whose root is not a mount point has no line for the file system
 * under its root. Not found in either: a kernel-internal mount (memfd, SysV
 * shm, shared anonymous memory), which is memfind's.
 */
static int find_mount(struct pd_deadscan *ds, const struct pd_mnttab *tab,
		      bool by_id, int id, dev_t dev, struct pd_mount *ret_mnt)
{
	const struct pd_mnttab *init;

	if (tab && (by_id ? pd_mnttab_find_id(tab, id, ret_mnt) :
			    pd_mnttab_find_dev(tab, dev, ret_mnt)) == 0)
		return 0;
	init = pd_mounts_init(ds->mounts, ds->pfs);
	if (!init || init == tab)
		return -ENOENT;
	return by_id ? pd_mnttab_find_id(init, id, ret_mnt) :
		       pd_mnttab_find_dev(init, dev, ret_mnt);
}

/*
 * Confirm candidate C of process PROC (directory PIDFD) and record it.
 * Returns 0 (recorded or rightly skipped) or a fatal -errno (ENOMEM).
 */
static int cand_resolve(struct pd_deadscan *ds, int pidfd,
			const struct pd_mnttab *tab, size_t proc,
			const struct cand *c)
{
	struct pd_mount m, m2;
	struct pd_deadfile *f;
	bool have_mount = false, guessed = false;
	dev_t key_dev = 0;
	ino_t key_ino = 0;
	struct stat st;
	int r;

	if (c->how == PD_HOLD_FD) {
		struct pd_fdinfo fi;
		char rel[32], *buf;
		size_t len;

		snprintf(rel, sizeof(rel), "fdinfo/%d", c->fd);
		r = pd_procfs_read_at(ds->pfs, pidfd, rel, 1u << 16, &buf,
				      &len);
		if (pd_err_is_fatal(r))
			return r;
		if (r < 0)
			return 0;	/* closed meanwhile */
		r = pd_fdinfo_parse(buf, len, &fi);
		free(buf);
		if (r == 0 && fi.mnt_id >= 0) {
			if (find_mount(ds, tab, true, fi.mnt_id, 0, &m) < 0)
				return 0;
			have_mount = true;
			if (fi.ino) {
				key_dev = m.dev;
				key_ino = (ino_t)fi.ino;
			}
		}
	} else if (c->how == PD_HOLD_MEM) {
		key_dev = c->dev;
		key_ino = c->ino;
		if (find_mount(ds, tab, false, 0, c->dev, &m) == 0)
			have_mount = true;
	} else if (!c->toolong && tab &&
		   pd_mnttab_find_path(tab, c->text, &m) == 0) {
		/* a guess by path, checked against st_dev below */
		have_mount = true;
		guessed = true;
	}
	if (c->silly && !(have_mount && m.fstype && !strncmp(m.fstype, "nfs", 3)))
		return 0;

	/* Seen already (another holder, or fd and mapping): no stat. */
	if (key_ino) {
		f = file_find(ds, key_dev, key_ino, c->text, c->path_len);
		if (f)
			return file_hold(f, proc, c);
	}
	if (have_mount && mount_is_dead(ds, m.id, m.dev))
		r = -ETIMEDOUT;
	else if (!have_mount || m.remote)
		r = pd_statq_stat(ds->statq, pidfd, c->rel, &st);
	else
		r = pd_procfs_stat_link(ds->pfs, pidfd, c->rel, &st);

	if (r == -ETIMEDOUT) {
		/* cannot say where it is, or (no text) whether deleted */
		if (!have_mount || c->toolong)
			return 0;
		if (!mount_is_dead(ds, m.id, m.dev) && mount_mark_dead(ds, &m) < 0)
			return -ENOMEM;
		f = file_find(ds, m.dev, key_ino, c->text, c->path_len);
		if (!f) {
			r = file_add(ds, c, &m, m.dev, key_ino, NULL, &f);
			if (r < 0)
				return r;
		}
		return holder_add(f, proc, c);
	}
	if (pd_err_is_fatal(r))
		return r;	/* no descriptor left for the stat's worker */
	if (r < 0) {
		if (c->how == PD_HOLD_MEM && (r == -EPERM || r == -EACCES))
			ds->gaps.unverified_maps++;
		return 0;
	}
	if (st.st_nlink != 0 && !c->silly)
		return 0;	/* a live file that is merely named "(deleted)" */

	/* The device decides the mount when the fd did not name one. */
	if (c->how != PD_HOLD_FD || !have_mount) {
		if (find_mount(ds, tab, false, 0, st.st_dev, &m2) < 0) {
			/*
			 * On no visible mount: the kernel's internal ones
			 * (a process run from a memfd): memfind's. Only
			 * btrfs gives subvolume files an st_dev that
			 * mountinfo does not show; trust the path there.
			 */
			if (!have_mount)
				return 0;
			if (c->how == PD_HOLD_EXE) {
				/* A deleted exe is mapped too: join the file
				 * its maps line found, never guess (a memfd
				 * exe path looks like "/memfd:..."). */
				f = file_find(ds, st.st_dev, st.st_ino,
					      c->text, c->path_len);
				return f ? file_hold(f, proc, c) : 0;
			}
			if (guessed && (!m.fstype || strcmp(m.fstype, "btrfs")))
				return 0;
		} else {
			m = m2;
			have_mount = true;
		}
	}
	f = file_find(ds, st.st_dev, st.st_ino, c->text, c->path_len);
	if (!f) {
		r = file_add(ds, c, have_mount ? &m : NULL, st.st_dev,
			     st.st_ino, &st, &f);
		if (r < 0)
			return r;
	}
	return file_hold(f, proc, c);
}

/* Count error ERR of reading process PID (directory PIDFD, or -1) in the
 * stats, and note what of it the selection may miss. Returns 0, or a fatal
 * -errno (ERR itself when it is one: pd_err_is_fatal()). */
static int unread(struct pd_deadscan *ds, int pidfd, pid_t pid, int err)
{
	int r = pd_scanstats_count(&ds->stats, err);

	if (r < 0 || pd_err_is_gone(err))
		return r;
	return pd_coverage_add_unread(ds->cov, pidfd, pid, err);
}

/*
 * Scan one process. What it holds that cannot be read is counted once,
 * by its first cause; returns 0 or a fatal -errno (pd_err_is_fatal()).
 */
static int scan_pid(struct pd_deadscan *ds, pid_t pid)
{
	const struct pd_mnttab *tab = NULL;
	int pidfd, hfd, r, rf, rm;
	size_t proc, i, nfd_cands;

	ds->stats.procs++;
	r = pd_procfs_open_pid(ds->pfs, pid, &pidfd);
	if (r < 0)
		return unread(ds, -1, pid, r);
	/* what it holds, through a live thread when its leader exited */
	r = pd_proc_open_holder(ds->pfs, pidfd, pid, &hfd);
	if (r < 0) {
		hfd = pidfd;
		goto out_close;
	}
	rf = collect_fds(ds, hfd);
	nfd_cands = ds->ncands;
	rm = collect_maps(ds, hfd);
	r = pd_err_is_fatal(rf) ? rf : pd_err_is_fatal(rm) ? rm : 0;
	if (r < 0)
		goto out_close;
	if (rf < 0 || rm < 0) {
		r = unread(ds, pidfd, pid, rf < 0 ? rf : rm);
		if (r < 0 || pd_err_is_gone(rf < 0 ? rf : rm))
			goto out_close;
	}
	r = collect_links(ds, hfd, rm < 0 || ds->ncands > nfd_cands);
	if (r < 0)
		goto out_close;
	if (!ds->ncands)
		goto out_close;

	r = proc_add(ds, pidfd, hfd, pid, &proc);
	if (r < 0) {
		/* counted already when fd/ or maps failed: once a process */
		if (!pd_err_is_fatal(r))
			r = rf < 0 || rm < 0 ? 0 : unread(ds, pidfd, pid, r);
		goto out_close;
	}
	r = pd_mounts_of_pid(ds->mounts, hfd, pid, &tab);
	if (pd_err_is_fatal(r))
		goto out_close;
	if (r < 0)
		tab = NULL;
	for (i = 0; i < ds->ncands; i++) {
		r = cand_resolve(ds, hfd, tab, proc, &ds->cands[i]);
		if (r < 0)
			goto out_close;
	}

out_close:
	cands_clear(ds);
	if (hfd != pidfd)
		close(hfd);
	close(pidfd);
	return r;
}

int pd_deadscan_run(struct pd_deadscan *ds)
{
	pid_t *pids;
	size_t n, i;
	int r;

	r = pd_procfs_list_pids(ds->pfs, &pids, &n);
	if (r < 0)
		return r;
	r = pd_coverage_set_listed(ds->cov, pids, n);
	for (i = 0; i < n && r == 0; i++) {
		r = scan_pid(ds, pids[i]);
		/* a fatal error that a read skipped (closed meanwhile?) */
		if (r == 0)
			r = pd_procfs_error(ds->pfs);
	}
	free(pids);
	if (r == 0)
		pd_coverage_judge(ds->cov, NULL, &ds->partial);
	return r;
}

int pd_deadscan_mount_dev(struct pd_deadscan *ds, const char *path,
			  dev_t *ret_dev)
{
	const struct pd_mnttab *tab;
	struct pd_mount m;
	struct stat st;
	size_t i;
	int r, pidfd, hfd;

	if (!pd_procfs_is_captured(ds->pfs)) {
		r = pd_statq_stat(ds->statq, AT_FDCWD, path, &st);
		if (r < 0)
			return r;
		*ret_dev = st.st_dev;
		return 0;
	}
	/* No live file system behind a captured tree: resolve PATH by text
	 * in the mount table of a holder. */
	for (i = 0; i < ds->nprocs; i++) {
		if (pd_procfs_open_pid(ds->pfs, ds->procs[i].pid, &pidfd) < 0)
			continue;
		if (pd_proc_open_holder(ds->pfs, pidfd, ds->procs[i].pid,
					&hfd) < 0) {
			close(pidfd);
			continue;
		}
		r = pd_mounts_of_pid(ds->mounts, hfd, ds->procs[i].pid, &tab);
		if (hfd != pidfd)
			close(hfd);
		close(pidfd);
		if (r == 0 && pd_mnttab_find_path(tab, path, &m) == 0) {
			*ret_dev = m.dev;
			return 0;
		}
	}
	return -ENODEV;
}

static bool proc_matches(struct pd_deadscan *ds, const struct pd_deadproc *p,
			 const struct pd_deadfilter *flt)
{
	const struct pd_procfilter pf = {
		.pids = flt->pids, .npids = flt->npids,
		.uids = flt->uids, .nuids = flt->nuids,
		.comms = flt->comms, .ncomms = flt->ncomms,
	};

	return pd_procfilter_match(&pf, ds->pfs, p->pid, p->uid, p->comm);
}

int pd_deadscan_select(struct pd_deadscan *ds,
		       const struct pd_deadfilter *flt)
{
	size_t i, j, k, *stamp = NULL;
	bool *pmatch = NULL;
	int r = 0;

	pd_coverage_judge(ds->cov, &(const struct pd_procfilter){
				.pids = flt->pids, .npids = flt->npids,
				.uids = flt->uids, .nuids = flt->nuids,
				.comms = flt->comms, .ncomms = flt->ncomms,
			  }, &ds->partial);
	pmatch = calloc(ds->nprocs + 1, sizeof(*pmatch));
	stamp = calloc(ds->nprocs + 1, sizeof(*stamp));
	if (!pmatch || !stamp) {
		r = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < ds->nprocs; i++) {
		struct pd_deadproc *p = &ds->procs[i];

		pmatch[i] = proc_matches(ds, p, flt);
		p->files = p->sole_files = 0;
		p->alloc = p->size = p->sole_alloc = 0;
		p->unknown = p->selected = false;
	}
	ds->nmnts = 0;
	free(ds->mnts);
	ds->mnts = NULL;

	for (i = 0; i < ds->nfiles; i++) {
		struct pd_deadfile *f = &ds->files[i];
		bool any = false;

		f->selected = false;
		if (flt->has_dev && f->dev != flt->dev)
			continue;
		if (f->sized && f->alloc < flt->min_alloc)
			continue;
		for (j = 0; j < f->nholders && !any; j++)
			any = pmatch[f->holders[j].proc];
		if (!any)
			continue;
		f->selected = true;
		for (j = 0; j < f->nholders; j++) {
			struct pd_deadproc *p = &ds->procs[f->holders[j].proc];

			if (!pmatch[f->holders[j].proc])
				continue;
			p->selected = true;
			p->files++;
			p->alloc += f->alloc;
			p->size += f->size;
			p->unknown |= !f->sized;
			if (f->nholders == 1) {
				p->sole_files++;
				p->sole_alloc += f->alloc;
			}
		}
		for (k = 0; k < ds->nmnts; k++)
			if (ds->mnts[k].dev == f->dev)
				break;
		if (k == ds->nmnts) {
			struct pd_deadmount *nm;

			nm = realloc(ds->mnts, (ds->nmnts + 1) * sizeof(*nm));
			if (!nm) {
				r = -ENOMEM;
				goto out_free;
			}
			ds->mnts = nm;
			memset(&nm[k], 0, sizeof(nm[k]));
			nm[k].dev = f->dev;
			nm[k].mount = f->mount;
			nm[k].fstype = f->fstype;
			nm[k].source = f->source;
			nm[k].ram = f->ram;
			ds->nmnts++;
		}
		ds->mnts[k].files++;
		ds->mnts[k].alloc += f->alloc;
		ds->mnts[k].size += f->size;
		ds->mnts[k].unknown |= !f->sized;
	}
	/* Distinct holders per mount; files of mounts interleave, so count
	 * one mount at a time (a handful of mounts, few files). */
	for (k = 0; k < ds->nmnts; k++) {
		memset(stamp, 0, (ds->nprocs + 1) * sizeof(*stamp));
		for (i = 0; i < ds->nfiles; i++) {
			const struct pd_deadfile *f = &ds->files[i];

			if (!f->selected || f->dev != ds->mnts[k].dev)
				continue;
			for (j = 0; j < f->nholders; j++) {
				size_t p = f->holders[j].proc;

				if (stamp[p] || !pmatch[p])
					continue;
				stamp[p] = 1;
				ds->mnts[k].procs++;
			}
		}
	}

out_free:
	free(pmatch);
	free(stamp);
	return r;
}

size_t pd_deadscan_nfiles(const struct pd_deadscan *ds)
{
	return ds->nfiles;
}

const struct pd_deadfile *pd_deadscan_file(const struct pd_deadscan *ds,
					   size_t i)
{
	return i < ds->nfiles ? &ds->files[i] : NULL;
}

size_t pd_deadscan_nprocs(const struct pd_deadscan *ds)
{
	return ds->nprocs;
}

const struct pd_deadproc *pd_deadscan_proc(const struct pd_deadscan *ds,
					   size_t i)
{
	return i < ds->nprocs ? &ds->procs[i] : NULL;
}

size_t pd_deadscan_nmounts(const struct pd_deadscan *ds)
{
	return ds->nmnts;
}

const struct pd_deadmount *pd_deadscan_mount(const struct pd_deadscan *ds,
					     size_t i)
{
	return i < ds->nmnts ? &ds->mnts[i] : NULL;
}

const struct pd_scanstats *pd_deadscan_stats(const struct pd_deadscan *ds)
{
	return &ds->stats;
}

const struct pd_partial *pd_deadscan_partial(const struct pd_deadscan *ds)
{
	return &ds->partial;
}

const struct pd_deadscan_gaps *pd_deadscan_gaps(const struct pd_deadscan *ds)
{
	return &ds->gaps;
}

size_t pd_deadscan_ntimeouts(const struct pd_deadscan *ds)
{
	return ds->ntimeouts;
}

const char *pd_deadscan_timeout(const struct pd_deadscan *ds, size_t i)
{
	return i < ds->ntimeouts ? ds->timeouts[i] : NULL;
}

void pd_deadholder_format(const struct pd_deadholder *h, char *buf,
			  size_t bufsz)
{
	static const struct {
		unsigned bit;
		const char *name;
	} words[] = {
		{ PD_HOLD_MEM, "mem" },
		{ PD_HOLD_CWD, "cwd" },
		{ PD_HOLD_ROOT, "root" },
		{ PD_HOLD_EXE, "exe" },
	};
	size_t used = 0, i;
	char item[16];

	if (!bufsz)
		return;
	buf[0] = '\0';
	for (i = 0; i < h->nfds + sizeof(words) / sizeof(words[0]); i++) {
		size_t n;

		if (i < h->nfds) {
			snprintf(item, sizeof(item), "%d", h->fds[i]);
		} else {
			size_t w = i - h->nfds;

			if (!(h->how & words[w].bit))
				continue;
			snprintf(item, sizeof(item), "%s", words[w].name);
		}
		n = strlen(item);
		if (used + (used ? 1 : 0) + n + 1 > bufsz)
			break;
		if (used)
			buf[used++] = ',';
		memcpy(buf + used, item, n + 1);
		used += n;
	}
}
