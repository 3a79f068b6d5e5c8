/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere --cgroup: one row per memory cgroup, as a tree: usage and
 * limits, memory.stat's items adding up to the usage, events, pressure,
 * the PSS of its processes, what no process maps, who it is. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mwtool.h"

const struct pd_column memwhere_cgroup_cols[NCCOLS] = {
	[CCOL_CGROUP] = { "CGROUP", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "cgroup path (the table shows the tree: each name indented under its parent)" },
	[CCOL_NAME] = { "NAME", PD_COL_STR, PD_COLF_DEFAULT, "who it is: pod, container (runtime:name or short id) or systemd unit" },
	[CCOL_CURRENT] = { "CURRENT", PD_COL_SIZE, PD_COLF_DEFAULT, "memory charged to it and below it (memory.current; v1 usage_in_bytes)" },
	[CCOL_PEAK] = { "PEAK", PD_COL_SIZE, 0, "the most it was charged (memory.peak, 5.19+; v1 max_usage_in_bytes)" },
	[CCOL_MIN] = { "MIN", PD_COL_SIZE, 0, "memory.min: protected from reclaim (v2)" },
	[CCOL_LOW] = { "LOW", PD_COL_SIZE, 0, "memory.low: protected while possible (v2)" },
	[CCOL_HIGH] = { "HIGH", PD_COL_SIZE, 0, "memory.high: throttled above it (v2); empty: none" },
	[CCOL_MAX] = { "MAX", PD_COL_SIZE, PD_COLF_DEFAULT, "memory.max (v1 limit_in_bytes): OOM above it; empty: none" },
	[CCOL_USE_PCT] = { "USE_PCT", PD_COL_CENTI, PD_COLF_DEFAULT, "CURRENT as % of MAX" },
	[CCOL_SWAP] = { "SWAP", PD_COL_SIZE, 0, "swap used (memory.swap.current; v1 memsw - usage)" },
	[CCOL_SWAP_MAX] = { "SWAP_MAX", PD_COL_SIZE, 0, "swap limit; empty: none" },
	[CCOL_ZSWAP] = { "ZSWAP", PD_COL_SIZE, 0, "compressed swap in RAM (memory.zswap.current, 5.19+)" },
	[CCOL_ANON] = { "ANON", PD_COL_SIZE, PD_COLF_DEFAULT, "anonymous memory mapped by processes (memory.stat anon; v1 total_rss)" },
	[CCOL_FILE] = { "FILE", PD_COL_SIZE, PD_COLF_DEFAULT, "page cache, shmem included (file; v1 total_cache)" },
	[CCOL_SHMEM] = { "SHMEM", PD_COL_SIZE, 0, "tmpfs, shared anonymous, SysV (in FILE)" },
	[CCOL_FILE_MAPPED] = { "FILE_MAPPED", PD_COL_SIZE, 0, "page cache mapped by processes (in FILE)" },
	[CCOL_FILE_DIRTY] = { "FILE_DIRTY", PD_COL_SIZE, 0, "dirty page cache (in FILE)" },
	[CCOL_KERNEL] = { "KERNEL", PD_COL_SIZE, PD_COLF_DEFAULT, "kernel memory: memory.stat kernel (or its parts) + sock; v1 kmem.usage_in_bytes" },
	[CCOL_SLAB] = { "SLAB", PD_COL_SIZE, 0, "slab objects (in KERNEL)" },
	[CCOL_SOCK] = { "SOCK", PD_COL_SIZE, 0, "network buffers (in KERNEL, v2)" },
	[CCOL_ANON_THP] = { "ANON_THP", PD_COL_SIZE, 0, "transparent huge pages in ANON (v1 total_rss_huge)" },
	[CCOL_FILE_THP] = { "FILE_THP", PD_COL_SIZE, 0, "transparent huge pages of files, in FILE (v2)" },
	[CCOL_SHMEM_THP] = { "SHMEM_THP", PD_COL_SIZE, 0, "transparent huge pages of shmem, in SHMEM (v2)" },
	[CCOL_REST] = { "REST", PD_COL_SSIZE, 0, "CURRENT - ANON - FILE - KERNEL: in none of them (unmapped swap cache; memory.stat's lag)" },
	[CCOL_UNMAPPED] = { "UNMAPPED", PD_COL_SSIZE, PD_COLF_DEFAULT, "CURRENT - ANON - FILE_MAPPED: charged, mapped by no process" },
	[CCOL_PSS] = { "PSS", PD_COL_SIZE, 0, "PSS of its processes and its descendants' (reads every process)" },
	[CCOL_PROCS] = { "PROCS", PD_COL_NUM, PD_COLF_DEFAULT, "processes in it and below it" },
	[CCOL_OWN] = { "OWN", PD_COL_SSIZE, 0, "CURRENT less its live children's: its own and its dying descendants' charges" },
	[CCOL_DYING] = { "DYING", PD_COL_NUM, 0, "dying descendants still charged (cgroup.stat, v2)" },
	[CCOL_EV_LOW] = { "EV_LOW", PD_COL_NUM, 0, "memory.events low (with -i: in the interval)" },
	[CCOL_EV_HIGH] = { "EV_HIGH", PD_COL_NUM, 0, "memory.events high: times throttled over memory.high" },
	[CCOL_EV_MAX] = { "EV_MAX", PD_COL_NUM, 0, "memory.events max: times at memory.max" },
	[CCOL_EV_OOM] = { "EV_OOM", PD_COL_NUM, 0, "memory.events oom: OOMs at memory.max" },
	[CCOL_EV_OOM_KILL] = { "EV_OOM_KILL", PD_COL_NUM, PD_COLF_DEFAULT, "processes OOM-killed (memory.events; v1 oom_control)" },
	[CCOL_EV_OOM_GROUP_KILL] = { "EV_OOM_GROUP_KILL", PD_COL_NUM, 0, "memory.events oom_group_kill" },
	[CCOL_FAILCNT] = { "FAILCNT", PD_COL_NUM, 0, "v1 memory.failcnt: times usage hit the limit" },
	[CCOL_PSI_SOME] = { "PSI_SOME", PD_COL_CENTI, PD_COLF_DEFAULT, "memory.pressure some avg10, % (v2)" },
	[CCOL_PSI_FULL] = { "PSI_FULL", PD_COL_CENTI, 0, "memory.pressure full avg10, %" },
	[CCOL_PSI_SOME_AVG60] = { "PSI_SOME_AVG60", PD_COL_CENTI, 0, "some avg60, %" },
	[CCOL_PSI_SOME_AVG300] = { "PSI_SOME_AVG300", PD_COL_CENTI, 0, "some avg300, %" },
	[CCOL_PSI_FULL_AVG60] = { "PSI_FULL_AVG60", PD_COL_CENTI, 0, "full avg60, %" },
	[CCOL_PSI_FULL_AVG300] = { "PSI_FULL_AVG300", PD_COL_CENTI, 0, "full avg300, %" },
	[CCOL_UNIT] = { "UNIT", PD_COL_STR, 0, "systemd unit" },
	[CCOL_CONTAINER] = { "CONTAINER", PD_COL_STR, 0, "container: runtime:name (or short id)" },
	[CCOL_POD] = { "POD", PD_COL_STR, 0, "Kubernetes pod: namespace/name (or uid)" },
	[CCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "verdicts: at the limit, throttled, OOM-killed, charged but unmapped, dying descendants" },
};

static bool wants(const struct ctx *x, const size_t *cols, size_t n)
{
	const char *sort = x->o->c.sort ? x->o->c.sort : "";
	int sc = pd_report_column_index(x->rep, sort + (*sort == '+' ||
							*sort == '-'));
	size_t i;

	for (i = 0; i < n; i++)
		if (pd_report_is_selected(x->rep, cols[i]) ||
		    sc == (int)cols[i])
			return true;
	return false;
}

unsigned memwhere_cgroup_files(const struct ctx *x)
{
	static const size_t stat[] = {
		CCOL_ANON, CCOL_FILE, CCOL_SHMEM, CCOL_FILE_MAPPED,
		CCOL_FILE_DIRTY, CCOL_KERNEL, CCOL_SLAB, CCOL_SOCK,
		CCOL_ANON_THP, CCOL_FILE_THP, CCOL_SHMEM_THP, CCOL_REST,
		CCOL_UNMAPPED, CCOL_NOTE,
	};
	static const size_t events[] = {
		CCOL_EV_LOW, CCOL_EV_HIGH, CCOL_EV_MAX, CCOL_EV_OOM,
		CCOL_EV_OOM_KILL, CCOL_EV_OOM_GROUP_KILL, CCOL_FAILCNT,
		CCOL_NOTE,
	};
	static const size_t psi[] = {
		CCOL_PSI_SOME, CCOL_PSI_FULL, CCOL_PSI_SOME_AVG60,
		CCOL_PSI_SOME_AVG300, CCOL_PSI_FULL_AVG60,
		CCOL_PSI_FULL_AVG300, CCOL_NOTE,
	};
	static const size_t dying[] = { CCOL_DYING, CCOL_NOTE };
	static const size_t peak[] = { CCOL_PEAK };
	static const size_t swap[] = { CCOL_SWAP, CCOL_SWAP_MAX, CCOL_ZSWAP };
	/* usage and limits always: USE_PCT, OWN, -w and -c need them */
	unsigned w = PD_MEMCG_WANT_USAGE | PD_MEMCG_WANT_LIMITS;

	if (wants(x, stat, sizeof(stat) / sizeof(stat[0])))
		w |= PD_MEMCG_WANT_STAT;
	if (wants(x, events, sizeof(events) / sizeof(events[0])) ||
	    x->o->c.prom_file)
		w |= PD_MEMCG_WANT_EVENTS;
	if (wants(x, psi, sizeof(psi) / sizeof(psi[0])) || x->o->c.prom_file ||
	    x->o->has_psi_some || x->o->has_psi_full)
		w |= PD_MEMCG_WANT_PRESSURE;
	if (wants(x, dying, 2))
		w |= PD_MEMCG_WANT_CGSTAT;
	if (wants(x, peak, 1))
		w |= PD_MEMCG_WANT_PEAK;
	if (wants(x, swap, 3))
		w |= PD_MEMCG_WANT_SWAP;
	return w;
}

unsigned memwhere_cgroup_want(const struct ctx *x)
{
	static const size_t names[] = {
		CCOL_NAME, CCOL_UNIT, CCOL_CONTAINER, CCOL_POD,
	};
	static const size_t procs[] = { CCOL_PROCS, CCOL_NOTE };
	static const size_t pss[] = { CCOL_PSS };
	unsigned want = PD_MW_WANT_CGROUPS;

	if (wants(x, names, 4) || x->o->c.prom_file)
		want |= PD_MW_WANT_NAMES;
	if (wants(x, procs, 2))
		want |= PD_MW_WANT_PROCS;
	if (wants(x, pss, 1))
		want |= PD_MW_WANT_PSS;
	return want;
}

static const struct pd_memcg_node *node(const struct ctx *x, size_t i)
{
	return pd_memcg_node(pd_mw_memcg(x->mw), i);
}

static bool has(const struct pd_memcg_node *n, enum pd_memcg_value v)
{
	return n->has & (1u << v);
}

bool memwhere_cgroup_limited(const struct ctx *x, size_t i, uint64_t *ret_max)
{
	const struct pd_memcg_node *n = node(x, i);

	if (!has(n, PD_MEMCG_MAX) || n->v[PD_MEMCG_MAX] == PD_MEMCG_UNLIMITED ||
	    !has(n, PD_MEMCG_CURRENT) || n->root)
		return false;
	if (ret_max)
		*ret_max = n->v[PD_MEMCG_MAX];
	return true;
}

void memwhere_limit_words(const struct ctx *x, size_t i, char *buf, size_t n)
{
	const struct pd_memcg_node *c = node(x, i);
	char cur[32], max[32], pct[16];
	uint64_t m = 0;

	memwhere_cgroup_limited(x, i, &m);
	pd_health_size(c->v[PD_MEMCG_CURRENT], cur, sizeof(cur));
	pd_health_size(m, max, sizeof(max));
	memwhere_pct((uint64_t)memwhere_centi((int64_t)c->v[PD_MEMCG_CURRENT],
					      m), pct, sizeof(pct));
	snprintf(buf, n, "%s of %s, %s", cur, max, pct);
}

/* Event E now, or counted in the -i interval. */
static bool event(const struct ctx *x, size_t i, enum pd_memcg_event e,
		  uint64_t *ret)
{
	const struct pd_mw_cgroup *g = pd_mw_cgroup(x->mw, i);
	const struct pd_memcg_node *n = node(x, i);

	if (!(n->ev_has & (1u << e)))
		return false;
	*ret = g->has_ev_delta ? g->ev_delta[e] : n->ev[e];
	return true;
}

static void set_size(struct pd_row *row, size_t col,
		     const struct pd_memcg_node *n, enum pd_memcg_value v)
{
	if (has(n, v) && n->v[v] != PD_MEMCG_UNLIMITED)
		pd_row_set_u64(row, col, n->v[v]);
}

static void set_item(struct pd_row *row, size_t col,
		     const struct pd_memcg_items *it, enum pd_memcg_item i)
{
	if (it->has & (1u << i))
		pd_row_set_u64(row, col, it->v[i]);
}

static void set_text(const struct ctx *x, struct pd_row *row, size_t col,
		     const char *s)
{
	if (s && *s)
		pd_check_alloc(&x->o->c, pd_row_set_str(row, col, s));
}

/* The names people know: NAME, UNIT, CONTAINER, POD; CONTAINER and POD
 * in the words of every tool (pd_cgname_container_text()). */
static void names(const struct ctx *x, struct pd_row *row,
		  const struct pd_cgname *nm)
{
	char cbuf[PD_CGNAME_TEXT_SIZE], pbuf[PD_CGNAME_TEXT_SIZE];
	const char *ctr = pd_cgname_container_text(nm, cbuf, sizeof(cbuf));
	const char *pod = pd_cgname_pod_text(nm, pbuf, sizeof(pbuf));

	set_text(x, row, CCOL_UNIT, nm->unit);
	set_text(x, row, CCOL_CONTAINER, ctr);
	set_text(x, row, CCOL_POD, pod);
	if (pod && ctr) {
		char both[2 * PD_CGNAME_TEXT_SIZE + 8];

		snprintf(both, sizeof(both), "pod %s %s", pod, ctr);
		set_text(x, row, CCOL_NAME, both);
	} else if (pod) {
		char p[PD_CGNAME_TEXT_SIZE + 8];

		snprintf(p, sizeof(p), "pod %s", pod);
		set_text(x, row, CCOL_NAME, p);
	} else if (ctr) {
		set_text(x, row, CCOL_NAME, ctr);
	} else {
		set_text(x, row, CCOL_NAME, nm->unit);
	}
}

static void note(const struct ctx *x, size_t i, struct pd_strbuf *sb)
{
	const struct pd_mw_cgroup *g = pd_mw_cgroup(x->mw, i);
	const struct pd_memcg_items *it = &g->items;
	const struct pd_memcg_node *n = node(x, i);
	const struct pd_mw_activity *a = pd_mw_activity(x->mw);
	uint64_t cur = n->v[PD_MEMCG_CURRENT], m, ev;
	char w[96], s1[16], s2[16], s3[16], psi[64];

	if (memwhere_cgroup_limited(x, i, &m) &&
	    memwhere_centi((int64_t)cur, m) >= 9000) {
		memwhere_limit_words(x, i, w, sizeof(w));
		memwhere_notef(sb, "at its limit: %s", w);
	}
	psi[0] = '\0';
	if (n->has_pressure && n->pressure.some.avg10)
		memwhere_psi_words(&n->pressure, psi, sizeof(psi));
	if (has(n, PD_MEMCG_HIGH) && n->v[PD_MEMCG_HIGH] != PD_MEMCG_UNLIMITED &&
	    event(x, i, PD_MEMCG_EV_HIGH, &ev) && ev) {
		memwhere_count(ev, s1, sizeof(s1));
		pd_health_size(n->v[PD_MEMCG_HIGH], s2, sizeof(s2));
		if (g->has_ev_delta)
			memwhere_notef(sb, "throttled now: %s memory.high events in %.1f s (high %s)%s%s",
				       s1, a->seconds, s2, psi[0] ? ", pressure " : "", psi);
		else
			memwhere_notef(sb, "throttled: %s memory.high events (high %s)%s%s",
				       s1, s2, psi[0] ? ", pressure " : "", psi);
	} else if (n->has_pressure && n->pressure.some.avg10 >= 1000) {
		memwhere_notef(sb, "under pressure: %s", psi);
	}
	if (event(x, i, PD_MEMCG_EV_MAX, &ev) && ev) {
		memwhere_count(ev, s1, sizeof(s1));
		memwhere_notef(sb, "reclaimed at memory.max %s time%s", s1,
			       ev == 1 ? "" : "s");
	}
	if (event(x, i, PD_MEMCG_EV_OOM_KILL, &ev) && ev) {
		memwhere_count(ev, s1, sizeof(s1));
		memwhere_notef(sb, "%s process%s OOM-killed%s", s1,
			       ev == 1 ? "" : "es",
			       g->has_ev_delta ? " in the interval" : "");
	}
	if (event(x, i, PD_MEMCG_EV_UNDER_OOM, &ev) && ev)
		memwhere_notef(sb, "an OOM is waiting (oom_kill_disable)");
	if (has(n, PD_MEMCG_FAILCNT) && n->v[PD_MEMCG_FAILCNT]) {
		memwhere_count(n->v[PD_MEMCG_FAILCNT], s1, sizeof(s1));
		memwhere_notef(sb, "usage hit the limit %s times (failcnt)", s1);
	}
	/* the container at its limit whose processes are small */
	if (it->has_unmapped && has(n, PD_MEMCG_CURRENT) && cur &&
	    it->unmapped >= (1 << 20) && (uint64_t)it->unmapped * 2 >= cur) {
		int64_t f = (int64_t)(it->v[PD_MEMCG_FILE] -
				      it->v[PD_MEMCG_FILE_MAPPED]);

		memwhere_size(it->unmapped, s1, sizeof(s1));
		memwhere_size(f, s2, sizeof(s2));
		memwhere_size((int64_t)it->v[PD_MEMCG_KERNEL], s3, sizeof(s3));
		/* the v1 root's usage has no kernel memory in it */
		if (it->kernel_in_current)
			memwhere_notef(sb, "%s charged that no process maps: unmapped page cache and tmpfs %s, kernel %s",
				       s1, s2, s3);
		else
			memwhere_notef(sb, "%s charged that no process maps: unmapped page cache and tmpfs %s",
				       s1, s2);
	}
	if (g->has_procs && !g->procs && has(n, PD_MEMCG_CURRENT) && cur)
		memwhere_notef(sb, "no process");
	if (n->has_cgstat && n->nr_dying_descendants) {
		memwhere_count(n->nr_dying_descendants, s1, sizeof(s1));
		if (g->has_own) {
			memwhere_size(g->own, s2, sizeof(s2));
			memwhere_notef(sb, "%s dying descendants; %s charged here is in no live child (its own and the dying ones')", s1, s2);
		} else {
			memwhere_notef(sb, "%s dying descendants still charged", s1);
		}
	}
}

static void fill(struct ctx *x, size_t i, struct pd_row *row)
{
	const struct pd_mw_cgroup *g = pd_mw_cgroup(x->mw, i);
	const struct pd_memcg_items *it = &g->items;
	const struct pd_memcg_node *n = node(x, i);
	static const struct {
		size_t col;
		enum pd_memcg_event e;
	} evs[] = {
		{ CCOL_EV_LOW, PD_MEMCG_EV_LOW },
		{ CCOL_EV_HIGH, PD_MEMCG_EV_HIGH },
		{ CCOL_EV_MAX, PD_MEMCG_EV_MAX },
		{ CCOL_EV_OOM, PD_MEMCG_EV_OOM },
		{ CCOL_EV_OOM_KILL, PD_MEMCG_EV_OOM_KILL },
		{ CCOL_EV_OOM_GROUP_KILL, PD_MEMCG_EV_OOM_GROUP_KILL },
	};
	struct pd_strbuf sb = { 0 };
	uint64_t m, ev;
	size_t k;

	set_size(row, CCOL_CURRENT, n, PD_MEMCG_CURRENT);
	set_size(row, CCOL_PEAK, n, PD_MEMCG_PEAK);
	set_size(row, CCOL_MIN, n, PD_MEMCG_MIN);
	set_size(row, CCOL_LOW, n, PD_MEMCG_LOW);
	set_size(row, CCOL_HIGH, n, PD_MEMCG_HIGH);
	set_size(row, CCOL_MAX, n, PD_MEMCG_MAX);
	if (memwhere_cgroup_limited(x, i, &m))
		pd_row_set_u64(row, CCOL_USE_PCT, (uint64_t)memwhere_centi(
			       (int64_t)n->v[PD_MEMCG_CURRENT], m));
	set_size(row, CCOL_SWAP, n, PD_MEMCG_SWAP_CURRENT);
	set_size(row, CCOL_SWAP_MAX, n, PD_MEMCG_SWAP_MAX);
	set_size(row, CCOL_ZSWAP, n, PD_MEMCG_ZSWAP_CURRENT);
	set_item(row, CCOL_ANON, it, PD_MEMCG_ANON);
	set_item(row, CCOL_FILE, it, PD_MEMCG_FILE);
	set_item(row, CCOL_SHMEM, it, PD_MEMCG_SHMEM);
	set_item(row, CCOL_FILE_MAPPED, it, PD_MEMCG_FILE_MAPPED);
	set_item(row, CCOL_FILE_DIRTY, it, PD_MEMCG_FILE_DIRTY);
	set_item(row, CCOL_KERNEL, it, PD_MEMCG_KERNEL);
	set_item(row, CCOL_SLAB, it, PD_MEMCG_SLAB);
	set_item(row, CCOL_SOCK, it, PD_MEMCG_SOCK);
	set_item(row, CCOL_ANON_THP, it, PD_MEMCG_ANON_THP);
	set_item(row, CCOL_FILE_THP, it, PD_MEMCG_FILE_THP);
	set_item(row, CCOL_SHMEM_THP, it, PD_MEMCG_SHMEM_THP);
	if (it->has_rest)
		pd_row_set_s64(row, CCOL_REST, it->rest);
	if (it->has_unmapped)
		pd_row_set_s64(row, CCOL_UNMAPPED, it->unmapped);
	if (g->has_pss)
		pd_row_set_u64(row, CCOL_PSS, g->pss);
	if (g->has_procs)
		pd_row_set_u64(row, CCOL_PROCS, g->procs);
	if (g->has_own)
		pd_row_set_s64(row, CCOL_OWN, g->own);
	if (n->has_cgstat)
		pd_row_set_u64(row, CCOL_DYING, n->nr_dying_descendants);
	for (k = 0; k < sizeof(evs) / sizeof(evs[0]); k++)
		if (event(x, i, evs[k].e, &ev))
			pd_row_set_u64(row, evs[k].col, ev);
	set_size(row, CCOL_FAILCNT, n, PD_MEMCG_FAILCNT);
	if (n->has_pressure) {
		pd_row_set_u64(row, CCOL_PSI_SOME, n->pressure.some.avg10);
		pd_row_set_u64(row, CCOL_PSI_SOME_AVG60, n->pressure.some.avg60);
		pd_row_set_u64(row, CCOL_PSI_SOME_AVG300, n->pressure.some.avg300);
		if (n->pressure.full.present) {
			pd_row_set_u64(row, CCOL_PSI_FULL, n->pressure.full.avg10);
			pd_row_set_u64(row, CCOL_PSI_FULL_AVG60,
				       n->pressure.full.avg60);
			pd_row_set_u64(row, CCOL_PSI_FULL_AVG300,
				       n->pressure.full.avg300);
		}
	}
	names(x, row, &g->name);
	note(x, i, &sb);
	set_text(x, row, CCOL_NOTE, sb.s);
	free(sb.s);
}

/* Is cgroup I among the rows: with thresholds only the ones over one. */
static bool shown(const struct ctx *x, size_t i)
{
	const struct pd_memcg_node *n = node(x, i);
	size_t f;

	if (x->o->has_min && (!has(n, PD_MEMCG_CURRENT) ||
			      n->v[PD_MEMCG_CURRENT] < x->o->min_size))
		return false;
	if (!memwhere_has_threshold(x->o))
		return true;
	if (x->psi_over && x->psi_over[i])
		return true;
	for (f = 0; f < x->health.nfigs; f++)
		if (x->fig_cg[f] == i)
			return x->figs[f].status != PD_STATUS_OK;
	return false;
}

void memwhere_cgroup_rows(struct ctx *x)
{
	size_t i, n = pd_mw_ncgroups(x->mw);
	bool tree = x->tree && !memwhere_has_threshold(x->o) &&
		    !x->o->has_min;

	for (i = 0; i < n; i++) {
		const struct pd_memcg_node *c = node(x, i);
		struct pd_row *row;
		char *text;

		if (!shown(x, i))
			continue;
		pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &row));
		if (tree && c->depth) {
			if (asprintf(&text, "%*s%s", (int)(2 * c->depth), "",
				     c->name) < 0)
				pd_check_alloc(&x->o->c, -ENOMEM);
			pd_check_alloc(&x->o->c, pd_row_set_str(row, CCOL_CGROUP,
								text));
			free(text);
		} else {
			pd_check_alloc(&x->o->c, pd_row_set_str(row, CCOL_CGROUP,
								c->path));
		}
		fill(x, i, row);
	}
}
