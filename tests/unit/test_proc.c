/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/proc: stat, status, cgroup and cmdline parsers, reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"
/* pid 900: a zombie leader, its thread 901 runs (make-pss.sh) */
#define PSS PD_FIXTURES_DIR "/pss/proc"
/* pid 50: a plain zombie, task/50 only; pid 400 as pss's 900 (make-oom.sh) */
#define OOM PD_FIXTURES_DIR "/oom/proc"

/* The tail of a real stat line after the flags field. */
#define STAT_TAIL " 1520 0 12 0 45 23 0 0 20 0 1 0 2345 230842368 3011 " \
	"18446744073709551615 94034227298304 94034228187136 140727512306624 " \
	"0 0 0 0 4096 16387 0 0 0 17 1 0 0 0 0 0 94034228432400 " \
	"94034228449032 94034250358784 140727512314713 140727512314746 " \
	"140727512314746 140727512317930 0\n"

static int stat_parse_str(const char *s, struct pd_stat *st)
{
	return pd_stat_parse(s, strlen(s), st);
}

static void test_stat_parse_a_real_line(void **state)
{
	static const char line[] =
		"1 (systemd) S 0 1 1 0 -1 4194560" STAT_TAIL;
	struct pd_stat st;

	(void)state;
	assert_int_equal(stat_parse_str(line, &st), 0);
	assert_int_equal(st.pid, 1);
	assert_string_equal(st.comm, "systemd");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 0);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.flags & PD_PF_KTHREAD, 0);
}

static void test_stat_parse_comm_with_paren_and_space(void **state)
{
	static const char line[] =
		"4242 (a) (b) R 77 4242 4242 34816 4242 4194304" STAT_TAIL;
	struct pd_stat st;

	(void)state;
	assert_int_equal(stat_parse_str(line, &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_string_equal(st.comm, "a) (b");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 77);
	assert_int_equal(st.flags, 4194304);
}

static void test_stat_parse_comm_of_only_parens_and_spaces(void **state)
{
	struct pd_stat st;

	(void)state;
	assert_int_equal(stat_parse_str("5 ( ) )) Z 1 5 5 0 -1 4227084 0\n",
					&st), 0);
	assert_string_equal(st.comm, " ) )");
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.flags, 4227084);

	assert_int_equal(stat_parse_str("9 () S 1 9 9 0 -1 64\n", &st), 0);
	assert_string_equal(st.comm, "");
	assert_int_equal(st.flags, 64);
}

static void test_stat_parse_kernel_thread_has_pf_kthread(void **state)
{
	static const char line[] =
		"2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 31 "
		"0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 0 "
		"0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	struct pd_stat st;

	(void)state;
	assert_int_equal(stat_parse_str(line, &st), 0);
	assert_string_equal(st.comm, "kthreadd");
	assert_int_equal(st.flags, 2129984);
	assert_int_equal(st.flags & PD_PF_KTHREAD, PD_PF_KTHREAD);
}

static void test_stat_parse_comm_longer_than_the_field_is_cut(void **state)
{
	char line[256], comm[101];
	struct pd_stat st;

	(void)state;
	memset(comm, 'x', 100);
	comm[100] = '\0';
	snprintf(line, sizeof(line), "7 (%s) S 1 7 7 0 -1 64\n", comm);
	assert_int_equal(stat_parse_str(line, &st), 0);
	assert_int_equal(strlen(st.comm), sizeof(st.comm) - 1);
	assert_memory_equal(st.comm, comm, sizeof(st.comm) - 1);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.flags, 64);
}

static void test_stat_parse_looks_for_the_last_paren_within_len(void **state)
{
	/* what follows LEN is not part of the line */
	static const char text[] = "7 (x) S 1 7 7 0 -1 64 y) T 9 9 9 9 9 9";
	struct pd_stat st;

	(void)state;
	assert_int_equal(pd_stat_parse(text, 21, &st), 0);
	assert_string_equal(st.comm, "x");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.flags, 64);
}

static void test_stat_parse_rejects_broken_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"1 systemd S 0 1 1 0 -1 4194560\n",	/* no parens */
		"1 (systemd S 0 1 1 0 -1 4194560\n",	/* no ')' */
		"1 )systemd( S 0 1 1 0 -1 4194560\n",	/* ')' before '(' */
		"(systemd) S 0 1 1 0 -1 4194560\n",	/* no pid */
		"x (systemd) S 0 1 1 0 -1 4194560\n",
		"4294967296 (big) S 0 1 1 0 -1 64\n",	/* pid past INT32_MAX */
		"1 (systemd)",				/* nothing after comm */
		"1 (systemd) S",
		"1 (systemd) S 0 1 1 0 -1",		/* no flags */
		"1 (systemd) S 0 1 1 0 -1 \n",
		"1 (systemd) S x 1 1 0 -1 64\n",	/* ppid not a number */
		"1 (systemd) S 0 1 1 0 -1 99999999999999999999999\n",
	};
	struct pd_stat st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&st, 0x5a, sizeof(st));
		assert_int_equal(stat_parse_str(bad[i], &st), -EINVAL);
		/* outputs are written only on success */
		assert_int_equal(st.pid, 0x5a5a5a5a);
	}
}

static int status_parse_str(const char *s, struct pd_proc_status *st)
{
	return pd_status_parse(s, strlen(s), st);
}

static void test_status_parse_kb_fields_become_bytes(void **state)
{
	static const char text[] =
		"Name:\tapp\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t100\n"
		"Ngid:\t0\nPid:\t100\nPPid:\t1\nTracerPid:\t0\n"
		"Uid:\t1000\t1001\t1002\t1003\nGid:\t1000\t1000\t1000\t1000\n"
		"FDSize:\t64\nGroups:\t1000 \nVmPeak:\t  225432 kB\n"
		"VmSize:\t  225432 kB\nVmLck:\t       0 kB\n"
		"VmHWM:\t   12044 kB\n"
		"VmRSS:\t   12044 kB\nRssAnon:\t    3120 kB\n"
		"RssFile:\t    8924 kB\nRssShmem:\t       4 kB\n"
		"VmData:\t   18904 kB\nVmStk:\t     132 kB\n"
		"VmPTE:\t      88 kB\n"
		"VmSwap:\t     256 kB\nHugetlbPages:\t       0 kB\n"
		"Threads:\t1\n";
	struct pd_proc_status st;

	(void)state;
	assert_int_equal(status_parse_str(text, &st), 0);
	assert_true(st.has_uid);
	/* the real uid, the first of the four */
	assert_int_equal(st.uid, 1000);
	assert_true(st.has_vm);
	assert_int_equal(st.vm_rss, 12044ull * 1024);
	assert_int_equal(st.rss_anon, 3120ull * 1024);
	assert_int_equal(st.rss_file, 8924ull * 1024);
	assert_int_equal(st.rss_shmem, 4096);
	assert_int_equal(st.vm_swap, 256ull * 1024);
	assert_int_equal(st.vm_pte, 88ull * 1024);
}

static void test_status_parse_kernel_thread_has_no_vm(void **state)
{
	static const char text[] =
		"Name:\tkthreadd\nUmask:\t0000\nState:\tS (sleeping)\n"
		"Tgid:\t2\nPid:\t2\nPPid:\t0\nUid:\t0\t0\t0\t0\n"
		"Gid:\t0\t0\t0\t0\nKthread:\t1\nThreads:\t1\n";
	struct pd_proc_status st;

	(void)state;
	assert_int_equal(status_parse_str(text, &st), 0);
	assert_true(st.has_uid);
	assert_int_equal(st.uid, 0);
	assert_false(st.has_vm);
	assert_int_equal(st.vm_rss, 0);
	assert_int_equal(st.vm_swap, 0);
}

static void test_status_parse_missing_fields_are_zero(void **state)
{
	struct pd_proc_status st;

	(void)state;
	/* before 4.5 there are no Rss* lines; no trailing newline either */
	assert_int_equal(status_parse_str("Uid:\t33\t33\t33\t33\n"
					  "VmRSS:\t       8 kB\nVmSwap:\t3 kB",
					  &st), 0);
	assert_int_equal(st.uid, 33);
	assert_true(st.has_vm);
	assert_int_equal(st.vm_rss, 8192);
	assert_int_equal(st.vm_swap, 3072);
	assert_int_equal(st.rss_anon, 0);
	assert_int_equal(st.rss_file, 0);
	assert_int_equal(st.rss_shmem, 0);
	assert_int_equal(st.vm_pte, 0);
}

static void test_status_parse_without_uid_is_einval(void **state)
{
	struct pd_proc_status st;

	(void)state;
	memset(&st, 0x5a, sizeof(st));
	assert_int_equal(status_parse_str("Name:\tx\nVmRSS:\t 8 kB\n", &st),
			 -EINVAL);
	assert_int_equal(status_parse_str("", &st), -EINVAL);
	assert_int_equal(status_parse_str("Uid:\n", &st), -EINVAL);
	assert_int_equal(status_parse_str("Uid:\tx\n", &st), -EINVAL);
	assert_int_equal(status_parse_str("Uid:\t4294967296\t0\t0\t0\n", &st),
			 -EINVAL);
	/* a key must start the line */
	assert_int_equal(status_parse_str("XUid:\t0\n", &st), -EINVAL);
	assert_int_equal(st.uid, 0x5a5a5a5a);
}

static void test_status_parse_survives_a_line_longer_than_its_buffer(
	void **state)
{
	char text[2048];
	struct pd_proc_status st;
	size_t n;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "Groups:\t");
	while (n < 1500)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "1000 ");
	snprintf(text + n, sizeof(text) - n, "\nUid:\t501\t0\t0\t0\n"
		 "VmPTE:\t  12 kB\n");
	assert_int_equal(status_parse_str(text, &st), 0);
	assert_int_equal(st.uid, 501);
	assert_int_equal(st.vm_pte, 12288);
}

static int cgroup_parse_str(const char *s, char **path)
{
	return pd_cgroup_parse(s, strlen(s), path);
}

static void assert_cgroup(const char *text, const char *want)
{
	char *path = NULL;

	assert_int_equal(cgroup_parse_str(text, &path), 0);
	assert_non_null(path);
	assert_string_equal(path, want);
	free(path);
}

static void test_cgroup_parse_v2(void **state)
{
	(void)state;
	assert_cgroup("0::/system.slice/foo.service\n",
		      "/system.slice/foo.service");
	assert_cgroup("0::/init.scope", "/init.scope");
	/* a kernel thread sits in the root */
	assert_cgroup("0::/\n", "/");
	/* the path runs to the end of the line, colons and all */
	assert_cgroup("0::/system.slice/a:b.service\n",
		      "/system.slice/a:b.service");
}

static void test_cgroup_parse_v1_takes_the_memory_controller(void **state)
{
	static const char text[] =
		"12:pids:/system.slice/app.service\n"
		"11:blkio:/system.slice\n"
		"10:cpu,cpuacct:/system.slice/cpu.service\n"
		"1:name=systemd:/system.slice/systemd.service\n"
		"9:memory:/system.slice/memory.service\n"
		"8:devices:/system.slice/app.service\n";

	(void)state;
	assert_cgroup(text, "/system.slice/memory.service");
	/* memory in a comma-joined controller list counts */
	assert_cgroup("4:cpuset,memory:/m\n1:name=systemd:/s\n", "/m");
	/* "memoryx" is not "memory" */
	assert_cgroup("4:memoryx:/m\n1:name=systemd:/s\n", "/s");
}

static void test_cgroup_parse_v1_falls_back_to_name_systemd(void **state)
{
	(void)state;
	assert_cgroup("3:cpuset:/\n2:cpu,cpuacct:/\n1:name=systemd:"
		      "/user.slice/user-1000.slice/session-2.scope\n",
		      "/user.slice/user-1000.slice/session-2.scope");
}

static void test_cgroup_parse_hybrid_prefers_the_memory_controller(void **state)
{
	static const char text[] =
		"9:name=systemd:/user.slice/s.scope\n"
		"4:memory:/process_api/22e12b4a\n"
		"0::/user.slice/v2.scope\n";

	(void)state;
	/* memory limits live where the memory controller is: v1 here */
	assert_cgroup(text, "/process_api/22e12b4a");
	assert_cgroup("0::/user.slice/v2.scope\n1:name=systemd:/s\n",
		      "/user.slice/v2.scope");
	/* a v2 line without a path does not count */
	assert_cgroup("4:memory:/m\n0::\n", "/m");
}

static void test_cgroup_parse_without_a_usable_line_is_enoent(void **state)
{
	char *path = (char *)0x1;

	(void)state;
	assert_int_equal(cgroup_parse_str("", &path), -ENOENT);
	assert_int_equal(cgroup_parse_str("3:cpuset:/\n2:pids:/a\n", &path),
			 -ENOENT);
	assert_int_equal(cgroup_parse_str("0::\n", &path), -ENOENT);
	assert_int_equal(cgroup_parse_str("garbage\n", &path), -ENOENT);
	assert_int_equal(cgroup_parse_str("1::/x\n", &path), -ENOENT);
	assert_int_equal(cgroup_parse_str("4:memory:\n", &path), -ENOENT);
	assert_ptr_equal(path, (char *)0x1);
}

static void test_cgroup_parse_honours_len(void **state)
{
	static const char text[] = "0::/a.service\n0::/b.service";
	char *path = NULL;

	(void)state;
	assert_int_equal(pd_cgroup_parse(text, 7, &path), 0);
	assert_string_equal(path, "/a.s");
	free(path);
}

static void assert_unit(const char *cgroup, const char *want)
{
	char *unit = NULL;

	assert_int_equal(pd_cgroup_unit(cgroup, &unit), 0);
	assert_non_null(unit);
	assert_string_equal(unit, want);
	free(unit);
}

static void test_cgroup_unit_of_a_service(void **state)
{
	(void)state;
	assert_unit("/system.slice/foo.service", "foo.service");
	assert_unit("/system.slice/system-getty.slice/getty@tty1.service",
		    "getty@tty1.service");
	/* a delegated subtree below the unit */
	assert_unit("/system.slice/docker-0123abcd.scope/init",
		    "docker-0123abcd.scope");
}

static void test_cgroup_unit_inside_user_manager_is_the_innermost(void **state)
{
	(void)state;
	assert_unit("/user.slice/user-1000.slice/user@1000.service/app.slice/"
		    "bar.scope", "bar.scope");
	assert_unit("/user.slice/user-1000.slice/user@1000.service/"
		    "app.slice/foo.service", "foo.service");
	assert_unit("/user.slice/user-1000.slice/user@1000.service",
		    "user@1000.service");
}

static void test_cgroup_unit_of_other_unit_types(void **state)
{
	(void)state;
	assert_unit("/init.scope", "init.scope");
	assert_unit("/system.slice/sshd.socket", "sshd.socket");
	assert_unit("/system.slice/home.mount", "home.mount");
	assert_unit("/system.slice/dev-sda2.swap", "dev-sda2.swap");
}

static void test_cgroup_unit_of_a_bare_slice_is_the_innermost_slice(
	void **state)
{
	(void)state;
	assert_unit("/system.slice", "system.slice");
	assert_unit("/user.slice/user-1000.slice", "user-1000.slice");
}

static void test_cgroup_unit_without_a_unit_is_enoent(void **state)
{
	char *unit = (char *)0x1;

	(void)state;
	assert_int_equal(pd_cgroup_unit("/", &unit), -ENOENT);
	assert_int_equal(pd_cgroup_unit("", &unit), -ENOENT);
	assert_int_equal(pd_cgroup_unit("/process_api/22e12b4a", &unit),
			 -ENOENT);
	/* a suffix alone names nothing */
	assert_int_equal(pd_cgroup_unit("/.service", &unit), -ENOENT);
	assert_int_equal(pd_cgroup_unit("/.slice/.scope", &unit), -ENOENT);
	assert_int_equal(pd_cgroup_unit("/foo.services", &unit), -ENOENT);
	assert_ptr_equal(unit, (char *)0x1);
}

static void assert_cmdline(const char *buf, size_t len, const char *want)
{
	char *s = NULL;

	assert_int_equal(pd_cmdline_parse(buf, len, &s), 0);
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_cmdline_parse_joins_arguments_with_spaces(void **state)
{
	static const char text[] = "/usr/bin/app\0--config\0/etc/app.conf\0";

	(void)state;
	assert_cmdline(text, sizeof(text) - 1,
		       "/usr/bin/app --config /etc/app.conf");
}

static void test_cmdline_parse_of_a_kernel_thread_is_empty(void **state)
{
	(void)state;
	assert_cmdline("", 0, "");
	assert_cmdline("\0\0\0", 3, "");
}

static void test_cmdline_parse_keeps_empty_arguments_drops_trailing_nuls(
	void **state)
{
	(void)state;
	assert_cmdline("a\0\0b\0\0\0", 7, "a  b");
	/* setproctitle() rewrites argv without NULs */
	assert_cmdline("nginx: master process /usr/sbin/nginx", 37,
		       "nginx: master process /usr/sbin/nginx");
	/* the length bounds the text */
	assert_cmdline("abc\0def", 2, "ab");
}

static int open_pid(pid_t pid)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%d", BASIC, (int)pid);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void test_proc_read_all_fields_of_a_v1_process(void **state)
{
	struct pd_proc p;
	int fd = open_pid(100);

	(void)state;
	assert_int_equal(pd_proc_read(NULL, fd, 100, PD_PROC_STAT | PD_PROC_STATUS |
				      PD_PROC_CMDLINE | PD_PROC_CGROUP, &p), 0);
	assert_int_equal(p.pid, 100);
	assert_int_equal(p.ppid, 1);
	assert_string_equal(p.comm, "app");
	assert_int_equal(p.state, 'S');
	assert_false(p.kthread);
	assert_true(p.status.has_uid);
	assert_int_equal(p.status.uid, 65534);
	assert_true(p.status.has_vm);
	assert_int_equal(p.status.vm_rss, 12044ull * 1024);
	assert_int_equal(p.status.rss_anon, 3120ull * 1024);
	assert_int_equal(p.status.rss_file, 8924ull * 1024);
	assert_int_equal(p.status.rss_shmem, 0);
	assert_int_equal(p.status.vm_swap, 256ull * 1024);
	assert_int_equal(p.status.vm_pte, 88ull * 1024);
	assert_string_equal(p.cmdline, "/usr/bin/app --config /etc/app.conf");
	assert_string_equal(p.cgroup, "/system.slice/app.service");
	assert_string_equal(p.unit, "app.service");
	pd_proc_release(&p);
	assert_null(p.cmdline);
	assert_null(p.cgroup);
	assert_null(p.unit);
	close(fd);
}

static void test_proc_read_of_a_v2_process_with_odd_comm(void **state)
{
	struct pd_proc p;
	int fd = open_pid(200);

	(void)state;
	assert_int_equal(pd_proc_read(NULL, fd, 200, PD_PROC_STAT | PD_PROC_CGROUP |
				      PD_PROC_CMDLINE, &p), 0);
	assert_string_equal(p.comm, "tmux: server");
	assert_string_equal(p.cmdline, "tmux");
	assert_string_equal(p.cgroup, "/user.slice/user-1000.slice/user@1000"
			    ".service/app.slice/tmux-spawn-5f1c.scope");
	assert_string_equal(p.unit, "tmux-spawn-5f1c.scope");
	/* not asked for */
	assert_false(p.status.has_uid);
	pd_proc_release(&p);
	close(fd);
}

static void test_proc_read_of_a_kernel_thread(void **state)
{
	struct pd_proc p;
	int fd = open_pid(2);

	(void)state;
	assert_int_equal(pd_proc_read(NULL, fd, 2, PD_PROC_STAT | PD_PROC_STATUS |
				      PD_PROC_CMDLINE | PD_PROC_CGROUP, &p), 0);
	assert_string_equal(p.comm, "kthreadd");
	assert_true(p.kthread);
	assert_int_equal(p.ppid, 0);
	assert_int_equal(p.status.uid, 0);
	assert_false(p.status.has_vm);
	assert_string_equal(p.cmdline, "");
	assert_string_equal(p.cgroup, "/");
	/* the root cgroup names no unit */
	assert_null(p.unit);
	pd_proc_release(&p);
	close(fd);
}

static void test_proc_read_only_what_was_asked(void **state)
{
	struct pd_proc p;
	int fd = open_pid(300);

	(void)state;
	assert_int_equal(pd_proc_read(NULL, fd, 300, PD_PROC_STAT, &p), 0);
	assert_string_equal(p.comm, "tool");
	assert_int_equal(p.ppid, 1);
	assert_null(p.cmdline);
	assert_null(p.cgroup);
	assert_null(p.unit);
	assert_false(p.status.has_uid);
	pd_proc_release(&p);

	assert_int_equal(pd_proc_read(NULL, fd, 300, PD_PROC_STATUS, &p), 0);
	assert_int_equal(p.pid, 300);
	assert_string_equal(p.comm, "");
	assert_int_equal(p.status.uid, 0);
	assert_int_equal(p.status.rss_shmem, 4096ull * 1024);
	pd_proc_release(&p);
	close(fd);
}

static void test_proc_read_of_a_vanished_process_is_enoent(void **state)
{
	struct pd_proc p;
	int fd;

	(void)state;
	/* a directory without the process files, as after exit */
	fd = open(BASIC "/100/ns", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	memset(&p, 0x5a, sizeof(p));
	assert_int_equal(pd_proc_read(NULL, fd, 100, PD_PROC_STAT, &p), -ENOENT);
	assert_int_equal(p.pid, 0x5a5a5a5a);
	assert_int_equal(pd_proc_read(NULL, fd, 100, PD_PROC_CGROUP, &p), -ENOENT);
	close(fd);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void test_proc_read_frees_everything_on_a_late_error(void **state)
{
	char dir[] = "/tmp/pd-test-proc-XXXXXX", cmd[600];
	struct pd_proc p;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	write_file(dir, "stat", "9 (x) S 1 9 9 0 -1 64\n");
	write_file(dir, "cmdline", "x");
	write_file(dir, "cgroup", "0::/system.slice/x.service\n");
	/* status without Uid: the last field read fails */
	write_file(dir, "status", "Name:\tx\n");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_proc_read(NULL, fd, 9, PD_PROC_STAT | PD_PROC_CMDLINE |
				      PD_PROC_CGROUP, &p), 0);
	assert_string_equal(p.unit, "x.service");
	pd_proc_release(&p);
	/* ASan reports a leak if the error path keeps anything */
	assert_int_equal(pd_proc_read(NULL, fd, 9, PD_PROC_STAT | PD_PROC_CMDLINE |
				      PD_PROC_CGROUP | PD_PROC_STATUS, &p),
			 -EINVAL);
	/* a cgroup file with no usable line is no error */
	write_file(dir, "cgroup", "3:cpuset:/\n");
	assert_int_equal(pd_proc_read(NULL, fd, 9, PD_PROC_CGROUP, &p), 0);
	assert_null(p.cgroup);
	assert_null(p.unit);
	pd_proc_release(&p);
	close(fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_proc_release_of_null_is_a_no_op(void **state)
{
	(void)state;
	pd_proc_release(NULL);
}

/* The inode of the directory PATH. */
static ino_t dir_ino(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static ino_t fd_ino(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static void test_proc_open_live_thread_of_a_zombie_leader_is_its_thread(
	void **state)
{
	struct pd_procfs *pfs;
	int pidfd, fd = -1;

	(void)state;
	assert_int_equal(pd_procfs_new(PSS, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 900, &pidfd), 0);
	assert_int_equal(pd_proc_open_live_thread(pfs, pidfd, 900, &fd), 0);
	/* not the live procfs: the task/ directory itself */
	assert_int_equal(fd_ino(fd), dir_ino(PSS "/900/task/901"));
	close(fd);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_proc_open_live_thread_of_a_plain_zombie_is_esrch(
	void **state)
{
	struct pd_procfs *pfs;
	int pidfd, fd = -1;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 50, &pidfd), 0);
	assert_int_equal(pd_proc_open_live_thread(pfs, pidfd, 50, &fd),
			 -ESRCH);
	assert_int_equal(fd, -1);
	close(pidfd);
	pd_procfs_free(pfs);
	/* no task/ at all: a process of the basic tree */
	assert_int_equal(pd_procfs_new(BASIC, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 100, &pidfd), 0);
	assert_int_equal(pd_proc_open_live_thread(pfs, pidfd, 100, &fd),
			 -ESRCH);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void *park(void *arg)
{
	int *p = arg;

	__atomic_store_n(&p[0], (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&p[1], __ATOMIC_SEQ_CST))
		usleep(1000);
	return NULL;
}

/* In the live procfs the thread's own /proc/TID: it has map_files/, its
 * task/TID/ has not. */
static void test_proc_open_live_thread_in_the_live_procfs_is_proc_tid(
	void **state)
{
	struct pd_procfs *pfs;
	int pidfd, fd = -1, shared[2] = { 0, 0 };
	char path[64];
	struct pd_stat st;
	struct stat sb;
	pthread_t t;
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, park, shared), 0);
	while (!__atomic_load_n(&shared[0], __ATOMIC_SEQ_CST))
		usleep(1000);
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, getpid(), &pidfd), 0);
	assert_int_equal(pd_proc_open_live_thread(pfs, pidfd, getpid(), &fd),
			 0);
	assert_int_equal(pd_read_at(fd, "stat", 4096, &buf, &len), 0);
	assert_int_equal(pd_stat_parse(buf, len, &st), 0);
	free(buf);
	/* a thread but the leader, by its own directory */
	assert_int_not_equal(st.pid, getpid());
	snprintf(path, sizeof(path), "/proc/%d", (int)st.pid);
	assert_int_equal(fd_ino(fd), dir_ino(path));
	assert_int_equal(fstatat(fd, "map_files", &sb, 0), 0);
	__atomic_store_n(&shared[1], 1, __ATOMIC_SEQ_CST);
	assert_int_equal(pthread_join(t, NULL), 0);
	close(fd);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_proc_open_holder_of_a_zombie_leader_is_its_thread(
	void **state)
{
	struct pd_procfs *pfs;
	int pidfd, fd = -1;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 400, &pidfd), 0);
	assert_int_equal(pd_proc_open_holder(pfs, pidfd, 400, &fd), 0);
	assert_int_not_equal(fd, pidfd);
	assert_int_equal(fd_ino(fd), dir_ino(OOM "/400/task/401"));
	close(fd);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_proc_open_holder_of_a_live_leader_or_plain_zombie_is_itself(
	void **state)
{
	static const pid_t pids[] = { 1, 2, 50, 120 };
	struct pd_procfs *pfs;
	int pidfd, fd;
	size_t i;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM, &pfs), 0);
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		assert_int_equal(pd_procfs_open_pid(pfs, pids[i], &pidfd), 0);
		fd = -1;
		assert_int_equal(pd_proc_open_holder(pfs, pidfd, pids[i], &fd),
				 0);
		assert_int_equal(fd, pidfd);
		close(pidfd);
	}
	pd_procfs_free(pfs);
}

/* A leader with a cwd is alive: its stat is not even read. */
static void test_proc_open_holder_with_a_cwd_reads_no_stat(void **state)
{
	char dir[] = "/tmp/pd-test-proc-XXXXXX", path[64];
	struct pd_procfs *pfs;
	int pidfd, fd = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/7", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/7/cwd", dir);
	assert_int_equal(symlink("/", path), 0);
	/* a stat that says Z, and a live thread: never looked at */
	snprintf(path, sizeof(path), "%s/7/stat", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(pd_procfs_new(dir, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 7, &pidfd), 0);
	assert_int_equal(pd_proc_open_holder(pfs, pidfd, 7, &fd), 0);
	assert_int_equal(fd, pidfd);
	assert_int_equal(pd_procfs_error(pfs), 0);
	close(pidfd);
	pd_procfs_free(pfs);
	unlink(path);
	snprintf(path, sizeof(path), "%s/7/cwd", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/7", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_parse_a_real_line),
		cmocka_unit_test(test_stat_parse_comm_with_paren_and_space),
		cmocka_unit_test(test_stat_parse_comm_of_only_parens_and_spaces),
		cmocka_unit_test(test_stat_parse_kernel_thread_has_pf_kthread),
		cmocka_unit_test(test_stat_parse_comm_longer_than_the_field_is_cut),
		cmocka_unit_test(test_stat_parse_looks_for_the_last_paren_within_len),
		cmocka_unit_test(test_stat_parse_rejects_broken_lines),
		cmocka_unit_test(test_status_parse_kb_fields_become_bytes),
		cmocka_unit_test(test_status_parse_kernel_thread_has_no_vm),
		cmocka_unit_test(test_status_parse_missing_fields_are_zero),
		cmocka_unit_test(test_status_parse_without_uid_is_einval),
		cmocka_unit_test(test_status_parse_survives_a_line_longer_than_its_buffer),
		cmocka_unit_test(test_cgroup_parse_v2),
		cmocka_unit_test(test_cgroup_parse_v1_takes_the_memory_controller),
		cmocka_unit_test(test_cgroup_parse_v1_falls_back_to_name_systemd),
		cmocka_unit_test(test_cgroup_parse_hybrid_prefers_the_memory_controller),
		cmocka_unit_test(test_cgroup_parse_without_a_usable_line_is_enoent),
		cmocka_unit_test(test_cgroup_parse_honours_len),
		cmocka_unit_test(test_cgroup_unit_of_a_service),
		cmocka_unit_test(test_cgroup_unit_inside_user_manager_is_the_innermost),
		cmocka_unit_test(test_cgroup_unit_of_other_unit_types),
		cmocka_unit_test(test_cgroup_unit_of_a_bare_slice_is_the_innermost_slice),
		cmocka_unit_test(test_cgroup_unit_without_a_unit_is_enoent),
		cmocka_unit_test(test_cmdline_parse_joins_arguments_with_spaces),
		cmocka_unit_test(test_cmdline_parse_of_a_kernel_thread_is_empty),
		cmocka_unit_test(test_cmdline_parse_keeps_empty_arguments_drops_trailing_nuls),
		cmocka_unit_test(test_proc_read_all_fields_of_a_v1_process),
		cmocka_unit_test(test_proc_read_of_a_v2_process_with_odd_comm),
		cmocka_unit_test(test_proc_read_of_a_kernel_thread),
		cmocka_unit_test(test_proc_read_only_what_was_asked),
		cmocka_unit_test(test_proc_read_of_a_vanished_process_is_enoent),
		cmocka_unit_test(test_proc_read_frees_everything_on_a_late_error),
		cmocka_unit_test(test_proc_release_of_null_is_a_no_op),
		cmocka_unit_test(test_proc_open_live_thread_of_a_zombie_leader_is_its_thread),
		cmocka_unit_test(test_proc_open_live_thread_of_a_plain_zombie_is_esrch),
		cmocka_unit_test(test_proc_open_live_thread_in_the_live_procfs_is_proc_tid),
		cmocka_unit_test(test_proc_open_holder_of_a_zombie_leader_is_its_thread),
		cmocka_unit_test(test_proc_open_holder_of_a_live_leader_or_plain_zombie_is_itself),
		cmocka_unit_test(test_proc_open_holder_with_a_cwd_reads_no_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
