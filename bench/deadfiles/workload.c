/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark workload for deadfiles: a crowd of processes holding ordinary
 * files, sockets, pipes, and a few deleted files, some of them only through
 * a memory mapping.
 *
 * Usage: workload DIR NPROCS FDS FILE_KB [many]
 *
 * Under DIR it makes live/ (a pool of ordinary files) and del/ (files that
 * are unlinked while still held). It forks NPROCS children; child i holds
 * about FDS descriptors (plus 0-2 on /dev/null):
 *   - a socketpair and a pipe (4 fds) and the read end of the hold pipe,
 *   - i % 10 == 0:  del/fd-NNNNN, deleted, held by an fd,
 *   - i % 25 == 12: del/map-NNNNN, deleted, held ONLY by a shared mmap
 *                   (the fd is closed),
 *   - i % 50 == 20+k (k < NSHARED): del/shared-k, deleted, opened by the
 *                   leader before fork, so several children share it,
 *   - i % 50 == 40: del/shared-map, deleted, mapped by the leader before
 *                   fork, mapped-only in every child that keeps it,
 *   - ordinary files from live/ for the rest.
 * With "many" (the "many holders" workload: log rotation without
 * copytruncate on a busy server), every child instead holds 4 deleted
 * files of its own by fd (del/fd-NNNNN-K), 1 held only by a shared mmap
 * (del/map-NNNNN) and 2 memfds, besides the shared ones and the filler.
 * Every deleted file has FILE_KB KiB of real (non-zero) data.
 *
 * When all children are set up it writes DIR/expected (key=value counts)
 * and DIR/expected.list (PATH KIND HOLDERS SIZE, one deleted file a line),
 * then creates DIR/ready. It runs in its own process group. On SIGTERM,
 * SIGINT or SIGHUP it closes the hold pipe (children see EOF and exit),
 * reaps them and exits. Children also die with the leader (PDEATHSIG).
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NLIVE 64	/* ordinary files in the pool */
#define NSHARED 5	/* deleted files shared through fork (fd) */

#define MANY_FD 4	/* "many": deleted files of its own per child, by fd */
#define MANY_MEMFD 2	/* "many": memfds per child */

static const char *dir;
static size_t file_bytes;
static int many;
static char *data;

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("workload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (errno)
		fprintf(stderr, ": %s", strerror(errno));
	fputc('\n', stderr);
	exit(1);
}

/* Create PATH with file_bytes of data; return an fd open read-write. */
static int make_file(const char *path, size_t bytes)
{
	size_t off = 0;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (off < bytes) {
		ssize_t n = write(fd, data + off, bytes - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return fd;
}

/* Deleted file held only by a mapping; returns the mapping or NULL. */
static void *make_mapped_only(const char *path)
{
	void *p;
	int fd = make_file(path, file_bytes);

	if (fd < 0)
		return NULL;
	p = mmap(NULL, file_bytes, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	if (unlink(path) < 0)
		return NULL;
	return p;
}

static int shared_holder(long i, long k)
{
	return i % 50 == 20 + k;
}

static int sharedmap_holder(long i)
{
	return i % 50 == 40;
}

/* Set up child I and block until the hold pipe closes. Never returns. */
static void child(long i, long fds, int hold_rd, int ready_wr,
		  const int *shared, void *shared_map, pid_t leader)
{
	char path[4096];
	long used = 0, k;
	int sv[2], pp[2], fd, nul;
	char c = 'R';

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != leader)
		_exit(1);
	prctl(PR_SET_NAME, "dfbench-child");

	nul = open("/dev/null", O_RDWR);
	if (nul < 0)
		goto fail;
	dup2(nul, 0);
	dup2(nul, 1);
	dup2(nul, 2);
	if (nul > 2)
		close(nul);

	/* What came from the leader: keep only our share. */
	for (k = 0; k < NSHARED; k++) {
		if (shared_holder(i, k)) {
			/* the inherited fd is O_CLOEXEC; that is fine */
			used++;
		} else {
			close(shared[k]);
		}
	}
	if (!sharedmap_holder(i))
		munmap(shared_map, file_bytes);
	used++;		/* hold_rd */

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		goto fail;
	if (pipe2(pp, O_CLOEXEC) < 0)
		goto fail;
	used += 4;

	if (many) {
		for (k = 0; k < MANY_FD; k++, used++) {
			snprintf(path, sizeof(path), "%s/del/fd-%05ld-%ld",
				 dir, i, k);
			fd = make_file(path, file_bytes);
			if (fd < 0 || unlink(path) < 0)
				goto fail;
		}
		for (k = 0; k < MANY_MEMFD; k++, used++)
			if (memfd_create("dfbench", MFD_CLOEXEC) < 0)
				goto fail;
		snprintf(path, sizeof(path), "%s/del/map-%05ld", dir, i);
		if (!make_mapped_only(path))
			goto fail;
	}
	if (!many && i % 10 == 0) {
		snprintf(path, sizeof(path), "%s/del/fd-%05ld", dir, i);
		fd = make_file(path, file_bytes);
		if (fd < 0 || unlink(path) < 0)
			goto fail;
		used++;
	}
	if (!many && i % 25 == 12) {
		snprintf(path, sizeof(path), "%s/del/map-%05ld", dir, i);
		if (!make_mapped_only(path))
			goto fail;
	}
	for (k = 0; used < fds; k++, used++) {
		snprintf(path, sizeof(path), "%s/live/f-%02ld", dir,
			 (i + k) % NLIVE);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
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
	long nprocs, fds, kib, i, k, started = 0, ok = 0, failed = 0;
	long fd_held = 0, map_only = 0, shared_fd = 0, shared_map_n = 0;
	long holders[NSHARED] = { 0 }, smap_holders = 0;
	int hold[2], ready[2], shared[NSHARED], dfd;
	char path[4096], tmp[4096];
	void *shared_map;
	struct rlimit rl;
	sigset_t mask, old;
	pid_t *pids, leader = getpid();
	FILE *f, *l;

	if (argc != 5 && !(argc == 6 && !strcmp(argv[5], "many"))) {
		fprintf(stderr, "usage: workload DIR NPROCS FDS FILE_KB [many]\n");
		return 2;
	}
	many = argc == 6;
	dir = argv[1];
	nprocs = strtol(argv[2], NULL, 10);
	fds = strtol(argv[3], NULL, 10);
	kib = strtol(argv[4], NULL, 10);
	if (nprocs < 1 || fds < 1 || kib < 1)
		die("bad arguments");
	file_bytes = (size_t)kib * 1024;

	if (setpgid(0, 0) < 0)
		die("setpgid");
	/* Whatever the caller left open would be counted in every child. */
	close_range(3, ~0U, 0);
	/* each child needs fds + a few; the leader only a handful */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)fds + 32) {
		rl.rlim_cur = rl.rlim_max;
		if (rl.rlim_cur < (rlim_t)fds + 32 || setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die("RLIMIT_NOFILE too low for FDS=%ld", fds);
	}

	data = malloc(file_bytes);
	pids = calloc((size_t)nprocs, sizeof(*pids));
	if (!data || !pids)
		die("malloc");
	for (size_t b = 0; b < file_bytes; b++)
		data[b] = (char)('a' + b % 26);

	snprintf(path, sizeof(path), "%s/live", dir);
	if (mkdir(path, 0700) < 0)
		die("mkdir %s", path);
	snprintf(path, sizeof(path), "%s/del", dir);
	if (mkdir(path, 0700) < 0)
		die("mkdir %s", path);
	for (i = 0; i < NLIVE; i++) {
		snprintf(path, sizeof(path), "%s/live/f-%02ld", dir, i);
		k = make_file(path, 4096);
		if (k < 0)
			die("create %s", path);
		close((int)k);
	}

	/* Who will hold the shared ones. */
	for (i = 0; i < nprocs; i++) {
		for (k = 0; k < NSHARED; k++)
			holders[k] += shared_holder(i, k);
		smap_holders += sharedmap_holder(i);
	}
	for (k = 0; k < NSHARED; k++) {
		snprintf(path, sizeof(path), "%s/del/shared-%ld", dir, k);
		shared[k] = make_file(path, file_bytes);
		if (shared[k] < 0 || unlink(path) < 0)
			die("create %s", path);
	}
	snprintf(path, sizeof(path), "%s/del/shared-map", dir);
	shared_map = make_mapped_only(path);
	if (!shared_map)
		die("create %s", path);

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
			child(i, fds, hold[0], ready[1], shared, shared_map,
			      leader);
		}
		pids[started++] = pid;
	}
	close(hold[0]);
	close(ready[1]);
	for (k = 0; k < NSHARED; k++)
		close(shared[k]);
	munmap(shared_map, file_bytes);

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
		fprintf(stderr, "workload: only %ld of %ld children ready (%ld started, %ld failed)\n",
			ok, nprocs, started, failed);
		close(hold[1]);
		for (i = 0; i < started; i++)
			waitpid(pids[i], NULL, 0);
		return 1;
	}

	/* Allocate the delayed blocks, so st_blocks is final. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}

	snprintf(path, sizeof(path), "%s/expected.list", dir);
	l = fopen(path, "w");
	if (!l)
		die("%s", path);
	for (i = 0; i < nprocs; i++) {
		for (k = 0; many && k < MANY_FD; k++) {
			fprintf(l, "%s/del/fd-%05ld-%ld fd 1 %zu\n", dir, i, k,
				file_bytes);
			fd_held++;
		}
		if (many) {
			fprintf(l, "%s/del/map-%05ld map-only 1 %zu\n", dir, i,
				file_bytes);
			map_only++;
		}
		if (!many && i % 10 == 0) {
			fprintf(l, "%s/del/fd-%05ld fd 1 %zu\n", dir, i, file_bytes);
			fd_held++;
		}
		if (!many && i % 25 == 12) {
			fprintf(l, "%s/del/map-%05ld map-only 1 %zu\n", dir, i, file_bytes);
			map_only++;
		}
	}
	for (k = 0; k < NSHARED; k++) {
		if (!holders[k])
			continue;
		fprintf(l, "%s/del/shared-%ld shared-fd %ld %zu\n", dir, k,
			holders[k], file_bytes);
		shared_fd++;
	}
	if (smap_holders) {
		fprintf(l, "%s/del/shared-map shared-map-only %ld %zu\n", dir,
			smap_holders, file_bytes);
		shared_map_n++;
	}
	if (fclose(l) != 0)
		die("%s", path);

	snprintf(path, sizeof(path), "%s/expected", dir);
	f = fopen(path, "w");
	if (!f)
		die("%s", path);
	fprintf(f, "leader=%d\nprocs=%ld\nfds=%ld\nfile_bytes=%zu\n"
		"distinct=%ld\nfd_held=%ld\nmapped_only=%ld\n"
		"shared_fd=%ld\nshared_map=%ld\n",
		(int)leader, nprocs, fds, file_bytes,
		fd_held + map_only + shared_fd + shared_map_n,
		fd_held + shared_fd, map_only + shared_map_n,
		shared_fd, shared_map_n);
	if (fclose(f) != 0)
		die("%s", path);

	snprintf(tmp, sizeof(tmp), "%s/ready.tmp", dir);
	snprintf(path, sizeof(path), "%s/ready", dir);
	f = fopen(tmp, "w");
	if (!f || fclose(f) != 0 || rename(tmp, path) < 0)
		die("%s", path);

	while (!stop)
		sigsuspend(&old);

	close(hold[1]);
	for (i = 0; i < started; i++)
		waitpid(pids[i], NULL, 0);
	return 0;
}
