/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statq: the calls that may reach a file system that does not answer (a
 * stat of a magic link or a path, statvfs, open, syncfs) under a deadline,
 * so a dead NFS or FUSE server or a stuck device cannot hang the tool. */
#include "statq.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum statq_op { OP_STAT, OP_STATVFS, OP_OPEN };

/* One call: the caller's until posted; then the worker's to free if the
 * caller gave up on it. */
struct statq_job {
	enum statq_op op;
	int dirfd;		/* a dup (the caller may close its own), or
				 * AT_FDCWD */
	char *rel;
	int flags;		/* OP_OPEN */
	int result;
	int fd;			/* OP_OPEN: the new fd until taken */
	struct stat st;
	struct statvfs sv;
};

/*
 * The worker thread that runs the jobs one at a time, so a call costs a
 * hand-over, not a thread. When a job overruns the deadline the queue
 * gives the worker up ("lost"): it stays in the kernel until the file
 * system answers (if ever), then frees the job and itself. The next call
 * starts a new worker.
 */
struct statq_worker {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* CLOCK_MONOTONIC; both directions */
	pthread_t th;
	struct statq_job *job;
	bool posted;		/* job waits for the worker */
	bool done;		/* job ran */
	bool lost;
	bool quit;
};

struct pd_statq {
	struct pd_procfs *pfs;
	unsigned timeout_ms;
	struct statq_worker *w;	/* NULL until the first call, or lost */
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

static void job_free(struct statq_job *job)
{
	if (!job)
		return;
	if (job->dirfd >= 0)
		close(job->dirfd);
	if (job->fd >= 0)
		close(job->fd);
	free(job->rel);
	free(job);
}

static void worker_free(struct statq_worker *w)
{
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

void pd_statq_free(struct pd_statq *q)
{
	struct statq_worker *w;

	if (!q)
		return;
	w = q->w;
	if (w) {
		pthread_mutex_lock(&w->lock);
		w->quit = true;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->th, NULL);
		worker_free(w);
	}
	free(q);
}

static void job_run(struct statq_job *job)
{
	int r = 0;

	switch (job->op) {
	case OP_STAT:
		r = fstatat(job->dirfd, job->rel, &job->st, 0);
		break;
	case OP_STATVFS:
		r = statvfs(job->rel, &job->sv);
		break;
	case OP_OPEN:
		job->fd = openat(job->dirfd, job->rel,
				 job->flags | O_CLOEXEC);
		r = job->fd;
		break;
	}
	job->result = r < 0 ? -errno : 0;
}

static void *statq_worker(void *arg)
{
	struct statq_worker *w = arg;
	bool lost = false;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct statq_job *job;

		while (!w->posted && !w->quit)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->posted)
			break;
		w->posted = false;
		job = w->job;
		pthread_mutex_unlock(&w->lock);
		job_run(job);
		pthread_mutex_lock(&w->lock);
		w->done = true;
		pthread_cond_broadcast(&w->cond);
		if (w->lost) {
			/* the caller is gone: what it asked for is ours */
			job_free(job);
			lost = true;
			break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	if (lost)
		worker_free(w);
	return NULL;
}

static int worker_new(struct statq_worker **ret_w)
{
	struct statq_worker *w = calloc(1, sizeof(*w));
	pthread_condattr_t ca;
	pthread_attr_t attr;
	int r;

	if (!w)
		return -ENOMEM;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&attr);
	/* The worker only makes one system call a job: a small stack is
	 * plenty. */
	pthread_attr_setstacksize(&attr, 64 * 1024);
	r = -pthread_create(&w->th, &attr, statq_worker, w);
	pthread_attr_destroy(&attr);
	if (r < 0) {
		worker_free(w);
		return r;
	}
	*ret_w = w;
	return 0;
}

/* A job of OP on DIRFD (duplicated unless AT_FDCWD or -1) and REL.
 * Returns 0, -ENOMEM, or -errno of duplicating DIRFD (EBADF, EMFILE). */
static int job_new(enum statq_op op, int dirfd, const char *rel,
		   struct statq_job **ret_job)
{
	struct statq_job *job = calloc(1, sizeof(*job));
	int r;

	if (!job)
		return -ENOMEM;
	job->op = op;
	job->fd = -1;
	job->dirfd = dirfd == AT_FDCWD ? AT_FDCWD :
		     fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (job->dirfd < 0 && job->dirfd != AT_FDCWD) {
		r = -errno;
		free(job);
		return r;
	}
	job->rel = strdup(rel);
	if (!job->rel) {
		job_free(job);
		return -ENOMEM;
	}
	*ret_job = job;
	return 0;
}

/* Run JOB on the worker and wait for it until the deadline; the job is
 * the caller's no more afterwards. Returns the job's result (the job's
 * outputs copied into *RET_JOB_OUT), -ETIMEDOUT, or -errno of starting a
 * worker. */
static int statq_run(struct pd_statq *q, struct statq_job *job,
		     struct statq_job *ret_out)
{
	struct statq_worker *w;
	struct timespec deadline;
	int r;

	if (!q->w) {
		r = worker_new(&q->w);
		if (r < 0) {
			job_free(job);
			return r;
		}
	}
	w = q->w;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += q->timeout_ms / 1000;
	deadline.tv_nsec += (long)(q->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	w->job = job;
	w->done = false;
	w->posted = true;
	pthread_cond_broadcast(&w->cond);
	while (!w->done) {
		if (pthread_cond_timedwait(&w->cond, &w->lock,
					   &deadline) == ETIMEDOUT)
			break;
	}
	if (!w->done) {
		w->lost = true;
		pthread_mutex_unlock(&w->lock);
		pthread_detach(w->th);
		q->w = NULL;
		return -ETIMEDOUT;
	}
	w->job = NULL;
	pthread_mutex_unlock(&w->lock);
	r = job->result;
	*ret_out = *job;
	job->fd = -1;		/* taken */
	job_free(job);
	return r;
}

int pd_statq_stat(struct pd_statq *q, int pidfd, const char *rel,
		  struct stat *ret_st)
{
	struct statq_job *job = NULL, out;
	int r;

	/* A captured tree has no live file system behind it to hang on. */
	if (pd_procfs_is_captured(q->pfs) && pidfd != AT_FDCWD)
		return pd_procfs_stat_link(q->pfs, pidfd, rel, ret_st);

	r = job_new(OP_STAT, pidfd, rel, &job);
	if (r < 0)
		return r;
	r = statq_run(q, job, &out);
	if (r == 0)
		*ret_st = out.st;
	return r;
}

int pd_statq_statvfs(struct pd_statq *q, const char *path,
		     struct statvfs *ret_sv)
{
	struct statq_job *job = NULL, out;
	int r;

	r = job_new(OP_STATVFS, AT_FDCWD, path, &job);
	if (r < 0)
		return r;
	r = statq_run(q, job, &out);
	if (r == 0)
		*ret_sv = out.sv;
	return r;
}

int pd_statq_open(struct pd_statq *q, int dirfd, const char *path,
		  int flags, int *ret_fd)
{
	struct statq_job *job = NULL, out;
	int r;

	r = job_new(OP_OPEN, dirfd, path, &job);
	if (r < 0)
		return r;
	job->flags = flags;
	r = statq_run(q, job, &out);
	if (r == 0)
		*ret_fd = out.fd;
	return r;
}

/* The one message a child of pd_statq_child() sends: FN's result, and
 * the fd it hands back as SCM_RIGHTS. */
static void child_send(int sock, int e, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = &e, .iov_len = sizeof(e) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	}
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(e))
		_exit(1);
}

/* In the child of pd_statq_child(): nothing open but FD and SOCK (the
 * parent's stdout must see its end when the parent exits), run FN, say
 * how it went. */
static _Noreturn void child_main(int fd, int sock,
				 int (*fn)(void *arg, int fd, int *ret_fd),
				 void *arg)
{
	int lo = fd >= 0 && fd < sock ? fd : sock;
	int hi = fd >= 0 && fd > sock ? fd : sock;
	int r, out = -1;

	if (lo > 0)
		close_range(0, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0U, 0);
	r = fn(arg, fd, &out);
	child_send(sock, r < 0 ? -r : 0, r < 0 ? -1 : out);
	_exit(0);
}

/* Take the child's message from SOCK: its result, and the fd it sent. */
static int child_recv(int sock, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	int e = 0;
	struct iovec iov = { .iov_base = &e, .iov_len = sizeof(e) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
	if (n != (ssize_t)sizeof(e) || e < 0) {
		/* it died before it could say (EOF), or said nonsense */
		if (fd >= 0)
			close(fd);
		return -EIO;
	}
	if (e) {
		if (fd >= 0)
			close(fd);
		return -e;
	}
	*ret_fd = fd;
	return 0;
}

int pd_statq_child(struct pd_statq *q, int fd,
		   int (*fn)(void *arg, int fd, int *ret_fd), void *arg,
		   int *ret_fd)
{
	struct timespec now, end;
	int sv[2], r, got = -1;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0)
		child_main(fd, sv[1], fn, arg);
	close(sv[1]);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += q->timeout_ms / 1000;
	end.tv_nsec += (long)(q->timeout_ms % 1000) * 1000000L;
	for (;;) {
		struct pollfd pfd = { .fd = sv[0], .events = POLLIN };
		long left;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 +
		       (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			continue;	/* the deadline is checked above */
		if (r < 0) {
			r = -errno;
			break;
		}
		r = child_recv(sv[0], &got);
		break;
	}
	close(sv[0]);
	/* A child stuck in the kernel is left to finish on its own (init
	 * reaps it once we are gone); one that answered exits now. */
	if (r != -ETIMEDOUT)
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
	if (r == 0)
		*ret_fd = got;
	return r;
}

static int syncfs_fn(void *arg, int fd, int *ret_fd)
{
	(void)arg;
	(void)ret_fd;
	return syncfs(fd) < 0 ? -errno : 0;
}

int pd_statq_syncfs(struct pd_statq *q, int fd)
{
	int none = -1;

	if (fd < 0)
		return -EBADF;
	return pd_statq_child(q, fd, syncfs_fn, NULL, &none);
}
