/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: what the files of cmd/memfind/ share: the options, the columns
 * of the three views, the functions main() calls. */
#ifndef PD_MEMFIND_H
#define PD_MEMFIND_H

#include <stdbool.h>
#include <stdint.h>

#include "common.h"
#include "memscan.h"
#include "names.h"
#include "users.h"

enum view { VIEW_OBJECT, VIEW_PROCESS, VIEW_SUMMARY };

/* One row per object. */
enum {
	OCOL_KIND, OCOL_SIZE, OCOL_ALLOC, OCOL_RSS, OCOL_PSS, OCOL_SWAP,
	OCOL_HOLDERS, OCOL_PIDS, OCOL_COMMANDS, OCOL_FD, OCOL_SEALS,
	OCOL_FLAGS, OCOL_PATH, OCOL_USERS, OCOL_UIDS, OCOL_MOUNT, OCOL_DEV,
	OCOL_INODE, OCOL_KEY, OCOL_SHMID, OCOL_OWNER, OCOL_PERMS, OCOL_NATTCH,
	OCOL_CPID, OCOL_LPID, OCOL_EXPORTER, OCOL_CONTAINERS, OCOL_PODS,
};

/* One row per process (--by process). */
enum {
	PCOL_PID, PCOL_COMMAND, PCOL_USER, PCOL_OBJECTS, PCOL_FDS,
	PCOL_ALLOC, PCOL_PSS, PCOL_FLAGS, PCOL_CMDLINE, PCOL_PPID, PCOL_UID,
	PCOL_SWAP, PCOL_CONTAINER, PCOL_POD,
};

/* -s: Shmem beside what was found. */
enum {
	SCOL_PART, SCOL_BYTES, SCOL_COUNT, SCOL_IN_SHMEM, SCOL_NOTE,
};

struct opts {
	struct pd_common c;
	enum view view;
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	char **comms;
	size_t ncomms;
	unsigned kinds;
	bool has_min;
	uint64_t min_size;
	bool orphans;
	unsigned timeout_ms;
};

/* options.c */
void memfind_usage(const struct opts *o, const struct pd_report *rep);
void memfind_parse_args(struct opts *o, int argc, char **argv);

/* columns.c */
struct pd_report *memfind_report_new(struct opts *o);

/* columns.c: are the holders' containers or pods shown? */
bool memfind_names_wanted(const struct opts *o, const struct pd_report *rep);

/* rows.c; NAMES: for the container and pod columns, NULL when none is
 * shown */
void memfind_obj_rows(struct opts *o, struct pd_memscan *ms,
		      struct pd_names *names, struct pd_report *rep,
		      struct pd_users *users);
void memfind_proc_rows(struct opts *o, struct pd_memscan *ms,
		       struct pd_names *names, struct pd_report *rep);
void memfind_summary_rows(struct opts *o, struct pd_memscan *ms,
			  struct pd_report *rep);

/* health.c */
void memfind_health(const struct opts *o, const struct pd_memscan *ms,
		    struct pd_health *h, struct pd_figure *f);
void memfind_prom(const struct opts *o, const struct pd_memscan *ms);

#endif
