/* SPDX-License-Identifier: GPL-2.0-or-later */
/* oomrank: option parsing and usage. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "oomrank.h"

enum {
	OPT_CGROUP = PD_OPT_TOOL,
	OPT_CGROUP_ROOT,
	OPT_EXPLAIN,
	OPT_LOG,
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

void oomrank_parse_args(struct opts *o, int argc, char **argv)
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
