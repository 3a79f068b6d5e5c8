/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: run a command and capture its standard output (procdiag-report
 * runs the tools this way, so each section is exactly what the tool says). */
#ifndef PD_CAPTURE_H
#define PD_CAPTURE_H

#include <stddef.h>

/* The most a child may print before it is cut off (-EFBIG). */
#define PD_CAPTURE_OUTPUT_MAX (16u << 20)

/* pd_capture_run() flags */
#define PD_CAPTURE_STDERR 1u	/* keep its stderr too, in ->err */

struct pd_capture_result {
	char *out;		/* its stdout, NUL-terminated; free() it */
	size_t len;
	char *err;		/* its stderr, the same way, with
				 * PD_CAPTURE_STDERR; else NULL */
	size_t errlen;
	int status;		/* its exit code, or 128 + signal */
};

/*
 * Run PATH with ARGV (NULL-terminated, argv[0] included) and ENVP (NULL:
 * this process's environment); stdin is /dev/null, stdout is captured,
 * stderr is ours, or captured too with PD_CAPTURE_STDERR in FLAGS. The
 * child is SIGKILLed when this process dies, even by SIGKILL
 * (PR_SET_PDEATHSIG; the caller must run it from the thread that lives
 * longest: the main one). Waits for the child. Returns 0 (whatever the
 * child's exit code: see ret->status), -ENOENT/-EACCES when PATH cannot
 * be run (as execve says), -EFBIG when it printed more than
 * PD_CAPTURE_OUTPUT_MAX to either (its pipes are closed, so it ends on
 * EPIPE), -ENOMEM or another -errno.
 */
int pd_capture_run(const char *path, char *const argv[], char *const envp[],
		   unsigned flags, struct pd_capture_result *ret);

#endif
