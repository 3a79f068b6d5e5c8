/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logtime: wall-clock times as kernel logs print them and as --since takes
 * them, to Unix microseconds. Pure functions; local time follows TZ. */
#ifndef PD_LOGTIME_H
#define PD_LOGTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * The wall-clock stamp of a log line, TEXT (LEN bytes, the stamp alone),
 * in Unix microseconds:
 *   "2026-12-07T19:49:29,123456+00:00"  dmesg --time-format=iso
 *   "2026-12-07T19:49:29+00:00", "...+0000", "....123456Z"
 *                                       journalctl -o short-iso[-precise],
 *                                       rsyslog, RFC 5424
 *   "Mon Dec  7 19:49:29 2026"          dmesg -T (ctime)
 *   "Dec  7 19:49:29", "Dec 07 19:49:29.123456"
 *                                       syslog (RFC 3164), journalctl -o
 *                                       short[-precise]
 *   "Mon 2026-12-07 19:49:29 UTC", "Mon 2026-12-07 19:49:29.123456 CET"
 *                                       journalctl -o short-full, verbose
 *   "1796761769.123456"                 journalctl -o short-unix
 *   "Dec 7 19:49"                       dmesg --time-format=reltime, to the
 *                                       minute
 * A stamp without a zone is local time; a zone name other than UTC or GMT
 * is taken for the local zone (journalctl prints the reader's). A stamp
 * without a year gets the one that puts it at most a day after NOW_US (a
 * December log read in January is last year's). Returns 0, -EINVAL (not a
 * stamp), or -ENODATA (a stamp without a year, and NOW_US is 0: unknown).
 */
int pd_logtime_parse(const char *text, size_t len, int64_t now_us,
		     int64_t *ret_us);

/*
 * The argument of --since, in Unix microseconds: a duration back from
 * NOW_US ("1h", "90min", "1h30m", "2d", "45s", "1w", also written "-1h"
 * as journalctl takes it; units s, sec, m, min, h, hour(s), d, day(s), w,
 * week(s)), "@SECONDS" (Unix time), a date and time "2026-12-07 19:49",
 * "2026-12-07 19:49:29", "2026-12-07T19:49:29[.frac][Z|+HH:MM]" (local
 * time without a zone), a date "2026-12-07" (its midnight), "today" or
 * "yesterday" (midnight, local), "now". Returns 0, -EINVAL, or -ERANGE
 * (before 1970 or past the year 9999).
 */
int pd_logtime_since_parse(const char *s, int64_t now_us, int64_t *ret_us);

/* "btime N" of /proc/stat text BUF (LEN bytes): the boot in Unix
 * microseconds. Returns 0 or -ENOENT. */
int pd_logtime_btime_parse(const char *buf, size_t len, int64_t *ret_us);

#endif
