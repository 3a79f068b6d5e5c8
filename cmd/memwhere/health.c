/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: health: -w, -c and --pressure-threshold, --check, --prom-file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mwtool.h"

#define PROM_TOP_DEFAULT 10

/* Is pressure P over the --pressure-threshold? */
static bool psi_over(const struct opts *o, const struct pd_pressure *p)
{
	return (o->has_psi_some && p->some.present &&
		p->some.avg10 > o->psi_some) ||
	       (o->has_psi_full && p->full.present &&
		p->full.avg10 > o->psi_full);
}

/* "; pressure some 12.00%, full 1.50% (over some 10.00%)" */
static void psi_text(const struct opts *o, const struct pd_pressure *p,
		     bool over, char *buf, size_t n)
{
	char words[64], s[16], f[16];

	memwhere_psi_words(p, words, sizeof(words));
	if (!over) {
		snprintf(buf, n, "; pressure %s", words);
		return;
	}
	snprintf(s, sizeof(s), "%u.%02u%%", o->psi_some / 100, o->psi_some % 100);
	snprintf(f, sizeof(f), "%u.%02u%%", o->psi_full / 100, o->psi_full % 100);
	snprintf(buf, n, "; pressure %s over the threshold (%s%s%s%s%s)",
		 words, o->has_psi_some ? "some " : "",
		 o->has_psi_some ? s : "",
		 o->has_psi_some && o->has_psi_full ? ", " : "",
		 o->has_psi_full ? "full " : "", o->has_psi_full ? f : "");
}

/* A crossed pressure threshold is a warning at least. */
static void bump(struct pd_health *h)
{
	if (h->status == PD_STATUS_OK || h->status == PD_STATUS_UNKNOWN) {
		h->status = PD_STATUS_WARNING;
		h->nwarn++;
	}
}

/* PSI avg10 as performance data, the --pressure-threshold as warning. */
static void psi_perf(struct ctx *x, const struct pd_pressure *p)
{
	const struct opts *o = x->o;
	char ws[16] = "", wf[16] = "";

	if (o->has_psi_some)
		snprintf(ws, sizeof(ws), "%u.%02u", o->psi_some / 100,
			 o->psi_some % 100);
	if (o->has_psi_full)
		snprintf(wf, sizeof(wf), "%u.%02u", o->psi_full / 100,
			 o->psi_full % 100);
	snprintf(x->perf_psi, sizeof(x->perf_psi),
		 "'psi_some_avg10'=%u.%02u%%;%s;;0;100", p->some.avg10 / 100,
		 p->some.avg10 % 100, ws);
	if (p->full.present) {
		size_t len = strlen(x->perf_psi);

		snprintf(x->perf_psi + len, sizeof(x->perf_psi) - len,
			 " 'psi_full_avg10'=%u.%02u%%;%s;;0;100",
			 p->full.avg10 / 100, p->full.avg10 % 100, wf);
	}
	x->health.perf_more = x->perf_psi;
}

static void machine_health(struct ctx *x)
{
	const struct pd_mw_ledger *l = pd_mw_machine(x->mw);
	struct pd_health *h = &x->health;
	struct pd_pressure p;
	char used[32], total[32], pct[16], more[200];
	size_t len;

	x->figs = pd_xcalloc(1, sizeof(*x->figs));
	h->figs = x->figs;
	h->nfigs = 1;
	h->perf = "in_use";
	h->perf_pct = "in_use_pct";
	if (!l->has_fig[PD_MW_FIG_AVAILABLE]) {
		x->figs[0].unknown = true;
		snprintf(h->text, sizeof(h->text),
			 "memory in use unknown: meminfo has no MemAvailable (before 3.14)");
	} else {
		uint64_t in_use = l->total > (uint64_t)l->fig[PD_MW_FIG_AVAILABLE] ?
			l->total - (uint64_t)l->fig[PD_MW_FIG_AVAILABLE] : 0;

		x->figs[0].bytes = in_use;
		x->figs[0].has_pct = true;
		x->figs[0].pct = (int64_t)(in_use * 100.0 *
					   PD_THRESHOLD_PCT_SCALE / l->total);
		pd_health_size(in_use, used, sizeof(used));
		pd_health_size(l->total, total, sizeof(total));
		memwhere_pct((uint64_t)memwhere_centi((int64_t)in_use, l->total),
			     pct, sizeof(pct));
		snprintf(h->text, sizeof(h->text), "memory in use %s of %s, %s",
			 used, total, pct);
	}
	pd_health_eval(&x->o->c, h);
	if (pd_mw_pressure(x->mw, &p)) {
		x->machine_psi_over = psi_over(x->o, &p);
		psi_text(x->o, &p, x->machine_psi_over, more, sizeof(more));
		len = strlen(h->text);
		snprintf(h->text + len, sizeof(h->text) - len, "%s", more);
		psi_perf(x, &p);
		if (x->machine_psi_over)
			bump(h);
	}
}

/* Sort figure indexes by their cgroup's usage share, fullest first. */
static int by_pct(const void *a, const void *b, void *arg)
{
	const struct pd_figure *f = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (f[i].pct != f[j].pct)
		return f[i].pct > f[j].pct ? -1 : 1;
	return i < j ? -1 : i > j;
}

static void cgroup_health(struct ctx *x)
{
	size_t n = pd_mw_ncgroups(x->mw), nf = 0, i, k, named = 0, *idx;
	const struct pd_memcg *mc = pd_mw_memcg(x->mw);
	struct pd_health *h = &x->health;
	unsigned psi_n = 0;
	char words[96], first[160] = "";
	size_t len;
	uint64_t m;

	x->figs = pd_xcalloc(n, sizeof(*x->figs));
	x->fig_cg = pd_xcalloc(n, sizeof(*x->fig_cg));
	x->psi_over = pd_xcalloc(n, sizeof(*x->psi_over));
	for (i = 0; i < n; i++) {
		const struct pd_memcg_node *c = pd_memcg_node(mc, i);

		if (c->has_pressure && psi_over(x->o, &c->pressure)) {
			x->psi_over[i] = true;
			if (!psi_n++)
				snprintf(first, sizeof(first), "%s", c->path);
		}
		if (!memwhere_cgroup_limited(x, i, &m))
			continue;
		x->fig_cg[nf] = i;
		x->figs[nf].name = c->path;
		x->figs[nf].bytes = c->v[PD_MEMCG_CURRENT];
		x->figs[nf].has_pct = true;
		x->figs[nf].pct = (int64_t)(c->v[PD_MEMCG_CURRENT] * 100.0 *
					    PD_THRESHOLD_PCT_SCALE / m);
		nf++;
	}
	h->figs = x->figs;
	h->nfigs = nf;
	h->groups = "limited cgroups";
	h->perf = "largest_current";
	h->perf_pct = "largest_use_pct";
	pd_health_eval(&x->o->c, h);
	idx = pd_xcalloc(nf, sizeof(*idx));
	for (i = 0; i < nf; i++)
		idx[i] = i;
	qsort_r(idx, nf, sizeof(*idx), by_pct, x->figs);
	if (h->nwarn + h->ncrit)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%u of %zu limited cgroups over a threshold:",
				       h->nwarn + h->ncrit, nf);
	else if (nf)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu limited cgroup%s, the fullest:", nf,
				       nf == 1 ? "" : "s");
	else
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "no limited cgroup");
	for (k = 0; k < nf && len < sizeof(h->text); k++) {
		i = idx[k];
		if (h->nwarn + h->ncrit ? x->figs[i].status == PD_STATUS_OK :
		    k > 0)
			continue;
		if (named == 3) {
			len += (size_t)snprintf(h->text + len,
						sizeof(h->text) - len, ", ...");
			break;
		}
		memwhere_limit_words(x, x->fig_cg[i], words, sizeof(words));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					"%s %s %s", named ? "," : "",
					x->figs[i].name, words);
		named++;
	}
	if (psi_n && len < sizeof(h->text)) {
		snprintf(h->text + len, sizeof(h->text) - len,
			 "; pressure over the threshold in %u cgroup%s: %s%s",
			 psi_n, psi_n == 1 ? "" : "s", first,
			 psi_n > 1 ? ", ..." : "");
		bump(h);
	}
	free(idx);
}

void memwhere_health(struct ctx *x)
{
	if (x->o->view == VIEW_CGROUP)
		cgroup_health(x);
	else
		machine_health(x);
}

bool memwhere_report_wanted(const struct ctx *x)
{
	if (x->o->c.check)
		return false;
	if (memwhere_has_threshold(x->o))
		return x->health.status != PD_STATUS_OK;
	return !x->o->c.prom_file;
}

int memwhere_exit_code(const struct ctx *x)
{
	if (!memwhere_has_threshold(x->o))
		return PD_EXIT_OK;
	if (x->health.status == PD_STATUS_UNKNOWN) {
		/* not pd_warn: -q must not hide why the status is 2 */
		fprintf(stderr, "%s: the threshold cannot be judged: %s\n",
			x->o->c.tool, x->health.text);
		return PD_EXIT_TROUBLE;
	}
	return x->health.status == PD_STATUS_OK ? PD_EXIT_OK :
						  PD_EXIT_THRESHOLD;
}

/* ---- --prom-file ----------------------------------------------------------- */

static void prom_machine(struct ctx *x, struct pd_prom *p)
{
	static const char *const windows[] = { "avg10", "avg60", "avg300" };
	const struct pd_mw_ledger *l = pd_mw_machine(x->mw);
	const struct pd_mw_activity *a = pd_mw_activity(x->mw);
	const struct pd_common *c = &x->o->c;
	struct pd_pressure ps;
	size_t i, k;

	pd_common_prom_family(c, p, "memtotal_bytes", PD_PROM_GAUGE,
			      "MemTotal: the RAM the kernel manages");
	pd_common_prom_u64(c, p, NULL, 0, l->total);
	if (l->has_fig[PD_MW_FIG_AVAILABLE]) {
		pd_common_prom_family(c, p, "available_bytes", PD_PROM_GAUGE,
				      "MemAvailable: free plus reclaimable");
		pd_common_prom_s64(c, p, NULL, 0, l->fig[PD_MW_FIG_AVAILABLE]);
	}
	pd_common_prom_family(c, p, "part_bytes", PD_PROM_GAUGE,
			      "the ledger: parts of kind part add up to MemTotal; overlap lies inside them, outside is not in MemTotal");
	for (i = 0; i < PD_MW_NPARTS; i++) {
		enum pd_mw_kind k2 = pd_mw_part_kind(i);
		struct pd_prom_label lb[2] = {
			{ "part", pd_mw_part_name(i) },
			{ "kind", k2 == PD_MW_KIND_PART ? "part" :
				  k2 == PD_MW_KIND_OVERLAP ? "overlap" : "outside" },
		};

		if (l->has[i])
			pd_common_prom_s64(c, p, lb, 2, l->bytes[i]);
	}
	if (pd_mw_pressure(x->mw, &ps)) {
		pd_common_prom_family(c, p, "pressure_percent", PD_PROM_GAUGE,
				      "PSI of memory: % of the window some (or every) task stalled");
		for (k = 0; k < 2; k++) {
			const struct pd_psi *s = k ? &ps.full : &ps.some;
			uint32_t v[3] = { s->avg10, s->avg60, s->avg300 };

			for (i = 0; s->present && i < 3; i++) {
				struct pd_prom_label lb[2] = {
					{ "kind", k ? "full" : "some" },
					{ "window", windows[i] },
				};

				pd_common_prom_f64(c, p, lb, 2, v[i] / 100.0);
			}
		}
		pd_common_prom_family(c, p, "pressure_stall_seconds_total",
				      PD_PROM_COUNTER,
				      "PSI of memory: total stall time");
		for (k = 0; k < 2; k++) {
			const struct pd_psi *s = k ? &ps.full : &ps.some;
			struct pd_prom_label lb = { "kind", k ? "full" : "some" };

			if (s->present)
				pd_common_prom_f64(c, p, &lb, 1,
						   s->total_us / 1e6);
		}
	}
	/* counters since boot; an interval's counts are no counter */
	if (!a->interval) {
		pd_common_prom_family(c, p, "vmstat_total", PD_PROM_COUNTER,
				      "paging activity since boot (/proc/vmstat)");
		for (i = 0; i < PD_MW_NACTS; i++) {
			struct pd_prom_label lb = { "counter", pd_mw_act_name(i) };

			if (a->has[i])
				pd_common_prom_u64(c, p, &lb, 1, a->count[i]);
		}
	}
}

static void prom_nodes(struct ctx *x, struct pd_prom *p)
{
	const struct pd_common *c = &x->o->c;
	char id[16];
	size_t i, k;

	pd_common_prom_family(c, p, "node_part_bytes", PD_PROM_GAUGE,
			      "each NUMA node's ledger, as part_bytes");
	for (i = 0; i < pd_mw_nnodes(x->mw); i++) {
		const struct pd_mw_node *nd = pd_mw_node(x->mw, i);

		snprintf(id, sizeof(id), "%u", nd->id);
		for (k = 0; k < PD_MW_NPARTS; k++) {
			struct pd_prom_label lb[2] = {
				{ "node", id }, { "part", pd_mw_part_name(k) },
			};

			if (nd->ledger.has[k])
				pd_common_prom_s64(c, p, lb, 2,
						   nd->ledger.bytes[k]);
		}
	}
}

static int by_current(const void *a, const void *b, void *arg)
{
	const struct ctx *x = arg;
	const struct pd_memcg *mc = pd_mw_memcg(x->mw);
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t ci = pd_memcg_node(mc, i)->v[PD_MEMCG_CURRENT];
	uint64_t cj = pd_memcg_node(mc, j)->v[PD_MEMCG_CURRENT];

	if (ci != cj)
		return ci > cj ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Is cgroup I below cgroup A (or A itself)? Pre-order: A's subtree is
 * the run [A, end). */
static bool below(const struct pd_memcg *mc, size_t a, size_t i)
{
	return i >= a && i < pd_memcg_node(mc, a)->end;
}

/*
 * The first -N cgroups by usage (10 by default; the top one of a
 * --cgroup subtree is not among them), and "(other)": what the top
 * level charges outside every one shown. Paths are labels here because
 * -N bounds them.
 */
static void prom_cgroups(struct ctx *x, struct pd_prom *p)
{
	const struct pd_memcg *mc = pd_mw_memcg(x->mw);
	const struct pd_common *c = &x->o->c;
	size_t n = pd_mw_ncgroups(x->mw), top, m = 0, i, k, j;
	size_t *idx = pd_xcalloc(n, sizeof(*idx));
	int64_t other = 0;
	bool known = true;

	for (i = 1; i < n; i++)
		if (pd_memcg_node(mc, i)->has & (1u << PD_MEMCG_CURRENT))
			idx[m++] = i;
	qsort_r(idx, m, sizeof(*idx), by_current, x);
	top = x->o->top ? x->o->top : PROM_TOP_DEFAULT;
	if (top > m)
		top = m;
	for (i = 1; i < n; i++) {
		const struct pd_memcg_node *cn = pd_memcg_node(mc, i);

		if (cn->depth != 1)
			continue;
		if (!(cn->has & (1u << PD_MEMCG_CURRENT)))
			known = false;
		other += (int64_t)cn->v[PD_MEMCG_CURRENT];
	}
	/* take off the shown cgroups that no other shown one contains */
	for (k = 0; k < top; k++) {
		for (j = 0; j < top; j++)
			if (j != k && idx[j] != idx[k] &&
			    below(mc, idx[j], idx[k]))
				break;
		if (j == top)
			other -= (int64_t)pd_memcg_node(mc, idx[k])->v[PD_MEMCG_CURRENT];
	}
	pd_common_prom_family(c, p, "cgroup_current_bytes", PD_PROM_GAUGE,
			      "memory charged to the cgroup and below it; cgroup=\"(other)\": charged to top-level cgroups outside every one shown");
	for (k = 0; k < top; k++) {
		struct pd_prom_label lb = { "cgroup", pd_memcg_node(mc, idx[k])->path };

		pd_common_prom_u64(c, p, &lb, 1,
				   pd_memcg_node(mc, idx[k])->v[PD_MEMCG_CURRENT]);
	}
	if (known && m > top) {
		struct pd_prom_label lb = { "cgroup", "(other)" };

		pd_common_prom_s64(c, p, &lb, 1, other > 0 ? other : 0);
	}
	pd_common_prom_family(c, p, "cgroup_max_bytes", PD_PROM_GAUGE,
			      "the cgroup's memory limit (memory.max, v1 limit_in_bytes)");
	for (k = 0; k < top; k++) {
		struct pd_prom_label lb = { "cgroup", pd_memcg_node(mc, idx[k])->path };
		uint64_t mx;

		if (memwhere_cgroup_limited(x, idx[k], &mx))
			pd_common_prom_u64(c, p, &lb, 1, mx);
	}
	pd_common_prom_family(c, p, "cgroup_pressure_percent", PD_PROM_GAUGE,
			      "the cgroup's memory.pressure avg10");
	for (k = 0; k < top; k++) {
		const struct pd_memcg_node *cn = pd_memcg_node(mc, idx[k]);
		struct pd_prom_label lb[2] = { { "cgroup", cn->path },
					       { "kind", "some" } };

		if (!cn->has_pressure)
			continue;
		pd_common_prom_f64(c, p, lb, 2, cn->pressure.some.avg10 / 100.0);
		if (cn->pressure.full.present) {
			lb[1].value = "full";
			pd_common_prom_f64(c, p, lb, 2,
					   cn->pressure.full.avg10 / 100.0);
		}
	}
	pd_common_prom_family(c, p, "cgroup_oom_kills_total", PD_PROM_COUNTER,
			      "processes OOM-killed in the cgroup since it was made");
	for (k = 0; k < top; k++) {
		const struct pd_memcg_node *cn = pd_memcg_node(mc, idx[k]);
		struct pd_prom_label lb = { "cgroup", cn->path };

		if (cn->ev_has & (1u << PD_MEMCG_EV_OOM_KILL))
			pd_common_prom_u64(c, p, &lb, 1,
					   cn->ev[PD_MEMCG_EV_OOM_KILL]);
	}
	pd_common_prom_family(c, p, "cgroups", PD_PROM_GAUGE,
			      "memory cgroups read");
	pd_common_prom_u64(c, p, NULL, 0, n);
	free(idx);
}

void memwhere_prom(struct ctx *x)
{
	struct pd_prom *p = pd_common_prom_new(&x->o->c);

	if (!p)
		return;
	prom_machine(x, p);
	if (x->o->view == VIEW_NODE)
		prom_nodes(x, p);
	if (x->o->view == VIEW_CGROUP)
		prom_cgroups(x, p);
	pd_common_prom_write(&x->o->c, p);
}
