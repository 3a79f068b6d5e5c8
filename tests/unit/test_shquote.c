/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/shquote: words a shell reads back as the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "shquote.h"

static void check(const char *in, size_t len, const char *want)
{
	char *got = pd_shquote(in, len);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_shquote_plain_words_stay_bare(void **state)
{
	(void)state;
	check("deadfiles", 9, "deadfiles");
	check("-w", 2, "-w");
	check("100M", 4, "100M");
	check("/srv/captures/web1/proc", 23, "/srv/captures/web1/proc");
	check("KIND,ALLOC,PATH", 15, "KIND,ALLOC,PATH");
	check("~:10G", 5, "'~:10G'");
	check("@1G:2G", 6, "@1G:2G");
}

static void test_shquote_empty_is_two_quotes(void **state)
{
	(void)state;
	check("", 0, "''");
}

static void test_shquote_blanks_and_quotes_in_single_quotes(void **state)
{
	(void)state;
	check("/srv/my proc", 12, "'/srv/my proc'");
	check("it's", 4, "'it'\\''s'");
	check("$HOME;rm", 8, "'$HOME;rm'");
	check("caf\xc3\xa9", 5, "'caf\xc3\xa9'");
}

static void test_shquote_control_bytes_never_raw(void **state)
{
	(void)state;
	check("a\tb", 3, "$'a\\tb'");
	check("a\nb'c", 5, "$'a\\nb\\'c'");
	check("\x1b[31m", 5, "$'\\x1b[31m'");
	check("a\\b", 3, "$'a\\\\b'");
	check("bad\xff", 4, "$'bad\\xff'");
	check("a\0b", 3, "$'a\\x00b'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shquote_plain_words_stay_bare),
		cmocka_unit_test(test_shquote_empty_is_two_quotes),
		cmocka_unit_test(test_shquote_blanks_and_quotes_in_single_quotes),
		cmocka_unit_test(test_shquote_control_bytes_never_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
