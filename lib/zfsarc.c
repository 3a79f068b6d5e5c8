/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zfsarc: OpenZFS's /proc/spl/kstat/zfs/arcstats: the ARC's size and parts. */
#include "zfsarc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"

/* About 130 rows of 50 bytes. */
#define ARCSTATS_FILE_MAX (1u << 20)

struct row {
	size_t name;		/* offset of the NUL-terminated name */
	uint64_t magnitude;
	bool negative;
};

struct pd_zfsarc {
	char *text;
	struct row *v;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next blank-separated word of [*P, END), or false. */
static bool word(const char **p, const char *end, const char **ret_w,
		 size_t *ret_len)
{
	const char *q = *p;

	while (q < end && is_blank(*q))
		q++;
	*ret_w = q;
	while (q < end && !is_blank(*q))
		q++;
	*ret_len = (size_t)(q - *ret_w);
	*p = q;
	return *ret_len > 0;
}

static const struct row *find(const struct pd_zfsarc *arc, const char *name)
{
	size_t i;

	for (i = 0; i < arc->n; i++)
		if (!strcmp(arc->text + arc->v[i].name, name))
			return &arc->v[i];
	return NULL;
}

/* "NAME TYPE VALUE" [P, END) into *R with the name copied to NAME. */
static bool parse_row(const char *p, const char *end, char *name,
		      struct row *r)
{
	const char *w, *val;
	size_t wl, nl;
	uint64_t type, v;
	bool neg = false;
	int n;

	/* a NUL would cut the name short (the SPL prints none) */
	if (memchr(p, '\0', (size_t)(end - p)))
		return false;
	if (!word(&p, end, &w, &nl))
		return false;
	memcpy(name, w, nl);
	name[nl] = '\0';
	if (!word(&p, end, &w, &wl) || pd_numtext_u64(w, w + wl, &type) !=
	    (int)wl || type < 1 || type > 6)
		return false;
	if (!word(&p, end, &val, &wl))
		return false;
	if (*val == '-') {
		/* 1 int32, 3 int64, 5 long may be negative */
		if (!(type & 1))
			return false;
		neg = true;
		val++;
		wl--;
	}
	n = pd_numtext_u64(val, val + wl, &v);
	if (n <= 0 || (size_t)n != wl || (neg && v > (uint64_t)INT64_MAX + 1))
		return false;
	if (word(&p, end, &w, &wl))
		return false;
	r->magnitude = v;
	r->negative = neg && v;
	return true;
}

int pd_zfsarc_parse(const char *buf, size_t len, struct pd_zfsarc **ret_arc)
{
	const char *p = buf, *end = buf + len, *nl, *w;
	struct pd_zfsarc *arc;
	size_t cap = 1, wl;
	int line = 0;

	for (; p < end; p++)
		cap += *p == '\n';
	arc = calloc(1, sizeof(*arc));
	if (!arc)
		return -ENOMEM;
	arc->text = malloc(len + 1);
	arc->v = calloc(cap, sizeof(*arc->v));
	if (!arc->text || !arc->v) {
		pd_zfsarc_free(arc);
		return -ENOMEM;
	}
	for (p = buf; p < end; p = nl ? nl + 1 : end, line++) {
		const char *le, *q;
		struct row *r = &arc->v[arc->n];
		char *name = arc->text + (p - buf);

		nl = memchr(p, '\n', (size_t)(end - p));
		le = nl ? nl : end;
		if (line == 0)
			continue;	/* the kstat header */
		if (line == 1) {
			static const char *const cols[] = {
				"name", "type", "data"
			};
			size_t i;

			q = p;
			for (i = 0; i < 3; i++)
				if (!word(&q, le, &w, &wl) ||
				    wl != strlen(cols[i]) ||
				    memcmp(w, cols[i], wl))
					goto out_einval;
			continue;
		}
		if (parse_row(p, le, name, r) && !find(arc, name)) {
			r->name = (size_t)(name - arc->text);
			arc->n++;
		}
	}
	if (line < 2)
		goto out_einval;
	*ret_arc = arc;
	return 0;

out_einval:
	pd_zfsarc_free(arc);
	return -EINVAL;
}

int pd_zfsarc_read(struct pd_procfs *pfs, struct pd_zfsarc **ret_arc)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(pfs, "spl/kstat/zfs/arcstats", ARCSTATS_FILE_MAX,
			   &buf, &len);
	if (r < 0)
		return r;
	r = pd_zfsarc_parse(buf, len, ret_arc);
	free(buf);
	return r;
}

void pd_zfsarc_free(struct pd_zfsarc *arc)
{
	if (!arc)
		return;
	free(arc->text);
	free(arc->v);
	free(arc);
}

int pd_zfsarc_get(const struct pd_zfsarc *arc, const char *name,
		  uint64_t *ret_value)
{
	const struct row *r = find(arc, name);

	if (!r)
		return -ENOENT;
	if (r->negative)
		return -ERANGE;
	if (ret_value)
		*ret_value = r->magnitude;
	return 0;
}

int pd_zfsarc_get_signed(const struct pd_zfsarc *arc, const char *name,
			 int64_t *ret_value)
{
	const struct row *r = find(arc, name);

	if (!r)
		return -ENOENT;
	if (r->negative) {
		/* magnitude is at most 2^63 here */
		*ret_value = -(int64_t)(r->magnitude - 1) - 1;
		return 0;
	}
	if (r->magnitude > INT64_MAX)
		return -ERANGE;
	*ret_value = (int64_t)r->magnitude;
	return 0;
}

size_t pd_zfsarc_count(const struct pd_zfsarc *arc)
{
	return arc->n;
}

const char *pd_zfsarc_name(const struct pd_zfsarc *arc, size_t i)
{
	return i < arc->n ? arc->text + arc->v[i].name : NULL;
}

int pd_zfsarc_parts(const struct pd_zfsarc *arc, uint64_t *ret_sum)
{
	static const char *const parts[] = {
		"data_size", "metadata_size", "hdr_size", "l2_hdr_size",
		"dbuf_size", "dnode_size", "bonus_size", "abd_chunk_waste_size",
	};
	uint64_t sum = 0, v;
	bool any = false, split = false;
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (pd_zfsarc_get(arc, parts[i], &v) < 0)
			continue;
		if (sum > UINT64_MAX - v)
			return -ERANGE;
		any = true;
		split = split || (i >= 4 && i <= 6);
		sum += v;
	}
	/* before 0.7: dbuf, dnode and bonus were the one other_size */
	if (!split && pd_zfsarc_get(arc, "other_size", &v) == 0) {
		if (sum > UINT64_MAX - v)
			return -ERANGE;
		any = true;
		sum += v;
	}
	if (!any)
		return -ENOENT;
	*ret_sum = sum;
	return 0;
}
