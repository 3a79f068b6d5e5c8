/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_keyed_parse() on memory.stat / vmstat text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keyed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_keyed *k;
	size_t i, j, n;
	uint64_t v;
	char *buf;
	int r;

	/* no NUL at the end: the parser must stop at LEN by itself */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_keyed_parse(buf, size, &k);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_keyed_count(k);
		for (i = 0; i < n; i++) {
			const char *key = pd_keyed_key(k, i);

			/* a key is non-empty, has no blank, is in the text */
			if (!*key || strpbrk(key, " \t\n") ||
			    !memmem(buf, size, key, strlen(key)))
				abort();
			if (pd_keyed_get(k, key, &v) < 0 ||
			    v != pd_keyed_value(k, i))
				abort();
			for (j = 0; j < i; j++)
				if (!strcmp(key, pd_keyed_key(k, j)))
					abort();
		}
		if (pd_keyed_key(k, n))
			abort();
		pd_keyed_free(k);
	}
	free(buf);
	return 0;
}
