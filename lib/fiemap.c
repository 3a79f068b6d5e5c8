/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fiemap: what a set of files shares, from FS_IOC_FIEMAP. */
#include "fiemap.h"

#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

struct range {
	uint64_t start, len;
};

struct pd_fiemap {
	struct pd_fiemap_sum s;
	struct range *v;
	size_t n, cap;
};

int pd_fiemap_new(struct pd_fiemap **ret)
{
	struct pd_fiemap *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	*ret = f;
	return 0;
}

void pd_fiemap_free(struct pd_fiemap *f)
{
	if (!f)
		return;
	free(f->v);
	free(f);
}

static int keep(struct pd_fiemap *f, uint64_t start, uint64_t len)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		struct range *v;

		if (f->n >= PD_FIEMAP_MAX_SHARED)
			return -E2BIG;
		v = realloc(f->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = (struct range){ start, len };
	return 0;
}

int pd_fiemap_parse(struct pd_fiemap *f, const void *buf, size_t len,
		    uint64_t *ret_next, bool *ret_last)
{
	struct fiemap fm;
	uint64_t next = 0;
	bool last = false;
	uint32_t i;
	int r;

	if (len < sizeof(fm))
		return -EINVAL;
	memcpy(&fm, buf, sizeof(fm));
	if (fm.fm_mapped_extents > (len - sizeof(fm)) /
				   sizeof(struct fiemap_extent))
		return -EINVAL;
	if (fm.fm_mapped_extents == 0)
		last = true;
	for (i = 0; i < fm.fm_mapped_extents; i++) {
		struct fiemap_extent e;

		memcpy(&e, (const unsigned char *)buf + sizeof(fm) +
		       i * sizeof(e), sizeof(e));
		f->s.extents++;
		f->s.mapped += e.fe_length;
		if (e.fe_flags & FIEMAP_EXTENT_ENCODED)
			f->s.encoded += e.fe_length;
		if (e.fe_flags & FIEMAP_EXTENT_DATA_INLINE)
			f->s.inline_data += e.fe_length;
		if (e.fe_flags & FIEMAP_EXTENT_UNWRITTEN)
			f->s.unwritten += e.fe_length;
		if (e.fe_flags & FIEMAP_EXTENT_DELALLOC)
			f->s.delalloc += e.fe_length;
		/* a shared extent with a real place on disk */
		if ((e.fe_flags & FIEMAP_EXTENT_SHARED) &&
		    !(e.fe_flags & (FIEMAP_EXTENT_UNKNOWN |
				    FIEMAP_EXTENT_DATA_INLINE))) {
			f->s.shared += e.fe_length;
			r = keep(f, e.fe_physical, e.fe_length);
			if (r < 0)
				return r;
		}
		if (e.fe_logical + e.fe_length > next)
			next = e.fe_logical + e.fe_length;
		if (e.fe_flags & FIEMAP_EXTENT_LAST)
			last = true;
	}
	*ret_next = next;
	*ret_last = last;
	return 0;
}

#define BATCH 256

int pd_fiemap_add_fd(struct pd_fiemap *f, int fd)
{
	size_t len = sizeof(struct fiemap) + BATCH *
					     sizeof(struct fiemap_extent);
	struct fiemap *fm = malloc(len);
	uint64_t start = 0, next;
	bool last = false;
	int r = 0;

	if (!fm)
		return -ENOMEM;
	while (!last) {
		memset(fm, 0, sizeof(*fm));
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_extent_count = BATCH;
		do
			r = ioctl(fd, FS_IOC_FIEMAP, fm);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			r = -errno;
			break;
		}
		r = pd_fiemap_parse(f, fm, len, &next, &last);
		if (r < 0)
			break;
		/* no progress would loop for ever */
		if (!last && next <= start) {
			r = -EIO;
			break;
		}
		start = next;
	}
	if (r == 0)
		f->s.files++;
	free(fm);
	return r;
}

int pd_fiemap_merge(struct pd_fiemap *into, struct pd_fiemap *from)
{
	struct pd_fiemap_sum *a = &into->s;
	const struct pd_fiemap_sum *b = &from->s;

	if (from->n) {
		size_t n = into->n + from->n;

		if (n > PD_FIEMAP_MAX_SHARED)
			return -E2BIG;
		if (n > into->cap) {
			struct range *v = realloc(into->v, n * sizeof(*v));

			if (!v)
				return -ENOMEM;
			into->v = v;
			into->cap = n;
		}
		memcpy(into->v + into->n, from->v, from->n * sizeof(*from->v));
		into->n = n;
	}
	a->mapped += b->mapped;
	a->shared += b->shared;
	a->encoded += b->encoded;
	a->inline_data += b->inline_data;
	a->unwritten += b->unwritten;
	a->delalloc += b->delalloc;
	a->files += b->files;
	a->extents += b->extents;
	memset(&from->s, 0, sizeof(from->s));
	from->n = 0;
	return 0;
}

void pd_fiemap_peek(const struct pd_fiemap *f, struct pd_fiemap_sum *ret)
{
	*ret = f->s;
}

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

int pd_fiemap_finish(struct pd_fiemap *f, struct pd_fiemap_sum *ret)
{
	uint64_t end = 0, once = 0;
	size_t i;

	/* qsort() wants a buffer even for none */
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), range_cmp);
	for (i = 0; i < f->n; i++) {
		uint64_t s = f->v[i].start, e = s + f->v[i].len;

		if (e < s)	/* wrapped: clamp */
			e = UINT64_MAX;
		if (s < end)
			s = end;
		if (e > s)
			once += e - s;
		if (e > end)
			end = e;
	}
	f->s.shared_once = once;
	f->s.excess = f->s.shared - once;
	*ret = f->s;
	return 0;
}
