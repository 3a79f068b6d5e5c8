/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/procfilter: the -p/-u/--command filter, and names
 * longer than the 15 bytes comm keeps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "procfilter.h"
#include "procfs.h"

#define LONGNAME PD_FIXTURES_DIR "/longname/proc"

static void test_procfilter_each_list_must_match(void **state)
{
	const pid_t pids[] = { 10, 20 };
	const uid_t uids[] = { 65534 };
	const char *const comms[] = { "nginx", "php-fpm" };
	struct pd_procfilter f = { 0 };

	(void)state;
	/* empty: everything passes */
	assert_true(pd_procfilter_is_empty(&f));
	assert_true(pd_procfilter_match(&f, NULL, 1, 0, "init"));
	f.pids = pids;
	f.npids = 2;
	assert_false(pd_procfilter_is_empty(&f));
	assert_true(pd_procfilter_match(&f, NULL, 20, 0, "x"));
	assert_false(pd_procfilter_match(&f, NULL, 30, 0, "x"));
	/* lists combine with AND, items within a list with OR */
	f.uids = uids;
	f.nuids = 1;
	assert_false(pd_procfilter_match(&f, NULL, 20, 0, "x"));
	assert_true(pd_procfilter_match(&f, NULL, 10, 65534, "x"));
	f.comms = comms;
	f.ncomms = 2;
	assert_true(pd_procfilter_match(&f, NULL, 10, 65534, "php-fpm"));
	/* exact comm, no prefix */
	assert_false(pd_procfilter_match(&f, NULL, 10, 65534, "php"));
	assert_false(pd_procfilter_match(&f, NULL, 10, 65534, "nginx2"));
}

static void test_procfilter_name_comm_long_name_is_maybe_on_its_first_15(void **state)
{
	(void)state;
	assert_int_equal(pd_procfilter_name_comm("bash", "bash"), PD_NAME_YES);
	assert_int_equal(pd_procfilter_name_comm("bas", "bash"), PD_NAME_NO);
	assert_int_equal(pd_procfilter_name_comm("bash", "bas"), PD_NAME_NO);
	/* 15 bytes: comm holds it whole */
	assert_int_equal(pd_procfilter_name_comm("systemd-journal",
						 "systemd-journal"),
			 PD_NAME_YES);
	/* 16 and 22 bytes: comm is their first 15; the full name decides */
	assert_int_equal(pd_procfilter_name_comm("systemd-journald",
						 "systemd-journal"),
			 PD_NAME_MAYBE);
	assert_int_equal(pd_procfilter_name_comm("systemd-journal-upload",
						 "systemd-journal"),
			 PD_NAME_MAYBE);
	/* a comm shorter than 15 was not cut: no long name is it */
	assert_int_equal(pd_procfilter_name_comm("systemd-journald",
						 "systemd-journ"),
			 PD_NAME_NO);
	assert_int_equal(pd_procfilter_name_comm("systemd-journald",
						 "systemd-journax"),
			 PD_NAME_NO);
	/* a kernel that keeps more bytes of comm */
	assert_int_equal(pd_procfilter_name_comm("systemd-journald",
						 "systemd-journald"),
			 PD_NAME_YES);
}

static void test_procfilter_name_full_from_exe_or_argv0(void **state)
{
	const char *n = "systemd-journald";

	(void)state;
	assert_true(pd_procfilter_name_full(n,
		"/usr/lib/systemd/systemd-journald", NULL));
	/* an exe replaced by an upgrade */
	assert_true(pd_procfilter_name_full(n,
		"/usr/lib/systemd/systemd-journald (deleted)", NULL));
	assert_true(pd_procfilter_name_full(n, NULL,
		"/lib/systemd/systemd-journald"));
	assert_true(pd_procfilter_name_full(n, NULL, "systemd-journald"));
	/* the exe says another name, argv[0] says this one */
	assert_true(pd_procfilter_name_full(n, "/usr/bin/other",
		"/lib/systemd/systemd-journald"));
	assert_false(pd_procfilter_name_full(n,
		"/usr/lib/systemd/systemd-journal-upload",
		"/lib/systemd/systemd-journal-upload"));
	assert_false(pd_procfilter_name_full(n, "/usr/lib/systemd/systemd-journald.old",
					     NULL));
	assert_false(pd_procfilter_name_full(n, "/x/systemd-journald/", NULL));
	assert_false(pd_procfilter_name_full(n, NULL, NULL));
}

static void test_procfilter_comm_may_match(void **state)
{
	const char *const long_name[] = { "systemd-journald" };
	struct pd_procfilter f = { 0 };

	(void)state;
	assert_true(pd_procfilter_comm_may_match(&f, "anything"));
	f.comms = long_name;
	f.ncomms = 1;
	assert_true(pd_procfilter_comm_may_match(&f, "systemd-journal"));
	assert_false(pd_procfilter_comm_may_match(&f, "systemd"));
}

/*
 * The longname tree: three processes run as comm "systemd-journal";
 * pid 700's exe is systemd-journald, 701's systemd-journal-upload, 702
 * has no readable exe and argv[0] /usr/lib/systemd/systemd-journald.
 */
static void test_procfilter_match_reads_the_full_name_of_long_names(void **state)
{
	const char *const journald[] = { "systemd-journald" };
	const char *const upload[] = { "systemd-journal-upload" };
	const char *const short_name[] = { "systemd-journal" };
	struct pd_procfilter f = { .comms = journald, .ncomms = 1 };
	struct pd_procfs *pfs;

	(void)state;
	assert_int_equal(pd_procfs_new(LONGNAME, &pfs), 0);
	assert_true(pd_procfilter_match(&f, pfs, 700, 0, "systemd-journal"));
	assert_false(pd_procfilter_match(&f, pfs, 701, 65534, "systemd-journal"));
	assert_true(pd_procfilter_match(&f, pfs, 702, 0, "systemd-journal"));
	assert_false(pd_procfilter_match(&f, pfs, 703, 65534, "bash"));
	/* nothing to read the full name from: no match */
	assert_false(pd_procfilter_match(&f, NULL, 700, 0, "systemd-journal"));
	/* a pid that is gone */
	assert_false(pd_procfilter_match(&f, pfs, 799, 0, "systemd-journal"));
	f.comms = upload;
	assert_false(pd_procfilter_match(&f, pfs, 700, 0, "systemd-journal"));
	assert_true(pd_procfilter_match(&f, pfs, 701, 65534, "systemd-journal"));
	/* the 15 bytes themselves are still the comm of all three */
	f.comms = short_name;
	assert_true(pd_procfilter_match(&f, pfs, 701, 65534, "systemd-journal"));
	assert_true(pd_procfilter_match(&f, NULL, 702, 0, "systemd-journal"));
	pd_procfs_free(pfs);
}

static void test_procfilter_match_at_uses_the_given_directory(void **state)
{
	const char *const journald[] = { "systemd-journald" };
	const struct pd_procfilter f = { .comms = journald, .ncomms = 1 };
	int fd700 = open(LONGNAME "/700", O_RDONLY | O_DIRECTORY);
	int fd701 = open(LONGNAME "/701", O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(fd700 >= 0 && fd701 >= 0);
	assert_true(pd_procfilter_match_at(&f, NULL, fd700, 700, 0, "systemd-journal"));
	assert_false(pd_procfilter_match_at(&f, NULL, fd701, 701, 0, "systemd-journal"));
	assert_false(pd_procfilter_match_at(&f, NULL, -1, 700, 0, "systemd-journal"));
	/* the directory stays open: the caller's */
	assert_int_equal(fcntl(fd700, F_GETFD) >= 0, 1);
	close(fd700);
	close(fd701);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_procfilter_each_list_must_match),
		cmocka_unit_test(test_procfilter_name_comm_long_name_is_maybe_on_its_first_15),
		cmocka_unit_test(test_procfilter_name_full_from_exe_or_argv0),
		cmocka_unit_test(test_procfilter_comm_may_match),
		cmocka_unit_test(test_procfilter_match_reads_the_full_name_of_long_names),
		cmocka_unit_test(test_procfilter_match_at_uses_the_given_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
