/* SPDX-License-Identifier: GPL-2.0-or-later */
/* common: what every procdiag command shares: options, messages, output. */
#include "common.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "users.h"

/* The command's name for the atexit handler: cmd/ may keep this one. */
static const char *exit_tool = "procdiag";

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

static void __attribute__((format(printf, 3, 0)))
vmsg(const struct pd_common *c, const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", c->tool, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pd_usage_error(const struct pd_common *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", c->tool);
	exit(PD_EXIT_TROUBLE);
}

void pd_die(const struct pd_common *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(c, "", fmt, ap);
	va_end(ap);
	exit(PD_EXIT_TROUBLE);
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

void pd_warn_scanstats(const struct pd_common *c,
		       const struct pd_scanstats *st)
{
	if (st->denied && geteuid() != 0)
		pd_warn(c, "%u of %u processes could not be read (permission "
			"denied); run as root for a complete view",
			st->denied, st->procs);
	else if (st->denied)
		pd_warn(c, "%u of %u processes could not be read (permission "
			"denied even to root: a security module or another "
			"user namespace)", st->denied, st->procs);
	if (st->failed)
		pd_warn(c, "%u of %u processes could not be read (%s)",
			st->failed, st->procs, strerror(st->first_error));
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
}

/* A failed write, said once: _exit skips close_stdout's second try. */
static noreturn void die_write(const struct pd_common *c, int r)
{
	fprintf(stderr, "%s: write error: %s\n", c->tool, strerror(-r));
	_exit(PD_EXIT_TROUBLE);
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
		_exit(PD_EXIT_TROUBLE);
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

void *pd_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "%s: out of memory\n", exit_tool);
		exit(PD_EXIT_TROUBLE);
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
