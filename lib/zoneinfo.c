/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zoneinfo: /proc/zoneinfo's page counts per zone, summed per NUMA node. */
#include "zoneinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "numtext.h"

/* About 2 KiB per zone and CPU: 16 MiB is thousands of CPUs. */
#define ZONEINFO_MAX (16u << 20)

struct pd_zoneinfo {
	struct pd_zonenode *v;
	size_t n, cap;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "Node 12, zone   Normal": the node, or -1. */
static long node_line(const char *p, const char *end)
{
	uint64_t id;
	int n;

	if (end - p < 5 || memcmp(p, "Node ", 5))
		return -1;
	p += 5;
	n = pd_numtext_u64(p, end, &id);
	if (n <= 0 || id > 1u << 20 || end - (p + n) < 7 ||
	    memcmp(p + n, ", zone ", 7))
		return -1;
	return (long)id;
}

/* An indented "KEY VALUE" line: KEY matches and VALUE is the rest. */
static bool count_line(const char *p, const char *end, const char *key,
		       uint64_t *ret)
{
	size_t kl = strlen(key);
	int n;

	if (p == end || !is_blank(*p))
		return false;
	while (p < end && is_blank(*p))
		p++;
	if ((size_t)(end - p) <= kl || memcmp(p, key, kl) || !is_blank(p[kl]))
		return false;
	p += kl;
	while (p < end && is_blank(*p))
		p++;
	n = pd_numtext_u64(p, end, ret);
	return n > 0 && p + n == end;
}

static struct pd_zonenode *node_of(struct pd_zoneinfo *zi, unsigned id)
{
	size_t i;

	for (i = 0; i < zi->n; i++)
		if (zi->v[i].node == id)
			return &zi->v[i];
	if (pd_array_grow((void **)&zi->v, &zi->cap, zi->n, sizeof(*zi->v)) < 0)
		return NULL;
	memset(&zi->v[zi->n], 0, sizeof(zi->v[0]));
	zi->v[zi->n].node = id;
	return &zi->v[zi->n++];
}

static int cmp_node(const void *a, const void *b)
{
	unsigned x = ((const struct pd_zonenode *)a)->node;
	unsigned y = ((const struct pd_zonenode *)b)->node;

	return (x > y) - (x < y);
}

int pd_zoneinfo_parse(const char *buf, size_t len, struct pd_zoneinfo **ret_zi)
{
	const char *p = buf, *end = buf + len;
	struct pd_zonenode *cur = NULL;
	struct pd_zoneinfo *zi;
	unsigned have = 0, complete = 0;
	uint64_t v;

	zi = calloc(1, sizeof(*zi));
	if (!zi)
		return -ENOMEM;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		long id = node_line(p, le);

		if (id >= 0) {
			complete += have == 7;
			cur = node_of(zi, (unsigned)id);
			if (!cur) {
				pd_zoneinfo_free(zi);
				return -ENOMEM;
			}
			cur->zones++;
			have = 0;
		} else if (cur && !(have & 1) &&
			   count_line(p, le, "spanned", &v)) {
			cur->spanned += v;
			have |= 1;
		} else if (cur && !(have & 2) &&
			   count_line(p, le, "present", &v)) {
			cur->present += v;
			have |= 2;
		} else if (cur && !(have & 4) &&
			   count_line(p, le, "managed", &v)) {
			cur->managed += v;
			have |= 4;
		}
		p = nl ? nl + 1 : end;
	}
	complete += have == 7;
	if (!complete) {
		pd_zoneinfo_free(zi);
		return -EINVAL;
	}
	if (zi->n > 1)
		qsort(zi->v, zi->n, sizeof(*zi->v), cmp_node);
	*ret_zi = zi;
	return 0;
}

int pd_zoneinfo_read(struct pd_procfs *pfs, struct pd_zoneinfo **ret_zi)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(pfs, "zoneinfo", ZONEINFO_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = pd_zoneinfo_parse(buf, len, ret_zi);
	free(buf);
	return r;
}

void pd_zoneinfo_free(struct pd_zoneinfo *zi)
{
	if (!zi)
		return;
	free(zi->v);
	free(zi);
}

size_t pd_zoneinfo_count(const struct pd_zoneinfo *zi)
{
	return zi->n;
}

const struct pd_zonenode *pd_zoneinfo_node(const struct pd_zoneinfo *zi,
					   size_t i)
{
	return i < zi->n ? &zi->v[i] : NULL;
}

const struct pd_zonenode *pd_zoneinfo_find(const struct pd_zoneinfo *zi,
					   unsigned id)
{
	size_t i;

	for (i = 0; i < zi->n; i++)
		if (zi->v[i].node == id)
			return &zi->v[i];
	return NULL;
}

void pd_zoneinfo_total(const struct pd_zoneinfo *zi,
		       struct pd_zonenode *ret_total)
{
	size_t i;

	memset(ret_total, 0, sizeof(*ret_total));
	for (i = 0; i < zi->n; i++) {
		ret_total->spanned += zi->v[i].spanned;
		ret_total->present += zi->v[i].present;
		ret_total->managed += zi->v[i].managed;
		ret_total->zones += zi->v[i].zones;
	}
}
