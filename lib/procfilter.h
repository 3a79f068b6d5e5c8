/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfilter: the -p/-u/--command filter of the tools, and the one rule by
 * which a command name given to --command matches a process. */
#ifndef PD_PROCFILTER_H
#define PD_PROCFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "procfs.h"

/* The bytes of a name the kernel keeps in comm (TASK_COMM_LEN - 1). */
#define PD_COMM_MAX 15

/* The -p/-u/--command filter; an empty list lets every process through. */
struct pd_procfilter {
	const pid_t *pids;
	size_t npids;
	const uid_t *uids;
	size_t nuids;
	const char *const *comms;	/* names: pd_procfilter_name_comm() */
	size_t ncomms;
};

/* Is the filter empty? */
bool pd_procfilter_is_empty(const struct pd_procfilter *flt);

enum pd_name_match {
	PD_NAME_NO,
	PD_NAME_YES,	/* the name is the comm */
	PD_NAME_MAYBE,	/* a name longer than comm keeps, which starts with
			 * the comm: the full name decides */
};

/*
 * NAME against a process's COMM alone. A name of at most 15 bytes
 * matches an equal comm, as pgrep's does. The kernel cuts comm to its
 * first 15 bytes ("systemd-journald" runs as "systemd-journal"), so a
 * longer name whose first 15 bytes are COMM is MAYBE; it is YES when
 * COMM is the whole name (a kernel that keeps more).
 */
enum pd_name_match pd_procfilter_name_comm(const char *name, const char *comm);

/*
 * Is NAME the full name of a process: the last component of its exe
 * link text EXE (a " (deleted)" suffix dropped: a binary replaced by an
 * upgrade) or of its argv[0] ARGV0? Either may be NULL (unknown).
 */
bool pd_procfilter_name_full(const char *name, const char *exe,
			     const char *argv0);

/*
 * May a process whose comm is COMM pass the names of FLT, its full name
 * unknown? True when FLT names no command.
 */
bool pd_procfilter_comm_may_match(const struct pd_procfilter *flt,
				  const char *comm);

/*
 * Does the process PID (real uid UID, comm COMM) pass FLT: is it in
 * every list given? A name longer than 15 bytes whose first 15 are COMM
 * needs the full name: only then are the exe link and argv[0] (cmdline)
 * read, through the process's directory PIDFD (-1: not readable, no
 * match), a directory of PFS (pd_procfs_read_at(); NULL: a plain read).
 * A fatal error of that read (pd_err_is_fatal()) is no match, and is kept
 * in PFS for the scan to stop on (pd_procfs_error()).
 */
bool pd_procfilter_match_at(const struct pd_procfilter *flt,
			    struct pd_procfs *pfs, int pidfd, pid_t pid,
			    uid_t uid, const char *comm);
/* The same, opening PID's directory in PFS only when a long name needs
 * it. */
bool pd_procfilter_match(const struct pd_procfilter *flt,
			 struct pd_procfs *pfs, pid_t pid, uid_t uid,
			 const char *comm);

#endif
