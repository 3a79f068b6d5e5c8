/* SPDX-License-Identifier: GPL-2.0-or-later */
/* meminfo: /proc/meminfo as a table of key -> value, parser and reader. */
#include "meminfo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The longest key of 6.x is 15 bytes ("HugePages_Total"). */
#define KEY_MAX 32

struct entry {
	char key[KEY_MAX];
	uint64_t value;
	bool kb;
};

struct pd_meminfo {
	struct entry *v;
	size_t n;
};

/* One line (no newline) into E; false when it is not "Key: N[ kB]". */
static bool parse_line(const char *p, const char *end, struct entry *e)
{
	const char *colon = memchr(p, ':', (size_t)(end - p)), *q;
	uint64_t v = 0;

	if (!colon || colon == p || (size_t)(colon - p) >= KEY_MAX)
		return false;
	/* Keys are names like "Active(anon)": printable ASCII, no blank. */
	for (q = p; q < colon; q++)
		if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f)
			return false;
	memcpy(e->key, p, (size_t)(colon - p));
	e->key[colon - p] = '\0';
	for (q = colon + 1; q < end && *q == ' '; q++)
		;
	p = q;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		if (v > (UINT64_MAX - (unsigned)(*q - '0')) / 10)
			return false;
		v = v * 10 + (unsigned)(*q - '0');
	}
	if (q == p)
		return false;
	e->kb = end - q >= 3 && !memcmp(q, " kB", 3);
	if (e->kb) {
		if (v > UINT64_MAX / 1024)
			return false;
		v *= 1024;
		q += 3;
	}
	for (; q < end; q++)
		if (*q != ' ')
			return false;
	e->value = v;
	return true;
}

int pd_meminfo_parse(const char *buf, size_t len, struct pd_meminfo **ret_mi)
{
	const char *p = buf, *end = buf + len;
	struct pd_meminfo *mi;
	size_t cap = 1;

	for (; p < end; p++)
		cap += *p == '\n';
	mi = calloc(1, sizeof(*mi));
	if (!mi)
		return -ENOMEM;
	mi->v = calloc(cap, sizeof(*mi->v));
	if (!mi->v) {
		free(mi);
		return -ENOMEM;
	}
	for (p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct entry *e = &mi->v[mi->n];

		if (parse_line(p, le, e) && pd_meminfo_get(mi, e->key, NULL) < 0)
			mi->n++;
		p = nl ? nl + 1 : end;
	}
	if (!mi->n) {
		pd_meminfo_free(mi);
		return -EINVAL;
	}
	*ret_mi = mi;
	return 0;
}

int pd_meminfo_read(struct pd_procfs *pfs, struct pd_meminfo **ret_mi)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(pfs, "meminfo", 1u << 20, &buf, &len);
	if (r < 0)
		return r;
	r = pd_meminfo_parse(buf, len, ret_mi);
	free(buf);
	return r;
}

void pd_meminfo_free(struct pd_meminfo *mi)
{
	if (!mi)
		return;
	free(mi->v);
	free(mi);
}

static const struct entry *find(const struct pd_meminfo *mi, const char *key)
{
	size_t i;

	for (i = 0; i < mi->n; i++)
		if (!strcmp(mi->v[i].key, key))
			return &mi->v[i];
	return NULL;
}

int pd_meminfo_get(const struct pd_meminfo *mi, const char *key,
		   uint64_t *ret_value)
{
	const struct entry *e = find(mi, key);

	if (!e)
		return -ENOENT;
	if (ret_value)
		*ret_value = e->value;
	return 0;
}

bool pd_meminfo_is_size(const struct pd_meminfo *mi, const char *key)
{
	const struct entry *e = find(mi, key);

	return e && e->kb;
}

size_t pd_meminfo_count(const struct pd_meminfo *mi)
{
	return mi->n;
}

const char *pd_meminfo_key(const struct pd_meminfo *mi, size_t i)
{
	return i < mi->n ? mi->v[i].key : NULL;
}

uint64_t pd_meminfo_value(const struct pd_meminfo *mi, size_t i)
{
	return i < mi->n ? mi->v[i].value : 0;
}

static uint64_t value_or_zero(const struct pd_meminfo *mi, const char *key)
{
	uint64_t v = 0;

	if (pd_meminfo_get(mi, key, &v) < 0)
		return 0;
	return v;
}

int pd_meminfo_as_free(const struct pd_meminfo *mi,
		       struct pd_meminfo_free_line *ret_line)
{
	struct pd_meminfo_free_line l = { 0 };
	uint64_t avail;
	int r;

	r = pd_meminfo_get(mi, "MemTotal", &l.total);
	if (r < 0)
		return r;
	l.free = value_or_zero(mi, "MemFree");
	l.shared = value_or_zero(mi, "Shmem");
	l.buff_cache = value_or_zero(mi, "Buffers") +
		       value_or_zero(mi, "Cached") +
		       value_or_zero(mi, "SReclaimable");
	if (pd_meminfo_get(mi, "MemAvailable", &avail) == 0) {
		l.has_available = true;
		/* procps: more available than total is a container's
		 * distorted view; it takes MemFree then */
		l.available = avail > l.total ? l.free : avail;
		l.used = l.total >= l.available ? l.total - l.available
			 : l.total >= l.free ? l.total - l.free : 0;
	}
	*ret_line = l;
	return 0;
}
