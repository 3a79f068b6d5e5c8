/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: what the files of cmd/dfdu/ share: the options, the columns of
 * both views, the health judgement. */
#ifndef PD_DFDU_H
#define PD_DFDU_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "dfscan.h"

/* One row per file system. */
enum {
	COL_FSTYPE, COL_SIZE, COL_USED, COL_AVAIL, COL_RESERVED, COL_WALKED,
	COL_GAP, COL_DELETED, COL_HIDDEN, COL_UNREADABLE, COL_FSSPECIFIC,
	COL_UNEXPLAINED, COL_MOUNT, COL_SOURCE, COL_DEV, COL_APPARENT,
	COL_FILES, COL_INODES, COL_IUSED, COL_DELETED_FILES, COL_COVERED,
	COL_ROOT_RESERVE, COL_KERNEL_RESERVE, COL_SUBTREE, COL_CAUSES,
	COL_IFREE, COL_IUSE_PCT, COL_HIDDEN_FILES, COL_UNEXPLAINED_MIN,
	COL_UNEXPLAINED_MAX, COL_JOBS,
};

/* The evidence (--explain, -v): one row per piece. */
enum {
	ECOL_KIND, ECOL_ALLOC, ECOL_PIDS, ECOL_COMMANDS, ECOL_MOUNT,
	ECOL_NOTE, ECOL_PATH, ECOL_FD, ECOL_FSTYPE, ECOL_INODES,
};

/* What -w/-c judge (--judge): one figure of each file system per kind. */
enum dfdu_judge {
	JUDGE_DELETED = 1 << 0,
	JUDGE_HIDDEN = 1 << 1,
	JUDGE_UNEXPLAINED = 1 << 2,
	JUDGE_GAP = 1 << 3,
	JUDGE_INODES = 1 << 4,
	JUDGE_NKINDS = 5,
};
/* What needs the walk. */
#define JUDGE_WALKED (JUDGE_UNEXPLAINED | JUDGE_GAP)

struct opts {
	struct pd_common c;
	const char *explain;
	bool verbose;
	bool has_min_gap;
	uint64_t min_gap;
	bool no_walk;
	bool remote;
	bool inodes;		/* -i: the inode columns */
	unsigned judge;		/* enum dfdu_judge bits */
	unsigned jobs;
	unsigned timeout_ms;
	char **paths;
	size_t npaths;
};

/* The file systems judged: those shown (the paths, --min-gap). */
struct health {
	struct pd_health h;
	struct pd_figure *figs;
	size_t *fsi;		/* figs[k] is of file system fsi[k] */
	unsigned *kind;		/* ... and of that enum dfdu_judge */
	bool *lower, *upper;	/* figs[k] is at least, at most its value */
	enum pd_status *fs_status;	/* per file system; OK if not shown */
	bool figs_known;	/* at least one figure is known */
};

/* options.c */
void dfdu_usage(const struct opts *o, const struct pd_report *rep);
void dfdu_parse_args(struct opts *o, int argc, char **argv);
/* "deleted", ... for one bit of enum dfdu_judge; static. */
const char *dfdu_judge_name(unsigned kind);

/* columns.c */
struct pd_report *dfdu_report_new(struct opts *o, bool evidence);
void dfdu_fs_row(struct opts *o, struct pd_report *rep,
		 const struct pd_dffs *fs);

/* explain.c; dfdu_why_text(): the words for WHY (ERR: the errno of
 * PD_DF_FAILED), NULL when known; static text, never freed */
const char *dfdu_why_text(enum pd_dfwhy why, int err);
void dfdu_evidence_rows(struct opts *o, struct pd_report *rep,
			const struct pd_dfscan *ds, const struct pd_dffs *fs);
/* "hidden files unknown: needs root" for each part of UNEXPLAINED that
 * is unknown (and unreadable directories), "; " between them. */
void dfdu_unknown_words(const struct pd_dffs *fs, char *buf, size_t n);

/* health.c */
void dfdu_health(const struct opts *o, const struct pd_dfscan *ds,
		 const bool *shown, struct health *x);
void dfdu_health_release(struct health *x);
void dfdu_prom(const struct opts *o, const struct pd_dfscan *ds,
	       struct pd_procfs *pfs,
	       const bool *shown);

#endif
