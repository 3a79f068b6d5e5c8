/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numa: the NUMA nodes of sysfs: node list, per-node meminfo and counters. */
#include "numa.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"

#define NODE_DIR "devices/system/node"
/* A node list is one line; a node meminfo under 2 KiB. */
#define NODE_FILE_MAX (64u << 10)

/* One id of a list at *P: digits, below PD_NUMA_NODES_MAX. */
static bool scan_id(const char **p, const char *end, unsigned *ret)
{
	uint64_t v;
	int n = pd_numtext_u64(*p, end, &v);

	if (n <= 0 || v >= PD_NUMA_NODES_MAX)
		return false;
	*p += n;
	*ret = (unsigned)v;
	return true;
}

int pd_numa_nodelist_parse(const char *buf, size_t len, unsigned **ret_nodes,
			   size_t *ret_n)
{
	const char *p = buf, *end = buf + len;
	unsigned char *set;
	unsigned *nodes = NULL, i;
	size_t n = 0;
	int r = -EINVAL;

	if (len && end[-1] == '\n')
		end--;
	set = calloc(PD_NUMA_NODES_MAX, 1);
	if (!set)
		return -ENOMEM;
	while (p < end) {
		unsigned lo, hi;

		if (!scan_id(&p, end, &lo))
			goto out_free;
		hi = lo;
		if (p < end && *p == '-') {
			p++;
			if (!scan_id(&p, end, &hi) || hi < lo)
				goto out_free;
		}
		for (i = lo; i <= hi; i++)
			set[i] = 1;
		if (p < end) {
			if (*p != ',' || p + 1 == end)
				goto out_free;
			p++;
		}
	}
	for (i = 0; i < PD_NUMA_NODES_MAX; i++)
		n += set[i];
	if (n) {
		r = -ENOMEM;
		nodes = malloc(n * sizeof(*nodes));
		if (!nodes)
			goto out_free;
		n = 0;
		for (i = 0; i < PD_NUMA_NODES_MAX; i++)
			if (set[i])
				nodes[n++] = i;
	}
	*ret_nodes = nodes;
	*ret_n = n;
	r = 0;

out_free:
	free(set);
	return r;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* The node<N> directories of NODE_DIR, ascending. */
static int list_node_dirs(int sysfd, unsigned **ret_nodes, size_t *ret_n)
{
	unsigned *nodes = NULL, *nn;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	fd = openat(sysfd, NODE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		const char *p;
		unsigned id;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				r = -errno;
				goto out_close;
			}
			break;
		}
		p = de->d_name + 4;
		if (strncmp(de->d_name, "node", 4) ||
		    !scan_id(&p, p + strlen(p), &id) || *p)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			nn = realloc(nodes, cap * sizeof(*nodes));
			if (!nn) {
				r = -ENOMEM;
				goto out_close;
			}
			nodes = nn;
		}
		nodes[n++] = id;
	}
	if (!n) {
		r = -ENOENT;
		goto out_close;
	}
	qsort(nodes, n, sizeof(*nodes), cmp_unsigned);
	*ret_nodes = nodes;
	*ret_n = n;
	nodes = NULL;

out_close:
	free(nodes);
	closedir(d);
	return r;
}

int pd_numa_nodes_read(int sysfd, unsigned **ret_nodes, size_t *ret_n)
{
	char *buf;
	size_t len;
	int r;

	r = pd_read_at(sysfd, NODE_DIR "/online", NODE_FILE_MAX, &buf, &len);
	if (r == -ENOENT)
		return list_node_dirs(sysfd, ret_nodes, ret_n);
	if (r < 0)
		return r;
	r = pd_numa_nodelist_parse(buf, len, ret_nodes, ret_n);
	free(buf);
	return r;
}

/* "Node N " at [P, END): N and the length of the prefix, or 0. */
static size_t node_prefix(const char *p, const char *end, unsigned *ret_node)
{
	const char *q = p + 5;

	if (end - p < 7 || memcmp(p, "Node ", 5) ||
	    !scan_id(&q, end, ret_node) || q == end || *q != ' ')
		return 0;
	return (size_t)(q + 1 - p);
}

int pd_numa_meminfo_parse(const char *buf, size_t len, unsigned *ret_node,
			  struct pd_meminfo **ret_mi)
{
	const char *p = buf, *end = buf + len;
	bool have_node = false;
	unsigned node = 0;
	char *text, *t;
	int r = -EINVAL;

	text = malloc(len + 1);
	if (!text)
		return -ENOMEM;
	t = text;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		unsigned n;
		size_t pl = node_prefix(p, le, &n);

		if (pl) {
			if (have_node && n != node)
				goto out_free;
			have_node = true;
			node = n;
			memcpy(t, p + pl, (size_t)(le - p) - pl);
			t += (le - p) - pl;
			*t++ = '\n';
		}
		p = nl ? nl + 1 : end;
	}
	if (!have_node)
		goto out_free;
	r = pd_meminfo_parse(text, (size_t)(t - text), ret_mi);
	if (r == 0)
		*ret_node = node;

out_free:
	free(text);
	return r;
}

/* Read devices/system/node/node<NODE>/NAME into *ret_buf. */
static int read_node_file(int sysfd, unsigned node, const char *name,
			  char **ret_buf, size_t *ret_len)
{
	char path[96];

	snprintf(path, sizeof(path), NODE_DIR "/node%u/%s", node, name);
	return pd_read_at(sysfd, path, NODE_FILE_MAX, ret_buf, ret_len);
}

int pd_numa_meminfo_read(int sysfd, unsigned node, struct pd_meminfo **ret_mi)
{
	struct pd_meminfo *mi;
	unsigned said;
	char *buf;
	size_t len;
	int r;

	r = read_node_file(sysfd, node, "meminfo", &buf, &len);
	if (r < 0)
		return r;
	r = pd_numa_meminfo_parse(buf, len, &said, &mi);
	free(buf);
	if (r < 0)
		return r;
	if (said != node) {
		pd_meminfo_free(mi);
		return -EINVAL;
	}
	*ret_mi = mi;
	return 0;
}

static int read_node_keyed(int sysfd, unsigned node, const char *name,
			   struct pd_keyed **ret_k)
{
	char *buf;
	size_t len;
	int r;

	r = read_node_file(sysfd, node, name, &buf, &len);
	if (r < 0)
		return r;
	r = pd_keyed_parse(buf, len, ret_k);
	free(buf);
	return r;
}

int pd_numa_numastat_read(int sysfd, unsigned node, struct pd_keyed **ret_k)
{
	return read_node_keyed(sysfd, node, "numastat", ret_k);
}

int pd_numa_vmstat_read(int sysfd, unsigned node, struct pd_keyed **ret_k)
{
	return read_node_keyed(sysfd, node, "vmstat", ret_k);
}
