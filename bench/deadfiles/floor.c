/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The floor of the deadfiles benchmark: the least work any tool that finds
 * deleted-but-open files must do. For every numeric /proc entry, open its
 * fd/ directory and readlink every entry (readlinkat on the directory fd).
 * Nothing else: no maps, no stat, no output but one count line at the end.
 *
 * With --maps it also reads each process's maps whole and readlinks its
 * cwd, root and exe: the least work of a tool that also finds deleted files
 * held only by a mapping or as cwd/root/exe (lsof and lsfd skip those).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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

static void read_extras(int pfd, const char *pid, char *buf, size_t bufsz)
{
	static const char *const names[] = { "cwd", "root", "exe" };
	char path[300];
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/maps", pid);
	fd = openat(pfd, path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (read(fd, buf, bufsz) > 0)
			;
		close(fd);
	}
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", pid, names[i]);
		readlinkat(pfd, path, buf, bufsz);
	}
}

int main(int argc, char **argv)
{
	unsigned long procs = 0, links = 0;
	static char mbuf[1 << 16];
	char path[300], buf[4096];
	int maps = argc > 1 && !strcmp(argv[1], "--maps");
	struct dirent *de, *e;
	DIR *proc, *d;
	int pfd, dfd;

	proc = opendir("/proc");
	if (!proc) {
		perror("floor: /proc");
		return 1;
	}
	pfd = dirfd(proc);
	while ((de = readdir(proc))) {
		if (!all_digits(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/fd", de->d_name);
		dfd = openat(pfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			continue;
		d = fdopendir(dfd);
		if (!d) {
			close(dfd);
			continue;
		}
		procs++;
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			if (readlinkat(dfd, e->d_name, buf, sizeof(buf)) >= 0)
				links++;
		}
		closedir(d);
		if (maps)
			read_extras(pfd, de->d_name, mbuf, sizeof(mbuf));
	}
	closedir(proc);
	printf("%lu processes, %lu fd links\n", procs, links);
	return 0;
}
