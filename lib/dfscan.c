/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfscan: why df and du disagree, file system by file system: the df side,
 * one du -x walk, and the gap's parts with their evidence. */
#include "dfscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "blkdev.h"
#include "mntreach.h"
#include "mounts.h"
#include "statq.h"

/* A captured tree's df side (see tests/fixtures/README.md). */
#define CAPTURE_STATVFS "dfdu-statvfs"

#define NONE SIZE_MAX

struct dfpath {
	char *abs;		/* absolute, as given or under the cwd */
	bool has_dev;
	dev_t dev;		/* st_dev of the live stat */
	bool found;
};

/*
 * A usable line of the mount table (absolute mount point, a root, a type)
 * and what the table says of it, worked out once for every mount, so that
 * no step of the scan looks through the table per mount or per file
 * system: Kubernetes nodes carry thousands of mounts.
 */
struct dfmnt {
	struct pd_mount m;
	size_t parent;		/* its parent mount, or NONE */
	size_t group;		/* the group of its device */
	bool over;		/* another mount sits on its point */
	bool decided;		/* reach is known */
	bool reach;		/* a path walk reaches its point (and so
				 * finds it, unless over) */
};

/* The mounts of one device (table order), and the mounts on directories
 * of it (by parent, table order), as slices of one array each. */
struct dfgroup {
	dev_t dev;
	size_t first, n;	/* in ds->bydev */
	size_t kfirst, nk;	/* in ds->kids */
	size_t fs;		/* its row in ds->fs, or NONE */
};

/* What the scan keeps per row besides struct pd_dffs. */
struct dffsx {
	size_t group;
	size_t mnt;		/* the mount the row names */
};

struct dfid {
	int id;
	size_t i;
};

struct pd_dfscan {
	struct pd_procfs *pfs;
	struct pd_dfscan_opts opts;
	struct pd_statq *q;		/* the inner deadscan's */
	struct pd_deadscan *dead;
	struct pd_mounts *mounts;	/* the inner deadscan's */
	const struct pd_mnttab *tab;	/* owned by mounts */
	struct dfmnt *mnt;	/* the usable mounts, table order */
	size_t nmnt;
	struct dfid *byid;	/* by (id, table order) */
	size_t *bydev;		/* mount indices by (dev, table order) */
	size_t *bytarget;	/* by mount point, '/' first (cmp_path) */
	size_t *kids;		/* by (parent's group, table order) */
	struct dfgroup *groups;	/* by dev */
	size_t ngroups;
	struct dfpath *paths;
	size_t npaths;
	struct pd_dffs *fs;
	struct dffsx *fsx;
	size_t nfs;
	char *capture;		/* the captured dfdu-statvfs text, or NULL */
	size_t capture_len;
};

int pd_dfscan_new(struct pd_procfs *pfs, const struct pd_dfscan_opts *opts,
		  struct pd_dfscan **ret_ds)
{
	struct pd_deadscan_opts dopts = {
		.timeout_ms = opts->timeout_ms,
		/* the explanations name holders by pid and comm */
		.identity = PD_PROC_STAT | PD_PROC_STATUS,
	};
	struct pd_dfscan *ds = calloc(1, sizeof(*ds));
	int r;

	if (!ds)
		return -ENOMEM;
	ds->pfs = pfs;
	ds->opts = *opts;
	r = pd_deadscan_new(pfs, &dopts, &ds->dead);
	if (r < 0)
		goto out_free;
	/* one deadline queue and one cache of mount tables for both */
	ds->q = pd_holders_statq(pd_deadscan_holders(ds->dead));
	ds->mounts = pd_holders_mounts(pd_deadscan_holders(ds->dead));
	*ret_ds = ds;
	return 0;

out_free:
	pd_dfscan_free(ds);
	return r;
}

static void fs_release(struct pd_dffs *fs)
{
	size_t i;

	free(fs->mount);
	free(fs->fstype);
	free(fs->source);
	free(fs->root);
	free(fs->covered_by);
	for (i = 0; i < fs->ncovered; i++) {
		free(fs->covered[i].mount);
		free(fs->covered[i].path);
	}
	free(fs->covered);
	for (i = 0; i < fs->nunreadable_paths; i++)
		free(fs->unreadable_paths[i]);
	free(fs->unreadable_paths);
	pd_dfparts_release(&fs->parts);
	for (i = 0; i < fs->ntopdirs; i++)
		free(fs->topdirs[i].path);
	free(fs->topdirs);
}

void pd_dfscan_free(struct pd_dfscan *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->nfs; i++)
		fs_release(&ds->fs[i]);
	free(ds->fs);
	free(ds->fsx);
	for (i = 0; i < ds->npaths; i++)
		free(ds->paths[i].abs);
	free(ds->paths);
	free(ds->capture);
	free(ds->mnt);
	free(ds->byid);
	free(ds->bydev);
	free(ds->bytarget);
	free(ds->kids);
	free(ds->groups);
	pd_deadscan_free(ds->dead);
	free(ds);
}

size_t pd_dfscan_nfs(const struct pd_dfscan *ds)
{
	return ds->nfs;
}

const struct pd_dffs *pd_dfscan_fs(const struct pd_dfscan *ds, size_t i)
{
	return i < ds->nfs ? &ds->fs[i] : NULL;
}

bool pd_dfscan_path_found(const struct pd_dfscan *ds, size_t i)
{
	return i < ds->npaths && ds->paths[i].found;
}

const struct pd_deadscan *pd_dfscan_deadscan(const struct pd_dfscan *ds)
{
	return ds->dead;
}

/* The mount table dfdu sees: its own (live), or pid 1's (captured). */
static int load_table(struct pd_dfscan *ds)
{
	int pidfd, r;

	if (ds->tab)
		return 0;
	if (pd_procfs_is_captured(ds->pfs)) {
		ds->tab = pd_mounts_init(ds->mounts, ds->pfs);
		return ds->tab ? 0 : -ENOENT;
	}
	r = pd_procfs_open_pid(ds->pfs, getpid(), &pidfd);
	if (r < 0)
		return r;
	r = pd_mounts_of_pid(ds->mounts, pidfd, getpid(), &ds->tab);
	close(pidfd);
	return r;
}

/* Paths in an order where '/' sorts before every other byte: a path is
 * followed at once by everything below it. */
static int cmp_path(const char *x, const char *y)
{
	const unsigned char *a = (const unsigned char *)x;
	const unsigned char *b = (const unsigned char *)y;

	while (*a && *a == *b) {
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	if (!*a || !*b)
		return *a ? 1 : -1;
	if (*a == '/' || *b == '/')
		return *a == '/' ? -1 : 1;
	return *a < *b ? -1 : 1;
}

/* qsort_r comparators over mount indices; ties keep table order. */
static int cmp_by_dev(const void *a, const void *b, void *arg)
{
	const struct dfmnt *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (v[x].m.dev != v[y].m.dev)
		return v[x].m.dev < v[y].m.dev ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_by_target(const void *a, const void *b, void *arg)
{
	const struct dfmnt *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int d = cmp_path(v[x].m.target, v[y].m.target);

	return d ? d : x < y ? -1 : x > y;
}

static int cmp_by_parent_group(const void *a, const void *b, void *arg)
{
	const struct dfmnt *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t gx = v[v[x].parent].group, gy = v[v[y].parent].group;

	if (gx != gy)
		return gx < gy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int cmp_by_id(const void *a, const void *b)
{
	const struct dfid *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The first mount (in table order) with mount id ID, or NONE. */
static size_t mnt_by_id(const struct pd_dfscan *ds, int id)
{
	size_t lo = 0, hi = ds->nmnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ds->byid[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ds->nmnt && ds->byid[lo].id == id ? ds->byid[lo].i : NONE;
}

/* The group of device DEV, or NONE. */
static size_t group_by_dev(const struct pd_dfscan *ds, dev_t dev)
{
	size_t lo = 0, hi = ds->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ds->groups[mid].dev == dev)
			return mid;
		if (ds->groups[mid].dev < dev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NONE;
}

/* The first position in bytarget whose mount point sorts at or after
 * PATH. */
static size_t target_lower_bound(const struct pd_dfscan *ds,
				 const char *path)
{
	size_t lo = 0, hi = ds->nmnt;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_path(ds->mnt[ds->bytarget[mid]].m.target, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Does a path walk find mount D at its point? */
static bool visible(const struct dfmnt *d)
{
	return d->reach && !d->over;
}

/* Is a visible mount sitting on PATH? */
static bool visible_at(const struct pd_dfscan *ds, const char *path)
{
	size_t i;

	for (i = target_lower_bound(ds, path); i < ds->nmnt; i++) {
		const struct dfmnt *d = &ds->mnt[ds->bytarget[i]];

		if (strcmp(d->m.target, path))
			break;
		if (d->decided && visible(d))
			return true;
	}
	return false;
}

/*
 * Does a path walk reach mount D's point in D's parent: the parent is
 * visible (reached, nothing on it) and no visible mount sits on a
 * directory between the two points (the walk would go there instead).
 * The parent's point is shorter, so in bytarget order it is decided.
 */
static int reach_from_parent(const struct pd_dfscan *ds,
			     const struct dfmnt *d, bool *ret)
{
	const struct dfmnt *p;
	size_t tl, len;
	char *buf;

	*ret = false;
	if (d->parent == NONE) {
		*ret = true;
		return 0;
	}
	p = &ds->mnt[d->parent];
	tl = strcmp(p->m.target, "/") ? strlen(p->m.target) : 0;
	if (!p->decided || !p->reach || p->over ||
	    strncmp(d->m.target, p->m.target, tl) || d->m.target[tl] != '/')
		return 0;
	len = strlen(d->m.target);
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, d->m.target, len + 1);
	for (;;) {
		char *slash = strrchr(buf, '/');

		if (!slash || (size_t)(slash - buf) <= tl)
			break;
		*slash = '\0';
		if (visible_at(ds, buf)) {
			free(buf);
			return 0;
		}
	}
	free(buf);
	*ret = true;
	return 0;
}

/*
 * Decide whether a path walk reaches mount I (its point shows it, or a
 * mount stacked on it): up the chain of mounts stacked on the same point
 * to one whose parent lies below, decided by reach_from_parent(), and the
 * answer down the chain again. Taken in bytarget order, every mount on a
 * shorter point is decided first. A cycle in a broken table is not
 * reached.
 */
static int decide_reach(struct pd_dfscan *ds, size_t i)
{
	size_t j = i, k, steps = 0;
	bool reach = false;
	int r;

	while (!ds->mnt[j].decided) {
		size_t p = ds->mnt[j].parent;

		if (p == NONE || strcmp(ds->mnt[p].m.target,
					ds->mnt[j].m.target))
			break;
		if (++steps > ds->nmnt)
			break;
		j = p;
	}
	if (ds->mnt[j].decided) {
		reach = ds->mnt[j].reach;
	} else if (steps <= ds->nmnt) {
		r = reach_from_parent(ds, &ds->mnt[j], &reach);
		if (r < 0)
			return r;
	}
	for (k = i, steps = 0; steps <= ds->nmnt; steps++) {
		struct dfmnt *d = &ds->mnt[k];

		if (d->decided)
			break;
		d->decided = true;
		d->reach = reach;
		if (k == j || d->parent == NONE)
			break;
		k = d->parent;
	}
	return 0;
}

/* A line fit to work with: libmount reads "a b -" as an fstab line
 * without a root, a captured table may hold anything. */
static bool usable(const struct pd_mount *m)
{
	return m->target && m->target[0] == '/' && m->root && m->fstype &&
	       m->source;
}

/* Index the usable mounts of the table: by id, by device, by mount
 * point, parents, groups, over-mounts, visibility. O(n log n). */
static int index_table(struct pd_dfscan *ds)
{
	size_t n = pd_mnttab_count(ds->tab), nk = 0, i, g;
	int r;

	ds->mnt = calloc(n ? n : 1, sizeof(*ds->mnt));
	if (!ds->mnt)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct dfmnt *d = &ds->mnt[ds->nmnt];

		if (pd_mnttab_get(ds->tab, i, &d->m) == 0 && usable(&d->m))
			ds->nmnt++;
	}
	n = ds->nmnt;
	ds->byid = calloc(n ? n : 1, sizeof(*ds->byid));
	ds->bydev = calloc(n ? n : 1, sizeof(*ds->bydev));
	ds->bytarget = calloc(n ? n : 1, sizeof(*ds->bytarget));
	ds->kids = calloc(n ? n : 1, sizeof(*ds->kids));
	ds->groups = calloc(n ? n : 1, sizeof(*ds->groups));
	if (!ds->byid || !ds->bydev || !ds->bytarget || !ds->kids ||
	    !ds->groups)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ds->byid[i] = (struct dfid){ .id = ds->mnt[i].m.id, .i = i };
		ds->bydev[i] = i;
		ds->bytarget[i] = i;
	}
	qsort(ds->byid, n, sizeof(*ds->byid), cmp_by_id);
	qsort_r(ds->bydev, n, sizeof(*ds->bydev), cmp_by_dev, ds->mnt);
	qsort_r(ds->bytarget, n, sizeof(*ds->bytarget), cmp_by_target,
		ds->mnt);

	/* groups of one device each, in dev order */
	for (i = 0; i < n; i++) {
		struct dfmnt *d = &ds->mnt[ds->bydev[i]];

		if (!i || d->m.dev != ds->groups[ds->ngroups - 1].dev)
			ds->groups[ds->ngroups++] = (struct dfgroup){
				.dev = d->m.dev, .first = i, .fs = NONE,
			};
		ds->groups[ds->ngroups - 1].n++;
		d->group = ds->ngroups - 1;
	}

	/* parents, over-mounts; the kids of each group */
	for (i = 0; i < n; i++) {
		struct dfmnt *d = &ds->mnt[i];
		size_t p = mnt_by_id(ds, d->m.parent_id);

		d->parent = p == i || d->m.id == d->m.parent_id ? NONE : p;
		if (d->parent == NONE)
			continue;
		if (!strcmp(d->m.target, ds->mnt[d->parent].m.target))
			ds->mnt[d->parent].over = true;
		ds->kids[nk++] = i;
	}
	qsort_r(ds->kids, nk, sizeof(*ds->kids), cmp_by_parent_group, ds->mnt);
	for (i = 0; i < nk; i++) {
		struct dfgroup *gp;

		g = ds->mnt[ds->mnt[ds->kids[i]].parent].group;
		gp = &ds->groups[g];
		if (!gp->nk)
			gp->kfirst = i;
		gp->nk++;
	}

	for (i = 0; i < n; i++) {
		r = decide_reach(ds, ds->bytarget[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int pd_dfscan_add_path(struct pd_dfscan *ds, const char *path)
{
	struct dfpath p = { 0 };
	struct dfpath *nv;
	struct stat st;
	int r;

	if (path[0] == '/') {
		p.abs = strdup(path);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return -errno;
		if (asprintf(&p.abs, "%s/%s", strcmp(cwd, "/") ? cwd : "",
			     path) < 0)
			p.abs = NULL;
	}
	if (!p.abs)
		return -ENOMEM;
	if (!pd_procfs_is_captured(ds->pfs)) {
		r = pd_statq_stat(ds->q, AT_FDCWD, path, &st);
		if (r < 0)
			goto out_free;
		p.has_dev = true;
		p.dev = st.st_dev;
	}
	nv = realloc(ds->paths, (ds->npaths + 1) * sizeof(*nv));
	if (!nv) {
		r = -ENOMEM;
		goto out_free;
	}
	ds->paths = nv;
	ds->paths[ds->npaths++] = p;
	return 0;

out_free:
	free(p.abs);
	return r;
}

/* The device of each path argument (found by the table, once). */
static void paths_to_devs(struct pd_dfscan *ds)
{
	size_t i;

	for (i = 0; i < ds->npaths; i++) {
		struct dfpath *p = &ds->paths[i];
		struct pd_mount pm;

		/* A stat's st_dev is mountinfo's except on btrfs subvolumes:
		 * then the mount holding the path by its text decides. */
		if (p->has_dev && pd_mnttab_find_dev(ds->tab, p->dev, &pm) == 0)
			continue;
		if (pd_mnttab_find_path(ds->tab, p->abs, &pm) == 0) {
			p->has_dev = true;
			p->dev = pm.dev;
		} else {
			p->has_dev = false;
		}
	}
}

/* Is PATH the mount point TARGET (trailing slashes aside)? */
static bool same_point(const char *path, const char *target)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return strlen(target) == n && !strncmp(path, target, n);
}

/* Is mount D to be measured: not pseudo, not remote unless asked for, and
 * holding one of the path arguments if there are any (marked found), or
 * covered at one of them? */
static bool wanted(struct pd_dfscan *ds, const struct dfmnt *d)
{
	const struct pd_mount *m = &d->m;
	size_t i;
	bool any = false;

	if (m->pseudo || (m->remote && !ds->opts.remote))
		return false;
	if (!ds->npaths)
		return true;
	for (i = 0; i < ds->npaths; i++) {
		struct dfpath *p = &ds->paths[i];

		/* a mount point names what is covered there too */
		if ((p->has_dev && p->dev == m->dev) ||
		    (!visible(d) && same_point(p->abs, m->target))) {
			p->found = true;
			any = true;
		}
	}
	return any;
}

static const char *causes_of(const char *fstype)
{
	if (!strncmp(fstype, "ext", 3))
		return "files changed during the walk (ext4's internal "
		       "inodes are in FSSPECIFIC)";
	if (!strcmp(fstype, "xfs"))
		return "files changed during the walk, and AG headers not yet "
		       "written back (XFS's AG metadata and reservations are "
		       "in FSSPECIFIC)";
	if (!strcmp(fstype, "btrfs"))
		return "files changed during the walk, and extents btrfs has "
		       "not freed yet (a deleted subvolume the cleaner has not "
		       "reached); metadata, snapshots, reflinks and "
		       "compression are in FSSPECIFIC";
	if (pd_fstype_is_ram(fstype))
		return "files changed during the walk";
	return "file system metadata outside any file, and files changed "
	       "during the walk";
}

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

static int cmp_covered(const void *a, const void *b)
{
	const struct pd_dfcovered *x = *(const struct pd_dfcovered *const *)a;
	const struct pd_dfcovered *y = *(const struct pd_dfcovered *const *)b;
	int d = cmp_path(x->path, y->path);

	/* the first one found (table order) first */
	return d ? d : x < y ? -1 : x > y;
}

/* Keep each covered directory once, and none that lies under another
 * (it is walked with it); the rest keep their order. */
static int prune_covered(struct pd_dffs *fs)
{
	struct pd_dfcovered **v, *last = NULL;
	bool *drop;
	size_t i, j;

	if (fs->ncovered < 2)
		return 0;
	v = calloc(fs->ncovered, sizeof(*v));
	drop = calloc(fs->ncovered, sizeof(*drop));
	if (!v || !drop) {
		free(v);
		free(drop);
		return -ENOMEM;
	}
	for (i = 0; i < fs->ncovered; i++)
		v[i] = &fs->covered[i];
	qsort(v, fs->ncovered, sizeof(*v), cmp_covered);
	/* a directory is followed at once by those below it */
	for (i = 0; i < fs->ncovered; i++) {
		size_t l = last ? strlen(last->path) : 0;

		if (last && !strncmp(v[i]->path, last->path, l) &&
		    (v[i]->path[l] == '\0' || v[i]->path[l] == '/'))
			drop[v[i] - fs->covered] = true;
		else
			last = v[i];
	}
	for (i = j = 0; i < fs->ncovered; i++) {
		if (drop[i]) {
			free(fs->covered[i].mount);
			free(fs->covered[i].path);
			continue;
		}
		fs->covered[j++] = fs->covered[i];
	}
	fs->ncovered = j;
	free(v);
	free(drop);
	return 0;
}

/* The directories of FS that other mounts cover, as paths from the root
 * of W (the mount that is walked): for a mount C whose parent P is a mount
 * of FS, P's root joined with C's point below P's. */
static int find_covered(struct pd_dfscan *ds, struct pd_dffs *fs,
			const struct dffsx *x, const struct pd_mount *w)
{
	const struct dfgroup *g = &ds->groups[x->group];
	size_t wroot = strcmp(w->root, "/") ? strlen(w->root) : 0;
	size_t k;

	for (k = g->kfirst; k < g->kfirst + g->nk; k++) {
		const struct dfmnt *c = &ds->mnt[ds->kids[k]];
		const struct pd_mount *p = &ds->mnt[c->parent].m;
		const char *rel;
		char *fspath, *path;
		size_t tl;

		/* stacked on the same point; a root that is no path (nsfs's
		 * "net:[...]"): no directory of FS is covered */
		if (!strcmp(c->m.target, p->target) || p->root[0] != '/')
			continue;
		tl = strcmp(p->target, "/") ? strlen(p->target) : 0;
		if (strncmp(c->m.target, p->target, tl) ||
		    c->m.target[tl] != '/')
			continue;
		rel = c->m.target + tl;
		if (asprintf(&fspath, "%s%s", strcmp(p->root, "/") ? p->root :
			     "", rel) < 0)
			return -ENOMEM;
		if (wroot && (strncmp(fspath, w->root, wroot) ||
			      fspath[wroot] != '/')) {
			free(fspath);
			continue;
		}
		path = strdup(fspath + wroot);
		free(fspath);
		if (!path)
			return -ENOMEM;
		if (fs->ncovered % 16 == 0) {
			struct pd_dfcovered *nv = realloc(fs->covered,
				(fs->ncovered + 16) * sizeof(*nv));

			if (!nv) {
				free(path);
				return -ENOMEM;
			}
			fs->covered = nv;
		}
		fs->covered[fs->ncovered] = (struct pd_dfcovered){
			.mount = xstrdup(c->m.target), .path = path,
		};
		if (!fs->covered[fs->ncovered].mount) {
			free(path);
			return -ENOMEM;
		}
		fs->ncovered++;
	}
	return prune_covered(fs);
}

/* Is FD on mount ID (not shadowed by a later mount on the same point)?
 * AT_STATX_DONT_SYNC: the mount id comes from the VFS, and a FUSE or NFS
 * root that slipped in answers from its cache. */
static bool fd_on_mount(int fd, int id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID,
		  &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return true;	/* before 5.8: trust the table */
	return stx.stx_mnt_id == (uint64_t)id;
}

static bool is_resource_error(int r)
{
	return r == -EMFILE || r == -ENFILE || r == -ENOMEM;
}

/*
 * Open the mount of FS to walk: root "/" first, else a subtree; only a
 * mount the table shows visible (nothing on it, nothing between it and
 * the root), and under the deadline, since the path to it may cross a
 * file system that does not answer. Returns the fd (*ret_i: the mount),
 * -ETIMEDOUT (the only candidates did not answer), -ENOENT (none is
 * reachable), or -EMFILE, -ENFILE, -ENOMEM.
 */
static int open_walk_mount(struct pd_dfscan *ds, const struct dffsx *x,
			   size_t *ret_i)
{
	const struct dfgroup *g = &ds->groups[x->group];
	bool timed_out = false;
	size_t k;
	int pass, fd, r;

	for (pass = 0; pass < 2; pass++)
		for (k = g->first; k < g->first + g->n; k++) {
			const struct dfmnt *d = &ds->mnt[ds->bydev[k]];

			if ((!strcmp(d->m.root, "/")) == pass || !visible(d))
				continue;
			r = pd_statq_open(ds->q, AT_FDCWD, d->m.target,
					  O_RDONLY | O_DIRECTORY, &fd);
			if (is_resource_error(r))
				return r;
			if (r == -ETIMEDOUT)
				timed_out = true;
			if (r < 0)
				continue;
			if (!fd_on_mount(fd, d->m.id)) {
				close(fd);
				continue;
			}
			*ret_i = ds->bydev[k];
			return fd;
		}
	return timed_out ? -ETIMEDOUT : -ENOENT;
}

/*
 * Every mount of FS is covered: open the root of one (root "/" first)
 * through lib/mntreach, and say in FS by what it is covered. Returns the
 * fd (*ret_i: the mount), -ENOENT (none could be reached), -EPERM (that
 * needs root), -ETIMEDOUT, or -ENOMEM.
 */
static int open_covered(struct pd_dfscan *ds, struct pd_dffs *fs,
			const struct dffsx *x, size_t *ret_i)
{
	const struct dfgroup *g = &ds->groups[x->group];
	int pass, fd, r = -ENOENT;
	size_t k;

	for (pass = 0; pass < 2; pass++)
		for (k = g->first; k < g->first + g->n; k++) {
			const struct dfmnt *d = &ds->mnt[ds->bydev[k]];
			struct pd_mount c;
			char *by = NULL;

			if ((!strcmp(d->m.root, "/")) == pass)
				continue;
			r = pd_mntreach_open(ds->q, -1, d->m.target, d->m.dev,
					     &fd);
			if (r == -ENOMEM || r == -EPERM)
				return r;
			if (r < 0)
				continue;
			if (pd_mntreach_cover(ds->tab, &d->m, &c) == 0 &&
			    asprintf(&by, "%s on %s", c.fstype ? c.fstype : "?",
				     c.target) < 0)
				by = NULL;
			fs->covered_by = by ? by : strdup("another mount");
			if (!fs->covered_by) {
				close(fd);
				return -ENOMEM;
			}
			*ret_i = ds->bydev[k];
			return fd;
		}
	return r == -ETIMEDOUT ? r : -ENOENT;
}

/* Tell the walk of W (the mount of FS at its point) every mount point of
 * another file system below it that a path walk reaches: it must not stat
 * them (what is mounted there may not answer), and du -x skips them. */
static int skip_mount_points(struct pd_dfscan *ds, struct pd_walk *w,
			     const struct pd_dffs *fs, const struct pd_mount *m)
{
	size_t tl = strcmp(m->target, "/") ? strlen(m->target) : 0;
	size_t i = 0;
	char *below;
	int r;

	/* a covered mount reached through lib/mntreach has no submounts:
	 * its own covered directories are the ones to leave to the walk of
	 * what is hidden (what the table shows below its point is the
	 * covering tree's) */
	if (fs->covered_by) {
		for (i = 0; i < fs->ncovered; i++) {
			r = pd_walk_skip(w, fs->covered[i].path + 1);
			if (r < 0)
				return r;
		}
		return 0;
	}
	if (asprintf(&below, "%.*s/", (int)tl, m->target) < 0)
		return -ENOMEM;
	if (tl)
		i = target_lower_bound(ds, below);
	free(below);
	for (; i < ds->nmnt; i++) {
		const struct dfmnt *d = &ds->mnt[ds->bytarget[i]];

		if (strncmp(d->m.target, m->target, tl) ||
		    d->m.target[tl] != '/')
			break;
		if (!visible(d) || d->m.dev == fs->dev || !d->m.target[tl + 1])
			continue;
		r = pd_walk_skip(w, d->m.target + tl + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static int keep_unreadable(struct pd_dffs *fs, const struct pd_walk *w)
{
	size_t i, n = pd_walk_nunreadable(w);

	fs->unreadable_paths = calloc(n ? n : 1, sizeof(char *));
	if (!fs->unreadable_paths)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		fs->unreadable_paths[i] = strdup(pd_walk_unreadable(w, i));
		if (!fs->unreadable_paths[i])
			return -ENOMEM;
		fs->nunreadable_paths++;
	}
	return 0;
}

/* Walk what the mounts over FS's directories hide, in a private clone of
 * the mount WFD that has no submounts: it exists only in our fd table
 * (WFD itself, for a covered mount reached through lib/mntreach). */
static int walk_hidden(struct pd_dffs *fs, struct pd_walk *w, int wfd)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
	};
	size_t i;
	int ct, r = 0;

	fs->hidden = 0;
	fs->hidden_inodes = 0;
	if (!fs->ncovered) {
		fs->hidden_why = PD_DF_KNOWN;
		return 0;
	}
	/* a covered mount reached through lib/mntreach is such a clone */
	ct = fs->covered_by ? fcntl(wfd, F_DUPFD_CLOEXEC, 3) :
	     (int)syscall(SYS_open_tree, wfd, "", OPEN_TREE_CLONE |
			  OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (ct < 0) {
		fs->hidden_err = errno;
		fs->hidden_why = errno == EPERM ? PD_DF_NEEDS_ROOT :
				 errno == ENOSYS ? PD_DF_UNSUPPORTED :
				 PD_DF_FAILED;
		return 0;
	}
	fs->hidden_why = PD_DF_KNOWN;
	for (i = 0; i < fs->ncovered; i++) {
		struct pd_dfcovered *c = &fs->covered[i];
		struct pd_walk_totals t;
		int d;

		d = (int)syscall(SYS_openat2, ct, c->path + 1, &how,
				 sizeof(how));
		if (d < 0) {
			fs->hidden_err = errno;
			fs->hidden_why = PD_DF_FAILED;
			continue;
		}
		r = pd_walk_run(w, d, c->mount, &t);
		close(d);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			fs->hidden_err = -r;
			fs->hidden_why = PD_DF_FAILED;
			r = 0;
			continue;
		}
		c->known = true;
		c->alloc = t.alloc;
		c->inodes = t.inodes;
		fs->hidden += t.alloc;
		fs->hidden_inodes += t.inodes;
		fs->unreadable += t.unreadable;
	}
	close(ct);
	return r;
}

/* Open directory PATH (under the deadline: it crosses mounts) and read
 * the file NAME below it, or the link NAME when LINK. 0 or -errno. */
static int read_below(struct pd_dfscan *ds, const char *path,
		      const char *name, bool link, char *buf, size_t bufsz)
{
	char *text;
	size_t len;
	int dfd, r;

	r = pd_statq_open(ds->q, AT_FDCWD, path, O_RDONLY | O_DIRECTORY,
			  &dfd);
	if (r < 0)
		return r;
	if (link) {
		r = pd_readlink_at(dfd, name, buf, bufsz);
		close(dfd);
		return r < 0 ? r : 0;
	}
	r = pd_read_at(dfd, name, 4096, &text, &len);
	close(dfd);
	if (r < 0)
		return r;
	snprintf(buf, bufsz, "%.*s", (int)len, text);
	free(text);
	return 0;
}

/* The text of /sys/dev/block/MAJ:MIN/REL of DEV, its last newline
 * removed. 0 or -errno. */
static int sys_dev_read(struct pd_dfscan *ds, dev_t dev, const char *rel,
			char *buf, size_t n)
{
	char name[128];
	size_t len;
	int r;

	snprintf(name, sizeof(name), "%u:%u/%s", major(dev), minor(dev), rel);
	r = read_below(ds, "/sys/dev/block", name, false, buf, n);
	if (r < 0)
		return r;
	len = strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return 0;
}

/* "MAJ:MIN" text to a device number. */
static int parse_devno(const char *s, dev_t *ret)
{
	unsigned ma, mi;
	char end;

	if (sscanf(s, "%u:%u%c", &ma, &mi, &end) != 2)
		return -EINVAL;
	*ret = makedev(ma, mi);
	return 0;
}

/*
 * The request queue that serves block device DEV: its own, a partition's
 * disk's, a loop device's backing file's device's, a device-mapper or md
 * device's first underlying device's (whose queue the reads end in).
 * *RET_ROT: a spinning disk; *RET_NR: how many requests it takes at once.
 * Returns 0 or -errno.
 */
static int dev_queue(struct pd_dfscan *ds, dev_t dev, unsigned depth,
		     bool *ret_rot, unsigned *ret_nr)
{
	char text[PATH_MAX], path[PATH_MAX + 64];
	unsigned long nr;
	struct stat st;
	dev_t below;
	int r, fd;

	if (depth > 4)
		return -ELOOP;
	/* loop: the device of the file behind it */
	if (sys_dev_read(ds, dev, "loop/backing_file", text,
			 sizeof(text)) == 0 &&
	    pd_statq_stat(ds->q, AT_FDCWD, text, &st) == 0 &&
	    dev_queue(ds, st.st_dev, depth + 1, ret_rot, ret_nr) == 0)
		return 0;
	/* dm, md: the first device below */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/slaves",
		 major(dev), minor(dev));
	if (pd_statq_open(ds->q, AT_FDCWD, path, O_RDONLY | O_DIRECTORY,
			  &fd) == 0) {
		DIR *d = fdopendir(fd);
		struct dirent *de;
		bool found = false;

		if (!d) {
			close(fd);
		} else {
			while (!found && (de = readdir(d)))
				if (de->d_name[0] != '.') {
					snprintf(text, sizeof(text), "%s",
						 de->d_name);
					found = true;
				}
			closedir(d);
		}
		if (found) {
			snprintf(path, sizeof(path), "%s/dev", text);
			if (read_below(ds, "/sys/class/block", path, false,
				       text, sizeof(text)) == 0 &&
			    parse_devno(text, &below) == 0 &&
			    dev_queue(ds, below, depth + 1, ret_rot,
				      ret_nr) == 0)
				return 0;
		}
	}
	/* its own queue, or its disk's for a partition */
	r = sys_dev_read(ds, dev, "queue/rotational", text, sizeof(text));
	if (r == 0) {
		*ret_rot = text[0] == '1';
		r = sys_dev_read(ds, dev, "queue/nr_requests", text,
				 sizeof(text));
	} else {
		r = sys_dev_read(ds, dev, "../queue/rotational", text,
				 sizeof(text));
		if (r == 0) {
			*ret_rot = text[0] == '1';
			r = sys_dev_read(ds, dev, "../queue/nr_requests", text,
					 sizeof(text));
		}
	}
	if (r < 0)
		return r;
	nr = strtoul(text, NULL, 10);
	*ret_nr = nr > 65536 ? 65536 : (unsigned)nr;
	return 0;
}

/* The walker threads for FS: -j, or from the queue of the device its
 * reads end in (a btrfs's anonymous device: its source's), or the cores
 * for a file system on no block device. */
static unsigned fs_jobs(struct pd_dfscan *ds, const struct pd_dffs *fs)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned cpus = ncpu > 0 && ncpu <= PD_WALK_MAX_JOBS ?
			(unsigned)ncpu : 1;
	unsigned nr = 0;
	bool rot = false;
	struct stat st;
	dev_t dev = fs->dev;

	if (ds->opts.jobs)
		return ds->opts.jobs;
	if (!major(dev) && !strncmp(fs->source, "/dev/", 5) &&
	    pd_statq_stat(ds->q, AT_FDCWD, fs->source, &st) == 0 &&
	    S_ISBLK(st.st_mode))
		dev = st.st_rdev;
	if (!major(dev) || dev_queue(ds, dev, 0, &rot, &nr) < 0)
		nr = 0;
	return pd_walk_jobs_for(rot, nr, cpus);
}

/*
 * Open the block device of FS read-only, under the deadline (a device
 * node path may cross a mount that does not answer): its mount source
 * when that is a /dev path, else /dev/block/MAJ:MIN; checked to be the
 * block device FS->dev. Returns 0 with *RET_FD, or -errno.
 */
static int open_blkdev(struct pd_dfscan *ds, const struct pd_dffs *fs,
		       int *ret_fd)
{
	char path[64];
	int r = -ENOENT, r2, fd;

	if (!strncmp(fs->source, "/dev/", 5)) {
		r = pd_statq_open(ds->q, AT_FDCWD, fs->source,
				  O_RDONLY | O_NOCTTY | O_NONBLOCK, &fd);
		if (r == 0) {
			r = pd_blkdev_check(fd, fs->dev);
			if (r == 0) {
				*ret_fd = fd;
				return 0;
			}
			close(fd);
		}
	}
	if (r == -ETIMEDOUT || is_resource_error(r))
		return r;
	snprintf(path, sizeof(path), "/dev/block/%u:%u", major(fs->dev),
		 minor(fs->dev));
	r2 = pd_statq_open(ds->q, AT_FDCWD, path,
			   O_RDONLY | O_NOCTTY | O_NONBLOCK, &fd);
	if (r2 < 0)
		/* the first refusal says more than a missing /dev/block */
		return r == -EACCES || r == -EPERM ? r : r2;
	r2 = pd_blkdev_check(fd, fs->dev);
	if (r2 < 0) {
		close(fd);
		return r2;
	}
	*ret_fd = fd;
	return 0;
}

/* The reason a reader's error R gives. */
static enum pd_dfwhy why_of(int r)
{
	return r == -EPERM || r == -EACCES ? PD_DF_NEEDS_ROOT :
	       r == -ETIMEDOUT ? PD_DF_TIMED_OUT : PD_DF_FAILED;
}

/* ext4: split bfree - bavail into the root and the kernel reserves. */
static void ext4_reserve(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	char path[PATH_MAX + 64], link[PATH_MAX], text[64];
	struct pd_ext4_sb sb;
	const char *name;
	uint64_t resv;
	int r, fd;

	snprintf(path, sizeof(path), "%u:%u", major(fs->dev), minor(fs->dev));
	if (read_below(ds, "/sys/dev/block", path, true, link,
		       sizeof(link)) < 0)
		return;
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	snprintf(path, sizeof(path), "%s/reserved_clusters", name);
	if (read_below(ds, "/sys/fs/ext4", path, false, text,
		       sizeof(text)) < 0)
		return;
	if (pd_ext4_resv_parse(text, strlen(text), &resv) < 0)
		return;
	r = open_blkdev(ds, fs, &fd);
	if (r < 0)
		return;
	r = pd_ext4_sb_read(fd, fs->dev, &sb);
	close(fd);
	if (r < 0)
		return;
	fs->reserve_split = true;
	fs->reserve_exact = pd_ext4_reserve_split(&fs->sv, &sb, resv,
						  &fs->reserve);
}

/* A part of unknown size >= 0 named WHAT, for the reason of error R. */
static int part_unknown(struct pd_dffs *fs, const char *what, int r,
			const char *note)
{
	const struct pd_dfbound pos = { .has_min = true, .min = 0 };

	return pd_dfparts_unknown(&fs->parts, what, why_of(r), -r, pos, note);
}

/* ext4: the internal inodes' blocks in USED (the device, as root). */
static int ext4_parts(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	struct pd_ext4_meta m;
	int r, fd;

	r = open_blkdev(ds, fs, &fd);
	if (r == 0) {
		r = pd_ext4_meta_read_fd(fd, fs->dev, &m);
		close(fd);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return part_unknown(fs, "internal inodes", r, "resize inode, "
				    "journal mapping blocks, quota and orphan "
				    "files: reading them from the device needs "
				    "root");
	return pd_dfparts_ext4(&fs->parts, &m);
}

/* XFS: the AG metadata and reservations in USED (the device, as root),
 * and whether the file system shares extents (*RET_REFLINK). */
static int xfs_parts(struct pd_dfscan *ds, struct pd_dffs *fs, int mfd,
		     bool *ret_reflink)
{
	struct pd_xfs_space s;
	int r, fd;

	*ret_reflink = false;
	if (pd_xfs_reflink_read(mfd, ret_reflink) < 0)
		*ret_reflink = false;
	r = open_blkdev(ds, fs, &fd);
	if (r == 0) {
		r = pd_xfs_space_read_fd(mfd, fd, fs->dev, &s);
		close(fd);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return part_unknown(fs, "AG metadata and reservations", r,
				    "AG headers, btrees, inode chunks, per-AG "
				    "reservations, set-aside, reserve pool: "
				    "reading them needs root");
	return pd_dfparts_xfs(&fs->parts, &s, &fs->sv);
}

/* What a btrfs run measured before its walk. */
struct btrfs_run {
	bool space_ok;
	struct pd_btrfs_space space;
	bool tree_ok;		/* the gap's causes by tree search */
	struct pd_btrfs_gap gap;
	enum pd_dfwhy why;	/* why not */
	int err;
};

/* btrfs before the walk: space info (no privilege); as root and when a
 * walk follows, the causes by tree search of the walked subvolume (MFD
 * must be its root) and the evidence. */
static int btrfs_before(struct pd_dfscan *ds, struct pd_dffs *fs, int mfd,
			struct btrfs_run *b)
{
	struct pd_btrfs_refs *refs = NULL;
	struct pd_btrfs_usage u;
	struct pd_btrfs_chunks ch;
	struct pd_btrfs_dev *devs = NULL;
	struct pd_btrfs_subvol *sv = NULL;
	struct pd_btrfs_qgroup *q = NULL;
	size_t ndevs = 0, nsv = 0, nq = 0;
	uint64_t id, total, other;
	bool have_chunks = false;
	struct stat st;
	int r;

	memset(b, 0, sizeof(*b));
	r = pd_btrfs_space_read(mfd, &b->space);
	if (r < 0) {
		b->why = why_of(r);
		b->err = -r;
		return r == -ENOMEM ? r : 0;
	}
	b->space_ok = true;
	b->why = PD_DF_NOT_WALKED;
	if (!ds->opts.walk)
		goto out_evidence;
	/* the causes hold from a subvolume's root (its first inode) only */
	if (fstat(mfd, &st) < 0 || st.st_ino != 256 ||
	    pd_btrfs_subvol_read(mfd, &id) < 0) {
		b->why = PD_DF_SUBTREE;
		goto out_evidence;
	}
	r = pd_btrfs_refs_new((uint32_t)fs->sv.frsize, &refs);
	if (r == 0)
		r = pd_btrfs_refs_read(mfd, id, refs, &u);
	if (r == 0)
		r = pd_btrfs_other_read(mfd, refs, &total, &other);
	pd_btrfs_refs_free(refs);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		b->why = why_of(r);
		b->err = -r;
		goto out_evidence;
	}
	pd_btrfs_gap_compute(&b->space, &u, other, fs->sv.frsize, &b->gap);
	b->tree_ok = true;

out_evidence:
	have_chunks = pd_btrfs_chunks_read(mfd, &ch) == 0;
	if (pd_btrfs_devs_read(mfd, &devs, &ndevs) < 0)
		ndevs = 0;
	r = pd_dfparts_btrfs_chunks(&fs->parts, &b->space,
				    have_chunks ? &ch : NULL, devs, ndevs);
	free(devs);
	if (r < 0)
		return r;
	if (pd_btrfs_subvols_read(mfd, &sv, &nsv) < 0)
		return 0;	/* needs root: no list */
	if (pd_btrfs_qgroups_read(mfd, &q, &nq) < 0)
		nq = 0;
	r = pd_dfparts_btrfs_subvols(&fs->parts, sv, nsv, q, nq,
				     ds->opts.max_paths);
	free(sv);
	free(q);
	return r;
}

/* btrfs after the walk: the causes, by tree search or by what space info
 * and FIEMAP give (X: NULL when not walked). */
static int btrfs_after(struct pd_dffs *fs, const struct btrfs_run *b,
		       const struct pd_walk_extents *x)
{
	if (!b->space_ok)
		return part_unknown(fs, "btrfs metadata and data", -b->err,
				    "space info could not be read");
	if (b->tree_ok)
		return pd_dfparts_btrfs(&fs->parts, &b->space, &b->gap);
	return pd_dfparts_btrfs_space(&fs->parts, &b->space, fs->sv.frsize,
				      x, x ? fs->walk.dir_alloc : 0,
				      b->why, b->err);
}

/* FSSPECIFIC from the parts. */
static void parts_sum(struct pd_dffs *fs)
{
	pd_dfparts_sum(&fs->parts, &fs->fsspecific, &fs->fsspecific_why,
		       &fs->fsspecific_b);
}

static void fs_arith(struct pd_dffs *fs)
{
	struct pd_dfbound d, h, u;

	if (fs->df_why || fs->walk_why)
		return;
	fs->gap_known = true;
	fs->gap = (int64_t)fs->space.used - (int64_t)fs->walk.alloc;
	/* each part: exact, or at least what is known of it */
	d = (struct pd_dfbound){ true, !fs->deleted_why,
				 (int64_t)fs->deleted, (int64_t)fs->deleted };
	h = (struct pd_dfbound){ true, !fs->hidden_why,
				 (int64_t)fs->hidden, (int64_t)fs->hidden };
	u = pd_dfbound_sub(pd_dfbound_exact(fs->gap), d);
	u = pd_dfbound_sub(u, h);
	u = pd_dfbound_sub(u, fs->fsspecific_why ? fs->fsspecific_b :
			   pd_dfbound_exact(fs->fsspecific));
	/* what unreadable directories hold is in the gap, of unknown size */
	if (fs->unreadable)
		u.has_min = false;
	fs->unexplained_b = u;
	if (fs->deleted_why || fs->hidden_why || fs->fsspecific_why)
		return;
	fs->unexplained_known = true;
	fs->unexplained = fs->gap - (int64_t)fs->deleted -
			  (int64_t)fs->hidden - fs->fsspecific;
}

/* The device a deleted file is counted on: its mount's, when known. */
static dev_t file_dev(const struct pd_dfscan *ds,
		      const struct pd_deadfile *f)
{
	size_t i = f->mnt_id >= 0 ? mnt_by_id(ds, f->mnt_id) : NONE;

	return i != NONE ? ds->mnt[i].m.dev : f->dev;
}

/* Every deleted file onto its row, in one pass; from a partial view the
 * files of the processes not seen are unknown on every file system. */
static void count_deleted(struct pd_dfscan *ds)
{
	const struct pd_partial *p = pd_deadscan_partial(ds->dead);
	size_t i;

	for (i = 0; i < pd_deadscan_nfiles(ds->dead); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds->dead, i);
		size_t g = group_by_dev(ds, file_dev(ds, f));
		struct pd_dffs *fs;

		if (g == NONE || ds->groups[g].fs == NONE)
			continue;
		fs = &ds->fs[ds->groups[g].fs];
		fs->ndeleted++;
		if (!f->sized || f->timed_out)
			fs->deleted_why = PD_DF_UNSIZED;
		else
			fs->deleted += f->alloc;
	}
	if (!pd_coverage_is_partial(p))
		return;
	for (i = 0; i < ds->nfs; i++)
		ds->fs[i].deleted_why = p->root_user ? PD_DF_PARTIAL :
					PD_DF_NEEDS_ROOT;
}

bool pd_dfscan_file_on(const struct pd_dfscan *ds, const struct pd_dffs *fs,
		       const struct pd_deadfile *f)
{
	return file_dev(ds, f) == fs->dev;
}

/* The df side of a remote FS: statvfs under the deadline, nothing else
 * (never syncfs, open or walk what may not answer). */
static void measure_remote(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	struct statvfs sv;
	int r;

	r = pd_statq_statvfs(ds->q, fs->mount, &sv);
	if (r < 0) {
		fs->df_why = r == -ETIMEDOUT ? PD_DF_TIMED_OUT : PD_DF_FAILED;
		fs->df_err = -r;
		return;
	}
	fs->sv = (struct pd_statvfs){
		.frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize,
		.blocks = sv.f_blocks, .bfree = sv.f_bfree,
		.bavail = sv.f_bavail, .files = sv.f_files,
		.ffree = sv.f_ffree,
	};
	pd_fsspace_compute(&fs->sv, &fs->space);
	fs->fsspecific_why = PD_DF_UNSUPPORTED;
}

/* Keep the walk's directories with the most entries. */
static int keep_topdirs(struct pd_dffs *fs, struct pd_walk *w)
{
	size_t i, n = pd_walk_ntop(w);

	fs->topdirs = calloc(n ? n : 1, sizeof(*fs->topdirs));
	if (!fs->topdirs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct pd_walk_dir d;

		if (pd_walk_top(w, i, &d) < 0)
			break;
		fs->topdirs[i].path = strdup(d.path);
		if (!fs->topdirs[i].path)
			return -ENOMEM;
		fs->topdirs[i].entries = d.entries;
		fs->ntopdirs++;
	}
	return 0;
}

/* The du side of FS from the mount M open at FD: the walk of what is
 * visible, then of what its mount points hide; with FIEMAP, what the
 * walked files share in *RET_X (*RET_HAS_X). */
static int walk_fs(struct pd_dfscan *ds, struct pd_dffs *fs, int fd,
		   const struct pd_mount *m, bool fiemap,
		   struct pd_walk_extents *ret_x, bool *ret_has_x)
{
	struct pd_walk_opts wo = {
		.jobs = fs->jobs, .max_paths = ds->opts.max_paths,
		.progress = ds->opts.progress, .top_dirs = ds->opts.top_dirs,
		.fiemap = fiemap,
	};
	struct pd_walk *w = NULL;
	int r;

	*ret_has_x = false;
	r = pd_walk_new(&wo, &w);
	if (r < 0)
		return r;
	r = skip_mount_points(ds, w, fs, m);
	if (r < 0)
		goto out_free;
	r = pd_walk_run(w, fd, fs->mount, &fs->walk);
	if (r == -ENOMEM || r == -E2BIG)
		goto out_free;
	if (r < 0) {
		/* EMFILE, ENFILE: the walker's own trouble, said as such */
		fs->walk_why = PD_DF_FAILED;
		fs->walk_err = -r;
		r = 0;
		goto out_free;
	}
	fs->walk_why = PD_DF_KNOWN;
	fs->unreadable = fs->walk.unreadable;
	r = walk_hidden(fs, w, fd);
	if (r < 0)
		goto out_free;
	r = keep_unreadable(fs, w);
	if (r < 0)
		goto out_free;
	r = keep_topdirs(fs, w);
	if (r < 0 || !fiemap)
		goto out_free;
	r = pd_walk_fiemap(w, ret_x);
	*ret_has_x = r == 0;

out_free:
	pd_walk_free(w);
	return r == -E2BIG ? -ENOMEM : r;
}

/* --no-walk: what the mount points of FS hide, and nothing else (a cost
 * of what they hide). A file there with a hard link outside counts in
 * HIDDEN: the visible part is not walked to see it first. */
static int hidden_only(struct pd_dfscan *ds, struct pd_dffs *fs, int fd)
{
	struct pd_walk_opts wo = {
		.jobs = fs->jobs, .max_paths = ds->opts.max_paths,
	};
	struct pd_walk *w = NULL;
	int r;

	if (!fs->ncovered) {
		fs->hidden_why = PD_DF_KNOWN;
		return 0;
	}
	r = pd_walk_new(&wo, &w);
	if (r < 0)
		return r;
	r = walk_hidden(fs, w, fd);
	if (r == 0)
		r = keep_unreadable(fs, w);
	pd_walk_free(w);
	/* the cheap run has no walk to blame: out of descriptors is the
	 * tool's own failure, never a part left unknown */
	if (r == 0 && fs->hidden_why == PD_DF_FAILED &&
	    (fs->hidden_err == EMFILE || fs->hidden_err == ENFILE))
		r = -fs->hidden_err;
	return r;
}

/* Measure FS (its mount fields set) on the live system. */
static int measure_live(struct pd_dfscan *ds, struct pd_dffs *fs,
			const struct dffsx *x)
{
	const struct pd_mount *m;
	struct pd_walk_extents ext;
	struct btrfs_run br = { 0 };
	bool synced = false, is_btrfs, is_xfs, is_ext, reflink = false;
	bool has_ext = false;
	size_t mi = 0;
	int fd, r;

	fs->walk_why = PD_DF_NOT_WALKED;
	fs->hidden_why = PD_DF_NOT_WALKED;
	if (fs->remote) {
		measure_remote(ds, fs);
		return 0;
	}
	fd = open_walk_mount(ds, x, &mi);
	if (fd == -ENOENT)
		fd = open_covered(ds, fs, x, &mi);
	if (fd == -ENOMEM)
		return fd;
	if (fd < 0) {
		fs->df_why = fd == -ENOENT || fd == -EPERM ? PD_DF_UNREACHABLE :
			     fd == -ETIMEDOUT ? PD_DF_TIMED_OUT : PD_DF_FAILED;
		fs->df_err = -fd;
		return 0;
	}
	m = &ds->mnt[mi].m;
	/* Only a walk compares with the df side: then delayed allocation
	 * must be on the books. Under the deadline: writeback may hang. */
	if (ds->opts.walk) {
		r = pd_statq_syncfs(ds->q, fd);
		if (r == -ETIMEDOUT) {
			fs->walk_why = PD_DF_TIMED_OUT;
			fs->walk_err = ETIMEDOUT;
		} else if (r < 0) {
			fs->df_why = PD_DF_FAILED;
			fs->df_err = -r;
			r = 0;
			goto out_close;
		} else {
			synced = true;
		}
	}
	r = pd_fsspace_read(fd, &fs->sv);
	if (r < 0) {
		fs->df_why = PD_DF_FAILED;
		fs->df_err = -r;
		r = 0;
		goto out_close;
	}
	pd_fsspace_compute(&fs->sv, &fs->space);
	fs->inodes_short = pd_fsspace_inodes_short(&fs->space);
	/* The walked mount may differ from the first one listed. */
	free(fs->mount);
	free(fs->root);
	fs->mount = xstrdup(m->target);
	fs->root = xstrdup(m->root);
	if (!fs->mount || !fs->root) {
		r = -ENOMEM;
		goto out_close;
	}
	fs->subtree = strcmp(m->root, "/") != 0;

	is_ext = !strncmp(fs->fstype, "ext", 3);
	is_xfs = !strcmp(fs->fstype, "xfs");
	is_btrfs = !strcmp(fs->fstype, "btrfs");
	if (is_ext)
		ext4_reserve(ds, fs);
	/* What the file system keeps for itself is read from its device
	 * only before a walk, which reads the device anyway: a cheap run
	 * (--no-walk) reads nothing a dying disk could block on. */
	if (synced && is_ext)
		r = ext4_parts(ds, fs);
	else if (synced && is_xfs)
		r = xfs_parts(ds, fs, fd, &reflink);
	else if (is_btrfs)
		r = btrfs_before(ds, fs, fd, &br);
	else if (is_ext || is_xfs)
		r = pd_dfparts_unknown(&fs->parts, is_ext ? "internal inodes" :
				       "AG metadata and reservations",
				       PD_DF_NOT_WALKED, 0,
				       (struct pd_dfbound){ .has_min = true },
				       NULL);
	if (r < 0)
		goto out_close;
	r = find_covered(ds, fs, x, m);
	if (r < 0)
		goto out_close;
	if (synced || (!ds->opts.walk && fs->ncovered))
		fs->jobs = fs_jobs(ds, fs);
	if (synced) {
		/* FIEMAP per file only where files share extents and the
		 * tree search does not say it: never on ext4 */
		r = walk_fs(ds, fs, fd, m, reflink ||
			    (is_btrfs && br.space_ok && !br.tree_ok), &ext,
			    &has_ext);
	} else if (!ds->opts.walk) {
		r = hidden_only(ds, fs, fd);
	}
	if (r < 0)
		goto out_close;
	if (is_xfs && reflink && has_ext)
		r = pd_dfparts_shared(&fs->parts, &ext);
	else if (is_btrfs)
		r = btrfs_after(fs, &br, has_ext ? &ext : NULL);

out_close:
	parts_sum(fs);
	close(fd);
	return r;
}

/* Measure FS from a captured tree: the df side only. */
static void measure_captured(struct pd_dfscan *ds, struct pd_dffs *fs,
			     const struct dffsx *x)
{
	int r;

	fs->walk_why = PD_DF_NOT_WALKED;
	fs->hidden_why = PD_DF_NOT_WALKED;
	if (fs->remote)
		fs->fsspecific_why = PD_DF_UNSUPPORTED;
	else if (!strncmp(fs->fstype, "ext", 3) ||
		 !strcmp(fs->fstype, "xfs") || !strcmp(fs->fstype, "btrfs"))
		fs->fsspecific_why = PD_DF_NOT_WALKED;
	fs->fsspecific_b = (struct pd_dfbound){ .has_min =
		strcmp(fs->fstype, "btrfs") != 0 };
	if (find_covered(ds, fs, x, &ds->mnt[x->mnt].m) == 0 && !fs->ncovered)
		fs->hidden_why = PD_DF_KNOWN;
	r = ds->capture ? pd_fsspace_capture_parse(ds->capture,
						   ds->capture_len, fs->mount,
						   &fs->sv) : -ENOENT;
	if (r < 0) {
		fs->df_why = PD_DF_FAILED;
		fs->df_err = -r;
		return;
	}
	pd_fsspace_compute(&fs->sv, &fs->space);
	fs->inodes_short = pd_fsspace_inodes_short(&fs->space);
}

/* Name row FS after mount I. */
static int fs_name(struct pd_dffs *fs, struct dffsx *x,
		   const struct pd_dfscan *ds, size_t i)
{
	const struct pd_mount *m = &ds->mnt[i].m;

	free(fs->mount);
	free(fs->root);
	fs->mount = xstrdup(m->target);
	fs->root = xstrdup(m->root);
	fs->subtree = strcmp(m->root, "/") != 0;
	x->mnt = i;
	return fs->mount && fs->root ? 0 : -ENOMEM;
}

/* Add the file systems of the table, one per device, in table order. */
static int collect(struct pd_dfscan *ds)
{
	size_t i, n = ds->nmnt;

	ds->fs = calloc(n ? n : 1, sizeof(*ds->fs));
	ds->fsx = calloc(n ? n : 1, sizeof(*ds->fsx));
	if (!ds->fs || !ds->fsx)
		return -ENOMEM;
	paths_to_devs(ds);
	for (i = 0; i < n; i++) {
		const struct pd_mount *m = &ds->mnt[i].m;
		struct dfgroup *g = &ds->groups[ds->mnt[i].group];
		struct pd_dffs *fs;
		struct dffsx *x;

		if (!wanted(ds, &ds->mnt[i]))
			continue;
		if (g->fs != NONE) {
			fs = &ds->fs[g->fs];
			fs->mounts++;
			/* Prefer the whole file system over a subtree. */
			if (fs->subtree && !strcmp(m->root, "/") &&
			    fs_name(fs, &ds->fsx[g->fs], ds, i) < 0)
				return -ENOMEM;
			continue;
		}
		g->fs = ds->nfs;
		fs = &ds->fs[ds->nfs];
		x = &ds->fsx[ds->nfs];
		ds->nfs++;
		x->group = ds->mnt[i].group;
		fs->dev = m->dev;
		fs->fstype = xstrdup(m->fstype);
		fs->source = xstrdup(m->source);
		if (fs_name(fs, x, ds, i) < 0 || !fs->fstype || !fs->source)
			return -ENOMEM;
		fs->remote = m->remote;
		fs->ram = m->ram;
		fs->mounts = 1;
		fs->causes = causes_of(fs->fstype);
	}
	return 0;
}

int pd_dfscan_run(struct pd_dfscan *ds)
{
	size_t i;
	int r;

	r = load_table(ds);
	if (r < 0)
		return r;
	r = index_table(ds);
	if (r < 0)
		return r;
	r = pd_deadscan_run(ds->dead);
	if (r < 0)
		return r;
	if (pd_procfs_is_captured(ds->pfs)) {
		r = pd_procfs_read(ds->pfs, CAPTURE_STATVFS, PD_READ_LIMIT,
				   &ds->capture, &ds->capture_len);
		if (r < 0 && r != -ENOENT)
			return r;
	}
	r = collect(ds);
	if (r < 0)
		return r;
	for (i = 0; i < ds->nfs; i++) {
		if (pd_procfs_is_captured(ds->pfs)) {
			measure_captured(ds, &ds->fs[i], &ds->fsx[i]);
		} else {
			r = measure_live(ds, &ds->fs[i], &ds->fsx[i]);
			if (r < 0)
				return r;
		}
	}
	count_deleted(ds);
	for (i = 0; i < ds->nfs; i++)
		fs_arith(&ds->fs[i]);
	return 0;
}
