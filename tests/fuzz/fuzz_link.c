/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_link_parse() and pd_path_is_nfs_silly() on link text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fdtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sl = sizeof(PD_DELETED_SUFFIX) - 1;
	struct pd_link l;
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_link_parse(buf, size, &l) == 0) {
		if (l.path_len > size)
			abort();
		if (l.deleted && (l.kind != PD_LINK_PATH ||
				  l.path_len + sl != size))
			abort();
		if (!l.deleted && l.path_len != size)
			abort();
		pd_path_is_nfs_silly(buf, l.path_len);
	} else if (size) {
		abort();
	}
	pd_path_is_nfs_silly(buf, size);
	free(buf);
	return 0;
}
