/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procdiag-report: where RAM and disk space went, on one page, from the
 * summaries of the six procdiag tools. */
#include <errno.h>
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
};

static const struct section sections[] = {
	/* the page's first question: where is the RAM? */
	{ T_MEMWHERE, "Where the RAM is: the parts of MemTotal",
	  { 0 }, false, false, false, true },
	{ T_DEADFILES, "Deleted files still pinning space, per file system",
	  { "--by", "mount" }, false, true, false, true },
	{ T_DFDU, "Why df and du disagree, per file system",
	  { 0 }, false, true, true, true },
	{ T_MEMFIND, "Shared memory: Shmem of /proc/meminfo explained",
	  { "-s" }, false, false, false, true },
	{ T_MEMFIND, "Biggest memory-backed files",
	  { "-x", "ALLOC", "-o", "KIND,ALLOC,RSS,HOLDERS,COMMANDS,FLAGS,PATH" },
	  false, true, false, false },
	{ T_PSSUM, "Top memory users, per command (PSS)",
	  { "-g", "command" }, true, false, false, true },
	{ T_MEMWHERE, "Memory per cgroup",
	  { "--cgroup", "-o", "CGROUP,NAME,CURRENT,MAX,USE_PCT,UNMAPPED,PSI_SOME,NOTE" },
	  false, true, false, false },
	{ T_OOMRANK, "Next OOM victims, whole machine",
	  { 0 }, true, false, false, true },
	{ T_OOMRANK, "Next OOM victims, per memory-limited cgroup",
	  { "--cgroup" }, true, false, false, false },
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
	      " -N, --top <n>           rows per section (default 5)\n"
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

/* "deadfiles=1G,dfdu=10%" into V[tool]; the tool checks the range. */
static void parse_thresholds(struct report_opts *o, const char *opt,
			     const char *arg, const char *v[T_COUNT])
{
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

/* Does the report run TOOL for more than one section? */
static bool runs_twice(enum tool tool)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		n += sections[i].tool == tool;
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

/* Run one section; returns the tool's exit code (2 when it could not run)
 * and prints what it said under the title. */
static int run_section(const struct report_opts *o, const struct section *s,
		       struct pd_section_seen *seen)
{
	const char *tool = tool_names[s->tool];
	char *argv[32], topbuf[24];	/* 23 at most: see the sections */
	struct pd_capture_result res;
	char *path, *text = NULL;
	size_t argc = 0, i, hidden = 0;
	int r, rc;

	/* A captured tree has no cgroup file system of its own. */
	if (s->tool == T_OOMRANK && s->args[0] && !strcmp(s->args[0], "--cgroup")
	    && o->c.proc_root && !o->cgroup_root) {
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
	argv[argc++] = (char *)tool;
	for (i = 0; i < sizeof(s->args) / sizeof(s->args[0]) && s->args[i];
	     i++)
		argv[argc++] = (char *)s->args[i];
	/* A dfdu threshold judges the unexplained gap: that needs the walk. */
	if (s->walk && !o->walk && !o->warn[s->tool] && !o->crit[s->tool])
		for (i = 0; i < sizeof(nowalk_args) / sizeof(*nowalk_args); i++)
			argv[argc++] = (char *)nowalk_args[i];
	if (s->top) {
		snprintf(topbuf, sizeof(topbuf), "%lu", o->top);
		argv[argc++] = "-N";
		argv[argc++] = topbuf;
	}
	if (o->c.print.bytes)
		argv[argc++] = "-b";
	if (o->c.quiet)
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
	if (o->warn[s->tool]) {
		argv[argc++] = "-w";
		argv[argc++] = (char *)o->warn[s->tool];
	}
	if (o->crit[s->tool]) {
		argv[argc++] = "-c";
		argv[argc++] = (char *)o->crit[s->tool];
	}
	argv[argc] = NULL;

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
	if (s->clip) {
		r = pd_section_clip(res.out, res.len, o->top, &text, &hidden);
		pd_check_alloc(&o->c, r);
	}
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
	else
		fputs(text ? text : res.out, stdout);
	if (hidden)
		printf("... %zu more; run '%s' for all\n", hidden, tool);
	putchar('\n');
out:
	free(text);
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
