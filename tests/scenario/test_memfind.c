/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of memfind: real memfds, SysV segments, POSIX shm files,
 * O_TMPFILEs and shared anonymous memory made by children we fork, checked
 * against fstat() taken by the holder, ipcs -m and /proc/meminfo. Root
 * only (map_files/, SHM_LOCK, files on /). */
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
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/ipc.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PD_MEMFIND_BIN
#error "PD_MEMFIND_BIN must be the path of the memfind binary"
#endif

#define READY_TIMEOUT_MS 10000
#define RUN_LIMIT_S 30.0
#define MIB (1024u * 1024u)
#define KIB 1024u

/* ------------------------------------------------------------------ */
/* Fixture */

#define MAX_TRACKED 16

struct fixture {
	pid_t holders[MAX_TRACKED];
	size_t nholders;
	int shmids[MAX_TRACKED];	/* removed at teardown */
	size_t nshmids;
	char shm_names[MAX_TRACKED][64];	/* shm_unlink()ed at teardown */
	size_t nshm;
	char dir[64];			/* rmdir()ed at teardown, if set */
	char file[128];			/* unlink()ed before it, if set */
	struct owned owned;
};

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
	size_t i;

	for (i = fx->nholders; i-- > 0;)
		kill(fx->holders[i], SIGKILL);
	for (i = 0; i < fx->nholders; i++)
		reap(fx->holders[i], 5000, NULL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	for (i = 0; i < fx->nshmids; i++)
		shmctl(fx->shmids[i], IPC_RMID, NULL);
	for (i = 0; i < fx->nshm; i++)
		shm_unlink(fx->shm_names[i]);
	/* its mount went with the holder's namespace */
	if (fx->file[0])
		unlink(fx->file);
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
	} while (0)

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

static void track_holder(struct fixture *fx, pid_t pid)
{
	assert_in_range(fx->nholders, 0, MAX_TRACKED - 1);
	fx->holders[fx->nholders++] = pid;
}

static void track_shmid(struct fixture *fx, int id)
{
	assert_in_range(fx->nshmids, 0, MAX_TRACKED - 1);
	fx->shmids[fx->nshmids++] = id;
}

static void track_shm_name(struct fixture *fx, const char *name)
{
	assert_in_range(fx->nshm, 0, MAX_TRACKED - 1);
	snprintf(fx->shm_names[fx->nshm++], sizeof(fx->shm_names[0]), "%s",
		 name);
}

/* ------------------------------------------------------------------ */
/* Holders: a child makes its objects, reports, and waits to be killed. */

struct ready {
	int err;		/* errno of the failed step, 0 when holding */
	int step;		/* which step failed */
	uint64_t ino;		/* the object's inode (fstat by the holder) */
	uint64_t size, alloc;	/* its st_size and st_blocks * 512 */
	int fd;
	pid_t pid2;		/* a second holder (forked), or 0 */
};

typedef int (*make_fn)(void *arg, struct ready *r);

static noreturn void hold_forever(void)
{
	for (;;)
		pause();
}

static pid_t spawn(struct fixture *fx, make_fn fn, void *arg,
		   struct ready *ret)
{
	pid_t parent = getpid(), pid;
	double end;
	size_t got = 0;
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ready r;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		memset(&r, 0, sizeof(r));
		r.fd = -1;
		if (fn(arg, &r) < 0 && !r.err)
			r.err = errno ? errno : EINVAL;
		if (write(p[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		close(p[1]);
		if (r.err)
			_exit(1);
		hold_forever();
	}
	close(p[1]);
	track_holder(fx, pid);
	memset(ret, 0, sizeof(*ret));
	end = now_s() + READY_TIMEOUT_MS / 1000.0;
	while (got < sizeof(*ret)) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		int left = (int)((end - now_s()) * 1000.0);
		ssize_t n;

		if (left <= 0 || poll(&pf, 1, left) <= 0)
			break;
		n = read(p[0], (char *)ret + got, sizeof(*ret) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	if (got != sizeof(*ret))
		fail_msg("holder %d never said it was ready", (int)pid);
	if (ret->pid2 > 0)
		track_holder(fx, ret->pid2);
	if (ret->err)
		fail_msg("holder %d failed at step %d: %s", (int)pid, ret->step,
			 strerror(ret->err));
	return pid;
}

static int step_fail(struct ready *r, int step)
{
	r->err = errno ? errno : EINVAL;
	r->step = step;
	return -1;
}

static void note_stat(struct ready *r, int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0) {
		r->ino = st.st_ino;
		r->size = (uint64_t)st.st_size;
		r->alloc = (uint64_t)st.st_blocks * 512;
	}
}

/* Write LEN bytes of non-zero data at offset 0 of FD. */
static int fill(int fd, size_t len)
{
	char buf[65536];
	size_t done = 0;

	memset(buf, 0x5a, sizeof(buf));
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t w = pwrite(fd, buf, n, (off_t)done);

		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Running memfind, reading its TSV */

struct run {
	int status;
	char *out, *err;
};

static void run_argv(struct fixture *fx, struct run *ret, int want,
		     const char *const *args)
{
	const char *argv[32];
	struct harness_run h;
	size_t n = 0;

	argv[n++] = PD_MEMFIND_BIN;
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &h);
	if (h.overran)
		fail_msg("memfind overran %.0f s", RUN_LIMIT_S);
	ret->status = h.status;
	ret->out = h.out;
	ret->err = h.err;
	if (!WIFEXITED(h.status) || WEXITSTATUS(h.status) != want)
		fail_msg("memfind exited %d, not %d; stderr:\n%s", h.status,
			 want, h.err);
}

#define run_memfind(fx, ret, ...)					\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), (ret), 0, args_);			\
	} while (0)

/* The same, expecting exit status WANT. */
#define run_memfind_rc(fx, ret, want, ...)				\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), (ret), (want), args_);			\
	} while (0)

struct tsv {
	size_t ncols, nrows;
	char **hdr;
	char **cells;
};

static void tsv_parse(struct fixture *fx, char *text, struct tsv *t)
{
	size_t nlines = 0, i, k;
	char *p, *line;

	memset(t, 0, sizeof(*t));
	for (p = text; *p; p++)
		nlines += *p == '\n';
	if (!nlines)
		return;
	t->cells = owned_add(&fx->owned, calloc(nlines * 64, sizeof(char *)));
	line = text;
	for (i = 0; i < nlines; i++) {
		char *nl = strchr(line, '\n'), *f[64];
		size_t nf = 0;

		*nl = '\0';
		f[nf++] = line;
		for (p = line; *p; p++) {
			if (*p == '\t') {
				*p = '\0';
				assert_in_range(nf, 1, 63);
				f[nf++] = p + 1;
			}
		}
		if (i == 0) {
			t->ncols = nf;
			t->hdr = owned_add(&fx->owned, calloc(nf, sizeof(char *)));
			for (k = 0; k < nf; k++)
				t->hdr[k] = f[k];
		} else {
			assert_int_equal(nf, t->ncols);
			for (k = 0; k < nf; k++)
				t->cells[(i - 1) * t->ncols + k] = f[k];
			t->nrows++;
		}
		line = nl + 1;
	}
}

static const char *cell(const struct tsv *t, size_t row, const char *col)
{
	size_t k;

	for (k = 0; k < t->ncols; k++)
		if (!strcmp(t->hdr[k], col))
			return t->cells[row * t->ncols + k];
	fail_msg("no column %s", col);
	return NULL;
}

/* The row whose COL is VAL (and KIND is KIND, if not NULL); -1 if none;
 * fails if two. */
static long find_row(const struct tsv *t, const char *col, const char *val,
		     const char *kind)
{
	long found = -1;
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		if (strcmp(cell(t, i, col), val))
			continue;
		if (kind && strcmp(cell(t, i, "KIND"), kind))
			continue;
		if (found >= 0)
			fail_msg("two rows with %s %s", col, val);
		found = (long)i;
	}
	return found;
}

static long must_row(const struct tsv *t, const char *col, const char *val,
		     const char *kind)
{
	long r = find_row(t, col, val, kind);

	if (r < 0)
		fail_msg("no row with %s %s (kind %s)", col, val,
			 kind ? kind : "any");
	return r;
}

static void assert_cell(const struct tsv *t, long row, const char *col,
			const char *want)
{
	const char *got = cell(t, (size_t)row, col);

	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", col, got, want);
}

static void assert_cell_u64(const struct tsv *t, long row, const char *col,
			    uint64_t want)
{
	const char *got = cell(t, (size_t)row, col);
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)want);
	if (strcmp(got, buf))
		fail_msg("%s: got '%s', want %s", col, got, buf);
}

/* Run memfind -r --output-all with ARGS and parse it. */
#define scan(fx, t, ...)						\
	do {								\
		struct run r_;						\
		run_memfind((fx), &r_, "-r", "--output-all", __VA_ARGS__); \
		tsv_parse((fx), r_.out, (t));				\
	} while (0)

static char *num(struct fixture *fx, uint64_t v)
{
	return fx_printf(fx, "%llu", (unsigned long long)v);
}

/* ------------------------------------------------------------------ */
/* Objects */

struct memfd_spec {
	const char *name;
	size_t size, written;
	unsigned seals;		/* F_ADD_SEALS after writing, 0: none */
	bool fork2;		/* fork a second holder */
	bool map_close;		/* mmap and close the fd */
};

static int make_memfd(void *arg, struct ready *r)
{
	const struct memfd_spec *s = arg;
	int fd;

	fd = memfd_create(s->name, s->seals ? MFD_ALLOW_SEALING : 0);
	if (fd < 0)
		return step_fail(r, 1);
	if (ftruncate(fd, (off_t)s->size) < 0)
		return step_fail(r, 2);
	if (fill(fd, s->written) < 0)
		return step_fail(r, 3);
	if (s->seals && fcntl(fd, F_ADD_SEALS, s->seals) < 0)
		return step_fail(r, 4);
	note_stat(r, fd);
	r->fd = fd;
	if (s->map_close) {
		if (mmap(NULL, s->size, PROT_READ, MAP_SHARED, fd, 0) ==
		    MAP_FAILED)
			return step_fail(r, 5);
		close(fd);
		r->fd = -1;
	}
	if (s->fork2) {
		pid_t me = getpid(), pid = fork();

		if (pid < 0)
			return step_fail(r, 6);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != me)
				_exit(1);
			hold_forever();
		}
		r->pid2 = pid;
	}
	return 0;
}

static void test_memfd_size_and_alloc(void **state)
{
	struct fixture *fx = *state;
	struct memfd_spec s = { .name = "pd-mf-sized", .size = 8 * MIB,
				.written = 3 * MIB };
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	pid = spawn(fx, make_memfd, &s, &rd);
	assert_int_equal(rd.size, 8 * MIB);
	assert_int_equal(rd.alloc, 3 * MIB);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	row = must_row(&t, "INODE", num(fx, rd.ino), "memfd");
	assert_cell(&t, row, "PATH", "/memfd:pd-mf-sized");
	assert_cell_u64(&t, row, "SIZE", 8 * MIB);
	assert_cell_u64(&t, row, "ALLOC", 3 * MIB);
	assert_cell(&t, row, "PIDS", num(fx, (uint64_t)pid));
	assert_cell(&t, row, "FD", num(fx, (uint64_t)rd.fd));
	assert_cell(&t, row, "HOLDERS", "1");
	/* MFD_ALLOW_SEALING not given: the kernel seals it with F_SEAL_SEAL */
	assert_cell(&t, row, "SEALS", "seal");
	assert_cell(&t, row, "FLAGS", "");
}

static void test_memfd_seals_listed(void **state)
{
	struct fixture *fx = *state;
	struct memfd_spec s = { .name = "pd-mf-sealed", .size = 64 * KIB,
				.written = 64 * KIB,
				.seals = F_SEAL_SHRINK | F_SEAL_GROW |
					 F_SEAL_WRITE };
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	pid = spawn(fx, make_memfd, &s, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid), "--type", "memfd");
	row = must_row(&t, "INODE", num(fx, rd.ino), "memfd");
	assert_cell(&t, row, "SEALS", "shrink,grow,write");
}

static void test_memfd_shared_by_two_is_one_row(void **state)
{
	struct fixture *fx = *state;
	struct memfd_spec s = { .name = "pd-mf-shared", .size = 1 * MIB,
				.written = 512 * KIB, .fork2 = true };
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	pid = spawn(fx, make_memfd, &s, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	row = must_row(&t, "INODE", num(fx, rd.ino), "memfd");
	assert_cell(&t, row, "HOLDERS", "2");
	assert_cell(&t, row, "PIDS", fx_printf(fx, "%d,%d", (int)pid,
					       (int)rd.pid2));
	assert_cell(&t, row, "FD", fx_printf(fx, "%d;%d", rd.fd, rd.fd));
	assert_cell_u64(&t, row, "ALLOC", 512 * KIB);
}

static void test_memfd_mapped_with_fd_closed(void **state)
{
	struct fixture *fx = *state;
	struct memfd_spec s = { .name = "pd-mf-mapped", .size = 2 * MIB,
				.written = 1 * MIB, .map_close = true };
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	pid = spawn(fx, make_memfd, &s, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	row = must_row(&t, "INODE", num(fx, rd.ino), "memfd");
	assert_cell(&t, row, "FD", "mem");
	assert_cell_u64(&t, row, "SIZE", 2 * MIB);
	assert_cell_u64(&t, row, "ALLOC", 1 * MIB);
	/* mapped read-only and never touched by the holder: nothing resident
	 * in its mapping */
	assert_cell(&t, row, "RSS", "0");
	assert_cell(&t, row, "SEALS", "");
}

/* A child that copies /bin/sleep into a memfd and runs it from there. */
static int make_fileless(void *arg, struct ready *r)
{
	static char *const argv[] = { "sleep", "600", NULL };
	int in, fd, p[2];
	char buf[65536];
	ssize_t n;
	pid_t me = getpid(), pid;

	(void)arg;
	in = open("/bin/sleep", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return step_fail(r, 1);
	fd = memfd_create("pd-mf-payload", MFD_CLOEXEC);
	if (fd < 0)
		return step_fail(r, 2);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return step_fail(r, 3);
	close(in);
	note_stat(r, fd);
	if (pipe2(p, O_CLOEXEC) < 0)
		return step_fail(r, 4);
	pid = fork();
	if (pid < 0)
		return step_fail(r, 5);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(1);
		close(p[0]);
		/* the pipe closes on exec (O_CLOEXEC): that is the signal */
		fexecve(fd, argv, environ);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], buf, 1) != 0)
		return step_fail(r, 6);
	close(p[0]);
	/* only the process running from it holds it now */
	close(fd);
	r->pid2 = pid;
	return 0;
}

static void test_executable_memfd_run_as_a_process(void **state)
{
	struct fixture *fx = *state;
	struct ready rd;
	struct tsv t;
	long row;
	int i;

	SKIP_UNLESS_ROOT();
	spawn(fx, make_fileless, NULL, &rd);
	/* exec is done when the pipe closed; the maps are there then */
	for (i = 0; i < 50; i++) {
		scan(fx, &t, "-p", num(fx, (uint64_t)rd.pid2));
		row = find_row(&t, "INODE", num(fx, rd.ino), "memfd");
		if (row >= 0)
			break;
		sleep_ms(20);
	}
	row = must_row(&t, "INODE", num(fx, rd.ino), "memfd");
	assert_cell(&t, row, "PATH", "/memfd:pd-mf-payload");
	assert_cell(&t, row, "FLAGS", "exec,fileless");
	assert_cell(&t, row, "PIDS", num(fx, (uint64_t)rd.pid2));
	assert_cell(&t, row, "FD", "mem,exe");
	assert_cell_u64(&t, row, "SIZE", rd.size);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
}

static void test_regular_file_named_memfd_is_not_one(void **state)
{
	struct fixture *fx = *state;
	char *path = fx_printf(fx, "/memfd:pd-mf-fake-%d", (int)getpid());
	struct tsv t;
	size_t i;
	int fd;

	SKIP_UNLESS_ROOT();
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		skip();		/* a read-only root */
	assert_int_equal(fill(fd, 64 * KIB), 0);
	assert_int_equal(unlink(path), 0);
	/* held by this process: "/memfd:pd-mf-fake-N (deleted)" */
	scan(fx, &t, "-p", num(fx, (uint64_t)getpid()), "--type",
	     "memfd,hugetlb,tmpfs,deleted-tmpfs");
	for (i = 0; i < t.nrows; i++)
		if (!strcmp(cell(&t, i, "PATH"), path + 0))
			fail_msg("a file on / named %s was listed as %s",
				 path, cell(&t, i, "KIND"));
	close(fd);
}

/* ------------------------------------------------------------------ */
/* SysV, against ipcs -m */

struct ipcs_row {
	bool found;
	uint64_t bytes, nattch;
	bool dest, locked;
};

static void ipcs_lookup(int shmid, struct ipcs_row *ret)
{
	char line[512];
	FILE *p = popen("LC_ALL=C ipcs -m", "r");

	memset(ret, 0, sizeof(*ret));
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char key[32], owner[64], perms[16], status[64] = "";
		unsigned long long bytes, nattch;
		int id;

		if (sscanf(line, "%31s %d %63s %15s %llu %llu %63[^\n]", key,
			   &id, owner, perms, &bytes, &nattch, status) < 6 ||
		    id != shmid)
			continue;
		ret->found = true;
		ret->bytes = bytes;
		ret->nattch = nattch;
		ret->dest = strstr(status, "dest") != NULL;
		ret->locked = strstr(status, "locked") != NULL;
	}
	pclose(p);
}

struct sysv_spec {
	int id_orphan, id_locked;
};

static int make_sysv_locked(void *arg, struct ready *r)
{
	const struct sysv_spec *s = arg;
	char *p;

	p = shmat(s->id_locked, NULL, 0);
	if (p == (void *)-1)
		return step_fail(r, 1);
	memset(p, 1, 128 * KIB);
	if (shmctl(s->id_locked, SHM_LOCK, NULL) < 0)
		return step_fail(r, 2);
	return 0;
}

static void test_sysv_orphan_and_locked_match_ipcs(void **state)
{
	struct fixture *fx = *state;
	struct sysv_spec s;
	struct ipcs_row io, il;
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long ro, rl;
	char *p;

	SKIP_UNLESS_ROOT();
	s.id_orphan = shmget(IPC_PRIVATE, 1 * MIB, IPC_CREAT | 0600);
	assert_true(s.id_orphan >= 0);
	track_shmid(fx, s.id_orphan);
	/* touch 64 KiB, then detach: resident, attached by nobody */
	p = shmat(s.id_orphan, NULL, 0);
	assert_true(p != (void *)-1);
	memset(p, 1, 64 * KIB);
	assert_int_equal(shmdt(p), 0);
	s.id_locked = shmget(IPC_PRIVATE, 512 * KIB, IPC_CREAT | 0600);
	assert_true(s.id_locked >= 0);
	track_shmid(fx, s.id_locked);
	pid = spawn(fx, make_sysv_locked, &s, &rd);

	scan(fx, &t, "--type", "sysv");
	ipcs_lookup(s.id_orphan, &io);
	ipcs_lookup(s.id_locked, &il);
	assert_true(io.found);
	assert_true(il.found);

	ro = must_row(&t, "SHMID", num(fx, (uint64_t)s.id_orphan), "sysv");
	assert_cell_u64(&t, ro, "SIZE", io.bytes);
	assert_cell_u64(&t, ro, "NATTCH", io.nattch);
	assert_cell_u64(&t, ro, "NATTCH", 0);
	assert_cell(&t, ro, "FLAGS", "orphan");
	assert_cell(&t, ro, "HOLDERS", "0");
	assert_cell_u64(&t, ro, "RSS", 64 * KIB);
	assert_cell_u64(&t, ro, "ALLOC", 64 * KIB);

	rl = must_row(&t, "SHMID", num(fx, (uint64_t)s.id_locked), "sysv");
	assert_cell_u64(&t, rl, "SIZE", il.bytes);
	assert_cell_u64(&t, rl, "NATTCH", il.nattch);
	assert_cell_u64(&t, rl, "NATTCH", 1);
	assert_true(il.locked);
	assert_cell(&t, rl, "FLAGS", "locked");
	assert_cell(&t, rl, "PIDS", num(fx, (uint64_t)pid));
	assert_cell(&t, rl, "FD", "mem");
	assert_cell_u64(&t, rl, "RSS", 128 * KIB);
	assert_cell_u64(&t, rl, "PSS", 128 * KIB);

	/* IPC_RMID while attached: "dest", as ipcs says */
	assert_int_equal(shmctl(s.id_locked, IPC_RMID, NULL), 0);
	scan(fx, &t, "--type", "sysv");
	ipcs_lookup(s.id_locked, &il);
	assert_true(il.found);
	assert_true(il.dest);
	rl = must_row(&t, "SHMID", num(fx, (uint64_t)s.id_locked), "sysv");
	assert_cell(&t, rl, "FLAGS", "dest,locked");
	assert_cell(&t, rl, "KEY", "0x00000000");
}

/* ------------------------------------------------------------------ */
/* POSIX shm, O_TMPFILE, shared anonymous memory */

struct tmpfs_spec {
	const char *shm_name;	/* shm_open this, write 192 KiB, hold */
};

static int make_shm_file(void *arg, struct ready *r)
{
	const struct tmpfs_spec *s = arg;
	int fd;

	fd = shm_open(s->shm_name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return step_fail(r, 1);
	if (fill(fd, 192 * KIB) < 0)
		return step_fail(r, 2);
	note_stat(r, fd);
	r->fd = fd;
	return 0;
}

/* A chroot's /dev/shm may be a plain directory, of devtmpfs (a bind of
 * /dev that is not recursive): memfind lists the files of tmpfs mounts,
 * and devtmpfs has the same magic, so tell them apart by device. */
static bool have_dev_shm_tmpfs(void)
{
	struct stat shm, dev;
	struct statfs sf;

	if (statfs("/dev/shm", &sf) == 0 && sf.f_type == 0x01021994 &&
	    stat("/dev/shm", &shm) == 0 && stat("/dev", &dev) == 0 &&
	    shm.st_dev != dev.st_dev)
		return true;	/* TMPFS_MAGIC, a mount of its own */
	print_message("/dev/shm is no tmpfs mount of its own here: skipped\n");
	return false;
}

static void test_shm_open_file_is_posix(void **state)
{
	struct fixture *fx = *state;
	char *name = fx_printf(fx, "/pd-mf-posix-%d", (int)getpid());
	struct tmpfs_spec s = { .shm_name = name };
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	if (!have_dev_shm_tmpfs())
		skip();
	track_shm_name(fx, name);
	pid = spawn(fx, make_shm_file, &s, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	row = must_row(&t, "INODE", num(fx, rd.ino), "posix");
	assert_cell(&t, row, "PATH", fx_printf(fx, "/dev/shm%s", name));
	assert_cell(&t, row, "MOUNT", "/dev/shm");
	assert_cell_u64(&t, row, "SIZE", 192 * KIB);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
	assert_cell(&t, row, "FD", num(fx, (uint64_t)rd.fd));
}

static int make_tmpfile(void *arg, struct ready *r)
{
	int fd;

	(void)arg;
	fd = open("/dev/shm", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return step_fail(r, 1);
	if (fill(fd, 96 * KIB) < 0)
		return step_fail(r, 2);
	note_stat(r, fd);
	r->fd = fd;
	return 0;
}

static void test_o_tmpfile_on_dev_shm_is_deleted_tmpfs(void **state)
{
	struct fixture *fx = *state;
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	if (!have_dev_shm_tmpfs())
		skip();
	pid = spawn(fx, make_tmpfile, NULL, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	row = must_row(&t, "INODE", num(fx, rd.ino), "deleted-tmpfs");
	assert_cell(&t, row, "PATH", fx_printf(fx, "/dev/shm/#%llu",
					       (unsigned long long)rd.ino));
	assert_cell_u64(&t, row, "SIZE", 96 * KIB);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
}

static int make_shared_anon(void *arg, struct ready *r)
{
	char *p;

	(void)arg;
	p = mmap(NULL, 1 * MIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return step_fail(r, 1);
	memset(p, 3, 256 * KIB);
	return 0;
}

static void test_shared_anonymous_mapping(void **state)
{
	struct fixture *fx = *state;
	struct ready rd;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	pid = spawn(fx, make_shared_anon, NULL, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid), "--type", "shared-anon");
	assert_int_equal(t.nrows, 1);
	row = 0;
	assert_cell(&t, row, "PATH", "/dev/zero");
	assert_cell(&t, row, "FD", "mem");
	assert_cell_u64(&t, row, "SIZE", 1 * MIB);
	assert_cell_u64(&t, row, "ALLOC", 256 * KIB);
	assert_cell_u64(&t, row, "RSS", 256 * KIB);
	assert_cell_u64(&t, row, "PSS", 256 * KIB);
}

/* ------------------------------------------------------------------ */
/* A tmpfs only another mount namespace sees */

struct ns_spec {
	const char *dir;	/* mount point, made by the parent */
};

static int make_private_tmpfs(void *arg, struct ready *r)
{
	const struct ns_spec *s = arg;
	char path[256];
	int fd;

	if (unshare(CLONE_NEWNS) < 0)
		return step_fail(r, 1);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return step_fail(r, 2);
	if (mount("pd-mf-ns", s->dir, "tmpfs", 0, "size=16m") < 0)
		return step_fail(r, 3);
	snprintf(path, sizeof(path), "%s/big", s->dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fill(fd, 2 * MIB) < 0)
		return step_fail(r, 4);
	note_stat(r, fd);
	/* not held: only the walk of this namespace can find it */
	close(fd);
	return 0;
}

/* A chroot whose "/" is no mount point cannot make "/" private (EINVAL):
 * a tmpfs mounted in a new namespace would then reach the host's. */
static bool can_make_private_ns(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(unshare(CLONE_NEWNS) == 0 &&
		      mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ?
		      0 : 1);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		print_message("no private mount namespace here: skipped\n");
		return false;
	}
	return true;
}

static void test_tmpfs_of_another_mount_namespace_is_walked(void **state)
{
	struct fixture *fx = *state;
	char *dir = fx->dir;
	struct ns_spec s = { .dir = dir };
	struct ready rd;
	struct tsv t;
	long row;

	SKIP_UNLESS_ROOT();
	if (!can_make_private_ns())
		skip();
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mf-ns.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	spawn(fx, make_private_tmpfs, &s, &rd);
	/* our namespace has no tmpfs there: the file is not ours to see */
	assert_int_equal(access(fx_printf(fx, "%s/big", dir), F_OK), -1);
	scan(fx, &t, "--type", "tmpfs");
	row = must_row(&t, "PATH", fx_printf(fx, "%s/big", dir), "tmpfs");
	assert_cell(&t, row, "MOUNT", dir);
	assert_cell_u64(&t, row, "SIZE", 2 * MIB);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
	assert_cell(&t, row, "HOLDERS", "0");
	/* 2 MiB: listed by default too */
	scan(fx, &t, "-x", "+PATH");
	must_row(&t, "PATH", fx_printf(fx, "%s/big", dir), "tmpfs");
}

static char *capture_file(struct fixture *fx, const char *path);

/* A tmpfs covered by another mounted on the same point (as /dev/shm
 * mounted twice), in a holder's mount namespace of its own: a file of 3
 * MiB under the cover, one of 2 MiB in the tmpfs on top. */
static int make_covered_tmpfs(void *arg, struct ready *r)
{
	const struct ns_spec *s = arg;
	char path[256];
	int fd;

	if (unshare(CLONE_NEWNS) < 0)
		return step_fail(r, 1);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return step_fail(r, 2);
	if (mount("pd-mf-covered", s->dir, "tmpfs", 0, "size=16m") < 0)
		return step_fail(r, 3);
	snprintf(path, sizeof(path), "%s/covered", s->dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fill(fd, 3 * MIB) < 0)
		return step_fail(r, 4);
	note_stat(r, fd);
	close(fd);
	if (mount("pd-mf-top", s->dir, "tmpfs", 0, "size=8m") < 0)
		return step_fail(r, 5);
	snprintf(path, sizeof(path), "%s/visible", s->dir);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fill(fd, 2 * MIB) < 0)
		return step_fail(r, 6);
	close(fd);
	return 0;
}

/* memfind run without CAP_SYS_ADMIN (root otherwise): what a user who
 * cannot reach a covered mount sees. */
static void run_nocap(struct fixture *fx, struct run *ret, int want,
		      const char *const *args)
{
	const char *argv[32] = {
		"/usr/bin/setpriv", "--inh-caps=-sys_admin",
		"--bounding-set=-sys_admin", PD_MEMFIND_BIN,
	};
	struct harness_run h;
	size_t n = 4;

	while (*args) {
		assert_in_range(n, 4, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &h);
	if (h.overran)
		fail_msg("memfind overran %.0f s", RUN_LIMIT_S);
	ret->status = h.status;
	ret->out = h.out;
	ret->err = h.err;
	if (!WIFEXITED(h.status) || WEXITSTATUS(h.status) != want)
		fail_msg("memfind (no CAP_SYS_ADMIN) exited %d, not %d; "
			 "stdout:\n%s\nstderr:\n%s", h.status, want, h.out,
			 h.err);
}

#define run_memfind_nocap(fx, ret, want, ...)				\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_nocap((fx), (ret), (want), args_);			\
	} while (0)

/* The file under the cover is listed with its exact size, flagged
 * covered, and a warning says by what; thresholds and -s see it, never
 * UNKNOWN for it; no mount table changes, ours or the holder's. Without
 * CAP_SYS_ADMIN it is out of reach: bounded by the Shmem remainder, a
 * threshold above visible + bound is OK, one under the visible part
 * WARNING. (Before: "could not be reached", UNKNOWN, exit 2.) */
static void test_covered_tmpfs_is_listed_and_judged(void **state)
{
	struct fixture *fx = *state;
	struct ns_spec s = { .dir = fx->dir };
	char *host_before, *ns_before, *ns_path, *path;
	struct ready rd;
	struct run r;
	struct tsv t;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	if (!can_make_private_ns())
		skip();
	if (access("/usr/bin/setpriv", X_OK) < 0) {
		print_message("no setpriv: skipped\n");
		skip();
	}
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mf-cov.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	pid = spawn(fx, make_covered_tmpfs, &s, &rd);
	assert_int_equal(rd.alloc, 3 * MIB);
	ns_path = fx_printf(fx, "/proc/%d/mountinfo", (int)pid);
	host_before = fx_printf(fx, "%s", capture_file(fx,
						"/proc/self/mountinfo"));
	ns_before = fx_printf(fx, "%s", capture_file(fx, ns_path));
	path = fx_printf(fx, "%s/covered", fx->dir);

	scan(fx, &t, "--type", "tmpfs");
	row = must_row(&t, "PATH", path, "tmpfs");
	assert_cell(&t, row, "MOUNT", fx->dir);
	assert_cell_u64(&t, row, "SIZE", 3 * MIB);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
	assert_cell(&t, row, "HOLDERS", "0");
	assert_cell(&t, row, "FLAGS", "covered");
	/* 3 MiB: listed by default too, and the warning says why ls
	 * cannot see it */
	run_memfind(fx, &r, "-r", "-n", "-o", "KIND,ALLOC,FLAGS,PATH");
	assert_non_null(strstr(r.out, fx_printf(fx, "tmpfs\t%llu\tcovered"
		"\t%s\n", (unsigned long long)rd.alloc, path)));
	assert_non_null(strstr(r.err, fx_printf(fx, "memfind: warning: the "
		"tmpfs on %s is covered by tmpfs on %s: its files (flag "
		"covered) were read through a private copy of the mount "
		"table", fx->dir, fx->dir)));

	/* judged: silent far above it, WARNING under it, never UNKNOWN */
	run_memfind(fx, &r, "-q", "-w", "1E");
	assert_string_equal(r.out, "");
	run_memfind(fx, &r, "--check", "-w", "1E");
	assert_non_null(strstr(r.out, "MEMFIND OK - "));
	run_memfind_rc(fx, &r, 1, "-q", "-w", "1M", "-r", "-n", "-o",
		       "ALLOC,PATH");
	assert_non_null(strstr(r.out, fx_printf(fx, "%llu\t%s\n",
		(unsigned long long)rd.alloc, path)));
	run_memfind_rc(fx, &r, 1, "--check", "-w", "1M");
	assert_non_null(strstr(r.out, "MEMFIND WARNING - "));
	/* -s: its superblock is counted, the remainder judged */
	run_memfind(fx, &r, "-s", "--check", "-w", "1E");
	assert_non_null(strstr(r.out, "MEMFIND OK - "));
	assert_null(strstr(r.out, "not reached"));

	/* out of reach without CAP_SYS_ADMIN: bounded, judged */
	run_memfind_nocap(fx, &r, 0, "--check", "--type", "tmpfs", "-w",
			  "1E");
	if (!strstr(r.out, "MEMFIND OK - ") ||
	    !strstr(r.out, "tmpfs out of reach: covered, and reaching it "
		    "needs root: at most "))
		fail_msg("not OK with the bound: %s", r.out);
	run_memfind_nocap(fx, &r, 1, "--check", "--type", "tmpfs", "-w",
			  "1M");
	assert_non_null(strstr(r.out, "MEMFIND WARNING - "));
	run_memfind_nocap(fx, &r, 0, "-q", "--type", "tmpfs", "-w", "1E");
	assert_string_equal(r.out, "");

	/* no mount table changed */
	assert_string_equal(capture_file(fx, "/proc/self/mountinfo"),
			    host_before);
	assert_string_equal(capture_file(fx, ns_path), ns_before);
}

/* A deleted tmpfs file whose path is past PATH_MAX: readlink of its fd/
 * link fails with ENAMETOOLONG. It is found all the same, with its exact
 * size, its path the mount point marked "/... (truncated)". The tmpfs is
 * the holder's own, in a mount namespace of its own. */
static int make_deep_deleted(void *arg, struct ready *r)
{
	const struct ns_spec *s = arg;
	char name[201];
	int dfd, next, fd, i;

	if (unshare(CLONE_NEWNS) < 0)
		return step_fail(r, 1);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return step_fail(r, 2);
	if (mount("pd-mf-deep", s->dir, "tmpfs", 0, "size=16m") < 0)
		return step_fail(r, 3);
	dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return step_fail(r, 4);
	memset(name, 'd', 200);
	name[200] = '\0';
	for (i = 0; i < 24; i++) {	/* 24 x 201 bytes > PATH_MAX */
		if (mkdirat(dfd, name, 0700) < 0)
			return step_fail(r, 5);
		next = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (next < 0)
			return step_fail(r, 6);
		close(dfd);
		dfd = next;
	}
	fd = openat(dfd, "held", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fill(fd, 2 * MIB + 3 * KIB) < 0)
		return step_fail(r, 7);
	if (unlinkat(dfd, "held", 0) < 0)
		return step_fail(r, 8);
	close(dfd);
	note_stat(r, fd);
	r->fd = fd;
	return 0;
}

static void test_deleted_tmpfs_file_past_path_max_is_found(void **state)
{
	struct fixture *fx = *state;
	struct ns_spec s = { .dir = fx->dir };
	struct ready rd;
	struct tsv t;
	struct run r;
	pid_t pid;
	long row;

	SKIP_UNLESS_ROOT();
	if (!can_make_private_ns())
		skip();
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mf-deep.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	pid = spawn(fx, make_deep_deleted, &s, &rd);
	scan(fx, &t, "-p", num(fx, (uint64_t)pid));
	assert_int_equal(t.nrows, 1);
	row = must_row(&t, "PATH", fx_printf(fx, "%s/... (truncated)",
					     fx->dir), "deleted-tmpfs");
	assert_cell(&t, row, "KIND", "deleted-tmpfs");
	assert_cell(&t, row, "MOUNT", fx->dir);
	assert_cell_u64(&t, row, "SIZE", 2 * MIB + 3 * KIB);
	assert_cell_u64(&t, row, "ALLOC", rd.alloc);
	assert_cell(&t, row, "FD", num(fx, (uint64_t)rd.fd));
	/* the process was read: no "could not be read (File name too
	 * long)" */
	run_memfind(fx, &r, "-r", "-n", "-p", num(fx, (uint64_t)pid), "-o",
		    "ALLOC,PATH");
	assert_string_equal(r.out, fx_printf(fx, "%llu\t%s/... (truncated)\n",
					     (unsigned long long)rd.alloc,
					     fx->dir));
	if (strstr(r.err, "too long"))
		fail_msg("unexpected warning:\n%s", r.err);
}

/* ------------------------------------------------------------------ */
/* The Shmem reconciliation */

struct summary {
	int64_t shmem, explained, remainder;
};

/*
 * Shmem in /proc/meminfo is a vmstat counter with per-CPU deltas folded
 * only past a threshold (mm/vmstat.c): it can lag by up to
 * stat_threshold pages per CPU. Writing vm.stat_refresh folds them all, so
 * the test (not the tool, which never writes) does that before each read.
 */
static void fold_vmstat(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "1\n", 2) < 0)
		print_message("vm.stat_refresh: %s\n", strerror(errno));
	close(fd);
}

static void read_summary(struct fixture *fx, struct summary *ret)
{
	struct run r;
	struct tsv t;
	long row;

	fold_vmstat();

	run_memfind(fx, &r, "-s", "-r");
	tsv_parse(fx, r.out, &t);
	row = must_row(&t, "PART", "Shmem", NULL);
	ret->shmem = strtoll(cell(&t, (size_t)row, "BYTES"), NULL, 10);
	row = must_row(&t, "PART", "explained", NULL);
	ret->explained = strtoll(cell(&t, (size_t)row, "BYTES"), NULL, 10);
	row = must_row(&t, "PART", "remainder", NULL);
	ret->remainder = strtoll(cell(&t, (size_t)row, "BYTES"), NULL, 10);
	assert_int_equal(ret->remainder, ret->shmem - ret->explained);
}

struct delta_spec {
	const char *shm_name;
	int shmid;
};

/* 4 MiB of memfd, 2 MiB of /dev/shm file, 1 MiB of SysV resident,
 * 512 KiB of shared anonymous memory: 7.5 MiB of Shmem. */
#define DELTA_BYTES (4 * MIB + 2 * MIB + 1 * MIB + 512 * KIB)

static int make_delta(void *arg, struct ready *r)
{
	const struct delta_spec *s = arg;
	char *p;
	int fd;

	fd = memfd_create("pd-mf-delta", 0);
	if (fd < 0 || fill(fd, 4 * MIB) < 0)
		return step_fail(r, 1);
	fd = shm_open(s->shm_name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || fill(fd, 2 * MIB) < 0)
		return step_fail(r, 2);
	p = shmat(s->shmid, NULL, 0);
	if (p == (void *)-1)
		return step_fail(r, 3);
	memset(p, 1, 1 * MIB);
	p = mmap(NULL, 512 * KIB, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return step_fail(r, 4);
	memset(p, 1, 512 * KIB);
	return 0;
}

static void test_shmem_delta_is_explained(void **state)
{
	struct fixture *fx = *state;
	struct delta_spec s;
	struct summary a, b;
	struct ready rd;
	int attempt;

	SKIP_UNLESS_ROOT();
	if (!have_dev_shm_tmpfs())
		skip();
	s.shm_name = fx_printf(fx, "/pd-mf-delta-%d", (int)getpid());
	track_shm_name(fx, s.shm_name);

	/* Other tests on the machine make and free shmem too: the explained
	 * part must move by exactly our bytes in one of a few tries. */
	for (attempt = 0; attempt < 5; attempt++) {
		pid_t pid;

		/* a new segment each try: a touched one stays resident */
		s.shmid = shmget(IPC_PRIVATE, 1 * MIB, IPC_CREAT | 0600);
		assert_true(s.shmid >= 0);
		track_shmid(fx, s.shmid);
		read_summary(fx, &a);
		pid = spawn(fx, make_delta, &s, &rd);
		read_summary(fx, &b);
		print_message("Shmem %+lld, explained %+lld, remainder %+lld "
			      "(remainder before %lld)\n",
			      (long long)(b.shmem - a.shmem),
			      (long long)(b.explained - a.explained),
			      (long long)(b.remainder - a.remainder),
			      (long long)a.remainder);
		kill(pid, SIGKILL);
		reap(pid, 5000, NULL);
		shm_unlink(s.shm_name);
		shmctl(s.shmid, IPC_RMID, NULL);
		if (b.explained - a.explained == (int64_t)DELTA_BYTES &&
		    b.shmem - a.shmem == (int64_t)DELTA_BYTES)
			break;
	}
	assert_in_range(attempt, 0, 4);
	assert_int_equal(b.remainder, a.remainder);
}

/* The text of PATH (owned by the fixture). */
static char *capture_file(struct fixture *fx, const char *path)
{
	char *buf = owned_add(&fx->owned, calloc(1, 1 << 20));
	ssize_t n;
	int fd;

	assert_non_null(buf);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	n = read(fd, buf, (1 << 20) - 1);
	close(fd);
	assert_true(n > 0);
	return buf;
}

/* Thresholds, --check and --prom-file on a planted memfd of 3 MiB: the
 * figure is its exact allocation; silent under the threshold, the report
 * and exit 1 one byte over it; the metrics file written atomically, mode
 * 0644, nothing else left in its directory. */
static void test_thresholds_check_and_prom_on_a_planted_memfd(void **state)
{
	struct fixture *fx = *state;
	struct memfd_spec s = { .name = "pd-mf-health", .size = 3 * MIB,
				.written = 3 * MIB };
	char *pid_s, *text, *line;
	struct ready rd;
	struct stat pst;
	struct run r;
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	SKIP_UNLESS_ROOT();
	pid_s = num(fx, (uint64_t)spawn(fx, make_memfd, &s, &rd));
	assert_int_equal(rd.alloc, 3 * MIB);

	/* at the threshold: silence, exit 0 */
	run_memfind(fx, &r, "-p", pid_s, "--type", "memfd", "-w", "3M");
	assert_string_equal(r.out, "");
	/* one byte over it: the report, exit 1 */
	run_memfind_rc(fx, &r, 1, "-p", pid_s, "--type", "memfd", "-w",
		       "3145727", "-r", "-n", "-o", "ALLOC,PATH");
	assert_string_equal(r.out, "3145728\t/memfd:pd-mf-health\n");
	/* the plugin line, exact */
	run_memfind_rc(fx, &r, 1, "--check", "-p", pid_s, "--type", "memfd",
		       "-w", "1M", "-c", "4M");
	assert_string_equal(r.out, "MEMFIND WARNING - 1 memory object holds "
			    "3MiB | 'object_bytes'=3145728B;1048576;4194304;0;\n");
	run_memfind_rc(fx, &r, 2, "--check", "-p", pid_s, "--type", "memfd",
		       "-c", "2M");
	assert_non_null(strstr(r.out, "MEMFIND CRITICAL - "));

	/* the metrics, in a directory of their own */
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mf-prom.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->file, sizeof(fx->file), "%s/memfind.prom", fx->dir);
	run_memfind(fx, &r, "-p", pid_s, "--type", "memfd", "--prom-file",
		    fx->file);
	assert_string_equal(r.out, "");
	assert_int_equal(stat(fx->file, &pst), 0);
	assert_int_equal(pst.st_mode & 07777, 0644);
	d = opendir(fx->dir);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			assert_string_equal(de->d_name, "memfind.prom");
			n++;
		}
	closedir(d);
	assert_int_equal(n, 1);
	text = capture_file(fx, fx->file);
	line = "\nmemfind_objects{kind=\"memfd\"} 1\n";
	if (!strstr(text, line))
		fail_msg("no line '%s' in:\n%s", line + 1, text);
	line = "\nmemfind_allocated_bytes{kind=\"memfd\"} 3145728\n";
	if (!strstr(text, line))
		fail_msg("no line '%s' in:\n%s", line + 1, text);
	assert_non_null(strstr(text, "\nmemfind_last_success_timestamp_seconds "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_memfd_size_and_alloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memfd_seals_listed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memfd_shared_by_two_is_one_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memfd_mapped_with_fd_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_executable_memfd_run_as_a_process, setup, teardown),
		cmocka_unit_test_setup_teardown(test_regular_file_named_memfd_is_not_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysv_orphan_and_locked_match_ipcs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shm_open_file_is_posix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_o_tmpfile_on_dev_shm_is_deleted_tmpfs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_anonymous_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tmpfs_of_another_mount_namespace_is_walked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_covered_tmpfs_is_listed_and_judged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deleted_tmpfs_file_past_path_max_is_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shmem_delta_is_explained, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thresholds_check_and_prom_on_a_planted_memfd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
