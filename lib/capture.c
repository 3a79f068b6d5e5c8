/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: run a command and capture its standard output. */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int read_all(int fd, char **ret_buf, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int r = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			char *nb;

			if (cap >= PD_CAPTURE_OUTPUT_MAX) {
				r = -EFBIG;
				goto out_free;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				r = -ENOMEM;
				goto out_free;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
out_free:
	free(buf);
	return r;
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
 * to OUT, then exec; a failure's errno goes to ERRFD. Only async-signal-
 * safe calls here.
 */
static void exec_child(const char *path, char *const argv[],
		       char *const envp[], pid_t parent, int out, int errfd)
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
	/* out of the way of 0 and 1, in case the parent had them closed */
	out = fcntl(out, F_DUPFD_CLOEXEC, 3);
	errfd = fcntl(errfd, F_DUPFD_CLOEXEC, 3);
	if (out < 0 || errfd < 0)
		goto fail;
	in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in < 0 || move_fd(in, STDIN_FILENO) < 0 ||
	    move_fd(out, STDOUT_FILENO) < 0)
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
		     struct pd_capture_result *ret)
{
	int pipefd[2], errpipe[2];
	pid_t parent = getpid(), pid;
	char *out = NULL;
	size_t len = 0;
	int status = 0, r, w;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(errpipe, O_CLOEXEC) < 0) {
		r = -errno;
		goto out_pipe;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out_errpipe;
	}
	if (pid == 0)
		exec_child(path, argv, envp ? envp : environ, parent,
			   pipefd[1], errpipe[1]);
	close(pipefd[1]);
	pipefd[1] = -1;
	close(errpipe[1]);
	errpipe[1] = -1;

	r = -exec_error(errpipe[0]);
	if (r == 0)
		r = read_all(pipefd[0], &out, &len);
	/* On -EFBIG closing our end makes the child's next write fail with
	 * EPIPE, which ends every procdiag tool: no signal needed. */
	close(pipefd[0]);
	pipefd[0] = -1;
	w = wait_child(pid, &status);
	if (r == 0 && w < 0)
		r = w;
	if (r < 0) {
		free(out);
		goto out_errpipe;
	}
	ret->out = out;
	ret->len = len;
	ret->status = status;
out_errpipe:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
out_pipe:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return r;
}
