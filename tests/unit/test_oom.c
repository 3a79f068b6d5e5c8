/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/oom: oom_badness() and oom_score, values worked by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "oom.h"

#define PAGE 4096ul
#define KiB 1024ull
#define MiB (1024ull * KiB)
#define GiB (1024ull * MiB)

/*
 * The worked example: 8 GiB RAM (2097152 pages) + 2 GiB swap (524288)
 * = 2621440 pages; totalpages / 1000 = 2621 (the .44 is dropped).
 */
#define TOTAL 2621440ull

/*
 * anon 400M = 102400 pages, file 40M = 10240, shmem 8M = 2048, swap 4M =
 * 1024, page tables 1M + 2K = 256.5 pages, rounded down to 256:
 * 115968 pages.
 */
static struct pd_oom_task example(int adj)
{
	struct pd_oom_task t = {
		.has_mm = true,
		.adj = adj,
		.anon = 400 * MiB,
		.file = 40 * MiB,
		.shmem = 8 * MiB,
		.swap = 4 * MiB,
		.pagetables = 1 * MiB + 2 * KiB,
	};

	return t;
}

static void test_oom_task_pages_sums_parts_and_rounds_page_tables_down(void **state)
{
	struct pd_oom_task t = example(0);

	(void)state;
	assert_int_equal(pd_oom_task_pages(&t, PAGE), 115968);
}

static void test_oom_task_pages_with_16k_pages(void **state)
{
	struct pd_oom_task t = {
		.has_mm = true,
		.anon = 64 * KiB,	/* 4 pages */
		.file = 16 * KiB,	/* 1 */
		.pagetables = 48 * KiB - 1,	/* 2.99 -> 2 */
	};

	(void)state;
	assert_int_equal(pd_oom_task_pages(&t, 16384), 7);
}

static void test_oom_badness_without_adj_is_the_pages(void **state)
{
	(void)state;
	assert_int_equal(pd_oom_badness(115968, 0, TOTAL, PD_OOM_MODEL_5_9),
			 115968);
}

static void test_oom_badness_adj_is_scaled_by_totalpages_over_1000_first(void **state)
{
	(void)state;
	/* 115968 + 500 * 2621 (not 500 * 2621.44 = 1310720) */
	assert_int_equal(pd_oom_badness(115968, 500, TOTAL, PD_OOM_MODEL_5_9),
			 1426468);
}

static void test_oom_badness_negative_adj_can_go_below_zero(void **state)
{
	(void)state;
	/* 115968 - 500 * 2621 */
	assert_int_equal(pd_oom_badness(115968, -500, TOTAL, PD_OOM_MODEL_5_9),
			 -1194532);
	/* 115968 - 999 * 2621 */
	assert_int_equal(pd_oom_badness(115968, -999, TOTAL, PD_OOM_MODEL_5_9),
			 -2502411);
}

static void test_oom_badness_before_5_9_is_at_least_1(void **state)
{
	(void)state;
	assert_int_equal(pd_oom_badness(115968, -500, TOTAL,
					 PD_OOM_MODEL_4_19), 1);
	assert_int_equal(pd_oom_badness(0, 0, TOTAL, PD_OOM_MODEL_4_19), 1);
	assert_int_equal(pd_oom_badness(0, 0, TOTAL, PD_OOM_MODEL_5_9), 0);
	assert_int_equal(pd_oom_badness(115968, 500, TOTAL,
					 PD_OOM_MODEL_4_19), 1426468);
}

static void test_oom_badness_adj_weighs_nothing_below_1000_pages(void **state)
{
	(void)state;
	/* A 3 MiB memory cgroup limit: 768 pages, 768 / 1000 = 0. */
	assert_int_equal(pd_oom_badness(500, 1000, 768, PD_OOM_MODEL_5_9), 500);
	assert_int_equal(pd_oom_badness(500, -999, 768, PD_OOM_MODEL_5_9), 500);
	/* A limit of 0 counts as 1 page. */
	assert_int_equal(pd_oom_badness(3, 700, 0, PD_OOM_MODEL_5_9), 3);
}

static void test_oom_badness_in_a_memory_cgroup_uses_its_limit(void **state)
{
	(void)state;
	/* limit 200 MiB = 51200 pages, / 1000 = 51: 20000 + 300 * 51 */
	assert_int_equal(pd_oom_badness(20000, 300, 51200, PD_OOM_MODEL_5_9),
			 35300);
}

static void test_oom_task_reason_in_kernel_order(void **state)
{
	struct pd_oom_task t = example(0);

	(void)state;
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_ELIGIBLE);
	t.adj = PD_OOM_SCORE_ADJ_MIN;
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_ADJ_MIN);
	t.has_mm = false;
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_NO_MM);
	t.kthread = true;
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_KTHREAD);
	t.init = true;
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_INIT);
	/* -999 is still eligible */
	t = example(-999);
	assert_int_equal(pd_oom_task_reason(&t), PD_OOM_ELIGIBLE);
}

static void test_oom_task_badness_is_never_for_unkillable(void **state)
{
	struct pd_oom_task t = example(PD_OOM_SCORE_ADJ_MIN);

	(void)state;
	assert_int_equal(pd_oom_task_badness(&t, TOTAL, PAGE, PD_OOM_MODEL_5_9),
			 PD_OOM_NEVER);
	t = example(500);
	assert_int_equal(pd_oom_task_badness(&t, TOTAL, PAGE,
					     PD_OOM_MODEL_5_9), 1426468);
}

static void test_oom_score_5_9_scale(void **state)
{
	(void)state;
	/* 115968000 / 2621440 = 44.2 -> 44; 1044 * 2 / 3 = 696 */
	assert_int_equal(pd_oom_score(115968, TOTAL, PD_OOM_MODEL_5_9), 696);
	/* 544.2 -> 544; 1544 * 2 / 3 = 1029.3 */
	assert_int_equal(pd_oom_score(1426468, TOTAL, PD_OOM_MODEL_5_9), 1029);
	/* adj 1000, no memory: 2621000 pages: 999.8 -> 999; 1332.7 */
	assert_int_equal(pd_oom_score(2621000, TOTAL, PD_OOM_MODEL_5_9), 1332);
	assert_int_equal(pd_oom_score(0, TOTAL, PD_OOM_MODEL_5_9), 666);
}

static void test_oom_score_5_9_divides_negative_toward_zero(void **state)
{
	(void)state;
	/* -455.7 -> -455 (not -456); 545 * 2 / 3 = 363.3 */
	assert_int_equal(pd_oom_score(-1194532, TOTAL, PD_OOM_MODEL_5_9), 363);
	/* -954.6 -> -954; 46 * 2 / 3 = 30.7 */
	assert_int_equal(pd_oom_score(-2502411, TOTAL, PD_OOM_MODEL_5_9), 30);
}

static void test_oom_score_of_never_is_0(void **state)
{
	(void)state;
	assert_int_equal(pd_oom_score(PD_OOM_NEVER, TOTAL, PD_OOM_MODEL_5_9), 0);
	assert_int_equal(pd_oom_score(PD_OOM_NEVER, TOTAL, PD_OOM_MODEL_4_19),
			 0);
}

static void test_oom_score_before_5_9_is_permille(void **state)
{
	(void)state;
	assert_int_equal(pd_oom_score(115968, TOTAL, PD_OOM_MODEL_4_19), 44);
	assert_int_equal(pd_oom_score(1426468, TOTAL, PD_OOM_MODEL_4_19), 544);
	/* badness clamped to 1: 1000 / 2621440 = 0 */
	assert_int_equal(pd_oom_score(1, TOTAL, PD_OOM_MODEL_4_19), 0);
}

static void test_oom_permille_is_in_adj_units(void **state)
{
	(void)state;
	assert_int_equal(pd_oom_permille(115968, TOTAL), 44);
	assert_int_equal(pd_oom_permille(1426468, TOTAL), 544);
	assert_int_equal(pd_oom_permille(-1194532, TOTAL), -455);
	assert_int_equal(pd_oom_permille(PD_OOM_NEVER, TOTAL), 0);
	assert_int_equal(pd_oom_permille(51200, 51200), 1000);
}

static void test_oom_cmp_higher_badness_first(void **state)
{
	(void)state;
	assert_true(pd_oom_cmp(200, 5, 100, 1) < 0);
	assert_true(pd_oom_cmp(100, 1, 200, 5) > 0);
	assert_true(pd_oom_cmp(-5, 1, -6, 0) < 0);
}

static void test_oom_cmp_tie_goes_to_the_later_task(void **state)
{
	(void)state;
	assert_true(pd_oom_cmp(100, 7, 100, 3) < 0);
	assert_true(pd_oom_cmp(100, 3, 100, 7) > 0);
	assert_int_equal(pd_oom_cmp(100, 3, 100, 3), 0);
}

static void test_oom_cmp_never_last_in_scan_order(void **state)
{
	(void)state;
	assert_true(pd_oom_cmp(PD_OOM_NEVER, 0, -2000000, 9) > 0);
	assert_true(pd_oom_cmp(-2000000, 9, PD_OOM_NEVER, 0) < 0);
	assert_true(pd_oom_cmp(PD_OOM_NEVER, 1, PD_OOM_NEVER, 2) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oom_task_pages_sums_parts_and_rounds_page_tables_down),
		cmocka_unit_test(test_oom_task_pages_with_16k_pages),
		cmocka_unit_test(test_oom_badness_without_adj_is_the_pages),
		cmocka_unit_test(test_oom_badness_adj_is_scaled_by_totalpages_over_1000_first),
		cmocka_unit_test(test_oom_badness_negative_adj_can_go_below_zero),
		cmocka_unit_test(test_oom_badness_before_5_9_is_at_least_1),
		cmocka_unit_test(test_oom_badness_adj_weighs_nothing_below_1000_pages),
		cmocka_unit_test(test_oom_badness_in_a_memory_cgroup_uses_its_limit),
		cmocka_unit_test(test_oom_task_reason_in_kernel_order),
		cmocka_unit_test(test_oom_task_badness_is_never_for_unkillable),
		cmocka_unit_test(test_oom_score_5_9_scale),
		cmocka_unit_test(test_oom_score_5_9_divides_negative_toward_zero),
		cmocka_unit_test(test_oom_score_of_never_is_0),
		cmocka_unit_test(test_oom_score_before_5_9_is_permille),
		cmocka_unit_test(test_oom_permille_is_in_adj_units),
		cmocka_unit_test(test_oom_cmp_higher_badness_first),
		cmocka_unit_test(test_oom_cmp_tie_goes_to_the_later_task),
		cmocka_unit_test(test_oom_cmp_never_last_in_scan_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
