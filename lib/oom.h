/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oom: the kernel's oom_badness() and oom_score arithmetic, pure functions. */
#ifndef PD_OOM_H
#define PD_OOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* include/uapi/linux/oom.h */
#define PD_OOM_SCORE_ADJ_MIN (-1000)
#define PD_OOM_SCORE_ADJ_MAX 1000

/* The badness of a task the killer never picks (the kernel's LONG_MIN). */
#define PD_OOM_NEVER INT64_MIN

/*
 * Which kernel's arithmetic. 5.9 (commit 9066e5cfb73c) made oom_badness()
 * signed with LONG_MIN for "never" and rescaled oom_score to 0..2000; from
 * 4.19 (no more 3% root bonus) to 5.8 badness was at least 1, 0 meant
 * "never", and oom_score was badness * 1000 / totalpages.
 */
enum pd_oom_model {
	PD_OOM_MODEL_5_9,
	PD_OOM_MODEL_4_19,
};

/*
 * Why the killer never picks a task, in the order the kernel tests it
 * (oom_unkillable_task(), find_lock_task_mm(), then the adj).
 */
enum pd_oom_reason {
	PD_OOM_ELIGIBLE,
	PD_OOM_INIT,		/* is_global_init(): pid 1 */
	PD_OOM_KTHREAD,		/* PF_KTHREAD */
	PD_OOM_NO_MM,		/* no thread has a memory map: zombie, exiting */
	PD_OOM_ADJ_MIN,		/* oom_score_adj -1000 */
};

/* What oom_badness() reads of a task; sizes in bytes, as status shows. */
struct pd_oom_task {
	bool init;		/* pid 1 of the initial pid namespace */
	bool kthread;
	bool has_mm;
	int adj;		/* oom_score_adj */
	uint64_t anon, file, shmem;	/* RssAnon, RssFile, RssShmem */
	uint64_t swap;			/* VmSwap: swap entries */
	uint64_t pagetables;		/* VmPTE: mm_pgtables_bytes() */
};

/* The reason TASK is never picked, or PD_OOM_ELIGIBLE. */
enum pd_oom_reason pd_oom_task_reason(const struct pd_oom_task *task);

/*
 * The memory part of the badness in pages of PAGE_SIZE bytes:
 * get_mm_rss() + MM_SWAPENTS + mm_pgtables_bytes() / PAGE_SIZE, the RSS
 * and swap counters being whole pages and the page tables rounded down.
 */
int64_t pd_oom_task_pages(const struct pd_oom_task *task,
			  unsigned long page_size);

/*
 * oom_badness() of a task whose memory is POINTS pages (pd_oom_task_pages())
 * and whose adj is ADJ, with TOTALPAGES (RAM + swap, or a memory cgroup's
 * limit) as the scale: POINTS + ADJ * (TOTALPAGES / 1000), the division
 * first, as the kernel does. TOTALPAGES 0 counts as 1 (a limit of 0).
 * Under PD_OOM_MODEL_4_19 a result below 1 is 1. The caller has already
 * decided eligibility: this never returns PD_OOM_NEVER.
 */
int64_t pd_oom_badness(int64_t points, int adj, uint64_t totalpages,
		       enum pd_oom_model model);

/*
 * oom_badness() of TASK: PD_OOM_NEVER when pd_oom_task_reason() says it is
 * never picked, else pd_oom_badness() of its pages.
 */
int64_t pd_oom_task_badness(const struct pd_oom_task *task,
			    uint64_t totalpages, unsigned long page_size,
			    enum pd_oom_model model);

/*
 * What /proc/PID/oom_score prints for BADNESS (PD_OOM_NEVER included) with
 * TOTALPAGES = RAM + swap: proc_oom_score() of fs/proc/base.c. 5.9+:
 * (1000 + badness * 1000 / totalpages) * 2 / 3 in signed arithmetic, 0
 * for never; before: badness * 1000 / totalpages, unsigned.
 */
uint64_t pd_oom_score(int64_t badness, uint64_t totalpages,
		      enum pd_oom_model model);

/*
 * BADNESS in thousandths of TOTALPAGES, rounded toward zero: the unit of
 * oom_score_adj (adj +100 adds 100) and the oom_score of kernels before
 * 5.9. PD_OOM_NEVER gives 0.
 */
int64_t pd_oom_permille(int64_t badness, uint64_t totalpages);

/*
 * Ranking order of two tasks: the one the killer picks first sorts first.
 * BADNESS as pd_oom_task_badness() gives it, POS the task's place in the
 * kernel's scan. select_bad_process() keeps the first task whose badness
 * is not below the best so far ("points < chosen_points" skips), so among
 * equal badness the task scanned LATER wins. Never-picked tasks sort last,
 * among themselves by scan position. Returns <0, 0 (same task), >0.
 */
int pd_oom_cmp(int64_t a_badness, size_t a_pos, int64_t b_badness,
	       size_t b_pos);

#endif
