/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the TSV and JSON escapes yield safe, valid UTF-8. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An independent, deliberately plain decoder: true if S is strict UTF-8. */
static bool is_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 2;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 3;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 4;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else {
			return false;
		}
		if (len - i < n)
			return false;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

static bool has_control(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	abort();
}

/* Decode the TSV escapes as printf '%b' would: must give the input back. */
static bool tsv_round_trips(const char *tsv, const uint8_t *data, size_t size)
{
	size_t i = 0, j = 0;
	unsigned char c;

	while (tsv[i]) {
		c = (unsigned char)tsv[i++];
		if (c == '\\') {
			c = (unsigned char)tsv[i++];
			if (c == 't')
				c = '\t';
			else if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 'x') {
				c = (unsigned char)(hexval(tsv[i]) << 4 |
						    hexval(tsv[i + 1]));
				i += 2;
			} else if (c != '\\') {
				return false;
			}
		}
		if (j >= size || data[j++] != c)
			return false;
	}
	return j == size;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tsv, *json;
	bool valid;

	tsv = pd_escape_tsv((const char *)data, size);
	if (!tsv)
		abort();
	if (has_control((unsigned char *)tsv, strlen(tsv)) ||
	    !is_utf8((unsigned char *)tsv, strlen(tsv)) ||
	    !tsv_round_trips(tsv, data, size))
		abort();
	/* Valid input must come out of the JSON escape marked valid. */
	json = pd_escape_json_utf8((const char *)data, size, &valid);
	if (!json)
		abort();
	if (has_control((unsigned char *)json, strlen(json)) ||
	    !is_utf8((unsigned char *)json, strlen(json)))
		abort();
	if (valid != is_utf8(data, size))
		abort();
	free(json);
	free(tsv);
	return 0;
}
