/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/dfparts: FSSPECIFIC's parts from what the readers
 * measured, and the interval arithmetic of the parts that are unknown. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "dfparts.h"

#define MiB (1024ll * 1024)

static void test_dfbound_sub_opens_the_end_an_open_end_needs(void **state)
{
	struct pd_dfbound gap = pd_dfbound_exact(100);
	struct pd_dfbound atleast = { .has_min = true, .min = 30 };
	struct pd_dfbound r;

	(void)state;
	/* 100 - [30, open) = (open, 70] */
	r = pd_dfbound_sub(gap, atleast);
	assert_false(r.has_min);
	assert_true(r.has_max);
	assert_int_equal(r.max, 70);
	/* [1, 5] + [10, 20] = [11, 25] */
	r = pd_dfbound_add((struct pd_dfbound){ true, true, 1, 5 },
			   (struct pd_dfbound){ true, true, 10, 20 });
	assert_int_equal(r.min, 11);
	assert_int_equal(r.max, 25);
	/* saturated, never wrapped */
	r = pd_dfbound_sub(pd_dfbound_exact(INT64_MIN + 1),
			   pd_dfbound_exact(10));
	assert_int_equal(r.min, INT64_MIN);
}

/* ext4: the internal inodes are the parts; the journal and the reserved
 * GDT blocks are evidence, never added (outside f_blocks). */
static void test_dfparts_ext4_adds_inodes_and_shows_the_journal(void **state)
{
	struct pd_ext4_meta m = { 0 };
	struct pd_dfparts ps = { 0 };
	struct pd_dfbound b;
	enum pd_dfwhy why;
	int64_t known;

	(void)state;
	m.bytes[PD_EXT4_META_RESIZE] = 4096;
	m.bytes[PD_EXT4_META_ORPHAN] = 262144;
	m.total = 4096 + 262144;
	m.journal_size = 32 * MiB;
	m.overhead_gdt = 2621440;
	assert_int_equal(pd_dfparts_ext4(&ps, &m), 0);
	assert_int_equal(ps.n, 4);
	assert_string_equal(ps.v[0].what, "resize inode");
	assert_int_equal(ps.v[0].bytes, 4096);
	assert_string_equal(ps.v[1].what, "orphan file");
	assert_true(ps.v[2].info);
	assert_string_equal(ps.v[2].what, "journal");
	assert_int_equal(ps.v[2].bytes, 32 * MiB);
	assert_true(ps.v[3].info);
	pd_dfparts_sum(&ps, &known, &why, &b);
	assert_int_equal(known, 4096 + 262144);
	assert_int_equal(why, PD_DF_KNOWN);
	assert_int_equal(b.min, 4096 + 262144);
	assert_int_equal(b.max, 4096 + 262144);
	pd_dfparts_release(&ps);
	assert_int_equal(ps.n, 0);
}

/* XFS: when the AG headers agree with statfs's free count no evidence is
 * added; when they lag, a row says by how much. */
static void test_dfparts_xfs_says_when_the_ag_headers_lag(void **state)
{
	struct pd_xfs_space s = {
		.headers = 16384, .btrees = 81920, .inodes = 32768,
		.ag_resv_meta = 7 * MiB, .set_aside = 131072,
		.resblks = 32 * MiB, .free = 900 * MiB, .exact = true,
		.log = 64 * MiB,
	};
	struct pd_statvfs v = { .frsize = 4096 };
	struct pd_dfparts ps = { 0 };
	struct pd_dfbound b;
	enum pd_dfwhy why;
	int64_t known;

	(void)state;
	v.bfree = (uint64_t)(s.free - s.ag_resv_meta - s.set_aside -
			     s.resblks) / 4096;
	assert_int_equal(pd_dfparts_xfs(&ps, &s, &v), 0);
	/* eight parts and the log */
	assert_int_equal(ps.n, 9);
	assert_true(ps.v[8].info);
	pd_dfparts_sum(&ps, &known, &why, &b);
	assert_int_equal(known, 16384 + 81920 + 32768 + 7 * MiB + 131072 +
			 32 * MiB);
	pd_dfparts_release(&ps);
	/* the live counters freed 1 MiB the headers do not know yet */
	v.bfree += 256;
	assert_int_equal(pd_dfparts_xfs(&ps, &s, &v), 0);
	assert_int_equal(ps.n, 10);
	assert_string_equal(ps.v[9].what, "stale AG headers");
	assert_int_equal(ps.v[9].bytes, -MiB);
	assert_non_null(strstr(ps.v[9].note, "1M less free"));
	pd_dfparts_release(&ps);
}

/* btrfs as a user: space info's parts exact; other subvolumes' data and
 * unreferenced parts at least 0; the compression saving between minus
 * the encoded bytes and 0; shared extents and inline files from FIEMAP. */
static void test_dfparts_btrfs_without_root_is_an_interval(void **state)
{
	struct pd_btrfs_space s = { 0 };
	struct pd_walk_extents x = { 0 };
	struct pd_dfparts ps = { 0 };
	struct pd_dfbound b;
	enum pd_dfwhy why;
	int64_t known;

	(void)state;
	s.used[PD_BTRFS_DATA] = 50 * MiB;
	s.disk_used[PD_BTRFS_DATA] = 50 * MiB;
	s.used[PD_BTRFS_METADATA] = 1 * MiB;
	s.disk_used[PD_BTRFS_METADATA] = 2 * MiB;	/* DUP */
	s.global_rsv = 5 * MiB;
	x.sum.excess = 40 * MiB;
	x.sum.encoded = 16 * MiB;
	x.inline_alloc = 4096;
	assert_int_equal(pd_dfparts_btrfs_space(&ps, &s, 4096, &x, 16384,
						PD_DF_NEEDS_ROOT, 1), 0);
	pd_dfparts_sum(&ps, &known, &why, &b);
	assert_int_equal(why, PD_DF_NEEDS_ROOT);
	/* metadata x2 + reserve - shared - inline - directories */
	assert_int_equal(known, 2 * MiB + 5 * MiB - 40 * MiB - 4096 - 16384);
	/* the least: the compression saving all of the encoded bytes */
	assert_true(b.has_min);
	assert_int_equal(b.min, known - 16 * MiB);
	/* no most: other subvolumes' data may be anything */
	assert_false(b.has_max);
	pd_dfparts_release(&ps);
}

/* btrfs as root: each cause of the gap as a part, signed. */
static void test_dfparts_btrfs_causes_are_signed(void **state)
{
	struct pd_btrfs_space s = { 0 };
	struct pd_btrfs_gap g = {
		.metadata = 458752, .system = 32768, .global_rsv = 5767168,
		.other = 30 * MiB, .shared = 20 * MiB, .inline_du = 4096,
		.dirs = 16384,
	};
	struct pd_dfparts ps = { 0 };
	struct pd_dfbound b;
	enum pd_dfwhy why;
	int64_t known;

	(void)state;
	assert_int_equal(pd_dfparts_btrfs(&ps, &s, &g), 0);
	/* no rounding row when there is none */
	assert_int_equal(ps.n, 9);
	pd_dfparts_sum(&ps, &known, &why, &b);
	assert_int_equal(why, PD_DF_KNOWN);
	assert_int_equal(known, 458752 + 32768 + 5767168 + 30 * MiB -
			 20 * MiB - 4096 - 16384);
	assert_int_equal(ps.v[5].bytes, -20 * MiB);
	pd_dfparts_release(&ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfbound_sub_opens_the_end_an_open_end_needs),
		cmocka_unit_test(test_dfparts_ext4_adds_inodes_and_shows_the_journal),
		cmocka_unit_test(test_dfparts_xfs_says_when_the_ag_headers_lag),
		cmocka_unit_test(test_dfparts_btrfs_without_root_is_an_interval),
		cmocka_unit_test(test_dfparts_btrfs_causes_are_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
