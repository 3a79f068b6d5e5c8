/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_pressure_parse() on PSI text. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pressure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pd_psi *psi)
{
	/* an absent line is all zero */
	if (!psi->present &&
	    (psi->avg10 || psi->avg60 || psi->avg300 || psi->total_us))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_pressure p;
	char *buf;
	int r;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	r = pd_pressure_parse(buf, size, &p);
	if (r != 0 && r != -EINVAL)
		abort();
	if (r == 0) {
		if (!p.some.present && !p.full.present)
			abort();
		check(&p.some);
		check(&p.full);
		if (p.some.present && !memmem(buf, size, "some ", 5))
			abort();
		if (p.full.present && !memmem(buf, size, "full ", 5))
			abort();
	}
	free(buf);
	return 0;
}
