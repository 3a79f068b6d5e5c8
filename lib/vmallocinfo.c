/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vmallocinfo: /proc/vmallocinfo summed per caller: RAM and mappings. */
#include "vmallocinfo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"

/* One line per area: tens of thousands with VMAP_STACK and many threads. */
#define VMALLOCINFO_FILE_MAX PD_READ_LIMIT
/* MAX_NUMNODES is at most 1 << 10; room to spare, and a bound. */
#define NODES_MAX 4096

struct pd_vmallocinfo {
	uint64_t page_size;
	char *text;		/* the callers, each NUL-terminated */
	struct pd_vmcaller *v;
	size_t n, cap;
	size_t *hash;		/* index + 1 into v, 0: empty slot */
	size_t hash_cap;	/* a power of two, at least 2 * n */
	const struct pd_vmcaller **by_ram;
	struct pd_vmalloc_totals totals;
	uint64_t *node_pages;	/* vmalloc pages per node */
	unsigned nr_nodes;
	bool has_nodes;
	size_t skipped;
};

/* The area's words after its caller. */
static const struct {
	const char *word;
	unsigned flag;
} words[] = {
	{ "ioremap", PD_VMALLOC_IOREMAP },
	{ "vmalloc", PD_VMALLOC_VMALLOC },
	{ "vmap", PD_VMALLOC_VMAP },
	{ "user", PD_VMALLOC_USER },
	{ "vpages", PD_VMALLOC_VPAGES },
	{ "dma-coherent", PD_VMALLOC_DMA_COHERENT },
	{ "sparse", PD_VMALLOC_SPARSE },
};

#define LINE_VM_MAP_RAM (1u << 30)
#define LINE_UNPURGED (1u << 31)

/* One parsed line; the caller points into the text. */
struct line {
	const char *caller;
	size_t caller_len;
	uint64_t size, pages;
	unsigned flags;
	bool has_pages;
	/* N<node>= of the line: a few nodes at most, kept on the stack */
	unsigned nodes[16];
	uint64_t node_pages[16];
	size_t n_nodes;
};

static bool tok_is(const char *t, size_t tl, const char *word)
{
	return strlen(word) == tl && !memcmp(t, word, tl);
}

/* "N<digits>=<digits>" into LN; 0 if it is not one, 1 if taken, -1 bad. */
static int node_token(const char *t, size_t tl, struct line *ln)
{
	const char *eq = memchr(t, '=', tl), *end = t + tl;
	uint64_t node, count;
	int n;

	if (tl < 4 || t[0] != 'N' || !eq)
		return 0;
	n = pd_numtext_u64(t + 1, eq, &node);
	if (n <= 0 || t + 1 + n != eq)
		return 0;
	n = pd_numtext_u64(eq + 1, end, &count);
	if (n <= 0 || eq + 1 + n != end || node >= NODES_MAX)
		return -1;
	if (ln->n_nodes == sizeof(ln->nodes) / sizeof(ln->nodes[0]))
		return -1;
	ln->nodes[ln->n_nodes] = (unsigned)node;
	ln->node_pages[ln->n_nodes] = count;
	ln->n_nodes++;
	return 1;
}

/* One line [P, END) into *LN; false when it is not of the known shape. */
static bool parse_line(const char *p, const char *end, struct line *ln)
{
	const char *t, *dash;
	bool in_caller = true;
	size_t tl;
	int n;

	memset(ln, 0, sizeof(*ln));
	/* a NUL would cut the caller short (the kernel prints none) */
	if (memchr(p, '\0', (size_t)(end - p)))
		return false;
	/* 0xSTART-0xEND */
	t = p;
	while (p < end && *p != ' ')
		p++;
	dash = memchr(t, '-', (size_t)(p - t));
	if (p - t < 5 || memcmp(t, "0x", 2) || !dash || dash + 2 >= p ||
	    dash[1] != '0' || dash[2] != 'x')
		return false;
	/* SIZE, right-aligned by "%7ld" */
	while (p < end && *p == ' ')
		p++;
	n = pd_numtext_u64(p, end, &ln->size);
	if (n <= 0 || (p + n < end && p[n] != ' '))
		return false;
	p += n;
	for (;;) {
		const char *eq;
		size_t i;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		t = p;
		while (p < end && *p != ' ')
			p++;
		tl = (size_t)(p - t);
		eq = memchr(t, '=', tl);
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (tok_is(t, tl, words[i].word))
				break;
		if (i < sizeof(words) / sizeof(words[0])) {
			ln->flags |= words[i].flag;
		} else if (tok_is(t, tl, "vm_map_ram")) {
			ln->flags |= LINE_VM_MAP_RAM;
		} else if (tok_is(t, tl, "unpurged")) {
			ln->flags |= LINE_UNPURGED;
		} else if (tl > 6 && !memcmp(t, "pages=", 6)) {
			n = pd_numtext_u64(t + 6, p, &ln->pages);
			if (n <= 0 || t + 6 + n != p)
				return false;
			ln->has_pages = true;
		} else if (tl >= 5 && !memcmp(t, "phys=", 5)) {
			ln->flags |= PD_VMALLOC_PHYS;
		} else if (tl > 2 && t[0] == 'N' && eq) {
			/* N<node>=<pages>; any other N...= is a later key */
			if (node_token(t, tl, ln) < 0)
				return false;
		} else if (!eq && in_caller) {
			if (!ln->caller)
				ln->caller = t;
			ln->caller_len = (size_t)(p - ln->caller);
			continue;
		}
		/* the first known word or key=value ends the caller */
		in_caller = false;
	}
	if (!ln->caller)
		ln->caller = "";
	return true;
}

static uint64_t hash_text(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static int grow_hash(struct pd_vmallocinfo *vi)
{
	size_t cap = vi->hash_cap ? vi->hash_cap * 2 : 64, i;
	size_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (i = 0; i < vi->n; i++) {
		const char *c = vi->v[i].caller;
		size_t slot = hash_text(c, strlen(c)) & (cap - 1);

		while (h[slot])
			slot = (slot + 1) & (cap - 1);
		h[slot] = i + 1;
	}
	free(vi->hash);
	vi->hash = h;
	vi->hash_cap = cap;
	return 0;
}

/* The caller of LN, added when new. NAME is room for its text. */
static int get_caller(struct pd_vmallocinfo *vi, const struct line *ln,
		      char *name, struct pd_vmcaller **ret)
{
	size_t slot;
	struct pd_vmcaller *c;
	int r;

	if (2 * (vi->n + 1) > vi->hash_cap) {
		r = grow_hash(vi);
		if (r < 0)
			return r;
	}
	slot = hash_text(ln->caller, ln->caller_len) & (vi->hash_cap - 1);
	while (vi->hash[slot]) {
		c = &vi->v[vi->hash[slot] - 1];
		if (!strncmp(c->caller, ln->caller, ln->caller_len) &&
		    c->caller[ln->caller_len] == '\0') {
			*ret = c;
			return 0;
		}
		slot = (slot + 1) & (vi->hash_cap - 1);
	}
	if (vi->n == vi->cap) {
		size_t cap = vi->cap ? vi->cap * 2 : 64;
		struct pd_vmcaller *v = realloc(vi->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		vi->v = v;
		vi->cap = cap;
	}
	memcpy(name, ln->caller, ln->caller_len);
	name[ln->caller_len] = '\0';
	c = &vi->v[vi->n];
	memset(c, 0, sizeof(*c));
	c->caller = name;
	vi->hash[slot] = ++vi->n;
	*ret = c;
	return 0;
}

static int add_nodes(struct pd_vmallocinfo *vi, const struct line *ln)
{
	size_t i;

	vi->has_nodes = vi->has_nodes || ln->n_nodes;
	for (i = 0; i < ln->n_nodes; i++) {
		unsigned node = ln->nodes[i];

		if (node >= vi->nr_nodes) {
			uint64_t *np = realloc(vi->node_pages,
					       (node + 1) * sizeof(*np));

			if (!np)
				return -ENOMEM;
			memset(np + vi->nr_nodes, 0,
			       (node + 1 - vi->nr_nodes) * sizeof(*np));
			vi->node_pages = np;
			vi->nr_nodes = node + 1;
		}
		if (ln->flags & PD_VMALLOC_VMALLOC)
			vi->node_pages[node] += ln->node_pages[i];
	}
	return 0;
}

/* Add LN to its caller and the totals; -ERANGE when a sum would wrap. */
static int add_line(struct pd_vmallocinfo *vi, const struct line *ln,
		    char *name)
{
	struct pd_vmalloc_totals *t = &vi->totals;
	struct pd_vmcaller *c;
	uint64_t bytes;
	int r;

	if (ln->pages > UINT64_MAX / vi->page_size)
		return -ERANGE;
	bytes = ln->pages * vi->page_size;
	/* sums of sizes and bytes of one file stay far below 2^64 unless
	 * the text lies; then the line is refused whole */
	if (t->size > UINT64_MAX - ln->size || t->ram > UINT64_MAX - bytes ||
	    t->mapped > UINT64_MAX - bytes ||
	    t->ioremap > UINT64_MAX - ln->size ||
	    t->vm_map_ram > UINT64_MAX - ln->size ||
	    t->unpurged > UINT64_MAX - ln->size)
		return -ERANGE;
	if (ln->flags & LINE_UNPURGED) {
		t->unpurged += ln->size;
		return 0;
	}
	if (ln->flags & LINE_VM_MAP_RAM) {
		t->vm_map_ram += ln->size;
		return 0;
	}
	r = get_caller(vi, ln, name, &c);
	if (r < 0)
		return r;
	r = add_nodes(vi, ln);
	if (r < 0)
		return r;
	c->areas++;
	c->size += ln->size;
	c->flags |= ln->flags;
	t->areas++;
	t->size += ln->size;
	if (ln->flags & PD_VMALLOC_IOREMAP)
		t->ioremap += ln->size;
	if (ln->flags & PD_VMALLOC_VMALLOC) {
		c->ram += bytes;
		t->ram += bytes;
	} else {
		c->mapped += bytes;
		t->mapped += bytes;
	}
	return 0;
}

static int by_ram(const void *a, const void *b)
{
	const struct pd_vmcaller *x = *(const struct pd_vmcaller *const *)a;
	const struct pd_vmcaller *y = *(const struct pd_vmcaller *const *)b;

	if (x->ram != y->ram)
		return x->ram > y->ram ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->caller, y->caller);
}

int pd_vmallocinfo_parse(const char *buf, size_t len, uint64_t page_size,
			 struct pd_vmallocinfo **ret_vi)
{
	const char *p = buf, *end = buf + len;
	struct pd_vmallocinfo *vi;
	size_t i;
	int r = -ENOMEM;

	if (!page_size || (page_size & (page_size - 1)))
		return -EINVAL;
	vi = calloc(1, sizeof(*vi));
	if (!vi)
		return -ENOMEM;
	vi->page_size = page_size;
	vi->text = malloc(len + 1);
	if (!vi->text)
		goto out_free;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct line ln;

		if (le > p) {
			if (!parse_line(p, le, &ln)) {
				vi->skipped++;
			} else {
				r = add_line(vi, &ln, vi->text + (p - buf));
				if (r == -ERANGE)
					vi->skipped++;
				else if (r < 0)
					goto out_free;
			}
		}
		p = nl ? nl + 1 : end;
	}
	r = -ENOMEM;
	vi->by_ram = malloc((vi->n ? vi->n : 1) * sizeof(*vi->by_ram));
	if (!vi->by_ram)
		goto out_free;
	for (i = 0; i < vi->n; i++)
		vi->by_ram[i] = &vi->v[i];
	qsort(vi->by_ram, vi->n, sizeof(*vi->by_ram), by_ram);
	*ret_vi = vi;
	return 0;

out_free:
	pd_vmallocinfo_free(vi);
	return r;
}

int pd_vmallocinfo_read(struct pd_procfs *pfs, struct pd_vmallocinfo **ret_vi)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *buf;
	size_t len;
	int r;

	if (ps <= 0)
		return -EINVAL;
	r = pd_procfs_read(pfs, "vmallocinfo", VMALLOCINFO_FILE_MAX, &buf,
			   &len);
	if (r < 0)
		return r;
	r = pd_vmallocinfo_parse(buf, len, (uint64_t)ps, ret_vi);
	free(buf);
	return r;
}

void pd_vmallocinfo_free(struct pd_vmallocinfo *vi)
{
	if (!vi)
		return;
	free(vi->text);
	free(vi->v);
	free(vi->hash);
	free(vi->by_ram);
	free(vi->node_pages);
	free(vi);
}

size_t pd_vmallocinfo_count(const struct pd_vmallocinfo *vi)
{
	return vi->n;
}

const struct pd_vmcaller *pd_vmallocinfo_get(const struct pd_vmallocinfo *vi,
					     size_t i)
{
	return i < vi->n ? &vi->v[i] : NULL;
}

size_t pd_vmallocinfo_top(const struct pd_vmallocinfo *vi, size_t n,
			  const struct pd_vmcaller **ret_top)
{
	if (n > vi->n)
		n = vi->n;
	if (n)
		memcpy(ret_top, vi->by_ram, n * sizeof(*ret_top));
	return n;
}

void pd_vmallocinfo_totals(const struct pd_vmallocinfo *vi,
			   struct pd_vmalloc_totals *ret_t)
{
	*ret_t = vi->totals;
}

size_t pd_vmallocinfo_skipped(const struct pd_vmallocinfo *vi)
{
	return vi->skipped;
}

bool pd_vmallocinfo_has_nodes(const struct pd_vmallocinfo *vi)
{
	return vi->has_nodes;
}

unsigned pd_vmallocinfo_nr_nodes(const struct pd_vmallocinfo *vi)
{
	return vi->nr_nodes;
}

uint64_t pd_vmallocinfo_node_ram(const struct pd_vmallocinfo *vi,
				 unsigned node)
{
	return node < vi->nr_nodes ? vi->node_pages[node] * vi->page_size : 0;
}
