/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/maps: maps lines, the iterator, map_files names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maps.h"
#include "procfs.h"

#define BASIC PD_FIXTURES_DIR "/basic/proc"

static struct pd_map map_of(const char *line)
{
	struct pd_map m;

	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(pd_map_parse(line, strlen(line), &m), 0);
	return m;
}

static void assert_path(const struct pd_map *m, const char *want)
{
	assert_int_equal(m->path_len, strlen(want));
	assert_memory_equal(m->path, want, m->path_len);
}

static void test_map_parse_a_file_backed_line(void **state)
{
	static const char line[] =
		"55f30d008000-55f30d00a000 r--p 00000000 fe:00 247134"
		"                     /usr/bin/cat";
	struct pd_map m = map_of(line);

	(void)state;
	assert_int_equal(m.start, 0x55f30d008000ull);
	assert_int_equal(m.end, 0x55f30d00a000ull);
	assert_int_equal(m.perms, PD_MAP_READ);
	assert_int_equal(m.offset, 0);
	/* the device is printed in hex */
	assert_int_equal(m.dev_major, 254);
	assert_int_equal(m.dev_minor, 0);
	assert_int_equal(m.inode, 247134);
	assert_path(&m, "/usr/bin/cat");
	/* the path points into the line */
	assert_ptr_equal(m.path, line + sizeof(line) - 1 - 12);
}

static void test_map_parse_permissions_and_offset(void **state)
{
	struct pd_map m;

	(void)state;
	m = map_of("7fec2aaec000-7fec2ac42000 r-xp 00026000 08:01 1835 "
		   "                      /usr/lib/x86_64-linux-gnu/libc.so.6");
	assert_int_equal(m.perms, PD_MAP_READ | PD_MAP_EXEC);
	assert_int_equal(m.offset, 0x26000);
	assert_int_equal(m.dev_major, 8);
	assert_int_equal(m.dev_minor, 1);
	m = map_of("7f0e5c200000-7f0e5c202000 rw-s 00000000 00:01 25 "
		   "                        /memfd:blob (deleted)");
	assert_int_equal(m.perms, PD_MAP_READ | PD_MAP_WRITE | PD_MAP_SHARED);
	assert_int_equal(m.inode, 25);
	assert_path(&m, "/memfd:blob (deleted)");
	m = map_of("7f3a1c421000-7f3a1c422000 ---p 00000000 00:00 0 ");
	assert_int_equal(m.perms, 0);
	m = map_of("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0"
		   "                  [vsyscall]");
	assert_int_equal(m.perms, PD_MAP_EXEC);
	assert_int_equal(m.start, 0xffffffffff600000ull);
	assert_path(&m, "[vsyscall]");
	m = map_of("7f00-7f10 rwxs 0001c000 103:0a 99 /x");
	assert_int_equal(m.perms, PD_MAP_READ | PD_MAP_WRITE | PD_MAP_EXEC |
			 PD_MAP_SHARED);
	assert_int_equal(m.dev_major, 0x103);
	assert_int_equal(m.dev_minor, 10);
}

static void test_map_parse_keeps_the_deleted_suffix_and_spaces(void **state)
{
	struct pd_map m;

	(void)state;
	m = map_of("7f52b8a00000-7f52b8a04000 r--p 00000000 08:01 5678"
		   "                       /usr/lib/x86_64-linux-gnu/"
		   "libfoo.so.1.2 (deleted)");
	assert_int_equal(m.inode, 5678);
	assert_path(&m, "/usr/lib/x86_64-linux-gnu/libfoo.so.1.2 (deleted)");
	m = map_of("7f3a1c800000-7f3a1c801000 rw-s 00000000 08:01 2202"
		   "                       "
		   "/var/lib/app/My Data/state file.bin");
	assert_path(&m, "/var/lib/app/My Data/state file.bin");
	/* spaces at the end of a path are the path's */
	m = map_of("7f00-7f10 r--p 00000000 08:01 7 /tmp/x  ");
	assert_path(&m, "/tmp/x  ");
}

static void test_map_parse_pseudo_paths(void **state)
{
	struct pd_map m;

	(void)state;
	m = map_of("55f3296c7000-55f3296e8000 rw-p 00000000 00:00 0"
		   "                          [heap]");
	assert_int_equal(m.inode, 0);
	assert_path(&m, "[heap]");
	m = map_of("7ffd4e6f1000-7ffd4e712000 rw-p 00000000 00:00 0"
		   "                          [stack]");
	assert_path(&m, "[stack]");
}

static void test_map_parse_anonymous_lines_have_an_empty_path(void **state)
{
	struct pd_map m;

	(void)state;
	/* the kernel leaves one blank after the inode */
	m = map_of("7fec2aa43000-7fec2aa65000 rw-p 00000000 00:00 0 ");
	assert_int_equal(m.start, 0x7fec2aa43000ull);
	assert_int_equal(m.inode, 0);
	assert_int_equal(m.path_len, 0);
	assert_non_null(m.path);
	/* and no blank at all is fine too */
	m = map_of("7fec2aa43000-7fec2aa65000 rw-p 00000000 00:00 0");
	assert_int_equal(m.path_len, 0);
}

static void test_map_parse_rejects_malformed_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"7f00 r--p 00000000 08:01 1 /x",		/* no end */
		"7f00-7f10 r--p",
		"7f00-7f10 r--p 00000000 08:01",		/* no inode */
		"7f00-7f10 r--p 00000000 08:01 ",
		"7f00-7f10 r--p 00000000 0801 1 /x",	/* dev without ':' */
		"7f00-7f10 rw-x 00000000 08:01 1 /x",	/* x is no share bit */
		"7f00-7f10 r-zp 00000000 08:01 1 /x",
		"7f00-7f10 r- 00000000 08:01 1 /x",
		"7f00-7f10 r--p 0000000g 08:01 1 /x",
		"7f00-7f10 r--p 00000000 08:01 x /x",
		"7f00-7f10  r--p 00000000 08:01 1 /x",	/* two blanks */
		"-7f10 r--p 00000000 08:01 1 /x",
		"7g00-7f10 r--p 00000000 08:01 1 /x",
		"10000000000000000-7f10 r--p 00000000 08:01 1 /x",
		"7f00-7f10 r--p 00000000 100000000:01 1 /x",
		"7f00-7f10 r--p 00000000 08:01 18446744073709551616 /x",
	};
	struct pd_map m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&m, 0x5a, sizeof(m));
		assert_int_equal(pd_map_parse(bad[i], strlen(bad[i]), &m),
				 -EINVAL);
		/* outputs are written only on success */
		assert_int_equal(m.start, 0x5a5a5a5a5a5a5a5aull);
	}
}

static void test_map_parse_honours_len(void **state)
{
	static const char line[] = "7f00-7f10 r--p 00000000 08:01 1234 /a/b";
	struct pd_map m;

	(void)state;
	assert_int_equal(pd_map_parse(line, sizeof(line) - 1 - 2, &m), 0);
	assert_path(&m, "/a");
	/* cut inside the inode */
	assert_int_equal(pd_map_parse(line, 32, &m), 0);
	assert_int_equal(m.inode, 12);
	assert_int_equal(m.path_len, 0);
	assert_int_equal(pd_map_parse(line, 29, &m), -EINVAL);
}

static void test_map_next_walks_lines_and_skips_malformed(void **state)
{
	static const char text[] =
		"00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/dbus\n"
		"this line is broken\n"
		"\n"
		"00e03000-00e24000 rw-p 00000000 00:00 0 [heap]\n"
		"7f00-7f10 rw-p 00000000 00:00 0 \n"
		"7f10-7f20 r--s 00000000 00:05 9 /dev/zero (deleted)";
	const char *cur = text, *end = text + sizeof(text) - 1;
	struct pd_map m;

	(void)state;
	assert_int_equal(pd_map_next(&cur, end, &m), 0);
	assert_int_equal(m.start, 0x400000);
	assert_path(&m, "/usr/bin/dbus");
	assert_int_equal(pd_map_next(&cur, end, &m), 0);
	assert_path(&m, "[heap]");
	assert_int_equal(pd_map_next(&cur, end, &m), 0);
	assert_int_equal(m.start, 0x7f00);
	assert_int_equal(m.path_len, 0);
	/* the last line has no newline */
	assert_int_equal(pd_map_next(&cur, end, &m), 0);
	assert_int_equal(m.inode, 9);
	assert_path(&m, "/dev/zero (deleted)");
	assert_ptr_equal(cur, end);
	assert_int_equal(pd_map_next(&cur, end, &m), 1);
	assert_int_equal(pd_map_next(&cur, end, &m), 1);
}

static void test_map_next_of_empty_text_is_the_end(void **state)
{
	static const char text[] = "";
	const char *cur = text;
	struct pd_map m;

	(void)state;
	memset(&m, 0x5a, sizeof(m));
	assert_int_equal(pd_map_next(&cur, text, &m), 1);
	assert_int_equal(m.inode, 0x5a5a5a5a5a5a5a5aull);
	cur = "garbage\n";
	assert_int_equal(pd_map_next(&cur, cur + 8, &m), 1);
}

static void test_map_next_over_a_fixture_finds_the_deleted_library(
	void **state)
{
	static const char lib[] =
		"/usr/lib/x86_64-linux-gnu/libfoo.so.1.2 (deleted)";
	const char *cur, *end;
	struct pd_map m;
	char *buf = NULL;
	size_t len = 0, n = 0, deleted = 0;
	int fd = open(BASIC "/200", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pd_read_at(fd, "maps", 1u << 20, &buf, &len), 0);
	cur = buf;
	end = buf + len;
	while (pd_map_next(&cur, end, &m) == 0) {
		n++;
		if (m.path_len == strlen(lib) &&
		    !memcmp(m.path, lib, m.path_len)) {
			assert_int_equal(m.dev_major, 8);
			assert_int_equal(m.dev_minor, 1);
			assert_int_equal(m.inode, 5678);
			if (!deleted++)
				assert_int_equal(m.start, 0x7f52b8a00000ull);
		}
	}
	assert_int_equal(n, 9);
	assert_int_equal(deleted, 4);
	free(buf);
	close(fd);
}

static void test_map_files_name_is_lower_hex_without_padding(void **state)
{
	struct pd_map m;
	char buf[48];

	(void)state;
	memset(&m, 0, sizeof(m));
	m.start = 0x7f52b8a00000ull;
	m.end = 0x7f52b8a04000ull;
	pd_map_files_name(&m, buf, sizeof(buf));
	assert_string_equal(buf, "7f52b8a00000-7f52b8a04000");
	/* maps prints at least 8 digits; map_files/ does not pad */
	m = map_of("00400000-00452000 r-xp 00000000 08:02 173521 /usr/bin/x");
	pd_map_files_name(&m, buf, sizeof(buf));
	assert_string_equal(buf, "400000-452000");
	m.start = 0xFFFFFFFFFF600000ull;
	m.end = 0xffffffffff601000ull;
	pd_map_files_name(&m, buf, sizeof(buf));
	assert_string_equal(buf, "ffffffffff600000-ffffffffff601000");
}

static void test_map_files_name_is_cut_to_the_buffer(void **state)
{
	struct pd_map m;
	char buf[6];

	(void)state;
	memset(&m, 0, sizeof(m));
	m.start = 0x7f52b8a00000ull;
	m.end = 0x7f52b8a04000ull;
	pd_map_files_name(&m, buf, sizeof(buf));
	assert_string_equal(buf, "7f52b");
}

/* ---- names without the kernel's \012 ---- */

#define MAPNAMES PD_FIXTURES_DIR "/mapnames/proc"

static void assert_decodes(const char *in, const char *want)
{
	char out[64];
	size_t n = pd_map_path_decode(in, strlen(in), out);

	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
}

static void test_map_path_decode_reads_each_012_as_a_newline(void **state)
{
	char buf[] = "/a\\012\\012b\\012";
	size_t n;

	(void)state;
	assert_decodes("/tmp/a\\012b (deleted)", "/tmp/a\nb (deleted)");
	assert_decodes("\\012", "\n");
	/* only \012: other octal, a lone backslash, a cut escape stay */
	assert_decodes("/x\\040y\\\\z\\01", "/x\\040y\\\\z\\01");
	assert_decodes("\\\\012", "\\\n");
	assert_decodes("", "");
	/* in place */
	n = pd_map_path_decode(buf, strlen(buf), buf);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "/a\n\nb\n", 6);
}

/* Every mapping of mapnames/100, by start address, and the name read. */
static void test_map_path_read_prefers_map_files_then_decodes(void **state)
{
	static const struct {
		uint64_t start;
		const char *want;
	} cases[] = {
		{ 0x55e1a3c00000ull, "/usr/bin/viewer" },
		/* map_files/ holds the newline: the maps text had \012 */
		{ 0x7f1000000000ull, "/tmp/a\nb (deleted)" },
		/* map_files/ holds a literal backslash-012 */
		{ 0x7f2000000000ull, "/tmp/c\\012d (deleted)" },
		/* no map_files/ link to read: \012 is a newline */
		{ 0x7f3000000000ull, "/tmp/e\nf (deleted)" },
		/* map_files/ names another file: not this mapping's name */
		{ 0x7f4000000000ull, "/tmp/g\nh (deleted)" },
	};
	const char *cur, *end;
	struct pd_map m;
	char *buf = NULL, *path;
	size_t len = 0, n = 0, plen, i;
	int fd = open(MAPNAMES "/100", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(pd_read_at(fd, "maps", 1u << 20, &buf, &len), 0);
	cur = buf;
	end = buf + len;
	while (pd_map_next(&cur, end, &m) == 0) {
		for (i = 0; cases[i].start != m.start; i++)
			assert_true(i + 1 < sizeof(cases) / sizeof(cases[0]));
		path = NULL;
		assert_int_equal(pd_map_path_read(fd, &m, &path, &plen), 0);
		assert_non_null(path);
		assert_int_equal(plen, strlen(cases[i].want));
		assert_string_equal(path, cases[i].want);
		free(path);
		n++;
	}
	assert_int_equal(n, 5);
	free(buf);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_parse_a_file_backed_line),
		cmocka_unit_test(test_map_parse_permissions_and_offset),
		cmocka_unit_test(test_map_parse_keeps_the_deleted_suffix_and_spaces),
		cmocka_unit_test(test_map_parse_pseudo_paths),
		cmocka_unit_test(test_map_parse_anonymous_lines_have_an_empty_path),
		cmocka_unit_test(test_map_parse_rejects_malformed_lines),
		cmocka_unit_test(test_map_parse_honours_len),
		cmocka_unit_test(test_map_next_walks_lines_and_skips_malformed),
		cmocka_unit_test(test_map_next_of_empty_text_is_the_end),
		cmocka_unit_test(test_map_next_over_a_fixture_finds_the_deleted_library),
		cmocka_unit_test(test_map_files_name_is_lower_hex_without_padding),
		cmocka_unit_test(test_map_files_name_is_cut_to_the_buffer),
		cmocka_unit_test(
			test_map_path_decode_reads_each_012_as_a_newline),
		cmocka_unit_test(
			test_map_path_read_prefers_map_files_then_decodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
