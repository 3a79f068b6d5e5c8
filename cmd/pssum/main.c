/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: who really uses the RAM: PSS, RSS, USS and swap summed per
 * process, command, user, cgroup or mapping, shared pages split fairly. */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pssum.h"
#include "users.h"

/* Read the --diff file, before the scan: a bad file fails fast. */
static struct pd_pssbase *load_base(struct ctx *x)
{
	const char *names[NKEYS_MAX];
	struct opts *o = x->o;
	struct pd_pssbase *b;
	struct timespec now;
	struct stat st;
	size_t i, len, bad = 0;
	char *buf, list[128] = "";
	int r;

	for (i = 0; i < o->nkeys; i++) {
		names[i] = pssum_cols[pssum_keys[o->key[i]].col].name;
		strcat(list, i ? "," : "");
		strcat(list, names[i]);
	}
	r = pd_read_at(AT_FDCWD, o->diff, PD_READ_LIMIT, &buf, &len);
	if (r < 0)
		pd_die(&o->c, "cannot read %s: %s", o->diff, strerror(-r));
	/* The file's time is when 'pssum -r' wrote it: RATE's span. */
	if (stat(o->diff, &st) == 0 &&
	    clock_gettime(CLOCK_REALTIME, &now) == 0)
		x->base_age = (double)(now.tv_sec - st.st_mtim.tv_sec) +
			      (double)(now.tv_nsec - st.st_mtim.tv_nsec) / 1e9;
	r = pd_pssbase_parse(buf, len, names, o->nkeys, &b, &bad);
	free(buf);
	if (r == -ENOKEY)
		pd_die(&o->c, "%s: the header lacks a key column (%s): make it with 'pssum -r' and the same --group-by",
		       o->diff, list);
	if (r == -EBADMSG)
		pd_die(&o->c, "%s:%zu: not a line of 'pssum -r' output", o->diff, bad);
	if (r == -ENOTUNIQ)
		pd_die(&o->c, "%s: rows repeat the same %s: it was made with another --group-by", o->diff, list);
	pd_check_alloc(&o->c, r);
	return b;
}

/* Are groups named in --check words or metric labels? */
static bool named(const struct opts *o)
{
	return pd_common_has_threshold(&o->c) || o->c.check || o->c.prom_file;
}

/* Is COL the column of one of the -g keys? */
static bool key_col(const struct opts *o, size_t col)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (pssum_keys[o->key[i]].col == col)
			return true;
	return false;
}

/* What the selected columns (and the sort key) need read. */
static unsigned wanted(const struct ctx *x)
{
	static const struct {
		size_t col;
		unsigned want;
	} needs[] = {
		{ COL_USER, PD_PSCAN_UID }, { COL_UID, PD_PSCAN_UID },
		{ COL_CMDLINE, PD_PSCAN_CMDLINE }, { COL_CGROUP, PD_PSCAN_CGROUP },
		{ COL_UNIT, PD_PSCAN_CGROUP }, { COL_EXE, PD_PSCAN_EXE },
		{ COL_CONTAINER, PD_PSCAN_NAMES }, { COL_POD, PD_PSCAN_NAMES },
		{ COL_PAGETABLES, PD_PSCAN_STATUS_MEM },
		{ COL_HUGETLB, PD_PSCAN_STATUS_MEM },
	};
	const char *sort = x->o->c.sort ? x->o->c.sort : "";
	unsigned want = 0;
	size_t i;
	int sc;

	if (x->o->view == VIEW_MAPPING)
		return PD_PSCAN_MAPPINGS;
	if (x->o->view == VIEW_SUMMARY)
		return 0;
	sc = pd_report_column_index(x->rep, sort + (*sort == '+' || *sort == '-'));
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if ((pd_report_is_selected(x->rep, needs[i].col) ||
		     sc == (int)needs[i].col || (named(x->o) &&
		     key_col(x->o, needs[i].col))) &&
		    (needs[i].want == PD_PSCAN_STATUS_MEM ||
		     pssum_decided(x, needs[i].col)))
			want |= needs[i].want;
	return want;
}

static void warn_unread(const struct opts *o, const struct pd_pscan *ps)
{
	static const char *const why[PD_PSCAN_NCAUSES] = {
		[PD_PSCAN_DENIED] = "permission denied",
		[PD_PSCAN_ZOMBIE] = "zombie",
		[PD_PSCAN_NOMM] = "no memory map",
	};
	const struct pd_pscan_stats *st = pd_pscan_stats(ps);
	struct pd_partial hidden = *pd_pscan_partial(ps);
	char size[32], unknown[64];
	size_t c;

	/* the unread are said below, with what they hold at most */
	hidden.denied = hidden.failed = 0;
	if (hidden.hidepid == PD_HIDEPID_NOACCESS)
		hidden.denied = st->unread[PD_PSCAN_DENIED].n;
	pd_warn_partial(&o->c, &hidden);

	for (c = 0; c < PD_PSCAN_NCAUSES; c++) {
		const struct pd_pscan_unread *u = &st->unread[c];
		bool root = geteuid() == 0;

		/* Zombies hold no memory: a churning machine always has
		 * some, and a warning would only be noise. */
		if (!u->n || c == PD_PSCAN_ZOMBIE)
			continue;
		/* hidepid=noaccess denied them: said above */
		if (c == PD_PSCAN_DENIED &&
		    hidden.hidepid == PD_HIDEPID_NOACCESS)
			continue;
		pd_size_to_human(u->rss, size, sizeof(size));
		unknown[0] = '\0';
		if (u->rss_unknown)
			snprintf(unknown, sizeof(unknown), ", unknown for %u",
				 u->rss_unknown);
		pd_warn(&o->c, "%u of %u processes could not be read (%s%s); "
			"they hold at most %s of RSS (VmRSS from status%s)%s",
			u->n, st->procs,
			c == PD_PSCAN_FAILED ? strerror(st->first_error) : why[c],
			c == PD_PSCAN_DENIED && root ? " even to root" : "",
			size, unknown, c == PD_PSCAN_DENIED && !root ?
			"; run as root for a complete view" : "");
	}
}

/* Pages on a node the sys root does not list have no column: said once
 * (a node taken offline, or a sys root of another machine). */
static void warn_other_nodes(const struct opts *o, const struct pd_pscan *ps)
{
	const uint64_t *t = pd_pscan_total(ps)->numa;
	unsigned nr = pd_pscan_nr_nodes(ps), id;
	uint64_t bytes = 0;
	char size[32];
	size_t i;

	for (id = 0; t && id < nr; id++) {
		for (i = 0; i < o->nnodes && o->node_ids[i] != id; i++)
			;
		if (i == o->nnodes)
			bytes += t[id];
	}
	if (!bytes)
		return;
	pd_size_to_human(bytes, size, sizeof(size));
	pd_warn(&o->c, "numa_maps puts %s on nodes %s/devices/system/node "
		"does not list; no column shows them", size, o->sys_root);
}

/*
 * What the processes that could not be read add at most to a group: their
 * VmRSS (status is world-readable; PSS <= RSS), when every one of them
 * has one and no hidepid hides others of unknown size.
 */
static void set_partial_bound(struct ctx *x)
{
	const struct pd_pscan_stats *st = pd_pscan_stats(x->ps);
	const struct pd_pscan_unread *d = &st->unread[PD_PSCAN_DENIED];
	const struct pd_pscan_unread *f = &st->unread[PD_PSCAN_FAILED];

	if (x->health.partial.hidepid != PD_HIDEPID_OFF || d->rss_unknown ||
	    f->rss_unknown)
		return;
	x->health.has_partial_bound = true;
	x->health.partial_bound = d->rss + f->rss;
}

int main(int argc, char **argv)
{
	enum pd_pss_key pkeys[NKEYS_MAX];
	struct pd_pscan_opts popts = { 0 };
	struct pd_procfs *pfs = NULL;
	struct opts o = { .jobs = 1 };
	struct ctx x = { .o = &o };
	size_t i;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "pssum");
	/* --diff has a percentage: a group's growth as a share of what it
	 * had (checked against --diff once the options are parsed) */
	o.c.pct_ok = true;
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	pssum_parse_args(&o, argc, argv);

	pssum_report_new(&o, &x.rep);
	if (o.c.help) {
		pssum_usage(&o, x.rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, x.rep))
		goto out;
	if (o.numa && o.nodes_err == -ENOENT)
		pd_die(&o.c, "--numa: %s/devices/system/node: no NUMA node (a kernel without NUMA support)",
		       o.sys_root);
	if (o.numa && o.nodes_err < 0)
		pd_die(&o.c, "--numa: cannot read the nodes of %s: %s",
		       o.sys_root, strerror(-o.nodes_err));
	pd_names_check_root(&o.c);

	pfs = pd_common_procfs(&o.c);
	pd_common_census(&o.c, pfs, &(const struct pd_procfilter){
		.pids = o.pids, .npids = o.npids,
		.uids = o.uids, .nuids = o.nuids,
		.comms = (const char *const *)o.comms, .ncomms = o.ncomms,
	});
	/* As oomrank --cgroup: a cgroup that is not there is an error, not
	 * a filter that finds nothing. A captured tree has no cgroup file
	 * system to look in. */
	if (o.cgroup && !o.c.proc_root) {
		r = pd_pscan_cgroup_exists(NULL, o.cgroup);
		if (r == -ENOENT)
			pd_die(&o.c, "%s: no such cgroup under /sys/fs/cgroup",
			       o.cgroup);
		if (r == -ENOMEM)
			pd_check_alloc(&o.c, r);
	}
	x.by_pid = pssum_has_key(&o, PD_PSS_KEY_PID);
	for (i = 0; i < o.nkeys; i++)
		pkeys[i] = pssum_keys[o.key[i]].key;
	popts.keys = pkeys;
	popts.nkeys = o.nkeys;
	x.want = popts.want = wanted(&x) | (o.numa ? PD_PSCAN_NUMA : 0);
	/* one naming context, only when names are asked for */
	if ((x.want & PD_PSCAN_NAMES) ||
	    pssum_has_key(&o, PD_PSS_KEY_CONTAINER) ||
	    pssum_has_key(&o, PD_PSS_KEY_POD)) {
		x.names = pd_names_new(&o.c);
		popts.names = pd_names_ctx(x.names);
	}
	popts.jobs = o.jobs;
	popts.exclude_self = true;
	popts.filter = (struct pd_pscan_filter){
		.pids = o.pids, .npids = o.npids,
		.uids = o.uids, .nuids = o.nuids,
		.comms = (const char *const *)o.comms, .ncomms = o.ncomms,
		.full = o.has_full ? &o.full : NULL,
		.cgroup = o.cgroup,
	};
	if (o.diff)
		x.base = load_base(&x);
	pd_check_alloc(&o.c, pd_pscan_new(pfs, &popts, &x.ps));
	r = pd_pscan_run(x.ps);
	if (r < 0) {
		pd_common_fatal(&o.c, pfs, r);
		pd_die_scan(&o.c, pd_pscan_partial(x.ps), r);
	}
	if (x.base)
		pd_pscan_diff(x.ps, x.base);

	x.health.partial = *pd_pscan_partial(x.ps);
	set_partial_bound(&x);
	if (o.view == VIEW_GROUP)
		pssum_health(&x);
	warn_unread(&o, x.ps);
	pd_names_warn(&o.c, x.names);
	if (o.numa)
		warn_other_nodes(&o, x.ps);
	if (o.c.prom_file)
		pssum_prom(&x);
	if (o.c.check)
		pd_health_check_exit(&o.c, &x.health);
	if (pd_health_report_wanted(&o.c, &x.health)) {
		if (o.view == VIEW_GROUP)
			pssum_group_rows(&x);
		else if (o.view == VIEW_MAPPING)
			pssum_map_rows(&x);
		else
			pssum_summary_rows(&x, pfs);
		pd_common_print(&o.c, x.rep, o.view == VIEW_SUMMARY ? NULL :
				o.diff ? "-PSS_DIFF" : o.numa ? "-RSS" :
				"-PSS");
	}
	rc = pd_health_exit_code(&o.c, &x.health);
	if (o.strict && pd_pscan_missing(x.ps))
		pd_die(&o.c, "%u of %u processes could not be read (--strict)",
		       pd_pscan_missing(x.ps), pd_pscan_stats(x.ps)->procs);

out:
	pd_pssbase_free(x.base);
	pd_pscan_free(x.ps);
	pd_names_free(x.names);
	pd_procfs_free(pfs);
	pd_report_free(x.rep);
	if (o.has_full)
		regfree(&o.full);
	free(x.figs);
	pssum_columns_free(&o);
	free(o.pids);
	free(o.uids);
	free(o.comms);
	return rc;
}
