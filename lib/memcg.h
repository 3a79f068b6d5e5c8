/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memcg: the memory cgroup hierarchy, v2 and v1: limits, usage, memory.stat,
 * events, pressure, dying descendants and processes of every cgroup. */
#ifndef PD_MEMCG_H
#define PD_MEMCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "keyed.h"
#include "pressure.h"

/* A limit that is not set: "max" on v2, PAGE_COUNTER_MAX on v1. */
#define PD_MEMCG_UNLIMITED UINT64_MAX

/*
 * The one-value files of a cgroup, in bytes. Each is present or not (the
 * bit 1 << value in has): a v2-only file is absent on v1 and the other way
 * round, never 0; a file of a later kernel is absent on an earlier one.
 */
enum pd_memcg_value {
	PD_MEMCG_CURRENT,	/* memory.current; v1 memory.usage_in_bytes */
	PD_MEMCG_PEAK,		/* memory.peak (5.19+); v1 max_usage_in_bytes */
	PD_MEMCG_MIN,		/* v2 memory.min */
	PD_MEMCG_LOW,		/* v2 memory.low */
	PD_MEMCG_HIGH,		/* v2 memory.high */
	PD_MEMCG_MAX,		/* memory.max; v1 memory.limit_in_bytes */
	PD_MEMCG_SOFT_LIMIT,	/* v1 memory.soft_limit_in_bytes */
	PD_MEMCG_SWAP_CURRENT,	/* v2 memory.swap.current; v1 memsw - usage */
	PD_MEMCG_SWAP_MAX,	/* v2 memory.swap.max; v1 memsw limit - limit
				 * (both limited), else unlimited */
	PD_MEMCG_MEMSW_CURRENT,	/* v1 memory.memsw.usage_in_bytes */
	PD_MEMCG_MEMSW_MAX,	/* v1 memory.memsw.limit_in_bytes */
	PD_MEMCG_ZSWAP_CURRENT,	/* v2 memory.zswap.current (5.19+) */
	PD_MEMCG_ZSWAP_MAX,	/* v2 memory.zswap.max */
	PD_MEMCG_KMEM,		/* v1 memory.kmem.usage_in_bytes */
	PD_MEMCG_FAILCNT,	/* v1 memory.failcnt: a count, not bytes */
	PD_MEMCG_NVALUES,
};

/*
 * Counters of events since the cgroup was made: v2 memory.events
 * (hierarchical), v1 memory.oom_control.
 */
enum pd_memcg_event {
	PD_MEMCG_EV_LOW,	/* v2: reclaimed below memory.low */
	PD_MEMCG_EV_HIGH,	/* v2: over memory.high, throttled */
	PD_MEMCG_EV_MAX,	/* v2: at memory.max, direct reclaim */
	PD_MEMCG_EV_OOM,	/* v2: OOM at memory.max */
	PD_MEMCG_EV_OOM_KILL,	/* v2; v1 oom_control (4.13+): processes
				 * the OOM killer killed */
	PD_MEMCG_EV_OOM_GROUP_KILL,	/* v2 (5.16+) */
	PD_MEMCG_EV_UNDER_OOM,	/* v1 oom_control: 1 while an OOM waits */
	PD_MEMCG_NEVENTS,
};

/* One cgroup as read. */
struct pd_memcg_node {
	const char *path;	/* "/" or "/system.slice/foo.service", as
				 * /proc/PID/cgroup shows it */
	const char *name;	/* the last component; "/" for the root */
	size_t parent;		/* index; SIZE_MAX for the first node */
	size_t end;		/* its subtree is the nodes [index, end) */
	unsigned depth;		/* 0 for the first node */
	bool root;		/* the hierarchy's root cgroup */
	uint64_t v[PD_MEMCG_NVALUES];
	unsigned has;		/* 1 << enum pd_memcg_value */
	uint64_t ev[PD_MEMCG_NEVENTS];
	unsigned ev_has;	/* 1 << enum pd_memcg_event */
	struct pd_keyed *stat;	/* memory.stat; NULL when not read */
	bool has_pressure;	/* memory.pressure (v2 with PSI) */
	struct pd_pressure pressure;
	bool has_cgstat;	/* cgroup.stat (v2) */
	uint64_t nr_descendants, nr_dying_descendants;
	int oom_group;		/* v2 memory.oom.group 0/1; -1 absent */
	int swappiness;		/* v1 memory.swappiness; -1 absent */
	int oom_kill_disable;	/* v1 oom_control; -1 absent */
	bool has_pids;		/* cgroup.procs was read */
	pid_t *pids;		/* its own processes, in cgroup.procs order */
	size_t npids;
};

/* What pd_memcg_read() reads of each cgroup: each file costs about 10 us,
 * memory.stat several times that; read only what is shown. */
enum pd_memcg_want {
	PD_MEMCG_WANT_USAGE = 1 << 0,	/* current */
	PD_MEMCG_WANT_LIMITS = 1 << 1,	/* max; v2 high, min, low */
	PD_MEMCG_WANT_STAT = 1 << 2,	/* memory.stat; v1 kmem too */
	PD_MEMCG_WANT_EVENTS = 1 << 3,	/* memory.events; v1 oom_control
					 * and failcnt */
	PD_MEMCG_WANT_PRESSURE = 1 << 4,/* memory.pressure */
	PD_MEMCG_WANT_CGSTAT = 1 << 5,	/* cgroup.stat */
	PD_MEMCG_WANT_PROCS = 1 << 6,	/* cgroup.procs */
	PD_MEMCG_WANT_PEAK = 1 << 7,	/* peak */
	PD_MEMCG_WANT_SWAP = 1 << 8,	/* swap and zswap current and max,
					 * v1 memsw usage and limit */
	PD_MEMCG_WANT_KNOBS = 1 << 9,	/* oom.group, swappiness,
					 * oom_kill_disable, soft limit */
	PD_MEMCG_WANT_ALL = (1 << 10) - 1,
};

/*
 * What memory.stat says a cgroup's memory is, in bytes, the same on both
 * versions (v1's hierarchical total_* lines). ANON + FILE + KERNEL + rest
 * is CURRENT; the others are parts of those three.
 */
enum pd_memcg_item {
	PD_MEMCG_ANON,		/* v2 anon; v1 total_rss: mapped anonymous */
	PD_MEMCG_FILE,		/* v2 file; v1 total_cache: page cache,
				 * shmem included */
	/* v2: kernel (5.18+; before it kernel_stack + pagetables +
	 * sec_pagetables + percpu + vmalloc + slab) plus sock, which
	 * memory.current counts beside it; v1: memory.kmem.usage_in_bytes */
	PD_MEMCG_KERNEL,
	PD_MEMCG_SHMEM,		/* in FILE: tmpfs, shared anonymous, SysV */
	PD_MEMCG_FILE_MAPPED,	/* in FILE (and shmem): mapped by a process */
	PD_MEMCG_FILE_DIRTY,
	PD_MEMCG_FILE_WRITEBACK,
	PD_MEMCG_SLAB,		/* in KERNEL */
	PD_MEMCG_KERNEL_STACK,	/* in KERNEL */
	PD_MEMCG_PAGETABLES,	/* in KERNEL */
	PD_MEMCG_PERCPU,	/* in KERNEL */
	PD_MEMCG_VMALLOC,	/* in KERNEL */
	PD_MEMCG_SOCK,		/* in KERNEL (v2) */
	PD_MEMCG_ZSWAP,		/* compressed swap held in RAM (5.19+) */
	PD_MEMCG_ANON_THP,	/* in ANON; v1 total_rss_huge */
	PD_MEMCG_FILE_THP,	/* in FILE */
	PD_MEMCG_SHMEM_THP,	/* in SHMEM */
	PD_MEMCG_SWAPCACHED,	/* swap cache (6.6+), mapped or not */
	PD_MEMCG_NITEMS,
};

struct pd_memcg_items {
	uint64_t v[PD_MEMCG_NITEMS];
	unsigned has;		/* 1 << enum pd_memcg_item */
	/*
	 * CURRENT - ANON - FILE - KERNEL: what memory.stat leaves out (swap
	 * cache not mapped, pages in flight; and the lag of memory.stat,
	 * whose per-CPU counts are flushed every 2 s, so it may be
	 * negative). Known when all four are. On the v1 root, usage is
	 * anon + file only (mem_cgroup_usage()), so KERNEL is left out of
	 * the sum there (kernel_in_current false).
	 */
	bool has_rest;
	int64_t rest;
	bool kernel_in_current;
	/*
	 * CURRENT - ANON - FILE_MAPPED: charged to the cgroup, mapped by no
	 * page table: page cache and tmpfs nobody maps, kernel memory, swap
	 * cache. Known when the three are.
	 */
	bool has_unmapped;
	int64_t unmapped;
};

/*
 * The items of memory.stat STAT (the table of a cgroup of VERSION 1 or
 * 2), with KMEM (v1 memory.kmem.usage_in_bytes, or NULL) and CURRENT (or
 * NULL); ROOT for the hierarchy's root. Pure: no I/O.
 */
void pd_memcg_items_compute(const struct pd_keyed *stat, int version,
			    bool root, const uint64_t *current,
			    const uint64_t *kmem, struct pd_memcg_items *ret);

/*
 * Parse a limit file ("max\n" or "536870912\n"): *ret_bytes is the
 * number, or PD_MEMCG_UNLIMITED for "max". Returns 0 or -EINVAL.
 */
int pd_memcg_limit_parse(const char *buf, size_t len, uint64_t *ret_bytes);

/*
 * Parse cgroup.procs: one pid a line. *ret_pids is malloc'ed (the caller
 * frees it; NULL when *ret_n is 0). Returns 0, -EINVAL (a line that is
 * not a pid), -ENOMEM.
 */
int pd_memcg_procs_parse(const char *buf, size_t len, pid_t **ret_pids,
			 size_t *ret_n);

struct pd_memcg;

/*
 * Find the memory hierarchy under the cgroup file system ROOT (NULL:
 * "/sys/fs/cgroup"): cgroup v2 with the memory controller at ROOT or at
 * ROOT/unified (hybrid), the v1 "memory" hierarchy ROOT/memory, or ROOT
 * being a v1 memory hierarchy itself. PAGE_SIZE (0: this system's)
 * tells v1's "no limit" (PAGE_COUNTER_MAX pages) from a limit. Returns
 * 0, -ENOMEDIUM when there is none, -errno of opening ROOT, -ENOMEM.
 * Free with pd_memcg_free().
 */
int pd_memcg_open(const char *root, unsigned long page_size,
		  struct pd_memcg **ret_mc);
void pd_memcg_free(struct pd_memcg *mc);

/* 1 or 2; the directory of the hierarchy ("/sys/fs/cgroup/memory"). */
int pd_memcg_version(const struct pd_memcg *mc);
const char *pd_memcg_dir(const struct pd_memcg *mc);

/*
 * The cgroup path of IN as /proc/PID/cgroup shows it: IN is such a path
 * ("/a/b", "a/b/") or the directory under the hierarchy ("/sys/fs/cgroup
 * /memory/a/b"). *ret_path is malloc'ed. Returns 0, -EINVAL for a "." or
 * ".." component, -ENOMEM.
 */
int pd_memcg_normalize(const struct pd_memcg *mc, const char *in,
		       char **ret_path);

/*
 * Read the cgroup TOP (a path as pd_memcg_normalize() takes it; NULL or
 * "/" for the root) and every cgroup below it, depth first, siblings by
 * name, with the files of WANT (enum pd_memcg_want). A file that is not
 * there stays absent; a cgroup removed while we read has no children.
 * Replaces what an earlier call read. Returns 0, -ENOENT when TOP is not
 * a cgroup, -EINVAL (a bad TOP), -ENOMEM.
 */
int pd_memcg_read(struct pd_memcg *mc, const char *top, unsigned want);

/* The cgroups read, parents before children; NULL past the last. */
size_t pd_memcg_count(const struct pd_memcg *mc);
const struct pd_memcg_node *pd_memcg_node(const struct pd_memcg *mc,
					  size_t i);

/* The index of the cgroup PATH (as /proc/PID/cgroup shows it). 0 or
 * -ENOENT. */
int pd_memcg_find(const struct pd_memcg *mc, const char *path,
		  size_t *ret_idx);

/* pd_memcg_items_compute() on node I's own files. */
void pd_memcg_items(const struct pd_memcg *mc, size_t i,
		    struct pd_memcg_items *ret);

#endif
