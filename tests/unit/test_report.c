/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/report.c: column lists, sorting, escaping, formats. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

/* cmocka hands every test a state pointer these tests have no use for. */
#define UNUSED __attribute__((unused))

enum { C_PID, C_COMMAND, C_SIZE, C_DELETED, C_PATH, NCOLS };

static const struct pd_column cols[NCOLS] = {
	[C_PID] = {"PID", PD_COL_NUM, PD_COLF_DEFAULT, "process id"},
	[C_COMMAND] = {"COMMAND", PD_COL_STR, PD_COLF_DEFAULT, "comm"},
	[C_SIZE] = {"SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "size in bytes"},
	[C_DELETED] = {"DELETED", PD_COL_BOOL, 0, "unlinked"},
	[C_PATH] = {"PATH", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE,
		    "file path"},
};

static struct pd_report *new_report(void)
{
	struct pd_report *rep = NULL;

	assert_int_equal(pd_report_new("deadfiles", cols, NCOLS, &rep), 0);
	assert_non_null(rep);
	return rep;
}

static struct pd_row *add_row(struct pd_report *rep)
{
	struct pd_row *row = NULL;

	assert_int_equal(pd_report_add_row(rep, &row), 0);
	assert_non_null(row);
	return row;
}

/* A row with a pid and a command, the rest unknown. */
static void add_pid_comm(struct pd_report *rep, uint64_t pid, const char *comm)
{
	struct pd_row *row = add_row(rep);

	pd_row_set_u64(row, C_PID, pid);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, comm), 0);
}

static char *print_fmt(struct pd_report *rep, enum pd_format format,
		       bool noheadings, bool bytes)
{
	struct pd_print_opts opts = {
		.format = format,
		.noheadings = noheadings,
		.bytes = bytes,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print(rep, f, &opts), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void assert_prints(struct pd_report *rep, enum pd_format format,
			  bool noheadings, bool bytes, const char *expected)
{
	char *out = print_fmt(rep, format, noheadings, bytes);

	assert_string_equal(out, expected);
	free(out);
}

static void assert_tsv(struct pd_report *rep, const char *expected)
{
	assert_prints(rep, PD_FMT_TSV, true, false, expected);
}

/* ---- column lists ---- */

static void test_new_report_selects_the_default_columns(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "init");
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "PID\tCOMMAND\tSIZE\tPATH\n1\tinit\t\t\n");
	pd_report_free(rep);
}

static void test_select_plus_list_appends_to_defaults(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "init");
	assert_int_equal(pd_report_select(rep, "+DELETED,PID", NULL), 0);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "PID\tCOMMAND\tSIZE\tPATH\tDELETED\tPID\n"
		      "1\tinit\t\t\t\t1\n");
	pd_report_free(rep);
}

static void
test_select_is_case_insensitive_and_allows_repeats(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 42, "sshd");
	assert_int_equal(pd_report_select(rep, "command,Pid,COMMAND", NULL), 0);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "COMMAND\tPID\tCOMMAND\nsshd\t42\tsshd\n");
	pd_report_free(rep);
}

static void test_select_unknown_name_fails_and_returns_it(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	char *bad = NULL;

	add_pid_comm(rep, 1, "init");
	assert_int_equal(pd_report_select(rep, "pid,nosuch,path", &bad),
			 -EINVAL);
	assert_non_null(bad);
	assert_string_equal(bad, "nosuch");
	free(bad);
	/* A failed select leaves the selection alone. */
	assert_tsv(rep, "1\tinit\t\t\n");
	assert_int_equal(pd_report_select(rep, "pid,nosuch", NULL), -EINVAL);
	pd_report_free(rep);
}

static void
test_select_empty_list_or_item_fails_with_empty_name(void **state UNUSED)
{
	static const char *const lists[] = {"", "+", "PID,,PATH", "PID,",
					    ",PID"};
	struct pd_report *rep = new_report();
	size_t i;
	char *bad;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		bad = NULL;
		assert_int_equal(pd_report_select(rep, lists[i], &bad),
				 -EINVAL);
		assert_non_null(bad);
		assert_string_equal(bad, "");
		free(bad);
	}
	pd_report_free(rep);
}

static void test_set_defaults_sets_selection_and_plus_base(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 5, "cron");
	assert_int_equal(pd_report_set_defaults(rep, "command,pid", NULL), 0);
	assert_tsv(rep, "cron\t5\n");
	assert_int_equal(pd_report_select(rep, "+deleted", NULL), 0);
	assert_tsv(rep, "cron\t5\t\n");
	pd_report_free(rep);
}

static void
test_set_defaults_rejects_plus_and_unknown_names(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 5, "cron");
	char *bad = NULL;

	assert_int_equal(pd_report_set_defaults(rep, "+PID", NULL), -EINVAL);
	assert_int_equal(pd_report_set_defaults(rep, "PID,BOGUS", &bad), -EINVAL);
	assert_string_equal(bad, "BOGUS");
	free(bad);
	assert_int_equal(pd_report_set_defaults(rep, "", NULL), -EINVAL);
	assert_tsv(rep, "5\tcron\t\t\n");
	pd_report_free(rep);
}

static void test_first_column_follows_the_selection(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	assert_int_equal(pd_report_first_column(rep), 0);
	assert_int_equal(pd_report_select(rep, "command,pid", NULL), 0);
	assert_int_equal(pd_report_first_column(rep), 1);
	pd_report_free(rep);
}

static void
test_select_all_selects_every_column_in_table_order(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 5, "cron");
	pd_report_select_all(rep);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "PID\tCOMMAND\tSIZE\tDELETED\tPATH\n5\tcron\t\t\t\n");
	pd_report_free(rep);
}

static void test_column_index_is_case_insensitive(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	assert_int_equal(pd_report_column_index(rep, "path"), C_PATH);
	assert_int_equal(pd_report_column_index(rep, "Deleted"), C_DELETED);
	assert_int_equal(pd_report_column_index(rep, "PI"), -ENOENT);
	assert_int_equal(pd_report_column_index(rep, "PIDS"), -ENOENT);
	pd_report_free(rep);
}

static void test_is_selected_follows_the_selection(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	assert_true(pd_report_is_selected(rep, C_PATH));
	assert_false(pd_report_is_selected(rep, C_DELETED));
	assert_int_equal(pd_report_select(rep, "deleted", NULL), 0);
	assert_true(pd_report_is_selected(rep, C_DELETED));
	assert_false(pd_report_is_selected(rep, C_PATH));
	pd_report_free(rep);
}

static void test_row_setters_replace_values_and_null_unsets(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row = add_row(rep);

	assert_int_equal(pd_row_set_str(row, C_PID, "old"), 0);
	pd_row_set_u64(row, C_PID, 9);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "x"), 0);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, NULL), 0);
	assert_int_equal(pd_row_set_str(row, C_PATH, "p"), 0);
	pd_row_set_bool(row, C_PATH, false);
	assert_int_equal(pd_row_set_str(row, NCOLS, "x"), -EINVAL);
	pd_row_set_u64(row, NCOLS, 1);
	assert_tsv(rep, "9\t\t\t0\n");
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"deadfiles\": [\n"
		      "  {\"pid\": 9, \"command\": null, \"size\": null, "
		      "\"path\": false}\n"
		      "]}\n");
	pd_report_free(rep);
}

/* ---- sorting ---- */

/* Rows (pid, size, command, deleted); UINT64_MAX / NULL / -1 = unknown. */
struct srow {
	uint64_t pid, size;
	const char *comm;
	int deleted;
};

static struct pd_report *sort_report(const struct srow *r, size_t n)
{
	struct pd_report *rep = new_report();
	struct pd_row *row;
	size_t i;

	for (i = 0; i < n; i++) {
		row = add_row(rep);
		pd_row_set_u64(row, C_PID, r[i].pid);
		if (r[i].size != UINT64_MAX)
			pd_row_set_u64(row, C_SIZE, r[i].size);
		assert_int_equal(pd_row_set_str(row, C_COMMAND, r[i].comm), 0);
		if (r[i].deleted >= 0)
			pd_row_set_bool(row, C_DELETED, r[i].deleted);
	}
	assert_int_equal(pd_report_select(rep, "pid", NULL), 0);
	return rep;
}

static const struct srow srows[] = {
	{1, 300, "bash", 1}, {2, UINT64_MAX, "Zsh", -1}, {3, 5000, NULL, 0},
	{4, 20, "awk", 1},   {5, UINT64_MAX, "bash", 0},
};

static void assert_sorted(const char *spec, const char *expected)
{
	struct pd_report *rep = sort_report(srows, 5);

	assert_int_equal(pd_report_sort(rep, spec), 0);
	assert_tsv(rep, expected);
	pd_report_free(rep);
}

static void test_sort_size_without_prefix_is_largest_first(void **state UNUSED)
{
	assert_sorted("size", "3\n1\n4\n2\n5\n");
}

static void
test_sort_number_without_prefix_is_largest_first(void **state UNUSED)
{
	assert_sorted("PID", "5\n4\n3\n2\n1\n");
}

static void
test_sort_string_without_prefix_is_bytewise_a_to_z(void **state UNUSED)
{
	/* Byte order puts 'Z' before 'a'; equal "bash" keep insertion order. */
	assert_sorted("command", "2\n4\n1\n5\n3\n");
}

static void test_sort_bool_without_prefix_is_false_first(void **state UNUSED)
{
	assert_sorted("deleted", "3\n5\n1\n4\n2\n");
}

static void test_sort_prefixes_override_the_default_order(void **state UNUSED)
{
	assert_sorted("+size", "4\n1\n3\n2\n5\n");
	assert_sorted("-command", "1\n5\n4\n2\n3\n");
	assert_sorted("+pid", "1\n2\n3\n4\n5\n");
	assert_sorted("-deleted", "1\n4\n3\n5\n2\n");
}

static void test_sort_puts_a_prefix_before_its_extensions(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row;

	add_pid_comm(rep, 1, "abc");
	add_pid_comm(rep, 2, "ab");
	add_pid_comm(rep, 3, "b");
	add_pid_comm(rep, 4, "a");
	row = add_row(rep);
	pd_row_set_u64(row, C_PID, 5);
	assert_int_equal(pd_row_set_strn(row, C_COMMAND, "a\0b", 3), 0);
	assert_int_equal(pd_report_select(rep, "pid", NULL), 0);
	assert_int_equal(pd_report_sort(rep, "command"), 0);
	assert_tsv(rep, "4\n5\n2\n1\n3\n");
	pd_report_free(rep);
}

static void test_sort_unknown_column_fails(void **state UNUSED)
{
	struct pd_report *rep = sort_report(srows, 5);

	assert_int_equal(pd_report_sort(rep, "nosuch"), -EINVAL);
	assert_int_equal(pd_report_sort(rep, "-"), -EINVAL);
	assert_int_equal(pd_report_sort(rep, "+-pid"), -EINVAL);
	assert_tsv(rep, "1\n2\n3\n4\n5\n");
	pd_report_free(rep);
}

static void test_sort_is_stable_over_many_equal_keys(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row;
	char expected[1024] = "", line[16];
	uint64_t i;
	int k;

	/* 100 rows, sizes in 3 groups; each group must keep pid order. */
	for (i = 0; i < 100; i++) {
		row = add_row(rep);
		pd_row_set_u64(row, C_PID, i);
		pd_row_set_u64(row, C_SIZE, i % 3);
	}
	for (k = 2; k >= 0; k--) {
		for (i = 0; i < 100; i++) {
			if (i % 3 != (uint64_t)k)
				continue;
			snprintf(line, sizeof(line), "%u\n", (unsigned)i);
			strcat(expected, line);
		}
	}
	assert_int_equal(pd_report_select(rep, "pid", NULL), 0);
	assert_int_equal(pd_report_sort(rep, "SIZE"), 0);
	assert_tsv(rep, expected);
	pd_report_free(rep);
}

/* ---- TSV ---- */

static struct pd_report *two_row_report(void)
{
	struct pd_report *rep = new_report();
	struct pd_row *row;

	row = add_row(rep);
	pd_row_set_u64(row, C_PID, 12);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "bash"), 0);
	pd_row_set_u64(row, C_SIZE, 1536);
	pd_row_set_bool(row, C_DELETED, true);
	assert_int_equal(pd_row_set_str(row, C_PATH, "/tmp/a b"), 0);
	row = add_row(rep);
	pd_row_set_u64(row, C_PID, 7);
	pd_row_set_bool(row, C_DELETED, false);
	assert_int_equal(pd_row_set_str(row, C_PATH, "/x"), 0);
	return rep;
}

static void test_tsv_prints_header_and_plain_values(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();

	assert_int_equal(pd_report_select(rep, "+deleted", NULL), 0);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "PID\tCOMMAND\tSIZE\tPATH\tDELETED\n"
		      "12\tbash\t1536\t/tmp/a b\t1\n"
		      "7\t\t\t/x\t0\n");
	/* -b changes nothing: TSV sizes are always bytes. */
	assert_prints(rep, PD_FMT_TSV, true, true,
		      "12\tbash\t1536\t/tmp/a b\t1\n"
		      "7\t\t\t/x\t0\n");
	pd_report_free(rep);
}

static void test_tsv_never_prints_the_total_row(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();
	struct pd_row *total = NULL;

	assert_int_equal(pd_report_total_row(rep, &total), 0);
	pd_row_set_u64(total, C_SIZE, 1536);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "PID\tCOMMAND\tSIZE\tPATH\n"
		      "12\tbash\t1536\t/tmp/a b\n"
		      "7\t\t\t/x\n");
	pd_report_free(rep);
}

static void test_limit_prints_the_first_sorted_rows_and_the_total(
	void **state UNUSED)
{
	struct pd_report *rep = two_row_report();
	struct pd_print_opts po = { .format = PD_FMT_TSV, .limit = 1 };
	struct pd_row *total = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(pd_report_total_row(rep, &total), 0);
	pd_row_set_u64(total, C_SIZE, 9999);
	assert_int_equal(pd_report_sort(rep, "+PID"), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print(rep, f, &po), 0);
	fclose(f);
	assert_string_equal(buf, "PID\tCOMMAND\tSIZE\tPATH\n7\t\t\t/x\n");
	free(buf);
	buf = NULL;
	po.format = PD_FMT_TABLE;
	po.bytes = true;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print(rep, f, &po), 0);
	fclose(f);
	/* one row, then the total of everything */
	assert_non_null(strstr(buf, "9999"));
	assert_null(strstr(buf, "bash"));
	free(buf);
	pd_report_free(rep);
}

static void test_tsv_prints_nothing_without_rows(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	assert_prints(rep, PD_FMT_TSV, false, false, "");
	pd_report_free(rep);
}

static void
test_tsv_escapes_tab_newline_cr_esc_and_backslash(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "a\tb\nc\rd\x1b[31me\\f\x7fg\x01");
	assert_int_equal(pd_report_select(rep, "command,pid", NULL), 0);
	assert_tsv(rep, "a\\tb\\nc\\rd\\x1b[31me\\\\f\\x7fg\\x01\t1\n");
	pd_report_free(rep);
}

static void
test_tsv_escapes_invalid_utf8_but_not_utf8_or_space(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "caf\xc3\xa9 \xff\xfe x");
	assert_int_equal(pd_report_select(rep, "command", NULL), 0);
	assert_tsv(rep, "caf\xc3\xa9 \\xff\\xfe x\n");
	pd_report_free(rep);
}

static void test_tsv_keeps_nul_bytes_of_a_counted_string(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row = add_row(rep);

	assert_int_equal(pd_row_set_strn(row, C_PATH, "a\0b", 3), 0);
	assert_int_equal(pd_report_select(rep, "path", NULL), 0);
	assert_tsv(rep, "a\\x00b\n");
	pd_report_free(rep);
}

/* ---- escaping helpers ---- */

static void test_escape_tsv_rejects_each_bad_utf8_byte(void **state UNUSED)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{"\xc0\xaf", 2, "\\xc0\\xaf"},		/* overlong '/' */
		{"\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf"}, /* overlong */
		{"\xed\xa0\x80", 3, "\\xed\\xa0\\x80"}, /* U+D800 */
		{"\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80"}, /* > 10FFFF */
		{"\xe2\x82", 2, "\\xe2\\x82"},			 /* truncated */
		{"\xe2\x82!", 3, "\\xe2\\x82!"},		 /* cut short */
		{"\xe2\x82\xac", 2, "\\xe2\\x82"},		 /* len rules */
		{"\x80\xc3\xa9", 3, "\\x80\xc3\xa9"},		 /* resync */
		{"\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"},	 /* U+1F600 */
		{"\xef\xbf\xbf", 3, "\xef\xbf\xbf"},		 /* U+FFFF */
		{"\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"},	 /* U+10FFFF */
		{"", 0, ""},
	};
	size_t i;
	char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = pd_escape_tsv(cases[i].in, cases[i].len);
		assert_non_null(out);
		assert_string_equal(out, cases[i].out);
		free(out);
	}
}

static void
test_escape_json_replaces_bad_bytes_and_escapes_controls(void **state UNUSED)
{
	bool valid = true;
	char *out;

	out = pd_escape_json_utf8("q\"b\\n\n\t\r\b\f\x01\x1f\x7f\xc3\xa9", 15,
				  &valid);
	assert_non_null(out);
	assert_string_equal(out, "q\\\"b\\\\n\\n\\t\\r\\b\\f\\u0001\\u001f"
				 "\\u007f\xc3\xa9");
	assert_true(valid);
	free(out);

	out = pd_escape_json_utf8("a\xff\xe2\x82.\0c", 7, &valid);
	assert_non_null(out);
	assert_string_equal(out, "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
				 ".\\u0000c");
	assert_false(valid);
	free(out);
}

/*
 * C1 controls (U+009B is CSI to a terminal) and the bidi controls that
 * reorder what a terminal shows go out as \xHH bytes; their neighbours
 * (NBSP U+00A0, ARABIC SEMICOLON U+061B, ZWJ U+200D, U+202F, U+2065,
 * U+2070) stay as they are.
 */
static const char c1_bidi_in[] =
	"\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0|\xd8\x9b\xd8\x9c|"
	"\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f|"
	"\xe2\x80\xa9\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"
	"\xe2\x80\xae\xe2\x80\xaf|"
	"\xe2\x81\xa5\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"
	"\xe2\x81\xb0";

static void test_escape_tsv_writes_c1_and_bidi_controls_as_hex(void **state
							       UNUSED)
{
	char *out = pd_escape_tsv(c1_bidi_in, strlen(c1_bidi_in));

	assert_non_null(out);
	assert_string_equal(out,
		"\\xc2\\x80\\xc2\\x9b\\xc2\\x9f\xc2\xa0|\xd8\x9b\\xd8\\x9c|"
		"\xe2\x80\x8d\\xe2\\x80\\x8e\\xe2\\x80\\x8f|"
		"\xe2\x80\xa9\\xe2\\x80\\xaa\\xe2\\x80\\xab\\xe2\\x80\\xac"
		"\\xe2\\x80\\xad\\xe2\\x80\\xae\xe2\x80\xaf|"
		"\xe2\x81\xa5\\xe2\\x81\\xa6\\xe2\\x81\\xa7\\xe2\\x81\\xa8"
		"\\xe2\\x81\\xa9\xe2\x81\xb0");
	free(out);
}

static void test_escape_json_writes_c1_and_bidi_controls_as_u(void **state
							      UNUSED)
{
	bool valid = false;
	char *out = pd_escape_json_utf8(c1_bidi_in, strlen(c1_bidi_in),
					&valid);

	assert_non_null(out);
	assert_string_equal(out,
		"\\u0080\\u009b\\u009f\xc2\xa0|\xd8\x9b\\u061c|"
		"\xe2\x80\x8d\\u200e\\u200f|"
		"\xe2\x80\xa9\\u202a\\u202b\\u202c\\u202d\\u202e\xe2\x80\xaf|"
		"\xe2\x81\xa5\\u2066\\u2067\\u2068\\u2069\xe2\x81\xb0");
	/* valid UTF-8: JSON's own escapes say it all, no _raw key */
	assert_true(valid);
	free(out);
}

/* In a UTF-8 locale the table shows U+202E escaped, like the TSV. */
static void test_table_shows_bidi_override_as_hex(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "a\xe2\x80\xae" "fdp.exe");
	assert_int_equal(pd_report_select(rep, "command", NULL), 0);
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		pd_report_free(rep);
		skip();
	}
	assert_prints(rep, PD_FMT_TABLE, true, false,
		      "a\\xe2\\x80\\xaefdp.exe\n");
	assert_non_null(setlocale(LC_CTYPE, "C"));
	pd_report_free(rep);
}

/*
 * The text escape for terminals (messages, --explain): the table's, so a
 * backslash doubles; with PD_ESCAPE_KEEP_BACKSLASH (text whose names are
 * escaped already) only what is still unsafe is escaped.
 */
static void test_escape_text_is_the_table_escape(void **state UNUSED)
{
	static const char in[] = "/mnt/\x1b]0;t\x07\n\tx\\y\xc2\x9b\xe2\x80\xae"
				 "caf\xc3\xa9\xff";
	char *out;

	assert_non_null(setlocale(LC_CTYPE, "C"));
	out = pd_escape_text(in, strlen(in), 0);
	assert_non_null(out);
	assert_string_equal(out, "/mnt/\\x1b]0;t\\x07\\n\\tx\\\\y\\xc2\\x9b"
				 "\\xe2\\x80\\xaecaf\\xc3\\xa9\\xff");
	free(out);
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		skip();
	out = pd_escape_text(in, strlen(in), 0);
	assert_non_null(out);
	assert_string_equal(out, "/mnt/\\x1b]0;t\\x07\\n\\tx\\\\y\\xc2\\x9b"
				 "\\xe2\\x80\\xaecaf\xc3\xa9\\xff");
	free(out);
	out = pd_escape_text(in, strlen(in), PD_ESCAPE_KEEP_BACKSLASH);
	assert_non_null(out);
	assert_string_equal(out, "/mnt/\\x1b]0;t\\x07\\n\\tx\\y\\xc2\\x9b"
				 "\\xe2\\x80\\xaecaf\xc3\xa9\\xff");
	free(out);
	assert_non_null(setlocale(LC_CTYPE, "C"));
}

/* ---- JSON ---- */

static void test_json_prints_rows_exactly(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();

	assert_int_equal(pd_report_select(rep, "pid,path", NULL), 0);
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"deadfiles\": [\n"
		      "  {\"pid\": 12, \"path\": \"/tmp/a b\"},\n"
		      "  {\"pid\": 7, \"path\": \"/x\"}\n"
		      "]}\n");
	pd_report_free(rep);
}

static void test_json_prints_null_booleans_and_integers(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();
	struct pd_row *total = NULL;

	/* The total row and -b change nothing in JSON. */
	assert_int_equal(pd_report_total_row(rep, &total), 0);
	pd_row_set_u64(total, C_SIZE, 1536);
	assert_int_equal(pd_report_select(rep, "+deleted", NULL), 0);
	assert_prints(rep, PD_FMT_JSON, true, true,
		      "{\"deadfiles\": [\n"
		      "  {\"pid\": 12, \"command\": \"bash\", \"size\": 1536, "
		      "\"path\": \"/tmp/a b\", \"deleted\": true},\n"
		      "  {\"pid\": 7, \"command\": null, \"size\": null, "
		      "\"path\": \"/x\", \"deleted\": false}\n"
		      "]}\n");
	pd_report_free(rep);
}

static void test_json_without_rows_is_an_empty_list(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	assert_prints(rep, PD_FMT_JSON, false, false, "{\"deadfiles\": []}\n");
	pd_report_free(rep);
}

static void test_json_adds_raw_key_after_invalid_utf8(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row = add_row(rep);

	assert_int_equal(pd_row_set_str(row, C_PATH, "/tmp/\xff\\x"), 0);
	pd_row_set_u64(row, C_PID, 18446744073709551615ULL);
	assert_int_equal(pd_report_select(rep, "path,pid", NULL), 0);
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"deadfiles\": [\n"
		      "  {\"path\": \"/tmp/\xef\xbf\xbd\\\\x\", "
		      "\"path_raw\": \"/tmp/\\\\xff\\\\\\\\x\", "
		      "\"pid\": 18446744073709551615}\n"
		      "]}\n");
	pd_report_free(rep);
}

/* Exit status of a python3 check fed TEXT on stdin. */
static int python_check(const char *script, const char *text)
{
	char cmd[1024];
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "python3 -c '%s' 2>/dev/null", script);
	p = popen(cmd, "w");
	assert_non_null(p);
	assert_int_not_equal(fputs(text, p), EOF);
	status = pclose(p);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_json_output_parses_and_round_trips(void **state UNUSED)
{
	static const char script[] =
		"import json,sys\n"
		"d = json.load(sys.stdin)[\"deadfiles\"]\n"
		"ok = d == [{\"command\": \"q\\\"\\\\\\t\\x1b\\x7f\", "
		"\"path\": \"\\ufffd\\u00e9\", \"path_raw\": "
		"\"\\\\xff\\u00e9\", "
		"\"size\": 0, \"deleted\": None}, "
		"{\"command\": \"\", \"path\": None, \"size\": 1, "
		"\"deleted\": True}]\n"
		"sys.exit(0 if ok else 3)\n";
	struct pd_report *rep = new_report();
	struct pd_row *row;
	char *out;

	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "q\"\\\t\x1b\x7f"), 0);
	assert_int_equal(pd_row_set_str(row, C_PATH, "\xff\xc3\xa9"), 0);
	pd_row_set_u64(row, C_SIZE, 0);
	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, ""), 0);
	pd_row_set_u64(row, C_SIZE, 1);
	pd_row_set_bool(row, C_DELETED, true);
	assert_int_equal(
		pd_report_select(rep, "command,path,size,deleted", NULL), 0);
	out = print_fmt(rep, PD_FMT_JSON, false, false);
	assert_int_equal(python_check(script, out), 0);
	free(out);

	out = print_fmt(rep, PD_FMT_JSON, false, false);
	out[strlen(out) - 3] = ' '; /* drop the ']': the check must fail */
	assert_int_not_equal(python_check(script, out), 0);
	free(out);
	pd_report_free(rep);
}

/* ---- human table ---- */

static void test_table_prints_nothing_without_rows(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *total = NULL;

	assert_int_equal(pd_report_total_row(rep, &total), 0);
	pd_row_set_u64(total, C_SIZE, 1);
	assert_prints(rep, PD_FMT_TABLE, false, false, "");
	pd_report_free(rep);
}

static void
test_table_aligns_numbers_right_and_shows_unknown_as_dash(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();

	assert_int_equal(pd_report_select(rep, "+deleted", NULL), 0);
	assert_prints(rep, PD_FMT_TABLE, false, false,
		      "PID COMMAND SIZE PATH     DELETED\n"
		      " 12 bash    1.5K /tmp/a b yes\n"
		      "  7 -          - /x       no\n");
	assert_prints(rep, PD_FMT_TABLE, true, false,
		      " 12 bash    1.5K /tmp/a b yes\n"
		      "  7 -          - /x       no\n");
	pd_report_free(rep);
}

static void
test_table_prints_sizes_in_bytes_with_bytes_option(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();

	assert_int_equal(pd_report_select(rep, "size,pid", NULL), 0);
	assert_prints(rep, PD_FMT_TABLE, false, true,
		      "SIZE PID\n"
		      "1536  12\n"
		      "   -   7\n");
	pd_report_free(rep);
}

static void test_table_prints_total_row_last(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();
	struct pd_row *total = NULL;

	assert_int_equal(pd_report_total_row(rep, &total), 0);
	pd_row_set_u64(total, C_SIZE, 10 * 1024 * 1024 + 512 * 1024);
	assert_int_equal(pd_report_select(rep, "command,size,pid", NULL), 0);
	assert_int_equal(pd_report_sort(rep, "pid"), 0);
	assert_prints(rep, PD_FMT_TABLE, false, false,
		      "COMMAND  SIZE PID\n"
		      "bash     1.5K  12\n"
		      "-           -   7\n"
		      "total   10.5M \n");
	pd_report_free(rep);
}

static void test_table_total_row_keeps_a_set_first_cell(void **state UNUSED)
{
	struct pd_report *rep = two_row_report();
	struct pd_row *total = NULL;

	assert_int_equal(pd_report_total_row(rep, &total), 0);
	assert_int_equal(pd_row_set_str(total, C_COMMAND, "all"), 0);
	pd_row_set_u64(total, C_PID, 2);
	assert_int_equal(pd_report_select(rep, "command,pid", NULL), 0);
	assert_prints(rep, PD_FMT_TABLE, true, false,
		      "bash     12\n"
		      "-         7\n"
		      "all       2\n");
	pd_report_free(rep);
}

static void test_note_shows_in_the_table_only(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	struct pd_row *row;

	row = add_row(rep);
	pd_row_set_u64(row, C_PID, 788);
	assert_int_equal(pd_row_set_note(row, C_PID, "kernel 789"), 0);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "java"), 0);
	row = add_row(rep);
	pd_row_set_u64(row, C_PID, 1013);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "worker"), 0);
	/* a value set after the note clears it */
	assert_int_equal(pd_row_set_note(row, C_COMMAND, "x\ty"), 0);
	assert_int_equal(pd_row_set_str(row, C_COMMAND, "worker"), 0);
	assert_int_equal(pd_report_select(rep, "pid,command", NULL), 0);
	assert_prints(rep, PD_FMT_TABLE, false, false,
		      "             PID COMMAND\n"
		      "788 (kernel 789) java\n"
		      "            1013 worker\n");
	assert_tsv(rep, "788\tjava\n1013\tworker\n");
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"deadfiles\": [\n"
		      "  {\"pid\": 788, \"command\": \"java\"},\n"
		      "  {\"pid\": 1013, \"command\": \"worker\"}\n"
		      "]}\n");
	/* the sort looks at the value, never the note */
	assert_int_equal(pd_report_sort(rep, "+pid"), 0);
	assert_tsv(rep, "788\tjava\n1013\tworker\n");
	pd_report_free(rep);
}

static void test_table_shows_esc_as_backslash_x1b_not_raw(void **state UNUSED)
{
	struct pd_report *rep = new_report();
	char *out;

	add_pid_comm(rep, 1, "\x1b]0;pwned\a\tz\\x");
	assert_int_equal(pd_report_select(rep, "command,pid", NULL), 0);
	out = print_fmt(rep, PD_FMT_TABLE, false, false);
	assert_string_equal(out, "COMMAND                PID\n"
				 "\\x1b]0;pwned\\x07\\tz\\\\x   1\n");
	assert_null(memchr(out, 0x1b, strlen(out)));
	free(out);
	pd_report_free(rep);
}

static void test_table_shows_utf8_only_in_a_utf8_locale(void **state UNUSED)
{
	struct pd_report *rep = new_report();

	add_pid_comm(rep, 1, "caf\xc3\xa9");
	add_pid_comm(rep, 22, "1m\xc2\x9b"); /* C1 CSI: never raw */
	assert_int_equal(pd_report_select(rep, "command,pid", NULL), 0);
	assert_prints(rep, PD_FMT_TABLE, true, false,
		      "caf\\xc3\\xa9   1\n"
		      "1m\\xc2\\x9b   22\n");
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		pd_report_free(rep);
		skip();
	}
	assert_prints(rep, PD_FMT_TABLE, true, false,
		      "caf\xc3\xa9         1\n"
		      "1m\\xc2\\x9b  22\n");
	assert_non_null(setlocale(LC_CTYPE, "C"));
	pd_report_free(rep);
}

/* ---- signed sizes ---- */

enum { G_NAME, G_GROWTH, NGCOLS };

static const struct pd_column growth_cols[NGCOLS] = {
	[G_NAME] = {"NAME", PD_COL_STR, PD_COLF_DEFAULT, "name"},
	[G_GROWTH] = {"GROWTH", PD_COL_SSIZE, PD_COLF_DEFAULT | PD_COLF_PLUS,
		      "growth"},
};

static struct pd_report *growth_report(void)
{
	static const struct {
		const char *name;
		int64_t growth;
	} g[] = {
		{"shrunk", -4096},  {"grown", 1536},	{"same", 0},
		{"min", INT64_MIN}, {"max", INT64_MAX},
	};
	struct pd_report *rep = NULL;
	struct pd_row *row;
	size_t i;

	assert_int_equal(pd_report_new("g", growth_cols, NGCOLS, &rep), 0);
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		row = add_row(rep);
		assert_int_equal(pd_row_set_str(row, G_NAME, g[i].name), 0);
		pd_row_set_s64(row, G_GROWTH, g[i].growth);
	}
	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, G_NAME, "unknown"), 0);
	return rep;
}

static void test_signed_size_keeps_its_sign_in_every_format(void **state UNUSED)
{
	struct pd_report *rep = growth_report();

	assert_prints(rep, PD_FMT_TABLE, false, false,
		      "NAME    GROWTH\n"
		      "shrunk     -4K\n"
		      "grown    +1.5K\n"
		      "same        0B\n"
		      "min        -8E\n"
		      "max        +8E\n"
		      "unknown      -\n");
	assert_prints(rep, PD_FMT_TABLE, true, true,
		      "shrunk                 -4096\n"
		      "grown                  +1536\n"
		      "same                       0\n"
		      "min     -9223372036854775808\n"
		      "max     +9223372036854775807\n"
		      "unknown                    -\n");
	assert_prints(rep, PD_FMT_TSV, true, true,
		      "shrunk\t-4096\n"
		      "grown\t1536\n"
		      "same\t0\n"
		      "min\t-9223372036854775808\n"
		      "max\t9223372036854775807\n"
		      "unknown\t\n");
	assert_int_equal(pd_report_select(rep, "growth", NULL), 0);
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"g\": [\n"
		      "  {\"growth\": -4096},\n"
		      "  {\"growth\": 1536},\n"
		      "  {\"growth\": 0},\n"
		      "  {\"growth\": -9223372036854775808},\n"
		      "  {\"growth\": 9223372036854775807},\n"
		      "  {\"growth\": null}\n"
		      "]}\n");
	pd_report_free(rep);
}

static void test_signed_number_shows_no_plus_without_the_flag(void **state UNUSED)
{
	static const struct pd_column adj_cols[] = {
		{"ADJ", PD_COL_NUM, PD_COLF_DEFAULT, "oom_score_adj"},
		{"BYTES", PD_COL_SSIZE, PD_COLF_DEFAULT, "badness in bytes"},
	};
	struct pd_report *rep = NULL;
	struct pd_row *row;

	assert_int_equal(pd_report_new("a", adj_cols, 2, &rep), 0);
	row = add_row(rep);
	pd_row_set_s64(row, 0, -1000);
	pd_row_set_s64(row, 1, -4096);
	row = add_row(rep);
	pd_row_set_s64(row, 0, 500);
	pd_row_set_s64(row, 1, 1536);
	assert_prints(rep, PD_FMT_TABLE, false, false,
		      "  ADJ BYTES\n"
		      "-1000   -4K\n"
		      "  500  1.5K\n");
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "ADJ\tBYTES\n-1000\t-4096\n500\t1536\n");
	pd_report_free(rep);
}

static void test_signed_size_sorts_largest_first_by_default(void **state UNUSED)
{
	struct pd_report *rep = growth_report();

	assert_int_equal(pd_report_select(rep, "name", NULL), 0);
	assert_int_equal(pd_report_sort(rep, "growth"), 0);
	assert_tsv(rep, "max\ngrown\nsame\nshrunk\nmin\nunknown\n");
	assert_int_equal(pd_report_sort(rep, "+growth"), 0);
	assert_tsv(rep, "min\nshrunk\nsame\ngrown\nmax\nunknown\n");
	pd_report_free(rep);
}

static void test_print_columns_calls_a_signed_size_a_size(void **state UNUSED)
{
	struct pd_print_opts opts = {.format = PD_FMT_TSV, .noheadings = true};
	struct pd_report *rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(pd_report_new("g", growth_cols, NGCOLS, &rep), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print_columns(rep, f, &opts), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "NAME\tstring\tname\nGROWTH\tsize\tgrowth\n");
	free(buf);
	pd_report_free(rep);
}

/* ---- -H ---- */

static void assert_columns(enum pd_format format, bool noheadings,
			   const char *expected)
{
	struct pd_print_opts opts = {.format = format,
				     .noheadings = noheadings};
	struct pd_report *rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(pd_report_new("t", cols, 3, &rep), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print_columns(rep, f, &opts), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, expected);
	free(buf);
	pd_report_free(rep);
}

static void
test_print_columns_lists_every_column_in_each_format(void **state UNUSED)
{
	assert_columns(PD_FMT_TSV, false,
		       "NAME\tTYPE\tDESCRIPTION\n"
		       "PID\tnumber\tprocess id\n"
		       "COMMAND\tstring\tcomm\n"
		       "SIZE\tsize\tsize in bytes\n");
	assert_columns(PD_FMT_TABLE, true,
		       "PID     number process id\n"
		       "COMMAND string comm\n"
		       "SIZE    size   size in bytes\n");
	assert_columns(PD_FMT_JSON, false,
		       "{\"columns\": [\n"
		       "  {\"name\": \"PID\", \"type\": \"number\", "
		       "\"description\": \"process id\"},\n"
		       "  {\"name\": \"COMMAND\", \"type\": \"string\", "
		       "\"description\": \"comm\"},\n"
		       "  {\"name\": \"SIZE\", \"type\": \"size\", "
		       "\"description\": \"size in bytes\"}\n"
		       "]}\n");
}

static void test_print_columns_names_the_boolean_type(void **state UNUSED)
{
	struct pd_print_opts opts = {.format = PD_FMT_TSV, .noheadings = true};
	struct pd_report *rep;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(pd_report_new("t", cols + C_DELETED, 1, &rep), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pd_report_print_columns(rep, f, &opts), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "DELETED\tboolean\tunlinked\n");
	free(buf);
	pd_report_free(rep);
}

/* ---- write errors ---- */

static void test_print_returns_epipe_in_every_format(void **state UNUSED)
{
	static const enum pd_format formats[] = {
		PD_FMT_TABLE,
		PD_FMT_TSV,
		PD_FMT_JSON,
	};
	struct pd_report *rep = two_row_report();
	struct pd_print_opts opts = {0};
	void (*old)(int);
	size_t i;
	int p[2];
	FILE *f;

	old = signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pipe(p), 0);
		assert_int_equal(close(p[0]), 0);
		f = fdopen(p[1], "w");
		assert_non_null(f);
		opts.format = formats[i];
		assert_int_equal(pd_report_print(rep, f, &opts), -EPIPE);
		fclose(f);
	}
	signal(SIGPIPE, old);
	pd_report_free(rep);
}

/* ---- sizes ---- */

static void test_size_to_human_matches_df_h_style(void **state UNUSED)
{
	static const struct {
		uint64_t bytes;
		const char *text;
	} cases[] = {
		{0, "0B"},
		{1, "1B"},
		{1023, "1023B"},
		{1024, "1K"},
		{1536, "1.5K"},
		{1075, "1K"},	/* 1.0498K */
		{1076, "1.1K"}, /* 1.0508K: half up */
		{1048524, "1023.9K"},
		{1048535, "1M"}, /* 1023.96K carries */
		{1048575, "1M"},
		{1048576, "1M"},
		{10 * 1024 * 1024 + 512 * 1024, "10.5M"},
		{1073741824ULL * 3 / 2, "1.5G"},
		{1ULL << 40, "1T"},
		{1ULL << 62, "4E"},
		{UINT64_MAX, "16E"},
	};
	char buf[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		pd_size_to_human(cases[i].bytes, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].text);
	}
}

/* ---- two decimal places ---- */

static void
test_centi_column_prints_hundredths_with_two_decimals(void **state UNUSED)
{
	static const struct pd_column pcols[] = {
		{"NAME", PD_COL_STR, PD_COLF_DEFAULT, "name"},
		{"USE_PCT", PD_COL_CENTI, PD_COLF_DEFAULT, "percent"},
	};
	struct pd_report *rep = NULL;
	struct pd_row *row;
	char *out;

	assert_int_equal(pd_report_new("memwhere", pcols, 2, &rep), 0);
	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, 0, "a"), 0);
	pd_row_set_u64(row, 1, 938);
	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, 0, "b"), 0);
	pd_row_set_s64(row, 1, -5);
	row = add_row(rep);
	assert_int_equal(pd_row_set_str(row, 0, "c"), 0);
	pd_row_set_u64(row, 1, 10000);
	assert_prints(rep, PD_FMT_TSV, false, false,
		      "NAME\tUSE_PCT\na\t9.38\nb\t-0.05\nc\t100.00\n");
	assert_prints(rep, PD_FMT_JSON, false, false,
		      "{\"memwhere\": [\n"
		      "  {\"name\": \"a\", \"use_pct\": 9.38},\n"
		      "  {\"name\": \"b\", \"use_pct\": -0.05},\n"
		      "  {\"name\": \"c\", \"use_pct\": 100.00}\n]}\n");
	/* -b changes sizes only: a decimal stays one */
	assert_prints(rep, PD_FMT_TABLE, false, true,
		      "NAME USE_PCT\na       9.38\nb      -0.05\nc     100.00\n");
	assert_int_equal(pd_report_sort(rep, "USE_PCT"), 0);
	out = print_fmt(rep, PD_FMT_TSV, true, false);
	assert_string_equal(out, "c\t100.00\na\t9.38\nb\t-0.05\n");
	free(out);
	pd_report_free(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_report_selects_the_default_columns),
		cmocka_unit_test(test_select_plus_list_appends_to_defaults),
		cmocka_unit_test(
			test_select_is_case_insensitive_and_allows_repeats),
		cmocka_unit_test(test_select_unknown_name_fails_and_returns_it),
		cmocka_unit_test(
			test_select_empty_list_or_item_fails_with_empty_name),
		cmocka_unit_test(
			test_set_defaults_sets_selection_and_plus_base),
		cmocka_unit_test(
			test_set_defaults_rejects_plus_and_unknown_names),
		cmocka_unit_test(test_first_column_follows_the_selection),
		cmocka_unit_test(
			test_select_all_selects_every_column_in_table_order),
		cmocka_unit_test(test_column_index_is_case_insensitive),
		cmocka_unit_test(test_is_selected_follows_the_selection),
		cmocka_unit_test(
			test_row_setters_replace_values_and_null_unsets),
		cmocka_unit_test(
			test_sort_size_without_prefix_is_largest_first),
		cmocka_unit_test(
			test_sort_number_without_prefix_is_largest_first),
		cmocka_unit_test(
			test_sort_string_without_prefix_is_bytewise_a_to_z),
		cmocka_unit_test(test_sort_bool_without_prefix_is_false_first),
		cmocka_unit_test(test_sort_prefixes_override_the_default_order),
		cmocka_unit_test(test_sort_puts_a_prefix_before_its_extensions),
		cmocka_unit_test(test_sort_unknown_column_fails),
		cmocka_unit_test(test_sort_is_stable_over_many_equal_keys),
		cmocka_unit_test(test_tsv_prints_header_and_plain_values),
		cmocka_unit_test(test_tsv_never_prints_the_total_row),
		cmocka_unit_test(
			test_limit_prints_the_first_sorted_rows_and_the_total),
		cmocka_unit_test(test_tsv_prints_nothing_without_rows),
		cmocka_unit_test(
			test_tsv_escapes_tab_newline_cr_esc_and_backslash),
		cmocka_unit_test(
			test_tsv_escapes_invalid_utf8_but_not_utf8_or_space),
		cmocka_unit_test(test_tsv_keeps_nul_bytes_of_a_counted_string),
		cmocka_unit_test(test_escape_tsv_rejects_each_bad_utf8_byte),
		cmocka_unit_test(
			test_escape_json_replaces_bad_bytes_and_escapes_controls),
		cmocka_unit_test(
			test_escape_tsv_writes_c1_and_bidi_controls_as_hex),
		cmocka_unit_test(
			test_escape_json_writes_c1_and_bidi_controls_as_u),
		cmocka_unit_test(test_table_shows_bidi_override_as_hex),
		cmocka_unit_test(test_escape_text_is_the_table_escape),
		cmocka_unit_test(test_json_prints_rows_exactly),
		cmocka_unit_test(test_json_prints_null_booleans_and_integers),
		cmocka_unit_test(test_json_without_rows_is_an_empty_list),
		cmocka_unit_test(test_json_adds_raw_key_after_invalid_utf8),
		cmocka_unit_test(test_json_output_parses_and_round_trips),
		cmocka_unit_test(test_table_prints_nothing_without_rows),
		cmocka_unit_test(
			test_table_aligns_numbers_right_and_shows_unknown_as_dash),
		cmocka_unit_test(
			test_table_prints_sizes_in_bytes_with_bytes_option),
		cmocka_unit_test(test_table_prints_total_row_last),
		cmocka_unit_test(test_table_total_row_keeps_a_set_first_cell),
		cmocka_unit_test(test_table_shows_esc_as_backslash_x1b_not_raw),
		cmocka_unit_test(test_table_shows_utf8_only_in_a_utf8_locale),
		cmocka_unit_test(
			test_print_columns_lists_every_column_in_each_format),
		cmocka_unit_test(test_print_columns_names_the_boolean_type),
		cmocka_unit_test(
			test_signed_size_keeps_its_sign_in_every_format),
		cmocka_unit_test(
			test_signed_number_shows_no_plus_without_the_flag),
		cmocka_unit_test(
			test_signed_size_sorts_largest_first_by_default),
		cmocka_unit_test(test_print_columns_calls_a_signed_size_a_size),
		cmocka_unit_test(test_print_returns_epipe_in_every_format),
		cmocka_unit_test(test_note_shows_in_the_table_only),
		cmocka_unit_test(test_size_to_human_matches_df_h_style),
		cmocka_unit_test(
			test_centi_column_prints_hundredths_with_two_decimals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
