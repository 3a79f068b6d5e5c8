/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: --log, one row per OOM incident of a kernel log, and its health:
 * the OOM kills it holds (since --since) against -w, -c, --check and
 * --prom-file. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "logtime.h"
#include "meminfo.h"
#include "oomlog.h"
#include "oomrank.h"
#include "pscan.h"

#define US 1000000LL

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

/*
 * CONTAINER and POD of an incident: its victim's cgroup (else the one at
 * its limit). The runtimes' files are read only while that cgroup is
 * still there: a container that is gone may have left no files, or an
 * id its runtime has since given another name; the path's words hold.
 * Another /proc than ours has its cgroups in --cgroup-root only.
 */
static void log_names(struct opts *o, const struct pd_oomlog_incident *inc,
		      struct pd_names *names, struct pd_row *row)
{
	const char *cg = inc->task_memcg ? inc->task_memcg : inc->oom_memcg;
	struct pd_cgname nm;
	bool live;
	int r;

	if (!cg)
		return;
	live = !o->c.proc_root || o->cgroup_root;
	if (live) {
		r = pd_pscan_cgroup_exists(o->cgroup_root, cg);
		if (r == -ENOMEM)
			pd_check_alloc(&o->c, r);
		live = r == 0;
	}
	pd_names_lookup(names, cg, !live, &nm);
	pd_names_set(&o->c, row, LCOL_CONTAINER, LCOL_POD, &nm);
}

static void log_row(struct opts *o, const struct pd_oomlog_incident *inc,
		    struct pd_names *names, struct pd_report *rep)
{
	const struct pd_oomlog_kill *k = inc->nkills ? &inc->kills[0] : NULL;
	struct pd_row *row;
	char buf[64];
	size_t top, i;

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
	if (inc->has_time)
		pd_row_set_s64(row, LCOL_TIME, inc->time_us / US);
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
	if (names)
		log_names(o, inc, names, row);
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

/* Is /dev/kmsg, the character device 1:11, behind FD? */
static bool fd_is_kmsg(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) == 1 && minor(st.st_rdev) == 11;
}

static int64_t clock_us(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

/*
 * The wall-clock time the kernel's uptime stamps count from. On this
 * machine: now less CLOCK_MONOTONIC, which stands still in a suspend as
 * the stamps do, so a suspend before a kill costs nothing (one after it
 * makes it look later, never earlier, than it was). Another proc root
 * has only its boot time (btime of its stat), which counts the suspends.
 * 0 when unknown.
 */
static int64_t boot_us(const struct opts *o, struct pd_procfs *pfs)
{
	int64_t us;
	char *buf;
	size_t len;
	int r;

	if (!o->c.proc_root)
		return clock_us(CLOCK_REALTIME) - clock_us(CLOCK_MONOTONIC);
	if (pd_procfs_read(pfs, "stat", 1u << 20, &buf, &len) < 0)
		return 0;
	r = pd_logtime_btime_parse(buf, len, &us);
	free(buf);
	return r == 0 ? us : 0;
}

/* The live ring buffer: the machine's swap now is a fact of its reports
 * (pd_oomlog_set_swap()). */
static void set_swap_fact(struct pd_procfs *pfs, struct pd_oomlog *log)
{
	struct pd_meminfo *mi;
	uint64_t swap;

	if (pd_meminfo_read(pfs, &mi) < 0)
		return;
	if (pd_meminfo_get(mi, "SwapTotal", &swap) == 0)
		pd_oomlog_set_swap(log, swap);
	pd_meminfo_free(mi);
}

/* Read the log --log names (or /dev/kmsg) into LOG; dies on an error. */
static void read_log(struct opts *o, struct pd_procfs *pfs,
		     struct pd_oomlog *log, const char *what)
{
	const char *path = o->log_file ? o->log_file : "/dev/kmsg";
	bool in = o->log_file && !strcmp(o->log_file, "-");
	struct stat st;
	int fd, r;

	fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	r = fd < 0 ? -errno : 0;
	if (r == 0) {
		pd_oomlog_set_clock(log, clock_us(CLOCK_REALTIME),
				    boot_us(o, pfs));
		if (fd_is_kmsg(fd))
			set_swap_fact(pfs, log);
		r = pd_oomlog_read_fd(log, fd);
	}
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

/* What the incidents --since and --pid select hold. */
struct logsum {
	bool *sel;		/* per incident */
	size_t nsel;		/* incidents selected */
	uint64_t kills;		/* processes they killed */
	size_t nokill;		/* of them, without a kill line */
	size_t undecided;	/* whose top depends on the swap */
	size_t unplaced;	/* --since: no time to place them by */
	size_t unread;		/* lines of reports not read at all */
	bool has_last;
	int64_t last_us;	/* the last of their times */
};

static void summarize(struct opts *o, const struct pd_oomlog *log,
		      struct logsum *ret)
{
	size_t i, n = pd_oomlog_count(log), top;
	int r;

	memset(ret, 0, sizeof(*ret));
	ret->sel = pd_xcalloc(n, sizeof(*ret->sel));
	ret->unread = pd_oomlog_unread(log, NULL, NULL);
	for (i = 0; i < n; i++) {
		const struct pd_oomlog_incident *inc = pd_oomlog_incident(log, i);

		if (o->npids && (!inc->nkills ||
				 !oomrank_wanted(o, inc->kills[0].pid)))
			continue;
		if (o->since && !inc->has_time) {
			ret->unplaced++;
			continue;
		}
		if (o->since && inc->time_us < o->since_us)
			continue;
		ret->sel[i] = true;
		ret->nsel++;
		ret->kills += inc->nkills;
		ret->nokill += !inc->nkills;
		r = pd_oomlog_top(inc, 0, &top);
		if (r == -ENOMEM)
			pd_check_alloc(&o->c, r);
		if (r == -ERANGE)
			ret->undecided++;
		if (inc->has_time && (!ret->has_last ||
				      inc->time_us > ret->last_us)) {
			ret->has_last = true;
			ret->last_us = inc->time_us;
		}
	}
}

/* Say once per cause what the rows do not show. */
static void warn_log(struct opts *o, const struct pd_oomlog *log,
		     const struct logsum *sum, const char *what)
{
	const char *text;
	size_t line;

	/* pd_warn() escapes the message: the line goes in raw */
	if (pd_oomlog_unread(log, &line, &text))
		pd_warn(&o->c, "%s: %zu line%s of OOM reports in a form oomrank "
			"does not read, the first at line %zu: '%s'; those "
			"reports are left out", what, sum->unread,
			sum->unread == 1 ? "" : "s", line, text);
	if (sum->nokill)
		pd_warn(&o->c, "%s: %zu of %zu OOM reports have no kill line "
			"(a log cut short, or nothing was killable): their "
			"victim columns are empty", what, sum->nokill,
			sum->nsel);
	if (sum->undecided)
		pd_warn(&o->c, "%s: %zu of %zu OOM reports: the top of the "
			"task table depends on how much swap the memory cgroup "
			"could use, which the report does not say (no \"Total "
			"swap\" line, no boot line before it, not this machine's "
			"ring buffer): TOP_PID and WAS_TOP are empty", what,
			sum->undecided, sum->nsel);
	if (sum->unplaced)
		pd_warn(&o->c, "%s: %zu OOM report%s without a time stamp "
			"(dmesg -t, journalctl -o cat): --since cannot place "
			"them, they are left out", what, sum->unplaced,
			sum->unplaced == 1 ? "" : "s");
}

/* "in the last 1h", "since 2026-12-07 19:00", "in the log". */
static void period_words(const struct opts *o, char *buf, size_t n)
{
	const char *s = o->since;

	if (!s)
		snprintf(buf, n, "in the log");
	else if (s[0] == '@' || !strcmp(s, "today") ||
		 !strcmp(s, "yesterday") || !strcmp(s, "now") ||
		 (strlen(s) >= 10 && s[4] == '-'))
		snprintf(buf, n, "since %s", s);
	else
		snprintf(buf, n, "in the last %s", s[0] == '-' ? s + 1 : s);
}

/* Append to H's text, escaped as TSV (a comm or a path of the kernel's). */
static void text_add(struct opts *o, struct pd_health *h, const char *s)
{
	size_t len = strlen(h->text);
	char *esc = pd_escape_tsv(s, strlen(s));

	if (!esc)
		pd_check_alloc(&o->c, -ENOMEM);
	snprintf(h->text + len, sizeof(h->text) - len, "%s", esc);
	free(esc);
}

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

/* The figure: OOM kills (processes killed); a lower bound when reports
 * were not read, lack their kill line or cannot be placed in time. */
static void log_health(struct opts *o, const struct pd_oomlog *log,
		       const struct logsum *sum, struct pd_health *h)
{
	size_t i, j, shown = 0;
	char when[96];

	h->nfigs = 1;
	h->figs = pd_xcalloc(1, sizeof(*h->figs));
	h->figs[0].bytes = sum->kills;
	h->figs[0].partial = sum->unread || sum->nokill || sum->unplaced;
	h->perf = "oom_kills";
	h->perf_unit = "";
	pd_health_eval(&o->c, h);

	period_words(o, when, sizeof(when));
	h->text[0] = '\0';
	if (!sum->kills) {
		text_addf(h, "no OOM kill %s", when);
	} else {
		text_addf(h, "%" PRIu64 " OOM kill%s %s", sum->kills,
			  sum->kills == 1 ? "" : "s", when);
		for (i = 0; i < pd_oomlog_count(log); i++) {
			const struct pd_oomlog_incident *inc =
				pd_oomlog_incident(log, i);

			for (j = 0; sum->sel[i] && j < inc->nkills; j++) {
				if (shown++ == 3) {
					text_addf(h, ", ...");
					break;
				}
				text_addf(h, "%s", shown == 1 ? ": " : ", ");
				text_add(o, h, inc->kills[j].comm);
				text_addf(h, " (%d)", (int)inc->kills[j].pid);
				if (inc->oom_memcg) {
					text_addf(h, " in ");
					text_add(o, h, inc->oom_memcg);
				}
			}
			if (shown > 3)
				break;
		}
	}
	if (sum->nokill)
		text_addf(h, "; %zu OOM report%s without a kill line",
			  sum->nokill, sum->nokill == 1 ? "" : "s");
	if (sum->unplaced)
		text_addf(h, "; %zu OOM report%s without a time stamp",
			  sum->unplaced, sum->unplaced == 1 ? "" : "s");
	if (sum->unread)
		text_addf(h, "; %zu line%s of OOM reports not read",
			  sum->unread, sum->unread == 1 ? "" : "s");
}

/*
 * --prom-file: the OOM kills of the log (since --since), and when the
 * last one was, for Prometheus to alert on with changes() or time() - ts.
 * A gauge, not a counter: the ring buffer forgets its oldest reports.
 */
static void log_prom(struct opts *o, const struct logsum *sum)
{
	struct pd_prom *p = pd_common_prom_new(&o->c);

	if (!p)
		return;
	pd_common_prom_family(&o->c, p, "log_oom_kills", PD_PROM_GAUGE,
			      "processes killed by the OOM killer in the log "
			      "read (the ring buffer: since boot, as far back "
			      "as it reaches), since --since if given");
	pd_common_prom_u64(&o->c, p, NULL, 0, sum->kills);
	if (sum->has_last) {
		pd_common_prom_family(&o->c, p,
				      "log_last_oom_kill_timestamp_seconds",
				      PD_PROM_GAUGE, "when the last of them "
				      "was, in Unix seconds");
		pd_common_prom_s64(&o->c, p, NULL, 0, sum->last_us / US);
	}
	pd_common_prom_write(&o->c, p);
}

int oomrank_run_log(struct opts *o, struct pd_report *rep)
{
	struct pd_health h = { 0 };
	struct pd_names *names = NULL;
	struct pd_procfs *pfs;
	struct pd_oomlog *log;
	struct logsum sum;
	const char *what;
	size_t i;
	int rc;

	/* boot time and meminfo: no process needed */
	pfs = pd_common_procfs_open(&o->c);
	pd_check_alloc(&o->c, pd_oomlog_new(&log));
	if (!o->log_file)
		what = "/dev/kmsg";
	else if (!strcmp(o->log_file, "-"))
		what = "stdin";
	else
		what = o->log_file;
	read_log(o, pfs, log, what);
	summarize(o, log, &sum);
	log_health(o, log, &sum, &h);
	warn_log(o, log, &sum, what);
	log_prom(o, &sum);
	if (o->c.check)
		pd_health_check_exit(&o->c, &h);
	if (pd_health_report_wanted(&o->c, &h)) {
		if (pd_report_is_selected(rep, LCOL_CONTAINER) ||
		    pd_report_is_selected(rep, LCOL_POD))
			names = pd_names_new(&o->c);
		for (i = 0; i < pd_oomlog_count(log); i++)
			if (sum.sel[i])
				log_row(o, pd_oomlog_incident(log, i), names,
					rep);
		pd_names_warn(&o->c, names);
		pd_common_print(&o->c, rep, NULL);
	}
	pd_names_free(names);
	rc = pd_health_exit_code(&o->c, &h);
	free(sum.sel);
	free(h.figs);
	pd_oomlog_free(log);
	pd_procfs_free(pfs);
	return rc;
}
