/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/prom: the text format and the atomic file write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "prom.h"

static void assert_escape(const char *in, size_t len, const char *want)
{
	char *got = pd_prom_escape_label(in, len);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/*
 * A label value is the name's TSV spelling (as -r prints it), escaped
 * per the text format: Prometheus stores the TSV field, which is
 * printable, and printf '%b' decodes it back to the bytes.
 */
static void test_prom_escape_backslash_quote_newline(void **state)
{
	assert_escape("a\\b", 3, "a\\\\\\\\b");
	assert_escape("say \"hi\"", 8, "say \\\"hi\\\"");
	assert_escape("two\nlines", 9, "two\\\\nlines");
	assert_escape("a b", 3, "a b");
	assert_escape("", 0, "");
}

/* ESC, TAB, CR, DEL, C1 CSI and a bidi override: never raw in the file. */
static void test_prom_escape_writes_controls_as_tsv_hex(void **state)
{
	assert_escape("a\tb\rc", 5, "a\\\\tb\\\\rc");
	assert_escape("\x1b]0;t\x07", 6, "\\\\x1b]0;t\\\\x07");
	assert_escape("x\x7fy", 3, "x\\\\x7fy");
	assert_escape("\xc2\x9b" "31m", 5, "\\\\xc2\\\\x9b31m");
	assert_escape("a\xe2\x80\xae" "b", 5, "a\\\\xe2\\\\x80\\\\xaeb");
}

static void test_prom_escape_keeps_utf8_spells_invalid_bytes(void **state)
{
	assert_escape("caf\xc3\xa9", 5, "caf\xc3\xa9");
	assert_escape("\xf0\x9f\x90\xa7", 4, "\xf0\x9f\x90\xa7");
	/* a lone continuation byte, a truncated sequence, an overlong '/',
	 * a surrogate: each bad byte as the TSV's \xHH */
	assert_escape("a\x80z", 3, "a\\\\x80z");
	assert_escape("\xc3", 1, "\\\\xc3");
	assert_escape("\xc0\xaf", 2, "\\\\xc0\\\\xaf");
	assert_escape("\xed\xa0\x80", 3, "\\\\xed\\\\xa0\\\\x80");
}

/* Our own HELP text keeps the format's escapes; a control never leaks. */
static void test_prom_help_escapes_controls(void **state)
{
	struct pd_prom *p;
	size_t len;

	assert_int_equal(pd_prom_new(&p), 0);
	assert_int_equal(pd_prom_family(p, "m", PD_PROM_GAUGE,
					"a\\b\nc\x1b\td\xc2\x9b"), 0);
	assert_string_equal(pd_prom_text(p, &len),
		"# HELP m a\\\\b\\nc\\\\x1b\\\\td\\\\xc2\\\\x9b\n"
		"# TYPE m gauge\n");
	pd_prom_free(p);
}

static void test_prom_metric_and_label_names(void **state)
{
	assert_true(pd_prom_is_metric_name("deadfiles_deleted_bytes"));
	assert_true(pd_prom_is_metric_name("a:b_c9"));
	assert_true(pd_prom_is_metric_name("_x"));
	assert_false(pd_prom_is_metric_name(""));
	assert_false(pd_prom_is_metric_name("9a"));
	assert_false(pd_prom_is_metric_name("a-b"));
	assert_false(pd_prom_is_metric_name("a b"));
	assert_false(pd_prom_is_metric_name("caf\xc3\xa9"));
	assert_true(pd_prom_is_label_name("mountpoint"));
	assert_false(pd_prom_is_label_name("a:b"));
	assert_false(pd_prom_is_label_name("__name__"));
	assert_false(pd_prom_is_label_name("1a"));
}

static void test_prom_families_and_samples_exact_text(void **state)
{
	struct pd_prom_label l[] = {
		{ "mountpoint", "/mnt/a \"b\"\n" },
		{ "fstype", "ext4" },
	};
	struct pd_prom *p;
	size_t len;

	assert_int_equal(pd_prom_new(&p), 0);
	assert_int_equal(pd_prom_family(p, "t_deleted_bytes", PD_PROM_GAUGE,
					"bytes \"pinned\"\\held\nnow"), 0);
	assert_int_equal(pd_prom_sample_u64(p, l, 2, 18446744073709551615ull), 0);
	assert_int_equal(pd_prom_sample_u64(p, NULL, 0, 0), 0);
	assert_int_equal(pd_prom_sample_s64(p, NULL, 0, -52428800), 0);
	assert_int_equal(pd_prom_sample_s64(p, NULL, 0, INT64_MIN), 0);
	assert_int_equal(pd_prom_family(p, "t_runs_total", PD_PROM_COUNTER,
					"runs"), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, 0.52086791992187500), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, 0.1), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, NAN), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, INFINITY), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, -INFINITY), 0);
	assert_int_equal(pd_prom_sample_f64(p, NULL, 0, 1e21), 0);
	assert_string_equal(pd_prom_text(p, &len),
		"# HELP t_deleted_bytes bytes \"pinned\"\\\\held\\nnow\n"
		"# TYPE t_deleted_bytes gauge\n"
		"t_deleted_bytes{mountpoint=\"/mnt/a \\\"b\\\"\\\\n\",fstype=\"ext4\"} 18446744073709551615\n"
		"t_deleted_bytes 0\n"
		"t_deleted_bytes -52428800\n"
		"t_deleted_bytes -9223372036854775808\n"
		"# HELP t_runs_total runs\n"
		"# TYPE t_runs_total counter\n"
		"t_runs_total 0.520867919921875\n"
		"t_runs_total 0.1\n"
		"t_runs_total NaN\n"
		"t_runs_total +Inf\n"
		"t_runs_total -Inf\n"
		"t_runs_total 1e+21\n");
	assert_int_equal(len, strlen(pd_prom_text(p, &len)));
	pd_prom_free(p);
}

static void test_prom_rejects_bad_names_repeats_and_orphans(void **state)
{
	struct pd_prom_label dup[] = { { "a", "1" }, { "a", "2" } };
	struct pd_prom_label bad[] = { { "__x", "1" } };
	struct pd_prom_label many[PD_PROM_LABELS_MAX + 1];
	struct pd_prom *p;
	size_t i, len;

	assert_int_equal(pd_prom_new(&p), 0);
	/* a sample before any family has no name */
	assert_int_equal(pd_prom_sample_u64(p, NULL, 0, 1), -EINVAL);
	assert_int_equal(pd_prom_family(p, "bad-name", PD_PROM_GAUGE, "x"), -EINVAL);
	assert_int_equal(pd_prom_family(p, "ok", PD_PROM_GAUGE, "x"), 0);
	assert_int_equal(pd_prom_family(p, "ok", PD_PROM_GAUGE, "x"), -EEXIST);
	assert_int_equal(pd_prom_sample_u64(p, dup, 2, 1), -EINVAL);
	assert_int_equal(pd_prom_sample_u64(p, bad, 1, 1), -EINVAL);
	for (i = 0; i < PD_PROM_LABELS_MAX + 1; i++) {
		many[i].name = (const char *[]){ "a", "b", "c", "d", "e", "f",
						 "g", "h", "i" }[i];
		many[i].value = "v";
	}
	assert_int_equal(pd_prom_sample_u64(p, many, PD_PROM_LABELS_MAX + 1, 1), -EINVAL);
	assert_int_equal(pd_prom_sample_u64(p, many, PD_PROM_LABELS_MAX, 1), 0);
	/* the refused ones wrote nothing */
	assert_string_equal(pd_prom_text(p, &len),
		"# HELP ok x\n# TYPE ok gauge\n"
		"ok{a=\"v\",b=\"v\",c=\"v\",d=\"v\",e=\"v\",f=\"v\",g=\"v\",h=\"v\"} 1\n");
	pd_prom_free(p);
	pd_prom_free(NULL);
}

/* The entries of DIR other than . and .. */
static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_prom_write_file_replaces_atomically_0644(void **state)
{
	char dir[] = "/tmp/pd-prom-test.XXXXXX", path[64], buf[64];
	struct stat st;
	mode_t old;
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.prom", dir);
	old = umask(077);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), 0);
	assert_int_equal(pd_prom_write_file(path, "b 2\n", 4), 0);
	umask(old);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, 4);
	assert_memory_equal(buf, "b 2\n", 4);
	/* no temporary file is left behind */
	assert_int_equal(count_entries(dir), 1);
	unlink(path);
	rmdir(dir);
}

static void test_prom_write_file_failure_leaves_nothing(void **state)
{
	char dir[] = "/tmp/pd-prom-test.XXXXXX", path[64];

	assert_non_null(mkdtemp(dir));
	/* the target is a directory: the rename fails, the temp goes */
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EISDIR);
	assert_int_equal(count_entries(dir), 1);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/no/such.prom", dir);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -ENOENT);
	assert_int_equal(pd_prom_write_file("/tmp/", "", 0), -EISDIR);
	assert_int_equal(count_entries(dir), 0);
	rmdir(dir);
}

/* Is what DIR/NAME is still what ST said (same node, same kind)? */
static void assert_untouched(const char *path, const struct stat *before)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_ino, before->st_ino);
	assert_int_equal(st.st_mode, before->st_mode);
	assert_int_equal(st.st_rdev, before->st_rdev);
}

/*
 * rename() over PATH would replace a device node, a symlink or a FIFO (as
 * root, --prom-file /dev/null made /dev/null a regular file): an
 * existing target that is not a regular file is refused and left as it
 * is, and no temporary file stays behind.
 */
static void test_prom_write_file_refuses_what_is_not_a_regular_file(
	void **state)
{
	char dir[] = "/tmp/pd-prom-test.XXXXXX", path[96], buf[16];
	struct stat before;
	bool root = geteuid() == 0;
	size_t n;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/target", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("keep\n", f);
	fclose(f);
	/* a symlink to a regular file: the link would be replaced */
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("target", path), 0);
	assert_int_equal(lstat(path, &before), 0);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EEXIST);
	assert_untouched(path, &before);
	snprintf(path, sizeof(path), "%s/dangling", dir);
	assert_int_equal(symlink("nowhere", path), 0);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EEXIST);
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(lstat(path, &before), 0);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EEXIST);
	assert_untouched(path, &before);
	snprintf(path, sizeof(path), "%s/dir", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(lstat(path, &before), 0);
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EISDIR);
	assert_untouched(path, &before);
	assert_int_equal(rmdir(path), 0);
	/* a copy of /dev/null: only root can make one */
	snprintf(path, sizeof(path), "%s/null", dir);
	if (root) {
		assert_int_equal(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0);
		assert_int_equal(lstat(path, &before), 0);
		assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), -EEXIST);
		assert_untouched(path, &before);
		assert_int_equal(unlink(path), 0);
	}
	/* the symlink's target is as it was; nothing else was left */
	snprintf(path, sizeof(path), "%s/target", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "keep\n", 5);
	assert_int_equal(count_entries(dir), 4);
	/* a regular file is still replaced */
	assert_int_equal(pd_prom_write_file(path, "a 1\n", 4), 0);
	assert_int_equal(count_entries(dir), 4);
	for (n = 0; n < 4; n++) {
		static const char *const names[] = { "target", "link",
						     "dangling", "fifo" };

		snprintf(path, sizeof(path), "%s/%s", dir, names[n]);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
	if (!root)
		skip();	/* the device node part needs root */
}

static void assert_verbatim(const char *in, size_t len, const char *want)
{
	char *got = pd_prom_escape_label_verbatim(in, len);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Verbatim values are the bytes themselves (a TAB, a backslash), as
 * node_exporter writes them; only what no label should hold is still
 * spelled as TSV text. */
static void test_prom_escape_verbatim_keeps_tab_and_backslash(void **state)
{
	(void)state;
	assert_verbatim("/a b\\134c\td", 11, "/a b\\\\134c\td");
	assert_verbatim("q\"", 2, "q\\\"");
	assert_verbatim("caf\xc3\xa9", 5, "caf\xc3\xa9");
	/* LF, ESC, C1 CSI, invalid UTF-8: their TSV text */
	assert_verbatim("\n\x1b\xc2\x9b\xff", 5,
			"\\\\n\\\\x1b\\\\xc2\\\\x9b\\\\xff");
	assert_verbatim("", 0, "");
}

static void test_prom_verbatim_label_names_in_samples(void **state)
{
	struct pd_prom *p;
	const char *text;
	size_t len;
	struct pd_prom_label l[] = {
		{ "mountpoint", "/a\tb\\134" }, { "path", "/a\tb" },
	};

	(void)state;
	assert_int_equal(pd_prom_new(&p), 0);
	assert_int_equal(pd_prom_label_verbatim(p, "mountpoint"), 0);
	assert_int_equal(pd_prom_label_verbatim(p, "bad-name"), -EINVAL);
	assert_int_equal(pd_prom_family(p, "x_bytes", PD_PROM_GAUGE, "h"), 0);
	assert_int_equal(pd_prom_sample_u64(p, l, 2, 1), 0);
	text = pd_prom_text(p, &len);
	assert_string_equal(text, "# HELP x_bytes h\n# TYPE x_bytes gauge\n"
			    "x_bytes{mountpoint=\"/a\tb\\\\134\","
			    "path=\"/a\\\\tb\"} 1\n");
	pd_prom_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prom_escape_backslash_quote_newline),
		cmocka_unit_test(test_prom_escape_writes_controls_as_tsv_hex),
		cmocka_unit_test(test_prom_escape_keeps_utf8_spells_invalid_bytes),
		cmocka_unit_test(test_prom_help_escapes_controls),
		cmocka_unit_test(test_prom_metric_and_label_names),
		cmocka_unit_test(test_prom_families_and_samples_exact_text),
		cmocka_unit_test(test_prom_rejects_bad_names_repeats_and_orphans),
		cmocka_unit_test(test_prom_write_file_replaces_atomically_0644),
		cmocka_unit_test(test_prom_write_file_failure_leaves_nothing),
		cmocka_unit_test(test_prom_escape_verbatim_keeps_tab_and_backslash),
		cmocka_unit_test(test_prom_verbatim_label_names_in_samples),
		cmocka_unit_test(
			test_prom_write_file_refuses_what_is_not_a_regular_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
