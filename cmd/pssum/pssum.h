/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: what the files of the tool share: options, columns, steps. */
#ifndef PD_CMD_PSSUM_H
#define PD_CMD_PSSUM_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli.h"
#include "common.h"
#include "names.h"
#include "pscan.h"

enum view { VIEW_GROUP, VIEW_MAPPING, VIEW_SUMMARY };

/* One row per process or group (-g). */
enum {
	COL_PID, COL_PPID, COL_USER, COL_UID, COL_COMMAND, COL_UNIT,
	COL_PROCS, COL_RSS, COL_PSS, COL_USS, COL_PRIVATE_DIRTY, COL_SHARED,
	COL_SWAP, COL_SWAP_PSS, COL_PSS_ANON, COL_PSS_FILE, COL_PSS_SHMEM,
	COL_ANON_HUGE, COL_HUGETLB, COL_PAGETABLES, COL_PSS_DIFF,
	COL_RSS_DIFF, COL_USS_DIFF, COL_SWAP_DIFF, COL_RATE, COL_CONTAINER,
	COL_POD, COL_EXE, COL_CGROUP, COL_CMDLINE, NCOLS
};

/* One row per mapping name (-m). */
enum { MCOL_PROCS, MCOL_RSS, MCOL_PSS, MCOL_USS, MCOL_SWAP, MCOL_SWAP_PSS,
       MCOL_MAPPING, MCOL_NCOLS };

/* One line per quantity (-s). */
enum { SCOL_ITEM, SCOL_SIZE, SCOL_NOTE };

/* A -g key: its name (and alias), what it groups by, its column. */
struct pssum_key {
	const char *name, *alias;
	enum pd_pss_key key;
	size_t col;
};

#define NKEYS_MAX 9	/* the entries of pssum_keys[] */

extern const struct pssum_key pssum_keys[NKEYS_MAX];
extern const struct pd_column pssum_cols[NCOLS];

struct opts {
	struct pd_common c;
	enum view view;
	size_t key[NKEYS_MAX];	/* indexes into pssum_keys[] */
	size_t nkeys;
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	char **comms;
	size_t ncomms;
	regex_t full;
	bool has_full;
	const char *cgroup;
	const char *diff;
	unsigned jobs;
	bool strict;
	/* --numa: a column N<id> per node of the sys root, after the
	 * view's own (at NCOLS or MCOL_NCOLS); columns.c fills these */
	bool numa;
	const char *sys_root;		/* --sys-root, or the default */
	bool sys_root_given;
	unsigned *node_ids;
	size_t nnodes;
	int nodes_err;			/* reading the node list, or 0 */
	struct pd_column *cols;		/* the view's and the nodes' */
	char *node_names;
};

/* The state the row makers share. */
struct ctx {
	struct opts *o;
	struct pd_report *rep;
	struct pd_pscan *ps;
	struct pd_pssbase *base;
	struct pd_names *names;	/* with CONTAINER, POD or their keys */
	double base_age;	/* seconds since the --diff file was written
				 * (its mtime): RATE's span; <= 0 unknown */
	bool by_pid;
	unsigned want;		/* enum pd_pscan_want */
	struct pd_health health;
	struct pd_figure *figs;	/* one per group, in group order */
};

/* columns.c: the report of the view, with its default columns */
bool pssum_has_key(const struct opts *o, enum pd_pss_key key);
void pssum_report_new(struct opts *o, struct pd_report **ret_rep);
/* The column of node I of o->node_ids in the view's report. */
size_t pssum_node_col(const struct opts *o, size_t i);
void pssum_columns_free(struct opts *o);

/* options.c: parse_args exits on a bad command line */
void pssum_usage(const struct opts *o, const struct pd_report *rep);
void pssum_parse_args(struct opts *o, int argc, char **argv);

/* rows.c */
bool pssum_decided(const struct ctx *x, size_t col);
void pssum_group_rows(struct ctx *x);
void pssum_map_rows(struct ctx *x);
void pssum_summary_rows(struct ctx *x, struct pd_procfs *pfs);

/* health.c: X->figs is the caller's to free */
void pssum_health(struct ctx *x);
void pssum_prom(struct ctx *x);

#endif
