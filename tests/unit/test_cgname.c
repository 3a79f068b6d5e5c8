/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of lib/cgname: cgroup paths named from the runtimes' files of
 * the fake roots tests/fixtures/cgname and cgname-moved (make-cgname.sh),
 * and of temporary roots holding what must not hang or crash it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgname.h"

#define ROOT PD_FIXTURES_DIR "/cgname"
#define DOCKER_WEB "f31f384749f9115acf01fcf82f5a966b59dcc0a4cbd7c9740888c0bf32aa2bbb"
#define DOCKER_NGINX "edb3196755746fcd4f74b6bcfdf45a8f9a59f07d68eabf33f11df88fc3be3166"
#define DOCKER_PAUSE "a6c0b0e3ba0757e6e1329abfec28534dd0314dd7d67d24297f0b954ae3252859"
#define PODMAN_DB "cc68e1d9877507693f2627038a9947317d784e78728a2cdc290274f23414b7e0"
#define PODMAN_SCRATCH "c99a9947c6690e0dc6dce5cc15b3ef855e61857cff037f998758fe36e274aa32"
#define PODMAN_ALICE "b8b5e66f50bcb8566378999a0ac85a9cdb4dd30b5cfd63273628d872c87b6673"
#define DOCKER_ALICE "4801bd8494a058478fde2eeb9a954143924b19e77c6fccc3c2912ec62deeca4d"
#define CTRD_API "a1153a1970ea17b773d92b866f3e57718af6e81398b9433342d06e65a22bbeb2"
#define CTRD_SANDBOX "f0c28c2942ea49aba3377441f657aa3043c87d04c201276564b4b35c583e6ed0"
#define NERD_CACHE "28991f231417b0cc76231b4a0e5aabed59c0c9cbcd2b5096c17e8a1f215a1515"
#define CRIO_AUTH "200d2a5be1795f16914f5a79230a8b34ba75a1b620c5a3256e37bbeec7d109f0"
#define CRIO_WORKER "dc626e6558351adeb72e354009bc7a95d016aa9a24b7e6482f13d48bedcedde6"
#define CRIO_SIDECAR "564700cf49aeafe2b88d48da90f3508bce90b43b2e9b7df140afa4ac2cb5729b"
#define K8S_LOGONLY "ef6dce170727f2a716a45a8589fb4e3c580205f5f22b82922c9e969384d210c2"
#define UNKNOWN "b23a6a8439c0dde5515893e7c90c1e3233b8616e634470f20dc4928bcf3609bc"
#define BROKEN "f526795c95399cea27c055c842c3d6ab018ed0fa4f66f701c28ab22dec28237b"
#define POD_DOCKER "f4e8f6ae-4918-584f-955f-14258a02ac47"
#define POD_DOCKER_ "f4e8f6ae_4918_584f_955f_14258a02ac47"
#define POD_API "fdbcccad-ad87-5547-ae34-ffcb590943d4"
#define POD_API_ "fdbcccad_ad87_5547_ae34_ffcb590943d4"
#define POD_AUTH "ae0bf033-df52-56db-be31-7c685c4d9161"
#define POD_AUTH_ "ae0bf033_df52_56db_be31_7c685c4d9161"
#define POD_LOGONLY "117901d1-02de-5ed7-a641-22d2b58f3f42"
#define API_POD_SLICE                                                          \
	"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"      \
	POD_API_ ".slice"
#define USER1000 "/user.slice/user-1000.slice/user@1000.service/user.slice/"

/* The context of the current test and a temporary root: freed at teardown. */
static struct pd_cgname_ctx *ctx;
static char tmproot[64];
static struct pd_cgname n;

static int setup(void **state)
{
	(void)state;
	return pd_cgname_new(ROOT, 0, &ctx) < 0 ? -1 : 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	pd_cgname_free(ctx);
	ctx = NULL;
	if (tmproot[0]) {
		nftw(tmproot, rm_one, 16, FTW_DEPTH | FTW_PHYS);
		tmproot[0] = '\0';
	}
	return 0;
}

static void lookup(const char *path)
{
	memset(&n, 0x5a, sizeof(n));
	assert_int_equal(pd_cgname_lookup(ctx, path, &n), 0);
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

static void assert_container(const char *runtime, const char *id,
			     const char *name, enum pd_cgroup_role role)
{
	char short_id[13] = "";

	assert_str(n.runtime, runtime);
	assert_str(n.id, id);
	if (id)
		memcpy(short_id, id, 12);
	assert_str(n.short_id, id ? short_id : NULL);
	assert_str(n.name, name);
	assert_int_equal(n.role, role);
}

static void assert_pod(const char *ns, const char *name, const char *uid,
		       const char *qos)
{
	assert_str(n.pod_namespace, ns);
	assert_str(n.pod_name, name);
	assert_str(n.pod_uid, uid);
	assert_str(n.qos, qos);
}

static struct pd_cgname_stats stats(void)
{
	struct pd_cgname_stats s;

	pd_cgname_get_stats(ctx, &s);
	return s;
}

/* --- systemd --------------------------------------------------------------- */

static void test_cgname_service_has_unit_and_slice_only(void **state)
{
	(void)state;
	lookup("/system.slice/system-getty.slice/getty@tty1.service");
	assert_str(n.unit, "getty@tty1.service");
	assert_str(n.slice, "system-getty.slice");
	assert_container(NULL, NULL, NULL, PD_ROLE_PAYLOAD);
	assert_pod(NULL, NULL, NULL, NULL);
	/* nothing to read for a host unit */
	assert_int_equal(stats().opens, 0);
}

static void test_cgname_unit_escapes_are_decoded(void **state)
{
	(void)state;
	lookup("/system.slice/system-openvpn\\x2dclient.slice/"
	       "openvpn-client@office\\x2dvpn.service");
	assert_str(n.unit, "openvpn-client@office-vpn.service");
	assert_str(n.slice, "system-openvpn-client.slice");
}

/* --- Docker ---------------------------------------------------------------- */

static void test_cgname_docker_systemd_driver(void **state)
{
	(void)state;
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	assert_container("docker", DOCKER_WEB, "web", PD_ROLE_PAYLOAD);
	assert_str(n.short_id, "f31f384749f9");
	assert_str(n.unit, "docker-" DOCKER_WEB ".scope");
	assert_str(n.slice, "system.slice");
	assert_pod(NULL, NULL, NULL, NULL);
}

static void test_cgname_docker_cgroupfs_driver(void **state)
{
	(void)state;
	lookup("/docker/" DOCKER_WEB);
	assert_container("docker", DOCKER_WEB, "web", PD_ROLE_PAYLOAD);
	assert_null(n.unit);
}

/* The same container through two paths: its config is read once. */
static void test_cgname_container_files_are_read_once(void **state)
{
	struct pd_cgname first;
	struct pd_cgname_stats s;

	(void)state;
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	first = n;
	s = stats();
	/* etc/docker/daemon.json (absent here) and config.v2.json */
	assert_int_equal(s.opens, 2);
	assert_int_equal(s.parsed, 1);
	assert_int_equal(s.paths, 1);
	lookup("/docker/" DOCKER_WEB);
	assert_str(n.name, "web");
	s = stats();
	assert_int_equal(s.opens, 2);
	assert_int_equal(s.paths, 2);
	/* a path seen before costs nothing and gives the same strings */
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	assert_ptr_equal(n.name, first.name);
	assert_ptr_equal(n.id, first.id);
	assert_ptr_equal(n.unit, first.unit);
	s = stats();
	assert_int_equal(s.opens, 2);
	assert_int_equal(s.paths, 2);
}

/* dockershim / cri-dockerd: the kubelet's labels in config.v2.json. */
static void test_cgname_docker_kubernetes_container(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod" POD_DOCKER_ ".slice/docker-"
	       DOCKER_NGINX ".scope");
	assert_container("docker", DOCKER_NGINX, "nginx", PD_ROLE_PAYLOAD);
	assert_pod("shop", "web-0", POD_DOCKER, "BestEffort");
}

static void test_cgname_docker_pod_sandbox(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod" POD_DOCKER_ ".slice/docker-"
	       DOCKER_PAUSE ".scope");
	assert_container("docker", DOCKER_PAUSE, NULL, PD_ROLE_SANDBOX);
	assert_pod("shop", "web-0", POD_DOCKER, "BestEffort");
}

/* The cgroupfs driver names no runtime: Docker's files are found, and
 * dockerd's containerd namespace (moby) is not taken for containerd's. */
static void test_cgname_docker_kubernetes_cgroupfs_bare_id(void **state)
{
	(void)state;
	lookup("/kubepods/besteffort/pod" POD_DOCKER "/" DOCKER_NGINX);
	assert_container("docker", DOCKER_NGINX, "nginx", PD_ROLE_PAYLOAD);
	assert_pod("shop", "web-0", POD_DOCKER, "BestEffort");
}

static void test_cgname_docker_malformed_config_names_nothing(void **state)
{
	(void)state;
	lookup("/system.slice/docker-" BROKEN ".scope");
	assert_container("docker", BROKEN, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(stats().bad, 1);
	assert_int_equal(stats().parsed, 0);
}

static void test_cgname_docker_data_root_from_daemon_json(void **state)
{
	(void)state;
	pd_cgname_free(ctx);
	ctx = NULL;
	assert_int_equal(pd_cgname_new(PD_FIXTURES_DIR "/cgname-moved", 0, &ctx),
			 0);
	/* "/data/docker", where /data is a link to /srv inside that root */
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	assert_container("docker", DOCKER_WEB, "moved-web", PD_ROLE_PAYLOAD);
	assert_int_equal(stats().parsed, 2);
}

static void test_cgname_docker_rootless(void **state)
{
	(void)state;
	lookup(USER1000 "docker-" DOCKER_ALICE ".scope");
	assert_container("docker", DOCKER_ALICE, "alice-web", PD_ROLE_PAYLOAD);
	assert_str(n.slice, "user.slice");
}

/* Rootless: only the user's own files, and only beneath the home. */
static void test_cgname_rootless_does_not_name_others_containers(void **state)
{
	(void)state;
	/* alice has no such container; the system's Docker has */
	lookup(USER1000 "docker-" DOCKER_WEB ".scope");
	assert_container("docker", DOCKER_WEB, NULL, PD_ROLE_PAYLOAD);
	/* bob's data root is a link to the system's: not followed */
	lookup("/user.slice/user-1001.slice/user@1001.service/user.slice/docker-"
	       DOCKER_WEB ".scope");
	assert_container("docker", DOCKER_WEB, NULL, PD_ROLE_PAYLOAD);
	/* carol's home does not exist, uid 1005 has no passwd line */
	lookup("/user.slice/user-1002.slice/user@1002.service/user.slice/libpod-"
	       PODMAN_DB ".scope");
	assert_container("podman", PODMAN_DB, NULL, PD_ROLE_PAYLOAD);
	lookup("/user.slice/user-1005.slice/user@1005.service/user.slice/libpod-"
	       PODMAN_DB ".scope");
	assert_container("podman", PODMAN_DB, NULL, PD_ROLE_PAYLOAD);
	/* a pod below a user's manager is no kubelet's: logs not read */
	lookup("/user.slice/user-1000.slice/user@1000.service/kubepods/pod"
	       POD_LOGONLY "/" K8S_LOGONLY);
	assert_pod(NULL, NULL, POD_LOGONLY, "Guaranteed");
	assert_str(n.name, NULL);
}

/* --- Podman ---------------------------------------------------------------- */

static void test_cgname_podman_rootful(void **state)
{
	struct pd_cgname_stats s;

	(void)state;
	lookup("/machine.slice/libpod-" PODMAN_DB ".scope/container");
	assert_container("podman", PODMAN_DB, "db", PD_ROLE_PAYLOAD);
	assert_str(n.unit, "libpod-" PODMAN_DB ".scope");
	s = stats();
	/* containers.json and volatile-containers.json of four drivers */
	assert_int_equal(s.opens, 8);
	assert_int_equal(s.parsed, 2);
	lookup("/machine.slice/libpod-conmon-" PODMAN_DB ".scope");
	assert_container("podman", PODMAN_DB, "db", PD_ROLE_MONITOR);
	/* podman run --rm: the volatile list, already read */
	lookup("/machine.slice/libpod-" PODMAN_SCRATCH ".scope/container");
	assert_container("podman", PODMAN_SCRATCH, "scratch", PD_ROLE_PAYLOAD);
	assert_int_equal(stats().opens, 8);
}

static void test_cgname_podman_quadlet_and_cgroupfs(void **state)
{
	(void)state;
	lookup("/system.slice/db.service/libpod-payload-" PODMAN_DB);
	assert_container("podman", PODMAN_DB, "db", PD_ROLE_PAYLOAD);
	assert_str(n.unit, "db.service");
	lookup("/libpod_parent/libpod-" PODMAN_DB);
	assert_container("podman", PODMAN_DB, "db", PD_ROLE_PAYLOAD);
}

static void test_cgname_podman_rootless(void **state)
{
	(void)state;
	lookup(USER1000 "libpod-" PODMAN_ALICE ".scope/container");
	assert_container("podman", PODMAN_ALICE, "alice-app", PD_ROLE_PAYLOAD);
	/* the system's containers are not alice's */
	lookup(USER1000 "libpod-" PODMAN_DB ".scope/container");
	assert_container("podman", PODMAN_DB, NULL, PD_ROLE_PAYLOAD);
}

/* --- containerd ------------------------------------------------------------ */

static void test_cgname_containerd_kubernetes_systemd(void **state)
{
	(void)state;
	lookup(API_POD_SLICE "/cri-containerd-" CTRD_API ".scope");
	assert_container("containerd", CTRD_API, "api", PD_ROLE_PAYLOAD);
	assert_pod("shop", "api-7d9f8b6c5-x2x7q", POD_API, "Burstable");
	assert_str(n.unit, "cri-containerd-" CTRD_API ".scope");
	assert_str(n.slice, "kubepods-burstable-pod" POD_API_ ".slice");
}

static void test_cgname_containerd_sandbox(void **state)
{
	(void)state;
	lookup(API_POD_SLICE "/cri-containerd-" CTRD_SANDBOX ".scope");
	assert_container("containerd", CTRD_SANDBOX, NULL, PD_ROLE_SANDBOX);
	assert_pod("shop", "api-7d9f8b6c5-x2x7q", POD_API, "Burstable");
}

static void test_cgname_containerd_kubernetes_cgroupfs(void **state)
{
	(void)state;
	lookup("/kubepods/burstable/pod" POD_API "/" CTRD_API);
	assert_container("containerd", CTRD_API, "api", PD_ROLE_PAYLOAD);
	assert_pod("shop", "api-7d9f8b6c5-x2x7q", POD_API, "Burstable");
}

/* The pod's own cgroup (a cgroup row): the pod, no container. */
static void test_cgname_pod_cgroup_row(void **state)
{
	(void)state;
	lookup(API_POD_SLICE);
	assert_container(NULL, NULL, NULL, PD_ROLE_PAYLOAD);
	assert_pod("shop", "api-7d9f8b6c5-x2x7q", POD_API, "Burstable");
	/* /var/log/pods only */
	assert_int_equal(stats().opens, 1);
}

static void test_cgname_nerdctl(void **state)
{
	(void)state;
	lookup("/system.slice/nerdctl-" NERD_CACHE ".scope");
	assert_container("containerd", NERD_CACHE, "cache", PD_ROLE_PAYLOAD);
	assert_pod(NULL, NULL, NULL, NULL);
	/* cgroupfs: /<namespace>/<id> */
	lookup("/default/" NERD_CACHE);
	assert_container("containerd", NERD_CACHE, "cache", PD_ROLE_PAYLOAD);
}

/* --- CRI-O ----------------------------------------------------------------- */

static void test_cgname_crio(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-pod" POD_AUTH_ ".slice/crio-" CRIO_AUTH
	       ".scope");
	assert_container("cri-o", CRIO_AUTH, "auth", PD_ROLE_PAYLOAD);
	assert_pod("login", "auth-0", POD_AUTH, "Guaranteed");
	lookup("/kubepods.slice/kubepods-pod" POD_AUTH_ ".slice/crio-conmon-"
	       CRIO_AUTH ".scope");
	assert_container("cri-o", CRIO_AUTH, "auth", PD_ROLE_MONITOR);
	assert_pod("login", "auth-0", POD_AUTH, "Guaranteed");
}

static void test_cgname_crio_runroot_config(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-pod" POD_AUTH_ ".slice/crio-"
	       CRIO_WORKER ".scope");
	assert_container("cri-o", CRIO_WORKER, "worker", PD_ROLE_PAYLOAD);
	assert_pod("login", "auth-0", POD_AUTH, "Guaranteed");
}

static void test_cgname_crio_storage_name_only(void **state)
{
	(void)state;
	lookup("/kubepods/pod" POD_AUTH "/crio-" CRIO_SIDECAR);
	assert_container("cri-o", CRIO_SIDECAR, "sidecar", PD_ROLE_PAYLOAD);
	assert_pod("login", "auth-0", POD_AUTH, "Guaranteed");
}

/* --- the kubelet's logs alone ---------------------------------------------- */

/*
 * No runtime has files for it: the container and pod names come from
 * /var/log/containers. Each place is tried once: containerd (its two task
 * roots listed, the namespaces k8s.io and default tried: 4 opens), CRI-O
 * (two config.json and eight storage lists: 10), Docker (daemon.json and
 * config.v2.json: 2), /var/log/containers (1): 17.
 */
static void test_cgname_kubelet_logs_name_what_no_runtime_does(void **state)
{
	struct pd_cgname_stats s;

	(void)state;
	lookup("/kubepods/besteffort/pod" POD_LOGONLY "/" K8S_LOGONLY);
	assert_container(NULL, K8S_LOGONLY, "report", PD_ROLE_PAYLOAD);
	assert_pod("batch", "report-28812345-q7k2m", POD_LOGONLY, "BestEffort");
	s = stats();
	assert_int_equal(s.opens, 17);
	/* a second unknown container in a known pod: only what is new */
	lookup("/kubepods/besteffort/pod" POD_LOGONLY "/" UNKNOWN);
	assert_container(NULL, UNKNOWN, NULL, PD_ROLE_PAYLOAD);
	assert_pod("batch", "report-28812345-q7k2m", POD_LOGONLY, "BestEffort");
	/* containerd 2, CRI-O 2, Docker 1, /var/log/pods 1 */
	assert_int_equal(stats().opens, 17 + 6);
}

static void test_cgname_unknown_pod_keeps_its_uid(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-pod0b0b0b0b_0000_4000_8000_000000000000.slice");
	assert_pod(NULL, NULL, "0b0b0b0b-0000-4000-8000-000000000000",
		   "Guaranteed");
}

/* --- LXC, nspawn, libvirt: the path names them ------------------------------ */

static void test_cgname_machines_named_by_their_path(void **state)
{
	(void)state;
	lookup("/lxc.payload.web/system.slice/nginx.service");
	assert_container("lxc", NULL, "web", PD_ROLE_PAYLOAD);
	assert_null(n.unit);
	lookup("/lxc.monitor.web");
	assert_container("lxc", NULL, "web", PD_ROLE_MONITOR);
	lookup("/machine.slice/systemd-nspawn@build\\x2dbox.service/payload");
	assert_container("nspawn", NULL, "build-box", PD_ROLE_PAYLOAD);
	assert_str(n.unit, "systemd-nspawn@build-box.service");
	lookup("/machine.slice/machine-qemu\\x2d3\\x2dwin11.scope/libvirt/vcpu0");
	assert_container("libvirt", NULL, "win11", PD_ROLE_PAYLOAD);
	assert_int_equal(stats().opens, 0);
}

/* --- modes, roots, limits ---------------------------------------------------- */

static void test_cgname_path_only_reads_nothing(void **state)
{
	(void)state;
	pd_cgname_free(ctx);
	ctx = NULL;
	assert_int_equal(pd_cgname_new(ROOT, PD_CGNAME_PATH_ONLY, &ctx), 0);
	lookup(API_POD_SLICE "/cri-containerd-" CTRD_API ".scope");
	assert_container("containerd", CTRD_API, NULL, PD_ROLE_PAYLOAD);
	assert_pod(NULL, NULL, POD_API, "Burstable");
	lookup("/kubepods/burstable/pod" POD_API "/" CTRD_API);
	assert_container(NULL, CTRD_API, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(stats().opens, 0);
}

static void test_cgname_missing_root_is_an_error(void **state)
{
	struct pd_cgname_ctx *c = NULL;

	(void)state;
	assert_int_equal(pd_cgname_new(ROOT "/no/such/dir", 0, &c), -ENOENT);
	assert_null(c);
	assert_int_equal(pd_cgname_new(ROOT "/etc/passwd", 0, &c), -ENOTDIR);
}

static void test_cgname_live_root(void **state)
{
	(void)state;
	pd_cgname_free(ctx);
	ctx = NULL;
	assert_int_equal(pd_cgname_new(NULL, 0, &ctx), 0);
	lookup("/system.slice/cron.service");
	assert_str(n.unit, "cron.service");
	assert_container(NULL, NULL, NULL, PD_ROLE_PAYLOAD);
}

/* A temporary root with FILE as Docker's config of container UNKNOWN. */
static void tmp_docker_root(void)
{
	char dir[PATH_MAX];

	snprintf(tmproot, sizeof(tmproot), "/tmp/pd-cgname-XXXXXX");
	assert_non_null(mkdtemp(tmproot));
	snprintf(dir, sizeof(dir), "%s/var", tmproot);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib", tmproot);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib/docker", tmproot);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib/docker/containers", tmproot);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib/docker/containers/" UNKNOWN,
		 tmproot);
	assert_int_equal(mkdir(dir, 0755), 0);
	pd_cgname_free(ctx);
	ctx = NULL;
	assert_int_equal(pd_cgname_new(tmproot, 0, &ctx), 0);
}

static const char *tmp_config(void)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 "%s/var/lib/docker/containers/" UNKNOWN "/config.v2.json",
		 tmproot);
	return path;
}

/* A FIFO with no writer: opening it blocking would hang forever. */
static void test_cgname_fifo_config_does_not_hang(void **state)
{
	(void)state;
	tmp_docker_root();
	assert_int_equal(mkfifo(tmp_config(), 0644), 0);
	lookup("/docker/" UNKNOWN);
	assert_container("docker", UNKNOWN, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(stats().bad, 1);
}

static void test_cgname_oversized_config_is_not_read(void **state)
{
	int fd;

	(void)state;
	tmp_docker_root();
	fd = open(tmp_config(), O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"Name\":\"/big\"}", 15), 15);
	/* sparse: 4 MiB is the limit of one container's config */
	assert_int_equal(ftruncate(fd, (4 << 20) + 1), 0);
	close(fd);
	lookup("/docker/" UNKNOWN);
	assert_container("docker", UNKNOWN, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(stats().bad, 1);
	assert_int_equal(stats().parsed, 0);
}

static void test_cgname_config_at_the_limit_is_read(void **state)
{
	int fd;

	(void)state;
	tmp_docker_root();
	fd = open(tmp_config(), O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"Name\":\"/big\"}", 15), 15);
	/* JSON allows the trailing white space */
	assert_int_equal(ftruncate(fd, 4 << 20), 0);
	close(fd);
	/* ftruncate fills with NULs, not blanks: rewrite them as spaces */
	{
		char *sp = malloc((4 << 20) - 15);

		assert_non_null(sp);
		memset(sp, ' ', (4 << 20) - 15);
		fd = open(tmp_config(), O_WRONLY);
		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, sp, (4 << 20) - 15, 15),
				 (4 << 20) - 15);
		close(fd);
		free(sp);
	}
	lookup("/docker/" UNKNOWN);
	assert_container("docker", UNKNOWN, "big", PD_ROLE_PAYLOAD);
	assert_int_equal(stats().bad, 0);
}

static void test_cgname_directory_in_place_of_a_config(void **state)
{
	(void)state;
	tmp_docker_root();
	assert_int_equal(mkdir(tmp_config(), 0755), 0);
	lookup("/docker/" UNKNOWN);
	assert_container("docker", UNKNOWN, NULL, PD_ROLE_PAYLOAD);
	assert_int_equal(stats().bad, 1);
}

/* An absolute link in a fake root resolves inside it, never to the host. */
static void test_cgname_links_stay_inside_the_root(void **state)
{
	char link[PATH_MAX];

	(void)state;
	tmp_docker_root();
	/* the host's /etc/hostname is no JSON; inside the root there is none */
	snprintf(link, sizeof(link), "%s", tmp_config());
	assert_int_equal(symlink("/etc/hostname", link), 0);
	lookup("/docker/" UNKNOWN);
	assert_container("docker", UNKNOWN, NULL, PD_ROLE_PAYLOAD);
	/* not found (inside the root), so not malformed */
	assert_int_equal(stats().bad, 0);
}

/* Runtime state a user may not read: no name, counted once as denied. */
static void test_cgname_unreadable_state_is_counted_denied(void **state)
{
	char dir[PATH_MAX];
	int status;
	pid_t pid;

	(void)state;
	tmp_docker_root();
	assert_int_equal(chmod(tmproot, 0755), 0);
	assert_int_equal(mkdir(tmp_config(), 0755), 0);
	snprintf(dir, sizeof(dir), "%s/var/lib/docker/containers", tmproot);
	assert_int_equal(chmod(dir, 0), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct pd_cgname_ctx *c;
		struct pd_cgname_stats s;
		struct pd_cgname nm;

		/* as root, become nobody: root reads everything */
		if (geteuid() == 0 && setresuid(65534, 65534, 65534) < 0)
			_exit(2);
		if (pd_cgname_new(tmproot, 0, &c) < 0 ||
		    pd_cgname_lookup(c, "/docker/" UNKNOWN, &nm) < 0)
			_exit(3);
		pd_cgname_get_stats(c, &s);
		_exit(nm.name || strcmp(nm.runtime, "docker") ? 4 :
		      s.denied != 1 ? 5 : s.bad ? 6 : 0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(chmod(dir, 0755), 0);
}

static void test_cgname_home_parse(void **state)
{
	static const char pw[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"u10000:x:10000:10000::/home/u10000:/bin/sh\n"
		"short:x:1001\n"
		"nohome:x:1002:1002:::/bin/sh\n"
		"six:x:1003:1003::/home/six\n"
		"alice:x:1000:1000:Alice:/home/alice:/bin/bash";
	char *home = NULL;

	(void)state;
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 1000, &home), 0);
	assert_string_equal(home, "/home/alice");
	free(home);
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 0, &home), 0);
	assert_string_equal(home, "/root");
	free(home);
	/* six fields are enough */
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 1003, &home), 0);
	assert_string_equal(home, "/home/six");
	free(home);
	home = NULL;
	/* "1000" is not "10000"; a short line; an empty home */
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 100, &home),
			 -ENOENT);
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 1001, &home),
			 -ENOENT);
	assert_int_equal(pd_cgname_home_parse(pw, strlen(pw), 1002, &home),
			 -ENOENT);
	assert_int_equal(pd_cgname_home_parse(pw, 0, 0, &home), -ENOENT);
	assert_null(home);
}


/* --- the words the tools show: CONTAINER and POD ----------------------------- */

static const char *ctr_text(void)
{
	static char buf[PD_CGNAME_TEXT_SIZE];

	return pd_cgname_container_text(&n, buf, sizeof(buf));
}

static const char *pod_text(void)
{
	static char buf[PD_CGNAME_TEXT_SIZE];

	return pd_cgname_pod_text(&n, buf, sizeof(buf));
}

static void test_cgname_text_names_runtime_and_name(void **state)
{
	(void)state;
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	assert_string_equal(ctr_text(), "docker:web");
	assert_null(pod_text());
	lookup(API_POD_SLICE "/cri-containerd-" CTRD_API ".scope");
	assert_string_equal(ctr_text(), "containerd:api");
	assert_string_equal(pod_text(), "shop/api-7d9f8b6c5-x2x7q");
	lookup("/lxc.payload.web/system.slice/nginx.service");
	assert_string_equal(ctr_text(), "lxc:web");
}

static void test_cgname_text_short_id_without_a_name(void **state)
{
	(void)state;
	lookup("/system.slice/docker-" BROKEN ".scope");
	assert_string_equal(ctr_text(), "docker:f526795c9539");
	/* known to the kubelet's logs only: no runtime to name */
	lookup("/kubepods/besteffort/pod" POD_LOGONLY "/" K8S_LOGONLY);
	assert_string_equal(ctr_text(), "report");
	lookup("/kubepods/besteffort/pod" POD_LOGONLY "/" UNKNOWN);
	assert_string_equal(ctr_text(), "b23a6a8439c0");
	assert_string_equal(pod_text(), "batch/report-28812345-q7k2m");
}

static void test_cgname_text_says_monitor_and_sandbox(void **state)
{
	(void)state;
	lookup("/machine.slice/libpod-conmon-" PODMAN_DB ".scope");
	assert_string_equal(ctr_text(), "podman:db (monitor)");
	lookup(API_POD_SLICE "/cri-containerd-" CTRD_SANDBOX ".scope");
	assert_string_equal(ctr_text(), "containerd:f0c28c2942ea (sandbox)");
	assert_string_equal(pod_text(), "shop/api-7d9f8b6c5-x2x7q");
	lookup("/lxc.monitor.web");
	assert_string_equal(ctr_text(), "lxc:web (monitor)");
}

static void test_cgname_text_pod_uid_without_its_name(void **state)
{
	(void)state;
	lookup("/kubepods.slice/kubepods-pod0b0b0b0b_0000_4000_8000_000000000000.slice");
	assert_null(ctr_text());
	assert_string_equal(pod_text(), "0b0b0b0b-0000-4000-8000-000000000000");
}

static void test_cgname_text_none_outside_containers(void **state)
{
	(void)state;
	lookup("/system.slice/system-getty.slice/getty@tty1.service");
	assert_null(ctr_text());
	assert_null(pod_text());
}

static void test_cgname_text_is_cut_to_the_buffer(void **state)
{
	char buf[8];

	(void)state;
	lookup("/system.slice/docker-" DOCKER_WEB ".scope");
	assert_string_equal(pd_cgname_container_text(&n, buf, sizeof(buf)),
			    "docker:");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cgname_service_has_unit_and_slice_only),
		T(test_cgname_unit_escapes_are_decoded),
		T(test_cgname_docker_systemd_driver),
		T(test_cgname_docker_cgroupfs_driver),
		T(test_cgname_container_files_are_read_once),
		T(test_cgname_docker_kubernetes_container),
		T(test_cgname_docker_pod_sandbox),
		T(test_cgname_docker_kubernetes_cgroupfs_bare_id),
		T(test_cgname_docker_malformed_config_names_nothing),
		T(test_cgname_docker_data_root_from_daemon_json),
		T(test_cgname_docker_rootless),
		T(test_cgname_rootless_does_not_name_others_containers),
		T(test_cgname_podman_rootful),
		T(test_cgname_podman_quadlet_and_cgroupfs),
		T(test_cgname_podman_rootless),
		T(test_cgname_containerd_kubernetes_systemd),
		T(test_cgname_containerd_sandbox),
		T(test_cgname_containerd_kubernetes_cgroupfs),
		T(test_cgname_pod_cgroup_row),
		T(test_cgname_nerdctl),
		T(test_cgname_crio),
		T(test_cgname_crio_runroot_config),
		T(test_cgname_crio_storage_name_only),
		T(test_cgname_kubelet_logs_name_what_no_runtime_does),
		T(test_cgname_unknown_pod_keeps_its_uid),
		T(test_cgname_machines_named_by_their_path),
		T(test_cgname_path_only_reads_nothing),
		T(test_cgname_missing_root_is_an_error),
		T(test_cgname_live_root),
		T(test_cgname_fifo_config_does_not_hang),
		T(test_cgname_oversized_config_is_not_read),
		T(test_cgname_config_at_the_limit_is_read),
		T(test_cgname_directory_in_place_of_a_config),
		T(test_cgname_links_stay_inside_the_root),
		T(test_cgname_unreadable_state_is_counted_denied),
		T(test_cgname_home_parse),
		T(test_cgname_text_names_runtime_and_name),
		T(test_cgname_text_short_id_without_a_name),
		T(test_cgname_text_says_monitor_and_sandbox),
		T(test_cgname_text_pod_uid_without_its_name),
		T(test_cgname_text_none_outside_containers),
		T(test_cgname_text_is_cut_to_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
