/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/xfsspace's parsers on a superblock and AG headers
 * taken from one input (512-byte sectors: sb, AGF, AGI per AG), and the
 * reservation arithmetic over what they accept: never a crash, and each
 * part bounded by the file system's size. */
#include <stdint.h>
#include <stdlib.h>

#include "xfsspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SECT 512

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_xfs_ag ags[8];
	struct pd_xfs_ag_resv r;
	struct pd_xfs_space s;
	struct pd_xfs_sb sb;
	size_t n = 0;
	uint64_t bytes;

	if (pd_xfs_sb_parse(data, size, &sb) < 0)
		return 0;
	if (sb.blocksize < 512 || sb.sectsize > sb.blocksize ||
	    sb.agcount == 0 || sb.inopblock == 0)
		abort();
	while (n < 8 && n < sb.agcount && (3 * n + 3) * SECT <= size) {
		if (pd_xfs_ag_parse(&sb, (uint32_t)n, data + (3 * n + 1) * SECT,
				    SECT, data + (3 * n + 2) * SECT, SECT,
				    &ags[n]) < 0)
			break;
		if (ags[n].length > sb.agblocks)
			abort();
		pd_xfs_ag_resv(&sb, (uint32_t)n, &ags[n], &r);
		/* no btree of an AG outgrows twice the AG */
		if (r.meta_ask > 2 * (uint64_t)ags[n].length ||
		    r.rmap_ask > 2 * (uint64_t)ags[n].length)
			abort();
		n++;
	}
	pd_xfs_space_compute(&sb, ags, n, 0, &s);
	bytes = (uint64_t)sb.agcount * sb.agblocks * sb.blocksize;
	if (s.free > bytes || s.headers > bytes)
		abort();
	return 0;
}
