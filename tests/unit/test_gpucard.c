/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/gpucard: DRM cards of sysfs and amdgpu's counters. */
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

#include "gpucard.h"

#define SYS PD_FIXTURES_DIR "/memwhere/sys"

static void test_gpucard_amdgpu_counters_and_an_i915_without(void **state)
{
	struct pd_gpucard *c;
	size_t n;
	int fd;

	(void)state;
	fd = open(SYS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_gpucard_read_all(fd, &c, &n), 0);
	/* card0 and card1; not card0-DP-1, renderD128, version */
	assert_int_equal(n, 2);
	assert_int_equal(c[0].card, 0);
	assert_string_equal(c[0].driver, "amdgpu");
	assert_string_equal(c[0].pdev, "0000:03:00.0");
	assert_int_equal(c[0].has, (1u << PD_GPU_NR_COUNTERS) - 1);
	assert_int_equal(c[0].v[PD_GPU_VRAM_TOTAL], 17163091968ull);
	assert_int_equal(c[0].v[PD_GPU_VRAM_USED], 1306882048);
	assert_int_equal(c[0].v[PD_GPU_VIS_VRAM_USED], 1006882816);
	assert_int_equal(c[0].v[PD_GPU_GTT_TOTAL], 33554432000ull);
	assert_int_equal(c[0].v[PD_GPU_GTT_USED], 43499520);
	assert_int_equal(c[1].card, 1);
	assert_string_equal(c[1].driver, "i915");
	assert_string_equal(c[1].pdev, "0000:00:02.0");
	assert_int_equal(c[1].has, 0);
	assert_int_equal(c[1].v[PD_GPU_GTT_USED], 0);
	free(c);
	close(fd);
}

static void test_gpucard_uevent_parse(void **state)
{
	static const char ue[] = "DRIVER=amdgpu\nPCI_CLASS=30000\n"
				 "PCI_SLOT_NAME=0000:03:00.0\n";
	static const char platform[] = "DRIVER=vc4-drm\nOF_NAME=gpu\n"
				       "MODALIAS=of:NgpuT(null)\n";
	static const char longer[] = "DRIVER=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				     "aaaaaa\nPCI_SLOT_NAME=0000:03:00.0";
	struct pd_gpucard c;

	(void)state;
	memset(&c, 0, sizeof(c));
	pd_gpucard_uevent_parse(ue, strlen(ue), &c);
	assert_string_equal(c.driver, "amdgpu");
	assert_string_equal(c.pdev, "0000:03:00.0");
	memset(&c, 0, sizeof(c));
	pd_gpucard_uevent_parse(platform, strlen(platform), &c);
	assert_string_equal(c.driver, "vc4-drm");
	assert_string_equal(c.pdev, "");
	memset(&c, 0, sizeof(c));
	/* too long for the field: left empty, not cut */
	pd_gpucard_uevent_parse(longer, strlen(longer), &c);
	assert_string_equal(c.driver, "");
	assert_string_equal(c.pdev, "0000:03:00.0");
}

static void test_gpucard_no_drm_is_no_card(void **state)
{
	struct pd_gpucard *c = (struct pd_gpucard *)&c;
	size_t n = 5;
	int fd;

	(void)state;
	fd = open(PD_FIXTURES_DIR "/memwhere/numa4/sys",
		  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pd_gpucard_read_all(fd, &c, &n), 0);
	assert_int_equal(n, 0);
	assert_null(c);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gpucard_amdgpu_counters_and_an_i915_without),
		cmocka_unit_test(test_gpucard_uevent_parse),
		cmocka_unit_test(test_gpucard_no_drm_is_no_card),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
