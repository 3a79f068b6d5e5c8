/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of a file system that does not answer: a stopped FUSE
 * daemon (bindfs) as the cwd of every tool, and over, around and inside a
 * tmpfs that memfind walks. Each tool runs under a wall clock limit and
 * must finish. All mounts are made in a private mount namespace of this
 * test, so they vanish with it and nobody else sees them. Root only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PD_BIN_DIR
#error "PD_BIN_DIR must be the directory of the tools"
#endif

#define READY_TIMEOUT_MS 10000
/* A whole-machine scan takes a few seconds on a loaded machine; one that
 * waits on the stopped daemon never ends. */
#define RUN_LIMIT_S 60.0

/* Set by main(): the private mount namespace could be made. */
static bool have_private_ns;

#define MAX_TRACKED 8

struct fixture {
	char dir[64];			/* /var/tmp/pd-hung.XXXXXX */
	pid_t daemons[MAX_TRACKED];	/* bindfs, gone after umount */
	size_t ndaemons;
	pid_t stopped;			/* SIGSTOPped daemon, or 0 */
	bool chdired;			/* our cwd is on the mount */
	char mounts[MAX_TRACKED][128];	/* lazily unmounted, last first */
	size_t nmounts;
	struct owned owned;
};

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = owned_vprintf(&fx->owned, fmt, ap);
	va_end(ap);
	return s;
}

static void track_mount(struct fixture *fx, const char *dir)
{
	assert_in_range(fx->nmounts, 0, MAX_TRACKED - 1);
	snprintf(fx->mounts[fx->nmounts++], sizeof(fx->mounts[0]), "%s", dir);
}

static int rm_entry(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	remove(path);
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-hung.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	/* The stopped daemon first: nothing below may wait on it. */
	if (fx->stopped > 0)
		kill(fx->stopped, SIGCONT);
	if (fx->chdired && chdir("/") < 0)
		fprintf(stderr, "teardown: chdir /: %s\n", strerror(errno));
	for (i = fx->nmounts; i-- > 0;)
		if (umount2(fx->mounts[i], MNT_DETACH) < 0 && errno != EINVAL)
			fprintf(stderr, "teardown: umount %s: %s\n",
				fx->mounts[i], strerror(errno));
	/* Unmounting ends the FUSE connection: the daemon exits. */
	for (i = 0; i < fx->ndaemons; i++) {
		if (!reap(fx->daemons[i], 5000, NULL)) {
			kill(fx->daemons[i], SIGKILL);
			reap(fx->daemons[i], 5000, NULL);
		}
	}
	/* FTW_MOUNT: never walk into a mount that would not go away. */
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

#define SKIP_UNLESS_ROOT_AND_PRIVATE_NS()				\
	do {								\
		if (geteuid() != 0 || !have_private_ns) {		\
			print_message("needs root and a private mount "	\
				      "namespace: skipped\n");		\
			skip();						\
		}							\
	} while (0)

static char *path_in(struct fixture *fx, const char *name)
{
	return fx_printf(fx, "%s/%s", fx->dir, name);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0)
		fail_msg("mkdir %s: %s", path, strerror(errno));
}

static void write_file(const char *path, size_t size)
{
	char buf[4096];
	size_t done = 0;
	int fd;

	memset(buf, 'x', sizeof(buf));
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	while (done < size) {
		size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		done += n;
	}
	assert_int_equal(close(fd), 0);
}

static void mount_tmpfs(struct fixture *fx, const char *dir)
{
	if (mount("pd-hung", dir, "tmpfs", 0, "size=16m") < 0)
		fail_msg("mount tmpfs on %s: %s", dir, strerror(errno));
	track_mount(fx, dir);
}

static dev_t dev_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return st.st_dev;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *rp;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

/*
 * bindfs SRC on MNT in the foreground, our child; no attribute or entry
 * cache, so the kernel asks the daemon for every lookup and stat; over a
 * directory that is not empty too. Returns when the mount is there.
 */
static pid_t mount_bindfs(struct fixture *fx, const char *src,
			  const char *mnt)
{
	pid_t parent = getpid(), daemon;
	dev_t before = dev_of(mnt);
	double end;

	fflush(NULL);
	daemon = fork();
	assert_true(daemon >= 0);
	if (daemon == 0) {
		die_with_parent(parent);
		execlp("bindfs", "bindfs", "-f", "-o",
		       "attr_timeout=0,entry_timeout=0,nonempty", src, mnt,
		       (char *)NULL);
		_exit(127);
	}
	assert_in_range(fx->ndaemons, 0, MAX_TRACKED - 1);
	fx->daemons[fx->ndaemons++] = daemon;
	track_mount(fx, mnt);
	end = now_s() + READY_TIMEOUT_MS / 1000.0;
	for (;;) {
		int status;

		if (waitpid(daemon, &status, WNOHANG) == daemon)
			fail_msg("bindfs exited (status 0x%x): is it installed, "
				 "is /dev/fuse there?", status);
		if (dev_of(mnt) != before)
			break;
		if (now_s() > end)
			fail_msg("bindfs never mounted %s", mnt);
		sleep_ms(10);
	}
	return daemon;
}

/* SIGSTOP the daemon: from here on its mount answers nothing. */
static void stop_daemon(struct fixture *fx, pid_t daemon)
{
	double end = now_s() + READY_TIMEOUT_MS / 1000.0;

	fx->stopped = daemon;	/* first: teardown sends SIGCONT */
	assert_int_equal(kill(daemon, SIGSTOP), 0);
	while (proc_state(daemon) != 'T') {
		if (now_s() > end)
			fail_msg("bindfs %d did not stop", (int)daemon);
		sleep_ms(5);
	}
}

static void resume_daemon(struct fixture *fx)
{
	assert_int_equal(kill(fx->stopped, SIGCONT), 0);
	fx->stopped = 0;
}

/*
 * Run the tool NAME with the NULL-terminated ARGS and the limit. Under
 * ASan, LeakSanitizer stops every thread at exit with ptrace, and a stat
 * worker left in a FUSE request cannot stop: no leak check for these runs.
 */
static void run_tool(struct fixture *fx, const char *name,
		     struct harness_run *ret, ...)
{
	const char *argv[16];
	size_t n = 0;
	const char *a;
	va_list ap;

	argv[n++] = fx_printf(fx, "%s/%s", PD_BIN_DIR, name);
	va_start(ap, ret);
	while ((a = va_arg(ap, const char *)) && n < 15)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, true, RUN_LIMIT_S, ret);
	print_message("%s took %.2f s\n", name, ret->secs);
	if (getenv("PD_SCENARIO_VERBOSE"))
		print_message("%s", ret->err);
	if (ret->overran)
		fail_msg("%s did not finish within %.0f s (hung on the stopped "
			 "daemon?); stderr:\n%s", name, RUN_LIMIT_S, ret->err);
	if (!WIFEXITED(ret->status))
		fail_msg("%s died (status 0x%x); stderr:\n%s", name,
			 ret->status, ret->err);
}

static void assert_exit(const struct harness_run *r, const char *name,
			int code)
{
	if (WEXITSTATUS(r->status) != code)
		fail_msg("%s exited %d, not %d; stderr:\n%s", name,
			 WEXITSTATUS(r->status), code, r->err);
}

/* 1. Started in a directory of a file system that does not answer (cron
 *    starts jobs in $HOME), every tool still finishes: none looks a name
 *    up relative to its cwd. */
static void test_every_tool_finishes_with_its_cwd_on_a_stopped_fuse(
	void **state)
{
	struct fixture *fx = *state;
	char *src, *mnt;
	struct harness_run r;
	pid_t daemon;

	SKIP_UNLESS_ROOT_AND_PRIVATE_NS();
	src = path_in(fx, "src");
	mnt = path_in(fx, "mnt");
	make_dir(src);
	make_dir(mnt);
	daemon = mount_bindfs(fx, src, mnt);
	/* Our cwd, and so the tools', before the daemon stops: chdir itself
	 * asks it. */
	assert_int_equal(chdir(mnt), 0);
	fx->chdired = true;
	stop_daemon(fx, daemon);

	run_tool(fx, "deadfiles", &r, "--timeout", "1s", NULL);
	assert_exit(&r, "deadfiles", 0);
	run_tool(fx, "memfind", &r, "--timeout", "1s", NULL);
	assert_exit(&r, "memfind", 0);
	run_tool(fx, "dfdu", &r, "--no-walk", "--timeout", "1s", NULL);
	assert_exit(&r, "dfdu", 0);
	run_tool(fx, "oomrank", &r, NULL);
	assert_exit(&r, "oomrank", 0);
	run_tool(fx, "pssum", &r, NULL);
	assert_exit(&r, "pssum", 0);
	run_tool(fx, "procdiag-report", &r, NULL);
	assert_exit(&r, "procdiag-report", 0);

	resume_daemon(fx);
	assert_int_equal(chdir("/"), 0);
	fx->chdired = false;
}

/* A FILE of SIZE bytes in the tmpfs TMP, which memfind lists with
 * "--type tmpfs" when it can walk TMP. */
static void plant(struct fixture *fx, const char *tmp, const char *name,
		  size_t size)
{
	write_file(fx_printf(fx, "%s/%s", tmp, name), size);
}

/* memfind over the whole machine, only the tmpfs files, as TSV. */
static void run_memfind(struct fixture *fx, struct harness_run *r)
{
	run_tool(fx, "memfind", r, "--timeout", "1s", "--type", "tmpfs", "-r",
		 "-o", "ALLOC,PATH", NULL);
	assert_exit(r, "memfind", 0);
}

/* 2. A stopped FUSE mounted right over a tmpfs: opening the tmpfs's mount
 *    point for the walk reaches the daemon, and memfind gives up on that
 *    after its deadline; the tmpfs is covered, so it is reached through a
 *    private copy of the mount table (lib/mntreach), which asks the daemon
 *    nothing: its file is listed, and a warning names the cover. */
static void test_memfind_finishes_when_a_stopped_fuse_covers_a_tmpfs(
	void **state)
{
	struct fixture *fx = *state;
	char *src, *tmp, *want;
	struct harness_run r;
	pid_t daemon;

	SKIP_UNLESS_ROOT_AND_PRIVATE_NS();
	src = path_in(fx, "src");
	tmp = path_in(fx, "tmp");
	make_dir(src);
	make_dir(tmp);
	mount_tmpfs(fx, tmp);
	plant(fx, tmp, "covered.bin", 65536);
	daemon = mount_bindfs(fx, src, tmp);
	stop_daemon(fx, daemon);

	run_memfind(fx, &r);
	want = fx_printf(fx, "65536\t%s/covered.bin\n", tmp);
	if (!strstr(r.out, want))
		fail_msg("no line '%s' in:\n%s", want, r.out);
	want = fx_printf(fx, "the tmpfs on %s is covered by fuse on %s", tmp,
			 tmp);
	if (!strstr(r.err, want))
		fail_msg("no warning '%s' in:\n%s", want, r.err);
	assert_null(strstr(r.err, "could not be opened within"));
	resume_daemon(fx);
}

/* 3. A stopped FUSE over a directory on the way to a tmpfs (mounted on a
 *    parent of its mount point): the lookup of the mount point asks the
 *    daemon. */
static void test_memfind_finishes_when_a_stopped_fuse_covers_the_way_to_a_tmpfs(
	void **state)
{
	struct fixture *fx = *state;
	char *src, *top, *tmp;
	struct harness_run r;
	pid_t daemon;

	SKIP_UNLESS_ROOT_AND_PRIVATE_NS();
	src = path_in(fx, "src");
	top = path_in(fx, "top");
	tmp = path_in(fx, "top/tmp");
	make_dir(src);
	make_dir(top);
	make_dir(tmp);
	mount_tmpfs(fx, tmp);
	plant(fx, tmp, "beneath.bin", 65536);
	daemon = mount_bindfs(fx, src, top);
	stop_daemon(fx, daemon);

	run_memfind(fx, &r);
	assert_null(strstr(r.out, "beneath.bin"));
	if (!strstr(r.err, "tmpfs file systems could not be opened within "
		    "1000 ms"))
		fail_msg("memfind did not say it gave up:\n%s", r.err);
	resume_daemon(fx);
}

/* 4. A stopped FUSE mounted on a directory inside a tmpfs: the walk of the
 *    tmpfs stats that directory, which is the FUSE root. It learns that it
 *    is another file system from the kernel's cache, never from the
 *    daemon, and lists the tmpfs's own files. */
static void test_memfind_walks_a_tmpfs_with_a_stopped_fuse_inside(
	void **state)
{
	struct fixture *fx = *state;
	char *src, *tmp, *inner, *want;
	struct harness_run r;
	pid_t daemon;

	SKIP_UNLESS_ROOT_AND_PRIVATE_NS();
	src = path_in(fx, "src");
	tmp = path_in(fx, "tmp");
	make_dir(src);
	make_dir(tmp);
	mount_tmpfs(fx, tmp);
	inner = fx_printf(fx, "%s/inner", tmp);
	make_dir(inner);
	plant(fx, tmp, "beside.bin", 65536);
	daemon = mount_bindfs(fx, src, inner);
	stop_daemon(fx, daemon);

	run_memfind(fx, &r);
	want = fx_printf(fx, "65536\t%s/beside.bin\n", tmp);
	if (!strstr(r.out, want))
		fail_msg("no line '%s' in:\n%s", want, r.out);
	resume_daemon(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_tool_finishes_with_its_cwd_on_a_stopped_fuse,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memfind_finishes_when_a_stopped_fuse_covers_a_tmpfs,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memfind_finishes_when_a_stopped_fuse_covers_the_way_to_a_tmpfs,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memfind_walks_a_tmpfs_with_a_stopped_fuse_inside,
			setup, teardown),
	};

	/* Our mounts live and die in a mount namespace of our own; the
	 * tools we run are in it too. */
	if (geteuid() == 0 && unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		have_private_ns = true;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	/* The tools' defaults only: nothing from the environment. */
	unsetenv("DEADFILES_COLUMNS");
	unsetenv("MEMFIND_COLUMNS");
	if (getenv("PD_SCENARIO_FILTER"))
		cmocka_set_test_filter(getenv("PD_SCENARIO_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
