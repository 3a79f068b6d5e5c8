/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of lib/mntreach on real mounts: tmpfs covered on its
 * point, from a directory above, in another process's namespace; its
 * root opened, its files and size as before it was covered, and no mount
 * table changed. Root only; the mounts are made in a mount namespace of
 * this process's own, under a mkdtemp directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mntreach.h"
#include "statq.h"

#define MIB (1024u * 1024u)

static bool private_ns;

struct fixture {
	char dir[64];
	struct pd_statq *q;
	pid_t holder;
	struct owned owned;
};

static int setup(void **state)
{
	struct fixture *fx;

	if (!private_ns)
		return 0;
	fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pd-mntreach.XXXXXX");
	if (!mkdtemp(fx->dir) || pd_statq_new(NULL, 5000, &fx->q) < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	static const char *const pts[] = { "t", "p", "p/t" };
	struct fixture *fx = *state;
	char cmd[512];
	size_t i;

	if (!fx)
		return 0;
	if (fx->holder > 0) {
		kill(fx->holder, SIGKILL);
		reap(fx->holder, 5000, NULL);
	}
	pd_statq_free(fx->q);
	/* our namespace is private: detach every layer left, then the dirs */
	for (i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s/%s", fx->dir, pts[i]);
		while (umount2(cmd, MNT_DETACH) == 0)
			;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return -1;
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

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

/* The text of PATH (a mountinfo), owned by FX. */
static char *slurp(struct fixture *fx, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&buf, &len, chunk, (size_t)n);
	close(fd);
	assert_non_null(buf);
	return owned_add(&fx->owned, buf);
}

static void write_file(const char *path, size_t len)
{
	char buf[65536];
	size_t done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	memset(buf, 0x5a, sizeof(buf));
	while (done < len) {
		size_t k = len - done < sizeof(buf) ? len - done : sizeof(buf);

		assert_int_equal(write(fd, buf, k), (ssize_t)k);
		done += k;
	}
	close(fd);
}

static void mount_tmpfs(const char *src, const char *dir, const char *size)
{
	if (mount(src, dir, "tmpfs", 0, size) < 0)
		fail_msg("mount %s on %s: %s", src, dir, strerror(errno));
}

static dev_t dev_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_dev;
}

/* FD is the root of a tmpfs of DEV holding "file" of 3 MiB, 16 MiB big. */
static void assert_reached(int fd, dev_t dev)
{
	struct statvfs sv;
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_dev, dev);
	assert_int_equal(fstatat(fd, "file", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_size, 3 * MIB);
	assert_int_equal(fstatvfs(fd, &sv), 0);
	assert_int_equal((uint64_t)sv.f_blocks * sv.f_frsize, 16 * MIB);
	assert_int_equal((uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize,
			 3 * MIB);
}

static void test_mntreach_reaches_a_mount_covered_on_its_point(void **state)
{
	struct fixture *fx = *state;
	char *before, *t;
	dev_t a;
	int fd = -1;

	if (!fx)
		skip();
	t = fx_printf(fx, "%s/t", fx->dir);
	assert_int_equal(mkdir(t, 0755), 0);
	mount_tmpfs("pd-a", t, "size=16m");
	write_file(fx_printf(fx, "%s/file", t), 3 * MIB);
	a = dev_of(t);
	mount_tmpfs("pd-b", t, "size=8m");
	mount_tmpfs("pd-c", t, "size=4m");	/* two layers over it */
	assert_int_not_equal(dev_of(t), a);
	before = slurp(fx, "/proc/self/mountinfo");
	assert_int_equal(pd_mntreach_open(fx->q, -1, t, a, &fd), 0);
	assert_reached(fd, a);
	close(fd);
	assert_string_equal(slurp(fx, "/proc/self/mountinfo"), before);
	assert_int_not_equal(dev_of(t), a);
	assert_int_equal(access(fx_printf(fx, "%s/file", t), F_OK), -1);
}

static void test_mntreach_reaches_a_mount_covered_from_above(void **state)
{
	struct fixture *fx = *state;
	char *before, *p, *t;
	dev_t a;
	int fd = -1;

	if (!fx)
		skip();
	p = fx_printf(fx, "%s/p", fx->dir);
	t = fx_printf(fx, "%s/p/t", fx->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(mkdir(t, 0755), 0);
	mount_tmpfs("pd-a", t, "size=16m");
	write_file(fx_printf(fx, "%s/file", t), 3 * MIB);
	a = dev_of(t);
	/* the tmpfs on p has no directory t: the point itself is gone */
	mount_tmpfs("pd-over", p, "size=1m");
	assert_int_equal(access(t, F_OK), -1);
	before = slurp(fx, "/proc/self/mountinfo");
	assert_int_equal(pd_mntreach_open(fx->q, -1, t, a, &fd), 0);
	assert_reached(fd, a);
	close(fd);
	assert_string_equal(slurp(fx, "/proc/self/mountinfo"), before);
}

static void test_mntreach_of_a_mount_nothing_covers_and_of_none(void **state)
{
	struct fixture *fx = *state;
	char *t;
	dev_t a;
	int fd = -1;

	if (!fx)
		skip();
	t = fx_printf(fx, "%s/t", fx->dir);
	assert_int_equal(mkdir(t, 0755), 0);
	mount_tmpfs("pd-a", t, "size=16m");
	write_file(fx_printf(fx, "%s/file", t), 3 * MIB);
	a = dev_of(t);
	assert_int_equal(pd_mntreach_open(fx->q, -1, t, a, &fd), 0);
	assert_reached(fd, a);
	close(fd);
	fd = -1;
	/* no mount of that device there, even with every cover gone */
	assert_int_equal(pd_mntreach_open(fx->q, -1, t, dev_of("/proc"), &fd),
			 -ENOENT);
	assert_int_equal(fd, -1);
}

/* The holder: its own namespace, the tmpfs covered there; says the
 * covered device on P, then waits to be killed. */
static void holder(const char *t, int p)
{
	dev_t a = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("pd-a", t, "tmpfs", 0, "size=16m") == 0) {
		char file[128];
		struct stat st;
		int fd;

		snprintf(file, sizeof(file), "%s/file", t);
		fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0 && ftruncate(fd, 0) == 0) {
			static char buf[MIB];

			memset(buf, 1, sizeof(buf));
			for (int i = 0; i < 3; i++)
				if (write(fd, buf, sizeof(buf)) < 0)
					break;
			close(fd);
		}
		if (stat(t, &st) == 0 &&
		    mount("pd-b", t, "tmpfs", 0, "size=8m") == 0)
			a = st.st_dev;
	}
	if (write(p, &a, sizeof(a)) != (ssize_t)sizeof(a))
		_exit(1);
	for (;;)
		pause();
}

static void test_mntreach_reaches_into_another_namespace(void **state)
{
	struct fixture *fx = *state;
	char *t, *ours, *theirs;
	int p[2], nsfd, fd = -1;
	dev_t a = 0;

	if (!fx)
		skip();
	t = fx_printf(fx, "%s/t", fx->dir);
	assert_int_equal(mkdir(t, 0755), 0);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	fx->holder = fork();
	assert_true(fx->holder >= 0);
	if (fx->holder == 0)
		holder(t, p[1]);
	close(p[1]);
	assert_int_equal(read(p[0], &a, sizeof(a)), (ssize_t)sizeof(a));
	close(p[0]);
	assert_int_not_equal(a, 0);
	/* ours has nothing there */
	assert_int_not_equal(dev_of(t), a);
	ours = slurp(fx, "/proc/self/mountinfo");
	theirs = slurp(fx, fx_printf(fx, "/proc/%d/mountinfo",
				     (int)fx->holder));
	nsfd = open(fx_printf(fx, "/proc/%d/ns/mnt", (int)fx->holder),
		    O_RDONLY | O_CLOEXEC);
	assert_true(nsfd >= 0);
	assert_int_equal(pd_mntreach_open(fx->q, nsfd, t, a, &fd), 0);
	close(nsfd);
	assert_reached(fd, a);
	close(fd);
	assert_string_equal(slurp(fx, "/proc/self/mountinfo"), ours);
	assert_string_equal(slurp(fx, fx_printf(fx, "/proc/%d/mountinfo",
						(int)fx->holder)), theirs);
}

static void test_mntreach_without_cap_sys_admin_is_eperm(void **state)
{
	struct fixture *fx = *state;
	char *t;
	pid_t pid;
	dev_t a;
	int st;

	if (!fx)
		skip();
	t = fx_printf(fx, "%s/t", fx->dir);
	assert_int_equal(mkdir(t, 0755), 0);
	mount_tmpfs("pd-a", t, "size=16m");
	a = dev_of(t);
	mount_tmpfs("pd-b", t, "size=8m");
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = -1, r;

		/* nobody: no capability left */
		if (setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(100);
		r = pd_mntreach_open(fx->q, -1, t, a, &fd);
		_exit(r == -EPERM && fd == -1 ? 0 : 101);
	}
	assert_true(reap(pid, 10000, &st));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mntreach_reaches_a_mount_covered_on_its_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_reaches_a_mount_covered_from_above, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_of_a_mount_nothing_covers_and_of_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_reaches_into_another_namespace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_without_cap_sys_admin_is_eperm, setup, teardown),
	};

	if (geteuid() != 0) {
		print_message("needs root: skipped\n");
	} else if (unshare(CLONE_NEWNS) < 0 ||
		   mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		print_message("no private mount namespace here (%s): "
			      "skipped\n", strerror(errno));
	} else {
		private_ns = true;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
