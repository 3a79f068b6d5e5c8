/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pssum: who really uses the RAM: PSS, RSS, USS and swap summed per
 * process, command, user, cgroup or mapping, shared pages split fairly. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "pscan.h"
#include "users.h"

enum view { VIEW_GROUP, VIEW_MAPPING, VIEW_SUMMARY };

/* One row per process or group (-g). */
enum {
	COL_PID, COL_PPID, COL_USER, COL_UID, COL_COMMAND, COL_UNIT,
	COL_PROCS, COL_RSS, COL_PSS, COL_USS, COL_PRIVATE_DIRTY, COL_SHARED,
	COL_SWAP, COL_SWAP_PSS, COL_PSS_ANON, COL_PSS_FILE, COL_PSS_SHMEM,
	COL_ANON_HUGE, COL_HUGETLB, COL_PAGETABLES, COL_PSS_DIFF,
	COL_RSS_DIFF, COL_USS_DIFF, COL_SWAP_DIFF, COL_EXE, COL_CGROUP,
	COL_CMDLINE, NCOLS
};

static const struct pd_column cols[] = {
	[COL_PID] = { "PID", PD_COL_NUM, 0, "process id" },
	[COL_PPID] = { "PPID", PD_COL_NUM, 0, "parent process id" },
	[COL_USER] = { "USER", PD_COL_STR, 0, "user name (real uid)" },
	[COL_UID] = { "UID", PD_COL_NUM, 0, "real user id" },
	[COL_COMMAND] = { "COMMAND", PD_COL_STR, 0, "command (comm)" },
	[COL_UNIT] = { "UNIT", PD_COL_STR, 0, "systemd unit from the cgroup path" },
	[COL_PROCS] = { "PROCS", PD_COL_NUM, 0, "processes in the group" },
	[COL_RSS] = { "RSS", PD_COL_SIZE, 0, "resident set: every page mapped, shared ones in full" },
	[COL_PSS] = { "PSS", PD_COL_SIZE, 0, "proportional set: shared pages split among their users" },
	[COL_USS] = { "USS", PD_COL_SIZE, 0, "unique set (Private_Clean+Private_Dirty): what it alone maps" },
	[COL_PRIVATE_DIRTY] = { "PRIVATE_DIRTY", PD_COL_SIZE, 0, "private dirty pages" },
	[COL_SHARED] = { "SHARED", PD_COL_SIZE, 0, "pages shared with others (Shared_Clean+Shared_Dirty)" },
	[COL_SWAP] = { "SWAP", PD_COL_SIZE, 0, "swapped out" },
	[COL_SWAP_PSS] = { "SWAP_PSS", PD_COL_SIZE, 0, "swapped out, shared swap split among its users" },
	[COL_PSS_ANON] = { "PSS_ANON", PD_COL_SIZE, 0, "anonymous part of PSS (5.8+)" },
	[COL_PSS_FILE] = { "PSS_FILE", PD_COL_SIZE, 0, "file-backed part of PSS (5.8+)" },
	[COL_PSS_SHMEM] = { "PSS_SHMEM", PD_COL_SIZE, 0, "shmem/tmpfs part of PSS (5.8+)" },
	[COL_ANON_HUGE] = { "ANON_HUGE", PD_COL_SIZE, 0, "anonymous transparent huge pages (AnonHugePages)" },
	[COL_HUGETLB] = { "HUGETLB", PD_COL_SIZE, 0, "hugetlbfs pages mapped (status HugetlbPages), not in RSS" },
	[COL_PAGETABLES] = { "PAGETABLES", PD_COL_SIZE, 0, "page tables (status VmPTE), not in RSS" },
	[COL_PSS_DIFF] = { "PSS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "PSS growth since the --diff file" },
	[COL_RSS_DIFF] = { "RSS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "RSS growth since the --diff file" },
	[COL_USS_DIFF] = { "USS_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "USS growth since the --diff file" },
	[COL_SWAP_DIFF] = { "SWAP_DIFF", PD_COL_SSIZE, PD_COLF_PLUS, "SWAP growth since the --diff file" },
	[COL_EXE] = { "EXE", PD_COL_STR, PD_COLF_WIDE, "executable (exe link, \" (deleted)\" kept)" },
	[COL_CGROUP] = { "CGROUP", PD_COL_STR, PD_COLF_WIDE, "cgroup path" },
	[COL_CMDLINE] = { "CMDLINE", PD_COL_STR, PD_COLF_WIDE, "full command line" },
};

/* One row per mapping name (-m). */
enum { MCOL_PROCS, MCOL_RSS, MCOL_PSS, MCOL_USS, MCOL_SWAP, MCOL_SWAP_PSS,
       MCOL_MAPPING };

static const struct pd_column map_cols[] = {
	[MCOL_PROCS] = { "PROCS", PD_COL_NUM, PD_COLF_DEFAULT, "processes mapping it" },
	[MCOL_RSS] = { "RSS", PD_COL_SIZE, PD_COLF_DEFAULT, "resident, summed over the processes" },
	[MCOL_PSS] = { "PSS", PD_COL_SIZE, PD_COLF_DEFAULT, "proportional set, summed" },
	[MCOL_USS] = { "USS", PD_COL_SIZE, PD_COLF_DEFAULT, "private to one process, summed" },
	[MCOL_SWAP] = { "SWAP", PD_COL_SIZE, PD_COLF_DEFAULT, "swapped out, summed" },
	[MCOL_SWAP_PSS] = { "SWAP_PSS", PD_COL_SIZE, 0, "proportional swap, summed" },
	[MCOL_MAPPING] = { "MAPPING", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "path, or [heap], [stack], [vdso], [anon]..." },
};

/* One line per quantity (-s). */
enum { SCOL_ITEM, SCOL_SIZE, SCOL_NOTE };

static const struct pd_column sum_cols[] = {
	[SCOL_ITEM] = { "ITEM", PD_COL_STR, PD_COLF_DEFAULT, "pss sums and /proc/meminfo fields" },
	[SCOL_SIZE] = { "SIZE", PD_COL_SIZE, PD_COLF_DEFAULT, "bytes" },
	[SCOL_NOTE] = { "NOTE", PD_COL_STR, PD_COLF_DEFAULT | PD_COLF_WIDE, "what it is, and how it relates to pss" },
};

static const struct {
	const char *name, *alias;
	enum pd_pss_key key;
	size_t col;
} keys[] = {
	{ "pid", NULL, PD_PSS_KEY_PID, COL_PID },
	{ "ppid", NULL, PD_PSS_KEY_PPID, COL_PPID },
	{ "command", "comm", PD_PSS_KEY_COMMAND, COL_COMMAND },
	{ "exe", NULL, PD_PSS_KEY_EXE, COL_EXE },
	{ "user", NULL, PD_PSS_KEY_USER, COL_USER },
	{ "cgroup", NULL, PD_PSS_KEY_CGROUP, COL_CGROUP },
	{ "unit", NULL, PD_PSS_KEY_UNIT, COL_UNIT },
};

#define NKEYS_MAX (sizeof(keys) / sizeof(keys[0]))

enum {
	OPT_COMMAND = PD_OPT_TOOL,
	OPT_CGROUP,
	OPT_DIFF,
	OPT_STRICT,
};

struct opts {
	struct pd_common c;
	enum view view;
	size_t key[NKEYS_MAX];	/* indexes into keys[] */
	size_t nkeys;
	pid_t *pids;
	size_t npids;
	uid_t *uids;
	size_t nuids;
	char **comms;
	size_t ncomms;
	regex_t full;
	bool has_full;
	const char *cgroup;
	const char *diff;
	unsigned jobs;
	bool strict;
};

/* The state the row makers share. */
struct ctx {
	struct opts *o;
	struct pd_report *rep;
	struct pd_pscan *ps;
	struct pd_pssbase *base;
	bool by_pid;
	unsigned want;		/* enum pd_pscan_want */
	struct pd_health health;
	struct pd_figure *figs;	/* one per group, in group order */
};

/* A row to print: group I, or (--diff) base row I that is gone. */
struct src {
	bool gone;
	size_t i;
};

static void usage(const struct opts *o, const struct pd_report *rep)
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
	      "                         unit; comma-separated for one row per tuple\n"
	      " -p, --pid <list>        only these pids\n"
	      " -u, --user <list>       only these users (names or uids)\n"
	      "     --command <list>    only these commands (exact comm)\n"
	      " -f, --full <regex>      only command lines matching <regex> (ERE, as pgrep -f)\n"
	      "     --cgroup <path>     only processes in cgroup <path> or below it\n"
	      " -m, --by-mapping        one row per mapped file or [heap], [stack], [anon]\n"
	      " -s, --summary           pss of all processes beside /proc/meminfo\n"
	      "     --diff <file>       growth since <file>, an earlier 'pssum -r' output\n"
	      " -N, --top <n>           only the first <n> rows (the total counts all)\n"
	      " -j, --jobs <n>          read processes with <n> threads (default 1)\n"
	      "     --strict            exit 2 when some processes could not be read\n"
	      "\n"
	      "-w and -c compare each group's PSS and print only the groups over a\n"
	      "threshold. --prom-file labels groups by command (the default then) or\n"
	      "user: the first -N groups (20 if not given) and one \"(other processes)\".\n", out);
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
			if (!strcmp(items[i], keys[k].name) ||
			    (keys[k].alias && !strcmp(items[i], keys[k].alias)))
				break;
		if (k == NKEYS_MAX)
			pd_usage_error(&o->c, "--group-by: unknown key '%s' (pid, ppid, command, exe, user, cgroup, unit)", items[i]);
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
		enum pd_pss_key k = keys[o->key[i]].key;

		if (k != PD_PSS_KEY_COMMAND && k != PD_PSS_KEY_USER)
			pd_usage_error(&o->c, "--prom-file: group by command or user (a %s is no bounded metric label)",
				       keys[o->key[i]].name);
	}
}

static void parse_args(struct opts *o, int argc, char **argv)
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
		default:
			pd_common_bad_option(&o->c);
		}
	}
	if (optind < argc)
		pd_usage_error(&o->c, "unexpected argument: '%s'", argv[optind]);
	if (grouped && o->view != VIEW_GROUP)
		pd_usage_error(&o->c, "--group-by: not with -m or -s");
	if ((pd_common_has_threshold(&o->c) || o->c.check || o->c.prom_file) &&
	    (o->view != VIEW_GROUP || o->diff))
		pd_usage_error(&o->c, "-w, -c, --check and --prom-file judge the PSS of groups: not with -m, -s or --diff");
	if (!o->nkeys && o->c.prom_file)
		parse_keys(o, "command");	/* pids are no metric labels */
	if (o->c.prom_file)
		check_prom_keys(o);
	if (!o->nkeys)
		o->nkeys = 1;	/* key[0] is 0: pid */
}

static bool has_key(const struct opts *o, enum pd_pss_key key)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (keys[o->key[i]].key == key)
			return true;
	return false;
}

/* The default columns of the group view: narrow keys, sizes, wide keys. */
static void group_defaults(struct opts *o, struct pd_report *rep)
{
	char list[256] = "";
	size_t i, wide;

	for (wide = 0; wide < 2; wide++) {
		for (i = 0; i < o->nkeys; i++) {
			size_t col = keys[o->key[i]].col;

			if (!!(cols[col].flags & PD_COLF_WIDE) == wide) {
				strcat(list, cols[col].name);
				strcat(list, ",");
			}
		}
		if (wide)
			break;
		if (o->diff)
			strcat(list, "PSS,PSS_DIFF,RSS_DIFF,");
		else if (has_key(o, PD_PSS_KEY_PID))
			strcat(list, "RSS,PSS,USS,SWAP,");
		else
			strcat(list, "PROCS,RSS,PSS,USS,SWAP,");
	}
	if (!o->diff && has_key(o, PD_PSS_KEY_PID))
		strcat(list, "CMDLINE,");
	list[strlen(list) - 1] = '\0';
	pd_check_alloc(&o->c, pd_report_set_defaults(rep, list, NULL));
}

/* Is column COL known for the rows? By pid everything is; in a group
 * only what its key decides. */
static bool decided(const struct ctx *x, size_t col)
{
	size_t i;

	if (x->by_pid)
		return true;
	for (i = 0; i < x->o->nkeys; i++)
		if (keys[x->o->key[i]].col == col)
			return true;
	return (col == COL_UID && has_key(x->o, PD_PSS_KEY_USER)) ||
	       (col == COL_UNIT && has_key(x->o, PD_PSS_KEY_CGROUP));
}

/* Where the fill functions put a row's cells. */
struct sink {
	const struct pd_common *c;
	struct pd_row *row;
};

static void put_num(struct sink *k, size_t col, uint64_t v)
{
	pd_row_set_u64(k->row, col, v);
}

static void put_s64(struct sink *k, size_t col, int64_t v)
{
	pd_row_set_s64(k->row, col, v);
}

static void put_str(struct sink *k, size_t col, const char *s)
{
	pd_check_alloc(k->c, pd_row_set_str(k->row, col, s));
}

/* The sizes of the group view from SM. */
static void put_sizes(struct sink *k, const struct pd_smaps *sm)
{
	put_num(k, COL_RSS, sm->rss);
	put_num(k, COL_PSS, sm->pss);
	put_num(k, COL_USS, pd_smaps_uss(sm));
	put_num(k, COL_PRIVATE_DIRTY, sm->private_dirty);
	put_num(k, COL_SHARED, pd_smaps_shared(sm));
	put_num(k, COL_SWAP, sm->swap);
	put_num(k, COL_SWAP_PSS, sm->swap_pss);
	put_num(k, COL_PSS_ANON, sm->pss_anon);
	put_num(k, COL_PSS_FILE, sm->pss_file);
	put_num(k, COL_PSS_SHMEM, sm->pss_shmem);
	put_num(k, COL_ANON_HUGE, sm->anon_huge);
}

static void put_growth(struct sink *k, const struct pd_pssgrowth *g)
{
	static const size_t col[PD_PSSBASE_NCOLS] = {
		COL_PSS_DIFF, COL_RSS_DIFF, COL_USS_DIFF, COL_SWAP_DIFF,
	};
	size_t i;

	for (i = 0; i < PD_PSSBASE_NCOLS; i++)
		if (g->known[i])
			put_s64(k, col[i], g->v[i]);
}

static void group_fill(struct ctx *x, const struct src *s, struct sink *k)
{
	const struct pd_pssgroup *g;
	const struct pd_pssproc *p;
	struct pd_pssgrowth gone;
	size_t i;

	if (s->gone) {
		const struct pd_pssbase_row *b = pd_pssbase_row(x->base, s->i);

		for (i = 0; i < x->o->nkeys; i++) {
			size_t col = keys[x->o->key[i]].col;
			const char *t = b->keys[i];

			if (t && cols[col].type == PD_COL_NUM)
				put_num(k, col, strtoull(t, NULL, 10));
			else
				put_str(k, col, t);
		}
		pd_pssbase_row_growth(b, &gone);
		put_growth(k, &gone);
		return;
	}
	g = pd_pscan_group(x->ps, s->i);
	p = g->proc;
	if (decided(x, COL_PID))
		put_num(k, COL_PID, (uint64_t)p->pid);
	if (decided(x, COL_PPID))
		put_num(k, COL_PPID, (uint64_t)p->ppid);
	if (decided(x, COL_COMMAND))
		put_str(k, COL_COMMAND, p->comm);
	if (p->user && decided(x, COL_USER))
		put_str(k, COL_USER, p->user);
	if (p->user && decided(x, COL_UID))
		put_num(k, COL_UID, (uint64_t)p->uid);
	if (decided(x, COL_UNIT))
		put_str(k, COL_UNIT, p->unit);
	if (decided(x, COL_CGROUP))
		put_str(k, COL_CGROUP, p->cgroup);
	if (decided(x, COL_EXE))
		put_str(k, COL_EXE, p->exe);
	if (decided(x, COL_CMDLINE))
		put_str(k, COL_CMDLINE, p->cmdline);
	put_num(k, COL_PROCS, g->nprocs);
	put_sizes(k, &g->sm);
	if (x->want & PD_PSCAN_STATUS_MEM) {
		put_num(k, COL_PAGETABLES, g->pagetables);
		put_num(k, COL_HUGETLB, g->hugetlb);
	}
	if (x->base)
		put_growth(k, &g->growth);
}

static void map_fill(struct ctx *x, const struct src *s, struct sink *k)
{
	const struct pd_pssmap *m = pd_pscan_map(x->ps, s->i);

	pd_check_alloc(k->c, pd_row_set_strn(k->row, MCOL_MAPPING, m->name,
					     m->name_len));
	put_num(k, MCOL_PROCS, m->nprocs);
	put_num(k, MCOL_RSS, m->sm.rss);
	put_num(k, MCOL_PSS, m->sm.pss);
	put_num(k, MCOL_USS, pd_smaps_uss(&m->sm));
	put_num(k, MCOL_SWAP, m->sm.swap);
	put_num(k, MCOL_SWAP_PSS, m->sm.swap_pss);
}

typedef void fill_fn(struct ctx *x, const struct src *s, struct sink *k);

/* Add the rows of SRCS to the report; -N cuts at print time, after the
 * report has sorted them. */
static void add_rows(struct ctx *x, const struct src *srcs, size_t n,
		     fill_fn *fill)
{
	struct sink k = { .c = &x->o->c };
	size_t i;

	for (i = 0; i < n; i++) {
		pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &k.row));
		fill(x, &srcs[i], &k);
	}
}

/* Read the --diff file, before the scan: a bad file fails fast. */
static struct pd_pssbase *load_base(struct ctx *x)
{
	const char *names[NKEYS_MAX];
	struct opts *o = x->o;
	struct pd_pssbase *b;
	size_t i, len, bad = 0;
	char *buf, list[128] = "";
	int r;

	for (i = 0; i < o->nkeys; i++) {
		names[i] = cols[keys[o->key[i]].col].name;
		strcat(list, i ? "," : "");
		strcat(list, names[i]);
	}
	r = pd_read_at(AT_FDCWD, o->diff, PD_READ_LIMIT, &buf, &len);
	if (r < 0)
		pd_die(&o->c, "cannot read %s: %s", o->diff, strerror(-r));
	r = pd_pssbase_parse(buf, len, names, o->nkeys, &b, &bad);
	free(buf);
	if (r == -ENOKEY)
		pd_die(&o->c, "%s: the header lacks a key column (%s): make it with 'pssum -r' and the same --group-by",
		       o->diff, list);
	if (r == -EBADMSG)
		pd_die(&o->c, "%s:%zu: not a line of 'pssum -r' output", o->diff, bad);
	if (r == -ENOTUNIQ)
		pd_die(&o->c, "%s: rows repeat the same %s: it was made with another --group-by", o->diff, list);
	pd_check_alloc(&o->c, r);
	return b;
}

static void group_rows(struct ctx *x)
{
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	size_t ng = pd_pscan_ngroups(x->ps), nb = 0, n = 0, i;
	int first = pd_report_first_column(x->rep);
	size_t wide = x->by_pid ? COL_CMDLINE : NCOLS;
	struct sink k = { .c = &x->o->c };
	struct src *srcs;
	char text[48];

	for (i = x->o->nkeys; i > 0 && wide == NCOLS; i--)
		if (cols[keys[x->o->key[i - 1]].col].flags & PD_COLF_WIDE)
			wide = keys[x->o->key[i - 1]].col;
	if (x->base)
		nb = pd_pssbase_nrows(x->base);
	srcs = pd_xcalloc(ng + nb, sizeof(*srcs));
	for (i = 0; i < ng; i++)
		/* with a threshold, only the groups over it */
		if (!pd_common_has_threshold(&x->o->c) ||
		    x->figs[i].status != PD_STATUS_OK)
			srcs[n++] = (struct src){ .i = i };
	for (i = 0; i < nb; i++)
		if (!pd_pssbase_row(x->base, i)->matched)
			srcs[n++] = (struct src){ .gone = true, .i = i };
	add_rows(x, srcs, n, group_fill);
	if (n) {
		pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &k.row));
		/* PROCS first (-g exe) would hide "total": the count then
		 * goes to the wide text column, as it does by pid. */
		if (first != COL_PROCS)
			put_num(&k, COL_PROCS, t->nprocs);
		put_sizes(&k, &t->sm);
		put_num(&k, COL_PAGETABLES, t->pagetables);
		put_num(&k, COL_HUGETLB, t->hugetlb);
		snprintf(text, sizeof(text), "%s%zu process%s",
			 first == (int)wide ? "total: " : "", t->nprocs,
			 t->nprocs == 1 ? "" : "es");
		if (wide < NCOLS && (x->by_pid || first == COL_PROCS))
			put_str(&k, wide, text);
		if (x->base)
			put_growth(&k, &t->growth);
	}
	free(srcs);
}

static void map_rows(struct ctx *x)
{
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	size_t n = pd_pscan_nmaps(x->ps), i;
	struct sink k = { .c = &x->o->c };
	struct src *srcs;
	char text[48];

	srcs = pd_xcalloc(n, sizeof(*srcs));
	for (i = 0; i < n; i++)
		srcs[i].i = i;
	add_rows(x, srcs, n, map_fill);
	free(srcs);
	if (!n)
		return;
	pd_check_alloc(&x->o->c, pd_report_total_row(x->rep, &k.row));
	put_num(&k, MCOL_RSS, t->sm.rss);
	put_num(&k, MCOL_PSS, t->sm.pss);
	put_num(&k, MCOL_USS, pd_smaps_uss(&t->sm));
	put_num(&k, MCOL_SWAP, t->sm.swap);
	put_num(&k, MCOL_SWAP_PSS, t->sm.swap_pss);
	snprintf(text, sizeof(text), "%s%zu process%s",
		 pd_report_first_column(x->rep) == MCOL_MAPPING ? "total: " : "",
		 t->nprocs, t->nprocs == 1 ? "" : "es");
	put_str(&k, MCOL_MAPPING, text);
}

static void summary_rows(struct ctx *x, struct pd_procfs *pfs)
{
	struct pd_memline lines[PD_MEMLINES_MAX];
	struct pd_meminfo *mi;
	struct pd_row *row;
	size_t n, i;
	int r;

	r = pd_meminfo_read(pfs, &mi);
	if (r < 0)
		pd_die(&x->o->c, "cannot read %s/meminfo: %s",
		       pd_procfs_root(pfs), strerror(-r));
	n = pd_pscan_reconcile(x->ps, mi, lines);
	for (i = 0; i < n; i++) {
		pd_check_alloc(&x->o->c, pd_report_add_row(x->rep, &row));
		pd_check_alloc(&x->o->c, pd_row_set_str(row, SCOL_ITEM, lines[i].item));
		if (lines[i].known)
			pd_row_set_u64(row, SCOL_SIZE, lines[i].size);
		pd_check_alloc(&x->o->c, pd_row_set_str(row, SCOL_NOTE, lines[i].note));
	}
	pd_meminfo_free(mi);
}

/* Are groups named in --check words or metric labels? */
static bool named(const struct opts *o)
{
	return pd_common_has_threshold(&o->c) || o->c.check || o->c.prom_file;
}

/* Is COL the column of one of the -g keys? */
static bool key_col(const struct opts *o, size_t col)
{
	size_t i;

	for (i = 0; i < o->nkeys; i++)
		if (keys[o->key[i]].col == col)
			return true;
	return false;
}

/* The value of key K of group G, as the report shows it ("" unknown). */
static const char *key_value(const struct pd_pssgroup *g, enum pd_pss_key k,
			     char *buf, size_t n)
{
	const struct pd_pssproc *p = g->proc;
	const char *v = NULL;

	switch (k) {
	case PD_PSS_KEY_PID:
		snprintf(buf, n, "%d", (int)p->pid);
		return buf;
	case PD_PSS_KEY_PPID:
		snprintf(buf, n, "%d", (int)p->ppid);
		return buf;
	case PD_PSS_KEY_COMMAND: v = p->comm; break;
	case PD_PSS_KEY_EXE: v = p->exe; break;
	case PD_PSS_KEY_USER:
		if (p->user)
			return p->user;
		snprintf(buf, n, "%u", (unsigned)p->uid);
		return buf;
	case PD_PSS_KEY_CGROUP: v = p->cgroup; break;
	case PD_PSS_KEY_UNIT: v = p->unit; break;
	}
	return v ? v : "";
}

/* A group as the --check line names it: its keys joined by '/' (a pid
 * with its command), escaped so the line stays one line. */
static void group_name(const struct ctx *x, const struct pd_pssgroup *g,
		       char *buf, size_t n)
{
	char val[64], *esc;
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < x->o->nkeys && len < n; i++) {
		enum pd_pss_key k = keys[x->o->key[i]].key;
		const char *v = key_value(g, k, val, sizeof(val));

		esc = pd_escape_tsv(v, strlen(v));
		if (!esc)
			pd_check_alloc(&x->o->c, -ENOMEM);
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "/" : "", esc);
		free(esc);
		if (k == PD_PSS_KEY_PID && len < n) {
			esc = pd_escape_tsv(g->proc->comm, strlen(g->proc->comm));
			if (!esc)
				pd_check_alloc(&x->o->c, -ENOMEM);
			len += (size_t)snprintf(buf + len, n - len, "(%s)", esc);
			free(esc);
		}
	}
}

/* "processes", "command groups", "command,user groups"; one: "process". */
static void groups_word(const struct opts *o, size_t n, char *buf, size_t size)
{
	size_t i, len = 0;

	if (o->nkeys == 1 && keys[o->key[0]].key == PD_PSS_KEY_PID) {
		snprintf(buf, size, n == 1 ? "process" : "processes");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < o->nkeys; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "", keys[o->key[i]].name);
	snprintf(buf + len, size - len, n == 1 ? " group" : " groups");
}

/* Sort group indexes by PSS, largest first (ties by index). */
static int by_pss(const void *a, const void *b, void *arg)
{
	const struct pd_pscan *ps = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	uint64_t pi = pd_pscan_group(ps, i)->sm.pss;
	uint64_t pj = pd_pscan_group(ps, j)->sm.pss;

	if (pi != pj)
		return pi > pj ? -1 : 1;
	return i < j ? -1 : i > j;
}

static size_t *groups_by_pss(const struct ctx *x)
{
	size_t n = pd_pscan_ngroups(x->ps), i;
	size_t *idx = pd_xcalloc(n, sizeof(*idx));

	for (i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), by_pss, x->ps);
	return idx;
}

/* The headline: each group's PSS; the --check words name the groups
 * over a threshold, or the largest. */
static void health(struct ctx *x)
{
	struct pd_health *h = &x->health;
	size_t n = pd_pscan_ngroups(x->ps), i, k, len, named_n = 0;
	size_t *idx;
	char word[96], name[128], size[32];

	x->figs = pd_xcalloc(n, sizeof(*x->figs));
	for (i = 0; i < n; i++)
		x->figs[i].bytes = pd_pscan_group(x->ps, i)->sm.pss;
	h->perf = "largest_pss";
	h->figs = x->figs;
	h->nfigs = n;
	h->groups = "groups";
	pd_health_eval(&x->o->c, h);
	groups_word(x->o, n, word, sizeof(word));
	idx = groups_by_pss(x);
	if (h->nwarn + h->ncrit)
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%u of %zu %s over a threshold:",
				       h->nwarn + h->ncrit, n, word);
	else
		len = (size_t)snprintf(h->text, sizeof(h->text),
				       "%zu %s, the largest:", n, word);
	for (k = 0; k < n && len < sizeof(h->text); k++) {
		i = idx[k];
		if (h->nwarn + h->ncrit ? x->figs[i].status == PD_STATUS_OK :
		    k > 0)
			continue;
		if (named_n == 3) {
			len += (size_t)snprintf(h->text + len, sizeof(h->text) - len, ", ...");
			break;
		}
		group_name(x, pd_pscan_group(x->ps, i), name, sizeof(name));
		pd_health_size(x->figs[i].bytes, size, sizeof(size));
		len += (size_t)snprintf(h->text + len, sizeof(h->text) - len,
					"%s %s %s", named_n ? "," : "", name, size);
		named_n++;
	}
	if (!n) {
		groups_word(x->o, 2, word, sizeof(word));
		snprintf(h->text, sizeof(h->text), "no %s", word);
	}
	free(idx);
}

/* --prom-file: the first -N groups by PSS (20 by default) and the rest
 * summed as "(other processes)": no comm is that long (15 bytes at most),
 * no user or unit name has spaces. */
static void prom(struct ctx *x)
{
	static const struct {
		const char *what, *help;
	} fam[] = {
		{ "pss_bytes", "proportional set size: shared pages split among their users" },
		{ "rss_bytes", "resident set size, shared pages counted in full" },
		{ "uss_bytes", "unique set size: pages no other process maps" },
		{ "swap_bytes", "swapped out" },
		{ "processes", "processes in the group" },
	};
	const struct pd_pssgroup *t = pd_pscan_total(x->ps);
	struct pd_prom *p = pd_common_prom_new(&x->o->c);
	size_t n = pd_pscan_ngroups(x->ps), top, f, k, i;
	char vals[NKEYS_MAX][64];
	struct pd_prom_label l[NKEYS_MAX];
	size_t *idx;

	if (!p)
		return;
	top = x->o->c.print.limit ? x->o->c.print.limit : 20;
	if (top > n)
		top = n;
	idx = groups_by_pss(x);
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		uint64_t rest;

		pd_common_prom_family(&x->o->c, p, fam[f].what, PD_PROM_GAUGE,
				      fam[f].help);
		rest = f == 0 ? t->sm.pss : f == 1 ? t->sm.rss :
		       f == 2 ? pd_smaps_uss(&t->sm) : f == 3 ? t->sm.swap :
		       t->nprocs;
		for (k = 0; k < top; k++) {
			const struct pd_pssgroup *g = pd_pscan_group(x->ps, idx[k]);
			uint64_t v = f == 0 ? g->sm.pss : f == 1 ? g->sm.rss :
				     f == 2 ? pd_smaps_uss(&g->sm) :
				     f == 3 ? g->sm.swap : g->nprocs;

			for (i = 0; i < x->o->nkeys; i++) {
				l[i].name = keys[x->o->key[i]].name;
				l[i].value = key_value(g, keys[x->o->key[i]].key,
						       vals[i], sizeof(vals[i]));
			}
			pd_common_prom_u64(&x->o->c, p, l, x->o->nkeys, v);
			rest = rest > v ? rest - v : 0;
		}
		if (top < n) {
			for (i = 0; i < x->o->nkeys; i++)
				l[i].value = "(other processes)";
			pd_common_prom_u64(&x->o->c, p, l, x->o->nkeys, rest);
		}
	}
	pd_common_prom_family(&x->o->c, p, "unreadable_processes",
			      PD_PROM_GAUGE, "processes whose memory could not "
			      "be read: the figures are a lower bound when not 0");
	pd_common_prom_u64(&x->o->c, p, NULL, 0, pd_pscan_missing(x->ps));
	free(idx);
	pd_common_prom_write(&x->o->c, p);
}

/* What the selected columns (and the sort key) need read. */
static unsigned wanted(const struct ctx *x)
{
	static const struct {
		size_t col;
		unsigned want;
	} needs[] = {
		{ COL_USER, PD_PSCAN_UID }, { COL_UID, PD_PSCAN_UID },
		{ COL_CMDLINE, PD_PSCAN_CMDLINE }, { COL_CGROUP, PD_PSCAN_CGROUP },
		{ COL_UNIT, PD_PSCAN_CGROUP }, { COL_EXE, PD_PSCAN_EXE },
		{ COL_PAGETABLES, PD_PSCAN_STATUS_MEM },
		{ COL_HUGETLB, PD_PSCAN_STATUS_MEM },
	};
	const char *sort = x->o->c.sort ? x->o->c.sort : "";
	unsigned want = 0;
	size_t i;
	int sc;

	if (x->o->view == VIEW_MAPPING)
		return PD_PSCAN_MAPPINGS;
	if (x->o->view == VIEW_SUMMARY)
		return 0;
	sc = pd_report_column_index(x->rep, sort + (*sort == '+' || *sort == '-'));
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if ((pd_report_is_selected(x->rep, needs[i].col) ||
		     sc == (int)needs[i].col || (named(x->o) &&
		     key_col(x->o, needs[i].col))) &&
		    (needs[i].want == PD_PSCAN_STATUS_MEM ||
		     decided(x, needs[i].col)))
			want |= needs[i].want;
	return want;
}

static void warn_unread(const struct opts *o, const struct pd_pscan *ps)
{
	static const char *const why[PD_PSCAN_NCAUSES] = {
		[PD_PSCAN_DENIED] = "permission denied",
		[PD_PSCAN_ZOMBIE] = "zombie",
		[PD_PSCAN_NOMM] = "no memory map",
	};
	const struct pd_pscan_stats *st = pd_pscan_stats(ps);
	char size[32], unknown[64];
	size_t c;

	for (c = 0; c < PD_PSCAN_NCAUSES; c++) {
		const struct pd_pscan_unread *u = &st->unread[c];
		bool root = geteuid() == 0;

		/* Zombies hold no memory: a churning machine always has
		 * some, and a warning would only be noise. */
		if (!u->n || c == PD_PSCAN_ZOMBIE)
			continue;
		pd_size_to_human(u->rss, size, sizeof(size));
		unknown[0] = '\0';
		if (u->rss_unknown)
			snprintf(unknown, sizeof(unknown), ", unknown for %u",
				 u->rss_unknown);
		pd_warn(&o->c, "%u of %u processes could not be read (%s%s); "
			"they hold at most %s of RSS (VmRSS from status%s)%s",
			u->n, st->procs,
			c == PD_PSCAN_FAILED ? strerror(st->first_error) : why[c],
			c == PD_PSCAN_DENIED && root ? " even to root" : "",
			size, unknown, c == PD_PSCAN_DENIED && !root ?
			"; run as root for a complete view" : "");
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const struct pd_column *cols;
		size_t n;
		const char *env;
	} views[] = {
		[VIEW_GROUP] = { cols, NCOLS, "PSSUM_COLUMNS" },
		[VIEW_MAPPING] = { map_cols, sizeof(map_cols) / sizeof(map_cols[0]), "PSSUM_MAPPING_COLUMNS" },
		[VIEW_SUMMARY] = { sum_cols, sizeof(sum_cols) / sizeof(sum_cols[0]), "PSSUM_SUMMARY_COLUMNS" },
	};
	enum pd_pss_key pkeys[NKEYS_MAX];
	struct pd_pscan_opts popts = { 0 };
	struct pd_procfs *pfs = NULL;
	struct opts o = { .jobs = 1 };
	struct ctx x = { .o = &o };
	size_t i;
	int r, rc = PD_EXIT_OK;

	pd_common_init(&o.c, "pssum");
	pd_common_prescan(&o.c, argc, argv);
	pd_common_atexit(&o.c);
	parse_args(&o, argc, argv);

	pd_check_alloc(&o.c, pd_report_new("pssum", views[o.view].cols,
					   views[o.view].n, &x.rep));
	if (o.view == VIEW_GROUP)
		group_defaults(&o, x.rep);
	pd_common_columns(&o.c, x.rep, o.diff ? "PSSUM_DIFF_COLUMNS" :
			  views[o.view].env);
	if (o.c.help) {
		usage(&o, x.rep);
		goto out;
	}
	if (pd_common_info_done(&o.c, x.rep))
		goto out;

	pfs = pd_common_procfs(&o.c);
	x.by_pid = has_key(&o, PD_PSS_KEY_PID);
	for (i = 0; i < o.nkeys; i++)
		pkeys[i] = keys[o.key[i]].key;
	popts.keys = pkeys;
	popts.nkeys = o.nkeys;
	x.want = popts.want = wanted(&x);
	popts.jobs = o.jobs;
	popts.exclude_self = true;
	popts.filter = (struct pd_pscan_filter){
		.pids = o.pids, .npids = o.npids,
		.uids = o.uids, .nuids = o.nuids,
		.comms = (const char *const *)o.comms, .ncomms = o.ncomms,
		.full = o.has_full ? &o.full : NULL,
		.cgroup = o.cgroup,
	};
	if (o.diff)
		x.base = load_base(&x);
	pd_check_alloc(&o.c, pd_pscan_new(pfs, &popts, &x.ps));
	r = pd_pscan_run(x.ps);
	if (r < 0)
		pd_die(&o.c, "cannot scan %s: %s", pd_procfs_root(pfs),
		       strerror(-r));
	if (x.base)
		pd_pscan_diff(x.ps, x.base);

	if (o.view == VIEW_GROUP)
		health(&x);
	warn_unread(&o, x.ps);
	if (o.c.prom_file)
		prom(&x);
	if (o.c.check)
		pd_health_check_exit(&o.c, &x.health);
	if (pd_health_report_wanted(&o.c, &x.health)) {
		if (o.view == VIEW_GROUP)
			group_rows(&x);
		else if (o.view == VIEW_MAPPING)
			map_rows(&x);
		else
			summary_rows(&x, pfs);
		pd_common_print(&o.c, x.rep, o.view == VIEW_SUMMARY ? NULL :
				o.diff ? "-PSS_DIFF" : "-PSS");
	}
	rc = pd_health_exit_code(&o.c, &x.health);
	if (o.strict && pd_pscan_missing(x.ps))
		pd_die(&o.c, "%u of %u processes could not be read (--strict)",
		       pd_pscan_missing(x.ps), pd_pscan_stats(x.ps)->procs);

out:
	pd_pssbase_free(x.base);
	pd_pscan_free(x.ps);
	pd_procfs_free(pfs);
	pd_report_free(x.rep);
	if (o.has_full)
		regfree(&o.full);
	free(x.figs);
	free(o.pids);
	free(o.uids);
	free(o.comms);
	return rc;
}
