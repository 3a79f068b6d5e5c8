/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/prom's label and HELP escapes. The label value is
 * valid UTF-8 with no raw control, C1 or bidi character and no '"' or '\'
 * that is not escaped; decoded as Prometheus does and then as printf '%b'
 * does, it gives the input back. A HELP line never lets a newline or a
 * control character through. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is the character at S (N bytes, valid UTF-8) one a terminal acts on? */
static bool is_control(const unsigned char *s, size_t n)
{
	uint32_t cp = n == 1 ? s[0] : n == 2 ? (s[0] & 0x1fu) << 6 | (s[1] & 0x3f)
		      : n == 3 ? (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 |
				 (s[2] & 0x3f) : 0x10000;

	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Valid UTF-8 with no control character, or abort. */
static void check_safe(const char *e, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = (unsigned char)e[i] < 0x80 ? 1 :
		    pd_utf8_seq_len(e + i, len - i);
		if (!n || is_control((const unsigned char *)e + i, n))
			abort();
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	abort();
}

/* Undo the text format's label escapes, then the TSV's: DATA again? */
static bool round_trips(const char *e, const uint8_t *data, size_t size)
{
	char *v = malloc(strlen(e) + 1);
	size_t i, n = 0, j = 0;
	unsigned char c;
	bool same;

	if (!v)
		abort();
	for (i = 0; e[i]; i++) {
		if (e[i] == '\\') {
			i++;
			if (e[i] != '\\' && e[i] != '"')
				abort();	/* the TSV left no LF to escape */
		}
		v[n++] = e[i];
	}
	same = true;
	for (i = 0; i < n && same; i++) {
		c = (unsigned char)v[i];
		if (c == '\\') {
			c = (unsigned char)v[++i];
			if (c == 't')
				c = '\t';
			else if (c == 'n')
				c = '\n';
			else if (c == 'r')
				c = '\r';
			else if (c == 'x') {
				c = (unsigned char)(hexval(v[i + 1]) << 4 |
						    hexval(v[i + 2]));
				i += 2;
			} else if (c != '\\') {
				abort();
			}
		}
		same = j < size && data[j++] == c;
	}
	same = same && j == size;
	free(v);
	return same;
}

/* A verbatim value: valid UTF-8, no control but TAB, every '"' and '\'
 * escaped, or abort. */
static void check_verbatim(const uint8_t *data, size_t size)
{
	char *e = pd_prom_escape_label_verbatim((const char *)data, size);
	size_t i, n, len;

	if (!e)
		return;
	len = strlen(e);
	for (i = 0; i < len; i += n) {
		n = (unsigned char)e[i] < 0x80 ? 1 :
		    pd_utf8_seq_len(e + i, len - i);
		if (!n || (e[i] != '\t' &&
			   is_control((const unsigned char *)e + i, n)))
			abort();
		if (e[i] == '"')
			abort();
		if (e[i] == '\\') {
			if (e[i + 1] != '\\' && e[i + 1] != '"')
				abort();
			n = 2;
		}
	}
	free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *e = pd_prom_escape_label((const char *)data, size);
	struct pd_prom *p;
	size_t i, len;

	check_verbatim(data, size);
	if (!e)
		return 0;
	check_safe(e, strlen(e));
	for (i = 0; e[i]; i++) {
		if (e[i] == '"')
			abort();
		if (e[i] == '\\') {
			if (e[i + 1] != '\\' && e[i + 1] != '"')
				abort();
			i++;
		}
	}
	if (!round_trips(e, data, size))
		abort();
	/* the same bytes as a label value and as HELP text */
	if (pd_prom_new(&p) == 0) {
		char *help = strndup((const char *)data, size);
		struct pd_prom_label l = { "l", help };

		if (help && pd_prom_family(p, "m", PD_PROM_GAUGE, help) == 0 &&
		    pd_prom_sample_u64(p, &l, 1, 1) == 0) {
			const char *t = pd_prom_text(p, &len);
			size_t lines = 0;

			for (i = 0; i < len; i++)
				lines += t[i] == '\n';
			/* HELP, TYPE, one sample: a newline never leaks */
			if (lines != 3 || t[len - 1] != '\n')
				abort();
			for (i = 0; i < len; i = (size_t)(strchr(t + i, '\n') - t) + 1)
				check_safe(t + i, (size_t)(strchr(t + i, '\n') - t) - i);
		}
		free(help);
		pd_prom_free(p);
	}
	free(e);
	return 0;
}
