/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/threshold: the Monitoring Plugins range syntax. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "threshold.h"

#define G (1ll << 30)
#define PCT(x) ((int64_t)(x) * PD_THRESHOLD_PCT_SCALE)

static struct pd_threshold parse(const char *s)
{
	struct pd_threshold t;

	assert_int_equal(pd_threshold_parse(s, &t), 0);
	return t;
}

static void test_threshold_bare_end_is_zero_to_end(void **state)
{
	struct pd_threshold t = parse("10G");

	assert_false(t.inside);
	assert_false(t.lo_inf);
	assert_false(t.hi_inf);
	assert_int_equal(t.lo, 0);
	assert_int_equal(t.hi, 10 * G);
	assert_int_equal(t.unit, PD_THRESHOLD_BYTES);
	/* alert outside [0, 10G], ends included */
	assert_false(pd_threshold_alerts(&t, 10 * G));
	assert_true(pd_threshold_alerts(&t, 10 * G + 1));
	assert_false(pd_threshold_alerts(&t, 0));
	assert_true(pd_threshold_alerts(&t, -1));
}

static void test_threshold_start_colon_has_no_upper_end(void **state)
{
	struct pd_threshold t = parse("10:");

	assert_true(t.hi_inf);
	assert_int_equal(t.lo, 10);
	assert_true(pd_threshold_alerts(&t, 9));
	assert_false(pd_threshold_alerts(&t, 10));
	assert_false(pd_threshold_alerts(&t, INT64_MAX));
}

static void test_threshold_tilde_is_minus_infinity(void **state)
{
	struct pd_threshold t = parse("~:10");

	assert_true(t.lo_inf);
	assert_int_equal(t.hi, 10);
	assert_false(pd_threshold_alerts(&t, INT64_MIN));
	assert_false(pd_threshold_alerts(&t, 10));
	assert_true(pd_threshold_alerts(&t, 11));
}

static void test_threshold_range_alerts_outside(void **state)
{
	struct pd_threshold t = parse("10:20");

	assert_true(pd_threshold_alerts(&t, 9));
	assert_false(pd_threshold_alerts(&t, 10));
	assert_false(pd_threshold_alerts(&t, 20));
	assert_true(pd_threshold_alerts(&t, 21));
}

static void test_threshold_at_alerts_inside(void **state)
{
	struct pd_threshold t = parse("@1G:2G");

	assert_true(t.inside);
	assert_false(pd_threshold_alerts(&t, G - 1));
	assert_true(pd_threshold_alerts(&t, G));
	assert_true(pd_threshold_alerts(&t, 2 * G));
	assert_false(pd_threshold_alerts(&t, 2 * G + 1));
	/* "@10" is inside [0, 10] */
	t = parse("@10");
	assert_true(pd_threshold_alerts(&t, 0));
	assert_false(pd_threshold_alerts(&t, 11));
}

static void test_threshold_sizes_take_suffixes(void **state)
{
	assert_int_equal(parse("1.5G").hi, 3 * G / 2);
	assert_int_equal(parse("4KiB").hi, 4096);
	assert_int_equal(parse("2MB").hi, 2 << 20);
	assert_int_equal(parse("1T").hi, 1ll << 40);
	assert_int_equal(parse("~:512k").hi, 512 << 10);
}

static void test_threshold_negative_numbers(void **state)
{
	struct pd_threshold t = parse("-10:-5");

	assert_int_equal(t.lo, -10);
	assert_int_equal(t.hi, -5);
	assert_true(pd_threshold_alerts(&t, 0));
	assert_false(pd_threshold_alerts(&t, -7));
	assert_int_equal(parse("-1G:").lo, -G);
	assert_int_equal(parse("~:-2%").hi, -PCT(2));
}

static void test_threshold_percent(void **state)
{
	struct pd_threshold t = parse("50%");

	assert_int_equal(t.unit, PD_THRESHOLD_PERCENT);
	assert_int_equal(t.hi, PCT(50));
	assert_int_equal(parse("12.5%").hi, 125000);
	assert_int_equal(parse("0.0001%").hi, 1);
	t = parse("10%:90%");
	assert_int_equal(t.lo, PCT(10));
	assert_int_equal(t.hi, PCT(90));
	assert_true(pd_threshold_alerts(&t, PCT(90) + 1));
}

static void test_threshold_rejects_empty_and_endless(void **state)
{
	struct pd_threshold t;
	static const char *const bad[] = {
		"", ":", "~:", "@", "@:", "~", "@~:", "-", "-:", "G",
		"10::20", "1:2:3", "10 ", " 10", "1Q", "x", "%", "1.%",
		"1.00001%", "10%:1G", "1G:90%", "5:1%", "1.5", "--1",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = pd_threshold_parse(bad[i], &t);

		if (r != -EINVAL)
			fail_msg("'%s' gave %d, wanted -EINVAL", bad[i], r);
	}
}

static void test_threshold_rejects_inverted_bounds(void **state)
{
	struct pd_threshold t;

	assert_int_equal(pd_threshold_parse("20:10", &t), -EINVAL);
	assert_int_equal(pd_threshold_parse("@2G:1G", &t), -EINVAL);
	assert_int_equal(pd_threshold_parse("-5:-10", &t), -EINVAL);
	assert_int_equal(pd_threshold_parse("90%:10%", &t), -EINVAL);
	/* equal ends are a range of one value */
	assert_int_equal(pd_threshold_parse("7:7", &t), 0);
}

static void test_threshold_overflow_is_erange(void **state)
{
	struct pd_threshold t;

	/* 8E is 2^63, one past INT64_MAX */
	assert_int_equal(pd_threshold_parse("8E", &t), -ERANGE);
	assert_int_equal(pd_threshold_parse("-8E", &t), -ERANGE);
	assert_int_equal(pd_threshold_parse("99999999999999999999", &t), -ERANGE);
	assert_int_equal(pd_threshold_parse("99999999999999999999%", &t), -ERANGE);
	assert_int_equal(pd_threshold_parse("922337203685478%", &t), -ERANGE);
	assert_int_equal(parse("7E").hi, 7ll << 60);
	assert_int_equal(parse("9223372036854775807").hi, INT64_MAX);
}

static void test_threshold_status_critical_wins(void **state)
{
	struct pd_threshold w = parse("1G"), c = parse("5G");

	assert_int_equal(pd_threshold_status(&w, &c, G), PD_STATUS_OK);
	assert_int_equal(pd_threshold_status(&w, &c, G + 1), PD_STATUS_WARNING);
	assert_int_equal(pd_threshold_status(&w, &c, 5 * G + 1), PD_STATUS_CRITICAL);
	/* -c without -w: OK or CRITICAL, never WARNING */
	assert_int_equal(pd_threshold_status(NULL, &c, 2 * G), PD_STATUS_OK);
	assert_int_equal(pd_threshold_status(NULL, &c, 6 * G), PD_STATUS_CRITICAL);
	assert_int_equal(pd_threshold_status(NULL, NULL, INT64_MAX), PD_STATUS_OK);
	/* a warning wider than the critical: critical still wins */
	assert_int_equal(pd_threshold_status(&c, &w, 6 * G), PD_STATUS_CRITICAL);
}

/* A figure between a visible part and that plus a bound (memfind's
 * covered tmpfs out of reach: at most the Shmem remainder more). */
static void test_threshold_status_span_judges_only_when_the_bound_settles(void **state)
{
	struct pd_threshold w = parse("4G"), c = parse("8G");
	struct pd_threshold at = parse("@1G:2G"), low = parse("1G:");

	/* visible + bound under -w: OK */
	assert_int_equal(pd_threshold_status_span(&w, &c, G, 4 * G),
			 PD_STATUS_OK);
	/* straddling -w: UNKNOWN */
	assert_int_equal(pd_threshold_status_span(&w, &c, G, 4 * G + 1),
			 PD_STATUS_UNKNOWN);
	/* the visible part alone over -w, the bound under -c: WARNING */
	assert_int_equal(pd_threshold_status_span(&w, &c, 5 * G, 8 * G),
			 PD_STATUS_WARNING);
	/* over -w, straddling -c: not settled */
	assert_int_equal(pd_threshold_status_span(&w, &c, 5 * G, 9 * G),
			 PD_STATUS_UNKNOWN);
	/* past both: CRITICAL; only -c: OK under it */
	assert_int_equal(pd_threshold_status_span(&w, &c, 9 * G, 20 * G),
			 PD_STATUS_CRITICAL);
	assert_int_equal(pd_threshold_status_span(NULL, &c, 0, 8 * G),
			 PD_STATUS_OK);
	/* no bound at all: the state of the value */
	assert_int_equal(pd_threshold_status_span(&w, NULL, 4 * G + 1,
						  4 * G + 1),
			 PD_STATUS_WARNING);
	/* '@' and open ranges: both ends in one region, or unknown */
	assert_int_equal(pd_threshold_status_span(&at, NULL, G, 2 * G),
			 PD_STATUS_WARNING);
	assert_int_equal(pd_threshold_status_span(&at, NULL, 0, G),
			 PD_STATUS_UNKNOWN);
	assert_int_equal(pd_threshold_status_span(&low, NULL, 0, G - 1),
			 PD_STATUS_WARNING);
	assert_int_equal(pd_threshold_status_span(&low, NULL, G, 9 * G),
			 PD_STATUS_OK);
}

static void test_threshold_status_names(void **state)
{
	assert_string_equal(pd_status_name(PD_STATUS_OK), "OK");
	assert_string_equal(pd_status_name(PD_STATUS_WARNING), "WARNING");
	assert_string_equal(pd_status_name(PD_STATUS_CRITICAL), "CRITICAL");
	assert_string_equal(pd_status_name(PD_STATUS_UNKNOWN), "UNKNOWN");
	assert_int_equal(PD_STATUS_UNKNOWN, 3);
}

static void assert_format(const char *in, const char *want)
{
	struct pd_threshold t = parse(in);
	char buf[64];

	pd_threshold_format(&t, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_threshold_format_in_base_units(void **state)
{
	assert_format("1G", "1073741824");
	assert_format("10:", "10:");
	assert_format("~:10K", "~:10240");
	assert_format("@1:2", "@1:2");
	assert_format("@10", "@0:10");
	assert_format("5:10", "5:10");
	assert_format("12.5%", "12.5");
	assert_format("-0.25%:", "-0.25:");
	assert_format("100%", "100");
}

static void test_threshold_format_pct(void **state)
{
	char buf[32];

	pd_threshold_format_pct(520867, buf, sizeof(buf));
	assert_string_equal(buf, "52.0867");
	pd_threshold_format_pct(-10000, buf, sizeof(buf));
	assert_string_equal(buf, "-1");
	pd_threshold_format_pct(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	pd_threshold_format_pct(INT64_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-922337203685477.5808");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threshold_bare_end_is_zero_to_end),
		cmocka_unit_test(test_threshold_start_colon_has_no_upper_end),
		cmocka_unit_test(test_threshold_tilde_is_minus_infinity),
		cmocka_unit_test(test_threshold_range_alerts_outside),
		cmocka_unit_test(test_threshold_at_alerts_inside),
		cmocka_unit_test(test_threshold_sizes_take_suffixes),
		cmocka_unit_test(test_threshold_negative_numbers),
		cmocka_unit_test(test_threshold_percent),
		cmocka_unit_test(test_threshold_rejects_empty_and_endless),
		cmocka_unit_test(test_threshold_rejects_inverted_bounds),
		cmocka_unit_test(test_threshold_overflow_is_erange),
		cmocka_unit_test(test_threshold_status_critical_wins),
		cmocka_unit_test(test_threshold_status_span_judges_only_when_the_bound_settles),
		cmocka_unit_test(test_threshold_status_names),
		cmocka_unit_test(test_threshold_format_in_base_units),
		cmocka_unit_test(test_threshold_format_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
