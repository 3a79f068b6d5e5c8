/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: a captured tree built from the input, read end to end
 * by every engine (deadscan, memscan, pscan, oomscan, dfscan) as the tools
 * read it with --proc-root.
 *
 * The input is a list of records "PATH\0LEN\0CONTENT", LEN in decimal (the
 * content holds NULs: cmdline): a regular file PATH of the tree
 * (mountinfo, 100/status, 100/linkstat, 100/fdinfo/3, ...) with CONTENT,
 * or, when PATH starts with '@', a symlink whose target text is CONTENT
 * (100/fd/3, 100/exe, 100/ns/mnt). Paths are relative, made of
 * [A-Za-z0-9._:+-] components, never "..". The tree always holds the
 * "procdiag-capture" marker: stats of links come from linkstat, nothing
 * outside the tree is stat'ed or opened. Seeds: the fixture trees, packed
 * by tests/fuzz/make-tree-seeds.sh.
 *
 * Besides the sanitizers, it checks what the engines promise: a scan ends
 * in 0 or a negative errno; a fatal error kept by the procfs context is
 * never lost behind a 0; -PD_ENOTREG always names its file.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgname.h"
#include "deadscan.h"
#include "dfscan.h"
#include "memscan.h"
#include "oomscan.h"
#include "procfs.h"
#include "pscan.h"

#define MAX_RECORDS 512
#define MAX_PATH 160
#define MAX_DEPTH 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char base[64];		/* our scratch directory, made once */
static char root[96];		/* base/proc: the tree of one input */

static int rm_entry(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)sb;
	(void)type;
	if (ftw->level > 0)
		remove(path);
	return 0;
}

static void clear_tree(void)
{
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' ||
	       c == '+' || c == '-';
}

/* A relative path of at most MAX_DEPTH names, none "." or "..". */
static bool path_ok(const char *p, size_t n)
{
	size_t i, start = 0, depth = 0;

	if (n == 0 || n > MAX_PATH)
		return false;
	for (i = 0; i <= n; i++) {
		size_t len;

		if (i < n && p[i] != '/') {
			if (!name_char(p[i]))
				return false;
			continue;
		}
		len = i - start;
		if (len == 0 || (len == 1 && p[start] == '.') ||
		    (len == 2 && p[start] == '.' && p[start + 1] == '.'))
			return false;
		if (++depth > MAX_DEPTH)
			return false;
		start = i + 1;
	}
	return true;
}

/* Make the parent directories of PATH (relative to the root). */
static void make_parents(const char *path)
{
	char buf[sizeof(root) + MAX_PATH + 2];
	size_t rl = strlen(root);
	char *s;

	snprintf(buf, sizeof(buf), "%s/%s", root, path);
	for (s = buf + rl + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(buf, 0755);
		*s = '/';
	}
}

static void add_record(const char *path, size_t plen, const char *content,
		       size_t clen)
{
	char name[MAX_PATH + 1], full[sizeof(root) + MAX_PATH + 2];
	bool link = path[0] == '@';
	int fd;

	if (link) {
		path++;
		plen--;
	}
	if (!path_ok(path, plen))
		return;
	memcpy(name, path, plen);
	name[plen] = '\0';
	make_parents(name);
	snprintf(full, sizeof(full), "%s/%s", root, name);
	if (link) {
		/* the target is text, as the kernel's links are */
		if (clen == 0 || clen >= 4096 || memchr(content, '\0', clen))
			return;
		symlinkat(content, AT_FDCWD, full);
		return;
	}
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return;
	if (clen && write(fd, content, clen) < 0) {
		/* a short tree is still a tree */
	}
	close(fd);
}

static void build_tree(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	char marker[sizeof(root) + 32];
	unsigned n = 0;
	int fd;

	while (p < end && n++ < MAX_RECORDS) {
		const char *pz = memchr(p, '\0', (size_t)(end - p));
		const char *lz, *c;
		unsigned long len = 0;
		char *copy;

		if (!pz)
			break;
		lz = memchr(pz + 1, '\0', (size_t)(end - pz - 1));
		if (!lz)
			break;
		for (c = pz + 1; c < lz && *c >= '0' && *c <= '9' &&
		     len < (1ul << 24); c++)
			len = len * 10 + (unsigned long)(*c - '0');
		c = lz + 1;
		if (len > (size_t)(end - c))
			len = (size_t)(end - c);
		/* NUL-terminated, for a symlink's target */
		copy = malloc(len + 1);
		if (!copy)
			break;
		memcpy(copy, c, len);
		copy[len] = '\0';
		add_record(p, (size_t)(pz - p), copy, len);
		free(copy);
		p = c + len;
	}
	snprintf(marker, sizeof(marker), "%s/procdiag-capture", root);
	fd = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

/* What every scan promises about its result R with its context PFS. */
static void check(struct pd_procfs *pfs, int r)
{
	if (r > 0)
		abort();
	/* a fatal error a read skipped is never lost behind a 0 */
	if (r == 0 && pd_procfs_error(pfs) != 0)
		abort();
	if (r == -PD_ENOTREG && !pd_procfs_bad_file(pfs))
		abort();
}

static void run_deadscan(void)
{
	struct pd_deadscan_opts opts = { .timeout_ms = 1000 };
	struct pd_deadfilter flt = { 0 };
	struct pd_deadscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	dev_t dev;
	size_t i;
	int r;

	if (pd_procfs_new(root, &pfs) < 0)
		return;
	if (pd_deadscan_new(pfs, &opts, &ds) < 0)
		goto out;
	r = pd_deadscan_run(ds);
	check(pfs, r);
	if (r < 0)
		goto out;
	if (pd_deadscan_select(ds, &flt) < 0)
		goto out;
	for (i = 0; i < pd_deadscan_nfiles(ds); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(ds, i);

		if (!f->path || !f->nholders || f->path_len != strlen(f->path))
			abort();
	}
	pd_deadscan_mount_dev(ds, "/", &dev);
out:
	pd_deadscan_free(ds);
	pd_procfs_free(pfs);
}

static void run_memscan(void)
{
	/* memfind --by process -o +CONTAINER: every field of a holder */
	struct pd_memscan_opts opts = {
		.timeout_ms = 1000,
		.identity = PD_PROC_STAT | PD_PROC_STATUS | PD_PROC_CMDLINE |
			    PD_PROC_CGROUP,
	};
	struct pd_memfilter flt = { 0 };
	struct pd_memscan *ms = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_memsummary sum;
	int r;

	if (pd_procfs_new(root, &pfs) < 0)
		return;
	if (pd_memscan_new(pfs, &opts, &ms) < 0)
		goto out;
	r = pd_memscan_run(ms);
	check(pfs, r);
	if (r < 0)
		goto out;
	if (pd_memscan_select(ms, &flt) < 0)
		goto out;
	pd_memscan_summary(ms, &sum);
out:
	pd_memscan_free(ms);
	pd_procfs_free(pfs);
}

/* NAMES: the cgroups named from their paths alone (pssum's container
 * and pod keys on a tree without --state-root). */
static void run_pscan(unsigned want, enum pd_pss_key key, bool names)
{
	struct pd_pscan_opts opts = {
		.want = want, .keys = &key, .nkeys = 1, .jobs = 1,
	};
	struct pd_procfs *pfs = NULL;
	struct pd_pscan *ps = NULL;
	struct pd_cgname_ctx *ctx = NULL;
	int r;

	if (names && pd_cgname_new(NULL, PD_CGNAME_PATH_ONLY, &ctx) < 0)
		return;
	opts.names = ctx;
	if (pd_procfs_new(root, &pfs) < 0)
		goto out;
	if (pd_pscan_new(pfs, &opts, &ps) < 0)
		goto out;
	r = pd_pscan_run(ps);
	check(pfs, r);
out:
	pd_pscan_free(ps);
	pd_procfs_free(pfs);
	pd_cgname_free(ctx);
}

static void run_oomscan(void)
{
	struct pd_oomscan_opts opts = {
		.want = PD_OOMSCAN_CMDLINE | PD_OOMSCAN_CGROUP,
		.page_size = 4096,
	};
	struct pd_oomscan *os = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_oomheld *held;
	size_t n;
	int r;

	if (pd_procfs_new(root, &pfs) < 0)
		return;
	if (pd_oomscan_new(pfs, &opts, &os) < 0)
		goto out;
	r = pd_oomscan_run(os);
	check(pfs, r);
	if (r < 0)
		goto out;
	/* the memfds of pid 1 (--explain) */
	if (pd_oomscan_memfds(os, 1, &held, &n) == 0)
		pd_oomheld_free(held, n);
out:
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
}

static void run_dfscan(void)
{
	struct pd_dfscan_opts opts = { .jobs = 1, .timeout_ms = 1000 };
	struct pd_procfs *pfs = NULL;
	struct pd_dfscan *ds = NULL;
	int r;

	if (pd_procfs_new(root, &pfs) < 0)
		return;
	if (pd_dfscan_new(pfs, &opts, &ds) < 0)
		goto out;
	r = pd_dfscan_run(ds);
	check(pfs, r);
out:
	pd_dfscan_free(ds);
	pd_procfs_free(pfs);
}

/* The scratch directory goes with the process (libFuzzer exits through
 * exit() at the end of a timed run). */
static void remove_base(void)
{
	clear_tree();
	rmdir(root);
	rmdir(base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!base[0]) {
		snprintf(base, sizeof(base), "%s/pd-fuzz-tree.XXXXXX",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(base))
			abort();
		snprintf(root, sizeof(root), "%s/proc", base);
		if (mkdir(root, 0755) < 0)
			abort();
		atexit(remove_base);
	}
	clear_tree();
	build_tree(data, size);
	run_deadscan();
	run_memscan();
	run_pscan(PD_PSCAN_UID | PD_PSCAN_CMDLINE | PD_PSCAN_CGROUP |
		  PD_PSCAN_EXE | PD_PSCAN_STATUS_MEM, PD_PSS_KEY_COMMAND, false);
	run_pscan(PD_PSCAN_MAPPINGS, PD_PSS_KEY_PID, false);
	/* pssum -g container --numa, and -m --numa */
	run_pscan(PD_PSCAN_NAMES | PD_PSCAN_NUMA, PD_PSS_KEY_CONTAINER, true);
	run_pscan(PD_PSCAN_MAPPINGS | PD_PSCAN_NUMA, PD_PSS_KEY_PID, false);
	run_oomscan();
	run_dfscan();
	return 0;
}
