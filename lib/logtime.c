/* SPDX-License-Identifier: GPL-2.0-or-later */
/* logtime: wall-clock times as kernel logs print them and as --since takes
 * them, to Unix microseconds. Pure functions; local time follows TZ. */
#include "logtime.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define US 1000000LL
/* 9999-12-31T23:59:59Z: no log or --since goes further */
#define TIME_MAX 253402300799LL

/* A cursor over LEN bytes of text. */
struct cur {
	const char *p, *end;
};

static bool at_end(const struct cur *c)
{
	return c->p >= c->end;
}

static bool peek(const struct cur *c, char ch)
{
	return c->p < c->end && *c->p == ch;
}

static bool eat(struct cur *c, char ch)
{
	if (!peek(c, ch))
		return false;
	c->p++;
	return true;
}

static void eat_blanks(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* Exactly N digits (N 0: one or more, at most 18) into *RET. */
static bool digits(struct cur *c, int n, int64_t *ret)
{
	int64_t v = 0;
	int k = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p) &&
	       (n ? k < n : k < 18)) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	if (!k || (n && k != n))
		return false;
	*ret = v;
	return true;
}

/* ".123456" or ",123456": up to six decimals as microseconds (more are
 * cut); nothing there is 0. */
static bool fraction(struct cur *c, int64_t *ret_us)
{
	int64_t v = 0, scale = 100000;

	*ret_us = 0;
	if (!peek(c, '.') && !peek(c, ','))
		return true;
	c->p++;
	if (at_end(c) || !isdigit((unsigned char)*c->p))
		return false;
	for (; c->p < c->end && isdigit((unsigned char)*c->p); c->p++) {
		v += (*c->p - '0') * scale;
		scale /= 10;
	}
	*ret_us = v;
	return true;
}

static int month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int i;

	for (i = 0; i < 12; i++)
		if (!strncmp(s, names + 3 * i, 3))
			return i;
	return -1;
}

/* "Dec" into *RET (0-11). */
static bool month(struct cur *c, int *ret)
{
	int m;

	if (c->end - c->p < 3)
		return false;
	m = month_of(c->p);
	if (m < 0)
		return false;
	c->p += 3;
	*ret = m;
	return true;
}

/* "Mon": three letters, not checked against the date. */
static bool weekday(struct cur *c)
{
	int i;

	if (c->end - c->p < 3)
		return false;
	for (i = 0; i < 3; i++)
		if (!isalpha((unsigned char)c->p[i]))
			return false;
	c->p += 3;
	return true;
}

/* "HH:MM" and, when SECONDS, ":SS". */
static bool clock_time(struct cur *c, bool seconds, struct tm *tm)
{
	int64_t h, m, s = 0;

	if (!digits(c, 2, &h) || !eat(c, ':') || !digits(c, 2, &m))
		return false;
	if (seconds && (!eat(c, ':') || !digits(c, 2, &s)))
		return false;
	if (h > 23 || m > 59 || s > 60)
		return false;
	tm->tm_hour = (int)h;
	tm->tm_min = (int)m;
	tm->tm_sec = (int)s;
	return true;
}

/* "YYYY-MM-DD" */
static bool iso_date(struct cur *c, struct tm *tm)
{
	int64_t y, mo, d;

	if (!digits(c, 4, &y) || !eat(c, '-') || !digits(c, 2, &mo) ||
	    !eat(c, '-') || !digits(c, 2, &d))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	tm->tm_year = (int)y - 1900;
	tm->tm_mon = (int)mo - 1;
	tm->tm_mday = (int)d;
	return true;
}

/* "Z", "+HH:MM", "+HHMM", "-HH" into seconds east of UTC. The cursor may
 * have moved when it fails: the callers go back (optional_zone()). */
static bool zone_offset(struct cur *c, long *ret)
{
	int64_t h, m = 0;
	int sign;

	if (eat(c, 'Z')) {
		*ret = 0;
		return true;
	}
	if (peek(c, '+'))
		sign = 1;
	else if (peek(c, '-'))
		sign = -1;
	else
		return false;
	c->p++;
	if (!digits(c, 2, &h))
		return false;
	eat(c, ':');
	if (!at_end(c) && isdigit((unsigned char)*c->p) && !digits(c, 2, &m))
		return false;
	if (h > 23 || m > 59)
		return false;
	*ret = sign * (long)(h * 3600 + m * 60);
	return true;
}

/* A zone or nothing: false with the cursor where it was when there is
 * none (then the text must end there). */
static bool optional_zone(struct cur *c, long *ret)
{
	const char *mark = c->p;

	if (zone_offset(c, ret))
		return true;
	c->p = mark;
	return false;
}

/* The broken-down time TM in local time (ZONED false) or UTC shifted by
 * OFFSET seconds east, plus US microseconds. */
static int to_us(struct tm *tm, bool zoned, long offset, int64_t us,
		 int64_t *ret)
{
	struct tm in = *tm;
	time_t t;

	in.tm_isdst = -1;
	t = zoned ? timegm(&in) : mktime(&in);
	if (t == (time_t)-1)
		return -EINVAL;
	/* mktime normalises the 31st of November into December: refuse */
	if (in.tm_mday != tm->tm_mday || in.tm_mon != tm->tm_mon)
		return -EINVAL;
	t -= zoned ? offset : 0;
	if (t < 0 || t > TIME_MAX)
		return -ERANGE;
	*ret = (int64_t)t * US + us;
	return 0;
}

/* "2026-12-07T19:49:29[.frac][zone]" or with a blank for the T. */
static int parse_iso(struct cur *c, int64_t *ret)
{
	struct tm tm = { 0 };
	int64_t us;
	long off = 0;
	bool zoned;

	if (!iso_date(c, &tm) || !(eat(c, 'T') || eat(c, ' ')) ||
	    !clock_time(c, true, &tm) || !fraction(c, &us))
		return -EINVAL;
	zoned = optional_zone(c, &off);
	if (!at_end(c))
		return -EINVAL;
	return to_us(&tm, zoned, off, us, ret);
}

/* The year of a stamp without one: NOW's, or the one before when that
 * would put it more than a day after NOW. */
static int guess_year(struct tm *tm, int64_t us, int64_t now_us, int64_t *ret)
{
	time_t now = (time_t)(now_us / US);
	struct tm ntm;
	int r;

	if (now_us <= 0)
		return -ENODATA;
	if (!localtime_r(&now, &ntm))
		return -EINVAL;
	tm->tm_year = ntm.tm_year;
	r = to_us(tm, false, 0, us, ret);
	if (r == 0 && *ret > now_us + 86400 * US) {
		tm->tm_year--;
		r = to_us(tm, false, 0, us, ret);
	}
	return r;
}

/* "Dec  7 19:49:29[.frac]" or, to the minute, "Dec 7 19:49". */
static int parse_syslog(struct cur *c, int64_t now_us, int64_t *ret)
{
	struct tm tm = { 0 };
	int64_t d, us = 0;
	bool seconds;

	if (!month(c, &tm.tm_mon) || !peek(c, ' '))
		return -EINVAL;
	eat_blanks(c);
	if (!digits(c, 0, &d) || d < 1 || d > 31 || !eat(c, ' '))
		return -EINVAL;
	tm.tm_mday = (int)d;
	seconds = c->end - c->p > 5;
	if (!clock_time(c, seconds, &tm) || !fraction(c, &us) || !at_end(c))
		return -EINVAL;
	return guess_year(&tm, us, now_us, ret);
}

/* "Mon Dec  7 19:49:29 2026" */
static int parse_ctime(struct cur *c, int64_t *ret)
{
	struct tm tm = { 0 };
	int64_t d, y;

	if (!weekday(c) || !eat(c, ' ') || !month(c, &tm.tm_mon) ||
	    !peek(c, ' '))
		return -EINVAL;
	eat_blanks(c);
	if (!digits(c, 0, &d) || d < 1 || d > 31 || !eat(c, ' ') ||
	    !clock_time(c, true, &tm) || !eat(c, ' ') || !digits(c, 4, &y) ||
	    !at_end(c) || y < 1970)
		return -EINVAL;
	tm.tm_mday = (int)d;
	tm.tm_year = (int)y - 1900;
	return to_us(&tm, false, 0, 0, ret);
}

/* "Mon 2026-12-07 19:49:29[.frac] UTC" */
static int parse_full(struct cur *c, int64_t *ret)
{
	struct tm tm = { 0 };
	const char *zone;
	int64_t us;
	size_t zl;

	if (!weekday(c) || !eat(c, ' ') || !iso_date(c, &tm) ||
	    !eat(c, ' ') || !clock_time(c, true, &tm) || !fraction(c, &us) ||
	    !eat(c, ' '))
		return -EINVAL;
	zone = c->p;
	zl = (size_t)(c->end - c->p);
	if (!zl || zl > 8)
		return -EINVAL;
	for (; c->p < c->end; c->p++)
		if (!isalnum((unsigned char)*c->p) && *c->p != '+' &&
		    *c->p != '-')
			return -EINVAL;
	if ((zl == 3 && (!strncmp(zone, "UTC", 3) || !strncmp(zone, "GMT", 3))))
		return to_us(&tm, true, 0, us, ret);
	return to_us(&tm, false, 0, us, ret);
}

/* "1796672969.050425": Unix seconds with a fraction. */
static int parse_unix(struct cur *c, int64_t *ret)
{
	int64_t s, us;

	/* an uptime ("12.345678") is no Unix time: ten digits at least */
	if (!digits(c, 0, &s) || !peek(c, '.') || !fraction(c, &us) ||
	    !at_end(c) || s < 1000000000 || s > TIME_MAX)
		return -EINVAL;
	*ret = s * US + us;
	return 0;
}

int pd_logtime_parse(const char *text, size_t len, int64_t now_us,
		     int64_t *ret_us)
{
	struct cur c = { text, text + len };
	int64_t v;
	int r;

	if (!len)
		return -EINVAL;
	if (isdigit((unsigned char)text[0])) {
		r = len > 10 && text[4] == '-' ? parse_iso(&c, &v) :
		    parse_unix(&c, &v);
	} else if (len > 4 && isalpha((unsigned char)text[0]) &&
		   month_of(text) >= 0 && text[3] == ' ') {
		r = parse_syslog(&c, now_us, &v);
	} else if (len > 4 && isalpha((unsigned char)text[0]) &&
		   text[3] == ' ' && isdigit((unsigned char)text[4])) {
		r = parse_full(&c, &v);
	} else if (len > 4 && isalpha((unsigned char)text[0])) {
		r = parse_ctime(&c, &v);
	} else {
		r = -EINVAL;
	}
	if (r < 0)
		return r == -ENODATA ? r : -EINVAL;
	*ret_us = v;
	return 0;
}

/* ---- --since ----------------------------------------------------------- */

/* Seconds of the duration unit at *C ("h", "min", "days"), or 0. */
static int64_t unit_seconds(struct cur *c)
{
	static const struct {
		const char *name;
		int64_t s;
	} units[] = {
		/* longest first: "min" before "m" */
		{ "seconds", 1 }, { "second", 1 }, { "sec", 1 }, { "s", 1 },
		{ "minutes", 60 }, { "minute", 60 }, { "min", 60 }, { "m", 60 },
		{ "hours", 3600 }, { "hour", 3600 }, { "h", 3600 },
		{ "days", 86400 }, { "day", 86400 }, { "d", 86400 },
		{ "weeks", 604800 }, { "week", 604800 }, { "w", 604800 },
	};
	size_t i, n, avail = (size_t)(c->end - c->p), w = 0;

	while (w < avail && isalpha((unsigned char)c->p[w]))
		w++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		n = strlen(units[i].name);
		if (n == w && !strncasecmp(c->p, units[i].name, n)) {
			c->p += n;
			return units[i].s;
		}
	}
	return 0;
}

/* "1h30m", "90min", "2 days": a sum of NUMBER UNIT parts. */
static int parse_duration(struct cur *c, int64_t *ret_s)
{
	int64_t total = 0, n, u;

	do {
		eat_blanks(c);
		if (!digits(c, 0, &n))
			return -EINVAL;
		eat_blanks(c);
		u = unit_seconds(c);
		if (!u)
			return -EINVAL;
		if (n > TIME_MAX / u || total > TIME_MAX - n * u)
			return -ERANGE;
		total += n * u;
		eat_blanks(c);
	} while (!at_end(c));
	*ret_s = total;
	return 0;
}

/* Local midnight DAYS days before NOW_US. */
static int midnight(int64_t now_us, int days, int64_t *ret)
{
	time_t now = (time_t)(now_us / US);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return -EINVAL;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days;
	tm.tm_isdst = -1;
	now = mktime(&tm);
	if (now == (time_t)-1 || now < 0)
		return -ERANGE;
	*ret = (int64_t)now * US;
	return 0;
}

/* "2026-12-07", "2026-12-07 19:49[:29]", "2026-12-07T19:49:29Z". */
static int parse_date(struct cur *c, int64_t *ret)
{
	struct tm tm = { 0 };
	const char *mark;
	int64_t us = 0;
	long off = 0;
	bool zoned = false;

	if (!iso_date(c, &tm))
		return -EINVAL;
	if (!at_end(c)) {
		if (!eat(c, 'T') && !eat(c, ' '))
			return -EINVAL;
		mark = c->p;
		if (!clock_time(c, true, &tm)) {
			c->p = mark;
			if (!clock_time(c, false, &tm))
				return -EINVAL;
		}
		if (!fraction(c, &us))
			return -EINVAL;
		zoned = optional_zone(c, &off);
		if (!at_end(c))
			return -EINVAL;
	}
	return to_us(&tm, zoned, off, us, ret);
}

int pd_logtime_since_parse(const char *s, int64_t now_us, int64_t *ret_us)
{
	struct cur c = { s, s + strlen(s) };
	int64_t v, d;
	int r;

	if (!strcmp(s, "now")) {
		*ret_us = now_us;
		return 0;
	}
	if (!strcmp(s, "today"))
		return midnight(now_us, 0, ret_us);
	if (!strcmp(s, "yesterday"))
		return midnight(now_us, 1, ret_us);
	if (eat(&c, '@')) {
		if (!digits(&c, 0, &v) || !at_end(&c))
			return -EINVAL;
		if (v > TIME_MAX)
			return -ERANGE;
		*ret_us = v * US;
		return 0;
	}
	if (c.end - c.p >= 10 && c.p[4] == '-' && isdigit((unsigned char)*c.p))
		return parse_date(&c, ret_us);
	eat(&c, '-');
	r = parse_duration(&c, &d);
	if (r < 0)
		return r;
	if (d * US > now_us)
		return -ERANGE;
	*ret_us = now_us - d * US;
	return 0;
}

int pd_logtime_btime_parse(const char *buf, size_t len, int64_t *ret_us)
{
	const char *p = buf, *end = buf + len, *nl;
	struct cur c;
	int64_t v;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl - p > 6 && !strncmp(p, "btime ", 6)) {
			c.p = p + 6;
			c.end = nl;
			if (digits(&c, 0, &v) && at_end(&c) && v <= TIME_MAX) {
				*ret_us = v * US;
				return 0;
			}
		}
	}
	return -ENOENT;
}
