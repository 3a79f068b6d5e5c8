/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: where every byte of RAM is: the machine's ledger adding up to
 * MemTotal, per NUMA node, per memory cgroup, with pressure and activity. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mwtool.h"

/* The report of the view, its columns chosen as the defaults and the
 * environment say. */
static void report_new(struct ctx *x)
{
	struct opts *o = x->o;

	switch (o->view) {
	case VIEW_MACHINE:
		pd_check_alloc(&o->c, pd_report_new("memwhere", memwhere_cols,
						    NCOLS, &x->rep));
		pd_common_columns(&o->c, x->rep, "MEMWHERE_COLUMNS");
		break;
	case VIEW_NODE:
		memwhere_node_columns(x);
		pd_check_alloc(&o->c, pd_report_new("memwhere", x->cols,
						    x->ncols, &x->rep));
		memwhere_node_defaults(x);
		pd_common_columns(&o->c, x->rep, "MEMWHERE_NODE_COLUMNS");
		break;
	case VIEW_CGROUP:
		pd_check_alloc(&o->c, pd_report_new("memwhere",
						    memwhere_cgroup_cols,
						    NCCOLS, &x->rep));
		pd_common_columns(&o->c, x->rep, "MEMWHERE_CGROUP_COLUMNS");
		break;
	}
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* One warning per thing that could not be read. */
static void warn_gaps(const struct ctx *x)
{
	const struct pd_mw_gaps *g = pd_mw_gaps(x->mw);
	const struct pd_mw_ledger *l = pd_mw_machine(x->mw);
	const struct opts *o = x->o;
	bool root = geteuid() == 0;

	if (g->sysfs)
		pd_warn(&o->c, "cannot open %s: %s; the parts sysfs gives are left out",
			o->sys_root, strerror(g->sysfs));
	if (o->verbose && g->slabinfo)
		pd_warn(&o->c, "slab caches: %s/slabinfo: %s%s",
			pd_procfs_root(x->pfs), strerror(g->slabinfo),
			g->slabinfo == EACCES && !root ? "; run as root" : "");
	if ((o->verbose || l->vmalloc_unknown || o->view == VIEW_NODE) &&
	    g->vmallocinfo)
		pd_warn(&o->c, "vmalloc: %s/vmallocinfo: %s%s",
			pd_procfs_root(x->pfs), strerror(g->vmallocinfo),
			g->vmallocinfo == EACCES && !root ?
			"; run as root for vmalloc per caller and per node" : "");
	if (g->memscan)
		pd_warn(&o->c, "Shmem's parts: %s", strerror(g->memscan));
	if (g->gpu_denied)
		pd_warn(&o->c, "GPU clients: the file descriptors of %u processes could not be read%s",
			g->gpu_denied, root ? "" : "; run as root");
	if (g->pss_missing)
		pd_warn(&o->c, "PSS: %u processes could not be read, the sums are lower bounds%s",
			g->pss_missing, root ? "" : "; run as root");
	pd_names_warn_denied(&o->c, g->names_denied);
}

/* The reading: what the view and the selected columns need. */
static void run(struct ctx *x)
{
	struct opts *o = x->o;
	struct pd_mw_opts mo = { 0 };
	int r;

	switch (o->view) {
	case VIEW_MACHINE:
		mo.want = memwhere_machine_want(x);
		break;
	case VIEW_NODE:
		mo.want = PD_MW_WANT_NODES;
		break;
	case VIEW_CGROUP:
		mo.want = memwhere_cgroup_want(x);
		mo.memcg_want = memwhere_cgroup_files(x);
		break;
	}
	mo.sys_root = o->sys_root;
	mo.cgroup = o->cgroup;
	mo.top = o->view == VIEW_MACHINE ? o->top : 0;
	mo.live = !o->c.proc_root;
	mo.state_root = o->c.state_root;
	pd_check_alloc(&o->c, pd_mw_new(x->pfs, &mo, &x->mw));
	if (o->interval_ms) {
		r = pd_mw_mark(x->mw);
		if (r < 0)
			pd_die(&o->c, "cannot read %s/vmstat: %s",
			       pd_procfs_root(x->pfs), strerror(-r));
		sleep_ms(o->interval_ms);
	}
	r = pd_mw_run(x->mw);
	if (r == -ENODATA)
		pd_die(&o->c, "%s/meminfo has no MemTotal line",
		       pd_procfs_root(x->pfs));
	if (r == -ENOENT && o->view == VIEW_CGROUP && o->cgroup)
		pd_die(&o->c, "%s: no such memory cgroup under %s/fs/cgroup",
		       o->cgroup, o->sys_root);
	if (r == -EINVAL && o->view == VIEW_CGROUP)
		pd_usage_error(&o->c, "--cgroup: '%s' is not a cgroup path", o->cgroup);
	if (r < 0)
		pd_die(&o->c, "cannot read %s/meminfo: %s",
		       pd_procfs_root(x->pfs), strerror(-r));
	/* No hierarchy (a chroot, a container without cgroupfs, a kernel
	 * without the memory controller): no cgroup has a limit, said once,
	 * as oomrank --cgroup says it; a cgroup asked for by name is an
	 * error. */
	if (o->view == VIEW_CGROUP && !pd_mw_memcg(x->mw)) {
		int e = pd_mw_gaps(x->mw)->cgroups ?
			pd_mw_gaps(x->mw)->cgroups : ENOENT;

		if (o->cgroup)
			pd_die(&o->c, "no memory cgroup hierarchy under "
			       "%s/fs/cgroup: %s", o->sys_root, strerror(e));
		pd_warn(&o->c, "no memory cgroup hierarchy under %s/fs/cgroup "
			"(%s), so no cgroup has a memory limit", o->sys_root,
			strerror(e));
	}
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct ctx x = { .o = &o };
	int rc = PD_EXIT_OK;

	pd_common_init(&o.c, "memwhere");
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	memwhere_parse_args(&o, argc, argv);

	report_new(&x);
	if (o.c.help) {
		memwhere_usage(&o, x.rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, x.rep))
		goto out;

	/* the machine's ledger: a tree of meminfo and the like, which need
	 * hold no process (tests/fixtures/memwhere/kernels) */
	x.pfs = pd_common_procfs_open(&o.c);
	pd_names_check_root(&o.c);
	run(&x);
	warn_gaps(&x);
	/* the tree shows in the table as printed: not sorted otherwise */
	x.tree = o.c.print.format == PD_FMT_TABLE && !o.c.sort;
	memwhere_health(&x);
	if (o.c.prom_file)
		memwhere_prom(&x);
	if (o.c.check)
		pd_health_check_exit(&o.c, &x.health);
	if (memwhere_report_wanted(&x)) {
		if (o.view == VIEW_MACHINE)
			memwhere_machine_rows(&x);
		else if (o.view == VIEW_NODE)
			memwhere_node_rows(&x);
		else
			memwhere_cgroup_rows(&x);
		pd_common_print(&o.c, x.rep, NULL);
	}
	rc = memwhere_exit_code(&x);

out:
	pd_mw_free(x.mw);
	pd_procfs_free(x.pfs);
	pd_report_free(x.rep);
	free(x.cols);
	free(x.node_names);
	free(x.node_ids);
	free(x.figs);
	free(x.fig_cg);
	free(x.psi_over);
	return rc;
}
