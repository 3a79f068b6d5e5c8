/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_cgpath_parse() on the input as a cgroup path, and
 * pd_cgpath_unescape() on its bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_id(const char *id, const char *path)
{
	size_t i;

	if (!id)
		return;
	/* a container id is 64 lower-case hex digits, taken from the path */
	if (strlen(id) != 64 || !strstr(path, id))
		abort();
	for (i = 0; i < 64; i++)
		if (!strchr("0123456789abcdef", id[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_cgpath cp;
	char *buf, *s;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_cgpath_parse(buf, &cp) == 0) {
		check_id(cp.id, buf);
		/* names may decode to any byte (\x2f is "/"), but are never
		 * empty; a pod UID has its dashes back */
		if ((cp.unit && !*cp.unit) || (cp.slice && !*cp.slice) ||
		    (cp.name && !*cp.name) ||
		    (cp.pod_uid && (!*cp.pod_uid || strchr(cp.pod_uid, '_') ||
				    strlen(cp.pod_uid) > 64)))
			abort();
		if (cp.runtime != PD_RUNTIME_NONE && !pd_runtime_name(cp.runtime))
			abort();
		pd_cgpath_release(&cp);
	}
	if (pd_cgpath_unescape((const char *)data, size, &s) == 0) {
		/* decoding never lengthens */
		if (strlen(s) > size)
			abort();
		free(s);
	}
	free(buf);
	return 0;
}
