/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/ext4meta's parsers on a superblock, a group
 * descriptor and inode records taken from one input, and the sums over
 * what they return: never a crash, never a negative (wrapped) count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ext4meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_ext4_meta m;
	struct pd_ext4_geom g;
	struct pd_ext4_inode in;
	uint64_t table, off, before;
	uint32_t ino;
	size_t rest;

	if (pd_ext4_geom_parse(data, size, &g) < 0)
		return 0;
	if (g.block_size < 1024 || g.inode_size < 128 || g.desc_size < 32 ||
	    g.blocks_per_group == 0 || g.inodes_per_group == 0)
		abort();
	/* group counts, backups and offsets are defined for any geometry */
	if (pd_ext4_groups(&g) == 0)
		abort();
	(void)pd_ext4_group_has_super(&g, pd_ext4_groups(&g) - 1);
	(void)pd_ext4_desc_offset(&g, pd_ext4_groups(&g) - 1);
	rest = size - 1024;
	if (pd_ext4_desc_parse(&g, data + 1024, rest, &table) == 0 &&
	    (table == 0 || table >= g.blocks))
		abort();
	memset(&m, 0, sizeof(m));
	for (ino = 1; ino <= 16; ino++) {
		off = 1024 + pd_ext4_inode_offset(&g, ino) % (rest + 1);
		if (pd_ext4_inode_parse(&g, data + off, size - off, &in) < 0)
			continue;
		before = m.total;
		pd_ext4_meta_add(&g, ino, &in, &m);
		if (m.total < before)
			abort();
	}
	return 0;
}
