/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/fsspace: df arithmetic and ext4's reserves on values
 * captured from a real file system (1 GiB ext4 made by mkfs.ext4 1.47.0,
 * defaults; tests/fixtures/dfdu/ext4-sb.bin is its superblock). */
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
#include <sys/statvfs.h>
#include <unistd.h>

#include "fsspace.h"
#include "procfs.h"

#define SB_FILE PD_FIXTURES_DIR "/dfdu/ext4-sb.bin"

/* stat -f of that file system, freshly mounted: df -B1 printed
 * "1020702720 24576 950214656". */
static const struct pd_statvfs fresh = {
	.frsize = 4096, .blocks = 249195, .bfree = 249189, .bavail = 231986,
	.files = 65536, .ffree = 65525,
};

static void load_sb(unsigned char *buf)
{
	int fd = open(SB_FILE, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, PD_EXT4_SB_SIZE), PD_EXT4_SB_SIZE);
	close(fd);
}

static void test_fsspace_compute_matches_df_B1(void **state)
{
	struct pd_fsspace s;

	(void)state;
	pd_fsspace_compute(&fresh, &s);
	assert_int_equal(s.size, 1020702720);
	assert_int_equal(s.used, 24576);
	assert_int_equal(s.avail, 950214656);
	assert_int_equal(s.reserved, (249189 - 231986) * 4096ull);
	assert_int_equal(s.size - s.used - s.avail, s.reserved);
	assert_int_equal(s.inodes, 65536);
	assert_int_equal(s.iused, 11);
}

static void test_fsspace_compute_never_underflows(void **state)
{
	struct pd_statvfs v = { .frsize = 512, .blocks = 10, .bfree = 12,
				.bavail = 20, .files = 1, .ffree = 5 };
	struct pd_fsspace s;

	(void)state;
	pd_fsspace_compute(&v, &s);
	assert_int_equal(s.used, 0);
	assert_int_equal(s.reserved, 0);
	assert_int_equal(s.iused, 0);
}

static void test_ext4_sb_parse_reads_what_dumpe2fs_prints(void **state)
{
	unsigned char buf[PD_EXT4_SB_SIZE];
	struct pd_ext4_sb sb;

	(void)state;
	load_sb(buf);
	assert_int_equal(pd_ext4_sb_parse(buf, sizeof(buf), &sb), 0);
	/* dumpe2fs -h: Block count 262144, Reserved block count 13107,
	 * Free blocks 249189, Overhead clusters 12949, Block size 4096 */
	assert_int_equal(sb.block_size, 4096);
	assert_int_equal(sb.cluster_size, 4096);
	assert_int_equal(sb.blocks, 262144);
	assert_int_equal(sb.r_blocks, 13107);
	assert_int_equal(sb.free_blocks, 249189);
	assert_int_equal(sb.overhead, 12949);
	/* f_blocks is the block count less the overhead */
	assert_int_equal(sb.blocks - sb.overhead, fresh.blocks);
}

static void test_ext4_sb_parse_refuses_no_magic_and_short(void **state)
{
	unsigned char buf[PD_EXT4_SB_SIZE];
	struct pd_ext4_sb sb;

	(void)state;
	load_sb(buf);
	assert_int_equal(pd_ext4_sb_parse(buf, 1023, &sb), -EINVAL);
	buf[0x38] = 0;
	assert_int_equal(pd_ext4_sb_parse(buf, sizeof(buf), &sb), -EINVAL);
	load_sb(buf);
	buf[0x18] = 7;	/* 128 KiB blocks do not exist */
	assert_int_equal(pd_ext4_sb_parse(buf, sizeof(buf), &sb), -EINVAL);
}

static void test_ext4_reserve_split_adds_up_to_bfree_minus_bavail(void **state)
{
	unsigned char buf[PD_EXT4_SB_SIZE];
	struct pd_ext4_reserve res;
	struct pd_ext4_sb sb;

	(void)state;
	load_sb(buf);
	assert_int_equal(pd_ext4_sb_parse(buf, sizeof(buf), &sb), 0);
	/* /sys/fs/ext4/loop0/reserved_clusters was 4096: min(2%, 4096) */
	assert_true(pd_ext4_reserve_split(&fresh, &sb, 4096, &res));
	assert_int_equal(res.root, 13107 * 4096ull);
	assert_int_equal(res.kernel, 4096 * 4096ull);
	assert_int_equal(res.root + res.kernel,
			 (fresh.bfree - fresh.bavail) * fresh.frsize);
}

static void test_ext4_reserve_split_is_inexact_when_bavail_is_clipped(void **state)
{
	unsigned char buf[PD_EXT4_SB_SIZE];
	struct pd_statvfs full = fresh;
	struct pd_ext4_reserve res;
	struct pd_ext4_sb sb;

	(void)state;
	load_sb(buf);
	assert_int_equal(pd_ext4_sb_parse(buf, sizeof(buf), &sb), 0);
	/* ext4_statfs: bfree < r_blocks + resv gives bavail 0 */
	full.bfree = 10000;
	full.bavail = 0;
	assert_false(pd_ext4_reserve_split(&full, &sb, 4096, &res));
	assert_int_equal(res.root, 13107 * 4096ull);
	/* a kernel reserve that disagrees is said to */
	assert_false(pd_ext4_reserve_split(&fresh, &sb, 4095, &res));
}

static void test_ext4_resv_parse(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(pd_ext4_resv_parse("4096\n", 5, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pd_ext4_resv_parse("0", 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pd_ext4_resv_parse("", 0, &v), -EINVAL);
	assert_int_equal(pd_ext4_resv_parse("12x\n", 4, &v), -EINVAL);
	assert_int_equal(pd_ext4_resv_parse("99999999999999999999", 20, &v),
			 -EINVAL);
}

static const char capture[] =
	"/ 4096 100 50 40 10 5\n"
	"/mnt/my\\040disk 1024 8 4 4 2 1\n"
	"/mnt/my 512 1 1 1 1 1\n";

static void test_capture_parse_finds_a_target(void **state)
{
	struct pd_statvfs v;

	(void)state;
	assert_int_equal(pd_fsspace_capture_parse(capture, strlen(capture),
						  "/", &v), 0);
	assert_int_equal(v.frsize, 4096);
	assert_int_equal(v.blocks, 100);
	assert_int_equal(v.bfree, 50);
	assert_int_equal(v.bavail, 40);
	assert_int_equal(v.files, 10);
	assert_int_equal(v.ffree, 5);
}

static void test_capture_parse_unescapes_a_blank(void **state)
{
	struct pd_statvfs v;

	(void)state;
	assert_int_equal(pd_fsspace_capture_parse(capture, strlen(capture),
						  "/mnt/my disk", &v), 0);
	assert_int_equal(v.frsize, 1024);
	assert_int_equal(pd_fsspace_capture_parse(capture, strlen(capture),
						  "/mnt/my", &v), 0);
	assert_int_equal(v.frsize, 512);
	assert_int_equal(pd_fsspace_capture_parse(capture, strlen(capture),
						  "/mnt", &v), -ENOENT);
}

static void test_capture_parse_refuses_malformed_lines(void **state)
{
	struct pd_statvfs v;

	(void)state;
	assert_int_equal(pd_fsspace_capture_parse("/ 4096 1 2 3 4\n", 15,
						  "/", &v), -EINVAL);
	assert_int_equal(pd_fsspace_capture_parse("/ 0 1 2 3 4 5\n", 14,
						  "/", &v), -EINVAL);
	assert_int_equal(pd_fsspace_capture_parse("/ 1 2 3 4 5 6x\n", 15,
						  "/", &v), -EINVAL);
	assert_int_equal(pd_fsspace_capture_parse(" 1 2 3 4 5 6\n", 13,
						  "/", &v), -EINVAL);
	assert_int_equal(pd_fsspace_capture_parse("", 0, "/", &v), -ENOENT);
}

/* Sizes in bytes must fit in 64 bits: a line whose FRSIZE times a block
 * count does not (found by fuzz_dfdu_capture: USED came out larger than
 * SIZE) is malformed. */
static void test_capture_parse_refuses_sizes_past_64_bits(void **state)
{
	static const char *const bad[] = {
		"/ 4015256665580 56665580 12828279 115919 5600 0\n",
		"/ 4096 4503599627370496 0 0 1 1\n",
		"/ 4096 1 4503599627370496 0 1 1\n",
		"/ 4096 1 0 4503599627370496 1 1\n",
	};
	struct pd_statvfs v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pd_fsspace_capture_parse(bad[i],
			strlen(bad[i]), "/", &v), -EINVAL);
	/* the largest that fits */
	assert_int_equal(pd_fsspace_capture_parse(
		"/ 4096 4503599627370495 0 0 1 1\n", 32, "/", &v), 0);
	assert_int_equal(v.blocks, 4503599627370495ull);
}

/* The live reader against statvfs(3) of the same directory. */
static void test_fsspace_read_is_statvfs(void **state)
{
	struct pd_statvfs v;
	struct statvfs sv;
	int fd = open(PD_FIXTURES_DIR, O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pd_fsspace_read(fd, &v), 0);
	assert_int_equal(statvfs(PD_FIXTURES_DIR, &sv), 0);
	assert_int_equal(v.frsize, sv.f_frsize);
	assert_int_equal(v.blocks, sv.f_blocks);
	assert_int_equal(v.files, sv.f_files);
	close(fd);
}

/* df -i's IUSE%, exact to 1e-4 %, and none without an inode count. */
static void test_fsspace_iuse_pct_is_df_i(void **state)
{
	struct pd_fsspace sp = { .inodes = 65536, .iused = 65525 };
	int64_t pct;

	(void)state;
	assert_true(pd_fsspace_iuse_pct(&sp, &pct));
	/* 65525 / 65536 = 99.983215...% */
	assert_int_equal(pct, 999832);
	sp.inodes = sp.iused = 0;	/* btrfs: f_files 0 */
	assert_false(pd_fsspace_iuse_pct(&sp, &pct));
}

/* Inodes nearly out while blocks are free: under 5% of the inodes free
 * and over 10% of SIZE available; not when blocks are short too. */
static void test_fsspace_inodes_short_only_while_blocks_are_free(void **state)
{
	struct pd_fsspace sp = {
		.size = 100 << 20, .avail = 60 << 20,
		.inodes = 1000, .iused = 951,
	};

	(void)state;
	assert_true(pd_fsspace_inodes_short(&sp));
	sp.iused = 950;		/* 5% free: not under */
	assert_false(pd_fsspace_inodes_short(&sp));
	sp.iused = 1000;
	sp.avail = 10 << 20;	/* 10% available: not over */
	assert_false(pd_fsspace_inodes_short(&sp));
	sp.avail = (10 << 20) + 1;
	assert_true(pd_fsspace_inodes_short(&sp));
	sp.inodes = sp.iused = 0;
	assert_false(pd_fsspace_inodes_short(&sp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsspace_compute_matches_df_B1),
		cmocka_unit_test(test_fsspace_compute_never_underflows),
		cmocka_unit_test(test_ext4_sb_parse_reads_what_dumpe2fs_prints),
		cmocka_unit_test(test_ext4_sb_parse_refuses_no_magic_and_short),
		cmocka_unit_test(test_ext4_reserve_split_adds_up_to_bfree_minus_bavail),
		cmocka_unit_test(test_ext4_reserve_split_is_inexact_when_bavail_is_clipped),
		cmocka_unit_test(test_ext4_resv_parse),
		cmocka_unit_test(test_capture_parse_finds_a_target),
		cmocka_unit_test(test_capture_parse_unescapes_a_blank),
		cmocka_unit_test(test_capture_parse_refuses_malformed_lines),
		cmocka_unit_test(test_capture_parse_refuses_sizes_past_64_bits),
		cmocka_unit_test(test_fsspace_read_is_statvfs),
		cmocka_unit_test(test_fsspace_iuse_pct_is_df_i),
		cmocka_unit_test(test_fsspace_inodes_short_only_while_blocks_are_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
