/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_map_next() over a whole /proc/PID/maps text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *cur, *end;
	struct pd_map m;
	char *buf, name[48];
	size_t n = 0;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	cur = buf;
	end = buf + size;
	while (pd_map_next(&cur, end, &m) == 0) {
		/* the path lies in the text, within one line */
		if (m.path < buf || m.path + m.path_len > end ||
		    memchr(m.path, '\n', m.path_len))
			abort();
		if (cur < buf || cur > end)
			abort();
		pd_map_files_name(&m, name, sizeof(name));
		if (strlen(name) < 3)
			abort();
		if (++n > size)
			abort();
	}
	if (cur != end || pd_map_next(&cur, end, &m) != 1)
		abort();
	pd_map_parse(buf, size, &m);
	free(buf);
	return 0;
}
