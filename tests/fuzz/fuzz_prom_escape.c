/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: lib/prom's label escaper. The result is valid UTF-8
 * with no raw newline, and no '"' or '\' that is not escaped. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *e = pd_prom_escape_label((const char *)data, size);
	struct pd_prom *p;
	size_t i, n, len;

	if (!e)
		return 0;
	for (i = 0; e[i]; ) {
		unsigned char c = (unsigned char)e[i];

		if (c == '\n' || c == '"')
			abort();
		if (c == '\\') {
			if (e[i + 1] != '\\' && e[i + 1] != '"' && e[i + 1] != 'n')
				abort();
			i += 2;
		} else if (c < 0x80) {
			i++;
		} else {
			n = pd_utf8_seq_len(e + i, strlen(e + i));
			if (!n)
				abort();
			i += n;
		}
	}
	/* the same bytes as a label value and as HELP text */
	if (pd_prom_new(&p) == 0) {
		char *help = strndup((const char *)data, size);
		struct pd_prom_label l = { "l", help };

		if (help && pd_prom_family(p, "m", PD_PROM_GAUGE, help) == 0 &&
		    pd_prom_sample_u64(p, &l, 1, 1) == 0) {
			const char *t = pd_prom_text(p, &len);
			size_t lines = 0;

			for (i = 0; i < len; i++)
				lines += t[i] == '\n';
			/* HELP, TYPE, one sample: a newline never leaks */
			if (lines != 3 || t[len - 1] != '\n')
				abort();
		}
		free(help);
		pd_prom_free(p);
	}
	free(e);
	return 0;
}
