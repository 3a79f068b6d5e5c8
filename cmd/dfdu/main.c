/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: why df and du disagree, file system by file system, cause by
 * cause. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"
#include "dfdu.h"

/* Does FS pass --min-gap? */
static bool over_min_gap(const struct opts *o, const struct pd_dffs *fs)
{
	if (!o->has_min_gap)
		return true;
	if (fs->gap_known)
		return fs->gap >= (int64_t)o->min_gap ||
		       (fs->unexplained_known &&
			fs->unexplained >= (int64_t)o->min_gap);
	/* Not walked: the part of the gap that is known. */
	return !fs->deleted_why && fs->deleted >= o->min_gap;
}

/* Once per cause, over every file system shown. */
static void warn_fs(const struct opts *o, const struct pd_dfscan *ds,
		    const bool *shown)
{
	unsigned needs_root = 0, unreadable = 0, fs_root = 0;
	size_t i;

	for (i = 0; i < pd_dfscan_nfs(ds); i++) {
		const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

		if (!shown[i])
			continue;
		if (fs->df_why == PD_DF_TIMED_OUT)
			pd_warn(&o->c, "%s did not answer within %u ms",
				fs->mount, o->timeout_ms);
		else if (fs->df_why == PD_DF_UNREACHABLE)
			pd_warn(&o->c, "%s (%s): every mount of it is covered "
				"by another mount%s: not measured", fs->mount,
				fs->source, fs->df_err == EPERM ?
				"; reaching it needs root" : "");
		else if (fs->df_why)
			pd_warn(&o->c, "%s: cannot read its size: %s",
				fs->mount,
				dfdu_why_text(fs->df_why, fs->df_err));
		if (fs->covered_by && !fs->df_why)
			pd_warn(&o->c, "%s (%s %u:%u): covered by %s: "
				"measured through a private copy of the mount "
				"table; no path, du and ls included, reaches "
				"its files", fs->mount, fs->fstype,
				major(fs->dev), minor(fs->dev),
				fs->covered_by);
		if (fs->walk_why == PD_DF_FAILED)
			pd_warn(&o->c, "%s: cannot walk: %s", fs->mount,
				dfdu_why_text(fs->walk_why, fs->walk_err));
		else if (fs->walk_why == PD_DF_TIMED_OUT)
			pd_warn(&o->c, "%s: syncfs did not complete within %u "
				"ms (writeback stuck?): not walked", fs->mount,
				o->timeout_ms);
		if (fs->hidden_why == PD_DF_NEEDS_ROOT)
			needs_root += (unsigned)fs->ncovered;
		else if (fs->hidden_why == PD_DF_FAILED ||
			 fs->hidden_why == PD_DF_UNSUPPORTED)
			pd_warn(&o->c, "%s: cannot look under its mount points: %s",
				fs->mount,
				dfdu_why_text(fs->hidden_why, fs->hidden_err));
		if (fs->fsspecific_why == PD_DF_NEEDS_ROOT)
			fs_root++;
		if (fs->inodes_short)
			pd_warn(&o->c, "%s: inodes nearly out (%llu of %llu "
				"free) while blocks are free: creating a file "
				"fails with \"No space left on device\"; see "
				"dfdu -i --explain %s", fs->mount,
				(unsigned long long)(fs->space.inodes -
						     fs->space.iused),
				(unsigned long long)fs->space.inodes,
				fs->mount);
		unreadable += (unsigned)fs->unreadable;
		if (fs->subtree && !fs->walk_why)
			pd_warn(&o->c, "%s: only a subtree (%s) of the file "
				"system is mounted: the walk sees that subtree",
				fs->mount, fs->root);
	}
	if (needs_root)
		pd_warn(&o->c, "what %u mount points hide is unknown: looking "
			"beneath a mount point needs root", needs_root);
	if (fs_root)
		pd_warn(&o->c, "what %u file system%s keep%s for %s (FSSPECIFIC) "
			"is unknown: reading it needs root", fs_root,
			fs_root == 1 ? "" : "s", fs_root == 1 ? "s" : "",
			fs_root == 1 ? "itself" : "themselves");
	if (unreadable && geteuid() != 0)
		pd_warn(&o->c, "%u directories could not be read; run as root "
			"for a complete view", unreadable);
	else if (unreadable)
		pd_warn(&o->c, "%u directories could not be read", unreadable);
}

/* The progress line: only on a terminal, only once a walk ran 1 s. */
struct progress {
	struct pd_walk_progress counters;
	atomic_bool stop;
	pthread_t th;
	bool started;
};

static void *progress_main(void *arg)
{
	struct progress *p = arg;
	struct timespec t0, now, tick = { 0, 200000000L };
	bool shown = false;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!atomic_load(&p->stop)) {
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec < 1 || atomic_load(&p->stop))
			continue;
		{
			char size[32];

			pd_size_to_human(atomic_load_explicit(&p->counters.alloc,
				memory_order_relaxed), size, sizeof(size));
			fprintf(stderr, "\rdfdu: walked %llu files, %s\033[K",
				(unsigned long long)atomic_load_explicit(
					&p->counters.inodes, memory_order_relaxed),
				size);
			shown = true;
		}
	}
	if (shown)
		fputs("\r\033[K", stderr);
	return NULL;
}

int main(int argc, char **argv)
{
	struct pd_dfscan_opts dopts = {
		.walk = true, .max_paths = 100, .top_dirs = 10,
	};
	struct progress prog = { 0 };
	struct pd_dfscan *ds = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct opts o = { .timeout_ms = PD_STATQ_DEFAULT_MS };
	struct health hx = { 0 };
	bool evidence, *shown = NULL;
	size_t i;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "dfdu");
	o.c.pct_ok = true;	/* the unexplained gap as a % of SIZE */
	/* du -x is "one file system", which dfdu always is */
	o.c.sort_hint = "-x is --sort here; dfdu never crosses file systems, "
			"as du -x does";
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	dfdu_parse_args(&o, argc, argv);
	evidence = o.explain || o.verbose;

	rep = dfdu_report_new(&o, evidence);
	if (o.c.help) {
		dfdu_usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;

	pfs = pd_common_procfs(&o.c);
	dopts.jobs = o.jobs;	/* 0: from each file system's device */
	dopts.timeout_ms = o.timeout_ms;
	dopts.walk = !o.no_walk;
	dopts.remote = o.remote;
	if (!o.c.quiet && dopts.walk && isatty(STDERR_FILENO))
		dopts.progress = &prog.counters;
	pd_check_alloc(&o.c, pd_dfscan_new(pfs, &dopts, &ds));
	for (i = 0; i < o.npaths + (o.explain != NULL); i++) {
		const char *p = i < o.npaths ? o.paths[i] : o.explain;

		/* A captured tree has no live files: its paths are text. */
		if (pd_procfs_is_captured(pfs) && p[0] != '/')
			pd_usage_error(&o.c, "%s: a captured --proc-root takes "
				       "absolute paths only", p);
		r = pd_dfscan_add_path(ds, p);
		if (r < 0)
			pd_common_fatal(&o.c, pfs, r);
		if (r == -ETIMEDOUT)
			pd_die(&o.c, "%s: its file system did not answer within %u ms",
			       p, o.timeout_ms);
		if (r == -ENOMEM)
			pd_check_alloc(&o.c, r);
		if (r < 0)
			pd_usage_error(&o.c, "%s: %s", p, strerror(-r));
	}
	if (dopts.progress)
		prog.started = pthread_create(&prog.th, NULL, progress_main,
					      &prog) == 0;
	r = pd_dfscan_run(ds);
	if (prog.started) {
		atomic_store(&prog.stop, true);
		pthread_join(prog.th, NULL);
	}
	if (r < 0) {
		pd_common_fatal(&o.c, pfs, r);
		pd_die(&o.c, "cannot read the mount table or %s: %s",
		       pd_procfs_root(pfs), strerror(-r));
	}
	for (i = 0; i < o.npaths + (o.explain != NULL); i++)
		if (!pd_dfscan_path_found(ds, i))
			pd_warn(&o.c, "%s: not on a file system dfdu measures "
				"(pseudo, or remote without --remote)",
				i < o.npaths ? o.paths[i] : o.explain);

	shown = pd_xcalloc(pd_dfscan_nfs(ds), sizeof(*shown));
	for (i = 0; i < pd_dfscan_nfs(ds); i++)
		shown[i] = over_min_gap(&o, pd_dfscan_fs(ds, i));
	hx.h.partial = *pd_deadscan_partial(pd_dfscan_deadscan(ds));
	hx.h.partial_lowers = true;
	dfdu_health(&o, ds, shown, &hx);
	pd_warn_partial(&o.c, &hx.h.partial);
	warn_fs(&o, ds, shown);
	dfdu_prom(&o, ds, pfs, shown);
	if (o.c.check)
		pd_health_check_exit(&o.c, &hx.h);
	if (pd_health_report_wanted(&o.c, &hx.h)) {
		for (i = 0; i < pd_dfscan_nfs(ds); i++) {
			const struct pd_dffs *fs = pd_dfscan_fs(ds, i);

			/* with a threshold, only the file systems not OK */
			if (!shown[i] || (pd_common_has_threshold(&o.c) &&
			    hx.fs_status[i] == PD_STATUS_OK))
				continue;
			if (evidence)
				dfdu_evidence_rows(&o, rep, ds, fs);
			else
				dfdu_fs_row(&o, rep, fs);
		}
		pd_common_print(&o.c, rep, NULL);
	}
	rc = pd_health_exit_code(&o.c, &hx.h);

out:
	free(shown);
	dfdu_health_release(&hx);
	pd_dfscan_free(ds);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	return rc;
}
