/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: --explain, why one process ranks where it does, in words. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomrank.h"

static void human(uint64_t bytes, char *buf, size_t n)
{
	pd_size_to_human(bytes, buf, n);
}

static void explain_part(const char *name, uint64_t bytes, unsigned long ps,
			 bool round)
{
	char h[32];

	human(bytes, h, sizeof(h));
	printf("  %-12s %8s %14" PRIu64 " %10" PRIu64 "%s\n", name, h, bytes,
	       bytes / ps, round && bytes % ps ? "  (rounded down)" : "");
}

static const char *reason_text(enum pd_oom_reason r)
{
	switch (r) {
	case PD_OOM_ELIGIBLE: break;
	case PD_OOM_INIT: return "it is init (pid 1), which the killer never picks";
	case PD_OOM_KTHREAD: return "it is a kernel thread";
	case PD_OOM_NO_MM:
		return "it has no memory map (a zombie, or exiting): nothing to free";
	case PD_OOM_ADJ_MIN: return "its oom_score_adj is -1000, which exempts it";
	}
	return "";
}

/*
 * The pages E must gain to be picked before A: as many as it trails by,
 * one more unless it comes later in the scan (a tie goes to the later).
 */
static uint64_t more_pages(const struct pd_oomentry *a,
			   const struct pd_oomentry *e)
{
	return (uint64_t)(a->badness - e->badness) + (e->pos > a->pos ? 0 : 1);
}

/* Its place in ranking D: rank, who goes first, what the adj did. Every
 * name from the system goes through pd_esc(E). */
static void explain_domain(struct pd_oomscan *os, const struct pd_oomdomain *d,
			   size_t proc, struct pd_escs *esc)
{
	const struct pd_oomsys *sys = pd_oomscan_sys(os);
	const struct pd_oomproc *p = pd_oomscan_proc(os, proc);
	const struct pd_oomentry *e;
	char h1[32], h2[32];
	size_t i, ei;
	uint64_t gap;
	unsigned r0;

	if (pd_oomdomain_find(d, proc, &ei) < 0)
		return;
	e = &d->entries[ei];
	if (!d->cgroup) {
		human(sys->mem_total, h1, sizeof(h1));
		human(sys->swap_total, h2, sizeof(h2));
		printf("\nWhole machine (RAM %s + swap %s = %" PRIu64 " pages):",
		       h1, h2, d->totalpages);
	} else {
		printf("\nMemory cgroup %s", pd_esc(esc, d->cgroup));
		if (d->limit_cgroup) {
			human(d->limit, h1, sizeof(h1));
			printf(" (limit %s%s%s", d->has_limit ? h1 : "none",
			       strcmp(d->limit_cgroup, d->cgroup) ? " of " : "",
			       strcmp(d->limit_cgroup, d->cgroup) ?
			       pd_esc(esc, d->limit_cgroup) : "");
			if (d->has_swap_limit) {
				human(d->swap_limit, h2, sizeof(h2));
				printf(", swap %s", h2);
			}
			printf(")");
		}
		printf(", %" PRIu64 " pages:", d->totalpages);
	}
	r0 = pd_oomdomain_rank_without_adj(os, d, ei);
	if (!e->rank) {
		printf(" never picked.\n");
		if (p->task.adj && r0)
			printf("  With oom_score_adj 0 it would rank %u.\n", r0);
		return;
	}
	printf(" rank %u of %zu.\n", e->rank, d->ncandidates);
	printf("  badness %" PRId64 " pages, %" PRId64
	       " thousandths of the total.\n", e->badness,
	       pd_oom_permille(e->badness, d->totalpages));
	if (e->rank == 1) {
		printf("  It is the first victim");
		if (e->has_margin) {
			const struct pd_oomproc *n =
				pd_oomscan_proc(os, d->entries[ei + 1].proc);

			human(e->margin * sys->page_size, h1, sizeof(h1));
			if (e->margin)
				printf("; it leads the next, pid %d (%s), by %"
				       PRIu64 " pages (%s)", (int)n->pid,
				       pd_esc(esc, n->comm), e->margin, h1);
			else
				printf("; it ties with the next, pid %d (%s), "
				       "and wins as the later one in the "
				       "kernel's scan", (int)n->pid,
				       pd_esc(esc, n->comm));
		}
		printf(".\n");
	} else {
		printf("  Picked before it, one per OOM kill:\n");
		/* the first ten, and always the one just before it */
		for (i = 0; i < ei; i++) {
			const struct pd_oomproc *q;

			if (i >= 10 && i != ei - 1) {
				if (i == 10)
					printf("    ... %zu more\n", ei - 11);
				continue;
			}
			q = pd_oomscan_proc(os, d->entries[i].proc);
			printf("    %3u  pid %-7d %-16s badness %" PRId64 "\n",
			       d->entries[i].rank, (int)q->pid,
			       pd_esc(esc, q->comm),
			       d->entries[i].badness);
		}
		gap = more_pages(&d->entries[0], e);
		human(gap * sys->page_size, h1, sizeof(h1));
		printf("  It would go first with %" PRIu64 " more pages of "
		       "memory (%s)", gap, h1);
		if (ei > 1) {
			gap = more_pages(&d->entries[ei - 1], e);
			human(gap * sys->page_size, h2, sizeof(h2));
			printf(", move up one with %" PRIu64 " (%s)", gap, h2);
		}
		printf(".\n");
	}
	if (p->task.adj && r0 && r0 != e->rank)
		printf("  With oom_score_adj 0 it would rank %u.\n", r0);
	if (e->kill_group)
		printf("  memory.oom.group of %s: every process there dies "
		       "with it.\n", pd_esc(esc, e->kill_group));
}

/*
 * The deleted tmpfs files P holds: oom_badness() counts only the pages it
 * maps and touched (RssShmem); killing it frees a file only when no other
 * process holds it. Its names go through pd_esc().
 */
static void explain_deleted(struct pd_oomscan *os, const struct pd_oomproc *p,
			    struct pd_escs *esc)
{
	struct pd_oomheld *held;
	uint64_t frees = 0;
	size_t n, i;
	char h[32];
	int r;

	r = pd_oomscan_deleted(os, p->pid, &held, &n);
	if (r < 0) {
		printf("  (its deleted tmpfs files could not be looked for: "
		       "%s)\n", strerror(-r));
		return;
	}
	for (i = 0; i < n; i++) {
		const struct pd_oomheld *d = &held[i];

		human(d->alloc, h, sizeof(h));
		if (d->fd >= 0)
			printf("  fd %d", d->fd);
		else
			printf("  mapped");
		printf(" %s, deleted (tmpfs): %s allocated, %s; ",
		       pd_esc(esc, d->name), d->sized ? h : "size unknown",
		       d->mapped ? "mapped: the pages it has touched are in "
		       "shmem above" : "not mapped: none of it in its badness");
		if (d->others)
			printf("%zu other process%s hold%s it: killing this one "
			       "frees none of it\n", d->others,
			       d->others == 1 ? "" : "es",
			       d->others == 1 ? "s" : "");
		else
			printf("no other process holds it: killing it frees "
			       "it\n");
		if (!d->others && !d->mapped && d->sized)
			frees += d->alloc;
	}
	if (frees) {
		human(frees, h, sizeof(h));
		printf("  It holds %s in deleted tmpfs files that killing it "
		       "would free, none of it in its score.\n", h);
	}
	pd_oomheld_free(held, n);
}

static void explain_held(struct pd_oomscan *os, const struct pd_oomproc *p,
			 struct pd_escs *esc)
{
	struct pd_oomheld *held;
	char h[32];
	size_t n, i;
	int r;

	printf("\nMemory it holds that the killer does not count:\n");
	r = pd_oomscan_memfds(os, p->pid, &held, &n);
	if (r < 0) {
		printf("  (its open files could not be read: %s)\n",
		       strerror(-r));
	} else {
		for (i = 0; i < n; i++) {
			human(held[i].alloc, h, sizeof(h));
			printf("  fd %d %s: %s allocated; only the pages it maps "
			       "and has touched are in shmem above\n",
			       held[i].fd, pd_esc(esc, held[i].name), h);
		}
		pd_oomheld_free(held, n);
		explain_deleted(os, p, esc);
	}
	human(p->task.shmem, h, sizeof(h));
	printf("  shmem (%s here) counts in full in every process that maps "
	       "it; killing this one frees it only if no other process maps "
	       "it and no tmpfs file, memfd or SysV segment keeps it.\n", h);
	printf("  Not counted at all: kernel memory it causes (slab, socket "
	       "buffers), page cache it does not map, hugetlbfs pages.\n");
}

static void explain_sysctl(const char *name, int v, const char *what)
{
	if (v < 0)
		printf("  vm.%s: unreadable\n", name);
	else
		printf("  vm.%s = %d: %s\n", name, v, what);
}

static void explain_settings(const struct pd_oomsys *sys)
{
	int v;

	printf("\nSettings that change the outcome:\n");
	v = sys->panic_on_oom;
	explain_sysctl("panic_on_oom", v, v == 0 ? "the kernel kills a process" :
		       v == 1 ? "a machine-wide OOM panics the kernel instead "
			       "(a cgroup OOM still kills)" :
		       "every OOM panics the kernel, cgroup ones too");
	v = sys->oom_kill_allocating_task;
	explain_sysctl("oom_kill_allocating_task", v, v == 0 ?
		       "the victim is chosen by badness, as above" :
		       "a machine-wide OOM kills the task that hit it, not "
		       "the top of this ranking");
	v = sys->overcommit_memory;
	explain_sysctl("overcommit_memory", v, v == 0 ?
		       "heuristic overcommit: an OOM can happen" : v == 1 ?
		       "always overcommit: an OOM can happen" :
		       "strict accounting: allocations fail before memory "
		       "runs out, OOMs are rare");
}

/* The parts oom_badness() adds up, in bytes and pages, and the adj. */
static void explain_parts(const struct pd_oomsys *sys,
			  const struct pd_oomproc *p)
{
	unsigned long ps = sys->page_size;
	int64_t pages = pd_oom_task_pages(&p->task, ps);
	char h[32];

	printf("\nWhat oom_badness() counts%s:\n", p->mm_from_thread ?
	       " (read from a live thread: its leader has exited)" : "");
	printf("  %-12s %8s %14s %10s\n", "", "size", "bytes", "pages");
	explain_part("anon", p->task.anon, ps, false);
	explain_part("file", p->task.file, ps, false);
	explain_part("shmem", p->task.shmem, ps, false);
	explain_part("swap", p->task.swap, ps, false);
	explain_part("page tables", p->task.pagetables, ps, true);
	human((uint64_t)pages * ps, h, sizeof(h));
	printf("  %-12s %8s %14" PRIu64 " %10" PRId64 "\n", "memory", h,
	       (uint64_t)pages * ps, pages);
	if (p->reason != PD_OOM_ELIGIBLE)
		return;
	printf("  adj %+d x (%" PRIu64 " / 1000 = %" PRIu64 " pages of %lu "
	       "bytes) %+" PRId64 "\n", p->task.adj, sys->totalpages,
	       sys->totalpages / 1000, ps,
	       (int64_t)p->task.adj * (int64_t)(sys->totalpages / 1000));
	printf("  %-12s %8s %14s %10" PRId64 "  (machine-wide)\n", "badness",
	       "", "", p->badness);
}

void oomrank_explain(struct opts *o, struct pd_oomscan *os)
{
	const struct pd_oomsys *sys = pd_oomscan_sys(os);
	const struct pd_oomproc *p;
	struct pd_escs esc = { 0 };
	size_t i, idx;

	if (pd_oomscan_find(os, o->explain, &idx) < 0)
		pd_die(&o->c, "pid %d: no such process (or not readable)",
		       (int)o->explain);
	p = pd_oomscan_proc(os, idx);
	printf("pid %d (%s), user %s", (int)p->pid, pd_esc(&esc, p->comm),
	       pd_esc(&esc, p->user));
	if (p->cgroup)
		printf(", cgroup %s", pd_esc(&esc, p->cgroup));
	printf("\noom_score_adj %+d; oom_score %" PRIu64 " (kernel: ",
	       p->task.adj, p->score);
	if (p->has_kernel_score)
		printf("%" PRIu64 ")\n", p->kernel_score);
	else
		printf("unreadable)\n");
	if (p->task.has_mm)
		explain_parts(sys, p);
	if (p->reason != PD_OOM_ELIGIBLE) {
		printf("\nNever picked: %s.\n", reason_text(p->reason));
		if (p->reason == PD_OOM_ADJ_MIN)
			explain_domain(os, pd_oomscan_domain(os, 0), idx,
				       &esc);
	} else {
		for (i = 0; i < pd_oomscan_ndomains(os); i++)
			explain_domain(os, pd_oomscan_domain(os, i), idx,
				       &esc);
	}
	if (p->task.has_mm)
		explain_held(os, p, &esc);
	explain_settings(sys);
	pd_escs_release(&esc);
}
