/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmark workload for memfind: a crowd of processes holding ordinary
 * files, sockets and pipes, some of them memfds, POSIX shm files and SysV
 * segments, a few only through a mapping.
 *
 * Usage: workload DIR NPROCS TAG
 *
 * It forks NPROCS children in a process group of its own; child i holds a
 * socketpair, a pipe, the read end of the hold pipe and four ordinary files
 * of DIR/live, and:
 *   - i % 10 == 0:  memfd "TAG-fd-NNNNN" (64 KiB written), held by an fd;
 *   - i % 25 == 12: memfd "TAG-map-NNNNN" (64 KiB), held ONLY by a shared
 *                   mapping (fd closed);
 *   - i % 50 == 20: a POSIX shm file "/TAG-NNNNN" (64 KiB), held by an fd;
 *   - i % 50 == 30: a SysV segment of its own (64 KiB touched), attached;
 *   - i % 100 == 5: the memfd "TAG-shared", made by the leader before
 *                   forking (one object, many holders).
 * The leader also leaves one POSIX shm file nobody holds ("/TAG-orphan")
 * and two SysV segments nobody attaches.
 *
 * When every child is set up it writes DIR/expected.list (KIND NAME HOLDERS
 * one object a line: memfd names as the link shows them, posix paths, SysV
 * shmids) and creates DIR/ready. On SIGTERM, SIGINT or SIGHUP it closes the
 * hold pipe, reaps the children, removes its shm files and segments, exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define OBJ_BYTES (64 * 1024)
#define NLIVE 16

static const char *dir, *tag;
static int *shmids;
static int nshmids;
static int nprocs;
static volatile sig_atomic_t stop;

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("workload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void fill(int fd)
{
	static char buf[OBJ_BYTES];

	memset(buf, 0x5a, sizeof(buf));
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		die("pwrite: %s", strerror(errno));
}

static int new_memfd(const char *kind, int i)
{
	char name[128];
	int fd;

	snprintf(name, sizeof(name), "%s-%s-%05d", tag, kind, i);
	fd = memfd_create(name, 0);
	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	fill(fd);
	return fd;
}

static void child(int i, int hold_fd, int ready_fd, int shared_memfd,
		  int shmid)
{
	char path[512];
	int sv[2], p[2], k;
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(p) < 0)
		_exit(1);
	for (k = 0; k < 4; k++) {
		snprintf(path, sizeof(path), "%s/live/f%02d", dir, (i + k) % NLIVE);
		if (open(path, O_RDONLY) < 0)
			_exit(1);
	}
	if (i % 10 == 0)
		new_memfd("fd", i);
	if (i % 25 == 12) {
		int fd = new_memfd("map", i);

		if (mmap(NULL, OBJ_BYTES, PROT_READ, MAP_SHARED, fd, 0) ==
		    MAP_FAILED)
			_exit(1);
		close(fd);
	}
	if (i % 50 == 20) {
		int fd;

		snprintf(path, sizeof(path), "/%s-%05d", tag, i);
		fd = shm_open(path, O_RDWR | O_CREAT, 0600);
		if (fd < 0)
			_exit(1);
		fill(fd);
	}
	if (i % 50 == 30) {
		char *m = shmat(shmid, NULL, 0);

		if (m == (void *)-1)
			_exit(1);
		memset(m, 1, OBJ_BYTES);
	}
	if (i % 100 != 5)
		close(shared_memfd);
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	close(ready_fd);
	/* wait for the leader to close the hold pipe */
	while (read(hold_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void cleanup(void)
{
	char path[256];
	int i;

	for (i = 0; i < nprocs; i++) {
		if (i % 50 == 20) {
			snprintf(path, sizeof(path), "/%s-%05d", tag, i);
			shm_unlink(path);
		}
	}
	snprintf(path, sizeof(path), "/%s-orphan", tag);
	shm_unlink(path);
	for (i = 0; i < nshmids; i++)
		shmctl(shmids[i], IPC_RMID, NULL);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	char path[512];
	int hold[2], ready[2], shared, i, orphan[2], n_shared = 0, got = 0;
	FILE *f;

	if (argc != 4)
		die("usage: workload DIR NPROCS TAG");
	dir = argv[1];
	nprocs = atoi(argv[2]);
	tag = argv[3];
	if (nprocs <= 0)
		die("bad NPROCS");
	setpgid(0, 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	snprintf(path, sizeof(path), "%s/live", dir);
	if (mkdir(path, 0700) < 0)
		die("mkdir %s: %s", path, strerror(errno));
	for (i = 0; i < NLIVE; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/live/f%02d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT, 0600);
		if (fd < 0)
			die("create %s: %s", path, strerror(errno));
		close(fd);
	}
	shmids = calloc((size_t)nprocs + 2, sizeof(*shmids));
	if (!shmids)
		die("out of memory");
	atexit(cleanup);
	for (i = 0; i < 2; i++) {
		orphan[i] = shmget(IPC_PRIVATE, OBJ_BYTES, IPC_CREAT | 0600);
		if (orphan[i] < 0)
			die("shmget: %s", strerror(errno));
		shmids[nshmids++] = orphan[i];
	}
	snprintf(path, sizeof(path), "/%s-orphan", tag);
	i = shm_open(path, O_RDWR | O_CREAT, 0600);
	if (i < 0)
		die("shm_open: %s", strerror(errno));
	fill(i);
	close(i);
	shared = new_memfd("shared", 0);
	if (pipe(hold) < 0 || pipe(ready) < 0)
		die("pipe: %s", strerror(errno));

	f = fopen(strcat(strcpy(path, dir), "/expected.list"), "w");
	if (!f)
		die("expected.list: %s", strerror(errno));
	for (i = 0; i < nprocs && !stop; i++) {
		int shmid = -1;
		pid_t pid;

		if (i % 50 == 30) {
			shmid = shmget(IPC_PRIVATE, OBJ_BYTES, IPC_CREAT | 0600);
			if (shmid < 0)
				die("shmget: %s", strerror(errno));
			shmids[nshmids++] = shmid;
			fprintf(f, "sysv %d 1\n", shmid);
		}
		pid = fork();
		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid == 0) {
			close(hold[1]);
			close(ready[0]);
			child(i, hold[0], ready[1], shared, shmid);
		}
		if (i % 10 == 0)
			fprintf(f, "memfd /memfd:%s-fd-%05d 1\n", tag, i);
		if (i % 25 == 12)
			fprintf(f, "memfd /memfd:%s-map-%05d 1\n", tag, i);
		if (i % 50 == 20)
			fprintf(f, "posix /dev/shm/%s-%05d 1\n", tag, i);
		n_shared += i % 100 == 5;
	}
	/* the leader holds it too */
	fprintf(f, "memfd /memfd:%s-shared-00000 %d\n", tag, n_shared + 1);
	fprintf(f, "posix /dev/shm/%s-orphan 0\n", tag);
	fprintf(f, "sysv %d 0\nsysv %d 0\n", orphan[0], orphan[1]);
	fclose(f);
	close(hold[0]);
	close(ready[1]);
	/* every child says it is set up (EOF: one died) */
	while (got < i) {
		char buf[256];
		ssize_t n = read(ready[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR && !stop)
			continue;
		if (n <= 0)
			die("only %d of %d children came up", got, i);
		got += (int)n;
	}
	close(ready[0]);
	snprintf(path, sizeof(path), "%s/ready", dir);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	while (!stop)
		pause();
	close(hold[1]);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	return 0;
}
