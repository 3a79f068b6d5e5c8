/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_drm_fdinfo_parse() on DRM fdinfo text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_drm_client *c;
	size_t i, j, n;
	uint64_t v, id;
	char *buf;
	int r, s;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_drm_fdinfo_parse(buf, size, &c);
	if (r != 0 && r != -ENODATA && r != -ENOMEM)
		abort();
	if (r == 0) {
		if (!*pd_drm_client_driver(c) ||
		    !memmem(buf, size, "drm-driver", 10))
			abort();
		/* a client with an id is itself */
		if (pd_drm_client_same(c, c) != (pd_drm_client_id(c, &id) == 0))
			abort();
		n = pd_drm_region_count(c);
		for (i = 0; i < n; i++) {
			const char *name = pd_drm_region_name(c, i);
			unsigned any = 0;

			if (!*name || pd_drm_region_find(c, name) != (int)i)
				abort();
			for (j = 0; j < i; j++)
				if (!strcmp(name, pd_drm_region_name(c, j)))
					abort();
			for (s = 0; s < PD_DRM_NR_STATS; s++)
				any += pd_drm_region_get(c, i, s, &v) == 0;
			/* a region exists because a stat of it was read */
			if (!any)
				abort();
		}
		if (pd_drm_region_name(c, n))
			abort();
		pd_drm_client_free(c);
	}
	free(buf);
	return 0;
}
