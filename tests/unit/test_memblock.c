/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/memblock: online RAM by memory blocks, per node. */
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
#include <unistd.h>

#include "memblock.h"

#define SYS PD_FIXTURES_DIR "/memwhere/sys"
#define MIB(n) ((uint64_t)(n) << 20)

static int parse(const char *s)
{
	return pd_memblock_state_parse(s, strlen(s));
}

static void test_memblock_state_parse(void **state)
{
	(void)state;
	assert_int_equal(parse("online\n"), PD_MEMBLOCK_ONLINE);
	assert_int_equal(parse("offline\n"), PD_MEMBLOCK_OFFLINE);
	assert_int_equal(parse("going-offline\n"), PD_MEMBLOCK_GOING_OFFLINE);
	assert_int_equal(parse("online"), PD_MEMBLOCK_ONLINE);
	assert_int_equal(parse("online_movable\n"), -EINVAL);
	assert_int_equal(parse("online\n\n"), -EINVAL);
	assert_int_equal(parse(""), -EINVAL);
	assert_int_equal(parse("1\n"), -EINVAL);
}

static void test_memblock_fixture_with_holes_offline_and_nodes(void **state)
{
	struct pd_memblocks *mb;
	int fd;

	(void)state;
	fd = open(SYS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_memblocks_read(fd, &mb), 0);
	assert_int_equal(pd_memblocks_block_size(mb), MIB(128));
	/* 0-3, 8, 9 by state; 10 by its "online" file alone */
	assert_int_equal(pd_memblocks_count(mb, PD_MEMBLOCK_ONLINE), 7);
	assert_int_equal(pd_memblocks_count(mb, PD_MEMBLOCK_OFFLINE), 1);
	assert_int_equal(pd_memblocks_count(mb, PD_MEMBLOCK_GOING_OFFLINE), 1);
	assert_int_equal(pd_memblocks_other(mb), 0);
	assert_int_equal(pd_memblocks_online_bytes(mb), MIB(7 * 128));
	assert_int_equal(pd_memblocks_nr_nodes(mb), 2);
	assert_int_equal(pd_memblocks_node_online_bytes(mb, 0), MIB(4 * 128));
	assert_int_equal(pd_memblocks_node_online_bytes(mb, 1), MIB(3 * 128));
	assert_int_equal(pd_memblocks_node_online_bytes(mb, 2), 0);
	pd_memblocks_free(mb);
	close(fd);
}

static void test_memblock_without_memory_sysfs_is_enoent(void **state)
{
	struct pd_memblocks *mb = NULL;
	int fd;

	(void)state;
	fd = open(PD_FIXTURES_DIR "/memwhere/numa4/sys",
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_memblocks_read(fd, &mb), -ENOENT);
	assert_null(mb);
	close(fd);
}

/* Live: every memory<N> counted once, and the nodes share the online RAM. */
static void test_memblock_live_counts_every_block(void **state)
{
	unsigned long long bs;
	struct pd_memblocks *mb;
	struct dirent *de;
	size_t blocks = 0;
	uint64_t nodes = 0;
	unsigned n;
	FILE *f;
	DIR *d;
	int fd;

	(void)state;
	d = opendir("/sys/devices/system/memory");
	if (!d)
		skip();
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "memory", 6) &&
		    de->d_name[6] >= '0' && de->d_name[6] <= '9')
			blocks++;
	closedir(d);
	f = fopen("/sys/devices/system/memory/block_size_bytes", "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llx", &bs), 1);
	fclose(f);
	fd = open("/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_memblocks_read(fd, &mb), 0);
	assert_int_equal(pd_memblocks_block_size(mb), bs);
	assert_int_equal(pd_memblocks_count(mb, PD_MEMBLOCK_ONLINE) +
			 pd_memblocks_count(mb, PD_MEMBLOCK_OFFLINE) +
			 pd_memblocks_count(mb, PD_MEMBLOCK_GOING_OFFLINE) +
			 pd_memblocks_other(mb), blocks);
	assert_int_equal(pd_memblocks_online_bytes(mb),
			 pd_memblocks_count(mb, PD_MEMBLOCK_ONLINE) * bs);
	for (n = 0; n < pd_memblocks_nr_nodes(mb); n++)
		nodes += pd_memblocks_node_online_bytes(mb, n);
	if (pd_memblocks_nr_nodes(mb))
		assert_int_equal(nodes, pd_memblocks_online_bytes(mb));
	pd_memblocks_free(mb);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memblock_state_parse),
		cmocka_unit_test(test_memblock_fixture_with_holes_offline_and_nodes),
		cmocka_unit_test(test_memblock_without_memory_sysfs_is_enoent),
		cmocka_unit_test(test_memblock_live_counts_every_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
