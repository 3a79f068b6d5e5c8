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
/* reap(), and the child's peak RSS in KiB (ru_maxrss) when reaped. */
bool reap_rss(pid_t pid, long timeout_ms, int *ret_status,
	      long *ret_maxrss_kb);

/* Append N bytes of DATA to the malloc'ed text *B of *LEN bytes, keeping
 * it NUL-terminated; fails the test on ENOMEM. */
void buf_add(char **b, size_t *len, const char *data, size_t n);

/* In a forked child: die with the parent (and now, if it is gone). */
void die_with_parent(pid_t parent);

/* One run of a tool by harness_run(). */
struct harness_run {
	int status;		/* from waitpid */
	bool overran;		/* killed at the wall clock limit */
	double secs;
	char *out, *err;	/* NUL-terminated, owned by the struct owned */
	size_t outlen, errlen;
	pid_t unreaped;		/* > 0: killed, but not reaped within 5 s */
	long maxrss_kb;		/* its peak RSS (ru_maxrss) when reaped */
};

/*
 * Run ARGV (argv[0] a path, NULL-terminated) with stdin from STDIN_PATH
 * (NULL: /dev/null) and stdout and stderr captured, under a wall clock
 * LIMIT_S; SIGKILL it when it overruns. The child dies with the test.
 * NO_LEAK_CHECK adds detect_leaks=0 to its ASAN_OPTIONS (LeakSanitizer
 * cannot stop a thread stuck in a stopped FUSE daemon). Failing to make a
 * pipe or fork fails the test.
 */
void harness_run(struct owned *o, const char *const *argv,
		 const char *stdin_path, bool no_leak_check, double limit_s,
		 struct harness_run *ret);

#endif
