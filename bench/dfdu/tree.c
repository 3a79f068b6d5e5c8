/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/dfdu/tree: make the benchmark's tree under DIR: NDIRS directories
 * (two levels) of NFILES files each, of mixed small sizes, and every
 * LINK_EVERY-th file hard-linked once more into another directory.
 * Usage: tree DIR NDIRS NFILES LINK_EVERY; prints "files links". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char data[20000];
	unsigned long ndirs, nfiles, every, d, f, files = 0, links = 0;
	char path[4096], other[4096];

	if (argc != 5) {
		fprintf(stderr, "usage: tree DIR NDIRS NFILES LINK_EVERY\n");
		return 2;
	}
	ndirs = strtoul(argv[2], NULL, 10);
	nfiles = strtoul(argv[3], NULL, 10);
	every = strtoul(argv[4], NULL, 10);
	memset(data, 'b', sizeof(data));
	for (d = 0; d < ndirs; d++) {
		snprintf(path, sizeof(path), "%s/g%lu", argv[1], d / 32);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			goto fail;
		snprintf(path, sizeof(path), "%s/g%lu/d%lu", argv[1], d / 32, d);
		if (mkdir(path, 0755) < 0)
			goto fail;
	}
	for (d = 0; d < ndirs; d++) {
		for (f = 0; f < nfiles; f++) {
			/* 40% empty, 40% 100 B, 15% 3000 B, 5% 20000 B */
			unsigned long k = (d * nfiles + f) % 20;
			size_t size = k < 8 ? 0 : k < 16 ? 100 : k < 19 ? 3000 : 20000;
			int fd;

			snprintf(path, sizeof(path), "%s/g%lu/d%lu/f%lu",
				 argv[1], d / 32, d, f);
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd < 0)
				goto fail;
			if (size && write(fd, data, size) != (ssize_t)size)
				goto fail;
			close(fd);
			files++;
			if (every && (d * nfiles + f) % every == 0) {
				unsigned long od = (d + ndirs / 2 + 1) % ndirs;

				snprintf(other, sizeof(other),
					 "%s/g%lu/d%lu/l%lu-%lu", argv[1],
					 od / 32, od, d, f);
				if (link(path, other) < 0)
					goto fail;
				links++;
			}
		}
	}
	printf("%lu %lu\n", files, links);
	return 0;
fail:
	perror(path);
	return 1;
}
