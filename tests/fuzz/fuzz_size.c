/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the option argument parsers of lib/cli. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), **items;
	unsigned long ul;
	unsigned ms;
	uint64_t v;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	pd_parse_size(s, &v);
	pd_parse_duration_ms(s, &ms);
	pd_parse_uint(s, 1000000, &ul);
	if (pd_parse_uint(s, 1000000, &ul) == 0 && ul > 1000000)
		abort();
	if (pd_split_list(s, &items, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!items[i][0] || strchr(items[i], ','))
				abort();
		free(items);
	}
	free(s);
	return 0;
}
