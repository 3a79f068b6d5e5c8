/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscan: every memory-backed file object (memfd, SysV and POSIX shm,
 * tmpfs files, shared anonymous memory, secretmem, dma-buf), deduplicated
 * by device and inode, with its holders; and where Shmem went. The engine
 * of memfind. The walk over the processes is lib/holders'; this file is
 * its memory kinds (classify and resolve), the SysV table, the walk of the
 * tmpfs superblocks and the reconciliation, over ~1,400 lines because all
 * of them fill and read the one object table; the tmpfs walk is the part
 * to move out next. */
#include "memscan.h"

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
#include "meminfo.h"
#include "mounts.h"
#include "proc.h"
#include "smaps.h"
#include "mntreach.h"
#include "statq.h"
#include "tmpfs.h"
#include "users.h"

static const char *const kind_names[PD_MEM_NKINDS] = {
	[PD_MEM_MEMFD] = "memfd",
	[PD_MEM_HUGETLB] = "hugetlb",
	[PD_MEM_SECRETMEM] = "secretmem",
	[PD_MEM_SYSV] = "sysv",
	[PD_MEM_POSIX] = "posix",
	[PD_MEM_TMPFS] = "tmpfs",
	[PD_MEM_DELETED_TMPFS] = "deleted-tmpfs",
	[PD_MEM_SHARED_ANON] = "shared-anon",
	[PD_MEM_DMABUF] = "dmabuf",
};

const char *pd_memkind_name(enum pd_memkind kind)
{
	return (unsigned)kind < PD_MEM_NKINDS ? kind_names[kind] : "?";
}

int pd_memkind_parse(const char *s, enum pd_memkind *ret_kind)
{
	unsigned k;

	for (k = 0; k < PD_MEM_NKINDS; k++) {
		if (!strcmp(s, kind_names[k])) {
			*ret_kind = (enum pd_memkind)k;
			return 0;
		}
	}
	return -EINVAL;
}

/* What the text of a link or a maps line names, before the device says
 * whether it is true: the kind of a handle (pd_handle.kind). */
enum cand_type {
	CT_MEMFD,	/* "/memfd:NAME (deleted)" */
	CT_SECRET,	/* "/secretmem (deleted)" */
	CT_DMABUF,	/* "/dmabuf:NAME", "anon_inode:dmabuf" */
	CT_SYSV,	/* maps "/SYSV%08x (deleted)" */
	CT_ZERO,	/* maps "/dev/zero (deleted)" */
	CT_TMPFS,	/* a path on a tmpfs, by text or device */
};

/* An internal mount's device, learned from a stat of one of its files. */
struct mntdev {
	int mnt_id;
	dev_t dev;
};

struct pd_memscan {
	struct pd_procfs *pfs;
	struct pd_memscan_opts opts;
	struct pd_holders *hs;
	struct pd_users *users;
	long page_size;

	struct pd_memobj *objs;
	size_t nobjs, capobjs;
	struct pd_objidx *idx;

	struct pd_memproc *procs;
	size_t nprocs, capprocs;

	struct pd_memsb *sbs;
	size_t nsbs, capsbs;
	dev_t *posix_devs;	/* superblocks mounted on /dev/shm somewhere */
	size_t nposix, capposix;

	struct mntdev *mntdevs;
	size_t nmntdevs, capmntdevs;

	char ipc_ns[64];	/* ours: the one /proc/sysvipc/shm shows */
	size_t nsysv;		/* objects 0..nsysv-1 are its segments */

	struct pd_memscan_gaps gaps;
	struct pd_partial partial;	/* of the last selection */
};

int pd_memscan_new(struct pd_procfs *pfs, const struct pd_memscan_opts *opts,
		   struct pd_memscan **ret_ms)
{
	struct pd_memscan *ms;
	int r;

	ms = calloc(1, sizeof(*ms));
	if (!ms)
		return -ENOMEM;
	ms->pfs = pfs;
	if (opts)
		ms->opts = *opts;
	ms->page_size = sysconf(_SC_PAGESIZE);
	if (ms->page_size <= 0)
		ms->page_size = 4096;
	/* Only internal-mount files are stat'ed through its queue; they
	 * cannot hang, but a device no table shows might be anything. */
	if (!ms->opts.timeout_ms)
		ms->opts.timeout_ms = PD_STATQ_DEFAULT_MS;
	r = pd_holders_new(pfs, ms->opts.timeout_ms, &ms->hs);
	if (r < 0)
		goto out_free;
	r = pd_users_new(&ms->users);
	if (r < 0)
		goto out_free;
	r = pd_objidx_new(&ms->idx);
	if (r < 0)
		goto out_free;
	pd_coverage_judge(pd_holders_coverage(ms->hs), NULL, &ms->partial);
	*ret_ms = ms;
	return 0;

out_free:
	pd_memscan_free(ms);
	return r;
}

void pd_memscan_free(struct pd_memscan *ms)
{
	size_t i;

	if (!ms)
		return;
	for (i = 0; i < ms->nobjs; i++) {
		struct pd_memobj *o = &ms->objs[i];

		free(o->path);
		free(o->mount);
		free(o->exporter);
		pd_holders_free_list(o->holders, o->nholders);
		free(o->holder_pss);
		free(o->holder_swap);
	}
	free(ms->objs);
	pd_objidx_free(ms->idx);
	for (i = 0; i < ms->nprocs; i++)
		pd_proc_release(&ms->procs[i].proc);
	free(ms->procs);
	for (i = 0; i < ms->nsbs; i++) {
		free((char *)ms->sbs[i].mount);
		free((char *)ms->sbs[i].fstype);
		free((char *)ms->sbs[i].covered_by);
	}
	free(ms->sbs);
	free(ms->posix_devs);
	free(ms->mntdevs);
	pd_users_free(ms->users);
	pd_holders_free(ms->hs);
	free(ms);
}

/* --- objects, by (dev, ino, ipc_ns, SysV or not) ------------------------ */

/*
 * SysV segments and the other files of the kernel's shm mount share its
 * device, and their inode numbers can collide: shmem gives a file the next
 * number of get_next_ino(), and newseg() then overwrites a segment's with
 * its shmid. So a SysV object is keyed apart from the rest.
 */
static struct pd_memobj *obj_find(struct pd_memscan *ms, dev_t dev, ino_t ino,
				  uint64_t ns, bool sysv)
{
	struct pd_objkey key = { dev, ino, ns, sysv };
	size_t i;

	if (!pd_objidx_find(ms->idx, &key, NULL, NULL, &i))
		return NULL;
	return &ms->objs[i];
}

/* A new object, zeroed but for its key and kind; hashed. */
static int obj_new(struct pd_memscan *ms, enum pd_memkind kind, dev_t dev,
		   ino_t ino, uint64_t ns, const char *path, size_t path_len,
		   struct pd_memobj **ret_o)
{
	struct pd_memobj *o;
	int r;

	r = pd_array_grow((void **)&ms->objs, &ms->capobjs, ms->nobjs,
			  sizeof(*ms->objs));
	if (r < 0)
		return r;
	o = &ms->objs[ms->nobjs];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->dev = dev;
	o->ino = ino;
	o->ipc_ns = ns;
	o->path = strndup(path, path_len);
	if (!o->path)
		return -ENOMEM;
	o->path_len = path_len;
	r = pd_objidx_add(ms->idx, &(struct pd_objkey){
				  dev, ino, ns, kind == PD_MEM_SYSV }, ms->nobjs);
	if (r < 0) {
		free(o->path);
		return r;
	}
	ms->nobjs++;
	*ret_o = o;
	return 0;
}

static void obj_set_stat(struct pd_memobj *o, const struct stat *st)
{
	o->sized = true;
	o->size = (uint64_t)st->st_size;
	o->has_alloc = true;
	o->alloc = (uint64_t)st->st_blocks * 512;
	o->deleted = st->st_nlink == 0;
}

/* Record that process PROC holds O: through fd FD (>= 0) or HOW. */
static int holder_add(struct pd_memobj *o, size_t proc, unsigned how, int fd)
{
	size_t n = o->nholders, i;
	uint64_t *np;
	int r;

	r = pd_holder_add(&o->holders, &o->nholders, proc, how, fd, &i);
	if (r < 0 || o->nholders == n)
		return r;
	np = realloc(o->holder_pss, o->nholders * sizeof(*np));
	if (!np)
		return -ENOMEM;
	o->holder_pss = np;
	np = realloc(o->holder_swap, o->nholders * sizeof(*np));
	if (!np)
		return -ENOMEM;
	o->holder_swap = np;
	o->holder_pss[i] = o->holder_swap[i] = 0;
	return 0;
}

/* --- mounts -------------------------------------------------------------- */

static bool fstype_is_shmem(const char *fstype)
{
	return fstype && (!strcmp(fstype, "tmpfs") ||
			  !strcmp(fstype, "devtmpfs"));
}

static bool dev_is_posix(const struct pd_memscan *ms, dev_t dev)
{
	size_t i;

	for (i = 0; i < ms->nposix; i++)
		if (ms->posix_devs[i] == dev)
			return true;
	return false;
}

/* Note the tmpfs superblocks mounted on /dev/shm in TAB. */
static int note_posix(struct pd_memscan *ms, const struct pd_mnttab *tab)
{
	size_t i;
	int r;

	for (i = 0; i < pd_mnttab_count(tab); i++) {
		struct pd_mount m;

		if (pd_mnttab_get(tab, i, &m) < 0 || !m.target ||
		    strcmp(m.target, "/dev/shm") != 0 ||
		    !fstype_is_shmem(m.fstype) || dev_is_posix(ms, m.dev))
			continue;
		r = pd_array_grow((void **)&ms->posix_devs, &ms->capposix,
				  ms->nposix, sizeof(*ms->posix_devs));
		if (r < 0)
			return r;
		ms->posix_devs[ms->nposix++] = m.dev;
	}
	return 0;
}

/* Look a mount up in TAB, then in pid 1's. Returns 0 or -ENOENT. */
static int find_mount(struct pd_memscan *ms, const struct pd_mnttab *tab,
		      bool by_id, int id, dev_t dev, struct pd_mount *ret_mnt)
{
	return pd_holders_find_mount(ms->hs, tab, by_id, id, dev, ret_mnt);
}

/* The table of P's namespace to guess by text with: its own, else pid
 * 1's. Returns 0 or a fatal -errno. */
static int guess_tab(struct pd_memscan *ms, struct pd_holders_pid *p,
		     const struct pd_mnttab **ret_tab)
{
	int r = pd_holders_pid_tab(ms->hs, p, ret_tab);

	if (r == 0 && !*ret_tab)
		*ret_tab = pd_holders_init_tab(ms->hs);
	return r;
}

static bool mntdev_find(const struct pd_memscan *ms, int mnt_id,
			dev_t *ret_dev)
{
	size_t i;

	for (i = 0; i < ms->nmntdevs; i++) {
		if (ms->mntdevs[i].mnt_id == mnt_id) {
			*ret_dev = ms->mntdevs[i].dev;
			return true;
		}
	}
	return false;
}

static int mntdev_note(struct pd_memscan *ms, int mnt_id, dev_t dev)
{
	dev_t d;
	int r;

	if (mnt_id < 0 || mntdev_find(ms, mnt_id, &d))
		return 0;
	r = pd_array_grow((void **)&ms->mntdevs, &ms->capmntdevs, ms->nmntdevs,
			  sizeof(*ms->mntdevs));
	if (r < 0)
		return r;
	ms->mntdevs[ms->nmntdevs].mnt_id = mnt_id;
	ms->mntdevs[ms->nmntdevs].dev = dev;
	ms->nmntdevs++;
	return 0;
}

/* --- candidates ---------------------------------------------------------- */

static bool has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

static bool text_is(const char *s, size_t len, const char *t)
{
	return len == strlen(t) && !memcmp(s, t, len);
}

/* "/SYSV" and eight hex digits, as newseg() names the file. */
static bool is_sysv_name(const char *s, size_t len)
{
	size_t i;

	if (len != 5 + 8 || memcmp(s, "/SYSV", 5) != 0)
		return false;
	for (i = 5; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static int classify_fd(void *arg, struct pd_holders_pid *p,
		       const struct pd_link *l, struct pd_handle *h)
{
	struct pd_memscan *ms = arg;
	const struct pd_mnttab *nstab;
	const char *text = h->text;
	size_t len = h->len;
	struct pd_mount m;
	char *path;
	int r;

	if (h->toolong) {
		/* a path past PATH_MAX, no text: only a tmpfs file can be
		 * ours, and the fd's mnt_id tells */
		h->kind = CT_TMPFS;
		return 0;
	}
	if (l->kind == PD_LINK_ANON) {
		if (!text_is(text, len, "anon_inode:dmabuf"))
			return 1;
		h->kind = CT_DMABUF;
		return 0;
	}
	if (l->kind != PD_LINK_PATH)
		return 1;
	if (l->deleted && has_prefix(text, l->path_len, "/memfd:")) {
		h->kind = CT_MEMFD;
		return 0;
	}
	if (l->deleted && text_is(text, l->path_len, "/secretmem")) {
		h->kind = CT_SECRET;
		return 0;
	}
	if (has_prefix(text, len, "/dmabuf:")) {
		h->kind = CT_DMABUF;
		h->path_len = len;
		return 0;
	}
	r = guess_tab(ms, p, &nstab);
	if (r < 0)
		return r;
	path = strndup(text, l->path_len);
	if (!path)
		return -ENOMEM;
	/* A guess by text in the namespace's table; the fd's mnt_id
	 * decides. */
	r = !nstab || pd_mnttab_find_path(nstab, path, &m) < 0 ||
	    !m.fstype || strcmp(m.fstype, "tmpfs") != 0;
	free(path);
	h->kind = CT_TMPFS;
	return r;
}

static int classify_map(void *arg, struct pd_holders_pid *p,
			const struct pd_map *m, bool deleted,
			struct pd_handle *h)
{
	static const size_t sl = sizeof(PD_DELETED_SUFFIX) - 1;
	struct pd_memscan *ms = arg;
	const struct pd_mnttab *nstab;
	size_t plen = h->path_len;
	struct pd_mount mt;
	int r;

	if (!m->inode && !is_sysv_name(m->path, m->path_len > sl ?
				       m->path_len - sl : 0))
		return 1;	/* SysV shmid 0 has inode 0 */
	if (deleted && has_prefix(m->path, plen, "/memfd:")) {
		h->kind = CT_MEMFD;
	} else if (deleted && is_sysv_name(m->path, plen)) {
		h->kind = CT_SYSV;
	} else if (deleted && text_is(m->path, plen, "/dev/zero") &&
		   (m->perms & PD_MAP_SHARED)) {
		h->kind = CT_ZERO;
	} else if (deleted && text_is(m->path, plen, "/secretmem")) {
		h->kind = CT_SECRET;
	} else if (has_prefix(m->path, m->path_len, "/dmabuf:")) {
		h->kind = CT_DMABUF;
		h->path_len = m->path_len;
	} else {
		r = guess_tab(ms, p, &nstab);
		if (r < 0)
			return r;
		if (!nstab || pd_mnttab_find_dev(nstab, h->dev, &mt) < 0 ||
		    !mt.fstype || strcmp(mt.fstype, "tmpfs") != 0)
			return 1;
		h->kind = CT_TMPFS;
	}
	return 0;
}

/* --- processes ----------------------------------------------------------- */

static int proc_new(void *arg, struct pd_holders_pid *hp, struct pd_proc *p)
{
	struct pd_memscan *ms = arg;
	struct pd_memproc *mp;
	int r;

	r = pd_array_grow((void **)&ms->procs, &ms->capprocs, ms->nprocs,
			  sizeof(*ms->procs));
	if (r < 0)
		return r;
	mp = &ms->procs[ms->nprocs];
	memset(mp, 0, sizeof(*mp));
	mp->proc = *p;
	mp->user = pd_users_name(ms->users, p->status.uid);
	/* taken over */
	p->cmdline = p->cgroup = p->unit = NULL;
	hp->proc = ms->nprocs++;
	return 0;
}

/*
 * Stat a file on a mount that no table shows. With the holder's namespace
 * table at hand that is one of the kernel's internal mounts (kern_mount():
 * shm, hugetlbfs, secretmem, dma-buf), which has no server to wait for:
 * a plain stat. Without a table it might be anything: under the deadline.
 */
static int stat_internal(struct pd_memscan *ms, int pidfd,
			 const struct pd_mnttab *tab, const char *rel,
			 struct stat *ret_st)
{
	if (tab)
		return pd_procfs_stat_link(ms->pfs, pidfd, rel, ret_st);
	return pd_statq_stat(pd_holders_statq(ms->hs), pidfd, rel, ret_st);
}

/* Is a file of kind-guess TYPE with stat ST a hugetlb memfd? hugetlbfs
 * gives its inodes the huge page size as i_blkbits, shmem PAGE_SIZE. */
static bool is_huge(const struct pd_memscan *ms, const struct stat *st)
{
	return st->st_blksize > ms->page_size;
}

static enum pd_memkind internal_kind(const struct pd_memscan *ms,
				     enum cand_type type,
				     const struct stat *st)
{
	switch (type) {
	case CT_MEMFD:
		return st && is_huge(ms, st) ? PD_MEM_HUGETLB : PD_MEM_MEMFD;
	case CT_SECRET:
		return PD_MEM_SECRETMEM;
	case CT_DMABUF:
		return PD_MEM_DMABUF;
	case CT_SYSV:
		return PD_MEM_SYSV;
	case CT_ZERO:
		return PD_MEM_SHARED_ANON;
	case CT_TMPFS:
		break;
	}
	return PD_MEM_TMPFS;
}

/* Our IPC namespace, or that of the process PIDFD, as the ns/ipc link. */
static bool ipc_ns_is_ours(struct pd_memscan *ms, int pidfd, uint64_t *ret_ns)
{
	char ns[64];
	unsigned long long ino;
	int n;

	*ret_ns = 0;
	if (!ms->ipc_ns[0])
		return true;	/* ours unknown: assume one namespace */
	n = pd_readlink_at(pidfd, "ns/ipc", ns, sizeof(ns));
	if (n < 0 || !strcmp(ns, ms->ipc_ns))
		return true;
	if (sscanf(ns, "ipc:[%llu]", &ino) == 1)
		*ret_ns = (uint64_t)ino;
	return *ret_ns == 0;
}

/* The SysV object of our namespace whose shmid is ID, or NULL. */
static struct pd_memobj *sysv_find(struct pd_memscan *ms, ino_t id)
{
	size_t i;

	for (i = 0; i < ms->nsysv; i++)
		if (ms->objs[i].kind == PD_MEM_SYSV && ms->objs[i].has_sysv &&
		    !ms->objs[i].ipc_ns && ms->objs[i].ino == id)
			return &ms->objs[i];
	return NULL;
}

static int resolve_fd(struct pd_memscan *ms, struct pd_holders_pid *p,
		      const struct pd_mnttab *tab, struct pd_handle *c)
{
	int pidfd = p->pidfd;
	size_t proc = p->proc;
	struct pd_dmabuf_info di;
	bool is_dmabuf = false, have_mount = false;
	struct pd_memobj *o;
	struct pd_fdinfo fi;
	struct pd_mount m;
	struct stat st;
	char *buf;
	dev_t dev = 0;
	size_t len;
	int r;

	r = pd_holders_fdinfo(ms->hs, p, c, &fi, &buf, &len);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0)
		return 0;	/* closed meanwhile */
	if (c->kind == CT_DMABUF)
		is_dmabuf = pd_dmabuf_fdinfo_parse(buf, len, &di) == 0;
	free(buf);

	if (fi.mnt_id >= 0 && find_mount(ms, tab, true, fi.mnt_id, 0, &m) == 0)
		have_mount = true;
	if (have_mount) {
		/* On a visible mount: a tmpfs file, whatever its name says
		 * (a regular file may be named "/memfd:x"). */
		if (!m.fstype || strcmp(m.fstype, "tmpfs") != 0)
			return 0;
		if (fi.ino) {
			o = obj_find(ms, m.dev, (ino_t)fi.ino, 0, false);
			if (o)
				return holder_add(o, proc, PD_HOLD_FD, c->fd);
		}
		/* tmpfs answers at once: no deadline needed */
		r = pd_procfs_stat_link(ms->pfs, pidfd, c->rel, &st);
		if (pd_err_is_fatal(r))
			return r;
		if (r < 0 || !S_ISREG(st.st_mode))
			return 0;	/* gone, or a FIFO or device node */
		o = obj_find(ms, st.st_dev, st.st_ino, 0, false);
		if (!o) {
			r = obj_new(ms, PD_MEM_TMPFS, st.st_dev, st.st_ino, 0,
				    c->text, c->path_len, &o);
			if (r < 0)
				return r;
			obj_set_stat(o, &st);
			o->mount = m.target ? strdup(m.target) : NULL;
			if (c->toolong) {
				free(o->path);
				o->path = NULL;
				r = pd_link_truncated_path(m.target, &o->path,
							   &o->path_len);
				if (r < 0)
					return r;
				o->path_truncated = true;
			}
		}
		return holder_add(o, proc, PD_HOLD_FD, c->fd);
	}
	if (c->kind == CT_TMPFS)
		return 0;	/* the text guessed a tmpfs the fd is not on */

	/* An internal mount: the kernel's shm, hugetlbfs, secretmem or
	 * dma-buf one. Its device comes from a stat, once per mount. */
	if (fi.ino && mntdev_find(ms, fi.mnt_id, &dev)) {
		o = obj_find(ms, dev, (ino_t)fi.ino, 0, false);
		if (o)
			return holder_add(o, proc, PD_HOLD_FD, c->fd);
	}
	r = stat_internal(ms, pidfd, tab, c->rel, &st);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0)
		return 0;
	if (find_mount(ms, tab, false, 0, st.st_dev, &m) == 0)
		return 0;	/* no fd mnt_id, and a visible device */
	r = mntdev_note(ms, fi.mnt_id, st.st_dev);
	if (r < 0)
		return r;
	o = obj_find(ms, st.st_dev, st.st_ino, 0, false);
	if (!o) {
		r = obj_new(ms, internal_kind(ms, c->kind, &st), st.st_dev,
			    st.st_ino, 0, c->text, c->path_len, &o);
		if (r < 0)
			return r;
		obj_set_stat(o, &st);
		if (o->kind == PD_MEM_SECRETMEM) {
			/* secretmem pages are not counted in i_blocks */
			o->has_alloc = false;
			o->alloc = 0;
		}
		if (o->kind == PD_MEM_DMABUF && is_dmabuf) {
			o->size = o->alloc = di.size;
			o->sized = o->has_alloc = true;
			if (di.has_exp_name) {
				o->exporter = strdup(di.exp_name);
				if (!o->exporter)
					return -ENOMEM;
			}
		}
		if (o->kind == PD_MEM_MEMFD || o->kind == PD_MEM_HUGETLB) {
			unsigned seals;

			r = pd_procfs_fd_seals(ms->pfs, pidfd, c->fd, &seals);
			if (pd_err_is_fatal(r))
				return r;
			if (r == 0) {
				o->has_seals = true;
				o->seals = seals;
			}
		}
	}
	return holder_add(o, proc, PD_HOLD_FD, c->fd);
}

static int resolve_map(struct pd_memscan *ms, struct pd_holders_pid *p,
		       const struct pd_mnttab *tab, struct pd_handle *c)
{
	int pidfd = p->pidfd;
	size_t proc = p->proc;
	struct pd_memobj *o = NULL;
	struct pd_mount m;
	struct stat st;
	uint64_t ns = 0;
	bool visible;
	int r;

	visible = find_mount(ms, tab, false, 0, c->dev, &m) == 0;
	if (visible && (c->kind != CT_TMPFS ||
			!m.fstype || strcmp(m.fstype, "tmpfs") != 0))
		return 0;	/* e.g. an ext4 file named "/memfd:x" */
	if (!visible && c->kind == CT_TMPFS)
		return 0;
	if (c->kind == CT_SYSV) {
		if (ipc_ns_is_ours(ms, pidfd, &ns)) {
			o = sysv_find(ms, c->ino);
			if (o)
				o->dev = c->dev;
		} else {
			ms->gaps.other_ipc_ns++;
		}
	}
	if (!o)
		o = obj_find(ms, c->dev, c->ino, ns, c->kind == CT_SYSV);
	if (o && o->path_truncated) {
		/* first seen by an fd past PATH_MAX; maps has it whole */
		char *full = strndup(c->text, c->path_len);

		if (!full)
			return -ENOMEM;
		free(o->path);
		o->path = full;
		o->path_len = c->path_len;
		o->path_truncated = false;
	}
	if (!o) {
		int sr;

		sr = visible ? pd_procfs_stat_link(ms->pfs, pidfd, c->rel, &st) :
			       stat_internal(ms, pidfd, tab, c->rel, &st);
		if (pd_err_is_fatal(sr))
			return sr;
		if (sr == 0 && (st.st_dev != c->dev || st.st_ino != c->ino))
			sr = -ESTALE;	/* remapped meanwhile */
		if (sr == -EPERM || sr == -EACCES)
			ms->gaps.unverified_maps++;
		r = obj_new(ms, visible ? PD_MEM_TMPFS :
			    internal_kind(ms, c->kind, sr == 0 ? &st : NULL),
			    c->dev, c->ino, ns, c->text, c->path_len, &o);
		if (r < 0)
			return r;
		/* secretmem keeps no i_blocks; a mapped dma-buf's size
		 * comes from an fd's fdinfo */
		if (sr == 0 && o->kind != PD_MEM_SECRETMEM &&
		    o->kind != PD_MEM_DMABUF)
			obj_set_stat(o, &st);
		if (visible && m.target) {
			o->mount = strdup(m.target);
			if (!o->mount)
				return -ENOMEM;
		}
	}
	if ((c->perms & PD_MAP_EXEC) &&
	    (o->kind == PD_MEM_MEMFD || o->kind == PD_MEM_HUGETLB))
		o->flags |= PD_MEMF_EXEC;
	c->obj = (size_t)(o - ms->objs) + 1;
	return holder_add(o, proc, PD_HOLD_MEM, -1);
}

/* A process running from a memfd: its exe link and the memfd it maps. */
static int check_exe(struct pd_memscan *ms, int pidfd,
		     const struct pd_mnttab *tab, size_t proc)
{
	char text[PATH_MAX + 1];
	struct pd_memobj *o;
	struct stat st;
	int n, r;

	n = pd_readlink_at(pidfd, "exe", text, sizeof(text));
	if (pd_err_is_fatal(n))
		return n;
	if (n < 0 || !has_prefix(text, (size_t)n, "/memfd:"))
		return 0;
	r = stat_internal(ms, pidfd, tab, "exe", &st);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0)
		return 0;
	o = obj_find(ms, st.st_dev, st.st_ino, 0, false);
	if (!o || (o->kind != PD_MEM_MEMFD && o->kind != PD_MEM_HUGETLB))
		return 0;
	o->flags |= PD_MEMF_FILELESS | PD_MEMF_EXEC;
	ms->procs[proc].fileless = true;
	return holder_add(o, proc, PD_HOLD_EXE, -1);
}

/* RSS, PSS and swap of the mapped objects, from smaps. */
static int read_smaps(struct pd_memscan *ms, int pidfd, size_t proc,
		      struct pd_handle *hv, size_t nh)
{
	const char *cur, *end;
	struct pd_smaps sm;
	struct pd_map m;
	char *buf;
	size_t len, i, k;
	int r;

	r = pd_procfs_read_at(ms->pfs, pidfd, "smaps", PD_READ_LIMIT, &buf,
			      &len);
	if (r < 0)
		return pd_err_is_fatal(r) ? r : 0;
	cur = buf;
	end = buf + len;
	while ((r = pd_smaps_next(&cur, end, &m, &sm)) != 1) {
		dev_t dev;

		if (r < 0)
			continue;
		dev = makedev(m.dev_major, m.dev_minor);
		for (i = 0; i < nh; i++) {
			struct pd_handle *c = &hv[i];

			/* the name too: a SysV shmid may equal the inode of
			 * another file of the shm mount */
			if (!c->from_maps || !c->obj || c->dev != dev ||
			    c->ino != (ino_t)m.inode ||
			    strlen(c->text) != m.path_len ||
			    memcmp(c->text, m.path, m.path_len) != 0)
				continue;
			c->rss += sm.rss;
			c->pss += sm.pss;
			c->swap += sm.swap;
			break;
		}
	}
	free(buf);
	for (i = 0; i < nh; i++) {
		struct pd_handle *c = &hv[i];
		struct pd_memobj *o;

		if (!c->obj)
			continue;
		o = &ms->objs[c->obj - 1];
		o->mapped = true;
		o->pss += c->pss;
		for (k = 0; k < o->nholders; k++) {
			if (o->holders[k].proc == proc) {
				o->holder_pss[k] += c->pss;
				o->holder_swap[k] += c->swap;
			}
		}
		if (!o->has_sysv) {
			if (c->rss > o->rss)
				o->rss = c->rss;
			if (c->swap > o->swap)
				o->swap = c->swap;
		}
	}
	return 0;
}

static int resolve(void *arg, struct pd_holders_pid *p, struct pd_handle *h)
{
	struct pd_memscan *ms = arg;
	const struct pd_mnttab *nstab;
	int r;

	r = guess_tab(ms, p, &nstab);
	if (r < 0)
		return r;
	return h->from_maps ? resolve_map(ms, p, nstab, h) :
			      resolve_fd(ms, p, nstab, h);
}

/* After the handles: an exe run from a memfd, and smaps for what is
 * mapped. */
static int proc_done(void *arg, struct pd_holders_pid *p,
		     struct pd_handle *hv, size_t n)
{
	struct pd_memscan *ms = arg;
	bool any_map = false, memfd_map = false;
	const struct pd_mnttab *nstab;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		if (hv[i].from_maps && hv[i].obj) {
			any_map = true;
			memfd_map |= hv[i].kind == CT_MEMFD;
		}
	}
	if (memfd_map) {
		r = guess_tab(ms, p, &nstab);
		if (r < 0)
			return r;
		r = check_exe(ms, p->pidfd, nstab, p->proc);
		if (r < 0)
			return r;
	}
	if (any_map)
		return read_smaps(ms, p->pidfd, p->proc, hv, n);
	return 0;
}


/* --- SysV ---------------------------------------------------------------- */

static int sysv_load(struct pd_memscan *ms)
{
	struct pd_sysvshm *v = NULL;
	size_t n = 0, bad = 0, i;
	char name[32];
	int r;

	r = pd_sysvshm_read(ms->pfs, &v, &n, &bad);
	if (pd_err_is_fatal(r))
		return r;
	if (r < 0) {
		ms->gaps.no_sysvipc = true;
		return 0;
	}
	ms->gaps.bad_sysv_lines = (unsigned)bad;
	for (i = 0; i < n; i++) {
		struct pd_memobj *o;

		/* the name newseg() gives the file, as maps shows it */
		snprintf(name, sizeof(name), "/SYSV%08x", (unsigned)v[i].key);
		/* dev 0 until a mapping names the device: the key is the
		 * shmid, as the file's inode number is */
		r = obj_new(ms, PD_MEM_SYSV, 0, (ino_t)v[i].shmid, 0, name,
			    strlen(name), &o);
		if (r < 0)
			break;
		o->has_sysv = true;
		o->sysv = v[i];
		o->sized = true;
		o->size = v[i].size;
		if (v[i].has_rss) {
			o->has_alloc = true;
			o->alloc = v[i].rss + v[i].swap;
			o->mapped = true;
			o->rss = v[i].rss;
			o->swap = v[i].swap;
		}
		if (pd_sysvshm_is_dest(&v[i]))
			o->flags |= PD_MEMF_DEST;
		if (pd_sysvshm_is_locked(&v[i]))
			o->flags |= PD_MEMF_LOCKED;
		if (v[i].nattch == 0)
			o->flags |= PD_MEMF_ORPHAN;
	}
	free(v);
	ms->nsysv = ms->nobjs;
	return r < 0 ? r : 0;
}

/* --- tmpfs superblocks --------------------------------------------------- */

static struct pd_memsb *sb_find(const struct pd_memscan *ms, dev_t dev)
{
	size_t i;

	for (i = 0; i < ms->nsbs; i++)
		if (ms->sbs[i].dev == dev)
			return &ms->sbs[i];
	return NULL;
}

static int sb_add(struct pd_memscan *ms, const struct pd_mount *m,
		  struct pd_memsb **ret_sb)
{
	struct pd_memsb *sb;
	int r;

	r = pd_array_grow((void **)&ms->sbs, &ms->capsbs, ms->nsbs,
			  sizeof(*ms->sbs));
	if (r < 0)
		return r;
	sb = &ms->sbs[ms->nsbs];
	memset(sb, 0, sizeof(*sb));
	sb->dev = m->dev;
	sb->mount = strdup(m->target ? m->target : "?");
	sb->fstype = strdup(m->fstype ? m->fstype : "?");
	if (!sb->mount || !sb->fstype) {
		free((char *)sb->mount);
		free((char *)sb->fstype);
		return -ENOMEM;
	}
	ms->nsbs++;
	*ret_sb = sb;
	return 0;
}

struct walkctx {
	struct pd_memscan *ms;
	const char *mount;	/* target of the walked mount; NULL: by dev */
	unsigned flags;		/* PD_MEMF_COVERED for a covered one */
};

static int walk_file(void *arg, const struct pd_tmpfs_file *f)
{
	struct walkctx *w = arg;
	struct pd_memscan *ms = w->ms;
	struct pd_memsb *sb = sb_find(ms, f->dev);
	struct pd_memobj *o;
	int r;

	if (!sb)
		return 0;	/* a capture line for a superblock no table has */
	sb->walked = true;
	sb->files_alloc += f->alloc;
	o = obj_find(ms, f->dev, f->ino, 0, false);
	if (o) {
		o->flags |= w->flags;
		/* held through an fd or a mapping: the walk knows its name
		 * in the tree, and a hard link comes once */
		if (!o->mount && sb->mount) {
			o->mount = strdup(sb->mount);
			if (!o->mount)
				return -ENOMEM;
		}
		return 0;
	}
	r = obj_new(ms, PD_MEM_TMPFS, f->dev, f->ino, 0, f->path, f->path_len,
		    &o);
	if (r < 0)
		return r;
	o->sized = o->has_alloc = true;
	o->size = f->size;
	o->alloc = f->alloc;
	o->deleted = f->nlink == 0;
	o->flags |= w->flags;
	o->mount = strdup(w->mount ? w->mount : sb->mount);
	return o->mount ? 0 : -ENOMEM;
}

static int walk_sb(void *arg, dev_t dev, uint64_t used)
{
	struct walkctx *w = arg;
	struct pd_memsb *sb = sb_find(w->ms, dev);

	/* a capture's sb line is a superblock the walk reached, even one
	 * with no file and no count */
	if (sb)
		sb->walked = true;
	if (sb && used != UINT64_MAX) {
		sb->has_used = true;
		sb->used = used;
	}
	return 0;
}

/*
 * Open the mount point TARGET through the root of one of REP's processes
 * (the first may deny it: another user namespace's init), and statx it.
 * When a FUSE or remote mount is over the tmpfs or on the way to it (a
 * stopped FUSE daemon never answers), the open is under the deadline and
 * the statx from the kernel's cache (AT_STATX_DONT_SYNC): what is opened
 * may be that mount's root. Returns 0, -ETIMEDOUT (the other processes of
 * the namespace would wait the same), or -errno.
 */
static int open_in_ns(struct pd_memscan *ms, const struct pd_holders_ns *rep,
		      const char *target, int *ret_fd, struct statx *ret_stx)
{
	bool may_hang = pd_mnttab_path_may_hang(rep->tab, target);
	char *rel;
	size_t i;
	int r = -ENOENT;

	if (asprintf(&rel, "root%s", target) < 0)
		return -ENOMEM;
	for (i = 0; i < rep->npids; i++) {
		int pidfd, hfd, fd = -1;

		r = pd_procfs_open_pid(ms->pfs, rep->pids[i], &pidfd);
		if (pd_err_is_fatal(r))
			break;
		if (r < 0)
			continue;
		/* an exited leader has no root: a live thread's */
		r = pd_proc_open_holder(ms->pfs, pidfd, rep->pids[i], &hfd);
		if (r < 0) {
			close(pidfd);
			break;
		}
		if (may_hang) {
			r = pd_statq_open(pd_holders_statq(ms->hs), hfd, rel,
					  O_RDONLY | O_DIRECTORY, &fd);
		} else {
			fd = openat(hfd, rel, O_RDONLY | O_DIRECTORY |
				    O_CLOEXEC);
			r = fd < 0 ? -errno : 0;
		}
		if (hfd != pidfd)
			close(hfd);
		close(pidfd);
		if (r == 0 && statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC,
				    STATX_BASIC_STATS, ret_stx) < 0) {
			r = -errno;
			close(fd);
		}
		if (r == 0) {
			*ret_fd = fd;
			break;
		}
		if (r == -ETIMEDOUT || pd_err_is_fatal(r))
			break;
	}
	free(rel);
	return r;
}

/* Walk SB from FD, the root of its mount at TARGET, its files marked
 * FLAGS. */
static int walk_root(struct pd_memscan *ms, struct pd_memsb *sb, int fd,
		     const char *target, unsigned flags)
{
	struct walkctx w = { .ms = ms, .mount = sb->mount, .flags = flags };
	struct pd_tmpfs_walkstats ws;
	int r;

	if (pd_tmpfs_used(fd, &sb->used) == 0)
		sb->has_used = true;
	r = pd_tmpfs_walk(fd, sb->dev, target, walk_file, &w, &ws);
	sb->walked = true;
	ms->gaps.unreadable_dirs += ws.unreadable;
	return r;
}

/* Walk the tmpfs mounts of one namespace, each superblock once. */
static int walk_ns(struct pd_memscan *ms, const struct pd_holders_ns *rep)
{
	size_t i;
	int r = 0;

	if (!rep->tab)
		return 0;
	for (i = 0; i < pd_mnttab_count(rep->tab); i++) {
		struct pd_memsb *sb;
		struct pd_mount m;
		struct statx stx;
		int fd = -1;

		if (pd_mnttab_get(rep->tab, i, &m) < 0 ||
		    !fstype_is_shmem(m.fstype) || !m.target)
			continue;
		sb = sb_find(ms, m.dev);
		if (sb && sb->walked)
			continue;
		if (!sb) {
			r = sb_add(ms, &m, &sb);
			if (r < 0)
				break;
		}
		if (pd_procfs_is_captured(ms->pfs))
			continue;
		r = open_in_ns(ms, rep, m.target, &fd, &stx);
		if (pd_err_is_fatal(r))
			break;
		if (r == -ETIMEDOUT)
			sb->timed_out = true;
		r = 0;
		if (fd < 0)
			continue;	/* another namespace may reach it */
		if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != m.dev) {
			/* another mount on top of it here */
			close(fd);
			continue;
		}
		r = walk_root(ms, sb, fd, m.target, 0);
		close(fd);
		if (r < 0)
			break;
	}
	return r;
}

/* SB, which no process's root reaches, through lib/mntreach: a private
 * copy of the mount table of a namespace that has it, with what covers it
 * detached there. Its files are marked covered; SB says by what. Returns
 * 0 (reached, or not: SB is not walked, gaps say why), or a fatal -errno
 * (pd_err_is_fatal). */
static int walk_covered(struct pd_memscan *ms, struct pd_memsb *sb)
{
	bool eperm = false;
	int r = -ENOENT;
	size_t i, j;

	for (i = 0; i < pd_holders_nns(ms->hs); i++) {
		const struct pd_holders_ns *rep = pd_holders_ns(ms->hs, i);

		for (j = 0; rep->tab && j < pd_mnttab_count(rep->tab); j++) {
			struct pd_mount m, c;
			char *by = NULL;
			int pidfd, nsfd, fd;

			if (pd_mnttab_get(rep->tab, j, &m) < 0 ||
			    m.dev != sb->dev || !m.target ||
			    pd_procfs_open_pid(ms->pfs, rep->pids[0],
					       &pidfd) < 0)
				continue;
			/* live only: an nsfs file, no data to read */
			nsfd = openat(pidfd, "ns/mnt", O_RDONLY | O_CLOEXEC);
			close(pidfd);
			if (nsfd < 0)
				continue;
			r = pd_mntreach_open(pd_holders_statq(ms->hs), nsfd, m.target, m.dev,
					     &fd);
			close(nsfd);
			if (pd_err_is_fatal(r))
				return r;
			if (r == -ETIMEDOUT)
				sb->timed_out = true;
			if (r == -EPERM)
				eperm = true;
			if (r < 0)
				continue;
			if (pd_mntreach_cover(rep->tab, &m, &c) == 0 &&
			    asprintf(&by, "%s on %s", c.fstype ? c.fstype : "?",
				     c.target) < 0)
				by = NULL;
			sb->covered_by = by ? by : strdup("another mount");
			r = sb->covered_by ? walk_root(ms, sb, fd, m.target,
						       PD_MEMF_COVERED) :
					     -ENOMEM;
			close(fd);
			ms->gaps.covered_sbs++;
			return r < 0 ? r : 0;
		}
	}
	/* not privileged is the cause that stays: it wins over a passing
	 * one (a deadline missed under load) */
	if (eperm)
		r = -EPERM;
	if (ms->gaps.hidden_err != EPERM)
		ms->gaps.hidden_err = -r;
	return 0;
}

static int walk_capture(struct pd_memscan *ms)
{
	struct walkctx w = { .ms = ms };
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(ms->pfs, "procdiag-tmpfs", PD_READ_LIMIT, &buf,
			   &len);
	if (r < 0)
		return pd_err_is_fatal(r) ? r : 0;
	r = pd_tmpfs_capture_parse(buf, len, walk_file, walk_sb, &w);
	free(buf);
	return r;
}

/* --- after the scan ------------------------------------------------------ */

static void finish(struct pd_memscan *ms)
{
	/* a /dev/shm file is an orphan only if every process was seen */
	bool complete = !pd_coverage_is_partial(&ms->partial);
	size_t i, j;

	for (i = 0; i < ms->nobjs; i++) {
		struct pd_memobj *o = &ms->objs[i];

		if (o->kind == PD_MEM_TMPFS || o->kind == PD_MEM_POSIX ||
		    o->kind == PD_MEM_DELETED_TMPFS) {
			if (o->deleted)
				o->kind = PD_MEM_DELETED_TMPFS;
			else if (dev_is_posix(ms, o->dev))
				o->kind = PD_MEM_POSIX;
			else
				o->kind = PD_MEM_TMPFS;
			/* no claim without every process read; no silence
			 * either: "orphan?" */
			if (o->kind == PD_MEM_POSIX && !o->nholders)
				o->flags |= complete ? PD_MEMF_ORPHAN :
					    PD_MEMF_ORPHAN_UNSURE;
		}
		for (j = 0; j < o->nholders; j++)
			if (o->holders[j].nfds >= PD_MEM_MANY_FDS)
				o->flags |= PD_MEMF_MANY_FDS;
	}
}

int pd_memscan_run(struct pd_memscan *ms)
{
	const struct pd_holders_ops ops = {
		.classify_fd = classify_fd,
		.classify_map = classify_map,
		.proc_new = proc_new,
		.resolve = resolve,
		.proc_done = proc_done,
		.identity = PD_PROC_STAT | PD_PROC_STATUS |
			    (ms->opts.identity ? ms->opts.identity :
			     PD_PROC_CMDLINE),
		.every_ns = true,	/* walk_ns reaches mounts through them */
	};
	size_t i;
	int r, n2;

	n2 = pd_readlink_at(pd_procfs_rootfd(ms->pfs), "self/ns/ipc",
			    ms->ipc_ns, sizeof(ms->ipc_ns));
	if (n2 < 0)
		ms->ipc_ns[0] = '\0';
	r = sysv_load(ms);
	if (r < 0)
		return r;
	r = pd_holders_run(ms->hs, &ops, ms);
	if (r < 0)
		return r;
	pd_coverage_judge(pd_holders_coverage(ms->hs), NULL, &ms->partial);
	for (i = 0; i < pd_holders_nns(ms->hs); i++) {
		const struct pd_holders_ns *ns = pd_holders_ns(ms->hs, i);

		if (ns->tab) {
			r = note_posix(ms, ns->tab);
			if (r < 0)
				return r;
		}
		r = walk_ns(ms, ns);
		if (r < 0)
			return r;
	}
	for (i = 0; i < ms->nsbs && !pd_procfs_is_captured(ms->pfs); i++) {
		struct pd_memsb *sb = &ms->sbs[i];

		if (sb->walked)
			continue;
		r = walk_covered(ms, sb);
		if (r < 0)
			return r;
		if (sb->walked)
			continue;
		ms->gaps.hidden_sbs++;
		ms->gaps.timed_out_sbs += sb->timed_out;
	}
	if (pd_procfs_is_captured(ms->pfs)) {
		r = walk_capture(ms);
		if (r < 0)
			return r;
	}
	r = pd_procfs_error(ms->pfs);
	if (r < 0)
		return r;
	finish(ms);
	return 0;
}

/* --- selection ----------------------------------------------------------- */


static bool obj_passes(const struct pd_memobj *o,
		       const struct pd_memfilter *flt)
{
	uint64_t amount = o->has_alloc ? o->alloc : o->size;

	if (flt->kinds && !(flt->kinds & (1u << o->kind)))
		return false;
	if (flt->orphans &&
	    !(o->flags & (PD_MEMF_ORPHAN | PD_MEMF_ORPHAN_UNSURE)))
		return false;
	if (flt->has_min) {
		if ((o->has_alloc || o->sized) && amount < flt->min_size)
			return false;
	} else if (o->kind == PD_MEM_TMPFS && !flt->kinds_given &&
		   !o->nholders && amount < PD_MEM_SMALL_TMPFS) {
		return false;
	}
	return true;
}

/* pd_holders_match() finds the identity at the start of each record */
_Static_assert(offsetof(struct pd_memproc, proc) == 0, "proc first");

int pd_memscan_select(struct pd_memscan *ms, const struct pd_memfilter *flt)
{
	bool procflt = !pd_procfilter_is_empty(&flt->procs);
	bool *pmatch;
	size_t i, j;
	int r;

	r = pd_holders_match(ms->hs, &flt->procs, ms->procs, ms->nprocs,
			     sizeof(*ms->procs), &pmatch, &ms->partial);
	if (r < 0)
		return r;
	for (i = 0; i < ms->nprocs; i++) {
		struct pd_memproc *p = &ms->procs[i];

		p->objects = p->fds = 0;
		p->alloc = p->pss = p->swap = 0;
		p->selected = false;
	}
	for (i = 0; i < ms->nobjs; i++) {
		struct pd_memobj *o = &ms->objs[i];
		bool any = !procflt;

		o->selected = false;
		if (!obj_passes(o, flt))
			continue;
		for (j = 0; j < o->nholders && !any; j++)
			any = pmatch[o->holders[j].proc];
		if (!any)
			continue;
		o->selected = true;
		for (j = 0; j < o->nholders; j++) {
			struct pd_memproc *p = &ms->procs[o->holders[j].proc];

			if (!pmatch[o->holders[j].proc])
				continue;
			p->selected = true;
			p->objects++;
			p->fds += o->holders[j].nfds;
			p->alloc += o->alloc;
			p->pss += o->holder_pss[j];
			p->swap += o->holder_swap[j];
		}
	}
	free(pmatch);
	return 0;
}

void pd_memscan_summary(const struct pd_memscan *ms,
			struct pd_memsummary *ret_sum)
{
	struct pd_memsummary s = { 0 };
	struct pd_meminfo *mi = NULL;
	uint64_t swap_total = 0, swap_free = 0;
	bool has_swap = false;
	size_t i;

	if (pd_meminfo_read(ms->pfs, &mi) == 0) {
		s.has_shmem = pd_meminfo_get(mi, "Shmem", &s.shmem) == 0;
		s.has_mlocked = pd_meminfo_get(mi, "Mlocked", &s.mlocked) == 0;
		s.has_hugetlb_total = pd_meminfo_get(mi, "Hugetlb",
						     &s.hugetlb_total) == 0;
		has_swap = pd_meminfo_get(mi, "SwapTotal", &swap_total) == 0 &&
			   pd_meminfo_get(mi, "SwapFree", &swap_free) == 0;
		pd_meminfo_free(mi);
	}
	for (i = 0; i < ms->nsbs; i++) {
		const struct pd_memsb *sb = &ms->sbs[i];

		s.tmpfs_sbs++;
		if (sb->has_used) {
			s.tmpfs += sb->used;
		} else {
			/* no count kept (no size limit), or out of reach:
			 * what the walk found stands in */
			s.tmpfs_unknown++;
			s.tmpfs += sb->files_alloc;
		}
	}
	for (i = 0; i < ms->nobjs; i++) {
		const struct pd_memobj *o = &ms->objs[i];
		const struct pd_memsb *sb;

		if (!o->has_alloc && o->kind != PD_MEM_SECRETMEM)
			s.unsized++;
		switch (o->kind) {
		case PD_MEM_DELETED_TMPFS:
			s.deleted_tmpfs += o->alloc;
			/* in its superblock's count, not in the walk */
			sb = sb_find(ms, o->dev);
			if (sb && !sb->has_used)
				s.tmpfs += o->alloc;
			break;
		case PD_MEM_MEMFD:
			s.memfd += o->alloc;
			break;
		case PD_MEM_SYSV:
			if (o->has_sysv) {
				s.sysv_rss += o->sysv.rss;
				s.sysv_swap += o->sysv.swap;
			} else {
				/* another IPC namespace: its file's pages */
				s.sysv_rss += o->alloc;
			}
			break;
		case PD_MEM_SHARED_ANON:
			s.shared_anon += o->alloc;
			break;
		case PD_MEM_HUGETLB:
			s.hugetlb += o->alloc;
			break;
		case PD_MEM_SECRETMEM:
			s.secretmem += o->rss;
			break;
		case PD_MEM_DMABUF:
			s.dmabuf += o->size;
			break;
		default:
			break;
		}
	}
	s.explained = s.tmpfs + s.memfd + s.sysv_rss + s.shared_anon;
	s.remainder = (int64_t)s.shmem - (int64_t)s.explained;
	for (i = 0; i < ms->nsbs; i++)
		s.unreached += !ms->sbs[i].has_used && !ms->sbs[i].walked;
	if (s.unreached && s.has_shmem && has_swap) {
		/* every page of theirs is in Shmem and not explained, or
		 * swapped out */
		s.has_unreached_bound = true;
		s.unreached_bound = (s.remainder > 0 ? (uint64_t)s.remainder :
				     0) + (swap_total > swap_free ?
					   swap_total - swap_free : 0);
	}
	*ret_sum = s;
}

size_t pd_memscan_nobjs(const struct pd_memscan *ms)
{
	return ms->nobjs;
}

const struct pd_memobj *pd_memscan_obj(const struct pd_memscan *ms, size_t i)
{
	return i < ms->nobjs ? &ms->objs[i] : NULL;
}

size_t pd_memscan_nprocs(const struct pd_memscan *ms)
{
	return ms->nprocs;
}

const struct pd_memproc *pd_memscan_proc(const struct pd_memscan *ms,
					 size_t i)
{
	return i < ms->nprocs ? &ms->procs[i] : NULL;
}

size_t pd_memscan_nsbs(const struct pd_memscan *ms)
{
	return ms->nsbs;
}

const struct pd_memsb *pd_memscan_sb(const struct pd_memscan *ms, size_t i)
{
	return i < ms->nsbs ? &ms->sbs[i] : NULL;
}

const struct pd_partial *pd_memscan_partial(const struct pd_memscan *ms)
{
	return &ms->partial;
}

const struct pd_scanstats *pd_memscan_stats(const struct pd_memscan *ms)
{
	return pd_holders_stats(ms->hs);
}

const struct pd_memscan_gaps *pd_memscan_gaps(const struct pd_memscan *ms)
{
	return &ms->gaps;
}

static void join_words(unsigned bits, const char *const *names, size_t n,
		       char *buf, size_t bufsz)
{
	size_t used = 0, i;

	if (!bufsz)
		return;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l;

		if (!(bits & (1u << i)) || !names[i])
			continue;
		l = strlen(names[i]);
		if (used + (used ? 1 : 0) + l + 1 > bufsz)
			break;
		if (used)
			buf[used++] = ',';
		memcpy(buf + used, names[i], l + 1);
		used += l;
	}
}

void pd_memseals_format(unsigned seals, char *buf, size_t bufsz)
{
	/* F_SEAL_SEAL 1, SHRINK 2, GROW 4, WRITE 8, FUTURE_WRITE 16,
	 * EXEC 32 (include/uapi/linux/fcntl.h) */
	static const char *const names[] = {
		"seal", "shrink", "grow", "write", "future-write", "exec",
	};

	join_words(seals, names, sizeof(names) / sizeof(names[0]), buf, bufsz);
}

void pd_memflags_format(unsigned flags, char *buf, size_t bufsz)
{
	static const char *const names[] = {
		"exec", "fileless", "many-fds", "orphan", "dest", "locked",
		"orphan?", "covered",
	};

	join_words(flags, names, sizeof(names) / sizeof(names[0]), buf, bufsz);
}
