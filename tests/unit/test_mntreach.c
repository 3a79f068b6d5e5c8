/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/mntreach: which mount covers another, by the table
 * alone; the arguments pd_mntreach_open() refuses. Reaching a covered
 * mount is the root scenario tests/scenario/test_mntreach.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mntreach.h"
#include "mounts.h"
#include "statq.h"

/* /dev/shm mounted twice (the build machine's table), a tmpfs under a
 * mount on the directory above it, one on the same point of another
 * file system's bind, and one nothing covers. */
static const char table[] =
	"22 1 254:1 / / rw,relatime - ext4 /dev/vda1 rw\n"
	"24 22 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw\n"
	"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
	"26 22 0:40 / /mnt/a/t rw,relatime - tmpfs a rw\n"
	"27 22 0:41 / /srv/free rw,relatime - tmpfs free rw\n"
	"30 25 0:27 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
	"31 22 0:42 / /mnt rw,relatime - tmpfs over rw\n"
	"32 31 0:43 / /mnt/a rw,relatime - tmpfs deeper rw\n"
	"33 22 0:44 / /mntx rw,relatime - tmpfs prefix rw\n";

static int setup(void **state)
{
	struct pd_mnttab *tab = NULL;

	if (pd_mnttab_parse(table, sizeof(table) - 1, &tab) < 0)
		return -1;
	*state = tab;
	return 0;
}

static int teardown(void **state)
{
	pd_mnttab_free(*state);
	return 0;
}

static void get_id(const struct pd_mnttab *tab, int id, struct pd_mount *m)
{
	assert_int_equal(pd_mnttab_find_id(tab, id, m), 0);
}

static void test_mntreach_cover_same_point_is_the_later_mount(void **state)
{
	struct pd_mount m, c;

	get_id(*state, 25, &m);
	assert_int_equal(pd_mntreach_cover(*state, &m, &c), 0);
	assert_int_equal(c.id, 30);
	assert_int_equal(c.dev, makedev(0, 27));
	assert_string_equal(c.target, "/dev/shm");
}

static void test_mntreach_cover_from_above_is_the_deepest_point(void **state)
{
	struct pd_mount m, c;

	/* /mnt covers /mnt/a/t; /mnt/a, mounted on it later, is the top */
	get_id(*state, 26, &m);
	assert_int_equal(pd_mntreach_cover(*state, &m, &c), 0);
	assert_int_equal(c.id, 32);
	assert_string_equal(c.target, "/mnt/a");
}

static void test_mntreach_cover_of_a_free_mount_is_enoent(void **state)
{
	struct pd_mount m, c;

	get_id(*state, 27, &m);
	assert_int_equal(pd_mntreach_cover(*state, &m, &c), -ENOENT);
	/* the top of a stack is covered by nothing */
	get_id(*state, 30, &m);
	assert_int_equal(pd_mntreach_cover(*state, &m, &c), -ENOENT);
}

static void test_mntreach_cover_needs_a_directory_not_a_prefix(void **state)
{
	struct pd_mount m, c;

	/* /mntx, listed after /mnt, is no directory above /mnt */
	get_id(*state, 31, &m);
	assert_int_equal(pd_mntreach_cover(*state, &m, &c), -ENOENT);
}

static void test_mntreach_open_refuses_a_relative_point(void **state)
{
	struct pd_statq *q = NULL;
	int fd = -1;

	(void)state;
	assert_int_equal(pd_statq_new(NULL, 3000, &q), 0);
	assert_int_equal(pd_mntreach_open(q, -1, "dev/shm", makedev(0, 23),
					  &fd), -EINVAL);
	assert_int_equal(fd, -1);
	pd_statq_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_mntreach_cover_same_point_is_the_later_mount, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_cover_from_above_is_the_deepest_point, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_cover_of_a_free_mount_is_enoent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mntreach_cover_needs_a_directory_not_a_prefix, setup, teardown),
		cmocka_unit_test(test_mntreach_open_refuses_a_relative_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
