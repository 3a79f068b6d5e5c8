/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: health of the ranking: -w, -c, --check, --prom-file. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomrank.h"

/* The first victim of D, or NULL when nothing can be picked. */
static const struct pd_oomentry *first(const struct pd_oomdomain *d)
{
	return d->ncandidates && d->entries[0].rank == 1 ? &d->entries[0] :
	       NULL;
}

/* BADNESS in bytes, saturated (hostile status values), and at least 0. */
static uint64_t badness_bytes(int64_t badness, unsigned long ps)
{
	int64_t bytes;

	if (badness <= 0)
		return 0;
	if (__builtin_mul_overflow(badness, (int64_t)ps, &bytes))
		return INT64_MAX;
	return (uint64_t)bytes;
}

/* BADNESS as a share of TOTALPAGES, in PD_THRESHOLD_PCT_SCALE units of a
 * percent: the SHARE column (thousandths) to four decimals. */
static int64_t badness_pct(int64_t badness, uint64_t totalpages)
{
	__int128 v;

	if (!totalpages)
		return 0;
	v = (__int128)badness * 100 * PD_THRESHOLD_PCT_SCALE / totalpages;
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}

/* The domains judged: the machine, or with --cgroup each limited cgroup. */
size_t oomrank_dom_first(const struct opts *o)
{
	return o->cgroups ? 1 : 0;
}

size_t oomrank_dom_end(const struct opts *o, const struct pd_oomscan *os)
{
	return o->cgroups ? pd_oomscan_ndomains(os) : 1;
}

/* The headline: the first victim's share of its ranking's memory. */
void oomrank_health(struct opts *o, struct pd_oomscan *os,
		    struct pd_health *h)
{
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i, n = 0, k, len;
	char size[32], num[32], *esc;

	h->nfigs = oomrank_dom_end(o, os) - oomrank_dom_first(o);
	h->figs = pd_xcalloc(h->nfigs, sizeof(*h->figs));
	for (i = oomrank_dom_first(o); i < oomrank_dom_end(o, os); i++, n++) {
		const struct pd_oomdomain *d = pd_oomscan_domain(os, i);
		const struct pd_oomentry *e = first(d);

		h->figs[n].name = d->cgroup;
		h->figs[n].has_pct = true;
		if (e) {
			h->figs[n].bytes = badness_bytes(e->badness, ps);
			h->figs[n].pct = badness_pct(e->badness, d->totalpages);
		}
	}
	h->perf = "top_badness";
	h->perf_pct = "top_share";
	h->groups = o->cgroups ? "memory cgroups" : NULL;
	pd_health_eval(&o->c, h);
	if (!o->cgroups) {
		const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
		const struct pd_oomentry *e = first(d);
		const struct pd_oomproc *p;

		if (!e) {
			snprintf(h->text, sizeof(h->text),
				 "no process the OOM killer could pick");
			return;
		}
		p = pd_oomscan_proc(os, e->proc);
		esc = pd_escape_tsv(p->comm, strlen(p->comm));
		if (!esc)
			pd_check_alloc(&o->c, -ENOMEM);
		pd_health_size(h->figs[0].bytes, size, sizeof(size));
		pd_threshold_format_pct(h->figs[0].pct, num, sizeof(num));
		snprintf(h->text, sizeof(h->text), "first victim %d (%s) "
			 "holds %s%% of RAM+swap (%s)", (int)p->pid, esc, num,
			 size);
		free(esc);
		return;
	}
	if (!h->nfigs) {
		snprintf(h->text, sizeof(h->text), "no memory-limited cgroup");
		return;
	}
	if (!h->nwarn && !h->ncrit) {
		snprintf(h->text, sizeof(h->text), "%zu memory cgroups ranked, "
			 "none over a threshold", h->nfigs);
		return;
	}
	len = (size_t)snprintf(h->text, sizeof(h->text),
			       "%u of %zu memory cgroups over a threshold",
			       h->nwarn + h->ncrit, h->nfigs);
	for (i = 0, k = 0; i < h->nfigs && len < sizeof(h->text); i++) {
		if (h->figs[i].status == PD_STATUS_OK)
			continue;
		if (k++ == 3) {
			snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		esc = pd_escape_tsv(h->figs[i].name, strlen(h->figs[i].name));
		if (!esc)
			pd_check_alloc(&o->c, -ENOMEM);
		pd_threshold_format_pct(h->figs[i].pct, num, sizeof(num));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					"%s %s %s%%", k == 1 ? ":" : ",", esc,
					num);
		free(esc);
	}
}

/*
 * --prom-file: the machine's first victim (score, share, bytes; its
 * command in an info gauge, one series), the eligible count, and with
 * --cgroup how many cgroups are limited and the largest first-victim
 * share among them: cgroup paths are unbounded, so never a label.
 */
void oomrank_prom(struct opts *o, struct pd_oomscan *os,
		  const struct pd_health *h)
{
	const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
	const struct pd_oomentry *e = first(d);
	struct pd_prom *p = pd_common_prom_new(&o->c);
	const struct pd_oomproc *top = e ? pd_oomscan_proc(os, e->proc) : NULL;
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i;

	if (!p)
		return;
	pd_common_prom_family(&o->c, p, "eligible_processes", PD_PROM_GAUGE,
			      "processes the OOM killer may pick");
	pd_common_prom_u64(&o->c, p, NULL, 0, d->ncandidates);
	if (top) {
		struct pd_prom_label l = { "command", top->comm };

		pd_common_prom_family(&o->c, p, "top_score", PD_PROM_GAUGE,
				      "oom_score of the first victim, recomputed");
		pd_common_prom_u64(&o->c, p, NULL, 0, top->score);
		pd_common_prom_family(&o->c, p, "top_share_ratio", PD_PROM_GAUGE,
				      "the first victim's badness over RAM+swap");
		pd_common_prom_f64(&o->c, p, NULL, 0, d->totalpages ?
				   (double)e->badness / (double)d->totalpages : 0);
		pd_common_prom_family(&o->c, p, "top_badness_bytes", PD_PROM_GAUGE,
				      "the first victim's badness in bytes (0 when negative)");
		pd_common_prom_u64(&o->c, p, NULL, 0, badness_bytes(e->badness, ps));
		pd_common_prom_family(&o->c, p, "top_info", PD_PROM_GAUGE,
				      "the first victim's command");
		pd_common_prom_u64(&o->c, p, &l, 1, 1);
	}
	if (o->cgroups) {
		double max = 0;

		for (i = 1; i < pd_oomscan_ndomains(os); i++) {
			const struct pd_oomdomain *c = pd_oomscan_domain(os, i);
			const struct pd_oomentry *ce = first(c);
			double v = ce && c->totalpages ? (double)ce->badness /
				   (double)c->totalpages : 0;

			if (v > max)
				max = v;
		}
		pd_common_prom_family(&o->c, p, "limited_cgroups", PD_PROM_GAUGE,
				      "memory cgroups ranked (--cgroup)");
		pd_common_prom_u64(&o->c, p, NULL, 0, h->nfigs);
		pd_common_prom_family(&o->c, p, "cgroup_top_share_ratio_max",
				      PD_PROM_GAUGE, "the largest first-victim "
				      "badness over its cgroup's limit");
		pd_common_prom_f64(&o->c, p, NULL, 0, max);
	}
	pd_common_prom_write(&o->c, p);
}
