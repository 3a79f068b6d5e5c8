/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the health judgement (thresholds, --check) and --prom-file. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "cli.h"
#include "dfdu.h"

/*
 * Health: each file system shown has one figure per kind --judge names
 * (deleted, hidden, unexplained, gap in bytes and as a % of SIZE, a
 * negative one counting as 0; inodes used and as a % of INODES). A
 * figure is exact, or known to lie between two ends (the upper one may
 * be open): a deleted file of unknown size, processes that could not be
 * read, hidden files without root, a part of FSSPECIFIC without root,
 * what unreadable directories hold. Such a figure is judged only when
 * both ends (and so everything between) get one state; else it is
 * UNKNOWN. Knowing nothing at all (no gap, or at least 0 and no upper
 * end) is UNKNOWN under any threshold.
 */
#define OPEN_END UINT64_MAX

struct span {
	bool none;		/* nothing known */
	uint64_t lo, hi;	/* hi OPEN_END: no upper end */
	bool has_pct;
	int64_t plo, phi;	/* in PD_THRESHOLD_PCT_SCALE units */
};

static uint64_t clip0(int64_t v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

/* V as a share of BASE, in PD_THRESHOLD_PCT_SCALE units. */
static int64_t share(uint64_t v, uint64_t base)
{
	__int128 p;

	if (v == OPEN_END)
		return INT64_MAX;
	p = (__int128)v * 100 * PD_THRESHOLD_PCT_SCALE / base;
	return p > INT64_MAX ? INT64_MAX : (int64_t)p;
}

static struct span span_of(const struct pd_dffs *fs, unsigned kind)
{
	struct span sp = { .none = true };
	uint64_t base = fs->df_why ? 0 : fs->space.size;

	switch (kind) {
	case JUDGE_DELETED:
		sp.lo = fs->deleted;
		sp.hi = fs->deleted_why ? OPEN_END : fs->deleted;
		break;
	case JUDGE_HIDDEN:
		sp.lo = fs->hidden;
		sp.hi = fs->hidden_why ? OPEN_END : fs->hidden;
		break;
	case JUDGE_UNEXPLAINED:
		if (!fs->gap_known)
			return sp;
		sp.lo = fs->unexplained_b.has_min ?
			clip0(fs->unexplained_b.min) : 0;
		sp.hi = fs->unexplained_b.has_max ?
			clip0(fs->unexplained_b.max) : OPEN_END;
		break;
	case JUDGE_GAP:
		if (!fs->gap_known)
			return sp;
		sp.lo = sp.hi = clip0(fs->gap);
		break;
	case JUDGE_INODES:
		if (fs->df_why)
			return sp;
		sp.lo = sp.hi = fs->space.iused;
		base = fs->space.inodes;
		break;
	}
	sp.none = sp.lo == 0 && sp.hi == OPEN_END;
	if (base) {
		sp.has_pct = true;
		sp.plo = share(sp.lo, base);
		sp.phi = share(sp.hi, base);
	}
	return sp;
}

/* Where V lies against range T: 0 below its start, 1 in it, 2 past it. */
static int region(const struct pd_threshold *t, int64_t v)
{
	if (!t->lo_inf && v < t->lo)
		return 0;
	if (!t->hi_inf && v > t->hi)
		return 2;
	return 1;
}

/* Do LO and HI (and so everything between) get one state from the
 * thresholds in UNIT? */
static bool settled(const struct pd_common *c, enum pd_threshold_unit unit,
		    int64_t lo, int64_t hi)
{
	if (c->has_warn && c->warn.unit == unit &&
	    region(&c->warn, lo) != region(&c->warn, hi))
		return false;
	if (c->has_crit && c->crit.unit == unit &&
	    region(&c->crit, lo) != region(&c->crit, hi))
		return false;
	return true;
}

static int64_t s64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* CRITICAL > WARNING > UNKNOWN > OK. */
static int severity(enum pd_status s)
{
	static const int sev[] = {
		[PD_STATUS_OK] = 0, [PD_STATUS_UNKNOWN] = 1,
		[PD_STATUS_WARNING] = 2, [PD_STATUS_CRITICAL] = 3,
	};

	return sev[s];
}

static const char *const perf_names[JUDGE_NKINDS][2] = {
	{ "deleted_bytes", "deleted_pct" },
	{ "hidden_bytes", "hidden_pct" },
	{ "unexplained_bytes", "unexplained_pct" },
	{ "gap_bytes", "gap_pct" },
	{ "inodes_used", "inodes_pct" },
};

static unsigned kind_index(unsigned kind)
{
	unsigned i = 0;

	while (kind > 1) {
		kind >>= 1;
		i++;
	}
	return i;
}

/* Why figure KIND of FS cannot be judged, for the --check words. */
static void unknown_why(const struct pd_dffs *fs, unsigned kind, char *buf,
			size_t n)
{
	switch (kind) {
	case JUDGE_DELETED:
		snprintf(buf, n, "%s", fs->deleted_why == PD_DF_NEEDS_ROOT ?
			 "processes that could not be read: needs root" :
			 dfdu_why_text(fs->deleted_why, 0));
		return;
	case JUDGE_HIDDEN:
		snprintf(buf, n, "hidden files %s",
			 dfdu_why_text(fs->hidden_why, fs->hidden_err));
		return;
	case JUDGE_INODES:
		snprintf(buf, n, "%s", dfdu_why_text(fs->df_why, fs->df_err));
		return;
	}
	if (!fs->gap_known) {
		snprintf(buf, n, "%s", fs->df_why ?
			 dfdu_why_text(fs->df_why, fs->df_err) :
			 dfdu_why_text(fs->walk_why, fs->walk_err));
		return;
	}
	dfdu_unknown_words(fs, buf, n);
}

/* " /srv 1.2GiB (1.25%)": figure K as the --check words name it (NAME:
 * with its kind). */
static void fig_words(const struct opts *o, const struct health *x,
		      size_t k, bool mount, bool name, char *buf, size_t n)
{
	const struct pd_figure *f = &x->figs[k];
	char size[32], pct[32], *esc = NULL;
	size_t len = 0;

	if (mount) {
		esc = pd_escape_tsv(f->name, strlen(f->name));
		if (!esc)
			pd_check_alloc(&o->c, -ENOMEM);
	}
	if (x->kind[k] == JUDGE_INODES)
		snprintf(size, sizeof(size), "%" PRIu64, f->bytes);
	else
		pd_health_size(f->bytes, size, sizeof(size));
	len = (size_t)snprintf(buf, n, "%s%s%s%s %s%s", mount ? " " : "",
			       mount ? esc : "", name ? " " : "",
			       name ? dfdu_judge_name(x->kind[k]) : "",
			       x->upper[k] ? "at most " :
			       x->lower[k] ? "at least " : "", size);
	if (f->has_pct && len < n) {
		pd_threshold_format_pct(f->pct, pct, sizeof(pct));
		snprintf(buf + len, n - len, " (%s%%)", pct);
	}
	free(esc);
}

void dfdu_health_release(struct health *x)
{
	free(x->figs);
	free(x->fsi);
	free(x->kind);
	free(x->lower);
	free(x->upper);
	free(x->fs_status);
}

/* Append to H's text; false once it is full. */
static bool add(struct pd_health *h, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool add(struct pd_health *h, size_t *len, const char *fmt, ...)
{
	va_list ap;

	if (*len >= sizeof(h->text))
		return false;
	va_start(ap, fmt);
	*len += (size_t)vsnprintf(h->text + *len, sizeof(h->text) - *len, fmt,
				  ap);
	va_end(ap);
	return *len < sizeof(h->text);
}

void dfdu_health(const struct opts *o, const struct pd_dfscan *ds,
		 const bool *shown, struct health *x)
{
	struct pd_health *h = &x->h;
	size_t nfs = pd_dfscan_nfs(ds), n = 0, nshown = 0, i, k, len = 0;
	unsigned nkinds = 0, nunknown_fs = 0, named = 0, kinds[JUDGE_NKINDS];
	unsigned bit, j;
	char words[256], why[512];
	bool one_kind, any = false, seen_unknown = false;

	for (bit = 1; bit < 1u << JUDGE_NKINDS; bit <<= 1)
		if (o->judge & bit)
			kinds[nkinds++] = bit;
	one_kind = nkinds == 1;
	x->figs = pd_xcalloc(nfs * nkinds + 1, sizeof(*x->figs));
	x->fsi = pd_xcalloc(nfs * nkinds + 1, sizeof(*x->fsi));
	x->kind = pd_xcalloc(nfs * nkinds + 1, sizeof(*x->kind));
	x->lower = pd_xcalloc(nfs * nkinds + 1, sizeof(*x->lower));
	x->upper = pd_xcalloc(nfs * nkinds + 1, sizeof(*x->upper));
	x->fs_status = pd_xcalloc(nfs + 1, sizeof(*x->fs_status));
	for (i = 0; i < nfs; i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

		if (!shown[i])
			continue;
		nshown++;
		for (j = 0; j < nkinds; j++) {
			struct pd_figure *f = &x->figs[n];
			struct span sp = span_of(fs, kinds[j]);
			bool ok;

			x->fsi[n] = i;
			x->kind[n] = kinds[j];
			f->name = fs->mount;
			f->perf = perf_names[kind_index(kinds[j])][0];
			f->perf_pct = perf_names[kind_index(kinds[j])][1];
			f->count = kinds[j] == JUDGE_INODES;
			n++;
			if (sp.none) {
				f->unknown = true;
				continue;
			}
			f->bytes = sp.hi == OPEN_END ? sp.lo : sp.hi;
			f->has_pct = sp.has_pct;
			f->pct = sp.hi == OPEN_END ? sp.plo : sp.phi;
			x->lower[n - 1] = sp.hi == OPEN_END;
			x->upper[n - 1] = sp.hi != OPEN_END && sp.lo < sp.hi;
			ok = settled(&o->c, PD_THRESHOLD_BYTES, s64(sp.lo),
				     s64(sp.hi));
			if (sp.has_pct)
				ok = ok && settled(&o->c, PD_THRESHOLD_PERCENT,
						   sp.plo, sp.phi);
			if (!ok)
				f->unknown = true;
		}
	}
	h->perf = perf_names[kind_index(kinds[0])][0];
	h->perf_pct = perf_names[kind_index(kinds[0])][1];
	h->groups = "file systems";
	h->figs = x->figs;
	h->nfigs = n;
	h->ngroups = nshown;
	x->figs_known = false;
	for (k = 0; k < n; k++)
		x->figs_known |= !x->figs[k].unknown;
	/* not one figure known: --check is UNKNOWN even without -w/-c */
	h->unknown = n && !x->figs_known;
	pd_health_eval(&o->c, h);
	/* a file system's state is its worst figure's */
	h->nwarn = h->ncrit = 0;
	for (k = 0; k < n; k++) {
		enum pd_status *st = &x->fs_status[x->fsi[k]];

		if (k == 0 || x->fsi[k] != x->fsi[k - 1])
			*st = PD_STATUS_OK;
		if (severity(x->figs[k].status) > severity(*st))
			*st = x->figs[k].status;
	}
	for (i = 0; i < nfs; i++) {
		if (!shown[i])
			continue;
		h->nwarn += x->fs_status[i] == PD_STATUS_WARNING;
		h->ncrit += x->fs_status[i] == PD_STATUS_CRITICAL;
	}
	for (k = 0; k < n; k++) {
		bool first = k == 0 || x->fsi[k] != x->fsi[k - 1];

		any |= !x->figs[k].unknown;
		/* each file system once, at its first unknown figure */
		if (first)
			seen_unknown = false;
		if (x->figs[k].unknown && !seen_unknown) {
			seen_unknown = true;
			nunknown_fs++;
		}
	}

	if (!n) {
		snprintf(h->text, sizeof(h->text), "no file system to judge");
		return;
	}
	if (h->nwarn + h->ncrit) {
		add(h, &len, "%u of %zu file system%s over a threshold%s%s:",
		    h->nwarn + h->ncrit, nshown, nshown == 1 ? "" : "s",
		    one_kind ? ", " : "",
		    one_kind ? dfdu_judge_name(kinds[0]) : "");
		for (k = 0; k < n; k++) {
			const struct pd_figure *f = &x->figs[k];
			bool first = k == 0 || x->fsi[k] != x->fsi[k - 1];

			if (f->status != PD_STATUS_WARNING &&
			    f->status != PD_STATUS_CRITICAL)
				continue;
			/* the first figure over of its file system? */
			for (i = k; i > 0 && x->fsi[i - 1] == x->fsi[k]; i--)
				if (x->figs[i - 1].status == PD_STATUS_WARNING ||
				    x->figs[i - 1].status == PD_STATUS_CRITICAL)
					break;
			first = i == 0 || x->fsi[i - 1] != x->fsi[k];
			if (first && named++ == 3) {
				add(h, &len, ", ...");
				break;
			}
			fig_words(o, x, k, first, !one_kind, words,
				  sizeof(words));
			if (!add(h, &len, "%s%s", first ? (named > 1 ?
				 one_kind ? "," : ";" : "") : ",", words))
				break;
		}
	} else if (h->status == PD_STATUS_UNKNOWN && nunknown_fs) {
		add(h, &len, "unknown on %u of %zu file system%s:",
		    nunknown_fs, nshown, nshown == 1 ? "" : "s");
		for (k = 0; k < n; k++) {
			const struct pd_figure *f = &x->figs[k];
			const struct pd_dffs *fs = pd_dfscan_fs(ds, x->fsi[k]);
			bool first;

			if (!f->unknown)
				continue;
			/* the first unknown figure of its file system? */
			for (i = k; i > 0 && x->fsi[i - 1] == x->fsi[k]; i--)
				if (x->figs[i - 1].unknown)
					break;
			first = i == 0 || x->fsi[i - 1] != x->fsi[k];
			if (first && named++ == 3) {
				add(h, &len, ", ...");
				break;
			}
			unknown_why(fs, x->kind[k], why, sizeof(why));
			if (!span_of(fs, x->kind[k]).none) {
				fig_words(o, x, k, first, !one_kind, words,
					  sizeof(words));
				if (!add(h, &len, "%s%s: %s", named > 1 ||
					 !first ? first && !one_kind ? ";" :
					 "," : "", words, why))
					break;
			} else {
				char *esc = pd_escape_tsv(fs->mount,
							  strlen(fs->mount));
				bool more;

				if (!esc)
					pd_check_alloc(&o->c, -ENOMEM);
				more = add(h, &len, "%s%s%s%s%s (%s)",
					   named > 1 || !first ? first &&
					   !one_kind ? ";" : "," : "",
					   first ? " " : "", first ? esc : "",
					   one_kind ? "" : " ",
					   one_kind ? "" :
					   dfdu_judge_name(x->kind[k]), why);
				free(esc);
				if (!more)
					break;
			}
		}
	} else if (any) {
		add(h, &len, "%zu file system%s", nshown,
		    nshown == 1 ? "" : "s");
		for (j = 0; j < nkinds; j++) {
			size_t big = n;

			for (k = 0; k < n; k++)
				if (x->kind[k] == kinds[j] &&
				    !x->figs[k].unknown &&
				    (big == n ||
				     x->figs[k].bytes > x->figs[big].bytes))
					big = k;
			if (big == n)
				continue;
			fig_words(o, x, big, true, false, words, sizeof(words));
			if (!add(h, &len, "%s the most %s:%s", j ? ";" : ",",
				 dfdu_judge_name(kinds[j]), words))
				break;
		}
	} else {
		add(h, &len, "%zu file system%s, %s unknown", nshown,
		    nshown == 1 ? "" : "s", o->judge == JUDGE_UNEXPLAINED ?
		    "the unexplained gap" : "the figures");
	}
	/* the file systems that cannot be judged, when not named above
	 * (a partial view alone is UNKNOWN with no figure unknown: the
	 * check line says why) */
	if (nunknown_fs && (h->nwarn + h->ncrit ||
			    h->status != PD_STATUS_UNKNOWN))
		add(h, &len, "; unknown on %u", nunknown_fs);
}

static bool prom_same_labels(const struct pd_prom_label *a,
			     const struct pd_prom_label *b)
{
	size_t k;

	for (k = 0; k < 3; k++)
		if (strcmp(a[k].value ? a[k].value : "",
			   b[k].value ? b[k].value : ""))
			return false;
	return true;
}

/* Which of two mounts with the same labels node_exporter reports: the
 * visible one (not covered), and one whose df side was measured. */
static int prom_rank(const struct pd_dffs *fs)
{
	return (fs->covered_by ? 0 : 2) + (fs->df_why ? 0 : 1);
}

/* A series may appear once per label set, or a scraper refuses the file
 * (node_exporter: "collected before with the same name and label
 * values"). Mounts stacked on one mount point with the same source and
 * type share node_exporter's labels: keep the one a path there reaches,
 * the one node_exporter reports;
 * the covered ones are judged by -w/-c and shown in the table. */
static void prom_pick_one_per_labels(const struct pd_dfscan *ds,
				     const bool *shown,
				     struct pd_prom_label (*labels)[3],
				     size_t n, bool *emit)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!shown[i])
			continue;
		emit[i] = true;
		for (j = 0; j < i; j++) {
			if (!emit[j] || !prom_same_labels(labels[i], labels[j]))
				continue;
			if (prom_rank(pd_dfscan_fs(ds, i)) >
			    prom_rank(pd_dfscan_fs(ds, j)))
				emit[j] = false;
			else
				emit[i] = false;
			break;
		}
	}
}

/* --prom-file: per file system shown, labelled by device, mount point and
 * type as node_exporter's filesystem collector labels it (bounded:
 * mounts, never files). An unknown value has no sample. */
void dfdu_prom(const struct opts *o, const struct pd_dfscan *ds,
	       struct pd_procfs *pfs, const bool *shown)
{
	enum {
		F_SIZE, F_USED, F_AVAIL, F_WALKED, F_GAP, F_DELETED, F_HIDDEN,
		F_FSSPECIFIC, F_UNEXPLAINED, F_UNREADABLE, NFAM
	};
	static const struct {
		const char *what, *help;
	} fam[NFAM] = {
		[F_SIZE] = { "size_bytes", "df size (f_blocks)" },
		[F_USED] = { "used_bytes", "df used (f_blocks - f_bfree), after syncfs" },
		[F_AVAIL] = { "avail_bytes", "df available (f_bavail)" },
		[F_WALKED] = { "walked_bytes", "allocated bytes the walk saw, as du -sxB1 (needs the walk: none with --no-walk)" },
		[F_GAP] = { "gap_bytes", "used minus walked, negative when du counts more (needs the walk)" },
		[F_DELETED] = { "deleted_bytes", "deleted files still open or mapped (allocated bytes)" },
		[F_HIDDEN] = { "hidden_bytes", "files hidden under mount points (root; --no-walk walks only them)" },
		[F_FSSPECIFIC] = { "fsspecific_bytes", "what the file system type keeps in used that du never sees, less what du counts more (needs the walk, and root)" },
		[F_UNEXPLAINED] = { "unexplained_bytes", "gap - deleted - hidden - fsspecific, may be negative (needs the walk)" },
		[F_UNREADABLE] = { "unreadable_dirs", "directories the walk could not read: their contents are in the gap (needs the walk)" },
	};
	struct pd_prom *p = pd_common_prom_new(&o->c);
	size_t f, i, n = pd_dfscan_nfs(ds);
	struct pd_prom_label (*labels)[3];
	struct pd_promfs *pf;
	bool *emit;

	if (!p)
		return;
	pf = pd_common_promfs_new(&o->c, p, pfs);
	labels = pd_xcalloc(n, sizeof(*labels));
	for (i = 0; i < n; i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

		if (shown[i])
			pd_common_prom_fs(&o->c, pf, fs->dev, fs->mount,
					  fs->source, fs->fstype, labels[i]);
	}
	emit = pd_xcalloc(n, sizeof(*emit));
	prom_pick_one_per_labels(ds, shown, labels, n, emit);
	for (f = 0; f < NFAM; f++) {
		pd_common_prom_family(&o->c, p, fam[f].what, PD_PROM_GAUGE,
				      fam[f].help);
		for (i = 0; i < pd_dfscan_nfs(ds); i++) {
			const struct pd_dffs *fs = pd_dfscan_fs(ds, i);
			const struct pd_prom_label *l = labels[i];

			if (!emit[i])
				continue;
			switch (f) {
			case F_SIZE:
			case F_USED:
			case F_AVAIL:
				if (!fs->df_why)
					pd_common_prom_u64(&o->c, p, l, 3,
						f == F_SIZE ? fs->space.size :
						f == F_USED ? fs->space.used :
						fs->space.avail);
				break;
			case F_WALKED:
			case F_UNREADABLE:
				if (!fs->walk_why)
					pd_common_prom_u64(&o->c, p, l, 3,
						f == F_WALKED ? fs->walk.alloc :
						fs->unreadable);
				break;
			case F_GAP:
				if (fs->gap_known)
					pd_common_prom_s64(&o->c, p, l, 3, fs->gap);
				break;
			case F_DELETED:
				if (!fs->deleted_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->deleted);
				break;
			case F_HIDDEN:
				if (!fs->hidden_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->hidden);
				break;
			case F_FSSPECIFIC:
				if (!fs->fsspecific_why)
					pd_common_prom_u64(&o->c, p, l, 3, fs->fsspecific);
				break;
			case F_UNEXPLAINED:
				if (fs->unexplained_known)
					pd_common_prom_s64(&o->c, p, l, 3, fs->unexplained);
				break;
			}
		}
	}
	for (i = 0; i < n; i++)
		pd_promfs_labels_release(labels[i]);
	free(labels);
	free(emit);
	pd_promfs_free(pf);
	pd_common_prom_write(&o->c, p);
}
