/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_numtext_parse() on one-value sysfs files. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v, w;
	char *buf;
	int r, n;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_numtext_parse(buf, size, 10, &v);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r == 0) {
		/* the scanner agrees with the whole-file parser */
		n = pd_numtext_u64(buf, buf + size, &w);
		if (n <= 0 || w != v)
			abort();
	}
	r = pd_numtext_parse(buf, size, 16, &v);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	free(buf);
	return 0;
}
