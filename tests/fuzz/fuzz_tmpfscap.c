/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_tmpfs_capture_parse() on a captured tree's
 * "procdiag-tmpfs" text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_file(void *arg, const struct pd_tmpfs_file *f)
{
	(void)arg;
	if (!f->path_len || f->path[0] != '/' || strlen(f->path) != f->path_len)
		abort();
	return 0;
}

static int on_sb(void *arg, dev_t dev, uint64_t used)
{
	(void)arg;
	(void)dev;
	(void)used;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_tmpfs_capture_parse(buf, size, on_file, on_sb, NULL) != 0)
		abort();
	free(buf);
	return 0;
}
