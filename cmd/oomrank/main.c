/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: whom the OOM killer would pick, on the whole machine and in each
 * memory-limited cgroup, and why; checked against the kernel's oom_score. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "oomrank.h"

static void warn_check(const struct opts *o, struct pd_oomscan *os)
{
	const struct pd_oomcheck *k = pd_oomscan_check(os);

	pd_warn_partial(&o->c, pd_oomscan_partial(os));
	/* Said whenever scores differ (only -q silences it): the kernel
	 * reads exact per-CPU sums, status the batched counters, and a few
	 * pages move between the two reads. */
	if (k->differ)
		pd_warn(&o->c, "%u of %u scores differ from the kernel's "
			"oom_score by up to %" PRIu64 " point%s (per-CPU RSS "
			"counters drift)", k->differ, k->compared, k->max_diff,
			k->max_diff == 1 ? "" : "s");
}

int main(int argc, char **argv)
{
	struct pd_oomscan_opts sopts = { 0 };
	struct pd_column ccols[NCOLS];
	struct pd_oomscan *os = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct pd_names *names = NULL;
	struct opts o = { 0 };
	struct pd_health h = { 0 };
	const char *dir;
	bool need_cg;
	size_t i;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "oomrank");
	o.c.pct_ok = true;
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	oomrank_parse_args(&o, argc, argv);

	oomrank_columns(&o, ccols);
	if (o.log) {
		pd_check_alloc(&o.c, pd_report_new("oomrank", oomrank_log_cols,
						   NLCOLS, &rep));
		pd_common_columns(&o.c, rep, "OOMRANK_LOG_COLUMNS");
	} else {
		pd_check_alloc(&o.c, pd_report_new("oomrank", ccols, NCOLS,
						   &rep));
		pd_common_columns(&o.c, rep, o.cgroups ?
				  "OOMRANK_CGROUP_COLUMNS" : "OOMRANK_COLUMNS");
	}
	if (o.c.help) {
		oomrank_usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;
	pd_names_check_root(&o.c);

	if (o.log) {
		rc = oomrank_run_log(&o, rep);
		goto out;
	}
	pfs = pd_common_procfs(&o.c);
	/* -p names processes alive (with --log: past ones; not here) */
	pd_common_census(&o.c, pfs, &(const struct pd_procfilter){
		.pids = o.pids, .npids = o.npids,
	});
	if (o.explain || pd_report_is_selected(rep, COL_CMDLINE))
		sopts.want |= PD_OOMSCAN_CMDLINE;
	if (pd_report_is_selected(rep, COL_CONTAINER) ||
	    pd_report_is_selected(rep, COL_POD))
		names = pd_names_new(&o.c);
	if (o.explain || names || pd_report_is_selected(rep, COL_CGROUP) ||
	    pd_report_is_selected(rep, COL_UNIT))
		sopts.want |= PD_OOMSCAN_CGROUP;
	sopts.cgroup_root = o.cgroup_root;
	pd_check_alloc(&o.c, pd_oomscan_new(pfs, &sopts, &os));
	r = pd_oomscan_run(os);
	if (r < 0) {
		pd_common_fatal(&o.c, pfs, r);
		pd_die_scan(&o.c, pd_oomscan_partial(os), r);
	}

	need_cg = o.cgroups || o.explain ||
		  pd_report_is_selected(rep, COL_TASK_MEMCG) ||
		  pd_report_is_selected(rep, COL_GROUP_KILL) ||
		  pd_report_is_selected(rep, COL_KILL_GROUP);
	/* Another /proc than ours gets cgroups only from --cgroup-root. */
	if (need_cg && (!o.c.proc_root || o.cgroup_root)) {
		r = pd_oomscan_cgroups(os, o.cgroup);
		if (r < 0)
			pd_common_fatal(&o.c, pfs, r);
		dir = o.cgroup_root ? o.cgroup_root : "/sys/fs/cgroup";
		if (r < 0 && r != -ENOMEM && !o.cgroups)
			pd_warn(&o.c, "%s: %s; memory cgroups are unknown", dir,
				r == -ENOMEDIUM ? "no memory cgroup hierarchy" :
				strerror(-r));
		/* Every memory-limited cgroup of a machine without a memory
		 * hierarchy: none, said once; a named one is an error. */
		if (r == -ENOMEDIUM && o.cgroups && !o.cgroup) {
			pd_warn(&o.c, "%s: no memory cgroup hierarchy, so no "
				"cgroup has a memory limit", dir);
			r = 0;
		}
		if (r < 0 && o.cgroups) {
			if (r == -ENOMEDIUM)
				pd_die(&o.c, "%s: no memory cgroup hierarchy "
				       "there", dir);
			if (r == -ENOENT && o.cgroup)
				pd_die(&o.c, "%s: no such memory cgroup under %s",
				       o.cgroup, pd_oomscan_cgroup_dir(os) ?
				       pd_oomscan_cgroup_dir(os) : dir);
			pd_die(&o.c, "%s: %s", dir, strerror(-r));
		}
		if (r == -ENOMEM)
			pd_check_alloc(&o.c, r);
	}

	if (o.explain) {
		oomrank_explain(&o, os);
		warn_check(&o, os);
		goto out;
	}
	h.partial = *pd_oomscan_partial(os);
	oomrank_health(&o, os, &h);
	warn_check(&o, os);
	oomrank_prom(&o, os, &h);
	if (o.c.check)
		pd_health_check_exit(&o.c, &h);
	if (pd_health_report_wanted(&o.c, &h)) {
		/* with a threshold, only the rankings over it */
		for (i = oomrank_dom_first(&o); i < oomrank_dom_end(&o, os);
		     i++)
			if (!pd_common_has_threshold(&o.c) ||
			    h.figs[i - oomrank_dom_first(&o)].status !=
			    PD_STATUS_OK)
				oomrank_add_rows(&o, os,
						 pd_oomscan_domain(os, i),
						 names, rep);
		pd_names_warn(&o.c, names);
		pd_common_print(&o.c, rep, NULL);
	}
	rc = pd_health_exit_code(&o.c, &h);

out:
	free(h.figs);
	pd_names_free(names);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	free(o.pids);
	return rc;
}
