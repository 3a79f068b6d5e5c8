/* SPDX-License-Identifier: GPL-2.0-or-later */
/* section: a tool's table cut to its first rows, header and total kept. */
#include "section.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Start of each line; a last line without '\n' counts too. */
static size_t count_lines(const char *t, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		if (t[i] == '\n')
			n++;
	if (len && t[len - 1] != '\n')
		n++;
	return n;
}

/* Offset of line K (0-based); LEN when past the end. */
static size_t line_start(const char *t, size_t len, size_t k)
{
	size_t i = 0;

	while (k && i < len) {
		const char *nl = memchr(t + i, '\n', len - i);

		if (!nl)
			return len;
		i = (size_t)(nl - t) + 1;
		k--;
	}
	return i;
}

int pd_section_clip(const char *text, size_t len, size_t nrows, char **ret,
		    size_t *ret_hidden)
{
	size_t lines = count_lines(text, len);
	size_t total_at = len, data, hidden = 0, keep_end, out_len;
	char *out;

	if (lines >= 2) {
		size_t last = line_start(text, len, lines - 1);

		if (len - last >= 5 && memcmp(text + last, "total", 5) == 0)
			total_at = last;
	}
	/* Lines between the header and the total line (or the end). */
	data = lines ? lines - 1 - (total_at < len) : 0;
	if (data > nrows)
		hidden = data - nrows;
	keep_end = hidden ? line_start(text, len, 1 + nrows) : total_at;

	out_len = keep_end + (len - total_at);
	out = malloc(out_len + 1);
	if (!out)
		return -ENOMEM;
	memcpy(out, text, keep_end);
	memcpy(out + keep_end, text + total_at, len - total_at);
	out[out_len] = '\0';
	*ret = out;
	*ret_hidden = hidden;
	return 0;
}
