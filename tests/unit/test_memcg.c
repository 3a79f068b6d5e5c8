/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/memcg.c: the memory cgroup hierarchy of the box
 * fixture (cgroup v2) and of its hybrid twin (v1), and the parsers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "memcg.h"

#define UNUSED __attribute__((unused))
#define MIB (1024ull * 1024)
#define V2ROOT PD_FIXTURES_DIR "/memwhere/box/sys/fs/cgroup"
#define V1ROOT PD_FIXTURES_DIR "/memwhere/v1/sys/fs/cgroup"
#define CTR "/system.slice/docker-3f6a9c1b2e4d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8.scope"

static bool has(const struct pd_memcg_node *n, enum pd_memcg_value v)
{
	return n->has & (1u << v);
}

static bool has_ev(const struct pd_memcg_node *n, enum pd_memcg_event e)
{
	return n->ev_has & (1u << e);
}

static const struct pd_memcg_node *find(const struct pd_memcg *mc,
					const char *path)
{
	size_t i;

	assert_int_equal(pd_memcg_find(mc, path, &i), 0);
	return pd_memcg_node(mc, i);
}

static struct pd_memcg *open_read(const char *root, const char *top,
				  unsigned want)
{
	struct pd_memcg *mc = NULL;

	assert_int_equal(pd_memcg_open(root, 4096, &mc), 0);
	assert_int_equal(pd_memcg_read(mc, top, want), 0);
	return mc;
}

/* ---- parsers ---- */

static void test_limit_parse_max_is_unlimited(void **state UNUSED)
{
	uint64_t v = 0;

	assert_int_equal(pd_memcg_limit_parse("max\n", 4, &v), 0);
	assert_true(v == PD_MEMCG_UNLIMITED);
	assert_int_equal(pd_memcg_limit_parse("536870912\n", 10, &v), 0);
	assert_int_equal(v, 536870912);
	assert_int_equal(pd_memcg_limit_parse("0", 1, &v), 0);
	assert_int_equal(v, 0);
}

static void test_limit_parse_refuses_other_text(void **state UNUSED)
{
	uint64_t v;

	assert_int_equal(pd_memcg_limit_parse("", 0, &v), -EINVAL);
	assert_int_equal(pd_memcg_limit_parse("-1\n", 3, &v), -EINVAL);
	assert_int_equal(pd_memcg_limit_parse("max max\n", 8, &v), -EINVAL);
	assert_int_equal(pd_memcg_limit_parse("maxx\n", 5, &v), -EINVAL);
	assert_int_equal(pd_memcg_limit_parse("12 \n", 4, &v), -EINVAL);
}

static void test_procs_parse_lists_pids_in_order(void **state UNUSED)
{
	pid_t *pids = NULL;
	size_t n = 9;

	assert_int_equal(pd_memcg_procs_parse("300\n200\n201\n", 12, &pids,
					      &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(pids[0], 300);
	assert_int_equal(pids[1], 200);
	assert_int_equal(pids[2], 201);
	free(pids);
	assert_int_equal(pd_memcg_procs_parse("", 0, &pids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(pids);
}

static void test_procs_parse_refuses_a_line_that_is_no_pid(void **state UNUSED)
{
	pid_t *pids = NULL;
	size_t n = 0;

	assert_int_equal(pd_memcg_procs_parse("12\nabc\n", 7, &pids, &n),
			 -EINVAL);
	assert_int_equal(pd_memcg_procs_parse("0\n", 2, &pids, &n), -EINVAL);
	assert_int_equal(pd_memcg_procs_parse("12 \n", 4, &pids, &n), -EINVAL);
	assert_int_equal(pd_memcg_procs_parse("4294967296\n", 11, &pids, &n),
			 -EINVAL);
}

/* ---- items of memory.stat ---- */

static struct pd_keyed *keyed(const char *text)
{
	struct pd_keyed *k = NULL;

	assert_int_equal(pd_keyed_parse(text, strlen(text), &k), 0);
	return k;
}

static void test_items_v2_kernel_line_plus_sock_and_the_rest(void **state UNUSED)
{
	struct pd_keyed *k = keyed("anon 1000\nfile 300\nkernel 90\n"
				   "sock 10\nshmem 40\nfile_mapped 100\n"
				   "slab 50\n");
	struct pd_memcg_items it;
	uint64_t cur = 1450;

	pd_memcg_items_compute(k, 2, false, &cur, NULL, &it);
	assert_int_equal(it.v[PD_MEMCG_ANON], 1000);
	assert_int_equal(it.v[PD_MEMCG_FILE], 300);
	/* kernel 90 + sock 10: both count in memory.current */
	assert_int_equal(it.v[PD_MEMCG_KERNEL], 100);
	assert_int_equal(it.v[PD_MEMCG_SLAB], 50);
	assert_true(it.kernel_in_current);
	assert_true(it.has_rest);
	assert_int_equal(it.rest, 1450 - 1000 - 300 - 100);
	assert_true(it.has_unmapped);
	assert_int_equal(it.unmapped, 1450 - 1000 - 100);
	assert_false(it.has & (1u << PD_MEMCG_ZSWAP));
	pd_keyed_free(k);
}

static void test_items_v2_before_5_18_sum_the_kernel_parts(void **state UNUSED)
{
	/* 5.10: no "kernel" line, slab in its two halves */
	struct pd_keyed *k = keyed("anon 1000\nfile 300\nkernel_stack 8\n"
				   "pagetables 16\npercpu 4\nsock 2\n"
				   "slab_reclaimable 30\nslab_unreclaimable 20\n");
	struct pd_memcg_items it;
	uint64_t cur = 1380;

	pd_memcg_items_compute(k, 2, false, &cur, NULL, &it);
	assert_int_equal(it.v[PD_MEMCG_KERNEL], 8 + 16 + 4 + 30 + 20 + 2);
	assert_int_equal(it.v[PD_MEMCG_SLAB], 50);
	assert_int_equal(it.rest, 1380 - 1000 - 300 - 80);
	/* no file_mapped line: no unmapped figure */
	assert_false(it.has_unmapped);
	pd_keyed_free(k);
}

static void test_items_v1_root_usage_leaves_kmem_out(void **state UNUSED)
{
	struct pd_keyed *k = keyed("cache 5\nrss 6\ntotal_cache 300\n"
				   "total_rss 1000\ntotal_mapped_file 100\n");
	struct pd_memcg_items it;
	uint64_t cur = 1300, kmem = 70;

	pd_memcg_items_compute(k, 1, true, &cur, &kmem, &it);
	assert_int_equal(it.v[PD_MEMCG_ANON], 1000);
	assert_int_equal(it.v[PD_MEMCG_FILE], 300);
	assert_int_equal(it.v[PD_MEMCG_KERNEL], 70);
	assert_false(it.kernel_in_current);
	assert_int_equal(it.rest, 0);
	pd_memcg_items_compute(k, 1, false, &cur, &kmem, &it);
	assert_true(it.kernel_in_current);
	assert_int_equal(it.rest, -70);
	pd_keyed_free(k);
}

static void test_items_without_stat_know_nothing(void **state UNUSED)
{
	struct pd_memcg_items it;
	uint64_t cur = 100;

	pd_memcg_items_compute(NULL, 2, false, &cur, NULL, &it);
	assert_int_equal(it.has, 0);
	assert_false(it.has_rest);
	assert_false(it.has_unmapped);
}

/* ---- v2: the box ---- */

static void test_open_finds_v2_with_memory(void **state UNUSED)
{
	struct pd_memcg *mc = NULL;

	assert_int_equal(pd_memcg_open(V2ROOT, 4096, &mc), 0);
	assert_int_equal(pd_memcg_version(mc), 2);
	assert_string_equal(pd_memcg_dir(mc), V2ROOT);
	pd_memcg_free(mc);
}

static void test_open_without_a_memory_hierarchy_is_enomedium(void **state UNUSED)
{
	struct pd_memcg *mc = NULL;

	assert_int_equal(pd_memcg_open(PD_FIXTURES_DIR "/memwhere/box/sys",
				       4096, &mc), -ENOMEDIUM);
	assert_int_equal(pd_memcg_open(PD_FIXTURES_DIR "/no/such", 4096, &mc),
			 -ENOENT);
}

static void test_read_walks_parents_first_siblings_by_name(void **state UNUSED)
{
	static const char *const order[] = {
		"/", "/init.scope", "/kubepods.slice",
		"/kubepods.slice/kubepods-burstable.slice",
	};
	struct pd_memcg *mc = open_read(V2ROOT, NULL, PD_MEMCG_WANT_ALL);
	const struct pd_memcg_node *n;
	size_t i;

	assert_int_equal(pd_memcg_count(mc), 13);
	for (i = 0; i < 4; i++)
		assert_string_equal(pd_memcg_node(mc, i)->path, order[i]);
	n = pd_memcg_node(mc, 0);
	assert_true(n->root);
	assert_int_equal(n->depth, 0);
	assert_true(n->parent == SIZE_MAX);
	assert_int_equal(n->end, 13);
	assert_string_equal(n->name, "/");
	n = find(mc, "/system.slice/nginx.service");
	assert_string_equal(n->name, "nginx.service");
	assert_int_equal(n->depth, 2);
	assert_string_equal(pd_memcg_node(mc, n->parent)->path, "/system.slice");
	n = find(mc, "/system.slice");
	/* itself, cache-fill, docker, nginx */
	assert_int_equal(n->end - (size_t)(n - pd_memcg_node(mc, 0)), 4);
	assert_null(pd_memcg_node(mc, 13));
	pd_memcg_free(mc);
}

static void test_read_v2_values_limits_events_pressure(void **state UNUSED)
{
	struct pd_memcg *mc = open_read(V2ROOT, NULL, PD_MEMCG_WANT_ALL);
	const struct pd_memcg_node *n = find(mc, "/system.slice/nginx.service");

	assert_int_equal(n->v[PD_MEMCG_CURRENT], 480 * MIB);
	assert_int_equal(n->v[PD_MEMCG_MAX], 512 * MIB);
	assert_true(n->v[PD_MEMCG_HIGH] == PD_MEMCG_UNLIMITED);
	assert_int_equal(n->v[PD_MEMCG_MIN], 0);
	assert_true(has(n, PD_MEMCG_LOW));
	assert_true(n->v[PD_MEMCG_SWAP_MAX] == PD_MEMCG_UNLIMITED);
	assert_int_equal(n->v[PD_MEMCG_SWAP_CURRENT], 0);
	/* v1 files are absent on v2, not 0 */
	assert_false(has(n, PD_MEMCG_KMEM));
	assert_false(has(n, PD_MEMCG_FAILCNT));
	assert_false(has(n, PD_MEMCG_SOFT_LIMIT));
	assert_int_equal(n->ev[PD_MEMCG_EV_MAX], 3);
	assert_int_equal(n->ev[PD_MEMCG_EV_OOM], 2);
	assert_int_equal(n->ev[PD_MEMCG_EV_OOM_KILL], 2);
	assert_true(has_ev(n, PD_MEMCG_EV_OOM_GROUP_KILL));
	assert_false(has_ev(n, PD_MEMCG_EV_UNDER_OOM));
	assert_true(n->has_pressure);
	assert_int_equal(n->pressure.some.avg10, 420);
	assert_int_equal(n->pressure.full.avg300, 20);
	assert_int_equal(n->oom_group, 0);
	assert_int_equal(n->swappiness, -1);
	assert_true(n->has_pids);
	assert_int_equal(n->npids, 2);
	assert_int_equal(n->pids[1], 201);
	n = find(mc, CTR);
	assert_int_equal(n->v[PD_MEMCG_HIGH], 256 * MIB);
	assert_int_equal(n->ev[PD_MEMCG_EV_HIGH], 1532);
	assert_int_equal(n->pressure.some.avg10, 3550);
	pd_memcg_free(mc);
}

static void test_read_v2_root_has_no_current_but_dying_count(void **state UNUSED)
{
	struct pd_memcg *mc = open_read(V2ROOT, NULL, PD_MEMCG_WANT_ALL);
	const struct pd_memcg_node *n = pd_memcg_node(mc, 0);

	assert_false(has(n, PD_MEMCG_CURRENT));
	assert_false(has(n, PD_MEMCG_MAX));
	assert_null(n->stat);
	assert_true(n->has_cgstat);
	assert_int_equal(n->nr_descendants, 12);
	assert_int_equal(n->nr_dying_descendants, 12);
	assert_true(n->has_pressure);
	assert_int_equal(n->pressure.some.avg10, 153);
	n = find(mc, "/system.slice");
	assert_int_equal(n->nr_dying_descendants, 12);
	pd_memcg_free(mc);
}

static void test_items_of_the_box_add_up_to_current(void **state UNUSED)
{
	struct pd_memcg *mc = open_read(V2ROOT, NULL, PD_MEMCG_WANT_ALL);
	struct pd_memcg_items it;
	size_t i;

	pd_memcg_find(mc, "/system.slice/nginx.service", &i);
	pd_memcg_items(mc, i, &it);
	assert_int_equal(it.v[PD_MEMCG_ANON], 400 * MIB);
	assert_int_equal(it.v[PD_MEMCG_FILE], 60 * MIB);
	assert_int_equal(it.v[PD_MEMCG_KERNEL], 20 * MIB);
	assert_int_equal(it.v[PD_MEMCG_SOCK], 2 * MIB);
	assert_int_equal(it.rest, 0);
	assert_int_equal(it.unmapped, (480 - 400 - 20) * MIB);
	/* 100 MiB of tmpfs and no process: charged, mapped by nobody */
	pd_memcg_find(mc, "/system.slice/cache-fill.service", &i);
	pd_memcg_items(mc, i, &it);
	assert_int_equal(it.v[PD_MEMCG_SHMEM], 100 * MIB);
	assert_int_equal(it.unmapped, 101 * MIB);
	assert_int_equal(pd_memcg_node(mc, i)->npids, 0);
	assert_true(pd_memcg_node(mc, i)->has_pids);
	pd_memcg_free(mc);
}

static void test_read_a_subtree_and_only_what_is_wanted(void **state UNUSED)
{
	struct pd_memcg *mc = open_read(V2ROOT, V2ROOT "/system.slice/",
					PD_MEMCG_WANT_USAGE);
	const struct pd_memcg_node *n = pd_memcg_node(mc, 0);

	assert_int_equal(pd_memcg_count(mc), 4);
	assert_string_equal(n->path, "/system.slice");
	assert_false(n->root);
	assert_true(n->parent == SIZE_MAX);
	assert_int_equal(n->v[PD_MEMCG_CURRENT], 900 * MIB);
	assert_false(has(n, PD_MEMCG_MAX));
	assert_null(n->stat);
	assert_false(n->has_pids);
	assert_false(n->has_pressure);
	assert_int_equal(n->ev_has, 0);
	assert_int_equal(pd_memcg_read(mc, "/no/such", PD_MEMCG_WANT_ALL),
			 -ENOENT);
	assert_int_equal(pd_memcg_count(mc), 0);
	assert_int_equal(pd_memcg_read(mc, "/a/../b", PD_MEMCG_WANT_ALL),
			 -EINVAL);
	pd_memcg_free(mc);
}

static void test_normalize_takes_both_spellings(void **state UNUSED)
{
	struct pd_memcg *mc = NULL;
	char *p;

	assert_int_equal(pd_memcg_open(V2ROOT, 4096, &mc), 0);
	assert_int_equal(pd_memcg_normalize(mc, V2ROOT "/a/b//", &p), 0);
	assert_string_equal(p, "/a/b");
	free(p);
	assert_int_equal(pd_memcg_normalize(mc, "a/b", &p), 0);
	assert_string_equal(p, "/a/b");
	free(p);
	assert_int_equal(pd_memcg_normalize(mc, V2ROOT, &p), 0);
	assert_string_equal(p, "/");
	free(p);
	assert_int_equal(pd_memcg_normalize(mc, "/a/./b", &p), -EINVAL);
	pd_memcg_free(mc);
}

/* ---- v1: the hybrid twin ---- */

static void test_open_finds_v1_memory_beside_unified(void **state UNUSED)
{
	struct pd_memcg *mc = NULL;

	assert_int_equal(pd_memcg_open(V1ROOT, 4096, &mc), 0);
	assert_int_equal(pd_memcg_version(mc), 1);
	assert_string_equal(pd_memcg_dir(mc), V1ROOT "/memory");
	pd_memcg_free(mc);
}

static void test_read_v1_values_and_items(void **state UNUSED)
{
	struct pd_memcg *mc = open_read(V1ROOT, NULL, PD_MEMCG_WANT_ALL);
	const struct pd_memcg_node *n;
	struct pd_memcg_items it;
	size_t i;

	assert_int_equal(pd_memcg_count(mc), 5);
	n = pd_memcg_node(mc, 0);
	assert_int_equal(n->v[PD_MEMCG_CURRENT], 1610 * MIB);
	/* PAGE_COUNTER_MAX pages: no limit */
	assert_true(n->v[PD_MEMCG_MAX] == PD_MEMCG_UNLIMITED);
	assert_false(n->has_pressure);
	assert_false(n->has_cgstat);
	pd_memcg_items(mc, 0, &it);
	assert_false(it.kernel_in_current);
	assert_int_equal(it.rest, 0);
	assert_int_equal(pd_memcg_find(mc, "/system.slice/nginx.service", &i), 0);
	n = pd_memcg_node(mc, i);
	assert_int_equal(n->v[PD_MEMCG_MAX], 512 * MIB);
	assert_int_equal(n->v[PD_MEMCG_KMEM], 18 * MIB);
	assert_int_equal(n->v[PD_MEMCG_FAILCNT], 57);
	assert_true(n->v[PD_MEMCG_SOFT_LIMIT] == PD_MEMCG_UNLIMITED);
	/* v2 files are absent on v1 */
	assert_false(has(n, PD_MEMCG_HIGH));
	assert_false(has(n, PD_MEMCG_MIN));
	/* no memsw files: swap accounting is off, swap unknown */
	assert_false(has(n, PD_MEMCG_SWAP_CURRENT));
	assert_int_equal(n->ev[PD_MEMCG_EV_OOM_KILL], 2);
	assert_int_equal(n->ev[PD_MEMCG_EV_UNDER_OOM], 0);
	assert_false(has_ev(n, PD_MEMCG_EV_HIGH));
	assert_int_equal(n->swappiness, 60);
	assert_int_equal(n->oom_kill_disable, 0);
	assert_int_equal(n->oom_group, -1);
	pd_memcg_items(mc, i, &it);
	assert_int_equal(it.v[PD_MEMCG_ANON], 400 * MIB);
	assert_int_equal(it.v[PD_MEMCG_FILE], 60 * MIB);
	assert_int_equal(it.v[PD_MEMCG_KERNEL], 18 * MIB);
	assert_true(it.kernel_in_current);
	assert_int_equal(it.rest, 0);
	assert_int_equal(it.unmapped, (478 - 400 - 20) * MIB);
	pd_memcg_free(mc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_parse_max_is_unlimited),
		cmocka_unit_test(test_limit_parse_refuses_other_text),
		cmocka_unit_test(test_procs_parse_lists_pids_in_order),
		cmocka_unit_test(test_procs_parse_refuses_a_line_that_is_no_pid),
		cmocka_unit_test(test_items_v2_kernel_line_plus_sock_and_the_rest),
		cmocka_unit_test(test_items_v2_before_5_18_sum_the_kernel_parts),
		cmocka_unit_test(test_items_v1_root_usage_leaves_kmem_out),
		cmocka_unit_test(test_items_without_stat_know_nothing),
		cmocka_unit_test(test_open_finds_v2_with_memory),
		cmocka_unit_test(test_open_without_a_memory_hierarchy_is_enomedium),
		cmocka_unit_test(test_read_walks_parents_first_siblings_by_name),
		cmocka_unit_test(test_read_v2_values_limits_events_pressure),
		cmocka_unit_test(test_read_v2_root_has_no_current_but_dying_count),
		cmocka_unit_test(test_items_of_the_box_add_up_to_current),
		cmocka_unit_test(test_read_a_subtree_and_only_what_is_wanted),
		cmocka_unit_test(test_normalize_takes_both_spellings),
		cmocka_unit_test(test_open_finds_v1_memory_beside_unified),
		cmocka_unit_test(test_read_v1_values_and_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
