/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: the kubelet's names: k8s_ container names, the
 * directories of /var/log/pods and the links of /var/log/containers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctrmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pd_ctrmeta *m)
{
	/* every part is non-empty and holds no "_" */
	const char *parts[] = { m->name, m->pod_name, m->pod_namespace,
				m->pod_uid };
	size_t i;

	for (i = 0; i < 4; i++)
		if (parts[i] && (!*parts[i] || strchr(parts[i], '_')))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_ctrmeta m;
	char *buf, *id;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_ctrmeta_k8sname_parse(buf, &m) == 0) {
		check(&m);
		pd_ctrmeta_release(&m);
	}
	if (pd_ctrmeta_podlog_parse(buf, &m) == 0) {
		check(&m);
		pd_ctrmeta_release(&m);
	}
	if (pd_ctrmeta_ctrlog_parse(buf, &m, &id) == 0) {
		check(&m);
		if (strlen(id) != 64)
			abort();
		free(id);
		pd_ctrmeta_release(&m);
	}
	free(buf);
	return 0;
}
