/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logline: a line of kernel log text as dmesg, journalctl, syslog and
 * /dev/kmsg print it, split into its message and its time stamps. */
#ifndef PD_LOGLINE_H
#define PD_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What one line says. */
struct pd_logline {
	const char *msg;	/* the kernel's message, NUL-terminated; NULL
				 * when the line carries none (a kmsg or
				 * journal field, a journal entry's header);
				 * lives until the next pd_logline_parse() */
	char stamp[64];		/* the time stamp as printed; "" none */
	bool has_uptime;
	uint64_t uptime_us;	/* seconds since boot, as the kernel counts
				 * them (they stand still in a suspend) */
	bool has_time;
	int64_t time_us;	/* the wall clock, Unix microseconds */
};

/* The state a reader keeps across lines: journalctl's multi-line formats
 * (verbose, export, json-pretty) and dmesg's relative stamps. */
struct pd_logline_reader;

/*
 * A reader for a text whose year-less stamps (syslog) are placed at most
 * a day after NOW_US (pd_logtime_parse()). Returns 0 or -ENOMEM; free
 * with pd_logline_reader_free().
 */
int pd_logline_reader_new(int64_t now_us, struct pd_logline_reader **ret_rd);
void pd_logline_reader_free(struct pd_logline_reader *rd);

/*
 * Split LINE (NUL-terminated, no newline; it must outlive *RET_LL's use)
 * into RET_LL. Read are:
 *   dmesg: "[  12.345678] ", -T "[Mon Dec  7 19:49:29 2026] ",
 *     --time-format=iso "2026-12-07T19:49:29,123456+00:00 ", reltime
 *     "[Dec 7 19:49] " and "[  +0.132607] ", delta "[<    0.132607>] ",
 *     -d "[ 12.345678 <    0.132607>] ", notime, -x "kern  :warn  : ",
 *     -r "<4>";
 *   journalctl -o short, short-precise, short-iso, short-iso-precise,
 *     short-full, short-unix, short-monotonic, short-delta, with-unit
 *     ("STAMP HOST kernel: "), cat, verbose ("    MESSAGE="), export
 *     ("MESSAGE="), json, json-seq, json-sse (one object a line) and
 *     json-pretty (a field a line);
 *   syslog files: RFC 3164 "Dec  7 19:49:29 HOST kernel: ", high-precision
 *     "2026-12-07T19:49:29.123456+00:00 HOST kernel: " (with or without
 *     the kernel's own "[  12.345678] " after it), RFC 5424
 *     "<4>1 2026-12-07T19:49:29.123456Z HOST kernel - - - ";
 *   /dev/kmsg records "6,1234,5678901,-;" and their " KEY=value" lines.
 * Journal entries not from the kernel (_TRANSPORT other than "kernel")
 * carry no message. Returns 0 or -ENOMEM.
 */
int pd_logline_parse(struct pd_logline_reader *rd, const char *line,
		     struct pd_logline *ret_ll);

#endif
