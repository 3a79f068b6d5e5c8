/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common: what every procdiag command shares: options, messages, output. */
#include "common.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "users.h"

/* The command's name for the atexit handler, and the status of trouble
 * (2, or a plugin's UNKNOWN with --check): cmd/ may keep these. */
static const char *exit_tool = "procdiag";
static int exit_trouble = PD_EXIT_TROUBLE;

/* "deadfiles" as a plugin names itself: "DEADFILES". */
static void print_upper(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s, out);
}

static void set_check(struct pd_common *c)
{
	c->check = true;
	exit_trouble = PD_STATUS_UNKNOWN;
}

void pd_common_name_argv(const struct pd_common *c, char **argv)
{
	/* argc 0: argv[0] is the NULL that ends the list */
	if (argv[0])
		argv[0] = (char *)c->tool;
}

void pd_common_prescan(struct pd_common *c, int argc, char **argv)
{
	int i;

	pd_common_name_argv(c, argv);
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--check"))
			set_check(c);
}

static void parse_threshold(struct pd_common *c, int opt, const char *arg)
{
	const char *name = opt == 'w' ? "--warning" : "--critical";
	struct pd_threshold *t = opt == 'w' ? &c->warn : &c->crit;
	int r;

	r = pd_threshold_parse(arg, t);
	if (r == -ERANGE)
		pd_usage_error(c, "%s: number out of range in '%s'", name, arg);
	if (r < 0)
		pd_usage_error(c, "%s: invalid range '%s' (10G, 10G:, ~:10G, 1G:2G, @1G:2G%s)",
			       name, arg, c->pct_ok ? ", 50%" : "");
	if (t->unit == PD_THRESHOLD_PERCENT && !c->pct_ok)
		pd_usage_error(c, "%s: '%s': %s has no percentage to compare; give a size",
			       name, arg, c->tool);
	if (opt == 'w')
		c->has_warn = true;
	else
		c->has_crit = true;
}

void pd_common_init(struct pd_common *c, const char *tool)
{
	/* The table measures UTF-8 names by the locale's rules; TSV and JSON
	 * escaping never depend on it. */
	setlocale(LC_CTYPE, "");
	memset(c, 0, sizeof(*c));
	c->tool = tool;
	c->print.format = PD_FMT_TABLE;
}

bool pd_common_opt(struct pd_common *c, int opt, const char *arg)
{
	switch (opt) {
	case 'o':
		c->output = arg;
		return true;
	case PD_OPT_OUTPUT_ALL:
		c->output_all = true;
		return true;
	case 'H':
		c->list_columns = true;
		return true;
	case 'r':
	case PD_OPT_TSV:
		c->print.format = PD_FMT_TSV;
		return true;
	case 'J':
		c->print.format = PD_FMT_JSON;
		return true;
	case 'n':
		c->print.noheadings = true;
		return true;
	case 'b':
		c->print.bytes = true;
		return true;
	case 'x':
		c->sort = arg;
		return true;
	case 'q':
		c->quiet = true;
		return true;
	case PD_OPT_PROC_ROOT:
		c->proc_root = arg;
		return true;
	case PD_OPT_STATE_ROOT:
		if (!*arg)
			pd_usage_error(c, "--state-root: empty directory name");
		c->state_root = arg;
		return true;
	case 'w':
	case 'c':
		parse_threshold(c, opt, arg);
		return true;
	case PD_OPT_CHECK:
		set_check(c);
		return true;
	case PD_OPT_PROM_FILE:
		if (!*arg)
			pd_usage_error(c, "--prom-file: empty file name");
		c->prom_file = arg;
		return true;
	case 'h':
		c->help = true;
		return true;
	case 'V':
		c->version = true;
		return true;
	}
	return false;
}

void pd_common_usage(FILE *out)
{
	fputs("\nOutput:\n"
	      " -o, --output <list>     columns to print; +<list> adds to the defaults\n"
	      "     --output-all        print every column\n"
	      " -H, --list-columns      list the columns and exit\n"
	      " -r, --raw, --tsv        tab-separated values, sizes in bytes\n"
	      " -J, --json              JSON, sizes in bytes\n"
	      " -n, --noheadings        do not print a header line\n"
	      " -b, --bytes             sizes in bytes in the table too\n"
	      " -x, --sort [+|-]<col>   sort by <col> (+ ascending, - descending)\n"
	      " -q, --quiet             no warnings on stderr\n"
	      "     --proc-root <dir>   read <dir> instead of /proc\n"
	      "\n"
	      "Thresholds and monitoring:\n"
	      " -w, --warning <range>   exit 1 and print only when over <range>\n"
	      " -c, --critical <range>  the same, reported as critical by --check\n"
	      "                           (10G, 10G:, ~:10G, 1G:2G, @1G:2G)\n"
	      "     --check             one monitoring-plugin status line, exit 0-3\n"
	      "     --prom-file <file>  write Prometheus metrics to <file> (atomic)\n"
	      "\n"
	      " -h, --help              display this help\n"
	      " -V, --version           display version\n", out);
}

void pd_common_usage_tail(FILE *out, const struct pd_common *c,
			  const struct pd_report *rep)
{
	struct pd_print_opts po = { .format = PD_FMT_TABLE, .noheadings = true };

	fputs("\nAvailable output columns:\n", out);
	fflush(out);
	pd_report_print_columns(rep, out, &po);
	fprintf(out, "\nFor more details see %s(1).\n", c->tool);
}

void pd_common_version(const struct pd_common *c)
{
	printf("%s from procdiag %s\n", c->tool, PD_VERSION);
}

/*
 * Write TEXT to OUT as a terminal may see it: every string from the
 * system in it (a path, a mount point, a comm, an option argument echoed
 * back) is escaped as the table escapes a cell, so a name cannot set the
 * title, clear the screen or forge a line. '|' too, in a --check line,
 * where it would start the performance data. FLAGS: enum pd_escape_flag.
 */
static void put_escaped(FILE *out, const char *text, unsigned flags,
			bool check_line)
{
	char *esc = pd_escape_text(text, strlen(text), flags);
	const char *p;

	if (!esc) {
		fputs("(out of memory)", out);
		return;
	}
	for (p = esc; *p; p++)
		if (check_line && *p == '|')
			fputs("\\x7c", out);
		else
			fputc(*p, out);
	free(esc);
}

/*
 * The message of FMT and AP, escaped whole: our own format strings hold
 * no control characters, so escaping the formatted text escapes exactly
 * the arguments, and no call site can forget it.
 */
static void __attribute__((format(printf, 3, 0)))
put_message(FILE *out, bool check_line, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0) {
		fputs("(out of memory)", out);
		return;
	}
	put_escaped(out, text, 0, check_line);
	free(text);
}

static void __attribute__((format(printf, 3, 0)))
vmsg(const struct pd_common *c, const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", c->tool, prefix);
	put_message(stderr, false, fmt, ap);
	fputc('\n', stderr);
}

/* --check: the trouble as the plugin's one line, "TOOL UNKNOWN - why". */
static void __attribute__((format(printf, 2, 0)))
check_unknown(const struct pd_common *c, const char *fmt, va_list ap)
{
	print_upper(stdout, c->tool);
	fputs(" UNKNOWN - ", stdout);
	put_message(stdout, true, fmt, ap);
	fputc('\n', stdout);
}

void pd_usage_error(const struct pd_common *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (c->check)
		check_unknown(c, fmt, ap);
	else
		vmsg(c, "", fmt, ap);
	va_end(ap);
	if (!c->check)
		fprintf(stderr, "Try '%s --help' for more information.\n",
			c->tool);
	exit(exit_trouble);
}

void pd_common_bad_option(const struct pd_common *c)
{
	if (c->check) {
		print_upper(stdout, c->tool);
		printf(" UNKNOWN - invalid command line (see '%s --help')\n",
		       c->tool);
	} else {
		fprintf(stderr, "Try '%s --help' for more information.\n",
			c->tool);
	}
	exit(exit_trouble);
}

void pd_die(const struct pd_common *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (c->check)
		check_unknown(c, fmt, ap);
	else
		vmsg(c, "", fmt, ap);
	va_end(ap);
	exit(exit_trouble);
}

void pd_warn(const struct pd_common *c, const char *fmt, ...)
{
	va_list ap;

	if (c->quiet)
		return;
	va_start(ap, fmt);
	vmsg(c, "warning: ", fmt, ap);
	va_end(ap);
}

void pd_common_fatal(const struct pd_common *c, const struct pd_procfs *pfs,
		     int r)
{
	struct rlimit rl;

	if (pfs && pd_procfs_error(pfs) < 0)
		r = pd_procfs_error(pfs);
	switch (r) {
	case -EMFILE:
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY)
			pd_die(c, "out of file descriptors (ulimit -n %llu)",
			       (unsigned long long)rl.rlim_cur);
		pd_die(c, "out of file descriptors");
	case -ENFILE:
		pd_die(c, "out of file descriptors: the system's table is "
		       "full (fs.file-max)");
	case -ENOMEM:
		pd_die(c, "out of memory");
	case -PD_ENOTREG:
		if (pfs && pd_procfs_bad_file(pfs))
			pd_die(c, "%s: not a regular file",
			       pd_procfs_bad_file(pfs));
		pd_die(c, "%s: a file is not a regular file",
		       pfs ? pd_procfs_root(pfs) : PD_PROC_ROOT);
	}
}

const char *pd_esc(struct pd_escs *e, const char *s)
{
	char **v, *esc;

	if (!s)
		return "-";
	esc = pd_escape_text(s, strlen(s), 0);
	v = esc ? realloc(e->v, (e->n + 1) * sizeof(*v)) : NULL;
	if (!v) {
		fprintf(stderr, "%s: out of memory\n", exit_tool);
		exit(exit_trouble);
	}
	e->v = v;
	e->v[e->n++] = esc;
	return esc;
}

void pd_escs_release(struct pd_escs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

/* "ROOT is mounted with hidepid=invisible: other users' processes are
 * not visible" and the like, for the cause P->hidepid; ROOT raw (the
 * message sinks escape it). */
static int hidepid_words(const struct pd_partial *p, char *buf, size_t n)
{
	const char *name = pd_coverage_hidepid_name(p->hidepid);
	const char *root = p->root;
	int len;

	if (p->hidepid == PD_HIDEPID_NOACCESS)
		len = snprintf(buf, n, "%s is mounted with hidepid=%s: %u of "
			       "%u processes could not be read", root, name,
			       p->denied, p->procs);
	else
		len = snprintf(buf, n, "%s is mounted with hidepid=%s: %s are "
			       "not visible", root, name,
			       p->hidepid == PD_HIDEPID_PTRACEABLE ?
			       "processes we may not ptrace" :
			       "other users' processes");
	return len;
}

/* "pid 1 (process_api) could not be read even by root (it holds
 * privileges this tool lacks)", or "3 processes (the first: pid 1 ...)". */
static void beyond_words(const struct pd_partial *p, char *buf, size_t n)
{
	char first[96];

	if (p->beyond_comm[0])
		snprintf(first, sizeof(first), "pid %d (%s)", (int)p->beyond_pid,
			 p->beyond_comm);
	else
		snprintf(first, sizeof(first), "pid %d", (int)p->beyond_pid);
	if (p->beyond_root == 1)
		snprintf(buf, n, "%s could not be read even by root (it holds "
			 "privileges this tool lacks)", first);
	else
		snprintf(buf, n, "%u processes could not be read even by root "
			 "(they hold privileges this tool lacks; the first: %s)",
			 p->beyond_root, first);
}

void pd_warn_partial(const struct pd_common *c, const struct pd_partial *p)
{
	char words[512];

	if (p->hidepid != PD_HIDEPID_OFF) {
		hidepid_words(p, words, sizeof(words));
		pd_warn(c, "%s%s", words, p->root_user ? "" :
			"; run as root for a complete view");
	}
	/* hidepid=noaccess is why they were denied: said above */
	if (p->denied && p->hidepid != PD_HIDEPID_NOACCESS && !p->root_user)
		pd_warn(c, "%u of %u processes could not be read (permission "
			"denied); run as root for a complete view",
			p->denied, p->procs);
	else if (p->denied && p->hidepid != PD_HIDEPID_NOACCESS)
		pd_warn(c, "%u of %u processes could not be read (permission "
			"denied even to root: a security module or another "
			"user namespace)", p->denied, p->procs);
	if (p->beyond_root) {
		char who[128];

		beyond_words(p, who, sizeof(who));
		pd_warn(c, "%s: the figures leave %s out", who,
			p->beyond_root == 1 ? "it" : "them");
	}
	if (p->failed)
		pd_warn(c, "%u of %u processes could not be read (%s)",
			p->failed, p->procs, strerror(p->first_error));
}

/* The partial view P in words for the --check line: its causes joined
 * by "; ". */
static void partial_words(const struct pd_partial *p, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	if (p->hidepid != PD_HIDEPID_OFF)
		len += (size_t)hidepid_words(p, buf, n);
	if (p->denied && p->hidepid != PD_HIDEPID_NOACCESS && len < n)
		len += (size_t)snprintf(buf + len, n - len, "%s%u of %u "
					"processes could not be read "
					"(permission denied)", len ? "; " : "",
					p->denied, p->procs);
	if (p->failed && len < n)
		snprintf(buf + len, n - len, "%s%u of %u processes could not "
			 "be read (%s)", len ? "; " : "", p->failed, p->procs,
			 strerror(p->first_error));
}

void pd_die_scan(const struct pd_common *c, const struct pd_partial *p,
		 int err)
{
	if (err == -ENOENT && p->subset_pid)
		pd_die(c, "cannot scan %s: %s (it is mounted with subset=pid: "
		       "only the process directories are there)", p->root,
		       strerror(-err));
	pd_die(c, "cannot scan %s: %s", p->root, strerror(-err));
}

/* -x names a column of REP, or a usage error says it does not. */
static void check_sort(const struct pd_common *c, const struct pd_report *rep)
{
	const char *col = c->sort;

	if (!col)
		return;
	if (*col == '+' || *col == '-')
		col++;
	if (pd_report_column_index(rep, col) >= 0)
		return;
	if (c->sort_hint)
		pd_usage_error(c, "unknown sort column: '%s' (%s)", c->sort,
			       c->sort_hint);
	pd_usage_error(c, "unknown sort column: '%s'", c->sort);
}

void pd_common_columns(const struct pd_common *c, struct pd_report *rep,
		       const char *envvar)
{
	const char *env = envvar ? getenv(envvar) : NULL;
	char *bad = NULL;
	int r;

	if (env && *env) {
		r = pd_report_set_defaults(rep, env, &bad);
		if (r == -EINVAL)
			pd_usage_error(c, "unknown column in %s: '%s'", envvar,
				       bad ? bad : env);
		pd_check_alloc(c, r);
	}
	if (c->output_all)
		pd_report_select_all(rep);
	if (c->output) {
		r = pd_report_select(rep, c->output, &bad);
		if (r == -EINVAL)
			pd_usage_error(c, "unknown column: '%s'", bad ? bad : "");
		pd_check_alloc(c, r);
	}
	check_sort(c, rep);
}

/* A failed write, said once: _exit skips close_stdout's second try. */
static noreturn void die_write(const struct pd_common *c, int r)
{
	fprintf(stderr, "%s: write error: %s\n", c->tool, strerror(-r));
	_exit(exit_trouble);
}

void pd_common_print(const struct pd_common *c, struct pd_report *rep,
		     const char *default_sort)
{
	const char *sort = c->sort ? c->sort : default_sort;
	int r;

	if (sort) {
		r = pd_report_sort(rep, sort);
		if (r == -EINVAL)
			pd_usage_error(c, "unknown sort column: '%s'", sort);
		pd_check_alloc(c, r);
	}
	r = pd_report_print(rep, stdout, &c->print);
	if (r == -EPIPE)
		exit(PD_EXIT_OK);
	if (r < 0)
		die_write(c, r);
}

void pd_common_print_columns(const struct pd_common *c,
			     const struct pd_report *rep)
{
	int r = pd_report_print_columns(rep, stdout, &c->print);

	if (r == -EPIPE)
		exit(PD_EXIT_OK);
	if (r < 0)
		die_write(c, r);
}

static void close_stdout(void)
{
	int err = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		err = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !err)
		err = errno;
	if (err && err != EPIPE) {
		fprintf(stderr, "%s: write error: %s\n", exit_tool,
			strerror(err));
		_exit(exit_trouble);
	}
}

void pd_common_atexit(const struct pd_common *c)
{
	exit_tool = c->tool;
	/* EPIPE as an error return, not a signal: "| head" stays quiet and
	 * the exit status stays ours. */
	signal(SIGPIPE, SIG_IGN);
	atexit(close_stdout);
}

/* The items of a -p/-u list, or a usage error naming the list. */
static char **split_or_die(const struct pd_common *c, const char *what,
			   const char *arg, size_t *ret_n)
{
	char **items;
	int r;

	r = pd_split_list(arg, &items, ret_n);
	if (r == -EINVAL)
		pd_usage_error(c, "invalid %s list: '%s'", what, arg);
	pd_check_alloc(c, r);
	return items;
}

void pd_common_add_pids(const struct pd_common *c, const char *arg,
			pid_t **v, size_t *n)
{
	char **items;
	size_t k, i;

	items = split_or_die(c, "pid", arg, &k);
	*v = realloc(*v, (*n + k) * sizeof(**v));
	if (!*v)
		pd_check_alloc(c, -ENOMEM);
	for (i = 0; i < k; i++) {
		unsigned long pid;

		if (pd_parse_uint(items[i], INT32_MAX, &pid) < 0 || pid == 0)
			pd_usage_error(c, "invalid pid: '%s'", items[i]);
		(*v)[(*n)++] = (pid_t)pid;
	}
	free(items);
}

void pd_common_add_users(const struct pd_common *c, const char *arg,
			 uid_t **v, size_t *n)
{
	char **items;
	size_t k, i;

	items = split_or_die(c, "user", arg, &k);
	*v = realloc(*v, (*n + k) * sizeof(**v));
	if (!*v)
		pd_check_alloc(c, -ENOMEM);
	for (i = 0; i < k; i++) {
		if (pd_users_parse(items[i], &(*v)[*n]) < 0)
			pd_usage_error(c, "unknown user: '%s'", items[i]);
		(*n)++;
	}
	free(items);
}

/* ---- what -p, -u and --command name --------------------------------- */

/* "no such process 123", "no such processes 12, 34": the missing items
 * of one list into SB, after "; " when it holds words already. */
static void missing_words(struct pd_strbuf *sb, const char *one,
			  const char *many, const bool *missing, size_t n,
			  const char *(*item)(size_t i, char *buf, size_t bufsz,
					      const void *arg),
			  const void *arg)
{
	size_t i, k = 0, count = 0;
	char buf[64];

	for (i = 0; i < n; i++)
		count += missing[i];
	if (!count)
		return;
	if (sb->len)
		pd_strbuf_add(sb, "", "; ");
	pd_strbuf_add(sb, "", count == 1 ? one : many);
	for (i = 0; i < n; i++)
		if (missing[i])
			pd_strbuf_add(sb, k++ ? ", " : " ",
				      item(i, buf, sizeof(buf), arg));
}

static const char *pid_item(size_t i, char *buf, size_t bufsz,
			    const void *arg)
{
	snprintf(buf, bufsz, "%d", (int)((const pid_t *)arg)[i]);
	return buf;
}

/* A user as given: its name when it has one, else the uid. */
static const char *uid_item(size_t i, char *buf, size_t bufsz,
			    const void *arg)
{
	const struct pd_procfilter *flt = arg;
	struct pd_users *users = NULL;
	const char *name = NULL;

	if (pd_users_new(&users) == 0)
		name = pd_users_name(users, flt->uids[i]);
	if (name)
		snprintf(buf, bufsz, "%s", name);
	else
		snprintf(buf, bufsz, "%u", (unsigned)flt->uids[i]);
	pd_users_free(users);
	return buf;
}

static const char *comm_item(size_t i, char *buf, size_t bufsz,
			     const void *arg)
{
	(void)buf;
	(void)bufsz;
	return ((const char *const *)arg)[i];
}

void pd_common_census(const struct pd_common *c, struct pd_procfs *pfs,
		      const struct pd_procfilter *flt)
{
	struct pd_strbuf sb = { 0 };
	struct pd_coverage *cov;
	struct pd_census cs;
	int r;

	if (pd_procfilter_is_empty(flt))
		return;
	pd_check_alloc(c, pd_coverage_new(pfs, &cov));
	r = pd_coverage_census(cov, pfs, flt, &cs);
	pd_coverage_free(cov);
	if (r < 0) {
		/* out of descriptors or memory, a broken tree: said so */
		if (pd_err_is_fatal(r))
			pd_common_fatal(c, pfs, r);
		pd_die(c, "cannot list %s: %s", pd_procfs_root(pfs),
		       strerror(-r));
	}
	missing_words(&sb, "no such process", "no such processes",
		      cs.pid_missing, flt->npids, pid_item, flt->pids);
	missing_words(&sb, "no process of user", "no process of users",
		      cs.uid_missing, flt->nuids, uid_item, flt);
	missing_words(&sb, "no process named", "no process named",
		      cs.comm_missing, flt->ncomms, comm_item, flt->comms);
	if (!cs.matched && !cs.unsure) {
		/* the question names nothing alive: no answer is right */
		if (!sb.len)
			pd_strbuf_add(&sb, "", "no process matches -p, -u "
				      "and --command together");
		pd_die(c, "%s", sb.s);
	}
	if (sb.len)
		pd_warn(c, "%s", sb.s);
	free(sb.s);
	pd_census_release(&cs);
}

/* ---- health: thresholds, --check, --prom-file ---------------------- */

bool pd_common_has_threshold(const struct pd_common *c)
{
	return c->has_warn || c->has_crit;
}

/* The thresholds of -w/-c in UNIT, or NULL. */
static const struct pd_threshold *thr(bool has, const struct pd_threshold *t,
				      enum pd_threshold_unit unit)
{
	return has && t->unit == unit ? t : NULL;
}

/* CRITICAL > WARNING > UNKNOWN > OK, as the plugins' max_state(). */
static int severity(enum pd_status s)
{
	static const int sev[] = {
		[PD_STATUS_OK] = 0, [PD_STATUS_UNKNOWN] = 1,
		[PD_STATUS_WARNING] = 2, [PD_STATUS_CRITICAL] = 3,
	};

	return sev[s];
}

/* Do every value from LO to HI get the state OK from -w/-c in bytes? */
static bool bytes_ok(const struct pd_common *c, uint64_t lo, uint64_t hi)
{
	int64_t a = lo > INT64_MAX ? INT64_MAX : (int64_t)lo;
	int64_t b = hi > INT64_MAX ? INT64_MAX : (int64_t)hi;

	return pd_threshold_status_span(thr(c->has_warn, &c->warn,
					    PD_THRESHOLD_BYTES),
					thr(c->has_crit, &c->crit,
					    PD_THRESHOLD_BYTES),
					a, b) == PD_STATUS_OK;
}

/* With what H's partial view missed added (at most partial_bound bytes to
 * a figure, or a figure of its own), is every figure still OK? */
static bool bound_keeps_ok(const struct pd_common *c,
			   const struct pd_health *h)
{
	uint64_t b = h->partial_bound;
	size_t i;

	if (!h->has_partial_bound ||
	    (c->has_warn && c->warn.unit != PD_THRESHOLD_BYTES) ||
	    (c->has_crit && c->crit.unit != PD_THRESHOLD_BYTES))
		return false;
	for (i = 0; i < h->nfigs; i++) {
		const struct pd_figure *f = &h->figs[i];

		if (f->unknown || f->has_pct ||
		    !bytes_ok(c, f->bytes, f->bytes > UINT64_MAX - b ?
			      UINT64_MAX : f->bytes + b))
			return false;
	}
	/* a group made only of what was missed */
	return !h->groups || bytes_ok(c, 0, b);
}

enum pd_status pd_health_eval(const struct pd_common *c, struct pd_health *h)
{
	const enum pd_threshold_unit B = PD_THRESHOLD_BYTES;
	const enum pd_threshold_unit P = PD_THRESHOLD_PERCENT;
	size_t i;

	h->status = h->unknown ? PD_STATUS_UNKNOWN : PD_STATUS_OK;
	h->nwarn = h->ncrit = 0;
	for (i = 0; i < h->nfigs; i++) {
		struct pd_figure *f = &h->figs[i];
		int64_t b = f->bytes > INT64_MAX ? INT64_MAX : (int64_t)f->bytes;
		enum pd_status s, sp = PD_STATUS_OK;

		s = pd_threshold_status(thr(c->has_warn, &c->warn, B),
					thr(c->has_crit, &c->crit, B), b);
		if (f->has_pct)
			sp = pd_threshold_status(thr(c->has_warn, &c->warn, P),
						 thr(c->has_crit, &c->crit, P),
						 f->pct);
		if (severity(sp) > severity(s))
			s = sp;
		/* a lower bound under the threshold proves nothing, unless
		 * what it lacks is bounded and could not cross either */
		if (f->partial && s == PD_STATUS_OK &&
		    pd_common_has_threshold(c) &&
		    !(f->has_bound && !f->has_pct &&
		      bytes_ok(c, f->bytes, f->bytes > UINT64_MAX - f->bound ?
			       UINT64_MAX : f->bytes + f->bound)))
			s = PD_STATUS_UNKNOWN;
		/* nothing known: no threshold can be judged */
		if (f->unknown && pd_common_has_threshold(c))
			s = PD_STATUS_UNKNOWN;
		f->status = s;
		h->nwarn += s == PD_STATUS_WARNING;
		h->ncrit += s == PD_STATUS_CRITICAL;
		if (severity(s) > severity(h->status))
			h->status = s;
	}
	/* a partial view proves an alert, never the absence of one, unless
	 * what it missed is bounded and could not cross either */
	if (pd_coverage_is_partial(&h->partial) &&
	    h->status == PD_STATUS_OK &&
	    (!pd_common_has_threshold(c) ||
	     (!h->partial_lowers && !bound_keeps_ok(c, h))))
		h->status = PD_STATUS_UNKNOWN;
	return h->status;
}

/* H's --check words: its text, and why the view is partial. */
static void health_text(const struct pd_health *h, char *buf, size_t n)
{
	char why[512];

	size_t len;

	if (!pd_coverage_is_partial(&h->partial)) {
		len = (size_t)snprintf(buf, n, "%s", h->text);
	} else {
		partial_words(&h->partial, why, sizeof(why));
		len = (size_t)snprintf(buf, n, "%s; partial view: %s", h->text,
				       why);
	}
	if (h->partial.beyond_root && len < n) {
		beyond_words(&h->partial, why, sizeof(why));
		snprintf(buf + len, n - len, "; left out: %s", why);
	}
}

void pd_health_size(uint64_t bytes, char *buf, size_t n)
{
	size_t len;

	pd_size_to_human(bytes, buf, n);
	len = strlen(buf);
	/* "2.1G" -> "2.1GiB"; "512B" stays */
	if (len && buf[len - 1] != 'B' && len + 3 <= n)
		strcpy(buf + len, "iB");
}

/* ";WARN;CRIT" of the perfdata for figures in UNIT. */
static void perf_thresholds(const struct pd_common *c,
			    enum pd_threshold_unit unit)
{
	const struct pd_threshold *w = thr(c->has_warn, &c->warn, unit);
	const struct pd_threshold *k = thr(c->has_crit, &c->crit, unit);
	char buf[80];

	buf[0] = '\0';
	if (w)
		pd_threshold_format(w, buf, sizeof(buf));
	printf(";%s", buf);
	buf[0] = '\0';
	if (k)
		pd_threshold_format(k, buf, sizeof(buf));
	printf(";%s", buf);
}

/* The perfdata of the figures of H labelled PERF (NULL: the ones with no
 * label of their own, under H's labels): the largest known value. */
static void perf_label(const struct pd_common *c, const struct pd_health *h,
		       const char *perf)
{
	const char *label = perf ? perf : h->perf, *label_pct = h->perf_pct;
	uint64_t bytes = 0;
	int64_t pct = INT64_MIN;
	bool has_pct = false, known = false, count = false, any = false;
	char num[32];
	size_t i;

	for (i = 0; i < h->nfigs; i++) {
		const struct pd_figure *f = &h->figs[i];

		if (perf ? !f->perf || strcmp(f->perf, perf) : f->perf != NULL)
			continue;
		any = true;
		count = f->count;
		if (perf)
			label_pct = f->perf_pct;
		if (f->unknown)
			continue;
		known = true;
		if (f->bytes > bytes)
			bytes = f->bytes;
		if (f->has_pct && f->pct > pct)
			pct = f->pct;
		has_pct |= f->has_pct;
	}
	/* one figure always; groups: the largest, 0 when there are none;
	 * U (the plugins' "cannot be determined") when none is known */
	if (any && !known) {
		printf(" '%s'=U", label);
		perf_thresholds(c, PD_THRESHOLD_BYTES);
		printf(";0;");
	} else if (any || (!perf && h->groups)) {
		printf(" '%s'=%" PRIu64 "%s", label, bytes,
		       count ? "" : h->perf_unit ? h->perf_unit : "B");
		perf_thresholds(c, PD_THRESHOLD_BYTES);
		printf(";0;");
	}
	if (label_pct && has_pct) {
		pd_threshold_format_pct(pct, num, sizeof(num));
		printf(" '%s'=%s%%", label_pct, num);
		perf_thresholds(c, PD_THRESHOLD_PERCENT);
		printf(";;");
	}
}

void pd_health_check_exit(const struct pd_common *c, const struct pd_health *h)
{
	char text[1024];
	size_t i, j;
	bool labelled = false;

	health_text(h, text, sizeof(text));
	print_upper(stdout, c->tool);
	printf(" %s - ", pd_status_name(h->status));
	/* The names in it are TSV-escaped already; escape what a future
	 * text might still hold raw. '|' starts the performance data: a name
	 * holding one (a comm, a cgroup) is written with the TSV escape. */
	put_escaped(stdout, text, PD_ESCAPE_KEEP_BACKSLASH, true);
	fputs(" |", stdout);
	/* each label of its own once, in the order of the figures */
	for (i = 0; i < h->nfigs; i++) {
		if (!h->figs[i].perf)
			continue;
		labelled = true;
		for (j = 0; j < i; j++)
			if (h->figs[j].perf &&
			    !strcmp(h->figs[j].perf, h->figs[i].perf))
				break;
		if (j == i)
			perf_label(c, h, h->figs[i].perf);
	}
	if (!labelled || h->nfigs == 0)
		perf_label(c, h, NULL);
	if (h->groups)
		printf(" 'groups'=%zu;;;0; 'groups_warning'=%u;;;0; "
		       "'groups_critical'=%u;;;0;",
		       h->ngroups ? h->ngroups : h->nfigs, h->nwarn, h->ncrit);
	if (h->perf_more)
		printf(" %s", h->perf_more);
	putchar('\n');
	exit(h->status);
}

bool pd_health_report_wanted(const struct pd_common *c,
			     const struct pd_health *h)
{
	if (c->check)
		return false;
	if (pd_common_has_threshold(c))
		return h->status != PD_STATUS_OK;
	return !c->prom_file;
}

int pd_health_exit_code(const struct pd_common *c, const struct pd_health *h)
{
	if (!pd_common_has_threshold(c))
		return PD_EXIT_OK;
	if (h->status == PD_STATUS_UNKNOWN) {
		char text[1024];

		/* not pd_warn: -q must not hide why the status is 2 */
		health_text(h, text, sizeof(text));
		fprintf(stderr, "%s: the threshold cannot be judged: ",
			c->tool);
		put_escaped(stderr, text, PD_ESCAPE_KEEP_BACKSLASH, false);
		fputc('\n', stderr);
		return PD_EXIT_TROUBLE;
	}
	return h->status == PD_STATUS_OK ? PD_EXIT_OK : PD_EXIT_THRESHOLD;
}

struct pd_prom *pd_common_prom_new(const struct pd_common *c)
{
	struct pd_prom *p;

	if (!c->prom_file)
		return NULL;
	pd_check_alloc(c, pd_prom_new(&p));
	return p;
}

void pd_common_prom_family(const struct pd_common *c, struct pd_prom *p,
			   const char *what, enum pd_prom_type type,
			   const char *help)
{
	char name[128];
	int r;

	snprintf(name, sizeof(name), "%s_%s", c->tool, what);
	r = pd_prom_family(p, name, type, help);
	if (r < 0 && r != -ENOMEM)
		pd_die(c, "bug: metric family %s: %s", name, strerror(-r));
	pd_check_alloc(c, r);
}

void pd_common_prom_u64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			uint64_t v)
{
	int r = pd_prom_sample_u64(p, labels, n, v);

	if (r < 0 && r != -ENOMEM)
		pd_die(c, "bug: metric sample: %s", strerror(-r));
	pd_check_alloc(c, r);
}

void pd_common_prom_s64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			int64_t v)
{
	int r = pd_prom_sample_s64(p, labels, n, v);

	if (r < 0 && r != -ENOMEM)
		pd_die(c, "bug: metric sample: %s", strerror(-r));
	pd_check_alloc(c, r);
}

void pd_common_prom_f64(const struct pd_common *c, struct pd_prom *p,
			const struct pd_prom_label *labels, size_t n,
			double v)
{
	int r = pd_prom_sample_f64(p, labels, n, v);

	if (r < 0 && r != -ENOMEM)
		pd_die(c, "bug: metric sample: %s", strerror(-r));
	pd_check_alloc(c, r);
}

/* "a character device": what PATH is, for the refusal to replace it. */
static const char *node_kind(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return "no longer there";
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFLNK: return "a symbolic link";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	}
	return "a regular file now";
}

void pd_common_prom_write(const struct pd_common *c, struct pd_prom *p)
{
	const char *text;
	size_t len;
	int r;

	pd_common_prom_family(c, p, "last_success_timestamp_seconds",
			      PD_PROM_GAUGE, "when this file was last written "
			      "by a complete run, in Unix seconds");
	pd_common_prom_u64(c, p, NULL, 0, (uint64_t)time(NULL));
	text = pd_prom_text(p, &len);
	r = pd_prom_write_file(c->prom_file, text, len);
	pd_prom_free(p);
	if (r == -EEXIST || r == -EISDIR)
		pd_die(c, "cannot write %s: it is %s, not a regular file: "
		       "refusing to replace it", c->prom_file,
		       node_kind(c->prom_file));
	if (r < 0)
		pd_die(c, "cannot write %s: %s", c->prom_file, strerror(-r));
}

struct pd_promfs *pd_common_promfs_new(const struct pd_common *c,
				       struct pd_prom *p,
				       struct pd_procfs *pfs)
{
	static const char *const names[] = { "device", "mountpoint", "fstype" };
	struct pd_promfs *pf;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		pd_check_alloc(c, pd_prom_label_verbatim(p, names[i]));
	pd_check_alloc(c, pd_promfs_new(pfs, &pf));
	return pf;
}

void pd_common_prom_fs(const struct pd_common *c, struct pd_promfs *pf,
		       dev_t dev, const char *target, const char *source,
		       const char *fstype, struct pd_prom_label l[3])
{
	pd_promfs_labels_release(l);
	pd_check_alloc(c, pd_promfs_labels(pf, dev, target, source, fstype,
					   l));
}

bool pd_common_info_done(const struct pd_common *c,
			 const struct pd_report *rep)
{
	if (c->version) {
		pd_common_version(c);
		return true;
	}
	if (c->list_columns) {
		pd_common_print_columns(c, rep);
		return true;
	}
	return false;
}

struct pd_procfs *pd_common_procfs_open(const struct pd_common *c)
{
	struct pd_procfs *pfs;
	int r = pd_procfs_new(c->proc_root, &pfs);

	if (r < 0)
		pd_die(c, "cannot open %s: %s",
		       c->proc_root ? c->proc_root : PD_PROC_ROOT, strerror(-r));
	return pfs;
}

struct pd_procfs *pd_common_procfs(const struct pd_common *c)
{
	struct pd_procfs *pfs = pd_common_procfs_open(c);

	pd_common_has_pids(c, pfs);
	return pfs;
}

void pd_common_has_pids(const struct pd_common *c, struct pd_procfs *pfs)
{
	int r = pd_procfs_has_pids(pfs);

	if (r < 0) {
		pd_common_fatal(c, pfs, r);
		pd_die(c, "cannot read %s: %s", pd_procfs_root(pfs),
		       strerror(-r));
	}
	/* An empty directory, "/", /sys, the directory above a tree: a
	 * scan of it would find nothing, and say nothing. */
	if (r == 0)
		pd_die(c, "%s holds no processes: not a proc root",
		       pd_procfs_root(pfs));
}

void pd_common_set_comms(const struct pd_common *c, const char *arg,
			 char ***v, size_t *n)
{
	int r;

	free(*v);
	*v = NULL;
	*n = 0;
	r = pd_split_list(arg, v, n);
	if (r == -EINVAL)
		pd_usage_error(c, "invalid command list: '%s'", arg);
	pd_check_alloc(c, r);
}

void pd_strbuf_add(struct pd_strbuf *sb, const char *sep, const char *s)
{
	size_t sl = sb->len ? strlen(sep) : 0, n = strlen(s);

	if (sb->len + sl + n + 1 > sb->cap) {
		char *ns;

		sb->cap = (sb->len + sl + n + 1) * 2;
		ns = realloc(sb->s, sb->cap);
		if (!ns) {
			fprintf(stderr, "%s: out of memory\n", exit_tool);
			exit(PD_EXIT_TROUBLE);
		}
		sb->s = ns;
	}
	memcpy(sb->s + sb->len, sep, sl);
	memcpy(sb->s + sb->len + sl, s, n + 1);
	sb->len += sl + n;
}

void pd_row_set_dev(struct pd_row *row, size_t col, dev_t dev)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u:%u", major(dev), minor(dev));
	pd_row_set_str(row, col, buf);
}

void *pd_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "%s: out of memory\n", exit_tool);
		exit(exit_trouble);
	}
	return p;
}

void pd_check_alloc(const struct pd_common *c, int r)
{
	if (r == -ENOMEM)
		pd_die(c, "out of memory");
	if (r < 0)
		pd_die(c, "%s", strerror(-r));
}
