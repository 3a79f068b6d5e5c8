/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_zram_mm_stat_parse() on zram mm_stat text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zram.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_zram_mm_stat st;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_zram_mm_stat_parse(buf, size, &st);
	if (r != 0 && r != -EINVAL)
		abort();
	if (r == 0) {
		if (st.nr_fields < 7 || st.nr_fields > 9)
			abort();
		/* absent fields are 0 */
		if ((st.nr_fields < 8 && st.huge_pages) ||
		    (st.nr_fields < 9 && st.huge_pages_since))
			abort();
	}
	free(buf);
	return 0;
}
