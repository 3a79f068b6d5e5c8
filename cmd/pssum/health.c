/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: health of the groups: -w, -c, --check, --prom-file. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pssum.h"

/* The value of key K of group G, as the report shows it ("" unknown). */
static const char *key_value(const struct pd_pssgroup *g, enum pd_pss_key k,
			     char *buf, size_t n)
{
	const struct pd_pssproc *p = g->proc;
	const char *v = NULL;

	switch (k) {
	case PD_PSS_KEY_PID:
		snprintf(buf, n, "%d", (int)p->pid);
		return buf;
	case PD_PSS_KEY_PPID:
		snprintf(buf, n, "%d", (int)p->ppid);
		return buf;
	case PD_PSS_KEY_COMMAND: v = p->comm; break;
	case PD_PSS_KEY_EXE: v = p->exe; break;
	case PD_PSS_KEY_USER:
		if (p->user)
			return p->user;
		snprintf(buf, n, "%u", (unsigned)p->uid);
		return buf;
	case PD_PSS_KEY_CGROUP: v = p->cgroup; break;
	case PD_PSS_KEY_UNIT: v = p->unit; break;
	case PD_PSS_KEY_CONTAINER:
		v = pd_cgname_container_text(&p->name, buf, n);
		break;
	case PD_PSS_KEY_POD: v = pd_cgname_pod_text(&p->name, buf, n); break;
	}
	return v ? v : "";
}

/* A group as the --check line names it: its keys joined by '/' (a pid
 * with its command), escaped so the line stays one line. */
static void group_name(const struct ctx *x, const struct pd_pssgroup *g,
		       char *buf, size_t n)
{
	char val[PD_CGNAME_TEXT_SIZE], *esc;
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < x->o->nkeys && len < n; i++) {
		enum pd_pss_key k = pssum_keys[x->o->key[i]].key;
		const char *v = key_value(g, k, val, sizeof(val));

		esc = pd_escape_tsv(v, strlen(v));
		if (!esc)
			pd_check_alloc(&x->o->c, -ENOMEM);
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "/" : "", esc);
		free(esc);
		if (k == PD_PSS_KEY_PID && len < n) {
			esc = pd_escape_tsv(g->proc->comm, strlen(g->proc->comm));
			if (!esc)
				pd_check_alloc(&x->o->c, -ENOMEM);
			len += (size_t)snprintf(buf + len, n - len, "(%s)", esc);
			free(esc);
		}
	}
}

/* "processes", "command groups", "command,user groups"; one: "process". */
static void groups_word(const struct opts *o, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;

	if (o->nkeys == 1 && pssum_keys[o->key[0]].key == PD_PSS_KEY_PID) {
		snprintf(buf, size, n == 1 ? "process" : "processes");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < o->nkeys; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "",
					pssum_keys[o->key[i]].name);
	snprintf(buf + len, size - len, n == 1 ? " group" : " groups");
}

/* What a group is ranked by: its PSS, or with --diff its PSS growth. */
static int64_t rank_value(const struct ctx *x, size_t i)
{
	const struct pd_pssgroup *g = pd_pscan_group(x->ps, i);

	if (x->base)
		return g->growth.known[PD_PSSBASE_PSS] ?
		       g->growth.v[PD_PSSBASE_PSS] : INT64_MIN;
	return g->sm.pss > INT64_MAX ? INT64_MAX : (int64_t)g->sm.pss;
}

/* Sort group indexes by rank_value(), largest first (ties by index). */
static int by_rank(const void *a, const void *b, void *arg)
{
	const struct ctx *x = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int64_t pi = rank_value(x, i), pj = rank_value(x, j);

	if (pi != pj)
		return pi > pj ? -1 : 1;
	return i < j ? -1 : i > j;
}

static size_t *groups_by_pss(const struct ctx *x)
{
	size_t n = pd_pscan_ngroups(x->ps), i;
	size_t *idx = pd_xcalloc(n, sizeof(*idx));

	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), by_rank, (void *)x);
	return idx;
}

/*
 * Group I's figure: its PSS; with --diff its PSS growth (0 when it
 * shrank: a threshold on growth never alerts on a group getting
 * smaller) and, for a group the file has with some PSS, that growth as
 * a share of what it had.
 */
static void group_figure(const struct ctx *x, size_t i, struct pd_figure *f)
{
	const struct pd_pssgroup *g = pd_pscan_group(x->ps, i);
	int64_t d, was;

	memset(f, 0, sizeof(*f));
	if (!x->base) {
		f->bytes = g->sm.pss;
		return;
	}
	if (!g->growth.known[PD_PSSBASE_PSS]) {
		f->unknown = true;
		return;
	}
	d = g->growth.v[PD_PSSBASE_PSS];
	f->bytes = d > 0 ? (uint64_t)d : 0;
	was = (int64_t)g->sm.pss - d;
	if (!g->growth.is_new && was > 0) {
		f->has_pct = true;
		f->pct = (int64_t)((__int128)(int64_t)f->bytes * 100 *
				   PD_THRESHOLD_PCT_SCALE / was);
	}
}

/* "+16MiB (+40%)", "+37.2MiB (new)", "-100KiB": group I's growth. */
static void growth_words(const struct ctx *x, size_t i, char *buf, size_t n)
{
	const struct pd_pssgroup *g = pd_pscan_group(x->ps, i);
	int64_t d = g->growth.v[PD_PSSBASE_PSS];
	char size[32], pct[32];
	struct pd_figure f;

	if (!g->growth.known[PD_PSSBASE_PSS]) {
		snprintf(buf, n, "growth unknown");
		return;
	}
	pd_health_size(d < 0 ? (uint64_t)-d : (uint64_t)d, size,
		       sizeof(size));
	group_figure(x, i, &f);
	if (g->growth.is_new) {
		snprintf(buf, n, "+%s (new)", size);
	} else if (f.has_pct) {
		pd_threshold_format_pct(f.pct, pct, sizeof(pct));
		snprintf(buf, n, "%s%s (+%s%%)", d < 0 ? "-" : "+", size, pct);
	} else {
		snprintf(buf, n, "%s%s", d < 0 ? "-" : "+", size);
	}
}

/* The headline: each group's PSS; the --check words name the groups
 * over a threshold, or the largest. */
void pssum_health(struct ctx *x)
{
	struct pd_health *h = &x->health;
	size_t n = pd_pscan_ngroups(x->ps), i, k, len, named_n = 0;
	size_t *idx;
	char word[96], name[128], value[96];

	x->figs = pd_xcalloc(n, sizeof(*x->figs));
	for (i = 0; i < n; i++)
		group_figure(x, i, &x->figs[i]);
	h->perf = x->base ? "largest_growth" : "largest_pss";
	h->perf_pct = x->base ? "largest_growth_share" : NULL;
	h->figs = x->figs;
	h->nfigs = n;
	h->groups = "groups";
	pd_health_eval(&x->o->c, h);
	groups_word(x->o, n, word, sizeof(word));
	idx = groups_by_pss(x);
	if (h->nwarn + h->ncrit)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%u of %zu %s %sover a threshold:",
				       h->nwarn + h->ncrit, n, word,
				       x->base ? "grew " : "");
	else
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu %s, the %s:", n, word,
				       x->base ? "fastest growing" :
				       "largest");
	for (k = 0; k < n && len < sizeof(h->text); k++) {
		i = idx[k];
		if (h->nwarn + h->ncrit ? x->figs[i].status == PD_STATUS_OK :
		    k > 0)
			continue;
		if (named_n == 3) {
			len += (size_t)snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		group_name(x, pd_pscan_group(x->ps, i), name, sizeof(name));
		if (x->base)
			growth_words(x, i, value, sizeof(value));
		else
			pd_health_size(x->figs[i].bytes, value, sizeof(value));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					"%s %s %s", named_n ? "," : "", name, value);
		named_n++;
	}
	if (!n) {
		groups_word(x->o, 2, word, sizeof(word));
		snprintf(h->text, sizeof(h->text), "no %s", word);
	}
	free(idx);
}

/* --prom-file: the first -N groups by PSS (20 by default) and the rest
 * summed as "(other processes)": no comm is that long (15 bytes at most),
 * no user or unit name has spaces. */
void pssum_prom(struct ctx *x)
{
	static const struct {
		const char *what, *help;
	} fam[] = {
		{ "pss_bytes", "proportional set size: shared pages split among their users" },
		{ "rss_bytes", "resident set size, shared pages counted in full" },
		{ "uss_bytes", "unique set size: pages no other process maps" },
		{ "swap_bytes", "swapped out" },
		{ "processes", "processes in the group" },
	};
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	struct pd_prom *p = pd_common_prom_new(&x->o->c);
	size_t n = pd_pscan_ngroups(x->ps), top, f, k, i;
	char vals[NKEYS_MAX][64];
	struct pd_prom_label l[NKEYS_MAX];
	size_t *idx;

	if (!p)
		return;
	top = x->o->c.print.limit ? x->o->c.print.limit : 20;
	if (top > n)
		top = n;
	idx = groups_by_pss(x);
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		uint64_t rest;

		pd_common_prom_family(&x->o->c, p, fam[f].what, PD_PROM_GAUGE,
				      fam[f].help);
		rest = f == 0 ? t->sm.pss : f == 1 ? t->sm.rss :
		       f == 2 ? pd_smaps_uss(&t->sm) : f == 3 ? t->sm.swap :
		       t->nprocs;
		for (k = 0; k < top; k++) {
			const struct pd_pssgroup *g = pd_pscan_group(x->ps, idx[k]);
			uint64_t v = f == 0 ? g->sm.pss : f == 1 ? g->sm.rss :
				     f == 2 ? pd_smaps_uss(&g->sm) :
				     f == 3 ? g->sm.swap : g->nprocs;

			for (i = 0; i < x->o->nkeys; i++) {
				l[i].name = pssum_keys[x->o->key[i]].name;
				l[i].value = key_value(g,
						pssum_keys[x->o->key[i]].key,
						vals[i], sizeof(vals[i]));
			}
			pd_common_prom_u64(&x->o->c, p, l, x->o->nkeys, v);
			rest = rest > v ? rest - v : 0;
		}
		if (top < n) {
			for (i = 0; i < x->o->nkeys; i++)
				l[i].value = "(other processes)";
			pd_common_prom_u64(&x->o->c, p, l, x->o->nkeys, rest);
		}
	}
	pd_common_prom_family(&x->o->c, p, "unreadable_processes",
			      PD_PROM_GAUGE, "processes whose memory could not "
			      "be read: the figures are a lower bound when not 0");
	pd_common_prom_u64(&x->o->c, p, NULL, 0, pd_pscan_missing(x->ps));
	free(idx);
	pd_common_prom_write(&x->o->c, p);
}
