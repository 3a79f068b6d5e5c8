/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_logline_parse() on lines of log text, one reader
 * across them (journalctl's multi-line formats keep state): a message is
 * a NUL-terminated string no longer than its line, a stamp a string. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_logline_reader *rd;
	struct pd_logline ll;
	char *text, *line, *nl;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* the first byte picks "now": 0 (unknown) or a time in 2026 */
	if (pd_logline_reader_new(size && data[0] & 1 ? 1796672969000000LL : 0,
				  &rd) < 0) {
		free(text);
		return 0;
	}
	for (line = text; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (pd_logline_parse(rd, line, &ll) < 0)
			break;
		if (ll.msg && strlen(ll.msg) > strlen(line))
			abort();
		if (!memchr(ll.stamp, '\0', sizeof(ll.stamp)))
			abort();
		if (ll.has_time && ll.time_us < 0)
			abort();
	}
	pd_logline_reader_free(rd);
	free(text);
	return 0;
}
