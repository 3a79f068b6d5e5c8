/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: the rows of a ranking, one per process. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include "oomrank.h"

static const char *reason_name(enum pd_oom_reason r)
{
	switch (r) {
	case PD_OOM_ELIGIBLE: break;
	case PD_OOM_INIT: return "init";
	case PD_OOM_KTHREAD: return "kthread";
	case PD_OOM_NO_MM: return "no-mm";
	case PD_OOM_ADJ_MIN: return "adj-min";
	}
	return NULL;
}

bool oomrank_wanted(const struct opts *o, pid_t pid)
{
	size_t i;

	if (!o->npids)
		return true;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

void oomrank_add_rows(struct opts *o, struct pd_oomscan *os,
		      const struct pd_oomdomain *d, struct pd_names *names,
		      struct pd_report *rep)
{
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i;

	for (i = 0; i < d->nentries && (!o->top || i < o->top); i++) {
		const struct pd_oomentry *e = &d->entries[i];
		const struct pd_oomproc *p = pd_oomscan_proc(os, e->proc);
		bool never = e->badness == PD_OOM_NEVER;
		struct pd_row *row;

		if (!oomrank_wanted(o, p->pid))
			continue;
		/* the killer's candidates, unless asked for all (-a) or by
		 * pid */
		if (never && !o->all && !o->npids)
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		if (e->rank)
			pd_row_set_u64(row, COL_RANK, e->rank);
		pd_row_set_u64(row, COL_PID, (uint64_t)p->pid);
		pd_row_set_u64(row, COL_PPID, (uint64_t)p->ppid);
		pd_row_set_str(row, COL_USER, p->user);
		pd_row_set_u64(row, COL_UID, p->uid);
		pd_row_set_str(row, COL_COMMAND, p->comm);
		pd_row_set_s64(row, COL_OOM_SCORE_ADJ, p->task.adj);
		if (!never) {
			pd_row_set_s64(row, COL_BADNESS, e->badness);
			int64_t bytes;

			/* saturate: hostile status values must not overflow */
			if (__builtin_mul_overflow(e->badness, (int64_t)ps,
						   &bytes))
				bytes = e->badness < 0 ? INT64_MIN : INT64_MAX;
			pd_row_set_s64(row, COL_BADNESS_BYTES, bytes);
			pd_row_set_s64(row, COL_SHARE,
				       pd_oom_permille(e->badness,
						       d->totalpages));
		}
		if (e->has_margin)
			pd_row_set_u64(row, COL_MARGIN, e->margin);
		pd_row_set_u64(row, COL_SCORE, p->score);
		if (p->has_kernel_score)
			pd_row_set_u64(row, COL_OOM_SCORE, p->kernel_score);
		/* one score column; the kernel's beside ours where they
		 * differ */
		if (p->has_kernel_score && p->kernel_score != p->score) {
			char note[40];

			snprintf(note, sizeof(note), "kernel %" PRIu64,
				 p->kernel_score);
			pd_check_alloc(&o->c, pd_row_set_note(row, COL_SCORE,
							      note));
		}
		if (p->task.has_mm) {
			pd_row_set_u64(row, COL_ANON, p->task.anon);
			pd_row_set_u64(row, COL_FILE, p->task.file);
			pd_row_set_u64(row, COL_SHMEM, p->task.shmem);
			pd_row_set_u64(row, COL_SWAP, p->task.swap);
			pd_row_set_u64(row, COL_PAGETABLES, p->task.pagetables);
		}
		pd_row_set_bool(row, COL_ELIGIBLE, !never);
		pd_row_set_str(row, COL_REASON, reason_name(p->reason));
		pd_row_set_u64(row, COL_TOTALPAGES, d->totalpages);
		pd_row_set_str(row, COL_OOM_MEMCG, d->cgroup);
		pd_row_set_str(row, COL_LIMIT_MEMCG, d->limit_cgroup);
		if (d->has_limit)
			pd_row_set_u64(row, COL_LIMIT, d->limit);
		if (d->has_swap_limit)
			pd_row_set_u64(row, COL_SWAP_LIMIT, d->swap_limit);
		if (d->has_usage)
			pd_row_set_u64(row, COL_USAGE, d->usage);
		if (d->has_use) {
			pd_row_set_u64(row, COL_IN_USE, d->use);
			pd_row_set_u64(row, COL_USE, oomrank_use_permille(d));
		}
		if (d->has_oom_events)
			pd_row_set_u64(row, COL_OOMS, d->oom_events);
		if (d->has_oom_kills)
			pd_row_set_u64(row, COL_OOM_KILLS, d->oom_kills);
		pd_row_set_str(row, COL_TASK_MEMCG, e->memcg);
		/* known where the hierarchy was read and oom.group exists */
		if (e->memcg && d->cgroup_version != 1)
			pd_row_set_bool(row, COL_GROUP_KILL, e->kill_group);
		pd_row_set_str(row, COL_KILL_GROUP, e->kill_group);
		pd_row_set_str(row, COL_CGROUP, p->cgroup);
		pd_row_set_str(row, COL_UNIT, p->unit);
		if (names) {
			struct pd_cgname nm;

			pd_names_lookup(names, p->cgroup, false, &nm);
			pd_names_set(&o->c, row, COL_CONTAINER, COL_POD, &nm);
		}
		pd_row_set_str(row, COL_CMDLINE, p->cmdline);
	}
}
