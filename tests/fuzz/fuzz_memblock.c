/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_memblock_state_parse() on a memory block's state. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memblock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_memblock_state_parse(buf, size);
	if (r != -EINVAL && r != PD_MEMBLOCK_ONLINE && r != PD_MEMBLOCK_OFFLINE &&
	    r != PD_MEMBLOCK_GOING_OFFLINE)
		abort();
	/* only the three words, with at most one newline */
	if (r >= 0 && (size < 6 || size > 14 || !memchr(buf, 'l', size)))
		abort();
	free(buf);
	return 0;
}
