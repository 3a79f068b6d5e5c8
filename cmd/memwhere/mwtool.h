/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: what the files of the tool share: options, views, steps
 * (named apart from lib/memwhere.h, the engine it includes). */
#ifndef PD_CMD_MEMWHERE_H
#define PD_CMD_MEMWHERE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "common.h"
#include "memwhere.h"
#include "names.h"

enum view { VIEW_MACHINE, VIEW_NODE, VIEW_CGROUP };

/* The machine ledger: one row per part, detail, pressure or counter. */
enum {
	COL_PART, COL_KIND, COL_PARENT, COL_SIZE, COL_PCT, COL_COUNT,
	COL_RATE, COL_AVG10, COL_AVG60, COL_AVG300, COL_SOURCE, COL_NOTE,
	NCOLS
};

/* Per node: one row per part, a column per node (built at run time). */
enum { NCOL_PART, NCOL_KIND, NCOL_TOTAL, NCOL_NOTE, NCOL_NODES };

/* Per cgroup: one row per cgroup. */
enum {
	CCOL_CGROUP, CCOL_NAME, CCOL_CURRENT, CCOL_PEAK, CCOL_MIN, CCOL_LOW,
	CCOL_HIGH, CCOL_MAX, CCOL_USE_PCT, CCOL_SWAP, CCOL_SWAP_MAX,
	CCOL_ZSWAP, CCOL_ANON, CCOL_FILE, CCOL_SHMEM, CCOL_FILE_MAPPED,
	CCOL_FILE_DIRTY, CCOL_KERNEL, CCOL_SLAB, CCOL_SOCK, CCOL_ANON_THP,
	CCOL_FILE_THP, CCOL_SHMEM_THP, CCOL_REST,
	CCOL_UNMAPPED, CCOL_PSS, CCOL_PROCS, CCOL_OWN, CCOL_DYING,
	CCOL_EV_LOW, CCOL_EV_HIGH, CCOL_EV_MAX, CCOL_EV_OOM, CCOL_EV_OOM_KILL,
	CCOL_EV_OOM_GROUP_KILL, CCOL_FAILCNT, CCOL_PSI_SOME, CCOL_PSI_FULL,
	CCOL_PSI_SOME_AVG60, CCOL_PSI_SOME_AVG300, CCOL_PSI_FULL_AVG60,
	CCOL_PSI_FULL_AVG300, CCOL_UNIT, CCOL_CONTAINER, CCOL_POD, CCOL_NOTE,
	NCCOLS
};

struct opts {
	struct pd_common c;
	enum view view;
	bool verbose;			/* -v */
	const char *cgroup;		/* --cgroup=PATH */
	const char *sys_root;		/* --sys-root, or the default */
	bool sys_root_given;
	unsigned interval_ms;		/* -i; 0: one sample */
	unsigned long top;		/* -N; 0: the view's default */
	bool has_min;
	uint64_t min_size;		/* --min-size */
	/* --pressure-threshold: PSI avg10 in hundredths of a percent */
	bool has_psi_some, has_psi_full;
	uint32_t psi_some, psi_full;
};

/* The state the views share. */
struct ctx {
	struct opts *o;
	struct pd_report *rep;
	struct pd_column *cols;		/* node view: built at run time */
	size_t ncols;
	char *node_names;		/* their names */
	unsigned *node_ids;		/* the node of each node column */
	size_t nnode_ids;
	struct pd_procfs *pfs;
	struct pd_mw *mw;
	bool tree;			/* indent children in the table */
	struct pd_health health;
	struct pd_figure *figs;		/* cgroup view: one per limited
					 * cgroup (NULL otherwise) */
	size_t *fig_cg;			/* the cgroup of each figure */
	bool *psi_over;			/* cgroup view: per cgroup */
	bool machine_psi_over;
	char perf_psi[160];		/* --check: PSI performance data */
};

/* options.c: parse_args exits on a bad command line */
void memwhere_usage(const struct opts *o, const struct pd_report *rep);
void memwhere_parse_args(struct opts *o, int argc, char **argv);
/* Has the user set any threshold (-w, -c, --pressure-threshold)? */
bool memwhere_has_threshold(const struct opts *o);

/* machine.c: the words every view uses, into BUF of N bytes: a size
 * ("1.5G", "-4K"), a count ("1,532"), hundredths of a percent ("9.38%") */
void memwhere_size(int64_t v, char *buf, size_t n);
void memwhere_count(uint64_t v, char *buf, size_t n);
void memwhere_pct(uint64_t centi, char *buf, size_t n);
/* Append a sentence to a NOTE, after "; ". */
void memwhere_notef(struct pd_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* V as hundredths of a percent of TOTAL. */
int64_t memwhere_centi(int64_t v, uint64_t total);
/* What part P of ledger L is (X NULL: a node's ledger). */
void memwhere_part_note(const struct ctx *x, const struct pd_mw_ledger *l,
			enum pd_mw_part p, struct pd_strbuf *sb);

/* machine.c: the default view */
extern const struct pd_column memwhere_cols[NCOLS];
unsigned memwhere_machine_want(const struct ctx *x);
void memwhere_machine_rows(struct ctx *x);
/* "some 1.53%, full 0.70%" of P into BUF. */
void memwhere_psi_words(const struct pd_pressure *p, char *buf, size_t n);

/* node.c: --node; the columns are the machine's nodes */
void memwhere_node_columns(struct ctx *x);
void memwhere_node_defaults(struct ctx *x);
void memwhere_node_rows(struct ctx *x);

/* cgroup.c: --cgroup */
extern const struct pd_column memwhere_cgroup_cols[NCCOLS];
unsigned memwhere_cgroup_want(const struct ctx *x);
/* The cgroup files the selected columns need (enum pd_memcg_want). */
unsigned memwhere_cgroup_files(const struct ctx *x);
void memwhere_cgroup_rows(struct ctx *x);
/* Is cgroup I of the reading limited (memory.max, v1 limit_in_bytes)? */
bool memwhere_cgroup_limited(const struct ctx *x, size_t i,
			     uint64_t *ret_max);
/* "480M of 512M, 93.8%" of cgroup I into BUF. */
void memwhere_limit_words(const struct ctx *x, size_t i, char *buf,
			  size_t n);

/* health.c: -w, -c, --pressure-threshold, --check, --prom-file */
void memwhere_health(struct ctx *x);
bool memwhere_report_wanted(const struct ctx *x);
int memwhere_exit_code(const struct ctx *x);
void memwhere_prom(struct ctx *x);

#endif
