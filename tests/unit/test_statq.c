/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/statq: stats of magic links under a deadline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "statq.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

struct live {
	struct pd_procfs *pfs;
	struct pd_statq *q;
	int pidfd;
};

static struct live live;

static int setup_live(void **state)
{
	(void)state;
	if (pd_procfs_new(NULL, &live.pfs) < 0)
		return -1;
	if (pd_procfs_open_pid(live.pfs, getpid(), &live.pidfd) < 0)
		return -1;
	if (pd_statq_new(live.pfs, 5000, &live.q) < 0)
		return -1;
	return 0;
}

static int teardown_live(void **state)
{
	(void)state;
	pd_statq_free(live.q);
	close(live.pidfd);
	pd_procfs_free(live.pfs);
	return 0;
}

static void test_statq_stat_of_live_exe_is_the_executable(void **state)
{
	struct stat want, st;

	(void)state;
	assert_int_equal(stat("/proc/self/exe", &want), 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(pd_statq_stat(live.q, live.pidfd, "exe", &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(st.st_dev, want.st_dev);
	assert_int_equal(st.st_size, want.st_size);
}

static void test_statq_stat_follows_an_fd_link(void **state)
{
	struct stat want, st;
	char rel[32];
	int fd;

	(void)state;
	fd = open(PD_FIXTURES_DIR "/README.md", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &want), 0);
	snprintf(rel, sizeof(rel), "fd/%d", fd);
	assert_int_equal(pd_statq_stat(live.q, live.pidfd, rel, &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(st.st_dev, want.st_dev);
	assert_int_equal(st.st_nlink, want.st_nlink);
	close(fd);
}

static void test_statq_stat_of_missing_rel_is_enoent(void **state)
{
	struct stat st;

	(void)state;
	memset(&st, 0x5a, sizeof(st));
	assert_int_equal(pd_statq_stat(live.q, live.pidfd, "fd/987654", &st),
			 -ENOENT);
	assert_int_equal(pd_statq_stat(live.q, live.pidfd, "no-such-link",
				       &st), -ENOENT);
	assert_int_equal(st.st_ino, (ino_t)0x5a5a5a5a5a5a5a5aull);
}

static void test_statq_stat_outlives_the_callers_pidfd(void **state)
{
	struct stat want, st;
	int fd;

	(void)state;
	/* the worker holds its own dup of the pid directory */
	assert_int_equal(pd_procfs_open_pid(live.pfs, getpid(), &fd), 0);
	assert_int_equal(stat("/proc/self/exe", &want), 0);
	assert_int_equal(pd_statq_stat(live.q, fd, "exe", &st), 0);
	close(fd);
	assert_int_equal(st.st_ino, want.st_ino);
	/* a bad pidfd is reported as such, not as ENOMEM */
	assert_int_equal(pd_statq_stat(live.q, -1, "exe", &st), -EBADF);
}

static void test_statq_stat_many_in_a_row(void **state)
{
	struct stat want, st;
	int i;

	(void)state;
	assert_int_equal(stat("/proc/self/exe", &want), 0);
	/* threads and jobs are freed as they go (ASan reports leaks) */
	for (i = 0; i < 200; i++) {
		assert_int_equal(pd_statq_stat(live.q, live.pidfd, "exe", &st),
				 0);
		assert_int_equal(st.st_ino, want.st_ino);
	}
}

static void test_statq_stat_of_captured_tree_reads_linkstat(void **state)
{
	struct pd_procfs *pfs = NULL;
	struct pd_statq *q = NULL;
	struct stat st;
	int fd;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_statq_new(pfs, 1000, &q), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 300, &fd), 0);
	/* following the fixture's symlink would find no such file */
	assert_int_equal(pd_statq_stat(q, fd, "exe", &st), 0);
	assert_int_equal(st.st_dev, makedev(8, 1));
	assert_int_equal(st.st_ino, 9012);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(st.st_mode, S_IFREG | 0755);
	assert_int_equal(st.st_size, 123456);
	assert_int_equal(st.st_blocks, 248);
	assert_int_equal(pd_statq_stat(q, fd, "fd/6", &st), 0);
	assert_int_equal(st.st_dev, makedev(0, 25));
	assert_int_equal(st.st_ino, 77);
	/* fd/1 is a socket: no line in linkstat */
	assert_int_equal(pd_statq_stat(q, fd, "fd/1", &st), -ENOENT);
	close(fd);
	pd_statq_free(q);
	pd_procfs_free(pfs);
}

static void test_statq_stat_of_a_user_path_is_live_even_when_captured(
	void **state)
{
	struct pd_procfs *pfs = NULL;
	struct pd_statq *q = NULL;
	struct stat want, st;

	(void)state;
	assert_int_equal(stat(PD_FIXTURES_DIR "/README.md", &want), 0);
	assert_int_equal(pd_statq_stat(live.q, AT_FDCWD,
				       PD_FIXTURES_DIR "/README.md", &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_statq_new(pfs, 1000, &q), 0);
	/* no linkstat answers for a path the user gave */
	memset(&st, 0, sizeof(st));
	assert_int_equal(pd_statq_stat(q, AT_FDCWD,
				       PD_FIXTURES_DIR "/README.md", &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(st.st_dev, want.st_dev);
	assert_int_equal(pd_statq_stat(q, AT_FDCWD,
				       PD_FIXTURES_DIR "/no-such-file", &st),
			 -ENOENT);
	pd_statq_free(q);
	pd_procfs_free(pfs);
}

static void test_statq_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_statq_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statq_stat_of_live_exe_is_the_executable),
		cmocka_unit_test(test_statq_stat_follows_an_fd_link),
		cmocka_unit_test(test_statq_stat_of_missing_rel_is_enoent),
		cmocka_unit_test(test_statq_stat_outlives_the_callers_pidfd),
		cmocka_unit_test(test_statq_stat_many_in_a_row),
		cmocka_unit_test(test_statq_stat_of_captured_tree_reads_linkstat),
		cmocka_unit_test(test_statq_stat_of_a_user_path_is_live_even_when_captured),
		cmocka_unit_test(test_statq_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, setup_live, teardown_live);
}
