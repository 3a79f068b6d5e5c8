/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: why df and du disagree, file system by file system, cause by
 * cause. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "dfscan.h"

/* One row per file system. */
enum {
	COL_FSTYPE, COL_SIZE, COL_USED, COL_AVAIL, COL_RESERVED, COL_WALKED,
	COL_GAP, COL_DELETED, COL_HIDDEN, COL_UNREADABLE, COL_FSSPECIFIC,
	COL_UNEXPLAINED, COL_MOUNT, COL_SOURCE, COL_DEV, COL_APPARENT,
	COL_FILES, COL_INODES, COL_IUSED, COL_DELETED_FILES, COL_COVERED,
	COL_ROOT_RESERVE, COL_KERNEL_RESERVE, COL_SUBTREE, COL_CAUSES,
};

static const struct pd_column fs_cols[] = {
	[COL_FSTYPE] = { "FSTYPE", PD_COL_STR, PD_COLF_DEFAULT, "file system type" },
	[COL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "df size (f_blocks)" },
	[COL_USED] = { "USED", PD_COL_SIZE, PD_COLF_DEFAULT, "df used (f_blocks - f_bfree), after syncfs" },
	[COL_AVAIL] = { "AVAIL", PD_COL_SIZE, PD_COLF_DEFAULT, "df available (f_bavail)" },
	[COL_RESERVED] = { "RESERVED", PD_COL_SIZE, PD_COLF_DEFAULT, "free but only for root (f_bfree - f_bavail): SIZE - USED - AVAIL" },
	[COL_WALKED] = { "WALKED", PD_COL_SIZE, PD_COLF_DEFAULT, "du -sxB1 of the file system: allocated bytes the walk saw" },
	[COL_GAP] = { "GAP", PD_COL_SSIZE, PD_COLF_DEFAULT, "USED - WALKED (negative: shared extents)" },
	[COL_DELETED] = { "DELETED", PD_COL_SIZE, PD_COLF_DEFAULT, "deleted files still open or mapped (allocated bytes)" },
	[COL_HIDDEN] = { "HIDDEN", PD_COL_SIZE, PD_COLF_DEFAULT, "files hidden under mount points (needs root)" },
	[COL_UNREADABLE] = { "UNREADABLE", PD_COL_NUM, PD_COLF_DEFAULT, "directories the walk could not read" },
	[COL_FSSPECIFIC] = { "FSSPECIFIC", PD_COL_SIZE, PD_COLF_DEFAULT, "used space the file system keeps for itself (XFS reserve pool)" },
	[COL_UNEXPLAINED] = { "UNEXPLAINED", PD_COL_SSIZE, PD_COLF_DEFAULT, "GAP - DELETED - HIDDEN - FSSPECIFIC" },
	[COL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "mount point that was walked" },
	[COL_SOURCE] = { "SOURCE", PD_COL_STR, 0, "mount source (device)" },
	[COL_DEV] = { "DEV", PD_COL_STR, 0, "device number MAJ:MIN" },
	[COL_APPARENT] = { "APPARENT", PD_COL_SIZE, 0, "apparent size of the walked files (st_size, as du -sxb): sparse and preallocated files" },
	[COL_FILES] = { "FILES", PD_COL_NUM, 0, "inodes the walk counted" },
	[COL_INODES] = { "INODES", PD_COL_NUM, 0, "df inodes (f_files)" },
	[COL_IUSED] = { "IUSED", PD_COL_NUM, 0, "df inodes used (f_files - f_ffree)" },
	[COL_DELETED_FILES] = { "DELETED_FILES", PD_COL_NUM, 0, "deleted files still held" },
	[COL_COVERED] = { "COVERED", PD_COL_NUM, 0, "directories covered by mount points" },
	[COL_ROOT_RESERVE] = { "ROOT_RESERVE", PD_COL_SIZE, 0, "ext4: s_r_blocks_count, part of RESERVED" },
	[COL_KERNEL_RESERVE] = { "KERNEL_RESERVE", PD_COL_SIZE, 0, "ext4: the kernel's s_resv_clusters, part of RESERVED" },
	[COL_SUBTREE] = { "SUBTREE", PD_COL_BOOL, 0, "only a subtree of the file system is mounted and walked" },
	[COL_CAUSES] = { "CAUSES", PD_COL_STR, PD_COLF_WIDE, "likely causes of what is unexplained" },
};

/* The evidence (--explain, -v): one row per piece. */
enum {
	ECOL_KIND, ECOL_ALLOC, ECOL_PIDS, ECOL_COMMANDS, ECOL_MOUNT,
	ECOL_NOTE, ECOL_PATH, ECOL_FD, ECOL_FSTYPE,
};

static const struct pd_column ev_cols[] = {
	[ECOL_KIND] = { "KIND", PD_COL_STR, PD_COLF_DEFAULT, "deleted, hidden, unreadable, reserve-root, reserve-kernel, fsspecific, remainder" },
	[ECOL_ALLOC] = { "ALLOC", PD_COL_SSIZE, PD_COLF_DEFAULT, "allocated bytes (remainder: may be negative)" },
	[ECOL_PIDS] = { "PIDS", PD_COL_STR, PD_COLF_DEFAULT, "deleted: pids of the holders" },
	[ECOL_COMMANDS] = { "COMMANDS", PD_COL_STR, PD_COLF_DEFAULT, "deleted: commands of the holders" },
	[ECOL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT, "the file system's walked mount point" },
	[ECOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT, "what it is, or why it is unknown" },
	[ECOL_PATH] = { "PATH", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "deleted file, covering mount point, unreadable directory" },
	[ECOL_FD] = { "FD", PD_COL_STR, 0, "deleted: how each holder holds it; ';' between holders" },
	[ECOL_FSTYPE] = { "FSTYPE", PD_COL_STR, 0, "file system type" },
};

enum {
	OPT_EXPLAIN = PD_OPT_TOOL,
	OPT_MIN_GAP,
	OPT_NO_WALK,
	OPT_REMOTE,
	OPT_TIMEOUT,
	OPT_ONE_FS,
};

struct opts {
	struct pd_common c;
	const char *explain;
	bool verbose;
	bool has_min_gap;
	uint64_t min_gap;
	bool no_walk;
	bool remote;
	unsigned jobs;
	unsigned timeout_ms;
	char **paths;
	size_t npaths;
};

static void usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " dfdu [options] [<path>...]\n"
	      "\n"
	      "Show why df and du disagree on each file system (or those holding\n"
	      "the paths): deleted files still open, files hidden under mount\n"
	      "points, unreadable directories, space the file system keeps.\n"
	      "\n"
	      "Options:\n"
	      "     --explain <path>    the evidence for the file system holding <path>\n"
	      " -v, --verbose           the evidence for every file system\n"
	      "     --min-gap <size>    only file systems whose gap or unexplained part\n"
	      "                         is at least <size> (100M, 1.5G)\n"
	      "     --no-walk           df side and deleted files only (instant)\n"
	      "     --remote            network and FUSE file systems too (df side only)\n"
	      " -j, --jobs <n>          walker threads (default: the number of CPUs)\n"
	      "     --timeout <time>    deadline for a stat on NFS/FUSE (default 3s)\n"
	      "     --one-file-system   accepted for du users: always implied\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "min-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "no-walk", no_argument, NULL, OPT_NO_WALK },
		{ "remote", no_argument, NULL, OPT_REMOTE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "one-file-system", no_argument, NULL, OPT_ONE_FS },
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n;
	int opt;

	while ((opt = getopt_long(argc, argv, "vj:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_EXPLAIN:
			if (!*optarg)
				pd_usage_error(&o->c, "--explain: empty path");
			o->explain = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_MIN_GAP:
			if (pd_parse_size(optarg, &o->min_gap) < 0)
				pd_usage_error(&o->c, "--min-gap: invalid size '%s'", optarg);
			o->has_min_gap = true;
			break;
		case OPT_NO_WALK:
			o->no_walk = true;
			break;
		case OPT_REMOTE:
			o->remote = true;
			break;
		case 'j':
			if (pd_parse_uint(optarg, 256, &n) < 0 || n == 0)
				pd_usage_error(&o->c, "--jobs: invalid number '%s' (1 to 256)", optarg);
			o->jobs = (unsigned)n;
			break;
		case OPT_TIMEOUT:
			if (pd_parse_duration_ms(optarg, &o->timeout_ms) < 0)
				pd_usage_error(&o->c, "--timeout: invalid duration '%s'", optarg);
			break;
		case OPT_ONE_FS:
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (o->explain && o->verbose)
		pd_usage_error(&o->c, "--explain and --verbose are exclusive");
	/* The figure is the unexplained part, which only the walk gives:
	 * a threshold on it could never be judged. */
	if (o->no_walk && (pd_common_has_threshold(&o->c) || o->c.check))
		pd_usage_error(&o->c, "-w, -c and --check judge the unexplained "
			       "gap, which needs the walk: not with --no-walk");
	o->paths = argv + optind;
	o->npaths = (size_t)(argc - optind);
}

/* Does FS pass --min-gap? */
static bool over_min_gap(const struct opts *o, const struct pd_dffs *fs)
{
	if (!o->has_min_gap)
		return true;
	if (fs->gap_known)
		return fs->gap >= (int64_t)o->min_gap ||
		       (fs->unexplained_known &&
			fs->unexplained >= (int64_t)o->min_gap);
	/* Not walked: the part of the gap that is known. */
	return !fs->deleted_why && fs->deleted >= o->min_gap;
}

static void fs_row(struct opts *o, struct pd_report *rep,
		   const struct pd_dffs *fs)
{
	struct pd_row *row;

	pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
	pd_row_set_str(row, COL_FSTYPE, fs->fstype);
	pd_row_set_str(row, COL_MOUNT, fs->mount);
	pd_row_set_str(row, COL_SOURCE, fs->source);
	pd_row_set_dev(row, COL_DEV, fs->dev);
	pd_row_set_bool(row, COL_SUBTREE, fs->subtree);
	pd_row_set_str(row, COL_CAUSES, fs->causes);
	pd_row_set_u64(row, COL_COVERED, fs->ncovered);
	pd_row_set_u64(row, COL_DELETED_FILES, fs->ndeleted);
	if (!fs->df_why) {
		pd_row_set_u64(row, COL_SIZE, fs->space.size);
		pd_row_set_u64(row, COL_USED, fs->space.used);
		pd_row_set_u64(row, COL_AVAIL, fs->space.avail);
		pd_row_set_u64(row, COL_RESERVED, fs->space.reserved);
		pd_row_set_u64(row, COL_INODES, fs->space.inodes);
		pd_row_set_u64(row, COL_IUSED, fs->space.iused);
	}
	if (!fs->walk_why) {
		pd_row_set_u64(row, COL_WALKED, fs->walk.alloc);
		pd_row_set_u64(row, COL_APPARENT, fs->walk.size);
		pd_row_set_u64(row, COL_FILES, fs->walk.inodes);
		pd_row_set_u64(row, COL_UNREADABLE, fs->unreadable);
	}
	if (fs->gap_known)
		pd_row_set_s64(row, COL_GAP, fs->gap);
	if (!fs->deleted_why)
		pd_row_set_u64(row, COL_DELETED, fs->deleted);
	if (!fs->hidden_why)
		pd_row_set_u64(row, COL_HIDDEN, fs->hidden);
	if (!fs->fsspecific_why)
		pd_row_set_u64(row, COL_FSSPECIFIC, fs->fsspecific);
	if (fs->unexplained_known)
		pd_row_set_s64(row, COL_UNEXPLAINED, fs->unexplained);
	if (fs->reserve_split) {
		pd_row_set_u64(row, COL_ROOT_RESERVE, fs->reserve.root);
		pd_row_set_u64(row, COL_KERNEL_RESERVE, fs->reserve.kernel);
	}
}

static const char *why_text(enum pd_dfwhy why, int err)
{
	switch (why) {
	case PD_DF_KNOWN: return NULL;
	case PD_DF_NOT_WALKED: return "not walked";
	case PD_DF_NEEDS_ROOT: return "unknown: needs root";
	case PD_DF_TIMED_OUT: return "unknown: the file system did not answer";
	case PD_DF_UNSIZED: return "unknown: a deleted file of unknown size";
	case PD_DF_UNSUPPORTED: return "unknown on this file system type";
	case PD_DF_UNREACHABLE: return "unknown: every mount of it is covered by another mount";
	case PD_DF_FAILED: return err ? strerror(err) : "failed";
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
			pd_row_set_str(row, ECOL_NOTE, why_text(PD_DF_UNSIZED, 0));
		}
	}
	free(pids.s);
	free(comms.s);
	free(fds.s);
}

static void evidence_rows(struct opts *o, struct pd_report *rep,
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
			pd_row_set_str(row, ECOL_NOTE, why_text(fs->hidden_why ?
				       fs->hidden_why : PD_DF_FAILED,
				       fs->hidden_err));
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
			       why_text(fs->fsspecific_why, 0) :
			       fs->fsspecific_what);
	}
	row = ev_row(o, rep, fs, "remainder");
	if (fs->unexplained_known) {
		pd_row_set_s64(row, ECOL_ALLOC, fs->unexplained);
		pd_row_set_str(row, ECOL_NOTE, fs->causes);
	} else if (!fs->gap_known) {
		pd_row_set_str(row, ECOL_NOTE, fs->df_why ?
			       why_text(fs->df_why, fs->df_err) :
			       why_text(fs->walk_why, fs->walk_err));
	} else {
		pd_row_set_str(row, ECOL_NOTE, why_text(
			fs->deleted_why ? fs->deleted_why :
			fs->hidden_why ? fs->hidden_why : fs->fsspecific_why,
			fs->hidden_why ? fs->hidden_err : 0));
	}
}

/* Once per cause, over every file system shown. */
static void warn_fs(const struct opts *o, const struct pd_dfscan *ds,
		    const bool *shown)
{
	unsigned needs_root = 0, unreadable = 0, xfs_root = 0;
	size_t i;

	for (i = 0; i < pd_dfscan_nfs(ds); i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

		if (!shown[i])
			continue;
		if (fs->df_why == PD_DF_TIMED_OUT)
			pd_warn(&o->c, "%s did not answer within %u ms",
				fs->mount, o->timeout_ms);
		else if (fs->df_why == PD_DF_UNREACHABLE)
			pd_warn(&o->c, "%s (%s): every mount of it is covered "
				"by another mount: not measured", fs->mount,
				fs->source);
		else if (fs->df_why)
			pd_warn(&o->c, "%s: cannot read its size: %s",
				fs->mount, why_text(fs->df_why, fs->df_err));
		if (fs->walk_why == PD_DF_FAILED)
			pd_warn(&o->c, "%s: cannot walk: %s", fs->mount,
				strerror(fs->walk_err));
		if (fs->hidden_why == PD_DF_NEEDS_ROOT)
			needs_root += (unsigned)fs->ncovered;
		else if (fs->hidden_why == PD_DF_FAILED ||
			 fs->hidden_why == PD_DF_UNSUPPORTED)
			pd_warn(&o->c, "%s: cannot look under its mount points: %s",
				fs->mount, why_text(fs->hidden_why, fs->hidden_err));
		if (fs->fsspecific_why == PD_DF_NEEDS_ROOT)
			xfs_root++;
		unreadable += (unsigned)fs->unreadable;
		if (fs->subtree && !fs->walk_why)
			pd_warn(&o->c, "%s: only a subtree (%s) of the file "
				"system is mounted: the walk sees that subtree",
				fs->mount, fs->root);
	}
	if (needs_root)
		pd_warn(&o->c, "what %u mount points hide is unknown: looking "
			"beneath a mount point needs root", needs_root);
	if (xfs_root)
		pd_warn(&o->c, "the XFS reserve pool is unknown: reading it "
			"needs root");
	if (unreadable && geteuid() != 0)
		pd_warn(&o->c, "%u directories could not be read; run as root "
			"for a complete view", unreadable);
	else if (unreadable)
		pd_warn(&o->c, "%u directories could not be read", unreadable);
}

/*
 * Health: the figure of a file system is its unexplained part, as bytes
 * and as a % of SIZE, a negative remainder counting as 0. It is exact,
 * unknown (no gap: not walked, no df side), or an upper bound: each part
 * of the gap is >= 0, so one that is unknown (hidden files without root,
 * a deleted file of unknown size, the XFS reserve pool without root), or
 * what unreadable directories hold (in the gap, not in WALKED), makes
 * GAP minus the known parts overstate it. An upper bound UB is judged
 * only when every value from 0 to UB gets the state UB gets.
 */
enum bound { BOUND_EXACT, BOUND_UPPER, BOUND_UNKNOWN };

static enum bound unexplained_bound(const struct pd_dffs *fs, int64_t *ret)
{
	if (!fs->gap_known)
		return BOUND_UNKNOWN;
	if (fs->unexplained_known) {
		*ret = fs->unexplained;
		return fs->unreadable ? BOUND_UPPER : BOUND_EXACT;
	}
	/* deleted: the files of known size, a lower bound of the part */
	*ret = fs->gap - (int64_t)fs->deleted -
	       (fs->hidden_why ? 0 : (int64_t)fs->hidden) -
	       (fs->fsspecific_why ? 0 : (int64_t)fs->fsspecific);
	return BOUND_UPPER;
}

/* Where V lies against range T: 0 below its start, 1 in it, 2 past it. */
static int region(const struct pd_threshold *t, int64_t v)
{
	if (!t->lo_inf && v < t->lo)
		return 0;
	if (!t->hi_inf && v > t->hi)
		return 2;
	return 1;
}

/* Do 0 and UB (and so everything between) get one state from the
 * thresholds in UNIT? */
static bool settled(const struct pd_common *c, enum pd_threshold_unit unit,
		    int64_t ub)
{
	if (c->has_warn && c->warn.unit == unit &&
	    region(&c->warn, 0) != region(&c->warn, ub))
		return false;
	if (c->has_crit && c->crit.unit == unit &&
	    region(&c->crit, 0) != region(&c->crit, ub))
		return false;
	return true;
}

/* The file systems judged: those shown (the paths, --min-gap). */
struct health {
	struct pd_health h;
	struct pd_figure *figs;
	size_t *fsi;		/* figs[k] is file system fsi[k] */
	bool *upper;		/* figs[k] is an upper bound */
	enum pd_status *fs_status;	/* per file system; OK if not shown */
	bool figs_known;	/* at least one figure is known */
};

/* Why the figure of FS cannot be judged, for the --check words. */
static void unknown_why(const struct pd_dffs *fs, bool upper, char *buf,
			size_t n)
{
	if (!upper) {
		snprintf(buf, n, "%s", fs->df_why ?
			 why_text(fs->df_why, fs->df_err) :
			 why_text(fs->walk_why, fs->walk_err));
		return;
	}
	if (fs->hidden_why)
		snprintf(buf, n, "hidden files %s",
			 why_text(fs->hidden_why, fs->hidden_err));
	else if (fs->deleted_why)
		snprintf(buf, n, "%s", why_text(fs->deleted_why, 0));
	else if (fs->fsspecific_why)
		snprintf(buf, n, "%s %s", fs->fsspecific_what ?
			 fs->fsspecific_what : "file system reserve",
			 why_text(fs->fsspecific_why, 0));
	else
		snprintf(buf, n, "%llu unreadable director%s",
			 (unsigned long long)fs->unreadable,
			 fs->unreadable == 1 ? "y" : "ies");
}

/* " /srv 1.2GiB (1.25%)": the figure of FS as the --check words name it. */
static size_t fig_words(const struct opts *o, const struct pd_dffs *fs,
			const struct pd_figure *f, bool upper, char *buf,
			size_t n)
{
	char size[32], pct[32], *esc;
	size_t len;

	esc = pd_escape_tsv(fs->mount, strlen(fs->mount));
	if (!esc)
		pd_check_alloc(&o->c, -ENOMEM);
	pd_health_size(f->bytes, size, sizeof(size));
	len = (size_t)snprintf(buf, n, " %s %s%s", esc,
			       upper ? "at most " : "", size);
	if (f->has_pct && len < n) {
		pd_threshold_format_pct(f->pct, pct, sizeof(pct));
		len += (size_t)snprintf(buf + len, n - len, " (%s%%)", pct);
	}
	free(esc);
	return len;
}

static void health(const struct opts *o, const struct pd_dfscan *ds,
		   const bool *shown, struct health *x)
{
	struct pd_health *h = &x->h;
	size_t nfs = pd_dfscan_nfs(ds), n = 0, i, k, len, named = 0, big = 0;
	unsigned nunknown = 0;
	char words[256], why[128];
	bool any = false;

	x->figs = pd_xcalloc(nfs, sizeof(*x->figs));
	x->fsi = pd_xcalloc(nfs, sizeof(*x->fsi));
	x->upper = pd_xcalloc(nfs, sizeof(*x->upper));
	x->fs_status = pd_xcalloc(nfs, sizeof(*x->fs_status));
	for (i = 0; i < nfs; i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);
		struct pd_figure *f = &x->figs[n];
		enum bound b;
		int64_t v = 0;

		if (!shown[i])
			continue;
		x->fsi[n++] = i;
		f->name = fs->mount;
		b = unexplained_bound(fs, &v);
		if (b == BOUND_UNKNOWN) {
			f->unknown = true;
			continue;
		}
		if (v < 0)	/* shared extents: nothing unexplained */
			v = 0;
		f->bytes = (uint64_t)v;
		if (fs->space.size) {
			__int128 p = (__int128)v * 100 * PD_THRESHOLD_PCT_SCALE /
				     fs->space.size;

			f->has_pct = true;
			f->pct = p > INT64_MAX ? INT64_MAX : (int64_t)p;
		}
		x->upper[n - 1] = b == BOUND_UPPER;
		if (b == BOUND_UPPER &&
		    (!settled(&o->c, PD_THRESHOLD_BYTES, v) ||
		     (f->has_pct && !settled(&o->c, PD_THRESHOLD_PERCENT, f->pct))))
			f->unknown = true;
	}
	h->perf = "unexplained_bytes";
	h->perf_pct = "unexplained_pct";
	h->groups = "file systems";
	h->figs = x->figs;
	h->nfigs = n;
	x->figs_known = false;
	for (k = 0; k < n; k++)
		x->figs_known |= !x->figs[k].unknown;
	/* not one figure known: --check is UNKNOWN even without -w/-c */
	h->unknown = n && !x->figs_known;
	pd_health_eval(&o->c, h);
	for (k = 0; k < n; k++) {
		x->fs_status[x->fsi[k]] = x->figs[k].status;
		nunknown += x->figs[k].unknown;
		if (!x->figs[k].unknown && (!any ||
		    x->figs[k].bytes > x->figs[big].bytes)) {
			big = k;
			any = true;
		}
	}

	if (!n) {
		snprintf(h->text, sizeof(h->text), "no file system to judge");
		return;
	}
	if (h->nwarn + h->ncrit)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%u of %zu file system%s over a threshold,"
				       " unexplained:", h->nwarn + h->ncrit, n,
				       n == 1 ? "" : "s");
	else if (h->status == PD_STATUS_UNKNOWN)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "unknown on %u of %zu file system%s:",
				       nunknown, n, n == 1 ? "" : "s");
	else if (any)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu file system%s, the most unexplained:",
				       n, n == 1 ? "" : "s");
	else
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu file system%s, the unexplained gap "
				       "unknown", n, n == 1 ? "" : "s");
	for (k = 0; k < n && len < sizeof(h->text); k++) {
		const struct pd_figure *f = &x->figs[k];
		const struct pd_dffs *fs = pd_dfscan_fs(ds, x->fsi[k]);
		bool want;

		if (h->nwarn + h->ncrit)
			want = f->status == PD_STATUS_WARNING ||
			       f->status == PD_STATUS_CRITICAL;
		else if (h->status == PD_STATUS_UNKNOWN)
			want = f->unknown;
		else
			want = any && k == big;
		if (!want)
			continue;
		if (named++ == 3) {
			snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		if (named > 1)
			len += (size_t)snprintf(h->text + len,
						sizeof(h->text) - len, ",");
		if (len >= sizeof(h->text))
			break;
		if (f->unknown) {
			char *esc = pd_escape_tsv(fs->mount, strlen(fs->mount));

			if (!esc)
				pd_check_alloc(&o->c, -ENOMEM);
			unknown_why(fs, x->upper[k], why, sizeof(why));
			if (x->upper[k]) {
				fig_words(o, fs, f, true, words, sizeof(words));
				len += (size_t)snprintf(h->text + len,
					sizeof(h->text) - len, "%s: %s",
					words, why);
			} else {
				len += (size_t)snprintf(h->text + len,
					sizeof(h->text) - len, " %s (%s)",
					esc, why);
			}
			free(esc);
		} else {
			fig_words(o, fs, f, x->upper[k], words, sizeof(words));
			len += (size_t)snprintf(h->text + len,
						sizeof(h->text) - len, "%s",
						words);
		}
	}
	/* the file systems that cannot be judged, when not named above */
	if (nunknown && (h->nwarn + h->ncrit || h->status != PD_STATUS_UNKNOWN) &&
	    len < sizeof(h->text))
		snprintf(h->text + len, sizeof(h->text) - len,
			 "; unknown on %u", nunknown);
}

/* --prom-file: per file system shown, labelled by mount point, type and
 * device (bounded: mounts, never files). An unknown value has no
 * sample. */
static void prom(const struct opts *o, const struct pd_dfscan *ds,
		 const bool *shown)
{
	enum {
		F_SIZE, F_USED, F_AVAIL, F_WALKED, F_GAP, F_DELETED, F_HIDDEN,
		F_FSSPECIFIC, F_UNEXPLAINED, F_UNREADABLE, NFAM
	};
	static const struct {
		const char *what, *help;
	} fam[NFAM] = {
		[F_SIZE] = { "size_bytes", "df size (f_blocks)" },
		[F_USED] = { "used_bytes", "df used (f_blocks - f_bfree), after syncfs" },
		[F_AVAIL] = { "avail_bytes", "df available (f_bavail)" },
		[F_WALKED] = { "walked_bytes", "allocated bytes the walk saw, as du -sxB1" },
		[F_GAP] = { "gap_bytes", "used minus walked (negative: shared extents)" },
		[F_DELETED] = { "deleted_bytes", "deleted files still open or mapped (allocated bytes)" },
		[F_HIDDEN] = { "hidden_bytes", "files hidden under mount points" },
		[F_FSSPECIFIC] = { "fsspecific_bytes", "used space the file system keeps for itself (XFS reserve pool)" },
		[F_UNEXPLAINED] = { "unexplained_bytes", "gap - deleted - hidden - fsspecific (may be negative)" },
		[F_UNREADABLE] = { "unreadable_dirs", "directories the walk could not read: their contents are in the gap" },
	};
	struct pd_prom *p = pd_common_prom_new(&o->c);
	size_t f, i;

	if (!p)
		return;
	for (f = 0; f < NFAM; f++) {
		pd_common_prom_family(&o->c, p, fam[f].what, PD_PROM_GAUGE,
				      fam[f].help);
		for (i = 0; i < pd_dfscan_nfs(ds); i++) {
			const struct pd_dffs *fs = pd_dfscan_fs(ds, i);
			char dev[32];
			struct pd_prom_label l[] = {
				{ "mountpoint", fs->mount },
				{ "fstype", fs->fstype },
				{ "device", dev },
			};

			if (!shown[i])
				continue;
			snprintf(dev, sizeof(dev), "%u:%u", major(fs->dev),
				 minor(fs->dev));
			switch (f) {
			case F_SIZE:
			case F_USED:
			case F_AVAIL:
				if (!fs->df_why)
					pd_common_prom_u64(&o->c, p, l, 3,
						f == F_SIZE ? fs->space.size :
						f == F_USED ? fs->space.used :
						fs->space.avail);
				break;
			case F_WALKED:
			case F_UNREADABLE:
				if (!fs->walk_why)
					pd_common_prom_u64(&o->c, p, l, 3,
						f == F_WALKED ? fs->walk.alloc :
						fs->unreadable);
				break;
			case F_GAP:
				if (fs->gap_known)
					pd_common_prom_s64(&o->c, p, l, 3, fs->gap);
				break;
			case F_DELETED:
				if (!fs->deleted_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->deleted);
				break;
			case F_HIDDEN:
				if (!fs->hidden_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->hidden);
				break;
			case F_FSSPECIFIC:
				if (!fs->fsspecific_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->fsspecific);
				break;
			case F_UNEXPLAINED:
				if (fs->unexplained_known)
					pd_common_prom_s64(&o->c, p, l, 3, fs->unexplained);
				break;
			}
		}
	}
	pd_common_prom_write(&o->c, p);
}

/* The progress line: only on a terminal, only once a walk ran 1 s. */
struct progress {
	struct pd_walk_progress counters;
	atomic_bool stop;
	pthread_t th;
	bool started;
};

static void *progress_main(void *arg)
{
	struct progress *p = arg;
	struct timespec t0, now, tick = { 0, 200000000L };
	bool shown = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!atomic_load(&p->stop)) {
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec < 1 || atomic_load(&p->stop))
			continue;
		{
			char size[32];

			pd_size_to_human(atomic_load_explicit(&p->counters.alloc,
				memory_order_relaxed), size, sizeof(size));
			fprintf(stderr, "\rdfdu: walked %llu files, %s\033[K",
				(unsigned long long)atomic_load_explicit(
					&p->counters.inodes, memory_order_relaxed),
				size);
			shown = true;
		}
	}
	if (shown)
		fputs("\r\033[K", stderr);
	return NULL;
}

int main(int argc, char **argv)
{
	struct pd_dfscan_opts dopts = { .walk = true, .max_paths = 100 };
	struct progress prog = { 0 };
	struct pd_dfscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct opts o = { .timeout_ms = 3000 };
	struct health hx = { 0 };
	bool evidence, *shown = NULL;
	size_t i;
	long ncpu;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "dfdu");
	o.c.pct_ok = true;	/* the unexplained gap as a % of SIZE */
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	parse_args(&o, argc, argv);
	evidence = o.explain || o.verbose;

	if (evidence)
		pd_check_alloc(&o.c, pd_report_new("dfdu", ev_cols,
			sizeof(ev_cols) / sizeof(ev_cols[0]), &rep));
	else
		pd_check_alloc(&o.c, pd_report_new("dfdu", fs_cols,
			sizeof(fs_cols) / sizeof(fs_cols[0]), &rep));
	pd_common_columns(&o.c, rep, evidence ? "DFDU_EXPLAIN_COLUMNS" :
			  "DFDU_COLUMNS");
	if (o.c.help) {
		usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;

	pfs = pd_common_procfs(&o.c);
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	dopts.jobs = o.jobs ? o.jobs : ncpu > 0 && ncpu <= 256 ? (unsigned)ncpu : 1;
	dopts.timeout_ms = o.timeout_ms;
	dopts.walk = !o.no_walk;
	dopts.remote = o.remote;
	if (!o.c.quiet && dopts.walk && isatty(STDERR_FILENO))
		dopts.progress = &prog.counters;
	pd_check_alloc(&o.c, pd_dfscan_new(pfs, &dopts, &ds));
	for (i = 0; i < o.npaths + (o.explain != NULL); i++) {
		const char *p = i < o.npaths ? o.paths[i] : o.explain;

		/* A captured tree has no live files: its paths are text. */
		if (pd_procfs_is_captured(pfs) && p[0] != '/')
			pd_usage_error(&o.c, "%s: a captured --proc-root takes "
				       "absolute paths only", p);
		r = pd_dfscan_add_path(ds, p);
		if (r == -ETIMEDOUT)
			pd_die(&o.c, "%s: its file system did not answer within %u ms",
			       p, o.timeout_ms);
		if (r == -ENOMEM)
			pd_check_alloc(&o.c, r);
		if (r < 0)
			pd_usage_error(&o.c, "%s: %s", p, strerror(-r));
	}
	if (dopts.progress)
		prog.started = pthread_create(&prog.th, NULL, progress_main,
					      &prog) == 0;
	r = pd_dfscan_run(ds);
	if (prog.started) {
		atomic_store(&prog.stop, true);
		pthread_join(prog.th, NULL);
	}
	if (r < 0)
		pd_die(&o.c, "cannot read the mount table or %s: %s",
		       pd_procfs_root(pfs), strerror(-r));
	for (i = 0; i < o.npaths + (o.explain != NULL); i++)
		if (!pd_dfscan_path_found(ds, i))
			pd_warn(&o.c, "%s: not on a file system dfdu measures "
				"(pseudo, or remote without --remote)",
				i < o.npaths ? o.paths[i] : o.explain);

	shown = pd_xcalloc(pd_dfscan_nfs(ds), sizeof(*shown));
	for (i = 0; i < pd_dfscan_nfs(ds); i++)
		shown[i] = over_min_gap(&o, pd_dfscan_fs(ds, i));
	health(&o, ds, shown, &hx);
	pd_warn_scanstats(&o.c, pd_deadscan_stats(pd_dfscan_deadscan(ds)));
	warn_fs(&o, ds, shown);
	prom(&o, ds, shown);
	if (o.c.check)
		pd_health_check_exit(&o.c, &hx.h);
	if (pd_health_report_wanted(&o.c, &hx.h)) {
		for (i = 0; i < pd_dfscan_nfs(ds); i++) {
			const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

			/* with a threshold, only the file systems not OK */
			if (!shown[i] || (pd_common_has_threshold(&o.c) &&
			    hx.fs_status[i] == PD_STATUS_OK))
				continue;
			if (evidence)
				evidence_rows(&o, rep, ds, fs);
			else
				fs_row(&o, rep, fs);
		}
		pd_common_print(&o.c, rep, NULL);
	}
	rc = pd_health_exit_code(&o.c, &hx.h);

out:
	free(shown);
	free(hx.figs);
	free(hx.fsi);
	free(hx.upper);
	free(hx.fs_status);
	pd_dfscan_free(ds);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	return rc;
}
