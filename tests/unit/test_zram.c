/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/zram: mm_stat of 7, 8 and 9 columns, 3.10's files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"
#include "zram.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define SYS PD_FIXTURES_DIR "/memwhere/sys"

static int parse(const char *text, struct pd_zram_mm_stat *st)
{
	return pd_zram_mm_stat_parse(text, strlen(text), st);
}

static void test_zram_mm_stat_nine_columns_of_5_15(void **state)
{
	struct pd_zram_mm_stat st;

	(void)state;
	assert_int_equal(parse("1073741824 268435456 285212672        0 "
			       "301989888     1024       77       12       40\n",
			       &st), 0);
	assert_int_equal(st.nr_fields, 9);
	assert_int_equal(st.orig_data_size, 1073741824);
	assert_int_equal(st.compr_data_size, 268435456);
	assert_int_equal(st.mem_used_total, 285212672);
	assert_int_equal(st.mem_limit, 0);
	assert_int_equal(st.mem_used_max, 301989888);
	assert_int_equal(st.same_pages, 1024);
	assert_int_equal(st.pages_compacted, 77);
	assert_int_equal(st.huge_pages, 12);
	assert_int_equal(st.huge_pages_since, 40);
}

static void test_zram_mm_stat_eight_and_seven_columns(void **state)
{
	struct pd_zram_mm_stat st;

	(void)state;
	memset(&st, 0x55, sizeof(st));
	assert_int_equal(parse("    4096       78    12288        0    12288 "
			       "       0        0        5\n", &st), 0);
	assert_int_equal(st.nr_fields, 8);
	assert_int_equal(st.huge_pages, 5);
	/* absent: 0, and nr_fields says so */
	assert_int_equal(st.huge_pages_since, 0);
	assert_int_equal(parse(" 2097152   524288   655360 67108864   786432"
			       "        3        0\n", &st), 0);
	assert_int_equal(st.nr_fields, 7);
	assert_int_equal(st.mem_limit, 67108864);
	assert_int_equal(st.same_pages, 3);
	assert_int_equal(st.huge_pages, 0);
	/* a tenth column of a later kernel is skipped */
	assert_int_equal(parse("1 2 3 4 5 6 7 8 9 10 11\n", &st), 0);
	assert_int_equal(st.nr_fields, 9);
	assert_int_equal(st.huge_pages_since, 9);
}

static void test_zram_mm_stat_refuses_other_text(void **state)
{
	static const char *const bad[] = {
		"", "\n", "1 2 3 4 5 6\n", "1 2 3 4 5 6 x\n", "1 2 3 4 -5 6 7\n",
		"1 2 3 4 5 6 7 8 18446744073709551616\n", "1,2,3,4,5,6,7\n",
	};
	struct pd_zram_mm_stat st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &st) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
}

static void test_zram_read_all_devices_of_four_generations(void **state)
{
	struct pd_zram *z;
	size_t n;
	int fd;

	(void)state;
	fd = open(SYS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_zram_read_all(fd, &z, &n), 0);
	/* zram0..4; not loop0, vda, nor "zramx" */
	assert_int_equal(n, 5);
	assert_int_equal(z[0].id, 0);
	assert_int_equal(z[0].disksize, 4294967296ull);
	assert_int_equal(z[0].mm.nr_fields, 9);
	assert_int_equal(z[0].mm.mem_used_total, 285212672);
	assert_int_equal(z[1].id, 1);
	assert_int_equal(z[1].mm.nr_fields, 8);
	assert_int_equal(z[2].mm.nr_fields, 7);
	assert_int_equal(z[2].disksize, 536870912);
	/* 3.10: three one-value files */
	assert_int_equal(z[3].id, 3);
	assert_int_equal(z[3].mm.nr_fields, 3);
	assert_int_equal(z[3].mm.orig_data_size, 8388608);
	assert_int_equal(z[3].mm.compr_data_size, 1048576);
	assert_int_equal(z[3].mm.mem_used_total, 1310720);
	assert_int_equal(z[3].disksize, 268435456);
	/* loaded, not set up */
	assert_int_equal(z[4].disksize, 0);
	assert_int_equal(z[4].mm.nr_fields, 9);
	assert_int_equal(z[4].mm.mem_used_total, 0);
	free(z);
	assert_int_equal(pd_zram_read(fd, 7, &(struct pd_zram){ 0 }), -ENOENT);
	close(fd);
}

static void test_zram_read_all_without_zram_is_empty(void **state)
{
	struct pd_zram *z = (struct pd_zram *)&z;
	size_t n = 9;
	int fd;

	(void)state;
	/* numa4's sysfs has no block/ at all */
	fd = open(PD_FIXTURES_DIR "/memwhere/numa4/sys",
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_zram_read_all(fd, &z, &n), 0);
	assert_int_equal(n, 0);
	assert_null(z);
	close(fd);
}

static void test_zram_real_618_mm_stat_of_an_idle_device(void **state)
{
	struct pd_zram_mm_stat st;
	char *buf;
	size_t len;
	int fd;

	(void)state;
	fd = open(SAMPLES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_read_at(fd, "zram0-mm_stat", 4096, &buf, &len), 0);
	assert_int_equal(pd_zram_mm_stat_parse(buf, len, &st), 0);
	assert_int_equal(st.nr_fields, 9);
	assert_int_equal(st.orig_data_size, 0);
	assert_int_equal(st.mem_used_total, 0);
	free(buf);
	close(fd);
}

/* Live: every zram<N> of /sys/block is read, and only those. */
static void test_zram_live_devices_match_sys_block(void **state)
{
	struct dirent *de;
	struct pd_zram *z;
	size_t n, count = 0;
	DIR *d;
	int fd;

	(void)state;
	fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_zram_read_all(fd, &z, &n), 0);
	d = opendir("/sys/block");
	assert_non_null(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "zram", 4) && de->d_name[4] >= '0' &&
		    de->d_name[4] <= '9')
			count++;
	closedir(d);
	assert_int_equal(n, count);
	free(z);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zram_mm_stat_nine_columns_of_5_15),
		cmocka_unit_test(test_zram_mm_stat_eight_and_seven_columns),
		cmocka_unit_test(test_zram_mm_stat_refuses_other_text),
		cmocka_unit_test(test_zram_read_all_devices_of_four_generations),
		cmocka_unit_test(test_zram_read_all_without_zram_is_empty),
		cmocka_unit_test(test_zram_real_618_mm_stat_of_an_idle_device),
		cmocka_unit_test(test_zram_live_devices_match_sys_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
