/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/smaps: the field parser, the smaps iterator, the
 * rollup reader on fixtures and on this very process. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"
#include "smaps.h"

#define PSS PD_FIXTURES_DIR "/pss/proc"
#define KB(n) ((uint64_t)(n) * 1024)

/* /proc/self/smaps_rollup of head(1) on a 6.18 kernel, byte for byte. */
static const char rollup[] =
	"5647eac9f000-7ffc14cef000 ---p 00000000 00:00 0                          [rollup]\n"
	"Rss:                1636 kB\n"
	"Pss:                 365 kB\n"
	"Pss_Dirty:           112 kB\n"
	"Pss_Anon:            112 kB\n"
	"Pss_File:            253 kB\n"
	"Pss_Shmem:             0 kB\n"
	"Shared_Clean:       1476 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:        48 kB\n"
	"Private_Dirty:       112 kB\n"
	"Referenced:         1636 kB\n"
	"Anonymous:           112 kB\n"
	"KSM:                   0 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"Locked:                0 kB\n";

/* The first two blocks of /proc/self/smaps of head(1), same kernel; the
 * second has been given swap and an anonymous third block follows. */
static const char smaps[] =
	"555952d6c000-555952d6e000 r--p 00000000 fe:00 247498                     /usr/bin/head\n"
	"Size:                  8 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                   8 kB\n"
	"Pss:                   8 kB\n"
	"Pss_Dirty:             0 kB\n"
	"Shared_Clean:          0 kB\n"
	"Shared_Dirty:          0 kB\n"
	"Private_Clean:         8 kB\n"
	"Private_Dirty:         0 kB\n"
	"Referenced:            8 kB\n"
	"Anonymous:             0 kB\n"
	"KSM:                   0 kB\n"
	"LazyFree:              0 kB\n"
	"AnonHugePages:         0 kB\n"
	"ShmemPmdMapped:        0 kB\n"
	"FilePmdMapped:         0 kB\n"
	"Shared_Hugetlb:        0 kB\n"
	"Private_Hugetlb:       0 kB\n"
	"Swap:                  0 kB\n"
	"SwapPss:               0 kB\n"
	"Locked:                0 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd mr mw me \n"
	"555952d6e000-555952d74000 r-xp 00002000 fe:00 247498                     /usr/bin/head\n"
	"Size:                 24 kB\n"
	"KernelPageSize:        4 kB\n"
	"MMUPageSize:           4 kB\n"
	"Rss:                  24 kB\n"
	"Pss:                  12 kB\n"
	"Shared_Clean:         24 kB\n"
	"Private_Clean:         0 kB\n"
	"Swap:                  4 kB\n"
	"SwapPss:               2 kB\n"
	"THPeligible:           0\n"
	"ProtectionKey:         0\n"
	"VmFlags: rd ex mr mw me \n"
	"7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 \n"
	"Size:                132 kB\n"
	"Rss:                  16 kB\n"
	"Pss:                  16 kB\n"
	"Private_Dirty:        16 kB\n"
	"Anonymous:            16 kB\n";

static void test_smaps_parse_a_real_rollup(void **state)
{
	struct pd_smaps sm;

	(void)state;
	memset(&sm, 0x5a, sizeof(sm));
	assert_int_equal(pd_smaps_parse(rollup, strlen(rollup), &sm), 0);
	assert_int_equal(sm.rss, KB(1636));
	assert_int_equal(sm.pss, KB(365));
	assert_int_equal(sm.pss_dirty, KB(112));
	assert_int_equal(sm.pss_anon, KB(112));
	assert_int_equal(sm.pss_file, KB(253));
	assert_int_equal(sm.pss_shmem, 0);
	assert_int_equal(sm.shared_clean, KB(1476));
	assert_int_equal(sm.shared_dirty, 0);
	assert_int_equal(sm.private_clean, KB(48));
	assert_int_equal(sm.private_dirty, KB(112));
	assert_int_equal(sm.referenced, KB(1636));
	assert_int_equal(sm.anonymous, KB(112));
	assert_int_equal(sm.swap, 0);
	assert_int_equal(sm.swap_pss, 0);
	/* a rollup has no Size line */
	assert_int_equal(sm.size, 0);
	assert_int_equal(pd_smaps_uss(&sm), KB(160));
	assert_int_equal(pd_smaps_shared(&sm), KB(1476));
}

static void test_smaps_parse_missing_swap_pss_is_zero(void **state)
{
	static const char old[] = "Rss:  100 kB\nPss:   50 kB\nSwap:    8 kB\n";
	struct pd_smaps sm;

	(void)state;
	assert_int_equal(pd_smaps_parse(old, strlen(old), &sm), 0);
	assert_int_equal(sm.rss, KB(100));
	assert_int_equal(sm.pss, KB(50));
	assert_int_equal(sm.swap, KB(8));
	assert_int_equal(sm.swap_pss, 0);
	assert_int_equal(sm.pss_anon, 0);
}

static void test_smaps_parse_sums_every_block(void **state)
{
	struct pd_smaps sm;

	(void)state;
	/* Three blocks read as one: each field summed over them. */
	assert_int_equal(pd_smaps_parse(smaps, strlen(smaps), &sm), 0);
	assert_int_equal(sm.size, KB(8 + 24 + 132));
	assert_int_equal(sm.rss, KB(8 + 24 + 16));
	assert_int_equal(sm.pss, KB(8 + 12 + 16));
	assert_int_equal(sm.private_clean, KB(8));
	assert_int_equal(sm.private_dirty, KB(16));
	assert_int_equal(sm.shared_clean, KB(24));
	assert_int_equal(sm.swap, KB(4));
	assert_int_equal(sm.swap_pss, KB(2));
}

static void test_smaps_parse_skips_header_flags_and_unknown_fields(void **state)
{
	static const char text[] =
		"7f00-7f10 rw-s 00000000 00:01 25 /memfd:Rss: (deleted)\n"
		"Rss:          4 kB\n"
		"NewField2030: 99 kB\n"
		"THPeligible:  1\n"
		"VmFlags: rd wr sh mr mw me ms\n";
	struct pd_smaps sm;

	(void)state;
	assert_int_equal(pd_smaps_parse(text, strlen(text), &sm), 0);
	assert_int_equal(sm.rss, KB(4));
	assert_int_equal(sm.pss, 0);
}

static void test_smaps_parse_rejects_malformed_known_fields(void **state)
{
	static const char *const bad[] = {
		"Rss: 12\n",			/* no unit */
		"Rss: 12 MB\n",
		"Pss: abc kB\n",
		"Pss: -4 kB\n",
		"Swap: 4 kB extra\n",
		"Rss: 18014398509481984 kB\n",	/* 2^54 kB: 2^64 bytes */
	};
	struct pd_smaps sm;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pd_smaps_parse(bad[i], strlen(bad[i]), &sm),
				 -EINVAL);
}

static void test_smaps_parse_largest_value_fits(void **state)
{
	/* 2^54 - 1 kB is the largest that fits in bytes. */
	static const char text[] = "Rss: 18014398509481983 kB";
	struct pd_smaps sm;

	(void)state;
	assert_int_equal(pd_smaps_parse(text, strlen(text), &sm), 0);
	assert_int_equal(sm.rss, UINT64_MAX - 1023);
}

static void test_smaps_parse_without_fields_is_nodata(void **state)
{
	static const char hdr[] =
		"5647eac9f000-7ffc14cef000 ---p 00000000 00:00 0   [rollup]\n";
	struct pd_smaps sm;

	(void)state;
	assert_int_equal(pd_smaps_parse("", 0, &sm), -ENODATA);
	assert_int_equal(pd_smaps_parse(hdr, strlen(hdr), &sm), -ENODATA);
}

static void test_smaps_next_gives_each_mapping(void **state)
{
	const char *cur = smaps, *end = smaps + strlen(smaps);
	struct pd_smaps sm;
	struct pd_map m;

	(void)state;
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 0);
	assert_int_equal(m.start, 0x555952d6c000ull);
	assert_int_equal(m.perms, PD_MAP_READ);
	assert_int_equal(m.path_len, strlen("/usr/bin/head"));
	assert_memory_equal(m.path, "/usr/bin/head", m.path_len);
	assert_int_equal(sm.size, KB(8));
	assert_int_equal(sm.rss, KB(8));
	assert_int_equal(sm.private_clean, KB(8));
	assert_int_equal(sm.swap, 0);

	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 0);
	assert_int_equal(m.start, 0x555952d6e000ull);
	assert_int_equal(m.perms, PD_MAP_READ | PD_MAP_EXEC);
	assert_int_equal(sm.rss, KB(24));
	assert_int_equal(sm.pss, KB(12));
	assert_int_equal(sm.swap, KB(4));
	assert_int_equal(sm.swap_pss, KB(2));

	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 0);
	assert_int_equal(m.start, 0x7f3a1c000000ull);
	assert_int_equal(m.path_len, 0);
	assert_int_equal(sm.private_dirty, KB(16));

	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 1);
	assert_ptr_equal(cur, end);
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 1);
}

static void test_smaps_next_goes_on_after_a_malformed_block(void **state)
{
	static const char text[] =
		"junk before the first header\n"
		"7f00-7f10 r--p 00000000 08:01 1 /a\n"
		"Rss: lots kB\n"
		"7f10-7f20 r--p 00000000 08:01 2 /b\n"
		"Rss: 4 kB\n"
		"7f20-7f30 r--p 00000000 08:01 3 /c\n";
	const char *cur = text, *end = text + strlen(text);
	struct pd_smaps sm;
	struct pd_map m;

	(void)state;
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), -EINVAL);
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 0);
	assert_memory_equal(m.path, "/b", 2);
	assert_int_equal(sm.rss, KB(4));
	/* a header without fields: a mapping of zeros */
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 0);
	assert_memory_equal(m.path, "/c", 2);
	assert_int_equal(sm.rss, 0);
	assert_int_equal(pd_smaps_next(&cur, end, &m, &sm), 1);
}

static void test_smaps_add_sums_every_field(void **state)
{
	struct pd_smaps a, b;

	(void)state;
	assert_int_equal(pd_smaps_parse(rollup, strlen(rollup), &a), 0);
	assert_int_equal(pd_smaps_parse(smaps, strlen(smaps), &b), 0);
	pd_smaps_add(&a, &b);
	assert_int_equal(a.rss, KB(1636 + 48));
	assert_int_equal(a.pss, KB(365 + 36));
	assert_int_equal(a.size, KB(164));
	assert_int_equal(a.swap_pss, KB(2));
	assert_int_equal(a.anonymous, KB(112 + 16));
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("cannot open %s", path);
	return fd;
}

static void test_smaps_rollup_read_fixture(void **state)
{
	struct pd_smaps sm;
	int fd;

	(void)state;
	/* make-pss.sh: python3, pid 501 */
	fd = open_dir(PSS "/501");
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), 0);
	close(fd);
	assert_int_equal(sm.rss, KB(58468));
	assert_int_equal(sm.pss, KB(57368));
	assert_int_equal(pd_smaps_uss(&sm), KB(57268));
	assert_int_equal(sm.pss_anon, KB(50372));
	assert_int_equal(sm.pss_file, KB(2900));
	assert_int_equal(sm.pss_shmem, KB(4096));
	assert_int_equal(sm.anon_huge, KB(28672));
	assert_int_equal(sm.swap, KB(8000));
	assert_int_equal(sm.swap_pss, KB(8000));
}

static void test_smaps_rollup_equals_sum_of_smaps_in_fixture(void **state)
{
	static const char *const dirs[] = {
		"/1", "/100", "/410", "/411", "/500", "/501", "/800",
		"/900/task/901",
	};
	struct pd_smaps roll, sum, sm;
	char path[256], *buf;
	const char *cur;
	struct pd_map m;
	size_t i, len;
	int fd;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), PSS "%s", dirs[i]);
		fd = open_dir(path);
		assert_int_equal(pd_smaps_rollup_read(NULL, fd, &roll), 0);
		assert_int_equal(pd_read_at(fd, "smaps", 1u << 20, &buf, &len), 0);
		close(fd);
		memset(&sum, 0, sizeof(sum));
		for (cur = buf; pd_smaps_next(&cur, buf + len, &m, &sm) == 0;)
			pd_smaps_add(&sum, &sm);
		free(buf);
		assert_int_equal(sum.rss, roll.rss);
		assert_int_equal(sum.pss, roll.pss);
		assert_int_equal(pd_smaps_uss(&sum), pd_smaps_uss(&roll));
		assert_int_equal(sum.swap, roll.swap);
		assert_int_equal(sum.swap_pss, roll.swap_pss);
	}
}

static void test_smaps_rollup_read_empty_is_nodata(void **state)
{
	struct pd_smaps sm;
	int fd;

	(void)state;
	fd = open_dir(PSS "/700");
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), -ENODATA);
	close(fd);
	fd = open_dir(PSS "/600");	/* a zombie: no rollup file at all */
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), -ENOENT);
	close(fd);
}

static void test_smaps_rollup_read_too_big_is_efbig(void **state)
{
	char dir[] = "/tmp/pd-smaps-XXXXXX", path[64];
	struct pd_smaps sm;
	FILE *f;
	int fd, i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/smaps_rollup", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	/* 400 lines of 28 bytes: past the 8 KiB buffer */
	for (i = 0; i < 400; i++)
		fputs("Rss:                   4 kB\n", f);
	fclose(f);
	fd = open_dir(dir);
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), -EFBIG);
	close(fd);
	unlink(path);
	rmdir(dir);
}

/* Read smaps_rollup and smaps of this process without touching memory in
 * between (the buffer is allocated and written beforehand). */
static bool self_rollup_matches_smaps(char *buf, size_t cap)
{
	struct pd_smaps roll, sum, sm;
	const char *cur;
	struct pd_map m;
	ssize_t n;
	size_t len = 0;
	int fd, sfd;

	fd = open_dir("/proc/self");
	sfd = openat(fd, "smaps", O_RDONLY | O_CLOEXEC);
	assert_true(sfd >= 0);
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &roll), 0);
	while ((n = read(sfd, buf + len, cap - len)) > 0)
		len += (size_t)n;
	close(sfd);
	close(fd);
	assert_true(len < cap);
	memset(&sum, 0, sizeof(sum));
	for (cur = buf; pd_smaps_next(&cur, buf + len, &m, &sm) == 0;)
		pd_smaps_add(&sum, &sm);
	/* Rss and the private/shared split are page counts, exact in both;
	 * only Pss is rounded per mapping. */
	return sum.rss == roll.rss &&
	       pd_smaps_uss(&sum) == pd_smaps_uss(&roll) &&
	       pd_smaps_shared(&sum) == pd_smaps_shared(&roll) &&
	       sum.swap == roll.swap;
}

static void test_smaps_rollup_of_self_is_the_sum_of_its_smaps(void **state)
{
	size_t cap = 4u << 20;
	char *buf = malloc(cap);
	int tries;
	bool same = false;

	(void)state;
	assert_non_null(buf);
	memset(buf, 0, cap);
	/* A page may fault in between (the kernel's own buffers do not
	 * count): a few tries, one of which must agree exactly. */
	for (tries = 0; tries < 5 && !same; tries++)
		same = self_rollup_matches_smaps(buf, cap);
	free(buf);
	assert_true(same);
}

static void test_smaps_rollup_of_self_is_consistent(void **state)
{
	struct pd_smaps sm;
	int fd;

	(void)state;
	fd = open_dir("/proc/self");
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), 0);
	close(fd);
	/* Rss is the four Shared/Private counts; private pages are in PSS
	 * whole; Pss_Anon+Pss_File+Pss_Shmem is Pss up to rounding (1 kB
	 * each). Exact identities of one read. */
	assert_int_equal(sm.rss, sm.shared_clean + sm.shared_dirty +
				 sm.private_clean + sm.private_dirty);
	assert_in_range(sm.pss, pd_smaps_uss(&sm), sm.rss);
	assert_in_range(sm.pss_anon + sm.pss_file + sm.pss_shmem,
			sm.pss - KB(2), sm.pss);
	assert_int_equal(sm.size, 0);
}

static void test_smaps_rollup_of_a_kernel_thread_is_esrch(void **state)
{
	struct pd_proc p;
	struct pd_smaps sm;
	int fd;

	(void)state;
	fd = open("/proc/2", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || pd_proc_read(NULL, fd, 2, PD_PROC_STAT, &p) < 0 || !p.kthread) {
		if (fd >= 0)
			close(fd);
		skip();		/* a pid namespace without kthreadd */
	}
	assert_int_equal(pd_smaps_rollup_read(NULL, fd, &sm), -ESRCH);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smaps_parse_a_real_rollup),
		cmocka_unit_test(test_smaps_parse_missing_swap_pss_is_zero),
		cmocka_unit_test(test_smaps_parse_sums_every_block),
		cmocka_unit_test(test_smaps_parse_skips_header_flags_and_unknown_fields),
		cmocka_unit_test(test_smaps_parse_rejects_malformed_known_fields),
		cmocka_unit_test(test_smaps_parse_largest_value_fits),
		cmocka_unit_test(test_smaps_parse_without_fields_is_nodata),
		cmocka_unit_test(test_smaps_next_gives_each_mapping),
		cmocka_unit_test(test_smaps_next_goes_on_after_a_malformed_block),
		cmocka_unit_test(test_smaps_add_sums_every_field),
		cmocka_unit_test(test_smaps_rollup_read_fixture),
		cmocka_unit_test(test_smaps_rollup_equals_sum_of_smaps_in_fixture),
		cmocka_unit_test(test_smaps_rollup_read_empty_is_nodata),
		cmocka_unit_test(test_smaps_rollup_read_too_big_is_efbig),
		cmocka_unit_test(test_smaps_rollup_of_self_is_the_sum_of_its_smaps),
		cmocka_unit_test(test_smaps_rollup_of_self_is_consistent),
		cmocka_unit_test(test_smaps_rollup_of_a_kernel_thread_is_esrch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
