/* SPDX-License-Identifier: GPL-2.0-or-later */
/* drm: a DRM client's memory from its fd's fdinfo (drm-usage-stats). */
#include "drm.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"
#include "procfs.h"

/* An fdinfo is a page or two. */
#define FDINFO_MAX (64u << 10)
/* Regions per client: a handful on every driver; a bound. */
#define REGIONS_MAX 64

struct region {
	const char *name;
	uint64_t v[PD_DRM_NR_STATS];
	unsigned has;		/* bit per stat */
};

struct pd_drm_client {
	char *text;		/* the strings, each NUL-terminated */
	const char *driver, *pdev, *name;
	uint64_t id;
	bool has_id;
	struct region r[REGIONS_MAX];
	size_t nr;
};

static const char *const stat_keys[PD_DRM_NR_STATS] = {
	[PD_DRM_TOTAL] = "drm-total-",
	[PD_DRM_SHARED] = "drm-shared-",
	[PD_DRM_RESIDENT] = "drm-resident-",
	[PD_DRM_PURGEABLE] = "drm-purgeable-",
	[PD_DRM_ACTIVE] = "drm-active-",
	[PD_DRM_MEMORY] = "drm-memory-",
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool key_is(const char *k, size_t kl, const char *what)
{
	return strlen(what) == kl && !memcmp(k, what, kl);
}

/* "<uint>[ KiB| MiB| GiB]" [P, END) in bytes; false otherwise. */
static bool parse_size(const char *p, const char *end, uint64_t *ret)
{
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = { { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 } };
	uint64_t v;
	size_t i, ul;
	int n = pd_numtext_u64(p, end, &v);

	if (n <= 0)
		return false;
	p += n;
	while (p < end && is_blank(*p))
		p++;
	if (p == end) {
		*ret = v;
		return true;
	}
	ul = (size_t)(end - p);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (key_is(p, ul, units[i].unit)) {
			if (v > UINT64_MAX >> units[i].shift)
				return false;
			*ret = v << units[i].shift;
			return true;
		}
	return false;
}

/* A copy of [P, END) in the client's text at OUT, NUL-terminated. */
static const char *keep(char *out, const char *p, const char *end)
{
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return out;
}

static void memory_key(struct pd_drm_client *c, const char *k, size_t kl,
		       const char *val, const char *end, char *out)
{
	const char *region = NULL;
	size_t st, rl, i;
	uint64_t bytes;

	for (st = 0; st < PD_DRM_NR_STATS; st++) {
		size_t pl = strlen(stat_keys[st]);

		if (kl > pl && !memcmp(k, stat_keys[st], pl)) {
			region = k + pl;
			break;
		}
	}
	if (!region)
		return;
	rl = (size_t)(k + kl - region);
	/* drm-total-cycles-<engine> (6.12+): engine time, no region */
	if (st == PD_DRM_TOTAL && rl > 7 && !memcmp(region, "cycles-", 7))
		return;
	if (!parse_size(val, end, &bytes))
		return;
	for (i = 0; i < c->nr; i++)
		if (strlen(c->r[i].name) == rl &&
		    !memcmp(c->r[i].name, region, rl))
			break;
	if (i == c->nr) {
		if (c->nr == REGIONS_MAX)
			return;
		memset(&c->r[i], 0, sizeof(c->r[i]));
		c->r[i].name = keep(out, region, region + rl);
		c->nr++;
	}
	if (c->r[i].has & (1u << st))
		return;
	c->r[i].has |= 1u << st;
	c->r[i].v[st] = bytes;
}

/* One "key: value" line [P, END); OUT is room for its strings. */
static void parse_line(struct pd_drm_client *c, const char *p,
		       const char *end, char *out)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *val, *ve;
	size_t kl;
	uint64_t id;
	int n;

	/* a NUL would cut a value short (the kernel prints none) */
	if (!colon || memchr(p, '\0', (size_t)(end - p)))
		return;
	kl = (size_t)(colon - p);
	val = colon + 1;
	while (val < end && is_blank(*val))
		val++;
	ve = end;
	while (ve > val && is_blank(ve[-1]))
		ve--;
	if (key_is(p, kl, "drm-driver")) {
		if (!c->driver && ve > val)
			c->driver = keep(out, val, ve);
	} else if (key_is(p, kl, "drm-pdev")) {
		if (!c->pdev && ve > val)
			c->pdev = keep(out, val, ve);
	} else if (key_is(p, kl, "drm-client-name")) {
		if (!c->name && ve > val)
			c->name = keep(out, val, ve);
	} else if (key_is(p, kl, "drm-client-id")) {
		n = pd_numtext_u64(val, ve, &id);
		if (!c->has_id && n > 0 && val + n == ve) {
			c->id = id;
			c->has_id = true;
		}
	} else {
		memory_key(c, p, kl, val, ve, out);
	}
}

int pd_drm_fdinfo_parse(const char *buf, size_t len,
			struct pd_drm_client **ret_c)
{
	const char *p = buf, *end = buf + len;
	struct pd_drm_client *c;

	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->text = malloc(len + 1);
	if (!c->text) {
		free(c);
		return -ENOMEM;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		parse_line(c, p, nl ? nl : end, c->text + (p - buf));
		p = nl ? nl + 1 : end;
	}
	if (!c->driver) {
		pd_drm_client_free(c);
		return -ENODATA;
	}
	*ret_c = c;
	return 0;
}

int pd_drm_fdinfo_read(int pidfd, int fd, struct pd_drm_client **ret_c)
{
	char path[32], *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "fdinfo/%d", fd);
	r = pd_read_at(pidfd, path, FDINFO_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = pd_drm_fdinfo_parse(buf, len, ret_c);
	free(buf);
	return r;
}

void pd_drm_client_free(struct pd_drm_client *c)
{
	if (!c)
		return;
	free(c->text);
	free(c);
}

const char *pd_drm_client_driver(const struct pd_drm_client *c)
{
	return c->driver;
}

const char *pd_drm_client_pdev(const struct pd_drm_client *c)
{
	return c->pdev;
}

const char *pd_drm_client_name(const struct pd_drm_client *c)
{
	return c->name;
}

int pd_drm_client_id(const struct pd_drm_client *c, uint64_t *ret_id)
{
	if (!c->has_id)
		return -ENOENT;
	*ret_id = c->id;
	return 0;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

bool pd_drm_client_same(const struct pd_drm_client *a,
			const struct pd_drm_client *b)
{
	return a->has_id && b->has_id && a->id == b->id &&
	       !strcmp(a->driver, b->driver) && same_text(a->pdev, b->pdev);
}

size_t pd_drm_region_count(const struct pd_drm_client *c)
{
	return c->nr;
}

const char *pd_drm_region_name(const struct pd_drm_client *c, size_t i)
{
	return i < c->nr ? c->r[i].name : NULL;
}

int pd_drm_region_find(const struct pd_drm_client *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (!strcmp(c->r[i].name, name))
			return (int)i;
	return -ENOENT;
}

int pd_drm_region_get(const struct pd_drm_client *c, size_t i,
		      enum pd_drm_stat stat, uint64_t *ret_bytes)
{
	if (i >= c->nr || (unsigned)stat >= PD_DRM_NR_STATS ||
	    !(c->r[i].has & (1u << stat)))
		return -ENOENT;
	if (ret_bytes)
		*ret_bytes = c->r[i].v[stat];
	return 0;
}
