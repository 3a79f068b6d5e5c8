/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procdiag-report: where RAM and disk space went, on one page, from the
 * summaries of the six procdiag tools. */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common.h"
#include "section.h"
#include "capture.h"
#include "meminfo.h"
#include "procfs.h"
#include "report.h"
#include "shquote.h"

#define REPORT_TOP_DEFAULT 5
#define REPORT_TOP_MAX 1000

enum tool {
	T_MEMWHERE,
	T_DEADFILES,
	T_DFDU,
	T_MEMFIND,
	T_PSSUM,
	T_OOMRANK,
	T_COUNT,
};

static const char *const tool_names[T_COUNT] = {
	[T_MEMWHERE] = "memwhere",
	[T_DEADFILES] = "deadfiles",
	[T_DFDU] = "dfdu",
	[T_MEMFIND] = "memfind",
	[T_PSSUM] = "pssum",
	[T_OOMRANK] = "oomrank",
};

/* A section is one run of one tool. TOP: pass "-N <n>" (the tool cuts
 * and keeps its total right); CLIP: cut the table here instead. */
struct section {
	enum tool tool;
	const char *title;
	const char *args[6];
	bool top, clip;
	bool walk;		/* dfdu: only the df side unless --walk */
	bool threshold;		/* takes -w/-c: the tool's headline figure */
	/* Over its threshold, the rows a person acts on come from a second
	 * run with these arguments, under ROWS_TITLE (none: the section's
	 * own rows are those); ROWS_JUDGED: that run takes -w/-c too. */
	const char *rows[4];
	const char *rows_title;
	bool rows_judged;
	/* The command for the whole list (FULL_OWN: these arguments, else
	 * ROWS' or the section's own), with the report's options. */
	bool full_own;
	const char *full[4];
};

static const struct section sections[] = {
	/* the page's first question: where is the RAM? */
	{ .tool = T_MEMWHERE, .title = "Where the RAM is: the parts of MemTotal",
	  .threshold = true, .full_own = true, .full = { "-v" } },
	{ .tool = T_DEADFILES,
	  .title = "Deleted files still pinning space, per file system",
	  .args = { "--by", "mount" }, .clip = true, .threshold = true,
	  .rows = { "-o", "PIDS,COMMANDS,ALLOC,SIZE,PATH" },
	  .rows_title = "the files and their holders, largest first:",
	  .rows_judged = true, .full_own = true },
	{ .tool = T_DFDU, .title = "Why df and du disagree, per file system",
	  .clip = true, .walk = true, .threshold = true },
	{ .tool = T_MEMFIND,
	  .title = "Shared memory: Shmem of /proc/meminfo explained",
	  .args = { "-s" }, .threshold = true,
	  .rows = { "-x", "ALLOC", "-o", "KIND,ALLOC,HOLDERS,PIDS,COMMANDS,PATH" },
	  .rows_title = "the objects and their holders, largest first:",
	  .full_own = true, .full = { "-x", "ALLOC" } },
	{ .tool = T_MEMFIND, .title = "Biggest memory-backed files",
	  .args = { "-x", "ALLOC", "-o",
		    "KIND,ALLOC,RSS,HOLDERS,COMMANDS,FLAGS,PATH" },
	  .clip = true },
	{ .tool = T_PSSUM, .title = "Top memory users, per command (PSS)",
	  .args = { "-g", "command" }, .top = true, .threshold = true },
	{ .tool = T_MEMWHERE, .title = "Memory per cgroup",
	  .args = { "--cgroup", "-o",
		    "CGROUP,NAME,CURRENT,MAX,USE_PCT,UNMAPPED,PSI_SOME,NOTE" },
	  .clip = true },
	{ .tool = T_OOMRANK, .title = "Next OOM victims, whole machine",
	  .top = true, .threshold = true },
	{ .tool = T_OOMRANK,
	  .title = "Next OOM victims, per memory-limited cgroup",
	  .args = { "--cgroup" }, .top = true, .threshold = true },
};

/* dfdu without its walk: only the columns that have values. */
static const char *const nowalk_args[] = {
	"--no-walk", "-o", "FSTYPE,SIZE,USED,AVAIL,RESERVED,DELETED,MOUNT",
	"-x", "USED",
};

struct report_opts {
	struct pd_common c;
	unsigned long top;
	bool walk;
	const char *cgroup_root;	/* oomrank's --cgroup-root */
	const char *sys_root;		/* memwhere's --sys-root */
	const char *warn[T_COUNT], *crit[T_COUNT];
	bool has_threshold;
	char bindir[PATH_MAX];
};

static void usage(void)
{
	fputs("Usage:\n"
	      " procdiag-report [options]\n"
	      "\n"
	      "Where did the RAM and the disk space go? One page from the\n"
	      "summaries of memwhere, deadfiles, dfdu, memfind, pssum and oomrank.\n"
	      "\n"
	      "Options:\n"
	      " -N, --top <n>           rows per section, and of what a section\n"
	      "                           over its threshold names (default 5)\n"
	      "     --walk              let dfdu walk every file system (the du\n"
	      "                           side); default: df side and deleted\n"
	      "                           files only, instant\n"
	      " -w, --warning <tool>=<range>[,...]\n"
	      "                         the tool's warning threshold; only the\n"
	      "                           sections over one are printed\n"
	      " -c, --critical <tool>=<range>[,...]\n"
	      "                         the same for critical thresholds\n"
	      " -b, --bytes             sizes in bytes\n"
	      " -q, --quiet             no warnings on stderr\n"
	      "     --proc-root <dir>   read <dir> instead of /proc\n"
	      "     --cgroup-root <dir> oomrank's cgroup file system (default\n"
	      "                           /sys/fs/cgroup)\n"
	      "     --sys-root <dir>    memwhere's sysfs (default /sys; with\n"
	      "                           --proc-root, none unless given)\n"
	      "\n"
	      " -h, --help              display this help\n"
	      " -V, --version           display version\n"
	      "\n"
	      "Tools for -w and -c: memwhere deadfiles dfdu memfind pssum oomrank\n"
	      "(a <range> is what the tool's own -w and -c take)\n"
	      "\n"
	      "For more details see procdiag-report(1).\n", stdout);
}

static int tool_index(const char *name, size_t len)
{
	int t;

	for (t = 0; t < T_COUNT; t++)
		if (strlen(tool_names[t]) == len &&
		    strncmp(tool_names[t], name, len) == 0)
			return t;
	return -ENOENT;
}

/* Does TOOL's threshold section judge a percentage? (memwhere: of
 * MemTotal; dfdu: of SIZE; memfind -s: of Shmem; oomrank: of the
 * ranking's memory) */
static bool tool_has_pct(enum tool t)
{
	return t == T_MEMWHERE || t == T_DFDU || t == T_MEMFIND ||
	       t == T_OOMRANK;
}

/*
 * "deadfiles=1G,dfdu=10%" into V[tool]. Each range is checked here, as
 * the tool would check it, so that a bad one fails before the first
 * section runs.
 */
static void parse_thresholds(struct report_opts *o, const char *opt,
			     const char *arg, const char *v[T_COUNT])
{
	struct pd_threshold range;
	char **items;
	size_t n, i;
	int r;

	r = pd_split_list(arg, &items, &n);
	if (r == -EINVAL)
		pd_usage_error(&o->c, "invalid %s list: '%s'", opt, arg);
	pd_check_alloc(&o->c, r);
	for (i = 0; i < n; i++) {
		const char *eq = strchr(items[i], '=');
		int t = eq ? tool_index(items[i], (size_t)(eq - items[i]))
			   : -EINVAL;

		if (t < 0 || !eq[1])
			pd_usage_error(&o->c, "invalid %s: '%s' (want "
				       "<tool>=<range>)", opt, items[i]);
		r = pd_threshold_parse(eq + 1, &range);
		if (r == -ERANGE)
			pd_usage_error(&o->c, "%s: %s: number out of range in "
				       "'%s'", opt, tool_names[t], eq + 1);
		if (r < 0)
			pd_usage_error(&o->c, "%s: %s: invalid range '%s' (10G, "
				       "10G:, ~:10G, 1G:2G, @1G:2G%s)", opt,
				       tool_names[t], eq + 1,
				       tool_has_pct(t) ? ", 50%" : "");
		if (range.unit == PD_THRESHOLD_PERCENT && !tool_has_pct(t))
			pd_usage_error(&o->c, "%s: %s: '%s': %s has no "
				       "percentage to compare; give a size",
				       opt, tool_names[t], eq + 1,
				       tool_names[t]);
		free((char *)v[t]);
		v[t] = strdup(eq + 1);
		if (!v[t])
			pd_check_alloc(&o->c, -ENOMEM);
		o->has_threshold = true;
	}
	free(items);
}

static void find_bindir(struct report_opts *o)
{
	ssize_t n = readlink("/proc/self/exe", o->bindir,
			     sizeof(o->bindir) - 1);
	char *slash;

	if (n <= 0) {
		o->bindir[0] = '\0';
		return;
	}
	o->bindir[n] = '\0';
	slash = strrchr(o->bindir, '/');
	if (slash)
		*slash = '\0';
}

/* The tool beside this binary (the build tree, a DESTDIR install), else
 * the first one on PATH. Returns a malloc'ed path or NULL. */
static char *tool_path(const struct report_opts *o, const char *tool)
{
	const char *path = getenv("PATH");
	char *p = NULL;

	if (o->bindir[0]) {
		if (asprintf(&p, "%s/%s", o->bindir, tool) < 0)
			return NULL;
		if (access(p, X_OK) == 0)
			return p;
		free(p);
		p = NULL;
	}
	while (path && *path) {
		size_t len = strcspn(path, ":");

		if (asprintf(&p, "%.*s/%s", (int)len, len ? path : ".",
			     tool) < 0)
			return NULL;
		if (access(p, X_OK) == 0)
			return p;
		free(p);
		p = NULL;
		path += len + (path[len] == ':');
	}
	return NULL;
}

/* Does the report run TOOL more than once (two sections, or a section
 * and the rows of one over its threshold)? */
static bool runs_twice(enum tool tool)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (sections[i].tool == tool)
			n += 1 + (sections[i].rows[0] != NULL);
	return n > 1;
}

/*
 * What a tool said on stderr: a tool run for two sections (memfind,
 * oomrank) scans twice and would say each of its warnings twice, with
 * figures a little apart; each cause is said once, as it first came.
 */
static void pass_stderr(const struct report_opts *o,
			struct pd_section_seen *seen,
			const struct pd_capture_result *res)
{
	char *text;

	if (!res->err)
		return;
	pd_check_alloc(&o->c, pd_section_seen_filter(seen, res->err,
						     res->errlen, &text));
	fputs(text, stderr);
	free(text);
}

/* What build_argv() adds to a tool's own arguments. */
enum {
	ARG_TOP = 1 << 0,	/* -N <n> */
	ARG_QUIET = 1 << 1,	/* -q, when the report has it */
	ARG_JUDGE = 1 << 2,	/* -w/-c, when the report has them */
};

#define ARGV_MAX 32	/* the most: 1 + 6 + 5 + 2 + 1 + 1 + 2 * 5 + 1 = 27 */

/*
 * ARGV for one run of S's tool: its name, ARGS (up to NARGS, NULL ends
 * them early), dfdu's --no-walk part when the section walks only on
 * demand, then the report's options as FLAGS say. TOPBUF holds -N's
 * number. Returns the count; ARGV ends with NULL.
 */
static size_t build_argv(const struct report_opts *o, const struct section *s,
			 const char *const *args, size_t nargs, unsigned flags,
			 char *argv[ARGV_MAX], char topbuf[24])
{
	bool judge = (flags & ARG_JUDGE) &&
		     (o->warn[s->tool] || o->crit[s->tool]);
	size_t argc = 0, i;

	argv[argc++] = (char *)tool_names[s->tool];
	for (i = 0; i < nargs && args[i]; i++)
		argv[argc++] = (char *)args[i];
	/* A dfdu threshold judges the unexplained gap: that needs the walk. */
	if (s->walk && !o->walk && !o->warn[s->tool] && !o->crit[s->tool])
		for (i = 0; i < sizeof(nowalk_args) / sizeof(*nowalk_args); i++)
			argv[argc++] = (char *)nowalk_args[i];
	if (flags & ARG_TOP) {
		snprintf(topbuf, 24, "%lu", o->top);
		argv[argc++] = "-N";
		argv[argc++] = topbuf;
	}
	if (o->c.print.bytes)
		argv[argc++] = "-b";
	if ((flags & ARG_QUIET) && o->c.quiet)
		argv[argc++] = "-q";
	if (o->c.proc_root) {
		argv[argc++] = "--proc-root";
		argv[argc++] = (char *)o->c.proc_root;
	}
	if (o->cgroup_root && s->tool == T_OOMRANK) {
		argv[argc++] = "--cgroup-root";
		argv[argc++] = (char *)o->cgroup_root;
	}
	if (o->sys_root && s->tool == T_MEMWHERE) {
		argv[argc++] = "--sys-root";
		argv[argc++] = (char *)o->sys_root;
	}
	if (judge && o->warn[s->tool]) {
		argv[argc++] = "-w";
		argv[argc++] = (char *)o->warn[s->tool];
	}
	if (judge && o->crit[s->tool]) {
		argv[argc++] = "-c";
		argv[argc++] = (char *)o->crit[s->tool];
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * The exact command that shows S's whole list (OVER: of the section over
 * its threshold, whose rows may come from another run), with the options
 * the report was given (not -q: a person reads its warnings), each word
 * quoted for the shell and no control byte raw. Malloc'ed; exits on
 * ENOMEM.
 */
static char *full_command(const struct report_opts *o, const struct section *s,
			  bool over)
{
	const char *const *args = s->args;
	size_t nargs = sizeof(s->args) / sizeof(s->args[0]), i, argc;
	char *argv[ARGV_MAX], topbuf[24], *cmd = NULL, *w;
	unsigned flags = ARG_JUDGE;
	size_t len = 0;

	if (over && s->full_own) {
		args = s->full;
		nargs = sizeof(s->full) / sizeof(s->full[0]);
	} else if (over && s->rows[0]) {
		args = s->rows;
		nargs = sizeof(s->rows) / sizeof(s->rows[0]);
	}
	if (over && s->rows[0] && !s->rows_judged)
		flags = 0;
	argc = build_argv(o, s, args, nargs, flags, argv, topbuf);
	for (i = 0; i < argc; i++) {
		w = pd_shquote(argv[i], strlen(argv[i]));
		if (!w)
			pd_check_alloc(&o->c, -ENOMEM);
		cmd = realloc(cmd, len + strlen(w) + 2);
		if (!cmd)
			pd_check_alloc(&o->c, -ENOMEM);
		len += (size_t)sprintf(cmd + len, "%s%s", i ? " " : "", w);
		free(w);
	}
	return cmd;
}

/* free(1)'s Mem: line of the report's proc root. 0 or -errno. */
static int read_free_line(const struct report_opts *o,
			  struct pd_meminfo_free_line *ret_line)
{
	struct pd_procfs *pfs;
	struct pd_meminfo *mi;
	int r;

	r = pd_procfs_new(o->c.proc_root, &pfs);
	if (r < 0)
		return r;
	r = pd_meminfo_read(pfs, &mi);
	if (r < 0)
		goto out_procfs;
	r = pd_meminfo_as_free(mi, ret_line);
	pd_meminfo_free(mi);
out_procfs:
	pd_procfs_free(pfs);
	return r;
}

/*
 * free(1)'s Mem: line in words, with this machine's figures: what people
 * read first and misread most (shared is inside buff/cache and is not
 * dropped with it). Returns PD_EXIT_OK, or PD_EXIT_TROUBLE when meminfo
 * cannot be read (said on the page).
 */
static int print_free_words(const struct report_opts *o)
{
	static const char *const name[6] = {
		"total", "used", "free", "shared", "buff/cache", "available",
	};
	static const char *const what[6] = {
		"MemTotal: the RAM the kernel manages",
		"MemTotal - MemAvailable: in use, and not to be had back "
		"without swapping or killing",
		"MemFree: in no use at all",
		"Shmem: tmpfs, memfd, SysV and shared anonymous memory; it "
		"sits inside buff/cache and cannot be dropped, only swapped out",
		"Buffers + Cached + SReclaimable: caches the kernel drops when "
		"RAM is wanted, all but the shared part",
		"MemAvailable: what new work can have without swapping, the "
		"kernel's estimate",
	};
	struct pd_meminfo_free_line l;
	uint64_t fig[6];
	char v[6][32];
	int i, r, width = 0;
	bool unknown;

	r = read_free_line(o, &l);
	if (r < 0) {
		printf("free(1)'s columns: cannot read meminfo: %s\n",
		       strerror(-r));
		return PD_EXIT_TROUBLE;
	}
	fig[0] = l.total;
	fig[1] = l.used;
	fig[2] = l.free;
	fig[3] = l.shared;
	fig[4] = l.buff_cache;
	fig[5] = l.available;
	for (i = 0; i < 6; i++) {
		unknown = !l.has_available && (i == 1 || i == 5);
		if (unknown)
			snprintf(v[i], sizeof(v[i]), "-");
		else if (o->c.print.bytes)
			snprintf(v[i], sizeof(v[i]), "%" PRIu64, fig[i]);
		else
			pd_size_to_human(fig[i], v[i], sizeof(v[i]));
		if ((int)strlen(v[i]) > width)
			width = (int)strlen(v[i]);
	}
	puts("free(1)'s columns, with this machine's figures (/proc/meminfo):");
	for (i = 0; i < 6; i++) {
		unknown = !l.has_available && (i == 1 || i == 5);
		printf("  %-10s %*s  %s\n", name[i], width, v[i],
		       unknown ? "unknown: no MemAvailable in this kernel "
				 "(before 3.14)" : what[i]);
	}
	return PD_EXIT_OK;
}

/* Print OUT (LEN bytes) cut to the first --top rows; returns how many
 * rows were left out. */
static size_t print_clipped(const struct report_opts *o, const char *out,
			    size_t len)
{
	size_t hidden = 0;
	char *text = NULL;

	pd_check_alloc(&o->c, pd_section_clip(out, len, o->top, &text,
					      &hidden));
	fputs(text, stdout);
	free(text);
	return hidden;
}

/*
 * Over its threshold: the rows a person acts on, from a second run of
 * the tool (S->rows), cut to --top. Returns that run's exit code for
 * trouble (2), else PD_EXIT_OK; sets *RET_HIDDEN to the rows left out.
 */
static int print_rows(const struct report_opts *o, const struct section *s,
		      struct pd_section_seen *seen, size_t *ret_hidden)
{
	char *argv[ARGV_MAX], topbuf[24], *path;
	struct pd_capture_result res;
	int r, rc = PD_EXIT_OK;

	*ret_hidden = 0;
	path = tool_path(o, tool_names[s->tool]);
	if (!path)
		return PD_EXIT_TROUBLE;	/* the section's run found it */
	build_argv(o, s, s->rows, sizeof(s->rows) / sizeof(s->rows[0]),
		   ARG_QUIET | (s->rows_judged ? ARG_JUDGE : 0), argv, topbuf);
	fflush(stdout);
	r = pd_capture_run(path, argv, NULL, PD_CAPTURE_STDERR, &res);
	free(path);
	if (r < 0) {
		printf("%s: %s\n", tool_names[s->tool], strerror(-r));
		return PD_EXIT_TROUBLE;
	}
	pass_stderr(o, seen, &res);
	puts(s->rows_title);
	if (res.status >= PD_EXIT_TROUBLE) {
		printf("%s failed (exit %d); its message is on standard "
		       "error\n", tool_names[s->tool], res.status);
		rc = PD_EXIT_TROUBLE;
	} else if (!res.len) {
		fputs("nothing found\n", stdout);
	} else {
		*ret_hidden = print_clipped(o, res.out, res.len);
	}
	free(res.out);
	free(res.err);
	return rc;
}

/* Run one section; returns the tool's exit code (2 when it could not run)
 * and prints what it said under the title. */
static int run_section(const struct report_opts *o, const struct section *s,
		       struct pd_section_seen *seen)
{
	const char *tool = tool_names[s->tool];
	char *argv[ARGV_MAX], topbuf[24];
	struct pd_capture_result res;
	char *path, *cmd;
	size_t hidden = 0;
	bool over;
	int r, rc;

	/* A captured tree has no cgroup file system of its own (said on the
	 * page, but not in a threshold run: silent unless over). */
	if (s->tool == T_OOMRANK && s->args[0] && !strcmp(s->args[0], "--cgroup")
	    && o->c.proc_root && !o->cgroup_root) {
		if (o->has_threshold)
			return PD_EXIT_OK;
		printf("== %s (%s)\nnot shown: --proc-root without "
		       "--cgroup-root\n\n", s->title, tool);
		return PD_EXIT_OK;
	}
	if (s->tool == T_MEMWHERE && s->args[0] && !strcmp(s->args[0], "--cgroup")
	    && o->c.proc_root && !o->sys_root) {
		printf("== %s (%s)\nnot shown: --proc-root without "
		       "--sys-root\n\n", s->title, tool);
		return PD_EXIT_OK;
	}
	path = tool_path(o, tool);
	if (!path) {
		/* On stdout, under its title: -q must not hide a missing part. */
		printf("== %s (%s)\n%s: not found beside procdiag-report nor "
		       "on PATH\n\n", s->title, tool, tool);
		return PD_EXIT_TROUBLE;
	}
	build_argv(o, s, s->args, sizeof(s->args) / sizeof(s->args[0]),
		   (s->top ? ARG_TOP : 0) | ARG_QUIET | ARG_JUDGE, argv,
		   topbuf);

	fflush(stdout);
	r = pd_capture_run(path, argv, NULL,
			   runs_twice(s->tool) ? PD_CAPTURE_STDERR : 0, &res);
	free(path);
	if (r < 0) {
		printf("== %s (%s)\n%s: %s\n\n", s->title, tool, tool,
		       strerror(-r));
		return PD_EXIT_TROUBLE;
	}
	pass_stderr(o, seen, &res);
	rc = res.status;
	if (o->has_threshold && rc == PD_EXIT_OK)
		goto out;	/* quiet when healthy */
	over = o->has_threshold && rc == PD_EXIT_THRESHOLD;
	printf("== %s (%s)\n", s->title, tool);
	if (rc == PD_EXIT_TROUBLE && (o->warn[s->tool] || o->crit[s->tool]))
		/* a tool that saw only part of the system cannot prove
		 * its threshold is not crossed: also exit 2 */
		printf("%s could not judge its threshold, or could not run "
		       "(exit %d); its message is on standard error\n", tool,
		       rc);
	else if (rc >= PD_EXIT_TROUBLE)
		printf("%s failed (exit %d); its message is on standard "
		       "error\n", tool, rc);
	else if (!res.len)
		fputs("nothing found\n", stdout);
	else if (s->clip)
		hidden = print_clipped(o, res.out, res.len);
	else
		fputs(res.out, stdout);
	if (rc < PD_EXIT_TROUBLE && s->tool == T_MEMWHERE && !s->args[0]) {
		r = print_free_words(o);
		if (r > rc)
			rc = r;
	}
	if (over && s->rows[0]) {
		r = print_rows(o, s, seen, &hidden);
		if (r > rc)
			rc = r;
	}
	if (over || hidden) {
		cmd = full_command(o, s, over);
		if (hidden)
			printf("... %zu more; full list: %s\n", hidden, cmd);
		else
			printf("full list: %s\n", cmd);
		free(cmd);
	}
	putchar('\n');
out:
	free(res.out);
	free(res.err);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_WALK = PD_OPT_TOOL, OPT_CGROUP_ROOT, OPT_SYS_ROOT };
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 'N' },
		{ "walk", no_argument, NULL, OPT_WALK },
		{ "warning", required_argument, NULL, 'w' },
		{ "critical", required_argument, NULL, 'c' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "proc-root", required_argument, NULL, PD_OPT_PROC_ROOT },
		{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT },
		{ "sys-root", required_argument, NULL, OPT_SYS_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct report_opts o = { .top = REPORT_TOP_DEFAULT };
	struct pd_section_seen *seen;
	struct pd_procfs *pfs;
	int opt, worst = PD_EXIT_OK;
	size_t i;

	pd_common_init(&o.c, "procdiag-report");
	pd_common_name_argv(&o.c, argv);
	pd_common_atexit(&o.c);
	while ((opt = getopt_long(argc, argv, "N:w:c:bqhV", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'N':
			if (pd_parse_uint(optarg, REPORT_TOP_MAX, &o.top) < 0 ||
			    o.top == 0)
				pd_usage_error(&o.c, "invalid --top: '%s'",
					       optarg);
			break;
		case OPT_WALK:
			o.walk = true;
			break;
		case OPT_CGROUP_ROOT:
			o.cgroup_root = optarg;
			break;
		case OPT_SYS_ROOT:
			o.sys_root = optarg;
			break;
		case 'w':
			parse_thresholds(&o, "--warning", optarg, o.warn);
			break;
		case 'c':
			parse_thresholds(&o, "--critical", optarg, o.crit);
			break;
		case 'b':
		case 'q':
		case PD_OPT_PROC_ROOT:
		case 'h':
		case 'V':
			pd_common_opt(&o.c, opt, optarg);
			break;
		default:
			fprintf(stderr, "Try '%s --help' for more "
				"information.\n", o.c.tool);
			return PD_EXIT_TROUBLE;
		}
	}
	if (o.c.help) {
		usage();
		return PD_EXIT_OK;
	}
	if (o.c.version) {
		pd_common_version(&o.c);
		return PD_EXIT_OK;
	}
	if (optind < argc)
		pd_usage_error(&o.c, "unexpected argument: '%s'", argv[optind]);
	/* A --proc-root without processes is said once, here, not by every
	 * section; one that cannot be read is left to the tools. */
	if (o.c.proc_root && pd_procfs_new(o.c.proc_root, &pfs) == 0) {
		pd_common_has_pids(&o.c, pfs);
		pd_procfs_free(pfs);
	}
	find_bindir(&o);
	pd_check_alloc(&o.c, pd_section_seen_new(&seen));

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const struct section *s = &sections[i];
		int rc;

		/* With thresholds, a section speaks only when over one. */
		if (o.has_threshold &&
		    (!s->threshold ||
		     (!o.warn[s->tool] && !o.crit[s->tool])))
			continue;
		rc = run_section(&o, s, seen);
		if (rc > worst)
			worst = rc > PD_EXIT_TROUBLE ? PD_EXIT_TROUBLE : rc;
	}
	for (i = 0; i < T_COUNT; i++) {
		free((char *)o.warn[i]);
		free((char *)o.crit[i]);
	}
	pd_section_seen_free(seen);
	return worst;
}
