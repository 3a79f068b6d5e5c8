/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario tests of memwhere on the real kernel: the live ledger adds up
 * to MemTotal; planted slab, a hugetlb pool, a memfd and a tmpfs file, a
 * zram device move their parts; a memory cgroup with tmpfs files and no
 * process, one whose hog is OOM-killed, one throttled at memory.high.
 * Root only, except the first; each skips with its reason where the
 * kernel or the machine cannot. */
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

#ifndef PD_MEMWHERE_BIN
#error "PD_MEMWHERE_BIN must be the path of the memwhere binary"
#endif

#define RUN_LIMIT_S 60.0
#define MIB (1024ull * 1024)
#define TRIES 5

struct fixture {
	pid_t kids[8];
	size_t nkids;
	char dir[128];			/* rmdir()ed at teardown */
	char cgroup[512];		/* rmdir()ed at teardown */
	long hugepages;			/* nr_hugepages to restore, or -1 */
	int zram;			/* zram device to reset and remove, -1 */
	struct owned owned;
};

static bool write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s);
}

/* PATH whole (a seq file comes a page per read), NUL-terminated. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (ssize_t)len;
}

static long read_long(const char *path)
{
	char buf[64];

	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtol(buf, NULL, 10);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->hugepages = -1;
	fx->zram = -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char buf[64];
	size_t i;
	int k;

	for (i = 0; i < fx->nkids; i++)
		kill(fx->kids[i], SIGKILL);
	for (i = 0; i < fx->nkids; i++)
		reap(fx->kids[i], 5000, NULL);
	if (fx->hugepages >= 0) {
		snprintf(buf, sizeof(buf), "%ld\n", fx->hugepages);
		if (!write_str("/proc/sys/vm/nr_hugepages", buf))
			print_message("could not restore nr_hugepages %ld\n",
				      fx->hugepages);
	}
	if (fx->zram >= 0) {
		snprintf(buf, sizeof(buf), "/sys/block/zram%d/reset", fx->zram);
		write_str(buf, "1\n");
		snprintf(buf, sizeof(buf), "%d\n", fx->zram);
		write_str("/sys/class/zram-control/hot_remove", buf);
	}
	/* a killed task leaves its cgroup a moment after it is reaped */
	for (k = 0; fx->cgroup[0] && k < 50 && rmdir(fx->cgroup) < 0 &&
	     errno != ENOENT; k++)
		sleep_ms(100);
	if (fx->dir[0] && rmdir(fx->dir) < 0 && errno != ENOENT)
		print_message("rmdir %s: %s\n", fx->dir, strerror(errno));
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

static void track(struct fixture *fx, pid_t pid)
{
	assert_in_range(fx->nkids, 0, 7);
	fx->kids[fx->nkids++] = pid;
}

/* /proc/meminfo's KEY in bytes (kB lines), or -1. */
static int64_t meminfo(const char *key)
{
	char buf[8192], *p;
	size_t kl = strlen(key);

	if (read_small("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return strtoll(p + kl + 1, NULL, 10) * 1024;
	return -1;
}

/*
 * meminfo's lines are vmstat counters whose per-CPU deltas are folded
 * only past a threshold: writing vm.stat_refresh folds them all (the
 * test does it, the tool never writes).
 */
static void fold_vmstat(void)
{
	write_str("/proc/sys/vm/stat_refresh", "1\n");
}

/* ---- running memwhere, reading its TSV ---------------------------------- */

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

/* The row whose KEY column is VAL (and PARENT is PARENT when not NULL). */
static long find_row(const struct tsv *t, const char *key, const char *val,
		     const char *parent)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (!strcmp(cell(t, i, key), val) &&
		    (!parent || !strcmp(cell(t, i, "PARENT"), parent)))
			return (long)i;
	return -1;
}

static int64_t cell_i64(const struct tsv *t, long row, const char *col)
{
	const char *s;

	if (row < 0)
		fail_msg("no such row for %s", col);
	s = cell(t, (size_t)row, col);
	if (!*s)
		fail_msg("%s is empty", col);
	return strtoll(s, NULL, 10);
}

static void run_memwhere(struct fixture *fx, struct tsv *t, int want,
			 const char *const *args)
{
	const char *argv[32];
	struct harness_run h;
	size_t n = 0;

	argv[n++] = PD_MEMWHERE_BIN;
	argv[n++] = "-r";
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &h);
	if (h.overran)
		fail_msg("memwhere overran %.0f s", RUN_LIMIT_S);
	if (!WIFEXITED(h.status) || WEXITSTATUS(h.status) != want)
		fail_msg("memwhere exited %d, not %d; stderr:\n%s", h.status,
			 want, h.err);
	tsv_parse(fx, h.out, t);
}

#define memwhere(fx, t, ...)						\
	do {								\
		const char *const args_[] = { __VA_ARGS__, NULL };	\
		run_memwhere((fx), (t), 0, args_);			\
	} while (0)

/* The SIZE of part PART (PARENT: a detail row under it). */
static int64_t part(const struct tsv *t, const char *name, const char *parent)
{
	return cell_i64(t, find_row(t, "PART", name, parent), "SIZE");
}

/* ---- 1. the live ledger adds up -------------------------------------------- */

static void test_live_ledger_adds_up_to_memtotal(void **state)
{
	struct fixture *fx = *state;
	int64_t sum = 0, total = meminfo("MemTotal");
	struct tsv t;
	size_t i;

	memwhere(fx, &t, "-o", "PART,KIND,SIZE");
	for (i = 0; i < t.nrows; i++)
		if (!strcmp(cell(&t, i, "KIND"), "part"))
			sum += strtoll(cell(&t, i, "SIZE"), NULL, 10);
	print_message("parts %" PRId64 ", MemTotal %" PRId64 ", remainder %" PRId64 "\n",
		      sum, total, part(&t, "remainder", NULL));
	assert_int_equal(sum, total);
	/* and so does a node's */
	memwhere(fx, &t, "--node", "-o", "PART,KIND,TOTAL");
	sum = 0;
	for (i = 0; i < t.nrows; i++)
		if (!strcmp(cell(&t, i, "KIND"), "part"))
			sum += strtoll(cell(&t, i, "TOTAL"), NULL, 10);
	if (find_row(&t, "PART", "free", NULL) >= 0)
		assert_int_equal(sum, total);
}

/* ---- 2. slab: 200 MiB of negative dentries ---------------------------------- */

#define SLAB_PLANT (200 * MIB)

/* The bytes one dentry takes in its slab: pagesperslab pages shared by
 * objperslab objects. */
static int64_t dentry_footprint(void)
{
	char *buf = malloc(1 << 20), *p;
	long objper = 0, pps = 0;
	int64_t r = -1;

	if (!buf || read_small("/proc/slabinfo", buf, 1 << 20) <= 0)
		goto out;
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "dentry ", 7) &&
		    sscanf(p, "dentry %*d %*d %*d %ld %ld", &objper, &pps) == 2)
			break;
	if (objper > 0 && pps > 0)
		r = pps * 4096 / objper;
out:
	free(buf);
	return r;
}

static long negative_dentries(void)
{
	char buf[256];
	long v[5];

	if (read_small("/proc/sys/fs/dentry-state", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3],
		   &v[4]) != 5)
		return -1;
	return v[4];
}

static void test_planted_slab_moves_the_slab_part(void **state)
{
	struct fixture *fx = *state;
	int64_t each = dentry_footprint(), slab0, slab1, d0, d1;
	long neg0, neg1, n, i;
	struct tsv t;
	char name[256];
	struct stat st;

	SKIP_UNLESS_ROOT();
	if (each <= 0) {
		print_message("no dentry cache in /proc/slabinfo: skipped\n");
		skip();
	}
	n = (long)(SLAB_PLANT / each);
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mw-slab.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	memwhere(fx, &t, "-v", "-o", "PART,PARENT,SIZE");
	slab0 = part(&t, "slab", NULL);
	d0 = find_row(&t, "PART", "dentry", "slab") >= 0 ?
	     part(&t, "dentry", "slab") : 0;
	neg0 = negative_dentries();
	/* a lookup of a name that does not exist leaves a negative dentry
	 * (on a disk file system; tmpfs drops them at once) */
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/no-such-name-%07ld", fx->dir, i);
		stat(name, &st);
	}
	neg1 = negative_dentries();
	if (neg0 >= 0 && neg1 - neg0 < n * 9 / 10) {
		print_message("%s keeps no negative dentries (%ld of %ld): skipped\n",
			      fx->dir, neg1 - neg0, n);
		skip();
	}
	memwhere(fx, &t, "-v", "-o", "PART,PARENT,SIZE");
	slab1 = part(&t, "slab", NULL);
	d1 = find_row(&t, "PART", "dentry", "slab") >= 0 ?
	     part(&t, "dentry", "slab") : 0;
	print_message("planted %ld dentries of %" PRId64 " bytes: slab %+" PRId64
		      ", dentry cache %+" PRId64 " (%" PRIu64 " planted)\n",
		      n, each, slab1 - slab0, d1 - d0, (uint64_t)(n * each));
	/*
	 * Tolerances: the dentry cache row moves by our dentries and by
	 * the lookups other tests make meanwhile (10%); the slab part also
	 * by every other cache (inodes of files other tests make, network
	 * buffers): 15% of 200 MiB. The machine runs other engineers' tests
	 * in parallel; measured undisturbed, both are within 1%.
	 */
	assert_in_range(d1 - d0, n * each * 9 / 10, n * each * 11 / 10);
	assert_in_range(slab1 - slab0, n * each * 85 / 100,
			n * each * 115 / 100);
}

/* ---- 3. a hugetlb pool ------------------------------------------------------ */

#define HUGE_PAGES 50

static void test_hugetlb_pool_moves_the_hugetlb_part(void **state)
{
	struct fixture *fx = *state;
	int64_t size = meminfo("Hugepagesize"), h0, h1, line0, line1;
	long orig = read_long("/proc/sys/vm/nr_hugepages"), now;
	char buf[32], *pool;
	struct tsv t;
	int attempt;

	SKIP_UNLESS_ROOT();
	if (orig < 0 || size <= 0) {
		print_message("no hugetlb pool on this kernel: skipped\n");
		skip();
	}
	memwhere(fx, &t, "-o", "PART,SIZE");
	h0 = part(&t, "hugetlb", NULL);
	fx->hugepages = orig;
	snprintf(buf, sizeof(buf), "%ld\n", orig + HUGE_PAGES);
	if (!write_str("/proc/sys/vm/nr_hugepages", buf)) {
		print_message("nr_hugepages: %s: skipped\n", strerror(errno));
		skip();
	}
	now = read_long("/proc/sys/vm/nr_hugepages");
	if (now <= orig) {
		print_message("no huge page could be allocated: skipped\n");
		skip();
	}
	pool = fx_printf(fx, "%" PRId64 "M", size / (int64_t)MIB);
	if (size >= 1024 * (int64_t)MIB)
		pool = fx_printf(fx, "%" PRId64 "G", size / (1024 * (int64_t)MIB));
	/* the part is the kernel's Hugetlb line: equal when it held still */
	for (attempt = 0; attempt < TRIES; attempt++) {
		line0 = meminfo("Hugetlb");
		memwhere(fx, &t, "-v", "-o", "PART,PARENT,SIZE");
		line1 = meminfo("Hugetlb");
		h1 = part(&t, "hugetlb", NULL);
		if (line0 == line1)
			break;
	}
	print_message("nr_hugepages %ld -> %ld: hugetlb %+" PRId64 "\n", orig,
		      now, h1 - h0);
	assert_int_equal(h1, line1 > 0 ? line1 : now * size);
	assert_int_equal(h1 - h0, (now - orig) * size);
	assert_int_equal(part(&t, pool, "hugetlb"), now * size);
}

/* ---- 4. a memfd and a tmpfs file -------------------------------------------- */

#define MEMFD_BYTES (256 * MIB)
#define TMPFS_BYTES (128 * MIB)
/* What other tests on this machine plant and free meanwhile: memfind's
 * scenario makes 4 MiB of memfd and 2 MiB of /dev/shm at a time. */
#define SHM_NOISE (8 * MIB)

static int fill(int fd, size_t len)
{
	static char buf[65536];
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

/* A child that makes its objects, says so on FD, and waits to die. */
static noreturn void hold(int fd, int err)
{
	if (write(fd, &err, sizeof(err)) != (ssize_t)sizeof(err))
		_exit(1);
	close(fd);
	for (;;)
		pause();
}

static pid_t spawn_holder(struct fixture *fx, const char *dir)
{
	pid_t parent = getpid(), pid;
	int p[2], err = -1;
	struct pollfd pf;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fd, mfd;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/* its own mount namespace: the tmpfs goes with it */
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("pd-mw", dir, "tmpfs", 0, "size=256m") < 0)
			hold(p[1], errno);
		fd = open(fx_printf(fx, "%s/file", dir),
			  O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || fill(fd, TMPFS_BYTES) < 0)
			hold(p[1], errno);
		mfd = memfd_create("pd-mw", 0);
		if (mfd < 0 || fill(mfd, MEMFD_BYTES) < 0)
			hold(p[1], errno);
		hold(p[1], 0);
	}
	close(p[1]);
	track(fx, pid);
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 20000) <= 0 ||
	    read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		fail_msg("the holder never said it was ready");
	close(p[0]);
	if (err)
		fail_msg("the holder failed: %s", strerror(err));
	return pid;
}

struct shmem_parts {
	int64_t shmem, tmpfs, memfd;
};

static void shmem_parts(struct fixture *fx, struct shmem_parts *ret)
{
	struct tsv t;

	fold_vmstat();
	memwhere(fx, &t, "-v", "-q", "-o", "PART,PARENT,SIZE");
	ret->shmem = part(&t, "shmem", NULL);
	ret->tmpfs = part(&t, "tmpfs", "shmem");
	ret->memfd = part(&t, "memfd", "shmem");
}

static void test_memfd_and_tmpfs_file_move_shmem_parts(void **state)
{
	struct fixture *fx = *state;
	struct shmem_parts a = { 0 }, b = { 0 };
	int attempt;

	SKIP_UNLESS_ROOT();
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mw-shm.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	/*
	 * Other tests make and free shmem too: our objects must move the
	 * parts by exactly their bytes in one of a few tries, or when the
	 * machine never held still, by their bytes within what the others
	 * plant (SHM_NOISE).
	 */
	for (attempt = 0; attempt < TRIES; attempt++) {
		pid_t pid;

		shmem_parts(fx, &a);
		pid = spawn_holder(fx, fx->dir);
		shmem_parts(fx, &b);
		kill(pid, SIGKILL);
		reap(pid, 5000, NULL);
		fx->nkids--;
		print_message("shmem %+" PRId64 ", tmpfs %+" PRId64 ", memfd %+" PRId64 "\n",
			      b.shmem - a.shmem, b.tmpfs - a.tmpfs,
			      b.memfd - a.memfd);
		if (b.tmpfs - a.tmpfs == (int64_t)TMPFS_BYTES &&
		    b.memfd - a.memfd == (int64_t)MEMFD_BYTES &&
		    b.shmem - a.shmem == (int64_t)(TMPFS_BYTES + MEMFD_BYTES))
			return;
	}
	print_message("never exact in %d tries: within %llu bytes\n", TRIES,
		      (unsigned long long)SHM_NOISE);
	assert_in_range(b.tmpfs - a.tmpfs, TMPFS_BYTES - SHM_NOISE,
			TMPFS_BYTES + SHM_NOISE);
	assert_in_range(b.memfd - a.memfd, MEMFD_BYTES - SHM_NOISE,
			MEMFD_BYTES + SHM_NOISE);
	assert_in_range(b.shmem - a.shmem, TMPFS_BYTES + MEMFD_BYTES - 2 * SHM_NOISE,
			TMPFS_BYTES + MEMFD_BYTES + 2 * SHM_NOISE);
}

/* ---- 5. a zram device ------------------------------------------------------- */

static void test_zram_device_is_a_detail_of_the_pool(void **state)
{
	struct fixture *fx = *state;
	char buf[256], *dev;
	uint64_t st[9] = { 0 };
	int64_t used, pool;
	struct tsv t;
	int fd, attempt;
	size_t i;

	SKIP_UNLESS_ROOT();
	/* a device of our own: zram0 may be someone else's */
	if (read_small("/sys/class/zram-control/hot_add", buf, sizeof(buf)) <= 0) {
		print_message("no zram-control (zram not loaded): skipped\n");
		skip();
	}
	fx->zram = atoi(buf);
	if (!write_str(fx_printf(fx, "/sys/block/zram%d/disksize", fx->zram),
		       "64M\n")) {
		print_message("zram%d disksize: %s: skipped\n", fx->zram,
			      strerror(errno));
		skip();
	}
	dev = fx_printf(fx, "/dev/zram%d", fx->zram);
	for (i = 0; i < 50 && access(dev, F_OK) < 0; i++)
		sleep_ms(100);
	fd = open(dev, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		print_message("%s: %s: skipped\n", dev, strerror(errno));
		skip();
	}
	/* 16 MiB of text-like data: compressible, not one repeated word */
	for (i = 0; i < 16 * MIB / sizeof(buf); i++) {
		snprintf(buf, sizeof(buf), "%0255zu", i * 2654435761u);
		assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	}
	assert_int_equal(fsync(fd), 0);
	close(fd);
	for (attempt = 0; attempt < TRIES; attempt++) {
		char path[64];
		FILE *f;

		snprintf(path, sizeof(path), "/sys/block/zram%d/mm_stat", fx->zram);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_int_equal(fscanf(f, "%" SCNu64 " %" SCNu64 " %" SCNu64,
					&st[0], &st[1], &st[2]), 3);
		fclose(f);
		memwhere(fx, &t, "-v", "-q", "-o", "PART,PARENT,SIZE");
		used = part(&t, fx_printf(fx, "zram%d", fx->zram), "zram-zswap");
		if (used == (int64_t)st[2])
			break;
	}
	pool = part(&t, "zram-zswap", NULL);
	print_message("zram%d stores %" PRIu64 " in %" PRIu64 "; the pool holds %" PRId64 "\n",
		      fx->zram, st[0], st[2], pool);
	assert_int_equal(used, (int64_t)st[2]);
	assert_true(st[0] == 16 * MIB);
	assert_true(pool >= used);
}

/* ---- memory cgroups --------------------------------------------------------- */

struct memcg {
	int version;
	const char *path;	/* as /proc/PID/cgroup shows it */
	const char *dir;
};

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

/* Our own cgroup path in the v1 memory hierarchy ("" for the root). */
static void own_v1_memcg(char *buf, size_t size)
{
	char data[4096], *line, *save = NULL;

	buf[0] = '\0';
	if (read_small("/proc/self/cgroup", data, sizeof(data)) <= 0)
		return;
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		if (strstr(c1 + 1, "memory")) {
			snprintf(buf, size, "%s", strcmp(c2 + 1, "/") ? c2 + 1 : "");
			return;
		}
	}
}

/*
 * A memory cgroup of our own: v2 under the root when /sys/fs/cgroup is
 * cgroup2 with the memory controller, else in the v1 memory hierarchy
 * under our own memory cgroup. WANT_V2: skip unless v2 (memory.high).
 */
static bool make_memcg(struct fixture *fx, struct memcg *cg, bool want_v2,
		       uint64_t limit)
{
	char buf[4096], own[1024], lim[32];
	const char *base;

	memset(cg, 0, sizeof(*cg));
	snprintf(lim, sizeof(lim), "%" PRIu64, limit);
	if (read_small("/sys/fs/cgroup/cgroup.controllers", buf, sizeof(buf)) >= 0 &&
	    has_word(buf, "memory")) {
		cg->version = 2;
		base = "/sys/fs/cgroup";
		if (read_small("/sys/fs/cgroup/cgroup.subtree_control", buf,
			       sizeof(buf)) < 0 ||
		    (!has_word(buf, "memory") &&
		     !write_str("/sys/fs/cgroup/cgroup.subtree_control", "+memory")))
			fail_msg("cannot enable the memory controller");
		cg->path = fx_printf(fx, "/pd-memwhere.%d", (int)getpid());
	} else if (access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0) {
		if (want_v2) {
			print_message("the memory controller is in cgroup v1 here; memory.high is v2's (the verdict is covered on fixtures: cli/memwhere/cgroup-subtree): skipped\n");
			return false;
		}
		cg->version = 1;
		base = "/sys/fs/cgroup/memory";
		own_v1_memcg(own, sizeof(own));
		cg->path = fx_printf(fx, "%s/pd-memwhere.%d", own, (int)getpid());
	} else {
		print_message("no memory cgroup controller: skipped\n");
		return false;
	}
	cg->dir = fx_printf(fx, "%s%s", base, cg->path);
	if (mkdir(cg->dir, 0755) < 0)
		fail_msg("mkdir %s: %s", cg->dir, strerror(errno));
	snprintf(fx->cgroup, sizeof(fx->cgroup), "%s", cg->dir);
	if (!limit)
		return true;
	if (cg->version == 2) {
		assert_true(write_str(fx_printf(fx, "%s/memory.max", cg->dir), lim));
		if (access(fx_printf(fx, "%s/memory.swap.max", cg->dir), F_OK) == 0)
			write_str(fx_printf(fx, "%s/memory.swap.max", cg->dir), "0");
	} else {
		assert_true(write_str(fx_printf(fx, "%s/memory.limit_in_bytes",
						cg->dir), lim));
		if (access(fx_printf(fx, "%s/memory.memsw.limit_in_bytes", cg->dir),
			   F_OK) == 0)
			write_str(fx_printf(fx, "%s/memory.memsw.limit_in_bytes",
					    cg->dir), lim);
	}
	print_message("memory cgroup v%d %s\n", cg->version, cg->path);
	return true;
}

#define CG_TMPFS (100 * MIB)

/*
 * The keeper: a mount namespace of its own with a tmpfs in it, outside
 * the cgroup; its child joins the cgroup, writes CG_TMPFS of files there
 * and exits. The files stay, charged to the cgroup, while the keeper
 * lives; no process of the cgroup is left.
 */
static pid_t spawn_keeper(struct fixture *fx, const struct memcg *cg)
{
	pid_t parent = getpid(), pid;
	int p[2], err = -1;
	struct pollfd pf;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *procs = fx_printf(fx, "%s/cgroup.procs", cg->dir);
		pid_t w;
		int st;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("pd-mw-cg", fx->dir, "tmpfs", 0, "size=256m") < 0)
			hold(p[1], errno);
		w = fork();
		if (w == 0) {
			int i, fd;

			if (!write_str(procs, "0"))
				_exit(10);
			for (i = 0; i < 10; i++) {
				fd = open(fx_printf(fx, "%s/f%d", fx->dir, i),
					  O_RDWR | O_CREAT | O_CLOEXEC, 0600);
				if (fd < 0 || fill(fd, CG_TMPFS / 10) < 0)
					_exit(11);
				close(fd);
			}
			_exit(0);
		}
		if (w < 0 || waitpid(w, &st, 0) != w || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			hold(p[1], EIO);
		hold(p[1], 0);
	}
	close(p[1]);
	track(fx, pid);
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 60000) <= 0 ||
	    read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		fail_msg("the keeper never said it was ready");
	close(p[0]);
	if (err)
		fail_msg("the keeper failed: %s", strerror(err));
	return pid;
}

static void test_cgroup_of_tmpfs_files_and_no_process_is_unmapped(void **state)
{
	struct fixture *fx = *state;
	struct memcg cg;
	struct tsv t;
	int64_t cur = 0, own = -1;
	int attempt;

	SKIP_UNLESS_ROOT();
	if (!make_memcg(fx, &cg, false, 0))
		skip();
	snprintf(fx->dir, sizeof(fx->dir), "/var/tmp/pd-mw-cg.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	spawn_keeper(fx, &cg);
	/* memory.stat's per-CPU counts are flushed every 2 s */
	sleep_ms(2500);
	for (attempt = 0; attempt < TRIES; attempt++) {
		memwhere(fx, &t, fx_printf(fx, "--cgroup=%s", cg.path), "-o",
			 "CGROUP,CURRENT,SHMEM,ANON,FILE_MAPPED,UNMAPPED,PROCS,NOTE");
		cur = cell_i64(&t, 0, "CURRENT");
		own = read_long(fx_printf(fx, "%s/%s", cg.dir, cg.version == 2 ?
					  "memory.current" :
					  "memory.usage_in_bytes"));
		if (cur == own && cell_i64(&t, 0, "SHMEM") == (int64_t)CG_TMPFS)
			break;
		sleep_ms(1000);
	}
	print_message("%s: current %" PRId64 " (the file says %" PRId64 "), shmem %s, unmapped %s, note: %s\n",
		      cell(&t, 0, "CGROUP"), cur, own, cell(&t, 0, "SHMEM"),
		      cell(&t, 0, "UNMAPPED"), cell(&t, 0, "NOTE"));
	assert_int_equal(t.nrows, 1);
	assert_string_equal(cell(&t, 0, "CGROUP"), cg.path);
	assert_int_equal(cur, own);
	assert_int_equal(cell_i64(&t, 0, "SHMEM"), CG_TMPFS);
	assert_int_equal(cell_i64(&t, 0, "PROCS"), 0);
	assert_int_equal(cell_i64(&t, 0, "ANON"), 0);
	assert_int_equal(cell_i64(&t, 0, "FILE_MAPPED"), 0);
	/* charged, mapped by nobody: all of it, exactly */
	assert_int_equal(cell_i64(&t, 0, "UNMAPPED"), cur);
	assert_non_null(strstr(cell(&t, 0, "NOTE"), "charged that no process maps"));
	assert_non_null(strstr(cell(&t, 0, "NOTE"), "no process"));
}

/* A hog: joins the cgroup, says so, then touches BYTES of anonymous
 * memory a page at a time and sleeps. */
static pid_t spawn_hog(struct fixture *fx, const struct memcg *cg,
		       size_t bytes)
{
	pid_t parent = getpid(), pid;
	int p[2], err = -1;
	struct pollfd pf;

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *m;
		size_t i;

		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		if (!write_str(fx_printf(fx, "%s/cgroup.procs", cg->dir), "0"))
			hold(p[1], errno);
		err = 0;
		if (write(p[1], &err, sizeof(err)) != (ssize_t)sizeof(err))
			_exit(1);
		close(p[1]);
		m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(2);
		for (i = 0; i < bytes; i += 4096)
			m[i] = (char)i;
		for (;;)
			pause();
	}
	close(p[1]);
	track(fx, pid);
	pf.fd = p[0];
	pf.events = POLLIN;
	if (poll(&pf, 1, 20000) <= 0 ||
	    read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		fail_msg("the hog never said it joined");
	close(p[0]);
	if (err)
		fail_msg("the hog could not join: %s", strerror(err));
	return pid;
}

static void test_oom_killed_hog_counts_one_kill(void **state)
{
	struct fixture *fx = *state;
	struct memcg cg;
	struct tsv t;
	pid_t hog;
	int st = 0;

	SKIP_UNLESS_ROOT();
	if (!make_memcg(fx, &cg, false, 64 * MIB))
		skip();
	hog = spawn_hog(fx, &cg, 256 * MIB);
	if (!reap(hog, 60000, &st))
		fail_msg("the hog was not killed within 60 s");
	fx->nkids--;
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	memwhere(fx, &t, fx_printf(fx, "--cgroup=%s", cg.path), "-o",
		 "CGROUP,MAX,EV_OOM_KILL,NOTE");
	print_message("%s: max %s, oom kills %s, note: %s\n", cell(&t, 0, "CGROUP"),
		      cell(&t, 0, "MAX"), cell(&t, 0, "EV_OOM_KILL"),
		      cell(&t, 0, "NOTE"));
	assert_int_equal(cell_i64(&t, 0, "MAX"), 64 * MIB);
	assert_int_equal(cell_i64(&t, 0, "EV_OOM_KILL"), 1);
	assert_non_null(strstr(cell(&t, 0, "NOTE"), "1 process OOM-killed"));
}

static void test_memory_high_throttles_the_hog(void **state)
{
	struct fixture *fx = *state;
	struct memcg cg;
	struct tsv t;
	const char *over;

	SKIP_UNLESS_ROOT();
	if (!make_memcg(fx, &cg, true, 0))
		skip();
	assert_true(write_str(fx_printf(fx, "%s/memory.high", cg.dir), "64M"));
	if (access(fx_printf(fx, "%s/memory.swap.max", cg.dir), F_OK) == 0)
		write_str(fx_printf(fx, "%s/memory.swap.max", cg.dir), "0");
	/* 128 MiB of anonymous memory and no swap: reclaim cannot bring
	 * it under memory.high, the kernel throttles every allocation */
	spawn_hog(fx, &cg, 128 * MIB);
	sleep_ms(5000);
	memwhere(fx, &t, "-i", "2", fx_printf(fx, "--cgroup=%s", cg.path), "-o",
		 "CGROUP,CURRENT,HIGH,EV_HIGH,PSI_SOME,NOTE");
	print_message("%s: high events %s in 2 s, pressure some %s, note: %s\n",
		      cell(&t, 0, "CGROUP"), cell(&t, 0, "EV_HIGH"),
		      cell(&t, 0, "PSI_SOME"), cell(&t, 0, "NOTE"));
	assert_int_equal(cell_i64(&t, 0, "HIGH"), 64 * MIB);
	assert_true(cell_i64(&t, 0, "EV_HIGH") > 0);
	over = cell(&t, 0, "PSI_SOME");
	if (*over)	/* a kernel without PSI has no memory.pressure */
		assert_true(strtod(over, NULL) > 0);
	assert_non_null(strstr(cell(&t, 0, "NOTE"), "throttled"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_live_ledger_adds_up_to_memtotal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_planted_slab_moves_the_slab_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hugetlb_pool_moves_the_hugetlb_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memfd_and_tmpfs_file_move_shmem_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zram_device_is_a_detail_of_the_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_of_tmpfs_files_and_no_process_is_unmapped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom_killed_hog_counts_one_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_high_throttles_the_hog, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
