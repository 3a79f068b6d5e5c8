/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/keyed: "KEY VALUE" files of many kernels, and readers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyed.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define SYS PD_FIXTURES_DIR "/memwhere/sys"

/* cgroup v2 memory.stat of a 6.18 kernel, the first lines. */
static const char stat_v2[] =
	"anon 1904640\n"
	"file 12288000\n"
	"kernel 2412544\n"
	"kernel_stack 65536\n"
	"pagetables 208896\n"
	"sec_pagetables 0\n"
	"percpu 480\n"
	"sock 0\n"
	"vmalloc 8192\n"
	"shmem 0\n"
	"zswap 0\n"
	"zswapped 0\n"
	"file_mapped 6979584\n"
	"file_dirty 0\n";

/* memory.events of 5.x: oom_group_kill came in 5.16, sock_throttled 6.11 */
static const char events_54[] =
	"low 0\n"
	"high 17\n"
	"max 3\n"
	"oom 1\n"
	"oom_kill 1\n";

static struct pd_keyed *parse(const char *text)
{
	struct pd_keyed *k = NULL;

	assert_int_equal(pd_keyed_parse(text, strlen(text), &k), 0);
	return k;
}

static uint64_t get(const struct pd_keyed *k, const char *key)
{
	uint64_t v = 0;

	if (pd_keyed_get(k, key, &v) < 0)
		fail_msg("no %s", key);
	return v;
}

static void test_keyed_parse_memory_stat_v2_in_file_order(void **state)
{
	struct pd_keyed *k = parse(stat_v2);

	(void)state;
	assert_int_equal(pd_keyed_count(k), 14);
	assert_string_equal(pd_keyed_key(k, 0), "anon");
	assert_int_equal(pd_keyed_value(k, 0), 1904640);
	assert_string_equal(pd_keyed_key(k, 8), "vmalloc");
	assert_int_equal(pd_keyed_value(k, 8), 8192);
	assert_string_equal(pd_keyed_key(k, 13), "file_dirty");
	assert_null(pd_keyed_key(k, 14));
	assert_int_equal(pd_keyed_value(k, 14), 0);
	assert_int_equal(get(k, "kernel_stack"), 65536);
	assert_int_equal(get(k, "sec_pagetables"), 0);
	pd_keyed_free(k);
}

static void test_keyed_absent_field_is_enoent_not_zero(void **state)
{
	struct pd_keyed *k = parse(events_54);
	uint64_t v = 99;

	(void)state;
	assert_int_equal(get(k, "high"), 17);
	assert_int_equal(get(k, "oom_kill"), 1);
	/* 5.4 has no oom_group_kill line: absent, and v is left alone */
	assert_int_equal(pd_keyed_get(k, "oom_group_kill", &v), -ENOENT);
	assert_int_equal(v, 99);
	assert_int_equal(pd_keyed_get(k, "oom_kill", NULL), 0);
	/* keys are case-sensitive and whole: "oom" is not "oom_kill" */
	assert_int_equal(get(k, "oom"), 1);
	assert_int_equal(pd_keyed_get(k, "OOM", NULL), -ENOENT);
	assert_int_equal(pd_keyed_get(k, "oo", NULL), -ENOENT);
	pd_keyed_free(k);
}

static void test_keyed_skips_lines_of_another_shape(void **state)
{
	struct pd_keyed *k = parse("header line with words\n"
				   "anon N0=4096 N1=0\n"
				   "total=5012 N0=5012\n"
				   "neg -5\n"
				   "big 18446744073709551616\n"
				   "max 18446744073709551615\n"
				   "tabbed\t\t42\t\n"
				   "lonely\n"
				   " 7\n"
				   "two 1 2\n"
				   "ctl\x01 3\n"
				   "dup 1\n"
				   "dup 2\n"
				   "last 9");

	(void)state;
	/* max (the biggest u64), tabbed, dup (the first), last (no \n) */
	assert_int_equal(pd_keyed_count(k), 4);
	assert_int_equal(get(k, "max"), UINT64_MAX);
	assert_int_equal(get(k, "tabbed"), 42);
	assert_int_equal(get(k, "dup"), 1);
	assert_int_equal(get(k, "last"), 9);
	assert_int_equal(pd_keyed_get(k, "anon", NULL), -ENOENT);
	assert_int_equal(pd_keyed_get(k, "neg", NULL), -ENOENT);
	assert_int_equal(pd_keyed_get(k, "big", NULL), -ENOENT);
	pd_keyed_free(k);
}

static void test_keyed_empty_text_is_an_empty_table(void **state)
{
	struct pd_keyed *k = parse("");

	(void)state;
	assert_int_equal(pd_keyed_count(k), 0);
	assert_int_equal(pd_keyed_get(k, "anon", NULL), -ENOENT);
	pd_keyed_free(k);
}

static void test_keyed_text_without_any_key_line_is_einval(void **state)
{
	static const char numa_stat[] = "anon N0=0\nfile N0=4096\n";
	struct pd_keyed *k = NULL;

	(void)state;
	assert_int_equal(pd_keyed_parse(numa_stat, strlen(numa_stat), &k),
			 -EINVAL);
	assert_null(k);
}

static void test_keyed_parse_stops_at_len_not_at_nul(void **state)
{
	static const char text[] = "a 1\nb 2\nc 3\n";
	struct pd_keyed *k = NULL;

	(void)state;
	/* only "a 1\nb 2" is ours: c is past LEN, b has no newline */
	assert_int_equal(pd_keyed_parse(text, 7, &k), 0);
	assert_int_equal(pd_keyed_count(k), 2);
	assert_int_equal(get(k, "b"), 2);
	pd_keyed_free(k);
}

/* The real files of a 6.18 machine: /proc/vmstat, v1 memory.stat. */
static void test_keyed_read_real_vmstat_and_memcg_v1_stat(void **state)
{
	struct pd_procfs *pfs;
	struct pd_keyed *k;
	int dfd;

	(void)state;
	assert_int_equal(pd_procfs_new(SAMPLES, &pfs), 0);
	assert_int_equal(pd_keyed_read(pfs, "vmstat", &k), 0);
	/* 192 lines, all of the shape, none twice */
	assert_int_equal(pd_keyed_count(k), 192);
	assert_int_equal(get(k, "nr_free_pages"), 1431590);
	assert_int_equal(get(k, "pgmajfault"), 1462);
	assert_int_equal(get(k, "oom_kill"), 2);
	assert_int_equal(get(k, "workingset_refault_file"), 204246);
	/* the legacy line of 6.x comes last: "nr_unstable 0" */
	assert_string_equal(pd_keyed_key(k, 191), "nr_unstable");
	pd_keyed_free(k);

	dfd = open(SAMPLES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	assert_int_equal(pd_keyed_read_at(dfd, "memcg-v1-memory.stat", &k), 0);
	assert_int_equal(pd_keyed_count(k), 42);
	assert_int_equal(get(k, "hierarchical_memory_limit"),
			 9223372036854771712ull);
	assert_int_equal(get(k, "total_unevictable"), 19099648);
	assert_int_equal(pd_keyed_get(k, "anon", NULL), -ENOENT);
	pd_keyed_free(k);
	assert_int_equal(pd_keyed_read_at(dfd, "cgroup.stat", &k), 0);
	assert_int_equal(get(k, "nr_dying_descendants"), 0);
	assert_int_equal(get(k, "nr_subsys_hugetlb"), 1);
	pd_keyed_free(k);
	assert_int_equal(pd_keyed_read_at(dfd, "no-such-file", &k), -ENOENT);
	close(dfd);
	pd_procfs_free(pfs);
}

static void test_keyed_read_node_numastat_fixture(void **state)
{
	struct pd_keyed *k;
	int dfd;

	(void)state;
	dfd = open(SYS "/devices/system/node/node1",
		   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	assert_int_equal(pd_keyed_read_at(dfd, "numastat", &k), 0);
	assert_int_equal(pd_keyed_count(k), 6);
	assert_int_equal(get(k, "numa_miss"), 56789);
	assert_int_equal(get(k, "other_node"), 135000);
	pd_keyed_free(k);
	close(dfd);
}

static void test_keyed_read_live_vmstat_has_its_counters(void **state)
{
	struct pd_procfs *pfs;
	struct pd_keyed *k;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_keyed_read(pfs, "vmstat", &k), 0);
	/* since 2.6: the counters memwhere's -i rates need */
	assert_int_equal(pd_keyed_get(k, "nr_free_pages", NULL), 0);
	assert_int_equal(pd_keyed_get(k, "pswpout", NULL), 0);
	assert_int_equal(pd_keyed_get(k, "pgmajfault", NULL), 0);
	pd_keyed_free(k);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyed_parse_memory_stat_v2_in_file_order),
		cmocka_unit_test(test_keyed_absent_field_is_enoent_not_zero),
		cmocka_unit_test(test_keyed_skips_lines_of_another_shape),
		cmocka_unit_test(test_keyed_empty_text_is_an_empty_table),
		cmocka_unit_test(test_keyed_text_without_any_key_line_is_einval),
		cmocka_unit_test(test_keyed_parse_stops_at_len_not_at_nul),
		cmocka_unit_test(test_keyed_read_real_vmstat_and_memcg_v1_stat),
		cmocka_unit_test(test_keyed_read_node_numastat_fixture),
		cmocka_unit_test(test_keyed_read_live_vmstat_has_its_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
