/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/section: a table cut to N rows, header and total kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <stdio.h>
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

/* Filter TEXT through SEEN; the result as a string the test frees. */
static char *once(struct pd_section_seen *seen, const char *text)
{
	char *out = NULL;

	assert_int_equal(pd_section_seen_filter(seen, text, strlen(text), &out),
			 0);
	return out;
}

static void test_a_warning_of_a_second_run_is_said_once(void **state)
{
	struct pd_section_seen *seen;
	char *a, *b;

	(void)state;
	assert_int_equal(pd_section_seen_new(&seen), 0);
	a = once(seen, "memfind: warning: 1 of 117 processes could not be read (permission denied)\n"
		 "memfind: warning: 2 tmpfs file systems could not be reached\n");
	assert_string_equal(a, "memfind: warning: 1 of 117 processes could not be read (permission denied)\n"
			    "memfind: warning: 2 tmpfs file systems could not be reached\n");
	/* other figures, the same causes; a new cause passes */
	b = once(seen, "memfind: warning: 1 of 120 processes could not be read (permission denied)\n"
		 "memfind: warning: 1 tmpfs file system could not be reached\n"
		 "memfind: warning: cannot read sysvipc/shm\n");
	assert_string_equal(b, "memfind: warning: cannot read sysvipc/shm\n");
	free(a);
	free(b);
	pd_section_seen_free(seen);
}

static void test_figures_are_numbers_and_sizes_not_names(void **state)
{
	struct pd_section_seen *seen;
	char *a, *b;

	(void)state;
	assert_int_equal(pd_section_seen_new(&seen), 0);
	a = once(seen, "pssum: warning: they hold at most 15.5M of RSS (VmRSS)\n"
		 "oomrank: warning: 1 of 13 scores differ by up to 1 point (x)\n"
		 "dfdu: warning: /mnt/disk1: cannot read its size\n"
		 "dfdu: warning: /srv/2: no\n"
		 "x: 50% of 2GiB, 3,000 [4]\n");
	/* 2.5G for 15.5M, 2 points for 1 point, 1% and 7B: alike; a digit
	 * in a name is the name's */
	b = once(seen, "pssum: warning: they hold at most 2.5G of RSS (VmRSS)\n"
		 "oomrank: warning: 3 of 13 scores differ by up to 2 points (x)\n"
		 "dfdu: warning: /mnt/disk2: cannot read its size\n"
		 "dfdu: warning: /srv/3: no\n"
		 "x: 1% of 7B, 12 [5]\n");
	assert_string_equal(b, "dfdu: warning: /mnt/disk2: cannot read its size\n"
			    "dfdu: warning: /srv/3: no\n");
	free(a);
	free(b);
	pd_section_seen_free(seen);
}

static void test_lines_of_one_run_never_hide_each_other(void **state)
{
	struct pd_section_seen *seen;
	char *a;

	(void)state;
	assert_int_equal(pd_section_seen_new(&seen), 0);
	a = once(seen, "t: 1 x\nt: 2 x\nlast without newline 3");
	assert_string_equal(a, "t: 1 x\nt: 2 x\nlast without newline 3");
	free(a);
	a = once(seen, "last without newline 4\n\n");
	assert_string_equal(a, "\n");
	free(a);
	a = once(seen, "");
	assert_string_equal(a, "");
	free(a);
	pd_section_seen_free(seen);
}

/* Many causes: the set grows and still knows each one. */
static void test_many_causes(void **state)
{
	struct pd_section_seen *seen;
	char line[64], *a;
	int i;

	(void)state;
	assert_int_equal(pd_section_seen_new(&seen), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "cause-%d\n", i);
		a = once(seen, line);
		assert_string_equal(a, line);
		free(a);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "cause-%d\n", i);
		a = once(seen, line);
		assert_string_equal(a, "");
		free(a);
	}
	pd_section_seen_free(seen);
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
		cmocka_unit_test(test_a_warning_of_a_second_run_is_said_once),
		cmocka_unit_test(test_figures_are_numbers_and_sizes_not_names),
		cmocka_unit_test(test_lines_of_one_run_never_hide_each_other),
		cmocka_unit_test(test_many_causes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
