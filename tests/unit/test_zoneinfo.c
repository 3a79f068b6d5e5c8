/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/zoneinfo.c: the real zoneinfo of a 6.18 machine
 * (samples/zoneinfo) and the box's two nodes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "zoneinfo.h"

#define UNUSED __attribute__((unused))

static void test_samples_zoneinfo_sums_the_zones_of_node_0(void **state UNUSED)
{
	struct pd_procfs *pfs;
	struct pd_zoneinfo *zi;
	struct pd_zonenode t;
	const struct pd_zonenode *n;

	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/memwhere/samples",
				       &pfs), 0);
	assert_int_equal(pd_zoneinfo_read(pfs, &zi), 0);
	assert_int_equal(pd_zoneinfo_count(zi), 1);
	n = pd_zoneinfo_node(zi, 0);
	/* awk '$1 == "present" { s += $2 } END { print s }' zoneinfo:
	 * DMA 3998, DMA32 782336, Normal 5505024, Movable and Device 0 */
	assert_int_equal(n->node, 0);
	assert_int_equal(n->zones, 5);
	assert_int_equal(n->present, 3998 + 782336 + 5505024);
	assert_int_equal(n->spanned, 4095 + 1044480 + 5505024);
	/* the build machine's lazy init: managed lags present */
	assert_int_equal(n->managed, 3840 + 772845 + 2654208);
	pd_zoneinfo_total(zi, &t);
	assert_int_equal(t.present, n->present);
	assert_null(pd_zoneinfo_node(zi, 1));
	assert_null(pd_zoneinfo_find(zi, 1));
	pd_zoneinfo_free(zi);
	pd_procfs_free(pfs);
}

static void test_box_has_two_nodes_ascending(void **state UNUSED)
{
	struct pd_procfs *pfs;
	struct pd_zoneinfo *zi;

	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/memwhere/box/proc",
				       &pfs), 0);
	assert_int_equal(pd_zoneinfo_read(pfs, &zi), 0);
	assert_int_equal(pd_zoneinfo_count(zi), 2);
	assert_int_equal(pd_zoneinfo_node(zi, 0)->present, 2097152);
	assert_int_equal(pd_zoneinfo_find(zi, 1)->present, 2097152);
	assert_int_equal(pd_zoneinfo_find(zi, 1)->zones, 1);
	pd_zoneinfo_free(zi);
	pd_procfs_free(pfs);
}

static void test_parse_skips_what_is_not_a_count(void **state UNUSED)
{
	static const char text[] =
		"Node 1, zone   Normal\n"
		"  pages free     3840\n"
		"        spanned  100\n"
		"        present  90 extra\n"	/* not a count line */
		"        present  80\n"
		"        managed  70\n"
		"present 5\n"			/* not indented */
		"Node 0, zone      DMA\n"
		"        spanned  10\n"
		"        present  9\n"
		"        managed  8\n"
		"        present  1000\n";	/* the zone's second: skipped */
	struct pd_zoneinfo *zi;

	assert_int_equal(pd_zoneinfo_parse(text, strlen(text), &zi), 0);
	assert_int_equal(pd_zoneinfo_count(zi), 2);
	assert_int_equal(pd_zoneinfo_node(zi, 0)->node, 0);
	assert_int_equal(pd_zoneinfo_node(zi, 0)->present, 9);
	assert_int_equal(pd_zoneinfo_node(zi, 1)->present, 80);
	assert_int_equal(pd_zoneinfo_node(zi, 1)->managed, 70);
	pd_zoneinfo_free(zi);
}

static void test_parse_without_a_whole_zone_is_einval(void **state UNUSED)
{
	static const char text[] = "Node 0, zone DMA\n  present 5\n";
	struct pd_zoneinfo *zi;

	assert_int_equal(pd_zoneinfo_parse(text, strlen(text), &zi), -EINVAL);
	assert_int_equal(pd_zoneinfo_parse("", 0, &zi), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples_zoneinfo_sums_the_zones_of_node_0),
		cmocka_unit_test(test_box_has_two_nodes_ascending),
		cmocka_unit_test(test_parse_skips_what_is_not_a_count),
		cmocka_unit_test(test_parse_without_a_whole_zone_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
