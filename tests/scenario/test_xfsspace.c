/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of lib/xfsspace on fresh loop XFS file systems of three
 * sizes (300 MiB, 1 GiB, 5 GiB) made by mkfs.xfs with its defaults
 * (reflink=1), reflink=0, and rmapbt=1: df -B1's used less du -sxB1 of the
 * root is exactly what pd_xfs_space_read() names; the AG headers it reads
 * agree with xfs_db, the reserve pool with xfs_io, the log with xfs_info.
 * Root only; a private mount namespace. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "fsimg.h"
#include "xfsspace.h"

static bool no_xfsprogs;

static int setup(void **state)
{
	if (no_xfsprogs) {
		*state = NULL;
		return 0;
	}
	return fsimg_setup(state, "xfsspace");
}

/* The sum over the AGs of xfs_db's FIELD of HDR (agf or agi). */
static unsigned long long db_sum(struct fsimg *fi, const char *dev,
				 const char *hdr, const char *field)
{
	return fsimg_num(fi, fsimg_printf(fi, "n=$(xfs_db -r -c 'sb 0' -c "
		"'print agcount' '%s' | awk '{ print $3 }'); i=0; s=0; "
		"while [ $i -lt $n ]; do v=$(xfs_db -r -c \"%s $i\" -c "
		"'print %s' '%s' | awk '{ print $3 }'); s=$((s + v)); "
		"i=$((i + 1)); done; echo $s", dev, hdr, field, dev));
}

/* Files in DIR/d: N of 8 KiB, every other one then deleted, so that the
 * free space is fragmented and the free-space btrees grow past their
 * roots. */
static void fragment(struct fsimg *fi, unsigned n)
{
	char *dir = fsimg_printf(fi, "%s/d", fi->mnt);
	char path[400];
	unsigned i;

	assert_int_equal(mkdir(dir, 0755), 0);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%u", dir, i);
		fsimg_write(path, 8192, 'x');
	}
	for (i = 0; i < n; i += 2) {
		snprintf(path, sizeof(path), "%s/f%u", dir, i);
		assert_int_equal(unlink(path), 0);
	}
}

/* mkfs.xfs MKFS on a SIZE_MB loop device, FILES files fragmenting it (then
 * a remount, which writes the AG headers back), and the check: used - du
 * is what xfsspace names, each part against its oracle. */
static void check(struct fsimg *fi, unsigned size_mb, const char *mkfs,
		  unsigned files)
{
	unsigned long long used, du, bs;
	struct pd_xfs_space s;
	const char *dev;
	struct stat st;
	int fd;

	dev = fsimg_loop(fi, fsimg_printf(fi, "xfs-%u.img", size_mb), size_mb);
	fsimg_sh(fi, fsimg_printf(fi, "mkfs.xfs -q -f %s '%s' >/dev/null",
				  mkfs, dev));
	fsimg_mount(fi, "xfs", dev, NULL);
	if (files) {
		fragment(fi, files);
		fsimg_umount(fi);
		fsimg_mount(fi, "xfs", dev, NULL);
	}
	assert_int_equal(stat(dev, &st), 0);
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(syncfs(fd), 0);
	assert_int_equal(pd_xfs_space_read(fd, dev, st.st_rdev, &s), 0);
	close(fd);
	used = fsimg_df_used(fi);
	du = fsimg_du(fi, fi->mnt);
	bs = fsimg_num(fi, fsimg_printf(fi, "stat -f -c %%S '%s'", fi->mnt));
	print_message("xfs %u MiB [%s], %u files: used %llu du %llu = headers %llu "
		      "btrees %llu inodes %llu resv meta %llu rmap %llu "
		      "set-aside %llu allocbt %llu resblks %llu (log %llu)\n",
		      size_mb, mkfs, files, used, du,
		      (unsigned long long)s.headers,
		      (unsigned long long)s.btrees,
		      (unsigned long long)s.inodes,
		      (unsigned long long)s.ag_resv_meta,
		      (unsigned long long)s.ag_resv_rmap,
		      (unsigned long long)s.set_aside,
		      (unsigned long long)s.allocbt,
		      (unsigned long long)s.resblks,
		      (unsigned long long)s.log);
	assert_true(s.exact);
	assert_int_equal(s.total, used - du);
	/* each part against its own oracle */
	assert_int_equal(s.resblks, bs * fsimg_num(fi, fsimg_printf(fi,
		"xfs_io -x -c resblks '%s' | awk '/^available reserved "
		"blocks/ { print $NF }'", fi->mnt)));
	assert_int_equal(s.log, bs * fsimg_num(fi, fsimg_printf(fi,
		"xfs_db -r -c 'sb 0' -c 'print logblocks' '%s' | "
		"awk '{ print $3 }'", dev)));
	assert_int_equal(s.free, bs * (db_sum(fi, dev, "agf", "freeblks") +
				       db_sum(fi, dev, "agf", "flcount") +
				       db_sum(fi, dev, "agf", "btreeblks")));
	assert_int_equal(s.inodes, db_sum(fi, dev, "agi", "count") *
			 fsimg_num(fi, fsimg_printf(fi, "xfs_db -r -c 'sb 0' "
				"-c 'print inodesize' '%s' | awk '{ print $3 }'",
				dev)));
	/* df's size is the data blocks less the internal log */
	assert_int_equal(fsimg_num(fi, fsimg_printf(fi, "df -B1 --output=size "
				   "'%s' | tail -n 1", fi->mnt)) + s.log,
			 bs * fsimg_num(fi, fsimg_printf(fi, "xfs_db -r -c "
				"'sb 0' -c 'print dblocks' '%s' | "
				"awk '{ print $3 }'", dev)));
	if (strstr(mkfs, "rmapbt=1"))
		assert_true(s.ag_resv_rmap > 0);
	else
		assert_int_equal(s.ag_resv_rmap, 0);
	fsimg_umount(fi);
}

static void check_fresh(struct fsimg *fi, unsigned size_mb, const char *mkfs)
{
	check(fi, size_mb, mkfs, 0);
}

static void check_size(struct fsimg *fi, unsigned size_mb)
{
	check_fresh(fi, size_mb, "");
	check_fresh(fi, size_mb, "-m reflink=0");
	check_fresh(fi, size_mb, "-m rmapbt=1");
}

static void test_xfsspace_fresh_gap_is_named_to_the_byte_300m(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_size(fi, 300);
}

static void test_xfsspace_fresh_gap_is_named_to_the_byte_1g(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_size(fi, 1024);
}

static void test_xfsspace_fresh_gap_is_named_to_the_byte_5g(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check_size(fi, 5120);
}

/* Fragmented free space: the bno and cnt btrees outgrow their roots; their
 * extra blocks are free to the AGF and used to statfs (m_allocbt_blks),
 * and with rmapbt=1 the rmapbt's share beyond its root is told apart. */
static void test_xfsspace_fragmented_free_space_is_named_to_the_byte(void **state)
{
	struct fsimg *fi = *state;

	if (!fi)
		skip();
	check(fi, 1024, "", 6000);
	check(fi, 1024, "-m rmapbt=1", 6000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xfsspace_fresh_gap_is_named_to_the_byte_300m, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_xfsspace_fresh_gap_is_named_to_the_byte_1g, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_xfsspace_fresh_gap_is_named_to_the_byte_5g, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_xfsspace_fragmented_free_space_is_named_to_the_byte, setup, fsimg_teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every xfsspace scenario is skipped\n");
	if (system("command -v mkfs.xfs xfs_db xfs_io >/dev/null 2>&1") != 0 ||
	    system("grep -qw xfs /proc/filesystems || modprobe xfs "
		   ">/dev/null 2>&1") != 0) {
		print_message("no xfsprogs or no XFS in this kernel: every "
			      "xfsspace scenario is skipped\n");
		no_xfsprogs = true;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
