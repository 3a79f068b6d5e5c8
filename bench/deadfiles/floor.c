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
 *
 * With --full it does the reads deadfiles cannot do without: every fd
 * link, a stat of each link that says " (deleted)", the maps whole, and a
 * stat of map_files/ for each mapping of a deleted file. That is the floor
 * of the "many holders" workload, where there are many candidates.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

static const char *const deleted = " (deleted)";

static int is_deleted(const char *s, size_t len)
{
	size_t dl = strlen(deleted);

	return len > dl && !memcmp(s + len - dl, deleted, dl);
}

/* Read PID's maps and stat map_files/ of every deleted file's mapping. */
static void read_maps_full(int pfd, const char *pid, char *buf, size_t bufsz)
{
	char path[300];
	size_t have = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/maps", pid);
	fd = openat(pfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = read(fd, buf + have, bufsz - 1 - have)) > 0) {
		char *line = buf, *nl;

		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = memchr(line, '\n', have - (size_t)(line - buf)))) {
			struct stat st;
			char *dash = strchr(line, '-'), *sp;

			*nl = '\0';
			sp = dash ? strchr(dash, ' ') : NULL;
			if (sp && is_deleted(line, (size_t)(nl - line))) {
				snprintf(path, sizeof(path), "%s/map_files/%.*s",
					 pid, (int)(sp - line), line);
				fstatat(pfd, path, &st, 0);
			}
			line = nl + 1;
		}
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long procs = 0, links = 0;
	static char mbuf[1 << 16];
	char path[300], buf[4096];
	int maps = argc > 1 && !strcmp(argv[1], "--maps");
	int full = argc > 1 && !strcmp(argv[1], "--full");
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
			ssize_t n = readlinkat(dfd, e->d_name, buf, sizeof(buf));
			struct stat st;

			if (n < 0)
				continue;
			links++;
			if (full && is_deleted(buf, (size_t)n))
				fstatat(dfd, e->d_name, &st, 0);
		}
		closedir(d);
		if (maps)
			read_extras(pfd, de->d_name, mbuf, sizeof(mbuf));
		if (full)
			read_maps_full(pfd, de->d_name, mbuf, sizeof(mbuf));
	}
	closedir(proc);
	printf("%lu processes, %lu fd links\n", procs, links);
	return 0;
}
