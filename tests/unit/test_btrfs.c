/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/btrfs's parsers and accounting on the ioctl result
 * buffers of a real 1 GiB btrfs (tests/fixtures/btrfs/reflink-zstd, see
 * the README there): a 4 MiB file and its reflinked copy, a 6-byte inline
 * file, 1 MiB of zstd-compressible text, and a subvolume with 1 MiB. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btrfs.h"

#define FIX PD_FIXTURES_DIR "/btrfs/reflink-zstd/"
#define MiB (1024ull * 1024)

struct blob {
	unsigned char b[8192];
	size_t len;
};

static void load(const char *name, struct blob *bl)
{
	char p[512];
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), FIX "%s", name);
	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, bl->b, sizeof(bl->b));
	assert_true(n > 0 && (size_t)n < sizeof(bl->b));
	bl->len = (size_t)n;
	close(fd);
}

/* The fs tree's items fed to a new accumulator, finished into *U. */
static struct pd_btrfs_refs *refs_of(struct pd_btrfs_usage *u)
{
	struct pd_btrfs_refs *r;
	struct pd_btrfs_item it;
	struct blob bl;
	size_t pos = 0, n = 0;
	int e;

	load("fstree.bin", &bl);
	assert_int_equal(pd_btrfs_refs_new(4096, &r), 0);
	while ((e = pd_btrfs_search_next(bl.b, bl.len, &pos, &it)) == 0) {
		assert_int_equal(pd_btrfs_refs_add(r, &it), 0);
		n++;
	}
	assert_int_equal(e, 1);
	assert_int_equal(n, 31);
	assert_int_equal(pd_btrfs_refs_finish(r, u), 0);
	return r;
}

static void test_btrfs_space_parse_is_what_btrfs_fi_df_prints(void **state)
{
	struct pd_btrfs_space s;
	struct blob bl;

	(void)state;
	load("space.bin", &bl);
	assert_int_equal(pd_btrfs_space_parse(bl.b, bl.len, &s), 0);
	/* Data, single: total=125829120, used=5275648; System, DUP:
	 * total=8388608, used=16384; Metadata, DUP: total=53673984,
	 * used=147456; GlobalReserve, single: total=5767168 */
	assert_int_equal(s.total[PD_BTRFS_DATA], 125829120);
	assert_int_equal(s.used[PD_BTRFS_DATA], 5275648);
	assert_int_equal(s.used[PD_BTRFS_SYSTEM], 16384);
	assert_int_equal(s.disk_used[PD_BTRFS_SYSTEM], 32768);
	assert_int_equal(s.total[PD_BTRFS_METADATA], 53673984);
	assert_int_equal(s.disk_used[PD_BTRFS_METADATA], 2 * 147456);
	assert_string_equal(pd_btrfs_profile_name(s.profile[PD_BTRFS_METADATA]),
			    "DUP");
	assert_string_equal(pd_btrfs_profile_name(s.profile[PD_BTRFS_DATA]),
			    "single");
	assert_int_equal(s.global_rsv, 5767168);
	assert_false(s.mixed);
	/* df -B1 said used 11370496 */
	assert_int_equal(pd_btrfs_df_used(&s, 4096), 11370496);
	assert_int_equal(pd_btrfs_space_parse(bl.b, bl.len - 1, &s), -EINVAL);
}

static void test_btrfs_ncopies_follow_the_raid_profile(void **state)
{
	(void)state;
	assert_int_equal(pd_btrfs_ncopies(0), 1);
	assert_int_equal(pd_btrfs_ncopies(1ull << 5), 2);	/* DUP */
	assert_int_equal(pd_btrfs_ncopies(1ull << 4), 2);	/* RAID1 */
	assert_int_equal(pd_btrfs_ncopies(1ull << 6), 2);	/* RAID10 */
	assert_int_equal(pd_btrfs_ncopies(1ull << 9), 3);	/* RAID1C3 */
	assert_int_equal(pd_btrfs_ncopies(1ull << 10), 4);	/* RAID1C4 */
	assert_int_equal(pd_btrfs_ncopies(1ull << 7), 1);	/* RAID5 */
	assert_int_equal(pd_btrfs_ncopies(1ull << 3), 1);	/* RAID0 */
}

static void test_btrfs_chunk_parse_counts_each_copy(void **state)
{
	struct pd_btrfs_chunk c;
	struct pd_btrfs_item it;
	struct blob bl;
	size_t pos = 0;
	uint64_t len = 0, raw = 0;

	(void)state;
	load("chunks.bin", &bl);
	while (pd_btrfs_search_next(bl.b, bl.len, &pos, &it) == 0) {
		assert_int_equal(pd_btrfs_chunk_parse(&it, &c), 0);
		len += c.length;
		raw += c.raw;
		if (c.type & 1)		/* data, single */
			assert_int_equal(c.raw, c.length);
		else			/* metadata and system, DUP */
			assert_int_equal(c.raw, 2 * c.length);
	}
	/* the chunks are what space info says is allocated */
	assert_int_equal(len, 125829120ull + 8388608 + 53673984);
	assert_int_equal(raw, 125829120ull + 2 * (8388608ull + 53673984));
}

/* du -sxB1 said 9457664: a and b 4 MiB each, z 1 MiB (compressed to
 * 32 KiB: compsize's zstd line), s inline (one sector), the root
 * directory 16 KiB. */
static void test_btrfs_refs_split_du_into_its_causes(void **state)
{
	struct pd_btrfs_usage u;
	struct pd_btrfs_refs *r;

	(void)state;
	r = refs_of(&u);
	assert_int_equal(u.du, 9457664);
	assert_int_equal(u.refd, 9 * MiB);
	/* a in one extent, z in eight: compressed extents hold 128 KiB */
	assert_int_equal(u.extents, 9);
	assert_int_equal(u.disk, 4 * MiB + 32768);
	assert_int_equal(u.ram, 5 * MiB);
	assert_int_equal(u.covered, 5 * MiB);
	assert_int_equal(u.shared, 4 * MiB);
	assert_int_equal(u.unreferenced, 0);
	assert_int_equal(u.compressed, 1 * MiB - 32768);
	assert_int_equal(u.inline_du, 4096);
	assert_int_equal(u.dirs, 16384);
	assert_int_equal(u.orphans, 0);
	assert_int_equal(u.files, 4);
	assert_int_equal(u.du, u.refd + u.inline_du + u.dirs);
	pd_btrfs_refs_free(r);
}

/* df -B1 used 11370496 less du 9457664 is 1912832, named: */
static void test_btrfs_gap_adds_and_subtracts_to_df_minus_du(void **state)
{
	struct pd_btrfs_usage u;
	struct pd_btrfs_space s;
	struct pd_btrfs_refs *r;
	struct pd_btrfs_item it;
	struct pd_btrfs_gap g;
	struct blob bl;
	uint64_t total = 0, other = 0;
	size_t pos = 0;
	bool data;

	(void)state;
	r = refs_of(&u);
	load("extents.bin", &bl);
	while (pd_btrfs_search_next(bl.b, bl.len, &pos, &it) == 0) {
		if (pd_btrfs_extent_item_parse(&it, &data) < 0 || !data)
			continue;
		total += it.offset;
		if (!pd_btrfs_refs_has(r, it.objectid))
			other += it.offset;
	}
	/* the subvolume's 1 MiB is another tree's */
	assert_int_equal(total, 5275648);
	assert_int_equal(other, 1 * MiB);
	load("space.bin", &bl);
	assert_int_equal(pd_btrfs_space_parse(bl.b, bl.len, &s), 0);
	pd_btrfs_gap_compute(&s, &u, other, 4096, &g);
	assert_int_equal(g.used, 11370496);
	assert_int_equal(g.metadata, 294912);
	assert_int_equal(g.system, 32768);
	assert_int_equal(g.global_rsv, 5767168);
	assert_int_equal(g.rounding, 0);
	assert_int_equal((int64_t)(g.used - g.du), 1912832);
	assert_int_equal((int64_t)(g.metadata + g.system + g.global_rsv +
				   g.other + g.unreferenced) -
			 (int64_t)(g.shared + g.compressed + g.inline_du +
				   g.dirs), 1912832);
	pd_btrfs_refs_free(r);
}

/* A reference into the middle of an extent whose start no file covers
 * any more: the first MiB of a 4 MiB extent is "unreferenced". */
static void test_btrfs_refs_union_finds_unreferenced_parts(void **state)
{
	unsigned char buf[2][32 + 53];
	struct pd_btrfs_usage u;
	struct pd_btrfs_refs *r;
	struct pd_btrfs_item it;
	uint64_t v;
	int i;

	(void)state;
	assert_int_equal(pd_btrfs_refs_new(4096, &r), 0);
	for (i = 0; i < 2; i++) {
		memset(buf[i], 0, sizeof(buf[i]));
		it = (struct pd_btrfs_item){ .objectid = 257 + i, .type = 108,
					     .len = 53, .data = buf[i] + 32 };
		v = htole64(4 * MiB);	/* ram_bytes */
		memcpy(buf[i] + 32 + 8, &v, 8);
		buf[i][32 + 20] = 1;	/* regular */
		v = htole64(1 << 30);	/* disk_bytenr */
		memcpy(buf[i] + 32 + 21, &v, 8);
		v = htole64(4 * MiB);	/* disk_num_bytes */
		memcpy(buf[i] + 32 + 29, &v, 8);
		v = htole64((1 + i) * MiB);	/* offset: 1 MiB, 2 MiB */
		memcpy(buf[i] + 32 + 37, &v, 8);
		v = htole64(2 * MiB);	/* num_bytes */
		memcpy(buf[i] + 32 + 45, &v, 8);
		assert_int_equal(pd_btrfs_refs_add(r, &it), 0);
	}
	/* an extent of 8 GiB is no btrfs extent (128 MiB at most) */
	v = htole64(8ull << 30);
	memcpy(buf[0] + 32 + 8, &v, 8);
	it.data = buf[0] + 32;
	assert_int_equal(pd_btrfs_refs_add(r, &it), -EINVAL);
	assert_int_equal(pd_btrfs_refs_finish(r, &u), 0);
	/* [1, 3) and [2, 4) MiB: 3 MiB covered, 1 MiB twice, 1 MiB by none */
	assert_int_equal(u.refd, 4 * MiB);
	assert_int_equal(u.covered, 3 * MiB);
	assert_int_equal(u.shared, 1 * MiB);
	assert_int_equal(u.unreferenced, 1 * MiB);
	assert_true(pd_btrfs_refs_has(r, 1 << 30));
	assert_false(pd_btrfs_refs_has(r, 1 << 29));
	pd_btrfs_refs_free(r);
}

static void test_btrfs_search_next_refuses_what_does_not_fit(void **state)
{
	struct pd_btrfs_item it;
	struct blob bl;
	size_t pos = 0;

	(void)state;
	load("fstree.bin", &bl);
	/* a header cut short, then an item cut short */
	assert_int_equal(pd_btrfs_search_next(bl.b, 20, &pos, &it), -EINVAL);
	assert_int_equal(pos, 0);
	assert_int_equal(pd_btrfs_search_next(bl.b, 33, &pos, &it), -EINVAL);
	assert_int_equal(pd_btrfs_search_next(bl.b, bl.len, &pos, &it), 0);
	assert_int_equal(it.objectid, 256);
	assert_int_equal(it.type, 1);
	assert_int_equal(pos, 32 + it.len);
	/* an item of the wrong kind is refused by each parser */
	{
		struct pd_btrfs_file_extent fe;
		struct pd_btrfs_chunk c;
		bool d;

		assert_int_equal(pd_btrfs_file_extent_parse(&it, &fe), -EINVAL);
		assert_int_equal(pd_btrfs_chunk_parse(&it, &c), -EINVAL);
		assert_int_equal(pd_btrfs_extent_item_parse(&it, &d), -EINVAL);
	}
}

/* tests/fixtures/btrfs/subvols/roots.bin: the root tree's ROOT_ITEM to
 * ROOT_BACKREF keys of subvolume sv, sv/dir/inner, a read-only snapshot
 * ro of sv and a snapshot rw; btrfs subvolume list said "ID 256 ... top
 * level 5 path sv", "ID 257 ... top level 256 path sv/dir/inner", "ID 258
 * ... top level 5 path ro", "ID 259 ... top level 5 path rw". */
static void test_btrfs_subvol_parse_tells_snapshots_and_read_only(void **state)
{
	struct pd_btrfs_subvol sv[4];
	struct pd_btrfs_item it;
	int fd;
	ssize_t n;
	unsigned char b[4096];
	size_t pos = 0, k = 0;

	(void)state;
	fd = open(PD_FIXTURES_DIR "/btrfs/subvols/roots.bin", O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, b, sizeof(b));
	close(fd);
	assert_true(n > 0);
	memset(sv, 0, sizeof(sv));
	while (pd_btrfs_search_next(b, (size_t)n, &pos, &it) == 0) {
		if (it.type != 132 && it.type != 144) {
			/* the ROOT_REF of 256 to 257 is no subvolume's item */
			assert_int_equal(pd_btrfs_subvol_parse(&it, &sv[0]),
					 -EINVAL);
			continue;
		}
		if (it.type == 132)
			k++;
		assert_true(k >= 1 && k <= 4);
		assert_int_equal(pd_btrfs_subvol_parse(&it, &sv[k - 1]), 0);
	}
	assert_int_equal(k, 4);
	assert_int_equal(sv[0].id, 256);
	assert_int_equal(sv[0].parent, 5);
	assert_string_equal(sv[0].name, "sv");
	assert_false(sv[0].snapshot);
	assert_false(sv[0].readonly);
	assert_int_equal(sv[1].id, 257);
	assert_int_equal(sv[1].parent, 256);
	assert_string_equal(sv[1].name, "inner");
	assert_int_equal(sv[2].id, 258);
	assert_string_equal(sv[2].name, "ro");
	assert_true(sv[2].snapshot);
	assert_true(sv[2].readonly);
	assert_int_equal(sv[3].id, 259);
	assert_string_equal(sv[3].name, "rw");
	assert_true(sv[3].snapshot);
	assert_false(sv[3].readonly);
	assert_false(sv[3].deleted);
}

/* A tree with no file extents (an empty subvolume) sums to nothing. */
static void test_btrfs_refs_of_no_extents_is_zero(void **state)
{
	struct pd_btrfs_usage u;
	struct pd_btrfs_refs *r;

	(void)state;
	assert_int_equal(pd_btrfs_refs_new(4096, &r), 0);
	assert_int_equal(pd_btrfs_refs_finish(r, &u), 0);
	assert_int_equal(u.extents, 0);
	assert_int_equal(u.du, 0);
	assert_false(pd_btrfs_refs_has(r, 0));
	pd_btrfs_refs_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_btrfs_space_parse_is_what_btrfs_fi_df_prints),
		cmocka_unit_test(test_btrfs_ncopies_follow_the_raid_profile),
		cmocka_unit_test(test_btrfs_chunk_parse_counts_each_copy),
		cmocka_unit_test(test_btrfs_refs_split_du_into_its_causes),
		cmocka_unit_test(test_btrfs_gap_adds_and_subtracts_to_df_minus_du),
		cmocka_unit_test(test_btrfs_refs_union_finds_unreferenced_parts),
		cmocka_unit_test(test_btrfs_search_next_refuses_what_does_not_fit),
		cmocka_unit_test(test_btrfs_subvol_parse_tells_snapshots_and_read_only),
		cmocka_unit_test(test_btrfs_refs_of_no_extents_is_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
