/* SPDX-License-Identifier: GPL-2.0-or-later */
/* smaps: smaps and smaps_rollup: a pure parser, an iterator, a thin reader. */
#include "smaps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{ "Rss", offsetof(struct pd_smaps, rss) },
	{ "Pss", offsetof(struct pd_smaps, pss) },
	{ "Pss_Dirty", offsetof(struct pd_smaps, pss_dirty) },
	{ "Pss_Anon", offsetof(struct pd_smaps, pss_anon) },
	{ "Pss_File", offsetof(struct pd_smaps, pss_file) },
	{ "Pss_Shmem", offsetof(struct pd_smaps, pss_shmem) },
	{ "Shared_Clean", offsetof(struct pd_smaps, shared_clean) },
	{ "Shared_Dirty", offsetof(struct pd_smaps, shared_dirty) },
	{ "Private_Clean", offsetof(struct pd_smaps, private_clean) },
	{ "Private_Dirty", offsetof(struct pd_smaps, private_dirty) },
	{ "Referenced", offsetof(struct pd_smaps, referenced) },
	{ "Anonymous", offsetof(struct pd_smaps, anonymous) },
	{ "KSM", offsetof(struct pd_smaps, ksm) },
	{ "LazyFree", offsetof(struct pd_smaps, lazyfree) },
	{ "AnonHugePages", offsetof(struct pd_smaps, anon_huge) },
	{ "ShmemPmdMapped", offsetof(struct pd_smaps, shmem_pmd) },
	{ "FilePmdMapped", offsetof(struct pd_smaps, file_pmd) },
	{ "Shared_Hugetlb", offsetof(struct pd_smaps, shared_hugetlb) },
	{ "Private_Hugetlb", offsetof(struct pd_smaps, private_hugetlb) },
	{ "Swap", offsetof(struct pd_smaps, swap) },
	{ "SwapPss", offsetof(struct pd_smaps, swap_pss) },
	{ "Locked", offsetof(struct pd_smaps, locked) },
	{ "Size", offsetof(struct pd_smaps, size) },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

uint64_t pd_smaps_uss(const struct pd_smaps *sm)
{
	return sm->private_clean + sm->private_dirty;
}

uint64_t pd_smaps_shared(const struct pd_smaps *sm)
{
	return sm->shared_clean + sm->shared_dirty;
}

void pd_smaps_add(struct pd_smaps *dst, const struct pd_smaps *src)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		*(uint64_t *)((char *)dst + fields[i].off) +=
			*(const uint64_t *)((const char *)src + fields[i].off);
}

static int field_index(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++) {
		if (strlen(fields[i].name) == len &&
		    !memcmp(fields[i].name, key, len))
			return (int)i;
	}
	return -1;
}

/* "   1636 kB" (P to END, no newline) in bytes. */
static bool parse_kb(const char *p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	const char *q;

	while (p < end && *p == ' ')
		p++;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (UINT64_MAX / 1024 - (unsigned)(*q - '0')) / 10)
			return false;
		v = v * 10 + (unsigned)(*q - '0');
	}
	if (q == p || end - q < 3 || memcmp(q, " kB", 3) != 0)
		return false;
	for (q += 3; q < end; q++)
		if (*q != ' ')
			return false;
	*ret = v * 1024;
	return true;
}

int pd_smaps_parse(const char *buf, size_t len, struct pd_smaps *ret_sm)
{
	const char *p = buf, *end = buf + len;
	struct pd_smaps sm;
	bool any = false;

	memset(&sm, 0, sizeof(sm));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(le - p));
		uint64_t v;
		int f;

		f = colon ? field_index(p, (size_t)(colon - p)) : -1;
		if (f >= 0) {
			if (!parse_kb(colon + 1, le, &v))
				return -EINVAL;
			*(uint64_t *)((char *)&sm + fields[f].off) += v;
			any = true;
		}
		p = nl ? nl + 1 : end;
	}
	if (!any)
		return -ENODATA;
	*ret_sm = sm;
	return 0;
}

/* The next line of [*p, end) that is a mapping header, parsed. */
static bool find_header(const char **p, const char *end, struct pd_map *map,
			const char **ret_next)
{
	while (*p < end) {
		const char *nl = memchr(*p, '\n', (size_t)(end - *p));
		size_t n = nl ? (size_t)(nl - *p) : (size_t)(end - *p);

		*ret_next = nl ? nl + 1 : end;
		if (pd_map_parse(*p, n, map) == 0)
			return true;
		*p = *ret_next;
	}
	return false;
}

int pd_smaps_next(const char **cursor, const char *end,
		  struct pd_map *ret_map, struct pd_smaps *ret_sm)
{
	const char *p = *cursor, *body, *next;
	struct pd_map m, after;
	struct pd_smaps sm;
	int r;

	if (!find_header(&p, end, &m, &body)) {
		*cursor = end;
		return 1;
	}
	/* The block runs up to the next header or the end. */
	p = body;
	if (!find_header(&p, end, &after, &next))
		p = end;
	*cursor = p;
	r = pd_smaps_parse(body, (size_t)(p - body), &sm);
	if (r == -ENODATA) {
		memset(&sm, 0, sizeof(sm));
		r = 0;
	}
	if (r < 0)
		return r;
	*ret_map = m;
	*ret_sm = sm;
	return 0;
}

int pd_smaps_rollup_read(struct pd_procfs *pfs, int pidfd,
			 struct pd_smaps *ret_sm)
{
	char buf[PD_SMAPS_ROLLUP_MAX];
	ssize_t n;
	int fd, r;

	r = pd_procfs_open_at(pfs, pidfd, "smaps_rollup", &fd);
	if (r < 0)
		return r;
	/* seq_file hands the whole rollup to one read that has room. */
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		r = -errno;
		goto out_close;
	}
	if ((size_t)n == sizeof(buf)) {
		r = -EFBIG;
		goto out_close;
	}
	r = pd_smaps_parse(buf, (size_t)n, ret_sm);

out_close:
	close(fd);
	return r;
}
