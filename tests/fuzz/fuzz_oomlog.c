/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_oomlog_parse() and pd_oomlog_top() on log text, and
 * pd_oomlog_feed_text() in chunks under a small line and NUL limit (the
 * first two bytes), which must read the text as fed whole does. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oomlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pd_oomlog *log)
{
	size_t i, j, top;

	for (i = 0; i < pd_oomlog_count(log); i++) {
		const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, i);

		if (pd_oomlog_top(inc, 4096, &top) == 0 && top >= inc->ntasks)
			abort();
		for (j = 0; j < inc->ntasks; j++)
			if (inc->tasks[j].adj < -1000 || inc->tasks[j].adj > 1000)
				abort();
	}
}

/* Feed TEXT in chunks of CHUNK bytes (0: whole) under the limits. */
static int feed(const char *text, size_t len, size_t chunk, size_t line_max,
		uint64_t nul_max, struct pd_oomlog **ret_log)
{
	struct pd_oomlog *log;
	size_t off = 0, k;
	int r;

	if (pd_oomlog_new(&log) < 0)
		return -ENOMEM;
	pd_oomlog_set_limits(log, line_max, nul_max);
	do {
		k = chunk && len - off > chunk ? chunk : len - off;
		r = pd_oomlog_feed_text(log, text + off, k);
		off += k;
	} while (r == 0 && off < len);
	if (r == 0)
		r = pd_oomlog_feed_end(log);
	if (r < 0) {
		pd_oomlog_free(log);
		return r;
	}
	*ret_log = log;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_oomlog *log, *whole, *cut;
	const char *text = (const char *)data + 2;
	size_t line_max, chunk, len, i;
	uint64_t nul_max;
	int r1, r2;

	if (pd_oomlog_parse((const char *)data, size, &log) == 0) {
		check(log);
		pd_oomlog_free(log);
	}
	if (size < 2)
		return 0;
	line_max = 1 + data[0] % 128;
	nul_max = 1 + data[1] % 32;
	chunk = 1 + data[1] / 32;
	len = size - 2;
	r1 = feed(text, len, 0, line_max, nul_max, &whole);
	r2 = feed(text, len, chunk, line_max, nul_max, &cut);
	if (r1 != r2)
		abort();
	if (r1 < 0)
		return 0;
	check(cut);
	if (pd_oomlog_count(whole) != pd_oomlog_count(cut) ||
	    pd_oomlog_cut_lines(whole) != pd_oomlog_cut_lines(cut))
		abort();
	for (i = 0; i < pd_oomlog_count(cut); i++) {
		const struct pd_oomlog_incident *a = pd_oomlog_incident(whole, i);
		const struct pd_oomlog_incident *b = pd_oomlog_incident(cut, i);

		if (a->line != b->line || a->nkills != b->nkills ||
		    a->ntasks != b->ntasks ||
		    (a->nkills && a->kills[0].pid != b->kills[0].pid))
			abort();
	}
	pd_oomlog_free(whole);
	pd_oomlog_free(cut);
	return 0;
}
