/* SPDX-License-Identifier: GPL-2.0-or-later */
/* threshold: Monitoring Plugins ranges (10, 10:, ~:10, 10:20, @10:20) over
 * sizes and percentages, and their evaluation to OK/WARNING/CRITICAL. */
#include "threshold.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "12.5" (no sign, no '%') into PD_THRESHOLD_PCT_SCALE units. */
static int parse_pct(const char *s, size_t len, uint64_t *ret)
{
	uint64_t whole = 0, frac = 0, scale = PD_THRESHOLD_PCT_SCALE / 10;
	size_t i = 0;
	bool any = false;

	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -ERANGE;
		whole = whole * 10 + d;
		any = true;
	}
	if (i < len && s[i] == '.') {
		i++;
		if (i == len || !isdigit((unsigned char)s[i]))
			return -EINVAL;
		for (; i < len && isdigit((unsigned char)s[i]); i++) {
			if (!scale)
				return -EINVAL;	/* more than four decimals */
			frac += (uint64_t)(s[i] - '0') * scale;
			scale /= 10;
		}
	}
	if (!any || i != len)
		return -EINVAL;
	if (whole > (UINT64_MAX - frac) / PD_THRESHOLD_PCT_SCALE)
		return -ERANGE;
	*ret = whole * PD_THRESHOLD_PCT_SCALE + frac;
	return 0;
}

/* One end of a range: S[0..LEN), a signed size or percentage. */
static int parse_number(const char *s, size_t len, int64_t *ret_v,
			enum pd_threshold_unit *ret_unit)
{
	enum pd_threshold_unit unit = PD_THRESHOLD_BYTES;
	bool neg = false;
	uint64_t mag;
	char buf[64];
	int r;

	if (len && s[0] == '-') {
		neg = true;
		s++;
		len--;
	}
	if (!len || len >= sizeof(buf))
		return len ? -ERANGE : -EINVAL;
	if (s[len - 1] == '%') {
		unit = PD_THRESHOLD_PERCENT;
		r = parse_pct(s, len - 1, &mag);
	} else {
		memcpy(buf, s, len);
		buf[len] = '\0';
		r = pd_parse_size(buf, &mag);
	}
	if (r < 0)
		return r;
	if (mag > (uint64_t)INT64_MAX)
		return -ERANGE;
	*ret_v = neg ? -(int64_t)mag : (int64_t)mag;
	*ret_unit = unit;
	return 0;
}

int pd_threshold_parse(const char *s, struct pd_threshold *ret_t)
{
	struct pd_threshold t = { .lo = 0 };
	enum pd_threshold_unit lu, hu;
	const char *colon, *end;
	bool has_lo = false;
	int r;

	if (*s == '@') {
		t.inside = true;
		s++;
	}
	colon = strchr(s, ':');
	end = colon ? colon + 1 : s;
	if (colon) {
		if (colon - s == 1 && s[0] == '~') {
			t.lo_inf = true;
		} else if (colon > s) {
			r = parse_number(s, (size_t)(colon - s), &t.lo, &lu);
			if (r < 0)
				return r;
			has_lo = true;
		}
	}
	if (*end) {
		r = parse_number(end, strlen(end), &t.hi, &hu);
		if (r < 0)
			return r;
		t.unit = hu;
		if (has_lo && lu != hu)
			return -EINVAL;
		if (!t.lo_inf && t.lo > t.hi)
			return -EINVAL;
	} else {
		/* "10:" has an upper end of infinity; "", ":", "~:" have no
		 * finite end at all: a typo, never a useful range. */
		if (!colon || !has_lo)
			return -EINVAL;
		t.hi_inf = true;
		t.unit = lu;
	}
	*ret_t = t;
	return 0;
}

bool pd_threshold_alerts(const struct pd_threshold *t, int64_t v)
{
	bool in = (t->lo_inf || v >= t->lo) && (t->hi_inf || v <= t->hi);

	return t->inside ? in : !in;
}

enum pd_status pd_threshold_status(const struct pd_threshold *warn,
				   const struct pd_threshold *crit, int64_t v)
{
	if (crit && pd_threshold_alerts(crit, v))
		return PD_STATUS_CRITICAL;
	if (warn && pd_threshold_alerts(warn, v))
		return PD_STATUS_WARNING;
	return PD_STATUS_OK;
}

/* Where V lies against range T: 0 below its start, 1 in it, 2 past it. */
static int region(const struct pd_threshold *t, int64_t v)
{
	if (!t->lo_inf && v < t->lo)
		return 0;
	if (!t->hi_inf && v > t->hi)
		return 2;
	return 1;
}

enum pd_status pd_threshold_status_span(const struct pd_threshold *warn,
					const struct pd_threshold *crit,
					int64_t lo, int64_t hi)
{
	/* a range is an interval: one region at both ends, one state */
	if ((warn && region(warn, lo) != region(warn, hi)) ||
	    (crit && region(crit, lo) != region(crit, hi)))
		return PD_STATUS_UNKNOWN;
	return pd_threshold_status(warn, crit, lo);
}

const char *pd_status_name(enum pd_status s)
{
	switch (s) {
	case PD_STATUS_OK: return "OK";
	case PD_STATUS_WARNING: return "WARNING";
	case PD_STATUS_CRITICAL: return "CRITICAL";
	case PD_STATUS_UNKNOWN: break;
	}
	return "UNKNOWN";
}

int pd_threshold_format_pct(int64_t v, char *buf, size_t n)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
	uint64_t whole = mag / PD_THRESHOLD_PCT_SCALE;
	unsigned frac = (unsigned)(mag % PD_THRESHOLD_PCT_SCALE);
	char digits[8];
	int len;

	if (!frac)
		return snprintf(buf, n, "%s%" PRIu64, v < 0 ? "-" : "", whole);
	len = snprintf(digits, sizeof(digits), "%04u", frac);
	while (len > 1 && digits[len - 1] == '0')
		digits[--len] = '\0';
	return snprintf(buf, n, "%s%" PRIu64 ".%s", v < 0 ? "-" : "", whole,
			digits);
}

static int format_end(const struct pd_threshold *t, int64_t v, char *buf,
		      size_t n)
{
	if (t->unit == PD_THRESHOLD_PERCENT)
		return pd_threshold_format_pct(v, buf, n);
	return snprintf(buf, n, "%" PRId64, v);
}

int pd_threshold_format(const struct pd_threshold *t, char *buf, size_t n)
{
	char lo[32], hi[32];

	format_end(t, t->lo, lo, sizeof(lo));
	format_end(t, t->hi, hi, sizeof(hi));
	if (t->hi_inf)
		return snprintf(buf, n, "%s%s:", t->inside ? "@" : "", lo);
	if (t->lo_inf)
		return snprintf(buf, n, "%s~:%s", t->inside ? "@" : "", hi);
	if (!t->lo && !t->inside)
		return snprintf(buf, n, "%s", hi);
	return snprintf(buf, n, "%s%s:%s", t->inside ? "@" : "", lo, hi);
}
