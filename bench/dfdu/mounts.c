/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench/dfdu/mounts: add mounts under DIR as a Kubernetes node carries them:
 * mount FROM to TO-1 of DIR/p<i>, each a tmpfs (a secret or token volume,
 * a file system of its own) when i is even, else a bind mount of SRC (a
 * volume or subPath, the same file system as SRC). Run it in a private
 * mount namespace. Usage: mounts DIR SRC FROM TO */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	unsigned long from, to, i;
	char path[4096];

	if (argc != 5) {
		fprintf(stderr, "usage: mounts DIR SRC FROM TO\n");
		return 2;
	}
	from = strtoul(argv[3], NULL, 10);
	to = strtoul(argv[4], NULL, 10);
	for (i = from; i < to; i++) {
		snprintf(path, sizeof(path), "%s/p%lu", argv[1], i);
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			goto fail;
		if (i % 2 == 0 ? mount("tmpfs", path, "tmpfs", 0,
				       "size=64k") < 0 :
		    mount(argv[2], path, NULL, MS_BIND, NULL) < 0)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "mounts: %s: %s\n", path, strerror(errno));
	return 1;
}
