/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the command line: options, usage. */
#include "cli.h"
#include "dfdu.h"

enum {
	OPT_EXPLAIN = PD_OPT_TOOL,
	OPT_MIN_GAP,
	OPT_NO_WALK,
	OPT_REMOTE,
	OPT_TIMEOUT,
	OPT_ONE_FS,
};

void dfdu_usage(const struct opts *o, const struct pd_report *rep)
{
	FILE *out = stdout;

	fputs("Usage:\n"
	      " dfdu [options] [<path>...]\n"
	      "\n"
	      "Show why df and du disagree on each file system (or those holding\n"
	      "the paths): deleted files still open, files hidden under mount\n"
	      "points, unreadable directories, space the file system keeps.\n"
	      "\n"
	      "Options:\n"
	      "     --explain <path>    the evidence for the file system holding <path>\n"
	      " -v, --verbose           the evidence for every file system\n"
	      "     --min-gap <size>    only file systems whose gap or unexplained part\n"
	      "                         is at least <size> (100M, 1.5G)\n"
	      "     --no-walk           df side and deleted files only (instant)\n"
	      "     --remote            network and FUSE file systems too (df side only)\n"
	      " -j, --jobs <n>          walker threads (default: the number of CPUs)\n"
	      "     --timeout <time>    deadline for a stat, open or syncfs that may hang\n"
	      "                         (NFS, FUSE, stuck writeback; default 3s)\n"
	      "     --one-file-system   accepted for du users: always implied\n", out);
	pd_common_usage(out);
	pd_common_usage_tail(out, &o->c, rep);
}

void dfdu_parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "min-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "no-walk", no_argument, NULL, OPT_NO_WALK },
		{ "remote", no_argument, NULL, OPT_REMOTE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "one-file-system", no_argument, NULL, OPT_ONE_FS },
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n;
	int opt;

	while ((opt = getopt_long(argc, argv, "vj:" PD_COMMON_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (pd_common_opt(&o->c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_EXPLAIN:
			if (!*optarg)
				pd_usage_error(&o->c, "--explain: empty path");
			o->explain = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case OPT_MIN_GAP:
			if (pd_parse_size(optarg, &o->min_gap) < 0)
				pd_usage_error(&o->c, "--min-gap: invalid size '%s'", optarg);
			o->has_min_gap = true;
			break;
		case OPT_NO_WALK:
			o->no_walk = true;
			break;
		case OPT_REMOTE:
			o->remote = true;
			break;
		case 'j':
			if (pd_parse_uint(optarg, 256, &n) < 0 || n == 0)
				pd_usage_error(&o->c, "--jobs: invalid number '%s' (1 to 256)", optarg);
			o->jobs = (unsigned)n;
			break;
		case OPT_TIMEOUT:
			if (pd_parse_duration_ms(optarg, &o->timeout_ms) < 0)
				pd_usage_error(&o->c, "--timeout: invalid duration '%s'", optarg);
			break;
		case OPT_ONE_FS:
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (o->explain && o->verbose)
		pd_usage_error(&o->c, "--explain and --verbose are exclusive");
	/* The figure is the unexplained part, which only the walk gives:
	 * a threshold on it could never be judged. */
	if (o->no_walk && (pd_common_has_threshold(&o->c) || o->c.check))
		pd_usage_error(&o->c, "-w, -c and --check judge the unexplained "
			       "gap, which needs the walk: not with --no-walk");
	o->paths = argv + optind;
	o->npaths = (size_t)(argc - optind);
}
