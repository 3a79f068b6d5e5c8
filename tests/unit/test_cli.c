/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/cli: sizes, durations, numbers, lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "cli.h"

static uint64_t size_of(const char *s)
{
	uint64_t v = 0;

	assert_int_equal(pd_parse_size(s, &v), 0);
	return v;
}

static void test_size_bare_number_is_bytes(void **state)
{
	assert_int_equal(size_of("4096"), 4096);
	assert_int_equal(size_of("0"), 0);
}

static void test_size_suffixes_are_powers_of_1024(void **state)
{
	assert_int_equal(size_of("1K"), 1024);
	assert_int_equal(size_of("100M"), 100ull << 20);
	assert_int_equal(size_of("2g"), 2ull << 30);
	assert_int_equal(size_of("1T"), 1ull << 40);
	assert_int_equal(size_of("1E"), 1ull << 60);
}

static void test_size_takes_ib_and_b_after_the_suffix(void **state)
{
	assert_int_equal(size_of("4KiB"), 4096);
	assert_int_equal(size_of("2MB"), 2ull << 20);
	assert_int_equal(size_of("3kib"), 3072);
}

static void test_size_fraction_with_suffix(void **state)
{
	assert_int_equal(size_of("1.5G"), 3ull << 29);
	assert_int_equal(size_of("0.5K"), 512);
	assert_int_equal(size_of("1.25M"), 1310720);
}

static void test_size_rejects_garbage(void **state)
{
	uint64_t v = 7;

	assert_int_equal(pd_parse_size("", &v), -EINVAL);
	assert_int_equal(pd_parse_size("M", &v), -EINVAL);
	assert_int_equal(pd_parse_size("10X", &v), -EINVAL);
	assert_int_equal(pd_parse_size("10MM", &v), -EINVAL);
	assert_int_equal(pd_parse_size("-1", &v), -EINVAL);
	assert_int_equal(pd_parse_size("1.5", &v), -EINVAL);
	assert_int_equal(pd_parse_size("1.", &v), -EINVAL);
	assert_int_equal(pd_parse_size(" 1", &v), -EINVAL);
	assert_int_equal(pd_parse_size("1,5G", &v), -EINVAL);
	assert_int_equal(v, 7);
}

static void test_size_overflow_is_erange(void **state)
{
	uint64_t v;

	assert_int_equal(pd_parse_size("16E", &v), -ERANGE);
	assert_int_equal(pd_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(pd_parse_size("18446744073709551615", &v), 0);
	assert_int_equal(v, UINT64_MAX);
}

static unsigned ms_of(const char *s)
{
	unsigned v = 0;

	assert_int_equal(pd_parse_duration_ms(s, &v), 0);
	return v;
}

static void test_duration_units(void **state)
{
	assert_int_equal(ms_of("3"), 3000);
	assert_int_equal(ms_of("3s"), 3000);
	assert_int_equal(ms_of("1.5s"), 1500);
	assert_int_equal(ms_of("250ms"), 250);
	assert_int_equal(ms_of("2m"), 120000);
}

static void test_duration_rejects_zero_and_garbage(void **state)
{
	unsigned v;

	assert_int_equal(pd_parse_duration_ms("0", &v), -ERANGE);
	assert_int_equal(pd_parse_duration_ms("2h", &v), -EINVAL);
	assert_int_equal(pd_parse_duration_ms("s", &v), -EINVAL);
	assert_int_equal(pd_parse_duration_ms("100000m", &v), -ERANGE);
}

static void test_uint_is_strict(void **state)
{
	unsigned long v = 0;

	assert_int_equal(pd_parse_uint("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(pd_parse_uint("101", 100, &v), -ERANGE);
	assert_int_equal(pd_parse_uint("4x", 100, &v), -EINVAL);
	assert_int_equal(pd_parse_uint("-4", 100, &v), -EINVAL);
	assert_int_equal(pd_parse_uint("+4", 100, &v), -EINVAL);
	assert_int_equal(pd_parse_uint("", 100, &v), -EINVAL);
}

static void test_split_list_items_in_order(void **state)
{
	char **items;
	size_t n;

	assert_int_equal(pd_split_list("a,bb,c c", &items, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(items[0], "a");
	assert_string_equal(items[1], "bb");
	assert_string_equal(items[2], "c c");
	free(items);
}

static void test_split_list_rejects_empty_items(void **state)
{
	char **items;
	size_t n;

	assert_int_equal(pd_split_list("", &items, &n), -EINVAL);
	assert_int_equal(pd_split_list("a,,b", &items, &n), -EINVAL);
	assert_int_equal(pd_split_list("a,", &items, &n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_bare_number_is_bytes),
		cmocka_unit_test(test_size_suffixes_are_powers_of_1024),
		cmocka_unit_test(test_size_takes_ib_and_b_after_the_suffix),
		cmocka_unit_test(test_size_fraction_with_suffix),
		cmocka_unit_test(test_size_rejects_garbage),
		cmocka_unit_test(test_size_overflow_is_erange),
		cmocka_unit_test(test_duration_units),
		cmocka_unit_test(test_duration_rejects_zero_and_garbage),
		cmocka_unit_test(test_uint_is_strict),
		cmocka_unit_test(test_split_list_items_in_order),
		cmocka_unit_test(test_split_list_rejects_empty_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
