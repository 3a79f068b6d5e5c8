/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/mounts: mountinfo tables, lookups, the per-ns cache. */
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

#include "mounts.h"
#include "procfs.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

/* The mount table of the basic fixture, as tests/fixtures/lib.sh wrote it. */
static char *basic_mountinfo;
static size_t basic_len;

static int read_basic_mountinfo(void **state)
{
	int fd, r;

	(void)state;
	fd = open(BASIC "/100", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = pd_read_at(fd, "mountinfo", 1u << 16, &basic_mountinfo,
		       &basic_len);
	close(fd);
	return r;
}

static int free_basic_mountinfo(void **state)
{
	(void)state;
	free(basic_mountinfo);
	return 0;
}

static int setup_basic(void **state)
{
	struct pd_mnttab *tab = NULL;

	if (pd_mnttab_parse(basic_mountinfo, basic_len, &tab) < 0)
		return -1;
	*state = tab;
	return 0;
}

static int teardown_tab(void **state)
{
	pd_mnttab_free(*state);
	return 0;
}

static void test_mnttab_parse_keeps_mountinfo_order(void **state)
{
	static const int ids[] = { 25, 26, 27, 30, 22, 23, 40 };
	const struct pd_mnttab *tab = *state;
	struct pd_mount m;
	size_t i;

	assert_int_equal(pd_mnttab_count(tab), 7);
	for (i = 0; i < 7; i++) {
		assert_int_equal(pd_mnttab_get(tab, i, &m), 0);
		assert_int_equal(m.id, ids[i]);
	}
}

static void test_mnttab_get_fills_every_field(void **state)
{
	const struct pd_mnttab *tab = *state;
	struct pd_mount m;

	assert_int_equal(pd_mnttab_get(tab, 0, &m), 0);
	assert_int_equal(m.id, 25);
	assert_int_equal(m.parent_id, 1);
	assert_int_equal(m.dev, makedev(8, 1));
	assert_string_equal(m.target, "/");
	assert_string_equal(m.fstype, "ext4");
	assert_string_equal(m.source, "/dev/sda1");
	assert_string_equal(m.root, "/");
	assert_false(m.remote);
	assert_false(m.ram);
	assert_false(m.pseudo);

	assert_int_equal(pd_mnttab_get(tab, 6, &m), 0);
	assert_int_equal(m.id, 40);
	assert_int_equal(m.parent_id, 25);
	assert_int_equal(m.dev, makedev(0, 50));
	assert_string_equal(m.target, "/mnt/nfs");
	assert_string_equal(m.fstype, "nfs4");
	assert_string_equal(m.source, "fileserver:/export");
	assert_true(m.remote);
	assert_false(m.ram);
	assert_false(m.pseudo);
}

static void test_mnttab_get_past_the_end_is_enoent(void **state)
{
	struct pd_mount m;

	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(pd_mnttab_get(*state, 7, &m), -ENOENT);
	assert_int_equal(pd_mnttab_get(*state, (size_t)-1, &m), -ENOENT);
	assert_int_equal(m.id, 0x5a5a5a5a);
}

static void test_mnttab_find_id(void **state)
{
	const struct pd_mnttab *tab = *state;
	struct pd_mount m;

	assert_int_equal(pd_mnttab_find_id(tab, 30, &m), 0);
	assert_string_equal(m.target, "/dev/shm");
	assert_string_equal(m.fstype, "tmpfs");
	assert_int_equal(m.dev, makedev(0, 25));
	assert_true(m.ram);
	assert_false(m.remote);
	assert_false(m.pseudo);
	assert_int_equal(pd_mnttab_find_id(tab, 22, &m), 0);
	assert_string_equal(m.target, "/proc");
	assert_true(m.pseudo);
	assert_int_equal(pd_mnttab_find_id(tab, 26, &m), 0);
	assert_string_equal(m.fstype, "devtmpfs");
	assert_string_equal(m.source, "udev");
	assert_true(m.pseudo);
	assert_false(m.ram);
}

static void test_mnttab_find_id_of_an_internal_mount_is_enoent(void **state)
{
	struct pd_mount m;

	memset(&m, 0x5a, sizeof(m));
	/* memfd and SysV shm fds name mounts nobody can see */
	assert_int_equal(pd_mnttab_find_id(*state, 0, &m), -ENOENT);
	assert_int_equal(pd_mnttab_find_id(*state, 15, &m), -ENOENT);
	assert_int_equal(pd_mnttab_find_id(*state, -1, &m), -ENOENT);
	/* the parent id of the root is no mount of the table */
	assert_int_equal(pd_mnttab_find_id(*state, 1, &m), -ENOENT);
	assert_int_equal(m.id, 0x5a5a5a5a);
}

static void test_mnttab_find_dev(void **state)
{
	const struct pd_mnttab *tab = *state;
	struct pd_mount m;

	assert_int_equal(pd_mnttab_find_dev(tab, makedev(0, 25), &m), 0);
	assert_int_equal(m.id, 30);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(8, 1), &m), 0);
	assert_int_equal(m.id, 25);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(0, 50), &m), 0);
	assert_int_equal(m.id, 40);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(0, 1), &m), -ENOENT);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(1, 8), &m), -ENOENT);
}

static void test_mnttab_find_dev_topmost_mount_wins(void **state)
{
	static const char text[] =
		"25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		"60 25 8:1 /srv/data /data rw,relatime shared:1 - ext4 "
		"/dev/sda1 rw\n"
		"70 25 0:60 / /mnt/a rw - tmpfs tmpfs rw\n"
		"71 70 0:61 / /mnt/a rw - tmpfs tmpfs rw\n"
		"80 25 8:17 / /home rw - xfs /dev/sdb1 rw\n";
	struct pd_mnttab *tab = NULL;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	/* the bind mount comes later: it is the one a path walk sees */
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(8, 1), &m), 0);
	assert_int_equal(m.id, 60);
	assert_string_equal(m.target, "/data");
	assert_string_equal(m.root, "/srv/data");
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(0, 60), &m), 0);
	assert_int_equal(m.id, 70);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(8, 17), &m), 0);
	assert_int_equal(m.id, 80);
	pd_mnttab_free(tab);
}

static int path_id(const struct pd_mnttab *tab, const char *path)
{
	struct pd_mount m;
	int r;

	r = pd_mnttab_find_path(tab, path, &m);
	return r < 0 ? r : m.id;
}

static void test_mnttab_find_path_longest_prefix(void **state)
{
	const struct pd_mnttab *tab = *state;

	assert_int_equal(path_id(tab, "/mnt/nfs/.nfs000000000012abcd00000001"),
			 40);
	assert_int_equal(path_id(tab, "/mnt/nfs"), 40);
	assert_int_equal(path_id(tab, "/mnt/nfs/"), 40);
	assert_int_equal(path_id(tab, "/dev/shm/cache.bin (deleted)"), 30);
	assert_int_equal(path_id(tab, "/dev/null"), 26);
	assert_int_equal(path_id(tab, "/dev"), 26);
	assert_int_equal(path_id(tab, "/etc/passwd"), 25);
	assert_int_equal(path_id(tab, "/"), 25);
}

static void test_mnttab_find_path_matches_whole_components(void **state)
{
	const struct pd_mnttab *tab = *state;

	assert_int_equal(path_id(tab, "/mnt/nfsx"), 25);
	assert_int_equal(path_id(tab, "/mnt/nfsx/file"), 25);
	assert_int_equal(path_id(tab, "/mnt/nf"), 25);
	assert_int_equal(path_id(tab, "/devices"), 25);
	assert_int_equal(path_id(tab, "/dev/shmem/x"), 26);
	assert_int_equal(path_id(tab, "/procx"), 25);
}

static void test_mnttab_find_path_needs_an_absolute_path(void **state)
{
	assert_int_equal(path_id(*state, "etc/passwd"), -ENOENT);
	assert_int_equal(path_id(*state, ""), -ENOENT);
	assert_int_equal(path_id(*state, "socket:[12345]"), -ENOENT);
}

static void test_mnttab_find_path_without_a_root_mount(void **state)
{
	static const char text[] =
		"40 25 0:50 / /mnt/nfs rw - nfs4 fileserver:/export rw\n";
	struct pd_mnttab *tab = NULL;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(path_id(tab, "/etc/passwd"), -ENOENT);
	assert_int_equal(path_id(tab, "/mnt/nfs/a"), 40);
	pd_mnttab_free(tab);
}

static void test_mnttab_find_path_later_mount_shadows_earlier(void **state)
{
	static const char text[] =
		"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"70 25 0:60 / /mnt/a rw - tmpfs tmpfs rw\n"
		"71 70 0:61 / /mnt/a rw - tmpfs tmpfs rw\n"
		"72 71 0:62 / /mnt/a/b rw - tmpfs tmpfs rw\n";
	struct pd_mnttab *tab = NULL;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(path_id(tab, "/mnt/a/x"), 71);
	assert_int_equal(path_id(tab, "/mnt/a/b/c"), 72);
	assert_int_equal(path_id(tab, "/mnt/ab"), 25);
	pd_mnttab_free(tab);
}

static void test_mnttab_path_may_hang_on_fuse_nfs_or_autofs_on_the_way(
	void **state)
{
	static const char text[] =
		"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"30 25 0:25 / /dev/shm rw - tmpfs tmpfs rw\n"
		"31 25 0:26 / /run rw - tmpfs tmpfs rw\n"
		"32 31 0:27 / /run/user/1000 rw - tmpfs tmpfs rw\n"
		"33 32 0:60 / /run/user/1000/doc rw - fuse.portal portal rw\n"
		"40 25 0:50 / /mnt/nfs rw - nfs4 srv:/export rw\n"
		"41 40 0:61 / /mnt/nfs/tmp rw - tmpfs tmpfs rw\n"
		"50 30 0:62 / /dev/shm rw - fuse.bindfs bindfs rw\n"
		"60 25 0:63 / /home rw - autofs auto.home rw\n"
		"61 60 0:64 / /home/u/t rw - tmpfs tmpfs rw\n"
		"70 25 0:65 / /srv/a rw - tmpfs tmpfs rw\n";
	struct pd_mnttab *tab = NULL;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	/* a FUSE mounted over it */
	assert_true(pd_mnttab_path_may_hang(tab, "/dev/shm"));
	/* only local mounts on the way, a FUSE below it */
	assert_false(pd_mnttab_path_may_hang(tab, "/run"));
	assert_false(pd_mnttab_path_may_hang(tab, "/run/user/1000"));
	assert_false(pd_mnttab_path_may_hang(tab, "/srv/a"));
	/* under NFS, under an automount point */
	assert_true(pd_mnttab_path_may_hang(tab, "/mnt/nfs/tmp"));
	assert_true(pd_mnttab_path_may_hang(tab, "/home/u/t"));
	/* whole components: /mnt/nfsx is not under /mnt/nfs */
	assert_false(pd_mnttab_path_may_hang(tab, "/mnt/nfsx"));
	pd_mnttab_free(tab);
}

static void test_mnttab_path_may_hang_under_a_remote_root(void **state)
{
	static const char text[] =
		"25 1 0:50 / / rw - nfs4 srv:/root rw\n"
		"30 25 0:25 / /dev/shm rw - tmpfs tmpfs rw\n";
	struct pd_mnttab *tab = NULL;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_true(pd_mnttab_path_may_hang(tab, "/dev/shm"));
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_unescapes_targets(void **state)
{
	static const char text[] =
		"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"50 25 8:17 / /mnt/my\\040disk rw - ext4 /dev/sdb1 rw\n"
		"51 25 8:33 / /mnt/tab\\011here rw - ext4 /dev/sdc1 rw\n";
	struct pd_mnttab *tab = NULL;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(pd_mnttab_find_id(tab, 50, &m), 0);
	assert_string_equal(m.target, "/mnt/my disk");
	assert_int_equal(pd_mnttab_find_id(tab, 51, &m), 0);
	assert_string_equal(m.target, "/mnt/tab\there");
	assert_int_equal(path_id(tab, "/mnt/my disk/f (deleted)"), 50);
	assert_int_equal(path_id(tab, "/mnt/my\\040disk/f"), 25);
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_of_empty_text_is_an_empty_table(void **state)
{
	struct pd_mnttab *tab = NULL;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mnttab_parse("", 0, &tab), 0);
	assert_int_equal(pd_mnttab_count(tab), 0);
	assert_int_equal(pd_mnttab_get(tab, 0, &m), -ENOENT);
	assert_int_equal(pd_mnttab_find_id(tab, 25, &m), -ENOENT);
	assert_int_equal(pd_mnttab_find_dev(tab, makedev(8, 1), &m), -ENOENT);
	assert_int_equal(path_id(tab, "/"), -ENOENT);
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_skips_broken_lines(void **state)
{
	static const char text[] =
		"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"garbage\n"
		"26 25 0:5 / /dev rw - devtmpfs udev rw";	/* no \n */
	struct pd_mnttab *tab = NULL;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(pd_mnttab_count(tab), 2);
	assert_int_equal(pd_mnttab_get(tab, 1, &m), 0);
	assert_int_equal(m.id, 26);
	assert_string_equal(m.target, "/dev");
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_with_a_broken_first_line_reads_mountinfo(
	void **state)
{
	/* libmount guesses the format from the first line: fstab here */
	static const char text[] =
		"garbage\n"
		"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		"26 25 0:5 / /dev rw - devtmpfs udev rw\n";
	struct pd_mnttab *tab = NULL;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(pd_mnttab_count(tab), 2);
	assert_int_equal(pd_mnttab_get(tab, 0, &m), 0);
	assert_int_equal(m.id, 25);
	assert_int_equal(m.dev, makedev(8, 1));
	assert_non_null(m.root);
	assert_string_equal(m.root, "/");
	assert_string_equal(m.target, "/");
	assert_int_equal(pd_mnttab_get(tab, 1, &m), 0);
	assert_int_equal(m.id, 26);
	assert_string_equal(m.fstype, "devtmpfs");
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_of_no_mountinfo_line_is_an_empty_table(
	void **state)
{
	/* fstab lines: no entry of ours has no root */
	static const char text[] =
		"/dev/sda1 / ext4 rw 0 1\n"
		"x y z\n";
	struct pd_mnttab *tab = NULL;

	(void)state;
	assert_int_equal(pd_mnttab_parse(text, sizeof(text) - 1, &tab), 0);
	assert_int_equal(pd_mnttab_count(tab), 0);
	pd_mnttab_free(tab);
}

static void test_mnttab_parse_honours_len(void **state)
{
	struct pd_mnttab *tab = NULL;
	size_t first = strchr(basic_mountinfo, '\n') - basic_mountinfo + 1;

	(void)state;
	assert_int_equal(pd_mnttab_parse(basic_mountinfo, first, &tab), 0);
	assert_int_equal(pd_mnttab_count(tab), 1);
	pd_mnttab_free(tab);
}

static void test_fstype_is_remote(void **state)
{
	(void)state;
	assert_true(pd_fstype_is_remote("nfs"));
	assert_true(pd_fstype_is_remote("nfs4"));
	assert_true(pd_fstype_is_remote("cifs"));
	assert_true(pd_fstype_is_remote("smb3"));
	assert_true(pd_fstype_is_remote("ceph"));
	assert_true(pd_fstype_is_remote("9p"));
	/* any FUSE daemon may hang, local or not */
	assert_true(pd_fstype_is_remote("fuse.sshfs"));
	assert_true(pd_fstype_is_remote("fuseblk"));
	assert_true(pd_fstype_is_remote("fuse"));
	/* unknown: assume the worst */
	assert_true(pd_fstype_is_remote(NULL));
	assert_false(pd_fstype_is_remote("ext4"));
	assert_false(pd_fstype_is_remote("tmpfs"));
	assert_false(pd_fstype_is_remote("nfsd"));
	assert_false(pd_fstype_is_remote("nfs5"));
	assert_false(pd_fstype_is_remote(""));
}

static void test_fstype_is_ram(void **state)
{
	(void)state;
	assert_true(pd_fstype_is_ram("tmpfs"));
	assert_true(pd_fstype_is_ram("ramfs"));
	assert_false(pd_fstype_is_ram("devtmpfs"));
	assert_false(pd_fstype_is_ram("tmpfsx"));
	assert_false(pd_fstype_is_ram("ext4"));
	assert_false(pd_fstype_is_ram(NULL));
}

static void test_fstype_is_pseudo(void **state)
{
	(void)state;
	assert_true(pd_fstype_is_pseudo("proc"));
	assert_true(pd_fstype_is_pseudo("sysfs"));
	assert_true(pd_fstype_is_pseudo("cgroup2"));
	assert_true(pd_fstype_is_pseudo("devpts"));
	assert_true(pd_fstype_is_pseudo("devtmpfs"));
	assert_true(pd_fstype_is_pseudo("nsfs"));
	assert_false(pd_fstype_is_pseudo("tmpfs"));
	assert_false(pd_fstype_is_pseudo("ext4"));
	assert_false(pd_fstype_is_pseudo("procfs"));
	assert_false(pd_fstype_is_pseudo(NULL));
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static const struct pd_mnttab *tab_of(struct pd_mounts *ms, const char *dir,
				      pid_t pid)
{
	const struct pd_mnttab *tab = NULL;
	int fd = open_dir(dir);

	assert_int_equal(pd_mounts_of_pid(ms, fd, pid, &tab), 0);
	assert_non_null(tab);
	close(fd);
	return tab;
}

static void test_mounts_of_pid_caches_per_distinct_text(void **state)
{
	struct pd_mounts *ms = NULL;
	const struct pd_mnttab *t1, *t100, *t200, *t300;
	struct pd_mount m;

	(void)state;
	assert_int_equal(pd_mounts_new(NULL, &ms), 0);
	t100 = tab_of(ms, BASIC "/100", 100);
	t200 = tab_of(ms, BASIC "/200", 200);
	t1 = tab_of(ms, BASIC "/1", 1);
	t300 = tab_of(ms, BASIC "/300", 300);
	/* 300 is in another namespace, but its mountinfo reads the same:
	 * one table (the text, not the namespace, decides) */
	assert_ptr_equal(t100, t200);
	assert_ptr_equal(t100, t1);
	assert_ptr_equal(t100, t300);
	assert_int_equal(pd_mnttab_count(t100), 7);
	assert_int_equal(pd_mnttab_count(t300), 7);
	assert_int_equal(pd_mnttab_find_id(t300, 40, &m), 0);
	assert_string_equal(m.target, "/mnt/nfs");
	/* asked again: still the same table */
	assert_ptr_equal(tab_of(ms, BASIC "/300", 300), t300);
	pd_mounts_free(ms);
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void test_mounts_of_pid_other_text_is_another_table(void **state)
{
	char dir[] = "/tmp/pd-test-mounts-XXXXXX", path[600];
	const struct pd_mnttab *a, *b;
	struct pd_mounts *ms = NULL;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* 10 and 11 see the same mounts; 12 is chroot'ed and sees one less
	 * (its mountinfo lacks the first line): no ns/mnt link in any */
	for (i = 0; i < 3; i++) {
		const char *text = basic_mountinfo;
		size_t len = basic_len;

		if (i == 2) {
			text = strchr(basic_mountinfo, '\n') + 1;
			len = basic_len - (size_t)(text - basic_mountinfo);
		}
		snprintf(path, sizeof(path), "%s/%d", dir, 10 + i);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), "%s/%d/mountinfo", dir, 10 + i);
		write_file(path, text, len);
	}
	assert_int_equal(pd_mounts_new(NULL, &ms), 0);
	snprintf(path, sizeof(path), "%s/10", dir);
	a = tab_of(ms, path, 10);
	assert_ptr_equal(tab_of(ms, path, 10), a);
	snprintf(path, sizeof(path), "%s/11", dir);
	assert_ptr_equal(tab_of(ms, path, 11), a);
	snprintf(path, sizeof(path), "%s/12", dir);
	b = tab_of(ms, path, 12);
	assert_ptr_not_equal(a, b);
	assert_int_equal(pd_mnttab_count(a), 7);
	assert_int_equal(pd_mnttab_count(b), 6);
	pd_mounts_free(ms);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_mounts_of_pid_without_mountinfo_is_enoent(void **state)
{
	const struct pd_mnttab *tab = (const struct pd_mnttab *)0x1;
	struct pd_mounts *ms = NULL;
	int fd = open_dir(BASIC "/100/fd");

	(void)state;
	assert_int_equal(pd_mounts_new(NULL, &ms), 0);
	assert_int_equal(pd_mounts_of_pid(ms, fd, 100, &tab), -ENOENT);
	assert_ptr_equal(tab, (const struct pd_mnttab *)0x1);
	close(fd);
	pd_mounts_free(ms);
}

static void test_mounts_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_mounts_free(NULL);
	pd_mnttab_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mnttab_parse_keeps_mountinfo_order,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_get_fills_every_field,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_get_past_the_end_is_enoent,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_find_id,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_find_id_of_an_internal_mount_is_enoent,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_find_dev,
						setup_basic, teardown_tab),
		cmocka_unit_test(test_mnttab_find_dev_topmost_mount_wins),
		cmocka_unit_test_setup_teardown(test_mnttab_find_path_longest_prefix,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_find_path_matches_whole_components,
						setup_basic, teardown_tab),
		cmocka_unit_test_setup_teardown(test_mnttab_find_path_needs_an_absolute_path,
						setup_basic, teardown_tab),
		cmocka_unit_test(test_mnttab_find_path_without_a_root_mount),
		cmocka_unit_test(test_mnttab_find_path_later_mount_shadows_earlier),
		cmocka_unit_test(test_mnttab_path_may_hang_on_fuse_nfs_or_autofs_on_the_way),
		cmocka_unit_test(test_mnttab_path_may_hang_under_a_remote_root),
		cmocka_unit_test(test_mnttab_parse_unescapes_targets),
		cmocka_unit_test(test_mnttab_parse_of_empty_text_is_an_empty_table),
		cmocka_unit_test(test_mnttab_parse_skips_broken_lines),
		cmocka_unit_test(test_mnttab_parse_with_a_broken_first_line_reads_mountinfo),
		cmocka_unit_test(test_mnttab_parse_of_no_mountinfo_line_is_an_empty_table),
		cmocka_unit_test(test_mnttab_parse_honours_len),
		cmocka_unit_test(test_fstype_is_remote),
		cmocka_unit_test(test_fstype_is_ram),
		cmocka_unit_test(test_fstype_is_pseudo),
		cmocka_unit_test(test_mounts_of_pid_caches_per_distinct_text),
		cmocka_unit_test(test_mounts_of_pid_other_text_is_another_table),
		cmocka_unit_test(test_mounts_of_pid_without_mountinfo_is_enoent),
		cmocka_unit_test(test_mounts_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, read_basic_mountinfo,
				      free_basic_mountinfo);
}
