/* SPDX-License-Identifier: GPL-2.0-or-later */
/* walk: the du -x walker: one file system, directory-relative, hard links
 * once, N threads over a shared work queue. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DENTS_BUF (64u << 10)

/*
 * A directory to read. Its fd stays open while children that still have to
 * open themselves relative to it hold a reference; the parent chain gives
 * the path of an unreadable directory.
 */
struct dnode {
	struct dnode *parent;
	_Atomic int refs;
	int fd;			/* -1 until opened */
	bool own_fd;		/* the caller's root fd is not ours to close */
	const struct skipnode *skip;	/* mount points below it, or NULL */
	char name[];
};

/* The mount points of a run as a tree of path components; the children
 * of a node are sorted by name (strcmp). */
struct skipnode {
	const char *name;	/* into the run's skip path */
	size_t len;
	bool mount;		/* a mount point: not stat'ed, not entered */
	struct skipnode **kids;
	size_t nkids, capkids;
};

/* A directory kept among the top_dirs by entries (a min-heap). */
struct topdir {
	char *path;
	uint64_t entries;
};

struct inoset {
	uint64_t *keys;		/* dev and ino mixed; 0 marks an empty slot */
	uint64_t *inos;
	uint64_t *devs;
	size_t cap, n;
};

struct pd_walk {
	struct pd_walk_opts opts;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* The queue of one run (LIFO: depth first keeps few fds open). */
	struct dnode **stack;
	size_t nstack, capstack;
	unsigned busy;
	int err;		/* first fatal error of the run (negative) */
	dev_t dev;
	struct pd_walk_totals tot;
	/* The next run's mount points (pd_walk_skip), and their tree. */
	char **skips;
	size_t nskips, capskips;
	struct skipnode *skiproot;
	/* Across runs. */
	pthread_mutex_t setlock;
	struct inoset set;
	char **paths;
	size_t npaths;
	struct topdir *top;	/* min-heap by entries, then sorted */
	size_t ntop;
	bool top_sorted;
	struct pd_fiemap *fm;	/* the runs' merged extents */
	uint64_t unmapped, inline_alloc;
};

unsigned pd_walk_jobs_for(bool rotational, unsigned nr_requests,
			  unsigned ncpu)
{
	/* a quarter of the queue for a device without seeks, a sixteenth
	 * (its NCQ depth, about) for one with */
	unsigned j = rotational ? nr_requests / 16 : nr_requests / 4;
	unsigned cap = rotational ? 16 : PD_WALK_MAX_JOBS;

	if (!ncpu)
		ncpu = 1;
	if (j > cap)
		j = cap;
	if (j < ncpu)
		j = ncpu;
	return j > PD_WALK_MAX_JOBS ? PD_WALK_MAX_JOBS : j;
}

int pd_walk_new(const struct pd_walk_opts *opts, struct pd_walk **ret_w)
{
	struct pd_walk *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->opts = *opts;
	if (w->opts.jobs == 0)
		w->opts.jobs = 1;
	if (w->opts.top_dirs) {
		w->top = calloc(w->opts.top_dirs, sizeof(*w->top));
		if (!w->top) {
			free(w);
			return -ENOMEM;
		}
	}
	if (w->opts.fiemap && pd_fiemap_new(&w->fm) < 0) {
		free(w->top);
		free(w);
		return -ENOMEM;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	pthread_mutex_init(&w->setlock, NULL);
	*ret_w = w;
	return 0;
}

static void skip_free(struct skipnode *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nkids; i++)
		skip_free(k->kids[i]);
	free(k->kids);
	free(k);
}

/* Forget the skip paths and their tree. */
static void skips_clear(struct pd_walk *w)
{
	size_t i;

	skip_free(w->skiproot);
	w->skiproot = NULL;
	for (i = 0; i < w->nskips; i++)
		free(w->skips[i]);
	w->nskips = 0;
}

/* Copy the relative path SRC (not empty, no leading '/') to DST with one
 * '/' between components and none at the end. */
static void squeeze(char *dst, const char *src)
{
	char *q = dst;

	for (; *src; src++)
		if (*src != '/' || q[-1] != '/')
			*q++ = *src;
	while (q[-1] == '/')
		q--;
	*q = '\0';
}

int pd_walk_skip(struct pd_walk *w, const char *rel)
{
	char *p;

	while (*rel == '/')
		rel++;
	if (!*rel)
		return 0;	/* the root is walked, not skipped */
	if (w->nskips == w->capskips) {
		size_t cap = w->capskips ? w->capskips * 2 : 16;
		char **nv = realloc(w->skips, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		w->skips = nv;
		w->capskips = cap;
	}
	p = malloc(strlen(rel) + 1);
	if (!p)
		return -ENOMEM;
	squeeze(p, rel);
	w->skips[w->nskips++] = p;
	return 0;
}

/* Paths in an order where '/' sorts before every other byte: a path is
 * followed by everything below it, and each node's children come out in
 * strcmp order of their names. */
static int cmp_path(const void *a, const void *b)
{
	const unsigned char *x = *(const unsigned char *const *)a;
	const unsigned char *y = *(const unsigned char *const *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	if (*x == *y)
		return 0;
	if (!*x || !*y)
		return *x ? 1 : -1;
	if (*x == '/' || *y == '/')
		return *x == '/' ? -1 : 1;
	return *x < *y ? -1 : 1;
}

static struct skipnode *skip_kid(struct skipnode *k, const char *name,
				 size_t len)
{
	struct skipnode *c;

	/* sorted input: a kid of this name, if any, is the last one */
	if (k->nkids) {
		c = k->kids[k->nkids - 1];
		if (c->len == len && !memcmp(c->name, name, len))
			return c;
	}
	if (k->nkids == k->capkids) {
		size_t cap = k->capkids ? k->capkids * 2 : 4;
		struct skipnode **nv = realloc(k->kids, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		k->kids = nv;
		k->capkids = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->name = name;
	c->len = len;
	k->kids[k->nkids++] = c;
	return c;
}

/* Build the tree of the skip paths: linear after one sort. */
static int skips_build(struct pd_walk *w)
{
	size_t i;

	if (!w->nskips)
		return 0;
	qsort(w->skips, w->nskips, sizeof(*w->skips), cmp_path);
	w->skiproot = calloc(1, sizeof(*w->skiproot));
	if (!w->skiproot)
		return -ENOMEM;
	for (i = 0; i < w->nskips; i++) {
		struct skipnode *k = w->skiproot;
		const char *p = w->skips[i];

		while (*p) {
			size_t len = strcspn(p, "/");

			if (len) {
				k = skip_kid(k, p, len);
				if (!k)
					return -ENOMEM;
			}
			p += len;
			while (*p == '/')
				p++;
		}
		k->mount = true;
	}
	return 0;
}

/* The child NAME of skip node K, or NULL. */
static const struct skipnode *skip_find(const struct skipnode *k,
					const char *name)
{
	size_t lo = 0, hi = k->nkids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct skipnode *c = k->kids[mid];
		int d = strncmp(name, c->name, c->len);

		if (d == 0 && name[c->len])
			d = 1;
		if (d == 0)
			return c;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void pd_walk_free(struct pd_walk *w)
{
	size_t i;

	if (!w)
		return;
	skips_clear(w);
	free(w->skips);
	for (i = 0; i < w->npaths; i++)
		free(w->paths[i]);
	free(w->paths);
	for (i = 0; i < w->ntop; i++)
		free(w->top[i].path);
	free(w->top);
	pd_fiemap_free(w->fm);
	free(w->set.keys);
	free(w->set.inos);
	free(w->set.devs);
	free(w->stack);
	pthread_mutex_destroy(&w->setlock);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

size_t pd_walk_nunreadable(const struct pd_walk *w)
{
	return w->npaths;
}

const char *pd_walk_unreadable(const struct pd_walk *w, size_t i)
{
	return i < w->npaths ? w->paths[i] : NULL;
}

static int cmp_top(const void *a, const void *b)
{
	const struct topdir *x = a, *y = b;

	if (x->entries != y->entries)
		return x->entries > y->entries ? -1 : 1;
	return strcmp(x->path, y->path);
}

size_t pd_walk_ntop(const struct pd_walk *w)
{
	return w->ntop;
}

int pd_walk_top(struct pd_walk *w, size_t i, struct pd_walk_dir *ret)
{
	if (i >= w->ntop)
		return -ENOENT;
	/* the heap is sorted when first read (no run is going on) */
	if (!w->top_sorted) {
		qsort(w->top, w->ntop, sizeof(*w->top), cmp_top);
		w->top_sorted = true;
	}
	ret->path = w->top[i].path;
	ret->entries = w->top[i].entries;
	return 0;
}

int pd_walk_fiemap(struct pd_walk *w, struct pd_walk_extents *ret)
{
	if (!w->fm)
		return -EINVAL;
	ret->unmapped = w->unmapped;
	ret->inline_alloc = w->inline_alloc;
	return pd_fiemap_finish(w->fm, &ret->sum);
}

static uint64_t mix(uint64_t dev, uint64_t ino)
{
	uint64_t h = ino * 0x9e3779b97f4a7c15ull ^ (dev + 0x632be59bd9b4e019ull);

	h ^= h >> 29;
	return h ? h : 1;
}

/* Insert (DEV, INO): 1 when new, 0 when already there, -ENOMEM. */
static int set_insert(struct inoset *s, uint64_t dev, uint64_t ino)
{
	uint64_t h = mix(dev, ino);
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct inoset ns = { 0 };
		size_t j;

		ns.cap = s->cap ? s->cap * 2 : 1024;
		ns.keys = calloc(ns.cap, sizeof(*ns.keys));
		ns.inos = malloc(ns.cap * sizeof(*ns.inos));
		ns.devs = malloc(ns.cap * sizeof(*ns.devs));
		if (!ns.keys || !ns.inos || !ns.devs) {
			free(ns.keys);
			free(ns.inos);
			free(ns.devs);
			return -ENOMEM;
		}
		for (j = 0; j < s->cap; j++) {
			if (!s->keys[j])
				continue;
			i = s->keys[j] & (ns.cap - 1);
			while (ns.keys[i])
				i = (i + 1) & (ns.cap - 1);
			ns.keys[i] = s->keys[j];
			ns.inos[i] = s->inos[j];
			ns.devs[i] = s->devs[j];
		}
		ns.n = s->n;
		free(s->keys);
		free(s->inos);
		free(s->devs);
		*s = ns;
	}
	i = h & (s->cap - 1);
	while (s->keys[i]) {
		if (s->keys[i] == h && s->inos[i] == ino && s->devs[i] == dev)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->keys[i] = h;
	s->inos[i] = ino;
	s->devs[i] = dev;
	s->n++;
	return 1;
}

static void node_put(struct dnode *n)
{
	while (n && atomic_fetch_sub(&n->refs, 1) == 1) {
		struct dnode *p = n->parent;

		if (n->fd >= 0 && n->own_fd)
			close(n->fd);
		free(n);
		n = p;
	}
}

static struct dnode *node_new(struct dnode *parent, const char *name)
{
	size_t len = strlen(name);
	struct dnode *n = malloc(sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	n->parent = parent;
	atomic_init(&n->refs, 1);
	n->fd = -1;
	n->own_fd = true;
	n->skip = NULL;
	memcpy(n->name, name, len + 1);
	if (parent)
		atomic_fetch_add(&parent->refs, 1);
	return n;
}

/* The path of directory N under PREFIX (malloc'ed), or NULL. */
static char *node_path(const struct dnode *n, const char *prefix)
{
	const struct dnode *p;
	size_t len = strlen(prefix), pos;
	char *path;

	for (p = n; p->parent; p = p->parent)
		len += 1 + strlen(p->name);
	path = malloc(len + 1);
	if (!path)
		return NULL;
	path[len] = '\0';
	pos = len;
	for (p = n; p->parent; p = p->parent) {
		size_t l = strlen(p->name);

		pos -= l;
		memcpy(path + pos, p->name, l);
		path[--pos] = '/';
	}
	memcpy(path, prefix, pos);
	return path;
}

static bool top_less(const struct topdir *a, const struct topdir *b)
{
	return a->entries < b->entries;
}

static void top_down(struct topdir *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct topdir t;

		if (l < n && top_less(&h[l], &h[m]))
			m = l;
		if (l + 1 < n && top_less(&h[l + 1], &h[m]))
			m = l + 1;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* Keep directory N of ENTRIES names if it is among the top_dirs. */
static void note_top(struct pd_walk *w, const struct dnode *n,
		     const char *prefix, uint64_t entries)
{
	size_t cap = w->opts.top_dirs;
	char *path;

	pthread_mutex_lock(&w->setlock);
	if (w->ntop == cap && entries <= w->top[0].entries)
		goto out_unlock;
	path = node_path(n, prefix);
	if (!path)
		goto out_unlock;	/* a hint, not a count: no error */
	if (w->ntop < cap) {
		size_t i = w->ntop++;

		w->top[i] = (struct topdir){ path, entries };
		/* sift up */
		while (i && top_less(&w->top[i], &w->top[(i - 1) / 2])) {
			struct topdir t = w->top[i];

			w->top[i] = w->top[(i - 1) / 2];
			w->top[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else {
		free(w->top[0].path);
		w->top[0] = (struct topdir){ path, entries };
		top_down(w->top, w->ntop, 0);
	}
out_unlock:
	pthread_mutex_unlock(&w->setlock);
}

/* Keep the path of the unreadable directory N, if there is room. */
static void note_unreadable(struct pd_walk *w, const struct dnode *n,
			    const char *prefix)
{
	char *path;

	pthread_mutex_lock(&w->setlock);
	if (w->npaths >= w->opts.max_paths)
		goto out_unlock;
	path = node_path(n, prefix);
	if (!path)
		goto out_unlock;
	if (w->npaths % 16 == 0) {
		char **nv = realloc(w->paths, (w->npaths + 16) * sizeof(*nv));

		if (!nv) {
			free(path);
			goto out_unlock;
		}
		w->paths = nv;
	}
	w->paths[w->npaths++] = path;
out_unlock:
	pthread_mutex_unlock(&w->setlock);
}

/* A directory entry waiting for its stat: inode and name offset. */
struct ent {
	uint64_t ino;
	size_t off;
};

struct worker {
	struct pd_walk *w;
	const char *prefix;
	char *buf;
	struct ent *ents;	/* the directory being read */
	size_t nents, capents;
	char *pool;		/* their names */
	size_t npool, cappool;
	struct pd_walk_totals tot;
	struct dnode **kids;
	size_t nkids, capkids;
	struct pd_fiemap *fm;	/* with the fiemap option */
	uint64_t unmapped, inline_alloc;
	int err;
};

static bool is_resource_error(int e);

static int push_kids(struct worker *wk)
{
	struct pd_walk *w = wk->w;
	int r = 0;

	if (!wk->nkids)
		return 0;
	pthread_mutex_lock(&w->lock);
	if (w->nstack + wk->nkids > w->capstack) {
		size_t cap = (w->nstack + wk->nkids) * 2;
		struct dnode **nv = realloc(w->stack, cap * sizeof(*nv));

		if (!nv) {
			r = -ENOMEM;
			goto out_unlock;
		}
		w->stack = nv;
		w->capstack = cap;
	}
	memcpy(w->stack + w->nstack, wk->kids, wk->nkids * sizeof(*wk->kids));
	w->nstack += wk->nkids;
	wk->nkids = 0;
	pthread_cond_broadcast(&w->cond);
out_unlock:
	pthread_mutex_unlock(&w->lock);
	return r;
}

/* Count ST: 1 when it is a directory to descend into, 2 a file counted,
 * 0 not counted (another device, a hard link seen), or <0. */
static int count(struct worker *wk, const struct stat *st)
{
	struct pd_walk *w = wk->w;
	int r;

	if (st->st_dev != w->dev) {
		wk->tot.other_dev++;
		return 0;
	}
	if (!S_ISDIR(st->st_mode) && st->st_nlink > 1) {
		pthread_mutex_lock(&w->setlock);
		r = set_insert(&w->set, st->st_dev, st->st_ino);
		pthread_mutex_unlock(&w->setlock);
		if (r <= 0)
			return r;
	}
	wk->tot.alloc += (uint64_t)st->st_blocks * 512;
	wk->tot.size += (uint64_t)st->st_size;
	wk->tot.inodes++;
	if (!S_ISDIR(st->st_mode))
		return 2;
	wk->tot.dirs++;
	wk->tot.dir_alloc += (uint64_t)st->st_blocks * 512;
	return 1;
}

/* Map the extents of regular file NAME (ST) in DIRFD into the worker's
 * accumulator. Only the walker's own trouble is an error. */
static int map_file(struct worker *wk, int dirfd, const char *name,
		    const struct stat *st)
{
	struct pd_fiemap_sum before, after;
	int fd, r;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY |
		    O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (is_resource_error(errno))
			return -errno;
		wk->unmapped++;
		return 0;
	}
	pd_fiemap_peek(wk->fm, &before);
	r = pd_fiemap_add_fd(wk->fm, fd);
	close(fd);
	if (r == -ENOMEM || r == -E2BIG)
		return r;
	if (r < 0) {
		wk->unmapped++;
		return 0;
	}
	pd_fiemap_peek(wk->fm, &after);
	if (after.inline_data > before.inline_data)
		wk->inline_alloc += (uint64_t)st->st_blocks * 512;
	return 0;
}

/* Append name NAME (inode INO) to the worker's list of this directory. */
static int add_ent(struct worker *wk, uint64_t ino, const char *name)
{
	size_t len = strlen(name) + 1;

	if (wk->nents == wk->capents) {
		size_t cap = wk->capents ? wk->capents * 2 : 256;
		struct ent *nv = realloc(wk->ents, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		wk->ents = nv;
		wk->capents = cap;
	}
	if (wk->npool + len > wk->cappool) {
		size_t cap = (wk->npool + len) * 2;
		char *nv = realloc(wk->pool, cap);

		if (!nv)
			return -ENOMEM;
		wk->pool = nv;
		wk->cappool = cap;
	}
	memcpy(wk->pool + wk->npool, name, len);
	wk->ents[wk->nents].ino = ino;
	wk->ents[wk->nents].off = wk->npool;
	wk->nents++;
	wk->npool += len;
	return 0;
}

static int cmp_ino(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Running out of descriptors or kernel memory is the walker's own
 * trouble, not a property of the directory: it fails the run. */
static bool is_resource_error(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOMEM;
}

/* Read all of directory N, then stat its entries in inode order: on a
 * cold cache that reads the inode table in one sweep instead of hash
 * order (as fts does for large directories). Mount points below it that
 * the run was given are neither stat'ed nor entered. */
static void process(struct worker *wk, struct dnode *n)
{
	struct pd_walk *w = wk->w;
	uint64_t inodes0 = wk->tot.inodes, alloc0 = wk->tot.alloc;
	bool unreadable = false;
	size_t i;
	long got;
	int r;

	if (n->fd < 0) {
		n->fd = openat(n->parent->fd, n->name,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (n->fd < 0) {
			if (errno == ENOENT)
				return;		/* gone since its stat */
			if (is_resource_error(errno)) {
				wk->err = -errno;
				return;
			}
			unreadable = true;
			goto out_progress;
		}
	}
	wk->nents = wk->npool = 0;
	for (;;) {
		long off = 0;

		got = syscall(SYS_getdents64, n->fd, wk->buf, DENTS_BUF);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && is_resource_error(errno)) {
			wk->err = -errno;
			return;
		}
		if (got < 0) {
			/* what was listed still counts, as du does */
			unreadable = true;
			break;
		}
		if (got == 0)
			break;
		while (off < got) {
			struct dirent64 *d = (struct dirent64 *)(wk->buf + off);

			off += d->d_reclen;
			if (d->d_name[0] == '.' && (!d->d_name[1] ||
			    (d->d_name[1] == '.' && !d->d_name[2])))
				continue;
			r = add_ent(wk, d->d_ino, d->d_name);
			if (r < 0) {
				wk->err = r;
				return;
			}
		}
	}
	if (w->opts.top_dirs && wk->nents && !unreadable)
		note_top(w, n, wk->prefix, wk->nents);
	if (wk->nents > 1)
		qsort(wk->ents, wk->nents, sizeof(*wk->ents), cmp_ino);
	for (i = 0; i < wk->nents; i++) {
		const char *name = wk->pool + wk->ents[i].off;
		const struct skipnode *sk = NULL;
		struct stat st;

		if (n->skip) {
			sk = skip_find(n->skip, name);
			if (sk && sk->mount) {
				/* as du -x: another device, skipped whole */
				wk->tot.other_dev++;
				continue;
			}
		}
		if (fstatat(n->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (is_resource_error(errno)) {
				wk->err = -errno;
				return;
			}
			continue;	/* gone, or not ours to see */
		}
		r = count(wk, &st);
		if (r == 2 && wk->fm && S_ISREG(st.st_mode) && st.st_blocks) {
			int e = map_file(wk, n->fd, name, &st);

			if (e < 0)
				r = e;
		}
		if (r < 0) {
			wk->err = r;
			return;
		}
		if (r != 1)
			continue;
		if (wk->nkids == wk->capkids) {
			size_t cap = wk->capkids ? wk->capkids * 2 : 64;
			struct dnode **nv = realloc(wk->kids, cap * sizeof(*nv));

			if (!nv) {
				wk->err = -ENOMEM;
				return;
			}
			wk->kids = nv;
			wk->capkids = cap;
		}
		wk->kids[wk->nkids] = node_new(n, name);
		if (!wk->kids[wk->nkids]) {
			wk->err = -ENOMEM;
			return;
		}
		wk->kids[wk->nkids]->skip = sk;
		wk->nkids++;
		if (wk->nkids >= 256) {
			r = push_kids(wk);
			if (r < 0) {
				wk->err = r;
				return;
			}
		}
	}

out_progress:
	if (unreadable) {
		wk->tot.unreadable++;
		note_unreadable(w, n, wk->prefix);
	}
	if (w->opts.progress) {
		atomic_fetch_add_explicit(&w->opts.progress->inodes,
					  wk->tot.inodes - inodes0,
					  memory_order_relaxed);
		atomic_fetch_add_explicit(&w->opts.progress->alloc,
					  wk->tot.alloc - alloc0,
					  memory_order_relaxed);
	}
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct pd_walk *w = wk->w;
	struct dnode *n;
	int r;

	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->nstack && w->busy && !w->err)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->nstack || w->err) {
			pthread_cond_broadcast(&w->cond);
			pthread_mutex_unlock(&w->lock);
			break;
		}
		n = w->stack[--w->nstack];
		w->busy++;
		pthread_mutex_unlock(&w->lock);

		process(wk, n);
		r = wk->err ? wk->err : push_kids(wk);
		node_put(n);

		pthread_mutex_lock(&w->lock);
		if (r < 0 && !w->err)
			w->err = r;
		w->busy--;
		if (!w->busy && !w->nstack)
			pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	/* A failed run leaves queued nodes: drop them with their refs. */
	for (size_t i = 0; i < wk->nkids; i++)
		node_put(wk->kids[i]);
	wk->nkids = 0;
	return NULL;
}

static void add_totals(struct pd_walk_totals *a, const struct pd_walk_totals *b)
{
	a->alloc += b->alloc;
	a->size += b->size;
	a->inodes += b->inodes;
	a->dirs += b->dirs;
	a->dir_alloc += b->dir_alloc;
	a->unreadable += b->unreadable;
	a->other_dev += b->other_dev;
}

int pd_walk_run(struct pd_walk *w, int dirfd, const char *prefix,
		struct pd_walk_totals *ret_tot)
{
	unsigned njobs = w->opts.jobs, started = 0, i;
	struct worker *wks = NULL;
	pthread_t *th = NULL;
	struct dnode *root = NULL;
	struct stat st;
	int r;

	if (fstat(dirfd, &st) < 0) {
		r = -errno;
		goto out_free;
	}
	if (!S_ISDIR(st.st_mode)) {
		r = -ENOTDIR;
		goto out_free;
	}
	memset(&w->tot, 0, sizeof(w->tot));
	if (w->top_sorted) {
		/* read between runs: a heap again */
		for (i = w->ntop / 2; i-- > 0;)
			top_down(w->top, w->ntop, i);
		w->top_sorted = false;
	}
	w->err = 0;
	w->busy = 0;
	w->dev = st.st_dev;
	wks = calloc(njobs, sizeof(*wks));
	th = calloc(njobs, sizeof(*th));
	root = node_new(NULL, "");
	if (!wks || !th || !root) {
		r = -ENOMEM;
		goto out_free;
	}
	root->fd = dirfd;
	root->own_fd = false;
	r = skips_build(w);
	if (r < 0)
		goto out_free;
	root->skip = w->skiproot;
	for (i = 0; i < njobs; i++) {
		wks[i].w = w;
		wks[i].prefix = prefix;
		wks[i].buf = malloc(DENTS_BUF);
		if (!wks[i].buf || (w->fm && pd_fiemap_new(&wks[i].fm) < 0)) {
			r = -ENOMEM;
			goto out_free;
		}
	}
	/* The root counts like any directory (du prints it last). */
	r = count(&wks[0], &st);
	if (r < 0)
		goto out_free;
	w->stack = malloc(64 * sizeof(*w->stack));
	if (!w->stack) {
		r = -ENOMEM;
		goto out_free;
	}
	w->capstack = 64;
	w->stack[0] = root;
	w->nstack = 1;
	root = NULL;
	for (i = 1; i < njobs; i++) {
		if (pthread_create(&th[i], NULL, worker_main, &wks[i]) != 0)
			break;
		started++;
	}
	worker_main(&wks[0]);
	for (i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	while (w->nstack)
		node_put(w->stack[--w->nstack]);
	r = w->err;
	for (i = 0; r == 0 && w->fm && i < njobs; i++) {
		r = pd_fiemap_merge(w->fm, wks[i].fm);
		w->unmapped += wks[i].unmapped;
		w->inline_alloc += wks[i].inline_alloc;
	}
	if (r == 0) {
		struct pd_walk_totals tot = { 0 };

		for (i = 0; i < njobs; i++)
			add_totals(&tot, &wks[i].tot);
		*ret_tot = tot;
	}

out_free:
	node_put(root);
	if (wks)
		for (i = 0; i < njobs; i++) {
			free(wks[i].buf);
			free(wks[i].kids);
			free(wks[i].ents);
			free(wks[i].pool);
			pd_fiemap_free(wks[i].fm);
		}
	free(wks);
	free(th);
	free(w->stack);
	w->stack = NULL;
	w->nstack = w->capstack = 0;
	skips_clear(w);
	return r;
}
