/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of pssum: real processes we fork (a shared region, private
 * dirty memory, several users and names), pssum's sums checked against the
 * smaps_rollup and smaps we read ourselves and against the kernel's PSS
 * arithmetic. Root only (other users' processes, setuid workers). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pssum_worker.h"

#ifndef PD_PSSUM_BIN
#error "PD_PSSUM_BIN must be the path of the pssum binary"
#endif
#ifndef PD_PSSUM_WORKER_BIN
#error "PD_PSSUM_WORKER_BIN must be the path of pssum_scenario_worker"
#endif

/* Every wait on a child has a limit, so a broken tool fails, never hangs. */
#define READY_TIMEOUT_MS 20000
#define RUN_LIMIT_S 30.0

#define KIB 1024ull
#define MIB (1024ull * 1024ull)
#define PAGE 4096ull

/* ------------------------------------------------------------------ */
/* Fixture: everything a test made, undone by teardown() in any case. */

#define MAX_TRACKED 64
#define MAX_WORKERS 16

struct fixture {
	pid_t holders[MAX_TRACKED];	/* SIGKILLed and reaped */
	size_t nholders;
	void *shm;			/* a MAP_SHARED counter, or NULL */
	size_t shm_len;
	struct owned owned;		/* freed by teardown in any case */
};

/* Hand P to the fixture: a failed assertion leaks nothing. */
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

static void track_holder(struct fixture *fx, pid_t pid)
{
	assert_in_range(fx->nholders, 0, MAX_TRACKED - 1);
	fx->holders[fx->nholders++] = pid;
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
	double end;
	size_t i;

	/* The leaders first: their workers die with them (PDEATHSIG), and
	 * come back to us (a subreaper) to be reaped below. */
	for (i = fx->nholders; i-- > 0;)
		kill(fx->holders[i], SIGKILL);
	for (i = 0; i < fx->nholders; i++)
		if (!reap(fx->holders[i], 5000, NULL))
			fprintf(stderr, "teardown: pid %d did not die\n",
				(int)fx->holders[i]);
	end = now_s() + 3.0;
	while (waitpid(-1, NULL, WNOHANG) >= 0 && now_s() < end)
		sleep_ms(2);
	if (fx->shm)
		munmap(fx->shm, fx->shm_len);
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

/* Die with our parent, so nothing outlives a crashed test. */
/* Read exactly LEN bytes from FD within TIMEOUT_MS; returns the count read
 * (short on EOF or timeout). */
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

/*
 * Processes that even we cannot read. Root is not almighty: a process with
 * capabilities we lack (a sandbox's init, say) refuses ptrace-read access
 * to its memory, and pssum rightly warns about those. Same credentials as
 * the tool, same file: the number its warning must give.
 */
static unsigned count_unreadable_procs(void)
{
	static bool told;
	struct dirent *de;
	unsigned n = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char p[300];
		int fd;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/smaps_rollup", de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (errno == EACCES || errno == EPERM) {
			if (!told)
				print_message("note: %s refuses even us\n", p);
			n++;
		}
	}
	closedir(d);
	told = true;
	return n;
}

/* ------------------------------------------------------------------ */
/* Workers: the static program of pssum_worker.c, forked and exec'd. */

struct wspec {
	const char *comm;	/* at most 15 bytes */
	uid_t uid;
	uint64_t private_bytes;
};

struct crowd {
	pid_t leader;
	size_t n;
	uint64_t shared_len;
	struct pd_worker_ready w[MAX_WORKERS];	/* by idx */
	char *marker;		/* unique word on every command line */
	char *full;		/* -f regex matching the workers only */
	char *pids;		/* "p1,p2,...": the workers, by idx */
};

static const char *const step_names[] = {
	[PD_WSTEP_NONE] = "none", [PD_WSTEP_ARGS] = "arguments",
	[PD_WSTEP_FORK] = "fork", [PD_WSTEP_CREDS] = "credentials",
	[PD_WSTEP_PARENT] = "parent", [PD_WSTEP_PRIVATE] = "private region",
	[PD_WSTEP_VDSO] = "vdso",
};

/* A name no other process has: the test's pid and a count. */
static char *unique_word(struct fixture *fx, const char *prefix)
{
	static unsigned seq;

	return fx_printf(fx, "%s%d%c", prefix, (int)getpid() % 100000,
			 'a' + (char)(seq++ % 26));
}

/*
 * Start a leader with a SHARED_LEN shared region and N workers as SPECS
 * say; returns once every worker is set up and blocked, their records in
 * *ret (idx order).
 */
static void spawn_crowd(struct fixture *fx, uint64_t shared_len,
			const struct wspec *specs, size_t n, struct crowd *ret)
{
	const char *argv[MAX_WORKERS + 8];
	pid_t parent = getpid(), pid;
	size_t got = 0, i, used = 0;
	char *pids;
	int p[2];

	assert_in_range(n, 1, MAX_WORKERS);
	memset(ret, 0, sizeof(*ret));
	ret->n = n;
	ret->shared_len = shared_len;
	ret->marker = unique_word(fx, "pdpssum-marker-");
	/* "[ ]": the regex does not match its own text, so no process that
	 * has it on its command line (a wrapper around pssum) is selected. */
	ret->full = fx_printf(fx, "%s[ ]%s", ret->marker,
			      PD_WORKER_ROLE_WORKER);
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	argv[0] = PD_PSSUM_WORKER_BIN;
	argv[1] = fx_printf(fx, "%d", p[1]);
	argv[2] = fx_printf(fx, "%" PRIu64, shared_len);
	argv[3] = ret->marker;
	argv[4] = PD_WORKER_ROLE_LEADER;
	for (i = 0; i < n; i++)
		argv[5 + i] = fx_printf(fx, "%s:%u:%" PRIu64, specs[i].comm,
					(unsigned)specs[i].uid,
					specs[i].private_bytes);
	argv[5 + n] = NULL;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		die_with_parent(parent);
		close(p[0]);
		if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0 ||
		    fcntl(p[1], F_SETFD, 0) < 0)
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	track_holder(fx, pid);
	ret->leader = pid;
	while (got < n + 1) {
		struct pd_worker_ready r;

		if (read_full(p[0], &r, sizeof(r), READY_TIMEOUT_MS) !=
		    sizeof(r)) {
			close(p[0]);
			fail_msg("only %zu of %zu worker records came from %s",
				 got, n + 1, PD_PSSUM_WORKER_BIN);
		}
		if (r.idx >= 0 && r.pid > 0)
			track_holder(fx, r.pid);
		if (r.step != PD_WSTEP_NONE) {
			close(p[0]);
			fail_msg("worker %d (pid %d) failed at %s: %s",
				 (int)r.idx, (int)r.pid,
				 r.step < (int)(sizeof(step_names) /
						sizeof(step_names[0])) ?
				 step_names[r.step] : "?", strerror(r.err));
		}
		if (r.idx >= 0) {
			assert_in_range(r.idx, 0, n - 1);
			assert_int_equal(ret->w[r.idx].pid, 0);
			ret->w[r.idx] = r;
		} else {
			assert_int_equal(r.pid, pid);
		}
		got++;
	}
	close(p[0]);
	pids = own(fx, calloc(n, 12));
	for (i = 0; i < n; i++)
		used += (size_t)sprintf(pids + used, "%s%d", i ? "," : "",
					(int)ret->w[i].pid);
	ret->pids = pids;
}

/* ------------------------------------------------------------------ */
/* The oracle: smaps_rollup, smaps and status as the kernel prints them. */

/* The sizes of a rollup or of one smaps block, in bytes. */
struct mem {
	uint64_t rss, pss, pss_anon, pss_file, pss_shmem;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t swap, swap_pss, anon_huge;
	uint64_t pagetables, hugetlb;	/* from status */
};

static const struct {
	const char *name;
	size_t off;
} mem_fields[] = {
	{ "Rss", offsetof(struct mem, rss) },
	{ "Pss", offsetof(struct mem, pss) },
	{ "Pss_Anon", offsetof(struct mem, pss_anon) },
	{ "Pss_File", offsetof(struct mem, pss_file) },
	{ "Pss_Shmem", offsetof(struct mem, pss_shmem) },
	{ "Shared_Clean", offsetof(struct mem, shared_clean) },
	{ "Shared_Dirty", offsetof(struct mem, shared_dirty) },
	{ "Private_Clean", offsetof(struct mem, private_clean) },
	{ "Private_Dirty", offsetof(struct mem, private_dirty) },
	{ "Swap", offsetof(struct mem, swap) },
	{ "SwapPss", offsetof(struct mem, swap_pss) },
	{ "AnonHugePages", offsetof(struct mem, anon_huge) },
	{ "VmPTE", offsetof(struct mem, pagetables) },
	{ "HugetlbPages", offsetof(struct mem, hugetlb) },
};

#define NMEM_FIELDS (sizeof(mem_fields) / sizeof(mem_fields[0]))

static uint64_t *mem_at(struct mem *m, size_t i)
{
	return (uint64_t *)((char *)m + mem_fields[i].off);
}

/* Add the "Name:   N kB" line LINE (no newline) to M, if it is one of
 * ours. */
static void mem_line(struct mem *m, const char *line)
{
	size_t i, n;
	unsigned long long v;
	char unit[4];

	for (i = 0; i < NMEM_FIELDS; i++) {
		n = strlen(mem_fields[i].name);
		if (strncmp(line, mem_fields[i].name, n) || line[n] != ':')
			continue;
		if (sscanf(line + n + 1, " %llu %3s", &v, unit) != 2 ||
		    strcmp(unit, "kB"))
			fail_msg("not a size line: '%s'", line);
		*mem_at(m, i) += v * KIB;
		return;
	}
}

/* The whole text of /proc/PID/NAME. */
static char *read_proc(struct fixture *fx, pid_t pid, const char *name)
{
	char *path = fx_printf(fx, "/proc/%d/%s", (int)pid, name), *buf;
	size_t len = 0, cap = 1 << 16;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_msg("open %s: %s", path, strerror(errno));
	buf = malloc(cap);
	assert_non_null(buf);
	for (;;) {
		if (len + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			assert_non_null(nb);
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return own(fx, buf);
}

/* Sum every known line of TEXT into *ret (zeroed first). */
static void mem_parse(const char *text, struct mem *ret)
{
	const char *line, *nl;
	char one[256];

	memset(ret, 0, sizeof(*ret));
	for (line = text; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		snprintf(one, sizeof(one), "%.*s", (int)(nl - line), line);
		mem_line(ret, one);
		if (!nl[1])
			break;
	}
}

/* What pssum reads for PID: smaps_rollup, and VmPTE and HugetlbPages of
 * status. */
static void read_oracle(struct fixture *fx, pid_t pid, struct mem *ret)
{
	struct mem st;

	mem_parse(read_proc(fx, pid, "smaps_rollup"), ret);
	mem_parse(read_proc(fx, pid, "status"), &st);
	ret->pagetables = st.pagetables;
	ret->hugetlb = st.hugetlb;
}

/* One mapping of /proc/PID/smaps: its name and sizes. */
struct vma {
	uint64_t start, end;
	char name[256];
	struct mem m;
};

/* Every mapping of PID from its smaps; returns the count (at most MAX). */
static size_t read_vmas(struct fixture *fx, pid_t pid, struct vma *v,
			size_t max)
{
	char *text = read_proc(fx, pid, "smaps"), *line, *nl;
	size_t n = 0;

	for (line = text; *line; line = nl + 1) {
		unsigned long long lo, hi;
		int name_at = 0;

		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &lo, &hi,
			   &name_at) == 2 && name_at > 0) {
			assert_in_range(n, 0, max - 1);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].start = lo;
			v[n].end = hi;
			snprintf(v[n].name, sizeof(v[n].name), "%s",
				 line + name_at);
			n++;
		} else if (n) {
			mem_line(&v[n - 1].m, line);
		}
	}
	return n;
}

static const struct vma *find_vma(const struct vma *v, size_t n,
				  uint64_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].start == start)
			return &v[i];
	fail_msg("no mapping at 0x%" PRIx64, start);
	return NULL;
}

static void assert_mem_equal(pid_t pid, const struct mem *a,
			     const struct mem *b)
{
	size_t i;

	for (i = 0; i < NMEM_FIELDS; i++) {
		uint64_t x = *mem_at((struct mem *)a, i);
		uint64_t y = *mem_at((struct mem *)b, i);

		if (x != y)
			print_error("pid %d: %s moved from %" PRIu64 " to %"
				    PRIu64 " while nothing of it ran\n",
				    (int)pid, mem_fields[i].name, x, y);
		assert_int_equal(x, y);
	}
}

static void read_crowd(struct fixture *fx, const struct crowd *c,
		       struct mem *ret)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		read_oracle(fx, c->w[i].pid, &ret[i]);
}

/* The rollups of the workers are what they were: nothing of theirs ran
 * and nothing else maps their pages. The premise of every exact check. */
static void assert_crowd_still(struct fixture *fx, const struct crowd *c,
			       const struct mem *before)
{
	struct mem now[MAX_WORKERS];
	size_t i;

	read_crowd(fx, c, now);
	for (i = 0; i < c->n; i++)
		assert_mem_equal(c->w[i].pid, &before[i], &now[i]);
}

/*
 * The PSS the kernel prints for one mapping of PAGES resident 4 KiB pages
 * that MAPPERS processes map: each page adds (4096 << 12) / MAPPERS (PSS
 * is kept in 1/4096 of a byte, the division truncated), and the sum is
 * shifted back and printed in whole kB (truncated): fs/proc/task_mmu.c.
 */
/* (Small pages assumed: the test checks the result against each worker's
 * smaps, so a kernel that maps the region otherwise shows up there.) */
static uint64_t kernel_pss_bytes(uint64_t pages, uint64_t mappers)
{
	uint64_t per_page = (PAGE << 12) / mappers;

	return ((pages * per_page) >> (12 + 10)) * KIB;
}

/* ------------------------------------------------------------------ */
/* Running pssum */

struct run {
	int status;		/* from waitpid */
	bool overran;		/* killed at the wall clock limit */
	double secs;
	char *out, *err;	/* owned by the fixture */
	size_t outlen, errlen;
	/* count_unreadable_procs() before and after the run */
	unsigned denied_lo, denied_hi;
};

/* Run pssum with the NULL-terminated ARGS under a wall clock LIMIT_S;
 * kill it when it overruns. */
static void run_argv(struct fixture *fx, double limit_s, struct run *ret,
		     const char *const *args)
{
	const char *argv[40];
	struct harness_run h;
	size_t n = 0;

	argv[n++] = PD_PSSUM_BIN;
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;

	memset(ret, 0, sizeof(*ret));
	ret->denied_lo = count_unreadable_procs();
	harness_run(&fx->owned, argv, NULL, false, limit_s, &h);
	if (h.unreaped)
		track_holder(fx, h.unreaped);	/* teardown retries */
	ret->status = h.status;
	ret->overran = h.overran;
	ret->secs = h.secs;
	ret->out = h.out;
	ret->err = h.err;
	ret->outlen = h.outlen;
	ret->errlen = h.errlen;
	ret->denied_hi = count_unreadable_procs();
	if (ret->denied_hi < ret->denied_lo) {
		unsigned lo = ret->denied_hi;

		ret->denied_hi = ret->denied_lo;
		ret->denied_lo = lo;
	}
}

#define run_pssum(fx, ret, ...)						\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_argv((fx), RUN_LIMIT_S, (ret), args_);		\
	} while (0)

static void assert_exited_0(const struct run *r)
{
	if (r->overran)
		fail_msg("pssum was killed after %.1f s; it had printed:\n"
			 "%s\nand on stderr:\n%s", r->secs, r->out, r->err);
	if (!WIFEXITED(r->status) || WEXITSTATUS(r->status) != 0)
		print_error("pssum stderr:\n%s\n", r->err);
	assert_true(WIFEXITED(r->status));
	assert_int_equal(WEXITSTATUS(r->status), 0);
}

/* Exit status 0 and not a byte on stderr: every run that selects only our
 * workers (-p, -f, --command) reads them all. */
static void assert_silent_run(const struct run *r)
{
	assert_exited_0(r);
	if (r->errlen)
		fail_msg("unexpected stderr: %s", r->err);
}

/*
 * A scan of every process: exit 0, and on stderr at most the line about
 * the processes count_unreadable_procs() could not read either (here, the
 * sandbox's init, which refuses even root), with their count and cause
 * "permission denied". Anything else, a zombie caught in passing included,
 * fails.
 */
static void assert_whole_scan_run(const struct run *r)
{
	const char *line, *nl;

	assert_exited_0(r);
	for (line = r->err; *line; line = nl + 1) {
		unsigned n, total;
		int cause = -1;

		nl = strchr(line, '\n');
		if (!nl)
			fail_msg("stderr does not end with a newline: %s", line);
		if (sscanf(line, "pssum: warning: %u of %u processes could "
			   "not be read (%n", &n, &total, &cause) == 2 &&
		    cause > 0 &&
		    !strncmp(line + cause, "permission denied", 17)) {
			if (n < r->denied_lo || n > r->denied_hi)
				fail_msg("pssum: %u denied, we count %u to %u: "
					 "%.*s", n, r->denied_lo, r->denied_hi,
					 (int)(nl - line), line);
			continue;
		}
		/* a process beyond root (lib/coverage.h): named, left out */
		if (!strncmp(line, "pssum: warning: ", 16) &&
		    strstr(line, " could not be read even by root (") &&
		    strstr(line, "the figures leave ") && nl[-1] == 't')
			continue;
		fail_msg("unexpected stderr line: %.*s", (int)(nl - line), line);
	}
}

/* ------------------------------------------------------------------ */
/* TSV: the header names the columns; every line has the same fields. */

struct tsv {
	size_t ncols, nrows;
	char **hdr;
	char **cells;		/* nrows * ncols */
};

/* Split LINE in place; stores at most MAX fields, returns how many. */
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
		fail_msg("pssum printed nothing; stderr:\n%s", r->err);
	/* \n after every line, the last one too; no NUL bytes */
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
		/* Every line has as many fields as the header. */
		if (split_tabs(line, &t->cells[k * t->ncols], t->ncols) !=
		    t->ncols)
			fail_msg("line %zu has not the %zu fields of the header",
				 k + 2, t->ncols);
	}
}

static bool tsv_has(const struct tsv *t, const char *col)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (!strcmp(t->hdr[c], col))
			return true;
	return false;
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

/* A cell that must be a decimal number. */
static uint64_t tsv_u64(const struct tsv *t, size_t row, const char *col)
{
	const char *s = tsv_cell(t, row, col);
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || s[0] == '-')
		fail_msg("row %zu, %s: '%s' is not a number", row, col, s);
	return v;
}

/* The only row whose COL is VALUE; fails unless there is exactly one. */
static size_t tsv_only_row(const struct tsv *t, const char *col,
			   const char *value)
{
	size_t i, found = 0, n = 0;

	for (i = 0; i < t->nrows; i++) {
		if (!strcmp(tsv_cell(t, i, col), value)) {
			found = i;
			n++;
		}
	}
	if (n != 1)
		fail_msg("%zu rows with %s=%s, expected 1", n, col, value);
	return found;
}

static uint64_t of_rss(const struct mem *m) { return m->rss; }
static uint64_t of_pss(const struct mem *m) { return m->pss; }
static uint64_t of_uss(const struct mem *m)
{
	return m->private_clean + m->private_dirty;
}
static uint64_t of_private_dirty(const struct mem *m)
{
	return m->private_dirty;
}
static uint64_t of_shared(const struct mem *m)
{
	return m->shared_clean + m->shared_dirty;
}
static uint64_t of_swap(const struct mem *m) { return m->swap; }
static uint64_t of_swap_pss(const struct mem *m) { return m->swap_pss; }
static uint64_t of_pss_anon(const struct mem *m) { return m->pss_anon; }
static uint64_t of_pss_file(const struct mem *m) { return m->pss_file; }
static uint64_t of_pss_shmem(const struct mem *m) { return m->pss_shmem; }
static uint64_t of_anon_huge(const struct mem *m) { return m->anon_huge; }
static uint64_t of_hugetlb(const struct mem *m) { return m->hugetlb; }
static uint64_t of_pagetables(const struct mem *m) { return m->pagetables; }

static const struct {
	const char *col;
	uint64_t (*of)(const struct mem *m);
} size_cols[] = {	/* the size columns, each with its oracle */
	{ "RSS", of_rss }, { "PSS", of_pss }, { "USS", of_uss },
	{ "PRIVATE_DIRTY", of_private_dirty }, { "SHARED", of_shared },
	{ "SWAP", of_swap }, { "SWAP_PSS", of_swap_pss },
	{ "PSS_ANON", of_pss_anon }, { "PSS_FILE", of_pss_file },
	{ "PSS_SHMEM", of_pss_shmem }, { "ANON_HUGE", of_anon_huge },
	{ "HUGETLB", of_hugetlb }, { "PAGETABLES", of_pagetables },
};

#define NSIZE_COLS (sizeof(size_cols) / sizeof(size_cols[0]))

/* Row ROW of T has, in every size column it prints, the sum of the
 * oracle over the members MEMBERS (N of them, indexes into M). */
static void assert_row_is_sum(const struct tsv *t, size_t row,
			      const struct mem *m, const size_t *members,
			      size_t n, const char *what)
{
	size_t c, i;

	for (c = 0; c < NSIZE_COLS; c++) {
		uint64_t want = 0, got;

		if (!tsv_has(t, size_cols[c].col))
			continue;
		for (i = 0; i < n; i++)
			want += size_cols[c].of(&m[members[i]]);
		got = tsv_u64(t, row, size_cols[c].col);
		if (got != want)
			print_error("%s: %s is %" PRIu64 ", the members' "
				    "rollups sum to %" PRIu64 " (%+" PRId64
				    ")\n", what, size_cols[c].col, got, want,
				    (int64_t)(got - want));
		assert_int_equal(got, want);
	}
}

/* The user name pssum prints for UID: the passwd name, else the number. */
static char *user_name(struct fixture *fx, uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? fx_printf(fx, "%s", pw->pw_name) :
		    fx_printf(fx, "%u", (unsigned)uid);
}

static const char all_sizes[] =
	"RSS,PSS,USS,PRIVATE_DIRTY,SHARED,SWAP,SWAP_PSS,PSS_ANON,PSS_FILE,"
	"PSS_SHMEM,ANON_HUGE,HUGETLB,PAGETABLES";

/* ------------------------------------------------------------------ */
/*
 * 1. Shared and private memory of workers, summed to the byte. The leader
 * maps and writes the 8 MiB region, forks four workers and only waits: it
 * is no member of the group (not in -p, another comm, "leader" on its
 * command line) but keeps the region mapped, so each page has five mappers
 * and a worker's share is not a whole number of kB.
 */

#define T1_WORKERS 4
#define T1_SHARED (8 * MIB)

static void test_workers_pss_and_uss_sums_are_exact(void **state)
{
	struct fixture *fx = *state;
	struct wspec specs[T1_WORKERS];
	struct mem before[T1_WORKERS];
	struct vma vmas[256];
	uint64_t private_sum = 0, base_uss = 0, base_rss = 0, shm_pss;
	size_t members[T1_WORKERS], i, j, n, row;
	const char *comm, *cols;
	struct crowd c;
	struct tsv t, m;
	struct run r, r2;

	SKIP_UNLESS_ROOT();
	comm = unique_word(fx, "pdw");
	for (i = 0; i < T1_WORKERS; i++) {
		specs[i] = (struct wspec){ comm, 0, (i + 1) * MIB };
		private_sum += specs[i].private_bytes;
		members[i] = i;
	}
	spawn_crowd(fx, T1_SHARED, specs, T1_WORKERS, &c);
	read_crowd(fx, &c, before);

	cols = fx_printf(fx, "COMMAND,PROCS,%s", all_sizes);
	run_pssum(fx, &r, "-r", "-g", "command", "-p", c.pids, "-o", cols);
	assert_crowd_still(fx, &c, before);
	assert_silent_run(&r);
	tsv_parse(fx, &r, &t);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(tsv_cell(&t, 0, "COMMAND"), comm);
	assert_int_equal(tsv_u64(&t, 0, "PROCS"), T1_WORKERS);
	/* Every size is the sum of the four rollups, to the byte. */
	assert_row_is_sum(&t, 0, before, members, T1_WORKERS, "-g command");

	/* The same workers picked by name and by command line: the same
	 * answer, byte for byte. */
	run_pssum(fx, &r2, "-r", "-g", "command", "--command", comm, "-o",
		  cols);
	assert_silent_run(&r2);
	assert_string_equal(r2.out, r.out);
	run_pssum(fx, &r2, "-r", "-g", "command", "-f", c.full, "-o", cols);
	assert_silent_run(&r2);
	assert_string_equal(r2.out, r.out);

	/*
	 * From first principles. The region has 5 mappers (the leader and
	 * four workers): 2048 pages of (4096 << 12) / 5 each, 1638.4 kB,
	 * printed 1638 kB per worker. It is the only shmem a worker maps, so
	 * that is each worker's Pss_Shmem too.
	 */
	shm_pss = kernel_pss_bytes(T1_SHARED / PAGE, T1_WORKERS + 1);
	assert_int_equal(shm_pss, 1638 * KIB);
	for (i = 0; i < T1_WORKERS; i++) {
		const struct vma *sv, *pv;

		n = read_vmas(fx, c.w[i].pid, vmas, 256);
		sv = find_vma(vmas, n, c.w[i].shared_addr);
		pv = find_vma(vmas, n, c.w[i].private_addr);
		assert_string_equal(sv->name, "/dev/zero (deleted)");
		assert_int_equal(sv->m.rss, T1_SHARED);
		assert_int_equal(sv->m.pss, shm_pss);
		assert_int_equal(sv->m.private_clean + sv->m.private_dirty, 0);
		assert_string_equal(pv->name,
				    "/memfd:" PD_WORKER_MEMFD " (deleted)");
		assert_int_equal(pv->m.rss, specs[i].private_bytes);
		assert_int_equal(pv->m.pss, specs[i].private_bytes);
		assert_int_equal(pv->m.private_dirty, specs[i].private_bytes);
		assert_int_equal(before[i].pss_shmem, shm_pss);
		/* The baselines: what the worker maps besides the private
		 * region (USS), besides both regions (RSS). */
		for (j = 0; j < n; j++) {
			if (&vmas[j] == pv)
				continue;
			base_uss += vmas[j].m.private_clean +
				    vmas[j].m.private_dirty;
			if (&vmas[j] != sv)
				base_rss += vmas[j].m.rss;
		}
	}
	assert_int_equal(tsv_u64(&t, 0, "PSS_SHMEM"), T1_WORKERS * shm_pss);
	/* USS beyond the baseline is the private regions, 10 MiB, exactly. */
	assert_int_equal(tsv_u64(&t, 0, "USS") - base_uss, private_sum);
	/* RSS beyond the baseline: the shared region once per worker and
	 * the private regions. */
	assert_int_equal(tsv_u64(&t, 0, "RSS") - base_rss,
			 T1_WORKERS * T1_SHARED + private_sum);

	/* By mapping: the two regions as rows of their own. */
	run_pssum(fx, &r2, "-m", "-r", "-p", c.pids, "-o",
		  "MAPPING,PROCS,RSS,PSS,USS,SWAP");
	assert_crowd_still(fx, &c, before);
	assert_silent_run(&r2);
	tsv_parse(fx, &r2, &m);
	row = tsv_only_row(&m, "MAPPING", "/dev/zero (deleted)");
	assert_int_equal(tsv_u64(&m, row, "PROCS"), T1_WORKERS);
	assert_int_equal(tsv_u64(&m, row, "RSS"), T1_WORKERS * T1_SHARED);
	assert_int_equal(tsv_u64(&m, row, "PSS"), T1_WORKERS * shm_pss);
	assert_int_equal(tsv_u64(&m, row, "USS"), 0);
	assert_int_equal(tsv_u64(&m, row, "SWAP"), 0);
	row = tsv_only_row(&m, "MAPPING",
			   "/memfd:" PD_WORKER_MEMFD " (deleted)");
	assert_int_equal(tsv_u64(&m, row, "PROCS"), T1_WORKERS);
	assert_int_equal(tsv_u64(&m, row, "RSS"), private_sum);
	assert_int_equal(tsv_u64(&m, row, "PSS"), private_sum);
	assert_int_equal(tsv_u64(&m, row, "USS"), private_sum);
	/* RSS and USS are whole pages: the mappings add up to the rollups
	 * (PSS does not: each mapping's is truncated to a kB on its own). */
	{
		uint64_t rss = 0, uss = 0;

		for (i = 0; i < m.nrows; i++) {
			rss += tsv_u64(&m, i, "RSS");
			uss += tsv_u64(&m, i, "USS");
		}
		assert_int_equal(rss, tsv_u64(&t, 0, "RSS"));
		assert_int_equal(uss, tsv_u64(&t, 0, "USS"));
	}
}

/* ------------------------------------------------------------------ */
/* 2. Identical processes (same program, comm, sizes) are counted each,
 * never folded into one as a tool keyed on the program might. */

#define T2_WORKERS 6

static void test_identical_workers_are_never_merged(void **state)
{
	struct fixture *fx = *state;
	struct wspec specs[T2_WORKERS];
	struct mem before[T2_WORKERS];
	size_t members[T2_WORKERS], i, row;
	uint64_t rss_sum = 0;
	const char *comm;
	struct crowd c;
	struct tsv t;
	struct run r;

	SKIP_UNLESS_ROOT();
	comm = unique_word(fx, "pdsame");
	for (i = 0; i < T2_WORKERS; i++) {
		specs[i] = (struct wspec){ comm, 0, 2 * MIB };
		members[i] = i;
	}
	spawn_crowd(fx, 4 * MIB, specs, T2_WORKERS, &c);
	read_crowd(fx, &c, before);

	/* By pid: six rows, one per worker, each its own rollup. */
	run_pssum(fx, &r, "-r", "-g", "pid", "--command", comm, "-o",
		  "PID,COMMAND,RSS,PSS,USS,SWAP");
	assert_silent_run(&r);
	tsv_parse(fx, &r, &t);
	assert_int_equal(t.nrows, T2_WORKERS);
	for (i = 0; i < T2_WORKERS; i++) {
		row = tsv_only_row(&t, "PID",
				   fx_printf(fx, "%d", (int)c.w[i].pid));
		assert_string_equal(tsv_cell(&t, row, "COMMAND"), comm);
		assert_row_is_sum(&t, row, before, &members[i], 1, "-g pid");
		rss_sum += tsv_u64(&t, row, "RSS");
	}

	/* By command: one row of six processes, six times the memory. */
	run_pssum(fx, &r, "-r", "-g", "command", "-p", c.pids, "-o",
		  "COMMAND,PROCS,RSS,PSS,USS,SWAP");
	assert_crowd_still(fx, &c, before);
	assert_silent_run(&r);
	tsv_parse(fx, &r, &t);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(tsv_cell(&t, 0, "COMMAND"), comm);
	assert_int_equal(tsv_u64(&t, 0, "PROCS"), T2_WORKERS);
	assert_row_is_sum(&t, 0, before, members, T2_WORKERS, "-g command");
	assert_int_equal(tsv_u64(&t, 0, "RSS"), rss_sum);
	/* Each worker maps 4 MiB shared and 2 MiB of its own at least: six
	 * of them cannot fit in one worker's RSS. */
	assert_in_range(tsv_u64(&t, 0, "RSS"), T2_WORKERS * 6 * MIB,
			UINT64_MAX);
}

/* ------------------------------------------------------------------ */
/* 3. Every group is the sum of its members, whatever the key. */

#define T3_WORKERS 6

/* The key columns of a grouping, as pssum names them. */
static const struct {
	const char *by;
	const char *cols[2];
} groupings[] = {
	{ "user", { "USER", NULL } },
	{ "command", { "COMMAND", NULL } },
	{ "user,command", { "USER", "COMMAND" } },
	{ "ppid", { "PPID", NULL } },
};

/* Row I of T and row J of BASE agree on the key columns COLS (up to 2). */
static bool same_keys(const struct tsv *t, size_t i, const struct tsv *base,
		      size_t j, const char *const *cols)
{
	size_t k;

	for (k = 0; k < 2 && cols[k]; k++)
		if (strcmp(tsv_cell(t, i, cols[k]), tsv_cell(base, j, cols[k])))
			return false;
	return true;
}

static void test_group_sums_equal_member_sums(void **state)
{
	struct fixture *fx = *state;
	static const uid_t uids[T3_WORKERS] = { 0, 1, 1, 65534, 65534, 65534 };
	static const int names[T3_WORKERS] = { 0, 0, 1, 1, 2, 0 };
	struct wspec specs[T3_WORKERS];
	struct mem before[T3_WORKERS], byrow[T3_WORKERS];
	const char *comms[3];
	struct crowd c;
	struct tsv base, t;
	struct run r;
	size_t g, i, k;

	SKIP_UNLESS_ROOT();
	for (i = 0; i < 3; i++)
		comms[i] = unique_word(fx, "pdgrp");
	for (i = 0; i < T3_WORKERS; i++)
		specs[i] = (struct wspec){ comms[names[i]], uids[i],
					   (1 + i % 3) * MIB };
	spawn_crowd(fx, 2 * MIB, specs, T3_WORKERS, &c);
	read_crowd(fx, &c, before);

	/* The members, one row each: who they are, and the rollups. */
	run_pssum(fx, &r, "-r", "-g", "pid", "--output-all", "-f", c.full);
	assert_silent_run(&r);
	tsv_parse(fx, &r, &base);
	assert_int_equal(base.nrows, T3_WORKERS);
	for (i = 0; i < T3_WORKERS; i++) {
		size_t one = i;

		k = tsv_only_row(&base, "PID",
				 fx_printf(fx, "%d", (int)c.w[i].pid));
		assert_int_equal(tsv_u64(&base, k, "PPID"), c.leader);
		assert_int_equal(tsv_u64(&base, k, "UID"), uids[i]);
		assert_string_equal(tsv_cell(&base, k, "USER"),
				    user_name(fx, uids[i]));
		assert_string_equal(tsv_cell(&base, k, "COMMAND"),
				    comms[names[i]]);
		assert_int_equal(tsv_u64(&base, k, "PROCS"), 1);
		assert_row_is_sum(&base, k, before, &one, 1, "-g pid");
		byrow[k] = before[i];
	}

	for (g = 0; g < sizeof(groupings) / sizeof(groupings[0]); g++) {
		size_t total = 0;

		run_pssum(fx, &r, "-r", "-g", groupings[g].by, "--output-all",
			  "-f", c.full);
		assert_silent_run(&r);
		tsv_parse(fx, &r, &t);
		print_message("-g %s: %zu groups\n", groupings[g].by, t.nrows);
		for (i = 0; i < t.nrows; i++) {
			size_t members[T3_WORKERS], n = 0, j;

			/* The members: the base rows with the same keys. */
			for (j = 0; j < base.nrows; j++)
				if (same_keys(&t, i, &base, j,
					      groupings[g].cols))
					members[n++] = j;
			if (n == 0)
				fail_msg("-g %s: row %zu has no member",
					 groupings[g].by, i);
			assert_int_equal(tsv_u64(&t, i, "PROCS"), n);
			assert_row_is_sum(&t, i, byrow, members, n,
					  groupings[g].by);
			total += n;
		}
		/* Each worker in exactly one group: no key tuple twice. */
		assert_int_equal(total, T3_WORKERS);
	}
	assert_crowd_still(fx, &c, before);
}

/* ------------------------------------------------------------------ */
/* 4. Processes that come and go during the scan. */

#define CHURN_MIN 300
#define CHURN_LIVE 16
#define CHURN_MAX_MS 50
#define CHURN_TOUCH (256 * 1024)

struct churn_shm {
	volatile unsigned spawned;
	volatile unsigned stop;
};

static noreturn void churn_child(unsigned n, pid_t parent)
{
	char *p;

	die_with_parent(parent);
	prctl(PR_SET_NAME, "pdchurn");
	/* Some memory of its own, so there is something to read. */
	p = mmap(NULL, CHURN_TOUCH, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		memset(p, 0x3c, CHURN_TOUCH);
	sleep_ms(1 + (long)(n * 7919u % CHURN_MAX_MS));
	_exit(0);
}

/* Keep CHURN_LIVE children of 1..50 ms alive, each reaped as soon as it
 * exits, until told to stop and at least CHURN_MIN were spawned. */
static noreturn void churn_main(struct churn_shm *shm, pid_t parent)
{
	unsigned live = 0;
	pid_t me = getpid();

	die_with_parent(parent);
	while (!shm->stop || shm->spawned < CHURN_MIN) {
		pid_t pid;

		while (live && waitpid(-1, NULL, WNOHANG) > 0)
			live--;
		if (live >= CHURN_LIVE) {
			if (wait(NULL) > 0)
				live--;
			continue;
		}
		pid = fork();
		if (pid == 0)
			churn_child(shm->spawned, me);
		if (pid > 0) {
			live++;
			__atomic_add_fetch(&shm->spawned, 1, __ATOMIC_SEQ_CST);
		}
	}
	while (live && wait(NULL) > 0)
		live--;
	_exit(0);
}

static void check_whole_scan(struct fixture *fx, const struct run *r,
			     size_t *ret_rows)
{
	struct tsv t;
	size_t i, j;

	assert_whole_scan_run(r);
	tsv_parse(fx, r, &t);
	assert_string_equal(t.hdr[0], "PID");
	for (i = 0; i < t.nrows; i++) {
		assert_in_range(tsv_u64(&t, i, "PID"), 1, INT32_MAX);
		tsv_u64(&t, i, "RSS");
		tsv_u64(&t, i, "PSS");
		tsv_u64(&t, i, "USS");
		tsv_u64(&t, i, "SWAP");
		/* Each process once. */
		for (j = 0; j < i; j++)
			assert_string_not_equal(tsv_cell(&t, i, "PID"),
						tsv_cell(&t, j, "PID"));
	}
	*ret_rows = t.nrows;
}

static void test_process_exiting_mid_scan_is_skipped(void **state)
{
	struct fixture *fx = *state;
	pid_t parent = getpid(), churner;
	struct churn_shm *shm;
	size_t rounds = 0, rows, rows_min = SIZE_MAX, rows_max = 0;
	unsigned at_start, spawned;
	double end;
	struct run r;

	SKIP_UNLESS_ROOT();
	fx->shm_len = sizeof(*shm);
	fx->shm = mmap(NULL, fx->shm_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(fx->shm != MAP_FAILED);
	shm = fx->shm;
	fflush(NULL);
	churner = fork();
	assert_true(churner >= 0);
	if (churner == 0)
		churn_main(shm, parent);
	track_holder(fx, churner);
	end = now_s() + READY_TIMEOUT_MS / 1000.0;
	while (shm->spawned < CHURN_LIVE) {
		if (now_s() > end)
			fail_msg("the churner never got going");
		sleep_ms(1);
	}
	at_start = shm->spawned;

	/* Five of each at least, alternating, and on until 300 children
	 * have come and gone while pssum was scanning. */
	end = now_s() + 120.0;
	while (rounds < 5 || shm->spawned - at_start < CHURN_MIN) {
		if (now_s() > end)
			fail_msg("%u children in 120 s", shm->spawned);
		run_pssum(fx, &r, "-r");
		check_whole_scan(fx, &r, &rows);
		rows_min = rows < rows_min ? rows : rows_min;
		rows_max = rows > rows_max ? rows : rows_max;
		run_pssum(fx, &r, "-r", "-j", "2");
		check_whole_scan(fx, &r, &rows);
		rows_min = rows < rows_min ? rows : rows_min;
		rows_max = rows > rows_max ? rows : rows_max;
		rounds++;
	}
	spawned = shm->spawned - at_start;
	shm->stop = 1;
	assert_true(reap(churner, 10000, NULL));
	print_message("%zu rounds of pssum -r and -r -j 2 while %u children "
		      "came and went; %zu to %zu processes read\n", rounds,
		      spawned, rows_min, rows_max);
	assert_in_range(spawned, CHURN_MIN, UINT32_MAX);
}

/* ------------------------------------------------------------------ */
/* 5. Threads change the speed, not the answer. */

#define T5_WORKERS 12

static void test_jobs_do_not_change_the_answer(void **state)
{
	struct fixture *fx = *state;
	static const uid_t uids[3] = { 0, 1, 65534 };
	struct wspec specs[T5_WORKERS];
	struct mem before[T5_WORKERS];
	const char *comms[4];
	struct crowd c;
	struct run r1, r2;
	struct tsv t;
	size_t i, v;
	const char *views[][6] = {
		{ "-r", "--output-all", NULL },
		{ "-r", "-g", "user,command", "--output-all", NULL },
		{ "-J", "--output-all", NULL },
		{ "-m", "-r", NULL },
	};

	SKIP_UNLESS_ROOT();
	for (i = 0; i < 4; i++)
		comms[i] = unique_word(fx, "pdjobs");
	for (i = 0; i < T5_WORKERS; i++)
		specs[i] = (struct wspec){ comms[i % 4], uids[i % 3],
					   (1 + i % 5) * 512 * KIB };
	spawn_crowd(fx, 2 * MIB, specs, T5_WORKERS, &c);
	read_crowd(fx, &c, before);

	for (v = 0; v < sizeof(views) / sizeof(views[0]); v++) {
		const char *a1[12], *a2[12];
		size_t n = 0, k;

		for (k = 0; views[v][k]; k++, n++)
			a1[n] = a2[n] = views[v][k];
		a1[n] = a2[n] = "-f";
		n++;
		a1[n] = a2[n] = c.full;
		n++;
		a1[n] = a2[n] = "-j";
		n++;
		a1[n] = "1";
		a2[n] = "2";
		n++;
		a1[n] = a2[n] = NULL;
		run_argv(fx, RUN_LIMIT_S, &r1, a1);
		run_argv(fx, RUN_LIMIT_S, &r2, a2);
		assert_silent_run(&r1);
		assert_silent_run(&r2);
		if (strcmp(r1.out, r2.out))
			print_error("-j 1:\n%s\n-j 2:\n%s\n", r1.out, r2.out);
		assert_string_equal(r1.out, r2.out);
		if (v == 0) {
			/* Not an empty answer twice: every worker is there. */
			tsv_parse(fx, &r1, &t);
			assert_int_equal(t.nrows, T5_WORKERS);
		}
		print_message("%s %s: %zu bytes, the same with -j 1 and -j 2\n",
			      views[v][0], views[v][1] ? views[v][1] : "",
			      r1.outlen);
	}
	assert_crowd_still(fx, &c, before);
}

/* ------------------------------------------------------------------ */
/* 6. --numa: the bytes per node are the pages numa_maps names there, each
 * mapping with its own page size, per process and per mapping. */

#define T6_WORKERS 3
#define T6_MAXNODES 64

/* The oracle: numa_maps of PID as the kernel prints it, "N<node>=<pages>"
 * times kernelpagesize_kB, summed per node into NODE[] (T6_MAXNODES);
 * with ADDR, only the mapping that starts there. Returns 1 + the highest
 * node named. */
static unsigned numa_oracle(struct fixture *fx, pid_t pid, uint64_t addr,
			    bool one, uint64_t *node)
{
	char *text = read_proc(fx, pid, "numa_maps"), *line, *save = NULL;
	unsigned nr = 0;

	memset(node, 0, T6_MAXNODES * sizeof(*node));
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		uint64_t pages[T6_MAXNODES] = { 0 }, kb = 0;
		char *w, *wsave = NULL;
		unsigned k;

		if (one && strtoull(line, NULL, 16) != addr)
			continue;
		for (w = strtok_r(line, " ", &wsave); w;
		     w = strtok_r(NULL, " ", &wsave)) {
			if (w[0] == 'N' && w[1] >= '0' && w[1] <= '9') {
				k = (unsigned)strtoul(w + 1, NULL, 10);
				assert_in_range(k, 0, T6_MAXNODES - 1);
				pages[k] = strtoull(strchr(w, '=') + 1, NULL,
						    10);
				if (k + 1 > nr)
					nr = k + 1;
			} else if (!strncmp(w, "kernelpagesize_kB=", 18)) {
				kb = strtoull(w + 18, NULL, 10);
			}
		}
		for (k = 0; k < T6_MAXNODES; k++)
			node[k] += pages[k] * kb * KIB;
	}
	return nr;
}

static void test_numa_bytes_are_what_numa_maps_names(void **state)
{
	struct fixture *fx = *state;
	struct wspec specs[T6_WORKERS];
	struct mem before[T6_WORKERS];
	uint64_t node[T6_MAXNODES], sum, private_sum = 0;
	const char *comm;
	unsigned nr, k;
	struct crowd c;
	struct tsv t, m;
	struct run r;
	size_t i, row, col;
	char name[16];

	SKIP_UNLESS_ROOT();
	if (access("/proc/self/numa_maps", R_OK) < 0) {
		print_message("no numa_maps (a kernel without NUMA): skipped\n");
		skip();
	}
	comm = unique_word(fx, "pdnuma");
	for (i = 0; i < T6_WORKERS; i++) {
		specs[i] = (struct wspec){ comm, 0, (i + 2) * MIB };
		private_sum += specs[i].private_bytes;
	}
	spawn_crowd(fx, 4 * MIB, specs, T6_WORKERS, &c);
	read_crowd(fx, &c, before);

	run_pssum(fx, &r, "-r", "--numa", "-p", c.pids, "-x", "+PID");
	assert_crowd_still(fx, &c, before);
	assert_silent_run(&r);
	tsv_parse(fx, &r, &t);
	assert_int_equal(t.nrows, T6_WORKERS);
	/* RSS, then a column per node: N<id> */
	assert_true(tsv_has(&t, "RSS"));
	for (i = 0; i < T6_WORKERS; i++) {
		assert_int_equal(strtol(tsv_cell(&t, i, "PID"), NULL, 10),
				 c.w[i].pid);
		nr = numa_oracle(fx, c.w[i].pid, 0, false, node);
		sum = 0;
		for (k = 0; k < T6_MAXNODES; k++) {
			snprintf(name, sizeof(name), "N%u", k);
			if (!tsv_has(&t, name)) {
				/* no column: the node is not online, so
				 * nothing of it is mapped */
				assert_int_equal(node[k], 0);
				continue;
			}
			assert_int_equal(tsv_u64(&t, i, name), node[k]);
			sum += node[k];
		}
		assert_in_range(nr, 1, T6_MAXNODES);
		print_message("pid %d: %" PRIu64 " bytes on %u node(s), RSS %"
			      PRIu64 "\n", (int)c.w[i].pid, sum, nr,
			      tsv_u64(&t, i, "RSS"));
		/* the private region alone, on any node: its pages */
		numa_oracle(fx, c.w[i].pid, c.w[i].private_addr, true, node);
		for (sum = 0, k = 0; k < T6_MAXNODES; k++)
			sum += node[k];
		assert_int_equal(sum, specs[i].private_bytes);
	}

	/* -m: the private regions' row holds their pages, every node's. */
	run_pssum(fx, &r, "-m", "-r", "--numa", "-p", c.pids);
	assert_crowd_still(fx, &c, before);
	assert_silent_run(&r);
	tsv_parse(fx, &r, &m);
	row = tsv_only_row(&m, "MAPPING",
			   "/memfd:" PD_WORKER_MEMFD " (deleted)");
	for (sum = 0, col = 0; col < m.ncols; col++)
		if (m.hdr[col][0] == 'N' && m.hdr[col][1] >= '0' &&
		    m.hdr[col][1] <= '9')
			sum += tsv_u64(&m, row, m.hdr[col]);
	assert_int_equal(sum, private_sum);
	assert_int_equal(tsv_u64(&m, row, "RSS"), private_sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_workers_pss_and_uss_sums_are_exact,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_identical_workers_are_never_merged,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_group_sums_equal_member_sums,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_process_exiting_mid_scan_is_skipped,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_jobs_do_not_change_the_answer,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_numa_bytes_are_what_numa_maps_names,
			setup, teardown),
	};

	/* Workers whose leader died come back to us, so teardown can reap
	 * them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* Columns are always given; nothing from the environment may change
	 * the tool's defaults. */
	unsetenv("PSSUM_COLUMNS");
	unsetenv("PSSUM_MAPPING_COLUMNS");
	unsetenv("PSSUM_SUMMARY_COLUMNS");
	unsetenv("PSSUM_DIFF_COLUMNS");
	signal(SIGPIPE, SIG_IGN);
	/* PD_SCENARIO_FILTER='*jobs*' runs only the matching tests. */
	if (getenv("PD_SCENARIO_FILTER"))
		cmocka_set_test_filter(getenv("PD_SCENARIO_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
