/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/dfscan on the captured tree tests/fixtures/dfdu (see
 * make-dfdu.sh for what each pid and mount is). */
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

#include "dfscan.h"

#define TREE PD_FIXTURES_DIR "/dfdu/proc"

struct run {
	struct pd_procfs *pfs;
	struct pd_dfscan *ds;
};

static void run_open(struct run *r, bool remote)
{
	struct pd_dfscan_opts o = { .jobs = 1, .timeout_ms = 1000,
				    .walk = true, .remote = remote,
				    .max_paths = 10 };

	assert_int_equal(pd_procfs_new(TREE, &r->pfs), 0);
	assert_int_equal(pd_dfscan_new(r->pfs, &o, &r->ds), 0);
}

/* A captured tree of our own in a temp dir: pid 1's mountinfo MOUNTINFO
 * and a dfdu-statvfs of STATVFS (NULL: none). */
struct tree {
	char dir[256];
	char proc[300];
};

static void put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void tree_make(struct tree *t, const char *mountinfo,
		      const char *statvfs)
{
	char path[400];

	snprintf(t->dir, sizeof(t->dir), "%s/pd-dfscan.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->proc, sizeof(t->proc), "%s/proc", t->dir);
	assert_int_equal(mkdir(t->proc, 0755), 0);
	snprintf(path, sizeof(path), "%s/procdiag-capture", t->proc);
	put_file(path, "");
	snprintf(path, sizeof(path), "%s/1", t->proc);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/1/mountinfo", t->proc);
	put_file(path, mountinfo);
	if (statvfs) {
		snprintf(path, sizeof(path), "%s/dfdu-statvfs", t->proc);
		put_file(path, statvfs);
	}
}

static void tree_remove(struct tree *t)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
}

static void run_tree(struct run *r, const struct tree *t)
{
	struct pd_dfscan_opts o = { .jobs = 1, .timeout_ms = 1000,
				    .walk = true, .max_paths = 10 };

	assert_int_equal(pd_procfs_new(t->proc, &r->pfs), 0);
	assert_int_equal(pd_dfscan_new(r->pfs, &o, &r->ds), 0);
}

static void run_close(struct run *r)
{
	pd_dfscan_free(r->ds);
	pd_procfs_free(r->pfs);
}

static const struct pd_dffs *by_mount(const struct run *r, const char *m)
{
	size_t i;

	for (i = 0; i < pd_dfscan_nfs(r->ds); i++)
		if (!strcmp(pd_dfscan_fs(r->ds, i)->mount, m))
			return pd_dfscan_fs(r->ds, i);
	fail_msg("no row for %s", m);
	return NULL;
}

static void test_dfscan_one_row_per_device_without_pseudo_or_remote(void **state)
{
	struct run r;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	/* / /dev/shm /srv (and /var/www: the same xfs) /mnt/data "/mnt/my
	 * disk"; not devtmpfs, proc, sysfs, nfs4 */
	assert_int_equal(pd_dfscan_nfs(r.ds), 5);
	assert_string_equal(pd_dfscan_fs(r.ds, 0)->mount, "/");
	assert_string_equal(pd_dfscan_fs(r.ds, 1)->mount, "/dev/shm");
	assert_string_equal(pd_dfscan_fs(r.ds, 2)->mount, "/srv");
	assert_int_equal(pd_dfscan_fs(r.ds, 2)->mounts, 2);
	assert_string_equal(pd_dfscan_fs(r.ds, 3)->mount, "/mnt/data");
	assert_string_equal(pd_dfscan_fs(r.ds, 4)->mount, "/mnt/my disk");
	run_close(&r);
}

static void test_dfscan_remote_adds_nfs_df_side_only(void **state)
{
	const struct pd_dffs *fs;
	struct run r;

	(void)state;
	run_open(&r, true);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	assert_int_equal(pd_dfscan_nfs(r.ds), 6);
	fs = by_mount(&r, "/mnt/nfs");
	assert_true(fs->remote);
	assert_int_equal(fs->df_why, PD_DF_KNOWN);
	assert_int_equal(fs->space.size, 100000ull * 1048576);
	assert_int_equal(fs->walk_why, PD_DF_NOT_WALKED);
	assert_int_equal(fs->fsspecific_why, PD_DF_UNSUPPORTED);
	assert_false(fs->gap_known);
	run_close(&r);
}

static void test_dfscan_df_side_comes_from_the_capture(void **state)
{
	const struct pd_dffs *fs;
	struct run r;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	fs = by_mount(&r, "/");
	assert_int_equal(fs->space.size, 25656558ull * 4096);
	assert_int_equal(fs->space.used, (25656558ull - 12828279) * 4096);
	assert_int_equal(fs->space.avail, 11526919ull * 4096);
	assert_int_equal(fs->space.reserved, (12828279ull - 11526919) * 4096);
	fs = by_mount(&r, "/mnt/my disk");
	assert_int_equal(fs->space.size, 1020ull * 1024);
	assert_int_equal(fs->space.used, 20ull * 1024);
	run_close(&r);
}

static void test_dfscan_deleted_bytes_land_on_their_file_system(void **state)
{
	const struct pd_dffs *fs;
	struct run r;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	fs = by_mount(&r, "/");
	assert_int_equal(fs->deleted_why, PD_DF_KNOWN);
	assert_int_equal(fs->deleted, 614400ull * 512);	/* 300 MiB log */
	assert_int_equal(fs->ndeleted, 1);
	fs = by_mount(&r, "/srv");		/* mapped only */
	assert_int_equal(fs->deleted, 52428800);
	fs = by_mount(&r, "/dev/shm");
	assert_int_equal(fs->deleted, 8192);
	fs = by_mount(&r, "/mnt/data");
	assert_int_equal(fs->deleted, 0);
	assert_int_equal(fs->ndeleted, 0);
	run_close(&r);
}

static void test_dfscan_covered_directories_of_root(void **state)
{
	const char *want[] = { "/dev", "/proc", "/sys", "/srv", "/var/www",
			       "/mnt/data", "/mnt/my disk" };
	const struct pd_dffs *fs;
	struct run r;
	size_t i;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	fs = by_mount(&r, "/");
	/* /mnt/nfs too: a mount point covers a directory whatever it is */
	assert_int_equal(fs->ncovered, 8);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_string_equal(fs->covered[i].path, want[i]);
		assert_string_equal(fs->covered[i].mount, want[i]);
	}
	/* a captured tree cannot be walked: hidden is unknown */
	assert_int_equal(fs->hidden_why, PD_DF_NOT_WALKED);
	assert_false(fs->gap_known);
	assert_false(fs->unexplained_known);
	/* nothing is mounted over anything on /srv: hidden is 0 */
	fs = by_mount(&r, "/srv");
	assert_int_equal(fs->ncovered, 0);
	assert_int_equal(fs->hidden_why, PD_DF_KNOWN);
	assert_int_equal(fs->hidden, 0);
	run_close(&r);
}

static void test_dfscan_subtree_mount_is_flagged(void **state)
{
	const struct pd_dffs *fs;
	struct run r;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	fs = by_mount(&r, "/mnt/data");
	assert_true(fs->subtree);
	assert_string_equal(fs->root, "/data");
	fs = by_mount(&r, "/srv");
	assert_false(fs->subtree);
	run_close(&r);
}

static void test_dfscan_paths_limit_the_run(void **state)
{
	struct run r;

	(void)state;
	run_open(&r, false);
	assert_int_equal(pd_dfscan_add_path(r.ds, "/var/www/site/index.html"), 0);
	assert_int_equal(pd_dfscan_add_path(r.ds, "/mnt/my disk/x"), 0);
	assert_int_equal(pd_dfscan_add_path(r.ds, "/proc/1"), 0);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	assert_int_equal(pd_dfscan_nfs(r.ds), 2);
	assert_string_equal(pd_dfscan_fs(r.ds, 0)->mount, "/srv");
	assert_string_equal(pd_dfscan_fs(r.ds, 1)->mount, "/mnt/my disk");
	assert_true(pd_dfscan_path_found(r.ds, 0));
	assert_true(pd_dfscan_path_found(r.ds, 1));
	assert_false(pd_dfscan_path_found(r.ds, 2));	/* proc: pseudo */
	run_close(&r);
}

/* Lines that are no mountinfo (5 bytes: "a b -", read by libmount as an
 * fstab line with no root), a relative mount point, a line without a
 * type: skipped, never a crash; a mount that is its own parent or whose
 * parent is not in the table is measured; good lines keep their rows. */
static void test_dfscan_malformed_mountinfo_lines_are_skipped(void **state)
{
	static const struct {
		const char *line;
		size_t alone, after_root;	/* rows */
	} bad[] = {
		{ "a b -", 0, 1 },
		{ "a b -\n", 0, 1 },
		{ "26 25 8:2 / rel rw - ext4 /dev/sda2 rw\n", 0, 1 },
		{ "26 25 8:2 / /x rw -\n", 0, 1 },
		{ "26 26 8:2 / /x rw - ext4 /dev/sda2 rw\n", 1, 2 },
		{ "26 999 8:2 / /x rw - ext4 /dev/sda2 rw\n", 1, 2 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tree t;
		struct run r;
		char *mi;

		tree_make(&t, bad[i].line, "/ 4096 100 50 40 1000 900\n");
		run_tree(&r, &t);
		assert_int_equal(pd_dfscan_run(r.ds), 0);
		assert_int_equal(pd_dfscan_nfs(r.ds), bad[i].alone);
		run_close(&r);
		tree_remove(&t);

		assert_true(asprintf(&mi, "25 1 8:1 / / rw - ext4 /dev/sda1 "
				     "rw\n%s", bad[i].line) > 0);
		tree_make(&t, mi, "/ 4096 100 50 40 1000 900\n");
		free(mi);
		run_tree(&r, &t);
		assert_int_equal(pd_dfscan_run(r.ds), 0);
		assert_int_equal(pd_dfscan_nfs(r.ds), bad[i].after_root);
		assert_string_equal(pd_dfscan_fs(r.ds, 0)->mount, "/");
		assert_int_equal(pd_dfscan_fs(r.ds, 0)->space.used,
				 50ull * 4096);
		run_close(&r);
		tree_remove(&t);
	}
}

/* A mount whose root is no path (as nsfs's "net:[...]") covers nothing
 * of its file system: no covered directory without a leading '/'. */
static void test_dfscan_root_that_is_no_path_covers_nothing(void **state)
{
	const struct pd_dffs *fs;
	struct tree t;
	struct run r;

	(void)state;
	tree_make(&t, "25 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
		  "26 25 8:2 net:[1] /x rw - ext4 /dev/sda2 rw\n"
		  "27 26 0:40 / /x/y rw - tmpfs tmpfs rw\n", NULL);
	run_tree(&r, &t);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	assert_int_equal(pd_dfscan_nfs(r.ds), 3);
	fs = by_mount(&r, "/x");
	assert_int_equal(fs->ncovered, 0);
	fs = by_mount(&r, "/");
	assert_int_equal(fs->ncovered, 1);
	assert_string_equal(fs->covered[0].path, "/x");
	run_close(&r);
	tree_remove(&t);
}

/* A Kubernetes node's table: 8,000 mounts over directories of the root
 * file system, every other one a tmpfs of its own, the others bind mounts
 * of the root file system. Exact rows and covered directories, in table
 * order (the scan is linear in mounts: it used to be cubic here). */
#define MANY 8000
static void test_dfscan_thousands_of_mounts(void **state)
{
	const struct pd_dffs *fs;
	size_t len = 0, cap = 1 << 20, i;
	char *mi = malloc(cap), path[64];
	struct tree t;
	struct run r;

	(void)state;
	assert_non_null(mi);
	len += (size_t)snprintf(mi + len, cap - len,
				"25 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
	for (i = 0; i < MANY; i++) {
		if (i % 2 == 0)
			len += (size_t)snprintf(mi + len, cap - len,
				"%zu 25 0:%zu / /k8s/p%zu rw - tmpfs tmpfs rw\n",
				100 + i, 1000 + i, i);
		else
			len += (size_t)snprintf(mi + len, cap - len,
				"%zu 25 8:1 /src /k8s/p%zu rw - ext4 /dev/sda1 "
				"rw\n", 100 + i, i);
		assert_true(len < cap);
	}
	tree_make(&t, mi, "/ 4096 100 50 40 1000 900\n");
	free(mi);
	run_tree(&r, &t);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	assert_int_equal(pd_dfscan_nfs(r.ds), 1 + MANY / 2);
	fs = pd_dfscan_fs(r.ds, 0);
	assert_string_equal(fs->mount, "/");
	assert_int_equal(fs->mounts, 1 + MANY / 2);
	assert_int_equal(fs->ncovered, MANY);
	for (i = 0; i < MANY; i++) {
		snprintf(path, sizeof(path), "/k8s/p%zu", i);
		assert_string_equal(fs->covered[i].path, path);
		assert_string_equal(fs->covered[i].mount, path);
	}
	for (i = 0; i < MANY / 2; i++) {
		fs = pd_dfscan_fs(r.ds, 1 + i);
		snprintf(path, sizeof(path), "/k8s/p%zu", 2 * i);
		assert_string_equal(fs->mount, path);
		assert_int_equal(fs->dev, makedev(0, 1000 + 2 * i));
		assert_int_equal(fs->ncovered, 0);
		assert_int_equal(fs->hidden_why, PD_DF_KNOWN);
	}
	run_close(&r);

	/* a path picks its one file system among them */
	run_tree(&r, &t);
	assert_int_equal(pd_dfscan_add_path(r.ds, "/k8s/p7998/x"), 0);
	assert_int_equal(pd_dfscan_run(r.ds), 0);
	assert_int_equal(pd_dfscan_nfs(r.ds), 1);
	assert_string_equal(pd_dfscan_fs(r.ds, 0)->mount, "/k8s/p7998");
	assert_true(pd_dfscan_path_found(r.ds, 0));
	run_close(&r);
	tree_remove(&t);
}

static void test_dfscan_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_dfscan_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dfscan_one_row_per_device_without_pseudo_or_remote),
		cmocka_unit_test(test_dfscan_remote_adds_nfs_df_side_only),
		cmocka_unit_test(test_dfscan_df_side_comes_from_the_capture),
		cmocka_unit_test(test_dfscan_deleted_bytes_land_on_their_file_system),
		cmocka_unit_test(test_dfscan_covered_directories_of_root),
		cmocka_unit_test(test_dfscan_subtree_mount_is_flagged),
		cmocka_unit_test(test_dfscan_paths_limit_the_run),
		cmocka_unit_test(test_dfscan_malformed_mountinfo_lines_are_skipped),
		cmocka_unit_test(test_dfscan_root_that_is_no_path_covers_nothing),
		cmocka_unit_test(test_dfscan_thousands_of_mounts),
		cmocka_unit_test(test_dfscan_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
