/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/array. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "array.h"

static void test_grow_starts_at_16_and_doubles(void **state)
{
	int *v = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 40; n++) {
		assert_int_equal(pd_array_grow((void **)&v, &cap, n, sizeof(*v)), 0);
		v[n] = (int)n;
		assert_int_equal(cap, n < 16 ? 16 : n < 32 ? 32 : 64);
	}
	for (n = 0; n < 40; n++)
		assert_int_equal(v[n], (int)n);
	free(v);
}

static void test_grow_with_room_left_changes_nothing(void **state)
{
	char buf[1], *v = buf;
	size_t cap = 8;

	(void)state;
	assert_int_equal(pd_array_grow((void **)&v, &cap, 7, 1), 0);
	assert_ptr_equal(v, buf);
	assert_int_equal(cap, 8);
}

static void test_grow_refuses_an_overflowing_size(void **state)
{
	void *v = NULL;
	size_t cap = SIZE_MAX / 4;

	(void)state;
	assert_int_equal(pd_array_grow(&v, &cap, cap, 4), -ENOMEM);
	assert_null(v);
	assert_int_equal(cap, SIZE_MAX / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_starts_at_16_and_doubles),
		cmocka_unit_test(test_grow_with_room_left_changes_nothing),
		cmocka_unit_test(test_grow_refuses_an_overflowing_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
