/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: what the files of the tool share: options, columns, steps. */
#ifndef PD_CMD_OOMRANK_H
#define PD_CMD_OOMRANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"
#include "common.h"
#include "names.h"
#include "oomscan.h"

enum {
	COL_RANK, COL_PID, COL_USER, COL_OOM_SCORE_ADJ, COL_BADNESS,
	COL_SHARE, COL_MARGIN, COL_SCORE, COL_OOM_SCORE, COL_ANON, COL_FILE,
	COL_SHMEM, COL_SWAP, COL_PAGETABLES, COL_BADNESS_BYTES, COL_ELIGIBLE,
	COL_REASON, COL_PPID, COL_UID, COL_LIMIT, COL_SWAP_LIMIT, COL_USAGE,
	COL_IN_USE, COL_USE, COL_TOTALPAGES, COL_OOMS, COL_OOM_KILLS, COL_GROUP_KILL, COL_COMMAND,
	COL_OOM_MEMCG, COL_LIMIT_MEMCG, COL_TASK_MEMCG, COL_KILL_GROUP,
	COL_CGROUP, COL_UNIT, COL_CONTAINER, COL_POD, COL_CMDLINE, NCOLS
};

/* --log: one row per OOM incident of a kernel log. */
enum {
	LCOL_STAMP, LCOL_UPTIME, LCOL_TIME, LCOL_LINE, LCOL_INVOKER, LCOL_INVOKER_PID,
	LCOL_GFP_MASK, LCOL_ORDER, LCOL_CONSTRAINT, LCOL_VICTIM_PID,
	LCOL_VICTIM, LCOL_VICTIM_UID, LCOL_ANON, LCOL_FILE, LCOL_SHMEM,
	LCOL_PAGETABLES, LCOL_OOM_SCORE_ADJ, LCOL_KILLS, LCOL_REAPED,
	LCOL_LIMIT, LCOL_TASKS, LCOL_CHOSEN_PID, LCOL_TOP_PID, LCOL_TOP,
	LCOL_WAS_TOP, LCOL_TASK_MEMCG, LCOL_OOM_MEMCG, LCOL_CONTAINER,
	LCOL_POD, NLCOLS
};

/* What -w, -c, --check judge (--judge). */
enum oomrank_judge {
	JUDGE_DEFAULT,		/* usage with --cgroup, else victim */
	JUDGE_VICTIM,		/* the first victim's badness */
	JUDGE_USAGE,		/* the memory in use against what the ranking
				 * may hold before its OOM */
};

struct opts {
	struct pd_common c;
	pid_t *pids;
	size_t npids;
	unsigned long top;
	bool all;			/* -a: the never-picked too */
	bool cgroups;			/* --cgroup */
	enum oomrank_judge judge;	/* set by parse_args, never DEFAULT */
	const char *cgroup;		/* --cgroup PATH */
	const char *cgroup_root;
	pid_t explain;
	bool log;			/* --log */
	const char *log_file;		/* --log FILE, "-": stdin */
	const char *since;		/* --since TIME, as given */
	int64_t since_us;		/* ... in Unix microseconds */
};

/* columns.c */
extern const struct pd_column oomrank_log_cols[NLCOLS];
void oomrank_columns(const struct opts *o, struct pd_column *ret_cols);

/* options.c: parse_args exits on a bad command line */
void oomrank_usage(const struct opts *o, const struct pd_report *rep);
void oomrank_parse_args(struct opts *o, int argc, char **argv);

/* rows.c */
bool oomrank_wanted(const struct opts *o, pid_t pid);
/* NAMES: for CONTAINER and POD, or NULL when they are not shown */
void oomrank_add_rows(struct opts *o, struct pd_oomscan *os,
		      const struct pd_oomdomain *d, struct pd_names *names,
		      struct pd_report *rep);

/* health.c: H->figs is the caller's to free */
uint64_t oomrank_use_permille(const struct pd_oomdomain *d);
size_t oomrank_dom_first(const struct opts *o);
size_t oomrank_dom_end(const struct opts *o, const struct pd_oomscan *os);
void oomrank_health(struct opts *o, struct pd_oomscan *os,
		    struct pd_health *h);
void oomrank_prom(struct opts *o, struct pd_oomscan *os,
		  const struct pd_health *h);

/* explain.c */
void oomrank_explain(struct opts *o, struct pd_oomscan *os);

/* log.c: --log, its health included; returns the exit status */
int oomrank_run_log(struct opts *o, struct pd_report *rep);

#endif
