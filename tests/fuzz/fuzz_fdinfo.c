/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_fdinfo_parse() on /proc/PID/fdinfo/N text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_fdinfo fi;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_fdinfo_parse(buf, size, &fi) == 0) {
		if (fi.mnt_id < -1 || !memmem(buf, size, "pos:", 4))
			abort();
	}
	free(buf);
	return 0;
}
