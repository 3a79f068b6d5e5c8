/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capture: run a command and capture its standard output. */
#include "capture.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
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

int pd_capture_run(const char *path, char *const argv[], char *const envp[],
		     struct pd_capture_result *ret)
{
	posix_spawn_file_actions_t fa;
	int pipefd[2];
	char *out = NULL;
	size_t len = 0;
	pid_t pid;
	int status = 0, r;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	r = -posix_spawn_file_actions_init(&fa);
	if (r < 0)
		goto out_pipe;
	r = -posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					      O_RDONLY, 0);
	if (r == 0)
		r = -posix_spawn_file_actions_adddup2(&fa, pipefd[1],
						      STDOUT_FILENO);
	if (r < 0)
		goto out_fa;
	r = -posix_spawn(&pid, path, &fa, NULL, argv, envp ? envp : environ);
	if (r < 0)
		goto out_fa;
	close(pipefd[1]);
	pipefd[1] = -1;

	r = read_all(pipefd[0], &out, &len);
	/* On -EFBIG closing our end makes the child's next write fail with
	 * EPIPE, which ends every procdiag tool: no signal needed. */
	close(pipefd[0]);
	pipefd[0] = -1;
	{
		int w = wait_child(pid, &status);

		if (r == 0 && w < 0)
			r = w;
	}
	if (r < 0) {
		free(out);
		goto out_fa;
	}
	ret->out = out;
	ret->len = len;
	ret->status = status;
out_fa:
	posix_spawn_file_actions_destroy(&fa);
out_pipe:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return r;
}
