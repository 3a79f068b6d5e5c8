/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process test_leader.c looks at: its thread-group leader exits
 * (syscall(SYS_exit), not exit_group) while a second thread lives on and
 * holds what the process made. The kernel then empties the leader's own
 * fd/, maps and exe (kernel/exit.c: exit_mm(), exit_files(), exit_fs()),
 * but keeps it as a zombie while the group has threads; only the live
 * thread's task/TID/ shows what the process holds.
 *
 * Usage: leader_worker FD [DIR]
 *   FD   the write end of the ready pipe (inherited); the leader writes
 *        one line on it, closes it and exits
 *   DIR  a directory on a tmpfs of the test's own: the process holds
 *        DIR/held, deleted, by a descriptor (1 MiB + 1 written), a memfd
 *        "pd-leader-memfd" of 2 MiB with 256 KiB written, and a shared
 *        mapping of DIR/mapped, deleted, its descriptor closed (512 KiB).
 *        Without DIR the process holds nothing of its own: the test runs
 *        it from a memfd copy (fexecve).
 *
 * The line, from fstat of each object:
 *   HELD_FD HELD_INO HELD_SIZE HELD_ALLOC MEMFD_FD MEMFD_INO MEMFD_SIZE
 *   MEMFD_ALLOC MAPPED_INO MAPPED_SIZE MAPPED_ALLOC
 * or "ready" without DIR; "fail STEP" when a step failed. The surviving
 * thread dies with the test (PR_SET_PDEATHSIG) and exits the process
 * after 600 s if nobody killed it before.
 * Built static and without sanitizers: it runs from a memfd.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

static int ready_fd = -1;

static void say(const char *line)
{
	size_t len = strlen(line), off = 0;

	while (off < len) {
		ssize_t n = write(ready_fd, line + off, len - off);

		if (n <= 0)
			_exit(3);
		off += (size_t)n;
	}
}

static void fail(int step)
{
	char line[32];

	snprintf(line, sizeof(line), "fail %d\n", step);
	say(line);
	_exit(2);
}

static void fill(int fd, size_t n)
{
	static char buf[64 * 1024];

	memset(buf, 'x', sizeof(buf));
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t w = write(fd, buf, k);

		if (w <= 0)
			fail(100);
		n -= (size_t)w;
	}
}

static void *survivor(void *arg)
{
	(void)arg;
	/* the thread's parent is the test: die with it */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sleep(600);
	exit(0);
}

static unsigned long long alloc_of(const struct stat *st)
{
	return (unsigned long long)st->st_blocks * 512;
}

int main(int argc, char **argv)
{
	struct stat held, memfd, mapped;
	char path[4096], line[512];
	int hfd, mfd, pfd;
	pthread_t t;

	if (argc < 2)
		return 1;
	ready_fd = atoi(argv[1]);
	if (argc > 2) {
		snprintf(path, sizeof(path), "%s/held", argv[2]);
		hfd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (hfd < 0)
			fail(1);
		fill(hfd, MIB + 1);
		if (unlink(path) < 0 || fstat(hfd, &held) < 0)
			fail(2);
		mfd = memfd_create("pd-leader-memfd", 0);
		if (mfd < 0 || ftruncate(mfd, 2 * MIB) < 0)
			fail(3);
		fill(mfd, 256 * KIB);
		if (fstat(mfd, &memfd) < 0)
			fail(4);
		snprintf(path, sizeof(path), "%s/mapped", argv[2]);
		pfd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (pfd < 0)
			fail(5);
		fill(pfd, 512 * KIB);
		if (mmap(NULL, 512 * KIB, PROT_READ, MAP_SHARED, pfd, 0) ==
		    MAP_FAILED)
			fail(6);
		if (fstat(pfd, &mapped) < 0 || unlink(path) < 0)
			fail(7);
		close(pfd);
		snprintf(line, sizeof(line),
			 "%d %llu %llu %llu %d %llu %llu %llu %llu %llu %llu\n",
			 hfd, (unsigned long long)held.st_ino,
			 (unsigned long long)held.st_size, alloc_of(&held),
			 mfd, (unsigned long long)memfd.st_ino,
			 (unsigned long long)memfd.st_size, alloc_of(&memfd),
			 (unsigned long long)mapped.st_ino,
			 (unsigned long long)mapped.st_size,
			 alloc_of(&mapped));
	} else {
		snprintf(line, sizeof(line), "ready\n");
	}
	if (pthread_create(&t, NULL, survivor, NULL) != 0)
		fail(8);
	say(line);
	close(ready_fd);
	/* the leader alone exits; the process lives on in the thread */
	syscall(SYS_exit, 0);
	return 0;
}
