/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/oomscan on the captured tree tests/fixtures/oom. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "oomscan.h"

#define OOM_PROC PD_FIXTURES_DIR "/oom/proc"
#define OOM_CGROUP PD_FIXTURES_DIR "/oom/cgroup"

/*
 * The oracle, worked out in tests/fixtures/README.md from the numbers of
 * make-oom.sh: 1310720 pages of RAM + swap, so an adj point is 1310 pages.
 */
#define TOTALPAGES 1310720u

struct scan {
	struct pd_procfs *pfs;
	struct pd_oomscan *os;
};

static int setup_with(void **state, bool cgroups, const char *cgroup)
{
	struct pd_oomscan_opts opts = {
		.want = PD_OOMSCAN_CGROUP | PD_OOMSCAN_CMDLINE,
		.cgroup_root = OOM_CGROUP,
		.page_size = 4096,
	};
	struct scan *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	*state = s;
	if (pd_procfs_new(OOM_PROC, &s->pfs) < 0)
		return -1;
	if (pd_oomscan_new(s->pfs, &opts, &s->os) < 0)
		return -1;
	if (pd_oomscan_run(s->os) < 0)
		return -1;
	if (cgroups && pd_oomscan_cgroups(s->os, cgroup) < 0)
		return -1;
	return 0;
}

static int setup_machine(void **state)
{
	return setup_with(state, false, NULL);
}

static int setup_cgroups(void **state)
{
	return setup_with(state, true, NULL);
}

static int teardown_scan(void **state)
{
	struct scan *s = *state;

	if (s) {
		pd_oomscan_free(s->os);
		pd_procfs_free(s->pfs);
		free(s);
	}
	return 0;
}

static const struct pd_oomproc *proc_of(struct scan *s, pid_t pid)
{
	size_t i;

	assert_int_equal(pd_oomscan_find(s->os, pid, &i), 0);
	return pd_oomscan_proc(s->os, i);
}

/* The domain of cgroup PATH. */
static const struct pd_oomdomain *domain_of(struct scan *s, const char *path)
{
	size_t i;

	for (i = 1; i < pd_oomscan_ndomains(s->os); i++) {
		const struct pd_oomdomain *d = pd_oomscan_domain(s->os, i);

		if (d->cgroup && !strcmp(d->cgroup, path))
			return d;
	}
	fail_msg("no domain %s", path);
	return NULL;
}

static pid_t pid_at(struct scan *s, const struct pd_oomdomain *d, size_t i)
{
	return pd_oomscan_proc(s->os, d->entries[i].proc)->pid;
}

static void test_oomscan_machine_totals(void **state)
{
	const struct pd_oomsys *sys = pd_oomscan_sys(((struct scan *)*state)->os);

	assert_int_equal(sys->page_size, 4096);
	assert_int_equal(sys->mem_total, 4194304ull * 1024);
	assert_int_equal(sys->swap_total, 1048576ull * 1024);
	assert_int_equal(sys->totalpages, TOTALPAGES);
	assert_int_equal(sys->model, PD_OOM_MODEL_5_9);
	assert_string_equal(sys->release, "6.1.0-18-amd64");
	assert_int_equal(sys->panic_on_oom, 0);
	assert_int_equal(sys->oom_kill_allocating_task, 0);
	assert_int_equal(sys->overcommit_memory, 0);
	assert_int_equal(sys->swappiness, 60);
}

static void test_oomscan_reads_every_process(void **state)
{
	struct scan *s = *state;

	assert_int_equal(pd_oomscan_nprocs(s->os), 13);
	assert_int_equal(pd_oomscan_stats(s->os)->procs, 13);
	assert_int_equal(pd_oomscan_stats(s->os)->denied, 0);
	assert_int_equal(pd_oomscan_stats(s->os)->failed, 0);
}

static void test_oomscan_parts_come_from_status(void **state)
{
	const struct pd_oomproc *p = proc_of(*state, 300);

	assert_string_equal(p->comm, "java");
	assert_int_equal(p->uid, 65534);
	assert_int_equal(p->task.anon, 819200ull * 1024);
	assert_int_equal(p->task.file, 40960ull * 1024);
	assert_int_equal(p->task.shmem, 0);
	assert_int_equal(p->task.swap, 102400ull * 1024);
	assert_int_equal(p->task.pagetables, 2048ull * 1024);
	assert_int_equal(p->task.adj, 0);
	assert_string_equal(p->cgroup, "/system.slice/app.service");
	assert_string_equal(p->unit, "app.service");
	assert_string_equal(p->cmdline, "java");
	/* 204800 + 10240 + 25600 + 512 pages */
	assert_int_equal(p->badness, 241152);
}

static void test_oomscan_badness_counts_adj_in_totalpages_thousandths(void **state)
{
	/* 27712 + 500 * 1310 */
	assert_int_equal(proc_of(*state, 310)->badness, 682712);
	/* 550912 - 500 * 1310 */
	assert_int_equal(proc_of(*state, 320)->badness, -104088);
	/* 4624 + 200 * 1310 */
	assert_int_equal(proc_of(*state, 341)->badness, 266624);
	/* 46144 + 300 * 1310 */
	assert_int_equal(proc_of(*state, 500)->badness, 439144);
}

static void test_oomscan_unkillable_reasons(void **state)
{
	assert_int_equal(proc_of(*state, 1)->reason, PD_OOM_INIT);
	assert_int_equal(proc_of(*state, 2)->reason, PD_OOM_KTHREAD);
	assert_int_equal(proc_of(*state, 50)->reason, PD_OOM_NO_MM);
	assert_int_equal(proc_of(*state, 120)->reason, PD_OOM_ADJ_MIN);
	assert_int_equal(proc_of(*state, 120)->badness, PD_OOM_NEVER);
	assert_int_equal(proc_of(*state, 120)->score, 0);
}

static void test_oomscan_exited_leader_counts_its_live_thread(void **state)
{
	const struct pd_oomproc *p = proc_of(*state, 400);

	assert_true(p->mm_from_thread);
	assert_int_equal(p->reason, PD_OOM_ELIGIBLE);
	/* thread 401: 10240 + 1024 + 32 pages */
	assert_int_equal(p->badness, 11296);
	assert_int_equal(p->score, 672);
	assert_int_equal(p->kernel_score, 672);
	assert_false(proc_of(*state, 50)->mm_from_thread);
}

static void test_oomscan_scores_on_the_kernel_scale(void **state)
{
	/* (1000 + 682712000 / 1310720) * 2 / 3 = 1520 * 2 / 3 */
	assert_int_equal(proc_of(*state, 310)->score, 1013);
	/* -79.4 -> -79; 921 * 2 / 3 */
	assert_int_equal(proc_of(*state, 320)->score, 614);
	assert_int_equal(proc_of(*state, 300)->score, 788);
	assert_int_equal(proc_of(*state, 300)->kernel_score, 789);
}

static void test_oomscan_check_counts_the_drifted_score(void **state)
{
	const struct pd_oomcheck *c = pd_oomscan_check(((struct scan *)*state)->os);

	assert_int_equal(c->compared, 13);
	assert_int_equal(c->differ, 1);
	assert_int_equal(c->max_diff, 1);
}

static void test_oomscan_machine_ranking_in_kernel_order(void **state)
{
	static const pid_t want[] = {
		310, 500, 341, 300, 331, 330, 400, 340, 320, 1, 2, 50, 120,
	};
	struct scan *s = *state;
	const struct pd_oomdomain *d = pd_oomscan_domain(s->os, 0);
	size_t i;

	assert_null(d->cgroup);
	assert_int_equal(d->totalpages, TOTALPAGES);
	assert_int_equal(d->nentries, 13);
	assert_int_equal(d->ncandidates, 9);
	for (i = 0; i < d->nentries; i++) {
		assert_int_equal(pid_at(s, d, i), want[i]);
		assert_int_equal(d->entries[i].rank, i < 9 ? i + 1 : 0);
	}
}

static void test_oomscan_tie_goes_to_the_higher_pid(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = pd_oomscan_domain(s->os, 0);

	/* 330 and 331 both 70784 pages: the later in the scan wins */
	assert_int_equal(pid_at(s, d, 4), 331);
	assert_int_equal(d->entries[4].badness, 70784);
	assert_true(d->entries[4].has_margin);
	assert_int_equal(d->entries[4].margin, 0);
	assert_int_equal(pid_at(s, d, 5), 330);
}

static void test_oomscan_margins_to_the_next_candidate(void **state)
{
	const struct pd_oomdomain *d =
		pd_oomscan_domain(((struct scan *)*state)->os, 0);

	assert_int_equal(d->entries[0].margin, 682712 - 439144);
	assert_int_equal(d->entries[5].margin, 70784 - 11296);
	/* 3096 - (-104088) */
	assert_int_equal(d->entries[7].margin, 107184);
	assert_false(d->entries[8].has_margin);
	assert_false(d->entries[9].has_margin);
}

static void test_oomscan_rank_without_adj(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = pd_oomscan_domain(s->os, 0);

	/* 310 alone: 27712 pages would put it after 330 (70784), before
	 * 400 (11296): rank 6 */
	assert_int_equal(pd_oomdomain_rank_without_adj(s->os, d, 0), 6);
	/* 320 without -500: 550912 pages, ahead of everyone but 310 */
	assert_int_equal(pd_oomdomain_rank_without_adj(s->os, d, 8), 2);
	/* 120 is out because of its adj -1000 alone: 2064 pages, last */
	assert_int_equal(pd_oomdomain_rank_without_adj(s->os, d, 12), 9);
	/* init stays out */
	assert_int_equal(pd_oomdomain_rank_without_adj(s->os, d, 9), 0);
}

static void test_oomscan_model_parse(void **state)
{
	enum pd_oom_model m;

	(void)state;
	assert_int_equal(pd_oomscan_model_parse("5.8.18-100.fc31.x86_64", &m), 0);
	assert_int_equal(m, PD_OOM_MODEL_4_19);
	assert_int_equal(pd_oomscan_model_parse("5.9.0", &m), 0);
	assert_int_equal(m, PD_OOM_MODEL_5_9);
	assert_int_equal(pd_oomscan_model_parse("6.1.0-18-amd64", &m), 0);
	assert_int_equal(m, PD_OOM_MODEL_5_9);
	assert_int_equal(pd_oomscan_model_parse("4.19.0", &m), 0);
	assert_int_equal(m, PD_OOM_MODEL_4_19);
	assert_int_equal(pd_oomscan_model_parse("5.10", &m), 0);
	assert_int_equal(m, PD_OOM_MODEL_5_9);
	assert_int_equal(pd_oomscan_model_parse("linux", &m), -EINVAL);
	assert_int_equal(pd_oomscan_model_parse("6", &m), -EINVAL);
}

static void test_oomscan_memfds_held(void **state)
{
	struct pd_oomheld *h;
	size_t n;

	assert_int_equal(pd_oomscan_memfds(((struct scan *)*state)->os, 500,
					   &h, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].fd, 3);
	assert_string_equal(h[0].name, "/memfd:loader-cache (deleted)");
	assert_int_equal(h[0].alloc, 64ull << 20);
	pd_oomheld_free(h, n);
}

/* ---- memory cgroups ---- */

static void test_oomscan_finds_the_limited_cgroups_in_walk_order(void **state)
{
	static const char *const want[] = {
		"/system.slice/app.service",
		"/system.slice/postgresql.service",
		"/user.slice/user-1000.slice",
		"/web.slice",
		"/web.slice/nginx.service",
	};
	struct scan *s = *state;
	size_t i;

	assert_string_equal(pd_oomscan_cgroup_dir(s->os), OOM_CGROUP);
	assert_int_equal(pd_oomscan_ndomains(s->os), 6);
	for (i = 0; i < 5; i++) {
		const struct pd_oomdomain *d = pd_oomscan_domain(s->os, i + 1);

		assert_string_equal(d->cgroup, want[i]);
		assert_string_equal(d->limit_cgroup, want[i]);
		assert_int_equal(d->cgroup_version, 2);
	}
}

static void test_oomscan_cgroup_totalpages_add_swap_up_to_the_machines(void **state)
{
	struct scan *s = *state;

	/* 262144 + min(swap.max "max", 262144 swap pages) */
	assert_int_equal(domain_of(s, "/system.slice/app.service")->totalpages,
			 524288);
	/* swap.max 0 */
	assert_int_equal(domain_of(s, "/system.slice/postgresql.service")->totalpages,
			 524288);
	/* 131072 + 25600 */
	assert_int_equal(domain_of(s, "/web.slice")->totalpages, 156672);
	assert_int_equal(domain_of(s, "/web.slice/nginx.service")->totalpages,
			 16384);
}

static void test_oomscan_cgroup_limits_usage_and_events(void **state)
{
	const struct pd_oomdomain *d = domain_of(*state, "/system.slice/app.service");

	assert_true(d->has_limit);
	assert_int_equal(d->limit, 1073741824);
	assert_false(d->has_swap_limit);
	assert_true(d->has_usage);
	assert_int_equal(d->usage, 1014763520);
	assert_true(d->has_oom_events);
	assert_int_equal(d->oom_events, 3);
	assert_true(d->has_oom_kills);
	assert_int_equal(d->oom_kills, 2);
	assert_true(d->has_oom_group);
	assert_true(d->oom_group);
	d = domain_of(*state, "/web.slice");
	assert_true(d->has_swap_limit);
	assert_int_equal(d->swap_limit, 104857600);
	assert_false(d->oom_group);
}

static void test_oomscan_cgroup_ranking_uses_its_limit(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = domain_of(s, "/system.slice/app.service");

	assert_int_equal(d->nentries, 2);
	assert_int_equal(d->ncandidates, 2);
	/* 27712 + 500 * 524 */
	assert_int_equal(pid_at(s, d, 0), 310);
	assert_int_equal(d->entries[0].badness, 289712);
	assert_int_equal(pid_at(s, d, 1), 300);
	assert_int_equal(d->entries[1].badness, 241152);
	assert_int_equal(d->entries[0].margin, 48560);
	/* memory.oom.group: the whole service dies with either */
	assert_string_equal(d->entries[0].kill_group,
			    "/system.slice/app.service");

	d = domain_of(s, "/system.slice/postgresql.service");
	/* 550912 - 500 * 524 */
	assert_int_equal(d->entries[0].badness, 288912);

	d = domain_of(s, "/user.slice/user-1000.slice");
	/* 46144 + 300 * 1048 */
	assert_int_equal(pid_at(s, d, 0), 500);
	assert_int_equal(d->entries[0].badness, 360544);
	assert_int_equal(pid_at(s, d, 1), 400);
	assert_int_equal(d->nentries, 2);
}

static void test_oomscan_cgroup_tie_follows_cgroup_procs_order(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = domain_of(s, "/web.slice");

	/* scan: nginx.service 340 341, then php-fpm.service 331 330 */
	assert_int_equal(d->nentries, 4);
	assert_int_equal(pid_at(s, d, 0), 330);
	assert_int_equal(pid_at(s, d, 1), 331);
	assert_int_equal(d->entries[0].badness, 70784);
	assert_int_equal(d->entries[0].margin, 0);
	/* 4624 + 200 * 156 */
	assert_int_equal(pid_at(s, d, 2), 341);
	assert_int_equal(d->entries[2].badness, 35824);
	assert_int_equal(pid_at(s, d, 3), 340);
	assert_string_equal(d->entries[0].memcg, "/web.slice/php-fpm.service");
	assert_string_equal(d->entries[0].kill_group,
			    "/web.slice/php-fpm.service");
	assert_null(d->entries[2].kill_group);
}

static void test_oomscan_cgroup_small_limit_shrinks_the_adj(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = domain_of(s, "/web.slice/nginx.service");

	/* 4624 + 200 * 16 */
	assert_int_equal(pid_at(s, d, 0), 341);
	assert_int_equal(d->entries[0].badness, 7824);
	assert_int_equal(d->entries[0].margin, 4728);
}

static void test_oomscan_machine_entries_learn_their_kill_group(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = pd_oomscan_domain(s->os, 0);

	/* 310 first: memory.oom.group of app.service takes 300 with it */
	assert_string_equal(d->entries[0].memcg, "/system.slice/app.service");
	assert_string_equal(d->entries[0].kill_group,
			    "/system.slice/app.service");
	/* 500: session-2.scope has no oom.group */
	assert_string_equal(d->entries[1].memcg,
			    "/user.slice/user-1000.slice/session-2.scope");
	assert_null(d->entries[1].kill_group);
	/* the zombie is in no cgroup.procs */
	assert_int_equal(pid_at(s, d, 11), 50);
	assert_null(d->entries[11].memcg);
}

static void test_oomscan_one_named_cgroup_without_limit_uses_its_ancestors(void **state)
{
	const struct pd_oomdomain *d;
	struct scan *s;
	void *st = NULL;

	(void)state;
	assert_int_equal(setup_with(&st, true,
				    OOM_CGROUP "/web.slice/php-fpm.service/"),
			 0);
	s = st;
	assert_int_equal(pd_oomscan_ndomains(s->os), 2);
	d = pd_oomscan_domain(s->os, 1);
	assert_string_equal(d->cgroup, "/web.slice/php-fpm.service");
	assert_string_equal(d->limit_cgroup, "/web.slice");
	assert_int_equal(d->totalpages, 156672);
	assert_int_equal(d->limit, 536870912);
	assert_int_equal(pid_at(s, d, 0), 330);
	assert_int_equal(pid_at(s, d, 1), 331);
	teardown_scan(&st);
}

static void test_oomscan_unknown_cgroup_is_enoent(void **state)
{
	struct pd_oomscan_opts opts = { .cgroup_root = OOM_CGROUP,
					.page_size = 4096 };
	struct pd_procfs *pfs;
	struct pd_oomscan *os;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM_PROC, &pfs), 0);
	assert_int_equal(pd_oomscan_new(pfs, &opts, &os), 0);
	assert_int_equal(pd_oomscan_run(os), 0);
	assert_int_equal(pd_oomscan_cgroups(os, "/no/such.service"), -ENOENT);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
}

static void test_oomscan_no_memory_controller_is_enomedium(void **state)
{
	/* the proc tree has no cgroup.controllers nor memory/ */
	struct pd_oomscan_opts opts = { .cgroup_root = OOM_PROC,
					.page_size = 4096 };
	struct pd_procfs *pfs;
	struct pd_oomscan *os;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM_PROC, &pfs), 0);
	assert_int_equal(pd_oomscan_new(pfs, &opts, &os), 0);
	assert_int_equal(pd_oomscan_run(os), 0);
	assert_int_equal(pd_oomscan_cgroups(os, NULL), -ENOMEDIUM);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
}

static void test_oomscan_legacy_model_clamps_and_rescales(void **state)
{
	struct pd_oomscan_opts opts = { .page_size = 4096, .has_model = true,
					.model = PD_OOM_MODEL_4_19 };
	struct pd_procfs *pfs;
	struct pd_oomscan *os;
	const struct pd_oomdomain *d;
	size_t i;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM_PROC, &pfs), 0);
	assert_int_equal(pd_oomscan_new(pfs, &opts, &os), 0);
	assert_int_equal(pd_oomscan_run(os), 0);
	assert_int_equal(pd_oomscan_find(os, 320, &i), 0);
	/* -104088 becomes 1; score 1000 / 1310720 = 0 */
	assert_int_equal(pd_oomscan_proc(os, i)->badness, 1);
	assert_int_equal(pd_oomscan_proc(os, i)->score, 0);
	assert_int_equal(pd_oomscan_find(os, 310, &i), 0);
	/* 682712000 / 1310720 = 520.9 */
	assert_int_equal(pd_oomscan_proc(os, i)->score, 520);
	d = pd_oomscan_domain(os, 0);
	assert_int_equal(d->ncandidates, 9);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
}

/* ---- what the OOM is about to run out of -------------------------------- */

static void test_oomscan_cgroup_use_v2_is_working_set_and_swap(void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d;

	/* memory.current less inactive_file, + memory.swap.current when
	 * it may swap (swap.max max); of the limit + swap it may use */
	d = domain_of(s, "/system.slice/app.service");
	assert_true(d->has_use);
	assert_int_equal(d->use, 1014763520 - 14680064 + 104857600);
	assert_int_equal(d->use_max, 524288ull * 4096);
	/* swap.max 0: the limit alone */
	d = domain_of(s, "/system.slice/postgresql.service");
	assert_int_equal(d->use, 2055208960 - 104857600);
	assert_int_equal(d->use_max, 2147483648ull);
	d = domain_of(s, "/web.slice");
	assert_int_equal(d->use, 434110464 - 20971520);
	assert_int_equal(d->use_max, 156672ull * 4096);
}

static void test_oomscan_cgroup_use_is_the_limit_cgroups(void **state)
{
	const struct pd_oomdomain *d;
	void *st = NULL;
	struct scan *s;

	(void)state;
	assert_int_equal(setup_with(&st, true,
				    "/user.slice/user-1000.slice/session-2.scope"),
			 0);
	s = st;
	d = pd_oomscan_domain(s->os, 1);
	assert_string_equal(d->limit_cgroup, "/user.slice/user-1000.slice");
	/* the 3 GiB ancestor's: 235929600 + 10485760 of swap, of 1048576
	 * pages */
	assert_int_equal(d->use, 246415360);
	assert_int_equal(d->use_max, 1048576ull * 4096);
	teardown_scan(&st);
}

static void test_oomscan_machine_use_is_ram_not_available_and_swap(
	void **state)
{
	struct scan *s = *state;
	const struct pd_oomdomain *d = pd_oomscan_domain(s->os, 0);

	/* (4194304 - 1503212) + (1048576 - 935936) kB */
	assert_true(d->has_use);
	assert_int_equal(d->use, (2691092ull + 112640) * 1024);
	assert_int_equal(d->use_max, (4194304ull + 1048576) * 1024);
}

static void test_oomscan_cgroup_use_v1_near_its_oom(void **state)
{
	struct pd_oomscan_opts opts = {
		.cgroup_root = PD_FIXTURES_DIR "/oomcg/cgroup",
		.page_size = 4096,
	};
	const struct pd_oomdomain *d;
	struct scan s;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/oomcg/proc", &s.pfs),
			 0);
	assert_int_equal(pd_oomscan_new(s.pfs, &opts, &s.os), 0);
	assert_int_equal(pd_oomscan_run(s.os), 0);
	assert_int_equal(pd_oomscan_cgroups(s.os, NULL), 0);
	assert_int_equal(pd_oomscan_ndomains(s.os), 3);
	/* usage_in_bytes less total_inactive_file; memsw - usage is 0 */
	d = domain_of(&s, "/batch");
	assert_int_equal(d->cgroup_version, 1);
	assert_int_equal(d->use, 190054400 - 262144);
	assert_int_equal(d->use_max, 209715200);
	/* while the first victim holds 9508 of 51200 pages */
	assert_int_equal(d->totalpages, 51200);
	assert_int_equal(d->entries[0].badness, 9508);
	d = domain_of(&s, "/idle");
	assert_int_equal(d->use, 104857600 - 52428800);
	assert_int_equal(d->use_max, 1073741824);
	pd_oomscan_free(s.os);
	pd_procfs_free(s.pfs);
}

static void test_oomscan_deleted_tmpfs_files_and_their_other_holders(
	void **state)
{
	struct pd_oomscan_opts opts = { .page_size = 4096 };
	struct pd_oomheld *held = NULL;
	struct pd_procfs *pfs;
	struct pd_oomscan *os;
	size_t n = 0, i, spool = 2, shared = 2;

	(void)state;
	assert_int_equal(pd_procfs_new(PD_FIXTURES_DIR "/oomcg/proc", &pfs), 0);
	assert_int_equal(pd_oomscan_new(pfs, &opts, &os), 0);
	assert_int_equal(pd_oomscan_run(os), 0);
	/* the memfd is not a deleted file of a mount: memfds list it */
	assert_int_equal(pd_oomscan_deleted(os, 1100, &held, &n), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		if (!strcmp(held[i].name, "/dev/shm/spool.bin"))
			spool = i;
		if (!strcmp(held[i].name, "/dev/shm/shared.bin"))
			shared = i;
	}
	assert_in_range(spool, 0, 1);
	assert_in_range(shared, 0, 1);
	assert_int_equal(held[spool].fd, 3);
	assert_true(held[spool].sized);
	assert_int_equal(held[spool].alloc, 314572800);
	assert_false(held[spool].mapped);
	assert_true(held[spool].has_others);
	assert_int_equal(held[spool].others, 0);
	assert_int_equal(held[shared].fd, 4);
	assert_int_equal(held[shared].alloc, 67108864);
	assert_int_equal(held[shared].others, 1);
	pd_oomheld_free(held, n);
	/* a worker holds none */
	assert_int_equal(pd_oomscan_deleted(os, 1001, &held, &n), 0);
	assert_int_equal(n, 0);
	pd_oomheld_free(held, n);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
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

static void test_oomscan_stops_when_out_of_descriptors(void **state)
{
	struct pd_oomscan_opts opts = { .page_size = 4096 };
	struct pd_oomscan *os = NULL;
	struct pd_procfs *pfs = NULL;
	struct rlimit old;
	int r;

	(void)state;
	assert_int_equal(pd_procfs_new(OOM_PROC, &pfs), 0);
	assert_int_equal(pd_oomscan_new(pfs, &opts, &os), 0);
	/* meminfo and the sysctls read, then no file of a pid */
	old = limit_nofile(1);
	r = pd_oomscan_run(os);
	restore_nofile(&old);
	assert_int_equal(r, -EMFILE);
	assert_int_equal(pd_oomscan_stats(os)->failed, 0);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest machine[] = {
		cmocka_unit_test(test_oomscan_machine_totals),
		cmocka_unit_test(
			test_oomscan_machine_use_is_ram_not_available_and_swap),
		cmocka_unit_test(test_oomscan_reads_every_process),
		cmocka_unit_test(test_oomscan_parts_come_from_status),
		cmocka_unit_test(test_oomscan_badness_counts_adj_in_totalpages_thousandths),
		cmocka_unit_test(test_oomscan_unkillable_reasons),
		cmocka_unit_test(test_oomscan_exited_leader_counts_its_live_thread),
		cmocka_unit_test(test_oomscan_scores_on_the_kernel_scale),
		cmocka_unit_test(test_oomscan_check_counts_the_drifted_score),
		cmocka_unit_test(test_oomscan_machine_ranking_in_kernel_order),
		cmocka_unit_test(test_oomscan_tie_goes_to_the_higher_pid),
		cmocka_unit_test(test_oomscan_margins_to_the_next_candidate),
		cmocka_unit_test(test_oomscan_rank_without_adj),
		cmocka_unit_test(test_oomscan_model_parse),
		cmocka_unit_test(test_oomscan_memfds_held),
	};
	const struct CMUnitTest cgroups[] = {
		cmocka_unit_test(test_oomscan_finds_the_limited_cgroups_in_walk_order),
		cmocka_unit_test(test_oomscan_cgroup_totalpages_add_swap_up_to_the_machines),
		cmocka_unit_test(test_oomscan_cgroup_limits_usage_and_events),
		cmocka_unit_test(
			test_oomscan_cgroup_use_v2_is_working_set_and_swap),
		cmocka_unit_test(test_oomscan_cgroup_ranking_uses_its_limit),
		cmocka_unit_test(test_oomscan_cgroup_tie_follows_cgroup_procs_order),
		cmocka_unit_test(test_oomscan_cgroup_small_limit_shrinks_the_adj),
		cmocka_unit_test(test_oomscan_machine_entries_learn_their_kill_group),
	};
	const struct CMUnitTest single[] = {
		cmocka_unit_test(test_oomscan_one_named_cgroup_without_limit_uses_its_ancestors),
		cmocka_unit_test(test_oomscan_unknown_cgroup_is_enoent),
		cmocka_unit_test(test_oomscan_cgroup_use_is_the_limit_cgroups),
		cmocka_unit_test(test_oomscan_cgroup_use_v1_near_its_oom),
		cmocka_unit_test(
			test_oomscan_deleted_tmpfs_files_and_their_other_holders),
		cmocka_unit_test(test_oomscan_no_memory_controller_is_enomedium),
		cmocka_unit_test(test_oomscan_legacy_model_clamps_and_rescales),
		cmocka_unit_test(test_oomscan_stops_when_out_of_descriptors),
	};
	int failed;

	failed = cmocka_run_group_tests_name("machine", machine, setup_machine,
					     teardown_scan);
	failed += cmocka_run_group_tests_name("cgroups", cgroups, setup_cgroups,
					      teardown_scan);
	failed += cmocka_run_group_tests_name("single", single, NULL, NULL);
	return failed;
}
