/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor of the oomrank benchmark: the least work any tool that lists
 * every process's OOM score must do. For every numeric /proc entry, open
 * its oom_score, read it once, close it. Nothing else: no status, no
 * oom_score_adj, no names, no sorting; one count line at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	unsigned long procs = 0, read_ok = 0, total = 0;
	struct dirent *de;
	char path[300], buf[32];
	int pfd, fd;
	ssize_t n;
	DIR *d;

	pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = pfd < 0 ? NULL : fdopendir(dup(pfd));
	if (!d) {
		perror("/proc");
		return 2;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		procs++;
		snprintf(path, sizeof(path), "%s/oom_score", de->d_name);
		fd = openat(pfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		read_ok++;
		total += strtoul(buf, NULL, 10);
	}
	closedir(d);
	printf("%lu processes, %lu oom_score read (sum %lu)\n", procs, read_ok,
	       total);
	return 0;
}
