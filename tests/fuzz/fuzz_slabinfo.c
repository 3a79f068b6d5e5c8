/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_slabinfo_parse() on /proc/slabinfo text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slabinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pd_slab **top, *s;
	struct pd_slabinfo *si;
	uint64_t sum = 0;
	size_t i, n;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_slabinfo_parse(buf, size, 4096, &si);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_slabinfo_count(si);
		top = malloc((n ? n : 1) * sizeof(*top));
		if (!top)
			abort();
		for (i = 0; i < n; i++) {
			s = pd_slabinfo_get(si, i);
			/* the bytes are the slabs' pages, exactly */
			if (s->bytes != s->num_slabs * s->pagesperslab * 4096 ||
			    !*s->name || strchr(s->name, '\n') ||
			    !memmem(buf, size, s->name, strlen(s->name)))
				abort();
			sum += s->bytes;
		}
		if (sum != pd_slabinfo_bytes(si) || pd_slabinfo_get(si, n))
			abort();
		if (pd_slabinfo_top(si, n + 1, top) != n)
			abort();
		for (i = 1; i < n; i++)
			if (top[i]->bytes > top[i - 1]->bytes)
				abort();
		free(top);
		pd_slabinfo_free(si);
	}
	free(buf);
	return 0;
}
