/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: run a command and capture its standard output. */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* A stream being read: text that grows to PD_CAPTURE_OUTPUT_MAX. */
struct stream {
	int fd;			/* -1 once at its end */
	char *buf;
	size_t len, cap;
};

/* Read what FD has now into S; at its end, close it. Returns 0 or
 * -errno. */
static int stream_read(struct stream *s)
{
	ssize_t n;

	if (s->cap - s->len < 2) {
		size_t ncap = s->cap ? s->cap * 2 : 4096;
		char *nb;

		if (s->cap >= PD_CAPTURE_OUTPUT_MAX)
			return -EFBIG;
		nb = realloc(s->buf, ncap);
		if (!nb)
			return -ENOMEM;
		s->buf = nb;
		s->cap = ncap;
	}
	n = read(s->fd, s->buf + s->len, s->cap - s->len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0) {
		close(s->fd);
		s->fd = -1;
	}
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	return 0;
}

/* Read the NS streams of S to their ends, together (a child may fill
 * one pipe while we wait on the other). Returns 0 or -errno. */
static int read_all(struct stream *s, size_t ns)
{
	struct pollfd p[2];
	size_t i, open;
	int r;

	for (;;) {
		for (i = open = 0; i < ns; i++) {
			p[i].fd = s[i].fd;
			p[i].events = POLLIN;
			p[i].revents = 0;
			open += s[i].fd >= 0;
		}
		if (!open)
			return 0;
		if (poll(p, (nfds_t)ns, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < ns; i++) {
			if (s[i].fd < 0 || !p[i].revents)
				continue;
			r = stream_read(&s[i]);
			if (r < 0)
				return r;
		}
	}
}

static int wait_child(pid_t pid, int *ret_status)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	if (WIFEXITED(st))
		*ret_status = WEXITSTATUS(st);
	else
		*ret_status = 128 + WTERMSIG(st);
	return 0;
}

/* Give FD the number TO, open across exec. */
static int move_fd(int fd, int to)
{
	if (fd == to)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, to) < 0 ? -1 : 0;
}

/* Tell the parent why the exec failed; if even that fails, it sees 127. */
static void report_errno(int fd, int e)
{
	ssize_t n = write(fd, &e, sizeof(e));

	(void)n;
}

/*
 * In the forked child: die with the parent, stdin from /dev/null, stdout
 * to OUT and stderr to ERR (-1: ours), then exec; a failure's errno goes
 * to ERRFD. Only async-signal-safe calls here.
 */
static void exec_child(const char *path, char *const argv[],
		       char *const envp[], pid_t parent, int out, int err,
		       int errfd)
{
	int e, in;

	/* SIGKILL when the parent dies, however it dies (the OOM killer's
	 * SIGKILL too): a tool stuck on a dead mount must not live on under
	 * pid 1. A parent already gone before the prctl: go now. (The
	 * signal comes when the forking thread ends: we have only one.) */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		goto fail;
	if (getppid() != parent)
		_exit(127);
	/* out of the way of 0, 1 and 2, in case the parent had them closed */
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
	out = fcntl(out, F_DUPFD_CLOEXEC, 3);
	if (errfd < 0 || out < 0)
		goto fail;
	if (err >= 0) {
		err = fcntl(err, F_DUPFD_CLOEXEC, 3);
		if (err < 0)
			goto fail;
	}
	in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in < 0 || move_fd(in, STDIN_FILENO) < 0 ||
	    move_fd(out, STDOUT_FILENO) < 0 ||
	    (err >= 0 && move_fd(err, STDERR_FILENO) < 0))
		goto fail;
	execve(path, argv, envp);
fail:
	e = errno;
	if (errfd >= 0)
		report_errno(errfd, e);
	_exit(127);
}

/* The errno of a failed exec, 0 when it ran: the error pipe closes on
 * exec with nothing written. */
static int exec_error(int fd)
{
	ssize_t n;
	int e;

	do
		n = read(fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(e) ? e : 0;
}

int pd_capture_run(const char *path, char *const argv[], char *const envp[],
		   unsigned flags, struct pd_capture_result *ret)
{
	struct stream s[2] = { { .fd = -1 }, { .fd = -1 } };
	int out[2], err[2] = { -1, -1 }, errpipe[2];
	size_t ns = flags & PD_CAPTURE_STDERR ? 2 : 1, i;
	pid_t parent = getpid(), pid;
	int status = 0, r, w;

	if (pipe2(out, O_CLOEXEC) < 0)
		return -errno;
	if (ns == 2 && pipe2(err, O_CLOEXEC) < 0) {
		r = -errno;
		goto out_pipes;
	}
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		r = -errno;
		goto out_pipes;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out_errpipe;
	}
	if (pid == 0)
		exec_child(path, argv, envp ? envp : environ, parent, out[1],
			   err[1], errpipe[1]);
	close(errpipe[1]);
	errpipe[1] = -1;
	s[0].fd = out[0];
	s[1].fd = err[0];
	out[0] = err[0] = -1;
	close(out[1]);
	out[1] = -1;
	if (err[1] >= 0)
		close(err[1]);
	err[1] = -1;

	r = -exec_error(errpipe[0]);
	if (r == 0)
		r = read_all(s, ns);
	/* On -EFBIG closing our ends makes the child's next write fail with
	 * EPIPE, which ends every procdiag tool: no signal needed. */
	for (i = 0; i < 2; i++)
		if (s[i].fd >= 0)
			close(s[i].fd);
	w = wait_child(pid, &status);
	if (r == 0 && w < 0)
		r = w;
	for (i = 0; r == 0 && i < ns; i++)
		if (!s[i].buf) {
			/* it printed nothing: "" all the same */
			s[i].buf = calloc(1, 1);
			if (!s[i].buf)
				r = -ENOMEM;
		}
	if (r < 0) {
		free(s[0].buf);
		free(s[1].buf);
		goto out_errpipe;
	}
	ret->out = s[0].buf;
	ret->len = s[0].len;
	ret->err = s[1].buf;
	ret->errlen = s[1].len;
	ret->status = status;
out_errpipe:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
out_pipes:
	for (i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	return r;
}
