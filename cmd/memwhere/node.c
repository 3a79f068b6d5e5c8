/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere --node: the ledger of each NUMA node side by side, a column per
 * node (as numastat -m), with numastat's counters and an imbalance
 * verdict. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mwtool.h"
#include "numa.h"

static const struct pd_column static_cols[NCOL_NODES] = {
	[NCOL_PART] = { "PART", PD_COL_STR, PD_COLF_DEFAULT, "part of the node's RAM, numastat counter or pressure" },
	[NCOL_KIND] = { "KIND", PD_COL_STR, 0, "part (adds up to the node's MemTotal), outside, numastat, pressure" },
	[NCOL_TOTAL] = { "TOTAL", PD_COL_SSIZE, PD_COLF_DEFAULT, "the sum over the nodes, bytes" },
	[NCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "what it is, and the verdict" },
};

/* The node ids of the sys root, or none (-H and --help still work). */
static void node_ids(const struct opts *o, unsigned **ret_ids, size_t *ret_n)
{
	int fd;

	*ret_ids = NULL;
	*ret_n = 0;
	if (!o->sys_root)
		return;
	fd = open(o->sys_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (pd_numa_nodes_read(fd, ret_ids, ret_n) < 0) {
		*ret_ids = NULL;
		*ret_n = 0;
	}
	close(fd);
}

void memwhere_node_columns(struct ctx *x)
{
	unsigned *ids;
	size_t n, i;
	char *names;

	node_ids(x->o, &ids, &n);
	x->ncols = NCOL_NODES + n;
	x->cols = pd_xcalloc(x->ncols, sizeof(*x->cols));
	/* "N12": the names live as long as the columns */
	names = pd_xcalloc(n ? n : 1, 16);
	x->node_names = names;
	memcpy(x->cols, static_cols, sizeof(static_cols));
	/* the node columns go between PART/KIND and TOTAL, as numastat -m
	 * prints them: the table order is the -o order, and the defaults
	 * list them in turn */
	for (i = 0; i < n; i++) {
		snprintf(names + 16 * i, 16, "N%u", ids[i]);
		x->cols[NCOL_NODES + i] = (struct pd_column){
			names + 16 * i, PD_COL_SSIZE, PD_COLF_DEFAULT,
			"bytes on this node"
		};
	}
	x->node_ids = ids;
	x->nnode_ids = n;
}

/* The column of node ID, or -1. */
static int node_col(const struct ctx *x, unsigned id)
{
	size_t i;

	for (i = 0; i < x->nnode_ids; i++)
		if (x->node_ids[i] == id)
			return (int)(NCOL_NODES + i);
	return -1;
}

/* The default list: PART, the nodes, TOTAL, NOTE. */
void memwhere_node_defaults(struct ctx *x)
{
	struct pd_strbuf sb = { 0 };
	size_t i;

	pd_strbuf_add(&sb, ",", "PART");
	for (i = 0; i < x->nnode_ids; i++)
		pd_strbuf_add(&sb, ",", x->cols[NCOL_NODES + i].name);
	pd_strbuf_add(&sb, ",", "TOTAL");
	pd_strbuf_add(&sb, ",", "NOTE");
	pd_check_alloc(&x->o->c, pd_report_set_defaults(x->rep, sb.s, NULL));
	free(sb.s);
}

/* Node A nearly full while node B is mostly free: used = MemTotal -
 * MemFree, as numactl --hardware shows it. */
static void imbalance(const struct ctx *x, struct pd_strbuf *sb)
{
	int64_t most = -1, least = 10001;
	unsigned a = 0, b = 0;
	char pa[16], pb[16];
	size_t i;

	for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
		const struct pd_mw_node *nd = pd_mw_node(x->mw, i);
		const struct pd_mw_ledger *l = &nd->ledger;
		int64_t used;

		if (!l->has[PD_MW_FREE] || !l->total)
			continue;
		used = memwhere_centi((int64_t)l->total - l->bytes[PD_MW_FREE],
				      l->total);
		if (used > most) {
			most = used;
			a = nd->id;
		}
		if (used < least) {
			least = used;
			b = nd->id;
		}
	}
	if (most < 0 || a == b)
		return;
	memwhere_pct((uint64_t)most, pa, sizeof(pa));
	memwhere_pct((uint64_t)(10000 - least), pb, sizeof(pb));
	if (most >= 9000 && least <= 5000)
		memwhere_notef(sb, "imbalanced: node %u is %s used while node %u is %s free (bind or interleave the largest users: numactl, pssum)", a, pa, b, pb);
	else
		memwhere_notef(sb, "node %u is the fullest, %s used; node %u %s free", a, pa, b, pb);
}

static struct pd_row *add_row(struct ctx *x, const char *name,
			      const char *kind)
{
	struct pd_row *row;

	pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &row));
	pd_check_alloc(&x->o->c, pd_row_set_str(row, NCOL_PART, name));
	pd_check_alloc(&x->o->c, pd_row_set_str(row, NCOL_KIND, kind));
	return row;
}

static void part_row(struct ctx *x, enum pd_mw_part p)
{
	const struct pd_mw_ledger *first = NULL;
	struct pd_strbuf sb = { 0 };
	struct pd_row *row;
	int64_t total = 0;
	size_t i;

	for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
		const struct pd_mw_node *nd = pd_mw_node(x->mw, i);

		if (!nd->ledger.has[p] || node_col(x, nd->id) < 0)
			continue;
		if (!first)
			first = &nd->ledger;
		total += nd->ledger.bytes[p];
	}
	if (!first || (x->o->has_min && total < (int64_t)x->o->min_size))
		return;
	row = add_row(x, pd_mw_part_name(p), pd_mw_part_kind(p) ==
		      PD_MW_KIND_PART ? "part" : "outside");
	for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
		const struct pd_mw_node *nd = pd_mw_node(x->mw, i);
		int col = node_col(x, nd->id);

		if (nd->ledger.has[p] && col >= 0)
			pd_row_set_s64(row, (size_t)col, nd->ledger.bytes[p]);
	}
	pd_row_set_s64(row, NCOL_TOTAL, total);
	memwhere_part_note(NULL, first, p, &sb);
	if (p == PD_MW_FREE)
		imbalance(x, &sb);
	if (sb.len)
		pd_check_alloc(&x->o->c, pd_row_set_str(row, NCOL_NOTE, sb.s));
	free(sb.s);
}

static void numastat_rows(struct ctx *x)
{
	static const char *const what[PD_MW_NNUMASTAT] = {
		[PD_MW_NUMA_HIT] = "allocated on the node the process wanted",
		[PD_MW_NUMA_MISS] = "allocated here though another node was wanted: remote",
		[PD_MW_NUMA_FOREIGN] = "wanted here, allocated on another node",
		[PD_MW_NUMA_INTERLEAVE_HIT] = "interleaved allocations that landed here as planned",
		[PD_MW_NUMA_LOCAL] = "allocated here for a process running here",
		[PD_MW_NUMA_OTHER] = "allocated here for a process running elsewhere",
	};
	const struct pd_mw_activity *a = pd_mw_activity(x->mw);
	unsigned long ps = pd_mw_page_size(x->mw);
	size_t s, i;

	for (s = 0; s < PD_MW_NNUMASTAT; s++) {
		struct pd_row *row = NULL;
		uint64_t total = 0;
		char note[200];

		for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
			const struct pd_mw_node *nd = pd_mw_node(x->mw, i);
			int col = node_col(x, nd->id);

			if (!nd->has_numastat[s] || col < 0)
				continue;
			if (!row)
				row = add_row(x, pd_mw_numastat_name(s),
					      "numastat");
			pd_row_set_s64(row, (size_t)col,
				       (int64_t)(nd->numastat[s] * ps));
			total += nd->numastat[s] * ps;
		}
		if (!row)
			continue;
		pd_row_set_s64(row, NCOL_TOTAL, (int64_t)total);
		snprintf(note, sizeof(note), "%s; pages allocated %s, times the page size (numastat -n)",
			 what[s], a->interval ? "in the interval" : "since boot");
		pd_check_alloc(&x->o->c, pd_row_set_str(row, NCOL_NOTE, note));
	}
}

void memwhere_node_rows(struct ctx *x)
{
	struct pd_pressure p;
	struct pd_row *row;
	char words[64], note[160];
	int64_t sum = 0;
	size_t i;

	if (!pd_mw_nnodes(x->mw))
		pd_die(&x->o->c, "no NUMA node under %s/devices/system/node",
		       x->o->sys_root);
	for (i = 0; i < PD_MW_NPARTS; i++)
		if (pd_mw_part_kind(i) != PD_MW_KIND_OVERLAP)
			part_row(x, i);
	if (x->o->has_min)
		goto out_total;
	numastat_rows(x);
	if (pd_mw_pressure(x->mw, &p)) {
		row = add_row(x, "pressure", "pressure");
		memwhere_psi_words(&p, words, sizeof(words));
		snprintf(note, sizeof(note), "memory pressure avg10 %s, of the whole machine: PSI is not per node", words);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, NCOL_NOTE, note));
	}

out_total:
	pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &row));
	for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
		const struct pd_mw_node *nd = pd_mw_node(x->mw, i);
		int col = node_col(x, nd->id);

		if (col < 0)
			continue;
		pd_row_set_s64(row, (size_t)col, (int64_t)nd->ledger.total);
		sum += (int64_t)nd->ledger.total;
	}
	pd_row_set_s64(row, NCOL_TOTAL, sum);
}
