/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario test of the CONTAINER and POD columns: a real process in a
 * real cgroup of a Docker container's path shape, and one in a
 * containerd container of a Kubernetes pod (the kubelet's systemd path
 * shape), each made under a directory of our own (mkdtemp) in the
 * hierarchy the tools read (the v1 memory controller's on a hybrid host,
 * else cgroup v2), holding a deleted file and a memfd, named by every
 * tool from the fixture state root tests/fixtures/cgname (--state-root),
 * by its path alone without it, and by oomrank --log while its cgroup
 * exists and after it is gone. Root only. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define CGROUP2_MAGIC 0x63677270
#define CGROUP1_MAGIC 0x27e0eb

#define DOCKER_WEB "f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb"
#define SHAPE "system.slice/docker-" DOCKER_WEB ".scope"
#define CTRD_API "a1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2"
#define POD_SLICE "kubepods-burstable-podfdbcccad_ad87_5547_ae34_ffcb590943d4.slice"
#define POD_SHAPE "kubepods.slice/kubepods-burstable.slice/" POD_SLICE \
	"/cri-containerd-" CTRD_API ".scope"
#define POD_NAME "shop/api-7d9f8b6c5-x2x7q"
#define MAX_DIRS 8
#define STATE PD_FIXTURES_DIR "/cgname"
#define RUN_LIMIT_S 60.0

#ifndef PD_BIN_DIR
#error "PD_BIN_DIR must be the directory of the tools"
#endif

struct fixture {
	struct owned owned;
	const char *base;	/* the hierarchy's mount point */
	char *top;		/* our own directory in it, or NULL */
	char *dirs[MAX_DIRS];	/* made below top, removed in reverse */
	size_t ndirs;
	char *ctr;		/* the container's cgroup, or NULL */
	char *path;		/* ctr as /proc/PID/cgroup shows it */
	char tmp[PATH_MAX];	/* a temporary directory, or "" */
	pid_t child;
	char pidstr[16];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

/* rmdir, waiting a little for a killed task to leave the cgroup */
static void rmdir_retry(const char *dir)
{
	double until = now_s() + 5;

	while (rmdir(dir) < 0 && errno == EBUSY && now_s() < until)
		sleep_ms(20);
}

static void kill_child(struct fixture *fx)
{
	if (fx->child > 0) {
		kill(fx->child, SIGKILL);
		reap(fx->child, 5000, NULL);
		fx->child = 0;
	}
}

static void remove_cgroups(struct fixture *fx)
{
	kill_child(fx);
	while (fx->ndirs)
		rmdir_retry(fx->dirs[--fx->ndirs]);
	if (fx->top)
		rmdir_retry(fx->top);
	fx->ctr = fx->top = NULL;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[PATH_MAX + 16];

	remove_cgroups(fx);
	if (fx->tmp[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->tmp);
		if (system(cmd) != 0)
			print_message("could not remove %s\n", fx->tmp);
	}
	owned_free(&fx->owned);
	free(fx);
	return 0;
}

static bool fs_is(const char *dir, long magic)
{
	struct statfs sf;

	return statfs(dir, &sf) == 0 && (long)sf.f_type == magic;
}

static char *fx_printf(struct fixture *fx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *fx_printf(struct fixture *fx, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = owned_vprintf(&fx->owned, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * The hierarchy whose path the tools take for a process: the v1 memory
 * controller's line when there is one (lib/proc pd_cgroup_parse()), else
 * the v2 line.
 */
static void pick_hierarchy(struct fixture *fx)
{
	if (fs_is("/sys/fs/cgroup/memory", CGROUP1_MAGIC) &&
	    access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) == 0)
		fx->base = "/sys/fs/cgroup/memory";
	else if (fs_is("/sys/fs/cgroup", CGROUP2_MAGIC))
		fx->base = "/sys/fs/cgroup";
	else {
		print_message("no memory cgroup v1 nor cgroup2 mounted: skipped\n");
		skip();
	}
}

/*
 * A child in BASE/pd-names-XXXXXX/REL (each directory of REL made) that
 * holds a deleted file open and a memfd mapped, then waits.
 */
static void make_container(struct fixture *fx, const char *rel)
{
	char tmpl[] = "/tmp/pd-names-XXXXXX", *top, *dir, *slash, *file;
	pid_t parent = getpid();
	int p[2], fd;
	char c;

	top = fx_printf(fx, "%s/pd-names-XXXXXX", fx->base);
	if (!mkdtemp(top)) {
		print_message("cannot make a cgroup in %s: %s: skipped\n",
			      fx->base, strerror(errno));
		skip();
	}
	fx->top = top;
	/* each level of REL, top down */
	dir = fx_printf(fx, "%s/%s", fx->top, rel);
	for (slash = strchr(dir + strlen(fx->top) + 1, '/');;
	     slash = strchr(slash + 1, '/')) {
		char *level = slash ? fx_printf(fx, "%.*s", (int)(slash - dir),
						dir) : dir;

		assert_in_range(fx->ndirs, 0, MAX_DIRS - 1);
		assert_int_equal(mkdir(level, 0755), 0);
		fx->dirs[fx->ndirs++] = level;
		if (!slash)
			break;
	}
	fx->ctr = dir;
	fx->path = fx_printf(fx, "%s", fx->ctr + strlen(fx->base));

	assert_non_null(mkdtemp(tmpl));
	strcpy(fx->tmp, tmpl);
	assert_int_equal(pipe(p), 0);
	fx->child = fork();
	assert_true(fx->child >= 0);
	if (fx->child == 0) {
		char path[PATH_MAX];
		void *m;
		int dfd, mfd;

		die_with_parent(parent);
		close(p[0]);
		snprintf(path, sizeof(path), "%s/held.log", tmpl);
		dfd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		mfd = memfd_create("pd-names", MFD_CLOEXEC);
		if (dfd < 0 || mfd < 0 || write(dfd, "x", 1) != 1 ||
		    unlink(path) < 0 || ftruncate(mfd, 1 << 20) < 0)
			_exit(1);
		m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_SHARED,
			 mfd, 0);
		if (m == MAP_FAILED)
			_exit(1);
		memset(m, 1, 1 << 20);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	snprintf(fx->pidstr, sizeof(fx->pidstr), "%d", (int)fx->child);
	file = fx_printf(fx, "%s/cgroup.procs", fx->ctr);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, fx->pidstr, strlen(fx->pidstr)),
			 (ssize_t)strlen(fx->pidstr));
	close(fd);
	print_message("pid %s in %s\n", fx->pidstr, fx->path);
}

/* Run TOOL with ARGS (NULL-ended); it must exit 0. Returns its stdout. */
static const char *run_tool(struct fixture *fx, const char *tool,
			    const char *const *args)
{
	const char *argv[32];
	struct harness_run h;
	size_t n = 0;

	argv[n++] = fx_printf(fx, "%s/%s", PD_BIN_DIR, tool);
	while (*args) {
		assert_in_range(n, 1, sizeof(argv) / sizeof(argv[0]) - 2);
		argv[n++] = *args++;
	}
	argv[n] = NULL;
	harness_run(&fx->owned, argv, NULL, false, RUN_LIMIT_S, &h);
	if (h.overran || !WIFEXITED(h.status) || WEXITSTATUS(h.status) != 0)
		fail_msg("%s: status %d; stderr:\n%s", tool, h.status, h.err);
	return h.out;
}

#define run(fx, tool, ...)                                                     \
	run_tool((fx), (tool), (const char *const[]){ __VA_ARGS__, NULL })

static void assert_out(const char *got, const char *want, const char *what)
{
	if (strcmp(got, want))
		fail_msg("%s: got\n%s\nwant\n%s", what, got, want);
}

static void test_every_tool_names_a_docker_shaped_cgroup(void **state)
{
	struct fixture *fx = *state;
	const char *pid, *out, *want;

	if (geteuid() != 0) {
		print_message("not root: skipped\n");
		skip();
	}
	pick_hierarchy(fx);
	make_container(fx, SHAPE);
	pid = fx->pidstr;

	/* from the fixture state root: the container's name */
	out = run(fx, "pssum", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-o", "PID,CONTAINER,POD");
	assert_out(out, fx_printf(fx, "%s\tdocker:web\t\n", pid), "pssum");
	out = run(fx, "pssum", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-g", "container", "-o", "CONTAINER,PROCS");
	assert_out(out, "docker:web\t1\n", "pssum -g container");
	out = run(fx, "oomrank", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-o", "PID,CONTAINER,POD");
	assert_out(out, fx_printf(fx, "%s\tdocker:web\t\n", pid), "oomrank");
	out = run(fx, "deadfiles", "--state-root", STATE, "-r", "-n", "-p",
		  pid, "-o", "PIDS,CONTAINERS,PODS");
	assert_out(out, fx_printf(fx, "%s\tdocker:web\t\n", pid),
		   "deadfiles");
	out = run(fx, "deadfiles", "--state-root", STATE, "-r", "-n", "-p",
		  pid, "--by", "process", "-o", "PID,CONTAINER");
	assert_out(out, fx_printf(fx, "%s\tdocker:web\n", pid),
		   "deadfiles --by process");
	out = run(fx, "memfind", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "--type", "memfd", "-o", "PIDS,CONTAINERS,PATH");
	assert_out(out, fx_printf(fx, "%s\tdocker:web\t/memfd:pd-names\n",
				  pid), "memfind");
	out = run(fx, "memwhere", "--state-root", STATE, "-r", "-n",
		  fx_printf(fx, "--cgroup=%s", fx->path), "-o",
		  "NAME,CONTAINER,POD");
	assert_out(out, "docker:web\tdocker:web\t\n", "memwhere --cgroup");

	/* this machine's own state has no such container: its path's words */
	out = run(fx, "pssum", "-r", "-n", "-p", pid, "-o", "CONTAINER");
	want = "docker:f31f384749f9\n";
	if (!strcmp(out, "docker:web\n"))
		want = out;	/* a host that runs the fixture's container */
	assert_out(out, want, "pssum, live state");
}

/*
 * A containerd container of a Kubernetes pod, in the cgroup path the
 * kubelet's systemd driver makes: its pod by namespace and name from the
 * fixture state root, by uid from the path alone.
 */
static void test_every_tool_names_a_pod_shaped_cgroup(void **state)
{
	struct fixture *fx = *state;
	const char *pid, *out;

	if (geteuid() != 0) {
		print_message("not root: skipped\n");
		skip();
	}
	pick_hierarchy(fx);
	make_container(fx, POD_SHAPE);
	pid = fx->pidstr;

	out = run(fx, "pssum", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-o", "PID,CONTAINER,POD");
	assert_out(out, fx_printf(fx, "%s\tcontainerd:api\t" POD_NAME "\n",
				  pid), "pssum");
	out = run(fx, "pssum", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-g", "pod", "-o", "POD,PROCS");
	assert_out(out, POD_NAME "\t1\n", "pssum -g pod");
	out = run(fx, "pssum", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-g", "pod,container", "-o", "POD,CONTAINER,PROCS");
	assert_out(out, POD_NAME "\tcontainerd:api\t1\n",
		   "pssum -g pod,container");
	out = run(fx, "oomrank", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "-o", "PID,CONTAINER,POD");
	assert_out(out, fx_printf(fx, "%s\tcontainerd:api\t" POD_NAME "\n",
				  pid), "oomrank");
	out = run(fx, "deadfiles", "--state-root", STATE, "-r", "-n", "-p",
		  pid, "-o", "PIDS,CONTAINERS,PODS");
	assert_out(out, fx_printf(fx, "%s\tcontainerd:api\t" POD_NAME "\n",
				  pid), "deadfiles");
	out = run(fx, "memfind", "--state-root", STATE, "-r", "-n", "-p", pid,
		  "--type", "memfd", "--by", "process", "-o", "PID,POD");
	assert_out(out, fx_printf(fx, "%s\t" POD_NAME "\n", pid),
		   "memfind --by process");
	out = run(fx, "memwhere", "--state-root", STATE, "-r", "-n",
		  fx_printf(fx, "--cgroup=%s", fx->path), "-o",
		  "NAME,CONTAINER,POD");
	assert_out(out, "pod " POD_NAME " containerd:api\tcontainerd:api\t"
		   POD_NAME "\n", "memwhere --cgroup");

	/* a state root without the runtimes' files (our empty temporary
	 * directory): what the path says, the short id and the pod's uid */
	out = run(fx, "pssum", "--state-root", fx->tmp, "-r", "-n", "-p", pid,
		  "-o", "CONTAINER,POD");
	assert_out(out, "containerd:a1153a1970ea\t"
		   "fdbcccad-ad87-5547-ae34-ffcb590943d4\n", "pssum, no state");
}

/*
 * oomrank --log: the incident's container is named from the runtimes'
 * files while its cgroup exists, from its path once it is gone.
 */
static void test_log_names_a_gone_container_by_its_path(void **state)
{
	struct fixture *fx = *state;
	const char *out, *log;
	char *text, *p, *q;
	size_t len, nlen, olen;
	FILE *f;

	if (geteuid() != 0) {
		print_message("not root: skipped\n");
		skip();
	}
	pick_hierarchy(fx);
	make_container(fx, SHAPE);
	/* the fixture log's first report with our real cgroup in it */
	f = fopen(PD_FIXTURES_DIR "/ctr/oom.log", "r");
	assert_non_null(f);
	text = calloc(1, 1 << 20);
	assert_non_null(text);
	owned_add(&fx->owned, text);
	len = fread(text, 1, (1 << 20) - 1, f);
	fclose(f);
	assert_true(len > 0);
	log = fx_printf(fx, "%s/oom.log", fx->tmp);
	f = fopen(log, "w");
	assert_non_null(f);
	olen = strlen("/system.slice/docker-" DOCKER_WEB ".scope");
	nlen = strlen(fx->path);
	for (p = text; (q = strstr(p, "/system.slice/docker-" DOCKER_WEB
				   ".scope")); p = q + olen) {
		fwrite(p, 1, (size_t)(q - p), f);
		fwrite(fx->path, 1, nlen, f);
	}
	fputs(p, f);
	fclose(f);

	out = run(fx, "oomrank", "--log", log, "--state-root", STATE, "-r",
		  "-n", "-o", "VICTIM_PID,CONTAINER");
	assert_out(out, "1479\tdocker:web\n1519\tcontainerd:a1153a1970ea\n",
		   "oomrank --log, the cgroup there");
	remove_cgroups(fx);
	out = run(fx, "oomrank", "--log", log, "--state-root", STATE, "-r",
		  "-n", "-o", "VICTIM_PID,CONTAINER");
	assert_out(out,
		   "1479\tdocker:f31f384749f9\n1519\tcontainerd:a1153a1970ea\n",
		   "oomrank --log, the cgroup gone");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_tool_names_a_docker_shaped_cgroup,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_every_tool_names_a_pod_shaped_cgroup,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_names_a_gone_container_by_its_path,
			setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	unsetenv("PSSUM_COLUMNS");
	unsetenv("OOMRANK_COLUMNS");
	unsetenv("OOMRANK_LOG_COLUMNS");
	unsetenv("DEADFILES_COLUMNS");
	unsetenv("DEADFILES_PROCESS_COLUMNS");
	unsetenv("MEMFIND_COLUMNS");
	unsetenv("MEMWHERE_CGROUP_COLUMNS");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
