/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfparts: dfdu's FSSPECIFIC as named parts with their evidence. */
#include "dfparts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct pd_dfbound pd_dfbound_exact(int64_t v)
{
	return (struct pd_dfbound){ true, true, v, v };
}

/* X + Y saturated to the int64_t range. */
static int64_t sat_add(int64_t x, int64_t y)
{
	if (y > 0 && x > INT64_MAX - y)
		return INT64_MAX;
	if (y < 0 && x < INT64_MIN - y)
		return INT64_MIN;
	return x + y;
}

static int64_t sat_neg(int64_t x)
{
	return x == INT64_MIN ? INT64_MAX : -x;
}

struct pd_dfbound pd_dfbound_add(struct pd_dfbound a, struct pd_dfbound b)
{
	struct pd_dfbound r = { 0 };

	r.has_min = a.has_min && b.has_min;
	r.has_max = a.has_max && b.has_max;
	if (r.has_min)
		r.min = sat_add(a.min, b.min);
	if (r.has_max)
		r.max = sat_add(a.max, b.max);
	return r;
}

struct pd_dfbound pd_dfbound_sub(struct pd_dfbound a, struct pd_dfbound b)
{
	struct pd_dfbound r = { 0 };

	r.has_min = a.has_min && b.has_max;
	r.has_max = a.has_max && b.has_min;
	if (r.has_min)
		r.min = sat_add(a.min, sat_neg(b.max));
	if (r.has_max)
		r.max = sat_add(a.max, sat_neg(b.min));
	return r;
}

void pd_dfparts_release(struct pd_dfparts *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		free(ps->v[i].note);
		free(ps->v[i].path);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

int pd_dfparts_add(struct pd_dfparts *ps, const struct pd_dfpart *part,
		   const char *note, const char *path)
{
	struct pd_dfpart p = *part, *nv;

	p.note = note ? strdup(note) : NULL;
	p.path = path ? strdup(path) : NULL;
	if ((note && !p.note) || (path && !p.path))
		goto out_nomem;
	if (ps->n % 16 == 0) {
		nv = realloc(ps->v, (ps->n + 16) * sizeof(*nv));
		if (!nv)
			goto out_nomem;
		ps->v = nv;
	}
	ps->v[ps->n++] = p;
	return 0;

out_nomem:
	free(p.note);
	free(p.path);
	return -ENOMEM;
}

int pd_dfparts_known(struct pd_dfparts *ps, const char *what, int64_t bytes,
		     const char *note)
{
	struct pd_dfpart p = {
		.what = what, .has_bytes = true, .bytes = bytes,
		.b = pd_dfbound_exact(bytes),
	};

	return pd_dfparts_add(ps, &p, note, NULL);
}

int pd_dfparts_unknown(struct pd_dfparts *ps, const char *what,
		       enum pd_dfwhy why, int err, struct pd_dfbound b,
		       const char *note)
{
	struct pd_dfpart p = { .what = what, .why = why, .err = err, .b = b };

	return pd_dfparts_add(ps, &p, note, NULL);
}

int pd_dfparts_info(struct pd_dfparts *ps, const char *what, bool has_bytes,
		    int64_t bytes, const char *note, const char *path)
{
	struct pd_dfpart p = {
		.what = what, .info = true, .has_bytes = has_bytes,
		.bytes = bytes,
	};

	return pd_dfparts_add(ps, &p, note, path);
}

void pd_dfparts_sum(const struct pd_dfparts *ps, int64_t *ret_known,
		    enum pd_dfwhy *ret_why, struct pd_dfbound *ret_b)
{
	struct pd_dfbound b = pd_dfbound_exact(0);
	enum pd_dfwhy why = PD_DF_KNOWN;
	int64_t known = 0;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct pd_dfpart *p = &ps->v[i];

		if (p->info)
			continue;
		if (p->why == PD_DF_KNOWN) {
			known = sat_add(known, p->bytes);
			b = pd_dfbound_add(b, pd_dfbound_exact(p->bytes));
			continue;
		}
		if (why == PD_DF_KNOWN)
			why = p->why;
		b = pd_dfbound_add(b, p->b);
	}
	*ret_known = known;
	*ret_why = why;
	*ret_b = b;
}

static int64_t s64(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* ---- ext4 ------------------------------------------------------------ */

int pd_dfparts_ext4(struct pd_dfparts *ps, const struct pd_ext4_meta *m)
{
	int k, r;

	for (k = 0; k < PD_EXT4_META_NKINDS; k++) {
		if (!m->bytes[k])
			continue;
		r = pd_dfparts_known(ps, pd_ext4_meta_kind_name(k),
				     s64(m->bytes[k]), "ext4 internal inode: "
				     "in USED, no file du can see");
		if (r < 0)
			return r;
	}
	/* never added: ext4_statfs() takes them out of f_blocks */
	if (m->journal_size) {
		r = pd_dfparts_info(ps, "journal", true, s64(m->journal_size),
				    "the journal's own blocks: outside SIZE "
				    "(f_blocks), not in USED", NULL);
		if (r < 0)
			return r;
	}
	if (m->overhead_gdt) {
		r = pd_dfparts_info(ps, "reserved GDT blocks", true,
				    s64(m->overhead_gdt), "kept for online "
				    "resizing: outside SIZE (f_blocks), not in "
				    "USED", NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- XFS ------------------------------------------------------------- */

int pd_dfparts_xfs(struct pd_dfparts *ps, const struct pd_xfs_space *s,
		   const struct pd_statvfs *v)
{
	static const char why_inexact[] = "; without the inobtcount feature "
		"the inode btrees' size is not on disk";
	const struct {
		const char *what;
		uint64_t bytes;
		const char *note;
	} parts[] = {
		{ "AG headers", s->headers, "superblock copy, AGF, AGI, AGFL "
		  "of each allocation group" },
		{ "btree blocks", s->btrees, "free space btree roots, inode, "
		  "free inode, refcount and reverse mapping btrees" },
		{ "inode chunks", s->inodes, "allocated inodes: du counts a "
		  "file's data, not its inode" },
		{ "per-AG metadata reservation", s->ag_resv_meta, "refcount "
		  "and free inode btrees' reservation not yet used "
		  "(xfs_ag_resv_init)" },
		{ "per-AG rmapbt reservation", s->ag_resv_rmap, "reverse "
		  "mapping btree's reservation, taken whole from the free "
		  "count" },
		{ "set-aside", s->set_aside, "m_alloc_set_aside: 8 blocks per "
		  "AG that free space btree splits may need" },
		{ "free space btree blocks", s->allocbt, "beyond their roots: "
		  "XFS counts them as used" },
		{ "reserve pool", s->resblks, "XFS_IOC_GET_RESBLKS: taken out "
		  "of the free count at mount" },
	};
	char note[256], size[32];
	uint64_t expect, live;
	size_t i;
	int r;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		snprintf(note, sizeof(note), "%s%s", parts[i].note,
			 !s->exact && i == 1 ? why_inexact : "");
		r = pd_dfparts_known(ps, parts[i].what, s64(parts[i].bytes),
				     note);
		if (r < 0)
			return r;
	}
	if (s->log) {
		r = pd_dfparts_info(ps, "internal log", true, s64(s->log),
				    "outside SIZE (f_blocks), not in USED",
				    NULL);
		if (r < 0)
			return r;
	}
	/* what the headers say is free, as statfs would count it */
	expect = s->free - s->ag_resv_meta - s->ag_resv_rmap - s->resblks -
		 s->set_aside - s->allocbt;
	live = v->bfree * v->frsize;
	if (s->free >= s->ag_resv_meta + s->ag_resv_rmap + s->resblks +
		       s->set_aside + s->allocbt && expect == live)
		return 0;
	pd_size_to_human(expect > live ? expect - live : live - expect, size,
			 sizeof(size));
	snprintf(note, sizeof(note), "the AG headers on disk count %s %s "
		 "free than the live counters: XFS writes them back at a log "
		 "checkpoint, so the parts above may be off by that much",
		 size, expect > live ? "more" : "less");
	return pd_dfparts_info(ps, "stale AG headers", true,
			       expect > live ? s64(expect - live) :
			       -s64(live - expect), note, NULL);
}

/* ---- reflinks -------------------------------------------------------- */

int pd_dfparts_shared(struct pd_dfparts *ps, const struct pd_walk_extents *x)
{
	char note[256];
	int64_t e = -s64(x->sum.excess);

	if (!x->unmapped)
		return pd_dfparts_known(ps, "shared extents", e, "reflinks and "
					"dedup among the walked files (FIEMAP): "
					"du counts them once per file, df once");
	snprintf(note, sizeof(note), "reflinks and dedup (FIEMAP): at least "
		 "this much; %" PRIu64 " files could not be mapped (needs "
		 "root)", x->unmapped);
	return pd_dfparts_unknown(ps, "shared extents", PD_DF_NEEDS_ROOT, 0,
				  (struct pd_dfbound){ .has_max = true,
						       .max = e }, note);
}

/* ---- btrfs ----------------------------------------------------------- */

static void copies_words(const struct pd_btrfs_space *s, int kind, char *buf,
			 size_t n)
{
	unsigned c = pd_btrfs_ncopies(s->profile[kind]);
	unsigned d = pd_btrfs_ncopies(s->profile[PD_BTRFS_DATA]);

	snprintf(buf, n, "%s: x%u on the devices, counted x%u/%u by statfs%s",
		 pd_btrfs_profile_name(s->profile[kind]), c, c, d,
		 s->nprofiles[kind] > 1 ? " (profiles being converted)" : "");
}

int pd_dfparts_btrfs(struct pd_dfparts *ps, const struct pd_btrfs_space *s,
		     const struct pd_btrfs_gap *g)
{
	char note[256], words[160];
	int r;

	copies_words(s, PD_BTRFS_METADATA, words, sizeof(words));
	snprintf(note, sizeof(note), "metadata used, %s", words);
	r = pd_dfparts_known(ps, "metadata", s64(g->metadata), note);
	if (r < 0)
		return r;
	copies_words(s, PD_BTRFS_SYSTEM, words, sizeof(words));
	snprintf(note, sizeof(note), "system chunks used, %s", words);
	r = pd_dfparts_known(ps, "system", s64(g->system), note);
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "global reserve", s64(g->global_rsv),
			     "metadata kept for emergencies: statfs counts it "
			     "as used");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "other subvolumes' data", s64(g->other),
			     "data extents no file of the walked subvolume "
			     "references: snapshots, other subvolumes (other "
			     "devices to du -x), extents not freed yet");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "unreferenced extent parts",
			     s64(g->unreferenced), "overwritten parts of "
			     "extents that stay on disk until the whole extent "
			     "is free (bookends)");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "shared extents", -s64(g->shared),
			     "reflinks and dedup within the subvolume: du "
			     "counts them once per reference, df once");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "compression saving", -s64(g->compressed),
			     "du counts compressed extents' logical bytes, df "
			     "what they take on disk");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "inline files", -s64(g->inline_du),
			     "data stored in the metadata: du counts a sector "
			     "for each file, df counts it in metadata");
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "directories", -s64(g->dirs),
			     "what du counts of directories: their items live "
			     "in the metadata");
	if (r < 0 || !g->rounding)
		return r;
	return pd_dfparts_known(ps, "rounding", g->rounding,
				"statfs rounds data and metadata to blocks "
				"apart");
}

int pd_dfparts_btrfs_space(struct pd_dfparts *ps,
			   const struct pd_btrfs_space *s, uint64_t bsize,
			   const struct pd_walk_extents *x, uint64_t dir_alloc,
			   enum pd_dfwhy why, int err)
{
	const struct pd_dfbound pos = { .has_min = true, .min = 0 };
	struct pd_btrfs_usage none = { 0 };
	struct pd_btrfs_gap g;
	char note[256], words[160];
	int r;

	pd_btrfs_gap_compute(s, &none, 0, bsize, &g);
	copies_words(s, PD_BTRFS_METADATA, words, sizeof(words));
	snprintf(note, sizeof(note), "metadata used, %s", words);
	r = pd_dfparts_known(ps, "metadata", s64(g.metadata), note);
	if (r < 0)
		return r;
	copies_words(s, PD_BTRFS_SYSTEM, words, sizeof(words));
	snprintf(note, sizeof(note), "system chunks used, %s", words);
	r = pd_dfparts_known(ps, "system", s64(g.system), note);
	if (r < 0)
		return r;
	r = pd_dfparts_known(ps, "global reserve", s64(g.global_rsv),
			     "metadata kept for emergencies: statfs counts it "
			     "as used");
	if (r < 0)
		return r;
	r = pd_dfparts_unknown(ps, "other subvolumes' data", why, err, pos,
			       "data only snapshots and other subvolumes "
			       "reference: the extent tree's search needs "
			       "root");
	if (r < 0)
		return r;
	r = pd_dfparts_unknown(ps, "unreferenced extent parts", why, err, pos,
			       "overwritten parts of extents (bookends): the "
			       "tree search needs root");
	if (r < 0)
		return r;
	if (!x) {
		const struct pd_dfbound neg = { .has_max = true, .max = 0 };

		r = pd_dfparts_unknown(ps, "shared extents", PD_DF_NOT_WALKED,
				       0, neg, NULL);
		if (r == 0)
			r = pd_dfparts_unknown(ps, "compression saving",
					       PD_DF_NOT_WALKED, 0, neg, NULL);
		if (r == 0)
			r = pd_dfparts_unknown(ps, "inline files",
					       PD_DF_NOT_WALKED, 0, neg, NULL);
		if (r == 0)
			r = pd_dfparts_unknown(ps, "directories",
					       PD_DF_NOT_WALKED, 0, neg, NULL);
		return r;
	}
	r = pd_dfparts_shared(ps, x);
	if (r < 0)
		return r;
	if (!x->sum.encoded && !x->unmapped) {
		r = pd_dfparts_known(ps, "compression saving", 0,
				     "no walked file has a compressed extent "
				     "(FIEMAP)");
	} else {
		char size[32];

		pd_size_to_human(x->sum.encoded, size, sizeof(size));
		snprintf(note, sizeof(note), "between 0 and the %s the "
			 "compressed extents hold uncompressed (FIEMAP); what "
			 "they take on disk needs root", size);
		r = pd_dfparts_unknown(ps, "compression saving",
				       PD_DF_NEEDS_ROOT, 0, (struct pd_dfbound){
					       .has_min = !x->unmapped,
					       .min = -s64(x->sum.encoded),
					       .has_max = true, .max = 0 },
				       note);
	}
	if (r < 0)
		return r;
	if (!x->unmapped)
		r = pd_dfparts_known(ps, "inline files", -s64(x->inline_alloc),
				     "data stored in the metadata (FIEMAP): du "
				     "counts a sector for each file, df counts "
				     "it in metadata");
	else
		r = pd_dfparts_unknown(ps, "inline files", PD_DF_NEEDS_ROOT, 0,
				       (struct pd_dfbound){
					       .has_max = true,
					       .max = -s64(x->inline_alloc) },
				       "files that could not be mapped may "
				       "hold more");
	if (r < 0)
		return r;
	return pd_dfparts_known(ps, "directories", -s64(dir_alloc),
				"what du counts of directories: their items "
				"live in the metadata");
}

static const char *const kind_names[PD_BTRFS_NKINDS] = {
	[PD_BTRFS_DATA] = "data chunks",
	[PD_BTRFS_METADATA] = "metadata chunks",
	[PD_BTRFS_SYSTEM] = "system chunks",
};

int pd_dfparts_btrfs_chunks(struct pd_dfparts *ps,
			    const struct pd_btrfs_space *s,
			    const struct pd_btrfs_chunks *chunks,
			    const struct pd_btrfs_dev *devs, size_t ndevs)
{
	char note[320], alloc[32], used[32], raw[32];
	size_t i;
	int k, r;

	for (k = 0; k < PD_BTRFS_NKINDS; k++) {
		if (!s->total[k])
			continue;
		pd_size_to_human(s->total[k], alloc, sizeof(alloc));
		pd_size_to_human(s->used[k], used, sizeof(used));
		if (chunks)
			pd_size_to_human(chunks->raw[k], raw, sizeof(raw));
		snprintf(note, sizeof(note), "%s allocated, %s used; %s: each "
			 "byte x%u on the devices%s%s%s%s", alloc, used,
			 pd_btrfs_profile_name(s->profile[k]),
			 pd_btrfs_ncopies(s->profile[k]),
			 chunks ? " (" : "", chunks ? raw : "",
			 chunks ? " raw, parity included)" : "",
			 s->mixed ? "; mixed data and metadata" : "");
		r = pd_dfparts_info(ps, kind_names[k], true, s64(s->total[k]),
				    note, NULL);
		if (r < 0)
			return r;
	}
	for (i = 0; i < ndevs; i++) {
		pd_size_to_human(devs[i].total, alloc, sizeof(alloc));
		pd_size_to_human(devs[i].allocated, used, sizeof(used));
		snprintf(note, sizeof(note), "device %" PRIu64 ": %s of %s "
			 "given to chunks; the rest is unallocated",
			 devs[i].devid, used, alloc);
		r = pd_dfparts_info(ps, "unallocated", true,
				    s64(devs[i].unallocated), note,
				    devs[i].path[0] ? devs[i].path : NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

int pd_dfparts_btrfs_subvols(struct pd_dfparts *ps,
			     const struct pd_btrfs_subvol *v, size_t n,
			     const struct pd_btrfs_qgroup *q, size_t nq,
			     size_t max)
{
	char note[320], excl[32], rfer[32];
	size_t i, j;
	int r;

	for (i = 0; i < n && i < max; i++) {
		const struct pd_btrfs_qgroup *g = NULL;
		int len;

		for (j = 0; j < nq && !g; j++)
			if (q[j].id == v[i].id)
				g = &q[j];
		len = snprintf(note, sizeof(note), "%s %" PRIu64 "%s%s: "
			       "another device to du -x",
			       v[i].snapshot ? "snapshot" : "subvolume",
			       v[i].id, v[i].readonly ? ", read-only" : "",
			       v[i].deleted ? ", deleted (being cleaned)" : "");
		if (g && len > 0 && (size_t)len < sizeof(note)) {
			pd_size_to_human(g->excl, excl, sizeof(excl));
			pd_size_to_human(g->rfer, rfer, sizeof(rfer));
			snprintf(note + len, sizeof(note) - (size_t)len,
				 "; qgroup: %s exclusive, %s referenced", excl,
				 rfer);
		}
		r = pd_dfparts_info(ps, v[i].snapshot ? "snapshot" :
				    "subvolume", g != NULL,
				    g ? s64(g->excl) : 0, note, v[i].name);
		if (r < 0)
			return r;
	}
	if (n > max) {
		snprintf(note, sizeof(note), "%zu more subvolumes and "
			 "snapshots not listed", n - max);
		return pd_dfparts_info(ps, "subvolume", false, 0, note, NULL);
	}
	return 0;
}
