/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomscan: whom the OOM killer would pick, on the whole machine and in each
 * memory-limited cgroup, and why; the engine of oomrank. */
#ifndef PD_OOMSCAN_H
#define PD_OOMSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "coverage.h"
#include "oom.h"
#include "procfs.h"

/* What to read beyond what the ranking needs; each costs a file a process. */
enum pd_oomscan_want {
	PD_OOMSCAN_CMDLINE = 1 << 0,
	PD_OOMSCAN_CGROUP = 1 << 1,	/* /proc/PID/cgroup: path and unit */
};

struct pd_oomscan_opts {
	unsigned want;			/* enum pd_oomscan_want */
	const char *cgroup_root;	/* NULL: "/sys/fs/cgroup" */
	unsigned long page_size;	/* 0: the running system's */
	bool has_model;			/* else from sys/kernel/osrelease */
	enum pd_oom_model model;
};

/* One process as read, with its place in the machine-wide ranking. */
struct pd_oomproc {
	pid_t pid, ppid;
	char comm[64];
	char state;
	uid_t uid;
	const char *user;		/* lives as long as the scan */
	char *cmdline;			/* with PD_OOMSCAN_CMDLINE */
	char *cgroup, *unit;		/* with PD_OOMSCAN_CGROUP; may be NULL */
	struct pd_oom_task task;	/* what oom_badness() reads */
	bool mm_from_thread;		/* an exited leader: its memory was read
					 * from a live thread, as the kernel's
					 * find_lock_task_mm() does */
	enum pd_oom_reason reason;
	int64_t badness;		/* machine-wide; PD_OOM_NEVER */
	uint64_t score;			/* ours, on the oom_score scale */
	bool has_kernel_score;
	uint64_t kernel_score;		/* /proc/PID/oom_score as read */
};

/* One process in one ranking. */
struct pd_oomentry {
	size_t proc;		/* index for pd_oomscan_proc() */
	size_t pos;		/* its place in the kernel's scan order */
	int64_t badness;	/* on this ranking's totalpages; PD_OOM_NEVER */
	unsigned rank;		/* 1: the first victim; 0: never picked */
	bool has_margin;
	uint64_t margin;	/* pages it leads the next candidate by */
	const char *memcg;	/* the memory cgroup it was found in; NULL
				 * before pd_oomscan_cgroups() */
	const char *kill_group;	/* memory.oom.group: the cgroup whose every
				 * process dies with it; NULL when none */
};

/*
 * A ranking: the whole machine, or the subtree of one memory cgroup, which
 * is what a cgroup OOM (memory.max reached) scans. Sizes in bytes.
 */
struct pd_oomdomain {
	const char *cgroup;	/* NULL: the whole machine */
	const char *limit_cgroup; /* whose limit gives totalpages: the cgroup
				   * itself or its nearest limited ancestor;
				   * NULL: the machine's RAM + swap */
	int cgroup_version;	/* 1 or 2; 0 for the whole machine */
	uint64_t totalpages;	/* mem_cgroup_get_max(), or RAM + swap */
	bool has_limit;
	uint64_t limit;		/* memory.max, memory.limit_in_bytes */
	bool has_swap_limit;
	uint64_t swap_limit;	/* memory.swap.max; v1: memsw - memory */
	bool has_usage;
	uint64_t usage;		/* memory.current, memory.usage_in_bytes */
	bool has_use;
	uint64_t use;		/* what its OOM is about to run out of, in
				 * bytes: the working set of LIMIT_MEMCG
				 * (usage less its inactive file pages, which
				 * reclaim takes first) + the swap it uses;
				 * the machine: RAM not available
				 * (MemTotal - MemAvailable) + swap used */
	uint64_t use_max;	/* what it may hold before its OOM, bytes:
				 * TOTALPAGES (the limit + the swap it may
				 * use; v1 with a memsw limit alone, that
				 * limit); the machine: RAM + swap */
	bool has_oom_events;
	uint64_t oom_events;	/* memory.events "oom" (v2) */
	bool has_oom_kills;
	uint64_t oom_kills;	/* "oom_kill": memory.events, v1 oom_control */
	bool has_oom_group;
	bool oom_group;		/* memory.oom.group (v2) */
	bool kill_disabled;	/* v1 oom_kill_disable: tasks wait instead */
	size_t ncandidates;	/* entries with a rank */
	size_t nentries;	/* candidates by rank, then the never-picked
				 * in scan order */
	const struct pd_oomentry *entries;
};

/* The machine and the knobs that decide what an OOM does. */
struct pd_oomsys {
	unsigned long page_size;
	enum pd_oom_model model;
	char release[80];		/* sys/kernel/osrelease; "" unknown */
	uint64_t mem_total, swap_total;	/* bytes, /proc/meminfo */
	bool has_available;
	uint64_t mem_available, swap_free; /* MemAvailable, SwapFree */
	uint64_t totalpages;		/* (MemTotal + SwapTotal) in pages */
	/* sys/vm/...; -1 when unreadable */
	int panic_on_oom, oom_kill_allocating_task, overcommit_memory;
	int swappiness;
};

/* Our scores against the kernel's oom_score files. */
struct pd_oomcheck {
	unsigned compared;	/* processes whose oom_score could be read */
	unsigned differ;	/* of them, where ours differs */
	uint64_t max_diff;	/* the largest difference, in points */
};

struct pd_oomscan;

/*
 * A scan of the proc root PFS (which must outlive it) with OPTS (copied;
 * its strings must outlive the scan). Returns 0 or -ENOMEM; free with
 * pd_oomscan_free().
 */
int pd_oomscan_new(struct pd_procfs *pfs, const struct pd_oomscan_opts *opts,
		   struct pd_oomscan **ret_os);
void pd_oomscan_free(struct pd_oomscan *os);

/*
 * Read every process of the root and rank them machine-wide (domain 0).
 * Processes that exit are skipped; unreadable ones are counted in the
 * stats. Returns 0, -ENODATA when meminfo has no MemTotal, or -errno when
 * the root or its meminfo cannot be read. Call once.
 */
int pd_oomscan_run(struct pd_oomscan *os);

/*
 * Read the memory cgroup hierarchy under opts.cgroup_root (v2 with the
 * memory controller, or the v1 "memory" hierarchy) and add one ranking per
 * cgroup: the one named CGROUP (a path as /proc/PID/cgroup shows it, or
 * the directory's path under the root) whatever its limit, or, when CGROUP
 * is NULL, every cgroup with a memory limit of its own. Also fills the
 * memcg and kill_group of the machine-wide entries. After
 * pd_oomscan_run(). Returns 0, -ENOMEDIUM when no memory controller is
 * found under the root, -ENOENT when CGROUP is not a cgroup there,
 * -ENOMEM, or -errno of opening the root. Call once.
 */
int pd_oomscan_cgroups(struct pd_oomscan *os, const char *cgroup);

/* The directory of the memory hierarchy, after pd_oomscan_cgroups(). */
const char *pd_oomscan_cgroup_dir(const struct pd_oomscan *os);

const struct pd_oomsys *pd_oomscan_sys(const struct pd_oomscan *os);
const struct pd_oomcheck *pd_oomscan_check(const struct pd_oomscan *os);
const struct pd_scanstats *pd_oomscan_stats(const struct pd_oomscan *os);
/* What the scan missed of the processes of the machine: unread ones, and
 * those the proc mount's hidepid hides (any of them may be the first
 * victim). Lives as long as OS. */
const struct pd_partial *pd_oomscan_partial(const struct pd_oomscan *os);

/* The processes read, by ascending pid (the machine-wide scan order). */
size_t pd_oomscan_nprocs(const struct pd_oomscan *os);
const struct pd_oomproc *pd_oomscan_proc(const struct pd_oomscan *os,
					 size_t i);
/* The index of PID among them. Returns 0 or -ENOENT. */
int pd_oomscan_find(const struct pd_oomscan *os, pid_t pid, size_t *ret_idx);

/* Domain 0 is the whole machine; memory cgroups follow in the walk's
 * order: parents before children, siblings by name. */
size_t pd_oomscan_ndomains(const struct pd_oomscan *os);
const struct pd_oomdomain *pd_oomscan_domain(const struct pd_oomscan *os,
					     size_t i);

/* The entry of process PROC (an index) in domain D. 0 or -ENOENT. */
int pd_oomdomain_find(const struct pd_oomdomain *d, size_t proc,
		      size_t *ret_entry);

/*
 * The rank entry ENTRY of D would have if its process's oom_score_adj were
 * 0, everyone else unchanged: what its adj bought or cost it. 0 when the
 * process would still never be picked (it is not eligible for another
 * reason than its adj, or its adj is not what keeps it out).
 */
unsigned pd_oomdomain_rank_without_adj(const struct pd_oomscan *os,
				       const struct pd_oomdomain *d,
				       size_t entry);

/* Memory a process holds that oom_badness() does not count. */
struct pd_oomheld {
	int fd;			/* the first fd it is held on; -1: mapped
				 * only */
	char *name;		/* link text, e.g. "/memfd:cache (deleted)";
				 * a deleted file's path without " (deleted)" */
	bool sized;
	uint64_t alloc;		/* st_blocks * 512 */
	bool mapped;		/* it maps it too: the pages it has touched
				 * are in its RssShmem, hence its badness */
	bool has_others;
	size_t others;		/* other processes that hold it */
};

/*
 * The memfd files process PID holds open (fd/ links to "/memfd:"), with
 * their allocated size: shmem pages that count in its badness only where
 * mapped and touched. *ret_held is malloc'ed; free it with
 * pd_oomheld_free(). Returns 0 or -errno (-ENOENT: gone).
 */
int pd_oomscan_memfds(struct pd_oomscan *os, pid_t pid,
		      struct pd_oomheld **ret_held, size_t *ret_n);
void pd_oomheld_free(struct pd_oomheld *held, size_t n);

/*
 * The deleted files on tmpfs (or ramfs: memory) that process PID holds by
 * fd or mapping, with how many other processes hold each: while another
 * does, killing PID frees none of it; else all of it, though only the
 * pages PID maps and touched count in its badness. Looks at the open
 * files and mappings of every process (lib/deadscan). *ret_held is
 * malloc'ed; free it with pd_oomheld_free(). Returns 0 or -errno.
 */
int pd_oomscan_deleted(struct pd_oomscan *os, pid_t pid,
		       struct pd_oomheld **ret_held, size_t *ret_n);

/*
 * The oom_badness() model of kernel release RELEASE ("5.8.0-1-amd64"):
 * PD_OOM_MODEL_4_19 before 5.9. Returns 0 or -EINVAL (no "X.Y" start).
 */
int pd_oomscan_model_parse(const char *release,
			   enum pd_oom_model *ret_model);

#endif
