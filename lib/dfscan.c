/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfscan: why df and du disagree, file system by file system: the df side,
 * one du -x walk, and the gap's parts with their evidence. */
#include "dfscan.h"

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

#include "mounts.h"
#include "statq.h"

/* A captured tree's df side (see tests/fixtures/README.md). */
#define CAPTURE_STATVFS "dfdu-statvfs"

struct dfpath {
	char *abs;		/* absolute, as given or under the cwd */
	bool has_dev;
	dev_t dev;		/* st_dev of the live stat */
	bool found;
};

struct pd_dfscan {
	struct pd_procfs *pfs;
	struct pd_dfscan_opts opts;
	struct pd_statq *q;
	struct pd_deadscan *dead;
	struct pd_mounts *mounts;
	const struct pd_mnttab *tab;	/* owned by mounts */
	struct dfpath *paths;
	size_t npaths;
	struct pd_dffs *fs;
	size_t nfs;
	char *capture;		/* the captured dfdu-statvfs text, or NULL */
	size_t capture_len;
};

int pd_dfscan_new(struct pd_procfs *pfs, const struct pd_dfscan_opts *opts,
		  struct pd_dfscan **ret_ds)
{
	struct pd_deadscan_opts dopts = { .timeout_ms = opts->timeout_ms };
	struct pd_dfscan *ds = calloc(1, sizeof(*ds));
	int r;

	if (!ds)
		return -ENOMEM;
	ds->pfs = pfs;
	ds->opts = *opts;
	r = pd_statq_new(pfs, opts->timeout_ms, &ds->q);
	if (r < 0)
		goto out_free;
	r = pd_deadscan_new(pfs, &dopts, &ds->dead);
	if (r < 0)
		goto out_free;
	r = pd_mounts_new(pfs, &ds->mounts);
	if (r < 0)
		goto out_free;
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
	for (i = 0; i < fs->ncovered; i++) {
		free(fs->covered[i].mount);
		free(fs->covered[i].path);
	}
	free(fs->covered);
	for (i = 0; i < fs->nunreadable_paths; i++)
		free(fs->unreadable_paths[i]);
	free(fs->unreadable_paths);
}

void pd_dfscan_free(struct pd_dfscan *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->nfs; i++)
		fs_release(&ds->fs[i]);
	free(ds->fs);
	for (i = 0; i < ds->npaths; i++)
		free(ds->paths[i].abs);
	free(ds->paths);
	free(ds->capture);
	pd_mounts_free(ds->mounts);
	pd_deadscan_free(ds->dead);
	pd_statq_free(ds->q);
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

/* Is mount M to be measured: not pseudo, not remote unless asked for, and
 * holding one of the path arguments if there are any (marked found)? */
static bool wanted(struct pd_dfscan *ds, const struct pd_mount *m)
{
	size_t i;
	bool any = false;

	if (m->pseudo || (m->remote && !ds->opts.remote))
		return false;
	if (!ds->npaths)
		return true;
	for (i = 0; i < ds->npaths; i++) {
		struct dfpath *p = &ds->paths[i];
		struct pd_mount pm;
		dev_t dev;

		/* A stat's st_dev is mountinfo's except on btrfs subvolumes:
		 * then the mount holding the path by its text decides. */
		if (p->has_dev && pd_mnttab_find_dev(ds->tab, p->dev, &pm) == 0)
			dev = p->dev;
		else if (pd_mnttab_find_path(ds->tab, p->abs, &pm) == 0)
			dev = pm.dev;
		else
			continue;
		if (dev == m->dev) {
			p->found = true;
			any = true;
		}
	}
	return any;
}

static const char *causes_of(const char *fstype)
{
	if (!strncmp(fstype, "ext", 3))
		return "ext4's internal inodes (resize, quota, orphan file) "
		       "and files changed during the walk";
	if (!strcmp(fstype, "xfs"))
		return "XFS's per-AG metadata reservations and set-aside "
		       "blocks, and files changed during the walk";
	if (!strcmp(fstype, "btrfs"))
		return "btrfs metadata and system chunks, data kept only by "
		       "snapshots or other subvolumes, shared (reflinked) "
		       "extents counted twice by du (a negative gap)";
	if (pd_fstype_is_ram(fstype))
		return "files changed during the walk";
	return "file system metadata outside any file, and files changed "
	       "during the walk";
}

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

/* The directories of FS that other mounts cover, as paths from the root
 * of W (the mount that is walked): for a mount C whose parent P is a mount
 * of FS, P's root joined with C's point below P's. */
static int find_covered(struct pd_dfscan *ds, struct pd_dffs *fs,
			const struct pd_mount *w)
{
	size_t i, j, n = pd_mnttab_count(ds->tab);
	size_t wroot = strcmp(w->root, "/") ? strlen(w->root) : 0;

	for (i = 0; i < n; i++) {
		struct pd_mount c, p;
		const char *rel;
		char *fspath, *path;
		size_t tl;
		bool dup = false;

		pd_mnttab_get(ds->tab, i, &c);
		if (c.id == c.parent_id ||
		    pd_mnttab_find_id(ds->tab, c.parent_id, &p) < 0 ||
		    p.dev != fs->dev || !strcmp(c.target, p.target))
			continue;
		tl = strcmp(p.target, "/") ? strlen(p.target) : 0;
		if (strncmp(c.target, p.target, tl) || c.target[tl] != '/')
			continue;
		rel = c.target + tl;
		if (asprintf(&fspath, "%s%s", strcmp(p.root, "/") ? p.root : "",
			     rel) < 0)
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
		for (j = 0; j < fs->ncovered; j++)
			if (!strcmp(fs->covered[j].path, path))
				dup = true;
		if (dup) {
			free(path);
			continue;
		}
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
			.mount = xstrdup(c.target), .path = path,
		};
		if (!fs->covered[fs->ncovered].mount) {
			free(path);
			return -ENOMEM;
		}
		fs->ncovered++;
	}
	/* A directory under another covered one is walked with it. */
	for (i = 0; i < fs->ncovered; i++) {
		for (j = 0; j < fs->ncovered; j++) {
			size_t l = strlen(fs->covered[j].path);

			if (i != j && !strncmp(fs->covered[i].path,
					       fs->covered[j].path, l) &&
			    fs->covered[i].path[l] == '/') {
				free(fs->covered[i].mount);
				free(fs->covered[i].path);
				fs->covered[i] = fs->covered[--fs->ncovered];
				i--;
				break;
			}
		}
	}
	return 0;
}

/* Is FD on mount ID (not shadowed by a later mount on the same point)? */
static bool fd_on_mount(int fd, int id)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return true;	/* before 5.8: trust the table */
	return stx.stx_mnt_id == (uint64_t)id;
}

/* Open the mount of FS to walk: root "/" first, else a subtree. */
static int open_walk_mount(struct pd_dfscan *ds, struct pd_dffs *fs,
			   struct pd_mount *ret)
{
	size_t i, n = pd_mnttab_count(ds->tab);
	int pass, fd;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++) {
			struct pd_mount m;

			pd_mnttab_get(ds->tab, i, &m);
			if (m.dev != fs->dev || (!strcmp(m.root, "/")) == pass)
				continue;
			fd = open(m.target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (!fd_on_mount(fd, m.id)) {
				close(fd);
				continue;
			}
			*ret = m;
			return fd;
		}
	return -ENOENT;
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
 * the mount WFD that has no submounts: it exists only in our fd table. */
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
	if (!fs->ncovered) {
		fs->hidden_why = PD_DF_KNOWN;
		return 0;
	}
	ct = (int)syscall(SYS_open_tree, wfd, "", OPEN_TREE_CLONE |
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
		fs->unreadable += t.unreadable;
	}
	close(ct);
	return r;
}

/* ext4: split bfree - bavail into the root and the kernel reserves. */
static void ext4_reserve(struct pd_dffs *fs)
{
	char path[PATH_MAX + 64], link[PATH_MAX], *buf;
	struct pd_ext4_sb sb;
	const char *name;
	uint64_t resv;
	size_t len;
	ssize_t n;
	int r;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(fs->dev),
		 minor(fs->dev));
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return;
	link[n] = '\0';
	name = strrchr(link, '/');
	name = name ? name + 1 : link;
	snprintf(path, sizeof(path), "/sys/fs/ext4/%s/reserved_clusters", name);
	if (pd_read_at(AT_FDCWD, path, 4096, &buf, &len) < 0)
		return;
	r = pd_ext4_resv_parse(buf, len, &resv);
	free(buf);
	if (r < 0)
		return;
	r = -ENOENT;
	if (!strncmp(fs->source, "/dev/", 5))
		r = pd_ext4_sb_read(fs->source, fs->dev, &sb);
	if (r < 0) {
		snprintf(path, sizeof(path), "/dev/block/%u:%u",
			 major(fs->dev), minor(fs->dev));
		r = pd_ext4_sb_read(path, fs->dev, &sb);
	}
	if (r < 0)
		return;
	fs->reserve_split = true;
	fs->reserve_exact = pd_ext4_reserve_split(&fs->sv, &sb, resv,
						  &fs->reserve);
}

static void fs_arith(struct pd_dffs *fs)
{
	if (fs->df_why || fs->walk_why)
		return;
	fs->gap_known = true;
	fs->gap = (int64_t)fs->space.used - (int64_t)fs->walk.alloc;
	if (fs->deleted_why || fs->hidden_why || fs->fsspecific_why)
		return;
	fs->unexplained_known = true;
	fs->unexplained = fs->gap - (int64_t)fs->deleted -
			  (int64_t)fs->hidden - (int64_t)fs->fsspecific;
}

static void count_deleted(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	size_t i;

	for (i = 0; i < pd_deadscan_nfiles(ds->dead); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds->dead, i);

		if (!pd_dfscan_file_on(ds, fs, f))
			continue;
		fs->ndeleted++;
		if (!f->sized || f->timed_out)
			fs->deleted_why = PD_DF_UNSIZED;
		else
			fs->deleted += f->alloc;
	}
}

bool pd_dfscan_file_on(const struct pd_dfscan *ds, const struct pd_dffs *fs,
		       const struct pd_deadfile *f)
{
	struct pd_mount m;

	if (f->mnt_id >= 0 && pd_mnttab_find_id(ds->tab, f->mnt_id, &m) == 0)
		return m.dev == fs->dev;
	return f->dev == fs->dev;
}

/* Measure FS (its mount fields set) on the live system. */
static int measure_live(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	struct pd_walk_opts wo = {
		.jobs = ds->opts.jobs, .max_paths = ds->opts.max_paths,
		.progress = ds->opts.progress,
	};
	struct pd_walk *w = NULL;
	struct pd_mount m;
	struct statvfs sv;
	int fd, r;

	fs->walk_why = PD_DF_NOT_WALKED;
	fs->hidden_why = PD_DF_NOT_WALKED;
	if (fs->remote) {
		/* Never syncfs, open or walk what may not answer. */
		r = pd_statq_statvfs(ds->q, fs->mount, &sv);
		if (r < 0) {
			fs->df_why = r == -ETIMEDOUT ? PD_DF_TIMED_OUT :
				     PD_DF_FAILED;
			fs->df_err = -r;
			return 0;
		}
		fs->sv = (struct pd_statvfs){
			.frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize,
			.blocks = sv.f_blocks, .bfree = sv.f_bfree,
			.bavail = sv.f_bavail, .files = sv.f_files,
			.ffree = sv.f_ffree,
		};
		pd_fsspace_compute(&fs->sv, &fs->space);
		fs->fsspecific_why = PD_DF_UNSUPPORTED;
		return 0;
	}
	fd = open_walk_mount(ds, fs, &m);
	if (fd < 0) {
		fs->df_why = PD_DF_UNREACHABLE;
		fs->df_err = -fd;
		return 0;
	}
	r = pd_fsspace_read(fd, true, &fs->sv);
	if (r < 0) {
		fs->df_why = PD_DF_FAILED;
		fs->df_err = -r;
		goto out_close;
	}
	pd_fsspace_compute(&fs->sv, &fs->space);
	/* The walked mount may differ from the first one listed. */
	free(fs->mount);
	free(fs->root);
	fs->mount = xstrdup(m.target);
	fs->root = xstrdup(m.root);
	if (!fs->mount || !fs->root) {
		r = -ENOMEM;
		goto out_close;
	}
	fs->subtree = strcmp(m.root, "/") != 0;

	if (!strncmp(fs->fstype, "ext", 3))
		ext4_reserve(fs);
	if (!strcmp(fs->fstype, "xfs")) {
		r = pd_xfs_resblks_read(fd, fs->sv.frsize, &fs->fsspecific);
		fs->fsspecific_what = "xfs reserve pool (resblks)";
		fs->fsspecific_why = r == 0 ? PD_DF_KNOWN :
				     r == -EPERM ? PD_DF_NEEDS_ROOT :
				     PD_DF_FAILED;
	}
	r = find_covered(ds, fs, &m);
	if (r < 0)
		goto out_close;
	if (!ds->opts.walk) {
		r = 0;
		goto out_close;
	}
	r = pd_walk_new(&wo, &w);
	if (r < 0)
		goto out_close;
	r = pd_walk_run(w, fd, fs->mount, &fs->walk);
	if (r == -ENOMEM)
		goto out_close;
	if (r < 0) {
		fs->walk_why = PD_DF_FAILED;
		fs->walk_err = -r;
		r = 0;
		goto out_close;
	}
	fs->walk_why = PD_DF_KNOWN;
	fs->unreadable = fs->walk.unreadable;
	r = walk_hidden(fs, w, fd);
	if (r < 0)
		goto out_close;
	r = keep_unreadable(fs, w);

out_close:
	pd_walk_free(w);
	close(fd);
	return r;
}

/* Measure FS from a captured tree: the df side only. */
static void measure_captured(struct pd_dfscan *ds, struct pd_dffs *fs)
{
	struct pd_mount m;
	size_t i, n = pd_mnttab_count(ds->tab);
	int r;

	fs->walk_why = PD_DF_NOT_WALKED;
	fs->hidden_why = PD_DF_NOT_WALKED;
	if (fs->remote)
		fs->fsspecific_why = PD_DF_UNSUPPORTED;
	else if (!strcmp(fs->fstype, "xfs"))
		fs->fsspecific_why = PD_DF_NOT_WALKED;
	for (i = 0; i < n; i++) {
		pd_mnttab_get(ds->tab, i, &m);
		if (m.dev == fs->dev && !strcmp(m.target, fs->mount))
			break;
	}
	if (i < n && find_covered(ds, fs, &m) == 0 && !fs->ncovered)
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
}

/* Add the file systems of the table, one per device, in table order. */
static int collect(struct pd_dfscan *ds)
{
	size_t i, j, n = pd_mnttab_count(ds->tab);

	ds->fs = calloc(n ? n : 1, sizeof(*ds->fs));
	if (!ds->fs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct pd_mount m;
		struct pd_dffs *fs;

		pd_mnttab_get(ds->tab, i, &m);
		if (!wanted(ds, &m))
			continue;
		for (j = 0; j < ds->nfs; j++)
			if (ds->fs[j].dev == m.dev)
				break;
		if (j < ds->nfs) {
			fs = &ds->fs[j];
			fs->mounts++;
			/* Prefer the whole file system over a subtree. */
			if (fs->subtree && !strcmp(m.root, "/")) {
				free(fs->mount);
				free(fs->root);
				fs->mount = xstrdup(m.target);
				fs->root = xstrdup(m.root);
				fs->subtree = false;
				if (!fs->mount || !fs->root)
					return -ENOMEM;
			}
			continue;
		}
		fs = &ds->fs[ds->nfs++];
		fs->dev = m.dev;
		fs->mount = xstrdup(m.target);
		fs->fstype = xstrdup(m.fstype);
		fs->source = xstrdup(m.source);
		fs->root = xstrdup(m.root);
		if (!fs->mount || !fs->fstype || !fs->source || !fs->root)
			return -ENOMEM;
		fs->subtree = strcmp(fs->root, "/") != 0;
		fs->remote = m.remote;
		fs->ram = m.ram;
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
		struct pd_dffs *fs = &ds->fs[i];

		if (pd_procfs_is_captured(ds->pfs)) {
			measure_captured(ds, fs);
		} else {
			r = measure_live(ds, fs);
			if (r < 0)
				return r;
		}
		count_deleted(ds, fs);
		fs_arith(fs);
	}
	return 0;
}
