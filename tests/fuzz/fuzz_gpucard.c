/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_gpucard_uevent_parse() on a device's uevent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gpucard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_gpucard c;
	char *buf;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&c, 0, sizeof(c));
	pd_gpucard_uevent_parse(buf, size, &c);
	/* NUL-terminated in their fields, and taken from the text */
	if (strnlen(c.driver, sizeof(c.driver)) == sizeof(c.driver) ||
	    strnlen(c.pdev, sizeof(c.pdev)) == sizeof(c.pdev))
		abort();
	if ((*c.driver && !memmem(buf, size, c.driver, strlen(c.driver))) ||
	    (*c.pdev && !memmem(buf, size, c.pdev, strlen(c.pdev))))
		abort();
	free(buf);
	return 0;
}
