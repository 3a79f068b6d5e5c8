/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: FS_IOC_FIEMAP results (struct fiemap and its
 * extents) through pd_fiemap_parse(), the input cut into up to four
 * results, and the sums: never a crash, the excess never more than what
 * is shared. */
#include <stdint.h>
#include <stdlib.h>

#include "fiemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_fiemap_sum s;
	struct pd_fiemap *f;
	size_t q = size / 4, i;
	uint64_t next;
	bool last;

	if (pd_fiemap_new(&f) < 0)
		return 0;
	for (i = 0; i < 4; i++)
		(void)pd_fiemap_parse(f, data + i * q, i == 3 ? size - 3 * q : q,
				      &next, &last);
	pd_fiemap_finish(f, &s);
	/* without overflow of the sums, each shared byte is at most once */
	if (s.shared >= s.shared_once && s.excess != s.shared - s.shared_once)
		abort();
	pd_fiemap_free(f);
	return 0;
}
