/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of lib/ext4meta on fresh loop ext4 file systems of three
 * sizes, with and without a journal: df -B1's used less du -sxB1 of the
 * root is exactly what pd_ext4_meta_read() names, and each inode's bytes
 * match debugfs's Blockcount. Root only; a private mount namespace. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ext4meta.h"
#include "fsimg.h"

static int setup(void **state)
{
	return fsimg_setup(state, "ext4meta");
}

/* debugfs's Blockcount of inode INO, in bytes. */
static unsigned long long blockcount(struct fsimg *fi, const char *dev,
				     unsigned ino)
{
	return 512 * fsimg_num(fi, fsimg_printf(fi, "debugfs -R 'stat <%u>' "
		"'%s' 2>/dev/null | sed -n 's/.*Blockcount: \\([0-9]*\\).*/\\1/p'",
		ino, dev));
}

/* mkfs.ext4 MKFS on a SIZE_MB loop device: the gap is what ext4meta
 * names, to the byte. */
static void check_fresh(struct fsimg *fi, unsigned size_mb, const char *mkfs)
{
	struct pd_ext4_meta m;
	unsigned long long used, du;
	const char *dev;
	struct stat st;

	dev = fsimg_loop(fi, fsimg_printf(fi, "ext4-%u.img", size_mb), size_mb);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.ext4 -q -F %s '%s' >/dev/null",
				  mkfs, dev));
	fsimg_mount(fi, "ext4", dev, NULL);
	assert_int_equal(stat(dev, &st), 0);
	assert_int_equal(pd_ext4_meta_read(dev, st.st_rdev, &m), 0);
	used = fsimg_df_used(fi);
	du = fsimg_du(fi, fi->mnt);
	print_message("ext4 %u MiB %s: used %llu du %llu resize %llu "
		      "journal %llu orphan %llu\n", size_mb, mkfs, used, du,
		      (unsigned long long)m.bytes[PD_EXT4_META_RESIZE],
		      (unsigned long long)m.bytes[PD_EXT4_META_JOURNAL],
		      (unsigned long long)m.bytes[PD_EXT4_META_ORPHAN]);
	assert_int_equal(m.total, used - du);
	/* each inode whole, as debugfs counts it */
	assert_int_equal(m.bytes[PD_EXT4_META_RESIZE] + m.overhead_gdt,
			 blockcount(fi, dev, 7));
	assert_int_equal(m.bytes[PD_EXT4_META_JOURNAL] + m.journal_size,
			 strstr(mkfs, "^has_journal") ? 0 :
			 blockcount(fi, dev, 8));
	assert_int_equal(m.bytes[PD_EXT4_META_ORPHAN],
			 strstr(mkfs, "orphan_file") ? blockcount(fi, dev, 12) : 0);
	/* the resize inode's one indirect block is all a default leaves */
	assert_int_equal(m.bytes[PD_EXT4_META_RESIZE],
			 fsimg_num(fi, fsimg_printf(fi, "dumpe2fs -h '%s' "
				"2>/dev/null | awk -F: '/^Block size/ "
				"{ print $2 + 0 }'", dev)));
	fsimg_umount(fi);
}

static void test_ext4meta_fresh_gap_is_named_to_the_byte_64m(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_fresh(fi, 64, "");
	check_fresh(fi, 64, "-O ^has_journal");
}

static void test_ext4meta_fresh_gap_is_named_to_the_byte_1g(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_fresh(fi, 1024, "");
	check_fresh(fi, 1024, "-O ^has_journal");
}

static void test_ext4meta_fresh_gap_is_named_to_the_byte_5g(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_fresh(fi, 5120, "");
	check_fresh(fi, 5120, "-O ^has_journal");
}

static void test_ext4meta_orphan_file_is_named(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_fresh(fi, 1024, "-O orphan_file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ext4meta_fresh_gap_is_named_to_the_byte_64m, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_ext4meta_fresh_gap_is_named_to_the_byte_1g, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_ext4meta_fresh_gap_is_named_to_the_byte_5g, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_ext4meta_orphan_file_is_named, setup, fsimg_teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every ext4meta scenario is skipped\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
