/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of oomrank on the real kernel: its scores against the
 * kernel's /proc/PID/oom_score on the live machine, what an oom_score_adj
 * does to the ranking, the victim of a real memory cgroup OOM (made by the
 * test inside a 200 MiB limit) against the one oomrank predicted, and
 * --explain. Root only (oom_score_adj below 0, cgroups, dmesg). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PD_OOMRANK_BIN
#error "PD_OOMRANK_BIN must be the path of the oomrank binary"
#endif

/* Every wait on a child has a limit, so a broken tool fails, never hangs. */
#define READY_TIMEOUT_MS 20000
#define RUN_LIMIT_S 30.0
#define MIB ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* Fixture: everything a test made, undone by teardown() in any case. */

#define MAX_TRACKED 96

struct fixture {
	char dir[64];			/* /var/tmp/pd-oomrank.XXXXXX */
	pid_t children[MAX_TRACKED];	/* SIGKILLed and reaped first */
	size_t nchildren;
	char cgroup[PATH_MAX];		/* made by the test; rmdir'ed, or "" */
	bool no_leak_check;
	struct owned owned;		/* freed by teardown in any case */
};

static void *own(struct fixture *fx, void *p)
{
	return owned_add(&fx->owned, p);
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

static void track_child(struct fixture *fx, pid_t pid)
{
	assert_in_range(fx->nchildren, 0, MAX_TRACKED - 1);
	fx->children[fx->nchildren++] = pid;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-oomrank.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

/* Remove the directory the test made in /var/tmp: only plain files. */
static void remove_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: could not remove %s\n", dir);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	double end;
	size_t i;

	for (i = fx->nchildren; i-- > 0;)
		kill(fx->children[i], SIGKILL);
	for (i = 0; i < fx->nchildren; i++)
		if (!reap(fx->children[i], 5000, NULL))
			fprintf(stderr, "teardown: pid %d did not die\n",
				(int)fx->children[i]);
	end = now_s() + 3.0;
	while (waitpid(-1, NULL, WNOHANG) >= 0 && now_s() < end)
		sleep_ms(5);
	/* A killed task leaves its cgroup a moment after it is reaped. */
	if (fx->cgroup[0]) {
		end = now_s() + 10.0;
		while (rmdir(fx->cgroup) < 0 && errno != ENOENT) {
			if (now_s() > end) {
				fprintf(stderr, "teardown: rmdir %s: %s\n",
					fx->cgroup, strerror(errno));
				break;
			}
			sleep_ms(20);
		}
	}
	remove_dir(fx->dir);
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

/* ------------------------------------------------------------------ */
/* Small readers of /proc and /sys */

/* The whole of a small file, NUL-terminated, in BUF; -errno or length. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((size_t)got < size - 1) {
		n = read(fd, buf + got, size - 1 - (size_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

static bool write_str(const char *path, const char *s)
{
	size_t len = strlen(s);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, len) == (ssize_t)len;
	return close(fd) == 0 && ok;
}

static long read_proc_long(pid_t pid, const char *name)
{
	char path[64], buf[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		fail_msg("cannot read %s", path);
	return strtol(buf, NULL, 10);
}

/* The number after the word KEY at the start of a line of BUF ("KEY: 12
 * kB", "KEY 12"); "oom_kill" is not "oom_kill_disable". */
static bool keyed(const char *buf, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, key, kl) &&
		    (p[kl] == ':' || p[kl] == ' ' || p[kl] == '\t')) {
			p += kl;
			while (*p == ':' || *p == ' ' || *p == '\t')
				p++;
			*ret = strtoull(p, NULL, 10);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static unsigned long page_size(void)
{
	return (unsigned long)sysconf(_SC_PAGESIZE);
}

/*
 * May we lower an oom_score_adj below 0? Only with CAP_SYS_RESOURCE, which
 * root may lack (a container's bounding set): then no process of ours can
 * have a negative adj, -1000 included, and those cases are not made.
 */
static bool can_lower_adj(void)
{
	char buf[4096];
	uint64_t eff;
	const char *p;

	if (read_small("/proc/self/status", buf, sizeof(buf)) <= 0 ||
	    !(p = strstr(buf, "\nCapEff:")))
		return false;
	eff = strtoull(p + 8, NULL, 16);
	return eff & (UINT64_C(1) << 24);	/* CAP_SYS_RESOURCE */
}

/* totalpages of the global ranking: (MemTotal + SwapTotal) in pages. */
static uint64_t machine_totalpages(void)
{
	char buf[8192];
	uint64_t mem, swap;

	assert_true(read_small("/proc/meminfo", buf, sizeof(buf)) > 0);
	assert_true(keyed(buf, "MemTotal", &mem));
	assert_true(keyed(buf, "SwapTotal", &swap));
	return (mem + swap) * 1024 / page_size();
}

/* What oom_badness() adds up, from /proc/PID/status, in kB. */
struct statmem {
	uint64_t anon, file, shmem, swap, pte;
};

static void read_statmem(pid_t pid, struct statmem *m)
{
	char path[64], buf[8192];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		fail_msg("cannot read %s", path);
	if (!keyed(buf, "RssAnon", &m->anon) ||
	    !keyed(buf, "RssFile", &m->file) ||
	    !keyed(buf, "RssShmem", &m->shmem) ||
	    !keyed(buf, "VmSwap", &m->swap) || !keyed(buf, "VmPTE", &m->pte))
		fail_msg("%s lacks the Rss* / VmSwap / VmPTE lines", path);
}

/*
 * The test's own oom_badness() of a live, still child of ours: the status
 * counters in pages, page tables rounded down to pages as the kernel's
 * mm_pgtables_bytes() / PAGE_SIZE, plus adj * (TOTALPAGES / 1000).
 */
static int64_t own_badness(pid_t pid, uint64_t totalpages)
{
	uint64_t kpp = page_size() / 1024;
	struct statmem m;
	long adj = read_proc_long(pid, "oom_score_adj");

	read_statmem(pid, &m);
	return (int64_t)(m.anon / kpp + m.file / kpp + m.shmem / kpp +
			 m.swap / kpp + m.pte * 1024 / page_size()) +
	       (int64_t)adj * (int64_t)(totalpages / 1000);
}

/* proc_oom_score() of 5.9+: (1000 + badness * 1000 / totalpages) * 2 / 3,
 * in the kernel's signed long arithmetic; 0 for the never-picked. */
static int64_t kernel_scale(int64_t badness, uint64_t totalpages)
{
	return (1000 + badness * 1000 / (int64_t)totalpages) * 2 / 3;
}

/* ------------------------------------------------------------------ */
/* Children: forked, sized, adj'ed, parked; they report on a pipe. */

static noreturn void park_forever(void)
{
	for (;;)
		pause();
}

/* Read exactly LEN bytes from FD within TIMEOUT_MS; returns the count. */
static size_t read_full(int fd, void *buf, size_t len, long timeout_ms)
{
	double end = now_s() + (double)timeout_ms / 1000.0;
	size_t got = 0;

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)((end - now_s()) * 1000.0);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, left) <= 0)
			break;
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

struct child_spec {
	size_t anon;		/* bytes of private anonymous memory touched */
	size_t shmem;		/* bytes of shared anonymous memory (RssShmem) */
	bool map_exe;		/* map our own binary and read it (RssFile) */
	int adj;		/* oom_score_adj */
	const char *join;	/* cgroup.procs to join first, or NULL */
};

struct child_ready {
	int err;		/* errno of the step that failed; 0: parked */
	int step;		/* which step (for the message) */
};

static const char *const step_names[] = {
	"join the cgroup", "set oom_score_adj", "map anon", "map shmem",
	"map the binary",
};

/* Touch LEN bytes at P with data that no page deduplication can share. */
static void touch(char *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i += 64)
		p[i] = (char)(seed + i / 4096);
}

static noreturn void child_main(const struct child_spec *s, int wfd)
{
	struct child_ready r = { 0, 0 };
	char adj[16];
	void *m;

	if (s->join && !write_str(s->join, "0")) {
		r.err = errno ? errno : EIO;
		r.step = 0;
		goto report;
	}
	snprintf(adj, sizeof(adj), "%d", s->adj);
	if (!write_str("/proc/self/oom_score_adj", adj)) {
		r.err = errno ? errno : EIO;
		r.step = 1;
		goto report;
	}
	if (s->anon) {
		m = mmap(NULL, s->anon, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			r.err = errno;
			r.step = 2;
			goto report;
		}
		touch(m, s->anon, 1);
	}
	if (s->shmem) {
		m = mmap(NULL, s->shmem, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			r.err = errno;
			r.step = 3;
			goto report;
		}
		touch(m, s->shmem, 2);
	}
	if (s->map_exe) {
		int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		struct stat st;
		volatile char sum = 0;
		size_t i;

		if (fd < 0 || fstat(fd, &st) < 0) {
			r.err = errno;
			r.step = 4;
			goto report;
		}
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			 0);
		close(fd);
		if (m == MAP_FAILED) {
			r.err = errno;
			r.step = 4;
			goto report;
		}
		/* Touch every page so it is resident (RssFile). */
		for (i = 0; i < (size_t)st.st_size; i += 4096)
			sum += ((const char *)m)[i];
		(void)sum;
	}
report:
	if (write(wfd, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(1);
	close(wfd);
	if (r.err)
		_exit(1);
	park_forever();
}

/* Fork a child of SPEC; returns its pid once it is parked. */
static pid_t spawn_child(struct fixture *fx, const struct child_spec *spec)
{
	pid_t parent = getpid(), pid;
	struct child_ready r;
	int p[2];

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		die_with_parent(parent);
		child_main(spec, p[1]);
	}
	close(p[1]);
	track_child(fx, pid);
	memset(&r, 0, sizeof(r));
	if (read_full(p[0], &r, sizeof(r), READY_TIMEOUT_MS) != sizeof(r))
		fail_msg("child %d never said it was ready", (int)pid);
	close(p[0]);
	if (r.err)
		fail_msg("child %d could not %s: %s", (int)pid,
			 step_names[r.step], strerror(r.err));
	return pid;
}

/* ------------------------------------------------------------------ */
/* Running oomrank */

struct run {
	int status;		/* from waitpid */
	bool overran;		/* killed at the wall clock limit */
	double secs;
	char *out, *err;	/* owned by the fixture */
	size_t outlen, errlen;
	long maxrss_kb;		/* its peak RSS */
};

/* Run oomrank with the NULL-terminated ARGS, stdin from STDIN_PATH (or
 * /dev/null), under a wall clock LIMIT_S; kill it when it overruns. */
static void run_argv(struct fixture *fx, const char *stdin_path,
		     double limit_s, struct run *ret, const char *const *args)
{
	const char *argv[40];
	struct harness_run h;
	size_t n = 0;

	argv[n++] = PD_OOMRANK_BIN;
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;

	memset(ret, 0, sizeof(*ret));
	harness_run(&fx->owned, argv, stdin_path, fx->no_leak_check, limit_s,
		    &h);
	if (h.unreaped)
		track_child(fx, h.unreaped);	/* teardown retries */
	ret->status = h.status;
	ret->overran = h.overran;
	ret->secs = h.secs;
	ret->out = h.out;
	ret->err = h.err;
	ret->outlen = h.outlen;
	ret->errlen = h.errlen;
	ret->maxrss_kb = h.maxrss_kb;
}

#define run_oomrank(fx, ret, ...)					\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), NULL, RUN_LIMIT_S, (ret), args_);	\
	} while (0)

#define run_oomrank_stdin(fx, in, ret, ...)				\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), (in), RUN_LIMIT_S, (ret), args_);	\
	} while (0)

static void assert_exited_0(const struct run *r)
{
	if (r->overran)
		fail_msg("oomrank was killed after %.1f s; it had printed:\n"
			 "%s\nand on stderr:\n%s", r->secs, r->out, r->err);
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		print_error("oomrank stderr:\n%s\n", r->err);
	assert_true(WIFEXITED(r->status));
	assert_int_equal(WEXITSTATUS(r->status), 0);
}

/* The drift warning, parsed; false when stderr has none. Any stderr line
 * but that one and "processes could not be read" fails the test. */
struct drift {
	unsigned differ, compared;
	uint64_t max;
};

static bool parse_stderr(const struct run *r, struct drift *d)
{
	const char *line, *nl;
	bool found = false;

	memset(d, 0, sizeof(*d));
	for (line = r->err; *line; line = nl + 1) {
		unsigned a, b;
		unsigned long long m;

		nl = strchr(line, '\n');
		if (!nl)
			fail_msg("stderr does not end with a newline: %s", line);
		if (sscanf(line, "oomrank: warning: %u of %u scores differ "
			   "from the kernel's oom_score by up to %llu point",
			   &a, &b, &m) == 3) {
			if (found)
				fail_msg("two drift warnings:\n%s", r->err);
			found = true;
			d->differ = a;
			d->compared = b;
			d->max = m;
			continue;
		}
		if (sscanf(line, "oomrank: warning: %u of %u processes could "
			   "not be read", &a, &b) == 2) {
			print_message("note: %.*s\n", (int)(nl - line), line);
			continue;
		}
		fail_msg("unexpected stderr line: %.*s", (int)(nl - line), line);
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* TSV: the header names the columns; every line has the same fields. */

struct tsv {
	size_t ncols, nrows;
	char **hdr;
	char **cells;		/* nrows * ncols */
};

static size_t split_tabs(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *tab;

	for (;;) {
		if (n < max)
			fields[n] = line;
		n++;
		tab = strchr(line, '\t');
		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

static void tsv_parse(struct fixture *fx, const struct run *r, struct tsv *t)
{
	size_t nlines = 0, i, k;
	char *line, *nl;

	memset(t, 0, sizeof(*t));
	if (r->outlen == 0)
		fail_msg("oomrank printed nothing; stderr:\n%s", r->err);
	assert_int_equal(r->out[r->outlen - 1], '\n');
	assert_int_equal(strlen(r->out), r->outlen);
	for (i = 0; i < r->outlen; i++)
		nlines += r->out[i] == '\n';
	line = own(fx, strdup(r->out));
	nl = strchr(line, '\n');
	*nl = '\0';
	t->ncols = 1;
	for (i = 0; line[i]; i++)
		t->ncols += line[i] == '\t';
	t->hdr = own(fx, calloc(t->ncols, sizeof(*t->hdr)));
	split_tabs(line, t->hdr, t->ncols);
	t->nrows = nlines - 1;
	t->cells = own(fx, calloc(t->nrows * t->ncols + 1, sizeof(*t->cells)));
	for (k = 0; k < t->nrows; k++) {
		line = nl + 1;
		nl = strchr(line, '\n');
		*nl = '\0';
		assert_int_equal(split_tabs(line, &t->cells[k * t->ncols],
					    t->ncols), t->ncols);
	}
}

static const char *tsv_cell(const struct tsv *t, size_t row, const char *col)
{
	size_t c;

	assert_in_range(row, 0, t->nrows - 1);
	for (c = 0; c < t->ncols; c++)
		if (!strcmp(t->hdr[c], col))
			return t->cells[row * t->ncols + c];
	fail_msg("no column %s in the TSV header", col);
	return NULL;
}

/* The row of PID (column PID); fails unless there is exactly one. */
static size_t row_of(const struct tsv *t, pid_t pid)
{
	size_t i, found = 0, n = 0;
	char s[16];

	snprintf(s, sizeof(s), "%d", (int)pid);
	for (i = 0; i < t->nrows; i++) {
		if (!strcmp(tsv_cell(t, i, "PID"), s)) {
			found = i;
			n++;
		}
	}
	if (n != 1)
		fail_msg("%zu rows for pid %d, expected 1", n, (int)pid);
	return found;
}

/* A cell as a signed number; fails on an empty or malformed cell. */
static int64_t cell_num(const struct tsv *t, size_t row, const char *col)
{
	const char *s = tsv_cell(t, row, col);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		fail_msg("row %zu: %s is '%s', not a number", row, col, s);
	return v;
}

/* ------------------------------------------------------------------ */
/* 1. Our score is the kernel's for (nearly) every process. */

#define N_EXTRA 50

static void test_scores_match_the_kernel_for_nearly_all_processes(void **state)
{
	static const int all_adjs[] = { 0, -1000, 1, -999, 17, -600, 250,
					-1, 500, -300, 999, 0, 1000 };
	static const int nonneg_adjs[] = { 0, 1, 17, 250, 500, 999, 1000,
					   333 };
	struct fixture *fx = *state;
	bool neg = can_lower_adj();
	const int *adjs = neg ? all_adjs : nonneg_adjs;
	size_t nadjs = neg ? sizeof(all_adjs) / sizeof(all_adjs[0]) :
			     sizeof(nonneg_adjs) / sizeof(nonneg_adjs[0]);
	uint64_t tp = machine_totalpages();
	pid_t kids[N_EXTRA];
	size_t i, k, nscored = 0, nmismatch = 0;
	uint64_t maxdiff = 0;
	struct drift d;
	bool warned;
	struct tsv t;
	struct run r;

	SKIP_UNLESS_ROOT();
	if (!neg)
		print_message("note: no CAP_SYS_RESOURCE: no negative "
			      "oom_score_adj among the children\n");
	/* 50 children: 0-63 MiB of anon, some shmem, some file pages, adj
	 * from -1000 to 1000 (negative badness included). ~1.7 GiB. */
	for (i = 0; i < N_EXTRA; i++) {
		struct child_spec s = {
			.anon = ((i * 13) % 64) * MIB,
			.shmem = i % 3 == 1 ? ((i * 7) % 9) * MIB : 0,
			.map_exe = i % 4 == 2,
			.adj = adjs[i % nadjs],
		};

		kids[i] = spawn_child(fx, &s);
	}

	run_oomrank(fx, &r, "-a", "-r", "-o", "PID,SCORE,OOM_SCORE,REASON");
	assert_exited_0(&r);
	warned = parse_stderr(&r, &d);
	tsv_parse(fx, &r, &t);
	print_message("%zu processes listed\n", t.nrows);
	assert_true(t.nrows >= N_EXTRA + 2);

	for (i = 0; i < t.nrows; i++) {
		const char *ks = tsv_cell(&t, i, "OOM_SCORE");
		int64_t ours = cell_num(&t, i, "SCORE"), kern, diff;

		if (!*ks)
			continue;	/* exited before its oom_score was read */
		kern = cell_num(&t, i, "OOM_SCORE");
		nscored++;
		diff = ours > kern ? ours - kern : kern - ours;
		if (!diff)
			continue;
		nmismatch++;
		if ((uint64_t)diff > maxdiff)
			maxdiff = (uint64_t)diff;
		print_message("mismatch: pid %s SCORE %" PRId64 " OOM_SCORE %"
			      PRId64 "\n", tsv_cell(&t, i, "PID"), ours, kern);
		/*
		 * The documented drift: /proc/PID/status and oom_badness()
		 * read the RSS counters at different instants and one of them
		 * from the batched per-CPU counters, so a process whose memory
		 * changes, or whose counters sit on other CPUs, may be a few
		 * pages off. One point is ~0.15% of RAM + swap: a few pages
		 * can cross one boundary, never more than 2 points.
		 */
		if (diff > 2)
			fail_msg("pid %s: SCORE %" PRId64 " vs the kernel's %"
				 PRId64 ": beyond any counter drift",
				 tsv_cell(&t, i, "PID"), ours, kern);
	}
	print_message("%zu of %zu scores differ (max %" PRIu64 ")\n",
		      nmismatch, nscored, maxdiff);
	assert_true(nscored >= N_EXTRA);
	/* at least 99.9% equal */
	if (nmismatch * 1000 > nscored)
		fail_msg("%zu of %zu scores differ: more than 0.1%%",
			 nmismatch, nscored);

	/* The warning appears iff there were mismatches, with their count,
	 * the number compared and the largest difference. */
	if (nmismatch) {
		if (!warned)
			fail_msg("%zu scores differ but stderr says nothing:\n%s",
				 nmismatch, r.err);
		assert_int_equal(d.differ, nmismatch);
		assert_int_equal(d.compared, nscored);
		assert_int_equal(d.max, maxdiff);
	} else if (warned) {
		fail_msg("no score differs, yet stderr warns:\n%s", r.err);
	}

	/* Our children are still and ours: exact. SCORE is the test's own
	 * formula on their status, OOM_SCORE what the test reads. */
	for (i = 0; i < N_EXTRA; i++) {
		int64_t b = own_badness(kids[i], tp);
		long adj = read_proc_long(kids[i], "oom_score_adj");
		long kern = read_proc_long(kids[i], "oom_score");

		k = row_of(&t, kids[i]);
		assert_int_equal(cell_num(&t, k, "OOM_SCORE"), kern);
		if (adj == -1000) {
			assert_int_equal(cell_num(&t, k, "SCORE"), 0);
			assert_string_equal(tsv_cell(&t, k, "REASON"),
					    "adj-min");
		} else {
			assert_int_equal(cell_num(&t, k, "SCORE"),
					 kernel_scale(b, tp));
			assert_string_equal(tsv_cell(&t, k, "REASON"), "");
		}
	}
}

/* ------------------------------------------------------------------ */
/* 2. oom_score_adj moves the rank as the kernel says. */

/*
 * Without CAP_SYS_RESOURCE no child of ours can have adj -1000; the
 * processes of the machine that have it (from /proc, read by the test)
 * must still be in T as never picked, for that reason.
 */
static void check_foreign_adj_min(const struct tsv *t)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		pid_t pid = (pid_t)cell_num(t, i, "PID");
		char path[64], buf[32];

		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj",
			 (int)pid);
		if (read_small(path, buf, sizeof(buf)) <= 0 ||
		    strtol(buf, NULL, 10) != -1000)
			continue;
		n++;
		assert_int_equal(cell_num(t, i, "OOM_SCORE_ADJ"), -1000);
		assert_string_equal(tsv_cell(t, i, "RANK"), "");
		assert_string_equal(tsv_cell(t, i, "ELIGIBLE"), "0");
		/* pid 1 and kernel threads have reasons of their own */
		if (pid != 1 && strcmp(tsv_cell(t, i, "REASON"), "kthread"))
			assert_string_equal(tsv_cell(t, i, "REASON"),
					    "adj-min");
	}
	if (n)
		print_message("no CAP_SYS_RESOURCE: -1000 checked on %u "
			      "processes of the machine instead\n", n);
	else
		print_message("NOT CHECKED: no CAP_SYS_RESOURCE, so no "
			      "oom_score_adj of -1000 can be set here, and "
			      "no process has it\n");
}

static void test_adj_moves_the_rank_as_the_kernel_says(void **state)
{
	struct fixture *fx = *state;
	struct child_spec s = { .anon = 48 * MIB, .adj = 0 };
	uint64_t tp = machine_totalpages();
	pid_t plus, plain;
	size_t rp, rq;
	struct tsv t;
	struct run r;
	char path[64];

	SKIP_UNLESS_ROOT();
	s.adj = 500;
	plus = spawn_child(fx, &s);
	s.adj = 0;
	plain = spawn_child(fx, &s);

	run_oomrank(fx, &r, "-a", "-r", "-o",
		    "RANK,PID,BADNESS,SCORE,OOM_SCORE,OOM_SCORE_ADJ,ELIGIBLE,"
		    "REASON");
	assert_exited_0(&r);
	tsv_parse(fx, &r, &t);
	rp = row_of(&t, plus);
	rq = row_of(&t, plain);
	/* Exact: the children are still. */
	assert_int_equal(cell_num(&t, rp, "OOM_SCORE_ADJ"), 500);
	assert_int_equal(cell_num(&t, rp, "BADNESS"), own_badness(plus, tp));
	assert_int_equal(cell_num(&t, rq, "BADNESS"), own_badness(plain, tp));
	assert_int_equal(cell_num(&t, rp, "SCORE"),
			 read_proc_long(plus, "oom_score"));
	assert_int_equal(cell_num(&t, rp, "OOM_SCORE"),
			 read_proc_long(plus, "oom_score"));
	assert_int_equal(cell_num(&t, rq, "SCORE"),
			 read_proc_long(plain, "oom_score"));
	assert_true(read_proc_long(plus, "oom_score") >
		    read_proc_long(plain, "oom_score"));
	/* Same memory, +500: picked first. */
	print_message("adj +500: rank %s; adj 0: rank %s\n",
		      tsv_cell(&t, rp, "RANK"), tsv_cell(&t, rq, "RANK"));
	assert_true(cell_num(&t, rp, "RANK") >= 1);
	assert_true(cell_num(&t, rp, "RANK") < cell_num(&t, rq, "RANK"));

	/* -1000: never chosen, and said why. */
	if (!can_lower_adj()) {
		check_foreign_adj_min(&t);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)plus);
	assert_true(write_str(path, "-1000"));
	assert_int_equal(read_proc_long(plus, "oom_score"), 0);
	run_oomrank(fx, &r, "-a", "-r", "-o",
		    "RANK,PID,BADNESS,SCORE,OOM_SCORE,OOM_SCORE_ADJ,ELIGIBLE,"
		    "REASON");
	assert_exited_0(&r);
	tsv_parse(fx, &r, &t);
	rp = row_of(&t, plus);
	rq = row_of(&t, plain);
	assert_string_equal(tsv_cell(&t, rp, "RANK"), "");
	assert_string_equal(tsv_cell(&t, rp, "BADNESS"), "");
	assert_string_equal(tsv_cell(&t, rp, "ELIGIBLE"), "0");
	assert_string_equal(tsv_cell(&t, rp, "REASON"), "adj-min");
	assert_int_equal(cell_num(&t, rp, "OOM_SCORE_ADJ"), -1000);
	assert_int_equal(cell_num(&t, rp, "SCORE"), 0);
	assert_int_equal(cell_num(&t, rp, "OOM_SCORE"), 0);
	assert_true(cell_num(&t, rq, "RANK") >= 1);
	assert_string_equal(tsv_cell(&t, rq, "ELIGIBLE"), "1");
}

/* ------------------------------------------------------------------ */
/* 3. A real memory cgroup OOM kills the victim oomrank predicted. */

#define CG_LIMIT (200 * MIB)
#define ALLOC_STEP MIB
/* The allocator's own bound: with the 120 MiB the others hold, 150 MiB
 * overshoots the 200 MiB limit; alone it stays below it, whatever
 * happens, so it never makes an OOM the test did not plan. */
#define ALLOC_CAP (150 * MIB)

struct memcg {
	int version;		/* 1 or 2 */
	const char *path;	/* as /proc/PID/cgroup shows it */
	const char *procs;	/* its cgroup.procs */
	const char *events;	/* v1 memory.oom_control, v2 memory.events */
};

/* The cgroup path of the first line of /proc/self/cgroup for which
 * MATCH(controllers) holds; "" when none. */
static void self_cgroup(bool v2, char *buf, size_t size)
{
	char data[4096], *line, *save = NULL;

	buf[0] = '\0';
	if (read_small("/proc/self/cgroup", data, sizeof(data)) <= 0)
		return;
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2, *ctl;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		ctl = c1 + 1;
		if (v2 ? !strcmp(line, "0") && !*ctl :
			 (!strcmp(ctl, "memory") ||
			  !strncmp(ctl, "memory,", 7) ||
			  strstr(ctl, ",memory,") ||
			  (strlen(ctl) > 7 &&
			   !strcmp(ctl + strlen(ctl) - 7, ",memory")))) {
			snprintf(buf, size, "%s", c2 + 1);
			return;
		}
	}
}

static bool has_word(const char *buf, const char *word)
{
	size_t wl = strlen(word);
	const char *p = buf;

	while ((p = strstr(p, word))) {
		if ((p == buf || isspace((unsigned char)p[-1])) &&
		    (!p[wl] || isspace((unsigned char)p[wl])))
			return true;
		p += wl;
	}
	return false;
}

/*
 * Make a memory cgroup with a CG_LIMIT limit and no swap: v2 when
 * /sys/fs/cgroup is cgroup2 with the memory controller (made under its
 * root, the one cgroup that may hold processes and delegate controllers),
 * else in the v1 memory hierarchy, under our own memory cgroup. Skips when
 * there is no memory controller at all. On v1 the memory+swap limit is
 * set too when MEMSW; without it the cgroup may swap what the machine
 * has, which its OOM report does not say.
 */
static void make_memcg_memsw(struct fixture *fx, struct memcg *cg, bool memsw)
{
	char buf[4096], own_cg[PATH_MAX], limit[32];
	const char *base, *dir;
	char name[64];

	memset(cg, 0, sizeof(*cg));
	snprintf(limit, sizeof(limit), "%zu", CG_LIMIT);
	snprintf(name, sizeof(name), "pd-oomrank.%d", (int)getpid());
	if (read_small("/sys/fs/cgroup/cgroup.controllers", buf,
		       sizeof(buf)) >= 0 && has_word(buf, "memory")) {
		cg->version = 2;
		base = "/sys/fs/cgroup";
		if (read_small("/sys/fs/cgroup/cgroup.subtree_control", buf,
			       sizeof(buf)) < 0)
			fail_msg("cannot read cgroup.subtree_control");
		if (!has_word(buf, "memory") &&
		    !write_str("/sys/fs/cgroup/cgroup.subtree_control",
			       "+memory"))
			fail_msg("cannot enable the memory controller for "
				 "children of /sys/fs/cgroup: %s",
				 strerror(errno));
		cg->path = fx_printf(fx, "/%s", name);
	} else if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes",
			  F_OK) == 0) {
		cg->version = 1;
		base = "/sys/fs/cgroup/memory";
		self_cgroup(false, own_cg, sizeof(own_cg));
		if (!strcmp(own_cg, "/"))
			own_cg[0] = '\0';
		cg->path = fx_printf(fx, "%s/%s", own_cg, name);
	} else {
		print_message("no memory cgroup controller: skipped\n");
		skip();
		return;
	}
	dir = fx_printf(fx, "%s%s", base, cg->path);
	assert_in_range(strlen(dir), 1, sizeof(fx->cgroup) - 1);
	if (mkdir(dir, 0755) < 0)
		fail_msg("mkdir %s: %s", dir, strerror(errno));
	strcpy(fx->cgroup, dir);	/* teardown removes it */
	cg->procs = fx_printf(fx, "%s/cgroup.procs", dir);
	if (cg->version == 2) {
		assert_true(write_str(fx_printf(fx, "%s/memory.max", dir),
				      limit));
		if (access(fx_printf(fx, "%s/memory.swap.max", dir), F_OK) == 0)
			assert_true(write_str(fx_printf(fx,
					"%s/memory.swap.max", dir), "0"));
		if (access(fx_printf(fx, "%s/memory.oom.group", dir), F_OK) == 0)
			assert_true(write_str(fx_printf(fx,
					"%s/memory.oom.group", dir), "0"));
		cg->events = fx_printf(fx, "%s/memory.events", dir);
	} else {
		/* memory first: memsw may never be below it */
		assert_true(write_str(fx_printf(fx,
				"%s/memory.limit_in_bytes", dir), limit));
		if (memsw && access(fx_printf(fx,
					      "%s/memory.memsw.limit_in_bytes",
					      dir), F_OK) == 0)
			assert_true(write_str(fx_printf(fx,
				"%s/memory.memsw.limit_in_bytes", dir), limit));
		cg->events = fx_printf(fx, "%s/memory.oom_control", dir);
	}
	print_message("memory cgroup v%d %s, limit %zu MiB\n", cg->version,
		      cg->path, CG_LIMIT / MIB);
}

static void make_memcg(struct fixture *fx, struct memcg *cg)
{
	make_memcg_memsw(fx, cg, true);
}

/* "oom_kill N" of memory.events (v2) or memory.oom_control (v1). */
static long oom_kills(const char *events)
{
	char buf[1024];
	uint64_t v;

	if (read_small(events, buf, sizeof(buf)) <= 0 ||
	    !keyed(buf, "oom_kill", &v))
		return -1;
	return (long)v;
}

struct alloc_report {
	int err;
	bool done;		/* false: parked, waiting for GO */
	size_t allocated;	/* bytes touched when it stopped */
	long kills_before, kills_after;
};

/*
 * The allocator: joins the cgroup, says so, parks until GO; then touches
 * ALLOC_STEP at a time until the cgroup's oom_kill count moves (one kill,
 * and it stops) or ALLOC_CAP. Its oom_score_adj stays 0: it is a candidate
 * like the others, in the prediction too.
 */
static noreturn void allocator_main(const struct memcg *cg, int gofd, int wfd)
{
	struct alloc_report rep = { 0, false, 0, -1, -1 };
	char go;

	if (!write_str(cg->procs, "0")) {
		rep.err = errno ? errno : EIO;
		goto report;
	}
	if (write(wfd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(1);
	if (read(gofd, &go, 1) != 1)
		_exit(1);
	rep.done = true;
	rep.kills_before = oom_kills(cg->events);
	while (rep.allocated < ALLOC_CAP) {
		char *m = mmap(NULL, ALLOC_STEP, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED) {
			rep.err = errno;
			break;
		}
		touch(m, ALLOC_STEP, 3);
		rep.allocated += ALLOC_STEP;
		rep.kills_after = oom_kills(cg->events);
		if (rep.kills_after != rep.kills_before)
			break;
	}
report:
	if (write(wfd, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
		_exit(1);
	park_forever();
}

/* The dmesg text, written to a file for oomrank's stdin; NULL when dmesg
 * cannot be read. */
static char *dmesg_to_file(struct fixture *fx)
{
	char *path = fx_printf(fx, "%s/dmesg.txt", fx->dir);
	char *cmd = fx_printf(fx, "dmesg > '%s' 2>/dev/null", path);

	fflush(NULL);
	if (system(cmd) != 0)
		return NULL;
	return path;
}

static bool file_has(const char *path, const char *needle)
{
	char line[4096];
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static void test_cgroup_victim_is_the_one_the_kernel_kills(void **state)
{
	/*
	 * Sizes and adjs chosen so that the cgroup's ranking (totalpages =
	 * 200 MiB = 51200 pages, 51 pages a point of adj) differs from the
	 * machine-wide one (millions of pages, where adj dominates):
	 *   A  20 MiB  adj 400:  5120 + 20400 = 25520 pages in the cgroup
	 *   B  60 MiB  adj 300: 15360 + 15300 = 30660  <- the cgroup's victim
	 *   C  40 MiB  adj 200: 10240 + 10200 = 20440
	 * while oom_score (the machine) puts A first. The allocator (adj 0)
	 * that brings the OOM about is a candidate too; it can never hold
	 * more than the limit less the 120 MiB above, ~80 MiB = ~20500
	 * pages: it stays last, in the prediction and at the OOM.
	 */
	static const struct { size_t mib; int adj; } sizes[] = {
		{ 20, 400 }, { 60, 300 }, { 40, 200 },
	};
	enum { NK = sizeof(sizes) / sizeof(sizes[0]) };
	struct fixture *fx = *state;
	pid_t kids[NK], alloc, parent = getpid(), victim = 0, predicted = 0;
	int go[2], rp[2], status = 0, died = -1;
	struct alloc_report rep;
	uint64_t cg_pages = CG_LIMIT / page_size();
	char *pid_s, *dm;
	struct memcg cg;
	struct tsv t;
	struct run r;
	double end;
	size_t i, k;

	SKIP_UNLESS_ROOT();
	make_memcg(fx, &cg);
	assert_int_equal(oom_kills(cg.events), 0);

	for (i = 0; i < NK; i++) {
		struct child_spec s = {
			.anon = sizes[i].mib * MIB,
			.adj = sizes[i].adj,
			.join = cg.procs,
		};

		kids[i] = spawn_child(fx, &s);
	}

	/* The allocator joins now, parked, so the prediction sees it. */
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(rp, O_CLOEXEC), 0);
	fflush(NULL);
	alloc = fork();
	assert_true(alloc >= 0);
	if (alloc == 0) {
		close(go[1]);
		close(rp[0]);
		die_with_parent(parent);
		allocator_main(&cg, go[0], rp[1]);
	}
	close(go[0]);
	close(rp[1]);
	track_child(fx, alloc);
	if (read_full(rp[0], &rep, sizeof(rep), READY_TIMEOUT_MS) !=
	    sizeof(rep))
		fail_msg("the allocator never said it was ready");
	if (rep.err)
		fail_msg("the allocator could not join %s: %s", cg.procs,
			 strerror(rep.err));

	/* The prediction. */
	run_oomrank(fx, &r, "--cgroup", cg.path, "-r", "-o",
		    "RANK,PID,BADNESS,OOM_SCORE_ADJ,REASON,LIMIT,SWAP_LIMIT,"
		    "TOTALPAGES,OOM_MEMCG,LIMIT_MEMCG,TASK_MEMCG,OOM_KILLS");
	assert_exited_0(&r);
	print_message("oomrank --cgroup %s -r:\n%s", cg.path, r.out);
	tsv_parse(fx, &r, &t);
	/* Its subtree holds our four processes and nothing else. */
	assert_int_equal(t.nrows, NK + 1);
	for (i = 0; i < t.nrows; i++) {
		assert_string_equal(tsv_cell(&t, i, "OOM_MEMCG"), cg.path);
		assert_string_equal(tsv_cell(&t, i, "LIMIT_MEMCG"), cg.path);
		assert_string_equal(tsv_cell(&t, i, "TASK_MEMCG"), cg.path);
		assert_int_equal(cell_num(&t, i, "LIMIT"), CG_LIMIT);
		/* mem_cgroup_get_max(): no swap here, or a zero swap limit */
		assert_int_equal(cell_num(&t, i, "TOTALPAGES"), cg_pages);
		assert_int_equal(cell_num(&t, i, "OOM_KILLS"), 0);
		if (!strcmp(tsv_cell(&t, i, "RANK"), "1"))
			predicted = (pid_t)cell_num(&t, i, "PID");
	}
	for (i = 0; i < NK; i++) {
		k = row_of(&t, kids[i]);
		assert_int_equal(cell_num(&t, k, "BADNESS"),
				 own_badness(kids[i], cg_pages));
	}
	k = row_of(&t, alloc);
	assert_string_equal(tsv_cell(&t, k, "RANK"), "4");
	assert_string_equal(tsv_cell(&t, k, "REASON"), "");
	assert_int_equal(cell_num(&t, k, "BADNESS"),
			 own_badness(alloc, cg_pages));
	if (!predicted)
		fail_msg("no RANK 1 in the cgroup's ranking");
	print_message("predicted victim: pid %d\n", (int)predicted);
	/* The machine-wide ranking says otherwise: oom_score puts A (adj
	 * 300) before B, the cgroup's B. */
	assert_true(read_proc_long(kids[0], "oom_score") >
		    read_proc_long(kids[1], "oom_score"));

	/* The OOM: the allocator grows until the kernel kills one task. */
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	if (read_full(rp[0], &rep, sizeof(rep), 60000) != sizeof(rep)) {
		if (waitpid(alloc, &status, WNOHANG) == alloc &&
		    WIFSIGNALED(status))
			fail_msg("the allocator (pid %d) died of signal %d; "
				 "oomrank predicted pid %d", (int)alloc,
				 WTERMSIG(status), (int)predicted);
		fail_msg("the allocator did not finish within 60 s");
	}
	close(rp[0]);
	print_message("allocator touched %zu MiB; cgroup oom_kill %ld -> "
		      "%ld\n", rep.allocated / MIB, rep.kills_before,
		      rep.kills_after);
	if (rep.err)
		fail_msg("allocator: %s", strerror(rep.err));
	assert_int_equal(rep.kills_before, 0);
	if (rep.kills_after != 1)
		fail_msg("%ld OOM kills in the cgroup after touching %zu MiB, "
			 "expected 1", rep.kills_after, rep.allocated / MIB);

	/* Which child died, and how. */
	end = now_s() + 10.0;
	while (died < 0 && now_s() < end) {
		for (i = 0; i < NK && died < 0; i++)
			if (waitpid(kids[i], &status, WNOHANG) == kids[i])
				died = (int)i;
		if (died < 0)
			sleep_ms(10);
	}
	if (died < 0)
		fail_msg("the cgroup counts a kill, but no child of ours died");
	victim = kids[died];
	kids[died] = 0;
	print_message("the kernel killed pid %d (%zu MiB, adj %d)\n",
		      (int)victim, sizes[died].mib, sizes[died].adj);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	sleep_ms(300);
	for (i = 0; i < NK; i++)
		if (kids[i] && waitpid(kids[i], &status, WNOHANG) != 0)
			fail_msg("pid %d died too", (int)kids[i]);
	assert_int_equal(kill(alloc, 0), 0);
	assert_int_equal(oom_kills(cg.events), 1);

	/* THE check: oomrank's RANK 1 is the one the kernel killed. */
	if (predicted != victim)
		fail_msg("oomrank predicted pid %d, the kernel killed pid %d",
			 (int)predicted, (int)victim);

	/* The kernel's report, read back: --log - on dmesg's text. */
	pid_s = fx_printf(fx, "%d", (int)victim);
	dm = NULL;
	end = now_s() + 5.0;
	for (;;) {
		char needle[64];

		dm = dmesg_to_file(fx);
		if (!dm)
			break;
		snprintf(needle, sizeof(needle), "Killed process %d ",
			 (int)victim);
		if (file_has(dm, needle) || now_s() > end)
			break;
		sleep_ms(100);
	}
	if (!dm) {
		print_message("dmesg cannot be read: --log not checked\n");
		return;
	}
	run_oomrank_stdin(fx, dm, &r, "--log", "-", "-r", "-p", pid_s, "-o",
			  "CONSTRAINT,VICTIM_PID,OOM_SCORE_ADJ,KILLS,LIMIT,"
			  "TOP_PID,WAS_TOP,OOM_MEMCG,TASK_MEMCG");
	assert_exited_0(&r);
	print_message("oomrank --log - -p %s:\n%s", pid_s, r.out);
	tsv_parse(fx, &r, &t);
	k = (size_t)-1;
	for (i = 0; i < t.nrows; i++)
		if (!strcmp(tsv_cell(&t, i, "OOM_MEMCG"), cg.path))
			k = i;
	if (k == (size_t)-1)
		fail_msg("no incident of %s killing pid %d in dmesg's text",
			 cg.path, (int)victim);
	assert_string_equal(tsv_cell(&t, k, "CONSTRAINT"), "memcg");
	assert_string_equal(tsv_cell(&t, k, "VICTIM_PID"), pid_s);
	assert_int_equal(cell_num(&t, k, "OOM_SCORE_ADJ"), sizes[died].adj);
	assert_string_equal(tsv_cell(&t, k, "KILLS"), "1");
	assert_int_equal(cell_num(&t, k, "LIMIT"), CG_LIMIT);
	assert_string_equal(tsv_cell(&t, k, "TASK_MEMCG"), cg.path);
	assert_string_equal(tsv_cell(&t, k, "TOP_PID"), pid_s);
	assert_string_equal(tsv_cell(&t, k, "WAS_TOP"), "1");
}

/* ------------------------------------------------------------------ */
/* 4. --explain: the parts, and who dies first. */

/* Does TEXT hold NUM as a number of its own (not inside a longer one)? */
static bool has_number(const char *text, const char *num)
{
	size_t nl = strlen(num);
	const char *p = text;

	while ((p = strstr(p, num))) {
		if ((p == text || !isdigit((unsigned char)p[-1])) &&
		    !isdigit((unsigned char)p[nl]))
			return true;
		p += nl;
	}
	return false;
}

/* The line of TEXT that starts (after blanks) with WORD, or NULL. */
static const char *line_starting(struct fixture *fx, const char *text,
				 const char *word)
{
	const char *p = text;

	while (p && *p) {
		const char *s = p, *nl = strchr(p, '\n');

		while (*s == ' ')
			s++;
		if (!strncmp(s, word, strlen(word)))
			return fx_printf(fx, "%.*s",
					 (int)(nl ? nl - p : (long)strlen(p)),
					 p);
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* Check what --explain PID says about PID and its predecessor ABOVE;
 * returns the number of problems, each printed. */

/*
 * Warnings that say something true about the machine, not about the
 * process explained: no cgroup hierarchy to read (a chroot with /sys but
 * not /sys/fs/cgroup), a pid 1 that refuses even root (this sandbox), and
 * a one-point drift of some other process's oom_score (per-CPU RSS
 * counters: the test's own checks are exact).
 */
static bool stderr_is_benign(const char *err)
{
	const char *p = err;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (!strstr(line, "no memory cgroup hierarchy") &&
		    !strstr(line, "permission denied even to root") &&
		    !strstr(line, "oom_score by up to 1 point"))
			return false;
		p += n + (nl ? 1 : 0);
	}
	return true;
}

static unsigned check_explain(struct fixture *fx, pid_t pid, pid_t above,
			      unsigned rank)
{
	char *pid_s = fx_printf(fx, "%d", (int)pid);
	char *above_s = fx_printf(fx, "pid %d ", (int)above);
	unsigned bad = 0;
	struct statmem m;
	const char *anon;
	char *bytes, *pages;
	struct run r;

	run_oomrank(fx, &r, "--explain", pid_s);
	read_statmem(pid, &m);
	print_message("--explain %d (rank %u):\n%s", (int)pid, rank, r.out);
	assert_exited_0(&r);
	if (!stderr_is_benign(r.err)) {
		print_error("stderr: %s", r.err);
		bad++;
	}
	/* RssAnon as status shows it: kB, exact in bytes and pages. */
	bytes = fx_printf(fx, "%" PRIu64, m.anon * 1024);
	pages = fx_printf(fx, "%" PRIu64, m.anon * 1024 / page_size());
	anon = line_starting(fx, r.out, "anon ");
	if (!anon) {
		print_error("pid %d: no 'anon' line\n", (int)pid);
		bad++;
	} else if (!has_number(anon, pages)) {
		print_error("pid %d: the anon line does not give RssAnon's %s "
			    "pages: %s\n", (int)pid, pages, anon);
		bad++;
	}
	if (!has_number(r.out, bytes)) {
		print_error("pid %d: RssAnon is %" PRIu64 " kB = %s bytes, "
			    "which the text does not give\n", (int)pid,
			    m.anon, bytes);
		bad++;
	}
	if (!strstr(r.out, fx_printf(fx, "rank %u of ", rank))) {
		print_error("pid %d: the text does not give its rank %u\n",
			    (int)pid, rank);
		bad++;
	}
	if (!strstr(r.out, above_s)) {
		print_error("pid %d: the text does not name pid %d, ranked "
			    "just above it (%u)\n", (int)pid, (int)above,
			    rank - 1);
		bad++;
	}
	return bad;
}

#define N_FILLERS 12

static void test_explain_names_the_parts_and_who_dies_first(void **state)
{
	struct fixture *fx = *state;
	struct child_spec s = { 0 };
	pid_t top, second, fillers[N_FILLERS], upper, lower;
	size_t rt, r2, ru, rl, i;
	unsigned bad = 0;
	struct tsv t;
	struct run r;

	SKIP_UNLESS_ROOT();
	/* adj 1000 and 999, the top two unless something else on the
	 * machine sits at 999 or more: the second's predecessor is known
	 * by construction. */
	s.anon = 16 * MIB;
	s.adj = 1000;
	top = spawn_child(fx, &s);
	s.anon = 24 * MIB;
	s.adj = 999;
	second = spawn_child(fx, &s);
	/* Twelve at adj 300, then two at 101 and 100 with the same memory:
	 * "lower" ranks 15th or below, right after "upper" (a point of adj
	 * is thousands of pages; nothing's memory fits between them). Who
	 * dies before a process must name the one right before it, however
	 * deep it ranks: that is the rival it has to outgrow. */
	s.anon = 4 * MIB;
	s.adj = 300;
	for (i = 0; i < N_FILLERS; i++)
		fillers[i] = spawn_child(fx, &s);
	(void)fillers;
	s.anon = 8 * MIB;
	s.adj = 101;
	upper = spawn_child(fx, &s);
	s.adj = 100;
	lower = spawn_child(fx, &s);

	run_oomrank(fx, &r, "-r", "-o", "RANK,PID,BADNESS");
	assert_exited_0(&r);
	tsv_parse(fx, &r, &t);
	rt = row_of(&t, top);
	r2 = row_of(&t, second);
	ru = row_of(&t, upper);
	rl = row_of(&t, lower);
	/* The ranks the construction gives, from the table. */
	assert_int_equal(cell_num(&t, r2, "RANK"),
			 cell_num(&t, rt, "RANK") + 1);
	assert_int_equal(cell_num(&t, rl, "RANK"),
			 cell_num(&t, ru, "RANK") + 1);
	assert_true(cell_num(&t, rl, "RANK") >= N_FILLERS + 3);
	print_message("ranks: adj 1000 %s, 999 %s, 101 %s, 100 %s\n",
		      tsv_cell(&t, rt, "RANK"), tsv_cell(&t, r2, "RANK"),
		      tsv_cell(&t, ru, "RANK"), tsv_cell(&t, rl, "RANK"));

	bad += check_explain(fx, second, top,
			     (unsigned)cell_num(&t, r2, "RANK"));
	bad += check_explain(fx, lower, upper,
			     (unsigned)cell_num(&t, rl, "RANK"));
	if (bad)
		fail_msg("%u problems with --explain (printed above)", bad);
}

/* ------------------------------------------------------------------ */
/* --log on what is not a plain log file: /dev/kmsg by other names, an
 * endless stream, a hole of NUL bytes, a line without an end. */

/* oomrank's peak RSS on any of them: its own few MiB (tens under ASan),
 * never the size of its input. */
#define LOG_RSS_MAX_KB (32L * 1024)
#define FIXTURE_LOG PD_FIXTURES_DIR "/oomlog/v6.1-memcg-kmsg.log"
/* An endless reader eats hundreds of MiB a second: stop it early. */
#define LOG_LIMIT_S 10.0

static void assert_ended_in_bounded_memory(const struct run *r,
					   const char *what)
{
	if (r->overran)
		fail_msg("%s: oomrank was killed after %.1f s (peak RSS %ld "
			 "KiB); stderr:\n%s", what, r->secs, r->maxrss_kb,
			 r->err);
	print_message("%s: %.2f s, peak RSS %ld KiB\n", what, r->secs,
		      r->maxrss_kb);
	if (r->maxrss_kb > LOG_RSS_MAX_KB)
		fail_msg("%s: peak RSS %ld KiB, over %ld KiB", what,
			 r->maxrss_kb, LOG_RSS_MAX_KB);
}

static void assert_exit_2_with(const struct run *r, const char *what,
			       const char *err)
{
	assert_ended_in_bounded_memory(r, what);
	assert_true(WIFEXITED(r->status));
	assert_int_equal(WEXITSTATUS(r->status), 2);
	assert_string_equal(r->out, "");
	assert_string_equal(r->err, err);
}

/* Write N bytes of C to FD. */
static void write_fill(int fd, char c, size_t n)
{
	static char block[1 << 16];
	size_t k;

	memset(block, c, sizeof(block));
	while (n) {
		k = n < sizeof(block) ? n : sizeof(block);
		assert_int_equal(write(fd, block, k), (ssize_t)k);
		n -= k;
	}
}

/* Append the fixture log to FD. */
static void write_fixture_log(int fd)
{
	char buf[1 << 16];
	int in = open(FIXTURE_LOG, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(in >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(fd, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
}

static void test_log_reads_kmsg_to_its_end_by_any_name(void **state)
{
	struct fixture *fx = *state;
	char *node = fx_printf(fx, "%s/kmsg", fx->dir);
	char *link = fx_printf(fx, "%s/link", fx->dir);
	struct run before, r, after;
	const char *names[4];
	size_t n = 0, i;
	int fd = -1;

	SKIP_UNLESS_ROOT();
	assert_int_equal(symlink("/dev/kmsg", link), 0);
	names[n++] = "/dev/kmsg";
	names[n++] = link;
	/* the device by a name of its own (fails in a container without
	 * CAP_MKNOD, or on a nodev file system) */
	if (mknod(node, S_IFCHR | 0400, makedev(1, 11)) == 0)
		fd = open(node, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		names[n++] = node;
	else
		print_message("no device node of our own: %s\n",
			      strerror(errno));
	if (fd >= 0)
		close(fd);
	names[n++] = "-";
	for (i = 0; i < n; i++) {
		const char *opt = fx_printf(fx, "--log=%s", names[i]);

		/* the ring may get an OOM report of another test between
		 * two runs: the run must match the default before or
		 * after it */
		run_oomrank(fx, &before, "--log", "-r");
		assert_exited_0(&before);
		if (!strcmp(names[i], "-"))
			run_oomrank_stdin(fx, "/dev/kmsg", &r, opt, "-r");
		else
			run_oomrank(fx, &r, opt, "-r");
		assert_ended_in_bounded_memory(&r, opt);
		assert_exited_0(&r);
		run_oomrank(fx, &after, "--log", "-r");
		assert_exited_0(&after);
		if (strcmp(r.out, before.out) && strcmp(r.out, after.out))
			fail_msg("%s read other incidents than --log:\n%s\n"
				 "--log:\n%s", opt, r.out, after.out);
		assert_string_equal(r.err, before.err);
	}
}

static void test_log_dev_zero_ends_with_an_error_in_bounded_memory(
	void **state)
{
	struct fixture *fx = *state;
	struct run r;

	const char *const zero[] = { "--log=/dev/zero", NULL };
	const char *const in[] = { "--log=-", NULL };

	run_argv(fx, NULL, LOG_LIMIT_S, &r, zero);
	assert_exit_2_with(&r, "--log=/dev/zero", "oomrank: /dev/zero: 1 GiB "
			   "of NUL bytes and no text: not a log\n");
	run_argv(fx, "/dev/zero", LOG_LIMIT_S, &r, in);
	assert_exit_2_with(&r, "--log=- </dev/zero", "oomrank: stdin: 1 GiB "
			   "of NUL bytes and no text: not a log\n");
}

/* A log rotated by copytruncate while its writer went on: a 2 GiB hole of
 * NUL bytes before the text. */
static void test_log_after_a_2gib_nul_hole_reads_in_bounded_memory(
	void **state)
{
	struct fixture *fx = *state;
	char *path = fx_printf(fx, "%s/holed.log", fx->dir);
	char *opt = fx_printf(fx, "--log=%s", path);
	struct run want, r;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(lseek(fd, (off_t)2 << 30, SEEK_SET), (off_t)2 << 30);
	write_fixture_log(fd);
	assert_int_equal(close(fd), 0);

	run_oomrank(fx, &want, "--log=" FIXTURE_LOG, "-r");
	assert_exited_0(&want);
	assert_int_not_equal(want.outlen, 0);
	run_oomrank(fx, &r, opt, "-r");
	assert_ended_in_bounded_memory(&r, opt);
	assert_exited_0(&r);
	assert_string_equal(r.out, want.out);
	assert_string_equal(r.err, "");
	run_oomrank_stdin(fx, path, &r, "--log=-", "-r");
	assert_ended_in_bounded_memory(&r, "--log=- <holed.log");
	assert_exited_0(&r);
	assert_string_equal(r.out, want.out);
	assert_string_equal(r.err, "");
}

/* 100 MiB without a newline before the report, 100 MiB more after it
 * with no end: both cut at 64 KiB, the report read whole. */
static void test_log_lines_without_end_are_cut_in_bounded_memory(
	void **state)
{
	struct fixture *fx = *state;
	char *path = fx_printf(fx, "%s/long.log", fx->dir);
	char *opt = fx_printf(fx, "--log=%s", path);
	struct run want, r;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	write_fill(fd, 'x', 100 * MIB);
	write_fill(fd, '\n', 1);
	write_fixture_log(fd);
	write_fill(fd, 'y', 100 * MIB);
	assert_int_equal(close(fd), 0);

	run_oomrank(fx, &want, "--log=" FIXTURE_LOG, "-r");
	assert_exited_0(&want);
	run_oomrank(fx, &r, opt, "-r");
	assert_ended_in_bounded_memory(&r, opt);
	assert_exited_0(&r);
	assert_string_equal(r.out, want.out);
	assert_string_equal(r.err,
			    fx_printf(fx, "oomrank: warning: %s: 2 lines "
				      "longer than 64 KiB, cut there\n", path));
}

/* ------------------------------------------------------------------ */
/* 5. The default lists the killer's candidates only; -a all of them. */

static void test_default_lists_only_what_the_killer_can_pick(void **state)
{
	struct fixture *fx = *state;
	size_t i, kthreads = 0;
	struct tsv t;
	struct run r;

	SKIP_UNLESS_ROOT();
	run_oomrank(fx, &r, "-r", "-o", "PID,RANK,REASON");
	assert_exited_0(&r);
	tsv_parse(fx, &r, &t);
	for (i = 0; i < t.nrows; i++) {
		/* a process that exited between the two reads is no row */
		assert_string_equal(tsv_cell(&t, i, "REASON"), "");
		if (!strcmp(tsv_cell(&t, i, "PID"), "2"))
			fail_msg("kthreadd (pid 2) is listed by default");
	}
	run_oomrank(fx, &r, "-a", "-r", "-o", "PID,RANK,REASON");
	assert_exited_0(&r);
	tsv_parse(fx, &r, &t);
	for (i = 0; i < t.nrows; i++)
		kthreads += !strcmp(tsv_cell(&t, i, "REASON"), "kthread");
	assert_string_equal(tsv_cell(&t, row_of(&t, 2), "REASON"), "kthread");
	print_message("-a lists %zu kernel threads the default leaves out\n",
		      kthreads);
}

/* ------------------------------------------------------------------ */
/* 6. A cgroup one allocation from its OOM is judged by its use. */

#define WORKERS 5
#define WORKER_SIZE (36 * MIB)

/* The working set oomrank must find: usage less the inactive file pages,
 * and the swap the cgroup uses (none here: no swap, or memsw). */
static uint64_t cg_in_use(const struct memcg *cg, const char *dir)
{
	char path[PATH_MAX], buf[8192];
	uint64_t usage, inactive;

	snprintf(path, sizeof(path), "%s/%s", dir, cg->version == 2 ?
		 "memory.current" : "memory.usage_in_bytes");
	if (read_small(path, buf, sizeof(buf)) <= 0)
		fail_msg("cannot read %s", path);
	usage = strtoull(buf, NULL, 10);
	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	if (read_small(path, buf, sizeof(buf)) <= 0 ||
	    !keyed(buf, cg->version == 2 ? "inactive_file" :
		   "total_inactive_file", &inactive))
		fail_msg("no inactive file pages in %s", path);
	return usage > inactive ? usage - inactive : 0;
}

/* V (a percent times 10000) as the --check line writes it: "90.5",
 * "90.6123", "91". */
static char *pct_text(struct fixture *fx, uint64_t v)
{
	uint64_t frac = v % 10000;
	int digits = 4;

	if (!frac)
		return fx_printf(fx, "%" PRIu64, v / 10000);
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	return fx_printf(fx, "%" PRIu64 ".%0*" PRIu64, v / 10000, digits,
			 frac);
}

static void test_cgroup_near_its_limit_is_judged_by_its_use(void **state)
{
	struct fixture *fx = *state;
	struct child_spec s = { .anon = WORKER_SIZE, .adj = 0 };
	uint64_t before, after, limit_pages = CG_LIMIT / page_size();
	char *want;
	struct memcg cg;
	struct tsv t;
	struct run r;
	size_t i;

	SKIP_UNLESS_ROOT();
	make_memcg(fx, &cg);
	s.join = cg.procs;
	for (i = 0; i < WORKERS; i++)
		spawn_child(fx, &s);

	before = cg_in_use(&cg, fx->cgroup);
	run_oomrank(fx, &r, "--cgroup", cg.path, "-r", "-o",
		    "RANK,PID,BADNESS,SHARE,IN_USE,USE,TOTALPAGES");
	after = cg_in_use(&cg, fx->cgroup);
	assert_exited_0(&r);
	print_message("%s: %" PRIu64 " bytes in use of %zu (read %" PRIu64
		      " after)\n%s", cg.path, before, CG_LIMIT, after, r.out);
	tsv_parse(fx, &r, &t);
	assert_int_equal(t.nrows, WORKERS);
	assert_int_equal(cell_num(&t, 0, "TOTALPAGES"), limit_pages);
	/* five workers of 36 MiB and what the kernel charges besides them:
	 * past 90% of 200 MiB, while each one's badness is under a fifth
	 * of it (a quarter under ASan, whose shadow memory they carry):
	 * never the 50% that -w 50% below would need */
	assert_true(cell_num(&t, 0, "USE") >= 900);
	assert_true(cell_num(&t, 0, "SHARE") < 250);
	/* the figure is the cgroup's own: exact when it held still */
	if (before == after) {
		assert_int_equal(cell_num(&t, 0, "IN_USE"), before);
		assert_int_equal(cell_num(&t, 0, "USE"),
				 before * 1000 / CG_LIMIT);
	}

	/* THE check of the issue: -w 50% -c 80% goes CRITICAL ... */
	before = cg_in_use(&cg, fx->cgroup);
	run_oomrank(fx, &r, "--cgroup", cg.path, "--check", "-w", "50%",
		    "-c", "80%");
	after = cg_in_use(&cg, fx->cgroup);
	print_message("%s", r.out);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 2);
	want = fx_printf(fx, "OOMRANK CRITICAL - 1 of 1 memory cgroups over "
			 "a threshold: %s ", cg.path);
	if (strncmp(r.out, want, strlen(want)))
		fail_msg("wanted '%s...', got: %s", want, r.out);
	if (before == after) {
		want = fx_printf(fx, "OOMRANK CRITICAL - 1 of 1 memory cgroups "
				 "over a threshold: %s %s%% of its limit | "
				 "'in_use'=%" PRIu64 "B;;;0; 'use'=%s%%;50;80;; "
				 "'groups'=1;;;0; 'groups_warning'=0;;;0; "
				 "'groups_critical'=1;;;0;\n", cg.path,
				 pct_text(fx, before * 1000000 / CG_LIMIT),
				 before,
				 pct_text(fx, before * 1000000 / CG_LIMIT));
		assert_string_equal(r.out, want);
	}
	/* ... which the first victim's share, judged before, never did */
	run_oomrank(fx, &r, "--cgroup", cg.path, "--judge", "victim",
		    "--check", "-w", "50%", "-c", "80%");
	print_message("%s", r.out);
	assert_int_equal(WEXITSTATUS(r.status), 0);
	assert_true(!strncmp(r.out, "OOMRANK OK - 1 memory cgroups ranked, "
			     "none over a threshold |", 55));
}

/* ------------------------------------------------------------------ */
/* 7. A real OOM kill, read back from /dev/kmsg: placed in time, counted
 * once by --since, its top told by the machine's facts. */

static uint64_t swap_total_kb(void)
{
	char buf[8192];
	uint64_t v;

	if (read_small("/proc/meminfo", buf, sizeof(buf)) <= 0 ||
	    !keyed(buf, "SwapTotal:", &v))
		fail_msg("no SwapTotal in /proc/meminfo");
	return v;
}

static void test_oom_kill_read_back_from_kmsg(void **state)
{
	static const struct { size_t mib; int adj; } sizes[] = {
		{ 20, 400 }, { 60, 300 }, { 40, 200 },
	};
	enum { NK = sizeof(sizes) / sizeof(sizes[0]) };
	struct fixture *fx = *state;
	pid_t kids[NK], alloc, parent = getpid(), victim = 0;
	int go[2], rp[2], status = 0, died = -1;
	char comm[32], *pid_s, *prom, *want, *since;
	double t_go, t_dead, end;
	struct alloc_report rep;
	int64_t when;
	struct memcg cg;
	struct tsv t;
	struct run r;
	size_t i, k;

	SKIP_UNLESS_ROOT();
	if (access("/dev/kmsg", R_OK) < 0) {
		print_message("/dev/kmsg cannot be read: skipped\n");
		skip();
	}
	/* v1 without a memsw limit: the report's swap limit is unlimited,
	 * so only the machine's having no swap tells the top */
	make_memcg_memsw(fx, &cg, false);
	for (i = 0; i < NK; i++) {
		struct child_spec s = {
			.anon = sizes[i].mib * MIB,
			.adj = sizes[i].adj,
			.join = cg.procs,
		};

		kids[i] = spawn_child(fx, &s);
	}
	assert_int_equal(pipe2(go, O_CLOEXEC), 0);
	assert_int_equal(pipe2(rp, O_CLOEXEC), 0);
	fflush(NULL);
	alloc = fork();
	assert_true(alloc >= 0);
	if (alloc == 0) {
		close(go[1]);
		close(rp[0]);
		die_with_parent(parent);
		allocator_main(&cg, go[0], rp[1]);
	}
	close(go[0]);
	close(rp[1]);
	track_child(fx, alloc);
	if (read_full(rp[0], &rep, sizeof(rep), READY_TIMEOUT_MS) !=
	    sizeof(rep) || rep.err)
		fail_msg("the allocator could not join %s", cg.procs);
	t_go = (double)time(NULL);
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	if (read_full(rp[0], &rep, sizeof(rep), 60000) != sizeof(rep))
		fail_msg("the allocator did not finish within 60 s");
	close(rp[0]);
	if (rep.kills_after != 1)
		fail_msg("%ld OOM kills in the cgroup, expected 1",
			 rep.kills_after);
	end = now_s() + 10.0;
	while (died < 0 && now_s() < end) {
		for (i = 0; i < NK && died < 0; i++)
			if (waitpid(kids[i], &status, WNOHANG) == kids[i])
				died = (int)i;
		if (died < 0)
			sleep_ms(10);
	}
	if (died < 0)
		fail_msg("the cgroup counts a kill, but no child of ours died");
	t_dead = (double)time(NULL) + 1;
	victim = kids[died];
	kids[died] = 0;
	pid_s = fx_printf(fx, "%d", (int)victim);
	print_message("the kernel killed pid %d\n", (int)victim);
	if (read_small("/proc/self/comm", comm, sizeof(comm)) <= 0)
		fail_msg("cannot read /proc/self/comm");
	comm[strcspn(comm, "\n")] = '\0';

	/* The ring buffer itself: no file, no dmesg. The kill line may
	 * come a moment after the death. */
	end = now_s() + 5.0;
	for (;;) {
		run_oomrank(fx, &r, "--log", "-r", "-p", pid_s, "-o",
			    "TIME,CONSTRAINT,VICTIM_PID,KILLS,TOP_PID,WAS_TOP,"
			    "OOM_MEMCG");
		assert_exited_0(&r);
		tsv_parse(fx, &r, &t);
		for (k = 0; k < t.nrows; k++)
			if (!strcmp(tsv_cell(&t, k, "OOM_MEMCG"), cg.path))
				break;
		if (k < t.nrows || now_s() > end)
			break;
		sleep_ms(100);
	}
	print_message("oomrank --log -p %s:\n%s%s", pid_s, r.out, r.err);
	if (k == t.nrows)
		fail_msg("no incident of %s in /dev/kmsg", cg.path);
	assert_string_equal(tsv_cell(&t, k, "CONSTRAINT"), "memcg");
	assert_string_equal(tsv_cell(&t, k, "VICTIM_PID"), pid_s);
	assert_string_equal(tsv_cell(&t, k, "KILLS"), "1");
	/* its time: the boot time the clocks give plus the kernel's stamp,
	 * between the start of the allocation and the death */
	when = cell_num(&t, k, "TIME");
	if (when < (int64_t)t_go - 1 || when > (int64_t)t_dead)
		fail_msg("TIME %" PRId64 " is not between %.0f and %.0f",
			 when, t_go - 1, t_dead);
	if (cg.version == 2 || swap_total_kb() == 0) {
		/* no swap on the machine (v2: swap.max 0 in the report) */
		assert_string_equal(tsv_cell(&t, k, "TOP_PID"), pid_s);
		assert_string_equal(tsv_cell(&t, k, "WAS_TOP"), "1");
	} else {
		print_message("the machine has swap: the top is not told\n");
		assert_string_equal(tsv_cell(&t, k, "TOP_PID"), "");
		assert_non_null(strstr(r.err, "depends on how much swap"));
	}

	/* an hourly check: one kill, named, then never again */
	run_oomrank(fx, &r, "--log", "--since", "61min", "-p", pid_s,
		    "--check", "-w", "0");
	print_message("%s", r.out);
	assert_int_equal(WEXITSTATUS(r.status), 1);
	want = fx_printf(fx, "OOMRANK WARNING - 1 OOM kill in the last 61min: "
			 "%s (%s) in %s | 'oom_kills'=1;0;;0;\n", comm, pid_s,
			 cg.path);
	assert_string_equal(r.out, want);
	since = fx_printf(fx, "@%" PRId64, when + 1);
	run_oomrank(fx, &r, "--log", "--since", since, "-p", pid_s,
		    "--check", "-w", "0");
	want = fx_printf(fx, "OOMRANK OK - no OOM kill since %s | "
			 "'oom_kills'=0;0;;0;\n", since);
	assert_string_equal(r.out, want);
	assert_int_equal(WEXITSTATUS(r.status), 0);

	/* the metrics: one kill, and its time */
	prom = fx_printf(fx, "%s/oom.prom", fx->dir);
	run_oomrank(fx, &r, "--log", "-q", "-p", pid_s, "--since", "61min",
		    "--prom-file", prom);
	assert_exited_0(&r);
	assert_true(file_has(prom, "oomrank_log_oom_kills 1\n"));
	assert_true(file_has(prom, fx_printf(fx, "oomrank_log_last_oom_kill_"
					     "timestamp_seconds %" PRId64 "\n",
					     when)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_scores_match_the_kernel_for_nearly_all_processes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_adj_moves_the_rank_as_the_kernel_says,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_cgroup_victim_is_the_one_the_kernel_kills,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_explain_names_the_parts_and_who_dies_first,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_reads_kmsg_to_its_end_by_any_name,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_dev_zero_ends_with_an_error_in_bounded_memory,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_after_a_2gib_nul_hole_reads_in_bounded_memory,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_lines_without_end_are_cut_in_bounded_memory,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_default_lists_only_what_the_killer_can_pick,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_cgroup_near_its_limit_is_judged_by_its_use,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_oom_kill_read_back_from_kmsg,
			setup, teardown),
	};

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* Columns are always given with -o; nothing from the environment
	 * may change the tool's defaults. */
	unsetenv("OOMRANK_COLUMNS");
	unsetenv("OOMRANK_CGROUP_COLUMNS");
	unsetenv("OOMRANK_LOG_COLUMNS");
	signal(SIGPIPE, SIG_IGN);
	/* PD_SCENARIO_FILTER='*cgroup*' runs only the matching tests. */
	if (getenv("PD_SCENARIO_FILTER"))
		cmocka_set_test_filter(getenv("PD_SCENARIO_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
