/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/memcg's parsers: a limit file, cgroup.procs, and
 * the items of a memory.stat (v1 and v2, root or not). The first byte picks
 * what the rest is. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "memcg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void items(const char *buf, size_t len, unsigned sel)
{
	struct pd_memcg_items it;
	struct pd_keyed *k;
	uint64_t cur = (uint64_t)len << 20, kmem = 4096;
	size_t i;
	int r;

	r = pd_keyed_parse(buf, len, &k);
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		abort();
	if (r < 0)
		return;
	pd_memcg_items_compute(k, sel & 1 ? 1 : 2, sel & 2, sel & 4 ? &cur :
			       NULL, sel & 8 ? &kmem : NULL, &it);
	/* the rest is known only with current, anon and file */
	if (it.has_rest && (!(sel & 4) || !(it.has & (1u << PD_MEMCG_ANON)) ||
			    !(it.has & (1u << PD_MEMCG_FILE))))
		abort();
	if (it.has_rest && it.rest != (int64_t)(cur - it.v[PD_MEMCG_ANON] -
		it.v[PD_MEMCG_FILE] - (it.kernel_in_current ?
				       it.v[PD_MEMCG_KERNEL] : 0)))
		abort();
	for (i = 0; i < PD_MEMCG_NITEMS; i++)
		if (!(it.has & (1u << i)) && it.v[i])
			abort();
	pd_keyed_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pid_t *pids = NULL;
	size_t n = 0, i;
	uint64_t v;
	unsigned sel;
	char *buf;
	int r;

	if (!size)
		return 0;
	sel = data[0];
	data++;
	size--;
	/* no NUL at the end: the parsers must stop at LEN by themselves */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	switch (sel % 3) {
	case 0:
		r = pd_memcg_limit_parse(buf, size, &v);
		if (r != 0 && r != -EINVAL)
			abort();
		break;
	case 1:
		r = pd_memcg_procs_parse(buf, size, &pids, &n);
		if (r != 0 && r != -EINVAL && r != -ENOMEM)
			abort();
		for (i = 0; r == 0 && i < n; i++)
			if (pids[i] <= 0)
				abort();
		free(pids);
		break;
	default:
		items(buf, size, sel / 3);
		break;
	}
	free(buf);
	return 0;
}
