/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_cgname_home_parse() on passwd(5) text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uid_t uids[] = { 0, 1, 1000, 65534 };
	size_t i;
	char *home;

	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		if (pd_cgname_home_parse((const char *)data, size, uids[i],
					 &home) == 0) {
			if (!*home || strchr(home, '\n') || strchr(home, ':'))
				abort();
			free(home);
		}
	return 0;
}
