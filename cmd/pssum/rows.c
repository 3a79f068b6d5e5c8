/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: the rows of the views: groups (with --diff), mappings, summary. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pssum.h"

/* A row to print: group I, or (--diff) base row I that is gone. */
struct src {
	bool gone;
	size_t i;
};

/* Is column COL known for the rows? By pid everything is; in a group
 * only what its key decides. */
bool pssum_decided(const struct ctx *x, size_t col)
{
	size_t i;

	if (x->by_pid)
		return true;
	for (i = 0; i < x->o->nkeys; i++)
		if (pssum_keys[x->o->key[i]].col == col)
			return true;
	/* a cgroup is in one container and one pod; a container in one pod,
	 * but its group of processes in none mixes pods */
	return (col == COL_UID && pssum_has_key(x->o, PD_PSS_KEY_USER)) ||
	       ((col == COL_UNIT || col == COL_CONTAINER || col == COL_POD) &&
		pssum_has_key(x->o, PD_PSS_KEY_CGROUP));
}

/* Where the fill functions put a row's cells. */
struct sink {
	const struct pd_common *c;
	struct pd_row *row;
};

static void put_num(struct sink *k, size_t col, uint64_t v)
{
	pd_row_set_u64(k->row, col, v);
}

static void put_s64(struct sink *k, size_t col, int64_t v)
{
	pd_row_set_s64(k->row, col, v);
}

static void put_str(struct sink *k, size_t col, const char *s)
{
	pd_check_alloc(k->c, pd_row_set_str(k->row, col, s));
}

/* The sizes of the group view from SM. */
static void put_sizes(struct sink *k, const struct pd_smaps *sm)
{
	put_num(k, COL_RSS, sm->rss);
	put_num(k, COL_PSS, sm->pss);
	put_num(k, COL_USS, pd_smaps_uss(sm));
	put_num(k, COL_PRIVATE_DIRTY, sm->private_dirty);
	put_num(k, COL_SHARED, pd_smaps_shared(sm));
	put_num(k, COL_SWAP, sm->swap);
	put_num(k, COL_SWAP_PSS, sm->swap_pss);
	put_num(k, COL_PSS_ANON, sm->pss_anon);
	put_num(k, COL_PSS_FILE, sm->pss_file);
	put_num(k, COL_PSS_SHMEM, sm->pss_shmem);
	put_num(k, COL_ANON_HUGE, sm->anon_huge);
}

/* --numa: the node columns from NUMA (pd_pscan_nr_nodes() entries; NULL:
 * none read). */
static void put_numa(struct ctx *x, struct sink *k, const uint64_t *numa)
{
	unsigned nr = pd_pscan_nr_nodes(x->ps);
	size_t i;

	if (!x->o->numa || !numa)
		return;
	for (i = 0; i < x->o->nnodes; i++) {
		unsigned id = x->o->node_ids[i];

		put_num(k, pssum_node_col(x->o, i), id < nr ? numa[id] : 0);
	}
}

/* The growth columns of G, and RATE: PSS growth over AGE seconds. */
static void put_growth(struct sink *k, const struct pd_pssgrowth *g,
		       double age)
{
	static const size_t col[PD_PSSBASE_NCOLS] = {
		COL_PSS_DIFF, COL_RSS_DIFF, COL_USS_DIFF, COL_SWAP_DIFF,
	};
	int64_t rate;
	size_t i;

	for (i = 0; i < PD_PSSBASE_NCOLS; i++)
		if (g->known[i])
			put_s64(k, col[i], g->v[i]);
	if (g->known[PD_PSSBASE_PSS] &&
	    pd_pssgrowth_rate(g->v[PD_PSSBASE_PSS], age, &rate))
		put_s64(k, COL_RATE, rate);
}

static void group_fill(struct ctx *x, const struct src *s, struct sink *k)
{
	const struct pd_pssgroup *g;
	const struct pd_pssproc *p;
	struct pd_pssgrowth gone;
	size_t i;

	if (s->gone) {
		const struct pd_pssbase_row *b = pd_pssbase_row(x->base, s->i);

		for (i = 0; i < x->o->nkeys; i++) {
			size_t col = pssum_keys[x->o->key[i]].col;
			const char *t = b->keys[i];

			if (t && pssum_cols[col].type == PD_COL_NUM)
				put_num(k, col, strtoull(t, NULL, 10));
			else
				put_str(k, col, t);
		}
		pd_pssbase_row_growth(b, &gone);
		put_growth(k, &gone, x->base_age);
		return;
	}
	g = pd_pscan_group(x->ps, s->i);
	p = g->proc;
	if (pssum_decided(x, COL_PID))
		put_num(k, COL_PID, (uint64_t)p->pid);
	if (pssum_decided(x, COL_PPID))
		put_num(k, COL_PPID, (uint64_t)p->ppid);
	if (pssum_decided(x, COL_COMMAND))
		put_str(k, COL_COMMAND, p->comm);
	if (p->user && pssum_decided(x, COL_USER))
		put_str(k, COL_USER, p->user);
	if (p->user && pssum_decided(x, COL_UID))
		put_num(k, COL_UID, (uint64_t)p->uid);
	if (pssum_decided(x, COL_UNIT))
		put_str(k, COL_UNIT, p->unit);
	if (pssum_decided(x, COL_CGROUP))
		put_str(k, COL_CGROUP, p->cgroup);
	pd_names_set(k->c, k->row,
		     pssum_decided(x, COL_CONTAINER) ? COL_CONTAINER : SIZE_MAX,
		     pssum_decided(x, COL_POD) ? COL_POD : SIZE_MAX, &p->name);
	if (pssum_decided(x, COL_EXE))
		put_str(k, COL_EXE, p->exe);
	if (pssum_decided(x, COL_CMDLINE))
		put_str(k, COL_CMDLINE, p->cmdline);
	put_num(k, COL_PROCS, g->nprocs);
	put_sizes(k, &g->sm);
	put_numa(x, k, g->numa);
	if (x->want & PD_PSCAN_STATUS_MEM) {
		put_num(k, COL_PAGETABLES, g->pagetables);
		put_num(k, COL_HUGETLB, g->hugetlb);
	}
	if (x->base)
		put_growth(k, &g->growth, x->base_age);
}

static void map_fill(struct ctx *x, const struct src *s, struct sink *k)
{
	const struct pd_pssmap *m = pd_pscan_map(x->ps, s->i);

	pd_check_alloc(k->c, pd_row_set_strn(k->row, MCOL_MAPPING, m->name,
					     m->name_len));
	put_num(k, MCOL_PROCS, m->nprocs);
	put_num(k, MCOL_RSS, m->sm.rss);
	put_num(k, MCOL_PSS, m->sm.pss);
	put_num(k, MCOL_USS, pd_smaps_uss(&m->sm));
	put_num(k, MCOL_SWAP, m->sm.swap);
	put_num(k, MCOL_SWAP_PSS, m->sm.swap_pss);
	put_numa(x, k, m->numa);
}

typedef void fill_fn(struct ctx *x, const struct src *s, struct sink *k);

/* Add the rows of SRCS to the report; -N cuts at print time, after the
 * report has sorted them. */
static void add_rows(struct ctx *x, const struct src *srcs, size_t n,
		     fill_fn *fill)
{
	struct sink k = { .c = &x->o->c };
	size_t i;

	for (i = 0; i < n; i++) {
		pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &k.row));
		fill(x, &srcs[i], &k);
	}
}

void pssum_group_rows(struct ctx *x)
{
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	size_t ng = pd_pscan_ngroups(x->ps), nb = 0, n = 0, i;
	int first = pd_report_first_column(x->rep);
	size_t wide = x->by_pid ? COL_CMDLINE : NCOLS;
	struct sink k = { .c = &x->o->c };
	struct src *srcs;
	char text[48];

	for (i = x->o->nkeys; i > 0 && wide == NCOLS; i--)
		if (pssum_cols[pssum_keys[x->o->key[i - 1]].col].flags &
		    PD_COLF_WIDE)
			wide = pssum_keys[x->o->key[i - 1]].col;
	if (x->base)
		nb = pd_pssbase_nrows(x->base);
	srcs = pd_xcalloc(ng + nb, sizeof(*srcs));
	for (i = 0; i < ng; i++)
		/* with a threshold, only the groups over it */
		if (!pd_common_has_threshold(&x->o->c) ||
		    x->figs[i].status != PD_STATUS_OK)
			srcs[n++] = (struct src){ .i = i };
	/* a group that is gone shrank: never over a growth threshold */
	for (i = 0; i < nb && !pd_common_has_threshold(&x->o->c); i++)
		if (!pd_pssbase_row(x->base, i)->matched)
			srcs[n++] = (struct src){ .gone = true, .i = i };
	add_rows(x, srcs, n, group_fill);
	if (n) {
		pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &k.row));
		/* PROCS first (-g exe) would hide "total": the count then
		 * goes to the wide text column, as it does by pid. */
		if (first != COL_PROCS)
			put_num(&k, COL_PROCS, t->nprocs);
		put_sizes(&k, &t->sm);
		put_numa(x, &k, t->numa);
		put_num(&k, COL_PAGETABLES, t->pagetables);
		put_num(&k, COL_HUGETLB, t->hugetlb);
		snprintf(text, sizeof(text), "%s%zu process%s",
			 first == (int)wide ? "total: " : "", t->nprocs,
			 t->nprocs == 1 ? "" : "es");
		if (wide < NCOLS && (x->by_pid || first == COL_PROCS))
			put_str(&k, wide, text);
		if (x->base)
			put_growth(&k, &t->growth, x->base_age);
	}
	free(srcs);
}

void pssum_map_rows(struct ctx *x)
{
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	size_t n = pd_pscan_nmaps(x->ps), i;
	struct sink k = { .c = &x->o->c };
	struct src *srcs;
	char text[48];

	srcs = pd_xcalloc(n, sizeof(*srcs));
	for (i = 0; i < n; i++)
		srcs[i].i = i;
	add_rows(x, srcs, n, map_fill);
	free(srcs);
	if (!n)
		return;
	pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &k.row));
	put_num(&k, MCOL_RSS, t->sm.rss);
	put_num(&k, MCOL_PSS, t->sm.pss);
	put_num(&k, MCOL_USS, pd_smaps_uss(&t->sm));
	put_num(&k, MCOL_SWAP, t->sm.swap);
	put_num(&k, MCOL_SWAP_PSS, t->sm.swap_pss);
	put_numa(x, &k, t->numa);
	snprintf(text, sizeof(text), "%s%zu process%s",
		 pd_report_first_column(x->rep) == MCOL_MAPPING ? "total: " : "",
		 t->nprocs, t->nprocs == 1 ? "" : "es");
	put_str(&k, MCOL_MAPPING, text);
}

void pssum_summary_rows(struct ctx *x, struct pd_procfs *pfs)
{
	struct pd_memline lines[PD_MEMLINES_MAX];
	struct pd_meminfo *mi;
	struct pd_row *row;
	size_t n, i;
	int r;

	r = pd_meminfo_read(pfs, &mi);
	if (r < 0) {
		pd_common_fatal(&x->o->c, pfs, r);
		pd_die(&x->o->c, "cannot read %s/meminfo: %s",
		       pd_procfs_root(pfs), strerror(-r));
	}
	n = pd_pscan_reconcile(x->ps, mi, lines);
	for (i = 0; i < n; i++) {
		pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &row));
		pd_check_alloc(&x->o->c, pd_row_set_str(row, SCOL_ITEM, lines[i].item));
		if (lines[i].known)
			pd_row_set_u64(row, SCOL_SIZE, lines[i].size);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, SCOL_NOTE, lines[i].note));
	}
	pd_meminfo_free(mi);
}

