/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/fiemap's parser and sums on FS_IOC_FIEMAP results laid
 * out as the kernel returns them: three reflinked 20 MiB files on btrfs
 * (the extents btrfs reported for `cp --reflink=always a b; ... a c`), a
 * compressed, an inline and a preallocated extent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/fiemap.h>
#include <string.h>

#include "fiemap.h"

#define MiB (1024ull * 1024)

struct result {
	struct fiemap fm;
	struct fiemap_extent e[4];
};

static void extent(struct result *r, uint64_t logical, uint64_t physical,
		   uint64_t len, uint32_t flags)
{
	struct fiemap_extent *e = &r->e[r->fm.fm_mapped_extents++];

	memset(e, 0, sizeof(*e));
	e->fe_logical = logical;
	e->fe_physical = physical;
	e->fe_length = len;
	e->fe_flags = flags;
}

static void test_fiemap_reflinked_copies_are_excess_once_shared(void **state)
{
	struct pd_fiemap_sum s;
	struct pd_fiemap *f;
	struct result r;
	uint64_t next;
	bool last;
	int i;

	(void)state;
	assert_int_equal(pd_fiemap_new(&f), 0);
	for (i = 0; i < 3; i++) {
		memset(&r, 0, sizeof(r));
		/* 20 MiB at 1 GiB in two extents (128 MiB is btrfs's most) */
		extent(&r, 0, 1ull << 30, 12 * MiB, FIEMAP_EXTENT_SHARED);
		extent(&r, 12 * MiB, (1ull << 30) + 12 * MiB, 8 * MiB,
		       FIEMAP_EXTENT_SHARED | FIEMAP_EXTENT_LAST);
		assert_int_equal(pd_fiemap_parse(f, &r, sizeof(r), &next,
						 &last), 0);
		assert_int_equal(next, 20 * MiB);
		assert_true(last);
	}
	assert_int_equal(pd_fiemap_finish(f, &s), 0);
	assert_int_equal(s.mapped, 60 * MiB);
	assert_int_equal(s.shared, 60 * MiB);
	assert_int_equal(s.shared_once, 20 * MiB);
	assert_int_equal(s.excess, 40 * MiB);
	assert_int_equal(s.extents, 6);
	pd_fiemap_free(f);
}

static void test_fiemap_flags_are_summed_apart(void **state)
{
	struct pd_fiemap_sum s;
	struct pd_fiemap *f;
	struct result r;
	uint64_t next;
	bool last;

	(void)state;
	assert_int_equal(pd_fiemap_new(&f), 0);
	memset(&r, 0, sizeof(r));
	extent(&r, 0, 0, 4096, FIEMAP_EXTENT_DATA_INLINE |
	       FIEMAP_EXTENT_NOT_ALIGNED);
	extent(&r, 4096, 1 << 20, 128 * 1024, FIEMAP_EXTENT_ENCODED);
	extent(&r, 1 * MiB, 2 << 20, 1 * MiB, FIEMAP_EXTENT_UNWRITTEN);
	assert_int_equal(pd_fiemap_parse(f, &r, sizeof(r), &next, &last), 0);
	/* no LAST yet: ask on from the end of the last extent */
	assert_false(last);
	assert_int_equal(next, 2 * MiB);
	memset(&r, 0, sizeof(r));
	extent(&r, 2 * MiB, 0, 64 * 1024, FIEMAP_EXTENT_DELALLOC |
	       FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_SHARED |
	       FIEMAP_EXTENT_LAST);
	assert_int_equal(pd_fiemap_parse(f, &r, sizeof(r), &next, &last), 0);
	assert_true(last);
	assert_int_equal(pd_fiemap_finish(f, &s), 0);
	assert_int_equal(s.inline_data, 4096);
	assert_int_equal(s.encoded, 128 * 1024);
	assert_int_equal(s.unwritten, 1 * MiB);
	assert_int_equal(s.delalloc, 64 * 1024);
	/* no place on disk yet: not counted as shared */
	assert_int_equal(s.shared, 0);
	assert_int_equal(s.mapped, 4096 + 128 * 1024 + MiB + 64 * 1024);
	pd_fiemap_free(f);
}

static void test_fiemap_parse_refuses_extents_past_the_buffer(void **state)
{
	struct pd_fiemap *f;
	struct result r;
	uint64_t next;
	bool last;

	(void)state;
	assert_int_equal(pd_fiemap_new(&f), 0);
	memset(&r, 0, sizeof(r));
	r.fm.fm_mapped_extents = 5;
	assert_int_equal(pd_fiemap_parse(f, &r, sizeof(r), &next, &last),
			 -EINVAL);
	assert_int_equal(pd_fiemap_parse(f, &r, 10, &next, &last), -EINVAL);
	/* none mapped: the end (a hole to the end of the file) */
	r.fm.fm_mapped_extents = 0;
	assert_int_equal(pd_fiemap_parse(f, &r, sizeof(r), &next, &last), 0);
	assert_true(last);
	pd_fiemap_free(f);
}

/* Each walker thread maps its files into its own accumulator: merged,
 * the copies one thread saw and the source another saw are one set. */
static void test_fiemap_merge_of_two_accumulators_is_one_set(void **state)
{
	struct pd_fiemap_sum s;
	struct pd_fiemap *f[2];
	struct result r;
	uint64_t next;
	bool last;
	int i;

	(void)state;
	assert_int_equal(pd_fiemap_new(&f[0]), 0);
	assert_int_equal(pd_fiemap_new(&f[1]), 0);
	for (i = 0; i < 3; i++) {
		memset(&r, 0, sizeof(r));
		extent(&r, 0, 1ull << 30, 20 * MiB,
		       FIEMAP_EXTENT_SHARED | FIEMAP_EXTENT_LAST);
		assert_int_equal(pd_fiemap_parse(f[i == 2], &r, sizeof(r),
						 &next, &last), 0);
	}
	memset(&r, 0, sizeof(r));
	extent(&r, 0, 5 * MiB, 1 * MiB,
	       FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_LAST);
	assert_int_equal(pd_fiemap_parse(f[1], &r, sizeof(r), &next, &last), 0);
	assert_int_equal(pd_fiemap_merge(f[0], f[1]), 0);
	assert_int_equal(pd_fiemap_finish(f[0], &s), 0);
	assert_int_equal(s.shared, 60 * MiB);
	assert_int_equal(s.shared_once, 20 * MiB);
	assert_int_equal(s.excess, 40 * MiB);
	assert_int_equal(s.encoded, 1 * MiB);
	assert_int_equal(s.extents, 4);
	/* what was merged is gone from the source */
	assert_int_equal(pd_fiemap_finish(f[1], &s), 0);
	assert_int_equal(s.shared, 0);
	assert_int_equal(s.excess, 0);
	assert_int_equal(s.extents, 0);
	pd_fiemap_free(f[0]);
	pd_fiemap_free(f[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fiemap_reflinked_copies_are_excess_once_shared),
		cmocka_unit_test(test_fiemap_flags_are_summed_apart),
		cmocka_unit_test(test_fiemap_parse_refuses_extents_past_the_buffer),
		cmocka_unit_test(test_fiemap_merge_of_two_accumulators_is_one_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
