/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The handshake between test_pssum.c and its static worker program
 * (pssum_worker.c): one record per worker on the ready pipe. */
#ifndef PD_PSSUM_WORKER_H
#define PD_PSSUM_WORKER_H

#include <stdint.h>

/* The step a worker failed at (0: none, it is ready and blocked). */
enum pd_worker_step {
	PD_WSTEP_NONE,
	PD_WSTEP_ARGS,
	PD_WSTEP_FORK,
	PD_WSTEP_CREDS,
	PD_WSTEP_PARENT,
	PD_WSTEP_PRIVATE,
	PD_WSTEP_VDSO,
};

/*
 * Written in one write() (well under PIPE_BUF, so records never mix) by
 * each worker once it is set up, or by whoever failed. idx is the
 * worker's place in the spec list, -1 for the leader.
 */
struct pd_worker_ready {
	int32_t idx;
	int32_t pid;
	int32_t step;		/* enum pd_worker_step */
	int32_t err;		/* errno of that step */
	uint64_t shared_addr;	/* start of the MAP_SHARED region, 0 if none */
	uint64_t shared_len;
	uint64_t private_addr;	/* start of the private dirty region */
	uint64_t private_len;
};

/* The role word of argv: the leader's, overwritten in place (same
 * length) by each worker, so /proc/PID/cmdline tells them apart. */
#define PD_WORKER_ROLE_LEADER "leader"
#define PD_WORKER_ROLE_WORKER "worker"

/* The name of the memfd behind each private region: pssum -m shows the
 * mapping as "/memfd:" PD_WORKER_MEMFD " (deleted)". */
#define PD_WORKER_MEMFD "pd-private"

#endif
