/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/numtext: the decimal scanner and one-value files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "numtext.h"

#define SYS PD_FIXTURES_DIR "/memwhere/sys"

static int parse(const char *text, int base, uint64_t *v)
{
	return pd_numtext_parse(text, strlen(text), base, v);
}

static void test_numtext_u64_scans_digits_and_stops(void **state)
{
	static const char s[] = "4096 kB";
	uint64_t v = 0;

	(void)state;
	assert_int_equal(pd_numtext_u64(s, s + strlen(s), &v), 4);
	assert_int_equal(v, 4096);
	/* END cuts the number */
	assert_int_equal(pd_numtext_u64(s, s + 2, &v), 2);
	assert_int_equal(v, 40);
	/* no digit: 0 digits read */
	assert_int_equal(pd_numtext_u64(s + 4, s + strlen(s), &v), 0);
}

static void test_numtext_u64_refuses_overflow(void **state)
{
	static const char max[] = "18446744073709551615";
	static const char over[] = "18446744073709551616";
	uint64_t v = 7;

	(void)state;
	assert_int_equal(pd_numtext_u64(max, max + strlen(max), &v), 20);
	assert_int_equal(v, UINT64_MAX);
	v = 7;
	assert_int_equal(pd_numtext_u64(over, over + strlen(over), &v),
			 -ERANGE);
	assert_int_equal(v, 7);
}

static void test_numtext_parse_one_decimal_value(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse("512\n", 10, &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(parse("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse("", 10, &v), -EINVAL);
	assert_int_equal(parse("\n", 10, &v), -EINVAL);
	assert_int_equal(parse(" 5\n", 10, &v), -EINVAL);
	assert_int_equal(parse("5 \n", 10, &v), -EINVAL);
	assert_int_equal(parse("-1\n", 10, &v), -EINVAL);
	assert_int_equal(parse("5\n\n", 10, &v), -EINVAL);
	assert_int_equal(parse("1 2\n", 10, &v), -EINVAL);
	assert_int_equal(parse("99999999999999999999\n", 10, &v), -ERANGE);
}

static void test_numtext_parse_hex_as_block_size_bytes(void **state)
{
	uint64_t v = 0;

	(void)state;
	/* drivers/base/memory.c: "%lx\n", no 0x */
	assert_int_equal(parse("8000000\n", 16, &v), 0);
	assert_int_equal(v, 134217728);
	assert_int_equal(parse("0x80000000", 16, &v), 0);
	assert_int_equal(v, 2147483648u);
	assert_int_equal(parse("ffffffffffffffff\n", 16, &v), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(parse("1ffffffffffffffff\n", 16, &v), -ERANGE);
	assert_int_equal(parse("0x\n", 16, &v), -EINVAL);
	assert_int_equal(parse("8g\n", 16, &v), -EINVAL);
	assert_int_equal(parse("8\n", 8, &v), -EINVAL);
}

static void test_numtext_read_at_fixture_files(void **state)
{
	uint64_t v = 0;
	int dfd;

	(void)state;
	dfd = open(SYS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	assert_int_equal(pd_numtext_read_at(dfd,
		"devices/system/memory/block_size_bytes", 16, &v), 0);
	assert_int_equal(v, 0x8000000);
	assert_int_equal(pd_numtext_read_at(dfd, "block/zram0/disksize", 10,
					    &v), 0);
	assert_int_equal(v, 4294967296ull);
	/* "online\n" is no number */
	assert_int_equal(pd_numtext_read_at(dfd,
		"devices/system/memory/auto_online_blocks", 10, &v), -EINVAL);
	assert_int_equal(pd_numtext_read_at(dfd, "no/such/file", 10, &v),
			 -ENOENT);
	close(dfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numtext_u64_scans_digits_and_stops),
		cmocka_unit_test(test_numtext_u64_refuses_overflow),
		cmocka_unit_test(test_numtext_parse_one_decimal_value),
		cmocka_unit_test(test_numtext_parse_hex_as_block_size_bytes),
		cmocka_unit_test(test_numtext_read_at_fixture_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
