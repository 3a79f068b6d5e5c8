/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/users: uid to name through the user database, cached. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "users.h"

/* No user database gives these uids a name (checked in the tests). */
#define UNUSED_UID 4000123u

static int setup(void **state)
{
	struct pd_users *u = NULL;

	if (pd_users_new(&u) < 0)
		return -1;
	*state = u;
	return 0;
}

static int teardown(void **state)
{
	pd_users_free(*state);
	return 0;
}

static void test_users_name_of_uid_0_is_root(void **state)
{
	(void)state;
	assert_string_equal(pd_users_name(*state, 0), "root");
}

static void test_users_name_of_an_unknown_uid_is_its_number(void **state)
{
	/* the oracle: the system has no such user */
	assert_null(getpwuid(UNUSED_UID));
	assert_string_equal(pd_users_name(*state, UNUSED_UID), "4000123");
	assert_string_equal(pd_users_name(*state, 4294967294u), "4294967294");
}

static void test_users_name_is_looked_up_once(void **state)
{
	const char *a = pd_users_name(*state, 0);
	const char *b = pd_users_name(*state, UNUSED_UID);

	assert_ptr_equal(pd_users_name(*state, 0), a);
	assert_ptr_equal(pd_users_name(*state, UNUSED_UID), b);
}

static void test_users_names_outlive_the_cache_growing(void **state)
{
	const char *first, *last = NULL;
	char want[16];
	unsigned i;

	first = pd_users_name(*state, UNUSED_UID);
	/* the cache starts at 16 entries: grow it twice */
	for (i = 1; i <= 40; i++) {
		assert_null(getpwuid(UNUSED_UID + i));
		last = pd_users_name(*state, UNUSED_UID + i);
		snprintf(want, sizeof(want), "%u", UNUSED_UID + i);
		assert_string_equal(last, want);
	}
	assert_string_equal(first, "4000123");
	assert_ptr_equal(pd_users_name(*state, UNUSED_UID), first);
	assert_ptr_equal(pd_users_name(*state, UNUSED_UID + 40), last);
	assert_string_equal(pd_users_name(*state, 0), "root");
}

static void test_users_parse_a_name(void **state)
{
	uid_t uid = 77;

	(void)state;
	assert_int_equal(pd_users_parse("root", &uid), 0);
	assert_int_equal(uid, 0);
}

static void test_users_parse_a_number(void **state)
{
	uid_t uid = 77;

	(void)state;
	assert_int_equal(pd_users_parse("123", &uid), 0);
	assert_int_equal(uid, 123);
	assert_int_equal(pd_users_parse("0", &uid), 0);
	assert_int_equal(uid, 0);
	/* uids need not exist */
	assert_int_equal(pd_users_parse("4000123", &uid), 0);
	assert_int_equal(uid, UNUSED_UID);
	assert_int_equal(pd_users_parse("4294967294", &uid), 0);
	assert_int_equal(uid, 4294967294u);
}

static void test_users_parse_empty_is_einval(void **state)
{
	uid_t uid = 77;

	(void)state;
	assert_int_equal(pd_users_parse("", &uid), -EINVAL);
	assert_int_equal(uid, 77);
}

static void test_users_parse_an_unknown_name_is_enoent(void **state)
{
	uid_t uid = 77;

	(void)state;
	assert_null(getpwnam("no-such-user-xyz"));
	assert_int_equal(pd_users_parse("no-such-user-xyz", &uid), -ENOENT);
	assert_int_equal(pd_users_parse("12abc", &uid), -ENOENT);
	/* (uid_t)-1 is "no uid" to the kernel, and bigger does not fit */
	assert_int_equal(pd_users_parse("4294967295", &uid), -ENOENT);
	assert_int_equal(pd_users_parse("4294967296", &uid), -ENOENT);
	assert_int_equal(pd_users_parse("99999999999999999999999", &uid),
			 -ENOENT);
	assert_int_equal(uid, 77);
}

static void test_users_parse_takes_digits_only(void **state)
{
	uid_t uid = 77;

	(void)state;
	/* strtoul() would take these: "-18446744073709551615" wraps to 1 */
	assert_int_equal(pd_users_parse("-18446744073709551615", &uid),
			 -ENOENT);
	assert_int_equal(pd_users_parse("-1", &uid), -ENOENT);
	assert_int_equal(pd_users_parse(" 5", &uid), -ENOENT);
	assert_int_equal(pd_users_parse("+5", &uid), -ENOENT);
	assert_int_equal(uid, 77);
}

static void test_users_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_users_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_users_name_of_uid_0_is_root,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_name_of_an_unknown_uid_is_its_number,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_name_is_looked_up_once,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_users_names_outlive_the_cache_growing,
						setup, teardown),
		cmocka_unit_test(test_users_parse_a_name),
		cmocka_unit_test(test_users_parse_a_number),
		cmocka_unit_test(test_users_parse_empty_is_einval),
		cmocka_unit_test(test_users_parse_an_unknown_name_is_enoent),
		cmocka_unit_test(test_users_parse_takes_digits_only),
		cmocka_unit_test(test_users_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
