/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of partial views: what each of the six tools says, and
 * how it exits, when it sees part of the system only: a proc mounted with
 * hidepid=invisible (and one with subset=pid) in a private mount namespace
 * of the test, read as nobody; and nobody on the real /proc. One rule for
 * all: the view is said once on stderr, and --check is UNKNOWN unless what
 * was seen already crosses a threshold. Root only (mounts, setuid). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(PD_DEADFILES_BIN) || !defined(PD_MEMFIND_BIN) || \
    !defined(PD_DFDU_BIN) || !defined(PD_OOMRANK_BIN) || \
    !defined(PD_PSSUM_BIN) || !defined(PD_REPORT_BIN)
#error "the paths of the six binaries must be defined"
#endif

#define SETPRIV "/usr/bin/setpriv"
#define NOBODY 65534
#define RUN_LIMIT_S 60.0
#define READY_TIMEOUT_MS 10000
#define HOLDER_COMM "pd-part-hold"
#define MiB (1024u * 1024u)

/* Made once for every test, undone at the end: a private mount namespace
 * of this process with a proc mounted hidepid=invisible on dir/proc, one
 * mounted subset=pid on dir/subset, and a tmpfs on dir/tmp. */
static struct {
	bool ready;		/* false: every test skips */
	char dir[64];		/* /var/tmp/pd-partial.XXXXXX */
	char proc[96], subset[96], tmp[96];
} env;

struct fixture {
	pid_t holder;
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

static bool can_run_as_nobody(void)
{
	pid_t pid;
	int st;

	if (access(SETPRIV, X_OK) != 0)
		return false;
	/* the build tree must be reachable by nobody */
	pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 ||
		    setuid(NOBODY) < 0)
			_exit(1);
		_exit(access(PD_DEADFILES_BIN, X_OK) == 0 ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		print_message("needs root: skipped\n");
		return 0;
	}
	if (!can_run_as_nobody()) {
		print_message("no setpriv, or the build tree is not reachable "
			      "by nobody: skipped\n");
		return 0;
	}
	/* our mounts die with this process's namespace */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		print_message("no private mount namespace here: skipped\n");
		return 0;
	}
	snprintf(env.dir, sizeof(env.dir), "/var/tmp/pd-partial.XXXXXX");
	if (!mkdtemp(env.dir) || chmod(env.dir, 0755) < 0)
		return -1;
	snprintf(env.proc, sizeof(env.proc), "%s/proc", env.dir);
	snprintf(env.subset, sizeof(env.subset), "%s/subset", env.dir);
	snprintf(env.tmp, sizeof(env.tmp), "%s/tmp", env.dir);
	if (mkdir(env.proc, 0755) < 0 || mkdir(env.subset, 0755) < 0 ||
	    mkdir(env.tmp, 0755) < 0)
		return -1;
	/* a proc of our own pid namespace: every process, but root's and
	 * other users' are hidden from nobody */
	if (mount("proc", env.proc, "proc", 0, "hidepid=invisible") < 0 ||
	    mount("proc", env.subset, "proc", 0, "subset=pid") < 0) {
		print_message("cannot mount proc with hidepid=invisible, "
			      "subset=pid (%s): skipped\n", strerror(errno));
		return 0;
	}
	if (mount("pd-partial", env.tmp, "tmpfs", 0, "size=32m,mode=1777") < 0)
		return -1;
	env.ready = true;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (!env.dir[0])
		return 0;
	umount2(env.tmp, MNT_DETACH);
	umount2(env.subset, MNT_DETACH);
	umount2(env.proc, MNT_DETACH);
	rmdir(env.tmp);
	rmdir(env.subset);
	rmdir(env.proc);
	rmdir(env.dir);
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx->holder > 0) {
		kill(fx->holder, SIGKILL);
		reap(fx->holder, 5000, NULL);
	}
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

#define SKIP_UNLESS_READY()						\
	do {								\
		if (!env.ready)						\
			skip();						\
	} while (0)

/* ------------------------------------------------------------------ */
/* A holder: nobody, named HOLDER_COMM, holding a deleted 3 MiB file of
 * the tmpfs and a 3 MiB memfd. */

static noreturn void holder_main(int wfd, pid_t parent)
{
	static char buf[MiB];
	char path[128];
	int fd, mfd, i;

	die_with_parent(parent);
	if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 ||
	    setuid(NOBODY) < 0)
		_exit(1);
	/* setuid() made us undumpable: nobody could not read us */
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_SET_NAME, HOLDER_COMM);
	memset(buf, 'h', sizeof(buf));
	snprintf(path, sizeof(path), "%s/held", env.tmp);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	mfd = memfd_create("pd-partial", MFD_CLOEXEC);
	if (fd < 0 || mfd < 0)
		_exit(1);
	for (i = 0; i < 3; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
		    write(mfd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			_exit(1);
	if (unlink(path) < 0 || write(wfd, "r", 1) != 1)
		_exit(1);
	close(wfd);
	for (;;)
		pause();
}

static pid_t spawn_holder(struct fixture *fx)
{
	struct pollfd p = { .events = POLLIN };
	pid_t parent = getpid();
	int pfd[2];
	char c = 0;

	assert_int_equal(pipe2(pfd, O_CLOEXEC), 0);
	fflush(NULL);
	fx->holder = fork();
	assert_true(fx->holder >= 0);
	if (fx->holder == 0) {
		close(pfd[0]);
		holder_main(pfd[1], parent);
	}
	close(pfd[1]);
	p.fd = pfd[0];
	if (poll(&p, 1, READY_TIMEOUT_MS) != 1 || read(pfd[0], &c, 1) != 1 ||
	    c != 'r')
		fail_msg("the holder never said it was ready");
	close(pfd[0]);
	return fx->holder;
}

/* ------------------------------------------------------------------ */
/* Running a tool */

struct run {
	int rc;
	char *out, *err;
};

/* BIN with the NULL-terminated ARGS, as nobody when NOBODY_TOO. */
static void run_argv(struct fixture *fx, bool as_nobody, const char *bin,
		     const char *const *args, struct run *ret)
{
	const char *argv[48];
	struct harness_run h;
	size_t n = 0;

	if (as_nobody) {
		argv[n++] = SETPRIV;
		argv[n++] = "--reuid=65534";
		argv[n++] = "--regid=65534";
		argv[n++] = "--clear-groups";
		argv[n++] = "--";
	}
	argv[n++] = bin;
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &h);
	if (h.overran)
		fail_msg("%s overran %.0f s", bin, RUN_LIMIT_S);
	assert_true(WIFEXITED(h.status));
	ret->rc = WEXITSTATUS(h.status);
	ret->out = h.out;
	ret->err = h.err;
}

#define nobody(fx, ret, bin, ...)					\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), true, (bin), args_, (ret));		\
	} while (0)

#define as_root(fx, ret, bin, ...)					\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), false, (bin), args_, (ret));		\
	} while (0)

static void assert_run(const struct run *r, int rc, const char *out)
{
	if (r->rc != rc || strcmp(r->out, out))
		fail_msg("exit %d, stdout:\n%s\nwanted exit %d, stdout:\n%s\n"
			 "stderr:\n%s", r->rc, r->out, rc, out, r->err);
}

/* How often LINE (a whole line) is in TEXT. */
static unsigned count_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	unsigned k = 0;
	const char *p;

	for (p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			k++;
	return k;
}

/* What the hidepid'ed proc says, as the --check words and the warning. */
static char *hidepid_words(struct fixture *fx)
{
	return fx_printf(fx, "%s is mounted with hidepid=invisible: other "
			 "users' processes are not visible", env.proc);
}

static void assert_warned_once(struct fixture *fx, const struct run *r,
			       const char *tool)
{
	char *line = fx_printf(fx, "%s: warning: %s; run as root for a "
			       "complete view", tool, hidepid_words(fx));

	if (count_line(r->err, line) != 1)
		fail_msg("not once on stderr: '%s'\nstderr:\n%s", line, r->err);
}

/* TEXT starts with HEAD and ends with TAIL. */
static void assert_ends(const char *text, const char *head, const char *tail)
{
	size_t l = strlen(text), h = strlen(head), t = strlen(tail);

	if (l < h + t || strncmp(text, head, h) || strcmp(text + l - t, tail))
		fail_msg("'%s' is not '%s...%s'", text, head, tail);
}

/* ------------------------------------------------------------------ */
/* 1. hidepid=invisible hides root's processes from nobody: nothing seen
 * is not "OK - 0": every tool says UNKNOWN, exit 3, and why, once. */

static void test_hidepid_makes_every_check_unknown(void **state)
{
	struct fixture *fx = *state;
	char *why;
	struct run r;

	SKIP_UNLESS_READY();
	why = hidepid_words(fx);
	/* -u 0: root's processes, all of them hidden: nothing seen */
	nobody(fx, &r, PD_DEADFILES_BIN, "--check", "--proc-root", env.proc,
	       "-u", "0");
	assert_run(&r, 3, fx_printf(fx, "DEADFILES UNKNOWN - 0 deleted files "
				    "hold 0B; partial view: %s | "
				    "'deleted_bytes'=0B;;;0;\n", why));
	assert_warned_once(fx, &r, "deadfiles");

	nobody(fx, &r, PD_MEMFIND_BIN, "--check", "--proc-root", env.proc,
	       "-u", "0");
	assert_run(&r, 3, fx_printf(fx, "MEMFIND UNKNOWN - 0 memory objects "
				    "hold 0B; partial view: %s | "
				    "'object_bytes'=0B;;;0;\n", why));
	assert_warned_once(fx, &r, "memfind");

	nobody(fx, &r, PD_PSSUM_BIN, "--check", "--proc-root", env.proc,
	       "-u", "0");
	assert_run(&r, 3, fx_printf(fx, "PSSUM UNKNOWN - no processes; "
				    "partial view: %s | 'largest_pss'=0B;;;0; "
				    "'groups'=0;;;0; 'groups_warning'=0;;;0; "
				    "'groups_critical'=0;;;0;\n", why));
	assert_warned_once(fx, &r, "pssum");

	/* the machine's first victim: whoever of nobody's is first, maybe
	 * oomrank itself, which is no answer */
	nobody(fx, &r, PD_OOMRANK_BIN, "--check", "--proc-root", env.proc);
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "OOMRANK UNKNOWN - first victim ", "");
	assert_non_null(strstr(r.out, fx_printf(fx, "; partial view: %s | ",
						why)));
	assert_warned_once(fx, &r, "oomrank");

	/* dfdu: deleted files of processes not seen are unknown, and would
	 * explain more of the gap; --check judges deleted files by default
	 * (#12 item 2) and says why that one is unknown (item 5) */
	nobody(fx, &r, PD_DFDU_BIN, "--check", "--proc-root", env.proc,
	       env.tmp);
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, fx_printf(fx, "DFDU UNKNOWN - unknown on 1 of 1 "
				     "file system: %s deleted (processes that "
				     "could not be read: needs root); partial "
				     "view: %s | 'deleted_bytes'=U;;;0; ",
				     env.tmp, why), "");
	nobody(fx, &r, PD_DFDU_BIN, "--check", "--judge", "unexplained",
	       "--proc-root", env.proc, env.tmp);
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, fx_printf(fx, "DFDU UNKNOWN - 1 file system, the "
				     "most unexplained: %s 0B (0%%); partial "
				     "view: %s | ", env.tmp, why), "");
	assert_non_null(strstr(r.out, fx_printf(fx, "; partial view: %s | ",
						why)));
	assert_warned_once(fx, &r, "dfdu");
}

/* 2. What nobody sees already crosses the threshold: an alert, partial
 * view or not. Under it: UNKNOWN (exit 3), or exit 2 without --check. A
 * selection hidepid cannot touch (a pid that was listed) is complete. */

static void test_hidepid_what_is_seen_crossing_is_an_alert(void **state)
{
	struct fixture *fx = *state;
	char *why, *pid_s, *line;
	struct run r;
	pid_t pid;

	SKIP_UNLESS_READY();
	why = hidepid_words(fx);
	pid = spawn_holder(fx);
	pid_s = fx_printf(fx, "%d", (int)pid);

	/* by command: a hidden process may have any command */
	nobody(fx, &r, PD_DEADFILES_BIN, "--check", "--proc-root", env.proc,
	       "--command", HOLDER_COMM ",sshd", "-w", "1M");
	assert_run(&r, 1, fx_printf(fx, "DEADFILES WARNING - 1 deleted file "
				    "holds 3MiB; partial view: %s | "
				    "'deleted_bytes'=3145728B;1048576;;0;\n",
				    why));
	nobody(fx, &r, PD_DEADFILES_BIN, "--check", "--proc-root", env.proc,
	       "--command", HOLDER_COMM ",sshd", "-w", "4M");
	assert_run(&r, 3, fx_printf(fx, "DEADFILES UNKNOWN - 1 deleted file "
				    "holds 3MiB; partial view: %s | "
				    "'deleted_bytes'=3145728B;4194304;;0;\n",
				    why));
	/* without --check: exit 2, and why on stderr whatever -q says */
	nobody(fx, &r, PD_DEADFILES_BIN, "-q", "--proc-root", env.proc,
	       "--command", HOLDER_COMM ",sshd", "-w", "4M", "-r", "-n", "-o",
	       "ALLOC,PIDS");
	assert_run(&r, 2, fx_printf(fx, "3145728\t%s\n", pid_s));
	line = fx_printf(fx, "deadfiles: the threshold cannot be judged: 1 "
			 "deleted file holds 3MiB; partial view: %s", why);
	if (count_line(r.err, line) != 1)
		fail_msg("no line '%s' on stderr:\n%s", line, r.err);
	nobody(fx, &r, PD_DEADFILES_BIN, "--proc-root", env.proc, "--command",
	       HOLDER_COMM ",sshd", "-w", "1M", "-r", "-n", "-o", "ALLOC,PIDS");
	assert_run(&r, 1, fx_printf(fx, "3145728\t%s\n", pid_s));
	/* its pid was listed: hidepid hides nothing it asks for */
	nobody(fx, &r, PD_DEADFILES_BIN, "--check", "--proc-root", env.proc,
	       "-p", pid_s, "-w", "4M");
	assert_run(&r, 0, "DEADFILES OK - 1 deleted file holds 3MiB | "
		   "'deleted_bytes'=3145728B;4194304;;0;\n");
	assert_string_equal(r.err, "");

	nobody(fx, &r, PD_MEMFIND_BIN, "--check", "--proc-root", env.proc,
	       "--command", HOLDER_COMM ",sshd", "--type", "memfd", "-w", "1M");
	assert_run(&r, 1, fx_printf(fx, "MEMFIND WARNING - 1 memory object "
				    "holds 3MiB; partial view: %s | "
				    "'object_bytes'=3145728B;1048576;;0;\n",
				    why));
	nobody(fx, &r, PD_MEMFIND_BIN, "--check", "--proc-root", env.proc,
	       "-p", pid_s, "--type", "memfd", "-w", "4M");
	assert_run(&r, 0, "MEMFIND OK - 1 memory object holds 3MiB | "
		   "'object_bytes'=3145728B;4194304;;0;\n");

	/* the holder's 6 MiB are over 0.0001% of any RAM */
	nobody(fx, &r, PD_OOMRANK_BIN, "--check", "--proc-root", env.proc,
	       "-w", "0.0001%");
	assert_int_equal(r.rc, 1);
	assert_ends(r.out, "OOMRANK WARNING - first victim ", "");
	assert_non_null(strstr(r.out, fx_printf(fx, "; partial view: %s | ",
						why)));
	nobody(fx, &r, PD_OOMRANK_BIN, "--check", "--proc-root", env.proc,
	       "-c", "99%");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "OOMRANK UNKNOWN - first victim ", "");

	/* pssum: its own memory is over 1 KiB */
	nobody(fx, &r, PD_PSSUM_BIN, "--check", "--proc-root", env.proc,
	       "--command", HOLDER_COMM ",sshd", "-w", "1K");
	assert_int_equal(r.rc, 1);
	assert_ends(r.out, fx_printf(fx, "PSSUM WARNING - 1 of 1 process over "
				     "a threshold: %s(" HOLDER_COMM ") ",
				     pid_s), "");
	assert_non_null(strstr(r.out, fx_printf(fx, "; partial view: %s | ",
						why)));
	nobody(fx, &r, PD_PSSUM_BIN, "--check", "--proc-root", env.proc,
	       "-p", pid_s, "-w", "1G");
	assert_int_equal(r.rc, 0);
	assert_ends(r.out, fx_printf(fx, "PSSUM OK - 1 process, the largest: "
				     "%s(" HOLDER_COMM ") ", pid_s), "");
	assert_null(strstr(r.out, "partial view"));

	/* dfdu: the gap is explained (the held file); what was not seen
	 * could only explain more: under 1P is proven, and said so */
	nobody(fx, &r, PD_DFDU_BIN, "--check", "--judge", "unexplained",
	       "--proc-root", env.proc, "-w", "1P", env.tmp);
	assert_int_equal(r.rc, 0);
	assert_ends(r.out, fx_printf(fx, "DFDU OK - 1 file system, the most "
				     "unexplained: %s 0B (0%%); partial view: "
				     "%s | ", env.tmp, why), "");
	assert_non_null(strstr(r.out, fx_printf(fx, "; partial view: %s | ",
						why)));
}

/* 3. Nobody on the real /proc: other users' fds and maps are not
 * readable. deadfiles, memfind, pssum and dfdu say so and are UNKNOWN;
 * oomrank reads only what everyone may read and is complete. A filter
 * that leaves the unread ones out is complete too. */

/* "N of M processes could not be read (permission denied)" in WHY. */
static void assert_denied_words(const char *text)
{
	const char *p = strstr(text, "; partial view: ");
	unsigned n, m;
	int end = 0;

	if (!p)
		fail_msg("no partial view in '%s'", text);
	if (sscanf(p, "; partial view: %u of %u processes could not be read "
		   "(permission denied) |%n", &n, &m, &end) != 2 || !end)
		fail_msg("not the words of denied processes: '%s'", text);
	assert_in_range(n, 1, m);
}

static bool proc_is_plain(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[1024];
	bool plain = true;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " /proc ") && strstr(line, " - proc ") &&
		    strstr(line, "hidepid="))
			plain = false;
	fclose(f);
	return plain;
}

static void test_nobody_on_the_real_proc(void **state)
{
	struct fixture *fx = *state;
	struct run r;

	SKIP_UNLESS_READY();
	if (!proc_is_plain())
		skip();
	nobody(fx, &r, PD_DEADFILES_BIN, "--check");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "DEADFILES UNKNOWN - ", "");
	assert_denied_words(r.out);
	assert_non_null(strstr(r.err, "deadfiles: warning: "));
	/* nobody's own processes, by command: every one of them read (a
	 * uid alone is not enough on a busy machine: a process between its
	 * setuid() and its exec() is nobody's and undumpable) */
	spawn_holder(fx);
	nobody(fx, &r, PD_DEADFILES_BIN, "--check", "-u", "65534",
	       "--command", HOLDER_COMM);
	assert_run(&r, 0, "DEADFILES OK - 1 deleted file holds 3MiB | "
		   "'deleted_bytes'=3145728B;;;0;\n");

	nobody(fx, &r, PD_MEMFIND_BIN, "--check");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "MEMFIND UNKNOWN - ", "");
	assert_denied_words(r.out);

	nobody(fx, &r, PD_PSSUM_BIN, "--check");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "PSSUM UNKNOWN - ", "");
	assert_denied_words(r.out);
	/* what pssum could not read holds at most its VmRSS (status is
	 * world-readable): nothing reaches 1P even with that added */
	nobody(fx, &r, PD_PSSUM_BIN, "--check", "-w", "1P");
	assert_int_equal(r.rc, 0);
	assert_ends(r.out, "PSSUM OK - ", "");
	assert_denied_words(r.out);
	/* ... but 1K, a group of unread processes alone may pass */
	nobody(fx, &r, PD_PSSUM_BIN, "--check", "-w", "1K", "-u", "0");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "PSSUM UNKNOWN - no processes; partial view: ", "");

	nobody(fx, &r, PD_DFDU_BIN, "--check", env.tmp);
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "DFDU UNKNOWN - ", "");
	assert_denied_words(r.out);

	nobody(fx, &r, PD_OOMRANK_BIN, "--check");
	assert_int_equal(r.rc, 0);
	assert_ends(r.out, "OOMRANK OK - first victim ", "");
	assert_null(strstr(r.out, "partial view"));
}

/* 4. procdiag-report: a section whose tool cannot judge its threshold
 * makes the report exit 2 and says so; the tool says why on stderr. */

static void test_report_section_that_cannot_judge_exits_2(void **state)
{
	struct fixture *fx = *state;
	char *line;
	struct run r;

	SKIP_UNLESS_READY();
	nobody(fx, &r, PD_REPORT_BIN, "--proc-root", env.proc, "-w",
	       "deadfiles=1P");
	assert_run(&r, 2, "== Deleted files still pinning space, per file "
		   "system (deadfiles)\ndeadfiles could not judge its "
		   "threshold, or could not run (exit 2); its message is on "
		   "standard error\n\n");
	line = fx_printf(fx, "deadfiles: the threshold cannot be judged: 0 "
			 "deleted files hold 0B; partial view: %s",
			 hidepid_words(fx));
	if (count_line(r.err, line) != 1)
		fail_msg("no line '%s' on stderr:\n%s", line, r.err);
	assert_warned_once(fx, &r, "deadfiles");
	/* no threshold: the page, exit 0, each tool's warning once */
	nobody(fx, &r, PD_REPORT_BIN, "--proc-root", env.proc);
	assert_int_equal(r.rc, 0);
	assert_warned_once(fx, &r, "deadfiles");
	assert_warned_once(fx, &r, "pssum");
}

/* 5. subset=pid: only the process directories. A file missing for it is
 * said to be missing for that reason. */

static void test_subset_pid_is_named(void **state)
{
	struct fixture *fx = *state;
	char *line;
	struct run r;

	SKIP_UNLESS_READY();
	as_root(fx, &r, PD_OOMRANK_BIN, "--proc-root", env.subset);
	assert_run(&r, 2, "");
	line = fx_printf(fx, "oomrank: cannot scan %s: No such file or "
			 "directory (it is mounted with subset=pid: only the "
			 "process directories are there)", env.subset);
	if (count_line(r.err, line) != 1)
		fail_msg("no line '%s' on stderr:\n%s", line, r.err);

	as_root(fx, &r, PD_MEMFIND_BIN, "--proc-root", env.subset, "--type",
		"sysv", "-n");
	line = fx_printf(fx, "memfind: warning: cannot read sysvipc/shm (%s "
			 "is mounted with subset=pid): SysV segments are "
			 "found only where mapped", env.subset);
	if (count_line(r.err, line) != 1)
		fail_msg("no line '%s' on stderr:\n%s", line, r.err);
	/* segments nobody maps are not seen: the figure is a lower bound */
	as_root(fx, &r, PD_MEMFIND_BIN, "--check", "--proc-root", env.subset,
		"--type", "sysv", "-w", "1P");
	assert_int_equal(r.rc, 3);
	assert_ends(r.out, "MEMFIND UNKNOWN - ", "");
	assert_non_null(strstr(r.out, " (SysV segments nobody maps are not "
			       "seen: no sysvipc/shm)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_hidepid_makes_every_check_unknown,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_hidepid_what_is_seen_crossing_is_an_alert,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_nobody_on_the_real_proc, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_report_section_that_cannot_judge_exits_2,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_subset_pid_is_named, setup, teardown),
	};

	/* nothing from the environment may change the tools' columns */
	unsetenv("DEADFILES_COLUMNS");
	unsetenv("MEMFIND_COLUMNS");
	unsetenv("PSSUM_COLUMNS");
	unsetenv("OOMRANK_COLUMNS");
	unsetenv("DFDU_COLUMNS");
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
