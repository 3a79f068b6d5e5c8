/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scenario tests of processes whose thread-group leader has exited while
 * another thread lives on (leader_worker.c): the kernel keeps the leader
 * as a zombie with an empty fd/, maps and exe, and only the live thread's
 * task/TID/ shows what the process holds. deadfiles, memfind and dfdu
 * must see its deleted files, memfds and mappings with their exact sizes,
 * and a process run from a memfd keeps its fileless flag. Everything on
 * a tmpfs of our own in a private mount namespace of the test process.
 * Root only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(PD_BIN_DIR) || !defined(PD_LEADER_WORKER_BIN)
#error "PD_BIN_DIR and PD_LEADER_WORKER_BIN must be given"
#endif

#define READY_TIMEOUT_MS 10000
#define RUN_LIMIT_S 60.0

struct fixture {
	char dir[64];		/* a tmpfs of our own, in our namespace */
	bool mounted;
	const char *cannot;	/* why this machine cannot run the tests */
	pid_t workers[2];
	size_t nworkers;
	struct owned owned;
};

/* What a worker with a directory holds (its ready line). */
struct held {
	pid_t pid;
	int held_fd, memfd_fd;
	unsigned long long held_ino, held_size, held_alloc;
	unsigned long long memfd_ino, memfd_size, memfd_alloc;
	unsigned long long mapped_ino, mapped_size, mapped_alloc;
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

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	if (geteuid() != 0)
		return 0;
	/* our mounts vanish with the namespace, seen by nobody else; a
	 * chroot's / is no mount point and cannot be made private */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		fx->cannot = "no private mount namespace here (a chroot?)";
		return 0;
	}
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pd-leader-XXXXXX");
	if (!mkdtemp(fx->dir)) {
		fx->dir[0] = '\0';
		return -1;
	}
	if (mount("tmpfs", fx->dir, "tmpfs", 0, "size=64m") < 0)
		return -1;
	fx->mounted = true;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i;

	for (i = 0; i < fx->nworkers; i++)
		kill(fx->workers[i], SIGKILL);
	for (i = 0; i < fx->nworkers; i++)
		reap(fx->workers[i], 5000, NULL);
	if (fx->mounted)
		umount2(fx->dir, MNT_DETACH);
	if (fx->dir[0])
		rmdir(fx->dir);
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

#define SKIP_UNLESS_ROOT()						\
	do {								\
		if (geteuid() != 0) {					\
			print_message("needs root: skipped\n");		\
			skip();						\
		}							\
		if (((struct fixture *)*state)->cannot) {		\
			print_message("%s: skipped\n",			\
				((struct fixture *)*state)->cannot);	\
			skip();						\
		}							\
	} while (0)

/* The state letter of PID from /proc/PID/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* The number of entries of /proc/PID/task. */
static int nthreads(pid_t pid)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Start the worker (EXEC_FD >= 0: fexecve of that memfd) with DIR (or
 * none), read its ready line into LINE, and wait until its leader is a
 * zombie with its second thread alive. Returns the pid.
 */
static pid_t spawn_worker(struct fixture *fx, int exec_fd, const char *dir,
			  char *line, size_t linesz)
{
	pid_t me = getpid(), pid;
	double end = now_s() + READY_TIMEOUT_MS / 1000.0;
	size_t len = 0;
	int p[2];

	assert_in_range(fx->nworkers, 0, 1);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char fdarg[16];
		char *argv[] = { "leader_worker", fdarg, (char *)dir, NULL };
		int w;

		die_with_parent(me);
		w = fcntl(p[1], F_DUPFD, 10);	/* not close-on-exec */
		if (w < 0)
			_exit(126);
		snprintf(fdarg, sizeof(fdarg), "%d", w);
		if (exec_fd >= 0)
			fexecve(exec_fd, argv, environ);
		else
			execv(PD_LEADER_WORKER_BIN, argv);
		_exit(127);
	}
	fx->workers[fx->nworkers++] = pid;
	close(p[1]);
	for (;;) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		ssize_t n;

		if (now_s() > end)
			fail_msg("worker %d did not report", (int)pid);
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(p[0], line + len, linesz - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		assert_true(len < linesz - 1);
	}
	close(p[0]);
	line[len] = '\0';
	if (strncmp(line, "fail", 4) == 0 || len == 0)
		fail_msg("worker %d: '%s'", (int)pid, line);
	/* the pipe closed just before the leader's exit */
	while (proc_state(pid) != 'Z') {
		if (now_s() > end)
			fail_msg("leader %d did not exit", (int)pid);
		sleep_ms(5);
	}
	assert_int_equal(nthreads(pid), 2);
	return pid;
}

static void spawn_holder(struct fixture *fx, struct held *h)
{
	char line[512];

	h->pid = spawn_worker(fx, -1, fx->dir, line, sizeof(line));
	assert_int_equal(sscanf(line, "%d %llu %llu %llu %d %llu %llu %llu "
				"%llu %llu %llu",
				&h->held_fd, &h->held_ino, &h->held_size,
				&h->held_alloc, &h->memfd_fd, &h->memfd_ino,
				&h->memfd_size, &h->memfd_alloc,
				&h->mapped_ino, &h->mapped_size,
				&h->mapped_alloc), 11);
	/* the sizes leader_worker.c makes */
	assert_int_equal(h->held_size, 1024 * 1024 + 1);
	assert_int_equal(h->memfd_size, 2 * 1024 * 1024);
	assert_int_equal(h->mapped_size, 512 * 1024);
	print_message("pid %d: held alloc %llu, memfd alloc %llu, mapped "
		      "alloc %llu\n", (int)h->pid, h->held_alloc,
		      h->memfd_alloc, h->mapped_alloc);
}

/* ------------------------------------------------------------------ */
/* Running a tool, parsing its TSV */

#define MAX_COLS 32
#define MAX_ROWS 64

struct tsv {
	size_t ncols, nrows;
	char *names[MAX_COLS];
	char *cells[MAX_ROWS][MAX_COLS];
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

/* Run the tool TOOL with ARGS (NULL-terminated); it must exit 0 with a
 * TSV table (-r) on stdout, parsed into *T (no output: no row). */
static void run_tool(struct fixture *fx, struct tsv *t, const char *tool,
		     ...)
{
	const char *argv[32];
	struct harness_run r;
	char *line, *nl;
	size_t n = 0;
	va_list ap;

	argv[n++] = fx_printf(fx, "%s/%s", PD_BIN_DIR, tool);
	va_start(ap, tool);
	while ((argv[n] = va_arg(ap, const char *)))
		assert_true(++n < sizeof(argv) / sizeof(argv[0]));
	va_end(ap);
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &r);
	if (r.overran || !WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
		fail_msg("%s: status 0x%x; stderr: %s", tool, r.status, r.err);
	print_message("%s:\n%s", tool, r.out);
	memset(t, 0, sizeof(*t));
	if (!*r.out)
		return;		/* no row, no header */
	line = r.out;
	nl = strchr(line, '\n');
	assert_non_null(nl);
	*nl = '\0';
	t->ncols = split(line, t->names, MAX_COLS);
	for (line = nl + 1; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		assert_true(t->nrows < MAX_ROWS);
		assert_int_equal(split(line, t->cells[t->nrows], MAX_COLS),
				 t->ncols);
		t->nrows++;
	}
}

static const char *cell(const struct tsv *t, size_t row, const char *col)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->names[i], col))
			return t->cells[row][i];
	fail_msg("no column %s", col);
	return NULL;
}

/* The row whose COL is VAL; fails when there is none or more than one. */
static size_t must_row(const struct tsv *t, const char *col, const char *val)
{
	size_t i, found = SIZE_MAX;

	for (i = 0; i < t->nrows; i++) {
		if (strcmp(cell(t, i, col), val) != 0)
			continue;
		if (found != SIZE_MAX)
			fail_msg("two rows with %s %s", col, val);
		found = i;
	}
	if (found == SIZE_MAX)
		fail_msg("no row with %s %s", col, val);
	return found;
}

static char *num(struct fixture *fx, unsigned long long v)
{
	return fx_printf(fx, "%llu", v);
}

/* ------------------------------------------------------------------ */
/* Tests */

static void test_deadfiles_sees_files_of_a_process_whose_leader_exited(
	void **state)
{
	struct fixture *fx = *state;
	struct held h;
	struct tsv t;
	size_t row;

	SKIP_UNLESS_ROOT();
	spawn_holder(fx, &h);
	run_tool(fx, &t, "deadfiles", "-r", "-p", num(fx, (unsigned)h.pid),
		 "-o", "PIDS,HOLDERS,FD,SIZE,ALLOC,INODE,PATH", NULL);
	assert_int_equal(t.nrows, 2);
	row = must_row(&t, "INODE", num(fx, h.held_ino));
	assert_string_equal(cell(&t, row, "PATH"),
			    fx_printf(fx, "%s/held", fx->dir));
	assert_string_equal(cell(&t, row, "PIDS"), num(fx, (unsigned)h.pid));
	assert_string_equal(cell(&t, row, "HOLDERS"), "1");
	assert_string_equal(cell(&t, row, "FD"), num(fx, (unsigned)h.held_fd));
	assert_string_equal(cell(&t, row, "SIZE"), num(fx, h.held_size));
	assert_string_equal(cell(&t, row, "ALLOC"), num(fx, h.held_alloc));
	row = must_row(&t, "INODE", num(fx, h.mapped_ino));
	assert_string_equal(cell(&t, row, "PATH"),
			    fx_printf(fx, "%s/mapped", fx->dir));
	assert_string_equal(cell(&t, row, "PIDS"), num(fx, (unsigned)h.pid));
	assert_string_equal(cell(&t, row, "FD"), "mem");
	assert_string_equal(cell(&t, row, "SIZE"), num(fx, h.mapped_size));
	assert_string_equal(cell(&t, row, "ALLOC"), num(fx, h.mapped_alloc));
}

static void test_memfind_sees_memfd_of_a_process_whose_leader_exited(
	void **state)
{
	struct fixture *fx = *state;
	struct held h;
	struct tsv t;
	size_t row;

	SKIP_UNLESS_ROOT();
	spawn_holder(fx, &h);
	run_tool(fx, &t, "memfind", "-r", "-p", num(fx, (unsigned)h.pid),
		 "-o", "KIND,PIDS,HOLDERS,FD,SIZE,ALLOC,FLAGS,INODE,PATH",
		 NULL);
	row = must_row(&t, "INODE", num(fx, h.memfd_ino));
	assert_string_equal(cell(&t, row, "KIND"), "memfd");
	assert_string_equal(cell(&t, row, "PATH"), "/memfd:pd-leader-memfd");
	assert_string_equal(cell(&t, row, "PIDS"), num(fx, (unsigned)h.pid));
	assert_string_equal(cell(&t, row, "HOLDERS"), "1");
	assert_string_equal(cell(&t, row, "FD"),
			    num(fx, (unsigned)h.memfd_fd));
	assert_string_equal(cell(&t, row, "SIZE"), num(fx, h.memfd_size));
	assert_string_equal(cell(&t, row, "ALLOC"), num(fx, h.memfd_alloc));
	assert_string_equal(cell(&t, row, "FLAGS"), "");
	/* the deleted files on our tmpfs are memory too */
	row = must_row(&t, "INODE", num(fx, h.held_ino));
	assert_string_equal(cell(&t, row, "KIND"), "deleted-tmpfs");
	assert_string_equal(cell(&t, row, "FD"), num(fx, (unsigned)h.held_fd));
	assert_string_equal(cell(&t, row, "ALLOC"), num(fx, h.held_alloc));
	row = must_row(&t, "INODE", num(fx, h.mapped_ino));
	assert_string_equal(cell(&t, row, "KIND"), "deleted-tmpfs");
	assert_string_equal(cell(&t, row, "FD"), "mem");
	assert_string_equal(cell(&t, row, "ALLOC"), num(fx, h.mapped_alloc));
	assert_int_equal(t.nrows, 3);
}

static void test_memfind_process_run_from_memfd_whose_leader_exited_is_fileless(
	void **state)
{
	struct fixture *fx = *state;
	char buf[65536], line[64];
	struct stat st;
	struct tsv t;
	ssize_t n;
	size_t row;
	int in, mfd;
	pid_t pid;

	SKIP_UNLESS_ROOT();
	in = open(PD_LEADER_WORKER_BIN, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	mfd = memfd_create("pd-leader-payload", MFD_CLOEXEC);
	assert_true(mfd >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(mfd, buf, (size_t)n), n);
	close(in);
	assert_int_equal(fstat(mfd, &st), 0);
	pid = spawn_worker(fx, mfd, NULL, line, sizeof(line));
	/* only the process running from it holds it now */
	close(mfd);
	assert_string_equal(line, "ready\n");
	run_tool(fx, &t, "memfind", "-r", "-p", num(fx, (unsigned)pid), "-o",
		 "KIND,PIDS,FD,SIZE,ALLOC,FLAGS,INODE,PATH", NULL);
	assert_int_equal(t.nrows, 1);
	row = must_row(&t, "INODE", num(fx, st.st_ino));
	assert_string_equal(cell(&t, row, "KIND"), "memfd");
	assert_string_equal(cell(&t, row, "PATH"), "/memfd:pd-leader-payload");
	assert_string_equal(cell(&t, row, "FLAGS"), "exec,fileless");
	assert_string_equal(cell(&t, row, "PIDS"), num(fx, (unsigned)pid));
	assert_string_equal(cell(&t, row, "FD"), "mem,exe");
	assert_string_equal(cell(&t, row, "SIZE"),
			    num(fx, (unsigned long long)st.st_size));
	assert_string_equal(cell(&t, row, "ALLOC"),
			    num(fx, (unsigned long long)st.st_blocks * 512));
}

static void test_dfdu_counts_deleted_files_of_a_process_whose_leader_exited(
	void **state)
{
	struct fixture *fx = *state;
	struct held h;
	struct tsv t;

	SKIP_UNLESS_ROOT();
	spawn_holder(fx, &h);
	run_tool(fx, &t, "dfdu", "-q", "-r", "-o",
		 "MOUNT,DELETED,DELETED_FILES,UNEXPLAINED", fx->dir, NULL);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(cell(&t, 0, "MOUNT"), fx->dir);
	assert_string_equal(cell(&t, 0, "DELETED"),
			    num(fx, h.held_alloc + h.mapped_alloc));
	assert_string_equal(cell(&t, 0, "DELETED_FILES"), "2");
	assert_string_equal(cell(&t, 0, "UNEXPLAINED"), "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_deadfiles_sees_files_of_a_process_whose_leader_exited,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memfind_sees_memfd_of_a_process_whose_leader_exited,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_memfind_process_run_from_memfd_whose_leader_exited_is_fileless,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_dfdu_counts_deleted_files_of_a_process_whose_leader_exited,
			setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
