/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dfdu: the command line: options, usage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "dfdu.h"

enum {
	OPT_EXPLAIN = PD_OPT_TOOL,
	OPT_MIN_GAP,
	OPT_NO_WALK,
	OPT_REMOTE,
	OPT_TIMEOUT,
	OPT_ONE_FS,
	OPT_JUDGE,
};

static const char *const judge_names[JUDGE_NKINDS] = {
	"deleted", "hidden", "unexplained", "gap", "inodes",
};

const char *dfdu_judge_name(unsigned kind)
{
	unsigned i;

	for (i = 0; i < JUDGE_NKINDS; i++)
		if (kind == 1u << i)
			return judge_names[i];
	return "";
}

/* --judge LIST: the kinds of figure -w/-c judge. */
static unsigned parse_judge(const struct opts *o, const char *arg)
{
	char *list = strdup(arg), *tok, *save = NULL;
	unsigned bits = 0, i;

	if (!list)
		pd_check_alloc(&o->c, -ENOMEM);
	for (tok = strtok_r(list, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < JUDGE_NKINDS; i++)
			if (!strcasecmp(tok, judge_names[i]))
				break;
		if (i == JUDGE_NKINDS)
			pd_usage_error(&o->c, "--judge: unknown figure '%s' "
				       "(deleted, hidden, unexplained, gap, "
				       "inodes)", tok);
		bits |= 1u << i;
	}
	free(list);
	if (!bits)
		pd_usage_error(&o->c, "--judge: empty list");
	return bits;
}

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
	      " -i, --inodes            the inode columns (df -i) and what holds the inodes\n"
	      "     --judge <list>      what -w/-c judge: deleted, hidden, unexplained, gap,\n"
	      "                         inodes (default: deleted,hidden,unexplained; with\n"
	      "                         --no-walk deleted,hidden; with -i inodes)\n"
	      "     --no-walk           df side, deleted and hidden files only (cheap)\n"
	      "     --remote            network and FUSE file systems too (df side only)\n"
	      " -j, --jobs <n>          walker threads (default: from the device: reads\n"
	      "                         in flight it can serve)\n"
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
		{ "inodes", no_argument, NULL, 'i' },
		{ "judge", required_argument, NULL, OPT_JUDGE },
		PD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned long n;
	int opt;

	while ((opt = getopt_long(argc, argv, "vij:" PD_COMMON_SHORTOPTS,
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
		case 'i':
			o->inodes = true;
			break;
		case OPT_JUDGE:
			o->judge = parse_judge(o, optarg);
			break;
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (o->explain && o->verbose)
		pd_usage_error(&o->c, "--explain and --verbose are exclusive");
	/* What a user can get back alerts by default: deleted and hidden
	 * files; and what no cause explains, where there is a walk. */
	if (!o->judge)
		o->judge = o->inodes ? JUDGE_INODES : o->no_walk ?
			   JUDGE_DELETED | JUDGE_HIDDEN :
			   JUDGE_DELETED | JUDGE_HIDDEN | JUDGE_UNEXPLAINED;
	/* a threshold on what only the walk gives could never be judged */
	if (o->no_walk && (o->judge & JUDGE_WALKED))
		pd_usage_error(&o->c, "--judge %s needs the walk: not with "
			       "--no-walk", o->judge & JUDGE_UNEXPLAINED ?
			       "unexplained" : "gap");
	o->paths = argv + optind;
	o->npaths = (size_t)(argc - optind);
}
