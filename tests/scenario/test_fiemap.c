/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of lib/fiemap, run as nobody (FIEMAP needs no
 * privilege), on loop btrfs and XFS file systems: reflinked copies are
 * the excess btrfs fi du and lib/btrfs count, a snapshot's sharing is not
 * excess, compressed extents are flagged, and on XFS the excess closes
 * the gap xfsspace leaves. Root only (to make the file systems); a
 * private mount namespace. */
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
#include <sys/wait.h>
#include <unistd.h>

#include "fiemap.h"
#include "fsimg.h"
#include "xfsspace.h"

#define MiB (1024ull * 1024)

static int setup(void **state)
{
	return fsimg_setup(state, "fiemap");
}

/* FIEMAP of NAMES (NULL-terminated, under the mount) as nobody, in a
 * child; the sums come back through a pipe. */
static void fiemap_as_nobody(struct fsimg *fi, const char *const *names,
			     struct pd_fiemap_sum *ret)
{
	int p[2], st;
	pid_t pid;

	chmod(fi->dir, 0755);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pd_fiemap_sum s;
		struct pd_fiemap *f;
		char path[600];
		size_t i;

		close(p[0]);
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		if (pd_fiemap_new(&f) < 0)
			_exit(11);
		for (i = 0; names[i]; i++) {
			int fd;

			snprintf(path, sizeof(path), "%s/%s", fi->mnt,
				 names[i]);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				_exit(12);
			if (pd_fiemap_add_fd(f, fd) < 0)
				_exit(13);
			close(fd);
		}
		pd_fiemap_finish(f, &s);
		pd_fiemap_free(f);
		if (write(p[1], &s, sizeof(s)) != (ssize_t)sizeof(s))
			_exit(14);
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], ret, sizeof(*ret)), (ssize_t)sizeof(*ret));
	close(p[0]);
	assert_true(reap(pid, 10000, &st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void make(struct fsimg *fi, const char *type, const char *mkfs,
		 const char *opts)
{
	const char *dev = fsimg_loop(fi, "fs.img", 1024);

	fsimg_sh(fi, fsimg_printf(fi, "mkfs.%s -q -f %s '%s' >/dev/null",
				  type, mkfs, dev));
	fsimg_mount(fi, type, dev, opts);
	chmod(fi->mnt, 0755);
}

static void test_fiemap_btrfs_reflinks_are_excess_snapshots_are_not(void **state)
{
	struct fsimg *fi = *state;
	const char *files[] = { "a", "b", "c", NULL };
	const char *one[] = { "sv/x", NULL };
	struct pd_fiemap_sum s;

	if (!fi)
		skip();
	if (system("command -v mkfs.btrfs >/dev/null 2>&1") != 0)
		skip();
	make(fi, "btrfs", "", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && head -c %llu /dev/urandom "
				  "> a && cp --reflink=always a b && "
				  "cp --reflink=always a c && chmod 644 a b c",
				  fi->mnt, 20 * MiB));
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && btrfs -q subvolume create "
				  "sv && head -c %llu /dev/urandom > sv/x && "
				  "chmod 644 sv/x && btrfs -q subvolume "
				  "snapshot sv snap && btrfs filesystem sync .",
				  fi->mnt, 8 * MiB));
	fiemap_as_nobody(fi, files, &s);
	assert_int_equal(s.files, 3);
	assert_int_equal(s.mapped, 60 * MiB);
	assert_int_equal(s.shared, 60 * MiB);
	assert_int_equal(s.shared_once, 20 * MiB);
	assert_int_equal(s.excess, 40 * MiB);
	/* btrfs fi du: Total - Exclusive - Set shared */
	assert_int_equal(s.excess, fsimg_num(fi, fsimg_printf(fi,
		"cd '%s' && btrfs filesystem du -s --raw a b c | "
		"awk 'NR > 1 { t += $1; e += $2 } END { print t - e - 20971520 }'",
		fi->mnt)));
	/* sv/x is shared with the snapshot, which is not in the set: the
	 * extent is flagged shared, but du counts it once */
	fiemap_as_nobody(fi, one, &s);
	assert_int_equal(s.shared, 8 * MiB);
	assert_int_equal(s.excess, 0);
}

static void test_fiemap_btrfs_compressed_extents_are_encoded(void **state)
{
	struct fsimg *fi = *state;
	const char *files[] = { "z", NULL };
	struct pd_fiemap_sum s;

	if (!fi)
		skip();
	if (system("command -v mkfs.btrfs >/dev/null 2>&1") != 0)
		skip();
	make(fi, "btrfs", "", "compress=zstd");
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && yes 'compressible line' | "
				  "head -c %llu > z && chmod 644 z && "
				  "btrfs filesystem sync .", fi->mnt, 16 * MiB));
	fiemap_as_nobody(fi, files, &s);
	assert_int_equal(s.mapped, 16 * MiB);
	assert_int_equal(s.encoded, 16 * MiB);
	assert_int_equal(s.shared, 0);
}

/* XFS reflinks: du counts the copy, df does not; xfsspace names the
 * metadata, fiemap the excess, and together they are used - du. */
static void test_fiemap_xfs_reflinks_close_the_xfs_gap(void **state)
{
	struct fsimg *fi = *state;
	const char *files[] = { "a", "b", NULL };
	unsigned long long used, du;
	struct pd_xfs_space x;
	struct pd_fiemap_sum s;
	const char *dev;
	struct stat st;
	int fd;

	if (!fi)
		skip();
	if (system("command -v mkfs.xfs >/dev/null 2>&1") != 0)
		skip();
	make(fi, "xfs", "-m reflink=1", NULL);
	fsimg_sh(fi, fsimg_printf(fi, "cd '%s' && head -c %llu /dev/urandom "
				  "> a && cp --reflink=always a b && chmod 644 "
				  "a b", fi->mnt, 20 * MiB));
	dev = fsimg_out(fi, fsimg_printf(fi, "findmnt -no SOURCE '%s'",
					 fi->mnt));
	/* the AG headers on disk are current after a remount */
	fsimg_umount(fi);
	fsimg_mount(fi, "xfs", dev, NULL);
	fiemap_as_nobody(fi, files, &s);
	assert_int_equal(s.shared, 40 * MiB);
	assert_int_equal(s.excess, 20 * MiB);
	assert_int_equal(stat(dev, &st), 0);
	fd = open(fi->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_xfs_space_read(fd, dev, st.st_rdev, &x), 0);
	close(fd);
	used = fsimg_df_used(fi);
	du = fsimg_du(fi, fi->mnt);
	assert_int_equal((long long)(used - du),
			 (long long)x.total - (long long)s.excess);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fiemap_btrfs_reflinks_are_excess_snapshots_are_not, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_fiemap_btrfs_compressed_extents_are_encoded, setup, fsimg_teardown),
		cmocka_unit_test_setup_teardown(test_fiemap_xfs_reflinks_close_the_xfs_gap, setup, fsimg_teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every fiemap scenario is skipped\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
