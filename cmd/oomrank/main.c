/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: whom the OOM killer would pick, on the whole machine and in each
 * memory-limited cgroup, and why; checked against the kernel's oom_score. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "common.h"
#include "oomlog.h"
#include "oomscan.h"

enum {
	COL_RANK, COL_PID, COL_USER, COL_OOM_SCORE_ADJ, COL_BADNESS,
	COL_SHARE, COL_MARGIN, COL_SCORE, COL_OOM_SCORE, COL_ANON, COL_FILE,
	COL_SHMEM, COL_SWAP, COL_PAGETABLES, COL_BADNESS_BYTES, COL_ELIGIBLE,
	COL_REASON, COL_PPID, COL_UID, COL_LIMIT, COL_SWAP_LIMIT, COL_USAGE,
	COL_TOTALPAGES, COL_OOMS, COL_OOM_KILLS, COL_GROUP_KILL, COL_COMMAND,
	COL_OOM_MEMCG, COL_LIMIT_MEMCG, COL_TASK_MEMCG, COL_KILL_GROUP,
	COL_CGROUP, COL_UNIT, COL_CMDLINE, NCOLS
};

/* The machine-wide defaults; --cgroup swaps in its own (cgroup_defaults). */
static const struct pd_column cols[] = {
	[COL_RANK] = { "RANK", PD_COL_NUM, PD_COLF_DEFAULT, "order in which the killer picks it (1 first); empty: never" },
	[COL_PID] = { "PID", PD_COL_NUM, PD_COLF_DEFAULT, "process id" },
	[COL_USER] = { "USER", PD_COL_STR, PD_COLF_DEFAULT, "user name (real uid)" },
	[COL_OOM_SCORE_ADJ] = { "OOM_SCORE_ADJ", PD_COL_NUM, PD_COLF_DEFAULT, "oom_score_adj, -1000 to 1000: adds adj thousandths of TOTALPAGES" },
	[COL_BADNESS] = { "BADNESS", PD_COL_NUM, PD_COLF_DEFAULT, "oom_badness() in pages: memory + adj * (TOTALPAGES / 1000); may be negative" },
	[COL_SHARE] = { "SHARE", PD_COL_NUM, PD_COLF_DEFAULT, "BADNESS in thousandths of TOTALPAGES, the unit of oom_score_adj" },
	[COL_MARGIN] = { "MARGIN", PD_COL_NUM, 0, "pages of BADNESS it leads the next candidate by" },
	[COL_SCORE] = { "SCORE", PD_COL_NUM, PD_COLF_DEFAULT, "our oom_score, recomputed on the kernel's scale (machine-wide)" },
	[COL_OOM_SCORE] = { "OOM_SCORE", PD_COL_NUM, PD_COLF_DEFAULT, "the kernel's /proc/PID/oom_score as read" },
	[COL_ANON] = { "ANON", PD_COL_SIZE, PD_COLF_DEFAULT, "anonymous memory (RssAnon)" },
	[COL_FILE] = { "FILE", PD_COL_SIZE, PD_COLF_DEFAULT, "mapped file pages (RssFile)" },
	[COL_SHMEM] = { "SHMEM", PD_COL_SIZE, PD_COLF_DEFAULT, "mapped shared memory (RssShmem), counted in full in each process" },
	[COL_SWAP] = { "SWAP", PD_COL_SIZE, PD_COLF_DEFAULT, "swapped out (VmSwap)" },
	[COL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "page tables (VmPTE)" },
	[COL_BADNESS_BYTES] = { "BADNESS_BYTES", PD_COL_SSIZE, 0, "BADNESS in bytes" },
	[COL_ELIGIBLE] = { "ELIGIBLE", PD_COL_BOOL, 0, "the killer may pick it" },
	[COL_REASON] = { "REASON", PD_COL_STR, PD_COLF_DEFAULT, "why it is never picked: init, kthread, no-mm, adj-min" },
	[COL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[COL_UID] = { "UID", PD_COL_NUM, 0, "real user id" },
	[COL_LIMIT] = { "LIMIT", PD_COL_SIZE, 0, "memory limit of the ranking (memory.max, memory.limit_in_bytes)" },
	[COL_SWAP_LIMIT] = { "SWAP_LIMIT", PD_COL_SIZE, 0, "swap limit of the ranking (memory.swap.max; v1: memsw minus memory)" },
	[COL_USAGE] = { "USAGE", PD_COL_SIZE, 0, "memory use of OOM_MEMCG (memory.current, memory.usage_in_bytes)" },
	[COL_TOTALPAGES] = { "TOTALPAGES", PD_COL_NUM, 0, "pages the ranking is scaled to: RAM + swap, or the cgroup's limit + swap" },
	[COL_OOMS] = { "OOMS", PD_COL_NUM, 0, "OOMs of OOM_MEMCG so far (memory.events oom)" },
	[COL_OOM_KILLS] = { "OOM_KILLS", PD_COL_NUM, 0, "processes killed by them (oom_kill)" },
	[COL_GROUP_KILL] = { "GROUP_KILL", PD_COL_BOOL, 0, "memory.oom.group: its whole cgroup (KILL_GROUP) dies with it" },
	[COL_COMMAND] = { "COMMAND", PD_COL_STR, PD_COLF_DEFAULT, "command (comm)" },
	[COL_OOM_MEMCG] = { "OOM_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the memory cgroup whose OOM this ranking is; empty: the machine" },
	[COL_LIMIT_MEMCG] = { "LIMIT_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the cgroup whose limit applies (OOM_MEMCG or an ancestor)" },
	[COL_TASK_MEMCG] = { "TASK_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the memory cgroup it is in" },
	[COL_KILL_GROUP] = { "KILL_GROUP", PD_COL_STR, PD_COLF_WIDE, "the cgroup memory.oom.group kills whole with it" },
	[COL_CGROUP] = { "CGROUP", PD_COL_STR, PD_COLF_WIDE, "cgroup path (/proc/PID/cgroup)" },
	[COL_UNIT] = { "UNIT", PD_COL_STR, 0, "systemd unit from the cgroup path" },
	[COL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_WIDE, "full command line" },
};

/* The defaults of --cgroup, in table order (the table decides the order). */
static const size_t cgroup_defaults[] = {
	COL_RANK, COL_PID, COL_USER, COL_OOM_SCORE_ADJ, COL_BADNESS,
	COL_SHARE, COL_MARGIN, COL_ANON, COL_SWAP, COL_LIMIT, COL_USAGE,
	COL_OOM_KILLS, COL_GROUP_KILL, COL_COMMAND, COL_OOM_MEMCG,
};

/* --log: one row per OOM incident of a kernel log. */
enum {
	LCOL_STAMP, LCOL_UPTIME, LCOL_LINE, LCOL_INVOKER, LCOL_INVOKER_PID,
	LCOL_GFP_MASK, LCOL_ORDER, LCOL_CONSTRAINT, LCOL_VICTIM_PID,
	LCOL_VICTIM, LCOL_VICTIM_UID, LCOL_ANON, LCOL_FILE, LCOL_SHMEM,
	LCOL_PAGETABLES, LCOL_OOM_SCORE_ADJ, LCOL_KILLS, LCOL_REAPED,
	LCOL_LIMIT, LCOL_TASKS, LCOL_CHOSEN_PID, LCOL_TOP_PID, LCOL_TOP,
	LCOL_WAS_TOP, LCOL_TASK_MEMCG, LCOL_OOM_MEMCG, NLCOLS
};

static const struct pd_column log_cols[] = {
	[LCOL_STAMP] = { "STAMP", PD_COL_STR, PD_COLF_DEFAULT, "time stamp of the report's first line, as the log printed it" },
	[LCOL_UPTIME] = { "UPTIME", PD_COL_NUM, 0, "seconds since boot, when the log gives them (dmesg, /dev/kmsg)" },
	[LCOL_LINE] = { "LINE", PD_COL_NUM, 0, "line of the log where the report starts" },
	[LCOL_INVOKER] = { "INVOKER", PD_COL_STR, PD_COLF_DEFAULT, "command that hit the OOM (\"invoked oom-killer\")" },
	[LCOL_INVOKER_PID] = { "INVOKER_PID", PD_COL_NUM, 0, "its pid (the CPU: line of the stack dump)" },
	[LCOL_GFP_MASK] = { "GFP_MASK", PD_COL_STR, 0, "allocation flags of the failed request" },
	[LCOL_ORDER] = { "ORDER", PD_COL_NUM, 0, "allocation order (2^order pages)" },
	[LCOL_CONSTRAINT] = { "CONSTRAINT", PD_COL_STR, PD_COLF_DEFAULT, "global, memcg, cpuset or mempolicy (4.19+ reports)" },
	[LCOL_VICTIM_PID] = { "VICTIM_PID", PD_COL_NUM, PD_COLF_DEFAULT, "pid of the killed process" },
	[LCOL_VICTIM] = { "VICTIM", PD_COL_STR, PD_COLF_DEFAULT, "its command (comm)" },
	[LCOL_VICTIM_UID] = { "VICTIM_UID", PD_COL_NUM, 0, "its uid (5.4+ reports)" },
	[LCOL_ANON] = { "ANON", PD_COL_SIZE, PD_COLF_DEFAULT, "its anon-rss when killed" },
	[LCOL_FILE] = { "FILE", PD_COL_SIZE, PD_COLF_DEFAULT, "its file-rss" },
	[LCOL_SHMEM] = { "SHMEM", PD_COL_SIZE, PD_COLF_DEFAULT, "its shmem-rss (4.9+)" },
	[LCOL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "its page tables (5.4+)" },
	[LCOL_OOM_SCORE_ADJ] = { "OOM_SCORE_ADJ", PD_COL_NUM, PD_COLF_DEFAULT, "its oom_score_adj (5.4+, or from the task table)" },
	[LCOL_KILLS] = { "KILLS", PD_COL_NUM, PD_COLF_DEFAULT, "processes killed (memory.oom.group kills more than one)" },
	[LCOL_REAPED] = { "REAPED", PD_COL_BOOL, 0, "the OOM reaper freed its memory" },
	[LCOL_LIMIT] = { "LIMIT", PD_COL_SIZE, 0, "the memory cgroup's limit" },
	[LCOL_TASKS] = { "TASKS", PD_COL_NUM, 0, "rows of the dumped task table" },
	[LCOL_CHOSEN_PID] = { "CHOSEN_PID", PD_COL_NUM, 0, "before 4.19: the pick, whose child may die in its place" },
	[LCOL_TOP_PID] = { "TOP_PID", PD_COL_NUM, PD_COLF_DEFAULT, "top of the task table by recomputed badness" },
	[LCOL_TOP] = { "TOP", PD_COL_STR, 0, "its command" },
	[LCOL_WAS_TOP] = { "WAS_TOP", PD_COL_BOOL, PD_COLF_DEFAULT, "the victim was the top of the table; empty: the table is missing" },
	[LCOL_TASK_MEMCG] = { "TASK_MEMCG", PD_COL_STR, PD_COLF_WIDE, "the victim's memory cgroup" },
	[LCOL_OOM_MEMCG] = { "OOM_MEMCG", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "the memory cgroup at its limit; empty for a global OOM" },
};

enum {
	OPT_CGROUP = PD_OPT_TOOL,
	OPT_CGROUP_ROOT,
	OPT_EXPLAIN,
	OPT_LOG,
};

struct opts {
	struct pd_common c;
	pid_t *pids;
	size_t npids;
	unsigned long top;
	bool cgroups;			/* --cgroup */
	const char *cgroup;		/* --cgroup PATH */
	const char *cgroup_root;
	pid_t explain;
	bool log;			/* --log */
	const char *log_file;		/* --log FILE, "-": stdin */
};

static void usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " oomrank [options]\n"
	      "\n"
	      "Rank processes in the order the OOM killer would pick them, on the\n"
	      "whole machine or in each memory-limited cgroup, and check the\n"
	      "ranking against the kernel's oom_score.\n"
	      "\n"
	      "Options:\n"
	      " -N, --top <n>           the first <n> of each ranking\n"
	      " -p, --pid <list>        only rows of these pids, ranked among all;\n"
	      "                           with --log, incidents that killed them\n"
	      "     --cgroup[=<path>]   rank within every memory-limited cgroup, or\n"
	      "                           within <path> and its descendants\n"
	      "     --cgroup-root <dir> cgroup file system (default /sys/fs/cgroup)\n"
	      "     --explain <pid>     why <pid> ranks where it does, in words\n"
	      "     --log[=<file>|-]    past OOM kills from a kernel log (dmesg,\n"
	      "                           journalctl -k, syslog); /dev/kmsg if none\n"
	      "\n"
	      "-w and -c compare the first victim's BADNESS: as a percentage of the\n"
	      "ranking's memory (SHARE/10: 50%) or in bytes (4G). With --cgroup, each\n"
	      "cgroup's first victim, and only the cgroups over a threshold print.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 'N' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", optional_argument, NULL, OPT_CGROUP },
		{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "log", optional_argument, NULL, OPT_LOG },
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int opt;

	while ((opt = getopt_long(argc, argv, "N:p:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case 'N':
			if (pd_parse_uint(optarg, INT32_MAX, &v) < 0 || !v)
				pd_usage_error(&o->c, "--top: invalid count '%s'", optarg);
			o->top = v;
			break;
		case 'p':
			pd_common_add_pids(&o->c, optarg, &o->pids, &o->npids);
			break;
		case OPT_CGROUP:
			o->cgroups = true;
			/* "--cgroup PATH" as well as "--cgroup=PATH": we take
			 * no other operand, so a next word that is not an
			 * option can only be the path. */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			if (optarg && !*optarg)
				pd_usage_error(&o->c, "--cgroup: empty path");
			o->cgroup = optarg;
			break;
		case OPT_CGROUP_ROOT:
			o->cgroup_root = optarg;
			break;
		case OPT_EXPLAIN:
			if (pd_parse_uint(optarg, INT32_MAX, &v) < 0 || !v)
				pd_usage_error(&o->c, "--explain: invalid pid '%s'", optarg);
			o->explain = (pid_t)v;
			break;
		case OPT_LOG:
			o->log = true;
			/* as --cgroup; "-" (stdin) is a word of its own */
			if (!optarg && optind < argc &&
			    (argv[optind][0] != '-' || !strcmp(argv[optind], "-")))
				optarg = argv[optind++];
			if (optarg && !*optarg)
				pd_usage_error(&o->c, "--log: empty file name");
			o->log_file = optarg;
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (o->explain && (o->cgroups || o->top || o->npids))
		pd_usage_error(&o->c, "--explain: not with --cgroup, --top or --pid");
	if (o->log && (o->explain || o->cgroups || o->top))
		pd_usage_error(&o->c, "--log: not with --explain, --cgroup or --top");
	if (o->explain && o->c.print.format != PD_FMT_TABLE)
		pd_usage_error(&o->c, "--explain: prints text, not with -r or -J");
	if ((pd_common_has_threshold(&o->c) || o->c.check || o->c.prom_file) &&
	    (o->explain || o->log))
		pd_usage_error(&o->c, "-w, -c, --check and --prom-file judge the ranking: not with --explain or --log");
	/* A foreign /proc with this machine's cgroups would mix two systems. */
	if (o->cgroups && o->c.proc_root && !o->cgroup_root)
		pd_usage_error(&o->c, "--cgroup with --proc-root needs --cgroup-root");
}

static const char *reason_name(enum pd_oom_reason r)
{
	switch (r) {
	case PD_OOM_ELIGIBLE: break;
	case PD_OOM_INIT: return "init";
	case PD_OOM_KTHREAD: return "kthread";
	case PD_OOM_NO_MM: return "no-mm";
	case PD_OOM_ADJ_MIN: return "adj-min";
	}
	return NULL;
}

static bool wanted(const struct opts *o, pid_t pid)
{
	size_t i;

	if (!o->npids)
		return true;
	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

static void add_rows(struct opts *o, struct pd_oomscan *os,
		     const struct pd_oomdomain *d, struct pd_report *rep)
{
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i;

	for (i = 0; i < d->nentries && (!o->top || i < o->top); i++) {
		const struct pd_oomentry *e = &d->entries[i];
		const struct pd_oomproc *p = pd_oomscan_proc(os, e->proc);
		bool never = e->badness == PD_OOM_NEVER;
		struct pd_row *row;

		if (!wanted(o, p->pid))
			continue;
		pd_check_alloc(&o->c, pd_report_add_row(rep, &row));
		if (e->rank)
			pd_row_set_u64(row, COL_RANK, e->rank);
		pd_row_set_u64(row, COL_PID, (uint64_t)p->pid);
		pd_row_set_u64(row, COL_PPID, (uint64_t)p->ppid);
		pd_row_set_str(row, COL_USER, p->user);
		pd_row_set_u64(row, COL_UID, p->uid);
		pd_row_set_str(row, COL_COMMAND, p->comm);
		pd_row_set_s64(row, COL_OOM_SCORE_ADJ, p->task.adj);
		if (!never) {
			pd_row_set_s64(row, COL_BADNESS, e->badness);
			int64_t bytes;

			/* saturate: hostile status values must not overflow */
			if (__builtin_mul_overflow(e->badness, (int64_t)ps,
						   &bytes))
				bytes = e->badness < 0 ? INT64_MIN : INT64_MAX;
			pd_row_set_s64(row, COL_BADNESS_BYTES, bytes);
			pd_row_set_s64(row, COL_SHARE,
				       pd_oom_permille(e->badness,
						       d->totalpages));
		}
		if (e->has_margin)
			pd_row_set_u64(row, COL_MARGIN, e->margin);
		pd_row_set_u64(row, COL_SCORE, p->score);
		if (p->has_kernel_score)
			pd_row_set_u64(row, COL_OOM_SCORE, p->kernel_score);
		if (p->task.has_mm) {
			pd_row_set_u64(row, COL_ANON, p->task.anon);
			pd_row_set_u64(row, COL_FILE, p->task.file);
			pd_row_set_u64(row, COL_SHMEM, p->task.shmem);
			pd_row_set_u64(row, COL_SWAP, p->task.swap);
			pd_row_set_u64(row, COL_PAGETABLES, p->task.pagetables);
		}
		pd_row_set_bool(row, COL_ELIGIBLE, !never);
		pd_row_set_str(row, COL_REASON, reason_name(p->reason));
		pd_row_set_u64(row, COL_TOTALPAGES, d->totalpages);
		pd_row_set_str(row, COL_OOM_MEMCG, d->cgroup);
		pd_row_set_str(row, COL_LIMIT_MEMCG, d->limit_cgroup);
		if (d->has_limit)
			pd_row_set_u64(row, COL_LIMIT, d->limit);
		if (d->has_swap_limit)
			pd_row_set_u64(row, COL_SWAP_LIMIT, d->swap_limit);
		if (d->has_usage)
			pd_row_set_u64(row, COL_USAGE, d->usage);
		if (d->has_oom_events)
			pd_row_set_u64(row, COL_OOMS, d->oom_events);
		if (d->has_oom_kills)
			pd_row_set_u64(row, COL_OOM_KILLS, d->oom_kills);
		pd_row_set_str(row, COL_TASK_MEMCG, e->memcg);
		/* known where the hierarchy was read and oom.group exists */
		if (e->memcg && d->cgroup_version != 1)
			pd_row_set_bool(row, COL_GROUP_KILL, e->kill_group);
		pd_row_set_str(row, COL_KILL_GROUP, e->kill_group);
		pd_row_set_str(row, COL_CGROUP, p->cgroup);
		pd_row_set_str(row, COL_UNIT, p->unit);
		pd_row_set_str(row, COL_CMDLINE, p->cmdline);
	}
}

static void warn_check(const struct opts *o, struct pd_oomscan *os)
{
	const struct pd_oomcheck *k = pd_oomscan_check(os);

	pd_warn_scanstats(&o->c, pd_oomscan_stats(os));
	/* Said whenever scores differ (only -q silences it): the kernel
	 * reads exact per-CPU sums, status the batched counters, and a few
	 * pages move between the two reads. */
	if (k->differ)
		pd_warn(&o->c, "%u of %u scores differ from the kernel's "
			"oom_score by up to %" PRIu64 " point%s (per-CPU RSS "
			"counters drift)", k->differ, k->compared, k->max_diff,
			k->max_diff == 1 ? "" : "s");
}

/* ---- health: -w, -c, --check, --prom-file ----------------------------- */

/* The first victim of D, or NULL when nothing can be picked. */
static const struct pd_oomentry *first(const struct pd_oomdomain *d)
{
	return d->ncandidates && d->entries[0].rank == 1 ? &d->entries[0] :
	       NULL;
}

/* BADNESS in bytes, saturated (hostile status values), and at least 0. */
static uint64_t badness_bytes(int64_t badness, unsigned long ps)
{
	int64_t bytes;

	if (badness <= 0)
		return 0;
	if (__builtin_mul_overflow(badness, (int64_t)ps, &bytes))
		return INT64_MAX;
	return (uint64_t)bytes;
}

/* BADNESS as a share of TOTALPAGES, in PD_THRESHOLD_PCT_SCALE units of a
 * percent: the SHARE column (thousandths) to four decimals. */
static int64_t badness_pct(int64_t badness, uint64_t totalpages)
{
	__int128 v;

	if (!totalpages)
		return 0;
	v = (__int128)badness * 100 * PD_THRESHOLD_PCT_SCALE / totalpages;
	if (v > INT64_MAX)
		return INT64_MAX;
	if (v < INT64_MIN)
		return INT64_MIN;
	return (int64_t)v;
}

/* The domains judged: the machine, or with --cgroup each limited cgroup. */
static size_t dom_first(const struct opts *o)
{
	return o->cgroups ? 1 : 0;
}

static size_t dom_end(const struct opts *o, const struct pd_oomscan *os)
{
	return o->cgroups ? pd_oomscan_ndomains(os) : 1;
}

/* The headline: the first victim's share of its ranking's memory. */
static void health(struct opts *o, struct pd_oomscan *os, struct pd_health *h)
{
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i, n = 0, k, len;
	char size[32], num[32], *esc;

	h->nfigs = dom_end(o, os) - dom_first(o);
	h->figs = pd_xcalloc(h->nfigs, sizeof(*h->figs));
	for (i = dom_first(o); i < dom_end(o, os); i++, n++) {
		const struct pd_oomdomain *d = pd_oomscan_domain(os, i);
		const struct pd_oomentry *e = first(d);

		h->figs[n].name = d->cgroup;
		h->figs[n].has_pct = true;
		if (e) {
			h->figs[n].bytes = badness_bytes(e->badness, ps);
			h->figs[n].pct = badness_pct(e->badness, d->totalpages);
		}
	}
	h->perf = "top_badness";
	h->perf_pct = "top_share";
	h->groups = o->cgroups ? "memory cgroups" : NULL;
	pd_health_eval(&o->c, h);
	if (!o->cgroups) {
		const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
		const struct pd_oomentry *e = first(d);
		const struct pd_oomproc *p;

		if (!e) {
			snprintf(h->text, sizeof(h->text),
				 "no process the OOM killer could pick");
			return;
		}
		p = pd_oomscan_proc(os, e->proc);
		esc = pd_escape_tsv(p->comm, strlen(p->comm));
		if (!esc)
			pd_check_alloc(&o->c, -ENOMEM);
		pd_health_size(h->figs[0].bytes, size, sizeof(size));
		pd_threshold_format_pct(h->figs[0].pct, num, sizeof(num));
		snprintf(h->text, sizeof(h->text), "first victim %d (%s) "
			 "holds %s%% of RAM+swap (%s)", (int)p->pid, esc, num,
			 size);
		free(esc);
		return;
	}
	if (!h->nfigs) {
		snprintf(h->text, sizeof(h->text), "no memory-limited cgroup");
		return;
	}
	if (!h->nwarn && !h->ncrit) {
		snprintf(h->text, sizeof(h->text), "%zu memory cgroups ranked, "
			 "none over a threshold", h->nfigs);
		return;
	}
	len = (size_t)snprintf(h->text, sizeof(h->text),
			       "%u of %zu memory cgroups over a threshold",
			       h->nwarn + h->ncrit, h->nfigs);
	for (i = 0, k = 0; i < h->nfigs && len < sizeof(h->text); i++) {
		if (h->figs[i].status == PD_STATUS_OK)
			continue;
		if (k++ == 3) {
			snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		esc = pd_escape_tsv(h->figs[i].name, strlen(h->figs[i].name));
		if (!esc)
			pd_check_alloc(&o->c, -ENOMEM);
		pd_threshold_format_pct(h->figs[i].pct, num, sizeof(num));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					"%s %s %s%%", k == 1 ? ":" : ",", esc,
					num);
		free(esc);
	}
}

/*
 * --prom-file: the machine's first victim (score, share, bytes; its
 * command in an info gauge, one series), the eligible count, and with
 * --cgroup how many cgroups are limited and the largest first-victim
 * share among them: cgroup paths are unbounded, so never a label.
 */
static void prom(struct opts *o, struct pd_oomscan *os,
		 const struct pd_health *h)
{
	const struct pd_oomdomain *d = pd_oomscan_domain(os, 0);
	const struct pd_oomentry *e = first(d);
	struct pd_prom *p = pd_common_prom_new(&o->c);
	const struct pd_oomproc *top = e ? pd_oomscan_proc(os, e->proc) : NULL;
	unsigned long ps = pd_oomscan_sys(os)->page_size;
	size_t i;

	if (!p)
		return;
	pd_common_prom_family(&o->c, p, "eligible_processes", PD_PROM_GAUGE,
			      "processes the OOM killer may pick");
	pd_common_prom_u64(&o->c, p, NULL, 0, d->ncandidates);
	if (top) {
		struct pd_prom_label l = { "command", top->comm };

		pd_common_prom_family(&o->c, p, "top_score", PD_PROM_GAUGE,
				      "oom_score of the first victim, recomputed");
		pd_common_prom_u64(&o->c, p, NULL, 0, top->score);
		pd_common_prom_family(&o->c, p, "top_share_ratio", PD_PROM_GAUGE,
				      "the first victim's badness over RAM+swap");
		pd_common_prom_f64(&o->c, p, NULL, 0, d->totalpages ?
				   (double)e->badness / (double)d->totalpages : 0);
		pd_common_prom_family(&o->c, p, "top_badness_bytes", PD_PROM_GAUGE,
				      "the first victim's badness in bytes (0 when negative)");
		pd_common_prom_u64(&o->c, p, NULL, 0, badness_bytes(e->badness, ps));
		pd_common_prom_family(&o->c, p, "top_info", PD_PROM_GAUGE,
				      "the first victim's command");
		pd_common_prom_u64(&o->c, p, &l, 1, 1);
	}
	if (o->cgroups) {
		double max = 0;

		for (i = 1; i < pd_oomscan_ndomains(os); i++) {
			const struct pd_oomdomain *c = pd_oomscan_domain(os, i);
			const struct pd_oomentry *ce = first(c);
			double v = ce && c->totalpages ? (double)ce->badness /
				   (double)c->totalpages : 0;

			if (v > max)
				max = v;
		}
		pd_common_prom_family(&o->c, p, "limited_cgroups", PD_PROM_GAUGE,
				      "memory cgroups ranked (--cgroup)");
		pd_common_prom_u64(&o->c, p, NULL, 0, h->nfigs);
		pd_common_prom_family(&o->c, p, "cgroup_top_share_ratio_max",
				      PD_PROM_GAUGE, "the largest first-victim "
				      "badness over its cgroup's limit");
		pd_common_prom_f64(&o->c, p, NULL, 0, max);
	}
	pd_common_prom_write(&o->c, p);
}

/* ---- --explain --------------------------------------------------------- */

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

/* Its place in ranking D: rank, who goes first, what the adj did. */
static void explain_domain(struct pd_oomscan *os, const struct pd_oomdomain *d,
			   size_t proc)
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
		printf("\nMemory cgroup %s", d->cgroup);
		if (d->limit_cgroup) {
			human(d->limit, h1, sizeof(h1));
			printf(" (limit %s%s%s", d->has_limit ? h1 : "none",
			       strcmp(d->limit_cgroup, d->cgroup) ? " of " : "",
			       strcmp(d->limit_cgroup, d->cgroup) ?
			       d->limit_cgroup : "");
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
				       n->comm, e->margin, h1);
			else
				printf("; it ties with the next, pid %d (%s), "
				       "and wins as the later one in the "
				       "kernel's scan", (int)n->pid, n->comm);
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
			       d->entries[i].rank, (int)q->pid, q->comm,
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
		       "with it.\n", e->kill_group);
}

static void explain_held(struct pd_oomscan *os, const struct pd_oomproc *p)
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
			       held[i].fd, held[i].name, h);
		}
		pd_oomheld_free(held, n);
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

static void explain(struct opts *o, struct pd_oomscan *os)
{
	const struct pd_oomsys *sys = pd_oomscan_sys(os);
	const struct pd_oomproc *p;
	size_t i, idx;

	if (pd_oomscan_find(os, o->explain, &idx) < 0)
		pd_die(&o->c, "pid %d: no such process (or not readable)",
		       (int)o->explain);
	p = pd_oomscan_proc(os, idx);
	printf("pid %d (%s), user %s", (int)p->pid, p->comm, p->user);
	if (p->cgroup)
		printf(", cgroup %s", p->cgroup);
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
			explain_domain(os, pd_oomscan_domain(os, 0), idx);
	} else {
		for (i = 0; i < pd_oomscan_ndomains(os); i++)
			explain_domain(os, pd_oomscan_domain(os, i), idx);
	}
	if (p->task.has_mm)
		explain_held(os, p);
	explain_settings(sys);
}

/* ---- --log ------------------------------------------------------------- */

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

	if (o->npids && (!k || !wanted(o, k->pid)))
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

static void run_log(struct opts *o, struct pd_report *rep)
{
	struct pd_oomlog *log;
	const char *what;
	size_t i, cap = 0, nokill = 0;
	char *line = NULL;
	ssize_t n;
	FILE *f;
	int r;

	pd_check_alloc(&o->c, pd_oomlog_new(&log));
	if (!o->log_file) {
		what = "/dev/kmsg";
		r = pd_oomlog_read_kmsg(log, NULL);
		if (r == -EPERM || r == -EACCES)
			pd_die(&o->c, "%s: %s (dmesg_restrict: run as root, or "
			       "pass a saved log with --log FILE)", what,
			       strerror(-r));
		if (r < 0)
			pd_die(&o->c, "%s: %s", what, strerror(-r));
	} else {
		what = strcmp(o->log_file, "-") ? o->log_file : "stdin";
		f = strcmp(o->log_file, "-") ? fopen(o->log_file, "re") : stdin;
		if (!f)
			pd_die(&o->c, "%s: %s", what, strerror(errno));
		for (;;) {
			n = getline(&line, &cap, f);
			if (n < 0)
				break;
			pd_check_alloc(&o->c, pd_oomlog_feed(log, line,
							     (size_t)n));
		}
		if (ferror(f))
			pd_die(&o->c, "%s: %s", what, strerror(errno));
		free(line);
		if (f != stdin)
			fclose(f);
	}
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

int main(int argc, char **argv)
{
	struct pd_oomscan_opts sopts = { 0 };
	struct pd_column ccols[NCOLS];
	struct pd_oomscan *os = NULL;
	struct pd_procfs *pfs = NULL;
	struct pd_report *rep = NULL;
	struct opts o = { 0 };
	struct pd_health h = { 0 };
	const char *dir;
	bool need_cg;
	size_t i;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "oomrank");
	o.c.pct_ok = true;
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	parse_args(&o, argc, argv);

	memcpy(ccols, cols, sizeof(cols));
	if (o.cgroups) {
		for (i = 0; i < NCOLS; i++)
			ccols[i].flags &= ~(unsigned)PD_COLF_DEFAULT;
		for (i = 0; i < sizeof(cgroup_defaults) / sizeof(cgroup_defaults[0]); i++)
			ccols[cgroup_defaults[i]].flags |= PD_COLF_DEFAULT;
	}
	if (o.log) {
		pd_check_alloc(&o.c, pd_report_new("oomrank", log_cols, NLCOLS,
						   &rep));
		pd_common_columns(&o.c, rep, "OOMRANK_LOG_COLUMNS");
	} else {
		pd_check_alloc(&o.c, pd_report_new("oomrank", ccols, NCOLS,
						   &rep));
		pd_common_columns(&o.c, rep, o.cgroups ?
				  "OOMRANK_CGROUP_COLUMNS" : "OOMRANK_COLUMNS");
	}
	if (o.c.help) {
		usage(&o, rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, rep))
		goto out;

	if (o.log) {
		run_log(&o, rep);
		goto out;
	}
	pfs = pd_common_procfs(&o.c);
	if (o.explain || pd_report_is_selected(rep, COL_CMDLINE))
		sopts.want |= PD_OOMSCAN_CMDLINE;
	if (o.explain || pd_report_is_selected(rep, COL_CGROUP) ||
	    pd_report_is_selected(rep, COL_UNIT))
		sopts.want |= PD_OOMSCAN_CGROUP;
	sopts.cgroup_root = o.cgroup_root;
	pd_check_alloc(&o.c, pd_oomscan_new(pfs, &sopts, &os));
	r = pd_oomscan_run(os);
	if (r < 0)
		pd_die(&o.c, "cannot scan %s: %s", pd_procfs_root(pfs),
		       strerror(-r));

	need_cg = o.cgroups || o.explain ||
		  pd_report_is_selected(rep, COL_TASK_MEMCG) ||
		  pd_report_is_selected(rep, COL_GROUP_KILL) ||
		  pd_report_is_selected(rep, COL_KILL_GROUP);
	/* Another /proc than ours gets cgroups only from --cgroup-root. */
	if (need_cg && (!o.c.proc_root || o.cgroup_root)) {
		r = pd_oomscan_cgroups(os, o.cgroup);
		dir = o.cgroup_root ? o.cgroup_root : "/sys/fs/cgroup";
		if (r < 0 && r != -ENOMEM && !o.cgroups)
			pd_warn(&o.c, "%s: %s; memory cgroups are unknown", dir,
				r == -ENOMEDIUM ? "no memory cgroup hierarchy" :
				strerror(-r));
		/* Every memory-limited cgroup of a machine without a memory
		 * hierarchy: none, said once; a named one is an error. */
		if (r == -ENOMEDIUM && o.cgroups && !o.cgroup) {
			pd_warn(&o.c, "%s: no memory cgroup hierarchy, so no "
				"cgroup has a memory limit", dir);
			r = 0;
		}
		if (r < 0 && o.cgroups) {
			if (r == -ENOMEDIUM)
				pd_die(&o.c, "%s: no memory cgroup hierarchy "
				       "there", dir);
			if (r == -ENOENT && o.cgroup)
				pd_die(&o.c, "%s: no such memory cgroup under %s",
				       o.cgroup, pd_oomscan_cgroup_dir(os) ?
				       pd_oomscan_cgroup_dir(os) : dir);
			pd_die(&o.c, "%s: %s", dir, strerror(-r));
		}
		if (r == -ENOMEM)
			pd_check_alloc(&o.c, r);
	}

	if (o.explain) {
		explain(&o, os);
		warn_check(&o, os);
		goto out;
	}
	health(&o, os, &h);
	warn_check(&o, os);
	prom(&o, os, &h);
	if (o.c.check)
		pd_health_check_exit(&o.c, &h);
	if (pd_health_report_wanted(&o.c, &h)) {
		/* with a threshold, only the rankings over it */
		for (i = dom_first(&o); i < dom_end(&o, os); i++)
			if (!pd_common_has_threshold(&o.c) ||
			    h.figs[i - dom_first(&o)].status != PD_STATUS_OK)
				add_rows(&o, os, pd_oomscan_domain(os, i), rep);
		pd_common_print(&o.c, rep, NULL);
	}
	rc = pd_health_exit_code(&o.c, &h);

out:
	free(h.figs);
	pd_oomscan_free(os);
	pd_procfs_free(pfs);
	pd_report_free(rep);
	free(o.pids);
	return rc;
}
