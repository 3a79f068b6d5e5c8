/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: the headline figure (thresholds, --check) and --prom-file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "memfind.h"

/* What an object counts for in the headline figure and the metrics: its
 * ALLOC; secretmem keeps no block count, so what its holders map. */
static bool obj_bytes(const struct pd_memobj *ob, uint64_t *ret)
{
	if (ob->has_alloc) {
		*ret = ob->alloc;
		return true;
	}
	*ret = ob->kind == PD_MEM_SECRETMEM && ob->mapped ? ob->rss : 0;
	return ob->kind == PD_MEM_SECRETMEM;
}

/* Could an unreachable tmpfs hide objects the selection would list? */
static bool tmpfs_hidden(const struct opts *o, const struct pd_memscan *ms)
{
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);
	const unsigned tmpfs_kinds = 1u << PD_MEM_POSIX | 1u << PD_MEM_TMPFS;

	if (!g->hidden_sbs && !g->unreadable_dirs)
		return false;
	/* files nobody holds pass only without a process filter */
	if (o->npids || o->nuids || o->ncomms)
		return false;
	return !o->kinds || (o->kinds & tmpfs_kinds);
}

/* Why the tmpfs out of reach is: ", needs root" or "". */
static const char *hidden_why(const struct pd_memscan *ms)
{
	return pd_memscan_gaps(ms)->hidden_err == EPERM ?
	       ": covered, and reaching it needs root" : "";
}

/* How many covered tmpfs read through lib/mntreach hold anything? */
static unsigned covered_files(const struct pd_memscan *ms)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < pd_memscan_nsbs(ms); i++) {
		const struct pd_memsb *sb = pd_memscan_sb(ms, i);

		n += sb->covered_by && (sb->files_alloc || sb->used);
	}
	return n;
}

/* Could SysV segments nobody maps be missing (no sysvipc/shm, as under
 * subset=pid) from what the selection would list? */
static bool sysv_hidden(const struct opts *o, const struct pd_memscan *ms)
{
	if (!pd_memscan_gaps(ms)->no_sysvipc)
		return false;
	/* segments nobody maps pass only without a process filter */
	if (o->npids || o->nuids || o->ncomms)
		return false;
	return !o->kinds || (o->kinds & 1u << PD_MEM_SYSV);
}

/* The headline of the object and process views: the bytes the selected
 * objects (the rows of the object view) hold. */
static void health_objects(const struct opts *o, const struct pd_memscan *ms,
			   struct pd_health *h, struct pd_figure *f)
{
	size_t i, objs = 0, unknown = 0, unsure = 0, len;
	uint64_t unsure_bytes = 0;
	struct pd_memsummary sum;
	char size[32], bound[32];

	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);
		uint64_t b;

		if (!ob->selected)
			continue;
		objs++;
		if (!obj_bytes(ob, &b)) {
			unknown++;
		} else if (o->orphans && (ob->flags & PD_MEMF_ORPHAN_UNSURE)) {
			/* --orphans judges orphans: this one may not be */
			unsure++;
			unsure_bytes += b;
		} else {
			f->bytes += b;
		}
	}
	f->partial = unknown > 0 || unsure > 0 || tmpfs_hidden(o, ms) ||
		     sysv_hidden(o, ms);
	pd_memscan_summary(ms, &sum);
	/* a tmpfs out of reach, and nothing else unknown: it holds at most
	 * the Shmem remainder (plus swap in use) */
	if (f->partial && !unknown && !unsure && !sysv_hidden(o, ms) &&
	    !pd_memscan_gaps(ms)->unreadable_dirs && sum.has_unreached_bound) {
		f->has_bound = true;
		f->bound = sum.unreached_bound;
	}
	h->perf = "object_bytes";
	pd_health_eval(&o->c, h);
	pd_health_size(f->bytes, size, sizeof(size));
	len = (size_t)snprintf(h->text, sizeof(h->text),
			       "%zu memory object%s hold%s %s%s", objs,
			       objs == 1 ? "" : "s", objs == 1 ? "s" : "",
			       f->partial ? "at least " : "", size);
	if (unknown && len < sizeof(h->text))
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (%zu of unknown size: run as root)",
					unknown);
	if (unsure && len < sizeof(h->text)) {
		pd_health_size(unsure_bytes, size, sizeof(size));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (%zu 'orphan?' of %s: a process that "
					"could not be read may hold %s)",
					unsure, size, unsure == 1 ? "it" :
					"them");
	}
	pd_health_size(f->bound, bound, sizeof(bound));
	if (tmpfs_hidden(o, ms) && f->has_bound && len < sizeof(h->text))
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (%u tmpfs out of reach%s: at most %s "
					"more, the Shmem nobody explains)",
					sum.unreached, hidden_why(ms), bound);
	else if (tmpfs_hidden(o, ms) && len < sizeof(h->text))
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (a tmpfs could not be fully read)");
	if (covered_files(ms) && len < sizeof(h->text))
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					" (%u covered tmpfs read through a "
					"private mount table)",
					covered_files(ms));
	if (sysv_hidden(o, ms) && len < sizeof(h->text))
		snprintf(h->text + len, sizeof(h->text) - len,
			 " (SysV segments nobody maps are not seen: no "
			 "sysvipc/shm)");
}

/* The headline of -s: the Shmem nobody explains (the remainder, 0 when
 * what was found covers it), in bytes and as a share of Shmem. */
static void health_summary(const struct opts *o, const struct pd_memscan *ms,
			   struct pd_health *h, struct pd_figure *f)
{
	struct pd_memsummary s;
	char size[32], shmem[32], pct[32];

	pd_memscan_summary(ms, &s);
	h->perf = "unexplained_bytes";
	h->perf_pct = "unexplained_share";
	if (!s.has_shmem) {
		/* no figure at all: UNKNOWN, and no performance data */
		h->nfigs = 0;
		h->unknown = true;
		pd_health_eval(&o->c, h);
		snprintf(h->text, sizeof(h->text),
			 "no Shmem in meminfo: nothing to explain");
		return;
	}
	f->bytes = s.remainder > 0 ? (uint64_t)s.remainder : 0;
	f->has_pct = true;
	f->pct = s.shmem ? (int64_t)((unsigned __int128)f->bytes * 100 *
				     PD_THRESHOLD_PCT_SCALE / s.shmem) : 0;
	pd_health_eval(&o->c, h);
	if ((pd_coverage_is_partial(&h->partial) || s.unsized ||
	     s.unreached) &&
	    pd_common_has_threshold(&o->c) && h->status != PD_STATUS_UNKNOWN) {
		/* objects of processes not seen, objects of unknown size, a
		 * tmpfs with neither a count nor a walk would explain more:
		 * the remainder is at most this, judged only when 0 gets the
		 * same state */
		struct pd_figure zero = { .has_pct = true };
		struct pd_health hz = { .figs = &zero, .nfigs = 1 };

		if (pd_health_eval(&o->c, &hz) != f->status) {
			f->status = h->status = PD_STATUS_UNKNOWN;
			h->nwarn = h->ncrit = 0;
		}
	}
	pd_health_size(f->bytes, size, sizeof(size));
	pd_health_size(s.shmem, shmem, sizeof(shmem));
	pd_threshold_format_pct(f->pct, pct, sizeof(pct));
	if (s.remainder < 0) {
		char over[32];

		pd_health_size((uint64_t)-s.remainder, over, sizeof(over));
		snprintf(h->text, sizeof(h->text), "Shmem %s all explained "
			 "(the objects found hold %s more)", shmem, over);
	} else {
		snprintf(h->text, sizeof(h->text), "%s of Shmem %s "
			 "unexplained (%s%%)", size, shmem, pct);
	}
	if (s.unsized)
		snprintf(h->text + strlen(h->text),
			 sizeof(h->text) - strlen(h->text),
			 " (%u object%s of unknown size: run as root)",
			 s.unsized, s.unsized == 1 ? "" : "s");
	if (s.unreached)
		snprintf(h->text + strlen(h->text),
			 sizeof(h->text) - strlen(h->text),
			 " (%u tmpfs not reached%s: not in the explained part, "
			 "so the remainder is at most this)", s.unreached,
			 hidden_why(ms));
}

void memfind_health(const struct opts *o, const struct pd_memscan *ms,
		    struct pd_health *h, struct pd_figure *f)
{
	memset(f, 0, sizeof(*f));
	h->figs = f;
	h->nfigs = 1;
	if (o->view == VIEW_SUMMARY)
		health_summary(o, ms, h, f);
	else
		health_objects(o, ms, h, f);
}

/* --prom-file: per kind (a bounded label) over the selected objects, the
 * Shmem reconciliation by part, orphans; never pids or paths. */
void memfind_prom(const struct opts *o, const struct pd_memscan *ms)
{
	static const struct {
		const char *what, *help;
	} fam[] = {
		{ "objects", "memory objects listed, by kind" },
		{ "allocated_bytes", "bytes the listed objects hold (ALLOC: st_blocks*512, SysV rss+swap; secretmem: bytes mapped), by kind" },
		{ "resident_bytes", "resident bytes the listed objects have mapped (RSS), by kind" },
	};
	uint64_t v[3][PD_MEM_NKINDS] = { { 0 } }, orphans = 0, orphan_bytes = 0;
	uint64_t unsure = 0, unsure_bytes = 0;
	const struct pd_memscan_gaps *g = pd_memscan_gaps(ms);
	const struct pd_scanstats *st = pd_memscan_stats(ms);
	struct pd_prom *p = pd_common_prom_new(&o->c);
	unsigned unknown = 0;
	struct pd_memsummary s;
	size_t i, k;

	if (!p)
		return;
	for (i = 0; i < pd_memscan_nobjs(ms); i++) {
		const struct pd_memobj *ob = pd_memscan_obj(ms, i);
		uint64_t b;

		if (!ob->selected)
			continue;
		v[0][ob->kind]++;
		if (!obj_bytes(ob, &b))
			unknown++;
		v[1][ob->kind] += b;
		if (ob->mapped)
			v[2][ob->kind] += ob->rss;
		if (ob->flags & PD_MEMF_ORPHAN) {
			orphans++;
			orphan_bytes += b;
		}
		if (ob->flags & PD_MEMF_ORPHAN_UNSURE) {
			unsure++;
			unsure_bytes += b;
		}
	}
	for (k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		pd_common_prom_family(&o->c, p, fam[k].what, PD_PROM_GAUGE,
				      fam[k].help);
		for (i = 0; i < PD_MEM_NKINDS; i++) {
			struct pd_prom_label l[] = {
				{ "kind", pd_memkind_name((enum pd_memkind)i) },
			};

			pd_common_prom_u64(&o->c, p, l, 1, v[k][i]);
		}
	}
	pd_common_prom_family(&o->c, p, "orphan_objects", PD_PROM_GAUGE,
			      "listed SysV segments and /dev/shm files that no "
			      "process holds");
	pd_common_prom_u64(&o->c, p, NULL, 0, orphans);
	pd_common_prom_family(&o->c, p, "orphan_bytes", PD_PROM_GAUGE,
			      "bytes those orphans hold");
	pd_common_prom_u64(&o->c, p, NULL, 0, orphan_bytes);
	pd_common_prom_family(&o->c, p, "orphan_unsure_objects", PD_PROM_GAUGE,
			      "listed /dev/shm files no process seen holds "
			      "while some processes could not be read: "
			      "orphans unless one of those holds them");
	pd_common_prom_u64(&o->c, p, NULL, 0, unsure);
	pd_common_prom_family(&o->c, p, "orphan_unsure_bytes", PD_PROM_GAUGE,
			      "bytes those files hold");
	pd_common_prom_u64(&o->c, p, NULL, 0, unsure_bytes);

	pd_memscan_summary(ms, &s);
	if (s.has_shmem) {
		static const char *const parts[] = {
			"tmpfs", "memfd", "sysv", "shared-anon",
		};
		static const char *const outside[] = {
			"sysv-swap", "hugetlb", "secretmem", "dmabuf",
		};
		const uint64_t pv[] = { s.tmpfs, s.memfd, s.sysv_rss,
					s.shared_anon };
		const uint64_t ov[] = { s.sysv_swap, s.hugetlb, s.secretmem,
					s.dmabuf };

		pd_common_prom_family(&o->c, p, "shmem_bytes", PD_PROM_GAUGE,
				      "Shmem of /proc/meminfo");
		pd_common_prom_u64(&o->c, p, NULL, 0, s.shmem);
		pd_common_prom_family(&o->c, p, "shmem_explained_bytes",
				      PD_PROM_GAUGE, "the parts of Shmem "
				      "found, of every object (as -s): they "
				      "sum to the explained Shmem");
		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			struct pd_prom_label l[] = { { "part", parts[i] } };

			pd_common_prom_u64(&o->c, p, l, 1, pv[i]);
		}
		pd_common_prom_family(&o->c, p, "shmem_unexplained_bytes",
				      PD_PROM_GAUGE, "Shmem minus the explained "
				      "parts, 0 when they cover it (the figure "
				      "-s judges)");
		pd_common_prom_u64(&o->c, p, NULL, 0,
				   s.remainder > 0 ? (uint64_t)s.remainder : 0);
		pd_common_prom_family(&o->c, p, "outside_shmem_bytes",
				      PD_PROM_GAUGE, "memory of these objects "
				      "that Shmem does not count, by part");
		for (i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
			struct pd_prom_label l[] = { { "part", outside[i] } };

			pd_common_prom_u64(&o->c, p, l, 1, ov[i]);
		}
	}
	pd_common_prom_family(&o->c, p, "unreadable_processes", PD_PROM_GAUGE,
			      "processes the scan could not read: the figures "
			      "are a lower bound when not 0");
	pd_common_prom_u64(&o->c, p, NULL, 0, st->denied + st->failed);
	pd_common_prom_family(&o->c, p, "unknown_size_objects", PD_PROM_GAUGE,
			      "listed objects whose size could not be had "
			      "(map_files/ needs CAP_SYS_ADMIN): not in "
			      "allocated_bytes");
	pd_common_prom_u64(&o->c, p, NULL, 0, unknown);
	pd_common_prom_family(&o->c, p, "unreachable_tmpfs", PD_PROM_GAUGE,
			      "tmpfs file systems that could not be reached: "
			      "their files are not listed");
	pd_common_prom_u64(&o->c, p, NULL, 0, g->hidden_sbs);
	pd_common_prom_write(&o->c, p);
}
