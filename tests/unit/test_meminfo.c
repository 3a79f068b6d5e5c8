/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/meminfo: the parser on real text, odd lines, readers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "meminfo.h"

#define PSS PD_FIXTURES_DIR "/pss/proc"
#define KB(n) ((uint64_t)(n) * 1024)

/* /proc/meminfo of a 24 GiB machine, kernel 6.18, byte for byte. */
static const char real[] =
	"MemTotal:       24684096 kB\n"
	"MemFree:        22421232 kB\n"
	"MemAvailable:   24221660 kB\n"
	"Buffers:           25772 kB\n"
	"Cached:          1914724 kB\n"
	"SwapCached:            0 kB\n"
	"Active:           593668 kB\n"
	"Inactive:        1373228 kB\n"
	"Active(anon):       1576 kB\n"
	"Inactive(anon):    33856 kB\n"
	"Active(file):     592092 kB\n"
	"Inactive(file):  1339372 kB\n"
	"Unevictable:       13092 kB\n"
	"Mlocked:           12196 kB\n"
	"SwapTotal:             0 kB\n"
	"SwapFree:              0 kB\n"
	"Zswap:                 0 kB\n"
	"Zswapped:              0 kB\n"
	"Dirty:             61452 kB\n"
	"Writeback:             0 kB\n"
	"AnonPages:         39988 kB\n"
	"Mapped:            54576 kB\n"
	"Shmem:              8788 kB\n"
	"KReclaimable:     173640 kB\n"
	"Slab:             204968 kB\n"
	"SReclaimable:     173640 kB\n"
	"SUnreclaim:        31328 kB\n"
	"KernelStack:        1632 kB\n"
	"PageTables:         3048 kB\n"
	"SecPageTables:         0 kB\n"
	"NFS_Unstable:          0 kB\n"
	"Bounce:                0 kB\n"
	"WritebackTmp:          0 kB\n"
	"CommitLimit:    12342048 kB\n"
	"Committed_AS:     124156 kB\n"
	"VmallocTotal:   34359738367 kB\n"
	"VmallocUsed:       14412 kB\n"
	"VmallocChunk:          0 kB\n"
	"Percpu:              808 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemHugePages:        0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FileHugePages:     40960 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Balloon:               0 kB\n"
	"HugePages_Total:       0\n"
	"HugePages_Free:        0\n"
	"HugePages_Rsvd:        0\n"
	"HugePages_Surp:        0\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:               0 kB\n"
	"DirectMap4k:       28672 kB\n"
	"DirectMap2M:     2068480 kB\n"
	"DirectMap1G:    25165824 kB\n"
	;

static struct pd_meminfo *parse(const char *text)
{
	struct pd_meminfo *mi = NULL;

	assert_int_equal(pd_meminfo_parse(text, strlen(text), &mi), 0);
	return mi;
}

static uint64_t get(const struct pd_meminfo *mi, const char *key)
{
	uint64_t v = 0;

	if (pd_meminfo_get(mi, key, &v) < 0)
		fail_msg("no %s", key);
	return v;
}

static void test_meminfo_parse_real_text(void **state)
{
	struct pd_meminfo *mi = parse(real);

	(void)state;
	assert_int_equal(pd_meminfo_count(mi), 54);
	assert_string_equal(pd_meminfo_key(mi, 0), "MemTotal");
	assert_int_equal(pd_meminfo_value(mi, 0), KB(24684096));
	assert_int_equal(get(mi, "MemTotal"), KB(24684096));
	assert_int_equal(get(mi, "SwapTotal"), 0);
	assert_int_equal(get(mi, "Active(anon)"), KB(1576));
	assert_int_equal(get(mi, "Hugepagesize"), KB(2048));
	/* 34359738367 kB: 32 TiB - 1 KiB, past 32 bits */
	assert_int_equal(get(mi, "VmallocTotal"), KB(34359738367ull));
	assert_string_equal(pd_meminfo_key(mi, 53), "DirectMap1G");
	assert_null(pd_meminfo_key(mi, 54));
	pd_meminfo_free(mi);
}

static void test_meminfo_hugepage_counts_stay_counts(void **state)
{
	struct pd_meminfo *mi = parse("HugePages_Total:       8\n"
				      "HugePages_Free:        7\n"
				      "Hugepagesize:       2048 kB\n");

	(void)state;
	assert_int_equal(get(mi, "HugePages_Total"), 8);
	assert_int_equal(get(mi, "HugePages_Free"), 7);
	assert_false(pd_meminfo_is_size(mi, "HugePages_Total"));
	assert_true(pd_meminfo_is_size(mi, "Hugepagesize"));
	assert_false(pd_meminfo_is_size(mi, "NoSuchKey"));
	pd_meminfo_free(mi);
}

static void test_meminfo_get_unknown_key_is_enoent(void **state)
{
	struct pd_meminfo *mi = parse("MemTotal: 4 kB\n");
	uint64_t v = 77;

	(void)state;
	assert_int_equal(pd_meminfo_get(mi, "MemFree", &v), -ENOENT);
	assert_int_equal(v, 77);
	/* case-sensitive, as the kernel prints */
	assert_int_equal(pd_meminfo_get(mi, "memtotal", &v), -ENOENT);
	/* a NULL value: a presence test */
	assert_int_equal(pd_meminfo_get(mi, "MemTotal", NULL), 0);
	pd_meminfo_free(mi);
}

static void test_meminfo_parse_skips_lines_of_another_shape(void **state)
{
	struct pd_meminfo *mi = parse("garbage\n"
				      "Buffers: 12 MB\n"
				      "Cached: lots kB\n"
				      ": 5 kB\n"
				      "Shmem:   -3 kB\n"
				      "Dirty:  12 kB more\n"
				      "ATooLongKeyOfMoreThanThirtyTwoBytes: 1 kB\n"
				      "Mem Total: 7 kB\n"
				      "Mem\tFree: 7 kB\n"
				      "Huge:  18014398509481984 kB\n"
				      "Mapped:  100 kB\n"
				      "Mapped:  999 kB\n"
				      "Slab:     40 kB");

	(void)state;
	/* only Mapped (first wins) and Slab (no newline at the end) */
	assert_int_equal(pd_meminfo_count(mi), 2);
	assert_int_equal(get(mi, "Mapped"), KB(100));
	assert_int_equal(get(mi, "Slab"), KB(40));
	assert_int_equal(pd_meminfo_get(mi, "Buffers", NULL), -ENOENT);
	assert_int_equal(pd_meminfo_get(mi, "Huge", NULL), -ENOENT);
	pd_meminfo_free(mi);
}

static void test_meminfo_parse_nothing_is_einval(void **state)
{
	struct pd_meminfo *mi = NULL;

	(void)state;
	assert_int_equal(pd_meminfo_parse("", 0, &mi), -EINVAL);
	assert_int_equal(pd_meminfo_parse("no\nnumbers: here\n", 17, &mi),
			 -EINVAL);
	assert_null(mi);
}

static void test_meminfo_read_fixture(void **state)
{
	struct pd_procfs *pfs;
	struct pd_meminfo *mi;

	(void)state;
	assert_int_equal(pd_procfs_new(PSS, &pfs), 0);
	assert_int_equal(pd_meminfo_read(pfs, &mi), 0);
	/* make-pss.sh */
	assert_int_equal(get(mi, "MemTotal"), KB(8024316));
	assert_int_equal(get(mi, "AnonPages"), KB(102400));
	assert_int_equal(get(mi, "Mapped"), KB(24576));
	assert_int_equal(get(mi, "Hugetlb"), KB(16384));
	assert_int_equal(get(mi, "HugePages_Total"), 8);
	pd_meminfo_free(mi);
	pd_procfs_free(pfs);
}

static void test_meminfo_read_live_matches_sysinfo(void **state)
{
	struct pd_procfs *pfs;
	struct pd_meminfo *mi;
	struct sysinfo si;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_meminfo_read(pfs, &mi), 0);
	assert_int_equal(sysinfo(&si), 0);
	/* both are totalram_pages: the one value here that cannot move */
	assert_int_equal(get(mi, "MemTotal"),
			 (uint64_t)si.totalram * si.mem_unit);
	pd_meminfo_free(mi);
	pd_procfs_free(pfs);
}

/* free -b of the machine whose meminfo is REAL (procps-ng 4.0.2): used is
 * total - available, buff/cache is Buffers + Cached + SReclaimable. */
static void test_meminfo_as_free_is_free_mem_line(void **state)
{
	struct pd_meminfo *mi = parse(real);
	struct pd_meminfo_free_line l;

	(void)state;
	assert_int_equal(pd_meminfo_as_free(mi, &l), 0);
	assert_true(l.has_available);
	assert_int_equal(l.total, KB(24684096));
	assert_int_equal(l.used, KB(24684096 - 24221660));
	assert_int_equal(l.free, KB(22421232));
	assert_int_equal(l.shared, KB(8788));
	assert_int_equal(l.buff_cache, KB(25772 + 1914724 + 173640));
	assert_int_equal(l.available, KB(24221660));
	pd_meminfo_free(mi);
}

/* In a container MemAvailable may pass MemTotal: free(1) takes MemFree. */
static void test_meminfo_as_free_available_over_total_is_free(void **state)
{
	struct pd_meminfo *mi = parse("MemTotal: 1000 kB\n"
				      "MemFree: 300 kB\n"
				      "MemAvailable: 5000 kB\n");
	struct pd_meminfo_free_line l;

	(void)state;
	assert_int_equal(pd_meminfo_as_free(mi, &l), 0);
	assert_int_equal(l.available, KB(300));
	assert_int_equal(l.used, KB(700));
	assert_int_equal(l.buff_cache, 0);
	pd_meminfo_free(mi);
}

static void test_meminfo_as_free_without_memavailable_is_unknown(void **state)
{
	struct pd_meminfo *mi = parse("MemTotal: 1000 kB\n"
				      "MemFree: 300 kB\n"
				      "Cached: 200 kB\n");
	struct pd_meminfo_free_line l;

	(void)state;
	assert_int_equal(pd_meminfo_as_free(mi, &l), 0);
	assert_false(l.has_available);
	assert_int_equal(l.used, 0);
	assert_int_equal(l.available, 0);
	assert_int_equal(l.buff_cache, KB(200));
	pd_meminfo_free(mi);
	mi = parse("MemFree: 300 kB\n");
	assert_int_equal(pd_meminfo_as_free(mi, &l), -ENOENT);
	pd_meminfo_free(mi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_parse_real_text),
		cmocka_unit_test(test_meminfo_hugepage_counts_stay_counts),
		cmocka_unit_test(test_meminfo_get_unknown_key_is_enoent),
		cmocka_unit_test(test_meminfo_parse_skips_lines_of_another_shape),
		cmocka_unit_test(test_meminfo_parse_nothing_is_einval),
		cmocka_unit_test(test_meminfo_read_fixture),
		cmocka_unit_test(test_meminfo_read_live_matches_sysinfo),
		cmocka_unit_test(test_meminfo_as_free_is_free_mem_line),
		cmocka_unit_test(test_meminfo_as_free_available_over_total_is_free),
		cmocka_unit_test(test_meminfo_as_free_without_memavailable_is_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
