/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/sysvshm: /proc/sysvipc/shm as 6.x and 3.x print it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"
#include "sysvshm.h"

#define MEMFIND PD_FIXTURES_DIR "/memfind/proc"

/* Header and lines exactly as a 6.18 kernel printed them. */
static const char live[] =
	"       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
	"         0          1   600               1048576 22294 22294      1     0     0     0     0 1795322779          0 1795322779                  8192                     0\n"
	"      4660          2  1600                 65536 22294     0      0  1000   100     0     0     0          0 1795322779                  4096                 61440\n";

static void test_sysvshm_parse_live_text_gives_every_field(void **state)
{
	struct pd_sysvshm *v;
	size_t n, bad;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(live, strlen(live), &v, &n, &bad), 0);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 0);
	assert_int_equal(v[0].key, 0);
	assert_int_equal(v[0].shmid, 1);
	assert_int_equal(v[0].perms, 0600);
	assert_int_equal(v[0].size, 1048576);
	assert_int_equal(v[0].cpid, 22294);
	assert_int_equal(v[0].lpid, 22294);
	assert_int_equal(v[0].nattch, 1);
	assert_int_equal(v[0].atime, 1795322779);
	assert_true(v[0].has_rss);
	assert_int_equal(v[0].rss, 8192);
	assert_int_equal(v[0].swap, 0);
	assert_false(pd_sysvshm_is_dest(&v[0]));
	assert_int_equal(v[1].key, 4660);
	assert_int_equal(v[1].shmid, 2);
	assert_int_equal(v[1].uid, 1000);
	assert_int_equal(v[1].gid, 100);
	assert_int_equal(v[1].nattch, 0);
	assert_int_equal(v[1].rss, 4096);
	assert_int_equal(v[1].swap, 61440);
	assert_true(pd_sysvshm_is_dest(&v[1]));
	assert_false(pd_sysvshm_is_locked(&v[1]));
	free(v);
}

static void test_sysvshm_parse_negative_key_and_locked_perms(void **state)
{
	static const char t[] =
		"key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap\n"
		"-559038737 32769 3600 4096 1 1 1 0 0 0 0 0 0 0 4096 0\n";
	struct pd_sysvshm *v;
	size_t n;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(t, strlen(t), &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].key, -559038737);
	assert_int_equal((unsigned)v[0].key, 0xdeadbeefu);
	assert_true(pd_sysvshm_is_locked(&v[0]));
	assert_true(pd_sysvshm_is_dest(&v[0]));
	assert_int_equal(v[0].perms & 0777, 0600);
	free(v);
}

static void test_sysvshm_parse_old_kernel_has_no_rss(void **state)
{
	static const char t[] =
		"       key      shmid perms       size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime\n"
		"         0     131072   666    1048576  2720  2720      1     0     0     0     0 1304962654          0 1304962654\n";
	struct pd_sysvshm *v;
	size_t n;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(t, strlen(t), &v, &n, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].shmid, 131072);
	assert_false(v[0].has_rss);
	assert_int_equal(v[0].rss, 0);
	free(v);
}

static void test_sysvshm_parse_counts_bad_lines_and_keeps_good(void **state)
{
	static const char t[] =
		"key shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap\n"
		"1 2 3\n"
		"0 7 600 4096 1 1 0 0 0 0 0 0 0 0 0 0\n"
		"0 8 999 4096 1 1 0 0 0 0 0 0 0 0 0 0\n"
		"0 9 600 4096 1 1 0 0 0 0 0 0 0 0 0 0 17\n";
	struct pd_sysvshm *v;
	size_t n, bad;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(t, strlen(t), &v, &n, &bad), 0);
	assert_int_equal(n, 1);
	assert_int_equal(bad, 3);	/* short, perms not octal, 17 fields */
	assert_int_equal(v[0].shmid, 7);
	free(v);
}

static void test_sysvshm_parse_header_only_is_empty(void **state)
{
	static const char t[] = "       key      shmid perms size\n";
	struct pd_sysvshm *v = (struct pd_sysvshm *)1;
	size_t n = 9;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(t, strlen(t), &v, &n, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(v);
}

static void test_sysvshm_parse_without_header_is_einval(void **state)
{
	static const char t[] = "0 7 600 4096 1 1 0 0 0 0 0 0 0 0 0 0\n";
	struct pd_sysvshm *v;
	size_t n;

	(void)state;
	assert_int_equal(pd_sysvshm_parse(t, strlen(t), &v, &n, NULL), -EINVAL);
	assert_int_equal(pd_sysvshm_parse("", 0, &v, &n, NULL), -EINVAL);
}

static void test_sysvshm_read_fixture_has_three_segments(void **state)
{
	struct pd_procfs *pfs;
	struct pd_sysvshm *v;
	size_t n, bad;

	(void)state;
	assert_int_equal(pd_procfs_new(MEMFIND, &pfs), 0);
	assert_int_equal(pd_sysvshm_read(pfs, &v, &n, &bad), 0);
	assert_int_equal(n, 3);
	assert_int_equal(bad, 0);
	assert_int_equal(v[0].key, 0x0052e2c1);
	assert_int_equal(v[0].shmid, 32769);
	assert_int_equal(v[0].nattch, 2);
	assert_int_equal(v[1].key, 0x1234);
	assert_int_equal(v[1].nattch, 0);
	assert_int_equal(v[1].rss, 65536);
	assert_int_equal(v[2].perms, 03600);
	free(v);
	pd_procfs_free(pfs);
}

static void test_sysvshm_read_missing_file_is_enoent(void **state)
{
	struct pd_procfs *pfs;
	struct pd_sysvshm *v;
	size_t n;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/basic/proc", &pfs), 0);
	assert_int_equal(pd_sysvshm_read(pfs, &v, &n, NULL), -ENOENT);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysvshm_parse_live_text_gives_every_field),
		cmocka_unit_test(test_sysvshm_parse_negative_key_and_locked_perms),
		cmocka_unit_test(test_sysvshm_parse_old_kernel_has_no_rss),
		cmocka_unit_test(test_sysvshm_parse_counts_bad_lines_and_keeps_good),
		cmocka_unit_test(test_sysvshm_parse_header_only_is_empty),
		cmocka_unit_test(test_sysvshm_parse_without_header_is_einval),
		cmocka_unit_test(test_sysvshm_read_fixture_has_three_segments),
		cmocka_unit_test(test_sysvshm_read_missing_file_is_enoent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
