/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor of the pssum benchmark: the least work any tool that sums PSS
 * per process must do. For every numeric /proc entry: openat its
 * smaps_rollup, one read() into an 8 KiB buffer (the kernel hands the whole
 * rollup, about 1 KiB, to one read), close. Nothing parsed, no other file
 * (no stat, status or cmdline), no output but one count line at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int main(void)
{
	unsigned long procs = 0, read_ok = 0, bytes = 0;
	char path[300], buf[8192];
	struct dirent *de;
	DIR *proc;
	int pfd, fd;

	proc = opendir("/proc");
	if (!proc) {
		perror("floor: /proc");
		return 1;
	}
	pfd = dirfd(proc);
	while ((de = readdir(proc))) {
		ssize_t n;

		if (!all_digits(de->d_name))
			continue;
		procs++;
		snprintf(path, sizeof(path), "%s/smaps_rollup", de->d_name);
		fd = openat(pfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0) {
			read_ok++;
			bytes += (unsigned long)n;
		}
	}
	closedir(proc);
	printf("%lu processes, %lu rollups read (%lu bytes)\n", procs, read_ok,
	       bytes);
	return 0;
}
