/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pressure: PSI text (/proc/pressure, memory.pressure): parser, reader. */
#ifndef PD_PRESSURE_H
#define PD_PRESSURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procfs.h"

/*
 * One line of a PSI file, kernel/sched/psi.c psi_show():
 * "some avg10=1.53 avg60=0.87 avg300=0.25 total=123456789". The averages
 * are percentages kept exactly as printed, in hundredths (1.53% is 153,
 * 100.00% is 10000); total is the stall time in microseconds.
 */
struct pd_psi {
	bool present;		/* the file has this line */
	uint32_t avg10, avg60, avg300;
	uint64_t total_us;
};

/*
 * A PSI file: "some" and "full". Since 4.20 memory and io print both; cpu
 * prints only "some" before 5.13 (then "full" too, all zero at the system
 * level); irq (6.1+) prints only "full". An absent line is present=false.
 */
struct pd_pressure {
	struct pd_psi some, full;
};

/*
 * Parse BUF (LEN bytes). Lines that start with neither "some " nor "full "
 * are skipped; within a line the fields avg10=, avg60=, avg300= and total=
 * are required (in any order), others are skipped; an average is
 * "<digits>.<two digits>". The first of two equal lines wins. Returns 0,
 * -EINVAL when a some/full line is malformed or when there is none.
 */
int pd_pressure_parse(const char *buf, size_t len, struct pd_pressure *ret_p);

/*
 * Read "pressure/RESOURCE" ("memory", "cpu", "io", "irq") of the proc root
 * PFS. Returns 0 or -errno: -ENOENT without CONFIG_PSI (or psi=0 at
 * boot), -EOPNOTSUPP when the kernel has it disabled.
 */
int pd_pressure_read(struct pd_procfs *pfs, const char *resource,
		     struct pd_pressure *ret_p);

/*
 * Read NAME under DIRFD: a cgroup's "memory.pressure" (cgroup v2 only).
 * Returns 0 or -errno: -ENOENT on cgroup v1, -EOPNOTSUPP when the
 * cgroup's cgroup.pressure is 0 (6.3+).
 */
int pd_pressure_read_at(int dirfd, const char *name,
			struct pd_pressure *ret_p);

#endif
