/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/coverage: proc mount options, what hidepid hides from
 * whom, and what a scan missed of a selection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"
#include "proc.h"
#include "procfs.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"
#define LONGNAME PD_FIXTURES_DIR "/longname/proc"

static struct pd_procmount mount_of(const char *opts)
{
	struct pd_procmount m;

	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(pd_coverage_parse_mount(opts, &m), 0);
	return m;
}

static void test_parse_mount_reads_hidepid_gid_and_subset(void **state)
{
	struct pd_procmount m = mount_of("rw,gid=4,hidepid=invisible,subset=pid");

	(void)state;
	assert_int_equal(m.hidepid, PD_HIDEPID_INVISIBLE);
	assert_true(m.has_gid);
	assert_int_equal(m.gid, 4);
	assert_true(m.subset_pid);
}

static void test_parse_mount_of_plain_proc_hides_nothing(void **state)
{
	struct pd_procmount m = mount_of("rw");

	(void)state;
	assert_int_equal(m.hidepid, PD_HIDEPID_OFF);
	assert_false(m.has_gid);
	assert_false(m.subset_pid);
	m = mount_of("");
	assert_int_equal(m.hidepid, PD_HIDEPID_OFF);
}

static void test_parse_mount_takes_names_and_old_numbers(void **state)
{
	(void)state;
	assert_int_equal(mount_of("rw,hidepid=1").hidepid, PD_HIDEPID_NOACCESS);
	assert_int_equal(mount_of("rw,hidepid=noaccess").hidepid,
			 PD_HIDEPID_NOACCESS);
	assert_int_equal(mount_of("rw,hidepid=2").hidepid, PD_HIDEPID_INVISIBLE);
	assert_int_equal(mount_of("rw,hidepid=4").hidepid,
			 PD_HIDEPID_PTRACEABLE);
	assert_int_equal(mount_of("rw,hidepid=ptraceable").hidepid,
			 PD_HIDEPID_PTRACEABLE);
	assert_int_equal(mount_of("hidepid=off,rw").hidepid, PD_HIDEPID_OFF);
	/* gid=0 is the kernel's "no group" */
	assert_false(mount_of("rw,gid=0").has_gid);
	/* subset=pidx is not subset=pid */
	assert_false(mount_of("rw,subset=pidx").subset_pid);
}

static void test_parse_mount_refuses_unknown_values(void **state)
{
	struct pd_procmount m = { .hidepid = PD_HIDEPID_NOACCESS };

	(void)state;
	assert_int_equal(pd_coverage_parse_mount("rw,hidepid=3", &m), -EINVAL);
	assert_int_equal(pd_coverage_parse_mount("hidepid=", &m), -EINVAL);
	assert_int_equal(pd_coverage_parse_mount("gid=x", &m), -EINVAL);
	/* nothing written on error */
	assert_int_equal(m.hidepid, PD_HIDEPID_NOACCESS);
}

static void test_hidepid_names_are_the_kernels(void **state)
{
	(void)state;
	assert_null(pd_coverage_hidepid_name(PD_HIDEPID_OFF));
	assert_string_equal(pd_coverage_hidepid_name(PD_HIDEPID_NOACCESS),
			    "noaccess");
	assert_string_equal(pd_coverage_hidepid_name(PD_HIDEPID_INVISIBLE),
			    "invisible");
	assert_string_equal(pd_coverage_hidepid_name(PD_HIDEPID_PTRACEABLE),
			    "ptraceable");
}

static void test_mount_hides_from_users_not_from_ptrace_or_gid(void **state)
{
	struct pd_procmount m = mount_of("rw,hidepid=invisible,gid=27");
	struct pd_viewer user = { .euid = 1000 };
	struct pd_viewer root = { .euid = 0, .cap_sys_ptrace = true };
	struct pd_viewer member = { .euid = 1000, .in_gid = true };
	struct pd_viewer capless_root = { .euid = 0 };

	(void)state;
	assert_true(pd_coverage_mount_hides(&m, &user));
	assert_false(pd_coverage_mount_hides(&m, &root));
	assert_false(pd_coverage_mount_hides(&m, &member));
	/* root without CAP_SYS_PTRACE sees only what it may ptrace */
	assert_true(pd_coverage_mount_hides(&m, &capless_root));
	/* ptraceable ignores gid= */
	m = mount_of("rw,hidepid=ptraceable,gid=27");
	assert_true(pd_coverage_mount_hides(&m, &member));
	m = mount_of("rw");
	assert_false(pd_coverage_mount_hides(&m, &user));
}

/* A coverage of "/proc" mounted with OPTS, seen by VIEWER, that listed
 * pids 1, 100 and 200. */
static struct pd_coverage *coverage(const char *opts,
				    const struct pd_viewer *viewer)
{
	static const pid_t listed[] = { 1, 100, 200 };
	struct pd_procmount m = mount_of(opts);
	struct pd_coverage *cov = NULL;

	assert_int_equal(pd_coverage_new_from("/proc", &m, viewer, &cov), 0);
	assert_int_equal(pd_coverage_set_listed(cov, listed, 3), 0);
	return cov;
}

static void test_judge_of_a_complete_view_is_not_partial(void **state)
{
	struct pd_viewer root = { .euid = 0, .cap_sys_ptrace = true };
	struct pd_coverage *cov = coverage("rw,hidepid=invisible", &root);
	struct pd_partial p;

	(void)state;
	memset(&p, 0x5a, sizeof(p));
	pd_coverage_judge(cov, NULL, &p);
	assert_false(pd_coverage_is_partial(&p));
	assert_int_equal(p.hidepid, PD_HIDEPID_OFF);
	assert_int_equal(p.denied, 0);
	assert_int_equal(p.failed, 0);
	assert_int_equal(p.procs, 3);
	assert_true(p.root_user);
	assert_string_equal(p.root, "/proc");
	pd_coverage_free(cov);
}

static void test_judge_names_hidepid_that_hides_from_us(void **state)
{
	struct pd_viewer user = { .euid = 1000 };
	struct pd_coverage *cov = coverage("rw,hidepid=invisible,subset=pid",
					   &user);
	struct pd_partial p;

	(void)state;
	pd_coverage_judge(cov, NULL, &p);
	assert_true(pd_coverage_is_partial(&p));
	assert_int_equal(p.hidepid, PD_HIDEPID_INVISIBLE);
	assert_true(p.subset_pid);
	assert_false(p.root_user);
	assert_int_equal(p.denied, 0);
	pd_coverage_free(cov);
}

static void test_judge_of_a_filter_hidepid_cannot_touch_is_complete(
	void **state)
{
	static const pid_t seen[] = { 100 }, unseen[] = { 100, 4242 };
	static const uid_t mine[] = { 1000 }, others[] = { 1000, 0 };
	static const char *const comms[] = { "app" };
	struct pd_viewer user = { .euid = 1000 };
	struct pd_coverage *cov = coverage("rw,hidepid=invisible", &user);
	struct pd_procfilter f = { 0 };
	struct pd_partial p;

	(void)state;
	/* a pid that was listed is visible; one that was not may be hidden */
	f = (struct pd_procfilter){ .pids = seen, .npids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_false(pd_coverage_is_partial(&p));
	f = (struct pd_procfilter){ .pids = unseen, .npids = 2 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.hidepid, PD_HIDEPID_INVISIBLE);
	/* our own processes are ours to see; root's are not */
	f = (struct pd_procfilter){ .uids = mine, .nuids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_false(pd_coverage_is_partial(&p));
	f = (struct pd_procfilter){ .uids = others, .nuids = 2 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.hidepid, PD_HIDEPID_INVISIBLE);
	/* a hidden process may have any command */
	f = (struct pd_procfilter){ .comms = comms, .ncomms = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.hidepid, PD_HIDEPID_INVISIBLE);
	/* both: pid 100 was listed, whatever its command */
	f = (struct pd_procfilter){ .pids = seen, .npids = 1,
				    .comms = comms, .ncomms = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_false(pd_coverage_is_partial(&p));
	pd_coverage_free(cov);
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* Unread processes count when they may pass the filter; what is known
 * of them comes from their stat, and their status when a uid filter asks
 * (fixture pids 100 "app" uid 65534, 300 "tool" uid 0, 2 the kernel
 * thread "kthreadd"). */
static void test_judge_counts_unread_processes_the_filter_may_need(
	void **state)
{
	static const uid_t root_uid[] = { 0 }, nobody[] = { 65534 };
	static const char *const tool[] = { "tool" };
	static const pid_t p100[] = { 100 };
	struct pd_procfs *pfs = NULL;
	struct pd_coverage *cov = NULL;
	int fd100 = open_dir(BASIC "/100"), fd300 = open_dir(BASIC "/300");
	int fd2 = open_dir(BASIC "/2");
	struct pd_procfilter f;
	struct pd_partial p;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_coverage_new(pfs, &cov), 0);
	assert_int_equal(pd_coverage_add_unread(cov, fd100, 100, -EACCES), 0);
	assert_int_equal(pd_coverage_add_unread(cov, fd300, 300, -EIO), 0);
	assert_int_equal(pd_coverage_add_unread(cov, fd2, 2, -EPERM), 0);
	pd_coverage_judge(cov, NULL, &p);
	/* live credentials: denied, or beyond root when we are root with
	 * CAP_SYS_PTRACE; the EIO one makes it partial either way */
	assert_true(pd_coverage_is_partial(&p));
	assert_int_equal(p.hidepid, PD_HIDEPID_OFF);
	/* the kernel thread holds nothing: not counted */
	assert_int_equal(p.denied + p.beyond_root, 1);
	assert_int_equal(p.failed, 1);
	assert_int_equal(p.first_error, EIO);

	f = (struct pd_procfilter){ .uids = root_uid, .nuids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied + p.beyond_root, 0);
	assert_int_equal(p.failed, 1);
	f = (struct pd_procfilter){ .uids = nobody, .nuids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied + p.beyond_root, 1);
	assert_int_equal(p.failed, 0);
	assert_int_equal(p.first_error, 0);
	f = (struct pd_procfilter){ .comms = tool, .ncomms = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied + p.beyond_root, 0);
	assert_int_equal(p.failed, 1);
	f = (struct pd_procfilter){ .pids = p100, .npids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied + p.beyond_root, 1);
	assert_int_equal(p.failed, 0);
	close(fd100);
	close(fd300);
	close(fd2);
	pd_coverage_free(cov);
	pd_procfs_free(pfs);
}

/* Without a proc root to read their status, the uid of unread processes
 * is unknown: a uid filter may need each of them. */
static void test_judge_counts_unread_of_unknown_uid_under_uid_filter(
	void **state)
{
	static const uid_t root_uid[] = { 0 };
	/* root without CAP_SYS_PTRACE: denied is partial */
	struct pd_viewer root = { .euid = 0 };
	struct pd_coverage *cov = coverage("rw", &root);
	struct pd_procfilter f = { .uids = root_uid, .nuids = 1 };
	int fd100 = open_dir(BASIC "/100");
	struct pd_partial p;

	(void)state;
	assert_int_equal(pd_coverage_add_unread(cov, fd100, 100, -EACCES), 0);
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied, 1);
	close(fd100);
	pd_coverage_free(cov);
}

/* Not even stat readable (hidepid=noaccess): only a pid filter can
 * leave such a process out. */
static void test_judge_counts_an_unread_process_of_unknown_identity(
	void **state)
{
	static const uid_t mine[] = { 1000 };
	static const pid_t other[] = { 7 };
	struct pd_viewer user = { .euid = 1000 };
	struct pd_coverage *cov = coverage("rw,hidepid=noaccess", &user);
	struct pd_procfilter f;
	struct pd_partial p;

	(void)state;
	pd_coverage_judge(cov, NULL, &p);
	/* noaccess lists everything: nothing unread, nothing hidden */
	assert_false(pd_coverage_is_partial(&p));
	assert_int_equal(pd_coverage_add_unread(cov, -1, 100, -EPERM), 0);
	pd_coverage_judge(cov, NULL, &p);
	assert_int_equal(p.hidepid, PD_HIDEPID_NOACCESS);
	assert_int_equal(p.denied, 1);
	f = (struct pd_procfilter){ .uids = mine, .nuids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_int_equal(p.denied, 1);
	f = (struct pd_procfilter){ .pids = other, .npids = 1 };
	pd_coverage_judge(cov, &f, &p);
	assert_false(pd_coverage_is_partial(&p));
	pd_coverage_free(cov);
}

static void test_add_unread_id_takes_the_callers_identity(void **state)
{
	static const uid_t root_uid[] = { 0 };
	/* root without CAP_SYS_PTRACE: denied is partial */
	struct pd_viewer root = { .euid = 0 };
	struct pd_coverage *cov = coverage("rw", &root);
	struct pd_procfilter f = { .uids = root_uid, .nuids = 1 };
	struct pd_partial p;

	(void)state;
	assert_int_equal(pd_coverage_add_unread_id(cov, 100, -EACCES, true,
						   65534, "app"), 0);
	pd_coverage_judge(cov, &f, &p);
	assert_false(pd_coverage_is_partial(&p));
	pd_coverage_judge(cov, NULL, &p);
	assert_int_equal(p.denied, 1);
	pd_coverage_free(cov);
}

/* Denied although we are root with CAP_SYS_PTRACE: beyond any run of
 * ours. Named (the first one), counted apart, and not partial. */
static void test_judge_names_processes_beyond_root_and_is_complete(
	void **state)
{
	struct pd_viewer root = { .euid = 0, .cap_sys_ptrace = true };
	struct pd_viewer user = { .euid = 1000 };
	struct pd_coverage *cov = coverage("rw", &root);
	struct pd_partial p;

	(void)state;
	assert_int_equal(pd_coverage_add_unread_id(cov, 1, -EACCES, true, 0,
						   "process_api"), 0);
	assert_int_equal(pd_coverage_add_unread_id(cov, 7, -EPERM, false, 0,
						   NULL), 0);
	pd_coverage_judge(cov, NULL, &p);
	assert_false(pd_coverage_is_partial(&p));
	assert_int_equal(p.denied, 0);
	assert_int_equal(p.beyond_root, 2);
	assert_int_equal(p.beyond_pid, 1);
	assert_string_equal(p.beyond_comm, "process_api");
	/* another error is ours to count, whoever we are */
	assert_int_equal(pd_coverage_add_unread_id(cov, 9, -EIO, false, 0,
						   NULL), 0);
	pd_coverage_judge(cov, NULL, &p);
	assert_true(pd_coverage_is_partial(&p));
	assert_int_equal(p.failed, 1);
	pd_coverage_free(cov);

	/* the same denial for a user is a partial view */
	cov = coverage("rw", &user);
	assert_int_equal(pd_coverage_add_unread_id(cov, 1, -EACCES, true, 0,
						   "process_api"), 0);
	pd_coverage_judge(cov, NULL, &p);
	assert_true(pd_coverage_is_partial(&p));
	assert_int_equal(p.denied, 1);
	assert_int_equal(p.beyond_root, 0);
	pd_coverage_free(cov);
}

/* A copy of /proc (a fixture, a captured tree) is no proc mount: no
 * option of it hides anything, whoever looks. */
static void test_coverage_of_a_copy_hides_nothing(void **state)
{
	struct pd_procfs *pfs = NULL;
	struct pd_coverage *cov = NULL;
	struct pd_partial p;

	(void)state;
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_coverage_new(pfs, &cov), 0);
	pd_coverage_judge(cov, NULL, &p);
	assert_false(pd_coverage_is_partial(&p));
	assert_false(p.subset_pid);
	assert_string_equal(p.root, BASIC);
	assert_int_equal(p.procs, 0);
	pd_coverage_free(cov);
	pd_procfs_free(pfs);
}

static void test_coverage_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_coverage_free(NULL);
}

/*
 * The census of what a filter names, on the longname tree: pid 1
 * systemd (uid 0), 700 and 702 journald (uid 0; comm systemd-journal),
 * 701 systemd-journal-upload (65534, same comm), 703 bash (65534).
 */
static void census(const char *opts, uid_t euid,
		   const struct pd_procfilter *f, struct pd_census *ret)
{
	struct pd_viewer v = { .euid = euid, .cap_sys_ptrace = euid == 0 };
	struct pd_procmount m = mount_of(opts);
	struct pd_coverage *cov = NULL;
	struct pd_procfs *pfs;

	assert_int_equal(pd_procfs_new(LONGNAME, &pfs), 0);
	assert_int_equal(pd_coverage_new_from(LONGNAME, &m, &v, &cov), 0);
	assert_int_equal(pd_coverage_census(cov, pfs, f, ret), 0);
	pd_coverage_free(cov);
	pd_procfs_free(pfs);
}

static void test_census_names_each_pid_user_and_name_no_process_has(
	void **state)
{
	static const pid_t pids[] = { 700, 4242, 701 };
	static const uid_t uids[] = { 0, 1 };
	static const char *const names[] = {
		"systemd-journald", "systemd-journalx", "bash",
	};
	struct pd_procfilter f = { .pids = pids, .npids = 3 };
	struct pd_census c;

	(void)state;
	census("rw", 0, &f, &c);
	assert_int_equal(c.matched, 2);
	assert_int_equal(c.unsure, 0);
	assert_int_equal(c.missing, 1);
	assert_false(c.pid_missing[0]);
	assert_true(c.pid_missing[1]);
	assert_false(c.pid_missing[2]);
	pd_census_release(&c);

	f = (struct pd_procfilter){ .uids = uids, .nuids = 2 };
	census("rw", 0, &f, &c);
	assert_int_equal(c.matched, 3);		/* 1, 700, 702 */
	assert_int_equal(c.missing, 1);
	assert_false(c.uid_missing[0]);
	assert_true(c.uid_missing[1]);
	pd_census_release(&c);

	/* a long name by its full name; one of the same 15 bytes is not */
	f = (struct pd_procfilter){ .comms = names, .ncomms = 3 };
	census("rw", 0, &f, &c);
	assert_int_equal(c.matched, 3);		/* 700, 702, 703 */
	assert_int_equal(c.missing, 1);
	assert_false(c.comm_missing[0]);
	assert_true(c.comm_missing[1]);
	assert_false(c.comm_missing[2]);
	pd_census_release(&c);
}

static void test_census_of_lists_that_exist_apart_but_not_together(
	void **state)
{
	static const pid_t one[] = { 1 };
	static const uid_t nobody[] = { 65534 };
	struct pd_procfilter f = { .pids = one, .npids = 1,
				   .uids = nobody, .nuids = 1 };
	struct pd_census c;

	(void)state;
	census("rw", 0, &f, &c);
	assert_int_equal(c.matched, 0);
	assert_int_equal(c.missing, 0);
	assert_int_equal(c.unsure, 0);
	pd_census_release(&c);
}

static void test_census_under_hidepid_says_unsure_not_missing(void **state)
{
	static const pid_t pids[] = { 4242 };
	static const uid_t uids[] = { 1, 1000 };
	static const char *const names[] = { "nosuch" };
	struct pd_procfilter f = { .pids = pids, .npids = 1 };
	struct pd_census c;

	(void)state;
	/* a pid hidepid may hide from us may be alive */
	census("rw,hidepid=invisible", 1000, &f, &c);
	assert_int_equal(c.matched, 0);
	assert_int_equal(c.missing, 0);
	assert_int_equal(c.unsure, 1);
	assert_false(c.pid_missing[0]);
	pd_census_release(&c);
	/* root sees through it: the pid is not there */
	census("rw,hidepid=invisible", 0, &f, &c);
	assert_int_equal(c.missing, 1);
	assert_int_equal(c.unsure, 0);
	pd_census_release(&c);
	/* another user's processes may be hidden; ours are not */
	f = (struct pd_procfilter){ .uids = uids, .nuids = 2 };
	census("rw,hidepid=invisible", 1000, &f, &c);
	assert_false(c.uid_missing[0]);
	assert_true(c.uid_missing[1]);
	assert_int_equal(c.missing, 1);
	assert_int_equal(c.unsure, 1);
	pd_census_release(&c);
	/* a hidden process may have any name */
	f = (struct pd_procfilter){ .comms = names, .ncomms = 1 };
	census("rw,hidepid=invisible", 1000, &f, &c);
	assert_int_equal(c.missing, 0);
	assert_int_equal(c.unsure, 1);
	pd_census_release(&c);
	/* noaccess lists every pid: one not listed is not there */
	f = (struct pd_procfilter){ .pids = pids, .npids = 1 };
	census("rw,hidepid=noaccess", 1000, &f, &c);
	assert_int_equal(c.missing, 1);
	pd_census_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_mount_reads_hidepid_gid_and_subset),
		cmocka_unit_test(test_parse_mount_of_plain_proc_hides_nothing),
		cmocka_unit_test(test_parse_mount_takes_names_and_old_numbers),
		cmocka_unit_test(test_parse_mount_refuses_unknown_values),
		cmocka_unit_test(test_hidepid_names_are_the_kernels),
		cmocka_unit_test(test_mount_hides_from_users_not_from_ptrace_or_gid),
		cmocka_unit_test(test_judge_of_a_complete_view_is_not_partial),
		cmocka_unit_test(test_judge_names_hidepid_that_hides_from_us),
		cmocka_unit_test(test_judge_of_a_filter_hidepid_cannot_touch_is_complete),
		cmocka_unit_test(test_judge_counts_unread_processes_the_filter_may_need),
		cmocka_unit_test(test_judge_counts_unread_of_unknown_uid_under_uid_filter),
		cmocka_unit_test(test_judge_counts_an_unread_process_of_unknown_identity),
		cmocka_unit_test(test_add_unread_id_takes_the_callers_identity),
		cmocka_unit_test(test_judge_names_processes_beyond_root_and_is_complete),
		cmocka_unit_test(test_coverage_of_a_copy_hides_nothing),
		cmocka_unit_test(test_coverage_free_of_null_is_a_no_op),
		cmocka_unit_test(test_census_names_each_pid_user_and_name_no_process_has),
		cmocka_unit_test(test_census_of_lists_that_exist_apart_but_not_together),
		cmocka_unit_test(test_census_under_hidepid_says_unsure_not_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
