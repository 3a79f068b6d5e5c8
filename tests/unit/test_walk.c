/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/walk: a tree built here (hard links, sparse and
 * preallocated files, nested and unreadable directories) against du. */
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
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdatomic.h>

#include "walk.h"

static char top[4096];

static void put(const char *rel, size_t bytes)
{
	char path[8192], buf[4096];
	size_t done = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	while (done < bytes) {
		size_t n = bytes - done < sizeof(buf) ? bytes - done : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		done += n;
	}
	assert_int_equal(fsync(fd), 0);
	close(fd);
}

static void dir(const char *rel, mode_t mode)
{
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void hardlink(const char *from, const char *to)
{
	char a[8192], b[8192];

	snprintf(a, sizeof(a), "%s/%s", top, from);
	snprintf(b, sizeof(b), "%s/%s", top, to);
	assert_int_equal(link(a, b), 0);
}

/* The tree: everything du -x has a rule for. */
static int setup(void **state)
{
	char path[8192];
	int fd;

	(void)state;
	snprintf(top, sizeof(top), "%s/pd-walk.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top))
		return -1;
	chmod(top, 0755);
	dir("a", 0755);
	dir("a/b", 0755);
	dir("a/b/c", 0755);
	dir("x", 0755);
	dir("y", 0755);
	put("one", 1);
	put("a/mid", 10000);
	put("a/b/c/deep", 70000);
	put("x/linked", 123456);
	hardlink("x/linked", "y/linked2");
	hardlink("x/linked", "a/b/linked3");
	put("empty", 0);
	/* Sparse: 16 MiB apparent, 4 KiB written in the middle. */
	snprintf(path, sizeof(path), "%s/sparse", top);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16 << 20), 0);
	assert_int_equal(pwrite(fd, "data", 4, 8 << 20), 4);
	fsync(fd);
	close(fd);
	/* Preallocated: 1 MiB allocated, 0 bytes apparent. */
	snprintf(path, sizeof(path), "%s/prealloc", top);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20) < 0)
		(void)0;	/* tmpfs before 3.5: then it is a plain file */
	close(fd);
	snprintf(path, sizeof(path), "%s/link", top);
	assert_int_equal(symlink("a/mid", path), 0);
	snprintf(path, sizeof(path), "%s/fifo", top);
	assert_int_equal(mkfifo(path, 0644), 0);
	dir("locked", 0755);
	put("locked/secret", 50000);
	dir("locked/inner", 0755);
	snprintf(path, sizeof(path), "%s/locked", top);
	assert_int_equal(chmod(path, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[8300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s' && rm -rf '%s'", top,
		 top);
	return system(cmd) == 0 ? 0 : -1;
}

/* The first number du prints for ARGS (run under the shell). */
static uint64_t du(const char *args)
{
	char cmd[9000];
	unsigned long long v = 0;
	FILE *p;
	int n;

	n = snprintf(cmd, sizeof(cmd), "du %s 2>/dev/null | tail -n 1", args);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%llu", &v), 1);
	pclose(p);
	return v;
}

static struct pd_walk_totals walk_dir(const char *rel, unsigned jobs)
{
	struct pd_walk_opts o = { .jobs = jobs, .max_paths = 10 };
	struct pd_walk_totals t;
	struct pd_walk *w;
	char path[8192];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fd, path, &t), 0);
	pd_walk_free(w);
	close(fd);
	return t;
}

static void test_walk_alloc_equals_du_sxB1(void **state)
{
	char args[8200];
	struct pd_walk_totals t = walk_dir(".", 1);

	(void)state;
	snprintf(args, sizeof(args), "-sxB1 '%s'", top);
	assert_int_equal(t.alloc, du(args));
}

static void test_walk_apparent_size_equals_du_sxb(void **state)
{
	char args[8200];
	struct pd_walk_totals t = walk_dir(".", 1);

	(void)state;
	snprintf(args, sizeof(args), "-sxb '%s'", top);
	assert_int_equal(t.size, du(args));
}

static void test_walk_counts_a_hard_link_once(void **state)
{
	/* 3 links, 1 inode: the inode count is what find -links shows. */
	char args[8200];
	struct pd_walk_totals t = walk_dir(".", 1);

	(void)state;
	snprintf(args, sizeof(args), "-sx --inodes '%s'", top);
	assert_int_equal(t.inodes, du(args));
	assert_int_equal(t.dirs, 8);	/* . a a/b a/b/c x y locked locked/inner */
}

static void test_walk_result_does_not_depend_on_jobs(void **state)
{
	struct pd_walk_totals t1 = walk_dir(".", 1);
	struct pd_walk_totals t2 = walk_dir(".", 2);
	struct pd_walk_totals t8 = walk_dir(".", 8);

	(void)state;
	assert_int_equal(t1.alloc, t2.alloc);
	assert_int_equal(t1.alloc, t8.alloc);
	assert_int_equal(t1.size, t8.size);
	assert_int_equal(t1.inodes, t8.inodes);
	assert_int_equal(t1.dirs, t8.dirs);
}

static void test_walk_hard_links_count_once_across_runs(void **state)
{
	struct pd_walk_opts o = { .jobs = 2, .max_paths = 10 };
	struct pd_walk_totals tx, ty;
	struct pd_walk *w;
	char path[8192], args[17000];
	int fx, fy;

	(void)state;
	snprintf(path, sizeof(path), "%s/x", top);
	fx = open(path, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/y", top);
	fy = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(fx >= 0 && fy >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fx, "x", &tx), 0);
	assert_int_equal(pd_walk_run(w, fy, "y", &ty), 0);
	pd_walk_free(w);
	close(fx);
	close(fy);
	/* du -c with both: the link counts once over the two arguments */
	snprintf(args, sizeof(args), "-sxcB1 '%s/x' '%s/y'", top, top);
	assert_int_equal(tx.alloc + ty.alloc, du(args));
}

static void test_walk_of_an_empty_directory_counts_it_alone(void **state)
{
	char args[8200];
	struct pd_walk_totals t;

	(void)state;
	dir("void", 0755);
	t = walk_dir("void", 2);
	snprintf(args, sizeof(args), "-sxB1 '%s/void'", top);
	assert_int_equal(t.alloc, du(args));
	assert_int_equal(t.inodes, 1);
	assert_int_equal(t.dirs, 1);
	assert_int_equal(t.unreadable, 0);
	snprintf(args, sizeof(args), "%s/void", top);
	assert_int_equal(rmdir(args), 0);
}

static void test_walk_of_a_file_is_enotdir(void **state)
{
	struct pd_walk_opts o = { .jobs = 1 };
	struct pd_walk_totals t;
	struct pd_walk *w;
	char path[8192];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/one", top);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fd, "one", &t), -ENOTDIR);
	pd_walk_free(w);
	close(fd);
}

/*
 * As a user who cannot read "locked": one unreadable directory, its path
 * kept, and still the byte total du prints (du counts the directory's own
 * blocks, not what is inside). Root reads everything, so a child drops to
 * nobody; it reports by its exit status.
 */
static void test_walk_unreadable_directory_as_a_user_matches_du(void **state)
{
	pid_t pid;
	int status;

	(void)state;
	if (geteuid() != 0)
		skip();
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pd_walk_opts o = { .jobs = 2, .max_paths = 10 };
		struct pd_walk_totals t;
		struct pd_walk *w;
		char args[8200], want[8200];
		int fd;

		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(10);
		fd = open(top, O_RDONLY | O_DIRECTORY);
		if (fd < 0 || pd_walk_new(&o, &w) < 0)
			_exit(11);
		if (pd_walk_run(w, fd, top, &t) < 0)
			_exit(12);
		snprintf(args, sizeof(args), "-sxB1 '%s'", top);
		if (t.alloc != du(args))
			_exit(13);
		if (t.unreadable != 1 || pd_walk_nunreadable(w) != 1)
			_exit(14);
		snprintf(want, sizeof(want), "%s/locked", top);
		if (strcmp(pd_walk_unreadable(w, 0), want))
			_exit(15);
		pd_walk_free(w);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_walk_progress_counts_what_the_walk_counted(void **state)
{
	struct pd_walk_progress prog = { 0 };
	struct pd_walk_opts o = { .jobs = 2, .max_paths = 1,
				  .progress = &prog };
	struct pd_walk_totals t;
	struct pd_walk *w;
	int fd;

	(void)state;
	fd = open(top, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fd, top, &t), 0);
	/* the root is counted before any directory is read */
	assert_int_equal(atomic_load(&prog.inodes) + 1, t.inodes);
	pd_walk_free(w);
	close(fd);
}

/* Mount points given to pd_walk_skip() are neither stat'ed nor entered
 * (what is mounted there may not answer): they count as another device,
 * as du -x would count them, and the next run forgets them. */
static void test_walk_skips_the_mount_points_it_is_given(void **state)
{
	struct pd_walk_opts o = { .jobs = 2, .max_paths = 10 };
	struct pd_walk_totals t;
	struct pd_walk *w;
	char path[8192], args[17000];
	uint64_t all, skipped, inodes;
	int fd;

	(void)state;
	dir("m", 0755);
	put("m/keep", 1000);
	dir("m/mnt1", 0755);
	put("m/mnt1/f", 30000);
	dir("m/sub", 0755);
	put("m/sub/other", 5000);
	dir("m/sub/mnt2", 0755);
	put("m/sub/mnt2/g", 60000);
	snprintf(path, sizeof(path), "%s/m", top);
	snprintf(args, sizeof(args), "-sxB1 '%s'", path);
	all = du(args);
	snprintf(args, sizeof(args), "-sxB1 -c '%s/mnt1' '%s/sub/mnt2'", path,
		 path);
	skipped = du(args);
	snprintf(args, sizeof(args), "-sx --inodes '%s'", path);
	inodes = du(args);

	fd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_skip(w, "sub/mnt2"), 0);
	assert_int_equal(pd_walk_skip(w, "mnt1"), 0);
	assert_int_equal(pd_walk_skip(w, "absent/x"), 0);
	assert_int_equal(pd_walk_skip(w, "keep/not-a-dir"), 0);
	assert_int_equal(pd_walk_run(w, fd, path, &t), 0);
	assert_int_equal(t.alloc, all - skipped);
	assert_int_equal(t.inodes, inodes - 4);
	assert_int_equal(t.other_dev, 2);
	/* forgotten: the next run walks everything (from a new fd: the
	 * first run read the old one to its end) */
	close(fd);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_run(w, fd, path, &t), 0);
	assert_int_equal(t.alloc, all);
	assert_int_equal(t.other_dev, 0);
	pd_walk_free(w);
	close(fd);
}

/* Among 300 siblings, the 150 odd ones are mount points (given in
 * reverse order). */
static void test_walk_skips_many_siblings(void **state)
{
	struct pd_walk_opts o = { .jobs = 1, .max_paths = 10 };
	struct pd_walk_totals t;
	struct pd_walk *w;
	char rel[64], path[8192], args[8400];
	int fd, i;

	(void)state;
	dir("many", 0755);
	for (i = 0; i < 300; i++) {
		snprintf(rel, sizeof(rel), "many/d%d", i);
		dir(rel, 0755);
		snprintf(rel, sizeof(rel), "many/d%d/f", i);
		put(rel, 1);
	}
	snprintf(path, sizeof(path), "%s/many", top);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	for (i = 299; i > 0; i -= 2) {
		snprintf(rel, sizeof(rel), "d%d", i);
		assert_int_equal(pd_walk_skip(w, rel), 0);
	}
	assert_int_equal(pd_walk_run(w, fd, path, &t), 0);
	assert_int_equal(t.other_dev, 150);
	assert_int_equal(t.inodes, 1 + 150 * 2);
	assert_int_equal(t.dirs, 1 + 150);
	pd_walk_free(w);
	close(fd);
	/* what is left is what the walk counted */
	snprintf(args, sizeof(args), "rm -rf '%s'/d*[13579]", path);
	assert_int_equal(system(args), 0);
	snprintf(args, sizeof(args), "-sxB1 '%s'", path);
	assert_int_equal(t.alloc, du(args));
}

/*
 * Out of file descriptors (a deep tree under a low ulimit -n): the walk
 * fails with EMFILE, an error of the walker's own; not one directory is
 * counted or kept as unreadable. In a child, which lowers its limit.
 */
static void test_walk_out_of_descriptors_is_an_error_not_unreadable(
	void **state)
{
	char rel[400];
	pid_t pid;
	int status, i;

	(void)state;
	snprintf(rel, sizeof(rel), "deep");
	dir(rel, 0755);
	for (i = 0; i < 40; i++) {
		strcat(rel, "/d");
		dir(rel, 0755);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pd_walk_opts o = { .max_paths = 10 };
		struct pd_walk_totals t;
		struct pd_walk *w;
		struct rlimit rl;
		char path[8200];
		unsigned jobs;
		int fd, r;

		snprintf(path, sizeof(path), "%s/deep", top);
		if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
			_exit(11);
		for (jobs = 1; jobs <= 2; jobs++) {
			/* a run reads its root fd to the end: a new one */
			fd = open(path, O_RDONLY | O_DIRECTORY);
			if (fd < 0)
				_exit(10);
			/* room for a few directories above those open now */
			rl.rlim_cur = (rlim_t)fd + 8;
			if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
				_exit(12);
			o.jobs = jobs;
			if (pd_walk_new(&o, &w) < 0)
				_exit(13);
			r = pd_walk_run(w, fd, path, &t);
			if (r != -EMFILE) {
				fprintf(stderr, "jobs %u: %d\n", jobs, r);
				_exit(20 + jobs);
			}
			if (pd_walk_nunreadable(w) != 0)
				_exit(30 + jobs);
			pd_walk_free(w);
			close(fd);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* What holds the inodes: the directories with the most entries, most
 * first, over the whole tree, whatever -j. */
static void test_walk_keeps_the_directories_with_the_most_entries(void **state)
{
	char name[64], path[8300];
	unsigned jobs;
	int i;

	(void)state;
	dir("top3", 0755);
	dir("top3/wide", 0755);
	dir("top3/half", 0755);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "top3/wide/f%d", i);
		put(name, 0);
	}
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "top3/half/f%d", i);
		put(name, 0);
	}
	snprintf(path, sizeof(path), "%s/top3", top);
	for (jobs = 1; jobs <= 2; jobs++) {
		struct pd_walk_opts o = { .jobs = jobs, .top_dirs = 2 };
		struct pd_walk_totals t;
		struct pd_walk_dir d;
		struct pd_walk *w;
		int fd = open(path, O_RDONLY | O_DIRECTORY);

		assert_true(fd >= 0);
		assert_int_equal(pd_walk_new(&o, &w), 0);
		assert_int_equal(pd_walk_run(w, fd, "/P", &t), 0);
		assert_int_equal(pd_walk_ntop(w), 2);
		assert_int_equal(pd_walk_top(w, 0, &d), 0);
		assert_string_equal(d.path, "/P/wide");
		assert_int_equal(d.entries, 40);
		assert_int_equal(pd_walk_top(w, 1, &d), 0);
		assert_string_equal(d.path, "/P/half");
		assert_int_equal(d.entries, 20);
		/* the root's 2 entries did not make it */
		assert_int_equal(pd_walk_top(w, 2, &d), -ENOENT);
		pd_walk_free(w);
		close(fd);
	}
	snprintf(path, sizeof(path), "rm -rf '%s/top3'", top);
	assert_int_equal(system(path), 0);
}

/* With the fiemap option every regular file with blocks is mapped once
 * (a hard link once, as find sees them), nothing shared on a file system
 * without reflinks; without it there is nothing to ask for. */
static void test_walk_fiemap_maps_each_regular_file_once(void **state)
{
	struct pd_walk_opts o = { .jobs = 2, .fiemap = true };
	struct pd_walk_totals t;
	struct pd_walk_extents x;
	struct pd_walk *w;
	uint64_t want;
	char cmd[8300];
	int fd = open(top, O_RDONLY | O_DIRECTORY);

	(void)state;
	snprintf(cmd, sizeof(cmd), "find '%s' -xdev -type f -printf '%%i %%b\\n'"
		 " | awk '$2 > 0 { print $1 }' | sort -u | wc -l", top);
	{
		FILE *p = popen(cmd, "r");
		unsigned long long v;

		assert_non_null(p);
		assert_int_equal(fscanf(p, "%llu", &v), 1);
		pclose(p);
		want = v;
	}
	assert_true(fd >= 0);
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fd, top, &t), 0);
	assert_int_equal(pd_walk_fiemap(w, &x), 0);
	/* tmpfs has no FIEMAP: every file is unmapped there */
	assert_int_equal(x.sum.files + x.unmapped, want);
	if (x.unmapped == 0) {
		assert_int_equal(x.sum.excess, 0);
		assert_int_equal(x.inline_alloc, 0);
	}
	pd_walk_free(w);
	o.fiemap = false;
	assert_int_equal(pd_walk_new(&o, &w), 0);
	assert_int_equal(pd_walk_run(w, fd, top, &t), 0);
	assert_int_equal(pd_walk_fiemap(w, &x), -EINVAL);
	pd_walk_free(w);
	close(fd);
}

/* The threads follow the device, not the cores: a quarter of an SSD's
 * queue, a sixteenth of a spinning disk's, the cores without a device. */
static void test_walk_jobs_follow_the_device(void **state)
{
	(void)state;
	/* NVMe (nr_requests 1023): as many as allowed */
	assert_int_equal(pd_walk_jobs_for(false, 1023, 2), PD_WALK_MAX_JOBS);
	/* SATA SSD, mq-deadline 64 */
	assert_int_equal(pd_walk_jobs_for(false, 64, 2), 16);
	/* a virtio disk that says rotational, 256 */
	assert_int_equal(pd_walk_jobs_for(true, 256, 2), 16);
	/* a SATA disk, 64: its NCQ depth's worth, but the cores at least */
	assert_int_equal(pd_walk_jobs_for(true, 64, 2), 4);
	assert_int_equal(pd_walk_jobs_for(true, 64, 8), 8);
	/* tmpfs: no device */
	assert_int_equal(pd_walk_jobs_for(false, 0, 2), 2);
	assert_int_equal(pd_walk_jobs_for(false, 0, 0), 1);
	assert_int_equal(pd_walk_jobs_for(false, 0, 500), PD_WALK_MAX_JOBS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_alloc_equals_du_sxB1),
		cmocka_unit_test(test_walk_apparent_size_equals_du_sxb),
		cmocka_unit_test(test_walk_counts_a_hard_link_once),
		cmocka_unit_test(test_walk_result_does_not_depend_on_jobs),
		cmocka_unit_test(test_walk_hard_links_count_once_across_runs),
		cmocka_unit_test(test_walk_of_an_empty_directory_counts_it_alone),
		cmocka_unit_test(test_walk_of_a_file_is_enotdir),
		cmocka_unit_test(test_walk_unreadable_directory_as_a_user_matches_du),
		cmocka_unit_test(test_walk_progress_counts_what_the_walk_counted),
		cmocka_unit_test(test_walk_skips_the_mount_points_it_is_given),
		cmocka_unit_test(test_walk_skips_many_siblings),
		cmocka_unit_test(test_walk_out_of_descriptors_is_an_error_not_unreadable),
		cmocka_unit_test(test_walk_keeps_the_directories_with_the_most_entries),
		cmocka_unit_test(test_walk_fiemap_maps_each_regular_file_once),
		cmocka_unit_test(test_walk_jobs_follow_the_device),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
