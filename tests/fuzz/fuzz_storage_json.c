/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: containers/storage's containers.json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctrmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int seen(void *arg, const char *id, const char *name)
{
	size_t *n = arg;

	if (!*id || !*name)
		abort();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	pd_ctrmeta_storage_parse((const char *)data, size, seen, &n);
	return 0;
}
