/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsimg: loop file systems for the scenario tests of the readers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fsimg.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static bool private_ns, no_private_ns;

int fsimg_setup(void **state, const char *tag)
{
	struct fsimg *fi;

	*state = NULL;
	if (geteuid() != 0)
		return 0;
	if (!private_ns) {
		/* Our mounts vanish with this process, even after a crash. */
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			if (!no_private_ns)
				print_message("no private mount namespace here "
					      "(%s): the loop tests are skipped\n",
					      strerror(errno));
			no_private_ns = true;
			return 0;
		}
		private_ns = true;
	}
	fi = calloc(1, sizeof(*fi));
	if (!fi)
		return -1;
	snprintf(fi->dir, sizeof(fi->dir), "%s/pd-%s.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag);
	if (!mkdtemp(fi->dir)) {
		free(fi);
		return -1;
	}
	snprintf(fi->mnt, sizeof(fi->mnt), "%s/mnt", fi->dir);
	if (mkdir(fi->mnt, 0755) < 0) {
		rmdir(fi->dir);
		free(fi);
		return -1;
	}
	*state = fi;
	return 0;
}

int fsimg_teardown(void **state)
{
	struct fsimg *fi = *state;
	char cmd[700];
	size_t i;

	if (!fi)
		return 0;
	if (fi->mounted && umount2(fi->mnt, 0) < 0)
		umount2(fi->mnt, MNT_DETACH);
	for (i = 0; i < fi->nloops; i++) {
		snprintf(cmd, sizeof(cmd), "losetup -d '%s' 2>/dev/null",
			 fi->loops[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "teardown: cannot detach %s\n",
				fi->loops[i]);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fi->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "teardown: cannot remove %s\n", fi->dir);
	owned_free(&fi->own);
	free(fi);
	*state = NULL;
	return 0;
}

char *fsimg_printf(struct fsimg *fi, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = owned_vprintf(&fi->own, fmt, ap);
	va_end(ap);
	return s;
}

void fsimg_sh(struct fsimg *fi, const char *cmd)
{
	int st = system(cmd);

	(void)fi;
	if (st != 0)
		fail_msg("'%s' failed (status %d)", cmd, st);
}

char *fsimg_out(struct fsimg *fi, const char *cmd)
{
	char *buf = NULL;
	size_t len = 0;
	char chunk[4096];
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	assert_non_null(p);
	buf_add(&buf, &len, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&buf, &len, chunk, n);
	st = pclose(p);
	owned_add(&fi->own, buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (st != 0)
		fail_msg("'%s' failed (status %d): %s", cmd, st, buf);
	return buf;
}

unsigned long long fsimg_num(struct fsimg *fi, const char *cmd)
{
	char *s = fsimg_out(fi, cmd), *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		fail_msg("'%s' printed '%s', not a number", cmd, s);
	return v;
}

const char *fsimg_loop(struct fsimg *fi, const char *name, unsigned size_mb)
{
	char *img = fsimg_printf(fi, "%s/%s", fi->dir, name);
	char *dev;

	assert_true(fi->nloops < FSIMG_MAX_LOOPS);
	fsimg_sh(fi, fsimg_printf(fi, "truncate -s %uM '%s'", size_mb, img));
	dev = fsimg_out(fi, fsimg_printf(fi, "losetup -f --show '%s'", img));
	assert_true(strlen(dev) < sizeof(fi->loops[0]));
	strcpy(fi->loops[fi->nloops++], dev);
	return dev;
}

void fsimg_mount(struct fsimg *fi, const char *type, const char *dev,
		 const char *opts)
{
	fsimg_sh(fi, fsimg_printf(fi, "mount -t %s %s%s '%s' '%s'", type,
				  opts ? "-o " : "", opts ? opts : "", dev,
				  fi->mnt));
	fi->mounted = true;
}

void fsimg_umount(struct fsimg *fi)
{
	assert_int_equal(umount2(fi->mnt, 0), 0);
	fi->mounted = false;
}

unsigned long long fsimg_df_used(struct fsimg *fi)
{
	return fsimg_num(fi, fsimg_printf(fi, "df -B1 --output=used '%s' | "
					  "tail -n 1", fi->mnt));
}

unsigned long long fsimg_du(struct fsimg *fi, const char *path)
{
	return fsimg_num(fi, fsimg_printf(fi, "du -sxB1 '%s' | cut -f1",
					  path));
}

void fsimg_write(const char *path, unsigned long long bytes, int c)
{
	static char buf[1 << 20];
	unsigned long long done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	memset(buf, c, sizeof(buf));
	while (done < bytes) {
		size_t n = bytes - done < sizeof(buf) ? bytes - done :
			   sizeof(buf);

		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		done += n;
	}
	assert_int_equal(fsync(fd), 0);
	close(fd);
}
