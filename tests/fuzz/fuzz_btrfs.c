/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: a tree search result buffer through
 * pd_btrfs_search_next(), every item through every lib/btrfs parser and
 * the reference accounting, and the same bytes as space info: a
 * malformed buffer never crashes, and the sums keep their invariants. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "btrfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_btrfs_refs *r;
	struct pd_btrfs_usage u;
	struct pd_btrfs_space s;
	struct pd_btrfs_item it;
	struct pd_btrfs_gap g;
	size_t pos = 0, last = 0;
	int e;

	if (pd_btrfs_space_parse(data, size, &s) == 0)
		(void)pd_btrfs_df_used(&s, 4096);
	if (pd_btrfs_refs_new(4096, &r) < 0)
		return 0;
	while ((e = pd_btrfs_search_next(data, size, &pos, &it)) == 0) {
		struct pd_btrfs_file_extent fe;
		struct pd_btrfs_qgroup q;
		struct pd_btrfs_chunk c;
		struct pd_btrfs_inode in;
		struct pd_btrfs_subvol sv = { 0 };
		bool d;

		if (pos <= last || pos > size)
			abort();
		last = pos;
		if (it.data < data || it.data + it.len > data + size)
			abort();
		if (pd_btrfs_chunk_parse(&it, &c) == 0 &&
		    (c.num_stripes == 0 || c.raw < c.length / c.num_stripes))
			abort();
		if (pd_btrfs_file_extent_parse(&it, &fe) == 0 &&
		    fe.disk_bytenr && fe.offset + fe.num_bytes > fe.ram_bytes)
			abort();
		(void)pd_btrfs_inode_parse(&it, &in);
		(void)pd_btrfs_extent_item_parse(&it, &d);
		(void)pd_btrfs_qgroup_parse(&it, &q);
		if (pd_btrfs_subvol_parse(&it, &sv) == 0 &&
		    memchr(sv.name, '\0', sizeof(sv.name)) == NULL)
			abort();
		if (pd_btrfs_refs_add(r, &it) < 0)
			break;
	}
	if (e < 0 && pos > size)
		abort();
	if (pd_btrfs_refs_finish(r, &u) == 0) {
		if (u.covered > u.refd || u.covered > u.ram)
			abort();
		if (u.shared != u.refd - u.covered ||
		    u.unreferenced != u.ram - u.covered)
			abort();
		pd_btrfs_space_parse(data, size, &s) == 0 ?
			pd_btrfs_gap_compute(&s, &u, 0, 4096, &g) : (void)0;
	}
	pd_btrfs_refs_free(r);
	return 0;
}
