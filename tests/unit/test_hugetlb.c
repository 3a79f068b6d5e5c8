/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/hugetlb: pools per size, machine and per node. */
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

#include "hugetlb.h"
#include "meminfo.h"

#define SYS PD_FIXTURES_DIR "/memwhere/sys"

static int sysfd(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static void test_hugetlb_dirname_parse(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-2048kB", &v), 0);
	assert_int_equal(v, 2097152);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-1048576kB", &v),
			 0);
	assert_int_equal(v, 1073741824);
	/* arm64 64K pages: 512 MiB and 16 GiB huge pages */
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-16777216kB", &v),
			 0);
	assert_int_equal(v, 17179869184ull);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-kB", &v), -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-2048", &v),
			 -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-2048KB", &v),
			 -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-0kB", &v),
			 -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse("hugepages-2048kBx", &v),
			 -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse("demote", &v), -EINVAL);
	assert_int_equal(pd_hugetlb_dirname_parse(
		"hugepages-18014398509481984kB", &v), -EINVAL);
}

static void test_hugetlb_machine_pools_ascending(void **state)
{
	struct pd_hugetlb_pool *p;
	size_t n;
	int fd = sysfd(SYS);

	(void)state;
	assert_int_equal(pd_hugetlb_read(fd, -1, &p, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].page_size, 2097152);
	assert_int_equal(p[0].nr, 512);
	assert_int_equal(p[0].free, 384);
	assert_int_equal(p[0].resv, 16);
	assert_int_equal(p[0].surplus, 0);
	assert_int_equal(p[0].overcommit, 0);
	assert_int_equal(p[0].has, PD_HUGETLB_HAS_SURPLUS |
			 PD_HUGETLB_HAS_RESV | PD_HUGETLB_HAS_OVERCOMMIT);
	assert_int_equal(p[1].page_size, 1073741824);
	assert_int_equal(p[1].nr, 2);
	assert_int_equal(p[1].free, 2);
	free(p);
	close(fd);
}

static void test_hugetlb_node_pools_sum_to_the_machine(void **state)
{
	struct pd_hugetlb_pool *n0, *n1;
	size_t c0, c1;
	int fd = sysfd(SYS);

	(void)state;
	assert_int_equal(pd_hugetlb_read(fd, 0, &n0, &c0), 0);
	assert_int_equal(pd_hugetlb_read(fd, 1, &n1, &c1), 0);
	assert_int_equal(c0, 2);
	assert_int_equal(c1, 2);
	assert_int_equal(n0[0].nr + n1[0].nr, 512);
	assert_int_equal(n0[0].free, 128);
	assert_int_equal(n1[0].free, 256);
	assert_int_equal(n0[1].nr + n1[1].nr, 2);
	/* a node has no resv_hugepages nor nr_overcommit_hugepages */
	assert_int_equal(n0[0].has, PD_HUGETLB_HAS_SURPLUS);
	assert_int_equal(n0[0].resv, 0);
	free(n0);
	free(n1);
	assert_int_equal(pd_hugetlb_read(fd, 2, &n0, &c0), -ENOENT);
	close(fd);
}

static void test_hugetlb_without_pools_is_empty(void **state)
{
	struct pd_hugetlb_pool *p = (struct pd_hugetlb_pool *)&p;
	size_t n = 3;
	int fd = sysfd(PD_FIXTURES_DIR "/memwhere/numa4/sys");

	(void)state;
	assert_int_equal(pd_hugetlb_read(fd, -1, &p, &n), 0);
	assert_int_equal(n, 0);
	assert_null(p);
	/* node 2 exists there but has no hugepages/ */
	assert_int_equal(pd_hugetlb_read(fd, 2, &p, &n), 0);
	assert_int_equal(n, 0);
	close(fd);
}

/* Live: the default size's pool is meminfo's HugePages_* lines. */
static void test_hugetlb_live_default_pool_is_meminfo(void **state)
{
	uint64_t hsize = 0, total = 0, fr = 0, rsvd = 0, surp = 0, tlb = 0;
	struct pd_hugetlb_pool *p;
	struct pd_procfs *pfs;
	struct pd_meminfo *mi;
	size_t n, i, hit = 0;
	int fd;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_meminfo_read(pfs, &mi), 0);
	if (pd_meminfo_get(mi, "Hugepagesize", &hsize) < 0) {
		pd_meminfo_free(mi);
		pd_procfs_free(pfs);
		skip();
	}
	assert_int_equal(pd_meminfo_get(mi, "HugePages_Total", &total), 0);
	assert_int_equal(pd_meminfo_get(mi, "HugePages_Free", &fr), 0);
	assert_int_equal(pd_meminfo_get(mi, "HugePages_Rsvd", &rsvd), 0);
	assert_int_equal(pd_meminfo_get(mi, "HugePages_Surp", &surp), 0);
	fd = sysfd("/sys");
	assert_int_equal(pd_hugetlb_read(fd, -1, &p, &n), 0);
	for (i = 0; i < n; i++) {
		tlb += p[i].nr * p[i].page_size;
		if (p[i].page_size != hsize)
			continue;
		hit++;
		assert_int_equal(p[i].nr, total);
		assert_int_equal(p[i].free, fr);
		assert_int_equal(p[i].resv, rsvd);
		assert_int_equal(p[i].surplus, surp);
	}
	assert_int_equal(hit, 1);
	if (pd_meminfo_get(mi, "Hugetlb", &total) == 0)
		assert_int_equal(tlb, total);
	free(p);
	close(fd);
	pd_meminfo_free(mi);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hugetlb_dirname_parse),
		cmocka_unit_test(test_hugetlb_machine_pools_ascending),
		cmocka_unit_test(test_hugetlb_node_pools_sum_to_the_machine),
		cmocka_unit_test(test_hugetlb_without_pools_is_empty),
		cmocka_unit_test(test_hugetlb_live_default_pool_is_meminfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
