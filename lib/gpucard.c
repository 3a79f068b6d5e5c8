/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gpucard: the DRM cards of sysfs: driver, PCI slot, amdgpu's counters. */
#include "gpucard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"
#include "procfs.h"

#define UEVENT_MAX 4096

static const char *const counter_files[PD_GPU_NR_COUNTERS] = {
	[PD_GPU_VRAM_TOTAL] = "mem_info_vram_total",
	[PD_GPU_VRAM_USED] = "mem_info_vram_used",
	[PD_GPU_VIS_VRAM_TOTAL] = "mem_info_vis_vram_total",
	[PD_GPU_VIS_VRAM_USED] = "mem_info_vis_vram_used",
	[PD_GPU_GTT_TOTAL] = "mem_info_gtt_total",
	[PD_GPU_GTT_USED] = "mem_info_gtt_used",
};

/* KEY=value at [P, END) into OUT (SZ bytes) when it fits. */
static void take(const char *p, const char *end, const char *key, char *out,
		 size_t sz)
{
	size_t kl = strlen(key), vl;

	if ((size_t)(end - p) <= kl || memcmp(p, key, kl))
		return;
	vl = (size_t)(end - p) - kl;
	if (vl >= sz)
		return;
	memcpy(out, p + kl, vl);
	out[vl] = '\0';
}

void pd_gpucard_uevent_parse(const char *buf, size_t len,
			     struct pd_gpucard *card)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		take(p, le, "DRIVER=", card->driver, sizeof(card->driver));
		take(p, le, "PCI_SLOT_NAME=", card->pdev, sizeof(card->pdev));
		p = nl ? nl + 1 : end;
	}
}

static int read_card(int drmfd, unsigned id, struct pd_gpucard *ret)
{
	struct pd_gpucard c;
	char path[48], *buf;
	size_t len, i;
	int dfd, r;

	memset(&c, 0, sizeof(c));
	c.card = id;
	snprintf(path, sizeof(path), "card%u/device", id);
	dfd = openat(drmfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	r = pd_read_at(dfd, "uevent", UEVENT_MAX, &buf, &len);
	if (r == 0) {
		pd_gpucard_uevent_parse(buf, len, &c);
		free(buf);
	}
	for (i = 0; i < PD_GPU_NR_COUNTERS; i++)
		if (pd_numtext_read_at(dfd, counter_files[i], 10, &c.v[i]) == 0)
			c.has |= 1u << i;
		else
			c.v[i] = 0;
	close(dfd);
	*ret = c;
	return 0;
}

static int by_card(const void *a, const void *b)
{
	unsigned x = ((const struct pd_gpucard *)a)->card;
	unsigned y = ((const struct pd_gpucard *)b)->card;

	return x < y ? -1 : x > y;
}

int pd_gpucard_read_all(int sysfd, struct pd_gpucard **ret_cards,
			size_t *ret_n)
{
	struct pd_gpucard *cards = NULL, *nc;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd, r = 0;
	DIR *d;

	fd = openat(sysfd, "class/drm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			return -errno;
		*ret_cards = NULL;
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
		if (strncmp(de->d_name, "card", 4))
			continue;
		k = pd_numtext_u64(p, p + strlen(p), &id);
		if (k <= 0 || p[k] || id > UINT32_MAX)
			continue;	/* card0-DP-1: a connector */
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			nc = realloc(cards, cap * sizeof(*cards));
			if (!nc) {
				r = -ENOMEM;
				goto out_close;
			}
			cards = nc;
		}
		r = read_card(dirfd(d), (unsigned)id, &cards[n]);
		if (r == -ENOENT)	/* no device/, or unplugged meanwhile */
			continue;
		if (r < 0)
			goto out_close;
		n++;
	}
	r = 0;
	if (n) {
		qsort(cards, n, sizeof(*cards), by_card);
	} else {
		free(cards);
		cards = NULL;
	}
	*ret_cards = cards;
	*ret_n = n;
	cards = NULL;

out_close:
	free(cards);
	closedir(d);
	return r;
}
