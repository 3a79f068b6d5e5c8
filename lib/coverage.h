/* SPDX-License-Identifier: GPL-2.0-or-later */
/* coverage: how much of the system a scan of the proc root saw, and why
 * not all of it: the proc mount's hidepid= and subset= options against our
 * credentials, and the processes the scan could not read. */
#ifndef PD_COVERAGE_H
#define PD_COVERAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "procfs.h"

struct pd_procfilter;

/* hidepid= of a proc mount (Documentation/filesystems/proc.rst). */
enum pd_hidepid {
	PD_HIDEPID_OFF = 0,
	PD_HIDEPID_NOACCESS = 1,	/* others' listed, not readable */
	PD_HIDEPID_INVISIBLE = 2,	/* others' not even listed */
	PD_HIDEPID_PTRACEABLE = 4,	/* only what we may ptrace listed */
};

/* The options of a proc mount that limit what it shows. */
struct pd_procmount {
	enum pd_hidepid hidepid;
	bool has_gid;
	gid_t gid;		/* gid=: its members see every process */
	bool subset_pid;	/* subset=pid: only the process directories */
};

/*
 * Parse the super options of a proc mount as mountinfo prints them
 * ("rw,hidepid=invisible,gid=4,subset=pid"; before 5.8 the kernel printed
 * hidepid as a number). Other options are ignored. Returns 0, or -EINVAL
 * when a hidepid= or gid= value is not one the kernel knows.
 */
int pd_coverage_parse_mount(const char *opts, struct pd_procmount *ret_mnt);

/* "invisible", as the kernel names a hidepid= value; NULL for OFF. */
const char *pd_coverage_hidepid_name(enum pd_hidepid hidepid);

/* Who looks, as far as hidepid cares (fs/proc/base.c has_pid_permissions():
 * the gid= group and ptrace access see a process; CAP_SYS_PTRACE gives
 * ptrace access to every one). */
struct pd_viewer {
	uid_t euid;
	bool cap_sys_ptrace;	/* effective CAP_SYS_PTRACE */
	bool in_gid;		/* member of the mount's gid= group */
};

/* Does a proc mount with options MNT hide other users' processes from V? */
bool pd_coverage_mount_hides(const struct pd_procmount *mnt,
			     const struct pd_viewer *v);

/*
 * What a scan missed of the processes a selection needs: the tools' one
 * notion of a partial view, and why. Zero counts and PD_HIDEPID_OFF: the
 * view is complete.
 */
struct pd_partial {
	const char *root;		/* the proc root, for the words; lives
					 * as long as the engine that gave it */
	enum pd_hidepid hidepid;	/* not OFF: it hides processes the
					 * selection may need from us */
	bool subset_pid;		/* the root is mounted subset=pid */
	bool root_user;			/* we are root (euid 0) */
	unsigned procs;			/* processes the scan listed */
	unsigned denied;		/* of the ones the selection may need,
					 * unreadable: EACCES/EPERM */
	unsigned failed;		/* ... for another error */
	int first_error;		/* the first of those, positive errno */
	/*
	 * Denied although we are root with CAP_SYS_PTRACE: the process holds
	 * privileges no run of ours has (capabilities we lack, a security
	 * module, a sandbox's supervisor). Not partial: no run could ever
	 * read it, and an answer UNKNOWN forever helps nobody. It is named
	 * instead (the first one), so the user knows what is left out.
	 */
	unsigned beyond_root;
	pid_t beyond_pid;
	char beyond_comm[64];		/* "" when unknown */
};

/* Is the view P describes partial? (Processes beyond root are not.) */
bool pd_coverage_is_partial(const struct pd_partial *p);

struct pd_coverage;

/*
 * The coverage of a scan of PFS (which must outlive it): the options of
 * the proc mount its root is (none when the root is not a proc mount,
 * such as a captured tree), looked up by device in this process's own
 * mountinfo, and our credentials. Returns 0 or -ENOMEM; free with
 * pd_coverage_free().
 */
int pd_coverage_new(struct pd_procfs *pfs, struct pd_coverage **ret_cov);
/* The same from given mount options and credentials (ROOT is copied). */
int pd_coverage_new_from(const char *root, const struct pd_procmount *mnt,
			 const struct pd_viewer *viewer,
			 struct pd_coverage **ret_cov);
void pd_coverage_free(struct pd_coverage *cov);

/* The pids the scan listed (copied), so that a pid filter can tell a pid
 * it names that hidepid may hide from one that does not exist. Returns 0
 * or -ENOMEM. */
int pd_coverage_set_listed(struct pd_coverage *cov, const pid_t *pids,
			   size_t n);

/*
 * Record that the scan could not read process PID: ERR is the negative
 * errno (not one that says the process exited). Its comm and whether it
 * is a kernel thread (which holds no file and no memory) are read through
 * its directory PIDFD (-1: not at all) when they can be; its uid, only
 * when a filter asks for it (pd_coverage_judge()). Both need the proc
 * root of pd_coverage_new(): from given values nothing is read. Returns
 * 0 or -ENOMEM.
 */
int pd_coverage_add_unread(struct pd_coverage *cov, int pidfd, pid_t pid,
			   int err);
/* The same with identity known to the caller (COMM may be NULL). */
int pd_coverage_add_unread_id(struct pd_coverage *cov, pid_t pid, int err,
			      bool has_uid, uid_t uid, const char *comm);

/*
 * What the scan missed of the processes FLT selects (NULL: all of them):
 * unread ones that may pass FLT (kernel threads apart), and whether the
 * mount's hidepid may hide one that would.
 */
void pd_coverage_judge(const struct pd_coverage *cov,
		       const struct pd_procfilter *flt,
		       struct pd_partial *ret_partial);

/*
 * What is alive of what a process filter names, item by item: the
 * processes PFS lists now, their identity read (stat and status, and the
 * full name a long --command name needs: pd_procfilter), judged with
 * COV's hidepid rules. An item no process matches is missing, unless a
 * process the view cannot see or read may be it: a pid the mount's
 * hidepid may hide, a user or name when hidepid hides others' processes
 * or a process could not be read (then unsure).
 */
struct pd_census {
	unsigned matched;	/* processes alive that pass all of FLT */
	unsigned unsure;	/* processes that may pass: hidden, unreadable */
	bool *pid_missing;	/* one per FLT pid: no such process */
	bool *uid_missing;	/* one per FLT uid: no process of it */
	bool *comm_missing;	/* one per FLT name: no process of it */
	unsigned missing;	/* items missing, of every list */
};

/* Fill RET_CENSUS for FLT over the processes of PFS. Returns 0, -errno
 * when PFS cannot be listed, or a fatal -errno of a read
 * (pd_err_is_fatal(): out of descriptors or memory, a broken tree); free
 * with pd_census_release(). */
int pd_coverage_census(const struct pd_coverage *cov, struct pd_procfs *pfs,
		       const struct pd_procfilter *flt,
		       struct pd_census *ret_census);
void pd_census_release(struct pd_census *census);

#endif
