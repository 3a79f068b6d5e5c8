/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/threshold's range parser, and that a parsed range
 * written back in base units parses to the same range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "threshold.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_threshold t, u;
	char *s = malloc(size + 1), buf[128];
	size_t len;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (pd_threshold_parse(s, &t) == 0) {
		if (!t.lo_inf && !t.hi_inf && t.lo > t.hi)
			abort();
		pd_threshold_alerts(&t, 0);
		pd_threshold_alerts(&t, INT64_MIN);
		pd_threshold_alerts(&t, INT64_MAX);
		pd_threshold_status(&t, &t, t.lo);
		pd_threshold_format(&t, buf, sizeof(buf));
		/* the percent form loses its '%' when written back */
		if (t.unit == PD_THRESHOLD_PERCENT) {
			len = strlen(buf);
			if (buf[len - 1] == ':') {
				memmove(buf + len, buf + len - 1, 2);
				buf[len - 1] = '%';
			} else {
				strcat(buf, "%");
				/* "a:b" needs both ends in %: mark the first */
				char *c = strchr(buf, ':');

				if (c && c > buf && c[-1] != '~') {
					memmove(c + 1, c, strlen(c) + 1);
					*c = '%';
				}
			}
		}
		if (pd_threshold_parse(buf, &u) != 0 || u.lo != t.lo ||
		    u.hi != t.hi || u.inside != t.inside ||
		    u.lo_inf != t.lo_inf || u.hi_inf != t.hi_inf ||
		    u.unit != t.unit)
			abort();
	}
	free(s);
	return 0;
}
