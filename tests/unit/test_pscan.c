/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/pscan on the pss fixture tree and the live /proc:
 * what is read, filters, grouping sums, unreadable causes, --diff files,
 * the meminfo reconciliation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pscan.h"

#define PSS PD_FIXTURES_DIR "/pss/proc"
#define KB(n) ((uint64_t)(n) * 1024)

/*
 * The oracle: what tests/fixtures/make-pss.sh wrote for the processes a
 * scan reads, in kB (pid 900 through its live thread 901).
 */
static const struct oracle {
	pid_t pid, ppid;
	const char *comm;
	uid_t uid;
	const char *unit;
	uint64_t rss, pss, uss, swap, pte, hugetlb;
} procs[] = {
	{ 1, 0, "systemd", 0, "init.scope", 4840, 3290, 3080, 200, 92, 0 },
	{ 100, 1, "sshd", 0, "ssh.service", 3200, 1700, 1200, 0, 60, 0 },
	{ 410, 1, "nginx", 0, "nginx.service", 7400, 3500, 2000, 0, 80, 0 },
	{ 411, 410, "nginx", 65534, "nginx.service", 10912, 7012, 5512, 1024, 100, 0 },
	{ 412, 410, "nginx", 65534, "nginx.service", 10912, 7012, 5512, 1024, 100, 0 },
	{ 500, 100, "bash", 4242, "session-3.scope", 3600, 2500, 2400, 300, 48, 0 },
	{ 501, 500, "python3", 4242, "app-job.service", 58468, 57368, 57268, 8000, 160, 2048 },
	{ 800, 1, "secretd", 0, "secretd.service", 2200, 1100, 1000, 0, 44, 0 },
	{ 900, 1, "java", 0, "java-app.service", 39200, 38100, 38000, 0, 120, 0 },
};

#define NPROCS (sizeof(procs) / sizeof(procs[0]))

struct scan {
	struct pd_procfs *pfs;
	struct pd_pscan *ps;
};

static struct scan run_scan(const char *root, const struct pd_pscan_opts *o)
{
	struct scan s;

	assert_int_equal(pd_procfs_new(root, &s.pfs), 0);
	assert_int_equal(pd_pscan_new(s.pfs, o, &s.ps), 0);
	assert_int_equal(pd_pscan_run(s.ps), 0);
	return s;
}

static void done(struct scan *s)
{
	pd_pscan_free(s->ps);
	pd_procfs_free(s->pfs);
}

static const struct oracle *oracle_of(pid_t pid)
{
	size_t i;

	for (i = 0; i < NPROCS; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	fail_msg("pid %d is not in the oracle", (int)pid);
	return NULL;
}

static const struct pd_pssgroup *group_of(const struct pd_pscan *ps,
					  pid_t first)
{
	size_t i;

	for (i = 0; i < pd_pscan_ngroups(ps); i++)
		if (pd_pscan_group(ps, i)->proc->pid == first)
			return pd_pscan_group(ps, i);
	fail_msg("no group led by pid %d", (int)first);
	return NULL;
}

static void test_pscan_reads_every_user_process_in_pid_order(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_STATUS_MEM };
	struct scan s = run_scan(PSS, &o);
	size_t i;

	(void)state;
	assert_int_equal(pd_pscan_nprocs(s.ps), NPROCS);
	for (i = 0; i < NPROCS; i++) {
		const struct pd_pssproc *p = pd_pscan_proc(s.ps, i);

		assert_int_equal(p->pid, procs[i].pid);
		assert_int_equal(p->ppid, procs[i].ppid);
		assert_string_equal(p->comm, procs[i].comm);
		assert_int_equal(p->sm.rss, KB(procs[i].rss));
		assert_int_equal(p->sm.pss, KB(procs[i].pss));
		assert_int_equal(pd_smaps_uss(&p->sm), KB(procs[i].uss));
		assert_int_equal(p->sm.swap, KB(procs[i].swap));
		assert_true(p->has_status_mem);
		assert_int_equal(p->pagetables, KB(procs[i].pte));
		assert_int_equal(p->hugetlb, KB(procs[i].hugetlb));
		/* not asked for */
		assert_null(p->cmdline);
		assert_null(p->cgroup);
		assert_null(p->exe);
		assert_null(p->user);
	}
	done(&s);
}

static void test_pscan_counts_kthreads_zombies_and_nomm_apart(void **state)
{
	struct pd_pscan_opts o = { 0 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pscan_stats *st = pd_pscan_stats(s.ps);

	(void)state;
	/* 13 pids: 9 read, kthreadd skipped, zombie 600, memhog 700 with
	 * no map, and 701 exiting: as good as gone */
	assert_int_equal(st->seen, 13);
	assert_int_equal(st->procs, 11);
	assert_int_equal(st->read, 9);
	assert_int_equal(st->kthreads, 1);
	assert_int_equal(st->vanished, 1);
	assert_int_equal(st->unread[PD_PSCAN_ZOMBIE].n, 1);
	assert_int_equal(st->unread[PD_PSCAN_ZOMBIE].rss, 0);
	assert_int_equal(st->unread[PD_PSCAN_ZOMBIE].rss_unknown, 0);
	assert_int_equal(st->unread[PD_PSCAN_NOMM].n, 1);
	assert_int_equal(st->unread[PD_PSCAN_NOMM].rss, KB(2048));
	assert_int_equal(st->unread[PD_PSCAN_DENIED].n, 0);
	assert_int_equal(st->unread[PD_PSCAN_FAILED].n, 0);
	/* the zombie holds nothing; only 700 may hide memory */
	assert_int_equal(pd_pscan_missing(s.ps), 1);
	done(&s);
}

static void test_pscan_zombie_leader_is_read_through_its_live_thread(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_CMDLINE | PD_PSCAN_EXE |
				   PD_PSCAN_CGROUP };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssproc *p = pd_pscan_proc(s.ps, NPROCS - 1);

	(void)state;
	assert_int_equal(p->pid, 900);
	assert_int_equal(p->sm.pss, KB(38100));
	/* the thread's view of cmdline and exe; the leader's cgroup */
	assert_string_equal(p->cmdline, "java -Xmx64m -jar app.jar");
	assert_string_equal(p->exe, "/usr/lib/jvm/java-17/bin/java");
	assert_string_equal(p->cgroup, "/system.slice/java-app.service");
	assert_string_equal(p->unit, "java-app.service");
	done(&s);
}

static void test_pscan_identical_processes_are_never_merged(void **state)
{
	struct pd_pscan_opts o = { 0 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssproc *a = pd_pscan_proc(s.ps, 3);
	const struct pd_pssproc *b = pd_pscan_proc(s.ps, 4);

	(void)state;
	assert_int_equal(a->pid, 411);
	assert_int_equal(b->pid, 412);
	assert_memory_equal(&a->sm, &b->sm, sizeof(a->sm));
	assert_int_equal(pd_pscan_ngroups(s.ps), NPROCS);
	assert_int_equal(group_of(s.ps, 412)->nprocs, 1);
	assert_int_equal(pd_pscan_total(s.ps)->sm.pss,
			 KB(3290 + 1700 + 3500 + 7012 + 7012 + 2500 + 57368 +
			    1100 + 38100));
	done(&s);
}

/* Every group's sums are those of its members, as the oracle has them. */
static void assert_groups_sum_members(const struct pd_pscan *ps,
				      bool (*same)(const struct oracle *,
						   const struct oracle *))
{
	size_t i, j, n = 0;

	for (i = 0; i < pd_pscan_ngroups(ps); i++) {
		const struct pd_pssgroup *g = pd_pscan_group(ps, i);
		const struct oracle *first = oracle_of(g->proc->pid);
		uint64_t rss = 0, pss = 0, uss = 0, swap = 0;
		size_t members = 0;

		for (j = 0; j < NPROCS; j++) {
			if (!same(first, &procs[j]))
				continue;
			/* the first member is the lowest pid */
			assert_true(procs[j].pid >= first->pid);
			members++;
			rss += procs[j].rss;
			pss += procs[j].pss;
			uss += procs[j].uss;
			swap += procs[j].swap;
		}
		assert_int_equal(g->nprocs, members);
		assert_int_equal(g->sm.rss, KB(rss));
		assert_int_equal(g->sm.pss, KB(pss));
		assert_int_equal(pd_smaps_uss(&g->sm), KB(uss));
		assert_int_equal(g->sm.swap, KB(swap));
		n += members;
		/* groups come in the order of their first pid */
		if (i)
			assert_true(pd_pscan_group(ps, i - 1)->proc->pid <
				    g->proc->pid);
	}
	assert_int_equal(n, NPROCS);
}

static bool same_comm(const struct oracle *a, const struct oracle *b)
{
	return !strcmp(a->comm, b->comm);
}

static bool same_user_comm(const struct oracle *a, const struct oracle *b)
{
	return a->uid == b->uid && !strcmp(a->comm, b->comm);
}

static bool same_unit(const struct oracle *a, const struct oracle *b)
{
	return !strcmp(a->unit, b->unit);
}

static bool same_ppid(const struct oracle *a, const struct oracle *b)
{
	return a->ppid == b->ppid;
}

static bool same_user(const struct oracle *a, const struct oracle *b)
{
	return a->uid == b->uid;
}

static void test_pscan_group_by_command(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_COMMAND;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgroup *g;

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 7);
	assert_groups_sum_members(s.ps, same_comm);
	/* by hand: the master and both workers */
	g = group_of(s.ps, 410);
	assert_string_equal(g->proc->comm, "nginx");
	assert_int_equal(g->nprocs, 3);
	assert_int_equal(g->sm.pss, KB(3500 + 7012 + 7012));
	assert_int_equal(g->sm.rss, KB(7400 + 10912 + 10912));
	assert_int_equal(g->sm.swap, KB(2048));
	assert_int_equal(g->sm.pss_shmem, KB(3000));
	done(&s);
}

static void test_pscan_group_by_user_and_command(void **state)
{
	static const enum pd_pss_key keys[] = {
		PD_PSS_KEY_USER, PD_PSS_KEY_COMMAND,
	};
	struct pd_pscan_opts o = { .keys = keys, .nkeys = 2 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgroup *g;

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 8);
	assert_groups_sum_members(s.ps, same_user_comm);
	g = group_of(s.ps, 411);
	assert_string_equal(g->proc->user, "nobody");
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->sm.pss, KB(2 * 7012));
	assert_int_equal(group_of(s.ps, 410)->nprocs, 1);
	/* no name in the user database: the number */
	assert_string_equal(group_of(s.ps, 500)->proc->user, "4242");
	done(&s);
}

static void test_pscan_group_by_user(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_USER;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 3);
	assert_groups_sum_members(s.ps, same_user);
	assert_int_equal(group_of(s.ps, 1)->sm.pss,
			 KB(3290 + 1700 + 3500 + 1100 + 38100));
	done(&s);
}

static void test_pscan_group_by_unit_v1_and_v2(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_UNIT;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 7);
	assert_groups_sum_members(s.ps, same_unit);
	/* cgroup v1 (memory controller) and a user unit inside user@.service */
	assert_string_equal(group_of(s.ps, 500)->proc->unit, "session-3.scope");
	assert_string_equal(group_of(s.ps, 501)->proc->unit, "app-job.service");
	assert_int_equal(group_of(s.ps, 410)->nprocs, 3);
	done(&s);
}

static void test_pscan_group_by_ppid(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_PPID;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);

	(void)state;
	assert_groups_sum_members(s.ps, same_ppid);
	/* children of 1 that were read: 100, 410, 800, 900 */
	assert_int_equal(group_of(s.ps, 100)->nprocs, 4);
	assert_int_equal(group_of(s.ps, 411)->nprocs, 2);
	done(&s);
}

static void test_pscan_group_by_exe_keeps_deleted(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_EXE;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);
	char buf[16];

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 7);
	assert_string_equal(group_of(s.ps, 501)->proc->exe,
			    "/opt/job/bin/python3 (deleted)");
	assert_int_equal(group_of(s.ps, 410)->nprocs, 3);
	assert_string_equal(pd_pssproc_key(group_of(s.ps, 501)->proc,
					   PD_PSS_KEY_EXE, buf, sizeof(buf)),
			    "/opt/job/bin/python3 (deleted)");
	assert_string_equal(pd_pssproc_key(group_of(s.ps, 501)->proc,
					   PD_PSS_KEY_PID, buf, sizeof(buf)),
			    "501");
	assert_null(pd_pssproc_key(group_of(s.ps, 501)->proc,
				   PD_PSS_KEY_UNIT, buf, sizeof(buf)));
	done(&s);
}

/* A scan with filter F reads the pids WANT ("1,2,3") of NPROCS that
 * passed it. */
static void assert_filter_reads(const struct pd_pscan_filter *f,
				const char *want, unsigned nprocs)
{
	struct pd_pscan_opts o = { .filter = *f };
	struct scan s = run_scan(PSS, &o);
	char got[256] = "", num[16];
	size_t i;

	for (i = 0; i < pd_pscan_nprocs(s.ps); i++) {
		snprintf(num, sizeof(num), "%s%d", i ? "," : "",
			 (int)pd_pscan_proc(s.ps, i)->pid);
		strcat(got, num);
	}
	assert_string_equal(got, want);
	assert_int_equal(pd_pscan_stats(s.ps)->procs, nprocs);
	done(&s);
}

static void test_pscan_filters(void **state)
{
	static const pid_t pids[] = { 411, 2, 600, 4000 };
	static const uid_t nobody[] = { 65534 };
	static const uid_t root[] = { 0 };
	static const char *const comms[] = { "nginx", "bash" };
	static const char *const nginx[] = { "nginx" };
	struct pd_pscan_filter f;
	regex_t re;

	(void)state;
	/* the kernel thread is skipped, the zombie counted (not read) */
	f = (struct pd_pscan_filter){ .pids = pids, .npids = 4 };
	assert_filter_reads(&f, "411", 2);
	f = (struct pd_pscan_filter){ .uids = nobody, .nuids = 1 };
	assert_filter_reads(&f, "411,412", 2);
	f = (struct pd_pscan_filter){ .comms = comms, .ncomms = 2 };
	assert_filter_reads(&f, "410,411,412,500", 4);
	/* AND */
	f = (struct pd_pscan_filter){ .uids = root, .nuids = 1,
				      .comms = nginx, .ncomms = 1 };
	assert_filter_reads(&f, "410", 1);
	f = (struct pd_pscan_filter){ .cgroup = "/system.slice" };
	assert_filter_reads(&f, "100,410,411,412,800,900", 7);
	f = (struct pd_pscan_filter){ .cgroup = "/system.slice/nginx.service/" };
	assert_filter_reads(&f, "410,411,412", 3);
	/* a prefix of a name is not a parent */
	f = (struct pd_pscan_filter){ .cgroup = "/system" };
	assert_filter_reads(&f, "", 0);
	f = (struct pd_pscan_filter){ .cgroup = "/" };
	assert_filter_reads(&f, "1,100,410,411,412,500,501,800,900", 11);

	assert_int_equal(regcomp(&re, "worker|^-bash", REG_EXTENDED | REG_NOSUB), 0);
	f = (struct pd_pscan_filter){ .full = &re };
	assert_filter_reads(&f, "411,412,500", 3);
	regfree(&re);
	/* an empty command line (the zombie's) is matched by its comm */
	assert_int_equal(regcomp(&re, "^job-runner$", REG_EXTENDED | REG_NOSUB), 0);
	f = (struct pd_pscan_filter){ .full = &re };
	assert_filter_reads(&f, "", 1);
	regfree(&re);
	/* the tab inside an argument is there to match */
	assert_int_equal(regcomp(&re, "job\tnightly", REG_EXTENDED | REG_NOSUB), 0);
	f = (struct pd_pscan_filter){ .full = &re };
	assert_filter_reads(&f, "501", 1);
	regfree(&re);
}

static void test_pscan_threads_do_not_change_results(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_COMMAND;
	struct pd_pscan_opts o1 = { .keys = &key, .nkeys = 1,
				    .want = PD_PSCAN_CMDLINE };
	struct pd_pscan_opts o4 = o1;
	struct scan a, b;
	size_t i;

	(void)state;
	o4.jobs = 4;
	a = run_scan(PSS, &o1);
	b = run_scan(PSS, &o4);
	assert_int_equal(pd_pscan_nprocs(a.ps), pd_pscan_nprocs(b.ps));
	for (i = 0; i < pd_pscan_nprocs(a.ps); i++) {
		assert_int_equal(pd_pscan_proc(a.ps, i)->pid,
				 pd_pscan_proc(b.ps, i)->pid);
		assert_string_equal(pd_pscan_proc(a.ps, i)->cmdline,
				    pd_pscan_proc(b.ps, i)->cmdline);
	}
	assert_int_equal(pd_pscan_ngroups(a.ps), pd_pscan_ngroups(b.ps));
	for (i = 0; i < pd_pscan_ngroups(a.ps); i++)
		assert_memory_equal(&pd_pscan_group(a.ps, i)->sm,
				    &pd_pscan_group(b.ps, i)->sm,
				    sizeof(struct pd_smaps));
	assert_memory_equal(pd_pscan_stats(a.ps), pd_pscan_stats(b.ps),
			    sizeof(struct pd_pscan_stats));
	done(&a);
	done(&b);
}

static const struct pd_pssmap *map_named(const struct pd_pscan *ps,
					 const char *name)
{
	size_t i;

	for (i = 0; i < pd_pscan_nmaps(ps); i++) {
		const struct pd_pssmap *m = pd_pscan_map(ps, i);

		if (m->name_len == strlen(name) &&
		    !memcmp(m->name, name, m->name_len))
			return m;
	}
	fail_msg("no mapping %s", name);
	return NULL;
}

static void test_pscan_by_mapping(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_MAPPINGS };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssmap *m;
	const struct pd_pssgroup *t = pd_pscan_total(s.ps);

	(void)state;
	assert_int_equal(pd_pscan_nprocs(s.ps), NPROCS);
	assert_int_equal(pd_pscan_nmaps(s.ps), 12);
	/* first seen first: systemd's text */
	assert_string_equal(pd_pscan_map(s.ps, 0)->name,
			    "/usr/lib/systemd/systemd");
	m = map_named(s.ps, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(m->nprocs, 9);
	assert_int_equal(m->sm.rss, KB(9 * 1200));
	assert_int_equal(m->sm.pss, KB(9 * 100));
	m = map_named(s.ps, "[heap]");
	assert_int_equal(m->nprocs, 9);
	assert_int_equal(m->sm.rss, KB(3000 + 1200 + 2000 + 5000 + 5000 +
				       1500 + 40000 + 1000 + 30000));
	assert_int_equal(m->sm.swap, KB(200 + 300 + 8000));
	/* anonymous mappings without a name: two workers and python3 */
	m = map_named(s.ps, "[anon]");
	assert_int_equal(m->nprocs, 3);
	assert_int_equal(m->sm.rss, KB(512 + 512 + 10240));
	assert_int_equal(map_named(s.ps, "[stack]")->nprocs, 2);
	assert_int_equal(map_named(s.ps, "/dev/zero (deleted)")->sm.pss,
			 KB(3000));
	/* the mappings add up to the rollups */
	assert_int_equal(t->sm.rss, KB(140732));
	assert_int_equal(t->sm.pss, KB(121582));
	assert_int_equal(pd_smaps_uss(&t->sm), KB(115972));
	done(&s);
}

/* numa_maps of make-pss.sh: pages on node 0 and node 1 (README.md). */
static const struct {
	pid_t pid;
	uint64_t n0, n1;
} numa_pages[] = {
	{ 1, 1210, 0 }, { 100, 800, 0 }, { 410, 925, 925 },
	{ 411, 1364, 1364 }, { 412, 1364, 1364 }, { 500, 900, 0 },
	{ 501, 10963, 3654 }, { 800, 550, 0 }, { 900, 0, 9800 },
};

static void test_pscan_numa_bytes_per_node(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_NUMA };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgroup *t = pd_pscan_total(s.ps);
	uint64_t n0 = 0, n1 = 0;
	size_t i;

	(void)state;
	assert_int_equal(pd_pscan_nprocs(s.ps), NPROCS);
	assert_int_equal(pd_pscan_nr_nodes(s.ps), 2);
	for (i = 0; i < NPROCS; i++) {
		const struct pd_pssproc *p = pd_pscan_proc(s.ps, i);

		assert_int_equal(p->pid, numa_pages[i].pid);
		assert_non_null(p->numa);
		assert_int_equal(p->numa[0], numa_pages[i].n0 * 4096);
		assert_int_equal(p->numa[1], numa_pages[i].n1 * 4096);
		n0 += numa_pages[i].n0;
		n1 += numa_pages[i].n1;
	}
	/* 900 through its live thread 901 */
	assert_int_equal(pd_pscan_proc(s.ps, 8)->numa[1], 9800 * 4096);
	assert_int_equal(t->numa[0], n0 * 4096);
	assert_int_equal(t->numa[1], n1 * 4096);
	/* pages mapped, as RSS: here each mapping's RSS rounded down to
	 * whole pages (the stack's 132 kB is 33 pages) */
	assert_int_equal(t->numa[0] + t->numa[1], KB(140732));
	done(&s);
}

static void test_pscan_numa_per_group(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_COMMAND;
	struct pd_pscan_opts o = { .want = PD_PSCAN_NUMA, .keys = &key,
				   .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgroup *g;

	(void)state;
	g = group_of(s.ps, 410);
	assert_int_equal(g->nprocs, 3);
	assert_int_equal(g->numa[0], (925 + 1364 + 1364) * 4096);
	assert_int_equal(g->numa[1], (925 + 1364 + 1364) * 4096);
	g = group_of(s.ps, 900);
	assert_int_equal(g->numa[0], 0);
	assert_int_equal(g->numa[1], 9800 * 4096);
	done(&s);
}

static void test_pscan_numa_per_mapping(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_MAPPINGS | PD_PSCAN_NUMA };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgroup *t = pd_pscan_total(s.ps);
	const struct pd_pssmap *m;
	uint64_t n0 = 0, n1 = 0;
	size_t i;

	(void)state;
	assert_int_equal(pd_pscan_nr_nodes(s.ps), 2);
	/* libc: 300 pages in each of 9 processes; nginx's halves, 501's
	 * quarter (75), java's all on node 1 */
	m = map_named(s.ps, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(m->numa[0], (300 * 4 + 150 * 3 + 225) * 4096);
	assert_int_equal(m->numa[1], (150 * 3 + 75 + 300) * 4096);
	/* the heaps */
	m = map_named(s.ps, "[heap]");
	assert_int_equal(m->numa[0] + m->numa[1], KB(3000 + 1200 + 2000 +
		5000 + 5000 + 1500 + 40000 + 1000 + 30000));
	assert_int_equal(m->numa[1], (250 + 625 + 625 + 2500 + 7500) * 4096);
	/* an escaped name in numa_maps, found by its start address */
	m = map_named(s.ps, "/memfd:arena (deleted)");
	assert_int_equal(m->numa[0], 768 * 4096);
	assert_int_equal(m->numa[1], 256 * 4096);
	/* the mappings add up to the processes */
	for (i = 0; i < pd_pscan_nmaps(s.ps); i++) {
		n0 += pd_pscan_map(s.ps, i)->numa[0];
		n1 += pd_pscan_map(s.ps, i)->numa[1];
	}
	assert_int_equal(n0, t->numa[0]);
	assert_int_equal(n1, t->numa[1]);
	done(&s);
}

static void test_pscan_without_numa_has_no_arrays(void **state)
{
	struct pd_pscan_opts o = { 0 };
	struct scan s = run_scan(PSS, &o);

	(void)state;
	assert_null(pd_pscan_proc(s.ps, 0)->numa);
	assert_null(pd_pscan_total(s.ps)->numa);
	assert_int_equal(pd_pscan_nr_nodes(s.ps), 0);
	done(&s);
}

/* The pss tree copied to a temporary directory that others can enter. */
/* The ctr/pss tree, its containers named from the cgname fixture's
 * runtime files; the PSS of each process as its rollup says. */
#define CTR PD_FIXTURES_DIR "/ctr/pss/proc"
#define CTR_STATE PD_FIXTURES_DIR "/cgname"

static const char *key_text(const struct pd_pssgroup *g, enum pd_pss_key key)
{
	static char buf[PD_CGNAME_TEXT_SIZE];

	return pd_pssproc_key(g->proc, key, buf, sizeof(buf));
}

static void assert_key_text(const struct pd_pssgroup *g, enum pd_pss_key key,
			    const char *want)
{
	const char *got = key_text(g, key);

	if (want)
		assert_string_equal(got, want);
	else
		assert_null(got);
}

static void test_pscan_group_by_container_is_runtime_id_and_role(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_CONTAINER;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct pd_cgname_ctx *ctx;
	const struct pd_pssgroup *g;
	struct scan s;

	(void)state;
	assert_int_equal(pd_cgname_new(CTR_STATE, 0, &ctx), 0);
	o.names = ctx;
	s = run_scan(CTR, &o);
	assert_int_equal(pd_pscan_ngroups(s.ps), 7);
	/* 410 and 411: one Docker container, one row */
	g = group_of(s.ps, 410);
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->sm.pss, 3584000 + 7180288);
	assert_key_text(g, key, "docker:web");
	/* Docker in a pod (dockershim) */
	g = group_of(s.ps, 412);
	assert_int_equal(g->nprocs, 1);
	assert_key_text(g, key, "docker:nginx");
	/* one pod, two containers: the payload and the sandbox apart */
	g = group_of(s.ps, 501);
	assert_int_equal(g->nprocs, 1);
	assert_key_text(g, key, "containerd:api");
	g = group_of(s.ps, 900);
	assert_int_equal(g->nprocs, 1);
	assert_int_equal(g->sm.pss, 39014400);
	assert_key_text(g, key, "containerd:f0c28c2942ea (sandbox)");
	/* the monitor is not its container */
	g = group_of(s.ps, 500);
	assert_int_equal(g->nprocs, 1);
	assert_key_text(g, key, "podman:db (monitor)");
	g = group_of(s.ps, 800);
	assert_key_text(g, key, "cri-o:auth");
	/* init.scope and ssh.service: in no container, one row */
	g = group_of(s.ps, 1);
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->sm.pss, 3368960 + 1740800);
	assert_key_text(g, key, NULL);
	done(&s);
	pd_cgname_free(ctx);
}

static void test_pscan_group_by_pod_is_its_uid(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_POD;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct pd_cgname_ctx *ctx;
	const struct pd_pssgroup *g;
	struct scan s;

	(void)state;
	assert_int_equal(pd_cgname_new(CTR_STATE, 0, &ctx), 0);
	o.names = ctx;
	s = run_scan(CTR, &o);
	assert_int_equal(pd_pscan_ngroups(s.ps), 4);
	/* the payload and the sandbox of one pod */
	g = group_of(s.ps, 501);
	assert_int_equal(g->nprocs, 2);
	assert_int_equal(g->sm.pss, 58744832 + 39014400);
	assert_key_text(g, key, "shop/api-7d9f8b6c5-x2x7q");
	g = group_of(s.ps, 412);
	assert_int_equal(g->nprocs, 1);
	assert_key_text(g, key, "shop/web-0");
	g = group_of(s.ps, 800);
	assert_key_text(g, key, "login/auth-0");
	/* in no pod: 1, 100, Docker's web (410, 411) and podman's monitor */
	g = group_of(s.ps, 1);
	assert_int_equal(g->nprocs, 5);
	assert_int_equal(g->sm.pss,
			 3368960 + 1740800 + 3584000 + 7180288 + 2560000);
	assert_key_text(g, key, NULL);
	done(&s);
	pd_cgname_free(ctx);
}

/* From the paths alone: the short ids and the pods' uids. */
static void test_pscan_group_by_container_from_paths_alone(void **state)
{
	static const enum pd_pss_key keys[] = { PD_PSS_KEY_POD,
						PD_PSS_KEY_CONTAINER };
	struct pd_pscan_opts o = { .keys = keys, .nkeys = 2 };
	struct pd_cgname_ctx *ctx;
	const struct pd_pssgroup *g;
	struct scan s;

	(void)state;
	assert_int_equal(pd_cgname_new(NULL, PD_CGNAME_PATH_ONLY, &ctx), 0);
	o.names = ctx;
	s = run_scan(CTR, &o);
	assert_int_equal(pd_pscan_ngroups(s.ps), 7);
	g = group_of(s.ps, 501);
	assert_key_text(g, PD_PSS_KEY_CONTAINER, "containerd:a1153a1970ea");
	assert_key_text(g, PD_PSS_KEY_POD,
			"fdbcccad-ad87-5547-ae34-ffcb590943d4");
	g = group_of(s.ps, 410);
	assert_int_equal(g->nprocs, 2);
	assert_key_text(g, PD_PSS_KEY_CONTAINER, "docker:f31f384749f9");
	assert_key_text(g, PD_PSS_KEY_POD, NULL);
	done(&s);
	pd_cgname_free(ctx);
}

/* No naming context: no process is in a container or pod. */
static void test_pscan_group_by_container_without_names_is_one_group(
	void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_CONTAINER;
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(CTR, &o);
	const struct pd_pssgroup *g;

	(void)state;
	assert_int_equal(pd_pscan_ngroups(s.ps), 1);
	g = group_of(s.ps, 1);
	assert_int_equal(g->nprocs, 9);
	assert_key_text(g, key, NULL);
	done(&s);
}

static void copy_tree(char *dir)
{
	char cmd[512];

	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s/proc'", PSS, dir);
	assert_int_equal(system(cmd), 0);
}

static void remove_tree(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* What a scan of ROOT says about denial, as an unprivileged user. */
struct denied {
	unsigned procs, read, n;
	uint64_t rss;
	int err;
};

static struct denied scan_denied(const char *root)
{
	struct pd_pscan_opts o = { 0 };
	struct pd_procfs *pfs = NULL;
	struct pd_pscan *ps = NULL;
	struct denied d = { 0 };

	d.err = pd_procfs_new(root, &pfs);
	if (!d.err)
		d.err = pd_pscan_new(pfs, &o, &ps);
	if (!d.err)
		d.err = pd_pscan_run(ps);
	if (!d.err) {
		const struct pd_pscan_stats *st = pd_pscan_stats(ps);

		d.procs = st->procs;
		d.read = st->read;
		d.n = st->unread[PD_PSCAN_DENIED].n;
		d.rss = st->unread[PD_PSCAN_DENIED].rss;
	}
	pd_pscan_free(ps);
	pd_procfs_free(pfs);
	return d;
}

static void test_pscan_counts_denied_with_their_vmrss(void **state)
{
	char dir[] = "/tmp/pd-pscan-XXXXXX", root[64], path[96];
	struct denied d;
	int pipefd[2], status;
	pid_t child;

	(void)state;
	copy_tree(dir);
	snprintf(root, sizeof(root), "%s/proc", dir);
	snprintf(path, sizeof(path), "%s/800/smaps_rollup", root);
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		d = scan_denied(root);
	} else {
		/* root reads a mode-0 file: scan as nobody in a child */
		assert_int_equal(pipe(pipefd), 0);
		child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			close(pipefd[0]);
			if (setgroups(0, NULL) || setgid(65534) ||
			    setuid(65534))
				_exit(3);
			d = scan_denied(root);
			_exit(write(pipefd[1], &d, sizeof(d)) == sizeof(d) ?
			      0 : 4);
		}
		close(pipefd[1]);
		assert_int_equal(read(pipefd[0], &d, sizeof(d)), sizeof(d));
		close(pipefd[0]);
		assert_int_equal(waitpid(child, &status, 0), child);
		assert_int_equal(status, 0);
	}
	remove_tree(dir);
	assert_int_equal(d.err, 0);
	assert_int_equal(d.procs, 11);
	assert_int_equal(d.read, 8);
	assert_int_equal(d.n, 1);
	/* secretd's VmRSS: status is world-readable */
	assert_int_equal(d.rss, KB(2200));
}

static void test_pscan_exclude_self_only_on_live_proc(void **state)
{
	pid_t self = getpid(), one = 1;
	struct pd_pscan_opts o = { .exclude_self = true,
				   .filter = { .pids = &self, .npids = 1 } };
	struct scan s;

	(void)state;
	s = run_scan(NULL, &o);
	assert_int_equal(pd_pscan_nprocs(s.ps), 0);
	assert_int_equal(pd_pscan_stats(s.ps)->procs, 0);
	done(&s);
	o.exclude_self = false;
	s = run_scan(NULL, &o);
	assert_int_equal(pd_pscan_nprocs(s.ps), 1);
	assert_int_equal(pd_pscan_proc(s.ps, 0)->pid, self);
	done(&s);
	/* a captured tree's pid 1 is not us */
	o.exclude_self = true;
	o.filter.pids = &one;
	s = run_scan(PSS, &o);
	assert_int_equal(pd_pscan_nprocs(s.ps), 1);
	done(&s);
}

/* A scan of the live /proc sees a sleeping process as its rollup says. */
static void test_pscan_live_process_equals_its_rollup(void **state)
{
	struct pd_pscan_opts o = { .want = PD_PSCAN_CMDLINE |
				   PD_PSCAN_UID };
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct pd_smaps sm;
	char path[32], *buf;
	size_t len;
	bool same = false;
	pid_t child;
	int tries, fd, status;

	(void)state;
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		execl("/bin/sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	/* until the exec is done */
	snprintf(path, sizeof(path), "/proc/%d", (int)child);
	for (tries = 0; tries < 250; tries++) {
		fd = open(path, O_RDONLY | O_DIRECTORY);
		buf = NULL;
		if (fd >= 0 && pd_read_at(fd, "cmdline", 4096, &buf, &len) == 0 &&
		    len == 9 && !memcmp(buf, "sleep\0" "60", 9))
			tries = 1000;
		free(buf);
		if (fd >= 0)
			close(fd);
		nanosleep(&ts, NULL);
	}
	o.filter.pids = &child;
	o.filter.npids = 1;
	/* libc's PSS moves when other processes come and go: retry */
	for (tries = 0; tries < 5 && !same; tries++) {
		struct scan s = run_scan(NULL, &o);

		assert_int_equal(pd_pscan_nprocs(s.ps), 1);
		assert_string_equal(pd_pscan_proc(s.ps, 0)->cmdline, "sleep 60");
		assert_int_equal(pd_pscan_proc(s.ps, 0)->uid, geteuid());
		fd = open(path, O_RDONLY | O_DIRECTORY);
		assert_true(fd >= 0);
		assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), 0);
		close(fd);
		same = !memcmp(&pd_pscan_proc(s.ps, 0)->sm, &sm, sizeof(sm));
		done(&s);
	}
	kill(child, SIGKILL);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(same);
}

static const struct pd_memline *line_named(const struct pd_memline *l,
					   size_t n, const char *item)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(l[i].item, item))
			return &l[i];
	fail_msg("no line %s", item);
	return NULL;
}

static void test_pscan_reconcile_with_meminfo(void **state)
{
	struct pd_memline lines[PD_MEMLINES_MAX];
	struct pd_pscan_opts o = { 0 };
	struct scan s = run_scan(PSS, &o);
	struct pd_meminfo *mi;
	size_t n;

	(void)state;
	assert_int_equal(pd_meminfo_read(s.pfs, &mi), 0);
	n = pd_pscan_reconcile(s.ps, mi, lines);
	assert_true(n <= PD_MEMLINES_MAX);
	assert_int_equal(line_named(lines, n, "pss (all processes)")->size,
			 KB(121582));
	/* the zombie holds nothing: only the no-map process is missing */
	assert_string_equal(line_named(lines, n, "pss (all processes)")->note,
			    "PSS summed over 9 processes; 1 more could not be read");
	/* the Pss_Anon lines of the rollups */
	assert_int_equal(line_named(lines, n, "pss_anon")->size,
			 KB(3040 + 1200 + 2000 + 5512 + 5512 + 1500 + 50372 +
			    1000 + 30000));
	assert_int_equal(line_named(lines, n, "AnonPages+Mapped")->size,
			 KB(102400 + 24576));
	assert_int_equal(line_named(lines, n, "AnonPages+Mapped-pss")->size,
			 KB(102400 + 24576 - 121582));
	assert_int_equal(line_named(lines, n, "swap_pss")->size, KB(10548));
	assert_int_equal(line_named(lines, n, "SwapTotal-SwapFree")->size,
			 KB(2097148 - 2085148));
	assert_int_equal(line_named(lines, n, "Buffers+Cached-Mapped")->size,
			 KB(102400 + 1468004 - 24576));
	assert_int_equal(line_named(lines, n, "MemTotal-MemAvailable")->size,
			 KB(8024316 - 7100000));
	assert_int_equal(line_named(lines, n, "Hugetlb")->size, KB(16384));
	/* MemTotal - MemFree - every counter listed, by hand */
	assert_int_equal(line_named(lines, n, "other kernel")->size,
			 KB(40312));
	assert_true(line_named(lines, n, "SecPageTables")->known);
	pd_meminfo_free(mi);
	done(&s);
}

static void test_pscan_reconcile_without_fields_says_unknown(void **state)
{
	static const char old[] = "MemTotal: 1000 kB\nMemFree: 500 kB\n"
				  "HugePages_Total: 2\nHugepagesize: 2048 kB\n";
	static const pid_t none = 99999;
	struct pd_memline lines[PD_MEMLINES_MAX];
	struct pd_pscan_opts o = { .filter = { .pids = &none, .npids = 1 } };
	struct scan s = run_scan(PSS, &o);
	struct pd_meminfo *mi;
	size_t n;

	(void)state;
	assert_int_equal(pd_meminfo_parse(old, strlen(old), &mi), 0);
	n = pd_pscan_reconcile(s.ps, mi, lines);
	assert_false(line_named(lines, n, "AnonPages")->known);
	assert_false(line_named(lines, n, "Percpu")->known);
	/* before 5.16: the default-size pool */
	assert_true(line_named(lines, n, "Hugetlb")->known);
	assert_int_equal(line_named(lines, n, "Hugetlb")->size, KB(4096));
	assert_int_equal(line_named(lines, n, "pss (selected processes)")->size, 0);
	pd_meminfo_free(mi);
	done(&s);
}

static void test_tsv_unescape(void **state)
{
	char s[] = "a\\tb\\x41\\\\c\\n\\r", bad1[] = "x\\q", bad2[] = "x\\x4",
	     bad3[] = "x\\";
	size_t n = 0;

	(void)state;
	assert_int_equal(pd_tsv_unescape(s, strlen(s), &n), 0);
	assert_int_equal(n, 8);
	assert_memory_equal(s, "a\tbA\\c\n\r", 8);
	assert_int_equal(pd_tsv_unescape(bad1, strlen(bad1), &n), -EINVAL);
	assert_int_equal(pd_tsv_unescape(bad2, strlen(bad2), &n), -EINVAL);
	assert_int_equal(pd_tsv_unescape(bad3, strlen(bad3), &n), -EINVAL);
}

static void test_pssbase_parse_and_find(void **state)
{
	static const char text[] =
		"USER\tCOMMAND\tPROCS\tPSS\tRSS\tSWAP\n"
		"root\tnginx\t1\t3584000\t7577600\t0\n"
		"www-data\tnginx\t2\t14360576\t22347776\t\n"
		"4242\tmy\\tjob\t1\t100\t200\t0\n"
		"\tkthread\t1\t0\t0\t0\n";
	static const char *const keys[] = { "USER", "COMMAND" };
	const char *want[2];
	struct pd_pssbase *b;
	const struct pd_pssbase_row *r;
	size_t bad = 0, idx = 99;

	(void)state;
	assert_int_equal(pd_pssbase_parse(text, strlen(text), keys, 2, &b,
					  &bad), 0);
	assert_int_equal(pd_pssbase_nrows(b), 4);
	want[0] = "www-data";
	want[1] = "nginx";
	assert_int_equal(pd_pssbase_find(b, want, &idx), 0);
	assert_int_equal(idx, 1);
	r = pd_pssbase_row(b, 1);
	assert_true(r->matched);
	assert_true(r->has[PD_PSSBASE_PSS]);
	assert_int_equal(r->v[PD_PSSBASE_PSS], 14360576);
	assert_int_equal(r->v[PD_PSSBASE_RSS], 22347776);
	/* empty is unknown; no USS column at all */
	assert_false(r->has[PD_PSSBASE_SWAP]);
	assert_false(r->has[PD_PSSBASE_USS]);
	/* keys are unescaped */
	want[0] = "4242";
	want[1] = "my\tjob";
	assert_int_equal(pd_pssbase_find(b, want, &idx), 0);
	assert_int_equal(idx, 2);
	/* an unknown key matches an empty field */
	want[0] = NULL;
	want[1] = "kthread";
	assert_int_equal(pd_pssbase_find(b, want, &idx), 0);
	assert_int_equal(idx, 3);
	want[0] = "root";
	want[1] = "bash";
	assert_int_equal(pd_pssbase_find(b, want, &idx), -ENOENT);
	assert_false(pd_pssbase_row(b, 0)->matched);
	assert_null(pd_pssbase_row(b, 4));
	pd_pssbase_free(b);
}

static void test_pssbase_parse_errors(void **state)
{
	static const char *const user[] = { "USER" };
	static const char *const cmd[] = { "COMMAND" };
	struct pd_pssbase *b = NULL;
	size_t bad = 0;

#define PARSE(t, k, want) \
	assert_int_equal(pd_pssbase_parse(t, strlen(t), k, 1, &b, &bad), want)
	(void)state;
	PARSE("COMMAND\tPSS\nbash\t1\n", user, -ENOKEY);
	PARSE("", user, -ENOKEY);
	PARSE("COMMAND\tPSS\nbash\t1\nsshd\n", cmd, -EBADMSG);
	assert_int_equal(bad, 3);
	PARSE("COMMAND\tPSS\nbash\t1\nsshd\t2\t3\n", cmd, -EBADMSG);
	assert_int_equal(bad, 3);
	PARSE("COMMAND\tPSS\nba\\sh\t1\n", cmd, -EBADMSG);
	assert_int_equal(bad, 2);
	PARSE("COMMAND\tPSS\nbash\t1.5M\n", cmd, -EBADMSG);
	assert_int_equal(bad, 2);
	PARSE("COMMAND\tPSS\nbash\t-4\n", cmd, -EBADMSG);
	/* by command, a file made with -g user,command repeats keys */
	PARSE("USER\tCOMMAND\tPSS\nroot\tnginx\t1\nwww\tnginx\t2\n", cmd,
	      -ENOTUNIQ);
	assert_null(b);
	/* a header alone is no rows, not an error */
	PARSE("COMMAND\tPSS\n", cmd, 0);
	assert_int_equal(pd_pssbase_nrows(b), 0);
	pd_pssbase_free(b);
#undef PARSE
}

static void test_pscan_diff_against_an_earlier_run(void **state)
{
	static const enum pd_pss_key key = PD_PSS_KEY_COMMAND;
	static const char *const names[] = { "COMMAND" };
	struct pd_pscan_opts o = { .keys = &key, .nkeys = 1 };
	struct scan s = run_scan(PSS, &o);
	const struct pd_pssgrowth *t;
	struct pd_pssgrowth gone;
	struct pd_pssbase *b;
	const struct pd_pssgroup *g;
	size_t len, bad = 0;
	char *buf;

	(void)state;
	assert_int_equal(pd_read_at(AT_FDCWD, PD_FIXTURES_DIR
				    "/pss/pssum-r-command.tsv", 1u << 20,
				    &buf, &len), 0);
	assert_int_equal(pd_pssbase_parse(buf, len, names, 1, &b, &bad), 0);
	free(buf);
	pd_pscan_diff(s.ps, b);
	/* nginx: 17944576 now, 17408000 then; RSS the same */
	g = group_of(s.ps, 410);
	assert_true(g->growth.known[PD_PSSBASE_PSS]);
	assert_int_equal(g->growth.v[PD_PSSBASE_PSS], 536576);
	assert_int_equal(g->growth.v[PD_PSSBASE_RSS], 0);
	assert_false(g->growth.is_new);
	/* sshd shrank */
	assert_int_equal(group_of(s.ps, 100)->growth.v[PD_PSSBASE_PSS],
			 -307200);
	/* java is new: all of it is growth */
	g = group_of(s.ps, 900);
	assert_true(g->growth.is_new);
	assert_int_equal(g->growth.v[PD_PSSBASE_PSS], (int64_t)KB(38100));
	assert_int_equal(g->growth.v[PD_PSSBASE_RSS], (int64_t)KB(39200));
	assert_int_equal(g->growth.v[PD_PSSBASE_USS], (int64_t)KB(38000));
	/* cron and "my<TAB>job" are gone; the latter had no SWAP */
	assert_false(pd_pssbase_row(b, 2)->matched);
	assert_string_equal(pd_pssbase_row(b, 5)->keys[0], "my\tjob");
	assert_false(pd_pssbase_row(b, 5)->matched);
	pd_pssbase_row_growth(pd_pssbase_row(b, 5), &gone);
	assert_int_equal(gone.v[PD_PSSBASE_PSS], -4194304);
	assert_false(gone.known[PD_PSSBASE_SWAP]);
	/* the total: every group's growth and every gone row's */
	t = &pd_pscan_total(s.ps)->growth;
	assert_int_equal(t->v[PD_PSSBASE_PSS], 39014400 + 17784832 + 536576 -
			 307200 - 1536000 - 4194304);
	assert_int_equal(t->v[PD_PSSBASE_RSS], 40140800 + 17887232 -
			 3072000 - 8388608);
	assert_true(t->known[PD_PSSBASE_USS]);
	assert_false(t->known[PD_PSSBASE_SWAP]);
	pd_pssbase_free(b);
	done(&s);
}

static void test_pscan_cgroup_exists_in_a_hierarchy_or_not(void **state)
{
	const char *v2 = PD_FIXTURES_DIR "/oom/cgroup";

	(void)state;
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/"), 0);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/init.scope"), 0);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "//init.scope/"), 0);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/nope.slice"), -ENOENT);
	/* a file of the hierarchy is no cgroup; no way out of it */
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/cgroup.procs"), -ENOENT);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/init.scope/.."), -ENOENT);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "/../cgroup"), -ENOENT);
	assert_int_equal(pd_pscan_cgroup_exists(v2, "init.scope"), -ENOENT);
	/* nothing to check against */
	assert_int_equal(pd_pscan_cgroup_exists(PD_FIXTURES_DIR "/oom", "/"),
			 -ENOMEDIUM);
	assert_int_equal(pd_pscan_cgroup_exists(PD_FIXTURES_DIR "/nope", "/"),
			 -ENOMEDIUM);
}

static void test_pssgrowth_rate_per_hour_rounds_half_away(void **state)
{
	int64_t r = 42;

	(void)state;
	assert_true(pd_pssgrowth_rate(16801792, 36000000.0, &r));
	assert_int_equal(r, 1680);	/* 1680.1792 */
	assert_true(pd_pssgrowth_rate(-1536000, 36000000.0, &r));
	assert_int_equal(r, -154);	/* -153.6 */
	assert_true(pd_pssgrowth_rate(1, 7200.0, &r));
	assert_int_equal(r, 1);		/* 0.5 */
	assert_true(pd_pssgrowth_rate(-1, 7200.0, &r));
	assert_int_equal(r, -1);
	assert_true(pd_pssgrowth_rate(3600, 1.0, &r));
	assert_int_equal(r, 12960000);
	/* past what 64 bits hold: saturated */
	assert_true(pd_pssgrowth_rate(INT64_MAX, 1.0, &r));
	assert_int_equal(r, INT64_MAX);
	assert_true(pd_pssgrowth_rate(INT64_MIN, 0.5, &r));
	assert_int_equal(r, INT64_MIN);
	/* no span: no rate, nothing written */
	r = 42;
	assert_false(pd_pssgrowth_rate(100, 0.0, &r));
	assert_false(pd_pssgrowth_rate(100, -5.0, &r));
	assert_int_equal(r, 42);
}

/* Lower RLIMIT_NOFILE to leave EXTRA descriptors beyond those open now;
 * returns the old limit for restore_nofile(). */
static struct rlimit limit_nofile(int extra)
{
	struct rlimit old, low;
	int fd;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)(fd + extra);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	return old;
}

static void restore_nofile(const struct rlimit *old)
{
	assert_int_equal(setrlimit(RLIMIT_NOFILE, old), 0);
}

static void test_pscan_stops_when_out_of_descriptors(void **state)
{
	struct pd_pscan_opts o = { .jobs = 2, .want = PD_PSCAN_UID };
	struct pd_procfs *pfs = NULL;
	struct pd_pscan *ps = NULL;
	struct rlimit old;
	int extra, r;

	(void)state;
	/* room for a pid directory and no file in it, then one file too:
	 * either way the tool's own failure, never an unread process */
	for (extra = 1; extra <= 2; extra++) {
		assert_int_equal(pd_procfs_new(PSS, &pfs), 0);
		assert_int_equal(pd_pscan_new(pfs, &o, &ps), 0);
		old = limit_nofile(extra);
		r = pd_pscan_run(ps);
		restore_nofile(&old);
		assert_int_equal(r, -EMFILE);
		assert_int_equal(pd_pscan_stats(ps)->unread[PD_PSCAN_FAILED].n,
				 0);
		pd_pscan_free(ps);
		pd_procfs_free(pfs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pscan_reads_every_user_process_in_pid_order),
		cmocka_unit_test(test_pscan_cgroup_exists_in_a_hierarchy_or_not),
		cmocka_unit_test(test_pscan_counts_kthreads_zombies_and_nomm_apart),
		cmocka_unit_test(test_pscan_zombie_leader_is_read_through_its_live_thread),
		cmocka_unit_test(test_pscan_identical_processes_are_never_merged),
		cmocka_unit_test(test_pscan_group_by_command),
		cmocka_unit_test(test_pscan_group_by_user_and_command),
		cmocka_unit_test(test_pscan_group_by_user),
		cmocka_unit_test(test_pscan_group_by_unit_v1_and_v2),
		cmocka_unit_test(test_pscan_group_by_ppid),
		cmocka_unit_test(test_pscan_group_by_exe_keeps_deleted),
		cmocka_unit_test(test_pscan_filters),
		cmocka_unit_test(test_pscan_threads_do_not_change_results),
		cmocka_unit_test(test_pscan_by_mapping),
		cmocka_unit_test(test_pscan_numa_bytes_per_node),
		cmocka_unit_test(test_pscan_numa_per_group),
		cmocka_unit_test(test_pscan_group_by_container_is_runtime_id_and_role),
		cmocka_unit_test(test_pscan_group_by_pod_is_its_uid),
		cmocka_unit_test(test_pscan_group_by_container_from_paths_alone),
		cmocka_unit_test(test_pscan_group_by_container_without_names_is_one_group),
		cmocka_unit_test(test_pscan_numa_per_mapping),
		cmocka_unit_test(test_pscan_without_numa_has_no_arrays),
		cmocka_unit_test(test_pscan_counts_denied_with_their_vmrss),
		cmocka_unit_test(test_pscan_exclude_self_only_on_live_proc),
		cmocka_unit_test(test_pscan_live_process_equals_its_rollup),
		cmocka_unit_test(test_pscan_reconcile_with_meminfo),
		cmocka_unit_test(test_pscan_reconcile_without_fields_says_unknown),
		cmocka_unit_test(test_tsv_unescape),
		cmocka_unit_test(test_pssbase_parse_and_find),
		cmocka_unit_test(test_pssbase_parse_errors),
		cmocka_unit_test(test_pscan_diff_against_an_earlier_run),
		cmocka_unit_test(test_pssgrowth_rate_per_hour_rounds_half_away),
		cmocka_unit_test(test_pscan_stops_when_out_of_descriptors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
