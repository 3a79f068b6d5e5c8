/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_meminfo_parse() on /proc/meminfo text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_meminfo *mi;
	size_t i, j, n;
	uint64_t v;
	char *buf;
	int r;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	r = pd_meminfo_parse(buf, size, &mi);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_meminfo_count(mi);
		if (!n)
			abort();
		for (i = 0; i < n; i++) {
			const char *key = pd_meminfo_key(mi, i);

			/* a key is on one line, before its colon, and unique */
			if (!*key || strchr(key, '\n') || strchr(key, ':') ||
			    strchr(key, ' ') || !memmem(buf, size, key, strlen(key)))
				abort();
			if (pd_meminfo_get(mi, key, &v) < 0 ||
			    v != pd_meminfo_value(mi, i))
				abort();
			if (pd_meminfo_is_size(mi, key) && v % 1024)
				abort();
			for (j = 0; j < i; j++)
				if (!strcmp(key, pd_meminfo_key(mi, j)))
					abort();
		}
		if (pd_meminfo_key(mi, n))
			abort();
		pd_meminfo_free(mi);
	}
	free(buf);
	return 0;
}
