/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark workload for pssum: a crowd of processes that share some
 * memory, own some, and (optionally) have many mappings each.
 *
 * Usage: workload READYFILE NPROCS PRIVATE_KB SHARED_KB NMAPS
 *
 * The leader maps SHARED_KB of MAP_SHARED|MAP_ANONYMOUS memory and writes
 * all of it, then forks NPROCS children (comm "pssbench"; the leader is
 * "pssbench-lead"). Each child:
 *   - reads every page of the shared region (one more mapper each),
 *   - writes PRIVATE_KB of private anonymous memory of its own,
 *   - with NMAPS > 0, maps NMAPS pages in one go, writes them all and
 *     makes every other page read-only: NMAPS mappings (neighbours with
 *     different protections are never merged), one resident page each,
 *   - says it is ready and blocks on the hold pipe.
 * When every child is ready the leader writes "procs=N maps=M" to
 * READYFILE.tmp and renames it to READYFILE. It runs in its own process
 * group. On SIGTERM, SIGINT or SIGHUP it closes the hold pipe (children
 * see EOF and exit), reaps them and exits. Children also die with the
 * leader (PDEATHSIG).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Set up one child and block until the hold pipe closes. Never returns. */
static void child(int hold_rd, int ready_wr, pid_t leader,
		  volatile unsigned char *shared, size_t shared_len,
		  size_t private_len, long nmaps)
{
	volatile unsigned char sink = 0;
	unsigned char *p;
	char c = 'R';
	size_t off;
	long i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != leader)
		_exit(1);
	prctl(PR_SET_NAME, "pssbench");

	for (off = 0; off < shared_len; off += PAGE)
		sink ^= shared[off];
	(void)sink;
	if (private_len) {
		p = mmap(NULL, private_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			goto fail;
		memset(p, 0x5a, private_len);
	}
	if (nmaps > 0) {
		p = mmap(NULL, (size_t)nmaps * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			goto fail;
		memset(p, 0x3c, (size_t)nmaps * PAGE);
		for (i = 1; i < nmaps; i += 2)
			if (mprotect(p + (size_t)i * PAGE, PAGE, PROT_READ) < 0)
				goto fail;
	}

	if (write(ready_wr, &c, 1) != 1)
		_exit(1);
	close(ready_wr);
	for (;;) {
		ssize_t n = read(hold_rd, &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			_exit(0);
	}

fail:
	c = 'E';
	if (write(ready_wr, &c, 1) < 0)
		_exit(1);
	_exit(1);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

int main(int argc, char **argv)
{
	long nprocs, private_kb, shared_kb, nmaps, i, started = 0, ok = 0;
	long failed = 0;
	char tmp[4096];
	unsigned char *shared = NULL;
	size_t shared_len;
	int hold[2], ready[2];
	sigset_t mask, old;
	pid_t *pids, leader = getpid();
	FILE *f;

	if (argc != 6) {
		fprintf(stderr, "usage: workload READYFILE NPROCS PRIVATE_KB "
			"SHARED_KB NMAPS\n");
		return 2;
	}
	nprocs = strtol(argv[2], NULL, 10);
	private_kb = strtol(argv[3], NULL, 10);
	shared_kb = strtol(argv[4], NULL, 10);
	nmaps = strtol(argv[5], NULL, 10);
	if (nprocs < 1 || private_kb < 0 || shared_kb < 0 || nmaps < 0) {
		fprintf(stderr, "workload: bad arguments\n");
		return 2;
	}
	shared_len = (size_t)shared_kb * 1024;

	if (setpgid(0, 0) < 0)
		die("setpgid");
	close_range(3, ~0U, 0);
	prctl(PR_SET_NAME, "pssbench-lead");
	pids = calloc((size_t)nprocs, sizeof(*pids));
	if (!pids)
		die("calloc");
	if (shared_len) {
		shared = mmap(NULL, shared_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			die("mmap shared");
		memset(shared, 0xa5, shared_len);
	}
	if (pipe2(hold, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		die("pipe");

	/* Block the stop signals while forking; children reset them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGHUP, on_signal);
	sigprocmask(SIG_BLOCK, &mask, &old);
	for (i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "workload: fork #%ld: %s\n", i,
				strerror(errno));
			break;
		}
		if (pid == 0) {
			signal(SIGTERM, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(hold[1]);
			close(ready[0]);
			child(hold[0], ready[1], leader, shared, shared_len,
			      (size_t)private_kb * 1024, nmaps);
		}
		pids[started++] = pid;
	}
	close(hold[0]);
	close(ready[1]);

	while (ok + failed < started) {
		char buf[256];
		ssize_t n = read(ready[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t j = 0; j < n; j++) {
			if (buf[j] == 'R')
				ok++;
			else
				failed++;
		}
	}
	close(ready[0]);
	if (started < nprocs || ok < nprocs) {
		fprintf(stderr, "workload: only %ld of %ld children ready "
			"(%ld started, %ld failed)\n", ok, nprocs, started,
			failed);
		close(hold[1]);
		for (i = 0; i < started; i++)
			waitpid(pids[i], NULL, 0);
		return 1;
	}

	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "procs=%ld maps=%ld\n", nprocs, nmaps);
	if (fclose(f) != 0 || rename(tmp, argv[1]) < 0)
		die(argv[1]);

	while (!stop)
		sigsuspend(&old);

	close(hold[1]);
	for (i = 0; i < started; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
