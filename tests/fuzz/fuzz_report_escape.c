/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the TSV, JSON and text escapes yield safe, valid
 * UTF-8 (no C0, DEL, C1 or bidi control), and decode to the input. */
#include <locale.h>
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

/* Is code point CP one a terminal acts on: C0, DEL, C1, or a bidi
 * control that reorders the line? */
static bool cp_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Does S (valid UTF-8 as checked first) hold a raw control character? */
static bool has_control(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		n = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 :
		    (s[i] & 0xf0) == 0xe0 ? 3 : 4;
		cp = n == 1 ? s[i] : n == 2 ? s[i] & 0x1fu :
		     n == 3 ? s[i] & 0x0fu : s[i] & 0x07u;
		for (k = 1; k < n && i + k < len; k++)
			cp = cp << 6 | (s[i + k] & 0x3f);
		if (cp_is_control(cp))
			return true;
		i += n;
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

/* Append code point CP to Q as UTF-8. */
static unsigned char *put_utf8(unsigned char *q, uint32_t cp)
{
	if (cp < 0x80) {
		*q++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*q++ = (unsigned char)(0xc0 | cp >> 6);
		*q++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (unsigned char)(0xe0 | cp >> 12);
		*q++ = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	return q;
}

/* Decode a JSON string body (valid input only): must give DATA back. */
static bool json_round_trips(const char *json, const uint8_t *data,
			     size_t size)
{
	unsigned char *dec = malloc(strlen(json) + 1), *q = dec;
	size_t i = 0;
	uint32_t cp;
	bool same;
	int k;

	if (!dec)
		abort();
	while (json[i]) {
		if (json[i] != '\\') {
			*q++ = (unsigned char)json[i++];
			continue;
		}
		switch (json[i + 1]) {
		case 'u':
			cp = 0;
			for (k = 0; k < 4; k++)
				cp = cp << 4 | (uint32_t)hexval(json[i + 2 + k]);
			q = put_utf8(q, cp);
			i += 6;
			continue;
		case 'n': *q++ = '\n'; break;
		case 't': *q++ = '\t'; break;
		case 'r': *q++ = '\r'; break;
		case 'b': *q++ = '\b'; break;
		case 'f': *q++ = '\f'; break;
		case '"': *q++ = '"'; break;
		case '\\': *q++ = '\\'; break;
		default: abort();
		}
		i += 2;
	}
	same = (size_t)(q - dec) == size && !memcmp(dec, data, size);
	free(dec);
	return same;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tsv, *json, *text, *keep;
	bool valid;

	tsv = pd_escape_tsv((const char *)data, size);
	if (!tsv)
		abort();
	if (!is_utf8((unsigned char *)tsv, strlen(tsv)) ||
	    has_control((unsigned char *)tsv, strlen(tsv)) ||
	    !tsv_round_trips(tsv, data, size))
		abort();
	/* Valid input must come out of the JSON escape marked valid. */
	json = pd_escape_json_utf8((const char *)data, size, &valid);
	if (!json)
		abort();
	if (!is_utf8((unsigned char *)json, strlen(json)) ||
	    has_control((unsigned char *)json, strlen(json)))
		abort();
	if (valid != is_utf8(data, size))
		abort();
	if (valid && !json_round_trips(json, data, size))
		abort();
	/*
	 * The terminal text: in the C locale every byte past ASCII is \xHH,
	 * so it decodes back as the TSV does; in a UTF-8 locale it is safe.
	 * Keeping backslashes, it is safe either way.
	 */
	setlocale(LC_CTYPE, "C");
	text = pd_escape_text((const char *)data, size, 0);
	if (!text || !tsv_round_trips(text, data, size) ||
	    !is_utf8((unsigned char *)text, strlen(text)) ||
	    has_control((unsigned char *)text, strlen(text)))
		abort();
	free(text);
	setlocale(LC_CTYPE, "C.UTF-8");
	text = pd_escape_text((const char *)data, size, 0);
	keep = pd_escape_text((const char *)data, size,
			      PD_ESCAPE_KEEP_BACKSLASH);
	if (!text || !keep || !tsv_round_trips(text, data, size) ||
	    !is_utf8((unsigned char *)text, strlen(text)) ||
	    has_control((unsigned char *)text, strlen(text)) ||
	    !is_utf8((unsigned char *)keep, strlen(keep)) ||
	    has_control((unsigned char *)keep, strlen(keep)))
		abort();
	free(keep);
	free(text);
	setlocale(LC_CTYPE, "C");
	free(json);
	free(tsv);
	return 0;
}
