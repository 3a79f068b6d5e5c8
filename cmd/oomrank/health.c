/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: health of the ranking: -w, -c, --check, --prom-file. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
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

uint64_t oomrank_use_permille(const struct pd_oomdomain *d)
{
	if (!d->has_use || !d->use_max)
		return 0;
	return (uint64_t)((unsigned __int128)d->use * 1000 / d->use_max);
}

/* USE to four decimals of a percent, PD_THRESHOLD_PCT_SCALE units. */
static int64_t use_pct(const struct pd_oomdomain *d)
{
	__int128 v = (__int128)d->use * 100 * PD_THRESHOLD_PCT_SCALE /
		     d->use_max;

	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* The figure of domain D: the first victim's badness, or the use. */
static void figure(const struct opts *o, const struct pd_oomdomain *d,
		   unsigned long ps, struct pd_figure *f)
{
	const struct pd_oomentry *e = first(d);

	f->name = d->cgroup;
	f->has_pct = true;
	if (o->judge == JUDGE_USAGE) {
		if (d->has_use && d->use_max) {
			f->bytes = d->use;
			f->pct = use_pct(d);
		} else {
			f->unknown = true;
		}
	} else if (e) {
		f->bytes = badness_bytes(e->badness, ps);
		f->pct = badness_pct(e->badness, d->totalpages);
	}
}

/* Append to H's text, FMT with its arguments. */
static void text_addf(struct pd_health *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void text_addf(struct pd_health *h, const char *fmt, ...)
{
	size_t len = strlen(h->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->text + len, sizeof(h->text) - len, fmt, ap);
	va_end(ap);
}

/* Append S to H's text with the TSV escape (a comm, a cgroup path). */
static void text_add(struct opts *o, struct pd_health *h, const char *s)
{
	char *esc = pd_escape_tsv(s, strlen(s));

	if (!esc)
		pd_check_alloc(&o->c, -ENOMEM);
	text_addf(h, "%s", esc);
	free(esc);
}

/* "first victim 310 (worker): badness 2.6GiB = 108.3MiB of memory +
 * 2.5GiB for oom_score_adj +500, 52.0867% of RAM+swap": the badness is
 * not memory alone, so its parts are named. */
static void victim_text(struct opts *o, struct pd_oomscan *os,
			struct pd_health *h)
{
	const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
	const struct pd_oomentry *e = first(d);
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	const struct pd_oomproc *p;
	char bad[32], mem[32], adj[32], num[32];
	int64_t pages, adj_pages, b;

	if (!e) {
		text_addf(h, "no process the OOM killer could pick");
		return;
	}
	p = pd_oomscan_proc(os, e->proc);
	pages = pd_oom_task_pages(&p->task, ps);
	adj_pages = e->badness - pages;
	/* a negative badness (a large negative adj) keeps its sign */
	b = e->badness;
	bad[0] = '-';
	pd_health_size(badness_bytes(b < 0 ? -b : b, ps), bad + (b < 0),
		       sizeof(bad) - 1);
	pd_health_size((uint64_t)pages * ps, mem, sizeof(mem));
	pd_health_size((uint64_t)(adj_pages < 0 ? -adj_pages : adj_pages) * ps,
		       adj, sizeof(adj));
	pd_threshold_format_pct(h->figs[0].pct, num, sizeof(num));
	text_addf(h, "first victim %d (", (int)p->pid);
	text_add(o, h, p->comm);
	if (adj_pages)
		text_addf(h, "): badness %s = %s of memory %s %s for "
			  "oom_score_adj %+d, %s%% of RAM+swap", bad, mem,
			  adj_pages < 0 ? "-" : "+", adj, p->task.adj, num);
	else
		text_addf(h, "): badness %s, all of it memory, %s%% of "
			  "RAM+swap", bad, num);
}

/* "14.9261% of RAM+swap in use (3.5GiB of 23.5GiB)" */
static void usage_text(struct pd_oomscan *os, struct pd_health *h)
{
	const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
	char used[32], max[32], num[32];

	if (h->figs[0].unknown) {
		text_addf(h, "the memory in use is unknown (no MemAvailable "
			  "in meminfo)");
		return;
	}
	pd_health_size(d->use, used, sizeof(used));
	pd_health_size(d->use_max, max, sizeof(max));
	pd_threshold_format_pct(h->figs[0].pct, num, sizeof(num));
	text_addf(h, "%s%% of RAM+swap in use (%s of %s)", num, used, max);
}

/* One cgroup of a list: "/batch 90.5% of its limit" (usage) or
 * "/a 55.2581%" (the first victim's share). */
static void cgroup_item(struct opts *o, struct pd_health *h,
			const struct pd_figure *f)
{
	char num[32];

	text_add(o, h, f->name);
	if (f->unknown) {
		text_addf(h, " unknown (no memory.stat)");
		return;
	}
	pd_threshold_format_pct(f->pct, num, sizeof(num));
	text_addf(h, " %s%%%s", num, o->judge == JUDGE_USAGE ?
		  " of its limit" : "");
}

static void cgroups_text(struct opts *o, struct pd_health *h)
{
	unsigned nunknown = 0;
	size_t i, k, fullest = SIZE_MAX;

	for (i = 0; i < h->nfigs; i++) {
		if (h->figs[i].unknown)
			nunknown++;
		else if (fullest == SIZE_MAX ||
			 h->figs[i].pct > h->figs[fullest].pct)
			fullest = i;
	}
	if (!h->nfigs) {
		text_addf(h, "no memory-limited cgroup");
		return;
	}
	if (!h->nwarn && !h->ncrit) {
		text_addf(h, "%zu memory cgroups ranked, none over a "
			  "threshold", h->nfigs);
		if (o->judge == JUDGE_USAGE && fullest != SIZE_MAX) {
			text_addf(h, "; the fullest: ");
			cgroup_item(o, h, &h->figs[fullest]);
		}
	} else {
		text_addf(h, "%u of %zu memory cgroups over a threshold",
			  h->nwarn + h->ncrit, h->nfigs);
		for (i = 0, k = 0; i < h->nfigs; i++) {
			if (h->figs[i].status != PD_STATUS_WARNING &&
			    h->figs[i].status != PD_STATUS_CRITICAL)
				continue;
			if (k++ == 3) {
				text_addf(h, ", ...");
				break;
			}
			text_addf(h, "%s", k == 1 ? ": " : ", ");
			cgroup_item(o, h, &h->figs[i]);
		}
	}
	if (nunknown && pd_common_has_threshold(&o->c))
		for (i = 0, k = 0; i < h->nfigs; i++) {
			if (!h->figs[i].unknown)
				continue;
			if (k++ == 3) {
				text_addf(h, ", ...");
				break;
			}
			text_addf(h, "%s", k == 1 ? "; cannot judge: " : ", ");
			cgroup_item(o, h, &h->figs[i]);
		}
}

/* The headline: per ranking, the first victim's share of its memory, or
 * the memory in use against what it may hold (--judge). */
void oomrank_health(struct opts *o, struct pd_oomscan *os,
		    struct pd_health *h)
{
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i, n = 0;

	h->nfigs = oomrank_dom_end(o, os) - oomrank_dom_first(o);
	h->figs = pd_xcalloc(h->nfigs, sizeof(*h->figs));
	for (i = oomrank_dom_first(o); i < oomrank_dom_end(o, os); i++, n++)
		figure(o, pd_oomscan_domain(os, i), ps, &h->figs[n]);
	if (o->judge == JUDGE_USAGE) {
		h->perf = "in_use";
		h->perf_pct = "use";
	} else {
		h->perf = "top_badness";
		h->perf_pct = "top_share";
	}
	h->groups = o->cgroups ? "memory cgroups" : NULL;
	/* the use comes from the cgroup files and meminfo, whole whatever
	 * processes the view misses: a partial view judges it all the same */
	if (o->judge == JUDGE_USAGE) {
		h->partial.hidepid = PD_HIDEPID_OFF;
		h->partial.denied = h->partial.failed = 0;
	}
	pd_health_eval(&o->c, h);
	h->text[0] = '\0';
	if (o->cgroups)
		cgroups_text(o, h);
	else if (o->judge == JUDGE_USAGE)
		usage_text(os, h);
	else
		victim_text(o, os, h);
}

/*
 * --prom-file: the machine's first victim (score, share, bytes; its
 * command in an info gauge, one series), the eligible count, and with
 * --cgroup how many cgroups are limited and the largest first-victim
 * share and the largest use among them: cgroup paths are unbounded, so
 * never a label.
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
		double max = 0, use_max = 0;

		for (i = 1; i < pd_oomscan_ndomains(os); i++) {
			const struct pd_oomdomain *c = pd_oomscan_domain(os, i);
			const struct pd_oomentry *ce = first(c);
			double v = ce && c->totalpages ? (double)ce->badness /
				   (double)c->totalpages : 0;

			if (v > max)
				max = v;
			v = c->has_use && c->use_max ? (double)c->use /
			    (double)c->use_max : 0;
			if (v > use_max)
				use_max = v;
		}
		pd_common_prom_family(&o->c, p, "limited_cgroups", PD_PROM_GAUGE,
				      "memory cgroups ranked (--cgroup)");
		pd_common_prom_u64(&o->c, p, NULL, 0, h->nfigs);
		pd_common_prom_family(&o->c, p, "cgroup_top_share_ratio_max",
				      PD_PROM_GAUGE, "the largest first-victim "
				      "badness over its cgroup's limit");
		pd_common_prom_f64(&o->c, p, NULL, 0, max);
		pd_common_prom_family(&o->c, p, "cgroup_use_ratio_max",
				      PD_PROM_GAUGE, "the largest memory in use "
				      "(working set and swap) over what its "
				      "cgroup may hold before its OOM");
		pd_common_prom_f64(&o->c, p, NULL, 0, use_max);
	}
	pd_common_prom_write(&o->c, p);
}
