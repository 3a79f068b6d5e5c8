/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_logtime_parse() and pd_logtime_since_parse() on any
 * text: a time found is never before 1970 nor past the year 9999. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1796672969000000LL
#define LAST 253402300799999999LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t us;
	char *s;
	int r;

	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	r = pd_logtime_parse((const char *)data, size, NOW, &us);
	if (r != 0 && r != -EINVAL && r != -ENODATA)
		abort();
	if (r == 0 && (us < 0 || us > LAST))
		abort();
	r = pd_logtime_parse((const char *)data, size, 0, &us);
	if (r != 0 && r != -EINVAL && r != -ENODATA)
		abort();
	r = pd_logtime_since_parse(s, NOW, &us);
	if (r != 0 && r != -EINVAL && r != -ERANGE)
		abort();
	if (r == 0 && (us < 0 || us > LAST))
		abort();
	free(s);
	return 0;
}
