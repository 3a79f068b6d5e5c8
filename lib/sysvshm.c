/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sysvshm: the System V shared memory segments of /proc/sysvipc/shm. */
#include "sysvshm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

/* Fields of a line: 14 before 4.x, 16 with rss and swap. */
#define NFIELDS_OLD 14
#define NFIELDS 16

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A decimal field, optionally signed; OCT for the perms. */
static bool parse_num(const char *s, size_t n, int base, bool sign,
		      int64_t *ret_s, uint64_t *ret_u)
{
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;

	if (sign && n && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n)
		return false;
	for (; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (d >= (unsigned)base)
			return false;
		if (v > (UINT64_MAX - d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + d;
	}
	if (sign) {
		if (v > (uint64_t)INT64_MAX)
			return false;
		*ret_s = neg ? -(int64_t)v : (int64_t)v;
	}
	*ret_u = v;
	return true;
}

static int parse_line(const char *p, size_t n, struct pd_sysvshm *ret)
{
	struct pd_sysvshm s = { 0 };
	int64_t sv[NFIELDS] = { 0 };
	uint64_t uv[NFIELDS] = { 0 };
	size_t i = 0, nf = 0;

	while (i < n) {
		size_t start;

		while (i < n && is_blank(p[i]))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && !is_blank(p[i]))
			i++;
		if (nf == NFIELDS)
			return -EINVAL;
		/* key is signed; perms octal; the rest unsigned decimal */
		if (!parse_num(p + start, i - start, nf == 2 ? 8 : 10,
			       nf == 0, &sv[nf], &uv[nf]))
			return -EINVAL;
		nf++;
	}
	if (nf != NFIELDS && nf != NFIELDS_OLD)
		return -EINVAL;
	if (sv[0] < INT32_MIN || sv[0] > INT32_MAX || uv[1] > INT32_MAX)
		return -EINVAL;
	s.key = (int32_t)sv[0];
	s.shmid = (int)uv[1];
	s.perms = (unsigned)(uv[2] & 07777);
	if (uv[2] > 07777)
		return -EINVAL;
	s.size = uv[3];
	if (uv[4] > INT32_MAX || uv[5] > INT32_MAX)
		return -EINVAL;
	s.cpid = (pid_t)uv[4];
	s.lpid = (pid_t)uv[5];
	s.nattch = uv[6];
	if (uv[7] > UINT32_MAX || uv[8] > UINT32_MAX || uv[9] > UINT32_MAX ||
	    uv[10] > UINT32_MAX || uv[11] > INT64_MAX || uv[12] > INT64_MAX ||
	    uv[13] > INT64_MAX)
		return -EINVAL;
	s.uid = (uid_t)uv[7];
	s.gid = (gid_t)uv[8];
	s.cuid = (uid_t)uv[9];
	s.cgid = (gid_t)uv[10];
	s.atime = (int64_t)uv[11];
	s.dtime = (int64_t)uv[12];
	s.ctime = (int64_t)uv[13];
	if (nf == NFIELDS) {
		s.has_rss = true;
		s.rss = uv[14];
		s.swap = uv[15];
	}
	*ret = s;
	return 0;
}

int pd_sysvshm_parse(const char *buf, size_t len, struct pd_sysvshm **ret_v,
		     size_t *ret_n, size_t *ret_bad)
{
	const char *p = buf, *end = buf + len, *nl;
	struct pd_sysvshm *v = NULL;
	size_t n = 0, cap = 0, bad = 0, hl, i;
	int r;

	/* The header names its columns: "       key      shmid perms ..." */
	nl = memchr(p, '\n', len);
	hl = nl ? (size_t)(nl - p) : len;
	for (i = 0; i < hl && is_blank(p[i]); i++)
		;
	if (hl - i < 9 || memcmp(p + i, "key", 3) != 0 ||
	    !memmem(p, hl, "shmid", 5))
		return -EINVAL;
	p = nl ? nl + 1 : end;
	while (p < end) {
		struct pd_sysvshm s;
		size_t ln;

		nl = memchr(p, '\n', (size_t)(end - p));
		ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ln == 0) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (parse_line(p, ln, &s) < 0) {
			bad++;
		} else {
			r = pd_array_grow((void **)&v, &cap, n, sizeof(*v));
			if (r < 0) {
				free(v);
				return r;
			}
			v[n++] = s;
		}
		p = nl ? nl + 1 : end;
	}
	*ret_v = v;
	*ret_n = n;
	if (ret_bad)
		*ret_bad = bad;
	return 0;
}

int pd_sysvshm_read(struct pd_procfs *pfs, struct pd_sysvshm **ret_v,
		    size_t *ret_n, size_t *ret_bad)
{
	char *buf;
	size_t len;
	int r;

	r = pd_procfs_read(pfs, "sysvipc/shm", PD_READ_LIMIT, &buf, &len);
	if (r < 0)
		return r;
	r = pd_sysvshm_parse(buf, len, ret_v, ret_n, ret_bad);
	free(buf);
	return r;
}

bool pd_sysvshm_is_dest(const struct pd_sysvshm *shm)
{
	return shm->perms & PD_SHM_DEST;
}

bool pd_sysvshm_is_locked(const struct pd_sysvshm *shm)
{
	return shm->perms & PD_SHM_LOCKED;
}
