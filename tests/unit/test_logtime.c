/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/logtime: log stamps and --since to Unix time. The
 * expected values are `date -u -d '...' +%s`; TZ is set per test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logtime.h"

#define S 1000000LL
/* 2026-12-07 19:49:29 UTC */
#define T0 1796672969LL
/* "now" of the tests: 2026-12-07 20:00:00 UTC */
#define NOW ((T0 + 631) * S)

/* Europe/Berlin as a POSIX rule: no tzdata needed (a fresh chroot or
 * container has none, and glibc then takes an unknown name as UTC) */
#define BERLIN "CET-1CEST,M3.5.0,M10.5.0/3"

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int64_t stamp(const char *text, int64_t now)
{
	int64_t us = 0;

	assert_int_equal(pd_logtime_parse(text, strlen(text), now, &us), 0);
	return us;
}

static int64_t since(const char *arg)
{
	int64_t us = 0;

	assert_int_equal(pd_logtime_since_parse(arg, NOW, &us), 0);
	return us;
}

static void test_logtime_dmesg_iso_has_a_comma_and_a_zone(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(stamp("2026-12-07T19:49:29,123456+00:00", NOW),
			 T0 * S + 123456);
	/* the zone decides, not TZ */
	set_tz(BERLIN);
	assert_int_equal(stamp("2026-12-07T20:49:29,000001+01:00", NOW),
			 T0 * S + 1);
	assert_int_equal(stamp("2026-12-07T14:19:29-05:30", NOW), T0 * S);
}

static void test_logtime_journal_iso_forms(void **state)
{
	(void)state;
	set_tz("UTC");
	/* systemd before 253: %z */
	assert_int_equal(stamp("2026-12-07T19:49:29+0000", NOW), T0 * S);
	assert_int_equal(stamp("2026-12-07T19:49:29.050425+00:00", NOW),
			 T0 * S + 50425);
	assert_int_equal(stamp("2026-12-07T19:49:29.5Z", NOW), T0 * S + 500000);
	/* rsyslog with three decimals */
	assert_int_equal(stamp("2026-12-07T19:49:29.123Z", NOW),
			 T0 * S + 123000);
}

static void test_logtime_without_a_zone_is_local(void **state)
{
	(void)state;
	set_tz(BERLIN);
	assert_int_equal(stamp("2026-12-07T20:49:29", NOW), T0 * S);
	assert_int_equal(stamp("Mon Dec  7 20:49:29 2026", NOW), T0 * S);
	set_tz("UTC");
	assert_int_equal(stamp("Mon Dec  7 19:49:29 2026", NOW), T0 * S);
}

static void test_logtime_syslog_takes_the_year_of_now(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(stamp("Dec  7 19:49:29", NOW), T0 * S);
	assert_int_equal(stamp("Dec 07 19:49:29.050425", NOW),
			 T0 * S + 50425);
	/* a December line read on the 2nd of January: last year's */
	assert_int_equal(stamp("Dec 31 23:00:00", 1767312000LL * S),
			 1767222000LL * S);
	/* up to a day ahead of now is this year's (clocks disagree) */
	assert_int_equal(stamp("Dec  7 20:49:29", NOW), (T0 + 3600) * S);
	/* dmesg --time-format=reltime's minute lines */
	assert_int_equal(stamp("Dec 7 19:49", NOW), (T0 - 29) * S);
}

static void test_logtime_without_now_a_year_less_stamp_is_no_time(
	void **state)
{
	int64_t us;

	(void)state;
	set_tz("UTC");
	assert_int_equal(pd_logtime_parse("Dec  7 19:49:29", 15, 0, &us),
			 -ENODATA);
	assert_int_equal(pd_logtime_parse("Dec  7 19:61:29", 15, 0, &us),
			 -EINVAL);
	assert_int_equal(stamp("Mon Dec  7 19:49:29 2026", 0), T0 * S);
}

static void test_logtime_journal_short_full_and_unix(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(stamp("Mon 2026-12-07 19:49:29 UTC", NOW), T0 * S);
	assert_int_equal(stamp("Mon 2026-12-07 19:49:29.000042 GMT", NOW),
			 T0 * S + 42);
	set_tz(BERLIN);
	assert_int_equal(stamp("Mon 2026-12-07 20:49:29 CET", NOW), T0 * S);
	assert_int_equal(stamp("1796672969.050425", NOW), T0 * S + 50425);
}

static void test_logtime_rejects_what_is_not_a_time(void **state)
{
	static const char *const bad[] = {
		"", "12.345678", "  123.456789", "+0.132607", "<    0.13>",
		"2026-13-07T19:49:29Z", "2026-12-32 19:49:29",
		"2026-12-07T25:49:29Z", "Foo  7 19:49:29", "Dec  7 19:61:29",
		"2026-12-07T19:49:29+25:00", "Mon Dec  7 19:49:29 20x6",
		"2026-12-07T19:49:29 junk", "kern  :warn  ",
	};
	int64_t us;
	size_t i;

	(void)state;
	set_tz("UTC");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pd_logtime_parse(bad[i], strlen(bad[i]), NOW, &us) !=
		    -EINVAL)
			fail_msg("'%s' was taken for a time", bad[i]);
}

static void test_logtime_since_durations(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(since("1h"), NOW - 3600 * S);
	assert_int_equal(since("-1h"), NOW - 3600 * S);
	assert_int_equal(since("61min"), NOW - 3660 * S);
	assert_int_equal(since("90m"), NOW - 5400 * S);
	assert_int_equal(since("1h30m"), NOW - 5400 * S);
	assert_int_equal(since("2d"), NOW - 172800 * S);
	assert_int_equal(since("1w"), NOW - 604800 * S);
	assert_int_equal(since("45s"), NOW - 45 * S);
	assert_int_equal(since("3 hours"), NOW - 10800 * S);
	assert_int_equal(since("now"), NOW);
}

static void test_logtime_since_dates(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(since("@1796672969"), T0 * S);
	assert_int_equal(since("2026-12-07 19:49:29"), T0 * S);
	assert_int_equal(since("2026-12-07 19:49"), (T0 - 29) * S);
	assert_int_equal(since("2026-12-07T19:49:29Z"), T0 * S);
	assert_int_equal(since("2026-12-07"), 1796601600LL * S);
	assert_int_equal(since("today"), 1796601600LL * S);
	assert_int_equal(since("yesterday"), 1796515200LL * S);
	set_tz(BERLIN);
	assert_int_equal(since("2026-12-07 20:49:29"), T0 * S);
}

static void test_logtime_since_rejects_nonsense(void **state)
{
	static const char *const bad[] = {
		"", "1", "h", "1x", "1h30", "-", "@", "@x", "2026-12-07 19",
		"tomorrow1", "1h 30m x", "99999999999999999999h",
	};
	int64_t us;
	size_t i;

	(void)state;
	set_tz("UTC");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pd_logtime_since_parse(bad[i], NOW, &us) >= 0)
			fail_msg("--since '%s' was taken", bad[i]);
}

static void test_logtime_btime_of_proc_stat(void **state)
{
	static const char text[] =
		"cpu  1 2 3 4 5 6 7 0 0 0\nintr 1 2\nctxt 99\n"
		"btime 1796670000\nprocesses 4242\n";
	int64_t us = 0;

	(void)state;
	assert_int_equal(pd_logtime_btime_parse(text, strlen(text), &us), 0);
	assert_int_equal(us, 1796670000LL * S);
	assert_int_equal(pd_logtime_btime_parse("cpu 1\n", 6, &us), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logtime_dmesg_iso_has_a_comma_and_a_zone),
		cmocka_unit_test(test_logtime_journal_iso_forms),
		cmocka_unit_test(test_logtime_without_a_zone_is_local),
		cmocka_unit_test(test_logtime_syslog_takes_the_year_of_now),
		cmocka_unit_test(
			test_logtime_without_now_a_year_less_stamp_is_no_time),
		cmocka_unit_test(test_logtime_journal_short_full_and_unix),
		cmocka_unit_test(test_logtime_rejects_what_is_not_a_time),
		cmocka_unit_test(test_logtime_since_durations),
		cmocka_unit_test(test_logtime_since_dates),
		cmocka_unit_test(test_logtime_since_rejects_nonsense),
		cmocka_unit_test(test_logtime_btime_of_proc_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
