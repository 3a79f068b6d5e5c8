/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harness: what every scenario test needs: memory freed at teardown in any
 * case, clocks and sleeps, reaping children under a deadline. */
#ifndef PD_SCENARIO_HARNESS_H
#define PD_SCENARIO_HARNESS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Pointers a test hands over, freed by owned_free() even after a failed
 * assertion (cmocka longjmps out of the test, teardown still runs). */
struct owned {
	void **v;
	size_t n, cap;
};

/* Take P (asserted non-NULL) and return it; fails the test on ENOMEM. */
void *owned_add(struct owned *o, void *p);
/* vasprintf() into a string O frees. */
char *owned_vprintf(struct owned *o, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void owned_free(struct owned *o);

/* CLOCK_MONOTONIC in seconds. */
double now_s(void);
/* Sleep MS milliseconds, through EINTR. */
void sleep_ms(long ms);
/*
 * Reap PID within TIMEOUT_MS. True when it is gone (reaped, or not ours:
 * ECHILD); *ret_status is set only when we reaped it.
 */
bool reap(pid_t pid, long timeout_ms, int *ret_status);

#endif
