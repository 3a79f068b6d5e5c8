/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_zoneinfo_parse() on /proc/zoneinfo text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zoneinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_zoneinfo *zi;
	struct pd_zonenode t;
	size_t i, n;
	char *buf;
	int r;

	/* no NUL at the end: the parser must stop at LEN by itself */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_zoneinfo_parse(buf, size, &zi);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_zoneinfo_count(zi);
		if (!n)
			abort();
		for (i = 1; i < n; i++)
			if (pd_zoneinfo_node(zi, i)->node <=
			    pd_zoneinfo_node(zi, i - 1)->node)
				abort();
		pd_zoneinfo_total(zi, &t);
		if (pd_zoneinfo_node(zi, n))
			abort();
		pd_zoneinfo_free(zi);
	}
	free(buf);
	return 0;
}
