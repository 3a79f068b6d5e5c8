/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: --log, one row per OOM incident of a kernel log. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "oomlog.h"
#include "oomrank.h"

static const char *constraint_name(enum pd_oomlog_constraint c)
{
	switch (c) {
	case PD_OOMLOG_UNKNOWN: break;
	case PD_OOMLOG_GLOBAL: return "global";
	case PD_OOMLOG_CPUSET: return "cpuset";
	case PD_OOMLOG_MEMPOLICY: return "mempolicy";
	case PD_OOMLOG_MEMCG: return "memcg";
	}
	return NULL;
}

static void log_row(struct opts *o, const struct pd_oomlog_incident *inc,
		    struct pd_report *rep)
{
	const struct pd_oomlog_kill *k = inc->nkills ? &inc->kills[0] : NULL;
	struct pd_row *row;
	char buf[64];
	size_t top, i;

	if (o->npids && (!k || !oomrank_wanted(o, k->pid)))
		return;
	pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
	if (inc->stamp[0]) {
		pd_row_set_str(row, LCOL_STAMP, inc->stamp);
	} else if (inc->has_uptime) {
		snprintf(buf, sizeof(buf), "%" PRIu64 ".%06" PRIu64,
			 inc->uptime_us / 1000000, inc->uptime_us % 1000000);
		pd_row_set_str(row, LCOL_STAMP, buf);
	}
	if (inc->has_uptime)
		pd_row_set_u64(row, LCOL_UPTIME, inc->uptime_us / 1000000);
	pd_row_set_u64(row, LCOL_LINE, inc->line);
	if (inc->has_header) {
		pd_row_set_str(row, LCOL_INVOKER, inc->invoker);
		pd_row_set_str(row, LCOL_GFP_MASK, inc->gfp);
		if (inc->order >= 0)
			pd_row_set_u64(row, LCOL_ORDER, (uint64_t)inc->order);
	}
	if (inc->has_invoker_pid)
		pd_row_set_u64(row, LCOL_INVOKER_PID, (uint64_t)inc->invoker_pid);
	pd_row_set_str(row, LCOL_CONSTRAINT, constraint_name(inc->constraint));
	pd_row_set_str(row, LCOL_OOM_MEMCG, inc->oom_memcg);
	pd_row_set_str(row, LCOL_TASK_MEMCG, inc->task_memcg);
	if (inc->has_limit)
		pd_row_set_u64(row, LCOL_LIMIT, inc->limit);
	pd_row_set_u64(row, LCOL_KILLS, inc->nkills);
	if (inc->has_header)
		pd_row_set_u64(row, LCOL_TASKS, inc->ntasks);
	if (inc->has_chosen)
		pd_row_set_u64(row, LCOL_CHOSEN_PID, (uint64_t)inc->chosen);
	if (k) {
		pd_row_set_u64(row, LCOL_VICTIM_PID, (uint64_t)k->pid);
		pd_row_set_str(row, LCOL_VICTIM, k->comm);
		pd_row_set_u64(row, LCOL_ANON, k->anon);
		pd_row_set_u64(row, LCOL_FILE, k->file);
		if (k->has_shmem)
			pd_row_set_u64(row, LCOL_SHMEM, k->shmem);
		if (k->has_pgtables)
			pd_row_set_u64(row, LCOL_PAGETABLES, k->pgtables);
		if (k->has_uid)
			pd_row_set_u64(row, LCOL_VICTIM_UID, k->uid);
		if (k->has_adj)
			pd_row_set_s64(row, LCOL_OOM_SCORE_ADJ, k->adj);
		pd_row_set_bool(row, LCOL_REAPED, k->reaped);
		/* older reports: the adj and uid of its row in the table */
		for (i = 0; i < inc->ntasks; i++) {
			if (inc->tasks[i].pid != k->pid)
				continue;
			if (!k->has_adj)
				pd_row_set_s64(row, LCOL_OOM_SCORE_ADJ,
					       inc->tasks[i].adj);
			if (!k->has_uid)
				pd_row_set_u64(row, LCOL_VICTIM_UID,
					       inc->tasks[i].uid);
		}
	}
	if (pd_oomlog_top(inc, 0, &top) == 0) {
		const struct pd_oomlog_task *t = &inc->tasks[top];

		pd_row_set_u64(row, LCOL_TOP_PID, (uint64_t)t->pid);
		pd_row_set_str(row, LCOL_TOP, t->comm);
		/* before 4.19 the kernel could kill a child instead of its
		 * pick ("sacrifice child"): judge the pick, not the child */
		if (inc->has_chosen)
			pd_row_set_bool(row, LCOL_WAS_TOP,
					inc->chosen == t->pid ||
					inc->chosen == t->tgid);
		else if (k)
			pd_row_set_bool(row, LCOL_WAS_TOP,
					k->pid == t->pid || k->pid == t->tgid);
	}
}

/* Feed the log --log names (or /dev/kmsg) to LOG; dies on an error. */
static void read_log(struct opts *o, struct pd_oomlog *log, const char *what)
{
	const char *path = o->log_file ? o->log_file : "/dev/kmsg";
	bool in = o->log_file && !strcmp(o->log_file, "-");
	struct stat st;
	int fd, r;

	fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	r = fd < 0 ? -errno : pd_oomlog_read_fd(log, fd);
	if (fd >= 0 && !in)
		close(fd);
	if (r == -ENOMEM)
		pd_check_alloc(&o->c, r);
	/* /dev/kmsg by any name, when dmesg_restrict is set */
	if ((r == -EPERM || r == -EACCES) && !in && stat(path, &st) == 0 &&
	    S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 11)
		pd_die(&o->c, "%s: %s (dmesg_restrict: run as root, or "
		       "pass a saved log with --log FILE)", what, strerror(-r));
	if (r == -ENODATA)
		pd_die(&o->c, "%s: %" PRIu64 " GiB of NUL bytes and no text: "
		       "not a log", what, PD_OOMLOG_NUL_MAX >> 30);
	if (r < 0)
		pd_die(&o->c, "%s: %s", what, strerror(-r));
	if (pd_oomlog_cut_lines(log))
		pd_warn(&o->c, "%s: %zu line%s longer than %zu KiB, cut there",
			what, pd_oomlog_cut_lines(log),
			pd_oomlog_cut_lines(log) == 1 ? "" : "s",
			PD_OOMLOG_LINE_MAX >> 10);
}

void oomrank_run_log(struct opts *o, struct pd_report *rep)
{
	struct pd_oomlog *log;
	const char *what;
	size_t i, nokill = 0;

	pd_check_alloc(&o->c, pd_oomlog_new(&log));
	if (!o->log_file)
		what = "/dev/kmsg";
	else if (!strcmp(o->log_file, "-"))
		what = "stdin";
	else
		what = o->log_file;
	read_log(o, log, what);
	for (i = 0; i < pd_oomlog_count(log); i++) {
		log_row(o, pd_oomlog_incident(log, i), rep);
		nokill += pd_oomlog_incident(log, i)->nkills == 0;
	}
	/* A report cut short, a time-stamp format we do not read (dmesg
	 * --time-format=iso, -e, -r, -x), or a kernel that found nothing
	 * to kill: the row lacks its victim, so say why, never silently. */
	if (nokill)
		pd_warn(&o->c, "%s: %zu of %zu OOM reports have no kill line "
			"(a truncated log, an unsupported time-stamp format, or "
			"nothing was killable): their victim columns are empty",
			what, nokill, pd_oomlog_count(log));
	pd_oomlog_free(log);
	pd_common_print(&o->c, rep, NULL);
}
