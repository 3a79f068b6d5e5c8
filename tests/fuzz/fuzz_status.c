/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_status_parse() on /proc/PID/status text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_proc_status st;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_status_parse(buf, size, &st) == 0) {
		if (!st.has_uid || !memmem(buf, size, "Uid:", 4))
			abort();
		if (st.vm_rss % 1024 || st.vm_swap % 1024)
			abort();
	}
	free(buf);
	return 0;
}
