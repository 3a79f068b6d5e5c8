/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numamaps: /proc/PID/numa_maps: pages per node, per mapping and process. */
#include "numamaps.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "numa.h"
#include "numtext.h"
#include "procfs.h"

/* A line per mapping of ~100 bytes; a big JVM has 10,000s of mappings. */
#define NUMA_MAPS_FILE_MAX PD_READ_LIMIT

struct pd_numamaps {
	char *text;		/* policies and paths, each NUL-terminated */
	struct pd_numa_vma *v;
	size_t n;
	uint64_t *pool;		/* the mappings' node_pages, one after another */
	size_t pool_n, pool_cap;
	uint64_t *node_bytes;	/* the process, per node */
	unsigned nr_nodes;
	uint64_t bytes;
};

static bool tok_is(const char *t, size_t tl, const char *word)
{
	return strlen(word) == tl && !memcmp(t, word, tl);
}

/* "KEY=<decimal>": the value into *V; 1 taken, 0 not KEY, -1 bad. */
static int key_value(const char *t, size_t tl, const char *key, uint64_t *v)
{
	size_t kl = strlen(key);
	int n;

	if (tl <= kl || memcmp(t, key, kl))
		return 0;
	n = pd_numtext_u64(t + kl, t + tl, v);
	return n > 0 && (size_t)n == tl - kl ? 1 : -1;
}

/* Does token T start the part after the policy? */
static bool ends_policy(const char *t, size_t tl)
{
	static const char *const words[] = { "heap", "stack", "huge" };
	static const char *const keys[] = {
		"file=", "anon=", "dirty=", "mapped=", "mapmax=", "swapcache=",
		"active=", "writeback=", "kernelpagesize_kB=",
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (tok_is(t, tl, words[i]))
			return true;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		size_t kl = strlen(keys[i]);

		if (tl >= kl && !memcmp(t, keys[i], kl))
			return true;
	}
	/* N<digits>= */
	if (tl > 2 && t[0] == 'N' && t[1] >= '0' && t[1] <= '9') {
		const char *eq = memchr(t, '=', tl);
		uint64_t node;

		return eq && pd_numtext_u64(t + 1, eq, &node) == eq - t - 1;
	}
	return false;
}

static int pool_node(struct pd_numamaps *nm, size_t base, unsigned *nr,
		     unsigned node, uint64_t pages)
{
	if (node >= *nr) {
		size_t need = base + node + 1;

		if (need > nm->pool_cap) {
			size_t cap = nm->pool_cap ? nm->pool_cap * 2 : 256;
			uint64_t *p;

			while (cap < need)
				cap *= 2;
			p = realloc(nm->pool, cap * sizeof(*p));
			if (!p)
				return -ENOMEM;
			nm->pool = p;
			nm->pool_cap = cap;
		}
		memset(nm->pool + base + *nr, 0,
		       (node + 1 - *nr) * sizeof(*nm->pool));
		*nr = node + 1;
	}
	nm->pool[base + node] += pages;
	return 0;
}

/*
 * One line [P, END) into *V, its strings copied to OUT (room for the
 * line). Returns 0, -EINVAL, -ENOMEM.
 */
static int parse_line(struct pd_numamaps *nm, const char *p, const char *end,
		      char *out, struct pd_numa_vma *v)
{
	const char *t, *pol = NULL, *pol_end = NULL;
	size_t base = nm->pool_n;
	unsigned nr = 0;
	uint64_t kb = 0, x;
	size_t tl;
	int n, r;

	memset(v, 0, sizeof(*v));
	/* a NUL would cut the policy or path short (the kernel prints none) */
	if (memchr(p, '\0', (size_t)(end - p)))
		return -EINVAL;
	t = p;
	while (p < end && *p != ' ')
		p++;
	tl = (size_t)(p - t);
	if (!tl || tl > 16)
		return -EINVAL;
	for (; t < p; t++) {
		int d = *t >= '0' && *t <= '9' ? *t - '0' :
			*t >= 'a' && *t <= 'f' ? *t - 'a' + 10 : -1;

		if (d < 0)
			return -EINVAL;
		v->start = v->start << 4 | (unsigned)d;
	}
	for (;;) {
		const char *eq;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		t = p;
		while (p < end && *p != ' ')
			p++;
		tl = (size_t)(p - t);
		if (!pol_end && !ends_policy(t, tl)) {
			if (!pol)
				pol = t;
			continue;
		}
		if (!pol_end)
			pol_end = pol ? t : NULL;
		if (!pol_end && !pol)
			return -EINVAL;
#define KV(key, field)                                                      \
		r = key_value(t, tl, key, &v->field);                      \
		if (r < 0)                                                  \
			return -EINVAL;                                     \
		if (r > 0)                                                  \
			continue;
		/* one of file=, heap, stack: the first counts */
		if (tl > 5 && !memcmp(t, "file=", 5)) {
			if (v->kind == PD_NUMA_VMA_ANON) {
				v->kind = PD_NUMA_VMA_FILE;
				v->file = t + 5;	/* copied below */
			}
			continue;
		}
		if (tok_is(t, tl, "heap")) {
			if (v->kind == PD_NUMA_VMA_ANON)
				v->kind = PD_NUMA_VMA_HEAP;
			continue;
		}
		if (tok_is(t, tl, "stack")) {
			if (v->kind == PD_NUMA_VMA_ANON)
				v->kind = PD_NUMA_VMA_STACK;
			continue;
		}
		if (tok_is(t, tl, "huge")) {
			v->huge = true;
			continue;
		}
		KV("anon=", anon)
		KV("dirty=", dirty)
		KV("mapped=", mapped)
		KV("mapmax=", mapmax)
		KV("swapcache=", swapcache)
		KV("active=", active)
		KV("writeback=", writeback)
#undef KV
		r = key_value(t, tl, "kernelpagesize_kB=", &kb);
		if (r < 0 || (r > 0 && kb > UINT64_MAX / 1024))
			return -EINVAL;
		if (r > 0)
			continue;
		eq = memchr(t, '=', tl);
		if (t[0] == 'N' && eq && ends_policy(t, tl)) {
			uint64_t node;

			pd_numtext_u64(t + 1, eq, &node);
			n = pd_numtext_u64(eq + 1, p, &x);
			if (n <= 0 || eq + 1 + n != p ||
			    node >= PD_NUMA_NODES_MAX)
				return -EINVAL;
			r = pool_node(nm, base, &nr, (unsigned)node, x);
			if (r < 0)
				return r;
			if (v->pages > UINT64_MAX - x)
				return -EINVAL;
			v->pages += x;
		}
		/* anything else: a word of a later kernel */
	}
	if (!pol)
		return -EINVAL;
	if (!pol_end)
		pol_end = end;
	while (pol_end > pol && pol_end[-1] == ' ')
		pol_end--;
	v->page_size = kb * 1024;
	if (v->page_size && v->pages > UINT64_MAX / v->page_size)
		return -EINVAL;
	/* the strings: policy, then the path */
	memcpy(out, pol, (size_t)(pol_end - pol));
	out[pol_end - pol] = '\0';
	v->policy = out;
	if (v->file) {
		const char *fe = memchr(v->file, ' ', (size_t)(end - v->file));
		size_t fl = (size_t)((fe ? fe : end) - v->file);
		char *f = out + (pol_end - pol) + 1;

		memcpy(f, v->file, fl);
		f[fl] = '\0';
		v->file = f;
	}
	v->nr_nodes = nr;
	v->node_pages = NULL;	/* pointers into the pool are set at the end */
	nm->pool_n = base + nr;
	return 0;
}

/* The line's strings need policy + 1 + path + 1 <= line + 1 bytes. */
int pd_numamaps_parse(const char *buf, size_t len, struct pd_numamaps **ret_nm)
{
	const char *p = buf, *end = buf + len;
	struct pd_numamaps *nm;
	size_t cap = 1, i, off = 0, k;
	int r = -ENOMEM;

	for (; p < end; p++)
		cap += *p == '\n';
	nm = calloc(1, sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	nm->text = malloc(len + 2);
	nm->v = calloc(cap, sizeof(*nm->v));
	if (!nm->text || !nm->v)
		goto out_free;
	for (p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le > p) {
			r = parse_line(nm, p, le, nm->text + (p - buf),
				       &nm->v[nm->n]);
			if (r < 0)
				goto out_free;
			nm->n++;
		}
		p = nl ? nl + 1 : end;
	}
	for (i = 0; i < nm->n; i++)
		if (nm->v[i].nr_nodes > nm->nr_nodes)
			nm->nr_nodes = nm->v[i].nr_nodes;
	r = -ENOMEM;
	nm->node_bytes = calloc(nm->nr_nodes ? nm->nr_nodes : 1,
				sizeof(*nm->node_bytes));
	if (!nm->node_bytes)
		goto out_free;
	r = -EINVAL;
	for (i = 0; i < nm->n; i++) {
		struct pd_numa_vma *v = &nm->v[i];

		v->node_pages = v->nr_nodes ? nm->pool + off : NULL;
		off += v->nr_nodes;
		for (k = 0; k < v->nr_nodes; k++) {
			uint64_t b = v->node_pages[k] * v->page_size;

			if (nm->node_bytes[k] > UINT64_MAX - b ||
			    nm->bytes > UINT64_MAX - b)
				goto out_free;
			nm->node_bytes[k] += b;
			nm->bytes += b;
		}
	}
	*ret_nm = nm;
	return 0;

out_free:
	pd_numamaps_free(nm);
	return r;
}

int pd_numamaps_read(struct pd_procfs *pfs, int pidfd,
		     struct pd_numamaps **ret_nm)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read_at(pfs, pidfd, "numa_maps", NUMA_MAPS_FILE_MAX,
			      &buf, &len);
	if (r < 0)
		return r;
	r = pd_numamaps_parse(buf, len, ret_nm);
	free(buf);
	return r;
}

void pd_numamaps_free(struct pd_numamaps *nm)
{
	if (!nm)
		return;
	free(nm->text);
	free(nm->v);
	free(nm->pool);
	free(nm->node_bytes);
	free(nm);
}

size_t pd_numamaps_count(const struct pd_numamaps *nm)
{
	return nm->n;
}

const struct pd_numa_vma *pd_numamaps_get(const struct pd_numamaps *nm,
					  size_t i)
{
	return i < nm->n ? &nm->v[i] : NULL;
}

unsigned pd_numamaps_nr_nodes(const struct pd_numamaps *nm)
{
	return nm->nr_nodes;
}

uint64_t pd_numamaps_node_bytes(const struct pd_numamaps *nm, unsigned node)
{
	return node < nm->nr_nodes ? nm->node_bytes[node] : 0;
}

uint64_t pd_numamaps_bytes(const struct pd_numamaps *nm)
{
	return nm->bytes;
}

uint64_t pd_numa_vma_node_bytes(const struct pd_numa_vma *vma, unsigned node)
{
	return node < vma->nr_nodes ? vma->node_pages[node] * vma->page_size : 0;
}
