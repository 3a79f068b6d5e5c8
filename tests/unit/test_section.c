/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/section: a table cut to N rows, header and total kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "section.h"

static char *clip(const char *text, size_t n, size_t *hidden)
{
	char *out = NULL;

	assert_int_equal(pd_section_clip(text, strlen(text), n, &out, hidden),
			 0);
	assert_non_null(out);
	return out;
}

static const char table_with_total[] =
	"NAME SIZE\n"
	"a      3K\n"
	"b      2K\n"
	"c      1K\n"
	"total  6K\n";

static void test_cut_keeps_header_first_rows_and_total(void **state)
{
	size_t hidden = 99;
	char *out = clip(table_with_total, 2, &hidden);

	assert_string_equal(out, "NAME SIZE\na      3K\nb      2K\ntotal  6K\n");
	assert_int_equal(hidden, 1);
	free(out);
}

static void test_short_table_is_unchanged(void **state)
{
	size_t hidden = 99;
	char *out = clip(table_with_total, 3, &hidden);

	assert_string_equal(out, table_with_total);
	assert_int_equal(hidden, 0);
	free(out);
}

static void test_table_without_total(void **state)
{
	size_t hidden = 99;
	char *out = clip("H\n1\n2\n3\n4\n", 1, &hidden);

	assert_string_equal(out, "H\n1\n");
	assert_int_equal(hidden, 3);
	free(out);
}

static void test_a_row_named_total_in_the_middle_is_a_row(void **state)
{
	size_t hidden = 99;
	char *out = clip("H\ntotally\nx\ny\n", 1, &hidden);

	/* The last line is "y", not a total: two rows go. */
	assert_string_equal(out, "H\ntotally\n");
	assert_int_equal(hidden, 2);
	free(out);
}

static void test_empty_and_header_only(void **state)
{
	size_t hidden = 99;
	char *out = clip("", 1, &hidden);

	assert_string_equal(out, "");
	assert_int_equal(hidden, 0);
	free(out);
	out = clip("H\n", 1, &hidden);
	assert_string_equal(out, "H\n");
	assert_int_equal(hidden, 0);
	free(out);
}

static void test_last_line_without_newline(void **state)
{
	size_t hidden = 99;
	char *out = clip("H\n1\n2\ntotal 3", 1, &hidden);

	assert_string_equal(out, "H\n1\ntotal 3");
	assert_int_equal(hidden, 1);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_keeps_header_first_rows_and_total),
		cmocka_unit_test(test_short_table_is_unchanged),
		cmocka_unit_test(test_table_without_total),
		cmocka_unit_test(test_a_row_named_total_in_the_middle_is_a_row),
		cmocka_unit_test(test_empty_and_header_only),
		cmocka_unit_test(test_last_line_without_newline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
