/* SPDX-License-Identifier: GPL-2.0-or-later */
/* array: growing a malloc'ed array by doubling. */
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int pd_array_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	nv = realloc(*v, ncap * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}
