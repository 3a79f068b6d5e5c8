/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/fdtab: link text, NFS silly names, fdinfo, fd/ walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtab.h"
#include "procfs.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

static struct pd_link link_of(const char *text)
{
	struct pd_link l;

	memset(&l, 0x5a, sizeof(l));
	assert_int_equal(pd_link_parse(text, strlen(text), &l), 0);
	return l;
}

static void test_link_parse_plain_path(void **state)
{
	struct pd_link l = link_of("/etc/passwd");

	(void)state;
	assert_int_equal(l.kind, PD_LINK_PATH);
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 11);
}

static void test_link_parse_deleted_path_drops_the_suffix(void **state)
{
	struct pd_link l = link_of("/var/log/app.log (deleted)");

	(void)state;
	assert_int_equal(l.kind, PD_LINK_PATH);
	assert_true(l.deleted);
	assert_int_equal(l.path_len, 16);

	l = link_of("/memfd:blob (deleted)");
	assert_int_equal(l.kind, PD_LINK_PATH);
	assert_true(l.deleted);
	assert_int_equal(l.path_len, 11);

	/* a deleted file right under the root */
	l = link_of("/ (deleted)");
	assert_true(l.deleted);
	assert_int_equal(l.path_len, 1);

	/* a name with the suffix twice loses only the last one */
	l = link_of("/srv/x (deleted) (deleted)");
	assert_true(l.deleted);
	assert_int_equal(l.path_len, 16);
}

static void test_link_parse_suffix_must_be_exact_and_last(void **state)
{
	struct pd_link l;

	(void)state;
	l = link_of("/srv/x(deleted)");
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 15);
	l = link_of("/srv/x (deleted) ");
	assert_false(l.deleted);
	l = link_of("/srv/x (Deleted)");
	assert_false(l.deleted);
	l = link_of("/srv/state (deleted).bin");
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 24);
}

static void test_link_parse_socket_pipe_anon(void **state)
{
	struct pd_link l;

	(void)state;
	l = link_of("socket:[12345]");
	assert_int_equal(l.kind, PD_LINK_SOCKET);
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 14);
	l = link_of("pipe:[999]");
	assert_int_equal(l.kind, PD_LINK_PIPE);
	assert_int_equal(l.path_len, 10);
	l = link_of("anon_inode:[eventfd]");
	assert_int_equal(l.kind, PD_LINK_ANON);
	assert_int_equal(l.path_len, 20);
	/* inotify and a few others print their name without brackets */
	l = link_of("anon_inode:inotify");
	assert_int_equal(l.kind, PD_LINK_ANON);
	l = link_of("anon_inode:[pidfd]");
	assert_int_equal(l.kind, PD_LINK_ANON);
}

static void test_link_parse_other_kinds(void **state)
{
	struct pd_link l;

	(void)state;
	l = link_of("net:[4026531840]");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 16);
	l = link_of("mnt:[4026531840]");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	/* the prefixes alone name nothing */
	l = link_of("socket:[");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	l = link_of("pipe:[");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	l = link_of("anon_inode:");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	/* not a path: the suffix means nothing here */
	l = link_of(" (deleted)");
	assert_int_equal(l.kind, PD_LINK_OTHER);
	assert_false(l.deleted);
	l = link_of("socket:[1] (deleted)");
	assert_int_equal(l.kind, PD_LINK_SOCKET);
	assert_false(l.deleted);
}

static void test_link_parse_empty_is_einval(void **state)
{
	struct pd_link l;

	(void)state;
	memset(&l, 0x5a, sizeof(l));
	assert_int_equal(pd_link_parse("", 0, &l), -EINVAL);
	assert_int_equal(l.path_len, (size_t)0x5a5a5a5a5a5a5a5aull);
}

static void test_link_parse_honours_len(void **state)
{
	static const char text[] = "/a (deleted)XYZ";
	struct pd_link l;

	(void)state;
	assert_int_equal(pd_link_parse(text, 12, &l), 0);
	assert_true(l.deleted);
	assert_int_equal(l.path_len, 2);
	assert_int_equal(pd_link_parse(text, 15, &l), 0);
	assert_false(l.deleted);
	assert_int_equal(l.path_len, 15);
}

static bool silly(const char *path)
{
	return pd_path_is_nfs_silly(path, strlen(path));
}

static void test_path_is_nfs_silly_of_a_kernel_name(void **state)
{
	(void)state;
	assert_true(silly("/mnt/nfs/.nfs000000000012abcd00000001"));
	assert_true(silly(".nfs000000000012abcd00000001"));
	assert_true(silly("/home/u/dir/.nfsffffffffffffffff0000abcd"));
}

static void test_path_is_nfs_silly_wants_24_lower_hex_digits(void **state)
{
	(void)state;
	assert_false(silly("/mnt/nfs/.nfs"));
	assert_false(silly("/mnt/nfs/.nfs0"));
	/* a user's own dot files that happen to be hex */
	assert_false(silly("/home/u/.nfsbeef"));
	assert_false(silly("/home/u/.nfsdead"));
	assert_false(silly("/mnt/nfs/.nfs000000000012abcd0000001"));
	assert_false(silly("/mnt/nfs/.nfs000000000012abcd000000010"));
	assert_false(silly("/mnt/nfs/.nfs000000000012ABCD00000001"));
	assert_false(silly("/mnt/nfs/.nfs000000000012abcg00000001"));
	assert_false(silly("/mnt/nfs/.NFS000000000012abcd00000001"));
	assert_false(silly("/mnt/nfs/x.nfs000000000012abcd00000001"));
	assert_false(silly(""));
	assert_false(silly("/"));
}

static void test_path_is_nfs_silly_looks_at_the_last_component(void **state)
{
	static const char text[] =
		"/mnt/nfs/.nfs000000000012abcd00000001 (deleted)";

	(void)state;
	assert_false(silly("/mnt/.nfs000000000012abcd00000001/child"));
	assert_false(silly("/mnt/nfs/.nfs000000000012abcd00000001/"));
	/* LEN, not the NUL, ends the path */
	assert_true(pd_path_is_nfs_silly(text, 37));
	assert_false(pd_path_is_nfs_silly(text, sizeof(text) - 1));
}

static int fdinfo_str(const char *s, struct pd_fdinfo *fi)
{
	return pd_fdinfo_parse(s, strlen(s), fi);
}

static void test_fdinfo_parse_kernel_text(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	assert_int_equal(fdinfo_str("pos:\t0\nflags:\t0100002\nmnt_id:\t25\n"
				    "ino:\t1234\n", &fi), 0);
	assert_int_equal(fi.pos, 0);
	assert_int_equal(fi.flags, 0100002);
	assert_int_equal(fi.mnt_id, 25);
	assert_int_equal(fi.ino, 1234);
}

static void test_fdinfo_parse_flags_are_octal(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	/* O_WRONLY | O_APPEND | O_LARGEFILE */
	assert_int_equal(fdinfo_str("pos:\t1048576\nflags:\t0102001\n"
				    "mnt_id:\t25\nino:\t1234\n", &fi), 0);
	assert_int_equal(fi.flags, 0102001);
	assert_int_equal(fi.flags, 33793);
	assert_int_equal(fi.pos, 1048576);
	/* O_CLOEXEC | O_RDWR on a memfd */
	assert_int_equal(fdinfo_str("pos:\t0\nflags:\t02100002\n", &fi), 0);
	assert_int_equal(fi.flags, 02100002);
	/* 8 is no octal digit: the line is ignored */
	assert_int_equal(fdinfo_str("pos:\t0\nflags:\t0108\n", &fi), 0);
	assert_int_equal(fi.flags, 0);
}

static void test_fdinfo_parse_without_mnt_id_and_ino(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	/* before 3.15: pos and flags only */
	assert_int_equal(fdinfo_str("pos:\t4096\nflags:\t02\n", &fi), 0);
	assert_int_equal(fi.pos, 4096);
	assert_int_equal(fi.flags, 02);
	assert_int_equal(fi.mnt_id, -1);
	assert_int_equal(fi.ino, 0);
	/* 3.15 .. 5.13: mnt_id, no ino */
	assert_int_equal(fdinfo_str("pos:\t0\nflags:\t0100000\nmnt_id:\t0\n",
				    &fi), 0);
	assert_int_equal(fi.mnt_id, 0);
	assert_int_equal(fi.ino, 0);
}

static void test_fdinfo_parse_ignores_type_specific_lines(void **state)
{
	static const char text[] =
		"pos:\t0\nflags:\t02004000\nmnt_id:\t15\nino:\t1058\n"
		"inotify wd:1 ino:99 sdev:801 mask:d84 ignored_mask:0 "
		"fhandle-bytes:8 fhandle-type:1 f_handle:0100000000000000\n"
		"eventfd-count:                0\n";
	struct pd_fdinfo fi;

	(void)state;
	assert_int_equal(fdinfo_str(text, &fi), 0);
	assert_int_equal(fi.ino, 1058);
	assert_int_equal(fi.mnt_id, 15);
	assert_int_equal(fi.flags, 02004000);
}

static void test_fdinfo_parse_last_line_without_newline(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	assert_int_equal(fdinfo_str("flags:\t01\npos:    77", &fi), 0);
	assert_int_equal(fi.pos, 77);
	assert_int_equal(fi.flags, 01);
}

static void test_fdinfo_parse_number_limits(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	assert_int_equal(fdinfo_str("pos:\t18446744073709551615\n"
				    "ino:\t18446744073709551615\n", &fi), 0);
	assert_int_equal(fi.pos, UINT64_MAX);
	assert_int_equal(fi.ino, UINT64_MAX);
	/* an mnt_id that does not fit an int is as good as absent */
	assert_int_equal(fdinfo_str("pos:\t0\nmnt_id:\t2147483648\n", &fi), 0);
	assert_int_equal(fi.mnt_id, -1);
	assert_int_equal(fdinfo_str("pos:\t0\nmnt_id:\t2147483647\n", &fi), 0);
	assert_int_equal(fi.mnt_id, INT_MAX);
}

static void test_fdinfo_parse_without_pos_is_einval(void **state)
{
	struct pd_fdinfo fi;

	(void)state;
	memset(&fi, 0x5a, sizeof(fi));
	assert_int_equal(fdinfo_str("", &fi), -EINVAL);
	assert_int_equal(fdinfo_str("flags:\t02\nmnt_id:\t25\n", &fi), -EINVAL);
	assert_int_equal(fdinfo_str("pos:\n", &fi), -EINVAL);
	assert_int_equal(fdinfo_str("pos:\tx\n", &fi), -EINVAL);
	assert_int_equal(fdinfo_str("pos:\t18446744073709551616\n", &fi),
			 -EINVAL);
	assert_int_equal(fdinfo_str(" pos:\t0\n", &fi), -EINVAL);
	assert_int_equal(fi.mnt_id, 0x5a5a5a5a);
}

static void test_fdinfo_parse_honours_len(void **state)
{
	static const char text[] = "pos:\t12\nmnt_id:\t25\n";
	struct pd_fdinfo fi;

	(void)state;
	assert_int_equal(pd_fdinfo_parse(text, 6, &fi), 0);
	assert_int_equal(fi.pos, 1);
	assert_int_equal(fi.mnt_id, -1);
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

struct seen {
	int fd;
	char text[64];
};

static int cmp_seen(const void *a, const void *b)
{
	return ((const struct seen *)a)->fd - ((const struct seen *)b)->fd;
}

static void test_fdtab_next_walks_every_fd_with_its_text(void **state)
{
	static const struct seen want[] = {
		{ 0, "/dev/null" },
		{ 1, "socket:[23456]" },
		{ 2, "pipe:[999]" },
		{ 3, "/var/log/app.log (deleted)" },
		{ 4, "anon_inode:[eventfd]" },
		{ 7, "/var/log/app.log (deleted)" },
		{ 8, "/srv/x (deleted)" },
	};
	struct seen got[16];
	struct pd_fdtab *tab = NULL;
	const char *text;
	size_t n = 0, len, i;
	int pidfd = open_dir(BASIC "/100"), fd, r;

	(void)state;
	assert_int_equal(pd_fdtab_open(pidfd, &tab), 0);
	while ((r = pd_fdtab_next(tab, &fd, &text, &len)) == 0) {
		assert_true(n < 16);
		assert_int_equal(strlen(text), len);
		got[n].fd = fd;
		snprintf(got[n].text, sizeof(got[n].text), "%s", text);
		n++;
	}
	assert_int_equal(r, 1);
	/* the end stays the end */
	assert_int_equal(pd_fdtab_next(tab, &fd, &text, &len), 1);
	/* fd/ of a real /proc is ascending; a captured tree's need not be */
	qsort(got, n, sizeof(got[0]), cmp_seen);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < n; i++) {
		assert_int_equal(got[i].fd, want[i].fd);
		assert_string_equal(got[i].text, want[i].text);
	}
	pd_fdtab_free(tab);
	close(pidfd);
}

static void test_fdtab_next_of_a_kernel_thread_is_the_end(void **state)
{
	struct pd_fdtab *tab = NULL;
	const char *text = NULL;
	size_t len = 0;
	int pidfd = open_dir(BASIC "/2"), fd = -7;

	(void)state;
	assert_int_equal(pd_fdtab_open(pidfd, &tab), 0);
	assert_int_equal(pd_fdtab_next(tab, &fd, &text, &len), 1);
	assert_int_equal(fd, -7);
	assert_null(text);
	pd_fdtab_free(tab);
	close(pidfd);
}

static void test_fdtab_dirfd_is_the_fd_directory(void **state)
{
	struct pd_fdtab *tab = NULL;
	char buf[64];
	int pidfd = open_dir(BASIC "/200");
	ssize_t n;

	(void)state;
	assert_int_equal(pd_fdtab_open(pidfd, &tab), 0);
	n = readlinkat(pd_fdtab_dirfd(tab), "9", buf, sizeof(buf) - 1);
	assert_int_equal(n, 37);
	buf[n] = '\0';
	assert_string_equal(buf, "/mnt/nfs/.nfs000000000012abcd00000001");
	pd_fdtab_free(tab);
	close(pidfd);
}

static void test_fdtab_open_without_fd_directory_is_enoent(void **state)
{
	struct pd_fdtab *tab = (struct pd_fdtab *)0x1;
	int pidfd = open_dir(PD_FIXTURES_DIR "/nofd/proc/400");

	(void)state;
	assert_int_equal(pd_fdtab_open(pidfd, &tab), -ENOENT);
	assert_ptr_equal(tab, (struct pd_fdtab *)0x1);
	close(pidfd);
}

static void test_fdtab_next_skips_names_that_are_not_fd_numbers(void **state)
{
	static const char *const names[] = {
		"12abc", "-1", "x", "99999999999", "5",
	};
	char dir[] = "/tmp/pd-test-fdtab-XXXXXX", path[600];
	struct pd_fdtab *tab = NULL;
	const char *text;
	size_t len, i;
	int pidfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fd", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/fd/%s", dir, names[i]);
		assert_int_equal(symlink("pipe:[1]", path), 0);
	}
	pidfd = open_dir(dir);
	assert_int_equal(pd_fdtab_open(pidfd, &tab), 0);
	assert_int_equal(pd_fdtab_next(tab, &fd, &text, &len), 0);
	assert_int_equal(fd, 5);
	assert_string_equal(text, "pipe:[1]");
	assert_int_equal(len, 8);
	assert_int_equal(pd_fdtab_next(tab, &fd, &text, &len), 1);
	pd_fdtab_free(tab);
	close(pidfd);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* A chain of DEPTH directories of 200-byte names under BASE, each level's
 * fd in DIRS[0..DEPTH-1]: the bottom's path is longer than PATH_MAX, so
 * it can only be reached through the fds. */
#define DEEP_LEVELS 24

static void deep_chain_make(const char *base, int dirs[DEEP_LEVELS])
{
	char name[201];
	int parent, i;

	memset(name, 'd', 200);
	name[200] = '\0';
	parent = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(parent >= 0);
	for (i = 0; i < DEEP_LEVELS; i++) {
		assert_int_equal(mkdirat(parent, name, 0700), 0);
		dirs[i] = openat(parent, name, O_RDONLY | O_DIRECTORY |
				 O_CLOEXEC);
		assert_true(dirs[i] >= 0);
		if (i == 0)
			close(parent);
		parent = dirs[i];
	}
}

static void deep_chain_remove(const char *base, int dirs[DEEP_LEVELS])
{
	char name[201];
	int i, top;

	memset(name, 'd', 200);
	name[200] = '\0';
	for (i = DEEP_LEVELS - 1; i > 0; i--) {
		if (unlinkat(dirs[i - 1], name, AT_REMOVEDIR) < 0)
			fail_msg("rmdir level %d: %s", i, strerror(errno));
		close(dirs[i]);
	}
	close(dirs[0]);
	top = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(top >= 0);
	assert_int_equal(unlinkat(top, name, AT_REMOVEDIR), 0);
	close(top);
	assert_int_equal(rmdir(base), 0);
}

/* readlink of fd/N fails with ENAMETOOLONG when the path is longer than
 * PATH_MAX (d_path() into a PATH_MAX buffer): the fd is still given, with
 * empty text, and the walk goes on. A live /proc: our own fds. */
static void test_fdtab_next_gives_a_too_long_path_as_empty_text(void **state)
{
	char base[] = "/tmp/pd-test-fdtab-deep-XXXXXX";
	struct pd_procfs *pfs = NULL;
	struct pd_fdtab *tab = NULL;
	int dirs[DEEP_LEVELS], deep, pidfd, fd, r, devnull;
	bool saw_deep = false, saw_null = false;
	const char *text;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(base));
	deep_chain_make(base, dirs);
	deep = openat(dirs[DEEP_LEVELS - 1], "file", O_RDWR | O_CREAT |
		      O_CLOEXEC, 0600);
	assert_true(deep >= 0);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(devnull >= 0);
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, getpid(), &pidfd), 0);
	assert_int_equal(pd_fdtab_open(pidfd, &tab), 0);
	while ((r = pd_fdtab_next(tab, &fd, &text, &len)) == 0) {
		if (fd == deep) {
			assert_int_equal(len, 0);
			assert_string_equal(text, "");
			saw_deep = true;
		} else if (fd == devnull) {
			assert_string_equal(text, "/dev/null");
			assert_int_equal(len, 9);
			saw_null = true;
		}
	}
	assert_int_equal(r, 1);
	assert_true(saw_deep);
	assert_true(saw_null);
	pd_fdtab_free(tab);
	close(pidfd);
	pd_procfs_free(pfs);
	close(devnull);
	close(deep);
	assert_int_equal(unlinkat(dirs[DEEP_LEVELS - 1], "file", 0), 0);
	deep_chain_remove(base, dirs);
}

static void test_link_truncated_path_is_the_mount_and_a_mark(void **state)
{
	char *p = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(pd_link_truncated_path("/var/tmp", &p, &len), 0);
	assert_string_equal(p, "/var/tmp/... (truncated)");
	assert_int_equal(len, 24);
	free(p);
	assert_int_equal(pd_link_truncated_path("/", &p, &len), 0);
	assert_string_equal(p, "/... (truncated)");
	assert_int_equal(len, 16);
	free(p);
	assert_int_equal(pd_link_truncated_path(NULL, &p, &len), 0);
	assert_string_equal(p, "... (truncated)");
	assert_int_equal(len, 15);
	free(p);
}

static void test_fdtab_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_fdtab_free(NULL);
}

static void test_dmabuf_fdinfo_parse_gives_size_count_and_names(void **state)
{
	static const char t[] = "pos:\t0\nflags:\t02\nmnt_id:\t14\nino:\t5005\n"
				"size:\t4194304\ncount:\t2\nexp_name:\tsystem\n"
				"name:\tframe buffer\n";
	struct pd_dmabuf_info di;

	(void)state;
	assert_int_equal(pd_dmabuf_fdinfo_parse(t, sizeof(t) - 1, &di), 0);
	assert_int_equal(di.size, 4194304);
	assert_int_equal(di.count, 2);
	assert_true(di.has_exp_name);
	assert_string_equal(di.exp_name, "system");
	assert_true(di.has_name);
	assert_string_equal(di.name, "frame buffer");
}

static void test_dmabuf_fdinfo_parse_cuts_long_names(void **state)
{
	char t[256];
	struct pd_dmabuf_info di;

	(void)state;
	snprintf(t, sizeof(t), "size:\t1\nexp_name:\t%0100d\n", 0);
	assert_int_equal(pd_dmabuf_fdinfo_parse(t, strlen(t), &di), 0);
	assert_int_equal(strlen(di.exp_name), sizeof(di.exp_name) - 1);
	assert_false(di.has_name);
}

static void test_dmabuf_fdinfo_parse_of_other_fdinfo_is_einval(void **state)
{
	static const char t[] = "pos:\t0\nflags:\t0100002\nmnt_id:\t0\nino:\t3054\n";
	struct pd_dmabuf_info di;

	(void)state;
	assert_int_equal(pd_dmabuf_fdinfo_parse(t, sizeof(t) - 1, &di), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_parse_plain_path),
		cmocka_unit_test(test_link_parse_deleted_path_drops_the_suffix),
		cmocka_unit_test(test_link_parse_suffix_must_be_exact_and_last),
		cmocka_unit_test(test_link_parse_socket_pipe_anon),
		cmocka_unit_test(test_link_parse_other_kinds),
		cmocka_unit_test(test_link_parse_empty_is_einval),
		cmocka_unit_test(test_link_parse_honours_len),
		cmocka_unit_test(test_path_is_nfs_silly_of_a_kernel_name),
		cmocka_unit_test(test_path_is_nfs_silly_wants_24_lower_hex_digits),
		cmocka_unit_test(test_path_is_nfs_silly_looks_at_the_last_component),
		cmocka_unit_test(test_fdinfo_parse_kernel_text),
		cmocka_unit_test(test_fdinfo_parse_flags_are_octal),
		cmocka_unit_test(test_fdinfo_parse_without_mnt_id_and_ino),
		cmocka_unit_test(test_fdinfo_parse_ignores_type_specific_lines),
		cmocka_unit_test(test_fdinfo_parse_last_line_without_newline),
		cmocka_unit_test(test_fdinfo_parse_number_limits),
		cmocka_unit_test(test_fdinfo_parse_without_pos_is_einval),
		cmocka_unit_test(test_fdinfo_parse_honours_len),
		cmocka_unit_test(test_fdtab_next_walks_every_fd_with_its_text),
		cmocka_unit_test(test_fdtab_next_of_a_kernel_thread_is_the_end),
		cmocka_unit_test(test_fdtab_dirfd_is_the_fd_directory),
		cmocka_unit_test(test_fdtab_open_without_fd_directory_is_enoent),
		cmocka_unit_test(test_fdtab_next_skips_names_that_are_not_fd_numbers),
		cmocka_unit_test(test_fdtab_next_gives_a_too_long_path_as_empty_text),
		cmocka_unit_test(test_link_truncated_path_is_the_mount_and_a_mark),
		cmocka_unit_test(test_fdtab_free_of_null_is_a_no_op),
		cmocka_unit_test(test_dmabuf_fdinfo_parse_gives_size_count_and_names),
		cmocka_unit_test(test_dmabuf_fdinfo_parse_cuts_long_names),
		cmocka_unit_test(test_dmabuf_fdinfo_parse_of_other_fdinfo_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
