/* SPDX-License-Identifier: GPL-2.0-or-later */
/* array: growing a malloc'ed array by doubling. */
#ifndef PD_ARRAY_H
#define PD_ARRAY_H

#include <stddef.h>

/*
 * Make room for element N of the array *V (with *CAP elements of SIZE
 * bytes): double it (16 at first) when N == *CAP. On success *V and *CAP
 * may change; on -ENOMEM they do not. Returns 0 or -ENOMEM.
 */
int pd_array_grow(void **v, size_t *cap, size_t n, size_t size);

#endif
