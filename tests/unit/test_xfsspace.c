/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/xfsspace on the first three sectors (superblock copy,
 * AGF, AGI) of every AG of real 1 GiB file systems made by mkfs.xfs 6.1.0
 * (tests/fixtures/xfsspace/, see the README there): the parts of df's
 * USED add up to what df -B1 printed once mounted. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "xfsspace.h"

#define FIX PD_FIXTURES_DIR "/xfsspace/"
#define SECT 512
#define NAGS 4

static unsigned char img[NAGS * 3 * SECT];

static void load(const char *name)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), FIX "%s/ags.bin", name);
	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
}

static void parse_all(struct pd_xfs_sb *sb, struct pd_xfs_ag *ags)
{
	uint32_t i;

	assert_int_equal(pd_xfs_sb_parse(img, SECT, sb), 0);
	assert_int_equal(sb->agcount, NAGS);
	for (i = 0; i < NAGS; i++)
		assert_int_equal(pd_xfs_ag_parse(sb, i, img + (3 * i + 1) * SECT,
						 SECT, img + (3 * i + 2) * SECT,
						 SECT, &ags[i]), 0);
}

static void test_xfs_sb_parse_reads_what_xfs_info_prints(void **state)
{
	struct pd_xfs_sb sb;

	(void)state;
	load("1g-defaults");
	assert_int_equal(pd_xfs_sb_parse(img, SECT, &sb), 0);
	/* isize=512 agcount=4 agsize=65536 sectsz=512 crc=1 finobt=1
	 * rmapbt=0 reflink=1 inobtcount=1 blocks=262144, log blocks=16384
	 * internal, logstart 131078 (in AG 2) */
	assert_int_equal(sb.blocksize, 4096);
	assert_int_equal(sb.sectsize, 512);
	assert_int_equal(sb.inodesize, 512);
	assert_int_equal(sb.inopblock, 8);
	assert_int_equal(sb.agblocks, 65536);
	assert_int_equal(sb.agblklog, 16);
	assert_int_equal(sb.dblocks, 262144);
	assert_int_equal(sb.logblocks, 16384);
	assert_int_equal(sb.logstart, 131078);
	assert_true(sb.crc);
	assert_true(sb.finobt);
	assert_false(sb.rmapbt);
	assert_true(sb.reflink);
	assert_true(sb.inobtcount);
}

static void test_xfs_ag_parse_reads_what_xfs_db_prints(void **state)
{
	struct pd_xfs_ag ags[NAGS];
	struct pd_xfs_sb sb;

	(void)state;
	load("1g-defaults");
	parse_all(&sb, ags);
	/* xfs_db "agf 2": length 65536 freeblks 49142 flcount 4 btreeblks 0
	 * refcntblocks 1; "agi 0": count 64 ino_blocks 1 fino_blocks 1 */
	assert_int_equal(ags[2].length, 65536);
	assert_int_equal(ags[2].freeblks, 49142);
	assert_int_equal(ags[2].flcount, 4);
	assert_int_equal(ags[2].btreeblks, 0);
	assert_int_equal(ags[2].refcount_blocks, 1);
	assert_int_equal(ags[0].icount, 64);
	assert_int_equal(ags[1].icount, 0);
	assert_int_equal(ags[0].iblocks, 1);
	assert_int_equal(ags[0].fblocks, 1);
	/* AG 1's header is not AG 0's */
	assert_int_equal(pd_xfs_ag_parse(&sb, 0, img + 4 * SECT, SECT,
					 img + 5 * SECT, SECT, &ags[0]),
			 -EINVAL);
}

/* The refcountbt's worst case for 65536 blocks is 394 blocks (391 leaves
 * of 168 records, 2 nodes of 252, a root), the finobt's for 8192 chunks
 * 67; the AG with the log counts 49152 blocks: 296 and 50. Each tree has
 * its root: 1 used. */
static void test_xfs_ag_resv_is_the_worst_case_btree_less_its_use(void **state)
{
	struct pd_xfs_ag ags[NAGS];
	struct pd_xfs_ag_resv r;
	struct pd_xfs_sb sb;

	(void)state;
	load("1g-defaults");
	parse_all(&sb, ags);
	pd_xfs_ag_resv(&sb, 0, &ags[0], &r);
	assert_int_equal(r.meta_ask, 394 + 67);
	assert_int_equal(r.meta_used, 2);
	assert_int_equal(r.rmap_ask, 0);
	assert_int_equal(r.hidden, 459);
	pd_xfs_ag_resv(&sb, 2, &ags[2], &r);
	assert_int_equal(r.meta_ask, 296 + 50);
	assert_int_equal(r.hidden, 344);
}

/* Mounted, df -B1 said used 40865792 (9977 blocks), du -sxB1 0, and
 * xfs_io resblks 8192 available. */
static void test_xfs_space_parts_add_up_to_df_used(void **state)
{
	struct pd_xfs_ag ags[NAGS];
	struct pd_xfs_space s;
	struct pd_xfs_sb sb;

	(void)state;
	load("1g-defaults");
	parse_all(&sb, ags);
	pd_xfs_space_compute(&sb, ags, NAGS, 8192, &s);
	assert_int_equal(s.headers, 4 * 4096);
	assert_int_equal(s.btrees, 4 * 5 * 4096);
	assert_int_equal(s.inodes, 64 * 512);
	assert_int_equal(s.ag_resv_meta, (3 * 459 + 344) * 4096);
	assert_int_equal(s.ag_resv_rmap, 0);
	assert_int_equal(s.set_aside, 32 * 4096);
	assert_int_equal(s.allocbt, 0);
	assert_int_equal(s.resblks, 8192 * 4096);
	assert_int_equal(s.log, 16384 * 4096);
	assert_int_equal(s.free, 245728ull * 4096);
	assert_true(s.exact);
	assert_int_equal(s.total, 40865792);
}

/* rmapbt=1: df -B1 said used 53174272; the rmapbt reserves the larger of
 * 1% of the AG (655 blocks) and its worst case (800 blocks: 781 leaves of
 * 84 records, 18 nodes of 45, a root; 601 in the AG with the log) and
 * hides all of it. */
static void test_xfs_space_rmapbt_reservation_is_hidden_whole(void **state)
{
	struct pd_xfs_ag ags[NAGS];
	struct pd_xfs_ag_resv r;
	struct pd_xfs_space s;
	struct pd_xfs_sb sb;

	(void)state;
	load("1g-rmapbt");
	parse_all(&sb, ags);
	assert_true(sb.rmapbt);
	assert_int_equal(ags[1].rmap_blocks, 1);
	pd_xfs_ag_resv(&sb, 1, &ags[1], &r);
	assert_int_equal(r.rmap_ask, 800);
	assert_int_equal(r.rmap_used, 1);
	pd_xfs_ag_resv(&sb, 2, &ags[2], &r);
	assert_int_equal(r.rmap_ask, 601);
	pd_xfs_space_compute(&sb, ags, NAGS, 8192, &s);
	assert_int_equal(s.ag_resv_rmap, (3 * 800 + 601) * 4096);
	assert_int_equal(s.total, 53174272);
}

static void test_xfs_parse_rejects_corrupt_headers(void **state)
{
	struct pd_xfs_ag ags[NAGS];
	struct pd_xfs_sb sb;
	unsigned char agf[SECT];

	(void)state;
	load("1g-defaults");
	parse_all(&sb, ags);
	assert_int_equal(pd_xfs_sb_parse(img, 100, &sb), -EINVAL);
	memcpy(agf, img + SECT, SECT);
	agf[52] = 0xff;			/* freeblks past the AG */
	assert_int_equal(pd_xfs_ag_parse(&sb, 0, agf, SECT, img + 2 * SECT,
					 SECT, &ags[0]), -EINVAL);
	img[4 + 2] = 0x30;		/* blocksize 0x3000: not a power of 2 */
	assert_int_equal(pd_xfs_sb_parse(img, SECT, &sb), -EINVAL);
	load("1g-defaults");
	img[88 + 3] = 0;		/* agcount 0 */
	assert_int_equal(pd_xfs_sb_parse(img, SECT, &sb), -EINVAL);
}

/* The fd entry point refuses a device fd that is not block device DEV
 * before it reads anything, and leaves both fds to the caller. */
static void test_xfs_space_read_fd_refuses_what_is_not_a_block_device(void **state)
{
	struct pd_xfs_space s;
	char p[512];
	int fd;

	(void)state;
	snprintf(p, sizeof(p), FIX "%s/ags.bin", "1g-defaults");
	fd = open(p, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_xfs_space_read_fd(fd, fd, 0, &s), -ENODEV);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	assert_int_equal(pd_xfs_space_read_fd(-1, -1, 0, &s), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xfs_sb_parse_reads_what_xfs_info_prints),
		cmocka_unit_test(test_xfs_ag_parse_reads_what_xfs_db_prints),
		cmocka_unit_test(test_xfs_ag_resv_is_the_worst_case_btree_less_its_use),
		cmocka_unit_test(test_xfs_space_parts_add_up_to_df_used),
		cmocka_unit_test(test_xfs_space_rmapbt_reservation_is_hidden_whole),
		cmocka_unit_test(test_xfs_parse_rejects_corrupt_headers),
		cmocka_unit_test(test_xfs_space_read_fd_refuses_what_is_not_a_block_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
