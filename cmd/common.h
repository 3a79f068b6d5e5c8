/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common: what every procdiag command shares: options, messages, output. */
#ifndef PD_CMD_COMMON_H
#define PD_CMD_COMMON_H

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdnoreturn.h>
#include <sys/types.h>

#include "coverage.h"
#include "procfilter.h"
#include "procfs.h"
#include "prom.h"
#include "promfs.h"
#include "report.h"
#include "threshold.h"

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
	PD_OPT_CHECK,
	PD_OPT_PROM_FILE,
	PD_OPT_STATE_ROOT,		/* names.h: the tools that name containers */
	PD_OPT_TOOL = CHAR_MAX + 32,
};

#define PD_COMMON_SHORTOPTS "o:HrJnbx:qw:c:hV"
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
	{ "warning", required_argument, NULL, 'w' }, \
	{ "critical", required_argument, NULL, 'c' }, \
	{ "check", no_argument, NULL, PD_OPT_CHECK }, \
	{ "prom-file", required_argument, NULL, PD_OPT_PROM_FILE }, \
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
	const char *sort_hint;		/* said after an unknown -x column
					 * (a habit of another tool that
					 * -x collides with); set it before
					 * pd_common_columns() */
	bool quiet;
	const char *proc_root;
	const char *state_root;		/* --state-root (names.h) */
	bool help, version;
	/* health: -w, -c, --check, --prom-file */
	bool pct_ok;			/* the tool has a percentage figure:
					 * set it before parsing */
	bool has_warn, has_crit;
	struct pd_threshold warn, crit;	/* -w, -c */
	bool check;			/* --check: plugin mode */
	const char *prom_file;		/* --prom-file */
};

void pd_common_init(struct pd_common *c, const char *tool);

/*
 * Name the tool in getopt's own messages ("dfdu: unrecognized option
 * '--x'"): glibc prints argv[0], the path the tool was run by, so ARGV[0]
 * becomes the tool's name (the process's cmdline is not changed).
 */
void pd_common_name_argv(const struct pd_common *c, char **argv);

/*
 * Find --check in ARGV before the options are parsed, so that a usage
 * error anywhere on the line is already a plugin's UNKNOWN (exit 3), and
 * name the tool in ARGV[0] (pd_common_name_argv()). Call right after
 * pd_common_init().
 */
void pd_common_prescan(struct pd_common *c, int argc, char **argv);

/* getopt_long's own error (it printed the message): the Try line, and
 * exit 2 (3 with --check). The default: case of every tool. */
noreturn void pd_common_bad_option(const struct pd_common *c);

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

/*
 * R (negative errno) ended a scan of PFS, or something the tool read: if
 * it, or the first fatal error PFS kept (pd_procfs_error()), is the tool's
 * own failure, say so and exit 2 (3 with --check): "TOOL: out of file
 * descriptors (ulimit -n N)", "TOOL: out of memory", "TOOL: PATH: not a
 * regular file". Returns otherwise, for the caller's own message.
 */
void pd_common_fatal(const struct pd_common *c, const struct pd_procfs *pfs,
		     int r);

/*
 * Messages escape their whole text (pd_escape_text()): pass strings from
 * the system to pd_usage_error(), pd_die() and pd_warn() raw, never
 * escaped already (a backslash would double).
 *
 * Free text with newlines of its own (--explain) cannot be escaped whole:
 * every string from the system in it goes through pd_esc(), which returns
 * S as the table shows it, owned by E until pd_escs_release(E). A NULL S
 * gives "-". Out of memory exits.
 */
struct pd_escs {
	char **v;
	size_t n;
};
const char *pd_esc(struct pd_escs *e, const char *s);
void pd_escs_release(struct pd_escs *e);

/*
 * Say on stderr, once per cause, why the view P is partial: the proc
 * mount's hidepid, processes that could not be read (pd_warn: -q
 * silences it). Nothing when the view is complete.
 */
void pd_warn_partial(const struct pd_common *c, const struct pd_partial *p);

/*
 * "cannot scan ROOT: why" and exit 2 (3 with --check), ERR the scan's
 * -errno; a file missing from a root mounted with subset=pid (P) is
 * said to be missing for that reason.
 */
noreturn void pd_die_scan(const struct pd_common *c,
			  const struct pd_partial *p, int err);

/*
 * Apply the column choice to REP: ENVVAR (e.g. "DEADFILES_COLUMNS") as
 * defaults, then -o or --output-all; a bad name is a usage error, and so
 * is a -x that names no column of REP: call it before anything is read.
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
/* --command LIST: replaces *V (freed) with the list's items; a bad list
 * is a usage error. */
void pd_common_set_comms(const struct pd_common *c, const char *arg,
			 char ***v, size_t *n);

/*
 * -p, -u and --command against the processes alive in PFS, before the
 * scan (pd_coverage_census()): a pid, user or name that no process has
 * is said on stderr, once per list ("no such process 123"); when no
 * process passes FLT at all and none that might is hidden or
 * unreadable, that is the answer: the same words as an error, and exit
 * 2 (UNKNOWN with --check). Nothing happens for an empty FLT.
 */
void pd_common_census(const struct pd_common *c, struct pd_procfs *pfs,
		      const struct pd_procfilter *flt);

/*
 * -V or -H: print the version or REP's column list and return true (the
 * command is done); otherwise false.
 */
bool pd_common_info_done(const struct pd_common *c,
			 const struct pd_report *rep);

/* The proc root of --proc-root (or /proc), or a message and exit 2 (3
 * with --check): it cannot be opened, or holds no processes. */
struct pd_procfs *pd_common_procfs(const struct pd_common *c);
/* As pd_common_procfs(), for a command that reads only the machine's own
 * files of the root (meminfo, stat), no process: no pid is asked for. */
struct pd_procfs *pd_common_procfs_open(const struct pd_common *c);
/* The check of pd_common_procfs(): PFS holds processes, or a message and
 * exit 2 (3 with --check). */
void pd_common_has_pids(const struct pd_common *c, struct pd_procfs *pfs);

/* A growing text for the comma lists of a row ("12,34"); set len to 0 to
 * reuse it, free(s) when done. Out of memory exits. */
struct pd_strbuf {
	char *s;
	size_t len, cap;
};
/* Append S, after SEP unless the text is empty. */
void pd_strbuf_add(struct pd_strbuf *sb, const char *sep, const char *s);

/* Cell COL as a device number, "MAJ:MIN". */
void pd_row_set_dev(struct pd_row *row, size_t col, dev_t dev);

/*
 * Health: each tool states its headline figure(s) in a struct pd_health,
 * and this layer applies -w/-c, prints the --check line, and decides the
 * exit status and whether the report is printed.
 */

/* One headline figure: the tool's one figure, or one group's (pssum). */
struct pd_figure {
	const char *name;	/* the group ("firefox"); NULL: the only one */
	uint64_t bytes;		/* what a size threshold is compared with */
	bool has_pct;
	int64_t pct;		/* what a % threshold is compared with, in
				 * PD_THRESHOLD_PCT_SCALE units */
	bool partial;		/* a lower bound: part of it is unknown */
	bool has_bound;		/* partial, and the part unknown is at most
				 * bound bytes: under -w/-c from bytes to
				 * bytes + bound, it is OK (memfind: a tmpfs
				 * out of reach, at most the Shmem remainder) */
	uint64_t bound;
	bool unknown;		/* cannot be judged: UNKNOWN under any
				 * threshold, left out of the perfdata */
	/* A tool that judges several kinds of figure (dfdu: deleted,
	 * hidden, ...) names each kind's perfdata; NULL: H's perf and
	 * perf_pct. */
	const char *perf, *perf_pct;
	bool count;		/* a count, not bytes: no "B" in perfdata */
	enum pd_status status;	/* set by pd_health_eval() */
};

struct pd_health {
	const char *perf;	/* perfdata label of the bytes: "deleted_bytes" */
	const char *perf_unit;	/* its unit: NULL "B"; "" for a count (a
				 * figure of events, not bytes) */
	const char *perf_pct;	/* of the percentage ("top_share"), or NULL */
	const char *groups;	/* "command groups" when there is one figure
				 * per group (pssum); NULL for one figure */
	struct pd_figure *figs;	/* owned by the tool */
	size_t nfigs;
	size_t ngroups;		/* groups of several figures each (dfdu:
				 * file systems): their number, and the
				 * tool sets nwarn and ncrit per group
				 * after pd_health_eval(); 0: a group is
				 * a figure */
	bool unknown;		/* the figure could not be had at all:
				 * UNKNOWN even without -w/-c */
	struct pd_partial partial;	/* what the scan could not see; set
					 * it before pd_health_eval() */
	bool partial_lowers;	/* what it could not see can only lower
				 * the figures (dfdu: deleted files explain
				 * more of the gap), and the tool judged its
				 * figures as upper bounds itself */
	bool has_partial_bound;	/* what it could not see adds at most
				 * partial_bound bytes to a figure, or makes
				 * a group of at most that (pssum: the VmRSS
				 * of the processes it could not read) */
	uint64_t partial_bound;
	char text[512];		/* the --check words, after "TOOL STATE - " */
	const char *perf_more;	/* more performance data, or NULL: "'x'=1%;;" */
	enum pd_status status;	/* the worst figure; set by pd_health_eval() */
	unsigned nwarn, ncrit;	/* figures in each state */
};

/* Was -w or -c given? */
bool pd_common_has_threshold(const struct pd_common *c);

/*
 * Set each figure's status from -w/-c (a size threshold looks at bytes, a
 * % one at pct; a partial figure that alerts on nothing is UNKNOWN, an
 * unknown one is UNKNOWN whatever the thresholds) and
 * H's worst status and counts. A partial view (H->partial) is UNKNOWN
 * unless a figure already crosses a threshold: what was not seen can
 * only add to the figures; with a partial_bound, it is OK when no figure
 * (nor a group of its own) could cross with that added. With
 * partial_lowers the figures' own bounds decide. Without -w/-c a
 * partial view is UNKNOWN all the same.
 * Returns H->status.
 */
enum pd_status pd_health_eval(const struct pd_common *c, struct pd_health *h);

/*
 * The --check line: "TOOL STATE - TEXT | PERFDATA" to stdout, then exit
 * with the plugin code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 */
noreturn void pd_health_check_exit(const struct pd_common *c,
				   const struct pd_health *h);

/*
 * Should the report be printed? Not with --check; with -w/-c only when a
 * figure is not OK; with --prom-file and no threshold, no (the file is
 * the output); otherwise yes.
 */
bool pd_health_report_wanted(const struct pd_common *c,
			     const struct pd_health *h);

/*
 * The exit status outside --check: 1 when a threshold was crossed, 2 when
 * it could not be evaluated (warned on stderr), else 0.
 */
int pd_health_exit_code(const struct pd_common *c, const struct pd_health *h);

/* "2.1GiB", "512B": the --check line's sizes. */
void pd_health_size(uint64_t bytes, char *buf, size_t n);

/*
 * --prom-file: the exposition to fill, NULL when not asked for. Families
 * are named "TOOL_WHAT" (WHAT ends in the unit: "deleted_bytes"); errors
 * in names are bugs and die. pd_common_prom_write() adds
 * TOOL_last_success_timestamp_seconds, writes the file atomically (exit
 * 2, or 3 with --check, when it cannot) and frees P.
 */
struct pd_prom *pd_common_prom_new(const struct pd_common *c);
void pd_common_prom_family(const struct pd_common *c, struct pd_prom *p,
			   const char *what, enum pd_prom_type type,
			   const char *help);
void pd_common_prom_u64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			uint64_t v);
void pd_common_prom_s64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			int64_t v);
void pd_common_prom_f64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			double v);
void pd_common_prom_write(const struct pd_common *c, struct pd_prom *p);

/*
 * The labels of a file system in P, as node_exporter's filesystem
 * collector gives them (lib/promfs: device, mountpoint, fstype, written
 * verbatim), so that a PromQL join with node_filesystem_* works: the
 * mounts of pid 1 of PFS, read once. pd_common_prom_fs() fills L[0..2]
 * for the file system DEV the tool knows as TARGET, SOURCE, FSTYPE (any
 * may be NULL), first releasing what L held (start with L zeroed);
 * pd_promfs_labels_release(L) when done. Out of memory exits.
 */
struct pd_promfs *pd_common_promfs_new(const struct pd_common *c,
				       struct pd_prom *p,
				       struct pd_procfs *pfs);
void pd_common_prom_fs(const struct pd_common *c, struct pd_promfs *pf,
		       dev_t dev, const char *target, const char *source,
		       const char *fstype, struct pd_prom_label l[3]);

/* Allocation that cannot fail: on ENOMEM print and exit 2. */
void *pd_xcalloc(size_t n, size_t size);
void pd_check_alloc(const struct pd_common *c, int r);

#endif
