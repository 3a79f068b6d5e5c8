/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: pd_coverage_parse_mount(), the super options of a proc
 * mount, and what they hide from a user. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_procmount m;
	struct pd_viewer user = { .euid = 1000 }, root = {
		.euid = 0, .cap_sys_ptrace = true,
	};
	char *buf;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pd_coverage_parse_mount(buf, &m) == 0) {
		/* a name for every value parsed; root sees through all */
		if (m.hidepid != PD_HIDEPID_OFF &&
		    !pd_coverage_hidepid_name(m.hidepid))
			abort();
		if (pd_coverage_mount_hides(&m, &root))
			abort();
		if (pd_coverage_mount_hides(&m, &user) !=
		    (m.hidepid != PD_HIDEPID_OFF))
			abort();
	}
	free(buf);
	return 0;
}
