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
};

/* The evidence (--explain, -v): one row per piece. */
enum {
	ECOL_KIND, ECOL_ALLOC, ECOL_PIDS, ECOL_COMMANDS, ECOL_MOUNT,
	ECOL_NOTE, ECOL_PATH, ECOL_FD, ECOL_FSTYPE,
};

struct opts {
	struct pd_common c;
	const char *explain;
	bool verbose;
	bool has_min_gap;
	uint64_t min_gap;
	bool no_walk;
	bool remote;
	unsigned jobs;
	unsigned timeout_ms;
	char **paths;
	size_t npaths;
};

/* The file systems judged: those shown (the paths, --min-gap). */
struct health {
	struct pd_health h;
	struct pd_figure *figs;
	size_t *fsi;		/* figs[k] is file system fsi[k] */
	bool *upper;		/* figs[k] is an upper bound */
	enum pd_status *fs_status;	/* per file system; OK if not shown */
	bool figs_known;	/* at least one figure is known */
};

/* options.c */
void dfdu_usage(const struct opts *o, const struct pd_report *rep);
void dfdu_parse_args(struct opts *o, int argc, char **argv);

/* columns.c */
struct pd_report *dfdu_report_new(struct opts *o, bool evidence);
void dfdu_fs_row(struct opts *o, struct pd_report *rep,
		 const struct pd_dffs *fs);

/* explain.c; dfdu_why_text(): the words for WHY (ERR: the errno of
 * PD_DF_FAILED), NULL when known; static text, never freed */
const char *dfdu_why_text(enum pd_dfwhy why, int err);
void dfdu_evidence_rows(struct opts *o, struct pd_report *rep,
			const struct pd_dfscan *ds, const struct pd_dffs *fs);

/* health.c */
void dfdu_health(const struct opts *o, const struct pd_dfscan *ds,
		 const bool *shown, struct health *x);
void dfdu_prom(const struct opts *o, const struct pd_dfscan *ds,
	       struct pd_procfs *pfs,
	       const bool *shown);

#endif
