/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_sysvshm_parse() on /proc/sysvipc/shm text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysvshm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_sysvshm *v = NULL;
	size_t n = 0, bad = 0, i;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_sysvshm_parse(buf, size, &v, &n, &bad) == 0) {
		for (i = 0; i < n; i++)
			if (v[i].perms > 07777 || v[i].shmid < 0 ||
			    (!v[i].has_rss && (v[i].rss || v[i].swap)))
				abort();
		free(v);
	}
	free(buf);
	return 0;
}
