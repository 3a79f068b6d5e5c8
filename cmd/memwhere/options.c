/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memwhere: option parsing and usage. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mwtool.h"

enum {
	OPT_NODE = PD_OPT_TOOL,
	OPT_CGROUP,
	OPT_SYS_ROOT,
	OPT_MIN_SIZE,
	OPT_PRESSURE,
};

/* PSI averages go up to 100.00%. */
#define PSI_MAX 10000

void memwhere_usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " memwhere [options]\n"
	      "\n"
	      "Where every byte of RAM is: the parts of MemTotal, adding up\n"
	      "exactly, with what is left over and why; per NUMA node; per\n"
	      "memory cgroup; with memory pressure (PSI) and paging activity.\n"
	      "\n"
	      "Options:\n"
	      " -v, --verbose           add the detail rows: largest slab caches and\n"
	      "                           vmalloc callers, Shmem's parts, hugetlb\n"
	      "                           pools, zram devices, GPU clients\n"
	      "     --node              the ledger per NUMA node, with numastat\n"
	      "     --cgroup[=<path>]   one row per memory cgroup, as a tree; only\n"
	      "                           <path> and below it when given\n"
	      " -i, --interval <time>   sample twice, <time> apart (2, 500ms):\n"
	      "                           activity as rates, cgroup events as growth\n"
	      " -N, --top <n>           detail rows per part (default 5); with\n"
	      "                           --cgroup --prom-file, the cgroups labelled\n"
	      "                           (default 10)\n"
	      "     --min-size <size>   leave out rows smaller than <size>\n"
	      "     --pressure-threshold some=<pct>[,full=<pct>]\n"
	      "                         a warning when PSI avg10 is over <pct>\n"
	      "     --sys-root <dir>    read <dir> instead of /sys (with --proc-root\n"
	      "                           and without it, no sysfs is read)\n"
	      PD_NAMES_USAGE
	      "\n"
	      "-w and -c judge memory in use (MemTotal - MemAvailable), in bytes or\n"
	      "% of MemTotal; with --cgroup, each limited cgroup's usage, in bytes\n"
	      "or % of its limit, and only the cgroups over a threshold print.\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

bool memwhere_has_threshold(const struct opts *o)
{
	return pd_common_has_threshold(&o->c) || o->has_psi_some ||
	       o->has_psi_full;
}

/* "12.5" or "12.5%" as hundredths of a percent, 0 to 100%. */
static int parse_pct(const char *s, uint32_t *ret)
{
	struct pd_threshold t;
	char buf[32];
	size_t len = strlen(s);

	if (len && s[len - 1] == '%')
		len--;
	if (!len || len + 3 > sizeof(buf) || memchr(s, ':', len))
		return -EINVAL;
	/* the range "N%:" alerts above N */
	snprintf(buf, sizeof(buf), "%.*s%%:", (int)len, s);
	if (pd_threshold_parse(buf, &t) < 0 || t.inside || t.lo_inf ||
	    !t.hi_inf || t.lo < 0 || t.lo > 100 * PD_THRESHOLD_PCT_SCALE)
		return -EINVAL;
	/* as "N:" it alerts above N; we keep N */
	*ret = (uint32_t)(t.lo / (PD_THRESHOLD_PCT_SCALE / 100));
	return 0;
}

static void parse_pressure(struct opts *o, const char *arg)
{
	char **items;
	size_t n, i;
	int r;

	r = pd_split_list(arg, &items, &n);
	if (r == -EINVAL)
		pd_usage_error(&o->c, "--pressure-threshold: invalid list '%s'", arg);
	pd_check_alloc(&o->c, r);
	for (i = 0; i < n; i++) {
		const char *eq = strchr(items[i], '=');
		bool some = eq && eq - items[i] == 4 &&
			    !strncmp(items[i], "some", 4);
		bool full = eq && eq - items[i] == 4 &&
			    !strncmp(items[i], "full", 4);
		uint32_t v;

		if ((!some && !full) || parse_pct(eq + 1, &v) < 0)
			pd_usage_error(&o->c, "--pressure-threshold: '%s' (some=<pct>, full=<pct>, 0 to 100)", items[i]);
		if (some) {
			o->has_psi_some = true;
			o->psi_some = v;
		} else {
			o->has_psi_full = true;
			o->psi_full = v;
		}
	}
	free(items);
}

static void set_view(struct opts *o, enum view v, const char *opt)
{
	if (o->view != VIEW_MACHINE && o->view != v)
		pd_usage_error(&o->c, "%s: --node and --cgroup exclude each other", opt);
	o->view = v;
}

void memwhere_parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "node", no_argument, NULL, OPT_NODE },
		{ "cgroup", optional_argument, NULL, OPT_CGROUP },
		{ "interval", required_argument, NULL, 'i' },
		{ "top", required_argument, NULL, 'N' },
		{ "min-size", required_argument, NULL, OPT_MIN_SIZE },
		{ "pressure-threshold", required_argument, NULL, OPT_PRESSURE },
		{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
		PD_NAMES_LONGOPT,
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int opt, r;

	o->c.pct_ok = true;
	while ((opt = getopt_long(argc, argv, "vi:N:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case 'v':
			o->verbose = true;
			break;
		case OPT_NODE:
			set_view(o, VIEW_NODE, "--node");
			break;
		case OPT_CGROUP:
			set_view(o, VIEW_CGROUP, "--cgroup");
			/* "--cgroup PATH" as well as "--cgroup=PATH", as
			 * oomrank: we take no operand, so a next word that
			 * is not an option can only be the path */
			if (!optarg && optind < argc && argv[optind][0] != '-')
				optarg = argv[optind++];
			if (optarg && !*optarg)
				pd_usage_error(&o->c, "--cgroup: empty path");
			o->cgroup = optarg;
			break;
		case 'i':
			r = pd_parse_duration_ms(optarg, &o->interval_ms);
			if (r < 0)
				pd_usage_error(&o->c, "--interval: invalid time '%s' (2, 1.5s, 500ms; up to a day)", optarg);
			break;
		case 'N':
			if (pd_parse_uint(optarg, 1000000, &v) < 0 || !v)
				pd_usage_error(&o->c, "--top: invalid count '%s'", optarg);
			o->top = v;
			break;
		case OPT_MIN_SIZE:
			if (pd_parse_size(optarg, &o->min_size) < 0)
				pd_usage_error(&o->c, "--min-size: invalid size '%s'", optarg);
			o->has_min = true;
			break;
		case OPT_PRESSURE:
			parse_pressure(o, optarg);
			break;
		case OPT_SYS_ROOT:
			if (!*optarg)
				pd_usage_error(&o->c, "--sys-root: empty directory name");
			o->sys_root = optarg;
			o->sys_root_given = true;
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (o->verbose && o->view != VIEW_MACHINE)
		pd_usage_error(&o->c, "--verbose: detail rows are the machine view's, not with --node or --cgroup");
	/* A captured /proc is another machine's: this machine's /sys would
	 * mix two machines, so only an explicit --sys-root is read then. */
	if (!o->sys_root_given)
		o->sys_root = o->c.proc_root ? NULL : "/sys";
	if (o->view == VIEW_CGROUP && !o->sys_root)
		pd_usage_error(&o->c, "--cgroup: with --proc-root, give --sys-root too (the cgroups are in its fs/cgroup)");
}
