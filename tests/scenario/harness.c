/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harness: what every scenario test needs: memory freed at teardown in any
 * case, clocks and sleeps, reaping children under a deadline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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
	return reap_rss(pid, timeout_ms, ret_status, NULL);
}

bool reap_rss(pid_t pid, long timeout_ms, int *ret_status,
	      long *ret_maxrss_kb)
{
	double end = now_s() + (double)timeout_ms / 1000.0;
	struct rusage ru;
	int status;
	pid_t r;

	for (;;) {
		r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid) {
			if (ret_status)
				*ret_status = status;
			if (ret_maxrss_kb)
				*ret_maxrss_kb = ru.ru_maxrss;
			return true;
		}
		if (r < 0 && errno == ECHILD)
			return true;
		if (now_s() > end)
			return false;
		sleep_ms(2);
	}
}

void buf_add(char **b, size_t *len, const char *data, size_t n)
{
	char *nb = realloc(*b, *len + n + 1);

	assert_non_null(nb);
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*b = nb;
}

void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

static void exec_child(const char *const *argv, const char *stdin_path,
		       bool no_leak_check, pid_t parent, int out, int err)
{
	int in;

	die_with_parent(parent);
	in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	if (no_leak_check) {
		const char *o = getenv("ASAN_OPTIONS");
		char opts[1024];

		snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", o ? o : "",
			 o && *o ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

void harness_run(struct owned *o, const char *const *argv,
		 const char *stdin_path, bool no_leak_check, double limit_s,
		 struct harness_run *ret)
{
	pid_t parent = getpid(), pid;
	int po[2], pe[2], status = 0;
	bool open_out = true, open_err = true;
	double t0, end;

	memset(ret, 0, sizeof(*ret));
	assert_int_equal(pipe2(po, O_CLOEXEC), 0);
	assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
	fflush(NULL);
	t0 = now_s();
	end = t0 + limit_s;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		exec_child(argv, stdin_path, no_leak_check, parent, po[1],
			   pe[1]);
	close(po[1]);
	close(pe[1]);
	buf_add(&ret->out, &ret->outlen, "", 0);
	buf_add(&ret->err, &ret->errlen, "", 0);
	while (open_out || open_err) {
		struct pollfd p[2] = {
			{ .fd = open_out ? po[0] : -1, .events = POLLIN },
			{ .fd = open_err ? pe[0] : -1, .events = POLLIN },
		};
		int left = (int)((end - now_s()) * 1000.0);
		char buf[65536];
		ssize_t r;
		int i;

		if (left <= 0) {
			ret->overran = true;
			break;
		}
		if (poll(p, 2, left) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (!p[i].revents)
				continue;
			r = read(p[i].fd, buf, sizeof(buf));
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				*(i ? &open_err : &open_out) = false;
			else if (i == 0)
				buf_add(&ret->out, &ret->outlen, buf, (size_t)r);
			else
				buf_add(&ret->err, &ret->errlen, buf, (size_t)r);
		}
	}
	close(po[0]);
	close(pe[0]);
	owned_add(o, ret->out);
	owned_add(o, ret->err);
	if (!ret->overran) {
		double left = end - now_s();

		if (!reap_rss(pid, left > 0 ? (long)(left * 1000.0) : 0,
			      &status, &ret->maxrss_kb))
			ret->overran = true;
	}
	if (ret->overran) {
		kill(pid, SIGKILL);
		if (!reap_rss(pid, 5000, &status, &ret->maxrss_kb))
			ret->unreaped = pid;
	}
	ret->status = status;
	ret->secs = now_s() - t0;
}
