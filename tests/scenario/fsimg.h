/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsimg: loop file systems for the scenario tests of the file system
 * readers: a private mount namespace, a mkdtemp directory, sparse images
 * on loop devices that are always detached, and shell helpers. */
#ifndef PD_SCENARIO_FSIMG_H
#define PD_SCENARIO_FSIMG_H

#include <stdbool.h>
#include <sys/types.h>

#include "harness.h"

#define FSIMG_MAX_LOOPS 4

struct fsimg {
	struct owned own;
	char dir[256];			/* the test's temp directory */
	char mnt[300];			/* DIR/mnt */
	bool mounted;
	char loops[FSIMG_MAX_LOOPS][64];	/* attached by us */
	size_t nloops;
};

/*
 * Enter a private mount namespace (once per process) and make a fresh
 * FSIMG in *STATE. Leaves *STATE NULL, after saying why once, when not
 * root or when no private namespace can be had: the test then skips.
 * Returns 0, or -1 when a temp directory cannot be made.
 */
int fsimg_setup(void **state, const char *tag);
/* Unmount, detach our loop devices, remove the directory. */
int fsimg_teardown(void **state);

/* A string fsimg_teardown() frees. */
char *fsimg_printf(struct fsimg *fi, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Run CMD under sh; fail the test unless it exits 0. */
void fsimg_sh(struct fsimg *fi, const char *cmd);
/* CMD's standard output, its last newline removed; fails unless exit 0. */
char *fsimg_out(struct fsimg *fi, const char *cmd);
/* CMD's output as a number. */
unsigned long long fsimg_num(struct fsimg *fi, const char *cmd);

/* Make a SIZE_MB sparse file DIR/NAME and attach it to a loop device;
 * returns the device's path. */
const char *fsimg_loop(struct fsimg *fi, const char *name, unsigned size_mb);
/* mount -t TYPE [-o OPTS] DEV on DIR/mnt. */
void fsimg_mount(struct fsimg *fi, const char *type, const char *dev,
		 const char *opts);
void fsimg_umount(struct fsimg *fi);

/* df -B1's "used" and du -sxB1 of the mount point. */
unsigned long long fsimg_df_used(struct fsimg *fi);
unsigned long long fsimg_du(struct fsimg *fi, const char *path);

/* Write BYTES of the byte C to PATH and fsync it. */
void fsimg_write(const char *path, unsigned long long bytes, int c);

#endif
