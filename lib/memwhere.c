/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: where every byte of RAM is: the machine's ledger, per NUMA
 * node, per memory cgroup, with pressure and activity; the engine of
 * memwhere. It returns numbers; the tool says what they mean. */
#include "memwhere.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "drm.h"
#include "gpucard.h"
#include "keyed.h"
#include "memblock.h"
#include "meminfo.h"
#include "numa.h"
#include "numtext.h"
#include "pscan.h"
#include "zfsarc.h"
#include "zoneinfo.h"

#define TOP_DEFAULT 5

/* One cgroup's events at the first sample. */
struct ev_mark {
	char *path;
	uint64_t ev[PD_MEMCG_NEVENTS];
	unsigned ev_has;
};

/* One node's numastat at the first sample. */
struct numa_mark {
	unsigned id;
	bool has[PD_MW_NNUMASTAT];
	uint64_t v[PD_MW_NNUMASTAT];
};

struct pd_mw {
	struct pd_procfs *pfs;
	struct pd_mw_opts opts;
	int sysfd;			/* -1: no sysfs */
	unsigned long page_size;
	unsigned kernel;
	struct pd_meminfo *mi;

	/* pd_mw_mark() */
	bool marked;
	struct timespec t0;
	struct pd_keyed *vmstat0;
	struct numa_mark *numa0;
	size_t nnuma0;
	struct ev_mark *ev0;
	size_t nev0;

	struct pd_mw_ledger machine;
	struct pd_mw_activity act;
	bool has_psi;
	struct pd_pressure psi;
	struct pd_mw_gaps gaps;

	struct pd_hugetlb_pool *pools;
	size_t npools;
	struct pd_zram *zram;
	size_t nzram;
	struct pd_gpucard *cards;
	size_t ncards;
	struct pd_memblocks *mb;
	struct pd_zoneinfo *zi;
	struct pd_zfsarc *arc;

	struct pd_slabinfo *si;
	const struct pd_slab **slabs;
	size_t nslabs;
	struct pd_vmallocinfo *vi;
	const struct pd_vmcaller **vmc;
	size_t nvmc;
	bool stacks_in_vmalloc;		/* vmallocinfo shows thread stacks */
	bool has_shmem;
	struct pd_memsummary shmem;
	struct pd_mw_gpu_client *gpu;
	size_t ngpu;

	struct pd_mw_node *nodes;
	size_t nnodes;

	struct pd_memcg *mc;
	struct pd_mw_cgroup *cgs;
	size_t ncgs;
	struct pd_cgname_ctx *names;
};

/* ---- names -------------------------------------------------------------- */

static const struct {
	const char *name;
	enum pd_mw_kind kind;
} parts[PD_MW_NPARTS] = {
	[PD_MW_FREE] = { "free", PD_MW_KIND_PART },
	[PD_MW_ANON] = { "anon", PD_MW_KIND_PART },
	[PD_MW_PAGE_CACHE] = { "page-cache", PD_MW_KIND_PART },
	[PD_MW_SHMEM] = { "shmem", PD_MW_KIND_PART },
	[PD_MW_BUFFERS] = { "buffers", PD_MW_KIND_PART },
	[PD_MW_SWAP_CACHE] = { "swap-cache", PD_MW_KIND_PART },
	[PD_MW_SLAB] = { "slab", PD_MW_KIND_PART },
	[PD_MW_KRECLAIMABLE] = { "kreclaimable", PD_MW_KIND_PART },
	[PD_MW_KERNEL_STACK] = { "kernel-stack", PD_MW_KIND_PART },
	[PD_MW_PAGE_TABLES] = { "page-tables", PD_MW_KIND_PART },
	[PD_MW_SEC_PAGE_TABLES] = { "sec-page-tables", PD_MW_KIND_PART },
	[PD_MW_PERCPU] = { "percpu", PD_MW_KIND_PART },
	[PD_MW_VMALLOC] = { "vmalloc", PD_MW_KIND_PART },
	[PD_MW_HUGETLB] = { "hugetlb", PD_MW_KIND_PART },
	[PD_MW_ZSMALLOC] = { "zram-zswap", PD_MW_KIND_PART },
	[PD_MW_GPU] = { "gpu", PD_MW_KIND_PART },
	[PD_MW_UNACCEPTED] = { "unaccepted", PD_MW_KIND_PART },
	[PD_MW_HW_CORRUPTED] = { "hw-corrupted", PD_MW_KIND_PART },
	[PD_MW_BOUNCE] = { "bounce", PD_MW_KIND_PART },
	[PD_MW_WRITEBACK_TMP] = { "writeback-tmp", PD_MW_KIND_PART },
	[PD_MW_REMAINDER] = { "remainder", PD_MW_KIND_PART },
	[PD_MW_ZFS_ARC] = { "zfs-arc", PD_MW_KIND_OVERLAP },
	[PD_MW_FIRMWARE] = { "firmware", PD_MW_KIND_OUTSIDE },
	[PD_MW_OFFLINE] = { "offline", PD_MW_KIND_OUTSIDE },
	[PD_MW_BALLOON] = { "balloon", PD_MW_KIND_OUTSIDE },
};

const char *pd_mw_part_name(enum pd_mw_part part)
{
	return parts[part].name;
}

enum pd_mw_kind pd_mw_part_kind(enum pd_mw_part part)
{
	return parts[part].kind;
}

static const char *const act_names[PD_MW_NACTS] = {
	[PD_MW_ACT_SWAP_IN] = "swap-in",
	[PD_MW_ACT_SWAP_OUT] = "swap-out",
	[PD_MW_ACT_MAJOR_FAULTS] = "major-faults",
	[PD_MW_ACT_REFAULTS] = "refaults",
	[PD_MW_ACT_COMPACT_STALLS] = "compact-stalls",
	[PD_MW_ACT_THP_FALLBACKS] = "thp-fallbacks",
	[PD_MW_ACT_OOM_KILLS] = "oom-kills",
};

const char *pd_mw_act_name(enum pd_mw_act act)
{
	return act_names[act];
}

static const char *const numastat_keys[PD_MW_NNUMASTAT] = {
	[PD_MW_NUMA_HIT] = "numa_hit",
	[PD_MW_NUMA_MISS] = "numa_miss",
	[PD_MW_NUMA_FOREIGN] = "numa_foreign",
	[PD_MW_NUMA_INTERLEAVE_HIT] = "interleave_hit",
	[PD_MW_NUMA_LOCAL] = "local_node",
	[PD_MW_NUMA_OTHER] = "other_node",
};

const char *pd_mw_numastat_name(enum pd_mw_numastat s)
{
	return numastat_keys[s];
}

int pd_mw_release_parse(const char *s, unsigned *ret_version)
{
	const char *end = s + strlen(s);
	uint64_t x, y;
	int n, m;

	n = pd_numtext_u64(s, end, &x);
	if (n <= 0 || s[n] != '.')
		return -EINVAL;
	m = pd_numtext_u64(s + n + 1, end, &y);
	if (m <= 0 || x > 1000 || y > 999)
		return -EINVAL;
	*ret_version = (unsigned)(x * 1000 + y);
	return 0;
}

int pd_mw_drm_region_class(const char *name)
{
	if (!strncmp(name, "vram", 4) || !strncmp(name, "local", 5))
		return 2;
	if (!strncmp(name, "stolen", 6))
		return 0;
	return 1;
}

/* ---- context ------------------------------------------------------------ */

int pd_mw_new(struct pd_procfs *pfs, const struct pd_mw_opts *opts,
	      struct pd_mw **ret_mw)
{
	struct pd_mw *mw = calloc(1, sizeof(*mw));

	if (!mw)
		return -ENOMEM;
	mw->pfs = pfs;
	mw->opts = *opts;
	if (!mw->opts.top)
		mw->opts.top = TOP_DEFAULT;
	mw->page_size = opts->page_size ? opts->page_size :
			(unsigned long)sysconf(_SC_PAGESIZE);
	mw->sysfd = -1;
	*ret_mw = mw;
	return 0;
}

void pd_mw_free(struct pd_mw *mw)
{
	size_t i;

	if (!mw)
		return;
	if (mw->sysfd >= 0)
		close(mw->sysfd);
	pd_meminfo_free(mw->mi);
	pd_keyed_free(mw->vmstat0);
	free(mw->numa0);
	for (i = 0; i < mw->nev0; i++)
		free(mw->ev0[i].path);
	free(mw->ev0);
	free(mw->pools);
	free(mw->zram);
	free(mw->cards);
	pd_memblocks_free(mw->mb);
	pd_zoneinfo_free(mw->zi);
	pd_zfsarc_free(mw->arc);
	free(mw->slabs);
	pd_slabinfo_free(mw->si);
	free(mw->vmc);
	pd_vmallocinfo_free(mw->vi);
	free(mw->gpu);
	for (i = 0; i < mw->nnodes; i++)
		free(mw->nodes[i].pools);
	free(mw->nodes);
	free(mw->cgs);
	pd_cgname_free(mw->names);
	pd_memcg_free(mw->mc);
	free(mw);
}

/* ---- the first sample ---------------------------------------------------- */

static int open_sys(struct pd_mw *mw)
{
	if (mw->sysfd >= 0 || !mw->opts.sys_root)
		return 0;
	mw->sysfd = open(mw->opts.sys_root, O_RDONLY | O_DIRECTORY |
			 O_CLOEXEC);
	if (mw->sysfd < 0) {
		mw->gaps.sysfs = errno;
		return -errno;
	}
	return 0;
}

/* The numastat counters of node ID into V and HAS. */
static void read_numastat(struct pd_mw *mw, unsigned id, uint64_t *v,
			  bool *has)
{
	struct pd_keyed *k;
	size_t s;

	if (pd_numa_numastat_read(mw->sysfd, id, &k) < 0)
		return;
	for (s = 0; s < PD_MW_NNUMASTAT; s++)
		has[s] = pd_keyed_get(k, numastat_keys[s], &v[s]) == 0;
	pd_keyed_free(k);
}

static int cmp_ev_mark(const void *a, const void *b)
{
	return strcmp(((const struct ev_mark *)a)->path,
		      ((const struct ev_mark *)b)->path);
}

static int mark_cgroups(struct pd_mw *mw)
{
	size_t i, n;
	int r;

	if (!mw->mc)
		return 0;
	r = pd_memcg_read(mw->mc, mw->opts.cgroup, PD_MEMCG_WANT_EVENTS);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	n = pd_memcg_count(mw->mc);
	mw->ev0 = calloc(n ? n : 1, sizeof(*mw->ev0));
	if (!mw->ev0)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct pd_memcg_node *c = pd_memcg_node(mw->mc, i);

		mw->ev0[i].path = strdup(c->path);
		if (!mw->ev0[i].path)
			return -ENOMEM;
		memcpy(mw->ev0[i].ev, c->ev, sizeof(c->ev));
		mw->ev0[i].ev_has = c->ev_has;
		mw->nev0++;
	}
	qsort(mw->ev0, mw->nev0, sizeof(*mw->ev0), cmp_ev_mark);
	return 0;
}

static int open_memcg(struct pd_mw *mw)
{
	char *root;
	int r;

	if (mw->mc || !(mw->opts.want & PD_MW_WANT_CGROUPS) ||
	    !mw->opts.sys_root)
		return 0;
	if (asprintf(&root, "%s/fs/cgroup", mw->opts.sys_root) < 0)
		return -ENOMEM;
	r = pd_memcg_open(root, mw->page_size, &mw->mc);
	free(root);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		mw->gaps.cgroups = -r;
	return 0;
}

int pd_mw_mark(struct pd_mw *mw)
{
	unsigned *ids = NULL;
	size_t n = 0, i;
	int r;

	r = pd_keyed_read(mw->pfs, "vmstat", &mw->vmstat0);
	if (r < 0)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &mw->t0);
	mw->marked = true;
	if ((mw->opts.want & PD_MW_WANT_NODES) && open_sys(mw) == 0 &&
	    pd_numa_nodes_read(mw->sysfd, &ids, &n) == 0) {
		mw->numa0 = calloc(n ? n : 1, sizeof(*mw->numa0));
		if (!mw->numa0) {
			free(ids);
			return -ENOMEM;
		}
		for (i = 0; i < n; i++) {
			mw->numa0[i].id = ids[i];
			read_numastat(mw, ids[i], mw->numa0[i].v,
				      mw->numa0[i].has);
		}
		mw->nnuma0 = n;
		free(ids);
	}
	r = open_memcg(mw);
	if (r < 0)
		return r;
	return mark_cgroups(mw);
}

/* ---- reading the machine -------------------------------------------------- */

static void set_part(struct pd_mw_ledger *l, enum pd_mw_part p, int64_t v,
		     const char *src)
{
	l->has[p] = true;
	l->bytes[p] = v;
	l->source[p] = src;
}

static void set_fig(struct pd_mw_ledger *l, enum pd_mw_fig f, int64_t v)
{
	l->has_fig[f] = true;
	l->fig[f] = v;
}

static bool mi_get(const struct pd_meminfo *mi, const char *key,
		   uint64_t *v)
{
	return mi && pd_meminfo_get(mi, key, v) == 0;
}

/* Part P is meminfo line KEY, where it is. */
static void part_line(struct pd_mw_ledger *l, enum pd_mw_part p,
		      const struct pd_meminfo *mi, const char *key,
		      const char *src)
{
	uint64_t v;

	if (mi_get(mi, key, &v))
		set_part(l, p, (int64_t)v, src);
}

static void fig_line(struct pd_mw_ledger *l, enum pd_mw_fig f,
		     const struct pd_meminfo *mi, const char *key)
{
	uint64_t v;

	if (mi_get(mi, key, &v))
		set_fig(l, f, (int64_t)v);
}

/* Thread stacks in vmallocinfo: copy_process() allocates them, inlined
 * into one of these callers depending on the kernel and compiler. */
static bool stack_caller(const char *caller)
{
	static const char *const names[] = {
		"alloc_thread_stack_node", "dup_task_struct", "copy_process",
		"kernel_clone", "_do_fork", "fork_idle",
	};
	size_t i, len = strcspn(caller, "+ ");

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && !strncmp(caller, names[i], len))
			return true;
	return false;
}

/* Is VmallocUsed the RAM of vmalloc() (5.3+)? Without a release, 5.4's
 * FileHugePages line tells; 4.4 to 5.2 print 0 and earlier kernels the
 * address space of every area. */
static bool vmalloc_used_is_ram(const struct pd_mw *mw)
{
	if (mw->kernel)
		return mw->kernel >= 5003;
	return mi_get(mw->mi, "FileHugePages", NULL);
}

static int read_vmallocinfo(struct pd_mw *mw)
{
	size_t n, i;
	int r;

	if (mw->vi || mw->gaps.vmallocinfo)
		return 0;
	r = pd_vmallocinfo_read(mw->pfs, &mw->vi);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		mw->gaps.vmallocinfo = -r;
		return 0;
	}
	n = pd_vmallocinfo_count(mw->vi);
	for (i = 0; i < n; i++) {
		const struct pd_vmcaller *c = pd_vmallocinfo_get(mw->vi, i);

		if (c->ram && stack_caller(c->caller))
			mw->stacks_in_vmalloc = true;
	}
	return 0;
}

/* The vmalloc part: RAM of vmalloc() areas less the kernel stacks,
 * which KernelStack counts and which live there with CONFIG_VMAP_STACK. */
static void part_vmalloc(struct pd_mw *mw, struct pd_mw_ledger *l)
{
	struct pd_vmalloc_totals t;
	uint64_t used, stack = 0, vm;
	bool has_stack = mi_get(mw->mi, "KernelStack", &stack);
	bool stacks_in;
	const char *src;

	if (!mi_get(mw->mi, "VmallocUsed", &used))
		return;
	set_fig(l, PD_MW_FIG_VMALLOC_USED, (int64_t)used);
	if (mw->vi) {
		pd_vmallocinfo_totals(mw->vi, &t);
		set_fig(l, PD_MW_FIG_VMALLOC_RAM, (int64_t)t.ram);
	}
	if (vmalloc_used_is_ram(mw)) {
		vm = used;
		src = "meminfo VmallocUsed - KernelStack";
	} else if (mw->vi) {
		vm = t.ram;
		src = "vmallocinfo pages= - KernelStack";
	} else {
		l->vmalloc_unknown = true;
		return;
	}
	/* Without vmallocinfo: CONFIG_VMAP_STACK, the default of x86_64
	 * and arm64 since 4.9, when VmallocUsed can hold the stacks. */
	if (mw->vi)
		stacks_in = mw->stacks_in_vmalloc;
	else
		stacks_in = has_stack && vm >= stack &&
			    (!mw->kernel || mw->kernel >= 4009);
	if (!stacks_in) {
		src = mw->vi && !vmalloc_used_is_ram(mw) ?
		      "vmallocinfo pages=" : "meminfo VmallocUsed";
		stack = 0;
	} else {
		set_fig(l, PD_MW_FIG_STACKS_IN_VMALLOC, (int64_t)stack);
	}
	set_part(l, PD_MW_VMALLOC, vm > stack ? (int64_t)(vm - stack) : 0,
		 src);
}

static void part_hugetlb(struct pd_mw *mw, struct pd_mw_ledger *l,
			 const struct pd_meminfo *mi,
			 const struct pd_hugetlb_pool *pools, size_t npools,
			 bool node)
{
	uint64_t total = 0, nfree = 0, resv = 0, surp = 0, v, size;
	bool has_resv = false;
	size_t i;

	for (i = 0; i < npools; i++) {
		const struct pd_hugetlb_pool *p = &pools[i];

		total += p->nr * p->page_size;
		nfree += p->free * p->page_size;
		surp += p->surplus * p->page_size;
		if (p->has & PD_HUGETLB_HAS_RESV) {
			resv += p->resv * p->page_size;
			has_resv = true;
		}
	}
	if (!node && mi_get(mi, "Hugetlb", &v)) {
		set_part(l, PD_MW_HUGETLB, (int64_t)v, "meminfo Hugetlb");
	} else if (npools) {
		set_part(l, PD_MW_HUGETLB, (int64_t)total, node ?
			 "sysfs node hugepages nr_hugepages" :
			 "sysfs hugepages nr_hugepages");
	} else if (mi_get(mi, "HugePages_Total", &v) &&
		   mi_get(mw->mi, "Hugepagesize", &size)) {
		set_part(l, PD_MW_HUGETLB, (int64_t)(v * size),
			 "meminfo HugePages_Total * Hugepagesize");
		if (mi_get(mi, "HugePages_Free", &v))
			set_fig(l, PD_MW_FIG_HUGETLB_FREE, (int64_t)(v * size));
		if (mi_get(mi, "HugePages_Rsvd", &v))
			set_fig(l, PD_MW_FIG_HUGETLB_RSVD, (int64_t)(v * size));
		return;
	} else {
		return;
	}
	if (npools) {
		set_fig(l, PD_MW_FIG_HUGETLB_FREE, (int64_t)nfree);
		set_fig(l, PD_MW_FIG_HUGETLB_SURPLUS, (int64_t)surp);
		if (has_resv)
			set_fig(l, PD_MW_FIG_HUGETLB_RSVD, (int64_t)resv);
	} else if (mi_get(mi, "HugePages_Free", &v) &&
		   mi_get(mw->mi, "Hugepagesize", &size)) {
		set_fig(l, PD_MW_FIG_HUGETLB_FREE, (int64_t)(v * size));
		if (mi_get(mi, "HugePages_Rsvd", &v))
			set_fig(l, PD_MW_FIG_HUGETLB_RSVD, (int64_t)(v * size));
	}
}

static void part_zsmalloc(struct pd_mw *mw, struct pd_mw_ledger *l,
			  const struct pd_keyed *vmstat)
{
	uint64_t zram = 0, stored = 0, zswap = 0, v;
	bool has_zswap = mi_get(mw->mi, "Zswap", &zswap);
	size_t i;

	for (i = 0; i < mw->nzram; i++) {
		zram += mw->zram[i].mm.mem_used_total;
		stored += mw->zram[i].mm.orig_data_size;
	}
	if (mw->nzram) {
		set_fig(l, PD_MW_FIG_ZRAM, (int64_t)zram);
		set_fig(l, PD_MW_FIG_ZRAM_STORED, (int64_t)stored);
	}
	fig_line(l, PD_MW_FIG_ZSWAP, mw->mi, "Zswap");
	fig_line(l, PD_MW_FIG_ZSWAPPED, mw->mi, "Zswapped");
	/* zsmalloc's pages, zram's and zswap's alike, are in no meminfo
	 * line; vmstat counts them */
	if (vmstat && pd_keyed_get(vmstat, "nr_zspages", &v) == 0)
		set_part(l, PD_MW_ZSMALLOC, (int64_t)(v * mw->page_size),
			 "vmstat nr_zspages");
	else if (mw->nzram || has_zswap)
		set_part(l, PD_MW_ZSMALLOC, (int64_t)(zram + zswap),
			 "zram mem_used_total + meminfo Zswap");
}

static void part_gpu(struct pd_mw *mw, struct pd_mw_ledger *l)
{
	uint64_t gtt = 0, vram = 0, a = 0, b = 0;
	bool has_gtt = false, has_vram = false;
	size_t i;

	for (i = 0; i < mw->ncards; i++) {
		const struct pd_gpucard *c = &mw->cards[i];

		if (c->has & (1u << PD_GPU_GTT_USED)) {
			gtt += c->v[PD_GPU_GTT_USED];
			has_gtt = true;
		}
		if (c->has & (1u << PD_GPU_VRAM_USED)) {
			vram += c->v[PD_GPU_VRAM_USED];
			has_vram = true;
		}
	}
	if (has_vram)
		set_fig(l, PD_MW_FIG_GPU_VRAM_USED, (int64_t)vram);
	/* a kernel that counts GPU pages itself says so in meminfo */
	if (mi_get(mw->mi, "GPUActive", &a) | mi_get(mw->mi, "GPUReclaim", &b))
		set_part(l, PD_MW_GPU, (int64_t)(a + b),
			 "meminfo GPUActive + GPUReclaim");
	else if (has_gtt)
		set_part(l, PD_MW_GPU, (int64_t)gtt,
			 "amdgpu mem_info_gtt_used");
}

static void lru_overlap(struct pd_mw_ledger *l, const struct pd_meminfo *mi)
{
	static const char *const lists[] = {
		"Active(anon)", "Inactive(anon)", "Active(file)",
		"Inactive(file)", "Unevictable",
	};
	static const char *const lines[] = {
		"AnonPages", "Cached", "Buffers", "SwapCached",
	};
	uint64_t lru = 0, sum = 0, v;
	size_t i;

	for (i = 0; i < 5; i++) {
		if (!mi_get(mi, lists[i], &v))
			return;
		lru += v;
	}
	for (i = 0; i < 4; i++) {
		if (!mi_get(mi, lines[i], &v))
			return;
		sum += v;
	}
	set_fig(l, PD_MW_FIG_LRU_OVERLAP, (int64_t)(sum - lru));
}

/* The remainder: MemTotal less every part. */
static void part_remainder(struct pd_mw_ledger *l)
{
	int64_t sum = 0;
	size_t p;

	for (p = 0; p < PD_MW_REMAINDER; p++)
		if (l->has[p])
			sum += l->bytes[p];
	set_part(l, PD_MW_REMAINDER, (int64_t)l->total - sum,
		 "MemTotal - the parts above");
}

/* The lines a node's meminfo and the machine's share. */
static void common_parts(struct pd_mw_ledger *l, const struct pd_meminfo *mi)
{
	uint64_t a, b;

	part_line(l, PD_MW_FREE, mi, "MemFree", "meminfo MemFree");
	part_line(l, PD_MW_ANON, mi, "AnonPages", "meminfo AnonPages");
	part_line(l, PD_MW_SHMEM, mi, "Shmem", "meminfo Shmem");
	if (mi_get(mi, "Slab", &a))
		set_part(l, PD_MW_SLAB, (int64_t)a, "meminfo Slab");
	else if (mi_get(mi, "SReclaimable", &a) &&
		 mi_get(mi, "SUnreclaim", &b))
		set_part(l, PD_MW_SLAB, (int64_t)(a + b),
			 "meminfo SReclaimable + SUnreclaim");
	if (mi_get(mi, "KReclaimable", &a) && mi_get(mi, "SReclaimable", &b))
		set_part(l, PD_MW_KRECLAIMABLE, (int64_t)(a - b),
			 "meminfo KReclaimable - SReclaimable");
	part_line(l, PD_MW_KERNEL_STACK, mi, "KernelStack",
		  "meminfo KernelStack");
	part_line(l, PD_MW_PAGE_TABLES, mi, "PageTables",
		  "meminfo PageTables");
	part_line(l, PD_MW_SEC_PAGE_TABLES, mi, "SecPageTables",
		  "meminfo SecPageTables");
	part_line(l, PD_MW_UNACCEPTED, mi, "Unaccepted", "meminfo Unaccepted");
	part_line(l, PD_MW_BOUNCE, mi, "Bounce", "meminfo Bounce");
	part_line(l, PD_MW_WRITEBACK_TMP, mi, "WritebackTmp",
		  "meminfo WritebackTmp");
	fig_line(l, PD_MW_FIG_DIRTY, mi, "Dirty");
	fig_line(l, PD_MW_FIG_WRITEBACK, mi, "Writeback");
	fig_line(l, PD_MW_FIG_MAPPED, mi, "Mapped");
	fig_line(l, PD_MW_FIG_ACTIVE_FILE, mi, "Active(file)");
	fig_line(l, PD_MW_FIG_INACTIVE_FILE, mi, "Inactive(file)");
	fig_line(l, PD_MW_FIG_ANON_THP, mi, "AnonHugePages");
	fig_line(l, PD_MW_FIG_SHMEM_THP, mi, "ShmemHugePages");
	fig_line(l, PD_MW_FIG_FILE_THP, mi, "FileHugePages");
	fig_line(l, PD_MW_FIG_SRECLAIMABLE, mi, "SReclaimable");
	fig_line(l, PD_MW_FIG_SUNRECLAIM, mi, "SUnreclaim");
	fig_line(l, PD_MW_FIG_MLOCKED, mi, "Mlocked");
}

static void machine_ledger(struct pd_mw *mw, const struct pd_keyed *vmstat,
			   const struct pd_keyed *dentry)
{
	struct pd_mw_ledger *l = &mw->machine;
	const struct pd_meminfo *mi = mw->mi;
	uint64_t cached, shmem, v;

	common_parts(l, mi);
	if (mi_get(mi, "Cached", &cached)) {
		if (mi_get(mi, "Shmem", &shmem))
			set_part(l, PD_MW_PAGE_CACHE, (int64_t)(cached - shmem),
				 "meminfo Cached - Shmem");
		else
			set_part(l, PD_MW_PAGE_CACHE, (int64_t)cached,
				 "meminfo Cached");
	}
	part_line(l, PD_MW_BUFFERS, mi, "Buffers", "meminfo Buffers");
	part_line(l, PD_MW_SWAP_CACHE, mi, "SwapCached", "meminfo SwapCached");
	part_line(l, PD_MW_PERCPU, mi, "Percpu", "meminfo Percpu");
	part_line(l, PD_MW_HW_CORRUPTED, mi, "HardwareCorrupted",
		  "meminfo HardwareCorrupted");
	part_vmalloc(mw, l);
	part_hugetlb(mw, l, mi, mw->pools, mw->npools, false);
	part_zsmalloc(mw, l, vmstat);
	part_gpu(mw, l);
	part_remainder(l);

	if (mw->arc && pd_zfsarc_get(mw->arc, "size", &v) == 0) {
		set_part(l, PD_MW_ZFS_ARC, (int64_t)v, "arcstats size");
		if (pd_zfsarc_get(mw->arc, "c", &v) == 0)
			set_fig(l, PD_MW_FIG_ARC_C, (int64_t)v);
		if (pd_zfsarc_get(mw->arc, "c_max", &v) == 0)
			set_fig(l, PD_MW_FIG_ARC_C_MAX, (int64_t)v);
		if (pd_zfsarc_get(mw->arc, "c_min", &v) == 0)
			set_fig(l, PD_MW_FIG_ARC_C_MIN, (int64_t)v);
	}
	if (mw->zi) {
		struct pd_zonenode t;

		pd_zoneinfo_total(mw->zi, &t);
		v = t.present * mw->page_size;
		set_fig(l, PD_MW_FIG_PRESENT, (int64_t)v);
		set_part(l, PD_MW_FIRMWARE, (int64_t)(v - l->total),
			 "zoneinfo present - MemTotal");
	}
	if (mw->mb) {
		v = pd_memblocks_online_bytes(mw->mb);
		set_fig(l, PD_MW_FIG_ONLINE_BLOCKS, (int64_t)v);
		set_fig(l, PD_MW_FIG_BLOCK_SIZE,
			(int64_t)pd_memblocks_block_size(mw->mb));
		if (!mw->zi)
			set_part(l, PD_MW_FIRMWARE, (int64_t)(v - l->total),
				 "sysfs memory blocks online - MemTotal");
		v = (pd_memblocks_count(mw->mb, PD_MEMBLOCK_OFFLINE) +
		     pd_memblocks_count(mw->mb, PD_MEMBLOCK_GOING_OFFLINE)) *
		    pd_memblocks_block_size(mw->mb);
		if (v)
			set_part(l, PD_MW_OFFLINE, (int64_t)v,
				 "sysfs memory blocks offline");
	}
	part_line(l, PD_MW_BALLOON, mi, "Balloon", "meminfo Balloon");

	fig_line(l, PD_MW_FIG_AVAILABLE, mi, "MemAvailable");
	fig_line(l, PD_MW_FIG_SWAP_TOTAL, mi, "SwapTotal");
	fig_line(l, PD_MW_FIG_SWAP_FREE, mi, "SwapFree");
	lru_overlap(l, mi);
	if (mw->si)
		set_fig(l, PD_MW_FIG_SLAB_CACHES,
			(int64_t)pd_slabinfo_bytes(mw->si));
	/* dentry-state: nr_dentry nr_unused age_limit want_pages
	 * nr_negative (5.0+; a dummy 0 before) */
	if (dentry && pd_keyed_count(dentry) >= 1) {
		set_fig(l, PD_MW_FIG_DENTRIES,
			(int64_t)pd_keyed_value(dentry, 0));
		if (pd_keyed_count(dentry) >= 5 &&
		    (mw->kernel >= 5000 || pd_keyed_value(dentry, 4)))
			set_fig(l, PD_MW_FIG_NEG_DENTRIES,
				(int64_t)pd_keyed_value(dentry, 4));
	}
}

/* dentry-state is one line of tab-separated numbers: as a keyed table
 * of "0 N", "1 N", ... so that its fields can be had by position. */
static int read_dentry_state(struct pd_mw *mw, struct pd_keyed **ret_k)
{
	char *buf, *text, *p, *save = NULL;
	size_t len, tlen = 0, i = 0;
	int r;

	r = pd_procfs_read(mw->pfs, "sys/fs/dentry-state", 4096, &buf, &len);
	if (r < 0)
		return r;
	text = malloc(len * 2 + 64);
	if (!text) {
		free(buf);
		return -ENOMEM;
	}
	for (p = strtok_r(buf, " \t\n", &save); p && i < 8;
	     p = strtok_r(NULL, " \t\n", &save), i++)
		tlen += (size_t)snprintf(text + tlen, len * 2 + 64 - tlen,
					 "%zu %s\n", i, p);
	free(buf);
	r = pd_keyed_parse(text, tlen, ret_k);
	free(text);
	return r;
}

static void read_activity(struct pd_mw *mw, const struct pd_keyed *vm)
{
	static const struct {
		enum pd_mw_act act;
		const char *key;
	} keys[] = {
		{ PD_MW_ACT_SWAP_IN, "pswpin" },
		{ PD_MW_ACT_SWAP_OUT, "pswpout" },
		{ PD_MW_ACT_MAJOR_FAULTS, "pgmajfault" },
		{ PD_MW_ACT_COMPACT_STALLS, "compact_stall" },
		{ PD_MW_ACT_THP_FALLBACKS, "thp_fault_fallback" },
		{ PD_MW_ACT_OOM_KILLS, "oom_kill" },
	};
	struct pd_mw_activity *a = &mw->act;
	uint64_t now[PD_MW_NACTS] = { 0 }, then[PD_MW_NACTS] = { 0 }, x, y;
	bool has_then[PD_MW_NACTS] = { false };
	const struct pd_keyed *k0 = mw->vmstat0;
	struct timespec t1;
	size_t i;
	char *buf;
	size_t len;
	int r;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		a->has[keys[i].act] =
			pd_keyed_get(vm, keys[i].key, &now[keys[i].act]) == 0;
		has_then[keys[i].act] = k0 &&
			pd_keyed_get(k0, keys[i].key, &then[keys[i].act]) == 0;
	}
	/* 5.9 split workingset_refault into anon and file */
	if (pd_keyed_get(vm, "workingset_refault_anon", &x) == 0 &&
	    pd_keyed_get(vm, "workingset_refault_file", &y) == 0) {
		a->has[PD_MW_ACT_REFAULTS] = true;
		now[PD_MW_ACT_REFAULTS] = x + y;
		if (k0 && pd_keyed_get(k0, "workingset_refault_anon", &x) == 0 &&
		    pd_keyed_get(k0, "workingset_refault_file", &y) == 0) {
			then[PD_MW_ACT_REFAULTS] = x + y;
			has_then[PD_MW_ACT_REFAULTS] = true;
		}
	} else if (pd_keyed_get(vm, "workingset_refault", &x) == 0) {
		a->has[PD_MW_ACT_REFAULTS] = true;
		now[PD_MW_ACT_REFAULTS] = x;
		has_then[PD_MW_ACT_REFAULTS] = k0 &&
			pd_keyed_get(k0, "workingset_refault", &y) == 0;
		then[PD_MW_ACT_REFAULTS] = has_then[PD_MW_ACT_REFAULTS] ? y : 0;
	}
	a->interval = mw->marked;
	for (i = 0; i < PD_MW_NACTS; i++) {
		if (!a->interval)
			a->count[i] = now[i];
		else if (has_then[i])
			a->count[i] = now[i] > then[i] ? now[i] - then[i] : 0;
		else
			a->has[i] = false;
	}
	if (a->interval) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		a->seconds = (double)(t1.tv_sec - mw->t0.tv_sec) +
			     (double)(t1.tv_nsec - mw->t0.tv_nsec) / 1e9;
	} else {
		r = pd_procfs_read(mw->pfs, "uptime", 4096, &buf, &len);
		if (r == 0) {
			a->seconds = strtod(buf, NULL);
			free(buf);
		}
	}
}

/* "[always] madvise never": the word in brackets into OUT. */
static void thp_mode(int sysfd, const char *name, char *out, size_t size)
{
	char *buf, *l, *rb;
	size_t len;

	out[0] = '\0';
	if (sysfd < 0 || pd_read_at(sysfd, name, 4096, &buf, &len) < 0)
		return;
	l = strchr(buf, '[');
	rb = l ? strchr(l, ']') : NULL;
	if (rb && (size_t)(rb - l - 1) < size) {
		memcpy(out, l + 1, (size_t)(rb - l - 1));
		out[rb - l - 1] = '\0';
	}
	free(buf);
}

static int read_sysfs(struct pd_mw *mw)
{
	int r;

	if (!mw->opts.sys_root || open_sys(mw) < 0)
		return 0;
	r = pd_hugetlb_read(mw->sysfd, -1, &mw->pools, &mw->npools);
	if (r == -ENOMEM)
		return r;
	r = pd_zram_read_all(mw->sysfd, &mw->zram, &mw->nzram);
	if (r == -ENOMEM)
		return r;
	r = pd_gpucard_read_all(mw->sysfd, &mw->cards, &mw->ncards);
	if (r == -ENOMEM)
		return r;
	/* a file per memory block: 3 ms for 24 GiB in 128 MiB blocks; the
	 * firmware part comes from zoneinfo where it can, the blocks are
	 * read for the offline ones (details) or without zoneinfo */
	if ((mw->opts.want & PD_MW_WANT_DETAILS) || !mw->zi) {
		r = pd_memblocks_read(mw->sysfd, &mw->mb);
		if (r == -ENOMEM)
			return r;
	}
	thp_mode(mw->sysfd, "kernel/mm/transparent_hugepage/enabled",
		 mw->act.thp_enabled, sizeof(mw->act.thp_enabled));
	thp_mode(mw->sysfd, "kernel/mm/transparent_hugepage/defrag",
		 mw->act.thp_defrag, sizeof(mw->act.thp_defrag));
	return 0;
}

/* ---- details (-v) ---------------------------------------------------------- */

static int read_slabs(struct pd_mw *mw)
{
	int r = pd_slabinfo_read(mw->pfs, &mw->si);

	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		mw->gaps.slabinfo = -r;
		return 0;
	}
	mw->slabs = calloc(mw->opts.top, sizeof(*mw->slabs));
	if (!mw->slabs)
		return -ENOMEM;
	mw->nslabs = pd_slabinfo_top(mw->si, mw->opts.top, mw->slabs);
	return 0;
}

static int top_vmcallers(struct pd_mw *mw)
{
	size_t n = pd_vmallocinfo_count(mw->vi), i, k = 0;
	const struct pd_vmcaller **all;

	mw->vmc = calloc(mw->opts.top, sizeof(*mw->vmc));
	all = calloc(n ? n : 1, sizeof(*all));
	if (!mw->vmc || !all) {
		free(all);
		return -ENOMEM;
	}
	n = pd_vmallocinfo_top(mw->vi, n, all);
	for (i = 0; i < n && k < mw->opts.top; i++) {
		/* the stacks are the kernel-stack part; an area with no
		 * RAM of its own (ioremap, vmap) is in none */
		if (!all[i]->ram ||
		    (mw->stacks_in_vmalloc && stack_caller(all[i]->caller)))
			continue;
		mw->vmc[k++] = all[i];
	}
	mw->nvmc = k;
	free(all);
	return 0;
}

static int read_shmem_parts(struct pd_mw *mw)
{
	struct pd_memscan_opts o = { 0 };
	struct pd_memscan *ms;
	int r;

	r = pd_memscan_new(mw->pfs, &o, &ms);
	if (r < 0)
		return r;
	r = pd_memscan_run(ms);
	if (r == 0) {
		pd_memscan_summary(ms, &mw->shmem);
		mw->has_shmem = true;
	} else if (r != -ENOMEM) {
		mw->gaps.memscan = -r;
		r = 0;
	}
	pd_memscan_free(ms);
	return r;
}

/* The bytes of region I of C: resident, else the legacy key, else total. */
static uint64_t region_bytes(const struct pd_drm_client *c, size_t i)
{
	uint64_t v;

	if (pd_drm_region_get(c, i, PD_DRM_RESIDENT, &v) == 0 ||
	    pd_drm_region_get(c, i, PD_DRM_MEMORY, &v) == 0 ||
	    pd_drm_region_get(c, i, PD_DRM_TOTAL, &v) == 0)
		return v;
	return 0;
}

struct gpu_seen {
	struct pd_drm_client **v;
	size_t n, cap;
};

/* Client C of process PID (dir PIDFD): a new one is kept and recorded. */
static int gpu_add(struct pd_mw *mw, struct gpu_seen *seen, int pidfd,
		   pid_t pid, struct pd_drm_client *c)
{
	struct pd_mw_gpu_client *g;
	size_t i, cap = mw->ngpu;
	char *buf;
	size_t len;
	int r;

	for (i = 0; i < seen->n; i++)
		if (pd_drm_client_same(seen->v[i], c)) {
			pd_drm_client_free(c);
			return 0;
		}
	r = pd_array_grow((void **)&seen->v, &seen->cap, seen->n,
			  sizeof(*seen->v));
	if (r < 0) {
		pd_drm_client_free(c);
		return r;
	}
	seen->v[seen->n++] = c;
	g = realloc(mw->gpu, (cap + 1) * sizeof(*g));
	if (!g)
		return -ENOMEM;
	mw->gpu = g;
	g = &mw->gpu[mw->ngpu++];
	memset(g, 0, sizeof(*g));
	g->pid = pid;
	if (pd_read_at(pidfd, "comm", 4096, &buf, &len) == 0) {
		snprintf(g->comm, sizeof(g->comm), "%.*s",
			 (int)(len && buf[len - 1] == '\n' ? len - 1 : len),
			 buf);
		free(buf);
	}
	snprintf(g->driver, sizeof(g->driver), "%s", pd_drm_client_driver(c));
	if (pd_drm_client_pdev(c))
		snprintf(g->pdev, sizeof(g->pdev), "%s",
			 pd_drm_client_pdev(c));
	g->has_id = pd_drm_client_id(c, &g->id) == 0;
	for (i = 0; i < pd_drm_region_count(c); i++) {
		int cls = pd_mw_drm_region_class(pd_drm_region_name(c, i));

		if (cls == 1)
			g->ram += region_bytes(c, i);
		else if (cls == 2)
			g->vram += region_bytes(c, i);
	}
	return 0;
}

/* The DRM fds of one process: links into /dev/dri or to a DRM anon
 * inode, and their fdinfo. */
static int gpu_scan_pid(struct pd_mw *mw, struct gpu_seen *seen, pid_t pid)
{
	struct dirent *de;
	DIR *dir;
	int pidfd, fd, r = 0;

	r = pd_procfs_open_pid(mw->pfs, pid, &pidfd);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	fd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			mw->gaps.gpu_denied++;
		close(pidfd);
		return 0;
	}
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		close(pidfd);
		return -ENOMEM;
	}
	while ((de = readdir(dir))) {
		struct pd_drm_client *c;
		char link[64], rel[32];
		uint64_t n;
		int len;

		if (pd_numtext_u64(de->d_name, de->d_name + strlen(de->d_name),
				   &n) != (int)strlen(de->d_name) || n > INT32_MAX)
			continue;
		snprintf(rel, sizeof(rel), "fd/%u", (unsigned)n);
		len = pd_readlink_at(pidfd, rel, link, sizeof(link));
		if (len < 0 || (strncmp(link, "/dev/dri/", 9) &&
				strcmp(link, "anon_inode:drm")))
			continue;
		r = pd_drm_fdinfo_read(pidfd, (int)n, &c);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			r = 0;	/* no DRM client, or closed meanwhile */
			continue;
		}
		r = gpu_add(mw, seen, pidfd, pid, c);
		if (r < 0)
			break;
	}
	closedir(dir);
	close(pidfd);
	return r;
}

static int cmp_gpu(const void *a, const void *b)
{
	const struct pd_mw_gpu_client *x = a, *y = b;

	if (x->ram != y->ram)
		return x->ram > y->ram ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int read_gpu_clients(struct pd_mw *mw)
{
	struct gpu_seen seen = { 0 };
	pid_t *pids;
	size_t n, i;
	int r;

	r = pd_procfs_list_pids(mw->pfs, &pids, &n);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	for (i = 0; i < n && r == 0; i++)
		r = gpu_scan_pid(mw, &seen, pids[i]);
	free(pids);
	for (i = 0; i < seen.n; i++)
		pd_drm_client_free(seen.v[i]);
	free(seen.v);
	if (mw->ngpu > 1)
		qsort(mw->gpu, mw->ngpu, sizeof(*mw->gpu), cmp_gpu);
	return r;
}

/* ---- nodes ---------------------------------------------------------------- */

static int node_ledger(struct pd_mw *mw, struct pd_mw_node *nd)
{
	struct pd_mw_ledger *l = &nd->ledger;
	struct pd_meminfo *mi;
	uint64_t total, files, shmem, stack = 0, v;
	int r;

	r = pd_numa_meminfo_read(mw->sysfd, nd->id, &mi);
	if (r < 0)
		return r;
	if (!mi_get(mi, "MemTotal", &total)) {
		pd_meminfo_free(mi);
		return -ENODATA;
	}
	l->total = total;
	common_parts(l, mi);
	/* a node's FilePages holds its buffers and swap cache too */
	if (mi_get(mi, "FilePages", &files) && mi_get(mi, "Shmem", &shmem))
		set_part(l, PD_MW_PAGE_CACHE, (int64_t)(files - shmem),
			 "node FilePages - Shmem");
	r = pd_hugetlb_read(mw->sysfd, (int)nd->id, &nd->pools, &nd->npools);
	if (r == -ENOMEM) {
		pd_meminfo_free(mi);
		return r;
	}
	part_hugetlb(mw, l, mi, nd->pools, nd->npools, true);
	if (mw->vi && pd_vmallocinfo_has_nodes(mw->vi)) {
		v = pd_vmallocinfo_node_ram(mw->vi, nd->id);
		if (mw->stacks_in_vmalloc &&
		    mi_get(mi, "KernelStack", &stack))
			set_fig(l, PD_MW_FIG_STACKS_IN_VMALLOC, (int64_t)stack);
		else
			stack = 0;
		set_part(l, PD_MW_VMALLOC, v > stack ? (int64_t)(v - stack) : 0,
			 stack ? "vmallocinfo N<node>= - KernelStack" :
			 "vmallocinfo N<node>=");
	}
	part_remainder(l);
	if (mw->zi && pd_zoneinfo_find(mw->zi, nd->id)) {
		v = pd_zoneinfo_find(mw->zi, nd->id)->present * mw->page_size;
		set_fig(l, PD_MW_FIG_PRESENT, (int64_t)v);
		set_part(l, PD_MW_FIRMWARE, (int64_t)(v - total),
			 "zoneinfo present - MemTotal");
	} else if (mw->mb && nd->id < pd_memblocks_nr_nodes(mw->mb)) {
		v = pd_memblocks_node_online_bytes(mw->mb, nd->id);
		set_fig(l, PD_MW_FIG_ONLINE_BLOCKS, (int64_t)v);
		set_part(l, PD_MW_FIRMWARE, (int64_t)(v - total),
			 "sysfs memory blocks online - MemTotal");
	}
	pd_meminfo_free(mi);
	return 0;
}

static int read_nodes(struct pd_mw *mw)
{
	unsigned *ids = NULL;
	size_t n = 0, i, k;
	int r;

	if (mw->sysfd < 0)
		return 0;
	r = pd_numa_nodes_read(mw->sysfd, &ids, &n);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	mw->nodes = calloc(n ? n : 1, sizeof(*mw->nodes));
	if (!mw->nodes) {
		free(ids);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct pd_mw_node *nd = &mw->nodes[mw->nnodes];

		nd->id = ids[i];
		r = node_ledger(mw, nd);
		if (r == -ENOMEM)
			break;
		if (r < 0) {
			free(nd->pools);
			memset(nd, 0, sizeof(*nd));
			r = 0;
			continue;	/* went offline meanwhile */
		}
		read_numastat(mw, nd->id, nd->numastat, nd->has_numastat);
		for (k = 0; mw->marked && k < mw->nnuma0; k++) {
			size_t s;

			if (mw->numa0[k].id != nd->id)
				continue;
			for (s = 0; s < PD_MW_NNUMASTAT; s++) {
				const uint64_t then = mw->numa0[k].v[s];

				nd->has_numastat[s] &= mw->numa0[k].has[s];
				nd->numastat[s] = nd->numastat[s] > then ?
						  nd->numastat[s] - then : 0;
			}
		}
		mw->nnodes++;
	}
	free(ids);
	return r;
}

/* ---- cgroups -------------------------------------------------------------- */

static const struct ev_mark *find_ev_mark(const struct pd_mw *mw,
					  const char *path)
{
	struct ev_mark key = { .path = (char *)path };

	if (!mw->nev0)
		return NULL;
	return bsearch(&key, mw->ev0, mw->nev0, sizeof(*mw->ev0),
		       cmp_ev_mark);
}

/* Add each cgroup's processes' PSS to it and to its ancestors. */
static int cgroup_pss(struct pd_mw *mw)
{
	enum pd_pss_key key = PD_PSS_KEY_CGROUP;
	struct pd_pscan_opts o = { 0 };
	struct pd_pscan *ps;
	size_t i, k;
	int r;

	o.want = PD_PSCAN_CGROUP;
	o.keys = &key;
	o.nkeys = 1;
	o.jobs = 1;
	o.exclude_self = mw->opts.live;
	if (mw->opts.cgroup)
		o.filter.cgroup = pd_memcg_node(mw->mc, 0)->path;
	r = pd_pscan_new(mw->pfs, &o, &ps);
	if (r < 0)
		return r;
	r = pd_pscan_run(ps);
	if (r < 0) {
		pd_pscan_free(ps);
		return r == -ENOMEM ? r : 0;
	}
	for (i = 0; i < mw->ncgs; i++)
		mw->cgs[i].has_pss = true;
	for (i = 0; i < pd_pscan_ngroups(ps); i++) {
		const struct pd_pssgroup *g = pd_pscan_group(ps, i);

		if (!g->proc->cgroup ||
		    pd_memcg_find(mw->mc, g->proc->cgroup, &k) < 0)
			continue;
		for (; k != SIZE_MAX; k = pd_memcg_node(mw->mc, k)->parent)
			mw->cgs[k].pss += g->sm.pss;
	}
	mw->gaps.pss_missing = pd_pscan_missing(ps);
	pd_pscan_free(ps);
	return 0;
}

static void cgroup_sums(struct pd_mw *mw)
{
	size_t i, k;

	for (i = 0; i < mw->ncgs; i++) {
		const struct pd_memcg_node *c = pd_memcg_node(mw->mc, i);

		mw->cgs[i].has_procs = c->has_pids;
		if (c->end > i + 1 && (c->has & (1u << PD_MEMCG_CURRENT))) {
			mw->cgs[i].has_own = true;
			mw->cgs[i].own = (int64_t)c->v[PD_MEMCG_CURRENT];
		}
	}
	for (i = 0; i < mw->ncgs; i++) {
		const struct pd_memcg_node *c = pd_memcg_node(mw->mc, i);

		if (c->parent != SIZE_MAX) {
			struct pd_mw_cgroup *p = &mw->cgs[c->parent];

			if (!(c->has & (1u << PD_MEMCG_CURRENT)))
				p->has_own = false;
			p->own -= (int64_t)c->v[PD_MEMCG_CURRENT];
		}
		for (k = i; k != SIZE_MAX;
		     k = pd_memcg_node(mw->mc, k)->parent) {
			mw->cgs[k].procs += c->npids;
			if (!c->has_pids)
				mw->cgs[k].has_procs = false;
		}
	}
}

static int read_cgroups(struct pd_mw *mw)
{
	unsigned want = mw->opts.memcg_want ? mw->opts.memcg_want :
			PD_MEMCG_WANT_ALL & ~PD_MEMCG_WANT_PROCS;
	size_t i, e;
	int r;

	r = open_memcg(mw);
	if (r < 0 || !mw->mc)
		return r;
	if (mw->opts.want & PD_MW_WANT_PROCS)
		want |= PD_MEMCG_WANT_PROCS;
	r = pd_memcg_read(mw->mc, mw->opts.cgroup, want);
	if (r < 0)
		return r;
	mw->ncgs = pd_memcg_count(mw->mc);
	mw->cgs = calloc(mw->ncgs ? mw->ncgs : 1, sizeof(*mw->cgs));
	if (!mw->cgs)
		return -ENOMEM;
	if (mw->opts.want & PD_MW_WANT_NAMES) {
		r = pd_cgname_new(mw->opts.state_root,
				  mw->opts.live || mw->opts.state_root ? 0 :
				  PD_CGNAME_PATH_ONLY, &mw->names);
		if (r < 0)
			return r;
	}
	for (i = 0; i < mw->ncgs; i++) {
		const struct pd_memcg_node *c = pd_memcg_node(mw->mc, i);
		struct pd_mw_cgroup *g = &mw->cgs[i];
		const struct ev_mark *m;

		g->node = i;
		pd_memcg_items(mw->mc, i, &g->items);
		if (mw->names) {
			r = pd_cgname_lookup(mw->names, c->path, &g->name);
			if (r < 0)
				return r;
		}
		m = mw->marked ? find_ev_mark(mw, c->path) : NULL;
		if (m) {
			g->has_ev_delta = true;
			for (e = 0; e < PD_MEMCG_NEVENTS; e++)
				g->ev_delta[e] = c->ev[e] >= m->ev[e] ?
						 c->ev[e] - m->ev[e] : c->ev[e];
		}
	}
	if (mw->names) {
		struct pd_cgname_stats st;

		pd_cgname_get_stats(mw->names, &st);
		mw->gaps.names_denied = st.denied;
	}
	cgroup_sums(mw);
	if (mw->opts.want & PD_MW_WANT_PSS)
		return cgroup_pss(mw);
	return 0;
}

/* ---- run ----------------------------------------------------------------- */

int pd_mw_run(struct pd_mw *mw)
{
	struct pd_keyed *vmstat = NULL, *dentry = NULL;
	char *buf;
	size_t len;
	uint64_t total;
	bool details = mw->opts.want & PD_MW_WANT_DETAILS;
	int r;

	if (pd_procfs_read(mw->pfs, "sys/kernel/osrelease", 4096, &buf,
			   &len) == 0) {
		if (pd_mw_release_parse(buf, &mw->kernel) < 0)
			mw->kernel = 0;
		free(buf);
	}
	r = pd_meminfo_read(mw->pfs, &mw->mi);
	if (r < 0)
		return r;
	if (!mi_get(mw->mi, "MemTotal", &total))
		return -ENODATA;
	mw->machine.total = total;
	r = pd_keyed_read(mw->pfs, "vmstat", &vmstat);
	if (r == -ENOMEM)
		return r;
	if (vmstat)
		read_activity(mw, vmstat);
	mw->has_psi = pd_pressure_read(mw->pfs, "memory", &mw->psi) == 0;
	r = read_dentry_state(mw, &dentry);
	if (r == -ENOMEM)
		goto out_free;
	r = pd_zfsarc_read(mw->pfs, &mw->arc);
	if (r == -ENOMEM)
		goto out_free;
	r = pd_zoneinfo_read(mw->pfs, &mw->zi);
	if (r == -ENOMEM)
		goto out_free;
	r = read_sysfs(mw);
	if (r < 0)
		goto out_free;
	/* vmallocinfo costs ms: read it for -v and the node ledgers, or
	 * when VmallocUsed is no RAM figure on this kernel */
	if (details || (mw->opts.want & PD_MW_WANT_NODES) ||
	    (mi_get(mw->mi, "VmallocUsed", NULL) && !vmalloc_used_is_ram(mw))) {
		r = read_vmallocinfo(mw);
		if (r < 0)
			goto out_free;
	}
	if (details) {
		r = read_slabs(mw);
		if (r == 0 && mw->vi)
			r = top_vmcallers(mw);
		if (r == 0)
			r = read_shmem_parts(mw);
		if (r == 0)
			r = read_gpu_clients(mw);
		if (r < 0)
			goto out_free;
	}
	machine_ledger(mw, vmstat, dentry);
	if (mw->opts.want & PD_MW_WANT_NODES) {
		r = read_nodes(mw);
		if (r < 0)
			goto out_free;
	}
	if (mw->opts.want & PD_MW_WANT_CGROUPS)
		r = read_cgroups(mw);

out_free:
	pd_keyed_free(vmstat);
	pd_keyed_free(dentry);
	return r;
}

/* ---- access -------------------------------------------------------------- */

const struct pd_mw_ledger *pd_mw_machine(const struct pd_mw *mw)
{
	return &mw->machine;
}

const struct pd_mw_activity *pd_mw_activity(const struct pd_mw *mw)
{
	return &mw->act;
}

bool pd_mw_pressure(const struct pd_mw *mw, struct pd_pressure *ret_p)
{
	if (mw->has_psi && ret_p)
		*ret_p = mw->psi;
	return mw->has_psi;
}

const struct pd_mw_gaps *pd_mw_gaps(const struct pd_mw *mw)
{
	return &mw->gaps;
}

unsigned long pd_mw_page_size(const struct pd_mw *mw)
{
	return mw->page_size;
}

unsigned pd_mw_kernel(const struct pd_mw *mw)
{
	return mw->kernel;
}

size_t pd_mw_npools(const struct pd_mw *mw)
{
	return mw->npools;
}

const struct pd_hugetlb_pool *pd_mw_pool(const struct pd_mw *mw, size_t i)
{
	return i < mw->npools ? &mw->pools[i] : NULL;
}

size_t pd_mw_nzram(const struct pd_mw *mw)
{
	return mw->nzram;
}

const struct pd_zram *pd_mw_zram(const struct pd_mw *mw, size_t i)
{
	return i < mw->nzram ? &mw->zram[i] : NULL;
}

size_t pd_mw_nslabs(const struct pd_mw *mw)
{
	return mw->nslabs;
}

const struct pd_slab *pd_mw_slab(const struct pd_mw *mw, size_t i)
{
	return i < mw->nslabs ? mw->slabs[i] : NULL;
}

size_t pd_mw_nvmcallers(const struct pd_mw *mw)
{
	return mw->nvmc;
}

const struct pd_vmcaller *pd_mw_vmcaller(const struct pd_mw *mw, size_t i)
{
	return i < mw->nvmc ? mw->vmc[i] : NULL;
}

bool pd_mw_shmem_parts(const struct pd_mw *mw, struct pd_memsummary *ret_sum)
{
	if (mw->has_shmem && ret_sum)
		*ret_sum = mw->shmem;
	return mw->has_shmem;
}

size_t pd_mw_ngpu_clients(const struct pd_mw *mw)
{
	return mw->ngpu;
}

const struct pd_mw_gpu_client *pd_mw_gpu_client(const struct pd_mw *mw,
						size_t i)
{
	return i < mw->ngpu ? &mw->gpu[i] : NULL;
}

size_t pd_mw_nnodes(const struct pd_mw *mw)
{
	return mw->nnodes;
}

const struct pd_mw_node *pd_mw_node(const struct pd_mw *mw, size_t i)
{
	return i < mw->nnodes ? &mw->nodes[i] : NULL;
}

const struct pd_memcg *pd_mw_memcg(const struct pd_mw *mw)
{
	return mw->cgs ? mw->mc : NULL;
}

size_t pd_mw_ncgroups(const struct pd_mw *mw)
{
	return mw->ncgs;
}

const struct pd_mw_cgroup *pd_mw_cgroup(const struct pd_mw *mw, size_t i)
{
	return i < mw->ncgs ? &mw->cgs[i] : NULL;
}
