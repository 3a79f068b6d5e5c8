/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/capture: a child's stdout, exit code, and failures. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"

static int sh(const char *script, struct pd_capture_result *res)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	return pd_capture_run("/bin/sh", argv, NULL, 0, res);
}

static void test_output_and_exit_code(void **state)
{
	struct pd_capture_result res;

	assert_int_equal(sh("printf 'a\\tb\\n'; exit 3", &res), 0);
	assert_int_equal(res.len, 4);
	assert_string_equal(res.out, "a\tb\n");
	assert_int_equal(res.status, 3);
	free(res.out);
}

static void test_stdin_is_empty(void **state)
{
	struct pd_capture_result res;

	assert_int_equal(sh("wc -c", &res), 0);
	assert_int_equal(atoi(res.out), 0);
	assert_int_equal(res.status, 0);
	free(res.out);
}

static void test_large_output_is_whole(void **state)
{
	struct pd_capture_result res;

	/* 1 MiB: many pipe buffers, so the reader must loop. */
	assert_int_equal(sh("head -c 1048576 /dev/zero", &res), 0);
	assert_int_equal(res.len, 1048576);
	assert_int_equal(res.status, 0);
	free(res.out);
}

static void test_too_much_output_is_efbig(void **state)
{
	struct pd_capture_result res = { 0 };

	assert_int_equal(sh("exec head -c 17000000 /dev/zero", &res), -EFBIG);
	assert_null(res.out);
}

static void test_missing_program(void **state)
{
	struct pd_capture_result res = { 0 };
	char *argv[] = { "nope", NULL };

	assert_int_equal(pd_capture_run("/nonexistent/nope", argv, NULL, 0,
					 &res), -ENOENT);
	assert_null(res.out);
}

static void test_killed_child_is_128_plus_signal(void **state)
{
	struct pd_capture_result res;

	assert_int_equal(sh("kill -9 $$", &res), 0);
	assert_int_equal(res.status, 128 + 9);
	free(res.out);
}

static void test_environment_is_passed(void **state)
{
	struct pd_capture_result res;
	char *argv[] = { "sh", "-c", "printf %s \"$PD_X\"", NULL };
	char *envp[] = { "PD_X=yes", NULL };

	assert_int_equal(pd_capture_run("/bin/sh", argv, envp, 0, &res), 0);
	assert_string_equal(res.out, "yes");
	free(res.out);
}

static int sh_err(const char *script, struct pd_capture_result *res)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	return pd_capture_run("/bin/sh", argv, NULL, PD_CAPTURE_STDERR, res);
}

static void test_stderr_is_kept_apart_only_when_asked(void **state)
{
	struct pd_capture_result res;

	(void)state;
	assert_int_equal(sh_err("echo out; echo err >&2; exit 1", &res), 0);
	assert_string_equal(res.out, "out\n");
	assert_string_equal(res.err, "err\n");
	assert_int_equal(res.errlen, 4);
	assert_int_equal(res.status, 1);
	free(res.out);
	free(res.err);
	assert_int_equal(sh_err("true", &res), 0);
	assert_string_equal(res.err, "");
	free(res.out);
	free(res.err);
	assert_int_equal(sh("echo out", &res), 0);
	assert_null(res.err);
	free(res.out);
}

/* 1 MiB on stderr before a byte on stdout: both pipes are read together,
 * or the child would block on a full stderr while we wait on stdout. */
static void test_full_stderr_does_not_block_stdout(void **state)
{
	struct pd_capture_result res;

	(void)state;
	assert_int_equal(sh_err("head -c 1048576 /dev/zero >&2; "
				"head -c 300000 /dev/zero", &res), 0);
	assert_int_equal(res.errlen, 1048576);
	assert_int_equal(res.len, 300000);
	assert_int_equal(res.status, 0);
	free(res.out);
	free(res.err);
}

/* Running (not gone, not a zombie)? */
static int alive(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* The caller SIGKILLed (the OOM killer's pick) while its child hangs: the
 * child is dead within a second. */
static void test_child_dies_with_the_caller(void **state)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct pollfd pf;
	char script[64], buf[32];
	pid_t caller, child;
	int p[2], i, st;
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(p), 0);
	snprintf(script, sizeof(script), "echo $$ >&%d; exec sleep 1000", p[1]);
	caller = fork();
	assert_true(caller >= 0);
	if (caller == 0) {
		struct pd_capture_result res;

		close(p[0]);
		_exit(sh(script, &res) == 0 ? 0 : 1);
	}
	close(p[1]);
	pf.fd = p[0];
	pf.events = POLLIN;
	assert_int_equal(poll(&pf, 1, 10000), 1);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	child = (pid_t)atoi(buf);
	assert_true(child > 0);
	assert_true(alive(child));
	kill(caller, SIGKILL);
	assert_int_equal(waitpid(caller, &st, 0), caller);
	for (i = 0; i < 100 && alive(child); i++)
		nanosleep(&tick, NULL);
	if (alive(child)) {
		kill(child, SIGKILL);
		fail_msg("pid %d outlived its caller by a second", (int)child);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_and_exit_code),
		cmocka_unit_test(test_stdin_is_empty),
		cmocka_unit_test(test_large_output_is_whole),
		cmocka_unit_test(test_too_much_output_is_efbig),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_killed_child_is_128_plus_signal),
		cmocka_unit_test(test_environment_is_passed),
		cmocka_unit_test(test_child_dies_with_the_caller),
		cmocka_unit_test(test_stderr_is_kept_apart_only_when_asked),
		cmocka_unit_test(test_full_stderr_does_not_block_stdout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
