/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/drm: fdinfo of amdgpu 5.19 and 6.8, i915, dedupe. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "drm.h"
#include "procfs.h"

#define PROC PD_FIXTURES_DIR "/memwhere/proc"
#define KIB(n) ((uint64_t)(n) * 1024)
#define MIB(n) ((uint64_t)(n) << 20)

static struct pd_drm_client *read_fd(int fd)
{
	struct pd_drm_client *c = NULL;
	struct pd_procfs *pfs;
	int pidfd;

	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 4242, &pidfd), 0);
	assert_int_equal(pd_drm_fdinfo_read(pidfd, fd, &c), 0);
	close(pidfd);
	pd_procfs_free(pfs);
	return c;
}

static uint64_t stat_of(const struct pd_drm_client *c, const char *region,
			enum pd_drm_stat st)
{
	int i = pd_drm_region_find(c, region);
	uint64_t v = 0;

	if (i < 0)
		fail_msg("no region %s", region);
	if (pd_drm_region_get(c, (size_t)i, st, &v) < 0)
		fail_msg("no stat %d in %s", st, region);
	return v;
}

static bool has(const struct pd_drm_client *c, const char *region,
		enum pd_drm_stat st)
{
	int i = pd_drm_region_find(c, region);

	return i >= 0 && pd_drm_region_get(c, (size_t)i, st, NULL) == 0;
}

static void test_drm_amdgpu_68_regions_in_bytes(void **state)
{
	struct pd_drm_client *c = read_fd(5);
	uint64_t id = 0;

	(void)state;
	assert_string_equal(pd_drm_client_driver(c), "amdgpu");
	assert_string_equal(pd_drm_client_pdev(c), "0000:03:00.0");
	assert_null(pd_drm_client_name(c));
	assert_int_equal(pd_drm_client_id(c, &id), 0);
	assert_int_equal(id, 17);
	/* vram, gtt, cpu: as their first keys came (drm-memory-*) */
	assert_int_equal(pd_drm_region_count(c), 3);
	assert_string_equal(pd_drm_region_name(c, 0), "vram");
	assert_string_equal(pd_drm_region_name(c, 1), "gtt");
	assert_string_equal(pd_drm_region_name(c, 2), "cpu");
	assert_null(pd_drm_region_name(c, 3));
	assert_int_equal(stat_of(c, "vram", PD_DRM_MEMORY), KIB(262144));
	assert_int_equal(stat_of(c, "vram", PD_DRM_TOTAL), KIB(262144));
	assert_int_equal(stat_of(c, "vram", PD_DRM_SHARED), KIB(65536));
	assert_int_equal(stat_of(c, "vram", PD_DRM_RESIDENT), KIB(262144));
	/* no unit: bytes */
	assert_int_equal(stat_of(c, "vram", PD_DRM_PURGEABLE), 0);
	assert_int_equal(stat_of(c, "vram", PD_DRM_ACTIVE), KIB(1024));
	/* "4 MiB"; "drm-memory-gtt: \t4096 KiB" with a blank before the tab */
	assert_int_equal(stat_of(c, "gtt", PD_DRM_TOTAL), MIB(4));
	assert_int_equal(stat_of(c, "gtt", PD_DRM_MEMORY), MIB(4));
	assert_false(has(c, "gtt", PD_DRM_SHARED));
	assert_int_equal(stat_of(c, "cpu", PD_DRM_MEMORY), 0);
	assert_false(has(c, "cpu", PD_DRM_RESIDENT));
	/* amdgpu's own keys are not regions */
	assert_int_equal(pd_drm_region_find(c, "visible-vram"), -ENOENT);
	pd_drm_client_free(c);
}

static void test_drm_same_client_through_two_fds_is_one(void **state)
{
	struct pd_drm_client *a = read_fd(5), *b = read_fd(6);
	struct pd_drm_client *old = read_fd(9), *i915 = read_fd(7);

	(void)state;
	assert_true(pd_drm_client_same(a, b));
	assert_true(pd_drm_client_same(b, a));
	/* same device, another id */
	assert_false(pd_drm_client_same(a, old));
	/* another driver and device */
	assert_false(pd_drm_client_same(a, i915));
	pd_drm_client_free(a);
	pd_drm_client_free(b);
	pd_drm_client_free(old);
	pd_drm_client_free(i915);
}

static void test_drm_i915_regions_and_xe_cycle_keys(void **state)
{
	struct pd_drm_client *c = read_fd(7);
	uint64_t id = 0;

	(void)state;
	assert_string_equal(pd_drm_client_driver(c), "i915");
	assert_int_equal(pd_drm_client_id(c, &id), 0);
	assert_int_equal(id, 4);
	/* system0, stolen-system0; drm-total-cycles-rcs is no region */
	assert_int_equal(pd_drm_region_count(c), 2);
	assert_string_equal(pd_drm_region_name(c, 1), "stolen-system0");
	assert_int_equal(pd_drm_region_find(c, "cycles-rcs"), -ENOENT);
	assert_int_equal(stat_of(c, "system0", PD_DRM_RESIDENT), KIB(8400));
	assert_int_equal(stat_of(c, "system0", PD_DRM_PURGEABLE), 512);
	assert_false(has(c, "system0", PD_DRM_MEMORY));
	pd_drm_client_free(c);
}

static void test_drm_amdgpu_519_legacy_keys_only(void **state)
{
	struct pd_drm_client *c = read_fd(9);

	(void)state;
	assert_int_equal(pd_drm_region_count(c), 3);
	assert_int_equal(stat_of(c, "vram", PD_DRM_MEMORY), MIB(16));
	assert_int_equal(stat_of(c, "gtt", PD_DRM_MEMORY), MIB(2));
	assert_false(has(c, "vram", PD_DRM_RESIDENT));
	assert_false(has(c, "vram", PD_DRM_TOTAL));
	pd_drm_client_free(c);
}

static void test_drm_fd_of_another_kind_is_enodata(void **state)
{
	struct pd_drm_client *c = NULL;
	struct pd_procfs *pfs;
	int pidfd;

	(void)state;
	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_procfs_open_pid(pfs, 4242, &pidfd), 0);
	assert_int_equal(pd_drm_fdinfo_read(pidfd, 8, &c), -ENODATA);
	assert_int_equal(pd_drm_fdinfo_read(pidfd, 99, &c), -ENOENT);
	assert_null(c);
	close(pidfd);
	pd_procfs_free(pfs);
}

static void test_drm_odd_values_are_skipped(void **state)
{
	static const char text[] =
		"drm-driver:\txe\n"
		"drm-client-id:\tx\n"
		"drm-client-name:\tmy app\n"
		"drm-total-vram0:\t3 TiB\n"
		"drm-total-vram0:\t2 GiB\n"
		"drm-total-vram0:\t5\n"
		"drm-shared-vram0:\t-1\n"
		"drm-resident-vram0:\t7 KiB extra\n"
		"drm-active-vram0:\t18446744073709551615 KiB\n"
		"drm-total-:\t1\n"
		"drm-purgeable-vram0:10\n"
		"drm-total-cycles-bcs:\t7655183225\n"
		"drm-maxfreq-rcs:\t1300 MHz\n"
		"no colon here\n";
	struct pd_drm_client *c = NULL;
	uint64_t id = 0;

	(void)state;
	assert_int_equal(pd_drm_fdinfo_parse(text, strlen(text), &c), 0);
	assert_string_equal(pd_drm_client_driver(c), "xe");
	assert_int_equal(pd_drm_client_id(c, &id), -ENOENT);
	assert_string_equal(pd_drm_client_name(c), "my app");
	assert_null(pd_drm_client_pdev(c));
	assert_int_equal(pd_drm_region_count(c), 1);
	/* TiB is no unit of the doc: the GiB line is the first we read */
	assert_int_equal(stat_of(c, "vram0", PD_DRM_TOTAL), (uint64_t)2 << 30);
	assert_false(has(c, "vram0", PD_DRM_SHARED));
	assert_false(has(c, "vram0", PD_DRM_RESIDENT));
	assert_false(has(c, "vram0", PD_DRM_ACTIVE));
	/* no blank after the colon is fine */
	assert_int_equal(stat_of(c, "vram0", PD_DRM_PURGEABLE), 10);
	/* without ids, no two clients are known to be one */
	assert_false(pd_drm_client_same(c, c));
	pd_drm_client_free(c);
	assert_int_equal(pd_drm_fdinfo_parse("drm-client-id:\t3\n", 17, &c),
			 -ENODATA);
}

/* A value with a NUL would be cut short: the line is skipped (fuzzing). */
static void test_drm_lines_with_a_nul_are_skipped(void **state)
{
	static const char nodriver[] = "drm-driver:\t\0x\n";
	static const char text[] = "drm-driver:\tamdgpu\n"
				   "drm-pdev:\t00\0:03\n"
				   "drm-total-vr\0am:\t1\n"
				   "drm-total-gtt:\t2\n";
	struct pd_drm_client *c = NULL;

	(void)state;
	assert_int_equal(pd_drm_fdinfo_parse(nodriver, sizeof(nodriver) - 1,
					     &c), -ENODATA);
	assert_int_equal(pd_drm_fdinfo_parse(text, sizeof(text) - 1, &c), 0);
	assert_null(pd_drm_client_pdev(c));
	assert_int_equal(pd_drm_region_count(c), 1);
	assert_string_equal(pd_drm_region_name(c, 0), "gtt");
	pd_drm_client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drm_lines_with_a_nul_are_skipped),
		cmocka_unit_test(test_drm_amdgpu_68_regions_in_bytes),
		cmocka_unit_test(test_drm_same_client_through_two_fds_is_one),
		cmocka_unit_test(test_drm_i915_regions_and_xe_cycle_keys),
		cmocka_unit_test(test_drm_amdgpu_519_legacy_keys_only),
		cmocka_unit_test(test_drm_fd_of_another_kind_is_enodata),
		cmocka_unit_test(test_drm_odd_values_are_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
