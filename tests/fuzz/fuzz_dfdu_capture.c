/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_fsspace_capture_parse() on a captured tree's
 * dfdu-statvfs text (the input after its first NUL; before it, the mount
 * point looked for), and pd_ext4_resv_parse() on the same text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsspace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	struct pd_statvfs v;
	struct pd_fsspace s;
	char *target;
	uint64_t resv;
	size_t tl;
	int r;

	tl = nul ? (size_t)(nul - data) : 0;
	target = malloc(tl + 1);
	if (!target)
		return 0;
	memcpy(target, data, tl);
	target[tl] = '\0';
	if (nul) {
		data = nul + 1;
		size -= tl + 1;
	}
	r = pd_fsspace_capture_parse((const char *)data, size, target, &v);
	if (r != 0 && r != -ENOENT && r != -EINVAL)
		abort();
	if (r == 0) {
		if (v.frsize == 0)
			abort();
		pd_fsspace_compute(&v, &s);
		if (s.used > s.size || s.iused > s.inodes)
			abort();
	}
	r = pd_ext4_resv_parse((const char *)data, size, &resv);
	if (r != 0 && r != -EINVAL)
		abort();
	free(target);
	return 0;
}
