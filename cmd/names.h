/* SPDX-License-Identifier: GPL-2.0-or-later */
/* names: the CONTAINER and POD columns of the tools, and --state-root. */
#ifndef PD_CMD_NAMES_H
#define PD_CMD_NAMES_H

#include <stddef.h>

#include "cgname.h"
#include "common.h"

/* --state-root, in the option table of a tool with CONTAINER/POD columns */
#define PD_NAMES_LONGOPT \
	{ "state-root", required_argument, NULL, PD_OPT_STATE_ROOT }

/* ... and its line of --help */
#define PD_NAMES_USAGE \
	"     --state-root <dir>  read the container runtimes' state under <dir>\n" \
	"                         (default /; with --proc-root, names come from\n" \
	"                         the cgroup path alone unless this is given)\n"

/*
 * One naming context per scan (lib/cgname), made only when a column or a
 * grouping asks for names: the runtimes' state of --state-root, else of
 * "/" for the live /proc; with --proc-root and no --state-root only what
 * the cgroup paths say (the captured machine's state is not this one's).
 */
struct pd_names;

/* The context; a --state-root that cannot be opened is an error (exit 2). */
struct pd_names *pd_names_new(const struct pd_common *c);
void pd_names_free(struct pd_names *n);

/* Exit 2 unless --state-root, when given, is a directory that opens:
 * every tool that takes it calls this before its scan, so that a typo is
 * an error whether or not a column asks for names. */
void pd_names_check_root(const struct pd_common *c);

/* lib/cgname's context, for an engine that names rows itself (pscan). */
struct pd_cgname_ctx *pd_names_ctx(struct pd_names *n);

/*
 * The name of CGROUP (NULL: none, every field NULL). With PATH_ONLY, what
 * the path alone says, whatever the context reads: for a cgroup that is
 * gone (oomrank --log), whose id may since name another container. The
 * strings live as long as N. Out of memory exits.
 */
void pd_names_lookup(struct pd_names *n, const char *cgroup, bool path_only,
		     struct pd_cgname *ret_name);

/*
 * Set the cells CTR_COL and POD_COL of ROW (either may be SIZE_MAX: not
 * set) from NAME, in the words of pd_cgname_container_text() and
 * pd_cgname_pod_text(); no container or pod leaves the cell unset
 * (empty in TSV, null in JSON).
 */
void pd_names_set(const struct pd_common *c, struct pd_row *row,
		  size_t ctr_col, size_t pod_col, const struct pd_cgname *name);

/*
 * Add NAME's container to the comma list CTRS and its pod to PODS (either
 * may be NULL), each once: the CONTAINERS and PODS of an object's holders,
 * in the order the holders come. Nothing for what is in no container or
 * pod. Out of memory exits.
 */
void pd_names_list_add(struct pd_strbuf *ctrs, struct pd_strbuf *pods,
		       const struct pd_cgname *name);

/* After the scan: warn once when state that names containers could not
 * be read for want of permission (N may be NULL: no names). */
void pd_names_warn(const struct pd_common *c, const struct pd_names *n);
/* The same warning for DENIED files a naming context of an engine could
 * not read (pd_cgname_stats.denied; memwhere); nothing for 0. */
void pd_names_warn_denied(const struct pd_common *c, unsigned denied);

#endif
