/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keyed: flat "KEY VALUE" files (memory.stat, vmstat, ...): parser, reader. */
#include "keyed.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"

/* /proc/vmstat of 6.x is about 4 KiB; memory.stat about 1.5 KiB. */
#define KEYED_FILE_MAX (1u << 20)

struct entry {
	size_t key;		/* offset of the NUL-terminated key in text */
	uint64_t value;
};

struct pd_keyed {
	char *text;		/* the keys, each NUL-terminated */
	struct entry *v;
	size_t n;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One line [P, END) into *RET_KLEN (key length) and *RET_VALUE; false when
 * the line is not "KEY VALUE".
 */
static bool parse_line(const char *p, const char *end, size_t *ret_klen,
		       uint64_t *ret_value)
{
	const char *q = p;
	uint64_t v;
	int n;

	for (; q < end && !is_blank(*q); q++)
		if ((unsigned char)*q < ' ' || (unsigned char)*q >= 0x7f)
			return false;
	if (q == p || q == end)
		return false;
	*ret_klen = (size_t)(q - p);
	while (q < end && is_blank(*q))
		q++;
	n = pd_numtext_u64(q, end, &v);
	if (n <= 0)
		return false;
	for (q += n; q < end; q++)
		if (!is_blank(*q))
			return false;
	*ret_value = v;
	return true;
}

static const struct entry *find(const struct pd_keyed *k, const char *key)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->text + k->v[i].key, key))
			return &k->v[i];
	return NULL;
}

int pd_keyed_parse(const char *buf, size_t len, struct pd_keyed **ret_k)
{
	const char *p, *end = buf + len;
	size_t lines = 0, cap = 1;
	struct pd_keyed *k;

	for (p = buf; p < end; p++)
		cap += *p == '\n';
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->text = malloc(len + 1);
	k->v = calloc(cap, sizeof(*k->v));
	if (!k->text || !k->v) {
		pd_keyed_free(k);
		return -ENOMEM;
	}
	for (p = buf; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t klen, off = (size_t)(p - buf);
		uint64_t v;

		lines += le > p;
		if (parse_line(p, le, &klen, &v)) {
			memcpy(k->text + off, p, klen);
			k->text[off + klen] = '\0';
			if (!find(k, k->text + off)) {
				k->v[k->n].key = off;
				k->v[k->n].value = v;
				k->n++;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (lines && !k->n) {
		pd_keyed_free(k);
		return -EINVAL;
	}
	*ret_k = k;
	return 0;
}

static int parse_buffer(char *buf, size_t len, struct pd_keyed **ret_k)
{
	int r = pd_keyed_parse(buf, len, ret_k);

	free(buf);
	return r;
}

int pd_keyed_read_at(int dirfd, const char *name, struct pd_keyed **ret_k)
{
	char *buf;
	size_t len;
	int r;

	r = pd_read_at(dirfd, name, KEYED_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	return parse_buffer(buf, len, ret_k);
}

int pd_keyed_read(struct pd_procfs *pfs, const char *name,
		  struct pd_keyed **ret_k)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(pfs, name, KEYED_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	return parse_buffer(buf, len, ret_k);
}

void pd_keyed_free(struct pd_keyed *k)
{
	if (!k)
		return;
	free(k->text);
	free(k->v);
	free(k);
}

int pd_keyed_get(const struct pd_keyed *k, const char *key,
		 uint64_t *ret_value)
{
	const struct entry *e = find(k, key);

	if (!e)
		return -ENOENT;
	if (ret_value)
		*ret_value = e->value;
	return 0;
}

size_t pd_keyed_count(const struct pd_keyed *k)
{
	return k->n;
}

const char *pd_keyed_key(const struct pd_keyed *k, size_t i)
{
	return i < k->n ? k->text + k->v[i].key : NULL;
}

uint64_t pd_keyed_value(const struct pd_keyed *k, size_t i)
{
	return i < k->n ? k->v[i].value : 0;
}
