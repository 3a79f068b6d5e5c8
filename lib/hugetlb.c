/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hugetlb: the hugetlb pools of sysfs, per page size, machine or node. */
#include "hugetlb.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"

int pd_hugetlb_dirname_parse(const char *name, uint64_t *ret_page_size)
{
	static const char prefix[] = "hugepages-";
	const char *p = name + sizeof(prefix) - 1;
	uint64_t kb;
	int n;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return -EINVAL;
	n = pd_numtext_u64(p, p + strlen(p), &kb);
	if (n <= 0 || strcmp(p + n, "kB") || !kb || kb > UINT64_MAX / 1024)
		return -EINVAL;
	*ret_page_size = kb * 1024;
	return 0;
}

/* The pool in directory NAME of HFD into *POOL. */
static int read_pool(int hfd, const char *name, struct pd_hugetlb_pool *pool)
{
	static const struct {
		const char *file;
		size_t off;
		unsigned bit;		/* 0: required */
	} files[] = {
		{ "nr_hugepages", offsetof(struct pd_hugetlb_pool, nr), 0 },
		{ "free_hugepages", offsetof(struct pd_hugetlb_pool, free), 0 },
		{ "surplus_hugepages", offsetof(struct pd_hugetlb_pool, surplus),
		  PD_HUGETLB_HAS_SURPLUS },
		{ "resv_hugepages", offsetof(struct pd_hugetlb_pool, resv),
		  PD_HUGETLB_HAS_RESV },
		{ "nr_overcommit_hugepages",
		  offsetof(struct pd_hugetlb_pool, overcommit),
		  PD_HUGETLB_HAS_OVERCOMMIT },
	};
	size_t i;
	int dfd, r = 0;

	dfd = openat(hfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint64_t *v = (uint64_t *)((char *)pool + files[i].off);

		r = pd_numtext_read_at(dfd, files[i].file, 10, v);
		if (r == 0) {
			pool->has |= files[i].bit;
			continue;
		}
		*v = 0;
		if (!files[i].bit)
			break;
		r = 0;
	}
	close(dfd);
	return r;
}

static int by_size(const void *a, const void *b)
{
	uint64_t x = ((const struct pd_hugetlb_pool *)a)->page_size;
	uint64_t y = ((const struct pd_hugetlb_pool *)b)->page_size;

	return x < y ? -1 : x > y;
}

int pd_hugetlb_read(int sysfd, int node, struct pd_hugetlb_pool **ret_pools,
		    size_t *ret_n)
{
	struct pd_hugetlb_pool *pools = NULL, *np;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char path[64];
	int fd, r = 0;
	DIR *d;

	if (node >= 0) {
		snprintf(path, sizeof(path), "devices/system/node/node%d", node);
		fd = openat(sysfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		close(fd);
		snprintf(path, sizeof(path),
			 "devices/system/node/node%d/hugepages", node);
	} else {
		snprintf(path, sizeof(path), "kernel/mm/hugepages");
	}
	fd = openat(sysfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret_pools = NULL;
		*ret_n = 0;
		return 0;
	}
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		uint64_t size;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				r = -errno;
				goto out_close;
			}
			break;
		}
		if (pd_hugetlb_dirname_parse(de->d_name, &size) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			np = realloc(pools, cap * sizeof(*pools));
			if (!np) {
				r = -ENOMEM;
				goto out_close;
			}
			pools = np;
		}
		memset(&pools[n], 0, sizeof(pools[n]));
		pools[n].page_size = size;
		r = read_pool(dirfd(d), de->d_name, &pools[n]);
		if (r < 0)
			goto out_close;
		n++;
	}
	if (n) {
		qsort(pools, n, sizeof(*pools), by_size);
	} else {
		free(pools);
		pools = NULL;
	}
	*ret_pools = pools;
	*ret_n = n;
	pools = NULL;

out_close:
	free(pools);
	closedir(d);
	return r;
}
