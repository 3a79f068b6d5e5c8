/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/numamaps: pages per node in bytes, per mapping and pid. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "numamaps.h"
#include "procfs.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define PROC PD_FIXTURES_DIR "/memwhere/proc"

static struct pd_numamaps *read_pid(pid_t pid)
{
	struct pd_procfs *pfs;
	struct pd_numamaps *nm = NULL;
	int fd;

	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, pid, &fd), 0);
	assert_int_equal(pd_numamaps_read(pfs, fd, &nm), 0);
	close(fd);
	pd_procfs_free(pfs);
	return nm;
}

/* make-memwhere.sh's pid 4242 on the two-node machine. */
static void test_numamaps_two_nodes_sums_per_node_in_bytes(void **state)
{
	struct pd_numamaps *nm = read_pid(4242);

	(void)state;
	assert_int_equal(pd_numamaps_count(nm), 10);
	assert_int_equal(pd_numamaps_nr_nodes(nm), 2);
	/* node 0: 150 + 2 + 1000 + 4 + 16 + 33 pages of 4 KiB and 2 huge
	 * pages of 2 MiB; node 1: 50 + 24 + 512 + 4 + 3 and 1 huge page */
	assert_int_equal(pd_numamaps_node_bytes(nm, 0),
			 1205 * 4096 + 2 * 2097152);
	assert_int_equal(pd_numamaps_node_bytes(nm, 1),
			 593 * 4096 + 1 * 2097152);
	assert_int_equal(pd_numamaps_node_bytes(nm, 2), 0);
	assert_int_equal(pd_numamaps_bytes(nm), 1798 * 4096 + 3 * 2097152);
	pd_numamaps_free(nm);
}

static void test_numamaps_each_mapping_as_printed(void **state)
{
	struct pd_numamaps *nm = read_pid(4242);
	const struct pd_numa_vma *v;

	(void)state;
	v = pd_numamaps_get(nm, 0);
	assert_int_equal(v->start, 0x400000);
	assert_string_equal(v->policy, "default");
	assert_int_equal(v->kind, PD_NUMA_VMA_FILE);
	assert_string_equal(v->file, "/usr/bin/app");
	assert_int_equal(v->mapped, 200);
	assert_int_equal(v->anon, 0);
	assert_int_equal(v->page_size, 4096);
	assert_int_equal(v->nr_nodes, 2);
	assert_int_equal(v->node_pages[0], 150);
	assert_int_equal(v->node_pages[1], 50);
	assert_int_equal(v->pages, 200);
	assert_int_equal(pd_numa_vma_node_bytes(v, 1), 50 * 4096);
	assert_int_equal(pd_numa_vma_node_bytes(v, 5), 0);

	v = pd_numamaps_get(nm, 2);
	assert_int_equal(v->kind, PD_NUMA_VMA_HEAP);
	assert_null(v->file);
	assert_int_equal(v->anon, 1024);
	assert_int_equal(v->dirty, 1024);
	assert_int_equal(v->active, 512);

	/* only node 1: nr_nodes counts up to the highest named */
	v = pd_numamaps_get(nm, 3);
	assert_string_equal(v->policy, "bind:1");
	assert_int_equal(v->kind, PD_NUMA_VMA_ANON);
	assert_int_equal(v->nr_nodes, 2);
	assert_int_equal(v->node_pages[0], 0);
	assert_int_equal(v->node_pages[1], 512);

	/* hugetlb: pages counted in huge pages of kernelpagesize_kB */
	v = pd_numamaps_get(nm, 4);
	assert_string_equal(v->policy, "interleave:0-1");
	assert_true(v->huge);
	assert_int_equal(v->page_size, 2097152);
	assert_int_equal(v->pages, 3);
	assert_int_equal(pd_numa_vma_node_bytes(v, 0), 2 * 2097152);

	/* 6.9+ policies with blanks */
	assert_string_equal(pd_numamaps_get(nm, 5)->policy,
			    "weighted interleave:0-1");
	v = pd_numamaps_get(nm, 6);
	assert_string_equal(v->policy, "prefer (many)=static:0-1");
	assert_int_equal(v->swapcache, 2);

	/* the name escaped for blank and '=' as the kernel prints it */
	v = pd_numamaps_get(nm, 7);
	assert_string_equal(v->file, "/tmp/my\\040file\\075x");
	assert_int_equal(v->mapmax, 4);

	/* no page at all: no counts, no kernelpagesize_kB */
	v = pd_numamaps_get(nm, 8);
	assert_int_equal(v->start, 0x7f00e0000000ull);
	assert_string_equal(v->policy, "default");
	assert_int_equal(v->page_size, 0);
	assert_int_equal(v->pages, 0);
	assert_int_equal(v->nr_nodes, 0);
	assert_int_equal(pd_numa_vma_node_bytes(v, 0), 0);

	assert_int_equal(pd_numamaps_get(nm, 9)->kind, PD_NUMA_VMA_STACK);
	assert_null(pd_numamaps_get(nm, 10));
	pd_numamaps_free(nm);
}

static void test_numamaps_kernel_thread_is_empty(void **state)
{
	struct pd_numamaps *nm = read_pid(2);

	(void)state;
	assert_int_equal(pd_numamaps_count(nm), 0);
	assert_int_equal(pd_numamaps_nr_nodes(nm), 0);
	assert_int_equal(pd_numamaps_bytes(nm), 0);
	pd_numamaps_free(nm);
}

static void test_numamaps_real_618_sample(void **state)
{
	struct pd_numamaps *nm;
	char *buf;
	size_t len;
	int fd;

	(void)state;
	fd = open(SAMPLES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_read_at(fd, "numa_maps", 1 << 20, &buf, &len), 0);
	assert_int_equal(pd_numamaps_parse(buf, len, &nm), 0);
	/* awk: 37 lines, N0= summed 404 pages */
	assert_int_equal(pd_numamaps_count(nm), 37);
	assert_int_equal(pd_numamaps_nr_nodes(nm), 1);
	assert_int_equal(pd_numamaps_node_bytes(nm, 0), 1654784);
	assert_int_equal(pd_numamaps_bytes(nm), 1654784);
	assert_string_equal(pd_numamaps_get(nm, 0)->file, "/usr/bin/cat");
	pd_numamaps_free(nm);
	free(buf);
	close(fd);
}

static void test_numamaps_bad_lines_are_einval(void **state)
{
	static const char *const bad[] = {
		"zz default\n",
		"00400000\n",
		"00400000 default N0=x kernelpagesize_kB=4\n",
		"00400000 default N0=1 kernelpagesize_kB=z\n",
		"00400000 default anon=-1 N0=1 kernelpagesize_kB=4\n",
		"00400000 default N4096=1 kernelpagesize_kB=4\n",
		/* pages * kernelpagesize_kB * 1024 past 64 bits */
		("00400000 default N0=18446744073709551615 "
		 "kernelpagesize_kB=18014398509481984\n"),
	};
	struct pd_numamaps *nm = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pd_numamaps_parse(bad[i], strlen(bad[i]), &nm) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	assert_null(nm);
}

static void test_numamaps_later_words_are_skipped(void **state)
{
	static const char text[] =
		"7f0000000000 default anon=1 dirty=1 unevictable=1 newflag "
		"N0=1 kernelpagesize_kB=4 tail=3";
	struct pd_numamaps *nm = NULL;
	const struct pd_numa_vma *v;

	(void)state;
	assert_int_equal(pd_numamaps_parse(text, strlen(text), &nm), 0);
	v = pd_numamaps_get(nm, 0);
	assert_string_equal(v->policy, "default");
	assert_int_equal(v->anon, 1);
	assert_int_equal(pd_numamaps_bytes(nm), 4096);
	pd_numamaps_free(nm);
}

/* Live: 16 pages we touch show up as anon=16 on some node, exactly. */
static void test_numamaps_read_self_live(void **state)
{
	const struct pd_numa_vma *v = NULL;
	long ps = sysconf(_SC_PAGESIZE);
	struct pd_numamaps *nm;
	struct pd_procfs *pfs;
	size_t i;
	char *map;
	int fd, r;

	(void)state;
	/* 16 pages between two PROT_NONE guards: a mapping of their own */
	map = mmap(NULL, 18 * ps, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	assert_true(map != MAP_FAILED);
	assert_int_equal(mprotect(map + ps, 16 * ps, PROT_READ | PROT_WRITE),
			 0);
	madvise(map + ps, 16 * ps, MADV_NOHUGEPAGE);
	memset(map + ps, 1, 16 * ps);
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, getpid(), &fd), 0);
	r = pd_numamaps_read(pfs, fd, &nm);
	close(fd);
	pd_procfs_free(pfs);
	if (r == -ENOENT) {
		munmap(map, 18 * ps);
		skip();		/* no CONFIG_NUMA */
	}
	assert_int_equal(r, 0);
	for (i = 0; i < pd_numamaps_count(nm); i++)
		if (pd_numamaps_get(nm, i)->start == (uintptr_t)(map + ps))
			v = pd_numamaps_get(nm, i);
	assert_non_null(v);
	assert_int_equal(v->kind, PD_NUMA_VMA_ANON);
	assert_int_equal(v->anon, 16);
	assert_int_equal(v->dirty, 16);
	assert_int_equal(v->pages, 16);
	assert_int_equal(v->page_size, ps);
	pd_numamaps_free(nm);
	munmap(map, 18 * ps);
}

/* A policy or path with a NUL would be cut short: a bad file. */
static void test_numamaps_line_with_a_nul_is_einval(void **state)
{
	static const char text[] = "00400000 def\0ault N0=1 kernelpagesize_kB=4\n";
	struct pd_numamaps *nm = NULL;

	(void)state;
	assert_int_equal(pd_numamaps_parse(text, sizeof(text) - 1, &nm),
			 -EINVAL);
	assert_null(nm);
}

/* The kernel prints one of file=, heap, stack; the first wins (fuzzing). */
static void test_numamaps_first_of_file_heap_stack_wins(void **state)
{
	static const char text[] =
		"00400000 default file=/a heap N0=1 kernelpagesize_kB=4\n"
		"00500000 default stack file=/b N0=1 kernelpagesize_kB=4\n";
	struct pd_numamaps *nm = NULL;

	(void)state;
	assert_int_equal(pd_numamaps_parse(text, strlen(text), &nm), 0);
	assert_int_equal(pd_numamaps_get(nm, 0)->kind, PD_NUMA_VMA_FILE);
	assert_string_equal(pd_numamaps_get(nm, 0)->file, "/a");
	assert_int_equal(pd_numamaps_get(nm, 1)->kind, PD_NUMA_VMA_STACK);
	assert_null(pd_numamaps_get(nm, 1)->file);
	pd_numamaps_free(nm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numamaps_first_of_file_heap_stack_wins),
		cmocka_unit_test(test_numamaps_line_with_a_nul_is_einval),
		cmocka_unit_test(test_numamaps_two_nodes_sums_per_node_in_bytes),
		cmocka_unit_test(test_numamaps_each_mapping_as_printed),
		cmocka_unit_test(test_numamaps_kernel_thread_is_empty),
		cmocka_unit_test(test_numamaps_real_618_sample),
		cmocka_unit_test(test_numamaps_bad_lines_are_einval),
		cmocka_unit_test(test_numamaps_later_words_are_skipped),
		cmocka_unit_test(test_numamaps_read_self_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
