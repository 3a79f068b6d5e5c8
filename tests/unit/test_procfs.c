/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/procfs: pid listing, bounded reads, captured link stats. */
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
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "procfs.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

static struct pd_procfs *open_basic(void)
{
	struct pd_procfs *pfs = NULL;

	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	return pfs;
}

static int open_pid(struct pd_procfs *pfs, pid_t pid)
{
	int fd = -1;

	assert_int_equal(pd_procfs_open_pid(pfs, pid, &fd), 0);
	return fd;
}

/* A scratch directory for trees the fixtures do not hold; removed by rm -r. */
static void scratch_dir(char *tmpl)
{
	assert_non_null(mkdtemp(tmpl));
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void remove_tree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_procfs_new_of_missing_root_is_enoent(void **state)
{
	struct pd_procfs *pfs = (struct pd_procfs *)0x1;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/no-such-tree/proc",
				       &pfs), -ENOENT);
	assert_ptr_equal(pfs, (struct pd_procfs *)0x1);
}

static void test_procfs_new_of_a_file_is_enotdir(void **state)
{
	struct pd_procfs *pfs = NULL;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC "/meminfo", &pfs), -ENOTDIR);
	assert_null(pfs);
}

static void test_procfs_new_null_root_is_live_proc_not_captured(void **state)
{
	struct pd_procfs *pfs = NULL;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_string_equal(pd_procfs_root(pfs), "/proc");
	assert_false(pd_procfs_is_captured(pfs));
	pd_procfs_free(pfs);
}

static void test_procfs_new_sees_the_capture_marker(void **state)
{
	struct pd_procfs *pfs = open_basic();
	struct stat a, b;

	(void)state;
	assert_string_equal(pd_procfs_root(pfs), BASIC);
	assert_true(pd_procfs_is_captured(pfs));
	/* the root fd is the directory we named */
	assert_int_equal(fstat(pd_procfs_rootfd(pfs), &a), 0);
	assert_int_equal(stat(BASIC, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(a.st_dev, b.st_dev);
	pd_procfs_free(pfs);
}

static void test_procfs_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_procfs_free(NULL);
}

static void test_procfs_list_pids_is_ascending_and_skips_non_pids(void **state)
{
	static const pid_t want[] = { 1, 2, 100, 200, 300 };
	struct pd_procfs *pfs = open_basic();
	pid_t *pids = NULL;
	size_t n = 0, i;

	(void)state;
	/* "self", "meminfo" and "procdiag-capture" are not pids */
	assert_int_equal(pd_procfs_list_pids(pfs, &pids, &n), 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		assert_int_equal(pids[i], want[i]);
	free(pids);
	pd_procfs_free(pfs);
}

static void test_procfs_list_pids_sorts_numerically_and_rejects_odd_names(
	void **state)
{
	static const char *const names[] = {
		"30", "4", "1000", "200", "0", "007", "12a", "-5",
		"99999999999", "2147483648", "2147483647",
	};
	static const pid_t want[] = { 4, 7, 30, 200, 1000, 2147483647 };
	char dir[] = "/tmp/pd-test-procfs-XXXXXX", path[600];
	struct pd_procfs *pfs = NULL;
	pid_t *pids = NULL;
	size_t n = 0, i;

	(void)state;
	scratch_dir(dir);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_false(pd_procfs_is_captured(pfs));
	assert_int_equal(pd_procfs_list_pids(pfs, &pids, &n), 0);
	/* 0 and values past INT32_MAX are no pids; "007" is pid 7 */
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++)
		assert_int_equal(pids[i], want[i]);
	free(pids);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_procfs_list_pids_grows_past_its_first_allocation(void **state)
{
	char dir[] = "/tmp/pd-test-procfs-XXXXXX", path[600];
	struct pd_procfs *pfs = NULL;
	pid_t *pids = NULL;
	size_t n = 0, i;

	(void)state;
	scratch_dir(dir);
	/* the first allocation holds 256 */
	for (i = 1; i <= 600; i++) {
		snprintf(path, sizeof(path), "%s/%zu", dir, 601 - i);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_int_equal(pd_procfs_list_pids(pfs, &pids, &n), 0);
	assert_int_equal(n, 600);
	for (i = 0; i < n; i++)
		assert_int_equal(pids[i], (pid_t)(i + 1));
	free(pids);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_procfs_has_pids_only_in_a_proc_root(void **state)
{
	char dir[] = "/tmp/pd-test-procfs.XXXXXX";
	struct pd_procfs *pfs = open_basic();

	(void)state;
	assert_int_equal(pd_procfs_has_pids(pfs), 1);
	pd_procfs_free(pfs);
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_procfs_has_pids(pfs), 1);
	pd_procfs_free(pfs);
	/* one level too high: proc/ is there, no pid */
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/basic", &pfs), 0);
	assert_int_equal(pd_procfs_has_pids(pfs), 0);
	pd_procfs_free(pfs);
	scratch_dir(dir);
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_int_equal(pd_procfs_has_pids(pfs), 0);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_procfs_open_pid_of_a_tree_follows_no_symlink(void **state)
{
	char dir[] = "/tmp/pd-test-procfs.XXXXXX", path[128];
	struct pd_procfs *pfs = NULL;
	int fd = -1;

	(void)state;
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/1", dir);
	/* would read the live /proc/self as pid 1 of the tree */
	assert_int_equal(symlink("/proc/self", path), 0);
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 1, &fd), -ENOTDIR);
	assert_int_equal(fd, -1);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_procfs_open_pid_of_missing_pid_is_enoent(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = -7;

	(void)state;
	assert_int_equal(pd_procfs_open_pid(pfs, 999, &fd), -ENOENT);
	assert_int_equal(fd, -7);
	pd_procfs_free(pfs);
}

static void test_procfs_open_pid_gives_the_pid_directory(void **state)
{
	struct pd_procfs *pfs = open_basic();
	struct stat a, b;
	int fd = open_pid(pfs, 200);

	(void)state;
	assert_int_equal(fstat(fd, &a), 0);
	assert_int_equal(stat(BASIC "/200", &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_read_at_reads_the_whole_file_nul_terminated(void **state)
{
	static const char want[] = "/usr/bin/app\0--config\0/etc/app.conf";
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pd_read_at(fd, "cmdline", 4096, &buf, &len), 0);
	/* sizeof includes the final NUL of the string: the file's last byte */
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[len], '\0');
	free(buf);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_read_at_of_an_empty_file_is_an_empty_string(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 2);
	char *buf = NULL;
	size_t len = 99;

	(void)state;
	assert_int_equal(pd_read_at(fd, "cmdline", 4096, &buf, &len), 0);
	assert_int_equal(len, 0);
	assert_non_null(buf);
	assert_string_equal(buf, "");
	free(buf);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_read_at_past_a_tiny_limit_is_efbig(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	char *buf = (char *)0x1;
	size_t len = 99;

	(void)state;
	assert_int_equal(pd_read_at(fd, "stat", 4, &buf, &len), -EFBIG);
	assert_ptr_equal(buf, (char *)0x1);
	assert_int_equal(len, 99);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_read_at_limit_is_inclusive(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	/* cmdline of pid 100 is 36 bytes */
	assert_int_equal(pd_read_at(fd, "cmdline", 36, &buf, &len), 0);
	assert_int_equal(len, 36);
	free(buf);
	buf = NULL;
	assert_int_equal(pd_read_at(fd, "cmdline", 35, &buf, &len), -EFBIG);
	assert_null(buf);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_read_at_grows_past_its_first_buffer(void **state)
{
	char dir[] = "/tmp/pd-test-procfs-XXXXXX", path[600];
	char *text, *buf = NULL;
	size_t len = 0, i, n = 10000;
	int dfd;

	(void)state;
	scratch_dir(dir);
	text = malloc(n);
	assert_non_null(text);
	for (i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/big", dir);
	write_file(path, text, n);
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);

	assert_int_equal(pd_read_at(dfd, "big", 1u << 20, &buf, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(buf, text, n);
	assert_int_equal(buf[n], '\0');
	free(buf);
	buf = NULL;
	assert_int_equal(pd_read_at(dfd, "big", n, &buf, &len), 0);
	free(buf);
	buf = NULL;
	assert_int_equal(pd_read_at(dfd, "big", n - 1, &buf, &len), -EFBIG);
	assert_null(buf);
	assert_int_equal(pd_read_at(dfd, "big", 4096, &buf, &len), -EFBIG);
	assert_null(buf);

	close(dfd);
	free(text);
	remove_tree(dir);
}

static void test_read_at_of_missing_file_is_enoent(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 2);
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pd_read_at(fd, "smaps_rollup", 4096, &buf, &len),
			 -ENOENT);
	assert_null(buf);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_procfs_read_is_relative_to_the_root(void **state)
{
	static const char want[] = "MemTotal:        8024316 kB\n"
				   "MemFree:          912344 kB\n";
	struct pd_procfs *pfs = open_basic();
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pd_procfs_read(pfs, "meminfo", 4096, &buf, &len), 0);
	assert_int_equal(len, strlen(want));
	assert_string_equal(buf, want);
	free(buf);
	buf = NULL;
	/* a path below the root, not only a name in it */
	assert_int_equal(pd_procfs_read(pfs, "2/cgroup", 4096, &buf, &len), 0);
	assert_int_equal(len, 5);
	assert_string_equal(buf, "0::/\n");
	free(buf);
	pd_procfs_free(pfs);
}

static void test_procfs_is_live_only_for_a_procfs(void **state)
{
	struct pd_procfs *pfs = NULL;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_true(pd_procfs_is_live(pfs));
	pd_procfs_free(pfs);
	pfs = open_basic();
	assert_false(pd_procfs_is_live(pfs));
	pd_procfs_free(pfs);
}

/* A tree in a scratch directory: "meminfo" as KIND says, and a regular
 * "ok" file. Returns the opened context. */
enum odd { ODD_FIFO, ODD_DEVZERO, ODD_LOOP, ODD_DIR, ODD_LINK_DIR };

static struct pd_procfs *odd_tree(char *dir, enum odd kind)
{
	struct pd_procfs *pfs = NULL;
	char path[256], sub[256];

	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/ok", dir);
	write_file(path, "fine\n", 5);
	snprintf(path, sizeof(path), "%s/meminfo", dir);
	switch (kind) {
	case ODD_FIFO:
		assert_int_equal(mkfifo(path, 0600), 0);
		break;
	case ODD_DEVZERO:
		assert_int_equal(symlink("/dev/zero", path), 0);
		break;
	case ODD_LOOP:
		assert_int_equal(symlink("meminfo", path), 0);
		break;
	case ODD_DIR:
		assert_int_equal(mkdir(path, 0700), 0);
		break;
	case ODD_LINK_DIR:
		/* a regular file, but through a symlinked directory */
		snprintf(sub, sizeof(sub), "%s/real", dir);
		assert_int_equal(mkdir(sub, 0700), 0);
		snprintf(sub, sizeof(sub), "%s/real/meminfo", dir);
		write_file(sub, "x\n", 2);
		assert_int_equal(mkdir(path, 0700), 0);
		assert_int_equal(rmdir(path), 0);
		assert_int_equal(symlink("real", path), 0);
		break;
	}
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	return pfs;
}

static void check_odd(enum odd kind, const char *name)
{
	char dir[] = "/tmp/pd-test-procfs.XXXXXX", want[256];
	struct pd_procfs *pfs = odd_tree(dir, kind);
	char *buf = (char *)0x1;
	size_t len = 7;
	int fd = 99;

	assert_false(pd_procfs_is_live(pfs));
	assert_int_equal(pd_procfs_error(pfs), 0);
	assert_null(pd_procfs_bad_file(pfs));
	assert_int_equal(pd_procfs_read(pfs, name, 1u << 20, &buf, &len),
			 -PD_ENOTREG);
	assert_ptr_equal(buf, (char *)0x1);
	assert_int_equal(len, 7);
	snprintf(want, sizeof(want), "%s/%s", dir, name);
	assert_string_equal(pd_procfs_bad_file(pfs), want);
	assert_int_equal(pd_procfs_error(pfs), -PD_ENOTREG);
	assert_int_equal(pd_procfs_open_at(pfs, pd_procfs_rootfd(pfs), name,
					   &fd), -PD_ENOTREG);
	assert_int_equal(fd, 99);
	/* the first bad file is the one kept; good files still read */
	assert_int_equal(pd_procfs_read(pfs, "ok", 4096, &buf, &len), 0);
	assert_string_equal(buf, "fine\n");
	free(buf);
	assert_string_equal(pd_procfs_bad_file(pfs), want);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_procfs_read_of_a_fifo_in_a_tree_fails_at_once(void **state)
{
	(void)state;
	/* opened without O_NONBLOCK, it would wait for a writer forever */
	check_odd(ODD_FIFO, "meminfo");
}

static void test_procfs_read_of_a_link_to_a_device_in_a_tree_fails(
	void **state)
{
	(void)state;
	/* /dev/zero would be read up to the limit; a tty would block */
	check_odd(ODD_DEVZERO, "meminfo");
}

static void test_procfs_read_of_a_symlink_loop_in_a_tree_fails(void **state)
{
	(void)state;
	check_odd(ODD_LOOP, "meminfo");
}

static void test_procfs_read_of_a_directory_in_a_tree_fails(void **state)
{
	(void)state;
	check_odd(ODD_DIR, "meminfo");
}

static void test_procfs_read_through_a_symlinked_directory_in_a_tree_fails(
	void **state)
{
	(void)state;
	check_odd(ODD_LINK_DIR, "meminfo/meminfo");
}

static void test_procfs_read_of_the_live_proc_is_unchanged(void **state)
{
	struct pd_procfs *pfs = NULL;
	char *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	/* "self" is a symlink in the live /proc: followed, as ever */
	assert_int_equal(pd_procfs_read(pfs, "self/stat", 4096, &buf, &len),
			 0);
	assert_true(len > 0);
	free(buf);
	assert_int_equal(pd_procfs_error(pfs), 0);
	pd_procfs_free(pfs);
}

static void test_procfs_keeps_running_out_of_descriptors(void **state)
{
	struct pd_procfs *pfs = open_basic();
	struct rlimit old, low;
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, r;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	/* no descriptor left beyond the ones open now */
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	low = old;
	low.rlim_cur = (rlim_t)fd;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	fd = -1;
	r = pd_procfs_open_pid(pfs, 100, &fd);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(r, -EMFILE);
	assert_int_equal(fd, -1);
	assert_int_equal(pd_procfs_error(pfs), -EMFILE);
	/* the first fatal error stays, whatever comes later */
	assert_int_equal(pd_procfs_read(pfs, "no-such-file", 4096, &buf, &len),
			 -ENOENT);
	assert_int_equal(pd_procfs_error(pfs), -EMFILE);
	assert_null(pd_procfs_bad_file(pfs));
	pd_procfs_free(pfs);
}

static void test_readlink_at_returns_the_kernel_text(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	char buf[128];

	(void)state;
	assert_int_equal(pd_readlink_at(fd, "fd/3", buf, sizeof(buf)), 26);
	assert_string_equal(buf, "/var/log/app.log (deleted)");
	assert_int_equal(pd_readlink_at(fd, "fd/1", buf, sizeof(buf)), 14);
	assert_string_equal(buf, "socket:[23456]");
	assert_int_equal(pd_readlink_at(fd, "ns/mnt", buf, sizeof(buf)), 16);
	assert_string_equal(buf, "mnt:[4026531840]");
	close(fd);
	pd_procfs_free(pfs);
}

static void test_readlink_at_needs_room_for_the_nul(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	char buf[27];

	(void)state;
	assert_int_equal(pd_readlink_at(fd, "fd/3", buf, 26), -ENAMETOOLONG);
	assert_int_equal(pd_readlink_at(fd, "fd/3", buf, 10), -ENAMETOOLONG);
	assert_int_equal(pd_readlink_at(fd, "fd/3", buf, 27), 26);
	assert_string_equal(buf, "/var/log/app.log (deleted)");
	close(fd);
	pd_procfs_free(pfs);
}

static void test_readlink_at_of_missing_or_non_link(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 2);
	char buf[64];

	(void)state;
	/* kernel threads have no exe */
	assert_int_equal(pd_readlink_at(fd, "exe", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(pd_readlink_at(fd, "stat", buf, sizeof(buf)), -EINVAL);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_stat_link_of_captured_tree_reads_linkstat(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 100);
	struct stat st;

	(void)state;
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/3", &st), 0);
	assert_int_equal(major(st.st_dev), 8);
	assert_int_equal(minor(st.st_dev), 1);
	assert_int_equal(st.st_ino, 1234);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(st.st_mode, S_IFREG | 0640);
	assert_int_equal(st.st_size, 1048576);
	assert_int_equal(st.st_blocks, 1024);

	/* the live file named "(deleted)" */
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/8", &st), 0);
	assert_int_equal(st.st_ino, 4321);
	assert_int_equal(st.st_nlink, 1);

	assert_int_equal(pd_procfs_stat_link(pfs, fd, "cwd", &st), 0);
	assert_int_equal(st.st_mode, S_IFDIR | 0755);
	assert_int_equal(st.st_ino, 393220);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_stat_link_of_captured_tree_reads_map_files_and_minors(
	void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 200);
	struct stat st;

	(void)state;
	assert_int_equal(pd_procfs_stat_link(pfs, fd,
			 "map_files/7f52b8a00000-7f52b8a04000", &st), 0);
	assert_int_equal(st.st_ino, 5678);
	assert_int_equal(st.st_size, 204800);
	assert_int_equal(st.st_blocks, 400);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/9", &st), 0);
	assert_int_equal(major(st.st_dev), 0);
	assert_int_equal(minor(st.st_dev), 50);
	assert_int_equal(st.st_ino, 1223629);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_stat_link_of_captured_tree_matches_the_whole_key(void **state)
{
	struct pd_procfs *pfs = open_basic();
	int fd = open_pid(pfs, 200);
	struct stat st;

	(void)state;
	memset(&st, 0x5a, sizeof(st));
	/* "fd/1" is a prefix of no key here but fd/10 exists as a link */
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/1", &st), -ENOENT);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "map_files/7f52b8a00000",
					     &st), -ENOENT);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd", &st), -ENOENT);
	assert_int_equal(st.st_ino, (ino_t)0x5a5a5a5a5a5a5a5aull);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_stat_link_of_captured_tree_skips_malformed_lines(void **state)
{
	static const char ls[] =
		"fd/3 8:1 1234\n"			/* too few fields */
		"fd/3 8-1 1234 0 100644 10 8\n"		/* no colon */
		"fd/3 8:1 77 0 100644 4096 8\n"		/* the first good one */
		"fd/3 8:1 78 0 100644 4096 8\n"
		"fd/4 259:3 18446744073709551615 2 120777 0 0";	/* no \n */
	char dir[] = "/tmp/pd-test-procfs-XXXXXX", path[600];
	struct pd_procfs *pfs = NULL;
	struct stat st;
	int fd;

	(void)state;
	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/procdiag-capture", dir);
	write_file(path, "", 0);
	snprintf(path, sizeof(path), "%s/5", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/6", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/5/linkstat", dir);
	write_file(path, ls, sizeof(ls) - 1);

	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_true(pd_procfs_is_captured(pfs));
	fd = open_pid(pfs, 5);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/3", &st), 0);
	assert_int_equal(st.st_ino, 77);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/4", &st), 0);
	assert_int_equal(major(st.st_dev), 259);
	assert_int_equal(minor(st.st_dev), 3);
	assert_int_equal(st.st_ino, (ino_t)UINT64_MAX);
	assert_int_equal(st.st_nlink, 2);
	assert_int_equal(st.st_mode, S_IFLNK | 0777);
	close(fd);

	/* a pid without a linkstat file has no answers */
	fd = open_pid(pfs, 6);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/3", &st), -ENOENT);
	close(fd);
	pd_procfs_free(pfs);
	remove_tree(dir);
}

static void test_stat_link_of_live_proc_follows_the_link(void **state)
{
	struct pd_procfs *pfs = NULL;
	struct stat want, st;
	int fd;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	fd = open_pid(pfs, getpid());
	assert_int_equal(stat("/proc/self/exe", &want), 0);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "exe", &st), 0);
	assert_int_equal(st.st_ino, want.st_ino);
	assert_int_equal(st.st_dev, want.st_dev);
	assert_int_equal(pd_procfs_stat_link(pfs, fd, "fd/987654", &st),
			 -ENOENT);
	close(fd);
	pd_procfs_free(pfs);
}

static void test_err_is_gone_for_enoent_and_esrch_only(void **state)
{
	(void)state;
	assert_true(pd_err_is_gone(-ENOENT));
	assert_true(pd_err_is_gone(-ESRCH));
	assert_false(pd_err_is_gone(-EACCES));
	assert_false(pd_err_is_gone(-EIO));
	assert_false(pd_err_is_gone(0));
	assert_false(pd_err_is_gone(ENOENT));
}

static void test_scanstats_count_sorts_errors_by_cause(void **state)
{
	struct pd_scanstats s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(pd_scanstats_count(&s, -ENOENT), 0);
	assert_int_equal(pd_scanstats_count(&s, -ESRCH), 0);
	assert_int_equal(pd_scanstats_count(&s, -EACCES), 0);
	assert_int_equal(pd_scanstats_count(&s, -EPERM), 0);
	assert_int_equal(pd_scanstats_count(&s, -EPERM), 0);
	assert_int_equal(pd_scanstats_count(&s, -EIO), 0);
	assert_int_equal(pd_scanstats_count(&s, -EFBIG), 0);
	assert_int_equal(s.vanished, 2);
	assert_int_equal(s.denied, 3);
	assert_int_equal(s.failed, 2);
	/* the first failure is kept, as a positive errno */
	assert_int_equal(s.first_error, EIO);
	assert_int_equal(s.procs, 0);
}

static void test_scanstats_count_gives_back_the_tools_own_failures(
	void **state)
{
	struct pd_scanstats s;

	(void)state;
	memset(&s, 0, sizeof(s));
	/* out of descriptors or memory, a broken tree: never a count */
	assert_int_equal(pd_scanstats_count(&s, -EMFILE), -EMFILE);
	assert_int_equal(pd_scanstats_count(&s, -ENFILE), -ENFILE);
	assert_int_equal(pd_scanstats_count(&s, -ENOMEM), -ENOMEM);
	assert_int_equal(pd_scanstats_count(&s, -PD_ENOTREG), -PD_ENOTREG);
	assert_int_equal(s.vanished + s.denied + s.failed, 0);
	assert_int_equal(s.first_error, 0);
	assert_true(pd_err_is_fatal(-EMFILE));
	assert_false(pd_err_is_fatal(-EACCES));
	assert_false(pd_err_is_fatal(-ENOENT));
	assert_false(pd_err_is_fatal(0));
}

static void test_stat_link_reads_the_optional_blksize(void **state)
{
	struct pd_procfs *pfs;
	struct stat st;
	int pidfd;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/memfind/proc", &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 600, &pidfd), 0);
	assert_int_equal(pd_procfs_stat_link(pfs, pidfd, "fd/16", &st), 0);
	assert_int_equal(st.st_blksize, 2097152);
	assert_int_equal(st.st_blocks, 8192);
	close(pidfd);
	/* basic's lines have seven fields: no blksize */
	pd_procfs_free(pfs);
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 100, &pidfd), 0);
	assert_int_equal(pd_procfs_stat_link(pfs, pidfd, "fd/3", &st), 0);
	assert_int_equal(st.st_blksize, 0);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_fd_seals_of_captured_tree(void **state)
{
	struct pd_procfs *pfs;
	unsigned seals = 99;
	int pidfd;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/memfind/proc", &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 600, &pidfd), 0);
	assert_int_equal(pd_procfs_fd_seals(pfs, pidfd, 3, &seals), 0);
	assert_int_equal(seals, 15);
	assert_int_equal(pd_procfs_fd_seals(pfs, pidfd, 16, &seals), 0);
	assert_int_equal(seals, 1);
	assert_int_equal(pd_procfs_fd_seals(pfs, pidfd, 4, &seals), -ENOENT);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_fd_seals_of_live_memfd(void **state)
{
	struct pd_procfs *pfs;
	unsigned seals = 99;
	int pidfd, mfd, plain;

	(void)state;
	mfd = memfd_create("pd-seals", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	assert_true(mfd >= 0);
	assert_int_equal(fcntl(mfd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK), 0);
	plain = memfd_create("pd-noseal", MFD_CLOEXEC);
	assert_true(plain >= 0);
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, getpid(), &pidfd), 0);
	assert_int_equal(pd_procfs_fd_seals(pfs, pidfd, mfd, &seals), 0);
	assert_int_equal(seals, F_SEAL_GROW | F_SEAL_SHRINK);
	/* without MFD_ALLOW_SEALING a memfd is sealed with F_SEAL_SEAL */
	assert_int_equal(pd_procfs_fd_seals(pfs, pidfd, plain, &seals), 0);
	assert_int_equal(seals, F_SEAL_SEAL);
	close(pidfd);
	close(mfd);
	close(plain);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_procfs_new_of_missing_root_is_enoent),
		cmocka_unit_test(test_procfs_new_of_a_file_is_enotdir),
		cmocka_unit_test(test_procfs_new_null_root_is_live_proc_not_captured),
		cmocka_unit_test(test_procfs_new_sees_the_capture_marker),
		cmocka_unit_test(test_procfs_free_of_null_is_a_no_op),
		cmocka_unit_test(test_procfs_list_pids_is_ascending_and_skips_non_pids),
		cmocka_unit_test(test_procfs_list_pids_sorts_numerically_and_rejects_odd_names),
		cmocka_unit_test(test_procfs_list_pids_grows_past_its_first_allocation),
		cmocka_unit_test(test_procfs_has_pids_only_in_a_proc_root),
		cmocka_unit_test(test_procfs_open_pid_of_a_tree_follows_no_symlink),
		cmocka_unit_test(test_procfs_open_pid_of_missing_pid_is_enoent),
		cmocka_unit_test(test_procfs_open_pid_gives_the_pid_directory),
		cmocka_unit_test(test_read_at_reads_the_whole_file_nul_terminated),
		cmocka_unit_test(test_read_at_of_an_empty_file_is_an_empty_string),
		cmocka_unit_test(test_read_at_past_a_tiny_limit_is_efbig),
		cmocka_unit_test(test_read_at_limit_is_inclusive),
		cmocka_unit_test(test_read_at_grows_past_its_first_buffer),
		cmocka_unit_test(test_read_at_of_missing_file_is_enoent),
		cmocka_unit_test(test_procfs_read_is_relative_to_the_root),
		cmocka_unit_test(test_readlink_at_returns_the_kernel_text),
		cmocka_unit_test(test_readlink_at_needs_room_for_the_nul),
		cmocka_unit_test(test_readlink_at_of_missing_or_non_link),
		cmocka_unit_test(test_stat_link_of_captured_tree_reads_linkstat),
		cmocka_unit_test(test_stat_link_of_captured_tree_reads_map_files_and_minors),
		cmocka_unit_test(test_stat_link_of_captured_tree_matches_the_whole_key),
		cmocka_unit_test(test_stat_link_of_captured_tree_skips_malformed_lines),
		cmocka_unit_test(test_stat_link_of_live_proc_follows_the_link),
		cmocka_unit_test(test_err_is_gone_for_enoent_and_esrch_only),
		cmocka_unit_test(test_procfs_is_live_only_for_a_procfs),
		cmocka_unit_test(test_procfs_read_of_a_fifo_in_a_tree_fails_at_once),
		cmocka_unit_test(test_procfs_read_of_a_link_to_a_device_in_a_tree_fails),
		cmocka_unit_test(test_procfs_read_of_a_symlink_loop_in_a_tree_fails),
		cmocka_unit_test(test_procfs_read_of_a_directory_in_a_tree_fails),
		cmocka_unit_test(test_procfs_read_through_a_symlinked_directory_in_a_tree_fails),
		cmocka_unit_test(test_procfs_read_of_the_live_proc_is_unchanged),
		cmocka_unit_test(test_procfs_keeps_running_out_of_descriptors),
		cmocka_unit_test(test_scanstats_count_sorts_errors_by_cause),
		cmocka_unit_test(test_scanstats_count_gives_back_the_tools_own_failures),
		cmocka_unit_test(test_stat_link_reads_the_optional_blksize),
		cmocka_unit_test(test_fd_seals_of_captured_tree),
		cmocka_unit_test(test_fd_seals_of_live_memfd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
