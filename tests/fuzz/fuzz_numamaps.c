/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_numamaps_parse() on /proc/PID/numa_maps text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numamaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pd_numa_vma *v;
	struct pd_numamaps *nm;
	uint64_t total = 0, sum;
	size_t i, k;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_numamaps_parse(buf, size, &nm);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r == 0) {
		for (i = 0; i < pd_numamaps_count(nm); i++) {
			v = pd_numamaps_get(nm, i);
			sum = 0;
			if (!*v->policy || strchr(v->policy, '\n') ||
			    v->nr_nodes > pd_numamaps_nr_nodes(nm) ||
			    (v->file && v->kind != PD_NUMA_VMA_FILE) ||
			    (v->file && strchr(v->file, ' ')))
				abort();
			for (k = 0; k < v->nr_nodes; k++)
				sum += v->node_pages[k];
			if (sum != v->pages)
				abort();
			total += v->pages * v->page_size;
		}
		for (k = 0, sum = 0; k < pd_numamaps_nr_nodes(nm); k++)
			sum += pd_numamaps_node_bytes(nm, (unsigned)k);
		if (sum != total || total != pd_numamaps_bytes(nm))
			abort();
		pd_numamaps_free(nm);
	}
	free(buf);
	return 0;
}
