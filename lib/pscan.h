/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pscan: the memory of every process (smaps_rollup), filtered and grouped;
 * the engine of pssum. */
#ifndef PD_PSCAN_H
#define PD_PSCAN_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgname.h"
#include "coverage.h"
#include "meminfo.h"
#include "procfs.h"
#include "smaps.h"

/* What identifies a group (pssum -g). */
enum pd_pss_key {
	PD_PSS_KEY_PID,
	PD_PSS_KEY_PPID,
	PD_PSS_KEY_COMMAND,	/* comm */
	PD_PSS_KEY_EXE,		/* link text of exe, " (deleted)" kept */
	PD_PSS_KEY_USER,	/* by uid */
	PD_PSS_KEY_CGROUP,
	PD_PSS_KEY_UNIT,	/* systemd unit from the cgroup path */
	PD_PSS_KEY_CONTAINER,	/* runtime and id (name when it has no id)
				 * and role: opts.names */
	PD_PSS_KEY_POD,		/* the pod's uid: opts.names */
};

/* What to read beyond stat and the rollup; each costs a file per process. */
enum pd_pscan_want {
	PD_PSCAN_UID = 1 << 0,		/* status: uid and user name */
	PD_PSCAN_CMDLINE = 1 << 1,
	PD_PSCAN_CGROUP = 1 << 2,	/* cgroup and unit */
	PD_PSCAN_EXE = 1 << 3,
	PD_PSCAN_STATUS_MEM = 1 << 4,	/* status: VmPTE and HugetlbPages */
	PD_PSCAN_MAPPINGS = 1 << 5,	/* full smaps by mapping, no rollup */
	PD_PSCAN_NAMES = 1 << 6,	/* cgroup, named by opts.names */
	PD_PSCAN_NUMA = 1 << 7,		/* numa_maps: bytes per NUMA node */
};

/*
 * Which processes to read; every part must match (AND); an empty part
 * does not filter. Everything here is decided from stat, status, cmdline
 * and cgroup before smaps_rollup is opened.
 */
struct pd_pscan_filter {
	const pid_t *pids;
	size_t npids;
	const uid_t *uids;		/* real uid */
	size_t nuids;
	const char *const *comms;	/* names, as pd_procfilter's */
	size_t ncomms;
	const regex_t *full;		/* on the command line, as pgrep -f:
					 * on comm when the line is empty */
	const char *cgroup;		/* the cgroup is PATH or below it */
};

struct pd_pscan_opts {
	unsigned want;			/* enum pd_pscan_want */
	const enum pd_pss_key *keys;	/* grouping; none means by pid */
	size_t nkeys;
	struct pd_pscan_filter filter;
	unsigned jobs;			/* reader threads; 0 is 1 */
	/* With PD_PSCAN_NAMES or a container or pod key: who each cgroup
	 * is; the caller's, used by one thread after the reading, and it
	 * must outlive the scan (the names are its strings). NULL: no
	 * process is in a container or pod. */
	struct pd_cgname_ctx *names;
	bool exclude_self;		/* skip ourselves (live procfs only) */
};

/* One process as read. Strings are NULL unless wanted, or unknown. */
struct pd_pssproc {
	pid_t pid, ppid;
	char comm[64];
	uid_t uid;			/* with PD_PSCAN_UID */
	const char *user;		/* lives as long as the scan */
	char *cmdline;
	char *cgroup, *unit;
	struct pd_cgname name;		/* with PD_PSCAN_NAMES; all NULL when
					 * unknown */
	char *exe;
	struct pd_smaps sm;		/* the rollup, or the sum of smaps */
	bool has_status_mem;		/* pagetables and hugetlb are known */
	uint64_t pagetables, hugetlb;	/* VmPTE, HugetlbPages in bytes */
	/* With PD_PSCAN_NUMA: bytes mapped on node N (numa_maps' pages
	 * there, each mapping's page size) in numa[N], for N below
	 * pd_pscan_nr_nodes(); NULL without */
	uint64_t *numa;
};

/* The value columns --diff compares. */
enum pd_pssbase_col {
	PD_PSSBASE_PSS,
	PD_PSSBASE_RSS,
	PD_PSSBASE_USS,
	PD_PSSBASE_SWAP,
	PD_PSSBASE_NCOLS,
};

/* Growth since a --diff file, per value column; unknown where the file
 * has no value. */
struct pd_pssgrowth {
	bool known[PD_PSSBASE_NCOLS];
	int64_t v[PD_PSSBASE_NCOLS];
	bool is_new;		/* the group is not in the file: it grew
				 * from nothing */
};

/*
 * GROWTH bytes in SECONDS as bytes per hour, rounded to the nearest
 * (halves away from 0), into *RET_PER_HOUR. False (and nothing written)
 * when SECONDS is not positive: no rate.
 */
bool pd_pssgrowth_rate(int64_t growth, double seconds,
		       int64_t *ret_per_hour);

/* Processes that share a key; the sums are over its members. */
struct pd_pssgroup {
	const struct pd_pssproc *proc;	/* its first member (lowest pid):
					 * it holds the key's values */
	size_t nprocs;
	struct pd_smaps sm;
	uint64_t pagetables, hugetlb;
	uint64_t *numa;			/* as pd_pssproc's, summed */
	struct pd_pssgrowth growth;	/* after pd_pscan_diff() */
};

/* One mapping name summed over every process mapping it (-m). */
struct pd_pssmap {
	char *name;		/* the path, [heap], [stack], ... or [anon] */
	size_t name_len;	/* it may hold any byte but a newline */
	size_t nprocs;		/* processes mapping it */
	struct pd_smaps sm;
	uint64_t *numa;		/* as pd_pssproc's, summed over the
				 * mappings of this name */
};

/* Why a process that passed the filters could not be read. */
enum pd_pscan_cause {
	PD_PSCAN_DENIED,	/* EACCES/EPERM: needs ptrace read access */
	PD_PSCAN_ZOMBIE,	/* exited, not reaped, and no live thread */
	PD_PSCAN_NOMM,		/* no memory map (exiting), not a zombie */
	PD_PSCAN_FAILED,	/* any other error */
	PD_PSCAN_NCAUSES,
};

struct pd_pscan_unread {
	unsigned n;
	uint64_t rss;		/* sum of their VmRSS (status is world-
				 * readable): an upper bound of what they
				 * hold, over those with a known VmRSS */
	unsigned rss_unknown;	/* of them, without a readable status */
};

struct pd_pscan_stats {
	unsigned seen;		/* pids listed */
	unsigned procs;		/* user processes that passed the filters */
	unsigned read;		/* of those, read */
	unsigned vanished;	/* exited during the scan: not an error */
	unsigned kthreads;	/* skipped, not an error */
	struct pd_pscan_unread unread[PD_PSCAN_NCAUSES];
	int first_error;	/* the first PD_PSCAN_FAILED errno, positive */
};

struct pd_pscan;

/*
 * A scan of the proc root PFS (which must outlive it) with OPTS (copied;
 * the filter's arrays and regex must outlive the scan). Returns 0 or
 * -ENOMEM; free with pd_pscan_free().
 */
int pd_pscan_new(struct pd_procfs *pfs, const struct pd_pscan_opts *opts,
		 struct pd_pscan **ret_ps);
void pd_pscan_free(struct pd_pscan *ps);

/*
 * Read every process of the root (kernel threads skipped), in parallel
 * when opts.jobs > 1; then group them. Results are in pid order whatever
 * the number of threads. Processes that exit are skipped; unreadable ones
 * are counted in the stats. Returns 0, -ENOMEM, or -errno when the root
 * cannot be listed. Call once.
 */
int pd_pscan_run(struct pd_pscan *ps);

const struct pd_pscan_stats *pd_pscan_stats(const struct pd_pscan *ps);
/* What the scan missed of the processes its filter chose: the unread
 * ones (denied or failed; zombies hold nothing), and those the proc
 * mount's hidepid hides; its procs counts the user processes the filter
 * chose (pd_pscan_stats()->procs). Lives as long as PS. */
const struct pd_partial *pd_pscan_partial(const struct pd_pscan *ps);
/*
 * How many processes that passed the filters could not be read and may
 * hold memory the sums lack: zombies (counted in stats, their memory freed
 * at exit) are not among them. 0 means the view is complete.
 */
unsigned pd_pscan_missing(const struct pd_pscan *ps);

/* The processes read, by pid. */
size_t pd_pscan_nprocs(const struct pd_pscan *ps);
const struct pd_pssproc *pd_pscan_proc(const struct pd_pscan *ps, size_t i);

/* The groups by opts.keys, in the order of their first member's pid. */
size_t pd_pscan_ngroups(const struct pd_pscan *ps);
const struct pd_pssgroup *pd_pscan_group(const struct pd_pscan *ps, size_t i);
/* The sums over every process read (proc is NULL). */
const struct pd_pssgroup *pd_pscan_total(const struct pd_pscan *ps);

/*
 * With PD_PSCAN_NUMA: the entries of every numa array, 1 + the highest
 * node any numa_maps read named (0 when none named a node). numa_maps
 * counts the pages mapped, as RSS does (and hugetlb pages, which RSS
 * does not), never a share: it is no PSS. With PD_PSCAN_MAPPINGS a
 * mapping is found by its start address in smaps, read just before: one
 * made between the two reads is left out, so the mappings add up to the
 * processes.
 */
unsigned pd_pscan_nr_nodes(const struct pd_pscan *ps);

/* With PD_PSCAN_MAPPINGS: the mappings, in order of first appearance. */
size_t pd_pscan_nmaps(const struct pd_pscan *ps);
const struct pd_pssmap *pd_pscan_map(const struct pd_pscan *ps, size_t i);

/*
 * The text of KEY for process P, as the matching column prints it in TSV
 * (numbers in decimal, containers and pods in the words of
 * pd_cgname_container_text(), into BUF of BUFSZ bytes when needed): for
 * --diff. NULL when unknown (an unset column, an empty TSV field).
 */
const char *pd_pssproc_key(const struct pd_pssproc *p, enum pd_pss_key key,
			   char *buf, size_t bufsz);

/*
 * -s: the processes' PSS set beside /proc/meminfo, one line each. SIZE
 * is unknown (known false) when meminfo lacks a field the line needs.
 */
struct pd_memline {
	const char *item;
	bool known;
	uint64_t size;
	char note[112];
};

#define PD_MEMLINES_MAX 32

/*
 * Fill LINES (room for PD_MEMLINES_MAX) from the total of PS and MI.
 * Returns the number of lines.
 */
size_t pd_pscan_reconcile(const struct pd_pscan *ps,
			  const struct pd_meminfo *mi,
			  struct pd_memline *lines);

/* ---- --diff: the rows of an earlier `pssum -r` ------------------------- */

struct pd_pssbase_row {
	char **keys;			/* unescaped; NULL for an empty field */
	bool has[PD_PSSBASE_NCOLS];	/* the column is there and not empty */
	uint64_t v[PD_PSSBASE_NCOLS];
	bool matched;			/* found by pd_pssbase_find() */
};

struct pd_pssbase;

/*
 * Parse TSV text with a header line (pssum -r output): its rows are told
 * apart by the columns KEYS (NKEYS names, as pssum's header has them).
 * Fields are unescaped as pd_tsv_unescape() does. Returns 0; -ENOKEY when
 * the header lacks one of KEYS; -EBADMSG for a malformed line (a field
 * count unlike the header's, a bad escape, a value column that is not a
 * number), its number (1 is the header) in *ret_badline, which only this
 * error writes; -ENOTUNIQ when two rows have the same keys (the file was
 * made with another grouping); -ENOMEM. Free with pd_pssbase_free().
 */
int pd_pssbase_parse(const char *buf, size_t len, const char *const *keys,
		     size_t nkeys, struct pd_pssbase **ret_base,
		     size_t *ret_badline);
void pd_pssbase_free(struct pd_pssbase *base);

/*
 * The row whose keys are KEYVALS (NKEYS of them, NULL for unknown, which
 * matches an empty field); marks it matched. Returns 0 or -ENOENT.
 */
int pd_pssbase_find(struct pd_pssbase *base, const char *const *keyvals,
		    size_t *ret_idx);

size_t pd_pssbase_nrows(const struct pd_pssbase *base);
const struct pd_pssbase_row *pd_pssbase_row(const struct pd_pssbase *base,
					    size_t i);

/* The growth of ROW as a group that is gone: minus its values. */
void pd_pssbase_row_growth(const struct pd_pssbase_row *row,
			   struct pd_pssgrowth *ret_growth);

/*
 * Compare every group of PS with BASE, whose key columns must be those of
 * opts.keys in that order: a group found there grows by the difference,
 * a new one by its whole value. The total's growth sums the groups' and
 * the gone rows' (those BASE has and PS has not: pd_pssbase_row()'s
 * matched is false). Call once, after pd_pscan_run().
 */
void pd_pscan_diff(struct pd_pscan *ps, struct pd_pssbase *base);

/*
 * Is PATH (absolute, as /proc/PID/cgroup shows it: "/system.slice") a
 * cgroup in the cgroup file system at ROOT (NULL: /sys/fs/cgroup)? It is
 * looked for in each hierarchy a process's cgroup path may come from
 * (pd_cgroup_parse()): v1 memory, v2 (at ROOT or ROOT/unified), v1
 * name=systemd. Returns 0 when it is a directory in one of them, -ENOENT
 * when in none (a "." or ".." component is in none), -ENOMEDIUM when
 * ROOT holds none of them (nothing to check against), or -errno of
 * opening ROOT.
 */
int pd_pscan_cgroup_exists(const char *root, const char *path);

/*
 * Undo the TSV escapes of the conventions (\\ \t \n \r \xHH) of S (LEN
 * bytes) in place; *ret_len gets the new length. Returns 0 or -EINVAL for
 * any other backslash sequence (the text is then left half done).
 */
int pd_tsv_unescape(char *s, size_t len, size_t *ret_len);

#endif
