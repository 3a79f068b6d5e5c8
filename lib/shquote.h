/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shquote: one word of a command line, quoted for a POSIX shell (bash for
 * bytes a terminal must not see raw), so a printed command can be pasted. */
#ifndef PD_SHQUOTE_H
#define PD_SHQUOTE_H

#include <stddef.h>

/*
 * S (LEN bytes) as one shell word: as it is when made only of
 * [A-Za-z0-9_@%+=:,./-] and not empty; in single quotes ('\'' for a
 * quote) when every byte is printable text (valid UTF-8, no control or
 * bidi character); otherwise in bash's $'...' with the TSV escapes of
 * lib/report (\\, \t, \n, \r, \xHH) and \' for a quote, so no control
 * byte is ever printed raw and bash reads back the exact bytes.
 * Returns a malloc'ed NUL-terminated string the caller frees, or NULL on
 * ENOMEM.
 */
char *pd_shquote(const char *s, size_t len);

#endif
