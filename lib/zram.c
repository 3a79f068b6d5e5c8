/* SPDX-License-Identifier: GPL-2.0-or-later */
/* zram: the zram block devices of sysfs: mm_stat and disksize. */
#include "zram.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"
#include "procfs.h"

#define MM_STAT_MAX 4096
#define MM_STAT_MIN_FIELDS 7
#define MM_STAT_FIELDS 9

int pd_zram_mm_stat_parse(const char *buf, size_t len,
			  struct pd_zram_mm_stat *ret_st)
{
	const char *p = buf, *end = buf + len;
	uint64_t v[MM_STAT_FIELDS] = { 0 };
	unsigned n = 0;

	if (len && end[-1] == '\n')
		end--;
	while (p < end) {
		uint64_t x;
		int r;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		r = pd_numtext_u64(p, end, &x);
		if (r <= 0)
			return -EINVAL;
		p += r;
		if (p < end && *p != ' ')
			return -EINVAL;
		if (n < MM_STAT_FIELDS)
			v[n] = x;
		n++;
	}
	if (n < MM_STAT_MIN_FIELDS)
		return -EINVAL;
	ret_st->orig_data_size = v[0];
	ret_st->compr_data_size = v[1];
	ret_st->mem_used_total = v[2];
	ret_st->mem_limit = v[3];
	ret_st->mem_used_max = v[4];
	ret_st->same_pages = v[5];
	ret_st->pages_compacted = v[6];
	ret_st->huge_pages = v[7];
	ret_st->huge_pages_since = v[8];
	ret_st->nr_fields = n < MM_STAT_FIELDS ? n : MM_STAT_FIELDS;
	return 0;
}

/* 3.10 to 4.10: orig_data_size, compr_data_size, mem_used_total files. */
static int read_old_files(int dfd, struct pd_zram_mm_stat *st)
{
	int r;

	memset(st, 0, sizeof(*st));
	r = pd_numtext_read_at(dfd, "orig_data_size", 10, &st->orig_data_size);
	if (r < 0)
		return r;
	r = pd_numtext_read_at(dfd, "compr_data_size", 10,
			       &st->compr_data_size);
	if (r < 0)
		return r;
	r = pd_numtext_read_at(dfd, "mem_used_total", 10, &st->mem_used_total);
	if (r < 0)
		return r;
	st->nr_fields = 3;
	return 0;
}

int pd_zram_read(int sysfd, unsigned id, struct pd_zram *ret_z)
{
	struct pd_zram z = { .id = id };
	char path[64], *buf;
	size_t len;
	int dfd, r;

	snprintf(path, sizeof(path), "block/zram%u", id);
	dfd = openat(sysfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	r = pd_numtext_read_at(dfd, "disksize", 10, &z.disksize);
	if (r < 0)
		goto out_close;
	r = pd_read_at(dfd, "mm_stat", MM_STAT_MAX, &buf, &len);
	if (r == -ENOENT) {
		r = read_old_files(dfd, &z.mm);
	} else if (r == 0) {
		r = pd_zram_mm_stat_parse(buf, len, &z.mm);
		free(buf);
	}
	if (r == 0)
		*ret_z = z;

out_close:
	close(dfd);
	return r;
}

static int by_id(const void *a, const void *b)
{
	unsigned x = ((const struct pd_zram *)a)->id;
	unsigned y = ((const struct pd_zram *)b)->id;

	return x < y ? -1 : x > y;
}

int pd_zram_read_all(int sysfd, struct pd_zram **ret_devs, size_t *ret_n)
{
	struct pd_zram *devs = NULL, *nd;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	fd = openat(sysfd, "block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret_devs = NULL;
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
		const char *p;
		uint64_t id;
		int k;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				r = -errno;
				goto out_close;
			}
			break;
		}
		p = de->d_name + 4;
		if (strncmp(de->d_name, "zram", 4))
			continue;
		k = pd_numtext_u64(p, p + strlen(p), &id);
		if (k <= 0 || p[k] || id > UINT32_MAX)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			nd = realloc(devs, cap * sizeof(*devs));
			if (!nd) {
				r = -ENOMEM;
				goto out_close;
			}
			devs = nd;
		}
		r = pd_zram_read(sysfd, (unsigned)id, &devs[n]);
		if (r == -ENOENT)	/* hot-removed meanwhile */
			continue;
		if (r < 0)
			goto out_close;
		n++;
	}
	r = 0;
	if (n) {
		qsort(devs, n, sizeof(*devs), by_id);
	} else {
		free(devs);
		devs = NULL;
	}
	*ret_devs = devs;
	*ret_n = n;
	devs = NULL;

out_close:
	free(devs);
	closedir(d);
	return r;
}
