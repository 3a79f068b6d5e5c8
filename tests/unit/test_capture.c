/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/capture: a child's stdout, exit code, and failures. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

static int sh(const char *script, struct pd_capture_result *res)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };

	return pd_capture_run("/bin/sh", argv, NULL, res);
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

	assert_int_equal(pd_capture_run("/nonexistent/nope", argv, NULL, &res),
			 -ENOENT);
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

	assert_int_equal(pd_capture_run("/bin/sh", argv, envp, &res), 0);
	assert_string_equal(res.out, "yes");
	free(res.out);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
