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

struct pd_deadscan {
	struct pd_procfs *pfs;
	struct pd_deadscan_opts opts;
	struct pd_holders *hs;
	struct pd_users *users;

	struct pd_deadfile *files;
	size_t nfiles, capfiles;
	struct pd_objidx *idx;

	struct pd_deadproc *procs;
	size_t nprocs, capprocs;

	struct pd_deadmount *mnts;
	size_t nmnts;

	struct pd_deadscan_gaps gaps;
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
		ds->opts.timeout_ms = PD_STATQ_DEFAULT_MS;
	r = pd_holders_new(pfs, ds->opts.timeout_ms, &ds->hs);
	if (r < 0)
		goto out_free;
	r = pd_users_new(&ds->users);
	if (r < 0)
		goto out_free;
	r = pd_objidx_new(&ds->idx);
	if (r < 0)
		goto out_free;
	pd_coverage_judge(pd_holders_coverage(ds->hs), NULL, &ds->partial);
	*ret_ds = ds;
	return 0;

out_free:
	pd_deadscan_free(ds);
	return r;
}

void pd_deadscan_free(struct pd_deadscan *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->nfiles; i++) {
		struct pd_deadfile *f = &ds->files[i];

		free(f->path);
		free(f->mount);
		free(f->fstype);
		free(f->source);
		pd_holders_free_list(f->holders, f->nholders);
	}
	free(ds->files);
	pd_objidx_free(ds->idx);
	for (i = 0; i < ds->nprocs; i++)
		pd_proc_release(&ds->procs[i].proc);
	free(ds->procs);
	free(ds->mnts);
	pd_users_free(ds->users);
	pd_holders_free(ds->hs);
	free(ds);
}

struct pd_holders *pd_deadscan_holders(struct pd_deadscan *ds)
{
	return ds->hs;
}

/* The path, for a file keyed by ino 0 (a timed-out cwd/exe we could not
 * stat): then the path tells files apart. */
struct pathkey {
	const struct pd_deadscan *ds;
	const char *path;
	size_t path_len;
};

static bool path_matches(void *arg, size_t idx)
{
	const struct pathkey *k = arg;
	const struct pd_deadfile *f = &k->ds->files[idx];

	return f->ino != 0 || (f->path_len == k->path_len &&
			       !memcmp(f->path, k->path, k->path_len));
}

static struct pd_deadfile *file_find(struct pd_deadscan *ds, dev_t dev,
				     ino_t ino, const char *path,
				     size_t path_len)
{
	struct pathkey pk = { ds, path, path_len };
	struct pd_objkey key = { .dev = dev, .ino = ino };
	size_t i;

	if (!pd_objidx_find(ds->idx, &key, path_matches, &pk, &i))
		return NULL;
	return &ds->files[i];
}

/* --- the kind: a deleted file ------------------------------------------- */

/* Is a path link a candidate: " (deleted)", or an NFS silly name? Only
 * st_nlink == 0 confirms it. */
static int classify_path(void *arg, struct pd_holders_pid *p,
			 const struct pd_link *l, struct pd_handle *h)
{
	(void)arg;
	(void)p;
	if (h->toolong)
		return 0;	/* a path past PATH_MAX: only a stat can tell */
	if (l->kind != PD_LINK_PATH)
		return 1;
	h->silly = !l->deleted && pd_path_is_nfs_silly(h->text, l->path_len);
	return l->deleted || h->silly ? 0 : 1;
}

static int classify_map(void *arg, struct pd_holders_pid *p,
			const struct pd_map *m, bool deleted,
			struct pd_handle *h)
{
	(void)arg;
	(void)p;
	if (!m->inode)
		return 1;
	if (deleted)
		return 0;
	if (!pd_path_is_nfs_silly(m->path, m->path_len))
		return 1;
	/* a file replaced on NFS while mapped (a rebuilt binary or
	 * library): renamed, not deleted */
	h->path_len = m->path_len;
	h->silly = true;
	return 0;
}

/*
 * A running binary is always mapped, so a deleted exe shows in maps
 * first: read exe only when maps had a candidate or could not be read
 * (one readlink less for nearly every process).
 */
static bool want_exe(void *arg, const struct pd_holders_pid *p, size_t n)
{
	(void)arg;
	return p->maps_failed || n > p->nfd_handles;
}

static int proc_new(void *arg, struct pd_holders_pid *hp, struct pd_proc *p)
{
	struct pd_deadscan *ds = arg;
	struct pd_deadproc *dp;
	int r;

	r = pd_array_grow((void **)&ds->procs, &ds->capprocs, ds->nprocs,
			  sizeof(*ds->procs));
	if (r < 0)
		return r;
	dp = &ds->procs[ds->nprocs];
	memset(dp, 0, sizeof(*dp));
	dp->proc = *p;
	dp->user = pd_users_name(ds->users, p->status.uid);
	/* taken over */
	p->cmdline = p->cgroup = p->unit = NULL;
	hp->proc = ds->nprocs++;
	return 0;
}

/*
 * F was first seen through a link too long for its text; H, a mapping of
 * the same file, has the whole path (maps prints paths of any length).
 */
static int file_better_path(struct pd_deadfile *f, const struct pd_handle *h)
{
	char *p;

	if (!f->path_truncated || h->toolong)
		return 0;
	p = strndup(h->text, h->path_len);
	if (!p)
		return -ENOMEM;
	free(f->path);
	f->path = p;
	f->path_len = h->path_len;
	f->path_truncated = false;
	return 0;
}

static int holder_add(struct pd_deadfile *f, size_t proc,
		      const struct pd_handle *h)
{
	return pd_holder_add(&f->holders, &f->nholders, proc, h->how, h->fd,
			     NULL);
}

/* Record that PROC holds F as H says, keeping the best path text. */
static int file_hold(struct pd_deadfile *f, size_t proc,
		     const struct pd_handle *h)
{
	int r = file_better_path(f, h);

	return r < 0 ? r : holder_add(f, proc, h);
}

static int file_add(struct pd_deadscan *ds, const struct pd_handle *c,
		    const struct pd_mount *m, dev_t dev, ino_t ino,
		    const struct stat *st, struct pd_deadfile **ret_f)
{
	struct pd_objkey key = { .dev = dev, .ino = ino };
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
	r = pd_objidx_add(ds->idx, &key, ds->nfiles);
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
 * Can fd handle C be stat'ed without its fdinfo? When the mount its path
 * text names (*ret_mnt) is local, nothing on the way may hang, and it is
 * not btrfs (whose subvolumes have devices no table shows, so only the
 * fd's mnt_id places them). A silly name is NFS's: never.
 */
static bool fd_is_local(const struct pd_handle *c, const struct pd_mnttab *tab,
			struct pd_mount *ret_mnt)
{
	if (c->toolong || c->silly || !tab ||
	    pd_mnttab_find_path(tab, c->text, ret_mnt) < 0)
		return false;
	return !ret_mnt->remote && ret_mnt->fstype &&
	       strcmp(ret_mnt->fstype, "btrfs") != 0 &&
	       !pd_mnttab_path_may_hang(tab, c->text);
}

/*
 * Confirm handle C of process P and record it. Returns 0 (recorded or
 * rightly skipped) or a fatal -errno (ENOMEM).
 */
static int resolve(void *arg, struct pd_holders_pid *p, struct pd_handle *c)
{
	struct pd_deadscan *ds = arg;
	const struct pd_mnttab *tab;
	struct pd_mount m, m2;
	struct pd_deadfile *f;
	bool have_mount = false, guessed = false;
	dev_t key_dev = 0;
	ino_t key_ino = 0;
	size_t proc = p->proc;
	struct stat st;
	int r;

	r = pd_holders_pid_tab(ds->hs, p, &tab);
	if (r < 0)
		return r;
	if (c->how == PD_HOLD_FD && fd_is_local(c, tab, &m)) {
		/* Its path says which mount it was opened through, and that
		 * no server can keep the stat waiting: stat at once, no
		 * fdinfo. A device on no table is an internal mount's
		 * (memfd): memfind's. */
		r = pd_procfs_stat_link(ds->pfs, p->pidfd, c->rel, &st);
		if (pd_err_is_fatal(r))
			return r;
		if (r < 0 || st.st_nlink != 0)
			return 0;
		if (m.dev != st.st_dev &&
		    pd_holders_find_mount(ds->hs, tab, false, 0, st.st_dev,
					  &m) < 0)
			return 0;
		f = file_find(ds, st.st_dev, st.st_ino, c->text, c->path_len);
		if (!f) {
			r = file_add(ds, c, &m, st.st_dev, st.st_ino, &st, &f);
			if (r < 0)
				return r;
		}
		return file_hold(f, proc, c);
	}
	if (c->how == PD_HOLD_FD) {
		struct pd_fdinfo fi;

		r = pd_holders_fdinfo(ds->hs, p, c, &fi, NULL, NULL);
		if (pd_err_is_fatal(r))
			return r;
		if (r < 0)
			return 0;	/* closed meanwhile */
		if (fi.mnt_id >= 0) {
			if (pd_holders_find_mount(ds->hs, tab, true, fi.mnt_id,
						  0, &m) < 0)
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
		if (pd_holders_find_mount(ds->hs, tab, false, 0, c->dev,
					  &m) == 0)
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
	r = pd_holders_stat(ds->hs, p, c, have_mount ? &m : NULL, &st);
	if (r == -ETIMEDOUT) {
		/* cannot say where it is, or (no text) whether deleted */
		if (!have_mount || c->toolong)
			return 0;
		if (!pd_holders_mount_is_dead(ds->hs, &m) &&
		    pd_holders_mark_dead(ds->hs, &m) < 0)
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
		if (pd_holders_find_mount(ds->hs, tab, false, 0, st.st_dev,
					  &m2) < 0) {
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

int pd_deadscan_run(struct pd_deadscan *ds)
{
	struct pd_holders_ops ops = {
		.classify_fd = classify_path,
		.classify_map = classify_map,
		.classify_link = classify_path,
		.want_exe = want_exe,
		.proc_new = proc_new,
		.resolve = resolve,
		.identity = PD_PROC_STAT | PD_PROC_STATUS |
			    (ds->opts.identity ? ds->opts.identity :
			     PD_PROC_CMDLINE | PD_PROC_CGROUP),
	};
	int r = pd_holders_run(ds->hs, &ops, ds);

	if (r == 0)
		pd_coverage_judge(pd_holders_coverage(ds->hs), NULL,
				  &ds->partial);
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
		r = pd_statq_stat(pd_holders_statq(ds->hs), AT_FDCWD, path, &st);
		if (r < 0)
			return r;
		*ret_dev = st.st_dev;
		return 0;
	}
	/* No live file system behind a captured tree: resolve PATH by text
	 * in the mount table of a holder. */
	for (i = 0; i < ds->nprocs; i++) {
		if (pd_procfs_open_pid(ds->pfs, ds->procs[i].proc.pid, &pidfd) < 0)
			continue;
		if (pd_proc_open_holder(ds->pfs, pidfd, ds->procs[i].proc.pid,
					&hfd) < 0) {
			close(pidfd);
			continue;
		}
		r = pd_mounts_of_pid(pd_holders_mounts(ds->hs), hfd,
				     ds->procs[i].proc.pid, &tab);
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

/* pd_holders_match() finds the identity at the start of each record */
_Static_assert(offsetof(struct pd_deadproc, proc) == 0, "proc first");

int pd_deadscan_select(struct pd_deadscan *ds,
		       const struct pd_deadfilter *flt)
{
	size_t i, j, k, *stamp = NULL;
	bool *pmatch = NULL;
	int r = 0;

	r = pd_holders_match(ds->hs, &flt->procs, ds->procs, ds->nprocs,
			     sizeof(*ds->procs), &pmatch, &ds->partial);
	if (r < 0)
		return r;
	stamp = calloc(ds->nprocs + 1, sizeof(*stamp));
	if (!stamp) {
		r = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < ds->nprocs; i++) {
		struct pd_deadproc *p = &ds->procs[i];

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
	return pd_holders_stats(ds->hs);
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
	return pd_holders_ntimeouts(ds->hs);
}

const char *pd_deadscan_timeout(const struct pd_deadscan *ds, size_t i)
{
	return pd_holders_timeout(ds->hs, i);
}
