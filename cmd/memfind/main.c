/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: every memory-backed file object (memfd, SysV and POSIX shm,
 * tmpfs files, shared anonymous memory, secretmem, dma-buf), who holds it,
 * and where the Shmem of /proc/meminfo went. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "memfind.h"

static void warn_gaps(const struct opts *o, const struct pd_memscan *ms)
{
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);
	unsigned unsure = 0;
	size_t i;

	pd_warn_partial(&o->c, pd_memscan_partial(ms));
	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);

		unsure += ob->selected && (ob->flags & PD_MEMF_ORPHAN_UNSURE);
	}
	if (unsure)
		pd_warn(&o->c, "%u /dev/shm file%s no process seen holds %s "
			"listed as 'orphan?': a process that could not be read "
			"may hold %s", unsure, unsure == 1 ? "" : "s",
			unsure == 1 ? "is" : "are", unsure == 1 ? "it" : "them");
	if (g->unverified_maps)
		pd_warn(&o->c, "%u objects held only by a memory mapping could "
			"not be stat'ed (map_files/ needs CAP_SYS_ADMIN); their "
			"size is unknown; run as root for a complete view",
			g->unverified_maps);
	if (g->timed_out_sbs)
		pd_warn(&o->c, "%u tmpfs file systems could not be opened "
			"within %u ms (a mount over them or on the way did not "
			"answer); their files are not listed", g->timed_out_sbs,
			o->timeout_ms);
	if (g->hidden_sbs > g->timed_out_sbs && g->hidden_err == EPERM)
		pd_warn(&o->c, "%u tmpfs file systems are covered by another "
			"mount; reaching them needs root; their files are not "
			"listed", g->hidden_sbs - g->timed_out_sbs);
	else if (g->hidden_sbs > g->timed_out_sbs)
		pd_warn(&o->c, "%u tmpfs file systems could not be reached "
			"(covered by another mount, or denied); their files are "
			"not listed", g->hidden_sbs - g->timed_out_sbs);
	for (i = 0; i < pd_memscan_nsbs(ms); i++) {
		const struct pd_memsb *sb = pd_memscan_sb(ms, i);

		if (sb->covered_by && (sb->files_alloc || sb->used))
			pd_warn(&o->c, "the %s on %s is covered by %s: its "
				"files (flag covered) were read through a "
				"private copy of the mount table; no path, "
				"ls included, reaches them", sb->fstype,
				sb->mount, sb->covered_by);
	}
	if (g->unreadable_dirs)
		pd_warn(&o->c, "%u tmpfs directories could not be read",
			g->unreadable_dirs);
	if (g->no_sysvipc && pd_memscan_partial(ms)->subset_pid)
		pd_warn(&o->c, "cannot read sysvipc/shm (%s is mounted with "
			"subset=pid): SysV segments are found only where "
			"mapped", pd_memscan_partial(ms)->root);
	else if (g->no_sysvipc)
		pd_warn(&o->c, "cannot read sysvipc/shm: SysV segments are "
			"found only where mapped");
	if (g->bad_sysv_lines)
		pd_warn(&o->c, "%u lines of sysvipc/shm could not be parsed",
			g->bad_sysv_lines);
}

int main(int argc, char **argv)
{
	struct pd_memscan_opts mopts = { 0 };
	struct pd_memfilter flt = { 0 };
	struct pd_memscan *ms = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct pd_users *users = NULL;
	struct pd_names *names = NULL;
	struct opts o = { .timeout_ms = PD_STATQ_DEFAULT_MS };
	struct pd_health h = { 0 };
	struct pd_figure fig;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "memfind");
	/* -s has a percentage: the remainder's share of Shmem (checked
	 * against the view once the options are parsed) */
	o.c.pct_ok = true;
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	memfind_parse_args(&o, argc, argv);

	rep = memfind_report_new(&o);
	if (o.c.help) {
		memfind_usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;
	pd_names_check_root(&o.c);

	pfs = pd_common_procfs(&o.c);
	pd_common_census(&o.c, pfs, &(const struct pd_procfilter){
		.pids = o.pids, .npids = o.npids,
		.uids = o.uids, .nuids = o.nuids,
		.comms = (const char *const *)o.comms, .ncomms = o.ncomms,
	});
	pd_check_alloc(&o.c, pd_users_new(&users));
	mopts.timeout_ms = o.timeout_ms;
	/* only the process view shows the command line */
	mopts.identity = PD_PROC_STAT | PD_PROC_STATUS;
	if (o.view == VIEW_PROCESS)
		mopts.identity |= PD_PROC_CMDLINE;
	if (memfind_names_wanted(&o, rep))
		mopts.identity |= PD_PROC_CGROUP;
	pd_check_alloc(&o.c, pd_memscan_new(pfs, &mopts, &ms));
	r = pd_memscan_run(ms);
	if (r < 0) {
		pd_common_fatal(&o.c, pfs, r);
		pd_die_scan(&o.c, pd_memscan_partial(ms), r);
	}

	flt.procs = (struct pd_procfilter){ o.pids, o.npids, o.uids, o.nuids,
					    (const char *const *)o.comms,
					    o.ncomms };
	flt.kinds = o.kinds;
	flt.kinds_given = o.kinds != 0;
	flt.has_min = o.has_min;
	flt.min_size = o.min_size;
	flt.orphans = o.orphans;
	pd_check_alloc(&o.c, pd_memscan_select(ms, &flt));
	h.partial = *pd_memscan_partial(ms);
	/* -s: objects not seen would explain more of Shmem */
	h.partial_lowers = o.view == VIEW_SUMMARY;
	memfind_health(&o, ms, &h, &fig);
	/* the summary's meminfo is read after the scan */
	pd_common_fatal(&o.c, pfs, 0);
	warn_gaps(&o, ms);
	memfind_prom(&o, ms);
	if (o.c.check)
		pd_health_check_exit(&o.c, &h);
	if (pd_health_report_wanted(&o.c, &h)) {
		if (mopts.identity & PD_PROC_CGROUP)
			names = pd_names_new(&o.c);
		if (o.view == VIEW_OBJECT)
			memfind_obj_rows(&o, ms, names, rep, users);
		else if (o.view == VIEW_PROCESS)
			memfind_proc_rows(&o, ms, names, rep);
		else
			memfind_summary_rows(&o, ms, rep);
		pd_names_warn(&o.c, names);
		/* the summary keeps its own order: Shmem, parts, remainder */
		pd_common_print(&o.c, rep,
				o.view == VIEW_SUMMARY ? NULL : "ALLOC");
	}
	rc = pd_health_exit_code(&o.c, &h);

out:
	pd_names_free(names);
	pd_memscan_free(ms);
	pd_users_free(users);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	free(o.pids);
	free(o.uids);
	free(o.comms);
	return rc;
}
