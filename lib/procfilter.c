/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfilter: the -p/-u/--command filter of the tools, and the one rule by
 * which a command name given to --command matches a process. */
#include "procfilter.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool pd_procfilter_is_empty(const struct pd_procfilter *flt)
{
	return !flt->npids && !flt->nuids && !flt->ncomms;
}

enum pd_name_match pd_procfilter_name_comm(const char *name, const char *comm)
{
	if (!strcmp(name, comm))
		return PD_NAME_YES;
	if (strlen(name) > PD_COMM_MAX && strlen(comm) == PD_COMM_MAX &&
	    !strncmp(name, comm, PD_COMM_MAX))
		return PD_NAME_MAYBE;
	return PD_NAME_NO;
}

/* Is NAME the last component of the path P (LEN bytes)? */
static bool is_basename(const char *name, const char *p, size_t len)
{
	const char *base = p;
	size_t i, n = strlen(name);

	for (i = 0; i < len; i++)
		if (p[i] == '/')
			base = p + i + 1;
	return (size_t)(p + len - base) == n && !memcmp(base, name, n);
}

bool pd_procfilter_name_full(const char *name, const char *exe,
			     const char *argv0)
{
	static const char deleted[] = " (deleted)";
	const size_t dl = sizeof(deleted) - 1;

	if (exe) {
		size_t len = strlen(exe);

		if (is_basename(name, exe, len))
			return true;
		if (len > dl && !strcmp(exe + len - dl, deleted) &&
		    is_basename(name, exe, len - dl))
			return true;
	}
	return argv0 && is_basename(name, argv0, strlen(argv0));
}

bool pd_procfilter_comm_may_match(const struct pd_procfilter *flt,
				  const char *comm)
{
	size_t i;

	if (!flt->ncomms)
		return true;
	for (i = 0; i < flt->ncomms; i++)
		if (pd_procfilter_name_comm(flt->comms[i], comm) != PD_NAME_NO)
			return true;
	return false;
}

/* The full name of the process at PIDFD (a directory of PFS) against
 * NAME: its exe link, then argv[0]; what cannot be read is unknown (a
 * fatal error is kept in PFS: pd_procfs_error()). */
static bool full_name_at(struct pd_procfs *pfs, int pidfd, const char *name)
{
	char exe[PATH_MAX + 1], *cmd = NULL;
	size_t len;
	bool has_exe, ok;

	if (pidfd < 0)
		return false;
	has_exe = pd_readlink_at(pidfd, "exe", exe, sizeof(exe)) >= 0;
	if (has_exe && pd_procfilter_name_full(name, exe, NULL))
		return true;
	/* cmdline's first NUL ends argv[0] */
	if (pd_procfs_read_at(pfs, pidfd, "cmdline", 1u << 20, &cmd, &len) < 0)
		return false;
	ok = len && pd_procfilter_name_full(name, NULL, cmd);
	free(cmd);
	return ok;
}

/* The pid and uid parts of FLT. */
static bool ids_match(const struct pd_procfilter *flt, pid_t pid, uid_t uid)
{
	size_t i;
	bool ok;

	if (flt->npids) {
		for (ok = false, i = 0; i < flt->npids && !ok; i++)
			ok = flt->pids[i] == pid;
		if (!ok)
			return false;
	}
	if (flt->nuids) {
		for (ok = false, i = 0; i < flt->nuids && !ok; i++)
			ok = flt->uids[i] == uid;
		if (!ok)
			return false;
	}
	return true;
}

/*
 * The names of FLT against COMM, and the full name when a long one needs
 * it: read through *PIDFD, a directory of PFS, which is opened in PFS
 * (when OPEN_PID and PFS is not NULL) the first time it is needed.
 */
static bool names_match(const struct pd_procfilter *flt,
			struct pd_procfs *pfs, bool open_pid, pid_t pid,
			int *pidfd, const char *comm)
{
	size_t i;

	if (!flt->ncomms)
		return true;
	for (i = 0; i < flt->ncomms; i++) {
		switch (pd_procfilter_name_comm(flt->comms[i], comm)) {
		case PD_NAME_YES:
			return true;
		case PD_NAME_MAYBE:
			if (*pidfd < 0 && open_pid && pfs &&
			    pd_procfs_open_pid(pfs, pid, pidfd) < 0)
				*pidfd = -1;
			if (full_name_at(pfs, *pidfd, flt->comms[i]))
				return true;
			break;
		case PD_NAME_NO:
			break;
		}
	}
	return false;
}

bool pd_procfilter_match_at(const struct pd_procfilter *flt,
			    struct pd_procfs *pfs, int pidfd, pid_t pid,
			    uid_t uid, const char *comm)
{
	return ids_match(flt, pid, uid) &&
	       names_match(flt, pfs, false, pid, &pidfd, comm);
}

bool pd_procfilter_match(const struct pd_procfilter *flt,
			 struct pd_procfs *pfs, pid_t pid, uid_t uid,
			 const char *comm)
{
	int pidfd = -1;
	bool ok;

	if (!ids_match(flt, pid, uid))
		return false;
	ok = names_match(flt, pfs, true, pid, &pidfd, comm);
	if (pidfd >= 0)
		close(pidfd);
	return ok;
}
