/* SPDX-License-Identifier: GPL-2.0-or-later */
/* threshold: Monitoring Plugins ranges (10, 10:, ~:10, 10:20, @10:20) over
 * sizes and percentages, and their evaluation to OK/WARNING/CRITICAL. */
#ifndef PD_THRESHOLD_H
#define PD_THRESHOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The plugin states, valued as the plugin exit codes. */
enum pd_status {
	PD_STATUS_OK = 0,
	PD_STATUS_WARNING = 1,
	PD_STATUS_CRITICAL = 2,
	PD_STATUS_UNKNOWN = 3,
};

/* What a range's numbers are. */
enum pd_threshold_unit {
	PD_THRESHOLD_BYTES,	/* a bare number or a size: 10G, 1.5M, 4096 */
	PD_THRESHOLD_PERCENT,	/* "50%", "12.5%": PD_THRESHOLD_PCT_SCALE units */
};

/* Percentages are fixed point: 1% is 10000, so four decimals are exact. */
#define PD_THRESHOLD_PCT_SCALE 10000

/*
 * A parsed range. Alert when the value is outside [lo, hi] (both ends
 * included), or inside it with '@'. An end marked infinite has no value.
 */
struct pd_threshold {
	enum pd_threshold_unit unit;
	bool inside;		/* '@' */
	bool lo_inf;		/* "~:": no lower end */
	bool hi_inf;		/* "10:": no upper end */
	int64_t lo, hi;		/* bytes, or percent * PD_THRESHOLD_PCT_SCALE */
};

/*
 * Parse S, a Monitoring Plugins range: "[@][START:]END" where START is a
 * number or "~" (minus infinity), a missing START is 0 and a missing END
 * (after ':') is infinity. Numbers may be negative and take size suffixes
 * (K M G T P E, powers of 1024, optional iB/B; see pd_parse_size) or a '%'
 * (up to four decimals); both ends must be of one unit. Stricter than the
 * reference library on purpose: "", ":", "~:", "@" (no finite end at all),
 * an inverted range (START > END) are -EINVAL. Returns 0, -EINVAL, or
 * -ERANGE (a number past +-2^63).
 */
int pd_threshold_parse(const char *s, struct pd_threshold *ret_t);

/* Does value V (in T's unit) raise T's alert? */
bool pd_threshold_alerts(const struct pd_threshold *t, int64_t v);

/*
 * The state of V against WARN and CRIT (either may be NULL: not set):
 * CRITICAL when CRIT alerts, else WARNING when WARN alerts, else OK.
 */
enum pd_status pd_threshold_status(const struct pd_threshold *warn,
				   const struct pd_threshold *crit, int64_t v);

/*
 * The state every value from LO to HI (LO <= HI) gets against WARN and
 * CRIT when they all get the same one (no end of a range lies between
 * them), else PD_STATUS_UNKNOWN: how a figure known only to lie between
 * two bounds is judged.
 */
enum pd_status pd_threshold_status_span(const struct pd_threshold *warn,
					const struct pd_threshold *crit,
					int64_t lo, int64_t hi);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *pd_status_name(enum pd_status s);

/*
 * Write T back as a range in base units (bytes as plain integers, percent
 * as a decimal without '%'), as the performance data of a plugin shows
 * it: "1073741824", "10:", "~:10", "@1:2", "12.5". Returns the length
 * snprintf would have written.
 */
int pd_threshold_format(const struct pd_threshold *t, char *buf, size_t n);

/* Write V (PD_THRESHOLD_PCT_SCALE units) as a decimal: "12.5", "-3", "0". */
int pd_threshold_format_pct(int64_t v, char *buf, size_t n);

#endif
