/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/promfs: node_exporter's labels of a mount. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <sys/sysmacros.h>

#include "promfs.h"

#define DFDU PD_FIXTURES_DIR "/dfdu/proc"
#define ODDDEV PD_FIXTURES_DIR "/odddev/proc"

static void test_promfs_mangle_is_the_kernels_octal(void **state)
{
	char *s;

	(void)state;
	s = pd_promfs_mangle("src x#y\\z\t\n", PD_PROMFS_SOURCE_SET);
	assert_string_equal(s, "src\\040x\\043y\\134z\\011\\012");
	free(s);
	/* the mount point keeps '#' (seq_path_root's set) */
	s = pd_promfs_mangle("/a b#c\\d", PD_PROMFS_PATH_SET);
	assert_string_equal(s, "/a\\040b#c\\134d");
	free(s);
	s = pd_promfs_mangle("", PD_PROMFS_PATH_SET);
	assert_string_equal(s, "");
	free(s);
}

/* /proc/1/mounts: "src\040x\043y\134z /a\040b#c\134d\011e tmpfs": what
 * node_exporter 1.5 makes of it (tests/cli/prom-join.sh runs the real
 * one). */
static void test_promfs_spell_as_node_exporter_does(void **state)
{
	struct pd_prom_label l[3];

	(void)state;
	assert_int_equal(pd_promfs_spell("src x#y\\z", "/a b#c\\d\te\nf",
					 "tmpfs", l), 0);
	assert_string_equal(l[0].name, "device");
	assert_string_equal(l[0].value, "src\\040x\\043y\\134z");
	assert_string_equal(l[1].name, "mountpoint");
	/* only \040 and \011 decoded */
	assert_string_equal(l[1].value, "/a b#c\\134d\te\\012f");
	assert_string_equal(l[2].name, "fstype");
	assert_string_equal(l[2].value, "tmpfs");
	pd_promfs_labels_release(l);
	assert_int_equal(pd_promfs_spell(NULL, "/", NULL, l), 0);
	assert_string_equal(l[0].value, "");
	assert_string_equal(l[2].value, "");
	pd_promfs_labels_release(l);
}

/* The dfdu tree's pid 1: /srv and /var/www are one XFS (8:17), /mnt/my
 * disk has a blank. */
static void test_promfs_labels_from_pid_1s_mounts(void **state)
{
	struct pd_prom_label l[3] = { { 0 } };
	struct pd_procfs *pfs;
	struct pd_promfs *pf;

	(void)state;
	assert_int_equal(pd_procfs_new(DFDU, &pfs), 0);
	assert_int_equal(pd_promfs_new(pfs, &pf), 0);
	/* by device: its mount on the tool's mount point */
	assert_int_equal(pd_promfs_labels(pf, makedev(8, 17), "/var/www",
					  "x", "y", l), 0);
	assert_string_equal(l[0].value, "/dev/sdb1");
	assert_string_equal(l[1].value, "/var/www");
	assert_string_equal(l[2].value, "xfs");
	pd_promfs_labels_release(l);
	/* the tool's mount point is none of pid 1's: its first of DEV */
	assert_int_equal(pd_promfs_labels(pf, makedev(8, 17), "/elsewhere",
					  NULL, NULL, l), 0);
	assert_string_equal(l[1].value, "/srv");
	pd_promfs_labels_release(l);
	assert_int_equal(pd_promfs_labels(pf, makedev(8, 49), NULL, NULL,
					  NULL, l), 0);
	assert_string_equal(l[0].value, "/dev/sdd1");
	assert_string_equal(l[1].value, "/mnt/my disk");
	pd_promfs_labels_release(l);
	/* a device pid 1 does not have, on a point it has (btrfs st_dev) */
	assert_int_equal(pd_promfs_labels(pf, makedev(0, 99), "/srv", NULL,
					  NULL, l), 0);
	assert_string_equal(l[0].value, "/dev/sdb1");
	pd_promfs_labels_release(l);
	/* neither: the tool's own, spelled the same way */
	assert_int_equal(pd_promfs_labels(pf, makedev(0, 99), "/x y", "a b",
					  "tmpfs", l), 0);
	assert_string_equal(l[0].value, "a\\040b");
	assert_string_equal(l[1].value, "/x y");
	assert_string_equal(l[2].value, "tmpfs");
	pd_promfs_labels_release(l);
	pd_promfs_free(pf);
	pd_procfs_free(pfs);
}

static void test_promfs_without_pid_1_takes_the_tools_values(void **state)
{
	struct pd_prom_label l[3] = { { 0 } };
	struct pd_procfs *pfs;
	struct pd_promfs *pf;

	(void)state;
	assert_int_equal(pd_procfs_new(ODDDEV, &pfs), 0);
	assert_int_equal(pd_promfs_new(pfs, &pf), 0);
	assert_int_equal(pd_promfs_labels(pf, makedev(0, 35), "/home",
					  "/dev/nvme0n1p3", "btrfs", l), 0);
	assert_string_equal(l[0].value, "/dev/nvme0n1p3");
	assert_string_equal(l[1].value, "/home");
	assert_string_equal(l[2].value, "btrfs");
	pd_promfs_labels_release(l);
	pd_promfs_free(pf);
	pd_promfs_free(NULL);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_promfs_mangle_is_the_kernels_octal),
		cmocka_unit_test(test_promfs_spell_as_node_exporter_does),
		cmocka_unit_test(test_promfs_labels_from_pid_1s_mounts),
		cmocka_unit_test(test_promfs_without_pid_1_takes_the_tools_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
