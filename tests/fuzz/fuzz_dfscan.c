/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: dfscan's mount-table handling end to end, on a
 * captured tree written per input: the input is the mountinfo text of
 * every pid (up to its first NUL), the dfdu-statvfs text (up to the second
 * NUL) and absolute path arguments, one a line. The tree is a copy of
 * tests/fixtures/dfdu/proc made once (its pids hold deleted files by mount
 * id), so the deleted-file scan and pd_dfscan_file_on() meet the fuzzed
 * table too. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dfscan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char top[256];
static char proc[300];
static const char *const pids[] = { "1", "100", "101" };

static void remove_top(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_dfscan: cannot remove %s\n", top);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char cmd[800];

	(void)argc;
	(void)argv;
	snprintf(top, sizeof(top), "%s/pd-fuzz-dfscan.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top))
		abort();
	atexit(remove_top);
	snprintf(proc, sizeof(proc), "%s/proc", top);
	snprintf(cmd, sizeof(cmd), "cp -a '%s/dfdu/proc' '%s'",
		 PD_FIXTURES_DIR, proc);
	if (system(cmd) != 0)
		abort();
	return 0;
}

static void put(const char *rel, const void *buf, size_t len)
{
	char path[400];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", proc, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || (len && write(fd, buf, len) != (ssize_t)len))
		abort();
	close(fd);
}

/* What dfscan promises of any table. */
static void check(const struct pd_dfscan *ds)
{
	const struct pd_deadscan *dead = pd_dfscan_deadscan(ds);
	size_t i, j, k;

	for (i = 0; i < pd_dfscan_nfs(ds); i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

		if (!fs->mount || fs->mount[0] != '/' || !fs->fstype ||
		    !fs->source || !fs->root || !fs->mounts)
			abort();
		/* a captured tree is never walked */
		if (fs->walk_why != PD_DF_NOT_WALKED || fs->gap_known)
			abort();
		for (j = 0; j < i; j++)
			if (pd_dfscan_fs(ds, j)->dev == fs->dev)
				abort();
		for (j = 0; j < fs->ncovered; j++) {
			const char *p = fs->covered[j].path;

			if (!fs->covered[j].mount || !p || p[0] != '/')
				abort();
			/* no directory twice, none inside another */
			for (k = 0; k < fs->ncovered; k++) {
				const char *q = fs->covered[k].path;
				size_t l = strlen(q);

				if (k != j && (!strcmp(p, q) ||
				    (!strncmp(p, q, l) && p[l] == '/')))
					abort();
			}
		}
	}
	/* a deleted file is on one file system at most */
	for (k = 0; k < pd_deadscan_nfiles(dead); k++) {
		const struct pd_deadfile *f = pd_deadscan_file(dead, k);
		size_t on = 0;

		for (i = 0; i < pd_dfscan_nfs(ds); i++)
			on += pd_dfscan_file_on(ds, pd_dfscan_fs(ds, i), f);
		if (on > 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_dfscan_opts o = { .jobs = 1, .timeout_ms = 100,
				    .walk = true, .remote = size % 2,
				    .max_paths = 4 };
	const uint8_t *end = data + size, *nul, *sv = end, *paths = end;
	size_t milen = size;
	struct pd_procfs *pfs = NULL;
	struct pd_dfscan *ds = NULL;
	char rel[64];
	size_t i;
	int r;

	nul = memchr(data, '\0', size);
	if (nul) {
		milen = (size_t)(nul - data);
		sv = nul + 1;
		nul = memchr(sv, '\0', (size_t)(end - sv));
		paths = nul ? nul + 1 : end;
	}
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		snprintf(rel, sizeof(rel), "%s/mountinfo", pids[i]);
		put(rel, data, milen);
	}
	put("dfdu-statvfs", sv, (size_t)((nul ? nul : end) - sv));

	if (pd_procfs_new(proc, &pfs) < 0)
		abort();
	if (pd_dfscan_new(pfs, &o, &ds) < 0)
		goto out;
	while (paths < end) {
		const uint8_t *nl = memchr(paths, '\n', (size_t)(end - paths));
		size_t len = (size_t)((nl ? nl : end) - paths);
		char *p;

		if (len && paths[0] == '/' && !memchr(paths, '\0', len)) {
			p = strndup((const char *)paths, len);
			if (!p)
				abort();
			r = pd_dfscan_add_path(ds, p);
			free(p);
			if (r < 0 && r != -ENOMEM)
				abort();
		}
		paths = nl ? nl + 1 : end;
	}
	r = pd_dfscan_run(ds);
	if (r == 0)
		check(ds);
	else if (r != -EINVAL && r != -ENOENT && r != -ENOMEM)
		abort();
out:
	pd_dfscan_free(ds);
	pd_procfs_free(pfs);
	return 0;
}
