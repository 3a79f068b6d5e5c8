/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/pressure: PSI with and without "full", exact decimals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "pressure.h"

#define SAMPLES PD_FIXTURES_DIR "/memwhere/samples"
#define PROC PD_FIXTURES_DIR "/memwhere/proc"

static int parse(const char *text, struct pd_pressure *p)
{
	return pd_pressure_parse(text, strlen(text), p);
}

static void test_pressure_parse_some_and_full_exactly(void **state)
{
	struct pd_pressure p;

	(void)state;
	assert_int_equal(parse("some avg10=1.53 avg60=0.87 avg300=0.25 "
			       "total=123456789\n"
			       "full avg10=0.70 avg60=0.31 avg300=0.08 "
			       "total=45678901\n", &p), 0);
	assert_true(p.some.present);
	assert_int_equal(p.some.avg10, 153);
	assert_int_equal(p.some.avg60, 87);
	assert_int_equal(p.some.avg300, 25);
	assert_int_equal(p.some.total_us, 123456789);
	assert_true(p.full.present);
	assert_int_equal(p.full.avg10, 70);
	assert_int_equal(p.full.avg60, 31);
	assert_int_equal(p.full.avg300, 8);
	assert_int_equal(p.full.total_us, 45678901);
}

/* cpu from 4.20 to 5.12: only "some" */
static void test_pressure_without_full_line_has_full_absent(void **state)
{
	struct pd_pressure p;

	(void)state;
	memset(&p, 0x55, sizeof(p));
	assert_int_equal(parse("some avg10=12.05 avg60=100.00 avg300=0.00 "
			       "total=9876543210\n", &p), 0);
	assert_true(p.some.present);
	assert_int_equal(p.some.avg10, 1205);
	assert_int_equal(p.some.avg60, 10000);
	assert_int_equal(p.some.avg300, 0);
	assert_int_equal(p.some.total_us, 9876543210ull);
	assert_false(p.full.present);
	assert_int_equal(p.full.avg10, 0);
	assert_int_equal(p.full.total_us, 0);
}

/* /proc/pressure/irq (6.1+): only "full" */
static void test_pressure_only_full_has_some_absent(void **state)
{
	struct pd_pressure p;

	(void)state;
	assert_int_equal(parse("full avg10=0.00 avg60=0.01 avg300=0.00 "
			       "total=5432", &p), 0);
	assert_false(p.some.present);
	assert_true(p.full.present);
	assert_int_equal(p.full.avg60, 1);
	assert_int_equal(p.full.total_us, 5432);
}

static void test_pressure_tolerates_new_fields_and_order(void **state)
{
	struct pd_pressure p;

	(void)state;
	assert_int_equal(parse("# a future header\n"
			       "some total=7 avg300=0.03 avg60=0.02 "
			       "avg10=0.01 max=99\n"
			       "some avg10=9.99 avg60=9.99 avg300=9.99 total=9\n",
			       &p), 0);
	/* the first "some" wins */
	assert_int_equal(p.some.avg10, 1);
	assert_int_equal(p.some.avg60, 2);
	assert_int_equal(p.some.avg300, 3);
	assert_int_equal(p.some.total_us, 7);
	assert_false(p.full.present);
}

static void test_pressure_malformed_lines_are_einval(void **state)
{
	static const char *const bad[] = {
		"",
		"nothing here\n",
		"some avg10=1.5 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=1.500 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=.50 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=1,50 avg60=0.00 avg300=0.00 total=1\n",
		"some avg10=0.00 avg60=0.00 total=1\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n",
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=18446744073709551616\n",
		"some avg10=42949673.00 avg60=0.00 avg300=0.00 total=1\n",
		"full avg10=0.00 avg60=0.00 avg300=0.00 total=1x\n",
	};
	struct pd_pressure p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &p) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
}

static void test_pressure_read_fixture_and_real_samples(void **state)
{
	struct pd_procfs *pfs;
	struct pd_pressure p;
	int dfd;

	(void)state;
	assert_int_equal(pd_procfs_new(PROC, &pfs), 0);
	assert_int_equal(pd_pressure_read(pfs, "memory", &p), 0);
	assert_int_equal(p.full.total_us, 45678901);
	assert_int_equal(pd_pressure_read(pfs, "cpu", &p), 0);
	assert_false(p.full.present);
	assert_int_equal(pd_pressure_read(pfs, "irq", &p), -ENOENT);
	pd_procfs_free(pfs);

	/* real text of a 6.18 machine under load */
	dfd = open(SAMPLES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	assert_int_equal(pd_pressure_read_at(dfd, "pressure-cpu", &p), 0);
	assert_int_equal(p.some.avg10, 303);
	assert_int_equal(p.some.avg60, 1113);
	assert_int_equal(p.some.avg300, 1526);
	assert_int_equal(p.some.total_us, 95231998);
	assert_true(p.full.present);
	assert_int_equal(p.full.total_us, 0);
	assert_int_equal(pd_pressure_read_at(dfd, "pressure-memory", &p), 0);
	assert_int_equal(p.some.total_us, 4032);
	assert_int_equal(p.full.total_us, 2854);
	assert_int_equal(pd_pressure_read_at(dfd,
			 "cgroup2-root-memory.pressure", &p), 0);
	assert_true(p.some.present);
	assert_true(p.full.present);
	close(dfd);
}

static void test_pressure_read_live_memory_when_the_kernel_has_psi(void **state)
{
	struct pd_procfs *pfs;
	struct pd_pressure p;
	int r;

	(void)state;
	assert_int_equal(pd_procfs_new(NULL, &pfs), 0);
	r = pd_pressure_read(pfs, "memory", &p);
	if (r == -ENOENT || r == -EOPNOTSUPP) {
		pd_procfs_free(pfs);
		skip();
	}
	assert_int_equal(r, 0);
	/* memory has both lines on every PSI kernel */
	assert_true(p.some.present);
	assert_true(p.full.present);
	assert_true(p.some.avg10 <= 10000);
	pd_procfs_free(pfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pressure_parse_some_and_full_exactly),
		cmocka_unit_test(test_pressure_without_full_line_has_full_absent),
		cmocka_unit_test(test_pressure_only_full_has_some_absent),
		cmocka_unit_test(test_pressure_tolerates_new_fields_and_order),
		cmocka_unit_test(test_pressure_malformed_lines_are_einval),
		cmocka_unit_test(test_pressure_read_fixture_and_real_samples),
		cmocka_unit_test(test_pressure_read_live_memory_when_the_kernel_has_psi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
