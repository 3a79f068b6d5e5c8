/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shquote: one word of a command line, quoted for a POSIX shell. */
#include "shquote.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static bool is_bare(const char *s, size_t len)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_@%+=:,./-";
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++)
		if (!s[i] || !strchr(ok, s[i]))
			return false;
	return true;
}

/* S with each byte Q replaced by REPL, between PRE and POST, in a new
 * string; NULL on ENOMEM. */
static char *wrap(const char *s, size_t len, const char *pre, char q,
		  const char *repl, const char *post)
{
	size_t n = strlen(pre) + strlen(post) + 1, i, rl = strlen(repl);
	char *out, *p;

	for (i = 0; i < len; i++)
		n += s[i] == q ? rl : 1;
	out = malloc(n);
	if (!out)
		return NULL;
	p = stpcpy(out, pre);
	for (i = 0; i < len; i++) {
		if (s[i] == q)
			p = stpcpy(p, repl);
		else
			*p++ = s[i];
	}
	strcpy(p, post);
	return out;
}

char *pd_shquote(const char *s, size_t len)
{
	char *esc, *out;
	bool plain;

	if (is_bare(s, len))
		return strndup(s, len);
	esc = pd_escape_tsv(s, len);
	if (!esc)
		return NULL;
	/* the TSV escape changed nothing: printable text, no backslash */
	plain = strlen(esc) == len && memcmp(esc, s, len) == 0;
	if (plain)
		out = wrap(s, len, "'", '\'', "'\\''", "'");
	else
		out = wrap(esc, strlen(esc), "$'", '\'', "\\'", "'");
	free(esc);
	return out;
}
