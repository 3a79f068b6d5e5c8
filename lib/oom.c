/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oom: the kernel's oom_badness() and oom_score arithmetic, pure functions. */
#include "oom.h"

enum pd_oom_reason pd_oom_task_reason(const struct pd_oom_task *task)
{
	if (task->init)
		return PD_OOM_INIT;
	if (task->kthread)
		return PD_OOM_KTHREAD;
	if (!task->has_mm)
		return PD_OOM_NO_MM;
	if (task->adj == PD_OOM_SCORE_ADJ_MIN)
		return PD_OOM_ADJ_MIN;
	return PD_OOM_ELIGIBLE;
}

int64_t pd_oom_task_pages(const struct pd_oom_task *task,
			  unsigned long page_size)
{
	/* Each RSS counter is whole pages (status prints pages << 2 kB);
	 * only the page table bytes are divided, rounding down. */
	return (int64_t)(task->anon / page_size + task->file / page_size +
			 task->shmem / page_size + task->swap / page_size +
			 task->pagetables / page_size);
}

int64_t pd_oom_badness(int64_t points, int adj, uint64_t totalpages,
		       enum pd_oom_model model)
{
	int64_t scaled;

	if (!totalpages)
		totalpages = 1;
	/* "adj *= totalpages / 1000": the division first, so on a total
	 * below 1000 pages the adj weighs nothing. */
	scaled = (int64_t)adj * (int64_t)(totalpages / 1000);
	points += scaled;
	if (model == PD_OOM_MODEL_4_19 && points < 1)
		points = 1;
	return points;
}

int64_t pd_oom_task_badness(const struct pd_oom_task *task,
			    uint64_t totalpages, unsigned long page_size,
			    enum pd_oom_model model)
{
	if (pd_oom_task_reason(task) != PD_OOM_ELIGIBLE)
		return PD_OOM_NEVER;
	return pd_oom_badness(pd_oom_task_pages(task, page_size), task->adj,
			      totalpages, model);
}

uint64_t pd_oom_score(int64_t badness, uint64_t totalpages,
		      enum pd_oom_model model)
{
	int64_t points;

	if (!totalpages)
		totalpages = 1;
	if (model == PD_OOM_MODEL_4_19) {
		if (badness == PD_OOM_NEVER)
			return 0;
		return (uint64_t)badness * 1000 / totalpages;
	}
	if (badness == PD_OOM_NEVER)
		return 0;
	/* C99 division truncates toward zero, as the kernel's does. */
	points = (1000 + badness * 1000 / (int64_t)totalpages) * 2 / 3;
	return (uint64_t)points;
}

int64_t pd_oom_permille(int64_t badness, uint64_t totalpages)
{
	if (badness == PD_OOM_NEVER)
		return 0;
	if (!totalpages)
		totalpages = 1;
	return badness * 1000 / (int64_t)totalpages;
}

int pd_oom_cmp(int64_t a_badness, size_t a_pos, int64_t b_badness,
	       size_t b_pos)
{
	bool a_never = a_badness == PD_OOM_NEVER;
	bool b_never = b_badness == PD_OOM_NEVER;

	if (a_never != b_never)
		return a_never ? 1 : -1;
	if (a_never)
		return (a_pos > b_pos) - (a_pos < b_pos);
	if (a_badness != b_badness)
		return a_badness > b_badness ? -1 : 1;
	/* A tie goes to the task scanned later. */
	return (a_pos < b_pos) - (a_pos > b_pos);
}
