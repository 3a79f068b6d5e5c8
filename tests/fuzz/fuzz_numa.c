/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: node lists and node meminfo (pd_numa_*_parse()). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_meminfo *mi;
	unsigned *nodes, node;
	size_t i, n;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_numa_nodelist_parse(buf, size, &nodes, &n);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		for (i = 0; i < n; i++)
			if (nodes[i] >= PD_NUMA_NODES_MAX ||
			    (i && nodes[i] <= nodes[i - 1]))
				abort();
		if (!n && nodes)
			abort();
		free(nodes);
	}
	r = pd_numa_meminfo_parse(buf, size, &node, &mi);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		if (!pd_meminfo_count(mi) || node >= PD_NUMA_NODES_MAX ||
		    !memmem(buf, size, "Node ", 5))
			abort();
		pd_meminfo_free(mi);
	}
	free(buf);
	return 0;
}
