/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_zfsarc_parse() on arcstats (kstat) text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zfsarc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_zfsarc *arc;
	uint64_t v, sum;
	int64_t s;
	size_t i, j, n;
	char *buf;
	int r, rs;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_zfsarc_parse(buf, size, &arc);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_zfsarc_count(arc);
		for (i = 0; i < n; i++) {
			const char *name = pd_zfsarc_name(arc, i);

			if (!*name || strpbrk(name, " \t\n") ||
			    !memmem(buf, size, name, strlen(name)))
				abort();
			for (j = 0; j < i; j++)
				if (!strcmp(name, pd_zfsarc_name(arc, j)))
					abort();
			r = pd_zfsarc_get(arc, name, &v);
			rs = pd_zfsarc_get_signed(arc, name, &s);
			/* one of the two can say it, and they agree */
			if (r == 0 && rs == 0 && (uint64_t)s != v)
				abort();
			if (r < 0 && (rs < 0 || s >= 0))
				abort();
			if (rs < 0 && (r < 0 || v <= INT64_MAX))
				abort();
		}
		r = pd_zfsarc_parts(arc, &sum);
		if (r != 0 && r != -ENOENT && r != -ERANGE)
			abort();
		pd_zfsarc_free(arc);
	}
	free(buf);
	return 0;
}
