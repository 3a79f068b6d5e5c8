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
#include <stdlib.h>
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

static void test_statq_open_gives_the_fd_and_its_statx(void **state)
{
	struct statx stx;
	struct stat want, st;
	int fd = -1;

	(void)state;
	assert_int_equal(stat(PD_FIXTURES_DIR "/basic", &want), 0);
	memset(&stx, 0, sizeof(stx));
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR
				       "/basic", O_RDONLY | O_DIRECTORY, &fd,
				       &stx), 0);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(stx.stx_ino, want.st_ino);
	assert_int_equal(makedev(stx.stx_dev_major, stx.stx_dev_minor),
			 want.st_dev);
	assert_true(S_ISDIR(stx.stx_mode));
	/* O_CLOEXEC whatever the caller asked */
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	/* relative to a directory fd, without the statx */
	assert_int_equal(pd_statq_open(live.q, live.pidfd, "fdinfo",
				       O_RDONLY | O_DIRECTORY, &fd, NULL), 0);
	assert_true(fd >= 0);
	close(fd);
}

static void test_statq_open_of_missing_path_is_enoent(void **state)
{
	int fd = 12345;

	(void)state;
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR
				       "/no-such-dir", O_RDONLY, &fd, NULL),
			 -ENOENT);
	assert_int_equal(fd, 12345);
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR
				       "/README.md", O_RDONLY | O_DIRECTORY,
				       &fd, NULL), -ENOTDIR);
}

/* The lowest fd not open: what the next open() would return. */
static int lowest_free_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	close(fd);
	return fd;
}

/* Threads of this process, from its status. */
static int nthreads(void)
{
	char buf[4096], *p;
	ssize_t n;
	int fd;

	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	p = strstr(buf, "\nThreads:");
	assert_non_null(p);
	return atoi(p + 9);
}

static void test_statq_open_that_blocks_times_out_and_the_late_fd_is_closed(
	void **state)
{
	char dir[] = "/tmp/pd-test-statq.XXXXXX", fifo[64];
	struct pd_statq *q = NULL;
	int fd = 12345, wfd, free_fd, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(pd_statq_new(live.pfs, 100, &q), 0);
	/* the workers of earlier tests end just after they answer */
	for (i = 0; i < 500 && nthreads() != 1; i++)
		usleep(10000);
	assert_int_equal(nthreads(), 1);
	/* A FIFO's open for reading waits for a writer, as an open on a
	 * stopped FUSE mount waits for its daemon. */
	free_fd = lowest_free_fd();
	assert_int_equal(pd_statq_open(q, AT_FDCWD, fifo, O_RDONLY, &fd,
				       NULL), -ETIMEDOUT);
	assert_int_equal(fd, 12345);
	assert_int_equal(nthreads(), 2);
	/* The writer comes: the worker's open returns at last (into the fd
	 * number it reserved first), and that fd, which nobody took, is
	 * closed by the worker as it ends. */
	wfd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	assert_int_equal(wfd, free_fd + 1);
	for (i = 0; i < 500 && nthreads() != 1; i++)
		usleep(10000);
	assert_int_equal(nthreads(), 1);
	assert_int_equal(fcntl(free_fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	close(wfd);
	pd_statq_free(q);
	unlink(fifo);
	rmdir(dir);
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
		cmocka_unit_test(test_statq_open_gives_the_fd_and_its_statx),
		cmocka_unit_test(test_statq_open_of_missing_path_is_enoent),
		cmocka_unit_test(test_statq_open_that_blocks_times_out_and_the_late_fd_is_closed),
		cmocka_unit_test(test_statq_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, setup_live, teardown_live);
}
