/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memcg: the memory cgroup hierarchy, v2 and v1: limits, usage, memory.stat,
 * events, pressure, dying descendants and processes of every cgroup. */
#include "memcg.h"

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
#include "numtext.h"
#include "procfs.h"

/* Nesting past this is not walked (the kernel allows INT_MAX, systemd
 * and container runtimes stay far below). */
#define DEPTH_MAX 64
/* cgroup.procs of a cgroup with a million processes is about 8 MiB. */
#define PROCS_FILE (16u << 20)

struct pd_memcg {
	int rootfd;		/* the cgroup file system root */
	int hfd;		/* the memory hierarchy's top directory */
	int version;
	char *dir;		/* its path */
	uint64_t unlimited_v1;	/* PAGE_COUNTER_MAX * page size */
	struct pd_memcg_node *nodes;
	size_t n, cap;
	size_t *by_path;	/* node indexes sorted by path */
	unsigned want;
};

/* ---- parsers ------------------------------------------------------------ */

/* LEN bytes of BUF without one trailing newline. */
static size_t trim_nl(const char *buf, size_t len)
{
	return len && buf[len - 1] == '\n' ? len - 1 : len;
}

int pd_memcg_limit_parse(const char *buf, size_t len, uint64_t *ret_bytes)
{
	size_t n = trim_nl(buf, len);

	if (n == 3 && !memcmp(buf, "max", 3)) {
		*ret_bytes = PD_MEMCG_UNLIMITED;
		return 0;
	}
	return pd_numtext_parse(buf, len, 10, ret_bytes) < 0 ? -EINVAL : 0;
}

int pd_memcg_procs_parse(const char *buf, size_t len, pid_t **ret_pids,
			 size_t *ret_n)
{
	const char *p = buf, *end = buf + len;
	pid_t *pids = NULL;
	size_t n = 0, cap = 0;
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		uint64_t v;
		int digits;

		if (le > p) {
			digits = pd_numtext_u64(p, le, &v);
			if (digits <= 0 || p + digits != le || v == 0 ||
			    v > INT32_MAX) {
				r = -EINVAL;
				goto out_free;
			}
			r = pd_array_grow((void **)&pids, &cap, n,
					  sizeof(*pids));
			if (r < 0)
				goto out_free;
			pids[n++] = (pid_t)v;
		}
		p = nl ? nl + 1 : end;
	}
	*ret_pids = pids;
	*ret_n = n;
	return 0;

out_free:
	free(pids);
	return r;
}

/* ---- items of memory.stat ---------------------------------------------- */

/* Add KEY of STAT to *SUM; true when the line is there. */
static bool add_key(const struct pd_keyed *stat, const char *key,
		    uint64_t *sum)
{
	uint64_t v;

	if (pd_keyed_get(stat, key, &v) < 0)
		return false;
	*sum += v;
	return true;
}

static void set_item(struct pd_memcg_items *it, enum pd_memcg_item item,
		     const struct pd_keyed *stat, const char *key)
{
	uint64_t v = 0;

	if (stat && add_key(stat, key, &v)) {
		it->v[item] = v;
		it->has |= 1u << item;
	}
}

static bool has_item(const struct pd_memcg_items *it, enum pd_memcg_item i)
{
	return it->has & (1u << i);
}

/* v2 before 5.18 has no "kernel" line: the sum of its parts. */
static bool v2_kernel(const struct pd_keyed *stat, uint64_t *ret)
{
	static const char *const parts[] = {
		"kernel_stack", "pagetables", "sec_pagetables", "percpu",
		"vmalloc",
	};
	uint64_t sum = 0;
	bool any = false;
	size_t i;

	if (pd_keyed_get(stat, "kernel", ret) == 0)
		return true;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		any |= add_key(stat, parts[i], &sum);
	/* "slab" came in 5.9; before it only its two halves */
	if (!add_key(stat, "slab", &sum)) {
		any |= add_key(stat, "slab_reclaimable", &sum);
		any |= add_key(stat, "slab_unreclaimable", &sum);
	} else {
		any = true;
	}
	*ret = sum;
	return any;
}

void pd_memcg_items_compute(const struct pd_keyed *stat, int version,
			    bool root, const uint64_t *current,
			    const uint64_t *kmem, struct pd_memcg_items *ret)
{
	struct pd_memcg_items it;
	uint64_t v, charged;

	memset(&it, 0, sizeof(it));
	if (version == 2) {
		set_item(&it, PD_MEMCG_ANON, stat, "anon");
		set_item(&it, PD_MEMCG_FILE, stat, "file");
		set_item(&it, PD_MEMCG_SHMEM, stat, "shmem");
		set_item(&it, PD_MEMCG_FILE_MAPPED, stat, "file_mapped");
		set_item(&it, PD_MEMCG_FILE_DIRTY, stat, "file_dirty");
		set_item(&it, PD_MEMCG_FILE_WRITEBACK, stat, "file_writeback");
		set_item(&it, PD_MEMCG_KERNEL_STACK, stat, "kernel_stack");
		set_item(&it, PD_MEMCG_PAGETABLES, stat, "pagetables");
		set_item(&it, PD_MEMCG_PERCPU, stat, "percpu");
		set_item(&it, PD_MEMCG_VMALLOC, stat, "vmalloc");
		set_item(&it, PD_MEMCG_SOCK, stat, "sock");
		set_item(&it, PD_MEMCG_ZSWAP, stat, "zswap");
		set_item(&it, PD_MEMCG_ANON_THP, stat, "anon_thp");
		set_item(&it, PD_MEMCG_FILE_THP, stat, "file_thp");
		set_item(&it, PD_MEMCG_SHMEM_THP, stat, "shmem_thp");
		set_item(&it, PD_MEMCG_SWAPCACHED, stat, "swapcached");
		v = 0;
		if (stat && add_key(stat, "slab", &v)) {
			it.v[PD_MEMCG_SLAB] = v;
			it.has |= 1u << PD_MEMCG_SLAB;
		} else if (stat && (add_key(stat, "slab_reclaimable", &v) |
				    add_key(stat, "slab_unreclaimable", &v))) {
			it.v[PD_MEMCG_SLAB] = v;
			it.has |= 1u << PD_MEMCG_SLAB;
		}
		/* memory.current counts sock beside the kernel line */
		if (stat && v2_kernel(stat, &v)) {
			it.v[PD_MEMCG_KERNEL] = v + it.v[PD_MEMCG_SOCK];
			it.has |= 1u << PD_MEMCG_KERNEL;
		}
	} else {
		/* v1: the hierarchical total_* lines, as usage_in_bytes */
		set_item(&it, PD_MEMCG_ANON, stat, "total_rss");
		set_item(&it, PD_MEMCG_FILE, stat, "total_cache");
		set_item(&it, PD_MEMCG_SHMEM, stat, "total_shmem");
		set_item(&it, PD_MEMCG_FILE_MAPPED, stat, "total_mapped_file");
		set_item(&it, PD_MEMCG_FILE_DIRTY, stat, "total_dirty");
		set_item(&it, PD_MEMCG_FILE_WRITEBACK, stat, "total_writeback");
		set_item(&it, PD_MEMCG_ANON_THP, stat, "total_rss_huge");
		set_item(&it, PD_MEMCG_SWAPCACHED, stat, "total_swapcached");
		if (kmem) {
			it.v[PD_MEMCG_KERNEL] = *kmem;
			it.has |= 1u << PD_MEMCG_KERNEL;
		}
	}
	/* The v1 root's usage is anon + file (+ swap): mem_cgroup_usage(). */
	it.kernel_in_current = has_item(&it, PD_MEMCG_KERNEL) &&
			       !(version == 1 && root);
	if (current && has_item(&it, PD_MEMCG_ANON) &&
	    has_item(&it, PD_MEMCG_FILE)) {
		charged = it.v[PD_MEMCG_ANON] + it.v[PD_MEMCG_FILE];
		if (it.kernel_in_current)
			charged += it.v[PD_MEMCG_KERNEL];
		it.has_rest = true;
		it.rest = (int64_t)(*current - charged);
	}
	if (current && has_item(&it, PD_MEMCG_ANON) &&
	    has_item(&it, PD_MEMCG_FILE_MAPPED)) {
		it.has_unmapped = true;
		it.unmapped = (int64_t)(*current - it.v[PD_MEMCG_ANON] -
					it.v[PD_MEMCG_FILE_MAPPED]);
	}
	*ret = it;
}

/* ---- opening the hierarchy --------------------------------------------- */

/* Read NAME under DIRFD into BUF (SIZE bytes, NUL-terminated). Returns
 * the length or -errno (-EFBIG when it does not fit). */
static ssize_t read_small(int dirfd, const char *name, char *buf,
			  size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, r = 0;

	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= size) {
			r = -EFBIG;
			break;
		}
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return r < 0 ? r : (ssize_t)len;
}

/* Does the flat list (cgroup.controllers) NAME under DIRFD hold "memory"? */
static bool has_memory(int dirfd, const char *name)
{
	char buf[512], *p;
	ssize_t n = read_small(dirfd, name, buf, sizeof(buf));

	if (n < 0)
		return false;
	for (p = buf; (p = strstr(p, "memory")); p += 6)
		if ((p == buf || isspace((unsigned char)p[-1])) &&
		    (!p[6] || isspace((unsigned char)p[6])))
			return true;
	return false;
}

int pd_memcg_open(const char *root, unsigned long page_size,
		  struct pd_memcg **ret_mc)
{
	const char *sub;
	struct pd_memcg *mc;
	long ps = page_size ? (long)page_size : sysconf(_SC_PAGESIZE);
	int r;

	if (!root)
		root = "/sys/fs/cgroup";
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->hfd = -1;
	mc->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mc->rootfd < 0) {
		r = -errno;
		goto out_free;
	}
	if (has_memory(mc->rootfd, "cgroup.controllers")) {
		sub = ".";
		mc->version = 2;
	} else if (faccessat(mc->rootfd, "memory/memory.limit_in_bytes",
			     F_OK, 0) == 0) {
		sub = "memory";
		mc->version = 1;
	} else if (faccessat(mc->rootfd, "memory.limit_in_bytes", F_OK,
			     0) == 0) {
		sub = ".";
		mc->version = 1;
	} else if (has_memory(mc->rootfd, "unified/cgroup.controllers")) {
		sub = "unified";
		mc->version = 2;
	} else {
		r = -ENOMEDIUM;
		goto out_free;
	}
	mc->hfd = openat(mc->rootfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mc->hfd < 0) {
		r = -errno;
		goto out_free;
	}
	if (asprintf(&mc->dir, "%s%s%s", root, strcmp(sub, ".") ? "/" : "",
		     strcmp(sub, ".") ? sub : "") < 0) {
		mc->dir = NULL;
		r = -ENOMEM;
		goto out_free;
	}
	/* PAGE_COUNTER_MAX of include/linux/page_counter.h on 64-bit */
	mc->unlimited_v1 = (uint64_t)(LONG_MAX / ps) * (uint64_t)ps;
	*ret_mc = mc;
	return 0;

out_free:
	pd_memcg_free(mc);
	return r;
}

static void nodes_release(struct pd_memcg *mc)
{
	size_t i;

	for (i = 0; i < mc->n; i++) {
		free((char *)mc->nodes[i].path);
		pd_keyed_free(mc->nodes[i].stat);
		free(mc->nodes[i].pids);
	}
	free(mc->nodes);
	free(mc->by_path);
	mc->nodes = NULL;
	mc->by_path = NULL;
	mc->n = mc->cap = 0;
}

void pd_memcg_free(struct pd_memcg *mc)
{
	if (!mc)
		return;
	nodes_release(mc);
	if (mc->hfd >= 0)
		close(mc->hfd);
	if (mc->rootfd >= 0)
		close(mc->rootfd);
	free(mc->dir);
	free(mc);
}

int pd_memcg_version(const struct pd_memcg *mc)
{
	return mc->version;
}

const char *pd_memcg_dir(const struct pd_memcg *mc)
{
	return mc->dir;
}

int pd_memcg_normalize(const struct pd_memcg *mc, const char *in,
		       char **ret_path)
{
	size_t dl = strlen(mc->dir), len;
	const char *p;
	char *s;

	if (!strncmp(in, mc->dir, dl) && (in[dl] == '/' || !in[dl]))
		in += dl;
	while (*in == '/')
		in++;
	/* no "." or ".." component: the path stays inside the hierarchy */
	for (p = in; *p;) {
		size_t cl = strcspn(p, "/");

		if ((cl == 1 && p[0] == '.') ||
		    (cl == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		p += cl;
		while (*p == '/')
			p++;
	}
	if (asprintf(&s, "/%s", in) < 0)
		return -ENOMEM;
	len = strlen(s);
	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
	*ret_path = s;
	return 0;
}

/* ---- one cgroup's files ------------------------------------------------- */

static void set_value(struct pd_memcg_node *n, enum pd_memcg_value v,
		      uint64_t x)
{
	n->v[v] = x;
	n->has |= 1u << v;
}

static bool node_has(const struct pd_memcg_node *n, enum pd_memcg_value v)
{
	return n->has & (1u << v);
}

/* A one-number file; v1 limits of PAGE_COUNTER_MAX pages are unlimited. */
static void read_value(const struct pd_memcg *mc, int dirfd,
		       const char *name, struct pd_memcg_node *n,
		       enum pd_memcg_value v, bool limit)
{
	char buf[64];
	ssize_t len = read_small(dirfd, name, buf, sizeof(buf));
	uint64_t x;

	if (len < 0 || pd_memcg_limit_parse(buf, (size_t)len, &x) < 0)
		return;
	if (!limit && x == PD_MEMCG_UNLIMITED)
		return;		/* "max" where a number belongs */
	if (limit && mc->version == 1 && x >= mc->unlimited_v1)
		x = PD_MEMCG_UNLIMITED;
	set_value(n, v, x);
}

static int read_int(int dirfd, const char *name, int lo, int hi)
{
	char buf[32];
	ssize_t len = read_small(dirfd, name, buf, sizeof(buf));
	uint64_t x;

	if (len < 0 || pd_numtext_parse(buf, (size_t)len, 10, &x) < 0 ||
	    x < (uint64_t)lo || x > (uint64_t)hi)
		return -1;
	return (int)x;
}

static void set_event(struct pd_memcg_node *n, enum pd_memcg_event e,
		      const struct pd_keyed *k, const char *key)
{
	if (pd_keyed_get(k, key, &n->ev[e]) == 0)
		n->ev_has |= 1u << e;
}

static void read_v2(const struct pd_memcg *mc, int fd,
		    struct pd_memcg_node *n, unsigned want)
{
	struct pd_keyed *k;

	if (want & PD_MEMCG_WANT_USAGE)
		read_value(mc, fd, "memory.current", n, PD_MEMCG_CURRENT, false);
	if (want & PD_MEMCG_WANT_PEAK)
		read_value(mc, fd, "memory.peak", n, PD_MEMCG_PEAK, false);
	if (want & PD_MEMCG_WANT_SWAP) {
		read_value(mc, fd, "memory.swap.current", n,
			   PD_MEMCG_SWAP_CURRENT, false);
		read_value(mc, fd, "memory.zswap.current", n,
			   PD_MEMCG_ZSWAP_CURRENT, false);
		read_value(mc, fd, "memory.swap.max", n, PD_MEMCG_SWAP_MAX,
			   true);
		read_value(mc, fd, "memory.zswap.max", n, PD_MEMCG_ZSWAP_MAX,
			   true);
	}
	if (want & PD_MEMCG_WANT_LIMITS) {
		read_value(mc, fd, "memory.min", n, PD_MEMCG_MIN, true);
		read_value(mc, fd, "memory.low", n, PD_MEMCG_LOW, true);
		read_value(mc, fd, "memory.high", n, PD_MEMCG_HIGH, true);
		read_value(mc, fd, "memory.max", n, PD_MEMCG_MAX, true);
	}
	if (want & PD_MEMCG_WANT_KNOBS)
		n->oom_group = read_int(fd, "memory.oom.group", 0, 1);
	if ((want & PD_MEMCG_WANT_EVENTS) &&
	    pd_keyed_read_at(fd, "memory.events", &k) == 0) {
		set_event(n, PD_MEMCG_EV_LOW, k, "low");
		set_event(n, PD_MEMCG_EV_HIGH, k, "high");
		set_event(n, PD_MEMCG_EV_MAX, k, "max");
		set_event(n, PD_MEMCG_EV_OOM, k, "oom");
		set_event(n, PD_MEMCG_EV_OOM_KILL, k, "oom_kill");
		set_event(n, PD_MEMCG_EV_OOM_GROUP_KILL, k, "oom_group_kill");
		pd_keyed_free(k);
	}
	if (want & PD_MEMCG_WANT_PRESSURE)
		n->has_pressure = pd_pressure_read_at(fd, "memory.pressure",
						      &n->pressure) == 0;
	if ((want & PD_MEMCG_WANT_CGSTAT) &&
	    pd_keyed_read_at(fd, "cgroup.stat", &k) == 0) {
		n->has_cgstat =
			pd_keyed_get(k, "nr_descendants",
				     &n->nr_descendants) == 0 &&
			pd_keyed_get(k, "nr_dying_descendants",
				     &n->nr_dying_descendants) == 0;
		pd_keyed_free(k);
	}
}

static void read_v1(const struct pd_memcg *mc, int fd,
		    struct pd_memcg_node *n, unsigned want)
{
	struct pd_keyed *k;
	uint64_t x;

	if (want & (PD_MEMCG_WANT_USAGE | PD_MEMCG_WANT_SWAP))
		read_value(mc, fd, "memory.usage_in_bytes", n,
			   PD_MEMCG_CURRENT, false);
	if (want & PD_MEMCG_WANT_PEAK)
		read_value(mc, fd, "memory.max_usage_in_bytes", n,
			   PD_MEMCG_PEAK, false);
	/* kernel memory is one of memory.stat's items on v1 */
	if (want & PD_MEMCG_WANT_STAT)
		read_value(mc, fd, "memory.kmem.usage_in_bytes", n,
			   PD_MEMCG_KMEM, false);
	if (want & PD_MEMCG_WANT_EVENTS)
		read_value(mc, fd, "memory.failcnt", n, PD_MEMCG_FAILCNT,
			   false);
	if (want & (PD_MEMCG_WANT_LIMITS | PD_MEMCG_WANT_SWAP))
		read_value(mc, fd, "memory.limit_in_bytes", n, PD_MEMCG_MAX,
			   true);
	if (want & PD_MEMCG_WANT_SWAP) {
		read_value(mc, fd, "memory.memsw.usage_in_bytes", n,
			   PD_MEMCG_MEMSW_CURRENT, false);
		read_value(mc, fd, "memory.memsw.limit_in_bytes", n,
			   PD_MEMCG_MEMSW_MAX, true);
		/* memsw counts memory and swap together */
		if (node_has(n, PD_MEMCG_MEMSW_CURRENT) &&
		    node_has(n, PD_MEMCG_CURRENT)) {
			x = n->v[PD_MEMCG_MEMSW_CURRENT];
			set_value(n, PD_MEMCG_SWAP_CURRENT,
				  x > n->v[PD_MEMCG_CURRENT] ?
				  x - n->v[PD_MEMCG_CURRENT] : 0);
		}
		if (node_has(n, PD_MEMCG_MEMSW_MAX) &&
		    node_has(n, PD_MEMCG_MAX)) {
			x = n->v[PD_MEMCG_MEMSW_MAX];
			if (x == PD_MEMCG_UNLIMITED ||
			    n->v[PD_MEMCG_MAX] == PD_MEMCG_UNLIMITED)
				set_value(n, PD_MEMCG_SWAP_MAX, x);
			else
				set_value(n, PD_MEMCG_SWAP_MAX,
					  x > n->v[PD_MEMCG_MAX] ?
					  x - n->v[PD_MEMCG_MAX] : 0);
		}
	}
	if (want & PD_MEMCG_WANT_KNOBS) {
		read_value(mc, fd, "memory.soft_limit_in_bytes", n,
			   PD_MEMCG_SOFT_LIMIT, true);
		n->swappiness = read_int(fd, "memory.swappiness", 0, 200);
	}
	if ((want & (PD_MEMCG_WANT_EVENTS | PD_MEMCG_WANT_KNOBS)) &&
	    pd_keyed_read_at(fd, "memory.oom_control", &k) == 0) {
		if (want & PD_MEMCG_WANT_EVENTS) {
			set_event(n, PD_MEMCG_EV_OOM_KILL, k, "oom_kill");
			set_event(n, PD_MEMCG_EV_UNDER_OOM, k, "under_oom");
		}
		if ((want & PD_MEMCG_WANT_KNOBS) &&
		    pd_keyed_get(k, "oom_kill_disable", &x) == 0 && x <= 1)
			n->oom_kill_disable = (int)x;
		pd_keyed_free(k);
	}
}

static int read_node(const struct pd_memcg *mc, int fd,
		     struct pd_memcg_node *n, unsigned want)
{
	char *buf;
	size_t len;
	int r;

	n->oom_group = n->swappiness = n->oom_kill_disable = -1;
	if (mc->version == 2)
		read_v2(mc, fd, n, want);
	else
		read_v1(mc, fd, n, want);
	if (want & PD_MEMCG_WANT_STAT) {
		r = pd_keyed_read_at(fd, "memory.stat", &n->stat);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			n->stat = NULL;
	}
	if (want & PD_MEMCG_WANT_PROCS) {
		r = pd_read_at(fd, "cgroup.procs", PROCS_FILE, &buf, &len);
		if (r == -ENOMEM)
			return r;
		if (r == 0) {
			r = pd_memcg_procs_parse(buf, len, &n->pids,
						 &n->npids);
			free(buf);
			if (r == -ENOMEM)
				return r;
			n->has_pids = r == 0;
		}
	}
	return 0;
}

/* ---- the walk ------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The subdirectories of DIRFD, sorted (free with free_names()). */
static int list_subdirs(int dirfd, char ***ret_names, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		struct stat st;

		errno = 0;
		de = readdir(dir);
		if (!de) {
			r = -errno;
			break;
		}
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
			break;
		names[n] = strdup(de->d_name);
		if (!names[n]) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(dir);
	if (r < 0) {
		free_names(names, n);
		return r;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	*ret_names = names;
	*ret_n = n;
	return 0;
}

static int walk(struct pd_memcg *mc, int fd, char *path, size_t parent,
		unsigned depth, bool root)
{
	struct pd_memcg_node *n;
	char **names = NULL;
	size_t idx, nn = 0, i;
	int r;

	r = pd_array_grow((void **)&mc->nodes, &mc->cap, mc->n,
			  sizeof(*mc->nodes));
	if (r < 0) {
		free(path);
		return r;
	}
	idx = mc->n++;
	n = &mc->nodes[idx];
	memset(n, 0, sizeof(*n));
	n->path = path;
	n->name = strcmp(path, "/") ? strrchr(path, '/') + 1 : path;
	n->parent = parent;
	n->depth = depth;
	n->root = root;
	r = read_node(mc, fd, n, mc->want);
	if (r < 0)
		return r;

	/* A cgroup removed under us has no children to walk. */
	if (depth < DEPTH_MAX && list_subdirs(fd, &names, &nn) == 0) {
		for (i = 0; i < nn && r == 0; i++) {
			char *child;
			int cfd;

			cfd = openat(fd, names[i], O_RDONLY | O_DIRECTORY |
				     O_CLOEXEC | O_NOFOLLOW);
			if (cfd < 0)
				continue;
			if (asprintf(&child, "%s%s%s", path,
				     strcmp(path, "/") ? "/" : "",
				     names[i]) < 0) {
				close(cfd);
				r = -ENOMEM;
				break;
			}
			r = walk(mc, cfd, child, idx, depth + 1, false);
			close(cfd);
		}
		free_names(names, nn);
	}
	mc->nodes[idx].end = mc->n;
	return r;
}

static int cmp_path(const void *a, const void *b, void *arg)
{
	const struct pd_memcg *mc = arg;

	return strcmp(mc->nodes[*(const size_t *)a].path,
		      mc->nodes[*(const size_t *)b].path);
}

int pd_memcg_read(struct pd_memcg *mc, const char *top, unsigned want)
{
	char *path;
	size_t i;
	int fd, r;

	nodes_release(mc);
	mc->want = want;
	r = pd_memcg_normalize(mc, top ? top : "/", &path);
	if (r < 0)
		return r;
	fd = openat(mc->hfd, strcmp(path, "/") ? path + 1 : ".",
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = errno == ENOTDIR ? -ENOENT : -errno;
		free(path);
		return r;
	}
	r = walk(mc, fd, path, SIZE_MAX, 0, !strcmp(path, "/"));
	close(fd);
	if (r < 0)
		goto out_release;
	mc->by_path = malloc((mc->n ? mc->n : 1) * sizeof(*mc->by_path));
	if (!mc->by_path) {
		r = -ENOMEM;
		goto out_release;
	}
	for (i = 0; i < mc->n; i++)
		mc->by_path[i] = i;
	qsort_r(mc->by_path, mc->n, sizeof(*mc->by_path), cmp_path, mc);
	return 0;

out_release:
	nodes_release(mc);
	return r;
}

size_t pd_memcg_count(const struct pd_memcg *mc)
{
	return mc->n;
}

const struct pd_memcg_node *pd_memcg_node(const struct pd_memcg *mc,
					  size_t i)
{
	return i < mc->n ? &mc->nodes[i] : NULL;
}

int pd_memcg_find(const struct pd_memcg *mc, const char *path,
		  size_t *ret_idx)
{
	size_t lo = 0, hi = mc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(mc->nodes[mc->by_path[mid]].path, path);

		if (!c) {
			*ret_idx = mc->by_path[mid];
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}

void pd_memcg_items(const struct pd_memcg *mc, size_t i,
		    struct pd_memcg_items *ret)
{
	const struct pd_memcg_node *n = &mc->nodes[i];

	pd_memcg_items_compute(n->stat, mc->version, n->root,
			       node_has(n, PD_MEMCG_CURRENT) ?
			       &n->v[PD_MEMCG_CURRENT] : NULL,
			       node_has(n, PD_MEMCG_KMEM) ?
			       &n->v[PD_MEMCG_KMEM] : NULL, ret);
}
