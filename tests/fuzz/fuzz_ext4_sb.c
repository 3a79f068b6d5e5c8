/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_ext4_sb_parse() on a superblock's 1024 bytes, and
 * the reserve split over what it returns. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "fsspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_statvfs v = { .frsize = 4096, .blocks = 1000, .bfree = 500,
				.bavail = 100 };
	struct pd_ext4_reserve res;
	struct pd_ext4_sb sb;
	int r;

	r = pd_ext4_sb_parse(data, size, &sb);
	if (r != 0 && r != -EINVAL)
		abort();
	if (r < 0)
		return 0;
	if (size < PD_EXT4_SB_SIZE)
		abort();
	/* 1 KiB to 64 KiB, a power of two; clusters no smaller */
	if (sb.block_size < 1024 || sb.block_size > 65536 ||
	    (sb.block_size & (sb.block_size - 1)))
		abort();
	if (sb.cluster_size < sb.block_size ||
	    (sb.cluster_size & (sb.cluster_size - 1)))
		abort();
	if (pd_ext4_reserve_split(&v, &sb, size, &res) &&
	    res.root + res.kernel != (v.bfree - v.bavail) * v.frsize)
		abort();
	return 0;
}
