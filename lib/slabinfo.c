/* SPDX-License-Identifier: GPL-2.0-or-later */
/* slabinfo: /proc/slabinfo 2.x: the slab caches and their bytes. */
#include "slabinfo.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"

/* About 250 caches of 140 bytes; thousands with many modules. */
#define SLABINFO_FILE_MAX (16u << 20)

struct pd_slabinfo {
	char *names;		/* the names, each NUL-terminated */
	struct pd_slab *v;
	const struct pd_slab **by_bytes;	/* largest first */
	size_t n, skipped;
	uint64_t bytes;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Scan N unsigned decimals separated by blanks from [*P, END) into V,
 * leaving *P after the last. false when one is missing or too big.
 */
static bool scan_numbers(const char **p, const char *end, uint64_t *v,
			 size_t n)
{
	const char *q = *p;
	size_t i;

	for (i = 0; i < n; i++) {
		int r;

		while (q < end && is_blank(*q))
			q++;
		r = pd_numtext_u64(q, end, &v[i]);
		if (r <= 0)
			return false;
		q += r;
		if (q < end && !is_blank(*q))
			return false;
	}
	*p = q;
	return true;
}

/* The start of the run of blank-separated tokens before END: N of them. */
static const char *tokens_before(const char *start, const char *end, size_t n)
{
	const char *q = end;

	while (n--) {
		while (q > start && is_blank(q[-1]))
			q--;
		if (q == start || is_blank(q[-1]))
			return NULL;
		while (q > start && !is_blank(q[-1]))
			q--;
	}
	return q;
}

static const char *find(const char *p, const char *end, const char *what)
{
	size_t wl = strlen(what);

	for (; end - p >= (ptrdiff_t)wl; p++)
		if (!memcmp(p, what, wl))
			return p;
	return NULL;
}

static bool mul_ok(uint64_t a, uint64_t b, uint64_t *ret)
{
	if (a && b > UINT64_MAX / a)
		return false;
	*ret = a * b;
	return true;
}

/*
 * One cache line [P, END) into *S, its name copied to NAME (room for the
 * line). false when the line is not of the 2.x shape.
 */
static bool parse_line(const char *p, const char *end, uint64_t page_size,
		       char *name, struct pd_slab *s)
{
	const char *tun = find(p, end, " : tunables "), *sd, *q, *nend;
	uint64_t left[5], tunables[3], data[3], bytes;

	/* a NUL would cut the name short */
	if (!tun || memchr(p, '\0', (size_t)(end - p)))
		return false;
	sd = find(tun, end, " : slabdata ");
	if (!sd)
		return false;
	q = tokens_before(p, tun, 5);
	if (!q)
		return false;
	for (nend = q; nend > p && is_blank(nend[-1]); nend--)
		;
	if (nend == p)
		return false;
	if (!scan_numbers(&q, tun, left, 5) || q != tun)
		return false;
	q = tun + strlen(" : tunables ");
	if (!scan_numbers(&q, sd, tunables, 3) || q != sd)
		return false;
	q = sd + strlen(" : slabdata ");
	if (!scan_numbers(&q, end, data, 3))
		return false;
	/* after slabdata only SLAB's " : globalstat ..." and the like */
	while (q < end && is_blank(*q))
		q++;
	if (q < end && *q != ':')
		return false;
	if (!mul_ok(data[1], left[4], &bytes) ||
	    !mul_ok(bytes, page_size, &bytes))
		return false;
	memcpy(name, p, (size_t)(nend - p));
	name[nend - p] = '\0';
	s->name = name;
	s->active_objs = left[0];
	s->num_objs = left[1];
	s->objsize = left[2];
	s->objperslab = left[3];
	s->pagesperslab = left[4];
	s->active_slabs = data[0];
	s->num_slabs = data[1];
	s->bytes = bytes;
	return true;
}

static int by_bytes(const void *a, const void *b)
{
	const struct pd_slab *x = *(const struct pd_slab *const *)a;
	const struct pd_slab *y = *(const struct pd_slab *const *)b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->name, y->name);
}

int pd_slabinfo_parse(const char *buf, size_t len, uint64_t page_size,
		      struct pd_slabinfo **ret_si)
{
	static const char version[] = "slabinfo - version: 2.";
	const char *p = buf, *end = buf + len;
	struct pd_slabinfo *si;
	size_t cap = 1, i;

	if (!page_size || (page_size & (page_size - 1)))
		return -EINVAL;
	if (len < sizeof(version) - 1 ||
	    memcmp(buf, version, sizeof(version) - 1))
		return -EINVAL;
	for (; p < end; p++)
		cap += *p == '\n';
	si = calloc(1, sizeof(*si));
	if (!si)
		return -ENOMEM;
	si->names = malloc(len + 1);
	si->v = calloc(cap, sizeof(*si->v));
	if (!si->names || !si->v) {
		pd_slabinfo_free(si);
		return -ENOMEM;
	}
	p = memchr(buf, '\n', len);
	p = p ? p + 1 : end;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct pd_slab *s = &si->v[si->n];

		if (le > p && *p != '#') {
			if (parse_line(p, le, page_size,
				       si->names + (p - buf), s) &&
			    si->bytes <= UINT64_MAX - s->bytes) {
				si->bytes += s->bytes;
				si->n++;
			} else {
				si->skipped++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	si->by_bytes = malloc((si->n ? si->n : 1) * sizeof(*si->by_bytes));
	if (!si->by_bytes) {
		pd_slabinfo_free(si);
		return -ENOMEM;
	}
	for (i = 0; i < si->n; i++)
		si->by_bytes[i] = &si->v[i];
	qsort(si->by_bytes, si->n, sizeof(*si->by_bytes), by_bytes);
	*ret_si = si;
	return 0;
}

int pd_slabinfo_read(struct pd_procfs *pfs, struct pd_slabinfo **ret_si)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *buf;
	size_t len;
	int r;

	if (ps <= 0)
		return -EINVAL;
	r = pd_procfs_read(pfs, "slabinfo", SLABINFO_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = pd_slabinfo_parse(buf, len, (uint64_t)ps, ret_si);
	free(buf);
	return r;
}

void pd_slabinfo_free(struct pd_slabinfo *si)
{
	if (!si)
		return;
	free(si->names);
	free(si->v);
	free(si->by_bytes);
	free(si);
}

size_t pd_slabinfo_count(const struct pd_slabinfo *si)
{
	return si->n;
}

const struct pd_slab *pd_slabinfo_get(const struct pd_slabinfo *si, size_t i)
{
	return i < si->n ? &si->v[i] : NULL;
}

size_t pd_slabinfo_skipped(const struct pd_slabinfo *si)
{
	return si->skipped;
}

uint64_t pd_slabinfo_bytes(const struct pd_slabinfo *si)
{
	return si->bytes;
}

size_t pd_slabinfo_top(const struct pd_slabinfo *si, size_t n,
		       const struct pd_slab **ret_top)
{
	if (n > si->n)
		n = si->n;
	if (n)
		memcpy(ret_top, si->by_bytes, n * sizeof(*ret_top));
	return n;
}
