/* SPDX-License-Identifier: GPL-2.0-or-later */
/* section: what procdiag-report makes of a tool's output: its human table
 * cut to the first rows, keeping the header and the total line; its
 * warnings said once when the tool runs for more than one section. */
#ifndef PD_SECTION_H
#define PD_SECTION_H

#include <stddef.h>

/*
 * Cut TEXT (LEN bytes, a table with a header line and maybe a last line
 * starting with "total") to the header, the first NROWS data rows and the
 * total line. *RET is a malloc'ed NUL-terminated copy the caller frees;
 * *RET_HIDDEN the number of rows left out (0: TEXT unchanged). Text with no
 * newline at its end is taken as is. Returns 0 or -ENOMEM.
 */
int pd_section_clip(const char *text, size_t len, size_t nrows, char **ret,
		    size_t *ret_hidden);

/* The causes of the lines passed on so far. */
struct pd_section_seen;

/* Returns 0 or -ENOMEM; free with pd_section_seen_free(). */
int pd_section_seen_new(struct pd_section_seen **ret_seen);
void pd_section_seen_free(struct pd_section_seen *seen);

/*
 * The lines of TEXT (LEN bytes: what one run of a tool said on stderr)
 * whose cause no earlier call passed on, in *RET (malloc'ed, NUL-
 * terminated, the caller frees it); their causes are kept in SEEN. A
 * line's cause is the line with its figures (a word that is a number or
 * a size: "117", "15.5M", "50%") made alike and its words without their
 * plural, so "memfind: warning: 1 of 117 processes could not be read" and
 * "... 2 of 120 ..." are one cause, "1 point" and "2 points" too: a tool
 * run twice on the same machine warns once, with its first figures.
 * Lines of the same TEXT are never dropped for each other. Returns 0 or
 * -ENOMEM.
 */
int pd_section_seen_filter(struct pd_section_seen *seen, const char *text,
			   size_t len, char **ret);

#endif
