/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_vmallocinfo_parse() on /proc/vmallocinfo text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmallocinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pd_vmcaller **top, *c;
	struct pd_vmalloc_totals t;
	struct pd_vmallocinfo *vi;
	uint64_t ram = 0, mapped = 0, areas = 0, nodes = 0;
	size_t i, j, n;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_vmallocinfo_parse(buf, size, 4096, &vi);
	if (r != 0 && r != -ENOMEM)
		abort();
	if (r == 0) {
		n = pd_vmallocinfo_count(vi);
		pd_vmallocinfo_totals(vi, &t);
		top = malloc((n ? n : 1) * sizeof(*top));
		if (!top)
			abort();
		for (i = 0; i < n; i++) {
			c = pd_vmallocinfo_get(vi, i);
			if (strchr(c->caller, '\n') || !c->areas ||
			    c->ram % 4096 || c->mapped % 4096 ||
			    (*c->caller && !memmem(buf, size, c->caller,
						   strlen(c->caller))))
				abort();
			for (j = 0; j < i; j++)
				if (!strcmp(c->caller,
					    pd_vmallocinfo_get(vi, j)->caller))
					abort();
			ram += c->ram;
			mapped += c->mapped;
			areas += c->areas;
		}
		if (ram != t.ram || mapped != t.mapped || areas != t.areas ||
		    t.ioremap > t.size)
			abort();
		for (i = 0; i < pd_vmallocinfo_nr_nodes(vi); i++)
			nodes += pd_vmallocinfo_node_ram(vi, (unsigned)i);
		if (pd_vmallocinfo_nr_nodes(vi) && !pd_vmallocinfo_has_nodes(vi))
			abort();
		(void)nodes;
		if (pd_vmallocinfo_top(vi, n + 3, top) != n)
			abort();
		for (i = 1; i < n; i++)
			if (top[i]->ram > top[i - 1]->ram)
				abort();
		free(top);
		pd_vmallocinfo_free(vi);
	}
	free(buf);
	return 0;
}
