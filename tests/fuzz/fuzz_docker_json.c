/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: Docker's config.v2.json and daemon.json parsers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctrmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_ctrmeta m;
	char *dir;

	if (pd_ctrmeta_docker_parse((const char *)data, size, &m) == 0) {
		/* what is found is never empty */
		if ((m.name && !*m.name) || (m.pod_name && !*m.pod_name))
			abort();
		pd_ctrmeta_release(&m);
	}
	if (pd_ctrmeta_daemon_parse((const char *)data, size, &dir) == 0) {
		if (dir && dir[0] != '/')
			abort();
		free(dir);
	}
	return 0;
}
