/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_oomlog_parse() and pd_oomlog_top() on log text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_oomlog *log;
	size_t i, j, top;

	if (pd_oomlog_parse((const char *)data, size, &log) < 0)
		return 0;
	for (i = 0; i < pd_oomlog_count(log); i++) {
		const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, i);

		if (pd_oomlog_top(inc, 4096, &top) == 0 && top >= inc->ntasks)
			abort();
		for (j = 0; j < inc->ntasks; j++)
			if (inc->tasks[j].adj < -1000 || inc->tasks[j].adj > 1000)
				abort();
	}
	pd_oomlog_free(log);
	return 0;
}
