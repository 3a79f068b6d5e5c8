/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scenario test of lib/cgname on real cgroups: the path shapes of Docker,
 * Podman, containerd and CRI-O under the kubelet, LXC and nspawn, made in
 * the cgroup v2 hierarchy and in the v1 memory hierarchy under a directory
 * of our own (mkdtemp), a child moved into each, its path read back from
 * /proc/PID/cgroup as the tools read it, and named from the fixture state
 * root tests/fixtures/cgname. Root only. */
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
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgname.h"
#include "proc.h"
#include "procfs.h"

#define CGROUP2_MAGIC 0x63677270
#define CGROUP1_MAGIC 0x27e0eb

#define DOCKER_WEB "f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb"
#define PODMAN_DB "cc68e1d9877507693f2627038a9947317d784e78728a2cdc290274f23414b7e0"
#define PODMAN_ALICE "b8b5e66f50bcb8566378999a0ac85a9cdb4dd30b5cfd63273628d872c87b6673"
#define CTRD_API "a1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2"
#define CRIO_AUTH "200d2a5be1795f16914f5a79230a8b34ba75a1b620c5a3256e37bbeec7d109f0"
#define K8S_LOGONLY "ef6dce170727f2a716a45a8589fb4e3c580205f5f22b82922c9e969384d210c2"
#define POD_API "fdbcccad-ad87-5547-ae34-ffcb590943d4"
#define POD_AUTH "ae0bf033-df52-56db-be31-7c685c4d9161"
#define POD_LOGONLY "117901d1-02de-5ed7-a641-22d2b58f3f42"

/* One cgroup path shape and the names the fixture root gives it. */
struct shape {
	const char *rel;	/* below our own directory */
	const char *runtime, *id, *name, *unit;
	const char *pod_namespace, *pod_name, *pod_uid, *qos;
	enum pd_cgroup_role role;
};

static const struct shape shapes[] = {
	{ "system.slice/docker-" DOCKER_WEB ".scope", "docker", DOCKER_WEB,
	  "web", "docker-" DOCKER_WEB ".scope", NULL, NULL, NULL, NULL,
	  PD_ROLE_PAYLOAD },
	{ "docker/" DOCKER_WEB, "docker", DOCKER_WEB, "web", NULL, NULL, NULL,
	  NULL, NULL, PD_ROLE_PAYLOAD },
	{ "machine.slice/libpod-" PODMAN_DB ".scope/container", "podman",
	  PODMAN_DB, "db", "libpod-" PODMAN_DB ".scope", NULL, NULL, NULL,
	  NULL, PD_ROLE_PAYLOAD },
	{ "machine.slice/libpod-conmon-" PODMAN_DB ".scope", "podman",
	  PODMAN_DB, "db", "libpod-conmon-" PODMAN_DB ".scope", NULL, NULL,
	  NULL, NULL, PD_ROLE_MONITOR },
	{ "user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	  PODMAN_ALICE ".scope/container", "podman", PODMAN_ALICE, "alice-app",
	  "libpod-" PODMAN_ALICE ".scope", NULL, NULL, NULL, NULL,
	  PD_ROLE_PAYLOAD },
	{ "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  "fdbcccad_ad87_5547_ae34_ffcb590943d4.slice/cri-containerd-" CTRD_API
	  ".scope", "containerd", CTRD_API, "api",
	  "cri-containerd-" CTRD_API ".scope", "shop", "api-7d9f8b6c5-x2x7q",
	  POD_API, "Burstable", PD_ROLE_PAYLOAD },
	{ "kubepods/burstable/pod" POD_API "/" CTRD_API, "containerd",
	  CTRD_API, "api", NULL, "shop", "api-7d9f8b6c5-x2x7q", POD_API,
	  "Burstable", PD_ROLE_PAYLOAD },
	{ "kubepods.slice/kubepods-pod"
	  "ae0bf033_df52_56db_be31_7c685c4d9161.slice/crio-" CRIO_AUTH ".scope",
	  "cri-o", CRIO_AUTH, "auth", "crio-" CRIO_AUTH ".scope", "login",
	  "auth-0", POD_AUTH, "Guaranteed", PD_ROLE_PAYLOAD },
	{ "kubepods/besteffort/pod" POD_LOGONLY "/" K8S_LOGONLY, NULL,
	  K8S_LOGONLY, "report", NULL, "batch", "report-28812345-q7k2m",
	  POD_LOGONLY, "BestEffort", PD_ROLE_PAYLOAD },
	{ "lxc.payload.web", "lxc", NULL, "web", NULL, NULL, NULL, NULL, NULL,
	  PD_ROLE_PAYLOAD },
	{ "machine.slice/systemd-nspawn@build\\x2dbox.service/payload",
	  "nspawn", NULL, "build-box", "systemd-nspawn@build-box.service",
	  NULL, NULL, NULL, NULL, PD_ROLE_PAYLOAD },
};

#define MAX_DIRS 16

struct fixture {
	char top[PATH_MAX];		/* our own directory, or "" */
	char dirs[MAX_DIRS][PATH_MAX];	/* made below it, rmdir'ed in reverse */
	size_t ndirs;
	pid_t child;
	struct pd_cgname_ctx *ctx;
	struct pd_procfs *pfs;
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

static void undo_shape(struct fixture *fx)
{
	if (fx->child > 0) {
		kill(fx->child, SIGKILL);
		reap(fx->child, 5000, NULL);
		fx->child = 0;
	}
	while (fx->ndirs)
		rmdir_retry(fx->dirs[--fx->ndirs]);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	undo_shape(fx);
	if (fx->top[0])
		rmdir_retry(fx->top);
	pd_cgname_free(fx->ctx);
	pd_procfs_free(fx->pfs);
	free(fx);
	return 0;
}

static bool fs_is(const char *dir, long magic)
{
	struct statfs sf;

	return statfs(dir, &sf) == 0 && (long)sf.f_type == magic;
}

/* The path of the cgroup2 line "0::PATH" of /proc/PID/cgroup text. */
static char *v2_path(const char *buf)
{
	const char *p = buf;

	while (p && *p) {
		if (!strncmp(p, "0::", 3)) {
			const char *e = strchr(p, '\n');

			return strndup(p + 3, e ? (size_t)(e - p - 3) : strlen(p + 3));
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

#define assert_str(got, want)                                                  \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (!w_)                                                       \
			assert_null(g_);                                       \
		else {                                                         \
			assert_non_null(g_);                                   \
			assert_string_equal(g_, w_);                           \
		}                                                              \
	} while (0)

/*
 * Make S below FX->top, move a child in, read its cgroup back as the tools
 * do and check what cgname names it; undo it all.
 */
static void check_shape(struct fixture *fx, const struct shape *s, bool v2)
{
	char dir[PATH_MAX], file[PATH_MAX + 32], num[16], *buf = NULL, *path;
	const char *p = s->rel;
	struct pd_cgname n;
	size_t len;
	pid_t parent = getpid();
	int fd, pidfd;

	snprintf(dir, sizeof(dir), "%s", fx->top);
	while (*p) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		assert_true(strlen(dir) + 1 + l < sizeof(dir));
		strcat(dir, "/");
		strncat(dir, p, l);
		assert_int_equal(mkdir(dir, 0755), 0);
		assert_true(fx->ndirs < MAX_DIRS);
		strcpy(fx->dirs[fx->ndirs++], dir);
		p = e ? e + 1 : p + l;
	}
	fx->child = fork();
	assert_true(fx->child >= 0);
	if (fx->child == 0) {
		die_with_parent(parent);
		for (;;)
			pause();
	}
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	snprintf(num, sizeof(num), "%d", (int)fx->child);
	assert_int_equal(write(fd, num, strlen(num)), (ssize_t)strlen(num));
	close(fd);

	/* as a tool reads it: through procfs */
	assert_int_equal(pd_procfs_open_pid(fx->pfs, fx->child, &pidfd), 0);
	assert_int_equal(pd_read_at(pidfd, "cgroup", 1 << 16, &buf, &len), 0);
	close(pidfd);
	if (v2) {
		path = v2_path(buf);
		assert_non_null(path);
	} else {
		/* the memory controller's line, as pd_proc_read() takes it */
		assert_int_equal(pd_cgroup_parse(buf, len, &path), 0);
	}
	free(buf);
	print_message("  %s\n", path);
	/* the kernel's path ends in our shape */
	assert_true(strlen(path) > strlen(s->rel));
	assert_string_equal(path + strlen(path) - strlen(s->rel), s->rel);

	assert_int_equal(pd_cgname_lookup(fx->ctx, path, &n), 0);
	free(path);
	assert_str(n.runtime, s->runtime);
	assert_str(n.id, s->id);
	assert_str(n.name, s->name);
	assert_str(n.unit, s->unit);
	assert_str(n.pod_namespace, s->pod_namespace);
	assert_str(n.pod_name, s->pod_name);
	assert_str(n.pod_uid, s->pod_uid);
	assert_str(n.qos, s->qos);
	assert_int_equal(n.role, s->role);
	undo_shape(fx);
}

static void run_shapes(struct fixture *fx, const char *base, bool v2)
{
	size_t i;

	snprintf(fx->top, sizeof(fx->top), "%s/pd-cgname-XXXXXX", base);
	if (!mkdtemp(fx->top)) {
		fx->top[0] = '\0';
		print_message("cannot make a cgroup in %s: %s: skipped\n", base,
			      strerror(errno));
		skip();
	}
	assert_int_equal(pd_cgname_new(PD_FIXTURES_DIR "/cgname", 0, &fx->ctx),
			 0);
	assert_int_equal(pd_procfs_new(NULL, &fx->pfs), 0);
	print_message("cgroup v%d under %s:\n", v2 ? 2 : 1, fx->top);
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		check_shape(fx, &shapes[i], v2);
}

#define NEED_ROOT()                                                            \
	do {                                                                   \
		if (geteuid() != 0) {                                          \
			print_message("not root: skipped\n");                  \
			skip();                                                \
		}                                                              \
	} while (0)

static void test_cgname_names_real_v2_cgroups(void **state)
{
	const char *base = NULL;

	NEED_ROOT();
	/* hybrid hosts mount cgroup2 at unified/, pure v2 hosts at the top */
	if (fs_is("/sys/fs/cgroup/unified", CGROUP2_MAGIC))
		base = "/sys/fs/cgroup/unified";
	else if (fs_is("/sys/fs/cgroup", CGROUP2_MAGIC))
		base = "/sys/fs/cgroup";
	else {
		print_message("no cgroup2 hierarchy mounted: skipped\n");
		skip();
	}
	run_shapes(*state, base, true);
}

static void test_cgname_names_real_v1_memory_cgroups(void **state)
{
	NEED_ROOT();
	if (!fs_is("/sys/fs/cgroup/memory", CGROUP1_MAGIC) ||
	    access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) < 0) {
		print_message("no cgroup v1 memory hierarchy: skipped\n");
		skip();
	}
	run_shapes(*state, "/sys/fs/cgroup/memory", false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cgname_names_real_v2_cgroups,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgname_names_real_v1_memory_cgroups,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
