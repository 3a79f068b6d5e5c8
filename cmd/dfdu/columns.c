/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the column tables of both views, and the row of a file system. */
#include <stdlib.h>

#include "dfdu.h"

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
	[COL_FSSPECIFIC] = { "FSSPECIFIC", PD_COL_SSIZE, PD_COLF_DEFAULT, "what the file system type keeps in USED that du never sees (ext4 internal inodes, XFS AG metadata, btrfs metadata and snapshot-only data), less what du counts and df does not (shared extents, compression)" },
	[COL_UNEXPLAINED] = { "UNEXPLAINED", PD_COL_SSIZE, PD_COLF_DEFAULT, "GAP - DELETED - HIDDEN - FSSPECIFIC" },
	[COL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "mount point that was walked" },
	[COL_SOURCE] = { "SOURCE", PD_COL_STR, 0, "mount source (device)" },
	[COL_DEV] = { "DEV", PD_COL_STR, 0, "device number MAJ:MIN" },
	[COL_APPARENT] = { "APPARENT", PD_COL_SIZE, 0, "apparent size of the walked files (st_size, as du -sxb): sparse and preallocated files" },
	[COL_FILES] = { "FILES", PD_COL_NUM, 0, "inodes the walk counted" },
	[COL_INODES] = { "INODES", PD_COL_NUM, 0, "df inodes (f_files)" },
	[COL_IUSED] = { "IUSED", PD_COL_NUM, 0, "df inodes used (f_files - f_ffree)" },
	[COL_IFREE] = { "IFREE", PD_COL_NUM, 0, "df inodes free (f_ffree)" },
	[COL_IUSE_PCT] = { "IUSE_PCT", PD_COL_NUM, 0, "IUSED as a % of INODES, rounded up as df -i does" },
	[COL_HIDDEN_FILES] = { "HIDDEN_FILES", PD_COL_NUM, 0, "inodes hidden under mount points (needs root)" },
	[COL_UNEXPLAINED_MIN] = { "UNEXPLAINED_MIN", PD_COL_SSIZE, 0, "the least UNEXPLAINED can be when a part is unknown (empty: no bound)" },
	[COL_JOBS] = { "JOBS", PD_COL_NUM, 0, "walker threads: -j, or from the device's queue (rotational, nr_requests)" },
	[COL_UNEXPLAINED_MAX] = { "UNEXPLAINED_MAX", PD_COL_SSIZE, 0, "the most UNEXPLAINED can be when a part is unknown (empty: no bound)" },
	[COL_DELETED_FILES] = { "DELETED_FILES", PD_COL_NUM, 0, "deleted files still held" },
	[COL_COVERED] = { "COVERED", PD_COL_NUM, 0, "directories covered by mount points" },
	[COL_ROOT_RESERVE] = { "ROOT_RESERVE", PD_COL_SIZE, 0, "ext4: s_r_blocks_count, part of RESERVED" },
	[COL_KERNEL_RESERVE] = { "KERNEL_RESERVE", PD_COL_SIZE, 0, "ext4: the kernel's s_resv_clusters, part of RESERVED" },
	[COL_SUBTREE] = { "SUBTREE", PD_COL_BOOL, 0, "only a subtree of the file system is mounted and walked" },
	[COL_CAUSES] = { "CAUSES", PD_COL_STR, PD_COLF_WIDE, "likely causes of what is unexplained" },
};

static const struct pd_column ev_cols[] = {
	[ECOL_KIND] = { "KIND", PD_COL_STR, PD_COLF_DEFAULT, "deleted, hidden, unreadable, reserve-root, reserve-kernel, fsspecific, fsinfo, inodes, entries, remainder" },
	[ECOL_ALLOC] = { "ALLOC", PD_COL_SSIZE, PD_COLF_DEFAULT, "allocated bytes (remainder: may be negative)" },
	[ECOL_PIDS] = { "PIDS", PD_COL_STR, PD_COLF_DEFAULT, "deleted: pids of the holders" },
	[ECOL_COMMANDS] = { "COMMANDS", PD_COL_STR, PD_COLF_DEFAULT, "deleted: commands of the holders" },
	[ECOL_MOUNT] = { "MOUNT", PD_COL_STR, PD_COLF_DEFAULT, "the file system's walked mount point" },
	[ECOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT, "what it is, or why it is unknown" },
	[ECOL_PATH] = { "PATH", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "deleted file, covering mount point, unreadable directory" },
	[ECOL_FD] = { "FD", PD_COL_STR, 0, "deleted: how each holder holds it; ';' between holders" },
	[ECOL_FSTYPE] = { "FSTYPE", PD_COL_STR, 0, "file system type" },
	[ECOL_INODES] = { "INODES", PD_COL_NUM, 0, "inodes: under a covered mount point, names in a directory (entries), used (inodes)" },
};

/* The columns -i shows by default. */
static const char inode_defaults[] =
	"FSTYPE,INODES,IUSED,IFREE,IUSE_PCT,FILES,DELETED_FILES,HIDDEN_FILES,MOUNT";

/* The report of the view asked for, its columns chosen; exits on failure.
 * Freed with pd_report_free(). */
struct pd_report *dfdu_report_new(struct opts *o, bool evidence)
{
	struct pd_report *rep = NULL;

	if (evidence)
		pd_check_alloc(&o->c, pd_report_new("dfdu", ev_cols,
			sizeof(ev_cols) / sizeof(ev_cols[0]), &rep));
	else
		pd_check_alloc(&o->c, pd_report_new("dfdu", fs_cols,
			sizeof(fs_cols) / sizeof(fs_cols[0]), &rep));
	if (o->inodes && !evidence) {
		char *bad = NULL;

		pd_check_alloc(&o->c, pd_report_set_defaults(rep,
			       inode_defaults, &bad));
		free(bad);
	}
	if (o->inodes && evidence) {
		char *bad = NULL;

		pd_check_alloc(&o->c, pd_report_set_defaults(rep,
			       "KIND,INODES,ALLOC,MOUNT,NOTE,PATH", &bad));
		free(bad);
	}
	pd_common_columns(&o->c, rep, evidence ? o->inodes ?
			  "DFDU_EXPLAIN_INODES_COLUMNS" : "DFDU_EXPLAIN_COLUMNS" :
			  o->inodes ? "DFDU_INODES_COLUMNS" : "DFDU_COLUMNS");
	return rep;
}

void dfdu_fs_row(struct opts *o, struct pd_report *rep,
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
		pd_row_set_u64(row, COL_IFREE, fs->space.inodes -
			       fs->space.iused);
		/* df -i rounds IUse% up; no inode count, no percentage */
		if (fs->space.inodes)
			pd_row_set_u64(row, COL_IUSE_PCT, (fs->space.iused *
				       100 + fs->space.inodes - 1) /
				       fs->space.inodes);
	}
	if (fs->jobs)
		pd_row_set_u64(row, COL_JOBS, fs->jobs);
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
	if (!fs->hidden_why) {
		pd_row_set_u64(row, COL_HIDDEN, fs->hidden);
		pd_row_set_u64(row, COL_HIDDEN_FILES, fs->hidden_inodes);
	}
	if (!fs->fsspecific_why)
		pd_row_set_s64(row, COL_FSSPECIFIC, fs->fsspecific);
	if (fs->unexplained_known)
		pd_row_set_s64(row, COL_UNEXPLAINED, fs->unexplained);
	if (fs->gap_known && fs->unexplained_b.has_min)
		pd_row_set_s64(row, COL_UNEXPLAINED_MIN, fs->unexplained_b.min);
	if (fs->gap_known && fs->unexplained_b.has_max)
		pd_row_set_s64(row, COL_UNEXPLAINED_MAX, fs->unexplained_b.max);
	if (fs->reserve_split) {
		pd_row_set_u64(row, COL_ROOT_RESERVE, fs->reserve.root);
		pd_row_set_u64(row, COL_KERNEL_RESERVE, fs->reserve.kernel);
	}
}
