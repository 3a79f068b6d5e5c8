/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of dfdu: each cause of a df/du gap built on a loop-mounted
 * ext4 (and XFS when mkfs.xfs exists) image that the test makes, with known
 * sizes, and dfdu's numbers checked exactly against df -B1 and du -sxB1.
 * The test process runs in a private mount namespace of its own, so every
 * mount it makes vanishes with it, and the loop devices (mount -o loop sets
 * autoclear) with them, even after a failure. Root only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MiB (1024ull * 1024)
#define MAX_HOLDERS 8
#define MAX_MOUNTS 4
/* Waiting for bindfs to mount or stop. */
#define READY_TIMEOUT_MS 10000
/* A run of dfdu that must not hang: its --timeout is 1 s; far more than
 * enough under ASan on a loaded machine, far less than forever. */
#define RUN_LIMIT_S 60.0

struct fixture {
	struct owned own;
	char dir[256];		/* the test's temp directory */
	char img[300];
	char mnt[300];
	bool mounted;
	char covered[320];	/* a tmpfs mounted over a directory */
	pid_t holders[MAX_HOLDERS];
	size_t nholders;
	char *mounts[MAX_MOUNTS];	/* more mounts, unmounted in reverse */
	size_t nmounts;
	pid_t daemon;		/* bindfs in the foreground, or 0 */
};

static bool private_ns;
static bool no_private_ns;	/* said once */

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = owned_vprintf(&fx->own, fmt, ap);
	va_end(ap);
	return s;
}

/* Run CMD under sh; fail the test unless it exits 0. */
static void sh(struct fixture *fx, const char *cmd)
{
	int st = system(cmd);

	(void)fx;
	if (st != 0)
		fail_msg("'%s' failed (status %d)", cmd, st);
}

/* The standard output of CMD (its last newline removed). */
static char *out(struct fixture *fx, const char *cmd)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *p = popen(cmd, "r");
	int c, st;

	assert_non_null(p);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 256;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		buf[len++] = (char)c;
	}
	st = pclose(p);
	if (!buf)
		buf = calloc(1, 1);
	owned_add(&fx->own, buf);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (st != 0)
		fail_msg("'%s' failed (status %d): %s", cmd, st, buf);
	return buf;
}

static unsigned long long num(struct fixture *fx, const char *cmd)
{
	char *s = out(fx, cmd), *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		fail_msg("'%s' printed '%s', not a number", cmd, s);
	return v;
}

/* Run CMD under sh: its exit status, and its standard output (the last
 * newline removed) in *RET. */
static int run(struct fixture *fx, const char *cmd, char **ret)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *p = popen(cmd, "r");
	int c, st;

	assert_non_null(p);
	while ((c = fgetc(p)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 256;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		buf[len++] = (char)c;
	}
	st = pclose(p);
	if (!buf)
		buf = calloc(1, 1);
	assert_non_null(buf);
	owned_add(&fx->own, buf);
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	*ret = buf;
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* dfdu ARGS on the test's file system, as USER unless NULL, with -q:
 * its exit status and (-r -n -o MOUNT) the mount points it printed. */
static int dfdu_rc(struct fixture *fx, const char *user, const char *args,
		   char **ret)
{
	return run(fx, fx_printf(fx, "%s%s%s %s -q '%s'",
				 user ? "setpriv --reuid=" : "",
				 user ? user : "",
				 user ? " --regid=65534 --clear-groups " PD_DFDU_BIN :
				 PD_DFDU_BIN, args, fx->mnt), ret);
}


/* Our effective CAP_SYS_PTRACE, from /proc/self/status's CapEff. */
static bool have_cap_sys_ptrace(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	unsigned long long eff = 0;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &eff) == 1;
	fclose(f);
	return found && (eff >> 19) & 1;	/* CAP_SYS_PTRACE */
}

static bool root_misses_a_process(void);
/*
 * Does root miss a process? Root is not almighty: a process with
 * capabilities we lack (a sandbox's init, say) refuses ptrace-read access
 * to its fd/ and maps. Such a process is beyond any run of ours: the tools
 * name it and leave it out, the view is not partial (lib/coverage.h). Only
 * a root without CAP_SYS_PTRACE would see a partial view: then dfdu's
 * DELETED is a lower bound and UNEXPLAINED an upper bound, which a
 * threshold judges only when 0 and the bound get the same state.
 * Kernel threads (empty cmdline, no maps) hold nothing and do not count.
 */
static bool root_view_is_partial(void)
{
	if (geteuid() == 0 && have_cap_sys_ptrace())
		return false;
	return root_misses_a_process();
}

static bool root_misses_a_process(void)
{
	struct dirent *de;
	bool partial = false;
	DIR *d = opendir("/proc");

	if (!d)
		return false;
	while (!partial && (de = readdir(d))) {
		char p[300], c;
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/cmdline", de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, &c, 1) != 1) {	/* a kernel thread */
			close(fd);
			continue;
		}
		close(fd);
		snprintf(p, sizeof(p), "/proc/%s/maps", de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			snprintf(p, sizeof(p), "/proc/%s/fd", de->d_name);
			fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd >= 0) {
				close(fd);
				continue;
			}
		}
		partial = errno == EACCES || errno == EPERM;
	}
	closedir(d);
	if (partial)
		print_message("root cannot read every process here: "
			      "thresholds judge an upper bound\n");
	return partial;
}

/* V (PD_THRESHOLD_PCT_SCALE units of a percent) as a range end: "0.0004". */
static char *pct_text(struct fixture *fx, long long v)
{
	char *s = fx_printf(fx, "%lld.%04lld", v / 10000, v % 10000);
	size_t n = strlen(s);

	while (s[n - 1] == '0')
		s[--n] = '\0';
	if (s[n - 1] == '.')
		s[--n] = '\0';
	return s;
}

/* LINE is HEAD, a size as the --check words give it ("4KiB", "100.1MiB"),
 * then TAIL. */
static void assert_check_line(struct fixture *fx, const char *line,
			      const char *head, const char *tail)
{
	const char *lo = strstr(line, "; left out: "), *bar;
	size_t h, l, t, i;

	/* a process beyond root is named, not judged: not this test's */
	if (lo) {
		bar = strstr(lo, " | ");
		assert_non_null(bar);
		line = fx_printf(fx, "%.*s%s", (int)(lo - line), line, bar);
	}
	h = strlen(head);
	l = strlen(line);
	t = strlen(tail);
	if (l < h + t + 2 || strncmp(line, head, h) ||
	    strcmp(line + l - t, tail))
		fail_msg("'%s' is not '%s<size>%s'", line, head, tail);
	for (i = h; i < l - t; i++)
		if (!strchr("0123456789.KMGTPEiB", line[i]))
			fail_msg("'%s': no size after '%s'", line, head);
}

/* LINE without its "; partial view: WHY" part (before the perfdata's
 * " | "); WHY in *RET_WHY, or NULL when there is none. */
static char *strip_partial(struct fixture *fx, const char *line,
			   char **ret_why)
{
	const char *p = strstr(line, "; partial view: "), *bar;

	*ret_why = NULL;
	if (!p)
		return fx_printf(fx, "%s", line);
	bar = strstr(p, " | ");
	assert_non_null(bar);
	*ret_why = fx_printf(fx, "%.*s", (int)(bar - p - 16), p + 16);
	return fx_printf(fx, "%.*s%s", (int)(p - line), line, bar);
}

/* LINE without what a run may add beside the figures: "; partial view:
 * ..." and "; left out: ..." (a process beyond root). */
static char *bare_check(struct fixture *fx, const char *line)
{
	char *why, *o = strip_partial(fx, line, &why);
	const char *lo = strstr(o, "; left out: "), *bar;

	if (!lo)
		return o;
	bar = strstr(lo, " | ");
	assert_non_null(bar);
	return fx_printf(fx, "%.*s%s", (int)(lo - o), o, bar);
}

/* One dfdu TSV row, by column name. */
struct row {
	char *names[64];
	char *vals[64];
	size_t n;
};

static size_t split(char *line, char **v, size_t max)
{
	size_t n = 0;

	for (;;) {
		char *tab = strchr(line, '\t');

		assert_true(n < max);
		v[n++] = line;
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

/* Run dfdu ARGS (as USER unless NULL) and parse its only data row. */
static void dfdu(struct fixture *fx, const char *user, const char *args,
		 struct row *r)
{
	char *o = out(fx, fx_printf(fx, "%s%s%s -q -r --output-all %s",
				    user ? "setpriv --reuid=" : "",
				    user ? user : "",
				    user ? " --regid=65534 --clear-groups " PD_DFDU_BIN :
				    PD_DFDU_BIN, args));
	char *nl = strchr(o, '\n');
	size_t nv;

	assert_non_null(nl);
	*nl = '\0';
	assert_null(strchr(nl + 1, '\n'));
	r->n = split(o, r->names, 64);
	nv = split(nl + 1, r->vals, 64);
	assert_int_equal(nv, r->n);
}

static const char *cell(const struct row *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return r->vals[i];
	fail_msg("no column %s", name);
	return NULL;
}

static long long val(const struct row *r, const char *name)
{
	const char *s = cell(r, name);

	if (!*s)
		fail_msg("%s is unknown", name);
	return strtoll(s, NULL, 10);
}

static bool unknown(const struct row *r, const char *name)
{
	return !*cell(r, name);
}

/* umount PATH, waiting at most 10 s (writeback through a FUSE daemon that
 * was stopped); then detach it. */
static void umount_bounded(const char *path)
{
	pid_t parent = getpid(), pid;
	int st;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		die_with_parent(parent);
		_exit(umount2(path, 0) < 0 ? 1 : 0);
	}
	if (pid < 0 || !reap(pid, 10000, &st) || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		if (pid > 0)
			kill(pid, SIGKILL);
		umount2(path, MNT_DETACH);
	}
}

static void track_mount(struct fixture *fx, const char *path)
{
	assert_true(fx->nmounts < MAX_MOUNTS);
	fx->mounts[fx->nmounts++] = fx_printf(fx, "%s", path);
}

/* State letter of PID from /proc/PID/stat ('T' once stopped). */
static char proc_state(pid_t pid)
{
	char p[64], buf[512], *rp;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
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

/* bindfs SRC over the directory MNT, in the foreground as our child (we
 * know its pid); no attribute or entry cache, so the kernel has to ask
 * the daemon. A FUSE 2 bindfs needs "nonempty" to mount over a directory
 * that holds files; FUSE 3 has no such option (and no such check). */
static void fuse_start(struct fixture *fx, const char *src, const char *mnt)
{
	static const char *const opts[] = {
		"attr_timeout=0,entry_timeout=0,nonempty",
		"attr_timeout=0,entry_timeout=0",
	};
	pid_t parent = getpid();
	struct stat st_dir, st_mnt;
	size_t k;
	double end;

	assert_int_equal(fx->daemon, 0);
	assert_int_equal(stat(mnt, &st_dir), 0);
	for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++) {
		int status = 0;

		fflush(NULL);
		fx->daemon = fork();
		assert_true(fx->daemon >= 0);
		if (fx->daemon == 0) {
			die_with_parent(parent);
			execlp("bindfs", "bindfs", "-f", "-o", opts[k], src,
			       mnt, (char *)NULL);
			_exit(127);
		}
		end = now_s() + READY_TIMEOUT_MS / 1000.0;
		for (;;) {
			if (waitpid(fx->daemon, &status, WNOHANG) ==
			    fx->daemon) {
				fx->daemon = 0;
				break;
			}
			if (stat(mnt, &st_mnt) == 0 &&
			    st_mnt.st_dev != st_dir.st_dev) {
				track_mount(fx, mnt);
				return;
			}
			if (now_s() > end)
				fail_msg("bindfs never mounted %s", mnt);
			sleep_ms(10);
		}
		print_message("bindfs -o %s exited (status 0x%x)\n", opts[k],
			      status);
	}
	fail_msg("bindfs cannot mount %s: is it installed, is /dev/fuse "
		 "there?", mnt);
}

/* From here on the FUSE mount does not answer; the teardown lets the
 * daemon go on. */
static void fuse_stop(struct fixture *fx)
{
	double end = now_s() + READY_TIMEOUT_MS / 1000.0;

	assert_int_equal(kill(fx->daemon, SIGSTOP), 0);
	while (proc_state(fx->daemon) != 'T') {
		if (now_s() > end)
			fail_msg("bindfs %d did not stop", (int)fx->daemon);
		sleep_ms(5);
	}
}

/* Run dfdu with the NULL-terminated arguments under RUN_LIMIT_S; fail
 * the test when it overruns (it hung). */
static void run_dfdu(struct fixture *fx, bool no_leak_check,
		     struct harness_run *r, ...)
{
	const char *argv[32];
	size_t n = 0;
	va_list ap;

	argv[n++] = PD_DFDU_BIN;
	va_start(ap, r);
	while ((argv[n] = va_arg(ap, const char *)))
		assert_true(++n < sizeof(argv) / sizeof(argv[0]));
	va_end(ap);
	harness_run(&fx->own, argv, NULL, no_leak_check, RUN_LIMIT_S, r);
	print_message("dfdu took %.2f s\n", r->secs);
	if (r->overran)
		fail_msg("dfdu did not finish within %.0f s (it hangs); "
			 "stderr: %s", RUN_LIMIT_S, r->err);
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		fail_msg("dfdu: status 0x%x; stderr: %s", r->status, r->err);
}

/* The TSV row of dfdu's output OUT (header first) whose column COL is
 * VAL. */
static void row_where(struct fixture *fx, const char *out, const char *col,
		      const char *want, struct row *r)
{
	char *text = fx_printf(fx, "%s", out), *line, *nl;
	size_t i;

	nl = strchr(text, '\n');
	assert_non_null(nl);
	*nl = '\0';
	r->n = split(text, r->names, 64);
	for (line = nl + 1; *line; line = nl + 1) {
		struct row cand = *r;

		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_int_equal(split(line, cand.vals, 64), r->n);
		for (i = 0; i < r->n; i++)
			if (!strcmp(r->names[i], col) &&
			    !strcmp(cand.vals[i], want)) {
				*r = cand;
				return;
			}
	}
	fail_msg("no row with %s %s in: %s", col, want, out);
}

/* The TSV row of dfdu's output OUT (header first) whose MOUNT is MNT. */
static void row_of(struct fixture *fx, const char *out, const char *mnt,
		   struct row *r)
{
	row_where(fx, out, "MOUNT", mnt, r);
}

static int setup(void **state)
{
	struct fixture *fx;

	if (geteuid() != 0)
		return 0;
	/* Our mounts are ours alone, and vanish with this process. */
	if (!private_ns) {
		/* A chroot whose "/" is no mount point, or a container without
		 * CAP_SYS_ADMIN, cannot keep loop mounts from leaking into
		 * the host's table: then the tests skip, saying why. */
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			if (!no_private_ns)
				print_message("no private mount namespace here "
					      "(%s): the loop-mount tests are "
					      "skipped\n", strerror(errno));
			no_private_ns = true;
			return 0;
		}
		private_ns = true;
	}
	fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/pd-dfdu.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	/* "nobody" must reach the mount point */
	chmod(fx->dir, 0755);
	snprintf(fx->img, sizeof(fx->img), "%s/fs.img", fx->dir);
	snprintf(fx->mnt, sizeof(fx->mnt), "%s/mnt", fx->dir);
	if (mkdir(fx->mnt, 0755) < 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[700];
	size_t i;
	int st;

	if (!fx)
		return 0;
	/* A stopped daemon first: nothing below may wait for it. */
	if (fx->daemon > 0)
		kill(fx->daemon, SIGCONT);
	for (i = 0; i < fx->nholders; i++) {
		kill(fx->holders[i], SIGKILL);
		reap(fx->holders[i], 5000, &st);
	}
	if (fx->covered[0])
		umount2(fx->covered, MNT_DETACH);
	for (i = fx->nmounts; i-- > 0;)
		umount_bounded(fx->mounts[i]);
	if (fx->mounted && umount2(fx->mnt, 0) < 0)
		umount2(fx->mnt, MNT_DETACH);
	/* Unmounting ends the FUSE connection: the daemon exits. */
	if (fx->daemon > 0 && !reap(fx->daemon, 5000, &st)) {
		kill(fx->daemon, SIGKILL);
		reap(fx->daemon, 5000, &st);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: cannot remove %s\n", fx->dir);
	owned_free(&fx->own);
	free(fx);
	*state = NULL;
	return 0;
}

/* Make and mount a SIZE_MB image of TYPE with mkfs OPTIONS. */
static void make_fs(struct fixture *fx, const char *type, unsigned size_mb,
		    const char *options)
{
	sh(fx, fx_printf(fx, "truncate -s %uM '%s'", size_mb, fx->img));
	sh(fx, fx_printf(fx, "mkfs.%s -q %s '%s' >/dev/null 2>&1", type,
			 options, fx->img));
	sh(fx, fx_printf(fx, "mount -o loop '%s' '%s'", fx->img, fx->mnt));
	fx->mounted = true;
	chmod(fx->mnt, 0755);
}

/* Write BYTES of data to PATH, synced. */
static void write_file(const char *path, unsigned long long bytes)
{
	static char buf[1 << 20];
	unsigned long long done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	memset(buf, 'd', sizeof(buf));
	while (done < bytes) {
		size_t n = bytes - done < sizeof(buf) ? bytes - done : sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		done += n;
	}
	assert_int_equal(fsync(fd), 0);
	close(fd);
}

enum hold { HOLD_FD, HOLD_MAP };

/*
 * A child that opens PATH, maps it (HOLD_MAP: then closes the fd),
 * deletes it, says so through a pipe and waits to be killed. Returns the
 * allocated bytes of the file (st_blocks * 512) before it was deleted.
 */
static unsigned long long hold_deleted(struct fixture *fx, const char *path,
				       enum hold how)
{
	struct stat st;
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(stat(path, &st), 0);
	assert_true(fx->nholders < MAX_HOLDERS);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = open(path, O_RDONLY);
		void *m;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd < 0)
			_exit(1);
		if (how == HOLD_MAP) {
			m = mmap(NULL, (size_t)st.st_size, PROT_READ,
				 MAP_SHARED, fd, 0);
			if (m == MAP_FAILED)
				_exit(2);
			close(fd);
		}
		if (unlink(path) < 0)
			_exit(3);
		if (write(p[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	fx->holders[fx->nholders++] = pid;
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	return (unsigned long long)st.st_blocks * 512;
}

/* dfdu's df side against df -B1, its walk against du -sxB1 (run as USER
 * when not NULL), and the gap's arithmetic. */
static void assert_df_du(struct fixture *fx, const struct row *r,
			 const char *user)
{
	const char *as = user ? fx_printf(fx, "setpriv --reuid=%s "
					  "--regid=65534 --clear-groups ",
					  user) : "";
	long long gap;

	assert_int_equal(val(r, "SIZE"), num(fx, fx_printf(fx,
		"df -B1 --output=size '%s' | tail -n 1", fx->mnt)));
	assert_int_equal(val(r, "USED"), num(fx, fx_printf(fx,
		"df -B1 --output=used '%s' | tail -n 1", fx->mnt)));
	assert_int_equal(val(r, "AVAIL"), num(fx, fx_printf(fx,
		"df -B1 --output=avail '%s' | tail -n 1", fx->mnt)));
	assert_int_equal(val(r, "WALKED"), num(fx, fx_printf(fx,
		"%sdu -sxB1 '%s' 2>/dev/null | cut -f1", as, fx->mnt)));
	assert_int_equal(val(r, "APPARENT"), num(fx, fx_printf(fx,
		"%sdu -sxb '%s' 2>/dev/null | cut -f1", as, fx->mnt)));
	assert_int_equal(val(r, "SIZE") - val(r, "USED") - val(r, "AVAIL"),
			 val(r, "RESERVED"));
	gap = val(r, "USED") - val(r, "WALKED");
	assert_int_equal(val(r, "GAP"), gap);
	if (!unknown(r, "UNEXPLAINED"))
		assert_int_equal(val(r, "UNEXPLAINED"), gap - val(r, "DELETED") -
				 val(r, "HIDDEN") - val(r, "FSSPECIFIC"));
	assert_string_equal(cell(r, "MOUNT"), fx->mnt);
}

/* What an empty file system of this kind leaves unexplained: nothing,
 * its own metadata is FSSPECIFIC to the byte. */
static long long baseline(struct fixture *fx)
{
	struct row r;

	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), 0);
	assert_int_equal(val(&r, "HIDDEN"), 0);
	assert_int_equal(val(&r, "UNREADABLE"), 0);
	assert_int_equal(val(&r, "FSSPECIFIC"), val(&r, "GAP"));
	assert_int_equal(val(&r, "UNEXPLAINED"), 0);
	return val(&r, "UNEXPLAINED");
}

static void test_dfdu_deleted_file_held_by_a_process(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc;
	long long base;
	struct row r;
	char *ev;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 1024, "-F");
	base = baseline(fx);
	write_file(fx_printf(fx, "%s/keep", fx->mnt), 10 * MiB);
	write_file(fx_printf(fx, "%s/big.log", fx->mnt), 300 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/big.log", fx->mnt),
			     HOLD_FD);
	assert_true(alloc >= 300 * MiB);
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "DELETED_FILES"), 1);
	assert_int_equal(val(&r, "HIDDEN"), 0);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);
	/* the evidence names the holder */
	ev = out(fx, fx_printf(fx, "%s -q -r -n --explain '%s' -o KIND,ALLOC,PIDS,PATH"
			       " | grep '^deleted'", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(ev, fx_printf(fx, "deleted\t%llu\t%d\t%s/big.log",
					  alloc, (int)fx->holders[0], fx->mnt));
}

static void test_dfdu_deleted_file_held_only_by_a_mapping(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc;
	long long base;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	base = baseline(fx);
	write_file(fx_printf(fx, "%s/seg", fx->mnt), 50 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/seg", fx->mnt), HOLD_MAP);
	dfdu(fx, NULL, fx_printf(fx, "-j 1 '%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);
}

static void test_dfdu_files_hidden_under_a_tmpfs_mount(void **state)
{
	struct fixture *fx = *state;
	unsigned long long hidden;
	char *before, *after, *ev;
	long long base;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 1024, "-F");
	base = baseline(fx);
	sh(fx, fx_printf(fx, "mkdir -p '%s/data/sub'", fx->mnt));
	write_file(fx_printf(fx, "%s/data/sub/a", fx->mnt), 150 * MiB);
	write_file(fx_printf(fx, "%s/data/b", fx->mnt), 50 * MiB);
	/* what will be hidden, directory blocks included */
	hidden = num(fx, fx_printf(fx, "du -sxB1 '%s/data' | cut -f1", fx->mnt));
	snprintf(fx->covered, sizeof(fx->covered), "%s/data", fx->mnt);
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=1M tmpfs '%s'",
			 fx->covered));
	before = out(fx, "cat /proc/self/mountinfo | wc -l");
	dfdu(fx, NULL, fx_printf(fx, "-j 2 '%s'", fx->mnt), &r);
	after = out(fx, "cat /proc/self/mountinfo | wc -l");
	/* the clone never entered the mount table */
	assert_string_equal(before, after);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
	assert_int_equal(val(&r, "COVERED"), 1);
	assert_int_equal(val(&r, "DELETED"), 0);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);
	ev = out(fx, fx_printf(fx, "%s -q -r -n -v -o KIND,ALLOC,PATH '%s'"
			       " | grep '^hidden'", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(ev, fx_printf(fx, "hidden\t%llu\t%s", hidden,
					  fx->covered));
	/* as a user it is unknown, and said to need root */
	dfdu(fx, "65534", fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_true(unknown(&r, "HIDDEN"));
	assert_true(unknown(&r, "UNEXPLAINED"));
	ev = out(fx, fx_printf(fx, "setpriv --reuid=65534 --regid=65534 "
			       "--clear-groups %s '%s' 2>&1 >/dev/null | "
			       "grep -c 'what 1 mount points hide is unknown: "
			       "looking beneath a mount point needs root'",
			       PD_DFDU_BIN, fx->mnt));
	assert_string_equal(ev, "1");
}

static void test_dfdu_unreadable_directory_as_a_user(void **state)
{
	struct fixture *fx = *state;
	long long base;
	struct row r;
	char *ev;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	base = baseline(fx);
	sh(fx, fx_printf(fx, "mkdir '%s/locked'", fx->mnt));
	write_file(fx_printf(fx, "%s/locked/secret", fx->mnt), 100 * MiB);
	sh(fx, fx_printf(fx, "chmod 000 '%s/locked'", fx->mnt));
	dfdu(fx, "65534", fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, "65534");
	/* locked/ and mkfs's lost+found (0700 root) */
	assert_int_equal(val(&r, "UNREADABLE"), 2);
	/* nothing is mounted on it: hidden is known, 0, even as a user */
	assert_int_equal(val(&r, "HIDDEN"), 0);
	/* ext4's internal inodes and root's processes' deleted files are
	 * unknown to a user: the remainder is at most the gap, whose 100
	 * MiB are in it */
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_true(unknown(&r, "FSSPECIFIC"));
	assert_true(unknown(&r, "DELETED"));
	assert_true(unknown(&r, "UNEXPLAINED_MIN"));
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), val(&r, "GAP"));
	assert_true(val(&r, "GAP") >= (long long)(100 * MiB));
	ev = out(fx, fx_printf(fx, "setpriv --reuid=65534 --regid=65534 "
			       "--clear-groups %s -q -r -n -v -o KIND,PATH '%s'"
			       " | grep '^unreadable' | sort", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(ev, fx_printf(fx, "unreadable\t%s/locked\n"
					  "unreadable\t%s/lost+found",
					  fx->mnt, fx->mnt));
	/* root reads it: nothing unexplained beyond the empty fs's */
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "UNREADABLE"), 0);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);
}

static void test_dfdu_sparse_and_preallocated_files(void **state)
{
	struct fixture *fx = *state;
	long long base;
	struct row r, r1;
	int fd;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	base = baseline(fx);
	fd = open(fx_printf(fx, "%s/sparse", fx->mnt), O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1024 * MiB), 0);
	assert_int_equal(pwrite(fd, "x", 1, 512 * MiB), 1);
	close(fd);
	fd = open(fx_printf(fx, "%s/prealloc", fx->mnt), O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 64 * MiB), 0);
	close(fd);
	dfdu(fx, NULL, fx_printf(fx, "-j 2 '%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_true(val(&r, "APPARENT") > 1024 * (long long)MiB);
	assert_true(val(&r, "WALKED") > 64 * (long long)MiB);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);
	dfdu(fx, NULL, fx_printf(fx, "-j 1 '%s'", fx->mnt), &r1);
	assert_int_equal(val(&r1, "WALKED"), val(&r, "WALKED"));
	assert_int_equal(val(&r1, "APPARENT"), val(&r, "APPARENT"));
}

/* ext4's reserves, as dumpe2fs and sysfs give them, add up to RESERVED. */
static void check_ext4_reserve(struct fixture *fx, const char *mkfs_opts)
{
	unsigned long long r_blocks, bsize, resv;
	char *dev;
	struct row r;

	make_fs(fx, "ext4", 2048, mkfs_opts);
	dev = out(fx, fx_printf(fx, "findmnt -no SOURCE '%s'", fx->mnt));
	r_blocks = num(fx, fx_printf(fx, "dumpe2fs -h '%s' 2>/dev/null | "
		"awk -F: '/^Reserved block count/ { print $2 + 0 }'", dev));
	bsize = num(fx, fx_printf(fx, "dumpe2fs -h '%s' 2>/dev/null | "
		"awk -F: '/^Block size/ { print $2 + 0 }'", dev));
	resv = num(fx, fx_printf(fx, "cat /sys/fs/ext4/%s/reserved_clusters",
				 strrchr(dev, '/') + 1));
	dfdu(fx, NULL, fx_printf(fx, "--no-walk '%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "ROOT_RESERVE"), r_blocks * bsize);
	assert_int_equal(val(&r, "KERNEL_RESERVE"), resv * bsize);
	assert_int_equal(val(&r, "RESERVED"), (r_blocks + resv) * bsize);
	assert_true(unknown(&r, "WALKED"));
	assert_true(unknown(&r, "GAP"));
	umount2(fx->mnt, 0);
	fx->mounted = false;
}

static void test_dfdu_ext4_reserve_is_root_plus_kernel_reserve(void **state)
{
	struct fixture *fx = *state;

	if (!fx)
		skip();
	check_ext4_reserve(fx, "-F");
	check_ext4_reserve(fx, "-F -m 1");
	check_ext4_reserve(fx, "-F -m 0");
}

/* A cell of the evidence (-v -r -n -o COLS) of the row whose KIND and
 * NOTE start as given: "" when there is none. */
static char *evidence(struct fixture *fx, const char *cols, const char *kind,
		      const char *note_start)
{
	return out(fx, fx_printf(fx, "%s -q -r -n -v -o KIND,NOTE,%s '%s' | "
				 "awk -F'\\t' '$1 == \"%s\" && "
				 "index($2, \"%s\") == 1 { print $3 }'",
				 PD_DFDU_BIN, cols, fx->mnt, kind, note_start));
}

/* A fresh XFS with a deleted file held: USED less du is the deleted file
 * and XFS's own space to the byte (AG headers, btrees, inode chunks,
 * per-AG reservations, set-aside, reserve pool), the remainder 0; the
 * reserve pool and the set-aside as xfs_io and xfs_info give them, the
 * log outside SIZE. */
static void test_dfdu_xfs_reserve_pool_and_deleted_file(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc, avail, bsize, agcount, logblocks;
	char *dev;
	struct row r;

	if (!fx)
		skip();
	if (system("command -v mkfs.xfs >/dev/null 2>&1") != 0)
		skip();
	make_fs(fx, "xfs", 1024, "-f");
	write_file(fx_printf(fx, "%s/f", fx->mnt), 20 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/f", fx->mnt), HOLD_FD);
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "UNEXPLAINED"), 0);
	assert_int_equal(val(&r, "FSSPECIFIC"), val(&r, "GAP") - (long long)alloc);
	avail = num(fx, fx_printf(fx, "xfs_io -x -c resblks '%s' | "
		"awk '/^available reserved blocks/ { print $NF }'", fx->mnt));
	bsize = num(fx, fx_printf(fx, "stat -f -c %%S '%s'", fx->mnt));
	assert_string_equal(evidence(fx, "ALLOC", "fsspecific", "reserve pool"),
			    fx_printf(fx, "%llu", avail * bsize));
	dev = out(fx, fx_printf(fx, "findmnt -no SOURCE '%s'", fx->mnt));
	agcount = num(fx, fx_printf(fx, "xfs_db -r -c 'sb 0' -c 'p agcount' "
				    "'%s' | cut -d' ' -f3", dev));
	logblocks = num(fx, fx_printf(fx, "xfs_db -r -c 'sb 0' -c 'p "
				      "logblocks' '%s' | cut -d' ' -f3", dev));
	assert_string_equal(evidence(fx, "ALLOC", "fsspecific", "set-aside"),
			    fx_printf(fx, "%llu", agcount * 8 * bsize));
	assert_string_equal(evidence(fx, "ALLOC", "fsinfo", "internal log"),
			    fx_printf(fx, "%llu", logblocks * bsize));
	/* a user: the device and the reserve pool need root */
	dfdu(fx, "65534", fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_true(unknown(&r, "FSSPECIFIC"));
	assert_true(unknown(&r, "UNEXPLAINED"));
}

static void test_dfdu_no_walk_is_the_df_side_and_deleted_only(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	write_file(fx_printf(fx, "%s/x", fx->mnt), 5 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/x", fx->mnt), HOLD_FD);
	dfdu(fx, NULL, fx_printf(fx, "--no-walk '%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_true(unknown(&r, "WALKED"));
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_int_equal(val(&r, "USED"), num(fx, fx_printf(fx,
		"df -B1 --output=used '%s' | tail -n 1", fx->mnt)));
	/* --min-gap on the known part: 5 MiB passes 4M, not 6M */
	assert_string_equal(out(fx, fx_printf(fx, "%s -q -r -n --no-walk "
		"--min-gap 6M -o MOUNT '%s'", PD_DFDU_BIN, fx->mnt)), "");
	assert_string_equal(out(fx, fx_printf(fx, "%s -q -r -n --no-walk "
		"--min-gap 4M -o MOUNT '%s'", PD_DFDU_BIN, fx->mnt)), fx->mnt);
}

/* Explained is not harmless (issue 12, item 2): by default -w/-c judge
 * each cause a user can get space back from (deleted files still held,
 * files hidden under a mount) as well as the remainder, and --check
 * names the cause that is over, with each cause's perfdata. */
static void test_dfdu_threshold_alerts_on_deleted_and_hidden_space(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc, hidden, size;
	char *o, *mnt_row;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 1024, "-F");
	write_file(fx_printf(fx, "%s/big.log", fx->mnt), 120 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/big.log", fx->mnt),
			     HOLD_FD);
	sh(fx, fx_printf(fx, "mkdir '%s/data'", fx->mnt));
	write_file(fx_printf(fx, "%s/data/old", fx->mnt), 150 * MiB);
	hidden = num(fx, fx_printf(fx, "du -sxB1 '%s/data' | cut -f1", fx->mnt));
	snprintf(fx->covered, sizeof(fx->covered), "%s/data", fx->mnt);
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=1M tmpfs '%s'",
			 fx->covered));
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
	assert_int_equal(val(&r, "UNEXPLAINED"), 0);
	size = (unsigned long long)val(&r, "SIZE");
	mnt_row = fx->mnt;
	/* both over 100M: exit 1, the row printed */
	assert_int_equal(dfdu_rc(fx, NULL, "-r -n -o MOUNT -w 100M", &o), 1);
	assert_string_equal(o, mnt_row);
	/* hidden alone is over 130M */
	assert_int_equal(dfdu_rc(fx, NULL, "-r -n -o MOUNT -w 130M", &o), 1);
	assert_string_equal(o, mnt_row);
	assert_int_equal(dfdu_rc(fx, NULL, "--judge deleted,unexplained "
				 "-w 130M", &o), 0);
	assert_string_equal(o, "");
	assert_int_equal(dfdu_rc(fx, NULL, "-w 200M", &o), 0);
	assert_string_equal(o, "");
	/* --check says which cause is over, and how much */
	assert_int_equal(dfdu_rc(fx, NULL, "--check -w 100M -c 140M", &o), 2);
	assert_string_equal(bare_check(fx, o),
		fx_printf(fx, "DFDU CRITICAL - 1 of 1 file system over a "
			  "threshold: %s deleted 120MiB (%s%%), hidden 150MiB "
			  "(%s%%) | 'deleted_bytes'=%lluB;104857600;146800640;0; "
			  "'deleted_pct'=%s%%;;;; 'hidden_bytes'=%lluB;104857600;"
			  "146800640;0; 'hidden_pct'=%s%%;;;; "
			  "'unexplained_bytes'=0B;104857600;146800640;0; "
			  "'unexplained_pct'=0%%;;;; 'groups'=1;;;0; "
			  "'groups_warning'=0;;;0; 'groups_critical'=1;;;0;",
			  fx->mnt, pct_text(fx, (long long)(alloc * 1000000 / size)),
			  pct_text(fx, (long long)(hidden * 1000000 / size)), alloc,
			  pct_text(fx, (long long)(alloc * 1000000 / size)), hidden,
			  pct_text(fx, (long long)(hidden * 1000000 / size))));
}

/* A user cannot see root's processes (issue 12, item 5): a 40 MiB
 * deleted file root holds on a tmpfs is not "0 B deleted, 40 MiB
 * changed during the walk" but unknown, and the words say it needs
 * root; the remainder is at most the gap. Root sees it all. */
static void test_dfdu_as_a_user_what_root_holds_is_unknown(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc;
	struct row r;
	char *ev;

	if (!fx)
		skip();
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=100M,mode=0755 tmpfs "
			 "'%s'", fx->mnt));
	fx->mounted = true;
	write_file(fx_printf(fx, "%s/big", fx->mnt), 40 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/big", fx->mnt), HOLD_FD);
	dfdu(fx, "65534", fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_true(unknown(&r, "DELETED"));
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_true(unknown(&r, "UNEXPLAINED_MIN"));
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), val(&r, "GAP"));
	assert_int_equal(val(&r, "GAP"), (long long)alloc);
	ev = out(fx, fx_printf(fx, "setpriv --reuid=65534 --regid=65534 "
			       "--clear-groups %s -q -r -n --explain '%s' -o "
			       "KIND,ALLOC,NOTE", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(ev, fx_printf(fx, "deleted\t\tunknown: deleted "
		"files of processes that could not be read (needs root)\n"
		"remainder\t\tat most 40MiB: deleted files unknown: needs root"));
	/* judged as an interval: under 50M whatever root holds; over 10M
	 * cannot be told */
	assert_int_equal(dfdu_rc(fx, "65534", "--judge unexplained -w 50M",
				 &ev), 0);
	assert_int_equal(dfdu_rc(fx, "65534", "--check -w 10M", &ev), 3);
	ev = bare_check(fx, ev);
	assert_string_equal(fx_printf(fx, "%.*s", (int)(strstr(ev, " | ") -
						       ev), ev),
		fx_printf(fx, "DFDU UNKNOWN - unknown on 1 of 1 file system: "
			  "%s deleted (processes that could not be read: needs "
			  "root), unexplained at most 40MiB (40%%): deleted "
			  "files unknown: needs root", fx->mnt));
	/* root: all of it */
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "UNEXPLAINED"), 0);
}

/* The metrics' cheap mode (issue 12, item 14): --no-walk walks nothing
 * but what mount points hide, so deleted and hidden files have samples
 * and thresholds, and the figures that need the walk have none. */
static void test_dfdu_no_walk_metrics_see_deleted_and_hidden(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc, hidden;
	char *o, *prom;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	write_file(fx_printf(fx, "%s/visible", fx->mnt), 100 * MiB);
	write_file(fx_printf(fx, "%s/x", fx->mnt), 30 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/x", fx->mnt), HOLD_FD);
	sh(fx, fx_printf(fx, "mkdir '%s/spool'", fx->mnt));
	write_file(fx_printf(fx, "%s/spool/q", fx->mnt), 50 * MiB);
	hidden = num(fx, fx_printf(fx, "du -sxB1 '%s/spool' | cut -f1", fx->mnt));
	snprintf(fx->covered, sizeof(fx->covered), "%s/spool", fx->mnt);
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=1M tmpfs '%s'",
			 fx->covered));
	dfdu(fx, NULL, fx_printf(fx, "--no-walk '%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "DELETED"), alloc);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
	assert_true(unknown(&r, "WALKED"));
	assert_true(unknown(&r, "GAP"));
	prom = fx_printf(fx, "%s/m.prom", fx->dir);
	/* hidden is over 40M: exit 1, the row printed, the file written */
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--no-walk "
				 "--prom-file '%s' -r -n -o MOUNT -w 40M",
				 prom), &o), 1);
	assert_string_equal(o, fx->mnt);
	o = out(fx, fx_printf(fx, "grep -v '^#' '%s' | grep -F '\"%s\"' | "
			      "cut -d'{' -f1 | sort | tr '\\n' ' '", prom,
			      fx->mnt));
	assert_string_equal(o, "dfdu_avail_bytes dfdu_deleted_bytes "
			    "dfdu_hidden_bytes dfdu_size_bytes dfdu_used_bytes ");
	o = out(fx, fx_printf(fx, "grep -F '\"%s\"' '%s' | grep -E "
			      "'^dfdu_(deleted|hidden)_bytes' | cut -d' ' -f2 | "
			      "tr '\\n' ' '", fx->mnt, prom));
	assert_string_equal(o, fx_printf(fx, "%llu %llu ", alloc, hidden));
	if (system("command -v promtool >/dev/null 2>&1") == 0)
		sh(fx, fx_printf(fx, "promtool check metrics <'%s' >/dev/null",
				 prom));
	/* what needs the walk cannot be judged without it */
	assert_int_equal(dfdu_rc(fx, NULL, "--no-walk --judge unexplained "
				 "-w 1G", &o), 2);
}

/* "No space left on device" with blocks free: a small ext4 filled with
 * empty files until no inode is left. -i shows df -i's numbers, what
 * holds the inodes (the directory with the most entries) and the
 * verdict; --judge inodes alerts on the use. */
static void test_dfdu_inodes_run_out_while_blocks_are_free(void **state)
{
	struct fixture *fx = *state;
	unsigned long long made = 0;
	char *o, *want;
	struct row r;
	int fd;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 64, "-F -N 2048");
	sh(fx, fx_printf(fx, "mkdir '%s/spool'", fx->mnt));
	for (;;) {
		fd = open(fx_printf(fx, "%s/spool/f%llu", fx->mnt, made),
			  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			break;
		close(fd);
		made++;
	}
	assert_int_equal(errno, ENOSPC);
	dfdu(fx, NULL, fx_printf(fx, "-i '%s'", fx->mnt), &r);
	want = out(fx, fx_printf(fx, "df --output=itotal,iused,iavail,ipcent "
				 "'%s' | tail -n 1 | tr -s ' %%' '\\t\\t' | "
				 "sed 's/^\\t//; s/\\t$//'", fx->mnt));
	assert_string_equal(fx_printf(fx, "%s\t%s\t%s\t%s", cell(&r, "INODES"),
				      cell(&r, "IUSED"), cell(&r, "IFREE"),
				      cell(&r, "IUSE_PCT")), want);
	assert_int_equal(val(&r, "IFREE"), 0);
	assert_int_equal(val(&r, "IUSE_PCT"), 100);
	/* the walk: the root, lost+found, spool and what we made */
	assert_int_equal(val(&r, "FILES"), (long long)made + 3);
	assert_int_equal(val(&r, "UNEXPLAINED"), 0);
	/* what holds them, and the verdict */
	o = out(fx, fx_printf(fx, "%s -q -r -n -i --explain '%s' -o "
			      "KIND,INODES,PATH | grep '^entries' | head -n 1",
			      PD_DFDU_BIN, fx->mnt));
	assert_string_equal(o, fx_printf(fx, "entries\t%llu\t%s/spool", made,
					 fx->mnt));
	o = out(fx, fx_printf(fx, "%s -q -r -n -i --explain '%s' -o KIND,NOTE "
			      "| grep -c '^inodes.*inodes nearly out while "
			      "blocks are free'", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(o, "1");
	o = out(fx, fx_printf(fx, "%s '%s' 2>&1 >/dev/null | grep -c "
			      "'inodes nearly out (0 of 2048 free) while blocks "
			      "are free'", PD_DFDU_BIN, fx->mnt));
	assert_string_equal(o, "1");
	/* -w on inode use */
	assert_int_equal(dfdu_rc(fx, NULL, "--judge inodes -w 90% -r -n -o "
				 "MOUNT,IUSE_PCT", &o), 1);
	assert_string_equal(o, fx_printf(fx, "%s\t100", fx->mnt));
	assert_int_equal(dfdu_rc(fx, NULL, "--check -i -w 90%", &o), 1);
	assert_string_equal(bare_check(fx, o),
		fx_printf(fx, "DFDU WARNING - 1 of 1 file system over a "
			  "threshold, inodes: %s 2048 (100%%) | "
			  "'inodes_used'=2048;;;0; 'inodes_pct'=100%%;90;;; "
			  "'groups'=1;;;0; 'groups_warning'=1;;;0; "
			  "'groups_critical'=0;;;0;", fx->mnt));
	/* the space is fine */
	assert_int_equal(dfdu_rc(fx, NULL, "-w 90%", &o), 0);
}

/* The walk's threads follow the device, not the cores: a loop device's
 * reads end in the queue of the disk holding its image (rotational,
 * nr_requests in /sys), a tmpfs has no device (the cores), -j decides
 * when given. */
static void test_dfdu_walk_threads_follow_the_device(void **state)
{
	struct fixture *fx = *state;
	unsigned long long rot, nr, cpus, want;
	char *dev, *q;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 256, "-F");
	dev = out(fx, fx_printf(fx, "stat -c '%%Hd:%%Ld' '%s'", fx->img));
	q = fx_printf(fx, "/sys/dev/block/%s/queue", dev);
	if (access(q, F_OK) != 0)
		q = fx_printf(fx, "/sys/dev/block/%s/../queue", dev);
	rot = num(fx, fx_printf(fx, "cat '%s/rotational'", q));
	nr = num(fx, fx_printf(fx, "cat '%s/nr_requests'", q));
	cpus = num(fx, "nproc");
	want = rot ? nr / 16 : nr / 4;
	if (want > (rot ? 16 : 64))
		want = rot ? 16 : 64;
	if (want < cpus)
		want = cpus;
	if (want > 64)
		want = 64;
	print_message("image on %s: rotational %llu, nr_requests %llu: "
		      "%llu threads\n", dev, rot, nr, want);
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "JOBS"), (long long)want);
	dfdu(fx, NULL, fx_printf(fx, "-j 3 '%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "JOBS"), 3);
	/* the result does not depend on them */
	assert_df_du(fx, &r, NULL);
	umount2(fx->mnt, 0);
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=8M tmpfs '%s'", fx->mnt));
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "JOBS"), (long long)(cpus > 64 ? 64 : cpus));
}

/* With --judge unexplained, -w/-c judge UNEXPLAINED alone: a deleted
 * file held open is explained and never trips them; the figure is
 * exactly the remainder df -B1 and du -sxB1 leave, in bytes and in % of
 * SIZE (truncated to 1e-4 %). */
static void test_dfdu_threshold_judges_the_unexplained_remainder(void **state)
{
	struct fixture *fx = *state;
	unsigned long long alloc;
	long long b, size, pct;
	char *o, *mnt_row;
	struct row r;
	bool partial;

	if (!fx)
		skip();
	partial = root_view_is_partial();
	make_fs(fx, "ext4", 1024, "-F");
	write_file(fx_printf(fx, "%s/big.log", fx->mnt), 300 * MiB);
	alloc = hold_deleted(fx, fx_printf(fx, "%s/big.log", fx->mnt),
			     HOLD_FD);
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_int_equal(val(&r, "DELETED"), alloc);
	b = val(&r, "UNEXPLAINED");
	if (b < 0)
		b = 0;
	/* ext4's internal inodes: KiB, far under the deleted 300 MiB */
	assert_true(b < (long long)MiB);
	size = (long long)num(fx, fx_printf(fx,
		"df -B1 --output=size '%s' | tail -n 1", fx->mnt));
	pct = b * 100 * 10000 / size;
	mnt_row = fx->mnt;

	/* 300 MiB deleted, yet nothing unexplained over 1 MiB: silent, 0 */
	assert_int_equal(dfdu_rc(fx, NULL, "--judge unexplained -w 1M -c 2M", &o), 0);
	assert_string_equal(o, "");
	/* not over B, not under B: the figure is B exactly; from a partial
	 * view it is at most B, and an alert below B or at B cannot be
	 * proven (exit 2, the file system listed as unknown) */
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained -w %lld", b), &o), 0);
	assert_string_equal(o, "");
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained -r -n -o MOUNT "
				 "-w %lld:", b), &o), partial ? 2 : 0);
	assert_string_equal(o, partial ? mnt_row : "");
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained -r -n -o MOUNT "
				 "-w @%lld:%lld", b, b), &o), partial ? 2 : 1);
	assert_string_equal(o, mnt_row);
	/* and in % of SIZE */
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained -r -n -o MOUNT "
				 "-c @%s%%:%s%%", pct_text(fx, pct),
				 pct_text(fx, pct)), &o), partial ? 2 : 1);
	assert_string_equal(o, mnt_row);
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained -w %s%%",
				 pct_text(fx, pct)), &o), 0);
	assert_string_equal(o, "");
	/* --check: CRITICAL wins, the figure in the perfdata */
	if (partial) {
		/* at most B: CRITICAL at B is not proven */
		assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained --check "
					 "-w 1G -c @%lld:%lld", b, b), &o), 3);
		assert_true(!strncmp(o, "DFDU UNKNOWN - unknown on 1 of 1 "
				     "file system: ", 42));
		assert_non_null(strstr(o, "; partial view: "));
	} else {
		assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained --check "
					 "-w 1G -c @%lld:%lld", b, b), &o), 2);
		assert_check_line(fx, o, fx_printf(fx, "DFDU CRITICAL - 1 of "
			"1 file system over a threshold, unexplained: %s ",
			fx->mnt), fx_printf(fx, " (%s%%) | "
			"'unexplained_bytes'=%lldB;1073741824;@%lld:%lld;0; "
			"'unexplained_pct'=%s%%;;;; 'groups'=1;;;0; "
			"'groups_warning'=0;;;0; 'groups_critical'=1;;;0;",
			pct_text(fx, pct), b, b, b, pct_text(fx, pct)));
	}
	assert_int_equal(dfdu_rc(fx, NULL, "--judge unexplained --check -w 1M", &o), 0);
	assert_true(!strncmp(o, "DFDU OK - 1 file system, the most "
			     "unexplained: ", 41));
}

/* As a user the walk cannot read a directory: GAP less the known parts
 * is an upper bound, judged when 0 and the bound get one state. */
static void test_dfdu_threshold_on_an_upper_bound(void **state)
{
	struct fixture *fx = *state;
	unsigned n, total;
	char *o, *why;
	struct row r;
	int end = 0;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	baseline(fx);
	sh(fx, fx_printf(fx, "mkdir '%s/locked'", fx->mnt));
	write_file(fx_printf(fx, "%s/locked/secret", fx->mnt), 100 * MiB);
	sh(fx, fx_printf(fx, "chmod 000 '%s/locked'", fx->mnt));
	dfdu(fx, "65534", fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_int_equal(val(&r, "UNREADABLE"), 2);
	/* at most the gap: ext4's internal inodes and root's processes'
	 * deleted files are unknown to a user */
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_int_equal(val(&r, "UNEXPLAINED_MAX"), val(&r, "GAP"));
	/* at most 100 MiB and a little: under 1G whatever it hides */
	assert_int_equal(dfdu_rc(fx, "65534", "--judge unexplained -w 1G", &o), 0);
	assert_string_equal(o, "");
	/* 50M: the bound is over, the truth may not be: UNKNOWN, exit 2 */
	assert_int_equal(dfdu_rc(fx, "65534", "--judge unexplained -r -n -o MOUNT -w 50M", &o), 2);
	assert_string_equal(o, fx->mnt);
	assert_int_equal(dfdu_rc(fx, "65534", "--judge unexplained --check -w 50M", &o), 3);
	/* as a user, root's processes are not seen: said in the line */
	o = strip_partial(fx, o, &why);
	assert_non_null(why);
	assert_int_equal(sscanf(why, "%u of %u processes could not be read "
				"(permission denied)%n", &n, &total, &end), 2);
	assert_int_equal(end, strlen(why));
	assert_check_line(fx, o, fx_printf(fx, "DFDU UNKNOWN - unknown on 1 "
		"of 1 file system: %s at most ", fx->mnt),
		fx_printf(fx, " (%s%%): deleted files unknown: needs root; "
			  "internal inodes unknown: needs root; what 2 "
			  "unreadable directories hold | "
			  "'unexplained_bytes'=U;52428800;;0; 'groups'=1;;;0; "
			  "'groups_warning'=0;;;0; 'groups_critical'=0;;;0;",
			  pct_text(fx, val(&r, "GAP") * 100 * 10000 /
				   val(&r, "SIZE"))));
	/* root reads it: the remainder is the empty file system's */
	assert_int_equal(dfdu_rc(fx, NULL, "--judge unexplained -w 50M", &o), 0);
	assert_string_equal(o, "");
}

/* A bind mount of the file system inside itself: du -x walks it twice,
 * so GAP and UNEXPLAINED are negative. Nothing is unexplained: the
 * figure is 0 (a range that alerts below 0 stays silent), while the
 * metrics keep the signed values. */
static void test_dfdu_negative_remainder_counts_as_zero(void **state)
{
	struct fixture *fx = *state;
	char *o, *prom;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	sh(fx, fx_printf(fx, "mkdir '%s/a' '%s/b'", fx->mnt, fx->mnt));
	write_file(fx_printf(fx, "%s/a/f", fx->mnt), 50 * MiB);
	snprintf(fx->covered, sizeof(fx->covered), "%s/b", fx->mnt);
	sh(fx, fx_printf(fx, "mount --bind '%s/a' '%s'", fx->mnt,
			 fx->covered));
	dfdu(fx, NULL, fx_printf(fx, "'%s'", fx->mnt), &r);
	assert_df_du(fx, &r, NULL);
	assert_true(val(&r, "GAP") < -(long long)(49 * MiB));
	assert_true(val(&r, "UNEXPLAINED") < 0);
	assert_int_equal(dfdu_rc(fx, NULL, "--judge unexplained -w 0:0 -c 0%", &o), 0);
	assert_string_equal(o, "");
	assert_int_equal(dfdu_rc(fx, NULL, "--judge unexplained --check -w @0:0", &o), 1);
	assert_non_null(strstr(o, "'unexplained_bytes'=0B;@0:0;;0; "
			       "'unexplained_pct'=0%;;;;"));
	prom = fx_printf(fx, "%s/m.prom", fx->dir);
	assert_int_equal(dfdu_rc(fx, NULL, fx_printf(fx, "--judge unexplained --prom-file '%s'",
				 prom), &o), 0);
	assert_string_equal(o, "");
	o = out(fx, fx_printf(fx, "grep -E '^dfdu_(gap|unexplained)_bytes' "
			      "'%s' | cut -d' ' -f2", prom));
	assert_string_equal(o, fx_printf(fx, "%lld\n%lld", val(&r, "GAP"),
					 val(&r, "UNEXPLAINED")));
	if (system("command -v promtool >/dev/null 2>&1") == 0)
		sh(fx, fx_printf(fx, "promtool check metrics <'%s' >/dev/null",
				 prom));
}

/* A FUSE mount over a directory of the walked file system, its daemon
 * stopped: the walk never stats the mount point (it is another device,
 * as du -x would find), so dfdu finishes, and its evidence names the
 * mount with what it hides. */
static void test_dfdu_walk_never_stats_a_stopped_fuse_mount_below_it(
	void **state)
{
	struct fixture *fx = *state;
	unsigned long long walked0, hidden;
	char *src, *data, *line;
	struct harness_run hr;
	long long base;
	struct row r;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	base = baseline(fx);
	data = fx_printf(fx, "%s/data", fx->mnt);
	sh(fx, fx_printf(fx, "mkdir -p '%s/sub'", data));
	write_file(fx_printf(fx, "%s/sub/a", data), 20 * MiB);
	write_file(fx_printf(fx, "%s/keep", fx->mnt), 5 * MiB);
	walked0 = num(fx, fx_printf(fx, "du -sxB1 '%s' | cut -f1", fx->mnt));
	hidden = num(fx, fx_printf(fx, "du -sxB1 '%s' | cut -f1", data));
	src = fx_printf(fx, "%s/fuse-src", fx->dir);
	assert_int_equal(mkdir(src, 0755), 0);
	fuse_start(fx, src, data);
	fuse_stop(fx);

	run_dfdu(fx, false, &hr, "--timeout", "1s", "-r", "--output-all",
		 fx->mnt, NULL);
	row_of(fx, hr.out, fx->mnt, &r);
	/* the mount point is skipped whole, as du -x skips another device */
	assert_int_equal(val(&r, "WALKED"), walked0 - hidden);
	assert_int_equal(val(&r, "COVERED"), 1);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
	assert_int_equal(val(&r, "UNREADABLE"), 0);
	assert_int_equal(val(&r, "UNEXPLAINED"), base);

	/* the evidence names the mount and what it hides */
	run_dfdu(fx, false, &hr, "--timeout", "1s", "-r", "-n", "-v", "-o",
		 "KIND,ALLOC,PATH", fx->mnt, NULL);
	line = strstr(hr.out, "hidden\t");
	assert_non_null(line);
	*strchr(line, '\n') = '\0';
	assert_string_equal(line, fx_printf(fx, "hidden\t%llu\t%s", hidden,
					    data));

	/* --remote: the same; the FUSE mount holds no path given */
	run_dfdu(fx, false, &hr, "--timeout", "1s", "--remote", "-r",
		 "--output-all", fx->mnt, NULL);
	row_of(fx, hr.out, fx->mnt, &r);
	assert_int_equal(val(&r, "WALKED"), walked0 - hidden);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
}

/* A stopped FUSE mounted over a tmpfs (as over /dev/shm): the tmpfs is
 * reachable through no mount point, which the mount table says; dfdu
 * --no-walk measures it through a private copy of the mount table
 * (lib/mntreach) without a request to the stopped daemon, finishes, and
 * names what covers it. With --remote the FUSE mount's statvfs times
 * out, and that is named too. */
static void test_dfdu_no_walk_measures_a_tmpfs_under_a_stopped_fuse(
	void **state)
{
	struct fixture *fx = *state;
	struct harness_run hr;
	char *src, *shm;
	struct row r;

	if (!fx)
		skip();
	shm = fx_printf(fx, "%s/shm", fx->dir);
	src = fx_printf(fx, "%s/fuse-src", fx->dir);
	assert_int_equal(mkdir(shm, 0755), 0);
	assert_int_equal(mkdir(src, 0755), 0);
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=4M tmpfs '%s'", shm));
	track_mount(fx, shm);
	write_file(fx_printf(fx, "%s/seg", shm), MiB);
	fuse_start(fx, src, shm);
	fuse_stop(fx);

	run_dfdu(fx, false, &hr, "--no-walk", "--timeout", "1s", "-r", "-o",
		 "MOUNT,FSTYPE,USED", NULL);
	row_of(fx, hr.out, shm, &r);
	assert_string_equal(cell(&r, "FSTYPE"), "tmpfs");
	/* the 1 MiB file, page for page */
	assert_int_equal(val(&r, "USED"), MiB);
	assert_non_null(strstr(hr.err, fx_printf(fx, "%s (tmpfs ", shm)));
	assert_non_null(strstr(hr.err, fx_printf(fx, "): covered by fuse on "
		"%s: measured through a private copy of the mount table", shm)));

	/* a thread stays in the FUSE request: no leak check at exit */
	run_dfdu(fx, true, &hr, "--no-walk", "--remote", "--timeout", "1s",
		 "-r", "-o", "MOUNT,FSTYPE,USED", NULL);
	assert_non_null(strstr(hr.err, fx_printf(fx, "%s did not answer "
						 "within 1000 ms", shm)));
}

/* A tmpfs covered by another mounted on the same point (as /dev/shm
 * mounted twice): no path reaches it, yet dfdu measures it through a
 * private copy of the mount table (lib/mntreach): its df side, its walk
 * and what its own mount point hides, exactly as df and du said before
 * it was covered; the mount table is the same after; -w and --check
 * judge it (before: unknown, UNKNOWN, exit 2). */
static void test_dfdu_covered_tmpfs_is_measured_through_a_private_table(
	void **state)
{
	struct fixture *fx = *state;
	unsigned long long size, used, walked, hidden;
	char *dev, *before, *after, *o, *err;
	struct row r;

	if (!fx)
		skip();
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=16M pd-covered '%s'",
			 fx->mnt));
	track_mount(fx, fx->mnt);
	write_file(fx_printf(fx, "%s/big", fx->mnt), 3 * MiB);
	sh(fx, fx_printf(fx, "mkdir '%s/data'", fx->mnt));
	write_file(fx_printf(fx, "%s/data/under", fx->mnt), MiB);
	hidden = num(fx, fx_printf(fx, "du -sxB1 '%s/data' | cut -f1",
				   fx->mnt));
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=1M pd-data '%s/data'",
			 fx->mnt));
	track_mount(fx, fx_printf(fx, "%s/data", fx->mnt));
	dev = out(fx, fx_printf(fx, "mountpoint -d '%s'", fx->mnt));
	size = num(fx, fx_printf(fx, "df -B1 --output=size '%s' | tail -n 1",
				 fx->mnt));
	used = num(fx, fx_printf(fx, "df -B1 --output=used '%s' | tail -n 1",
				 fx->mnt));
	walked = num(fx, fx_printf(fx, "du -sxB1 '%s' | cut -f1", fx->mnt));
	assert_int_equal(used, 4 * MiB);
	/* now cover it */
	sh(fx, fx_printf(fx, "mount -t tmpfs -o size=2M pd-top '%s'",
			 fx->mnt));
	track_mount(fx, fx->mnt);
	assert_int_equal(access(fx_printf(fx, "%s/big", fx->mnt), F_OK), -1);

	before = out(fx, "cat /proc/self/mountinfo");
	o = out(fx, fx_printf(fx, "%s -q -r --output-all '%s'", PD_DFDU_BIN,
			      fx->mnt));
	after = out(fx, "cat /proc/self/mountinfo");
	assert_string_equal(before, after);
	o = fx_printf(fx, "%s\n", o);	/* out() took the last newline */
	row_where(fx, o, "DEV", dev, &r);
	assert_string_equal(cell(&r, "MOUNT"), fx->mnt);
	assert_string_equal(cell(&r, "SOURCE"), "pd-covered");
	assert_int_equal(val(&r, "SIZE"), size);
	assert_int_equal(val(&r, "USED"), used);
	assert_int_equal(val(&r, "WALKED"), walked);
	assert_int_equal(val(&r, "HIDDEN"), hidden);
	assert_int_equal(val(&r, "COVERED"), 1);
	assert_int_equal(val(&r, "DELETED"), 0);
	assert_int_equal(val(&r, "GAP"), (long long)(used - walked));
	assert_int_equal(val(&r, "UNEXPLAINED"),
			 (long long)(used - walked - hidden));
	/* the row of what covers it is there too */
	row_where(fx, o, "SOURCE", "pd-top", &r);
	assert_int_equal(val(&r, "USED"), 0);
	/* the warning names what covers it */
	err = out(fx, fx_printf(fx, "%s '%s' 2>&1 >/dev/null", PD_DFDU_BIN,
				fx->mnt));
	assert_non_null(strstr(err, fx_printf(fx, "%s (tmpfs %s): covered by "
		"tmpfs on %s: measured through a private copy of the mount "
		"table", fx->mnt, dev, fx->mnt)));
	/* judged: silent under -w, OK under --check, over a low -w */
	assert_int_equal(dfdu_rc(fx, NULL, "-w 1G", &o), 0);
	assert_string_equal(o, "");
	assert_int_equal(dfdu_rc(fx, NULL, "--check -w 1G", &o), 0);
	assert_true(!strncmp(o, "DFDU OK - ", 10));
}

/* An ext4 on a loop device whose image lies on a FUSE mount, its daemon
 * stopped with dirty data in the page cache: writeback cannot complete.
 * --no-walk never syncs; a walk syncs under the deadline, says so and
 * does not walk; dfdu exits either way (a sync stuck in an uninterruptible
 * wait would keep the process from ever exiting). */
static void test_dfdu_syncs_only_before_a_walk_and_under_the_deadline(
	void **state)
{
	struct fixture *fx = *state;
	char *src, *fuse;
	struct harness_run hr;
	struct row r;

	if (!fx)
		skip();
	src = fx_printf(fx, "%s/fuse-src", fx->dir);
	fuse = fx_printf(fx, "%s/fuse", fx->dir);
	assert_int_equal(mkdir(src, 0755), 0);
	assert_int_equal(mkdir(fuse, 0755), 0);
	fuse_start(fx, src, fuse);
	snprintf(fx->img, sizeof(fx->img), "%s/fs.img", fuse);
	sh(fx, fx_printf(fx, "truncate -s 64M '%s'", fx->img));
	sh(fx, fx_printf(fx, "mkfs.ext4 -q -F '%s' >/dev/null 2>&1", fx->img));
	sh(fx, fx_printf(fx, "mount -o loop '%s' '%s'", fx->img, fx->mnt));
	track_mount(fx, fx->mnt);
	/* dirty data, no fsync; then nothing reaches the image */
	{
		static char buf[1 << 20];
		int fd = open(fx_printf(fx, "%s/dirty", fx->mnt),
			      O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		int i;

		assert_true(fd >= 0);
		memset(buf, 'd', sizeof(buf));
		for (i = 0; i < 8; i++)
			assert_int_equal(write(fd, buf, sizeof(buf)),
					 (ssize_t)sizeof(buf));
		close(fd);
	}
	fuse_stop(fx);

	run_dfdu(fx, false, &hr, "--no-walk", "--timeout", "1s", "-r", "-o",
		 "MOUNT,USED,WALKED", fx->mnt, NULL);
	row_of(fx, hr.out, fx->mnt, &r);
	assert_true(unknown(&r, "WALKED"));
	assert_false(unknown(&r, "USED"));
	assert_null(strstr(hr.err, "syncfs"));

	run_dfdu(fx, false, &hr, "--timeout", "1s", "-r", "-o",
		 "MOUNT,USED,WALKED,GAP", fx->mnt, NULL);
	row_of(fx, hr.out, fx->mnt, &r);
	assert_true(unknown(&r, "WALKED"));
	assert_true(unknown(&r, "GAP"));
	assert_non_null(strstr(hr.err, fx_printf(fx, "%s: syncfs did not "
		"complete within 1000 ms (writeback stuck?): not walked",
		fx->mnt)));
}

/* Out of file descriptors (a deep tree, ulimit -n 20): the walk of the
 * file system fails, said as dfdu's own trouble; no directory is counted
 * unreadable and no byte goes into a gap. */
static void test_dfdu_out_of_descriptors_is_not_unreadable_data(void **state)
{
	struct fixture *fx = *state;
	char *path, *o;
	struct row r;
	int i;

	if (!fx)
		skip();
	make_fs(fx, "ext4", 512, "-F");
	path = fx_printf(fx, "%s", fx->mnt);
	for (i = 0; i < 60; i++) {
		path = fx_printf(fx, "%s/d", path);
		assert_int_equal(mkdir(path, 0755), 0);
	}
	o = out(fx, fx_printf(fx, "ulimit -n 20; %s -j 1 -r --output-all "
			      "'%s' 2>'%s/err'", PD_DFDU_BIN, fx->mnt,
			      fx->dir));
	row_of(fx, fx_printf(fx, "%s\n", o), fx->mnt, &r);
	assert_true(unknown(&r, "WALKED"));
	assert_true(unknown(&r, "UNREADABLE"));
	assert_true(unknown(&r, "GAP"));
	assert_true(unknown(&r, "UNEXPLAINED"));
	assert_string_equal(out(fx, fx_printf(fx, "grep -c 'ran out of file "
		"descriptors' '%s/err'", fx->dir)), "1");
	assert_string_equal(out(fx, fx_printf(fx, "grep -c 'directories could "
		"not be read' '%s/err' || true", fx->dir)), "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dfdu_deleted_file_held_by_a_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_deleted_file_held_only_by_a_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_files_hidden_under_a_tmpfs_mount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_unreadable_directory_as_a_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_sparse_and_preallocated_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_ext4_reserve_is_root_plus_kernel_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_xfs_reserve_pool_and_deleted_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_no_walk_is_the_df_side_and_deleted_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_threshold_judges_the_unexplained_remainder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_threshold_on_an_upper_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_negative_remainder_counts_as_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_walk_never_stats_a_stopped_fuse_mount_below_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_no_walk_measures_a_tmpfs_under_a_stopped_fuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_covered_tmpfs_is_measured_through_a_private_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_syncs_only_before_a_walk_and_under_the_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_out_of_descriptors_is_not_unreadable_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_threshold_alerts_on_deleted_and_hidden_space, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_as_a_user_what_root_holds_is_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_no_walk_metrics_see_deleted_and_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_inodes_run_out_while_blocks_are_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dfdu_walk_threads_follow_the_device, setup, teardown),
	};

	if (geteuid() != 0)
		print_message("not root: every dfdu scenario is skipped\n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
