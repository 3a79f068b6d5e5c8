/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_smaps_parse() and the pd_smaps_next() iterator on
 * smaps and smaps_rollup text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_smaps whole, sum, sm;
	const char *cur, *end;
	struct pd_map m;
	size_t n = 0;
	char *buf;
	int r, rw;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	rw = pd_smaps_parse(buf, size, &whole);
	if (rw != 0 && rw != -ENODATA && rw != -EINVAL)
		abort();
	if (rw == 0 && (whole.rss % 1024 || whole.pss % 1024 ||
			whole.swap % 1024))
		abort();

	memset(&sum, 0, sizeof(sum));
	cur = buf;
	end = buf + size;
	while ((r = pd_smaps_next(&cur, end, &m, &sm)) != 1) {
		if (r != 0 && r != -EINVAL)
			abort();
		if (cur < buf || cur > end || ++n > size)
			abort();
		if (r < 0)
			continue;
		if (m.path < buf || m.path + m.path_len > end ||
		    memchr(m.path, '\n', m.path_len))
			abort();
		pd_smaps_add(&sum, &sm);
	}
	if (cur != end)
		abort();
	/*
	 * Every field line after the first header is in exactly one block:
	 * when the whole text parses and no block failed, the blocks add up
	 * to it, but for lines before the first header (not in any block).
	 */
	if (rw == 0 && sum.rss > whole.rss)
		abort();
	free(buf);
	return 0;
}
