/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/slabinfo: SLAB (3.10) and SLUB (6.18) text, top N, root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slabinfo.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define PROC PD_FIXTURES_DIR "/memwhere/proc"

static const char head[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> "
	"<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
	"slabdata <active_slabs> <num_slabs> <sharedavail>\n";

static struct pd_slabinfo *parse(const char *text, uint64_t page_size)
{
	struct pd_slabinfo *si = NULL;

	assert_int_equal(pd_slabinfo_parse(text, strlen(text), page_size, &si),
			 0);
	return si;
}

static void test_slabinfo_read_slub_618_sample(void **state)
{
	const struct pd_slab *top[3], *s;
	struct pd_slabinfo *si;
	struct pd_procfs *pfs;

	(void)state;
	assert_int_equal(pd_procfs_new(SAMPLES, &pfs), 0);
	assert_int_equal(pd_slabinfo_read(pfs, &si), 0);
	/* awk 'NR>2' slabinfo | wc -l */
	assert_int_equal(pd_slabinfo_count(si), 236);
	assert_int_equal(pd_slabinfo_skipped(si), 0);
	s = pd_slabinfo_get(si, 0);
	assert_string_equal(s->name, "ext4_groupinfo_1k");
	assert_int_equal(s->active_objs, 25);
	assert_int_equal(s->objsize, 160);
	assert_int_equal(s->num_slabs, 1);
	assert_int_equal(s->bytes, 4096);
	assert_string_equal(pd_slabinfo_get(si, 235)->name, "kmem_cache");
	assert_null(pd_slabinfo_get(si, 236));
	/* awk 'NR>2 { s += $15 * $6 * 4096 }' */
	assert_int_equal(pd_slabinfo_bytes(si), 693477376);
	assert_int_equal(pd_slabinfo_top(si, 3, top), 3);
	/* 31568 slabs of 4 pages */
	assert_string_equal(top[0]->name, "ext4_inode_cache");
	assert_int_equal(top[0]->pagesperslab, 4);
	assert_int_equal(top[0]->objperslab, 14);
	assert_int_equal(top[0]->bytes, 517210112);
	assert_string_equal(top[1]->name, "dentry");
	assert_int_equal(top[1]->bytes, 101531648);
	assert_string_equal(top[2]->name, "radix_tree_node");
	assert_int_equal(top[2]->bytes, 17022976);
	pd_slabinfo_free(si);
	pd_procfs_free(pfs);
}

static void test_slabinfo_read_slab_310_fixture(void **state)
{
	const struct pd_slab *top[10];
	struct pd_slabinfo *si;
	struct pd_procfs *pfs;

	(void)state;
	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_slabinfo_read(pfs, &si), 0);
	assert_int_equal(pd_slabinfo_count(si), 6);
	/* 348 + 9009 + 12054 + 86 * 2 + 120 + 11 pages of 4 KiB */
	assert_int_equal(pd_slabinfo_bytes(si), 88940544);
	/* asking for more than there are gives them all */
	assert_int_equal(pd_slabinfo_top(si, 10, top), 6);
	assert_string_equal(top[0]->name, "ext4_inode_cache");
	assert_int_equal(top[0]->bytes, 49373184);
	assert_string_equal(top[2]->name, "nfs_inode_cache");
	/* two pages per slab: 86 * 2 * 4096 */
	assert_string_equal(top[3]->name, "kmalloc-8192");
	assert_int_equal(top[3]->bytes, 704512);
	/* SLAB: active_slabs below num_slabs; the bytes are num_slabs' */
	assert_string_equal(top[4]->name, "kmalloc-4096");
	assert_int_equal(top[4]->active_slabs, 117);
	assert_int_equal(top[4]->num_slabs, 120);
	assert_int_equal(top[4]->bytes, 491520);
	assert_string_equal(top[5]->name, "kmem_cache");
	pd_slabinfo_free(si);
	pd_procfs_free(pfs);
}

static void test_slabinfo_page_size_scales_bytes(void **state)
{
	char text[1024];
	struct pd_slabinfo *si;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head,
		 "dentry            520548 520548    192 341    1 : tunables    "
		 "0    0    0 : slabdata   1527   1527      0\n");
	/* arm64 with 64 KiB pages */
	si = parse(text, 65536);
	assert_int_equal(pd_slabinfo_get(si, 0)->bytes, 1527ull * 65536);
	pd_slabinfo_free(si);
}

static void test_slabinfo_name_with_blank_and_slab_stats_columns(void **state)
{
	char text[1024];
	struct pd_slabinfo *si;
	const struct pd_slab *s;

	(void)state;
	/* CONFIG_DEBUG_SLAB's " : globalstat ... : cpustat ..." after
	 * slabdata; a module may name a cache with a blank */
	snprintf(text, sizeof(text), "%s%s%s", head,
		 "my cache             10     16    256   16    1 : tunables  "
		 "120   60    8 : slabdata      1      1      0 : globalstat    "
		 " 16     16     1    0    0    0    0    0    0 : cpustat      "
		 "5      1      0      0\n",
		 "x 1 1 1 1 1 : tunables 0 0 0 : slabdata 3 3 0\n");
	si = parse(text, 4096);
	assert_int_equal(pd_slabinfo_count(si), 2);
	s = pd_slabinfo_get(si, 0);
	assert_string_equal(s->name, "my cache");
	assert_int_equal(s->num_objs, 16);
	assert_int_equal(s->bytes, 4096);
	s = pd_slabinfo_get(si, 1);
	assert_string_equal(s->name, "x");
	assert_int_equal(s->bytes, 3 * 4096);
	pd_slabinfo_free(si);
}

static void test_slabinfo_skips_and_counts_odd_cache_lines(void **state)
{
	char text[2048];
	struct pd_slabinfo *si;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head,
		 "ok 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		 "nonumbers : tunables 0 0 0 : slabdata 1 1 0\n"
		 "few 1 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		 "noslabdata 1 1 8 1 1 : tunables 0 0 0\n"
		 "short 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1\n"
		 "neg 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 -1 0\n"
		 "huge 1 1 8 1 4294967296 : tunables 0 0 0 : slabdata 1 "
		 "4294967296 0\n"
		 "\n"
		 "# a comment\n"
		 "ok2 1 1 8 1 1 : tunables 0 0 0 : slabdata 2 2 0");
	si = parse(text, 4096);
	assert_int_equal(pd_slabinfo_count(si), 2);
	assert_int_equal(pd_slabinfo_skipped(si), 6);
	assert_int_equal(pd_slabinfo_bytes(si), 3 * 4096);
	pd_slabinfo_free(si);
}

static void test_slabinfo_top_breaks_ties_by_name(void **state)
{
	char text[1024];
	const struct pd_slab *top[2];
	struct pd_slabinfo *si;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", head,
		 "zeta 1 1 8 1 1 : tunables 0 0 0 : slabdata 5 5 0\n"
		 "beta 1 1 8 1 1 : tunables 0 0 0 : slabdata 5 5 0\n"
		 "alpha 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n");
	si = parse(text, 4096);
	assert_int_equal(pd_slabinfo_top(si, 2, top), 2);
	assert_string_equal(top[0]->name, "beta");
	assert_string_equal(top[1]->name, "zeta");
	assert_int_equal(pd_slabinfo_top(si, 0, top), 0);
	pd_slabinfo_free(si);
}

static void test_slabinfo_refuses_other_versions(void **state)
{
	static const char v1[] = "slabinfo - version: 1.1\n"
				 "kmem_cache 1 1 8 1 1\n";
	static const char none[] = "dentry 1 1 8 1 1 : tunables 0 0 0 : "
				   "slabdata 1 1 0\n";
	struct pd_slabinfo *si = NULL;

	(void)state;
	assert_int_equal(pd_slabinfo_parse(v1, strlen(v1), 4096, &si), -EINVAL);
	assert_int_equal(pd_slabinfo_parse(none, strlen(none), 4096, &si),
			 -EINVAL);
	assert_int_equal(pd_slabinfo_parse("", 0, 4096, &si), -EINVAL);
	assert_int_equal(pd_slabinfo_parse(head, strlen(head), 3000, &si),
			 -EINVAL);
	assert_null(si);
	/* "(statistics)" after the version: CONFIG_DEBUG_SLAB */
	si = parse("slabinfo - version: 2.1 (statistics)\n", 4096);
	assert_int_equal(pd_slabinfo_count(si), 0);
	pd_slabinfo_free(si);
}

/* 0400 root: an unprivileged reader gets -EACCES, cleanly. */
static void test_slabinfo_read_without_root_is_eacces(void **state)
{
	struct pd_slabinfo *si = NULL;
	struct pd_procfs *pfs;
	pid_t pid;
	int status, r;

	(void)state;
	if (access("/proc/slabinfo", F_OK) < 0)
		skip();
	if (geteuid() != 0) {
		assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
		assert_int_equal(pd_slabinfo_read(pfs, &si), -EACCES);
		assert_null(si);
		pd_procfs_free(pfs);
		return;
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(100);
		if (pd_procfs_new(NULL, &pfs) < 0)
			_exit(101);
		r = pd_slabinfo_read(pfs, &si);
		_exit(r == -EACCES && !si ? 0 : 102);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A name with a NUL would be cut short: the line is skipped. */
static void test_slabinfo_name_with_a_nul_is_skipped(void **state)
{
	static const char text[] =
		"slabinfo - version: 2.1\n"
		"\0a 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"b\0c 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"ok 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n";
	struct pd_slabinfo *si;

	(void)state;
	assert_int_equal(pd_slabinfo_parse(text, sizeof(text) - 1, 4096, &si),
			 0);
	assert_int_equal(pd_slabinfo_count(si), 1);
	assert_int_equal(pd_slabinfo_skipped(si), 2);
	pd_slabinfo_free(si);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slabinfo_name_with_a_nul_is_skipped),
		cmocka_unit_test(test_slabinfo_read_slub_618_sample),
		cmocka_unit_test(test_slabinfo_read_slab_310_fixture),
		cmocka_unit_test(test_slabinfo_page_size_scales_bytes),
		cmocka_unit_test(test_slabinfo_name_with_blank_and_slab_stats_columns),
		cmocka_unit_test(test_slabinfo_skips_and_counts_odd_cache_lines),
		cmocka_unit_test(test_slabinfo_top_breaks_ties_by_name),
		cmocka_unit_test(test_slabinfo_refuses_other_versions),
		cmocka_unit_test(test_slabinfo_read_without_root_is_eacces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
