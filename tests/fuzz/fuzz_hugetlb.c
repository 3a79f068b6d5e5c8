/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_hugetlb_dirname_parse() on pool directory names. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hugetlb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *name, again[64];
	uint64_t v;
	int r;

	/* a directory name: a C string */
	name = malloc(size + 1);
	if (!name)
		return 0;
	memcpy(name, data, size);
	name[size] = '\0';
	r = pd_hugetlb_dirname_parse(name, &v);
	if (r != 0 && r != -EINVAL)
		abort();
	if (r == 0) {
		/* printed back, the kernel's name is the name */
		if (!v || v % 1024)
			abort();
		snprintf(again, sizeof(again), "hugepages-%llukB",
			 (unsigned long long)(v / 1024));
		/* equal unless the text had leading zeros */
		if (strcmp(again, name) && !strstr(name, "-0"))
			abort();
	}
	free(name);
	return 0;
}
