/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/oomlog on tests/fixtures/oomlog and inline reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "oomlog.h"

#define LOGS PD_FIXTURES_DIR "/oomlog/"

static struct pd_oomlog *parse_file(const char *name)
{
	struct pd_oomlog *log;
	char path[512], *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", LOGS, name);
	f = fopen(path, "r");
	assert_non_null(f);
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_int_equal(pd_oomlog_parse(buf, n, &log), 0);
	free(buf);
	return log;
}

/* Feed file NAME to a log set up by SETUP (may be NULL). */
static struct pd_oomlog *feed_file(const char *name,
				   void (*setup)(struct pd_oomlog *))
{
	struct pd_oomlog *log;
	char path[512], *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", LOGS, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_int_equal(pd_oomlog_new(&log), 0);
	if (setup)
		setup(log);
	assert_int_equal(pd_oomlog_feed_text(log, buf, n), 0);
	assert_int_equal(pd_oomlog_feed_end(log), 0);
	free(buf);
	return log;
}

static struct pd_oomlog *parse_text(const char *text)
{
	struct pd_oomlog *log;

	assert_int_equal(pd_oomlog_parse(text, strlen(text), &log), 0);
	return log;
}

static pid_t top_pid(const struct pd_oomlog_incident *inc)
{
	size_t t;

	assert_int_equal(pd_oomlog_top(inc, 4096, &t), 0);
	return inc->tasks[t].pid;
}

static void test_oomlog_3_10_dmesg_nr_ptes_and_root_bonus(void **state)
{
	struct pd_oomlog *log = parse_file("v3.10-global-dmesg.log");
	const struct pd_oomlog_incident *inc;

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 1);
	inc = pd_oomlog_incident(log, 0);
	assert_true(inc->has_header);
	assert_string_equal(inc->invoker, "java");
	assert_string_equal(inc->gfp, "0x201da");
	assert_int_equal(inc->invoker_pid, 2345);
	assert_string_equal(inc->release, "3.10.0-1160.el7.x86_64");
	assert_true(inc->has_uptime);
	assert_int_equal(inc->uptime_us, 12000000000ull);
	assert_string_equal(inc->stamp, "");
	assert_int_equal(inc->constraint, PD_OOMLOG_UNKNOWN);
	assert_int_equal(inc->ram_pages, 1048576);
	assert_true(inc->has_swap_total);
	assert_int_equal(inc->swap_total, 0);
	assert_int_equal(inc->ntasks, 5);
	assert_int_equal(inc->tasks[1].pid, 500);
	assert_int_equal(inc->tasks[1].rss, 300000);
	assert_false(inc->tasks[1].has_pgtables_bytes);
	assert_int_equal(inc->tasks[1].pgtable_pages, 600);
	assert_int_equal(inc->tasks[3].adj, -1000);
	assert_true(inc->has_chosen);
	assert_int_equal(inc->chosen, 600);
	assert_int_equal(inc->nkills, 1);
	assert_int_equal(inc->kills[0].pid, 600);
	assert_int_equal(inc->kills[0].anon, 1172000ull * 1024);
	assert_false(inc->kills[0].has_shmem);
	assert_false(inc->kills[0].has_uid);
	/* root's mysqld has 300600 pages, less 3% = 291582 < java's 295590 */
	assert_int_equal(top_pid(inc), 600);
	pd_oomlog_free(log);
}

static void test_oomlog_4_14_syslog_memcg_child_sacrificed(void **state)
{
	struct pd_oomlog *log = parse_file("v4.14-memcg-syslog.log");
	const struct pd_oomlog_incident *inc;

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 1);
	inc = pd_oomlog_incident(log, 0);
	assert_string_equal(inc->stamp, "Nov 21 23:14:07");
	assert_int_equal(inc->uptime_us, 81234567890ull);
	/* the nodemask= of 4.x headers does not end up in the mask */
	assert_string_equal(inc->gfp, "0x14000c0(GFP_KERNEL)");
	assert_int_equal(inc->constraint, PD_OOMLOG_MEMCG);
	assert_string_equal(inc->oom_memcg, "/system.slice/php-fpm.service");
	assert_string_equal(inc->task_memcg, "/system.slice/php-fpm.service");
	assert_int_equal(inc->limit, 524288ull * 1024);
	assert_int_equal(inc->usage, 524288ull * 1024);
	/* nr_ptes + nr_pmds */
	assert_int_equal(inc->tasks[0].pgtable_pages, 143);
	/* a comm with blanks, last on its row */
	assert_string_equal(inc->tasks[2].comm, "php-fpm: pool www");
	assert_int_equal(inc->chosen, 4242);
	assert_int_equal(inc->kills[0].pid, 4250);
	assert_true(inc->kills[0].reaped);
	assert_int_equal(top_pid(inc), 4242);
	pd_oomlog_free(log);
}

static void test_oomlog_5_4_journal_rate_limited_header(void **state)
{
	struct pd_oomlog *log = parse_file("v5.4-global-journal.log");
	const struct pd_oomlog_incident *inc;
	size_t t;

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 2);
	inc = pd_oomlog_incident(log, 0);
	assert_string_equal(inc->invoker, "kworker/u8:2");
	assert_int_equal(inc->invoker_pid, 31337);
	assert_string_equal(inc->gfp, "0x100cca(GFP_HIGHUSER_MOVABLE)");
	assert_int_equal(inc->constraint, PD_OOMLOG_GLOBAL);
	assert_null(inc->oom_memcg);
	assert_string_equal(inc->task_memcg, "/system.slice/postgresql.service");
	assert_int_equal(inc->swap_total, 2097148ull * 1024);
	assert_true(inc->tasks[1].has_pgtables_bytes);
	assert_int_equal(inc->tasks[1].pgtables_bytes, 12288000);
	assert_string_equal(inc->tasks[3].comm, "node exporter");
	assert_int_equal(inc->kills[0].pid, 9001);
	assert_int_equal(inc->kills[0].uid, 110);
	assert_int_equal(inc->kills[0].pgtables, 12000ull * 1024);
	assert_int_equal(inc->kills[0].shmem, 20000ull * 1024);
	assert_true(inc->kills[0].reaped);
	/* 1500000 + 120000 + 3000 pages */
	assert_int_equal(top_pid(inc), 9001);

	inc = pd_oomlog_incident(log, 1);
	assert_false(inc->has_header);
	assert_string_equal(inc->stamp, "Nov 22 03:02:51");
	assert_int_equal(inc->line, 15);
	assert_int_equal(inc->nkills, 1);
	assert_int_equal(inc->kills[0].pid, 9100);
	assert_int_equal(pd_oomlog_top(inc, 4096, &t), -ENODATA);
	pd_oomlog_free(log);
}

static void test_oomlog_6_1_kmsg_split_summary_and_group_kill(void **state)
{
	struct pd_oomlog *log = parse_file("v6.1-memcg-kmsg.log");
	const struct pd_oomlog_incident *inc;

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 1);
	inc = pd_oomlog_incident(log, 0);
	assert_int_equal(inc->uptime_us, 734512000000ull);
	assert_int_equal(inc->invoker_adj, 500);
	assert_int_equal(inc->constraint, PD_OOMLOG_MEMCG);
	/* the second half came as a record of its own */
	assert_string_equal(inc->oom_memcg, "/system.slice/app.service");
	assert_string_equal(inc->task_memcg, "/system.slice/app.service");
	assert_true(inc->has_swap_limit);
	assert_int_equal(inc->swap_limit, 262144ull * 1024);
	assert_string_equal(inc->tasks[2].comm, "sidecar,v2");
	assert_int_equal(inc->nkills, 3);
	assert_int_equal(inc->kills[0].pid, 777);
	assert_int_equal(inc->kills[0].adj, 500);
	assert_int_equal(inc->kills[1].pid, 770);
	assert_string_equal(inc->kills[2].comm, "sidecar,v2");
	/* swap the machine may lack: 262144 to 327680 pages, 262 to 327 a
	 * point; 777 leads either way (241250 / 273750 over 190375) */
	assert_int_equal(top_pid(inc), 777);
	pd_oomlog_free(log);
}

static void test_oomlog_6_8_dmesg_T_rss_parts_and_tie(void **state)
{
	struct pd_oomlog *log = parse_file("v6.8-global-dmesg-T.log");
	const struct pd_oomlog_incident *inc;

	(void)state;
	inc = pd_oomlog_incident(log, 0);
	assert_string_equal(inc->stamp, "Sat Nov 22 04:15:09 2025");
	assert_false(inc->has_uptime);
	assert_string_equal(inc->release, "6.8.0-31-generic");
	assert_string_equal(inc->gfp,
			    "0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)");
	assert_true(inc->tasks[0].has_rss_parts);
	assert_int_equal(inc->tasks[0].rss_anon, 296000);
	assert_int_equal(inc->tasks[0].rss_file, 4000);
	/* 4000 and 4100 tie at 300300 pages: the later row wins */
	assert_int_equal(top_pid(inc), 4100);
	pd_oomlog_free(log);
}

static void test_oomlog_adj_needs_the_scale(void **state)
{
	/* a memcg report cut before its "memory:" line: the adj of 101
	 * decides, and the scale is unknown */
	struct pd_oomlog *log = parse_text(
		"[ 1.000000] a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 1.000001] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 1.000002] [    100]     0   100     9000     5000        0        0             0 a\n"
		"[ 1.000003] [    101]     0   101     9000     1000        0        0           100 b\n"
		"[ 1.000004] Memory cgroup out of memory: Killed process 101 (b) total-vm:36000kB, anon-rss:4000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:100\n");
	const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, 0);
	size_t t;

	(void)state;
	assert_int_equal(inc->constraint, PD_OOMLOG_MEMCG);
	assert_int_equal(pd_oomlog_top(inc, 4096, &t), -ERANGE);
	pd_oomlog_free(log);
}

static void test_oomlog_ignores_other_lines_and_kmsg_dictionary(void **state)
{
	struct pd_oomlog *log = parse_text(
		"[    0.000000] Linux version 6.1.0\n"
		"6,1,2,-;usb 1-1: new device\n"
		" SUBSYSTEM=usb\n"
		"Nov 22 00:00:00 host kernel: Killed processes are not ours\n"
		"Killed process 42 (x) total-vm:4kB, anon-rss:4kB, file-rss:0kB\n");

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 1);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].pid, 42);
	assert_int_equal(pd_oomlog_incident(log, 0)->line, 5);
	pd_oomlog_free(log);
}

static void test_oomlog_comm_with_parenthesis(void **state)
{
	struct pd_oomlog *log = parse_text(
		"Out of memory: Killed process 7 (a) b) total-vm:8kB, anon-rss:4kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");

	(void)state;
	assert_string_equal(pd_oomlog_incident(log, 0)->kills[0].comm, "a) b");
	pd_oomlog_free(log);
}

static void test_oomlog_empty_text_has_no_incident(void **state)
{
	struct pd_oomlog *log = parse_text("");

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 0);
	pd_oomlog_free(log);
}

static void test_oomlog_kill_long_after_a_group_kill_is_a_new_incident(
	void **state)
{
	/* a group kill of 10 and 11 (10 printed twice), then 90 s later a
	 * kill whose header was rate-limited away */
	struct pd_oomlog *log = parse_text(
		"[ 5.000000] worker invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 5.000100] Memory cgroup out of memory: Killed process 10 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"[ 5.000200] Tasks in /g are going to be killed due to memory.oom.group set\n"
		"[ 5.000300] Memory cgroup out of memory: Killed process 10 (a) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"[ 5.000400] Memory cgroup out of memory: Killed process 11 (b) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n"
		"[ 95.000000] Memory cgroup out of memory: Killed process 12 (c) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0\n");

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 2);
	assert_int_equal(pd_oomlog_incident(log, 0)->nkills, 2);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[1].pid, 11);
	assert_int_equal(pd_oomlog_incident(log, 1)->nkills, 1);
	assert_int_equal(pd_oomlog_incident(log, 1)->kills[0].pid, 12);
	pd_oomlog_free(log);
}

/* The fixture's text, malloc'ed, in *ret_buf; returns its length. */
static size_t load_file(const char *name, char **ret_buf)
{
	char path[512], *buf;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", LOGS, name);
	f = fopen(path, "r");
	assert_non_null(f);
	buf = malloc(1 << 20);
	assert_non_null(buf);
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	*ret_buf = buf;
	return n;
}

static const char kill42[] =
	"Killed process 42 (x) total-vm:8kB, anon-rss:4096kB, file-rss:0kB\n";

static void test_oomlog_text_cut_anywhere_gives_the_same_incidents(
	void **state)
{
	static const size_t sizes[] = { 1, 2, 7, 64, 4096 };
	struct pd_oomlog *log;
	const struct pd_oomlog_incident *inc;
	size_t len, i, off, k;
	char *buf;

	(void)state;
	len = load_file("v6.1-memcg-kmsg.log", &buf);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(pd_oomlog_new(&log), 0);
		for (off = 0; off < len; off += k) {
			k = len - off < sizes[i] ? len - off : sizes[i];
			assert_int_equal(pd_oomlog_feed_text(log, buf + off, k),
					 0);
		}
		assert_int_equal(pd_oomlog_feed_end(log), 0);
		assert_int_equal(pd_oomlog_count(log), 1);
		inc = pd_oomlog_incident(log, 0);
		assert_string_equal(inc->oom_memcg,
				    "/system.slice/app.service");
		assert_int_equal(inc->nkills, 3);
		assert_string_equal(inc->kills[2].comm, "sidecar,v2");
		assert_int_equal(top_pid(inc), 777);
		assert_int_equal(pd_oomlog_cut_lines(log), 0);
		pd_oomlog_free(log);
	}
	free(buf);
}

static void test_oomlog_line_over_the_limit_is_cut_there_and_counted(
	void **state)
{
	/* cut right after "anon-rss:40": the kill is read as 40 kB */
	size_t at = (size_t)(strstr(kill42, "96kB") - kill42);
	struct pd_oomlog *log;

	(void)state;
	assert_int_equal(pd_oomlog_new(&log), 0);
	pd_oomlog_set_limits(log, at, 0);
	assert_int_equal(pd_oomlog_feed_text(log, kill42, 30), 0);
	assert_int_equal(pd_oomlog_feed_text(log, kill42 + 30,
					     strlen(kill42) - 30), 0);
	/* a line of exactly the limit is whole; the last has no newline */
	assert_int_equal(pd_oomlog_feed_text(log, kill42, at), 0);
	assert_int_equal(pd_oomlog_feed_text(log, "\nxx", 3), 0);
	assert_int_equal(pd_oomlog_feed_end(log), 0);
	assert_int_equal(pd_oomlog_count(log), 2);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].anon, 40 * 1024);
	assert_int_equal(pd_oomlog_incident(log, 1)->kills[0].anon, 40 * 1024);
	assert_int_equal(pd_oomlog_incident(log, 1)->line, 2);
	assert_int_equal(pd_oomlog_cut_lines(log), 1);
	pd_oomlog_free(log);
}

static void test_oomlog_nul_bytes_are_skipped_across_chunks(void **state)
{
	static const char nuls[100];
	struct pd_oomlog *log;

	(void)state;
	assert_int_equal(pd_oomlog_new(&log), 0);
	pd_oomlog_set_limits(log, 0, 1000);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 99), 0);
	assert_int_equal(pd_oomlog_feed_text(log, kill42, 20), 0);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 3), 0);
	assert_int_equal(pd_oomlog_feed_text(log, kill42 + 20,
					     strlen(kill42) - 20), 0);
	assert_int_equal(pd_oomlog_feed_end(log), 0);
	assert_int_equal(pd_oomlog_count(log), 1);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].pid, 42);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].anon,
			 4096 * 1024);
	assert_int_equal(pd_oomlog_incident(log, 0)->line, 1);
	pd_oomlog_free(log);
}

static void test_oomlog_nul_run_at_the_limit_is_not_a_log(void **state)
{
	static const char nuls[100];
	struct pd_oomlog *log;

	(void)state;
	assert_int_equal(pd_oomlog_new(&log), 0);
	pd_oomlog_set_limits(log, 0, 150);
	/* 149 in a row, then text: still a log */
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 100), 0);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 49), 0);
	assert_int_equal(pd_oomlog_feed_text(log, "\n", 1), 0);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 100), 0);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 50), -ENODATA);
	pd_oomlog_free(log);
	assert_int_equal(pd_oomlog_new(&log), 0);
	pd_oomlog_set_limits(log, 0, 100);
	assert_int_equal(pd_oomlog_feed_text(log, nuls, 100), -ENODATA);
	pd_oomlog_free(log);
}

/* A file with a hole of twice the NUL limit before the text: the hole is
 * skipped unread, never taken for a run of NUL bytes. */
static void test_oomlog_read_fd_skips_a_file_hole(void **state)
{
	const off_t hole = (off_t)2 << 30;
	struct pd_oomlog *log;
	int fd = memfd_create("holed.log", MFD_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, kill42, strlen(kill42), hole),
			 (ssize_t)strlen(kill42));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(pd_oomlog_new(&log), 0);
	assert_int_equal(pd_oomlog_read_fd(log, fd), 0);
	assert_int_equal(pd_oomlog_count(log), 1);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].pid, 42);
	pd_oomlog_free(log);
	close(fd);
}

/* A pipe is read to its end; its NUL bytes count. */
static void test_oomlog_read_fd_reads_a_pipe_to_its_end(void **state)
{
	static const char nuls[64];
	struct pd_oomlog *log;
	int p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], nuls, sizeof(nuls)), sizeof(nuls));
	assert_int_equal(write(p[1], kill42, strlen(kill42) - 1),
			 (ssize_t)strlen(kill42) - 1);
	close(p[1]);
	assert_int_equal(pd_oomlog_new(&log), 0);
	assert_int_equal(pd_oomlog_read_fd(log, p[0]), 0);
	assert_int_equal(pd_oomlog_count(log), 1);
	assert_int_equal(pd_oomlog_incident(log, 0)->kills[0].pid, 42);
	pd_oomlog_free(log);
	close(p[0]);

	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(write(p[1], nuls, sizeof(nuls)), sizeof(nuls));
	close(p[1]);
	assert_int_equal(pd_oomlog_new(&log), 0);
	pd_oomlog_set_limits(log, 0, 64);
	assert_int_equal(pd_oomlog_read_fd(log, p[0]), -ENODATA);
	pd_oomlog_free(log);
	close(p[0]);
}

/* ---- 6.18: one report in every line form ------------------------------ */

#define US 1000000LL
/* tests/fixtures/oomlog/proc/stat: btime */
#define BOOT (1796670507LL * US)
/* the two incidents: boot + 2462.050425 and + 2485.801059 */
#define T1 (BOOT + 2462050425LL)
#define T2 (BOOT + 2485801059LL)
/* the reader's "now": ten minutes later */
#define NOW (T2 + 600 * US)

static void with_clock(struct pd_oomlog *log)
{
	setenv("TZ", "UTC", 1);
	tzset();
	pd_oomlog_set_clock(log, NOW, BOOT);
}

enum precision { EXACT, SECOND, MINUTE, NONE };

static void check_6_18(const char *form, enum precision prec)
{
	static const pid_t victims[] = { 1479, 1519 };
	static const int adjs[] = { 300, 0 };
	static const size_t ntasks[] = { 4, 3 };
	const int64_t t[] = { T1, T2 };
	char name[128];
	struct pd_oomlog *log;
	size_t i, line;
	int64_t want;

	snprintf(name, sizeof(name), "v6.18-memcg-%s.log", form);
	log = feed_file(name, with_clock);
	if (pd_oomlog_count(log) != 2)
		fail_msg("%s: %zu incidents", form, pd_oomlog_count(log));
	if (pd_oomlog_unread(log, &line, NULL))
		fail_msg("%s: line %zu not read", form, line);
	for (i = 0; i < 2; i++) {
		const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, i);

		assert_true(inc->has_header);
		assert_string_equal(inc->invoker, "allocator");
		assert_int_equal(inc->invoker_pid, 1519);
		assert_string_equal(inc->release, "6.18.44-1-amd64");
		assert_int_equal(inc->constraint, PD_OOMLOG_MEMCG);
		assert_string_equal(inc->oom_memcg, "/batch");
		assert_int_equal(inc->limit, 209715200);
		assert_int_equal(inc->ntasks, ntasks[i]);
		assert_int_equal(inc->nkills, 1);
		assert_int_equal(inc->kills[0].pid, victims[i]);
		assert_int_equal(inc->kills[0].adj, adjs[i]);
		switch (prec) {
		case EXACT: want = t[i]; break;
		case SECOND: want = t[i] / US * US; break;
		/* reltime: the minute of the first, then the deltas */
		case MINUTE: want = T1 / US / 60 * 60 * US + (t[i] - T1); break;
		default: want = -1; break;
		}
		if (want < 0 && inc->has_time)
			fail_msg("%s: incident %zu has a time", form, i);
		if (want >= 0 && (!inc->has_time || inc->time_us != want))
			fail_msg("%s: incident %zu at %lld, wanted %lld", form,
				 i, inc->has_time ? (long long)inc->time_us : -1,
				 (long long)want);
	}
	pd_oomlog_free(log);
}

static void test_oomlog_6_18_every_line_form_reads_the_same(void **state)
{
	static const struct {
		const char *form;
		enum precision prec;
	} forms[] = {
		{ "dmesg", EXACT }, { "dmesg-T", SECOND },
		{ "dmesg-iso", EXACT }, { "dmesg-reltime", MINUTE },
		{ "dmesg-delta", NONE }, { "dmesg-d", EXACT },
		{ "dmesg-t", NONE }, { "dmesg-x", EXACT }, { "dmesg-r", EXACT },
		{ "journal-short", SECOND }, { "journal-short-precise", EXACT },
		{ "journal-short-iso", SECOND },
		{ "journal-short-iso-precise", EXACT },
		{ "journal-short-full", SECOND },
		{ "journal-short-unix", EXACT },
		{ "journal-short-monotonic", EXACT },
		{ "journal-short-delta", EXACT },
		{ "journal-with-unit", SECOND }, { "journal-cat", NONE },
		{ "journal-verbose", EXACT }, { "journal-export", EXACT },
		{ "journal-json", EXACT }, { "journal-json-pretty", EXACT },
		{ "journal-json-sse", EXACT }, { "journal-json-seq", EXACT },
		/* the wall clock of the line wins over the kernel's stamp */
		{ "syslog-rfc3164", SECOND }, { "syslog-precise", EXACT },
		{ "syslog-rfc5424", EXACT }, { "kmsg", EXACT },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		check_6_18(forms[i].form, forms[i].prec);
}

static void test_oomlog_uptime_without_boot_time_is_no_time(void **state)
{
	struct pd_oomlog *log = parse_file("v6.18-memcg-dmesg.log");

	(void)state;
	assert_true(pd_oomlog_incident(log, 0)->has_uptime);
	assert_false(pd_oomlog_incident(log, 0)->has_time);
	pd_oomlog_free(log);
}

static void clock_a_minute_after_boot(struct pd_oomlog *log)
{
	/* this boot is a minute old: 2462 s of uptime are another's */
	pd_oomlog_set_clock(log, BOOT + 60 * US, BOOT);
}

static void test_oomlog_uptime_past_now_is_another_boot(void **state)
{
	struct pd_oomlog *log = feed_file("v6.18-memcg-kmsg.log",
					  clock_a_minute_after_boot);

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 2);
	assert_false(pd_oomlog_incident(log, 0)->has_time);
	assert_false(pd_oomlog_incident(log, 1)->has_time);
	pd_oomlog_free(log);
}

static void test_oomlog_unknown_prefix_is_counted_not_read(void **state)
{
	static const char text[] =
		"2026/12/07 19:49:29 allocator invoked oom-killer: "
		"gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"2026/12/07 19:49:29 oom-kill:constraint=CONSTRAINT_MEMCG,"
		"nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/batch,"
		"task_memcg=/batch,task=worker,pid=1479,uid=0\n"
		"2026/12/07 19:49:29 Memory cgroup out of memory: Killed "
		"process 1479 (worker) total-vm:64600kB, anon-rss:61600kB, "
		"file-rss:984kB, shmem-rss:0kB, UID:0 pgtables:172kB "
		"oom_score_adj:300\n"
		"2026/12/07 19:49:30 an unrelated line\n";
	struct pd_oomlog *log = parse_text(text);
	const char *first;
	size_t line;

	(void)state;
	assert_int_equal(pd_oomlog_count(log), 0);
	assert_int_equal(pd_oomlog_unread(log, &line, &first), 3);
	assert_int_equal(line, 1);
	/* cut to 79 bytes */
	assert_string_equal(first, "2026/12/07 19:49:29 allocator invoked "
			    "oom-killer: gfp_mask=0xcc0(GFP_KERNEL), o");
	pd_oomlog_free(log);
}

/* The tops of the two incidents, or 0 where undecided. */
static void tops(struct pd_oomlog *log, pid_t *ret)
{
	size_t i, t;
	int r;

	assert_int_equal(pd_oomlog_count(log), 2);
	for (i = 0; i < 2; i++) {
		const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, i);

		r = pd_oomlog_top(inc, 4096, &t);
		if (r == 0)
			ret[i] = inc->tasks[t].pid;
		else if (r == -ERANGE)
			ret[i] = 0;
		else
			fail_msg("pd_oomlog_top: %d", r);
	}
}

static void no_swap_now(struct pd_oomlog *log)
{
	pd_oomlog_set_swap(log, 0);
}

static void test_oomlog_cgroup_top_needs_to_know_the_swap(void **state)
{
	struct pd_oomlog *log;
	pid_t t[2];

	(void)state;
	/* "memory+swap" unlimited and no "Total swap": +400 of 1475 is
	 * worth 51 pages a point without swap, millions with it */
	log = parse_file("v6.18-memcg-dmesg.log");
	tops(log, t);
	assert_int_equal(t[0], 0);
	assert_int_equal(t[1], 0);
	pd_oomlog_free(log);
	/* the log from its boot line on: no swap was ever turned on */
	log = parse_file("v6.18-memcg-dmesg-boot.log");
	tops(log, t);
	assert_int_equal(t[0], 1479);
	assert_int_equal(t[1], 1519);
	assert_true(pd_oomlog_incident(log, 0)->has_swap_max);
	assert_int_equal(pd_oomlog_incident(log, 0)->swap_max, 0);
	pd_oomlog_free(log);
	/* ... but here 2 GiB was */
	log = parse_file("v6.18-memcg-dmesg-swapon.log");
	tops(log, t);
	assert_int_equal(t[0], 0);
	assert_int_equal(t[1], 0);
	assert_int_equal(pd_oomlog_incident(log, 0)->swap_max,
			 2097148ULL * 1024);
	pd_oomlog_free(log);
	/* the machine's fact: the live ring buffer of a machine without
	 * swap */
	log = feed_file("v6.18-memcg-dmesg.log", no_swap_now);
	tops(log, t);
	assert_int_equal(t[0], 1479);
	assert_int_equal(t[1], 1519);
	pd_oomlog_free(log);
	/* which the log contradicts when it shows a swapon */
	log = feed_file("v6.18-memcg-dmesg-swapon.log", no_swap_now);
	tops(log, t);
	assert_int_equal(t[0], 0);
	assert_int_equal(t[1], 0);
	pd_oomlog_free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oomlog_3_10_dmesg_nr_ptes_and_root_bonus),
		cmocka_unit_test(test_oomlog_4_14_syslog_memcg_child_sacrificed),
		cmocka_unit_test(test_oomlog_5_4_journal_rate_limited_header),
		cmocka_unit_test(test_oomlog_6_1_kmsg_split_summary_and_group_kill),
		cmocka_unit_test(
			test_oomlog_kill_long_after_a_group_kill_is_a_new_incident),
		cmocka_unit_test(test_oomlog_6_8_dmesg_T_rss_parts_and_tie),
		cmocka_unit_test(test_oomlog_adj_needs_the_scale),
		cmocka_unit_test(test_oomlog_ignores_other_lines_and_kmsg_dictionary),
		cmocka_unit_test(test_oomlog_comm_with_parenthesis),
		cmocka_unit_test(test_oomlog_empty_text_has_no_incident),
		cmocka_unit_test(
			test_oomlog_text_cut_anywhere_gives_the_same_incidents),
		cmocka_unit_test(
			test_oomlog_line_over_the_limit_is_cut_there_and_counted),
		cmocka_unit_test(test_oomlog_nul_bytes_are_skipped_across_chunks),
		cmocka_unit_test(test_oomlog_nul_run_at_the_limit_is_not_a_log),
		cmocka_unit_test(test_oomlog_read_fd_skips_a_file_hole),
		cmocka_unit_test(test_oomlog_read_fd_reads_a_pipe_to_its_end),
		cmocka_unit_test(test_oomlog_6_18_every_line_form_reads_the_same),
		cmocka_unit_test(test_oomlog_uptime_without_boot_time_is_no_time),
		cmocka_unit_test(test_oomlog_uptime_past_now_is_another_boot),
		cmocka_unit_test(test_oomlog_unknown_prefix_is_counted_not_read),
		cmocka_unit_test(test_oomlog_cgroup_top_needs_to_know_the_swap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
