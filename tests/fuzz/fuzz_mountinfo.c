/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_mnttab_parse(), then every lookup on every entry. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_mnttab *tab = NULL;
	struct pd_mount m, x;
	char *buf;
	size_t i, n;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_mnttab_parse(buf, size, &tab) < 0)
		goto out_free;
	n = pd_mnttab_count(tab);
	for (i = 0; i < n; i++) {
		if (pd_mnttab_get(tab, i, &m) < 0)
			abort();
		/* what the table holds, a lookup finds */
		if (pd_mnttab_find_id(tab, m.id, &x) < 0 || x.id != m.id)
			abort();
		if (pd_mnttab_find_dev(tab, m.dev, &x) < 0 || x.dev != m.dev)
			abort();
		if (m.target && (pd_mnttab_find_path(tab, m.target, &x) < 0 ||
				 strlen(x.target) < strlen(m.target)))
			abort();
		if (m.ram && (m.remote || m.pseudo))
			abort();
	}
	if (pd_mnttab_get(tab, n, &m) != -ENOENT)
		abort();
	pd_mnttab_find_path(tab, "/", &m);
	pd_mnttab_find_path(tab, "/mnt/nfs/.nfs000000000012abcd00000001", &m);
	pd_mnttab_free(tab);
out_free:
	free(buf);
	return 0;
}
