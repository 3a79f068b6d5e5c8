/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_stat_parse() on /proc/PID/stat text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_stat st;
	char *buf;

	/* pd_stat_parse() relies on a NUL after the text (strtoull) */
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_stat_parse(buf, size, &st) == 0) {
		if (st.pid < 0 || strlen(st.comm) >= sizeof(st.comm))
			abort();
		/* comm came from between the parentheses of the input */
		if (!memmem(buf, size, st.comm, strlen(st.comm)))
			abort();
	}
	free(buf);
	return 0;
}
