/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: option parsing and usage. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "logtime.h"
#include "oomrank.h"

enum {
	OPT_CGROUP = PD_OPT_TOOL,
	OPT_CGROUP_ROOT,
	OPT_EXPLAIN,
	OPT_LOG,
	OPT_SINCE,
	OPT_JUDGE,
};

void oomrank_usage(const struct opts *o, const struct pd_report *rep)
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
	      " -a, --all               also the processes the killer never picks\n"
	      " -p, --pid <list>        only rows of these pids, ranked among all;\n"
	      "                           with --log, incidents that killed them\n"
	      "     --cgroup[=<path>]   rank within every memory-limited cgroup, or\n"
	      "                           within <path> and its descendants\n"
	      "     --cgroup-root <dir> cgroup file system (default /sys/fs/cgroup)\n"
	      "     --explain <pid>     why <pid> ranks where it does, in words\n"
	      "     --log[=<file>|-]    past OOM kills from a kernel log (dmesg,\n"
	      "                           journalctl -k, syslog); /dev/kmsg if none\n"
	      "     --since <time>      with --log, only the kills since <time>: a\n"
	      "                           duration back from now (1h, 61min, 2d) or\n"
	      "                           a date (2026-12-07 19:00, @<unix time>)\n"
	      PD_NAMES_USAGE
	      "\n"
	      "     --judge <what>      what -w, -c and --check judge: usage (the memory\n"
	      "                           in use, IN_USE, against what the ranking may\n"
	      "                           hold before its OOM; the default with --cgroup)\n"
	      "                           or victim (the first victim's BADNESS; the\n"
	      "                           default on the whole machine)\n"
	      "\n"
	      "-w and -c take a percentage (USE/10 or SHARE/10: 90%) or bytes (4G).\n"
	      "With --cgroup, each limited cgroup is judged, and only the cgroups over\n"
	      "a threshold print. With --log they count the OOM kills (processes\n"
	      "killed): -w 0 alerts on any.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

/* --since against the clock now; a usage error when it is no time. */
static void parse_since(struct opts *o)
{
	struct timespec now;
	int r;

	clock_gettime(CLOCK_REALTIME, &now);
	r = pd_logtime_since_parse(o->since, (int64_t)now.tv_sec * 1000000 +
				   now.tv_nsec / 1000, &o->since_us);
	if (r == -ERANGE)
		pd_usage_error(&o->c, "--since: '%s' is out of range", o->since);
	if (r < 0)
		pd_usage_error(&o->c, "--since: invalid time '%s' (1h, 90min, 2d, "
			       "2026-12-07 19:00, @1796672969)", o->since);
}

void oomrank_parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 'N' },
		{ "all", no_argument, NULL, 'a' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", optional_argument, NULL, OPT_CGROUP },
		{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "log", optional_argument, NULL, OPT_LOG },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "judge", required_argument, NULL, OPT_JUDGE },
		PD_NAMES_LONGOPT,
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int opt;

	while ((opt = getopt_long(argc, argv, "N:ap:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case 'N':
			if (pd_parse_uint(optarg, INT32_MAX, &v) < 0 || !v)
				pd_usage_error(&o->c, "--top: invalid count '%s'", optarg);
			o->top = v;
			break;
		case 'a':
			o->all = true;
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
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_JUDGE:
			if (!strcmp(optarg, "usage"))
				o->judge = JUDGE_USAGE;
			else if (!strcmp(optarg, "victim"))
				o->judge = JUDGE_VICTIM;
			else
				pd_usage_error(&o->c, "--judge: '%s' is neither usage nor victim", optarg);
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (o->explain && (o->cgroups || o->top || o->npids || o->all))
		pd_usage_error(&o->c, "--explain: not with --cgroup, --top, --pid or --all");
	if (o->log && (o->explain || o->cgroups || o->top || o->all))
		pd_usage_error(&o->c, "--log: not with --explain, --cgroup, --top or --all");
	if (o->explain && o->c.print.format != PD_FMT_TABLE)
		pd_usage_error(&o->c, "--explain: prints text, not with -r or -J");
	if ((pd_common_has_threshold(&o->c) || o->c.check || o->c.prom_file) &&
	    o->explain)
		pd_usage_error(&o->c, "-w, -c, --check and --prom-file judge the ranking or the log: not with --explain");
	if (o->log && ((o->c.has_warn && o->c.warn.unit == PD_THRESHOLD_PERCENT) ||
		       (o->c.has_crit && o->c.crit.unit == PD_THRESHOLD_PERCENT)))
		pd_usage_error(&o->c, "-w, -c: with --log they count OOM kills: give a number (0: any kill), not a percentage");
	if (o->since && !o->log)
		pd_usage_error(&o->c, "--since: only with --log");
	if (o->judge && (o->log || o->explain))
		pd_usage_error(&o->c, "--judge: not with --log or --explain");
	if (!o->judge)
		o->judge = o->cgroups ? JUDGE_USAGE : JUDGE_VICTIM;
	if (o->since)
		parse_since(o);
	/* A foreign /proc with this machine's cgroups would mix two systems. */
	if (o->cgroups && o->c.proc_root && !o->cgroup_root)
		pd_usage_error(&o->c, "--cgroup with --proc-root needs --cgroup-root");
}
