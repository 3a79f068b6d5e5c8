/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/zfsarc: OpenZFS 2.1 and ZoL 0.6 arcstats, signed rows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "zfsarc.h"

#define PROC PD_FIXTURES_DIR "/memwhere/proc"
#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"

/* ZoL 0.6.5: other_size, no dbuf/dnode/bonus, no abd_chunk_waste_size. */
static const char zol06[] =
	"6 1 0x01 91 4368 2587652417 8340139734526\n"
	"name                            type data\n"
	"hits                            4    2087455\n"
	"p                               4    536870912\n"
	"c                               4    1073741824\n"
	"c_min                           4    33554432\n"
	"c_max                           4    1073741824\n"
	"size                            4    1000000000\n"
	"hdr_size                        4    10000000\n"
	"data_size                       4    800000000\n"
	"metadata_size                   4    150000000\n"
	"other_size                      4    40000000\n"
	"l2_hdr_size                     4    0\n"
	"arc_meta_used                   4    200000000\n";

static uint64_t get(const struct pd_zfsarc *arc, const char *name)
{
	uint64_t v = 0;

	if (pd_zfsarc_get(arc, name, &v) < 0)
		fail_msg("no %s", name);
	return v;
}

static void test_zfsarc_read_openzfs_21_size_is_its_parts(void **state)
{
	struct pd_procfs *pfs;
	struct pd_zfsarc *arc;
	uint64_t parts = 0, v = 7;
	int64_t s = 0;

	(void)state;
	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_zfsarc_read(pfs, &arc), 0);
	assert_int_equal(pd_zfsarc_count(arc), 24);
	assert_string_equal(pd_zfsarc_name(arc, 0), "hits");
	assert_null(pd_zfsarc_name(arc, 24));
	assert_int_equal(get(arc, "size"), 4294967296ull);
	assert_int_equal(get(arc, "c"), 5368709120ull);
	assert_int_equal(get(arc, "c_min"), 1073741824);
	assert_int_equal(get(arc, "c_max"), 8589934592ull);
	assert_int_equal(pd_zfsarc_parts(arc, &parts), 0);
	assert_int_equal(parts, get(arc, "size"));
	/* a signed row below zero: not a size */
	assert_int_equal(pd_zfsarc_get(arc, "memory_available_bytes", &v),
			 -ERANGE);
	assert_int_equal(v, 7);
	assert_int_equal(pd_zfsarc_get_signed(arc, "memory_available_bytes",
					      &s), 0);
	assert_int_equal(s, -134217728);
	assert_int_equal(pd_zfsarc_get(arc, "other_size", &v), -ENOENT);
	pd_zfsarc_free(arc);
	pd_procfs_free(pfs);
}

static void test_zfsarc_zol_06_other_size_counts(void **state)
{
	struct pd_zfsarc *arc;
	uint64_t parts = 0;

	(void)state;
	assert_int_equal(pd_zfsarc_parse(zol06, strlen(zol06), &arc), 0);
	assert_int_equal(pd_zfsarc_parts(arc, &parts), 0);
	assert_int_equal(parts, 1000000000);
	assert_int_equal(get(arc, "size"), parts);
	assert_int_equal(pd_zfsarc_get(arc, "dbuf_size", NULL), -ENOENT);
	pd_zfsarc_free(arc);
}

static void test_zfsarc_skips_odd_rows_and_types(void **state)
{
	static const char text[] =
		"13 1 0x01 5 240 1 2\n"
		"name                            type data\n"
		"a                               4    1\n"
		"s                               7    text\n"
		"neg32                           1    -5\n"
		"u32                             2    -5\n"
		"big                             4    18446744073709551616\n"
		"short                           4\n"
		"a                               4    2\n"
		"max                             4    18446744073709551615\n";
	struct pd_zfsarc *arc;
	uint64_t parts = 9;
	int64_t s = 0;

	(void)state;
	assert_int_equal(pd_zfsarc_parse(text, strlen(text), &arc), 0);
	/* a (the first), neg32, max */
	assert_int_equal(pd_zfsarc_count(arc), 3);
	assert_int_equal(get(arc, "a"), 1);
	assert_int_equal(get(arc, "max"), UINT64_MAX);
	assert_int_equal(pd_zfsarc_get_signed(arc, "max", &s), -ERANGE);
	assert_int_equal(pd_zfsarc_get_signed(arc, "neg32", &s), 0);
	assert_int_equal(s, -5);
	assert_int_equal(pd_zfsarc_get(arc, "u32", NULL), -ENOENT);
	assert_int_equal(pd_zfsarc_get(arc, "s", NULL), -ENOENT);
	assert_int_equal(pd_zfsarc_parts(arc, &parts), -ENOENT);
	assert_int_equal(parts, 9);
	pd_zfsarc_free(arc);
}

static void test_zfsarc_needs_the_name_type_data_line(void **state)
{
	static const char bad[] = "13 1 0x01 5 240 1 2\nhits 4 1\n";
	struct pd_zfsarc *arc = NULL;
	struct pd_procfs *pfs;

	(void)state;
	assert_int_equal(pd_zfsarc_parse(bad, strlen(bad), &arc), -EINVAL);
	assert_int_equal(pd_zfsarc_parse("", 0, &arc), -EINVAL);
	assert_null(arc);
	/* no ZFS: no spl/ */
	assert_int_equal(pd_procfs_new(SAMPLES, &pfs), 0);
	assert_int_equal(pd_zfsarc_read(pfs, &arc), -ENOENT);
	pd_procfs_free(pfs);
}

/* A NUL cannot be in a C string: such a name is no name (found by fuzzing). */
static void test_zfsarc_names_with_a_nul_are_skipped(void **state)
{
	static const char text[] = "13 1 0x01 2 96 1 2\n"
				   "name type data\n"
				   "\0bad 4 1\n"
				   "b\0d 4 1\n"
				   "ok 4 2\n";
	struct pd_zfsarc *arc;

	(void)state;
	assert_int_equal(pd_zfsarc_parse(text, sizeof(text) - 1, &arc), 0);
	assert_int_equal(pd_zfsarc_count(arc), 1);
	assert_string_equal(pd_zfsarc_name(arc, 0), "ok");
	pd_zfsarc_free(arc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zfsarc_names_with_a_nul_are_skipped),
		cmocka_unit_test(test_zfsarc_read_openzfs_21_size_is_its_parts),
		cmocka_unit_test(test_zfsarc_zol_06_other_size_counts),
		cmocka_unit_test(test_zfsarc_skips_odd_rows_and_types),
		cmocka_unit_test(test_zfsarc_needs_the_name_type_data_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
