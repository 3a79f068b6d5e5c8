/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/memwhere.c: the ledger of every kernel's meminfo from
 * 3.10 to 6.18 adds up to MemTotal exactly; the box fixture's machine,
 * nodes and cgroups, figure by figure (tests/fixtures/README.md, "box"). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memwhere.h"

#define UNUSED __attribute__((unused))
#define KIB 1024ll
#define MIB (1024ll * 1024)
#define FIX PD_FIXTURES_DIR "/memwhere"
#define CTR "3f6a9c1b2e4d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"

struct run {
	struct pd_procfs *pfs;
	struct pd_mw *mw;
};

static void start(struct run *x, const char *proc, const char *sys,
		  unsigned want, const char *cgroup, bool mark)
{
	struct pd_mw_opts o = { .want = want, .sys_root = sys,
				.cgroup = cgroup, .page_size = 4096 };

	assert_int_equal(pd_procfs_new(proc, &x->pfs), 0);
	assert_int_equal(pd_mw_new(x->pfs, &o, &x->mw), 0);
	if (mark)
		assert_int_equal(pd_mw_mark(x->mw), 0);
	assert_int_equal(pd_mw_run(x->mw), 0);
}

static void stop(struct run *x)
{
	pd_mw_free(x->mw);
	pd_procfs_free(x->pfs);
}

/* The parts add up to MemTotal, and nothing else does. */
static void assert_adds_up(const struct pd_mw_ledger *l)
{
	int64_t sum = 0;
	size_t p;

	for (p = 0; p < PD_MW_NPARTS; p++)
		if (l->has[p] && pd_mw_part_kind(p) == PD_MW_KIND_PART)
			sum += l->bytes[p];
	assert_int_equal(sum, (int64_t)l->total);
	assert_true(l->has[PD_MW_REMAINDER]);
}

/* ---- meminfo of every kernel ---- */

struct kernel_case {
	const char *version;
	int64_t remainder_kb;	/* worked out by hand below */
	bool percpu, kreclaimable, vmalloc, zswap, sec_pt, unaccepted;
	bool balloon, available;
	const char *hugetlb_source;
};

/*
 * The 4 GiB machine of kernels/ (make-memwhere.sh, kmeminfo()): MemFree
 * 1048576 + AnonPages 1511424 + (Cached 1048576 - Shmem 65536) + Shmem
 * 65536 + Buffers 32768 + SwapCached 4096 + Slab 262144 + KernelStack
 * 8192 + PageTables 16384 + hugetlb 64 * 2048 = 4063232 (kB) before the
 * lines that come and go: Percpu 2048 (4.7+), KReclaimable - SReclaimable
 * 8192 (4.20+), VmallocUsed 24576 - KernelStack 8192 (5.3+), Unaccepted
 * 8192 (6.5 to 6.11 here). MemTotal is 4194304.
 */
static const struct kernel_case kernels[] = {
	{ "3.10", 4194304 - 4063232, false, false, false, false, false, false,
	  false, false, "meminfo HugePages_Total * Hugepagesize" },
	{ "4.4", 4194304 - 4063232, false, false, false, false, false, false,
	  false, true, "meminfo HugePages_Total * Hugepagesize" },
	{ "4.9", 4194304 - 4063232 - 2048, true, false, false, false, false,
	  false, false, true, "meminfo HugePages_Total * Hugepagesize" },
	{ "4.19", 4194304 - 4063232 - 2048, true, false, false, false, false,
	  false, false, true, "meminfo Hugetlb" },
	{ "5.4", 4194304 - 4063232 - 2048 - 8192 - 16384, true, true, true,
	  false, false, false, false, true, "meminfo Hugetlb" },
	{ "5.10", 4194304 - 4063232 - 2048 - 8192 - 16384, true, true, true,
	  false, false, false, false, true, "meminfo Hugetlb" },
	{ "5.15", 4194304 - 4063232 - 2048 - 8192 - 16384, true, true, true,
	  false, false, false, false, true, "meminfo Hugetlb" },
	{ "6.1", 4194304 - 4063232 - 2048 - 8192 - 16384, true, true, true,
	  true, true, false, false, true, "meminfo Hugetlb" },
	{ "6.6", 4194304 - 4063232 - 2048 - 8192 - 16384 - 8192, true, true,
	  true, true, true, true, false, true, "meminfo Hugetlb" },
	{ "6.12", 4194304 - 4063232 - 2048 - 8192 - 16384, true, true, true,
	  true, true, false, true, true, "meminfo Hugetlb" },
};

static void test_every_kernels_ledger_adds_up_to_memtotal(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		const struct kernel_case *k = &kernels[i];
		const struct pd_mw_ledger *l;
		struct run x;
		char proc[512];

		snprintf(proc, sizeof(proc), FIX "/kernels/%s/proc",
			 k->version);
		print_message("kernel %s\n", k->version);
		start(&x, proc, NULL, 0, NULL, false);
		l = pd_mw_machine(x.mw);
		assert_int_equal(l->total, 4194304 * KIB);
		assert_adds_up(l);
		assert_int_equal(l->bytes[PD_MW_REMAINDER],
				 k->remainder_kb * KIB);
		assert_int_equal(l->bytes[PD_MW_PAGE_CACHE], 983040 * KIB);
		assert_int_equal(l->has[PD_MW_PERCPU], k->percpu);
		assert_int_equal(l->has[PD_MW_KRECLAIMABLE], k->kreclaimable);
		assert_int_equal(l->has[PD_MW_VMALLOC], k->vmalloc);
		/* before 5.3 VmallocUsed is no RAM figure, and without
		 * vmallocinfo the part is unknown: in the remainder */
		assert_int_equal(l->vmalloc_unknown, !k->vmalloc);
		assert_int_equal(l->has[PD_MW_ZSMALLOC], k->zswap);
		assert_int_equal(l->has[PD_MW_SEC_PAGE_TABLES], k->sec_pt);
		assert_int_equal(l->has[PD_MW_UNACCEPTED], k->unaccepted);
		assert_int_equal(l->has[PD_MW_BALLOON], k->balloon);
		assert_int_equal(l->has_fig[PD_MW_FIG_AVAILABLE], k->available);
		assert_int_equal(l->bytes[PD_MW_HUGETLB], 131072 * KIB);
		assert_string_equal(l->source[PD_MW_HUGETLB], k->hugetlb_source);
		/* no sysfs: no memory blocks, no GPU */
		assert_false(l->has[PD_MW_FIRMWARE]);
		assert_false(l->has[PD_MW_GPU]);
		if (k->vmalloc) {
			assert_int_equal(l->bytes[PD_MW_VMALLOC], 16384 * KIB);
			assert_int_equal(l->fig[PD_MW_FIG_STACKS_IN_VMALLOC],
					 8192 * KIB);
		}
		assert_int_equal(pd_mw_kernel(x.mw),
				 (unsigned)(atoi(k->version) * 1000 +
					    atoi(strchr(k->version, '.') + 1)));
		stop(&x);
	}
}

static void test_real_6_18_meminfo_adds_up(void **state UNUSED)
{
	const struct pd_mw_ledger *l;
	struct run x;

	start(&x, FIX "/kernels/6.18/proc", NULL, 0, NULL, false);
	l = pd_mw_machine(x.mw);
	assert_adds_up(l);
	/* awk: MemTotal - (MemFree + AnonPages + Cached + Buffers +
	 * SwapCached + Slab + KReclaimable - SReclaimable + KernelStack +
	 * PageTables + SecPageTables + Percpu + VmallocUsed - KernelStack +
	 * Hugetlb + Zswap + HardwareCorrupted + Bounce + WritebackTmp) */
	assert_int_equal(l->bytes[PD_MW_REMAINDER], 59844 * KIB);
	assert_int_equal(l->bytes[PD_MW_VMALLOC], (6500 - 2224) * KIB);
	assert_int_equal(l->bytes[PD_MW_PERCPU], 744 * KIB);
	assert_int_equal(l->bytes[PD_MW_ZSMALLOC], 0);
	assert_string_equal(l->source[PD_MW_ZSMALLOC],
			    "zram mem_used_total + meminfo Zswap");
	assert_true(l->has[PD_MW_BALLOON]);
	stop(&x);
}

/* ---- the box: the machine ---- */

static void test_box_machine_ledger_part_by_part(void **state UNUSED)
{
	const struct pd_mw_ledger *l;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys", 0, NULL, false);
	l = pd_mw_machine(x.mw);
	assert_adds_up(l);
	assert_int_equal(l->total, 16384000 * KIB);
	assert_int_equal(l->bytes[PD_MW_FREE], 7206400 * KIB);
	assert_int_equal(l->bytes[PD_MW_ANON], 5054464 * KIB);
	assert_int_equal(l->bytes[PD_MW_PAGE_CACHE], (1384448 - 69632) * KIB);
	assert_int_equal(l->bytes[PD_MW_SHMEM], 69632 * KIB);
	assert_int_equal(l->bytes[PD_MW_KRECLAIMABLE], (339968 - 327680) * KIB);
	/* without vmallocinfo the stacks are taken off VmallocUsed */
	assert_int_equal(l->bytes[PD_MW_VMALLOC], (38912 - 4608) * KIB);
	assert_string_equal(l->source[PD_MW_VMALLOC],
			    "meminfo VmallocUsed - KernelStack");
	assert_int_equal(l->bytes[PD_MW_HUGETLB], 2097152 * KIB);
	/* nr_zspages 1536: zram0's 4 MiB and zswap's 2 MiB */
	assert_int_equal(l->bytes[PD_MW_ZSMALLOC], 1536 * 4096);
	assert_int_equal(l->fig[PD_MW_FIG_ZRAM], 4 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_ZRAM_STORED], 32 * MIB);
	assert_int_equal(l->bytes[PD_MW_GPU], 4 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_GPU_VRAM_USED], 1024 * MIB);
	assert_int_equal(l->bytes[PD_MW_REMAINDER], 2048 * KIB);
	/* outside MemTotal: 2 * 8 GiB present (zoneinfo); the blocks,
	 * one of them offline, are read for -v only */
	assert_int_equal(l->bytes[PD_MW_FIRMWARE], (16777216 - 16384000) * KIB);
	assert_string_equal(l->source[PD_MW_FIRMWARE],
			    "zoneinfo present - MemTotal");
	assert_false(l->has[PD_MW_OFFLINE]);
	assert_false(l->has_fig[PD_MW_FIG_ONLINE_BLOCKS]);
	assert_int_equal(l->bytes[PD_MW_ZFS_ARC], 128 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_ARC_C_MAX], 1024 * MIB);
	assert_true(l->has[PD_MW_BALLOON]);
	assert_int_equal(l->bytes[PD_MW_BALLOON], 0);
	assert_int_equal(l->fig[PD_MW_FIG_LRU_OVERLAP], 0);
	assert_int_equal(l->fig[PD_MW_FIG_HUGETLB_FREE],
			 384 * 2 * MIB + 1024 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_HUGETLB_RSVD], 16 * 2 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_NEG_DENTRIES], 819200);
	assert_int_equal(l->fig[PD_MW_FIG_DENTRIES], 1048576);
	assert_int_equal(l->fig[PD_MW_FIG_AVAILABLE], 8388608 * KIB);
	assert_false(l->has_fig[PD_MW_FIG_SLAB_CACHES]);
	assert_int_equal(pd_mw_npools(x.mw), 2);
	assert_int_equal(pd_mw_pool(x.mw, 1)->page_size, 1024 * MIB);
	assert_int_equal(pd_mw_nzram(x.mw), 2);
	stop(&x);
}

static void test_box_activity_since_boot_and_pressure(void **state UNUSED)
{
	const struct pd_mw_activity *a;
	struct pd_pressure p;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys", 0, NULL, false);
	a = pd_mw_activity(x.mw);
	assert_false(a->interval);
	assert_true(a->seconds == 864000.0);
	assert_int_equal(a->count[PD_MW_ACT_SWAP_IN], 12000);
	assert_int_equal(a->count[PD_MW_ACT_SWAP_OUT], 54000);
	assert_int_equal(a->count[PD_MW_ACT_REFAULTS], 201000);
	assert_int_equal(a->count[PD_MW_ACT_OOM_KILLS], 2);
	assert_string_equal(a->thp_enabled, "always");
	assert_string_equal(a->thp_defrag, "madvise");
	assert_true(pd_mw_pressure(x.mw, &p));
	assert_int_equal(p.some.avg10, 153);
	assert_int_equal(p.full.avg60, 31);
	stop(&x);
}

static void test_two_samples_count_what_happened_between(void **state UNUSED)
{
	const struct pd_mw_activity *a;
	const struct pd_mw_cgroup *g;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys",
	      PD_MW_WANT_CGROUPS | PD_MW_WANT_NODES, NULL, true);
	a = pd_mw_activity(x.mw);
	/* a fixture stands still: nothing in between */
	assert_true(a->interval);
	assert_true(a->has[PD_MW_ACT_SWAP_OUT]);
	assert_int_equal(a->count[PD_MW_ACT_SWAP_OUT], 0);
	assert_int_equal(a->count[PD_MW_ACT_REFAULTS], 0);
	assert_int_equal(pd_mw_node(x.mw, 0)->numastat[PD_MW_NUMA_MISS], 0);
	g = pd_mw_cgroup(x.mw, 1);
	assert_true(g->has_ev_delta);
	assert_int_equal(g->ev_delta[PD_MEMCG_EV_OOM_KILL], 0);
	stop(&x);
}

static void test_box_details_caches_callers_shmem_gpu(void **state UNUSED)
{
	const struct pd_mw_ledger *l;
	const struct pd_mw_gpu_client *g;
	struct pd_memsummary s;
	struct run x;
	size_t i;

	start(&x, FIX "/box/proc", FIX "/box/sys", PD_MW_WANT_DETAILS, NULL,
	      false);
	l = pd_mw_machine(x.mw);
	assert_adds_up(l);
	/* eight 2 GiB blocks online, one offline */
	assert_int_equal(l->bytes[PD_MW_OFFLINE], 2048 * MIB);
	assert_int_equal(l->fig[PD_MW_FIG_ONLINE_BLOCKS], 16384 * MIB);
	assert_int_equal(l->bytes[PD_MW_FIRMWARE], (16777216 - 16384000) * KIB);
	assert_int_equal(pd_mw_nslabs(x.mw), 5);
	assert_string_equal(pd_mw_slab(x.mw, 0)->name, "dentry");
	assert_int_equal(pd_mw_slab(x.mw, 0)->bytes, 46080 * 4096);
	assert_string_equal(pd_mw_slab(x.mw, 1)->name, "ext4_inode_cache");
	assert_int_equal(l->fig[PD_MW_FIG_SLAB_CACHES], 321536 * KIB);
	/* vmallocinfo shows the stacks (kernel_clone): taken off, and not
	 * among the callers */
	assert_int_equal(l->fig[PD_MW_FIG_VMALLOC_RAM], 38912 * KIB);
	assert_int_equal(l->bytes[PD_MW_VMALLOC], (38912 - 4608) * KIB);
	assert_int_equal(pd_mw_nvmcallers(x.mw), 5);
	for (i = 0; i < pd_mw_nvmcallers(x.mw); i++)
		assert_null(strstr(pd_mw_vmcaller(x.mw, i)->caller,
				   "kernel_clone"));
	assert_int_equal(pd_mw_vmcaller(x.mw, 0)->ram, 4096 * 4096);
	assert_non_null(strstr(pd_mw_vmcaller(x.mw, 0)->caller,
			       "alloc_large_system_hash"));
	assert_true(pd_mw_shmem_parts(x.mw, &s));
	assert_int_equal(s.tmpfs, 50 * MIB);
	assert_int_equal(s.memfd, 16 * MIB);
	assert_int_equal(s.shmem, 69632 * KIB);
	assert_int_equal(pd_mw_ngpu_clients(x.mw), 1);
	g = pd_mw_gpu_client(x.mw, 0);
	assert_int_equal(g->pid, 500);
	assert_string_equal(g->comm, "firefox");
	assert_string_equal(g->driver, "amdgpu");
	assert_int_equal(g->id, 17);
	assert_int_equal(g->ram, 4 * MIB);
	assert_int_equal(g->vram, 1024 * MIB);
	stop(&x);
}

/* ---- the box: nodes ---- */

static void test_box_nodes_ledgers_and_numastat(void **state UNUSED)
{
	const struct pd_mw_node *n0, *n1;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys", PD_MW_WANT_NODES, NULL,
	      false);
	assert_int_equal(pd_mw_nnodes(x.mw), 2);
	n0 = pd_mw_node(x.mw, 0);
	n1 = pd_mw_node(x.mw, 1);
	assert_adds_up(&n0->ledger);
	assert_adds_up(&n1->ledger);
	assert_int_equal(n0->ledger.total, 8126464 * KIB);
	assert_int_equal(n0->ledger.bytes[PD_MW_FREE], 233216 * KIB);
	/* FilePages - Shmem: buffers and swap cache are in it on a node */
	assert_int_equal(n0->ledger.bytes[PD_MW_PAGE_CACHE], 983040 * KIB);
	assert_false(n0->ledger.has[PD_MW_BUFFERS]);
	assert_false(n0->ledger.has[PD_MW_PERCPU]);
	assert_int_equal(n0->ledger.bytes[PD_MW_HUGETLB],
			 (256 * 2048 + 1048576) * KIB);
	/* vmallocinfo's N0= pages less node 0's stacks */
	assert_int_equal(n0->ledger.bytes[PD_MW_VMALLOC],
			 (19712 - 2304) * KIB);
	assert_int_equal(n0->ledger.bytes[PD_MW_REMAINDER], 13312 * KIB);
	assert_int_equal(n1->ledger.bytes[PD_MW_REMAINDER], 3584 * KIB);
	assert_int_equal(n0->ledger.bytes[PD_MW_FIRMWARE], 262144 * KIB);
	assert_int_equal(n1->ledger.bytes[PD_MW_FIRMWARE], 131072 * KIB);
	assert_int_equal(n1->numastat[PD_MW_NUMA_MISS], 56789);
	assert_int_equal(n0->numastat[PD_MW_NUMA_OTHER], 47000);
	assert_int_equal(n1->npools, 2);
	stop(&x);
}

/* ---- the box: cgroups ---- */

static const struct pd_mw_cgroup *cgroup(const struct run *x,
					 const char *path)
{
	size_t i;

	assert_int_equal(pd_memcg_find(pd_mw_memcg(x->mw), path, &i), 0);
	return pd_mw_cgroup(x->mw, i);
}

static void test_box_cgroups_pss_procs_own_names(void **state UNUSED)
{
	const struct pd_mw_cgroup *g;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys", PD_MW_WANT_CGROUPS |
	      PD_MW_WANT_PSS | PD_MW_WANT_PROCS | PD_MW_WANT_NAMES, NULL,
	      false);
	assert_int_equal(pd_mw_ncgroups(x.mw), 13);
	g = cgroup(&x, "/system.slice/nginx.service");
	assert_true(g->has_pss);
	assert_int_equal(g->pss, (180000 + 120000) * KIB);
	assert_int_equal(g->procs, 2);
	assert_false(g->has_own);	/* no children */
	assert_string_equal(g->name.unit, "nginx.service");
	g = cgroup(&x, "/system.slice");
	assert_int_equal(g->pss, (300000 + 230000) * KIB);
	assert_int_equal(g->procs, 3);
	/* 900 MiB, of which 480 + 300 + 101 in live children */
	assert_true(g->has_own);
	assert_int_equal(g->own, 19 * MIB);
	g = cgroup(&x, "/system.slice/cache-fill.service");
	assert_int_equal(g->pss, 0);
	assert_int_equal(g->procs, 0);
	assert_int_equal(g->items.unmapped, 101 * MIB);
	g = cgroup(&x, "/system.slice/docker-" CTR ".scope");
	assert_string_equal(g->name.runtime, "docker");
	assert_string_equal(g->name.short_id, "3f6a9c1b2e4d");
	g = pd_mw_cgroup(x.mw, 0);
	assert_int_equal(g->pss, (3200 + 300000 + 230000 + 454000 + 140000) *
			 KIB);
	assert_int_equal(g->procs, 8);	/* pid 2 too, a kernel thread */
	assert_int_equal(pd_mw_gaps(x.mw)->pss_missing, 0);
	stop(&x);
}

static void test_cgroup_subtree_only(void **state UNUSED)
{
	const struct pd_mw_cgroup *g;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/sys", PD_MW_WANT_CGROUPS |
	      PD_MW_WANT_PSS, "/system.slice", false);
	assert_int_equal(pd_mw_ncgroups(x.mw), 4);
	g = pd_mw_cgroup(x.mw, 0);
	assert_int_equal(g->pss, (300000 + 230000) * KIB);
	assert_false(g->has_procs);	/* not asked for */
	stop(&x);
}

static void test_cgroup_that_is_not_there_is_enoent(void **state UNUSED)
{
	struct pd_mw_opts o = { .want = PD_MW_WANT_CGROUPS,
				.sys_root = FIX "/box/sys",
				.cgroup = "/no.slice" };
	struct pd_procfs *pfs;
	struct pd_mw *mw;

	assert_int_equal(pd_procfs_new(FIX "/box/proc", &pfs), 0);
	assert_int_equal(pd_mw_new(pfs, &o, &mw), 0);
	assert_int_equal(pd_mw_run(mw), -ENOENT);
	pd_mw_free(mw);
	pd_procfs_free(pfs);
}

static void test_v1_hybrid_cgroups_with_pss(void **state UNUSED)
{
	const struct pd_mw_cgroup *g;
	struct run x;

	start(&x, FIX "/box/proc", FIX "/v1/sys", PD_MW_WANT_CGROUPS |
	      PD_MW_WANT_PSS, NULL, false);
	assert_int_equal(pd_memcg_version(pd_mw_memcg(x.mw)), 1);
	assert_int_equal(pd_mw_ncgroups(x.mw), 5);
	g = cgroup(&x, "/system.slice/nginx.service");
	assert_int_equal(g->pss, (180000 + 120000) * KIB);
	assert_int_equal(g->items.v[PD_MEMCG_KERNEL], 18 * MIB);
	stop(&x);
}

static void test_no_memory_hierarchy_is_a_gap(void **state UNUSED)
{
	struct run x;

	start(&x, FIX "/box/proc", FIX "/box/proc", PD_MW_WANT_CGROUPS, NULL,
	      false);
	assert_null(pd_mw_memcg(x.mw));
	assert_int_equal(pd_mw_ncgroups(x.mw), 0);
	assert_int_equal(pd_mw_gaps(x.mw)->cgroups, ENOENT);
	stop(&x);
}

/* ---- small parsers ---- */

static void test_release_parse(void **state UNUSED)
{
	unsigned v = 0;

	assert_int_equal(pd_mw_release_parse("6.18.44-fc-v1300\n", &v), 0);
	assert_int_equal(v, 6018);
	assert_int_equal(pd_mw_release_parse("3.10.0-1160.el7.x86_64", &v), 0);
	assert_int_equal(v, 3010);
	assert_int_equal(pd_mw_release_parse("6", &v), -EINVAL);
	assert_int_equal(pd_mw_release_parse("x.1", &v), -EINVAL);
}

static void test_drm_region_classes(void **state UNUSED)
{
	assert_int_equal(pd_mw_drm_region_class("gtt"), 1);
	assert_int_equal(pd_mw_drm_region_class("system0"), 1);
	assert_int_equal(pd_mw_drm_region_class("memory"), 1);
	assert_int_equal(pd_mw_drm_region_class("vram"), 2);
	assert_int_equal(pd_mw_drm_region_class("local0"), 2);
	assert_int_equal(pd_mw_drm_region_class("stolen-system0"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kernels_ledger_adds_up_to_memtotal),
		cmocka_unit_test(test_real_6_18_meminfo_adds_up),
		cmocka_unit_test(test_box_machine_ledger_part_by_part),
		cmocka_unit_test(test_box_activity_since_boot_and_pressure),
		cmocka_unit_test(test_two_samples_count_what_happened_between),
		cmocka_unit_test(test_box_details_caches_callers_shmem_gpu),
		cmocka_unit_test(test_box_nodes_ledgers_and_numastat),
		cmocka_unit_test(test_box_cgroups_pss_procs_own_names),
		cmocka_unit_test(test_cgroup_subtree_only),
		cmocka_unit_test(test_cgroup_that_is_not_there_is_enoent),
		cmocka_unit_test(test_v1_hybrid_cgroups_with_pss),
		cmocka_unit_test(test_no_memory_hierarchy_is_a_gap),
		cmocka_unit_test(test_release_parse),
		cmocka_unit_test(test_drm_region_classes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
