/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the health judgement (thresholds, --check) and --prom-file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "cli.h"
#include "dfdu.h"

/*
 * Health: the figure of a file system is its unexplained part, as bytes
 * and as a % of SIZE, a negative remainder counting as 0. It is exact,
 * unknown (no gap: not walked, no df side), or an upper bound: each part
 * of the gap is >= 0, so one that is unknown (hidden files without root,
 * a deleted file of unknown size, the XFS reserve pool without root,
 * deleted files of processes the scan could not see), or what
 * unreadable directories hold (in the gap, not in WALKED), makes GAP
 * minus the known parts overstate it. An upper bound UB is judged only
 * when every value from 0 to UB gets the state UB gets.
 */
enum bound { BOUND_EXACT, BOUND_UPPER, BOUND_UNKNOWN };

static enum bound unexplained_bound(const struct pd_dffs *fs, bool partial,
				    int64_t *ret)
{
	if (!fs->gap_known)
		return BOUND_UNKNOWN;
	if (fs->unexplained_known) {
		*ret = fs->unexplained;
		return fs->unreadable || partial ? BOUND_UPPER : BOUND_EXACT;
	}
	/* deleted: the files of known size, a lower bound of the part */
	*ret = fs->gap - (int64_t)fs->deleted -
	       (fs->hidden_why ? 0 : (int64_t)fs->hidden) -
	       (fs->fsspecific_why ? 0 : (int64_t)fs->fsspecific);
	return BOUND_UPPER;
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

/* Do 0 and UB (and so everything between) get one state from the
 * thresholds in UNIT? */
static bool settled(const struct pd_common *c, enum pd_threshold_unit unit,
		    int64_t ub)
{
	if (c->has_warn && c->warn.unit == unit &&
	    region(&c->warn, 0) != region(&c->warn, ub))
		return false;
	if (c->has_crit && c->crit.unit == unit &&
	    region(&c->crit, 0) != region(&c->crit, ub))
		return false;
	return true;
}

/* Why the figure of FS cannot be judged, for the --check words. */
static void unknown_why(const struct pd_dffs *fs, bool upper, char *buf,
			size_t n)
{
	if (upper && !fs->hidden_why && !fs->deleted_why &&
	    !fs->fsspecific_why && !fs->unreadable) {
		/* only the partial view: the check line says why */
		snprintf(buf, n, "deleted files of processes not seen");
		return;
	}
	if (!upper) {
		snprintf(buf, n, "%s", fs->df_why ?
			 dfdu_why_text(fs->df_why, fs->df_err) :
			 dfdu_why_text(fs->walk_why, fs->walk_err));
		return;
	}
	if (fs->hidden_why)
		snprintf(buf, n, "hidden files %s",
			 dfdu_why_text(fs->hidden_why, fs->hidden_err));
	else if (fs->deleted_why)
		snprintf(buf, n, "%s", dfdu_why_text(fs->deleted_why, 0));
	else if (fs->fsspecific_why)
		snprintf(buf, n, "%s %s", fs->fsspecific_what ?
			 fs->fsspecific_what : "file system reserve",
			 dfdu_why_text(fs->fsspecific_why, 0));
	else
		snprintf(buf, n, "%llu unreadable director%s",
			 (unsigned long long)fs->unreadable,
			 fs->unreadable == 1 ? "y" : "ies");
}

/* " /srv 1.2GiB (1.25%)": the figure of FS as the --check words name it. */
static size_t fig_words(const struct opts *o, const struct pd_dffs *fs,
			const struct pd_figure *f, bool upper, char *buf,
			size_t n)
{
	char size[32], pct[32], *esc;
	size_t len;

	esc = pd_escape_tsv(fs->mount, strlen(fs->mount));
	if (!esc)
		pd_check_alloc(&o->c, -ENOMEM);
	pd_health_size(f->bytes, size, sizeof(size));
	len = (size_t)snprintf(buf, n, " %s %s%s", esc,
			       upper ? "at most " : "", size);
	if (f->has_pct && len < n) {
		pd_threshold_format_pct(f->pct, pct, sizeof(pct));
		len += (size_t)snprintf(buf + len, n - len, " (%s%%)", pct);
	}
	free(esc);
	return len;
}

void dfdu_health(const struct opts *o, const struct pd_dfscan *ds,
		 const bool *shown, struct health *x)
{
	struct pd_health *h = &x->h;
	size_t nfs = pd_dfscan_nfs(ds), n = 0, i, k, len, named = 0, big = 0;
	unsigned nunknown = 0;
	char words[256], why[128];
	bool any = false;

	x->figs = pd_xcalloc(nfs, sizeof(*x->figs));
	x->fsi = pd_xcalloc(nfs, sizeof(*x->fsi));
	x->upper = pd_xcalloc(nfs, sizeof(*x->upper));
	x->fs_status = pd_xcalloc(nfs, sizeof(*x->fs_status));
	for (i = 0; i < nfs; i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);
		struct pd_figure *f = &x->figs[n];
		enum bound b;
		int64_t v = 0;

		if (!shown[i])
			continue;
		x->fsi[n++] = i;
		f->name = fs->mount;
		b = unexplained_bound(fs, pd_coverage_is_partial(&h->partial),
				      &v);
		if (b == BOUND_UNKNOWN) {
			f->unknown = true;
			continue;
		}
		if (v < 0)	/* shared extents: nothing unexplained */
			v = 0;
		f->bytes = (uint64_t)v;
		if (fs->space.size) {
			__int128 p = (__int128)v * 100 * PD_THRESHOLD_PCT_SCALE /
				     fs->space.size;

			f->has_pct = true;
			f->pct = p > INT64_MAX ? INT64_MAX : (int64_t)p;
		}
		x->upper[n - 1] = b == BOUND_UPPER;
		if (b == BOUND_UPPER &&
		    (!settled(&o->c, PD_THRESHOLD_BYTES, v) ||
		     (f->has_pct && !settled(&o->c, PD_THRESHOLD_PERCENT, f->pct))))
			f->unknown = true;
	}
	h->perf = "unexplained_bytes";
	h->perf_pct = "unexplained_pct";
	h->groups = "file systems";
	h->figs = x->figs;
	h->nfigs = n;
	x->figs_known = false;
	for (k = 0; k < n; k++)
		x->figs_known |= !x->figs[k].unknown;
	/* not one figure known: --check is UNKNOWN even without -w/-c */
	h->unknown = n && !x->figs_known;
	pd_health_eval(&o->c, h);
	for (k = 0; k < n; k++) {
		x->fs_status[x->fsi[k]] = x->figs[k].status;
		nunknown += x->figs[k].unknown;
		if (!x->figs[k].unknown && (!any ||
		    x->figs[k].bytes > x->figs[big].bytes)) {
			big = k;
			any = true;
		}
	}

	if (!n) {
		snprintf(h->text, sizeof(h->text), "no file system to judge");
		return;
	}
	if (h->nwarn + h->ncrit)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%u of %zu file system%s over a threshold,"
				       " unexplained:", h->nwarn + h->ncrit, n,
				       n == 1 ? "" : "s");
	else if (h->status == PD_STATUS_UNKNOWN && nunknown)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "unknown on %u of %zu file system%s:",
				       nunknown, n, n == 1 ? "" : "s");
	else if (any)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu file system%s, the most unexplained:",
				       n, n == 1 ? "" : "s");
	else
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu file system%s, the unexplained gap "
				       "unknown", n, n == 1 ? "" : "s");
	for (k = 0; k < n && len < sizeof(h->text); k++) {
		const struct pd_figure *f = &x->figs[k];
		const struct pd_dffs *fs = pd_dfscan_fs(ds, x->fsi[k]);
		bool want;

		if (h->nwarn + h->ncrit)
			want = f->status == PD_STATUS_WARNING ||
			       f->status == PD_STATUS_CRITICAL;
		else if (h->status == PD_STATUS_UNKNOWN && nunknown)
			want = f->unknown;
		else
			want = any && k == big;
		if (!want)
			continue;
		if (named++ == 3) {
			snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		if (named > 1)
			len += (size_t)snprintf(h->text + len,
						sizeof(h->text) - len, ",");
		if (len >= sizeof(h->text))
			break;
		if (f->unknown) {
			char *esc = pd_escape_tsv(fs->mount, strlen(fs->mount));

			if (!esc)
				pd_check_alloc(&o->c, -ENOMEM);
			unknown_why(fs, x->upper[k], why, sizeof(why));
			if (x->upper[k]) {
				fig_words(o, fs, f, true, words, sizeof(words));
				len += (size_t)snprintf(h->text + len,
					sizeof(h->text) - len, "%s: %s",
					words, why);
			} else {
				len += (size_t)snprintf(h->text + len,
					sizeof(h->text) - len, " %s (%s)",
					esc, why);
			}
			free(esc);
		} else {
			fig_words(o, fs, f, x->upper[k], words, sizeof(words));
			len += (size_t)snprintf(h->text + len,
						sizeof(h->text) - len, "%s",
						words);
		}
	}
	/* the file systems that cannot be judged, when not named above */
	/* (a partial view alone is UNKNOWN with no figure unknown: the
	 * check line says why) */
	if (nunknown && (h->nwarn + h->ncrit || h->status != PD_STATUS_UNKNOWN) &&
	    len < sizeof(h->text))
		snprintf(h->text + len, sizeof(h->text) - len,
			 "; unknown on %u", nunknown);
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
		[F_WALKED] = { "walked_bytes", "allocated bytes the walk saw, as du -sxB1" },
		[F_GAP] = { "gap_bytes", "used minus walked (negative: shared extents)" },
		[F_DELETED] = { "deleted_bytes", "deleted files still open or mapped (allocated bytes)" },
		[F_HIDDEN] = { "hidden_bytes", "files hidden under mount points" },
		[F_FSSPECIFIC] = { "fsspecific_bytes", "used space the file system keeps for itself (XFS reserve pool)" },
		[F_UNEXPLAINED] = { "unexplained_bytes", "gap - deleted - hidden - fsspecific (may be negative)" },
		[F_UNREADABLE] = { "unreadable_dirs", "directories the walk could not read: their contents are in the gap" },
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
