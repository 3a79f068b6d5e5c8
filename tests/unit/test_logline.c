/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/logline: one kernel message behind every prefix that
 * dmesg, journalctl -o and syslog print, with its stamps. TZ is UTC. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logline.h"

#define S 1000000LL
/* 2026-12-07 19:49:29 UTC */
#define T0 1796672969LL
#define NOW ((T0 + 631) * S)
#define MSG "java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0"

/* What a line must give: its message and stamps; -1: none. */
struct want {
	const char *line;
	const char *msg;
	const char *stamp;
	int64_t uptime_us;
	int64_t time_us;
};

static void check(struct pd_logline_reader *rd, const struct want *w)
{
	struct pd_logline ll;

	assert_int_equal(pd_logline_parse(rd, w->line, &ll), 0);
	if (!w->msg) {
		if (ll.msg)
			fail_msg("'%s': a message '%s'", w->line, ll.msg);
		return;
	}
	if (!ll.msg)
		fail_msg("'%s': no message", w->line);
	if (strcmp(ll.msg, w->msg))
		fail_msg("'%s': message '%s'", w->line, ll.msg);
	if (strcmp(ll.stamp, w->stamp))
		fail_msg("'%s': stamp '%s', wanted '%s'", w->line, ll.stamp,
			 w->stamp);
	if (w->uptime_us < 0)
		assert_false(ll.has_uptime);
	else if (!ll.has_uptime || (int64_t)ll.uptime_us != w->uptime_us)
		fail_msg("'%s': uptime %d %lld", w->line, ll.has_uptime,
			 (long long)ll.uptime_us);
	if (w->time_us < 0)
		assert_false(ll.has_time);
	else if (!ll.has_time || ll.time_us != w->time_us)
		fail_msg("'%s': time %d %lld, wanted %lld", w->line,
			 ll.has_time, (long long)ll.time_us,
			 (long long)w->time_us);
}

static void check_all(const struct want *w, size_t n)
{
	struct pd_logline_reader *rd;
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(pd_logline_reader_new(NOW, &rd), 0);
	for (i = 0; i < n; i++)
		check(rd, &w[i]);
	pd_logline_reader_free(rd);
}

#define CHECK_ALL(w) check_all(w, sizeof(w) / sizeof(w[0]))

static void test_logline_dmesg_formats(void **state)
{
	static const struct want w[] = {
		{ "[ 2462.050425] " MSG, MSG, "", 2462050425, -1 },
		{ "[Mon Dec  7 19:49:29 2026] " MSG, MSG,
		  "Mon Dec  7 19:49:29 2026", -1, T0 * S },
		{ "2026-12-07T19:49:29,050425+00:00 " MSG, MSG,
		  "2026-12-07T19:49:29,050425+00:00", -1, T0 * S + 50425 },
		{ "[<    0.132607>] " MSG, MSG, "", -1, -1 },
		{ "[ 2462.050425 <    0.132607>] " MSG, MSG, "", 2462050425,
		  -1 },
		{ MSG, MSG, "", -1, -1 },
		{ "kern  :warn  : [ 2462.050425] " MSG, MSG, "", 2462050425,
		  -1 },
		{ "kern  :warn  : 2026-12-07T19:49:29,050425+00:00 " MSG, MSG,
		  "2026-12-07T19:49:29,050425+00:00", -1, T0 * S + 50425 },
		{ "kern  :err   : " MSG, MSG, "", -1, -1 },
		{ "<4>[ 2462.050425] " MSG, MSG, "", 2462050425, -1 },
		{ "<4>" MSG, MSG, "", -1, -1 },
		{ "6,5000,2462050425,-;" MSG, MSG, "", 2462050425, -1 },
		{ " SUBSYSTEM=memory", NULL, NULL, -1, -1 },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_dmesg_reltime_adds_up_its_deltas(void **state)
{
	static const struct want w[] = {
		/* a delta before any minute line has no time */
		{ "[  +0.500000] " MSG, MSG, "", -1, -1 },
		{ "[Dec 7 19:49] " MSG, MSG, "Dec 7 19:49", -1, (T0 - 29) * S },
		{ "[  +2.500000] " MSG, MSG, "", -1, (T0 - 29) * S + 2500000 },
		{ "[  +0.000001] " MSG, MSG, "", -1, (T0 - 29) * S + 2500001 },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_journal_short_formats(void **state)
{
	static const struct want w[] = {
		{ "Dec 07 19:49:29 db1 kernel: " MSG, MSG, "Dec 07 19:49:29",
		  -1, T0 * S },
		{ "Dec 07 19:49:29.050425 db1 kernel: " MSG, MSG,
		  "Dec 07 19:49:29.050425", -1, T0 * S + 50425 },
		{ "2026-12-07T19:49:29+0000 db1 kernel: " MSG, MSG,
		  "2026-12-07T19:49:29+0000", -1, T0 * S },
		{ "2026-12-07T19:49:29.050425+00:00 db1 kernel: " MSG, MSG,
		  "2026-12-07T19:49:29.050425+00:00", -1, T0 * S + 50425 },
		{ "Mon 2026-12-07 19:49:29 UTC db1 kernel: " MSG, MSG,
		  "Mon 2026-12-07 19:49:29 UTC", -1, T0 * S },
		{ "1796672969.050425 db1 kernel: " MSG, MSG,
		  "1796672969.050425", -1, T0 * S + 50425 },
		{ "[ 2462.050425] db1 kernel: " MSG, MSG, "", 2462050425, -1 },
		{ "[ 2462.050425 <    0.000012>] db1 kernel: " MSG, MSG, "",
		  2462050425, -1 },
		/* syslog with the kernel's own stamp after "kernel:" */
		{ "Dec  7 19:49:29 db1 kernel: [ 2462.050425] " MSG, MSG,
		  "Dec  7 19:49:29", 2462050425, T0 * S },
		{ "2026-12-07T19:49:29.050425+00:00 db1 kernel: [ 2462.050425] "
		  MSG, MSG, "2026-12-07T19:49:29.050425+00:00", 2462050425,
		  T0 * S + 50425 },
		/* RFC 5424, as rsyslog's RSYSLOG_SyslogProtocol23Format */
		{ "<4>1 2026-12-07T19:49:29.050425+00:00 db1 kernel - - - " MSG,
		  MSG, "2026-12-07T19:49:29.050425+00:00", -1, T0 * S + 50425 },
		{ "<4>1 2026-12-07T19:49:29Z db1 kernel - - [x@1 a=\"b\"] " MSG,
		  MSG, "2026-12-07T19:49:29Z", -1, T0 * S },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_other_programs_are_not_the_kernel(void **state)
{
	static const struct want w[] = {
		/* the same words from a program: not a kernel message */
		{ "Dec 07 19:49:29 db1 logger: " MSG, NULL, NULL, -1, -1 },
		{ "<13>1 2026-12-07T19:49:29Z db1 logger - - - " MSG, NULL,
		  NULL, -1, -1 },
		/* structured data whose quote never closes: no message, and
		 * no read past the line (found by fuzz/logline) */
		{ "<4>1 2026-12-07T19:49:29Z db1 kernel - - [x a=\"b] " MSG,
		  NULL, NULL, -1, -1 },
		{ "{ \"_TRANSPORT\" : \"syslog\", \"MESSAGE\" : \"" MSG "\" }",
		  NULL, NULL, -1, -1 },
		/* an identifier's "[pid" never closed: no program, and no
		 * read past the line (found by fuzz/logline) */
		{ "Dec 07 19:49:29 db1 foo[12", "db1 foo[12", "Dec 07 19:49:29",
		  -1, T0 * S },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_journal_json_lines(void **state)
{
	static const struct want w[] = {
		{ "{ \"__CURSOR\" : \"s=1;i=2\", \"__REALTIME_TIMESTAMP\" : "
		  "\"1796672969050425\", \"__MONOTONIC_TIMESTAMP\" : \"9\", "
		  "\"_SOURCE_MONOTONIC_TIMESTAMP\" : \"2462050425\", "
		  "\"_TRANSPORT\" : \"kernel\", \"PRIORITY\" : \"4\", "
		  "\"MESSAGE\" : \"" MSG "\", \"_HOSTNAME\" : \"db1\" }",
		  MSG, "", 2462050425, T0 * S + 50425 },
		/* json-seq and json-sse; escapes; a byte array */
		{ "\x1e{\"__REALTIME_TIMESTAMP\":\"1796672969000000\","
		  "\"MESSAGE\":\"a \\\"b\\\" \\\\ \\u00e9\\t\"}",
		  "a \"b\" \\ \xc3\xa9\t", "", -1, T0 * S },
		{ "data: {\"MESSAGE\":[104,105],\"_TRANSPORT\":\"kernel\"}",
		  "hi", "", -1, -1 },
		{ "{ \"MESSAGE\" : null }", NULL, NULL, -1, -1 },
		{ "{ \"MESSAGE\" : \"unterminated }", NULL, NULL, -1, -1 },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_journal_json_pretty(void **state)
{
	static const struct want w[] = {
		{ "{", NULL, NULL, -1, -1 },
		{ "\t\"__REALTIME_TIMESTAMP\" : \"1796672969050425\",", NULL,
		  NULL, -1, -1 },
		{ "\t\"_SOURCE_MONOTONIC_TIMESTAMP\" : \"2462050425\",", NULL,
		  NULL, -1, -1 },
		{ "\t\"_TRANSPORT\" : \"kernel\",", NULL, NULL, -1, -1 },
		{ "\t\"MESSAGE\" : \"" MSG "\",", MSG, "", 2462050425,
		  T0 * S + 50425 },
		{ "}", NULL, NULL, -1, -1 },
		/* the next entry forgets the last one's stamps */
		{ "{", NULL, NULL, -1, -1 },
		{ "\t\"MESSAGE\" : \"" MSG "\"", MSG, "", -1, -1 },
		{ "}", NULL, NULL, -1, -1 },
	};

	(void)state;
	CHECK_ALL(w);
}

static void test_logline_journal_verbose_and_export(void **state)
{
	static const struct want w[] = {
		{ "Mon 2026-12-07 19:49:29.050425 UTC [s=ab;i=1;b=cd;m=9;"
		  "t=5;x=ef]", NULL, NULL, -1, -1 },
		{ "    _SOURCE_MONOTONIC_TIMESTAMP=2462050425", NULL, NULL, -1,
		  -1 },
		{ "    _TRANSPORT=kernel", NULL, NULL, -1, -1 },
		{ "    MESSAGE=" MSG, MSG, "Mon 2026-12-07 19:49:29.050425 UTC",
		  2462050425, T0 * S + 50425 },
		{ "    _HOSTNAME=db1", NULL, NULL, -1, -1 },
		/* export: fields from column 0, entries end at a blank line */
		{ "__CURSOR=s=ab;i=2", NULL, NULL, -1, -1 },
		{ "__REALTIME_TIMESTAMP=1796672969000001", NULL, NULL, -1, -1 },
		{ "_SOURCE_MONOTONIC_TIMESTAMP=2462050426", NULL, NULL, -1, -1 },
		{ "_TRANSPORT=kernel", NULL, NULL, -1, -1 },
		{ "MESSAGE=" MSG, MSG, "", 2462050426, T0 * S + 1 },
		{ "", NULL, NULL, -1, -1 },
		{ "MESSAGE=" MSG, MSG, "", -1, -1 },
		/* a program's entry */
		{ "", NULL, NULL, -1, -1 },
		{ "_TRANSPORT=stdout", NULL, NULL, -1, -1 },
		{ "MESSAGE=" MSG, NULL, NULL, -1, -1 },
	};

	(void)state;
	CHECK_ALL(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logline_dmesg_formats),
		cmocka_unit_test(test_logline_dmesg_reltime_adds_up_its_deltas),
		cmocka_unit_test(test_logline_journal_short_formats),
		cmocka_unit_test(test_logline_other_programs_are_not_the_kernel),
		cmocka_unit_test(test_logline_journal_json_lines),
		cmocka_unit_test(test_logline_journal_json_pretty),
		cmocka_unit_test(test_logline_journal_verbose_and_export),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
