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
	case PD_DF_PARTIAL: return "unknown: processes that could not be read may hold more";
	case PD_DF_SUBTREE: return "unknown: the walk did not start at a subvolume's root";
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

			snprintf(num, sizeof(num), "%d", (int)p->proc.pid);
			pd_strbuf_add(&pids, ",", num);
			pd_strbuf_add(&comms, ",", p->proc.comm);
			pd_holder_format(&f->holders[j], how, sizeof(how));
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

void dfdu_unknown_words(const struct pd_dffs *fs, char *buf, size_t n)
{
	size_t len = 0, i;

	buf[0] = '\0';
#define ADD(...) do { \
		if (len < n) \
			len += (size_t)snprintf(buf + len, n - len, \
						__VA_ARGS__); \
	} while (0)
	if (fs->deleted_why)
		ADD("%sdeleted files %s", len ? "; " : "",
		    dfdu_why_text(fs->deleted_why, 0));
	if (fs->hidden_why)
		ADD("%shidden files %s", len ? "; " : "",
		    dfdu_why_text(fs->hidden_why, fs->hidden_err));
	for (i = 0; i < fs->parts.n; i++) {
		const struct pd_dfpart *p = &fs->parts.v[i];

		if (p->info || !p->why)
			continue;
		ADD("%s%s %s", len ? "; " : "", p->what,
		    dfdu_why_text(p->why, p->err));
	}
	if (fs->unreadable)
		ADD("%swhat %llu unreadable director%s hold", len ? "; " : "",
		    (unsigned long long)fs->unreadable,
		    fs->unreadable == 1 ? "y" : "ies");
#undef ADD
}

/* V as the --check words give a size, signed: "-4KiB". */
static void signed_size(int64_t v, char *buf, size_t n)
{
	uint64_t m = v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;

	buf[0] = '-';
	pd_health_size(m, buf + (v < 0), n - 1);
}

/* The remainder's row: exact, or its bounds and what is unknown. */
static void remainder_row(struct opts *o, struct pd_report *rep,
			  const struct pd_dffs *fs)
{
	const struct pd_dfbound *b = &fs->unexplained_b;
	struct pd_row *row = ev_row(o, rep, fs, "remainder");
	char note[1024], unk[768], lo[32], hi[32];

	if (!fs->gap_known) {
		pd_row_set_str(row, ECOL_NOTE, fs->df_why ?
			       dfdu_why_text(fs->df_why, fs->df_err) :
			       dfdu_why_text(fs->walk_why, fs->walk_err));
		return;
	}
	if (fs->unexplained_known) {
		pd_row_set_s64(row, ECOL_ALLOC, fs->unexplained);
		if (!fs->unreadable) {
			pd_row_set_str(row, ECOL_NOTE, fs->causes);
			return;
		}
	}
	dfdu_unknown_words(fs, unk, sizeof(unk));
	signed_size(b->min, lo, sizeof(lo));
	signed_size(b->max, hi, sizeof(hi));
	if (b->has_min && b->has_max)
		snprintf(note, sizeof(note), "between %s and %s: %s", lo, hi,
			 unk);
	else if (b->has_max)
		snprintf(note, sizeof(note), "at most %s: %s", hi, unk);
	else if (b->has_min)
		snprintf(note, sizeof(note), "at least %s: %s", lo, unk);
	else
		snprintf(note, sizeof(note), "no bound: %s", unk);
	pd_row_set_str(row, ECOL_NOTE, note);
}

/* The inode count of FS and its verdict; the directories with the most
 * entries. */
static void inode_rows(struct opts *o, struct pd_report *rep,
		       const struct pd_dffs *fs)
{
	struct pd_row *row;
	char note[256];
	size_t i;

	if (fs->df_why)
		return;
	row = ev_row(o, rep, fs, "inodes");
	pd_row_set_u64(row, ECOL_INODES, fs->space.iused);
	if (!fs->space.inodes)
		snprintf(note, sizeof(note), "no inode limit: %s allocates "
			 "inodes as it needs them", fs->fstype);
	else
		snprintf(note, sizeof(note), "%llu of %llu inodes used (%llu%%)"
			 ", %llu%% of the blocks available%s",
			 (unsigned long long)fs->space.iused,
			 (unsigned long long)fs->space.inodes,
			 (unsigned long long)((fs->space.iused * 100 +
			  fs->space.inodes - 1) / fs->space.inodes),
			 (unsigned long long)(fs->space.size ?
			  fs->space.avail * 100 / fs->space.size : 0),
			 fs->inodes_short ? ": inodes nearly out while blocks "
			 "are free; creating a file fails with \"No space "
			 "left on device\"" : "");
	pd_row_set_str(row, ECOL_NOTE, note);
	if (fs->ndeleted) {
		row = ev_row(o, rep, fs, "inodes");
		pd_row_set_u64(row, ECOL_INODES, fs->ndeleted);
		pd_row_set_str(row, ECOL_NOTE, "deleted files still held: "
			       "their inodes are used until the last holder "
			       "lets go");
	}
	for (i = 0; i < fs->ntopdirs; i++) {
		row = ev_row(o, rep, fs, "entries");
		pd_row_set_u64(row, ECOL_INODES, fs->topdirs[i].entries);
		pd_row_set_str(row, ECOL_PATH, fs->topdirs[i].path);
		pd_row_set_str(row, ECOL_NOTE, "a directory with many entries");
	}
}

/* The parts of FSSPECIFIC and the file system's own evidence. */
static void part_rows(struct opts *o, struct pd_report *rep,
		      const struct pd_dffs *fs)
{
	char note[1024];
	size_t i;

	/* the parts first, then the evidence */
	for (i = 0; i < 2 * fs->parts.n; i++) {
		const struct pd_dfpart *p = &fs->parts.v[i % fs->parts.n];
		struct pd_row *row;

		if (p->info != (i >= fs->parts.n))
			continue;
		row = ev_row(o, rep, fs, p->info ? "fsinfo" : "fsspecific");

		if (p->info ? p->has_bytes : !p->why)
			pd_row_set_s64(row, ECOL_ALLOC, p->bytes);
		if (p->why)
			snprintf(note, sizeof(note), "%s: %s%s%s", p->what,
				 dfdu_why_text(p->why, p->err),
				 p->note ? "; " : "", p->note ? p->note : "");
		else
			snprintf(note, sizeof(note), "%s%s%s", p->what,
				 p->note ? ": " : "", p->note ? p->note : "");
		pd_row_set_str(row, ECOL_NOTE, note);
		if (p->path)
			pd_row_set_str(row, ECOL_PATH, p->path);
	}
}

void dfdu_evidence_rows(struct opts *o, struct pd_report *rep,
			const struct pd_dfscan *ds, const struct pd_dffs *fs)
{
	struct pd_row *row;
	size_t i;
	char note[128];

	deleted_rows(o, rep, ds, fs);
	if (fs->deleted_why == PD_DF_NEEDS_ROOT ||
	    fs->deleted_why == PD_DF_PARTIAL) {
		row = ev_row(o, rep, fs, "deleted");
		pd_row_set_str(row, ECOL_NOTE, fs->deleted_why ==
			       PD_DF_NEEDS_ROOT ? "unknown: deleted files of "
			       "processes that could not be read (needs root)" :
			       dfdu_why_text(fs->deleted_why, 0));
	}
	for (i = 0; i < fs->ncovered; i++) {
		const struct pd_dfcovered *c = &fs->covered[i];

		row = ev_row(o, rep, fs, "hidden");
		pd_row_set_str(row, ECOL_PATH, c->mount);
		if (c->known) {
			pd_row_set_s64(row, ECOL_ALLOC, (int64_t)c->alloc);
			pd_row_set_u64(row, ECOL_INODES, c->inodes);
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
	part_rows(o, rep, fs);
	if (o->inodes || fs->inodes_short)
		inode_rows(o, rep, fs);
	remainder_row(o, rep, fs);
}
