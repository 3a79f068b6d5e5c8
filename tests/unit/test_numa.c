/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/numa: node lists, node meminfo, numastat, 1/2/4 nodes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "numa.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define SYS PD_FIXTURES_DIR "/memwhere/sys"
#define SYS4 PD_FIXTURES_DIR "/memwhere/numa4/sys"
#define KB(n) ((uint64_t)(n) * 1024)

static int opendir_fd(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static uint64_t get(const struct pd_meminfo *mi, const char *key)
{
	uint64_t v = 0;

	if (pd_meminfo_get(mi, key, &v) < 0)
		fail_msg("no %s", key);
	return v;
}

static void test_numa_nodelist_parse_ranges(void **state)
{
	static const char list[] = "0-3,8,10-11\n";
	unsigned *nodes = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(pd_numa_nodelist_parse(list, strlen(list), &nodes, &n),
			 0);
	assert_int_equal(n, 7);
	assert_int_equal(nodes[0], 0);
	assert_int_equal(nodes[3], 3);
	assert_int_equal(nodes[4], 8);
	assert_int_equal(nodes[5], 10);
	assert_int_equal(nodes[6], 11);
	free(nodes);
	/* overlapping and unordered parts: ascending, once each */
	assert_int_equal(pd_numa_nodelist_parse("5,1-2,2-3", 9, &nodes, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(nodes[0], 1);
	assert_int_equal(nodes[3], 5);
	free(nodes);
	/* no node (has_cpu on a memory-only box...): "\n" */
	nodes = (unsigned *)&n;
	assert_int_equal(pd_numa_nodelist_parse("\n", 1, &nodes, &n), 0);
	assert_int_equal(n, 0);
	assert_null(nodes);
	assert_int_equal(pd_numa_nodelist_parse("0-4095\n", 7, &nodes, &n), 0);
	assert_int_equal(n, 4096);
	assert_int_equal(nodes[4095], 4095);
	free(nodes);
}

static void test_numa_nodelist_parse_refuses_bad_lists(void **state)
{
	static const char *const bad[] = {
		"3-1\n", "0,,1\n", "a\n", "0-\n", "-1\n", "1 2\n", "0,\n",
		"4096\n", "0-4096\n", "0\n\n", "99999999999999999999999\n",
	};
	unsigned *nodes = NULL;
	size_t i, n = 77;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pd_numa_nodelist_parse(bad[i], strlen(bad[i]), &nodes,
					   &n) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	assert_null(nodes);
	assert_int_equal(n, 77);
}

static void test_numa_nodes_read_online_file_and_directories(void **state)
{
	unsigned *nodes;
	size_t n;
	int fd;

	(void)state;
	fd = opendir_fd(SYS);
	assert_int_equal(pd_numa_nodes_read(fd, &nodes, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(nodes[0], 0);
	assert_int_equal(nodes[1], 1);
	free(nodes);
	close(fd);
	/* numa4 has no "online": the node<N> directories */
	fd = opendir_fd(SYS4);
	assert_int_equal(pd_numa_nodes_read(fd, &nodes, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(nodes[0], 0);
	assert_int_equal(nodes[3], 3);
	free(nodes);
	close(fd);
	/* no devices/system/node at all: CONFIG_NUMA=n */
	fd = opendir_fd(SAMPLES);
	assert_int_equal(pd_numa_nodes_read(fd, &nodes, &n), -ENOENT);
	close(fd);
}

static void test_numa_meminfo_real_node0_of_618(void **state)
{
	struct pd_meminfo *mi;
	unsigned node = 99;
	char *buf;
	size_t len;
	int fd;

	(void)state;
	fd = opendir_fd(SAMPLES);
	assert_int_equal(pd_read_at(fd, "node0-meminfo", 1 << 16, &buf, &len),
			 0);
	assert_int_equal(pd_numa_meminfo_parse(buf, len, &node, &mi), 0);
	assert_int_equal(node, 0);
	assert_int_equal(pd_meminfo_count(mi), 36);
	assert_string_equal(pd_meminfo_key(mi, 0), "MemTotal");
	assert_int_equal(get(mi, "MemTotal"), KB(24683772));
	assert_int_equal(get(mi, "MemUsed"), get(mi, "MemTotal") -
			 get(mi, "MemFree"));
	assert_int_equal(get(mi, "SecPageTables"), 0);
	assert_int_equal(get(mi, "HugePages_Total"), 0);
	assert_false(pd_meminfo_is_size(mi, "HugePages_Total"));
	/* a node has no MemAvailable */
	assert_int_equal(pd_meminfo_get(mi, "MemAvailable", NULL), -ENOENT);
	pd_meminfo_free(mi);
	free(buf);
	close(fd);
}

static void test_numa_meminfo_two_and_four_node_fixtures(void **state)
{
	struct pd_meminfo *mi;
	unsigned n;
	int fd;

	(void)state;
	fd = opendir_fd(SYS);
	assert_int_equal(pd_numa_meminfo_read(fd, 1, &mi), 0);
	assert_int_equal(get(mi, "MemTotal"), KB(8257536));
	assert_int_equal(get(mi, "MemFree"), KB(7000100));
	assert_int_equal(get(mi, "Slab"), KB(65536 + 32768));
	assert_int_equal(get(mi, "HugePages_Total"), 256);
	assert_int_equal(get(mi, "HugePages_Free"), 256);
	/* 5.4: no SecPageTables, no SwapCached per node */
	assert_int_equal(pd_meminfo_get(mi, "SecPageTables", NULL), -ENOENT);
	pd_meminfo_free(mi);
	assert_int_equal(pd_numa_meminfo_read(fd, 2, &mi), -ENOENT);
	close(fd);

	fd = opendir_fd(SYS4);
	for (n = 0; n < 4; n++) {
		assert_int_equal(pd_numa_meminfo_read(fd, n, &mi), 0);
		assert_int_equal(get(mi, "MemFree"), KB(1048576 * (n + 1) / 2));
		pd_meminfo_free(mi);
	}
	close(fd);
}

static void test_numa_meminfo_refuses_mixed_or_other_node(void **state)
{
	static const char mixed[] = "Node 0 MemTotal:  100 kB\n"
				    "Node 1 MemFree:    50 kB\n";
	static const char odd[] = "MemTotal: 100 kB\n"
				  "Node 3 MemFree:    50 kB\n"
				  "Node x MemUsed:    50 kB\n"
				  "Node 3 Bad line\n";
	struct pd_meminfo *mi = NULL;
	unsigned node = 9;
	char path[4096];
	int fd, dfd;

	(void)state;
	assert_int_equal(pd_numa_meminfo_parse(mixed, strlen(mixed), &node, &mi),
			 -EINVAL);
	assert_null(mi);
	assert_int_equal(node, 9);
	assert_int_equal(pd_numa_meminfo_parse("", 0, &node, &mi), -EINVAL);
	/* lines without the prefix, or of another shape, are skipped */
	assert_int_equal(pd_numa_meminfo_parse(odd, strlen(odd), &node, &mi), 0);
	assert_int_equal(node, 3);
	assert_int_equal(pd_meminfo_count(mi), 1);
	assert_int_equal(get(mi, "MemFree"), KB(50));
	pd_meminfo_free(mi);

	/* node1/meminfo that says "Node 0": refused */
	snprintf(path, sizeof(path), "/tmp/pd-numa-XXXXXX");
	assert_non_null(mkdtemp(path));
	dfd = opendir_fd(path);
	assert_int_equal(mkdirat(dfd, "devices", 0755), 0);
	assert_int_equal(mkdirat(dfd, "devices/system", 0755), 0);
	assert_int_equal(mkdirat(dfd, "devices/system/node", 0755), 0);
	assert_int_equal(mkdirat(dfd, "devices/system/node/node1", 0755), 0);
	fd = openat(dfd, "devices/system/node/node1/meminfo",
		    O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, mixed, 25), 25);
	close(fd);
	assert_int_equal(pd_numa_meminfo_read(dfd, 1, &mi), -EINVAL);
	assert_int_equal(unlinkat(dfd, "devices/system/node/node1/meminfo", 0),
			 0);
	assert_int_equal(unlinkat(dfd, "devices/system/node/node1",
				  AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(dfd, "devices/system/node", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(dfd, "devices/system", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(dfd, "devices", AT_REMOVEDIR), 0);
	close(dfd);
	assert_int_equal(rmdir(path), 0);
}

static void test_numa_numastat_and_vmstat_per_node(void **state)
{
	struct pd_keyed *k;
	uint64_t v = 0;
	int fd;

	(void)state;
	fd = opendir_fd(SYS);
	assert_int_equal(pd_numa_numastat_read(fd, 0, &k), 0);
	assert_int_equal(pd_keyed_get(k, "numa_hit", &v), 0);
	assert_int_equal(v, 912345678);
	assert_int_equal(pd_keyed_get(k, "numa_foreign", &v), 0);
	assert_int_equal(v, 56789);
	pd_keyed_free(k);
	assert_int_equal(pd_numa_vmstat_read(fd, 1, &k), 0);
	assert_int_equal(pd_keyed_get(k, "nr_free_pages", &v), 0);
	assert_int_equal(v, 1750025);
	pd_keyed_free(k);
	assert_int_equal(pd_numa_numastat_read(fd, 7, &k), -ENOENT);
	close(fd);
}

/* Live: the online list names exactly the node<N> directories. */
static void test_numa_live_online_list_matches_directories(void **state)
{
	unsigned *nodes;
	size_t n, i, dirs = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	(void)state;
	fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || pd_numa_nodes_read(fd, &nodes, &n) == -ENOENT) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	d = opendir("/sys/devices/system/node");
	assert_non_null(d);
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "node", 4) &&
		    de->d_name[4] >= '0' && de->d_name[4] <= '9')
			dirs++;
	closedir(d);
	assert_int_equal(n, dirs);
	for (i = 0; i < n; i++) {
		struct pd_meminfo *mi;

		assert_int_equal(pd_numa_meminfo_read(fd, nodes[i], &mi), 0);
		assert_int_equal(pd_meminfo_get(mi, "MemTotal", NULL), 0);
		pd_meminfo_free(mi);
	}
	free(nodes);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numa_nodelist_parse_ranges),
		cmocka_unit_test(test_numa_nodelist_parse_refuses_bad_lists),
		cmocka_unit_test(test_numa_nodes_read_online_file_and_directories),
		cmocka_unit_test(test_numa_meminfo_real_node0_of_618),
		cmocka_unit_test(test_numa_meminfo_two_and_four_node_fixtures),
		cmocka_unit_test(test_numa_meminfo_refuses_mixed_or_other_node),
		cmocka_unit_test(test_numa_numastat_and_vmstat_per_node),
		cmocka_unit_test(test_numa_live_online_list_matches_directories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
