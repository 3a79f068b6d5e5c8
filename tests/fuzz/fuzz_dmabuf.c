/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_dmabuf_fdinfo_parse() on dma-buf fdinfo text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_dmabuf_info di;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_dmabuf_fdinfo_parse(buf, size, &di) == 0) {
		if (strlen(di.exp_name) >= sizeof(di.exp_name) ||
		    strlen(di.name) >= sizeof(di.name) ||
		    !memmem(buf, size, "size:", 5))
			abort();
	}
	free(buf);
	return 0;
}
