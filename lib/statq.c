/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statq: stat a magic link, or open a path that crosses mounts, under a
 * deadline, so a dead NFS or FUSE server cannot hang the tool. */
#include "statq.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/statvfs.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct pd_statq {
	struct pd_procfs *pfs;
	unsigned timeout_ms;
};

enum job_kind {
	JOB_STAT,		/* fstatat */
	JOB_STATVFS,		/* statvfs */
	JOB_OPEN,		/* openat, then statx of what it opened */
};

/* Shared by the caller and one worker; the last one out frees it. */
struct statq_job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool done;
	enum job_kind kind;
	int pidfd;		/* a dup: the caller may close its own */
	char *rel;
	int flags;		/* JOB_OPEN: of openat */
	bool want_stx;		/* JOB_OPEN: statx too */
	int result;
	int fd;			/* JOB_OPEN: what it opened, until the caller
				 * takes it; the last one out closes it */
	struct stat st;
	struct statvfs sv;
	struct statx stx;
};

int pd_statq_new(struct pd_procfs *pfs, unsigned timeout_ms,
		 struct pd_statq **ret_q)
{
	struct pd_statq *q = calloc(1, sizeof(*q));

	if (!q)
		return -ENOMEM;
	q->pfs = pfs;
	q->timeout_ms = timeout_ms;
	*ret_q = q;
	return 0;
}

void pd_statq_free(struct pd_statq *q)
{
	free(q);
}

static void job_put(struct statq_job *job)
{
	bool last;

	pthread_mutex_lock(&job->lock);
	last = --job->refs == 0;
	pthread_mutex_unlock(&job->lock);
	if (!last)
		return;
	if (job->pidfd >= 0)
		close(job->pidfd);
	/* opened after the caller gave up: nobody else will close it */
	if (job->fd >= 0)
		close(job->fd);
	free(job->rel);
	pthread_cond_destroy(&job->cond);
	pthread_mutex_destroy(&job->lock);
	free(job);
}

/* JOB_OPEN: the first stat of a FUSE or NFS root may ask its server too,
 * so it is done here, not by the caller. Returns the fd or -errno. */
static int job_open(struct statq_job *job, struct statx *ret_stx)
{
	int fd, r;

	do
		fd = openat(job->pidfd, job->rel, job->flags | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	if (job->want_stx &&
	    statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS | STATX_MNT_ID,
		  ret_stx) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

static void *statq_worker(void *arg)
{
	struct statq_job *job = arg;
	struct statvfs sv;
	struct statx stx;
	struct stat st;
	int r = 0, fd = -1;

	memset(&st, 0, sizeof(st));
	memset(&sv, 0, sizeof(sv));
	memset(&stx, 0, sizeof(stx));
	switch (job->kind) {
	case JOB_STAT:
		if (fstatat(job->pidfd, job->rel, &st, 0) < 0)
			r = -errno;
		break;
	case JOB_STATVFS:
		if (statvfs(job->rel, &sv) < 0)
			r = -errno;
		break;
	case JOB_OPEN:
		fd = job_open(job, &stx);
		if (fd < 0)
			r = fd;
		break;
	}
	pthread_mutex_lock(&job->lock);
	job->result = r;
	job->st = st;
	job->sv = sv;
	job->stx = stx;
	job->fd = fd;
	job->done = true;
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	job_put(job);
	return NULL;
}

/* Returns 0, -ENOMEM, or -errno of duplicating PIDFD (EBADF, EMFILE). */
static int job_new(int pidfd, const char *rel, struct statq_job **ret_job)
{
	struct statq_job *job = calloc(1, sizeof(*job));
	pthread_condattr_t ca;
	int r;

	if (!job)
		return -ENOMEM;
	job->fd = -1;
	/* AT_FDCWD (a path given by the user) needs no dup */
	job->pidfd = pidfd == AT_FDCWD ? AT_FDCWD :
		     fcntl(pidfd, F_DUPFD_CLOEXEC, 3);
	if (job->pidfd < 0 && job->pidfd != AT_FDCWD) {
		r = -errno;
		goto out_free;
	}
	job->rel = strdup(rel);
	if (!job->rel) {
		r = -ENOMEM;
		goto out_close;
	}
	pthread_mutex_init(&job->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&job->cond, &ca);
	pthread_condattr_destroy(&ca);
	job->refs = 2;
	*ret_job = job;
	return 0;

out_close:
	if (job->pidfd >= 0)
		close(job->pidfd);
out_free:
	free(job);
	return r;
}

/* What a job hands back besides its result; NULL members are not wanted. */
struct job_out {
	struct stat *st;
	struct statvfs *sv;
	struct statx *stx;
	int *fd;
};

/* Run JOB in a detached worker and wait for it until the deadline; the
 * job is the caller's no more afterwards. Returns the job's result (with
 * OUT filled), -ETIMEDOUT, or -errno of starting it. */
static int statq_run(struct pd_statq *q, struct statq_job *job,
		     const struct job_out *out)
{
	struct timespec deadline;
	pthread_attr_t attr;
	pthread_t th;
	int r;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* The worker makes one or two system calls: a small stack is plenty. */
	pthread_attr_setstacksize(&attr, 64 * 1024);
	r = -pthread_create(&th, &attr, statq_worker, job);
	pthread_attr_destroy(&attr);
	if (r < 0) {
		job->refs = 1;
		job_put(job);
		return r;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += q->timeout_ms / 1000;
	deadline.tv_nsec += (long)(q->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&job->lock);
	while (!job->done) {
		if (pthread_cond_timedwait(&job->cond, &job->lock,
					   &deadline) == ETIMEDOUT)
			break;
	}
	if (job->done) {
		r = job->result;
		if (r == 0 && out->st)
			*out->st = job->st;
		if (r == 0 && out->sv)
			*out->sv = job->sv;
		if (r == 0 && out->stx)
			*out->stx = job->stx;
		if (r == 0 && out->fd) {
			*out->fd = job->fd;
			job->fd = -1;
		}
	} else {
		r = -ETIMEDOUT;
	}
	pthread_mutex_unlock(&job->lock);
	job_put(job);
	return r;
}

int pd_statq_stat(struct pd_statq *q, int pidfd, const char *rel,
		  struct stat *ret_st)
{
	struct statq_job *job = NULL;
	int r;

	/* A captured tree has no live file system behind it to hang on. */
	if (pd_procfs_is_captured(q->pfs) && pidfd != AT_FDCWD)
		return pd_procfs_stat_link(q->pfs, pidfd, rel, ret_st);

	r = job_new(pidfd, rel, &job);
	if (r < 0)
		return r;
	job->kind = JOB_STAT;
	return statq_run(q, job, &(struct job_out){ .st = ret_st });
}

int pd_statq_statvfs(struct pd_statq *q, const char *path,
		     struct statvfs *ret_sv)
{
	struct statq_job *job = NULL;
	int r;

	r = job_new(AT_FDCWD, path, &job);
	if (r < 0)
		return r;
	job->kind = JOB_STATVFS;
	return statq_run(q, job, &(struct job_out){ .sv = ret_sv });
}

int pd_statq_open(struct pd_statq *q, int dirfd, const char *path, int flags,
		  int *ret_fd, struct statx *ret_stx)
{
	struct statq_job *job = NULL;
	int r;

	r = job_new(dirfd, path, &job);
	if (r < 0)
		return r;
	job->kind = JOB_OPEN;
	job->flags = flags;
	job->want_stx = ret_stx != NULL;
	return statq_run(q, job, &(struct job_out){ .stx = ret_stx,
						     .fd = ret_fd });
}
