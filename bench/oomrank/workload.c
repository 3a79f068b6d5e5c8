/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark workload for oomrank: a crowd of processes of different sizes
 * and oom_score_adj, so that ranking them is not trivial.
 *
 * Usage: workload DIR NPROCS KB_MAX
 *
 * Forks NPROCS children; child i
 *   - sets its oom_score_adj to (i * 37) % 1001 (0..1000; a negative one
 *     needs CAP_SYS_RESOURCE, which root may lack),
 *   - touches 4 + (i * 7919) % KB_MAX KiB of private anonymous memory,
 *   - every 5th also touches a 256 KiB shared anonymous mapping of its own
 *     (RssShmem), every 7th maps and reads its own binary (RssFile),
 * then blocks on the read end of the hold pipe. Every child reports on a
 * ready pipe; when all have, the leader writes DIR/expected (key=value:
 * procs, pids of the first and last child) and creates DIR/ready. It runs
 * in its own process group. On SIGTERM, SIGINT or SIGHUP it closes the hold
 * pipe (children see EOF and exit), reaps them and exits. Children also die
 * with the leader (PDEATHSIG).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	fputs("workload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	exit(1);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void touch(char *p, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = (char)(seed + i / 4096 + 1);
}

static void child(unsigned i, size_t kb_max, int hold, int ready, pid_t leader)
{
	size_t kb = 4 + (size_t)(i * 7919u) % kb_max;
	char adj[16], c;
	void *m;
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != leader)
		_exit(1);
	snprintf(adj, sizeof(adj), "%u", (i * 37u) % 1001u);
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, adj, strlen(adj)) < 0)
		_exit(2);
	close(fd);
	m = mmap(NULL, kb * 1024, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		_exit(3);
	touch(m, kb * 1024, i);
	if (i % 5 == 0) {
		m = mmap(NULL, 256 * 1024, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(4);
		touch(m, 256 * 1024, i);
	}
	if (i % 7 == 0) {
		struct stat st;
		volatile char sum = 0;
		size_t off;

		fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st) < 0)
			_exit(5);
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (m == MAP_FAILED)
			_exit(5);
		for (off = 0; off < (size_t)st.st_size; off += 4096)
			sum += ((const char *)m)[off];
	}
	if (write(ready, "r", 1) != 1)
		_exit(6);
	close(ready);
	/* EOF when the leader closes the write end or dies */
	while (read(hold, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long nprocs, kb_max;
	pid_t leader = getpid(), first = 0, last = 0, pid;
	int hold[2], ready[2];
	unsigned long i, up = 0;
	char path[4096], buf[256];
	FILE *f;

	if (argc != 4)
		die("usage: workload DIR NPROCS KB_MAX");
	nprocs = strtoul(argv[2], NULL, 10);
	kb_max = strtoul(argv[3], NULL, 10);
	if (!nprocs || !kb_max)
		die("NPROCS and KB_MAX must be positive");
	if (setpgid(0, 0) < 0)
		die("setpgid");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (pipe2(hold, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		die("pipe");

	for (i = 0; i < nprocs && !stop; i++) {
		pid = fork();
		if (pid < 0)
			die("fork (child %lu)", i);
		if (pid == 0) {
			close(hold[1]);
			close(ready[0]);
			child((unsigned)i, kb_max, hold[0], ready[1], leader);
		}
		if (!first)
			first = pid;
		last = pid;
		/* a child that finds the ready pipe full waits for the
		 * loop below: no need to drain it here */
	}
	close(hold[0]);
	close(ready[1]);
	while (up < nprocs && !stop) {
		ssize_t n = read(ready[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("only %lu of %lu children came up", up, nprocs);
		up += (unsigned long)n;
	}
	if (!stop) {
		snprintf(path, sizeof(path), "%s/expected", argv[1]);
		f = fopen(path, "w");
		if (!f)
			die("%s", path);
		fprintf(f, "procs=%lu\nfirst=%d\nlast=%d\n", nprocs, (int)first,
			(int)last);
		if (fclose(f))
			die("%s", path);
		snprintf(path, sizeof(path), "%s/ready", argv[1]);
		f = fopen(path, "w");
		if (!f || fclose(f))
			die("%s", path);
	}
	while (!stop)
		pause();
	close(hold[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
