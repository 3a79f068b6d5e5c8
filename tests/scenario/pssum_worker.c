/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The processes test_pssum.c measures: a leader that maps a shared region
 * and forks workers that each map it too, dirty a private region, and
 * block. Built static and without sanitizers, and each worker unmaps its
 * vDSO, so that no page of a worker is mapped by anything but this
 * program's processes: not pssum (which maps libc, ld.so and the vDSO),
 * not the test. A worker's smaps_rollup then holds still while pssum runs
 * and after, to the byte, and the test can compare pssum's sums with
 * rollups it reads itself.
 *
 * Usage: pssum_worker FD SHARED_BYTES MARKER leader SPEC...
 *   FD            the write end of the ready pipe (inherited)
 *   SHARED_BYTES  size of the MAP_SHARED|MAP_ANONYMOUS region the leader
 *                 maps and writes in full before forking (0: none)
 *   MARKER        any word; it makes the command line unique
 *   SPEC          COMM:UID:PRIVATE_BYTES, one worker each
 *
 * Each worker: takes UID (real, effective, saved; gid the same number),
 * names itself COMM (prctl PR_SET_NAME), reads every page of the shared
 * region, maps PRIVATE_BYTES of a memfd named "pd-private" MAP_PRIVATE and
 * writes all of it (anonymous copies: private dirty), turns its "leader"
 * argument into "worker" in place, unmaps its vDSO, writes its record
 * (struct pd_worker_ready) on FD and pauses forever. The leader writes its
 * own record (idx -1) once every worker is forked, and pauses too; it keeps
 * the shared region, so the region has one mapper more than the workers.
 * The leader dies with its parent, the workers with the leader
 * (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

#include "pssum_worker.h"

#define MAX_SPECS 64

struct spec {
	char comm[16];
	uid_t uid;
	uint64_t private_bytes;
};

static int ready_fd = -1;

static void report(const struct pd_worker_ready *r)
{
	ssize_t n;

	do
		n = write(ready_fd, r, sizeof(*r));
	while (n < 0 && errno == EINTR);
}

static void fail(struct pd_worker_ready *r, enum pd_worker_step step,
		 int err)
{
	r->step = step;
	r->err = err ? err : EINVAL;
	report(r);
	_exit(1);
}

static int parse_u64(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*ret = v;
	return 0;
}

static int parse_spec(const char *arg, struct spec *ret)
{
	const char *c1 = strchr(arg, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char num[32];
	uint64_t uid;
	size_t n;

	if (!c1 || !c2 || c1 == arg || (size_t)(c1 - arg) >= sizeof(ret->comm))
		return -1;
	memset(ret, 0, sizeof(*ret));
	memcpy(ret->comm, arg, (size_t)(c1 - arg));
	n = (size_t)(c2 - c1 - 1);
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, c1 + 1, n);
	num[n] = '\0';
	if (parse_u64(num, &uid) < 0 || uid > 65535)
		return -1;
	ret->uid = (uid_t)uid;
	return parse_u64(c2 + 1, &ret->private_bytes);
}

/* Unmap the vDSO (its pages are mapped by every process on the system,
 * pssum included). Returns 0 or an errno. Nothing here calls the vDSO
 * afterwards: the worker only pauses. */
static int unmap_vdso(void)
{
	static char buf[1 << 16];
	unsigned long at = getauxval(AT_SYSINFO_EHDR);
	char *line, *nl;
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!at)
		return 0;	/* no vDSO (vdso=0 on the kernel command line) */
	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (n < 0)
		return errno;
	buf[len] = '\0';
	/* The mapping that starts where the auxiliary vector says. */
	for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) != 2 || lo != at)
			continue;
		if (munmap((void *)lo, hi - lo) < 0)
			return errno;
		return 0;
	}
	return ENOENT;
}

static void worker(int idx, const struct spec *sp, char *role,
		   volatile unsigned char *shared, uint64_t shared_len,
		   pid_t leader)
{
	struct pd_worker_ready r = { .idx = idx, .pid = getpid() };
	volatile unsigned char sink = 0;
	unsigned char *priv = NULL;
	uint64_t off;
	int fd, e;

	r.shared_addr = (uint64_t)(uintptr_t)shared;
	r.shared_len = shared_len;
	if (sp->uid != 0) {
		gid_t gid = (gid_t)sp->uid;

		if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(sp->uid, sp->uid, sp->uid) < 0)
			fail(&r, PD_WSTEP_CREDS, errno);
		/* A change of credentials makes us undumpable, and clears the
		 * parent death signal: restore both. */
		if (prctl(PR_SET_DUMPABLE, 1) < 0)
			fail(&r, PD_WSTEP_CREDS, errno);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != leader)
		fail(&r, PD_WSTEP_PARENT, errno);
	if (prctl(PR_SET_NAME, sp->comm) < 0)
		fail(&r, PD_WSTEP_CREDS, errno);

	/* Map every page of the shared region: one more mapper each. */
	for (off = 0; off < shared_len; off += 4096)
		sink ^= shared[off];
	(void)sink;

	if (sp->private_bytes) {
		fd = memfd_create(PD_WORKER_MEMFD, MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)sp->private_bytes) < 0)
			fail(&r, PD_WSTEP_PRIVATE, errno);
		priv = mmap(NULL, sp->private_bytes, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE, fd, 0);
		if (priv == MAP_FAILED)
			fail(&r, PD_WSTEP_PRIVATE, errno);
		close(fd);
		/* Every page written: an anonymous copy of our own each. */
		memset(priv, 0x5a, sp->private_bytes);
		r.private_addr = (uint64_t)(uintptr_t)priv;
		r.private_len = sp->private_bytes;
	}
	memcpy(role, PD_WORKER_ROLE_WORKER, sizeof(PD_WORKER_ROLE_WORKER) - 1);
	e = unmap_vdso();
	if (e)
		fail(&r, PD_WSTEP_VDSO, e);
	report(&r);
	close(ready_fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	struct pd_worker_ready r = { .idx = -1, .pid = getpid() };
	static struct spec specs[MAX_SPECS];
	unsigned char *shared = NULL;
	uint64_t fd, shared_len;
	pid_t leader = getpid();
	int n, i;

	if (argc < 6 || parse_u64(argv[1], &fd) < 0 || fd > 1024 ||
	    parse_u64(argv[2], &shared_len) < 0) {
		fprintf(stderr, "usage: pssum_worker FD SHARED_BYTES MARKER "
			"leader COMM:UID:PRIVATE_BYTES...\n");
		return 2;
	}
	ready_fd = (int)fd;
	/* Set before the exec by the test; check the parent is still there. */
	if (getppid() == 1)
		fail(&r, PD_WSTEP_PARENT, ESRCH);
	n = argc - 5;
	if (n > MAX_SPECS || strcmp(argv[4], PD_WORKER_ROLE_LEADER) != 0)
		fail(&r, PD_WSTEP_ARGS, E2BIG);
	for (i = 0; i < n; i++)
		if (parse_spec(argv[5 + i], &specs[i]) < 0)
			fail(&r, PD_WSTEP_ARGS, EINVAL);
	prctl(PR_SET_NAME, "pssum-leader");

	if (shared_len) {
		shared = mmap(NULL, shared_len, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			fail(&r, PD_WSTEP_ARGS, errno);
		/* Every page made, before any worker maps it. */
		memset(shared, 0xa5, shared_len);
		r.shared_addr = (uint64_t)(uintptr_t)shared;
		r.shared_len = shared_len;
	}
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail(&r, PD_WSTEP_FORK, errno);
		if (pid == 0)
			worker(i, &specs[i], argv[4], shared, shared_len,
			       leader);
	}
	report(&r);
	close(ready_fd);
	for (;;)
		pause();
}
