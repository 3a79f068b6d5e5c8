/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harness: what every scenario test needs: memory freed at teardown in any
 * case, clocks and sleeps, reaping children under a deadline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"

void *owned_add(struct owned *o, void *p)
{
	assert_non_null(p);
	if (o->n == o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 64;
		void **n = realloc(o->v, ncap * sizeof(*n));

		if (!n) {
			free(p);
			fail_msg("out of memory");
		}
		o->v = n;
		o->cap = ncap;
	}
	o->v[o->n++] = p;
	return p;
}

char *owned_vprintf(struct owned *o, const char *fmt, va_list ap)
{
	char *s;

	assert_int_not_equal(vasprintf(&s, fmt, ap), -1);
	return owned_add(o, s);
}

void owned_free(struct owned *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

bool reap(pid_t pid, long timeout_ms, int *ret_status)
{
	double end = now_s() + (double)timeout_ms / 1000.0;
	int status;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			if (ret_status)
				*ret_status = status;
			return true;
		}
		if (r < 0 && errno == ECHILD)
			return true;
		if (now_s() > end)
			return false;
		sleep_ms(2);
	}
}
