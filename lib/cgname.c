/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgname: names people know for a cgroup: unit, container, pod. */
#include "cgname.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ctrmeta.h"

/* Bounds of what is read: a config of one container, a list of many. */
#define CONFIG_LIMIT (4u << 20)
#define LIST_LIMIT (64u << 20)
#define PASSWD_LIMIT (16u << 20)

/* containers/storage keeps one list per graph driver. */
static const char *const storage_drivers[] = { "overlay", "vfs", "btrfs",
					       "zfs" };
/* podman run --rm keeps its containers in the volatile list */
static const char *const storage_lists[] = { "containers.json",
					     "volatile-containers.json" };
/* containerd's task bundles (config.json), also under k3s */
static const char *const task_roots[] = {
	"run/containerd/io.containerd.runtime.v2.task",
	"run/k3s/containerd/io.containerd.runtime.v2.task",
};

/* A string-keyed hash map (open addressing); keys are copied. */
struct strmap_slot {
	char *key;
	void *val;
};

struct strmap {
	struct strmap_slot *v;
	size_t n, cap;		/* cap: 0 or a power of two, at most half full */
};

static size_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* The value slot of KEY, or NULL when absent. */
static void **strmap_get(const struct strmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = str_hash(key) & (m->cap - 1); m->v[i].key;
	     i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->v[i].key, key))
			return &m->v[i].val;
	return NULL;
}

static void strmap_insert(struct strmap_slot *v, size_t cap, char *key,
			  void *val)
{
	size_t i;

	for (i = str_hash(key) & (cap - 1); v[i].key; i = (i + 1) & (cap - 1))
		;
	v[i].key = key;
	v[i].val = val;
}

/* Add KEY (absent) with VAL. Returns 0 or -ENOMEM (VAL not taken). */
static int strmap_put(struct strmap *m, const char *key, void *val)
{
	char *k;

	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16, i;
		struct strmap_slot *v = calloc(cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (i = 0; i < m->cap; i++)
			if (m->v[i].key)
				strmap_insert(v, cap, m->v[i].key,
					      m->v[i].val);
		free(m->v);
		m->v = v;
		m->cap = cap;
	}
	k = strdup(key);
	if (!k)
		return -ENOMEM;
	strmap_insert(m->v, m->cap, k, val);
	m->n++;
	return 0;
}

static void strmap_clear(struct strmap *m, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->v[i].key) {
			free(m->v[i].key);
			if (free_val)
				free_val(m->v[i].val);
		}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* What one container's runtime files said. */
struct ctr {
	enum pd_runtime rt;
	struct pd_ctrmeta m;
};

/* One worked-out path: owns every string RES points to. */
struct entry {
	struct pd_cgpath cp;
	struct pd_ctrmeta m;
	char short_id[13];
	struct pd_cgname res;
};

/* The entries of one directory (containerd's namespaces). */
struct dirlist {
	char **v;
	size_t n;
};

struct pd_cgname_ctx {
	int rootfd;
	unsigned flags;
	bool live;		/* ROOT is this system's "/" */
	struct strmap paths;	/* cgroup path -> struct entry */
	struct strmap ctrs;	/* "[uid/]id" -> struct ctr */
	struct strmap storages;	/* "[uid/]dir" -> struct strmap id -> name */
	struct strmap homes;	/* "uid" -> home directory, or NULL */
	struct strmap dirs;	/* task root -> struct dirlist */
	struct strmap pods;	/* pod uid -> struct pd_ctrmeta */
	struct strmap ctrlogs;	/* container id -> struct pd_ctrmeta */
	bool pods_read, ctrlogs_read, passwd_read, docker_root_read;
	char *passwd;
	size_t passwd_len;
	char *docker_root;	/* relative to ROOT */
	struct pd_cgname_stats stats;
};

/* Where files are opened: under ROOT, or beneath a user's home. */
struct base {
	int fd;
	uint64_t resolve;
};

static void free_entry(void *p)
{
	struct entry *e = p;

	pd_cgpath_release(&e->cp);
	pd_ctrmeta_release(&e->m);
	free(e);
}

static void free_ctr(void *p)
{
	struct ctr *c = p;

	pd_ctrmeta_release(&c->m);
	free(c);
}

static void free_meta(void *p)
{
	pd_ctrmeta_release(p);
	free(p);
}

static void free_names(void *p)
{
	strmap_clear(p, free);
	free(p);
}

static void free_dirlist(void *p)
{
	struct dirlist *d = p;
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
	free(d);
}

/*
 * Open REL under B: symbolic links resolve inside the root (or beneath the
 * home) and never through /proc magic links; O_NONBLOCK so that a FIFO
 * planted in a user's state cannot hang us. Kernels before 5.6 (or a
 * seccomp filter) lack openat2: then a plain openat. Returns an fd or -errno.
 */
static int open_in(struct pd_cgname_ctx *ctx, const struct base *b,
		   const char *rel, int flags)
{
	struct open_how how = { 0 };
	long fd;

	ctx->stats.opens++;
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	how.resolve = b->resolve | RESOLVE_NO_MAGICLINKS;
	do
		fd = syscall(SYS_openat2, b->fd, rel, &how, sizeof(how));
	while (fd < 0 && errno == EINTR);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		do
			fd = openat(b->fd, rel, (int)how.flags);
		while (fd < 0 && errno == EINTR);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		ctx->stats.denied++;
	return fd < 0 ? -errno : (int)fd;
}

/*
 * Read the regular file REL under B whole, up to LIMIT bytes. *ret_buf is
 * malloc'ed and NUL-terminated. Returns 0, -EINVAL (not a regular file),
 * -EFBIG, or -errno.
 */
static int read_in(struct pd_cgname_ctx *ctx, const struct base *b,
		   const char *rel, size_t limit, char **ret_buf,
		   size_t *ret_len)
{
	size_t len = 0, cap;
	struct stat st;
	char *buf, *nb;
	int fd, r = 0;

	fd = open_in(ctx, b, rel, O_RDONLY);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > limit) {
		ctx->stats.bad++;
		r = S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
		goto out_close;
	}
	cap = (size_t)st.st_size + 4096;
	buf = malloc(cap);
	if (!buf) {
		r = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			if (cap > limit) {
				ctx->stats.bad++;
				r = -EFBIG;
				goto out_free;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				r = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	goto out_close;
out_free:
	free(buf);
out_close:
	close(fd);
	return r;
}

/*
 * Call FN(ARG, name) for each entry of the directory REL under B but "."
 * and "..". A directory that cannot be opened has no entries. Returns 0,
 * or what FN returned (<0 stops).
 */
static int list_in(struct pd_cgname_ctx *ctx, const struct base *b,
		   const char *rel, int (*fn)(void *arg, const char *name),
		   void *arg)
{
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	fd = open_in(ctx, b, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOMEM ? fd : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	while (!r) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		r = fn(arg, de->d_name);
	}
	closedir(d);
	return r;
}

/* *DST = a copy of S (NULL stays NULL). Returns 0 or -ENOMEM. */
static int dup_opt(char **dst, const char *s)
{
	*dst = NULL;
	if (!s)
		return 0;
	*dst = strdup(s);
	return *dst ? 0 : -ENOMEM;
}

/* Copy into *DST the fields it lacks from SRC. Returns 0 or -ENOMEM. */
static int meta_fill(struct pd_ctrmeta *dst, const struct pd_ctrmeta *src)
{
	struct pd_ctrmeta c = { 0 };
	int r;

	r = dup_opt(&c.name, src->name);
	if (!r)
		r = dup_opt(&c.pod_namespace, src->pod_namespace);
	if (!r)
		r = dup_opt(&c.pod_name, src->pod_name);
	if (!r)
		r = dup_opt(&c.pod_uid, src->pod_uid);
	if (r < 0) {
		pd_ctrmeta_release(&c);
		return r;
	}
	c.role = src->role;
	return pd_ctrmeta_merge(dst, &c);
}

/*
 * Parse the runtime file REL under B with PARSE into *M's gaps. Returns 1
 * (read and parsed), 0 (absent or unusable), -ENOMEM.
 */
static int meta_from_file(struct pd_cgname_ctx *ctx, const struct base *b,
			  const char *rel,
			  int (*parse)(const char *, size_t,
				       struct pd_ctrmeta *),
			  struct pd_ctrmeta *m)
{
	struct pd_ctrmeta got = { 0 };
	size_t len;
	char *buf;
	int r;

	r = read_in(ctx, b, rel, CONFIG_LIMIT, &buf, &len);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	r = parse(buf, len, &got);
	free(buf);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		ctx->stats.bad++;
		return 0;
	}
	ctx->stats.parsed++;
	pd_ctrmeta_merge(m, &got);
	return 1;
}

int pd_cgname_home_parse(const char *buf, size_t len, uid_t uid,
			 char **ret_home)
{
	const char *p = buf, *end = buf + len;
	char want[16];
	size_t wl;

	wl = (size_t)snprintf(want, sizeof(want), "%u", (unsigned)uid);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *f[7], *q = p;
		size_t n = 0;

		/* name:passwd:uid:gid:gecos:home:shell */
		while (n < 7) {
			f[n++] = q;
			q = memchr(q, ':', (size_t)(le - q));
			if (!q)
				break;
			q++;
		}
		if (n >= 6 && (size_t)(f[3] - f[2]) == wl + 1 &&
		    !memcmp(f[2], want, wl)) {
			const char *he = n > 6 ? f[6] - 1 : le;

			if (he == f[5] || memchr(f[5], '\0', (size_t)(he - f[5])))
				return -ENOENT;
			*ret_home = strndup(f[5], (size_t)(he - f[5]));
			return *ret_home ? 0 : -ENOMEM;
		}
		p = nl ? nl + 1 : end;
	}
	return -ENOENT;
}

/* The home directory of UID, or NULL. Returns 0 or -ENOMEM. */
static int home_of(struct pd_cgname_ctx *ctx, uid_t uid, const char **ret)
{
	char key[16], *home = NULL;
	void **slot;
	int r = 0;

	snprintf(key, sizeof(key), "%u", (unsigned)uid);
	slot = strmap_get(&ctx->homes, key);
	if (slot) {
		*ret = *slot;
		return 0;
	}
	if (ctx->live) {
		struct passwd pw, *res = NULL;
		char buf[4096];

		if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res &&
		    res->pw_dir && res->pw_dir[0] == '/') {
			home = strdup(res->pw_dir);
			if (!home)
				return -ENOMEM;
		}
	} else {
		if (!ctx->passwd_read) {
			struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };

			ctx->passwd_read = true;
			r = read_in(ctx, &b, "etc/passwd", PASSWD_LIMIT,
				    &ctx->passwd, &ctx->passwd_len);
			if (r == -ENOMEM)
				return r;
		}
		if (ctx->passwd) {
			r = pd_cgname_home_parse(ctx->passwd, ctx->passwd_len,
						 uid, &home);
			if (r == -ENOMEM)
				return r;
		}
	}
	r = strmap_put(&ctx->homes, key, home);
	if (r < 0) {
		free(home);
		return r;
	}
	*ret = home;
	return 0;
}

/*
 * The base of a rootless runtime's files: beneath UID's home, so that a
 * user's links cannot lead us elsewhere. *ret->fd is -1 when the home is
 * unknown or cannot be opened; else the caller closes it. Returns 0 or
 * -ENOMEM.
 */
static int home_base(struct pd_cgname_ctx *ctx, uid_t uid, struct base *ret)
{
	struct base root = { ctx->rootfd, RESOLVE_IN_ROOT };
	const char *home;
	int r, fd;

	ret->fd = -1;
	ret->resolve = RESOLVE_BENEATH;
	r = home_of(ctx, uid, &home);
	if (r < 0 || !home)
		return r;
	fd = open_in(ctx, &root, home, O_RDONLY | O_DIRECTORY);
	if (fd == -ENOMEM)
		return fd;
	ret->fd = fd < 0 ? -1 : fd;
	return 0;
}

/* Docker's data root relative to ROOT: daemon.json's, or var/lib/docker. */
static int docker_root(struct pd_cgname_ctx *ctx, const char **ret)
{
	struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };
	char *buf, *dir = NULL;
	size_t len;
	int r;

	if (!ctx->docker_root_read) {
		ctx->docker_root_read = true;
		r = read_in(ctx, &b, "etc/docker/daemon.json", CONFIG_LIMIT,
			    &buf, &len);
		if (r == -ENOMEM)
			return r;
		if (!r) {
			r = pd_ctrmeta_daemon_parse(buf, len, &dir);
			free(buf);
			if (r == -ENOMEM)
				return r;
			if (r < 0)
				ctx->stats.bad++;
			else
				ctx->stats.parsed++;
		}
		ctx->docker_root = dir ? dir : strdup("var/lib/docker");
		if (!ctx->docker_root)
			return -ENOMEM;
	}
	*ret = ctx->docker_root;
	return 0;
}

static int docker_meta(struct pd_cgname_ctx *ctx, const struct base *b,
		       const char *data_root, const char *id,
		       struct pd_ctrmeta *m)
{
	char rel[PATH_MAX];

	if ((size_t)snprintf(rel, sizeof(rel), "%s/containers/%s/config.v2.json",
			     data_root, id) >= sizeof(rel))
		return 0;
	return meta_from_file(ctx, b, rel, pd_ctrmeta_docker_parse, m);
}

static int name_add(void *arg, const char *id, const char *name)
{
	struct strmap *ids = arg;
	char *n;
	int r;

	if (strmap_get(ids, id))
		return 0;
	n = strdup(name);
	if (!n)
		return -ENOMEM;
	r = strmap_put(ids, id, n);
	if (r < 0)
		free(n);
	return r;
}

/*
 * The first name containers/storage under DIR (relative to B) gives
 * container ID, or NULL. KEY names B+DIR in the cache. Returns 0 or
 * -ENOMEM.
 */
static int storage_name(struct pd_cgname_ctx *ctx, const struct base *b,
			const char *key, const char *dir, const char *id,
			const char **ret)
{
	struct strmap *ids;
	void **slot;
	size_t i, j;
	int r;

	*ret = NULL;
	slot = strmap_get(&ctx->storages, key);
	if (!slot) {
		ids = calloc(1, sizeof(*ids));
		if (!ids)
			return -ENOMEM;
		r = strmap_put(&ctx->storages, key, ids);
		if (r < 0) {
			free(ids);
			return r;
		}
		for (i = 0; i < sizeof(storage_drivers) / sizeof(*storage_drivers); i++)
			for (j = 0; j < sizeof(storage_lists) / sizeof(*storage_lists); j++) {
				char rel[PATH_MAX], *buf;
				size_t len;

				snprintf(rel, sizeof(rel), "%s/%s-containers/%s",
					 dir, storage_drivers[i],
					 storage_lists[j]);
				r = read_in(ctx, b, rel, LIST_LIMIT, &buf, &len);
				if (r == -ENOMEM)
					return r;
				if (r < 0)
					continue;
				r = pd_ctrmeta_storage_parse(buf, len, name_add,
							     ids);
				free(buf);
				if (r == -ENOMEM)
					return r;
				if (r < 0)
					ctx->stats.bad++;
				else
					ctx->stats.parsed++;
			}
	} else {
		ids = *slot;
	}
	slot = strmap_get(ids, id);
	if (slot)
		*ret = *slot;
	return 0;
}

static int podman_meta(struct pd_cgname_ctx *ctx, const struct base *b,
		       const char *key, const char *dir, const char *id,
		       struct pd_ctrmeta *m)
{
	const char *name;
	int r;

	r = storage_name(ctx, b, key, dir, id, &name);
	if (r < 0 || !name)
		return r;
	if (!m->name) {
		m->name = strdup(name);
		if (!m->name)
			return -ENOMEM;
	}
	return 1;
}

static int crio_meta(struct pd_cgname_ctx *ctx, const char *id,
		     struct pd_ctrmeta *m)
{
	struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };
	static const char *const dirs[] = {
		"var/lib/containers/storage", "run/containers/storage",
	};
	const char *name;
	char rel[PATH_MAX];
	size_t i;
	int r, found = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !found; i++) {
		snprintf(rel, sizeof(rel),
			 "%s/overlay-containers/%s/userdata/config.json",
			 dirs[i], id);
		found = meta_from_file(ctx, &b, rel, pd_ctrmeta_oci_parse, m);
		if (found < 0)
			return found;
	}
	if (m->name && m->pod_name)
		return found;
	/* the storage list names CRI-O's containers k8s_<ctr>_<pod>_... */
	r = storage_name(ctx, &b, "var/lib/containers/storage",
			 "var/lib/containers/storage", id, &name);
	if (r < 0 || !name)
		return r < 0 ? r : found;
	{
		struct pd_ctrmeta k = { 0 };

		r = pd_ctrmeta_k8sname_parse(name, &k);
		if (r == -ENOMEM)
			return r;
		if (!r)
			pd_ctrmeta_merge(m, &k);
	}
	return 1;
}

static int dir_add(void *arg, const char *name)
{
	struct dirlist *d = arg;
	char **nv = realloc(d->v, (d->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	d->v = nv;
	d->v[d->n] = strdup(name);
	if (!d->v[d->n])
		return -ENOMEM;
	d->n++;
	return 0;
}

/* The entries of directory REL under ROOT, listed once. */
static int dir_entries(struct pd_cgname_ctx *ctx, const char *rel,
		       const struct dirlist **ret)
{
	struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };
	struct dirlist *d;
	void **slot;
	int r;

	slot = strmap_get(&ctx->dirs, rel);
	if (slot) {
		*ret = *slot;
		return 0;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	r = strmap_put(&ctx->dirs, rel, d);
	if (r < 0) {
		free(d);
		return r;
	}
	*ret = d;
	return list_in(ctx, &b, rel, dir_add, d);
}

/*
 * containerd: the task bundle's config.json in the namespace the path
 * names (cgroupfs: /<namespace>/<id>), else in each namespace there is.
 */
static int containerd_meta(struct pd_cgname_ctx *ctx,
			   const struct pd_cgpath *cp, struct pd_ctrmeta *m)
{
	struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };
	char user_root[64], rel[PATH_MAX];
	const char *roots[3];
	size_t nroots = 0, i, j;
	int r;

	if (cp->has_uid) {
		snprintf(user_root, sizeof(user_root),
			 "run/user/%u/containerd/io.containerd.runtime.v2.task",
			 (unsigned)cp->uid);
		roots[nroots++] = user_root;
	} else {
		for (i = 0; i < sizeof(task_roots) / sizeof(task_roots[0]); i++)
			roots[nroots++] = task_roots[i];
	}
	for (i = 0; i < nroots; i++) {
		const struct dirlist *d;

		r = dir_entries(ctx, roots[i], &d);
		if (r < 0)
			return r;
		for (j = 0; j <= d->n; j++) {
			const char *ns;

			/* the path's own namespace first, then the others */
			if (j == 0) {
				/* a pod's cgroup is no namespace */
				ns = cp->pod_uid ? NULL : cp->parent;
				if (!ns || strchr(ns, '/') || ns[0] == '.')
					continue;
			} else {
				ns = d->v[j - 1];
				if (cp->parent && !strcmp(ns, cp->parent))
					continue;
				/* dockerd's own: Docker's containers */
				if (!strcmp(ns, "moby"))
					continue;
			}
			if ((size_t)snprintf(rel, sizeof(rel), "%s/%s/%s/config.json",
					     roots[i], ns, cp->id) >= sizeof(rel))
				continue;
			r = meta_from_file(ctx, &b, rel, pd_ctrmeta_oci_parse,
					   m);
			if (r)
				return r;
		}
	}
	return 0;
}

/* What the runtimes' files say of the container of CP; looked up once. */
static int ctr_of(struct pd_cgname_ctx *ctx, const struct pd_cgpath *cp,
		  const struct ctr **ret)
{
	struct base root = { ctx->rootfd, RESOLVE_IN_ROOT }, home = { -1, 0 };
	char key[96];
	const char *dr;
	struct ctr *c;
	void **slot;
	int r = 0;

	if (cp->has_uid)
		snprintf(key, sizeof(key), "%u/%s", (unsigned)cp->uid, cp->id);
	else
		snprintf(key, sizeof(key), "%s", cp->id);
	slot = strmap_get(&ctx->ctrs, key);
	if (slot) {
		*ret = *slot;
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->rt = cp->runtime;
	/*
	 * Below user@UID.service only that user's own files count: a user
	 * can name a cgroup of theirs after anybody's container.
	 */
	if (cp->has_uid) {
		r = home_base(ctx, cp->uid, &home);
		if (r < 0)
			goto out_free;
	}
	switch (cp->runtime) {
	case PD_RUNTIME_DOCKER:
		if (cp->has_uid) {
			if (home.fd >= 0)
				r = docker_meta(ctx, &home, ".local/share/docker",
						cp->id, &c->m);
			break;
		}
		r = docker_root(ctx, &dr);
		if (!r)
			r = docker_meta(ctx, &root, dr, cp->id, &c->m);
		break;
	case PD_RUNTIME_PODMAN:
		if (cp->has_uid) {
			char hkey[32];

			snprintf(hkey, sizeof(hkey), "%u/", (unsigned)cp->uid);
			if (home.fd >= 0)
				r = podman_meta(ctx, &home, hkey,
						".local/share/containers/storage",
						cp->id, &c->m);
			break;
		}
		r = podman_meta(ctx, &root, "var/lib/containers/storage",
				"var/lib/containers/storage", cp->id, &c->m);
		break;
	case PD_RUNTIME_CRIO:
		if (!cp->has_uid)
			r = crio_meta(ctx, cp->id, &c->m);
		break;
	case PD_RUNTIME_CONTAINERD:
		r = containerd_meta(ctx, cp, &c->m);
		break;
	case PD_RUNTIME_NONE:
		/* a bare id (cgroupfs driver): whose files have it? */
		if (cp->has_uid)
			break;
		r = containerd_meta(ctx, cp, &c->m);
		if (r > 0)
			c->rt = PD_RUNTIME_CONTAINERD;
		if (!r && cp->pod_uid) {
			r = crio_meta(ctx, cp->id, &c->m);
			if (r > 0)
				c->rt = PD_RUNTIME_CRIO;
		}
		if (!r) {
			r = docker_root(ctx, &dr);
			if (!r)
				r = docker_meta(ctx, &root, dr, cp->id, &c->m);
			if (r > 0)
				c->rt = PD_RUNTIME_DOCKER;
		}
		break;
	default:
		break;
	}
	if (r < 0)
		goto out_free;
	r = strmap_put(&ctx->ctrs, key, c);
	if (r < 0)
		goto out_free;
	if (home.fd >= 0)
		close(home.fd);
	*ret = c;
	return 0;

out_free:
	if (home.fd >= 0)
		close(home.fd);
	free_ctr(c);
	return r;
}

static int pod_add(void *arg, const char *name)
{
	struct strmap *pods = arg;
	struct pd_ctrmeta *m;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = pd_ctrmeta_podlog_parse(name, m);
	if (r == -EINVAL || (!r && strmap_get(pods, m->pod_uid))) {
		free_meta(m);
		return 0;
	}
	if (!r)
		r = strmap_put(pods, m->pod_uid, m);
	if (r < 0)
		free_meta(m);
	return r;
}

static int ctrlog_add(void *arg, const char *name)
{
	struct strmap *logs = arg;
	struct pd_ctrmeta *m;
	char *id = NULL;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	r = pd_ctrmeta_ctrlog_parse(name, m, &id);
	if (r == -EINVAL || (!r && strmap_get(logs, id))) {
		free(id);
		free_meta(m);
		return 0;
	}
	if (!r)
		r = strmap_put(logs, id, m);
	free(id);
	if (r < 0)
		free_meta(m);
	return r;
}

/*
 * The kubelet's log directories: /var/log/pods/<namespace>_<pod>_<uid>/
 * and the links /var/log/containers/<pod>_<namespace>_<ctr>-<id>.log, each
 * listed once. Fills the gaps of *M for pod UID and container ID (either
 * may be NULL).
 */
static int kubelet_meta(struct pd_cgname_ctx *ctx, const char *uid,
			const char *id, struct pd_ctrmeta *m)
{
	struct base b = { ctx->rootfd, RESOLVE_IN_ROOT };
	void **slot;
	int r;

	if (id && (!m->name || !m->pod_name)) {
		if (!ctx->ctrlogs_read) {
			ctx->ctrlogs_read = true;
			r = list_in(ctx, &b, "var/log/containers", ctrlog_add,
				    &ctx->ctrlogs);
			if (r < 0)
				return r;
		}
		slot = strmap_get(&ctx->ctrlogs, id);
		if (slot) {
			r = meta_fill(m, *slot);
			if (r < 0)
				return r;
		}
	}
	if (uid && !m->pod_name) {
		if (!ctx->pods_read) {
			ctx->pods_read = true;
			r = list_in(ctx, &b, "var/log/pods", pod_add, &ctx->pods);
			if (r < 0)
				return r;
		}
		slot = strmap_get(&ctx->pods, uid);
		if (slot) {
			r = meta_fill(m, *slot);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

static int resolve(struct pd_cgname_ctx *ctx, const char *path,
		   struct entry *e)
{
	struct pd_cgpath *cp = &e->cp;
	enum pd_runtime rt;
	const struct ctr *c;
	int r;

	r = pd_cgpath_parse(path, cp);
	if (r < 0)
		return r;
	rt = cp->runtime;
	if (!(ctx->flags & PD_CGNAME_PATH_ONLY)) {
		if (cp->id) {
			r = ctr_of(ctx, cp, &c);
			if (r < 0)
				return r;
			rt = c->rt;
			r = meta_fill(&e->m, &c->m);
			if (r < 0)
				return r;
		}
		/* a pod's UID in the path is the kubelet's: not rootless */
		if (cp->pod_uid && !cp->has_uid) {
			r = kubelet_meta(ctx, cp->pod_uid, cp->id, &e->m);
			if (r < 0)
				return r;
		}
	}
	e->res.unit = cp->unit;
	e->res.slice = cp->slice;
	e->res.runtime = pd_runtime_name(rt);
	if (cp->id) {
		memcpy(e->short_id, cp->id, 12);
		e->short_id[12] = '\0';
		e->res.id = cp->id;
		e->res.short_id = e->short_id;
	}
	e->res.name = cp->name ? cp->name : e->m.name;
	e->res.pod_uid = cp->pod_uid ? cp->pod_uid : e->m.pod_uid;
	e->res.pod_namespace = e->m.pod_namespace;
	e->res.pod_name = e->m.pod_name;
	e->res.qos = cp->qos;
	e->res.role = cp->role != PD_ROLE_PAYLOAD ? cp->role : e->m.role;
	return 0;
}

int pd_cgname_lookup(struct pd_cgname_ctx *ctx, const char *path,
		     struct pd_cgname *ret_name)
{
	struct entry *e;
	void **slot;
	int r;

	slot = strmap_get(&ctx->paths, path);
	if (slot) {
		*ret_name = ((struct entry *)*slot)->res;
		return 0;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	r = resolve(ctx, path, e);
	if (r < 0)
		goto out_free;
	r = strmap_put(&ctx->paths, path, e);
	if (r < 0)
		goto out_free;
	ctx->stats.paths++;
	*ret_name = e->res;
	return 0;

out_free:
	free_entry(e);
	return r;
}

int pd_cgname_new(const char *root, unsigned flags,
		  struct pd_cgname_ctx **ret_ctx)
{
	struct pd_cgname_ctx *ctx;
	struct stat st, rst;
	int r;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->flags = flags;
	ctx->rootfd = open(root ? root : "/",
			   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->rootfd < 0) {
		r = -errno;
		free(ctx);
		return r;
	}
	ctx->live = fstat(ctx->rootfd, &st) == 0 && stat("/", &rst) == 0 &&
		    st.st_dev == rst.st_dev && st.st_ino == rst.st_ino;
	*ret_ctx = ctx;
	return 0;
}

void pd_cgname_free(struct pd_cgname_ctx *ctx)
{
	if (!ctx)
		return;
	strmap_clear(&ctx->paths, free_entry);
	strmap_clear(&ctx->ctrs, free_ctr);
	strmap_clear(&ctx->storages, free_names);
	strmap_clear(&ctx->homes, free);
	strmap_clear(&ctx->dirs, free_dirlist);
	strmap_clear(&ctx->pods, free_meta);
	strmap_clear(&ctx->ctrlogs, free_meta);
	free(ctx->passwd);
	free(ctx->docker_root);
	close(ctx->rootfd);
	free(ctx);
}

void pd_cgname_get_stats(const struct pd_cgname_ctx *ctx,
			 struct pd_cgname_stats *ret_stats)
{
	*ret_stats = ctx->stats;
}

const char *pd_cgname_container_text(const struct pd_cgname *name, char *buf,
				     size_t size)
{
	static const char *const role[] = {
		[PD_ROLE_PAYLOAD] = "",
		[PD_ROLE_MONITOR] = " (monitor)",
		[PD_ROLE_SANDBOX] = " (sandbox)",
	};
	const char *label = name->name ? name->name : name->short_id;

	if (!name->runtime && !label)
		return NULL;
	snprintf(buf, size, "%s%s%s%s", name->runtime ? name->runtime : "",
		 name->runtime && label ? ":" : "", label ? label : "",
		 (size_t)name->role < sizeof(role) / sizeof(role[0]) ?
		 role[name->role] : "");
	return buf;
}

const char *pd_cgname_pod_text(const struct pd_cgname *name, char *buf,
			       size_t size)
{
	if (name->pod_namespace && name->pod_name)
		snprintf(buf, size, "%s/%s", name->pod_namespace,
			 name->pod_name);
	else if (name->pod_uid)
		snprintf(buf, size, "%s", name->pod_uid);
	else
		return NULL;
	return buf;
}
