/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_cmdline_parse() on /proc/PID/cmdline bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *s = NULL;
	size_t n;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_cmdline_parse(buf, size, &s) == 0) {
		n = strlen(s);
		/* NULs become blanks, trailing ones go: no byte is lost */
		if (n > size || (n && s[n - 1] == ' ' && buf[n - 1] == '\0'))
			abort();
		free(s);
	}
	free(buf);
	return 0;
}
