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
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
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

/* Open descriptors of this process. */
static int nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the DIR's own */
}

static void test_statq_open_of_a_directory_is_that_directory(void **state)
{
	struct stat want, st;
	int fd = -1, flags;

	(void)state;
	assert_int_equal(stat(PD_FIXTURES_DIR, &want), 0);
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR,
				       O_RDONLY | O_DIRECTORY, &fd), 0);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	flags = fcntl(fd, F_GETFD);
	assert_int_equal(flags & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR
				       "/no-such-dir", O_RDONLY, &fd), -ENOENT);
	assert_int_equal(pd_statq_open(live.q, AT_FDCWD, PD_FIXTURES_DIR
				       "/README.md", O_RDONLY | O_DIRECTORY,
				       &fd), -ENOTDIR);
}

/* An open that does not return (a FIFO without a writer, as a stopped
 * FUSE daemon's OPENDIR): -ETIMEDOUT at the deadline; the fd it gets
 * late is closed by the worker, and the next call works. */
static void test_statq_open_that_blocks_times_out(void **state)
{
	char dir[256], fifo[300];
	struct pd_statq *q = NULL;
	struct stat st;
	int fd = -1, w, before, i;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pd-statq.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	before = nfds();
	assert_int_equal(pd_statq_new(live.pfs, 200, &q), 0);
	assert_int_equal(pd_statq_open(q, AT_FDCWD, fifo, O_RDONLY, &fd),
			 -ETIMEDOUT);
	assert_int_equal(fd, -1);
	/* the next call gets a worker of its own */
	assert_int_equal(pd_statq_stat(q, AT_FDCWD, dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* a writer lets the lost open return: its fd is closed for us */
	w = open(fifo, O_WRONLY | O_CLOEXEC);
	assert_true(w >= 0);
	close(w);
	for (i = 0; i < 500 && nfds() != before; i++) {
		struct timespec ms10 = { 0, 10000000L };

		nanosleep(&ms10, NULL);
	}
	pd_statq_free(q);
	assert_int_equal(nfds(), before);
	unlink(fifo);
	rmdir(dir);
}

static void test_statq_syncfs_of_a_directory(void **state)
{
	int fd = open(PD_FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pd_statq_syncfs(live.q, fd), 0);
	close(fd);
	assert_int_equal(pd_statq_syncfs(live.q, -1), -EBADF);
}

/* The child opens the directory it was given ("." of it) and hands it
 * back; or fails with the errno in ARG; or sleeps past the deadline. */
static int child_reopen(void *arg, int fd, int *ret_fd)
{
	int e = *(const int *)arg, d;

	if (e > 0)
		return -e;
	if (e < 0) {
		sleep(2);
		return 0;
	}
	d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d < 0)
		return -errno;
	*ret_fd = d;
	return 0;
}

static void test_statq_child_hands_back_an_fd(void **state)
{
	int dir = open(PD_FIXTURES_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ok = 0, fd = -1;
	struct stat a, b;

	(void)state;
	assert_true(dir >= 0);
	assert_int_equal(pd_statq_child(live.q, dir, child_reopen, &ok, &fd),
			 0);
	assert_true(fd >= 0 && fd != dir);
	assert_int_equal(fstat(dir, &a), 0);
	assert_int_equal(fstat(fd, &b), 0);
	assert_int_equal(a.st_dev, b.st_dev);
	assert_int_equal(a.st_ino, b.st_ino);
	/* close-on-exec, as every fd of ours */
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	close(dir);
}

static void test_statq_child_errno_and_deadline(void **state)
{
	struct pd_statq *q = NULL;
	int eperm = EPERM, slow = -1, fd = -1;

	(void)state;
	assert_int_equal(pd_statq_child(live.q, -1, child_reopen, &eperm,
					&fd), -EPERM);
	assert_int_equal(fd, -1);
	assert_int_equal(pd_statq_new(live.pfs, 200, &q), 0);
	assert_int_equal(pd_statq_child(q, -1, child_reopen, &slow, &fd),
			 -ETIMEDOUT);
	assert_int_equal(fd, -1);
	pd_statq_free(q);
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
		cmocka_unit_test(test_statq_open_of_a_directory_is_that_directory),
		cmocka_unit_test(test_statq_open_that_blocks_times_out),
		cmocka_unit_test(test_statq_syncfs_of_a_directory),
		cmocka_unit_test(test_statq_child_hands_back_an_fd),
		cmocka_unit_test(test_statq_child_errno_and_deadline),
		cmocka_unit_test(test_statq_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, setup_live, teardown_live);
}
