/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_cgroup_parse(), then pd_cgroup_unit() on its path. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *path = NULL, *unit = NULL;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_cgroup_parse(buf, size, &path) == 0) {
		/* the path is the tail of one line of the input */
		if (strchr(path, '\n') || !memmem(buf, size, path,
						   strlen(path)))
			abort();
		if (pd_cgroup_unit(path, &unit) == 0) {
			if (!*unit || strchr(unit, '/') || !strstr(path, unit))
				abort();
			free(unit);
		}
		free(path);
	}
	/* the input as a path itself, as a unit test would give it */
	if (pd_cgroup_unit(buf, &unit) == 0)
		free(unit);
	free(buf);
	return 0;
}
