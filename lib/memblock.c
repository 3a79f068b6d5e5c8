/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memblock: the memory blocks of sysfs: RAM the kernel has, online or not. */
#include "memblock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numa.h"
#include "numtext.h"
#include "procfs.h"

#define STATE_MAX 64

struct link {
	uint64_t block;
	unsigned node;
};

struct pd_memblocks {
	uint64_t block_size;
	size_t count[3], other;
	uint64_t *node_bytes;
	unsigned nr_nodes;
};

int pd_memblock_state_parse(const char *buf, size_t len)
{
	static const char *const names[] = {
		[PD_MEMBLOCK_ONLINE] = "online",
		[PD_MEMBLOCK_OFFLINE] = "offline",
		[PD_MEMBLOCK_GOING_OFFLINE] = "going-offline",
	};
	size_t i;

	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !memcmp(buf, names[i], len))
			return (int)i;
	return -EINVAL;
}

/* The number after PREFIX in NAME ("memory12"), or false. */
static bool numbered(const char *name, const char *prefix, uint64_t *ret)
{
	size_t pl = strlen(prefix);
	const char *p = name + pl;
	int n;

	if (strncmp(name, prefix, pl))
		return false;
	n = pd_numtext_u64(p, p + strlen(p), ret);
	return n > 0 && !p[n];
}

/* Calls FN(arg, N, name) for each entry "PREFIX<N>" of directory DFD. */
static int each_numbered(int dfd, const char *prefix,
			 int (*fn)(void *arg, uint64_t n, const char *name),
			 void *arg)
{
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		uint64_t n;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				r = -errno;
			break;
		}
		if (!numbered(de->d_name, prefix, &n))
			continue;
		r = fn(arg, n, de->d_name);
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

struct links {
	struct link *v;
	size_t n, cap;
	unsigned node;
	int nodefd;
};

static int add_link(void *arg, uint64_t block, const char *name)
{
	struct links *l = arg;

	(void)name;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct link *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].block = block;
	l->v[l->n].node = l->node;
	l->n++;
	return 0;
}

static int node_links(void *arg, uint64_t node, const char *name)
{
	struct links *l = arg;
	int fd, r;

	if (node >= PD_NUMA_NODES_MAX)
		return 0;
	fd = openat(l->nodefd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	l->node = (unsigned)node;
	r = each_numbered(fd, "memory", add_link, l);
	close(fd);
	return r;
}

static int by_block(const void *a, const void *b)
{
	uint64_t x = ((const struct link *)a)->block;
	uint64_t y = ((const struct link *)b)->block;

	return x < y ? -1 : x > y;
}

struct scan {
	struct pd_memblocks *mb;
	const struct links *links;
	int memfd;
};

/* The state of block NAME: from "state", else from "online". */
static int block_state(int memfd, const char *name)
{
	char path[64], *buf;
	uint64_t on;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%s/state", name);
	r = pd_read_at(memfd, path, STATE_MAX, &buf, &len);
	if (r == 0) {
		r = pd_memblock_state_parse(buf, len);
		free(buf);
		return r;
	}
	if (r != -ENOENT)
		return r;
	snprintf(path, sizeof(path), "%s/online", name);
	r = pd_numtext_read_at(memfd, path, 10, &on);
	if (r < 0)
		return r;
	if (on > 1)
		return -EINVAL;
	return on ? PD_MEMBLOCK_ONLINE : PD_MEMBLOCK_OFFLINE;
}

static int add_block(void *arg, uint64_t block, const char *name)
{
	struct scan *s = arg;
	struct pd_memblocks *mb = s->mb;
	struct link key = { .block = block }, *l;
	int st = block_state(s->memfd, name);

	if (st < 0) {
		if (st == -ENOMEM)
			return st;
		mb->other++;
		return 0;
	}
	mb->count[st]++;
	if (st != PD_MEMBLOCK_ONLINE || !s->links->n)
		return 0;
	l = bsearch(&key, s->links->v, s->links->n, sizeof(key), by_block);
	if (!l)
		return 0;
	if (l->node >= mb->nr_nodes) {
		uint64_t *nb = realloc(mb->node_bytes,
				       (l->node + 1) * sizeof(*nb));

		if (!nb)
			return -ENOMEM;
		memset(nb + mb->nr_nodes, 0,
		       (l->node + 1 - mb->nr_nodes) * sizeof(*nb));
		mb->node_bytes = nb;
		mb->nr_nodes = l->node + 1;
	}
	mb->node_bytes[l->node] += mb->block_size;
	return 0;
}

int pd_memblocks_read(int sysfd, struct pd_memblocks **ret_mb)
{
	struct links links = { .nodefd = -1 };
	struct pd_memblocks *mb;
	struct scan s;
	int memfd, r;

	memfd = openat(sysfd, "devices/system/memory",
		       O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (memfd < 0)
		return -errno;
	mb = calloc(1, sizeof(*mb));
	if (!mb) {
		r = -ENOMEM;
		goto out_close;
	}
	r = pd_numtext_read_at(memfd, "block_size_bytes", 16, &mb->block_size);
	if (r < 0)
		goto out_free;
	links.nodefd = openat(sysfd, "devices/system/node",
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (links.nodefd >= 0) {
		r = each_numbered(links.nodefd, "node", node_links, &links);
		if (r < 0)
			goto out_free;
		if (links.n)
			qsort(links.v, links.n, sizeof(*links.v), by_block);
	}
	s.mb = mb;
	s.links = &links;
	s.memfd = memfd;
	r = each_numbered(memfd, "memory", add_block, &s);
	if (r < 0)
		goto out_free;
	*ret_mb = mb;
	mb = NULL;

out_free:
	pd_memblocks_free(mb);
	free(links.v);
	if (links.nodefd >= 0)
		close(links.nodefd);
out_close:
	close(memfd);
	return r;
}

void pd_memblocks_free(struct pd_memblocks *mb)
{
	if (!mb)
		return;
	free(mb->node_bytes);
	free(mb);
}

uint64_t pd_memblocks_block_size(const struct pd_memblocks *mb)
{
	return mb->block_size;
}

size_t pd_memblocks_count(const struct pd_memblocks *mb,
			  enum pd_memblock_state state)
{
	return (unsigned)state < 3 ? mb->count[state] : 0;
}

size_t pd_memblocks_other(const struct pd_memblocks *mb)
{
	return mb->other;
}

uint64_t pd_memblocks_online_bytes(const struct pd_memblocks *mb)
{
	return mb->count[PD_MEMBLOCK_ONLINE] * mb->block_size;
}

unsigned pd_memblocks_nr_nodes(const struct pd_memblocks *mb)
{
	return mb->nr_nodes;
}

uint64_t pd_memblocks_node_online_bytes(const struct pd_memblocks *mb,
					unsigned node)
{
	return node < mb->nr_nodes ? mb->node_bytes[node] : 0;
}
