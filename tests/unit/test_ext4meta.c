/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/ext4meta on the superblock, group 0's descriptor and
 * the first 16 inode records of real file systems made by mkfs.ext4
 * 1.47.0 (tests/fixtures/ext4meta/, see the README there for how they were
 * captured and what debugfs, df -B1 and du -sxB1 said of them). */
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

#include "ext4meta.h"

#define FIX PD_FIXTURES_DIR "/ext4meta/"

struct image {
	unsigned char sb[1024];
	unsigned char desc[64];
	unsigned char inodes[16 * 256];
};

static void load(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, len), (ssize_t)len);
	close(fd);
}

static void load_image(const char *name, struct image *im)
{
	char p[512];

	snprintf(p, sizeof(p), FIX "%s/sb.bin", name);
	load(p, im->sb, sizeof(im->sb));
	snprintf(p, sizeof(p), FIX "%s/desc0.bin", name);
	load(p, im->desc, sizeof(im->desc));
	snprintf(p, sizeof(p), FIX "%s/inodes.bin", name);
	load(p, im->inodes, sizeof(im->inodes));
}

/* Sum inodes 1..16 of IM as pd_ext4_meta_read() does. */
static void meta_of(const struct image *im, struct pd_ext4_meta *m)
{
	struct pd_ext4_geom g;
	struct pd_ext4_inode in;
	uint32_t ino;

	assert_int_equal(pd_ext4_geom_parse(im->sb, sizeof(im->sb), &g), 0);
	memset(m, 0, sizeof(*m));
	for (ino = 1; ino <= 16; ino++) {
		assert_int_equal(pd_ext4_inode_parse(&g, im->inodes +
			pd_ext4_inode_offset(&g, ino), g.inode_size, &in), 0);
		pd_ext4_meta_add(&g, ino, &in, m);
	}
}

static void test_ext4_geom_parse_reads_what_dumpe2fs_prints(void **state)
{
	struct pd_ext4_geom g;
	struct image im;
	uint64_t table;

	(void)state;
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), 0);
	assert_int_equal(g.block_size, 4096);
	assert_int_equal(g.blocks, 262144);
	assert_int_equal(g.first_data_block, 0);
	assert_int_equal(g.blocks_per_group, 32768);
	assert_int_equal(g.inode_size, 256);
	assert_int_equal(g.first_ino, 11);
	assert_int_equal(g.desc_size, 64);
	assert_int_equal(g.reserved_gdt, 127);
	assert_int_equal(g.journal_inum, 8);
	assert_int_equal(g.orphan_file_inum, 0);
	assert_int_equal(pd_ext4_groups(&g), 8);
	assert_int_equal(pd_ext4_desc_offset(&g, 0), 4096);
	assert_int_equal(pd_ext4_desc_parse(&g, im.desc, sizeof(im.desc),
					    &table), 0);
	/* dumpe2fs: "Inode table at 145-656" */
	assert_int_equal(table, 145);
}

static void test_ext4_sparse_super_groups_are_0_1_and_powers_of_3_5_7(void **state)
{
	struct pd_ext4_geom g;
	struct image im;
	uint64_t i, n = 0;
	char got[128] = "";

	(void)state;
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), 0);
	for (i = 0; i < 60; i++)
		if (pd_ext4_group_has_super(&g, i)) {
			n++;
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 "%llu ", (unsigned long long)i);
		}
	/* dumpe2fs of a 60-group file system lists these backups */
	assert_string_equal(got, "0 1 3 5 7 9 25 27 49 ");
	assert_int_equal(n, 9);
}

/* 1 GiB, defaults: debugfs says inode 7 has Blockcount 5088 (636 blocks:
 * 127 reserved GDT blocks in each of groups 0 1 3 5 7, and its double
 * indirect block), inode 8 Blockcount 65536 with Size 33554432; df -B1
 * used 24576, du -sxB1 20480: the 4096 bytes left are the resize inode's
 * indirect block. */
static void test_ext4_meta_the_last_block_is_the_resize_inodes_indirect_block(void **state)
{
	struct pd_ext4_meta m;
	struct image im;

	(void)state;
	load_image("1g-defaults", &im);
	meta_of(&im, &m);
	assert_int_equal(m.bytes[PD_EXT4_META_RESIZE], 4096);
	assert_int_equal(m.overhead_gdt, 127 * 5 * 4096);
	assert_int_equal(m.bytes[PD_EXT4_META_JOURNAL], 0);
	assert_int_equal(m.journal_size, 33554432);
	assert_int_equal(m.bytes[PD_EXT4_META_QUOTA], 0);
	assert_int_equal(m.bytes[PD_EXT4_META_ORPHAN], 0);
	assert_int_equal(m.bytes[PD_EXT4_META_OTHER], 0);
	assert_int_equal(m.total, 24576 - 20480);
}

/* 64 MiB, -O orphan_file, 1 KiB blocks: df -B1 used 47104, du 13312; the
 * orphan file (inode 12, Blockcount 64) and the resize inode's indirect
 * block (Blockcount 2562 = 256 GDT blocks in groups 0 1 3 5 7, and one)
 * are the 33792 bytes. */
static void test_ext4_meta_orphan_file_is_used_space(void **state)
{
	struct pd_ext4_meta m;
	struct image im;

	(void)state;
	load_image("64m-orphan", &im);
	meta_of(&im, &m);
	assert_int_equal(m.bytes[PD_EXT4_META_RESIZE], 1024);
	assert_int_equal(m.bytes[PD_EXT4_META_ORPHAN], 32768);
	assert_int_equal(m.journal_size, 4194304);
	assert_int_equal(m.total, 47104 - 13312);
}

static void test_ext4_meta_journal_beyond_its_size_is_its_extent_tree(void **state)
{
	struct pd_ext4_meta m;
	struct pd_ext4_geom g;
	struct pd_ext4_inode in = { .size = 1 << 20, .alloc = (1 << 20) + 4096 };
	struct image im;

	(void)state;
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), 0);
	memset(&m, 0, sizeof(m));
	assert_int_equal(pd_ext4_meta_add(&g, 8, &in, &m), PD_EXT4_META_JOURNAL);
	assert_int_equal(m.bytes[PD_EXT4_META_JOURNAL], 4096);
	assert_int_equal(m.journal_size, 1 << 20);
	/* the root and files are not internal */
	assert_int_equal(pd_ext4_meta_add(&g, 2, &in, &m), -1);
	assert_int_equal(pd_ext4_meta_add(&g, 11, &in, &m), -1);
	assert_int_equal(m.total, 4096);
}

static void test_ext4_inode_parse_huge_file_counts_blocks(void **state)
{
	struct pd_ext4_geom g;
	struct pd_ext4_inode in;
	unsigned char rec[256] = { 0 };
	struct image im;

	(void)state;
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), 0);
	rec[0x1c] = 3;			/* i_blocks_lo */
	rec[0x74] = 1;			/* l_i_blocks_high */
	assert_int_equal(pd_ext4_inode_parse(&g, rec, sizeof(rec), &in), 0);
	assert_int_equal(in.alloc, ((1ull << 32) + 3) * 512);
	rec[0x22] = 0x04;		/* i_flags: EXT4_HUGE_FILE_FL */
	assert_int_equal(pd_ext4_inode_parse(&g, rec, sizeof(rec), &in), 0);
	assert_int_equal(in.alloc, ((1ull << 32) + 3) * 4096);
	assert_int_equal(pd_ext4_inode_parse(&g, rec, 100, &in), -EINVAL);
}

static void test_ext4_geom_parse_rejects_what_the_kernel_rejects(void **state)
{
	struct pd_ext4_geom g;
	struct image im;

	(void)state;
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, 1000, &g), -EINVAL);
	im.sb[0x58] = 100;		/* inode size not a power of two */
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), -EINVAL);
	load_image("1g-defaults", &im);
	memset(im.sb + 0x20, 0, 4);	/* 0 blocks per group */
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), -EINVAL);
	load_image("1g-defaults", &im);
	im.sb[0x38] = 0;		/* no magic */
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), -EINVAL);
}

/* A corrupt superblock with 2^40 groups is refused, not counted one by
 * one (the fuzzer's timeout); sparse_super's backups are counted by their
 * powers: 0 1 3 5 7 9 25 27 49 below 60 groups, as the loop found. */
static void test_ext4_geom_parse_refuses_more_groups_than_32_bits(void **state)
{
	struct pd_ext4_geom g;
	struct pd_ext4_meta m;
	struct pd_ext4_inode in = { .alloc = 1ull << 40 };
	struct image im;

	(void)state;
	load_image("1g-defaults", &im);
	im.sb[0x20] = 1;		/* 1 block per group */
	im.sb[0x21] = 0;
	im.sb[0x22] = 0;
	im.sb[0x23] = 0;
	im.sb[0x150 + 1] = 1;		/* s_blocks_count_hi: 2^40 blocks */
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), -EINVAL);
	load_image("1g-defaults", &im);
	assert_int_equal(pd_ext4_geom_parse(im.sb, sizeof(im.sb), &g), 0);
	g.blocks = 60ull * g.blocks_per_group;
	memset(&m, 0, sizeof(m));
	assert_int_equal(pd_ext4_meta_add(&g, 7, &in, &m), PD_EXT4_META_RESIZE);
	assert_int_equal(m.overhead_gdt, 9ull * 127 * 4096);
}

static void test_ext4_meta_read_refuses_what_is_not_a_block_device(void **state)
{
	struct pd_ext4_meta m;

	(void)state;
	assert_int_equal(pd_ext4_meta_read(FIX "1g-defaults/sb.bin", 0, &m),
			 -ENODEV);
	assert_int_equal(pd_ext4_meta_read(FIX "nonexistent", 0, &m), -ENOENT);
}

/* The fd entry point (the caller opened the device under its deadline)
 * checks it as the path one does, and never closes it. */
static void test_ext4_meta_read_fd_refuses_what_is_not_a_block_device(void **state)
{
	struct pd_ext4_meta m;
	int fd = open(FIX "1g-defaults/sb.bin", O_RDONLY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pd_ext4_meta_read_fd(fd, 0, &m), -ENODEV);
	/* still ours: it was not closed */
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	assert_int_equal(pd_ext4_meta_read_fd(-1, 0, &m), -EBADF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ext4_geom_parse_reads_what_dumpe2fs_prints),
		cmocka_unit_test(test_ext4_sparse_super_groups_are_0_1_and_powers_of_3_5_7),
		cmocka_unit_test(test_ext4_meta_the_last_block_is_the_resize_inodes_indirect_block),
		cmocka_unit_test(test_ext4_meta_orphan_file_is_used_space),
		cmocka_unit_test(test_ext4_meta_journal_beyond_its_size_is_its_extent_tree),
		cmocka_unit_test(test_ext4_inode_parse_huge_file_counts_blocks),
		cmocka_unit_test(test_ext4_geom_parse_rejects_what_the_kernel_rejects),
		cmocka_unit_test(test_ext4_geom_parse_refuses_more_groups_than_32_bits),
		cmocka_unit_test(test_ext4_meta_read_refuses_what_is_not_a_block_device),
		cmocka_unit_test(test_ext4_meta_read_fd_refuses_what_is_not_a_block_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
