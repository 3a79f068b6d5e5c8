/* SPDX-License-Identifier: GPL-2.0-or-later */
/* section: a tool's human table cut to its first rows for procdiag-report,
 * keeping the header and the total line. */
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

#endif
