/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memfind: the command line: options, usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "memfind.h"

enum {
	OPT_BY = PD_OPT_TOOL,
	OPT_COMMAND,
	OPT_MIN_SIZE,
	OPT_TYPE,
	OPT_ORPHANS,
	OPT_TIMEOUT,
};

void memfind_usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " memfind [options]\n"
	      "\n"
	      "List memory that lives in file-like objects (memfd, SysV and\n"
	      "POSIX shared memory, tmpfs files, shared anonymous memory,\n"
	      "secretmem, dma-buf), who holds it, and where Shmem went.\n"
	      "\n"
	      "Options:\n"
	      "     --type <list>       only these kinds: memfd, secretmem, hugetlb,\n"
	      "                         sysv, posix, tmpfs, deleted-tmpfs, shared-anon, dmabuf\n"
	      " -p, --pid <list>        only objects held by these pids\n"
	      " -u, --user <list>       only objects held by these users (names or uids)\n"
	      "     --command <list>    only objects held by these commands (comm; a\n"
	      "                           longer name: its exe or argv[0])\n"
	      "     --min-size <size>   only objects holding at least <size> (1M, 1.5G)\n"
	      "     --orphans           only SysV segments and /dev/shm files nobody holds\n"
	      "     --by <view>         object (default) or process\n"
	      " -s, --summary           Shmem of /proc/meminfo beside what was found\n"
	      "     --timeout <time>    deadline for a stat (default 3s)\n"
	      PD_NAMES_USAGE
	      "\n"
	      "-w and -c compare the bytes the selected objects hold (ALLOC summed;\n"
	      "secretmem: RSS); with -s the unexplained Shmem (the remainder, 0 if\n"
	      "none), in bytes or as a share of Shmem (5%). Over a threshold the\n"
	      "whole report is printed.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void add_kinds(struct opts *o, const char *arg)
{
	char **items;
	size_t n, i;
	int r;

	r = pd_split_list(arg, &items, &n);
	if (r == -EINVAL)
		pd_usage_error(&o->c, "--type: invalid list '%s'", arg);
	pd_check_alloc(&o->c, r);
	for (i = 0; i < n; i++) {
		enum pd_memkind k;

		if (pd_memkind_parse(items[i], &k) < 0)
			pd_usage_error(&o->c, "--type: unknown kind '%s'",
				       items[i]);
		o->kinds |= 1u << k;
	}
	free(items);
}

void memfind_parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, OPT_COMMAND },
		{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
		{ "orphans", no_argument, NULL, OPT_ORPHANS },
		{ "by", required_argument, NULL, OPT_BY },
		{ "summary", no_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		PD_NAMES_LONGOPT,
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	bool by = false, summary = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "p:u:s" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_TYPE:
			add_kinds(o, optarg);
			break;
		case OPT_BY:
			if (!strcmp(optarg, "object"))
				o->view = VIEW_OBJECT;
			else if (!strcmp(optarg, "process"))
				o->view = VIEW_PROCESS;
			else
				pd_usage_error(&o->c, "--by: unknown view '%s' (object, process)", optarg);
			by = true;
			break;
		case 's':
			summary = true;
			break;
		case 'p':
			pd_common_add_pids(&o->c, optarg, &o->pids, &o->npids);
			break;
		case 'u':
			pd_common_add_users(&o->c, optarg, &o->uids, &o->nuids);
			break;
		case OPT_COMMAND:
			pd_common_set_comms(&o->c, optarg, &o->comms, &o->ncomms);
			break;
		case OPT_MIN_SIZE:
			if (pd_parse_size(optarg, &o->min_size) < 0)
				pd_usage_error(&o->c, "--min-size: invalid size '%s'", optarg);
			o->has_min = true;
			break;
		case OPT_ORPHANS:
			o->orphans = true;
			break;
		case OPT_TIMEOUT:
			if (pd_parse_duration_ms(optarg, &o->timeout_ms) < 0)
				pd_usage_error(&o->c, "--timeout: invalid duration '%s'", optarg);
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (summary && by)
		pd_usage_error(&o->c, "--summary and --by are mutually exclusive");
	if (summary)
		o->view = VIEW_SUMMARY;
	if (summary && (o->npids || o->nuids || o->ncomms ||
					o->kinds || o->has_min || o->orphans))
		pd_usage_error(&o->c, "--summary counts everything: it takes no filter");
	/* pct_ok was set for -s, which comes after -w on some lines */
	if (!summary && ((o->c.has_warn &&
			  o->c.warn.unit == PD_THRESHOLD_PERCENT) ||
			 (o->c.has_crit &&
			  o->c.crit.unit == PD_THRESHOLD_PERCENT)))
		pd_usage_error(&o->c, "a percentage threshold judges the Shmem remainder: only with -s; give a size");
}
