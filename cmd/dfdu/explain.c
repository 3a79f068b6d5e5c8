/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the evidence (--explain, -v), and why a part is unknown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dfdu.h"

const char *dfdu_why_text(enum pd_dfwhy why, int err)
{
	switch (why) {
	case PD_DF_KNOWN: return NULL;
	case PD_DF_NOT_WALKED: return "not walked";
	case PD_DF_NEEDS_ROOT: return "unknown: needs root";
	case PD_DF_TIMED_OUT: return "unknown: the file system did not answer";
	case PD_DF_UNSIZED: return "unknown: a deleted file of unknown size";
	case PD_DF_UNSUPPORTED: return "unknown on this file system type";
	case PD_DF_UNREACHABLE:
		return err == EPERM ? "unknown: every mount of it is covered "
				      "by another mount (reaching it needs "
				      "root)" :
				      "unknown: every mount of it is covered "
				      "by another mount";
	case PD_DF_FAILED:
		/* dfdu's own trouble, not the file system's */
		if (err == EMFILE || err == ENFILE)
			return "dfdu ran out of file descriptors (raise its "
			       "limit: ulimit -n)";
		return err ? strerror(err) : "failed";
	}
	return "unknown";
}

static struct pd_row *ev_row(struct opts *o, struct pd_report *rep,
			     const struct pd_dffs *fs, const char *kind)
{
	struct pd_row *row;

	pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
	pd_row_set_str(row, ECOL_KIND, kind);
	pd_row_set_str(row, ECOL_MOUNT, fs->mount);
	pd_row_set_str(row, ECOL_FSTYPE, fs->fstype);
	return row;
}

static void deleted_rows(struct opts *o, struct pd_report *rep,
			 const struct pd_dfscan *ds, const struct pd_dffs *fs)
{
	const struct pd_deadscan *dead = pd_dfscan_deadscan(ds);
	struct pd_strbuf pids = { 0 }, comms = { 0 }, fds = { 0 };
	size_t i, j;

	for (i = 0; i < pd_deadscan_nfiles(dead); i++) {
		const struct pd_deadfile *f = pd_deadscan_file(dead, i);
		struct pd_row *row;
		char num[32], how[256];

		if (!pd_dfscan_file_on(ds, fs, f))
			continue;
		row = ev_row(o, rep, fs, "deleted");
		pids.len = comms.len = fds.len = 0;
		for (j = 0; j < f->nholders; j++) {
			const struct pd_deadproc *p =
				pd_deadscan_proc(dead, f->holders[j].proc);

			snprintf(num, sizeof(num), "%d", (int)p->pid);
			pd_strbuf_add(&pids, ",", num);
			pd_strbuf_add(&comms, ",", p->comm);
			pd_deadholder_format(&f->holders[j], how, sizeof(how));
			pd_strbuf_add(&fds, ";", how);
		}
		if (f->nholders) {
			pd_row_set_str(row, ECOL_PIDS, pids.s);
			pd_row_set_str(row, ECOL_COMMANDS, comms.s);
			pd_row_set_str(row, ECOL_FD, fds.s);
		}
		pd_row_set_strn(row, ECOL_PATH, f->path, f->path_len);
		if (f->sized && !f->timed_out) {
			pd_row_set_s64(row, ECOL_ALLOC, (int64_t)f->alloc);
			pd_row_set_str(row, ECOL_NOTE, "deleted, still held");
		} else {
			pd_row_set_str(row, ECOL_NOTE,
				       dfdu_why_text(PD_DF_UNSIZED, 0));
		}
	}
	free(pids.s);
	free(comms.s);
	free(fds.s);
}

void dfdu_evidence_rows(struct opts *o, struct pd_report *rep,
			const struct pd_dfscan *ds, const struct pd_dffs *fs)
{
	struct pd_row *row;
	size_t i;
	char note[128];

	deleted_rows(o, rep, ds, fs);
	for (i = 0; i < fs->ncovered; i++) {
		const struct pd_dfcovered *c = &fs->covered[i];

		row = ev_row(o, rep, fs, "hidden");
		pd_row_set_str(row, ECOL_PATH, c->mount);
		if (c->known) {
			pd_row_set_s64(row, ECOL_ALLOC, (int64_t)c->alloc);
			snprintf(note, sizeof(note),
				 "%llu inodes under the mount point, its directory included",
				 (unsigned long long)c->inodes);
			pd_row_set_str(row, ECOL_NOTE, note);
		} else {
			pd_row_set_str(row, ECOL_NOTE, dfdu_why_text(
				       fs->hidden_why ? fs->hidden_why :
				       PD_DF_FAILED, fs->hidden_err));
		}
	}
	for (i = 0; i < fs->nunreadable_paths; i++) {
		row = ev_row(o, rep, fs, "unreadable");
		pd_row_set_str(row, ECOL_PATH, fs->unreadable_paths[i]);
		pd_row_set_str(row, ECOL_NOTE, "directory not readable: its "
			       "contents are in the gap, size unknown");
	}
	if (fs->unreadable > fs->nunreadable_paths) {
		row = ev_row(o, rep, fs, "unreadable");
		snprintf(note, sizeof(note), "%llu more unreadable directories not listed",
			 (unsigned long long)(fs->unreadable - fs->nunreadable_paths));
		pd_row_set_str(row, ECOL_NOTE, note);
	}
	if (fs->reserve_split) {
		row = ev_row(o, rep, fs, "reserve-root");
		pd_row_set_s64(row, ECOL_ALLOC, (int64_t)fs->reserve.root);
		pd_row_set_str(row, ECOL_NOTE, fs->reserve_exact ?
			       "ext4 s_r_blocks_count: free for root only; in RESERVED, not in USED" :
			       "ext4 s_r_blocks_count (with the kernel reserve it does not match RESERVED: little space is free)");
		row = ev_row(o, rep, fs, "reserve-kernel");
		pd_row_set_s64(row, ECOL_ALLOC, (int64_t)fs->reserve.kernel);
		pd_row_set_str(row, ECOL_NOTE, "ext4 s_resv_clusters, min(2%, 4096 clusters): in RESERVED, not in USED");
	}
	if (fs->fsspecific_what) {
		row = ev_row(o, rep, fs, "fsspecific");
		if (!fs->fsspecific_why)
			pd_row_set_s64(row, ECOL_ALLOC, (int64_t)fs->fsspecific);
		pd_row_set_str(row, ECOL_NOTE, fs->fsspecific_why ?
			       dfdu_why_text(fs->fsspecific_why, 0) :
			       fs->fsspecific_what);
	}
	row = ev_row(o, rep, fs, "remainder");
	if (fs->unexplained_known) {
		pd_row_set_s64(row, ECOL_ALLOC, fs->unexplained);
		pd_row_set_str(row, ECOL_NOTE, fs->causes);
	} else if (!fs->gap_known) {
		pd_row_set_str(row, ECOL_NOTE, fs->df_why ?
			       dfdu_why_text(fs->df_why, fs->df_err) :
			       dfdu_why_text(fs->walk_why, fs->walk_err));
	} else {
		pd_row_set_str(row, ECOL_NOTE, dfdu_why_text(
			fs->deleted_why ? fs->deleted_why :
			fs->hidden_why ? fs->hidden_why : fs->fsspecific_why,
			fs->hidden_why ? fs->hidden_err : 0));
	}
}
