/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: option parsing and usage. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pssum.h"

enum {
	OPT_COMMAND = PD_OPT_TOOL,
	OPT_CGROUP,
	OPT_DIFF,
	OPT_STRICT,
	OPT_NUMA,
	OPT_SYS_ROOT,
};

void pssum_usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " pssum [options]\n"
	      "\n"
	      "Sum the memory of processes from smaps_rollup: PSS (shared pages\n"
	      "split among their users), RSS, USS and swap, per process or group.\n"
	      "\n"
	      "Options:\n"
	      " -g, --group-by <keys>   pid (default), ppid, command, exe, user, cgroup,\n"
	      "                         unit, container, pod; comma-separated for one\n"
	      "                         row per tuple\n"
	      " -p, --pid <list>        only these pids\n"
	      " -u, --user <list>       only these users (names or uids)\n"
	      "     --command <list>    only these commands (comm; a longer name:\n"
	      "                           its exe or argv[0])\n"
	      " -f, --full <regex>      only command lines matching <regex> (ERE, as pgrep -f)\n"
	      "     --cgroup <path>     only processes in cgroup <path> or below it\n"
	      " -m, --by-mapping        one row per mapped file or [heap], [stack], [anon]\n"
	      " -s, --summary           pss of all processes beside /proc/meminfo\n"
	      "     --diff <file>       growth since <file>, an earlier 'pssum -r' output\n"
	      "     --numa              bytes on each NUMA node (numa_maps): N0, N1, ...\n"
	      "                         columns, pages mapped as RSS counts them, not PSS\n"
	      "     --sys-root <dir>    the nodes of <dir> instead of /sys (with\n"
	      "                         --proc-root, --numa needs it)\n"
	      " -N, --top <n>           only the first <n> rows (the total counts all)\n"
	      " -j, --jobs <n>          read processes with <n> threads (default 1)\n"
	      "     --strict            exit 2 when some processes could not be read\n"
	      PD_NAMES_USAGE
	      "\n"
	      "-w and -c compare each group's PSS and print only the groups over a\n"
	      "threshold; with --diff its growth (100M, or 50% of what it had; RATE,\n"
	      "per hour, on -o). --prom-file labels groups by command (the default\n"
	      "then) or user: the first -N groups (20 if not given) and one\n"
	      "\"(other processes)\".\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

static void parse_keys(struct opts *o, const char *arg)
{
	char **items;
	size_t n, i, k, j;
	int r;

	r = pd_split_list(arg, &items, &n);
	if (r == -EINVAL)
		pd_usage_error(&o->c, "--group-by: invalid list '%s'", arg);
	pd_check_alloc(&o->c, r);
	if (n > NKEYS_MAX)
		pd_usage_error(&o->c, "--group-by: invalid list '%s'", arg);
	for (o->nkeys = 0, i = 0; i < n; i++) {
		for (k = 0; k < NKEYS_MAX; k++)
			if (!strcmp(items[i], pssum_keys[k].name) ||
			    (pssum_keys[k].alias &&
			     !strcmp(items[i], pssum_keys[k].alias)))
				break;
		if (k == NKEYS_MAX)
			pd_usage_error(&o->c, "--group-by: unknown key '%s' (pid, ppid, command, exe, user, cgroup, unit, container, pod)", items[i]);
		for (j = 0; j < o->nkeys; j++)
			if (o->key[j] == k)
				pd_usage_error(&o->c, "--group-by: '%s' twice", items[i]);
		o->key[o->nkeys++] = k;
	}
	free(items);
}

static unsigned long parse_count(struct opts *o, const char *opt,
				 const char *arg, unsigned long max)
{
	unsigned long v;

	if (pd_parse_uint(arg, max, &v) < 0 || v == 0)
		pd_usage_error(&o->c, "%s: invalid number '%s' (1 to %lu)", opt, arg, max);
	return v;
}

static void set_view(struct opts *o, enum view v, const char *opt)
{
	if (o->view != VIEW_GROUP || (v != VIEW_GROUP && o->diff))
		pd_usage_error(&o->c, "%s: -m, -s and --diff exclude each other", opt);
	o->view = v;
}

/* Metric labels must be bounded: a command or a user, never a pid or a
 * path. */
static void check_prom_keys(struct opts *o)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++) {
		enum pd_pss_key k = pssum_keys[o->key[i]].key;

		if (k != PD_PSS_KEY_COMMAND && k != PD_PSS_KEY_USER)
			pd_usage_error(&o->c, "--prom-file: group by command or user (a %s is no bounded metric label)",
				       pssum_keys[o->key[i]].name);
	}
}

void pssum_parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group-by", required_argument, NULL, 'g' },
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, OPT_COMMAND },
		{ "full", required_argument, NULL, 'f' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "by-mapping", no_argument, NULL, 'm' },
		{ "summary", no_argument, NULL, 's' },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "top", required_argument, NULL, 'N' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "numa", no_argument, NULL, OPT_NUMA },
		{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
		PD_NAMES_LONGOPT,
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	bool grouped = false;
	char err[256];
	int opt, r;

	while ((opt = getopt_long(argc, argv, "g:p:u:f:msN:j:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case 'g':
			parse_keys(o, optarg);
			grouped = true;
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
		case 'f':
			if (o->has_full)
				regfree(&o->full);
			r = regcomp(&o->full, optarg, REG_EXTENDED | REG_NOSUB);
			if (r) {
				regerror(r, &o->full, err, sizeof(err));
				pd_usage_error(&o->c, "--full: '%s': %s", optarg, err);
			}
			o->has_full = true;
			break;
		case OPT_CGROUP:
			if (optarg[0] != '/')
				pd_usage_error(&o->c, "--cgroup: '%s' is not an absolute cgroup path", optarg);
			o->cgroup = optarg;
			break;
		case 'm':
			set_view(o, VIEW_MAPPING, "--by-mapping");
			break;
		case 's':
			set_view(o, VIEW_SUMMARY, "--summary");
			break;
		case OPT_DIFF:
			set_view(o, VIEW_GROUP, "--diff");
			o->diff = optarg;
			break;
		case 'N':
			o->c.print.limit = parse_count(o, "--top", optarg,
						       INT32_MAX);
			break;
		case 'j':
			o->jobs = (unsigned)parse_count(o, "--jobs", optarg, 256);
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_NUMA:
			o->numa = true;
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
	if (grouped && o->view != VIEW_GROUP)
		pd_usage_error(&o->c, "--group-by: not with -m or -s");
	if (o->numa && o->view == VIEW_SUMMARY)
		pd_usage_error(&o->c, "--numa: not with -s");
	if (o->sys_root_given && !o->numa)
		pd_usage_error(&o->c, "--sys-root: only with --numa");
	/* As memwhere: a /proc of another machine beside this /sys would
	 * mix two machines. */
	if (!o->sys_root_given)
		o->sys_root = o->c.proc_root ? NULL : "/sys";
	if (o->numa && !o->sys_root)
		pd_usage_error(&o->c, "--numa: with --proc-root, give --sys-root too (the nodes are in its devices/system/node)");
	if ((pd_common_has_threshold(&o->c) || o->c.check) &&
	    o->view != VIEW_GROUP)
		pd_usage_error(&o->c, "-w, -c and --check judge the PSS of groups (their growth with --diff): not with -m or -s");
	/* metrics are what there is; Prometheus computes growth itself */
	if (o->c.prom_file && (o->view != VIEW_GROUP || o->diff))
		pd_usage_error(&o->c, "--prom-file writes the PSS of groups: not with -m, -s or --diff");
	if (!o->diff && ((o->c.has_warn &&
			  o->c.warn.unit == PD_THRESHOLD_PERCENT) ||
			 (o->c.has_crit &&
			  o->c.crit.unit == PD_THRESHOLD_PERCENT)))
		pd_usage_error(&o->c, "a percentage threshold judges a group's growth: only with --diff; give a size");
	if (!o->nkeys && o->c.prom_file)
		parse_keys(o, "command");	/* pids are no metric labels */
	if (o->c.prom_file)
		check_prom_keys(o);
	if (!o->nkeys)
		o->nkeys = 1;	/* key[0] is 0: pid */
}
