/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: an OCI runtime config.json's annotations (containerd's
 * CRI plugin, CRI-O, nerdctl). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctrmeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pd_ctrmeta m;

	if (pd_ctrmeta_oci_parse((const char *)data, size, &m) == 0) {
		if ((m.name && !*m.name) || (m.pod_name && !*m.pod_name) ||
		    (m.pod_namespace && !*m.pod_namespace) ||
		    (m.pod_uid && !*m.pod_uid))
			abort();
		pd_ctrmeta_release(&m);
	}
	return 0;
}
