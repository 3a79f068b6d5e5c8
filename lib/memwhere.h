/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: where every byte of RAM is: the machine's ledger, per NUMA
 * node, per memory cgroup, with pressure and activity; the engine of
 * memwhere. It returns numbers; the tool says what they mean. */
#ifndef PD_MEMWHERE_H
#define PD_MEMWHERE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgname.h"
#include "hugetlb.h"
#include "memcg.h"
#include "memscan.h"
#include "pressure.h"
#include "procfs.h"
#include "slabinfo.h"
#include "vmallocinfo.h"
#include "zram.h"

/*
 * The ledger's lines. The parts (PD_MW_KIND_PART) add up to MemTotal
 * exactly: each is a meminfo line or a difference of lines that no other
 * part holds (page cache is Cached - Shmem, vmalloc is VmallocUsed less
 * the kernel stacks it also holds), or RAM no meminfo line shows (the
 * zsmalloc pool, GPU pages), and the remainder is what is left. The
 * others lie inside parts (PD_MW_KIND_OVERLAP) or outside MemTotal
 * (PD_MW_KIND_OUTSIDE).
 */
enum pd_mw_part {
	PD_MW_FREE,		/* MemFree */
	PD_MW_ANON,		/* AnonPages */
	PD_MW_PAGE_CACHE,	/* Cached - Shmem; a node: FilePages - Shmem */
	PD_MW_SHMEM,		/* Shmem */
	PD_MW_BUFFERS,		/* Buffers (machine only) */
	PD_MW_SWAP_CACHE,	/* SwapCached (machine only) */
	PD_MW_SLAB,		/* Slab */
	PD_MW_KRECLAIMABLE,	/* KReclaimable - SReclaimable (4.20+) */
	PD_MW_KERNEL_STACK,	/* KernelStack */
	PD_MW_PAGE_TABLES,	/* PageTables */
	PD_MW_SEC_PAGE_TABLES,	/* SecPageTables (6.0+) */
	PD_MW_PERCPU,		/* Percpu (machine only) */
	PD_MW_VMALLOC,		/* vmalloc'ed RAM less the kernel stacks */
	PD_MW_HUGETLB,		/* the hugetlb pools, every page size */
	PD_MW_ZSMALLOC,		/* zram and zswap pools: nr_zspages */
	PD_MW_GPU,		/* GPU pages of system RAM in no line */
	PD_MW_UNACCEPTED,	/* Unaccepted (6.5+) */
	PD_MW_HW_CORRUPTED,	/* HardwareCorrupted */
	PD_MW_BOUNCE,		/* Bounce */
	PD_MW_WRITEBACK_TMP,	/* WritebackTmp */
	PD_MW_REMAINDER,	/* MemTotal - every part above */
	PD_MW_ZFS_ARC,		/* overlap: the ARC lies in slab, vmalloc
				 * and the remainder */
	PD_MW_FIRMWARE,		/* outside: present pages (zoneinfo), or
				 * online memory blocks, - MemTotal */
	PD_MW_OFFLINE,		/* outside: offline memory blocks (with
				 * details: reading every block costs) */
	PD_MW_BALLOON,		/* outside (most drivers): Balloon (6.12+) */
	PD_MW_NPARTS,
};

enum pd_mw_kind {
	PD_MW_KIND_PART,	/* adds up to MemTotal */
	PD_MW_KIND_OVERLAP,	/* inside other parts: not added */
	PD_MW_KIND_OUTSIDE,	/* RAM that is not in MemTotal */
};

/* "page-cache": the part's name in the PART column and metric labels. */
const char *pd_mw_part_name(enum pd_mw_part part);
enum pd_mw_kind pd_mw_part_kind(enum pd_mw_part part);

/* Figures behind the parts, for what the tool says of them. Bytes unless
 * the comment says otherwise. */
enum pd_mw_fig {
	PD_MW_FIG_AVAILABLE,	/* MemAvailable (3.14+) */
	PD_MW_FIG_DIRTY,	/* in page cache */
	PD_MW_FIG_WRITEBACK,	/* in page cache */
	PD_MW_FIG_MAPPED,	/* in page cache and shmem */
	PD_MW_FIG_ACTIVE_FILE,
	PD_MW_FIG_INACTIVE_FILE,
	PD_MW_FIG_ANON_THP,	/* AnonHugePages, in anon */
	PD_MW_FIG_SHMEM_THP,	/* ShmemHugePages, in shmem */
	PD_MW_FIG_FILE_THP,	/* FileHugePages, in page cache */
	PD_MW_FIG_SRECLAIMABLE,
	PD_MW_FIG_SUNRECLAIM,
	PD_MW_FIG_MLOCKED,
	PD_MW_FIG_SWAP_TOTAL,
	PD_MW_FIG_SWAP_FREE,
	PD_MW_FIG_ZSWAP,	/* Zswap: the compressed pool (5.19+) */
	PD_MW_FIG_ZSWAPPED,	/* Zswapped: the pages stored in it */
	PD_MW_FIG_ZRAM,		/* zram devices' mem_used_total */
	PD_MW_FIG_ZRAM_STORED,	/* their orig_data_size */
	PD_MW_FIG_VMALLOC_USED,	/* the VmallocUsed line as printed */
	PD_MW_FIG_VMALLOC_RAM,	/* vmallocinfo's pages= of vmalloc areas */
	PD_MW_FIG_STACKS_IN_VMALLOC, /* taken off vmalloc: KernelStack */
	/* AnonPages + Cached + Buffers + SwapCached - the five LRU lists:
	 * pages counted twice (swapped in and still mapped: anon and swap
	 * cache) or off the LRU; may be negative */
	PD_MW_FIG_LRU_OVERLAP,
	PD_MW_FIG_HUGETLB_FREE,	/* of the pools, free */
	PD_MW_FIG_HUGETLB_RSVD,	/* of the free, promised to mappings */
	PD_MW_FIG_HUGETLB_SURPLUS,
	PD_MW_FIG_DENTRIES,	/* dentry-state: a count */
	PD_MW_FIG_NEG_DENTRIES,	/* of them, negative (5.x+): a count */
	PD_MW_FIG_SLAB_CACHES,	/* slabinfo: the caches' bytes */
	PD_MW_FIG_PRESENT,	/* zoneinfo: physical pages present */
	PD_MW_FIG_ONLINE_BLOCKS,/* online memory blocks */
	PD_MW_FIG_BLOCK_SIZE,
	PD_MW_FIG_GPU_VRAM_USED,/* amdgpu VRAM used: not RAM */
	PD_MW_FIG_ARC_C,	/* ZFS ARC target */
	PD_MW_FIG_ARC_C_MAX,
	PD_MW_FIG_ARC_C_MIN,
	PD_MW_NFIGS,
};

/* One ledger: the machine's, or a node's. */
struct pd_mw_ledger {
	uint64_t total;			/* MemTotal */
	bool has[PD_MW_NPARTS];		/* the part's source is there */
	int64_t bytes[PD_MW_NPARTS];	/* the remainder may be < 0 */
	const char *source[PD_MW_NPARTS]; /* where it came from, static
					   * text: "meminfo Cached - Shmem" */
	bool has_fig[PD_MW_NFIGS];
	int64_t fig[PD_MW_NFIGS];
	/* VmallocUsed is not RAM on this kernel (0 on 4.4 to 5.2, address
	 * space before 4.4) and vmallocinfo could not be read: the vmalloc
	 * part is missing and in the remainder */
	bool vmalloc_unknown;
	/* a node's meminfo has no vmalloc: in the node's remainder unless
	 * vmallocinfo gave its N<node>= pages */
};

/* Counters of /proc/vmstat the tool rates. */
enum pd_mw_act {
	PD_MW_ACT_SWAP_IN,	/* pswpin, pages */
	PD_MW_ACT_SWAP_OUT,	/* pswpout, pages */
	PD_MW_ACT_MAJOR_FAULTS,	/* pgmajfault */
	PD_MW_ACT_REFAULTS,	/* workingset_refault_anon + _file (5.9+),
				 * workingset_refault before */
	PD_MW_ACT_COMPACT_STALLS,	/* compact_stall */
	PD_MW_ACT_THP_FALLBACKS,	/* thp_fault_fallback */
	PD_MW_ACT_OOM_KILLS,	/* oom_kill (4.13+) */
	PD_MW_NACTS,
};

/* "swap-in": the counter's name in the PART column and metric labels. */
const char *pd_mw_act_name(enum pd_mw_act act);

struct pd_mw_activity {
	bool has[PD_MW_NACTS];
	uint64_t count[PD_MW_NACTS];	/* since boot, or in the interval */
	bool interval;			/* two samples (pd_mw_mark()) */
	double seconds;			/* the interval, or the uptime; 0
					 * when unknown */
	char thp_enabled[16];		/* "always", "madvise", "never"; "" */
	char thp_defrag[24];
};

/* numastat of a node, in pages (allocations, not pages held). */
enum pd_mw_numastat {
	PD_MW_NUMA_HIT,
	PD_MW_NUMA_MISS,
	PD_MW_NUMA_FOREIGN,
	PD_MW_NUMA_INTERLEAVE_HIT,
	PD_MW_NUMA_LOCAL,
	PD_MW_NUMA_OTHER,
	PD_MW_NNUMASTAT,
};

/* "numa_hit": the counter's name as numastat prints it. */
const char *pd_mw_numastat_name(enum pd_mw_numastat s);

struct pd_mw_node {
	unsigned id;
	struct pd_mw_ledger ledger;
	bool has_numastat[PD_MW_NNUMASTAT];
	uint64_t numastat[PD_MW_NNUMASTAT];	/* pages: since boot, or in
						 * the interval */
	struct pd_hugetlb_pool *pools;	/* its hugetlb pools */
	size_t npools;
};

/* A DRM client (-v): one per drm-client-id, however many fds reach it. */
struct pd_mw_gpu_client {
	pid_t pid;		/* the first process seen holding it */
	char comm[64];
	char driver[32];
	char pdev[32];
	bool has_id;
	uint64_t id;
	uint64_t ram;		/* resident in system RAM regions (gtt,
				 * cpu, system*, memory) */
	uint64_t vram;		/* resident in device memory (vram*,
				 * local*): not RAM */
};

/* One memory cgroup, beside its pd_memcg_node. */
struct pd_mw_cgroup {
	size_t node;			/* its index in pd_mw_memcg() */
	struct pd_memcg_items items;
	bool has_pss;
	uint64_t pss;			/* its processes' and its
					 * descendants' PSS */
	bool has_procs;
	size_t procs;			/* processes in it and below it */
	/* CURRENT - the live children's CURRENT: charged here and in no
	 * live child: its own processes' pages and its dying
	 * descendants'. Known for a cgroup with children. */
	bool has_own;
	int64_t own;
	struct pd_cgname name;		/* who it is; fields may be NULL */
	/* with pd_mw_mark(): the events counted in the interval */
	bool has_ev_delta;
	uint64_t ev_delta[PD_MEMCG_NEVENTS];
};

/* What could not be read, for warnings. 0 or a positive errno. */
struct pd_mw_gaps {
	int slabinfo;		/* EACCES without root */
	int vmallocinfo;
	int memscan;
	int cgroups;		/* ENOMEDIUM: no memory hierarchy */
	int sysfs;		/* the sys root could not be opened */
	unsigned pss_missing;	/* processes whose PSS could not be read */
	unsigned gpu_denied;	/* processes whose fds could not be read */
	unsigned names_denied;	/* container files that need root */
};

/* What to read beyond meminfo, vmstat and PSI; each costs. */
enum pd_mw_want {
	PD_MW_WANT_DETAILS = 1 << 0,	/* slabinfo, vmallocinfo, the
					 * Shmem parts (memscan), DRM
					 * clients, zram devices */
	PD_MW_WANT_NODES = 1 << 1,	/* per-node ledgers and numastat */
	PD_MW_WANT_CGROUPS = 1 << 2,	/* the memory cgroup tree */
	PD_MW_WANT_PSS = 1 << 3,	/* PSS of each cgroup's processes */
	PD_MW_WANT_NAMES = 1 << 4,	/* unit, container, pod names */
	PD_MW_WANT_PROCS = 1 << 5,	/* processes per cgroup */
};

struct pd_mw_opts {
	unsigned want;		/* enum pd_mw_want */
	/* the sysfs root ("/sys", a fixture's sys/); NULL: read no sysfs
	 * (no hugetlb pools, memory blocks, zram, GPU cards, nodes or
	 * cgroups) */
	const char *sys_root;
	const char *cgroup;	/* only this subtree; NULL: all */
	/* the cgroup files to read (enum pd_memcg_want); 0: all */
	unsigned memcg_want;
	size_t top;		/* drill-down rows per part; 0: 5 */
	unsigned long page_size;	/* 0: this system's */
	/* the proc root is this machine's: cgroup names may come from the
	 * runtimes' files on disk, and the scan skips itself */
	bool live;
	/* where the runtimes' files are read (pd_cgname_new()'s root), live
	 * or not; NULL: "/" when live, none (names from the paths) else */
	const char *state_root;
};

struct pd_mw;

/*
 * A reading of the machine behind the proc root PFS (which must outlive
 * it) with OPTS (copied; its strings must outlive it). Returns 0 or
 * -ENOMEM; free with pd_mw_free().
 */
int pd_mw_new(struct pd_procfs *pfs, const struct pd_mw_opts *opts,
	      struct pd_mw **ret_mw);
void pd_mw_free(struct pd_mw *mw);

/*
 * The first of two samples (-i): vmstat, numastat and the cgroups'
 * events now; pd_mw_run() then reports what they counted in between.
 * Returns 0 or -errno of reading vmstat.
 */
int pd_mw_mark(struct pd_mw *mw);

/*
 * Read everything OPTS asks for and work out the ledgers. Returns 0,
 * -ENODATA when meminfo has no MemTotal, -ENOENT when opts.cgroup is not
 * a cgroup, -ENOMEM, or -errno of reading meminfo. What else cannot be
 * read is left out and said in pd_mw_gaps(). Call once.
 */
int pd_mw_run(struct pd_mw *mw);

const struct pd_mw_ledger *pd_mw_machine(const struct pd_mw *mw);
const struct pd_mw_activity *pd_mw_activity(const struct pd_mw *mw);
/* /proc/pressure/memory; false when the kernel has no PSI. */
bool pd_mw_pressure(const struct pd_mw *mw, struct pd_pressure *ret_p);
const struct pd_mw_gaps *pd_mw_gaps(const struct pd_mw *mw);
unsigned long pd_mw_page_size(const struct pd_mw *mw);
/* The kernel release as X * 1000 + Y ("6.18.44" is 6018); 0 unknown. */
unsigned pd_mw_kernel(const struct pd_mw *mw);

/* The machine's hugetlb pools (sysfs), ascending by page size. */
size_t pd_mw_npools(const struct pd_mw *mw);
const struct pd_hugetlb_pool *pd_mw_pool(const struct pd_mw *mw, size_t i);

/* The zram devices (sysfs), set up or not. */
size_t pd_mw_nzram(const struct pd_mw *mw);
const struct pd_zram *pd_mw_zram(const struct pd_mw *mw, size_t i);

/* With PD_MW_WANT_DETAILS: the largest slab caches and vmalloc callers
 * (not the thread stacks: they are the kernel-stack part), at most
 * opts.top of each, largest first; the Shmem parts (false when memscan
 * could not run); the DRM clients, most RAM first. */
size_t pd_mw_nslabs(const struct pd_mw *mw);
const struct pd_slab *pd_mw_slab(const struct pd_mw *mw, size_t i);
size_t pd_mw_nvmcallers(const struct pd_mw *mw);
const struct pd_vmcaller *pd_mw_vmcaller(const struct pd_mw *mw, size_t i);
bool pd_mw_shmem_parts(const struct pd_mw *mw,
		       struct pd_memsummary *ret_sum);
size_t pd_mw_ngpu_clients(const struct pd_mw *mw);
const struct pd_mw_gpu_client *pd_mw_gpu_client(const struct pd_mw *mw,
						size_t i);

/* With PD_MW_WANT_NODES: the nodes, ascending by id. */
size_t pd_mw_nnodes(const struct pd_mw *mw);
const struct pd_mw_node *pd_mw_node(const struct pd_mw *mw, size_t i);

/* With PD_MW_WANT_CGROUPS: the hierarchy (NULL when none was found) and
 * one record per cgroup, in its order. */
const struct pd_memcg *pd_mw_memcg(const struct pd_mw *mw);
size_t pd_mw_ncgroups(const struct pd_mw *mw);
const struct pd_mw_cgroup *pd_mw_cgroup(const struct pd_mw *mw, size_t i);

/*
 * The kernel release "6.18.44-amd64" as X * 1000 + Y (6018). Returns 0
 * or -EINVAL.
 */
int pd_mw_release_parse(const char *s, unsigned *ret_version);

/*
 * The DRM region NAME as memory: 1 system RAM ("gtt", "cpu", "system0",
 * "memory"), 2 device memory ("vram", "local0"), 0 neither ("stolen-
 * system0": RAM the firmware keeps).
 */
int pd_mw_drm_region_class(const char *name);

#endif
