/* SPDX-License-Identifier: GPL-2.0-or-later */
/* maps: lines of /proc/PID/maps, a pure parser and an iterator over text,
 * and the file name of a mapping without the kernel's escaping. */
#include "maps.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

/* How the kernel's mangle_path() writes a newline in maps. */
#define NL_ESCAPE "\\012"
#define NL_ESCAPE_LEN (sizeof(NL_ESCAPE) - 1)

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

/* Parse a number in BASE at *p (< end); at least one digit. */
static bool take_num(const char **p, const char *end, unsigned base,
		     uint64_t *ret)
{
	uint64_t v = 0;
	const char *q = *p;

	while (q < end) {
		int d = hexval(*q);

		if (d < 0 || (unsigned)d >= base)
			break;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return false;
		v = v * base + (unsigned)d;
		q++;
	}
	if (q == *p)
		return false;
	*p = q;
	*ret = v;
	return true;
}

static bool take_char(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return false;
	(*p)++;
	return true;
}

int pd_map_parse(const char *line, size_t len, struct pd_map *ret_map)
{
	const char *p = line, *end = line + len;
	struct pd_map m;
	uint64_t maj, min;
	int i;

	memset(&m, 0, sizeof(m));
	/* 7f00-7f10 r-xp 00000000 08:01 1234    /usr/lib/x.so */
	if (!take_num(&p, end, 16, &m.start) || !take_char(&p, end, '-') ||
	    !take_num(&p, end, 16, &m.end) || !take_char(&p, end, ' '))
		return -EINVAL;
	if (end - p < 5)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		static const char want[] = "rwxs";

		if (p[i] == want[i])
			m.perms |= 1u << i;
		else if (!(p[i] == '-' || (i == 3 && p[i] == 'p')))
			return -EINVAL;
	}
	p += 4;
	if (!take_char(&p, end, ' ') || !take_num(&p, end, 16, &m.offset) ||
	    !take_char(&p, end, ' ') || !take_num(&p, end, 16, &maj) ||
	    !take_char(&p, end, ':') || !take_num(&p, end, 16, &min) ||
	    !take_char(&p, end, ' ') || !take_num(&p, end, 10, &m.inode))
		return -EINVAL;
	if (maj > UINT32_MAX || min > UINT32_MAX)
		return -EINVAL;
	m.dev_major = (unsigned)maj;
	m.dev_minor = (unsigned)min;
	/* The kernel pads with spaces up to a column before the path. */
	while (p < end && *p == ' ')
		p++;
	m.path = p;
	m.path_len = (size_t)(end - p);
	*ret_map = m;
	return 0;
}

int pd_map_next(const char **cursor, const char *end, struct pd_map *ret_map)
{
	while (*cursor < end) {
		const char *line = *cursor;
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);

		*cursor = nl ? nl + 1 : end;
		if (pd_map_parse(line, n, ret_map) == 0)
			return 0;
	}
	return 1;
}

void pd_map_files_name(const struct pd_map *map, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%" PRIx64 "-%" PRIx64, map->start, map->end);
}

size_t pd_map_path_decode(const char *path, size_t len, char *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (len - i >= NL_ESCAPE_LEN &&
		    !memcmp(path + i, NL_ESCAPE, NL_ESCAPE_LEN)) {
			out[o++] = '\n';
			i += NL_ESCAPE_LEN;
		} else {
			out[o++] = path[i++];
		}
	}
	return o;
}

/* Does LINK (LINK_LEN bytes), escaped as mangle_path() does, read TEXT? */
static bool escapes_to(const char *link, size_t link_len, const char *text,
		       size_t len)
{
	size_t i, t = 0;

	for (i = 0; i < link_len; i++) {
		if (link[i] == '\n') {
			if (len - t < NL_ESCAPE_LEN ||
			    memcmp(text + t, NL_ESCAPE, NL_ESCAPE_LEN))
				return false;
			t += NL_ESCAPE_LEN;
		} else {
			if (t == len || text[t] != link[i])
				return false;
			t++;
		}
	}
	return t == len;
}

int pd_map_path_read(int pidfd, const struct pd_map *map, char **ret_path,
		     size_t *ret_len)
{
	char name[48], link[PATH_MAX + 64], *out;
	size_t len = map->path_len;
	int n;

	out = malloc(len + 1);
	if (!out)
		return -ENOMEM;
	if (!memmem(map->path, len, NL_ESCAPE, NL_ESCAPE_LEN)) {
		memcpy(out, map->path, len);
		goto out_done;
	}
	snprintf(name, sizeof(name), "map_files/");
	pd_map_files_name(map, name + 10, sizeof(name) - 10);
	n = pd_readlink_at(pidfd, name, link, sizeof(link));
	if (n >= 0 && escapes_to(link, (size_t)n, map->path, len)) {
		/* no longer than the text: each newline was four bytes */
		memcpy(out, link, (size_t)n);
		len = (size_t)n;
		goto out_done;
	}
	len = pd_map_path_decode(map->path, len, out);

out_done:
	out[len] = '\0';
	*ret_path = out;
	*ret_len = len;
	return 0;
}
