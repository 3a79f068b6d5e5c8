/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common: what every procdiag command shares: options, messages, output. */
#ifndef PD_CMD_COMMON_H
#define PD_CMD_COMMON_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdnoreturn.h>

#include "procfs.h"
#include "report.h"

enum {
	PD_EXIT_OK = 0,
	PD_EXIT_THRESHOLD = 1,
	PD_EXIT_TROUBLE = 2,
};

/* Long-only options of the shared set; a tool numbers its own from
 * PD_OPT_TOOL on. */
enum {
	PD_OPT_OUTPUT_ALL = CHAR_MAX + 1,
	PD_OPT_TSV,
	PD_OPT_PROC_ROOT,
	PD_OPT_TOOL = CHAR_MAX + 32,
};

#define PD_COMMON_SHORTOPTS "o:HrJnbx:qhV"
#define PD_COMMON_LONGOPTS \
	{ "output", required_argument, NULL, 'o' }, \
	{ "output-all", no_argument, NULL, PD_OPT_OUTPUT_ALL }, \
	{ "list-columns", no_argument, NULL, 'H' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "tsv", no_argument, NULL, PD_OPT_TSV }, \
	{ "json", no_argument, NULL, 'J' }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "bytes", no_argument, NULL, 'b' }, \
	{ "sort", required_argument, NULL, 'x' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "proc-root", required_argument, NULL, PD_OPT_PROC_ROOT }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }

/* The shared options as parsed. */
struct pd_common {
	const char *tool;		/* "deadfiles" */
	struct pd_print_opts print;
	const char *output;		/* -o LIST */
	bool output_all;
	bool list_columns;		/* -H */
	const char *sort;		/* -x */
	bool quiet;
	const char *proc_root;
	bool help, version;
};

void pd_common_init(struct pd_common *c, const char *tool);

/* Handle OPT if it is a shared option: returns true when it was. */
bool pd_common_opt(struct pd_common *c, int opt, const char *arg);

/* The shared options block of --help. */
void pd_common_usage(FILE *out);
/* The end of --help: the column list of REP and the man page pointer. */
void pd_common_usage_tail(FILE *out, const struct pd_common *c,
			  const struct pd_report *rep);
/* -V */
void pd_common_version(const struct pd_common *c);

/* "TOOL: MSG" + "Try 'TOOL --help' ..." on stderr; exit 2. */
noreturn void pd_usage_error(const struct pd_common *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "TOOL: MSG" on stderr; exit 2. */
noreturn void pd_die(const struct pd_common *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "TOOL: warning: MSG" on stderr unless -q. */
void pd_warn(const struct pd_common *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Warn once per cause about processes the scan could not read. */
void pd_warn_scanstats(const struct pd_common *c,
		       const struct pd_scanstats *stats);

/*
 * Apply the column choice to REP: ENVVAR (e.g. "DEADFILES_COLUMNS") as
 * defaults, then -o or --output-all; a bad name is a usage error.
 */
void pd_common_columns(const struct pd_common *c, struct pd_report *rep,
		       const char *envvar);

/*
 * Sort by -x (or DEFAULT_SORT when -x was not given) and print REP to
 * stdout. Exits 2 on a bad sort key or a write error; EPIPE ends output
 * silently. Returns only on success or EPIPE.
 */
void pd_common_print(const struct pd_common *c, struct pd_report *rep,
		     const char *default_sort);

/* -H: print the column list of REP and return. */
void pd_common_print_columns(const struct pd_common *c,
			     const struct pd_report *rep);

/* Flush stdout at exit: a failed write is an error (exit 2), EPIPE is not.
 * Call once, first thing in main(). */
void pd_common_atexit(const struct pd_common *c);

/*
 * Append the pids (or users: names or uids) of the comma-separated ARG to
 * the growing array *V of *N entries; -p and -u may be given again. A bad
 * item is a usage error that names it.
 */
void pd_common_add_pids(const struct pd_common *c, const char *arg,
			pid_t **v, size_t *n);
void pd_common_add_users(const struct pd_common *c, const char *arg,
			 uid_t **v, size_t *n);

/* Allocation that cannot fail: on ENOMEM print and exit 2. */
void *pd_xcalloc(size_t n, size_t size);
void pd_check_alloc(const struct pd_common *c, int r);

#endif
