/* SPDX-License-Identifier: GPL-2.0-or-later */
/* numtext: numbers as the kernel prints them: a scanner and one-value files. */
#include "numtext.h"

#include <errno.h>
#include <stdlib.h>

#include "procfs.h"

/* A one-value sysfs file is at most a page (sysfs_emit()). */
#define VALUE_FILE_MAX 4096

int pd_numtext_u64(const char *p, const char *end, uint64_t *ret_value)
{
	const char *q;
	uint64_t v = 0;

	for (q = p; q < end && *q >= '0' && *q <= '9'; q++) {
		unsigned d = (unsigned)(*q - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (q - p > 0x7fffffff)
		return -ERANGE;
	*ret_value = v;
	return (int)(q - p);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pd_numtext_parse(const char *buf, size_t len, int base,
		     uint64_t *ret_value)
{
	const char *p = buf, *end = buf + len;
	uint64_t v = 0;
	int n;

	if (len && end[-1] == '\n')
		end--;
	if (base == 10) {
		n = pd_numtext_u64(p, end, &v);
		if (n < 0)
			return n;
		if (!n || p + n != end)
			return -EINVAL;
		*ret_value = v;
		return 0;
	}
	if (base != 16)
		return -EINVAL;
	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		int d = hexval(*p);

		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX >> 4))
			return -ERANGE;
		v = v << 4 | (unsigned)d;
	}
	*ret_value = v;
	return 0;
}

int pd_numtext_read_at(int dirfd, const char *name, int base,
		       uint64_t *ret_value)
{
	char *buf;
	size_t len;
	int r;

	r = pd_read_at(dirfd, name, VALUE_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = pd_numtext_parse(buf, len, base, ret_value);
	free(buf);
	return r;
}
