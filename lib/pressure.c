/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pressure: PSI text (/proc/pressure, memory.pressure): parser, reader. */
#include "pressure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"

/* Two lines of about 60 bytes. */
#define PRESSURE_FILE_MAX 4096

enum {
	HAS_AVG10 = 1,
	HAS_AVG60 = 2,
	HAS_AVG300 = 4,
	HAS_TOTAL = 8,
	HAS_ALL = 15,
};

/* "<digits>.<two digits>" [P, END) into hundredths; false otherwise. */
static bool parse_avg(const char *p, const char *end, uint32_t *ret)
{
	uint64_t ip;
	int n = pd_numtext_u64(p, end, &ip);

	if (n <= 0 || end - (p + n) != 3 || p[n] != '.' ||
	    p[n + 1] < '0' || p[n + 1] > '9' ||
	    p[n + 2] < '0' || p[n + 2] > '9')
		return false;
	if (ip > (UINT32_MAX - 99) / 100)
		return false;
	*ret = (uint32_t)(ip * 100 + (unsigned)(p[n + 1] - '0') * 10 +
			  (unsigned)(p[n + 2] - '0'));
	return true;
}

/* The fields after "some "/"full " in [P, END) into *RET. 0 or -EINVAL. */
static int parse_fields(const char *p, const char *end, struct pd_psi *ret)
{
	struct pd_psi psi = { .present = true };
	unsigned seen = 0;

	while (p < end) {
		const char *tok, *eq, *val;
		uint32_t *avg = NULL;
		unsigned bit = 0;

		while (p < end && *p == ' ')
			p++;
		tok = p;
		while (p < end && *p != ' ')
			p++;
		if (tok == p)
			break;
		eq = memchr(tok, '=', (size_t)(p - tok));
		if (!eq)
			continue;
		val = eq + 1;
#define IS(name) ((size_t)(eq - tok) == sizeof(name) - 1 && \
		  !memcmp(tok, name, sizeof(name) - 1))
		if (IS("avg10")) {
			avg = &psi.avg10;
			bit = HAS_AVG10;
		} else if (IS("avg60")) {
			avg = &psi.avg60;
			bit = HAS_AVG60;
		} else if (IS("avg300")) {
			avg = &psi.avg300;
			bit = HAS_AVG300;
		} else if (IS("total")) {
			int n = pd_numtext_u64(val, p, &psi.total_us);

			if (n <= 0 || val + n != p)
				return -EINVAL;
			seen |= HAS_TOTAL;
			continue;
		} else {
			continue;	/* a field of a later kernel */
		}
#undef IS
		if (!parse_avg(val, p, avg))
			return -EINVAL;
		seen |= bit;
	}
	if (seen != HAS_ALL)
		return -EINVAL;
	*ret = psi;
	return 0;
}

int pd_pressure_parse(const char *buf, size_t len, struct pd_pressure *ret_p)
{
	const char *p = buf, *end = buf + len;
	struct pd_pressure pr;

	memset(&pr, 0, sizeof(pr));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct pd_psi *psi = NULL;

		if (le - p >= 5 && !memcmp(p, "some ", 5))
			psi = &pr.some;
		else if (le - p >= 5 && !memcmp(p, "full ", 5))
			psi = &pr.full;
		if (psi && !psi->present) {
			int r = parse_fields(p + 5, le, psi);

			if (r < 0)
				return r;
		}
		p = nl ? nl + 1 : end;
	}
	if (!pr.some.present && !pr.full.present)
		return -EINVAL;
	*ret_p = pr;
	return 0;
}

int pd_pressure_read_at(int dirfd, const char *name,
			struct pd_pressure *ret_p)
{
	char *buf;
	size_t len;
	int r;

	r = pd_read_at(dirfd, name, PRESSURE_FILE_MAX, &buf, &len);
	if (r < 0)
		return r;
	r = pd_pressure_parse(buf, len, ret_p);
	free(buf);
	return r;
}

int pd_pressure_read(struct pd_procfs *pfs, const char *resource,
		     struct pd_pressure *ret_p)
{
	char name[64];
	int n;

	n = snprintf(name, sizeof(name), "pressure/%s", resource);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -ENAMETOOLONG;
	return pd_pressure_read_at(pd_procfs_rootfd(pfs), name, ret_p);
}
