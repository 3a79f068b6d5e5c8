/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/tmpfs: the walk (on a tree made here), statvfs used
 * bytes, and the captured-tree stand-in. */
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
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tmpfs.h"

struct seen {
	char paths[16][256];
	uint64_t sizes[16];
	size_t n;
	dev_t sb_dev[4];
	uint64_t sb_used[4];
	size_t nsb;
};

static int on_file(void *arg, const struct pd_tmpfs_file *f)
{
	struct seen *s = arg;

	assert_true(s->n < 16);
	assert_int_equal(strlen(f->path), f->path_len);
	snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", f->path);
	s->sizes[s->n] = f->size;
	s->n++;
	return 0;
}

static int on_sb(void *arg, dev_t dev, uint64_t used)
{
	struct seen *s = arg;

	assert_true(s->nsb < 4);
	s->sb_dev[s->nsb] = dev;
	s->sb_used[s->nsb] = used;
	s->nsb++;
	return 0;
}

static bool has_path(const struct seen *s, const char *p)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->paths[i], p))
			return true;
	return false;
}

static void write_file(const char *path, size_t n)
{
	char buf[1000] = { 0 };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		assert_int_equal(write(fd, buf, k), (ssize_t)k);
		n -= k;
	}
	close(fd);
}

static void test_tmpfs_walk_lists_regular_files_and_never_follows_links(void **state)
{
	char dir[] = "/tmp/pd-tmpfs-XXXXXX", p[512];
	struct pd_tmpfs_walkstats ws;
	struct seen s = { 0 };
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	write_file(p, 4096);
	snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/sub/b c", dir);
	write_file(p, 10);
	snprintf(p, sizeof(p), "%s/sub/hard", dir);
	{
		char a[512];

		snprintf(a, sizeof(a), "%s/a", dir);
		assert_int_equal(link(a, p), 0);
	}
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink("/etc", p), 0);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	assert_int_equal(mkfifo(p, 0600), 0);

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(pd_tmpfs_walk(fd, st.st_dev, "/prefix/", on_file, &s,
				       &ws), 0);
	close(fd);
	/* a hard link comes once per name: the caller dedupes by inode */
	assert_int_equal(s.n, 3);
	assert_true(has_path(&s, "/prefix/a"));
	assert_true(has_path(&s, "/prefix/sub/b c"));
	assert_true(has_path(&s, "/prefix/sub/hard"));
	assert_int_equal(ws.dirs, 2);
	assert_int_equal(ws.unreadable, 0);

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

static void test_tmpfs_walk_skips_other_devices(void **state)
{
	char dir[] = "/tmp/pd-tmpfs-XXXXXX", p[512];
	struct seen s = { 0 };
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	write_file(p, 1);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	/* a device the files are not on: nothing is theirs */
	assert_int_equal(pd_tmpfs_walk(fd, st.st_dev + 1, "", on_file, &s,
				       NULL), 0);
	close(fd);
	assert_int_equal(s.n, 0);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

static int stop_cb(void *arg, const struct pd_tmpfs_file *f)
{
	(void)arg;
	(void)f;
	return -ECANCELED;
}

static void test_tmpfs_walk_returns_the_callbacks_error(void **state)
{
	char dir[] = "/tmp/pd-tmpfs-XXXXXX", p[512];
	struct stat st;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a", dir);
	write_file(p, 1);
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(pd_tmpfs_walk(fd, st.st_dev, "", stop_cb, NULL, NULL),
			 -ECANCELED);
	close(fd);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
}

static void test_tmpfs_used_is_blocks_minus_free(void **state)
{
	struct statvfs sv;
	uint64_t used;
	int fd;

	(void)state;
	fd = open("/dev/shm", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fstatvfs(fd, &sv) < 0 || sv.f_blocks == 0) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	assert_int_equal(pd_tmpfs_used(fd, &used), 0);
	/* the oracle read again right after: nothing of ours changes it */
	assert_int_equal(fstatvfs(fd, &sv), 0);
	assert_int_equal(used, (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize);
	close(fd);
}

static void test_tmpfs_capture_parse_files_and_superblocks(void **state)
{
	static const char t[] =
		"sb 0:25 1130496\n"
		"sb 0:5 -\n"
		"file 0:25 77 1 100600 1048576 2048 /dev/shm/app.shm\n"
		"file 0:26 102 1 100644 20480 40 /run/odd\tname\n"
		"file 0:26 103 1 100644 20480 40 relative\n"
		"file 0:26 x 1 100644 20480 40 /bad\n"
		"sb 0:27 12x\n"
		"garbage\n"
		"file 0:26 105 1 100644 1 8 /nul\0inside\n"
		"file 0:26 104 1 100644 1 8 /no/newline";
	struct seen s = { 0 };

	(void)state;
	assert_int_equal(pd_tmpfs_capture_parse(t, sizeof(t) - 1, on_file,
						on_sb, &s), 0);
	assert_int_equal(s.nsb, 2);
	assert_int_equal(s.sb_dev[0], makedev(0, 25));
	assert_int_equal(s.sb_used[0], 1130496);
	assert_int_equal(s.sb_dev[1], makedev(0, 5));
	assert_int_equal(s.sb_used[1], UINT64_MAX);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.paths[0], "/dev/shm/app.shm");
	assert_int_equal(s.sizes[0], 1048576);
	assert_string_equal(s.paths[1], "/run/odd\tname");
	assert_string_equal(s.paths[2], "/no/newline");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tmpfs_walk_lists_regular_files_and_never_follows_links),
		cmocka_unit_test(test_tmpfs_walk_skips_other_devices),
		cmocka_unit_test(test_tmpfs_walk_returns_the_callbacks_error),
		cmocka_unit_test(test_tmpfs_used_is_blocks_minus_free),
		cmocka_unit_test(test_tmpfs_capture_parse_files_and_superblocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
